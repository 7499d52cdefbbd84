/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Register file semantics: access sizes, RO/RW/W1C/WO, reset values,
 * capability decode, the global command protocol and register-based
 * invalidation granularity reporting.
 */
#include "tests/model/mtest.h"

static void test_caps(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t;
    uint64_t cap, ecap;

    c.did_bits = 8;
    c.nfr = 3;
    c.mamv = 9;
    c.aw_bits = 57;
    t = mt_new(&c);
    cap = mt_r64(t, MV_REG_CAP);
    ecap = mt_r64(t, MV_REG_ECAP);
    TAP_EQ_U64(mt_r32(t, MV_REG_VER), 0x10, "VER is 1.0");
    TAP_EQ_U64(cap & 7, 2, "CAP.ND=2 for 8-bit domain ids");
    TAP_EQ_U64((cap >> 8) & 0x1F, 0xE, "CAP.SAGAW 39/48/57 for aw 57");
    TAP_EQ_U64((cap >> 16) & 0x3F, 56, "CAP.MGAW = aw-1");
    TAP_EQ_U64((cap >> 24) & 0x3FF, 0x22, "CAP.FRO default 0x22");
    TAP_EQ_U64((cap >> 40) & 0xFF, 2, "CAP.NFR = 3-1");
    TAP_EQ_U64((cap >> 48) & 0x3F, 9, "CAP.MAMV");
    TAP_OK(cap & MV_CAP_PSI, "CAP.PSI");
    TAP_OK((cap & (MV_CAP_SLLPS_2M | MV_CAP_SLLPS_1G)) ==
               (MV_CAP_SLLPS_2M | MV_CAP_SLLPS_1G),
           "CAP.SLLPS 2M+1G");
    TAP_EQ_U64((ecap >> 8) & 0x3FF, 0xF, "ECAP.IRO default 0xF");
    TAP_OK((ecap & (MV_ECAP_QI | MV_ECAP_IR | MV_ECAP_PT | MV_ECAP_DT)) ==
               (MV_ECAP_QI | MV_ECAP_IR | MV_ECAP_PT | MV_ECAP_DT),
           "ECAP QI, IR, PT, DT");
    TAP_OK(!(ecap & MV_ECAP_EIM), "ECAP.EIM off by config");
    TAP_EQ_U64(vtd_model_mmio_size(t->m), 0x1000, "window is one page");
    /* RO registers ignore writes */
    mt_w64(t, MV_REG_CAP, 0);
    mt_w32(t, MV_REG_VER, 0);
    mt_w64(t, MV_REG_ECAP, ~0ull);
    TAP_EQ_U64(mt_r64(t, MV_REG_CAP), cap, "CAP is read-only");
    TAP_EQ_U64(mt_r64(t, MV_REG_ECAP), ecap, "ECAP is read-only");
    TAP_EQ_U64(mt_r32(t, MV_REG_VER), 0x10, "VER is read-only");
    /* dword halves of a 64-bit register */
    TAP_EQ_U64(mt_r32(t, MV_REG_CAP), (uint32_t)cap, "CAP low dword");
    TAP_EQ_U64(mt_r32(t, MV_REG_CAP + 4), cap >> 32, "CAP high dword");
    mt_free(t);
}

static void test_bad_config(void)
{
    struct vtd_config c = mt_default_config();
    struct vtd_env env = { .mem_read = mt_read, .mem_write = mt_write };
    const char *why = NULL;

    c.aw_bits = 40;
    {
        struct vtd_model *m = vtd_model_create(&c, &env, &why);

        TAP_OK(!m && why, "aw_bits 40 refused: %s", why ? why : "-");
    }
    c = mt_default_config();
    c.did_bits = 5;
    TAP_OK(!vtd_model_create(&c, &env, &why), "odd did_bits refused");
    c = mt_default_config();
    c.first_stage = true;
    TAP_OK(!vtd_model_create(&c, &env, &why),
           "first stage without scalable refused");
    c = mt_default_config();
    c.nfr = 300;
    TAP_OK(!vtd_model_create(&c, &env, &why), "nfr 300 refused");
    c = mt_default_config();
    TAP_OK(!vtd_model_create(&c, NULL, &why), "missing env refused");
}

static void test_access_sizes(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t = mt_new(&c);

    TAP_EQ_U64(mt_w64_back(t, MV_REG_RTADDR, 0x123456789000ull),
               0x123456789000ull, "RTADDR reads back");
    mt_w32(t, MV_REG_RTADDR + 4, 0xABCD);
    TAP_EQ_U64(mt_r64(t, MV_REG_RTADDR), 0xABCD56789000ull,
               "RTADDR high dword write");
    mt_w32(t, MV_REG_RTADDR, 0x11111FFF);
    TAP_EQ_U64(mt_r64(t, MV_REG_RTADDR), 0xABCD11111000ull,
               "RTADDR low dword write, bits 11:0 (TTM without SMTS) dropped");
    vtd_mmio_write(t->m, MV_REG_RTADDR, 2, 0xFFFF);
    vtd_mmio_write(t->m, MV_REG_RTADDR, 1, 0xFF);
    vtd_mmio_write(t->m, MV_REG_RTADDR + 2, 4, 0xFFFFFFFF);
    TAP_EQ_U64(mt_r64(t, MV_REG_RTADDR), 0xABCD11111000ull,
               "1-, 2-byte and misaligned writes ignored");
    TAP_EQ_U64(vtd_mmio_read(t->m, MV_REG_RTADDR, 2), 0, "2-byte read is 0");
    TAP_EQ_U64(vtd_mmio_read(t->m, MV_REG_RTADDR + 1, 4), 0,
               "misaligned read is 0");
    TAP_EQ_U64(vtd_mmio_read(t->m, MV_REG_RTADDR + 4, 8), 0,
               "8-byte read at +4 is 0");
    TAP_EQ_U64(vtd_mmio_read(t->m, MV_REG_FECTL, 8), 0,
               "8-byte read of a 32-bit register is 0");
    vtd_mmio_write(t->m, MV_REG_FEDATA, 8, 0x1234);
    TAP_EQ_U64(mt_r32(t, MV_REG_FEDATA), 0,
               "8-byte write of a 32-bit register ignored");
    TAP_EQ_U64(vtd_mmio_read(t->m, 0x4C, 4), 0, "hole reads 0");
    TAP_EQ_U64(vtd_mmio_read(t->m, 0x100000, 4), 0, "beyond window reads 0");
    vtd_mmio_write(t->m, ~0ull - 3, 4, 1);
    TAP_OK(1, "write at offset 2^64-4 does not crash");
    TAP_EQ_U64(vtd_mmio_read(t->m, MV_REG_PMEN, 4), 0,
               "PMEN absent without PLMR/PHMR");
    mt_free(t);
}

static void test_rw_masks(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t = mt_new(&c);
    uint64_t iva = mt_iva_off(t);

    TAP_EQ_U64(mt_r32(t, MV_REG_FECTL), MV_ECTL_IM, "FECTL resets with IM=1");
    TAP_EQ_U64(mt_r32(t, MV_REG_IECTL), MV_ECTL_IM, "IECTL resets with IM=1");
    TAP_EQ_U64(mt_r32(t, MV_REG_GSTS), 0, "GSTS resets to 0");
    TAP_EQ_U64(mt_w32_back(t, MV_REG_FECTL, 0x7FFFFFFF), 0,
               "FECTL: only IM writable, IP read-only");
    TAP_EQ_U64(mt_w32_back(t, MV_REG_FEDATA, 0xFFFFFFFF), 0xFFFF,
               "FEDATA: 15:0 RW, 31:16 reserved (11.4.7.3)");
    TAP_EQ_U64(mt_w32_back(t, MV_REG_FEADDR, 0xFEE01007), 0xFEE01004,
               "FEADDR 1:0 reserved");
    TAP_EQ_U64(mt_w32_back(t, MV_REG_FEUADDR, 0x55), 0,
               "FEUADDR reads 0 without EIM");
    TAP_EQ_U64(mt_w32_back(t, MV_REG_IEADDR, 0xFEE00003), 0xFEE00000,
               "IEADDR 1:0 reserved");
    TAP_EQ_U64(mt_w32_back(t, MV_REG_IEDATA, 0xABCD1234), 0x1234,
               "IEDATA: 15:0 RW, 31:16 reserved (11.4.9.6)");
    TAP_EQ_U64(mt_w64_back(t, MV_REG_IQT, ~0ull), 0x7FFF0,
               "IQT: only 18:4 writable");
    mt_w64(t, MV_REG_IQT, 0);
    TAP_EQ_U64(mt_w64_back(t, MV_REG_IQA, ~0ull), 0xFFFFFFFFFFFFF007ull,
               "IQA: DW reserved without SMTS, 10:3 reserved");
    TAP_EQ_U64(mt_w64_back(t, MV_REG_IQH, 0x100), 0, "IQH is read-only");
    TAP_EQ_U64(mt_w64_back(t, MV_REG_IRTA, ~0ull), 0xFFFFFFFFFFFFF00Full,
               "IRTA: EIME reserved without EIM, 10:4 reserved");
    TAP_EQ_U64(
        mt_w64_back(t, MV_REG_CCMD, MV_CCMD_RSVD | 0x3FFFFFFFFull), 0xFFFFull,
        "CCMD reserved 58:34 dropped, SID/FM write-only (read 0), DID RW");
    TAP_EQ_U64(mt_w64_back(t, iva, ~0ull), 0, "IVA is write-only (reads 0)");
    TAP_EQ_U64(mt_w32_back(t, MV_REG_GCMD, 0), 0, "GCMD reads 0");
    TAP_EQ_U64(mt_w32_back(t, MV_REG_ICS, 1), 0,
               "ICS W1C on a clear bit stays 0");
    TAP_EQ_U64(mt_w32_back(t, MV_REG_FSTS, 0xFFFFFFFF), 0,
               "FSTS W1C leaves nothing set");
    TAP_EQ_U64(mt_r64(t, mt_frcd_off(t, 0)), 0, "FRCD0 low reads 0 at reset");
    TAP_EQ_U64(mt_w64_back(t, mt_frcd_off(t, 0), ~0ull), 0,
               "FRCD low is read-only");
    TAP_EQ_U64(mt_w64_back(t, mt_frcd_off(t, 0) + 8, ~0ull), 0,
               "FRCD high: F W1C only");
    mt_free(t);

    c.eim = true;
    t = mt_new(&c);
    TAP_EQ_U64(mt_w32_back(t, MV_REG_FEUADDR, 0x55), 0x55,
               "FEUADDR RW with EIM");
    TAP_EQ_U64(mt_w64_back(t, MV_REG_IRTA, 0x5000 | MV_IRTA_EIME | 3),
               0x5000 | MV_IRTA_EIME | 3, "IRTA EIME with EIM");
    mt_free(t);

    c = mt_default_config();
    c.intr_remap = false;
    t = mt_new(&c);
    TAP_EQ_U64(mt_w64_back(t, MV_REG_IRTA, 0x5000), 0,
               "IRTA absent without IR");
    mt_w32(t, MV_REG_GCMD, MV_GCMD_IRE);
    TAP_EQ_U64(mt_r32(t, MV_REG_GSTS), 0, "IRE ignored without IR");
    mt_free(t);
}

static void test_gcmd(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t = mt_new(&c);
    uint64_t root = mt_page(t);
    uint32_t g;

    c.rwbf = true;
    mt_w64(t, MV_REG_RTADDR, root);
    mt_w32(t, MV_REG_GCMD, MV_GCMD_SRTP);
    g = mt_r32(t, MV_REG_GSTS);
    TAP_EQ_U64(g, MV_GCMD_SRTP, "SRTP: RTPS set, nothing else");
    mt_w32(t, MV_REG_GCMD, MV_GCMD_TE);
    g = mt_r32(t, MV_REG_GSTS);
    TAP_EQ_U64(g, MV_GCMD_TE | MV_GCMD_SRTP, "TE: TES set, RTPS kept");
    mt_w32(t, MV_REG_GCMD, MV_GCMD_TE | MV_GCMD_WBF);
    TAP_OK(!(mt_r32(t, MV_REG_GSTS) & MV_GCMD_WBF),
           "WBF: WBFS reads 0 (flush done)");
    mt_w32(t, MV_REG_GCMD, 0);
    TAP_EQ_U64(mt_r32(t, MV_REG_GSTS), MV_GCMD_SRTP,
               "TE=0 clears TES; RTPS stays");
    /* SRTP latches RTADDR: a later RTADDR write alone does not take effect */
    mt_w64(t, MV_REG_RTADDR, root + 0x1000);
    mt_gcmd(t, MV_GCMD_TE, 1);
    {
        struct vtd_xlate x = mt_dma(t, 0x10, 0x1000, VTD_ACC_READ);

        TAP_OK(x.status == VTD_XLATE_FAULT && x.fault_reason == MV_FR_ROOT_P,
               "old root table still used before SRTP (reason 0x%x)",
               x.fault_reason);
    }
    mt_w32(t, MV_REG_GCMD, 0xFFFFFFFF);
    g = mt_r32(t, MV_REG_GSTS);
    TAP_EQ_U64(g & MV_GCMD_RSVD, 0, "GSTS reserved bits stay 0");
    TAP_OK((g & (MV_GCMD_TE | MV_GCMD_QIE | MV_GCMD_IRE | MV_GCMD_CFI)) ==
               (MV_GCMD_TE | MV_GCMD_QIE | MV_GCMD_IRE | MV_GCMD_CFI),
           "persistent enables follow the written value");
    TAP_OK(!(g & (MV_GCMD_SFL | MV_GCMD_EAFL)), "SFL/EAFL ignored without AFL");
    mt_w32(t, MV_REG_GCMD, 0);
    g = mt_r32(t, MV_REG_GSTS);
    TAP_EQ_U64(g & (MV_GCMD_TE | MV_GCMD_QIE | MV_GCMD_IRE | MV_GCMD_CFI), 0,
               "writing 0 disables every persistent enable");
    TAP_OK((g & (MV_GCMD_SRTP | MV_GCMD_SIRTP)) ==
               (MV_GCMD_SRTP | MV_GCMD_SIRTP),
           "RTPS/IRTPS stay set");
    /* reset brings every register back */
    mt_w64(t, MV_REG_RTADDR, root);
    mt_w32(t, MV_REG_FECTL, 0);
    vtd_model_reset(t->m);
    TAP_EQ_U64(mt_r64(t, MV_REG_RTADDR), 0, "reset: RTADDR 0");
    TAP_EQ_U64(mt_r32(t, MV_REG_GSTS), 0, "reset: GSTS 0");
    TAP_EQ_U64(mt_r32(t, MV_REG_FECTL), MV_ECTL_IM, "reset: FECTL.IM 1");
    mt_free(t);
}

static void test_reg_inval(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t = mt_new(&c);
    uint64_t iva = mt_iva_off(t), v;

    mt_w64(t, MV_REG_CCMD, MV_CCMD_ICC | 1ull << 61);
    v = mt_r64(t, MV_REG_CCMD);
    TAP_OK(!(v & MV_CCMD_ICC), "CCMD global: ICC cleared");
    TAP_EQ_U64((v >> 59) & 3, 1, "CCMD global: CAIG=01");
    mt_w64(t, MV_REG_CCMD, MV_CCMD_ICC | 2ull << 61 | 5);
    TAP_EQ_U64((mt_r64(t, MV_REG_CCMD) >> 59) & 3, 2, "CCMD domain: CAIG=10");
    mt_w64(t, MV_REG_CCMD, MV_CCMD_ICC | 3ull << 61 | 0x10ull << 16 | 5);
    TAP_EQ_U64((mt_r64(t, MV_REG_CCMD) >> 59) & 3, 3, "CCMD device: CAIG=11");
    TAP_EQ_U64(mt_r64(t, MV_REG_CCMD) & 0x3FFFFFFFFull, 0x5,
               "CCMD DID reads back; SID and FM are write-only (read 0)");
    mt_w64(t, MV_REG_CCMD, MV_CCMD_ICC);
    v = mt_r64(t, MV_REG_CCMD);
    TAP_OK(!(v & MV_CCMD_ICC) && !((v >> 59) & 3),
           "CCMD CIRG=00: CAIG=00, ICC cleared");
    /* dword writes: the command fires with the high dword */
    mt_w32(t, MV_REG_CCMD, 7);
    TAP_EQ_U64(mt_r64(t, MV_REG_CCMD) & 0xFFFF, 7,
               "CCMD low dword write holds");
    mt_w32(t, MV_REG_CCMD + 4, (uint32_t)((MV_CCMD_ICC | 2ull << 61) >> 32));
    v = mt_r64(t, MV_REG_CCMD);
    TAP_OK(!(v & MV_CCMD_ICC) && ((v >> 59) & 3) == 2,
           "CCMD fires on high dword");

    mt_w64(t, iva + 8, MV_IOTLB_IVT | 1ull << 60);
    v = mt_r64(t, iva + 8);
    TAP_OK(!(v & MV_IOTLB_IVT) && ((v >> 57) & 3) == 1,
           "IOTLB global: IAIG=01");
    mt_w64(t, iva + 8, MV_IOTLB_IVT | 2ull << 60 | 3ull << 32);
    v = mt_r64(t, iva + 8);
    TAP_OK(((v >> 57) & 3) == 2 && ((v >> 32) & 0xFFFF) == 3,
           "IOTLB domain: IAIG=10, DID kept");
    mt_w64(t, iva, 0x200000 | 9);
    mt_w64(t, iva + 8, MV_IOTLB_IVT | 3ull << 60 | 3ull << 32);
    TAP_EQ_U64((mt_r64(t, iva + 8) >> 57) & 3, 3, "IOTLB PSI AM=9: IAIG=11");
    mt_w64(t, iva, 0x200000 | 19);
    mt_w64(t, iva + 8, MV_IOTLB_IVT | 3ull << 60 | 3ull << 32);
    v = mt_r64(t, iva + 8);
    TAP_OK(!(v & MV_IOTLB_IVT) && ((v >> 57) & 3) == 0,
           "IOTLB PSI AM>MAMV: IAIG=00");
    mt_w64(t, iva + 8, MV_IOTLB_IVT | 0ull << 60);
    TAP_EQ_U64((mt_r64(t, iva + 8) >> 57) & 3, 0, "IOTLB IIRG=00: IAIG=00");
    mt_w32(t, iva + 8, 0);
    mt_w32(t, iva + 12, (uint32_t)((MV_IOTLB_IVT | 1ull << 60) >> 32));
    TAP_EQ_U64((mt_r64(t, iva + 8) >> 57) & 3, 1, "IOTLB fires on high dword");
    /* not usable while QI is enabled: reported as not done, never stuck */
    mt_qi_enable(t, 0);
    mt_w64(t, iva + 8, MV_IOTLB_IVT | 1ull << 60);
    v = mt_r64(t, iva + 8);
    TAP_OK(!(v & MV_IOTLB_IVT) && ((v >> 57) & 3) == 0,
           "IOTLB register with QI on: IVT cleared, IAIG=00");
    mt_w64(t, MV_REG_CCMD, MV_CCMD_ICC | 1ull << 61);
    v = mt_r64(t, MV_REG_CCMD);
    TAP_OK(!(v & MV_CCMD_ICC) && ((v >> 59) & 3) == 0,
           "CCMD with QI on: ICC cleared, CAIG=00");
    mt_free(t);

    c.no_psi = true;
    t = mt_new(&c);
    mt_w64(t, iva, 0x1000);
    mt_w64(t, iva + 8, MV_IOTLB_IVT | 3ull << 60 | 1ull << 32);
    TAP_EQ_U64((mt_r64(t, iva + 8) >> 57) & 3, 0,
               "PSI without CAP.PSI: IAIG=00");
    mt_free(t);
}

/* Every RW field reads back what was written, and nothing else sticks. */
static void test_readback(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t;
    static const struct {
        const char *name;
        uint32_t off;
        unsigned size;
        uint64_t rw;
    } regs[] = {
        { "RTADDR", MV_REG_RTADDR, 8, GENMASK64(63, 10) },
        { "FEDATA", MV_REG_FEDATA, 4, 0xFFFF },
        { "FEADDR", MV_REG_FEADDR, 4, 0xFFFFFFFC },
        { "FEUADDR", MV_REG_FEUADDR, 4, 0xFFFFFFFF },
        { "IQA", MV_REG_IQA, 8, GENMASK64(63, 11) | 7 },
        { "IEDATA", MV_REG_IEDATA, 4, 0xFFFF },
        { "IEADDR", MV_REG_IEADDR, 4, 0xFFFFFFFC },
        { "IEUADDR", MV_REG_IEUADDR, 4, 0xFFFFFFFF },
        { "IRTA", MV_REG_IRTA, 8, GENMASK64(63, 11) | 0xF },
    };
    static const uint64_t pats[3] = { ~0ull, 0x5555555555555555ull,
                                      0xAAAAAAAAAAAAAAAAull };

    c.scalable_mode = true;
    c.eim = true;
    t = mt_new(&c);
    for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
        bool good = true;

        for (int p = 0; p < 3; p++) {
            uint64_t want = pats[p] & regs[i].rw &
                            (regs[i].size == 4 ? 0xFFFFFFFFull : ~0ull);

            vtd_mmio_write(t->m, regs[i].off, regs[i].size, pats[p]);
            good = good &&
                   vtd_mmio_read(t->m, regs[i].off, regs[i].size) == want;
            if (regs[i].size == 8)
                good = good && mt_r32(t, regs[i].off) == (uint32_t)want &&
                       mt_r32(t, regs[i].off + 4) == (uint32_t)(want >> 32);
        }
        TAP_OK(good, "%s reads back its RW fields (reserved bits read 0)",
               regs[i].name);
    }
    mt_free(t);
}

static void test_layout(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t;

    c.iro = 0x50;
    c.fro = 0x60;
    c.nfr = 256;
    t = mt_new(&c);
    TAP_EQ_U64(mt_iva_off(t), 0x500, "IVA at IRO*16");
    TAP_EQ_U64(mt_frcd_off(t, 0), 0x600, "FRCD at FRO*16");
    TAP_EQ_U64(vtd_model_mmio_size(t->m), 0x2000, "window covers 256 FRCDs");
    TAP_EQ_U64(mt_r64(t, mt_frcd_off(t, 255) + 8), 0, "last FRCD readable");
    mt_free(t);
}

int main(void)
{
    test_caps();
    test_bad_config();
    test_access_sizes();
    test_rw_masks();
    test_gcmd();
    test_reg_inval();
    test_layout();
    test_readback();
    return tap_done();
}
