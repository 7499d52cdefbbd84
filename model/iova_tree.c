/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/iova_tree.c — disjoint IOVA intervals in a B+ tree (iova_tree.h).
 *
 * Leaves hold up to LEAF_CAP entries sorted by first address and are
 * linked both ways; inner nodes hold up to INNER_CAP children and, for
 * child i > 0, a separator key[i]: every entry below child i starts at or
 * after key[i] and before key[i+1]. A node other than the root keeps at
 * least a quarter of its capacity; below that it borrows from or merges
 * with a sibling.
 */
#include <stdlib.h>
#include <string.h>

#include "model/iova_tree.h"

#define LEAF_CAP   32
#define INNER_CAP  32
#define LEAF_MIN   (LEAF_CAP / 4)
#define INNER_MIN  (INNER_CAP / 4)
#define MAX_HEIGHT 24 /* 8^24 entries: far beyond memory */

struct iova_node {
    uint16_t n;
    uint8_t leaf;
};

struct iova_leaf {
    struct iova_node h;
    struct iova_leaf *prev, *next;
    struct iova_map e[LEAF_CAP];
};

struct iova_inner {
    struct iova_node h;
    uint64_t key[INNER_CAP]; /* key[0] is not used */
    struct iova_node *child[INNER_CAP];
};

struct iova_tree {
    struct iova_node *root; /* NULL when empty */
    size_t count;
};

_Static_assert(sizeof(struct iova_map) == 32, "entries are half a cache line");

static struct iova_leaf *as_leaf(struct iova_node *n)
{
    return (struct iova_leaf *)n;
}

static struct iova_inner *as_inner(struct iova_node *n)
{
    return (struct iova_inner *)n;
}

struct iova_tree *iova_tree_new(void)
{
    return calloc(1, sizeof(struct iova_tree));
}

static void free_node(struct iova_node *n, unsigned depth)
{
    if (!n)
        return;
    if (!n->leaf && depth < MAX_HEIGHT) {
        struct iova_inner *in = as_inner(n);

        for (unsigned i = 0; i < in->h.n; i++)
            free_node(in->child[i], depth + 1);
    }
    free(n);
}

void iova_tree_clear(struct iova_tree *t)
{
    free_node(t->root, 0);
    t->root = NULL;
    t->count = 0;
}

void iova_tree_free(struct iova_tree *t)
{
    if (!t)
        return;
    iova_tree_clear(t);
    free(t);
}

size_t iova_tree_count(const struct iova_tree *t)
{
    return t->count;
}

/* Child of an inner node whose key range holds addr. */
static unsigned child_for(const struct iova_inner *in, uint64_t addr)
{
    unsigned lo = 1, hi = in->h.n; /* first key[i] > addr, in [1, n] */

    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;

        if (in->key[mid] <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - 1;
}

/* First index in a leaf whose entry starts after addr. */
static unsigned leaf_upper(const struct iova_leaf *l, uint64_t addr)
{
    unsigned lo = 0, hi = l->h.n;

    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;

        if (l->e[mid].iova <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static struct iova_leaf *leaf_for(const struct iova_tree *t, uint64_t addr)
{
    struct iova_node *n = t->root;

    if (!n)
        return NULL;
    while (!n->leaf)
        n = as_inner(n)->child[child_for(as_inner(n), addr)];
    return as_leaf(n);
}

/* ------------------------------------------------------------ insert */

struct split {
    struct iova_node *right; /* new right sibling, or NULL */
    uint64_t sep;            /* its separator */
};

static int leaf_insert(struct iova_leaf *l, const struct iova_map *m,
                       struct split *sp)
{
    unsigned pos = leaf_upper(l, m->iova);
    const struct iova_map *pred = NULL, *succ = NULL;

    if (pos > 0)
        pred = &l->e[pos - 1];
    else if (l->prev)
        pred = &l->prev->e[l->prev->h.n - 1];
    if (pos < l->h.n)
        succ = &l->e[pos];
    else if (l->next)
        succ = &l->next->e[0];
    if ((pred && pred->last >= m->iova) || (succ && succ->iova <= m->last))
        return IOVA_TREE_OVERLAP;

    if (l->h.n == LEAF_CAP) {
        struct iova_leaf *r = malloc(sizeof(*r));
        unsigned keep = LEAF_CAP / 2;

        if (!r)
            return IOVA_TREE_NOMEM;
        /* Appending at the right end (an ascending fill, as a replay
         * does) leaves the left leaf three quarters full, not half. */
        if (pos == LEAF_CAP && !l->next)
            keep = LEAF_CAP - LEAF_MIN;
        r->h.leaf = 1;
        r->h.n = (uint16_t)(LEAF_CAP - keep);
        memcpy(r->e, l->e + keep, r->h.n * sizeof(r->e[0]));
        l->h.n = (uint16_t)keep;
        r->prev = l;
        r->next = l->next;
        if (l->next)
            l->next->prev = r;
        l->next = r;
        sp->right = &r->h;
        if (pos > keep) {
            l = r;
            pos -= keep;
        }
    }
    memmove(l->e + pos + 1, l->e + pos, (l->h.n - pos) * sizeof(l->e[0]));
    l->e[pos] = *m;
    l->h.n++;
    if (sp->right)
        sp->sep = as_leaf(sp->right)->e[0].iova;
    return IOVA_TREE_OK;
}

static int node_insert(struct iova_node *n, const struct iova_map *m,
                       struct split *sp, unsigned depth)
{
    struct iova_inner *in, *r;
    struct split csp = { NULL, 0 };
    uint64_t key[INNER_CAP + 1];
    struct iova_node *child[INNER_CAP + 1];
    unsigned i, total, keep;
    int rc;

    if (n->leaf)
        return leaf_insert(as_leaf(n), m, sp);
    if (depth >= MAX_HEIGHT)
        return IOVA_TREE_NOMEM;
    in = as_inner(n);
    i = child_for(in, m->iova);
    rc = node_insert(in->child[i], m, &csp, depth + 1);
    if (rc || !csp.right)
        return rc;
    if (in->h.n < INNER_CAP) {
        memmove(in->key + i + 2, in->key + i + 1,
                (in->h.n - i - 1) * sizeof(in->key[0]));
        memmove(in->child + i + 2, in->child + i + 1,
                (in->h.n - i - 1) * sizeof(in->child[0]));
        in->key[i + 1] = csp.sep;
        in->child[i + 1] = csp.right;
        in->h.n++;
        return IOVA_TREE_OK;
    }
    /* Full: lay the INNER_CAP + 1 children out and cut in two. */
    r = malloc(sizeof(*r));
    if (!r)
        return IOVA_TREE_NOMEM; /* the tree lost the child: fatal */
    total = 0;
    for (unsigned k = 0; k < in->h.n; k++) {
        key[total] = in->key[k];
        child[total++] = in->child[k];
        if (k == i) {
            key[total] = csp.sep;
            child[total++] = csp.right;
        }
    }
    keep = (i + 1 == INNER_CAP) ? total - INNER_MIN : total / 2;
    in->h.n = (uint16_t)keep;
    memcpy(in->key, key, keep * sizeof(key[0]));
    memcpy(in->child, child, keep * sizeof(child[0]));
    r->h.leaf = 0;
    r->h.n = (uint16_t)(total - keep);
    memcpy(r->key, key + keep, r->h.n * sizeof(key[0]));
    memcpy(r->child, child + keep, r->h.n * sizeof(child[0]));
    sp->right = &r->h;
    sp->sep = key[keep];
    return IOVA_TREE_OK;
}

int iova_tree_insert(struct iova_tree *t, const struct iova_map *m)
{
    struct split sp = { NULL, 0 };
    int rc;

    if (m->last < m->iova)
        return IOVA_TREE_INVAL;
    if (!t->root) {
        struct iova_leaf *l = calloc(1, sizeof(*l));

        if (!l)
            return IOVA_TREE_NOMEM;
        l->h.leaf = 1;
        l->h.n = 1;
        l->e[0] = *m;
        t->root = &l->h;
        t->count = 1;
        return IOVA_TREE_OK;
    }
    rc = node_insert(t->root, m, &sp, 0);
    if (rc)
        return rc;
    if (sp.right) {
        struct iova_inner *nr = malloc(sizeof(*nr));

        if (!nr)
            return IOVA_TREE_NOMEM;
        nr->h.leaf = 0;
        nr->h.n = 2;
        nr->key[0] = 0;
        nr->key[1] = sp.sep;
        nr->child[0] = t->root;
        nr->child[1] = sp.right;
        t->root = &nr->h;
    }
    t->count++;
    return IOVA_TREE_OK;
}

/* ------------------------------------------------------------ remove */

static void inner_drop(struct iova_inner *p, unsigned i)
{
    memmove(p->key + i, p->key + i + 1, (p->h.n - i - 1) * sizeof(p->key[0]));
    memmove(p->child + i, p->child + i + 1,
            (p->h.n - i - 1) * sizeof(p->child[0]));
    p->h.n--;
}

/* Merge leaf r into leaf l (r follows l) and free r. */
static void leaf_merge(struct iova_leaf *l, struct iova_leaf *r)
{
    memcpy(l->e + l->h.n, r->e, r->h.n * sizeof(r->e[0]));
    l->h.n = (uint16_t)(l->h.n + r->h.n);
    l->next = r->next;
    if (r->next)
        r->next->prev = l;
    free(r);
}

/* Merge inner r into inner l; sep separates them in the parent. */
static void inner_merge(struct iova_inner *l, struct iova_inner *r,
                        uint64_t sep)
{
    l->key[l->h.n] = sep;
    l->child[l->h.n] = r->child[0];
    memcpy(l->key + l->h.n + 1, r->key + 1, (r->h.n - 1) * sizeof(r->key[0]));
    memcpy(l->child + l->h.n + 1, r->child + 1,
           (r->h.n - 1) * sizeof(r->child[0]));
    l->h.n = (uint16_t)(l->h.n + r->h.n);
    free(r);
}

/* Child i of p is below its minimum: borrow from a sibling or merge. */
static void fix_child(struct iova_inner *p, unsigned i)
{
    struct iova_node *c = p->child[i];
    unsigned min = c->leaf ? LEAF_MIN : INNER_MIN;

    if (p->h.n < 2)
        return; /* the root with one child: collapsed by the caller */
    if (c->leaf) {
        struct iova_leaf *cl = as_leaf(c);

        if (i > 0) {
            struct iova_leaf *l = as_leaf(p->child[i - 1]);

            if (l->h.n > min) {
                memmove(cl->e + 1, cl->e, cl->h.n * sizeof(cl->e[0]));
                cl->e[0] = l->e[--l->h.n];
                cl->h.n++;
                p->key[i] = cl->e[0].iova;
            } else {
                leaf_merge(l, cl);
                inner_drop(p, i);
            }
        } else {
            struct iova_leaf *r = as_leaf(p->child[1]);

            if (r->h.n > min) {
                cl->e[cl->h.n++] = r->e[0];
                memmove(r->e, r->e + 1, (r->h.n - 1) * sizeof(r->e[0]));
                r->h.n--;
                p->key[1] = r->e[0].iova;
            } else {
                leaf_merge(cl, r);
                inner_drop(p, 1);
            }
        }
        return;
    }
    {
        struct iova_inner *ci = as_inner(c);

        if (i > 0) {
            struct iova_inner *l = as_inner(p->child[i - 1]);

            if (l->h.n > min) {
                memmove(ci->key + 1, ci->key, ci->h.n * sizeof(ci->key[0]));
                memmove(ci->child + 1, ci->child,
                        ci->h.n * sizeof(ci->child[0]));
                ci->key[1] = p->key[i];
                ci->child[0] = l->child[l->h.n - 1];
                ci->h.n++;
                p->key[i] = l->key[l->h.n - 1];
                l->h.n--;
            } else {
                inner_merge(l, ci, p->key[i]);
                inner_drop(p, i);
            }
        } else {
            struct iova_inner *r = as_inner(p->child[1]);

            if (r->h.n > min) {
                ci->key[ci->h.n] = p->key[1];
                ci->child[ci->h.n] = r->child[0];
                ci->h.n++;
                p->key[1] = r->key[1];
                memmove(r->key, r->key + 1, (r->h.n - 1) * sizeof(r->key[0]));
                memmove(r->child, r->child + 1,
                        (r->h.n - 1) * sizeof(r->child[0]));
                r->h.n--;
            } else {
                inner_merge(ci, r, p->key[1]);
                inner_drop(p, 1);
            }
        }
    }
}

static int node_remove(struct iova_node *n, uint64_t iova, struct iova_map *out,
                       unsigned depth)
{
    if (n->leaf) {
        struct iova_leaf *l = as_leaf(n);
        unsigned pos = leaf_upper(l, iova);

        if (pos == 0 || l->e[pos - 1].iova != iova)
            return IOVA_TREE_NOENT;
        pos--;
        if (out)
            *out = l->e[pos];
        memmove(l->e + pos, l->e + pos + 1,
                (l->h.n - pos - 1) * sizeof(l->e[0]));
        l->h.n--;
        return IOVA_TREE_OK;
    }
    if (depth >= MAX_HEIGHT)
        return IOVA_TREE_NOENT;
    {
        struct iova_inner *in = as_inner(n);
        unsigned i = child_for(in, iova);
        struct iova_node *c = in->child[i];
        int rc = node_remove(c, iova, out, depth + 1);

        if (rc)
            return rc;
        if (c->n < (c->leaf ? LEAF_MIN : INNER_MIN))
            fix_child(in, i);
        return IOVA_TREE_OK;
    }
}

int iova_tree_remove(struct iova_tree *t, uint64_t iova, struct iova_map *out)
{
    struct iova_node *r = t->root;
    int rc;

    if (!r)
        return IOVA_TREE_NOENT;
    rc = node_remove(r, iova, out, 0);
    if (rc)
        return rc;
    t->count--;
    if (r->leaf) {
        if (!r->n) {
            free(r);
            t->root = NULL;
        }
    } else if (r->n == 1) {
        t->root = as_inner(r)->child[0];
        free(r);
    }
    return IOVA_TREE_OK;
}

/* ---------------------------------------------------- lookup, iteration */

void iova_tree_seek(const struct iova_tree *t, uint64_t addr,
                    struct iova_iter *it)
{
    struct iova_leaf *l = leaf_for(t, addr);
    unsigned lo = 0, hi;

    it->leaf = NULL;
    it->idx = 0;
    if (!l)
        return;
    /* entries are sorted by last too: first one with last >= addr */
    hi = l->h.n;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;

        if (l->e[mid].last < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 && l->prev && l->prev->e[l->prev->h.n - 1].last >= addr) {
        it->leaf = l->prev;
        it->idx = l->prev->h.n - 1u;
        return;
    }
    if (lo == l->h.n) {
        it->leaf = l->next;
        it->idx = 0;
        return;
    }
    it->leaf = l;
    it->idx = lo;
}

const struct iova_map *iova_iter_get(const struct iova_iter *it)
{
    if (!it->leaf || it->idx >= it->leaf->h.n)
        return NULL;
    return &it->leaf->e[it->idx];
}

void iova_iter_next(struct iova_iter *it)
{
    if (!it->leaf)
        return;
    if (++it->idx >= it->leaf->h.n) {
        it->leaf = it->leaf->next;
        it->idx = 0;
    }
}

const struct iova_map *iova_tree_find(const struct iova_tree *t, uint64_t first,
                                      uint64_t last)
{
    struct iova_iter it;
    const struct iova_map *m;

    iova_tree_seek(t, first, &it);
    m = iova_iter_get(&it);
    return m && m->iova <= last ? m : NULL;
}

void iova_tree_foreach(const struct iova_tree *t,
                       bool (*fn)(const struct iova_map *m, void *opaque),
                       void *opaque)
{
    struct iova_iter it;
    const struct iova_map *m;

    iova_tree_seek(t, 0, &it);
    while ((m = iova_iter_get(&it))) {
        if (!fn(m, opaque))
            return;
        iova_iter_next(&it);
    }
}

/* ------------------------------------------------------------ verify */

struct vstate {
    const char *err;
    int leaf_depth;
    struct iova_leaf *prev;
    size_t count;
    bool have_last;
    uint64_t last;
};

static void verify_node(struct vstate *v, const struct iova_node *n,
                        unsigned depth, bool is_root, bool has_lo, uint64_t lo,
                        bool has_hi, uint64_t hi)
{
    if (v->err)
        return;
    if (depth >= MAX_HEIGHT) {
        v->err = "too deep";
        return;
    }
    if (n->leaf) {
        const struct iova_leaf *l = (const struct iova_leaf *)n;

        if (v->leaf_depth < 0)
            v->leaf_depth = (int)depth;
        else if (v->leaf_depth != (int)depth)
            v->err = "leaves at different depths";
        if (l->h.n > LEAF_CAP || l->h.n == 0 || (!is_root && l->h.n < LEAF_MIN))
            v->err = "leaf fill out of bounds";
        if (l->prev != v->prev)
            v->err = "leaf back link broken";
        if (v->prev && v->prev->next != l)
            v->err = "leaf forward link broken";
        for (unsigned i = 0; i < l->h.n && !v->err; i++) {
            const struct iova_map *m = &l->e[i];

            if (m->last < m->iova)
                v->err = "entry ends before it starts";
            else if (v->have_last && m->iova <= v->last)
                v->err = "entries overlap or are out of order";
            else if ((has_lo && m->iova < lo) || (has_hi && m->iova >= hi))
                v->err = "entry outside its separators";
            v->have_last = true;
            v->last = m->last;
            v->count++;
        }
        v->prev = (struct iova_leaf *)l;
        return;
    }
    {
        const struct iova_inner *in = (const struct iova_inner *)n;

        if (in->h.n > INNER_CAP || in->h.n < (is_root ? 2 : INNER_MIN)) {
            v->err = "inner fill out of bounds";
            return;
        }
        for (unsigned i = 0; i < in->h.n && !v->err; i++) {
            bool clo = i > 0 ? true : has_lo;
            uint64_t klo = i > 0 ? in->key[i] : lo;
            bool chi = i + 1 < in->h.n ? true : has_hi;
            uint64_t khi = i + 1 < in->h.n ? in->key[i + 1] : hi;

            if (i > 0 &&
                ((has_lo && in->key[i] < lo) || (has_hi && in->key[i] >= hi) ||
                 (i > 1 && in->key[i] <= in->key[i - 1]))) {
                v->err = "separators out of order";
                return;
            }
            verify_node(v, in->child[i], depth + 1, false, clo, klo, chi, khi);
        }
    }
}

const char *iova_tree_verify(const struct iova_tree *t)
{
    struct vstate v = { .leaf_depth = -1 };

    if (!t->root)
        return t->count ? "empty tree with a count" : NULL;
    verify_node(&v, t->root, 0, true, false, 0, false, 0);
    if (!v.err && v.prev && v.prev->next)
        v.err = "last leaf links further";
    if (!v.err && v.count != t->count)
        v.err = "count differs from the entries";
    return v.err;
}
