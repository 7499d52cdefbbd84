# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs in batches: the tests of one configuration that can share a
command line run in one boot of QEMU (or one vtdhost process) with
test=a,b,c, and its TAP stream is split back into one result per test.

A boot costs more than most tests take to run (OVMF: seconds), so a
configuration's whole suite in one or two boots is what keeps the matrix
fast.  A test marked alone (run/tests.cfg), and every self-test, boots on
its own.  Tests share a process when they share their
command-line words and scripts.  Each test's part of the stream starts at its
"# test NAME: ..." line; its verdict follows from its own lines, most
severe wins: a "# ERROR:" line is ERROR, a failed check FAILURE, a skipped
one SKIP when no other check of the test ran.  The process's own verdict
(exit status and final line, judged as any run) must agree with its parts
(the worst of those that ran a check; SKIP when none did), or every part
is a CRASH: the stream cannot be trusted.  A process that crashed or timed out
gives that verdict to the test it was in, and ERROR to those it never
reached.
"""

import os
import re
import shutil

from . import launch, report, tap
from .verdict import Verdict, worst

_TEST_LINE_RE = re.compile(r"^# test ([A-Za-z0-9_.+-]+): ")
_ERROR_RE = re.compile(r"^# ERROR: ")


def plan(tests):
    """Split tests (in order) into groups that can share one process: the
    same command-line words and scripts (a word one test needs could change
    another), no guest name twice."""
    groups = []
    for t in tests:
        words = sorted(t.append.split())
        extra = list(getattr(t, "extra_args", []))
        if getattr(t, "alone", False) or len(t.guest) != 1:
            groups.append({"tests": [t], "closed": True})
            continue
        for g in groups:
            if not g.get("closed") and g["words"] == words and \
                    g["scripts"] == t.scripts and g["extra"] == extra and \
                    not set(t.guest) & g["guest"]:
                g["tests"].append(t)
                g["guest"] |= set(t.guest)
                break
        else:
            groups.append({"tests": [t], "guest": set(t.guest), "words": words,
                           "scripts": list(t.scripts), "extra": extra})
    return [g["tests"] for g in groups]


class BatchTest:
    """The test table entry of a batch: its tests' guest names in one
    command line."""

    def __init__(self, tests):
        self.tests = tests
        self.name = "+".join(t.name for t in tests)
        self.guest = [g for t in tests for g in t.guest]
        self.append = tests[0].append
        self.scripts = list(tests[0].scripts)
        self.extra_args = list(getattr(tests[0], "extra_args", []))
        self.accel = getattr(tests[0], "accel", None)
        self.timeout = sum(t.timeout or 0 for t in tests) or None
        self.expect = None
        self.groups = []


def _segments(serial, guests):
    """{guest name: lines} of each test's part of the stream, and the
    names in the order they started."""
    parts, order, cur = {}, [], None
    for line in serial.splitlines():
        m = _TEST_LINE_RE.match(line)
        if m and m.group(1) in guests:
            cur = m.group(1)
            order.append(cur)
            parts[cur] = []
        if cur is not None:
            if line.startswith("1..") or line.startswith("# checks ") or \
                    line.startswith("# vtdprobe result: "):
                continue
            parts[cur].append(line)
    return parts, order


def _verdict(lines, gt):
    v = [Verdict.SUCCESS]
    # SKIP only when none of the test's checks ran (lib/report.c).
    if gt.skipped and not (gt.passed or gt.failed or gt.todo):
        v.append(Verdict.SKIP)
    if gt.failed:
        v.append(Verdict.FAILURE)
    if any(_ERROR_RE.match(ln) for ln in lines):
        v.append(Verdict.ERROR)
    return worst(v)


def _whole(verdicts):
    """The verdict of a process from its tests' verdicts: SKIP only when
    every test skipped (no check ran at all), else the worst of the rest."""
    verdicts = list(verdicts)
    ran = [v for v in verdicts if v != Verdict.SKIP]
    return worst(ran) if ran else Verdict.SKIP


def split(batch_run, out_dir):
    """One finished Run per test of the batch, each with its directory in
    out_dir (serial.log holding its part, verdict, cmdline)."""
    tests = batch_run.test.tests
    guests = {t.guest[0] for t in tests if len(t.guest) == 1}
    parts, order = _segments(batch_run.serial, guests)
    bv = batch_run.verdict
    runs = []
    for t in tests:
        directory = os.path.join(out_dir, "%s@%s" % (t.name, batch_run.config.name))
        r = launch.Run(t, batch_run.config, directory, batch_run.cmd,
                       batch_run.timeout, machine=batch_run.machine,
                       qemu=batch_run.qemu)
        r.status = batch_run.status
        r.wall = batch_run.wall / max(1, len(tests))
        g = t.guest[0] if len(t.guest) == 1 else None
        lines = parts.get(g)
        r.serial = "TAP version 13\n" + "\n".join(lines or []) + "\n"
        r.guest = tap.GuestTap(r.serial)
        if batch_run.not_started:
            r.not_started = True
            r.verdict, r.reason = bv, batch_run.reason
        elif batch_run.skip_reason:
            r.verdict, r.reason = bv, batch_run.reason
        elif lines is None:
            r.verdict = Verdict.ERROR if bv in (Verdict.CRASH, Verdict.TIMEOUT) \
                else Verdict.CRASH
            r.reason = "not reached in the batch run %s: %s" % (
                batch_run.id, batch_run.reason or bv)
        else:
            r.verdict = _verdict(lines, r.guest)
            last = order and order[-1] == g
            if bv in (Verdict.CRASH, Verdict.TIMEOUT) and last:
                r.verdict, r.reason = bv, batch_run.reason
            elif r.verdict != Verdict.SUCCESS:
                r.reason = r.guest.reason(r.verdict.value)
        runs.append(r)
    if bv not in (Verdict.CRASH, Verdict.TIMEOUT) and not batch_run.not_started \
            and not batch_run.skip_reason:
        parts_worst = _whole(r.verdict for r in runs)
        if parts_worst != bv:
            for r in runs:
                r.verdict = Verdict.CRASH
                r.reason = ("batch run %s says %s but its tests' lines say %s"
                            % (batch_run.id, bv, parts_worst))
    for r in runs:
        _write(r, batch_run)
    return runs


def _write(run, batch_run):
    launch._fresh_dir(run.dir)
    with open(run.path("serial.log"), "w", encoding="utf-8") as f:
        f.write(run.serial)
    with open(run.path("cmdline"), "w", encoding="utf-8") as f:
        f.write(open(batch_run.path("cmdline"), encoding="utf-8").read())
    with open(run.path("batch"), "w", encoding="utf-8") as f:
        f.write("one of the tests of %s (%s)\n" % (batch_run.id, batch_run.dir))
    with open(run.path("verdict"), "w", encoding="utf-8") as f:
        f.write("%s\n" % run.verdict)
        if run.reason:
            f.write("reason: %s\n" % " ".join(str(run.reason).split()))
        if run.status is not None:
            f.write("status: %d\n" % run.status)
        f.write("checks: %s\n" % run.guest.tally_text())
    report._write(run.path(run.err_file), "see %s\n" % batch_run.dir)
    # A run's records (an assigned device's, run/vtdrunner/assigned.py)
    # belong to its one test.
    if len(batch_run.test.tests) == 1:
        for name in sorted(os.listdir(batch_run.dir)):
            if name.endswith(".record"):
                shutil.copyfile(os.path.join(batch_run.dir, name), run.path(name))
