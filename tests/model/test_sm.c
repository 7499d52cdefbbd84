/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scalable mode: SM root/context entries, PASID directory and table,
 * second-stage, first-stage and pass-through PASID entries, the SM fault
 * reasons, the PASID cache and PASID-granular invalidation.
 */
#include "tests/model/mtest.h"

#define SID    0x0110 /* 01:02.0, devfn < 128 */
#define SID_UP 0x0188 /* 01:11.0, devfn >= 128 */

struct sm {
    struct mt *t;
    uint64_t ctxt_lo, ctxt_hi, pdir, ptab;
    bool flush; /* flush every cache after a table change (TE off/on) */
};

static void flush(struct sm *s)
{
    if (s->flush) {
        mt_gcmd(s->t, MV_GCMD_TE, 0);
        mt_gcmd(s->t, MV_GCMD_TE, 1);
    }
}

static struct sm setup(enum vtd_cache_policy p, unsigned aw_bits)
{
    struct vtd_config c = mt_default_config();
    struct sm s;

    c.scalable_mode = true;
    c.first_stage = true;
    c.pasid = true;
    c.aw_bits = aw_bits;
    c.cache_policy = p;
    s.t = mt_new(&c);
    mt_set_root(s.t, 1);
    mt_gcmd(s.t, MV_GCMD_TE, 1);
    s.ctxt_lo = mt_page(s.t);
    s.ctxt_hi = mt_page(s.t);
    s.pdir = mt_page(s.t);
    s.ptab = mt_page(s.t);
    mt_w64m(s.t, s.t->root + 16, s.ctxt_lo | 1);
    mt_w64m(s.t, s.t->root + 24, s.ctxt_hi | 1);
    mt_w64m(s.t, s.pdir, s.ptab | 1);
    s.flush = true;
    return s;
}

/* SM context entry: PASIDE + DTE, PDTS=0 (128 directory entries). */
static void sm_ctx(struct sm *s, uint16_t sid, uint64_t w0_extra, uint64_t w1)
{
    uint64_t ct = (sid & 0x80) ? s->ctxt_hi : s->ctxt_lo;
    uint64_t a = ct + (sid & 0x7F) * 32ull;

    mt_w64m(s->t, a + 8, w1);
    mt_w64m(s->t, a, s->pdir | 1 | 1 << 3 | 1 << 2 | w0_extra);
    flush(s);
}

static void pe(struct sm *s, uint32_t pasid, uint64_t w0, uint64_t w1,
               uint64_t w2)
{
    uint64_t a = s->ptab + (pasid & 0x3F) * 64ull;

    mt_w64m(s->t, a + 8, w1);
    mt_w64m(s->t, a + 16, w2);
    mt_w64m(s->t, a, w0);
    flush(s);
}

/* First-stage map of a 4 KiB page in 4-level x86 format. */
static void fs_map(struct mt *t, uint64_t root, uint64_t va, uint64_t pa,
                   uint64_t flags)
{
    uint64_t table = root;

    for (unsigned l = 4; l > 1; l--)
        table = mt_next_table(t, table, va, l, MV_FL_P,
                              MV_FL_P | MV_FL_RW | MV_FL_US);
    mt_w64m(t, table + ((va >> 12) & 0x1FF) * 8, pa | flags | MV_FL_P);
}

static void expect(struct sm *s, struct vtd_xlate x, unsigned reason,
                   const char *what)
{
    TAP_OK(mt_is_fault(x, reason),
           "%s: fault 0x%x (%s), got status %d reason 0x%x", what, reason,
           vtd_model_fault_reason_name(reason), x.status, x.fault_reason);
    mt_clear_faults(s->t);
}

static void test_second_stage(void)
{
    struct sm s = setup(VTD_CACHE_MINIMAL, 48);
    uint64_t slpt = mt_page(s.t);
    struct vtd_xlate x;

    sm_ctx(&s, SID, 0, 0);
    pe(&s, 0, 1 | 2 << 2 | MV_PGTT_SS << 6 | slpt, 9, 0);
    mt_map(s.t, slpt, 4, 0x1000, 0x9000, 12, MV_SL_R | MV_SL_W);
    x = mt_dma(s.t, SID, 0x1234, VTD_ACC_WRITE);
    TAP_OK(mt_is_xlated(x, 0x9234) && x.did == 9, "SS-only via RID_PASID 0");
    mt_w64m(s.t, mt_pte_addr(s.t, slpt, 4, 0x1000, 1),
            0x9000 | MV_SL_R | MV_SL_W | MV_SL_SNP);
    mt_gcmd(s.t, MV_GCMD_TE, 0);
    mt_gcmd(s.t, MV_GCMD_TE, 1);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SS_RSVD,
           "SS leaf SNP without snoop control (Table 47)");
    mt_w64m(s.t, mt_pte_addr(s.t, slpt, 4, 0x1000, 1),
            0x9000 | MV_SL_R | MV_SL_W);
    x = mt_dma(s.t, SID, 0x2000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SS_PERM, "SS not present");
    x = mt_dma(s.t, SID, 1ull << 48, VTD_ACC_READ);
    expect(&s, x, MV_FR_SS_ADDR_BEYOND, "SS address beyond AGAW (SGN.5)");
    /* rev 5.10 Table 30: a partial grant is SGN.6/SGN.7, not SSS.2 */
    mt_w64m(s.t, mt_pte_addr(s.t, slpt, 4, 0x1000, 1), 0x9000 | MV_SL_R);
    mt_gcmd(s.t, MV_GCMD_TE, 0);
    mt_gcmd(s.t, MV_GCMD_TE, 1);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_WRITE);
    expect(&s, x, MV_FR_FS_WRITE, "SS write to a read-only page (SGN.6)");
    mt_w64m(s.t, mt_pte_addr(s.t, slpt, 4, 0x1000, 1), 0x9000 | MV_SL_W);
    mt_gcmd(s.t, MV_GCMD_TE, 0);
    mt_gcmd(s.t, MV_GCMD_TE, 1);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_READ, "SS read of a write-only page (SGN.7)");
    mt_w64m(s.t, mt_pte_addr(s.t, slpt, 4, 0x1000, 2),
            mt_r64m(s.t, mt_pte_addr(s.t, slpt, 4, 0x1000, 2)) & ~MV_SL_W);
    mt_gcmd(s.t, MV_GCMD_TE, 0);
    mt_gcmd(s.t, MV_GCMD_TE, 1);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SS_PERM,
           "SS R at one level, W at the other: nothing granted (SSS.2)");
    mt_w64m(s.t, mt_pte_addr(s.t, slpt, 4, 0x1000, 2),
            mt_r64m(s.t, mt_pte_addr(s.t, slpt, 4, 0x1000, 2)) | MV_SL_W);
    mt_w64m(s.t, mt_pte_addr(s.t, slpt, 4, 0x1000, 1),
            0x9000 | MV_SL_R | MV_SL_TM);
    mt_gcmd(s.t, MV_GCMD_TE, 0);
    mt_gcmd(s.t, MV_GCMD_TE, 1);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SS_RSVD, "SS leaf TM");
    mt_w64m(s.t, mt_pte_addr(s.t, slpt, 4, 0x1000, 1), 0xFEE00000 | MV_SL_R);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_INTR_RANGE, "SS output in interrupt range");
    x = mt_dma_pasid(s.t, SID, 0, 0x1000, VTD_ACC_READ | VTD_ACC_PRIV);
    expect(&s, x, MV_FR_SM_SRE, "supervisor request with SRE=0");
    x = mt_dma_pasid(s.t, SID, 0, 0x1000, VTD_ACC_READ | VTD_ACC_EXEC);
    expect(&s, x, MV_FR_SM_ERE, "execute request");

    /* devfn >= 128 goes through the upper context table */
    mt_w64m(s.t, mt_pte_addr(s.t, slpt, 4, 0x1000, 1), 0xA000 | MV_SL_R);
    sm_ctx(&s, SID_UP, 0, 0);
    x = mt_dma(s.t, SID_UP, 0x1000, VTD_ACC_READ);
    TAP_OK(mt_is_xlated(x, 0xA000), "upper context table (UP/UCTP)");
    mt_free(s.t);
}

static void test_first_stage(void)
{
    struct sm s = setup(VTD_CACHE_MINIMAL, 48);
    uint64_t fspt = mt_page(s.t), a, e;
    struct vtd_xlate x;

    sm_ctx(&s, SID, 0, 0);
    pe(&s, 5, 1 | MV_PGTT_FS << 6, 3, fspt | 1 /* SRE */);
    fs_map(s.t, fspt, 0x7000, 0x20000, 2 | 4);
    fs_map(s.t, fspt, 0x8000, 0x21000, 4);
    fs_map(s.t, fspt, 0x9000, 0x22000, 2);
    x = mt_dma_pasid(s.t, SID, 5, 0x7010, VTD_ACC_WRITE);
    TAP_OK(mt_is_xlated(x, 0x20010) && x.did == 3,
           "FS 4-level walk, user write");
    a = fspt;
    e = mt_r64m(s.t, a);
    TAP_OK(e & BIT64(5), "FS: accessed flag set in the PML4 entry");
    for (int l = 4; l > 1; l--) {
        a = (e & GENMASK64(51, 12)) +
            ((0x7000ull >> (12 + 9 * (l - 2))) & 0x1FF) * 8;
        e = mt_r64m(s.t, a);
    }
    TAP_OK((e & BIT64(5)) && (e & BIT64(6)),
           "FS: leaf accessed and dirty set by a write");
    x = mt_dma_pasid(s.t, SID, 5, 0x8000, VTD_ACC_WRITE);
    expect(&s, x, MV_FR_FS_WRITE, "FS user write to read-only page");
    /* rev 5.10 9.6: bits 134:133 are ignored, not reserved */
    pe(&s, 5, 1 | MV_PGTT_FS << 6, 3, fspt | 1 | BIT64(5) | BIT64(6));
    x = mt_dma_pasid(s.t, SID, 5, 0x7010, VTD_ACC_READ);
    TAP_OK(mt_is_xlated(x, 0x20010),
           "PASID entry bits 134:133 ignored (9.6), got status %d reason "
           "0x%x",
           x.status, x.fault_reason);
    pe(&s, 5, 1 | MV_PGTT_FS << 6, 3, fspt | 1);
    x = mt_dma_pasid(s.t, SID, 5, 0x8000, VTD_ACC_WRITE | VTD_ACC_PRIV);
    TAP_OK(x.status == VTD_XLATE_OK, "FS supervisor write with WPE=0 allowed");
    x = mt_dma_pasid(s.t, SID, 5, 0x9000, VTD_ACC_READ);
    expect(&s, x, MV_FR_FS_US, "FS user read of supervisor page");
    /* a cached first-stage leaf keeps the page's bits, not one access's */
    s.flush = false;
    x = mt_dma_pasid(s.t, SID, 5, 0x9000, VTD_ACC_READ | VTD_ACC_PRIV);
    TAP_OK(x.status == VTD_XLATE_OK, "FS supervisor read of a supervisor page");
    x = mt_dma_pasid(s.t, SID, 5, 0x9000, VTD_ACC_READ);
    expect(&s, x, MV_FR_FS_US,
           "FS user read after a supervisor read (IOTLB hit)");
    x = mt_dma_pasid(s.t, SID, 5, 0x8000, VTD_ACC_READ | VTD_ACC_PRIV);
    TAP_OK(x.status == VTD_XLATE_OK && (x.perm & VTD_ACC_WRITE),
           "FS supervisor read, WPE=0: write permission granted");
    x = mt_dma_pasid(s.t, SID, 5, 0x8000, VTD_ACC_READ);
    TAP_OK(x.status == VTD_XLATE_OK && x.perm == VTD_ACC_READ,
           "FS user read after it (IOTLB hit): read only");
    s.flush = true;
    x = mt_dma_pasid(s.t, SID, 5, 0xA000, VTD_ACC_READ);
    expect(&s, x, MV_FR_FS_P, "FS not present");
    x = mt_dma_pasid(s.t, SID, 5, 0x0000900000000000ull, VTD_ACC_READ);
    expect(&s, x, MV_FR_FS_CANONICAL, "FS non-canonical address");
    x = mt_dma_pasid(s.t, SID, 5, 0xFFFF800000000000ull, VTD_ACC_READ);
    expect(&s, x, MV_FR_FS_P, "FS canonical upper half walks");
    mt_w64m(s.t, fspt, mt_r64m(s.t, fspt) | MV_SL_PS);
    flush(&s);
    x = mt_dma_pasid(s.t, SID, 5, 0x7000, VTD_ACC_READ);
    expect(&s, x, MV_FR_FS_RSVD, "FS PS in PML4E");
    pe(&s, 6, 1 | MV_PGTT_FS << 6, 3, 0x7000000000ull | 1);
    x = mt_dma_pasid(s.t, SID, 6, 0x7000, VTD_ACC_READ);
    expect(&s, x, MV_FR_FS_PTR, "FS table pointer outside RAM");
    pe(&s, 7, 1 | MV_PGTT_FS << 6, 3, fspt | 1 << 2);
    x = mt_dma_pasid(s.t, SID, 7, 0x7000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PE_INV, "FSPM=01 without FL5LP");
    mt_free(s.t);
}

/*
 * A first-stage write through a cached translation whose leaf was read
 * only (D clear), after the leaf moved without an invalidation: the
 * minimal policy walks to set D (3.6.2) and so meets the new page; the
 * maximal one may use the cached translation and set D in the entry it
 * came from, so the stale page is written. Both are allowed until the
 * invalidation (6.5), which is why the differential oracle needs both.
 */
static void test_fs_dirty_cached(void)
{
    static const enum vtd_cache_policy pol[2] = { VTD_CACHE_MINIMAL,
                                                  VTD_CACHE_MAXIMAL };

    for (unsigned i = 0; i < 2; i++) {
        struct sm s = setup(pol[i], 48);
        uint64_t fspt = mt_page(s.t), pte, e;
        struct vtd_xlate x;
        unsigned l;

        sm_ctx(&s, SID, 0, 0);
        pe(&s, 5, 1 | MV_PGTT_FS << 6, 3, fspt);
        fs_map(s.t, fspt, 0x7000, 0x20000, MV_FL_RW | MV_FL_US);
        s.flush = false;
        x = mt_dma_pasid(s.t, SID, 5, 0x7000, VTD_ACC_READ);
        pte = fspt;
        for (l = 4, e = mt_r64m(s.t, pte); l > 1; l--) {
            pte = (e & GENMASK64(51, 12)) +
                  ((0x7000ull >> (12 + 9 * (l - 2))) & 0x1FF) * 8;
            e = mt_r64m(s.t, pte);
        }
        TAP_OK(mt_is_xlated(x, 0x20000) && !(e & MV_FL_D),
               "FS read (%s): translated, leaf D clear",
               i ? "maximal" : "minimal");
        mt_w64m(s.t, pte, (e & ~GENMASK64(51, 12)) | 0x30000);
        x = mt_dma_pasid(s.t, SID, 5, 0x7000, VTD_ACC_WRITE);
        e = mt_r64m(s.t, pte);
        TAP_OK(mt_is_xlated(x, i ? 0x20000 : 0x30000) && (e & MV_FL_D),
               "FS write after the leaf moved, no invalidation (%s): "
               "%s page, D set in the leaf entry",
               i ? "maximal" : "minimal", i ? "the cached" : "the new");
        mt_free(s.t);
    }
}

static void test_sm_faults(void)
{
    struct sm s = setup(VTD_CACHE_MINIMAL, 48);
    uint64_t slpt = mt_page(s.t);
    struct vtd_xlate x;
    struct vtd_request r = { .sid = SID,
                             .addr = 0x1000,
                             .access = VTD_ACC_READ,
                             .at = VTD_AT_TRANSLATION_REQ };

    x = mt_dma(s.t, 0x0210, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_ROOT_P, "SM root entry not present");
    mt_w64m(s.t, s.t->root + 32, mt_page(s.t) | 1 | 2);
    x = mt_dma(s.t, 0x0210, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_ROOT_RSVD, "SM root reserved bit 1");
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_CTX_P, "SM context not present");
    sm_ctx(&s, SID, 1 << 5, 0);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_CTX_RSVD, "SM context reserved bit 5");
    sm_ctx(&s, SID, 0, 0);
    mt_w64m(s.t, s.ctxt_lo + (SID & 0x7F) * 32 + 16, 1);
    flush(&s);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_CTX_RSVD, "SM context reserved bit 128");
    mt_w64m(s.t, s.ctxt_lo + (SID & 0x7F) * 32 + 16, 0);
    sm_ctx(&s, SID, 1 << 4, 0);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_CTX_INV, "PRE without page requests");
    mt_w64m(s.t, s.ctxt_lo + (SID & 0x7F) * 32, s.pdir | 1);
    flush(&s);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PASIDE, "request with PASID and PASIDE=0");
    vtd_translate(s.t->m, &r, &x);
    expect(&s, x, MV_FR_SM_DTE, "translation request with DTE=0");
    sm_ctx(&s, SID, 0, 0);
    x = mt_dma_pasid(s.t, SID, 128 << 6, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PASID_SIZE, "PASID beyond PDTS");
    /* PDTS 0: 128 directory entries, PASIDs below 8192 */
    sm_ctx(&s, SID, 0, 128 << 6);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_CTX_INV, "RID_PASID beyond PDTS (SCT.4.2)");
    sm_ctx(&s, SID, 0, 0);
    x = mt_dma_pasid(s.t, SID, 1 << 6, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PDIR_P, "PASID directory entry not present");
    mt_w64m(s.t, s.pdir + 16, mt_page(s.t) | 1 | 4);
    x = mt_dma_pasid(s.t, SID, 2 << 6, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PDIR_RSVD, "PASID directory reserved bit 2");
    mt_w64m(s.t, s.pdir + 24, 0x7000000000ull | 1);
    x = mt_dma_pasid(s.t, SID, 3 << 6, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PE_ACCESS, "PASID table outside RAM");
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PE_P, "PASID entry not present");
    pe(&s, 1, 1 | 2 << 2 | MV_PGTT_SS << 6 | slpt | 1 << 10, 1, 0);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PE_RSVD, "PASID entry reserved bit 10");
    pe(&s, 1, 1 | 2 << 2 | MV_PGTT_SS << 6 | slpt, 1, 0);
    mt_w64m(s.t, s.ptab + 64 + 40, 1);
    flush(&s);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PE_RSVD, "PASID entry reserved bit 320");
    mt_w64m(s.t, s.ptab + 64 + 40, 0);
    pe(&s, 1, 1 | 2 << 2 | MV_PGTT_NESTED << 6 | slpt, 1, 0);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PE_INV, "PGTT nested unsupported");
    pe(&s, 1, 1 | 3 << 2 | MV_PGTT_SS << 6 | slpt, 1, 0);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PE_INV, "SS AW not in SAGAW");
    pe(&s, 1, 1 | MV_PGTT_PT << 6, 1, 0);
    x = mt_dma_pasid(s.t, SID, 1, 0x123456, VTD_ACC_WRITE);
    TAP_OK(mt_is_xlated(x, 0x123456), "PGTT pass-through");
    /* FPD in the PASID entry suppresses qualified faults */
    pe(&s, 1, 1 | 2 | 2 << 2 | MV_PGTT_SS << 6 | slpt, 1, 0);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    TAP_OK(x.status == VTD_XLATE_FAULT && !x.fault_recorded,
           "PASID entry FPD suppresses 0x79");
    /* 9.5, 9.6: FPD is evaluated irrespective of P */
    pe(&s, 1, 2, 1, 0);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    TAP_OK(x.status == VTD_XLATE_FAULT && x.fault_reason == MV_FR_SM_PE_P &&
               !x.fault_recorded,
           "FPD of a not-present PASID entry suppresses 0x59");
    mt_w64m(s.t, s.pdir + 16, 2);
    flush(&s);
    x = mt_dma_pasid(s.t, SID, 2 << 6, 0x1000, VTD_ACC_READ);
    TAP_OK(x.status == VTD_XLATE_FAULT && x.fault_reason == MV_FR_SM_PDIR_P &&
               !x.fault_recorded,
           "FPD of a not-present PASID directory entry suppresses 0x51");
    /* PASID request recorded with PP/PV */
    pe(&s, 1, 1 | 2 << 2 | MV_PGTT_SS << 6 | slpt, 1, 0);
    mt_clear_faults(s.t);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    {
        unsigned fri = (mt_r32(s.t, MV_REG_FSTS) >> 8) & 0xFF;
        uint64_t hi = mt_take_fault(s.t, fri, NULL);

        TAP_OK((hi & MV_FRCD_HI_PP) && ((hi >> 40) & 0xFFFFF) == 1 &&
                   mt_fr(hi) == MV_FR_SS_PERM,
               "FRCD PP=1, PV=PASID for a PASID request");
    }
    mt_free(s.t);

    {
        struct vtd_config c = mt_default_config();
        struct mt *t;

        c.scalable_mode = true;
        t = mt_new(&c);
        mt_enable(t);
        x = mt_dma_pasid(t, SID, 1, 0x1000, VTD_ACC_READ);
        TAP_OK(x.fault_reason == MV_FR_SM_LEGACY_PASID,
               "legacy TTM with PASID: 0x31");
        mt_w64(t, MV_REG_RTADDR, t->root | 2 << 10);
        mt_gcmd(t, MV_GCMD_SRTP, 1);
        x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
        TAP_OK(x.fault_reason == MV_FR_SM_RTA, "TTM=10: 0x30");
        mt_free(t);
    }
}

static void test_pasid_cache(void)
{
    struct sm s = setup(VTD_CACHE_MAXIMAL, 48);
    uint64_t slpt = mt_page(s.t), slpt2 = mt_page(s.t);
    struct vtd_xlate x;

    mt_qi_enable(s.t, 1);
    sm_ctx(&s, SID, 0, 0);
    pe(&s, 1, 1 | 2 << 2 | MV_PGTT_SS << 6 | slpt, 4, 0);
    s.flush = false;
    mt_map(s.t, slpt, 4, 0x1000, 0x9000, 12, MV_SL_R | MV_SL_W);
    mt_map(s.t, slpt2, 4, 0x1000, 0xB000, 12, MV_SL_R | MV_SL_W);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    TAP_EQ_U64(x.addr, 0x9000, "PASID 1 translated");
    pe(&s, 1, 1 | 2 << 2 | MV_PGTT_SS << 6 | slpt2, 4, 0);
    mt_qi_sync(s.t, MV_QI_IOTLB | 2 << 4 | 4 << 16, 0);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    TAP_EQ_U64(x.addr, 0x9000,
               "maximal: PASID entry cached until PASID-cache invalidation");
    mt_qi_sync(s.t, MV_QI_PC | 1 << 4 | 4 << 16 | 2ull << 32, 0);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    TAP_EQ_U64(x.addr, 0x9000,
               "PASID-cache invalidation of another PASID leaves it");
    mt_qi_sync(s.t, MV_QI_PC | 1 << 4 | 4 << 16 | 1ull << 32, 0);
    mt_qi_sync(s.t, MV_QI_PIOTLB | 2 << 4 | 4 << 16 | 1ull << 32, 0);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    TAP_EQ_U64(x.addr, 0xB000, "PASID-selective PC + P-IOTLB: new table used");
    mt_w64m(s.t, mt_pte_addr(s.t, slpt2, 4, 0x1000, 1), 0xC000 | MV_SL_R);
    mt_qi_sync(s.t, MV_QI_PIOTLB | 3 << 4 | 4 << 16 | 2ull << 32, 0x1000);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    TAP_EQ_U64(x.addr, 0xB000, "P-IOTLB PSI for another PASID leaves it");
    mt_qi_sync(s.t, MV_QI_PIOTLB | 3 << 4 | 4 << 16 | 1ull << 32, 0x1000);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    TAP_EQ_U64(x.addr, 0xC000, "P-IOTLB PSI for the PASID");
    mt_free(s.t);
}

/* Table-access errors: pointers that leave guest RAM, at every SM level. */
static void test_sm_access_errors(void)
{
    struct sm s = setup(VTD_CACHE_MINIMAL, 48);
    uint64_t slpt = mt_page(s.t), fspt = mt_page(s.t);
    struct vtd_xlate x;

    sm_ctx(&s, SID, 0, 0);
    mt_w64m(s.t, s.t->root + 32, 0x7000000000ull | 1);
    x = mt_dma(s.t, 0x0210, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_CTX_ACCESS, "SM context table outside RAM");
    pe(&s, 0, 1 | 2 << 2 | MV_PGTT_SS << 6 | 0x7000000000ull, 1, 0);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SS_PTR, "SS table pointer outside RAM");
    pe(&s, 0, 1 | 2 << 2 | MV_PGTT_SS << 6 | slpt, 1, 0);
    mt_w64m(s.t, slpt, 0x7000000000ull | 3);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SS_ACCESS, "SS next-level table outside RAM");
    pe(&s, 1, 1 | MV_PGTT_FS << 6, 1, fspt);
    mt_w64m(s.t, fspt, 0x7000000000ull | 7);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_FS_ACCESS, "FS next-level table outside RAM");
    mt_w64m(s.t, s.pdir, 0x7000000000ull | 1);
    flush(&s);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PE_ACCESS, "PASID table outside RAM (directory 0)");
    mt_w64m(s.t, s.ctxt_lo + (SID & 0x7F) * 32,
            0x7000000000ull | 1 | 1 << 3 | 1 << 2);
    flush(&s);
    x = mt_dma_pasid(s.t, SID, 1, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_PDIR_ACCESS, "PASID directory outside RAM");
    mt_w64(s.t, MV_REG_RTADDR, 0x7000000000ull | 1 << 10);
    mt_gcmd(s.t, MV_GCMD_SRTP, 1);
    x = mt_dma(s.t, SID, 0x1000, VTD_ACC_READ);
    expect(&s, x, MV_FR_SM_ROOT_ACCESS, "SM root table outside RAM");
    mt_free(s.t);
}

static void test_five_level(void)
{
    struct sm s = setup(VTD_CACHE_MINIMAL, 57);
    uint64_t slpt = mt_page(s.t), iova = 0x0100000000000000ull;
    struct vtd_xlate x;

    sm_ctx(&s, SID, 0, 0);
    pe(&s, 0, 1 | 3 << 2 | MV_PGTT_SS << 6 | slpt, 2, 0);
    mt_map(s.t, slpt, 5, iova, 0x5000, 12, MV_SL_R);
    x = mt_dma(s.t, SID, iova | 0x10, VTD_ACC_READ);
    TAP_OK(mt_is_xlated(x, 0x5010), "SS 5-level walk at bit 56");
    TAP_OK(vtd_model_cap(s.t->m) & MV_CAP_FL5LP,
           "CAP.FL5LP with aw 57 and first stage");
    {
        uint64_t fspt = mt_page(s.t), table = fspt;
        uint64_t va = 0xFF00000000401000ull; /* canonical for 57 bits */

        for (unsigned l = 5; l > 1; l--) {
            uint64_t a = table + ((va >> (12 + 9 * (l - 1))) & 0x1FF) * 8;
            uint64_t next = mt_page(s.t);

            mt_w64m(s.t, a, next | 7);
            table = next;
        }
        mt_w64m(s.t, table + ((va >> 12) & 0x1FF) * 8, 0x6000 | 7);
        pe(&s, 3, 1 | MV_PGTT_FS << 6, 2, fspt | 1 << 2); /* FSPM=01 */
        x = mt_dma_pasid(s.t, SID, 3, va | 0x20, VTD_ACC_WRITE);
        TAP_OK(mt_is_xlated(x, 0x6020), "FS 5-level walk");
        x = mt_dma_pasid(s.t, SID, 3, 0x0100000000000000ull, VTD_ACC_READ);
        expect(&s, x, MV_FR_FS_CANONICAL,
               "FS 5-level: bit 56 set, 63:57 clear is non-canonical");
    }
    mt_free(s.t);
}

/* §11.4.6.1, §11.4.6.3: outside legacy mode (RTADDR.TTM != 00b) the
 * registers ignore the request and report CAIG/IAIG = 00b. */
static void test_register_inval(void)
{
    struct sm s = setup(VTD_CACHE_MINIMAL, 48);
    uint64_t iva = mt_iva_off(s.t);
    uint64_t v;

    mt_w64(s.t, MV_REG_CCMD, MV_CCMD_ICC | 1ull << 61);
    v = mt_r64(s.t, MV_REG_CCMD);
    TAP_OK(!(v & MV_CCMD_ICC) && !((v >> 59) & 3),
           "scalable mode: CCMD global ignored, CAIG=00, ICC cleared");
    mt_w64(s.t, iva + 8, MV_IOTLB_IVT | 1ull << 60);
    v = mt_r64(s.t, iva + 8);
    TAP_OK(!(v & MV_IOTLB_IVT) && !((v >> 57) & 3),
           "scalable mode: IOTLB global ignored, IAIG=00, IVT cleared");
    mt_set_root(s.t, MV_TTM_LEGACY);
    mt_w64(s.t, MV_REG_CCMD, MV_CCMD_ICC | 1ull << 61);
    TAP_EQ_U64((mt_r64(s.t, MV_REG_CCMD) >> 59) & 3, 1,
               "the same unit in legacy mode: CAIG=01");
    mt_free(s.t);
}

int main(void)
{
    test_second_stage();
    test_first_stage();
    test_fs_dirty_cached();
    test_sm_faults();
    test_pasid_cache();
    test_sm_access_errors();
    test_five_level();
    test_register_inval();
    return tap_done();
}
