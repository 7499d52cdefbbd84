/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/qi.c — queued invalidation (spec 6.5.2, 10.4.22-10.4.27).
 */
#include <string.h>

#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/wait.h"
#include "vtd/qi.h"

unsigned vtd_desc_type(const struct vtd_desc *d)
{
    return (unsigned)(FIELD_GET(VTD_DESC_TYPE_LO, d->qw[0]) |
                      FIELD_GET(VTD_DESC_TYPE_HI, d->qw[0]) << 4);
}

const char *vtd_desc_type_name(unsigned type)
{
    static const char *const names[] = {
        [1] = "context-cache",       [2] = "IOTLB",
        [3] = "device-TLB",          [4] = "interrupt-entry-cache",
        [5] = "invalidation-wait",   [6] = "PASID-IOTLB",
        [7] = "PASID-cache",         [8] = "PASID-device-TLB",
        [9] = "page-group-response",
    };

    if (type < sizeof(names) / sizeof(names[0]) && names[type])
        return names[type];
    return "reserved";
}

static struct vtd_desc desc0(unsigned type, uint64_t qw0, uint64_t qw1)
{
    struct vtd_desc d = { { 0 } };

    d.qw[0] = qw0 | FIELD_PREP(VTD_DESC_TYPE_LO, type) |
              FIELD_PREP(VTD_DESC_TYPE_HI, type >> 4);
    d.qw[1] = qw1;
    return d;
}

struct vtd_desc vtd_desc_cc(unsigned gran, uint16_t did, uint16_t sid,
                            unsigned fm)
{
    return desc0(VTD_DESC_CC,
                 FIELD_PREP(VTD_DESC_CC_G, gran) |
                     FIELD_PREP(VTD_DESC_CC_DID, did) |
                     FIELD_PREP(VTD_DESC_CC_SID, sid) |
                     FIELD_PREP(VTD_DESC_CC_FM, fm),
                 0);
}

struct vtd_desc vtd_desc_iotlb(const struct vtd_iotlb_req *r)
{
    uint64_t qw1 = 0;

    if (r->gran == VTD_GRAN_PAGE)
        qw1 = (r->addr & VTD_DESC_ADDR) | (r->ih ? VTD_DESC_ADDR_IH : 0) |
              FIELD_PREP(VTD_DESC_ADDR_AM, r->am);
    return desc0(VTD_DESC_IOTLB,
                 FIELD_PREP(VTD_DESC_IOTLB_G, r->gran) |
                     (r->dw ? VTD_DESC_IOTLB_DW : 0) |
                     (r->dr ? VTD_DESC_IOTLB_DR : 0) |
                     FIELD_PREP(VTD_DESC_IOTLB_DID, r->did),
                 qw1);
}

struct vtd_desc vtd_desc_devtlb(uint16_t sid, uint16_t pfsid, unsigned mip,
                                uint64_t addr, bool size)
{
    return desc0(VTD_DESC_DEVTLB,
                 FIELD_PREP(VTD_DESC_DT_PFSID_LO, pfsid & 0xF) |
                     FIELD_PREP(VTD_DESC_DT_PFSID_HI, pfsid >> 4) |
                     FIELD_PREP(VTD_DESC_DT_MIP, mip) |
                     FIELD_PREP(VTD_DESC_DT_SID, sid),
                 (addr & VTD_DESC_ADDR) | (size ? VTD_DESC_DT_S : 0));
}

struct vtd_desc vtd_desc_iec(bool index_selective, uint16_t iidx, unsigned im)
{
    return desc0(VTD_DESC_IEC,
                 (index_selective ? VTD_DESC_IEC_G : 0) |
                     FIELD_PREP(VTD_DESC_IEC_IM, im) |
                     FIELD_PREP(VTD_DESC_IEC_IIDX, iidx),
                 0);
}

struct vtd_desc vtd_desc_wait(uint64_t flags, uint32_t data, uint64_t status_pa)
{
    return desc0(VTD_DESC_WAIT,
                 (flags & (VTD_DESC_WAIT_IF | VTD_DESC_WAIT_SW |
                           VTD_DESC_WAIT_FN | VTD_DESC_WAIT_PD)) |
                     FIELD_PREP(VTD_DESC_WAIT_DATA, data),
                 status_pa & VTD_DESC_WAIT_ADDR);
}

struct vtd_desc vtd_desc_piotlb(unsigned gran, uint16_t did, uint32_t pasid,
                                uint64_t addr, unsigned am, bool ih)
{
    return desc0(VTD_DESC_PIOTLB,
                 FIELD_PREP(VTD_DESC_P_G, gran) |
                     FIELD_PREP(VTD_DESC_P_DID, did) |
                     FIELD_PREP(VTD_DESC_P_PASID, pasid),
                 (addr & VTD_DESC_ADDR) | (ih ? VTD_DESC_ADDR_IH : 0) |
                     FIELD_PREP(VTD_DESC_ADDR_AM, am));
}

/* 6.5.2.6: PFSID split as in type 3, MIP at 8:4, SID at 31:16. */
struct vtd_desc vtd_desc_pdevtlb(uint16_t sid, uint16_t pfsid, unsigned mip,
                                 uint32_t pasid, uint64_t addr, bool size,
                                 bool global)
{
    return desc0(VTD_DESC_PDEVTLB,
                 FIELD_PREP(VTD_DESC_DT_PFSID_LO, pfsid & 0xF) |
                     FIELD_PREP(VTD_DESC_DT_PFSID_HI, pfsid >> 4) |
                     FIELD_PREP(VTD_DESC_PDT_MIP, mip) |
                     FIELD_PREP(VTD_DESC_PDT_SID, sid) |
                     FIELD_PREP(VTD_DESC_P_PASID, pasid),
                 (addr & VTD_DESC_ADDR) | (size ? VTD_DESC_PDT_S : 0) |
                     (global ? VTD_DESC_PDT_G : 0));
}

struct vtd_desc vtd_desc_pc(unsigned gran, uint16_t did, uint32_t pasid)
{
    return desc0(VTD_DESC_PC,
                 FIELD_PREP(VTD_DESC_P_G, gran) |
                     FIELD_PREP(VTD_DESC_P_DID, did) |
                     FIELD_PREP(VTD_DESC_P_PASID, pasid),
                 0);
}

/* ------------------------------------------------------------- the queue */

static unsigned dsize(const struct vtd_qi *qi)
{
    return qi->dw ? 32 : 16;
}

/* IQH/IQT hold a byte offset: index << 4 (128-bit) or << 5 (256-bit). */
static unsigned reg_to_index(const struct vtd_qi *qi, uint64_t reg)
{
    return (unsigned)(FIELD_GET(VTD_IQ_PTR, reg) >> (qi->dw ? 1 : 0));
}

static uint64_t index_to_reg(const struct vtd_qi *qi, unsigned index)
{
    return (uint64_t)index * dsize(qi);
}

static uint64_t *slot(const struct vtd_qi *qi, unsigned index)
{
    return (uint64_t *)((char *)qi->queue + (size_t)index * dsize(qi));
}

int vtd_qi_init(struct vtd_qi *qi, struct vtd_unit *u, unsigned qs, bool dw)
{
    memset(qi, 0, sizeof(*qi));
    qi->u = u;
    if (!vtd_has_ecap(u, VTD_ECAP_QI))
        return vtd_fail(u, VTD_ENOTSUP, "queued invalidation needs ECAP.QI");
    if (dw && !vtd_has_ecap(u, VTD_ECAP_SMTS))
        return vtd_fail(u, VTD_ENOTSUP,
                        "256-bit descriptors (IQA.DW) need "
                        "ECAP.SMTS");
    if (qs > 7)
        return vtd_fail(u, VTD_EINVAL, "IQA.QS %u above 7", qs);
    qi->qs = qs;
    qi->dw = dw;
    qi->nent = (4096u << qs) / dsize(qi);
    qi->queue = plat_alloc_pages(1u << qs);
    qi->status = plat_alloc_pages(1);
    if (!qi->queue || !qi->status) {
        vtd_qi_destroy(qi);
        return vtd_fail(u, VTD_ENOMEM, "no pages for a %u-page queue",
                        1u << qs);
    }
    qi->queue_pa = plat_virt_to_phys(qi->queue);
    qi->status_pa = plat_virt_to_phys((void *)qi->status);
    qi->last_type = VTD_DESC_WAIT;
    return VTD_OK;
}

void vtd_qi_destroy(struct vtd_qi *qi)
{
    if (qi->u && qi->u->qi == qi)
        qi->u->qi = NULL;
    if (qi->queue)
        plat_free_pages(qi->queue, 1u << qi->qs);
    if (qi->status)
        plat_free_pages((void *)qi->status, 1);
    qi->queue = NULL;
    qi->status = NULL;
}

int vtd_qi_enable(struct vtd_qi *qi)
{
    struct vtd_unit *u = qi->u;
    uint64_t ccmd = vtd_read64(u, VTD_CCMD), iotlb = vtd_read64(u, u->iotlb);
    int rc;

    /* 6.5.2: switch only with no register-based invalidation pending. */
    if ((ccmd & VTD_CCMD_ICC) || (iotlb & VTD_IOTLB_IVT))
        return vtd_fail(u, VTD_EBUSY,
                        "QIE refused: register invalidation "
                        "pending (CCMD 0x%016lx IOTLB 0x%016lx)",
                        (unsigned long)ccmd, (unsigned long)iotlb);
    /* 10.4.23: the tail must be 0 when the queue is enabled (a tail left
     * behind is fetched at once). */
    vtd_write64(u, VTD_IQT, 0);
    vtd_write64(u, VTD_IQA,
                (qi->queue_pa & VTD_IQA_IQA) | (qi->dw ? VTD_IQA_DW : 0) |
                    FIELD_PREP(VTD_IQA_QS, qi->qs));
    qi->tail = 0;
    /* Nothing processed yet: a disable must queue a wait first (QEMU
     * ignores QIE=0 until it has processed one). */
    qi->last_type = 0;
    rc = vtd_gcmd_enable(u, VTD_GCMD_QIE, true);
    if (rc)
        return rc;
    u->qi = qi;
    return VTD_OK;
}

static void capture(struct vtd_qi *qi, int err, uint32_t fsts)
{
    struct vtd_unit *u = qi->u;
    struct vtd_qi_err *e = &qi->err;

    e->err = err;
    e->fsts = fsts;
    e->iqh = vtd_read64(u, VTD_IQH);
    e->iqt = vtd_read64(u, VTD_IQT);
    e->iqercd = vtd_read64(u, VTD_IQERCD);
    e->head = reg_to_index(qi, e->iqh) % qi->nent;
    memset(&e->desc, 0, sizeof(e->desc));
    memcpy(&e->desc, slot(qi, e->head), dsize(qi));
}

/* Any queue error in FSTS: VTD_EIQE/EICE/EITE (recorded), else VTD_OK. */
static int check_fsts(struct vtd_qi *qi)
{
    uint32_t fsts = vtd_read32(qi->u, VTD_FSTS);
    int err;

    if (fsts & VTD_FSTS_IQE)
        err = VTD_EIQE;
    else if (fsts & VTD_FSTS_ITE)
        err = VTD_EITE;
    else if (fsts & VTD_FSTS_ICE)
        err = VTD_EICE;
    else
        return VTD_OK;
    capture(qi, err, fsts);
    return vtd_fail(qi->u, err,
                    "%s: FSTS 0x%08x IQH 0x%lx IQT 0x%lx IQERCD "
                    "0x%lx, descriptor %u: %s 0x%016lx 0x%016lx",
                    vtd_strerror(err), fsts, (unsigned long)qi->err.iqh,
                    (unsigned long)qi->err.iqt, (unsigned long)qi->err.iqercd,
                    qi->err.head,
                    vtd_desc_type_name(vtd_desc_type(&qi->err.desc)),
                    (unsigned long)qi->err.desc.qw[0],
                    (unsigned long)qi->err.desc.qw[1]);
}

static int timed_out(struct vtd_qi *qi, const char *what)
{
    capture(qi, VTD_ETIMEDOUT, vtd_read32(qi->u, VTD_FSTS));
    return vtd_fail(qi->u, VTD_ETIMEDOUT,
                    "%s: not done after %lu ms: FSTS "
                    "0x%08x IQH 0x%lx IQT 0x%lx (software tail %u) GSTS "
                    "0x%08x",
                    what, (unsigned long)(qi->u->timeout_ns / 1000000),
                    qi->err.fsts, (unsigned long)qi->err.iqh,
                    (unsigned long)qi->err.iqt, qi->tail, vtd_gsts(qi->u));
}

unsigned vtd_qi_free(const struct vtd_qi *qi)
{
    unsigned head = reg_to_index(qi, vtd_read64(qi->u, VTD_IQH)) % qi->nent;
    unsigned used = (qi->tail + qi->nent - head) % qi->nent;

    return qi->nent - 1 - used;
}

int vtd_qi_submit(struct vtd_qi *qi, const struct vtd_desc *d, unsigned n)
{
    uint64_t deadline = plat_now_ns() + qi->u->timeout_ns;
    int rc;

    if (!(vtd_gsts(qi->u) & VTD_GCMD_QIE))
        return vtd_fail(qi->u, VTD_EQIOFF,
                        "submit: QIES clear (GSTS "
                        "0x%08x)",
                        vtd_gsts(qi->u));
    if (n >= qi->nent)
        return vtd_fail(qi->u, VTD_EINVAL,
                        "%u descriptors exceed a %u-entry "
                        "queue",
                        n, qi->nent);
    while (vtd_qi_free(qi) < n) {
        rc = check_fsts(qi);
        if (rc)
            return rc;
        if (plat_now_ns() > deadline)
            return timed_out(qi, "waiting for room in the queue");
    }
    for (unsigned i = 0; i < n; i++) {
        vtd_qi_write_slot(qi, qi->tail, &d[i]);
        qi->tail = (qi->tail + 1) % qi->nent;
        qi->last_type = vtd_desc_type(&d[i]);
    }
    /* 6.5.2: the queue is always coherent; order the stores before IQT. */
    plat_wmb();
    vtd_write64(qi->u, VTD_IQT, index_to_reg(qi, qi->tail));
    return VTD_OK;
}

int vtd_qi_wait(struct vtd_qi *qi, uint64_t flags)
{
    struct vtd_desc w;
    uint64_t deadline;
    uint32_t want = ++qi->seq;
    int rc;

    if (!want)
        want = ++qi->seq;
    qi->status[0] = 0;
    w = vtd_desc_wait(flags | VTD_DESC_WAIT_SW, want, qi->status_pa);
    rc = vtd_qi_submit(qi, &w, 1);
    if (rc)
        return rc;
    deadline = plat_now_ns() + qi->u->timeout_ns;
    for (;;) {
        /* 6.5.2.8: the status write is the completion; errors stop it. */
        if (qi->status[0] == want)
            break;
        rc = check_fsts(qi);
        if (rc)
            return rc;
        if (plat_now_ns() > deadline) {
            if (qi->status[0] == want)
                break;
            return timed_out(qi, "invalidation wait");
        }
    }
    qi->ics = vtd_read32(qi->u, VTD_ICS);
    return VTD_OK;
}

/* Status words: [0] vtd_qi_wait, [1] the waits recovery writes, [2]
 * vtd_qi_wait_raw. */
#define QI_STATUS_RAW 2

int vtd_qi_wait_raw(struct vtd_qi *qi, uint64_t flags)
{
    volatile uint32_t *word = &qi->status[QI_STATUS_RAW];
    uint32_t want = ++qi->seq;
    struct vtd_desc w;
    uint64_t deadline;
    int rc;

    if (!want)
        want = ++qi->seq;
    *word = 0;
    w = vtd_desc_wait(flags, want, qi->status_pa + 4 * QI_STATUS_RAW);
    rc = vtd_qi_submit(qi, &w, 1);
    if (rc)
        return rc;
    if (!(flags & VTD_DESC_WAIT_SW)) {
        rc = vtd_qi_drain(qi);
        qi->ics = vtd_read32(qi->u, VTD_ICS);
        return rc;
    }
    deadline = plat_now_ns() + qi->u->timeout_ns;
    while (*word != want) {
        rc = check_fsts(qi);
        if (rc)
            return rc;
        if (plat_now_ns() > deadline && *word != want)
            return timed_out(qi, "invalidation wait (status write)");
    }
    qi->ics = vtd_read32(qi->u, VTD_ICS);
    return VTD_OK;
}

int vtd_qi_sync(struct vtd_qi *qi, const struct vtd_desc *d, unsigned n)
{
    int rc = vtd_qi_submit(qi, d, n);

    return rc ? rc : vtd_qi_wait(qi, 0);
}

int vtd_qi_drain(struct vtd_qi *qi)
{
    uint64_t deadline = plat_now_ns() + qi->u->timeout_ns;
    int rc;

    for (;;) {
        unsigned head = reg_to_index(qi, vtd_read64(qi->u, VTD_IQH));

        if (head == qi->tail)
            return VTD_OK;
        rc = check_fsts(qi);
        if (rc)
            return rc;
        if (plat_now_ns() > deadline)
            return timed_out(qi, "queue drain");
    }
}

int vtd_qi_recover(struct vtd_qi *qi)
{
    struct vtd_unit *u = qi->u;
    uint32_t fsts = vtd_read32(u, VTD_FSTS);
    unsigned head = reg_to_index(qi, vtd_read64(u, VTD_IQH)) % qi->nent;

    if (fsts & VTD_FSTS_IQE) {
        /* The wait writes a scratch word, so nobody mistakes it for a
         * completion it was not. */
        struct vtd_desc nop = vtd_desc_wait(VTD_DESC_WAIT_SW, 0,
                                            qi->status_pa + 4);

        vtd_qi_write_slot(qi, head, &nop);
        plat_wmb();
    }
    /* A valid tail before the error is cleared: the unit resumes fetching
     * as soon as it is, and a bad tail would stop it again at once. Then
     * the tail once more, as QEMU fetches only on a tail write. */
    vtd_write64(u, VTD_IQT, index_to_reg(qi, qi->tail));
    vtd_write32(u, VTD_FSTS,
                fsts & (VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE));
    vtd_write64(u, VTD_IQT, index_to_reg(qi, qi->tail));
    return vtd_qi_drain(qi);
}

int vtd_qi_abandon(struct vtd_qi *qi)
{
    struct vtd_unit *u = qi->u;
    uint64_t iqh = vtd_read64(u, VTD_IQH);
    int rc;

    vtd_write64(u, VTD_IQT, iqh);
    vtd_write32(u, VTD_FSTS,
                vtd_read32(u, VTD_FSTS) &
                    (VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE));
    qi->tail = reg_to_index(qi, iqh) % qi->nent;
    qi->last_type = VTD_DESC_WAIT;
    rc = vtd_gcmd_enable(u, VTD_GCMD_QIE, false);
    if (rc)
        return rc;
    if (u->qi == qi)
        u->qi = NULL;
    return VTD_OK;
}

int vtd_qi_disable(struct vtd_qi *qi)
{
    struct vtd_unit *u = qi->u;
    int rc;

    if (!(vtd_gsts(u) & VTD_GCMD_QIE)) {
        u->gcmd &= ~VTD_GCMD_QIE;
        if (u->qi == qi)
            u->qi = NULL;
        return VTD_OK;
    }
    if (qi->last_type != VTD_DESC_WAIT) {
        rc = vtd_qi_wait(qi, 0);
        if (rc)
            return rc;
    }
    rc = vtd_qi_drain(qi);
    if (rc)
        return rc;
    rc = vtd_gcmd_enable(u, VTD_GCMD_QIE, false);
    if (rc) {
        char msg[sizeof(u->err)];

        memcpy(msg, u->err, sizeof(msg));
        return vtd_fail(u, rc, "%s; IQH 0x%lx IQT 0x%lx", msg,
                        (unsigned long)vtd_read64(u, VTD_IQH),
                        (unsigned long)vtd_read64(u, VTD_IQT));
    }
    if (u->qi == qi)
        u->qi = NULL;
    return VTD_OK;
}

void vtd_qi_write_tail_raw(struct vtd_qi *qi, uint64_t iqt)
{
    vtd_write64(qi->u, VTD_IQT, iqt);
}

void vtd_qi_write_slot(struct vtd_qi *qi, unsigned index,
                       const struct vtd_desc *d)
{
    volatile uint64_t *s = slot(qi, index % qi->nent);

    for (unsigned i = 0; i < dsize(qi) / 8; i++)
        s[i] = d->qw[i];
}

void vtd_qi_err_print(const struct vtd_qi_err *e)
{
    vt_printf("# qi error %s: FSTS 0x%08x IQH 0x%lx IQT 0x%lx IQERCD 0x%lx "
              "(IQEI %u) descriptor %u: %s 0x%016lx 0x%016lx\n",
              vtd_strerror(e->err), e->fsts, (unsigned long)e->iqh,
              (unsigned long)e->iqt, (unsigned long)e->iqercd,
              (unsigned)FIELD_GET(VTD_IQERCD_IQEI, e->iqercd), e->head,
              vtd_desc_type_name(vtd_desc_type(&e->desc)),
              (unsigned long)e->desc.qw[0], (unsigned long)e->desc.qw[1]);
}
