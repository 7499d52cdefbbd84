/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/vtd_sm.c — the scalable-mode structures of vtd/sm.c and the
 * first-stage tables of vtd/pgtable.c, in software (no DMA: the scripts of
 * tests/scenarios/sm-*.vtd do that).
 *
 * vtd-sm: PASID-table entry words for each PGTT (9.6), the PASID-cache,
 * P_IOTLB and P_DEVTLB descriptors (6.5.2.2-6.5.2.6), the scalable-mode
 * root and context entries of a lower and an upper devfn (9.2, 9.4), what
 * the driver refuses for the unit it has (PGTT without the capability,
 * RID_PASID without ECAP.RPS), first-stage entries (9.7), and register-
 * based invalidation refused while TTM=01 is latched (6.5.1).
 */
#include <string.h>

#include "lib/report.h"
#include "lib/test.h"
#include "tests/guest/vtd_util.h"
#include "vtd/context.h"
#include "vtd/inv.h"
#include "vtd/pgtable.h"
#include "vtd/qi.h"
#include "vtd/sm.h"

static void entry_words(void)
{
    struct vtd_pasid_cfg c = { .pgtt = VTD_PGTT_SS,
                               .did = 0x1234,
                               .aw = VTD_AW_48,
                               .ssptptr = 0x5000,
                               .fsptptr = 0x9000 };
    struct vtd_pasid_entry e;

    report_prefix_push("pasid-entry");
    vtd_pasid_entry_build(&c, &e);
    report(e.qw[0] == (0x5000 | VTD_PGTT_SS << 6 | VTD_AW_48 << 2 | 1) &&
               e.qw[1] == 0x1234 && !e.qw[2],
           "second stage: SSPTPTR, PGTT 010b, AW, P; DID; no first-stage "
           "field (0x%lx 0x%lx 0x%lx)",
           (unsigned long)e.qw[0], (unsigned long)e.qw[1],
           (unsigned long)e.qw[2]);
    c.pgtt = VTD_PGTT_FS;
    c.aw = 0;
    c.fspm = VTD_FSPM_5LEVEL;
    c.sre = c.wpe = true;
    vtd_pasid_entry_build(&c, &e);
    report(e.qw[0] == (VTD_PGTT_FS << 6 | 1) &&
               e.qw[2] == (0x9000 | 1u << 4 | 1u << 2 | 1),
           "first stage: PGTT 001b, no SSPTPTR; FSPTPTR, WPE (132), FSPM "
           "(131:130), SRE (128) (0x%lx 0x%lx)",
           (unsigned long)e.qw[0], (unsigned long)e.qw[2]);
    c = (struct vtd_pasid_cfg){ .pgtt = VTD_PGTT_PT, .did = 7, .fpd = true };
    vtd_pasid_entry_build(&c, &e);
    report(e.qw[0] == (VTD_PGTT_PT << 6 | 2 | 1) && e.qw[1] == 7 && !e.qw[2] &&
               !e.qw[3] && !e.qw[7],
           "pass-through: PGTT 100b, FPD, P, DID, nothing else (0x%lx)",
           (unsigned long)e.qw[0]);
    report_prefix_pop();
}

/* 6.5.2.2, 6.5.2.4, 6.5.2.6: the PASID-granular descriptors' words. */
static void descriptor_words(void)
{
    struct vtd_desc d = vtd_desc_piotlb(VTD_PIOTLB_PAGE, 0x12, 0x345, 0x200000,
                                        9, true);

    report_prefix_push("descriptors");
    report(d.qw[0] == (0x345ull << 32 | 0x12 << 16 | 3 << 4 | 6) &&
               d.qw[1] == (0x200000 | 1 << 6 | 9) && !d.qw[2] && !d.qw[3],
           "P_IOTLB: PASID 51:32, DID 31:16, G 5:4, type 6; ADDR, IH, AM");
    d = vtd_desc_pc(VTD_PC_PASID, 0x12, 0x345);
    report(d.qw[0] == (0x345ull << 32 | 0x12 << 16 | 1 << 4 | 7) && !d.qw[1],
           "PASID-cache: PASID, DID, G, type 7");
    d = vtd_desc_pdevtlb(0x0108, 0x0123, 5, 0x345, 0x7000, true, true);
    report(d.qw[0] == (0x012ull << 52 | 0x345ull << 32 | 0x0108 << 16 |
                       0x3 << 12 | 5 << 4 | 8) &&
               d.qw[1] == (0x7000 | 1 << 11 | 1),
           "P_DEVTLB: PFSID 63:52 and 15:12, PASID, SID 31:16, MIP 8:4, "
           "type 8; ADDR, S, GI (0x%lx 0x%lx)",
           (unsigned long)d.qw[0], (unsigned long)d.qw[1]);
    report_prefix_pop();
}

static void tables(struct vtd_unit *u)
{
    struct vtd_smt t;
    struct vtd_pasid_cfg c = { .pgtt = VTD_PGTT_PT, .did = 3 };
    const struct vtd_smce *ce;
    const uint64_t *re;
    int rc;

    report_prefix_push("tables");
    if (!vtu_ok(u, vtd_smt_init(&t, u), "scalable-mode root table")) {
        report_prefix_pop();
        return;
    }
    rc = vtd_smt_ctx_setup(&t, 0x0108, false, 0);
    rc = rc ? rc : vtd_smt_ctx_setup(&t, 0x0188, true, 0);
    if (vtu_ok(u, rc, "context entries")) {
        re = vtd_smt_root(&t, 1);
        report((re[0] & VTD_SMRE_P) && (re[1] & VTD_SMRE_P) &&
                   (re[0] & VTD_SMRE_CTP) != (re[1] & VTD_SMRE_CTP),
               "devfn 0x08 and 0x88: the lower and upper halves of bus 1's "
               "root entry, two context tables (0x%lx 0x%lx)",
               (unsigned long)re[0], (unsigned long)re[1]);
        ce = vtd_smt_ctx(&t, 0x0188);
        report(ce &&
                   (ce->qw[0] & (VTD_SMCE_P | VTD_SMCE_FPD)) ==
                       (VTD_SMCE_P | VTD_SMCE_FPD) &&
                   FIELD_GET(VTD_SMCE_PDTS, ce->qw[0]) == VTD_PDIR_PDTS &&
                   !ce->qw[1] && !ce->qw[2] && !ce->qw[3],
               "context entry: P, FPD, PDTS %u, RID_PASID 0 (0x%lx)",
               VTD_PDIR_PDTS, ce ? (unsigned long)ce->qw[0] : 0ul);
    }
    if (vtd_has_ecap(u, VTD_ECAP_PT)) {
        rc = vtd_pasid_set(&t, 0x0108, 70, &c);
        report(rc == VTD_OK && vtd_pasid_entry(&t, 0x0108, 70) &&
                   (*vtd_pdir_entry(&t, 0x0108, 70) & VTD_PDE_P),
               "PASID 70: a second PASID table, its directory entry "
               "present (%s)",
               vtd_strerror(rc));
    }
    if (!vtd_has_ecap(u, VTD_ECAP_NEST)) {
        c.pgtt = VTD_PGTT_NESTED;
        report(vtd_pasid_set(&t, 0x0108, 0, &c) == VTD_ENOTSUP,
               "PGTT nested refused without ECAP.NEST");
    }
    if (!vtd_has_ecap(u, VTD_ECAP_FLTS)) {
        c.pgtt = VTD_PGTT_FS;
        report(vtd_pasid_set(&t, 0x0108, 0, &c) == VTD_ENOTSUP,
               "PGTT first-stage refused without ECAP.FSTS");
    }
    c.pgtt = 5;
    report(vtd_pasid_set(&t, 0x0108, 0, &c) == VTD_EINVAL,
           "PGTT 101b refused (reserved)");
    if (!vtd_has_ecap(u, VTD_ECAP_RPS))
        report(vtd_smt_ctx_setup(&t, 0x0108, false, 5) == VTD_ENOTSUP,
               "RID_PASID 5 refused without ECAP.RPS");
    vtd_smt_destroy(&t);
    report_prefix_pop();
}

static void first_stage(struct vtd_unit *u)
{
    struct vtd_domain d;
    struct vtd_walk w;
    uint64_t v = 0, us_p = VTD_FS_P | VTD_FS_US;
    int rc;

    report_prefix_push("first-stage");
    if (!vtd_has_ecap(u, VTD_ECAP_FLTS)) {
        report(vtd_dom_init_fs(&d, u, 1, 4) == VTD_ENOTSUP,
               "refused without ECAP.FSTS");
        report_prefix_pop();
        return;
    }
    if (!vtu_ok(u, vtd_dom_init_fs(&d, u, 1, 4), "4-level domain")) {
        report_prefix_pop();
        return;
    }
    report(d.width == 47, "the lower canonical half: 47 bits (%u)", d.width);
    rc = vtd_map(&d, 0x7ffffffff000, 0x123000, VTD_PAGE_SIZE, VTD_PERM_RW, 0);
    rc = rc ? rc : vtd_map(&d, 0x1000, 0x124000, VTD_PAGE_SIZE, VTD_PERM_R, 0);
    if (vtu_ok(u, rc, "map")) {
        rc = vtd_lookup(&d, 0x7ffffffff010, &w);
        report(rc == VTD_OK && w.pa == 0x123010 && w.perm == VTD_PERM_RW,
               "walk: pa 0x%lx perm %u", (unsigned long)w.pa, w.perm);
        report(vtd_pte_get(&d, 0x1000, 1, &v) == VTD_OK &&
                   (v & (us_p | VTD_FS_RW)) == us_p,
               "read-only leaf: P and U/S, no R/W (0x%lx)", (unsigned long)v);
        report(vtd_pte_get(&d, 0x1000, 4, &v) == VTD_OK &&
                   (v & (us_p | VTD_FS_RW)) == (us_p | VTD_FS_RW),
               "PML4E: P, R/W, U/S (0x%lx)", (unsigned long)v);
        rc = vtd_protect(&d, 0x1000, VTD_PAGE_SIZE, VTD_PERM_NONE);
        report(rc == VTD_OK && vtd_lookup(&d, 0x1000, &w) == VTD_ENOENT,
               "protect none: the leaf is not present");
    }
    report(vtd_map(&d, 1ull << 47, 0x123000, VTD_PAGE_SIZE, VTD_PERM_R, 0) ==
               VTD_ERANGE,
           "2^47 is beyond the lower canonical half");
    vtd_dom_destroy(&d);
    report_prefix_pop();
}

/* 6.5.1: with TTM=01 latched, CCMD and IOTLB requests are refused. */
static void register_refusal(struct vtd_unit *u)
{
    struct vtd_iotlb_req all = { .gran = VTD_GRAN_GLOBAL };
    struct vtd_smt t;
    struct vtd_rt rt;
    int rc;

    report_prefix_push("ttm");
    if (!vtu_ok(u, vtd_smt_init(&t, u), "scalable-mode root table")) {
        report_prefix_pop();
        return;
    }
    if (vtu_ok(u, vtd_rt_init(&rt, u), "legacy root table")) {
        rc = vtd_smt_install(&t);
        if (vtu_ok(u, rc, "RTADDR with TTM=01")) {
            report(vtd_iotlb_inv(u, &all, NULL) == VTD_ENOTSUP &&
                       vtd_cc_inv(u, VTD_GRAN_GLOBAL, 0, 0, 0, NULL) ==
                           VTD_ENOTSUP,
                   "IOTLB and CCMD refused under TTM=01");
            rc = vtd_rt_install(&rt);
            report(rc == VTD_OK && vtd_iotlb_inv(u, &all, NULL) == VTD_OK,
                   "TTM=00 again: IOTLB invalidation through the register "
                   "(%s)",
                   vtd_strerror(rc));
        }
        vtd_rt_destroy(&rt);
    }
    vtd_smt_destroy(&t);
    report_prefix_pop();
}

TEST(vtd_sm, "vtd-sm",
     "VT-d scalable mode in software: PASID-table entries, scalable-mode "
     "root and context tables, first-stage tables, TTM=01",
     0)
{
    struct vtd_unit u;

    entry_words();
    descriptor_words();
    if (!vtu_unit(&u))
        return;
    if (!vtd_has_ecap(&u, VTD_ECAP_SMTS)) {
        report_skip("no ECAP.SMTS", "scalable-mode tables");
        return;
    }
    tables(&u);
    first_stage(&u);
    register_refusal(&u);
}
