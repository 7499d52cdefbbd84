/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/bench_replay.c — not a check: what a domain with many
 * mappings costs once a device behind a host IOMMU is attached to it.
 * With caching mode, QEMU replays the whole domain into the device's
 * shadow when its context entry becomes present (one DMA_MAP per leaf
 * for a served device), syncs it again on a domain-selective IOTLB
 * invalidation, unmaps and replays it on a global context invalidation,
 * and unmaps it when the device leaves. For run/bench-replay.
 *
 * Command line: replay-maps=N (default 1000) 4 KiB leaves in a 4-level
 * (48-bit) domain, 32 to a last-level table, the tables spread evenly
 * over the 48-bit space, every leaf leading to one page; replay-dev=I
 * the edu attached (default: the first assigned one, else edu0);
 * replay-phases=K runs the first K phases only (default all 4; 0: the
 * domain is built and translation on, nothing attached), so that boots
 * with K and K-1 tell phase K's messages apart.
 */
#include "lib/pci.h"
#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/report.h"
#include "lib/test.h"
#include "engine/env.h"
#include "tests/guest/vtd_util.h"
#include "vtd/context.h"
#include "vtd/inv.h"
#include "vtd/pgtable.h"

#define CLUSTER    32u /* leaves per last-level table */
#define SPACE_BITS 48
#define MSI_WINDOW 0xFEE00000ull /* 1 MiB the shadow leaves out */

static unsigned arg_num(const char *key, unsigned dflt)
{
    char v[16];
    unsigned n = 0;

    if (!cmdline_get(plat_cmdline(), key, v, sizeof(v)))
        return dflt;
    for (const char *p = v; *p >= '0' && *p <= '9'; p++)
        n = n * 10 + (unsigned)(*p - '0');
    return n;
}

/* The edu to attach: replay-dev=, else the first assigned one, else 0. */
static unsigned pick_device(void)
{
    const struct env *e = env_get();

    for (unsigned i = 0; i < e->nr_edu; i++)
        if (e->edu_assigned[i])
            return arg_num("replay-dev", i);
    return arg_num("replay-dev", 0);
}

/* Leaf i's IOVA: its cluster's table 2 MiB-aligned, clusters evenly
 * apart in the 48-bit space, none in the interrupt window. */
static uint64_t leaf_iova(unsigned i, unsigned clusters)
{
    uint64_t stride = ((1ull << SPACE_BITS) / clusters) & ~0x1FFFFFull;
    uint64_t base = (uint64_t)(i / CLUSTER) * stride;

    if (base >= MSI_WINDOW && base < MSI_WINDOW + 0x200000)
        base += 0x200000;
    return base + (uint64_t)(i % CLUSTER) * VTD_PAGE_SIZE;
}

static unsigned dev_index(const struct edu *e)
{
    return (unsigned)(e - env_get()->edu);
}

static uint64_t ms_since(uint64_t t0)
{
    return (plat_now_ns() - t0) / 1000000;
}

static unsigned phases_left;

/* One phase: the unit's request, timed; false to stop here. */
static bool phase(struct vtd_unit *u, const char *what, int rc, uint64_t t0)
{
    uint64_t ms = ms_since(t0);

    if (!vtu_ok(u, rc, what))
        return false;
    report_info("replay: %s: %lu ms", what, (unsigned long)ms);
    return --phases_left > 0;
}

static bool map_all(struct vtd_domain *d, uint64_t pa, unsigned n)
{
    unsigned clusters = (n + CLUSTER - 1) / CLUSTER;
    uint64_t t0 = plat_now_ns();

    for (unsigned i = 0; i < n; i++) {
        int rc = vtd_map(d, leaf_iova(i, clusters), pa, VTD_PAGE_SIZE,
                         VTD_PERM_R, VTD_SIZE_4K);

        if (!vtu_ok(d->u, rc, "map"))
            return false;
    }
    report_info("replay: %u leaves in %u table pages, mapped by the guest "
                "in %lu ms",
                n, d->tables, (unsigned long)ms_since(t0));
    return true;
}

static void run(struct vtd_unit *u, struct vtd_rt *rt, struct vtd_domain *d,
                struct edu *e, uint64_t pa, unsigned n)
{
    struct vtd_iotlb_req dsi = { .gran = VTD_GRAN_DOMAIN, .did = d->did };
    uint64_t last = leaf_iova(n - 1, (n + CLUSTER - 1) / CLUSTER), t0;
    unsigned actual;
    bool more;

    if (!map_all(d, pa, n) || !vtu_ok(u, vtd_rt_install(rt), "root table") ||
        !vtu_ok(u, vtd_inv_all(u), "invalidate all") ||
        !report(vtd_translation_enable(u) == VTD_OK,
                "translation on, "
                "%u leaves mapped, the device not attached",
                n) ||
        !phases_left)
        return;
    t0 = plat_now_ns();
    if (!vtu_ok(u, vtd_ctx_attach(rt, e->sid, d), "attach"))
        return;
    more = phase(u,
                 "attach (context entry, device-selective context "
                 "invalidation)",
                 vtd_cc_inv(u, VTD_GRAN_DEVICE, d->did, e->sid, 0, &actual),
                 t0);
    /* The shadow holds the whole domain: the last leaf is there (for
     * an assigned device, a blocked read is Received Master Abort). */
    if (env_get()->edu_assigned[dev_index(e)])
        pci_status_take(e->pci, PCI_STS_RMA);
    report(vtu_dma(e, EDU_RAM_TO_DEV, last, 0, 64) &&
               !(env_get()->edu_assigned[dev_index(e)] &&
                 pci_status_take(e->pci, PCI_STS_RMA)),
           "a DMA through the last leaf (0x%lx) performed",
           (unsigned long)last);
    vtu_expect_no_fault(u, "the DMA through the last leaf");
    t0 = plat_now_ns();
    if (!more || !phase(u,
                        "domain-selective IOTLB invalidation, nothing "
                        "changed",
                        vtd_iotlb_inv(u, &dsi, &actual), t0))
        return;
    t0 = plat_now_ns();
    if (!phase(u, "global context invalidation",
               vtd_cc_inv(u, VTD_GRAN_GLOBAL, 0, 0, 0, &actual), t0))
        return;
    t0 = plat_now_ns();
    if (!vtu_ok(u, vtd_ctx_clear(rt, e->sid), "detach"))
        return;
    phase(u,
          "detach (context entry cleared, device-selective context "
          "invalidation)",
          vtd_cc_inv(u, VTD_GRAN_DEVICE, d->did, e->sid, 0, &actual), t0);
}

TEST(bench_replay, "bench-replay",
     "replay of a large domain into a device's "
     "shadow: attach, sync, global invalidation, detach",
     TEST_SELFTEST)
{
    static struct vtd_unit u;
    static struct vtd_rt rt;
    static struct vtd_domain d;
    unsigned n = arg_num("replay-maps", 1000), dev = pick_device();
    struct edu *e;
    void *page;

    phases_left = arg_num("replay-phases", 4);
    if (!vtu_unit(&u) || !vtu_need_translation(&u))
        return;
    if (!(u.caps.sagaw & (1u << 2))) {
        report_skip("needs 4-level (48-bit) tables", "bench");
        return;
    }
    e = vtu_edu(dev);
    page = plat_alloc_pages(1);
    if (!e || !page || !n) {
        report_skip("needs an edu device, a page and replay-maps above 0",
                    "bench");
        return;
    }
    report_info("replay: edu%u (%s), %u leaves", dev,
                env_get()->edu_assigned[dev] ? "assigned" : "emulated", n);
    if (vtu_ok(&u, vtd_rt_init(&rt, &u), "root table") &&
        vtu_ok(&u, vtd_dom_init(&d, &u, 1, 4), "domain")) {
        run(&u, &rt, &d, e, plat_virt_to_phys(page), n);
        vtu_quiesce(&u);
        vtd_dom_destroy(&d);
    }
    vtd_rt_destroy(&rt);
    plat_free_pages(page, 1);
}
