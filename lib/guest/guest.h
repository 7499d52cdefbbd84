/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/guest/guest.h — internals of the guest backend (not for portable
 * code, which sees only lib/platform.h).
 */
#ifndef LIB_GUEST_GUEST_H
#define LIB_GUEST_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/platform.h"

/* isa-debug-exit: QEMU exits with status (value << 1) | 1. Values start
 * at 0x10 so that no result can be confused with QEMU's own status 1 or
 * a triple fault's 0. */
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_BASE 0x10

void serial_init(void);
void serial_write(const char *buf, size_t len);

/* Traps: IDT, GDT/TSS with a separate stack for #DF/#NMI/#MC. */
void trap_init(void);
typedef void (*trap_vector_fn)(void *arg);
int trap_vector_alloc(trap_vector_fn fn, void *arg); /* vector or -1 */
/* That vector (32..0xEF) if free: 0, else -1. */
int trap_vector_claim(unsigned vector, trap_vector_fn fn, void *arg);
/* Set by the trap path around a handled interrupt (for waits). */
extern volatile uint64_t trap_irq_count;

/* Time: TSC (and the LAPIC timer) calibrated against the PIT. */
void time_init(void);
void clock_init(void); /* time_init, then the HPET */
/* Whether clock_init has run: plat_now_ns is usable. */
bool clock_running(void);
uint64_t lapic_timer_hz_measured(void);

/* Local APIC: EOI, one-shot timer, id. */
void lapic_init(void); /* before time_init */
void lapic_timer_start_count(void);
uint64_t lapic_timer_stop_count(void);
void lapic_calibrated(void); /* after time_init */
void lapic_eoi(void);
uint32_t lapic_id(void);
void lapic_timer_oneshot_ns(uint64_t ns); /* 0 = stop */
int lapic_timer_vector(void);

/* Paging: on-demand uncached 2 MiB mappings of MMIO (identity). */
int paging_map_mmio(uint64_t pa, uint64_t len);
/* Install the early map (0..4 GiB identity, 2 MiB pages) in C, for a boot
 * path that arrives in long mode on another owner's tables. The caller
 * runs identity-mapped below 4 GiB. -1 if the CPU is in 5-level paging. */
int paging_install_early(void);

/* The hand-over from the boot path (multiboot.c, boot/efi/): RAM the
 * page allocator may use (clipped to 1 MiB..4 GiB, whole pages), ranges it
 * must never hand out, the command line (copied), boot modules (kept by
 * reference) and the ACPI RSDP (0: search the BIOS areas). */
void handover_ram_add(uint64_t base, uint64_t len);
void handover_ram_reserve(uint64_t base, uint64_t len);
uint64_t handover_ram_lost(void); /* bytes the extent table dropped */
void handover_cmdline(const char *s);
bool handover_module(const char *name, const void *data, size_t size);
void handover_rsdp(uint64_t pa);
uint64_t guest_free_bytes(void);

/* The common start of both boot paths: LAPIC, clock, then the tests. */
__attribute__((noreturn)) void guest_start(void);

/* Linker symbols. */
extern char __image_start[], __image_end[];

#endif
