/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/platform.h — the one seam between portable code and a machine.
 *
 * vtd/, acpi/, the scenario engine and the portable parts of lib/ (printf,
 * report, pci, pci_cfg, edu) reach hardware only through these calls. Two
 * backends implement them, chosen at link time:
 *
 *   lib/guest/     the firmware: volatile MMIO, identity-mapped RAM, port
 *                  I/O for PCI and the PIT, the local APIC for interrupts.
 *   harness/       the hosted machine: MMIO dispatched to model/ and to an
 *                  edu-compatible device, guest RAM as a host buffer.
 *
 * Physical addresses are uint64_t everywhere; a portable caller never casts
 * one to a pointer itself but asks plat_phys_to_virt().
 */
#ifndef LIB_PLATFORM_H
#define LIB_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ console */

/* Write bytes to the result stream (COM1 in the guest, stdout hosted). */
void plat_console_write(const char *buf, size_t len);

/* ---------------------------------------------------------------- MMIO */

/*
 * Make [pa, pa+len) accessible to the plat_mmio_* calls below (the guest
 * maps it uncached on demand, including above 4 GiB). Returns 0 or a
 * negative error. Calling it again for a mapped range is cheap.
 */
int plat_mmio_map(uint64_t pa, uint64_t len);

/*
 * One access of exactly that width at pa, which need not be aligned to it
 * (an unaligned access is issued as one CPU access in the guest; what the
 * device makes of it is the device's business). The 8- and 16-bit forms
 * exist for probes of register interfaces that define only dword and
 * qword accesses.
 */
uint8_t plat_mmio_read8(uint64_t pa);
uint16_t plat_mmio_read16(uint64_t pa);
uint32_t plat_mmio_read32(uint64_t pa);
uint64_t plat_mmio_read64(uint64_t pa);
void plat_mmio_write8(uint64_t pa, uint8_t val);
void plat_mmio_write16(uint64_t pa, uint16_t val);
void plat_mmio_write32(uint64_t pa, uint32_t val);
void plat_mmio_write64(uint64_t pa, uint64_t val);

/* ------------------------------------------------------ PCI config space */

/*
 * Configuration access for segment/bus/device/function. Until
 * plat_pci_use_ecam() is called the guest uses port 0xCF8/0xCFC (segment 0,
 * offsets below 256 only). A read that no function answers returns all ones.
 */
uint32_t plat_pci_read32(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
                         uint16_t off);
void plat_pci_write32(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
                      uint16_t off, uint32_t val);

/* Switch to memory-mapped configuration for one segment's bus range, as
 * found in ACPI MCFG. Returns 0 or a negative error. */
int plat_pci_use_ecam(uint64_t base, uint16_t seg, uint8_t bus_start,
                      uint8_t bus_end);

/* Backend part (lib/pci_cfg.c does the rest): the 0xCF8/0xCFC mechanism
 * for segment 0, dev < 32, fn < 8, off a multiple of 4 below 256. */
uint32_t plat_pci_cf8_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off);
void plat_pci_cf8_write32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off,
                          uint32_t val);

/* ------------------------------------------------------- memory and DMA */

/*
 * Translate between CPU pointers and guest-physical addresses. For RAM that
 * is not reachable (outside guest memory) phys_to_virt returns NULL.
 */
void *plat_phys_to_virt(uint64_t pa);
uint64_t plat_virt_to_phys(const void *va);

/*
 * Physically contiguous, zeroed, 4 KiB-aligned pages of RAM the caller may
 * hand to devices. NULL when none are left.
 */
void *plat_alloc_pages(size_t count);
/* The same, the first page at a multiple of align (a power of two, at
 * least 4 KiB), only count pages zeroed: a 2 MiB-aligned buffer costs
 * its own pages, not the slack before it. plat_free_pages frees it. */
void *plat_alloc_aligned(size_t count, uint64_t align);
void plat_free_pages(void *va, size_t count);

/* Make CPU writes to [va, va+len) visible to a non-coherent page walker
 * (ECAP.C=0), and order them before later MMIO writes. */
void plat_flush_cache(const void *va, size_t len);
void plat_wmb(void);

/* ---------------------------------------------------------------- time */

/* Monotonic nanoseconds since boot. */
uint64_t plat_now_ns(void);

/* ---------------------------------------------------------- interrupts */

/* A handler for a message-signalled interrupt. Runs with interrupts off. */
typedef void (*plat_irq_fn)(void *arg);

/*
 * Allocate an MSI vector that calls fn(arg) and return the address/data
 * pair a device must send to raise it. Returns 0 or a negative error.
 */
int plat_msi_alloc(plat_irq_fn fn, void *arg, uint64_t *msi_addr,
                   uint32_t *msi_data);

/*
 * The same for one given vector (32..255), for a test that names the
 * vector an interrupt must arrive on (an IRTE's). The address is the
 * compatibility-format one of this CPU: its bits 19:12 are its APIC ID.
 * Returns 0, or a negative error when the vector is taken or reserved.
 */
int plat_msi_claim(unsigned vector, plat_irq_fn fn, void *arg,
                   uint64_t *msi_addr, uint32_t *msi_data);

/*
 * Make ISA IRQ 0 (the PIT's channel 0) rise once, a few microseconds from
 * now, and stay high: the I/O APIC pin the MADT routes it to sees one
 * edge. For interrupts that reach the remapping unit from a pin. Returns
 * 0, or -1 when the machine has no such line.
 */
int plat_timer_irq_pulse(void);

/*
 * Sleep until some interrupt was handled or deadline_ns (plat_now_ns time)
 * passed, whichever comes first. Callers re-check their condition: a
 * return says nothing about which event happened.
 */
void plat_wait_for_interrupt(uint64_t deadline_ns);

/* ------------------------------------------------------- boot hand-over */

/*
 * The ACPI RSDP the boot path handed over (UEFI configuration table, or a
 * hosted machine's tables), or 0 when the caller must search for it
 * itself (BIOS: EBDA and 0xE0000..0xFFFFF).
 */
uint64_t plat_acpi_rsdp(void);

/* Boot modules (multiboot modules, files on the EFI system partition):
 * scenario scripts given at run time. Index from 0; false past the end. */
struct plat_module {
    const char *name; /* the module's command line / file name */
    const void *data;
    size_t size;
};
bool plat_module(unsigned index, struct plat_module *out);

/* The boot command line (multiboot cmdline, EFI load options, argv). */
const char *plat_cmdline(void);

/* --------------------------------------------------------------- exit */

/* Run verdicts, least severe first; see lib/report.h. */
enum plat_result {
    PLAT_SUCCESS = 0,
    PLAT_SKIP,
    PLAT_FAILURE,
    PLAT_ERROR,
};

/* End the run with this result; never returns. */
__attribute__((noreturn)) void plat_exit(enum plat_result result);

#endif
