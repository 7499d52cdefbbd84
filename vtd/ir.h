/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/ir.h — interrupt remapping (spec 5.1, 9.10, 11.4.4, 11.4.10): the
 * interrupt remapping table and its entries in remapped and posted
 * format, the IRTA/SIRTP/IRE/CFI protocol, remappable-format MSI
 * addresses, and the interrupt index of an IR fault record.
 *
 * Entries are two 64-bit words with named fields; the word holding P is
 * written last. IEC invalidation goes by queue only (vtd/qi.h's
 * vtd_desc_iec): the architecture has no register for it.
 */
#ifndef VTD_IR_H
#define VTD_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtd/fault.h"
#include "vtd/unit.h"

/* clang-format off */
/* 9.10 Interrupt Remapping Table Entry, remapped format (IM=0): word 0 */
#define VTD_IRTE_P          BIT64(0)
#define VTD_IRTE_FPD        BIT64(1)
#define VTD_IRTE_DM         BIT64(2)    /* 1: logical destination */
#define VTD_IRTE_RH         BIT64(3)
#define VTD_IRTE_TM         BIT64(4)    /* 1: level */
#define VTD_IRTE_DLM        GENMASK64(7, 5)
#define VTD_IRTE_AVAIL      GENMASK64(11, 8)
#define VTD_IRTE_RSVD0      GENMASK64(14, 12)
#define VTD_IRTE_IM         BIT64(15)   /* 1: posted format (CAP.PI) */
#define VTD_IRTE_V          GENMASK64(23, 16)
#define VTD_IRTE_RSVD1      GENMASK64(31, 24)
#define VTD_IRTE_DST        GENMASK64(63, 32)   /* EIME=1: x2APIC ID */
#define VTD_IRTE_DST_XAPIC  GENMASK64(47, 40)   /* EIME=0: xAPIC ID */
/* word 1 */
#define VTD_IRTE_SID        GENMASK64(15, 0)
#define VTD_IRTE_SQ         GENMASK64(17, 16)
#define VTD_IRTE_SVT        GENMASK64(19, 18)
#define VTD_IRTE_RSVD_HI    GENMASK64(63, 20)
/* posted format (IM=1), 9.11: word 0 */
#define VTD_IRTE_URG        BIT64(14)
#define VTD_IRTE_VV         GENMASK64(23, 16)
#define VTD_IRTE_PDA_LO     GENMASK64(63, 38)   /* descriptor address 31:6 */
/* word 1 */
#define VTD_IRTE_PDA_HI     GENMASK64(63, 32)   /* descriptor address 63:32 */

/* SVT (9.10) */
#define VTD_SVT_NONE        0u
#define VTD_SVT_SID         1u  /* SID under the SQ mask */
#define VTD_SVT_BUS         2u  /* bus in [SID 15:8, SID 7:0] */

/* 5.1.2.2 remappable-format MSI address */
#define VTD_MSI_ADDR_BASE   0xFEE00000ull
#define VTD_MSI_HANDLE_15   BIT64(2)
#define VTD_MSI_SHV         BIT64(3)
#define VTD_MSI_IF          BIT64(4)    /* 1: remappable format */
#define VTD_MSI_HANDLE      GENMASK64(19, 5)
#define VTD_MSI_COMPAT_DEST GENMASK64(19, 12)

/* 5.1.4.1 interrupt remapping fault reasons */
#define VTD_FR_IR_REQ_RSVD  0x20
#define VTD_FR_IR_INDEX     0x21
#define VTD_FR_IR_NP        0x22
#define VTD_FR_IR_ACCESS    0x23
#define VTD_FR_IR_RSVD      0x24
#define VTD_FR_IR_COMPAT    0x25
#define VTD_FR_IR_SID       0x26
/* clang-format on */

struct vtd_irte {
    uint64_t lo, hi;
};
_Static_assert(sizeof(struct vtd_irte) == 16, "IRTE is 128 bits");

/* What a remapped-format entry says. dest is an APIC ID: in xAPIC form
 * (EIME=0) it goes to bits 47:40, in x2APIC form to 63:32. */
struct vtd_irte_req {
    uint8_t vector;
    uint8_t dlm; /* 0 fixed, 1 lowest priority, ... */
    bool dm, rh, tm, fpd;
    uint32_t dest;
    uint16_t sid;
    uint8_t sq, svt;
};

/* 9.10: a present remapped-format entry. */
struct vtd_irte vtd_irte_remapped(const struct vtd_irte_req *r, bool eime);

/* 9.11: a present posted-format entry (IM=1): virtual vector, posted
 * descriptor address (64-byte aligned), urgent; SID/SQ/SVT and FPD as in
 * the request (its other fields are not used). */
struct vtd_irte vtd_irte_posted(const struct vtd_irte_req *r, uint8_t vv,
                                uint64_t pda, bool urg);

/* An interrupt remapping table of 2^(s+1) entries (11.4.10: S 0..15). */
struct vtd_irt {
    struct vtd_unit *u;
    struct vtd_irte *e;
    uint64_t pa;
    unsigned s;
    unsigned nent;
    size_t pages;
};

/* Allocate a zeroed table (no entry present). Needs ECAP.IR. */
int vtd_irt_init(struct vtd_irt *t, struct vtd_unit *u, unsigned s);
void vtd_irt_destroy(struct vtd_irt *t);

/* Write entry index: the high word first, the low word (P) last, then
 * make it visible to the unit. VTD_ERANGE past the table. */
int vtd_irt_write(struct vtd_irt *t, unsigned index, struct vtd_irte e);
struct vtd_irte vtd_irt_read(const struct vtd_irt *t, unsigned index);

/* IRTA = table | EIME | S, then GCMD.SIRTP, acknowledged by IRTPS
 * (11.4.4: the unit uses IRTA only once SIRTP latched it). EIME needs
 * ECAP.EIM. With sirtp false only IRTA is written. */
int vtd_ir_set_table(struct vtd_unit *u, const struct vtd_irt *t, bool eime,
                     bool sirtp);

/* GCMD.IRE and GCMD.CFI, one field per write (vtd_gcmd_enable). */
int vtd_ir_enable(struct vtd_unit *u, bool on);
int vtd_ir_cfi(struct vtd_unit *u, bool on);

/* 5.1.2.2: the address of a remappable-format MSI with this handle
 * (0..65535), SHV as given. */
uint64_t vtd_msi_remappable(unsigned handle, bool shv);

/* 5.1.2.1: a compatibility-format MSI address to APIC dest (physical). */
uint64_t vtd_msi_compat(uint8_t dest);

/* Whether a fault reason is an interrupt remapping one (0x20..0x26), and
 * the interrupt index an IR fault record carries (FI bits 63:48, 11.4.14;
 * undefined for 0x25). */
bool vtd_fault_is_ir(unsigned reason);
unsigned vtd_fault_ir_index(const struct vtd_fault *f);

#endif
