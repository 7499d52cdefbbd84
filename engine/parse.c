/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/parse.c — the scenario language's parser (see parse.h and
 * tests/scenarios/README.md).
 *
 * One line is one statement. A line is cut into tokens (words, key=value
 * words, "quoted strings"), a trailing `xfail qemu... "why"` is taken off, and
 * the first word selects a statement parser. Each parser takes the keys it
 * knows; a key nobody took is an error that lists the keys the statement
 * has. The first error of a line is kept, the line is dropped and its
 * scenario is marked broken.
 */
#include <string.h>

#include "lib/printf.h"
#include "lib/xfail.h"
#include "engine/parse.h"
#include "engine/parse_int.h"
#include "vtd/regmap.h"
#include "vtd/regs.h"

/* ---------------------------------------------------------------- errors */

bool perr(struct pctx *p, const char *fmt, ...)
{
    struct scn_script *s = p->s;
    va_list ap;

    if (p->failed)
        return false;
    p->failed = true;
    if (p->cur && p->cur->error < 0)
        p->cur->error = s->nerr < SCN_MAX_ERRORS ? (int)s->nerr
                                                 : SCN_MAX_ERRORS - 1;
    if (s->nerr == SCN_MAX_ERRORS) {
        s->errors_lost++;
        return false;
    }
    s->err[s->nerr].line = p->line;
    va_start(ap, fmt);
    vt_vsnprintf(s->err[s->nerr].msg, sizeof(s->err[0].msg), fmt, ap);
    va_end(ap);
    s->nerr++;
    return false;
}

/* --------------------------------------------------------------- helpers */

bool tok_is(const struct tok *t, const char *word)
{
    size_t n = strlen(word);

    return !t->quoted && !t->val && t->n == n && !memcmp(t->s, word, n);
}

bool str_eq(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && !memcmp(s, word, n);
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool str_ieq(const char *s, size_t n, const char *word)
{
    if (strlen(word) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != lower(word[i]))
            return false;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Names: a letter, then letters, digits, '_', '-', '.'. */
static bool name_ok(const char *s, size_t n)
{
    if (!n || n >= SCN_NAME_MAX || !is_alpha(s[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '_' && s[i] != '-' &&
            s[i] != '.')
            return false;
    return true;
}

static void name_copy(char *dst, const char *s, size_t n)
{
    memcpy(dst, s, n);
    dst[n] = 0;
}

/* ---------------------------------------------------------------- numbers */

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

bool scn_parse_number(const char *s, size_t n, uint64_t *out)
{
    unsigned base = 10, shift = 0;
    uint64_t v = 0;
    bool digits = false;
    size_t i = 0;

    if (n > 3 && !memcmp(s, "bit", 3)) {
        unsigned b = 0;

        for (i = 3; i < n; i++) {
            if (!is_digit(s[i]) || i > 4)
                return false;
            b = b * 10 + (unsigned)(s[i] - '0');
        }
        if (b > 63)
            return false;
        *out = 1ull << b;
        return true;
    }
    if (n && (s[n - 1] == 'K' || s[n - 1] == 'k'))
        shift = 10;
    else if (n && (s[n - 1] == 'M' || s[n - 1] == 'm'))
        shift = 20;
    else if (n && (s[n - 1] == 'G' || s[n - 1] == 'g'))
        shift = 30;
    else if (n && (s[n - 1] == 'T' || s[n - 1] == 't'))
        shift = 40;
    if (shift)
        n--;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (n > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
        base = 2;
        i = 2;
    }
    for (; i < n; i++) {
        int d = digit_value(s[i]);

        if (s[i] == '_' && digits && i + 1 < n && s[i + 1] != '_')
            continue;
        if (d >= (int)base)
            return false;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            return false;
        v = v * base + (uint64_t)d;
        digits = true;
    }
    if (!digits)
        return false;
    if (shift && v > (UINT64_MAX >> shift))
        return false;
    *out = v << shift;
    return true;
}

/* ---------------------------------------------------------- fault reasons */

static const struct {
    const char *word;
    unsigned reason;
} reasons[] = {
    { "root-np", 0x1 },
    { "ctx-np", 0x2 },
    { "ctx-inv", 0x3 },
    { "aw", 0x4 },
    { "write", 0x5 },
    { "read", 0x6 },
    { "pte-access", 0x7 },
    { "root-access", 0x8 },
    { "ctx-access", 0x9 },
    { "root-rsvd", 0xA },
    { "ctx-rsvd", 0xB },
    { "pte-rsvd", 0xC },
    { "tt", 0xD },
    { "intr-range", 0xE },
    /* scalable mode (rev 5.10 appendix: fault reasons 30h-87h) */
    { "sm-rta", 0x30 },
    { "sm-root-access", 0x38 },
    { "sm-root-np", 0x39 },
    { "sm-root-rsvd", 0x3A },
    { "sm-ctx-access", 0x40 },
    { "sm-ctx-np", 0x41 },
    { "sm-ctx-rsvd", 0x42 },
    { "sm-ctx-inv", 0x43 },
    { "sm-dte", 0x44 },
    { "sm-paside", 0x45 },
    { "sm-pasid-size", 0x46 },
    { "sm-pre", 0x47 },
    { "sm-rid-pasid", 0x48 },
    { "pdir-access", 0x50 },
    { "pdir-np", 0x51 },
    { "pdir-rsvd", 0x52 },
    { "pe-access", 0x58 },
    { "pe-np", 0x59 },
    { "pe-rsvd", 0x5A },
    { "pe-inv", 0x5B },
    { "sm-ere", 0x5C },
    { "sm-sre", 0x5D },
    { "fs-access", 0x70 },
    { "fs-np", 0x71 },
    { "fs-rsvd", 0x72 },
    { "fs-ptr", 0x73 },
    { "ss-access", 0x78 },
    { "ss-perm", 0x79 },
    { "ss-rsvd", 0x7A },
    { "ss-ptr", 0x7B },
    { "fs-canonical", 0x80 },
    { "fs-us", 0x81 },
    { "sm-aw", 0x83 },
    { "ss-out", 0x84 },
    { "sm-write", 0x85 },
    { "sm-read", 0x86 },
    { "sm-intr-range", 0x87 },
    /* interrupt remapping (5.1.4.1) */
    { "ir-request", 0x20 },
    { "ir-index", 0x21 },
    { "ir-np", 0x22 },
    { "ir-access", 0x23 },
    { "ir-rsvd", 0x24 },
    { "ir-compat", 0x25 },
    { "ir-sid", 0x26 },
};

#define NREASONS (sizeof(reasons) / sizeof(reasons[0]))

bool scn_fault_reason(const char *s, size_t n, unsigned *reason)
{
    uint64_t v;

    for (unsigned i = 0; i < NREASONS; i++)
        if (str_eq(s, n, reasons[i].word)) {
            *reason = reasons[i].reason;
            return true;
        }
    if (scn_parse_number(s, n, &v) && v <= 0xFF) {
        *reason = (unsigned)v;
        return true;
    }
    return false;
}

const char *scn_fault_reason_word(unsigned reason)
{
    for (unsigned i = 0; i < NREASONS; i++)
        if (reasons[i].reason == reason)
            return reasons[i].word;
    return "?";
}

/* --------------------------------------------------------------- patterns */

uint8_t scn_pattern_byte(unsigned pattern, uint32_t seed, uint64_t off)
{
    uint32_t x;

    switch (pattern) {
    case SCN_PAT_INC:
        return (uint8_t)(seed + off);
    case SCN_PAT_CONST:
        return (uint8_t)seed;
    }
    /* A 32-bit mix of seed and offset: neighbouring bytes, pages and seeds
     * all differ, so a copy from the wrong page or offset shows. */
    x = seed * 0x9E3779B1u ^ (uint32_t)off ^
        (uint32_t)(off >> 32) * 0x85EBCA77u;
    x ^= x >> 15;
    x *= 0x2C1B3C6Du;
    x ^= x >> 12;
    x *= 0x297A2D39u;
    x ^= x >> 15;
    return (uint8_t)x;
}

/* ---------------------------------------------------------- requirements */

bool add_req(struct pctx *p, unsigned kind, uint64_t value, bool negate,
             const char *name, bool implied)
{
    struct scn_scenario *c = p->cur;
    struct scn_req *r;

    for (unsigned i = 0; i < c->nreq && kind != SCN_REQ_ARG; i++) {
        r = &c->req[i];
        if (r->kind == kind && r->value == value && r->negate == negate)
            return true;
        /* One implied device count: the largest. */
        if (implied && r->implied && kind == SCN_REQ_EDU &&
            r->kind == SCN_REQ_EDU) {
            if (value > r->value) {
                r->value = value;
                r->line = p->line;
            }
            return true;
        }
    }
    if (c->nreq == SCN_MAX_REQS)
        return perr(p, "more than %u requirements in one scenario",
                    SCN_MAX_REQS);
    r = &c->req[c->nreq++];
    memset(r, 0, sizeof(*r));
    r->kind = (uint8_t)kind;
    r->value = value;
    r->negate = negate;
    r->name = name;
    r->implied = implied;
    r->line = p->line;
    return true;
}

/* ------------------------------------------------------------- tokenizer */

static bool tokenize(struct pctx *p, const char *line, size_t n)
{
    size_t i = 0;

    p->ntok = 0;
    while (i < n) {
        struct tok *t;
        size_t start;

        while (i < n && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i == n || line[i] == '#')
            break;
        if (p->ntok == SCN_MAX_TOKENS)
            return perr(p, "more than %u words in one statement",
                        SCN_MAX_TOKENS);
        t = &p->tok[p->ntok++];
        memset(t, 0, sizeof(*t));
        if (line[i] == '"') {
            start = ++i;
            while (i < n && line[i] != '"')
                i++;
            if (i == n)
                return perr(p, "unterminated string: expected a closing "
                               "'\"'");
            t->s = line + start;
            t->n = i - start;
            t->quoted = true;
            i++;
            if (i < n && line[i] != ' ' && line[i] != '\t' && line[i] != '#')
                return perr(p, "expected a space after a closing '\"'");
            continue;
        }
        start = i;
        while (i < n && line[i] != ' ' && line[i] != '\t' && line[i] != '#') {
            if (line[i] == '"')
                return perr(p, "unexpected '\"' inside a word (strings "
                               "stand alone: xfail \"why\")");
            i++;
        }
        t->s = line + start;
        t->n = i - start;
        for (size_t k = 0; k < t->n; k++)
            if (t->s[k] == '=') {
                t->kn = k;
                t->val = t->s + k + 1;
                t->vn = t->n - k - 1;
                break;
            }
        if (t->val && (!t->kn || !t->vn))
            return perr(p, "'%.*s': expected key=value", (int)t->n, t->s);
    }
    /* A key may be given once. */
    for (unsigned a = 0; a < p->ntok; a++)
        for (unsigned b = a + 1; b < p->ntok; b++)
            if (p->tok[a].val && p->tok[b].val &&
                p->tok[a].kn == p->tok[b].kn &&
                !memcmp(p->tok[a].s, p->tok[b].s, p->tok[a].kn))
                return perr(p, "key '%.*s' given twice", (int)p->tok[a].kn,
                            p->tok[a].s);
    return true;
}

/* ----------------------------------------------------- argument helpers */

/* The i-th positional word after the statement word (no '=', unquoted),
 * marked used; NULL when there is none. */
struct tok *pos(struct pctx *p, unsigned i)
{
    for (unsigned k = 1; k < p->ntok; k++) {
        struct tok *t = &p->tok[k];

        if (t->val || t->quoted)
            continue;
        if (i-- == 0) {
            t->used = true;
            return t;
        }
    }
    return NULL;
}

/* The quoted string after the statement word, marked used. */
static struct tok *str_arg(struct pctx *p)
{
    for (unsigned k = 1; k < p->ntok; k++)
        if (p->tok[k].quoted) {
            p->tok[k].used = true;
            return &p->tok[k];
        }
    return NULL;
}

struct tok *key(struct pctx *p, const char *name)
{
    size_t n = strlen(name);

    for (unsigned k = 1; k < p->ntok; k++) {
        struct tok *t = &p->tok[k];

        if (t->val && t->kn == n && !memcmp(t->s, name, n)) {
            t->used = true;
            return t;
        }
    }
    return NULL;
}

bool missing(struct pctx *p, const char *name, const char *what)
{
    return perr(p, "`%.*s` needs %s=%s", (int)p->tok[0].n, p->tok[0].s, name,
                what);
}

bool get_num(struct pctx *p, const char *name, uint64_t *out, bool required,
             uint64_t min, uint64_t max)
{
    struct tok *t = key(p, name);
    uint64_t v;

    if (!t)
        return required ? missing(p, name, "NUMBER") : true;
    if (!scn_parse_number(t->val, t->vn, &v))
        return perr(p,
                    "%s=%.*s: expected a number (decimal, 0x hex, 0b "
                    "binary, K/M/G/T suffix, bitN)",
                    name, (int)t->vn, t->val);
    if (v < min || v > max)
        return perr(p, "%s=%.*s: out of range %lu..%lu", name, (int)t->vn,
                    t->val, (unsigned long)min, (unsigned long)max);
    *out = v;
    return true;
}

bool get_u(struct pctx *p, const char *name, unsigned *out, bool required,
           unsigned min, unsigned max)
{
    uint64_t v = *out;

    if (!get_num(p, name, &v, required, min, max))
        return false;
    *out = (unsigned)v;
    return true;
}

bool get_bool(struct pctx *p, const char *name, uint32_t *flagsp, uint32_t flag)
{
    uint64_t v = 0;

    if (!get_num(p, name, &v, false, 0, 1))
        return false;
    if (v)
        *flagsp |= flag;
    return true;
}

static int find_buffer(const struct scn_scenario *c, const char *s, size_t n)
{
    for (unsigned i = 0; i < c->nbuf; i++)
        if (str_eq(s, n, c->buf[i].name))
            return (int)i;
    return -1;
}

static int find_domain(const struct scn_scenario *c, const char *s, size_t n)
{
    for (unsigned i = 0; i < c->ndom; i++)
        if (str_eq(s, n, c->dom[i].name))
            return (int)i;
    return -1;
}

/* NUM, @BUF, or terms of those joined by '+' (one buffer at most); with
 * allow_buf false, numbers only (masks). */
static bool parse_expr(struct pctx *p, const char *name, const char *s,
                       size_t n, struct scn_addr *out, bool allow_buf)
{
    struct scn_addr a = { 0, -1 };
    size_t i = 0;

    while (i <= n) {
        size_t j = i;
        uint64_t v;

        while (j < n && s[j] != '+')
            j++;
        if (j == i)
            return perr(p, "%s=%.*s: empty term", name, (int)n, s);
        if (s[i] == '@') {
            int b = allow_buf ? find_buffer(p->cur, s + i + 1, j - i - 1) : -1;

            if (!allow_buf)
                return perr(p,
                            "%s=%.*s: expected a number (no @buffer "
                            "here)",
                            name, (int)n, s);
            if (b < 0)
                return perr(p,
                            "%s=%.*s: unknown buffer '%.*s' (expected a "
                            "name declared by `buffer`)",
                            name, (int)n, s, (int)(j - i - 1), s + i + 1);
            if (a.buf >= 0)
                return perr(p, "%s=%.*s: expected at most one @buffer", name,
                            (int)n, s);
            a.buf = b;
        } else {
            if (!scn_parse_number(s + i, j - i, &v))
                return perr(p,
                            "%s=%.*s: '%.*s' is not a number (decimal, "
                            "0x hex, 0b binary, K/M/G/T suffix, bitN)%s",
                            name, (int)n, s, (int)(j - i), s + i,
                            allow_buf ? " or @buffer" : "");
            if (a.k + v < a.k)
                return perr(p, "%s=%.*s: overflows 64 bits", name, (int)n, s);
            a.k += v;
        }
        i = j + 1;
    }
    *out = a;
    return true;
}

bool get_addr(struct pctx *p, const char *name, struct scn_addr *out,
              bool required)
{
    struct tok *t = key(p, name);

    if (!t)
        return required ? missing(p, name, "ADDRESS") : true;
    return parse_expr(p, name, t->val, t->vn, out, true);
}

bool get_mask(struct pctx *p, const char *name, uint64_t *out)
{
    struct tok *t = key(p, name);
    struct scn_addr a;

    if (!t)
        return true;
    if (!parse_expr(p, name, t->val, t->vn, &a, false))
        return false;
    *out = a.k;
    return true;
}

bool get_word(struct pctx *p, const char *name, const struct word_val *tbl,
              unsigned *out, bool required, const char *expected)
{
    struct tok *t = key(p, name);

    if (!t)
        return required ? missing(p, name, expected) : true;
    for (; tbl->word; tbl++)
        if (str_eq(t->val, t->vn, tbl->word)) {
            *out = tbl->val;
            return true;
        }
    return perr(p, "%s=%.*s: expected %s", name, (int)t->vn, t->val, expected);
}

static const struct word_val perm_words[] = {
    { "r", 1 }, { "w", 2 }, { "rw", 3 }, { "none", 0 }, { NULL, 0 },
};

static const struct word_val via_words[] = {
    { "reg", SCN_VIA_REG },
    { "qi", SCN_VIA_QI },
    { NULL, 0 },
};

static const struct word_val pattern_words[] = {
    { "mix", SCN_PAT_MIX },
    { "inc", SCN_PAT_INC },
    { "const", SCN_PAT_CONST },
    { NULL, 0 },
};

bool get_dev(struct pctx *p, const struct tok *t, int8_t *dev)
{
    uint64_t n;

    if (!t || t->n < 4 || memcmp(t->s, "edu", 3) ||
        !scn_parse_number(t->s + 3, t->n - 3, &n) || !is_digit(t->s[3]))
        return perr(p, "`%.*s`: expected a device (edu0, edu1, ...)%s%.*s",
                    (int)p->tok[0].n, p->tok[0].s, t ? ", got " : "",
                    t ? (int)t->n : 0, t ? t->s : "");
    if (n >= SCN_MAX_DEVICES)
        return perr(p, "%.*s: at most %u devices (edu0..edu%u)", (int)t->n,
                    t->s, SCN_MAX_DEVICES, SCN_MAX_DEVICES - 1);
    *dev = (int8_t)n;
    return add_req(p, SCN_REQ_EDU, n + 1, false, NULL, true);
}

static bool get_dom(struct pctx *p, const struct tok *t, int8_t *dom)
{
    int d;

    if (!t)
        return perr(p, "`%.*s`: expected a domain name", (int)p->tok[0].n,
                    p->tok[0].s);
    d = find_domain(p->cur, t->s, t->n);
    if (d < 0)
        return perr(p,
                    "unknown domain '%.*s' (expected a name declared by "
                    "`domain`)",
                    (int)t->n, t->s);
    *dom = (int8_t)d;
    return true;
}

static bool get_buf(struct pctx *p, const struct tok *t, int8_t *buf)
{
    int b;

    if (!t)
        return perr(p, "`%.*s`: expected a buffer name", (int)p->tok[0].n,
                    p->tok[0].s);
    b = find_buffer(p->cur, t->s, t->n);
    if (b < 0)
        return perr(p,
                    "unknown buffer '%.*s' (expected a name declared by "
                    "`buffer`)",
                    (int)t->n, t->s);
    *buf = (int8_t)b;
    return true;
}

/* did=N or did=DOMAIN (its domain id). */
bool get_did(struct pctx *p, struct scn_stmt *st, bool required)
{
    struct tok *t = key(p, "did");
    uint64_t v;
    int d;

    if (!t)
        return required ? missing(p, "did", "N|DOMAIN") : true;
    if (is_alpha(t->val[0])) {
        d = find_domain(p->cur, t->val, t->vn);
        if (d < 0)
            return perr(p,
                        "did=%.*s: unknown domain (expected a number or "
                        "a name declared by `domain`)",
                        (int)t->vn, t->val);
        st->did = p->cur->dom[d].did;
    } else {
        if (!scn_parse_number(t->val, t->vn, &v) || v > 0xFFFF)
            return perr(p,
                        "did=%.*s: expected a domain id 0..65535 or a "
                        "domain name",
                        (int)t->vn, t->val);
        st->did = (uint16_t)v;
    }
    st->flags |= SCN_F_DID;
    return true;
}

/* gran=LIST: the granularities the unit may report (register-based). */
static bool get_gran(struct pctx *p, struct scn_stmt *st, bool iotlb)
{
    struct tok *t = key(p, "gran");
    size_t i = 0;

    if (!t)
        return true;
    while (i < t->vn) {
        size_t j = i;

        while (j < t->vn && t->val[j] != ',')
            j++;
        if (str_eq(t->val + i, j - i, "none"))
            st->gran_ok |= 1u << VTD_GRAN_NONE;
        else if (str_eq(t->val + i, j - i, "global"))
            st->gran_ok |= 1u << VTD_GRAN_GLOBAL;
        else if (str_eq(t->val + i, j - i, "domain"))
            st->gran_ok |= 1u << VTD_GRAN_DOMAIN;
        else if (str_eq(t->val + i, j - i, iotlb ? "page" : "device"))
            st->gran_ok |= 1u << 3;
        else if (str_eq(t->val + i, j - i, "any"))
            st->gran_ok |= 0xE;
        else
            return perr(p,
                        "gran=%.*s: expected a list of none, global, "
                        "domain, %s, any",
                        (int)t->vn, t->val, iotlb ? "page" : "device");
        i = j + 1;
    }
    return true;
}

static bool get_via(struct pctx *p, struct scn_stmt *st)
{
    unsigned v = SCN_VIA_DEFAULT;

    if (!get_word(p, "via", via_words, &v, false, "reg|qi"))
        return false;
    st->via = (uint8_t)v;
    if (v == SCN_VIA_QI)
        return add_req(p, SCN_REQ_ECAP, VTD_ECAP_QI, false, "QI", true);
    return true;
}

/* Every token must have been taken by the statement's parser. */
bool finish(struct pctx *p, const char *keys)
{
    for (unsigned k = 1; k < p->ntok; k++) {
        struct tok *t = &p->tok[k];

        if (t->used)
            continue;
        if (t->val)
            return perr(p, "unknown key '%.*s' for `%.*s` (expected %s)",
                        (int)t->kn, t->s, (int)p->tok[0].n, p->tok[0].s, keys);
        if (t->quoted)
            return perr(p,
                        "unexpected string \"%.*s\" for `%.*s` (expected "
                        "%s)",
                        (int)t->n, t->s, (int)p->tok[0].n, p->tok[0].s, keys);
        return perr(p, "unexpected word '%.*s' for `%.*s` (expected %s)",
                    (int)t->n, t->s, (int)p->tok[0].n, p->tok[0].s, keys);
    }
    return true;
}

static bool page_size_ok(struct pctx *p, const char *name, uint64_t v)
{
    if (v != (1ull << 12) && v != (1ull << 21) && v != (1ull << 30))
        return perr(p, "%s=0x%lx: expected 4K, 2M or 1G", name,
                    (unsigned long)v);
    if (v > (1ull << 12))
        return add_req(p, SCN_REQ_PAGE, v, false, NULL, true);
    return true;
}

/* ------------------------------------------------------------ statements */

/* The value of require KEY=VALUE or require KEY VALUE; in the second form
 * *k moves on to the value's token. */
static bool req_value(struct pctx *p, unsigned *k, const char *key,
                      size_t keylen, const char **vs, size_t *vn)
{
    const struct tok *t = &p->tok[*k];

    if (t->val) {
        *vs = t->val;
        *vn = t->vn;
        return true;
    }
    if (*k + 1 == p->ntok || p->tok[*k + 1].val || p->tok[*k + 1].quoted)
        return perr(p, "require %.*s: expected a value after it", (int)keylen,
                    key);
    ++*k;
    p->tok[*k].used = true;
    *vs = p->tok[*k].s;
    *vn = p->tok[*k].n;
    return true;
}

/* require arg WORD [on=RANGE]: the run needs that command-line word; with
 * on=, only the QEMU versions an access of the scenario kills need it. */
static bool req_arg(struct pctx *p, unsigned *k, const char *vs, size_t vn)
{
    struct scn_scenario *c = p->cur;
    struct scn_req *q;
    char err[200];
    struct tok *r;

    if (!name_ok(vs, vn))
        return perr(p,
                    "require arg %.*s: expected a command-line word (a "
                    "letter, then letters, digits, '_', '-', '.')",
                    (int)vn, vs);
    if (!add_req(p, SCN_REQ_ARG, 0, false, NULL, false))
        return false;
    q = &c->req[c->nreq - 1];
    q->name = vs;
    q->name_len = (uint16_t)vn;
    if (*k + 1 == p->ntok || !p->tok[*k + 1].val || p->tok[*k + 1].kn != 2 ||
        memcmp(p->tok[*k + 1].s, "on", 2))
        return true;
    r = &p->tok[++*k];
    r->used = true;
    if (!xfail_range_valid(r->val, r->vn, err, sizeof(err)))
        return perr(p, "require arg %.*s on=: %s", (int)vn, vs, err);
    q->range = r->val;
    q->range_len = (uint16_t)r->vn;
    return true;
}

/* require assigned DEV: the device is behind a host IOMMU. */
static bool req_assigned(struct pctx *p, const char *vs, size_t vn)
{
    struct tok dev = { .s = vs, .n = vn };
    int8_t d;

    return get_dev(p, &dev, &d) &&
           add_req(p, SCN_REQ_ASSIGNED, (uint64_t)d, false, NULL, false);
}

/* require aw|edu|mamv|page N. */
static bool req_number(struct pctx *p, const char *s, size_t len,
                       const char *vs, size_t vn)
{
    uint64_t v;

    if (!scn_parse_number(vs, vn, &v))
        return perr(p, "require %.*s %.*s: expected a number", (int)len, s,
                    (int)vn, vs);
    if (str_eq(s, len, "aw")) {
        if (v != 39 && v != 48 && v != 57)
            return perr(p, "require aw %.*s: expected 39, 48 or 57", (int)vn,
                        vs);
        return add_req(p, SCN_REQ_AW, v, false, NULL, false);
    }
    if (str_eq(s, len, "edu")) {
        if (v < 1 || v > SCN_MAX_DEVICES)
            return perr(p, "require edu %.*s: expected 1..%u", (int)vn, vs,
                        SCN_MAX_DEVICES);
        return add_req(p, SCN_REQ_EDU, v, false, NULL, false);
    }
    if (str_eq(s, len, "mamv")) {
        if (v > 63)
            return perr(p, "require mamv %.*s: expected 0..63", (int)vn, vs);
        return add_req(p, SCN_REQ_MAMV, v, false, NULL, false);
    }
    if (v != (1ull << 21) && v != (1ull << 30))
        return perr(p, "require page %.*s: expected 2M or 1G", (int)vn, vs);
    return add_req(p, SCN_REQ_PAGE, v, false, NULL, false);
}

static bool req_is_keyed(const char *s, size_t len)
{
    return str_eq(s, len, "aw") || str_eq(s, len, "edu") ||
           str_eq(s, len, "page") || str_eq(s, len, "mamv") ||
           str_eq(s, len, "arg") || str_eq(s, len, "assigned");
}

/* require KEY VALUE or KEY=VALUE (aw=48 edu=2 page=2M as well as aw 48
 * edu 2 page 2M). */
static bool req_keyed(struct pctx *p, unsigned *k, const char *s, size_t len)
{
    const char *vs = NULL;
    size_t vn = 0;

    if (!req_value(p, k, s, len, &vs, &vn))
        return false;
    if (str_eq(s, len, "arg"))
        return req_arg(p, k, vs, vn);
    if (str_eq(s, len, "assigned"))
        return req_assigned(p, vs, vn);
    return req_number(p, s, len, vs, vn);
}

/* require [!]FLAG: a CAP or ECAP field by its name (vtd_cap_fields), or
 * qi. */
static bool req_flag(struct pctx *p, const struct tok *t)
{
    const char *s = t->s;
    size_t len = t->n;
    bool neg = false;
    const struct vtd_cap_field *f;
    unsigned nf, i;

    if (len && s[0] == '!') {
        neg = true;
        s++;
        len--;
    }
    if (str_eq(s, len, "qi"))
        return add_req(p, SCN_REQ_ECAP, VTD_ECAP_QI, neg, "QI", false);
    f = vtd_cap_fields(&nf);
    for (i = 0; i < nf; i++)
        if (str_ieq(s, len, f[i].name))
            break;
    if (i == nf)
        return perr(p,
                    "require: unknown item '%.*s' (expected a CAP or ECAP "
                    "flag such as PSI, PT, CM, QI, optionally negated with "
                    "'!', or aw N, edu N, page 2M|1G, mamv N, arg WORD, "
                    "assigned DEV, qi)",
                    (int)t->n, t->s);
    return add_req(p, f[i].ecap ? SCN_REQ_ECAP : SCN_REQ_CAP, f[i].mask, neg,
                   f[i].name, false);
}

/* require ... "why": what the SKIP line says when a requirement of the
 * statement (from the first-th on) is unmet. */
static bool req_why(struct pctx *p, const struct tok *why, unsigned first)
{
    struct scn_scenario *c = p->cur;

    if (!why->n)
        return perr(p, "require: the \"why\" is empty");
    for (unsigned i = first; i < c->nreq; i++) {
        c->req[i].why = why->s;
        c->req[i].why_len = (uint16_t)why->n;
    }
    return true;
}

static bool st_require(struct pctx *p)
{
    unsigned n = 0, first = p->cur->nreq;
    const struct tok *why = NULL;

    for (unsigned k = 1; k < p->ntok; k++) {
        struct tok *t = &p->tok[k];
        size_t len = t->val ? t->kn : t->n;
        bool ok;

        t->used = true;
        if (t->quoted) {
            if (why)
                return perr(p, "require: expected one \"why\" at most");
            why = t;
            continue;
        }
        n++;
        if (req_is_keyed(t->s, len))
            ok = req_keyed(p, &k, t->s, len);
        else if (t->val)
            return perr(p,
                        "require: unknown key '%.*s' (expected aw, edu, "
                        "page, mamv, arg, assigned)",
                        (int)t->kn, t->s);
        else
            ok = req_flag(p, t);
        if (!ok)
            return false;
    }
    if (!n)
        return perr(p, "require: expected at least one item");
    return !why || req_why(p, why, first);
}

static bool st_set(struct pctx *p, struct scn_stmt *st)
{
    unsigned v = 0, qs = 0;

    if (key(p, "mode"))
        return scn_p_set_mode(p, st);
    if (!get_word(p, "via", via_words, &v, true, "reg|qi"))
        return false;
    st->via = (uint8_t)v;
    if (key(p, "qs") || key(p, "dw")) {
        if (v != SCN_VIA_QI)
            return perr(p, "set: qs= and dw= go with via=qi");
        if (key(p, "dw"))
            st->flags |= SCN_F_QI_DW_GIVEN;
        if (!get_u(p, "qs", &qs, false, 0, 7) ||
            !get_bool(p, "dw", &st->flags, SCN_F_QI_DW))
            return false;
        st->qs = (uint8_t)qs;
        /* 256-bit descriptors exist only where scalable mode does. */
        if ((st->flags & SCN_F_QI_DW) &&
            !add_req(p, SCN_REQ_ECAP, VTD_ECAP_SMTS, false, "SMTS", true))
            return false;
    }
    if (v == SCN_VIA_QI &&
        !add_req(p, SCN_REQ_ECAP, VTD_ECAP_QI, false, "QI", true))
        return false;
    return finish(p, "via=reg|qi [qs=0..7] [dw=0|1]");
}

static bool st_domain(struct pctx *p, struct scn_stmt *st)
{
    struct scn_scenario *c = p->cur;
    struct tok *t = pos(p, 0);
    struct scn_domain_decl *d;
    unsigned did = 0, aw = 0;

    if (!t || !name_ok(t->s, t->n))
        return perr(p,
                    "domain: expected a name (a letter, then letters, "
                    "digits, '_', '-', '.'; at most %u characters)",
                    SCN_NAME_MAX - 1);
    if (find_domain(c, t->s, t->n) >= 0)
        return perr(p, "domain '%.*s' declared twice", (int)t->n, t->s);
    if (str_eq(t->s, t->n, "passthrough"))
        return perr(p, "domain: 'passthrough' is a reserved word");
    if (c->ndom == SCN_MAX_DOMAINS)
        return perr(p, "more than %u domains in one scenario", SCN_MAX_DOMAINS);
    if (!get_u(p, "did", &did, true, 0, 0xFFFF) ||
        !get_u(p, "aw", &aw, false, 0, 57))
        return false;
    if (aw && aw != 39 && aw != 48 && aw != 57)
        return perr(p, "aw=%u: expected 39, 48 or 57", aw);
    d = &c->dom[c->ndom];
    d->first = false;
    if (key(p, "stage") && !scn_p_domain_stage(p, &aw, &d->first))
        return false;
    if (!finish(p, "NAME did=N [aw=39|48|57] [stage=first|second]") ||
        (!d->first && !add_req(p, SCN_REQ_AW, aw, false, NULL, true)))
        return false;
    name_copy(d->name, t->s, t->n);
    d->did = (uint16_t)did;
    d->aw = aw;
    st->dom = (int8_t)c->ndom++;
    st->did = (uint16_t)did;
    return true;
}

static bool st_buffer(struct pctx *p, struct scn_stmt *st)
{
    struct scn_scenario *c = p->cur;
    struct tok *t = pos(p, 0);
    struct scn_buffer_decl *b;
    uint64_t size = 0, align = 4096;

    if (!t || !name_ok(t->s, t->n))
        return perr(p,
                    "buffer: expected a name (a letter, then letters, "
                    "digits, '_', '-', '.'; at most %u characters)",
                    SCN_NAME_MAX - 1);
    if (find_buffer(c, t->s, t->n) >= 0)
        return perr(p, "buffer '%.*s' declared twice", (int)t->n, t->s);
    if (c->nbuf == SCN_MAX_BUFFERS)
        return perr(p, "more than %u buffers in one scenario", SCN_MAX_BUFFERS);
    if (!get_num(p, "size", &size, true, 1, SCN_MAX_BUFFER_SIZE) ||
        !get_num(p, "align", &align, false, 4096, 1ull << 30))
        return false;
    if (align & (align - 1))
        return perr(p, "align=0x%lx: expected a power of two",
                    (unsigned long)align);
    if (!finish(p, "NAME size=N [align=N]"))
        return false;
    b = &c->buf[c->nbuf];
    name_copy(b->name, t->s, t->n);
    b->size = size;
    b->align = align;
    st->buf = (int8_t)c->nbuf++;
    st->size = size;
    st->align = align;
    return true;
}

/* offset= and len= within buffer st->buf (len defaults to the rest). */
static bool get_range(struct pctx *p, struct scn_stmt *st, bool len_required)
{
    uint64_t size = p->cur->buf[st->buf].size;

    st->offset = 0;
    st->len = 0;
    if (!get_num(p, "offset", &st->offset, false, 0, size - 1) ||
        !get_num(p, "len", &st->len, len_required, 1, size))
        return false;
    if (!st->len)
        st->len = size - st->offset;
    if (st->offset + st->len > size)
        return perr(p,
                    "offset 0x%lx + len 0x%lx: beyond buffer '%s' (size "
                    "0x%lx)",
                    (unsigned long)st->offset, (unsigned long)st->len,
                    p->cur->buf[st->buf].name, (unsigned long)size);
    return true;
}

static bool get_pattern(struct pctx *p, struct scn_stmt *st, bool seed)
{
    unsigned pat = SCN_PAT_MIX;
    uint64_t v = 0;

    if (!get_word(p, "pattern", pattern_words, &pat, false, "mix|inc|const"))
        return false;
    st->pattern = (uint8_t)pat;
    if (seed) {
        if (!get_num(p, "seed", &v, true, 0, 0xFFFFFFFF))
            return false;
        st->seed = (uint32_t)v;
    }
    return true;
}

static bool st_fill(struct pctx *p, struct scn_stmt *st)
{
    if (!get_buf(p, pos(p, 0), &st->buf) || !get_range(p, st, false) ||
        !get_pattern(p, st, true))
        return false;
    return finish(p, "BUFFER [offset=N] [len=N] [pattern=mix|inc|const] "
                     "seed=N");
}

static bool st_attach(struct pctx *p, struct scn_stmt *st)
{
    struct tok *t;

    if (!get_dev(p, pos(p, 0), &st->dev))
        return false;
    t = pos(p, 1);
    if (t && tok_is(t, "passthrough")) {
        st->op = SCN_ATTACH_PT;
        if (!get_did(p, st, true) || !get_bool(p, "fpd", &st->flags, SCN_F_FPD))
            return false;
        if (!add_req(p, SCN_REQ_ECAP, VTD_ECAP_PT, false, "PT", true) ||
            !scn_p_attach_sm(p, st))
            return false;
        return finish(p, "DEV passthrough did=N [fpd=0|1] [pasid=N] "
                         "[rid=0|1]");
    }
    if (!get_dom(p, t, &st->dom) || !get_bool(p, "fpd", &st->flags, SCN_F_FPD))
        return false;
    if (!scn_p_attach_sm(p, st))
        return false;
    if (key(p, "tt")) {
        struct tok *tt = key(p, "tt");

        /* TT=01b: the same translation, device-TLB use allowed */
        if (str_eq(tt->val, tt->vn, "devtlb")) {
            st->flags |= SCN_F_TT_DEVTLB;
            if (!add_req(p, SCN_REQ_ECAP, VTD_ECAP_DT, false, "DT", true))
                return false;
        } else if (!str_eq(tt->val, tt->vn, "multi")) {
            return perr(p, "tt=%.*s: expected multi or devtlb", (int)tt->vn,
                        tt->val);
        }
    }
    return finish(p, "DEV DOMAIN [fpd=0|1] [tt=multi|devtlb] "
                     "[pgtt=fs|ss|nested|pt] [pasid=N] [rid=0|1] [sre=0|1] "
                     "[wpe=0|1], or DEV passthrough did=N [pasid=N] [rid=0|1]");
}

static bool st_detach(struct pctx *p, struct scn_stmt *st)
{
    if (!get_dev(p, pos(p, 0), &st->dev))
        return false;
    return finish(p, "DEV");
}

static bool st_noargs(struct pctx *p, struct scn_stmt *st)
{
    return finish(p, "nothing");
}

static bool st_map(struct pctx *p, struct scn_stmt *st)
{
    struct tok *b;
    uint64_t page = 1ull << 12;
    unsigned perm = 3;

    if (!get_dom(p, pos(p, 0), &st->dom) ||
        !get_addr(p, "iova", &st->iova, true) ||
        !get_num(p, "page", &page, false, 1, 1ull << 30) ||
        !page_size_ok(p, "page", page) ||
        !get_word(p, "perm", perm_words, &perm, false, "r|w|rw|none"))
        return false;
    st->page = page;
    st->perm = (uint8_t)perm;
    st->size = page;
    if (!get_num(p, "size", &st->size, false, 1, 1ull << 48))
        return false;
    b = key(p, "buffer");
    if (b) {
        int bi = find_buffer(p->cur, b->val, b->vn);

        if (bi < 0)
            return perr(p,
                        "buffer=%.*s: unknown buffer (expected a name "
                        "declared by `buffer`)",
                        (int)b->vn, b->val);
        if (key(p, "phys"))
            return perr(p, "map: expected buffer= or phys=, not both");
        st->pa.buf = bi;
        st->pa.k = 0;
        if (!get_num(p, "offset", &st->pa.k, false, 0, 1ull << 48))
            return false;
        if (st->pa.k + st->size > p->cur->buf[bi].size)
            return perr(p,
                        "offset 0x%lx + size 0x%lx: beyond buffer '%s' "
                        "(size 0x%lx)",
                        (unsigned long)st->pa.k, (unsigned long)st->size,
                        p->cur->buf[bi].name,
                        (unsigned long)p->cur->buf[bi].size);
    } else if (!get_addr(p, "phys", &st->pa, false)) {
        return false;
    } else if (!key(p, "phys")) {
        return perr(p, "map: expected buffer=NAME [offset=N] or "
                       "phys=ADDRESS");
    }
    return finish(p, "DOMAIN iova=ADDRESS buffer=NAME [offset=N] | "
                     "phys=ADDRESS, [size=N] [page=4K|2M|1G] "
                     "[perm=r|w|rw|none]");
}

static bool st_unmap(struct pctx *p, struct scn_stmt *st)
{
    unsigned perm = 0;

    st->size = 1ull << 12;
    if (!get_dom(p, pos(p, 0), &st->dom) ||
        !get_addr(p, "iova", &st->iova, true) ||
        !get_num(p, "size", &st->size, false, 1, 1ull << 48))
        return false;
    if (st->op == SCN_PROTECT) {
        if (!get_word(p, "perm", perm_words, &perm, true, "r|w|rw|none"))
            return false;
        st->perm = (uint8_t)perm;
        return finish(p, "DOMAIN iova=ADDRESS [size=N] perm=r|w|rw|none");
    }
    return finish(p, "DOMAIN iova=ADDRESS [size=N]");
}

static bool st_split(struct pctx *p, struct scn_stmt *st)
{
    unsigned level = 0;

    if (!get_dom(p, pos(p, 0), &st->dom) ||
        !get_addr(p, "iova", &st->iova, true) ||
        !get_u(p, "level", &level, true, 2, 3))
        return false;
    st->level = (uint8_t)level;
    /* A merge makes a leaf of the level's size; a split undoes one. */
    if (!add_req(p, SCN_REQ_PAGE, 1ull << (12 + 9 * (level - 1)), false, NULL,
                 true))
        return false;
    return finish(p, "DOMAIN iova=ADDRESS level=2|3");
}

static bool st_pte(struct pctx *p, struct scn_stmt *st)
{
    unsigned level = 0;

    if (!get_dom(p, pos(p, 0), &st->dom) ||
        !get_addr(p, "iova", &st->iova, true) ||
        !get_u(p, "level", &level, true, 1, 5) ||
        !get_mask(p, "set", &st->set) || !get_mask(p, "clear", &st->clear))
        return false;
    st->level = (uint8_t)level;
    if (key(p, "addr")) {
        struct tok *t = key(p, "addr");

        if (!parse_expr(p, "addr", t->val, t->vn, &st->pa, true))
            return false;
        st->flags |= SCN_F_ADDR;
    }
    if (!st->set && !st->clear && !(st->flags & SCN_F_ADDR))
        return perr(p, "pte: expected set=MASK, clear=MASK or addr=ADDRESS");
    return finish(p, "DOMAIN iova=ADDRESS level=1..5 [set=MASK] "
                     "[clear=MASK] [addr=ADDRESS]");
}

static bool st_entry(struct pctx *p, struct scn_stmt *st)
{
    unsigned word = 0;
    struct tok *t = pos(p, 0);
    uint64_t bus;

    if (st->op == SCN_ROOT && t && is_digit(t->s[0])) {
        if (!scn_parse_number(t->s, t->n, &bus) || bus > 255)
            return perr(p,
                        "root %.*s: expected a bus number 0..255 or a "
                        "device",
                        (int)t->n, t->s);
        st->sid = (uint16_t)(bus << 8);
        st->flags |= SCN_F_ROOT_BUS;
    } else if (!get_dev(p, t, &st->dev)) {
        return false;
    }
    /* a scalable-mode context entry has four words (9.4) */
    if (!get_u(p, "word", &word, false, 0, st->op == SCN_CTX ? 3 : 1) ||
        !get_mask(p, "set", &st->set) || !get_mask(p, "clear", &st->clear))
        return false;
    st->word = (uint8_t)word;
    if (!st->set && !st->clear)
        return perr(p, "%s: expected set=MASK and/or clear=MASK",
                    st->op == SCN_ROOT ? "root" : "ctx");
    return finish(p, st->op == SCN_ROOT
                         ? "DEV|BUS [word=0|1] [set=MASK] [clear=MASK]"
                         : "DEV [word=0..3] [set=MASK] [clear=MASK]");
}

/* expect= of an invalidation or a queued descriptor: which outcomes
 * `words` allows (SCN_EXPECT_*), absent: 0. */
bool get_inv_expect(struct pctx *p, struct scn_stmt *st, bool refused)
{
    struct tok *e = key(p, "expect");

    if (!e)
        return true;
    if (str_eq(e->val, e->vn, "ok"))
        st->expect = SCN_EXPECT_OK;
    else if (str_eq(e->val, e->vn, "iqe"))
        st->expect = SCN_EXPECT_IQE;
    else if (str_eq(e->val, e->vn, "ok,iqe") || str_eq(e->val, e->vn, "iqe,ok"))
        st->expect = SCN_EXPECT_OK_OR_IQE;
    else if (str_eq(e->val, e->vn, "any"))
        st->expect = SCN_EXPECT_ANY;
    else if (refused && str_eq(e->val, e->vn, "refused"))
        st->expect = SCN_EXPECT_REFUSED;
    else
        return perr(p, "expect=%.*s: expected ok, iqe, ok,iqe, any%s",
                    (int)e->vn, e->val, refused ? " or refused" : "");
    return true;
}

/* am=N, am=mamv or am=mamv+N (CAP.MAMV plus N, at run time). */
bool get_am(struct pctx *p, struct scn_stmt *st)
{
    struct tok *t = key(p, "am");
    uint64_t v = 0;

    if (!t)
        return true;
    if (t->vn >= 4 && !memcmp(t->val, "mamv", 4)) {
        st->flags |= SCN_F_AM_MAMV;
        if (t->vn > 4 &&
            (t->val[4] != '+' || !scn_parse_number(t->val + 5, t->vn - 5, &v)))
            return perr(p, "am=%.*s: expected N, mamv or mamv+N", (int)t->vn,
                        t->val);
    } else if (!scn_parse_number(t->val, t->vn, &v)) {
        return perr(p, "am=%.*s: expected N, mamv or mamv+N", (int)t->vn,
                    t->val);
    }
    if (v > 63)
        return perr(p, "am=%.*s: out of range (the field has 6 bits)",
                    (int)t->vn, t->val);
    st->am = (uint8_t)v;
    return true;
}

/* dev=DEV [fn=N]: a device's source-id, or another function of it. */
static bool get_inv_dev(struct pctx *p, struct scn_stmt *st, bool required)
{
    struct tok *d = key(p, "dev");
    unsigned fn = 0;

    if (d) {
        struct tok t = *d;

        t.s = t.val;
        t.n = t.vn;
        t.val = NULL;
        if (!get_dev(p, &t, &st->dev))
            return false;
    } else if (required) {
        return missing(p, "dev", "DEV");
    }
    if (key(p, "fn")) {
        if (!d)
            return perr(p, "inv: fn= goes with dev=DEV");
        if (!get_u(p, "fn", &fn, true, 0, 7))
            return false;
        st->fn = (uint8_t)fn;
        st->flags |= SCN_F_FN;
    }
    return true;
}

/* count=N [stride=N]: N requests, the address moving by stride. */
bool get_count(struct pctx *p, struct scn_stmt *st)
{
    uint64_t n = 1;

    if (!get_num(p, "count", &n, false, 1, 4096) ||
        !get_num(p, "stride", &st->stride, false, 0, 1ull << 48))
        return false;
    if (key(p, "stride") && n == 1)
        return perr(p, "inv: stride= goes with count=N");
    st->count = (uint32_t)n;
    return true;
}

static bool st_inv_devtlb(struct pctx *p, struct scn_stmt *st)
{
    uint64_t size = 1ull << 12, pfsid = 0;
    unsigned mip = 0;

    st->op = SCN_INV_DEVTLB;
    st->size = size;
    if (!get_inv_dev(p, st, true) || !get_via(p, st) ||
        !get_addr(p, "iova", &st->iova, false) ||
        !get_num(p, "size", &size, false, 1ull << 12, 1ull << 48) ||
        !get_num(p, "pfsid", &pfsid, false, 0, 0xFFFF) ||
        !get_u(p, "mip", &mip, false, 0, 31) || !get_count(p, st) ||
        !get_inv_expect(p, st, false))
        return false;
    if (size & (size - 1))
        return perr(p, "size=0x%lx: expected a power of two (4K and up)",
                    (unsigned long)size);
    if (st->via == SCN_VIA_REG)
        return perr(p, "inv devtlb: device-TLB invalidation exists only as "
                       "a queued descriptor (no via=reg)");
    st->via = SCN_VIA_QI;
    st->size = size;
    st->sid = (uint16_t)pfsid;
    st->mip = (uint8_t)mip;
    if (!st->stride)
        st->stride = size;
    if (!add_req(p, SCN_REQ_ECAP, VTD_ECAP_QI, false, "QI", true) ||
        !add_req(p, SCN_REQ_ECAP, VTD_ECAP_DT, false, "DT", true))
        return false;
    return finish(p, "devtlb dev=DEV [fn=0..7] [iova=ADDRESS] [size=N] "
                     "[pfsid=N] [mip=0..31] [count=N] [stride=N] "
                     "[expect=ok|iqe|ok,iqe|any]");
}

/* inv cc|iotlb GRAN [unchecked]: the granularity and the word after it. */
static bool get_inv_gran_word(struct pctx *p, struct scn_stmt *st, bool iotlb)
{
    struct tok *g = pos(p, 1), *u;

    if (!g)
        return perr(p, "inv %s: expected a granularity: global, domain, %s",
                    iotlb ? "iotlb" : "cc", iotlb ? "page" : "device");
    if (tok_is(g, "global"))
        st->gran = VTD_GRAN_GLOBAL;
    else if (tok_is(g, "domain"))
        st->gran = VTD_GRAN_DOMAIN;
    else if (tok_is(g, iotlb ? "page" : "device"))
        st->gran = 3;
    else if (tok_is(g, "reserved"))
        st->gran = VTD_GRAN_NONE;
    else
        return perr(p, "inv %s %.*s: expected global, domain or %s",
                    iotlb ? "iotlb" : "cc", (int)g->n, g->s,
                    iotlb ? "page" : "device");
    u = pos(p, 2);
    if (u) {
        if (!tok_is(u, "unchecked"))
            return perr(p,
                        "inv: unexpected word '%.*s' (expected "
                        "`unchecked` or key=value)",
                        (int)u->n, u->s);
        st->flags |= SCN_F_UNCHECKED;
    }
    if (st->gran == VTD_GRAN_NONE && !(st->flags & SCN_F_UNCHECKED))
        return perr(p,
                    "inv %s reserved: the reserved granularity (00) goes "
                    "with `unchecked`",
                    iotlb ? "iotlb" : "cc");
    return true;
}

/* The keys context-cache and IOTLB invalidations share. */
static bool get_inv_common(struct pctx *p, struct scn_stmt *st, bool iotlb)
{
    if (!get_did(p, st,
                 st->gran == VTD_GRAN_DOMAIN ||
                     (iotlb && st->gran == VTD_GRAN_PAGE)) ||
        !get_via(p, st) || !get_gran(p, st, iotlb) ||
        !get_inv_expect(p, st, true) || !get_count(p, st))
        return false;
    if (st->expect == SCN_EXPECT_REFUSED && st->via != SCN_VIA_REG)
        return perr(p, "inv: expect=refused is for via=reg while queued "
                       "invalidation is on");
    if (st->expect == SCN_EXPECT_REFUSED &&
        (st->gran_ok || (st->flags & SCN_F_UNCHECKED) || st->count > 1))
        return perr(p, "inv: expect=refused goes without gran=, unchecked "
                       "and count=");
    return true;
}

/* inv cc: the function mask and the device. */
static bool st_inv_cc(struct pctx *p, struct scn_stmt *st)
{
    unsigned v = 0;

    if (!get_u(p, "fm", &v, false, 0, 3) || !get_inv_dev(p, st, false))
        return false;
    st->fm = (uint8_t)v;
    if (st->gran == VTD_GRAN_DEVICE && st->dev < 0)
        return missing(p, "dev", "DEV");
    return finish(p, "global|domain|device|reserved [did=N|DOMAIN] "
                     "[dev=DEV] [fn=0..7] [fm=0..3] [via=reg|qi] "
                     "[gran=LIST] [expect=ok|iqe|ok,iqe|any|refused] "
                     "[count=N] [unchecked]");
}

/* inv iotlb: the address, its mask, the hints and what it requires. */
static bool st_inv_iotlb(struct pctx *p, struct scn_stmt *st)
{
    if (!get_addr(p, "iova", &st->iova, st->gran == VTD_GRAN_PAGE) ||
        !get_am(p, st))
        return false;
    if (!get_bool(p, "ih", &st->flags, SCN_F_IH) ||
        !get_bool(p, "dr", &st->flags, SCN_F_DR) ||
        !get_bool(p, "dw", &st->flags, SCN_F_DW))
        return false;
    if (st->gran == VTD_GRAN_PAGE && !(st->flags & SCN_F_UNCHECKED) &&
        !add_req(p, SCN_REQ_CAP, VTD_CAP_PSI, false, "PSI", true))
        return false;
    if ((st->flags & SCN_F_AM_MAMV) && !(st->flags & SCN_F_UNCHECKED) &&
        !add_req(p, SCN_REQ_MAMV, 0, false, NULL, true))
        return false;
    return finish(p, "global|domain|page|reserved [did=N|DOMAIN] "
                     "[iova=ADDRESS] [am=N|mamv|mamv+N] [ih=0|1] [dr=0|1] "
                     "[dw=0|1] [via=reg|qi] [gran=LIST] "
                     "[expect=ok|iqe|ok,iqe|any|refused] [count=N] "
                     "[stride=N] [unchecked]");
}

static bool st_inv(struct pctx *p, struct scn_stmt *st)
{
    struct tok *what = pos(p, 0);
    bool iotlb;

    if (what && tok_is(what, "devtlb")) {
        if (pos(p, 1))
            return perr(p,
                        "inv devtlb: unexpected word '%.*s' (expected "
                        "key=value)",
                        (int)pos(p, 1)->n, pos(p, 1)->s);
        return st_inv_devtlb(p, st);
    }
    if (what && (tok_is(what, "pc") || tok_is(what, "piotlb")))
        return scn_p_inv_sm(p, st);
    if (what && tok_is(what, "iec"))
        return scn_inv_iec_parse(p, st);
    if (!what || (!tok_is(what, "cc") && !tok_is(what, "iotlb")))
        return perr(p, "inv: expected cc, iotlb, devtlb, pc, piotlb or iec");
    iotlb = tok_is(what, "iotlb");
    st->op = iotlb ? SCN_INV_IOTLB : SCN_INV_CC;
    if (!get_inv_gran_word(p, st, iotlb) || !get_inv_common(p, st, iotlb))
        return false;
    return iotlb ? st_inv_iotlb(p, st) : st_inv_cc(p, st);
}

static bool st_qi_wait(struct pctx *p, struct scn_stmt *st)
{
    uint32_t f = 0;

    st->op = SCN_QI_WAIT;
    if (!get_bool(p, "if", &f, SCN_WAIT_IF) ||
        !get_bool(p, "sw", &f, SCN_WAIT_SW) ||
        !get_bool(p, "fn", &f, SCN_WAIT_FN) || !get_inv_expect(p, st, false))
        return false;
    st->wait = (uint8_t)f;
    if (!st->expect || st->expect == SCN_EXPECT_ANY)
        return missing(p, "expect", "ok|iqe|ok,iqe");
    if (!add_req(p, SCN_REQ_ECAP, VTD_ECAP_QI, false, "QI", true))
        return false;
    return finish(p, "wait [sw=0|1] [if=0|1] [fn=0|1] expect=ok|iqe|ok,iqe");
}

static bool st_qi(struct pctx *p, struct scn_stmt *st)
{
    struct tok *t = pos(p, 0);
    static const char *const qw[4] = { "qw0", "qw1", "qw2", "qw3" };

    if (t && tok_is(t, "wait"))
        return st_qi_wait(p, st);
    if (!t || !tok_is(t, "raw"))
        return perr(p, "qi: expected `qi raw qw0=N qw1=N [qw2=N qw3=N] "
                       "expect=ok|iqe|ok,iqe|any` or `qi wait [sw=] [if=] "
                       "[fn=] expect=ok|iqe|ok,iqe`");
    st->op = SCN_QI_RAW;
    for (unsigned i = 0; i < 4; i++)
        if (!get_mask(p, qw[i], &st->qw[i]))
            return false;
    if (!key(p, "qw0"))
        return missing(p, "qw0", "N");
    if (!get_inv_expect(p, st, false))
        return false;
    if (!st->expect)
        return missing(p, "expect", "ok|iqe|ok,iqe|any");
    if (!add_req(p, SCN_REQ_ECAP, VTD_ECAP_QI, false, "QI", true))
        return false;
    return finish(p, "raw qw0=N qw1=N [qw2=N] [qw3=N] "
                     "expect=ok|iqe|ok,iqe|any");
}

/* expect=ok|nofault|any|fault:REASON [addr=ADDRESS] [sid=N] of a DMA. */
static bool get_dma_expect(struct pctx *p, struct scn_stmt *st)
{
    struct tok *e = key(p, "expect");
    uint64_t sid = 0;

    if (!e)
        return missing(p, "expect", "ok|nofault|any|fault:REASON");
    if (str_eq(e->val, e->vn, "ok")) {
        st->expect = SCN_EXPECT_OK;
    } else if (str_eq(e->val, e->vn, "nofault")) {
        st->expect = SCN_EXPECT_NOFAULT;
    } else if (str_eq(e->val, e->vn, "any")) {
        st->expect = SCN_EXPECT_ANY;
    } else if (e->vn > 6 && !memcmp(e->val, "fault:", 6)) {
        unsigned r;

        if (!scn_fault_reason(e->val + 6, e->vn - 6, &r))
            return perr(p,
                        "expect=%.*s: unknown fault reason (expected "
                        "root-np, ctx-np, ctx-inv, aw, write, read, "
                        "pte-access, root-access, ctx-access, root-rsvd, "
                        "ctx-rsvd, pte-rsvd, tt, intr-range or a number)",
                        (int)e->vn, e->val);
        st->expect = SCN_EXPECT_FAULT;
        st->reason = (uint8_t)r;
    } else {
        return perr(p,
                    "expect=%.*s: expected ok, nofault, any or "
                    "fault:REASON",
                    (int)e->vn, e->val);
    }
    if (key(p, "addr")) {
        if (st->expect != SCN_EXPECT_FAULT)
            return perr(p, "%.*s: addr= only goes with expect=fault:REASON",
                        (int)p->tok[0].n, p->tok[0].s);
        if (!parse_expr(p, "addr", key(p, "addr")->val, key(p, "addr")->vn,
                        &st->faddr, true))
            return false;
        st->flags |= SCN_F_ADDR;
    }
    if (key(p, "sid")) {
        if (st->expect != SCN_EXPECT_FAULT)
            return perr(p, "%.*s: sid= only goes with expect=fault:REASON",
                        (int)p->tok[0].n, p->tok[0].s);
        if (!get_num(p, "sid", &sid, true, 0, 0xFFFF))
            return false;
        st->sid = (uint16_t)sid;
        st->flags |= SCN_F_SID;
    }
    return true;
}

static bool st_dma(struct pctx *p, struct scn_stmt *st)
{
    struct tok *d, *w;
    uint64_t len = 0, off = 0;

    if (!get_dev(p, pos(p, 0), &st->dev))
        return false;
    d = pos(p, 1);
    if (d && tok_is(d, "to-ram"))
        st->dir = SCN_TO_RAM;
    else if (d && tok_is(d, "from-ram"))
        st->dir = SCN_FROM_RAM;
    else
        return perr(p, "dma: expected a direction, to-ram (the device "
                       "writes memory) or from-ram (it reads memory)");
    if (!get_addr(p, "iova", &st->iova, true) ||
        !get_num(p, "len", &len, true, 1, SCN_MAX_DMA) ||
        !get_num(p, "off", &off, false, 0, SCN_MAX_DMA - 1))
        return false;
    if (off + len > SCN_MAX_DMA)
        return perr(p,
                    "off %lu + len %lu: beyond the device's buffer "
                    "(at most %u bytes from offset 0)",
                    (unsigned long)off, (unsigned long)len, SCN_MAX_DMA);
    st->len = len;
    st->offset = off;
    w = pos(p, 2);
    if (w) {
        /* dma ... start: the transfer runs later; dma-wait judges it. */
        if (!tok_is(w, "start"))
            return perr(p,
                        "dma: unexpected word '%.*s' (expected `start` "
                        "or key=value)",
                        (int)w->n, w->s);
        if (key(p, "expect"))
            return perr(p, "dma ... start: the expectation goes on the "
                           "`dma-wait` that follows, not here");
        st->flags |= SCN_F_START;
        return finish(p, "DEV to-ram|from-ram iova=ADDRESS len=N [off=N] "
                         "start");
    }
    if (!get_dma_expect(p, st))
        return false;
    return finish(p, "DEV to-ram|from-ram iova=ADDRESS len=N [off=N] "
                     "expect=ok|nofault|any|fault:REASON [addr=ADDRESS] "
                     "[sid=N], or ... start");
}

static bool st_dma_wait(struct pctx *p, struct scn_stmt *st)
{
    if (!get_dev(p, pos(p, 0), &st->dev) || !get_dma_expect(p, st))
        return false;
    return finish(p, "DEV expect=ok|nofault|any|fault:REASON "
                     "[addr=ADDRESS] [sid=N]");
}

static bool st_check(struct pctx *p, struct scn_stmt *st)
{
    struct tok *same;

    if (!get_buf(p, pos(p, 0), &st->buf) || !get_range(p, st, false))
        return false;
    same = key(p, "same");
    st->buf2 = -1;
    st->src = st->offset;
    if (!get_num(p, "src", &st->src, false, 0, SCN_MAX_BUFFER_SIZE))
        return false;
    if (same) {
        int b = find_buffer(p->cur, same->val, same->vn);

        if (b < 0)
            return perr(p,
                        "same=%.*s: unknown buffer (expected a name "
                        "declared by `buffer`)",
                        (int)same->vn, same->val);
        if (key(p, "seed") || key(p, "pattern"))
            return perr(p, "check: expected same=BUFFER or "
                           "[pattern=..] seed=N, not both");
        st->buf2 = (int8_t)b;
        if (st->src + st->len > p->cur->buf[b].size)
            return perr(p,
                        "src 0x%lx + len 0x%lx: beyond buffer '%s' (size "
                        "0x%lx)",
                        (unsigned long)st->src, (unsigned long)st->len,
                        p->cur->buf[b].name,
                        (unsigned long)p->cur->buf[b].size);
    } else if (!get_pattern(p, st, true)) {
        return false;
    }
    return finish(p, "BUFFER [offset=N] [len=N] [pattern=mix|inc|const] "
                     "seed=N [src=N], or BUFFER [offset=N] [len=N] "
                     "same=BUFFER [src=N]");
}

static bool st_check_either(struct pctx *p, struct scn_stmt *st)
{
    struct tok *b2;
    uint64_t v = 0;

    if (!get_buf(p, pos(p, 0), &st->buf))
        return false;
    b2 = pos(p, 1);
    st->buf2 = -1;
    if (b2 && !get_buf(p, b2, &st->buf2))
        return false;
    if (!get_range(p, st, false))
        return false;
    st->src = st->offset;
    if (!get_num(p, "src", &st->src, false, 0, SCN_MAX_BUFFER_SIZE))
        return false;
    if (key(p, "stale")) {
        struct tok *t = key(p, "stale");

        if (str_eq(t->val, t->vn, "if-ignored"))
            st->flags |= SCN_F_STALE_IGNORED;
        else if (!str_eq(t->val, t->vn, "any"))
            return perr(p, "stale=%.*s: expected any or if-ignored", (int)t->vn,
                        t->val);
    }
    if (st->buf2 >= 0) {
        if (st->offset + st->len > p->cur->buf[st->buf2].size)
            return perr(p, "offset 0x%lx + len 0x%lx: beyond buffer '%s'",
                        (unsigned long)st->offset, (unsigned long)st->len,
                        p->cur->buf[st->buf2].name);
        if (!get_pattern(p, st, true))
            return false;
        return finish(p, "OLD NEW [offset=N] [len=N] "
                         "[pattern=mix|inc|const] seed=N [src=N] "
                         "[stale=any|if-ignored]");
    }
    if (!get_pattern(p, st, false) ||
        !get_num(p, "old", &v, true, 0, 0xFFFFFFFF))
        return false;
    st->seed = (uint32_t)v;
    if (!get_num(p, "new", &v, true, 0, 0xFFFFFFFF))
        return false;
    st->seed2 = (uint32_t)v;
    return finish(p, "OLD NEW [offset=N] [len=N] [pattern=..] seed=N "
                     "[src=N], or BUFFER [offset=N] [len=N] [pattern=..] "
                     "old=SEED new=SEED [src=N], [stale=any|if-ignored]");
}

static bool st_note(struct pctx *p, struct scn_stmt *st)
{
    struct tok *t = str_arg(p);

    if (!t)
        return perr(p, "note: expected a \"string\"");
    memset(&st->xf, 0, sizeof(st->xf));
    st->text = t->s;
    st->text_len = (uint16_t)t->n;
    return finish(p, "\"text\"");
}

/* ------------------------------------------------------------ registers */

#define REG_VALUE_FORM                                   \
    "a number, ones, $NAME (a value saved by `reg read " \
    "... save=NAME`) or @BUFFER, terms joined by '+'"

/* OFFSET: a number, or a register's name (vtd/regmap.c) with an optional
 * +N; *width gets the named register's width. */
static bool reg_offset(struct pctx *p, const char *s, size_t n,
                       struct scn_reg_off *o, unsigned *width)
{
    uint64_t v = 0;
    size_t j = 0;

    o->base = SCN_RB_ABS;
    o->k = 0;
    if (n && is_alpha(s[0]) &&
        !(n > 3 && !memcmp(s, "bit", 3) && is_digit(s[3]))) {
        const struct vtd_reg_info *r;

        while (j < n && s[j] != '+')
            j++;
        r = vtd_reg_by_name(s, j);
        if (!r)
            return perr(p,
                        "reg: unknown register '%.*s' (expected an "
                        "offset, or a register's name in lower case: ver, "
                        "cap, ecap, gcmd, gsts, rtaddr, ccmd, fsts, fectl, "
                        "..., iva, iotlb, frcd)",
                        (int)j, s);
        o->base = r->place == VTD_REG_AT_IRO   ? SCN_RB_IRO
                  : r->place == VTD_REG_AT_FRO ? SCN_RB_FRO
                                               : SCN_RB_ABS;
        v = r->off;
        if (width)
            *width = r->width;
        if (j == n) {
            o->k = (uint32_t)v;
            return true;
        }
        j++;
        if (j == n)
            return perr(p, "reg: '%.*s': expected a number after '+'", (int)n,
                        s);
    }
    {
        uint64_t k;

        if (!scn_parse_number(s + j, n - j, &k))
            return perr(p,
                        "reg: '%.*s' is not an offset (expected a "
                        "number or a register name, with +N)",
                        (int)n, s);
        if (k > SCN_MAX_REG_OFF || v + k > SCN_MAX_REG_OFF)
            return perr(p,
                        "reg: offset '%.*s' beyond 0x%x (the largest "
                        "register set a DRHD can report)",
                        (int)n, s, SCN_MAX_REG_OFF);
        o->k = (uint32_t)(v + k);
    }
    return true;
}

static int find_saved(const struct scn_scenario *c, const char *s, size_t n)
{
    for (unsigned i = 0; i < c->nsaved; i++)
        if (str_eq(s, n, c->saved[i]))
            return (int)i;
    return -1;
}

/* VALUE: ones, or terms joined by '+': numbers, one @BUFFER, one $NAME. */
static bool reg_value(struct pctx *p, const char *what, const char *s, size_t n,
                      struct scn_reg_val *v)
{
    size_t i = 0;

    v->k = 0;
    v->buf = -1;
    v->saved = -1;
    v->ones = false;
    if (str_eq(s, n, "ones")) {
        v->ones = true;
        return true;
    }
    while (i <= n) {
        size_t j = i;
        uint64_t k;

        while (j < n && s[j] != '+')
            j++;
        if (j == i)
            return perr(p, "%s %.*s: empty term (expected %s)", what, (int)n, s,
                        REG_VALUE_FORM);
        if (s[i] == '@' || s[i] == '$') {
            bool buf = s[i] == '@';
            int x = buf ? find_buffer(p->cur, s + i + 1, j - i - 1)
                        : find_saved(p->cur, s + i + 1, j - i - 1);

            if (x < 0)
                return perr(p,
                            "%s %.*s: unknown %s '%.*s' (expected a name "
                            "%s)",
                            what, (int)n, s, buf ? "buffer" : "value",
                            (int)(j - i - 1), s + i + 1,
                            buf ? "declared by `buffer`"
                                : "saved by an earlier "
                                  "`reg read ... save=NAME`");
            if ((buf && v->buf >= 0) || (!buf && v->saved >= 0))
                return perr(p, "%s %.*s: expected at most one %s", what, (int)n,
                            s, buf ? "@BUFFER" : "$NAME");
            if (buf)
                v->buf = (int8_t)x;
            else
                v->saved = (int8_t)x;
        } else {
            if (!scn_parse_number(s + i, j - i, &k))
                return perr(p,
                            "%s %.*s: '%.*s' is not a number (expected "
                            "%s)",
                            what, (int)n, s, (int)(j - i), s + i,
                            REG_VALUE_FORM);
            if (v->k + k < v->k)
                return perr(p, "%s %.*s: overflows 64 bits", what, (int)n, s);
            v->k += k;
        }
        i = j + 1;
    }
    return true;
}

static uint64_t width_ones(unsigned width)
{
    return width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
}

static bool reg_fits(struct pctx *p, const char *what, uint64_t v,
                     unsigned width)
{
    if (v & ~width_ones(width))
        return perr(p, "%s 0x%lx does not fit width=%u", what, (unsigned long)v,
                    width);
    return true;
}

/* OFFSET or OFFSET..END into st->reg; *width: a named register's. */
static bool reg_where(struct pctx *p, struct scn_stmt *st, const struct tok *t,
                      unsigned *width)
{
    struct scn_reg *g = &st->reg;

    for (size_t i = 0; i + 1 < t->n; i++) {
        if (t->s[i] != '.' || t->s[i + 1] != '.')
            continue;
        if (!i || i + 2 == t->n)
            return perr(p, "reg: '%.*s': expected OFFSET..END", (int)t->n,
                        t->s);
        g->sweep = true;
        return reg_offset(p, t->s, i, &g->from, width) &&
               reg_offset(p, t->s + i + 2, t->n - i - 2, &g->to, NULL);
    }
    return reg_offset(p, t->s, t->n, &g->from, width);
}

static bool reg_sweep_args(struct pctx *p, struct scn_stmt *st)
{
    struct scn_reg *g = &st->reg;
    struct tok *w = key(p, "where");
    uint64_t step = g->width;

    if (!g->sweep) {
        if (key(p, "step") || w)
            return perr(p, "reg: step= and where= go with a range "
                           "OFFSET..END");
        return true;
    }
    if (!get_num(p, "step", &step, false, 1, 4096))
        return false;
    g->step = (uint32_t)step;
    if (w) {
        if (str_eq(w->val, w->vn, "reserved"))
            g->reserved = true;
        else if (!str_eq(w->val, w->vn, "any"))
            return perr(p, "where=%.*s: expected reserved or any", (int)w->vn,
                        w->val);
    }
    if (g->from.base == g->to.base &&
        (uint64_t)g->to.k + 1 < (uint64_t)g->from.k + g->width)
        return perr(p,
                    "reg: the range 0x%x..0x%x holds no access of width "
                    "%u",
                    g->from.k, g->to.k, g->width);
    return true;
}

/* width=1|2|4|8, overriding a named register's width. */
static bool get_reg_width(struct pctx *p, unsigned *width)
{
    uint64_t v = 0;

    if (!key(p, "width"))
        return true;
    if (!get_num(p, "width", &v, true, 1, 8))
        return false;
    if (v != 1 && v != 2 && v != 4 && v != 8)
        return perr(p, "width=%lu: expected 1, 2, 4 or 8", (unsigned long)v);
    *width = (unsigned)v;
    return true;
}

/* reg write OFFSET VALUE [set=M] [clear=M]. */
static bool st_reg_write(struct pctx *p, struct scn_stmt *st, unsigned width)
{
    struct scn_reg *g = &st->reg;
    struct tok *t = pos(p, 2);

    if (!t)
        return perr(p, "reg write: expected a VALUE after the offset (%s)",
                    REG_VALUE_FORM);
    if (!reg_value(p, "reg write", t->s, t->n, &g->val))
        return false;
    if (g->val.buf < 0 && g->val.saved < 0 && !g->val.ones &&
        !reg_fits(p, "reg write: VALUE", g->val.k, width))
        return false;
    if (!get_mask(p, "set", &g->set) || !get_mask(p, "clear", &g->clear) ||
        !reg_fits(p, "reg write: set=", g->set, width) ||
        !reg_fits(p, "reg write: clear=", g->clear, width))
        return false;
    return finish(p, "OFFSET[..END] VALUE [width=1|2|4|8] [set=M] "
                     "[clear=M] [step=N] [where=reserved|any]");
}

/* reg read ... [expect=VALUE] [mask=M]: what the read must return. */
static bool get_reg_expect(struct pctx *p, struct scn_stmt *st, unsigned width)
{
    struct scn_reg *g = &st->reg;
    struct tok *t = key(p, "expect");

    g->mask = width_ones(width);
    if (t) {
        if (!reg_value(p, "expect=", t->val, t->vn, &g->val))
            return false;
        if (g->val.buf < 0 && g->val.saved < 0 && !g->val.ones &&
            !reg_fits(p, "reg read: expect=", g->val.k, width))
            return false;
        st->flags |= SCN_F_EXPECT;
    }
    if (key(p, "mask")) {
        if (!t)
            return perr(p, "reg read: mask= goes with expect=");
        if (!get_mask(p, "mask", &g->mask) ||
            !reg_fits(p, "reg read: mask=", g->mask, width))
            return false;
    }
    return true;
}

#define REG_READ_FORM                               \
    "OFFSET[..END] [width=1|2|4|8] [step=N] "       \
    "[where=reserved|any] [expect=VALUE] [mask=M] " \
    "[save=NAME]"

/* reg read ... save=NAME: the value read, kept under a new name. */
static bool st_reg_read_save(struct pctx *p, struct scn_stmt *st,
                             const struct tok *t)
{
    struct scn_reg *g = &st->reg;
    struct scn_scenario *c = p->cur;

    if (g->sweep)
        return perr(p, "reg read: save= takes one read, not a range");
    if (!name_ok(t->val, t->vn))
        return perr(p,
                    "save=%.*s: expected a name (a letter, then "
                    "letters, digits, '_', '-', '.')",
                    (int)t->vn, t->val);
    if (find_saved(c, t->val, t->vn) >= 0)
        return perr(p,
                    "save=%.*s: a value of that name is already "
                    "saved in this scenario",
                    (int)t->vn, t->val);
    if (c->nsaved == SCN_MAX_SAVED)
        return perr(p, "more than %u saved values in one scenario",
                    SCN_MAX_SAVED);
    if (!finish(p, REG_READ_FORM))
        return false;
    name_copy(c->saved[c->nsaved], t->val, t->vn);
    g->save = (int8_t)c->nsaved++;
    return true;
}

/* reg read OFFSET[..END] [expect=VALUE] [mask=M] [save=NAME]. */
static bool st_reg_read(struct pctx *p, struct scn_stmt *st, unsigned width)
{
    struct tok *t;

    if (pos(p, 2))
        return perr(p,
                    "reg read: unexpected word '%.*s' (a read takes no "
                    "value; expect=VALUE states what it must read)",
                    (int)pos(p, 2)->n, pos(p, 2)->s);
    if (!get_reg_expect(p, st, width))
        return false;
    t = key(p, "save");
    if (t)
        return st_reg_read_save(p, st, t);
    return finish(p, REG_READ_FORM);
}

static bool st_reg(struct pctx *p, struct scn_stmt *st)
{
    struct scn_reg *g = &st->reg;
    struct tok *what = pos(p, 0), *where = pos(p, 1);
    unsigned width = 4;
    bool write;

    memset(g, 0, sizeof(*g));
    g->save = -1;
    g->val.buf = g->val.saved = -1;
    if (!what || (!tok_is(what, "read") && !tok_is(what, "write")))
        return perr(p, "reg: expected `reg read OFFSET ...` or `reg write "
                       "OFFSET VALUE ...`");
    write = tok_is(what, "write");
    st->op = write ? SCN_REG_WRITE : SCN_REG_READ;
    if (!where)
        return perr(p,
                    "reg %s: expected an OFFSET (a number, or a "
                    "register's name with an optional +N) or a range "
                    "OFFSET..END",
                    write ? "write" : "read");
    if (!reg_where(p, st, where, &width) || !get_reg_width(p, &width))
        return false;
    g->width = (uint8_t)width;
    if (!reg_sweep_args(p, st))
        return false;
    return write ? st_reg_write(p, st, width) : st_reg_read(p, st, width);
}

/* ------------------------------------------------------------- scenarios */

static bool st_scenario(struct pctx *p)
{
    struct scn_script *s = p->s;
    struct tok *name = p->ntok > 1 ? &p->tok[1] : NULL;
    struct tok *title = p->ntok > 2 ? &p->tok[2] : NULL;
    struct scn_scenario *c;

    if (p->xfail_line) {
        unsigned line = p->line;

        p->line = p->xfail_line;
        p->xfail_line = 0;
        perr(p, "xfail \"...\" at the end of a scenario: expected a check "
                "statement after it");
        p->line = line;
        p->failed = false;
    }
    p->cur = NULL;
    p->sink = true;
    if (s->nscn == SCN_MAX_SCENARIOS)
        return perr(p, "more than %u scenarios in one script",
                    SCN_MAX_SCENARIOS);
    c = &s->scn[s->nscn++];
    memset(c, 0, sizeof(*c));
    c->error = -1;
    c->line = p->line;
    c->first = s->nstmt;
    p->cur = c;
    p->sink = false;
    if (!name || name->quoted || name->val || !name_ok(name->s, name->n)) {
        vt_snprintf(c->name, sizeof(c->name), "line-%u", p->line);
        return perr(p,
                    "scenario: expected a name (a letter, then letters, "
                    "digits, '_', '-', '.'; at most %u characters) and a "
                    "\"title\"",
                    SCN_NAME_MAX - 1);
    }
    name_copy(c->name, name->s, name->n);
    for (unsigned i = 0; i + 1 < s->nscn; i++)
        if (!strcmp(s->scn[i].name, c->name))
            return perr(p, "scenario '%s' declared twice (first at line %u)",
                        c->name, s->scn[i].line);
    if (!title || !title->quoted)
        return perr(p, "scenario %s: expected a \"title\" after the name",
                    c->name);
    if (p->ntok > 3)
        return perr(p, "scenario %s: unexpected words after the title",
                    c->name);
    c->title = title->s;
    c->title_len = (uint16_t)title->n;
    return true;
}

static const struct {
    const char *word;
    unsigned op;
    bool (*parse)(struct pctx *p, struct scn_stmt *st);
} statements[] = {
    { "set", SCN_SET, st_set },
    { "domain", SCN_DOMAIN, st_domain },
    { "buffer", SCN_BUFFER, st_buffer },
    { "fill", SCN_FILL, st_fill },
    { "attach", SCN_ATTACH, st_attach },
    { "detach", SCN_DETACH, st_detach },
    { "enable", SCN_ENABLE, st_noargs },
    { "disable", SCN_DISABLE, st_noargs },
    { "map", SCN_MAP, st_map },
    { "unmap", SCN_UNMAP, st_unmap },
    { "protect", SCN_PROTECT, st_unmap },
    { "split", SCN_SPLIT, st_split },
    { "merge", SCN_MERGE, st_split },
    { "pte", SCN_PTE, st_pte },
    { "ctx", SCN_CTX, st_entry },
    { "root", SCN_ROOT, st_entry },
    { "inv", SCN_INV_CC, st_inv },
    { "qi", SCN_QI_RAW, st_qi },
    { "dma", SCN_DMA, st_dma },
    { "dma-wait", SCN_DMA_WAIT, st_dma_wait },
    { "check", SCN_CHECK, st_check },
    { "check-either", SCN_CHECK_EITHER, st_check_either },
    { "note", SCN_NOTE, st_note },
    { "reg", SCN_REG_READ, st_reg },
    { "pasid", SCN_PASID, scn_p_pasid },
    { "pdir", SCN_PDIR, scn_p_pasid },
    { "ir", SCN_IR, scn_ir_parse },
    { "irte", SCN_IRTE, scn_irte_parse },
    { "msi", SCN_MSI, scn_msi_parse },
    { "ioapic", SCN_IOAPIC, scn_ioapic_parse },
};

#define NSTATEMENTS (sizeof(statements) / sizeof(statements[0]))

const char *scn_op_name(unsigned op)
{
    if (op == SCN_ATTACH_PT)
        return "attach";
    if (op == SCN_INV_IOTLB || op == SCN_INV_DEVTLB || op == SCN_INV_PC ||
        op == SCN_INV_PIOTLB || op == SCN_INV_IEC)
        return "inv";
    if (op == SCN_SET_MODE)
        return "set";
    if (op == SCN_QI_WAIT)
        return "qi";
    if (op == SCN_REG_WRITE)
        return "reg";
    for (unsigned i = 0; i < NSTATEMENTS; i++)
        if (statements[i].op == op)
            return statements[i].word;
    return "?";
}

bool scn_stmt_is_check(const struct scn_stmt *st)
{
    switch (st->op) {
    case SCN_DMA:
        return !(st->flags & SCN_F_START) && st->expect != SCN_EXPECT_ANY;
    case SCN_DMA_WAIT:
    case SCN_QI_RAW:
        return st->expect != SCN_EXPECT_ANY;
    case SCN_CHECK:
    case SCN_CHECK_EITHER:
    case SCN_QI_WAIT:
        return true;
    case SCN_REG_READ:
        return st->flags & SCN_F_EXPECT;
    case SCN_MSI:
    case SCN_IOAPIC:
        return st->ir.expect != SCN_IRQ_ANY;
    case SCN_IR:
        return st->ir.cmd == SCN_IR_CFI;
    case SCN_INV_IEC:
        return st->expect && st->expect != SCN_EXPECT_ANY;
    case SCN_INV_CC:
    case SCN_INV_IOTLB:
    case SCN_INV_DEVTLB:
    case SCN_INV_PC:
    case SCN_INV_PIOTLB:
        /* gran= is judged through the registers, expect= through the
         * queue (and expect=refused through the registers). */
        return st->gran_ok != 0 || (st->expect && st->expect != SCN_EXPECT_ANY);
    }
    return false;
}

#define XFAIL_FORM "xfail qemu[RANGE] [fix=COMMIT] spec=SECTION \"why\""

/* The clause after `xfail` (tokens from, to the end) into xf. */
static bool xfail_clause(struct pctx *p, unsigned from, struct scn_xfail *xf)
{
    char err[200];

    memset(xf, 0, sizeof(*xf));
    if (from >= p->ntok || p->tok[from].quoted || p->tok[from].n < 4 ||
        memcmp(p->tok[from].s, "qemu", 4))
        return perr(p,
                    "xfail: expected %s: the QEMU versions with the bug "
                    "first (qemu: every version; qemu<9.2: before 9.2)",
                    XFAIL_FORM);
    if (!xfail_range_valid(p->tok[from].s, p->tok[from].n, err, sizeof(err)))
        return perr(p, "xfail: %s", err);
    xf->range = p->tok[from].s;
    xf->range_len = (uint16_t)p->tok[from].n;
    for (unsigned k = from + 1; k < p->ntok; k++) {
        struct tok *t = &p->tok[k];

        if (t->quoted) {
            if (k + 1 != p->ntok || !t->n)
                return perr(p, "xfail: expected %s, the \"why\" last",
                            XFAIL_FORM);
            xf->why = t->s;
            xf->why_len = (uint16_t)t->n;
        } else if (t->val && t->kn == 3 && !memcmp(t->s, "fix", 3) && t->vn &&
                   !xf->fix) {
            xf->fix = t->val;
            xf->fix_len = (uint16_t)t->vn;
        } else if (t->val && t->kn == 4 && !memcmp(t->s, "spec", 4) && t->vn &&
                   !xf->spec) {
            xf->spec = t->val;
            xf->spec_len = (uint16_t)t->vn;
        } else {
            return perr(p, "xfail: unexpected '%.*s' (expected %s)", (int)t->n,
                        t->s, XFAIL_FORM);
        }
    }
    if (!xf->why)
        return perr(p, "xfail: expected %s: no \"why\"", XFAIL_FORM);
    if (!xf->spec)
        return perr(p,
                    "xfail: expected %s: spec=SECTION is required (the "
                    "VT-d specification section, rev 5.10, the check rests "
                    "on)",
                    XFAIL_FORM);
    return true;
}

/* Take a trailing or standalone `xfail ...` off the token list.
 * Returns false when the line was only that (nothing more to parse). */
static bool take_xfail(struct pctx *p)
{
    memset(&p->stmt_xfail, 0, sizeof(p->stmt_xfail));
    for (unsigned k = 0; k < p->ntok; k++) {
        struct scn_xfail xf;

        if (!tok_is(&p->tok[k], "xfail"))
            continue;
        if (!xfail_clause(p, k + 1, &xf))
            return false;
        if (k == 0) {
            if (p->xfail_line) {
                perr(p,
                     "xfail: two in a row (the one at line %u has no "
                     "check after it)",
                     p->xfail_line);
                return false;
            }
            p->xfail = xf;
            p->xfail_line = p->line;
            return false;
        }
        if (p->xfail_line) {
            perr(p, "xfail given twice: on line %u and on this line",
                 p->xfail_line);
            return false;
        }
        p->stmt_xfail = xf;
        p->text_len = (size_t)(p->tok[k].s - p->text);
        while (p->text_len && (p->text[p->text_len - 1] == ' ' ||
                               p->text[p->text_len - 1] == '\t'))
            p->text_len--;
        p->ntok = k;
        return true;
    }
    if (p->xfail_line) {
        p->stmt_xfail = p->xfail;
        p->xfail_line = 0;
    }
    return true;
}

static void statement(struct pctx *p)
{
    struct scn_script *s = p->s;
    struct scn_stmt *st;
    unsigned i;

    if (tok_is(&p->tok[0], "scenario")) {
        st_scenario(p);
        return;
    }
    if (p->sink)
        return;
    if (!p->cur) {
        perr(p, "expected `scenario NAME \"title\"` before the first "
                "statement");
        p->sink = true;
        return;
    }
    if (!take_xfail(p))
        return;
    if (tok_is(&p->tok[0], "require")) {
        if (p->stmt_xfail.why)
            perr(p, "xfail: `require` is not a check");
        else
            st_require(p);
        return;
    }
    for (i = 0; i < NSTATEMENTS; i++)
        if (tok_is(&p->tok[0], statements[i].word))
            break;
    if (i == NSTATEMENTS) {
        perr(p,
             "unknown statement '%.*s' (expected one of: scenario "
             "require set domain buffer fill attach detach enable disable "
             "map unmap protect split merge pte ctx root inv qi dma dma-wait "
             "check check-either note reg ir irte msi ioapic xfail)",
             (int)p->tok[0].n, p->tok[0].s);
        return;
    }
    if (s->nstmt == SCN_MAX_STMTS) {
        perr(p, "more than %u statements in one script", SCN_MAX_STMTS);
        return;
    }
    st = &s->stmt[s->nstmt];
    memset(st, 0, sizeof(*st));
    st->op = (uint8_t)statements[i].op;
    st->dom = st->buf = st->buf2 = st->dev = -1;
    st->iova.buf = st->pa.buf = st->faddr.buf = -1;
    st->line = p->line;
    st->text = p->text;
    st->text_len = (uint16_t)p->text_len;
    if (!statements[i].parse(p, st))
        return;
    if (p->stmt_xfail.why) {
        if (!scn_stmt_is_check(st)) {
            perr(p,
                 "xfail: `%s` here makes no check (expected a dma or "
                 "dma-wait with expect other than any, check, check-either, "
                 "qi raw or wait, inv with gran= or expect=, or reg read "
                 "with expect=)",
                 scn_op_name(st->op));
            return;
        }
        st->xf = p->stmt_xfail;
    }
    s->nstmt++;
    p->cur->count = s->nstmt - p->cur->first;
}

unsigned scn_parse(struct scn_script *s, const char *file, const char *text,
                   size_t len)
{
    static struct pctx pc;
    struct pctx *p = &pc;
    size_t i = 0;

    memset(s, 0, sizeof(*s));
    memset(p, 0, sizeof(*p));
    s->file = file;
    p->s = s;
    while (i < len) {
        size_t start = i, end, n;
        bool bad = false;

        p->line++;
        p->failed = false;
        while (i < len && text[i] != '\n')
            i++;
        end = i;
        if (i < len)
            i++;
        if (end > start && text[end - 1] == '\r')
            end--;
        n = end - start;
        if (n > SCN_MAX_LINE) {
            perr(p, "line longer than %u characters", SCN_MAX_LINE);
            continue;
        }
        for (size_t k = start; k < end; k++) {
            unsigned char c = (unsigned char)text[k];

            if ((c < 0x20 && c != '\t') || c >= 0x7F) {
                perr(p,
                     "invalid character 0x%02x at column %u (scripts "
                     "are printable ASCII)",
                     c, (unsigned)(k - start + 1));
                bad = true;
                break;
            }
        }
        if (bad || !tokenize(p, text + start, n) || !p->ntok)
            continue;
        p->text = p->tok[0].s;
        {
            const struct tok *last = &p->tok[p->ntok - 1];

            p->text_len = (size_t)(last->s + last->n - p->text) +
                          (last->quoted ? 1 : 0);
        }
        statement(p);
    }
    if (p->xfail_line) {
        p->line = p->xfail_line;
        p->failed = false;
        perr(p, "xfail \"...\" at the end of the script: expected a check "
                "statement after it");
    }
    return s->nerr + s->errors_lost;
}

/* ------------------------------------------------------------- printing */

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
    return via == SCN_VIA_QI ? " via=qi" : via == SCN_VIA_REG ? " via=reg" : "";
}

static const char *gran_word(unsigned gran, bool iotlb)
{
    static const char *const cc[4] = { "?", "global", "domain", "device" };
    static const char *const io[4] = { "?", "global", "domain", "page" };

    return (iotlb ? io : cc)[gran & 3];
}

/* set, attach, detach, enable, disable: the unit's and the devices' state. */
static void format_unit_op(const struct scn_stmt *st, const char *dom, char *b,
                           size_t n)
{
    switch (st->op) {
    case SCN_SET:
        vt_snprintf(b, n, "set via=%s", st->via == SCN_VIA_QI ? "qi" : "reg");
        break;
    case SCN_ATTACH:
        vt_snprintf(b, n, "attach edu%d %s%s%s", st->dev, dom,
                    (st->flags & SCN_F_FPD) ? " fpd=1" : "",
                    (st->flags & SCN_F_TT_DEVTLB) ? " tt=devtlb" : "");
        break;
    case SCN_ATTACH_PT:
        vt_snprintf(b, n, "attach edu%d passthrough did=%u%s", st->dev, st->did,
                    (st->flags & SCN_F_FPD) ? " fpd=1" : "");
        break;
    case SCN_DETACH:
        vt_snprintf(b, n, "detach edu%d", st->dev);
        break;
    case SCN_ENABLE:
        vt_snprintf(b, n, "enable");
        break;
    default:
        vt_snprintf(b, n, "disable");
        break;
    }
}

/* map, unmap, protect, split, merge: a domain's mappings. */
static void format_mapping(const struct scn_stmt *st, const char *dom, char *b,
                           size_t n)
{
    unsigned long iova = (unsigned long)st->iova.k;

    switch (st->op) {
    case SCN_MAP:
        vt_snprintf(b, n,
                    "map %s iova=0x%lx phys=0x%lx size=0x%lx page=%s "
                    "perm=%s",
                    dom, iova, (unsigned long)st->pa.k, (unsigned long)st->size,
                    page_word(st->page), perm_word(st->perm));
        break;
    case SCN_UNMAP:
        vt_snprintf(b, n, "unmap %s iova=0x%lx size=0x%lx", dom, iova,
                    (unsigned long)st->size);
        break;
    case SCN_PROTECT:
        vt_snprintf(b, n, "protect %s iova=0x%lx size=0x%lx perm=%s", dom, iova,
                    (unsigned long)st->size, perm_word(st->perm));
        break;
    default:
        vt_snprintf(b, n, "%s %s iova=0x%lx level=%u",
                    st->op == SCN_SPLIT ? "split" : "merge", dom, iova,
                    st->level);
        break;
    }
}

static void format_pte(const struct scn_stmt *st, const char *dom, char *b,
                       size_t n)
{
    int k = vt_snprintf(b, n, "pte %s iova=0x%lx level=%u", dom,
                        (unsigned long)st->iova.k, st->level);

    if (st->set && k > 0 && (size_t)k < n)
        k += vt_snprintf(b + k, n - (size_t)k, " set=0x%lx",
                         (unsigned long)st->set);
    if (st->clear && k > 0 && (size_t)k < n)
        vt_snprintf(b + k, n - (size_t)k, " clear=0x%lx",
                    (unsigned long)st->clear);
}

static void format_inv_cc(const struct scn_stmt *st, char *b, size_t n)
{
    int k;

    if (st->gran == VTD_GRAN_DEVICE && (st->flags & SCN_F_FN))
        k = vt_snprintf(b, n, "inv cc device did=%u dev=edu%d fn=%u", st->did,
                        st->dev, st->fn);
    else if (st->gran == VTD_GRAN_DEVICE)
        k = vt_snprintf(b, n, "inv cc device did=%u dev=edu%d", st->did,
                        st->dev);
    else
        k = vt_snprintf(b, n, "inv cc %s did=%u", gran_word(st->gran, false),
                        st->did);
    if (st->gran == VTD_GRAN_DEVICE && st->fm && k > 0 && (size_t)k < n)
        k += vt_snprintf(b + k, n - (size_t)k, " fm=%u", st->fm);
    if (k > 0 && (size_t)k < n)
        vt_snprintf(b + k, n - (size_t)k, "%s", via_word(st->via));
}

static void format_inv_iotlb(const struct scn_stmt *st, char *b, size_t n)
{
    const char *dr = (st->flags & SCN_F_DR) ? " dr=1" : "";
    const char *dw = (st->flags & SCN_F_DW) ? " dw=1" : "";

    if (st->gran == VTD_GRAN_PAGE)
        vt_snprintf(b, n, "inv iotlb page did=%u iova=0x%lx am=%u%s%s%s%s",
                    st->did, (unsigned long)st->iova.k, st->am,
                    (st->flags & SCN_F_IH) ? " ih=1" : "", dr, dw,
                    via_word(st->via));
    else
        vt_snprintf(b, n, "inv iotlb %s did=%u%s%s%s",
                    gran_word(st->gran, true), st->did, dr, dw,
                    via_word(st->via));
}

bool scn_stmt_format(const struct scn_scenario *c, const struct scn_stmt *st,
                     char *b, size_t n)
{
    const struct scn_domain_decl *dd = st->dom >= 0 &&
                                               (unsigned)st->dom < c->ndom
                                           ? &c->dom[st->dom]
                                           : NULL;
    const char *dom = dd ? dd->name : "?";

    /* buffers (@name), and what only other kinds have, are not printed */
    if (st->iova.buf >= 0 || st->pa.buf >= 0 ||
        (st->flags & ~(SCN_F_IH | SCN_F_DID | SCN_F_FPD | SCN_F_TT_DEVTLB |
                       SCN_F_FN | SCN_F_DR | SCN_F_DW))) {
        vt_snprintf(b, n, "# not printable: %s", scn_op_name(st->op));
        return false;
    }
    switch (st->op) {
    case SCN_DOMAIN:
        if (!dd)
            break;
        if (dd->aw)
            vt_snprintf(b, n, "domain %s did=%u aw=%u", dom, dd->did, dd->aw);
        else
            vt_snprintf(b, n, "domain %s did=%u", dom, dd->did);
        return true;
    case SCN_SET:
    case SCN_ATTACH:
    case SCN_ATTACH_PT:
    case SCN_DETACH:
    case SCN_ENABLE:
    case SCN_DISABLE:
        format_unit_op(st, dom, b, n);
        return true;
    case SCN_MAP:
    case SCN_UNMAP:
    case SCN_PROTECT:
    case SCN_SPLIT:
    case SCN_MERGE:
        format_mapping(st, dom, b, n);
        return true;
    case SCN_PTE:
        format_pte(st, dom, b, n);
        return true;
    case SCN_INV_CC:
        format_inv_cc(st, b, n);
        return true;
    case SCN_INV_IOTLB:
        format_inv_iotlb(st, b, n);
        return true;
    case SCN_QI_RAW:
        vt_snprintf(b, n, "qi raw qw0=0x%lx qw1=0x%lx expect=ok",
                    (unsigned long)st->qw[0], (unsigned long)st->qw[1]);
        return st->expect == SCN_EXPECT_OK;
    case SCN_DMA:
        vt_snprintf(b, n, "dma edu%d %s iova=0x%lx len=%lu expect=any", st->dev,
                    st->dir == SCN_TO_RAM ? "to-ram" : "from-ram",
                    (unsigned long)st->iova.k, (unsigned long)st->len);
        return st->expect == SCN_EXPECT_ANY;
    case SCN_NOTE:
        vt_snprintf(b, n, "note \"%.*s\"", (int)st->text_len, st->text);
        return true;
    }
    vt_snprintf(b, n, "# not printable: %s", scn_op_name(st->op));
    return false;
}

/* ------------------------------------- for parsers in other files */

const char *pos_word(struct pctx *p, unsigned i, size_t *n)
{
    struct tok *t = pos(p, i);

    *n = t ? t->n : 0;
    return t ? t->s : NULL;
}

const char *key_val(struct pctx *p, const char *name, size_t *n)
{
    struct tok *t = key(p, name);

    *n = t ? t->vn : 0;
    return t ? t->val : NULL;
}

bool get_flag(struct pctx *p, const char *name, bool *out)
{
    uint64_t v = *out;

    if (!get_num(p, name, &v, false, 0, 1))
        return false;
    *out = v != 0;
    return true;
}

bool dev_word(struct pctx *p, const char *s, size_t n, int8_t *dev)
{
    struct tok t = { .s = s, .n = n };

    return get_dev(p, s ? &t : NULL, dev);
}

bool get_reason(struct pctx *p, const char *s, size_t n, uint8_t *reason)
{
    unsigned r;

    if (!scn_fault_reason(s, n, &r))
        return perr(p,
                    "fault:%.*s: expected a fault reason (a name of "
                    "tests/scenarios/README.md or a number)",
                    (int)n, s);
    *reason = (uint8_t)r;
    return true;
}
