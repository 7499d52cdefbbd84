/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/vfio-user/iova.h — the served device's IOVA table: what the
 * client's VFIO_USER_DMA_MAP and DMA_UNMAP messages built, and nothing
 * else. The device's DMA is performed only through it.
 *
 * The rules are VFIO type1's, from the assigned-device harness's host
 * container (harness/shadow/container.h): a MAP touching an existing
 * mapping is refused with EEXIST, an UNMAP whose ends cut a mapping with
 * EINVAL, an UNMAP over holes is fine. On top of them, every message is
 * classified and recorded (harness/shadow/record.h, with each DMA):
 *
 *   MAP    ok; or refused: identical (the very mapping exists), overlap
 *          (another one is in the way), or invalid
 *   UNMAP  ok; oversized (it removed less than it named: holes in the
 *          range); duplicate (it removed nothing, and what it names was
 *          unmapped before); nothing (it removed nothing, and nothing
 *          there was ever unmapped); unmap-all; or refused: cuts (an end
 *          falls inside a mapping), or invalid
 *
 * Memory comes with a MAP as a file descriptor; each file is mapped into
 * the server once, for as long as some mapping uses it. A MAP without a
 * descriptor is a mapping the device cannot reach (QEMU sends them for
 * guest ROM that is not in shared memory): DMA to it is refused.
 */
#ifndef HARNESS_VFIO_USER_IOVA_H
#define HARNESS_VFIO_USER_IOVA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/shadow/record.h"
#include "harness/vfio-user/log.h"

#define VFU_IOVA_R     1u
#define VFU_IOVA_W     2u
#define VFU_IOVA_FILES 16

struct shc;
struct iova_tree;

struct vfu_file {
    bool used;
    uint64_t dev, ino;
    uint8_t *base;
    uint64_t len;
    bool writable;
    uint64_t refs; /* mappings using it */
};

struct vfu_iova_counts {
    uint64_t maps, unmaps, unmap_alls; /* accepted */
    uint64_t map_refused, unmap_refused;
    uint64_t identical_maps, duplicate_unmaps, oversized_unmaps, empty_unmaps;
    uint64_t bytes_mapped, bytes_unmapped;
    uint64_t dma_bytes, dma_blocked_bytes;
};

struct vfu_iova {
    struct shc *c;  /* the type1 rules and the mappings */
    struct shr rec; /* the record (harness/shadow/record.h) */
    struct vfu_file file[VFU_IOVA_FILES];
    struct vfu_log *log;
    struct vfu_iova_counts n;
};

/* What one DMA met: the first refused page and why. */
struct vfu_dma_result {
    uint64_t done, blocked; /* bytes */
    uint64_t first_blocked; /* IOVA */
    const char *why;        /* NULL when nothing was blocked */
};

struct vfu_iova *vfu_iova_new(struct vfu_log *log, FILE *record);
void vfu_iova_free(struct vfu_iova *t);

/* A MAP message: fd is the memory's descriptor or -1, and is consumed.
 * Returns 0 or a positive errno for the reply. */
int vfu_iova_map(struct vfu_iova *t, uint64_t iova, uint64_t size,
                 uint64_t offset, unsigned perm, int fd);
/* An UNMAP message (all: VFIO_DMA_UNMAP_FLAG_ALL). 0 or an errno. */
int vfu_iova_unmap(struct vfu_iova *t, uint64_t iova, uint64_t size, bool all);
/* Everything unmapped and every file released (the client left). */
void vfu_iova_clear(struct vfu_iova *t);

/* A device access of len bytes at iova: write moves buf to memory. Page
 * by page through the table; a page the table does not allow is not
 * performed (a read leaves its part of buf as it was). */
struct vfu_dma_result vfu_iova_dma(struct vfu_iova *t, uint64_t iova, void *buf,
                                   size_t len, bool write);

size_t vfu_iova_count(const struct vfu_iova *t);

#endif
