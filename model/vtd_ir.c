/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/vtd_ir.c — interrupt remapping (§9): remappable-format MSI decode,
 * IRTE fetch through the interrupt-entry cache, source-id verification and
 * IR fault recording.
 */
#include "model/vtd_internal.h"

static int ir_fault(struct vtd_model *m, uint16_t sid, uint8_t reason,
                    uint32_t index, bool qualified, bool fpd,
                    struct vtd_irq *out)
{
    struct mv_fault f = {
        .sid = sid,
        .reason = reason,
        .write = true,
        .fi = FIELD_PREP(MV_FRCD_FI_IIDX, index),
    };

    m->stats.faults++;
    out->fault_reason = reason;
    if (!(qualified && fpd) && !m->probing)
        out->fault_recorded = vtd_record_fault(m, &f);
    return reason;
}

/* §9.2 SVT/SQ: does the requester match the IRTE's source-id? */
static bool sid_ok(uint64_t w1, uint16_t sid)
{
    static const uint16_t sq_mask[4] = { 0xFFFF, 0xFFFB, 0xFFF9, 0xFFF8 };
    unsigned want = irte_sid(w1);

    switch (irte_svt(w1)) {
    case 0:
        return true;
    case 1:
        return ((sid ^ want) & sq_mask[irte_sq(w1)]) == 0;
    case 2: {
        /*
         * Bus range: start bus in SID[15:8], end bus in SID[7:0], as Linux
         * programs it. QEMU reads the two bytes the other way round.
         */
        unsigned bus = sid >> 8, start = want >> 8, end = want & 0xFF;

        return bus >= start && bus <= end;
    }
    default:
        return false;
    }
}

static int read_irte(struct vtd_model *m, uint32_t index, uint64_t irte[2])
{
    struct vtd_cache *c = &m->cache[CK_IEC];
    struct vtd_centry *e = vtd_cache_find(c, index, 0);
    uint64_t a = (m->irta_active & MV_IRTA_ADDR) + index * 16ull;

    if (e) {
        VTD_TRACE(m, VTD_TRACE_HIT, 0, VTD_NO_PASID, index, VTD_TC_IEC, 0);
        irte[0] = e->u.iec.w0;
        irte[1] = e->u.iec.w1;
        return 0;
    }
    if (vtd_rd(m, a, irte, 16))
        return -1;
    e = vtd_cache_insert(c, index, 0);
    if (e) {
        e->u.iec.w0 = irte[0];
        e->u.iec.w1 = irte[1];
    }
    return 0;
}

/* Through as it came: IRE off, or compatibility format with CFIS. */
static int msi_through(uint64_t addr, uint32_t data, struct vtd_irq *out)
{
    out->addr = addr;
    out->data = data;
    out->dest = (uint32_t)FIELD_GET(MV_MSI_COMPAT_DEST, addr);
    out->vector = data & MV_MSI_DATA_VECTOR;
    return 0;
}

/*
 * §5.1.2.2 remappable format: the handle, plus the subhandle in the data
 * with SHV, indexes the IRTE. A fault reason, or 0; *index either way.
 */
static uint8_t msi_index(const struct vtd_model *m, uint64_t addr,
                         uint32_t data, uint32_t *index)
{
    uint32_t handle = (uint32_t)FIELD_GET(MV_MSI_HANDLE_LO, addr) |
                      ((addr & MV_MSI_HANDLE_15) ? 1u << 15 : 0);

    *index = handle;
    if (addr & MV_MSI_SHV) {
        if (data & MV_MSI_DATA_RSVD)
            return MV_FR_IR_REQ_RSVD;
        *index = handle + (data & MV_MSI_SUBHANDLE);
    }
    if (*index >= 2u << (m->irta_active & MV_IRTA_S))
        return MV_FR_IR_INDEX;
    return 0;
}

/*
 * §9.2: present, the requester allowed, nothing reserved set, in that
 * order (rev 5.10 5.1.4: the source-id is verified per SVT/SQ/SID once
 * the entry is present, and only then is the entry interpreted in
 * remapped format, where invalid programming blocks it). A reserved SVT
 * (11b) is a reserved field, as 5.1.4.1 counts conditionally reserved
 * fields programmed wrongly.
 */
static uint8_t irte_check(const uint64_t irte[2], uint16_t sid, bool eime)
{
    uint64_t rsvd0 = MV_IRTE_W0_RSVD | (eime ? 0 : MV_IRTE_W0_XAPIC_RSVD);

    if (!irte_p(irte[0]))
        return MV_FR_IR_NOT_PRESENT;
    if (irte_svt(irte[1]) != 3 && !sid_ok(irte[1], sid))
        return MV_FR_IR_SID;
    /* posted format needs CAP.PI; delivery modes 011 and 110 are reserved */
    if ((irte[0] & rsvd0) || (irte[1] & MV_IRTE_W1_RSVD) || irte_im(irte[0]) ||
        irte_svt(irte[1]) == 3 || irte_dlm(irte[0]) == 3 ||
        irte_dlm(irte[0]) == 6)
        return MV_FR_IR_RSVD;
    return 0;
}

/* The interrupt the IRTE describes, as a compatibility-format message. */
static void irte_deliver(const uint64_t irte[2], bool eime, struct vtd_irq *out)
{
    out->remapped = true;
    out->vector = (uint8_t)irte_vector(irte[0]);
    out->dlm = (uint8_t)irte_dlm(irte[0]);
    out->dm = irte_dm(irte[0]);
    out->rh = irte_rh(irte[0]);
    out->tm = irte_tm(irte[0]);
    out->dest = eime ? irte_dst(irte[0]) : (irte_dst(irte[0]) >> 8) & 0xFF;
    out->addr = MV_MSI_ADDR_BASE | FIELD_PREP(MV_MSI_COMPAT_DEST, out->dest) |
                (out->rh ? MV_MSI_COMPAT_RH : 0) |
                (out->dm ? MV_MSI_COMPAT_DM : 0) |
                FIELD_PREP(MV_MSI_ADDR_HI, out->dest >> 8);
    out->data = out->vector | (uint32_t)FIELD_PREP(MV_MSI_DATA_DLM, out->dlm) |
                (out->tm ? MV_MSI_DATA_TM | MV_MSI_DATA_LEVEL : 0);
}

int vtd_remap_msi(struct vtd_model *m, uint16_t sid, uint64_t addr,
                  uint32_t data, struct vtd_irq *out)
{
    uint64_t irte[2];
    uint32_t index;
    bool eime = (m->irta_active & MV_IRTA_EIME) != 0;
    uint8_t fr;

    memset(out, 0, sizeof(*out));
    VTD_TRACE(m, VTD_TRACE_IR, sid, VTD_NO_PASID, addr, data, 0);
    if (!(m->gsts & MV_GCMD_IRE))
        return msi_through(addr, data, out);
    if ((addr & MV_MSI_ADDR_HI) ||
        FIELD_GET(MV_MSI_ADDR_FEE, addr) != MV_MSI_FEE)
        return ir_fault(m, sid, MV_FR_IR_REQ_RSVD, 0, false, false, out);
    /* compatibility format: through only with CFIS=1 in xAPIC mode (§9.3) */
    if (!(addr & MV_MSI_IF)) {
        if ((m->gsts & MV_GCMD_CFI) && !eime)
            return msi_through(addr, data, out);
        return ir_fault(m, sid, MV_FR_IR_COMPAT, 0, false, false, out);
    }
    fr = msi_index(m, addr, data, &index);
    if (fr)
        return ir_fault(m, sid, fr, index, false, false, out);
    if (read_irte(m, index, irte))
        return ir_fault(m, sid, MV_FR_IR_ACCESS, index, false, false, out);
    out->index = (uint16_t)index;
    fr = irte_check(irte, sid, eime);
    if (fr)
        return ir_fault(m, sid, fr, index, true, irte_fpd(irte[0]), out);
    irte_deliver(irte, eime, out);
    return 0;
}

int vtd_remap_msi_probe(struct vtd_model *m, uint16_t sid, uint64_t addr,
                        uint32_t data, struct vtd_irq *out)
{
    bool enabled = m->cache[CK_IEC].enabled;
    struct vtd_stats stats = m->stats;
    uint32_t trace_mask = m->cfg.trace_mask;
    int r;

    m->cache[CK_IEC].enabled = false;
    m->cfg.trace_mask = 0;
    m->probing = true;
    r = vtd_remap_msi(m, sid, addr, data, out);
    m->probing = false;
    m->cfg.trace_mask = trace_mask;
    m->stats = stats;
    m->cache[CK_IEC].enabled = enabled;
    return r;
}
