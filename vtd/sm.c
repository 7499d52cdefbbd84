/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/sm.c — scalable-mode root, context, PASID directory and PASID
 * tables (spec 3.4.3, 9.2, 9.4, 9.5, 9.6).
 */
#include <string.h>

#include "lib/platform.h"
#include "vtd/sm.h"

/* ------------------------------------------------------------- entries */

void vtd_pasid_entry_build(const struct vtd_pasid_cfg *c,
                           struct vtd_pasid_entry *e)
{
    bool ss = c->pgtt == VTD_PGTT_SS || c->pgtt == VTD_PGTT_NESTED;
    bool fs = c->pgtt == VTD_PGTT_FS || c->pgtt == VTD_PGTT_NESTED;

    memset(e, 0, sizeof(*e));
    e->qw[0] = VTD_PE_P | (c->fpd ? VTD_PE_FPD : 0) |
               FIELD_PREP(VTD_PE_AW, c->aw) | FIELD_PREP(VTD_PE_PGTT, c->pgtt) |
               (ss ? (c->ssptptr & VTD_PE_SSPTPTR) : 0);
    e->qw[1] = FIELD_PREP(VTD_PE_DID, c->did) | (c->pwsnp ? VTD_PE_PWSNP : 0) |
               (c->pgsnp ? VTD_PE_PGSNP : 0);
    e->qw[2] = (c->sre ? VTD_PE_SRE : 0) | (c->wpe ? VTD_PE_WPE : 0) |
               (fs ? FIELD_PREP(VTD_PE_FSPM, c->fspm) |
                         (c->fsptptr & VTD_PE_FSPTPTR)
                   : 0);
}

/* Words 1..n-1 first, then word 0 (the one with P). */
static void write_words(const struct vtd_unit *u, uint64_t *dst,
                        const uint64_t *src, unsigned n)
{
    volatile uint64_t *w = dst;

    for (unsigned i = n - 1; i > 0; i--)
        w[i] = src[i];
    plat_wmb();
    w[0] = src[0];
    vtd_sync(u, dst, n * sizeof(uint64_t));
}

/* P off first (a walker sees the old entry or nothing), then the rest. */
static void clear_words(const struct vtd_unit *u, uint64_t *dst, unsigned n)
{
    volatile uint64_t *w = dst;

    w[0] = 0;
    plat_wmb();
    for (unsigned i = 1; i < n; i++)
        w[i] = 0;
    vtd_sync(u, dst, n * sizeof(uint64_t));
}

/* ---------------------------------------------------------- root table */

int vtd_smt_init(struct vtd_smt *t, struct vtd_unit *u)
{
    memset(t, 0, sizeof(*t));
    t->u = u;
    if (!vtd_has_ecap(u, VTD_ECAP_SMTS))
        return vtd_fail(u, VTD_ENOTSUP, "scalable mode needs ECAP.SMTS");
    t->root = plat_alloc_pages(1);
    if (!t->root)
        return vtd_fail(u, VTD_ENOMEM, "no page for the root table");
    t->root_pa = plat_virt_to_phys(t->root);
    vtd_sync(u, t->root, VTD_PAGE_SIZE);
    return VTD_OK;
}

void vtd_smt_destroy(struct vtd_smt *t)
{
    for (unsigned b = 0; b < VTD_ROOT_ENTRIES; b++)
        for (unsigned h = 0; h < 2; h++)
            if (t->ctx[b][h])
                plat_free_pages(t->ctx[b][h], 1);
    for (unsigned i = 0; i < VTD_SM_DEVS; i++) {
        struct vtd_sm_dev *d = &t->dev[i];

        for (unsigned k = 0; k < VTD_SM_TABLES; k++)
            if (d->table[k])
                plat_free_pages(d->table[k], 1);
        if (d->pdir)
            plat_free_pages(d->pdir, 1);
    }
    if (t->root)
        plat_free_pages(t->root, 1);
    memset(t, 0, sizeof(*t));
}

int vtd_smt_install(struct vtd_smt *t)
{
    int rc = vtd_flush_write_buffer(t->u);

    return rc ? rc : vtd_set_root(t->u, t->root_pa, VTD_TTM_SCALABLE);
}

const uint64_t *vtd_smt_root(const struct vtd_smt *t, uint8_t bus)
{
    return &t->root[2 * bus];
}

int vtd_smt_root_set_raw(struct vtd_smt *t, uint8_t bus, uint64_t lo,
                         uint64_t hi)
{
    uint64_t w[2] = { lo, hi };

    write_words(t->u, &t->root[2 * bus], w, 2);
    return VTD_OK;
}

/* ------------------------------------------------------ context tables */

/* 9.2: devfn bit 7 picks the half of the root entry (and its table). */
static unsigned half_of(uint16_t sid)
{
    return (sid >> 7) & 1;
}

static struct vtd_smce *ctx_table(struct vtd_smt *t, uint16_t sid)
{
    uint8_t bus = (uint8_t)(sid >> 8);
    unsigned h = half_of(sid);
    struct vtd_smce *c = t->ctx[bus][h];
    uint64_t w[2];

    if (c)
        return c;
    c = plat_alloc_pages(1);
    if (!c)
        return NULL;
    vtd_sync(t->u, c, VTD_PAGE_SIZE);
    t->ctx[bus][h] = c;
    w[0] = t->root[2 * bus];
    w[1] = t->root[2 * bus + 1];
    w[h] = (plat_virt_to_phys(c) & VTD_SMRE_CTP) | VTD_SMRE_P;
    write_words(t->u, &t->root[2 * bus], w, 2);
    return c;
}

struct vtd_smce *vtd_smt_ctx(struct vtd_smt *t, uint16_t sid)
{
    struct vtd_smce *c = t->ctx[sid >> 8][half_of(sid)];

    return c ? &c[sid & (VTD_SMCE_PER_TABLE - 1)] : NULL;
}

int vtd_smt_ctx_set_raw(struct vtd_smt *t, uint16_t sid, const uint64_t qw[4])
{
    struct vtd_smce *c = ctx_table(t, sid), *e;

    if (!c)
        return vtd_fail(t->u, VTD_ENOMEM,
                        "no page for a context table of bus 0x%02x", sid >> 8);
    e = &c[sid & (VTD_SMCE_PER_TABLE - 1)];
    if ((e->qw[0] & VTD_SMCE_P) && (qw[0] & VTD_SMCE_P))
        clear_words(t->u, e->qw, 4);
    write_words(t->u, e->qw, qw, 4);
    return VTD_OK;
}

int vtd_smt_ctx_clear(struct vtd_smt *t, uint16_t sid)
{
    struct vtd_smce *e = vtd_smt_ctx(t, sid);

    if (e)
        clear_words(t->u, e->qw, 4);
    return VTD_OK;
}

/* ---------------------------------------------------- PASID directory */

static struct vtd_sm_dev *dev_of(struct vtd_smt *t, uint16_t sid, bool make)
{
    struct vtd_sm_dev *free = NULL;

    for (unsigned i = 0; i < VTD_SM_DEVS; i++) {
        if (t->dev[i].used && t->dev[i].sid == sid)
            return &t->dev[i];
        if (!t->dev[i].used && !free)
            free = &t->dev[i];
    }
    if (!make || !free)
        return NULL;
    free->pdir = plat_alloc_pages(1);
    if (!free->pdir)
        return NULL;
    free->pdir_pa = plat_virt_to_phys(free->pdir);
    vtd_sync(t->u, free->pdir, VTD_PAGE_SIZE);
    free->used = true;
    free->sid = sid;
    return free;
}

int vtd_smt_ctx_setup(struct vtd_smt *t, uint16_t sid, bool fpd,
                      uint32_t rid_pasid)
{
    struct vtd_sm_dev *d;
    uint64_t qw[4] = { 0 };

    /* 9.4: without ECAP.RPS RID_PASID is Reserved(0); requests without
     * PASID then use PASID 0 */
    if (rid_pasid && !vtd_has_ecap(t->u, VTD_ECAP_RPS))
        return vtd_fail(t->u, VTD_ENOTSUP, "RID_PASID 0x%x needs ECAP.RPS",
                        rid_pasid);
    if (rid_pasid >> VTD_PASID_DIR_SHIFT >= VTD_PDIR_ENTRIES)
        return vtd_fail(t->u, VTD_EINVAL,
                        "RID_PASID 0x%x beyond the PASID directory", rid_pasid);
    d = dev_of(t, sid, true);
    if (!d)
        return vtd_fail(t->u, VTD_ENOMEM,
                        "no PASID directory for 0x%04x (at most %u "
                        "devices)",
                        sid, VTD_SM_DEVS);
    qw[0] = (d->pdir_pa & VTD_SMCE_PASIDDIR) |
            FIELD_PREP(VTD_SMCE_PDTS, VTD_PDIR_PDTS) |
            (fpd ? VTD_SMCE_FPD : 0) | VTD_SMCE_P;
    qw[1] = FIELD_PREP(VTD_SMCE_RID_PASID, rid_pasid);
    if (d->pdir_pa & vtd_ptr_rsvd(t->u->haw))
        return vtd_fail(t->u, VTD_EINVAL, "PASID directory 0x%lx beyond HAW",
                        (unsigned long)d->pdir_pa);
    return vtd_smt_ctx_set_raw(t, sid, qw);
}

uint64_t *vtd_pdir_entry(struct vtd_smt *t, uint16_t sid, uint32_t pasid)
{
    struct vtd_sm_dev *d = dev_of(t, sid, false);
    uint32_t i = pasid >> VTD_PASID_DIR_SHIFT;

    return d && i < VTD_PDIR_ENTRIES ? &d->pdir[i] : NULL;
}

int vtd_pdir_set_raw(struct vtd_smt *t, uint16_t sid, uint32_t pasid,
                     uint64_t val)
{
    uint64_t *p = vtd_pdir_entry(t, sid, pasid);

    if (!p)
        return vtd_fail(t->u, VTD_ENOENT,
                        "0x%04x has no PASID directory entry for PASID "
                        "0x%x",
                        sid, pasid);
    *(volatile uint64_t *)p = val;
    vtd_sync(t->u, p, sizeof(*p));
    return VTD_OK;
}

/* The PASID table holding pasid: made (and its directory entry made
 * present) on first use when make. */
static struct vtd_pasid_entry *table_of(struct vtd_smt *t, uint16_t sid,
                                        uint32_t pasid, bool make)
{
    struct vtd_sm_dev *d = dev_of(t, sid, false);
    uint32_t di = pasid >> VTD_PASID_DIR_SHIFT;
    int free = -1;

    if (!d || di >= VTD_PDIR_ENTRIES)
        return NULL;
    for (int k = 0; k < VTD_SM_TABLES; k++) {
        if (d->table[k] && d->table_dir[k] == di)
            return d->table[k];
        if (!d->table[k] && free < 0)
            free = k;
    }
    if (!make || free < 0)
        return NULL;
    d->table[free] = plat_alloc_pages(1);
    if (!d->table[free])
        return NULL;
    vtd_sync(t->u, d->table[free], VTD_PAGE_SIZE);
    d->table_dir[free] = (uint16_t)di;
    d->pdir[di] = (plat_virt_to_phys(d->table[free]) & VTD_PDE_PTP) | VTD_PDE_P;
    vtd_sync(t->u, &d->pdir[di], sizeof(uint64_t));
    return d->table[free];
}

struct vtd_pasid_entry *vtd_pasid_entry(struct vtd_smt *t, uint16_t sid,
                                        uint32_t pasid)
{
    struct vtd_pasid_entry *pt = table_of(t, sid, pasid, false);

    return pt ? &pt[pasid % VTD_PASID_PER_TABLE] : NULL;
}

int vtd_pasid_set_raw(struct vtd_smt *t, uint16_t sid, uint32_t pasid,
                      const struct vtd_pasid_entry *e)
{
    struct vtd_pasid_entry *pt = table_of(t, sid, pasid, true), *pe;

    if (!pt)
        return vtd_fail(t->u, VTD_ENOMEM,
                        "no PASID table for 0x%04x PASID 0x%x (context "
                        "entry set up? at most %u tables)",
                        sid, pasid, VTD_SM_TABLES);
    pe = &pt[pasid % VTD_PASID_PER_TABLE];
    if ((pe->qw[0] & VTD_PE_P) && (e->qw[0] & VTD_PE_P))
        clear_words(t->u, pe->qw, 8);
    write_words(t->u, pe->qw, e->qw, 8);
    return VTD_OK;
}

int vtd_pasid_clear(struct vtd_smt *t, uint16_t sid, uint32_t pasid)
{
    struct vtd_pasid_entry *pe = vtd_pasid_entry(t, sid, pasid);

    if (pe)
        clear_words(t->u, pe->qw, 8);
    return VTD_OK;
}

/* What the unit must offer for a PGTT (11.4.3: FSTS, SSTS, NEST, PT). */
static int pgtt_ok(struct vtd_unit *u, const struct vtd_pasid_cfg *c)
{
    static const struct {
        uint64_t ecap;
        const char *name;
    } need[5] = {
        [VTD_PGTT_FS] = { VTD_ECAP_FLTS, "first-stage (ECAP.FSTS)" },
        [VTD_PGTT_SS] = { VTD_ECAP_SLTS, "second-stage (ECAP.SSTS)" },
        [VTD_PGTT_NESTED] = { VTD_ECAP_NEST, "nested (ECAP.NEST)" },
        [VTD_PGTT_PT] = { VTD_ECAP_PT, "pass-through (ECAP.PT)" },
    };

    if (c->pgtt < 1 || c->pgtt > 4)
        return vtd_fail(u, VTD_EINVAL, "PGTT %u is reserved", c->pgtt);
    if (!vtd_has_ecap(u, need[c->pgtt].ecap))
        return vtd_fail(u, VTD_ENOTSUP, "PGTT %u: the unit has no %s", c->pgtt,
                        need[c->pgtt].name);
    return VTD_OK;
}

static int pointers_ok(struct vtd_unit *u, const struct vtd_pasid_cfg *c)
{
    uint64_t bad = vtd_ptr_rsvd(u->haw) | (VTD_PAGE_SIZE - 1);
    bool ss = c->pgtt == VTD_PGTT_SS || c->pgtt == VTD_PGTT_NESTED;
    bool fs = c->pgtt == VTD_PGTT_FS || c->pgtt == VTD_PGTT_NESTED;

    if (ss && (c->aw > 4 || !(u->caps.sagaw & (1u << c->aw))))
        return vtd_fail(u, VTD_ENOTSUP, "AW %u not in SAGAW 0x%x", c->aw,
                        u->caps.sagaw);
    if (ss && (c->ssptptr & bad))
        return vtd_fail(u, VTD_EINVAL, "SSPTPTR 0x%lx misaligned or beyond HAW",
                        (unsigned long)c->ssptptr);
    if (fs && (c->fsptptr & bad))
        return vtd_fail(u, VTD_EINVAL, "FSPTPTR 0x%lx misaligned or beyond HAW",
                        (unsigned long)c->fsptptr);
    if (fs && c->fspm == VTD_FSPM_5LEVEL && !vtd_has_cap(u, VTD_CAP_FL5LP))
        return vtd_fail(u, VTD_ENOTSUP, "5-level first stage needs CAP.FS5LP");
    if (fs && c->fspm > VTD_FSPM_5LEVEL)
        return vtd_fail(u, VTD_EINVAL, "FSPM %u is reserved", c->fspm);
    return VTD_OK;
}

int vtd_pasid_set(struct vtd_smt *t, uint16_t sid, uint32_t pasid,
                  const struct vtd_pasid_cfg *c)
{
    struct vtd_unit *u = t->u;
    struct vtd_pasid_entry e;
    int rc = pgtt_ok(u, c);

    if (rc || (rc = pointers_ok(u, c)))
        return rc;
    if (u->did_bits < 16 && c->did >> u->did_bits)
        return vtd_fail(u, VTD_EINVAL, "DID 0x%x beyond %u bits (CAP.ND)",
                        c->did, u->did_bits);
    if (c->sre && !vtd_has_ecap(u, VTD_ECAP_SRS))
        return vtd_fail(u, VTD_ENOTSUP, "SRE needs ECAP.SRS");
    if (!dev_of(t, sid, false))
        return vtd_fail(u, VTD_ENOENT,
                        "0x%04x has no scalable-mode context entry", sid);
    vtd_pasid_entry_build(c, &e);
    return vtd_pasid_set_raw(t, sid, pasid, &e);
}
