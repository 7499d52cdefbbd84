# SPDX-License-Identifier: GPL-2.0-or-later
"""Result directories as the HTML and coverage reports read them.

A target is one directory vtdrun wrote for one QEMU (or for the hosted
model): a directory per run (test@config) and, for a QEMU, qemu.txt
("name version command").  A results root holds several targets.  Each run
is loaded with crossver.LoadedRun (verdict file and TAP), and the report
adds what it shows beside them: the raw serial log, the command line, the
program's stderr, and each check's context (the scenario it ran in, from
the "# scenario NAME (file:line): title" line before it).
"""

import os
import re
import shlex

from . import crossver, tap

# What a check came to, as the report counts it: disjoint, so a run's
# counts add up to its checks.  "fixed" is a plain pass that carries an
# expected failure whose QEMU range this target is outside of.
OUTCOMES = ("pass", "fail", "skip", "xfail", "xpass", "fixed")

_SCENARIO_RE = re.compile(r"^# scenario (\S+) \(([^)]*)\): (.*)$")
_SCENARIO_END_RE = re.compile(r"^# scenario \S+: \d+ checks?\b")


def outcome(check):
    """One of OUTCOMES."""
    if check.directive == "SKIP":
        return "skip"
    if check.directive == "TODO":
        return "xpass" if check.ok else "xfail"
    if not check.ok:
        return "fail"
    return "fixed" if "fixed" in check.notes else "pass"


def _version_key(version):
    try:
        return tuple(int(p) for p in version.split("."))
    except (AttributeError, ValueError):
        return None



class Run:
    """One run directory: what LoadedRun parsed, and what the report shows."""

    def __init__(self, target, loaded):
        self.target = target
        self.id = loaded.id
        self.test, _, self.config = loaded.id.partition("@")
        self.dir = loaded.dir
        self.verdict = loaded.verdict
        self.reason = loaded.reason
        self.expect = loaded.expect
        self.checks = loaded.guest.checks
        self.fields = self._verdict_fields()
        self.serial = tap.read_text(os.path.join(self.dir, "serial.log"))
        self.contexts = _contexts(self.serial)
        if len(self.contexts) != len(self.checks):
            self.contexts = [None] * len(self.checks)
        self.cmdline = tap.read_text(os.path.join(self.dir, "cmdline")).strip()
        self.stderr = []
        for name in ("qemu.err", "vtdhost.err", "qemu.out", "vtdhost.out"):
            text = tap.read_text(os.path.join(self.dir, name), 64 * 1024)
            if text and text.strip():
                self.stderr.append((name, text))
        self.counts = dict.fromkeys(OUTCOMES, 0)
        self.outcomes = [outcome(c) for c in self.checks]
        for o in self.outcomes:
            self.counts[o] += 1
        self.anchor = None          # the run's id in the HTML report

    def _verdict_fields(self):
        text = tap.read_text(os.path.join(self.dir, "verdict"))
        lines = text.splitlines()[1:]
        return dict(ln.split(": ", 1) for ln in lines if ": " in ln)

    @property
    def verdict_name(self):
        return str(self.verdict) if self.verdict is not None else "?"

    @property
    def as_expected(self):
        """A self-test whose verdict is the one it asks for."""
        return self.expect is not None and self.verdict_name == self.expect.upper()

    @property
    def broken(self):
        """Not a SUCCESS or SKIP, and not what a self-test asked for."""
        return self.verdict_name not in ("SUCCESS", "SKIP") and not self.as_expected


def _contexts(serial):
    """The scenario each top-level test point ran in ("scenario NAME: title"),
    in the order tap.GuestTap finds them, or None outside a scenario."""
    out = []
    current = None
    for raw in serial.splitlines():
        line = raw.rstrip("\r")
        if tap._POINT_RE.match(line):
            out.append(current)
            continue
        if _SCENARIO_END_RE.match(line):
            current = None
            continue
        m = _SCENARIO_RE.match(line)
        if m:
            current = "scenario %s: %s" % (m.group(1), m.group(3))
    return out


class Target:
    """One result directory: a QEMU's runs, or the hosted model's."""

    def __init__(self, path):
        side = crossver.Side(path)
        self.path = os.path.abspath(path)
        self.name = side.name
        self.version = side.version
        self.command = self._command()
        self.runs = [Run(self, r) for r in side.runs.values()]
        self.kind = "qemu" if self.version else "model"
        if self.kind == "model" and self.command is None and self.runs:
            words = _split(self.runs[0].cmdline)
            self.command = words[0] if words else None

    def _command(self):
        text = tap.read_text(os.path.join(self.path, "qemu.txt"))
        words = text.split(None, 2) if text else []
        return words[2].strip() if len(words) > 2 else None

    @property
    def label(self):
        if self.version:
            return "%s · QEMU %s" % (self.name, self.version)
        return "%s · hosted model" % self.name

    @property
    def short(self):
        """A few characters for matrix cells: the version, or the name."""
        return self.version or self.name

    def sort_key(self):
        v = _version_key(self.version)
        return (v is None, v or (), self.name)


def _split(cmdline):
    try:
        return shlex.split(cmdline)
    except ValueError:
        return cmdline.split()


def is_target(path):
    """Whether a directory holds runs (test@config/verdict)."""
    try:
        entries = os.listdir(path)
    except OSError:
        return False
    return any("@" in e and os.path.isfile(os.path.join(path, e, "verdict"))
               for e in entries)


def target_dirs(paths):
    """The target directories named by paths: a target itself, or every
    target directly under a results root.  ValueError when one has none."""
    out = []
    for p in paths:
        if is_target(p):
            out.append(p)
            continue
        try:
            subs = sorted(os.listdir(p))
        except OSError as e:
            raise ValueError("%s: %s" % (p, e.strerror)) from None
        found = [os.path.join(p, s) for s in subs if is_target(os.path.join(p, s))]
        if not found:
            raise ValueError("%s: no runs here, nor in a directory under it" % p)
        out += found
    seen = set()
    unique = []
    for d in out:
        key = os.path.realpath(d)
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def load(paths):
    """[Target] in report order: QEMUs by version, then the rest by name."""
    targets = [Target(d) for d in target_dirs(paths)]
    return sorted(targets, key=Target.sort_key)


def default_root(paths):
    """Where the report goes by default: the results root given, or the
    directory above the first target given."""
    first = paths[0]
    if is_target(first):
        return os.path.dirname(os.path.abspath(first))
    return os.path.abspath(first)
