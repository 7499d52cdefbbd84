/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/ir.c — running the interrupt remapping statements (engine/ir.h,
 * tests/scenarios/README.md "Interrupt remapping").
 *
 * A scenario may make up to IR_MAX_TABLES tables (`ir table`); IRTEs go to
 * the newest. A vector an IRTE names is claimed on first use and stays
 * this file's: its handler counts arrivals. `msi` programs the device's
 * MSI capability with the message, raises one interrupt, waits a bounded
 * time, puts the device's own message back and reads the fault records.
 */
#include <string.h>

#include "lib/edu.h"
#include "lib/ioapic.h"
#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/report.h"
#include "lib/wait.h"
#include "engine/engine.h"
#include "engine/engine_ext.h"
#include "engine/ir.h"
#include "vtd/fault.h"
#include "vtd/ir.h"
#include "vtd/qi.h"

#define IR_MAX_TABLES 4
/* An interrupt the unit lets through reaches the CPU during the write
 * that raised it (QEMU, the hosted machine); the bound is a safety net,
 * and what a no-irq expectation waits. */
#define IRQ_WAIT_NS   (20 * NS_PER_MS)

static struct {
    struct vtd_irt t[IR_MAX_TABLES];
    bool eime[IR_MAX_TABLES];
    unsigned nt;
    bool claimed[256];
    volatile unsigned arrived[256];
    struct ioapic io;
    bool io_ok;
    int io_pin; /* a pin an `ioapic` statement programmed, -1 */
} ir = { .io_pin = -1 };

static void irq_counted(void *arg)
{
    ir.arrived[(uintptr_t)arg & 0xFF]++;
}

/* The vector's arrivals are counted here from now on: true when it is
 * ours (now or before). */
static bool claim(unsigned vector)
{
    uint64_t addr;
    uint32_t data;

    if (vector > 0xFF)
        return false;
    if (ir.claimed[vector])
        return true;
    if (plat_msi_claim(vector, irq_counted, (void *)(uintptr_t)vector, &addr,
                       &data))
        return false;
    ir.claimed[vector] = true;
    return true;
}

/* This CPU's APIC ID: the destination of the devices' own messages. */
static uint32_t self_apic_id(void)
{
    const struct scn_machine *m = scn_eng_machine();

    for (unsigned i = 0; i < m->nr_edu; i++)
        if (m->edu[i] && m->edu[i]->msi)
            return (uint32_t)FIELD_GET(VTD_MSI_COMPAT_DEST,
                                       m->edu[i]->msi_addr);
    return 0;
}

/* ------------------------------------------------------------------ ir */

static bool ir_table(const struct scn_stmt *st)
{
    struct vtd_unit *u = scn_eng_unit();
    struct vtd_irt *t;
    int rc;

    if (ir.nt == IR_MAX_TABLES)
        return scn_eng_fail(st, "more than 4 tables in one scenario", 0);
    t = &ir.t[ir.nt];
    rc = vtd_irt_init(t, u, st->ir.s);
    if (rc)
        return scn_eng_fail(st, "interrupt remapping table", rc);
    ir.eime[ir.nt++] = st->ir.on;
    rc = vtd_ir_set_table(u, t, st->ir.on, st->ir.sirtp);
    return rc ? scn_eng_fail(st, "IRTA/SIRTP", rc) : true;
}

/* IRE=1 after the programming sequence of 5.1.4 and 11.4.4: a latched
 * table, queued invalidation on, the interrupt entry cache invalidated. */
static bool ir_on(const struct scn_stmt *st)
{
    struct vtd_desc d = vtd_desc_iec(false, 0, 0);
    struct vtd_qi *qi;
    int rc;

    if (!ir.nt)
        return scn_eng_fail(st, "no interrupt remapping table (ir table)", 0);
    qi = scn_eng_queue(st);
    if (!qi)
        return false;
    rc = vtd_qi_sync(qi, &d, 1);
    if (rc)
        return scn_eng_fail(st, "global IEC invalidation", rc);
    rc = vtd_ir_enable(scn_eng_unit(), true);
    return rc ? scn_eng_fail(st, "IRE", rc) : true;
}

/* CFI is a check: GSTS.CFIS must follow (11.4.4.2). A unit that does not
 * acknowledge leaves the scenario going, its enables taken from GSTS. */
static bool ir_cfi(const struct scn_stmt *st)
{
    struct vtd_unit *u = scn_eng_unit();
    int rc = vtd_ir_cfi(u, st->ir.on);

    if (rc && rc != VTD_ETIMEDOUT)
        return scn_eng_fail(st, "CFI", rc);
    if (scn_eng_observing()) {
        scn_eng_observe(st, "gsts=0x%08x", vtd_gsts(u));
    } else if (!scn_eng_check(st, rc == VTD_OK)) {
        report_info("line %u: %s", st->line, vtd_errmsg(u));
    }
    if (rc)
        vtd_unit_resync(u);
    return true;
}

static bool exec_ir(const struct scn_stmt *st)
{
    struct vtd_unit *u = scn_eng_unit();
    int rc;

    switch (st->ir.cmd) {
    case SCN_IR_TABLE:
        return ir_table(st);
    case SCN_IR_SIRTP:
        rc = vtd_gcmd_oneshot(u, VTD_GCMD_SIRTP);
        return rc ? scn_eng_fail(st, "SIRTP", rc) : true;
    case SCN_IR_ON:
        return ir_on(st);
    case SCN_IR_OFF:
        rc = vtd_ir_enable(u, false);
        return rc ? scn_eng_fail(st, "IRE off", rc) : true;
    case SCN_IR_CFI:
        return ir_cfi(st);
    }
    return scn_eng_fail(st, "unknown ir command", 0);
}

/* ---------------------------------------------------------------- irte */

static bool exec_irte(const struct scn_stmt *st)
{
    const struct scn_ir *s = &st->ir;
    struct vtd_irt *t;
    struct vtd_irte e = { 0, 0 };
    int rc;

    if (!ir.nt)
        return scn_eng_fail(st, "no interrupt remapping table (ir table)", 0);
    t = &ir.t[ir.nt - 1];
    if (!(s->flags & SCN_IRTE_NP)) {
        struct vtd_irte_req q = {
            .vector = s->vector,
            .dlm = s->dlm,
            .dm = s->dm,
            .rh = s->rh,
            .tm = s->tm,
            .fpd = s->fpd,
            .dest = (s->flags & SCN_IRTE_DEST_SELF) ? self_apic_id() : s->dest,
            .sid = s->sid,
            .sq = s->sq,
            .svt = s->svt,
        };

        if (s->flags & SCN_IRTE_SID_DEV) {
            struct edu *d;
            struct scn_stmt tmp = *st;

            tmp.dev = s->sid_dev;
            d = scn_eng_device(&tmp);
            if (!d)
                return false;
            q.sid = d->sid;
        }
        if (s->flags & SCN_IRTE_SID_IOAPIC) {
            if (scn_eng_machine()->ioapic_sid < 0)
                return scn_eng_fail(st, "no DMAR scope for the I/O APIC", 0);
            q.sid = (uint16_t)scn_eng_machine()->ioapic_sid;
        }
        e = vtd_irte_remapped(&q, ir.eime[ir.nt - 1]);
        /* Its arrivals are counted from now on, whatever the check. */
        claim(s->vector);
    }
    e.lo = (e.lo & ~s->clear[0]) | s->set[0];
    e.hi = (e.hi & ~s->clear[1]) | s->set[1];
    rc = vtd_irt_write(t, s->index, e);
    return rc ? scn_eng_fail(st, "IRTE", rc) : true;
}

/* ---------------------------------------------------------------- msi */

static bool claim_expected(const struct scn_stmt *st);

/* The message the statement sends. */
static void msi_message(const struct scn_ir *s, uint64_t *addr, uint32_t *data)
{
    bool shv = s->flags & SCN_MSI_SHV;

    if (s->flags & SCN_MSI_COMPAT) {
        *addr = vtd_msi_compat((uint8_t)self_apic_id());
        *data = s->vector;
    } else {
        *addr = vtd_msi_remappable(s->index, shv);
        *data = shv ? s->sub : 0;
    }
    if (s->flags & SCN_MSI_ADDR)
        *addr = s->addr;
    if (s->flags & SCN_MSI_DATA)
        *data = s->data;
}

struct arrivals {
    unsigned before[256];
    unsigned edu_before;
    const struct edu *e;
};

static void arrivals_take(struct arrivals *a, const struct edu *e)
{
    for (unsigned v = 0; v < 256; v++)
        a->before[v] = ir.arrived[v];
    a->edu_before = e ? e->irqs : 0;
    a->e = e;
}

/* The vector that arrived since arrivals_take (the lowest of ours), the
 * device's own vector, or -1. */
static int arrivals_vector(const struct arrivals *a)
{
    for (unsigned v = 0; v < 256; v++)
        if (ir.arrived[v] != a->before[v])
            return (int)v;
    if (a->e && a->e->irqs != a->edu_before)
        return (int)(a->e->msi_data & 0xFF);
    return -1;
}

static bool arrived_any(void *arg)
{
    return arrivals_vector(arg) >= 0;
}

static bool vector_allowed(const struct scn_ir *s, int v)
{
    for (unsigned i = 0; i < s->nvec; i++)
        if (s->vec[i] == v)
            return true;
    return false;
}

/* The interrupt index a fault must carry: index=, else handle plus the
 * subhandle (5.1.2.2); -1 where none is defined (0x20, 0x25). */
static int expected_index(const struct scn_ir *s)
{
    if (s->flags & SCN_MSI_INDEX)
        return s->findex;
    if (s->reason == VTD_FR_IR_REQ_RSVD || s->reason == VTD_FR_IR_COMPAT ||
        !vtd_fault_is_ir(s->reason) || !vtd_fault_is_ir(s->reason2))
        return -1;
    return (s->index + ((s->flags & SCN_MSI_SHV) ? s->sub : 0)) & 0xFFFF;
}

static bool fault_matches(const struct scn_ir *s, const struct vtd_fault *f,
                          uint16_t sid)
{
    int idx = expected_index(s);

    return (f->reason == s->reason || f->reason == s->reason2) &&
           f->sid == sid && (idx < 0 || vtd_fault_ir_index(f) == (unsigned)idx);
}

static void msi_explain(const struct scn_stmt *st, int vec, uint16_t sid,
                        const struct vtd_fault_log *log, uint32_t fectl)
{
    const struct scn_ir *s = &st->ir;
    char want[160];

    if (s->expect == SCN_IRQ_ARRIVES)
        vt_snprintf(want, sizeof(want), "vector 0x%x%s and no fault", s->vec[0],
                    s->nvec > 1 ? " (or another listed)" : "");
    else if (s->expect == SCN_IRQ_NONE)
        vt_snprintf(want, sizeof(want), "no interrupt and no fault");
    else
        vt_snprintf(want, sizeof(want),
                    "no interrupt and one fault 0x%x (%s)%s, sid 0x%04x, "
                    "index %d",
                    s->reason, vtd_fault_reason_name(s->reason),
                    s->reason2 != s->reason ? " or its alternative" : "", sid,
                    expected_index(s));
    report_info("line %u: expected %s; %s%x, FSTS 0x%08x, %u record(s)%s",
                st->line, want, vec >= 0 ? "vector 0x" : "no interrupt ",
                vec >= 0 ? (unsigned)vec : 0, log->fsts, log->n,
                log->n ? ":" : "");
    if (s->flags & SCN_MSI_EVENT)
        report_info("line %u: fault event %s expected; FECTL 0x%08x", st->line,
                    s->expect == SCN_IRQ_FAULT ? "pending (FECTL.IP)" : "none",
                    fectl);
    for (unsigned i = 0; i < log->n; i++)
        if (vtd_fault_is_ir(log->rec[i].reason))
            report_info("line %u: FRCD[%u] interrupt index %u", st->line,
                        log->rec[i].index, vtd_fault_ir_index(&log->rec[i]));
    scn_eng_print_faults(log);
}

static bool msi_judge(const struct scn_stmt *st, int vec, uint16_t sid,
                      const struct vtd_fault_log *log, uint32_t fectl)
{
    const struct scn_ir *s = &st->ir;
    bool clean = !log->n && !(log->fsts & (VTD_FSTS_PPF | VTD_FSTS_PFO));
    bool ip = fectl & VTD_xECTL_IP;
    bool event = !(s->flags & SCN_MSI_EVENT) ||
                 ip == (s->expect == SCN_IRQ_FAULT);
    bool pass;

    if (scn_eng_observing()) {
        char v[8] = "-";

        if (vec >= 0)
            vt_snprintf(v, sizeof(v), "0x%x", (unsigned)vec);
        scn_eng_observe(st, "irq=%s fsts=0x%08x fectl=0x%08x faults=%s", v,
                        log->fsts, fectl, scn_eng_faults_text(log));
        return true;
    }
    switch (s->expect) {
    case SCN_IRQ_ARRIVES:
        pass = vector_allowed(s, vec) && clean;
        break;
    case SCN_IRQ_NONE:
        pass = vec < 0 && clean && event;
        break;
    case SCN_IRQ_FAULT:
        pass = vec < 0 && log->n == 1 && fault_matches(s, &log->rec[0], sid) &&
               event;
        break;
    default:
        report_info("line %u: %s%x, %u fault record(s)", st->line,
                    vec >= 0 ? "vector 0x" : "no interrupt ",
                    vec >= 0 ? (unsigned)vec : 0, log->n);
        scn_eng_print_faults(log);
        return true;
    }
    if (!scn_eng_check(st, pass))
        msi_explain(st, vec, sid, log, fectl);
    return true;
}

static bool exec_msi(const struct scn_stmt *st)
{
    const struct scn_ir *s = &st->ir;
    struct vtd_unit *u = scn_eng_unit();
    struct edu *e = scn_eng_device(st);
    struct vtd_fault_log log;
    struct arrivals a;
    uint64_t addr;
    uint32_t data, fectl;
    int vec;

    if (!e)
        return false;
    if (!e->msi)
        return scn_eng_fail(st, "the device has no MSI", 0);
    if (!claim_expected(st))
        return false;
    if (vtd_fault_collect(u, &log)) {
        report_info("line %u: %u fault record(s) pending before the "
                    "interrupt, cleared:",
                    st->line, log.n);
        scn_eng_print_faults(&log);
    }
    msi_message(s, &addr, &data);
    arrivals_take(&a, e);
    if (edu_msi_program(e, addr, data))
        return scn_eng_fail(st, "MSI capability", 0);
    edu_irq_raise(e);
    wait_for_irq(arrived_any, &a, IRQ_WAIT_NS);
    edu_irq_ack(e);
    vec = arrivals_vector(&a);
    edu_msi_restore(e);
    /* FECTL before the records are cleared: IP holds a fault event while
     * IM masks it (11.4.7.2). */
    fectl = vtd_read32(u, VTD_FECTL);
    vtd_fault_collect(u, &log);
    return msi_judge(st, vec, e->sid, &log, fectl);
}

/* -------------------------------------------------------------- ioapic */

/* The I/O APIC of the timer line, its pin, its source-id. */
static bool ioapic_pin(const struct scn_stmt *st, unsigned *pin, uint16_t *sid)
{
    const struct scn_machine *m = scn_eng_machine();

    if (!m->ioapic_base)
        return scn_eng_fail(st, "no I/O APIC for the timer line in the MADT",
                            0);
    if (m->ioapic_sid < 0)
        return scn_eng_fail(st, "no DMAR device scope for the I/O APIC", 0);
    if (!ir.io_ok) {
        if (ioapic_init(&ir.io, m->ioapic_base))
            return scn_eng_fail(st, "the I/O APIC does not answer", 0);
        ir.io_ok = true;
    }
    *pin = st->ir.pin_timer ? m->ioapic_timer_pin : st->ir.pin;
    *sid = (uint16_t)m->ioapic_sid;
    if (*pin != m->ioapic_timer_pin || *pin >= ir.io.pins) {
        report_error("line %u: pin %u: only the timer line's pin (%u) can be "
                     "raised here",
                     st->line, *pin, m->ioapic_timer_pin);
        return false;
    }
    return true;
}

static bool claim_expected(const struct scn_stmt *st)
{
    const struct scn_ir *s = &st->ir;

    for (unsigned i = 0; i < s->nvec; i++)
        if (!claim(s->vec[i])) {
            report_error("line %u: vector 0x%x is taken (or reserved): "
                         "choose another",
                         st->line, s->vec[i]);
            return false;
        }
    if ((s->flags & SCN_MSI_COMPAT) && !claim(s->vector)) {
        report_error("line %u: vector 0x%x is taken (or reserved)", st->line,
                     s->vector);
        return false;
    }
    return true;
}

/*
 * One edge on the timer's pin, its redirection entry remappable (5.1.5.1:
 * the handle in place of the destination, SHV 0) or in compatibility
 * format. The pin may hold an edge latched while it was masked (the
 * timer ran before): the entry is unmasked first, so that one lands and
 * is cleared away before the edge that is judged.
 */
static bool exec_ioapic(const struct scn_stmt *st)
{
    const struct scn_ir *s = &st->ir;
    struct vtd_unit *u = scn_eng_unit();
    struct vtd_fault_log log;
    struct arrivals a;
    uint64_t rte;
    unsigned pin = 0;
    uint16_t sid = 0;
    uint32_t fectl;
    int vec;

    if (!ioapic_pin(st, &pin, &sid) || !claim_expected(st))
        return false;
    rte = (s->flags & SCN_MSI_COMPAT)
              ? ioapic_rte_compat((uint8_t)self_apic_id(), s->vector)
              : ioapic_rte_remappable(s->index, (uint8_t)s->data);
    ir.io_pin = (int)pin;
    if (plat_timer_irq_pulse())
        return scn_eng_fail(st, "the machine cannot raise the timer line", 0);
    ioapic_rte_write(&ir.io, pin, rte);
    arrivals_take(&a, NULL);
    wait_for_irq(arrived_any, &a, IRQ_WAIT_NS / 4);
    if (vtd_fault_collect(u, &log)) {
        report_info("line %u: an edge latched before: %u fault record(s), "
                    "cleared",
                    st->line, log.n);
        scn_eng_print_faults(&log);
    }
    arrivals_take(&a, NULL);
    plat_timer_irq_pulse();
    wait_for_irq(arrived_any, &a, IRQ_WAIT_NS);
    ioapic_rte_write(&ir.io, pin, rte | IOAPIC_RTE_MASK);
    vec = arrivals_vector(&a);
    fectl = vtd_read32(u, VTD_FECTL);
    vtd_fault_collect(u, &log);
    return msi_judge(st, vec, sid, &log, fectl);
}

/* ------------------------------------------------------------- public */

bool scn_ir_exec(const struct scn_stmt *st)
{
    switch (st->op) {
    case SCN_IR:
        return exec_ir(st);
    case SCN_IRTE:
        return exec_irte(st);
    case SCN_INV_IEC: {
        struct vtd_desc d = vtd_desc_iec(st->ir.index_sel, st->ir.index,
                                         st->ir.im);

        return scn_eng_queue_desc(st, &d);
    }
    case SCN_MSI:
        return exec_msi(st);
    case SCN_IOAPIC:
        return exec_ioapic(st);
    }
    return scn_eng_fail(st, "not an interrupt remapping statement", 0);
}

void scn_ir_end(void)
{
    const struct scn_machine *m = scn_eng_machine();

    for (unsigned i = 0; i < m->nr_edu; i++)
        if (m->edu[i] && m->edu[i]->msi)
            edu_msi_restore(m->edu[i]);
    if (ir.io_ok && ir.io_pin >= 0)
        ioapic_rte_write(&ir.io, (unsigned)ir.io_pin, IOAPIC_RTE_MASK);
    ir.io_pin = -1;
    for (unsigned i = 0; i < ir.nt; i++)
        vtd_irt_destroy(&ir.t[i]);
    ir.nt = 0;
}
