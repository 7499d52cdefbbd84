/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/bench_replay.c — replay and full-domain sync of the
 * notifier layer with 10^3 .. 10^6 present 4 KiB mappings spread over a
 * 48-bit space (runs of 64 pages at random 2 MiB-aligned places, 4-level
 * tables): time, and page-table entries read against the minimum (every
 * entry of every present table).
 *
 *   bench-replay [--max N]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/clock.h"
#include "harness/rng.h"
#include "harness/shadow/bench.h"
#include "model/vtd_model.h"
#include "model/vtd_notify.h"
#include "model/vtd_regs.h"

#define RUN 64u /* pages per run */
#define SID 0x0008

struct ram {
    uint8_t *b;
    uint64_t size, next;
};

static int rd(void *o, uint64_t gpa, void *buf, size_t len)
{
    struct ram *r = o;

    if (gpa >= r->size || len > r->size - gpa)
        return -1;
    memcpy(buf, r->b + gpa, len);
    return 0;
}

static int wr(void *o, uint64_t gpa, const void *buf, size_t len)
{
    struct ram *r = o;

    if (gpa >= r->size || len > r->size - gpa)
        return -1;
    memcpy(r->b + gpa, buf, len);
    return 0;
}

static uint64_t page(struct ram *r)
{
    uint64_t p = r->next;

    r->next += 4096;
    if (r->next > r->size) {
        fprintf(stderr, "bench-replay: out of guest RAM\n");
        exit(2);
    }
    memset(r->b + p, 0, 4096);
    return p;
}

static uint64_t *ent(struct ram *r, uint64_t pa)
{
    return (uint64_t *)(r->b + pa);
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
    return xorshift64(&rng);
}

struct counter {
    uint64_t maps, unmaps, other;
};

static int count(void *o, const struct vtd_notify_event *ev)
{
    struct counter *c = o;

    if (ev->type == VTD_EV_MAP)
        c->maps++;
    else if (ev->type == VTD_EV_UNMAP)
        c->unmaps++;
    else
        c->other++;
    return 0;
}

/* Map 4 KiB page iova -> pa in the 4-level tables at root. */
static void map(struct ram *r, uint64_t root, uint64_t iova, uint64_t pa,
                uint64_t *tables)
{
    uint64_t t = root;

    for (unsigned l = 4; l > 1; l--) {
        uint64_t *e = ent(r, t + ((iova >> (12 + 9 * (l - 1))) & 511) * 8);

        if (!(*e & 3)) {
            *e = page(r) | 3;
            (*tables)++;
        }
        t = *e & ~0xFFFull;
    }
    *ent(r, t + ((iova >> 12) & 511) * 8) = pa | 3;
}

/* Root, context and second-level tables for SID with n pages mapped, in
 * runs of RUN pages at random free 2 MiB slots; the number of tables. */
static uint64_t build_tables(struct ram *ram, uint64_t n)
{
    uint64_t runs = (n + RUN - 1) / RUN, tables = 1, mapped = 0;
    uint64_t rt = page(ram), ct = page(ram), slpt = page(ram);
    uint64_t *used = calloc(1ull << 27 >> 6, sizeof(uint64_t));

    *ent(ram, rt) = ct | 1;
    *ent(ram, ct + (SID & 0xFF) * 16 + 8) = 5 << 8 | 2;
    *ent(ram, ct + (SID & 0xFF) * 16) = slpt | 1;
    for (uint64_t k = 0; k < runs; k++) {
        uint64_t slot;

        do { /* a free 2 MiB slot of the 48-bit space */
            slot = rnd() & ((1ull << 27) - 1);
        } while (used[slot >> 6] & (1ull << (slot & 63)));
        used[slot >> 6] |= 1ull << (slot & 63);
        for (uint64_t p = 0; p < RUN && mapped < n; p++, mapped++)
            map(ram, slpt, slot << 21 | p << 12, (1ull << 32) + (mapped << 12),
                &tables);
    }
    free(used);
    return tables;
}

/* One measurement: the times and the entries read. */
struct sample {
    double replay, sync, unmap;
    uint64_t entries, entries_sync;
};

/*
 * A fresh unit over the tables: registration replays the n mappings, a
 * domain-selective invalidation over unchanged tables syncs, translation
 * off unmaps everything. False when the events are wrong.
 */
static bool measure(const struct vtd_config *cfg, const struct vtd_env *env,
                    uint64_t n, struct sample *sa)
{
    struct vtd_model *m = vtd_model_create(cfg, env, NULL);
    struct vtd_notifier *nf = vtd_notify_create(m);
    struct counter c = { 0 };
    struct vtd_notify_reg rg = { .sid = SID,
                                 .flags = VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP,
                                 .first = 0,
                                 .last = ~0ull,
                                 .notify = count,
                                 .opaque = &c };
    struct vtd_notify_stats s0, s1, s2;
    struct vtd_notify_consumer *con;
    double t0;
    uint64_t iva = ((vtd_model_ecap(m) >> 8) & 0x3FF) * 16;
    bool ok;

    vtd_mmio_write(m, MV_REG_RTADDR, 8, 4096);
    vtd_mmio_write(m, MV_REG_GCMD, 4, MV_GCMD_SRTP);
    vtd_mmio_write(m, MV_REG_GCMD, 4, MV_GCMD_TE);
    vtd_notify_stats(nf, &s0);
    t0 = host_now_s();
    con = vtd_notify_register(nf, &rg, NULL);
    sa->replay = host_now_s() - t0;
    vtd_notify_stats(nf, &s1);
    sa->entries = s1.entries_read - s0.entries_read;
    ok = con && c.maps == n;
    /* domain-selective invalidation over unchanged tables */
    t0 = host_now_s();
    vtd_mmio_write(m, iva + 8, 8, MV_IOTLB_IVT | 2ull << 60 | 5ull << 32);
    sa->sync = host_now_s() - t0;
    vtd_notify_stats(nf, &s2);
    sa->entries_sync = s2.entries_read - s1.entries_read;
    ok = ok && c.maps == n && !c.unmaps;
    /* TE off: everything goes, in chunks */
    t0 = host_now_s();
    vtd_mmio_write(m, MV_REG_GCMD, 4, 0);
    sa->unmap = host_now_s() - t0;
    ok = ok && c.unmaps > 0;
    vtd_notify_destroy(nf);
    vtd_model_destroy(m);
    return ok;
}

/* One row of the table: n mappings, the median of 3 measurements. */
static void bench_row(uint64_t n)
{
    uint64_t runs = (n + RUN - 1) / RUN, tables;
    struct ram ram = { .size = (runs * 2 + 1024) * 4096ull };
    struct vtd_config cfg = { .aw_bits = 48,
                              .caching_mode = true,
                              .large_pages = true,
                              .mamv = 18,
                              .cache_policy = VTD_CACHE_MINIMAL };
    struct vtd_env env = { .opaque = &ram, .mem_read = rd, .mem_write = wr };
    struct sample sa = { 0 };
    double tr[3], ts[3], tu[3];
    bool ok = true;

    ram.b = calloc(1, ram.size);
    ram.next = 4096;
    tables = build_tables(&ram, n);
    for (int rep = 0; rep < 3; rep++) {
        bool rep_ok = measure(&cfg, &env, n, &sa);

        ok = ok && rep_ok;
        tr[rep] = sa.replay;
        ts[rep] = sa.sync;
        tu[rep] = sa.unmap;
    }
    printf("%9" PRIu64 " %8" PRIu64 " %12" PRIu64 " %12" PRIu64
           " %10.2f %12.1f %10.2f %10.2f%s\n",
           n, tables, sa.entries, tables * 512, median(tr, 3) * 1e3,
           median(tr, 3) * 1e9 / n, median(ts, 3) * 1e3, median(tu, 3) * 1e3,
           ok ? "" : "  (events wrong!)");
    if (sa.entries_sync != sa.entries)
        printf("# the sync read %" PRIu64 " entries\n", sa.entries_sync);
    free(ram.b);
}

int main(int argc, char **argv)
{
    uint64_t max = 1000000;

    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--max"))
            max = strtoull(argv[++i], NULL, 0);
    printf("notifier replay and full-domain sync: 4 KiB mappings in runs of "
           "%u over 48 bits (median of 3)\n",
           RUN);
    printf("%9s %8s %12s %12s %10s %12s %10s %10s\n", "mappings", "tables",
           "entries", "minimum", "replay ms", "ns/mapping", "sync ms",
           "unmap ms");
    for (uint64_t n = 1000; n <= max; n *= 10)
        bench_row(n);
    return 0;
}
