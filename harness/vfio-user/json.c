/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/vfio-user/json.c — a bounded JSON reader (json.h).
 */
#include <string.h>

#include "harness/vfio-user/json.h"

struct parser {
    struct json_doc *d;
    const char *s;
    size_t len, pos;
    const char *why;
};

static bool fail(struct parser *p, const char *why)
{
    if (!p->why)
        p->why = why;
    return false;
}

static void skip_ws(struct parser *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
                               p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
        p->pos++;
}

static int peek(const struct parser *p)
{
    return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool is_hex(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int new_node(struct parser *p, enum json_type type)
{
    struct json_node *n;

    if (p->d->count == JSON_MAX_NODES) {
        fail(p, "too many values");
        return -1;
    }
    n = &p->d->node[p->d->count];
    memset(n, 0, sizeof(*n));
    n->type = type;
    n->first = n->next = -1;
    return (int)p->d->count++;
}

/* A string's contents, escapes checked but kept; p->pos at the quote. */
static bool string_span(struct parser *p, const char **text, size_t *len)
{
    size_t start = ++p->pos;

    for (;;) {
        int c = peek(p);

        if (c < 0)
            return fail(p, "unterminated string");
        if (c < 0x20)
            return fail(p, "control character in a string");
        if (c == '"')
            break;
        if (c == '\\') {
            p->pos++;
            c = peek(p);
            if (c == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (p->pos + i >= p->len ||
                        !is_hex((unsigned char)p->s[p->pos + i]))
                        return fail(p, "bad \\u escape");
                p->pos += 4;
            } else if (!c || !strchr("\"\\/bfnrt", c)) {
                return fail(p, "bad escape");
            }
        }
        p->pos++;
    }
    *text = p->s + start;
    *len = p->pos - start;
    p->pos++;
    return true;
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static bool number(struct parser *p, struct json_node *n)
{
    size_t start = p->pos;
    bool integral = true, negative = false;
    uint64_t v = 0;
    bool fits = true;

    if (peek(p) == '-') {
        negative = true;
        p->pos++;
    }
    if (peek(p) == '0') {
        p->pos++;
    } else if (is_digit(peek(p))) {
        while (is_digit(peek(p))) {
            unsigned dgt = (unsigned)(peek(p) - '0');

            if (v > (UINT64_MAX - dgt) / 10)
                fits = false;
            v = v * 10 + dgt;
            p->pos++;
        }
    } else {
        return fail(p, "bad number");
    }
    if (peek(p) == '.') {
        integral = false;
        p->pos++;
        if (!is_digit(peek(p)))
            return fail(p, "bad fraction");
        while (is_digit(peek(p)))
            p->pos++;
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        integral = false;
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-')
            p->pos++;
        if (!is_digit(peek(p)))
            return fail(p, "bad exponent");
        while (is_digit(peek(p)))
            p->pos++;
    }
    n->text = p->s + start;
    n->len = p->pos - start;
    n->is_uint = integral && fits && (!negative || v == 0);
    n->uint = n->is_uint ? v : 0;
    return true;
}

static bool literal(struct parser *p, const char *word)
{
    size_t n = strlen(word);

    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
        return fail(p, "unknown literal");
    p->pos += n;
    return true;
}

static int value(struct parser *p, unsigned depth);

/* The members or elements after the opening bracket, linked to parent. */
static bool children(struct parser *p, int parent, bool object, unsigned depth)
{
    int close = object ? '}' : ']';
    int prev = -1;

    skip_ws(p);
    if (peek(p) == close) {
        p->pos++;
        return true;
    }
    for (;;) {
        const char *name = NULL;
        size_t name_len = 0;
        int child;

        skip_ws(p);
        if (object) {
            if (peek(p) != '"')
                return fail(p, "member name expected");
            if (!string_span(p, &name, &name_len))
                return false;
            skip_ws(p);
            if (peek(p) != ':')
                return fail(p, "':' expected");
            p->pos++;
        }
        child = value(p, depth + 1);
        if (child < 0)
            return false;
        p->d->node[child].name = name;
        p->d->node[child].name_len = name_len;
        if (prev < 0)
            p->d->node[parent].first = child;
        else
            p->d->node[prev].next = child;
        prev = child;
        skip_ws(p);
        if (peek(p) == close) {
            p->pos++;
            return true;
        }
        if (peek(p) != ',')
            return fail(p,
                        object ? "',' or '}' expected" : "',' or ']' expected");
        p->pos++;
    }
}

static int value(struct parser *p, unsigned depth)
{
    int c, i;

    if (depth > JSON_MAX_DEPTH) {
        fail(p, "nested too deeply");
        return -1;
    }
    skip_ws(p);
    c = peek(p);
    switch (c) {
    case '{':
    case '[':
        i = new_node(p, c == '{' ? JSON_OBJECT : JSON_ARRAY);
        if (i < 0)
            return -1;
        p->pos++;
        return children(p, i, c == '{', depth) ? i : -1;
    case '"':
        i = new_node(p, JSON_STRING);
        if (i < 0)
            return -1;
        return string_span(p, &p->d->node[i].text, &p->d->node[i].len) ? i : -1;
    case 't':
        i = new_node(p, JSON_TRUE);
        return i >= 0 && literal(p, "true") ? i : -1;
    case 'f':
        i = new_node(p, JSON_FALSE);
        return i >= 0 && literal(p, "false") ? i : -1;
    case 'n':
        i = new_node(p, JSON_NULL);
        return i >= 0 && literal(p, "null") ? i : -1;
    default:
        if (c != '-' && !is_digit(c)) {
            fail(p, c < 0 ? "value expected, end of text found"
                          : "value expected");
            return -1;
        }
        i = new_node(p, JSON_NUMBER);
        if (i < 0)
            return -1;
        return number(p, &p->d->node[i]) ? i : -1;
    }
}

const char *json_parse(struct json_doc *d, const char *s, size_t len,
                       size_t *at)
{
    struct parser p = { .d = d, .s = s, .len = len };

    d->count = 0;
    if (value(&p, 0) >= 0) {
        skip_ws(&p);
        if (p.pos != len)
            fail(&p, "text after the value");
    }
    if (at)
        *at = p.pos;
    return p.why;
}

const struct json_node *json_member(const struct json_doc *d,
                                    const struct json_node *o, const char *name)
{
    size_t n = strlen(name);

    if (!o || o->type != JSON_OBJECT)
        return NULL;
    for (int i = o->first; i >= 0; i = d->node[i].next) {
        const struct json_node *m = &d->node[i];

        if (m->name_len == n && !memcmp(m->name, name, n))
            return m;
    }
    return NULL;
}
