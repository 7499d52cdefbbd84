/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/unit.h — one DMA-remapping unit: its registers, its capabilities, the
 * global command protocol (spec 10.4.4-10.4.5) and the driver's error codes.
 *
 * Every operation returns VTD_OK or a negative enum vtd_err and never stops
 * the machine. On an error the unit keeps a one-line explanation with the
 * register values involved (vtd_errmsg()); a caller that reports it needs
 * nothing else. Hardware is reached only through lib/platform.h.
 */
#ifndef VTD_UNIT_H
#define VTD_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtd/cap.h"
#include "vtd/regs.h"

enum vtd_err {
    VTD_OK = 0,
    VTD_EINVAL = -1,    /* argument outside what the spec allows */
    VTD_ENOTSUP = -2,   /* the unit lacks the capability */
    VTD_ENOMEM = -3,    /* no pages left */
    VTD_ETIMEDOUT = -4, /* a status bit did not acknowledge in time */
    VTD_ENODEV = -5,    /* registers read all ones or all zeros */
    VTD_EBUSY = -6,     /* a previous command is still pending */
    VTD_EQION = -7,     /* register-based invalidation while QI is on */
    VTD_EQIOFF = -8,    /* queued invalidation while QI is off */
    VTD_EEXIST = -9,    /* mapping over a present entry */
    VTD_ENOENT = -10,   /* nothing mapped / no such entry */
    VTD_ERANGE = -11,   /* beyond the address width, or misaligned */
    VTD_EIQE = -12,     /* FSTS.IQE: invalidation queue error */
    VTD_EICE = -13,     /* FSTS.ICE: invalidation completion error */
    VTD_EITE = -14,     /* FSTS.ITE: invalidation time-out error */
    VTD_EFULL = -15,    /* the invalidation queue has no room */
};

const char *vtd_strerror(int err);

/* Default bound of every wait for a status acknowledgement. QEMU acts on
 * register writes synchronously; hardware takes microseconds. */
#define VTD_TIMEOUT_NS (100ull * 1000 * 1000)

struct vtd_qi;

struct vtd_unit {
    uint64_t base;
    struct vtd_caps caps;
    unsigned haw;      /* host address width: reserved-bit masks */
    unsigned did_bits; /* 4 + 2 * CAP.ND */
    /* Software copy of the persistent enables (TE, EAFL, QIE, IRE, CFI):
     * the value a GCMD write starts from, never GSTS (10.4.4). */
    uint32_t gcmd;
    uint32_t iva, iotlb; /* register offsets: ECAP.IRO * 16 (+8) */
    uint32_t frcd;       /* CAP.FRO * 16 */
    uint64_t window;     /* bytes of register space in use */
    uint64_t timeout_ns;
    bool coherent;             /* ECAP.C: no cache flushes needed */
    struct vtd_qi *qi;         /* the queue, while one is set up */
    unsigned queues_abandoned; /* by vtd_unit_quiesce (vtd_qi_abandon) */
    unsigned ttm;              /* RTADDR.TTM of the last root table latched */
    char err[200];             /* the last error, with register values */
};

/* Map and read the unit at base, decode VER/CAP/ECAP and take the
 * persistent enables from GSTS. HAW defaults to MGAW until the caller
 * knows the platform's (DMAR). */
int vtd_unit_init(struct vtd_unit *u, uint64_t base);

/* The explanation of the last error on this unit ("" when none). */
const char *vtd_errmsg(const struct vtd_unit *u);

/* Raw register access, offset from the unit's base. */
uint32_t vtd_read32(const struct vtd_unit *u, uint32_t off);
uint64_t vtd_read64(const struct vtd_unit *u, uint32_t off);
void vtd_write32(const struct vtd_unit *u, uint32_t off, uint32_t val);
void vtd_write64(const struct vtd_unit *u, uint32_t off, uint64_t val);

/*
 * One access of width 1, 2, 4 or 8 bytes at any offset, aligned or not,
 * for probes of the register interface itself. 11.2 lets software make
 * only aligned dword accesses, and aligned qword accesses to 64-bit
 * registers; what a unit does with any other is its own affair, so these
 * are for tests, never for the driver's own work. Another width: no
 * access, and a read gives 0. The caller keeps off inside the mapped
 * register space (vtd_reg_window).
 */
uint64_t vtd_reg_read(const struct vtd_unit *u, uint64_t off, unsigned width);
void vtd_reg_write(const struct vtd_unit *u, uint64_t off, unsigned width,
                   uint64_t val);

/* Make [0, size) of the register space reachable (size: what the DRHD
 * reports, 4 KiB pages). Returns VTD_OK or VTD_ENODEV. */
int vtd_reg_window(struct vtd_unit *u, uint64_t size);

/* After raw writes to GCMD (vtd_reg_write, vtd_gcmd_write_raw): take the
 * persistent enables GSTS shows as the software copy, as at init, so the
 * next command starts from what the unit does. */
void vtd_unit_resync(struct vtd_unit *u);

static inline bool vtd_has_cap(const struct vtd_unit *u, uint64_t mask)
{
    return u->caps.cap & mask;
}

static inline bool vtd_has_ecap(const struct vtd_unit *u, uint64_t mask)
{
    return u->caps.ecap & mask;
}

/* ------------------------------------------------ global command (10.4.4) */

/*
 * Set or clear one persistent enable (TE, EAFL, QIE, IRE, CFI): write
 * shadow|bit (or shadow&~bit), wait until GSTS shows it. The shadow changes
 * only when the status acknowledged. Other bits are refused (VTD_EINVAL).
 */
int vtd_gcmd_enable(struct vtd_unit *u, uint32_t bit, bool on);

/*
 * Issue one one-shot command (SRTP, SFL, WBF, SIRTP) on top of the
 * persistent enables and wait for its acknowledgement: RTPS/FLS/IRTPS read
 * 1, WBFS reads 0.
 */
int vtd_gcmd_oneshot(struct vtd_unit *u, uint32_t bit);

/* Raw GCMD write, for tests of the protocol itself: no shadow update, no
 * wait. */
void vtd_gcmd_write_raw(struct vtd_unit *u, uint32_t val);

uint32_t vtd_gsts(const struct vtd_unit *u);

/* RTADDR = rta_pa | TTM, then SRTP (10.4.6: latched only by SRTP). */
int vtd_set_root(struct vtd_unit *u, uint64_t rta_pa, unsigned ttm);

int vtd_translation_enable(struct vtd_unit *u);
int vtd_translation_disable(struct vtd_unit *u);

/* GCMD.WBF when CAP.RWBF says in-memory updates need it; otherwise a
 * no-op (6.8). */
int vtd_flush_write_buffer(struct vtd_unit *u);

/* Make CPU writes to structures the unit walks visible to it: clflush
 * when ECAP.C=0, then order them before later MMIO. */
void vtd_sync(const struct vtd_unit *u, const void *va, size_t len);

/* Back to the state after reset as far as software can: translation off,
 * queued invalidation off (when the queue allows it), interrupt
 * remapping, compatibility-format pass-through and the advanced fault log
 * off where GSTS shows them on, fault records and status cleared. Returns
 * the first error, after trying everything. */
int vtd_unit_quiesce(struct vtd_unit *u);

/* Record an error message on the unit (printf-style); returns err. */
int vtd_fail(struct vtd_unit *u, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
