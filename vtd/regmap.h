/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/regmap.h — the register file as the architecture lays it out
 * (rev 5.10, 11.4): which register holds each offset of a unit's register
 * space, its name, its width, and the capability that brings it.
 *
 * A register whose capability the unit lacks is reserved there (11.4.9.1:
 * "treated as RsvdZ by implementations reporting QI as not supported", and
 * the same for every capability-gated block). The IOTLB pair and the fault
 * recording registers sit where the unit says (ECAP.IRO, CAP.FRO), so the
 * map is asked with a unit. Where the architecture leaves it open whether a
 * register exists (FEUADDR without EIM, the protected-memory registers
 * without PLMR/PHMR, which "may" be RsvdZ or read-only), the map counts it
 * as a register: probes of reserved space never touch it.
 */
#ifndef VTD_REGMAP_H
#define VTD_REGMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtd/unit.h"

/* Where an entry's offset is counted from. */
enum vtd_reg_place {
    VTD_REG_FIXED = 0, /* from the register base */
    VTD_REG_AT_IRO,    /* from ECAP.IRO * 16 (IVA, IOTLB) */
    VTD_REG_AT_FRO,    /* from CAP.FRO * 16 (FRCD[0..NFR]) */
};

struct vtd_reg_info {
    const char *name;   /* lower case, as scripts name it: "gsts" */
    uint32_t off;       /* from its place */
    uint32_t size;      /* bytes the entry spans; 0: 16 * NFR */
    uint8_t width;      /* of one register in it: 4 or 8 (FRCD: 8,
                         * two qwords each) */
    uint8_t place;      /* enum vtd_reg_place */
    uint64_t cap, ecap; /* present when CAP has any of cap or ECAP
                         * any of ecap; both 0: always */
};

/* The entry of that name (n characters, lower case), or NULL. */
const struct vtd_reg_info *vtd_reg_by_name(const char *s, size_t n);

/* Whether the unit has the entry (its capability), and where it starts
 * and how many bytes it spans in this unit. */
bool vtd_reg_present(const struct vtd_unit *u, const struct vtd_reg_info *r);
uint64_t vtd_reg_start(const struct vtd_unit *u, const struct vtd_reg_info *r);
uint64_t vtd_reg_span(const struct vtd_unit *u, const struct vtd_reg_info *r);

/* The present entry holding byte off of the unit's register space, or
 * NULL when the byte is reserved in this unit. */
const struct vtd_reg_info *vtd_reg_at(const struct vtd_unit *u, uint64_t off);

/* Whether every byte of [off, off + len) is reserved in this unit. */
bool vtd_reg_reserved(const struct vtd_unit *u, uint64_t off, uint64_t len);

/* A one-bit capability field of CAP or ECAP: "PSI", "QI", ... */
struct vtd_cap_field {
    const char *name; /* upper case, as the specification names it */
    bool ecap;        /* in ECAP (else CAP) */
    uint64_t mask;
    const char *what; /* what it announces, for humans */
};

/* Every such field, CAP's then ECAP's; *count of them. */
const struct vtd_cap_field *vtd_cap_fields(unsigned *count);

#endif
