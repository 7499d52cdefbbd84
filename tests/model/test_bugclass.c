/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One check per bug class of QEMU's VT-d history (qemu-facts.md) that
 * concerns the device model itself; the upstream commit that fixed it is
 * named in each check. The notifier-layer classes are tested with it.
 */
#include "tests/model/mtest.h"

#define SID 0x0018

static struct mt *legacy(enum vtd_cache_policy p, uint64_t *slpt)
{
    return mt_legacy_policy(p, false, SID, 3, slpt);
}

static void untranslated_after_reset_and_te_off(void)
{
    uint64_t slpt;
    struct mt *t = legacy(VTD_CACHE_MAXIMAL, &slpt);
    struct vtd_xlate x;

    mt_map(t, slpt, 4, 0x1000, 0x5000, 12, MV_SL_R | MV_SL_W);
    x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
    TAP_OK(x.addr == 0x5000, "2cc9ddcceb: translated while enabled");
    mt_gcmd(t, MV_GCMD_TE, 0);
    x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
    TAP_OK(mt_is_xlated(x, 0x1000), "2cc9ddcceb: TE off, untranslated");
    mt_gcmd(t, MV_GCMD_TE, 1);
    vtd_model_reset(t->m);
    x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
    TAP_OK(mt_is_xlated(x, 0x1000), "2cc9ddcceb: after reset, untranslated");
    mt_w64(t, MV_REG_RTADDR, 0xFFFFFFFFF000ull);
    mt_gcmd(t, MV_GCMD_SRTP, 1);
    t->reads = 0;
    x = mt_dma(t, SID, 0x1000, VTD_ACC_WRITE);
    TAP_OK(x.status == VTD_XLATE_OK && !mt_r32(t, MV_REG_FSTS) && t->reads == 0,
           "2a078b1080: TE off, garbage root: no fault, no table read");
    mt_free(t);
}

static void pt_switch_after_invalidation(void)
{
    uint64_t slpt;
    struct mt *t = legacy(VTD_CACHE_MAXIMAL, &slpt);
    struct vtd_xlate x;

    mt_map(t, slpt, 4, 0x1000, 0x5000, 12, MV_SL_R | MV_SL_W);
    mt_dma(t, SID, 0x1000, VTD_ACC_READ);
    mt_ctx(t, SID, 3, 2, 2, 0);
    x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
    TAP_OK(x.addr == 0x5000,
           "c9cf33075a: before invalidation the old context may be used");
    mt_w64(t, MV_REG_CCMD, MV_CCMD_ICC | 3ull << 61 | (uint64_t)SID << 16 | 3);
    mt_w64(t, mt_iva_off(t) + 8, MV_IOTLB_IVT | 2ull << 60 | 3ull << 32);
    x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
    TAP_OK(x.addr == 0x1000, "c9cf33075a: pass-through after CC + DSI");
    mt_ctx(t, SID, 3, 2, 0, slpt);
    mt_w64(t, MV_REG_CCMD, MV_CCMD_ICC | 3ull << 61 | (uint64_t)SID << 16 | 3);
    x = mt_dma(t, SID, 0x1000, VTD_ACC_READ);
    TAP_OK(x.addr == 0x5000, "5178d78f4b: translated again after CC");
    mt_free(t);
}

static void reserved_bits(void)
{
    uint64_t slpt;
    struct mt *t = legacy(VTD_CACHE_NONE, &slpt);

    mt_map(t, slpt, 4, 0x1000, 0x5000, 12, MV_SL_R | MV_SL_W | MV_SL_SNP);
    TAP_OK(mt_is_fault(mt_dma(t, SID, 0x1000, VTD_ACC_READ), MV_FR_PTE_RSVD),
           "0192d6677c (an exemption, not a fix): legacy leaf SNP without "
           "snoop control is still 0xC");
    {
        struct vtd_config c = mt_default_config();
        struct mt *u;
        uint64_t sl2;

        c.device_iotlb = false;
        c.cache_policy = VTD_CACHE_NONE;
        u = mt_legacy_unit(&c, SID, 3, &sl2);
        mt_map(u, sl2, 4, 0x1000, 0x5000, 12, MV_SL_R | MV_SL_TM);
        TAP_OK(mt_is_fault(mt_dma(u, SID, 0x1000, VTD_ACC_READ),
                           MV_FR_PTE_RSVD),
               "ce586f3b8d: TM bit without device-TLB: 0xC");
        mt_map(u, sl2, 4, 0x200000, 0x400000, 21, MV_SL_R);
        mt_w64m(u, mt_pte_addr(u, sl2, 4, 0x200000, 2),
                0x500000 | MV_SL_PS | MV_SL_R);
        TAP_OK(mt_is_fault(mt_dma(u, SID, 0x200000, VTD_ACC_READ),
                           MV_FR_PTE_RSVD),
               "ce586f3b8d: 2 MiB leaf with bit 20 set: 0xC");
        mt_free(u);
    }
    mt_free(t);
    {
        struct vtd_config c = mt_default_config();
        struct mt *u;
        uint64_t ct, pt, pd, sl;

        c.scalable_mode = true;
        c.cache_policy = VTD_CACHE_NONE;
        u = mt_new(&c);
        mt_set_root(u, 1);
        mt_gcmd(u, MV_GCMD_TE, 1);
        ct = mt_page(u);
        pd = mt_page(u);
        pt = mt_page(u);
        sl = mt_page(u);
        mt_w64m(u, u->root, ct | 1);
        mt_w64m(u, ct + SID * 32, pd | 1);
        mt_w64m(u, pd, pt | 1);
        mt_w64m(u, pt + 8, 3);
        mt_w64m(u, pt, 1 | 2 << 2 | MV_PGTT_SS << 6 | sl);
        mt_map(u, sl, 4, 0x1000, 0x5000, 12, MV_SL_R | MV_SL_SNP);
        TAP_OK(mt_is_fault(mt_dma(u, SID, 0x1000, VTD_ACC_READ), MV_FR_SS_RSVD),
               "0192d6677c (an exemption, not a fix): scalable-mode leaf SNP "
               "without snoop control is reserved too (Table 47): 0x7A");
        mt_free(u);
    }
}

static void irte_index_and_faults(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t = mt_new(&c);
    uint64_t irt = mt_page(t);
    struct vtd_irq q;

    mt_w64(t, MV_REG_IRTA, irt | 0); /* 2 entries */
    mt_gcmd(t, MV_GCMD_SIRTP, 1);
    mt_gcmd(t, MV_GCMD_IRE, 1);
    mt_w64m(t, irt + 32, 1 | 0x40ull << 16);
    t->reads = 0;
    TAP_OK(vtd_remap_msi(t->m, SID, 0xFEE00000 | 2 << 5 | 1 << 4, 0, &q) ==
                   MV_FR_IR_INDEX &&
               t->reads == 0,
           "3c507c26ec: index 2 of 2: fault 0x21, nothing read past the table");
    TAP_OK(q.fault_recorded && (mt_r32(t, MV_REG_FSTS) & MV_FSTS_PPF),
           "c7016bf700: interrupt-remapping fault recorded");
    mt_clear_faults(t);
    mt_w64m(t, irt, 2); /* FPD, not present */
    TAP_OK(vtd_remap_msi(t->m, SID, 0xFEE00000 | 1 << 4, 0, &q) ==
                   MV_FR_IR_NOT_PRESENT &&
               !q.fault_recorded && !mt_r32(t, MV_REG_FSTS),
           "c7016bf700: FPD suppresses it");
    mt_free(t);
}

static void qi_waits_and_tail(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t = mt_new(&c);
    uint64_t st, q = mt_qi_wait_before_qie(t, 0x11, &st);

    mt_gcmd(t, MV_GCMD_QIE, 1);
    TAP_EQ_U64(mt_r64m(t, st), 0x11,
               "8991c460be: tail written before QIE processed");
    mt_w32(t, MV_REG_IECTL, 0);
    mt_w64m(t, q + 16, MV_QI_WAIT | BIT64(4) | BIT64(5) | 0x22ull << 32);
    mt_w64m(t, q + 24, st);
    mt_w64(t, MV_REG_IQT, 32);
    TAP_OK(mt_r64m(t, st) == 0x22 && t->nmsi == 1,
           "e8145dcd31: wait with SW and IF does both");
    mt_w64m(t, q + 32, MV_QI_WAIT | BIT64(6));
    mt_w64(t, MV_REG_IQT, 48);
    TAP_OK(!mt_r32(t, MV_REG_FSTS) && mt_r64(t, MV_REG_IQH) == 48,
           "57ac646a2e: fence-only wait is valid");
    mt_free(t);
}

static void malformed_descriptors(void)
{
    static const struct {
        const char *commit;
        uint64_t q0;
        bool wide;
        unsigned ttm;
        uint64_t tail;
    } bad[] = {
        { "096d96e7be: IEC descriptor reserved bit", MV_QI_IEC | BIT64(60),
          false, MV_TTM_LEGACY, 16 },
        { "663168943d: type bits 11:9 are part of the type",
          MV_QI_CC | 1 << 4 | 1 << 9, false, MV_TTM_LEGACY, 16 },
        { "3b52cea829: PASID-cache descriptor in legacy mode",
          MV_QI_PC | 3 << 4, false, MV_TTM_LEGACY, 16 },
        { "8e761fb61c: 256-bit type in a 128-bit queue", MV_QI_PC | 3 << 4,
          false, MV_TTM_SCALABLE, 16 },
        { "e70e83f561: odd tail with 256-bit descriptors",
          MV_QI_WAIT | BIT64(6), true, MV_TTM_SCALABLE, 16 },
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct vtd_config c = mt_default_config();
        struct mt *t;

        c.scalable_mode = true;
        t = mt_new(&c);
        mt_set_root(t, bad[i].ttm);
        mt_qi_enable(t, bad[i].wide);
        mt_w64m(t, t->iq, bad[i].q0);
        mt_w64(t, MV_REG_IQT, bad[i].tail);
        TAP_OK((mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) &&
                   mt_r64(t, MV_REG_IQH) == 0,
               "%s: IQE, head stays on it", bad[i].commit);
        mt_free(t);
    }
}

static void psi_masks(void)
{
    uint64_t slpt;
    struct mt *t = legacy(VTD_CACHE_MAXIMAL, &slpt);
    struct vtd_xlate x;
    uint64_t iva = mt_iva_off(t);

    mt_map(t, slpt, 4, 0xC0000000, 0x40000000, 30, MV_SL_R | MV_SL_W);
    mt_dma(t, SID, 0xC0000000, VTD_ACC_READ);
    mt_w64m(t, mt_pte_addr(t, slpt, 4, 0xC0000000, 3),
            0x80000000 | MV_SL_PS | MV_SL_R);
    mt_w64(t, iva, 0xC0000000 | 19);
    mt_w64(t, iva + 8, MV_IOTLB_IVT | 3ull << 60 | 3ull << 32);
    x = mt_dma(t, SID, 0xC0000000, VTD_ACC_READ);
    TAP_OK(x.addr == 0x40000000 && !((mt_r64(t, iva + 8) >> 57) & 3),
           "d7258f7a25: AM above MAMV rejected (IAIG=00), nothing invalidated");
    mt_w64(t, iva, 0xC0000000 | 18);
    mt_w64(t, iva + 8, MV_IOTLB_IVT | 3ull << 60 | 3ull << 32);
    x = mt_dma(t, SID, 0xC0000000, VTD_ACC_READ);
    TAP_OK(x.addr == 0x80000000, "d7258f7a25: PSI AM=18 over a 1 GiB page");
    mt_free(t);
}

int main(void)
{
    untranslated_after_reset_and_te_off();
    pt_switch_after_invalidation();
    reserved_bits();
    irte_index_and_faults();
    qi_waits_and_tail();
    malformed_descriptors();
    psi_masks();
    return tap_done();
}
