# SPDX-License-Identifier: GPL-2.0-or-later
"""QEMU against the model, check by check (vtdrun --compare), and the
reviewed file of the divergences known (run/divergences.cfg).

Each check of a run has an outcome: pass, fail, skip, xfail (an expected
failure, TAP TODO), xpass (one that passed), or missing (the other machine
has it, this one not).  Two outcomes differ in substance when one passed
(pass, xpass) and the other did not, or one skipped, or one is missing.

A divergence is explained
  - by the check itself, when QEMU's outcome is xfail and the model's is
    pass: the expected failure cites QEMU's defect (the model runs with
    expected failures off, so its pass is a plain pass); or
  - by an entry of the divergence file naming the check, the
    configurations, both outcomes, which side is wrong and why.
Any other divergence fails the comparison.

Checks are paired by their names.  Names that carry observed values
(registers, addresses) differ between the machines, so what is left after
exact pairing is paired by the name with numbers masked, then with
parenthesised parts dropped too, in order of appearance.
"""

import fnmatch
import re

from . import ini
from .ini import TableError
from .verdict import Verdict

OUTCOMES = ("pass", "fail", "skip", "xfail", "xpass", "missing")
SIDES = ("qemu", "model", "neither", "test")
RUN_ROW = "(run)"

# The keys of a divergence file's entry (run/divergences.cfg says more).
DIVERGENCE_KEYS = {
    "check": "the check's name (fnmatch), or (run)",
    "configs": "configurations (names or globs) it applies to",
    "qemu": "QEMU's outcome",
    "model": "the model's outcome",
    "wrong": "which side is wrong",
    "why": "the explanation",
    "spec": "the specification section that decides it",
    "commit": "the upstream QEMU commit that fixes it",
}

_HOST_SIDE_RE = re.compile(r"^vfio-user [A-Za-z][A-Za-z0-9_-]*: ")
_NUM_RE = re.compile(r"0x[0-9a-fA-F]+|\d+")
_PAREN_RE = re.compile(r"\s*\([^()]*\)")


def outcome(check):
    if check is None:
        return "missing"
    if check.directive == "SKIP":
        return "skip"
    if check.directive == "TODO":
        return "xpass" if check.ok else "xfail"
    return "pass" if check.ok else "fail"


def _substance(o):
    return {"xpass": "pass", "xfail": "fail"}.get(o, o)


def mask(name):
    """A check's name with the numbers in it (values, addresses) masked."""
    return _NUM_RE.sub("#", name)


def _strip(name):
    prev = None
    name = mask(name)
    while prev != name:
        prev, name = name, _PAREN_RE.sub("", name)
    return name.strip()


def _extends(a, b):
    """Whether name b is name a with more said after it (": ..." or
    " (...)"): a check that reports less on one machine."""
    return len(b) > len(a) and b.startswith(a) and b[len(a)] in ":( "


def pair_checks(qemu, model):
    """[(qemu check or None, model check or None)] in QEMU's order, then
    the model's unpaired ones."""
    pairs = {}
    left_q = list(range(len(qemu)))
    left_m = list(range(len(model)))
    for key in (lambda c: c.description, lambda c: mask(c.description),
                lambda c: _strip(c.description)):
        by_key = {}
        for j in left_m:
            by_key.setdefault(key(model[j]), []).append(j)
        still_q = []
        used_m = set()
        for i in left_q:
            cands = by_key.get(key(qemu[i]))
            if cands:
                j = cands.pop(0)
                pairs[i] = j
                used_m.add(j)
            else:
                still_q.append(i)
        left_q = still_q
        left_m = [j for j in left_m if j not in used_m]
    # Last: one name extends the other (a check that says more on one
    # machine, e.g. one run only there with the result it found).
    still_q = []
    for i in left_q:
        a = _strip(qemu[i].description)
        for j in left_m:
            b = _strip(model[j].description)
            if _extends(a, b) or _extends(b, a):
                pairs[i] = j
                left_m.remove(j)
                break
        else:
            still_q.append(i)
    out = [(qemu[i], model[pairs[i]] if i in pairs else None)
           for i in range(len(qemu))]
    out += [(None, model[j]) for j in left_m]
    return out


class Divergence:
    """One reviewed entry of the divergence file."""

    def __init__(self, name, check, configs, qemu, model, wrong, why, commit,
                 spec=""):
        self.name = name
        self.check = check
        self.configs = configs
        self.qemu = qemu
        self.model = model
        self.wrong = wrong
        self.why = why
        self.commit = commit
        self.spec = spec
        self.used = 0

    def matches(self, config, names, oq, om):
        if not any(fnmatch.fnmatchcase(config, c) for c in self.configs):
            return False
        if self.qemu not in ("*", oq) or self.model not in ("*", om):
            return False
        return any(n is not None and fnmatch.fnmatchcase(n, self.check)
                   for n in names)


def load_divergences(path):
    """[Divergence] from the reviewed file."""
    parser = ini.read(path, DIVERGENCE_KEYS, defaults=None)
    out = []
    for name in parser.sections():
        where = "%s [%s]" % (path, name)
        s = parser[name]
        for key in ("check", "qemu", "model", "wrong", "why", "spec"):
            if not s.get(key, "").strip():
                raise TableError("%s: %s is required" % (where, key))
        for key in ("qemu", "model"):
            if s[key].strip() not in OUTCOMES + ("*",):
                raise TableError("%s: %s = %s: one of %s or *"
                                 % (where, key, s[key], " ".join(OUTCOMES)))
        if s["wrong"].strip() not in SIDES:
            raise TableError("%s: wrong = %s: one of %s"
                             % (where, s["wrong"], " ".join(SIDES)))
        out.append(Divergence(
            name, " ".join(s["check"].split()),
            ini.words(s.get("configs", "*")) or ["*"],
            s["qemu"].strip(), s["model"].strip(), s["wrong"].strip(),
            " ".join(s["why"].split()), " ".join(s.get("commit", "").split()),
            " ".join(s["spec"].split())))
    return out


class Row:
    """A check whose outcome differs between the machines."""

    def __init__(self, name, qemu, model, side, why, entry=None):
        self.name = name
        self.qemu = qemu
        self.model = model
        self.side = side            # qemu / model / neither / test, or None
        self.why = why
        self.entry = entry          # the divergence file's entry, if any

    @property
    def known(self):
        return self.side is not None


class Comparison:
    """One test in one configuration on both machines."""

    def __init__(self, test, config, qemu_run, model_run):
        self.test = test
        self.config = config
        self.id = "%s@%s" % (test, config)
        self.qemu_run = qemu_run
        self.model_run = model_run
        self.checks = 0
        self.rows = []
        self.problem = None         # a run that could not be compared

    @property
    def unexplained(self):
        return [r for r in self.rows if not r.known]

    @property
    def ok(self):
        return self.problem is None and not self.unexplained

    def summary(self):
        if self.problem:
            return self.problem
        by = {}
        for r in self.rows:
            if r.known:
                by[r.side] = by.get(r.side, 0) + 1
        parts = ["%d checks" % self.checks]
        if not self.rows:
            parts.append("no divergence")
        else:
            parts.append("%d diverge" % len(self.rows))
            known = ", ".join("%d %s wrong" % (n, s) if s in ("qemu", "model")
                              else "%d %s" % (n, s) for s, n in sorted(by.items()))
            if known:
                parts.append("known: " + known)
            if self.unexplained:
                parts.append("%d UNEXPLAINED" % len(self.unexplained))
        return ", ".join(parts)


_BROKEN = (Verdict.CRASH, Verdict.TIMEOUT)


def compare(test, config, qemu_run, model_run, divergences):
    c = Comparison(test, config, qemu_run, model_run)
    for side, run in (("QEMU", qemu_run), ("model", model_run)):
        if run is None:
            c.problem = "no %s run" % side
            return c
        if run.not_started:
            c.problem = "the %s run did not start: %s" % (side, run.reason)
            return c
    # The host side's checks of a served device's record (host.tap) have
    # no twin among the model's checks: the records themselves are compared
    # (run/vtdrunner/assigned.py, compare_records).
    qemu_checks = [k for k in qemu_run.guest.checks
                   if not _HOST_SIDE_RE.match(k.description)]
    pairs = pair_checks(qemu_checks, model_run.guest.checks)
    c.checks = len(pairs)
    for q, m in pairs:
        oq, om = outcome(q), outcome(m)
        if _substance(oq) == _substance(om):
            continue
        name = (q or m).description
        names = (q.description if q else None, m.description if m else None)
        if oq == "xfail" and om == "pass":
            c.rows.append(Row(name, oq, om, "qemu",
                              "xfail: " + (q.explanation or "expected failure")))
            continue
        c.rows.append(_explain(config, name, names, oq, om, divergences))
    _consequences(c)
    # A run that broke (or only one machine's did) is a divergence of its
    # own: the checks it did not reach are not the whole story.
    vq, vm = qemu_run.verdict, model_run.verdict
    broken = {Verdict.ERROR} | set(_BROKEN)
    if vq != vm and (vq in broken or vm in broken):
        c.rows.append(_explain(config, RUN_ROW, (RUN_ROW,), str(vq).lower(),
                               str(vm).lower(), divergences, run_row=True))
    return c


_LINE_RE = re.compile(r": line \d+: .*$")


def _scope(name):
    """The part of a check's name that says where it is: the scenario
    ("scenarios: NAME"), or for a C check in a group ("test: group:
    check") everything before its last ": ".  A check directly under its
    test is a scope of its own."""
    if _LINE_RE.search(name):
        return _LINE_RE.sub("", name)
    parts = name.split(": ")
    return ": ".join(parts[:-1]) if len(parts) >= 3 else name


def _consequences(c):
    """A check only one machine reached, in the same scope as an explained
    divergence, follows from it: the explained outcome changed the path
    (an expected failure that skipped what comes after it on QEMU)."""
    explained = {}
    for r in c.rows:
        if r.known and "missing" not in (r.qemu, r.model):
            explained.setdefault(_scope(r.name), r)
    for r in c.rows:
        if r.known or "missing" not in (r.qemu, r.model):
            continue
        cause = explained.get(_scope(r.name))
        if cause is not None:
            r.side = cause.side
            r.why = "follows from: %s" % cause.name
            r.entry = cause.entry


def _explain(config, name, names, oq, om, divergences, run_row=False):
    for d in divergences:
        if run_row:
            hit = d.check == RUN_ROW and \
                any(fnmatch.fnmatchcase(config, p) for p in d.configs)
        else:
            hit = d.matches(config, names, oq, om)
        if hit:
            d.used += 1
            why = d.why + (" (QEMU %s)" % d.commit if d.commit else "") + \
                (" [spec %s]" % d.spec if d.spec else "")
            return Row(name, oq, om, d.wrong, why, d)
    return Row(name, oq, om, None, "not explained: decide which side is wrong "
               "(fix the model, or add an entry to the divergence file)")


def _clip(text, limit):
    return text if len(text) <= limit else text[:limit - 3] + "..."


def row_lines(c, indent="    "):
    """The divergent checks of one comparison, one line each."""
    out = []
    for r in c.rows:
        side = ("%s wrong" % r.side if r.side in ("qemu", "model") else
                r.side or "UNEXPLAINED")
        out.append("%s%-6s %-6s %-12s %s" % (indent, r.qemu, r.model, side,
                                              _clip(r.name, 110)))
        out.append("%s%27s%s" % (indent, "", _clip(r.why, 150)))
    return out


def table_lines(comparisons):
    """Every divergence of every comparison, grouped by run."""
    out = ["", "Divergences, QEMU against the model (columns: QEMU, model, "
           "which side is wrong, check / why)"]
    any_row = False
    for c in comparisons:
        if not c.rows and not c.problem:
            continue
        any_row = True
        out.append("  %s: %s" % (c.id, c.summary()))
        out += row_lines(c)
    if not any_row:
        out.append("  none")
    total = sum(len(c.rows) for c in comparisons)
    unexplained = sum(len(c.unexplained) for c in comparisons)
    problems = sum(1 for c in comparisons if c.problem)
    out.append("%d comparison%s, %d checks, %d divergences (%d unexplained)%s"
               % (len(comparisons), "" if len(comparisons) == 1 else "s",
                  sum(c.checks for c in comparisons), total, unexplained,
                  ", %d not comparable" % problems if problems else ""))
    return out


def unused_lines(divergences, configs_compared):
    """Entries of the divergence file that explained nothing, among those
    whose configurations were compared: candidates for removal."""
    out = []
    for d in divergences:
        if d.used:
            continue
        if not any(fnmatch.fnmatchcase(c, p) for c in configs_compared
                   for p in d.configs):
            continue
        out.append("divergence file [%s] explained nothing in the runs "
                   "compared (fixed? review it)" % d.name)
    return out
