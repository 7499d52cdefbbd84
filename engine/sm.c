/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/sm.c — the executor's side of scalable mode (engine/sm.h,
 * tests/scenarios/README.md "Scalable mode").
 */
#include <string.h>

#include "engine/sm.h"
#include "vtd/context.h"

int scn_sm_start(struct scn_sm *sm, struct vtd_unit *u)
{
    int rc;

    if (sm->on)
        return VTD_OK;
    rc = vtd_smt_init(&sm->t, u);
    if (rc == VTD_OK)
        sm->on = true;
    return rc;
}

int scn_sm_end(struct scn_sm *sm, struct vtd_unit *u, uint64_t legacy_root_pa)
{
    int rc;

    if (!sm->on)
        return VTD_OK;
    rc = vtd_set_root(u, legacy_root_pa, VTD_TTM_LEGACY);
    vtd_smt_destroy(&sm->t);
    sm->on = false;
    return rc;
}

int scn_sm_enable(struct scn_sm *sm, struct vtd_unit *u)
{
    struct vtd_desc d[3];
    int rc = vtd_smt_install(&sm->t);

    if (rc)
        return rc;
    /* 6.5.2.1: a global context-cache invalidation is followed by global
     * PASID-cache and IOTLB invalidations. */
    if (!vtd_has_cap(u, VTD_CAP_ESRTPS)) {
        struct vtd_iotlb_req all = { .gran = VTD_GRAN_GLOBAL };

        if (!u->qi)
            return vtd_fail(u, VTD_EQIOFF, "scalable mode without a queue");
        d[0] = vtd_desc_cc(VTD_GRAN_GLOBAL, 0, 0, 0);
        d[1] = vtd_desc_pc(VTD_PC_GLOBAL, 0, 0);
        d[2] = vtd_desc_iotlb(&all);
        rc = vtd_qi_sync(u->qi, d, 3);
        if (rc)
            return rc;
    }
    return vtd_translation_enable(u);
}

/* 9.6: AW is ignored for pass-through, and Reserved(0) without ECAP.SSTS;
 * where it is not reserved, the largest AGAW, as for a legacy TT=10b. */
static unsigned pt_aw(const struct vtd_unit *u)
{
    int aw = vtd_aw_max(u);

    return vtd_has_ecap(u, VTD_ECAP_SLTS) && aw > 0 ? (unsigned)aw : 0;
}

/* The PASID-table entry attach asks for. */
static int attach_cfg(struct vtd_unit *u, const struct scn_stmt *st,
                      const struct vtd_domain *d, struct vtd_pasid_cfg *c)
{
    memset(c, 0, sizeof(*c));
    c->fpd = st->flags & SCN_F_FPD;
    c->sre = st->flags & SCN_F_SRE;
    c->wpe = st->flags & SCN_F_WPE;
    if (!d) {
        c->pgtt = VTD_PGTT_PT;
        c->did = st->did;
        c->aw = pt_aw(u);
        return VTD_OK;
    }
    c->did = d->did;
    c->pgtt = st->pgtt ? st->pgtt : d->fs ? VTD_PGTT_FS : VTD_PGTT_SS;
    switch (c->pgtt) {
    case VTD_PGTT_FS:
        if (!d->fs)
            return vtd_fail(u, VTD_EINVAL,
                            "pgtt=fs: the domain has second-stage tables "
                            "(declare it stage=first)");
        c->fsptptr = d->root_pa;
        c->fspm = d->levels == 5 ? VTD_FSPM_5LEVEL : VTD_FSPM_4LEVEL;
        return VTD_OK;
    case VTD_PGTT_SS:
        if (d->fs)
            return vtd_fail(u, VTD_EINVAL,
                            "pgtt=ss: the domain has first-stage tables");
        c->aw = d->aw;
        c->ssptptr = d->root_pa;
        return VTD_OK;
    case VTD_PGTT_PT:
        c->aw = pt_aw(u);
        return VTD_OK;
    }
    return vtd_fail(u, VTD_ENOTSUP,
                    "pgtt=nested: a scenario cannot give both stages of one "
                    "PASID yet");
}

int scn_sm_attach(struct scn_sm *sm, uint16_t sid, const struct scn_stmt *st,
                  const struct vtd_domain *d, uint16_t *did)
{
    struct vtd_pasid_cfg c;
    int rc = attach_cfg(sm->t.u, st, d, &c);

    if (rc || (rc = vtd_smt_ctx_setup(&sm->t, sid, st->flags & SCN_F_FPD,
                                      (st->flags & SCN_F_RID) ? st->pasid : 0)))
        return rc;
    *did = c.did;
    return vtd_pasid_set(&sm->t, sid, st->pasid, &c);
}

int scn_sm_detach(struct scn_sm *sm, uint16_t sid)
{
    return vtd_smt_ctx_clear(&sm->t, sid);
}

static uint64_t edited(const struct scn_stmt *st, uint64_t w)
{
    return (w & ~st->clear) | st->set;
}

static int edit_ctx(struct scn_sm *sm, uint16_t sid, const struct scn_stmt *st)
{
    struct vtd_smce *e = vtd_smt_ctx(&sm->t, sid);
    uint64_t qw[4];

    if (!e)
        return vtd_fail(sm->t.u, VTD_ENOENT,
                        "0x%04x has no context table yet (attach first)", sid);
    memcpy(qw, e->qw, sizeof(qw));
    qw[st->word] = edited(st, qw[st->word]);
    return vtd_smt_ctx_set_raw(&sm->t, sid, qw);
}

static int edit_pasid(struct scn_sm *sm, uint16_t sid,
                      const struct scn_stmt *st)
{
    struct vtd_pasid_entry *pe = vtd_pasid_entry(&sm->t, sid, st->pasid), e;

    if (!pe)
        return vtd_fail(sm->t.u, VTD_ENOENT,
                        "0x%04x has no PASID table for PASID 0x%x (attach "
                        "with pasid= first)",
                        sid, st->pasid);
    e = *pe;
    e.qw[st->word] = edited(st, e.qw[st->word]);
    return vtd_pasid_set_raw(&sm->t, sid, st->pasid, &e);
}

int scn_sm_edit(struct scn_sm *sm, uint16_t sid, const struct scn_stmt *st)
{
    const uint64_t *re;
    uint64_t *pd;

    switch (st->op) {
    case SCN_CTX:
        return edit_ctx(sm, sid, st);
    case SCN_PASID:
        return edit_pasid(sm, sid, st);
    case SCN_PDIR:
        pd = vtd_pdir_entry(&sm->t, sid, st->pasid);
        if (!pd)
            return vtd_fail(sm->t.u, VTD_ENOENT,
                            "0x%04x has no PASID directory (attach first)",
                            sid);
        return vtd_pdir_set_raw(&sm->t, sid, st->pasid, edited(st, *pd));
    default:
        re = vtd_smt_root(&sm->t, (uint8_t)(sid >> 8));
        return vtd_smt_root_set_raw(&sm->t, (uint8_t)(sid >> 8),
                                    st->word ? re[0] : edited(st, re[0]),
                                    st->word ? edited(st, re[1]) : re[1]);
    }
}

struct vtd_desc scn_sm_desc(const struct scn_stmt *st, uint64_t addr,
                            unsigned am, unsigned i)
{
    if (st->op == SCN_INV_PC)
        return vtd_desc_pc(st->gran, st->did, st->pasid);
    /* block i of 2^am pages unless stride= says otherwise (as inv iotlb) */
    if (st->gran == VTD_PIOTLB_PAGE && !st->stride && i && 12 + am < 64)
        addr += (uint64_t)i << (12 + am);
    return vtd_desc_piotlb(st->gran, st->did, st->pasid, addr, am,
                           st->flags & SCN_F_IH);
}
