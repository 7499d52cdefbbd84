/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/hosted/shadow.c — the notifier harness on the hosted machine.
 *
 * With caching mode, the unit's notifier layer (model/vtd_notify.h) keeps
 * host shadows of what the guest maps, and the firmware's own tests and
 * scenarios drive it. Each edu device gets a container with VFIO type1's
 * rules (harness/shadow/container.h) fed MAP and UNMAP events, and the
 * first one also an UNMAP-only consumer that caches translations as vhost
 * does (harness/shadow/vhost.h), filled by the device's own DMA.
 *
 * After every IOTLB invalidation the unit completes (and after any that
 * flushes everything), within the invalidation's scope (its domain and
 * range; everything for a global one), for each device translated in that
 * domain:
 *   - no consumer refused an event;
 *   - every container entry maps what a walk of the guest's tables
 *     (vtd_translate_probe) gives at its first and last page, with the
 *     same rights;
 *   - every leaf of the guest's tables is in the container;
 *   - every translation the UNMAP-only consumer holds is what the walk
 *     gives.
 * Outside the scope the shadow may lag the tables: the guest has not
 * invalidated there yet, and the architecture lets the unit lag the same
 * way. Context-cache invalidations are not checked on their own: the
 * IOTLB invalidation that must follow them is.
 *
 * An assigned edu (x-assigned=on) is behind its container as a
 * VFIO-assigned device is behind the host IOMMU: its DMA goes through the
 * container's mappings only, never through the unit (no fault is
 * recorded: the guest's IOMMU never sees the request), and the container
 * writes a record in the vfio-user server's format (harness/shadow/
 * record.h, x-record=PATH), so that the runner can hold QEMU's messages
 * to the model's events (run/vtdrunner/assigned.py). The UNMAP-only
 * consumer follows the first edu that is not assigned.
 *
 * A violation is a failed check ("shadow: ...") in the test or scenario
 * running, so the run fails where the shadow went wrong; nothing is
 * printed while the shadows hold, so QEMU's and the model's checks still
 * pair one to one.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "harness/hosted/hosted.h"
#include "harness/shadow/container.h"
#include "harness/shadow/record.h"
#include "harness/shadow/vhost.h"
#include "lib/report.h"
#include "model/vtd_notify.h"

#define MAX_REPORTS 20    /* violations reported one by one */
#define MAX_TABLES  65536 /* page-table pages one check may visit */
#define SL_R        (1ull << 0)
#define SL_W        (1ull << 1)
#define SL_PS       (1ull << 7)
#define SL_ADDR     0x000FFFFFFFFFF000ull

static struct {
    struct vtd_notifier *n;
    unsigned ndev;
    uint16_t sid[HM_MAX_EDU];
    struct shc *cont[HM_MAX_EDU];
    char name[HM_MAX_EDU][32];
    struct vtd_notify_consumer *cons[HM_MAX_EDU];
    bool assigned[HM_MAX_EDU];
    struct shr rec[HM_MAX_EDU]; /* an assigned device's record */
    uint64_t rec_seq[HM_MAX_EDU];
    bool bypass[HM_MAX_EDU]; /* guest RAM mapped at itself */
    struct shv vhost;
    struct vtd_notify_consumer *vhost_cons;
    uint64_t checks, invalidations, violations, leaves, tables;
    bool in_check;
} sh;

static void violation(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void violation(const char *fmt, ...)
{
    char msg[300];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (++sh.violations <= MAX_REPORTS)
        report(false, "shadow: %s", msg);
    else if (sh.violations == MAX_REPORTS + 1)
        report_info("shadow: further violations are only counted");
}

#define FR_INTR_RANGE 0x0E /* output in the interrupt range */

/* What the tables say at iova for the device: 1 with the output page and
 * rights, 0 when nothing is mapped, -1 when the walk cannot say (a leaf
 * leading into the interrupt range: the unit blocks it, the layer may
 * still shadow it). */
static int walk_says(uint16_t sid, uint64_t iova, uint64_t *out, unsigned *perm)
{
    struct vtd_request r = { .sid = sid,
                             .addr = iova,
                             .access = VTD_ACC_READ,
                             .at = VTD_AT_UNTRANSLATED };
    struct vtd_xlate x;

    if (vtd_translate_probe(hm.vtd, &r, &x) != VTD_XLATE_OK) {
        if (x.fault_reason == FR_INTR_RANGE)
            return -1;
        /* A write-only leaf refuses the read: ask for the write. */
        r.access = VTD_ACC_WRITE;
        if (vtd_translate_probe(hm.vtd, &r, &x) != VTD_XLATE_OK)
            return x.fault_reason == FR_INTR_RANGE ? -1 : 0;
    }
    *out = x.addr & ~0xFFFull;
    *perm = x.perm & (VTD_ACC_READ | VTD_ACC_WRITE);
    return 1;
}

/* ------------------------------------------ the guest's leaves in a range */

struct leaf_ctx {
    unsigned dev;
    uint64_t first, last;
    uint64_t tables;
    bool stop;
};

static void check_leaf(struct leaf_ctx *lc, uint64_t iova, uint64_t size,
                       uint64_t addr)
{
    const struct shc *c = sh.cont[lc->dev];
    uint64_t lo = iova < lc->first ? lc->first : iova;
    const struct iova_map *e;

    uint64_t out;
    unsigned perm;

    sh.leaves++;
    /* The first page of the leaf inside the scope must be shadowed, with
     * what the unit's walk says; an entry the unit rejects (reserved bits,
     * beyond the address width, into the interrupt range) maps nothing. */
    lo &= ~0xFFFull;
    if (walk_says(sh.sid[lc->dev], lo, &out, &perm) != 1)
        return;
    addr = out - (lo - iova);
    e = iova_tree_find(c->maps, lo, lo);
    if (!e) {
        violation("%s: the guest maps 0x%" PRIx64 " (leaf 0x%" PRIx64
                  "+0x%" PRIx64 " -> 0x%" PRIx64 "), the container does not",
                  c->name, lo, iova, size, addr);
        lc->stop = true;
        return;
    }
    if (e->addr + (lo - e->iova) != addr + (lo - iova)) {
        violation("%s: 0x%" PRIx64 " shadows 0x%" PRIx64 ", the guest's "
                  "tables say 0x%" PRIx64,
                  c->name, lo, e->addr + (lo - e->iova), addr + (lo - iova));
        lc->stop = true;
    }
}

static void walk_table(struct leaf_ctx *lc, uint64_t table, unsigned level,
                       uint64_t base)
{
    const uint64_t *t;
    unsigned shift = 12 + 9 * (level - 1);

    if (lc->stop || ++lc->tables > MAX_TABLES)
        return;
    t = hm_ram(table, 4096);
    if (!t)
        return; /* the unit faults there: nothing mapped */
    for (unsigned i = 0; i < 512 && !lc->stop; i++) {
        uint64_t e = t[i], iova = base + ((uint64_t)i << shift);
        uint64_t size = 1ull << shift;

        if (!(e & (SL_R | SL_W)))
            continue;
        if (iova + size - 1 < lc->first || iova > lc->last)
            continue;
        if (level == 1 || (e & SL_PS)) {
            check_leaf(lc, iova, size, e & SL_ADDR & ~(size - 1));
            continue;
        }
        walk_table(lc, e & SL_ADDR, level - 1, iova);
    }
}

/* ---------------------------------------------------------- the check */

static bool in_scope(const struct vtd_notify_inval *inv,
                     const struct vtd_notify_state *st)
{
    if (inv->kind == VTD_NI_ALL || inv->global)
        return true;
    return st->did == inv->did;
}

/* The device's present legacy context as the tables hold it now: its
 * second-level table pointer and DID. False when it has none to follow. */
static bool current_context(uint16_t sid, uint64_t *root, uint32_t *did)
{
    uint64_t rta = vtd_mmio_read(hm.vtd, 0x20, 8);
    const uint64_t *re, *ce;

    if (rta & (3ull << 10)) /* not legacy mode */
        return false;
    re = hm_ram((rta & ~0xFFFull) + (sid >> 8) * 16ull, 16);
    if (!re || !(re[0] & 1))
        return false;
    ce = hm_ram((re[0] & SL_ADDR) + (sid & 0xFF) * 16ull, 16);
    if (!ce || !(ce[0] & 1) || ((ce[0] >> 2) & 3) > 1)
        return false;
    *root = ce[0] & SL_ADDR;
    *did = (uint32_t)((ce[1] >> 8) & 0xFFFF);
    return true;
}

static void check_device(unsigned d, const struct vtd_notify_inval *inv)
{
    struct shc *c = sh.cont[d];
    struct vtd_notify_state st;
    struct leaf_ctx lc = { .dev = d, .first = 0, .last = ~0ull };
    struct iova_iter it;
    const struct iova_map *e;

    uint64_t root;
    uint32_t did;

    vtd_notify_state(sh.cons[d], &st);
    if (st.mode != VTD_MODE_TRANSLATED || !st.following || st.first_stage ||
        st.conflict || !in_scope(inv, &st))
        return;
    /* A context changed and not (or not yet fully) invalidated leaves the
     * layer on the tables it had, as the unit's context cache may: the
     * shadow is judged where it follows the device's present context. */
    if (!current_context(sh.sid[d], &root, &did) || root != st.root ||
        did != st.did)
        return;
    if (inv->page && !inv->global) {
        lc.first = inv->addr;
        lc.last = inv->size ? inv->addr + inv->size - 1 : ~0ull;
    }
    /* Every shadow entry in the scope says what the tables say. */
    iova_tree_seek(c->maps, lc.first, &it);
    while ((e = iova_iter_get(&it)) && e->iova <= lc.last) {
        uint64_t ends[2] = { e->iova < lc.first ? lc.first : e->iova,
                             e->last > lc.last ? lc.last : e->last };

        for (unsigned k = 0; k < 2; k++) {
            uint64_t page = ends[k] & ~0xFFFull, out;
            unsigned perm;
            int says = walk_says(sh.sid[d], page, &out, &perm);

            if (says < 0)
                continue;
            if (!says) {
                violation("%s: holds 0x%" PRIx64 "-0x%" PRIx64 " -> 0x%" PRIx64
                          ", the guest's tables map nothing at 0x%" PRIx64,
                          c->name, e->iova, e->last, e->addr, page);
                return;
            }
            if (out != e->addr + (page - e->iova) || perm != e->perm) {
                violation("%s: 0x%" PRIx64 " -> 0x%" PRIx64 " perm %u in the "
                          "container, 0x%" PRIx64 " perm %u in the tables",
                          c->name, page, e->addr + (page - e->iova), e->perm,
                          out, perm);
                return;
            }
        }
        iova_iter_next(&it);
    }
    /* Every leaf of the tables in the scope is in the container. */
    if (st.levels >= 2 && st.levels <= 5)
        walk_table(&lc, st.root, st.levels, 0);
    sh.tables += lc.tables;
}

static void check_vhost(const struct vtd_notify_inval *inv)
{
    struct vtd_notify_state st;

    vtd_notify_state(sh.vhost_cons, &st);
    if (st.mode != VTD_MODE_TRANSLATED || !in_scope(inv, &st))
        return;
    for (unsigned i = 0; i < SHV_ENTRIES; i++) {
        const struct shv_entry *e = &sh.vhost.e[i];
        uint64_t out;
        unsigned perm;

        if (!e->valid)
            continue;
        if (inv->page && !inv->global && inv->size &&
            (e->page + 4095 < inv->addr || e->page > inv->addr + inv->size - 1))
            continue;
        if (!walk_says(sh.vhost.sid, e->page, &out, &perm) ||
            (out != e->out && !(e->out >> 20 == HM_MSI_BASE >> 20))) {
            violation("UNMAP-only consumer of %04x: holds 0x%" PRIx64 " -> "
                      "0x%" PRIx64 ", stale after the invalidation",
                      sh.vhost.sid, e->page, e->out);
            return;
        }
    }
}

static void done(void *opaque, const struct vtd_notify_inval *inv)
{
    struct vtd_notify_stats ns;

    sh.invalidations++;
    if (inv->kind != VTD_NI_IOTLB && inv->kind != VTD_NI_ALL)
        return;
    if (sh.in_check)
        return;
    sh.in_check = true;
    sh.checks++;
    for (unsigned d = 0; d < sh.ndev; d++)
        if (sh.cont[d]->errors)
            violation("%s", sh.cont[d]->first_error);
    if (sh.vhost.errors)
        violation("%s", sh.vhost.first_error);
    vtd_notify_stats(sh.n, &ns);
    if (ns.consumer_errors && !sh.violations)
        violation("the layer counted %" PRIu64 " refused event(s)",
                  ns.consumer_errors);
    for (unsigned d = 0; d < sh.ndev; d++)
        check_device(d, inv);
    if (sh.vhost_cons)
        check_vhost(inv);
    for (unsigned d = 0; d < sh.ndev; d++) {
        sh.cont[d]->errors = 0;
        shc_log_clear(sh.cont[d]);
    }
    sh.vhost.errors = 0;
    sh.in_check = false;
}

/* ------------------------------------------------- an assigned device */

/* The removals the container logged from index `from` on: how many, how
 * many bytes; each one classifies later UNMAPs. */
static unsigned logged(unsigned d, size_t from, uint64_t *bytes)
{
    const struct shc *c = sh.cont[d];
    unsigned n = 0;

    *bytes = 0;
    for (size_t i = from; i < c->nlog; i++) {
        shr_changed(&sh.rec[d], &c->log[i]);
        if (!c->log[i].map) {
            n++;
            *bytes += c->log[i].last - c->log[i].iova + 1;
        }
    }
    return n;
}

/* Untranslated (pass-through, TE off), an assigned device reaches guest
 * memory as it is: the host maps guest RAM at its own address, as vfio's
 * listener maps the RAM sections when the device's address space is
 * memory; leaving it, the host unmaps it. */
static void bypass_follow(unsigned d, bool bypass)
{
    struct shc *c = sh.cont[d];
    size_t from = c->nlog;
    uint64_t seq, bytes;
    unsigned n;
    int rc;

    if (bypass == sh.bypass[d])
        return;
    sh.bypass[d] = bypass;
    seq = ++sh.rec_seq[d];
    if (bypass) {
        rc = shc_map(c, 0, hm.ram_size, 0, SL_R | SL_W);
        logged(d, from, &bytes);
        shr_write_map(&sh.rec[d], seq, (unsigned)seq, 0, hm.ram_size, 0, true,
                      SL_R | SL_W, -rc, NULL);
    } else {
        rc = shc_unmap(c, 0, hm.ram_size, &bytes);
        n = logged(d, from, &bytes);
        shr_write_unmap(&sh.rec[d], seq, (unsigned)seq, 0, hm.ram_size, false,
                        -rc, n, bytes, NULL);
    }
    /* The checker judges the layer's shadow, not the host's own map. */
    shc_log_clear(c);
}

/* An assigned device's container: the layer's events, each one a line of
 * its record, classified as the vfio-user server classifies QEMU's. */
static int rec_notify(void *opaque, const struct vtd_notify_event *ev)
{
    unsigned d = (unsigned)((struct shr *)opaque - sh.rec);
    struct shc *c = sh.cont[d];
    uint64_t seq = sh.rec_seq[d] + 1;
    size_t from = c->nlog;
    const char *note;
    uint64_t bytes;
    unsigned n;
    bool gone;
    int rc;

    switch (ev->type) {
    case VTD_EV_MAP:
        /* The layer shadows a translation: the device is translated. */
        bypass_follow(d, false);
        seq = sh.rec_seq[d] + 1;
        sh.rec_seq[d] = seq;
        note = shr_map_note(c, ev->iova, ev->size, ev->addr, ev->perm);
        rc = shc_notify(c, ev);
        logged(d, from, &bytes);
        /* Guest RAM is the memory file, at its guest-physical offset. */
        shr_write_map(&sh.rec[d], seq, (unsigned)seq, ev->iova, ev->size,
                      ev->addr, true, ev->perm, -rc, rc ? note : NULL);
        return rc;
    case VTD_EV_UNMAP:
        gone = shr_was_gone(&sh.rec[d], ev->iova, ev->size);
        rc = shc_notify(c, ev);
        n = logged(d, from, &bytes);
        /* The layer's unmap-all comes in chunks that cover 2^64; the host
         * asks type1 for it in one call (VFIO_DMA_UNMAP_FLAG_ALL). */
        if (ev->unmap_all) {
            if (ev->iova && !n)
                return rc;
            sh.rec_seq[d] = seq;
            shr_write_unmap(&sh.rec[d], seq, (unsigned)seq, 0, 0, true, -rc, n,
                            bytes, "unmap-all");
            return rc;
        }
        sh.rec_seq[d] = seq;
        note = rc ? (rc == -EINVAL ? "cuts" : NULL)
                  : shr_unmap_note(ev->size, bytes, gone);
        shr_write_unmap(&sh.rec[d], seq, (unsigned)seq, ev->iova, ev->size,
                        false, -rc, n, bytes, note);
        return rc;
    case VTD_EV_MODE:
        rc = shc_notify(c, ev);
        bypass_follow(d, ev->mode == VTD_MODE_BYPASS);
        return rc;
    default:
        return shc_notify(c, ev);
    }
}

static int assigned_index(uint16_t sid)
{
    for (unsigned d = 0; d < sh.ndev; d++)
        if (sh.assigned[d] && sh.sid[d] == sid)
            return (int)d;
    return -1;
}

/* An assigned device's transfer, page by page through its container; a
 * page it does not map with the access's right is not performed (a read
 * leaves its part of buf as it was, as the served edu does). */
static bool assigned_dma(uint16_t sid, uint64_t addr, void *buf, size_t len,
                         bool write, unsigned *blocked)
{
    int d = assigned_index(sid);
    uint64_t iova = addr, bytes = 0, seq;
    uint8_t *b = buf;

    if (d < 0)
        return false;
    *blocked = 0;
    while (len) {
        uint64_t room = 0x1000 - (iova & 0xFFF);
        size_t chunk = len < room ? len : (size_t)room;
        const struct iova_map *m = iova_tree_find(sh.cont[d]->maps, iova, iova);
        void *ram = NULL;

        if (m && (m->perm & (write ? SL_W : SL_R)))
            ram = hm_ram(m->addr + (iova - m->iova), chunk);
        if (ram && write)
            memcpy(ram, b, chunk);
        else if (ram)
            memcpy(b, ram, chunk);
        else {
            (*blocked)++;
            bytes += chunk;
        }
        b += chunk;
        len -= chunk;
        iova += chunk;
    }
    seq = ++sh.rec_seq[d];
    shr_write_dma(&sh.rec[d], seq, (unsigned)seq, addr,
                  (uint64_t)(b - (uint8_t *)buf), write, bytes);
    return true;
}

static const char *open_record(unsigned d, const struct hm_edu_cfg *cfg)
{
    FILE *f = NULL;

    if (cfg->record[0]) {
        f = fopen(cfg->record, "w");
        if (!f)
            return "edu x-record: cannot create the record file";
    }
    if (shr_init(&sh.rec[d], f)) {
        if (f)
            fclose(f);
        return "notifier harness: out of memory";
    }
    return NULL;
}

/* ------------------------------------------------------------- observer */

static bool wants(const struct hm_config *cfg)
{
    return cfg->shadow && cfg->iommu && cfg->vtd.caching_mode;
}

static const char *attach(void)
{
    const char *why = NULL;

    sh.n = vtd_notify_create(hm.vtd);
    if (!sh.n)
        return "notifier layer: out of memory";
    vtd_notify_set_done(sh.n, done, NULL);
    for (unsigned i = 0; i < hm.nr_fns; i++) {
        const struct hm_fn *f = hm_pci_fn(i);
        struct vtd_notify_reg r = {
            .flags = VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP,
            .first = 0,
            .last = ~0ull,
            .notify = shc_notify,
        };
        unsigned d = sh.ndev;
        const struct hm_edu_cfg *cfg;

        if (!hm_fn_device(f) || d == HM_MAX_EDU)
            continue;
        cfg = hm_edu_config(hm_fn_device(f));
        sh.sid[d] = hm_fn_sid(f);
        snprintf(sh.name[d], sizeof(sh.name[d]), "container of edu%u", d);
        sh.cont[d] = shc_new(sh.name[d], 64, 1u << 20);
        if (!sh.cont[d])
            return "notifier harness: out of memory";
        r.sid = sh.sid[d];
        r.container = sh.cont[d];
        r.opaque = sh.cont[d];
        if (cfg->assigned) {
            why = open_record(d, cfg);
            if (why)
                return why;
            sh.assigned[d] = true;
            r.notify = rec_notify;
            r.opaque = &sh.rec[d];
        }
        sh.cons[d] = vtd_notify_register(sh.n, &r, &why);
        if (!sh.cons[d])
            return why ? why : "notifier layer refused a container";
        sh.ndev++;
    }
    for (unsigned d = 0; d < sh.ndev; d++) {
        struct vtd_notify_reg r = {
            .sid = sh.sid[d],
            .flags = VTD_NOTIFY_UNMAP,
            .first = 0,
            .last = ~0ull,
            .notify = shv_notify,
            .opaque = &sh.vhost,
        };

        /* It caches what the unit translates: an assigned device's
         * requests never reach the unit. */
        if (sh.assigned[d])
            continue;
        shv_init(&sh.vhost, hm.vtd, sh.sid[d]);
        sh.vhost_cons = vtd_notify_register(sh.n, &r, &why);
        if (!sh.vhost_cons)
            return why ? why : "notifier layer refused the UNMAP-only consumer";
        break;
    }
    return NULL;
}

/* The device whose DMA an UNMAP-only consumer caches reads through it too:
 * that fills its cache as vhost's device IOTLB fills. */
static void dma(uint16_t sid, uint64_t addr, bool write)
{
    uint64_t out;

    if (sh.vhost_cons && sid == sh.vhost.sid && !write)
        shv_access(&sh.vhost, addr, &out);
}

static void finish(FILE *out)
{
    struct vtd_notify_stats ns;

    vtd_notify_stats(sh.n, &ns);
    fprintf(out,
            "vtdhost: notifier harness: %" PRIu64 " invalidations, %" PRIu64
            " checked, %" PRIu64 " leaves and %" PRIu64 " tables "
            "compared, %" PRIu64 " MAP and %" PRIu64 " UNMAP events, %" PRIu64
            " violation(s)\n",
            sh.invalidations, sh.checks, sh.leaves, sh.tables, ns.maps,
            ns.unmaps, sh.violations);
    for (unsigned d = 0; d < sh.ndev; d++)
        if (sh.rec[d].out) {
            fclose(sh.rec[d].out);
            sh.rec[d].out = NULL;
        }
}

const struct hm_observer hm_shadow_observer = {
    .name = "notifier harness",
    .wants = wants,
    .attach = attach,
    .dma = dma,
    .assigned_dma = assigned_dma,
    .finish = finish,
};
