/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/ir_parse.c — parsing of the interrupt remapping statements
 * (engine/ir.h, tests/scenarios/README.md).
 */
#include <string.h>

#include "engine/parse.h"
#include "engine/parse_int.h"
#include "vtd/regs.h"

/* A number word (positional), within max. */
static bool word_num(struct pctx *p, const char *s, size_t n, const char *what,
                     uint64_t max, uint64_t *out)
{
    if (!s)
        return perr(p, "expected %s", what);
    if (!scn_parse_number(s, n, out) || *out > max)
        return perr(p, "%.*s: expected %s (0..%lu)", (int)n, s, what,
                    (unsigned long)max);
    return true;
}

static bool ir_table(struct pctx *p, struct scn_ir *ir)
{
    uint64_t s = 7;

    ir->cmd = SCN_IR_TABLE;
    ir->sirtp = true;
    if (!get_num(p, "size", &s, false, 0, 15) ||
        !get_flag(p, "eime", &ir->on) || !get_flag(p, "sirtp", &ir->sirtp))
        return false;
    ir->s = (uint8_t)s;
    if (ir->on && !add_req(p, SCN_REQ_ECAP, VTD_ECAP_EIM, false, "EIM", true))
        return false;
    return finish(p, "table [size=0..15] [eime=0|1] [sirtp=0|1]");
}

bool scn_ir_parse(struct pctx *p, struct scn_stmt *st)
{
    struct scn_ir *ir = &st->ir;
    size_t n;
    const char *w = pos_word(p, 0, &n);

    if (!add_req(p, SCN_REQ_ECAP, VTD_ECAP_IR, false, "IR", true))
        return false;
    if (w && str_eq(w, n, "table"))
        return ir_table(p, ir);
    if (w && str_eq(w, n, "sirtp"))
        ir->cmd = SCN_IR_SIRTP;
    else if (w && str_eq(w, n, "on"))
        ir->cmd = SCN_IR_ON;
    else if (w && str_eq(w, n, "off"))
        ir->cmd = SCN_IR_OFF;
    else if (!w && key_val(p, "cfi", &n)) {
        uint64_t v = 0;

        ir->cmd = SCN_IR_CFI;
        if (!get_num(p, "cfi", &v, true, 0, 1))
            return false;
        ir->on = v != 0;
    } else {
        return perr(p, "ir: expected table, sirtp, on, off or cfi=0|1");
    }
    return finish(p, "table|sirtp|on|off|cfi=0|1");
}

/* dest=self|N, sid=DEV|N */
static bool irte_targets(struct pctx *p, struct scn_ir *ir)
{
    size_t n;
    const char *v = key_val(p, "dest", &n);
    uint64_t k;

    ir->flags |= SCN_IRTE_DEST_SELF;
    if (v && !str_eq(v, n, "self")) {
        if (!scn_parse_number(v, n, &k) || k > 0xFFFFFFFFull)
            return perr(p, "dest=%.*s: expected self or an APIC ID", (int)n, v);
        ir->dest = (uint32_t)k;
        ir->flags &= ~SCN_IRTE_DEST_SELF;
    }
    v = key_val(p, "sid", &n);
    if (!v)
        return true;
    if (str_eq(v, n, "ioapic")) {
        ir->flags |= SCN_IRTE_SID_IOAPIC;
        return true;
    }
    if (n > 3 && !memcmp(v, "edu", 3)) {
        ir->flags |= SCN_IRTE_SID_DEV;
        return dev_word(p, v, n, &ir->sid_dev);
    }
    if (!scn_parse_number(v, n, &k) || k > 0xFFFF)
        return perr(p, "sid=%.*s: expected a device, ioapic or a source-id",
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
    const char *w = pos_word(p, 0, &n);

    ir->sid_dev = -1;
    if (!add_req(p, SCN_REQ_ECAP, VTD_ECAP_IR, false, "IR", true) ||
        !word_num(p, w, n, "an IRTE index", 0xFFFF, &idx) ||
        !get_flag(p, "p", &present) ||
        !get_num(p, "vector", &vector, false, 0, 0xFF) ||
        !get_num(p, "dlm", &dlm, false, 0, 7) ||
        !get_num(p, "sq", &sq, false, 0, 3) ||
        !get_num(p, "svt", &svt, false, 0, 3) || !get_flag(p, "dm", &ir->dm) ||
        !get_flag(p, "rh", &ir->rh) || !get_flag(p, "tm", &ir->tm) ||
        !get_flag(p, "fpd", &ir->fpd) || !irte_targets(p, ir) ||
        !get_mask(p, "set", &ir->set[0]) ||
        !get_mask(p, "clear", &ir->clear[0]) ||
        !get_mask(p, "set-hi", &ir->set[1]) ||
        !get_mask(p, "clear-hi", &ir->clear[1]))
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

        if (!key_val(p, "vector", &vn) && !key_val(p, "p", &vn))
            return missing(p, "vector", "0..255");
    }
    return finish(p, "N vector=V [dest=self|ID] [dm=] [rh=] [tm=] "
                     "[dlm=] [fpd=] [sid=DEV|ioapic|N] [sq=] [svt=] [p=0] "
                     "[set=] [clear=] [set-hi=] [clear-hi=]");
}

bool scn_inv_iec_parse(struct pctx *p, struct scn_stmt *st)
{
    struct scn_ir *ir = &st->ir;
    uint64_t idx = 0, im = 0;
    size_t n;

    st->op = SCN_INV_IEC;
    if (pos_word(p, 1, &n))
        return perr(p, "inv iec: unexpected word (expected key=value)");
    if (!get_num(p, "index", &idx, false, 0, 0xFFFF) ||
        !get_num(p, "im", &im, false, 0, 31) || !get_inv_expect(p, st, false) ||
        !add_req(p, SCN_REQ_ECAP, VTD_ECAP_QI, false, "QI", true))
        return false;
    ir->index_sel = key_val(p, "index", &n) != NULL;
    if (key_val(p, "im", &n) && !ir->index_sel)
        return perr(p, "inv iec: im= needs index=");
    ir->index = (uint16_t)idx;
    ir->im = (uint8_t)im;
    if (!st->expect)
        st->expect = SCN_EXPECT_OK;
    return finish(p, "iec [index=N [im=M]] [expect=ok|iqe|ok,iqe|any]");
}

/* expect=irq:V[,V...]|no-irq|fault:REASON|any */
static bool msi_expect(struct pctx *p, struct scn_ir *ir)
{
    size_t n;
    const char *v = key_val(p, "expect", &n);

    if (!v)
        return missing(p, "expect", "irq:VECTOR|no-irq|fault:REASON|any");
    if (str_eq(v, n, "no-irq")) {
        ir->expect = SCN_IRQ_NONE;
        return true;
    }
    if (str_eq(v, n, "any")) {
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
        if (!get_reason(p, v + 6, comma - 6, &ir->reason))
            return false;
        ir->reason2 = ir->reason;
        return comma == n ||
               get_reason(p, v + comma + 1, n - comma - 1, &ir->reason2);
    }
    if (n <= 4 || memcmp(v, "irq:", 4))
        return perr(p,
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
            return perr(p,
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
    const char *w = pos_word(p, 0, &n);

    if (!dev_word(p, w, n, &st->dev) ||
        !get_num(p, "handle", &handle, false, 0, 0xFFFF) ||
        !get_num(p, "subhandle", &sub, false, 0, 0xFFFF) ||
        !get_num(p, "compat", &compat, false, 32, 0xFF) ||
        !get_mask(p, "addr", &ir->addr) ||
        !get_num(p, "data", &data, false, 0, 0xFFFFFFFFull) ||
        !get_num(p, "index", &findex, false, 0, 0xFFFF) ||
        !get_flag(p, "event", &event) || !msi_expect(p, ir))
        return false;
    if (event)
        ir->flags |= SCN_MSI_EVENT;
    if (key_val(p, "subhandle", &n))
        ir->flags |= SCN_MSI_SHV;
    if (key_val(p, "compat", &n))
        ir->flags |= SCN_MSI_COMPAT;
    if (key_val(p, "addr", &n))
        ir->flags |= SCN_MSI_ADDR;
    if (key_val(p, "data", &n))
        ir->flags |= SCN_MSI_DATA;
    if (key_val(p, "index", &n))
        ir->flags |= SCN_MSI_INDEX;
    ir->index = (uint16_t)handle;
    ir->sub = (uint16_t)sub;
    ir->vector = (uint8_t)compat;
    ir->data = (uint32_t)data;
    ir->findex = (uint16_t)findex;
    return finish(p, "DEV [handle=N] [subhandle=N] [compat=VECTOR] "
                     "[addr=A] [data=D] [index=N] [event=0|1] "
                     "expect=irq:V[,V...]|no-irq|fault:REASON[,REASON]|any");
}

bool scn_ioapic_parse(struct pctx *p, struct scn_stmt *st)
{
    struct scn_ir *ir = &st->ir;
    uint64_t handle = 0, compat = 0, vector = 0, findex = 0, pin = 0;
    bool event = false;
    size_t n;
    const char *v = key_val(p, "pin", &n);

    if (v && str_eq(v, n, "timer"))
        ir->pin_timer = true;
    else if (!get_num(p, "pin", &pin, true, 0, 239))
        return false;
    if (!get_num(p, "handle", &handle, false, 0, 0xFFFF) ||
        !get_num(p, "compat", &compat, false, 32, 0xFF) ||
        !get_num(p, "vector", &vector, false, 0, 0xFF) ||
        !get_num(p, "index", &findex, false, 0, 0xFFFF) ||
        !get_flag(p, "event", &event) || !msi_expect(p, ir))
        return false;
    if (event)
        ir->flags |= SCN_MSI_EVENT;
    if (key_val(p, "compat", &n))
        ir->flags |= SCN_MSI_COMPAT;
    if (key_val(p, "index", &n))
        ir->flags |= SCN_MSI_INDEX;
    ir->pin = (uint8_t)pin;
    ir->index = (uint16_t)handle;
    ir->vector = (uint8_t)compat;
    ir->findex = (uint16_t)findex;
    /* 5.1.5.1: the entry's vector is the IRTE's; by default the vector
     * the statement expects. */
    ir->data = key_val(p, "vector", &n) ? (uint32_t)vector
               : ir->nvec               ? ir->vec[0]
                                        : 0;
    return finish(p, "pin=timer|N [handle=N] [compat=VECTOR] "
                     "[vector=V] [index=N] [event=0|1] "
                     "expect=irq:V[,V...]|no-irq|fault:REASON[,REASON]|any");
}
