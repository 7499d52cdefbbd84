/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/plat_mmio.c — plat_mmio_* (lib/platform.h) through the
 * machine's host_mmio_read and host_mmio_write (harness/plat_mmio.h).
 */
#include "harness/plat_mmio.h"
#include "lib/platform.h"

int plat_mmio_map(uint64_t pa, uint64_t len)
{
    /* Nothing to map; refuse what no mapping could cover. */
    return len == 0 || pa + len < pa ? -1 : 0;
}

uint8_t plat_mmio_read8(uint64_t pa)
{
    return (uint8_t)host_mmio_read(pa, 1);
}

uint16_t plat_mmio_read16(uint64_t pa)
{
    return (uint16_t)host_mmio_read(pa, 2);
}

uint32_t plat_mmio_read32(uint64_t pa)
{
    return (uint32_t)host_mmio_read(pa, 4);
}

uint64_t plat_mmio_read64(uint64_t pa)
{
    return host_mmio_read(pa, 8);
}

void plat_mmio_write8(uint64_t pa, uint8_t val)
{
    host_mmio_write(pa, 1, val);
}

void plat_mmio_write16(uint64_t pa, uint16_t val)
{
    host_mmio_write(pa, 2, val);
}

void plat_mmio_write32(uint64_t pa, uint32_t val)
{
    host_mmio_write(pa, 4, val);
}

void plat_mmio_write64(uint64_t pa, uint64_t val)
{
    host_mmio_write(pa, 8, val);
}
