/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/iova_tree.h — a map of disjoint IOVA intervals (the "iova tree").
 *
 * Each entry is a closed interval [iova, last] with the address it
 * translates to and its permissions. Intervals never overlap. The store is
 * a B+ tree keyed by the first address: entries sit in sorted arrays in
 * linked leaves, so lookups touch a few cache lines, and walking the map
 * in address order (what a sync does) is a pointer chase per 32 entries.
 *
 * The notifier layer keeps one per shadow; the harness's host container
 * uses one for its own mappings.
 */
#ifndef MODEL_IOVA_TREE_H
#define MODEL_IOVA_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct iova_map {
    uint64_t iova; /* first byte */
    uint64_t last; /* last byte, inclusive: [0, 2^64-1] is expressible */
    uint64_t addr; /* translated address of iova */
    uint32_t perm;
    uint32_t aux; /* the user's */
};

struct iova_tree;
struct iova_leaf;

/* A position in the map, valid until the next insert or remove. */
struct iova_iter {
    struct iova_leaf *leaf;
    unsigned idx;
};

enum iova_tree_err {
    IOVA_TREE_OK = 0,
    IOVA_TREE_OVERLAP = -1, /* insert: an entry intersects the new one */
    IOVA_TREE_INVAL = -2,   /* insert: last < iova */
    IOVA_TREE_NOMEM = -3,
    IOVA_TREE_NOENT = -4, /* remove: no entry starts there */
};

struct iova_tree *iova_tree_new(void);
void iova_tree_free(struct iova_tree *t);
void iova_tree_clear(struct iova_tree *t);
size_t iova_tree_count(const struct iova_tree *t);

int iova_tree_insert(struct iova_tree *t, const struct iova_map *m);
/* Remove the entry whose first byte is iova (and copy it to *out). */
int iova_tree_remove(struct iova_tree *t, uint64_t iova, struct iova_map *out);

/* The lowest entry intersecting [first, last], or NULL. The pointer is
 * valid until the next insert or remove. */
const struct iova_map *iova_tree_find(const struct iova_tree *t, uint64_t first,
                                      uint64_t last);

/* Iteration in address order: seek to the first entry ending at or after
 * addr; get returns NULL past the end. */
void iova_tree_seek(const struct iova_tree *t, uint64_t addr,
                    struct iova_iter *it);
const struct iova_map *iova_iter_get(const struct iova_iter *it);
void iova_iter_next(struct iova_iter *it);

/* Call fn for every entry in order until it returns false. */
void iova_tree_foreach(const struct iova_tree *t,
                       bool (*fn)(const struct iova_map *m, void *opaque),
                       void *opaque);

/* Structural self-check for tests: order, disjointness, fill, separators,
 * links. Returns NULL or what is wrong. */
const char *iova_tree_verify(const struct iova_tree *t);

#endif
