/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/hosted/platform.c — lib/platform.h for the hosted machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/hosted/hosted.h"
#include "harness/plat_mmio.h"
#include "lib/alloc.h"
#include "lib/platform.h"

FILE *hm_console;

static struct range_alloc ram_free;
static bool ram_free_ready;

/* ------------------------------------------------------------ console */

void plat_console_write(const char *buf, size_t len)
{
    fwrite(buf, 1, len, hm_console ? hm_console : stdout);
}

/* ---------------------------------------------------------------- MMIO */

/* plat_mmio_* are harness/plat_mmio.c's. */
uint64_t host_mmio_read(uint64_t pa, unsigned size)
{
    return hm_mmio_read(pa, size);
}

void host_mmio_write(uint64_t pa, unsigned size, uint64_t val)
{
    hm_mmio_write(pa, size, val);
}

/* ------------------------------------------------------ PCI config space */

/* The 0xCF8/0xCFC mechanism's reach, straight into configuration space
 * (ECAM accesses come through plat_mmio_*). */
uint32_t plat_pci_cf8_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
    return hm_pci_cfg_read(bus, dev, fn, off, 4);
}

void plat_pci_cf8_write32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off,
                          uint32_t val)
{
    hm_pci_cfg_write(bus, dev, fn, off, 4, val);
}

/* ------------------------------------------------------- memory and DMA */

void *plat_phys_to_virt(uint64_t pa)
{
    return hm_ram(pa, 1);
}

uint64_t plat_virt_to_phys(const void *va)
{
    const uint8_t *p = va;

    /* Only guest RAM has a physical address; nothing else is reachable
     * by a device. */
    if (!hm.ram || p < hm.ram || p >= hm.ram + hm.ram_size)
        return ~0ull;
    return (uint64_t)(p - hm.ram);
}

static void ram_free_init(void)
{
    ra_init(&ram_free);
    ra_add(&ram_free, HM_LOW_RESERVED, hm.acpi_base - HM_LOW_RESERVED);
    ram_free_ready = true;
}

void *plat_alloc_aligned(size_t count, uint64_t align)
{
    uint64_t pa;

    if (!ram_free_ready)
        ram_free_init();
    if (!count || count > (hm.ram_size >> 12) || align < 4096 ||
        (align & (align - 1)) ||
        !ra_alloc(&ram_free, (uint64_t)count << 12, align, &pa))
        return NULL;
    memset(hm.ram + pa, 0, count << 12);
    return hm.ram + pa;
}

void *plat_alloc_pages(size_t count)
{
    return plat_alloc_aligned(count, 4096);
}

void plat_free_pages(void *va, size_t count)
{
    uint64_t pa = plat_virt_to_phys(va);

    if (va && count && pa != ~0ull)
        ra_free(&ram_free, pa, (uint64_t)count << 12);
}

void plat_flush_cache(const void *va, size_t len)
{
    /* The model reads the same bytes: only the compiler must not keep
     * them in registers. */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

void plat_wmb(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* ---------------------------------------------------------------- time */

uint64_t plat_now_ns(void)
{
    /* Reading the clock costs time, so every polling loop ends. */
    hm_clock_advance(hm.now + hm.cfg.tick_ns);
    return hm.now;
}

/* ---------------------------------------------------------- interrupts */

#define VEC_FIRST 0x30
#define VEC_LAST  0xEF

int plat_msi_alloc(plat_irq_fn fn, void *arg, uint64_t *msi_addr,
                   uint32_t *msi_data)
{
    for (unsigned v = VEC_FIRST; v <= VEC_LAST; v++) {
        if (hm.vec[v].fn)
            continue;
        hm.vec[v].fn = fn;
        hm.vec[v].arg = arg;
        /* Compatibility format, physical destination APIC 0, fixed. */
        *msi_addr = HM_MSI_BASE;
        *msi_data = v;
        return 0;
    }
    return -1;
}

int plat_msi_claim(unsigned vector, plat_irq_fn fn, void *arg,
                   uint64_t *msi_addr, uint32_t *msi_data)
{
    if (vector < 32 || vector > VEC_LAST || hm.vec[vector].fn)
        return -1;
    hm.vec[vector].fn = fn;
    hm.vec[vector].arg = arg;
    *msi_addr = HM_MSI_BASE;
    *msi_data = vector;
    return 0;
}

int plat_timer_irq_pulse(void)
{
    /* ISA IRQ 0 is the I/O APIC's pin 2 (the MADT's override). */
    hm_ioapic_edge(2);
    return 0;
}

void plat_wait_for_interrupt(uint64_t deadline_ns)
{
    uint64_t to = deadline_ns;

    if (hm_take_interrupts())
        return;
    /* Halt: nothing runs until the next timer or the deadline. */
    for (unsigned i = 0; i < hm.nr_timers; i++) {
        const struct hm_timer *t = hm.timers[i];

        if (t->armed && t->due < to)
            to = t->due;
    }
    hm_clock_advance(to);
    hm_take_interrupts();
}

/* ------------------------------------------------------- boot hand-over */

uint64_t plat_acpi_rsdp(void)
{
    return hm.rsdp;
}

bool plat_module(unsigned index, struct plat_module *out)
{
    if (index >= hm.nr_modules)
        return false;
    out->name = hm.modules[index].name;
    out->data = hm.modules[index].data;
    out->size = hm.modules[index].size;
    return true;
}

const char *plat_cmdline(void)
{
    return hm.cmdline;
}

/* --------------------------------------------------------------- exit */

/* The statuses QEMU's isa-debug-exit gives the guest's verdicts, so the
 * runner judges both machines alike: (0x10 + result) << 1 | 1. */
void plat_exit(enum plat_result result)
{
    int status = ((0x10 + (int)result) << 1) | 1;

    if (hm_console)
        fflush(hm_console);
    fflush(stdout);
    fprintf(stderr,
            "vtdhost: %llu ns of virtual time, %llu DMAs (%llu "
            "blocked requests), %llu interrupts taken, %llu MSIs dropped, "
            "%llu unclaimed MMIO accesses\n",
            (unsigned long long)hm.now, (unsigned long long)hm.dmas,
            (unsigned long long)hm.dma_faults,
            (unsigned long long)hm.irqs_taken,
            (unsigned long long)hm.msis_dropped,
            (unsigned long long)hm.mmio_unclaimed);
    if (hm_observer && hm_observer->finish)
        hm_observer->finish(stderr);
    if (hm_console && hm_console != stdout)
        fclose(hm_console);
    hm_destroy();
    exit(status);
}
