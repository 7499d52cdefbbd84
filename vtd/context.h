/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/context.h — the legacy root table and its context tables (spec 3.4.2,
 * 9.1, 9.3): one root table per struct vtd_rt, context tables allocated per
 * bus on first use, entries for any bus/devfn.
 *
 * Changing an entry here does not invalidate anything: the caller follows
 * it with the context-cache and IOTLB invalidations 6.5 asks for (vtd/inv.h
 * or vtd/qi.h), which is what the suite checks.
 */
#ifndef VTD_CONTEXT_H
#define VTD_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "vtd/entries.h"
#include "vtd/unit.h"

struct vtd_domain;

struct vtd_rt {
    struct vtd_unit *u;
    struct vtd_root_entry *root;
    uint64_t root_pa;
    struct vtd_ctx_entry *ctx[VTD_ROOT_ENTRIES]; /* per bus, or NULL */
};

/* What a context entry says (9.3). */
struct vtd_ctx_cfg {
    unsigned tt; /* VTD_TT_* */
    unsigned aw; /* VTD_AW_*: must be in CAP.SAGAW */
    uint16_t did;
    uint64_t slptptr; /* second-level root; ignored for TT=PT */
    bool fpd;         /* fault processing disable */
};

static inline uint16_t vtd_sid(uint8_t bus, uint8_t dev, uint8_t fn)
{
    return (uint16_t)(bus << 8 | (dev & 0x1F) << 3 | (fn & 7));
}

/* Allocate an empty root table (all entries not present). */
int vtd_rt_init(struct vtd_rt *rt, struct vtd_unit *u);
/* Free the root and context tables. The unit must no longer use them. */
void vtd_rt_destroy(struct vtd_rt *rt);

/* Point the unit at this table: RTADDR (legacy TTM) + SRTP. */
int vtd_rt_install(struct vtd_rt *rt);

/*
 * Program the context entry of sid. Checks the configuration against the
 * unit (TT=PT needs ECAP.PT, TT=01 ECAP.DT, AW in SAGAW, DID within ND,
 * SLPTPTR within HAW): VTD_ENOTSUP / VTD_EINVAL otherwise. Makes the root
 * entry of the bus present if it was not. The high word is written first,
 * the word with P last.
 */
int vtd_ctx_set(struct vtd_rt *rt, uint16_t sid, const struct vtd_ctx_cfg *c);

/* The same without any check: for tests of invalid programming (reserved
 * TT, AW not in SAGAW, reserved bits). hi first, lo (with P) last. */
int vtd_ctx_set_raw(struct vtd_rt *rt, uint16_t sid, uint64_t lo, uint64_t hi);

/* Multi-level translation through domain d's tables, with its DID and AW. */
int vtd_ctx_attach(struct vtd_rt *rt, uint16_t sid, const struct vtd_domain *d);

/* Pass-through with domain id did (AW: the largest SAGAW value). */
int vtd_ctx_passthrough(struct vtd_rt *rt, uint16_t sid, uint16_t did);

/* Make the context entry not present (P cleared first, then the rest). */
int vtd_ctx_clear(struct vtd_rt *rt, uint16_t sid);

/* The entry of sid, or NULL when its bus has no context table yet. Write
 * through vtd_ctx_set_raw so caches are flushed. */
struct vtd_ctx_entry *vtd_ctx_entry(struct vtd_rt *rt, uint16_t sid);
struct vtd_root_entry *vtd_root_entry(struct vtd_rt *rt, uint8_t bus);

/* Write a root entry as given (hi first, lo last); tests corrupt it. */
int vtd_root_set_raw(struct vtd_rt *rt, uint8_t bus, uint64_t lo, uint64_t hi);

/* The largest AW encoding CAP.SAGAW allows, or -1 when none. */
int vtd_aw_max(const struct vtd_unit *u);

#endif
