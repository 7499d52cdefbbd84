/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/ioapic.c — I/O APIC redirection entries (see ioapic.h).
 */
#include "lib/ioapic.h"
#include "lib/platform.h"

static uint32_t reg_read(const struct ioapic *io, unsigned reg)
{
    plat_mmio_write32(io->base + IOAPIC_REGSEL, reg);
    return plat_mmio_read32(io->base + IOAPIC_WIN);
}

static void reg_write(const struct ioapic *io, unsigned reg, uint32_t val)
{
    plat_mmio_write32(io->base + IOAPIC_REGSEL, reg);
    plat_mmio_write32(io->base + IOAPIC_WIN, val);
}

int ioapic_init(struct ioapic *io, uint64_t base)
{
    uint32_t ver;

    io->base = base;
    io->pins = 0;
    if (!base || plat_mmio_map(base, 0x1000))
        return -1;
    ver = reg_read(io, IOAPIC_REG_VER);
    if (ver == 0xFFFFFFFFu)
        return -1;
    io->pins = (unsigned)FIELD_GET(IOAPIC_VER_MRE, ver) + 1;
    return 0;
}

uint64_t ioapic_rte_read(const struct ioapic *io, unsigned pin)
{
    uint64_t lo = reg_read(io, IOAPIC_REG_RTE(pin));

    return lo | (uint64_t)reg_read(io, IOAPIC_REG_RTE(pin) + 1) << 32;
}

void ioapic_rte_write(const struct ioapic *io, unsigned pin, uint64_t rte)
{
    reg_write(io, IOAPIC_REG_RTE(pin) + 1, (uint32_t)(rte >> 32));
    reg_write(io, IOAPIC_REG_RTE(pin), (uint32_t)rte);
}

uint64_t ioapic_rte_remappable(unsigned index, uint8_t vector)
{
    return IOAPIC_RTE_FORMAT | FIELD_PREP(IOAPIC_RTE_INDEX, index & 0x7FFF) |
           ((index & 0x8000) ? IOAPIC_RTE_DM : 0) |
           FIELD_PREP(IOAPIC_RTE_VECTOR, vector);
}

uint64_t ioapic_rte_compat(uint8_t dest, uint8_t vector)
{
    return FIELD_PREP(IOAPIC_RTE_DEST, dest) |
           FIELD_PREP(IOAPIC_RTE_VECTOR, vector);
}
