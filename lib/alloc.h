/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/alloc.h — a physical range allocator.
 *
 * Free memory is a sorted list of disjoint [base, end) extents in a fixed
 * array: add what the memory map calls usable, reserve what must never be
 * handed out (the image, boot structures, modules), then allocate
 * contiguous, aligned runs first-fit and free them back with coalescing.
 * Portable and bounded: the guest feeds it the multiboot map, hosted tests
 * feed it anything.
 */
#ifndef LIB_ALLOC_H
#define LIB_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#define RANGE_ALLOC_MAX 64

struct range_alloc {
    struct {
        uint64_t base, end;
    } r[RANGE_ALLOC_MAX];
    unsigned n;
    uint64_t lost; /* bytes dropped because the extent table was full */
};

void ra_init(struct range_alloc *ra);
/* Add [base, base+len) as free, merging with neighbours; overlaps with
 * free extents are absorbed. False if the table is full (counted lost). */
bool ra_add(struct range_alloc *ra, uint64_t base, uint64_t len);
/* Remove [base, base+len) from the free extents, wherever they overlap. */
bool ra_reserve(struct range_alloc *ra, uint64_t base, uint64_t len);
/* First fit of len bytes aligned to align (a power of two); true with
 * *out set, or false when nothing fits. */
bool ra_alloc(struct range_alloc *ra, uint64_t len, uint64_t align,
              uint64_t *out);
/* Give back [base, base+len). */
bool ra_free(struct range_alloc *ra, uint64_t base, uint64_t len);
uint64_t ra_free_bytes(const struct range_alloc *ra);

#endif
