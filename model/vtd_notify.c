/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/vtd_notify.c — the notifier layer (vtd_notify.h, model/README.md).
 *
 * Each group of consumers (one container, one range) keeps a shadow: the
 * mappings it has told its container about, in an iova tree. A sync of a
 * range walks the guest's tables over that range, in address order, next
 * to the shadow's entries over the same range, and sends the difference.
 * The walk reads only tables reached through present entries, a whole
 * table's slice at a time, so its cost follows the present entries, not
 * the size of the space.
 */
#include <stdlib.h>
#include <string.h>

#include "model/iova_tree.h"
#include "model/vtd_internal.h"
#include "model/vtd_notify.h"

#define PAGE       4096ull
#define CHUNK_MAX  (1ull << 63) /* the largest event size */
#define MAX_LEVELS 5

struct ngroup;

struct vtd_notify_consumer {
    struct vtd_notifier *n;
    struct ngroup *g;
    struct vtd_notify_consumer *next;  /* every consumer, oldest first */
    struct vtd_notify_consumer *gnext; /* its group, oldest first */
    struct vtd_notify_reg reg;
    struct vtd_dev_xlate st;   /* the device as last read */
    enum vtd_notify_mode mode; /* as last reported */
    bool marked;               /* to be read again */
};

struct ngroup {
    struct vtd_notifier *n;
    struct ngroup *next;
    const void *container;
    uint64_t first, last;
    unsigned flags;
    struct vtd_notify_consumer *members; /* the first one gets events */
    struct iova_tree *shadow;            /* MAP groups */
    bool following;                      /* shadow == tables of ident */
    struct vtd_dev_xlate ident;
    bool conflict;
    bool touched; /* a member was read again */
    bool changed; /* ... and its translation differs */
};

struct vtd_notifier {
    struct vtd_model *m;
    struct vtd_notify_consumer *cons;
    struct ngroup *groups;
    void (*done)(void *opaque, const struct vtd_notify_inval *inv);
    void *done_opaque;
    bool busy;
    uint64_t walk_budget;
    struct vtd_notify_stats stats;
    uint64_t tbuf[MAX_LEVELS + 1][512]; /* one table per level */
};

/* ------------------------------------------------------------- helpers */

static enum vtd_notify_mode mode_of(const struct vtd_dev_xlate *x)
{
    switch (x->mode) {
    case VTD_DEV_SECOND:
    case VTD_DEV_FIRST:
        return VTD_MODE_TRANSLATED;
    case VTD_DEV_BYPASS:
        return VTD_MODE_BYPASS;
    default:
        return VTD_MODE_BLOCKED;
    }
}

static bool translated(const struct vtd_dev_xlate *x)
{
    return mode_of(x) == VTD_MODE_TRANSLATED;
}

/* Two devices translate alike: same tables, same rules. */
static bool same_ident(const struct vtd_dev_xlate *a,
                       const struct vtd_dev_xlate *b)
{
    return a->mode == b->mode && a->did == b->did && a->pasid == b->pasid &&
           a->root == b->root && a->levels == b->levels &&
           a->width == b->width && a->sm == b->sm && a->wpe == b->wpe;
}

static int send(struct vtd_notify_consumer *c, struct vtd_notify_event *ev)
{
    int rc;

    ev->sid = c->reg.sid;
    rc = c->reg.notify(c->reg.opaque, ev);
    if (rc)
        c->n->stats.consumer_errors++;
    return rc;
}

static void send_unmap(struct ngroup *g, uint64_t iova, uint64_t last, bool all)
{
    struct vtd_notify_event ev = { .type = VTD_EV_UNMAP,
                                   .iova = iova,
                                   .size = last - iova + 1,
                                   .unmap_all = all };

    if (all)
        g->n->stats.unmap_all_chunks++;
    else
        g->n->stats.unmaps++;
    send(g->members, &ev);
}

/* Largest naturally aligned power-of-two block at x that ends by last, at
 * most 2^63 bytes. */
static uint64_t block_at(uint64_t x, uint64_t last)
{
    unsigned align = x ? (unsigned)__builtin_ctzll(x) : 63;
    uint64_t span = last - x; /* bytes - 1 */
    unsigned k = span == ~0ull ? 63 : 63 - (unsigned)__builtin_clzll(span + 1);

    if (align > 63)
        align = 63;
    return 1ull << (k < align ? k : align);
}

/*
 * [first, last] as aligned chunks of at most 2^63 bytes, each sent through
 * emit. With a shadow, a boundary that would cut one of its entries is
 * dropped (two chunks become one), so no chunk splits a mapping.
 */
static void chunks(struct ngroup *g, const struct iova_tree *shadow,
                   uint64_t first, uint64_t last,
                   void (*emit)(struct ngroup *g, uint64_t f, uint64_t l,
                                void *arg),
                   void *arg)
{
    uint64_t x = first;

    /* at most 2 * 64 blocks cover any range */
    for (unsigned guard = 0; guard < 130; guard++) {
        uint64_t end = x + block_at(x, last) - 1;

        while (shadow && end != last) {
            const struct iova_map *e = iova_tree_find(shadow, end, end);
            uint64_t nb;

            if (!e || e->last == end)
                break;
            nb = block_at(end + 1, last);
            if (end + nb - x >= CHUNK_MAX)
                break;
            end += nb;
        }
        emit(g, x, end, arg);
        if (end == last)
            return;
        x = end + 1;
    }
}

static void emit_unmap(struct ngroup *g, uint64_t f, uint64_t l, void *arg)
{
    send_unmap(g, f, l, *(bool *)arg);
}

/* UNMAP everything in the group's range, in chunks; the shadow empties. */
static void unmap_all(struct ngroup *g)
{
    bool all = true;

    chunks(g, g->shadow, g->first, g->last, emit_unmap, &all);
    if (g->shadow)
        iova_tree_clear(g->shadow);
}

/* ---------------------------------------------------------------- walk */

struct walk {
    struct vtd_notifier *n;
    const struct vtd_dev_xlate *x;
    bool fs;
    bool stop;
    uint64_t budget; /* tables it may still read */
    uint64_t rsvd_leaf[MAX_LEVELS + 1], rsvd_dir[MAX_LEVELS + 1];
    /* called for each present leaf overlapping the range, in order */
    bool (*leaf)(struct walk *w, uint64_t iova, uint64_t size, uint64_t addr,
                 unsigned perm);
    void *arg;
};

static void walk_init(struct walk *w, struct vtd_notifier *n,
                      const struct vtd_dev_xlate *x)
{
    struct vtd_model *m = n->m;

    memset(w, 0, sizeof(*w));
    w->n = n;
    w->x = x;
    w->budget = n->walk_budget;
    w->fs = x->mode == VTD_DEV_FIRST;
    for (unsigned l = 1; l <= MAX_LEVELS; l++) {
        if (w->fs) {
            uint64_t r = m->haw_rsvd;

            /* as the first-stage walk: PS reserved at 4 and 5, and at 3
             * without 1 GiB pages; large leaves' low address bits */
            if (l >= 4 || (l == 3 && !(m->cap & MV_CAP_FL1GP)))
                r |= MV_FL_PS;
            w->rsvd_dir[l] = r;
            w->rsvd_leaf[l] = r | (l == 2   ? MV_FL_2M_RSVD
                                   : l == 3 ? MV_FL_1G_RSVD
                                            : 0);
        } else {
            w->rsvd_dir[l] = mv_sl_rsvd(m, l, false, x->sm);
            w->rsvd_leaf[l] = mv_sl_rsvd(m, l, true, x->sm);
        }
    }
}

/*
 * Read entries lo..hi of a table into the level's buffer. Tables may
 * alias one another, so a walk is bounded by the tables it reads, not by
 * the space: past the budget it stops, and what it did not see is not
 * shadowed (never kept stale).
 */
static bool read_table(struct walk *w, uint64_t table, unsigned level,
                       unsigned lo, unsigned hi)
{
    uint64_t *buf = w->n->tbuf[level];

    if (!w->budget) {
        w->stop = true;
        w->n->stats.truncated++;
        return false;
    }
    w->budget--;
    /* an unreadable table: the walk would fault, nothing is mapped */
    if (vtd_rd(w->n->m, table + lo * 8ull, buf + lo, (hi - lo + 1) * 8ull))
        return false;
    w->n->stats.tables_read++;
    w->n->stats.entries_read += hi - lo + 1;
    return true;
}

/*
 * A present entry as the translation's own walk judges it: false where
 * that walk would fault (nothing is mapped through it); else whether it
 * is a leaf, and the permission bits stacked over it in *a.
 */
static bool entry_usable(const struct walk *w, unsigned level, uint64_t e,
                         unsigned acc, bool *leaf, unsigned *a)
{
    const struct vtd_model *m = w->n->m;

    if (w->fs) {
        if (!(e & MV_FL_P))
            return false;
        *leaf = level == 1 || ((level == 2 || level == 3) && (e & MV_FL_PS));
        if (e & (*leaf ? w->rsvd_leaf[level] : w->rsvd_dir[level]))
            return false;
        *a = acc & (unsigned)(e & (MV_FL_RW | MV_FL_US));
        return true;
    }
    if (!(e & (MV_SL_R | MV_SL_W)))
        return false;
    *leaf = level == 1 || ((level == 2 || level == 3) && (e & MV_SL_PS));
    if (*leaf && level == 2 && !(m->cap & MV_CAP_SLLPS_2M))
        return false;
    if (*leaf && level == 3 && !(m->cap & MV_CAP_SLLPS_1G))
        return false;
    if (e & (*leaf ? w->rsvd_leaf[level] : w->rsvd_dir[level]))
        return false;
    *a = acc & (unsigned)(e & (MV_SL_R | MV_SL_W));
    return true;
}

static uint64_t entry_addr(const struct walk *w, uint64_t e)
{
    return e & (w->fs ? MV_FL_ADDR : MV_SL_ADDR);
}

/* A leaf mapping [iova, iova + size): its permission, then the callback. */
static void visit_leaf(struct walk *w, uint64_t iova, uint64_t size, uint64_t e,
                       unsigned a)
{
    uint64_t addr = entry_addr(w, e) & ~(size - 1);
    unsigned perm;

    if (w->fs) {
        /* requests without PASID are user requests: U/S must be set all
         * the way; R/W decides writes */
        perm = !(a & MV_FL_US)  ? 0
               : (a & MV_FL_RW) ? VTD_ACC_READ | VTD_ACC_WRITE
                                : VTD_ACC_READ;
    } else {
        perm = a & (MV_SL_R | MV_SL_W); /* same bit positions */
    }
    if (perm && !w->leaf(w, iova, size, addr, perm))
        w->stop = true;
}

/*
 * Table at `table` of `level`, whose entry 0 maps `base`; visit entries
 * overlapping [first, last] (inside the table's span). acc stacks the
 * permission bits of the entries above: R|W (second level) or RW|US
 * (first stage).
 */
static void walk_table(struct walk *w, uint64_t table, unsigned level,
                       uint64_t base, uint64_t first, uint64_t last,
                       unsigned acc)
{
    unsigned shift = 12 + 9 * (level - 1);
    unsigned lo = (unsigned)((first - base) >> shift);
    unsigned hi = (unsigned)((last - base) >> shift);
    const uint64_t *buf = w->n->tbuf[level];
    uint64_t pmask = w->fs ? MV_FL_P : MV_SL_R | MV_SL_W;

    if (level < 1 || level > MAX_LEVELS || hi > 511 || lo > hi)
        return;
    if (!read_table(w, table, level, lo, hi))
        return;
    for (unsigned i = lo; i <= hi; i++) {
        uint64_t e = buf[i], iova, size;
        unsigned a;
        bool leaf;

        /* most entries of a sparse table are empty: skip them first */
        if (!(e & pmask))
            continue;
        if (w->stop)
            break;
        if (!entry_usable(w, level, e, acc, &leaf, &a))
            continue;
        iova = base + ((uint64_t)i << shift);
        size = 1ull << shift;
        if (leaf) {
            visit_leaf(w, iova, size, e, a);
        } else {
            uint64_t cf = first > iova ? first : iova;
            uint64_t cl = last < iova + size - 1 ? last : iova + size - 1;

            walk_table(w, entry_addr(w, e), level - 1, iova, cf, cl, a);
        }
    }
}

/* Visit the leaves of the translation over [first, last]. */
static void walk_range(struct walk *w, uint64_t first, uint64_t last)
{
    const struct vtd_dev_xlate *x = w->x;
    unsigned levels = x->levels, top = 12 + 9 * levels;

    if (levels < 2 || levels > MAX_LEVELS || first > last)
        return;
    if (!w->fs) {
        uint64_t lim = x->width >= 64 ? ~0ull : (1ull << x->width) - 1;
        uint64_t span = top >= 64 ? ~0ull : (1ull << top) - 1;

        if (lim > span)
            lim = span;
        if (first > lim)
            return;
        walk_table(w, x->root, levels, 0, first, last < lim ? last : lim,
                   MV_SL_R | MV_SL_W);
        return;
    }
    /* first stage: canonical addresses, the upper half sign-extended */
    {
        uint64_t half = 1ull << (x->width - 1);
        uint64_t base_hi = ~0ull << x->width; /* maps table index 0 */

        if (x->width != top || x->width >= 64)
            return;
        if (first < half)
            walk_table(w, x->root, levels, 0, first,
                       last < half - 1 ? last : half - 1, MV_FL_RW | MV_FL_US);
        if (last >= 0 - half && !w->stop)
            walk_table(w, x->root, levels, base_hi,
                       first > 0 - half ? first : 0 - half, last,
                       MV_FL_RW | MV_FL_US);
    }
}

struct leaf_at {
    bool found;
    uint64_t iova, size;
};

static bool leaf_at_cb(struct walk *w, uint64_t iova, uint64_t size,
                       uint64_t addr, unsigned perm)
{
    struct leaf_at *la = w->arg;

    la->found = true;
    la->iova = iova;
    la->size = size;
    return false;
}

/* The leaf translating addr, if any. */
static bool leaf_at(struct vtd_notifier *n, const struct vtd_dev_xlate *x,
                    uint64_t addr, uint64_t *first, uint64_t *last)
{
    struct walk w;
    struct leaf_at la = { false, 0, 0 };

    walk_init(&w, n, x);
    w.leaf = leaf_at_cb;
    w.arg = &la;
    walk_range(&w, addr, addr);
    if (la.found) {
        *first = la.iova;
        *last = la.iova + la.size - 1;
    }
    return la.found;
}

/* ---------------------------------------------------------------- sync */

struct syncer {
    struct ngroup *g;
    uint64_t first, last; /* the range being synced */
    struct iova_iter it;
    bool replay; /* MAPs only */
    uint64_t maps;
};

static void reseek(struct syncer *s, uint64_t after)
{
    if (after == ~0ull) {
        s->it.leaf = NULL;
        s->it.idx = 0;
        return;
    }
    iova_tree_seek(s->g->shadow, after + 1, &s->it);
}

static void unmap_entry(struct syncer *s, const struct iova_map *e)
{
    struct iova_map old = *e;

    send_unmap(s->g, old.iova, old.last, false);
    iova_tree_remove(s->g->shadow, old.iova, NULL);
    reseek(s, old.last);
}

static void map_entry(struct syncer *s, uint64_t first, uint64_t last,
                      uint64_t addr, unsigned perm)
{
    struct ngroup *g = s->g;
    struct vtd_notify_event ev = { .type = VTD_EV_MAP,
                                   .iova = first,
                                   .size = last - first + 1,
                                   .addr = addr,
                                   .perm = perm };
    struct iova_map m = {
        .iova = first, .last = last, .addr = addr, .perm = perm
    };

    g->n->stats.maps++;
    s->maps++;
    /* a MAP the container refused is not in it: keep it out of the
     * shadow too, so the next sync tries again */
    if (send(g->members, &ev) == 0 &&
        iova_tree_insert(g->shadow, &m) != IOVA_TREE_OK)
        g->n->stats.consumer_errors++;
    if (!s->replay)
        reseek(s, last);
}

static bool sync_leaf(struct walk *w, uint64_t iova, uint64_t size,
                      uint64_t addr, unsigned perm)
{
    struct syncer *s = w->arg;
    struct ngroup *g = s->g;
    uint64_t cf = iova, cl = iova + size - 1;
    const struct iova_map *e;

    /* crop to the consumer's range, shifting the translated address */
    if (cf < g->first) {
        addr += g->first - cf;
        cf = g->first;
    }
    if (cl > g->last)
        cl = g->last;
    if (cf > cl)
        return true;
    if (s->replay) {
        if (!iova_tree_find(g->shadow, cf, cl))
            map_entry(s, cf, cl, addr, perm);
        return true;
    }
    /* shadow entries before this leaf are gone from the tables */
    while ((e = iova_iter_get(&s->it)) && e->iova <= s->last && e->last < cf)
        unmap_entry(s, e);
    e = iova_iter_get(&s->it);
    if (e && e->iova == cf && e->last == cl && e->addr == addr &&
        e->perm == perm) {
        iova_iter_next(&s->it); /* unchanged: nothing to say */
        return true;
    }
    /* changed: whatever the shadow has here goes, whole, then the leaf */
    while ((e = iova_iter_get(&s->it)) && e->iova <= cl)
        unmap_entry(s, e);
    map_entry(s, cf, cl, addr, perm);
    return true;
}

/*
 * Grow [*first, *last] until no shadow entry or guest leaf crosses its
 * ends: an entry that must go is removed whole, and what the tables hold
 * in the rest of it is walked too, so nothing outside the range is lost.
 */
static void closure(struct ngroup *g, uint64_t *first, uint64_t *last)
{
    for (unsigned round = 0; round < 8; round++) {
        uint64_t f = *first, l = *last, lf, ll;
        const struct iova_map *e;

        e = iova_tree_find(g->shadow, f, f);
        if (e && e->iova < f)
            f = e->iova;
        e = iova_tree_find(g->shadow, l, l);
        if (e && e->last > l)
            l = e->last;
        if (leaf_at(g->n, &g->ident, f, &lf, &ll) && lf < f)
            f = lf < g->first ? g->first : lf;
        if (leaf_at(g->n, &g->ident, l, &lf, &ll) && ll > l)
            l = ll > g->last ? g->last : ll;
        if (f == *first && l == *last)
            return;
        *first = f;
        *last = l;
    }
    *first = g->first;
    *last = g->last;
}

/* Bring the shadow over [first, last] in line with the tables. */
static void sync_range(struct ngroup *g, uint64_t first, uint64_t last)
{
    struct syncer s = { .g = g };
    struct walk w;
    const struct iova_map *e;

    if (first < g->first)
        first = g->first;
    if (last > g->last)
        last = g->last;
    if (first > last || !g->following)
        return;
    if (first != g->first || last != g->last)
        closure(g, &first, &last);
    g->n->stats.syncs++;
    s.first = first;
    s.last = last;
    iova_tree_seek(g->shadow, first, &s.it);
    walk_init(&w, g->n, &g->ident);
    w.leaf = sync_leaf;
    w.arg = &s;
    walk_range(&w, first, last);
    while ((e = iova_iter_get(&s.it)) && e->iova <= last)
        unmap_entry(&s, e);
}

static void sync_full(struct ngroup *g)
{
    sync_range(g, g->first, g->last);
}

static uint64_t replay(struct ngroup *g)
{
    struct syncer s = { .g = g, .replay = true };
    struct walk w;

    if (!(g->flags & VTD_NOTIFY_MAP) || !g->following)
        return 0;
    g->n->stats.replays++;
    s.first = g->first;
    s.last = g->last;
    walk_init(&w, g->n, &g->ident);
    w.leaf = sync_leaf;
    w.arg = &s;
    walk_range(&w, g->first, g->last);
    return s.maps;
}

/* --------------------------------------------------------------- groups */

/*
 * After members' devices changed: which translation the group follows.
 * It keeps the one it has while a translated member still uses it (the
 * device that left is the odd one out); otherwise the oldest translated
 * member's. A domain it keeps is not walked again: its tables may only
 * change under an IOTLB invalidation. member_changed: some member's
 * translation changed, so an UNMAP-only group's cached translations go.
 */
static void group_update(struct ngroup *g, bool member_changed)
{
    struct vtd_notify_consumer *c, *leader = NULL;
    struct vtd_dev_xlate ident;
    bool keep = false, follow, conflict = false;

    memset(&ident, 0, sizeof(ident));
    if (g->following)
        for (c = g->members; c && !keep; c = c->gnext)
            keep = translated(&c->st) && same_ident(&c->st, &g->ident);
    if (keep) {
        ident = g->ident;
    } else {
        for (c = g->members; c && !leader; c = c->gnext)
            if (translated(&c->st))
                leader = c;
        if (leader)
            ident = leader->st;
    }
    follow = keep || leader;
    for (c = g->members; c; c = c->gnext) {
        enum vtd_notify_mode md = mode_of(&c->st);

        if (follow &&
            ((md == VTD_MODE_TRANSLATED && !same_ident(&c->st, &ident)) ||
             md == VTD_MODE_BYPASS))
            conflict = true;
    }
    if (conflict && !g->conflict)
        g->n->stats.conflicts++;
    g->conflict = conflict;

    if (!(g->flags & VTD_NOTIFY_MAP)) {
        /* UNMAP-only: whatever the devices cached may be stale now */
        if (member_changed && (g->following || follow) &&
            (g->flags & VTD_NOTIFY_UNMAP))
            unmap_all(g);
        g->following = follow;
        g->ident = ident;
        return;
    }
    if (!follow) {
        if (g->following || iova_tree_count(g->shadow))
            unmap_all(g);
        g->following = false;
        return;
    }
    if (!g->following || !same_ident(&ident, &g->ident)) {
        /* a different translation: the shadow is brought over, keeping
         * what both have in common */
        g->ident = ident;
        g->following = true;
        sync_full(g);
    }
}

/* Read the marked consumers' devices again; resync their groups; report
 * mode changes. */
static void refresh_marked(struct vtd_notifier *n)
{
    struct vtd_notify_consumer *c;
    struct ngroup *g;

    for (c = n->cons; c; c = c->next) {
        struct vtd_dev_xlate old;

        if (!c->marked)
            continue;
        old = c->st;
        vtd_dev_xlate_probe(n->m, c->reg.sid, &c->st);
        c->g->touched = true;
        if (!same_ident(&old, &c->st))
            c->g->changed = true;
    }
    for (g = n->groups; g; g = g->next) {
        if (!g->touched)
            continue;
        group_update(g, g->changed);
        g->touched = false;
        g->changed = false;
    }
    for (c = n->cons; c; c = c->next) {
        enum vtd_notify_mode md;

        if (!c->marked)
            continue;
        c->marked = false;
        md = mode_of(&c->st);
        if (md != c->mode) {
            struct vtd_notify_event ev = { .type = VTD_EV_MODE, .mode = md };

            c->mode = md;
            n->stats.modes++;
            send(c, &ev);
        }
    }
}

/* ---------------------------------------------------------- invalidation */

static bool did_hit(const struct vtd_dev_xlate *x,
                    const struct vtd_inval_scope *s)
{
    if (!translated(x) || x->did != s->did)
        return false;
    return s->kind != VTD_INV_PIOTLB || x->pasid == s->pasid;
}

static void emit_unmap_part(struct ngroup *g, uint64_t f, uint64_t l, void *arg)
{
    send_unmap(g, f, l, false);
}

/* IOTLB and PASID-based IOTLB invalidation. */
static void inval_iotlb(struct vtd_notifier *n, const struct vtd_inval_scope *s)
{
    uint64_t first = 0, last = ~0ull;
    bool page = s->gran == VTD_IG_PAGE;

    if (page && s->size) {
        first = s->addr;
        last = s->addr + s->size - 1;
        if (last < first)
            last = ~0ull;
    }
    for (struct ngroup *g = n->groups; g; g = g->next) {
        bool hit = false;

        if (g->flags & VTD_NOTIFY_MAP) {
            if (!g->following)
                continue;
            if (s->gran != VTD_IG_GLOBAL && !did_hit(&g->ident, s))
                continue;
            if (page)
                sync_range(g, first, last);
            else
                sync_full(g);
            continue;
        }
        if (!(g->flags & VTD_NOTIFY_UNMAP))
            continue;
        /* UNMAP-only: a flush of the invalidated range, cropped */
        for (struct vtd_notify_consumer *c = g->members; c && !hit;
             c = c->gnext)
            hit = s->gran == VTD_IG_GLOBAL ? translated(&c->st)
                                           : did_hit(&c->st, s);
        if (!hit)
            continue;
        if (!page) {
            unmap_all(g);
        } else {
            uint64_t f = first > g->first ? first : g->first;
            uint64_t l = last < g->last ? last : g->last;

            if (f <= l)
                chunks(g, NULL, f, l, emit_unmap_part, NULL);
        }
    }
}

struct devtlb_arg {
    struct vtd_notify_consumer *c;
    uint32_t pasid;
};

static void emit_devtlb(struct ngroup *g, uint64_t f, uint64_t l, void *arg)
{
    struct devtlb_arg *a = arg;
    struct vtd_notify_event ev = { .type = VTD_EV_DEVIOTLB_UNMAP,
                                   .iova = f,
                                   .size = l - f + 1,
                                   .pasid = a->pasid };

    g->n->stats.deviotlb++;
    send(a->c, &ev);
}

static void inval_devtlb(struct vtd_notifier *n,
                         const struct vtd_inval_scope *s)
{
    uint64_t first = s->addr, last = s->size ? s->addr + s->size - 1 : ~0ull;

    if (!s->size)
        first = 0;
    for (struct vtd_notify_consumer *c = n->cons; c; c = c->next) {
        struct devtlb_arg a = { c, s->pasid == VTD_NO_PASID
                                       ? VTD_NOTIFY_NO_PASID
                                       : s->pasid };
        uint64_t f, l;

        if (!(c->reg.flags & VTD_NOTIFY_DEVIOTLB_UNMAP) || c->reg.sid != s->sid)
            continue;
        f = first > c->reg.first ? first : c->reg.first;
        l = last < c->reg.last ? last : c->reg.last;
        if (f <= l)
            chunks(c->g, NULL, f, l, emit_devtlb, &a);
    }
}

/* Which consumers a context- or PASID-cache invalidation touches. */
static void mark_cache(struct vtd_notifier *n, const struct vtd_inval_scope *s)
{
    static const uint16_t fm_masks[4] = { 0xFFFF, 0xFFFB, 0xFFF9, 0xFFF8 };
    uint16_t mask = fm_masks[s->fm & 3];

    for (struct vtd_notify_consumer *c = n->cons; c; c = c->next) {
        bool hit;

        if (s->gran == VTD_IG_GLOBAL || s->kind == VTD_INV_ALL) {
            hit = true;
        } else if (s->kind == VTD_INV_CONTEXT && s->gran == VTD_IG_DEVICE) {
            /* by source-id, whatever DID the guest named: a not-present
             * entry cached under caching mode is tagged DID 0 */
            hit = (c->reg.sid & mask) == (s->sid & mask);
        } else {
            /*
             * By domain (or PASID): devices last seen in it, and devices
             * with no domain to compare (blocked, or a scalable-mode
             * context, which has no DID) — reading one again is harmless.
             */
            hit = c->st.did == s->did || c->st.mode == VTD_DEV_BLOCKED ||
                  c->st.sm;
        }
        if (hit)
            c->marked = true;
    }
}

static void public_inval(const struct vtd_inval_scope *s,
                         struct vtd_notify_inval *o)
{
    memset(o, 0, sizeof(*o));
    /* clang-format off */
    switch (s->kind) {
    case VTD_INV_CONTEXT: o->kind = VTD_NI_CONTEXT; break;
    case VTD_INV_IOTLB: o->kind = VTD_NI_IOTLB; break;
    case VTD_INV_PIOTLB: o->kind = VTD_NI_PIOTLB; break;
    case VTD_INV_PASID: o->kind = VTD_NI_PASID; break;
    case VTD_INV_DEVTLB: o->kind = VTD_NI_DEVTLB; break;
    case VTD_INV_IEC: o->kind = VTD_NI_IEC; break;
    case VTD_INV_ALL: o->kind = VTD_NI_ALL; break;
    default: o->kind = VTD_NI_OTHER; break;
    }
    /* clang-format on */
    o->global = s->gran == VTD_IG_GLOBAL;
    o->domain = s->gran == VTD_IG_DOMAIN;
    o->page = s->gran == VTD_IG_PAGE;
    o->did = s->did;
    o->addr = s->addr;
    o->size = s->size;
}

static void inval_hook(void *opaque, const struct vtd_inval_scope *s)
{
    struct vtd_notifier *n = opaque;
    struct vtd_notify_inval pub;

    if (n->busy) {
        /* a consumer's callback made the unit invalidate: nothing sane
         * can be done in the middle of a sync */
        n->stats.nested++;
        return;
    }
    n->busy = true;
    n->stats.invalidations++;
    switch (s->kind) {
    case VTD_INV_CONTEXT:
    case VTD_INV_PASID:
    case VTD_INV_ALL:
        mark_cache(n, s);
        refresh_marked(n);
        break;
    case VTD_INV_IOTLB:
    case VTD_INV_PIOTLB:
        inval_iotlb(n, s);
        break;
    case VTD_INV_DEVTLB:
        inval_devtlb(n, s);
        break;
    default:
        break;
    }
    n->busy = false;
    if (n->done) {
        public_inval(s, &pub);
        n->done(n->done_opaque, &pub);
    }
}

/* ------------------------------------------------------------- public */

struct vtd_notifier *vtd_notify_create(struct vtd_model *m)
{
    struct vtd_notifier *n = calloc(1, sizeof(*n));

    if (!n)
        return NULL;
    n->m = m;
    n->walk_budget = VTD_NOTIFY_WALK_BUDGET;
    vtd_set_inval_hook(m, inval_hook, n);
    return n;
}

static void group_free(struct ngroup *g)
{
    iova_tree_free(g->shadow);
    free(g);
}

void vtd_notify_destroy(struct vtd_notifier *n)
{
    if (!n)
        return;
    vtd_set_inval_hook(n->m, NULL, NULL);
    while (n->cons) {
        struct vtd_notify_consumer *c = n->cons;

        n->cons = c->next;
        free(c);
    }
    while (n->groups) {
        struct ngroup *g = n->groups;

        n->groups = g->next;
        group_free(g);
    }
    free(n);
}

void vtd_notify_set_walk_budget(struct vtd_notifier *n, uint64_t tables)
{
    n->walk_budget = tables ? tables : VTD_NOTIFY_WALK_BUDGET;
}

void vtd_notify_set_done(struct vtd_notifier *n,
                         void (*done)(void *opaque,
                                      const struct vtd_notify_inval *inv),
                         void *opaque)
{
    n->done = done;
    n->done_opaque = opaque;
}

static const char *reg_refused(struct vtd_notifier *n,
                               const struct vtd_notify_reg *r,
                               struct ngroup **join)
{
    struct vtd_model *m = n->m;
    unsigned all = VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP |
                   VTD_NOTIFY_DEVIOTLB_UNMAP;

    *join = NULL;
    if (!r->notify)
        return "no notify function";
    if (!r->flags || (r->flags & ~all))
        return "flags must be a non-empty set of MAP, UNMAP and DEVIOTLB_UNMAP";
    if ((r->flags & VTD_NOTIFY_MAP) && !(m->cap & MV_CAP_CM))
        return "MAP notifications need caching mode (CAP.CM): without it "
               "the guest need not invalidate when it adds a mapping, so "
               "new mappings would never be seen";
    if ((r->flags & VTD_NOTIFY_MAP) && !(r->flags & VTD_NOTIFY_UNMAP))
        return "MAP without UNMAP: a shadow that cannot lose entries goes "
               "stale";
    if ((r->flags & VTD_NOTIFY_DEVIOTLB_UNMAP) && !(m->ecap & MV_ECAP_DT))
        return "device-IOTLB notifications need device-TLB support "
               "(ECAP.DT): the guest cannot issue such invalidations";
    if (r->first > r->last)
        return "empty range (first > last)";
    if ((r->first & (PAGE - 1)) ||
        (r->last != ~0ull && ((r->last + 1) & (PAGE - 1))))
        return "range not 4 KiB aligned";
    if (!r->container)
        return NULL;
    for (struct ngroup *g = n->groups; g; g = g->next) {
        if (g->container != r->container)
            continue;
        if (g->first == r->first && g->last == r->last) {
            if (g->flags != r->flags)
                return "the container already has consumers over this "
                       "range with other flags";
            *join = g;
            continue;
        }
        if (r->first <= g->last && g->first <= r->last)
            return "range partly overlaps another range of the same "
                   "container: a container's ranges must be equal or "
                   "disjoint";
    }
    return NULL;
}

struct vtd_notify_consumer *vtd_notify_register(struct vtd_notifier *n,
                                                const struct vtd_notify_reg *r,
                                                const char **why)
{
    struct vtd_notify_consumer *c, **pc;
    struct vtd_notify_event ev = { .type = VTD_EV_MODE };
    struct ngroup *g;
    const char *err = reg_refused(n, r, &g);

    if (err) {
        if (why)
            *why = err;
        return NULL;
    }
    c = calloc(1, sizeof(*c));
    if (!c) {
        if (why)
            *why = "out of memory";
        return NULL;
    }
    if (!g) {
        g = calloc(1, sizeof(*g));
        if (!g ||
            ((r->flags & VTD_NOTIFY_MAP) && !(g->shadow = iova_tree_new()))) {
            free(g);
            free(c);
            if (why)
                *why = "out of memory";
            return NULL;
        }
        g->n = n;
        g->container = r->container;
        g->first = r->first;
        g->last = r->last;
        g->flags = r->flags;
        g->next = n->groups;
        n->groups = g;
    }
    c->n = n;
    c->g = g;
    c->reg = *r;
    for (pc = &n->cons; *pc; pc = &(*pc)->next)
        ;
    *pc = c;
    for (pc = &g->members; *pc; pc = &(*pc)->gnext)
        ;
    *pc = c;
    vtd_dev_xlate_probe(n->m, r->sid, &c->st);
    c->mode = mode_of(&c->st);
    ev.mode = c->mode;
    n->stats.modes++;
    send(c, &ev);
    /* a new group follows its device at once: a replay (MAPs only, the
     * shadow being empty); a member joining may change nothing */
    group_update(g, false);
    return c;
}

void vtd_notify_unregister(struct vtd_notify_consumer *c)
{
    struct vtd_notifier *n;
    struct ngroup *g;
    struct vtd_notify_consumer **pc;

    if (!c)
        return;
    n = c->n;
    g = c->g;
    if (g->members == c && !c->gnext) {
        /* the last one: the container is left with nothing of ours */
        if ((g->flags & VTD_NOTIFY_MAP) && iova_tree_count(g->shadow))
            unmap_all(g);
        for (struct ngroup **pg = &n->groups; *pg; pg = &(*pg)->next)
            if (*pg == g) {
                *pg = g->next;
                break;
            }
        group_free(g);
        g = NULL;
    } else {
        for (pc = &g->members; *pc; pc = &(*pc)->gnext)
            if (*pc == c) {
                *pc = c->gnext;
                break;
            }
    }
    for (pc = &n->cons; *pc; pc = &(*pc)->next)
        if (*pc == c) {
            *pc = c->next;
            break;
        }
    free(c);
    if (g)
        group_update(g, false);
}

uint64_t vtd_notify_replay(struct vtd_notify_consumer *c)
{
    return replay(c->g);
}

void vtd_notify_state(const struct vtd_notify_consumer *c,
                      struct vtd_notify_state *out)
{
    const struct ngroup *g = c->g;

    memset(out, 0, sizeof(*out));
    out->mode = mode_of(&c->st);
    out->following = g->following;
    if (g->following) {
        out->did = g->ident.did;
        out->root = g->ident.root;
        out->levels = g->ident.levels;
        out->first_stage = g->ident.mode == VTD_DEV_FIRST;
    }
    out->conflict = g->conflict;
    out->delivers = g->members == c;
    out->entries = g->shadow ? iova_tree_count(g->shadow) : 0;
}

void vtd_notify_shadow_foreach(const struct vtd_notify_consumer *c,
                               bool (*fn)(void *opaque, uint64_t iova,
                                          uint64_t size, uint64_t addr,
                                          unsigned perm),
                               void *opaque)
{
    struct iova_iter it;
    const struct iova_map *m;

    if (!c->g->shadow)
        return;
    iova_tree_seek(c->g->shadow, 0, &it);
    while ((m = iova_iter_get(&it))) {
        if (!fn(opaque, m->iova, m->last - m->iova + 1, m->addr, m->perm))
            return;
        iova_iter_next(&it);
    }
}

void vtd_notify_stats(const struct vtd_notifier *n,
                      struct vtd_notify_stats *out)
{
    *out = n->stats;
}
