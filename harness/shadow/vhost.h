/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/vhost.h — an UNMAP-only consumer that caches
 * translations the way vhost's device IOTLB does: on a miss it asks the
 * unit (vtd_translate, through its caches, as a DMA would) and keeps the
 * answer until an UNMAP event covers it or the device's mode changes. It
 * must never use a stale entry: the checker compares every cached entry
 * with the guest's tables after each invalidation.
 */
#ifndef HARNESS_SHADOW_VHOST_H
#define HARNESS_SHADOW_VHOST_H

#include <stdbool.h>
#include <stdint.h>

#include "model/vtd_model.h"
#include "model/vtd_notify.h"

#define SHV_ENTRIES 64

struct shv_entry {
    bool valid;
    uint64_t page; /* IOVA of the 4 KiB page */
    uint64_t out;  /* its output page */
    unsigned perm;
};

struct shv {
    struct vtd_model *m;
    uint16_t sid;
    enum vtd_notify_mode mode;
    struct shv_entry e[SHV_ENTRIES];
    uint64_t hits, misses, faults, flushes, evicted;
    uint64_t errors;
    char first_error[200];
};

void shv_init(struct shv *v, struct vtd_model *m, uint16_t sid);
/* vtd_notify_fn */
int shv_notify(void *opaque, const struct vtd_notify_event *ev);
/* A read by the device at iova: true with the output address, from the
 * cache or a fresh translation (cached when the device is translated). */
bool shv_access(struct shv *v, uint64_t iova, uint64_t *out);

#endif
