/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/clock.h — the host's monotonic clock, for hosted tools that
 * measure or pace themselves in real time (never the guest's virtual
 * time, which is the hosted machine's own).
 */
#ifndef HARNESS_CLOCK_H
#define HARNESS_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Nanoseconds of CLOCK_MONOTONIC. */
static inline uint64_t host_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The same in seconds, for rates and durations in reports. */
static inline double host_now_s(void)
{
    return (double)host_now_ns() / 1e9;
}

#endif
