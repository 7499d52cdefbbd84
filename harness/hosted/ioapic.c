/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/hosted/ioapic.c — the hosted machine's I/O APIC: id 0, 24
 * pins at HM_IOAPIC_BASE (the MADT says so), IOREGSEL/IOWIN, every entry
 * masked at reset. An edge on an unmasked edge-triggered pin sends the
 * message its entry describes: the entry's bits copied into address and
 * data as an 82093AA does, so a remappable-format entry (VT-d 5.1.5.1)
 * gives a remappable message. It comes from the I/O APIC's source-id
 * (ff:00.0, as the DMAR scope says) through the remapping unit. ISA IRQ 0
 * (the timer line) is pin 2, as on q35.
 */
#include "harness/hosted/hosted.h"
#include "lib/ioapic.h"

#define PINS       24
#define IOAPIC_SID 0xFF00 /* bus 0xFF, device 0, function 0 */

static struct {
    bool ready;
    uint32_t sel;
    uint64_t rte[PINS];
} io;

static void ready(void)
{
    if (io.ready)
        return;
    for (unsigned i = 0; i < PINS; i++)
        io.rte[i] = IOAPIC_RTE_MASK;
    io.ready = true;
}

static uint32_t window_read(void)
{
    unsigned pin = (io.sel - 0x10) / 2;

    if (io.sel == IOAPIC_REG_VER)
        return 0x11 | (PINS - 1) << 16;
    if (io.sel >= 0x10 && pin < PINS)
        return (uint32_t)(io.rte[pin] >> ((io.sel & 1) ? 32 : 0));
    return 0;
}

static void window_write(uint32_t val)
{
    unsigned pin = (io.sel - 0x10) / 2;

    if (io.sel < 0x10 || pin >= PINS)
        return;
    if (io.sel & 1)
        io.rte[pin] = (io.rte[pin] & 0xFFFFFFFFull) | (uint64_t)val << 32;
    else
        io.rte[pin] = (io.rte[pin] & ~0xFFFFFFFFull) | val;
}

uint64_t hm_ioapic_read(uint64_t off, unsigned size)
{
    ready();
    if (size != 4)
        return ~0ull;
    if (off == IOAPIC_REGSEL)
        return io.sel;
    if (off == IOAPIC_WIN)
        return window_read();
    return 0;
}

void hm_ioapic_write(uint64_t off, unsigned size, uint64_t val)
{
    ready();
    if (size != 4)
        return;
    if (off == IOAPIC_REGSEL)
        io.sel = (uint32_t)val & 0xFF;
    else if (off == IOAPIC_WIN)
        window_write((uint32_t)val);
}

void hm_ioapic_edge(unsigned pin)
{
    uint64_t rte, addr;

    ready();
    if (pin >= PINS)
        return;
    rte = io.rte[pin];
    /* Masked: dropped (nothing latches it here). Level-triggered pins
     * are not modelled. */
    if (rte & (IOAPIC_RTE_MASK | IOAPIC_RTE_TM))
        return;
    addr = HM_MSI_BASE | FIELD_GET(IOAPIC_RTE_INDEX, rte) << 5 |
           ((rte & IOAPIC_RTE_FORMAT) ? 1u << 4 : 0) |
           ((rte & IOAPIC_RTE_DM) ? 1u << 2 : 0);
    hm_device_msi(IOAPIC_SID, addr, (uint32_t)(rte & 0xFFFF));
}
