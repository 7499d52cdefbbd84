/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/bench.h — what the notifier benchmarks share: a
 * monotonic clock in seconds, the median of repeated timings, and a
 * xorshift generator, so that every run draws the same numbers from the
 * same seed.
 */
#ifndef HARNESS_SHADOW_BENCH_H
#define HARNESS_SHADOW_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

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

static inline uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

#endif
