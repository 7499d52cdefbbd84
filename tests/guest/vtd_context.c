/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/vtd_context.c — root and context entries as the hardware
 * sees them: faults for a missing or malformed root or context entry
 * (reasons 0x1, 0x2, 0x3, 0xA, 0xB), FPD suppressing qualified faults,
 * pass-through, moving a device to another domain after a device-selective
 * context-cache invalidation, and two devices kept apart (with a second
 * edu, preferably behind a root port on another bus).
 */
#include <string.h>

#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/report.h"
#include "lib/test.h"
#include "tests/guest/vtd_util.h"
#include "vtd/context.h"
#include "vtd/inv.h"
#include "vtd/pgtable.h"

struct ctx_rig {
    struct vtd_unit u;
    struct vtd_rt rt;
    struct vtd_domain a, b;
    struct edu *edu;
    uint8_t *src, *dst, *dst2;
    uint64_t src_pa, dst_pa, dst2_pa;
    uint64_t iova; /* dst in domain a, dst2 in domain b */
};

/* 6.5 (table of required invalidations): a changed context entry needs a
 * device-selective context-cache invalidation with the old DID and a
 * domain-selective IOTLB invalidation of that DID. With caching mode the
 * unit may also hold a not-present or erroneous entry, tagged DID 0
 * (vtd-facts 2.1, CM): that tag is invalidated too. */
static bool ctx_changed(struct ctx_rig *t, uint16_t old_did, uint16_t sid)
{
    struct vtd_iotlb_req r = { .gran = VTD_GRAN_DOMAIN, .did = old_did };

    if (vtd_has_cap(&t->u, VTD_CAP_CM) && old_did &&
        !vtu_ok(&t->u, vtd_cc_inv(&t->u, VTD_GRAN_DEVICE, 0, sid, 0, NULL),
                "context-cache invalidation of DID 0"))
        return false;
    return vtu_ok(&t->u,
                  vtd_cc_inv(&t->u, VTD_GRAN_DEVICE, old_did, sid, 0, NULL),
                  "context-cache invalidation") &&
           vtu_ok(&t->u, vtd_iotlb_inv(&t->u, &r, NULL),
                  "IOTLB "
                  "invalidation");
}

static bool all_changed(struct ctx_rig *t)
{
    return vtu_ok(&t->u, vtd_inv_all(&t->u), "global invalidation");
}

/* A DMA write of 64 bytes to iova that must fault with reason. */
static void expect_write_fault(struct ctx_rig *t, struct edu *e, uint64_t iova,
                               unsigned reason, const char *what)
{
    memset(t->dst, 0x5A, 64);
    if (!vtu_dma(e, EDU_DEV_TO_RAM, iova, 0, 64))
        return;
    report(t->dst[0] == 0x5A, "%s: the write does not reach RAM", what);
    vtu_expect_fault(&t->u, reason, e->sid, iova, false, what);
}

static bool expect_arrives(struct ctx_rig *t, struct edu *e, uint64_t iova,
                           uint8_t *where, const char *what)
{
    memset(where, 0x5A, 256);
    if (!vtu_dma(e, EDU_DEV_TO_RAM, iova, 0, 256))
        return false;
    return report(!memcmp(where, t->src, 256), "%s: data arrives", what) &&
           vtu_expect_no_fault(&t->u, what);
}

static void entry_faults(struct ctx_rig *t)
{
    uint16_t sid = t->edu->sid;
    uint8_t bus = (uint8_t)(sid >> 8);
    struct vtd_ctx_entry good = *vtd_ctx_entry(&t->rt, sid);
    struct vtd_root_entry root = *vtd_root_entry(&t->rt, bus);
    int bad_aw = -1;

    /* Context entry not present (P=0). */
    vtd_ctx_clear(&t->rt, sid);
    if (ctx_changed(t, t->a.did, sid))
        expect_write_fault(t, t->edu, t->iova, VTD_FR_CTX_NP,
                           "context entry not present");

    /* Root entry not present. */
    vtd_ctx_set_raw(&t->rt, sid, good.lo, good.hi);
    vtd_root_set_raw(&t->rt, bus, 0, 0);
    if (all_changed(t))
        expect_write_fault(t, t->edu, t->iova, VTD_FR_ROOT_NP,
                           "root entry not present");
    /* Reserved bit 1 in a present root entry (9.1). */
    vtd_root_set_raw(&t->rt, bus, root.lo | BIT64(1), root.hi);
    if (all_changed(t))
        expect_write_fault(t, t->edu, t->iova, VTD_FR_ROOT_RSVD,
                           "reserved bit 1 in the root entry");
    vtd_root_set_raw(&t->rt, bus, root.lo, root.hi);

    /* Reserved translation type 11b (9.3). */
    vtd_ctx_set_raw(&t->rt, sid,
                    (good.lo & ~VTD_CE_TT) | FIELD_PREP(VTD_CE_TT, VTD_TT_RSVD),
                    good.hi);
    if (all_changed(t))
        expect_write_fault(t, t->edu, t->iova, VTD_FR_CTX_INVALID,
                           "context TT=11b (reserved)");
    /* An address width SAGAW does not offer. */
    for (int aw = 0; aw <= 4; aw++)
        if (!(t->u.caps.sagaw & (1u << aw))) {
            bad_aw = aw;
            break;
        }
    vtd_ctx_set_raw(&t->rt, sid, good.lo,
                    (good.hi & ~VTD_CE_AW) | FIELD_PREP(VTD_CE_AW, bad_aw));
    if (ctx_changed(t, t->a.did, sid))
        expect_write_fault(t, t->edu, t->iova, VTD_FR_CTX_INVALID,
                           "context AW not in SAGAW");
    /* TT=01 (device-TLB) without ECAP.DT is an invalid programming too. */
    if (!vtd_has_ecap(&t->u, VTD_ECAP_DT)) {
        vtd_ctx_set_raw(&t->rt, sid,
                        (good.lo & ~VTD_CE_TT) |
                            FIELD_PREP(VTD_CE_TT, VTD_TT_DEVTLB),
                        good.hi);
        if (ctx_changed(t, t->a.did, sid))
            expect_write_fault(t, t->edu, t->iova, VTD_FR_CTX_INVALID,
                               "context TT=01b without ECAP.DT");
    }
    /* Reserved bit 4 of the low word (9.3: 11:4 reserved). */
    vtd_ctx_set_raw(&t->rt, sid, good.lo | BIT64(4), good.hi);
    if (ctx_changed(t, t->a.did, sid))
        expect_write_fault(t, t->edu, t->iova, VTD_FR_CTX_RSVD,
                           "reserved bit 4 in the context entry");

    /* FPD=1: a qualified fault (a write without W) is not recorded. */
    vtd_ctx_set_raw(&t->rt, sid, good.lo | VTD_CE_FPD, good.hi);
    if (ctx_changed(t, t->a.did, sid)) {
        memset(t->dst, 0x5A, 64);
        if (vtu_dma(t->edu, EDU_DEV_TO_RAM, t->iova + VTD_PAGE_SIZE, 0, 64))
            vtu_expect_no_fault(&t->u, "FPD=1: write to an unmapped page");
    }

    vtd_ctx_set_raw(&t->rt, sid, good.lo, good.hi);
    if (ctx_changed(t, t->a.did, sid))
        expect_arrives(t, t->edu, t->iova, t->dst, "context restored");
}

static void passthrough(struct ctx_rig *t)
{
    uint16_t sid = t->edu->sid;
    struct vtd_ctx_entry good = *vtd_ctx_entry(&t->rt, sid);

    if (!vtd_has_ecap(&t->u, VTD_ECAP_PT)) {
        report_skip("ECAP.PT=0: no pass-through", "pass-through context");
        report(vtd_ctx_passthrough(&t->rt, sid, 2) == VTD_ENOTSUP,
               "the driver refuses TT=10b without ECAP.PT");
        return;
    }
    if (!vtu_ok(&t->u, vtd_ctx_passthrough(&t->rt, sid, 2), "pass-through") ||
        !ctx_changed(t, t->a.did, sid))
        return;
    expect_arrives(t, t->edu, t->dst_pa, t->dst,
                   "pass-through: DMA to the "
                   "physical address");
    vtd_ctx_set_raw(&t->rt, sid, good.lo, good.hi);
    ctx_changed(t, 2, sid);
}

static void move_domain(struct ctx_rig *t)
{
    uint16_t sid = t->edu->sid;

    if (!vtu_ok(&t->u, vtd_ctx_attach(&t->rt, sid, &t->b), "attach to b") ||
        !ctx_changed(t, t->a.did, sid))
        return;
    memset(t->dst, 0x5A, 256);
    expect_arrives(t, t->edu, t->iova, t->dst2,
                   "moved to domain b: the same "
                   "IOVA reaches b's page");
    report(t->dst[0] == 0x5A, "and not domain a's page");
}

/* 7.2.1: with every fault recording register full (F=1), a further fault
 * sets PFO and is dropped. Two devices, so no collapsing of faults from
 * one source-id can hide it. */
static void overflow(struct ctx_rig *t, struct edu *other, uint64_t iova_c)
{
    struct vtd_fault_log log;
    unsigned nfr = t->u.caps.nfr;

    if (nfr > 2) {
        report_skip("more than two fault recording registers",
                    "primary fault overflow with two faults");
        return;
    }
    for (unsigned i = 0; i <= nfr; i++) {
        struct edu *e = (i & 1) ? other : t->edu;

        if (!vtu_dma(e, EDU_DEV_TO_RAM, (i & 1) ? t->iova : iova_c, 0, 16))
            return;
    }
    vtd_fault_collect(&t->u, &log);
    for (unsigned i = 0; i < log.n; i++)
        vtd_fault_print(&log.rec[i]);
    report(log.pfo && log.n == nfr,
           "%u faults into %u recording "
           "register(s): PFO set, %u record(s) kept (FSTS 0x%08x)",
           nfr + 1, nfr, log.n, log.fsts);
    report(log.n && log.rec[0].sid == t->edu->sid,
           "the first fault is the "
           "one kept (sid 0x%04x)",
           log.n ? log.rec[0].sid : 0);
    report(!(vtd_read32(&t->u, VTD_FSTS) & (VTD_FSTS_PFO | VTD_FSTS_PPF)),
           "PFO and PPF clear after collecting (FSTS 0x%08x)",
           vtd_read32(&t->u, VTD_FSTS));
}

static void isolation(struct ctx_rig *t)
{
    struct vtd_domain c;
    struct edu *other;
    uint64_t iova_c = t->iova + 0x100000;
    unsigned i = vtu_nr_edu() - 1;

    report_prefix_push("isolation");
    if (vtu_nr_edu() < 2) {
        report_skip("needs a second edu device (configuration multi)",
                    "two devices in two domains");
        report_prefix_pop();
        return;
    }
    other = vtu_edu(i);
    if (!other ||
        !vtu_ok(&t->u, vtd_dom_init(&c, &t->u, 4, t->a.levels), "domain c")) {
        report_prefix_pop();
        return;
    }
    report_info("second device: edu device %u at %02x:%02x.%x, sid 0x%04x", i,
                other->pci->bus, other->pci->dev, other->pci->fn, other->sid);
    /* The other device's buffer must hold the pattern too. */
    if (vtu_ok(&t->u,
               vtd_map(&c, iova_c, t->src_pa, VTD_PAGE_SIZE, VTD_PERM_R, 0),
               "map c source") &&
        vtu_ok(&t->u,
               vtd_map(&c, iova_c + VTD_PAGE_SIZE, t->dst2_pa, VTD_PAGE_SIZE,
                       VTD_PERM_W, 0),
               "map c dest") &&
        vtu_ok(&t->u, vtd_ctx_attach(&t->rt, other->sid, &c), "attach c") &&
        all_changed(t) && vtu_dma(other, EDU_RAM_TO_DEV, iova_c, 0, 4095)) {
        expect_arrives(t, other, iova_c + VTD_PAGE_SIZE, t->dst2,
                       "second device through its own domain");
        /* The first device's IOVA means nothing in domain c, and c's
         * IOVA nothing in the first device's domain b. */
        expect_write_fault(t, other, t->iova, VTD_FR_WRITE,
                           "second device to the first device's IOVA");
        expect_write_fault(t, t->edu, iova_c + VTD_PAGE_SIZE, VTD_FR_WRITE,
                           "first device to the second device's IOVA");
        overflow(t, other, iova_c + VTD_PAGE_SIZE);
    }
    vtd_ctx_clear(&t->rt, other->sid);
    ctx_changed(t, c.did, other->sid);
    vtd_dom_destroy(&c);
    report_prefix_pop();
}

TEST(vtd_context, "vtd-context",
     "VT-d root and context entries: faults, "
     "FPD, pass-through, domain moves, isolation",
     0)
{
    static struct ctx_rig t;
    unsigned levels;
    int rc;

    memset(&t, 0, sizeof(t));
    if (!vtu_dma_unit(&t.u, &t.edu) || !vtu_dma_page(&t.src, &t.src_pa) ||
        !vtu_dma_page(&t.dst, &t.dst_pa) || !vtu_dma_page(&t.dst2, &t.dst2_pa))
        return;
    for (unsigned i = 0; i < VTD_PAGE_SIZE; i++)
        t.src[i] = (uint8_t)(i * 5 + 3);
    levels = vtd_aw_levels((unsigned)vtd_aw_max(&t.u));
    rc = vtd_rt_init(&t.rt, &t.u);
    rc = rc ? rc : vtd_dom_init(&t.a, &t.u, 1, levels);
    rc = rc ? rc : vtd_dom_init(&t.b, &t.u, 3, levels);
    if (!vtu_ok(&t.u, rc, "tables"))
        return;
    t.iova = 0x7654000ull << 8;
    rc = vtd_map(&t.a, t.iova - VTD_PAGE_SIZE, t.src_pa, VTD_PAGE_SIZE,
                 VTD_PERM_R, 0);
    rc = rc ? rc
            : vtd_map(&t.a, t.iova, t.dst_pa, VTD_PAGE_SIZE, VTD_PERM_W, 0);
    rc = rc ? rc
            : vtd_map(&t.b, t.iova, t.dst2_pa, VTD_PAGE_SIZE, VTD_PERM_W, 0);
    rc = rc ? rc : vtd_ctx_attach(&t.rt, t.edu->sid, &t.a);
    rc = rc ? rc : vtd_rt_install(&t.rt);
    rc = rc ? rc : vtd_inv_all(&t.u);
    rc = rc ? rc : vtd_translation_enable(&t.u);
    if (vtu_ok(&t.u, rc, "set-up") &&
        vtu_dma(t.edu, EDU_RAM_TO_DEV, t.iova - VTD_PAGE_SIZE, 0, 4095) &&
        expect_arrives(&t, t.edu, t.iova, t.dst, "domain a")) {
        entry_faults(&t);
        passthrough(&t);
        move_domain(&t);
        isolation(&t);
    }
    vtu_quiesce(&t.u);
    vtd_dom_destroy(&t.a);
    vtd_dom_destroy(&t.b);
    vtd_rt_destroy(&t.rt);
}
