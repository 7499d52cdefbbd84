/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/cap.h — capability decode.
 */
#ifndef VTD_CAP_H
#define VTD_CAP_H

#include <stdbool.h>
#include <stdint.h>

struct vtd_caps {
    uint32_t ver;
    uint64_t cap, ecap;
    unsigned domains;  /* 2^(4 + 2*ND) */
    unsigned mgaw;     /* bits */
    unsigned sagaw;    /* bitmap */
    unsigned nfr;      /* fault recording registers */
    unsigned fro, iro; /* byte offsets */
    unsigned mamv;
};

void vtd_caps_decode(uint32_t ver, uint64_t cap, uint64_t ecap,
                     struct vtd_caps *out);

/* Prints the registers as readable tables (one "# " line each). */
void vtd_caps_print(const struct vtd_caps *c);

#endif
