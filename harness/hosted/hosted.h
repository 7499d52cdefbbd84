/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/hosted/hosted.h — the hosted machine: a q35-like PC inside one
 * process, behind lib/platform.h, so the firmware's own driver (vtd/),
 * ACPI parsers (acpi/), portable runtime (lib/) and scenario engine run
 * unchanged against the VT-d model (model/).
 *
 *   guest RAM       one host buffer; physical address = offset into it
 *   ACPI            RSDP, RSDT/XSDT, MCFG and a DMAR built from the
 *                   machine's actual devices (acpi.c)
 *   PCI             configuration space of a host bridge, edu functions,
 *                   PCIe root ports and the ICH9 functions q35 always has,
 *                   through ECAM (pci.c)
 *   MMIO            the VT-d register window -> vtd_mmio_read/write; edu
 *                   BAR0 -> the edu device model (edu.c); ECAM
 *   DMA             device requests -> vtd_translate() -> RAM; an
 *                   assigned edu's through its host container (shadow.c)
 *   interrupts      MSIs (the unit's events, edu completion) queue on the
 *                   one CPU and are taken in plat_wait_for_interrupt, as a
 *                   guest takes them in its STI;HLT
 *   time            a virtual clock: each reading advances it a little, a
 *                   wait jumps it to the next timer or the deadline; no
 *                   real sleeping anywhere
 *
 * Internal to harness/hosted/: portable code sees only lib/platform.h.
 */
#ifndef HARNESS_HOSTED_HOSTED_H
#define HARNESS_HOSTED_HOSTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/vtd_model.h"

/* ----------------------------------------------------- physical layout */

/* As QEMU's q35 lays it out with SeaBIOS, so addresses look familiar. */
#define HM_LOW_RESERVED (1ull << 20)  /* BIOS area: never allocated */
#define HM_RSDP_ADDR    0xF0000ull    /* inside the BIOS scan range */
#define HM_ACPI_SIZE    (64ull << 10) /* top of RAM: the tables */
#define HM_ECAM_BASE    0xB0000000ull /* MCFG: segment 0, buses 0-255 */
#define HM_ECAM_SIZE    (256ull << 20)
#define HM_MMIO32_BASE  0xC0000000ull /* BARs are placed from here */
#define HM_MMIO32_END   0xFEC00000ull
#define HM_VTD_BASE     0xFED90000ull /* DRHD register base */
#define HM_MSI_BASE     0xFEE00000ull /* interrupt address range */
#define HM_IOAPIC_BASE  0xFEC00000ull /* I/O APIC 0 (ioapic.c) */
#define HM_MAX_RAM      (2ull << 30)  /* below ECAM */

/* --------------------------------------------------------- the config */

#define HM_MAX_EDU     8
#define HM_MAX_PORTS   8
#define HM_MAX_MODULES 16
#define HM_ID_MAX      32

struct hm_edu_cfg {
    int port;          /* index into ports[], -1: bus 0 */
    int dev;           /* bus-0 slot, -1: the next free one */
    uint64_t dma_mask; /* RAM-side address mask (QEMU: 28 bits) */
    bool assigned;     /* behind a host IOMMU: DMA through its own
                        * type1 container only (shadow.c) */
    char record[256];  /* the container's record file, or "" */
};

struct hm_port_cfg {
    char id[HM_ID_MAX];
    int dev; /* bus-0 slot, -1: the next free one */
};

struct hm_module {
    char *name;
    void *data;
    size_t size;
};

struct hm_config {
    uint64_t ram_size;
    bool iommu; /* a remapping unit and a DMAR */
    struct vtd_config vtd;
    bool dma_translation;  /* false: CAP.SAGAW = 0 */
    bool dmar_include_all; /* DRHD INCLUDE_PCI_ALL, no PCI scopes */
    unsigned nr_edu, nr_ports;
    struct hm_edu_cfg edu[HM_MAX_EDU];
    struct hm_port_cfg port[HM_MAX_PORTS];
    bool shadow;         /* attach the notifier harness (with
                          * caching mode, when linked in) */
    uint64_t tick_ns;    /* clock advance per reading */
    uint64_t edu_dma_ns; /* edu DMA: start to completion */
    uint32_t trace_mask; /* model events to stderr */
};

/* --------------------------------------------------------- the machine */

struct hm_edu;
struct hm_fn;

struct hm_timer {
    uint64_t due;
    bool armed;
    void (*fire)(void *arg);
    void *arg;
};

typedef uint64_t (*hm_mmio_read_fn)(void *opaque, uint64_t off, unsigned size);
typedef void (*hm_mmio_write_fn)(void *opaque, uint64_t off, unsigned size,
                                 uint64_t val);

struct hm_machine {
    struct hm_config cfg;
    uint8_t *ram;
    uint64_t ram_size;
    uint64_t acpi_base; /* reserved top of RAM */
    uint64_t rsdp;

    struct vtd_model *vtd; /* NULL without an IOMMU */
    uint64_t vtd_size;

    /* PCI */
    unsigned nr_fns;
    struct hm_fn *fns[64];
    unsigned nr_edu;
    struct hm_edu *edu[HM_MAX_EDU];

    /* time and interrupts */
    uint64_t now;
    unsigned nr_timers;
    struct hm_timer *timers[HM_MAX_EDU + 4];
    uint64_t irr[4]; /* pending vectors, as a LAPIC's IRR */
    struct {
        void (*fn)(void *arg);
        void *arg;
    } vec[256];
    uint64_t irqs_taken, msis_dropped;

    /* boot hand-over */
    char cmdline[1024];
    unsigned nr_modules;
    struct hm_module modules[HM_MAX_MODULES];

    /* counters for the closing line */
    uint64_t dmas, dma_faults, mmio_unclaimed;
};

extern struct hm_machine hm;

/* Where the result stream goes (stdout unless -serial file:PATH). */
extern FILE *hm_console;

/* Build the machine from hm.cfg: RAM, model, devices, ACPI. Returns NULL
 * or an error message. */
const char *hm_build(void);
void hm_destroy(void);

/* A hardware error in a device model (QEMU stops the machine): the
 * message on stderr, exit status 1 and no result line. */
__attribute__((noreturn, format(printf, 1, 2))) void
hm_hw_error(const char *fmt, ...);

/* Guest RAM: pointer to [pa, pa+len) or NULL when not all of it is RAM. */
void *hm_ram(uint64_t pa, uint64_t len);

/* Time. */
void hm_clock_advance(uint64_t to);
void hm_timer_add(struct hm_timer *t);
void hm_timer_arm(struct hm_timer *t, uint64_t due);

/* An interrupt message as the one CPU receives it (after any remapping):
 * compatibility format, fixed or lowest-priority delivery to APIC 0. */
void hm_cpu_msi(uint64_t addr, uint32_t data);
/* An MSI a device sends (source-id sid): through interrupt remapping when
 * the unit has it enabled, then to the CPU. */
void hm_device_msi(uint16_t sid, uint64_t addr, uint32_t data);
/* Take every pending interrupt (handlers run). Returns how many. */
unsigned hm_take_interrupts(void);

/* DMA from a device: len bytes between buf and bus address addr (RAM
 * side), one request per 4 KiB page, each through the remapping unit
 * when there is one. A request the unit blocks reads zeros (QEMU's
 * unassigned memory) or drops the write. Returns the blocked count. */
unsigned hm_dma(uint16_t sid, uint64_t addr, void *buf, size_t len, bool write);

/* MMIO */
uint64_t hm_mmio_read(uint64_t pa, unsigned size);
/* The I/O APIC (ioapic.c): its registers, and an edge on a pin. */
uint64_t hm_ioapic_read(uint64_t off, unsigned size);
void hm_ioapic_write(uint64_t off, unsigned size, uint64_t val);
void hm_ioapic_edge(unsigned pin);
void hm_mmio_write(uint64_t pa, unsigned size, uint64_t val);

/* PCI (pci.c) */
const char *hm_pci_build(void);
void hm_pci_destroy(void);
uint32_t hm_pci_cfg_read(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
                         unsigned size);
void hm_pci_cfg_write(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
                      unsigned size, uint32_t val);
/* The function decoding MMIO address pa through a memory BAR, with the
 * offset into the BAR; NULL when none does. */
struct hm_fn *hm_pci_bar_at(uint64_t pa, unsigned *bar, uint64_t *off);
uint16_t hm_fn_sid(const struct hm_fn *f);
bool hm_fn_bus_master(const struct hm_fn *f);
/* Set bits of a function's PCI Status register (error reporting). */
void hm_fn_status_set(struct hm_fn *f, uint16_t bits);
/* MSI of a function: enabled, and its address/data. */
bool hm_fn_msi(const struct hm_fn *f, uint64_t *addr, uint32_t *data);
/* The bus-0 functions in devfn order, and whether one is a bridge. */
struct hm_fn *hm_pci_fn(unsigned i);
void hm_fn_bdf(const struct hm_fn *f, uint8_t *bus, uint8_t *dev, uint8_t *fn);
bool hm_fn_is_bridge(const struct hm_fn *f);
/* Device behind a function's BAR. */
void *hm_fn_device(const struct hm_fn *f);

/* edu (edu.c) */
struct hm_edu *hm_edu_create(struct hm_fn *f, const struct hm_edu_cfg *cfg);
const struct hm_edu_cfg *hm_edu_config(const struct hm_edu *e);
void hm_edu_destroy(struct hm_edu *e);
uint64_t hm_edu_mmio_read(void *opaque, uint64_t off, unsigned size);
void hm_edu_mmio_write(void *opaque, uint64_t off, unsigned size, uint64_t val);

/* ACPI (acpi.c): the tables in RAM; returns the RSDP's address or 0 with
 * *why set. */
uint64_t hm_acpi_build(const char **why);

/* ------------------------------------------------------------ observer */

/*
 * Something that watches the machine run: the notifier harness
 * (harness/hosted/shadow.c, linked in when the notifier layer's sources
 * are there). It attaches to the unit once the machine is built, sees
 * every DMA request a device makes, and reports what it finds through
 * lib/report.h, where the test or scenario running gets it.
 */
struct hm_observer {
    const char *name;
    bool (*wants)(const struct hm_config *cfg);
    const char *(*attach)(void); /* NULL or why it could not */
    void (*dma)(uint16_t sid, uint64_t addr, bool write);
    /* A transfer of an assigned device (edu x-assigned=on): performed
     * through its host container instead of the unit, *blocked set to
     * the pages refused; false when sid is not assigned. */
    bool (*assigned_dma)(uint16_t sid, uint64_t addr, void *buf, size_t len,
                         bool write, unsigned *blocked);
    void (*finish)(FILE *out); /* a summary, at exit */
};

/* The notifier harness, when linked in (a weak reference otherwise). */
extern const struct hm_observer hm_shadow_observer __attribute__((weak));
/* The observer attached, or NULL. */
extern const struct hm_observer *hm_observer;

#endif
