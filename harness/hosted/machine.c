/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/hosted/machine.c — the hosted machine's RAM, clock, interrupt
 * delivery, DMA path and MMIO dispatch (see hosted.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness/hosted/hosted.h"
#include "lib/printf.h"

struct hm_machine hm;
const struct hm_observer *hm_observer;

void hm_hw_error(const char *fmt, ...)
{
    va_list ap;

    if (hm_console)
        fflush(hm_console);
    fflush(stdout);
    fprintf(stderr, "vtdhost: hardware error: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    /* The machine stops without a verdict, as QEMU does on one: status 1
     * and no result line, which the runner reports as a CRASH with this
     * message. */
    exit(1);
}

/* ------------------------------------------------------------------ RAM */

void *hm_ram(uint64_t pa, uint64_t len)
{
    if (pa >= hm.ram_size || len > hm.ram_size - pa)
        return NULL;
    return hm.ram + pa;
}

static int env_mem_read(void *opaque, uint64_t gpa, void *buf, size_t len)
{
    void *p = hm_ram(gpa, len);

    if (!p)
        return -1;
    memcpy(buf, p, len);
    return 0;
}

static int env_mem_write(void *opaque, uint64_t gpa, const void *buf,
                         size_t len)
{
    void *p = hm_ram(gpa, len);

    if (!p)
        return -1;
    memcpy(p, buf, len);
    return 0;
}

/* ---------------------------------------------------------------- time */

void hm_timer_add(struct hm_timer *t)
{
    if (hm.nr_timers < sizeof(hm.timers) / sizeof(hm.timers[0]))
        hm.timers[hm.nr_timers++] = t;
}

void hm_timer_arm(struct hm_timer *t, uint64_t due)
{
    t->due = due;
    t->armed = true;
}

/* The earliest armed timer due at or before limit, or NULL. */
static struct hm_timer *next_timer(uint64_t limit)
{
    struct hm_timer *best = NULL;

    for (unsigned i = 0; i < hm.nr_timers; i++) {
        struct hm_timer *t = hm.timers[i];

        if (t->armed && t->due <= limit && (!best || t->due < best->due))
            best = t;
    }
    return best;
}

void hm_clock_advance(uint64_t to)
{
    struct hm_timer *t;

    /* A timer's action never re-arms it for now or earlier, so each pass
     * makes progress and the loop ends. */
    while ((t = next_timer(to)) != NULL) {
        if (t->due > hm.now)
            hm.now = t->due;
        t->armed = false;
        t->fire(t->arg);
    }
    if (to > hm.now)
        hm.now = to;
}

/* ---------------------------------------------------------- interrupts */

void hm_cpu_msi(uint64_t addr, uint32_t data)
{
    unsigned vec = data & 0xFF, dlm = (data >> 8) & 7;
    unsigned dest = (unsigned)(addr >> 12) & 0xFF;

    /* One CPU, APIC ID 0, physical destination mode; fixed or lowest-
     * priority delivery. Anything else reaches no CPU here. */
    if ((addr >> 20) != (HM_MSI_BASE >> 20) || (addr >> 32) ||
        (addr & (1u << 2)) || (addr & (1u << 4)) ||
        (dest != 0 && dest != 0xFF) || (dlm != 0 && dlm != 1) || vec < 16) {
        hm.msis_dropped++;
        return;
    }
    hm.irr[vec / 64] |= 1ull << (vec % 64);
}

void hm_device_msi(uint16_t sid, uint64_t addr, uint32_t data)
{
    if (hm.vtd) {
        struct vtd_irq irq;

        /* Blocked: the unit recorded the fault (or FPD hid it). */
        if (vtd_remap_msi(hm.vtd, sid, addr, data, &irq))
            return;
        addr = irq.addr;
        data = irq.data;
    }
    hm_cpu_msi(addr, data);
}

static void env_msi(void *opaque, uint64_t addr, uint32_t data)
{
    /* The unit's own events are not subject to interrupt remapping. */
    hm_cpu_msi(addr, data);
}

unsigned hm_take_interrupts(void)
{
    unsigned n = 0;

    /* Highest vector first, as a LAPIC. A handler may raise more; each
     * vector runs at most once per call, so the loop is bounded. */
    for (int v = 255; v >= 16; v--) {
        if (!(hm.irr[v / 64] & (1ull << (v % 64))))
            continue;
        hm.irr[v / 64] &= ~(1ull << (v % 64));
        n++;
        hm.irqs_taken++;
        if (hm.vec[v].fn)
            hm.vec[v].fn(hm.vec[v].arg);
        else
            vt_printf("# interrupt on unallocated vector 0x%x ignored\n", v);
    }
    return n;
}

/* ----------------------------------------------------------------- DMA */

/* One request of at most one page: translated, then RAM or nothing. */
static bool dma_page(uint16_t sid, uint64_t addr, uint8_t *buf, size_t len,
                     bool write)
{
    uint64_t pa = addr;
    void *ram;

    if (hm_observer && hm_observer->dma)
        hm_observer->dma(sid, addr, write);
    if (hm.vtd) {
        struct vtd_request req = {
            .sid = sid,
            .addr = addr,
            .at = VTD_AT_UNTRANSLATED,
            .access = write ? VTD_ACC_WRITE : VTD_ACC_READ,
            .len = (uint32_t)len,
        };
        struct vtd_xlate x;

        switch (vtd_translate(hm.vtd, &req, &x)) {
        case VTD_XLATE_OK:
            pa = x.addr;
            break;
        case VTD_XLATE_INTERRUPT:
            /* A DWORD write into the interrupt range is an interrupt
             * request (a longer one is blocked by the unit). */
            for (size_t i = 0; i + 4 <= len; i += 4) {
                uint32_t data;

                memcpy(&data, buf + i, 4);
                if (!((addr + i) & 3))
                    hm_device_msi(sid, addr + i, data);
            }
            return true;
        case VTD_XLATE_FAULT:
        default:
            if (!write)
                memset(buf, 0, len);
            return false;
        }
    } else if (write && (addr >> 20) == (HM_MSI_BASE >> 20)) {
        for (size_t i = 0; i + 4 <= len; i += 4) {
            uint32_t data;

            memcpy(&data, buf + i, 4);
            hm_cpu_msi(addr + i, data);
        }
        return true;
    }
    ram = hm_ram(pa, len);
    if (!ram) {
        /* Not RAM (nothing else decodes device requests here): reads
         * return zeros, writes are dropped. */
        if (!write)
            memset(buf, 0, len);
        return true;
    }
    if (write)
        memcpy(ram, buf, len);
    else
        memcpy(buf, ram, len);
    return true;
}

unsigned hm_dma(uint16_t sid, uint64_t addr, void *buf, size_t len, bool write)
{
    uint8_t *p = buf;
    unsigned blocked = 0;

    hm.dmas++;
    if (hm_observer && hm_observer->assigned_dma &&
        hm_observer->assigned_dma(sid, addr, buf, len, write, &blocked))
        return blocked;
    while (len) {
        size_t n = 0x1000 - (size_t)(addr & 0xFFF);

        if (n > len)
            n = len;
        if (!dma_page(sid, addr, p, n, write))
            blocked++;
        addr += n;
        p += n;
        len -= n;
    }
    hm.dma_faults += blocked;
    return blocked;
}

/* ---------------------------------------------------------------- MMIO */

uint64_t hm_mmio_read(uint64_t pa, unsigned size)
{
    struct hm_fn *f;
    unsigned bar;
    uint64_t off, ones = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;

    if (hm.vtd && pa >= HM_VTD_BASE && pa - HM_VTD_BASE < hm.vtd_size)
        return vtd_mmio_read(hm.vtd, pa - HM_VTD_BASE, size) & ones;
    if (pa >= HM_ECAM_BASE && pa - HM_ECAM_BASE < HM_ECAM_SIZE) {
        off = pa - HM_ECAM_BASE;
        if (size > 4)
            return ones;
        return hm_pci_cfg_read((uint8_t)(off >> 20),
                               (uint8_t)((off >> 15) & 31),
                               (uint8_t)((off >> 12) & 7),
                               (uint16_t)(off & 0xFFF), size);
    }
    if (pa >= HM_IOAPIC_BASE && pa - HM_IOAPIC_BASE < 0x1000)
        return hm_ioapic_read(pa - HM_IOAPIC_BASE, size) & ones;
    f = hm_pci_bar_at(pa, &bar, &off);
    if (f && hm_fn_device(f) && bar == 0)
        return hm_edu_mmio_read(hm_fn_device(f), off, size) & ones;
    hm.mmio_unclaimed++;
    return ones;
}

void hm_mmio_write(uint64_t pa, unsigned size, uint64_t val)
{
    struct hm_fn *f;
    unsigned bar;
    uint64_t off;

    if (hm.vtd && pa >= HM_VTD_BASE && pa - HM_VTD_BASE < hm.vtd_size) {
        vtd_mmio_write(hm.vtd, pa - HM_VTD_BASE, size, val);
        return;
    }
    if (pa >= HM_ECAM_BASE && pa - HM_ECAM_BASE < HM_ECAM_SIZE) {
        off = pa - HM_ECAM_BASE;
        if (size <= 4)
            hm_pci_cfg_write((uint8_t)(off >> 20), (uint8_t)((off >> 15) & 31),
                             (uint8_t)((off >> 12) & 7),
                             (uint16_t)(off & 0xFFF), size, (uint32_t)val);
        return;
    }
    if (pa >= HM_IOAPIC_BASE && pa - HM_IOAPIC_BASE < 0x1000) {
        hm_ioapic_write(pa - HM_IOAPIC_BASE, size, val);
        return;
    }
    f = hm_pci_bar_at(pa, &bar, &off);
    if (f && hm_fn_device(f) && bar == 0) {
        hm_edu_mmio_write(hm_fn_device(f), off, size, val);
        return;
    }
    hm.mmio_unclaimed++;
}

/* -------------------------------------------------------------- trace */

static void env_trace(void *opaque, const struct vtd_trace_event *ev)
{
    char line[256];

    fprintf(stderr, "vtd @%llu ns: %s\n", (unsigned long long)hm.now,
            vtd_trace_format(ev, line, sizeof(line)));
}

/* --------------------------------------------------------------- build */

const char *hm_build(void)
{
    const char *why;

    hm.ram_size = hm.cfg.ram_size;
    if (hm.ram_size < (16ull << 20) || hm.ram_size > HM_MAX_RAM ||
        (hm.ram_size & 0xFFFFF))
        return "memory size must be a multiple of 1 MiB, 16 MiB to 2 GiB";
    /* Zeroed pages straight from the system, lazily: 256 MiB costs
     * nothing until touched (and a sanitizer's allocator would poison
     * shadow memory for all of it up front). */
    hm.ram = mmap(NULL, hm.ram_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (hm.ram == MAP_FAILED) {
        hm.ram = NULL;
        return "cannot allocate guest RAM";
    }
    hm.acpi_base = hm.ram_size - HM_ACPI_SIZE;

    if (hm.cfg.iommu) {
        struct vtd_env env = {
            .opaque = &hm,
            .mem_read = env_mem_read,
            .mem_write = env_mem_write,
            .msi = env_msi,
            .trace = hm.cfg.trace_mask ? env_trace : NULL,
        };
        struct vtd_config vc = hm.cfg.vtd;

        vc.trace_mask = hm.cfg.trace_mask;
        vc.no_sl_tables = !hm.cfg.dma_translation;
        hm.vtd = vtd_model_create(&vc, &env, &why);
        if (!hm.vtd)
            return why;
        hm.vtd_size = vtd_model_mmio_size(hm.vtd);
    }
    why = hm_pci_build();
    if (why)
        return why;
    hm.rsdp = hm_acpi_build(&why);
    if (!hm.rsdp)
        return why;
    if (&hm_shadow_observer && hm.vtd && hm_shadow_observer.wants(&hm.cfg)) {
        why = hm_shadow_observer.attach();
        if (why)
            return why;
        hm_observer = &hm_shadow_observer;
    }
    for (unsigned i = 0; i < hm.cfg.nr_edu; i++)
        if (hm.cfg.edu[i].assigned && !hm_observer)
            return "edu x-assigned=on: its host container is the notifier "
                   "harness's, which this build or x-shadow=off leaves out";
    return NULL;
}

void hm_destroy(void)
{
    hm_pci_destroy();
    if (hm.vtd)
        vtd_model_destroy(hm.vtd);
    hm.vtd = NULL;
    if (hm.ram)
        munmap(hm.ram, hm.ram_size);
    hm.ram = NULL;
    for (unsigned i = 0; i < hm.nr_modules; i++) {
        free(hm.modules[i].name);
        free(hm.modules[i].data);
    }
    hm.nr_modules = 0;
}
