/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/vtd_prq.c — page requests (§7.5): the page request queue and its
 * registers (PQH, PQT, PQA, PRS, the page request event), requests from
 * devices, and page group responses (descriptor type 9) going back to them.
 *
 * Requests are handled synchronously: a request is either in the queue, or
 * dropped with PRS.PRO, or refused, when vtd_page_request() returns. A drain
 * (wait descriptor with PD) therefore has nothing left to wait for.
 */
#include "model/vtd_internal.h"

#define PRQ_DESC 32u

static uint64_t prq_size(const struct vtd_model *m)
{
    return 4096ull << (m->pqa & MV_PQA_PQS);
}

void vtd_prq_reset(struct vtd_model *m)
{
    m->pqh = m->pqt = m->pqa = 0;
    m->prs = 0;
    vtd_event_reset(&m->pe);
}

bool vtd_prq_reg_read(const struct vtd_model *m, uint64_t base, uint64_t *v)
{
    if (!(m->ecap & MV_ECAP_PRS))
        return false;
    /* clang-format off */
    switch (base) {
    case MV_REG_PQH:     *v = m->pqh; return true;
    case MV_REG_PQT:     *v = m->pqt; return true;
    case MV_REG_PQA:     *v = m->pqa; return true;
    case MV_REG_PRS:     *v = m->prs; return true;
    case MV_REG_PECTL:   *v = m->pe.ctl; return true;
    case MV_REG_PEDATA:  *v = m->pe.data; return true;
    case MV_REG_PEADDR:  *v = m->pe.addr; return true;
    case MV_REG_PEUADDR: *v = m->pe.uaddr; return true;
    default:              return false;
    }
    /* clang-format on */
}

static uint64_t merge(uint64_t old, uint64_t val, uint64_t wmask, uint64_t rw)
{
    return (old & ~(wmask & rw)) | (val & wmask & rw);
}

bool vtd_prq_reg_write(struct vtd_model *m, uint64_t base, uint64_t val,
                       uint64_t wmask)
{
    if (!(m->ecap & MV_ECAP_PRS))
        return false;
    switch (base) {
    case MV_REG_PQH:
        m->pqh = merge(m->pqh, val, wmask, MV_PQ_PTR);
        return true;
    case MV_REG_PQT:
        m->pqt = merge(m->pqt, val, wmask, MV_PQ_PTR);
        return true;
    case MV_REG_PQA:
        m->pqa = merge(m->pqa, val, wmask, MV_PQA_PQA | MV_PQA_PQS);
        return true;
    case MV_REG_PRS:
        /* W1C; clearing PPR also clears a pending (masked) event */
        if ((uint32_t)val & MV_PRS_PPR & m->prs)
            m->pe.ctl &= ~MV_ECTL_IP;
        m->prs &= ~((uint32_t)val & (MV_PRS_PPR | MV_PRS_PRO));
        return true;
    case MV_REG_PECTL:
    case MV_REG_PEDATA:
    case MV_REG_PEADDR:
    case MV_REG_PEUADDR:
        /* PEDATA keeps all 32 bits */
        vtd_event_write(m, &m->pe, (unsigned)(base - MV_REG_PECTL) / 4,
                        (uint32_t)val, ~0u);
        return true;
    default:
        return false;
    }
}

static void respond(struct vtd_model *m, const struct vtd_page_request *pr,
                    uint8_t code)
{
    struct vtd_page_response r = {
        .sid = pr->sid,
        .has_pasid = pr->has_pasid,
        .pasid = pr->has_pasid ? pr->pasid & 0xFFFFF : 0,
        .code = code,
        .lpig = pr->lpig,
        .prgi = pr->prgi & 0x1FF,
        .has_data = pr->has_data,
        .from_unit = true,
    };

    /* answered: only a group's last request, or one with private data */
    if (!pr->lpig && !pr->has_data)
        return;
    if (pr->has_data) {
        r.data[0] = pr->data[0];
        r.data[1] = pr->data[1];
    }
    if (m->env.page_response)
        m->env.page_response(m->env.opaque, &r);
}

static enum vtd_prq_status refuse(struct vtd_model *m,
                                  const struct vtd_page_request *pr,
                                  uint8_t reason, bool suppressed,
                                  uint8_t *fault_reason)
{
    if (reason && !suppressed) {
        struct mv_fault f = {
            .sid = pr->sid,
            .reason = reason,
            .write = pr->write,
            .has_pasid = pr->has_pasid,
            .pasid = pr->pasid & 0xFFFFF,
            .priv = pr->priv,
            .exe = pr->exec,
            .fi = pr->addr & ~0xFFFull,
        };

        m->stats.faults++;
        vtd_record_fault(m, &f);
    }
    if (fault_reason)
        *fault_reason = reason;
    respond(m, pr, VTD_PRC_INVALID);
    return VTD_PRQ_REFUSED;
}

/* §7.4.1.1 the page request descriptor of a request. */
static void prq_desc(const struct vtd_page_request *pr, uint64_t d[4])
{
    d[0] = FIELD_PREP(MV_PRQ_TYPE, MV_PRQ_TYPE_PAGE) |
           (pr->has_pasid ? MV_PRQ_PASID_P : 0) |
           (pr->has_data ? MV_PRQ_PDP : 0) | FIELD_PREP(MV_PRQ_RID, pr->sid) |
           (pr->has_pasid ? FIELD_PREP(MV_PRQ_PASID, pr->pasid) : 0) |
           (pr->exec ? MV_PRQ_ER : 0) | (pr->priv ? MV_PRQ_PM : 0);
    d[1] = (pr->read ? MV_PRQ_RR : 0) | (pr->write ? MV_PRQ_WR : 0) |
           (pr->lpig ? MV_PRQ_LPIG : 0) | FIELD_PREP(MV_PRQ_PRGI, pr->prgi) |
           (pr->addr & MV_PRQ_ADDR);
    d[2] = pr->has_data ? pr->data[0] : 0;
    d[3] = pr->has_data ? pr->data[1] : 0;
}

enum vtd_prq_status vtd_page_request(struct vtd_model *m,
                                     const struct vtd_page_request *pr,
                                     uint8_t *fault_reason)
{
    struct vtd_ctx_info ci;
    uint64_t size, tail, next, d[4];
    uint8_t fr;

    if (fault_reason)
        *fault_reason = 0;
    if (!(m->ecap & MV_ECAP_PRS))
        return VTD_PRQ_UNSUPPORTED;
    /*
     * With translation off there is nothing to fault a page in for: the
     * request is answered "invalid" and no fault is recorded.
     */
    if (!(m->gsts & MV_GCMD_TE))
        return refuse(m, pr, 0, true, fault_reason);
    if (FIELD_GET(MV_RTADDR_TTM, m->rta_active) != MV_TTM_SCALABLE)
        return refuse(m, pr, MV_FR_SM_LEGACY_PRQ, false, fault_reason);
    fr = vtd_sm_context(m, pr->sid, &ci);
    if (fr)
        return refuse(m, pr, fr, ci.fpd && fr == MV_FR_SM_CTX_INV,
                      fault_reason);
    if (!ci.pre)
        return refuse(m, pr, MV_FR_SM_PRE, ci.fpd, fault_reason);
    if (pr->has_pasid && !ci.paside)
        return refuse(m, pr, MV_FR_SM_PASIDE, ci.fpd, fault_reason);

    size = prq_size(m);
    tail = m->pqt & MV_PQ_PTR & (size - 1);
    next = (tail + PRQ_DESC) & (size - 1);
    prq_desc(pr, d);
    /*
     * Overflow: the queue is full, or an earlier overflow is still
     * flagged. The request is dropped and, when it expects an answer,
     * answered "success" so that the device retries it later.
     */
    if ((m->prs & MV_PRS_PRO) || next == (m->pqh & MV_PQ_PTR & (size - 1)) ||
        m->env.mem_write(m->env.opaque, (m->pqa & MV_PQA_PQA) + tail, d,
                         sizeof(d))) {
        m->prs |= MV_PRS_PRO;
        respond(m, pr, VTD_PRC_SUCCESS);
        return VTD_PRQ_OVERFLOW;
    }
    m->pqt = next;
    if (!(m->prs & MV_PRS_PPR)) {
        m->prs |= MV_PRS_PPR;
        vtd_event_raise(m, &m->pe);
    }
    return VTD_PRQ_QUEUED;
}

uint8_t vtd_prq_group_response(struct vtd_model *m, const uint64_t q[4],
                               bool wide)
{
    struct vtd_page_response r = { 0 };
    unsigned code = (unsigned)FIELD_GET(MV_QI_PGRP_CODE, q[0]);
    bool pdp = (q[0] & MV_QI_PGRP_PDP) != 0;

    if (!(m->ecap & MV_ECAP_PRS))
        return MV_IQEI_TYPE;
    if ((q[0] & MV_QI_PGRP_RSVD0) || (q[1] & MV_QI_PGRP_RSVD1))
        return MV_IQEI_RSVD;
    if (code != VTD_PRC_SUCCESS && code != VTD_PRC_INVALID &&
        code != VTD_PRC_FAILURE)
        return MV_IQEI_RSVD;
    /* private data lives in bits 255:128: a 128-bit descriptor has none */
    if (pdp ? !wide : (wide && (q[2] | q[3])))
        return MV_IQEI_RSVD;
    r.sid = (uint16_t)FIELD_GET(MV_QI_PGRP_RID, q[0]);
    r.has_pasid = (q[0] & MV_QI_PGRP_PASID_P) != 0;
    r.pasid = (uint32_t)FIELD_GET(MV_QI_PASID, q[0]);
    r.code = (uint8_t)code;
    r.lpig = (q[1] & MV_QI_PGRP_LPIG) != 0;
    r.prgi = (uint16_t)FIELD_GET(MV_QI_PGRP_PRGI, q[1]);
    r.has_data = pdp;
    if (pdp) {
        r.data[0] = q[2];
        r.data[1] = q[3];
    }
    if (m->env.page_response)
        m->env.page_response(m->env.opaque, &r);
    return 0;
}
