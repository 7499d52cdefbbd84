/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/ioapic.h — an I/O APIC's redirection table, through MMIO (82093AA
 * register interface: IOREGSEL at +0, IOWIN at +0x10), for interrupts
 * that reach the remapping unit from a pin. A redirection entry in
 * remappable format (VT-d 5.1.5.1) carries an interrupt index instead of
 * a destination; the I/O APIC copies the entry's bits into the message
 * it sends, so the same bits mean handle and format there (5.1.2.2).
 */
#ifndef LIB_IOAPIC_H
#define LIB_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/bits.h"

/* clang-format off */
#define IOAPIC_REGSEL       0x00
#define IOAPIC_WIN          0x10
#define IOAPIC_REG_VER      0x01
#define   IOAPIC_VER_MRE    GENMASK64(23, 16)   /* pins - 1 */
#define IOAPIC_REG_RTE(n)   (0x10 + 2 * (n))    /* low dword; high at +1 */
#define IOAPIC_RTE_VECTOR   GENMASK64(7, 0)
#define IOAPIC_RTE_DLM      GENMASK64(10, 8)
#define IOAPIC_RTE_DM       BIT64(11)   /* remappable: index bit 15 */
#define IOAPIC_RTE_TM       BIT64(15)   /* 1: level */
#define IOAPIC_RTE_MASK     BIT64(16)
#define IOAPIC_RTE_FORMAT   BIT64(48)   /* 1: remappable (VT-d 5.1.5.1) */
#define IOAPIC_RTE_INDEX    GENMASK64(63, 49)   /* index bits 14:0 */
#define IOAPIC_RTE_DEST     GENMASK64(63, 56)   /* compatibility format */
/* clang-format on */

struct ioapic {
    uint64_t base;
    unsigned pins;
};

/* Map the registers at base and read how many pins there are. Returns 0,
 * or -1 when nothing answers there. */
int ioapic_init(struct ioapic *io, uint64_t base);

uint64_t ioapic_rte_read(const struct ioapic *io, unsigned pin);
/* The high dword first, the low one (with the mask bit) last. */
void ioapic_rte_write(const struct ioapic *io, unsigned pin, uint64_t rte);

/* Edge-triggered, fixed delivery, unmasked entries. */
uint64_t ioapic_rte_remappable(unsigned index, uint8_t vector);
uint64_t ioapic_rte_compat(uint8_t dest, uint8_t vector);

#endif
