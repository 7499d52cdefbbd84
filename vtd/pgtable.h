/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/pgtable.h — domains and their second-level page tables (spec 3.7,
 * 9.8): 3-, 4- or 5-level tables as CAP.SAGAW allows, 4 KiB / 2 MiB / 1 GiB
 * leaves as CAP.SLLPS allows, per-entry read/write.
 *
 * Every operation is bounded by the domain's input-address width
 * min(AGAW, MGAW): an IOVA range outside it is VTD_ERANGE. Entries are
 * flushed from the CPU cache when ECAP.C=0. Nothing here invalidates the
 * IOTLB: callers do, as the test at hand wants.
 */
#ifndef VTD_PGTABLE_H
#define VTD_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "vtd/entries.h"
#include "vtd/unit.h"

/* Permissions: the R and W bits of a second-level entry. */
#define VTD_PERM_NONE 0u
#define VTD_PERM_R    ((unsigned)VTD_SL_R)
#define VTD_PERM_W    ((unsigned)VTD_SL_W)
#define VTD_PERM_RW   (VTD_PERM_R | VTD_PERM_W)

struct vtd_domain {
    struct vtd_unit *u;
    uint16_t did;
    unsigned aw; /* VTD_AW_*: levels = aw + 2 */
    unsigned levels;
    unsigned width; /* input address bits: min(AGAW, MGAW) */
    /* First-stage tables (9.7): P and R/W for the R and W of a
     * second-stage entry, U/S set at every level (requests without PASID
     * are user requests, 3.6.2). Scalable mode only. */
    bool fs;
    uint64_t *root;
    uint64_t root_pa;
    unsigned tables; /* table pages allocated, root included */
    /* Every table page, in a chain of bookkeeping pages: freed only at
     * destroy (a page replaced by a merge may still be walked until the
     * caller invalidates; a corrupted entry may point anywhere). */
    void **book;
    unsigned book_used;
};

/* A domain with an empty table of `levels` levels (3, 4 or 5; must be in
 * CAP.SAGAW, else VTD_ENOTSUP). did 0 is allowed here; with CAP.CM the
 * hardware tags invalid entries with DID 0, so tests avoid it. */
int vtd_dom_init(struct vtd_domain *d, struct vtd_unit *u, uint16_t did,
                 unsigned levels);
/* A domain with empty first-stage tables of 4 or 5 levels (5 needs
 * CAP.FS5LP); its width is the lower canonical half (47 or 56 bits). */
int vtd_dom_init_fs(struct vtd_domain *d, struct vtd_unit *u, uint16_t did,
                    unsigned levels);
/* Free every table page. The unit must no longer walk them. */
void vtd_dom_destroy(struct vtd_domain *d);

/* Whether a leaf of this size (4 KiB, 2 MiB, 1 GiB) is allowed: SLLPS
 * and the number of levels. */
bool vtd_dom_page_ok(const struct vtd_domain *d, uint64_t page_size);

/*
 * Map [iova, iova+size) to [pa, pa+size) with perm, using leaves of
 * page_size (VTD_SIZE_4K/2M/1G), or the largest allowed size that fits
 * each step when page_size is 0. iova, pa and size must be aligned to the
 * leaf size used. A present entry in the way is VTD_EEXIST; what was
 * mapped before it stays mapped.
 */
int vtd_map(struct vtd_domain *d, uint64_t iova, uint64_t pa, uint64_t size,
            unsigned perm, uint64_t page_size);

/* Clear the leaves covering [iova, iova+size). A large leaf only partly
 * inside the range is VTD_ERANGE (split it first). Not-present parts are
 * skipped. Table pages stay in place. */
int vtd_unmap(struct vtd_domain *d, uint64_t iova, uint64_t size);

/* Set the R/W bits of every leaf in [iova, iova+size) to perm (including
 * VTD_PERM_NONE, which makes them not present). Same alignment rule as
 * unmap; nothing mapped is VTD_ENOENT. */
int vtd_protect(struct vtd_domain *d, uint64_t iova, uint64_t size,
                unsigned perm);

/* Replace the large leaf at level (2 or 3) covering iova by a table of
 * next-level leaves with the same addresses and permissions. */
int vtd_split(struct vtd_domain *d, uint64_t iova, unsigned level);

/* The reverse: the table under the level-`level` entry covering iova must
 * hold 512 present leaves, contiguous, aligned and with equal permissions
 * (SLLPS must allow the size), else VTD_EINVAL. The table page is retired
 * (freed at vtd_dom_destroy). */
int vtd_merge(struct vtd_domain *d, uint64_t iova, unsigned level);

/* The result of a software walk. */
struct vtd_walk {
    uint64_t pte[6]; /* entry read at each level (index = level) */
    unsigned level;  /* leaf level, or where the walk stopped */
    unsigned perm;   /* R/W granted by every level walked */
    uint64_t pa;     /* translated address, when mapped */
    uint64_t page_size;
};

/* Walk the tables as the hardware would for iova (9.8): VTD_OK with the
 * translation, VTD_ENOENT when an entry on the way is not present (level
 * says where), VTD_ERANGE beyond the domain's width. */
int vtd_lookup(const struct vtd_domain *d, uint64_t iova, struct vtd_walk *w);

/*
 * The entry at `level` on the walk for iova, for tests that corrupt it
 * (set reserved bits, clear R/W, change the address). NULL when the walk
 * does not reach that level (an upper entry is not present or a leaf).
 */
uint64_t *vtd_pte_ptr(const struct vtd_domain *d, uint64_t iova,
                      unsigned level);
/* Read or write it; set flushes the cache line. VTD_ENOENT when the level
 * is not reached. */
int vtd_pte_get(const struct vtd_domain *d, uint64_t iova, unsigned level,
                uint64_t *val);
int vtd_pte_set(struct vtd_domain *d, uint64_t iova, unsigned level,
                uint64_t val);

#endif
