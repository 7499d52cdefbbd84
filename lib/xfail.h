/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/xfail.h — expected failures bounded by QEMU versions.
 *
 * A check that fails because QEMU is wrong is an expected failure on the
 * QEMU versions that have the bug, and a plain check everywhere else:
 *
 *   report_xfail(ok, &(struct xfail){
 *           .range = "qemu<9.2", .fix = "8e761fb61c", .spec = "6.5.2",
 *           .why = "QEMU 7.2 ignores bits 255:128 of 256-bit descriptors" },
 *       "reserved bits 255:128 raise IQE");
 *
 * and in a scenario script, the same fields:
 *
 *   xfail qemu<9.2 fix=8e761fb61c spec=6.5.2 "QEMU 7.2 ignores ..."
 *
 * The range: "qemu" (every version: the bug is open upstream), or "qemu"
 * followed by conditions joined by commas, each <, <=, >, >= or == and a
 * version (major.minor or major.minor.micro): "qemu<9.2",
 * "qemu>=8.2,<10.0.4". A fix that reached a stable release before the next
 * major one is bounded by that stable version (e8145dcd31: 10.1.0 and
 * 10.0.4, so "qemu<10.0.4"). QEMU's development builds report x.y.50 and
 * count as after x.y.
 *
 * The runner tells the firmware which QEMU it runs on (qemu=10.0.2 on the
 * command line). Inside the range the check is TAP TODO; outside it, a
 * plain check, with a "# fixed: ..." note when it passes and a
 * "# regression: ..." note when it fails (a regression fails the run).
 * With no qemu= word the version is unknown and every expectation holds.
 */
#ifndef LIB_XFAIL_H
#define LIB_XFAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xfail {
    const char *range; /* "qemu<9.2", as above */
    const char *fix;   /* upstream commit that fixed it, or NULL */
    const char *spec;  /* VT-d spec section (rev 5.10), e.g. "6.5.2.9" */
    const char *why;   /* the behaviour, in a sentence */
};

/* A QEMU version, major.minor.micro. */
struct qemu_version {
    uint16_t major, minor, micro;
};

/* Parse "10.0.2" or "9.2" (n characters); false when it is not one. */
bool qemu_version_parse(const char *s, size_t n, struct qemu_version *v);

/*
 * Whether a range holds for version v: 1 yes, 0 no, -1 when the range is
 * malformed. With err non-NULL, a malformed range's reason goes there.
 */
int xfail_range_holds(const char *range, size_t n, const struct qemu_version *v,
                      char *err, size_t errsz);

/* Only the syntax: true when well formed, else the reason in err. */
bool xfail_range_valid(const char *range, size_t n, char *err, size_t errsz);

#endif
