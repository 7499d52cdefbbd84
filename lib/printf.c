/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/printf.c — a small vsnprintf and console printf.
 */
#include <stdbool.h>
#include <stdint.h>

#include "lib/platform.h"
#include "lib/printf.h"

struct out {
    char *buf;
    size_t size;
    size_t len; /* what the whole output needs */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

struct spec {
    bool left;
    bool zero;
    int width;
    int prec; /* -1: none */
};

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
    size_t n;

    if (!s)
        s = "(null)";
    n = 0;
    while (s[n] && (sp->prec < 0 || n < (size_t)sp->prec))
        n++;
    if (!sp->left)
        pad(o, ' ', sp->width - (int)n);
    for (size_t i = 0; i < n; i++)
        put(o, s[i]);
    if (sp->left)
        pad(o, ' ', sp->width - (int)n);
}

static void put_num(struct out *o, const struct spec *sp, uint64_t v, bool neg,
                    unsigned base, bool upper, const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, plen = 0, zeros, total;

    if (v == 0 && sp->prec != 0)
        tmp[n++] = '0';
    while (v) {
        tmp[n++] = digits[v % base];
        v /= base;
    }
    if (neg)
        prefix = "-";
    if (prefix)
        while (prefix[plen])
            plen++;
    zeros = sp->prec > n ? sp->prec - n : 0;
    total = plen + zeros + n;
    if (sp->zero && !sp->left && sp->prec < 0 && sp->width > total) {
        zeros += sp->width - total;
        total = sp->width;
    }
    if (!sp->left)
        pad(o, ' ', sp->width - total);
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    pad(o, '0', zeros);
    while (n)
        put(o, tmp[--n]);
    if (sp->left)
        pad(o, ' ', sp->width - total);
}

/* Length modifiers, as far as the argument's type goes. */
enum length { LEN_HH = -2, LEN_H = -1, LEN_INT = 0, LEN_L = 1, LEN_LL = 2 };

/* A width or precision: digits, or '*' taking an int argument. */
static const char *parse_count(const char *fmt, va_list *ap, int *out)
{
    if (*fmt == '*') {
        *out = va_arg(*ap, int);
        return fmt + 1;
    }
    while (*fmt >= '0' && *fmt <= '9' && *out < 10000)
        *out = *out * 10 + (*fmt++ - '0');
    return fmt;
}

/* What stands between '%' and the conversion character: flags, width,
 * precision, length. Returns where the conversion character is. */
static const char *parse_spec(const char *fmt, va_list *ap, struct spec *sp,
                              enum length *lng)
{
    for (;; fmt++) {
        if (*fmt == '-')
            sp->left = true;
        else if (*fmt == '0')
            sp->zero = true;
        else
            break;
    }
    fmt = parse_count(fmt, ap, &sp->width);
    if (sp->width < 0) { /* a negative '*': left-justified */
        sp->left = true;
        sp->width = -sp->width;
    }
    if (*fmt == '.') {
        sp->prec = 0;
        fmt = parse_count(fmt + 1, ap, &sp->prec);
        if (sp->prec < 0)
            sp->prec = -1;
    }
    for (;; fmt++) {
        if (*fmt == 'l')
            *lng = *lng >= LEN_L ? LEN_LL : LEN_L;
        else if (*fmt == 'z' || *fmt == 'j')
            *lng = LEN_LL;
        else if (*fmt == 'h')
            *lng = *lng <= LEN_H ? LEN_HH : LEN_H;
        else
            break;
    }
    return fmt;
}

static void put_signed(struct out *o, const struct spec *sp, enum length lng,
                       va_list *ap)
{
    int64_t s;

    if (lng >= LEN_L)
        s = lng == LEN_L ? va_arg(*ap, long) : va_arg(*ap, long long);
    else
        s = va_arg(*ap, int);
    if (lng == LEN_H)
        s = (short)s;
    else if (lng == LEN_HH)
        s = (signed char)s;
    put_num(o, sp, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10, false, NULL);
}

static void put_unsigned(struct out *o, const struct spec *sp, enum length lng,
                         char c, va_list *ap)
{
    uint64_t u;

    if (lng >= LEN_L)
        u = lng == LEN_L ? va_arg(*ap, unsigned long)
                         : va_arg(*ap, unsigned long long);
    else
        u = va_arg(*ap, unsigned int);
    if (lng == LEN_H)
        u = (unsigned short)u;
    else if (lng == LEN_HH)
        u = (unsigned char)u;
    put_num(o, sp, u, false, c == 'u' ? 10 : 16, c == 'X', NULL);
}

static void put_char(struct out *o, const struct spec *sp, char c)
{
    char ch[2] = { c, 0 };
    struct spec one = *sp;

    one.prec = 1;
    if (c) {
        put_str(o, &one, ch);
        return;
    }
    /* %c of NUL still takes a byte */
    pad(o, ' ', sp->left ? 0 : sp->width - 1);
    put(o, 0);
    pad(o, ' ', sp->left ? sp->width - 1 : 0);
}

/* One conversion; an unknown one is printed as written. */
static void convert(struct out *o, const struct spec *sp, enum length lng,
                    char c, va_list *ap)
{
    switch (c) {
    case 'd':
    case 'i':
        put_signed(o, sp, lng, ap);
        break;
    case 'u':
    case 'x':
    case 'X':
        put_unsigned(o, sp, lng, c, ap);
        break;
    case 'p':
        put_num(o, sp, (uintptr_t)va_arg(*ap, void *), false, 16, false, "0x");
        break;
    case 's':
        put_str(o, sp, va_arg(*ap, const char *));
        break;
    case 'c':
        put_char(o, sp, (char)va_arg(*ap, int));
        break;
    case '%':
    case 0:
        put(o, '%');
        break;
    default:
        put(o, '%');
        put(o, c);
        break;
    }
}

int vt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    va_list args;

    /* A copy of our own, so the steps can take it by address. */
    va_copy(args, ap);
    while (*fmt) {
        struct spec sp = { false, false, 0, -1 };
        enum length lng = LEN_INT;
        char c;

        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &args, &sp, &lng);
        c = *fmt;
        if (c)
            fmt++;
        convert(&o, &sp, lng, c, &args);
    }
    va_end(args);
    if (size)
        buf[o.len < size ? o.len : size - 1] = 0;
    return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}

int vt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int vt_vprintf(const char *fmt, va_list ap)
{
    char buf[512];
    va_list ap2;
    int n;

    va_copy(ap2, ap);
    n = vt_vsnprintf(buf, sizeof(buf), fmt, ap2);
    va_end(ap2);
    if (n < (int)sizeof(buf)) {
        plat_console_write(buf, (size_t)n);
    } else {
        /* Longer than the buffer: say so rather than cut silently. */
        plat_console_write(buf, sizeof(buf) - 1);
        plat_console_write("[...]\n", 6);
    }
    return n;
}

int vt_printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vt_vprintf(fmt, ap);
    va_end(ap);
    return n;
}
