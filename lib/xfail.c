/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/xfail.c — QEMU version ranges of expected failures (lib/xfail.h).
 */
#include <stdbool.h>
#include <string.h>

#include "lib/printf.h"
#include "lib/xfail.h"

static int cmp(const struct qemu_version *a, const struct qemu_version *b)
{
    if (a->major != b->major)
        return a->major < b->major ? -1 : 1;
    if (a->minor != b->minor)
        return a->minor < b->minor ? -1 : 1;
    if (a->micro != b->micro)
        return a->micro < b->micro ? -1 : 1;
    return 0;
}

bool qemu_version_parse(const char *s, size_t n, struct qemu_version *v)
{
    uint32_t part[3] = { 0, 0, 0 };
    unsigned k = 0;
    bool digit = false;

    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            part[k] = part[k] * 10 + (uint32_t)(s[i] - '0');
            if (part[k] > 0xffff)
                return false;
            digit = true;
        } else if (s[i] == '.' && digit && k < 2) {
            k++;
            digit = false;
        } else {
            return false;
        }
    }
    if (!digit || k < 1)
        return false;
    v->major = (uint16_t)part[0];
    v->minor = (uint16_t)part[1];
    v->micro = (uint16_t)part[2];
    return true;
}

static void fail(char *err, size_t errsz, const char *what, const char *s,
                 size_t n)
{
    if (err && errsz)
        vt_snprintf(err, errsz,
                    "%s in \"%.*s\" (expected qemu, or qemu "
                    "followed by <, <=, >, >= or == and a version, joined "
                    "by commas: qemu<9.2, qemu>=8.2,<10.0.4)",
                    what, (int)n, s);
}

int xfail_range_holds(const char *range, size_t n, const struct qemu_version *v,
                      char *err, size_t errsz)
{
    const char *p = range, *end = range + n;
    bool holds = true;

    if (n < 4 || memcmp(range, "qemu", 4)) {
        fail(err, errsz, "no \"qemu\"", range, n);
        return -1;
    }
    p += 4;
    if (p == end)
        return 1;
    for (;;) {
        const char *op = p, *num;
        size_t oplen = 0;
        struct qemu_version b;
        int c;

        while (p < end && (*p == '<' || *p == '>' || *p == '='))
            p++, oplen++;
        num = p;
        while (p < end && *p != ',')
            p++;
        if (!qemu_version_parse(num, (size_t)(p - num), &b)) {
            fail(err, errsz, "a bad version", range, n);
            return -1;
        }
        c = v ? cmp(v, &b) : 0;
        if (oplen == 1 && op[0] == '<')
            holds = holds && c < 0;
        else if (oplen == 1 && op[0] == '>')
            holds = holds && c > 0;
        else if (oplen == 2 && op[0] == '<' && op[1] == '=')
            holds = holds && c <= 0;
        else if (oplen == 2 && op[0] == '>' && op[1] == '=')
            holds = holds && c >= 0;
        else if (oplen == 2 && op[0] == '=' && op[1] == '=')
            holds = holds && c == 0;
        else {
            fail(err, errsz, "a bad comparison", range, n);
            return -1;
        }
        if (p == end)
            break;
        p++; /* the comma */
    }
    return holds ? 1 : 0;
}

bool xfail_range_valid(const char *range, size_t n, char *err, size_t errsz)
{
    struct qemu_version v = { 0, 0, 0 };

    return xfail_range_holds(range, n, &v, err, errsz) >= 0;
}
