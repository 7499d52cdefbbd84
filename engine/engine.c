/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/engine.c — the scenario executor (see engine.h and
 * tests/scenarios/README.md).
 *
 * Each scenario starts from a clean unit (translation and queued
 * invalidation off, fault records cleared), gets a fresh root table, runs
 * its statements in order and gives everything back at the end. A driver
 * error is an ERROR naming the line and the driver's explanation, and ends
 * the scenario (its later statements would test nothing meaningful); a
 * check that does not hold is a FAILURE and the scenario goes on.
 */
#include <string.h>

#include "lib/edu.h"
#include "lib/pci.h"
#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/report.h"
#include "lib/test.h"
#include "engine/engine.h"
#include "engine/sm.h"
#include "engine/engine_ext.h"
#include "engine/ir.h"
#include "vtd/context.h"
#include "vtd/fault.h"
#include "vtd/inv.h"
#include "vtd/pgtable.h"
#include "vtd/qi.h"
#include "vtd/regmap.h"
#include "vtd/unit.h"

#define MAX_SELECT     16  /* names in scenario=... */
#define NAME_TEXT_MAX  150 /* statement text in a check name */
#define DMA_TIMEOUT_NS (5ull * 1000 * 1000 * 1000)
#define BATCH_MAX      64 /* descriptors built at a time */

struct buf {
    uint8_t *va;
    uint64_t pa, size;
    void *alloc; /* what plat_alloc_pages returned */
    size_t pages;
};

/* One scenario's state, rebuilt for each. */
struct run {
    const struct scn_script *s;
    const struct scn_scenario *c;
    struct vtd_rt rt;
    bool rt_ok;
    struct vtd_domain dom[SCN_MAX_DOMAINS];
    bool dom_ok[SCN_MAX_DOMAINS];
    struct buf buf[SCN_MAX_BUFFERS];
    struct vtd_qi qi;
    bool qi_ok;  /* the queue is allocated */
    unsigned qs; /* the queue asked for: IQA.QS, .DW */
    bool dw;
    unsigned via;                 /* the scenario's default interface */
    int dev_did[SCN_MAX_DEVICES]; /* DID of the attached context, -1 */
    /* The last invalidation: whether one ran, and whether the unit
     * ignored it (reported granularity none, or stopped the queue with
     * IQE): check-either stale=if-ignored accepts old data only then. */
    bool inv_seen, inv_ignored;
    unsigned inv_line;
    /* A transfer started by `dma ... start`, judged by dma-wait. */
    struct {
        bool on;
        bool read;
        uint64_t iova;
        unsigned line;
        uint64_t mem; /* buffers_hash() when it started */
    } pending[SCN_MAX_DEVICES];
    unsigned dmas, checks;
    uint64_t regs;                 /* reg read/write accesses made */
    unsigned observed;             /* observe=1: statements recorded */
    uint64_t saved[SCN_MAX_SAVED]; /* reg read save=NAME */
    bool raw_writes;               /* reg write ran: GCMD may differ from the
                                    * driver's copy */
    struct scn_sm sm;              /* set mode=scalable (engine/sm.c) */
};

static struct {
    struct scn_machine m;
    struct scn_options o;
    struct vtd_unit u;
    uint64_t reg_size; /* the unit's register space, bytes */
    bool unit_ok;
    bool unit_broken; /* a clean-up failed: nothing more runs */
    char unit_why[200];
    char select[256];
    const char *sel[MAX_SELECT];
    size_t sel_len[MAX_SELECT];
    bool sel_hit[MAX_SELECT];
    unsigned nsel;
    struct scn_script script;
    struct run run;
} eng;

/* ------------------------------------------------------------- reporting */

/* The statement as written, blanks collapsed, bounded. */
static const char *stmt_text(const struct scn_stmt *st)
{
    static char buf[NAME_TEXT_MAX + 4];
    size_t n = 0;
    bool blank = false;

    for (size_t i = 0; i < st->text_len && n < NAME_TEXT_MAX; i++) {
        char c = st->text[i];

        if (c == ' ' || c == '\t') {
            blank = true;
            continue;
        }
        if (blank && n)
            buf[n++] = ' ';
        blank = false;
        buf[n++] = c;
    }
    if (n == NAME_TEXT_MAX)
        memcpy(buf + n - 3, "...", 3);
    buf[n] = 0;
    return buf;
}

/* One check: an expected failure when the statement carries xfail. */
static bool check(struct run *r, const struct scn_stmt *st, bool pass)
{
    const struct scn_xfail *x = &st->xf;
    char range[40], fix[48], spec[32], why[200];

    /* observe=1: the statement recorded what it met instead */
    if (eng.o.observe)
        return true;
    r->checks++;
    if (x->why) {
        vt_snprintf(range, sizeof(range), "%.*s", (int)x->range_len, x->range);
        vt_snprintf(fix, sizeof(fix), "%.*s", (int)x->fix_len,
                    x->fix ? x->fix : "");
        vt_snprintf(spec, sizeof(spec), "%.*s", (int)x->spec_len, x->spec);
        vt_snprintf(why, sizeof(why), "%.*s", (int)x->why_len, x->why);
        return report_xfail(pass,
                            &(struct xfail){ .range = range,
                                             .fix = x->fix ? fix : NULL,
                                             .spec = spec,
                                             .why = why },
                            "line %u: %s", st->line, stmt_text(st));
    }
    return report(pass, "line %u: %s", st->line, stmt_text(st));
}

/* ------------------------------------------------------------ observation */

/*
 * observe=1: a statement that would judge records what it met instead, as
 * one line
 *
 *   # observe: SCENARIO line=N op=OP KEY=VALUE ...
 *
 * numbers in hex (0x) where they are register values or addresses, in
 * decimal where they are counts; lists joined by ','; '-' for none. The
 * keys of each op are fixed (tests/scenarios/README.md).
 */
static const char *observe_op(const struct scn_stmt *st)
{
    switch (st->op) {
    case SCN_DMA:
        return "dma";
    case SCN_DMA_WAIT:
        return "dma-wait";
    case SCN_CHECK:
        return "check";
    case SCN_CHECK_EITHER:
        return "check-either";
    case SCN_INV_CC:
        return "inv-cc";
    case SCN_INV_IOTLB:
        return "inv-iotlb";
    case SCN_INV_DEVTLB:
        return "inv-devtlb";
    case SCN_INV_PC:
        return "inv-pc";
    case SCN_INV_PIOTLB:
        return "inv-piotlb";
    case SCN_QI_RAW:
        return "qi-raw";
    case SCN_QI_WAIT:
        return "qi-wait";
    case SCN_REG_READ:
        return "reg-read";
    case SCN_REG_WRITE:
        return "reg-write";
    case SCN_INV_IEC:
        return "inv-iec";
    case SCN_IR:
        return "ir-cfi";
    }
    return scn_op_name(st->op);
}

static void observe(struct run *r, const struct scn_stmt *st, const char *fmt,
                    ...) __attribute__((format(printf, 3, 4)));

static void observe(struct run *r, const struct scn_stmt *st, const char *fmt,
                    ...)
{
    char buf[480];
    va_list ap;

    va_start(ap, fmt);
    vt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    r->observed++;
    vt_printf("# observe: %s line=%u op=%s %s\n", r->c->name, st->line,
              observe_op(st), buf);
}

/* What a driver call came to, in one word. */
static const char *observe_rc(int rc)
{
    switch (rc) {
    case VTD_OK:
        return "ok";
    case VTD_EIQE:
        return "iqe";
    case VTD_EICE:
        return "ice";
    case VTD_EITE:
        return "ite";
    case VTD_ETIMEDOUT:
        return "timeout";
    case VTD_EQION:
        return "refused";
    }
    return "error";
}

/* Fault records as REASON:SID:ADDR:r|w,... ("-": none; "+N": N more). */
static const char *observe_faults(const struct vtd_fault_log *log)
{
    static char buf[200];
    size_t n = 0;

    buf[0] = 0;
    for (unsigned i = 0; i < log->n && n + 40 < sizeof(buf); i++)
        n += (size_t)vt_snprintf(buf + n, sizeof(buf) - n,
                                 "%s0x%x:0x%04x:0x%lx:%c", i ? "," : "",
                                 log->rec[i].reason, log->rec[i].sid,
                                 (unsigned long)log->rec[i].addr,
                                 log->rec[i].read ? 'r' : 'w');
    if (log->lost)
        vt_snprintf(buf + n, sizeof(buf) - n, "%s+%u", n ? "," : "", log->lost);
    return buf[0] ? buf : "-";
}

/* A 32-bit FNV-1a digest of bytes read back, to tell runs apart. */
static uint32_t observe_digest(const uint8_t *p, uint64_t n)
{
    uint32_t h = 0x811C9DC5u;

    for (uint64_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x01000193u;
    return h;
}

/* A statement that could not be carried out: ERROR, scenario ends. */
static bool fail(const struct scn_stmt *st, const char *what, int rc)
{
    report_error("line %u: %s: %s%s%s", st->line, stmt_text(st), what,
                 rc ? ": " : "", rc ? vtd_strerror(rc) : "");
    if (rc && eng.u.err[0])
        report_info("line %u: driver: %s", st->line, vtd_errmsg(&eng.u));
    return false;
}

static bool vtd_ok(const struct scn_stmt *st, int rc, const char *what)
{
    if (rc == VTD_OK)
        return true;
    return fail(st, what, rc);
}

/* ------------------------------------------------------------- selection */

static void select_parse(const char *list)
{
    size_t n = list ? strlen(list) : 0;
    char *p = eng.select;

    eng.nsel = 0;
    if (n >= sizeof(eng.select))
        n = sizeof(eng.select) - 1;
    memcpy(eng.select, list ? list : "", n);
    eng.select[n] = 0;
    while (*p && eng.nsel < MAX_SELECT) {
        char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);

        if (len) {
            eng.sel[eng.nsel] = p;
            eng.sel_len[eng.nsel] = len;
            eng.sel_hit[eng.nsel] = false;
            eng.nsel++;
        }
        p += len;
        if (*p == ',')
            p++;
    }
}

static bool name_is(const char *name, const char *s, size_t n)
{
    return strlen(name) == n && !memcmp(name, s, n);
}

/* A script name matches with or without its ".vtd". */
static bool script_is(const char *file, const char *s, size_t n)
{
    size_t fl = strlen(file);

    if (name_is(file, s, n))
        return true;
    return fl > 4 && !strcmp(file + fl - 4, ".vtd") && fl - 4 == n &&
           !memcmp(file, s, n);
}

static bool selected(const char *file, const char *scenario)
{
    bool hit = false;

    if (!eng.nsel)
        return true;
    for (unsigned i = 0; i < eng.nsel; i++)
        if (name_is(scenario, eng.sel[i], eng.sel_len[i]) ||
            script_is(file, eng.sel[i], eng.sel_len[i])) {
            eng.sel_hit[i] = true;
            hit = true;
        }
    return hit;
}

/* ----------------------------------------------------------- requirements */

static char why_buf[300];

/* Whether the command line has word=VALUE with VALUE other than 0. */
static bool arg_given(const char *name, size_t n)
{
    char key[SCN_NAME_MAX], val[8];

    if (!eng.o.cmdline || n >= sizeof(key))
        return false;
    memcpy(key, name, n);
    key[n] = 0;
    return cmdline_get(eng.o.cmdline, key, val, sizeof(val)) &&
           strcmp(val, "0");
}

/* Why requirement q does not hold (in why_buf), or NULL. */
static const char *req_unmet(const struct scn_req *q)
{
    const struct vtd_unit *u = &eng.u;
    const char *src = q->implied ? "needs" : "requires";
    unsigned sllps = (unsigned)FIELD_GET(VTD_CAP_SLLPS, u->caps.cap);
    char *why = why_buf;
    size_t size = sizeof(why_buf);
    bool have;

    switch (q->kind) {
    case SCN_REQ_CAP:
    case SCN_REQ_ECAP:
        have = (q->kind == SCN_REQ_CAP ? u->caps.cap : u->caps.ecap) & q->value;
        if (have != q->negate)
            return NULL;
        vt_snprintf(why, size, "%s %s%s.%s %s", src, q->negate ? "no " : "",
                    q->kind == SCN_REQ_CAP ? "CAP" : "ECAP", q->name,
                    q->negate ? "(it is set)" : "(it is 0)");
        return why;
    case SCN_REQ_AW:
        if (!q->value && u->caps.sagaw)
            return NULL;
        if (q->value && (u->caps.sagaw & (1u << ((q->value - 30) / 9))))
            return NULL;
        if (q->value)
            vt_snprintf(why, size,
                        "%s %u-bit (%u-level) tables; CAP.SAGAW "
                        "is 0x%x",
                        src, (unsigned)q->value,
                        (unsigned)(q->value - 30) / 9 + 2, u->caps.sagaw);
        else
            vt_snprintf(why, size,
                        "%s second-level translation; CAP.SAGAW "
                        "is 0",
                        src);
        return why;
    case SCN_REQ_EDU:
        if (eng.m.nr_edu >= q->value)
            return NULL;
        vt_snprintf(why, size, "%s %u edu device%s, the machine has %u", src,
                    (unsigned)q->value, q->value == 1 ? "" : "s", eng.m.nr_edu);
        return why;
    case SCN_REQ_PAGE:
        if (sllps & (q->value == (1ull << 21) ? 1 : 2))
            return NULL;
        vt_snprintf(why, size, "%s %s second-level pages; CAP.SLLPS is 0x%x",
                    src, q->value == (1ull << 21) ? "2 MiB" : "1 GiB", sllps);
        return why;
    case SCN_REQ_MAMV:
        if (vtd_has_cap(u, VTD_CAP_PSI) && u->caps.mamv >= q->value)
            return NULL;
        if (!vtd_has_cap(u, VTD_CAP_PSI))
            vt_snprintf(why, size,
                        "%s page-selective invalidation; CAP.PSI "
                        "is 0",
                        src);
        else
            vt_snprintf(why, size, "%s CAP.MAMV %u or more (it is %u)", src,
                        (unsigned)q->value, u->caps.mamv);
        return why;
    case SCN_REQ_ASSIGNED:
        if (q->value < eng.m.nr_edu && eng.m.assigned[q->value])
            return NULL;
        vt_snprintf(why, size,
                    "%s edu%u behind a host IOMMU (assigned= on "
                    "the command line names it)",
                    src, (unsigned)q->value);
        return why;
    case SCN_REQ_ARG:
        if (arg_given(q->name, q->name_len))
            return NULL;
        if (q->range && !report_range_holds(q->range, q->range_len))
            return NULL;
        vt_snprintf(why, size, "%s %.*s=1 on the command line%s%.*s", src,
                    (int)q->name_len, q->name, q->range ? " on " : "",
                    (int)q->range_len, q->range ? q->range : "");
        return why;
    }
    vt_snprintf(why, size, "unknown requirement kind %u", q->kind);
    return why;
}

/* Why the unit or machine cannot run scenario c, or NULL. */
static const char *unmet(const struct scn_scenario *c, unsigned *line)
{
    const struct vtd_unit *u = &eng.u;

    *line = c->line;
    if (eng.o.via == SCN_VIA_QI && !vtd_has_ecap(u, VTD_ECAP_QI))
        return "inv=qi, and the unit has no queued invalidation (ECAP.QI 0)";
    for (unsigned i = 0; i < c->nreq; i++) {
        const struct scn_req *q = &c->req[i];
        const char *why = req_unmet(q);
        size_t n;

        *line = q->line;
        if (!why)
            continue;
        n = strlen(why_buf);
        if (q->why && n + 3 < sizeof(why_buf))
            vt_snprintf(why_buf + n, sizeof(why_buf) - n, ": %.*s",
                        (int)q->why_len, q->why);
        return why;
    }
    return NULL;
}

/* ------------------------------------------------------------- resources */

static uint64_t addr_of(const struct run *r, const struct scn_addr *a)
{
    return a->k + (a->buf >= 0 ? r->buf[a->buf].pa : 0);
}

static struct edu *device(const struct scn_stmt *st)
{
    unsigned i = (unsigned)st->dev;

    if (i >= eng.m.nr_edu) {
        fail(st, "no such device", 0);
        return NULL;
    }
    if (!eng.m.edu[i]) {
        report_error("line %u: %s: edu%u did not initialise: %s", st->line,
                     stmt_text(st), i,
                     eng.m.edu_err[i] ? eng.m.edu_err[i] : "?");
        return NULL;
    }
    return eng.m.edu[i];
}

static bool qi_off(struct run *r, const struct scn_stmt *st);

static bool qi_on(struct run *r, const struct scn_stmt *st)
{
    struct vtd_unit *u = &eng.u;

    /* Another size or width asked for: a new queue. */
    if (r->qi_ok && (r->qi.qs != r->qs || r->qi.dw != r->dw)) {
        if (!qi_off(r, st))
            return false;
        vtd_qi_destroy(&r->qi);
        r->qi_ok = false;
    }
    if (!r->qi_ok) {
        if (!vtd_ok(st, vtd_qi_init(&r->qi, u, r->qs, r->dw),
                    "invalidation "
                    "queue"))
            return false;
        r->qi_ok = true;
    }
    if (u->qi == &r->qi && (vtd_gsts(u) & VTD_GCMD_QIE))
        return true;
    return vtd_ok(st, vtd_qi_enable(&r->qi), "queued invalidation on");
}

static bool qi_off(struct run *r, const struct scn_stmt *st)
{
    if (!r->qi_ok || eng.u.qi != &r->qi)
        return true;
    return vtd_ok(st, vtd_qi_disable(&r->qi), "queued invalidation off");
}

static unsigned via_of(const struct run *r, const struct scn_stmt *st)
{
    return st->via ? st->via : r->via;
}

/* The interface a statement uses: the unit is switched to it (6.5.2:
 * register-based and queued invalidation are not mixed). */
static bool use_via(struct run *r, const struct scn_stmt *st)
{
    /* 6.5.1: not with scalable-mode translation, which needs the queue */
    if (r->sm.on && via_of(r, st) == SCN_VIA_REG)
        return fail(st,
                    "register-based invalidation is not supported in "
                    "scalable mode (6.5.1); expect=refused checks that the "
                    "driver refuses it",
                    0);
    return via_of(r, st) == SCN_VIA_QI ? qi_on(r, st) : qi_off(r, st);
}

static bool buffer_alloc(struct run *r, const struct scn_stmt *st)
{
    struct buf *b = &r->buf[st->buf];
    size_t pages = (size_t)((st->size + 4095) >> 12);

    /* One guard page after every buffer: no two are adjacent. Aligned by
     * the allocator, so only the buffer's own pages are zeroed. */
    b->pages = pages + 1;
    b->alloc = plat_alloc_aligned(b->pages,
                                  st->align > 4096 ? st->align : 4096);
    if (!b->alloc) {
        b->pages = 0;
        return fail(st, "out of memory", 0);
    }
    b->pa = plat_virt_to_phys(b->alloc);
    b->va = b->alloc;
    b->size = st->size;
    return true;
}

/* ---------------------------------------------------------------- checks */

/* Compare n bytes at buffer offset off with (pattern, seed) from pattern
 * index src, or with another buffer's bytes; the first difference in
 * *where, the count returned. */
static uint64_t compare(const uint8_t *p, uint64_t n, const uint8_t *other,
                        unsigned pattern, uint32_t seed, uint64_t src,
                        uint64_t *where, uint8_t *got, uint8_t *want)
{
    uint64_t bad = 0;

    for (uint64_t i = 0; i < n; i++) {
        uint8_t w = other ? other[i] : scn_pattern_byte(pattern, seed, src + i);

        if (p[i] == w)
            continue;
        if (!bad++) {
            *where = i;
            *got = p[i];
            *want = w;
        }
    }
    return bad;
}

static bool exec_check(struct run *r, const struct scn_stmt *st)
{
    const struct buf *b = &r->buf[st->buf];
    const uint8_t *other = st->buf2 >= 0 ? r->buf[st->buf2].va + st->src : NULL;
    uint64_t where = 0, bad;
    uint8_t got = 0, want = 0;

    bad = compare(b->va + st->offset, st->len, other, st->pattern, st->seed,
                  st->src, &where, &got, &want);
    if (eng.o.observe) {
        char first[24] = "-";

        if (bad)
            vt_snprintf(first, sizeof(first), "0x%lx",
                        (unsigned long)(st->offset + where));
        observe(r, st, "len=%lu differ=%lu first=%s digest=0x%08x",
                (unsigned long)st->len, (unsigned long)bad, first,
                observe_digest(b->va + st->offset, st->len));
        return true;
    }
    if (!check(r, st, !bad))
        report_info("line %u: %lu of %lu bytes differ; first at offset "
                    "0x%lx: 0x%02x, expected 0x%02x",
                    st->line, (unsigned long)bad, (unsigned long)st->len,
                    (unsigned long)(st->offset + where), got, want);
    return true;
}

static bool exec_check_either(struct run *r, const struct scn_stmt *st)
{
    const struct buf *a = &r->buf[st->buf];
    uint64_t where, bad_old, bad_new;
    uint8_t got, want;
    const char *old, *new_;

    if (st->buf2 >= 0) {
        const struct buf *b = &r->buf[st->buf2];

        bad_old = compare(a->va + st->offset, st->len, NULL, st->pattern,
                          st->seed, st->src, &where, &got, &want);
        bad_new = compare(b->va + st->offset, st->len, NULL, st->pattern,
                          st->seed, st->src, &where, &got, &want);
        old = "the old buffer";
        new_ = "the new buffer";
    } else {
        bad_old = compare(a->va + st->offset, st->len, NULL, st->pattern,
                          st->seed, st->src, &where, &got, &want);
        bad_new = compare(a->va + st->offset, st->len, NULL, st->pattern,
                          st->seed2, st->src, &where, &got, &want);
        old = "the old data";
        new_ = "the new data";
    }
    if (eng.o.observe) {
        observe(r, st, "len=%lu old-differ=%lu new-differ=%lu last-inv=%s",
                (unsigned long)st->len, (unsigned long)bad_old,
                (unsigned long)bad_new,
                !r->inv_seen     ? "-"
                : r->inv_ignored ? "ignored"
                                 : "performed");
        return true;
    }
    if (st->flags & SCN_F_STALE_IGNORED) {
        /* Old data only when the last invalidation was ignored (IAIG or
         * CAIG 00, or the queue stopped at it): one that was performed,
         * at whatever granularity, must have removed the stale entry. */
        if (!r->inv_seen)
            return fail(st, "stale=if-ignored: no invalidation before it", 0);
        report_info("line %u: the invalidation at line %u was %s", st->line,
                    r->inv_line,
                    r->inv_ignored ? "ignored: old or new data"
                                   : "performed: only the new data");
        if (!r->inv_ignored)
            bad_old = bad_old ? bad_old : 1;
    }
    report_info("line %u: %s", st->line,
                !bad_old && !bad_new ? "old and new both match"
                : !bad_old           ? (st->buf2 >= 0
                                            ? "the data went to the old "
                                              "buffer (stale translation)"
                                            : "the old data was read (stale translation)")
                : !bad_new ? (st->buf2 >= 0 ? "the data went to the new buffer"
                                            : "the new data was read")
                           : "neither matches");
    if (!check(r, st, !bad_old || !bad_new))
        report_info("line %u: %lu bytes differ from %s, %lu from %s", st->line,
                    (unsigned long)bad_old, old, (unsigned long)bad_new, new_);
    return true;
}

static void print_faults(const struct vtd_fault_log *log)
{
    for (unsigned i = 0; i < log->n; i++)
        vtd_fault_print(&log->rec[i]);
    if (log->lost)
        report_info("%u more fault records not shown", log->lost);
}

/*
 * An assigned device (scn_machine.assigned) reaches memory through the
 * host IOMMU, where QEMU shadows this unit's tables: a request blocked
 * there is recorded nowhere the guest can see. What the device itself
 * sees is what 7.1.1 says of a blocked request: a read completes with
 * Unsupported Request, which it records as Received Master Abort in its
 * PCI Status register; a write is dropped. So for such a device
 * expect=fault:REASON holds when the request was blocked — a read's
 * Received Master Abort set, a write's memory (every buffer of the
 * scenario) unchanged — and no fault was recorded, or exactly the one
 * expected.
 */
static bool assigned(const struct scn_stmt *st)
{
    return st->dev >= 0 && (unsigned)st->dev < eng.m.nr_edu &&
           eng.m.assigned[st->dev];
}

/* FNV-1a over every buffer of the scenario: "memory untouched". */
static uint64_t buffers_hash(const struct run *r)
{
    uint64_t h = 0xcbf29ce484222325ull;

    for (unsigned i = 0; i < SCN_MAX_BUFFERS; i++)
        for (uint64_t k = 0; r->buf[i].alloc && k < r->buf[i].size; k++)
            h = (h ^ r->buf[i].va[k]) * 0x100000001b3ull;
    return h;
}

/* Before an assigned device's DMA: Received Master Abort cleared, and
 * the memory it must not change (a write expected to fault) hashed. */
static uint64_t assigned_before(const struct run *r, const struct scn_stmt *st,
                                const struct edu *e, bool read)
{
    if (!assigned(st))
        return 0;
    if (pci_status_take(e->pci, PCI_STS_RMA))
        report_info("line %u: edu%d had Received Master Abort set before "
                    "the DMA: cleared",
                    st->line, st->dev);
    return !read && st->expect == SCN_EXPECT_FAULT ? buffers_hash(r) : 0;
}

static bool judge_blocked(struct run *r, const struct scn_stmt *st,
                          const struct vtd_fault_log *log, bool blocked,
                          bool recorded_ok, bool read)
{
    if (!check(r, st, blocked && recorded_ok)) {
        report_info(
            "line %u: edu%d is assigned: expected its %s blocked "
            "(%s) and no fault recorded here, or the one expected; "
            "%s, FSTS 0x%08x, %u record(s)%s",
            st->line, st->dev, read ? "read" : "write",
            read ? "Received Master Abort "
                   "set"
                 : "no buffer changed",
            blocked
                ? (read ? "Received "
                          "Master Abort set"
                        : "no buffer changed")
                : (read ? "Received Master Abort clear: the read was performed"
                        : "a buffer changed: the write was performed"),
            log->fsts, log->n, log->n ? ":" : "");
        print_faults(log);
    } else {
        report_info("line %u: edu%d is assigned: the %s was blocked (%s), "
                    "%s",
                    st->line, st->dev, read ? "read" : "write",
                    read ? "Received Master Abort" : "memory untouched",
                    log->n ? "and the fault recorded"
                           : "no fault recorded "
                             "here (the host IOMMU blocked it)");
    }
    return true;
}

/* The outcome of a finished transfer against the statement's expect=.
 * mem: assigned_before()'s hash. */
static bool judge_dma(struct run *r, const struct scn_stmt *st,
                      const struct edu *e, uint64_t iova, bool read,
                      uint64_t mem)
{
    struct vtd_fault_log log;
    uint64_t faddr;
    uint16_t sid;
    bool pass, rma = false;

    vtd_fault_collect(&eng.u, &log);
    if (assigned(st) && read)
        rma = pci_status_take(e->pci, PCI_STS_RMA) != 0;
    if (eng.o.observe) {
        observe(r, st, "iova=0x%lx dir=%s fsts=0x%08x faults=%s%s",
                (unsigned long)iova, read ? "from-ram" : "to-ram", log.fsts,
                observe_faults(&log),
                assigned(st) ? (rma ? " rma=1" : " rma=0") : "");
        return true;
    }
    switch (st->expect) {
    case SCN_EXPECT_ANY:
        if (log.n)
            report_info("line %u: %u fault record(s):", st->line, log.n);
        print_faults(&log);
        if (rma)
            report_info("line %u: edu%d's read was blocked (Received "
                        "Master Abort)",
                        st->line, st->dev);
        return true;
    case SCN_EXPECT_OK:
    case SCN_EXPECT_NOFAULT:
        pass = !log.n && !(log.fsts & (VTD_FSTS_PPF | VTD_FSTS_PFO)) &&
               !(rma && st->expect == SCN_EXPECT_OK);
        if (!check(r, st, pass)) {
            report_info("line %u: expected no fault; FSTS 0x%08x, %u "
                        "record(s)%s",
                        st->line, log.fsts, log.n,
                        rma ? ", and the read was blocked (Received Master "
                              "Abort)"
                            : ":");
            print_faults(&log);
        }
        return true;
    }
    sid = (st->flags & SCN_F_SID) ? st->sid : e->sid;
    faddr = ((st->flags & SCN_F_ADDR) ? addr_of(r, &st->faddr) : iova) &
            ~0xFFFull;
    pass = log.n == 1 && log.rec[0].reason == st->reason &&
           log.rec[0].sid == sid && log.rec[0].addr == faddr &&
           log.rec[0].read == read;
    if (assigned(st))
        return judge_blocked(r, st, &log, read ? rma : buffers_hash(r) == mem,
                             !log.n || pass, read);
    if (!check(r, st, pass)) {
        report_info("line %u: expected one fault: reason 0x%x (%s), sid "
                    "0x%04x, addr 0x%lx, %s; FSTS 0x%08x, %u record(s)%s",
                    st->line, st->reason, vtd_fault_reason_name(st->reason),
                    sid, (unsigned long)faddr, read ? "read" : "write",
                    log.fsts, log.n, log.n ? ":" : "");
        print_faults(&log);
    }
    return true;
}

static bool exec_dma(struct run *r, const struct scn_stmt *st)
{
    struct edu *e = device(st);
    struct vtd_fault_log log;
    uint64_t iova = addr_of(r, &st->iova);
    bool read = st->dir == SCN_FROM_RAM;
    enum edu_dir dir = read ? EDU_RAM_TO_DEV : EDU_DEV_TO_RAM;
    uint64_t mem;
    int rc;

    if (!e)
        return false;
    if (r->pending[st->dev].on)
        return fail(st,
                    "the transfer started at an earlier line has not "
                    "been waited for (dma-wait)",
                    0);
    /* Whatever is pending now is not this DMA's. */
    if (vtd_fault_collect(&eng.u, &log)) {
        report_info("line %u: %u fault record(s) pending before the DMA, "
                    "cleared:",
                    st->line, log.n);
        print_faults(&log);
    }
    mem = assigned_before(r, st, e, read);
    r->dmas++;
    if (st->flags & SCN_F_START) {
        rc = edu_dma_start(e, dir, iova, (uint32_t)st->offset,
                           (uint32_t)st->len);
        if (rc != EDU_OK) {
            report_error("line %u: %s: edu DMA at 0x%lx did not start: %s",
                         st->line, stmt_text(st), (unsigned long)iova,
                         edu_strerror(rc));
            return false;
        }
        r->pending[st->dev].on = true;
        r->pending[st->dev].read = read;
        r->pending[st->dev].iova = iova;
        r->pending[st->dev].line = st->line;
        r->pending[st->dev].mem = mem;
        return true;
    }
    rc = edu_dma(e, dir, iova, (uint32_t)st->offset, (uint32_t)st->len,
                 DMA_TIMEOUT_NS);
    if (rc != EDU_OK) {
        report_error("line %u: %s: edu DMA at 0x%lx did not complete: %s",
                     st->line, stmt_text(st), (unsigned long)iova,
                     edu_strerror(rc));
        return false;
    }
    return judge_dma(r, st, e, iova, read, mem);
}

/*
 * dma-wait: the transfer `dma ... start` began. It must still be running
 * when this statement is reached, or what it met (the state before or
 * after the statements in between) cannot be told: an ERROR, not a
 * verdict. edu starts copying 100 ms of the machine's time after the
 * command; the statements in between take microseconds.
 */
static bool exec_dma_wait(struct run *r, const struct scn_stmt *st)
{
    struct edu *e = device(st);
    bool busy;
    int rc;

    if (!e)
        return false;
    if (!r->pending[st->dev].on)
        return fail(st,
                    "no transfer was started on this device (dma ... "
                    "start)",
                    0);
    busy = edu_dma_busy(e);
    rc = edu_dma_wait(e, DMA_TIMEOUT_NS);
    r->pending[st->dev].on = false;
    if (rc != EDU_OK) {
        report_error("line %u: %s: the transfer started at line %u did not "
                     "complete: %s",
                     st->line, stmt_text(st), r->pending[st->dev].line,
                     edu_strerror(rc));
        return false;
    }
    if (!busy) {
        report_error("line %u: %s: the transfer started at line %u had "
                     "already finished: whether it saw the state before or "
                     "after the statements in between cannot be told",
                     st->line, stmt_text(st), r->pending[st->dev].line);
        return false;
    }
    return judge_dma(r, st, e, r->pending[st->dev].iova,
                     r->pending[st->dev].read, r->pending[st->dev].mem);
}

/* ---------------------------------------------------------- invalidation */

/* What the unit made of the last invalidation (check-either stale=). */
static void inv_outcome(struct run *r, const struct scn_stmt *st, bool ignored)
{
    r->inv_seen = true;
    r->inv_ignored = ignored;
    r->inv_line = st->line;
}

static bool gran_check(struct run *r, const struct scn_stmt *st,
                       unsigned actual, unsigned n, bool iotlb)
{
    if (!st->gran_ok)
        return true;
    if (!check(r, st, st->gran_ok & (1u << actual)))
        report_info("line %u: requested %s, the unit reports %s (%s %u)%s",
                    st->line, vtd_gran_name(st->gran & 3, iotlb),
                    vtd_gran_name(actual & 3, iotlb),
                    iotlb ? "IOTLB.IAIG" : "CCMD.CAIG", actual,
                    n > 1 ? " for at least one request" : "");
    return true;
}

/* The statement's source-id: the device's, or another function of it. */
static bool stmt_sid(const struct scn_stmt *st, uint16_t *sid)
{
    struct edu *e;

    *sid = 0;
    if (st->dev < 0)
        return true;
    e = device(st);
    if (!e)
        return false;
    *sid = e->sid;
    if (st->flags & SCN_F_FN)
        *sid = (uint16_t)((*sid & ~7u) | st->fn);
    return true;
}

static unsigned stmt_count(const struct scn_stmt *st)
{
    return st->count ? st->count : 1;
}

/* The address mask of an IOTLB statement (am=mamv+N resolved). */
static bool stmt_am(const struct scn_stmt *st, unsigned *am)
{
    *am = st->am + ((st->flags & SCN_F_AM_MAMV) ? eng.u.caps.mamv : 0);
    if (*am > 63) {
        report_error("line %u: %s: AM %u does not fit the 6-bit field "
                     "(CAP.MAMV %u)",
                     st->line, stmt_text(st), *am, eng.u.caps.mamv);
        return false;
    }
    return true;
}

/* A device-TLB range (6.5.2.5): S=0 for one page, else the address with
 * bits 12..(10+m) set and bit 11+m clear for 2^m pages. */
static uint64_t devtlb_addr(uint64_t addr, uint64_t size)
{
    unsigned m = 0;

    addr &= ~(size - 1) & ~0xFFFull;
    while ((4096ull << m) < size)
        m++;
    if (m)
        addr |= ((1ull << (m - 1)) - 1) << 12;
    return addr;
}

/* Descriptor i of a queued statement. */
static struct vtd_desc stmt_desc(struct run *r, const struct scn_stmt *st,
                                 uint16_t sid, unsigned am, unsigned i)
{
    uint64_t addr = addr_of(r, &st->iova) + (uint64_t)i * st->stride;

    if (st->op == SCN_INV_CC)
        return vtd_desc_cc(st->gran, st->did, sid, st->fm);
    if (st->op == SCN_INV_PC || st->op == SCN_INV_PIOTLB)
        return scn_sm_desc(st, addr, am, i);
    if (st->op == SCN_INV_DEVTLB)
        return vtd_desc_devtlb(sid, st->sid, st->mip,
                               devtlb_addr(addr, st->size), st->size > 4096);
    {
        struct vtd_iotlb_req q = {
            .gran = st->gran,
            .did = st->did,
            .addr = addr,
            .am = am,
            .ih = st->flags & SCN_F_IH,
            .dr = st->flags & SCN_F_DR,
            .dw = st->flags & SCN_F_DW,
        };

        /* Block i of 2^am pages; a mask of 52 bits or more leaves no
         * room for a second block (and no shift by 64). */
        if (st->gran == VTD_GRAN_PAGE && !st->stride && i && 12 + am < 64)
            q.addr = addr + ((uint64_t)i << (12 + am));
        return vtd_desc_iotlb(&q);
    }
}

/* Whether a queued statement's outcome is the one expect= names:
 * completion (ok), IQE at its descriptor (iqe), or either. */
static bool queue_expected(const struct scn_stmt *st, bool ok, bool iqe)
{
    return st->expect == SCN_EXPECT_OK    ? ok
           : st->expect == SCN_EXPECT_IQE ? iqe
                                          : ok || iqe;
}

/* The end of a queued statement: an error other than IQE is the driver's
 * (what); after IQE, 6.5.2.10: replace the bad descriptor and go on; the
 * queue must flow again or nothing after this can be trusted. */
static bool queue_settle(struct run *r, const struct scn_stmt *st, int rc,
                         const char *what)
{
    if (rc == VTD_OK)
        return true;
    if (rc != VTD_EIQE)
        return vtd_ok(st, rc, what);
    return vtd_ok(st, vtd_qi_recover(&r->qi), "queue recovery") &&
           vtd_ok(st, vtd_qi_wait(&r->qi, 0), "wait after recovery");
}

/* count= descriptors, a batch at a time (submission waits for room, so a
 * long run goes round the queue), then one invalidation wait. */
static int queue_submit(struct run *r, const struct scn_stmt *st, uint16_t sid,
                        unsigned am, unsigned n)
{
    static struct vtd_desc d[BATCH_MAX];
    unsigned chunk = r->qi.nent / 2 < BATCH_MAX ? r->qi.nent / 2 : BATCH_MAX;
    unsigned done = 0;
    int rc = VTD_OK;

    while (done < n && rc == VTD_OK) {
        unsigned k = n - done < chunk ? n - done : chunk;

        for (unsigned i = 0; i < k; i++)
            d[i] = stmt_desc(r, st, sid, am, done + i);
        rc = vtd_qi_submit(&r->qi, d, k);
        done += k;
    }
    if (rc == VTD_OK)
        rc = vtd_qi_wait(&r->qi, 0);
    return rc;
}

/* --observe: what the queue did, with the slot it stopped at. */
static void queue_observe(struct run *r, const struct scn_stmt *st, int rc,
                          unsigned n, unsigned head)
{
    char at[16] = "-";

    if (rc != VTD_OK)
        vt_snprintf(at, sizeof(at), "%u", head);
    observe(r, st,
            "via=qi descs=%u result=%s at=%s fsts=0x%08x "
            "iqercd=0x%lx",
            n, observe_rc(rc), at,
            rc != VTD_OK ? r->qi.err.fsts : vtd_read32(&eng.u, VTD_FSTS),
            (unsigned long)(rc != VTD_OK ? r->qi.err.iqercd : 0));
}

/* The outcome against expect=; an IQE must stop the queue at one of the
 * statement's n descriptors from slot first (head: its offset from it).
 * False when the statement cannot go on. */
static bool queue_judge(struct run *r, const struct scn_stmt *st, int rc,
                        unsigned first, unsigned n, unsigned head)
{
    bool pass;

    switch (st->expect) {
    case 0:
        if (!vtd_ok(st, rc, "queued invalidation"))
            return false;
        break;
    case SCN_EXPECT_ANY:
        report_info("line %u: %s", st->line,
                    rc == VTD_OK     ? "the queue "
                                       "completed it"
                    : rc == VTD_EIQE ? "the unit stopped the "
                                       "queue at it (IQE)"
                                     : vtd_strerror(rc));
        break;
    case SCN_EXPECT_OK:
        if (!check(r, st, rc == VTD_OK))
            report_info("line %u: expected completion; %s", st->line,
                        vtd_errmsg(&eng.u));
        break;
    case SCN_EXPECT_IQE:
        pass = rc == VTD_EIQE && head < n;
        if (!check(r, st, pass))
            report_info("line %u: expected FSTS.IQE with IQH at the "
                        "statement's descriptor (slot %u%s); %s",
                        st->line, first, n > 1 ? " on" : "",
                        rc ? vtd_errmsg(&eng.u) : "completed without an error");
        break;
    case SCN_EXPECT_OK_OR_IQE:
        pass = rc == VTD_OK || (rc == VTD_EIQE && head < n);
        if (!check(r, st, pass))
            report_info("line %u: expected completion or FSTS.IQE with IQH "
                        "at the statement's descriptor (slot %u%s); %s",
                        st->line, first, n > 1 ? " on" : "",
                        vtd_errmsg(&eng.u));
        else
            report_info("line %u: %s", st->line,
                        rc == VTD_OK ? "completed" : "stopped at it with IQE");
        break;
    default:
        return fail(st, "expect= does not apply to the queue", 0);
    }
    return true;
}

/*
 * A statement through the queue: its descriptors, then one invalidation
 * wait. An IQE is judged by expect= (absent: it is an ERROR), then the
 * queue is recovered.
 */
static bool inv_queued(struct run *r, const struct scn_stmt *st, uint16_t sid,
                       unsigned am)
{
    unsigned n = stmt_count(st), first = r->qi.tail, head;
    int rc = queue_submit(r, st, sid, am, n);

    if (n > 1 && rc == VTD_OK)
        report_info("line %u: %u descriptors from slot %u to slot %u of a "
                    "%u-entry queue, then a wait",
                    st->line, n, first, (first + n - 1) % r->qi.nent,
                    r->qi.nent);
    inv_outcome(r, st, rc == VTD_EIQE);
    head = (r->qi.err.head + r->qi.nent - first) % r->qi.nent;
    if (eng.o.observe)
        queue_observe(r, st, rc, n, head);
    else if (!queue_judge(r, st, rc, first, n, head))
        return false;
    if (st->gran_ok)
        report_info("line %u: queued: no granularity reported", st->line);
    return queue_settle(r, st, rc, "queued invalidation");
}

/* One register-based request; *actual: the granularity reported. */
static int inv_reg_one(struct run *r, const struct scn_stmt *st, uint16_t sid,
                       unsigned am, unsigned i, unsigned *actual)
{
    struct vtd_unit *u = &eng.u;
    uint64_t after = 0;
    int rc;

    if (st->op == SCN_INV_CC) {
        if (!(st->flags & SCN_F_UNCHECKED))
            return vtd_cc_inv(u, st->gran, st->did, sid, st->fm, actual);
        rc = vtd_cc_inv_raw(u, vtd_ccmd_value(st->gran, st->did, sid, st->fm),
                            &after);
        *actual = (unsigned)FIELD_GET(VTD_CCMD_CAIG, after);
        return rc;
    }
    {
        struct vtd_desc d = stmt_desc(r, st, sid, am, i);
        struct vtd_iotlb_req q = {
            .gran = st->gran,
            .did = st->did,
            .addr = d.qw[1] & VTD_DESC_ADDR,
            .am = am,
            .ih = st->flags & SCN_F_IH,
            .dr = st->flags & SCN_F_DR,
            .dw = st->flags & SCN_F_DW,
        };

        if (!(st->flags & SCN_F_UNCHECKED))
            return vtd_iotlb_inv(u, &q, actual);
        rc = vtd_iotlb_inv_raw(u, vtd_iva_value(&q), vtd_iotlb_value(&q),
                               &after);
        *actual = (unsigned)FIELD_GET(VTD_IOTLB_IAIG, after);
        return rc;
    }
}

/*
 * expect=refused: a register-based request while queued invalidation is
 * on. 6.5.2: software uses the queue only; the driver must refuse, and
 * leave the registers alone.
 */
static bool inv_refused(struct run *r, const struct scn_stmt *st, uint16_t sid,
                        unsigned am)
{
    unsigned actual = 0;
    int rc = inv_reg_one(r, st, sid, am, 0, &actual);
    bool qie = vtd_gsts(&eng.u) & VTD_GCMD_QIE;

    if (eng.o.observe) {
        observe(r, st, "via=reg result=%s qies=%u", observe_rc(rc), qie);
        return true;
    }
    if (!check(r, st, qie && rc == VTD_EQION))
        report_info("line %u: expected the driver to refuse (%s) with QIES "
                    "set; got %s%s%s, GSTS 0x%08x",
                    st->line, vtd_strerror(VTD_EQION), vtd_strerror(rc),
                    rc ? ": " : "", rc ? vtd_errmsg(&eng.u) : "",
                    vtd_gsts(&eng.u));
    return true;
}

static bool exec_inv_did(struct run *r, const struct scn_stmt *st, uint16_t sid,
                         unsigned am)
{
    unsigned n = stmt_count(st), actual = 0, reported = 0, seen[4] = { 0 };
    bool iotlb = st->op == SCN_INV_IOTLB, ignored = false;

    if (st->expect == SCN_EXPECT_REFUSED)
        return inv_refused(r, st, sid, am);
    if (!use_via(r, st))
        return false;
    if (via_of(r, st) == SCN_VIA_QI)
        return inv_queued(r, st, sid, am);
    /* Through the registers: the requests one after the other; gran=
     * holds when every one reported a granularity of the list. */
    for (unsigned i = 0; i < n; i++) {
        if (!vtd_ok(st, inv_reg_one(r, st, sid, am, i, &actual),
                    iotlb ? "IOTLB invalidation"
                          : "context-cache invalidation"))
            return false;
        if (actual == VTD_GRAN_NONE)
            ignored = true;
        if (!i || !(st->gran_ok & (1u << actual)))
            reported = actual;
        seen[actual & 3]++;
    }
    inv_outcome(r, st, ignored);
    if (eng.o.observe) {
        char gran[80];
        size_t k = 0;

        gran[0] = 0;
        for (unsigned g = 0; g < 4; g++)
            if (seen[g])
                k += (size_t)vt_snprintf(gran + k, sizeof(gran) - k, "%s%s:%u",
                                         k ? "," : "", vtd_gran_name(g, iotlb),
                                         seen[g]);
        observe(r, st, "via=reg requests=%u gran=%s", n, gran);
        return true;
    }
    if (st->expect && !st->gran_ok)
        report_info("line %u: through the registers expect= is not judged "
                    "(the unit reports %s)",
                    st->line, vtd_gran_name(reported & 3, iotlb));
    return gran_check(r, st, reported, n, iotlb);
}

static bool exec_inv(struct run *r, const struct scn_stmt *st)
{
    unsigned am = 0;
    uint16_t sid;

    if (!stmt_sid(st, &sid) ||
        ((st->op == SCN_INV_IOTLB || st->op == SCN_INV_PIOTLB) &&
         !stmt_am(st, &am)))
        return false;
    if (st->op == SCN_INV_CC && st->dev >= 0 && !(st->flags & SCN_F_DID) &&
        r->dev_did[st->dev] >= 0) {
        /* device-selective: the DID of the device's context entry */
        struct scn_stmt copy = *st;

        copy.did = (uint16_t)r->dev_did[st->dev];
        return exec_inv_did(r, &copy, sid, am);
    }
    return exec_inv_did(r, st, sid, am);
}

/* What a queued expect= asks for, for the info line of a failed check. */
static const char *expect_text(unsigned expect)
{
    switch (expect) {
    case SCN_EXPECT_OK:
        return "completion";
    case SCN_EXPECT_IQE:
        return "FSTS.IQE with IQH at the descriptor";
    default:
        return "completion, or FSTS.IQE with IQH at the descriptor";
    }
}

/* A queued statement's outcome: where the queue stopped, counted from
 * its descriptor (slot), FSTS and IQERCD. */
static void observe_queue(struct run *r, const struct scn_stmt *st, int rc,
                          unsigned slot, const char *more)
{
    char at[16] = "-";

    if (rc != VTD_OK)
        vt_snprintf(at, sizeof(at), "%u",
                    (r->qi.err.head + r->qi.nent - slot) % r->qi.nent);
    observe(r, st, "result=%s at=%s fsts=0x%08x iqercd=0x%lx%s", observe_rc(rc),
            at, rc != VTD_OK ? r->qi.err.fsts : vtd_read32(&eng.u, VTD_FSTS),
            (unsigned long)(rc != VTD_OK ? r->qi.err.iqercd : 0), more);
}

/* One descriptor, judged by expect= (qi raw, inv iec). */
static bool queue_one(struct run *r, const struct scn_stmt *st,
                      struct vtd_desc d)
{
    unsigned slot;
    bool pass;
    int rc;

    if (!qi_on(r, st))
        return false;
    slot = r->qi.tail;
    rc = vtd_qi_sync(&r->qi, &d, 1);
    inv_outcome(r, st, rc == VTD_EIQE);
    if (eng.o.observe)
        observe_queue(r, st, rc, slot, "");
    else if (st->expect == SCN_EXPECT_ANY) {
        report_info("line %u: %s", st->line,
                    rc == VTD_OK ? "completed" : vtd_errmsg(&eng.u));
    } else {
        bool ok = rc == VTD_OK, iqe = rc == VTD_EIQE && r->qi.err.head == slot;

        pass = queue_expected(st, ok, iqe);
        if (!check(r, st, pass))
            report_info("line %u: expected %s; %s", st->line,
                        expect_text(st->expect),
                        rc ? vtd_errmsg(&eng.u) : "completed without an error");
        else if (st->expect == SCN_EXPECT_OK_OR_IQE)
            report_info("line %u: %s", st->line,
                        ok ? "completed" : "stopped at it with IQE");
    }
    return queue_settle(r, st, rc, "queued descriptor");
}

static bool exec_qi_raw(struct run *r, const struct scn_stmt *st)
{
    return queue_one(r, st,
                     (struct vtd_desc){
                         { st->qw[0], st->qw[1], st->qw[2], st->qw[3] } });
}

/* qi wait: one wait descriptor with the statement's flags. Completion is
 * the status write (SW), or the head passing it; IF must set ICS.IWC
 * (6.5.2.8), which is cleared again afterwards. */
static bool exec_qi_wait(struct run *r, const struct scn_stmt *st)
{
    uint64_t flags = (uint64_t)st->wait << 4;
    unsigned slot;
    bool pass, iwc;
    int rc;

    if (!qi_on(r, st))
        return false;
    /* An IWC left over would make the IF check meaningless. */
    vtd_write32(&eng.u, VTD_ICS, VTD_ICS_IWC);
    slot = r->qi.tail;
    rc = vtd_qi_wait_raw(&r->qi, flags);
    iwc = rc == VTD_OK && (r->qi.ics & VTD_ICS_IWC);
    {
        bool ok = rc == VTD_OK && (!(st->wait & SCN_WAIT_IF) || iwc),
             iqe = rc == VTD_EIQE && r->qi.err.head == slot;

        pass = queue_expected(st, ok, iqe);
        if (pass && st->expect == SCN_EXPECT_OK_OR_IQE)
            report_info("line %u: %s", st->line,
                        ok ? "completed" : "stopped at it with IQE");
    }
    if (eng.o.observe) {
        char ics[24];

        vt_snprintf(ics, sizeof(ics), " ics=0x%x",
                    rc == VTD_OK ? r->qi.ics : vtd_read32(&eng.u, VTD_ICS));
        observe_queue(r, st, rc, slot, ics);
    } else if (!check(r, st, pass))
        report_info("line %u: expected %s%s; %s%s (ICS 0x%x)", st->line,
                    expect_text(st->expect),
                    (st->wait & SCN_WAIT_IF) && st->expect != SCN_EXPECT_IQE
                        ? " (completion with "
                          "ICS.IWC)"
                        : "",
                    rc ? vtd_errmsg(&eng.u) : "completed",
                    rc == VTD_OK && (st->wait & SCN_WAIT_IF) && !iwc
                        ? ", IWC clear"
                        : "",
                    r->qi.ics);
    vtd_write32(&eng.u, VTD_ICS, VTD_ICS_IWC);
    return queue_settle(r, st, rc, "invalidation wait");
}

static bool exec_inv_devtlb(struct run *r, const struct scn_stmt *st)
{
    uint16_t sid;

    if (!stmt_sid(st, &sid) || !qi_on(r, st))
        return false;
    return inv_queued(r, st, sid, 0);
}

/* ---------------------------------------------------------- table edits */

static bool exec_entry(struct run *r, const struct scn_stmt *st)
{
    uint16_t sid = st->sid;
    uint64_t lo, hi;

    if (!(st->flags & SCN_F_ROOT_BUS)) {
        struct edu *e = device(st);

        if (!e)
            return false;
        sid = e->sid;
    }
    if (r->sm.on)
        return vtd_ok(st, scn_sm_edit(&r->sm, sid, st), "scalable-mode entry");
    if (st->op == SCN_PASID || st->op == SCN_PDIR || st->word > 1)
        return fail(st, "a scalable-mode entry: set mode=scalable first", 0);
    if (st->op == SCN_ROOT) {
        struct vtd_root_entry *re = vtd_root_entry(&r->rt, sid >> 8);

        if (!re)
            return fail(st, "no root entry", 0);
        lo = re->lo;
        hi = re->hi;
    } else {
        struct vtd_ctx_entry *ce = vtd_ctx_entry(&r->rt, sid);

        if (!ce)
            return fail(st, "the bus has no context table (attach first)", 0);
        lo = ce->lo;
        hi = ce->hi;
    }
    if (st->word) {
        hi = (hi & ~st->clear) | st->set;
    } else {
        lo = (lo & ~st->clear) | st->set;
    }
    if (st->op == SCN_ROOT)
        return vtd_ok(st, vtd_root_set_raw(&r->rt, (uint8_t)(sid >> 8), lo, hi),
                      "root entry");
    return vtd_ok(st, vtd_ctx_set_raw(&r->rt, sid, lo, hi), "context entry");
}

static bool exec_pte(struct run *r, const struct scn_stmt *st)
{
    struct vtd_domain *d = &r->dom[st->dom];
    uint64_t iova = addr_of(r, &st->iova), v;
    int rc = vtd_pte_get(d, iova, st->level, &v);

    if (rc)
        return fail(st, "the walk does not reach that level", rc);
    v = (v & ~st->clear) | st->set;
    if (st->flags & SCN_F_ADDR)
        v = (v & ~VTD_SL_ADDR) | (addr_of(r, &st->pa) & VTD_SL_ADDR);
    return vtd_ok(st, vtd_pte_set(d, iova, st->level, v), "page-table entry");
}

/* -------------------------------------------------------------- registers */

/* How many reads or writes of a sweep to list. */
#define REG_SHOW 8

static uint64_t reg_ones(unsigned width)
{
    return width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
}

static uint64_t reg_resolve(const struct scn_reg_off *o)
{
    switch (o->base) {
    case SCN_RB_IRO:
        return (uint64_t)eng.u.caps.iro + o->k;
    case SCN_RB_FRO:
        return (uint64_t)eng.u.caps.fro + o->k;
    }
    return o->k;
}

/* "0x01c (gsts)", "0x0f4 (iva+4)", or "0x238" in a hole. */
static const char *reg_where_name(uint64_t off)
{
    static char buf[48];
    const struct vtd_reg_info *ri = vtd_reg_at(&eng.u, off);
    uint64_t start = ri ? vtd_reg_start(&eng.u, ri) : 0;

    if (!ri)
        vt_snprintf(buf, sizeof(buf), "0x%03lx", (unsigned long)off);
    else if (off == start)
        vt_snprintf(buf, sizeof(buf), "0x%03lx (%s)", (unsigned long)off,
                    ri->name);
    else
        vt_snprintf(buf, sizeof(buf), "0x%03lx (%s+0x%lx)", (unsigned long)off,
                    ri->name, (unsigned long)(off - start));
    return buf;
}

/* The value of a statement's VALUE or expect= at run time. */
static bool reg_value_of(const struct run *r, const struct scn_stmt *st,
                         uint64_t *out)
{
    const struct scn_reg_val *v = &st->reg.val;
    uint64_t ones = reg_ones(st->reg.width), x = v->k;

    if (v->ones) {
        *out = ones;
        return true;
    }
    if (v->buf >= 0)
        x += r->buf[v->buf].pa;
    if (v->saved >= 0)
        x += r->saved[v->saved];
    if (x & ~ones) {
        report_error("line %u: %s: the value 0x%lx does not fit %u byte%s",
                     st->line, stmt_text(st), (unsigned long)x, st->reg.width,
                     st->reg.width == 1 ? "" : "s");
        return false;
    }
    *out = x;
    return true;
}

/* The accesses of a statement: first, last (inclusive start), step. */
static bool reg_span(const struct scn_stmt *st, uint64_t *first, uint64_t *last,
                     uint64_t *step)
{
    const struct scn_reg *g = &st->reg;
    uint64_t from = reg_resolve(&g->from), to;

    *first = *last = from;
    *step = 1;
    if (g->sweep) {
        to = reg_resolve(&g->to);
        *step = g->step;
        if (to + 1 < from + g->width) {
            report_error("line %u: %s: the range 0x%lx..0x%lx holds no "
                         "access of %u bytes in this unit",
                         st->line, stmt_text(st), (unsigned long)from,
                         (unsigned long)to, g->width);
            return false;
        }
        *last = from + (to + 1 - g->width - from) / g->step * g->step;
    }
    if (*last + g->width > eng.reg_size) {
        report_error("line %u: %s: an access at 0x%lx of %u bytes goes "
                     "beyond the unit's register space (0x%lx bytes, the "
                     "DRHD's Size)",
                     st->line, stmt_text(st), (unsigned long)*last, g->width,
                     (unsigned long)eng.reg_size);
        return false;
    }
    return true;
}

static bool reg_skipped(const struct scn_stmt *st, uint64_t off)
{
    return st->reg.reserved && !vtd_reg_reserved(&eng.u, off, st->reg.width);
}

static bool exec_reg_write(struct run *r, const struct scn_stmt *st)
{
    uint64_t first, last, step, v, n = 0;

    if (!reg_span(st, &first, &last, &step) || !reg_value_of(r, st, &v))
        return false;
    v = (v & ~st->reg.clear) | st->reg.set;
    r->raw_writes = true;
    for (uint64_t off = first; off <= last; off += step) {
        if (reg_skipped(st, off))
            continue;
        vtd_reg_write(&eng.u, off, st->reg.width, v);
        n++;
    }
    r->regs += n;
    if (eng.o.observe) {
        observe(r, st, "from=0x%lx to=0x%lx width=%u writes=%lu value=0x%lx",
                (unsigned long)first, (unsigned long)last, st->reg.width,
                (unsigned long)n, (unsigned long)v);
        return true;
    }
    if (st->reg.sweep)
        report_info("line %u: %lu write%s of 0x%lx, %u byte%s each, from "
                    "0x%lx to 0x%lx",
                    st->line, (unsigned long)n, n == 1 ? "" : "s",
                    (unsigned long)v, st->reg.width,
                    st->reg.width == 1 ? "" : "s", (unsigned long)first,
                    (unsigned long)last);
    return true;
}

/* One read: saved, judged, or shown. */
static bool reg_read_one(struct run *r, const struct scn_stmt *st, uint64_t off)
{
    const struct scn_reg *g = &st->reg;
    uint64_t got = vtd_reg_read(&eng.u, off, g->width), want;

    r->regs++;
    if (g->save >= 0)
        r->saved[g->save] = got;
    if (eng.o.observe) {
        observe(r, st, "off=0x%lx width=%u value=0x%lx", (unsigned long)off,
                g->width, (unsigned long)got);
        return true;
    }
    if (!(st->flags & SCN_F_EXPECT)) {
        report_info("line %u: %s reads 0x%0*lx", st->line, reg_where_name(off),
                    2 * g->width, (unsigned long)got);
        return true;
    }
    if (!reg_value_of(r, st, &want))
        return false;
    if (!check(r, st, (got & g->mask) == (want & g->mask)))
        report_info("line %u: %s reads 0x%0*lx, expected 0x%0*lx under "
                    "mask 0x%lx",
                    st->line, reg_where_name(off), 2 * g->width,
                    (unsigned long)got, 2 * g->width, (unsigned long)want,
                    (unsigned long)g->mask);
    return true;
}

/* A sweep of reads: one check when expect= is given (every read must
 * match), else what was read, the values that are not 0 first. */
static bool reg_read_sweep(struct run *r, const struct scn_stmt *st,
                           uint64_t first, uint64_t last, uint64_t step)
{
    const struct scn_reg *g = &st->reg;
    uint64_t want = 0, n = 0, odd = 0, off, got;
    uint64_t at[REG_SHOW], val[REG_SHOW];
    bool judge = (st->flags & SCN_F_EXPECT) && !eng.o.observe;

    if (judge && !reg_value_of(r, st, &want))
        return false;
    for (off = first; off <= last; off += step) {
        if (reg_skipped(st, off))
            continue;
        got = vtd_reg_read(&eng.u, off, g->width);
        n++;
        r->regs++;
        /* judged: the reads that differ; shown: those that are not 0 */
        if (judge ? (got & g->mask) == (want & g->mask) : !got)
            continue;
        if (odd < REG_SHOW) {
            at[odd] = off;
            val[odd] = got;
        }
        odd++;
    }
    if (eng.o.observe) {
        char list[REG_SHOW * 40];
        size_t k = 0;

        list[0] = 0;
        for (uint64_t i = 0; i < odd && i < REG_SHOW; i++)
            k += (size_t)vt_snprintf(list + k, sizeof(list) - k,
                                     "%s0x%lx:0x%lx", i ? "," : "",
                                     (unsigned long)at[i],
                                     (unsigned long)val[i]);
        if (odd > REG_SHOW)
            vt_snprintf(list + k, sizeof(list) - k, ",+%lu",
                        (unsigned long)(odd - REG_SHOW));
        observe(r, st,
                "from=0x%lx to=0x%lx width=%u reads=%lu nonzero=%lu "
                "values=%s",
                (unsigned long)first, (unsigned long)last, g->width,
                (unsigned long)n, (unsigned long)odd, odd ? list : "-");
        return true;
    }
    if (judge && !check(r, st, !odd))
        report_info("line %u: %lu of %lu reads differ from 0x%lx under "
                    "mask 0x%lx:",
                    st->line, (unsigned long)odd, (unsigned long)n,
                    (unsigned long)want, (unsigned long)g->mask);
    else if (!judge)
        report_info("line %u: %lu read%s of %u byte%s from 0x%lx to 0x%lx, "
                    "%lu not 0%s",
                    st->line, (unsigned long)n, n == 1 ? "" : "s", g->width,
                    g->width == 1 ? "" : "s", (unsigned long)first,
                    (unsigned long)last, (unsigned long)odd, odd ? ":" : "");
    if (judge && !odd)
        return true;
    for (uint64_t i = 0; i < odd && i < REG_SHOW; i++)
        report_info("line %u:   %s reads 0x%0*lx", st->line,
                    reg_where_name(at[i]), 2 * g->width, (unsigned long)val[i]);
    if (odd > REG_SHOW)
        report_info("line %u:   and %lu more", st->line,
                    (unsigned long)(odd - REG_SHOW));
    return true;
}

static bool exec_reg_read(struct run *r, const struct scn_stmt *st)
{
    uint64_t first, last, step;

    if (!reg_span(st, &first, &last, &step))
        return false;
    if (!st->reg.sweep)
        return reg_read_one(r, st, first);
    return reg_read_sweep(r, st, first, last, step);
}

/* ------------------------------------------------------------- statements */

static bool exec_domain(struct run *r, const struct scn_stmt *st)
{
    const struct scn_domain_decl *dd = &r->c->dom[st->dom];
    unsigned levels;
    int rc;

    if (dd->aw)
        levels = (dd->aw - 30) / 9 + 2;
    else if (eng.u.caps.sagaw & (1u << VTD_AW_39))
        levels = 3;
    else
        levels = (unsigned)vtd_aw_max(&eng.u) + 2;
    rc = dd->first ? vtd_dom_init_fs(&r->dom[st->dom], &eng.u, st->did, levels)
                   : vtd_dom_init(&r->dom[st->dom], &eng.u, st->did, levels);
    if (rc)
        return fail(st, "domain", rc);
    r->dom_ok[st->dom] = true;
    return true;
}

static bool exec_attach(struct run *r, const struct scn_stmt *st)
{
    struct edu *e = device(st);
    struct vtd_ctx_cfg cfg = { .fpd = st->flags & SCN_F_FPD };
    int aw;

    if (!e)
        return false;
    if (r->sm.on) {
        uint16_t did = 0;

        if (!vtd_ok(st,
                    scn_sm_attach(&r->sm, e->sid, st,
                                  st->op == SCN_ATTACH_PT ? NULL
                                                          : &r->dom[st->dom],
                                  &did),
                    "scalable-mode context and PASID-table entries"))
            return false;
        r->dev_did[st->dev] = did;
        return true;
    }
    if (st->pgtt || st->pasid)
        return fail(st, "pgtt= and pasid=: set mode=scalable first", 0);
    if (st->op == SCN_ATTACH_PT) {
        aw = vtd_aw_max(&eng.u);
        cfg.tt = VTD_TT_PT;
        cfg.aw = aw < 0 ? 0 : (unsigned)aw;
        cfg.did = st->did;
    } else {
        const struct vtd_domain *d = &r->dom[st->dom];

        cfg.tt = (st->flags & SCN_F_TT_DEVTLB) ? VTD_TT_DEVTLB : VTD_TT_MULTI;
        cfg.aw = d->aw;
        cfg.did = d->did;
        cfg.slptptr = d->root_pa;
    }
    if (!vtd_ok(st, vtd_ctx_set(&r->rt, e->sid, &cfg), "context entry"))
        return false;
    r->dev_did[st->dev] = cfg.did;
    return true;
}

static bool exec_enable(struct run *r, const struct scn_stmt *st)
{
    struct vtd_unit *u = &eng.u;

    if (r->sm.on)
        return vtd_ok(st, scn_sm_enable(&r->sm, u),
                      "scalable-mode root table (TTM=01), invalidation, TE");
    if (!vtd_ok(st, vtd_rt_install(&r->rt), "root table pointer (SRTP)"))
        return false;
    /* Without ESRTPS the caches may hold entries of the previous table:
     * global context-cache and IOTLB invalidation (10.4.4), through the
     * interface in use. */
    if (!vtd_has_cap(u, VTD_CAP_ESRTPS) &&
        !vtd_ok(st, vtd_inv_all(u), "global invalidation after SRTP"))
        return false;
    return vtd_ok(st, vtd_translation_enable(u), "translation enable (TE)");
}

/* set mode=scalable: the queue of 256-bit descriptors (6.5.2: 128-bit
 * ones are invalid in scalable mode), then the scalable-mode tables,
 * before the root table pointer is latched. */
static bool exec_set_mode(struct run *r, const struct scn_stmt *st)
{
    if (vtd_gsts(&eng.u) & VTD_GCMD_TE)
        return fail(st, "set mode=scalable goes before enable", 0);
    r->via = SCN_VIA_QI;
    r->dw = true;
    if (!qi_on(r, st))
        return false;
    return vtd_ok(st, scn_sm_start(&r->sm, &eng.u), "scalable-mode tables");
}

/* set via=...: the invalidation interface, and the queue's shape. */
static bool exec_set(struct run *r, const struct scn_stmt *st)
{
    r->via = st->via;
    if (st->via == SCN_VIA_QI) {
        r->qs = st->qs;
        /* scalable mode keeps 256-bit descriptors unless dw= says */
        if ((st->flags & SCN_F_QI_DW_GIVEN) || !r->sm.on)
            r->dw = st->flags & SCN_F_QI_DW;
    }
    return use_via(r, st);
}

static bool exec_fill(struct run *r, const struct scn_stmt *st)
{
    for (uint64_t i = 0; i < st->len; i++)
        r->buf[st->buf].va[st->offset + i] = scn_pattern_byte(st->pattern,
                                                              st->seed,
                                                              st->offset + i);
    return true;
}

static bool exec_detach(struct run *r, const struct scn_stmt *st)
{
    struct edu *e = device(st);

    if (!e || !vtd_ok(st,
                      r->sm.on ? scn_sm_detach(&r->sm, e->sid)
                               : vtd_ctx_clear(&r->rt, e->sid),
                      "context entry"))
        return false;
    r->dev_did[st->dev] = -1;
    return true;
}

/* map, unmap, protect, split, merge: a domain's second-level tables. */
static bool exec_mapping(struct run *r, const struct scn_stmt *st)
{
    struct vtd_domain *d = st->dom >= 0 ? &r->dom[st->dom] : NULL;
    uint64_t iova = addr_of(r, &st->iova);

    switch (st->op) {
    case SCN_MAP:
        return vtd_ok(st,
                      vtd_map(d, iova, addr_of(r, &st->pa), st->size, st->perm,
                              st->page),
                      "map");
    case SCN_UNMAP:
        return vtd_ok(st, vtd_unmap(d, iova, st->size), "unmap");
    case SCN_PROTECT:
        return vtd_ok(st, vtd_protect(d, iova, st->size, st->perm), "protect");
    case SCN_SPLIT:
        return vtd_ok(st, vtd_split(d, iova, st->level), "split");
    default:
        return vtd_ok(st, vtd_merge(d, iova, st->level), "merge");
    }
}

static bool exec(struct run *r, const struct scn_stmt *st)
{
    switch (st->op) {
    case SCN_SET:
        return exec_set(r, st);
    case SCN_SET_MODE:
        return exec_set_mode(r, st);
    case SCN_DOMAIN:
        return exec_domain(r, st);
    case SCN_BUFFER:
        return buffer_alloc(r, st);
    case SCN_FILL:
        return exec_fill(r, st);
    case SCN_ATTACH:
    case SCN_ATTACH_PT:
        return exec_attach(r, st);
    case SCN_DETACH:
        return exec_detach(r, st);
    case SCN_ENABLE:
        return exec_enable(r, st);
    case SCN_DISABLE:
        return vtd_ok(st, vtd_translation_disable(&eng.u), "translation off");
    case SCN_MAP:
    case SCN_UNMAP:
    case SCN_PROTECT:
    case SCN_SPLIT:
    case SCN_MERGE:
        return exec_mapping(r, st);
    case SCN_PTE:
        return exec_pte(r, st);
    case SCN_CTX:
    case SCN_ROOT:
    case SCN_PASID:
    case SCN_PDIR:
        return exec_entry(r, st);
    case SCN_INV_CC:
    case SCN_INV_IOTLB:
    case SCN_INV_PC:
    case SCN_INV_PIOTLB:
        return exec_inv(r, st);
    case SCN_INV_DEVTLB:
        return exec_inv_devtlb(r, st);
    case SCN_QI_RAW:
        return exec_qi_raw(r, st);
    case SCN_QI_WAIT:
        return exec_qi_wait(r, st);
    case SCN_DMA_WAIT:
        return exec_dma_wait(r, st);
    case SCN_DMA:
        return exec_dma(r, st);
    case SCN_CHECK:
        return exec_check(r, st);
    case SCN_CHECK_EITHER:
        return exec_check_either(r, st);
    case SCN_NOTE:
        report_info("%.*s", (int)st->text_len, st->text);
        return true;
    case SCN_REG_READ:
        return exec_reg_read(r, st);
    case SCN_REG_WRITE:
        return exec_reg_write(r, st);
    case SCN_IR:
    case SCN_IRTE:
    case SCN_INV_IEC:
    case SCN_MSI:
    case SCN_IOAPIC:
        return scn_ir_exec(st);
    }
    return fail(st, "statement not implemented", 0);
}

/* --------------------------------------------------------------- scenario */

static bool setup(struct run *r)
{
    struct vtd_unit *u = &eng.u;
    int rc;

    for (unsigned i = 0; i < SCN_MAX_DEVICES; i++)
        r->dev_did[i] = -1;
    r->via = eng.o.via == SCN_VIA_QI ? SCN_VIA_QI : SCN_VIA_REG;
    rc = vtd_unit_quiesce(u);
    if (rc) {
        report_error("set-up: quiesce: %s: %s", vtd_strerror(rc),
                     vtd_errmsg(u));
        return false;
    }
    rc = vtd_rt_init(&r->rt, u);
    if (rc) {
        report_error("set-up: root table: %s: %s", vtd_strerror(rc),
                     vtd_errmsg(u));
        return false;
    }
    r->rt_ok = true;
    if (r->via == SCN_VIA_QI) {
        struct scn_stmt st = { .line = r->c->line,
                               .text = "set-up",
                               .text_len = 6 };

        return qi_on(r, &st);
    }
    return true;
}

static void teardown(struct run *r)
{
    struct vtd_unit *u = &eng.u;
    unsigned abandoned;
    int rc;

    /* A transfer still running would reach memory about to be freed. */
    for (unsigned i = 0; i < SCN_MAX_DEVICES; i++) {
        if (!r->pending[i].on || i >= eng.m.nr_edu || !eng.m.edu[i])
            continue;
        report_info("line %u: the transfer started here was never waited "
                    "for",
                    r->pending[i].line);
        if (edu_dma_wait(eng.m.edu[i], DMA_TIMEOUT_NS) != EDU_OK) {
            report_error("clean-up: edu%u's transfer did not finish; no "
                         "further scenario runs",
                         i);
            eng.unit_broken = true;
            vt_snprintf(eng.unit_why, sizeof(eng.unit_why),
                        "a transfer of "
                        "scenario %s did not finish",
                        r->c->name);
            return;
        }
    }
    /* Raw register writes may have left GCMD other than the driver's
     * copy says: the clean-up starts from what GSTS shows. Nothing else
     * the script changed is put back here. */
    if (r->raw_writes && (vtd_gsts(u) & VTD_GCMD_PERSIST) != u->gcmd) {
        report_info("clean-up: GSTS 0x%08x, the driver's copy of the "
                    "enables 0x%08x: taking GSTS's",
                    vtd_gsts(u), u->gcmd);
        vtd_unit_resync(u);
    }
    abandoned = u->queues_abandoned;
    rc = vtd_unit_quiesce(u);
    if (!rc && u->queues_abandoned != abandoned)
        report_info("clean-up: the queue refused even an invalidation wait "
                    "(IQE again): its descriptors were dropped and QI "
                    "turned off");
    if (rc) {
        /* The unit may still walk our tables or fetch from our queue:
         * leave them allocated, and run nothing more on it. */
        report_error("clean-up: quiesce: %s: %s; no further scenario runs",
                     vtd_strerror(rc), vtd_errmsg(u));
        eng.unit_broken = true;
        vt_snprintf(eng.unit_why, sizeof(eng.unit_why),
                    "the clean-up of "
                    "scenario %s failed",
                    r->c->name);
        return;
    }
    scn_ir_end();
    rc = scn_sm_end(&r->sm, u, r->rt.root_pa);
    if (rc)
        report_info("clean-up: legacy root table pointer: %s: %s",
                    vtd_strerror(rc), vtd_errmsg(u));
    if (r->qi_ok)
        vtd_qi_destroy(&r->qi);
    for (unsigned i = 0; i < SCN_MAX_DOMAINS; i++)
        if (r->dom_ok[i])
            vtd_dom_destroy(&r->dom[i]);
    if (r->rt_ok)
        vtd_rt_destroy(&r->rt);
    for (unsigned i = 0; i < SCN_MAX_BUFFERS; i++)
        if (r->buf[i].alloc)
            plat_free_pages(r->buf[i].alloc, r->buf[i].pages);
}

static void run_scenario(const struct scn_script *s,
                         const struct scn_scenario *c)
{
    struct run *r = &eng.run;
    uint64_t t0 = plat_now_ns();
    const char *why;
    unsigned line;

    const struct scn_error *e = c->error >= 0 ? &s->err[c->error] : NULL;

    report_prefix_push("%s", c->name);
    vt_printf("# scenario %s (%s:%u): %.*s\n", c->name, s->file, c->line,
              (int)c->title_len, c->title);
    if (e && (!eng.unit_ok || eng.unit_broken || unmet(c, &line))) {
        report_error("%s:%u: %s", s->file, e->line, e->msg);
        report_prefix_pop();
        return;
    }
    if (!eng.unit_ok || eng.unit_broken) {
        report_skip(eng.unit_why, "line %u: scenario", c->line);
        report_prefix_pop();
        return;
    }
    why = unmet(c, &line);
    if (why) {
        report_skip(why, "line %u: requirements", line);
        report_prefix_pop();
        return;
    }
    memset(r, 0, sizeof(*r));
    r->s = s;
    r->c = c;
    /* A scenario with a parse error runs up to the line of the error,
     * then reports it: what a script says comes out in line order. */
    if (setup(r)) {
        for (unsigned i = 0; i < c->count; i++) {
            if (e && s->stmt[c->first + i].line > e->line)
                break;
            if (!exec(r, &s->stmt[c->first + i]))
                break;
        }
    }
    teardown(r);
    if (e)
        report_error("%s:%u: %s", s->file, e->line, e->msg);
    if (eng.o.observe && !e)
        report(true, "observed %u statement%s", r->observed,
               r->observed == 1 ? "" : "s");
    else if (!r->checks && !e)
        report_info("made no check");
    if (r->regs)
        vt_printf("# scenario %s: %u checks, %u DMAs, %lu register "
                  "accesses, %lu ms\n",
                  c->name, r->checks, r->dmas, (unsigned long)r->regs,
                  (unsigned long)((plat_now_ns() - t0) / 1000000));
    else
        vt_printf("# scenario %s: %u checks, %u DMAs, %lu ms\n", c->name,
                  r->checks, r->dmas,
                  (unsigned long)((plat_now_ns() - t0) / 1000000));
    report_prefix_pop();
}

/* ----------------------------------------------------------------- public */

void scn_engine_init(const struct scn_machine *m, const struct scn_options *o)
{
    int rc;

    memset(&eng.u, 0, sizeof(eng.u));
    eng.m = *m;
    eng.o = *o;
    eng.unit_ok = false;
    eng.unit_broken = false;
    select_parse(o->select);
    if (!m->unit_base) {
        vt_snprintf(eng.unit_why, sizeof(eng.unit_why),
                    "no remapping "
                    "unit: %s",
                    m->no_unit ? m->no_unit : "none found");
        return;
    }
    rc = vtd_unit_init(&eng.u, m->unit_base);
    if (rc) {
        report_error("remapping unit at 0x%lx: %s: %s",
                     (unsigned long)m->unit_base, vtd_strerror(rc),
                     vtd_errmsg(&eng.u));
        eng.unit_broken = true;
        vt_snprintf(eng.unit_why, sizeof(eng.unit_why),
                    "the remapping "
                    "unit did not initialise");
        return;
    }
    if (m->haw)
        eng.u.haw = m->haw;
    eng.reg_size = m->unit_size ? m->unit_size : 0x1000;
    rc = vtd_reg_window(&eng.u, eng.reg_size);
    if (rc) {
        report_error("remapping unit at 0x%lx: %s", (unsigned long)m->unit_base,
                     vtd_errmsg(&eng.u));
        eng.unit_broken = true;
        vt_snprintf(eng.unit_why, sizeof(eng.unit_why),
                    "the remapping "
                    "unit's registers could not be mapped");
        return;
    }
    eng.unit_ok = true;
    vt_printf("# scenarios: unit at 0x%lx, %u edu device%s, invalidation "
              "%s unless a scenario says otherwise\n",
              (unsigned long)m->unit_base, m->nr_edu, m->nr_edu == 1 ? "" : "s",
              o->via == SCN_VIA_QI ? "queued" : "through the registers");
}

unsigned scn_run_script(const char *name, const char *text, size_t len)
{
    struct scn_script *s = &eng.script;
    unsigned ran = 0, nerr = scn_parse(s, name, text, len);

    /* Errors outside any scenario belong to the script: shown when the
     * script or one of its scenarios is selected. */
    bool wanted = !eng.nsel || selected(name, "");

    for (unsigned k = 0; k < s->nscn && !wanted; k++)
        wanted = selected(name, s->scn[k].name);
    for (unsigned i = 0; i < s->nerr && wanted; i++) {
        bool owned = false;

        for (unsigned k = 0; k < s->nscn; k++)
            owned |= s->scn[k].error == (int)i;
        if (!owned)
            report_error("%s:%u: %s", name, s->err[i].line, s->err[i].msg);
    }
    if (s->errors_lost && wanted)
        report_error("%s: %u more parse errors not shown", name,
                     s->errors_lost);
    if (nerr && !s->nscn)
        return 0;
    for (unsigned i = 0; i < s->nscn; i++) {
        if (!selected(name, s->scn[i].name))
            continue;
        run_scenario(s, &s->scn[i]);
        ran++;
    }
    return ran;
}

unsigned scn_run_builtin(void)
{
    unsigned ran = 0;

    for (unsigned i = 0; i < scn_nr_builtin; i++)
        ran += scn_run_script(scn_builtin[i].name, scn_builtin[i].text,
                              scn_builtin[i].len);
    return ran;
}

unsigned scn_run_modules(void)
{
    struct plat_module m;
    unsigned ran = 0;

    for (unsigned i = 0; plat_module(i, &m); i++) {
        const char *name = m.name && *m.name ? m.name : "module";
        const char *base = name;

        /* The file name without its directory and arguments. */
        for (const char *p = name; *p && *p != ' '; p++)
            if (*p == '/')
                base = p + 1;
        {
            static char file[64];
            size_t n = 0;

            while (base[n] && base[n] != ' ' && n + 1 < sizeof(file)) {
                file[n] = base[n];
                n++;
            }
            file[n] = 0;
            vt_printf("# module %u: %s, %lu bytes\n", i, file,
                      (unsigned long)m.size);
            ran += scn_run_script(file, m.data, m.size);
        }
    }
    return ran;
}

bool scn_begin(const struct scn_scenario *c)
{
    struct run *r = &eng.run;

    if (!eng.unit_ok || eng.unit_broken)
        return false;
    memset(r, 0, sizeof(*r));
    r->c = c;
    return setup(r);
}

bool scn_step(const struct scn_stmt *st)
{
    return exec(&eng.run, st);
}

void scn_end(void)
{
    teardown(&eng.run);
}

const struct vtd_domain *scn_domain(unsigned i)
{
    return i < SCN_MAX_DOMAINS && eng.run.dom_ok[i] ? &eng.run.dom[i] : NULL;
}

void scn_engine_finish(void)
{
    for (unsigned i = 0; i < eng.nsel; i++)
        if (!eng.sel_hit[i])
            report_error("scenario=%.*s: no scenario or script of that name",
                         (int)eng.sel_len[i], eng.sel[i]);
}

/* ------------------------------ for statements in other files (ext.h) */

struct vtd_unit *scn_eng_unit(void)
{
    return &eng.u;
}

const struct scn_machine *scn_eng_machine(void)
{
    return &eng.m;
}

struct edu *scn_eng_device(const struct scn_stmt *st)
{
    return device(st);
}

struct vtd_qi *scn_eng_queue(const struct scn_stmt *st)
{
    return qi_on(&eng.run, st) ? &eng.run.qi : NULL;
}

bool scn_eng_queue_desc(const struct scn_stmt *st, const struct vtd_desc *d)
{
    return qi_on(&eng.run, st) && queue_one(&eng.run, st, *d);
}

bool scn_eng_check(const struct scn_stmt *st, bool pass)
{
    return check(&eng.run, st, pass);
}

bool scn_eng_observing(void)
{
    return eng.o.observe;
}

void scn_eng_observe(const struct scn_stmt *st, const char *fmt, ...)
{
    char buf[400];
    va_list ap;

    va_start(ap, fmt);
    vt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    observe(&eng.run, st, "%s", buf);
}

bool scn_eng_fail(const struct scn_stmt *st, const char *what, int rc)
{
    return fail(st, what, rc);
}

const char *scn_eng_faults_text(const struct vtd_fault_log *log)
{
    return observe_faults(log);
}

void scn_eng_print_faults(const struct vtd_fault_log *log)
{
    print_faults(log);
}
