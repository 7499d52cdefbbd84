/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/model/mtest.h — a small machine around the VT-d model for unit
 * tests: guest RAM as a byte array, a page allocator, an MSI log, and
 * functions that program the unit the way a driver would.
 */
#ifndef TESTS_MODEL_MTEST_H
#define TESTS_MODEL_MTEST_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/vtd_model.h"
#include "model/vtd_regs.h"
#include "tests/host/tap.h"

#define MT_RAM_SIZE (16u << 20)
#define MT_MAX_MSI  64

struct mt {
    struct vtd_model *m;
    uint8_t *ram;
    uint64_t next_page;
    unsigned nmsi;
    uint64_t msi_addr[MT_MAX_MSI];
    uint32_t msi_data[MT_MAX_MSI];
    unsigned reads;
    enum vtd_devtlb_status devtlb_status;
    unsigned devtlb_calls;
    uint64_t root; /* root table */
    uint64_t iq;   /* invalidation queue */
    unsigned iq_wide;
    uint64_t status_page;
};

static int mt_read(void *o, uint64_t gpa, void *buf, size_t len)
{
    struct mt *t = o;

    t->reads++;
    if (gpa >= MT_RAM_SIZE || len > MT_RAM_SIZE - gpa)
        return -1;
    memcpy(buf, t->ram + gpa, len);
    return 0;
}

static int mt_write(void *o, uint64_t gpa, const void *buf, size_t len)
{
    struct mt *t = o;

    if (gpa >= MT_RAM_SIZE || len > MT_RAM_SIZE - gpa)
        return -1;
    memcpy(t->ram + gpa, buf, len);
    return 0;
}

static void mt_msi(void *o, uint64_t addr, uint32_t data)
{
    struct mt *t = o;

    if (t->nmsi < MT_MAX_MSI) {
        t->msi_addr[t->nmsi] = addr;
        t->msi_data[t->nmsi] = data;
    }
    t->nmsi++;
}

static enum vtd_devtlb_status mt_devtlb(void *o, uint16_t sid, bool hp,
                                        uint32_t pasid, uint64_t addr,
                                        uint64_t size)
{
    struct mt *t = o;

    t->devtlb_calls++;
    return t->devtlb_status;
}

__attribute__((unused)) static struct vtd_config mt_default_config(void)
{
    struct vtd_config c = {
        .aw_bits = 48,
        .pass_through = true,
        .intr_remap = true,
        .large_pages = true,
        .mamv = 18,
        .nfr = 4,
        .device_iotlb = true,
    };
    return c;
}

__attribute__((unused)) static struct mt *mt_new(const struct vtd_config *cfg)
{
    struct mt *t = calloc(1, sizeof(*t));
    struct vtd_env env = {
        .opaque = t,
        .mem_read = mt_read,
        .mem_write = mt_write,
        .msi = mt_msi,
        .devtlb_inval = mt_devtlb,
    };
    const char *why = NULL;

    if (!t)
        abort();
    t->ram = calloc(1, MT_RAM_SIZE);
    t->next_page = 1u << 20;
    env.opaque = t;
    t->m = vtd_model_create(cfg, &env, &why);
    if (!t->m) {
        printf("Bail out! model: %s\n", why ? why : "?");
        exit(1);
    }
    return t;
}

__attribute__((unused)) static void mt_free(struct mt *t)
{
    vtd_model_destroy(t->m);
    free(t->ram);
    free(t);
}

__attribute__((unused)) static uint64_t mt_page(struct mt *t)
{
    uint64_t p = t->next_page;

    t->next_page += 4096;
    if (t->next_page > MT_RAM_SIZE) {
        printf("Bail out! out of guest RAM\n");
        exit(1);
    }
    memset(t->ram + p, 0, 4096);
    return p;
}

static inline uint64_t mt_r64m(struct mt *t, uint64_t gpa)
{
    uint64_t v;

    memcpy(&v, t->ram + gpa, 8);
    return v;
}

static inline void mt_w64m(struct mt *t, uint64_t gpa, uint64_t v)
{
    memcpy(t->ram + gpa, &v, 8);
}

static inline uint32_t mt_r32(struct mt *t, uint64_t off)
{
    return (uint32_t)vtd_mmio_read(t->m, off, 4);
}
static inline uint64_t mt_r64(struct mt *t, uint64_t off)
{
    return vtd_mmio_read(t->m, off, 8);
}
static inline void mt_w32(struct mt *t, uint64_t off, uint32_t v)
{
    vtd_mmio_write(t->m, off, 4, v);
}
static inline void mt_w64(struct mt *t, uint64_t off, uint64_t v)
{
    vtd_mmio_write(t->m, off, 8, v);
}

/* Write a register, then read back what it holds. */
static inline uint32_t mt_w32_back(struct mt *t, uint64_t off, uint32_t v)
{
    mt_w32(t, off, v);
    return mt_r32(t, off);
}
static inline uint64_t mt_w64_back(struct mt *t, uint64_t off, uint64_t v)
{
    mt_w64(t, off, v);
    return mt_r64(t, off);
}

static inline uint64_t mt_iva_off(struct mt *t)
{
    return ((vtd_model_ecap(t->m) >> MV_ECAP_IRO_SHIFT) & 0x3FF) * 16;
}
static inline uint64_t mt_frcd_off(struct mt *t, unsigned i)
{
    return ((vtd_model_cap(t->m) >> MV_CAP_FRO_SHIFT) & 0x3FF) * 16 + 16ull * i;
}

/* The driver's way: derive from GSTS without the one-shot status bits. */
__attribute__((unused)) static void mt_gcmd(struct mt *t, uint32_t bit, int on)
{
    uint32_t cur = mt_r32(t, MV_REG_GSTS) & 0x96FFFFFFu;

    mt_w32(t, MV_REG_GCMD, on ? cur | bit : cur & ~bit);
}

/* Root table at a fresh page, latched by SRTP. */
__attribute__((unused)) static void mt_set_root(struct mt *t, unsigned ttm)
{
    if (!t->root)
        t->root = mt_page(t);
    mt_w64(t, MV_REG_RTADDR, t->root | FIELD_PREP(MV_RTADDR_TTM, ttm));
    mt_gcmd(t, MV_GCMD_SRTP, 1);
}

/* Legacy context entry for sid; returns the SL root table address. */
__attribute__((unused)) static uint64_t mt_ctx(struct mt *t, uint16_t sid,
                                               unsigned did, unsigned aw,
                                               unsigned tt, uint64_t slpt)
{
    uint64_t rootent = t->root + (sid >> 8) * 16ull, ct;

    ct = mt_r64m(t, rootent) & ~0xFFFull;
    if (!ct) {
        ct = mt_page(t);
        mt_w64m(t, rootent, ct | 1);
    }
    if (!slpt && tt != 2)
        slpt = mt_page(t);
    mt_w64m(t, ct + (sid & 0xFF) * 16ull + 8, (uint64_t)did << 8 | aw);
    mt_w64m(t, ct + (sid & 0xFF) * 16ull, slpt | (uint64_t)tt << 2 | 1);
    return slpt;
}

/*
 * The table the level-l entry of iova in `table` points to; an entry
 * without any `present` bit gets a fresh table with `flags` (either
 * paging format: the address is bits 51:12).
 */
__attribute__((unused)) static uint64_t
mt_next_table(struct mt *t, uint64_t table, uint64_t iova, unsigned l,
              uint64_t present, uint64_t flags)
{
    uint64_t a = table + ((iova >> (12 + 9 * (l - 1))) & 0x1FF) * 8;
    uint64_t e = mt_r64m(t, a);

    if (!(e & present)) {
        e = mt_page(t) | flags;
        mt_w64m(t, a, e);
    }
    return e & MV_SL_ADDR;
}

/* Map one page of 4 KiB (shift 12), 2 MiB (21) or 1 GiB (30). */
__attribute__((unused)) static void mt_map(struct mt *t, uint64_t slpt,
                                           unsigned levels, uint64_t iova,
                                           uint64_t pa, unsigned shift,
                                           uint64_t perm)
{
    uint64_t table = slpt;
    unsigned leaf_level = (shift - 12) / 9 + 1;

    for (unsigned l = levels; l > leaf_level; l--)
        table = mt_next_table(t, table, iova, l, MV_SL_R | MV_SL_W,
                              MV_SL_R | MV_SL_W);
    mt_w64m(t, table + ((iova >> shift) & 0x1FF) * 8,
            pa | perm | (leaf_level > 1 ? MV_SL_PS : 0));
}

/* Address of the leaf entry of iova (after mt_map). */
__attribute__((unused)) static uint64_t mt_pte_addr(struct mt *t, uint64_t slpt,
                                                    unsigned levels,
                                                    uint64_t iova,
                                                    unsigned leaf_level)
{
    uint64_t table = slpt;

    for (unsigned l = levels; l > leaf_level; l--)
        table = mt_r64m(t, table + ((iova >> (12 + 9 * (l - 1))) & 0x1FF) * 8) &
                GENMASK64(51, 12);
    return table + ((iova >> (12 + 9 * (leaf_level - 1))) & 0x1FF) * 8;
}

__attribute__((unused)) static struct vtd_xlate
mt_dma(struct mt *t, uint16_t sid, uint64_t iova, unsigned access)
{
    struct vtd_request r = { .sid = sid, .addr = iova, .access = access };
    struct vtd_xlate x;

    vtd_translate(t->m, &r, &x);
    return x;
}

__attribute__((unused)) static struct vtd_xlate
mt_dma_pasid(struct mt *t, uint16_t sid, uint32_t pasid, uint64_t iova,
             unsigned access)
{
    struct vtd_request r = { .sid = sid,
                             .addr = iova,
                             .access = access,
                             .has_pasid = true,
                             .pasid = pasid };
    struct vtd_xlate x;

    vtd_translate(t->m, &r, &x);
    return x;
}

/* The request was translated to addr. */
__attribute__((unused)) static bool mt_is_xlated(struct vtd_xlate x,
                                                 uint64_t addr)
{
    return x.status == VTD_XLATE_OK && x.addr == addr;
}

/* The request was blocked with the fault reason. */
__attribute__((unused)) static bool mt_is_fault(struct vtd_xlate x,
                                                unsigned reason)
{
    return x.status == VTD_XLATE_FAULT && x.fault_reason == reason;
}

/* Read and clear FRCD[i]; returns hi word (0 if none). */
__attribute__((unused)) static uint64_t mt_take_fault(struct mt *t, unsigned i,
                                                      uint64_t *fi)
{
    uint64_t hi = mt_r64(t, mt_frcd_off(t, i) + 8);

    if (fi)
        *fi = mt_r64(t, mt_frcd_off(t, i));
    if (hi & MV_FRCD_HI_F)
        mt_w32(t, mt_frcd_off(t, i) + 12, 0x80000000u);
    return hi;
}

__attribute__((unused)) static unsigned mt_fr(uint64_t hi)
{
    return (unsigned)(hi >> MV_FRCD_HI_FR_SHIFT) & 0xFF;
}

/* Clear every pending fault record and FSTS status bit. */
__attribute__((unused)) static void mt_clear_faults(struct mt *t)
{
    uint64_t cap = vtd_model_cap(t->m);
    unsigned nfr = (unsigned)((cap >> MV_CAP_NFR_SHIFT) & 0xFF) + 1;

    for (unsigned i = 0; i < nfr; i++)
        mt_take_fault(t, i, NULL);
    mt_w32(t, MV_REG_FSTS, 0x7F);
}

/* Legacy bring-up: root table, SRTP, TE. */
__attribute__((unused)) static void mt_enable(struct mt *t)
{
    mt_set_root(t, 0);
    mt_gcmd(t, MV_GCMD_TE, 1);
}

/*
 * A unit of configuration c, enabled in legacy mode, with sid in domain
 * did over a fresh 4-level second-level table (*slpt).
 */
__attribute__((unused)) static struct mt *
mt_legacy_unit(const struct vtd_config *c, uint16_t sid, unsigned did,
               uint64_t *slpt)
{
    struct mt *t = mt_new(c);

    mt_enable(t);
    *slpt = mt_ctx(t, sid, did, 2, 0, 0);
    return t;
}

/* The default configuration under cache policy p (and caching mode cm). */
__attribute__((unused)) static struct mt *
mt_legacy_policy(enum vtd_cache_policy p, bool cm, uint16_t sid, unsigned did,
                 uint64_t *slpt)
{
    struct vtd_config c = mt_default_config();

    c.cache_policy = p;
    c.caching_mode = cm;
    return mt_legacy_unit(&c, sid, did, slpt);
}

/* ------------------------------------------- register-based invalidation */

/* Page-selective IOTLB invalidation through IVA and IOTLB. */
__attribute__((unused)) static void
mt_reg_psi(struct mt *t, unsigned did, uint64_t addr, unsigned am, bool ih)
{
    uint64_t iva = mt_iva_off(t);

    mt_w64(t, iva, addr | am | (ih ? MV_IVA_IH : 0));
    mt_w64(t, iva + 8,
           MV_IOTLB_IVT | (uint64_t)MV_GRAN_DEVICE << 60 | (uint64_t)did << 32);
}

/* Domain-selective IOTLB invalidation. */
__attribute__((unused)) static void mt_reg_dsi(struct mt *t, unsigned did)
{
    mt_w64(t, mt_iva_off(t) + 8,
           MV_IOTLB_IVT | (uint64_t)MV_GRAN_DOMAIN << 60 | (uint64_t)did << 32);
}

#ifdef MODEL_VTD_INTERNAL_H
/*
 * For tests that include model/vtd_internal.h first: the invalidation
 * scopes the unit reports, counted, the last one kept.
 */
struct mt_hooklog {
    unsigned n;
    struct vtd_inval_scope last;
};

__attribute__((unused)) static void mt_hook(void *o,
                                            const struct vtd_inval_scope *s)
{
    struct mt_hooklog *h = o;

    h->n++;
    h->last = *s;
}
#endif

/* ----------------------------------------------------------- QI */

__attribute__((unused)) static void mt_qi_enable(struct mt *t, unsigned wide)
{
    t->iq = mt_page(t);
    t->iq_wide = wide;
    t->status_page = mt_page(t);
    mt_w64(t, MV_REG_IQT, 0);
    mt_w64(t, MV_REG_IQA, t->iq | (wide ? MV_IQA_DW : 0));
    mt_gcmd(t, MV_GCMD_QIE, 1);
}

/* Put one descriptor at the tail and advance it. */
__attribute__((unused)) static void
mt_qi_submit(struct mt *t, uint64_t q0, uint64_t q1, uint64_t q2, uint64_t q3)
{
    uint64_t tail = mt_r64(t, MV_REG_IQT), dsz = t->iq_wide ? 32 : 16;

    mt_w64m(t, t->iq + tail, q0);
    mt_w64m(t, t->iq + tail + 8, q1);
    if (t->iq_wide) {
        mt_w64m(t, t->iq + tail + 16, q2);
        mt_w64m(t, t->iq + tail + 24, q3);
    }
    mt_w64(t, MV_REG_IQT, (tail + dsz) % 4096);
}

/*
 * A queue at a fresh page holding one wait that writes `data` to a fresh
 * status page (*status), its tail written while QI is still disabled.
 */
__attribute__((unused)) static uint64_t
mt_qi_wait_before_qie(struct mt *t, uint32_t data, uint64_t *status)
{
    uint64_t q = mt_page(t);

    *status = mt_page(t);
    mt_w64(t, MV_REG_IQA, q);
    mt_w64m(t, q, MV_QI_WAIT | MV_QI_WAIT_SW | (uint64_t)data << 32);
    mt_w64m(t, q + 8, *status);
    mt_w64(t, MV_REG_IQT, 16);
    return q;
}

/* Submit a descriptor and a status-writing wait; true if the wait completed. */
__attribute__((unused)) static bool mt_qi_sync(struct mt *t, uint64_t q0,
                                               uint64_t q1)
{
    static uint32_t marker = 0x1000;

    marker++;
    mt_w64m(t, t->status_page, 0);
    if (q0)
        mt_qi_submit(t, q0, q1, 0, 0);
    mt_qi_submit(t, MV_QI_WAIT | MV_QI_WAIT_SW | (uint64_t)marker << 32,
                 t->status_page, 0, 0);
    return (uint32_t)mt_r64m(t, t->status_page) == marker;
}

#endif
