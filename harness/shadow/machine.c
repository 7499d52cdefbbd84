/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/machine.c — the guest, the unit and the host side
 * (machine.h): set-up, and the statements carried out by the scenario
 * engine (engine/engine.c) and the firmware's driver (vtd/), which run
 * here against the model through lib/platform.h as they run on vtdhost:
 * the unit's registers at a fixed base, guest RAM one host buffer, pages
 * taken from it in order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/plat_mmio.h"
#include "harness/shadow/machine.h"
#include "lib/platform.h"
#include "model/vtd_regs.h"
#include "vtd/pgtable.h"

#define RAM_SIZE       (16u << 20)
#define RAM_FIRST_PAGE (1u << 20)
#define UNIT_BASE      0xFED90000ull /* where the driver finds the unit */
#define UNIT_SIZE      0x1000ull

/*
 * The devices' source-ids span buses, devices and functions, so that a
 * context-cache invalidation can name a sibling function under a function
 * mask (VT-d 6.5.2.1, FM: 1 masks function bit 2, 2 bits 2:1, 3 all
 * three) or a device on another bus: edu0 00:01.0, edu1 00:02.0, edu2
 * 01:00.0, edu3 00:02.4 (edu1's sibling under FM >= 1), edu4 01:00.3
 * (edu2's under FM 3 only), edu5 02:1f.6 (another bus, the last device
 * number).
 */
static const uint16_t dev_sid[SH_DEVS] = { 0x0008, 0x0010, 0x0100,
                                           0x0014, 0x0103, 0x02FE };

/* ------------------------------------------------------------ memory */

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
 * machine used is cleared for the next. It is 2 MiB-aligned, so a guest
 * page is a host page: the layer's table reads (4 KiB copies) then run
 * at the same speed whatever else the heap holds.
 */
static uint8_t *spare_ram;
static uint64_t spare_used;

static uint8_t *ram_get(void)
{
    uint8_t *r = spare_ram;

    if (!r) {
        r = aligned_alloc(1u << 21, RAM_SIZE);
        if (r)
            memset(r, 0, RAM_SIZE);
        return r;
    }
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

/* count zeroed pages of guest RAM, the first aligned to align; 0 when
 * there is no room. Nothing is given back before the machine goes. */
static uint64_t page_alloc(struct sh_machine *mc, uint64_t count,
                           uint64_t align)
{
    uint64_t p = (mc->next_page + align - 1) & ~(align - 1);

    if (p < mc->next_page || count > mc->ram_size / 4096 ||
        p > mc->ram_size - count * 4096)
        return 0;
    mc->next_page = p + count * 4096;
    if (mc->next_page > mc->high_water)
        mc->high_water = mc->next_page;
    memset(mc->ram + p, 0, count * 4096);
    return p;
}

/* ---------------------------------------------- the driver's platform */

/* The machine the driver acts on: the one last created or executing. */
static struct sh_machine *cur;

/* The unit's registers; plat_mmio_* are harness/plat_mmio.c's. */
uint64_t host_mmio_read(uint64_t pa, unsigned size)
{
    if (!cur || pa < UNIT_BASE || pa - UNIT_BASE >= UNIT_SIZE)
        return ~0ull;
    return vtd_mmio_read(cur->m, pa - UNIT_BASE, size);
}

void host_mmio_write(uint64_t pa, unsigned size, uint64_t val)
{
    if (cur && pa >= UNIT_BASE && pa - UNIT_BASE < UNIT_SIZE)
        vtd_mmio_write(cur->m, pa - UNIT_BASE, size, val);
}

void *plat_phys_to_virt(uint64_t pa)
{
    return cur && sh_ram_ok(cur, pa, 1) ? cur->ram + pa : NULL;
}

uint64_t plat_virt_to_phys(const void *va)
{
    const uint8_t *p = va;

    if (!cur || p < cur->ram || p >= cur->ram + cur->ram_size)
        return ~0ull;
    return (uint64_t)(p - cur->ram);
}

void *plat_alloc_aligned(size_t count, uint64_t align)
{
    uint64_t pa;

    if (!cur || !count || align < 4096 || (align & (align - 1)))
        return NULL;
    pa = page_alloc(cur, count, align);
    return pa ? cur->ram + pa : NULL;
}

void *plat_alloc_pages(size_t count)
{
    return plat_alloc_aligned(count, 4096);
}

void plat_free_pages(void *va, size_t count)
{
    /* pages go back with the machine */
}

/* The model reads guest memory in this thread, when the driver writes a
 * register: only the compiler must keep the order. */
void plat_flush_cache(const void *va, size_t len)
{
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

void plat_wmb(void)
{
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* A clock that moves when read, so a poll that never succeeds ends. */
static uint64_t clock_ns;

uint64_t plat_now_ns(void)
{
    return clock_ns += 1000;
}

void plat_wait_for_interrupt(uint64_t deadline_ns)
{
    if (clock_ns < deadline_ns)
        clock_ns = deadline_ns;
}

/* No interrupts, no PCI functions, no boot modules: the devices are known
 * by their source-ids only, and the host side serves their requests. */
int plat_msi_alloc(plat_irq_fn fn, void *arg, uint64_t *msi_addr,
                   uint32_t *msi_data)
{
    return -1;
}

int plat_msi_claim(unsigned vector, plat_irq_fn fn, void *arg,
                   uint64_t *msi_addr, uint32_t *msi_data)
{
    return -1;
}

int plat_timer_irq_pulse(void)
{
    return -1;
}

uint32_t plat_pci_cf8_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
    return ~0u;
}

void plat_pci_cf8_write32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off,
                          uint32_t val)
{
}

bool plat_module(unsigned index, struct plat_module *out)
{
    return false;
}

/* The engine runs the harness's statements only: no built-in scripts. */
const struct scn_source scn_builtin[1];
const unsigned scn_nr_builtin;

/* ------------------------------------------------------------ page tables */

static uint64_t lvl_size(unsigned l)
{
    return 1ull << (12 + 9 * (l - 1));
}

/* Domain d as the driver built it, or NULL before its statement ran. */
static const struct vtd_domain *vdom(const struct sh_machine *mc, unsigned d)
{
    if (!mc->dom[d].live)
        return NULL;
    cur = (struct sh_machine *)mc;
    return mc->dom[d].vd;
}

void sh_lookup(const struct sh_machine *mc, unsigned d, uint64_t iova,
               struct sh_walk *w)
{
    const struct vtd_domain *vd = vdom(mc, d);
    struct vtd_walk vw;

    memset(w, 0, sizeof(*w));
    if (!vd)
        return;
    w->present = vtd_lookup(vd, iova, &vw) == VTD_OK;
    memcpy(w->pte, vw.pte, sizeof(w->pte));
    w->level = vw.level;
}

static bool range_ok(const struct sh_domain *d, uint64_t iova, uint64_t size)
{
    uint64_t limit = d->width >= 64 ? ~0ull : 1ull << d->width;

    return size && iova + size > iova && iova < limit && size <= limit - iova &&
           !((iova | size) & 0xFFF);
}

/* Widen dirty range i to cover [first, last]. */
static void widen_dirty(struct sh_machine *mc, unsigned i, uint64_t first,
                        uint64_t last)
{
    if (first < mc->dirty[i].first)
        mc->dirty[i].first = first;
    if (last > mc->dirty[i].last)
        mc->dirty[i].last = last;
}

/* Make room in a full list: two ranges of one domain become the range
 * covering both (there are more ranges than domains, so two share one). */
_Static_assert(SH_DIRTY > SH_DOMS, "a full dirty list has two ranges of "
                                   "one domain");
static void merge_dirty(struct sh_machine *mc)
{
    for (unsigned i = 0; i < mc->ndirty; i++)
        for (unsigned j = i + 1; j < mc->ndirty; j++)
            if (mc->dirty[i].root == mc->dirty[j].root) {
                widen_dirty(mc, i, mc->dirty[j].first, mc->dirty[j].last);
                mc->dirty[j] = mc->dirty[--mc->ndirty];
                return;
            }
}

/*
 * A range the guest changed. When the list is full, nothing is lost: a
 * range of the same domain is widened to cover it (the checker then
 * compares, and lets the container change, over more than changed, never
 * less), else two of one domain are merged to make room.
 */
static void mark_dirty(struct sh_machine *mc, unsigned d, uint64_t first,
                       uint64_t last)
{
    if (mc->ndirty == SH_DIRTY) {
        mc->full_pending = true;
        for (unsigned i = 0; i < mc->ndirty; i++)
            if (mc->dirty[i].root == mc->dom[d].root) {
                widen_dirty(mc, i, first, last);
                return;
            }
        merge_dirty(mc);
    }
    mc->dirty[mc->ndirty].root = mc->dom[d].root;
    mc->dirty[mc->ndirty].first = first;
    mc->dirty[mc->ndirty].last = last;
    mc->ndirty++;
}

bool sh_leaves_ok(struct sh_machine *mc, unsigned d, uint64_t iova,
                  uint64_t size, bool need_leaf)
{
    unsigned found = 0;

    if (!range_ok(&mc->dom[d], iova, size))
        return false;
    while (size) {
        struct sh_walk w;
        uint64_t ls, step;

        sh_lookup(mc, d, iova, &w);
        ls = lvl_size(w.level ? w.level : 1);
        step = ls - (iova & (ls - 1));
        if (w.present) {
            if ((iova & (ls - 1)) || size < ls)
                return false; /* cuts a large leaf */
            found++;
        }
        if (step >= size)
            break;
        iova += step;
        size -= step;
    }
    return found || !need_leaf;
}

bool sh_slot_free(struct sh_machine *mc, unsigned d, uint64_t iova,
                  unsigned level)
{
    const struct vtd_domain *vd = vdom(mc, d);
    struct vtd_walk w;

    if (!vd || level > mc->dom[d].levels)
        return false;
    /* free: the walk stops at a not-present entry at or above level */
    return vtd_lookup(vd, iova, &w) == VTD_ENOENT && w.level >= level;
}

/* Whether the table under the level-`level` entry e can be merged into
 * one leaf. */
static bool mergeable(const struct sh_machine *mc, uint64_t e, unsigned level)
{
    uint64_t t = vtd_sl_addr(e), base, child = lvl_size(level - 1);
    unsigned perm;

    if (!vtd_sl_present(e) || vtd_sl_leaf(e, level) || !sh_ram_ok(mc, t, 4096))
        return false;
    base = vtd_sl_addr(sh_r64(mc, t));
    perm = (unsigned)(sh_r64(mc, t) & VTD_SL_RW);
    if (base & (lvl_size(level) - 1))
        return false;
    for (unsigned i = 0; i < 512; i++) {
        uint64_t c = sh_r64(mc, t + i * 8ull);

        if (!vtd_sl_present(c) || !vtd_sl_leaf(c, level - 1) ||
            (unsigned)(c & VTD_SL_RW) != perm ||
            vtd_sl_addr(c) != base + i * child)
            return false;
    }
    return true;
}

bool sh_mergeable(struct sh_machine *mc, unsigned d, uint64_t iova,
                  unsigned level)
{
    const struct vtd_domain *vd = vdom(mc, d);
    uint64_t e;

    if (!vd || level < 2 || level > 3 || level > mc->dom[d].levels)
        return false;
    return vtd_pte_get(vd, iova, level, &e) == VTD_OK &&
           mergeable(mc, e, level);
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

bool sh_stmt_modelled(const struct scn_stmt *st)
{
    enum sh_host h;
    unsigned k;

    switch (st->op) {
    case SCN_NOTE:
        return sh_host_parse(st, &h, &k);
    case SCN_DOMAIN:
    case SCN_SET:
    case SCN_ATTACH:
    case SCN_ATTACH_PT:
    case SCN_DETACH:
    case SCN_ENABLE:
    case SCN_DISABLE:
    case SCN_MAP:
    case SCN_UNMAP:
    case SCN_PROTECT:
    case SCN_SPLIT:
    case SCN_MERGE:
    case SCN_PTE:
    case SCN_INV_CC:
    case SCN_INV_IOTLB:
    case SCN_QI_RAW:
    case SCN_DMA:
        return true;
    }
    return false;
}

static bool on_domain(unsigned op)
{
    return op == SCN_DOMAIN || op == SCN_ATTACH ||
           (op >= SCN_MAP && op <= SCN_PTE);
}

static bool on_device(const struct scn_stmt *st)
{
    return st->op == SCN_ATTACH || st->op == SCN_ATTACH_PT ||
           st->op == SCN_DETACH || st->op == SCN_DMA ||
           (st->op == SCN_INV_CC && st->gran == VTD_GRAN_DEVICE);
}

/*
 * What the harness asks of a statement before the engine runs it: a
 * domain declared once and within the unit's width, a live domain to work
 * on, ranges inside the domain and page-aligned, levels the domain has.
 * (Whether a map finds its slots free the driver says: VTD_EEXIST.)
 */
static int applies(struct sh_machine *mc, const struct scn_scenario *c,
                   const struct scn_stmt *st)
{
    const struct sh_domain *dm;
    unsigned aw;

    if (st->dom >= SH_DOMS || st->dev >= SH_DEVS ||
        (st->dom < 0 && on_domain(st->op)) || (st->dev < 0 && on_device(st)))
        return -EINVAL;
    if (st->dom < 0)
        return 0;
    dm = &mc->dom[st->dom];
    if (st->op == SCN_DOMAIN) {
        aw = c->dom[st->dom].aw ? c->dom[st->dom].aw : 39;
        return dm->live || (aw != 39 && aw != 48 && aw != 57) ||
                       aw > mc->cfg.aw_bits
                   ? -EINVAL
                   : 0;
    }
    if (!on_domain(st->op))
        return 0;
    if (!dm->live)
        return -EINVAL;
    switch (st->op) {
    case SCN_MAP:
        return range_ok(dm, st->iova.k, st->size) && st->perm &&
                       !(st->perm & ~3u)
                   ? 0
                   : -EINVAL;
    case SCN_UNMAP:
    case SCN_PROTECT:
        return range_ok(dm, st->iova.k, st->size) && !(st->perm & ~3u)
                   ? 0
                   : -EINVAL;
    case SCN_SPLIT:
    case SCN_MERGE:
        return st->level < 2 || st->level > 3 || st->level > dm->levels
                   ? -EINVAL
                   : 0;
    case SCN_PTE:
        return st->level < 1 || st->level > dm->levels ||
                       (dm->width < 64 && (st->iova.k >> dm->width)) ||
                       (st->flags & SCN_F_ADDR)
                   ? -EINVAL
                   : 0;
    }
    return 0;
}

/* What the statement the engine ran changed, for the generator and the
 * checker. */
static void ran(struct sh_machine *mc, const struct scn_stmt *st)
{
    struct sh_domain *dm = &mc->dom[st->dom < 0 ? 0 : st->dom];
    struct sh_dev *dv = &mc->dev[st->dev < 0 ? 0 : st->dev];
    uint64_t span = st->level ? lvl_size(st->level) : 0;
    const struct vtd_domain *vd;

    switch (st->op) {
    case SCN_DOMAIN:
        vd = scn_domain((unsigned)st->dom);
        dm->live = vd != NULL;
        dm->vd = vd;
        if (vd) {
            dm->did = vd->did;
            dm->levels = vd->levels;
            dm->width = vd->width;
            dm->root = vd->root_pa;
        }
        break;
    case SCN_SET:
        mc->via = st->via ? st->via : SCN_VIA_REG;
        break;
    case SCN_ATTACH:
        dv->ctx = st->dom;
        dv->did = dm->did;
        break;
    case SCN_ATTACH_PT:
        dv->ctx = -2;
        dv->did = st->did;
        break;
    case SCN_DETACH:
        dv->ctx = -1;
        break;
    case SCN_MAP:
    case SCN_UNMAP:
    case SCN_PROTECT:
        mark_dirty(mc, (unsigned)st->dom, st->iova.k,
                   st->iova.k + st->size - 1);
        break;
    case SCN_SPLIT:
    case SCN_MERGE:
    case SCN_PTE:
        mark_dirty(mc, (unsigned)st->dom, st->iova.k & ~(span - 1),
                   st->iova.k | (span - 1));
        break;
    default:
        break;
    }
    if (st->op != SCN_QI_RAW) {
        if (mc->ndevtlb_ev)
            sh_violate(mc, SHV_DEVTLB,
                       "%u device-IOTLB event(s) after a statement that "
                       "invalidates no device-TLB",
                       mc->ndevtlb_ev);
        return;
    }
    if (!devtlb_expected(mc, st->qw[0], st->qw[1]))
        sh_violate(mc, SHV_DEVTLB,
                   "qi raw qw0=0x%" PRIx64 " qw1=0x%" PRIx64
                   ": %u device-IOTLB event(s) do not tile the "
                   "invalidated range cropped to [0x%" PRIx64 ", 0x%" PRIx64
                   "]",
                   st->qw[0], st->qw[1], mc->ndevtlb_ev, mc->devtlb_first,
                   mc->devtlb_last);
}

/* A device's request, as the host side serves it: the UNMAP-only
 * consumer's device through its cache, the others through the unit. */
static void do_dma(struct sh_machine *mc, const struct scn_stmt *st)
{
    uint64_t out;

    if (st->dev == mc->vhost_dev) {
        shv_access(&mc->vhost, st->iova.k, &out);
    } else {
        struct vtd_request r = { .sid = mc->dev[st->dev].sid,
                                 .addr = st->iova.k,
                                 .access = VTD_ACC_READ };
        struct vtd_xlate x;

        vtd_translate(mc->m, &r, &x);
    }
}

static int host_act(struct sh_machine *mc, enum sh_host h, unsigned k);

int sh_exec(struct sh_machine *mc, const struct scn_scenario *c,
            const struct scn_stmt *st)
{
    int rc = applies(mc, c, st);
    enum sh_host h;
    unsigned k;

    if (rc)
        return rc;
    cur = mc;
    mc->stmts++;
    if (st->op == SCN_NOTE)
        return sh_host_parse(st, &h, &k) ? host_act(mc, h, k) : -EINVAL;
    if (st->op == SCN_DMA) {
        do_dma(mc, st);
        return 0;
    }
    mc->ndevtlb_ev = 0;
    if (!mc->begun) {
        if (!scn_begin(c))
            return -EIO;
        mc->begun = true;
    }
    if (!scn_step(st))
        return -EIO;
    ran(mc, st);
    return 0;
}

/* ----------------------------------------------------------- consumers */

static int cons_notify(void *opaque, const struct vtd_notify_event *ev);

static int devtlb_notify(void *opaque, const struct vtd_notify_event *ev)
{
    struct sh_machine *mc = opaque;

    if (ev->type == VTD_EV_MODE) {
        mc->devtlb_mode = ev->mode;
        mc->devtlb_told = true;
        return 0;
    }
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
    if ((mc->cfg.mutate & SH_MUT_VHOST_DEAF_PAGE) && ev->type == VTD_EV_UNMAP &&
        !ev->unmap_all)
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
    if ((mc->cfg.mutate & SH_MUT_REATTACH_DEAF) && mc->reattaching &&
        ev->type == VTD_EV_MAP)
        return 0;
    return shc_notify(c->cont, ev);
}

static int add_consumer(struct sh_machine *mc, int dev, struct shc *cont,
                        unsigned flags, uint64_t first, uint64_t last,
                        vtd_notify_fn fn, void *opaque)
{
    struct vtd_notify_reg r = {
        .sid = mc->dev[dev].sid,
        .flags = flags,
        .first = first,
        .last = last,
        .container = cont,
        .notify = fn,
        .opaque = opaque,
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
    c->reg = r;
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
        }
        mc->group[g].members[mc->group[g].nmem++] = dev;
    }
    c->group = g;
    return 0;
}

/* ---------------------------------------------------------- host actions */

static const char *const host_word[SH_HOST_KINDS] = { "replay", "reattach",
                                                      "regroup" };
static char host_texts[SH_HOST_KINDS][SH_CONS][40];

const char *sh_host_text(enum sh_host h, unsigned k)
{
    char *t = host_texts[h][k < SH_CONS ? k : 0];

    if (!t[0])
        snprintf(t, sizeof(host_texts[h][0]), "host: %s consumer %u",
                 host_word[h], k < SH_CONS ? k : 0);
    return t;
}

bool sh_host_parse(const struct scn_stmt *st, enum sh_host *h, unsigned *k)
{
    if (st->op != SCN_NOTE || !st->text)
        return false;
    for (unsigned i = 0; i < SH_HOST_KINDS; i++)
        for (unsigned j = 0; j < SH_CONS; j++) {
            const char *t = sh_host_text((enum sh_host)i, j);

            if (strlen(t) == st->text_len &&
                !memcmp(t, st->text, st->text_len)) {
                *h = (enum sh_host)i;
                *k = j;
                return true;
            }
        }
    return false;
}

/* Consumer k leaves, or (whole) every consumer of its group, one at a
 * time, each change judged: the last to leave takes the group's shadow
 * with it. Then they register again, and each replay must bring the
 * shadow back to the guest's tables. */
static void reattach(struct sh_machine *mc, unsigned k, bool whole)
{
    const struct sh_group *g = &mc->group[mc->cons[k].group];
    struct shc *cont = mc->cons[k].cont;
    bool out[SH_CONS] = { false };

    for (unsigned i = 0; i < mc->ncons && !mc->violation; i++) {
        struct sh_cons *c = &mc->cons[i];

        if (c->group != mc->cons[k].group || !c->c || (i != k && !whole))
            continue;
        vtd_notify_unregister(c->c);
        c->c = NULL;
        out[i] = true;
        sh_check(mc, false);
    }
    if (whole && !mc->violation &&
        iova_tree_find(cont->maps, g->first, g->last))
        sh_violate(mc, SHV_SHADOW,
                   "%s: the last consumer of [0x%" PRIx64 ", 0x%" PRIx64
                   "] left and the container still holds mappings there",
                   cont->name, g->first, g->last);
    for (unsigned i = 0; i < mc->ncons && !mc->violation; i++) {
        struct sh_cons *c = &mc->cons[i];
        const char *why = NULL;

        if (!out[i])
            continue;
        mc->reattaching = true;
        c->c = vtd_notify_register(mc->n, &c->reg, &why);
        mc->reattaching = false;
        if (!c->c)
            sh_violate(mc, SHV_CONSUMER_ERROR,
                       "consumer %u (edu%d): registering again refused: %s", i,
                       c->dev, why ? why : "?");
        else
            sh_check(mc, false);
    }
    /* and the whole of it against the tables */
    sh_check(mc, true);
}

static int host_act(struct sh_machine *mc, enum sh_host h, unsigned k)
{
    uint64_t n;

    if (k >= mc->ncons || !mc->cons[k].cont || !mc->cons[k].c)
        return -EINVAL;
    /* the guest's last operation is judged before the host acts */
    sh_check(mc, false);
    if (mc->violation)
        return 0;
    mc->host_acts[h]++;
    if (h != SH_HOST_REPLAY) {
        reattach(mc, k, h == SH_HOST_REGROUP);
        return 0;
    }
    n = vtd_notify_replay(mc->cons[k].c);
    if (n)
        sh_violate(mc, SHV_SHADOW,
                   "%s: a replay of consumer %u (edu%d) MAPped %" PRIu64
                   " mapping(s) the shadow lacked",
                   mc->cons[k].cont->name, k, mc->cons[k].dev, n);
    return 0;
}

static void done_hook(void *opaque, const struct vtd_notify_inval *inv)
{
    struct sh_machine *mc = opaque;

    if (mc->closing)
        return;
    mc->invalidations++;
    /* the interrupt entry cache holds nothing DMA remapping uses */
    if (inv->kind == VTD_NI_IEC)
        return;
    sh_check(mc, false);
}

/* The model of the unit over the machine's memory, and the notifier layer
 * on it. */
static bool create_unit(struct sh_machine *mc, const struct sh_config *cfg)
{
    struct vtd_config vc = {
        .aw_bits = cfg->aw_bits,
        .caching_mode = true,
        .pass_through = true,
        .device_iotlb = true,
        .large_pages = true,
        .mamv = 18,
        .nfr = 8,
        .cache_policy = cfg->policy,
        .esrtps = cfg->esrtps,
        .cache_entries = cfg->cache_entries,
    };
    struct vtd_env env = { .mem_read = mem_read, .mem_write = mem_write };
    const char *why = NULL;

    env.opaque = mc;
    mc->m = mc->ram ? vtd_model_create(&vc, &env, &why) : NULL;
    mc->n = mc->m ? vtd_notify_create(mc->m) : NULL;
    if (!mc->n) {
        fprintf(stderr, "shadow: no machine: %s\n", why ? why : "no memory");
        return false;
    }
    return true;
}

/* The edu devices, the scenario engine driving them, and what the harness
 * knows of each. */
static void init_devices(struct sh_machine *mc)
{
    struct scn_machine sm = { .unit_base = UNIT_BASE,
                              .unit_size = UNIT_SIZE,
                              .nr_edu = SH_DEVS };

    for (unsigned i = 0; i < SH_DEVS; i++) {
        mc->edu[i].sid = dev_sid[i];
        sm.edu[i] = &mc->edu[i];
    }
    scn_engine_init(&sm, &(struct scn_options){ .via = SCN_VIA_REG });
    mc->via = SCN_VIA_REG;
    mc->vhost_dev = 1;
    mc->devtlb_dev = 2;
    mc->devtlb_first = 0;
    mc->devtlb_last = (1ull << 48) - 1;
    mc->stop_on_violation = true;
    for (unsigned i = 0; i < SH_DEVS; i++) {
        mc->dev[i].sid = dev_sid[i];
        mc->dev[i].ctx = -1;
    }
}

/* Containers A and B, and C unless edu1 and edu2 share B. False if one
 * could not be made. */
static bool create_containers(struct sh_machine *mc,
                              const struct sh_config *cfg)
{
    mc->cont[0] = shc_new("container A (edu0+edu5)", 64, 65535);
    mc->cont[1] = shc_new(cfg->shared ? "container B (edu1+edu3+edu2+edu4)"
                                      : "container B (edu1+edu3)",
                          64, 65535);
    if (!cfg->shared)
        mc->cont[2] = shc_new("container C (edu2+edu4)", 64, 65535);
    return mc->cont[0] && mc->cont[1] && (cfg->shared || mc->cont[2]);
}

#define MAP_UNMAP (VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP)

/* A device in container A: two ranges around the interrupt window, as a
 * host splits the space at the MSI region. */
static bool add_split(struct sh_machine *mc, int dev)
{
    return !add_consumer(mc, dev, mc->cont[0], MAP_UNMAP, 0, 0xFEDFFFFFull,
                         NULL, NULL) &&
           !add_consumer(mc, dev, mc->cont[0], MAP_UNMAP, 0xFEF00000ull, ~0ull,
                         NULL, NULL);
}

/* edu2 and edu4 (its function 3): container B when shared, else C over
 * a window that crops 2 MiB and 1 GiB leaves at both ends. */
static bool add_c(struct sh_machine *mc, int dev, const struct sh_config *cfg)
{
    return cfg->shared ? !add_consumer(mc, dev, mc->cont[1], MAP_UNMAP, 0,
                                       ~0ull, NULL, NULL)
                       : !add_consumer(mc, dev, mc->cont[2], MAP_UNMAP,
                                       0x101000ull, 0xBFFFEFFFull, NULL, NULL);
}

/*
 * Each device's consumers: edu0 and edu5 (another bus) share container A;
 * edu1 and its sibling function edu3 share B; edu2 and its function 3,
 * edu4, share B too when shared, else C. The UNMAP-only consumer is on
 * edu1, the device-IOTLB consumer on edu2.
 */
static bool add_consumers(struct sh_machine *mc, const struct sh_config *cfg)
{
    return add_split(mc, 0) &&
           !add_consumer(mc, 1, mc->cont[1], MAP_UNMAP, 0, ~0ull, NULL, NULL) &&
           !add_consumer(mc, 3, mc->cont[1], MAP_UNMAP, 0, ~0ull, NULL, NULL) &&
           add_c(mc, 2, cfg) && add_c(mc, 4, cfg) && add_split(mc, 5) &&
           !add_consumer(mc, 1, NULL, VTD_NOTIFY_UNMAP, 0, ~0ull, vhost_notify,
                         mc) &&
           !add_consumer(mc, 2, NULL, VTD_NOTIFY_DEVIOTLB_UNMAP,
                         mc->devtlb_first, mc->devtlb_last, devtlb_notify, mc);
}

struct sh_machine *sh_machine_new(const struct sh_config *cfg)
{
    struct sh_machine *mc = calloc(1, sizeof(*mc));
    bool ok;

    if (!mc)
        return NULL;
    mc->cfg = *cfg;
    mc->ram_size = RAM_SIZE;
    mc->ram = ram_get();
    if (!create_unit(mc, cfg)) {
        sh_machine_free(mc);
        return NULL;
    }
    mc->next_page = RAM_FIRST_PAGE;
    cur = mc;
    init_devices(mc);
    ok = create_containers(mc, cfg);
    shv_init(&mc->vhost, mc->m, dev_sid[mc->vhost_dev]);
    vtd_notify_set_done(mc->n, done_hook, mc);
    if (!ok || !add_consumers(mc, cfg)) {
        sh_machine_free(mc);
        return NULL;
    }
    for (unsigned i = 0; i < SH_CONTS; i++)
        if (mc->cont[i])
            shc_log_clear(mc->cont[i]);
    return mc;
}

void sh_machine_free(struct sh_machine *mc)
{
    if (!mc)
        return;
    if (mc->begun) {
        cur = mc;
        mc->closing = true;
        scn_end();
    }
    if (cur == mc)
        cur = NULL;
    vtd_notify_destroy(mc->n);
    vtd_model_destroy(mc->m);
    for (unsigned i = 0; i < SH_CONTS; i++)
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

    return (unsigned)v < sizeof(names) / sizeof(names[0]) && names[v] ? names[v]
                                                                      : "?";
}

void sh_violate(struct sh_machine *mc, enum sh_violation v, const char *fmt,
                ...)
{
    va_list ap;

    if (mc->violation)
        return;
    mc->violation = v;
    va_start(ap, fmt);
    vsnprintf(mc->why, sizeof(mc->why), fmt, ap);
    va_end(ap);
}
