/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/host/tap.h — a tiny TAP producer for hosted unit tests.
 *
 * Deliberately separate from lib/report.c (the firmware's reporter), so
 * that the reporter itself can be tested by something that is not itself.
 *
 *   TAP_OK(cond, "name %d", x);
 *   TAP_EQ_U64(got, want, "register %s", name);
 *   return tap_done();      // prints the plan, returns the exit status
 */
#ifndef TESTS_HOST_TAP_H
#define TESTS_HOST_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static unsigned tap_count_;
static unsigned tap_failed_;

__attribute__((format(printf, 4, 5), unused)) static int
tap_ok_(int pass, const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    tap_count_++;
    if (!pass)
        tap_failed_++;
    printf("%s %u - ", pass ? "ok" : "not ok", tap_count_);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!pass)
        printf("#   failed at %s:%d\n", file, line);
    fflush(stdout);
    return pass;
}

#define TAP_OK(cond, ...) tap_ok_(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define TAP_EQ_U64(got, want, ...)                                         \
    do {                                                                   \
        uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);              \
        if (!tap_ok_(g_ == w_, __FILE__, __LINE__, __VA_ARGS__))           \
            printf("#   got 0x%" PRIx64 ", want 0x%" PRIx64 "\n", g_, w_); \
    } while (0)

#define TAP_EQ_STR(got, want, ...)                                         \
    do {                                                                   \
        const char *g_ = (got), *w_ = (want);                              \
        if (!tap_ok_(g_ && w_ && strcmp(g_, w_) == 0, __FILE__, __LINE__,  \
                     __VA_ARGS__))                                         \
            printf("#   got \"%s\"\n#  want \"%s\"\n", g_ ? g_ : "(null)", \
                   w_ ? w_ : "(null)");                                    \
    } while (0)

__attribute__((format(printf, 1, 2), unused)) static void
tap_diag(const char *fmt, ...)
{
    va_list ap;

    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

__attribute__((unused)) static int tap_done(void)
{
    printf("1..%u\n", tap_count_);
    fflush(stdout);
    return tap_failed_ ? 1 : 0;
}

#endif
