/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/pci_cfg.c — PCI configuration access for every backend: through ECAM
 * once plat_pci_use_ecam() has named a window (as found in ACPI MCFG),
 * otherwise through the backend's 0xCF8/0xCFC mechanism, which reaches
 * segment 0 and offsets below 256 only.
 */
#include "lib/platform.h"

static struct {
    uint64_t base;
    uint16_t seg;
    uint8_t bus_start, bus_end;
    bool on;
} ecam;

static bool ecam_covers(uint16_t seg, uint8_t bus)
{
    return ecam.on && seg == ecam.seg && bus >= ecam.bus_start &&
           bus <= ecam.bus_end;
}

static uint64_t ecam_addr(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    return ecam.base + ((uint64_t)(bus - ecam.bus_start) << 20) +
           ((uint64_t)(dev & 31) << 15) + ((uint64_t)(fn & 7) << 12) +
           (off & 0xFFC);
}

uint32_t plat_pci_read32(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
                         uint16_t off)
{
    if (off > 0xFFC)
        return 0xFFFFFFFF;
    if (ecam_covers(seg, bus))
        return plat_mmio_read32(ecam_addr(bus, dev, fn, off));
    if (seg != 0 || off > 0xFC)
        return 0xFFFFFFFF;
    return plat_pci_cf8_read32(bus, dev & 31, fn & 7, (uint8_t)(off & 0xFC));
}

void plat_pci_write32(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
                      uint16_t off, uint32_t val)
{
    if (off > 0xFFC)
        return;
    if (ecam_covers(seg, bus)) {
        plat_mmio_write32(ecam_addr(bus, dev, fn, off), val);
        return;
    }
    if (seg != 0 || off > 0xFC)
        return;
    plat_pci_cf8_write32(bus, dev & 31, fn & 7, (uint8_t)(off & 0xFC), val);
}

int plat_pci_use_ecam(uint64_t base, uint16_t seg, uint8_t bus_start,
                      uint8_t bus_end)
{
    if (bus_end < bus_start || (base & 0xFFFFF))
        return -1;
    if (plat_mmio_map(base, (uint64_t)(bus_end - bus_start + 1) << 20))
        return -1;
    ecam.base = base;
    ecam.seg = seg;
    ecam.bus_start = bus_start;
    ecam.bus_end = bus_end;
    ecam.on = true;
    return 0;
}
