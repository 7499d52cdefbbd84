/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/vtd_walk.c — DMA request translation: root/context (legacy §4.1-4.2
 * and scalable §4.3-4.5) lookup, PASID directory and table, second-level
 * (§5) and first-stage walks, the caches on the way, and fault reporting.
 */
#include "model/vtd_internal.h"

#define ACC_RW    (VTD_ACC_READ | VTD_ACC_WRITE)
#define INTR_BASE 0xFEE00000ull /* interrupt address range, 1 MiB */

/* One request in flight. */
struct xreq {
    struct vtd_model *m;
    const struct vtd_request *req;
    struct vtd_xlate *out;
    bool write;
    bool fpd; /* fault processing disabled by an entry on the way */
    bool sm;
    bool front_ok; /* result reproducible from the caches: fill front */
    uint32_t did;
    uint32_t pasid; /* tag: VTD_NO_PASID in legacy mode */
};

/* Faults raised before any FPD bit could be read are never suppressed. */
static enum vtd_xlate_status fault(struct xreq *x, uint8_t reason,
                                   bool qualified)
{
    struct vtd_model *m = x->m;
    const struct vtd_request *r = x->req;
    struct mv_fault f = {
        .sid = r->sid,
        .reason = reason,
        .write = x->write,
        .has_pasid = r->has_pasid,
        .pasid = r->pasid,
        .priv = (r->access & VTD_ACC_PRIV) != 0,
        .exe = (r->access & VTD_ACC_EXEC) != 0,
        .at = (uint8_t)r->at,
        .fi = r->addr & ~0xFFFull,
    };
    bool walk_fault = reason == MV_FR_WRITE || reason == MV_FR_READ ||
                      reason == MV_FR_ADDR_BEYOND || reason == MV_FR_SS_PERM ||
                      reason == MV_FR_FS_P || reason == MV_FR_FS_WRITE ||
                      reason == MV_FR_FS_US || reason == MV_FR_SM_ADDR_BEYOND ||
                      reason == MV_FR_SS_ADDR_BEYOND || reason == MV_FR_SM_READ;

    m->stats.faults++;
    /*
     * An ATS translation request that finds no permission gets a completion
     * granting nothing; the device, not the unit, deals with it.
     */
    if (r->at == VTD_AT_TRANSLATION_REQ && walk_fault) {
        x->out->status = VTD_XLATE_OK;
        x->out->perm = 0;
        x->out->addr = 0;
        return VTD_XLATE_OK;
    }
    x->out->status = VTD_XLATE_FAULT;
    x->out->fault_reason = reason;
    x->out->perm = 0;
    if (qualified && x->fpd) {
        VTD_TRACE(m, VTD_TRACE_FAULT, r->sid, x->pasid, f.fi, reason, 0);
        return VTD_XLATE_FAULT;
    }
    if (!m->probing)
        x->out->fault_recorded = vtd_record_fault(m, &f);
    return VTD_XLATE_FAULT;
}

static enum vtd_xlate_status ok(struct xreq *x, uint64_t out_page,
                                unsigned shift, unsigned perm)
{
    x->out->status = VTD_XLATE_OK;
    x->out->addr = out_page | (x->req->addr & 0xFFF);
    x->out->page_shift = shift;
    x->out->perm = perm;
    x->out->did = (uint16_t)x->did;
    if (x->front_ok) {
        struct vtd_model *m = x->m;
        uint64_t pfn = x->req->addr >> 12;
        struct vtd_front *f =
            &m->front[(pfn ^ x->req->sid * 0x9E37u) & (VTD_FRONT_SIZE - 1)];

        f->pfn = pfn;
        f->sid = x->req->sid;
        f->out = out_page;
        f->gen = m->front_gen;
        f->did = (uint16_t)x->did;
        f->perm = (uint8_t)perm;
        f->shift = (uint8_t)shift;
    }
    return VTD_XLATE_OK;
}

static enum vtd_xlate_status passthrough(struct xreq *x)
{
    return ok(x, x->req->addr & ~0xFFFull, 12, ACC_RW);
}

static uint64_t ptr_rsvd(const struct vtd_model *m)
{
    return m->haw < 64 ? GENMASK64(63, m->haw) : 0;
}

static bool cm_maximal(const struct vtd_model *m)
{
    return (m->cap & MV_CAP_CM) && m->cfg.cache_policy == VTD_CACHE_MAXIMAL;
}

/* -------------------------------------------------- context entries */

static uint8_t legacy_context(struct vtd_model *m, uint16_t sid,
                              struct vtd_ctx_info *ci)
{
    uint64_t root[2], ctx[2], rta = m->rta_active & MV_RTADDR_RTA;
    uint64_t ra = rta + FIELD_GET(MV_SID_BUS, sid) * 16ull, ca;
    unsigned tt, aw;

    memset(ci, 0, sizeof(*ci));
    if (vtd_rd(m, ra, root, sizeof(root)))
        return MV_FR_ROOT_ACCESS;
    VTD_TRACE(m, VTD_TRACE_WALK, sid, VTD_NO_PASID, ra, root[0], 0);
    if (!root_lp(root[0]))
        return MV_FR_ROOT_P;
    if ((root[0] & (MV_ROOT_W0_RSVD | ptr_rsvd(m))) || root[1])
        return MV_FR_ROOT_RSVD;
    ca = root_lctp(root[0]) + FIELD_GET(MV_SID_DEVFN, sid) * 16ull;
    if (vtd_rd(m, ca, ctx, sizeof(ctx)))
        return MV_FR_CTX_ACCESS;
    VTD_TRACE(m, VTD_TRACE_WALK, sid, VTD_NO_PASID, ca, ctx[0], 0);
    if (!ctx_p(ctx[0]))
        return MV_FR_CTX_P;
    ci->fpd = (uint8_t)ctx_fpd(ctx[0]);
    tt = ctx_tt(ctx[0]);
    aw = ctx_aw(ctx[1]);
    ci->tt = (uint8_t)tt;
    ci->did = ctx_did(ctx[1]);
    ci->ptr = ctx_slptptr(ctx[0]);
    ci->levels = (uint8_t)(aw + 2);
    /* the pointer is ignored for pass-through, so are its high bits */
    if ((ctx[0] & (MV_CTX_W0_RSVD | (tt == MV_CTX_TT_PT ? 0 : ptr_rsvd(m)))) ||
        (ctx[1] & MV_CTX_W1_RSVD) || (ci->did & ~vtd_did_mask(m)))
        return MV_FR_CTX_RSVD;
    if (tt == MV_CTX_TT_RSVD ||
        (tt == MV_CTX_TT_DEVTLB && !(m->ecap & MV_ECAP_DT)) ||
        (tt == MV_CTX_TT_PT && !(m->ecap & MV_ECAP_PT)))
        return MV_FR_CTX_INV;
    if (tt != MV_CTX_TT_PT && !(FIELD_GET(MV_CAP_SAGAW, m->cap) & (1u << aw)))
        return MV_FR_CTX_INV;
    return 0;
}

static uint8_t sm_context(struct vtd_model *m, uint16_t sid,
                          struct vtd_ctx_info *ci)
{
    uint64_t root[2], ctx[4], rta = m->rta_active & MV_RTADDR_RTA, ca;
    bool upper = (sid & MV_SM_DEVFN_UPPER) != 0;

    memset(ci, 0, sizeof(*ci));
    ci->sm = 1;
    ci->did = VTD_ANY_DID;
    if (vtd_rd(m, rta + FIELD_GET(MV_SID_BUS, sid) * 16ull, root, sizeof(root)))
        return MV_FR_SM_ROOT_ACCESS;
    /* devfn 0-127 through the low half (LP, LCTP), 128-255 the high one */
    if (!(upper ? root_up(root[1]) : root_lp(root[0])))
        return MV_FR_SM_ROOT_P;
    if (upper ? root[1] & (MV_SM_ROOT_W1_RSVD | ptr_rsvd(m))
              : root[0] & (MV_ROOT_W0_RSVD | ptr_rsvd(m)))
        return MV_FR_SM_ROOT_RSVD;
    ca = (upper ? root_uctp(root[1]) : root_lctp(root[0])) +
         FIELD_GET(MV_SM_DEVFN_IDX, sid) * 32ull;
    if (vtd_rd(m, ca, ctx, sizeof(ctx)))
        return MV_FR_SM_CTX_ACCESS;
    VTD_TRACE(m, VTD_TRACE_WALK, sid, VTD_NO_PASID, ca, ctx[0], 0);
    if (!ctx_p(ctx[0]))
        return MV_FR_SM_CTX_P;
    ci->fpd = (uint8_t)ctx_fpd(ctx[0]);
    if ((ctx[0] & (MV_SMCTX_W0_RSVD | ptr_rsvd(m))) ||
        (ctx[1] & MV_SMCTX_W1_RSVD) || ctx[2] || ctx[3] ||
        (smctx_rid_pasid(ctx[1]) && !(m->ecap & MV_ECAP_RPS)))
        return MV_FR_SM_CTX_RSVD;
    if ((smctx_dte(ctx[0]) && !(m->ecap & MV_ECAP_DT)) ||
        (smctx_pre(ctx[0]) && !(m->ecap & MV_ECAP_PRS)) ||
        (smctx_paside(ctx[0]) && !(m->ecap & MV_ECAP_PASID)))
        return MV_FR_SM_CTX_INV;
    ci->dte = (uint8_t)smctx_dte(ctx[0]);
    ci->paside = (uint8_t)smctx_paside(ctx[0]);
    ci->pre = (uint8_t)smctx_pre(ctx[0]);
    ci->pdts = (uint8_t)smctx_pdts(ctx[0]);
    ci->rid_pasid = smctx_rid_pasid(ctx[1]);
    /* rev 5.10 Table 30 SCT.4.2: RID_PASID beyond what PDTS covers */
    if (FIELD_GET(MV_PASID_DIR_IDX, ci->rid_pasid) >= (1u << (ci->pdts + 7)))
        return MV_FR_SM_CTX_INV;
    ci->ptr = smctx_pasiddir(ctx[0]);
    return 0;
}

/* Context lookup through the context cache (tagged by source-id). */
static uint8_t get_context(struct vtd_model *m, uint16_t sid, bool sm,
                           struct vtd_ctx_info *ci)
{
    struct vtd_cache *c = &m->cache[CK_CONTEXT];
    struct vtd_centry *e = vtd_cache_find(c, sid, sm);
    uint8_t fr;

    if (e) {
        VTD_TRACE(m, VTD_TRACE_HIT, sid, VTD_NO_PASID, sid, VTD_TC_CONTEXT,
                  e->did);
        *ci = e->u.ctx;
        return ci->fault;
    }
    VTD_TRACE(m, VTD_TRACE_MISS, sid, VTD_NO_PASID, sid, VTD_TC_CONTEXT, 0);
    fr = sm ? sm_context(m, sid, ci) : legacy_context(m, sid, ci);
    ci->fault = fr;
    /*
     * Present, valid entries are cached. With caching mode the maximal
     * policy also keeps not-present and invalid ones, tagged with DID 0
     * (CAP.CM, §2.1); access errors are never cached.
     */
    if (fr &&
        !(cm_maximal(m) && fr != MV_FR_ROOT_ACCESS && fr != MV_FR_CTX_ACCESS &&
          fr != MV_FR_SM_ROOT_ACCESS && fr != MV_FR_SM_CTX_ACCESS))
        return fr;
    e = vtd_cache_insert(c, sid, sm);
    if (e) {
        e->u.ctx = *ci;
        e->sid = sid;
        e->did = fr ? 0 : ci->did;
    }
    return fr;
}

uint8_t vtd_sm_context(struct vtd_model *m, uint16_t sid,
                       struct vtd_ctx_info *ci)
{
    return get_context(m, sid, true, ci);
}

/* ------------------------------------------------ second-level walk */

struct leaf {
    uint64_t out_page; /* output address of the 4 KiB page of the request */
    uint64_t base;     /* input address of the leaf */
    unsigned shift;
    unsigned perm;
    uint8_t fault;
    uint8_t fs_flags; /* first stage: FS_RW, FS_US stacked over the walk */
    uint64_t pte;     /* first stage: the address of the leaf entry */
};

#define FS_RW 1u
#define FS_US 2u

/* The leaf of either walk at `level`, whose page starts at `addr`. */
static void leaf_found(struct leaf *lf, uint64_t iova, unsigned level,
                       uint64_t addr, unsigned perm)
{
    uint64_t size;

    lf->shift = 12 + 9 * (level - 1);
    size = 1ull << lf->shift;
    lf->base = iova & ~(size - 1);
    lf->out_page = (addr & ~(size - 1)) | (iova & (size - 1) & ~0xFFFull);
    lf->perm = perm;
}

/*
 * First-stage permission for this request from the stacked R/W and U/S
 * bits; 0 when a user request meets a supervisor page. The IOTLB keeps the
 * bits, not the result, since requests of either privilege share entries.
 */
static unsigned fs_perm(const struct xreq *x, unsigned flags, bool wpe)
{
    bool user = !(x->req->access & VTD_ACC_PRIV);

    if (user && !(flags & FS_US))
        return 0;
    if ((flags & FS_RW) || (!user && !wpe))
        return VTD_ACC_READ | VTD_ACC_WRITE;
    return VTD_ACC_READ;
}

/* §5.2 reserved bits of a present second-level entry at a level. */
static uint64_t sl_rsvd(const struct vtd_model *m, unsigned level, bool leaf,
                        bool sm)
{
    uint64_t r = m->haw_rsvd;

    if (level >= 4)
        r |= MV_SL_PS;
    if (!leaf) {
        r |= MV_SL_SNP;
        return r;
    }
    /* SNP is reserved without snoop control, in either mode (rev 5.10
     * Tables 43, 45, 47: "treated as reserved(0) by hardware
     * implementations not supporting Snoop Control"); TM is reserved
     * without device-TLB support (and always in scalable mode). */
    if (!(m->ecap & MV_ECAP_SC))
        r |= MV_SL_SNP;
    if (sm || !(m->ecap & MV_ECAP_DT))
        r |= MV_SL_TM;
    if (level == 2)
        r |= MV_SL_2M_RSVD;
    else if (level == 3)
        r |= MV_SL_1G_RSVD;
    return r;
}

static uint64_t psc_key(unsigned level, uint64_t iova)
{
    return (iova >> (12 + 9 * level)) << 3 | level;
}

static void psc_insert(struct xreq *x, unsigned level, uint64_t iova,
                       uint64_t table, unsigned perm)
{
    struct vtd_centry *e = vtd_cache_insert(&x->m->cache[CK_PSC],
                                            psc_key(level, iova),
                                            (uint64_t)x->did << 32 | x->pasid);

    if (!e)
        return;
    e->did = x->did;
    e->pasid = x->pasid;
    e->sid = x->req->sid;
    e->level = (uint8_t)level;
    e->span = 1ull << (12 + 9 * level);
    e->base = iova & ~(e->span - 1);
    e->u.psc.table = table;
    e->u.psc.perm = (uint8_t)perm;
}

static uint8_t sl_walk(struct xreq *x, uint64_t root, unsigned levels,
                       struct leaf *lf)
{
    struct vtd_model *m = x->m;
    uint64_t iova = x->req->addr, table = root;
    unsigned agaw = 30 + 9 * (levels - 2), width, level = levels;
    unsigned perm = ACC_RW;

    width = agaw < m->mgaw ? agaw : m->mgaw;
    /* rev 5.10 Table 30 SGN.5: 84h in scalable mode (83h is for host
     * addresses above HAW) */
    if (width < 64 && (iova >> width))
        return x->sm ? MV_FR_SS_ADDR_BEYOND : MV_FR_ADDR_BEYOND;
    /* the deepest paging-structure cache entry saves the upper levels */
    if (m->cache[CK_PSC].enabled && m->cache[CK_PSC].nlive) {
        for (unsigned l = 1; l < levels; l++) {
            struct vtd_centry *e = vtd_cache_find(&m->cache[CK_PSC],
                                                  psc_key(l, iova),
                                                  (uint64_t)x->did << 32 |
                                                      x->pasid);
            if (e) {
                VTD_TRACE(m, VTD_TRACE_HIT, x->req->sid, x->pasid, iova,
                          VTD_TC_PSC, x->did);
                table = e->u.psc.table;
                perm = e->u.psc.perm;
                level = l;
                break;
            }
        }
    }
    m->stats.walks++;
    for (; level >= 1; level--) {
        uint64_t a = table + ((iova >> (12 + 9 * (level - 1))) & 0x1FF) * 8;
        uint64_t e;
        bool leaf;

        if (vtd_rd(m, a, &e, 8))
            return x->sm ? (level == levels ? MV_FR_SS_PTR : MV_FR_SS_ACCESS)
                         : MV_FR_PTE_ACCESS;
        VTD_TRACE(m, VTD_TRACE_WALK, x->req->sid, x->pasid, a, e, level);
        /* no P bit: R=W=0 means not present (§5.2) */
        if (!(e & (MV_SL_R | MV_SL_W)))
            return x->sm ? MV_FR_SS_PERM
                         : (x->write ? MV_FR_WRITE : MV_FR_READ);
        leaf = level == 1 || ((level == 2 || level == 3) && (e & MV_SL_PS));
        if (leaf && level == 2 && !(m->cap & MV_CAP_SLLPS_2M))
            return x->sm ? MV_FR_SS_RSVD : MV_FR_PTE_RSVD;
        if (leaf && level == 3 && !(m->cap & MV_CAP_SLLPS_1G))
            return x->sm ? MV_FR_SS_RSVD : MV_FR_PTE_RSVD;
        if (e & sl_rsvd(m, level, leaf, x->sm))
            return x->sm ? MV_FR_SS_RSVD : MV_FR_PTE_RSVD;
        perm &= (unsigned)(e & (MV_SL_R | MV_SL_W));
        if (leaf) {
            leaf_found(lf, iova, level, e & MV_SL_ADDR, perm);
            return 0;
        }
        table = e & MV_SL_ADDR;
        if (m->cache[CK_PSC].enabled)
            psc_insert(x, level - 1, iova, table, perm);
    }
    return x->sm ? MV_FR_SS_ACCESS : MV_FR_PTE_ACCESS; /* not reached */
}

/* ----------------------------------------------- first-stage walk */

/* Set D in the present first-stage leaf entry at pte; false when it cannot
 * be read or written, or is no longer present. */
static bool fs_set_dirty(struct vtd_model *m, uint64_t pte)
{
    uint64_t e;

    if (!pte || vtd_rd(m, pte, &e, 8) || !(e & MV_FL_P))
        return false;
    if (e & MV_FL_D)
        return true;
    e |= MV_FL_A | MV_FL_D;
    return m->probing || !m->env.mem_write(m->env.opaque, pte, &e, 8);
}

static uint8_t fs_walk(struct xreq *x, uint64_t root, unsigned levels, bool wpe,
                       struct leaf *lf)
{
    struct vtd_model *m = x->m;
    uint64_t iova = x->req->addr, table = root;
    unsigned width = levels == 5 ? 57 : 48, level;
    bool user = !(x->req->access & VTD_ACC_PRIV);
    bool rw = true, us = true;
    int64_t sx = (int64_t)(iova << (64 - width)) >> (64 - width);

    if ((uint64_t)sx != iova)
        return MV_FR_FS_CANONICAL;
    m->stats.walks++;
    for (level = levels; level >= 1; level--) {
        uint64_t a = table + ((iova >> (12 + 9 * (level - 1))) & 0x1FF) * 8;
        uint64_t e, rsvd = m->haw_rsvd, upd;
        bool leaf;

        if (vtd_rd(m, a, &e, 8))
            return level == levels ? MV_FR_FS_PTR : MV_FR_FS_ACCESS;
        VTD_TRACE(m, VTD_TRACE_WALK, x->req->sid, x->pasid, a, e, level);
        if (!(e & MV_FL_P))
            return MV_FR_FS_P;
        leaf = level == 1 || ((level == 2 || level == 3) && (e & MV_FL_PS));
        if (level >= 4 || (level == 3 && !(m->cap & MV_CAP_FL1GP)))
            rsvd |= MV_FL_PS;
        if (leaf && level == 2)
            rsvd |= MV_FL_2M_RSVD;
        if (leaf && level == 3)
            rsvd |= MV_FL_1G_RSVD;
        if (e & rsvd)
            return MV_FR_FS_RSVD;
        rw = rw && (e & MV_FL_RW);
        us = us && (e & MV_FL_US);
        /* accessed flag, and dirty on a write to the leaf (x86 rules) */
        upd = e | MV_FL_A;
        if (leaf && x->write && (rw || (!user && !wpe)))
            upd |= MV_FL_D;
        if (upd != e && !m->probing &&
            m->env.mem_write(m->env.opaque, a, &upd, 8))
            return MV_FR_FS_ACCESS;
        if (leaf) {
            unsigned perm;

            lf->fs_flags = (uint8_t)((rw ? FS_RW : 0) | (us ? FS_US : 0));
            lf->pte = a;
            perm = fs_perm(x, lf->fs_flags, wpe);
            if (!perm)
                return MV_FR_FS_US;
            leaf_found(lf, iova, level, e & MV_FL_ADDR, perm);
            return 0;
        }
        table = e & MV_FL_ADDR;
    }
    return MV_FR_FS_ACCESS;
}

/* ----------------------------------------------------- IOTLB */

static uint64_t tlb_key2(const struct xreq *x)
{
    return (uint64_t)x->did << 32 | x->pasid;
}

/* IOTLB entries are whole leaves: key = leaf number << 2 | size code. */
static uint64_t tlb_key(uint64_t iova, unsigned code)
{
    return (iova >> (12 + 9 * code)) << 2 | code;
}

static void tlb_insert(struct xreq *x, const struct leaf *lf, uint8_t fault)
{
    unsigned shift = fault ? 12 : lf->shift, code = (shift - 12) / 9;
    struct vtd_centry *e = vtd_cache_insert(&x->m->cache[CK_IOTLB],
                                            tlb_key(x->req->addr, code),
                                            tlb_key2(x));

    if (!e)
        return;
    x->m->tlb_shifts |= 1u << code;
    e->did = x->did;
    e->pasid = x->pasid;
    e->sid = x->req->sid;
    e->level = 0;
    e->span = 1ull << shift;
    e->base = x->req->addr & ~(e->span - 1);
    e->u.tlb.out = fault ? 0 : lf->out_page & ~(e->span - 1);
    e->u.tlb.shift = (uint8_t)shift;
    e->u.tlb.perm = (uint8_t)(fault ? 0 : lf->perm);
    e->u.tlb.fs_flags = fault ? 0 : lf->fs_flags;
    e->u.tlb.pte = fault ? 0 : lf->pte;
    e->u.tlb.fault = fault;
}

static struct vtd_centry *tlb_find(struct xreq *x)
{
    struct vtd_model *m = x->m;

    for (unsigned code = 0; code < 3; code++) {
        struct vtd_centry *e;

        if (!(m->tlb_shifts & (1u << code)))
            continue;
        e = vtd_cache_find(&m->cache[CK_IOTLB], tlb_key(x->req->addr, code),
                           tlb_key2(x));
        if (e)
            return e;
    }
    return NULL;
}

/*
 * Scalable-mode second stage, rev 5.10 Table 30: 79h when the walk grants
 * neither read nor write (SSS.2), else 85h for a write without write
 * permission (SGN.6) and 86h for a read without read permission (SGN.7).
 */
static uint8_t sm_perm_fault(unsigned acc, unsigned perm)
{
    if (!(perm & ACC_RW))
        return MV_FR_SS_PERM;
    return (acc & ~perm & VTD_ACC_WRITE) ? MV_FR_FS_WRITE : MV_FR_SM_READ;
}

/* Permission check of a translation against the request (§5.2). */
static enum vtd_xlate_status finish(struct xreq *x, const struct leaf *lf,
                                    bool fs)
{
    unsigned acc = x->req->access & ACC_RW;

    if (!acc)
        acc = VTD_ACC_READ; /* a zero-length read still needs R */
    if (x->req->at != VTD_AT_TRANSLATION_REQ && (acc & ~lf->perm)) {
        uint8_t fr;

        if (fs)
            fr = MV_FR_FS_WRITE;
        else if (x->sm)
            fr = sm_perm_fault(acc, lf->perm);
        else
            fr = (acc & ~lf->perm & VTD_ACC_WRITE) ? MV_FR_WRITE : MV_FR_READ;
        return fault(x, fr, true);
    }
    /* output addresses in the interrupt range are blocked */
    if ((lf->out_page >> 20) == (INTR_BASE >> 20))
        return fault(x, x->sm ? MV_FR_SM_INTR_RANGE : MV_FR_INTR_RANGE, true);
    return ok(x, lf->out_page, lf->shift, lf->perm);
}

/*
 * 3.15: a request without PASID to the interrupt address range that is
 * not an interrupt request (a read, or a write of other than one aligned
 * DWORD: those stopped at vtd_translate) is illegal, "blocked and reported
 * as DMA Remapping faults", whatever the tables map there. Table 30 has
 * one fault reason for the range, the one of LGN.4 / SGN.8 (0Eh / 87h).
 * Zero-length reads (no access bit) are left to the walk.
 */
static bool intr_range_illegal(const struct xreq *x)
{
    const struct vtd_request *r = x->req;

    return !r->has_pasid && r->at == VTD_AT_UNTRANSLATED &&
           (r->access & ACC_RW) && (r->addr >> 20) == (INTR_BASE >> 20);
}

/* Translate through IOTLB, then the walk of the right stage. */
static enum vtd_xlate_status translate_paged(struct xreq *x, uint64_t root,
                                             unsigned levels, bool fs, bool wpe)
{
    struct vtd_model *m = x->m;
    struct vtd_centry *e = tlb_find(x);
    struct leaf lf = { 0 };
    uint8_t fr;

    if (e) {
        m->stats.iotlb_hits++;
        VTD_TRACE(m, VTD_TRACE_HIT, x->req->sid, x->pasid, x->req->addr,
                  VTD_TC_IOTLB, x->did);
        /* a cached not-present entry: the reason depends on the request */
        if (e->u.tlb.fault) {
            if (fs)
                return fault(x, MV_FR_FS_P, true);
            return fault(x,
                         x->sm ? MV_FR_SS_PERM
                               : (x->write ? MV_FR_WRITE : MV_FR_READ),
                         true);
        }
        lf.out_page = e->u.tlb.out | (x->req->addr & (e->span - 1) & ~0xFFFull);
        lf.shift = e->u.tlb.shift;
        lf.perm = e->u.tlb.perm;
        lf.base = e->base;
        if (fs) {
            lf.perm = fs_perm(x, e->u.tlb.fs_flags, wpe);
            if (!lf.perm)
                return fault(x, MV_FR_FS_US, true);
        }
        /* A first-stage write must set D in the leaf entry (3.6.2). The
         * minimal policies walk for it; the maximal one sets D where the
         * cached translation says the leaf entry is, and uses the cached
         * translation, as hardware keeping the entry's address may. */
        if (!(fs && x->write))
            return finish(x, &lf, fs);
        if (m->cfg.cache_policy == VTD_CACHE_MAXIMAL &&
            (lf.perm & VTD_ACC_WRITE) && fs_set_dirty(m, e->u.tlb.pte))
            return finish(x, &lf, fs);
    }
    m->stats.iotlb_misses++;
    VTD_TRACE(m, VTD_TRACE_MISS, x->req->sid, x->pasid, x->req->addr,
              VTD_TC_IOTLB, x->did);
    fr = fs ? fs_walk(x, root, levels, wpe, &lf)
            : sl_walk(x, root, levels, &lf);
    if (fr) {
        /* caching mode lets hardware cache not-present leaves (CAP.CM) */
        if (cm_maximal(m) && (fr == MV_FR_READ || fr == MV_FR_WRITE ||
                              fr == MV_FR_SS_PERM || fr == MV_FR_FS_P))
            tlb_insert(x, NULL, fr);
        return fault(x, fr, true);
    }
    tlb_insert(x, &lf, 0);
    return finish(x, &lf, fs);
}

/* ---------------------------------------------------- legacy mode */

static enum vtd_xlate_status translate_legacy(struct xreq *x)
{
    struct vtd_ctx_info ci;
    uint8_t fr = get_context(x->m, x->req->sid, false, &ci);

    if (fr) {
        /* FPD is only known from a present entry */
        x->fpd = ci.fpd && fr != MV_FR_CTX_P && fr != MV_FR_ROOT_P;
        return fault(x, fr, fr == MV_FR_CTX_INV);
    }
    x->fpd = ci.fpd;
    x->did = ci.did;
    if (intr_range_illegal(x))
        return fault(x, MV_FR_INTR_RANGE, true);
    x->front_ok = x->m->front != NULL && x->req->at == VTD_AT_UNTRANSLATED;
    if (x->req->at != VTD_AT_UNTRANSLATED) {
        if (ci.tt != MV_CTX_TT_DEVTLB)
            return fault(x, MV_FR_ATS_BLOCKED, true);
        if (x->req->at == VTD_AT_TRANSLATED)
            return passthrough(x);
    }
    if (ci.tt == MV_CTX_TT_PT)
        return passthrough(x);
    return translate_paged(x, ci.ptr, ci.levels, false, false);
}

/* -------------------------------------------------- scalable mode */

static uint8_t read_pasid_entry(struct vtd_model *m,
                                const struct vtd_ctx_info *ci, uint16_t sid,
                                uint32_t pasid, struct vtd_pasid_info *pi)
{
    uint64_t dirent, pe[8], a;
    unsigned pgtt, aw;

    memset(pi, 0, sizeof(*pi));
    if (FIELD_GET(MV_PASID_DIR_IDX, pasid) >= (1u << (ci->pdts + 7)) ||
        pasid >= (1u << m->cfg.pasid_bits))
        return MV_FR_SM_PASID_SIZE;
    a = ci->ptr + FIELD_GET(MV_PASID_DIR_IDX, pasid) * 8ull;
    if (vtd_rd(m, a, &dirent, 8))
        return MV_FR_SM_PDIR_ACCESS;
    VTD_TRACE(m, VTD_TRACE_WALK, sid, pasid, a, dirent, 0);
    /* 9.5, 9.6: FPD is evaluated whatever P says */
    pi->fpd = (dirent & MV_PDIR_FPD) != 0;
    if (!(dirent & MV_PDIR_P))
        return MV_FR_SM_PDIR_P;
    if (dirent & (MV_PDIR_RSVD | ptr_rsvd(m)))
        return MV_FR_SM_PDIR_RSVD;
    a = pdir_ptp(dirent) + FIELD_GET(MV_PASID_TBL_IDX, pasid) * 64ull;
    if (vtd_rd(m, a, pe, sizeof(pe)))
        return MV_FR_SM_PE_ACCESS;
    VTD_TRACE(m, VTD_TRACE_WALK, sid, pasid, a, pe[0], 0);
    pi->fpd |= (pe[0] & MV_PE_W0_FPD) != 0;
    if (!(pe[0] & MV_PE_W0_P))
        return MV_FR_SM_PE_P;
    pgtt = pe_pgtt(pe[0]);
    aw = pe_aw(pe[0]);
    if ((pe[0] & (MV_PE_W0_RSVD | MV_PE_W0_SSEE | MV_PE_W0_SSADE)) ||
        (pgtt == MV_PGTT_SS && (pe[0] & ptr_rsvd(m))) ||
        (pe[1] & MV_PE_W1_RSVD) || (pe_did(pe[1]) & ~vtd_did_mask(m)) ||
        (pe[2] & (MV_PE_W2_RSVD | MV_PE_W2_EAFE)) ||
        (pgtt == MV_PGTT_FS && (pe_fsptptr(pe[2]) & ptr_rsvd(m))) || pe[3] ||
        pe[4] || pe[5] || pe[6] || pe[7])
        return MV_FR_SM_PE_RSVD;
    pi->pgtt = (uint8_t)pgtt;
    pi->did = pe_did(pe[1]);
    pi->sre = (uint8_t)pe_sre(pe[2]);
    pi->wpe = (uint8_t)pe_wpe(pe[2]);
    switch (pgtt) {
    case MV_PGTT_FS:
        if (!(m->ecap & MV_ECAP_FLTS))
            return MV_FR_SM_PE_INV;
        if (pe_fspm(pe[2]) > 1 ||
            (pe_fspm(pe[2]) == 1 && !(m->cap & MV_CAP_FL5LP)))
            return MV_FR_SM_PE_INV;
        pi->levels = pe_fspm(pe[2]) ? 5 : 4;
        pi->ptr = pe_fsptptr(pe[2]);
        break;
    case MV_PGTT_SS:
        if (!(FIELD_GET(MV_CAP_SAGAW, m->cap) & (1u << aw)))
            return MV_FR_SM_PE_INV;
        pi->levels = (uint8_t)(aw + 2);
        pi->ptr = pe_ssptptr(pe[0]);
        break;
    case MV_PGTT_PT:
        if (!(m->ecap & MV_ECAP_PT))
            return MV_FR_SM_PE_INV;
        break;
    default: /* nested is not supported, others reserved */
        return MV_FR_SM_PE_INV;
    }
    return 0;
}

static uint8_t get_pasid_entry(struct vtd_model *m,
                               const struct vtd_ctx_info *ci, uint16_t sid,
                               uint32_t pasid, struct vtd_pasid_info *pi)
{
    struct vtd_cache *c = &m->cache[CK_PASID];
    uint64_t key = (uint64_t)sid << 20 | (pasid & 0xFFFFF);
    struct vtd_centry *e = vtd_cache_find(c, key, 1);
    uint8_t fr;

    if (e) {
        VTD_TRACE(m, VTD_TRACE_HIT, sid, pasid, key, VTD_TC_PASID, e->did);
        *pi = e->u.pe;
        return pi->fault;
    }
    fr = read_pasid_entry(m, ci, sid, pasid, pi);
    pi->fault = fr;
    if (fr)
        return fr;
    e = vtd_cache_insert(c, key, 1);
    if (e) {
        e->u.pe = *pi;
        e->did = pi->did;
        e->pasid = pasid;
        e->sid = sid;
    }
    return 0;
}

static enum vtd_xlate_status translate_sm(struct xreq *x)
{
    struct vtd_model *m = x->m;
    const struct vtd_request *r = x->req;
    struct vtd_ctx_info ci;
    struct vtd_pasid_info pi;
    uint8_t fr = get_context(m, r->sid, true, &ci);
    uint32_t pasid;

    if (fr) {
        x->fpd = ci.fpd && fr != MV_FR_SM_CTX_P && fr != MV_FR_SM_ROOT_P;
        return fault(x, fr, fr == MV_FR_SM_CTX_INV);
    }
    x->fpd = ci.fpd;
    if (r->at != VTD_AT_UNTRANSLATED && !ci.dte)
        return fault(x, MV_FR_SM_DTE, true);
    if (r->at == VTD_AT_TRANSLATED)
        return passthrough(x);
    if (r->has_pasid && !ci.paside)
        return fault(x, MV_FR_SM_PASIDE, true);
    pasid = r->has_pasid ? (r->pasid & 0xFFFFF) : ci.rid_pasid;
    x->pasid = pasid;
    fr = get_pasid_entry(m, &ci, r->sid, pasid, &pi);
    if (fr) {
        x->fpd = x->fpd || pi.fpd;
        return fault(x, fr, true);
    }
    x->fpd = x->fpd || pi.fpd;
    x->did = pi.did;
    if (intr_range_illegal(x))
        return fault(x, MV_FR_SM_INTR_RANGE, true);
    if ((r->access & VTD_ACC_PRIV) && (!r->has_pasid || !pi.sre))
        return fault(x, MV_FR_SM_SRE, true);
    if (r->access & VTD_ACC_EXEC)
        return fault(x, MV_FR_SM_ERE, true); /* ECAP.ERS = 0 */
    switch (pi.pgtt) {
    case MV_PGTT_PT:
        return passthrough(x);
    case MV_PGTT_FS:
        return translate_paged(x, pi.ptr, pi.levels, true, pi.wpe);
    default:
        return translate_paged(x, pi.ptr, pi.levels, false, false);
    }
}

/* ------------------------------------------------------------ entry */

enum vtd_xlate_status vtd_translate(struct vtd_model *m,
                                    const struct vtd_request *req,
                                    struct vtd_xlate *out)
{
    struct xreq x = {
        .m = m,
        .req = req,
        .out = out,
        .write = (req->access & VTD_ACC_WRITE) != 0,
        .pasid = VTD_NO_PASID,
    };
    unsigned ttm;

    m->stats.translations++;
    /*
     * Front first: its entries are only filled with translation enabled in
     * legacy mode, and any GCMD write makes them stale.
     */
    if (m->front && req->at == VTD_AT_UNTRANSLATED && !req->has_pasid) {
        uint64_t pfn = req->addr >> 12;
        const struct vtd_front
            *f = &m->front[(pfn ^ req->sid * 0x9E37u) & (VTD_FRONT_SIZE - 1)];
        unsigned acc = req->access & ACC_RW ? req->access & ACC_RW
                                            : VTD_ACC_READ;

        if (f->gen == m->front_gen && f->pfn == pfn && f->sid == req->sid &&
            !(acc & ~f->perm) && (pfn >> 8) != (INTR_BASE >> 20)) {
            m->stats.iotlb_hits++;
            VTD_TRACE(m, VTD_TRACE_HIT, req->sid, VTD_NO_PASID, req->addr,
                      VTD_TC_IOTLB, f->did);
            out->status = VTD_XLATE_OK;
            out->addr = f->out | (req->addr & 0xFFF);
            out->page_shift = f->shift;
            out->perm = f->perm;
            out->did = f->did;
            out->fault_reason = 0;
            out->fault_recorded = false;
            return VTD_XLATE_OK;
        }
    }
    memset(out, 0, sizeof(*out));
    /* DWORD writes to the interrupt address range are interrupt requests */
    if (!req->has_pasid && req->at == VTD_AT_UNTRANSLATED && x.write &&
        (req->addr >> 20) == (INTR_BASE >> 20) &&
        (!req->len || (req->len == 4 && !(req->addr & 3)))) {
        out->status = VTD_XLATE_INTERRUPT;
        out->addr = req->addr;
        return VTD_XLATE_INTERRUPT;
    }
    /* with translation disabled DMA is untranslated (and no table is read) */
    if (!(m->gsts & MV_GCMD_TE))
        return passthrough(&x);
    ttm = (unsigned)FIELD_GET(MV_RTADDR_TTM, m->rta_active);
    if (ttm == MV_TTM_SCALABLE) {
        x.sm = true;
        return translate_sm(&x);
    }
    if (ttm != MV_TTM_LEGACY)
        return fault(&x, MV_FR_SM_RTA, false);
    if (req->has_pasid)
        return fault(&x, MV_FR_SM_LEGACY_PASID, false);
    return translate_legacy(&x);
}

enum vtd_xlate_status vtd_translate_probe(struct vtd_model *m,
                                          const struct vtd_request *req,
                                          struct vtd_xlate *out)
{
    bool enabled[CK_COUNT];
    struct vtd_front *front = m->front;
    struct vtd_stats stats = m->stats;
    uint32_t trace_mask = m->cfg.trace_mask;
    enum vtd_xlate_status st;

    for (int i = 0; i < CK_COUNT; i++) {
        enabled[i] = m->cache[i].enabled;
        m->cache[i].enabled = false;
    }
    m->front = NULL;
    m->cfg.trace_mask = 0;
    m->probing = true;
    st = vtd_translate(m, req, out);
    m->probing = false;
    m->cfg.trace_mask = trace_mask;
    m->front = front;
    m->stats = stats;
    for (int i = 0; i < CK_COUNT; i++)
        m->cache[i].enabled = enabled[i];
    return st;
}

/* ------------------------------------------------- notifier layer's view */

uint64_t mv_sl_rsvd(const struct vtd_model *m, unsigned level, bool leaf,
                    bool sm)
{
    return sl_rsvd(m, level, leaf, sm);
}

static void dev_xlate(struct vtd_model *m, uint16_t sid,
                      struct vtd_dev_xlate *out)
{
    unsigned ttm = (unsigned)FIELD_GET(MV_RTADDR_TTM, m->rta_active);
    struct vtd_ctx_info ci;
    struct vtd_pasid_info pi;
    uint8_t fr;

    memset(out, 0, sizeof(*out));
    out->pasid = VTD_NO_PASID;
    if (!(m->gsts & MV_GCMD_TE)) {
        out->mode = VTD_DEV_BYPASS;
        return;
    }
    out->mode = VTD_DEV_BLOCKED;
    if (ttm == MV_TTM_LEGACY) {
        fr = legacy_context(m, sid, &ci);
        if (fr) {
            out->fault = fr;
            return;
        }
        out->did = ci.did;
        if (ci.tt == MV_CTX_TT_PT) {
            out->mode = VTD_DEV_BYPASS;
            return;
        }
        out->mode = VTD_DEV_SECOND;
        out->root = ci.ptr;
        out->levels = ci.levels;
    } else if (ttm == MV_TTM_SCALABLE) {
        out->sm = true;
        fr = sm_context(m, sid, &ci);
        if (!fr)
            fr = read_pasid_entry(m, &ci, sid, ci.rid_pasid, &pi);
        if (fr) {
            out->fault = fr;
            return;
        }
        out->did = pi.did;
        out->pasid = ci.rid_pasid;
        out->root = pi.ptr;
        out->levels = pi.levels;
        out->wpe = pi.wpe;
        switch (pi.pgtt) {
        case MV_PGTT_PT:
            out->mode = VTD_DEV_BYPASS;
            return;
        case MV_PGTT_FS:
            out->mode = VTD_DEV_FIRST;
            out->width = pi.levels == 5 ? 57 : 48;
            return;
        default:
            out->mode = VTD_DEV_SECOND;
            break;
        }
    } else {
        out->fault = MV_FR_SM_RTA;
        return;
    }
    out->width = 30 + 9 * (out->levels - 2);
    if (out->width > m->mgaw)
        out->width = m->mgaw;
}

void vtd_dev_xlate_probe(struct vtd_model *m, uint16_t sid,
                         struct vtd_dev_xlate *out)
{
    uint32_t trace_mask = m->cfg.trace_mask;
    struct vtd_stats stats = m->stats;

    m->cfg.trace_mask = 0;
    m->probing = true;
    dev_xlate(m, sid, out);
    m->probing = false;
    m->cfg.trace_mask = trace_mask;
    m->stats = stats;
}
