/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/alloc.c — the physical range allocator (see alloc.h).
 */
#include <string.h>

#include "lib/alloc.h"

void ra_init(struct range_alloc *ra)
{
    memset(ra, 0, sizeof(*ra));
}

static void remove_at(struct range_alloc *ra, unsigned i)
{
    memmove(&ra->r[i], &ra->r[i + 1], (ra->n - i - 1) * sizeof(ra->r[0]));
    ra->n--;
}

static bool insert_at(struct range_alloc *ra, unsigned i, uint64_t base,
                      uint64_t end)
{
    if (ra->n == RANGE_ALLOC_MAX) {
        ra->lost += end - base;
        return false;
    }
    memmove(&ra->r[i + 1], &ra->r[i], (ra->n - i) * sizeof(ra->r[0]));
    ra->r[i].base = base;
    ra->r[i].end = end;
    ra->n++;
    return true;
}

bool ra_add(struct range_alloc *ra, uint64_t base, uint64_t len)
{
    uint64_t end;
    unsigned i;

    if (!len)
        return true;
    end = base + len;
    if (end < base) /* wraps: clip at the top */
        end = UINT64_MAX;
    /* Absorb every extent that overlaps or touches [base, end). */
    for (i = 0; i < ra->n;) {
        if (ra->r[i].end < base || ra->r[i].base > end) {
            i++;
            continue;
        }
        if (ra->r[i].base < base)
            base = ra->r[i].base;
        if (ra->r[i].end > end)
            end = ra->r[i].end;
        remove_at(ra, i);
    }
    for (i = 0; i < ra->n && ra->r[i].base < base; i++)
        ;
    return insert_at(ra, i, base, end);
}

bool ra_reserve(struct range_alloc *ra, uint64_t base, uint64_t len)
{
    uint64_t end = base + len;
    bool ok = true;

    if (!len)
        return true;
    if (end < base)
        end = UINT64_MAX;
    for (unsigned i = 0; i < ra->n;) {
        uint64_t b = ra->r[i].base, e = ra->r[i].end;

        if (e <= base || b >= end) {
            i++;
            continue;
        }
        if (b < base && e > end) { /* split in two */
            ra->r[i].end = base;
            ok = insert_at(ra, i + 1, end, e) && ok;
            break;
        }
        if (b < base) {
            ra->r[i].end = base;
            i++;
        } else if (e > end) {
            ra->r[i].base = end;
            i++;
        } else {
            remove_at(ra, i);
        }
    }
    return ok;
}

bool ra_alloc(struct range_alloc *ra, uint64_t len, uint64_t align,
              uint64_t *out)
{
    if (!len || !align || (align & (align - 1)))
        return false;
    for (unsigned i = 0; i < ra->n; i++) {
        uint64_t b = ra->r[i].base, e = ra->r[i].end;
        uint64_t a = (b + align - 1) & ~(align - 1);

        if (a < b || a >= e || e - a < len)
            continue;
        /* Carve [a, a+len) out of the extent. */
        if (a == b && a + len == e) {
            remove_at(ra, i);
        } else if (a == b) {
            ra->r[i].base = a + len;
        } else if (a + len == e) {
            ra->r[i].end = a;
        } else {
            if (ra->n == RANGE_ALLOC_MAX)
                continue; /* no room to split this extent */
            insert_at(ra, i + 1, a + len, e);
            ra->r[i].end = a;
        }
        *out = a;
        return true;
    }
    return false;
}

bool ra_free(struct range_alloc *ra, uint64_t base, uint64_t len)
{
    return ra_add(ra, base, len);
}

uint64_t ra_free_bytes(const struct range_alloc *ra)
{
    uint64_t sum = 0;

    for (unsigned i = 0; i < ra->n; i++)
        sum += ra->r[i].end - ra->r[i].base;
    return sum;
}
