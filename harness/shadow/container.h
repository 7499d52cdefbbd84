/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/container.h — a host IOMMU container with the rules of
 * Linux's VFIO type1 (v2) interface, fed by the notifier layer.
 *
 *   MAP    size > 0; iova, size and vaddr aligned to the page size; no
 *          wrap; read and/or write; inside the aperture; not touching any
 *          existing mapping (else EEXIST); at most `limit` mappings (else
 *          ENOSPC).
 *   UNMAP  size > 0 and aligned; no wrap; neither end may fall inside a
 *          mapping (else EINVAL, and nothing is unmapped); every mapping
 *          inside goes, holes are fine; says how many bytes went.
 *   UNMAP ALL  everything.
 *
 * Any error the notifier layer provokes is a test failure: the container
 * records the first one in words. It also keeps a log of its changes since
 * the checker last looked, so the checker can tell a necessary change from
 * a spurious one.
 */
#ifndef HARNESS_SHADOW_CONTAINER_H
#define HARNESS_SHADOW_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/iova_tree.h"
#include "model/vtd_notify.h"

#define SHC_MAX_SIDS 8

struct shc_change {
    bool map; /* MAP, else a mapping removed by UNMAP */
    bool all; /* removed by an unmap-all chunk */
    uint64_t iova, last, addr;
    unsigned perm;
    uint64_t seq; /* invalidation it happened in */
};

struct shc {
    const char *name;
    uint64_t pgsize;
    uint64_t aperture_last; /* MAPs must end at or below */
    size_t limit;           /* mappings at most */
    struct iova_tree *maps;
    /* errors */
    uint64_t errors;
    char first_error[256];
    /* counters */
    uint64_t nmap, nunmap, nunmap_all, removed, useless_unmaps;
    /* changes since shc_log_clear */
    struct shc_change *log;
    size_t nlog, caplog;
    uint64_t seq; /* bumped by the owner per invalidation */
    /* per device: the mode the layer last reported */
    unsigned nsid;
    uint16_t sid[SHC_MAX_SIDS];
    enum vtd_notify_mode mode[SHC_MAX_SIDS];
    bool mode_known[SHC_MAX_SIDS];
};

struct shc *shc_new(const char *name, unsigned aperture_bits, size_t limit);
void shc_free(struct shc *c);

/* The type1 calls; 0 or a negative errno. */
int shc_map(struct shc *c, uint64_t iova, uint64_t size, uint64_t vaddr,
            unsigned perm);
int shc_unmap(struct shc *c, uint64_t iova, uint64_t size, uint64_t *unmapped);
int shc_unmap_all(struct shc *c, uint64_t *unmapped);

/* vtd_notify_fn: events become the calls above; errors are recorded. */
int shc_notify(void *opaque, const struct vtd_notify_event *ev);

void shc_log_clear(struct shc *c);
bool shc_mode(const struct shc *c, uint16_t sid, enum vtd_notify_mode *mode);

#endif
