/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/bits.h — bit and field helpers on 64-bit values, shared by the
 * driver, the model and the hosted harnesses (freestanding and hosted).
 *
 * FIELD_GET/FIELD_PREP take a contiguous mask; FIELD_GET64 takes the
 * field's high and low bit numbers as the specification writes them.
 */
#ifndef LIB_BITS_H
#define LIB_BITS_H

#include <stdint.h>

#define BIT64(n)               (1ull << (n))
/* Mask of bits hi:lo inclusive. */
#define GENMASK64(hi, lo)      ((~0ull >> (63 - (hi))) & (~0ull << (lo)))
#define FIELD_GET(mask, v)     (((v) & (mask)) >> __builtin_ctzll(mask))
#define FIELD_PREP(mask, v)    (((uint64_t)(v) << __builtin_ctzll(mask)) & (mask))
#define FIELD_GET64(v, hi, lo) (((v)&GENMASK64(hi, lo)) >> (lo))

#endif
