/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The notifier layer, behaviour by behaviour, against the host container
 * with VFIO type1 rules. Each bug class of QEMU's notifier history
 * (qemu-facts.md) has a check here named by the upstream commit that
 * fixed it.
 */
#include "harness/shadow/container.h"
#include "harness/shadow/vhost.h"
#include "model/vtd_notify.h"
#include "tests/model/mtest.h"

#define SID_A 0x0008
#define SID_B 0x0010
#define K4    0x1000ull
#define M2    0x200000ull
#define G1    0x40000000ull
#define RW    (MV_SL_R | MV_SL_W)
#define ALL   (~0ull)

/* ------------------------------------------------------------- recorder */

struct ev {
    enum vtd_notify_type type;
    uint64_t iova, size, addr;
    unsigned perm;
    bool all;
    enum vtd_notify_mode mode;
    uint16_t sid;
};

struct rec {
    struct shc *c; /* forwarded to, when set */
    struct shv *v; /* or to an UNMAP-only consumer */
    struct ev e[2048];
    unsigned n, lost;
    unsigned maps, unmaps, alls, modes, devtlb;
    uint64_t first, last; /* events must stay inside */
    unsigned outside;
    uint64_t biggest;
};

static int rec_fn(void *o, const struct vtd_notify_event *ev)
{
    struct rec *r = o;

    if (r->n < 2048)
        r->e[r->n++] = (struct ev){
            ev->type, ev->iova,      ev->size, ev->addr,
            ev->perm, ev->unmap_all, ev->mode, ev->sid
        };
    else
        r->lost++;
    /* clang-format off */
    switch (ev->type) {
    case VTD_EV_MAP: r->maps++; break;
    case VTD_EV_UNMAP: ev->unmap_all ? r->alls++ : r->unmaps++; break;
    case VTD_EV_MODE: r->modes++; break;
    case VTD_EV_DEVIOTLB_UNMAP: r->devtlb++; break;
    }
    /* clang-format on */
    if (ev->type != VTD_EV_MODE) {
        if (ev->iova < r->first || ev->iova + ev->size - 1 > r->last ||
            ev->iova + ev->size - 1 < ev->iova)
            r->outside++;
        if (ev->size > r->biggest)
            r->biggest = ev->size;
    }
    if (r->v)
        return shv_notify(r->v, ev);
    if (r->c && ev->type != VTD_EV_DEVIOTLB_UNMAP)
        return shc_notify(r->c, ev);
    return 0;
}

static void rec_clear(struct rec *r)
{
    r->n = r->lost = r->maps = r->unmaps = r->alls = r->modes = r->devtlb = 0;
    r->outside = 0;
    r->biggest = 0;
}

static struct rec *rec_new(struct shc *c, uint64_t first, uint64_t last)
{
    struct rec *r = calloc(1, sizeof(*r));

    if (!r)
        abort();
    r->c = c;
    r->first = first;
    r->last = last;
    return r;
}

/* ------------------------------------------------------------- fixture */

static struct mt *machine(bool cm, enum vtd_cache_policy p)
{
    struct vtd_config c = mt_default_config();

    c.caching_mode = cm;
    c.cache_policy = p;
    return mt_new(&c);
}

static struct vtd_notify_consumer *reg(struct vtd_notifier *n, uint16_t sid,
                                       unsigned flags, uint64_t first,
                                       uint64_t last, const void *cont,
                                       struct rec *r, const char **why)
{
    struct vtd_notify_reg rg = { .sid = sid,
                                 .flags = flags,
                                 .first = first,
                                 .last = last,
                                 .container = cont,
                                 .notify = rec_fn,
                                 .opaque = r };
    const char *w = NULL;
    struct vtd_notify_consumer *c = vtd_notify_register(n, &rg, &w);

    if (why)
        *why = w;
    return c;
}

static void psi(struct mt *t, unsigned did, uint64_t addr, unsigned am)
{
    mt_w64(t, mt_iva_off(t), addr | am);
    mt_w64(t, mt_iva_off(t) + 8,
           MV_IOTLB_IVT | 3ull << 60 | (uint64_t)did << 32);
}

static void dsi(struct mt *t, unsigned did)
{
    mt_w64(t, mt_iva_off(t) + 8,
           MV_IOTLB_IVT | 2ull << 60 | (uint64_t)did << 32);
}

static void gsi(struct mt *t)
{
    mt_w64(t, mt_iva_off(t) + 8, MV_IOTLB_IVT | 1ull << 60);
}

static void cc_dev(struct mt *t, uint16_t sid, unsigned did)
{
    mt_w64(t, MV_REG_CCMD,
           MV_CCMD_ICC | 3ull << 61 | (uint64_t)sid << 16 | did);
}

static void cc_global(struct mt *t)
{
    mt_w64(t, MV_REG_CCMD, MV_CCMD_ICC | 1ull << 61);
}

static unsigned count_in(const struct shc *c, uint64_t first, uint64_t last)
{
    struct iova_iter it;
    const struct iova_map *m;
    unsigned n = 0;

    iova_tree_seek(c->maps, first, &it);
    while ((m = iova_iter_get(&it)) && m->iova <= last) {
        n++;
        iova_iter_next(&it);
    }
    return n;
}

static bool has(const struct shc *c, uint64_t iova, uint64_t size,
                uint64_t addr, unsigned perm)
{
    const struct iova_map *m = iova_tree_find(c->maps, iova, iova);

    return m && m->iova == iova && m->last == iova + size - 1 &&
           m->addr == addr && m->perm == perm;
}

/* The unmap-all chunks recorded: aligned, at most 2^63, tiling the range. */
static bool chunks_tile(const struct rec *r, uint64_t first, uint64_t last)
{
    uint64_t x = first;
    bool any = false;

    for (unsigned i = 0; i < r->n; i++) {
        const struct ev *e = &r->e[i];

        if (e->type != VTD_EV_UNMAP || !e->all)
            continue;
        any = true;
        if (e->iova != x || !e->size || e->size > (1ull << 63))
            return false;
        if (e->iova + e->size - 1 == last)
            return true;
        x = e->iova + e->size;
    }
    (void)any;
    return false;
}

/* ------------------------------------------------------------ the checks */

static const char *W(const char *why)
{
    return why ? why : "(no reason)";
}

static void refusals(void)
{
    struct mt *t = machine(false, VTD_CACHE_MINIMAL);
    struct vtd_notifier *n = vtd_notify_create(t->m);
    struct rec *r = rec_new(NULL, 0, ALL);
    const char *why = NULL;
    bool ok;
    int box;

    ok = !reg(n, SID_A, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, NULL, r,
              &why) &&
         why && strstr(why, "caching mode");
    TAP_OK(ok, "b8d78277c0: MAP consumer without caching mode refused: %s",
           W(why));
    ok = reg(n, SID_A, VTD_NOTIFY_UNMAP, 0, ALL, NULL, r, &why) != NULL;
    TAP_OK(ok, "an UNMAP-only consumer works without caching mode");
    vtd_notify_destroy(n);
    mt_free(t);

    {
        struct vtd_config c = mt_default_config();

        c.caching_mode = true;
        c.device_iotlb = false;
        t = mt_new(&c);
    }
    n = vtd_notify_create(t->m);
    ok = !reg(n, SID_A, VTD_NOTIFY_DEVIOTLB_UNMAP, 0, ALL, NULL, r, &why) &&
         why && strstr(why, "ECAP.DT");
    TAP_OK(ok, "09adb0e021: device-IOTLB consumer without DT refused: %s",
           W(why));
    ok = !reg(n, SID_A, VTD_NOTIFY_MAP, 0, ALL, NULL, r, &why);
    TAP_OK(ok, "MAP without UNMAP refused: %s", W(why));
    ok = !reg(n, SID_A, VTD_NOTIFY_UNMAP, 0x800, ALL, NULL, r, &why);
    TAP_OK(ok, "misaligned range refused: %s", W(why));
    ok = !reg(n, SID_A, VTD_NOTIFY_UNMAP, 0x2000, 0x1fff, NULL, r, &why);
    TAP_OK(ok, "empty range refused: %s", W(why));
    ok = !reg(n, SID_A, 0, 0, ALL, NULL, r, &why);
    TAP_OK(ok, "no flags refused: %s", W(why));
    ok = reg(n, SID_A, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, 0xFEDFFFFF, &box,
             r, NULL) &&
         reg(n, SID_B, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0xFEF00000, ALL, &box,
             r, NULL);
    TAP_OK(ok, "one container, two disjoint ranges");
    ok = !reg(n, SID_B, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0xF0000000,
              0xFFFFFFFF, &box, r, &why);
    TAP_OK(ok,
           "a range partly overlapping another of the container "
           "refused: %s",
           W(why));
    ok = !reg(n, SID_B, VTD_NOTIFY_UNMAP, 0, 0xFEDFFFFF, &box, r, &why);
    TAP_OK(ok, "joining a container's range with other flags refused: %s",
           W(why));
    vtd_notify_destroy(n);
    mt_free(t);
    free(r);
}

/* A translated device in a 4-level domain of DID 5 at a fresh machine. */
struct one {
    struct mt *t;
    struct vtd_notifier *n;
    struct shc *c;
    struct rec *r;
    struct vtd_notify_consumer *con;
    uint64_t slpt;
};

static struct one one_new(enum vtd_cache_policy p)
{
    struct one o;

    o.t = machine(true, p);
    o.n = vtd_notify_create(o.t->m);
    mt_enable(o.t);
    o.slpt = mt_ctx(o.t, SID_A, 5, 2, 0, 0);
    o.c = shc_new("c", 64, 1u << 20);
    o.r = rec_new(o.c, 0, ALL);
    o.con = NULL;
    return o;
}

static void one_free(struct one *o)
{
    vtd_notify_destroy(o->n);
    mt_free(o->t);
    shc_free(o->c);
    free(o->r);
}

static void replay_sparse(void)
{
    struct one o = one_new(VTD_CACHE_MINIMAL);
    uint64_t before = o.t->next_page, tables;
    struct vtd_notify_stats s0, s1;
    unsigned unmaps;

    mt_map(o.t, o.slpt, 4, 0, 0x100000000ull, 12, RW);
    mt_map(o.t, o.slpt, 4, 1ull << 40, 0x200000000ull, 12, MV_SL_R);
    mt_map(o.t, o.slpt, 4, (1ull << 47) - K4, 0x300000000ull, 12, MV_SL_W);
    mt_map(o.t, o.slpt, 4, 3 * G1, 0x400000000ull, 30, RW);
    mt_map(o.t, o.slpt, 4, (1ull << 44) + M2, 0x500000000ull, 21, RW);
    tables = 1 + (o.t->next_page - before) / 4096;
    vtd_notify_stats(o.n, &s0);
    o.con = reg(o.n, SID_A, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, o.c, o.r,
                NULL);
    vtd_notify_stats(o.n, &s1);
    unmaps = o.r->unmaps + o.r->alls;
    TAP_OK(o.con && o.r->maps == 5 && !unmaps && !o.c->errors,
           "registration replays: 5 MAPs, no UNMAP (%u, %u)", o.r->maps,
           unmaps);
    TAP_OK(has(o.c, 1ull << 40, K4, 0x200000000ull, 1) &&
               has(o.c, 3 * G1, G1, 0x400000000ull, 3) &&
               has(o.c, (1ull << 47) - K4, K4, 0x300000000ull, 2),
           "the container holds the leaves with their permissions");
    TAP_OK(s1.tables_read - s0.tables_read == tables &&
               s1.entries_read - s0.entries_read == 512 * tables,
           "f06a696dc9: a replay of the 48-bit space reads only present "
           "directories: %lu entries in %lu tables (minimum %lu)",
           (unsigned long)(s1.entries_read - s0.entries_read),
           (unsigned long)(s1.tables_read - s0.tables_read),
           (unsigned long)(512 * tables));

    /* the tables change behind the shadow's back; replay only adds */
    mt_w64m(o.t, mt_pte_addr(o.t, o.slpt, 4, 0, 1), 0x900000000ull | RW);
    mt_w64m(o.t, mt_pte_addr(o.t, o.slpt, 4, 1ull << 40, 1), 0);
    mt_map(o.t, o.slpt, 4, 0x5000, 0x600000000ull, 12, RW);
    rec_clear(o.r);
    TAP_OK(vtd_notify_replay(o.con) == 1 && o.r->maps == 1 && !o.r->unmaps &&
               !o.r->alls && has(o.c, 0, K4, 0x100000000ull, 3) &&
               has(o.c, 1ull << 40, K4, 0x200000000ull, 1),
           "e80c1e4c7d: replay adds the new mapping and unmaps nothing, not "
           "even what changed or went");
    rec_clear(o.r);
    dsi(o.t, 5);
    TAP_OK(o.r->unmaps == 2 && o.r->maps == 1 && !o.c->errors &&
               has(o.c, 0, K4, 0x900000000ull, 3) &&
               !iova_tree_find(o.c->maps, 1ull << 40, 1ull << 40),
           "the domain-selective invalidation then brings both over");
    one_free(&o);
}

static void unchanged_tables(void)
{
    for (int pol = 0; pol < 3; pol++) {
        struct one o = one_new((enum vtd_cache_policy)pol);
        bool ok;

        for (unsigned i = 0; i < 64; i++)
            mt_map(o.t, o.slpt, 4, i * 3 * K4, 0x100000000ull + i * K4, 12, RW);
        mt_map(o.t, o.slpt, 4, G1, 0x200000000ull, 21, MV_SL_R);
        o.con = reg(o.n, SID_A, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, o.c,
                    o.r, NULL);
        rec_clear(o.r);
        dsi(o.t, 5);
        ok = o.r->n == 0;
        gsi(o.t);
        ok = ok && o.r->n == 0;
        psi(o.t, 5, 0, 18);
        ok = ok && o.r->n == 0;
        cc_dev(o.t, SID_A, 5);
        ok = ok && o.r->n == 0;
        cc_global(o.t);
        ok = ok && o.r->n == 0;
        TAP_OK(ok && count_in(o.c, 0, ALL) == 65,
               "63b88968f1: domain, global, page and context invalidations "
               "over unchanged tables send nothing (policy %d)",
               pol);
        one_free(&o);
    }
}

static void page_selective(void)
{
    struct one o = one_new(VTD_CACHE_MAXIMAL);
    uint64_t pte;

    mt_map(o.t, o.slpt, 4, 0x10000, 0x100000000ull, 12, RW);
    mt_map(o.t, o.slpt, 4, 0x11000, 0x100001000ull, 12, RW);
    o.con = reg(o.n, SID_A, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, o.c, o.r,
                NULL);
    rec_clear(o.r);
    mt_map(o.t, o.slpt, 4, 0x12000, 0x100002000ull, 12, MV_SL_R);
    psi(o.t, 5, 0x12000, 0);
    TAP_OK(o.r->n == 1 && o.r->e[0].type == VTD_EV_MAP &&
               has(o.c, 0x12000, K4, 0x100002000ull, 1),
           "a new page: one MAP");
    rec_clear(o.r);
    pte = mt_pte_addr(o.t, o.slpt, 4, 0x10000, 1);
    mt_w64m(o.t, pte, 0x100000000ull | MV_SL_R);
    psi(o.t, 5, 0x10000, 0);
    TAP_OK(o.r->n == 2 && o.r->e[0].type == VTD_EV_UNMAP &&
               o.r->e[1].type == VTD_EV_MAP &&
               has(o.c, 0x10000, K4, 0x100000000ull, 1),
           "a permission change: UNMAP then MAP of the page");
    rec_clear(o.r);
    mt_w64m(o.t, pte, 0);
    psi(o.t, 5, 0x10000, 4);
    TAP_OK(o.r->n == 1 && o.r->e[0].type == VTD_EV_UNMAP &&
               o.r->e[0].iova == 0x10000 && o.r->e[0].size == K4 &&
               count_in(o.c, 0, ALL) == 2,
           "an unmapped page under a 16-page invalidation: one UNMAP of it");
    TAP_OK(!o.c->errors && !o.c->useless_unmaps, "no container error: %s",
           o.c->first_error);
    one_free(&o);
}

static void no_piecemeal(void)
{
    struct one o = one_new(VTD_CACHE_MINIMAL);
    uint64_t pde, table;

    mt_map(o.t, o.slpt, 4, G1, 0x200000000ull, 21, RW);
    o.con = reg(o.n, SID_A, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, o.c, o.r,
                NULL);
    /* split into 4 KiB leaves, one of them moved, and invalidate only
     * that page: a guest that gets it wrong */
    pde = mt_pte_addr(o.t, o.slpt, 4, G1, 2);
    table = mt_page(o.t);
    for (unsigned i = 0; i < 512; i++)
        mt_w64m(o.t, table + i * 8, (0x200000000ull + i * K4) | RW);
    mt_w64m(o.t, table + 7 * 8, 0x700000000ull | RW);
    mt_w64m(o.t, pde, table | RW);
    rec_clear(o.r);
    psi(o.t, 5, G1 + 7 * K4, 0);
    TAP_OK(!o.c->errors && o.r->unmaps == 1 && o.r->e[0].size == M2,
           "the 2 MiB shadow entry is unmapped whole, never cut: %s",
           o.c->errors ? o.c->first_error : "ok");
    TAP_OK(count_in(o.c, G1, G1 + M2 - 1) == 512 &&
               has(o.c, G1 + 7 * K4, K4, 0x700000000ull, 3) &&
               has(o.c, G1 + 8 * K4, K4, 0x200008000ull, 3),
           "what the tables hold in the rest of it is mapped again");
    one_free(&o);
}

static void cropping(void)
{
    struct mt *t = machine(true, VTD_CACHE_MINIMAL);
    struct vtd_notifier *n = vtd_notify_create(t->m);
    struct shc *c = shc_new("c", 64, 1u << 20);
    struct rec *r = rec_new(c, 0x101000, 0xBFFFEFFF);
    uint64_t slpt;

    mt_enable(t);
    slpt = mt_ctx(t, SID_B, 7, 1, 0, 0);
    mt_map(t, slpt, 3, 0, 0x100000000ull, 21, RW);
    mt_map(t, slpt, 3, 2 * G1, 0x400000000ull, 30, MV_SL_R);
    mt_map(t, slpt, 3, 3 * G1, 0x500000000ull, 12, RW);
    reg(n, SID_B, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0x101000, 0xBFFFEFFF, c, r,
        NULL);
    TAP_OK(has(c, 0x101000, M2 - 0x101000, 0x100101000ull, 3),
           "1804857f19: a 2 MiB leaf across the range start is cropped, its "
           "address shifted to match");
    TAP_OK(has(c, 2 * G1, G1 - 0x1000, 0x400000000ull, 1),
           "a 1 GiB leaf across the range end is cropped");
    TAP_OK(count_in(c, 0, ALL) == 2, "the page beyond the range is not sent");
    dsi(t, 7);
    gsi(t);
    mt_w64m(t, mt_pte_addr(t, slpt, 3, 0, 2), 0);
    psi(t, 7, 0, 9);
    mt_w64m(t, mt_pte_addr(t, slpt, 3, 2 * G1, 3), 0);
    psi(t, 7, 2 * G1, 18);
    mt_gcmd(t, MV_GCMD_TE, 0);
    TAP_OK(!r->outside && !c->errors && count_in(c, 0, ALL) == 0,
           "03c7140c1a, bc54fb0168: no event outside the range, through "
           "page, domain, global invalidations and TE off (%u outside)",
           r->outside);
    vtd_notify_destroy(n);
    mt_free(t);
    shc_free(c);
    free(r);
}

static void context_gone(void)
{
    struct one o = one_new(VTD_CACHE_MAXIMAL);
    struct vtd_notify_state st;
    uint64_t ce;

    for (unsigned i = 0; i < 40; i++)
        mt_map(o.t, o.slpt, 4, (uint64_t)i << 30, 0x100000000ull, 12, RW);
    o.con = reg(o.n, SID_A, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, o.c, o.r,
                NULL);
    rec_clear(o.r);
    ce = (mt_r64m(o.t, o.t->root) & ~0xFFFull) + (SID_A & 0xFF) * 16ull;
    mt_w64m(o.t, ce, 0);
    cc_dev(o.t, SID_A, 5);
    vtd_notify_state(o.con, &st);
    TAP_OK(st.mode == VTD_MODE_BLOCKED && !st.following &&
               count_in(o.c, 0, ALL) == 0 && !o.c->errors,
           "c28b535d08: a context entry turned non-present unmaps "
           "everything, nothing refused");
    TAP_OK(chunks_tile(o.r, 0, ALL) && o.r->biggest <= (1ull << 63) &&
               !o.r->unmaps,
           "cac33cb553: in chunks of at most 2^63 bytes that tile the range "
           "(%u chunks)",
           o.r->alls);
    TAP_OK(o.r->n && o.r->e[o.r->n - 1].type == VTD_EV_MODE &&
               o.r->e[o.r->n - 1].mode == VTD_MODE_BLOCKED,
           "the consumer is told the device is blocked");
    one_free(&o);
}

/*
 * A device-selective context-cache invalidation under a function mask
 * (VT-d 6.5.2.1) reaches every function whose source-id equals the named
 * one with the masked bits ignored, and only those: the context entry of
 * 00:02.4 turned non-present is seen through a flush naming 00:02.0 with
 * FM 1 (bit 2 masked), not with FM 0, nor through one of another bus.
 */
static void function_mask(void)
{
    enum { SIB = 0x0014, NAMED = 0x0010, ELSEWHERE = 0x0214 };
    struct one o = one_new(VTD_CACHE_MAXIMAL);
    struct vtd_notify_state st;
    uint64_t slpt = mt_ctx(o.t, SIB, 6, 2, 0, 0), ce;

    mt_map(o.t, slpt, 4, 0x3000, 0x100003000ull, 12, RW);
    o.con = reg(o.n, SIB, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, o.c, o.r,
                NULL);
    ce = (mt_r64m(o.t, o.t->root) & ~0xFFFull) + (SIB & 0xFF) * 16ull;
    mt_w64m(o.t, ce, 0);
    mt_w64(o.t, MV_REG_CCMD,
           MV_CCMD_ICC | 3ull << 61 | 3ull << MV_CCMD_FM_SHIFT |
               (uint64_t)ELSEWHERE << 16 | 6);
    cc_dev(o.t, NAMED, 6);
    vtd_notify_state(o.con, &st);
    TAP_OK(st.mode == VTD_MODE_TRANSLATED && count_in(o.c, 0, ALL) == 1,
           "function mask: a flush of another bus, or of a sibling without "
           "mask, leaves 00:02.4 as it was");
    mt_w64(o.t, MV_REG_CCMD,
           MV_CCMD_ICC | 3ull << 61 | 1ull << MV_CCMD_FM_SHIFT |
               (uint64_t)NAMED << 16 | 6);
    vtd_notify_state(o.con, &st);
    TAP_OK(st.mode == VTD_MODE_BLOCKED && count_in(o.c, 0, ALL) == 0 &&
               !o.c->errors,
           "function mask: 00:02.0 with FM 1 reaches 00:02.4, its shadow "
           "goes");
    one_free(&o);
}

static void te_off_and_reset(void)
{
    struct one o = one_new(VTD_CACHE_MINIMAL);
    struct vtd_notify_state st;
    struct vtd_notify_stats s0, s1;
    unsigned reads;

    mt_map(o.t, o.slpt, 4, 0x3000, 0x100000000ull, 12, RW);
    o.con = reg(o.n, SID_A, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, o.c, o.r,
                NULL);
    rec_clear(o.r);
    mt_gcmd(o.t, MV_GCMD_TE, 0);
    vtd_notify_state(o.con, &st);
    TAP_OK(st.mode == VTD_MODE_BYPASS && count_in(o.c, 0, ALL) == 0 &&
               chunks_tile(o.r, 0, ALL) && !o.c->errors,
           "2cc9ddcceb: TE off: the device is untranslated again, its shadow "
           "unmapped");
    vtd_notify_stats(o.n, &s0);
    reads = o.t->reads;
    mt_w64(o.t, MV_REG_RTADDR, 0xFFFFFFFFF000ull);
    mt_gcmd(o.t, MV_GCMD_SRTP, 1);
    cc_global(o.t);
    vtd_notify_stats(o.n, &s1);
    TAP_OK(s1.tables_read == s0.tables_read && o.t->reads == reads &&
               !o.c->errors && !mt_r32(o.t, MV_REG_FSTS),
           "2a078b1080: TE off with a garbage root: nothing read, no fault");
    mt_set_root(o.t, 0);
    rec_clear(o.r);
    mt_gcmd(o.t, MV_GCMD_TE, 1);
    TAP_OK(o.r->maps == 1 && has(o.c, 0x3000, K4, 0x100000000ull, 3),
           "TE on again: the device is shadowed again");
    rec_clear(o.r);
    vtd_model_reset(o.t->m);
    vtd_notify_state(o.con, &st);
    TAP_OK(st.mode == VTD_MODE_BYPASS && count_in(o.c, 0, ALL) == 0 &&
               o.r->modes == 1 && !o.c->errors,
           "2cc9ddcceb: after reset the device is untranslated, its shadow "
           "unmapped");
    one_free(&o);
}

static void unmap_only(void)
{
    struct one o = one_new(VTD_CACHE_MAXIMAL);
    struct shv v;
    struct rec *r = rec_new(NULL, 0, ALL);
    uint64_t out;
    unsigned live;

    shv_init(&v, o.t->m, SID_A);
    r->v = &v;
    mt_map(o.t, o.slpt, 4, 0x3000, 0x100000000ull, 12, RW);
    mt_map(o.t, o.slpt, 4, 0x9000, 0x100009000ull, 12, RW);
    o.con = reg(o.n, SID_A, VTD_NOTIFY_UNMAP, 0, ALL, NULL, r, NULL);
    TAP_OK(shv_access(&v, 0x3004, &out) && out == 0x100000004ull &&
               shv_access(&v, 0x9000, &out) && v.misses == 2 &&
               shv_access(&v, 0x3008, &out) && v.hits == 1,
           "the UNMAP-only consumer caches translations");
    mt_w64m(o.t, mt_pte_addr(o.t, o.slpt, 4, 0x3000, 1), 0x700000000ull | RW);
    rec_clear(r);
    psi(o.t, 5, 0x3000, 0);
    live = 0;
    for (unsigned i = 0; i < SHV_ENTRIES; i++)
        live += v.e[i].valid;
    TAP_OK(r->unmaps == 1 && r->e[0].iova == 0x3000 && r->e[0].size == K4 &&
               live == 1,
           "a page-selective invalidation flushes that page only");
    TAP_OK(shv_access(&v, 0x3000, &out) && out == 0x700000000ull,
           "and the next access sees the new translation");
    rec_clear(r);
    dsi(o.t, 5);
    live = 0;
    for (unsigned i = 0; i < SHV_ENTRIES; i++)
        live += v.e[i].valid;
    TAP_OK(r->alls == 2 && chunks_tile(r, 0, ALL) && live == 0,
           "3e090e3489: a domain-selective invalidation reaches the "
           "UNMAP-only consumer: the whole space, in chunks");
    shv_access(&v, 0x3000, &out);
    rec_clear(r);
    gsi(o.t);
    live = 0;
    for (unsigned i = 0; i < SHV_ENTRIES; i++)
        live += v.e[i].valid;
    TAP_OK(r->alls == 2 && live == 0, "3e090e3489: so does a global one");
    rec_clear(r);
    dsi(o.t, 9);
    TAP_OK(r->n == 0, "another domain's invalidation does not");
    one_free(&o);
    free(r);
}

static void passthrough_switch(void)
{
    struct one o = one_new(VTD_CACHE_MAXIMAL);
    struct vtd_notify_state st;

    mt_map(o.t, o.slpt, 4, 0x3000, 0x100000000ull, 12, RW);
    o.con = reg(o.n, SID_A, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, o.c, o.r,
                NULL);
    rec_clear(o.r);
    mt_ctx(o.t, SID_A, 5, 2, 2, 0);
    dsi(o.t, 5);
    vtd_notify_state(o.con, &st);
    TAP_OK(st.mode == VTD_MODE_TRANSLATED && o.r->n == 0 &&
               count_in(o.c, 0, ALL) == 1,
           "c9cf33075a: pass-through written, no context invalidation yet: "
           "still translated");
    cc_dev(o.t, SID_A, 5);
    vtd_notify_state(o.con, &st);
    TAP_OK(st.mode == VTD_MODE_BYPASS && count_in(o.c, 0, ALL) == 0 &&
               o.r->modes == 1 && !o.c->errors,
           "c9cf33075a: after it, pass-through: shadow unmapped, mode bypass");
    rec_clear(o.r);
    mt_ctx(o.t, SID_A, 5, 2, 0, o.slpt);
    cc_dev(o.t, SID_A, 5);
    vtd_notify_state(o.con, &st);
    TAP_OK(st.mode == VTD_MODE_TRANSLATED && o.r->maps == 1 &&
               has(o.c, 0x3000, K4, 0x100000000ull, 3),
           "5178d78f4b: back to translated after the invalidation: mapped "
           "again");
    one_free(&o);
}

static void shared_domain(void)
{
    struct one o = one_new(VTD_CACHE_MINIMAL);
    struct rec *rb = rec_new(o.c, 0, ALL);
    struct shc *c2 = shc_new("c2", 64, 1u << 20);
    struct rec *r2 = rec_new(c2, 0, ALL);
    struct vtd_notify_consumer *cb, *c3;
    struct vtd_notify_state st;
    int box;

    mt_ctx(o.t, SID_B, 5, 2, 0, o.slpt);
    mt_ctx(o.t, 0x0018, 5, 2, 0, o.slpt);
    mt_map(o.t, o.slpt, 4, 0x3000, 0x100000000ull, 12, RW);
    o.con = reg(o.n, SID_A, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, &box,
                o.r, NULL);
    cb = reg(o.n, SID_B, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, &box, rb,
             NULL);
    c3 = reg(o.n, 0x0018, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, c2, r2,
             NULL);
    TAP_OK(o.con && cb && c3 && rb->maps == 0 && o.r->maps == 1 &&
               r2->maps == 1,
           "a second device of the container's domain adds "
           "nothing; another container gets its own MAP");
    rec_clear(o.r);
    rec_clear(rb);
    rec_clear(r2);
    mt_w64m(o.t, mt_pte_addr(o.t, o.slpt, 4, 0x3000, 1), 0);
    psi(o.t, 5, 0x3000, 0);
    TAP_OK(o.r->unmaps + rb->unmaps == 1 && r2->unmaps == 1 && !o.c->errors &&
               !c2->errors,
           "devices sharing a domain and a container: synced once, one "
           "UNMAP reaches the container");
    vtd_notify_state(cb, &st);
    TAP_OK(!st.delivers && !st.conflict, "the group's events go to its first "
                                         "consumer");
    vtd_notify_unregister(o.con);
    vtd_notify_state(cb, &st);
    TAP_OK(st.delivers && st.following, "when it leaves, the next one takes "
                                        "over");
    one_free(&o);
    free(rb);
    shc_free(c2);
    free(r2);
}

static void conflicting_domains(void)
{
    struct one o = one_new(VTD_CACHE_MINIMAL);
    struct rec *rb = rec_new(o.c, 0, ALL);
    uint64_t slpt7 = mt_page(o.t), slpt9 = mt_page(o.t);
    struct vtd_notify_consumer *cb;
    struct vtd_notify_state st;
    int box;

    /* domain 5: 0x3000 and 0x4000; domain 7: 0x3000 (same) and 0x8000 */
    mt_map(o.t, o.slpt, 4, 0x3000, 0x100003000ull, 12, RW);
    mt_map(o.t, o.slpt, 4, 0x4000, 0x100004000ull, 12, RW);
    mt_map(o.t, slpt7, 4, 0x3000, 0x100003000ull, 12, RW);
    mt_map(o.t, slpt7, 4, 0x8000, 0x100008000ull, 12, MV_SL_R);
    mt_map(o.t, slpt9, 4, 0x9000, 0x100009000ull, 12, RW);
    mt_ctx(o.t, SID_B, 7, 2, 0, slpt7);
    o.con = reg(o.n, SID_A, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, &box,
                o.r, NULL);
    cb = reg(o.n, SID_B, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, &box, rb,
             NULL);
    vtd_notify_state(cb, &st);
    TAP_OK(st.conflict && st.following && st.did == 5 &&
               count_in(o.c, 0, ALL) == 2,
           "two devices of one container in different domains: a conflict; "
           "the container keeps the first domain");
    rec_clear(o.r);
    mt_ctx(o.t, SID_A, 7, 2, 0, slpt7);
    cc_dev(o.t, SID_A, 5);
    vtd_notify_state(cb, &st);
    TAP_OK(!st.conflict && st.did == 7 && o.r->unmaps == 1 && o.r->maps == 1 &&
               has(o.c, 0x8000, K4, 0x100008000ull, 1) &&
               has(o.c, 0x3000, K4, 0x100003000ull, 3) && !o.c->errors,
           "the first device joins the second's domain: the shadow moves "
           "over, the common mapping untouched");
    rec_clear(o.r);
    mt_ctx(o.t, SID_A, 9, 2, 0, slpt9);
    cc_dev(o.t, SID_A, 7);
    vtd_notify_state(cb, &st);
    TAP_OK(st.conflict && st.did == 7 && o.r->n == 0,
           "a device leaving for another domain: the container stays with "
           "the domain still in use, conflict reported");
    one_free(&o);
    free(rb);
}

static void device_tlb(void)
{
    struct one o = one_new(VTD_CACHE_MINIMAL);
    struct rec *r = rec_new(NULL, 0, (1ull << 48) - 1);

    mt_qi_enable(o.t, 0);
    reg(o.n, SID_A, VTD_NOTIFY_DEVIOTLB_UNMAP, 0, (1ull << 48) - 1, NULL, r,
        NULL);
    rec_clear(r);
    mt_qi_sync(o.t, MV_QI_DEVTLB | (uint64_t)SID_A << 32, 0x7000);
    TAP_OK(r->devtlb == 1 && r->e[0].iova == 0x7000 && r->e[0].size == K4,
           "a device-TLB invalidation of one page reaches the consumer");
    rec_clear(r);
    mt_qi_sync(o.t, MV_QI_DEVTLB | (uint64_t)SID_A << 32, ~0xFFEull);
    TAP_OK(r->devtlb == 1 && r->e[0].iova == 0 && r->e[0].size == 1ull << 48 &&
               !r->outside,
           "the whole space, cropped to the consumer's range");
    rec_clear(r);
    mt_qi_sync(o.t, MV_QI_DEVTLB | (uint64_t)SID_B << 32, 0x7000);
    TAP_OK(r->n == 0, "another device's: nothing");
    one_free(&o);
    free(r);
}

static void psi_am18(void)
{
    struct one o = one_new(VTD_CACHE_MAXIMAL);

    mt_map(o.t, o.slpt, 4, G1, 0x400000000ull, 30, RW);
    o.con = reg(o.n, SID_A, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, o.c, o.r,
                NULL);
    mt_w64m(o.t, mt_pte_addr(o.t, o.slpt, 4, G1, 3),
            0x800000000ull | MV_SL_PS | MV_SL_R);
    rec_clear(o.r);
    psi(o.t, 5, G1, 18);
    TAP_OK(o.r->unmaps == 1 && o.r->maps == 1 &&
               has(o.c, G1, G1, 0x800000000ull, 1) && !o.c->errors,
           "d7258f7a25: PSI with AM=18 over a changed 1 GiB leaf: UNMAP and "
           "MAP of it");
    one_free(&o);
}

/* Scalable mode: second stage through the RID_PASID entry, then first
 * stage, then pass-through, through PASID-granular invalidations. */
static void scalable(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t;
    struct vtd_notifier *n;
    struct shc *cont = shc_new("c", 64, 1u << 20);
    struct rec *r = rec_new(cont, 0, ALL);
    struct vtd_notify_consumer *con;
    struct vtd_notify_state st;
    uint64_t ctxt, pdir, ptab, ss, fs;
    uint16_t sid = 0x0110;

    c.caching_mode = true;
    c.scalable_mode = true;
    c.first_stage = true;
    c.pasid = true;
    t = mt_new(&c);
    n = vtd_notify_create(t->m);
    mt_qi_enable(t, 1);
    mt_set_root(t, 1);
    mt_gcmd(t, MV_GCMD_TE, 1);
    ctxt = mt_page(t);
    pdir = mt_page(t);
    ptab = mt_page(t);
    ss = mt_page(t);
    fs = mt_page(t);
    mt_w64m(t, t->root + 16, ctxt | 1);
    mt_w64m(t, pdir, ptab | 1);
    mt_w64m(t, ctxt + (sid & 0x7F) * 32ull, pdir | 1); /* RID_PASID 0 */
    mt_map(t, ss, 4, 0x5000, 0x100005000ull, 12, RW);
    mt_w64m(t, ptab + 8, 3); /* DID 3 */
    mt_w64m(t, ptab, ss | 2ull << 2 | (uint64_t)MV_PGTT_SS << 6 | 1);
    con = reg(n, sid, VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP, 0, ALL, cont, r, NULL);
    TAP_OK(
        con && has(cont, 0x5000, K4, 0x100005000ull, 3),
        "scalable mode: the second stage of the RID_PASID entry is shadowed");
    mt_map(t, ss, 4, 0x6000, 0x100006000ull, 12, MV_SL_R);
    rec_clear(r);
    mt_qi_sync(t, MV_QI_PIOTLB | 3ull << 4 | 3ull << 16, 0x6000);
    TAP_OK(r->maps == 1 && has(cont, 0x6000, K4, 0x100006000ull, 1),
           "a PASID-based page-selective invalidation maps the new page");
    /* first stage: U/S needed all the way for requests without PASID */
    {
        uint64_t table = fs;

        for (unsigned l = 4; l > 1; l--) {
            uint64_t nt = mt_page(t);

            mt_w64m(t, table, nt | 7);
            table = nt;
        }
        mt_w64m(t, table + 1 * 8, 0x100001000ull | 7); /* RW, US */
        mt_w64m(t, table + 2 * 8, 0x100002000ull | 5); /* RO, US */
        mt_w64m(t, table + 3 * 8, 0x100003000ull | 3); /* supervisor */
    }
    mt_w64m(t, ptab + 16, fs);
    mt_w64m(t, ptab, (uint64_t)MV_PGTT_FS << 6 | 1);
    rec_clear(r);
    mt_qi_sync(t, MV_QI_PC | 3ull << 4, 0); /* global */
    vtd_notify_state(con, &st);
    TAP_OK(st.first_stage && count_in(cont, 0, ALL) == 2 &&
               has(cont, 0x1000, K4, 0x100001000ull, 3) &&
               has(cont, 0x2000, K4, 0x100002000ull, 1) && !cont->errors,
           "first stage: user pages shadowed with R/W from the walk, the "
           "supervisor page not; the old second-stage pages gone");
    mt_w64m(t, ptab, (uint64_t)MV_PGTT_PT << 6 | 1);
    mt_qi_sync(t, MV_QI_PC | 3ull << 4, 0);
    vtd_notify_state(con, &st);
    TAP_OK(st.mode == VTD_MODE_BYPASS && count_in(cont, 0, ALL) == 0,
           "pass-through PASID entry: bypass, shadow empty");
    vtd_notify_destroy(n);
    mt_free(t);
    shc_free(cont);
    free(r);
}

int main(void)
{
    refusals();
    replay_sparse();
    unchanged_tables();
    page_selective();
    no_piecemeal();
    cropping();
    context_gone();
    function_mask();
    te_off_and_reset();
    unmap_only();
    passthrough_switch();
    shared_domain();
    conflicting_domains();
    device_tlb();
    psi_am18();
    scalable();
    return tap_done();
}
