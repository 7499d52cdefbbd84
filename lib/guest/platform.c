/*
 * lib/guest/platform.c — lib/platform.h for the firmware.
 */
#include <string.h>

#include "lib/guest/guest.h"
#include "lib/guest/x86.h"
#include "lib/printf.h"
#include "lib/test.h"

/* ------------------------------------------------------------ console */

void plat_console_write(const char *buf, size_t len)
{
    serial_write(buf, len);
}

/* ---------------------------------------------------------------- MMIO */

int plat_mmio_map(uint64_t pa, uint64_t len)
{
    return paging_map_mmio(pa, len);
}

uint32_t plat_mmio_read32(uint64_t pa)
{
    return *(volatile uint32_t *)pa;
}

uint64_t plat_mmio_read64(uint64_t pa)
{
    return *(volatile uint64_t *)pa;
}

void plat_mmio_write32(uint64_t pa, uint32_t val)
{
    *(volatile uint32_t *)pa = val;
}

void plat_mmio_write64(uint64_t pa, uint64_t val)
{
    *(volatile uint64_t *)pa = val;
}

/* ------------------------------------------------------ PCI config space */

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

static uint32_t cf8_addr(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)(dev & 31) << 11 |
           (uint32_t)(fn & 7) << 8 | (off & 0xFC);
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
    outl(0xCF8, cf8_addr(bus, dev, fn, off));
    return inl(0xCFC);
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
    outl(0xCF8, cf8_addr(bus, dev, fn, off));
    outl(0xCFC, val);
}

int plat_pci_use_ecam(uint64_t base, uint16_t seg, uint8_t bus_start,
                      uint8_t bus_end)
{
    uint64_t len;

    if (bus_end < bus_start || (base & 0xFFFFF))
        return -1;
    len = (uint64_t)(bus_end - bus_start + 1) << 20;
    if (paging_map_mmio(base, len))
        return -1;
    ecam.base = base;
    ecam.seg = seg;
    ecam.bus_start = bus_start;
    ecam.bus_end = bus_end;
    ecam.on = true;
    return 0;
}

/* ------------------------------------------------------- memory and DMA */

void *plat_phys_to_virt(uint64_t pa)
{
    /* RAM is identity-mapped below 4 GiB; nothing above is RAM to us. */
    return pa < (4ull << 30) ? (void *)pa : NULL;
}

uint64_t plat_virt_to_phys(const void *va)
{
    return (uint64_t)va;
}

void plat_flush_cache(const void *va, size_t len)
{
    const char *p = (const char *)((uint64_t)va & ~63ull);
    const char *end = (const char *)va + len;

    for (; p < end; p += 64)
        clflush(p);
    mfence();
}

void plat_wmb(void)
{
    mfence();
}

/* ---------------------------------------------------------- interrupts */

int plat_msi_alloc(plat_irq_fn fn, void *arg, uint64_t *msi_addr,
                   uint32_t *msi_data)
{
    int vec = trap_vector_alloc(fn, arg);

    if (vec < 0)
        return -1;
    /* Compatibility format: fixed delivery, physical destination. */
    *msi_addr = 0xFEE00000ull | (uint64_t)(lapic_id() & 0xFF) << 12;
    *msi_data = (uint32_t)vec;
    return 0;
}

void plat_msi_free(uint32_t msi_data)
{
    trap_vector_free((int)(msi_data & 0xFF));
}

void plat_wait_for_interrupt(uint64_t deadline_ns)
{
    uint64_t now = plat_now_ns();

    if (now >= deadline_ns)
        return;
    if (lapic_timer_vector() < 0) {
        pause();                    /* no timer to bound HLT: poll */
        return;
    }
    lapic_timer_oneshot_ns(deadline_ns - now);
    sti_hlt_cli();
    lapic_timer_oneshot_ns(0);
}

/* --------------------------------------------------------------- exit */

void plat_exit(enum plat_result result)
{
    outb(DEBUG_EXIT_PORT, (uint8_t)(DEBUG_EXIT_BASE + result));
    /* Still here: no isa-debug-exit device. Say so and stop. */
    vt_printf("# no isa-debug-exit device at port 0x%x: halting\n",
              DEBUG_EXIT_PORT);
    for (;;) {
        cli();
        __asm__ volatile("hlt");
    }
}

/* ---------------------------------------------------------------- boot */

/* Both boot paths end here, once the console, the traps and the hand-over
 * (RAM, command line, modules, RSDP) are in place. */
void guest_start(void)
{
    lapic_init();
    clock_init();
    lapic_calibrated();
    test_main();
}
