/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/gen.h — random guests for the shadow harness.
 *
 * A scenario is a machine configuration and a sequence of guest
 * operations, each a few statements that change the tables or the context
 * entries and then issue the invalidations a correct driver issues right
 * after (so after every invalidation the shadow must equal the tables).
 * The sloppy guest issues bigger ones: larger address masks, a domain or
 * global flush instead of a page-selective one, a coarser context-cache
 * flush, extra flushes of nothing. Everything is decided by the seed.
 *
 * On a violation the operation sequence is shrunk (operations are removed
 * while the same kind of violation still happens) and printed as a
 * scenario script, with the machine's configuration in a comment that
 * `shadow-random --replay` reads back.
 */
#ifndef HARNESS_SHADOW_GEN_H
#define HARNESS_SHADOW_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/parse.h"
#include "harness/shadow/machine.h"

struct sh_oprange {
    unsigned first, count; /* statements */
};

struct sh_run {
    uint64_t seed;
    bool sloppy;
    struct sh_config cfg;
    struct scn_scenario scn; /* its domains (dom[], ndom) */
    struct scn_stmt *st;
    unsigned nst, capst;
    struct sh_oprange *op; /* op[0]: the domains, never removed */
    unsigned nop, capop;
    /* outcome */
    enum sh_violation violation;
    unsigned violation_op;
    char why[512];
    uint64_t checks, full_checks, invalidations;
    uint64_t events;            /* MAP + UNMAP events the layer sent */
    struct vtd_notify_stats ns; /* the layer's counters */
    uint64_t vhost_hits, vhost_flushes;
    uint64_t host_acts[SH_HOST_KINDS]; /* replays, reattaches, regroups */
};

void sh_run_free(struct sh_run *r);

/* Declare domain d of r's scenario (domain dN did=did aw=aw). */
void sh_run_domain(struct sh_run *r, unsigned d, uint16_t did, unsigned aw);

/* Generate and run one scenario of nops operations. Returns the violation
 * (SHV_NONE when none); r keeps the operations for shrinking/printing. */
enum sh_violation sh_random_scenario(uint64_t seed, bool sloppy, unsigned nops,
                                     unsigned mutate, struct sh_run *r);

/* Run r's operations (those with keep[i], all when keep is NULL) on a fresh
 * machine. Returns the violation, or -1 when a statement does not apply
 * (the sequence is not a valid guest). */
int sh_run_replay(const struct sh_run *r, const bool *keep, char *why,
                  size_t whylen, unsigned *at_op);

/* Shrink r to a minimal sequence with the same kind of violation; returns
 * the number of replays it took. */
unsigned sh_shrink(struct sh_run *r);

/* The sequence as a scenario script. */
void sh_print_script(FILE *f, const struct sh_run *r, const char *title);

/* Parse a script printed by sh_print_script (the configuration comment
 * and the statements) into r. Returns 0, or -1 with a message on stderr. */
int sh_read_script(const char *text, size_t len, struct sh_run *r);

#endif
