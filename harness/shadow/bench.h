/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/bench.h — what the notifier benchmarks share besides the
 * clock (harness/clock.h) and the generator (harness/rng.h): the median
 * of repeated timings.
 */
#ifndef HARNESS_SHADOW_BENCH_H
#define HARNESS_SHADOW_BENCH_H

#include <stddef.h>
#include <stdlib.h>

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The median of v[0..n), which it sorts. */
static inline double median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), bench_cmp_double);
    return v[n / 2];
}

#endif
