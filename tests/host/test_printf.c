/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/host/test_printf.c — lib/printf.c against the C library's
 * snprintf, which serves as the oracle for every supported conversion.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/printf.h"
#include "tests/host/plat_stub.h"
#include "tests/host/tap.h"

#define CMP(fmt, ...)                                                       \
    do {                                                                    \
        char want_[256], got_[256];                                         \
        int wn_ = snprintf(want_, sizeof(want_), fmt, __VA_ARGS__);         \
        int gn_ = vt_snprintf(got_, sizeof(got_), fmt, __VA_ARGS__);        \
        if (!TAP_OK(wn_ == gn_ && !strcmp(want_, got_), "\"%s\" -> \"%s\"", \
                    fmt, want_))                                            \
            tap_diag("got \"%s\" (%d), want (%d)", got_, gn_, wn_);         \
    } while (0)

int main(void)
{
    char small[8];
    int n;

    CMP("%d", 0);
    CMP("%d", -1);
    CMP("%d", INT_MIN);
    CMP("%i", INT_MAX);
    CMP("%u", 4000000000u);
    CMP("%x", 0xdeadbeefu);
    CMP("%X", 0xdeadbeefu);
    CMP("%lx", 0xfed90000ul);
    CMP("%llx", 0xffffffffffffffffull);
    CMP("%lu", 18446744073709551615ul);
    CMP("%ld", LONG_MIN);
    CMP("%lld", -1234567890123ll);
    CMP("%zu", (size_t)12345);
    CMP("%zx", (size_t)0xabc);
    CMP("%hx", 0x12345);
    CMP("%hhx", 0x1ff);
    CMP("%hd", -70000);
    CMP("%8x", 0x1f);
    CMP("%08x", 0x1f);
    CMP("%016lx", 0x1234ul);
    CMP("%-8x|", 0x1f);
    CMP("%-8d|", -5);
    CMP("%05d", -42);
    CMP("%.3d", 7);
    CMP("%8.3d", -7);
    CMP("%.0d", 0);
    CMP("%*d", 6, 42);
    CMP("%-*d|", 6, 42);
    CMP("%*d|", -6, 42);
    CMP("%s", "vtd");
    CMP("%10s|", "vtd");
    CMP("%-10s|", "vtd");
    CMP("%.2s", "vtd");
    CMP("%.*s", 1, "vtd");
    CMP("%c%c%c", 'v', 't', 'd');
    CMP("%3c|", 'x');
    CMP("%-3c|", 'x');
    CMP("100%% of %d", 1);
    CMP("%p", (void *)0xfed90000ul);
    CMP("%s=%u %s", "am", 9u, "ok");

    /* Truncation: NUL-terminated, returns the full length. */
    n = vt_snprintf(small, sizeof(small), "%s", "0123456789");
    TAP_OK(n == 10 && !strcmp(small, "0123456"),
           "truncation keeps NUL and reports full length (%d, \"%s\")", n,
           small);
    n = vt_snprintf(NULL, 0, "%d", 12345);
    TAP_OK(n == 5, "size 0 writes nothing, returns needed length (%d)", n);
    {
        const char *volatile null_str = NULL; /* hidden from -Wformat */

        n = vt_snprintf(small, sizeof(small), "%s", null_str);
    }
    TAP_OK(!strcmp(small, "(null)"), "NULL string prints (null)");

    /* Console path. */
    stub_reset_output();
    vt_printf("ok %u - %s\n", 3u, "name");
    TAP_EQ_STR(stub_out, "ok 3 - name\n", "vt_printf reaches the console");
    return tap_done();
}
