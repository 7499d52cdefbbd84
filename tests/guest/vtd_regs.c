/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/vtd_regs.c — register protocol: GCMD/GSTS sequencing, RW
 * registers read back what was written, register-based invalidation
 * reports a granularity, and the rule that register-based invalidation is
 * not for use while queued invalidation is on.
 */
#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/report.h"
#include "lib/test.h"
#include "tests/guest/vtd_util.h"
#include "vtd/context.h"
#include "vtd/inv.h"
#include "vtd/qi.h"

/* Write v to a 32-bit RW register under mask, read back, restore. */
static bool rw32(struct vtd_unit *u, uint32_t off, const char *name,
                 uint32_t mask, uint32_t v)
{
    uint32_t old = vtd_read32(u, off), got;

    vtd_write32(u, off, (old & ~mask) | (v & mask));
    got = vtd_read32(u, off);
    vtd_write32(u, off, old);
    return report((got & mask) == (v & mask),
                  "%s reads back 0x%08x "
                  "(mask 0x%08x), got 0x%08x",
                  name, v & mask, mask, got & mask);
}

static bool rw64(struct vtd_unit *u, uint32_t off, const char *name,
                 uint64_t mask, uint64_t v)
{
    uint64_t old = vtd_read64(u, off), got;

    vtd_write64(u, off, (old & ~mask) | (v & mask));
    got = vtd_read64(u, off);
    vtd_write64(u, off, old);
    return report((got & mask) == (v & mask),
                  "%s reads back 0x%016lx, got "
                  "0x%016lx",
                  name, (unsigned long)(v & mask), (unsigned long)(got & mask));
}

static void check_gcmd(struct vtd_unit *u, struct vtd_rt *rt)
{
    uint32_t gsts = vtd_gsts(u);
    unsigned caig, iaig;
    struct vtd_iotlb_req all = { .gran = VTD_GRAN_GLOBAL };
    int rc;

    report_prefix_push("gcmd");
    report(!(gsts & VTD_GCMD_PERSIST & ~VTD_GCMD_CFI),
           "after quiesce TES/QIES/IRES/AFLS clear (GSTS 0x%08x)", gsts);
    report(!(gsts & VTD_GSTS_RSVD), "GSTS reserved bits 22:0 zero (0x%08x)",
           gsts);

    /* 10.4.6: RTADDR is RW; its value takes effect only through SRTP. */
    rw64(u, VTD_RTADDR, "RTADDR", VTD_RTADDR_RTA, rt->root_pa);
    rc = vtd_rt_install(rt);
    report(rc == VTD_OK, "SRTP acknowledged by RTPS (%s%s%s)", vtd_strerror(rc),
           rc ? ": " : "", rc ? vtd_errmsg(u) : "");
    report(vtd_read64(u, VTD_RTADDR) == rt->root_pa,
           "RTADDR holds the root table 0x%lx after SRTP (0x%lx)",
           (unsigned long)rt->root_pa,
           (unsigned long)vtd_read64(u, VTD_RTADDR));

    /* ESRTPS=0: SRTP leaves the caches alone, software invalidates
     * globally before enabling (6.5, 10.4.4). */
    rc = vtd_cc_inv(u, VTD_GRAN_GLOBAL, 0, 0, 0, &caig);
    report(rc == VTD_OK && caig == VTD_GRAN_GLOBAL,
           "global context-cache invalidation: ICC clears, CAIG global "
           "(%s, CAIG %u)",
           vtd_strerror(rc), caig);
    rc = vtd_iotlb_inv(u, &all, &iaig);
    report(rc == VTD_OK && iaig == VTD_GRAN_GLOBAL,
           "global IOTLB invalidation: IVT clears, IAIG global (%s, IAIG %u)",
           vtd_strerror(rc), iaig);

    if (!u->caps.sagaw) {
        report_skip("CAP.SAGAW is 0: no DMA remapping to enable",
                    "TE=1 / TE=0 acknowledged by TES");
        goto wbf;
    }
    rc = vtd_translation_enable(u);
    gsts = vtd_gsts(u);
    report(rc == VTD_OK && (gsts & VTD_GCMD_TE),
           "TE=1 acknowledged by TES (GSTS 0x%08x)", gsts);
    report(!(gsts & (VTD_GCMD_QIE | VTD_GCMD_IRE)),
           "enabling TE leaves QIES/IRES as they were (GSTS 0x%08x)", gsts);
    report(u->gcmd == VTD_GCMD_TE,
           "software copy of the enables is TE only "
           "(0x%08x)",
           u->gcmd);
    rc = vtd_translation_disable(u);
    gsts = vtd_gsts(u);
    report(rc == VTD_OK && !(gsts & VTD_GCMD_TE),
           "TE=0 acknowledged: TES clear (GSTS 0x%08x)", gsts);

wbf:
    if (vtd_has_cap(u, VTD_CAP_RWBF)) {
        rc = vtd_flush_write_buffer(u);
        report(rc == VTD_OK, "WBF: WBFS clears (%s)", vtd_strerror(rc));
    } else {
        report_skip("CAP.RWBF=0: no write-buffer flush", "WBF");
    }

    /* Misuse is refused before it reaches the hardware. */
    report(vtd_gcmd_enable(u, VTD_GCMD_SRTP, true) == VTD_EINVAL,
           "driver refuses a one-shot command as a persistent enable");
    report(vtd_gcmd_enable(u, VTD_GCMD_TE | VTD_GCMD_QIE, true) == VTD_EINVAL,
           "driver refuses two fields in one GCMD write");
    report_prefix_pop();
}

static void check_rw(struct vtd_unit *u)
{
    report_prefix_push("rw");
    rw32(u, VTD_FEDATA, "FEDATA", VTD_xEDATA_IMD, 0x4041);
    rw32(u, VTD_FEADDR, "FEADDR", VTD_xEADDR_MA, 0xFEE01000);
    rw32(u, VTD_FECTL, "FECTL.IM", VTD_xECTL_IM, 0);
    if (vtd_has_ecap(u, VTD_ECAP_EIM)) {
        /* 11.4.7.5: MUA is RW, and units with extended interrupt mode
         * "are required to implement this register". */
        uint32_t old = vtd_read32(u, VTD_FEUADDR), got;

        vtd_write32(u, VTD_FEUADDR, 0x12345678);
        got = vtd_read32(u, VTD_FEUADDR);
        vtd_write32(u, VTD_FEUADDR, old);
        report_xfail(got == 0x12345678,
                     &(struct xfail){
                         .range = "qemu",
                         .spec = "11.4.7.5",
                         .why = "QEMU keeps FEUADDR read-only zero (writes "
                                "dropped) also with eim=on" },
                     "FEUADDR reads back 0x12345678, got 0x%08x", got);
    } else
        report_skip("ECAP.EIM=0: FEUADDR not implemented", "FEUADDR");
    if (vtd_has_cap(u, VTD_CAP_PLMR | VTD_CAP_PHMR))
        rw32(u, VTD_PMEN, "PMEN.EPM", VTD_PMEN_EPM, 0);
    else
        report_skip("CAP.PLMR=PHMR=0: no protected memory regions",
                    "PMEN/PLMBASE/PHMBASE");
    if (vtd_has_ecap(u, VTD_ECAP_QI)) {
        /* QIE is off here: IQA and IQT are plain RW registers. */
        uint64_t old = vtd_read64(u, VTD_IQA), got;

        vtd_write64(u, VTD_IQA, 0x7654000ull | 3);
        got = vtd_read64(u, VTD_IQA);
        vtd_write64(u, VTD_IQA, old);
        report(FIELD_GET(VTD_IQA_QS, got) == 3,
               "IQA.QS reads back 3 (IQA "
               "0x%lx)",
               (unsigned long)got);
        /* 11.4.9.3: "Reads of this field return the value that was
         * last programmed to it." */
        report_xfail((got & VTD_IQA_IQA) == 0x7654000ull,
                     &(struct xfail){
                         .range = "qemu",
                         .spec = "11.4.9.3",
                         .why = "QEMU reads IQA's base as the one latched at "
                                "the last QIE enable, not the value written" },
                     "IQA base reads back 0x7654000 with QI off (got 0x%lx)",
                     (unsigned long)(got & VTD_IQA_IQA));
        rw64(u, VTD_IQT, "IQT (QI off)", VTD_IQ_PTR, 0x120);
        vtd_write64(u, VTD_IQT, 0);
        rw32(u, VTD_IEDATA, "IEDATA", VTD_xEDATA_IMD, 0x12344321);
        rw32(u, VTD_IEADDR, "IEADDR", VTD_xEADDR_MA, 0xFEE02000);
        rw32(u, VTD_IECTL, "IECTL.IM", VTD_xECTL_IM, 0);
    } else {
        report_skip("ECAP.QI=0", "IQA/IQT/IEDATA/IEADDR");
    }
    if (vtd_has_ecap(u, VTD_ECAP_IR))
        rw64(u, VTD_IRTA, "IRTA", VTD_IRTA_IRTA | VTD_IRTA_S, 0x9876000ull | 7);
    else
        report_skip("ECAP.IR=0", "IRTA");
    report_prefix_pop();
}

static void check_inv(struct vtd_unit *u)
{
    struct vtd_iotlb_req r = { .gran = VTD_GRAN_DOMAIN, .did = 0x23 };
    uint64_t after;
    unsigned actual;
    int rc;

    report_prefix_push("register invalidation");
    rc = vtd_cc_inv(u, VTD_GRAN_DOMAIN, 0x23, 0, 0, &actual);
    report(rc == VTD_OK && actual >= VTD_GRAN_GLOBAL &&
               actual <= VTD_GRAN_DOMAIN,
           "CC domain-selective: done as domain "
           "or coarser (CAIG %s)",
           vtd_gran_name(actual, false));
    rc = vtd_cc_inv(u, VTD_GRAN_DEVICE, 0x23, 0x0108, 3, &actual);
    report(rc == VTD_OK && actual != VTD_GRAN_NONE,
           "CC device-selective FM=3: performed (CAIG %s)",
           vtd_gran_name(actual, false));
    /* 11.4.6.1: DID is RW. SID and FM are write-only ("the value
     * returned on a read of this field is undefined"): nothing is
     * claimed about what they read. */
    after = vtd_read64(u, VTD_CCMD);
    report(FIELD_GET(VTD_CCMD_DID, after) == 0x23,
           "CCMD.DID reads back "
           "0x23 after completion (0x%lx)",
           (unsigned long)after);
    rc = vtd_cc_inv_raw(u, VTD_CCMD_ICC, &after);
    report(rc == VTD_OK && FIELD_GET(VTD_CCMD_CAIG, after) == VTD_GRAN_NONE,
           "CC with reserved CIRG=00: ignored, CAIG 00 (CCMD 0x%lx)",
           (unsigned long)after);

    rc = vtd_iotlb_inv(u, &r, &actual);
    report(rc == VTD_OK && actual >= VTD_GRAN_GLOBAL &&
               actual <= VTD_GRAN_DOMAIN,
           "IOTLB domain-selective: done as domain "
           "or coarser (IAIG %s)",
           vtd_gran_name(actual, true));
    after = vtd_read64(u, u->iotlb);
    report(FIELD_GET(VTD_IOTLB_DID, after) == 0x23,
           "IOTLB.DID reads back "
           "0x23 after completion (0x%lx)",
           (unsigned long)after);
    if (vtd_has_cap(u, VTD_CAP_PSI)) {
        r = (struct vtd_iotlb_req){ .gran = VTD_GRAN_PAGE,
                                    .did = 0x23,
                                    .addr = 0x40000000,
                                    .am = 9,
                                    .ih = true };
        rc = vtd_iotlb_inv(u, &r, &actual);
        report(rc == VTD_OK && actual != VTD_GRAN_NONE,
               "IOTLB page-selective AM=9 IH=1: performed (IAIG %s)",
               vtd_gran_name(actual, true));
        r.am = u->caps.mamv + 1;
        rc = vtd_iotlb_inv(u, &r, &actual);
        report(rc == VTD_EINVAL, "driver refuses AM %u above MAMV %u", r.am,
               u->caps.mamv);
        /* 10.4.8.1: an AM above MAMV is not performed: IAIG 00. */
        rc = vtd_iotlb_inv_raw(u, vtd_iva_value(&r), vtd_iotlb_value(&r),
                               &after);
        report(rc == VTD_OK &&
                   FIELD_GET(VTD_IOTLB_IAIG, after) == VTD_GRAN_NONE,
               "IOTLB page-selective AM=%u > MAMV: ignored, "
               "IAIG 00 (IOTLB 0x%lx)",
               r.am, (unsigned long)after);
    } else {
        report_skip("CAP.PSI=0", "IOTLB page-selective invalidation");
    }
    /* A range across a 2 MiB boundary needs AM=10 from address 0. */
    rc = vtd_inv_range(u, VTD_IFACE_AUTO, 0x23, 0x1FF000, 0x2000, false,
                       &actual);
    report(rc == VTD_OK && actual != VTD_GRAN_NONE,
           "range invalidation "
           "0x1ff000+0x2000 through the registers: performed (IAIG %s)",
           vtd_gran_name(actual, true));
    rc = vtd_inv_context(u, VTD_IFACE_QI, VTD_GRAN_GLOBAL, 0, 0, 0, &actual);
    report(rc == VTD_EQIOFF,
           "queued invalidation asked for with QI off: "
           "refused (%s)",
           vtd_strerror(rc));
    rc = vtd_iotlb_inv_raw(u, 0, VTD_IOTLB_IVT, &after);
    report(rc == VTD_OK && FIELD_GET(VTD_IOTLB_IAIG, after) == VTD_GRAN_NONE,
           "IOTLB with reserved IIRG=00: ignored, IAIG 00 (IOTLB 0x%lx)",
           (unsigned long)after);
    report_prefix_pop();
}

/* 6.5.2: software must not use register-based invalidation while QI is
 * on. The driver refuses; a deliberate raw request must not hang the
 * caller, whatever the unit does with it. */
static void check_inv_with_qi(struct vtd_unit *u)
{
    struct vtd_qi qi;
    uint64_t after;
    uint64_t saved_timeout = u->timeout_ns;
    unsigned actual;
    int rc;

    report_prefix_push("register invalidation with QI on");
    if (!vtd_has_ecap(u, VTD_ECAP_QI)) {
        report_skip("ECAP.QI=0", "queued invalidation");
        report_prefix_pop();
        return;
    }
    if (!vtu_qi_start(u, &qi, false)) {
        report_prefix_pop();
        return;
    }
    report(vtd_gsts(u) & VTD_GCMD_QIE,
           "QIE=1 acknowledged by QIES (GSTS "
           "0x%08x)",
           vtd_gsts(u));
    rc = vtd_cc_inv(u, VTD_GRAN_GLOBAL, 0, 0, 0, &actual);
    report(rc == VTD_EQION, "driver refuses CCMD while QI is on (%s)",
           vtd_strerror(rc));
    {
        struct vtd_iotlb_req all = { .gran = VTD_GRAN_GLOBAL };

        rc = vtd_iotlb_inv(u, &all, &actual);
        report(rc == VTD_EQION,
               "driver refuses IOTLB invalidation while QI "
               "is on (%s)",
               vtd_strerror(rc));
    }
    u->timeout_ns = 10 * 1000 * 1000;
    rc = vtd_cc_inv_raw(u, vtd_ccmd_value(VTD_GRAN_GLOBAL, 0, 0, 0), &after);
    u->timeout_ns = saved_timeout;
    report(rc == VTD_OK || rc == VTD_ETIMEDOUT,
           "raw CCMD while QI is on: the bounded wait ends (%s, CCMD 0x%lx)",
           vtd_strerror(rc), (unsigned long)after);
    if (rc == VTD_ETIMEDOUT)
        report_info("QEMU leaves ICC set and ignores the request while QI "
                    "is on: %s",
                    vtd_errmsg(u));

    rc = vtd_qi_disable(&qi);
    report(rc == VTD_OK && !(vtd_gsts(u) & VTD_GCMD_QIE),
           "QIE=0 acknowledged (GSTS 0x%08x%s%s)", vtd_gsts(u), rc ? ", " : "",
           rc ? vtd_errmsg(u) : "");
    report(vtd_read64(u, VTD_IQH) == 0, "IQH reset to 0 on disable (0x%lx)",
           (unsigned long)vtd_read64(u, VTD_IQH));
    /* With QI off the register interface works again; a stale ICC from
     * the ignored request is re-issued so it completes. */
    rc = vtd_cc_inv_raw(u, vtd_ccmd_value(VTD_GRAN_GLOBAL, 0, 0, 0), &after);
    report(rc == VTD_OK && !(after & VTD_CCMD_ICC),
           "after QI is off, CCMD completes again (CCMD 0x%lx)",
           (unsigned long)after);
    vtd_qi_destroy(&qi);
    report_prefix_pop();
}

TEST(vtd_regs, "vtd-regs",
     "VT-d register protocol: GCMD/GSTS, RW registers, "
     "register-based invalidation",
     0)
{
    struct vtd_unit u;
    struct vtd_rt rt;

    if (!vtu_unit(&u))
        return;
    vtd_caps_print(&u.caps);
    if (!vtu_ok(&u, vtd_rt_init(&rt, &u), "root table"))
        return;
    check_gcmd(&u, &rt);
    check_rw(&u);
    check_inv(&u);
    check_inv_with_qi(&u);
    vtu_quiesce(&u);
    vtd_rt_destroy(&rt);
}
