/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Queued invalidation: every descriptor type, 128- and 256-bit queues,
 * wait descriptors (status write, interrupt, fence), IQE/ITE/ICE with the
 * head left on the offending descriptor, and the tail-before-QIE case.
 */
#include "model/vtd_internal.h" /* before mtest.h: its hook log */
#include "tests/model/mtest.h"

#define SID 0x0010

/* sm: a unit with scalable mode, its root table in scalable mode
 * (RTADDR.TTM=01); otherwise a legacy unit in legacy mode. */
static struct mt *setup(bool sm, unsigned wide, struct mt_hooklog *h)
{
    struct vtd_config c = mt_default_config();
    struct mt *t;

    c.scalable_mode = sm;
    c.pasid = sm;
    t = mt_new(&c);
    if (sm)
        mt_set_root(t, MV_TTM_SCALABLE);
    mt_qi_enable(t, wide);
    if (h)
        vtd_set_inval_hook(t->m, mt_hook, h);
    return t;
}

static uint32_t iqei(struct mt *t)
{
    return (uint32_t)mt_r64(t, MV_REG_IQERCD) & 0xF;
}

static void test_wait(void)
{
    struct mt *t = setup(false, 0, NULL);

    TAP_OK(mt_r32(t, MV_REG_GSTS) & MV_GCMD_QIE, "QIES set");
    TAP_OK(mt_qi_sync(t, 0, 0), "wait with SW writes the status word");
    TAP_EQ_U64(mt_r64(t, MV_REG_IQH), 16, "IQH advanced past the wait");
    TAP_EQ_U64(mt_r64(t, MV_REG_IQH), mt_r64(t, MV_REG_IQT), "IQH == IQT");
    mt_w32(t, MV_REG_IEDATA, 0x55);
    mt_w32(t, MV_REG_IEADDR, 0xFEE02000);
    mt_w32(t, MV_REG_IECTL, 0);
    mt_qi_submit(t, MV_QI_WAIT | BIT64(4), 0, 0, 0);
    TAP_OK(mt_r32(t, MV_REG_ICS) & MV_ICS_IWC, "IF=1: ICS.IWC set");
    TAP_OK(t->nmsi == 1 && t->msi_addr[0] == 0xFEE02000 &&
               t->msi_data[0] == 0x55,
           "IF=1: invalidation event MSI");
    mt_qi_submit(t, MV_QI_WAIT | BIT64(4), 0, 0, 0);
    TAP_EQ_U64(t->nmsi, 1, "IWC still set: no new event");
    TAP_EQ_U64(mt_w32_back(t, MV_REG_ICS, 1), 0, "ICS.IWC W1C");
    mt_w64m(t, t->status_page, 0);
    mt_qi_submit(t, MV_QI_WAIT | BIT64(4) | BIT64(5) | 0xABCDull << 32,
                 t->status_page, 0, 0);
    TAP_OK(t->nmsi == 2 && (uint32_t)mt_r64m(t, t->status_page) == 0xABCD,
           "wait with both SW and IF: status written and event sent");
    mt_w32(t, MV_REG_ICS, 1);
    mt_w32(t, MV_REG_IECTL, MV_ECTL_IM);
    mt_qi_submit(t, MV_QI_WAIT | BIT64(4), 0, 0, 0);
    TAP_OK(t->nmsi == 2 && (mt_r32(t, MV_REG_IECTL) & MV_ECTL_IP),
           "masked: IP held");
    mt_w32(t, MV_REG_IECTL, 0);
    TAP_OK(t->nmsi == 3 && !(mt_r32(t, MV_REG_IECTL) & MV_ECTL_IP),
           "unmask: MSI, IP cleared");
    mt_qi_submit(t, MV_QI_WAIT | BIT64(6), 0, 0, 0);
    TAP_OK(!(mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE), "fence-only wait is valid");
    mt_qi_submit(t, MV_QI_WAIT, 0, 0, 0);
    TAP_OK(!(mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) &&
               mt_r64(t, MV_REG_IQH) == mt_r64(t, MV_REG_IQT) && t->nmsi == 3,
           "wait without SW, IF, FN or PD is valid (6.5.2.9): IQH passes it, "
           "no event");
    mt_qi_submit(t, MV_QI_WAIT | BIT64(7), 0, 0, 0);
    TAP_OK((mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) && iqei(t) == MV_IQEI_RSVD,
           "PD without ECAP.PDS: IQE, reserved field");
    mt_free(t);
}

static void test_tail_before_qie(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t = mt_new(&c);
    uint64_t st;

    mt_qi_wait_before_qie(t, 0x77, &st);
    TAP_EQ_U64(mt_r64m(t, st), 0, "QI disabled: nothing processed");
    mt_gcmd(t, MV_GCMD_QIE, 1);
    TAP_EQ_U64(mt_r64m(t, st), 0x77,
               "tail written before QIE processed on enable");
    mt_gcmd(t, MV_GCMD_QIE, 0);
    TAP_OK(!(mt_r32(t, MV_REG_GSTS) & MV_GCMD_QIE) &&
               mt_r64(t, MV_REG_IQH) == 0,
           "QI disable: QIES clear, IQH reset to 0");
    mt_free(t);
}

static void test_types(void)
{
    struct mt_hooklog h = { 0 };
    struct mt *t = setup(false, 0, &h);

    TAP_OK(mt_qi_sync(t, MV_QI_CC | 1 << 4, 0) &&
               h.last.kind == VTD_INV_CONTEXT && h.last.gran == VTD_IG_GLOBAL,
           "type 1 CC global");
    TAP_OK(mt_qi_sync(t, MV_QI_CC | 2 << 4 | 9ull << 16, 0) &&
               h.last.gran == VTD_IG_DOMAIN && h.last.did == 9,
           "type 1 CC domain");
    TAP_OK(mt_qi_sync(t,
                      MV_QI_CC | 3 << 4 | 9ull << 16 | 0x1234ull << 32 |
                          1ull << 48,
                      0) &&
               h.last.gran == VTD_IG_DEVICE && h.last.sid == 0x1234 &&
               h.last.fm == 1,
           "type 1 CC device");
    TAP_OK(mt_qi_sync(t, MV_QI_IOTLB | 1 << 4, 0) &&
               h.last.kind == VTD_INV_IOTLB && h.last.gran == VTD_IG_GLOBAL,
           "type 2 IOTLB global");
    TAP_OK(mt_qi_sync(t,
                      MV_QI_IOTLB | 2 << 4 | 3ull << 16 | BIT64(6) | BIT64(7),
                      0) &&
               h.last.gran == VTD_IG_DOMAIN && h.last.did == 3,
           "type 2 IOTLB domain, DW/DR");
    TAP_OK(mt_qi_sync(t, MV_QI_IOTLB | 3 << 4 | 3ull << 16,
                      0x40000000 | 18 | BIT64(6)) &&
               h.last.gran == VTD_IG_PAGE && h.last.size == 1ull << 30 &&
               h.last.ih,
           "type 2 IOTLB PSI AM=18");
    TAP_OK(mt_qi_sync(t, MV_QI_DEVTLB | 0x18ull << 32 | 0x3ull << 16,
                      0x5000 | 1) &&
               h.last.kind == VTD_INV_DEVTLB && h.last.sid == 0x18 &&
               t->devtlb_calls == 1,
           "type 3 device-TLB with MIP");
    TAP_OK(h.last.addr == 0x4000 && h.last.size == 0x4000,
           "type 3 S=1: size from the lowest 0 bit (addr 0x%llx size 0x%llx)",
           (unsigned long long)h.last.addr, (unsigned long long)h.last.size);
    TAP_OK(mt_qi_sync(t, MV_QI_IEC, 0) && h.last.kind == VTD_INV_IEC &&
               h.last.gran == VTD_IG_GLOBAL,
           "type 4 IEC global");
    TAP_OK(mt_qi_sync(t, MV_QI_IEC | BIT64(4) | 2ull << 27 | 0x13ull << 32,
                      0) &&
               h.last.gran == VTD_IG_INDEX && h.last.addr == 0x10 &&
               h.last.size == 4,
           "type 4 IEC index-selective, IM=2");
    TAP_EQ_U64(mt_r32(t, MV_REG_FSTS), 0, "no errors so far");
    mt_free(t);
}

struct bad {
    const char *name;
    uint64_t q0, q1;
    unsigned iqei;
};

static void test_errors(void)
{
    static const struct bad bad[] = {
        { "type 0", 0, 0, MV_IQEI_TYPE },
        { "type 0xA", 0xA, 0, MV_IQEI_TYPE },
        { "type bits 11:9", MV_QI_CC | 1 << 4 | 1 << 9, 0, MV_IQEI_TYPE },
        { "CC G=00", MV_QI_CC, 0, MV_IQEI_RSVD },
        { "CC bit 63", MV_QI_CC | 1 << 4 | BIT64(63), 0, MV_IQEI_RSVD },
        { "CC qw1", MV_QI_CC | 1 << 4, 1, MV_IQEI_RSVD },
        { "IOTLB G=00", MV_QI_IOTLB, 0, MV_IQEI_RSVD },
        { "IOTLB AM above MAMV", MV_QI_IOTLB | 3 << 4, 19, MV_IQEI_RSVD },
        { "IOTLB qw1 bit 7", MV_QI_IOTLB | 3 << 4, BIT64(7), MV_IQEI_RSVD },
        { "IOTLB bit 40", MV_QI_IOTLB | 1 << 4 | BIT64(40), 0, MV_IQEI_RSVD },
        { "DEVTLB qw1 bit 1", MV_QI_DEVTLB, 2, MV_IQEI_RSVD },
        /* §6.5.2.5: PFSID is reserved without ECAP.DIT */
        { "DEVTLB PFSID[3:0] without DIT", MV_QI_DEVTLB | 0x8ull << 12, 0,
          MV_IQEI_RSVD },
        { "DEVTLB PFSID[15:4] without DIT", MV_QI_DEVTLB | 0x1ull << 52, 0,
          MV_IQEI_RSVD },
        { "IEC IM above MHMV", MV_QI_IEC | BIT64(4) | 16ull << 27, 0,
          MV_IQEI_RSVD },
        { "IEC qw1", MV_QI_IEC, 1, MV_IQEI_RSVD },
        { "WAIT bit 8", MV_QI_WAIT | BIT64(8), 0, MV_IQEI_RSVD },
        { "WAIT address bits 1:0", MV_QI_WAIT | BIT64(5), 0x1001,
          MV_IQEI_RSVD },
        { "P-IOTLB in legacy unit", MV_QI_PIOTLB | 2 << 4, 0, MV_IQEI_TYPE },
        { "PASID-cache in legacy unit", MV_QI_PC, 0, MV_IQEI_TYPE },
        { "page group response", MV_QI_PGRP_RESP, 0, MV_IQEI_TYPE },
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct mt *t = setup(false, 0, NULL);
        uint64_t head;

        mt_w32(t, MV_REG_FECTL, 0);
        mt_qi_sync(t, 0, 0);
        head = mt_r64(t, MV_REG_IQH);
        mt_w64m(t, t->status_page, 0);
        mt_qi_submit(t, bad[i].q0, bad[i].q1, 0, 0);
        mt_qi_submit(t, MV_QI_WAIT | BIT64(5) | 1ull << 32, t->status_page, 0,
                     0);
        TAP_OK(
            mt_r64m(t, t->status_page) == 0 &&
                (mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) &&
                iqei(t) == bad[i].iqei && mt_r64(t, MV_REG_IQH) == head &&
                t->nmsi == 1,
            "%s: IQE, IQEI=%u, head on it, fault event (IQEI %u, head 0x%llx)",
            bad[i].name, bad[i].iqei, iqei(t),
            (unsigned long long)mt_r64(t, MV_REG_IQH));
        /* software replaces the bad descriptor with a wait, clears IQE */
        mt_w64m(t, t->iq + head, MV_QI_WAIT | BIT64(5) | 0x99ull << 32);
        mt_w64m(t, t->iq + head + 8, t->status_page);
        mt_w32(t, MV_REG_FSTS, MV_FSTS_IQE);
        TAP_OK(mt_r64(t, MV_REG_IQH) == mt_r64(t, MV_REG_IQT) &&
                   !(mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE),
               "%s: after the fix and IQE clear the queue drains", bad[i].name);
        mt_free(t);
    }
}

static void test_queue_errors(void)
{
    struct mt *t = setup(false, 0, NULL);

    mt_w64(t, MV_REG_IQA, t->iq); /* QS=0: 4 KiB, 256 entries */
    mt_w64(t, MV_REG_IQT, 0x1000);
    TAP_OK((mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) && iqei(t) == MV_IQEI_TAIL,
           "tail beyond the queue: IQE, IQEI=1");
    mt_free(t);

    t = setup(true, 1, NULL);
    mt_w64(t, MV_REG_IQT, 0x10);
    TAP_OK((mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) && iqei(t) == MV_IQEI_TAIL,
           "256-bit queue with tail bit 4 set: IQE");
    mt_free(t);

    t = setup(true, 0, NULL);
    mt_qi_submit(t, MV_QI_PIOTLB | 2 << 4, 0, 0, 0);
    TAP_OK((mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) && iqei(t) == MV_IQEI_WIDTH,
           "scalable mode, P-IOTLB in a 128-bit queue: IQE, IQEI=5");
    mt_free(t);

    t = setup(true, 1, NULL);
    mt_qi_submit(t, MV_QI_IOTLB | 1 << 4, 0, 1, 0);
    TAP_OK((mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) && iqei(t) == MV_IQEI_RSVD,
           "type 2 in a 256-bit queue with bits 255:128 set: IQE");
    mt_free(t);

    {
        struct vtd_config c = mt_default_config();

        t = mt_new(&c);
        mt_w64(t, MV_REG_IQA, 0xFFF000); /* last page of the 16 MiB RAM */
        mt_w64m(t, 0xFFF000, MV_QI_WAIT | BIT64(6));
        mt_gcmd(t, MV_GCMD_QIE, 1);
        mt_w64(t, MV_REG_IQT, 16);
        TAP_OK((mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) == 0,
               "queue at top of RAM is fine");
        mt_w64(t, MV_REG_IQT, 0);
        mt_free(t);
        t = mt_new(&c);
        mt_w64(t, MV_REG_IQA, 0x7000000000ull);
        mt_gcmd(t, MV_GCMD_QIE, 1);
        mt_w64(t, MV_REG_IQT, 16);
        TAP_OK((mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) &&
                   iqei(t) == MV_IQEI_FETCH && mt_r64(t, MV_REG_IQH) == 0,
               "queue outside RAM: IQE, fetch error");
        mt_free(t);
    }

    /* device-TLB completion errors */
    t = setup(false, 0, NULL);
    t->devtlb_status = VTD_DEVTLB_TIMEOUT;
    mt_qi_submit(t, MV_QI_DEVTLB | 0x1234ull << 32, 0x5000, 0, 0);
    mt_qi_submit(t, MV_QI_WAIT | BIT64(5) | 1ull << 32, t->status_page, 0, 0);
    TAP_OK((mt_r32(t, MV_REG_FSTS) & MV_FSTS_ITE) &&
               ((mt_r64(t, MV_REG_IQERCD) >> 32) & 0xFFFF) == 0x1234,
           "device-TLB timeout: ITE, ITESID");
    TAP_OK(mt_r64m(t, t->status_page) == 0 && mt_r64(t, MV_REG_IQH) == 16,
           "ITE: fetching stopped after the timed-out descriptor");
    t->devtlb_status = VTD_DEVTLB_OK;
    mt_w32(t, MV_REG_FSTS, MV_FSTS_ITE);
    TAP_OK(mt_r64m(t, t->status_page) == 1, "ITE cleared: queue resumes");
    t->devtlb_status = VTD_DEVTLB_BAD_COMPLETION;
    TAP_OK(mt_qi_sync(t, MV_QI_DEVTLB | 0x4321ull << 32, 0x5000) &&
               (mt_r32(t, MV_REG_FSTS) & MV_FSTS_ICE) &&
               (mt_r64(t, MV_REG_IQERCD) >> 48) == 0x4321,
           "invalid completion: ICE, ICESID, queue continues");
    mt_free(t);

    {
        struct vtd_config c = mt_default_config();

        c.device_iotlb = false;
        c.intr_remap = false;
        t = mt_new(&c);
        mt_qi_enable(t, 0);
        mt_qi_submit(t, MV_QI_DEVTLB, 0, 0, 0);
        TAP_OK(iqei(t) == MV_IQEI_TYPE,
               "device-TLB descriptor without DT: IQE");
        mt_w64m(t, t->iq, MV_QI_IEC);
        mt_w32(t, MV_REG_FSTS, MV_FSTS_IQE);
        TAP_OK(iqei(t) == MV_IQEI_TYPE &&
                   (mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE),
               "IEC descriptor without IR: IQE");
        mt_free(t);
    }
}

static void test_wide(void)
{
    struct mt_hooklog h = { 0 };
    struct mt *t = setup(true, 1, &h);

    TAP_OK(mt_qi_sync(t, MV_QI_IOTLB | 1 << 4, 0) &&
               h.last.kind == VTD_INV_IOTLB,
           "256-bit queue: type 2");
    mt_qi_submit(t, MV_QI_PIOTLB | 3 << 4 | 4ull << 16 | 0x77ull << 32,
                 0x3000 | 1, 0, 0);
    TAP_OK(h.last.kind == VTD_INV_PIOTLB && h.last.gran == VTD_IG_PAGE &&
               h.last.pasid == 0x77 && h.last.did == 4 &&
               h.last.addr == 0x2000 && h.last.size == 0x2000,
           "type 6 P-IOTLB page-selective");
    mt_qi_submit(t, MV_QI_PIOTLB | 2 << 4 | 4ull << 16 | 0x77ull << 32, 0, 0,
                 0);
    TAP_OK(h.last.gran == VTD_IG_PASID, "type 6 P-IOTLB PASID-selective");
    mt_qi_submit(t, MV_QI_PC | 1 << 4 | 4ull << 16 | 0x77ull << 32, 0, 0, 0);
    TAP_OK(h.last.kind == VTD_INV_PASID && h.last.gran == VTD_IG_PASID,
           "type 7 PASID-selective");
    mt_qi_submit(t, MV_QI_PC | 0 << 4 | 4ull << 16, 0, 0, 0);
    TAP_OK(h.last.gran == VTD_IG_DOMAIN, "type 7 domain-selective");
    mt_qi_submit(t, MV_QI_PC | 3 << 4, 0, 0, 0);
    TAP_OK(h.last.gran == VTD_IG_GLOBAL, "type 7 global");
    mt_qi_submit(t, MV_QI_PDEVTLB | 0x18ull << 16 | 0x5ull << 32, 0x8000, 0, 0);
    TAP_OK(h.last.kind == VTD_INV_DEVTLB && h.last.pasid == 5 &&
               h.last.sid == 0x18,
           "type 8 PASID device-TLB");
    TAP_EQ_U64(mt_r32(t, MV_REG_FSTS), 0, "no errors");
    mt_qi_submit(t, MV_QI_PDEVTLB | 0x18ull << 16 | 0x8ull << 12, 0x8000, 0, 0);
    TAP_OK((mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) && iqei(t) == MV_IQEI_RSVD,
           "type 8 with PFSID set, no ECAP.DIT (6.5.2.6): IQE, IQEI=4");
    /* drop it: the tail back on the head, then the error cleared */
    mt_w64(t, MV_REG_IQT, mt_r64(t, MV_REG_IQH));
    mt_w32(t, MV_REG_FSTS, MV_FSTS_IQE);
    mt_qi_submit(t, MV_QI_PC | 2 << 4, 0, 0, 0);
    TAP_OK(iqei(t) == MV_IQEI_RSVD, "type 7 G=10: IQE");
    mt_free(t);
    t = setup(true, 1, &h);
    mt_qi_submit(t, MV_QI_PIOTLB | 1 << 4, 0, 0, 0);
    TAP_OK(iqei(t) == MV_IQEI_RSVD, "type 6 G=01: IQE");
    mt_free(t);
}

/* Table 26 (§6.5.2.11): the valid types follow RTADDR.TTM, not
 * ECAP.SMTS. Every unit here offers scalable mode. */
static void test_modes(void)
{
    static const struct {
        const char *name;
        unsigned ttm, wide;
        uint64_t q0;
        unsigned iqei;
    } c[] = {
        { "legacy mode, 128-bit: type 2", MV_TTM_LEGACY, 0,
          MV_QI_IOTLB | 1 << 4, 0 },
        { "legacy mode, 256-bit: type 2", MV_TTM_LEGACY, 1,
          MV_QI_IOTLB | 1 << 4, 0 },
        { "legacy mode, 256-bit: type 5 fence", MV_TTM_LEGACY, 1,
          MV_QI_WAIT | BIT64(6), 0 },
        { "legacy mode, 128-bit: type 6", MV_TTM_LEGACY, 0,
          MV_QI_PIOTLB | 2 << 4, MV_IQEI_TYPE },
        { "legacy mode, 256-bit: type 6", MV_TTM_LEGACY, 1,
          MV_QI_PIOTLB | 2 << 4, MV_IQEI_TYPE },
        { "legacy mode, 256-bit: type 7", MV_TTM_LEGACY, 1, MV_QI_PC | 3 << 4,
          MV_IQEI_TYPE },
        { "legacy mode, 256-bit: type 8", MV_TTM_LEGACY, 1, MV_QI_PDEVTLB,
          MV_IQEI_TYPE },
        { "scalable mode, 128-bit: type 1", MV_TTM_SCALABLE, 0,
          MV_QI_CC | 1 << 4, MV_IQEI_WIDTH },
        { "scalable mode, 128-bit: type 5", MV_TTM_SCALABLE, 0,
          MV_QI_WAIT | BIT64(6), MV_IQEI_WIDTH },
        { "scalable mode, 256-bit: type 1", MV_TTM_SCALABLE, 1,
          MV_QI_CC | 1 << 4, 0 },
        { "scalable mode, 256-bit: type 7", MV_TTM_SCALABLE, 1,
          MV_QI_PC | 3 << 4, 0 },
        { "scalable mode, 256-bit: type 0xA (no HPT)", MV_TTM_SCALABLE, 1, 0xA,
          MV_IQEI_TYPE },
        { "scalable mode, 256-bit: type 0xB", MV_TTM_SCALABLE, 1, 0xB,
          MV_IQEI_TYPE },
        { "reserved mode (TTM=10): type 2", 2, 1, MV_QI_IOTLB | 1 << 4,
          MV_IQEI_TTM },
        { "abort-DMA mode without ADMS: type 2", 3, 1, MV_QI_IOTLB | 1 << 4,
          MV_IQEI_TTM },
    };

    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        struct vtd_config cfg = mt_default_config();
        struct mt *t;

        cfg.scalable_mode = true;
        cfg.pasid = true;
        t = mt_new(&cfg);
        mt_set_root(t, c[i].ttm);
        mt_qi_enable(t, c[i].wide);
        mt_qi_submit(t, c[i].q0, 0, 0, 0);
        if (!c[i].iqei)
            TAP_OK(!(mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) &&
                       mt_r64(t, MV_REG_IQH) == mt_r64(t, MV_REG_IQT),
                   "%s: valid", c[i].name);
        else
            TAP_OK((mt_r32(t, MV_REG_FSTS) & MV_FSTS_IQE) &&
                       iqei(t) == c[i].iqei && mt_r64(t, MV_REG_IQH) == 0,
                   "%s: IQE, IQEI=%u (IQEI %u)", c[i].name, c[i].iqei, iqei(t));
        mt_free(t);
    }
}

static void test_wraparound(void)
{
    struct mt *t = setup(false, 0, NULL);
    unsigned okc = 0;

    for (unsigned i = 0; i < 300; i++)
        okc += mt_qi_sync(t, MV_QI_IOTLB | 1 << 4, 0);
    TAP_EQ_U64(okc, 300,
               "600 descriptors through a 256-entry queue (wrap-around)");
    mt_free(t);
}

int main(void)
{
    test_wait();
    test_tail_before_qie();
    test_types();
    test_errors();
    test_queue_errors();
    test_wide();
    test_modes();
    test_wraparound();
    return tap_done();
}
