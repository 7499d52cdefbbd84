/*
 * tests/guest/env.h — what the machine offers the suite: the remapping
 * unit(s) and the DMA-capable test devices, discovered once per run.
 */
#ifndef TESTS_GUEST_ENV_H
#define TESTS_GUEST_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/edu.h"

struct env {
    bool vtd_found;
    uint64_t vtd_base;          /* register base of the unit */
    uint16_t vtd_segment;
    const char *vtd_source;     /* how it was found, for messages */
    unsigned nr_edu;
    struct edu edu[EDU_MAX];    /* initialised (BAR mapped, bus master on) */
    int edu_err[EDU_MAX];       /* edu_init result per device */
};

/* Discover (once) and return the environment. Never fails: what is missing
 * is recorded, and tests SKIP or ERROR on it with the reason. */
const struct env *env_get(void);

/* The register base of the unit that translates DMA from source-id sid,
 * or false (with the reason in *why) when there is none. */
bool env_unit_for(uint16_t sid, uint64_t *base, const char **why);

#endif
