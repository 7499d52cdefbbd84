/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/vtd_qi.c — queued invalidation: enabling, invalidation wait
 * (status write, fence, interrupt flag), every invalidation type of a
 * legacy unit, tail wrap-around, and queue errors: the head stops at the
 * offending descriptor, FSTS.IQE is set, and the queue recovers.
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
#include "vtd/qi.h"

static unsigned head_index(struct vtd_qi *qi)
{
    return (unsigned)(FIELD_GET(VTD_IQ_PTR, vtd_read64(qi->u, VTD_IQH)) >>
                      (qi->dw ? 1 : 0));
}

/* The wait with SW and IF: QEMU aborts on it before 10.0.4. */
static const struct xfail sw_if = {
    .range = "qemu<10.0.4",
    .fix = "e8145dcd31",
    .spec = "6.5.2.9",
    .why = "not run: QEMU aborts on an assertion in vtd_process_wait_desc "
           "when SW and IF are both set; run with vtd-wait-sw-if=1",
};

static void check_waits(struct vtd_qi *qi)
{
    struct vtd_unit *u = qi->u;
    struct vtd_desc d;
    char arg[8];
    int rc;

    report_prefix_push("wait");
    rc = vtd_qi_wait(qi, 0);
    report(rc == VTD_OK, "wait with status write completes (%s)",
           vtd_strerror(rc));
    report(head_index(qi) == qi->tail, "IQH reaches IQT (%u / %u)",
           head_index(qi), qi->tail);
    report(!(vtd_read32(u, VTD_ICS) & VTD_ICS_IWC),
           "no IWC without the interrupt flag (ICS 0x%x)",
           vtd_read32(u, VTD_ICS));
    rc = vtd_qi_wait(qi, VTD_DESC_WAIT_FN);
    report(rc == VTD_OK, "wait with status write and fence completes (%s)",
           vtd_strerror(rc));
    /* SW and IF together are valid (6.5.2.9: the status write "if
     * SW=1", the IWC "if IF=1"), but QEMU before 10.0.4 aborts the whole
     * machine on them: there the check runs only when asked for. */
    if (cmdline_get(plat_cmdline(), "vtd-wait-sw-if", arg, sizeof(arg)) ||
        !report_range_holds(sw_if.range, strlen(sw_if.range))) {
        rc = vtd_qi_wait(qi, VTD_DESC_WAIT_IF);
        report(rc == VTD_OK && (qi->ics & VTD_ICS_IWC),
               "wait with status write and interrupt flag: status written, "
               "ICS.IWC set (%s, ICS 0x%x)",
               vtd_strerror(rc), qi->ics);
        vtd_write32(u, VTD_ICS, VTD_ICS_IWC);
    } else {
        report_xfail(false, &sw_if,
                     "wait with status write and interrupt "
                     "flag");
    }
    /* Interrupt flag alone: no status write, completion shows in ICS. */
    d = vtd_desc_wait(VTD_DESC_WAIT_IF, 0, 0);
    rc = vtd_qi_submit(qi, &d, 1);
    if (rc == VTD_OK)
        rc = vtd_qi_drain(qi);
    report(rc == VTD_OK && (vtd_read32(u, VTD_ICS) & VTD_ICS_IWC),
           "wait with only the interrupt flag: IWC set (%s, ICS 0x%x)",
           vtd_strerror(rc), vtd_read32(u, VTD_ICS));
    vtd_write32(u, VTD_ICS, VTD_ICS_IWC);
    report(!(vtd_read32(u, VTD_ICS) & VTD_ICS_IWC),
           "ICS.IWC is "
           "write-1-to-clear (ICS 0x%x)",
           vtd_read32(u, VTD_ICS));
    report_prefix_pop();
}

static void check_types(struct vtd_qi *qi)
{
    struct vtd_unit *u = qi->u;
    struct vtd_iotlb_req g = { .gran = VTD_GRAN_GLOBAL },
                         dsi = { .gran = VTD_GRAN_DOMAIN, .did = 7 },
                         psi = { .gran = VTD_GRAN_PAGE,
                                 .did = 7,
                                 .addr = 0x200000,
                                 .am = 9,
                                 .ih = true,
                                 .dr = true,
                                 .dw = true };
    struct vtd_desc d[8];
    unsigned n = 0;
    int rc;

    report_prefix_push("descriptors");
    d[n++] = vtd_desc_cc(VTD_GRAN_GLOBAL, 0, 0, 0);
    d[n++] = vtd_desc_cc(VTD_GRAN_DOMAIN, 7, 0, 0);
    d[n++] = vtd_desc_cc(VTD_GRAN_DEVICE, 7, 0x0008, 3);
    d[n++] = vtd_desc_iotlb(&g);
    d[n++] = vtd_desc_iotlb(&dsi);
    if (vtd_has_cap(u, VTD_CAP_PSI))
        d[n++] = vtd_desc_iotlb(&psi);
    if (vtd_has_ecap(u, VTD_ECAP_IR)) {
        d[n++] = vtd_desc_iec(false, 0, 0);
        d[n++] = vtd_desc_iec(true, 16, 4);
    }
    rc = vtd_qi_sync(qi, d, n);
    report(rc == VTD_OK,
           "%u context-cache, IOTLB%s descriptors then a wait "
           "complete (%s%s%s)",
           n, vtd_has_ecap(u, VTD_ECAP_IR) ? " and interrupt-entry-cache" : "",
           vtd_strerror(rc), rc ? ": " : "", rc ? vtd_errmsg(u) : "");
    if (rc)
        vtd_qi_recover(qi);
    rc = vtd_inv_context(u, VTD_IFACE_AUTO, VTD_GRAN_DEVICE, 7, 0x0010, 0,
                         NULL);
    report(rc == VTD_OK,
           "device-selective context invalidation through "
           "the driver's queue path (%s)",
           vtd_strerror(rc));
    rc = vtd_inv_range(u, VTD_IFACE_QI, 7, 0x1FF000, 0x2000, true, NULL);
    report(rc == VTD_OK, "range IOTLB invalidation through the queue (%s)",
           vtd_strerror(rc));
    rc = vtd_inv_iotlb(u, VTD_IFACE_REG, &g, NULL);
    report(rc == VTD_EQION,
           "register interface asked for with QI on: "
           "refused (%s)",
           vtd_strerror(rc));
    if (vtd_has_ecap(u, VTD_ECAP_DT)) {
        d[0] = vtd_desc_devtlb(0x0008, 0, 0, 0x1000, false);
        rc = vtd_qi_sync(qi, d, 1);
        report(rc == VTD_OK, "device-TLB descriptor completes (%s)",
               vtd_strerror(rc));
        if (rc)
            vtd_qi_recover(qi);
    } else {
        report_skip("ECAP.DT=0", "device-TLB invalidation descriptor");
    }
    report_prefix_pop();
}

/* Enough descriptors to go round the queue more than once. */
static void check_wrap(struct vtd_qi *qi)
{
    struct vtd_desc d[16];
    unsigned total = 0, wraps = 0, start = qi->tail;
    int rc = VTD_OK;

    report_prefix_push("wrap-around");
    for (unsigned i = 0; i < 16; i++)
        d[i] = vtd_desc_cc(VTD_GRAN_GLOBAL, 0, 0, 0);
    while (total < qi->nent + qi->nent / 2 && rc == VTD_OK) {
        unsigned before = qi->tail;

        rc = vtd_qi_sync(qi, d, 15);
        total += 16;
        if (qi->tail < before)
            wraps++;
    }
    report(rc == VTD_OK,
           "%u descriptors from slot %u through a %u-entry "
           "queue complete (%s)",
           total, start, qi->nent, vtd_strerror(rc));
    report(wraps >= 1, "the tail wrapped %u time(s), now at %u", wraps,
           qi->tail);
    report(head_index(qi) == qi->tail,
           "IQH follows IQT across the wrap "
           "(%u / %u)",
           head_index(qi), qi->tail);
    report_prefix_pop();
}

/* IQE at the bad descriptor: the head stops on it, the wait behind it is
 * not performed, IQERCD.IQEI says why (or 0, "no information"). */
static void check_iqe_details(struct vtd_qi *qi, struct vtd_desc bad,
                              unsigned bad_index, uint32_t seq, unsigned iqei)
{
    unsigned got = (unsigned)FIELD_GET(VTD_IQERCD_IQEI, qi->err.iqercd);

    vtd_qi_err_print(&qi->err);
    report(qi->err.head == bad_index,
           "IQH stops at the bad descriptor "
           "(index %u, expected %u)",
           qi->err.head, bad_index);
    report(qi->err.desc.qw[0] == bad.qw[0] && qi->err.desc.qw[1] == bad.qw[1],
           "the descriptor at IQH is the one queued");
    report(qi->status[0] != seq, "the wait behind it was not performed");
    /* IQEI 0 means "no information": allowed (11.4.9.9). */
    report(got == 0 || got == iqei, "IQERCD.IQEI is %u or 0, got %u", iqei,
           got);
}

/* One descriptor between good ones, then a wait. An invalid one: IQE,
 * head stops on it, the wait after it is not performed; recovery resumes
 * the queue. A valid one (`valid`: one a unit is known to refuse) must
 * complete, and nothing is claimed about the details of an IQE. */
static void check_error(struct vtd_qi *qi, const char *what,
                        struct vtd_desc bad, unsigned iqei,
                        const struct xfail *xfail, bool valid)
{
    struct vtd_unit *u = qi->u;
    struct vtd_desc d[2];
    unsigned bad_index;
    uint32_t seq;
    int rc;

    report_prefix_push("%s", what);
    d[0] = vtd_desc_cc(VTD_GRAN_GLOBAL, 0, 0, 0);
    d[1] = bad;
    bad_index = (qi->tail + 1) % qi->nent;
    rc = vtd_qi_submit(qi, d, 2);
    seq = qi->seq + 1;
    if (rc == VTD_OK)
        rc = vtd_qi_wait(qi, 0);
    if (valid) {
        if (rc == VTD_EIQE)
            vtd_qi_err_print(&qi->err);
        report_xfail(rc == VTD_OK, xfail, "the wait after it completes (%s)",
                     vtd_strerror(rc));
    } else {
        if (xfail)
            report_xfail(rc == VTD_EIQE, xfail, "wait reports FSTS.IQE (%s)",
                         vtd_strerror(rc));
        else
            report(rc == VTD_EIQE, "wait reports FSTS.IQE (%s)",
                   vtd_strerror(rc));
        if (rc == VTD_EIQE)
            check_iqe_details(qi, bad, bad_index, seq, iqei);
    }
    rc = vtd_qi_recover(qi);
    report(rc == VTD_OK && !(vtd_read32(u, VTD_FSTS) & VTD_FSTS_IQE),
           "recovery: IQE cleared, queue drained (%s)", vtd_strerror(rc));
    rc = vtd_qi_wait(qi, 0);
    report(rc == VTD_OK, "a wait after recovery completes (%s)",
           vtd_strerror(rc));
    report_prefix_pop();
}

/* QEMU's vtd_process_wait_desc takes a wait with none of SW, IF, FN
 * for an unknown type; 57ac646a2e (10.2) let FN alone pass. */
static const struct xfail wait_no_flags = {
    .range = "qemu",
    .spec = "6.5.2.9,6.5.2.11",
    .why = "QEMU reports IQE for a wait descriptor with none of SW, IF, FN",
};

/* A PASID-cache descriptor with the root table in legacy mode (Table
 * 26): QEMU took it in any mode before 9.2; with scalable mode offered
 * (x-scalable-mode) it still took one in a 128-bit queue before 10.2. */
static const struct xfail pc_legacy = {
    .range = "qemu<9.2",
    .fix = "3b52cea829",
    .spec = "6.5.2.11",
    .why = "QEMU takes PASID-cache descriptors in any mode",
};
static const struct xfail pc_legacy_sm = {
    .range = "qemu<10.2",
    .fix = "43b8c43397",
    .spec = "6.5.2.11",
    .why = "QEMU with scalable mode offered takes PASID-cache descriptors "
           "in a 128-bit queue, whatever RTADDR.TTM",
};

static void check_bad_tail(struct vtd_qi *qi)
{
    struct vtd_unit *u = qi->u;
    uint32_t fsts;
    int rc;

    report_prefix_push("tail beyond the queue");
    /* 10.4.23: a tail at or past the end of the queue is an IQE
     * (IQEI 1, invalid tail pointer). */
    vtd_qi_write_tail_raw(qi, (uint64_t)qi->nent * (qi->dw ? 32 : 16));
    fsts = vtd_read32(u, VTD_FSTS);
    report(fsts & VTD_FSTS_IQE,
           "IQT = queue size sets FSTS.IQE (FSTS "
           "0x%08x)",
           fsts);
    {
        unsigned iqei = (unsigned)FIELD_GET(VTD_IQERCD_IQEI,
                                            vtd_read64(u, VTD_IQERCD));

        report(iqei == 0 || iqei == 1, "IQERCD.IQEI is 1 or 0, got %u", iqei);
    }
    rc = vtd_qi_recover(qi);
    report(rc == VTD_OK && !(vtd_read32(u, VTD_FSTS) & VTD_FSTS_IQE),
           "recovery with the software tail (%s)", vtd_strerror(rc));
    rc = vtd_qi_wait(qi, 0);
    report(rc == VTD_OK, "a wait after recovery completes (%s)",
           vtd_strerror(rc));
    report_prefix_pop();
}

/* The queue's invalidations reach the translation caches: a DMA through
 * a mapping, then unmap + page-selective IOTLB descriptor + wait, and the
 * same DMA faults. */
static void check_effect(struct vtd_qi *qi)
{
    struct vtd_unit *u = qi->u;
    struct vtd_rt rt;
    struct vtd_domain d;
    struct vtd_iotlb_req r = { .gran = VTD_GRAN_PAGE, .did = 6 };
    struct vtd_desc desc;
    struct edu *e;
    uint8_t *buf;
    uint64_t iova;
    int rc;

    report_prefix_push("translation");
    if (!u->caps.sagaw) {
        report_skip("CAP.SAGAW is 0", "QI invalidation takes effect on DMA");
        report_prefix_pop();
        return;
    }
    e = vtu_edu(0);
    buf = plat_alloc_pages(1);
    if (!e || !buf) {
        report_prefix_pop();
        return;
    }
    rc = vtd_rt_init(&rt, u);
    rc = rc ? rc
            : vtd_dom_init(&d, u, 6, vtd_aw_levels((unsigned)vtd_aw_max(u)));
    if (!vtu_ok(u, rc, "tables")) {
        report_prefix_pop();
        return;
    }
    iova = (1ull << (d.width - 1)) + 0x3000;
    r.addr = iova;
    if (!vtu_ok(u,
                vtd_map(&d, iova, plat_virt_to_phys(buf), VTD_PAGE_SIZE,
                        VTD_PERM_RW, 0),
                "map") ||
        !vtu_ok(u, vtd_ctx_attach(&rt, e->sid, &d), "context") ||
        !vtu_ok(u, vtd_rt_install(&rt), "SRTP") ||
        !vtu_ok(u, vtd_inv_all(u), "global invalidation through the queue") ||
        !vtu_ok(u, vtd_translation_enable(u), "TE"))
        goto out;
    buf[0] = 0x5A;
    if (vtu_dma(e, EDU_DEV_TO_RAM, iova, 0, 16))
        vtu_expect_no_fault(u, "DMA through the mapping");
    vtd_unmap(&d, iova, VTD_PAGE_SIZE);
    desc = vtd_desc_iotlb(&r);
    rc = vtd_qi_sync(qi, &desc, 1);
    if (vtu_ok(u, rc, "PSI descriptor") &&
        vtu_dma(e, EDU_DEV_TO_RAM, iova, 0, 16))
        vtu_expect_fault(u, VTD_FR_WRITE, e->sid, iova, false,
                         "after unmap and a queued PSI");
out:
    vtu_ok(u, vtd_translation_disable(u), "TE=0");
    vtd_dom_destroy(&d);
    vtd_rt_destroy(&rt);
    plat_free_pages(buf, 1);
    report_prefix_pop();
}

/* Which descriptor types a queue takes follows the root table's mode,
 * RTADDR.TTM, not what the unit could do (Table 26, 6.5.2.11): legacy
 * mode takes types 1-5 in a queue of either width, scalable mode types
 * 1-0xA in a 256-bit queue. The scalable-mode root table here is empty
 * and translation stays off: the queue is all that is exercised. */
static void check_dw_modes(struct vtd_qi *qi)
{
    struct vtd_unit *u = qi->u;
    struct vtd_desc d[3];
    void *root;
    int rc;

    /* Legacy mode (the root table of this test, or none: TTM=00). */
    d[0] = vtd_desc_cc(VTD_GRAN_GLOBAL, 0, 0, 0);
    d[1] = vtd_desc_iotlb(&(struct vtd_iotlb_req){ .gran = VTD_GRAN_GLOBAL });
    rc = vtd_qi_sync(qi, d, 2);
    report(rc == VTD_OK,
           "legacy mode: context-cache and IOTLB descriptors "
           "then a wait complete (%s%s%s)",
           vtd_strerror(rc), rc ? ": " : "", rc ? vtd_errmsg(u) : "");
    if (rc)
        vtd_qi_recover(qi);
    check_error(qi, "legacy mode: PASID-cache in a 256-bit queue",
                vtd_desc_pc(3, 0, 0), 3,
                &(struct xfail){
                    .range = "qemu",
                    .spec = "6.5.2.11",
                    .why = "QEMU takes P-IOTLB and PASID-cache descriptors in "
                           "a 256-bit queue whenever scalable mode is "
                           "offered, whatever RTADDR.TTM" },
                false);

    /* Scalable mode: an empty scalable-mode root table. */
    root = plat_alloc_pages(1);
    if (!root) {
        report_error("no page for a scalable-mode root table");
        return;
    }
    rc = vtd_set_root(u, plat_virt_to_phys(root), VTD_TTM_SCALABLE);
    if (vtu_ok(u, rc, "SRTP with RTADDR.TTM=01")) {
        d[0] = vtd_desc_pc(3, 0, 0);
        d[1] = vtd_desc_piotlb(2, 1, 5, 0, 0, false);
        d[2] = vtd_desc_cc(VTD_GRAN_GLOBAL, 0, 0, 0);
        rc = vtd_qi_sync(qi, d, 3);
        report(rc == VTD_OK,
               "scalable mode: PASID-cache, PASID-IOTLB and "
               "context-cache descriptors then a wait complete (%s%s%s)",
               vtd_strerror(rc), rc ? ": " : "", rc ? vtd_errmsg(u) : "");
        if (rc)
            vtd_qi_recover(qi);
    }
    /* Back to legacy mode before the page goes. */
    vtu_ok(u, vtd_set_root(u, 0, VTD_TTM_LEGACY), "SRTP with RTADDR.TTM=00");
    plat_free_pages(root, 1);
}

/* 256-bit descriptors (IQA.DW=1, scalable-mode units only). */
static void check_dw(struct vtd_unit *u)
{
    struct vtd_qi qi;
    uint64_t iqa;
    uint32_t fsts;
    int rc;

    report_prefix_push("256-bit queue");
    if (!vtd_has_ecap(u, VTD_ECAP_SMTS)) {
        report_skip("ECAP.SMTS=0: 256-bit descriptors need scalable mode",
                    "IQA.DW=1");
        report_prefix_pop();
        return;
    }
    if (!vtu_qi_start(u, &qi, true)) {
        report_prefix_pop();
        return;
    }
    /* 11.4.9.3: DW is RW. */
    iqa = vtd_read64(u, VTD_IQA);
    report_xfail(iqa & VTD_IQA_DW,
                 &(struct xfail){
                     .range = "qemu<9.1",
                     .fix = "515457757f",
                     .spec = "11.4.9.3",
                     .why = "QEMU leaves DW out of what an IQA read returns" },
                 "IQA.DW reads back 1 (IQA 0x%lx)", (unsigned long)iqa);
    report(qi.nent == 128, "a one-page queue holds 128 descriptors (%u)",
           qi.nent);
    check_dw_modes(&qi);
    report(vtd_read64(u, VTD_IQT) == (uint64_t)qi.tail * 32,
           "IQT counts 32-byte descriptors (0x%lx for index %u)",
           (unsigned long)vtd_read64(u, VTD_IQT), qi.tail);
    /* 11.4.9.2: with DW=1, IQT bit 4 set is an error (IQE, IQEI 6). */
    vtd_qi_write_tail_raw(&qi, (uint64_t)qi.tail * 32 + 16);
    fsts = vtd_read32(u, VTD_FSTS);
    report_xfail(fsts & VTD_FSTS_IQE,
                 &(struct xfail){
                     .range = "qemu<9.2",
                     .fix = "e70e83f561",
                     .spec = "11.4.9.2",
                     .why = "QEMU ignores such an IQT write instead of "
                            "setting IQE" },
                 "IQT with bit 4 set in a 256-bit queue sets FSTS.IQE "
                 "(FSTS 0x%08x)",
                 fsts);
    rc = vtd_qi_recover(&qi);
    rc = rc ? rc : vtd_qi_wait(&qi, 0);
    report(rc == VTD_OK, "recovery: a wait completes (%s)", vtd_strerror(rc));
    rc = vtd_qi_disable(&qi);
    report(rc == VTD_OK, "QIE=0 acknowledged (%s)", vtd_strerror(rc));
    vtd_qi_destroy(&qi);
    report_prefix_pop();
}

TEST(vtd_qi, "vtd-qi",
     "VT-d queued invalidation: waits, descriptor types, "
     "wrap-around, queue errors and recovery",
     0)
{
    struct vtd_unit u;
    struct vtd_qi qi;
    struct vtd_desc bad;
    int rc;

    if (!vtu_unit(&u))
        return;
    if (!vtd_has_ecap(&u, VTD_ECAP_QI)) {
        report_skip("ECAP.QI=0: no queued invalidation", "queued "
                                                         "invalidation");
        return;
    }
    rc = vtd_qi_init(&qi, &u, 0, false);
    if (!vtu_ok(&u, rc, "QI init"))
        return;
    rc = vtd_qi_enable(&qi);
    report(rc == VTD_OK && (vtd_gsts(&u) & VTD_GCMD_QIE),
           "QIE=1 acknowledged by QIES (GSTS 0x%08x)", vtd_gsts(&u));
    if (rc) {
        vtu_ok(&u, rc, "QI enable");
        vtd_qi_destroy(&qi);
        return;
    }
    report((vtd_read64(&u, VTD_IQA) & VTD_IQA_IQA) == qi.queue_pa,
           "IQA holds the queue base 0x%lx (0x%lx)", (unsigned long)qi.queue_pa,
           (unsigned long)vtd_read64(&u, VTD_IQA));
    report(vtd_read64(&u, VTD_IQH) == 0 && vtd_read64(&u, VTD_IQT) == 0,
           "queue empty after enable: IQH 0x%lx IQT 0x%lx",
           (unsigned long)vtd_read64(&u, VTD_IQH),
           (unsigned long)vtd_read64(&u, VTD_IQT));

    check_waits(&qi);
    check_types(&qi);
    check_wrap(&qi);

    /* 6.5.2.2: reserved bits of an IOTLB descriptor (qw0 63:32). */
    {
        struct vtd_iotlb_req g = { .gran = VTD_GRAN_GLOBAL };

        bad = vtd_desc_iotlb(&g);
        bad.qw[0] |= BIT64(40);
        check_error(&qi, "reserved bit", bad, 4, NULL, false);
    }
    /* Type 0 is not a descriptor. */
    bad = (struct vtd_desc){ { 0 } };
    check_error(&qi, "type 0", bad, 3, NULL, false);
    /* Table 26 (6.5.2.11): in legacy mode (RTADDR.TTM=00, as here) only
     * types 1-5 are valid, whatever ECAP.SMTS says: a PASID-cache
     * descriptor is an invalid type (IQEI 3). */
    bad = vtd_desc_pc(3, 0, 0);
    check_error(&qi, "legacy mode: PASID-cache in a 128-bit queue", bad, 3,
                vtd_has_ecap(&u, VTD_ECAP_SMTS) ? &pc_legacy_sm : &pc_legacy,
                false);
    /* 6.5.2.9: a wait that asks for nothing (no SW, IF or FN) has no
     * reserved field set and no flag is mandatory, and none of the
     * conditions of IQEI (11.4.9.9), "all possible conditions resulting
     * in an Invalidation Queue Error" (6.5.2.11), holds: it completes. */
    bad = vtd_desc_wait(0, 0, 0);
    check_error(&qi, "wait without SW, IF or FN", bad, 0, &wait_no_flags, true);
    check_bad_tail(&qi);
    check_effect(&qi);

    rc = vtd_qi_disable(&qi);
    report(rc == VTD_OK && !(vtd_gsts(&u) & VTD_GCMD_QIE),
           "QIE=0 acknowledged (GSTS 0x%08x%s%s)", vtd_gsts(&u), rc ? ", " : "",
           rc ? vtd_errmsg(&u) : "");
    report(vtd_read64(&u, VTD_IQH) == 0, "IQH reset to 0 on disable (0x%lx)",
           (unsigned long)vtd_read64(&u, VTD_IQH));
    vtd_qi_destroy(&qi);
    check_dw(&u);
    vtu_quiesce(&u);
}
