/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Legacy-mode translation: 3/4/5-level walks, page sizes, permission
 * stacking, every legacy fault reason, fault recording (FRCD, FSTS, PFO,
 * FPD) and the fault event.
 */
#include "tests/model/mtest.h"

#define SID 0x0118 /* 01:03.0 */

static struct mt *setup(unsigned aw_bits, bool sc)
{
    struct vtd_config c = mt_default_config();
    struct mt *t;

    c.aw_bits = aw_bits;
    c.snoop_control = sc;
    t = mt_new(&c);
    mt_enable(t);
    return t;
}

static void test_walk_levels(void)
{
    static const struct {
        unsigned aw_bits, aw, levels;
    } v[] = {
        { 39, 1, 3 },
        { 48, 2, 4 },
        { 57, 3, 5 },
    };

    for (size_t i = 0; i < 3; i++) {
        struct mt *t = setup(v[i].aw_bits, false);
        uint64_t slpt = mt_ctx(t, SID, 7, v[i].aw, 0, 0);
        uint64_t hi_iova = (1ull << (v[i].aw_bits - 1)) + 0x5000;
        struct vtd_xlate x;

        mt_map(t, slpt, v[i].levels, 0x5000, 0xA000, 12, MV_SL_R | MV_SL_W);
        mt_map(t, slpt, v[i].levels, hi_iova, 0xB000, 12, MV_SL_R);
        x = mt_dma(t, SID, 0x5123, VTD_ACC_WRITE);
        TAP_OK(mt_is_xlated(x, 0xA123) && x.page_shift == 12 && x.did == 7 &&
                   x.perm == (VTD_ACC_READ | VTD_ACC_WRITE),
               "%u-level walk: 4 KiB page translated (addr 0x%llx)",
               v[i].levels, (unsigned long long)x.addr);
        x = mt_dma(t, SID, hi_iova + 0x10, VTD_ACC_READ);
        TAP_OK(mt_is_xlated(x, 0xB010),
               "%u-level walk: top of the address space", v[i].levels);
        x = mt_dma(t, SID, hi_iova, VTD_ACC_WRITE);
        TAP_OK(mt_is_fault(x, MV_FR_WRITE),
               "%u-level walk: write to read-only page faults 0x5",
               v[i].levels);
        x = mt_dma(t, SID, 1ull << v[i].aw_bits, VTD_ACC_READ);
        TAP_OK(mt_is_fault(x, MV_FR_ADDR_BEYOND),
               "%u-level walk: address 2^%u faults 0x4", v[i].levels,
               v[i].aw_bits);
        mt_free(t);
    }
}

static void test_large_pages(void)
{
    struct mt *t = setup(48, false);
    uint64_t slpt = mt_ctx(t, SID, 1, 2, 0, 0);
    struct vtd_xlate x;

    mt_map(t, slpt, 4, 0x40000000, 0x600000, 21, MV_SL_R | MV_SL_W);
    mt_map(t, slpt, 4, 0x80000000, 0x40000000, 30, MV_SL_R);
    x = mt_dma(t, SID, 0x40123456, VTD_ACC_READ);
    TAP_OK(mt_is_xlated(x, 0x723456) && x.page_shift == 21,
           "2 MiB leaf: offset kept, page_shift 21");
    x = mt_dma(t, SID, 0xBFFFFFFF, VTD_ACC_READ);
    TAP_OK(mt_is_xlated(x, 0x7FFFFFFF) && x.page_shift == 30,
           "1 GiB leaf: last byte");
    /* misaligned large-page address bits are reserved */
    mt_w64m(t, mt_pte_addr(t, slpt, 4, 0x40000000, 2),
            0x601000 | MV_SL_PS | MV_SL_R | MV_SL_W);
    vtd_model_reset(t->m);
    mt_enable(t);
    x = mt_dma(t, SID, 0x40000000, VTD_ACC_READ);
    TAP_OK(mt_is_fault(x, MV_FR_PTE_RSVD),
           "2 MiB leaf with address bit 12 set faults 0xC");
    mt_free(t);

    {
        struct vtd_config c = mt_default_config();

        c.large_pages = false;
        t = mt_legacy_unit(&c, SID, 1, &slpt);
        mt_map(t, slpt, 4, 0x40000000, 0x600000, 21, MV_SL_R | MV_SL_W);
        x = mt_dma(t, SID, 0x40000000, VTD_ACC_READ);
        TAP_OK(mt_is_fault(x, MV_FR_PTE_RSVD), "PS=1 without SLLPS faults 0xC");
        mt_free(t);
    }
}

static void test_perm_stacking(void)
{
    struct mt *t = setup(48, false);
    uint64_t slpt = mt_ctx(t, SID, 1, 2, 0, 0);
    struct vtd_xlate x;

    mt_map(t, slpt, 4, 0x1000, 0x2000, 12, MV_SL_R | MV_SL_W);
    /* top-level entry read-only: writes fail although the leaf allows them */
    mt_w64m(t, slpt, mt_r64m(t, slpt) & ~MV_SL_W);
    x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
    TAP_OK(x.status == VTD_XLATE_OK && x.perm == VTD_ACC_READ,
           "read allowed, effective perm R only");
    vtd_model_reset(t->m);
    mt_enable(t);
    x = mt_dma(t, SID, 0x1000, VTD_ACC_WRITE);
    TAP_OK(mt_is_fault(x, MV_FR_WRITE),
           "write denied by a non-leaf entry faults 0x5");
    mt_w64m(t, slpt, (mt_r64m(t, slpt) & ~MV_SL_R) | MV_SL_W);
    vtd_model_reset(t->m);
    mt_enable(t);
    x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
    TAP_OK(mt_is_fault(x, MV_FR_READ),
           "read denied by a non-leaf entry faults 0x6");
    x = mt_dma(t, SID, 0x7000, VTD_ACC_READ);
    TAP_OK(mt_is_fault(x, MV_FR_READ), "not-present leaf, read: 0x6");
    x = mt_dma(t, SID, 0x7000, VTD_ACC_WRITE);
    TAP_OK(mt_is_fault(x, MV_FR_WRITE), "not-present leaf, write: 0x5");
    mt_free(t);
}

struct rsvd_case {
    const char *name;
    unsigned level; /* entry level to corrupt */
    uint64_t bits;
};

static void test_pte_reserved(void)
{
    static const struct rsvd_case cases[] = {
        { "leaf SNP without snoop control", 1, MV_SL_SNP },
        { "leaf TM without device-TLB", 1, MV_SL_TM },
        { "leaf address bit above HAW", 1, BIT64(50) },
        { "non-leaf SNP", 2, MV_SL_SNP },
        { "PS in an L4 entry", 4, MV_SL_PS },
        { "non-leaf address bit above HAW", 3, BIT64(49) },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vtd_config c = mt_default_config();
        struct mt *t;
        uint64_t slpt, a;
        struct vtd_xlate x;

        c.device_iotlb = false;
        t = mt_legacy_unit(&c, SID, 1, &slpt);
        mt_map(t, slpt, 4, 0x1000, 0x2000, 12, MV_SL_R | MV_SL_W);
        a = mt_pte_addr(t, slpt, 4, 0x1000, cases[i].level);
        mt_w64m(t, a, mt_r64m(t, a) | cases[i].bits);
        x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
        TAP_OK(mt_is_fault(x, MV_FR_PTE_RSVD) && x.fault_recorded,
               "%s faults 0xC (got 0x%x)", cases[i].name, x.fault_reason);
        mt_free(t);
    }
    {
        struct mt *t = setup(48, true);
        uint64_t slpt = mt_ctx(t, SID, 1, 2, 0, 0);
        struct vtd_xlate x;

        mt_map(t, slpt, 4, 0x1000, 0x2000, 12, MV_SL_R | MV_SL_W | MV_SL_SNP);
        x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
        TAP_OK(x.status == VTD_XLATE_OK, "leaf SNP allowed with snoop control");
        mt_free(t);
    }
    {
        struct mt *t = setup(48, false);
        uint64_t slpt = mt_ctx(t, SID, 1, 2, 0, 0);
        struct vtd_xlate x;

        /* ignored bits: A/D, EMT, IPAT, bits 61:52, 63 */
        mt_map(t, slpt, 4, 0x1000, 0x2000, 12,
               MV_SL_R | MV_SL_W | 0x778 | GENMASK64(61, 52) | BIT64(63));
        x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
        TAP_OK(mt_is_xlated(x, 0x2000), "ignored bits of a leaf do not fault");
        mt_free(t);
    }
}

static void expect_fault(struct mt *t, uint16_t sid, uint64_t iova,
                         unsigned acc, unsigned reason, const char *what)
{
    struct vtd_xlate x = mt_dma(t, sid, iova, acc);

    TAP_OK(mt_is_fault(x, reason),
           "%s: fault 0x%x (%s), got status %d reason 0x%x", what, reason,
           vtd_model_fault_reason_name(reason), x.status, x.fault_reason);
    mt_clear_faults(t);
}

static void test_context_faults(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t;
    uint64_t ct;

    c.aw_bits = 39;
    c.did_bits = 8;
    t = mt_new(&c);
    mt_enable(t);
    expect_fault(t, SID, 0, VTD_ACC_READ, MV_FR_ROOT_P, "root not present");
    mt_ctx(t, SID, 1, 1, 0, 0);
    expect_fault(t, SID + 1, 0, VTD_ACC_READ, MV_FR_CTX_P,
                 "context not present");
    ct = mt_r64m(t, t->root + 16) & ~0xFFFull;
    /* TT=11 reserved */
    mt_ctx(t, SID + 2, 1, 1, 3, 0);
    expect_fault(t, SID + 2, 0, VTD_ACC_READ, MV_FR_CTX_INV, "TT=11");
    /* AW=010 (48-bit) not in SAGAW of a 39-bit unit */
    mt_ctx(t, SID + 3, 1, 2, 0, 0);
    expect_fault(t, SID + 3, 0, VTD_ACC_READ, MV_FR_CTX_INV, "AW not in SAGAW");
    mt_ctx(t, SID + 4, 1, 0, 0, 0);
    expect_fault(t, SID + 4, 0, VTD_ACC_READ, MV_FR_CTX_INV,
                 "AW=000 (2-level)");
    /* reserved bits in the context entry */
    mt_ctx(t, SID + 5, 1, 1, 0, 0);
    mt_w64m(t, ct + ((SID + 5) & 0xFF) * 16,
            mt_r64m(t, ct + ((SID + 5) & 0xFF) * 16) | 0x10);
    expect_fault(t, SID + 5, 0, VTD_ACC_READ, MV_FR_CTX_RSVD, "context bit 4");
    mt_ctx(t, SID + 6, 0x100, 1, 0, 0);
    expect_fault(t, SID + 6, 0, VTD_ACC_READ, MV_FR_CTX_RSVD,
                 "DID beyond CAP.ND");
    mt_ctx(t, SID + 7, 1, 1, 0, 0);
    mt_w64m(t, ct + ((SID + 7) & 0xFF) * 16 + 8,
            mt_r64m(t, ct + ((SID + 7) & 0xFF) * 16 + 8) | BIT64(40));
    expect_fault(t, SID + 7, 0, VTD_ACC_READ, MV_FR_CTX_RSVD,
                 "context bit 104");
    /* root entry reserved bits and table pointers beyond RAM */
    mt_w64m(t, t->root + 2 * 16, 0x200000 | 0x2 | 1);
    expect_fault(t, 0x0200, 0, VTD_ACC_READ, MV_FR_ROOT_RSVD, "root bit 1");
    mt_w64m(t, t->root + 3 * 16 + 8, 1);
    mt_w64m(t, t->root + 3 * 16, 0x200000 | 1);
    expect_fault(t, 0x0300, 0, VTD_ACC_READ, MV_FR_ROOT_RSVD, "root bit 64");
    mt_w64m(t, t->root + 4 * 16, 0x7000000000ull | 1);
    expect_fault(t, 0x0400, 0, VTD_ACC_READ, MV_FR_CTX_ACCESS,
                 "context table outside RAM");
    {
        uint64_t slpt = mt_ctx(t, 0x0500, 1, 1, 0, 0x7000000000ull);

        (void)slpt;
        expect_fault(t, 0x0500, 0, VTD_ACC_READ, MV_FR_PTE_ACCESS,
                     "SL table outside RAM");
    }
    {
        uint64_t slpt = mt_ctx(t, 0x0600, 1, 1, 0, 0);

        mt_w64m(t, slpt, 0x7000000000ull | 3);
        expect_fault(t, 0x0600, 0, VTD_ACC_READ, MV_FR_PTE_ACCESS,
                     "next-level table outside RAM");
    }
    /* TT=01 without ECAP.DT, TT=10 without ECAP.PT */
    mt_free(t);

    c = mt_default_config();
    c.device_iotlb = false;
    c.pass_through = false;
    t = mt_new(&c);
    mt_enable(t);
    mt_ctx(t, SID, 1, 2, 1, 0);
    expect_fault(t, SID, 0, VTD_ACC_READ, MV_FR_CTX_INV, "TT=01 without DT");
    mt_ctx(t, SID + 1, 1, 2, 2, 0);
    expect_fault(t, SID + 1, 0, VTD_ACC_READ, MV_FR_CTX_INV,
                 "TT=10 without PT");
    mt_w64(t, MV_REG_RTADDR, 0x7000000000ull);
    mt_gcmd(t, MV_GCMD_SRTP, 1);
    expect_fault(t, SID, 0, VTD_ACC_READ, MV_FR_ROOT_ACCESS,
                 "root table outside RAM");
    mt_free(t);
}

static void test_pt_ats_intr(void)
{
    struct mt *t = setup(48, false);
    uint64_t slpt;
    struct vtd_xlate x;
    struct vtd_request r = { .sid = SID,
                             .addr = 0x5000,
                             .access = VTD_ACC_READ };

    mt_ctx(t, SID, 1, 2, 2, 0);
    x = mt_dma(t, SID, 0x123456789, VTD_ACC_WRITE);
    TAP_OK(mt_is_xlated(x, 0x123456789), "TT=10 pass-through");
    slpt = mt_ctx(t, SID + 1, 2, 2, 0, 0);
    mt_map(t, slpt, 4, 0x5000, 0xFEE00000, 12, MV_SL_R | MV_SL_W);
    r.sid = SID + 1;
    r.at = VTD_AT_TRANSLATION_REQ;
    vtd_translate(t->m, &r, &x);
    TAP_OK(mt_is_fault(x, MV_FR_ATS_BLOCKED),
           "ATS translation request with TT=00 faults 0xD");
    mt_clear_faults(t);
    x = mt_dma(t, SID + 1, 0x5000, VTD_ACC_WRITE);
    TAP_OK(mt_is_fault(x, MV_FR_INTR_RANGE),
           "output in 0xFEEx_xxxx faults 0xE");
    mt_clear_faults(t);
    x = mt_dma(t, SID + 1, 0xFEE00010, VTD_ACC_WRITE);
    TAP_OK(x.status == VTD_XLATE_INTERRUPT,
           "write to 0xFEEx_xxxx is an interrupt request");
    slpt = mt_ctx(t, SID + 2, 3, 2, 1, 0);
    mt_map(t, slpt, 4, 0x5000, 0x9000, 12, MV_SL_R);
    r.sid = SID + 2;
    vtd_translate(t->m, &r, &x);
    TAP_OK(mt_is_xlated(x, 0x9000) && x.perm == VTD_ACC_READ,
           "TT=01: ATS translation request returns the translation");
    r.addr = 0x6000;
    vtd_translate(t->m, &r, &x);
    TAP_OK(
        x.status == VTD_XLATE_OK && x.perm == 0 && !x.fault_recorded &&
            !(mt_r32(t, MV_REG_FSTS) & MV_FSTS_PPF),
        "TT=01: unmapped translation request: no permission, nothing recorded");
    r.at = VTD_AT_TRANSLATED;
    r.addr = 0x77000;
    vtd_translate(t->m, &r, &x);
    TAP_OK(mt_is_xlated(x, 0x77000), "TT=01: translated request passes");
    mt_free(t);
}

/*
 * 3.15: requests without PASID to 0xFEEx_xxxx other than one-DWORD writes
 * (reads, longer writes) are illegal: blocked and reported, whatever the
 * tables map there, with the range's fault reason (0Eh in legacy mode).
 */
static void test_intr_range_illegal(void)
{
    struct mt *t = setup(48, false);
    uint64_t slpt, hi, fi = 0;
    struct vtd_xlate x;
    struct vtd_request r = {
        .sid = SID, .addr = 0xFEE00040, .access = VTD_ACC_WRITE, .len = 64
    };

    slpt = mt_ctx(t, SID, 1, 2, 0, 0);
    mt_map(t, slpt, 4, 0xFEE00000, 0x9000, 12, MV_SL_R | MV_SL_W);
    x = mt_dma(t, SID, 0xFEE00000, VTD_ACC_READ);
    TAP_OK(mt_is_fault(x, MV_FR_INTR_RANGE) && x.fault_recorded,
           "read of 0xFEEx_xxxx mapped read-write: blocked, fault 0xE");
    hi = mt_take_fault(t, 0, &fi);
    TAP_OK((hi & MV_FRCD_HI_F) && mt_fr(hi) == MV_FR_INTR_RANGE &&
               (fi & ~0xFFFull) == 0xFEE00000,
           "the read's record: reason 0xE, the page address");
    mt_clear_faults(t);
    vtd_translate(t->m, &r, &x);
    TAP_OK(mt_is_fault(x, MV_FR_INTR_RANGE),
           "64-byte write to 0xFEEx_xxxx: blocked, fault 0xE");
    mt_clear_faults(t);
    r.len = 4;
    vtd_translate(t->m, &r, &x);
    TAP_OK(x.status == VTD_XLATE_INTERRUPT,
           "aligned DWORD write there: an interrupt request");
    r.addr = 0xFEE00042;
    vtd_translate(t->m, &r, &x);
    TAP_OK(mt_is_fault(x, MV_FR_INTR_RANGE),
           "unaligned 4-byte write there: blocked, fault 0xE");
    mt_clear_faults(t);
    x = mt_dma(t, SID, 0xFEF00000, VTD_ACC_READ);
    TAP_OK(x.status == VTD_XLATE_FAULT && x.fault_reason == MV_FR_READ,
           "a read just past the range is translated as usual");
    mt_clear_faults(t);
    mt_gcmd(t, MV_GCMD_TE, 0);
    x = mt_dma(t, SID, 0xFEE00000, VTD_ACC_READ);
    TAP_OK(mt_is_xlated(x, 0xFEE00000),
           "translation off: the read is not remapped, not reported");
    mt_free(t);
}

static void test_te_off(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t = mt_new(&c);
    struct vtd_xlate x;
    uint64_t slpt;

    /* garbage root table pointer, TE off: no faults, untranslated */
    mt_w64(t, MV_REG_RTADDR, 0x7FFFFFF000ull);
    mt_gcmd(t, MV_GCMD_SRTP, 1);
    x = mt_dma(t, SID, 0x1234, VTD_ACC_WRITE);
    TAP_OK(mt_is_xlated(x, 0x1234) && !mt_r32(t, MV_REG_FSTS),
           "TE off with garbage root: untranslated, no fault");
    mt_enable(t);
    slpt = mt_ctx(t, SID, 1, 2, 0, 0);
    mt_map(t, slpt, 4, 0x1000, 0x8000, 12, MV_SL_R | MV_SL_W);
    x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
    TAP_OK(x.addr == 0x8000, "translated with TE on");
    mt_gcmd(t, MV_GCMD_TE, 0);
    x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
    TAP_OK(mt_is_xlated(x, 0x1000), "TE off: untranslated again");
    mt_gcmd(t, MV_GCMD_TE, 1);
    vtd_model_reset(t->m);
    x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
    TAP_OK(mt_is_xlated(x, 0x1000), "after reset: untranslated");
    mt_free(t);
}

static void test_fault_recording(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t;
    uint64_t hi, fi, ct;
    uint32_t fsts;

    c.nfr = 2;
    t = mt_new(&c);
    mt_enable(t);
    mt_w32(t, MV_REG_FEDATA, 0x4021);
    mt_w32(t, MV_REG_FEADDR, 0xFEE01000);
    mt_w32(t, MV_REG_FECTL, 0);
    mt_ctx(t, SID, 9, 2, 0, 0);
    mt_dma(t, SID, 0x12345678, VTD_ACC_READ);
    fsts = mt_r32(t, MV_REG_FSTS);
    TAP_OK((fsts & MV_FSTS_PPF) && ((fsts >> 8) & 0xFF) == 0, "PPF set, FRI=0");
    TAP_EQ_U64(t->nmsi, 1, "one fault event MSI");
    TAP_OK(t->msi_addr[0] == 0xFEE01000 && t->msi_data[0] == 0x4021,
           "MSI uses FEADDR/FEDATA");
    TAP_EQ_U64(mt_r32(t, MV_REG_FECTL), 0, "IP clear after delivery");
    hi = mt_r64(t, mt_frcd_off(t, 0) + 8);
    fi = mt_r64(t, mt_frcd_off(t, 0));
    TAP_EQ_U64(fi, 0x12345000, "FRCD FI = page address");
    TAP_EQ_U64(hi & 0xFFFF, SID, "FRCD SID");
    TAP_EQ_U64(mt_fr(hi), MV_FR_READ, "FRCD FR");
    TAP_OK((hi & MV_FRCD_HI_T) && (hi & MV_FRCD_HI_F) && !(hi & MV_FRCD_HI_PP),
           "FRCD T=1 (read), F=1, PP=0");
    TAP_EQ_U64(mt_r32(t, mt_frcd_off(t, 0) + 12), hi >> 32, "FRCD dword +12");
    mt_dma(t, SID, 0x2000, VTD_ACC_WRITE);
    TAP_EQ_U64(t->nmsi, 1, "second fault: no new event while PPF set");
    hi = mt_r64(t, mt_frcd_off(t, 1) + 8);
    TAP_OK((hi & MV_FRCD_HI_F) && !(hi & MV_FRCD_HI_T) &&
               mt_fr(hi) == MV_FR_WRITE,
           "FRCD1: write fault, T=0");
    mt_dma(t, SID, 0x3000, VTD_ACC_WRITE);
    TAP_OK(mt_r32(t, MV_REG_FSTS) & MV_FSTS_PFO,
           "third fault with both FRCDs full: PFO");
    mt_take_fault(t, 0, NULL);
    fsts = mt_r32(t, MV_REG_FSTS);
    TAP_OK((fsts & MV_FSTS_PPF) && ((fsts >> 8) & 0xFF) == 1,
           "clear FRCD0: PPF still set, FRI=1");
    mt_dma(t, SID, 0x4000, VTD_ACC_WRITE);
    TAP_OK(!(mt_r64(t, mt_frcd_off(t, 0) + 8) & MV_FRCD_HI_F),
           "PFO set: further faults dropped");
    mt_take_fault(t, 1, NULL);
    TAP_EQ_U64(mt_r32(t, MV_REG_FSTS) & 0xFF, MV_FSTS_PFO,
               "all records clear: PPF 0, PFO stays");
    mt_w32(t, MV_REG_FSTS, MV_FSTS_PFO);
    TAP_EQ_U64(mt_r32(t, MV_REG_FSTS) & 0xFF, 0, "PFO W1C");
    mt_dma(t, SID, 0x5000, VTD_ACC_READ);
    TAP_EQ_U64(t->nmsi, 2, "after clearing: a new event");
    mt_clear_faults(t);

    /* masked: IP held, unmask delivers */
    mt_w32(t, MV_REG_FECTL, MV_ECTL_IM);
    mt_dma(t, SID, 0x5000, VTD_ACC_READ);
    TAP_EQ_U64(mt_r32(t, MV_REG_FECTL), MV_ECTL_IM | MV_ECTL_IP,
               "masked: IP set");
    TAP_EQ_U64(t->nmsi, 2, "masked: no MSI");
    mt_w32(t, MV_REG_FECTL, 0);
    TAP_EQ_U64(t->nmsi, 3, "unmask with IP: MSI sent");
    TAP_EQ_U64(mt_r32(t, MV_REG_FECTL), 0, "unmask: IP cleared");
    mt_clear_faults(t);
    mt_w32(t, MV_REG_FECTL, MV_ECTL_IM);
    mt_dma(t, SID, 0x5000, VTD_ACC_READ);
    mt_clear_faults(t);
    TAP_EQ_U64(mt_r32(t, MV_REG_FECTL), MV_ECTL_IM,
               "clearing all status clears IP");
    mt_w32(t, MV_REG_FECTL, 0);
    TAP_EQ_U64(t->nmsi, 3, "no MSI after IP was cleared by software");

    /* FPD suppresses qualified faults only */
    ct = mt_r64m(t, t->root + (SID >> 8) * 16) & ~0xFFFull;
    mt_w64m(t, ct + (SID & 0xFF) * 16, mt_r64m(t, ct + (SID & 0xFF) * 16) | 2);
    vtd_model_reset(t->m);
    mt_enable(t);
    {
        struct vtd_xlate x = mt_dma(t, SID, 0x5000, VTD_ACC_READ);

        TAP_OK(x.status == VTD_XLATE_FAULT && !x.fault_recorded &&
                   !(mt_r32(t, MV_REG_FSTS) & MV_FSTS_PPF),
               "FPD=1: qualified fault 0x6 not recorded");
        x = mt_dma(t, 0x0700, 0x5000, VTD_ACC_READ);
        TAP_OK(x.fault_reason == MV_FR_ROOT_P && x.fault_recorded,
               "root not present is recorded regardless of FPD");
    }
    mt_free(t);
}

static void test_frcd_ring(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t;
    unsigned fri;

    c.nfr = 4;
    c.eim = true;
    t = mt_new(&c);
    mt_enable(t);
    mt_w32(t, MV_REG_FEADDR, 0xFEE00000);
    mt_w32(t, MV_REG_FEUADDR, 0x12);
    mt_w32(t, MV_REG_FEDATA, 0x31);
    mt_w32(t, MV_REG_FECTL, 0);
    for (unsigned i = 0; i < 3; i++)
        mt_dma(t, 0x0200 + i, 0x1000, VTD_ACC_READ);
    TAP_OK(t->nmsi == 1 && t->msi_addr[0] == 0x12FEE00000ull,
           "fault event MSI carries FEUADDR with EIM");
    TAP_EQ_U64(mt_r32(t, mt_frcd_off(t, 2) + 8), 0x0202, "FRCD2 dword +8: SID");
    TAP_EQ_U64(mt_r32(t, mt_frcd_off(t, 2) + 12) >> 31, 1,
               "FRCD2 dword +12: F");
    for (unsigned i = 0; i < 3; i++)
        mt_take_fault(t, i, NULL);
    mt_dma(t, 0x0300, 0x1000, VTD_ACC_READ);
    mt_dma(t, 0x0301, 0x1000, VTD_ACC_READ);
    fri = (mt_r32(t, MV_REG_FSTS) >> 8) & 0xFF;
    TAP_OK(fri == 3 && (mt_r64(t, mt_frcd_off(t, 3) + 8) & 0xFFFF) == 0x0300 &&
               (mt_r64(t, mt_frcd_off(t, 0) + 8) & 0xFFFF) == 0x0301,
           "records continue round the ring: FRI=3, next in FRCD0");
    TAP_EQ_U64(t->nmsi, 2, "a new event once PPF had cleared");
    mt_take_fault(t, 3, NULL);
    fri = (mt_r32(t, MV_REG_FSTS) >> 8) & 0xFF;
    TAP_OK(fri == 0 && (mt_r32(t, MV_REG_FSTS) & MV_FSTS_PPF),
           "FRI moves to the next pending record");
    mt_free(t);
}

/* QEMU's dma-translation=off: no SAGAW bit, so no context entry can name
 * second-level tables (fault 0x3); pass-through still translates. */
static void test_no_sl_tables(void)
{
    struct vtd_config c = mt_default_config();
    struct vtd_xlate x;
    struct mt *t;

    c.aw_bits = 48;
    c.no_sl_tables = true;
    t = mt_new(&c);
    TAP_EQ_U64((mt_r64(t, MV_REG_CAP) >> 8) & 0x1F, 0,
               "no second-level tables: CAP.SAGAW 0");
    TAP_EQ_U64((mt_r64(t, MV_REG_CAP) >> 16) & 0x3F, 47,
               "no second-level tables: CAP.MGAW still aw-1");
    mt_enable(t);
    mt_ctx(t, SID, 1, 1, 0, 0);
    expect_fault(t, SID, 0x1000, VTD_ACC_READ, MV_FR_CTX_INV,
                 "no second-level tables: AW 39 not in SAGAW");
    mt_ctx(t, SID + 1, 1, 2, 0, 0);
    expect_fault(t, SID + 1, 0x1000, VTD_ACC_READ, MV_FR_CTX_INV,
                 "no second-level tables: AW 48 not in SAGAW");
    mt_ctx(t, SID + 2, 2, 2, 2, 0);
    x = mt_dma(t, SID + 2, 0x4321000, VTD_ACC_WRITE);
    TAP_OK(mt_is_xlated(x, 0x4321000),
           "no second-level tables: pass-through still translates");
    mt_free(t);
}

int main(void)
{
    test_walk_levels();
    test_large_pages();
    test_perm_stacking();
    test_pte_reserved();
    test_context_faults();
    test_pt_ats_intr();
    test_intr_range_illegal();
    test_no_sl_tables();
    test_te_off();
    test_fault_recording();
    test_frcd_ring();
    return tap_done();
}
