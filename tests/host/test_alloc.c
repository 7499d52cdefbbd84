/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/host/test_alloc.c — lib/alloc.c against a page bitmap: random
 * adds, reserves, allocations and frees must keep the allocator's free
 * set equal to the model's, never hand out a page twice, never hand out a
 * reserved page.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/alloc.h"
#include "tests/host/tap.h"

#define PAGES 4096
#define PG    4096ull
#define BASE  (1ull << 20)

static uint8_t model[PAGES]; /* 1 = free */

static int sorted_disjoint(const struct range_alloc *ra)
{
    for (unsigned i = 0; i < ra->n; i++) {
        if (ra->r[i].base >= ra->r[i].end)
            return 0;
        if (i && ra->r[i - 1].end >= ra->r[i].base)
            return 0; /* touching extents should have merged */
    }
    return 1;
}

static int matches_model(const struct range_alloc *ra)
{
    static uint8_t seen[PAGES];

    memset(seen, 0, sizeof(seen));
    for (unsigned i = 0; i < ra->n; i++)
        for (uint64_t a = ra->r[i].base; a < ra->r[i].end; a += PG)
            seen[(a - BASE) / PG] = 1;
    return !memcmp(seen, model, sizeof(seen));
}

static void model_set(uint64_t base, uint64_t len, uint8_t v)
{
    for (uint64_t a = base; a < base + len; a += PG)
        model[(a - BASE) / PG] = v;
}

int main(void)
{
    struct range_alloc ra;
    uint64_t out, live[64][2];
    unsigned nlive = 0, ok_runs = 0, bad = 0;

    ra_init(&ra);
    TAP_OK(!ra_alloc(&ra, PG, PG, &out), "empty allocator gives nothing");
    TAP_OK(ra_add(&ra, BASE, 16 * PG), "add 16 pages");
    TAP_OK(ra_reserve(&ra, BASE + 4 * PG, 2 * PG), "reserve pages 4-5");
    TAP_EQ_U64(ra.n, 2, "reserve splits the extent");
    TAP_EQ_U64(ra_free_bytes(&ra), 14 * PG, "14 pages free");
    TAP_OK(ra_alloc(&ra, 8 * PG, PG, &out) && out == BASE + 6 * PG,
           "8 pages first-fit past the hole");
    TAP_OK(ra_alloc(&ra, PG, 4 * PG, &out) && out == BASE,
           "aligned allocation");
    TAP_OK(!ra_alloc(&ra, PG, 3 * PG, &out),
           "non power-of-two alignment refused");
    TAP_OK(!ra_alloc(&ra, 0, PG, &out), "zero length refused");
    ra_free(&ra, BASE + 6 * PG, 8 * PG);
    TAP_OK(sorted_disjoint(&ra), "free coalesces");
    TAP_OK(ra_reserve(&ra, 0, UINT64_MAX), "reserve everything");
    TAP_EQ_U64(ra.n, 0, "nothing left");
    TAP_OK(ra_add(&ra, UINT64_MAX - PG + 1, 2 * PG),
           "add wrapping the top clips");

    /* Extent table overflow: 2*MAX disjoint adds. */
    ra_init(&ra);
    for (unsigned i = 0; i < 2 * RANGE_ALLOC_MAX; i++)
        ra_add(&ra, BASE + i * 2 * PG, PG);
    TAP_OK(ra.n == RANGE_ALLOC_MAX && ra.lost == RANGE_ALLOC_MAX * PG,
           "table overflow counted as lost (%u extents, %lu lost)", ra.n,
           (unsigned long)ra.lost);

    /* Random operations against the bitmap model. */
    srand(12345);
    ra_init(&ra);
    memset(model, 0, sizeof(model));
    for (unsigned step = 0; step < 20000; step++) {
        unsigned op = (unsigned)rand() % 4;
        uint64_t p = (uint64_t)(rand() % (PAGES - 64));
        uint64_t len = (uint64_t)(1 + rand() % 32) * PG;

        if (op == 0 && ra.n < RANGE_ALLOC_MAX - 2) {
            if (ra_add(&ra, BASE + p * PG, len))
                model_set(BASE + p * PG, len, 1);
        } else if (op == 1 && ra.n < RANGE_ALLOC_MAX - 2) {
            ra_reserve(&ra, BASE + p * PG, len);
            model_set(BASE + p * PG, len, 0);
        } else if (op == 2 && nlive < 64) {
            uint64_t align = PG << (rand() % 4);

            if (ra_alloc(&ra, len, align, &out)) {
                for (uint64_t a = out; a < out + len; a += PG)
                    if (!model[(a - BASE) / PG] || (out & (align - 1)))
                        bad++;
                model_set(out, len, 0);
                live[nlive][0] = out;
                live[nlive][1] = len;
                nlive++;
            }
        } else if (op == 3 && nlive) {
            unsigned i = (unsigned)rand() % nlive;

            /* A full extent table drops what it cannot hold (counted in
             * lost): the model follows what the allocator says. */
            if (ra_free(&ra, live[i][0], live[i][1]))
                model_set(live[i][0], live[i][1], 1);
            live[i][0] = live[nlive - 1][0];
            live[i][1] = live[nlive - 1][1];
            nlive--;
        }
        if (sorted_disjoint(&ra) && matches_model(&ra))
            ok_runs++;
        else if (!bad) {
            bad = 1000000 + step;
            tap_diag("step %u op %u p %lu len %lu: %u extents, sorted %d", step,
                     op, (unsigned long)p, (unsigned long)len, ra.n,
                     sorted_disjoint(&ra));
        }
    }
    TAP_OK(bad == 0,
           "20000 random operations: no page handed out twice or "
           "while reserved (first bad %u)",
           bad);
    TAP_EQ_U64(ok_runs, 20000, "allocator equals the model after every step");
    return tap_done();
}
