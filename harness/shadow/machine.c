/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/machine.c — the guest, the unit and the host side
 * (machine.h): set-up, and the statements carried out on guest memory and
 * registers the way the vtd/ driver would.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/shadow/machine.h"
#include "model/vtd_regs.h"

#define RAM_SIZE        (16u << 20)
#define RAM_FIRST_PAGE  (1u << 20)
#define PERM_RW         (MV_SL_R | MV_SL_W)

static const uint16_t dev_sid[SH_DEVS] = { 0x0008, 0x0010, 0x0100 };

/* ------------------------------------------------------------ memory */

static void w64m(struct sh_machine *mc, uint64_t pa, uint64_t v)
{
    if (sh_ram_ok(mc, pa, 8))
        memcpy(mc->ram + pa, &v, 8);
}

static int mem_read(void *o, uint64_t gpa, void *buf, size_t len)
{
    struct sh_machine *mc = o;

    if (!sh_ram_ok(mc, gpa, len))
        return -1;
    memcpy(buf, mc->ram + gpa, len);
    return 0;
}

static int mem_write(void *o, uint64_t gpa, const void *buf, size_t len)
{
    struct sh_machine *mc = o;

    if (!sh_ram_ok(mc, gpa, len))
        return -1;
    memcpy(mc->ram + gpa, buf, len);
    return 0;
}

/*
 * Guest RAM: machines come and go by the thousand (one per scenario, one
 * per shrinking replay), so one spare buffer is kept and only the part a
 * machine used is cleared for the next.
 */
static uint8_t *spare_ram;
static uint64_t spare_used;

static uint8_t *ram_get(void)
{
    uint8_t *r = spare_ram;

    if (!r)
        return calloc(1, RAM_SIZE);
    spare_ram = NULL;
    memset(r, 0, spare_used);
    return r;
}

static void ram_put(uint8_t *r, uint64_t used)
{
    if (!r)
        return;
    if (spare_ram) {
        free(r);
        return;
    }
    spare_ram = r;
    spare_used = used > RAM_SIZE ? RAM_SIZE : used;
}

/* A zeroed page of guest RAM; 0 when there is none left. */
static uint64_t page_alloc(struct sh_machine *mc)
{
    uint64_t p = mc->next_page;

    if (p + 4096 > mc->ram_size)
        return 0;
    mc->next_page += 4096;
    if (mc->next_page > mc->high_water)
        mc->high_water = mc->next_page;
    memset(mc->ram + p, 0, 4096);
    return p;
}

/* ---------------------------------------------------------- registers */

static uint32_t r32(struct sh_machine *mc, uint64_t off)
{
    return (uint32_t)vtd_mmio_read(mc->m, off, 4);
}

static void w32(struct sh_machine *mc, uint64_t off, uint32_t v)
{
    vtd_mmio_write(mc->m, off, 4, v);
}

static uint64_t r64(struct sh_machine *mc, uint64_t off)
{
    return vtd_mmio_read(mc->m, off, 8);
}

static void w64(struct sh_machine *mc, uint64_t off, uint64_t v)
{
    vtd_mmio_write(mc->m, off, 8, v);
}

/* Persistent enables from GSTS, one-shot status bits left out (never
 * written back as commands). */
static void gcmd(struct sh_machine *mc, uint32_t bit, bool on)
{
    uint32_t cur = r32(mc, MV_REG_GSTS) &
                   (MV_GCMD_TE | MV_GCMD_QIE | MV_GCMD_IRE | MV_GCMD_CFI);

    w32(mc, MV_REG_GCMD, on ? cur | bit : cur & ~bit);
}

static uint64_t iva_off(struct sh_machine *mc)
{
    return ((vtd_model_ecap(mc->m) >> MV_ECAP_IRO_SHIFT) & 0x3FF) * 16;
}

/* ---------------------------------------------------- queued invalidation */

static void qi_enable(struct sh_machine *mc)
{
    w64(mc, MV_REG_IQT, 0);
    w64(mc, MV_REG_IQA, mc->iq);       /* 4 KiB queue, 128-bit descriptors */
    gcmd(mc, MV_GCMD_QIE, true);
    mc->iq_tail = 0;
    mc->qi_on = true;
}

static void qi_disable(struct sh_machine *mc)
{
    gcmd(mc, MV_GCMD_QIE, false);
    mc->qi_on = false;
}

static void qi_put(struct sh_machine *mc, uint64_t q0, uint64_t q1)
{
    w64m(mc, mc->iq + mc->iq_tail, q0);
    w64m(mc, mc->iq + mc->iq_tail + 8, q1);
    mc->iq_tail = (mc->iq_tail + 16) % 4096;
    w64(mc, MV_REG_IQT, mc->iq_tail);
}

/* One descriptor and a status-writing wait: 0 when the wait completed. */
static int qi_sync(struct sh_machine *mc, uint64_t q0, uint64_t q1)
{
    uint32_t got;

    mc->marker++;
    w64m(mc, mc->status, 0);
    qi_put(mc, q0, q1);
    qi_put(mc, MV_QI_WAIT | BIT64(5) | (uint64_t)mc->marker << 32, mc->status);
    got = (uint32_t)sh_r64(mc, mc->status);
    if (got != mc->marker || (r32(mc, MV_REG_FSTS) & MV_FSTS_IQE))
        return -EIO;
    return 0;
}

static void use_via(struct sh_machine *mc, unsigned via)
{
    if (via == SH_VIA_QI && !mc->qi_on)
        qi_enable(mc);
    else if (via == SH_VIA_REG && mc->qi_on)
        qi_disable(mc);
}

static unsigned via_of(const struct sh_machine *mc, const struct sh_stmt *st)
{
    return st->via ? st->via : mc->via;
}

static int inv_cc(struct sh_machine *mc, unsigned gran, uint16_t did,
                  uint16_t sid, unsigned fm, unsigned via)
{
    use_via(mc, via);
    if (via == SH_VIA_QI)
        return qi_sync(mc, MV_QI_CC | (uint64_t)gran << 4 | (uint64_t)did << 16 |
                           (uint64_t)sid << 32 | (uint64_t)fm << 48, 0);
    w64(mc, MV_REG_CCMD, MV_CCMD_ICC | (uint64_t)gran << MV_CCMD_CIRG_SHIFT |
                          (uint64_t)fm << MV_CCMD_FM_SHIFT |
                          (uint64_t)sid << MV_CCMD_SID_SHIFT | did);
    return (r64(mc, MV_REG_CCMD) & MV_CCMD_CAIG) ? 0 : -EIO;
}

static int inv_iotlb(struct sh_machine *mc, unsigned gran, uint16_t did,
                     uint64_t iova, unsigned am, bool ih, unsigned via)
{
    use_via(mc, via);
    if (via == SH_VIA_QI)
        return qi_sync(mc, MV_QI_IOTLB | (uint64_t)gran << 4 | (uint64_t)did << 16,
                       gran == SH_G_PAGE ?
                       (iova & ~0xFFFull) | (ih ? BIT64(6) : 0) | am : 0);
    if (gran == SH_G_PAGE)
        w64(mc, iva_off(mc), (iova & ~0xFFFull) | (ih ? MV_IVA_IH : 0) | am);
    w64(mc, iva_off(mc) + 8, MV_IOTLB_IVT |
                             (uint64_t)gran << MV_IOTLB_IIRG_SHIFT |
                             (uint64_t)did << MV_IOTLB_DID_SHIFT);
    return (r64(mc, iva_off(mc) + 8) & MV_IOTLB_IAIG) ? 0 : -EIO;
}

/* ------------------------------------------------------------ page tables */

static uint64_t lvl_size(unsigned l)
{
    return 1ull << (12 + 9 * (l - 1));
}

static unsigned lvl_idx(uint64_t iova, unsigned l)
{
    return (unsigned)(iova >> (12 + 9 * (l - 1))) & 511;
}

static bool sl_present(uint64_t e)
{
    return (e & PERM_RW) != 0;
}

static bool sl_leaf(uint64_t e, unsigned l)
{
    return l == 1 || ((l == 2 || l == 3) && (e & MV_SL_PS));
}

static uint64_t sl_addr(uint64_t e)
{
    return e & MV_SL_ADDR;
}

void sh_lookup(const struct sh_machine *mc, unsigned d, uint64_t iova,
               struct sh_walk *w)
{
    const struct sh_domain *dm = &mc->dom[d];
    uint64_t table = dm->root;

    memset(w, 0, sizeof(*w));
    if (!dm->live || (dm->width < 64 && (iova >> dm->width)))
        return;
    for (unsigned l = dm->levels; l >= 1; l--) {
        uint64_t a = table + lvl_idx(iova, l) * 8ull;
        uint64_t e = sh_r64(mc, a);

        w->pte[l] = e;
        w->pte_pa[l] = a;
        w->level = l;
        if (!sl_present(e))
            return;
        if (sl_leaf(e, l)) {
            w->present = true;
            return;
        }
        table = sl_addr(e);
        if (!sh_ram_ok(mc, table, 4096))
            return;
    }
}

static bool range_ok(const struct sh_domain *d, uint64_t iova, uint64_t size)
{
    uint64_t limit = d->width >= 64 ? ~0ull : 1ull << d->width;

    return size && iova + size > iova && iova < limit &&
           size <= limit - iova && !((iova | size) & 0xFFF);
}

/* Address of the entry at `level` for iova; tables created on the way
 * with alloc. -EEXIST: a leaf above; -ENOENT: no table (without alloc). */
static int walk_to(struct sh_machine *mc, unsigned d, uint64_t iova,
                   unsigned level, bool alloc, uint64_t *pa)
{
    const struct sh_domain *dm = &mc->dom[d];
    uint64_t table = dm->root;

    for (unsigned l = dm->levels; l > level; l--) {
        uint64_t a = table + lvl_idx(iova, l) * 8ull, e = sh_r64(mc, a);

        if (!sl_present(e)) {
            uint64_t nt;

            if (!alloc)
                return -ENOENT;
            nt = page_alloc(mc);
            if (!nt)
                return -ENOMEM;
            e = nt | PERM_RW;
            w64m(mc, a, e);
        } else if (sl_leaf(e, l)) {
            return -EEXIST;
        }
        table = sl_addr(e);
        if (!sh_ram_ok(mc, table, 4096))
            return -EFAULT;
    }
    *pa = table + lvl_idx(iova, level) * 8ull;
    return 0;
}

static unsigned page_level(uint64_t page)
{
    return page == (1ull << 30) ? 3 : page == (1ull << 21) ? 2 : 1;
}

static void mark_dirty(struct sh_machine *mc, unsigned d, uint64_t first,
                       uint64_t last)
{
    if (mc->ndirty == SH_DIRTY) {
        mc->full_pending = true;
        mc->dirty_lost = true;
        return;
    }
    mc->dirty[mc->ndirty].root = mc->dom[d].root;
    mc->dirty[mc->ndirty].first = first;
    mc->dirty[mc->ndirty].last = last;
    mc->ndirty++;
}

static int do_map(struct sh_machine *mc, const struct sh_stmt *st)
{
    const struct sh_domain *dm = &mc->dom[st->dom];
    unsigned level = page_level(st->page);
    uint64_t ps = st->page, pa;
    int rc;

    if (!range_ok(dm, st->iova, st->size) || !st->perm || (st->perm & ~3u) ||
        ((st->iova | st->phys | st->size) & (ps - 1)) ||
        (st->phys >> (mc->cfg.aw_bits > 52 ? 52 : mc->cfg.aw_bits)) ||
        (level == 3 && dm->levels < 3))
        return -EINVAL;
    /* all or nothing: look first */
    for (uint64_t off = 0; off < st->size; off += ps) {
        rc = walk_to(mc, st->dom, st->iova + off, level, false, &pa);
        if (rc == -EEXIST || rc == -EFAULT || (!rc && sl_present(sh_r64(mc, pa))))
            return -EEXIST;
    }
    for (uint64_t off = 0; off < st->size; off += ps) {
        rc = walk_to(mc, st->dom, st->iova + off, level, true, &pa);
        if (rc)
            return rc;      /* out of table pages: the guest is stuck */
        w64m(mc, pa, ((st->phys + off) & MV_SL_ADDR) | (level > 1 ? MV_SL_PS : 0) |
                     st->perm);
    }
    mark_dirty(mc, st->dom, st->iova, st->iova + st->size - 1);
    return 0;
}

/* unmap (clear) or protect (new perm) the leaves over the range; with
 * dry, only say whether it would work. */
static int do_leaves(struct sh_machine *mc, const struct sh_stmt *st,
                     bool clear, bool dry)
{
    const struct sh_domain *dm = &mc->dom[st->dom];
    unsigned found = 0;

    if (!range_ok(dm, st->iova, st->size) || (st->perm & ~3u))
        return -EINVAL;
    for (int pass = 0; pass < (dry ? 1 : 2); pass++) {
        uint64_t iova = st->iova, size = st->size;

        while (size) {
            struct sh_walk w;
            uint64_t ls, step;

            sh_lookup(mc, st->dom, iova, &w);
            ls = lvl_size(w.level ? w.level : 1);
            step = ls - (iova & (ls - 1));
            if (w.present) {
                if ((iova & (ls - 1)) || size < ls)
                    return -ERANGE;     /* cuts a large leaf */
                if (pass) {
                    uint64_t e = w.pte[w.level];

                    w64m(mc, w.pte_pa[w.level],
                         clear ? 0 : (e & ~(uint64_t)PERM_RW) | st->perm);
                }
                found++;
            }
            if (step >= size)
                break;
            iova += step;
            size -= step;
        }
        if (!pass && !clear && !found)
            return -ENOENT;
    }
    if (dry)
        return found ? 0 : -ENOENT;
    mark_dirty(mc, st->dom, st->iova, st->iova + st->size - 1);
    return 0;
}

bool sh_leaves_ok(struct sh_machine *mc, unsigned d, uint64_t iova,
                  uint64_t size, bool need_leaf)
{
    struct sh_stmt st = { .op = SH_UNMAP, .dom = (uint8_t)d, .iova = iova,
                          .size = size };
    int rc = do_leaves(mc, &st, true, true);

    return rc == 0 || (rc == -ENOENT && !need_leaf);
}

bool sh_slot_free(struct sh_machine *mc, unsigned d, uint64_t iova,
                  unsigned level)
{
    uint64_t pa;
    int rc;

    if (!mc->dom[d].live || level > mc->dom[d].levels)
        return false;
    rc = walk_to(mc, d, iova, level, false, &pa);
    return rc == -ENOENT || (!rc && !sl_present(sh_r64(mc, pa)));
}

static int do_split(struct sh_machine *mc, const struct sh_stmt *st)
{
    const struct sh_domain *dm = &mc->dom[st->dom];
    unsigned level = st->level;
    uint64_t pa, e, nt, child;
    int rc;

    if (level < 2 || level > 3 || level > dm->levels)
        return -EINVAL;
    rc = walk_to(mc, st->dom, st->iova, level, false, &pa);
    if (rc)
        return -ENOENT;
    e = sh_r64(mc, pa);
    if (!sl_present(e) || !sl_leaf(e, level))
        return -ENOENT;
    nt = page_alloc(mc);
    if (!nt)
        return -ENOMEM;
    child = lvl_size(level - 1);
    for (unsigned i = 0; i < 512; i++)
        w64m(mc, nt + i * 8ull, ((sl_addr(e) & ~(lvl_size(level) - 1)) +
                                 i * child) |
                                (level - 1 > 1 ? MV_SL_PS : 0) | (e & PERM_RW));
    w64m(mc, pa, nt | PERM_RW);
    mark_dirty(mc, st->dom, st->iova & ~(lvl_size(level) - 1),
               (st->iova | (lvl_size(level) - 1)));
    return 0;
}

/* Whether the table under the level-`level` entry at pa can be merged;
 * the leaf it would become in *leaf. */
static bool mergeable(const struct sh_machine *mc, uint64_t e, unsigned level,
                      uint64_t *leaf)
{
    uint64_t t = sl_addr(e), base, child = lvl_size(level - 1);
    unsigned perm;

    if (!sl_present(e) || sl_leaf(e, level) || !sh_ram_ok(mc, t, 4096))
        return false;
    base = sl_addr(sh_r64(mc, t));
    perm = (unsigned)(sh_r64(mc, t) & PERM_RW);
    if (base & (lvl_size(level) - 1))
        return false;
    for (unsigned i = 0; i < 512; i++) {
        uint64_t c = sh_r64(mc, t + i * 8ull);

        if (!sl_present(c) || !sl_leaf(c, level - 1) ||
            (unsigned)(c & PERM_RW) != perm || sl_addr(c) != base + i * child)
            return false;
    }
    *leaf = base | MV_SL_PS | perm;
    return true;
}

bool sh_mergeable(struct sh_machine *mc, unsigned d, uint64_t iova,
                  unsigned level)
{
    uint64_t pa, leaf;

    if (!mc->dom[d].live || level < 2 || level > 3 ||
        level > mc->dom[d].levels ||
        walk_to(mc, d, iova, level, false, &pa))
        return false;
    return mergeable(mc, sh_r64(mc, pa), level, &leaf);
}

static int do_merge(struct sh_machine *mc, const struct sh_stmt *st)
{
    const struct sh_domain *dm = &mc->dom[st->dom];
    unsigned level = st->level;
    uint64_t pa, leaf;

    if (level < 2 || level > 3 || level > dm->levels)
        return -EINVAL;
    if (walk_to(mc, st->dom, st->iova, level, false, &pa))
        return -ENOENT;
    if (!mergeable(mc, sh_r64(mc, pa), level, &leaf))
        return -EINVAL;
    w64m(mc, pa, leaf);     /* the old table stays allocated */
    mark_dirty(mc, st->dom, st->iova & ~(lvl_size(level) - 1),
               (st->iova | (lvl_size(level) - 1)));
    return 0;
}

static int do_pte(struct sh_machine *mc, const struct sh_stmt *st)
{
    const struct sh_domain *dm = &mc->dom[st->dom];
    uint64_t pa, span;

    if (st->level < 1 || st->level > dm->levels ||
        (dm->width < 64 && (st->iova >> dm->width)))
        return -EINVAL;
    if (walk_to(mc, st->dom, st->iova, st->level, false, &pa))
        return -ENOENT;
    w64m(mc, pa, (sh_r64(mc, pa) & ~st->clear) | st->set);
    span = lvl_size(st->level);
    mark_dirty(mc, st->dom, st->iova & ~(span - 1), st->iova | (span - 1));
    return 0;
}

/* ------------------------------------------------------- context entries */

static int set_ctx(struct sh_machine *mc, unsigned dev, uint64_t lo,
                   uint64_t hi)
{
    uint16_t sid = mc->dev[dev].sid;
    uint64_t re = mc->root + (sid >> 8) * 16ull, ct = sh_r64(mc, re);

    if (!(ct & 1)) {
        uint64_t t = page_alloc(mc);

        if (!t)
            return -ENOMEM;
        ct = t | 1;
        w64m(mc, re + 8, 0);
        w64m(mc, re, ct);
    }
    ct &= ~0xFFFull;
    /* the word with the present bit last */
    if (lo & 1) {
        w64m(mc, ct + (sid & 0xFF) * 16ull + 8, hi);
        w64m(mc, ct + (sid & 0xFF) * 16ull, lo);
    } else {
        w64m(mc, ct + (sid & 0xFF) * 16ull, lo);
        w64m(mc, ct + (sid & 0xFF) * 16ull + 8, hi);
    }
    return 0;
}

static unsigned aw_max(const struct sh_machine *mc)
{
    return (mc->cfg.aw_bits - 30) / 9;      /* 48 -> 2, 57 -> 3 */
}

/* -------------------------------------------------------------- devtlb */

static bool devtlb_expected(struct sh_machine *mc, uint64_t q0, uint64_t q1)
{
    uint64_t first, last, size, x;

    if ((q0 & 0xF) != MV_QI_DEVTLB || mc->devtlb_dev < 0 ||
        (uint16_t)(q0 >> 32) != mc->dev[mc->devtlb_dev].sid)
        return mc->ndevtlb_ev == 0;
    /* §7.3 size: S=0 one page; else the lowest 0 bit of ADDR from 12 */
    if (!(q1 & 1)) {
        first = q1 & ~0xFFFull;
        size = 4096;
    } else {
        uint64_t ones = ~(q1 >> 12);
        unsigned nb = ones ? (unsigned)__builtin_ctzll(ones) + 12 : 64;

        size = nb >= 63 ? 0 : 2ull << nb;
        first = size ? q1 & ~0xFFFull & ~(size - 1) : 0;
    }
    last = size ? first + size - 1 : ~0ull;
    if (first < mc->devtlb_first)
        first = mc->devtlb_first;
    if (last > mc->devtlb_last)
        last = mc->devtlb_last;
    if (first > last)
        return mc->ndevtlb_ev == 0;
    /* the events must tile [first, last] with aligned blocks, in order */
    x = first;
    for (unsigned i = 0; i < mc->ndevtlb_ev; i++) {
        const struct sh_devtlb_ev *e = &mc->devtlb_ev[i];

        if (e->iova != x || !e->size || (e->size & (e->size - 1)) ||
            (e->iova & (e->size - 1)) || e->iova + e->size - 1 > last)
            return false;
        if (e->iova + e->size - 1 == last)
            return i + 1 == mc->ndevtlb_ev;
        x = e->iova + e->size;
    }
    return false;
}

/* ------------------------------------------------------------ statements */

int sh_exec(struct sh_machine *mc, const struct sh_stmt *st)
{
    int rc = 0;

    mc->stmts++;
    mc->in_stmt = true;
    switch (st->op) {
    case SH_DOMAIN: {
        struct sh_domain *d = &mc->dom[st->dom];
        unsigned levels = (st->aw - 30) / 9 + 2;

        if (st->dom >= SH_DOMS || d->live || (st->aw != 39 && st->aw != 48 &&
                                              st->aw != 57) ||
            st->aw > mc->cfg.aw_bits) {
            rc = -EINVAL;
            break;
        }
        d->root = page_alloc(mc);
        if (!d->root) {
            rc = -ENOMEM;
            break;
        }
        d->live = true;
        d->did = st->did;
        d->levels = levels;
        d->width = st->aw;
        break;
    }
    case SH_SET_VIA:
        mc->via = st->via;
        use_via(mc, st->via);
        break;
    case SH_ATTACH: {
        const struct sh_domain *d = &mc->dom[st->dom];

        if (!d->live) {
            rc = -EINVAL;
            break;
        }
        rc = set_ctx(mc, st->dev, d->root | 1,
                     (uint64_t)d->did << 8 | (d->levels - 2));
        if (!rc) {
            mc->dev[st->dev].ctx = st->dom;
            mc->dev[st->dev].did = d->did;
        }
        break;
    }
    case SH_ATTACH_PT:
        rc = set_ctx(mc, st->dev, (uint64_t)MV_CTX_TT_PT << 2 | 1,
                     (uint64_t)st->did << 8 | aw_max(mc));
        if (!rc) {
            mc->dev[st->dev].ctx = -2;
            mc->dev[st->dev].did = st->did;
        }
        break;
    case SH_DETACH:
        rc = set_ctx(mc, st->dev, 0, 0);
        if (!rc)
            mc->dev[st->dev].ctx = -1;
        break;
    case SH_ENABLE:
        w64(mc, MV_REG_RTADDR, mc->root);
        w32(mc, MV_REG_GCMD, (r32(mc, MV_REG_GSTS) &
                               (MV_GCMD_TE | MV_GCMD_QIE)) | MV_GCMD_SRTP);
        if (!(vtd_model_cap(mc->m) & MV_CAP_ESRTPS)) {
            unsigned via = mc->qi_on ? SH_VIA_QI : SH_VIA_REG;

            rc = inv_cc(mc, SH_G_GLOBAL, 0, 0, 0, via);
            if (!rc)
                rc = inv_iotlb(mc, SH_G_GLOBAL, 0, 0, 0, false, via);
        }
        gcmd(mc, MV_GCMD_TE, true);
        break;
    case SH_DISABLE:
        gcmd(mc, MV_GCMD_TE, false);
        break;
    case SH_MAP:
        rc = do_map(mc, st);
        break;
    case SH_UNMAP:
        rc = do_leaves(mc, st, true, false);
        break;
    case SH_PROTECT:
        rc = do_leaves(mc, st, false, false);
        break;
    case SH_SPLIT:
        rc = do_split(mc, st);
        break;
    case SH_MERGE:
        rc = do_merge(mc, st);
        break;
    case SH_PTE:
        rc = do_pte(mc, st);
        break;
    case SH_INV_CC:
        rc = inv_cc(mc, st->gran, st->did,
                    st->gran == SH_G_DEVICE ? mc->dev[st->dev].sid : 0,
                    st->fm, via_of(mc, st));
        break;
    case SH_INV_IOTLB:
        rc = inv_iotlb(mc, st->gran, st->did, st->iova, st->am, st->ih,
                       via_of(mc, st));
        break;
    case SH_QI_RAW:
        use_via(mc, SH_VIA_QI);
        mc->ndevtlb_ev = 0;
        rc = qi_sync(mc, st->qw0, st->qw1);
        if (!rc && !devtlb_expected(mc, st->qw0, st->qw1))
            sh_violate(mc, SHV_DEVTLB, "qi raw qw0=0x%" PRIx64 " qw1=0x%"
                       PRIx64 ": %u device-IOTLB event(s) do not tile the "
                       "invalidated range cropped to [0x%" PRIx64 ", 0x%"
                       PRIx64 "]", st->qw0, st->qw1, mc->ndevtlb_ev,
                       mc->devtlb_first, mc->devtlb_last);
        break;
    case SH_DMA: {
        uint64_t out;

        if (st->dev == mc->vhost_dev) {
            shv_access(&mc->vhost, st->iova, &out);
        } else {
            struct vtd_request r = { .sid = mc->dev[st->dev].sid,
                                     .addr = st->iova, .access = VTD_ACC_READ };
            struct vtd_xlate x;

            vtd_translate(mc->m, &r, &x);
        }
        break;
    }
    default:
        rc = -EINVAL;
        break;
    }
    mc->in_stmt = false;
    return rc;
}

/* ------------------------------------------------------------ formatting */

static const char *perm_word(unsigned p)
{
    static const char *const w[4] = { "none", "r", "w", "rw" };

    return w[p & 3];
}

static const char *page_word(uint64_t page)
{
    return page == (1ull << 30) ? "1G" : page == (1ull << 21) ? "2M" : "4K";
}

static const char *via_word(unsigned via)
{
    return via == SH_VIA_QI ? " via=qi" : via == SH_VIA_REG ? " via=reg" : "";
}

void sh_stmt_format(const struct sh_stmt *st, char *b, size_t n)
{
    static const char *const gran_cc[4] = { "?", "global", "domain", "device" };
    static const char *const gran_io[4] = { "?", "global", "domain", "page" };

    switch (st->op) {
    case SH_DOMAIN:
        snprintf(b, n, "domain d%u did=%u aw=%u", st->dom, st->did, st->aw);
        break;
    case SH_SET_VIA:
        snprintf(b, n, "set via=%s", st->via == SH_VIA_QI ? "qi" : "reg");
        break;
    case SH_ATTACH:
        snprintf(b, n, "attach edu%u d%u", st->dev, st->dom);
        break;
    case SH_ATTACH_PT:
        snprintf(b, n, "attach edu%u passthrough did=%u", st->dev, st->did);
        break;
    case SH_DETACH:
        snprintf(b, n, "detach edu%u", st->dev);
        break;
    case SH_ENABLE:
        snprintf(b, n, "enable");
        break;
    case SH_DISABLE:
        snprintf(b, n, "disable");
        break;
    case SH_MAP:
        snprintf(b, n, "map d%u iova=0x%" PRIx64 " phys=0x%" PRIx64
                 " size=0x%" PRIx64 " page=%s perm=%s", st->dom, st->iova,
                 st->phys, st->size, page_word(st->page), perm_word(st->perm));
        break;
    case SH_UNMAP:
        snprintf(b, n, "unmap d%u iova=0x%" PRIx64 " size=0x%" PRIx64,
                 st->dom, st->iova, st->size);
        break;
    case SH_PROTECT:
        snprintf(b, n, "protect d%u iova=0x%" PRIx64 " size=0x%" PRIx64
                 " perm=%s", st->dom, st->iova, st->size, perm_word(st->perm));
        break;
    case SH_SPLIT:
    case SH_MERGE:
        snprintf(b, n, "%s d%u iova=0x%" PRIx64 " level=%u",
                 st->op == SH_SPLIT ? "split" : "merge", st->dom, st->iova,
                 st->level);
        break;
    case SH_PTE: {
        int k = snprintf(b, n, "pte d%u iova=0x%" PRIx64 " level=%u", st->dom,
                         st->iova, st->level);

        if (st->set && k > 0 && (size_t)k < n)
            k += snprintf(b + k, n - (size_t)k, " set=0x%" PRIx64, st->set);
        if (st->clear && k > 0 && (size_t)k < n)
            snprintf(b + k, n - (size_t)k, " clear=0x%" PRIx64, st->clear);
        break;
    }
    case SH_INV_CC:
        if (st->gran == SH_G_DEVICE && st->fm)
            snprintf(b, n, "inv cc device did=%u dev=edu%u fm=%u%s", st->did,
                     st->dev, st->fm, via_word(st->via));
        else if (st->gran == SH_G_DEVICE)
            snprintf(b, n, "inv cc device did=%u dev=edu%u%s", st->did,
                     st->dev, via_word(st->via));
        else
            snprintf(b, n, "inv cc %s did=%u%s", gran_cc[st->gran & 3],
                     st->did, via_word(st->via));
        break;
    case SH_INV_IOTLB:
        if (st->gran == SH_G_PAGE)
            snprintf(b, n, "inv iotlb page did=%u iova=0x%" PRIx64
                     " am=%u%s%s", st->did, st->iova, st->am,
                     st->ih ? " ih=1" : "", via_word(st->via));
        else
            snprintf(b, n, "inv iotlb %s did=%u%s", gran_io[st->gran & 3],
                     st->did, via_word(st->via));
        break;
    case SH_QI_RAW:
        snprintf(b, n, "qi raw qw0=0x%" PRIx64 " qw1=0x%" PRIx64
                 " expect=ok", st->qw0, st->qw1);
        break;
    case SH_DMA:
        snprintf(b, n, "dma edu%u from-ram iova=0x%" PRIx64
                 " len=1 expect=any", st->dev, st->iova);
        break;
    default:
        snprintf(b, n, "# unknown statement %u", st->op);
        break;
    }
}

/* ----------------------------------------------------------- consumers */

static int cons_notify(void *opaque, const struct vtd_notify_event *ev);

static int devtlb_notify(void *opaque, const struct vtd_notify_event *ev)
{
    struct sh_machine *mc = opaque;

    if (ev->type == VTD_EV_MODE)
        return 0;
    if (ev->type != VTD_EV_DEVIOTLB_UNMAP) {
        sh_violate(mc, SHV_DEVTLB, "device-IOTLB consumer got event type %d",
                   (int)ev->type);
        return -EINVAL;
    }
    if (mc->ndevtlb_ev < 16)
        mc->devtlb_ev[mc->ndevtlb_ev] = (struct sh_devtlb_ev){ ev->iova,
                                                               ev->size };
    mc->ndevtlb_ev++;
    return 0;
}

static int vhost_notify(void *opaque, const struct vtd_notify_event *ev)
{
    struct sh_machine *mc = opaque;

    if ((mc->cfg.mutate & SH_MUT_VHOST_DEAF) && ev->type == VTD_EV_UNMAP &&
        ev->unmap_all)
        return 0;
    if ((mc->cfg.mutate & SH_MUT_VHOST_DEAF_PAGE) &&
        ev->type == VTD_EV_UNMAP && !ev->unmap_all)
        return 0;
    return shv_notify(&mc->vhost, ev);
}

static int cons_notify(void *opaque, const struct vtd_notify_event *ev)
{
    struct sh_cons *c = opaque;
    struct sh_machine *mc = c->mc;

    if ((mc->cfg.mutate & SH_MUT_DROP_UNMAP_2M) && ev->type == VTD_EV_UNMAP &&
        !ev->unmap_all && ev->size == (1ull << 21))
        return 0;
    return shc_notify(c->cont, ev);
}

static int add_consumer(struct sh_machine *mc, int dev, struct shc *cont,
                        unsigned flags, uint64_t first, uint64_t last,
                        vtd_notify_fn fn, void *opaque)
{
    struct vtd_notify_reg r = {
        .sid = mc->dev[dev].sid, .flags = flags, .first = first, .last = last,
        .container = cont, .notify = fn, .opaque = opaque,
    };
    unsigned i = mc->ncons;
    struct sh_cons *c = &mc->cons[i];
    const char *why = NULL;
    int g = -1;

    if (i == SH_CONS)
        return -1;
    c->mc = mc;
    if (!fn) {
        r.notify = cons_notify;
        r.opaque = c;
    }
    c->dev = dev;
    c->cont = cont;
    c->c = vtd_notify_register(mc->n, &r, &why);
    if (!c->c) {
        fprintf(stderr, "shadow: registration refused: %s\n", why);
        return -1;
    }
    mc->ncons++;
    if (cont) {
        for (unsigned k = 0; k < mc->ngroup; k++)
            if (mc->group[k].cont == cont && mc->group[k].first == first &&
                mc->group[k].last == last)
                g = (int)k;
        if (g < 0) {
            g = (int)mc->ngroup++;
            mc->group[g].cont = cont;
            mc->group[g].first = first;
            mc->group[g].last = last;
            mc->group[g].cons = (int)i;
        }
        mc->group[g].members[mc->group[g].nmem++] = dev;
    }
    c->group = g;
    return 0;
}

static void done_hook(void *opaque, const struct vtd_notify_inval *inv)
{
    struct sh_machine *mc = opaque;

    mc->invalidations++;
    if (inv->kind == VTD_NI_IEC)
        return;
    sh_check(mc, false);
}

struct sh_machine *sh_machine_new(const struct sh_config *cfg)
{
    struct sh_machine *mc = calloc(1, sizeof(*mc));
    struct vtd_config vc = {
        .aw_bits = cfg->aw_bits, .caching_mode = true, .pass_through = true,
        .device_iotlb = true, .large_pages = true, .mamv = 18, .nfr = 8,
        .cache_policy = cfg->policy, .esrtps = cfg->esrtps,
        .cache_entries = cfg->cache_entries,
    };
    struct vtd_env env = { .mem_read = mem_read, .mem_write = mem_write };
    const char *why = NULL;
    bool ok = true;

    if (!mc)
        return NULL;
    mc->cfg = *cfg;
    mc->ram_size = RAM_SIZE;
    mc->ram = ram_get();
    env.opaque = mc;
    mc->m = mc->ram ? vtd_model_create(&vc, &env, &why) : NULL;
    mc->n = mc->m ? vtd_notify_create(mc->m) : NULL;
    if (!mc->n) {
        fprintf(stderr, "shadow: no machine: %s\n", why ? why : "no memory");
        sh_machine_free(mc);
        return NULL;
    }
    mc->next_page = RAM_FIRST_PAGE;
    mc->root = page_alloc(mc);
    mc->iq = page_alloc(mc);
    mc->status = page_alloc(mc);
    mc->via = SH_VIA_REG;
    mc->vhost_dev = 1;
    mc->devtlb_dev = 2;
    mc->devtlb_first = 0;
    mc->devtlb_last = (1ull << 48) - 1;
    mc->stop_on_violation = true;
    for (unsigned i = 0; i < SH_DEVS; i++) {
        mc->dev[i].sid = dev_sid[i];
        mc->dev[i].ctx = -1;
    }
    mc->cont[0] = shc_new("container A (edu0)", 64, 65535);
    mc->cont[1] = shc_new(cfg->shared ? "container B (edu1+edu2)"
                                      : "container B (edu1)", 64, 65535);
    if (!cfg->shared)
        mc->cont[2] = shc_new("container C (edu2)", 64, 65535);
    shv_init(&mc->vhost, mc->m, dev_sid[mc->vhost_dev]);
    vtd_notify_set_done(mc->n, done_hook, mc);
    /* edu0: one container, two ranges around the interrupt window, as a
     * host splits the space at the MSI region */
    ok = mc->cont[0] && mc->cont[1] && (cfg->shared || mc->cont[2]) &&
         !add_consumer(mc, 0, mc->cont[0], VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP,
                       0, 0xFEDFFFFFull, NULL, NULL) &&
         !add_consumer(mc, 0, mc->cont[0], VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP,
                       0xFEF00000ull, ~0ull, NULL, NULL) &&
         !add_consumer(mc, 1, mc->cont[1], VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP,
                       0, ~0ull, NULL, NULL) &&
         (cfg->shared ?
          !add_consumer(mc, 2, mc->cont[1], VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP,
                        0, ~0ull, NULL, NULL) :
          /* a window that crops 2 MiB and 1 GiB leaves at both ends */
          !add_consumer(mc, 2, mc->cont[2], VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP,
                        0x101000ull, 0xBFFFEFFFull, NULL, NULL)) &&
         !add_consumer(mc, 1, NULL, VTD_NOTIFY_UNMAP, 0, ~0ull,
                       vhost_notify, mc) &&
         !add_consumer(mc, 2, NULL, VTD_NOTIFY_DEVIOTLB_UNMAP,
                       mc->devtlb_first, mc->devtlb_last, devtlb_notify, mc);
    if (!ok) {
        sh_machine_free(mc);
        return NULL;
    }
    for (unsigned i = 0; i < 3; i++)
        if (mc->cont[i])
            shc_log_clear(mc->cont[i]);
    return mc;
}

void sh_machine_free(struct sh_machine *mc)
{
    if (!mc)
        return;
    vtd_notify_destroy(mc->n);
    vtd_model_destroy(mc->m);
    for (unsigned i = 0; i < 3; i++)
        shc_free(mc->cont[i]);
    ram_put(mc->ram, mc->high_water);
    free(mc);
}

const char *sh_violation_name(enum sh_violation v)
{
    static const char *const names[] = {
        [SHV_NONE] = "none",
        [SHV_CONSUMER_ERROR] = "consumer refused an event",
        [SHV_SHADOW] = "shadow differs from the guest's tables",
        [SHV_SPURIOUS] = "shadow changed where the guest changed nothing",
        [SHV_CHURN] = "mapping removed and restored unchanged",
        [SHV_STALE] = "stale cached translation",
        [SHV_MODE] = "device mode reported wrong",
        [SHV_FOLLOW] = "group shadows the wrong domain",
        [SHV_LAYER] = "layer's shadow differs from its container",
        [SHV_MODEL] = "unit's translation differs from the tables",
        [SHV_DEVTLB] = "device-IOTLB events wrong",
        [SHV_HARNESS] = "harness cannot judge",
    };

    return (unsigned)v < sizeof(names) / sizeof(names[0]) && names[v] ?
           names[v] : "?";
}

void sh_violate(struct sh_machine *mc, enum sh_violation v, const char *fmt, ...)
{
    va_list ap;

    if (mc->violation)
        return;
    mc->violation = v;
    va_start(ap, fmt);
    vsnprintf(mc->why, sizeof(mc->why), fmt, ap);
    va_end(ap);
}
