/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/context.c — legacy root and context tables (spec 9.1, 9.3).
 */
#include <string.h>

#include "lib/platform.h"
#include "vtd/context.h"
#include "vtd/pgtable.h"

int vtd_rt_init(struct vtd_rt *rt, struct vtd_unit *u)
{
    memset(rt, 0, sizeof(*rt));
    rt->u = u;
    rt->root = plat_alloc_pages(1);
    if (!rt->root)
        return vtd_fail(u, VTD_ENOMEM, "no page for the root table");
    rt->root_pa = plat_virt_to_phys(rt->root);
    vtd_sync(u, rt->root, VTD_PAGE_SIZE);
    return VTD_OK;
}

void vtd_rt_destroy(struct vtd_rt *rt)
{
    for (unsigned b = 0; b < VTD_ROOT_ENTRIES; b++)
        if (rt->ctx[b])
            plat_free_pages(rt->ctx[b], 1);
    if (rt->root)
        plat_free_pages(rt->root, 1);
    memset(rt, 0, sizeof(*rt));
}

int vtd_rt_install(struct vtd_rt *rt)
{
    int rc = vtd_flush_write_buffer(rt->u);

    return rc ? rc : vtd_set_root(rt->u, rt->root_pa, VTD_TTM_LEGACY);
}

struct vtd_root_entry *vtd_root_entry(struct vtd_rt *rt, uint8_t bus)
{
    return &rt->root[bus];
}

static void write_pair(const struct vtd_unit *u, uint64_t *pair, uint64_t lo,
                       uint64_t hi)
{
    volatile uint64_t *w = pair;

    /* Present word last: a walker never sees P with a stale high word. */
    w[1] = hi;
    plat_wmb();
    w[0] = lo;
    vtd_sync(u, pair, 16);
}

int vtd_root_set_raw(struct vtd_rt *rt, uint8_t bus, uint64_t lo, uint64_t hi)
{
    write_pair(rt->u, &rt->root[bus].lo, lo, hi);
    return VTD_OK;
}

/* The context table of bus, created (and hooked into the root table) on
 * first use. */
static struct vtd_ctx_entry *ctx_table(struct vtd_rt *rt, uint8_t bus)
{
    struct vtd_ctx_entry *t = rt->ctx[bus];

    if (t)
        return t;
    t = plat_alloc_pages(1);
    if (!t)
        return NULL;
    vtd_sync(rt->u, t, VTD_PAGE_SIZE);
    rt->ctx[bus] = t;
    write_pair(rt->u, &rt->root[bus].lo, vtd_re_lo(plat_virt_to_phys(t)), 0);
    return t;
}

struct vtd_ctx_entry *vtd_ctx_entry(struct vtd_rt *rt, uint16_t sid)
{
    struct vtd_ctx_entry *t = rt->ctx[sid >> 8];

    return t ? &t[sid & 0xFF] : NULL;
}

int vtd_ctx_set_raw(struct vtd_rt *rt, uint16_t sid, uint64_t lo, uint64_t hi)
{
    struct vtd_ctx_entry *t = ctx_table(rt, (uint8_t)(sid >> 8));

    if (!t)
        return vtd_fail(rt->u, VTD_ENOMEM,
                        "no page for the context table "
                        "of bus 0x%02x",
                        sid >> 8);
    /* Clear P before changing a present entry, so no walker sees a mix of
     * old and new words. */
    if (vtd_ce_present(&t[sid & 0xFF]) && lo & VTD_CE_P)
        write_pair(rt->u, &t[sid & 0xFF].lo, 0, t[sid & 0xFF].hi);
    write_pair(rt->u, &t[sid & 0xFF].lo, lo, hi);
    return VTD_OK;
}

int vtd_aw_max(const struct vtd_unit *u)
{
    for (int aw = 4; aw >= 0; aw--)
        if (u->caps.sagaw & (1u << aw))
            return aw;
    return -1;
}

int vtd_ctx_set(struct vtd_rt *rt, uint16_t sid, const struct vtd_ctx_cfg *c)
{
    struct vtd_unit *u = rt->u;

    if (c->tt == VTD_TT_PT && !vtd_has_ecap(u, VTD_ECAP_PT))
        return vtd_fail(u, VTD_ENOTSUP, "TT=10 (pass-through) needs ECAP.PT");
    if (c->tt == VTD_TT_DEVTLB && !vtd_has_ecap(u, VTD_ECAP_DT))
        return vtd_fail(u, VTD_ENOTSUP, "TT=01 (device-TLB) needs ECAP.DT");
    if (c->tt > VTD_TT_PT)
        return vtd_fail(u, VTD_EINVAL, "TT %u is reserved", c->tt);
    if (c->aw > 4 || !(u->caps.sagaw & (1u << c->aw)))
        return vtd_fail(u, VTD_ENOTSUP, "AW %u not in SAGAW 0x%x", c->aw,
                        u->caps.sagaw);
    if (u->did_bits < 16 && c->did >> u->did_bits)
        return vtd_fail(u, VTD_EINVAL, "DID 0x%x beyond %u bits (CAP.ND)",
                        c->did, u->did_bits);
    if (c->tt != VTD_TT_PT &&
        (c->slptptr & (vtd_ptr_rsvd(u->haw) | (VTD_PAGE_SIZE - 1))))
        return vtd_fail(u, VTD_EINVAL,
                        "SLPTPTR 0x%lx misaligned or beyond "
                        "HAW %u",
                        (unsigned long)c->slptptr, u->haw);
    return vtd_ctx_set_raw(rt, sid,
                           vtd_ce_lo(c->tt == VTD_TT_PT ? 0 : c->slptptr, c->tt,
                                     c->fpd),
                           vtd_ce_hi(c->aw, c->did));
}

int vtd_ctx_attach(struct vtd_rt *rt, uint16_t sid, const struct vtd_domain *d)
{
    struct vtd_ctx_cfg c = {
        .tt = VTD_TT_MULTI,
        .aw = d->aw,
        .did = d->did,
        .slptptr = d->root_pa,
    };

    return vtd_ctx_set(rt, sid, &c);
}

int vtd_ctx_passthrough(struct vtd_rt *rt, uint16_t sid, uint16_t did)
{
    /* 9.3: with TT=10 the AW field still has to name a supported AGAW;
     * the largest one is what drivers program. */
    struct vtd_ctx_cfg c = { .tt = VTD_TT_PT, .did = did };
    int aw = vtd_aw_max(rt->u);

    if (aw < 0)
        return vtd_fail(rt->u, VTD_ENOTSUP, "SAGAW 0: no address width");
    c.aw = (unsigned)aw;
    return vtd_ctx_set(rt, sid, &c);
}

int vtd_ctx_clear(struct vtd_rt *rt, uint16_t sid)
{
    struct vtd_ctx_entry *e = vtd_ctx_entry(rt, sid);
    volatile uint64_t *w;

    if (!e)
        return VTD_OK;
    w = &e->lo;
    w[0] = 0;
    plat_wmb();
    w[1] = 0;
    vtd_sync(rt->u, e, sizeof(*e));
    return VTD_OK;
}
