/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/platform.c — the runtime the suite stands on: time, bounded
 * waits, interrupt waits, on-demand MMIO mappings, page allocation. If
 * these are wrong, every verdict after them is suspect.
 */
#include <string.h>

#include "lib/platform.h"
#include "lib/report.h"
#include "lib/test.h"
#include "lib/wait.h"

static bool never(void *arg)
{
    return false;
}

static bool after_deadline(void *arg)
{
    return plat_now_ns() >= *(uint64_t *)arg;
}

TEST(platform, "platform", "time, bounded waits, MMIO mapping, pages",
     TEST_GUEST_ONLY)
{
    uint64_t t0, t1, deadline;
    uint8_t *p, *q;
    int rc;

    t0 = plat_now_ns();
    for (volatile int i = 0; i < 100000; i++)
        ;
    t1 = plat_now_ns();
    report(t1 > t0, "time advances (%lu ns over a short loop)",
           (unsigned long)(t1 - t0));

    /* A wait that can never succeed ends, in about its timeout. */
    t0 = plat_now_ns();
    rc = wait_for(never, NULL, 20 * NS_PER_MS);
    t1 = plat_now_ns();
    report(rc == WAIT_TIMEOUT && t1 - t0 >= 20 * NS_PER_MS,
           "wait_for on a false condition times out after 20 ms (rc %d, "
           "%lu us)",
           rc, (unsigned long)((t1 - t0) / 1000));

    t0 = plat_now_ns();
    rc = wait_for_irq(never, NULL, 20 * NS_PER_MS);
    t1 = plat_now_ns();
    report(rc == WAIT_TIMEOUT && t1 - t0 >= 20 * NS_PER_MS,
           "wait_for_irq wakes at its deadline with no interrupt (rc %d, "
           "%lu us)",
           rc, (unsigned long)((t1 - t0) / 1000));

    deadline = plat_now_ns() + 5 * NS_PER_MS;
    rc = wait_for_irq(after_deadline, &deadline, NS_PER_S);
    report(rc == WAIT_OK, "wait_for_irq sees a condition that becomes true");

    rc = WAIT_FOR(plat_now_ns() > deadline, 10 * NS_PER_MS);
    report(rc == WAIT_OK, "WAIT_FOR evaluates its expression");

    /* 64-bit MMIO space above 4 GiB: mapped on demand, no exception.
     * Nothing decodes there, so reads float to all ones or zero. */
    rc = plat_mmio_map(0x8000000000ull, 0x1000);
    if (rc == 0) {
        uint32_t v = plat_mmio_read32(0x8000000000ull);

        report(v == 0xFFFFFFFF || v == 0,
               "unclaimed MMIO at 512 GiB mapped and read (0x%x)", v);
    } else {
        report(false, "mapping MMIO at 512 GiB failed (%d)", rc);
    }
    report(plat_mmio_map(~0ull - 0xFFF, 0x2000) != 0,
           "a mapping that wraps the address space is refused");

    p = plat_alloc_pages(4);
    q = plat_alloc_pages(1);
    report(p && q && !((uintptr_t)p & 0xFFF) && !((uintptr_t)q & 0xFFF),
           "page allocation is 4 KiB aligned");
    report(p && q && (q >= p + 4 * 4096 || q + 4096 <= p),
           "allocations do not overlap");
    if (p) {
        bool zero = true;

        for (unsigned i = 0; i < 4 * 4096; i++)
            zero &= p[i] == 0;
        report(zero, "allocated pages are zeroed");
        report(plat_virt_to_phys(p) == (uintptr_t)p &&
                   plat_phys_to_virt(plat_virt_to_phys(p)) == p,
               "RAM is identity-mapped");
        memset(p, 0xA5, 4 * 4096);
        plat_free_pages(p, 4);
    }
    plat_free_pages(q, 1);
}
