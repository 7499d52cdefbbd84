/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/vtd_inval.c — cache invalidation: register-based (CCMD, IVA/IOTLB,
 * §6) and queued (§7), and the single notification point every performed
 * invalidation passes through.
 */
#include "model/vtd_internal.h"

void vtd_set_inval_hook(struct vtd_model *m, vtd_inval_hook_fn fn, void *opaque)
{
    m->inval_hook = fn;
    m->inval_opaque = opaque;
}

void vtd_inval_notify(struct vtd_model *m, const struct vtd_inval_scope *s)
{
    m->stats.invalidations++;
    VTD_TRACE(m, VTD_TRACE_INVAL, s->sid, s->pasid, s->addr, s->kind, s->gran);
    if (m->inval_hook)
        m->inval_hook(m->inval_opaque, s);
}

/* ------------------------------------------------------ cache matching */

struct match_arg {
    const struct vtd_inval_scope *s;
    bool minimal;
    uint16_t fm_mask;
};

static bool range_overlaps(uint64_t b1, uint64_t s1, uint64_t b2, uint64_t s2)
{
    /* sizes may be 0 meaning 2^64 */
    uint64_t e1 = b1 + s1 - 1, e2 = b2 + s2 - 1;

    return b1 <= e2 && b2 <= e1;
}

static bool match_ctx(const struct vtd_centry *e, const void *p)
{
    const struct match_arg *a = p;
    const struct vtd_inval_scope *s = a->s;
    bool did_ok = e->did == s->did || e->did == VTD_ANY_DID;

    if (s->gran == VTD_IG_DOMAIN)
        return did_ok;
    /* device-selective: SID under the function mask, within the domain */
    if ((e->sid & a->fm_mask) != (s->sid & a->fm_mask))
        return false;
    return a->minimal || did_ok;
}

static bool match_pasid(const struct vtd_centry *e, const void *p)
{
    const struct match_arg *a = p;

    if (e->did != a->s->did)
        return false;
    return a->s->gran == VTD_IG_DOMAIN || e->pasid == a->s->pasid;
}

/* IOTLB and paging-structure entries of a DID (and PASID for P-IOTLB). */
static bool match_tlb(const struct vtd_centry *e, const void *p)
{
    const struct match_arg *a = p;
    const struct vtd_inval_scope *s = a->s;
    uint64_t e_last, s_last;

    if (e->did != s->did)
        return false;
    if (s->kind == VTD_INV_PIOTLB && e->pasid != s->pasid)
        return false;
    if (s->gran != VTD_IG_PAGE)
        return true;
    if (!range_overlaps(e->base, e->span, s->addr, s->size))
        return false;
    /*
     * A leaf larger than the range: QEMU's way (the minimal policy) drops
     * it; the maximal policy keeps it, since the architecture asks for an
     * address mask that covers the whole superpage (§6.2).
     */
    if (a->minimal || e->level)
        return true;
    e_last = e->base + e->span - 1;
    s_last = s->addr + s->size - 1;
    return e->base >= s->addr && e_last <= s_last;
}

static bool match_iec(const struct vtd_centry *e, const void *p)
{
    const struct match_arg *a = p;

    return e->key >= a->s->addr && e->key - a->s->addr < a->s->size;
}

/*
 * Page-selective: look the leaves of each size up by key when the range
 * holds few of them, else scan. Keys are exact only when the scope names
 * the PASID tag (legacy IOTLB, or P-IOTLB).
 */
static bool psi_by_key(struct vtd_model *m, const struct vtd_inval_scope *s,
                       const struct match_arg *a)
{
    struct vtd_cache *tlb = &m->cache[CK_IOTLB];
    uint64_t key2, s_last = s->addr + s->size - 1, probes = 0;
    uint32_t pasid;

    if (s->kind == VTD_INV_PIOTLB)
        pasid = s->pasid;
    else if (!(m->ecap & MV_ECAP_SMTS))
        pasid = VTD_NO_PASID;
    else
        return false;
    if (!s->size)
        return false;
    for (unsigned code = 0; code < 3; code++) {
        unsigned shift = 12 + 9 * code;

        if (!(m->tlb_shifts & (1u << code)))
            continue;
        if (((s_last >> shift) - (s->addr >> shift)) >= (1u << 20))
            return false;
        probes += ((s_last >> shift) - (s->addr >> shift)) + 1;
    }
    if (probes > 64 && probes > tlb->nlive / 4)
        return false; /* scanning is cheaper */
    key2 = (uint64_t)s->did << 32 | pasid;
    for (unsigned code = 0; code < 3; code++) {
        unsigned shift = 12 + 9 * code;

        if (!(m->tlb_shifts & (1u << code)))
            continue;
        for (uint64_t pg = s->addr >> shift; pg <= s_last >> shift; pg++) {
            struct vtd_centry *e = vtd_cache_find(tlb, pg << 2 | code, key2);

            if (e && match_tlb(e, a))
                vtd_cache_remove(tlb, e);
        }
    }
    return true;
}

static void inval_iotlb(struct vtd_model *m, const struct vtd_inval_scope *s,
                        const struct match_arg *a)
{
    struct vtd_cache *tlb = &m->cache[CK_IOTLB];

    switch (s->gran) {
    case VTD_IG_GLOBAL:
        vtd_cache_clear(tlb);
        vtd_cache_clear(&m->cache[CK_PSC]);
        return;
    case VTD_IG_DOMAIN:
        /* O(1): the domain's generation moves on */
        vtd_cache_drop_domain(tlb, s->did);
        vtd_cache_drop_domain(&m->cache[CK_PSC], s->did);
        return;
    case VTD_IG_PAGE:
        if (!psi_by_key(m, s, a))
            vtd_cache_remove_if(tlb, match_tlb, a);
        /* IH=1: only leaves changed, non-leaf entries may stay (§6.2) */
        if (!s->ih)
            vtd_cache_remove_if(&m->cache[CK_PSC], match_tlb, a);
        return;
    default: /* PASID-selective P-IOTLB */
        vtd_cache_remove_if(tlb, match_tlb, a);
        vtd_cache_remove_if(&m->cache[CK_PSC], match_tlb, a);
        return;
    }
}

/* Global: the whole cache; else the entries the scope matches. */
static void inval_cache(struct vtd_model *m, enum vtd_cache_kind k,
                        const struct match_arg *a,
                        bool (*match)(const struct vtd_centry *, const void *))
{
    if (a->s->gran == VTD_IG_GLOBAL)
        vtd_cache_clear(&m->cache[k]);
    else
        vtd_cache_remove_if(&m->cache[k], match, a);
}

/* Apply a scope to the caches, then tell whoever listens. */
void vtd_inval_do(struct vtd_model *m, const struct vtd_inval_scope *s)
{
    static const uint16_t fm_masks[4] = { 0xFFFF, 0xFFFB, 0xFFF9, 0xFFF8 };
    struct match_arg a = {
        .s = s,
        .minimal = m->cfg.cache_policy != VTD_CACHE_MAXIMAL,
        .fm_mask = fm_masks[s->fm & 3],
    };

    m->front_gen++;

    switch (s->kind) {
    case VTD_INV_ALL:
        vtd_cache_clear(&m->cache[CK_CONTEXT]);
        vtd_cache_clear(&m->cache[CK_PASID]);
        vtd_cache_clear(&m->cache[CK_IOTLB]);
        vtd_cache_clear(&m->cache[CK_PSC]);
        break;
    case VTD_INV_CONTEXT:
        inval_cache(m, CK_CONTEXT, &a, match_ctx);
        break;
    case VTD_INV_PASID:
        inval_cache(m, CK_PASID, &a, match_pasid);
        break;
    case VTD_INV_IOTLB:
    case VTD_INV_PIOTLB:
        inval_iotlb(m, s, &a);
        break;
    case VTD_INV_IEC:
        inval_cache(m, CK_IEC, &a, match_iec);
        break;
    case VTD_INV_DEVTLB:
        break; /* the device's own cache: the embedder was told */
    }
    vtd_inval_notify(m, s);
}

/* Page range of a PSI: 2^AM pages at ADDR with the low AM bits ignored. */
static void psi_range(struct vtd_inval_scope *s, uint64_t addr, unsigned am)
{
    s->am = (uint8_t)am;
    if (am >= 52) {
        s->addr = 0;
        s->size = 0; /* the whole 2^64 space */
        return;
    }
    s->size = 4096ull << am;
    s->addr = addr & ~(s->size - 1);
}

/* ------------------------------------------------ register-based, §6 */

/*
 * Register-based invalidation is not for use while QI is enabled (§6.5.1),
 * and outside legacy mode (RTADDR.TTM != 00b) the unit "will ignore the
 * value provided by software ... and report a value of 00b" in CAIG/IAIG
 * (§11.4.6.1, §11.4.6.3): reported as not performed.
 */
static bool reg_inval_usable(const struct vtd_model *m)
{
    return !(m->gsts & MV_GCMD_QIE) &&
           FIELD_GET(MV_RTADDR_TTM, m->rta_active) == MV_TTM_LEGACY;
}

void vtd_ccmd_write(struct vtd_model *m)
{
    uint64_t v = m->ccmd;
    unsigned cirg = (unsigned)FIELD_GET(MV_CCMD_CIRG, v), caig = MV_GRAN_NONE;
    struct vtd_inval_scope s = { .kind = VTD_INV_CONTEXT };

    if (reg_inval_usable(m)) {
        s.did = (uint32_t)(FIELD_GET(MV_CCMD_DID, v) & vtd_did_mask(m));
        s.sid = (uint16_t)FIELD_GET(MV_CCMD_SID, v);
        s.fm = (uint8_t)FIELD_GET(MV_CCMD_FM, v);
        /* clang-format off */
        switch (cirg) {
        case MV_GRAN_GLOBAL: s.gran = VTD_IG_GLOBAL; caig = cirg; break;
        case MV_GRAN_DOMAIN: s.gran = VTD_IG_DOMAIN; caig = cirg; break;
        case MV_GRAN_DEVICE: s.gran = VTD_IG_DEVICE; caig = cirg; break;
        default: break;
        }
        /* clang-format on */
        if (caig != MV_GRAN_NONE)
            vtd_inval_do(m, &s);
    }
    v &= ~(MV_CCMD_ICC | MV_CCMD_CAIG);
    m->ccmd = v | (uint64_t)caig << MV_CCMD_CAIG_SHIFT;
}

void vtd_iotlb_write(struct vtd_model *m)
{
    uint64_t v = m->iotlb;
    unsigned iirg = (unsigned)FIELD_GET(MV_IOTLB_IIRG, v), iaig = MV_GRAN_NONE;
    struct vtd_inval_scope s = { .kind = VTD_INV_IOTLB, .pasid = VTD_NO_PASID };

    if (reg_inval_usable(m)) {
        s.did = (uint32_t)(FIELD_GET(MV_IOTLB_DID, v) & vtd_did_mask(m));
        switch (iirg) {
        case MV_GRAN_GLOBAL:
            s.gran = VTD_IG_GLOBAL;
            iaig = iirg;
            break;
        case MV_GRAN_DOMAIN:
            s.gran = VTD_IG_DOMAIN;
            iaig = iirg;
            break;
        case MV_GRAN_DEVICE: {
            unsigned am = (unsigned)FIELD_GET(MV_IVA_AM, m->iva);

            /* §6.2: needs CAP.PSI and AM <= MAMV, else not performed */
            if (!(m->cap & MV_CAP_PSI) || am > FIELD_GET(MV_CAP_MAMV, m->cap))
                break;
            s.gran = VTD_IG_PAGE;
            s.ih = (m->iva & MV_IVA_IH) != 0;
            psi_range(&s, m->iva & MV_IVA_ADDR, am);
            iaig = iirg;
            break;
        }
        default:
            break;
        }
        if (iaig != MV_GRAN_NONE)
            vtd_inval_do(m, &s);
    }
    v &= ~(MV_IOTLB_IVT | MV_IOTLB_IAIG);
    m->iotlb = v | (uint64_t)iaig << MV_IOTLB_IAIG_SHIFT;
}

/* ------------------------------------------------------- queued, §7 */

enum qi_result { QI_OK, QI_ERROR, QI_STOP };

struct qi_desc {
    uint64_t q[4];
    bool wide;
    uint8_t iqei; /* set on QI_ERROR */
};

static enum qi_result qi_err(struct qi_desc *d, uint8_t iqei)
{
    d->iqei = iqei;
    return QI_ERROR;
}

static uint64_t devtlb_size(uint64_t addr, bool s_bit, uint64_t *base)
{
    uint64_t size;

    if (!s_bit) {
        *base = addr & ~0xFFFull;
        return 4096;
    }
    /* §7.3: the lowest 0 bit of ADDR at position >= 12 gives the size */
    {
        uint64_t ones = ~(addr >> 12);
        unsigned n = ones ? (unsigned)__builtin_ctzll(ones) + 12 : 64;

        size = n >= 63 ? 0 : 2ull << n;
    }
    *base = size ? addr & ~(size - 1) : 0;
    return size;
}

static enum qi_result qi_devtlb(struct vtd_model *m, uint16_t sid,
                                bool has_pasid, uint32_t pasid, uint64_t addr,
                                bool s_bit)
{
    struct vtd_inval_scope s = { .kind = VTD_INV_DEVTLB,
                                 .gran = VTD_IG_PAGE,
                                 .sid = sid,
                                 .from_qi = true,
                                 .pasid = has_pasid ? pasid : VTD_NO_PASID };
    enum vtd_devtlb_status st = VTD_DEVTLB_OK;

    s.size = devtlb_size(addr, s_bit, &s.addr);
    vtd_inval_do(m, &s);
    if (m->env.devtlb_inval)
        st = m->env.devtlb_inval(m->env.opaque, sid, has_pasid, pasid, s.addr,
                                 s.size);
    if (st == VTD_DEVTLB_TIMEOUT) {
        m->iqercd = (m->iqercd & ~MV_IQERCD_ITESID) |
                    FIELD_PREP(MV_IQERCD_ITESID, sid);
        vtd_set_fsts_error(m, MV_FSTS_ITE);
        return QI_STOP;
    }
    if (st == VTD_DEVTLB_BAD_COMPLETION) {
        m->iqercd = (m->iqercd & ~MV_IQERCD_ICESID) |
                    FIELD_PREP(MV_IQERCD_ICESID, sid);
        vtd_set_fsts_error(m, MV_FSTS_ICE);
    }
    return QI_OK;
}

/*
 * Which descriptor types are valid (Table 26, §6.5.2.11) follows the
 * translation table mode the unit runs in, RTADDR.TTM as latched by the
 * last SRTP, not what it could run in (ECAP.SMTS): legacy mode takes
 * types 1-5 in a queue of either width, scalable mode types 1-0xA and
 * only in a 256-bit queue (IQEI 5 otherwise, §11.4.9.9), the reserved
 * mode none (IQEI 7; so abort-DMA mode, without ECAP.ADMS). A type of a
 * feature the unit lacks is an invalid type as well: device-TLB (DT,
 * §6.5.2.5-6), interrupt entry cache (IR), page group response (PRS,
 * §7.6.1), HPT cache (HPTS, §6.5.2.7; not modelled).
 */
static uint8_t qi_type_check(const struct vtd_model *m, unsigned type,
                             bool wide)
{
    unsigned last;

    switch ((unsigned)FIELD_GET(MV_RTADDR_TTM, m->rta_active)) {
    case MV_TTM_LEGACY:
        last = MV_QI_WAIT;
        break;
    case MV_TTM_SCALABLE:
        if (!wide)
            return MV_IQEI_WIDTH;
        last = MV_QI_HPT;
        break;
    default:
        return MV_IQEI_TTM;
    }
    if (type < MV_QI_CC || type > last)
        return MV_IQEI_TYPE;
    switch (type) {
    case MV_QI_DEVTLB:
    case MV_QI_PDEVTLB:
        return (m->ecap & MV_ECAP_DT) ? 0 : MV_IQEI_TYPE;
    case MV_QI_IEC:
        return (m->ecap & MV_ECAP_IR) ? 0 : MV_IQEI_TYPE;
    case MV_QI_PGRP_RESP:
        return (m->ecap & MV_ECAP_PRS) ? 0 : MV_IQEI_TYPE;
    case MV_QI_HPT:
        return MV_IQEI_TYPE;
    default:
        return 0;
    }
}

/*
 * PFSID of the device-TLB descriptors (qw0 15:12 and 63:52): without
 * ECAP.DIT the unit "treats this field as reserved" (§6.5.2.5, §6.5.2.6),
 * and a reserved field set is an invalid descriptor (IQEI 4).
 */
static uint64_t pfsid_rsvd(const struct vtd_model *m)
{
    return (m->ecap & MV_ECAP_DIT) ? 0 : MV_QI_PFSID_RSVD;
}

static unsigned qi_type(uint64_t q0)
{
    return (unsigned)(FIELD_GET(MV_QI_TYPE_LO, q0) |
                      FIELD_GET(MV_QI_TYPE_HI, q0) << 4);
}

static unsigned qi_g(uint64_t q0)
{
    return (unsigned)FIELD_GET(MV_QI_G, q0);
}

static uint32_t qi_did(const struct vtd_model *m, uint64_t q0)
{
    return (uint32_t)(FIELD_GET(MV_QI_DID, q0) & vtd_did_mask(m));
}

static struct vtd_inval_scope qi_scope(enum vtd_inval_kind kind)
{
    return (struct vtd_inval_scope){ .kind = kind,
                                     .from_qi = true,
                                     .pasid = VTD_NO_PASID };
}

static enum qi_result qi_do(struct vtd_model *m,
                            const struct vtd_inval_scope *s)
{
    vtd_inval_do(m, s);
    return QI_OK;
}

/* qw1 of a page-selective (PASID-based) IOTLB descriptor: AM, IH, ADDR. */
static bool qi_page_range(const struct vtd_model *m, uint64_t q1,
                          struct vtd_inval_scope *s)
{
    unsigned am = (unsigned)FIELD_GET(MV_QI_AM, q1);

    if (am > FIELD_GET(MV_CAP_MAMV, m->cap))
        return false;
    s->gran = VTD_IG_PAGE;
    s->ih = (q1 & MV_QI_IH) != 0;
    psi_range(s, q1 & MV_QI_ADDR, am);
    return true;
}

/* §6.5.2.1 context-cache invalidate */
static enum qi_result qi_cc(struct vtd_model *m, struct qi_desc *d)
{
    uint64_t q0 = d->q[0];
    unsigned g = qi_g(q0);
    struct vtd_inval_scope s = qi_scope(VTD_INV_CONTEXT);

    if ((q0 & MV_QI_CC_RSVD0) || d->q[1] || g == 0)
        return qi_err(d, MV_IQEI_RSVD);
    s.gran = g == MV_QI_G_GLOBAL   ? VTD_IG_GLOBAL
             : g == MV_QI_G_DOMAIN ? VTD_IG_DOMAIN
                                   : VTD_IG_DEVICE;
    s.did = qi_did(m, q0);
    s.sid = (uint16_t)FIELD_GET(MV_QI_CC_SID, q0);
    s.fm = (uint8_t)FIELD_GET(MV_QI_CC_FM, q0);
    return qi_do(m, &s);
}

/* §6.5.2.3 IOTLB invalidate */
static enum qi_result qi_iotlb(struct vtd_model *m, struct qi_desc *d)
{
    uint64_t q0 = d->q[0], q1 = d->q[1], rsvd = MV_QI_IOTLB_RSVD0;
    unsigned g = qi_g(q0);
    struct vtd_inval_scope s = qi_scope(VTD_INV_IOTLB);

    if (!(m->cap & MV_CAP_DWD))
        rsvd |= MV_QI_IOTLB_DW;
    if (!(m->cap & MV_CAP_DRD))
        rsvd |= MV_QI_IOTLB_DR;
    if ((q0 & rsvd) || (q1 & MV_QI_IOTLB_RSVD1) || g == 0)
        return qi_err(d, MV_IQEI_RSVD);
    s.did = qi_did(m, q0);
    if (g == MV_QI_G_PAGE) {
        /* §6.2: AM above MAMV (or no PSI at all) is an error in QI */
        if (!(m->cap & MV_CAP_PSI) || !qi_page_range(m, q1, &s))
            return qi_err(d, MV_IQEI_RSVD);
    } else {
        s.gran = g == MV_QI_G_GLOBAL ? VTD_IG_GLOBAL : VTD_IG_DOMAIN;
    }
    return qi_do(m, &s);
}

/* §6.5.2.5 device-TLB invalidate */
static enum qi_result qi_dev_tlb(struct vtd_model *m, struct qi_desc *d)
{
    uint64_t q0 = d->q[0], q1 = d->q[1];

    if ((q0 & (MV_QI_DEVTLB_RSVD0 | pfsid_rsvd(m))) ||
        (q1 & MV_QI_DEVTLB_RSVD1))
        return qi_err(d, MV_IQEI_RSVD);
    return qi_devtlb(m, (uint16_t)FIELD_GET(MV_QI_DEVTLB_SID, q0), false, 0,
                     q1 & MV_QI_ADDR, (q1 & MV_QI_DEVTLB_S) != 0);
}

/* §6.5.2.8 interrupt entry cache invalidate */
static enum qi_result qi_iec(struct vtd_model *m, struct qi_desc *d)
{
    uint64_t q0 = d->q[0];
    unsigned im = (unsigned)FIELD_GET(MV_QI_IEC_IM, q0);
    struct vtd_inval_scope s = qi_scope(VTD_INV_IEC);

    if ((q0 & MV_QI_IEC_RSVD0) || d->q[1] ||
        im > FIELD_GET(MV_ECAP_MHMV, m->ecap))
        return qi_err(d, MV_IQEI_RSVD);
    if (q0 & MV_QI_IEC_G) {
        s.gran = VTD_IG_INDEX;
        s.size = 1ull << im;
        s.addr = FIELD_GET(MV_QI_IEC_IIDX, q0) & ~(s.size - 1);
        s.am = (uint8_t)im;
    } else {
        s.gran = VTD_IG_GLOBAL;
    }
    return qi_do(m, &s);
}

/* §6.5.2.9 invalidation wait */
static enum qi_result qi_wait(struct vtd_model *m, struct qi_desc *d)
{
    uint64_t q0 = d->q[0], q1 = d->q[1], rsvd = MV_QI_WAIT_RSVD0;

    if (!(m->ecap & MV_ECAP_PDS))
        rsvd |= MV_QI_WAIT_PD;
    if ((q0 & rsvd) || (q1 & MV_QI_WAIT_RSVD1))
        return qi_err(d, MV_IQEI_RSVD);
    /*
     * §6.5.2.9 makes none of SW, IF, FN (or PD) mandatory: a wait
     * with none of them is valid and completes with nothing to show
     * but IQH moving past it. All earlier descriptors are complete
     * here, so FN needs no work either.
     */
    if (q0 & MV_QI_WAIT_SW) {
        uint32_t data = (uint32_t)FIELD_GET(MV_QI_WAIT_SD, q0);

        /* a failing status write has nowhere to be reported */
        (void)m->env.mem_write(m->env.opaque, q1 & MV_QI_WAIT_SA, &data, 4);
    }
    if (q0 & MV_QI_WAIT_IF)
        vtd_inv_event(m);
    return QI_OK;
}

/* §6.5.2.4 PASID-based IOTLB invalidate */
static enum qi_result qi_piotlb(struct vtd_model *m, struct qi_desc *d)
{
    uint64_t q0 = d->q[0], q1 = d->q[1];
    unsigned g = qi_g(q0);
    struct vtd_inval_scope s = qi_scope(VTD_INV_PIOTLB);

    if ((q0 & MV_QI_PIOTLB_RSVD0) || (q1 & MV_QI_IOTLB_RSVD1) ||
        g < MV_QI_PIOTLB_G_PASID)
        return qi_err(d, MV_IQEI_RSVD);
    s.did = qi_did(m, q0);
    s.pasid = (uint32_t)FIELD_GET(MV_QI_PASID, q0);
    if (g == MV_QI_G_PAGE) {
        if (!qi_page_range(m, q1, &s))
            return qi_err(d, MV_IQEI_RSVD);
    } else {
        s.gran = VTD_IG_PASID;
    }
    return qi_do(m, &s);
}

/* §6.5.2.2 PASID-cache invalidate */
static enum qi_result qi_pc(struct vtd_model *m, struct qi_desc *d)
{
    uint64_t q0 = d->q[0];
    unsigned g = qi_g(q0);
    struct vtd_inval_scope s = qi_scope(VTD_INV_PASID);

    if ((q0 & MV_QI_PC_RSVD0) || d->q[1] || g == MV_QI_PC_G_RSVD)
        return qi_err(d, MV_IQEI_RSVD);
    s.did = qi_did(m, q0);
    s.pasid = (uint32_t)FIELD_GET(MV_QI_PASID, q0);
    s.gran = g == MV_QI_PC_G_DOMAIN  ? VTD_IG_DOMAIN
             : g == MV_QI_PC_G_PASID ? VTD_IG_PASID
                                     : VTD_IG_GLOBAL;
    return qi_do(m, &s);
}

/* §6.5.2.6 PASID-based device-TLB invalidate */
static enum qi_result qi_pdev_tlb(struct vtd_model *m, struct qi_desc *d)
{
    uint64_t q0 = d->q[0], q1 = d->q[1];

    if ((q0 & pfsid_rsvd(m)) || (q1 & MV_QI_PDEVTLB_RSVD1))
        return qi_err(d, MV_IQEI_RSVD);
    return qi_devtlb(m, (uint16_t)FIELD_GET(MV_QI_PDEVTLB_SID, q0),
                     !(q1 & MV_QI_PDEVTLB_G),
                     (uint32_t)FIELD_GET(MV_QI_PASID, q0), q1 & MV_QI_ADDR,
                     (q1 & MV_QI_PDEVTLB_S) != 0);
}

static enum qi_result qi_exec(struct vtd_model *m, struct qi_desc *d)
{
    unsigned type = qi_type(d->q[0]);
    uint8_t bad = qi_type_check(m, type, d->wide);

    if (bad)
        return qi_err(d, bad);
    if (type == MV_QI_PGRP_RESP) {
        uint8_t e = vtd_prq_group_response(m, d->q, d->wide);

        return e ? qi_err(d, e) : QI_OK;
    }
    /* bits 255:128 of types 1-8 are reserved (padding of types 1-5) */
    if (d->wide && (d->q[2] | d->q[3]))
        return qi_err(d, MV_IQEI_RSVD);
    /* clang-format off */
    switch (type) {
    case MV_QI_CC:      return qi_cc(m, d);
    case MV_QI_IOTLB:   return qi_iotlb(m, d);
    case MV_QI_DEVTLB:  return qi_dev_tlb(m, d);
    case MV_QI_IEC:     return qi_iec(m, d);
    case MV_QI_WAIT:    return qi_wait(m, d);
    case MV_QI_PIOTLB:  return qi_piotlb(m, d);
    case MV_QI_PC:      return qi_pc(m, d);
    case MV_QI_PDEVTLB: return qi_pdev_tlb(m, d);
    default:            return qi_err(d, MV_IQEI_TYPE);
    }
    /* clang-format on */
}

static void qi_error(struct vtd_model *m, uint8_t iqei)
{
    m->iqercd = (m->iqercd & ~MV_IQERCD_IQEI) | iqei;
    vtd_set_fsts_error(m, MV_FSTS_IQE);
}

/*
 * Fetch and execute descriptors from IQH up to IQT. Bounded by the queue
 * size: the tail does not move while we run, so each descriptor is visited
 * at most once.
 */
void vtd_qi_process(struct vtd_model *m)
{
    bool wide;
    uint64_t base, qsize, dsz, tail, n, nmax;

    if (!(m->gsts & MV_GCMD_QIE) || (m->fsts & (MV_FSTS_IQE | MV_FSTS_ITE)))
        return; /* disabled, or stopped until software clears the error */
    wide = (m->iqa & MV_IQA_DW) != 0;
    dsz = wide ? 32 : 16;
    qsize = 4096ull << (m->iqa & MV_IQA_QS);
    base = m->iqa & MV_IQA_IQA;
    tail = m->iqt & MV_IQ_PTR;
    if (tail >= qsize || (wide && (tail & 0x10))) {
        qi_error(m, MV_IQEI_TAIL);
        return;
    }
    if (m->iqh >= qsize || (wide && (m->iqh & 0x10))) {
        qi_error(m, MV_IQEI_TAIL);
        return;
    }
    nmax = qsize / dsz;
    for (n = 0; n < nmax && m->iqh != tail; n++) {
        struct qi_desc d = { .wide = wide };
        enum qi_result r;

        if (vtd_rd(m, base + m->iqh, d.q, dsz)) {
            qi_error(m, MV_IQEI_FETCH);
            return;
        }
        m->stats.qi_descriptors++;
        VTD_TRACE(m, VTD_TRACE_QI, 0, VTD_NO_PASID, d.q[0], d.q[1], m->iqh);
        r = qi_exec(m, &d);
        if (r == QI_ERROR) {
            /* §7.4: IQH stays on the offending descriptor */
            qi_error(m, d.iqei);
            return;
        }
        m->qi_last_wait = FIELD_GET(MV_QI_TYPE_LO, d.q[0]) == MV_QI_WAIT;
        m->iqh = (m->iqh + dsz) % qsize;
        if (r == QI_STOP)
            return;
    }
}
