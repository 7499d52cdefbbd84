/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/machine.h — a guest, the VT-d model with its notifier
 * layer, and the host side that shadows it: containers (VFIO type1
 * rules), an UNMAP-only translate-caching consumer, a device-IOTLB
 * consumer, and the invariant checker that runs after every invalidation
 * the unit completes.
 *
 * The guest acts through statements with the meaning of the scenario
 * language (tests/scenarios/README.md) — map, unmap, protect, split,
 * merge, pte, attach, detach, enable, disable, inv, qi raw — run by the
 * scenario engine's executor with the firmware's driver (vtd/) on guest
 * memory and the unit's registers, and dma, which the host side serves;
 * so a sequence of them prints as a script that reproduces it.
 */
#ifndef HARNESS_SHADOW_MACHINE_H
#define HARNESS_SHADOW_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/parse.h"
#include "harness/shadow/container.h"
#include "harness/shadow/vhost.h"
#include "lib/edu.h"
#include "model/vtd_model.h"
#include "model/vtd_notify.h"

#define SH_DEVS   6 /* edu0..edu5: three buses, sibling functions */
#define SH_DOMS   8
#define SH_CONTS  3 /* containers A..C */
#define SH_CONS   16
#define SH_GROUPS 8
#define SH_DIRTY  32
#define SH_PT_DID 60 /* pass-through contexts use DID 60 + dev */

/* ------------------------------------------------------------ statements */

/*
 * The statements are the scenario engine's (engine/parse.h), of the kinds
 * domain, set via, attach, attach passthrough, detach, enable, disable,
 * map, unmap, protect, split, merge, pte, inv cc, inv iotlb, qi raw and
 * dma, with what the scenario says of its domains (dom[]: did, aw).
 */

/* Whether the harness carries out a statement of this kind. (The engine
 * prints them: scn_stmt_format.) */
bool sh_stmt_modelled(const struct scn_stmt *st);

/* ---------------------------------------------------------------- machine */

struct sh_config {
    unsigned aw_bits; /* 48 or 57 */
    enum vtd_cache_policy policy;
    bool esrtps;
    unsigned cache_entries;
    bool shared;     /* edu2 and edu4 share edu1's and edu3's container */
    unsigned mutate; /* SH_MUT_*: break the host on purpose */
};

/* Deliberate faults for testing the checker and the shrinker. */
#define SH_MUT_DROP_UNMAP_2M   1u /* the container ignores UNMAPs of 2 MiB */
#define SH_MUT_VHOST_DEAF      2u /* the UNMAP-only consumer ignores DSI flushes */
#define SH_MUT_VHOST_DEAF_PAGE 4u /* ... and page-selective ones */
#define SH_MUT_REATTACH_DEAF                         \
    8u /* containers ignore a re-registration's MAPs \
        */

enum sh_violation {
    SHV_NONE = 0,
    SHV_CONSUMER_ERROR, /* a consumer refused an event */
    SHV_SHADOW,         /* container differs from the guest's tables */
    SHV_SPURIOUS,       /* container changed where the guest did not */
    SHV_CHURN,          /* a mapping removed and put back unchanged */
    SHV_STALE,          /* the UNMAP-only consumer holds a stale entry */
    SHV_MODE,           /* a device's reported mode is wrong */
    SHV_FOLLOW,         /* a group shadows the wrong domain */
    SHV_LAYER,          /* the layer's own shadow differs */
    SHV_MODEL,          /* the unit's translation differs from the tables */
    SHV_DEVTLB,         /* device-IOTLB events wrong */
    SHV_HARNESS,        /* the harness met something it cannot judge */
};

const char *sh_violation_name(enum sh_violation v);

struct sh_domain {
    bool live;
    uint16_t did;
    unsigned levels, width;
    uint64_t root;
    const struct vtd_domain *vd; /* the engine's (scn_domain) */
};

struct sh_dev {
    uint16_t sid;
    int ctx;      /* -1 not present, -2 pass-through, else domain */
    uint16_t did; /* of the present context */
};

/* A device's translation as the checker decodes it from memory. */
struct sh_ident {
    enum vtd_notify_mode mode;
    uint16_t did;
    uint64_t root;
    unsigned levels, width;
};

/*
 * The host acting on its own between two guest operations, on a
 * container's consumer K (the order of registration, 0-based):
 *   replay    the layer replays K's device (as on a listener added to the
 *             container): the shadow already holds everything, so it must
 *             MAP nothing;
 *   reattach  K leaves and registers again (the device unplugged from its
 *             container and plugged back): afterwards the shadow must again
 *             equal the guest's tables;
 *   regroup   every consumer of K's group leaves (the last one takes the
 *             group's shadow with it) and registers again.
 * A script carries them as notes, `note "host: replay consumer K"`, which
 * the firmware prints and the harness carries out.
 */
enum sh_host {
    SH_HOST_REPLAY,
    SH_HOST_REATTACH,
    SH_HOST_REGROUP,
    SH_HOST_KINDS
};

struct sh_machine;

struct sh_cons {
    struct sh_machine *mc;
    struct vtd_notify_consumer *c;
    struct vtd_notify_reg reg; /* as registered: a reattach repeats it */
    int dev;
    int group;
    struct shc *cont; /* NULL: UNMAP-only or device-IOTLB */
};

struct sh_group {
    struct shc *cont;
    uint64_t first, last;
    int members[SH_DEVS];
    unsigned nmem;
    bool following;
    struct sh_ident ident; /* what it followed at the last check */
};

struct sh_devtlb_ev {
    uint64_t iova, size;
};

struct sh_machine {
    struct sh_config cfg;
    struct vtd_model *m;
    struct vtd_notifier *n;
    uint8_t *ram;
    uint64_t ram_size, next_page, high_water;
    /* the guest: the scenario engine's run, its devices by source-id */
    bool begun;   /* the engine's scenario is set up */
    bool closing; /* its clean-up runs: nothing is checked */
    struct edu edu[SH_DEVS];
    struct sh_domain dom[SH_DOMS];
    struct sh_dev dev[SH_DEVS];
    unsigned via; /* the scenario's default interface */

    /* host side */
    struct shc *cont[SH_CONTS];
    struct sh_cons cons[SH_CONS];
    unsigned ncons;
    struct sh_group group[SH_GROUPS];
    unsigned ngroup;
    struct shv vhost;
    int vhost_dev;
    int devtlb_dev;
    enum vtd_notify_mode devtlb_mode; /* as the layer told its consumer */
    bool devtlb_told;
    uint64_t devtlb_first, devtlb_last;
    struct sh_devtlb_ev devtlb_ev[16];
    unsigned ndevtlb_ev;

    /* checking */
    bool full_pending;
    unsigned ndirty; /* when full, a change widens a range of its domain */
    struct {
        uint64_t root, first, last;
    } dirty[SH_DIRTY];
    uint64_t checks, full_checks, invalidations, stmts;
    struct sh_ident last_dev[SH_DEVS]; /* at the last check */
    enum sh_violation violation;
    char why[512];
    bool stop_on_violation;
    bool reattaching;                  /* consumers register again (host_act) */
    uint64_t host_acts[SH_HOST_KINDS]; /* carried out */
};

/* A machine: guest RAM, the unit (caching mode on), the layer and the
 * consumers, translation off. NULL when something could not be built. */
struct sh_machine *sh_machine_new(const struct sh_config *cfg);
void sh_machine_free(struct sh_machine *mc);

/*
 * Carry out one statement through the scenario engine (c: the scenario,
 * for its domains; it must outlive the machine). 0, or a negative errno
 * when the statement does not apply to the guest's present state (map
 * over a present entry, protect of nothing, split of no leaf, ...): the
 * harness's own checks refused it (nothing changed), or the engine ran it
 * and reported an ERROR; either way the guest is no longer a valid one.
 */
int sh_exec(struct sh_machine *mc, const struct scn_scenario *c,
            const struct scn_stmt *st);

/* The statement's text for a host action (static). */
const char *sh_host_text(enum sh_host h, unsigned k);
/* Whether st is a host action note; its kind and consumer. */
bool sh_host_parse(const struct scn_stmt *st, enum sh_host *h, unsigned *k);

/* Run the checker now, over everything. */
void sh_check_now(struct sh_machine *mc);

/* ---------------------------------------------------- guest-table lookups */

struct sh_walk {
    uint64_t pte[6]; /* entry read at each level */
    unsigned level;  /* leaf level, or where the walk stopped */
    bool present;    /* a leaf translates iova */
};

/* Walk domain d's tables for iova, as the guest sees them. */
void sh_lookup(const struct sh_machine *mc, unsigned d, uint64_t iova,
               struct sh_walk *w);
/* A leaf of `level` could be mapped at iova (map would not say EEXIST). */
bool sh_slot_free(struct sh_machine *mc, unsigned d, uint64_t iova,
                  unsigned level);
/* unmap / protect over the range would not cut a large leaf (and, with
 * need_leaf, would find one). */
bool sh_leaves_ok(struct sh_machine *mc, unsigned d, uint64_t iova,
                  uint64_t size, bool need_leaf);
/* merge at level would succeed. */
bool sh_mergeable(struct sh_machine *mc, unsigned d, uint64_t iova,
                  unsigned level);

/* ------------------------------------------------------------ internal */

void sh_check(struct sh_machine *mc, bool full);
void sh_violate(struct sh_machine *mc, enum sh_violation v, const char *fmt,
                ...) __attribute__((format(printf, 3, 4)));

static inline bool sh_ram_ok(const struct sh_machine *mc, uint64_t pa,
                             uint64_t len)
{
    return pa < mc->ram_size && len <= mc->ram_size - pa;
}

static inline uint64_t sh_r64(const struct sh_machine *mc, uint64_t pa)
{
    uint64_t v = 0;

    if (sh_ram_ok(mc, pa, 8))
        __builtin_memcpy(&v, mc->ram + pa, 8);
    return v;
}

#endif
