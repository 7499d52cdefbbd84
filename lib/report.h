/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/report.h — check-by-check results as TAP version 13.
 *
 *   report_prefix_push("iotlb psi");
 *   report(got == want, "am=%u: data after invalidation", am);
 *   report_prefix_pop();
 *
 * Each check is one line, "ok N - prefix: name" or "not ok N - ...". The
 * run's result is the most severe of everything reported and only rises:
 * SUCCESS < SKIP < FAILURE < ERROR (enum plat_result). FAILURE means the
 * thing under test misbehaved; ERROR means the test or its environment
 * broke (missing device, unexpected exception, a timeout in set-up).
 *
 * An expected failure (a check that fails because the IOMMU under test is
 * known to be wrong) is a TAP TODO: "not ok N - name # TODO why". It does
 * not raise the result; if it unexpectedly passes it says so loudly.
 */
#ifndef LIB_REPORT_H
#define LIB_REPORT_H

#include <stdbool.h>

#include "lib/platform.h"
#include "lib/xfail.h"

#define REPORT_FMT(a, b) __attribute__((format(printf, a, b)))

/* Start of the stream: prints the TAP version line. */
void report_init(void);

/* Context for the check names that follow; nests. */
void report_prefix_push(const char *fmt, ...) REPORT_FMT(1, 2);
void report_prefix_pop(void);

/* One check. Returns pass, so callers can chain diagnostics. */
bool report(bool pass, const char *fmt, ...) REPORT_FMT(2, 3);

/* One check that is known to fail on some QEMU versions (lib/xfail.h):
 * TAP TODO on those versions, a plain check elsewhere. */
bool report_xfail(bool pass, const struct xfail *xf, const char *fmt, ...)
    REPORT_FMT(3, 4);

/*
 * Whether expected failures hold on this target (the default). They cite
 * QEMU's behaviour; a target that is not QEMU (the hosted model, the
 * reference) turns them off, and report_xfail() then reports a plain
 * check, with an "xfail-off" note citing the expectation when it fails.
 * Not reset by report_init.
 */
void report_xfail_applies(bool applies);

/* Whether a QEMU version range (lib/xfail.h) holds on this target: true
 * when the version is unknown or the range is malformed, false on a
 * target expected failures do not apply to (the model). For a test that
 * must not make an access that kills the QEMU versions of the range. */
bool report_range_holds(const char *range, size_t n);

/* The QEMU version the target is ("10.0.2", the runner's qemu= word);
 * NULL or unparsable: unknown, and every expected failure holds. Not reset
 * by report_init. */
void report_target_version(const char *version);

/* A check that cannot run here; reason says why. The run is SKIP only
 * when no check ran at all (report_result). */
void report_skip(const char *reason, const char *fmt, ...) REPORT_FMT(2, 3);

/* A diagnostic line ("# ..."), under the current prefix. */
void report_info(const char *fmt, ...) REPORT_FMT(1, 2);

/* The test or its environment broke: "# ERROR: prefix: message", raises
 * the result to ERROR. The caller decides whether to go on. */
void report_error(const char *fmt, ...) REPORT_FMT(1, 2);

/* Raise the result without a check line (e.g. a whole test skipped). */
void report_raise(enum plat_result r);

enum plat_result report_result(void);
const char *report_result_name(enum plat_result r);

/* Counters, for tests of tests. */
struct report_counts {
    unsigned checks, passed, failed, skipped, xfailed, xpassed, errors;
};
struct report_counts report_counts(void);

/* Prints the plan, the tallies and the final result line
 * "# vtdprobe result: VERDICT", then ends the run with that result. */
__attribute__((noreturn)) void report_finish(void);

/* Everything report_finish prints, without ending the run (hosted tests). */
void report_print_summary(void);

/* Back to a fresh state (hosted tests run several streams). */
void report_reset(void);

#endif
