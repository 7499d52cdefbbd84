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
    report_xfail(false, "QEMU quirk", "known bad");
    report_xfail(true, "QEMU quirk", "known bad but passes");
    TAP_OK(contains("TAP version 13\n"), "stream starts with the version");
    TAP_OK(contains("ok 1 - iotlb: psi am=9: data after invalidation\n"),
           "prefixes nest with ': '");
    TAP_OK(contains("not ok 2 - iotlb: a % in a name\n"),
           "a '#' in a name cannot start a directive");
    TAP_OK(contains("ok 3 - skipped one # SKIP no PSI\n"), "skip line");
    TAP_OK(contains("not ok 4 - known bad # TODO QEMU quirk\n"),
           "expected failure is a TODO");
    TAP_OK(contains("ok 5 - known bad but passes # TODO QEMU quirk\n") &&
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
    report_xfail(true, "QEMU quirk", "cited, passes");
    report_xfail(false, "QEMU quirk", "cited, fails");
    report_xfail_applies(true);
    TAP_OK(contains("ok 1 - cited, passes\n") && !contains("# TODO"),
           "xfail off: a pass is a plain ok");
    TAP_OK(contains("not ok 2 - cited, fails\n") &&
           contains("# an expected failure on QEMU, not on this target: "
                    "QEMU quirk\n"), "xfail off: a failure is not ok, cited");
    TAP_EQ_U64(report_result(), PLAT_FAILURE, "xfail off: it fails the run");
    TAP_EQ_U64(report_counts().xfailed + report_counts().xpassed, 0,
               "xfail off: no expected failure counted");

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
           !strcmp(buf, "smoke,edu"), "cmdline_get finds test=");
    TAP_OK(!cmdline_get("testx=1 xtest=2", "test", buf, sizeof(buf)),
           "cmdline_get matches whole keys only");
    TAP_OK(cmdline_get("test=0123456789", "test", buf, 5) &&
           !strcmp(buf, "0123"), "cmdline_get truncates to the buffer");

    /* Selection and the final line. */
    r = run_main("");
    TAP_OK(ran_a == 1 && ran_b == 1 && ran_self == 0,
           "default suite runs every test but self-tests");
    TAP_EQ_U64(r, PLAT_SKIP, "pass + skip gives SKIP");
    TAP_EQ_STR(last_line(), "# vtdprobe result: SKIP", "final line agrees");
    TAP_OK(contains("\n1..2\n"), "plan counts the checks");

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
