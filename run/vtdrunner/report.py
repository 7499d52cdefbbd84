# SPDX-License-Identifier: GPL-2.0-or-later
"""What the runner prints and writes: progress lines, the summary table, the
test x configuration matrix, results.tap and junit.xml."""

import json
import os
import re
import socket
import time
import xml.etree.ElementTree as ET

from . import tap
from .verdict import Verdict, worst

# XML 1.0 has no way to carry these, even escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def short_status(run):
    """PASS / SKIP / FAIL: how the run counts, at a glance."""
    if not run.ok:
        return "FAIL"
    if run.verdict == Verdict.SKIP and run.expect is None:
        return "SKIP"
    return "PASS"


def run_reason(run):
    """The reason shown next to a run: why it is not a plain SUCCESS."""
    parts = []
    if run.expect is not None and not run.not_started:
        if run.verdict == run.expect:
            parts.append("expected")
        else:
            parts.append("expected %s" % run.expect)
    if run.reason:
        parts.append(run.reason)
    return ": ".join(parts)


COUNTS_LEGEND = "counts: passed/failed/skipped/expected failures/fixed in this QEMU"


def progress_line(run, width):
    text = "%-4s  %-*s  %-7s %-17s %6.2fs" % (short_status(run), width, run.id,
                                              run.verdict, run.guest.counts(),
                                              run.wall)
    reason = run_reason(run)
    if reason and (run.verdict != Verdict.SUCCESS or not run.ok):
        text += "  " + reason
    return text


def _clip(text, limit=90):
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _table(rows, header):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    out = []
    for r in [header] + rows:
        cells = ["%-*s" % (w, c) for w, c in zip(widths, r)]
        out.append("  ".join(cells).rstrip())
    out.insert(1, "  ".join("-" * w for w in widths))
    return out


def summary_lines(runs, wall):
    """The summary table, then a line of counts."""
    rows = []
    for r in runs:
        t = r.guest.tallies()
        rows.append([short_status(r), r.id, str(r.verdict),
                     "%.2fs" % r.wall, str(t["ok"]), str(t["not ok"]),
                     str(t["skip"]), str(t["todo"]), str(t["fixed"]),
                     _clip(run_reason(r)) if (r.verdict != Verdict.SUCCESS or not r.ok)
                     else ""])
    header = ["", "run", "verdict", "time", "passed", "failed", "skipped", "xfail",
              "fixed", "reason"]
    out = ["", "Summary"] + _table(rows, header)
    counts = {}
    for r in runs:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    by_verdict = ", ".join("%d %s" % (counts[v], v) for v in Verdict if v in counts)
    bad = sum(1 for r in runs if not r.ok)
    out.append("")
    out.append("%d run%s (%s; worst %s) in %.1fs: %s" % (
        len(runs), "" if len(runs) == 1 else "s", by_verdict,
        worst(r.verdict for r in runs), wall,
        "all as expected" if not bad else "%d not as expected" % bad))
    return out


def _cell(r):
    return "%s %s%s" % (r.verdict, r.guest.counts(), "" if r.ok else "!")


def _target(r):
    if r.machine == "model":
        return "model"
    q = getattr(r, "qemu", None)
    if q is None:
        return "qemu"
    return q.name or "qemu-%s" % (q.version or "unknown")


def matrix_lines(runs):
    """Rows tests, columns configurations, cells verdicts with their
    counts ('-': not run, '!': not as expected).  Runs on several QEMUs:
    rows test@config, a column per QEMU."""
    targets = []
    for r in runs:
        if _target(r) not in targets:
            targets.append(_target(r))
    if len(targets) > 1:
        ids, cell = [], {}
        for r in runs:
            base = "%s@%s" % (r.test.name, r.config.name)
            if base not in ids:
                ids.append(base)
            cell[(base, _target(r))] = _cell(r)
        rows = [[i] + [cell.get((i, t), "-") for t in targets] for i in ids]
        out = ["", "Matrix (rows: test@configuration, columns: QEMUs; %s)"
               % COUNTS_LEGEND]
        out += _table(rows, ["run"] + targets)
    else:
        tests, configs, cell = [], [], {}
        for r in runs:
            if r.test.name not in tests:
                tests.append(r.test.name)
            if r.config.name not in configs:
                configs.append(r.config.name)
            cell[(r.test.name, r.config.name)] = _cell(r)
        rows = [[t] + [cell.get((t, c), "-") for c in configs] for t in tests]
        out = ["", "Matrix (rows: tests, columns: configurations; %s)" % COUNTS_LEGEND]
        out += _table(rows, ["test"] + configs)
    if any(not r.ok for r in runs):
        out.append("('!': not as expected)")
    return out


# --------------------------------------------------- what matters

def matters(run):
    """What a person must know of one run, as (kind, text) pairs: the run's
    own problem, each failed check, each regression, each expected failure
    with its citation, each check this QEMU fixed."""
    out = []
    if not run.ok or run.verdict in (Verdict.ERROR, Verdict.CRASH, Verdict.TIMEOUT):
        out.append(("run", "%s%s" % (run.verdict, ": " + run_reason(run)
                                     if run_reason(run) else "")))
    for c in run.guest.checks:
        name = "%s%s" % ("%d - " % c.number if c.number is not None else "",
                         c.description)
        if c.directive == "TODO":
            out.append(("xfail" if not c.ok else "xpass",
                        "%s\n      %s" % (name, c.explanation)))
        elif "regression" in c.notes:
            out.append(("regression", "%s\n      %s" % (name, c.notes["regression"])))
        elif not c.ok and c.directive is None:
            out.append(("failed", name))
        elif "fixed" in c.notes:
            out.append(("fixed", "%s\n      %s" % (name, c.notes["fixed"])))
    return out


_MATTER_ORDER = ("run", "failed", "regression", "xpass", "xfail", "fixed")
_MATTER_TITLE = {"run": "RUN", "failed": "FAILED", "regression": "REGRESSION",
                 "xpass": "XPASS", "xfail": "XFAIL", "fixed": "FIXED"}


def matters_lines(runs):
    """The summary of what matters, grouped by test and configuration:
    every run with something to say, its items most severe first, where
    its logs are."""
    out = ["", "What matters (failures, expected failures with their "
               "citations, checks this QEMU fixed)"]
    n = {k: 0 for k in _MATTER_ORDER}
    for r in sorted(runs, key=lambda r: (r.test.name, r.config.name, r.id)):
        items = matters(r)
        if not items:
            continue
        out.append("  %s: %s  (%s)" % (r.id, r.verdict, r.dir))
        for kind in _MATTER_ORDER:
            for k, text in items:
                if k == kind:
                    n[k] += 1
                    out.append("    %-10s %s" % (_MATTER_TITLE[k], text))
    if len(out) == 2:
        out.append("  nothing: every check passed or was skipped for a reason")
    out.append("  %s" % ", ".join("%d %s" % (n[k], _MATTER_TITLE[k].lower())
                                  for k in _MATTER_ORDER))
    return out


# ------------------------------------------------------------------ TAP

def tap_point(number, run):
    """One TAP test point for a run, plus diagnostics lines."""
    desc = "%s: %s" % (run.id, run.verdict)
    if run.ok and run.verdict == Verdict.SKIP and run.expect is None:
        line = "ok %d - %s # SKIP %s" % (number, desc, _tap_text(run.reason or "skipped"))
    elif run.ok:
        line = "ok %d - %s" % (number, desc + (" (expected)" if run.expect else ""))
    else:
        line = "not ok %d - %s" % (number, desc)
    diag = []
    if not run.ok:
        reason = run_reason(run)
        if reason:
            diag.append("# %s" % reason)
        diag.append("# see %s" % run.dir)
    return [line], diag


def _tap_text(text):
    return " ".join(text.replace("#", "\\#").split())


def write_tap(path, runs):
    """results.tap: one test point per run, the guest's own TAP before it as
    an indented subtest, a YAML block after it."""
    lines = ["TAP version 13", "1..%d" % len(runs)]
    for n, r in enumerate(runs, 1):
        lines.append("# Subtest: %s" % r.id)
        for g in r.serial.splitlines():
            g = _XML_ILLEGAL.sub("?", g.rstrip("\r"))
            if g.startswith("TAP version"):
                continue
            lines.append(("    " + g).rstrip())
        point, _ = tap_point(n, r)
        lines += point
        lines.append("  ---")
        lines.append("  verdict: %s" % r.verdict)
        if r.expect is not None:
            lines.append("  expect: %s" % r.expect)
        if r.reason:
            lines.append("  reason: %s" % json.dumps(r.reason))
        if r.status is not None:
            lines.append("  status: %d" % r.status)
        lines.append("  time: %.3f" % r.wall)
        t = r.guest.tallies()
        lines.append("  checks: {ok: %d, not_ok: %d, skip: %d, todo: %d}"
                     % (t["ok"], t["not ok"], t["skip"], t["todo"]))
        lines.append("  dir: %s" % json.dumps(r.dir))
        lines.append("  ...")
    _write(path, "\n".join(lines) + "\n")


# ---------------------------------------------------------------- JUnit

def _x(text):
    return _XML_ILLEGAL.sub("?", text or "")


def write_junit(path, runs):
    """junit.xml: a testsuite per run, a testcase per guest check and one
    for the run's verdict."""
    root = ET.Element("testsuites", name="vtdprobe")
    totals = dict(tests=0, failures=0, errors=0, skipped=0)
    total_time = 0.0
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    host = socket.gethostname()
    for r in runs:
        suite = ET.SubElement(root, "testsuite", name=r.id, timestamp=stamp,
                              hostname=host, time="%.3f" % r.wall)
        props = ET.SubElement(suite, "properties")
        for k, v in (("test", r.test.name), ("config", r.config.name),
                     ("guest", ",".join(r.test.guest)), ("verdict", str(r.verdict)),
                     ("expect", str(r.expect) if r.expect else ""),
                     ("dir", r.dir)):
            if v:
                ET.SubElement(props, "property", name=k, value=_x(v))
        counts = dict(tests=0, failures=0, errors=0, skipped=0)
        # A self-test expecting a bad verdict fails checks on purpose.
        intended = r.expect is not None and r.expect != Verdict.SUCCESS
        for i, c in enumerate(r.guest.checks, 1):
            name = c.description or "check %d" % (c.number or i)
            if c.number is not None:
                name = "%d - %s" % (c.number, name)
            case = ET.SubElement(suite, "testcase", classname=r.id, name=_x(name), time="0")
            counts["tests"] += 1
            if c.directive == "SKIP":
                ET.SubElement(case, "skipped", message=_x(c.explanation or "skipped"))
                counts["skipped"] += 1
            elif c.directive == "TODO":
                if not c.ok:
                    why = ": " + c.explanation if c.explanation else ""
                    ET.SubElement(case, "skipped", message=_x("expected failure (TODO%s)" % why))
                    counts["skipped"] += 1
                # An unexpected pass of a TODO check counts as a pass.
            elif not c.ok:
                if intended:
                    ET.SubElement(case, "skipped", message=_x(
                        "not ok, as the self-test expects (%s)" % r.expect))
                    counts["skipped"] += 1
                else:
                    ET.SubElement(case, "failure", message=_x(name), type="not ok")
                    counts["failures"] += 1
        case = ET.SubElement(suite, "testcase", classname=r.id, name="verdict",
                             time="%.3f" % r.wall)
        counts["tests"] += 1
        message = "%s%s" % (r.verdict, ": " + run_reason(r) if run_reason(r) else "")
        if not r.ok:
            # failure: what is under test is wrong (the IOMMU, or for a
            # self-test the reporting path); error: the run itself broke.
            wrong = r.verdict == Verdict.FAILURE or (r.expect is not None
                                                     and not r.not_started)
            kind = "failure" if wrong else "error"
            ET.SubElement(case, kind, message=_x(message), type=str(r.verdict))
            counts["failures" if wrong else "errors"] += 1
        elif r.verdict == Verdict.SKIP and r.expect is None:
            ET.SubElement(case, "skipped", message=_x(r.reason or "skipped"))
            counts["skipped"] += 1
        out = ET.SubElement(case, "system-out")
        out.text = _x(r.serial)
        err = tap.read_text(os.path.join(r.dir, r.err_file))
        if err:
            ET.SubElement(case, "system-err").text = _x(err)
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        total_time += r.wall
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("time", "%.3f" % total_time)
    ET.indent(root)
    _write(path, ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n")


def _write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
