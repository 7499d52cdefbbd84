/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Microbenchmark of the VT-d model: translate on an IOTLB hit, translate
 * through a full 4-level walk (no caches; and with the minimal policy's
 * insert-and-evict), and page-/domain-selective IOTLB invalidation on a
 * domain with many cached entries.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/clock.h"
#include "model/vtd_model.h"
#include "model/vtd_regs.h"

#define RAM_SIZE (64u << 20)
#define SID      0x0010
#define DID      5

static uint8_t *ram;
static uint64_t next_page = 1 << 20;

static int b_read(void *o, uint64_t gpa, void *buf, size_t len)
{
    if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
        return -1;
    memcpy(buf, ram + gpa, len);
    return 0;
}

static int b_write(void *o, uint64_t gpa, const void *buf, size_t len)
{
    if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
        return -1;
    memcpy(ram + gpa, buf, len);
    return 0;
}

static uint64_t page(void)
{
    uint64_t p = next_page;

    next_page += 4096;
    memset(ram + p, 0, 4096);
    return p;
}

static uint64_t r64(uint64_t a)
{
    uint64_t v;
    memcpy(&v, ram + a, 8);
    return v;
}
static void w64(uint64_t a, uint64_t v)
{
    memcpy(ram + a, &v, 8);
}

static uint64_t root, slpt;

/* Legacy tables: SID -> domain DID, 4-level, npages 4 KiB pages at 0. */
static void build_tables(unsigned npages)
{
    uint64_t ct;

    root = page();
    ct = page();
    slpt = page();
    w64(root + (SID >> 8) * 16, ct | 1);
    w64(ct + (SID & 0xFF) * 16 + 8, DID << 8 | 2);
    w64(ct + (SID & 0xFF) * 16, slpt | 1);
    for (unsigned i = 0; i < npages; i++) {
        uint64_t iova = (uint64_t)i << 12, table = slpt;

        for (unsigned l = 4; l > 1; l--) {
            uint64_t a = table + ((iova >> (12 + 9 * (l - 1))) & 0x1FF) * 8,
                     e = r64(a);

            if (!(e & 3)) {
                e = page() | 3;
                w64(a, e);
            }
            table = e & GENMASK64(51, 12);
        }
        w64(table + ((iova >> 12) & 0x1FF) * 8, (0x10000000ull + iova) | 3);
    }
}

static struct vtd_model *make(enum vtd_cache_policy p, unsigned entries)
{
    struct vtd_config c = { .aw_bits = 48,
                            .large_pages = true,
                            .mamv = 18,
                            .cache_policy = p,
                            .cache_entries = entries };
    struct vtd_env env = { .mem_read = b_read, .mem_write = b_write };
    struct vtd_model *m = vtd_model_create(&c, &env, NULL);

    if (!m) {
        fprintf(stderr, "model create failed\n");
        exit(1);
    }
    vtd_mmio_write(m, MV_REG_RTADDR, 8, root);
    vtd_mmio_write(m, MV_REG_GCMD, 4, MV_GCMD_SRTP);
    vtd_mmio_write(m, MV_REG_GCMD, 4, MV_GCMD_TE);
    return m;
}

static volatile uint64_t sink;

static double bench_translate(struct vtd_model *m, unsigned npages,
                              unsigned iters)
{
    struct vtd_request r = { .sid = SID, .access = VTD_ACC_READ };
    struct vtd_xlate x;
    double t0, t1;

    t0 = (double)host_now_ns();
    for (unsigned i = 0; i < iters; i++) {
        r.addr = (uint64_t)(i & (npages - 1)) << 12;
        vtd_translate(m, &r, &x);
        sink += x.addr;
    }
    t1 = (double)host_now_ns();
    if (x.status != VTD_XLATE_OK) {
        fprintf(stderr, "translate failed: reason 0x%x\n", x.fault_reason);
        exit(1);
    }
    return (t1 - t0) / iters;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
    qsort(v, n, sizeof(*v), cmp_d);
    return v[n / 2];
}

static void fill(struct vtd_model *m, unsigned n)
{
    bench_translate(m, n, n);
}

static void psi(struct vtd_model *m, uint64_t addr, unsigned am)
{
    vtd_mmio_write(m, 0xF0, 8, addr | am);
    vtd_mmio_write(m, 0xF8, 8,
                   MV_IOTLB_IVT | (uint64_t)MV_GRAN_DEVICE << 60 |
                       (uint64_t)DID << 32);
}

static void dsi(struct vtd_model *m)
{
    vtd_mmio_write(m, 0xF8, 8,
                   MV_IOTLB_IVT | (uint64_t)MV_GRAN_DOMAIN << 60 |
                       (uint64_t)DID << 32);
}

/*
 * Median time of one invalidation over a cache refilled with n entries
 * before each: PSI with address mask am (am < 0: DSI), the page moving
 * by `step` pages each repetition.
 */
static double time_inval(struct vtd_model *m, unsigned n, unsigned reps,
                         double *t, int am, unsigned step)
{
    for (unsigned i = 0; i < reps; i++) {
        double t0;

        fill(m, n);
        t0 = (double)host_now_ns();
        if (am < 0)
            dsi(m);
        else
            psi(m, (uint64_t)(i * step % n) << 12, (unsigned)am);
        t[i] = (double)host_now_ns() - t0;
    }
    return median(t, reps);
}

int main(void)
{
    const unsigned npages = 262144; /* 1 GiB of IOVA, 4 KiB pages */
    struct vtd_model *m;
    struct vtd_stats st;
    double ns, t[200];

    ram = calloc(1, RAM_SIZE);
    build_tables(npages);
    printf("# vtd model microbenchmark (ns per operation)\n");
    for (unsigned i = 0; i < 200; i++) {
        double t0 = (double)host_now_ns();

        t[i] = (double)host_now_ns() - t0;
    }
    printf("# clock_gettime pair overhead (included in the medians below) %.1f "
           "ns\n",
           median(t, 200));

    m = make(VTD_CACHE_MINIMAL, 4096);
    fill(m, 1);
    ns = bench_translate(m, 1, 20000000);
    printf("translate, IOTLB hit (1 page)              %8.1f ns\n", ns);
    fill(m, 1024);
    ns = bench_translate(m, 1024, 20000000);
    printf("translate, IOTLB hit (1024 pages)          %8.1f ns\n", ns);
    vtd_model_destroy(m);
    m = make(VTD_CACHE_MINIMAL, 65536);
    fill(m, 32768);
    ns = bench_translate(m, 32768, 20000000);
    printf("translate, IOTLB hit past the front (32768 pages) %.1f ns\n", ns);
    vtd_model_destroy(m);

    m = make(VTD_CACHE_NONE, 0);
    ns = bench_translate(m, npages, 4000000);
    printf("translate, no caches: root+ctx+4-level walk %7.1f ns\n", ns);
    vtd_model_destroy(m);

    m = make(VTD_CACHE_MINIMAL, 4096);
    ns = bench_translate(m, npages, 4000000);
    vtd_model_stats(m, &st);
    printf("translate, IOTLB miss, 4-level walk + fill  %7.1f ns  (hits %llu "
           "of %llu)\n",
           ns, (unsigned long long)st.iotlb_hits,
           (unsigned long long)st.translations);
    vtd_model_destroy(m);

    m = make(VTD_CACHE_MAXIMAL, 4096);
    ns = bench_translate(m, npages, 4000000);
    printf("translate, IOTLB miss, maximal (PSC hit)    %7.1f ns\n", ns);
    vtd_model_destroy(m);

    for (unsigned pol = 0; pol < 2; pol++) {
        const char *pn = pol ? "maximal" : "minimal";
        unsigned n = 65536, reps = 200;

        m = make(pol ? VTD_CACHE_MAXIMAL : VTD_CACHE_MINIMAL, n);
        printf("PSI AM=0, %u cached entries (%s)     %9.1f ns (median)\n", n,
               pn, time_inval(m, n, reps, t, 0, 7));
        printf("PSI AM=9, %u cached entries (%s)     %9.1f ns (median)\n", n,
               pn, time_inval(m, n, reps, t, 9, 512));
        printf("DSI, %u cached entries (%s)          %9.1f ns (median)\n", n,
               pn, time_inval(m, n, reps, t, -1, 0));
        vtd_model_destroy(m);
    }
    free(ram);
    return 0;
}
