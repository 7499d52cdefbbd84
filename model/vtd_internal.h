/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/vtd_internal.h — state shared by the model's translation units.
 * Not part of the interface: other folders include only vtd_model.h.
 */
#ifndef MODEL_VTD_INTERNAL_H
#define MODEL_VTD_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "model/vtd_model.h"
#include "model/vtd_regs.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "guest structures are read as little-endian words");

#define VTD_NO_PASID 0xFFFFFFFFu /* tag of requests without PASID */
#define VTD_ANY_DID  0xFFFFFFFFu /* SM context entries carry no DID */

/* ---------------------------------------------------------------- caches */

enum vtd_cache_kind {
    CK_CONTEXT,
    CK_PASID,
    CK_IOTLB,
    CK_PSC,
    CK_IEC,
    CK_COUNT
};

/* Decoded context (legacy or scalable) as the context cache holds it. */
struct vtd_ctx_info {
    uint8_t fault;  /* non-zero: cached not-present/invalid (CM=1) */
    uint8_t tt;     /* legacy TT */
    uint8_t levels; /* legacy SL levels */
    uint8_t fpd;
    uint8_t sm; /* scalable-mode entry */
    uint8_t pdts;
    uint8_t dte, paside, pre;
    uint32_t did; /* legacy DID; VTD_ANY_DID in scalable mode */
    uint32_t rid_pasid;
    uint64_t ptr; /* SLPTPTR or PASID directory pointer */
};

/* Decoded PASID-table entry as the PASID cache holds it. */
struct vtd_pasid_info {
    uint8_t fault;
    uint8_t pgtt;
    uint8_t fpd;
    uint8_t levels; /* SS levels (PGTT 010) or FS levels (PGTT 001) */
    uint8_t sre, wpe;
    uint32_t did;
    uint64_t ptr; /* SSPTPTR or FSPTPTR */
};

struct vtd_tlb_info {
    uint64_t out;     /* output address of the cached 4 KiB page */
    uint8_t shift;    /* size of the leaf it came from: 12, 21, 30 */
    uint8_t perm;     /* VTD_ACC_READ|WRITE; 0 = cached not-present */
    uint8_t fault;    /* cached fault reason for perm == 0 entries */
    uint8_t fs_flags; /* first stage: stacked R/W and U/S bits */
    uint64_t pte;     /* first stage: the address of the leaf entry */
};

struct vtd_psc_info {
    uint64_t table; /* address of the table of entries at `level` */
    uint8_t perm;   /* permissions stacked above it */
};

struct vtd_iec_info {
    uint64_t w0, w1;
};

struct vtd_centry {
    uint64_t key, key2;
    uint32_t chain; /* next in hash bucket, index+1; 0 = end */
    uint32_t slot;  /* position in the live array */
    uint32_t gen;   /* domain generation at insert (tagged caches) */
    /* tags used by invalidation */
    uint32_t did, pasid;
    uint16_t sid;
    uint8_t level; /* PSC: table level; IOTLB: 1 */
    uint64_t base; /* first input address covered */
    uint64_t span; /* bytes covered by the entry */
    union {
        struct vtd_ctx_info ctx;
        struct vtd_pasid_info pe;
        struct vtd_tlb_info tlb;
        struct vtd_psc_info psc;
        struct vtd_iec_info iec;
    } u;
};

struct vtd_cache {
    struct vtd_centry *e; /* pool, capacity entries */
    uint32_t *bucket;     /* index+1 of first entry */
    uint32_t *live;       /* indices of live entries, dense */
    uint32_t *freel;      /* free indices */
    uint32_t capacity, nbuckets, nlive, nfree, evict;
    uint32_t nused; /* slots ever handed out since the last clear */
    unsigned shift; /* 64 - log2(nbuckets) */
    bool enabled;
    /*
     * Domain-tagged caches (IOTLB, paging-structure) keep a generation per
     * DID: a domain-selective invalidation bumps it in O(1) and entries of
     * an older generation are dead (dropped when next met). The DID of an
     * entry is bits 47:32 of its key2, already within the unit's DID width.
     */
    uint32_t *domgen;
    uint32_t did_mask; /* domgen has did_mask+1 entries */
    uint32_t *changed; /* bumped whenever an entry leaves the cache */
};

/* did_bits != 0 makes a domain-tagged cache. */
int vtd_cache_init(struct vtd_cache *c, uint32_t capacity, bool enabled,
                   unsigned did_bits, uint32_t *changed);
/* Domain-selective invalidation of a tagged cache. */
void vtd_cache_drop_domain(struct vtd_cache *c, uint32_t did);
void vtd_cache_fini(struct vtd_cache *c);
void vtd_cache_clear(struct vtd_cache *c);
struct vtd_centry *vtd_cache_find(struct vtd_cache *c, uint64_t key,
                                  uint64_t key2);
/* Insert (replacing an entry with the same key); NULL when disabled. */
struct vtd_centry *vtd_cache_insert(struct vtd_cache *c, uint64_t key,
                                    uint64_t key2);
void vtd_cache_remove(struct vtd_cache *c, struct vtd_centry *e);
/* Remove every entry for which match() says so; returns how many. */
uint32_t vtd_cache_remove_if(struct vtd_cache *c,
                             bool (*match)(const struct vtd_centry *,
                                           const void *),
                             const void *arg);

/* ------------------------------------------------- invalidation scopes */

/*
 * Every invalidation the unit performs, whatever its source (register,
 * queued descriptor, SRTP/TE side effect), is described by one scope and
 * passed to vtd_inval_notify(): the single place where a consumer of
 * invalidations (the notifier layer) attaches.
 */
enum vtd_inval_kind {
    VTD_INV_CONTEXT, /* context cache */
    VTD_INV_IOTLB,   /* IOTLB + paging-structure caches */
    VTD_INV_PIOTLB,  /* PASID-based IOTLB */
    VTD_INV_PASID,   /* PASID cache */
    VTD_INV_DEVTLB,  /* device-TLB (forwarded to the device) */
    VTD_INV_IEC,     /* interrupt-entry cache */
    VTD_INV_ALL,     /* everything DMA-side (SRTP with ESRTPS, TE off) */
};

enum vtd_inval_gran {
    VTD_IG_GLOBAL,
    VTD_IG_DOMAIN, /* by DID */
    VTD_IG_DEVICE, /* context: by SID/FM within DID */
    VTD_IG_PASID,  /* by DID + PASID */
    VTD_IG_PAGE,   /* by DID (+PASID) + address range */
    VTD_IG_INDEX,  /* IEC: by index range */
};

struct vtd_inval_scope {
    enum vtd_inval_kind kind;
    enum vtd_inval_gran gran;
    uint32_t did;
    uint32_t pasid;
    uint16_t sid;
    uint8_t fm;
    uint8_t am;
    bool ih;
    uint64_t addr; /* page: first byte; IEC: first index */
    uint64_t size; /* page: bytes; IEC: count */
    bool from_qi;
};

typedef void (*vtd_inval_hook_fn)(void *opaque,
                                  const struct vtd_inval_scope *scope);

/* ----------------------------------------------------------- the unit */

struct vtd_frcd {
    uint64_t lo, hi;
};

/*
 * The four registers of an event (§8.3): control (IM, IP), data, address
 * and upper address, at consecutive dwords, alike for the fault,
 * invalidation completion and page request events.
 */
struct vtd_event {
    uint32_t ctl, data, addr, uaddr;
};
#define VTD_EVENT_CTL   0u
#define VTD_EVENT_DATA  1u
#define VTD_EVENT_ADDR  2u
#define VTD_EVENT_UADDR 3u

/*
 * The front of the IOTLB: a direct-mapped table of recent legacy-mode
 * translations by (source-id, page). An entry is only good while front_gen
 * is unchanged, and front_gen moves whenever anything leaves a cache or the
 * translation state changes, so a front hit returns exactly what the
 * context cache and IOTLB would.
 */
#define VTD_FRONT_SIZE 1024u
struct vtd_front {
    uint64_t pfn;
    uint64_t out; /* output address of the 4 KiB page */
    uint32_t gen;
    uint16_t sid;
    uint16_t did;
    uint8_t perm, shift;
};

struct vtd_model {
    struct vtd_config cfg;
    struct vtd_env env;
    uint64_t cap, ecap;
    unsigned haw, mgaw, did_bits, nfr, pss;
    uint64_t iva_off, frcd_off, mmio_size;
    uint64_t haw_rsvd;        /* bits HAW..51 of a 64-bit address word */
    uint8_t regmap[0xF0 / 4]; /* fixed registers by dword, see reg_find */

    /* registers */
    uint32_t gsts;
    uint64_t rtaddr, rta_active;
    uint64_t ccmd;
    uint32_t fsts;
    struct vtd_event fe;
    uint64_t iqh, iqt, iqa;
    uint32_t ics;
    struct vtd_event ie;
    uint64_t iqercd;
    uint64_t irta, irta_active;
    uint64_t pqh, pqt, pqa;
    uint32_t prs;
    struct vtd_event pe;
    uint64_t iva, iotlb;
    struct vtd_frcd *frcd;
    unsigned frcd_next;
    bool qi_last_wait;

    struct vtd_cache cache[CK_COUNT];
    uint32_t tlb_shifts;     /* bit 0/1/2: 4K/2M/1G leaves in the IOTLB */
    struct vtd_front *front; /* NULL with the "none" policy */
    uint32_t front_gen;
    struct vtd_stats stats;

    bool probing; /* vtd_translate_probe() in progress */

    vtd_inval_hook_fn inval_hook; /* the notifier layer attaches here */
    void *inval_opaque;
};

/* Guest memory through the embedder; 0 on success. */
static inline int vtd_rd(struct vtd_model *m, uint64_t gpa, void *buf,
                         size_t len)
{
    return m->env.mem_read(m->env.opaque, gpa, buf, len);
}

void vtd_trace_emit(struct vtd_model *m, enum vtd_trace_kind kind, uint16_t sid,
                    uint32_t pasid, uint64_t a, uint64_t b, uint64_t c);
#define VTD_TRACE(m, kind, sid, pasid, a, b, c)                         \
    do {                                                                \
        if (__builtin_expect(((m)->cfg.trace_mask & (kind)) != 0, 0))   \
            vtd_trace_emit((m), (kind), (sid), (pasid), (a), (b), (c)); \
    } while (0)

/* vtd_model.c: fault recording and events */
struct mv_fault {
    uint16_t sid;
    uint8_t reason;
    bool write; /* T=0 */
    bool has_pasid, priv, exe;
    uint32_t pasid;
    uint8_t at;
    uint64_t fi; /* page address or index<<48 */
};
/* Records a primary fault; returns true if it reached a FRCD. */
bool vtd_record_fault(struct vtd_model *m, const struct mv_fault *f);
/* FSTS.IQE/ICE/ITE newly set, with the fault-event rules. */
void vtd_set_fsts_error(struct vtd_model *m, uint32_t bit);
/* Events: reset state; an interrupt condition; a write of register reg
 * (VTD_EVENT_*), data bits outside data_mask reserved. */
void vtd_event_reset(struct vtd_event *ev);
void vtd_event_raise(struct vtd_model *m, struct vtd_event *ev);
void vtd_event_write(struct vtd_model *m, struct vtd_event *ev, unsigned reg,
                     uint32_t val, uint32_t data_mask);
void vtd_inv_event(struct vtd_model *m); /* invalidation-completion event */

/* vtd_inval.c */
void vtd_inval_notify(struct vtd_model *m, const struct vtd_inval_scope *s);
void vtd_inval_do(struct vtd_model *m, const struct vtd_inval_scope *s);
void vtd_ccmd_write(struct vtd_model *m);
void vtd_iotlb_write(struct vtd_model *m);
void vtd_qi_process(struct vtd_model *m);
/* Scalable-mode context lookup (through the context cache) for a request. */
uint8_t vtd_sm_context(struct vtd_model *m, uint16_t sid,
                       struct vtd_ctx_info *ci);
/* Page request registers (vtd_prq.c). */
bool vtd_prq_reg_read(const struct vtd_model *m, uint64_t base, uint64_t *v);
bool vtd_prq_reg_write(struct vtd_model *m, uint64_t base, uint64_t val,
                       uint64_t wmask);
void vtd_prq_reset(struct vtd_model *m);
/* Page group response descriptor: 0, or the IQEI of the error. */
uint8_t vtd_prq_group_response(struct vtd_model *m, const uint64_t q[4],
                               bool wide);
void vtd_set_inval_hook(struct vtd_model *m, vtd_inval_hook_fn fn,
                        void *opaque);

/* vtd_translate_probe() is declared in vtd_model.h. */

/*
 * vtd_walk.c, for the notifier layer: how requests without PASID from a
 * device are translated, read from memory now (no cache, nothing recorded
 * or counted), and the reserved bits of a second-level entry.
 */
enum vtd_dev_mode {
    VTD_DEV_BLOCKED, /* every request faults (fault says why) */
    VTD_DEV_BYPASS,  /* untranslated: TE off, or pass-through */
    VTD_DEV_SECOND,  /* second-level / second-stage tables */
    VTD_DEV_FIRST,   /* first-stage tables (scalable mode) */
};

struct vtd_dev_xlate {
    enum vtd_dev_mode mode;
    uint8_t fault; /* BLOCKED: the reason a request would get */
    bool sm;       /* scalable-mode entry (leaf reserved-bit rules) */
    bool wpe;
    uint32_t did;   /* domain, when an entry names one */
    uint32_t pasid; /* RID_PASID in scalable mode, else VTD_NO_PASID */
    unsigned levels;
    unsigned width; /* input-address bits that translate */
    uint64_t root;  /* page-table root */
};

void vtd_dev_xlate_probe(struct vtd_model *m, uint16_t sid,
                         struct vtd_dev_xlate *out);
uint64_t mv_sl_rsvd(const struct vtd_model *m, unsigned level, bool leaf,
                    bool sm);

/* vtd_ir.c: the same for interrupt remapping (no IEC, nothing recorded). */
int vtd_remap_msi_probe(struct vtd_model *m, uint16_t sid, uint64_t addr,
                        uint32_t data, struct vtd_irq *out);

/* shared by vtd_ir.c, vtd_walk.c and vtd_inval.c */
uint64_t vtd_did_mask(const struct vtd_model *m);

#endif
