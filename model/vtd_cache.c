/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/vtd_cache.c — the fixed-capacity hash table behind every cache of
 * the unit (context, PASID, IOTLB, paging-structure, interrupt-entry).
 *
 * Capacity is fixed at creation, so guest activity never grows memory. When
 * a cache is full one entry is evicted: the architecture lets hardware drop
 * any cached entry at any time, so eviction is never wrong, only less
 * revealing.
 */
#include <stdlib.h>

#include "model/vtd_internal.h"

/* Multiplicative hashing: the top bits of the product pick the bucket. */
static uint32_t hash_key(const struct vtd_cache *c, uint64_t key, uint64_t key2)
{
    uint64_t h = (key ^ (key2 * 0xC2B2AE3D27D4EB4Full)) * 0x9E3779B97F4A7C15ull;

    return (uint32_t)(h >> c->shift);
}

int vtd_cache_init(struct vtd_cache *c, uint32_t capacity, bool enabled,
                   unsigned did_bits, uint32_t *changed)
{
    uint32_t nb = 1;

    memset(c, 0, sizeof(*c));
    c->enabled = enabled;
    c->changed = changed;
    if (!enabled)
        return 0;
    if (did_bits) {
        c->domgen = calloc(1u << did_bits, sizeof(*c->domgen));
        if (!c->domgen)
            return -1;
        c->did_mask = (1u << did_bits) - 1;
    }
    while (nb < capacity * 2)
        nb <<= 1;
    c->capacity = capacity;
    c->nbuckets = nb;
    c->shift = 64 - (unsigned)__builtin_ctz(nb);
    c->e = calloc(capacity, sizeof(*c->e));
    c->bucket = calloc(nb, sizeof(*c->bucket));
    c->live = malloc(capacity * sizeof(*c->live));
    c->freel = malloc(capacity * sizeof(*c->freel));
    if (!c->e || !c->bucket || !c->live || !c->freel) {
        vtd_cache_fini(c);
        return -1;
    }
    vtd_cache_clear(c);
    return 0;
}

void vtd_cache_fini(struct vtd_cache *c)
{
    free(c->e);
    free(c->bucket);
    free(c->live);
    free(c->freel);
    free(c->domgen);
    memset(c, 0, sizeof(*c));
}

/*
 * O(live entries): buckets are cleared one by one when few are in use, and
 * never-used slots are handed out from a high-water mark, not a list.
 */
void vtd_cache_clear(struct vtd_cache *c)
{
    if (!c->enabled)
        return;
    if (c->changed)
        (*c->changed)++;
    if (c->nlive * 4 < c->nbuckets) {
        for (uint32_t i = 0; i < c->nlive; i++) {
            const struct vtd_centry *e = &c->e[c->live[i]];

            c->bucket[hash_key(c, e->key, e->key2)] = 0;
        }
    } else {
        memset(c->bucket, 0, c->nbuckets * sizeof(*c->bucket));
    }
    c->nlive = 0;
    c->nfree = 0;
    c->nused = 0;
}

struct vtd_centry *vtd_cache_find(struct vtd_cache *c, uint64_t key,
                                  uint64_t key2)
{
    uint32_t i;

    if (!c->enabled || !c->nlive)
        return NULL;
    for (i = c->bucket[hash_key(c, key, key2)]; i; i = c->e[i - 1].chain) {
        struct vtd_centry *e = &c->e[i - 1];

        if (e->key == key && e->key2 == key2) {
            if (c->domgen && e->gen != c->domgen[(key2 >> 32) & c->did_mask]) {
                vtd_cache_remove(c, e); /* a dead generation */
                return NULL;
            }
            return e;
        }
    }
    return NULL;
}

void vtd_cache_drop_domain(struct vtd_cache *c, uint32_t did)
{
    if (!c->enabled || !c->domgen)
        return;
    c->domgen[did & c->did_mask]++;
    if (c->changed)
        (*c->changed)++;
}

void vtd_cache_remove(struct vtd_cache *c, struct vtd_centry *e)
{
    uint32_t idx = (uint32_t)(e - c->e);
    uint32_t *pp = &c->bucket[hash_key(c, e->key, e->key2)];
    uint32_t last;

    if (c->changed)
        (*c->changed)++;
    while (*pp && *pp != idx + 1)
        pp = &c->e[*pp - 1].chain;
    if (*pp)
        *pp = e->chain;
    /* keep the live array dense: move the last live entry into our slot */
    last = c->live[c->nlive - 1];
    c->live[e->slot] = last;
    c->e[last].slot = e->slot;
    c->nlive--;
    c->freel[c->nfree++] = idx;
}

struct vtd_centry *vtd_cache_insert(struct vtd_cache *c, uint64_t key,
                                    uint64_t key2)
{
    struct vtd_centry *e;
    uint32_t idx, b;

    if (!c->enabled)
        return NULL;
    e = vtd_cache_find(c, key, key2);
    if (e)
        vtd_cache_remove(c, e);
    if (!c->nfree && c->nused == c->capacity) {
        /* evict round-robin over the live array */
        c->evict = (c->evict + 1) % c->nlive;
        vtd_cache_remove(c, &c->e[c->live[c->evict]]);
    }
    idx = c->nfree ? c->freel[--c->nfree] : c->nused++;
    e = &c->e[idx];
    memset(e, 0, sizeof(*e));
    e->key = key;
    e->key2 = key2;
    if (c->domgen)
        e->gen = c->domgen[(key2 >> 32) & c->did_mask];
    b = hash_key(c, key, key2);
    e->chain = c->bucket[b];
    c->bucket[b] = idx + 1;
    e->slot = c->nlive;
    c->live[c->nlive++] = idx;
    return e;
}

uint32_t vtd_cache_remove_if(struct vtd_cache *c,
                             bool (*match)(const struct vtd_centry *,
                                           const void *),
                             const void *arg)
{
    uint32_t n = 0, i = 0;

    if (!c->enabled)
        return 0;
    /* removal moves the last entry into slot i, so re-test slot i */
    while (i < c->nlive) {
        struct vtd_centry *e = &c->e[c->live[i]];

        if (match(e, arg)) {
            vtd_cache_remove(c, e);
            n++;
        } else {
            i++;
        }
    }
    return n;
}
