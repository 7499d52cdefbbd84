# SPDX-License-Identifier: GPL-2.0-or-later
"""The guest's TAP stream: test points, plan, tallies, and a short reason.

Only top-level lines count; an indented line belongs to a subtest whose
summary is its parent's test point.
"""

import os
import re

_POINT_RE = re.compile(r"^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*)$")
# A directive is '#', then SKIP or TODO (any case, any suffix: SKIPPED).
# '\#' in a description is an escaped hash, not a directive.
_DIRECTIVE_RE = re.compile(r"(?<!\\)#\s*(skip|todo)\S*\s*(.*)$", re.IGNORECASE)
_PLAN_RE = re.compile(r"^1\.\.(\d+)\s*(?:#\s*(?:skip\S*)?\s*(.*))?$", re.IGNORECASE)
_BAIL_RE = re.compile(r"^Bail out!\s*(.*)$")
# Notes a check's expected failure leaves after it (lib/report.c).
NOTE_WORDS = ("fixed", "regression", "xfail-off")
_NOTE_RE = re.compile(r"^#\s+(%s): (.*)$" % "|".join(NOTE_WORDS))


class Check:
    """One test point the guest reported."""

    __slots__ = ("ok", "number", "description", "directive", "explanation",
                 "notes")

    def __init__(self, ok, number, description, directive, explanation):
        self.ok = ok
        self.number = number
        self.description = description
        self.directive = directive          # None, "SKIP" or "TODO"
        self.explanation = explanation
        # "# word: text" diagnostics right after the check, by word: what
        # the guest says of an expected failure outside its QEMU versions
        # ("fixed", "regression") or on a target it does not hold for.
        self.notes = {}

    def expectation(self):
        """The expected failure this check carries, as the guest printed
        it ("qemu<9.2 fix=... spec=...: why"), or None."""
        if self.directive == "TODO":
            return self.explanation
        for word in NOTE_WORDS:
            if word in self.notes:
                return self.notes[word]
        return None

    @property
    def failed(self):
        """A real failure: not ok and not an expected (TODO) one."""
        return not self.ok and self.directive != "TODO"


class GuestTap:
    """What the guest reported, parsed from its serial log."""

    def __init__(self, text):
        self.checks = []
        self.plan = None
        self.plan_skip = None
        self.bail_out = None
        self.diagnostics = []
        for raw in text.splitlines():
            line = raw.rstrip("\r")
            m = _POINT_RE.match(line)
            if m:
                self.checks.append(_check(m))
                continue
            m = _PLAN_RE.match(line)
            if m:
                self.plan = int(m.group(1))
                if self.plan == 0 and m.group(2):
                    self.plan_skip = m.group(2).strip()
                continue
            m = _BAIL_RE.match(line)
            if m:
                self.bail_out = m.group(1).strip() or "bail out"
                continue
            if line.startswith("#"):
                n = _NOTE_RE.match(line)
                if n and self.checks:
                    self.checks[-1].notes[n.group(1)] = n.group(2).strip()
                self.diagnostics.append(line[1:].strip())

    # Tallies: ok, not ok, # SKIP, # TODO lines.
    @property
    def passed(self):
        return sum(1 for c in self.checks if c.ok and c.directive is None)

    @property
    def failed(self):
        return sum(1 for c in self.checks if not c.ok and c.directive is None)

    @property
    def skipped(self):
        return sum(1 for c in self.checks if c.directive == "SKIP")

    @property
    def todo(self):
        return sum(1 for c in self.checks if c.directive == "TODO")

    @property
    def fixed(self):
        """Checks that pass on a QEMU outside their expected failure's
        versions: the bug is fixed in this QEMU."""
        return sum(1 for c in self.checks if "fixed" in c.notes and c.ok)

    def tallies(self):
        return {"ok": self.passed, "not ok": self.failed,
                "skip": self.skipped, "todo": self.todo, "fixed": self.fixed}

    def counts(self):
        """passed/failed/skipped/xfail/fixed, as the matrix shows them."""
        return "%d/%d/%d/%d/%d" % (self.passed, self.failed, self.skipped,
                                   self.todo, self.fixed)

    def tally_text(self):
        return "%d ok, %d not ok, %d skip, %d todo" % (
            self.passed, self.failed, self.skipped, self.todo)

    def reason(self, verdict_name):
        """A one-line reason for a non-SUCCESS guest verdict, or None."""
        if verdict_name == "SKIP":
            if self.plan_skip:
                return self.plan_skip
            for c in self.checks:
                if c.directive == "SKIP":
                    return (c.description or _name(c)) + (
                        ": " + c.explanation if c.explanation else "")
            return None
        if verdict_name == "ERROR":
            # The guest's own word on what broke: "# ERROR: ..." diagnostics.
            for d in self.diagnostics:
                if d.upper().startswith("ERROR"):
                    return d
        failed = [c for c in self.checks if c.failed]
        if failed:
            more = " (+%d more)" % (len(failed) - 1) if len(failed) > 1 else ""
            return "not ok %s%s" % (_name(failed[0]), more)
        if self.bail_out:
            return "Bail out! " + self.bail_out
        return None


def _name(check):
    num = "%d " % check.number if check.number is not None else ""
    return (num + "- " + check.description) if check.description else num.strip()


def _check(m):
    ok = m.group(1) == "ok"
    number = int(m.group(2)) if m.group(2) else None
    rest = m.group(3)
    directive = explanation = None
    d = _DIRECTIVE_RE.search(rest)
    if d:
        directive = d.group(1).upper()
        explanation = d.group(2).strip()
        rest = rest[:d.start()]
    return Check(ok, number, rest.strip(), directive, explanation)


# What a run left beside the guest's serial log: checks the runner made
# on the host side (run/vtdrunner/assigned.py), after the guest's own.
HOST_TAP = "host.tap"


def read_text(path, limit=None):
    """A file's text (invalid UTF-8 replaced; at most limit bytes), or ""
    when it cannot be read: what a run left is read whole or not at all."""
    try:
        with open(path, "rb") as f:
            data = f.read() if limit is None else f.read(limit)
    except OSError:
        return ""
    return data.decode("utf-8", errors="replace")


def run_stream(directory):
    """A run directory's whole TAP stream: serial.log, then host.tap."""
    return "".join(read_text(os.path.join(directory, name))
                   for name in ("serial.log", HOST_TAP))
