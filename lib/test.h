/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/test.h — the registry of C tests.
 *
 *   TEST(smoke, "smoke", "VT-d registers readable and decoded", 0)
 *   {
 *       report(..., "...");
 *   }
 *
 * Each TEST() adds one entry to the vtdprobe_tests section; the run picks
 * tests by name from the command line ("test=smoke,selftest-fail"), or runs
 * every test not flagged TEST_SELFTEST.
 */
#ifndef LIB_TEST_H
#define LIB_TEST_H

#include <stdbool.h>
#include <stddef.h>

/* Not part of the default suite: runs only when named. */
#define TEST_SELFTEST   (1u << 0)
/* Needs the firmware's own machine (its identity map, real exceptions,
 * a real hang): a file with such a test is not built into the hosted
 * machine (harness/hosted.mk reads this flag from the sources). Every
 * other file of tests/guest/ runs on the model too. */
#define TEST_GUEST_ONLY (1u << 1)

/* Entries sit back to back in their section: the alignment is the size, so
 * neither the compiler nor the linker pads between them. */
struct vt_test {
    const char *name;
    const char *title;
    void (*run)(void);
    unsigned flags;
} __attribute__((aligned(32)));

_Static_assert(sizeof(struct vt_test) == 32, "test registry stride");

#define TEST(ident, name_, title_, flags_)                   \
    static void test_fn_##ident(void);                       \
    static const struct vt_test test_##ident                 \
        __attribute__((used, section("vtdprobe_tests"))) = { \
            .name = (name_),                                 \
            .title = (title_),                               \
            .run = test_fn_##ident,                          \
            .flags = (flags_),                               \
        };                                                   \
    static void test_fn_##ident(void)

/* The value of key=VALUE on the command line, copied into buf; false when
 * absent. Words are separated by spaces. */
bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

/* Run the tests the command line selects and finish the run (TAP plan,
 * result line, exit). */
__attribute__((noreturn)) void test_main(void);

/* Test registry walk, for --list style output and hosted tests. */
const struct vt_test *test_first(void);
const struct vt_test *test_end(void);

#endif
