/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/pci.c — enumeration and BAR sizing.
 */
#include <string.h>

#include "lib/pci.h"
#include "lib/platform.h"
#include "lib/printf.h"

static struct pci_dev devs[PCI_MAX_DEVS];
static unsigned nr_devs;
static unsigned dropped;

uint32_t pci_read32(const struct pci_dev *d, uint16_t off)
{
    return plat_pci_read32(d->seg, d->bus, d->dev, d->fn, off & ~3);
}

uint16_t pci_read16(const struct pci_dev *d, uint16_t off)
{
    return (uint16_t)(pci_read32(d, off) >> ((off & 2) * 8));
}

uint8_t pci_read8(const struct pci_dev *d, uint16_t off)
{
    return (uint8_t)(pci_read32(d, off) >> ((off & 3) * 8));
}

void pci_write32(const struct pci_dev *d, uint16_t off, uint32_t val)
{
    plat_pci_write32(d->seg, d->bus, d->dev, d->fn, off & ~3, val);
}

void pci_command(const struct pci_dev *d, uint16_t set, uint16_t clear)
{
    uint16_t cmd = pci_read16(d, PCI_COMMAND);

    /* Upper half zero: writing 0 to the status bits changes none. */
    pci_write32(d, PCI_COMMAND, (uint16_t)((cmd & ~clear) | set));
}

uint16_t pci_status_take(const struct pci_dev *d, uint16_t mask)
{
    uint32_t v = pci_read32(d, PCI_COMMAND);
    uint16_t set = (uint16_t)(v >> 16) & mask;

    if (set)
        pci_write32(d, PCI_COMMAND, (uint32_t)set << 16 | (uint16_t)v);
    return set;
}

uint8_t pci_find_cap(const struct pci_dev *d, uint8_t id)
{
    uint8_t ptr;

    if (!(pci_read16(d, 0x06) & (1u << 4))) /* status: capabilities */
        return 0;
    ptr = pci_read8(d, PCI_CAP_PTR) & 0xFC;
    for (unsigned n = 0; ptr >= 0x40 && n < 48; n++) {
        if (pci_read8(d, ptr) == id)
            return ptr;
        ptr = pci_read8(d, ptr + 1) & 0xFC;
    }
    return 0;
}

static void size_bars(struct pci_dev *d)
{
    unsigned nbars = (d->header_type & 0x7F) == 0   ? 6
                     : (d->header_type & 0x7F) == 1 ? 2
                                                    : 0;
    uint16_t cmd = pci_read16(d, PCI_COMMAND);

    /* No decoding while the BARs hold all ones. */
    pci_command(d, 0, PCI_CMD_IO | PCI_CMD_MEM);
    for (unsigned i = 0; i < nbars; i++) {
        uint16_t off = PCI_BAR0 + 4 * i;
        uint32_t orig = pci_read32(d, off), probe, hi_orig = 0, hi_probe = 0;
        struct pci_bar *b = &d->bar[i];

        pci_write32(d, off, 0xFFFFFFFF);
        probe = pci_read32(d, off);
        pci_write32(d, off, orig);
        if (!probe || probe == 0xFFFFFFFF)
            continue;
        if (orig & 1) { /* I/O */
            b->base = orig & ~3u;
            b->size = (uint16_t) ~(probe & ~3u) + 1u;
            b->present = true;
            continue;
        }
        b->mem = true;
        b->prefetch = orig & 8;
        b->mem64 = ((orig >> 1) & 3) == 2;
        if (b->mem64 && i + 1 < nbars) {
            hi_orig = pci_read32(d, off + 4);
            pci_write32(d, off + 4, 0xFFFFFFFF);
            hi_probe = pci_read32(d, off + 4);
            pci_write32(d, off + 4, hi_orig);
        }
        b->base = ((uint64_t)hi_orig << 32) | (orig & ~0xFull);
        b->size = ~(((uint64_t)(b->mem64 ? hi_probe : 0xFFFFFFFF) << 32) |
                    (probe & ~0xFull)) +
                  1;
        b->present = b->size != 0;
        if (b->mem64)
            i++; /* upper half used */
    }
    pci_write32(d, PCI_COMMAND, cmd);
}

static void scan_bus(uint16_t seg, uint8_t bus, int parent, unsigned depth,
                     uint8_t *seen)
{
    if (depth > 32 || (seen[bus / 8] & (1u << (bus % 8))))
        return; /* loop or absurd depth */
    seen[bus / 8] |= 1u << (bus % 8);

    for (uint8_t dev = 0; dev < 32; dev++) {
        for (uint8_t fn = 0; fn < 8; fn++) {
            uint32_t id = plat_pci_read32(seg, bus, dev, fn, PCI_VENDOR_ID);
            struct pci_dev *d;
            uint32_t cr;

            if ((id & 0xFFFF) == 0xFFFF || (id & 0xFFFF) == 0) {
                if (fn == 0)
                    break;
                continue;
            }
            if (nr_devs == PCI_MAX_DEVS) {
                dropped++;
                continue;
            }
            d = &devs[nr_devs];
            memset(d, 0, sizeof(*d));
            d->seg = seg;
            d->bus = bus;
            d->dev = dev;
            d->fn = fn;
            d->vendor = (uint16_t)id;
            d->device = (uint16_t)(id >> 16);
            cr = pci_read32(d, PCI_CLASS_REV);
            d->class_code = (uint8_t)(cr >> 24);
            d->subclass = (uint8_t)(cr >> 16);
            d->prog_if = (uint8_t)(cr >> 8);
            d->header_type = pci_read8(d, PCI_HEADER_TYPE);
            d->parent = parent;
            nr_devs++;
            size_bars(d);
            if ((d->header_type & 0x7F) == 1) {
                uint32_t bn = pci_read32(d, PCI_BUS_NUMBERS);

                d->sec_bus = (uint8_t)(bn >> 8);
                d->sub_bus = (uint8_t)(bn >> 16);
                if (d->sec_bus > bus)
                    scan_bus(seg, d->sec_bus, (int)(d - devs), depth + 1, seen);
            }
            if (fn == 0 && !(d->header_type & 0x80))
                break; /* single-function device */
        }
    }
}

int pci_enumerate(uint16_t seg)
{
    uint8_t seen[32] = { 0 };

    nr_devs = 0;
    dropped = 0;
    scan_bus(seg, 0, -1, 0, seen);
    if (dropped)
        vt_printf("# pci: %u functions beyond the table of %u ignored\n",
                  dropped, PCI_MAX_DEVS);
    return (int)nr_devs;
}

unsigned pci_count(void)
{
    return nr_devs;
}

const struct pci_dev *pci_find(uint16_t vendor, uint16_t device, unsigned index)
{
    for (unsigned i = 0; i < nr_devs; i++)
        if (devs[i].vendor == vendor && devs[i].device == device &&
            index-- == 0)
            return &devs[i];
    return NULL;
}
