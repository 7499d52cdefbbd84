/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/parse_sm.c — the statements of scalable mode (spec 3.4.3, 9.4-9.7,
 * 6.5.2.2, 6.5.2.4): `set mode=scalable`, domains with first-stage tables,
 * attach with a PGTT, raw PASID directory and table entry edits, and the
 * PASID-cache and PASID-based IOTLB invalidations
 * (tests/scenarios/README.md, "Scalable mode").
 */
#include "engine/parse_int.h"
#include "vtd/regs.h"
#include "vtd/sm.h"

#define PASID_MAX 0xFFFFFu /* 20 bits (9.6) */

/* Scalable mode needs ECAP.SMTS, and the queue: register-based
 * invalidation is not supported there (6.5.1), and PASID-cache and
 * P_IOTLB descriptors are 256-bit (6.5.2). */
static bool sm_reqs(struct pctx *p)
{
    return add_req(p, SCN_REQ_ECAP, VTD_ECAP_SMTS, false, "SMTS", true) &&
           add_req(p, SCN_REQ_ECAP, VTD_ECAP_QI, false, "QI", true);
}

bool scn_p_set_mode(struct pctx *p, struct scn_stmt *st)
{
    struct tok *t = key(p, "mode");

    st->op = SCN_SET_MODE;
    if (!str_eq(t->val, t->vn, "scalable"))
        return perr(p, "set mode=%.*s: expected scalable", (int)t->vn, t->val);
    return sm_reqs(p) && finish(p, "mode=scalable");
}

bool scn_p_domain_stage(struct pctx *p, unsigned *aw, bool *first)
{
    struct tok *t = key(p, "stage");

    if (str_eq(t->val, t->vn, "second"))
        return true;
    if (!str_eq(t->val, t->vn, "first"))
        return perr(p, "stage=%.*s: expected first or second", (int)t->vn,
                    t->val);
    /* 9.6 FSPM: 4-level (48-bit) or 5-level (57-bit, CAP.FS5LP) */
    if (!*aw)
        *aw = 48;
    if (*aw != 48 && *aw != 57)
        return perr(p, "stage=first: aw=%u, expected 48 or 57", *aw);
    *first = true;
    if (*aw == 57 &&
        !add_req(p, SCN_REQ_CAP, VTD_CAP_FL5LP, false, "FL5LP", true))
        return false;
    return add_req(p, SCN_REQ_ECAP, VTD_ECAP_FLTS, false, "FLTS", true);
}

static const struct word_val pgtt_words[] = {
    { "fs", VTD_PGTT_FS }, { "ss", VTD_PGTT_SS }, { "nested", VTD_PGTT_NESTED },
    { "pt", VTD_PGTT_PT }, { NULL, 0 },
};

/* What each PGTT needs of the unit (11.4.3). */
static bool pgtt_req(struct pctx *p, unsigned pgtt)
{
    switch (pgtt) {
    case VTD_PGTT_FS:
        return add_req(p, SCN_REQ_ECAP, VTD_ECAP_FLTS, false, "FLTS", true);
    case VTD_PGTT_SS:
        return add_req(p, SCN_REQ_ECAP, VTD_ECAP_SLTS, false, "SLTS", true);
    case VTD_PGTT_NESTED:
        return add_req(p, SCN_REQ_ECAP, VTD_ECAP_NEST, false, "NEST", true);
    case VTD_PGTT_PT:
        return add_req(p, SCN_REQ_ECAP, VTD_ECAP_PT, false, "PT", true);
    }
    return true;
}

/* Whether `set mode=scalable` came earlier in this scenario. */
static bool in_sm(const struct pctx *p)
{
    for (unsigned i = p->cur->first; i < p->s->nstmt; i++)
        if (p->s->stmt[i].op == SCN_SET_MODE)
            return true;
    return false;
}

/* attach's scalable-mode keys: pgtt=, pasid=, sre=, wpe=, rid=. Without pgtt=
 * in scalable mode, the domain's stage decides. */
bool scn_p_attach_sm(struct pctx *p, struct scn_stmt *st)
{
    unsigned pgtt = 0;
    uint64_t pasid = 0;

    if (!get_word(p, "pgtt", pgtt_words, &pgtt, false, "fs|ss|nested|pt") ||
        !get_num(p, "pasid", &pasid, false, 0, PASID_MAX) ||
        !get_bool(p, "sre", &st->flags, SCN_F_SRE) ||
        !get_bool(p, "wpe", &st->flags, SCN_F_WPE) ||
        !get_bool(p, "rid", &st->flags, SCN_F_RID))
        return false;
    if ((st->flags & SCN_F_RID) &&
        !add_req(p, SCN_REQ_ECAP, VTD_ECAP_RPS, false, "RPS", true))
        return false;
    if (st->op == SCN_ATTACH_PT && pgtt)
        return perr(p, "attach passthrough: pgtt= goes with a domain");
    st->pgtt = (uint8_t)pgtt;
    st->pasid = (uint32_t)pasid;
    if ((st->flags & SCN_F_SRE) &&
        !add_req(p, SCN_REQ_ECAP, VTD_ECAP_SRS, false, "SRS", true))
        return false;
    if (!pgtt && st->op == SCN_ATTACH && in_sm(p))
        pgtt = p->cur->dom[st->dom].first ? VTD_PGTT_FS : VTD_PGTT_SS;
    return pgtt_req(p, pgtt);
}

/* pasid DEV [pasid=N] [word=0..7] set= clear=; pdir DEV [pasid=N] set=
 * clear=: the raw PASID-table entry (9.6) or PASID directory entry (9.5)
 * of a device's PASID. */
bool scn_p_pasid(struct pctx *p, struct scn_stmt *st)
{
    bool pdir = st->op == SCN_PDIR;
    unsigned word = 0;
    uint64_t pasid = 0;

    if (!get_dev(p, pos(p, 0), &st->dev) ||
        !get_num(p, "pasid", &pasid, false, 0, PASID_MAX) ||
        (!pdir && !get_u(p, "word", &word, false, 0, 7)) ||
        !get_mask(p, "set", &st->set) || !get_mask(p, "clear", &st->clear))
        return false;
    st->pasid = (uint32_t)pasid;
    st->word = (uint8_t)word;
    if (!st->set && !st->clear)
        return perr(p, "%s: expected set=MASK and/or clear=MASK",
                    pdir ? "pdir" : "pasid");
    return sm_reqs(p) &&
           finish(p, pdir ? "DEV [pasid=N] [set=MASK] [clear=MASK]"
                          : "DEV [pasid=N] [word=0..7] [set=MASK] "
                            "[clear=MASK]");
}

static const struct word_val pc_grans[] = {
    { "domain", VTD_PC_DOMAIN },
    { "pasid", VTD_PC_PASID },
    { "global", VTD_PC_GLOBAL },
    { NULL, 0 },
};

static const struct word_val piotlb_grans[] = {
    { "pasid", VTD_PIOTLB_PASID },
    { "page", VTD_PIOTLB_PAGE },
    { NULL, 0 },
};

static bool sm_gran(struct pctx *p, struct scn_stmt *st, bool pc)
{
    const struct word_val *w = pc ? pc_grans : piotlb_grans;
    struct tok *g = pos(p, 1);

    if (g)
        for (; w->word; w++)
            if (str_eq(g->s, g->n, w->word)) {
                st->gran = (uint8_t)w->val;
                return true;
            }
    return perr(p, "inv %s: expected a granularity: %s", pc ? "pc" : "piotlb",
                pc ? "global, domain or pasid" : "pasid or page");
}

/* inv pc GRAN [did=] [pasid=] / inv piotlb GRAN did= [pasid=] [iova=]
 * [am=] [ih=]: queued only (6.5.2.2, 6.5.2.4). */
bool scn_p_inv_sm(struct pctx *p, struct scn_stmt *st)
{
    bool pc = tok_is(pos(p, 0), "pc");
    uint64_t pasid = 0;

    st->op = pc ? SCN_INV_PC : SCN_INV_PIOTLB;
    st->via = SCN_VIA_QI;
    if (!sm_gran(p, st, pc) ||
        !get_did(p, st, !pc || st->gran != VTD_PC_GLOBAL) ||
        !get_num(p, "pasid", &pasid, false, 0, PASID_MAX) ||
        !get_inv_expect(p, st, false) || !get_count(p, st))
        return false;
    st->pasid = (uint32_t)pasid;
    if (!pc && (!get_addr(p, "iova", &st->iova, st->gran == VTD_PIOTLB_PAGE) ||
                !get_am(p, st) || !get_bool(p, "ih", &st->flags, SCN_F_IH)))
        return false;
    if ((st->flags & SCN_F_AM_MAMV) &&
        !add_req(p, SCN_REQ_MAMV, 0, false, NULL, true))
        return false;
    if (!sm_reqs(p))
        return false;
    return finish(p, pc ? "pc global|domain|pasid [did=N|DOMAIN] [pasid=N] "
                          "[expect=ok|iqe|ok,iqe|any] [count=N]"
                        : "piotlb pasid|page did=N|DOMAIN [pasid=N] "
                          "[iova=ADDRESS] [am=N|mamv|mamv+N] [ih=0|1] "
                          "[expect=ok|iqe|ok,iqe|any] [count=N] "
                          "[stride=N]");
}
