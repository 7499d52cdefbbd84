/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/edu.c — the DMA engine every translation check relies on:
 * untranslated round trips, refused requests, completion interrupts.
 * Runs before translation is enabled (a fresh boot), so addresses are
 * physical.
 */
#include <string.h>

#include "lib/edu.h"
#include "lib/platform.h"
#include "lib/report.h"
#include "lib/test.h"
#include "lib/wait.h"
#include "engine/env.h"
#include "vtd/regs.h"

#define DMA_TIMEOUT (5 * NS_PER_S)

/* RAM -> edu buffer -> RAM, and compare. */
static bool round_trip(struct edu *e, uint8_t *src, uint8_t *dst, uint32_t off,
                       uint32_t len, uint8_t seed)
{
    int rc;

    for (uint32_t i = 0; i < len; i++)
        src[i] = (uint8_t)(seed + i * 7);
    memset(dst, 0, len + 1);
    rc = edu_dma(e, EDU_RAM_TO_DEV, plat_virt_to_phys(src), off, len,
                 DMA_TIMEOUT);
    if (rc == EDU_OK)
        rc = edu_dma(e, EDU_DEV_TO_RAM, plat_virt_to_phys(dst), off, len,
                     DMA_TIMEOUT);
    if (rc != EDU_OK) {
        report_info("DMA of %u bytes at +0x%x: %s", len, off, edu_strerror(rc));
        return false;
    }
    return !memcmp(src, dst, len) && dst[len] == 0;
}

TEST(edu, "edu", "edu DMA engine: round trips, limits, completion MSI", 0)
{
    const struct env *env = env_get();
    static const struct {
        uint32_t off, len;
    } sizes[] = {
        { 0, 1 },
        { 0x10, 17 },
        { 0x7FF, 0x402 },
        { 0, EDU_DMA_MAX },
    };
    struct edu *e;
    uint8_t *src, *dst;
    unsigned irqs;

    if (!env->nr_edu) {
        report_skip("no edu device (PCI 1234:11e8)", "edu present");
        return;
    }
    e = (struct edu *)&env->edu[0];
    if (env->edu_err[0] != EDU_OK) {
        report_error("edu %02x:%02x.%x: %s", e->pci->bus, e->pci->dev,
                     e->pci->fn, edu_strerror(env->edu_err[0]));
        return;
    }
    if (env->vtd_found &&
        (plat_mmio_read32(env->vtd_base + VTD_GSTS) & VTD_GCMD_TE)) {
        report_skip("DMA remapping already enabled", "untranslated DMA");
        return;
    }
    src = plat_alloc_pages(2);
    dst = plat_alloc_pages(2);
    if (!src || !dst) {
        report_error("out of pages");
        return;
    }

    irqs = e->irqs;
    for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        report(round_trip(e, src, dst, sizes[i].off, sizes[i].len, (uint8_t)i),
               "round trip of %u bytes at buffer +0x%x", sizes[i].len,
               sizes[i].off);
    if (e->msi)
        report(e->irqs - irqs == 8, "one completion MSI per DMA (%u for 8)",
               e->irqs - irqs);
    else
        report_skip("edu has no MSI here: waits poll", "completion MSI");

    /* Transfers QEMU would abort the machine on are refused up front. */
    report(edu_dma(e, EDU_RAM_TO_DEV, plat_virt_to_phys(src), 0, 0, 0) ==
               EDU_EINVAL,
           "count 0 refused");
    report(edu_dma(e, EDU_RAM_TO_DEV, plat_virt_to_phys(src), 0, 4096, 0) ==
               EDU_EINVAL,
           "count 4096 refused");
    report(edu_dma(e, EDU_RAM_TO_DEV, plat_virt_to_phys(src), 1, 4095, 0) ==
               EDU_EINVAL,
           "transfer reaching the end of the buffer refused");
    report(edu_dma(e, EDU_RAM_TO_DEV, plat_virt_to_phys(src), 0x1000, 1, 0) ==
               EDU_EINVAL,
           "offset past the buffer refused");
    report(!edu_dma_busy(e), "device idle after refusals");

    plat_free_pages(src, 2);
    plat_free_pages(dst, 2);
}

/* Not a check: DMA cost, for `make bench`. count=N on the command line. */
TEST(bench_dma, "bench-dma", "edu DMA cost: N round trips", TEST_SELFTEST)
{
    const struct env *env = env_get();
    uint8_t *buf = plat_alloc_pages(1);
    uint64_t t0, t1;
    char arg[16];
    unsigned n = 100;

    if (cmdline_get(plat_cmdline(), "count", arg, sizeof(arg))) {
        n = 0;
        for (const char *p = arg; *p >= '0' && *p <= '9'; p++)
            n = n * 10 + (unsigned)(*p - '0');
    }
    if (!env->nr_edu || env->edu_err[0] != EDU_OK || !buf) {
        report_skip("no usable edu device", "bench");
        return;
    }
    t0 = plat_now_ns();
    for (unsigned i = 0; i < n; i++)
        if (edu_dma((struct edu *)&env->edu[0], EDU_RAM_TO_DEV,
                    plat_virt_to_phys(buf), 0, 64, DMA_TIMEOUT) != EDU_OK) {
            report(false, "DMA %u of %u completed", i, n);
            return;
        }
    t1 = plat_now_ns();
    report(true, "%u DMAs completed (msi %s)", n,
           env->edu[0].msi ? "on" : "off");
    report_info("guest time per DMA: %lu us",
                (unsigned long)(n ? (t1 - t0) / n / 1000 : 0));
}
