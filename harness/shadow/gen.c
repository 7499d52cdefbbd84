/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/gen.c — random guests, shrinking, scripts (gen.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/rng.h"
#include "harness/shadow/gen.h"
#include "model/vtd_regs.h"
#include "engine/parse.h"
#include "vtd/regs.h"

#define NDOMS 4
#define RING  64
#define MAMV  18
#define SZ_4K (1ull << 12)
#define SZ_2M (1ull << 21)
#define SZ_1G (1ull << 30)

/* ------------------------------------------------------------ randomness */

struct rng {
    uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
    return splitmix64(&r->s);
}

static unsigned below(struct rng *r, unsigned n)
{
    return n ? (unsigned)(rnd(r) % n) : 0;
}

static bool chance(struct rng *r, unsigned percent)
{
    return below(r, 100) < percent;
}

/* --------------------------------------------------------------- the run */

void sh_run_free(struct sh_run *r)
{
    free(r->st);
    free(r->op);
    memset(r, 0, sizeof(*r));
}

static void push_stmt(struct sh_run *r, const struct scn_stmt *st)
{
    if (r->nst == r->capst) {
        unsigned nc = r->capst ? r->capst * 2 : 2048;
        struct scn_stmt *nv = realloc(r->st, nc * sizeof(*nv));

        if (!nv)
            abort();
        r->st = nv;
        r->capst = nc;
    }
    r->st[r->nst++] = *st;
}

static void push_op(struct sh_run *r, unsigned first)
{
    if (r->nop == r->capop) {
        unsigned nc = r->capop ? r->capop * 2 : 128;
        struct sh_oprange *nv = realloc(r->op, nc * sizeof(*nv));

        if (!nv)
            abort();
        r->op = nv;
        r->capop = nc;
    }
    r->op[r->nop].first = first;
    r->op[r->nop].count = r->nst - first;
    r->nop++;
}

/* Domain d of the run's scenario: domain dN did=did aw=aw. */
void sh_run_domain(struct sh_run *r, unsigned d, uint16_t did, unsigned aw)
{
    struct scn_domain_decl *dd = &r->scn.dom[d];

    snprintf(dd->name, sizeof(dd->name), "d%u", d);
    dd->did = did;
    dd->aw = aw;
    if (r->scn.ndom <= d)
        r->scn.ndom = d + 1;
}

/* ------------------------------------------------------------- generator */

/* A statement as the parser leaves one with nothing given: no domain,
 * device or buffer, one request. */
static struct scn_stmt stmt(unsigned op)
{
    return (struct scn_stmt){
        .op = (uint8_t)op,
        .dom = -1,
        .buf = -1,
        .buf2 = -1,
        .dev = -1,
        .iova.buf = -1,
        .pa.buf = -1,
        .faddr.buf = -1,
        .count = 1,
        .reg.save = -1,
        .reg.val.buf = -1,
        .reg.val.saved = -1,
        /* every invalidation names its domain (did=) */
        .flags = op == SCN_INV_CC || op == SCN_INV_IOTLB ? SCN_F_DID : 0,
    };
}

struct gen {
    struct rng rng;
    bool sloppy;
    struct sh_machine *mc;
    struct sh_run *r;
    unsigned first; /* the operation being built: r->st[first..] */
    /* recently mapped leaves, to find something to change */
    struct {
        uint8_t dom;
        uint64_t iova;
    } ring[RING];
    unsigned nring;
    struct {
        uint8_t dom;
        uint8_t level;
        uint64_t iova;
    } split[16];
    unsigned nsplit;
};

static void add(struct gen *g, const struct scn_stmt *st)
{
    push_stmt(g->r, st);
}

/* Run the statements added since the last operation as one, and record
 * it; those after a violation are dropped. */
static void commit(struct gen *g)
{
    struct sh_run *r = g->r;

    if (r->nst == g->first)
        return;
    for (unsigned i = g->first; i < r->nst; i++) {
        int rc = sh_exec(g->mc, &r->scn, &r->st[i]);

        if (rc && !g->mc->violation) {
            char text[200];

            scn_stmt_format(&r->scn, &r->st[i], text, sizeof(text));
            sh_violate(g->mc, SHV_HARNESS,
                       "generated statement did not "
                       "apply (%s): %s",
                       strerror(-rc), text);
        }
        if (g->mc->violation) {
            r->nst = i + 1;
            break;
        }
    }
    push_op(r, g->first);
    g->first = r->nst;
}

/* dma eduN from-ram iova=at len=1 expect=any */
static void add_dma(struct gen *g, unsigned dev, uint64_t at)
{
    struct scn_stmt st = stmt(SCN_DMA);

    st.dev = (int8_t)dev;
    st.iova.k = at;
    st.dir = SCN_FROM_RAM;
    st.len = 1;
    st.expect = SCN_EXPECT_ANY;
    add(g, &st);
}

static unsigned log2u(uint64_t v)
{
    return 63 - (unsigned)__builtin_clzll(v);
}

/* An IOTLB invalidation's drain hints, now and then (VT-d 6.5.1.2: DR,
 * DW; ignored where CAP.DRD/DWD are 0). */
static void drain(struct gen *g, struct scn_stmt *st)
{
    if (chance(&g->rng, 10))
        st->flags |= (chance(&g->rng, 50) ? SCN_F_DR : 0) |
                     (chance(&g->rng, 50) ? SCN_F_DW : 0);
}

/* Page-selective invalidation of [iova, iova+size) in domain d, as a
 * correct guest issues it (one aligned block, the caller's job) or as the
 * sloppy guest enlarges it. */
static void inv_page(struct gen *g, unsigned d, uint64_t iova, uint64_t size,
                     bool ih)
{
    struct scn_stmt st = stmt(SCN_INV_IOTLB);
    unsigned am = log2u(size) - 12;

    st.gran = VTD_GRAN_PAGE;
    st.did = g->mc->dom[d].did;
    st.flags = SCN_F_DID | (ih ? SCN_F_IH : 0);

    if (g->sloppy) {
        unsigned k = below(&g->rng, 100);

        if (k < 30) {
            am += 1 + below(&g->rng, 6);
            if (am > MAMV)
                am = MAMV;
        } else if (k < 45) {
            st.gran = VTD_GRAN_DOMAIN;
        } else if (k < 52) {
            st.gran = VTD_GRAN_GLOBAL;
        }
    }
    st.am = (uint8_t)am;
    st.iova.k = iova & ~((SZ_4K << am) - 1);
    if (st.gran != VTD_GRAN_PAGE) {
        st.iova.k = 0;
        st.am = 0;
        st.flags = SCN_F_DID;
    }
    drain(g, &st);
    if (chance(&g->rng, 15))
        st.via = chance(&g->rng, 50) ? SCN_VIA_QI : SCN_VIA_REG;
    add(g, &st);
}

/* A statement over [iova, iova+size) followed by its invalidation, cut
 * into aligned blocks of at most 1 GiB (AM <= MAMV), each block changed
 * and invalidated before the next. */
static void blocks(struct gen *g, const struct scn_stmt *tmpl, uint64_t iova,
                   uint64_t size, uint64_t min, bool dma_between)
{
    uint64_t x = iova, end = iova + size;

    while (x < end) {
        uint64_t b = x ? (1ull << __builtin_ctzll(x)) : SZ_1G;
        struct scn_stmt st = *tmpl;

        while (b > end - x || b > SZ_1G)
            b >>= 1;
        if (b < min)
            b = min;
        st.iova.k = x;
        st.size = b;
        if (st.op == SCN_MAP)
            st.pa.k = tmpl->pa.k + (x - iova);
        add(g, &st);
        if (dma_between && chance(&g->rng, 15))
            add_dma(g, (unsigned)g->mc->vhost_dev, x);
        /* unmap and protect change leaves only: IH may say so (VT-d
         * 6.5.1.2); a map may add tables */
        inv_page(g, (unsigned)tmpl->dom, x, b,
                 tmpl->op != SCN_MAP && chance(&g->rng, 30));
        x += b;
    }
}

static unsigned pick_dom(struct gen *g)
{
    return below(&g->rng, NDOMS);
}

static uint64_t width_top(const struct gen *g, unsigned d)
{
    return 1ull << g->mc->dom[d].width;
}

/* An IOVA of alignment `align` in one of the hot windows of domain d. */
static uint64_t pick_iova(struct gen *g, unsigned d, uint64_t align)
{
    uint64_t top = width_top(g, d), base, span;

    switch (below(&g->rng, 5)) {
    case 0: /* low memory */
        base = 0;
        span = 32ull << 20;
        break;
    case 1: /* around the interrupt window that splits edu0's ranges */
        base = 0xFE000000ull;
        span = 32ull << 20;
        break;
    case 2: /* around the end of edu2's window */
        base = 0xBF000000ull;
        span = 32ull << 20;
        break;
    case 3: /* 1 GiB pages */
        base = 4ull << 30;
        span = 4ull << 30;
        break;
    default: /* the top of the domain's space */
        base = top - (32ull << 20);
        span = 32ull << 20;
        if (align == SZ_1G) {
            base = top - SZ_1G;
            span = SZ_1G;
        }
        break;
    }
    if (align > span)
        return 0;
    /* 4 KiB pages crowd into a 2 MiB corner of the window, to collide */
    if (align == SZ_4K && chance(&g->rng, 70))
        span = SZ_2M * 2;
    return base + (rnd(&g->rng) % (span / align)) * align;
}

static uint64_t pick_phys(struct gen *g, uint64_t align)
{
    /* above guest RAM and the interrupt window, below every HAW */
    uint64_t lo = 1ull << 32, span = (1ull << 38) - lo;

    return lo + (rnd(&g->rng) % (span / align)) * align;
}

static unsigned pick_perm(struct gen *g)
{
    unsigned k = below(&g->rng, 100);

    return k < 60 ? 3 : k < 85 ? 1 : 2;
}

static void remember(struct gen *g, unsigned d, uint64_t iova)
{
    g->ring[g->nring % RING].dom = (uint8_t)d;
    g->ring[g->nring % RING].iova = iova;
    g->nring++;
}

static bool pick_dma(struct gen *g, unsigned dev, uint64_t *iova);

/* A present leaf: its domain, IOVA (leaf-aligned) and level. Often one
 * the UNMAP-only consumer's device uses, so its cache meets changes. */
static bool find_leaf(struct gen *g, unsigned *d, uint64_t *iova,
                      unsigned *level)
{
    uint64_t va;

    if (chance(&g->rng, 30) && pick_dma(g, (unsigned)g->mc->vhost_dev, &va)) {
        struct sh_walk w;
        unsigned dd = (unsigned)g->mc->dev[g->mc->vhost_dev].ctx;

        sh_lookup(g->mc, dd, va, &w);
        if (w.present) {
            uint64_t ls = 1ull << (12 + 9 * (w.level - 1));

            *d = dd;
            *iova = va & ~(ls - 1);
            *level = w.level;
            return true;
        }
    }
    for (unsigned tries = 0; tries < 8; tries++) {
        struct sh_walk w;
        unsigned dd;
        uint64_t a;

        if (g->nring && tries < 6) {
            unsigned k = below(&g->rng, g->nring < RING ? g->nring : RING);

            dd = g->ring[k].dom;
            a = g->ring[k].iova;
        } else {
            dd = pick_dom(g);
            a = pick_iova(g, dd, SZ_4K);
        }
        sh_lookup(g->mc, dd, a, &w);
        if (w.present) {
            uint64_t ls = 1ull << (12 + 9 * (w.level - 1));

            *d = dd;
            *iova = a & ~(ls - 1);
            *level = w.level;
            return true;
        }
    }
    return false;
}

static void op_map(struct gen *g)
{
    unsigned d = pick_dom(g), k = below(&g->rng, 100), level;
    uint64_t ps, n, iova, size;
    struct scn_stmt st = stmt(SCN_MAP);

    if (k < 81) {
        ps = SZ_4K;
        n = 1 + below(&g->rng, 8);
    } else if (k < 83) {
        ps = SZ_4K; /* a whole table of 4 KiB leaves: mergeable */
        n = 512;
    } else if (k < 96) {
        ps = SZ_2M;
        n = 1 + below(&g->rng, 2);
    } else {
        ps = SZ_1G;
        n = 1;
    }
    level = ps == SZ_1G ? 3 : ps == SZ_2M ? 2 : 1;
    iova = pick_iova(g, d, n == 512 ? SZ_2M : ps);
    size = n * ps;
    if (iova + size > width_top(g, d) || iova + size < iova)
        return;
    for (uint64_t off = 0; off < size; off += ps)
        if (!sh_slot_free(g->mc, d, iova + off, level))
            return;
    st.dom = (int8_t)d;
    st.pa.k = pick_phys(g, n == 512 ? SZ_2M : ps);
    st.page = ps;
    st.perm = (uint8_t)(n == 512 ? 3 : pick_perm(g));
    blocks(g, &st, iova, size, ps, true);
    remember(g, d, iova);
    if (n > 1)
        remember(g, d, iova + size - ps);
}

static void op_unmap(struct gen *g, bool protect)
{
    unsigned d, level;
    uint64_t iova, ls, size;
    struct scn_stmt st = stmt(protect ? SCN_PROTECT : SCN_UNMAP);

    if (!find_leaf(g, &d, &iova, &level))
        return;
    ls = 1ull << (12 + 9 * (level - 1));
    size = ls;
    /* "unmap more than was mapped": a bigger aligned range, holes too */
    if (chance(&g->rng, 30) && (!protect || ls < SZ_1G)) {
        size = ls << (1 + below(&g->rng, 4));
        iova &= ~(size - 1);
        if (iova + size > width_top(g, d))
            return;
    }
    if (!sh_leaves_ok(g->mc, d, iova, size, protect))
        return;
    st.dom = (int8_t)d;
    st.perm = (uint8_t)below(&g->rng, 4); /* protect: none..rw */
    blocks(g, &st, iova, size, SZ_4K, true);
}

static void op_remap(struct gen *g)
{
    unsigned d, level;
    uint64_t iova, ls;
    struct scn_stmt un = stmt(SCN_UNMAP), map = stmt(SCN_MAP);

    if (!find_leaf(g, &d, &iova, &level))
        return;
    ls = 1ull << (12 + 9 * (level - 1));
    un.dom = map.dom = (int8_t)d;
    un.iova.k = map.iova.k = iova;
    un.size = map.size = map.page = ls;
    map.pa.k = pick_phys(g, ls);
    map.perm = (uint8_t)pick_perm(g);
    add(g, &un);
    add(g, &map);
    if (chance(&g->rng, 15))
        add_dma(g, (unsigned)g->mc->vhost_dev, iova);
    /* a leaf replaced by a leaf of the same size: no table changed */
    inv_page(g, d, iova, ls, chance(&g->rng, 30));
}

static void op_split(struct gen *g)
{
    for (unsigned tries = 0; tries < 4; tries++) {
        unsigned d, level;
        uint64_t iova, ls;
        struct scn_stmt st = stmt(SCN_SPLIT);

        if (!find_leaf(g, &d, &iova, &level) || level < 2)
            continue;
        ls = 1ull << (12 + 9 * (level - 1));
        st.dom = (int8_t)d;
        st.iova.k = iova;
        st.level = (uint8_t)level;
        add(g, &st);
        inv_page(g, d, iova, ls, false);
        g->split[g->nsplit % 16].dom = (uint8_t)d;
        g->split[g->nsplit % 16].level = (uint8_t)level;
        g->split[g->nsplit % 16].iova = iova;
        g->nsplit++;
        return;
    }
}

static void op_merge(struct gen *g)
{
    unsigned n = g->nsplit < 16 ? g->nsplit : 16;

    for (unsigned tries = 0; tries < 6; tries++) {
        unsigned d, level;
        uint64_t iova;
        struct scn_stmt st = stmt(SCN_MERGE);

        if (n && tries < 3) {
            unsigned k = below(&g->rng, n);

            d = g->split[k].dom;
            level = g->split[k].level;
            iova = g->split[k].iova;
        } else if (find_leaf(g, &d, &iova, &level) && level < 3) {
            level++;
            iova &= ~((1ull << (12 + 9 * (level - 1))) - 1);
        } else {
            continue;
        }
        if (!sh_mergeable(g->mc, d, iova, level))
            continue;
        st.dom = (int8_t)d;
        st.iova.k = iova;
        st.level = (uint8_t)level;
        add(g, &st);
        inv_page(g, d, iova, 1ull << (12 + 9 * (level - 1)), false);
        remember(g, d, iova);
        return;
    }
}

/* Clear a directory entry: the whole subtree goes at once. */
static void op_dir(struct gen *g)
{
    unsigned d, level;
    uint64_t iova, span;
    struct scn_stmt st = stmt(SCN_PTE);

    if (!find_leaf(g, &d, &iova, &level) || level + 1 > g->mc->dom[d].levels)
        return;
    level += below(&g->rng, g->mc->dom[d].levels - level) + 1;
    span = 1ull << (12 + 9 * (level - 1));
    st.clear = MV_SL_R | MV_SL_W;
    st.dom = (int8_t)d;
    st.iova.k = iova & ~(span - 1);
    st.level = (uint8_t)level;
    add(g, &st);
    if (level <= 3) {
        inv_page(g, d, st.iova.k, span, false);
    } else {
        struct scn_stmt dsi = stmt(SCN_INV_IOTLB);

        dsi.gran = VTD_GRAN_DOMAIN;
        dsi.did = g->mc->dom[d].did;
        add(g, &dsi);
    }
}

/*
 * A device-selective context-cache invalidation of cc->dev as a correct
 * guest may issue it: often under a function mask (VT-d 6.5.2.1), naming
 * the device itself or a sibling function whose masked source-id equals
 * the device's, so the flush covers the device and its siblings.
 */
static void cover_fm(struct gen *g, struct scn_stmt *cc)
{
    unsigned fn = g->mc->dev[cc->dev].sid & 7, masked;

    if (chance(&g->rng, 50))
        return;
    cc->fm = (uint8_t)(1 + below(&g->rng, 3));
    masked = cc->fm == 1 ? 4u : cc->fm == 2 ? 6u : 7u;
    if (chance(&g->rng, 60)) {
        cc->fn = (uint8_t)(fn ^ (below(&g->rng, 8) & masked));
        cc->flags |= SCN_F_FN;
    }
}

/* A device-selective context-cache flush of a device on another bus
 * than dev's, any function mask: it must move nothing of dev's. */
static void other_bus_cc(struct gen *g, unsigned dev)
{
    struct scn_stmt cc = stmt(SCN_INV_CC);
    unsigned o = below(&g->rng, SH_DEVS);

    for (unsigned t = 0; t < SH_DEVS; t++, o = (o + 1) % SH_DEVS)
        if ((g->mc->dev[o].sid >> 8) != (g->mc->dev[dev].sid >> 8))
            break;
    cc.gran = VTD_GRAN_DEVICE;
    cc.dev = (int8_t)o;
    cc.did = g->mc->dev[o].ctx == -1 ? 0 : g->mc->dev[o].did;
    cc.fm = (uint8_t)below(&g->rng, 4);
    if (chance(&g->rng, 30)) {
        cc.fn = (uint8_t)below(&g->rng, 8);
        cc.flags |= SCN_F_FN;
    }
    add(g, &cc);
}

/* The invalidations after a context entry of dev changed from did old. */
static void inv_ctx(struct gen *g, unsigned dev, uint16_t old, bool was)
{
    struct scn_stmt cc = stmt(SCN_INV_CC), io = stmt(SCN_INV_IOTLB);

    cc.gran = VTD_GRAN_DEVICE;
    cc.did = io.did = old;
    cc.dev = (int8_t)dev;
    cover_fm(g, &cc);
    io.gran = VTD_GRAN_DOMAIN;
    if (g->sloppy) {
        unsigned k = below(&g->rng, 100);

        if (k < 25)
            cc.gran = VTD_GRAN_DOMAIN;
        else if (k < 45)
            cc.gran = VTD_GRAN_GLOBAL;
        if (chance(&g->rng, 25))
            io.gran = VTD_GRAN_GLOBAL;
        if (cc.gran != VTD_GRAN_DEVICE) {
            cc.fm = 0;
            cc.flags &= ~SCN_F_FN;
        }
    }
    if (chance(&g->rng, 15))
        cc.via = chance(&g->rng, 50) ? SCN_VIA_QI : SCN_VIA_REG;
    add(g, &cc);
    if (was || (g->sloppy && chance(&g->rng, 30)))
        add(g, &io);
    /* then a device flush naming a device elsewhere: it must move
     * nothing (before the flushes above, the change is not yet due) */
    if (g->sloppy && chance(&g->rng, 20))
        other_bus_cc(g, dev);
}

/* The context entry's other fields a guest sets: fault processing off,
 * and TT 01 (device-TLB allowed) for a translated one. */
static void ctx_fields(struct gen *g, struct scn_stmt *st)
{
    if (st->op != SCN_DETACH && chance(&g->rng, 10))
        st->flags |= SCN_F_FPD;
    if (st->op == SCN_ATTACH && chance(&g->rng, 25))
        st->flags |= SCN_F_TT_DEVTLB;
}

static void op_ctx(struct gen *g)
{
    /* the UNMAP-only and device-IOTLB consumers' devices often, so each
     * kind of consumer meets every context change and its replay */
    unsigned dev = chance(&g->rng, 30)
                       ? (chance(&g->rng, 50) ? (unsigned)g->mc->vhost_dev
                                              : (unsigned)g->mc->devtlb_dev)
                       : below(&g->rng, SH_DEVS);
    unsigned k = below(&g->rng, 100);
    const struct sh_dev *dv = &g->mc->dev[dev];
    uint16_t old = dv->ctx == -1 ? 0 : dv->did;
    bool was = dv->ctx != -1;
    struct scn_stmt st = stmt(SCN_ATTACH);

    st.dev = (int8_t)dev;
    if (k < 45) {
        st.dom = (int8_t)pick_dom(g);
    } else if (k < 70) {
        /* share a domain with another device */
        unsigned other = below(&g->rng, SH_DEVS);

        st.dom = (int8_t)(g->mc->dev[other].ctx >= 0 ? g->mc->dev[other].ctx
                                                     : (int)pick_dom(g));
    } else if (k < 82) {
        st.op = SCN_ATTACH_PT;
        st.did = (uint16_t)(SH_PT_DID + dev);
    } else {
        st.op = SCN_DETACH;
    }
    ctx_fields(g, &st);
    add(g, &st);
    inv_ctx(g, dev, old, was);
}

static void op_te(struct gen *g)
{
    struct scn_stmt st = stmt(SCN_ENABLE);

    if (vtd_mmio_read(g->mc->m, MV_REG_GSTS, 4) & MV_GCMD_TE)
        st.op = SCN_DISABLE;
    add(g, &st);
}

/* A page the device can reach now: a leaf of its own domain, mostly one
 * it used before (so the UNMAP-only consumer has it cached). */
static bool pick_dma(struct gen *g, unsigned dev, uint64_t *iova)
{
    int dom = g->mc->dev[dev].ctx;
    unsigned n = g->nring < RING ? g->nring : RING;

    if (dom < 0)
        return false;
    for (unsigned tries = 0; tries < 6 && n; tries++) {
        unsigned k = below(&g->rng, n);
        struct sh_walk w;

        if (g->ring[k].dom != dom)
            continue;
        sh_lookup(g->mc, (unsigned)dom, g->ring[k].iova, &w);
        if (w.present) {
            *iova = g->ring[k].iova;
            return true;
        }
    }
    return false;
}

static void op_dma(struct gen *g)
{
    unsigned dev = chance(&g->rng, 80) ? (unsigned)g->mc->vhost_dev
                                       : below(&g->rng, SH_DEVS);
    unsigned d, level;
    uint64_t iova, at;

    if (pick_dma(g, dev, &iova))
        at = iova;
    else if (find_leaf(g, &d, &iova, &level))
        at = iova +
             (rnd(&g->rng) % (1ull << (12 + 9 * (level - 1))) & ~0xFFFull);
    else
        at = pick_iova(g, 0, SZ_4K);
    add_dma(g, dev, at);
    /* again: the second one is served from the consumer's cache */
    if (chance(&g->rng, 50))
        add_dma(g, dev, at);
}

static void op_devtlb(struct gen *g)
{
    unsigned dev = chance(&g->rng, 80) ? (unsigned)g->mc->devtlb_dev
                                       : below(&g->rng, SH_DEVS);
    unsigned k = below(&g->rng, 40);
    uint64_t addr = pick_iova(g, 0, SZ_4K);
    struct scn_stmt st = stmt(SCN_QI_RAW);

    st.expect = SCN_EXPECT_OK;
    st.qw[0] = MV_QI_DEVTLB | (uint64_t)g->mc->dev[dev].sid << 32;
    /* MIP, which the layer has no use for (VT-d 6.5.2.5; PFSID is
     * reserved: the unit reports no ECAP.DIT) */
    if (chance(&g->rng, 30))
        st.qw[0] |= (uint64_t)below(&g->rng, 32) << 16;
    if (k == 0) {
        st.qw[1] = ~0ull & ~0xFFEull; /* S=1, all ones: everything */
        st.qw[1] &= ~(1ull << 63);    /* ... but 2^63 bytes */
        if (chance(&g->rng, 50))
            st.qw[1] = ~0xFFEull; /* the whole space */
    } else if (k < 10) {
        st.qw[1] = addr; /* one page */
    } else {
        unsigned bits = k - 10; /* 2^(bits+1) pages */
        uint64_t size = SZ_4K << (bits + 1);

        st.qw[1] = (addr & ~(size - 1)) | ((size / 2 - 1) & ~0xFFFull) | 1;
    }
    add(g, &st);
}

/* An invalidation after no change: the shadow must not move. */
static void op_idle_inv(struct gen *g)
{
    unsigned k = below(&g->rng, 100), d = pick_dom(g);
    struct scn_stmt st = stmt(SCN_INV_IOTLB);

    st.did = g->mc->dom[d].did;
    if (k < 35) {
        st.gran = VTD_GRAN_DOMAIN;
    } else if (k < 45) {
        st.gran = VTD_GRAN_GLOBAL;
    } else if (k < 80) {
        st.gran = VTD_GRAN_PAGE;
        st.am = (uint8_t)below(&g->rng, MAMV + 1);
        st.iova.k = pick_iova(g, d, SZ_4K) & ~((SZ_4K << st.am) - 1);
        if (chance(&g->rng, 30))
            st.flags |= SCN_F_IH; /* nothing changed, no entry at all */
    } else {
        st.op = SCN_INV_CC;
        st.gran = k < 90   ? VTD_GRAN_DEVICE
                  : k < 96 ? VTD_GRAN_DOMAIN
                           : VTD_GRAN_GLOBAL;
        st.dev = (int8_t)below(&g->rng, SH_DEVS);
        st.did = g->mc->dev[st.dev].ctx == -1 ? 0 : g->mc->dev[st.dev].did;
        if (st.gran == VTD_GRAN_DEVICE) {
            st.fm = (uint8_t)below(&g->rng, 4);
            if (chance(&g->rng, 40)) {
                st.fn = (uint8_t)below(&g->rng, 8);
                st.flags |= SCN_F_FN;
            }
        }
    }
    if (st.op == SCN_INV_IOTLB)
        drain(g, &st);
    add(g, &st);
}

static void op_via(struct gen *g)
{
    struct scn_stmt st = stmt(SCN_SET);

    st.via = g->mc->via == SCN_VIA_QI ? SCN_VIA_REG : SCN_VIA_QI;

    add(g, &st);
}

/* The host replays a container consumer or plugs its device out and back
 * in, between two guest operations. */
static void op_host(struct gen *g)
{
    struct scn_stmt st = stmt(SCN_NOTE);
    unsigned k;

    do
        k = below(&g->rng, g->mc->ncons);
    while (!g->mc->cons[k].cont);
    st.text = sh_host_text((enum sh_host)below(&g->rng, SH_HOST_KINDS), k);
    st.text_len = (uint16_t)strlen(st.text);
    add(g, &st);
}

static void one_op(struct gen *g)
{
    unsigned k = below(&g->rng, 1000);
    unsigned idle = g->sloppy ? 60 : 25;

    if (k < 350)
        op_map(g);
    else if (k < 500)
        op_unmap(g, false);
    else if (k < 580)
        op_remap(g);
    else if (k < 660)
        op_unmap(g, true);
    else if (k < 675)
        op_split(g);
    else if (k < 690)
        op_merge(g);
    else if (k < 740)
        op_dir(g);
    else if (k < 800)
        op_ctx(g);
    else if (k < 808)
        op_te(g);
    else if (k < 880)
        op_dma(g);
    else if (k < 895)
        op_devtlb(g);
    else if (k < 905)
        op_via(g);
    else if (k < 905 + idle)
        op_idle_inv(g);
    else if (k >= 985)
        op_host(g);
    else
        op_map(g);
}

static struct sh_config config_for(struct rng *r)
{
    static const enum vtd_cache_policy pol[3] = {
        VTD_CACHE_MINIMAL,
        VTD_CACHE_MAXIMAL,
        VTD_CACHE_NONE,
    };
    struct sh_config c = {
        .aw_bits = chance(r, 80) ? 48 : 57,
        .policy = pol[below(r, 3)],
        .esrtps = chance(r, 50),
        .cache_entries = chance(r, 70) ? 4096 : 16,
        .shared = chance(r, 50),
    };
    return c;
}

enum sh_violation sh_random_scenario(uint64_t seed, bool sloppy, unsigned nops,
                                     unsigned mutate, struct sh_run *r)
{
    static struct gen g;
    struct vtd_notify_stats ns;

    memset(r, 0, sizeof(*r));
    memset(&g, 0, sizeof(g));
    g.rng.s = seed;
    g.sloppy = sloppy;
    g.r = r;
    r->seed = seed;
    r->sloppy = sloppy;
    r->cfg = config_for(&g.rng);
    r->cfg.mutate = mutate;
    g.mc = sh_machine_new(&r->cfg);
    if (!g.mc) {
        r->violation = SHV_HARNESS;
        snprintf(r->why, sizeof(r->why), "no machine");
        return r->violation;
    }
    /* op 0: the domains */
    for (unsigned d = 0; d < NDOMS; d++) {
        static const unsigned aws[3] = { 39, 48, 57 };
        struct scn_stmt st = stmt(SCN_DOMAIN);

        st.dom = (int8_t)d;
        st.did = (uint16_t)(d + 1);
        sh_run_domain(r, d, st.did,
                      aws[below(&g.rng, r->cfg.aw_bits == 57 ? 3 : 2)]);
        add(&g, &st);
    }
    commit(&g);
    /* a start a driver would make: devices in domains, then TE */
    for (unsigned dev = 0; dev < SH_DEVS && !g.mc->violation; dev++) {
        struct scn_stmt st = stmt(SCN_ATTACH);

        st.dev = (int8_t)dev;
        st.dom = (int8_t)(dev == 2 && chance(&g.rng, 50) ? 1
                          : dev < NDOMS                  ? dev
                                                         : pick_dom(&g));

        add(&g, &st);
        inv_ctx(&g, dev, 0, false);
        commit(&g);
    }
    if (chance(&g.rng, 50))
        op_via(&g);
    op_te(&g);
    commit(&g);
    while (r->nop < nops + 5 && !g.mc->violation) {
        one_op(&g);
        commit(&g);
    }
    if (!g.mc->violation)
        sh_check_now(g.mc);
    r->violation = g.mc->violation;
    r->violation_op = r->nop ? r->nop - 1 : 0;
    snprintf(r->why, sizeof(r->why), "%s", g.mc->why);
    r->checks = g.mc->checks;
    r->full_checks = g.mc->full_checks;
    r->invalidations = g.mc->invalidations;
    vtd_notify_stats(g.mc->n, &ns);
    r->events = ns.maps + ns.unmaps + ns.unmap_all_chunks;
    r->ns = ns;
    r->vhost_hits = g.mc->vhost.hits;
    r->vhost_flushes = g.mc->vhost.flushes;
    memcpy(r->host_acts, g.mc->host_acts, sizeof(r->host_acts));
    sh_machine_free(g.mc);
    return r->violation;
}

/* ------------------------------------------------------------ replaying */

int sh_run_replay(const struct sh_run *r, const bool *keep, char *why,
                  size_t whylen, unsigned *at_op)
{
    struct sh_machine *mc = sh_machine_new(&r->cfg);
    int v = 0;

    if (!mc)
        return -1;
    for (unsigned o = 0; o < r->nop && !mc->violation; o++) {
        const struct scn_stmt *head;
        int old = -1;

        if (keep && !keep[o])
            continue;
        /*
         * An operation that changes a context entry invalidates with the
         * DID the entry had; once operations before it are dropped that
         * may no longer be so, and the guest would be wrong, not the
         * layer: such a sequence is not a valid guest.
         */
        head = &r->st[r->op[o].first];
        if (r->op[o].count &&
            (head->op == SCN_ATTACH || head->op == SCN_ATTACH_PT ||
             head->op == SCN_DETACH))
            old = mc->dev[head->dev].ctx == -1 ? 0 : mc->dev[head->dev].did;
        for (unsigned i = 0; i < r->op[o].count; i++) {
            const struct scn_stmt *st = &r->st[r->op[o].first + i];

            /* (a device flush naming another device carries that
             * device's DID: the change does not depend on it) */
            if (old >= 0 && i &&
                ((st->op == SCN_INV_CC && st->gran == VTD_GRAN_DOMAIN) ||
                 (st->op == SCN_INV_CC && st->gran == VTD_GRAN_DEVICE &&
                  st->dev == head->dev) ||
                 (st->op == SCN_INV_IOTLB && st->gran == VTD_GRAN_DOMAIN)) &&
                st->did != old) {
                sh_machine_free(mc);
                return -1;
            }
            if (sh_exec(mc, &r->scn, st)) {
                sh_machine_free(mc);
                return -1;
            }
            if (mc->violation)
                break;
        }
        if (at_op)
            *at_op = o;
    }
    if (!mc->violation)
        sh_check_now(mc);
    v = (int)mc->violation;
    if (why && whylen)
        snprintf(why, whylen, "%s", mc->why);
    sh_machine_free(mc);
    return v;
}

/* ------------------------------------------------------------- shrinking */

static bool still_fails(const struct sh_run *r, const bool *keep,
                        unsigned *replays)
{
    (*replays)++;
    return sh_run_replay(r, keep, NULL, 0, NULL) == (int)r->violation;
}

unsigned sh_shrink(struct sh_run *r)
{
    unsigned n = r->violation_op + 1, replays = 0;
    bool *keep, *trial;

    if (r->violation == SHV_NONE || n > r->nop)
        return 0;
    keep = calloc(r->nop, sizeof(*keep));
    trial = calloc(r->nop, sizeof(*trial));
    if (!keep || !trial) {
        free(keep);
        free(trial);
        return 0;
    }
    for (unsigned i = 0; i < n; i++)
        keep[i] = true;
    /* delta debugging over operations: drop chunks, halving their size */
    for (unsigned chunk = n / 2 ? n / 2 : 1; chunk >= 1; chunk /= 2) {
        bool progress = true;

        while (progress) {
            progress = false;
            for (unsigned start = 1; start < n; start += chunk) {
                unsigned dropped = 0;

                memcpy(trial, keep, r->nop * sizeof(*trial));
                for (unsigned i = start; i < start + chunk && i < n; i++)
                    if (trial[i]) {
                        trial[i] = false;
                        dropped++;
                    }
                if (!dropped)
                    continue;
                if (still_fails(r, trial, &replays)) {
                    memcpy(keep, trial, r->nop * sizeof(*keep));
                    progress = true;
                }
            }
        }
        if (chunk == 1)
            break;
    }
    /* compact */
    {
        struct scn_stmt *st = malloc((r->nst ? r->nst : 1) * sizeof(*st));
        struct sh_oprange *op = malloc((r->nop ? r->nop : 1) * sizeof(*op));
        unsigned nst = 0, nop = 0;

        if (st && op) {
            for (unsigned o = 0; o < n; o++) {
                if (!keep[o])
                    continue;
                op[nop].first = nst;
                op[nop].count = r->op[o].count;
                memcpy(st + nst, r->st + r->op[o].first,
                       r->op[o].count * sizeof(*st));
                nst += r->op[o].count;
                nop++;
            }
            free(r->st);
            free(r->op);
            r->st = st;
            r->op = op;
            r->nst = r->capst = nst;
            r->nop = r->capop = nop;
            r->violation_op = nop - 1;
            sh_run_replay(r, NULL, r->why, sizeof(r->why), NULL);
        } else {
            free(st);
            free(op);
        }
    }
    free(keep);
    free(trial);
    return replays;
}

/* -------------------------------------------------------------- scripts */

static const char *policy_word(enum vtd_cache_policy p)
{
    return p == VTD_CACHE_MAXIMAL ? "maximal"
           : p == VTD_CACHE_NONE  ? "none"
                                  : "minimal";
}

void sh_print_script(FILE *f, const struct sh_run *r, const char *title)
{
    char line[400];

    fprintf(f, "# %s\n", title);
    fprintf(f, "# violation: %s: %s\n", sh_violation_name(r->violation),
            r->why);
    fprintf(f, "# Reproduce: shadow-random --replay FILE (or a hosted run "
               "of this script with the\n# notifier harness attached). The "
               "machine: caching mode, 2M/1G pages, PSI with\n# MAMV 18, QI, "
               "device-TLB, pass-through; edu0 (00:01.0) and edu5 (02:1f.6)\n"
               "# feed container A over two ranges around 0xfee00000; edu1 "
               "(00:02.0) and edu3\n# (00:02.4) feed container B, edu1 the "
               "UNMAP-only consumer too; edu2 (01:00.0)\n# and edu4 (01:00.3) "
               "feed container B (shared=1) or C (0x101000..0xbfffefff),\n"
               "# edu2 the device-IOTLB consumer too.\n");
    fprintf(f,
            "# shadow-config: aw=%u policy=%s esrtps=%d cache=%u "
            "shared=%d mutate=%u sloppy=%d seed=0x%" PRIx64 "\n",
            r->cfg.aw_bits, policy_word(r->cfg.policy), r->cfg.esrtps,
            r->cfg.cache_entries, r->cfg.shared, r->cfg.mutate, r->sloppy,
            r->seed);
    fprintf(f, "\nscenario shadow-%" PRIx64 " \"shadow invariant: %s\"\n",
            r->seed, sh_violation_name(r->violation));
    fprintf(f, "require CM QI PSI DT PT edu %u\n", SH_DEVS);
    for (unsigned o = 0; o < r->nop; o++) {
        if (o)
            fprintf(f, "# operation %u\n", o);
        for (unsigned i = 0; i < r->op[o].count; i++) {
            scn_stmt_format(&r->scn, &r->st[r->op[o].first + i], line,
                            sizeof(line));
            fprintf(f, "%s\n", line);
        }
    }
}

/* ---------------------------------------------------------- reading back */

static int cfg_from_comment(const char *text, size_t len, struct sh_run *r)
{
    const char *key = "# shadow-config:";
    const char *p = NULL;
    char buf[300], pol[16] = "minimal";
    unsigned aw = 48, esrtps = 0, cache = 4096, shared = 0, mutate = 0,
             sloppy = 0;
    uint64_t seed = 0;
    size_t n;

    for (size_t i = 0; i + strlen(key) <= len; i++)
        if ((i == 0 || text[i - 1] == '\n') &&
            !memcmp(text + i, key, strlen(key))) {
            p = text + i + strlen(key);
            break;
        }
    if (!p)
        return -1;
    for (n = 0; p + n < text + len && p[n] != '\n' && n + 1 < sizeof(buf); n++)
        buf[n] = p[n];
    buf[n] = 0;
    if (sscanf(buf,
               " aw=%u policy=%15s esrtps=%u cache=%u shared=%u "
               "mutate=%u sloppy=%u seed=%" SCNx64,
               &aw, pol, &esrtps, &cache, &shared, &mutate, &sloppy, &seed) < 6)
        return -1;
    r->cfg.aw_bits = aw;
    r->cfg.policy = !strcmp(pol, "maximal") ? VTD_CACHE_MAXIMAL
                    : !strcmp(pol, "none")  ? VTD_CACHE_NONE
                                            : VTD_CACHE_MINIMAL;
    r->cfg.esrtps = esrtps;
    r->cfg.cache_entries = cache;
    r->cfg.shared = shared;
    r->cfg.mutate = mutate;
    r->sloppy = sloppy;
    r->seed = seed;
    return 0;
}

static struct scn_script script; /* large: not on the stack */

int sh_read_script(const char *text, size_t len, struct sh_run *r)
{
    const struct scn_scenario *c;
    unsigned nerr;

    memset(r, 0, sizeof(*r));
    if (cfg_from_comment(text, len, r)) {
        fprintf(stderr, "replay: no '# shadow-config:' line\n");
        return -1;
    }
    nerr = scn_parse(&script, "replay", text, len);
    if (nerr || script.nscn != 1) {
        fprintf(stderr, "replay: %u parse error(s)%s%s\n", nerr,
                script.nerr ? ": " : "", script.nerr ? script.err[0].msg : "");
        return -1;
    }
    c = &script.scn[0];
    r->scn = *c;
    for (unsigned i = 0; i < c->count; i++) {
        struct scn_stmt st = script.stmt[c->first + i];
        unsigned first = r->nst;

        if (st.iova.buf >= 0 || st.pa.buf >= 0) {
            fprintf(stderr, "replay: line %u: buffers are not modelled\n",
                    st.line);
            return -1;
        }
        if (st.op == SCN_NOTE && !sh_stmt_modelled(&st))
            continue;
        if (!sh_stmt_modelled(&st)) {
            fprintf(stderr, "replay: line %u: statement not modelled\n",
                    st.line);
            return -1;
        }
        /* the text lies in the caller's buffer, gone after this (a host
         * action's is the harness's own) */
        if (st.op == SCN_NOTE) {
            enum sh_host h;
            unsigned k;

            sh_host_parse(&st, &h, &k);
            st.text = sh_host_text(h, k);
        } else {
            st.text = NULL;
            st.text_len = 0;
        }
        st.xf = (struct scn_xfail){ 0 };
        push_stmt(r, &st);
        /* every statement its own operation: replay keeps them all */
        push_op(r, first);
    }
    r->scn.first = 0;
    r->scn.count = r->nst;
    r->scn.title = NULL;
    r->scn.title_len = 0;
    for (unsigned i = 0; i < r->scn.nreq; i++)
        r->scn.req[i] = (struct scn_req){ 0 };
    r->scn.nreq = 0;
    r->scn.error = -1;
    return 0;
}
