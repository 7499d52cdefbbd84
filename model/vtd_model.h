/*
 * model/vtd_model.h — a host-side model of one Intel VT-d remapping unit.
 *
 * The model is a library: the embedder creates a unit from a configuration,
 * forwards the guest's MMIO accesses to it, asks it to translate DMA requests
 * and to remap interrupt messages, and supplies guest-memory access and
 * interrupt delivery through callbacks.
 *
 * Nothing the guest writes (registers, tables, descriptors) can make the
 * model abort, read outside the embedder's callbacks or loop without bound:
 * every guest-controlled value is validated and every walk is bounded.
 *
 * Register semantics, entry formats and fault reasons follow the VT-d
 * architecture specification; where QEMU's model behaves differently the
 * comment next to the code says so.
 */
#ifndef MODEL_VTD_MODEL_H
#define MODEL_VTD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vtd_model;
struct vtd_trace_event;

/* ------------------------------------------------------------ embedder */

/* Result codes of the device-TLB callback (ATS invalidation, §7.4). */
enum vtd_devtlb_status {
    VTD_DEVTLB_OK = 0,
    VTD_DEVTLB_TIMEOUT,        /* completion never arrived: FSTS.ITE */
    VTD_DEVTLB_BAD_COMPLETION, /* invalid completion: FSTS.ICE */
};

struct vtd_env {
    void *opaque;
    /*
     * Guest-physical memory. Return 0 on success, non-zero when any byte of
     * [gpa, gpa+len) is not guest RAM; the model turns that into the fault
     * or error the architecture names for the structure being accessed.
     */
    int (*mem_read)(void *opaque, uint64_t gpa, void *buf, size_t len);
    int (*mem_write)(void *opaque, uint64_t gpa, const void *buf, size_t len);
    /* Interrupt message the unit itself sends (fault / invalidation event). */
    void (*msi)(void *opaque, uint64_t addr, uint32_t data);
    /* Optional: device-TLB invalidation reaching an ATS device. NULL = OK. */
    enum vtd_devtlb_status (*devtlb_inval)(void *opaque, uint16_t sid,
                                           bool has_pasid, uint32_t pasid,
                                           uint64_t addr, uint64_t size);
    /* Optional: event trace sink, called only for kinds in trace_mask. */
    void (*trace)(void *opaque, const struct vtd_trace_event *ev);
};

/* -------------------------------------------------------- configuration */

enum vtd_cache_policy {
    /* Cache what QEMU caches: context entries and IOTLB leaves. */
    VTD_CACHE_MINIMAL = 0,
    /*
     * Cache everything the architecture permits: context, PASID, IOTLB,
     * paging-structure and interrupt-entry caches, and (with caching mode)
     * not-present entries, each kept until exactly the invalidation that
     * the specification requires. Exposes software that forgets one.
     */
    VTD_CACHE_MAXIMAL,
    /* No caching at all: every request walks the tables. */
    VTD_CACHE_NONE,
};

struct vtd_config {
    unsigned aw_bits;       /* MGAW+1: 39, 48 or 57 (SAGAW up to it) */
    unsigned haw_bits;      /* host address width; 0 = min(aw_bits, 52) */
    bool caching_mode;      /* CAP.CM */
    bool rwbf;              /* CAP.RWBF */
    bool scalable_mode;     /* ECAP.SMTS (+SLTS; RTADDR.TTM=01, IQA.DW) */
    bool first_stage;       /* ECAP.FLTS (needs scalable_mode) */
    bool pasid;             /* ECAP.PASID, PSS = pasid_bits-1 */
    unsigned pasid_bits;    /* 1..20; 0 = 20 */
    bool pass_through;      /* ECAP.PT */
    bool device_iotlb;      /* ECAP.DT */
    bool snoop_control;     /* ECAP.SC */
    bool intr_remap;        /* ECAP.IR (needs QI, always present) */
    bool eim;               /* ECAP.EIM */
    bool esrtps;            /* CAP.ESRTPS: SRTP invalidates DMA caches */
    bool esirtps;           /* CAP.ESIRTPS: SIRTP invalidates the IEC */
    bool large_pages;       /* CAP.SLLPS 2 MiB + 1 GiB (and FL1GP) */
    unsigned nfr;           /* fault recording registers, 1..256; 0 = 1 */
    unsigned mamv;          /* CAP.MAMV, 0..63; 0 with psi=false */
    bool no_psi;            /* clear CAP.PSI */
    unsigned did_bits;      /* 4, 6, 8, 10, 12, 14 or 16; 0 = 16 */
    unsigned iro;           /* IVA at iro*16; 0 = 0xF (QEMU's layout) */
    unsigned fro;           /* FRCD[0] at fro*16; 0 = 0x22 */
    enum vtd_cache_policy cache_policy;
    unsigned cache_entries; /* capacity of each cache; 0 = 4096 */
    uint32_t trace_mask;    /* VTD_TRACE_* kinds to report; 0 = off */
};

/*
 * Create a unit. Returns NULL if the configuration is not one the model can
 * build (the reason goes to *why when why != NULL). The env is copied.
 */
struct vtd_model *vtd_model_create(const struct vtd_config *cfg,
                                   const struct vtd_env *env,
                                   const char **why);
/* Power-on reset: registers to their reset values, caches emptied. */
void vtd_model_reset(struct vtd_model *m);
void vtd_model_destroy(struct vtd_model *m);

/* Size in bytes of the register window (a multiple of 4 KiB). */
uint64_t vtd_model_mmio_size(const struct vtd_model *m);
uint64_t vtd_model_cap(const struct vtd_model *m);
uint64_t vtd_model_ecap(const struct vtd_model *m);

/* -------------------------------------------------------------- MMIO */

/*
 * Register access. size is 1, 2, 4 or 8; the architecture allows aligned
 * 4-byte accesses to any register and aligned 8-byte accesses to 64-bit
 * registers. Any other access (size, alignment, offset outside a register)
 * is ignored on write and reads as 0.
 */
uint64_t vtd_mmio_read(struct vtd_model *m, uint64_t offset, unsigned size);
void vtd_mmio_write(struct vtd_model *m, uint64_t offset, unsigned size,
                    uint64_t value);

/* ------------------------------------------------------ DMA translation */

enum vtd_access {
    VTD_ACC_READ  = 1u << 0,
    VTD_ACC_WRITE = 1u << 1,
    VTD_ACC_EXEC  = 1u << 2,  /* execute request (PASID requests only) */
    VTD_ACC_PRIV  = 1u << 3,  /* supervisor request (PASID requests only) */
};

/* PCIe AT field of the request. */
enum vtd_at {
    VTD_AT_UNTRANSLATED = 0,
    VTD_AT_TRANSLATION_REQ = 1, /* ATS translation request */
    VTD_AT_TRANSLATED = 2,      /* ATS translated request */
};

struct vtd_request {
    uint16_t sid;       /* bus<<8 | dev<<3 | fn */
    bool has_pasid;
    uint32_t pasid;     /* 20 bits, when has_pasid */
    uint64_t addr;      /* IOVA (input address) */
    unsigned access;    /* VTD_ACC_* */
    enum vtd_at at;
};

enum vtd_xlate_status {
    VTD_XLATE_OK = 0,
    VTD_XLATE_FAULT,      /* blocked; fault_reason says why */
    VTD_XLATE_INTERRUPT,  /* write to 0xFEEx_xxxx: an interrupt request */
};

struct vtd_xlate {
    enum vtd_xlate_status status;
    uint64_t addr;        /* output (host-physical) address of req.addr */
    unsigned page_shift;  /* 12, 21 or 30: size of the translation */
    unsigned perm;        /* VTD_ACC_READ|WRITE granted by the walk */
    uint16_t did;         /* domain used (0 when none) */
    uint8_t fault_reason; /* FR code (§8.4) when status == FAULT */
    bool fault_recorded;  /* the fault reached a FRCD (not FPD, not PFO) */
};

enum vtd_xlate_status vtd_translate(struct vtd_model *m,
                                    const struct vtd_request *req,
                                    struct vtd_xlate *out);

/* ------------------------------------------------ interrupt remapping */

struct vtd_irq {
    uint64_t addr;        /* compatibility-format MSI address to deliver */
    uint32_t data;        /* compatibility-format MSI data */
    uint32_t dest;        /* APIC ID (8-bit xAPIC or 32-bit x2APIC) */
    uint8_t vector;
    uint8_t dlm;          /* delivery mode */
    bool dm, tm, rh;      /* logical dest, level trigger, redirection hint */
    bool remapped;        /* false: passed through unchanged */
    uint16_t index;       /* IRTE index when remapped */
    uint8_t fault_reason; /* non-zero: blocked (0x20..0x26) */
    bool fault_recorded;
};

/*
 * Remap an interrupt request (a DMA write of data to addr in the interrupt
 * address window) from source-id sid. Returns 0 if the interrupt is to be
 * delivered as out->addr/out->data, or the fault reason when blocked.
 */
int vtd_remap_msi(struct vtd_model *m, uint16_t sid, uint64_t addr,
                  uint32_t data, struct vtd_irq *out);

/* --------------------------------------------------------------- trace */

enum vtd_trace_kind {
    VTD_TRACE_REG_WRITE = 1u << 0, /* a = offset, b = value, c = size */
    VTD_TRACE_REG_READ  = 1u << 1, /* a = offset, b = value, c = size */
    VTD_TRACE_WALK      = 1u << 2, /* a = table entry address, b = entry, c = level */
    VTD_TRACE_HIT       = 1u << 3, /* a = key, b = cache (enum below), c = did */
    VTD_TRACE_MISS      = 1u << 4, /* same fields */
    VTD_TRACE_INVAL     = 1u << 5, /* a = addr, b = scope kind, c = granularity */
    VTD_TRACE_FAULT     = 1u << 6, /* a = FI, b = reason, c = recorded */
    VTD_TRACE_QI        = 1u << 7, /* a = qw0, b = qw1, c = head */
    VTD_TRACE_IR        = 1u << 8, /* a = addr, b = data, c = index */
    VTD_TRACE_GCMD      = 1u << 9, /* a = command, b = GSTS after */
    VTD_TRACE_ALL       = 0x3ffu,
};

enum vtd_trace_cache {
    VTD_TC_CONTEXT = 0, VTD_TC_PASID, VTD_TC_IOTLB, VTD_TC_PSC, VTD_TC_IEC,
};

struct vtd_trace_event {
    enum vtd_trace_kind kind;
    uint16_t sid;
    uint32_t pasid;
    uint64_t a, b, c;
};

/* Human-readable one-line rendering; returns buf. */
const char *vtd_trace_format(const struct vtd_trace_event *ev, char *buf,
                             size_t len);
/* Fault reason by name ("context entry not present"), or "unknown". */
const char *vtd_fault_reason_name(unsigned reason);

/* ------------------------------------------------------------ counters */

struct vtd_stats {
    uint64_t translations, iotlb_hits, iotlb_misses, walks, faults,
             faults_recorded, qi_descriptors, invalidations, interrupts_sent;
};
void vtd_model_stats(const struct vtd_model *m, struct vtd_stats *out);

#endif
