/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/vtd_util.h — what the VT-d C checks share: finding the unit
 * and an edu device (SKIP with the reason when absent), turning driver
 * errors into ERROR lines, and fault expectations.
 */
#ifndef TESTS_GUEST_VTD_UTIL_H
#define TESTS_GUEST_VTD_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/edu.h"
#include "vtd/fault.h"
#include "vtd/qi.h"
#include "vtd/unit.h"

/* The unit of env_get(), initialised and quiesced (translation and QI
 * off, faults cleared). false after a SKIP (no unit) or an ERROR. */
bool vtu_unit(struct vtd_unit *u);

/* SKIP unless CAP.SAGAW names at least one address width. */
bool vtu_need_translation(const struct vtd_unit *u);

/* The i-th initialised edu device, or NULL after a SKIP/ERROR. */
struct edu *vtu_edu(unsigned i);
unsigned vtu_nr_edu(void);

/* What a DMA check starts from: the unit, translating (vtu_unit,
 * vtu_need_translation), and edu device 0 in *edu. false after a SKIP or
 * an ERROR. */
bool vtu_dma_unit(struct vtd_unit *u, struct edu **edu);

/* One page for a DMA buffer, its address in *va and *pa; false after an
 * ERROR when there is none. */
bool vtu_dma_page(uint8_t **va, uint64_t *pa);

/* rc != VTD_OK: an ERROR line naming what and the driver's explanation. */
bool vtu_ok(const struct vtd_unit *u, int rc, const char *what);

/* Collect the fault records and check there is exactly one, with this
 * reason, source-id, page address and access type. */
bool vtu_expect_fault(struct vtd_unit *u, unsigned reason, uint16_t sid,
                      uint64_t addr, bool read, const char *what);
/* Collect the fault records and check there is none. */
bool vtu_expect_no_fault(struct vtd_unit *u, const char *what);

/* A queue of the default size (dw: 256-bit descriptors) set up and
 * enabled; false after an ERROR. */
bool vtu_qi_start(struct vtd_unit *u, struct vtd_qi *qi, bool dw);

/* Translation and QI off, faults cleared; ERROR when that fails. */
void vtu_quiesce(struct vtd_unit *u);

/* edu DMA with the result reported as an ERROR when it did not run. */
bool vtu_dma(struct edu *e, enum edu_dir dir, uint64_t iova, uint32_t off,
             uint32_t count);

#endif
