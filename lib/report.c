/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/report.c — the TAP reporter. Portable: writes through vt_printf.
 */
#include <stdarg.h>
#include <string.h>

#include "lib/printf.h"
#include "lib/report.h"

#define PREFIX_DEPTH 8
#define PREFIX_LEN   160

static char prefix[PREFIX_LEN];
static unsigned prefix_ends[PREFIX_DEPTH];
static unsigned prefix_depth;
static unsigned prefix_overflow; /* pushes beyond PREFIX_DEPTH */
static enum plat_result result = PLAT_SUCCESS;
static struct report_counts counts;
static bool xfail_applies = true;
static struct qemu_version target; /* the QEMU under test */
static bool target_known;

static const char *const result_names[] = {
    [PLAT_SUCCESS] = "SUCCESS",
    [PLAT_SKIP] = "SKIP",
    [PLAT_FAILURE] = "FAILURE",
    [PLAT_ERROR] = "ERROR",
};

const char *report_result_name(enum plat_result r)
{
    if ((unsigned)r < sizeof(result_names) / sizeof(result_names[0]))
        return result_names[r];
    return "?";
}

void report_raise(enum plat_result r)
{
    if (r > result && (unsigned)r <= PLAT_ERROR)
        result = r;
}

/* SKIP only when no check ran (kvm-unit-tests' rule): a run whose checks
 * passed is SUCCESS however many were skipped for a missing capability. */
enum plat_result report_result(void)
{
    unsigned ran = counts.passed + counts.failed + counts.xfailed +
                   counts.xpassed;

    if (result > PLAT_SKIP)
        return result;
    if (!ran && (result == PLAT_SKIP || counts.skipped))
        return PLAT_SKIP;
    return PLAT_SUCCESS;
}

struct report_counts report_counts(void)
{
    return counts;
}

void report_reset(void)
{
    prefix[0] = 0;
    prefix_depth = 0;
    prefix_overflow = 0;
    result = PLAT_SUCCESS;
    memset(&counts, 0, sizeof(counts));
}

void report_init(void)
{
    report_reset();
    vt_printf("TAP version 13\n");
}

void report_prefix_push(const char *fmt, ...)
{
    size_t len = strlen(prefix);
    va_list ap;

    if (prefix_depth == PREFIX_DEPTH) {
        prefix_overflow++;
        return;
    }
    prefix_ends[prefix_depth++] = (unsigned)len;
    if (len && len + 2 < sizeof(prefix)) {
        prefix[len++] = ':';
        prefix[len++] = ' ';
        prefix[len] = 0;
    }
    va_start(ap, fmt);
    vt_vsnprintf(prefix + len, sizeof(prefix) - len, fmt, ap);
    va_end(ap);
}

void report_prefix_pop(void)
{
    if (prefix_overflow) {
        prefix_overflow--;
        return;
    }
    if (!prefix_depth)
        return;
    prefix[prefix_ends[--prefix_depth]] = 0;
}

/* "prefix: name" into buf. */
static void check_name(char *buf, size_t size, const char *fmt, va_list ap)
{
    size_t len = 0;

    if (prefix[0])
        len = (size_t)vt_snprintf(buf, size, "%s: ", prefix);
    if (len >= size)
        len = size - 1;
    vt_vsnprintf(buf + len, size - len, fmt, ap);
    /* A '#' in a name would start a TAP directive. */
    for (char *p = buf; *p; p++)
        if (*p == '#' || *p == '\n')
            *p = *p == '#' ? '%' : ' ';
}

/* Names the next check (prefix and fmt) into name and counts it. */
static unsigned begin_check(char *name, size_t size, const char *fmt,
                            va_list ap)
{
    check_name(name, size, fmt, ap);
    return ++counts.checks;
}

/* One plain check line: ok or not ok, counted, FAILURE when not ok. */
static void plain(bool pass, unsigned n, const char *name)
{
    if (pass) {
        counts.passed++;
    } else {
        counts.failed++;
        report_raise(PLAT_FAILURE);
    }
    vt_printf("%s %u - %s\n", pass ? "ok" : "not ok", n, name);
}

bool report(bool pass, const char *fmt, ...)
{
    char name[256];
    unsigned n;
    va_list ap;

    va_start(ap, fmt);
    n = begin_check(name, sizeof(name), fmt, ap);
    va_end(ap);
    plain(pass, n, name);
    return pass;
}

void report_xfail_applies(bool applies)
{
    xfail_applies = applies;
}

void report_target_version(const char *version)
{
    target_known = version &&
                   qemu_version_parse(version, strlen(version), &target);
}

/* "qemu<9.2 fix=8e761fb61c spec=6.5.2: why", the expectation as the
 * runner reads it back (run/vtdrunner/crossver.py). */
static void expectation(char *buf, size_t size, const struct xfail *xf)
{
    vt_snprintf(buf, size, "%s%s%s spec=%s: %s", xf->range,
                xf->fix ? " fix=" : "", xf->fix ? xf->fix : "",
                xf->spec ? xf->spec : "?", xf->why ? xf->why : "?");
    for (char *p = buf; *p; p++)
        if (*p == '\n')
            *p = ' ';
}

bool report_range_holds(const char *range, size_t n)
{
    if (!xfail_applies)
        return false;
    if (!target_known)
        return true;
    return xfail_range_holds(range, n, &target, NULL, 0) != 0;
}

/* Whether the expectation holds on this target; a malformed one (a bug
 * of the test) is an ERROR, and holds. */
static bool xfail_holds(const struct xfail *xf)
{
    char err[200];
    int h;

    if (!xf->spec || !xf->why)
        report_error("expected failure without %s (lib/xfail.h)",
                     !xf->spec ? "a spec section" : "a reason");
    else if (strchr(xf->spec, ' '))
        report_error("expected failure: spec=\"%s\": sections are joined "
                     "by commas, without spaces",
                     xf->spec);
    h = xfail_range_holds(xf->range, xf->range ? strlen(xf->range) : 0,
                          target_known ? &target : NULL, err, sizeof(err));
    if (h < 0) {
        report_error("expected failure: %s", err);
        return true;
    }
    return !target_known || h == 1;
}

bool report_xfail(bool pass, const struct xfail *xf, const char *fmt, ...)
{
    char name[256], exp[400];
    unsigned n;
    va_list ap;

    va_start(ap, fmt);
    n = begin_check(name, sizeof(name), fmt, ap);
    va_end(ap);
    expectation(exp, sizeof(exp), xf);
    if (!xfail_applies) {
        plain(pass, n, name);
        if (!pass)
            vt_printf("#   xfail-off: %s (an expected failure on QEMU, not "
                      "on this target)\n",
                      exp);
        return pass;
    }
    if (!xfail_holds(xf)) {
        /* Outside the versions with the bug: a plain check. */
        plain(pass, n, name);
        vt_printf("#   %s: %s (QEMU %u.%u.%u is outside %s)\n",
                  pass ? "fixed" : "regression", exp, target.major,
                  target.minor, target.micro, xf->range);
        return pass;
    }
    if (pass) {
        counts.xpassed++;
        vt_printf("ok %u - %s # TODO %s\n", n, name, exp);
        vt_printf("# expected failure passed: %s (the cited behaviour may "
                  "be fixed; review the expectation's range)\n",
                  name);
    } else {
        counts.xfailed++;
        vt_printf("not ok %u - %s # TODO %s\n", n, name, exp);
    }
    return pass;
}

void report_skip(const char *reason, const char *fmt, ...)
{
    char name[256];
    unsigned n;
    va_list ap;

    va_start(ap, fmt);
    n = begin_check(name, sizeof(name), fmt, ap);
    va_end(ap);
    counts.skipped++;
    report_raise(PLAT_SKIP);
    vt_printf("ok %u - %s # SKIP %s\n", n, name, reason);
}

static void diag(const char *tag, const char *fmt, va_list ap)
{
    char msg[384];

    vt_vsnprintf(msg, sizeof(msg), fmt, ap);
    for (char *p = msg; *p; p++)
        if (*p == '\n')
            *p = ' ';
    if (prefix[0])
        vt_printf("# %s%s: %s\n", tag, prefix, msg);
    else
        vt_printf("# %s%s\n", tag, msg);
}

void report_info(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag("", fmt, ap);
    va_end(ap);
}

void report_error(const char *fmt, ...)
{
    va_list ap;

    counts.errors++;
    report_raise(PLAT_ERROR);
    va_start(ap, fmt);
    diag("ERROR: ", fmt, ap);
    va_end(ap);
}

void report_print_summary(void)
{
    vt_printf("1..%u\n", counts.checks);
    vt_printf("# checks %u: passed %u, failed %u, skipped %u, "
              "expected failures %u (passed unexpectedly %u), errors %u\n",
              counts.checks, counts.passed, counts.failed, counts.skipped,
              counts.xfailed, counts.xpassed, counts.errors);
    vt_printf("# vtdprobe result: %s\n", report_result_name(report_result()));
}

void report_finish(void)
{
    report_print_summary();
    plat_exit(report_result());
}
