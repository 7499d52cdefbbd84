/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/fault.h — primary fault logging (spec 7.2.1, 10.4.9, 10.4.14):
 * read and clear the fault recording registers, decode them.
 */
#ifndef VTD_FAULT_H
#define VTD_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "vtd/unit.h"

/* Legacy-mode DMA-remapping fault reasons (7.1.3, vtd-facts 8.4). */
#define VTD_FR_ROOT_NP     0x01
#define VTD_FR_CTX_NP      0x02
#define VTD_FR_CTX_INVALID 0x03
#define VTD_FR_ADDR_WIDTH  0x04
#define VTD_FR_WRITE       0x05
#define VTD_FR_READ        0x06
#define VTD_FR_PTE_ACCESS  0x07
#define VTD_FR_ROOT_ACCESS 0x08
#define VTD_FR_CTX_ACCESS  0x09
#define VTD_FR_ROOT_RSVD   0x0A
#define VTD_FR_CTX_RSVD    0x0B
#define VTD_FR_PTE_RSVD    0x0C
#define VTD_FR_TT_BLOCKED  0x0D

struct vtd_fault {
    unsigned index; /* FRCD register it came from */
    uint64_t addr;  /* FI: page address (IR faults: index << 48) */
    uint16_t sid;
    uint8_t reason;
    bool read; /* T=1: read (or AtomicOp); T=0: write */
    bool pp, exe, priv;
    uint32_t pasid; /* valid when pp */
    unsigned at;
    uint64_t lo, hi; /* the raw record */
};

struct vtd_fault_log {
    uint32_t fsts; /* FSTS before anything was cleared */
    bool pfo;      /* primary fault overflow was set */
    unsigned n;    /* records read */
    unsigned lost; /* records beyond the caller's array */
    struct vtd_fault rec[8];
};

/*
 * Read every pending record starting at FSTS.FRI (7.2.1: the index of the
 * first one), following the circular order until a record with F=0,
 * clearing each (W1C F). Then clear PFO when set. IQE/ICE/ITE are left
 * alone: they belong to the invalidation queue. Returns the count.
 */
unsigned vtd_fault_collect(struct vtd_unit *u, struct vtd_fault_log *log);

/* Read (without clearing) FRCD[index]. */
void vtd_fault_read(const struct vtd_unit *u, unsigned index,
                    struct vtd_fault *f);
bool vtd_fault_pending(const struct vtd_unit *u, unsigned index);
void vtd_fault_clear(struct vtd_unit *u, unsigned index);

/* Clear every FRCD.F and every W1C status bit in FSTS (IQE included). */
void vtd_fault_clear_all(struct vtd_unit *u);

/* Name of a fault reason (legacy, interrupt-remapping and scalable-mode
 * codes); "reserved" when unknown. */
const char *vtd_fault_reason_name(unsigned reason);

/* One "# " line: reason by name, SID as b:d.f, address, access type. */
void vtd_fault_print(const struct vtd_fault *f);

#endif
