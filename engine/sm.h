/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/sm.h — what the executor does for the statements of scalable
 * mode (engine/parse_sm.c parses them): the scalable-mode tables of a
 * scenario, attach through a PASID-table entry, raw edits of the
 * scalable-mode root, context, PASID directory and PASID-table entries,
 * and the PASID-cache and P_IOTLB descriptors. Private to the engine.
 */
#ifndef ENGINE_SM_H
#define ENGINE_SM_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/parse.h"
#include "vtd/pgtable.h"
#include "vtd/qi.h"
#include "vtd/sm.h"

struct scn_sm {
    bool on; /* set mode=scalable ran: attach, ctx, root mean these */
    struct vtd_smt t;
};

/* set mode=scalable: an empty scalable-mode root table. The caller has
 * switched the queue on, with 256-bit descriptors (6.5.2). */
int scn_sm_start(struct scn_sm *sm, struct vtd_unit *u);

/* After the scenario's clean-up (TE and QI off): a legacy root table
 * pointer latched again (TTM=00), so the next scenario starts in legacy
 * mode, and the tables freed. */
int scn_sm_end(struct scn_sm *sm, struct vtd_unit *u, uint64_t legacy_root_pa);

/* enable: RTADDR with TTM=01 and SRTP; without CAP.ESRTPS global
 * context-cache, PASID-cache and IOTLB invalidation through the queue
 * (6.5.2.1, 6.5.2.2); then TE. */
int scn_sm_enable(struct scn_sm *sm, struct vtd_unit *u);

/* attach DEV DOMAIN|passthrough: the context entry of sid and the
 * PASID-table entry of st->pasid with the PGTT asked for (d is NULL for
 * passthrough). *did: the DID the entry carries. */
int scn_sm_attach(struct scn_sm *sm, uint16_t sid, const struct scn_stmt *st,
                  const struct vtd_domain *d, uint16_t *did);
int scn_sm_detach(struct scn_sm *sm, uint16_t sid);

/* ctx, root, pasid, pdir: (word & ~clear) | set of the raw entry. */
int scn_sm_edit(struct scn_sm *sm, uint16_t sid, const struct scn_stmt *st);

/* Descriptor i of an inv pc / inv piotlb statement at addr. */
struct vtd_desc scn_sm_desc(const struct scn_stmt *st, uint64_t addr,
                            unsigned am, unsigned i);

#endif
