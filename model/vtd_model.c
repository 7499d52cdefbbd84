/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/vtd_model.c — the unit's life cycle, register file, global command
 * protocol, fault recording and event interrupts.
 */
#include <stdlib.h>

#include "model/vtd_internal.h"

#define VTD_VERSION 0x10u /* 1.0, as QEMU reports */
#define VTD_MHMV    15u

static void build_regmap(struct vtd_model *m);

uint64_t vtd_did_mask(const struct vtd_model *m)
{
    return (1ull << m->did_bits) - 1;
}

/* ------------------------------------------------------------ creation */

static const char *check_config(struct vtd_config *c)
{
    if (c->aw_bits != 39 && c->aw_bits != 48 && c->aw_bits != 57)
        return "aw_bits must be 39, 48 or 57";
    if (!c->haw_bits)
        c->haw_bits = c->aw_bits > 52 ? 52 : c->aw_bits;
    if (c->haw_bits < 32 || c->haw_bits > 52)
        return "haw_bits must be 32..52";
    if (!c->nfr)
        c->nfr = 1;
    if (c->nfr > 256)
        return "nfr must be 1..256";
    if (!c->did_bits)
        c->did_bits = 16;
    if (c->did_bits < 4 || c->did_bits > 16 || (c->did_bits & 1))
        return "did_bits must be 4, 6, ..., 16";
    if (c->mamv > 63)
        return "mamv must be 0..63";
    if (!c->pasid_bits)
        c->pasid_bits = 20;
    if (c->pasid_bits > 20)
        return "pasid_bits must be 1..20";
    if ((c->first_stage || c->pasid) && !c->scalable_mode)
        return "first_stage and pasid need scalable_mode";
    if (c->page_requests && !c->scalable_mode)
        return "page_requests needs scalable_mode";
    if (c->eim && !c->intr_remap)
        return "eim needs intr_remap";
    if (!c->iro)
        c->iro = 0xF;
    if (!c->fro)
        c->fro = 0x22;
    if (c->iro > 0x3FF || c->fro > 0x3FF)
        return "iro/fro are 10-bit fields";
    if (c->iro * 16u < 0xF0 || c->fro * 16u < 0xF0)
        return "iro/fro would overlap the fixed registers";
    {
        uint64_t ib = c->iro * 16ull, fb = c->fro * 16ull;
        uint64_t fe = fb + 16ull * c->nfr;

        if (ib < fe && fb < ib + 16)
            return "IVA/IOTLB overlap the fault recording registers";
    }
    if (!c->cache_entries)
        c->cache_entries = 4096;
    if (c->cache_entries > (1u << 22))
        return "cache_entries too large";
    if (c->cache_policy > VTD_CACHE_NONE)
        return "unknown cache policy";
    return NULL;
}

static void build_caps(struct vtd_model *m)
{
    const struct vtd_config *c = &m->cfg;
    uint64_t cap = 0, ecap = 0;

    cap |= (uint64_t)((c->did_bits - 4) / 2) << MV_CAP_ND_SHIFT;
    if (c->rwbf)
        cap |= MV_CAP_RWBF;
    if (c->caching_mode)
        cap |= MV_CAP_CM;
    if (!c->no_sl_tables) {
        cap |= 2ull << MV_CAP_SAGAW_SHIFT; /* 39-bit, 3-level */
        if (c->aw_bits >= 48)
            cap |= 4ull << MV_CAP_SAGAW_SHIFT; /* 48-bit, 4-level */
        if (c->aw_bits >= 57)
            cap |= 8ull << MV_CAP_SAGAW_SHIFT; /* 57-bit, 5-level */
    }
    cap |= (uint64_t)(c->aw_bits - 1) << MV_CAP_MGAW_SHIFT;
    cap |= (uint64_t)c->fro << MV_CAP_FRO_SHIFT;
    if (c->large_pages)
        cap |= MV_CAP_SLLPS_2M | MV_CAP_SLLPS_1G;
    if (!c->no_psi) {
        cap |= MV_CAP_PSI;
        cap |= (uint64_t)c->mamv << MV_CAP_MAMV_SHIFT;
    }
    cap |= (uint64_t)(c->nfr - 1) << MV_CAP_NFR_SHIFT;
    cap |= MV_CAP_DWD | MV_CAP_DRD;
    if (c->first_stage && c->large_pages)
        cap |= MV_CAP_FL1GP;
    if (c->first_stage && c->aw_bits >= 57)
        cap |= MV_CAP_FL5LP;
    if (c->esirtps && c->intr_remap)
        cap |= MV_CAP_ESIRTPS;
    if (c->esrtps)
        cap |= MV_CAP_ESRTPS;

    ecap |= MV_ECAP_QI;
    if (c->device_iotlb)
        ecap |= MV_ECAP_DT;
    if (c->intr_remap) {
        ecap |= MV_ECAP_IR | ((uint64_t)VTD_MHMV << MV_ECAP_MHMV_SHIFT);
        if (c->eim)
            ecap |= MV_ECAP_EIM;
    }
    if (c->pass_through)
        ecap |= MV_ECAP_PT;
    if (c->snoop_control)
        ecap |= MV_ECAP_SC;
    ecap |= (uint64_t)c->iro << MV_ECAP_IRO_SHIFT;
    if (c->scalable_mode) {
        ecap |= MV_ECAP_SMTS | MV_ECAP_SLTS | MV_ECAP_SRS;
        if (c->first_stage)
            ecap |= MV_ECAP_FLTS;
        if (c->pasid)
            ecap |= MV_ECAP_PASID | MV_ECAP_RPS |
                    ((uint64_t)(c->pasid_bits - 1) << MV_ECAP_PSS_SHIFT);
        if (c->page_requests)
            ecap |= MV_ECAP_PRS | MV_ECAP_PDS;
    }
    m->cap = cap;
    m->ecap = ecap;
}

struct vtd_model *vtd_model_create(const struct vtd_config *cfg,
                                   const struct vtd_env *env, const char **why)
{
    struct vtd_model *m;
    const char *err;
    struct vtd_config c = *cfg;
    bool maximal, on;
    uint64_t end;

    if (!why)
        why = &err;
    *why = NULL;
    if (!env || !env->mem_read || !env->mem_write) {
        *why = "env needs mem_read and mem_write";
        return NULL;
    }
    err = check_config(&c);
    if (err) {
        *why = err;
        return NULL;
    }
    m = calloc(1, sizeof(*m));
    if (!m) {
        *why = "out of memory";
        return NULL;
    }
    m->cfg = c;
    m->env = *env;
    m->haw = c.haw_bits;
    m->mgaw = c.aw_bits;
    m->did_bits = c.did_bits;
    m->nfr = c.nfr;
    m->haw_rsvd = m->haw < 52 ? GENMASK64(51, m->haw) : 0;
    m->iva_off = c.iro * 16ull;
    m->frcd_off = c.fro * 16ull;
    end = m->iva_off + 16;
    if (m->frcd_off + 16ull * c.nfr > end)
        end = m->frcd_off + 16ull * c.nfr;
    m->mmio_size = (end + 0xFFF) & ~0xFFFull;
    build_caps(m);
    build_regmap(m);
    m->frcd = calloc(c.nfr, sizeof(*m->frcd));
    maximal = c.cache_policy == VTD_CACHE_MAXIMAL;
    on = c.cache_policy != VTD_CACHE_NONE;
    if (on)
        m->front = calloc(VTD_FRONT_SIZE, sizeof(*m->front));
    if (!m->frcd || (on && !m->front) ||
        vtd_cache_init(&m->cache[CK_CONTEXT], c.cache_entries, on, 0,
                       &m->front_gen) ||
        vtd_cache_init(&m->cache[CK_PASID], c.cache_entries, maximal, 0,
                       &m->front_gen) ||
        vtd_cache_init(&m->cache[CK_IOTLB], c.cache_entries, on, c.did_bits,
                       &m->front_gen) ||
        vtd_cache_init(&m->cache[CK_PSC], c.cache_entries, maximal, c.did_bits,
                       &m->front_gen) ||
        vtd_cache_init(&m->cache[CK_IEC], c.cache_entries,
                       maximal && c.intr_remap, 0, NULL)) {
        vtd_model_destroy(m);
        *why = "out of memory";
        return NULL;
    }
    vtd_model_reset(m);
    return m;
}

static void caches_clear_dma(struct vtd_model *m)
{
    vtd_cache_clear(&m->cache[CK_CONTEXT]);
    vtd_cache_clear(&m->cache[CK_PASID]);
    vtd_cache_clear(&m->cache[CK_IOTLB]);
    vtd_cache_clear(&m->cache[CK_PSC]);
}

void vtd_model_reset(struct vtd_model *m)
{
    m->gsts = 0;
    m->rtaddr = m->rta_active = 0;
    m->ccmd = 0;
    m->fsts = 0;
    vtd_event_reset(&m->fe);
    m->iqh = m->iqt = m->iqa = 0;
    m->ics = 0;
    vtd_event_reset(&m->ie);
    m->iqercd = 0;
    m->irta = m->irta_active = 0;
    vtd_prq_reset(m);
    m->iva = m->iotlb = 0;
    memset(m->frcd, 0, m->nfr * sizeof(*m->frcd));
    m->frcd_next = 0;
    m->qi_last_wait = false;
    m->tlb_shifts = 0;
    m->front_gen++;
    caches_clear_dma(m);
    vtd_cache_clear(&m->cache[CK_IEC]);
    {
        struct vtd_inval_scope s = { .kind = VTD_INV_ALL,
                                     .gran = VTD_IG_GLOBAL };
        vtd_inval_notify(m, &s);
    }
}

void vtd_model_destroy(struct vtd_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < CK_COUNT; i++)
        vtd_cache_fini(&m->cache[i]);
    free(m->frcd);
    free(m->front);
    free(m);
}

uint64_t vtd_model_mmio_size(const struct vtd_model *m)
{
    return m->mmio_size;
}
uint64_t vtd_model_cap(const struct vtd_model *m)
{
    return m->cap;
}
uint64_t vtd_model_ecap(const struct vtd_model *m)
{
    return m->ecap;
}

void vtd_model_stats(const struct vtd_model *m, struct vtd_stats *out)
{
    *out = m->stats;
}

/* ------------------------------------------------------ events (§8.3) */

void vtd_event_reset(struct vtd_event *ev)
{
    ev->ctl = MV_ECTL_IM; /* §8.3: IM resets to 1 */
    ev->data = ev->addr = ev->uaddr = 0;
}

/* The message goes out and the pending IP clears. */
static void event_send(struct vtd_model *m, struct vtd_event *ev)
{
    m->stats.interrupts_sent++;
    if (m->env.msi)
        m->env.msi(m->env.opaque, (uint64_t)ev->uaddr << 32 | ev->addr,
                   ev->data);
    ev->ctl &= ~MV_ECTL_IP;
}

/* An interrupt condition: IP=1, and the message goes out unless masked. */
void vtd_event_raise(struct vtd_model *m, struct vtd_event *ev)
{
    ev->ctl |= MV_ECTL_IP;
    if (!(ev->ctl & MV_ECTL_IM))
        event_send(m, ev);
}

/* IM is the writable bit of the control; unmasking sends a pending message. */
void vtd_event_write(struct vtd_model *m, struct vtd_event *ev, unsigned reg,
                     uint32_t val, uint32_t data_mask)
{
    switch (reg) {
    case VTD_EVENT_CTL:
        ev->ctl = (ev->ctl & ~MV_ECTL_IM) | (val & MV_ECTL_IM);
        if (!(ev->ctl & MV_ECTL_IM) && (ev->ctl & MV_ECTL_IP))
            event_send(m, ev);
        break;
    case VTD_EVENT_DATA:
        ev->data = val & data_mask;
        break;
    case VTD_EVENT_ADDR:
        ev->addr = val & ~3u; /* 1:0 reserved */
        break;
    case VTD_EVENT_UADDR:
        if (m->ecap & MV_ECAP_EIM)
            ev->uaddr = val;
        break;
    default:
        break;
    }
}

void vtd_set_fsts_error(struct vtd_model *m, uint32_t bit)
{
    uint32_t prev = m->fsts;

    if (prev & bit)
        return;
    m->fsts |= bit;
    /* §8.3: an event only when no status bit was already set */
    if (!(prev & MV_FSTS_STATUS))
        vtd_event_raise(m, &m->fe);
}

void vtd_inv_event(struct vtd_model *m)
{
    if (m->ics & MV_ICS_IWC)
        return; /* §7.4: IWC already set, no new event */
    m->ics |= MV_ICS_IWC;
    vtd_event_raise(m, &m->ie);
}

/* PPF is the OR of every FRCD.F; FRI names the first pending record. */
static void update_ppf(struct vtd_model *m)
{
    unsigned fri = (unsigned)FIELD_GET(MV_FSTS_FRI, m->fsts);
    bool any = false;

    for (unsigned k = 0; k < m->nfr; k++) {
        unsigned i = (fri + k) % m->nfr;

        if (m->frcd[i].hi & MV_FRCD_HI_F) {
            fri = i;
            any = true;
            break;
        }
    }
    m->fsts &= ~(MV_FSTS_PPF | MV_FSTS_FRI);
    if (any)
        m->fsts |= MV_FSTS_PPF | (fri << MV_FSTS_FRI_SHIFT);
    else if (fri < m->nfr)
        m->fsts |= fri << MV_FSTS_FRI_SHIFT;
    /* IP clears once software has cleared every status bit (§8.3) */
    if (!(m->fsts & MV_FSTS_STATUS))
        m->fe.ctl &= ~MV_ECTL_IP;
}

/* §8.2 primary fault logging. */
bool vtd_record_fault(struct vtd_model *m, const struct mv_fault *f)
{
    struct vtd_frcd *r;
    unsigned idx = m->frcd_next;
    uint32_t prev = m->fsts;
    uint64_t hi;

    VTD_TRACE(m, VTD_TRACE_FAULT, f->sid,
              f->has_pasid ? f->pasid : VTD_NO_PASID, f->fi, f->reason, 1);
    if (prev & MV_FSTS_PFO)
        return false; /* step 1: overflow pending */
    r = &m->frcd[idx];
    if (r->hi & MV_FRCD_HI_F) {
        m->fsts |= MV_FSTS_PFO; /* step 3: next record still full */
        return false;
    }
    hi = f->sid;
    if (f->has_pasid) {
        hi |= MV_FRCD_HI_PP | (uint64_t)(f->pasid & 0xFFFFF)
                                  << MV_FRCD_HI_PV_SHIFT;
        if (f->priv)
            hi |= MV_FRCD_HI_PRIV;
        if (f->exe)
            hi |= MV_FRCD_HI_EXE;
    }
    hi |= (uint64_t)f->reason << MV_FRCD_HI_FR_SHIFT;
    if (m->ecap & MV_ECAP_DT)
        hi |= (uint64_t)(f->at & 3) << MV_FRCD_HI_AT_SHIFT;
    if (!f->write)
        hi |= MV_FRCD_HI_T;
    r->lo = f->fi & MV_FRCD_FI;
    r->hi = hi | MV_FRCD_HI_F; /* F last */
    m->frcd_next = (idx + 1) % m->nfr;
    m->stats.faults_recorded++;
    if (!(prev & MV_FSTS_PPF)) {
        m->fsts &= ~MV_FSTS_FRI;
        m->fsts |= MV_FSTS_PPF | (idx << MV_FSTS_FRI_SHIFT);
        if (!(prev & MV_FSTS_STATUS))
            vtd_event_raise(m, &m->fe);
    }
    return true;
}

/* -------------------------------------------------- global command, §3 */

static void dma_caches_invalidate_all(struct vtd_model *m)
{
    struct vtd_inval_scope s = { .kind = VTD_INV_ALL, .gran = VTD_IG_GLOBAL };

    vtd_inval_do(m, &s);
}

static void gcmd_write(struct vtd_model *m, uint32_t v)
{
    bool minimal = m->cfg.cache_policy != VTD_CACHE_MAXIMAL;
    bool ir = (m->ecap & MV_ECAP_IR) != 0;

    VTD_TRACE(m, VTD_TRACE_GCMD, 0, VTD_NO_PASID, v, m->gsts, 0);
    m->front_gen++; /* translation state may change below */
    /* One-shot commands act whenever written as 1 (§3). */
    if (v & MV_GCMD_SRTP) {
        m->rta_active = m->rtaddr;
        m->gsts |= MV_GCMD_SRTP; /* RTPS */
        /*
         * With ESRTPS the pointer switch invalidates every DMA cache; the
         * minimal policy also does it without, as QEMU does.
         */
        if ((m->cap & MV_CAP_ESRTPS) || minimal)
            dma_caches_invalidate_all(m);
    }
    /* SFL/EAFL need CAP.AFL and WBF does nothing to wait for: WBFS stays 0 */
    if ((v ^ m->gsts) & MV_GCMD_TE) {
        if (v & MV_GCMD_TE) {
            m->gsts |= MV_GCMD_TE;
            /*
             * Nothing fills a DMA cache while TE=0, so under the maximal
             * policy this clears nothing; it tells the notifier layer that
             * every device's translation changed.
             */
            dma_caches_invalidate_all(m);
        } else {
            m->gsts &= ~MV_GCMD_TE;
            /* after TE off the device sees untranslated DMA again */
            dma_caches_invalidate_all(m);
        }
    }
    if ((v ^ m->gsts) & MV_GCMD_QIE) {
        if (v & MV_GCMD_QIE) {
            m->gsts |= MV_GCMD_QIE;
            /* a tail written before QIE is processed now */
            vtd_qi_process(m);
        } else {
            m->gsts &= ~MV_GCMD_QIE;
            m->iqh = 0; /* §7.1: hw resets IQH on disable */
        }
    }
    if (ir && (v & MV_GCMD_SIRTP)) {
        m->irta_active = m->irta;
        m->gsts |= MV_GCMD_SIRTP; /* IRTPS */
        if ((m->cap & MV_CAP_ESIRTPS) || minimal) {
            struct vtd_inval_scope s = { .kind = VTD_INV_IEC,
                                         .gran = VTD_IG_GLOBAL };
            vtd_inval_do(m, &s);
        }
    }
    if (ir && ((v ^ m->gsts) & MV_GCMD_IRE))
        m->gsts ^= MV_GCMD_IRE;
    if (ir && ((v ^ m->gsts) & MV_GCMD_CFI))
        m->gsts ^= MV_GCMD_CFI;
}

/* ---------------------------------------------------------------- MMIO */

struct reg_loc {
    uint64_t base;
    unsigned width; /* 4 or 8 */
};

/* Registers below 0x100 in spec order: offset and width. */
static const struct {
    uint16_t off;
    uint8_t width;
} fixed_regs[] = {
    { MV_REG_VER, 4 },    { MV_REG_CAP, 8 },     { MV_REG_ECAP, 8 },
    { MV_REG_GCMD, 4 },   { MV_REG_GSTS, 4 },    { MV_REG_RTADDR, 8 },
    { MV_REG_CCMD, 8 },   { MV_REG_FSTS, 4 },    { MV_REG_FECTL, 4 },
    { MV_REG_FEDATA, 4 }, { MV_REG_FEADDR, 4 },  { MV_REG_FEUADDR, 4 },
    { MV_REG_IQH, 8 },    { MV_REG_IQT, 8 },     { MV_REG_IQA, 8 },
    { MV_REG_ICS, 4 },    { MV_REG_IECTL, 4 },   { MV_REG_IEDATA, 4 },
    { MV_REG_IEADDR, 4 }, { MV_REG_IEUADDR, 4 }, { MV_REG_IQERCD, 8 },
    { MV_REG_IRTA, 8 },   { MV_REG_PQH, 8 },     { MV_REG_PQT, 8 },
    { MV_REG_PQA, 8 },    { MV_REG_PRS, 4 },     { MV_REG_PECTL, 4 },
    { MV_REG_PEDATA, 4 }, { MV_REG_PEADDR, 4 },  { MV_REG_PEUADDR, 4 },
};

/* Dword map of the fixed registers: (index into fixed_regs) + 1, 0 = hole. */
static void build_regmap(struct vtd_model *m)
{
    for (size_t i = 0; i < sizeof(fixed_regs) / sizeof(fixed_regs[0]); i++) {
        if (fixed_regs[i].off == MV_REG_IRTA && !(m->ecap & MV_ECAP_IR))
            continue;
        if (fixed_regs[i].off >= MV_REG_PQH && !(m->ecap & MV_ECAP_PRS))
            continue;
        for (unsigned d = 0; d < fixed_regs[i].width / 4u; d++)
            m->regmap[fixed_regs[i].off / 4 + d] = (uint8_t)(i + 1);
    }
}

/* Which register an offset falls in; false for holes. */
static bool reg_find(const struct vtd_model *m, uint64_t off, struct reg_loc *r)
{
    if (off < 4 * sizeof(m->regmap)) {
        unsigned i = m->regmap[off / 4];

        if (!i)
            return false;
        r->base = fixed_regs[i - 1].off;
        r->width = fixed_regs[i - 1].width;
        return true;
    }
    if (off >= m->iva_off && off < m->iva_off + 16) {
        r->base = off & ~7ull;
        r->width = 8;
        return true;
    }
    if (off >= m->frcd_off && off < m->frcd_off + 16ull * m->nfr) {
        r->base = off & ~7ull;
        r->width = 8;
        return true;
    }
    return false;
}

/* Legal: an aligned dword anywhere in a register, an aligned qword on a
 * 64-bit one. */
static bool access_ok(const struct vtd_model *m, uint64_t off, unsigned size,
                      struct reg_loc *r)
{
    if (off >= m->mmio_size || !reg_find(m, off, r))
        return false;
    if (size == 4)
        return (off & 3) == 0;
    if (size == 8)
        return r->width == 8 && off == r->base;
    return false;
}

static uint64_t reg_read(struct vtd_model *m, uint64_t base)
{
    uint64_t v;

    if (vtd_prq_reg_read(m, base, &v))
        return v;
    if (base >= m->iva_off && base < m->iva_off + 16)
        return base == m->iva_off ? 0 /* IVA is write-only */ : m->iotlb;
    if (base >= m->frcd_off && base < m->frcd_off + 16ull * m->nfr) {
        const struct vtd_frcd *r = &m->frcd[(base - m->frcd_off) / 16];

        return (base - m->frcd_off) % 16 ? r->hi : r->lo;
    }
    /* clang-format off */
    switch (base) {
    case MV_REG_VER:     return VTD_VERSION;
    case MV_REG_CAP:     return m->cap;
    case MV_REG_ECAP:    return m->ecap;
    case MV_REG_GCMD:    return 0;     /* write-only: defined as 0 here */
    case MV_REG_GSTS:    return m->gsts;
    case MV_REG_RTADDR:  return m->rtaddr;
    /* §11.4.6.1: SID and FM are write-only, a read of them is undefined;
     * they read as 0 here, so software that relies on them shows */
    case MV_REG_CCMD:    return m->ccmd & ~MV_CCMD_WO;
    case MV_REG_FSTS:    return m->fsts;
    case MV_REG_FECTL:   return m->fe.ctl;
    case MV_REG_FEDATA:  return m->fe.data;
    case MV_REG_FEADDR:  return m->fe.addr;
    case MV_REG_FEUADDR: return m->fe.uaddr;
    case MV_REG_IQH:     return m->iqh;
    case MV_REG_IQT:     return m->iqt;
    case MV_REG_IQA:     return m->iqa;
    case MV_REG_ICS:     return m->ics;
    case MV_REG_IECTL:   return m->ie.ctl;
    case MV_REG_IEDATA:  return m->ie.data;
    case MV_REG_IEADDR:  return m->ie.addr;
    case MV_REG_IEUADDR: return m->ie.uaddr;
    case MV_REG_IQERCD:  return m->iqercd;
    case MV_REG_IRTA:    return m->irta;
    default:              return 0;
    }
    /* clang-format on */
}

uint64_t vtd_mmio_read(struct vtd_model *m, uint64_t offset, unsigned size)
{
    struct reg_loc r;
    uint64_t v;

    if (!access_ok(m, offset, size, &r))
        return 0;
    v = reg_read(m, r.base);
    if (size == 4)
        v = (uint32_t)(v >> (8 * (offset - r.base)));
    VTD_TRACE(m, VTD_TRACE_REG_READ, 0, VTD_NO_PASID, offset, v, size);
    return v;
}

/* Merge a written dword or qword into the old value, honouring RW bits. */
static uint64_t merge(uint64_t old, uint64_t val, uint64_t wmask, uint64_t rw)
{
    uint64_t m = wmask & rw;

    return (old & ~m) | (val & m);
}

static void frcd_write(struct vtd_model *m, uint64_t base, uint64_t val,
                       uint64_t wmask)
{
    struct vtd_frcd *r = &m->frcd[(base - m->frcd_off) / 16];

    if ((base - m->frcd_off) % 16 == 0)
        return; /* low qword is read-only */
    /* F (bit 127) is the only writable bit: write 1 to clear */
    if ((wmask & MV_FRCD_HI_F) && (val & MV_FRCD_HI_F) &&
        (r->hi & MV_FRCD_HI_F)) {
        r->hi &= ~MV_FRCD_HI_F;
        update_ppf(m);
    }
}

/* IVA and IOTLB at ECAP.IRO * 16 (§6.2); the command fires with IVT. */
static void iva_iotlb_write(struct vtd_model *m, uint64_t base, uint64_t val,
                            uint64_t wmask)
{
    uint64_t rw;

    if (base == m->iva_off) {
        /* §6.2: 11:7 reserved */
        m->iva = merge(m->iva, val, wmask, MV_IVA_ADDR | MV_IVA_IH | MV_IVA_AM);
        return;
    }
    rw = MV_IOTLB_DID | MV_IOTLB_IIRG | MV_IOTLB_IVT |
         ((m->cap & MV_CAP_DWD) ? MV_IOTLB_DW : 0) |
         ((m->cap & MV_CAP_DRD) ? MV_IOTLB_DR : 0);
    m->iotlb = merge(m->iotlb, val, wmask, rw);
    /* the command fires with the dword holding IVT */
    if ((wmask >> 32) && (m->iotlb & MV_IOTLB_IVT))
        vtd_iotlb_write(m);
}

static void fsts_write(struct vtd_model *m, uint32_t val)
{
    uint32_t clr = val & MV_FSTS_W1C & m->fsts;

    m->fsts &= ~clr;
    update_ppf(m);
    /* §7.4: with the error cleared the queue is fetched again */
    if ((clr & (MV_FSTS_IQE | MV_FSTS_ITE)) && (m->gsts & MV_GCMD_QIE))
        vtd_qi_process(m);
}

/* Fault status and the fault event registers (§8.2, §8.3). */
static bool fault_reg_write(struct vtd_model *m, uint64_t base, uint32_t val)
{
    if (base == MV_REG_FSTS) {
        fsts_write(m, val);
        return true;
    }
    if (base < MV_REG_FECTL || base > MV_REG_FEUADDR)
        return false;
    vtd_event_write(m, &m->fe, (unsigned)(base - MV_REG_FECTL) / 4, val,
                    MV_EDATA_IMD);
    return true;
}

/* The invalidation queue and the invalidation event registers (§7). */
static bool qi_reg_write(struct vtd_model *m, uint64_t base, uint64_t val,
                         uint64_t wmask)
{
    switch (base) {
    case MV_REG_IQT:
        m->iqt = merge(m->iqt, val, wmask, MV_IQ_PTR);
        if ((uint32_t)wmask && (m->gsts & MV_GCMD_QIE))
            vtd_qi_process(m);
        return true;
    case MV_REG_IQA:
        m->iqa = merge(m->iqa, val, wmask,
                       MV_IQA_IQA | MV_IQA_QS |
                           ((m->ecap & MV_ECAP_SMTS) ? MV_IQA_DW : 0));
        /*
         * Datasheets reset the head on an IQA write; the tail is kept so
         * that a tail written before IQA and QIE is still processed.
         */
        if (!(m->gsts & MV_GCMD_QIE))
            m->iqh = 0;
        return true;
    case MV_REG_ICS:
        if ((uint32_t)val & MV_ICS_IWC & m->ics) {
            m->ics &= ~MV_ICS_IWC;
            m->ie.ctl &= ~MV_ECTL_IP;
        }
        return true;
    case MV_REG_IECTL:
    case MV_REG_IEDATA:
    case MV_REG_IEADDR:
    case MV_REG_IEUADDR:
        vtd_event_write(m, &m->ie, (unsigned)(base - MV_REG_IECTL) / 4,
                        (uint32_t)val, MV_EDATA_IMD);
        return true;
    default:
        return false;
    }
}

/* Registers below 0x100 that fault_reg_write and qi_reg_write leave. */
static void fixed_reg_write(struct vtd_model *m, uint64_t base, uint64_t val,
                            uint64_t wmask)
{
    switch (base) {
    case MV_REG_GCMD:
        gcmd_write(m, (uint32_t)val);
        break;
    case MV_REG_RTADDR:
        m->rtaddr = merge(m->rtaddr, val, wmask,
                          MV_RTADDR_RTA |
                              ((m->ecap & MV_ECAP_SMTS) ? MV_RTADDR_TTM : 0));
        break;
    case MV_REG_CCMD:
        m->ccmd = merge(m->ccmd, val, wmask,
                        MV_CCMD_DID | MV_CCMD_WO | MV_CCMD_CIRG | MV_CCMD_ICC);
        /* the command fires with the dword holding ICC */
        if ((wmask >> 32) && (m->ccmd & MV_CCMD_ICC))
            vtd_ccmd_write(m);
        break;
    case MV_REG_IRTA:
        m->irta = merge(m->irta, val, wmask,
                        MV_IRTA_ADDR | MV_IRTA_S |
                            ((m->ecap & MV_ECAP_EIM) ? MV_IRTA_EIME : 0));
        break;
    default:
        break; /* VER, CAP, ECAP, GSTS, IQH, IQERCD: read-only */
    }
}

void vtd_mmio_write(struct vtd_model *m, uint64_t offset, unsigned size,
                    uint64_t value)
{
    struct reg_loc r;
    uint64_t val, wmask;

    if (!access_ok(m, offset, size, &r))
        return;
    VTD_TRACE(m, VTD_TRACE_REG_WRITE, 0, VTD_NO_PASID, offset, value, size);
    /* a dword lands in its half of the register, the rest is kept */
    if (size == 8) {
        val = value;
        wmask = ~0ull;
    } else {
        unsigned sh = 8 * (unsigned)(offset - r.base);

        val = (uint64_t)(uint32_t)value << sh;
        wmask = 0xFFFFFFFFull << sh;
    }
    if (r.base == m->iva_off || r.base == m->iva_off + 8)
        iva_iotlb_write(m, r.base, val, wmask);
    else if (r.base >= m->frcd_off && r.base < m->frcd_off + 16ull * m->nfr)
        frcd_write(m, r.base, val, wmask);
    else if (!vtd_prq_reg_write(m, r.base, val, wmask) &&
             !fault_reg_write(m, r.base, (uint32_t)val) &&
             !qi_reg_write(m, r.base, val, wmask))
        fixed_reg_write(m, r.base, val, wmask);
}
