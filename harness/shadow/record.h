/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/record.h — the record of a host container's life: one
 * line per MAP and UNMAP it was asked for, classified, and one per DMA
 * the device made through it, for tools to compare (run/vtdrunner/
 * assigned.py reads it). The vfio-user server (harness/vfio-user/iova.c)
 * writes it for QEMU's messages, the hosted machine (harness/hosted/
 * shadow.c) for the notifier layer's events on an assigned device:
 *
 *   seq=252 id=0x00fb MAP iova=0xc3000 size=0x25000 offset=0xc3000 fd=1
 *       perm=r- result=ok
 *   seq=157 id=0x009c UNMAP iova=0x40000000 size=0x1000 all=0
 *       result=EINVAL removed=0 bytes=0x0 note=cuts
 *   seq=300 id=0x012b DMA iova=0x10000 size=0x1000 dir=read result=ok
 *       blocked=0x0
 *
 * (a record is one line; these are wrapped to fit here)
 *
 * seq orders the lines; a gap says other things reached the device in
 * between. note= classifies:
 *
 *   MAP    identical (the very mapping exists, EEXIST), overlap (EEXIST)
 *   UNMAP  cuts (an end inside a mapping, EINVAL); oversized (it removed
 *          less than it named); duplicate (it removed nothing, over
 *          extents unmapped before); nothing (it removed nothing where
 *          nothing was ever unmapped); unmap-all
 *   DMA    result=blocked: some of it was not performed
 */
#ifndef HARNESS_SHADOW_RECORD_H
#define HARNESS_SHADOW_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct shc;
struct shc_change;
struct iova_tree;

struct shr {
    FILE *out;              /* NULL: classify only */
    struct iova_tree *gone; /* extents unmapped and not mapped since */
};

/* 0 or -ENOMEM. */
int shr_init(struct shr *r, FILE *out);
void shr_fini(struct shr *r);
void shr_clear(struct shr *r);

/* The record's word for an errno (0: "ok"). */
const char *shr_errno_name(int err);

/* A MAP about to be made on c: "identical" or "overlap" when a mapping is
 * in its way, else NULL. */
const char *shr_map_note(const struct shc *c, uint64_t iova, uint64_t size,
                         uint64_t addr, unsigned perm);
/* Whether an UNMAP about to be made names extents unmapped before. */
bool shr_was_gone(const struct shr *r, uint64_t iova, uint64_t size);
/* The note of an UNMAP that succeeded: NULL, oversized, duplicate or
 * nothing. */
const char *shr_unmap_note(uint64_t size, uint64_t bytes, bool was_gone);

/* What the container's log says happened (call before shc_log_clear):
 * extents mapped are no longer gone, extents removed are. */
void shr_changed(struct shr *r, const struct shc_change *ch);

/* The lines. err is 0 or a positive errno; note may be NULL. */
void shr_write_map(struct shr *r, uint64_t seq, unsigned id, uint64_t iova,
                   uint64_t size, uint64_t offset, bool fd, unsigned perm,
                   int err, const char *note);
void shr_write_unmap(struct shr *r, uint64_t seq, unsigned id, uint64_t iova,
                     uint64_t size, bool all, int err, unsigned removed,
                     uint64_t bytes, const char *note);
void shr_write_dma(struct shr *r, uint64_t seq, unsigned id, uint64_t iova,
                   uint64_t size, bool write, uint64_t blocked);

#endif
