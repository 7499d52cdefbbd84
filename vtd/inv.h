/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/inv.h — register-based invalidation (spec 6.5.1, 10.4.7-10.4.8):
 * context cache through CCMD, IOTLB through IVA + IOTLB.
 *
 * Each call waits (bounded) for ICC/IVT to clear and hands back the
 * granularity the hardware says it performed (CAIG/IAIG), which may be
 * coarser than requested, or VTD_GRAN_NONE when it ignored the request.
 * Register-based invalidation is refused while queued invalidation is on
 * (6.5.2: software must not mix them); the _raw calls issue a command
 * regardless, for tests of that rule and of malformed requests.
 */
#ifndef VTD_INV_H
#define VTD_INV_H

#include <stdbool.h>
#include <stdint.h>

#include "vtd/unit.h"

/* Context-cache invalidation: gran VTD_GRAN_GLOBAL, _DOMAIN (did) or
 * _DEVICE (did, sid, function mask fm 0-3). */
int vtd_cc_inv(struct vtd_unit *u, unsigned gran, uint16_t did, uint16_t sid,
               unsigned fm, unsigned *actual);

struct vtd_iotlb_req {
    unsigned gran; /* VTD_GRAN_GLOBAL, _DOMAIN, _PAGE */
    uint16_t did;
    uint64_t addr; /* page-selective: aligned to 2^am pages */
    unsigned am;   /* address mask: 2^am pages, <= CAP.MAMV */
    bool ih;       /* invalidation hint: only leaves changed */
    bool dr, dw;   /* drain reads / writes (CAP.DRD / DWD) */
};

/* IOTLB invalidation. Page-selective needs CAP.PSI, am <= MAMV and an
 * aligned address (VTD_EINVAL / VTD_ENOTSUP otherwise). */
int vtd_iotlb_inv(struct vtd_unit *u, const struct vtd_iotlb_req *r,
                  unsigned *actual);

/* Write CCMD = ccmd as given (QI on or not, ICC pending or not) and wait
 * for ICC to clear.
 * *after: CCMD as read at the end (also on timeout). */
int vtd_cc_inv_raw(struct vtd_unit *u, uint64_t ccmd, uint64_t *after);

/* Write IVA = iva (when the request is page-selective) then IOTLB = iotlb
 * as given, wait for IVT to clear. *after: the IOTLB register at the end. */
int vtd_iotlb_inv_raw(struct vtd_unit *u, uint64_t iva, uint64_t iotlb,
                      uint64_t *after);

/* Register values of the requests above, for callers of the _raw forms. */
uint64_t vtd_ccmd_value(unsigned gran, uint16_t did, uint16_t sid, unsigned fm);
uint64_t vtd_iotlb_value(const struct vtd_iotlb_req *r);
uint64_t vtd_iva_value(const struct vtd_iotlb_req *r);

/* Which invalidation interface to use (6.5.1 registers, 6.5.2 queue). */
enum vtd_iface {
    VTD_IFACE_AUTO, /* the queue when QI is on, registers if not */
    VTD_IFACE_REG,
    VTD_IFACE_QI,
};

/*
 * The same requests through either interface, with the same checks. The
 * queue does not report a granularity: *actual is the requested one once
 * the following invalidation wait completed. VTD_EQIOFF when the queue is
 * asked for but not enabled; VTD_EQION for registers while QI is on.
 */
int vtd_inv_context(struct vtd_unit *u, enum vtd_iface via, unsigned gran,
                    uint16_t did, uint16_t sid, unsigned fm, unsigned *actual);
int vtd_inv_iotlb(struct vtd_unit *u, enum vtd_iface via,
                  const struct vtd_iotlb_req *r, unsigned *actual);

/* IOTLB invalidation covering [iova, iova+size) of domain did: one
 * page-selective request with the smallest aligned AM that covers it, or
 * domain-selective when that exceeds MAMV or PSI is absent. ih as in
 * 6.5 (only leaf entries changed). */
int vtd_inv_range(struct vtd_unit *u, enum vtd_iface via, uint16_t did,
                  uint64_t iova, uint64_t size, bool ih, unsigned *actual);

/* The usual pair after changing context entries or installing a root
 * table without ESRTPS: global context cache, then global IOTLB. Uses QI
 * when it is on (vtd/qi.h), registers otherwise. */
int vtd_inv_all(struct vtd_unit *u);

/* Name of a granularity for messages ("global", "domain", ...). */
const char *vtd_gran_name(unsigned gran, bool iotlb);

#endif
