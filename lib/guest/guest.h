/*
 * lib/guest/guest.h — internals of the guest backend (not for portable
 * code, which sees only lib/platform.h).
 */
#ifndef LIB_GUEST_GUEST_H
#define LIB_GUEST_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "lib/platform.h"

/* isa-debug-exit: QEMU exits with status (value << 1) | 1. Values start
 * at 0x10 so that no result can be confused with QEMU's own status 1 or
 * a triple fault's 0. */
#define DEBUG_EXIT_PORT     0xf4
#define DEBUG_EXIT_BASE     0x10

void serial_init(void);
void serial_write(const char *buf, size_t len);

/* Traps: IDT, GDT/TSS with a separate stack for #DF/#NMI/#MC. */
void trap_init(void);
typedef void (*trap_vector_fn)(void *arg);
int trap_vector_alloc(trap_vector_fn fn, void *arg);   /* vector or -1 */
void trap_vector_free(int vector);
/* Set by the trap path around a handled interrupt (for waits). */
extern volatile uint64_t trap_irq_count;

/* Time: TSC (and the LAPIC timer) calibrated against the PIT. */
void time_init(void);
uint64_t tsc_hz(void);
void clock_init(void);                  /* time_init, then the HPET */
const char *clock_name(void);
uint64_t lapic_timer_hz_measured(void);

/* Local APIC: EOI, one-shot timer, id. */
void lapic_init(void);                  /* before time_init */
void lapic_timer_start_count(void);
uint64_t lapic_timer_stop_count(void);
void lapic_calibrated(void);            /* after time_init */
void lapic_eoi(void);
uint32_t lapic_id(void);
void lapic_timer_oneshot_ns(uint64_t ns);   /* 0 = stop */
int lapic_timer_vector(void);

/* Paging: on-demand uncached 2 MiB mappings of MMIO (identity). */
int paging_map_mmio(uint64_t pa, uint64_t len);

/* Multiboot information, kept for the platform calls. */
void multiboot_parse(uint32_t magic, uint64_t info);
void mem_init(void);

/* Linker symbols. */
extern char __image_start[], __image_end[];

#endif
