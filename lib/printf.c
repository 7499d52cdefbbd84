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
    size_t len;         /* what the whole output needs */
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
    int prec;           /* -1: none */
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

static void put_num(struct out *o, const struct spec *sp, uint64_t v,
                    bool neg, unsigned base, bool upper, const char *prefix)
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

int vt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    while (*fmt) {
        struct spec sp = { false, false, 0, -1 };
        int lng = 0;            /* 1 l, 2 ll/z/j, -1 h, -2 hh */
        uint64_t u;
        int64_t s;
        char c;

        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        fmt++;
        for (;; fmt++) {
            if (*fmt == '-')
                sp.left = true;
            else if (*fmt == '0')
                sp.zero = true;
            else
                break;
        }
        if (*fmt == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {
                sp.left = true;
                sp.width = -sp.width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9' && sp.width < 10000)
                sp.width = sp.width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            sp.prec = 0;
            if (*fmt == '*') {
                sp.prec = va_arg(ap, int);
                if (sp.prec < 0)
                    sp.prec = -1;
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9' && sp.prec < 10000)
                    sp.prec = sp.prec * 10 + (*fmt++ - '0');
            }
        }
        for (;; fmt++) {
            if (*fmt == 'l')
                lng = lng >= 1 ? 2 : 1;
            else if (*fmt == 'z' || *fmt == 'j')
                lng = 2;
            else if (*fmt == 'h')
                lng = lng <= -1 ? -2 : -1;
            else
                break;
        }
        c = *fmt;
        if (c)
            fmt++;
        switch (c) {
        case 'd':
        case 'i':
            if (lng >= 1)
                s = lng == 1 ? va_arg(ap, long) : va_arg(ap, long long);
            else
                s = va_arg(ap, int);
            if (lng == -1)
                s = (short)s;
            else if (lng == -2)
                s = (signed char)s;
            u = s < 0 ? -(uint64_t)s : (uint64_t)s;
            put_num(&o, &sp, u, s < 0, 10, false, NULL);
            break;
        case 'u':
        case 'x':
        case 'X':
            if (lng >= 1)
                u = lng == 1 ? va_arg(ap, unsigned long)
                             : va_arg(ap, unsigned long long);
            else
                u = va_arg(ap, unsigned int);
            if (lng == -1)
                u = (unsigned short)u;
            else if (lng == -2)
                u = (unsigned char)u;
            put_num(&o, &sp, u, false, c == 'u' ? 10 : 16, c == 'X', NULL);
            break;
        case 'p':
            u = (uintptr_t)va_arg(ap, void *);
            put_num(&o, &sp, u, false, 16, false, "0x");
            break;
        case 's':
            put_str(&o, &sp, va_arg(ap, const char *));
            break;
        case 'c': {
            char ch[2] = { (char)va_arg(ap, int), 0 };
            struct spec one = sp;

            one.prec = 1;
            if (!ch[0]) {       /* %c of NUL still takes a byte */
                pad(&o, ' ', sp.left ? 0 : sp.width - 1);
                put(&o, 0);
                pad(&o, ' ', sp.left ? sp.width - 1 : 0);
            } else {
                put_str(&o, &one, ch);
            }
            break;
        }
        case '%':
            put(&o, '%');
            break;
        case 0:
            put(&o, '%');
            break;
        default:            /* unknown: print it as written */
            put(&o, '%');
            put(&o, c);
            break;
        }
    }
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
