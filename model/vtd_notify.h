/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/vtd_notify.h — the notifier layer: keeps what the host has mapped
 * for an assigned device (its "shadow") equal to the guest's page tables.
 *
 * The remapping unit learns of the guest's changes only through
 * invalidations. For each one the layer walks the invalidated range of the
 * affected domains' tables and sends each consumer the difference: UNMAP
 * for mappings removed or changed, MAP for mappings added or changed,
 * nothing for what did not change. Context changes, translation-type
 * changes, a device moving between domains, a context entry becoming
 * non-present, TE off and reset resynchronise the devices they touch.
 *
 * A consumer registers for one device (source-id), a set of events and an
 * IOVA range, and names the host container (IOVA space) it feeds.
 * Consumers of one container with the same range form one group with one
 * shadow: a group is synchronised once per invalidation whatever the
 * number of its devices, so a container never sees an event twice. See
 * model/README.md for what happens when the devices of a group are put in
 * different guest domains.
 *
 * Events are cropped to the consumer's range (a cropped MAP has its
 * translated address shifted by the same amount). A shadow entry is only
 * ever unmapped whole, so a container that refuses to split a mapping
 * (VFIO type1) never sees a request to. Every event's size fits in 64
 * bits: "unmap everything" is a series of chunks inside the range.
 */
#ifndef MODEL_VTD_NOTIFY_H
#define MODEL_VTD_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/vtd_model.h"

struct vtd_notifier;
struct vtd_notify_consumer;

/* What a consumer asks for. */
enum vtd_notify_flag {
    VTD_NOTIFY_MAP = 1u << 0,   /* new mappings (needs CAP.CM) */
    VTD_NOTIFY_UNMAP = 1u << 1, /* removed mappings / flushes */
    VTD_NOTIFY_DEVIOTLB_UNMAP = 1u
                                << 2, /* device-TLB invalidations (ECAP.DT) */
};

enum vtd_notify_type {
    VTD_EV_MAP,
    VTD_EV_UNMAP,
    VTD_EV_DEVIOTLB_UNMAP,
    VTD_EV_MODE, /* the device's translation mode changed */
};

/* How the device's requests without PASID are handled. */
enum vtd_notify_mode {
    VTD_MODE_BLOCKED = 0, /* they fault: no context, bad entry, ... */
    VTD_MODE_BYPASS,      /* untranslated: TE off or pass-through */
    VTD_MODE_TRANSLATED,  /* through page tables: the shadow applies */
};

#define VTD_NOTIFY_NO_PASID 0xFFFFFFFFu

struct vtd_notify_event {
    enum vtd_notify_type type;
    uint64_t iova;
    uint64_t size;             /* bytes, at most 2^63 */
    uint64_t addr;             /* MAP: translated address of iova */
    unsigned perm;             /* MAP: VTD_ACC_READ | VTD_ACC_WRITE */
    bool unmap_all;            /* UNMAP: a chunk of "unmap everything" in the
                                * range; it may cover holes */
    uint16_t sid;              /* the consumer's device */
    enum vtd_notify_mode mode; /* MODE */
    uint32_t pasid; /* DEVIOTLB_UNMAP: PASID or VTD_NOTIFY_NO_PASID */
};

/* Return 0, or a negative errno: the layer counts it as a consumer error. */
typedef int (*vtd_notify_fn)(void *opaque, const struct vtd_notify_event *ev);

struct vtd_notify_reg {
    uint16_t sid;
    unsigned flags;        /* VTD_NOTIFY_* */
    uint64_t first, last;  /* IOVA range, inclusive, 4 KiB granular */
    const void *container; /* host IOVA space; NULL: a private one */
    vtd_notify_fn notify;
    void *opaque;
};

/* The layer of one unit; it takes the unit's invalidation hook. */
struct vtd_notifier *vtd_notify_create(struct vtd_model *m);
void vtd_notify_destroy(struct vtd_notifier *n);

/*
 * Register a consumer. Refused (NULL, reason in *why) where it cannot
 * work: MAP without caching mode (the guest does not invalidate when it
 * adds a mapping), MAP without UNMAP, device-IOTLB without ECAP.DT, an
 * empty or misaligned range, a range that partly overlaps another group of
 * the same container, or flags differing from the group it would join.
 * The consumer gets a MODE event, then (MAP) the device's current
 * mappings: a replay.
 */
struct vtd_notify_consumer *vtd_notify_register(struct vtd_notifier *n,
                                                const struct vtd_notify_reg *r,
                                                const char **why);
/* Leave; the last consumer of a group gets its shadow unmapped. */
void vtd_notify_unregister(struct vtd_notify_consumer *c);

/*
 * Replay: MAP whatever the guest's tables hold in the range that the
 * shadow does not have yet. Never unmaps anything. Walks only present
 * directories. Returns the number of MAP events.
 */
uint64_t vtd_notify_replay(struct vtd_notify_consumer *c);

/*
 * The most page-table pages one walk reads. Tables can alias each other,
 * so without a bound a guest could make one walk visit 512^levels
 * entries; a walk that reaches it stops (stats.truncated) and leaves the
 * rest unshadowed. 0 restores the default, 2^20 tables (512 Mi entries).
 */
#define VTD_NOTIFY_WALK_BUDGET (1ull << 20)
void vtd_notify_set_walk_budget(struct vtd_notifier *n, uint64_t tables);

/* An invalidation the layer has finished with, for the embedder's checks. */
enum vtd_notify_inval_kind {
    VTD_NI_CONTEXT,
    VTD_NI_IOTLB,
    VTD_NI_PIOTLB,
    VTD_NI_PASID,
    VTD_NI_DEVTLB,
    VTD_NI_IEC,
    VTD_NI_ALL,
    VTD_NI_OTHER,
};
struct vtd_notify_inval {
    enum vtd_notify_inval_kind kind;
    bool global, domain, page; /* granularity (none set: device/PASID) */
    uint32_t did;
    uint64_t addr, size; /* page: range; size 0 means 2^64 */
};
void vtd_notify_set_done(struct vtd_notifier *n,
                         void (*done)(void *opaque,
                                      const struct vtd_notify_inval *inv),
                         void *opaque);

/* What a consumer's group currently shadows, for checkers and tests. */
struct vtd_notify_state {
    enum vtd_notify_mode mode; /* this consumer's device */
    bool following;            /* the group shadows a translation */
    uint32_t did;              /* ... of this domain */
    uint64_t root;             /* ... through tables at this address */
    unsigned levels;
    bool first_stage;
    bool conflict;  /* group members disagree (README) */
    bool delivers;  /* this consumer receives the group's events */
    size_t entries; /* shadow entries */
};
void vtd_notify_state(const struct vtd_notify_consumer *c,
                      struct vtd_notify_state *out);
/* Every shadow entry of the consumer's group, in address order. */
void vtd_notify_shadow_foreach(const struct vtd_notify_consumer *c,
                               bool (*fn)(void *opaque, uint64_t iova,
                                          uint64_t size, uint64_t addr,
                                          unsigned perm),
                               void *opaque);

struct vtd_notify_stats {
    uint64_t invalidations; /* seen through the hook */
    uint64_t syncs;         /* range synchronisations of a group */
    uint64_t replays;
    uint64_t maps, unmaps; /* events sent */
    uint64_t unmap_all_chunks;
    uint64_t deviotlb, modes;
    uint64_t tables_read;     /* page-table pages visited */
    uint64_t entries_read;    /* page-table entries read */
    uint64_t consumer_errors; /* events a consumer refused */
    uint64_t conflicts;       /* groups entering a conflict */
    uint64_t nested;          /* invalidations raised from a callback */
    uint64_t truncated;       /* walks stopped by the budget */
};
void vtd_notify_stats(const struct vtd_notifier *n,
                      struct vtd_notify_stats *out);

#endif
