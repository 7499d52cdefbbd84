/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/ir_parse.c — parsing of the interrupt remapping statements
 * (engine/ir.h, tests/scenarios/README.md).
 */
#include <string.h>

#include "engine/parse.h"
#include "engine/parse_ext.h"
#include "vtd/regs.h"

/* A number word (positional), within max. */
static bool word_num(struct pctx *p, const char *s, size_t n, const char *what,
                     uint64_t max, uint64_t *out)
{
    if (!s)
        return scn_p_error(p, "expected %s", what);
    if (!scn_parse_number(s, n, out) || *out > max)
        return scn_p_error(p, "%.*s: expected %s (0..%lu)", (int)n, s, what,
                           (unsigned long)max);
    return true;
}

static bool ir_table(struct pctx *p, struct scn_ir *ir)
{
    uint64_t s = 7;

    ir->cmd = SCN_IR_TABLE;
    ir->sirtp = true;
    if (!scn_p_num(p, "size", &s, false, 0, 15) ||
        !scn_p_bool(p, "eime", &ir->on) || !scn_p_bool(p, "sirtp", &ir->sirtp))
        return false;
    ir->s = (uint8_t)s;
    if (ir->on && !scn_p_require(p, true, VTD_ECAP_EIM, "EIM"))
        return false;
    return scn_p_finish(p, "table [size=0..15] [eime=0|1] [sirtp=0|1]");
}

bool scn_ir_parse(struct pctx *p, struct scn_stmt *st)
{
    struct scn_ir *ir = &st->ir;
    size_t n;
    const char *w = scn_p_pos(p, 0, &n);

    if (!scn_p_require(p, true, VTD_ECAP_IR, "IR"))
        return false;
    if (w && scn_p_is(w, n, "table"))
        return ir_table(p, ir);
    if (w && scn_p_is(w, n, "sirtp"))
        ir->cmd = SCN_IR_SIRTP;
    else if (w && scn_p_is(w, n, "on"))
        ir->cmd = SCN_IR_ON;
    else if (w && scn_p_is(w, n, "off"))
        ir->cmd = SCN_IR_OFF;
    else if (!w && scn_p_key(p, "cfi", &n)) {
        uint64_t v = 0;

        ir->cmd = SCN_IR_CFI;
        if (!scn_p_num(p, "cfi", &v, true, 0, 1))
            return false;
        ir->on = v != 0;
    } else {
        return scn_p_error(p, "ir: expected table, sirtp, on, off or cfi=0|1");
    }
    return scn_p_finish(p, "table|sirtp|on|off|cfi=0|1");
}

/* dest=self|N, sid=DEV|N */
static bool irte_targets(struct pctx *p, struct scn_ir *ir)
{
    size_t n;
    const char *v = scn_p_key(p, "dest", &n);
    uint64_t k;

    ir->flags |= SCN_IRTE_DEST_SELF;
    if (v && !scn_p_is(v, n, "self")) {
        if (!scn_parse_number(v, n, &k) || k > 0xFFFFFFFFull)
            return scn_p_error(p, "dest=%.*s: expected self or an APIC ID",
                               (int)n, v);
        ir->dest = (uint32_t)k;
        ir->flags &= ~SCN_IRTE_DEST_SELF;
    }
    v = scn_p_key(p, "sid", &n);
    if (!v)
        return true;
    if (scn_p_is(v, n, "ioapic")) {
        ir->flags |= SCN_IRTE_SID_IOAPIC;
        return true;
    }
    if (n > 3 && !memcmp(v, "edu", 3)) {
        ir->flags |= SCN_IRTE_SID_DEV;
        return scn_p_dev(p, v, n, &ir->sid_dev);
    }
    if (!scn_parse_number(v, n, &k) || k > 0xFFFF)
        return scn_p_error(p,
                           "sid=%.*s: expected a device, ioapic or a source-id",
                           (int)n, v);
    ir->sid = (uint16_t)k;
    return true;
}

bool scn_irte_parse(struct pctx *p, struct scn_stmt *st)
{
    struct scn_ir *ir = &st->ir;
    uint64_t idx, vector = 0, dlm = 0, sq = 0, svt = 0;
    bool present = true;
    size_t n;
    const char *w = scn_p_pos(p, 0, &n);

    ir->sid_dev = -1;
    if (!scn_p_require(p, true, VTD_ECAP_IR, "IR") ||
        !word_num(p, w, n, "an IRTE index", 0xFFFF, &idx) ||
        !scn_p_bool(p, "p", &present) ||
        !scn_p_num(p, "vector", &vector, false, 0, 0xFF) ||
        !scn_p_num(p, "dlm", &dlm, false, 0, 7) ||
        !scn_p_num(p, "sq", &sq, false, 0, 3) ||
        !scn_p_num(p, "svt", &svt, false, 0, 3) ||
        !scn_p_bool(p, "dm", &ir->dm) || !scn_p_bool(p, "rh", &ir->rh) ||
        !scn_p_bool(p, "tm", &ir->tm) || !scn_p_bool(p, "fpd", &ir->fpd) ||
        !irte_targets(p, ir) || !scn_p_mask(p, "set", &ir->set[0]) ||
        !scn_p_mask(p, "clear", &ir->clear[0]) ||
        !scn_p_mask(p, "set-hi", &ir->set[1]) ||
        !scn_p_mask(p, "clear-hi", &ir->clear[1]))
        return false;
    ir->index = (uint16_t)idx;
    ir->vector = (uint8_t)vector;
    ir->dlm = (uint8_t)dlm;
    ir->sq = (uint8_t)sq;
    ir->svt = (uint8_t)svt;
    if (!present)
        ir->flags |= SCN_IRTE_NP;
    else {
        size_t vn;

        if (!scn_p_key(p, "vector", &vn) && !scn_p_key(p, "p", &vn))
            return scn_p_missing(p, "vector", "0..255");
    }
    return scn_p_finish(p,
                        "N vector=V [dest=self|ID] [dm=] [rh=] [tm=] "
                        "[dlm=] [fpd=] [sid=DEV|ioapic|N] [sq=] [svt=] [p=0] "
                        "[set=] [clear=] [set-hi=] [clear-hi=]");
}

bool scn_inv_iec_parse(struct pctx *p, struct scn_stmt *st)
{
    struct scn_ir *ir = &st->ir;
    uint64_t idx = 0, im = 0;
    size_t n;

    st->op = SCN_INV_IEC;
    if (scn_p_pos(p, 1, &n))
        return scn_p_error(p, "inv iec: unexpected word (expected key=value)");
    if (!scn_p_num(p, "index", &idx, false, 0, 0xFFFF) ||
        !scn_p_num(p, "im", &im, false, 0, 31) || !scn_p_inv_expect(p, st) ||
        !scn_p_require(p, true, VTD_ECAP_QI, "QI"))
        return false;
    ir->index_sel = scn_p_key(p, "index", &n) != NULL;
    if (scn_p_key(p, "im", &n) && !ir->index_sel)
        return scn_p_error(p, "inv iec: im= needs index=");
    ir->index = (uint16_t)idx;
    ir->im = (uint8_t)im;
    if (!st->expect)
        st->expect = SCN_EXPECT_OK;
    return scn_p_finish(p, "iec [index=N [im=M]] [expect=ok|iqe|ok,iqe|any]");
}

/* expect=irq:V[,V...]|no-irq|fault:REASON|any */
static bool msi_expect(struct pctx *p, struct scn_ir *ir)
{
    size_t n;
    const char *v = scn_p_key(p, "expect", &n);

    if (!v)
        return scn_p_missing(p, "expect", "irq:VECTOR|no-irq|fault:REASON|any");
    if (scn_p_is(v, n, "no-irq")) {
        ir->expect = SCN_IRQ_NONE;
        return true;
    }
    if (scn_p_is(v, n, "any")) {
        ir->expect = SCN_IRQ_ANY;
        return true;
    }
    if (n > 6 && !memcmp(v, "fault:", 6)) {
        size_t comma = 6;

        /* fault:REASON or fault:A,B where the specification leaves the
         * reason open between two */
        while (comma < n && v[comma] != ',')
            comma++;
        ir->expect = SCN_IRQ_FAULT;
        if (!scn_p_reason(p, v + 6, comma - 6, &ir->reason))
            return false;
        ir->reason2 = ir->reason;
        return comma == n ||
               scn_p_reason(p, v + comma + 1, n - comma - 1, &ir->reason2);
    }
    if (n <= 4 || memcmp(v, "irq:", 4))
        return scn_p_error(p,
                           "expect=%.*s: expected irq:VECTOR[,VECTOR...], "
                           "no-irq, fault:REASON or any",
                           (int)n, v);
    ir->expect = SCN_IRQ_ARRIVES;
    for (size_t i = 4; i < n;) {
        size_t j = i;
        uint64_t vec;

        while (j < n && v[j] != ',')
            j++;
        if (ir->nvec == SCN_IR_MAX_VEC ||
            !scn_parse_number(v + i, j - i, &vec) || vec < 32 || vec > 0xFF)
            return scn_p_error(p,
                               "expect=%.*s: at most %u vectors, each "
                               "32..255",
                               (int)n, v, SCN_IR_MAX_VEC);
        ir->vec[ir->nvec++] = (uint8_t)vec;
        i = j + 1;
    }
    return true;
}

bool scn_msi_parse(struct pctx *p, struct scn_stmt *st)
{
    struct scn_ir *ir = &st->ir;
    uint64_t handle = 0, sub = 0, compat = 0, data = 0, findex = 0;
    bool event = false;
    size_t n;
    const char *w = scn_p_pos(p, 0, &n);

    if (!scn_p_dev(p, w, n, &st->dev) ||
        !scn_p_num(p, "handle", &handle, false, 0, 0xFFFF) ||
        !scn_p_num(p, "subhandle", &sub, false, 0, 0xFFFF) ||
        !scn_p_num(p, "compat", &compat, false, 32, 0xFF) ||
        !scn_p_mask(p, "addr", &ir->addr) ||
        !scn_p_num(p, "data", &data, false, 0, 0xFFFFFFFFull) ||
        !scn_p_num(p, "index", &findex, false, 0, 0xFFFF) ||
        !scn_p_bool(p, "event", &event) || !msi_expect(p, ir))
        return false;
    if (event)
        ir->flags |= SCN_MSI_EVENT;
    if (scn_p_key(p, "subhandle", &n))
        ir->flags |= SCN_MSI_SHV;
    if (scn_p_key(p, "compat", &n))
        ir->flags |= SCN_MSI_COMPAT;
    if (scn_p_key(p, "addr", &n))
        ir->flags |= SCN_MSI_ADDR;
    if (scn_p_key(p, "data", &n))
        ir->flags |= SCN_MSI_DATA;
    if (scn_p_key(p, "index", &n))
        ir->flags |= SCN_MSI_INDEX;
    ir->index = (uint16_t)handle;
    ir->sub = (uint16_t)sub;
    ir->vector = (uint8_t)compat;
    ir->data = (uint32_t)data;
    ir->findex = (uint16_t)findex;
    return scn_p_finish(p,
                        "DEV [handle=N] [subhandle=N] [compat=VECTOR] "
                        "[addr=A] [data=D] [index=N] [event=0|1] "
                        "expect=irq:V[,V...]|no-irq|fault:REASON[,REASON]|any");
}

bool scn_ioapic_parse(struct pctx *p, struct scn_stmt *st)
{
    struct scn_ir *ir = &st->ir;
    uint64_t handle = 0, compat = 0, vector = 0, findex = 0, pin = 0;
    bool event = false;
    size_t n;
    const char *v = scn_p_key(p, "pin", &n);

    if (v && scn_p_is(v, n, "timer"))
        ir->pin_timer = true;
    else if (!scn_p_num(p, "pin", &pin, true, 0, 239))
        return false;
    if (!scn_p_num(p, "handle", &handle, false, 0, 0xFFFF) ||
        !scn_p_num(p, "compat", &compat, false, 32, 0xFF) ||
        !scn_p_num(p, "vector", &vector, false, 0, 0xFF) ||
        !scn_p_num(p, "index", &findex, false, 0, 0xFFFF) ||
        !scn_p_bool(p, "event", &event) || !msi_expect(p, ir))
        return false;
    if (event)
        ir->flags |= SCN_MSI_EVENT;
    if (scn_p_key(p, "compat", &n))
        ir->flags |= SCN_MSI_COMPAT;
    if (scn_p_key(p, "index", &n))
        ir->flags |= SCN_MSI_INDEX;
    ir->pin = (uint8_t)pin;
    ir->index = (uint16_t)handle;
    ir->vector = (uint8_t)compat;
    ir->findex = (uint16_t)findex;
    /* 5.1.5.1: the entry's vector is the IRTE's; by default the vector
     * the statement expects. */
    ir->data = scn_p_key(p, "vector", &n) ? (uint32_t)vector
               : ir->nvec                 ? ir->vec[0]
                                          : 0;
    return scn_p_finish(p,
                        "pin=timer|N [handle=N] [compat=VECTOR] "
                        "[vector=V] [index=N] [event=0|1] "
                        "expect=irq:V[,V...]|no-irq|fault:REASON[,REASON]|any");
}
