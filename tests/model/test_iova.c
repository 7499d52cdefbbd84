/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The iova tree against a plain reference: random inserts, removes,
 * lookups and walks, with the tree's structural self-check along the way.
 */
#include <stdlib.h>

#include "harness/rng.h"
#include "model/iova_tree.h"
#include "tests/host/tap.h"

#define REF_MAX 20000

/* Reference: a bitmap of 4 KiB pages over a small space, plus the start of
 * the interval each page belongs to. */
#define SPACE_PAGES 65536u
static uint32_t owner[SPACE_PAGES];  /* start page + 1, 0 = free */
static uint32_t length[SPACE_PAGES]; /* pages, at the start page */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

static bool ref_free(uint32_t pg, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (pg + i >= SPACE_PAGES || owner[pg + i])
            return false;
    return true;
}

static void basic(void)
{
    struct iova_tree *t = iova_tree_new();
    struct iova_map m = {
        .iova = 0x1000, .last = 0x1fff, .addr = 0x5000, .perm = 3
    };
    struct iova_map out;
    const struct iova_map *f;

    TAP_OK(t && iova_tree_count(t) == 0 && !iova_tree_find(t, 0, ~0ull),
           "empty tree finds nothing");
    TAP_OK(iova_tree_insert(t, &m) == IOVA_TREE_OK, "insert one");
    m.iova = 0x1800;
    m.last = 0x27ff;
    TAP_OK(iova_tree_insert(t, &m) == IOVA_TREE_OVERLAP,
           "overlapping insert refused");
    m.iova = 0x3000;
    m.last = 0x2fff;
    TAP_OK(iova_tree_insert(t, &m) == IOVA_TREE_INVAL,
           "interval ending before its start refused");
    m.iova = 0xFFFFFFFFFFFFF000ull;
    m.last = ~0ull;
    TAP_OK(iova_tree_insert(t, &m) == IOVA_TREE_OK,
           "interval ending at 2^64-1");
    f = iova_tree_find(t, 0x1fff, 0x1fff);
    TAP_OK(f && f->iova == 0x1000 && f->addr == 0x5000, "find by last byte");
    TAP_OK(!iova_tree_find(t, 0x2000, 0xFFFFFFFFFFFFEFFFull),
           "hole between entries");
    f = iova_tree_find(t, 0, ~0ull);
    TAP_OK(f && f->iova == 0x1000, "lowest intersecting entry");
    TAP_OK(iova_tree_remove(t, 0x1001, NULL) == IOVA_TREE_NOENT,
           "remove needs the first byte");
    TAP_OK(iova_tree_remove(t, 0x1000, &out) == IOVA_TREE_OK &&
               out.addr == 0x5000 && iova_tree_count(t) == 1,
           "remove one");
    iova_tree_free(t);
}

static bool count_cb(const struct iova_map *m, void *o)
{
    uint64_t *c = o;

    (void)m;
    return ++*c < 5;
}

static void random_against_reference(void)
{
    struct iova_tree *t = iova_tree_new();
    uint64_t ops = 0, bad_find = 0, bad_ins = 0, bad_rm = 0, bad_walk = 0;
    const char *verr = NULL;
    size_t live = 0;

    memset(owner, 0, sizeof(owner));
    for (unsigned round = 0; round < 400000; round++) {
        unsigned op = (unsigned)(rnd() % 100);
        uint32_t pg = (uint32_t)(rnd() % SPACE_PAGES);

        ops++;
        /* grow to a large tree, then shrink to empty, then grow again */
        if ((round / 100000) % 2 == 0 ? op < 60 : op < 25) {
            uint32_t n = 1 + (uint32_t)(rnd() % 4);
            struct iova_map m = { .iova = (uint64_t)pg << 12,
                                  .last = ((uint64_t)(pg + n) << 12) - 1,
                                  .addr = rnd() & ~0xFFFull,
                                  .perm = (uint32_t)(rnd() & 3) };
            int rc = iova_tree_insert(t, &m);
            bool ok = ref_free(pg, n);

            if ((rc == IOVA_TREE_OK) != ok)
                bad_ins++;
            if (rc == IOVA_TREE_OK) {
                for (uint32_t i = 0; i < n; i++)
                    owner[pg + i] = pg + 1;
                length[pg] = n;
                live++;
            }
        } else if (op < 90) {
            /* remove the interval that owns pg, if any */
            uint32_t o = owner[pg];
            struct iova_map out;

            if (o) {
                uint32_t s = o - 1;

                if (iova_tree_remove(t, (uint64_t)s << 12, &out) ||
                    out.last != ((uint64_t)(s + length[s]) << 12) - 1)
                    bad_rm++;
                for (uint32_t i = 0; i < length[s]; i++)
                    owner[s + i] = 0;
                live--;
            } else if (iova_tree_remove(t, (uint64_t)pg << 12, NULL) !=
                       IOVA_TREE_NOENT) {
                bad_rm++;
            }
        } else {
            /* find over a random range, against a scan of the reference */
            uint32_t n = 1 + (uint32_t)(rnd() % 64);
            const struct iova_map *f = iova_tree_find(t, (uint64_t)pg << 12,
                                                      ((uint64_t)(pg + n)
                                                       << 12) -
                                                          1);
            uint32_t want = 0;

            /* the lowest interval intersecting: owner of the first used page */
            for (uint32_t i = 0; i < n && pg + i < SPACE_PAGES; i++)
                if (owner[pg + i]) {
                    want = owner[pg + i];
                    break;
                }
            if (want ? !f || f->iova != (uint64_t)(want - 1) << 12 : f != NULL)
                bad_find++;
        }
        if (iova_tree_count(t) != live)
            bad_ins++;
        if ((round % 4096) == 0 && !verr)
            verr = iova_tree_verify(t);
        if ((round % 50000) == 0) {
            /* full ordered walk against the reference */
            struct iova_iter it;
            const struct iova_map *m;
            uint32_t p = 0;

            iova_tree_seek(t, 0, &it);
            while ((m = iova_iter_get(&it))) {
                while (p < SPACE_PAGES && owner[p] != p + 1)
                    p++;
                if (p == SPACE_PAGES || m->iova != (uint64_t)p << 12)
                    bad_walk++;
                p++;
                iova_iter_next(&it);
            }
            while (p < SPACE_PAGES && owner[p] != p + 1)
                p++;
            if (p != SPACE_PAGES)
                bad_walk++;
        }
    }
    if (!verr)
        verr = iova_tree_verify(t);
    TAP_OK(!bad_ins,
           "%lu random operations: insert accepts exactly the free "
           "ranges (%lu wrong)",
           (unsigned long)ops, (unsigned long)bad_ins);
    TAP_OK(!bad_rm, "remove by first byte (%lu wrong)", (unsigned long)bad_rm);
    TAP_OK(!bad_find, "find returns the lowest intersecting entry (%lu wrong)",
           (unsigned long)bad_find);
    TAP_OK(!bad_walk, "ordered walks match the reference (%lu wrong)",
           (unsigned long)bad_walk);
    TAP_OK(!verr, "structure holds: %s", verr ? verr : "ok");
    {
        uint64_t c = 0;

        iova_tree_foreach(t, count_cb, &c);
        TAP_OK(c == (live < 5 ? live : 5), "foreach stops when told");
    }
    iova_tree_free(t);
}

/* Ascending and descending fills, then removal from both ends. */
static void fills(void)
{
    for (int dir = 0; dir < 2; dir++) {
        struct iova_tree *t = iova_tree_new();
        const unsigned n = 100000;
        bool ok = true;
        const char *verr;

        for (unsigned i = 0; i < n && ok; i++) {
            uint64_t k = dir ? n - 1 - i : i;
            struct iova_map m = { .iova = k << 12,
                                  .last = (k << 12) | 0xFFF,
                                  .addr = k };

            ok = iova_tree_insert(t, &m) == IOVA_TREE_OK;
        }
        verr = iova_tree_verify(t);
        TAP_OK(ok && !verr && iova_tree_count(t) == n,
               "%s fill of %u entries: %s", dir ? "descending" : "ascending", n,
               verr ? verr : "ok");
        for (unsigned i = 0; i < n / 2 && ok; i++) {
            ok = iova_tree_remove(t, (uint64_t)i << 12, NULL) == IOVA_TREE_OK &&
                 iova_tree_remove(t, (uint64_t)(n - 1 - i) << 12, NULL) ==
                     IOVA_TREE_OK;
            if (ok && (i % 997) == 0 && iova_tree_verify(t))
                ok = false;
        }
        TAP_OK(ok && iova_tree_count(t) == 0 && !iova_tree_verify(t),
               "%s fill removed from both ends",
               dir ? "descending" : "ascending");
        iova_tree_free(t);
    }
}

int main(void)
{
    basic();
    fills();
    random_against_reference();
    return tap_done();
}
