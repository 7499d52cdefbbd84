/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/host/test_report.c — the firmware's TAP reporter and test
 * selection, run hosted: the exact lines, the prefix stack, severity that
 * only rises, and the final result line plat_exit agrees with.
 */
#include <string.h>

#include "lib/report.h"
#include "lib/test.h"
#include "tests/host/plat_stub.h"
#include "tests/host/tap.h"

static int ran_a, ran_b, ran_self;

TEST(host_a, "host-a", "registered test a", 0)
{
    ran_a++;
    report(true, "a passes");
}

TEST(host_b, "host-b", "registered test b", 0)
{
    ran_b++;
    report_skip("nothing to do", "b skips");
}

TEST(host_self, "host-selftest", "self-test only when named", TEST_SELFTEST)
{
    ran_self++;
    report(false, "fails");
}

TEST(host_silent, "host-silent", "reports nothing", TEST_SELFTEST)
{
}

static int contains(const char *needle)
{
    return strstr(stub_out, needle) != NULL;
}

/* Run test_main with a command line; returns the exit result. */
static enum plat_result run_main(const char *cmdline)
{
    stub_reset_output();
    stub_cmdline_value = cmdline;
    stub_exit_armed = 1;
    if (!setjmp(stub_exit_jmp))
        test_main();
    stub_exit_armed = 0;
    return stub_exit_result;
}

static const char *last_line(void)
{
    static char line[256];
    size_t end = stub_len, start;

    while (end && stub_out[end - 1] == '\n')
        end--;
    start = end;
    while (start && stub_out[start - 1] != '\n')
        start--;
    if (end - start >= sizeof(line))
        return "";
    memcpy(line, stub_out + start, end - start);
    line[end - start] = 0;
    return line;
}

static const struct xfail quirk = {
    .range = "qemu<9.2",
    .fix = "8e761fb61c",
    .spec = "6.5.2",
    .why = "QEMU quirk",
};

int main(void)
{
    char buf[64];
    enum plat_result r;

    /* Check lines and prefixes. */
    stub_reset_output();
    report_init();
    report_prefix_push("iotlb");
    report_prefix_push("psi am=%u", 9u);
    report(true, "data after invalidation");
    report_prefix_pop();
    report(false, "a # in a name");
    report_prefix_pop();
    report_skip("no PSI", "skipped one");
    report_xfail(false, &quirk, "known bad");
    report_xfail(true, &quirk, "known bad but passes");
    TAP_OK(contains("TAP version 13\n"), "stream starts with the version");
    TAP_OK(contains("ok 1 - iotlb: psi am=9: data after invalidation\n"),
           "prefixes nest with ': '");
    TAP_OK(contains("not ok 2 - iotlb: a % in a name\n"),
           "a '#' in a name cannot start a directive");
    TAP_OK(contains("ok 3 - skipped one # SKIP no PSI\n"), "skip line");
    TAP_OK(contains("not ok 4 - known bad # TODO qemu<9.2 fix=8e761fb61c "
                    "spec=6.5.2: QEMU quirk\n"),
           "expected failure is a TODO with its range, fix and section");
    TAP_OK(contains("ok 5 - known bad but passes # TODO qemu<9.2") &&
               contains("# expected failure passed"),
           "an unexpected pass is announced");
    TAP_EQ_U64(report_result(), PLAT_FAILURE, "one failure makes FAILURE");
    report_raise(PLAT_SKIP);
    TAP_EQ_U64(report_result(), PLAT_FAILURE, "severity never falls");
    report_error("environment broke");
    TAP_EQ_U64(report_result(), PLAT_ERROR, "an error makes ERROR");
    TAP_OK(contains("# ERROR: environment broke\n"), "error line");

    /* A target that is not QEMU: expected failures are plain checks. */
    report_reset();
    stub_reset_output();
    report_xfail_applies(false);
    report_xfail(true, &quirk, "cited, passes");
    report_xfail(false, &quirk, "cited, fails");
    report_xfail_applies(true);
    TAP_OK(contains("ok 1 - cited, passes\n") && !contains("# TODO"),
           "xfail off: a pass is a plain ok");
    TAP_OK(contains("not ok 2 - cited, fails\n") &&
               contains(
                   "#   xfail-off: qemu<9.2 fix=8e761fb61c spec=6.5.2: QEMU "
                   "quirk (an expected failure on QEMU"),
           "xfail off: a failure is not ok, cited");
    TAP_EQ_U64(report_result(), PLAT_FAILURE, "xfail off: it fails the run");
    TAP_EQ_U64(report_counts().xfailed + report_counts().xpassed, 0,
               "xfail off: no expected failure counted");

    /* Bounded by version: inside the range TODO, outside a plain check. */
    report_reset();
    stub_reset_output();
    report_target_version("7.2.22");
    report_xfail(false, &quirk, "inside, fails");
    report_target_version("10.0.2");
    report_xfail(true, &quirk, "outside, passes");
    TAP_OK(contains("not ok 1 - inside, fails # TODO qemu<9.2"),
           "version inside the range: TODO");
    TAP_OK(contains("ok 2 - outside, passes\n#   fixed: qemu<9.2 "
                    "fix=8e761fb61c spec=6.5.2: QEMU quirk (QEMU 10.0.2 is "
                    "outside qemu<9.2)\n"),
           "version outside the range, passing: a plain ok, noted as fixed");
    TAP_EQ_U64(report_result(), PLAT_SUCCESS, "neither fails the run");
    report_xfail(false, &quirk, "outside, fails");
    TAP_OK(contains("not ok 3 - outside, fails\n#   regression: qemu<9.2"),
           "version outside the range, failing: not ok, a regression");
    TAP_EQ_U64(report_result(), PLAT_FAILURE, "a regression fails the run");
    report_reset();
    stub_reset_output();
    report_xfail(false,
                 &(struct xfail){
                     .range = "qemu", .spec = "7.1.3", .why = "open upstream" },
                 "open bug");
    TAP_OK(contains("not ok 1 - open bug # TODO qemu spec=7.1.3: open "
                    "upstream\n"),
           "an unbounded range holds on every version");
    report_xfail(false,
                 &(struct xfail){ .range = "qemu>=8.2,<10.0.4",
                                  .spec = "6.5.2.9",
                                  .why = "w" },
                 "stable fix");
    TAP_OK(contains("not ok 2 - stable fix # TODO"),
           "10.0.2 lies inside qemu>=8.2,<10.0.4");
    report_target_version("10.1.0");
    report_xfail(true,
                 &(struct xfail){ .range = "qemu>=8.2,<10.0.4",
                                  .spec = "6.5.2.9",
                                  .why = "w" },
                 "stable fix later");
    TAP_OK(contains("ok 3 - stable fix later\n#   fixed:"),
           "10.1.0 lies outside qemu>=8.2,<10.0.4");
    report_target_version(NULL);
    report_xfail(false, &quirk, "unknown version");
    TAP_OK(contains("not ok 4 - unknown version # TODO"),
           "version unknown: every expectation holds");
    report_xfail(false,
                 &(struct xfail){
                     .range = "qemu<9.x", .spec = "1", .why = "w" },
                 "malformed");
    TAP_EQ_U64(report_result(), PLAT_ERROR, "a malformed range is an ERROR");

    /* The range arithmetic itself. */
    {
        struct qemu_version v;

        TAP_OK(qemu_version_parse("11.1.50", 7, &v) && v.major == 11 &&
                   v.minor == 1 && v.micro == 50,
               "11.1.50 parses");
        TAP_OK(qemu_version_parse("9.2", 3, &v) && v.micro == 0,
               "9.2 parses as 9.2.0");
        TAP_OK(!qemu_version_parse("9", 1, &v) &&
                   !qemu_version_parse("9.2.", 4, &v) &&
                   !qemu_version_parse("1.2.3.4", 7, &v) &&
                   !qemu_version_parse("99999.1", 7, &v),
               "9, 9.2., 1.2.3.4 and 99999.1 do not");
        v = (struct qemu_version){ 11, 1, 50 };
        TAP_EQ_U64(xfail_range_holds("qemu<11.2", 9, &v, NULL, 0), 1,
                   "a development build 11.1.50 is before 11.2");
        TAP_EQ_U64(xfail_range_holds("qemu<=11.1", 10, &v, NULL, 0), 0,
                   "and after 11.1");
        TAP_EQ_U64(xfail_range_holds("qemu==11.1.50", 13, &v, NULL, 0), 1,
                   "== matches exactly");
        TAP_EQ_U64(xfail_range_holds("qemu>11.1,<12.0", 15, &v, NULL, 0), 1,
                   "conditions join by commas");
        TAP_OK(!xfail_range_valid("qemu=<9.2", 9, NULL, 0) &&
                   !xfail_range_valid("kvm<9.2", 7, NULL, 0) &&
                   !xfail_range_valid("qemu<9.2,", 9, NULL, 0) &&
                   !xfail_range_valid("qemu 9.2", 8, NULL, 0),
               "=<, another target, a trailing comma, a space: malformed");
    }

    /* Deep prefix stacks do not overflow. */
    report_reset();
    stub_reset_output();
    for (int i = 0; i < 20; i++)
        report_prefix_push("level%02d-with-a-long-name-to-fill-it", i);
    report(true, "deep");
    for (int i = 0; i < 20; i++)
        report_prefix_pop();
    report(true, "shallow again");
    TAP_OK(contains("ok 2 - shallow again\n"), "prefix stack unwinds fully");

    /* Command line parsing. */
    TAP_OK(cmdline_get("a=1 test=smoke,edu b=2", "test", buf, sizeof(buf)) &&
               !strcmp(buf, "smoke,edu"),
           "cmdline_get finds test=");
    TAP_OK(!cmdline_get("testx=1 xtest=2", "test", buf, sizeof(buf)),
           "cmdline_get matches whole keys only");
    TAP_OK(cmdline_get("test=0123456789", "test", buf, 5) &&
               !strcmp(buf, "0123"),
           "cmdline_get truncates to the buffer");

    /* Selection and the final line. */
    r = run_main("");
    TAP_OK(ran_a == 1 && ran_b == 1 && ran_self == 0,
           "default suite runs every test but self-tests");
    TAP_EQ_U64(r, PLAT_SUCCESS, "pass + skip gives SUCCESS: a check ran");
    TAP_EQ_STR(last_line(), "# vtdprobe result: SUCCESS", "final line agrees");
    TAP_OK(contains("\n1..2\n"), "plan counts the checks");

    r = run_main("test=host-b");
    TAP_EQ_U64(r, PLAT_SKIP, "only skips give SKIP: no check ran");
    TAP_EQ_STR(last_line(), "# vtdprobe result: SKIP", "final line agrees");

    r = run_main("test=host-selftest");
    TAP_OK(ran_self == 1, "a self-test runs when named");
    TAP_EQ_U64(r, PLAT_FAILURE, "its failure is FAILURE");
    TAP_EQ_STR(last_line(), "# vtdprobe result: FAILURE", "final line agrees");

    r = run_main("test=host-a,nosuch");
    TAP_EQ_U64(r, PLAT_ERROR, "an unknown test name is an ERROR");
    TAP_OK(contains("# ERROR: no test named \"nosuch\""), "and says which");

    r = run_main("test=host-silent");
    TAP_EQ_U64(r, PLAT_ERROR, "a test that reports nothing is an ERROR");

    r = run_main("test=host-a");
    TAP_EQ_U64(r, PLAT_SUCCESS, "a passing test is SUCCESS");
    TAP_EQ_STR(last_line(), "# vtdprobe result: SUCCESS", "final line agrees");
    return tap_done();
}
