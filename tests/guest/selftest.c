/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/selftest.c — tests of the test machinery itself.
 *
 * Each ends the run a known way; the runner's self-test asserts the
 * verdict it derives. None is part of the default suite.
 */
#include "lib/edu.h"
#include "lib/pci.h"
#include "lib/platform.h"
#include "lib/report.h"
#include "lib/test.h"

TEST(st_pass, "selftest-pass", "a check that passes", TEST_SELFTEST)
{
    report(1 + 1 == 2, "arithmetic holds");
}

TEST(st_fail, "selftest-fail", "a check that fails", TEST_SELFTEST)
{
    report(true, "a passing check before the failure");
    report(false, "this check fails on purpose");
}

TEST(st_skip, "selftest-skip", "a check that skips", TEST_SELFTEST)
{
    report_skip("skipped on purpose", "a check that cannot run here");
}

TEST(st_xfail, "selftest-xfail", "an expected failure", TEST_SELFTEST)
{
    report(true, "a passing check");
    report_xfail(false,
                 &(struct xfail){ .range = "qemu",
                                  .spec = "none",
                                  .why = "known target bug, cited here" },
                 "an expected failure");
}

TEST(st_exception, "selftest-exception", "an unexpected exception",
     TEST_SELFTEST | TEST_GUEST_ONLY)
{
    report(true, "about to execute ud2");
    __asm__ volatile("ud2");
    report(false, "execution continued after ud2");
}

TEST(st_hang, "selftest-hang", "a guest that never finishes",
     TEST_SELFTEST | TEST_GUEST_ONLY)
{
    report(true, "about to hang");
    for (;;)
        __asm__ volatile("pause");
}

TEST(st_triple, "selftest-triplefault", "a triple fault",
     TEST_SELFTEST | TEST_GUEST_ONLY)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) empty = { 0, 0 };

    report(true, "about to load an empty IDT and trap");
    /* With no IDT every exception escalates to a triple fault, which QEMU
     * (-no-reboot) turns into exit status 0: the runner must say CRASH. */
    __asm__ volatile("lidt %0; int3" : : "m"(empty));
}

TEST(st_edu, "selftest-edu", "needs an edu device", TEST_SELFTEST)
{
    struct edu e[EDU_MAX];
    unsigned n;
    int rc;

    pci_enumerate(0);
    n = edu_find(e, EDU_MAX);
    if (!n) {
        report_skip("no edu device (PCI 1234:11e8) present", "edu present");
        return;
    }
    rc = edu_init(&e[0]);
    report(rc == EDU_OK, "edu %02x:%02x.%x initialised (%s)", e[0].pci->bus,
           e[0].pci->dev, e[0].pci->fn, edu_strerror(rc));
}
