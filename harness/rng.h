/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/rng.h — small deterministic pseudo-random generators for hosted
 * tests, benchmarks and random guests: the same seed gives the same run.
 * Not for anything that must be unpredictable.
 */
#ifndef HARNESS_RNG_H
#define HARNESS_RNG_H

#include <stdint.h>

/* Marsaglia's xorshift64 (13, 7, 17); *state must not be 0. */
static inline uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* SplitMix64: any *state, 0 included; each call steps it by the golden
 * ratio and returns the mixed value. */
static inline uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#endif
