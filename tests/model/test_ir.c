/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interrupt remapping: remappable-format decode (handle, subhandle),
 * xAPIC/x2APIC destinations, compatibility format and CFI, source-id
 * verification, every IR fault reason, FPD, and the interrupt-entry cache.
 */
#include "tests/model/mtest.h"
#include "model/vtd_internal.h"

#define SID 0x0118

static struct mt *setup(bool eim, enum vtd_cache_policy p, unsigned s,
                        uint64_t *irt)
{
    struct vtd_config c = mt_default_config();
    struct mt *t;

    c.eim = eim;
    c.cache_policy = p;
    t = mt_new(&c);
    *irt = mt_page(t);
    mt_qi_enable(t, 0);
    mt_w64(t, MV_REG_IRTA, *irt | (eim ? MV_IRTA_EIME : 0) | s);
    mt_gcmd(t, MV_GCMD_SIRTP, 1);
    mt_qi_sync(t, MV_QI_IEC, 0);
    mt_gcmd(t, MV_GCMD_IRE, 1);
    return t;
}

static void irte(struct mt *t, uint64_t irt, unsigned idx, uint64_t w0,
                 uint64_t w1)
{
    mt_w64m(t, irt + idx * 16ull, w0);
    mt_w64m(t, irt + idx * 16ull + 8, w1);
}

/* Remappable-format MSI address for a handle. */
static uint64_t rmsi(unsigned handle, bool shv)
{
    return 0xFEE00000ull | (uint64_t)(handle & 0x7FFF) << 5 |
           (uint64_t)((handle >> 15) & 1) << 2 | 1u << 4 | (shv ? 1u << 3 : 0);
}

static int remap(struct mt *t, uint16_t sid, uint64_t addr, uint32_t data,
                 struct vtd_irq *out)
{
    return vtd_remap_msi(t->m, sid, addr, data, out);
}

static void test_basic(void)
{
    uint64_t irt;
    struct mt *t = setup(false, VTD_CACHE_MINIMAL, 15, &irt);
    struct vtd_irq q;

    TAP_OK(mt_r32(t, MV_REG_GSTS) & MV_GCMD_IRE, "IRES set");
    irte(t, irt, 5, 1 | 0x41ull << 16 | 0x07ull << 40 | 1ull << 4 | 1ull << 2,
         0);
    TAP_OK(remap(t, SID, rmsi(5, false), 0xDEAD, &q) == 0 && q.remapped &&
               q.vector == 0x41 && q.dest == 7 && q.tm && q.dm && q.index == 5,
           "xAPIC IRTE: vector, dest bits 47:40, TM, DM");
    TAP_OK(q.addr == (0xFEE07000ull | 1 << 2) && (q.data & 0xFF) == 0x41 &&
               (q.data & (1u << 15)),
           "compatibility message built from the IRTE");
    irte(t, irt, 0x8003, 1 | 0x42ull << 16, 0);
    TAP_OK(remap(t, SID, rmsi(0x8000, true), 3, &q) == 0 && q.vector == 0x42 &&
               q.index == 0x8003,
           "handle bit 15 + subhandle (SHV=1)");
    TAP_OK(remap(t, SID, rmsi(5, true), 0x10000, &q) == MV_FR_IR_REQ_RSVD,
           "SHV=1 with data[31:16] set: 0x20");
    TAP_OK(remap(t, SID, rmsi(5, false) | 1ull << 32, 0, &q) ==
               MV_FR_IR_REQ_RSVD,
           "address bits 63:32 set: 0x20");
    TAP_OK(remap(t, SID, 0xFEE00000, 0x30, &q) == MV_FR_IR_COMPAT &&
               q.fault_recorded,
           "compatibility format with CFI=0: 0x25");
    mt_gcmd(t, MV_GCMD_CFI, 1);
    TAP_OK(remap(t, SID, 0xFEE00000, 0x30, &q) == 0 && !q.remapped &&
               q.vector == 0x30,
           "compatibility format with CFI=1 passes through");
    TAP_OK(remap(t, SID, rmsi(6, false), 0, &q) == MV_FR_IR_NOT_PRESENT &&
               q.fault_recorded,
           "IRTE P=0: 0x22");
    {
        uint64_t hi, fi;

        mt_clear_faults(t);
        remap(t, SID, rmsi(6, false), 0, &q);
        hi = mt_take_fault(t, 0, &fi);
        TAP_OK(mt_fr(hi) == MV_FR_IR_NOT_PRESENT && (hi & 0xFFFF) == SID &&
                   fi == 6ull << 48,
               "IR fault record: FI = index << 48");
    }
    irte(t, irt, 7, 1 | 1ull << 12, 0);
    TAP_OK(remap(t, SID, rmsi(7, false), 0, &q) == MV_FR_IR_RSVD,
           "IRTE bit 12: 0x24");
    irte(t, irt, 7, 1 | 1ull << 33, 0);
    TAP_OK(remap(t, SID, rmsi(7, false), 0, &q) == MV_FR_IR_RSVD,
           "xAPIC IRTE with DST bit 33: 0x24");
    irte(t, irt, 7, 1 | 1ull << 15, 0);
    TAP_OK(remap(t, SID, rmsi(7, false), 0, &q) == MV_FR_IR_RSVD,
           "posted IRTE without PI: 0x24");
    irte(t, irt, 7, 1, 1ull << 20);
    TAP_OK(remap(t, SID, rmsi(7, false), 0, &q) == MV_FR_IR_RSVD,
           "IRTE bit 84: 0x24");
    irte(t, irt, 7, 1, 3ull << 18);
    TAP_OK(remap(t, SID, rmsi(7, false), 0, &q) == MV_FR_IR_RSVD,
           "IRTE SVT=11: 0x24");
    irte(t, irt, 7, 1 | 3u << 5, 0);
    TAP_OK(remap(t, SID, rmsi(7, false), 0, &q) == MV_FR_IR_RSVD,
           "IRTE DLM=011: 0x24");
    /* FPD suppresses recording of faults found after the IRTE is read */
    mt_clear_faults(t);
    irte(t, irt, 8, 2 | 1ull << 12, 0);
    TAP_OK(remap(t, SID, rmsi(8, false), 0, &q) == MV_FR_IR_NOT_PRESENT &&
               !q.fault_recorded,
           "FPD=1 (P=0): 0x22 not recorded");
    irte(t, irt, 8, 3 | 1ull << 12, 0);
    TAP_OK(remap(t, SID, rmsi(8, false), 0, &q) == MV_FR_IR_RSVD &&
               !q.fault_recorded && !(mt_r32(t, MV_REG_FSTS) & MV_FSTS_PPF),
           "FPD=1: 0x24 not recorded");
    mt_gcmd(t, MV_GCMD_IRE, 0);
    TAP_OK(remap(t, SID, rmsi(8, false), 0x99, &q) == 0 && !q.remapped &&
               q.data == 0x99,
           "IRE off: untouched");
    mt_free(t);
}

static void test_index_bounds(void)
{
    uint64_t irt;
    struct mt *t = setup(false, VTD_CACHE_MINIMAL, 3, &irt); /* 16 entries */
    struct vtd_irq q;

    irte(t, irt, 15, 1 | 0x50ull << 16, 0);
    irte(t, irt, 16, 1 | 0x51ull << 16, 0);
    TAP_OK(remap(t, SID, rmsi(15, false), 0, &q) == 0 && q.vector == 0x50,
           "index 15 of 16");
    TAP_OK(remap(t, SID, rmsi(16, false), 0, &q) == MV_FR_IR_INDEX &&
               q.fault_recorded,
           "index 16 of 16: 0x21, the entry past the table is not read");
    TAP_OK(remap(t, SID, rmsi(14, true), 2, &q) == MV_FR_IR_INDEX,
           "handle+subhandle beyond: 0x21");
    TAP_OK(remap(t, SID, rmsi(0x7FFF, true), 0xFFFF, &q) == MV_FR_IR_INDEX,
           "handle 0x7fff + subhandle 0xffff: 0x21");
    mt_free(t);

    {
        struct vtd_config c = mt_default_config();

        t = mt_new(&c);
        mt_w64(t, MV_REG_IRTA, 0x7000000000ull | 15);
        mt_gcmd(t, MV_GCMD_SIRTP, 1);
        mt_gcmd(t, MV_GCMD_IRE, 1);
        TAP_OK(remap(t, SID, rmsi(0, false), 0, &q) == MV_FR_IR_ACCESS,
               "IRT outside RAM: 0x23");
        mt_free(t);
    }
}

static void test_sid_check(void)
{
    uint64_t irt;
    struct mt *t = setup(false, VTD_CACHE_MINIMAL, 7, &irt);
    struct vtd_irq q;

    irte(t, irt, 1, 1, SID | 1ull << 18);
    TAP_OK(remap(t, SID, rmsi(1, false), 0, &q) == 0,
           "SVT=01 SQ=00: exact SID matches");
    TAP_OK(remap(t, SID + 1, rmsi(1, false), 0, &q) == MV_FR_IR_SID,
           "SVT=01 SQ=00: other SID 0x26");
    irte(t, irt, 1, 1, SID | 1ull << 18 | 3ull << 16);
    TAP_OK(remap(t, SID + 7, rmsi(1, false), 0, &q) == 0,
           "SQ=11 ignores SID[2:0]");
    TAP_OK(remap(t, SID + 8, rmsi(1, false), 0, &q) == MV_FR_IR_SID,
           "SQ=11: next device fails");
    irte(t, irt, 1, 1, SID | 1ull << 18 | 1ull << 16);
    TAP_OK(remap(t, SID ^ 4, rmsi(1, false), 0, &q) == 0,
           "SQ=01 ignores SID[2]");
    TAP_OK(remap(t, SID ^ 2, rmsi(1, false), 0, &q) == MV_FR_IR_SID,
           "SQ=01 checks SID[1]");
    /* 5.1.4: the requester is verified before the entry is interpreted
     * in remapped format: a failed verification is 0x26 even where a
     * reserved field is set too. */
    irte(t, irt, 3, 1 | 1ull << 12, SID | 1ull << 18);
    TAP_OK(remap(t, SID + 1, rmsi(3, false), 0, &q) == MV_FR_IR_SID,
           "reserved bit 12 and another SID: 0x26 first");
    TAP_OK(remap(t, SID, rmsi(3, false), 0, &q) == MV_FR_IR_RSVD,
           "reserved bit 12 and the SID verified: 0x24");
    irte(t, irt, 2, 1, 0x0305 | 2ull << 18); /* buses 3..5 */
    TAP_OK(remap(t, 0x0400, rmsi(2, false), 0, &q) == 0,
           "SVT=10: bus 4 within 3..5");
    TAP_OK(remap(t, 0x0300, rmsi(2, false), 0, &q) == 0, "SVT=10: start bus");
    TAP_OK(remap(t, 0x0510, rmsi(2, false), 0, &q) == 0, "SVT=10: end bus");
    TAP_OK(remap(t, 0x0600, rmsi(2, false), 0, &q) == MV_FR_IR_SID,
           "SVT=10: bus 6 outside");
    TAP_OK(remap(t, 0x0200, rmsi(2, false), 0, &q) == MV_FR_IR_SID,
           "SVT=10: bus 2 outside");
    mt_free(t);
}

static void test_x2apic(void)
{
    uint64_t irt;
    struct mt *t = setup(true, VTD_CACHE_MINIMAL, 7, &irt);
    struct vtd_irq q;

    irte(t, irt, 3, 1 | 0x60ull << 16 | 0x12345ull << 32, 0);
    TAP_OK(remap(t, SID, rmsi(3, false), 0, &q) == 0 && q.dest == 0x12345 &&
               q.addr == (0xFEE45000ull | 0x123ull << 32),
           "x2APIC: 32-bit destination");
    mt_gcmd(t, MV_GCMD_CFI, 1);
    TAP_OK(remap(t, SID, 0xFEE00000, 0x30, &q) == MV_FR_IR_COMPAT,
           "x2APIC mode: compatibility format blocked even with CFI");
    mt_free(t);
}

static void test_iec(void)
{
    uint64_t irt;
    struct mt *t = setup(false, VTD_CACHE_MAXIMAL, 7, &irt);
    struct vtd_irq q;

    irte(t, irt, 4, 1 | 0x70ull << 16, 0);
    remap(t, SID, rmsi(4, false), 0, &q);
    irte(t, irt, 4, 1 | 0x71ull << 16, 0);
    TAP_OK(remap(t, SID, rmsi(4, false), 0, &q) == 0 && q.vector == 0x70,
           "maximal: IRTE cached until IEC invalidation");
    mt_qi_sync(t, MV_QI_IEC | BIT64(4) | 2ull << 27 | 8ull << 32, 0);
    TAP_OK(remap(t, SID, rmsi(4, false), 0, &q) == 0 && q.vector == 0x70,
           "IEC of indices 8..11 leaves index 4");
    mt_qi_sync(t, MV_QI_IEC | BIT64(4) | 2ull << 27 | 5ull << 32, 0);
    TAP_OK(remap(t, SID, rmsi(4, false), 0, &q) == 0 && q.vector == 0x71,
           "IEC of indices 4..7 (IIDX 5, IM 2) refreshes index 4");
    irte(t, irt, 4, 1 | 0x72ull << 16, 0);
    mt_qi_sync(t, MV_QI_IEC, 0);
    TAP_OK(remap(t, SID, rmsi(4, false), 0, &q) == 0 && q.vector == 0x72,
           "global IEC");
    irte(t, irt, 4, 1 | 0x73ull << 16, 0);
    mt_gcmd(t, MV_GCMD_SIRTP, 1);
    TAP_OK(q.vector == 0x72 && remap(t, SID, rmsi(4, false), 0, &q) == 0 &&
               q.vector == 0x72,
           "SIRTP without ESIRTPS keeps the IEC");
    mt_free(t);
}

int main(void)
{
    test_basic();
    test_index_bounds();
    test_sid_check();
    test_x2apic();
    test_iec();
    return tap_done();
}
