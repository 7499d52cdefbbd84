/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/pci.h — PCI enumeration, BARs and command bits, over the platform's
 * configuration access. Portable.
 */
#ifndef LIB_PCI_H
#define LIB_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_MAX_DEVS 128

/* clang-format off */
#define PCI_VENDOR_ID       0x00
#define PCI_COMMAND         0x04
#define   PCI_CMD_IO        (1u << 0)
#define   PCI_CMD_MEM       (1u << 1)
#define   PCI_CMD_MASTER    (1u << 2)
#define   PCI_CMD_INTX_OFF  (1u << 10)
#define PCI_STATUS          0x06
/* A request of this function ended in an Unsupported Request completion
 * (PCI Local Bus 3.0, 6.2.3; PCIe Base 7.5.1.1.14: "Received Master
 * Abort"). Write 1 to clear. */
#define   PCI_STS_RMA       (1u << 13)
#define PCI_CLASS_REV       0x08
#define PCI_HEADER_TYPE     0x0E        /* byte in the dword at 0x0C */
#define PCI_BAR0            0x10
#define PCI_BUS_NUMBERS     0x18        /* primary, secondary, subordinate */
#define PCI_CAP_PTR         0x34
/* clang-format on */

struct pci_bar {
    uint64_t base;
    uint64_t size;
    bool present, mem, mem64, prefetch;
};

struct pci_dev {
    uint16_t seg;
    uint8_t bus, dev, fn;
    uint16_t vendor, device;
    uint8_t class_code, subclass, prog_if, header_type;
    uint8_t sec_bus, sub_bus; /* bridges (header type 1) */
    int parent;               /* index of the bridge above, -1 */
    struct pci_bar bar[6];
};

/* Scan a segment from bus 0 through every bridge (bounded, loop-safe) and
 * size the BARs. Returns the number of functions found. */
int pci_enumerate(uint16_t seg);

unsigned pci_count(void);
/* The index-th function with this vendor/device id, or NULL. */
const struct pci_dev *pci_find(uint16_t vendor, uint16_t device,
                               unsigned index);

static inline uint16_t pci_sid(const struct pci_dev *d)
{
    return (uint16_t)(d->bus << 8 | d->dev << 3 | d->fn);
}

uint32_t pci_read32(const struct pci_dev *d, uint16_t off);
uint16_t pci_read16(const struct pci_dev *d, uint16_t off);
uint8_t pci_read8(const struct pci_dev *d, uint16_t off);
void pci_write32(const struct pci_dev *d, uint16_t off, uint32_t val);

/* Set/clear bits of the command register without touching the status
 * register's write-1-to-clear bits. */
void pci_command(const struct pci_dev *d, uint16_t set, uint16_t clear);

/* The status register's write-1-to-clear bits of mask that are set;
 * they are cleared. The command register is written back unchanged. */
uint16_t pci_status_take(const struct pci_dev *d, uint16_t mask);

/* Offset of capability id in the standard list, or 0. Bounded walk. */
uint8_t pci_find_cap(const struct pci_dev *d, uint8_t id);

#endif
