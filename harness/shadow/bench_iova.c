/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/bench_iova.c — the iova tree against GLib's GTree used as
 * a range map the way QEMU's iova tree uses it (a key per mapping, a
 * comparison that calls overlapping ranges equal), side by side in one
 * run: insert, lookup, iterate and remove at 10^3 .. 10^6 entries.
 *
 *   bench-iova [--max N]
 */
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/clock.h"
#include "harness/rng.h"
#include "harness/shadow/bench.h"
#include "model/iova_tree.h"

struct range {
    uint64_t iova, last;
};

static uint64_t rng = 88172645463325252ull;

static uint64_t rnd(void)
{
    return xorshift64(&rng);
}

static gint range_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
    const struct range *x = a, *y = b;

    if (x->last < y->iova)
        return -1;
    if (y->last < x->iova)
        return 1;
    return 0; /* overlap: "equal", as a range map needs */
}

static gboolean sum_cb(gpointer key, gpointer value, gpointer data)
{
    *(uint64_t *)data += ((struct range *)key)->iova;
    return FALSE;
}

static bool sum_iova(const struct iova_map *m, void *o)
{
    *(uint64_t *)o += m->iova;
    return true;
}

enum { INSERT, LOOKUP, ITERATE, REMOVE, PHASES };
static const char *const phase_name[PHASES] = {
    "insert",
    "lookup",
    "iterate",
    "remove",
};

/* Seconds per phase for n entries at keys[], order[] (random orders). */
static void run_gtree(size_t n, const uint64_t *keys, const size_t *order,
                      const uint64_t *probe, double t[PHASES], uint64_t *chk)
{
    GTree *tr = g_tree_new_full(range_cmp, NULL, g_free, NULL);
    double t0;
    uint64_t sum = 0;

    t0 = host_now_s();
    for (size_t i = 0; i < n; i++) {
        struct range *r = g_new(struct range, 1);

        r->iova = keys[i];
        r->last = keys[i] + 0xFFF;
        g_tree_insert(tr, r, r);
    }
    t[INSERT] = host_now_s() - t0;
    t0 = host_now_s();
    for (size_t i = 0; i < n; i++) {
        struct range q = { probe[i], probe[i] };
        struct range *r = g_tree_lookup(tr, &q);

        sum += r ? r->iova : 1;
    }
    t[LOOKUP] = host_now_s() - t0;
    t0 = host_now_s();
    g_tree_foreach(tr, sum_cb, &sum);
    t[ITERATE] = host_now_s() - t0;
    t0 = host_now_s();
    for (size_t i = 0; i < n; i++) {
        struct range q = { keys[order[i]], keys[order[i]] };

        g_tree_remove(tr, &q);
    }
    t[REMOVE] = host_now_s() - t0;
    *chk = sum;
    g_tree_destroy(tr);
}

static void run_iova(size_t n, const uint64_t *keys, const size_t *order,
                     const uint64_t *probe, double t[PHASES], uint64_t *chk)
{
    struct iova_tree *tr = iova_tree_new();
    double t0;
    uint64_t sum = 0;

    t0 = host_now_s();
    for (size_t i = 0; i < n; i++) {
        struct iova_map m = { .iova = keys[i],
                              .last = keys[i] + 0xFFF,
                              .addr = keys[i] };

        iova_tree_insert(tr, &m);
    }
    t[INSERT] = host_now_s() - t0;
    t0 = host_now_s();
    for (size_t i = 0; i < n; i++) {
        const struct iova_map *m = iova_tree_find(tr, probe[i], probe[i]);

        sum += m ? m->iova : 1;
    }
    t[LOOKUP] = host_now_s() - t0;
    t0 = host_now_s();
    iova_tree_foreach(tr, sum_iova, &sum);
    t[ITERATE] = host_now_s() - t0;
    t0 = host_now_s();
    for (size_t i = 0; i < n; i++)
        iova_tree_remove(tr, keys[order[i]], NULL);
    t[REMOVE] = host_now_s() - t0;
    *chk = sum;
    iova_tree_free(tr);
}

int main(int argc, char **argv)
{
    size_t max = 1000000;

    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--max"))
            max = strtoull(argv[++i], NULL, 0);
    printf("iova tree vs GTree as a range map (4 KiB entries, random order; "
           "ns per operation, median of 101/11/3/1 repetitions)\n");
    printf("%9s %-8s %10s %10s %7s\n", "entries", "phase", "GTree", "iova tree",
           "ratio");
    for (size_t n = 1000; n <= max; n *= 10) {
        uint64_t *keys = malloc(n * sizeof(*keys));
        uint64_t *probe = malloc(n * sizeof(*probe));
        size_t *order = malloc(n * sizeof(*order));
        unsigned reps = n <= 1000 ? 101 : n <= 10000 ? 11 : n <= 100000 ? 3 : 1;
        double *tg = malloc(reps * PHASES * sizeof(double));
        double *ti = malloc(reps * PHASES * sizeof(double));
        double total_g = 0, total_i = 0;
        uint64_t cg = 0, ci = 0;

        /* disjoint pages spread over 2^40 bytes, in random order */
        for (size_t i = 0; i < n; i++) {
            keys[i] = ((uint64_t)i * 2 + 1) << 12 | ((rnd() % 3) << 40);
            order[i] = i;
        }
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = rnd() % (i + 1);
            uint64_t k = keys[i];
            size_t o = order[i];

            keys[i] = keys[j];
            keys[j] = k;
            j = rnd() % (i + 1);
            order[i] = order[j];
            order[j] = o;
        }
        for (size_t i = 0; i < n; i++)
            probe[i] = keys[rnd() % n] + (rnd() & 0xFFF);
        for (unsigned r = 0; r < reps; r++) {
            run_gtree(n, keys, order, probe, tg + r * PHASES, &cg);
            run_iova(n, keys, order, probe, ti + r * PHASES, &ci);
        }
        if (cg != ci)
            printf("# lookups and walks disagree: %" PRIu64 " vs %" PRIu64 "\n",
                   cg, ci);
        for (int p = 0; p < PHASES; p++) {
            double a[101], b[101], mg, mi;

            for (unsigned r = 0; r < reps; r++) {
                a[r] = tg[r * PHASES + p];
                b[r] = ti[r * PHASES + p];
            }
            mg = median(a, reps);
            mi = median(b, reps);
            total_g += mg;
            total_i += mi;
            printf("%9zu %-8s %10.1f %10.1f %6.2fx\n", n, phase_name[p],
                   mg * 1e9 / n, mi * 1e9 / n, mg / mi);
        }
        printf("%9zu %-8s %10.1f %10.1f %6.2fx\n", n, "all", total_g * 1e9 / n,
               total_i * 1e9 / n, total_g / total_i);
        free(keys);
        free(probe);
        free(order);
        free(tg);
        free(ti);
    }
    return 0;
}
