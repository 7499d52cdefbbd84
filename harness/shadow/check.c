/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/check.c — the invariant checker, run after every
 * invalidation the unit completes.
 *
 * It decodes each device's translation from guest memory itself (root and
 * context entries, second-level tables: its own walk, not the model's nor
 * the layer's) and requires, for every container group:
 *
 *   - the group shadows the right domain: one of its translated members',
 *     the same one as before while a member still uses it, none when no
 *     member is translated; the conflict flag says whether members
 *     disagree;
 *   - the container holds exactly the guest's leaves over the group's
 *     range, cropped to it, with the translated address shifted to match;
 *   - the container changed only where the guest changed its tables (a
 *     domain-selective invalidation over unchanged tables must change
 *     nothing), and never removed a mapping just to put it back;
 *   - each device's reported mode is right; the UNMAP-only consumer holds
 *     no stale translation; the unit's own uncached translation agrees
 *     with the tables.
 *
 * Between full checks it compares only the ranges the guest modified
 * since the last check, and whole ranges of groups whose domain changed:
 * elsewhere the tables are unchanged, and the container is known not to
 * have changed there (its change log), so the equality proved at the last
 * check still holds. A full check runs every 256 checks, at the end of a
 * run, and on request.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/shadow/machine.h"
#include "model/vtd_regs.h"

#define FULL_EVERY   256
#define INTR_PAGE_LO 0xFEE00000ull
#define INTR_PAGE_HI 0xFEEFFFFFull

struct leaf {
    uint64_t iova, last, addr;
    unsigned perm;
};

struct leaves {
    struct leaf *v;
    size_t n, cap;
    size_t max; /* stop after this many (0: no limit) */
    bool odd;   /* an entry with bits the harness never writes */
    uint64_t odd_pte;
};

static void leaves_add(struct leaves *l, uint64_t iova, uint64_t last,
                       uint64_t addr, unsigned perm)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        struct leaf *nv = realloc(l->v, nc * sizeof(*nv));

        if (!nv)
            abort();
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = (struct leaf){ iova, last, addr, perm };
}

/* ------------------------------------------------------------- decode */

/* The unit's registers every device's decoding reads. */
struct unit_regs {
    uint32_t gsts;
    uint64_t rta;
    unsigned sagaw, mgaw;
};

static void read_unit(struct sh_machine *mc, struct unit_regs *u)
{
    uint64_t cap = vtd_model_cap(mc->m);

    u->gsts = (uint32_t)vtd_mmio_read(mc->m, MV_REG_GSTS, 4);
    u->rta = vtd_mmio_read(mc->m, MV_REG_RTADDR, 8);
    u->sagaw = (unsigned)(cap >> 8) & 0x1F;
    u->mgaw = (unsigned)((cap >> 16) & 0x3F) + 1;
}

static void decode(struct sh_machine *mc, const struct unit_regs *u,
                   unsigned dev, struct sh_ident *id)
{
    uint32_t gsts = u->gsts;
    uint64_t rta = u->rta;
    uint16_t sid = mc->dev[dev].sid;
    uint64_t re, ce, lo, hi;
    unsigned tt, aw, sagaw = u->sagaw, mgaw = u->mgaw;

    memset(id, 0, sizeof(*id));
    if (!(gsts & MV_GCMD_TE)) {
        id->mode = VTD_MODE_BYPASS;
        return;
    }
    id->mode = VTD_MODE_BLOCKED;
    if (rta & MV_RTADDR_TTM) {
        sh_violate(mc, SHV_HARNESS,
                   "the root table is not in legacy mode (RTADDR 0x%" PRIx64
                   "): the statements program legacy mode only",
                   rta);
        return;
    }
    re = (rta & MV_RTADDR_RTA) + (sid >> 8) * 16ull;
    if (!sh_ram_ok(mc, re, 16) || !(sh_r64(mc, re) & 1))
        return;
    ce = (sh_r64(mc, re) & ~0xFFFull) + (sid & 0xFF) * 16ull;
    if (!sh_ram_ok(mc, ce, 16))
        return;
    lo = sh_r64(mc, ce);
    hi = sh_r64(mc, ce + 8);
    if (!(lo & 1))
        return;
    tt = (unsigned)(lo >> 2) & 3;
    aw = (unsigned)hi & 7;
    id->did = (uint16_t)(hi >> 8);
    if (tt == MV_CTX_TT_PT) {
        id->mode = VTD_MODE_BYPASS;
        return;
    }
    /* TT 01 translates untranslated requests as TT 00 does, and lets
     * the device ask for translations too (VT-d 9.3) */
    if ((tt != MV_CTX_TT_MULTI && tt != MV_CTX_TT_DEVTLB) ||
        !(sagaw & (1u << aw)))
        return;
    id->mode = VTD_MODE_TRANSLATED;
    id->root = lo & MV_SL_ADDR;
    id->levels = aw + 2;
    id->width = 30 + 9 * aw;
    if (id->width > mgaw)
        id->width = mgaw;
}

static bool same(const struct sh_ident *a, const struct sh_ident *b)
{
    return a->mode == b->mode && a->did == b->did && a->root == b->root &&
           a->levels == b->levels;
}

/* --------------------------------------------------------------- walk */

/* The guest's leaves overlapping [first, last] (uncropped). */
static void walk(const struct sh_machine *mc, uint64_t table, unsigned level,
                 uint64_t base, uint64_t first, uint64_t last, unsigned perm,
                 struct leaves *out)
{
    unsigned shift = 12 + 9 * (level - 1);
    unsigned lo = (unsigned)((first - base) >> shift);
    unsigned hi = (unsigned)((last - base) >> shift);
    uint64_t cap = vtd_model_cap(mc->m);

    if (!sh_ram_ok(mc, table, 4096))
        return;
    for (unsigned i = lo; i <= hi && i < 512; i++) {
        uint64_t e = sh_r64(mc, table + i * 8ull);

        if (out->max && out->n >= out->max)
            return;
        uint64_t iova = base + ((uint64_t)i << shift), size = 1ull << shift;
        bool leaf;

        if (!(e & (MV_SL_R | MV_SL_W)))
            continue;
        /* the statements only ever write R, W, PS and an address below
         * 2^aw_bits; anything else the harness would have to judge */
        if (e & ~(MV_SL_R | MV_SL_W | MV_SL_PS |
                  (MV_SL_ADDR & ((1ull << mc->cfg.aw_bits) - 1)))) {
            if (!out->odd) {
                out->odd = true;
                out->odd_pte = e;
            }
            continue;
        }
        leaf = level == 1 || ((level == 2 || level == 3) && (e & MV_SL_PS));
        if ((leaf && level == 2 && !(cap & MV_CAP_SLLPS_2M)) ||
            (leaf && level == 3 && !(cap & MV_CAP_SLLPS_1G)) ||
            (level >= 4 && (e & MV_SL_PS))) {
            if (!out->odd) {
                out->odd = true;
                out->odd_pte = e;
            }
            continue;
        }
        if (leaf) {
            unsigned p = perm & (unsigned)(e & (MV_SL_R | MV_SL_W));

            if (p)
                leaves_add(out, iova, iova + size - 1,
                           (e & MV_SL_ADDR) & ~(size - 1), p);
            continue;
        }
        walk(mc, e & MV_SL_ADDR, level - 1, iova, first > iova ? first : iova,
             last < iova + size - 1 ? last : iova + size - 1,
             perm & (unsigned)(e & (MV_SL_R | MV_SL_W)), out);
    }
}

static void guest_leaves(const struct sh_machine *mc, const struct sh_ident *id,
                         uint64_t first, uint64_t last, struct leaves *out)
{
    uint64_t lim = (1ull << id->width) - 1;

    out->n = 0;
    if (id->mode != VTD_MODE_TRANSLATED || first > lim)
        return;
    walk(mc, id->root, id->levels, 0, first, last < lim ? last : lim,
         MV_SL_R | MV_SL_W, out);
}

/* ------------------------------------------------------------- checks */

struct ctx {
    struct sh_machine *mc;
    bool full;
    struct sh_ident dev[SH_DEVS];
    bool dev_changed[SH_DEVS]; /* since the last check */
    struct leaves lv;
    bool changed[SH_GROUPS]; /* the group's followed domain moved */
};

static void crop(const struct sh_group *g, struct leaf *l)
{
    if (l->iova < g->first) {
        l->addr += g->first - l->iova;
        l->iova = g->first;
    }
    if (l->last > g->last)
        l->last = g->last;
}

/* Container vs the tables over [first, last] inside the group's range. */
static void compare(struct ctx *cx, const struct sh_group *g, uint64_t first,
                    uint64_t last)
{
    struct sh_machine *mc = cx->mc;
    struct iova_iter it;
    const struct iova_map *e;
    size_t k = 0;

    if (first < g->first)
        first = g->first;
    if (last > g->last)
        last = g->last;
    if (first > last)
        return;
    cx->lv.n = 0;
    if (g->following)
        guest_leaves(mc, &g->ident, first, last, &cx->lv);
    if (cx->lv.odd) {
        sh_violate(mc, SHV_HARNESS,
                   "guest entry 0x%" PRIx64 " has bits the "
                   "harness never writes",
                   cx->lv.odd_pte);
        return;
    }
    iova_tree_seek(g->cont->maps, first, &it);
    while ((e = iova_iter_get(&it)) && e->iova <= last) {
        struct leaf want;

        if (k == cx->lv.n) {
            sh_violate(mc, SHV_SHADOW,
                       "%s [0x%" PRIx64 ", 0x%" PRIx64 "]: holds 0x%" PRIx64
                       "-0x%" PRIx64 " -> 0x%" PRIx64
                       " perm %u, the guest maps nothing there%s",
                       g->cont->name, g->first, g->last, e->iova, e->last,
                       e->addr, e->perm,
                       g->following ? "" : " (no member is translated)");
            return;
        }
        want = cx->lv.v[k++];
        crop(g, &want);
        if (want.iova != e->iova || want.last != e->last ||
            want.addr != e->addr || want.perm != e->perm) {
            sh_violate(mc, SHV_SHADOW,
                       "%s [0x%" PRIx64 ", 0x%" PRIx64 "]: holds 0x%" PRIx64
                       "-0x%" PRIx64 " -> 0x%" PRIx64
                       " perm %u; the guest's leaf there is 0x%" PRIx64
                       "-0x%" PRIx64 " -> 0x%" PRIx64 " perm %u (domain %u)",
                       g->cont->name, g->first, g->last, e->iova, e->last,
                       e->addr, e->perm, want.iova, want.last, want.addr,
                       want.perm, g->ident.did);
            return;
        }
        iova_iter_next(&it);
    }
    if (k < cx->lv.n) {
        struct leaf want = cx->lv.v[k];

        crop(g, &want);
        sh_violate(mc, SHV_SHADOW,
                   "%s [0x%" PRIx64 ", 0x%" PRIx64 "]: "
                   "misses the guest's leaf 0x%" PRIx64 "-0x%" PRIx64
                   " -> 0x%" PRIx64 " perm %u (domain %u)",
                   g->cont->name, g->first, g->last, want.iova, want.last,
                   want.addr, want.perm, g->ident.did);
    }
}

/* Which domain the group must shadow, against what the layer says. */
/* A consumer of group gi that is registered (a host reattach takes one
 * out for a moment), or -1. */
static int group_cons(const struct sh_machine *mc, unsigned gi)
{
    for (unsigned i = 0; i < mc->ncons; i++)
        if (mc->cons[i].c && mc->cons[i].group == (int)gi)
            return (int)i;
    return -1;
}

/* Whether device dev is in group gi through a registered consumer. */
static bool member_in(const struct sh_machine *mc, unsigned gi, int dev)
{
    for (unsigned i = 0; i < mc->ncons; i++)
        if (mc->cons[i].c && mc->cons[i].group == (int)gi &&
            mc->cons[i].dev == dev)
            return true;
    return false;
}

static void check_follow(struct ctx *cx, unsigned gi)
{
    struct sh_machine *mc = cx->mc;
    struct sh_group *g = &mc->group[gi];
    struct vtd_notify_state st;
    bool any = false, prev_held = false, found = false, conflict = false;
    struct sh_ident now;
    int ci = group_cons(mc, gi);

    if (ci < 0) {
        /* no consumer: the group shadows nothing (host_act checks the
         * container kept nothing of it) */
        cx->changed[gi] = g->following;
        g->following = false;
        return;
    }
    vtd_notify_state(mc->cons[ci].c, &st);
    memset(&now, 0, sizeof(now));
    now.mode = VTD_MODE_TRANSLATED;
    now.did = (uint16_t)st.did;
    now.root = st.root;
    now.levels = st.levels;
    for (unsigned k = 0; k < g->nmem; k++) {
        const struct sh_ident *d = &cx->dev[g->members[k]];

        if (d->mode != VTD_MODE_TRANSLATED || !member_in(mc, gi, g->members[k]))
            continue;
        any = true;
        if (g->following && same(d, &g->ident))
            prev_held = true;
        if (st.following && same(d, &now)) {
            found = true;
            now = *d;
        }
    }
    if (!any) {
        if (st.following)
            sh_violate(mc, SHV_FOLLOW,
                       "%s [0x%" PRIx64 ", 0x%" PRIx64 "]: "
                       "shadows domain %u though no member is translated",
                       g->cont->name, g->first, g->last, st.did);
    } else if (!st.following || !found) {
        sh_violate(mc, SHV_FOLLOW,
                   "%s [0x%" PRIx64 ", 0x%" PRIx64 "]: "
                   "shadows %s%u, not the domain of a translated member",
                   g->cont->name, g->first, g->last,
                   st.following ? "domain " : "nothing ", st.did);
    } else if (prev_held && !same(&now, &g->ident)) {
        sh_violate(mc, SHV_FOLLOW,
                   "%s [0x%" PRIx64 ", 0x%" PRIx64 "]: "
                   "moved from domain %u to %u while a member still uses %u",
                   g->cont->name, g->first, g->last, g->ident.did, now.did,
                   g->ident.did);
    }
    if (st.following)
        for (unsigned k = 0; k < g->nmem; k++) {
            const struct sh_ident *d = &cx->dev[g->members[k]];

            if (!member_in(mc, gi, g->members[k]))
                continue;
            if ((d->mode == VTD_MODE_TRANSLATED && !same(d, &now)) ||
                d->mode == VTD_MODE_BYPASS)
                conflict = true;
        }
    if (conflict != st.conflict)
        sh_violate(mc, SHV_FOLLOW,
                   "%s [0x%" PRIx64 ", 0x%" PRIx64 "]: "
                   "conflict flag %d, members %s",
                   g->cont->name, g->first, g->last, st.conflict,
                   conflict ? "disagree" : "agree");
    cx->changed[gi] = st.following != g->following ||
                      (st.following && !same(&now, &g->ident));
    g->following = st.following;
    if (st.following)
        g->ident = now;
}

static bool in_dirty(const struct sh_machine *mc, uint64_t root, uint64_t first,
                     uint64_t last)
{
    uint64_t x = first;

    for (unsigned guard = 0; guard <= SH_DIRTY; guard++) {
        bool moved = false;

        for (unsigned i = 0; i < mc->ndirty; i++)
            if (mc->dirty[i].root == root && mc->dirty[i].first <= x &&
                mc->dirty[i].last >= x) {
                if (mc->dirty[i].last >= last)
                    return true;
                x = mc->dirty[i].last + 1;
                moved = true;
            }
        if (!moved)
            return false;
    }
    return false;
}

static int cmp_change(const void *a, const void *b)
{
    const struct shc_change *x = a, *y = b;

    if (x->iova != y->iova)
        return x->iova < y->iova ? -1 : 1;
    if (x->last != y->last)
        return x->last < y->last ? -1 : 1;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->perm < y->perm ? -1 : x->perm > y->perm;
}

/* The container's changes since the last check. A removal followed by a
 * MAP of the very same mapping is churn (removals come first: the log is
 * in order, and an invalidation never maps and then unmaps one entry). */
static void check_log(struct ctx *cx, struct shc *c)
{
    struct sh_machine *mc = cx->mc;
    static struct shc_change *rm;
    static size_t caprm;
    size_t nrm = 0;

    for (size_t i = 0; i < c->nlog; i++) {
        if (c->log[i].map)
            continue;
        if (nrm == caprm) {
            size_t nc = caprm ? caprm * 2 : 64;
            struct shc_change *nv = realloc(rm, nc * sizeof(*nv));

            if (!nv)
                abort();
            rm = nv;
            caprm = nc;
        }
        rm[nrm] = c->log[i];
        rm[nrm].all = c->log[i].all;
        nrm++;
    }
    if (nrm > 1)
        qsort(rm, nrm, sizeof(*rm), cmp_change);
    for (size_t i = 0; i < c->nlog && !mc->violation; i++) {
        const struct shc_change *ch = &c->log[i];
        int gi = -1;

        for (unsigned k = 0; k < mc->ngroup; k++)
            if (mc->group[k].cont == c && mc->group[k].first <= ch->iova &&
                mc->group[k].last >= ch->last)
                gi = (int)k;
        if (gi < 0) {
            sh_violate(mc, SHV_SHADOW,
                       "%s: 0x%" PRIx64 "-0x%" PRIx64
                       " %s outside every registered range",
                       c->name, ch->iova, ch->last,
                       ch->map ? "mapped" : "unmapped");
            return;
        }
        if (ch->map && nrm) {
            struct shc_change key = *ch, *u;

            key.map = false;
            u = bsearch(&key, rm, nrm, sizeof(*rm), cmp_change);
            if (u) {
                sh_violate(mc, SHV_CHURN,
                           "%s: 0x%" PRIx64 "-0x%" PRIx64 " -> 0x%" PRIx64
                           " unmapped%s and mapped again "
                           "unchanged in one invalidation: a window without "
                           "it",
                           c->name, ch->iova, ch->last, ch->addr,
                           u->all ? " (unmap everything)" : "");
                break;
            }
        }
        /*
         * A group that moved to another domain (or stopped or started
         * shadowing one) may change anywhere the two domains' tables
         * differ, which the dirty list does not say: its whole range is
         * compared instead (check_groups), and churn is checked above.
         */
        if (cx->changed[gi])
            continue;
        if (!mc->group[gi].following ||
            !in_dirty(mc, mc->group[gi].ident.root, ch->iova, ch->last))
            sh_violate(mc, SHV_SPURIOUS,
                       "%s: 0x%" PRIx64 "-0x%" PRIx64 " -> 0x%" PRIx64
                       " %s though the guest changed "
                       "nothing there",
                       c->name, ch->iova, ch->last, ch->addr,
                       ch->map   ? "mapped"
                       : ch->all ? "unmapped (unmap "
                                   "everything)"
                                 : "unmapped");
    }
}

/* The unit's uncached translation of one page against a guest leaf. */
static void probe(struct ctx *cx, unsigned dev, uint64_t iova)
{
    struct sh_machine *mc = cx->mc;
    const struct sh_ident *id = &cx->dev[dev];
    struct vtd_request r = { .sid = mc->dev[dev].sid, .addr = iova };
    struct vtd_xlate x;
    const struct leaf *l = NULL;
    uint64_t want;

    if (id->mode == VTD_MODE_TRANSLATED) {
        guest_leaves(mc, id, iova, iova, &cx->lv);
        l = cx->lv.n ? &cx->lv.v[0] : NULL;
    }
    r.access = l && !(l->perm & VTD_ACC_READ) ? VTD_ACC_WRITE : VTD_ACC_READ;
    vtd_translate_probe(mc->m, &r, &x);
    /* a write without PASID to 0xFEEx_xxxx is an interrupt request, not
     * subject to remapping whatever the tables say (VT-d, "Handling Requests to
     * Interrupt Address Range") */
    if (r.access == VTD_ACC_WRITE && iova >= INTR_PAGE_LO &&
        iova <= INTR_PAGE_HI) {
        if (x.status != VTD_XLATE_INTERRUPT)
            sh_violate(mc, SHV_MODEL,
                       "edu%u: a write to 0x%" PRIx64 " is an interrupt "
                       "request, yet the unit says status %d",
                       dev, iova, (int)x.status);
        return;
    }
    /* a read there is an illegal request, blocked and reported with the
     * range's fault reason whatever the tables say (the same section),
     * once the unit translates at all */
    if (iova >= INTR_PAGE_LO && iova <= INTR_PAGE_HI &&
        id->mode != VTD_MODE_BLOCKED &&
        (vtd_mmio_read(mc->m, MV_REG_GSTS, 4) & MV_GCMD_TE)) {
        if (x.status != VTD_XLATE_FAULT ||
            (x.fault_reason != MV_FR_INTR_RANGE &&
             x.fault_reason != MV_FR_SM_INTR_RANGE))
            sh_violate(mc, SHV_MODEL,
                       "edu%u: a read of 0x%" PRIx64 " is an illegal "
                       "request, yet the unit says status %d, fault 0x%x",
                       dev, iova, (int)x.status, x.fault_reason);
        return;
    }
    switch (id->mode) {
    case VTD_MODE_BYPASS:
        if (x.status != VTD_XLATE_OK || x.addr != iova)
            sh_violate(mc, SHV_MODEL,
                       "edu%u untranslated, yet the unit "
                       "translates 0x%" PRIx64 " to 0x%" PRIx64 " (status %d)",
                       dev, iova, x.addr, (int)x.status);
        return;
    case VTD_MODE_BLOCKED:
        if (x.status == VTD_XLATE_OK)
            sh_violate(mc, SHV_MODEL,
                       "edu%u blocked, yet the unit "
                       "translates 0x%" PRIx64,
                       dev, iova);
        return;
    default:
        break;
    }
    if (!l) {
        if (x.status == VTD_XLATE_OK)
            sh_violate(mc, SHV_MODEL,
                       "edu%u: the unit translates 0x%" PRIx64 " to 0x%" PRIx64
                       ", the tables map nothing there",
                       dev, iova, x.addr);
        return;
    }
    want = l->addr + (iova - l->iova);
    /* a translation whose output lies in the interrupt address range is
     * blocked, fault reason 0Eh (the same section) */
    if (want >= INTR_PAGE_LO && want <= INTR_PAGE_HI) {
        if (x.status != VTD_XLATE_FAULT || x.fault_reason != MV_FR_INTR_RANGE)
            sh_violate(mc, SHV_MODEL,
                       "edu%u: 0x%" PRIx64 " translates to 0x%" PRIx64
                       " in the interrupt range, yet the unit says status "
                       "%d, fault 0x%x",
                       dev, iova, want, (int)x.status, x.fault_reason);
        return;
    }
    if (x.status != VTD_XLATE_OK || x.addr != want || x.perm != l->perm)
        sh_violate(mc, SHV_MODEL,
                   "edu%u: the unit translates 0x%" PRIx64 " to 0x%" PRIx64
                   " perm %u (status %d, fault 0x%x); the "
                   "tables say 0x%" PRIx64 " perm %u",
                   dev, iova, x.addr, x.perm, (int)x.status, x.fault_reason,
                   want, l->perm);
}

static void check_vhost(struct ctx *cx)
{
    struct sh_machine *mc = cx->mc;
    struct shv *v = &mc->vhost;
    const struct sh_ident *id = &cx->dev[mc->vhost_dev];

    if (v->errors)
        sh_violate(mc, SHV_CONSUMER_ERROR, "UNMAP-only consumer: %s",
                   v->first_error);
    if (v->mode != id->mode)
        sh_violate(mc, SHV_MODE,
                   "edu%d: UNMAP-only consumer was told mode "
                   "%d, the device's is %d",
                   mc->vhost_dev, (int)v->mode, (int)id->mode);
    for (unsigned i = 0; i < SHV_ENTRIES && !mc->violation; i++) {
        const struct shv_entry *e = &v->e[i];
        const struct leaf *l;

        if (!e->valid)
            continue;
        /* an entry of an unchanged translation over tables the guest
         * left alone was right at the last check, and still is */
        if (!cx->full && !cx->dev_changed[mc->vhost_dev] &&
            id->mode == VTD_MODE_TRANSLATED &&
            !in_dirty(mc, id->root, e->page, e->page + 4095))
            continue;
        if (id->mode != VTD_MODE_TRANSLATED) {
            sh_violate(mc, SHV_STALE,
                       "edu%d untranslated, yet the UNMAP-only "
                       "consumer keeps 0x%" PRIx64 " -> 0x%" PRIx64,
                       mc->vhost_dev, e->page, e->out);
            return;
        }
        guest_leaves(mc, id, e->page, e->page, &cx->lv);
        l = cx->lv.n ? &cx->lv.v[0] : NULL;
        if (!l || l->addr + (e->page - l->iova) != e->out || l->perm != e->perm)
            sh_violate(mc, SHV_STALE,
                       "edu%d: the UNMAP-only consumer keeps "
                       "0x%" PRIx64 " -> 0x%" PRIx64 " perm %u; the tables "
                       "say %s0x%" PRIx64 " perm %u",
                       mc->vhost_dev, e->page, e->out, e->perm,
                       l ? "" : "nothing, not ",
                       l ? l->addr + (e->page - l->iova) : 0, l ? l->perm : 0);
    }
}

static bool layer_entry(void *opaque, uint64_t iova, uint64_t size,
                        uint64_t addr, unsigned perm)
{
    struct iova_iter *it = opaque;
    const struct iova_map *e = iova_iter_get(it);

    if (!e || e->iova != iova || e->last != iova + size - 1 ||
        e->addr != addr || e->perm != perm) {
        it->leaf = NULL;
        it->idx = 1; /* mismatch */
        return false;
    }
    iova_iter_next(it);
    return true;
}

static void check_layer_shadow(struct ctx *cx, const struct sh_group *g)
{
    struct iova_iter it;
    const struct iova_map *e;

    int ci = group_cons(cx->mc, (unsigned)(g - cx->mc->group));

    if (ci < 0)
        return;
    iova_tree_seek(g->cont->maps, g->first, &it);
    vtd_notify_shadow_foreach(cx->mc->cons[ci].c, layer_entry, &it);
    e = iova_iter_get(&it);
    if ((!it.leaf && it.idx == 1) || (e && e->iova <= g->last))
        sh_violate(cx->mc, SHV_LAYER,
                   "%s [0x%" PRIx64 ", 0x%" PRIx64 "]: "
                   "the layer's shadow differs from the container",
                   g->cont->name, g->first, g->last);
}

/* Each device's translation now, and whether it moved since the last check. */
static void decode_devices(struct ctx *cx)
{
    struct sh_machine *mc = cx->mc;
    struct unit_regs u;

    read_unit(mc, &u);
    for (unsigned d = 0; d < SH_DEVS; d++) {
        decode(mc, &u, d, &cx->dev[d]);
        cx->dev_changed[d] = !same(&cx->dev[d], &mc->last_dev[d]);
        mc->last_dev[d] = cx->dev[d];
    }
}

/* Errors the consumers and the layer saw. */
static void check_consumer_errors(struct sh_machine *mc)
{
    struct vtd_notify_stats ns;

    for (unsigned i = 0; i < SH_CONTS; i++)
        if (mc->cont[i] && mc->cont[i]->errors)
            sh_violate(mc, SHV_CONSUMER_ERROR, "%s", mc->cont[i]->first_error);
    vtd_notify_stats(mc->n, &ns);
    if (ns.consumer_errors && !mc->violation)
        sh_violate(mc, SHV_CONSUMER_ERROR,
                   "the layer counted %" PRIu64 " refused event(s)",
                   ns.consumer_errors);
    if (ns.nested && !mc->violation)
        sh_violate(mc, SHV_HARNESS, "an invalidation raised from a callback");
}

/* Each consumer was told its device's mode. */
static void check_modes(struct ctx *cx)
{
    struct sh_machine *mc = cx->mc;

    if (mc->devtlb_dev >= 0 &&
        (!mc->devtlb_told || mc->devtlb_mode != cx->dev[mc->devtlb_dev].mode))
        sh_violate(mc, SHV_MODE,
                   "edu%d: the device-IOTLB consumer was told mode %d, the "
                   "device's is %d",
                   mc->devtlb_dev, mc->devtlb_told ? (int)mc->devtlb_mode : -1,
                   (int)cx->dev[mc->devtlb_dev].mode);
    for (unsigned i = 0; i < mc->ncons && !mc->violation; i++) {
        const struct sh_cons *c = &mc->cons[i];
        enum vtd_notify_mode md;

        /* the UNMAP-only consumer's mode: check_vhost; the device-IOTLB
         * consumer's: above */
        if (!c->cont || !c->c)
            continue;
        if (!shc_mode(c->cont, mc->dev[c->dev].sid, &md) ||
            md != cx->dev[c->dev].mode)
            sh_violate(mc, SHV_MODE,
                       "edu%d: %s was told mode %d, the "
                       "device's is %d",
                       c->dev, c->cont->name,
                       shc_mode(c->cont, mc->dev[c->dev].sid, &md) ? (int)md
                                                                   : -1,
                       (int)cx->dev[c->dev].mode);
    }
}

/*
 * Each group's container against the guest's leaves: whole ranges on a
 * full check or where the followed domain moved, else the dirty ranges.
 */
static void check_groups(struct ctx *cx)
{
    struct sh_machine *mc = cx->mc;

    for (unsigned gi = 0; gi < mc->ngroup && !mc->violation; gi++) {
        const struct sh_group *g = &mc->group[gi];

        if (cx->full || cx->changed[gi]) {
            compare(cx, g, g->first, g->last);
            if (cx->full && !mc->violation)
                check_layer_shadow(cx, g);
            continue;
        }
        /* a group that shadows nothing, as at the last check, was found
         * empty then, and check_log reports any change it saw since */
        if (!g->following)
            continue;
        /* elsewhere the tables and (check_log) the container are as
         * they were when the last check found them equal */
        for (unsigned k = 0; k < mc->ndirty && !mc->violation; k++)
            if (mc->dirty[k].root == g->ident.root)
                compare(cx, g, mc->dirty[k].first, mc->dirty[k].last);
    }
}

/* Nothing of a container lies outside its ranges. */
static void check_outside(struct sh_machine *mc)
{
    for (unsigned i = 0; i < SH_CONTS && !mc->violation; i++) {
        struct iova_iter it;
        const struct iova_map *e;

        if (!mc->cont[i])
            continue;
        iova_tree_seek(mc->cont[i]->maps, 0, &it);
        while ((e = iova_iter_get(&it)) && !mc->violation) {
            bool inside = false;

            for (unsigned gi = 0; gi < mc->ngroup; gi++)
                inside |= mc->group[gi].cont == mc->cont[i] &&
                          mc->group[gi].first <= e->iova &&
                          mc->group[gi].last >= e->last;
            if (!inside)
                sh_violate(mc, SHV_SHADOW,
                           "%s holds 0x%" PRIx64 "-0x%" PRIx64
                           " outside every registered range",
                           mc->cont[i]->name, e->iova, e->last);
            iova_iter_next(&it);
        }
    }
}

/* The unit agrees with the tables at 0 and the device's first leaves. */
static void probe_device(struct ctx *cx, unsigned d)
{
    struct sh_machine *mc = cx->mc;
    struct leaf first[4];
    size_t n;

    probe(cx, d, 0);
    /* untranslated or blocked, every address fares alike: one probe, and
     * one into the interrupt range, say it */
    if (cx->dev[d].mode != VTD_MODE_TRANSLATED) {
        probe(cx, d, INTR_PAGE_LO);
        return;
    }
    cx->lv.max = 4;
    guest_leaves(mc, &cx->dev[d], 0, ~0ull, &cx->lv);
    cx->lv.max = 0;
    n = cx->lv.n < 4 ? cx->lv.n : 4;
    if (n)
        memcpy(first, cx->lv.v, n * sizeof(first[0]));
    for (size_t k = 0; k < n && !mc->violation; k++)
        probe(cx, d, first[k].iova);
}

/* The unit agrees with the tables where they changed. */
static void check_unit(struct ctx *cx)
{
    struct sh_machine *mc = cx->mc;

    for (unsigned d = 0; d < SH_DEVS && !mc->violation; d++) {
        if (cx->full || cx->dev_changed[d]) {
            probe_device(cx, d);
            continue;
        }
        for (unsigned k = 0; k < mc->ndirty && !mc->violation; k++)
            if (cx->dev[d].mode == VTD_MODE_TRANSLATED &&
                mc->dirty[k].root == cx->dev[d].root)
                probe(cx, d, mc->dirty[k].first);
    }
}

/* What the next check compares against starts from here. */
static void check_done(struct sh_machine *mc)
{
    mc->ndirty = 0;
    mc->full_pending = false;
    for (unsigned i = 0; i < SH_CONTS; i++)
        if (mc->cont[i])
            shc_log_clear(mc->cont[i]);
}

void sh_check(struct sh_machine *mc, bool full)
{
    static struct leaves lv; /* reused: no allocation per check */
    struct ctx cx = { .mc = mc };

    if (mc->violation && mc->stop_on_violation)
        return;
    mc->checks++;
    full = full || mc->full_pending || (mc->checks % FULL_EVERY) == 0;
    if (full)
        mc->full_checks++;
    cx.full = full;
    cx.lv = lv;
    decode_devices(&cx);
    check_consumer_errors(mc);
    check_modes(&cx);
    for (unsigned gi = 0; gi < mc->ngroup && !mc->violation; gi++)
        check_follow(&cx, gi);
    for (unsigned i = 0; i < SH_CONTS && !mc->violation; i++)
        if (mc->cont[i])
            check_log(&cx, mc->cont[i]);
    check_groups(&cx);
    if (full && !mc->violation)
        check_outside(mc);
    if (!mc->violation)
        check_vhost(&cx);
    check_unit(&cx);
    lv = cx.lv;
    check_done(mc);
}

void sh_check_now(struct sh_machine *mc)
{
    sh_check(mc, true);
}
