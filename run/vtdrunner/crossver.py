# SPDX-License-Identifier: GPL-2.0-or-later
"""One QEMU against another, check by check (vtdrun --compare-results A B,
and vtdrun --qemu all).

A result directory is what vtdrun leaves for one QEMU: a directory per
run (test@config) with its verdict and serial log, and qemu.txt naming the
QEMU.  Runs are paired by test@config, checks within a run by name
(compare.pair_checks, as QEMU against the model).  Each difference is one
of
  new failure   B fails a check A passes (or xfails), or B's run is worse
  fixed         A fails (or xfails) a check B passes
  only A/only B a check or a run one side has and the other not
  skip          one side skipped a check the other ran
and is explained when
  - the check carries an expected failure bounded by QEMU versions
    (lib/xfail.h) whose range holds one side's version and not the
    other's, and each side shows what its side of the bound says (an
    xfail inside, a pass outside): the bug is in one QEMU, not the other;
  - a run one QEMU could not start because it cannot express the
    configuration (a SKIP saying which property or device it lacks), the
    checks the other side ran there follow;
  - a check is missing on one side in the scope of an explained one.
A check outside its range that fails is a regression: never explained.
"""

import os
import re

from . import compare, tap
from .verdict import Verdict, parse as parse_verdict

EXPECT_RE = re.compile(r"^qemu(?P<range>(?:[<>]=?|==)[0-9.]+(?:,(?:[<>]=?|==)"
                       r"[0-9.]+)*)?(?P<rest>(?:\s+\S+=\S+)*)(?::\s*(?P<why>.*))?$")
_COND_RE = re.compile(r"^(<=|>=|<|>|==)(\d+(?:\.\d+){0,2})$")


def _vt(text):
    nums = [int(p) for p in text.split(".")]
    return tuple(nums + [0] * (3 - len(nums)))


class Bound:
    """The QEMU versions an expected failure holds on: 'qemu' (every
    version: a bug still open), 'qemu<9.2', 'qemu>=8.2,<9.2'."""

    def __init__(self, text):
        m = EXPECT_RE.match(text.strip())
        if not m:
            raise ValueError("not an expectation: %r" % text)
        self.text = "qemu" + (m.group("range") or "")
        self.conds = []
        for c in (m.group("range") or "").split(",") if m.group("range") else []:
            cm = _COND_RE.match(c)
            if not cm:
                raise ValueError("bad version condition %r in %r" % (c, text))
            self.conds.append((cm.group(1), _vt(cm.group(2))))
        fields = dict(w.split("=", 1) for w in (m.group("rest") or "").split())
        self.fix = fields.get("fix")
        self.spec = fields.get("spec")
        # A note outside the range ends with where the QEMU stood.
        self.why = re.sub(r"\s*\(QEMU [^()]* is outside [^()]*\)$", "",
                          (m.group("why") or "").strip())

    def holds(self, version):
        """Whether a QEMU of version ('10.0.2') has the bug."""
        v = _vt(version)
        for op, b in self.conds:
            if not {"<": v < b, "<=": v <= b, ">": v > b, ">=": v >= b,
                    "==": v == b}[op]:
                return False
        return True


def bound_of(check):
    """The Bound a check's expected failure carries, or None."""
    if check is None:
        return None
    text = check.expectation()
    if not text:
        return None
    try:
        return Bound(text)
    except ValueError:
        return None


class Side:
    """One result directory."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(os.path.normpath(path))
        self.version = None
        self.runs = {}
        info = os.path.join(path, "qemu.txt")
        try:
            with open(info, encoding="utf-8") as f:
                words = f.read().split()
            self.name, self.version = words[0], words[1]
        except (OSError, IndexError):
            pass
        if not os.path.isdir(path):
            raise OSError("%s: no such result directory" % path)
        for entry in sorted(os.listdir(path)):
            d = os.path.join(path, entry)
            if "@" in entry and os.path.isfile(os.path.join(d, "verdict")):
                self.runs[entry] = LoadedRun(entry, d)

    @property
    def label(self):
        return "%s (QEMU %s)" % (self.name, self.version or "?")


class LoadedRun:
    """A run as vtdrun left it in its directory."""

    def __init__(self, run_id, directory):
        self.id = run_id
        self.dir = directory
        with open(os.path.join(directory, "verdict"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        try:
            self.verdict = parse_verdict(lines[0]) if lines else None
        except ValueError:
            self.verdict = None
        fields = dict(ln.split(": ", 1) for ln in lines[1:] if ": " in ln)
        self.reason = fields.get("reason")
        self.expect = fields.get("expect")
        self.guest = tap.GuestTap(tap.run_stream(directory))

    @property
    def unexpressible(self):
        """A run skipped because its QEMU cannot express the configuration."""
        return self.verdict == Verdict.SKIP and bool(self.reason) and \
            self.reason.startswith("configuration ") and " has no " in self.reason


class Row:
    def __init__(self, run, name, a, b, kind, why=None):
        self.run = run
        self.name = name
        self.a = a                  # outcome words (compare.OUTCOMES)
        self.b = b
        self.kind = kind            # new failure, fixed, only A, only B, skip
        self.why = why              # None: unexplained

    @property
    def explained(self):
        return self.why is not None


_WORSE = {"pass": 0, "xpass": 0, "skip": 1, "missing": 1, "xfail": 2, "fail": 3}


def _kind(a, b):
    if "skip" in (a, b):
        return "skip"
    if a == "missing":
        return "only B"
    if b == "missing":
        return "only A"
    if b in ("fail", "xfail") and a in ("pass", "xpass"):
        return "new failure"
    if a in ("fail", "xfail") and b in ("pass", "xpass"):
        return "fixed"
    return "new failure" if _WORSE[b] > _WORSE[a] else "fixed"


_SKIP_RANGE_RE = re.compile(r" on (qemu[^\s:]*)")


def _skip_bound(check):
    """The range of a requirement that holds only on some QEMU versions
    (require arg NAME on=RANGE: the SKIP says "... on qemu<10.0.4")."""
    if check is None or check.directive != "SKIP":
        return None
    m = _SKIP_RANGE_RE.search(check.explanation or "")
    if not m:
        return None
    try:
        return Bound(m.group(1))
    except ValueError:
        return None


def _by_skip(qa, qb, oa, ob, va, vb):
    """A scenario one QEMU skips because an access of it kills the QEMU
    versions of a range, and the other runs."""
    for check, side_version, other_version in ((qa, va, vb), (qb, vb, va)):
        bound = _skip_bound(check)
        if bound and side_version and other_version and \
                bound.holds(side_version) and not bound.holds(other_version):
            return "%s: skipped on QEMU %s only, where it kills QEMU" % (
                bound.text, side_version)
    return None


def _by_bound(qa, qb, oa, ob, va, vb):
    """Why a difference follows from a version bound, or None."""
    skipped = _by_skip(qa, qb, oa, ob, va, vb)
    if skipped:
        return skipped
    bound = bound_of(qa) or bound_of(qb)
    if bound is None or va is None or vb is None:
        return None
    ha, hb = bound.holds(va), bound.holds(vb)
    if ha == hb:
        return None
    fine_in = ("xfail", "xpass")
    fine_out = ("pass",)
    if (oa in (fine_in if ha else fine_out)) and (ob in (fine_in if hb else fine_out)):
        where = "QEMU %s" % (va if ha else vb)
        fix = " (fixed by %s)" % bound.fix if bound.fix else ""
        return "%s: the bug is in %s only%s" % (bound.text, where, fix)
    return None


class RunComparison:
    def __init__(self, run_id, a, b):
        self.id = run_id
        self.a = a
        self.b = b
        self.rows = []
        self.checks = 0

    @property
    def unexplained(self):
        return [r for r in self.rows if not r.explained]

    @property
    def new_failures(self):
        return [r for r in self.rows if not r.explained and
                r.kind in ("new failure", "only A")]


def compare_runs(run_id, ra, rb, va, vb):
    c = RunComparison(run_id, ra, rb)
    if ra is None or rb is None:
        present = ra or rb
        side = "only A" if rb is None else "only B"
        c.rows.append(Row(run_id, compare.RUN_ROW, str(ra.verdict) if ra else "missing",
                          str(rb.verdict) if rb else "missing", side,
                          "not selected on one side" if present.verdict == Verdict.SKIP
                          else None))
        return c
    if ra.unexpressible and rb.unexpressible:
        return c                # neither QEMU can express it: no difference
    for run in (ra, rb):
        if run.unexpressible:
            c.rows.append(Row(run_id, compare.RUN_ROW, str(ra.verdict), str(rb.verdict),
                              "only A" if run is rb else "only B",
                              "cannot be expressed there: %s" % run.reason))
            return c
    pairs = compare.pair_checks(ra.guest.checks, rb.guest.checks)
    c.checks = len(pairs)
    for qa, qb in pairs:
        oa, ob = compare.outcome(qa), compare.outcome(qb)
        if compare._substance(oa) == compare._substance(ob):
            # Same substance, but a check outside its bound that fails is
            # a regression even when the other side fails too.
            continue
        name = (qa or qb).description
        c.rows.append(Row(run_id, name, oa, ob, _kind(oa, ob),
                          _by_bound(qa, qb, oa, ob, va, vb)))
    _follow(c)
    va_sev, vb_sev = ra.verdict, rb.verdict
    if va_sev is not None and vb_sev is not None and va_sev != vb_sev and \
            not c.rows and (va_sev.severity > 1 or vb_sev.severity > 1):
        c.rows.append(Row(run_id, compare.RUN_ROW, str(va_sev), str(vb_sev),
                          "new failure" if vb_sev.severity > va_sev.severity
                          else "fixed"))
    return c


def _follow(c):
    explained = {}
    for r in c.rows:
        if r.explained and (r.kind == "skip" or "missing" not in (r.a, r.b)):
            explained.setdefault(compare._scope(r.name), r)
    for r in c.rows:
        if r.explained or "missing" not in (r.a, r.b):
            continue
        cause = explained.get(compare._scope(r.name))
        if cause is not None:
            r.why = "follows from: %s" % cause.name


def compare_sides(a, b, only=None):
    """[RunComparison] of two Sides, over the runs of either (or only)."""
    ids = sorted(set(a.runs) | set(b.runs)) if only is None else only
    return [compare_runs(i, a.runs.get(i), b.runs.get(i), a.version, b.version)
            for i in ids]


def report_lines(a, b, comps, indent="  "):
    out = ["", "%s against %s, check by check (A, B, kind, check / why)"
           % (b.label, a.label)]
    for c in comps:
        if not c.rows:
            continue
        out.append("%s%s: %d checks, %d differ (%d unexplained)"
                   % (indent, c.id, c.checks, len(c.rows), len(c.unexplained)))
        for r in c.rows:
            out.append("%s  %-7s %-7s %-11s %s" % (indent, r.a, r.b, r.kind,
                                                  r.name[:110]))
            out.append("%s  %27s%s" % (indent, "", (r.why or "UNEXPLAINED")[:150]))
    n = sum(len(c.rows) for c in comps)
    out.append("%d runs compared, %d checks, %d differences: %d fixed, %d new "
               "failures, %d unexplained" % (
                   len(comps), sum(c.checks for c in comps), n,
                   sum(1 for c in comps for r in c.rows if r.kind == "fixed"),
                   sum(1 for c in comps for r in c.rows if r.kind == "new failure"),
                   sum(len(c.unexplained) for c in comps)))
    return out
