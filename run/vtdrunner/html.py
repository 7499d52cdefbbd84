# SPDX-License-Identifier: GPL-2.0-or-later
"""The HTML report (run/vtdreport): one static file over one or more result
directories, readable from file:// with nothing fetched (styles and the
one small script are inline).

  header        the targets (name, QEMU version, command) and totals
  what matters  every failing check, expected failure (with its citation),
                fixed note and run that did not end as it should, grouped
                by test and configuration, each linked to its run
  matrix        rows tests, columns configurations; a cell holds one
                verdict per target, one above the other, with its counts
  runs          a collapsed section per run: verdict and reason, checks,
                command line, stderr, serial log

Size: a scenario run has ~2,000 checks and its serial log already holds
each one, so a run's check table lists statically only the checks that
did not simply pass (all of them in a run of at most FULL_TABLE checks);
a button builds the rest from the serial log in the page.
"""

import collections
import html
import os
import re
import sys
import time

from . import coverage, results

FULL_TABLE = 200            # runs with at most this many checks list them all
LOG_LIMIT = 1 << 20         # characters of a serial log shown (head and tail)

VERDICT_CLASS = {"SUCCESS": "ok", "SKIP": "skip", "FAILURE": "fail", "ERROR": "err",
                 "CRASH": "crash", "TIMEOUT": "crash"}
VERDICT_SHORT = {"SUCCESS": "OK", "SKIP": "SKIP", "FAILURE": "FAIL", "ERROR": "ERROR",
                 "CRASH": "CRASH", "TIMEOUT": "TIMEOUT"}
OUTCOME_WORD = {"pass": "ok", "fail": "not ok", "skip": "skip", "xfail": "xfail",
                "xpass": "xpass", "fixed": "fixed"}
# Counts shown beside a verdict: (outcome, mark, what it means).
COUNT_MARKS = (("pass", "", "passed"), ("fail", "✗", "failed"), ("skip", "s", "skipped"),
               ("xfail", "x", "expected failures"),
               ("xpass", "xp", "expected failures that passed"),
               ("fixed", "f", "fixed in this QEMU"))

# C0 controls (but tab and newline) and DEL, shown as their Unicode pictures.
_CONTROLS = {c: 0x2400 + c for c in list(range(0x00, 0x09)) + [0x0B, 0x0C] +
             list(range(0x0E, 0x20))}
_CONTROLS[0x7F] = 0x2421
_CONTROLS[0x0D] = 0x240D


def esc(text):
    """Text content: & < > escaped, controls made visible (a CR before a
    newline, as a serial console ends its lines, is dropped)."""
    return html.escape(text.replace("\r\n", "\n").translate(_CONTROLS), quote=False)


def attr(text):
    return html.escape(text.translate(_CONTROLS), quote=True)


def _plural(n, word, plural=None):
    return "%d %s" % (n, word if n == 1 else (plural or word + "s"))


def _size(n):
    return "%.1f KiB" % (n / 1024) if n < 1 << 20 else "%.1f MiB" % (n / (1 << 20))


class Cite:
    """An expected failure's citation, from the text the guest printed:
    'qemu<9.2 fix=8e761fb61c spec=6.5.2: why (QEMU 10.0.2 is outside ...)'.
    Read loosely (a spec value may hold blanks: "spec=3.6, 7.1.3")."""

    _RE = re.compile(r"^(qemu[^\s:]*)(.*?)(?::\s+(.*))?$")
    _FIELD_RE = re.compile(r"(\w+)=(.*?)(?=\s+\w+=|$)")

    def __init__(self, text):
        self.text = text
        self.range = self.fix = self.spec = None
        self.why = text
        m = self._RE.match(text.strip())
        if not m:
            return
        fields = dict(self._FIELD_RE.findall(m.group(2).strip()))
        self.range, self.fix, self.spec = m.group(1), fields.get("fix"), fields.get("spec")
        why = m.group(3) or ""
        why = re.sub(r"\s*\(QEMU [^()]* is outside [^()]*\)$", "", why)
        self.why = re.sub(r"\s*\(an expected failure on QEMU, not on this target\)$", "", why)

    def key(self):
        return (self.range or "", self.fix or "", self.spec or "", self.why)

    def render(self):
        if self.range is None:
            return '<span class="cite">%s</span>' % esc(self.text)
        parts = ['<code class="rng">%s</code>' % esc(self.range)]
        if self.fix:
            parts.append('fixed by <code>%s</code>' % esc(self.fix))
        if self.spec:
            parts.append('spec §%s' % esc(self.spec))
        out = " · ".join(parts)
        if self.why:
            out += " — " + esc(self.why)
        return '<span class="cite">%s</span>' % out


# ---------------------------------------------------------------- the model

class Report:
    def __init__(self, targets, sources=(), cov=None, generated=None):
        self.targets = targets
        self.sources = list(sources)
        self.coverage = cov
        self.generated = generated or time.strftime("%Y-%m-%d %H:%M")
        every = [r for t in targets for r in t.runs]
        self.tests = _order_tests({r.test for r in every})
        self.configs = _order_configs(every)
        place = {name: n for n, name in enumerate(self.tests + self.configs)}
        self.runs = []
        for t in targets:
            self.runs += sorted(t.runs, key=lambda r: (place[r.test], place[r.config]))
        for n, r in enumerate(self.runs):
            r.anchor = "r%d" % n
        self.by_cell = {(r.test, r.config, r.target.name): r for r in self.runs}

    # ------------------------------------------------------------ output

    def render(self):
        out = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
               '<meta name="viewport" content="width=device-width, initial-scale=1">',
               '<title>vtdprobe results</title>', '<style>', CSS, '</style>', '</head>',
               '<body>']
        out += self._header()
        out.append('<main>')
        out += self._matters()
        out += self._matrix()
        out += self._coverage()
        out += self._runs()
        out.append('</main>')
        out += ['<script>', JS, '</script>', '</body>', '</html>']
        return "\n".join(out) + "\n"

    # ------------------------------------------------------------ header

    def _header(self):
        out = ['<header>', '<h1>vtdprobe results</h1>',
               '<p class="sub">%s, %s, %s checks · generated %s from %s</p>' % (
                   _plural(len(self.targets), "target"), _plural(len(self.runs), "run"),
                   "{:,}".format(sum(len(r.checks) for r in self.runs)),
                   esc(self.generated), esc(", ".join(self.sources)) or "?"),
               '<table class="targets">',
               '<thead><tr><th>target</th><th>QEMU</th><th>command</th><th>runs</th>'
               '<th>verdicts</th><th>checks</th></tr></thead>', '<tbody>']
        for t in self.targets:
            qemu = esc(t.version) if t.version else '<span class="muted">hosted model</span>'
            out.append('<tr><td><a href="#t-%s">%s</a></td><td>%s</td><td><code>%s</code></td>'
                       '<td class="num">%d</td><td>%s</td><td>%s</td></tr>' % (
                           attr(t.name), esc(t.name), qemu, esc(t.command or "?"), len(t.runs),
                           _verdict_tally(t.runs), _check_tally(t.runs)))
        if len(self.targets) > 1:
            out.append('<tr class="total"><td>all</td><td></td><td></td><td class="num">%d</td>'
                       '<td>%s</td><td>%s</td></tr>' % (
                           len(self.runs), _verdict_tally(self.runs), _check_tally(self.runs)))
        out += ['</tbody>', '</table>']
        out.append('<nav><a href="#matters">What matters</a><a href="#matrix">Matrix</a>'
                   '<a href="#runs">Runs</a>%s</nav>' % (
                       '<a href="#coverage">Coverage</a>' if self.coverage else ""))
        out.append('</header>')
        return out

    # ------------------------------------------------------ what matters

    def _matters(self):
        groups = collections.OrderedDict()
        for test in self.tests:
            for config in self.configs:
                entries = self._entries(test, config)
                if entries:
                    groups[(test, config)] = entries
        n_fail = sum(r.counts["fail"] for r in self.runs if not r.as_expected)
        n_intended = sum(r.counts["fail"] for r in self.runs if r.as_expected)
        n_broken = sum(1 for r in self.runs if r.broken)
        n_xfail = sum(r.counts["xfail"] for r in self.runs)
        n_fixed = sum(r.counts["fixed"] for r in self.runs)
        n_xpass = sum(r.counts["xpass"] for r in self.runs)
        out = ['<section id="matters">', '<h2>What matters</h2>']
        lead = ['<b class="%s">%s</b>' % ("t-fail" if n_fail else "t-none",
                                          _plural(n_fail, "failing check")),
                '<b class="%s">%s</b> that did not end as %s' % (
                    "t-fail" if n_broken else "t-none", _plural(n_broken, "run"),
                    "it should" if n_broken == 1 else "they should"),
                '<b class="t-xfail">%s</b>' % _plural(n_xfail, "expected failure"),
                '<b class="t-fixed">%s</b>' % _plural(n_fixed, "check", "checks") +
                " fixed in the QEMU that ran them"]
        if n_intended:
            lead.append('%s in self-tests that fail on purpose' % _plural(n_intended,
                                                                           "failing check"))
        if n_xpass:
            lead.append('<b class="t-fixed">%s</b>' % _plural(n_xpass, "expected failure") +
                        " that passed")
        out.append('<p class="lead">%s.</p>' % ", ".join(lead))
        if not groups:
            out += ['<p>Nothing: every check passed or was skipped.</p>', '</section>']
            return out
        urgent = [k for k, e in groups.items() if any(x.bad for x in e)]
        rest = [k for k in groups if k not in urgent]
        out.append('<h3>By test and configuration</h3>')
        out.append('<p class="note">Runs with a failure first, and open; the others open on a '
                   'click. Each entry names what happened, the targets it happened on (each '
                   'leads to the check in that run), the check, and the citation of an expected '
                   'failure.</p>')
        out.append('<div class="groups">')
        for key in urgent + rest:
            out += self._group(key, groups[key])
        out.append('</div>')
        out += self._citations()
        out.append('</section>')
        return out

    def _entries(self, test, config):
        """[Entry] of one test@config over the targets, alike ones merged."""
        merged = collections.OrderedDict()
        for t in self.targets:
            r = self.by_cell.get((test, config, t.name))
            if r is None:
                continue
            if r.broken:
                e = merged.setdefault(("run", r.verdict_name, r.reason or ""),
                                      Entry("run", "the run ended %s%s" % (
                                          r.verdict_name, " (the self-test expects %s)" % r.expect
                                          if r.expect else ""), r.reason))
                e.label = r.verdict_name
                e.where.append((r, None))
            for i, (c, o) in enumerate(zip(r.checks, r.outcomes)):
                kind = _kind(c, o)
                if kind is None or (kind == "fail" and r.as_expected):
                    continue
                cite = Cite(c.expectation()) if c.expectation() else None
                key = (kind, c.description, cite.key() if cite else None)
                e = merged.get(key)
                if e is None:
                    e = merged[key] = Entry(kind, c.description, None, cite)
                e.where.append((r, i))
        return sorted(merged.values(), key=lambda e: ENTRY_ORDER.index(e.kind))

    def _group(self, key, entries):
        test, config = key
        bad = any(e.bad for e in entries)
        kinds = collections.Counter((e.kind, e.label) for e in entries)
        tally = " ".join('<span class="k k-%s">%d %s</span>' % (k, n, esc(label))
                         for (k, label), n in sorted(kinds.items(),
                                                     key=lambda kv: ENTRY_ORDER.index(kv[0][0])))
        names = {r.target.short for e in entries for r, _ in e.where}
        on = " ".join('<span class="tg">%s</span>' % esc(t.short) for t in self.targets
                      if t.short in names)
        out = ['<details class="grp%s"%s>' % (" bad" if bad else "", " open" if bad else ""),
               '<summary><span class="gid">%s<span class="at">@</span>%s</span> %s '
               '<span class="on">%s</span></summary>' % (esc(test), esc(config), tally, on),
               '<ul>']
        for e in entries:
            marks = " ".join('<a class="tg %s" href="#%s">%s</a>' % (
                VERDICT_CLASS.get(r.verdict_name, "err"),
                r.anchor if i is None else "%sc%d" % (r.anchor, i), esc(r.target.short))
                for r, i in e.where)
            line = '<li><span class="k k-%s">%s</span><span class="on">%s</span>' \
                   '<span class="ct">%s</span>' % (e.kind, esc(e.label), marks,
                                                   esc(_unprefixed(e.text, test)))
            if e.detail:
                line += '<div class="why">%s</div>' % esc(e.detail)
            if e.cite:
                line += '<div class="why">%s</div>' % e.cite.render()
            out.append(line + '</li>')
        out += ['</ul>', '</details>']
        return out

    def _citations(self):
        """One row per expected failure's citation: the targets where its
        checks are TODO, fixed, failing."""
        rows = {}
        for r in self.runs:
            for c, o in zip(r.checks, r.outcomes):
                text = c.expectation()
                if not text:
                    continue
                cite = Cite(text)
                row = rows.setdefault(cite.key(), CiteRow(cite))
                row.checks.add((r.test, c.description))
                row.on[_kind(c, o) or o].add(r.target.short)
        if not rows:
            return []
        out = ['<h3>Expected failures by citation</h3>',
               '<table class="cites"><thead><tr>'
               '<th>QEMU versions · fix · spec — behaviour</th><th>checks</th>'
               '<th>xfail on</th><th>fixed on</th><th>fails on</th></tr></thead><tbody>']
        order = [t.short for t in self.targets]

        def where(*kinds):
            names = set().union(*(row.on[k] for k in kinds))
            return " ".join('<span class="tg">%s</span>' % esc(n)
                            for n in order if n in names) or '<span class="muted">–</span>'
        for key in sorted(rows):
            row = rows[key]
            out.append('<tr><td>%s</td><td class="num">%d</td><td>%s</td><td>%s</td>'
                       '<td>%s</td></tr>' % (
                           row.cite.render(), len(row.checks), where("xfail", "xpass"),
                           where("fixed", "pass"), where("regression", "fail")))
        out += ['</tbody></table>',
                '<p class="note">checks: distinct checks citing it; a target is listed where one '
                'of them is in that state (fails on: a regression outside the range, or a '
                'failure where no range applies, as on the model).</p>']
        return out

    # ------------------------------------------------------------ matrix

    def _matrix(self):
        out = ['<section id="matrix">', '<h2>Matrix</h2>',
               '<p class="note">Rows tests, columns configurations. A cell holds one verdict '
               'per target, in the order the first column lists them; beside it the checks: '
               'passed, '
               '<span class="n-fail">✗ failed</span>, <span class="n-skip">s skipped</span>, '
               '<span class="n-xfail">x expected failures</span>, '
               '<span class="n-fixed">f fixed in that QEMU</span> '
               '(<span class="n-fixed">xp</span>: an expected failure passed). '
               'A self-test that ends as it intends is shown muted.</p>',
               '<div class="scroll">', '<table class="matrix">',
               '<thead><tr><th class="test">test · target</th>']
        out += ['<th>%s</th>' % esc(c) for c in self.configs]
        out += ['</tr></thead>', '<tbody>']
        labels = "".join('<span class="tl">%s</span>' % esc(t.short) for t in self.targets)
        for test in self.tests:
            row = ['<tr><th class="test"><div><span>%s</span><span class="tls">%s</span>'
                   '</div></th>' % (esc(test), labels)]
            for config in self.configs:
                cell = "".join(self._pill(self.by_cell.get((test, config, t.name)))
                               for t in self.targets)
                row.append('<td>%s</td>' % cell)
            out.append("".join(row) + '</tr>')
        out += ['</tbody>', '</table>', '</div>', '</section>']
        return out

    @staticmethod
    def _pill(run):
        if run is None:
            return '<span class="v none">–</span>'
        v = run.verdict_name
        cls = VERDICT_CLASS.get(v, "err") + (" as" if run.as_expected else "")
        title = "%s %s: %s — %s" % (run.target.name, run.id, v, _count_text(run.counts))
        if run.reason:
            title += " — " + run.reason
        return '<a class="v %s" href="#%s" title="%s"><b>%s</b>%s</a>' % (
            cls, run.anchor, attr(title), VERDICT_SHORT.get(v, v), _count_marks(run.counts))

    # ---------------------------------------------------------- coverage

    def _coverage(self):
        cov = self.coverage
        if cov is None:
            return []
        names = [t.name for t in cov.targets]
        out = ['<section id="coverage">', '<h2>Coverage</h2>',
               '<p class="note">Architecture items (registers, CAP/ECAP fields, descriptor '
               'types, fault reasons, entry fields) and how many of each a check exercises, '
               'judged from the checks\' names and scenario titles: coverage.md beside this '
               'file says how, and lists every item with its counts.</p>',
               '<table class="cov"><thead><tr><th>group</th><th>items</th>%s</tr></thead><tbody>'
               % "".join('<th>%s touched</th>' % esc(t.short) for t in cov.targets)]
        for g in coverage.GROUPS:
            idx = [i for i, it in enumerate(cov.items) if it.group == g]
            cells = "".join('<td class="num">%d</td>' % sum(1 for i in idx if cov.touched(n, i))
                            for n in names)
            out.append('<tr><td>%s</td><td class="num">%d</td>%s</tr>' % (
                esc(coverage.GROUP_TITLES[g]), len(idx), cells))
        summ = cov.summary()
        out.append('<tr class="total"><td>all</td><td class="num">%d</td>%s</tr>' % (
            len(cov.items), "".join('<td class="num">%d</td>' % summ[n][0] for n in names)))
        out.append('</tbody></table>')
        untouched = [cov.items[i] for i in cov.order() if cov.rank(i) == 0]
        some = [i for i in cov.order() if cov.rank(i) == 1]
        if untouched:
            out.append('<h3>No check touches (%d)</h3><p class="chips">%s</p>' % (
                len(untouched), " ".join('<span class="tg" title="%s">%s</span>' % (
                    attr(it.what), esc(it.key)) for it in untouched)))
        if some:
            out.append('<h3>Touched on some targets only (%d)</h3><p class="chips">%s</p>' % (
                len(some), " ".join('<span class="tg" title="%s">%s: %s</span>' % (
                    attr(cov.items[i].what), esc(cov.items[i].key), esc(", ".join(
                        t.short for t in cov.targets if cov.touched(t.name, i))))
                    for i in some)))
        out.append('</section>')
        return out

    # -------------------------------------------------------------- runs

    def _runs(self):
        out = ['<section id="runs">', '<h2>Runs</h2>',
               '<p class="note">Each run opens on a click; a run\'s checks list those that '
               'did not simply pass (all of them in runs of up to %d checks); the serial log '
               'holds every one.</p>' % FULL_TABLE]
        for t in self.targets:
            out.append('<h3 id="t-%s">%s <span class="muted">%s</span></h3>' % (
                attr(t.name), esc(t.label), esc(t.path)))
            for r in self.runs:
                if r.target is t:
                    out += self._run(r)
        out.append('</section>')
        return out

    def _run(self, r):
        v = r.verdict_name
        cls = VERDICT_CLASS.get(v, "err")
        summary = '<span class="v %s%s"><b>%s</b></span> <span class="rid">%s</span> ' \
                  '<span class="tgt">%s</span> <span class="cnt">%s</span>' % (
                      cls, " as" if r.as_expected else "", VERDICT_SHORT.get(v, v),
                      esc(r.id), esc(r.target.short), esc(_count_text(r.counts)))
        if r.reason:
            summary += ' <span class="reason">%s</span>' % esc(_clip(r.reason, 160))
        out = ['<details class="run" id="%s">' % r.anchor, '<summary>%s</summary>' % summary,
               '<div class="body">']
        out += self._meta(r)
        out += self._checks(r)
        out.append('<h5>Command line</h5>')
        out.append('<pre class="cmd">%s</pre>' % esc(r.cmdline or "(no cmdline file)"))
        for name, text in r.stderr:
            out.append('<details class="log"><summary>%s · %s</summary><pre>%s</pre>'
                       '</details>' % (esc(name), _plural(text.count("\n"), "line"), esc(text)))
        out += self._serial(r)
        out += ['</div>', '</details>']
        return out

    @staticmethod
    def _meta(r):
        rows = [("verdict", r.verdict_name)]
        if r.reason:
            rows.append(("reason", r.reason))
        if r.expect:
            rows.append(("self-test expects", "%s (%s)" % (
                r.expect, "as it does" if r.as_expected else "NOT what it did")))
        for key in ("qemu", "status", "time"):
            if key in r.fields:
                rows.append((key, r.fields[key] + (" s" if key == "time" else "")))
        rows.append(("checks", _count_text(r.counts)))
        rows.append(("directory", r.dir))
        return ['<dl class="meta">' + "".join('<dt>%s</dt><dd>%s</dd>' % (esc(k), esc(v))
                                               for k, v in rows) + '</dl>']

    def _checks(self, r):
        if not r.checks:
            return ['<p class="muted">No check was reported.</p>']
        full = len(r.checks) <= FULL_TABLE
        shown = [i for i, o in enumerate(r.outcomes) if full or o != "pass"]
        out = ['<h5>Checks</h5>',
               '<table class="checks" id="%s-checks"><thead><tr><th>#</th><th>check</th>'
               '<th>outcome</th><th>directive / note</th></tr></thead><tbody>' % r.anchor]
        for i in shown:
            c, o = r.checks[i], r.outcomes[i]
            direc = ""
            if c.directive:
                direc = c.directive + (" " + c.explanation if c.explanation else "")
            for word, text in c.notes.items():
                direc += ("; " if direc else "") + "%s: %s" % (word, text)
            kind = _kind(c, o) or o
            # Plain passes are most rows: no id (nothing links to them), no class.
            head = '<tr>' if kind == "pass" else '<tr id="%sc%d" class="o-%s">' % (
                r.anchor, i, kind)
            out.append('%s<td>%s</td><td>%s</td><td class="o">%s</td><td>%s</td></tr>' % (
                head, "" if c.number is None else c.number, esc(c.description),
                ENTRY_WORD.get(kind, OUTCOME_WORD[o]), esc(direc)))
        out.append('</tbody></table>')
        hidden = len(r.checks) - len(shown)
        if hidden:
            out.append('<p class="more">%s not listed: their lines are in the serial log. '
                       '<button type="button" data-run="%s">list every check</button></p>' % (
                           _plural(hidden, "passing check"), r.anchor))
        return out

    @staticmethod
    def _serial(r):
        text = r.serial
        note = ""
        if len(text) > LOG_LIMIT:
            half = LOG_LIMIT // 2
            left = len(text) - 2 * half
            text = text[:half] + "\n[... %d characters left out ...]\n" % left + text[-half:]
            note = " (middle left out)"
        lines = r.serial.count("\n") + (0 if r.serial.endswith("\n") or not r.serial else 1)
        return ['<details class="log"><summary>serial.log · %s · %s%s</summary>'
                '<pre class="serial" id="%s-log">%s</pre></details>' % (
                    _plural(lines, "line"), _size(len(r.serial.encode("utf-8"))), note,
                    r.anchor, esc(text))]


class CiteRow:
    def __init__(self, cite):
        self.cite = cite
        self.checks = set()                         # (test, check name)
        self.on = collections.defaultdict(set)      # outcome kind -> target names


class Entry:
    """One line of 'what matters': a run that broke, or a check, with the
    runs (targets) it happened in."""

    def __init__(self, kind, text, detail=None, cite=None):
        self.kind = kind            # one of ENTRY_ORDER
        self.text = text
        self.detail = detail
        self.cite = cite
        self.where = []             # [(run, check index or None)]
        self.label = ENTRY_WORD[kind]

    @property
    def bad(self):
        return self.kind in ("run", "fail", "regression")


ENTRY_ORDER = ("run", "regression", "fail", "xpass", "fixed", "xfail")


ENTRY_WORD = {"run": "run", "fail": "not ok", "regression": "regression", "xpass": "xpass",
              "fixed": "fixed", "xfail": "xfail", "pass": "ok", "skip": "skip"}


def _kind(check, outcome):
    """What a check is in 'what matters', or None (a plain pass or skip)."""
    if outcome == "fail":
        return "regression" if "regression" in check.notes else "fail"
    if outcome in ("xfail", "xpass", "fixed"):
        return outcome
    return None


def _unprefixed(name, test):
    """A check's name without its test's prefix ("scenarios: "), which the
    group's heading already says."""
    head, sep, rest = name.partition(": ")
    return rest if sep and test.startswith(head) and rest else name


def _order_configs(runs):
    """Configurations most targets have first, default leading."""
    have = collections.defaultdict(set)
    for r in runs:
        have[r.config].add(r.target.name)
    return sorted(have, key=lambda c: (-len(have[c]), c != "default", c))


def _order_tests(names):
    """Tests by name, the runner's self-tests last."""
    return sorted(names, key=lambda t: (t.startswith("selftest"), t))


def _clip(text, limit):
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _count_text(counts):
    parts = ["{:,} passed".format(counts["pass"])]
    for o, _, word in COUNT_MARKS[1:]:
        if counts[o]:
            parts.append("{:,} {}".format(counts[o], word))
    return ", ".join(parts)


def _count_marks(counts):
    out = ['<i>%d</i>' % counts["pass"]]
    for o, mark, _ in COUNT_MARKS[1:]:
        if counts[o]:
            out.append('<i class="n-%s">%s%d</i>' % (o, mark, counts[o]))
    return '<span class="n">%s</span>' % " ".join(out)


def _verdict_tally(runs):
    """Verdicts by kind; self-tests that end as they intend counted apart,
    so a red FAILURE always means something to look at."""
    by = collections.Counter(r.verdict_name for r in runs if not r.as_expected)
    out = ['<span class="v %s"><b>%d</b> %s</span>' % (VERDICT_CLASS.get(v, "err"), by[v], v)
           for v in ("SUCCESS", "SKIP", "FAILURE", "ERROR", "CRASH", "TIMEOUT") if by[v]]
    intended = sum(1 for r in runs if r.as_expected)
    if intended:
        out.append('<span class="v as"><b>%d</b> self-tests as intended</span>' % intended)
    return " ".join(out)


def _check_tally(runs):
    total = collections.Counter()
    on_purpose = 0
    for r in runs:
        total.update(r.counts)
        if r.as_expected:
            total["fail"] -= r.counts["fail"]
            on_purpose += r.counts["fail"]
    text = _count_text(total)
    if on_purpose:
        text += ", {:,} failing on purpose (self-tests)".format(on_purpose)
    return esc(text)


# ------------------------------------------------------------- style, script

CSS = """\
:root{--ok:#176b2c;--ok-bg:#e3f3e6;--skip:#59636e;--skip-bg:#eceff2;--fail:#b42318;
--fail-bg:#fde5e3;--err:#9a4a00;--err-bg:#fdebd3;--crash:#6b1f8f;--crash-bg:#f1e2f8;
--xfail:#7a5a00;--xfail-bg:#fdf1c7;--fixed:#1849a9;--fixed-bg:#e2ebfc;--line:#d8dde3;
--muted:#6a737d;--mono:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"DejaVu Sans",sans-serif;color:#1f2328;background:#fff}
header{background:#f6f8fa;border-bottom:1px solid var(--line);padding:14px 24px 0}
h1{font-size:20px;margin:0 0 2px}
h2{font-size:17px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:20px 0 6px}
h4{font-size:14px;margin:0 0 4px;font-family:var(--mono)}
h5{font-size:13px;margin:12px 0 4px;color:var(--muted)}
main{padding:0 24px 48px}
code,pre,.rid,.tgt,.v,.tl,.matrix th.test,.checks td{font-family:var(--mono)}
code{font-size:12px}
pre{font-size:12px;background:#f6f8fa;border:1px solid var(--line);border-radius:4px;
padding:8px;margin:4px 0;white-space:pre-wrap;word-break:break-all;max-height:36em;overflow:auto}
a{color:#0b57d0;text-decoration:none}
a:hover{text-decoration:underline}
.sub,.note,.muted{color:var(--muted)}
.sub{margin:0 0 10px;font-size:13px}
.note{font-size:12.5px;margin:4px 0 8px}
.lead{font-size:15px;margin:6px 0 10px}
.num{text-align:right}
table{border-collapse:collapse}
th,td{border:1px solid var(--line);padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f6f8fa;font-weight:600}
.targets{margin-bottom:10px;font-size:13px}
.targets td code{font-size:11.5px}
.targets .total td{font-weight:600;background:#fafbfc}
nav{display:flex;gap:18px;padding:6px 0 10px;font-weight:600}
.v{display:inline-block;border-radius:3px;padding:0 5px;font-size:11.5px;white-space:nowrap;
border:1px solid transparent}
.v b{font-weight:700}
.ok{background:var(--ok-bg);color:var(--ok)}
.skip{background:var(--skip-bg);color:var(--skip)}
.fail{background:var(--fail-bg);color:var(--fail)}
.err{background:var(--err-bg);color:var(--err)}
.crash{background:var(--crash-bg);color:var(--crash)}
.v.as{background:#fff;border-color:var(--line);color:var(--muted)}
.t-fail{color:var(--fail)}.t-none{color:var(--ok)}.t-xfail{color:var(--xfail)}.t-fixed{color:var(--fixed)}
.n-fail{color:var(--fail);font-weight:700}.n-skip{color:var(--skip)}
.n-xfail{color:var(--xfail)}.n-fixed,.n-xpass{color:var(--fixed)}
.scroll{overflow-x:auto}
.matrix{font-size:11.5px}
.matrix td,.matrix th{padding:2px 3px}
.matrix thead th{position:sticky;top:0;z-index:1;font-family:var(--mono);font-size:11.5px}
.matrix th.test{white-space:nowrap;background:#fff;font-size:12px;position:sticky;left:0;
z-index:2;box-shadow:1px 0 0 var(--line)}
.matrix thead th.test{z-index:3;background:#f6f8fa}
.matrix th.test div{display:flex;justify-content:space-between;gap:12px}
.matrix .tls{color:var(--muted);font-weight:400}
.matrix .v,.matrix .tl{display:flex;justify-content:space-between;gap:6px;height:18px;
line-height:17px;margin:1px 0}
.matrix .tl{font-size:11px;white-space:nowrap}
.matrix .v .n{font-weight:400}
.matrix .v .n i{font-style:normal;margin-left:4px}
.matrix a.v:hover{border-color:currentColor;text-decoration:none}
.v.none{color:#c3c9d0;background:none;justify-content:center}
.cites{font-size:12.5px;margin:4px 0}
.cites th{white-space:nowrap}
.cov{font-size:12.5px}
.chips .tg{margin-bottom:3px}
.cites td:nth-child(n+3){white-space:nowrap}
.tg{display:inline-block;font-family:var(--mono);font-size:11px;border-radius:3px;padding:0 4px;
margin-right:2px;border:1px solid var(--line);background:#fff;color:#1f2328}
a.tg.ok{border-color:#a9d5b2}a.tg.skip{border-color:#cfd5db}a.tg.fail{border-color:#f1a59d}
a.tg.err{border-color:#f0c48c}a.tg.crash{border-color:#d5a9e8}
.groups{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr));gap:4px 12px;
align-items:start}
.grp{border:1px solid var(--line);border-radius:4px}
.grp[open]{grid-column:1/-1}
.grp.bad{border-color:#f1a59d;box-shadow:inset 3px 0 0 var(--fail)}
.grp>summary{cursor:pointer;padding:3px 8px;font-size:12.5px}
.grp[open]>summary{border-bottom:1px solid var(--line);background:#fafbfc}
.gid{font-family:var(--mono);font-weight:600;font-size:13px;display:inline-block;min-width:220px}
.grp .at{color:var(--muted)}
.grp summary .k{min-width:0;margin-right:2px}
.grp summary .on{margin-left:8px}
.grp ul{margin:0;padding:4px 8px 6px;list-style:none}
.grp li{display:grid;grid-template-columns:76px max-content 1fr;column-gap:8px;margin:3px 0;
font-size:12.5px}
.grp li .ct{font-family:var(--mono);font-size:12px;word-break:break-word}
.grp li .on{white-space:nowrap}
.grp li .why{grid-column:3}
.k{display:inline-block;min-width:68px;text-align:center;font-size:11px;font-weight:700;
border-radius:3px;padding:0 4px;font-family:var(--mono)}
.k-run,.k-fail,.k-regression{background:var(--fail-bg);color:var(--fail)}
.k-xfail{background:var(--xfail-bg);color:var(--xfail)}
.k-fixed,.k-xpass{background:var(--fixed-bg);color:var(--fixed)}
.why{color:#3d444d;font-size:12px}
.cite code{font-size:11.5px}
.cite .rng{color:var(--xfail);font-weight:600}
details.run{border:1px solid var(--line);border-radius:4px;margin:3px 0}
details.run>summary{padding:3px 8px;cursor:pointer;font-size:13px}
details.run[open]>summary{background:#f6f8fa;border-bottom:1px solid var(--line)}
details.run .body{padding:4px 12px 10px}
.rid{font-weight:600}
.tgt{color:var(--muted);font-size:12px}
.cnt{color:var(--muted);font-size:12px}
.reason{color:#3d444d;font-size:12px}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:1px 12px;font-size:12.5px;
margin:6px 0}
.meta dt{color:var(--muted)}.meta dd{margin:0;word-break:break-all}
.checks{font-size:12px;width:100%}
.checks td.o{white-space:nowrap;font-weight:600;color:var(--ok)}
.checks td:first-child{text-align:right}
.o-fail td.o,.o-regression td.o{color:var(--fail)}
.o-fail,.o-regression{background:#fff5f4}
.o-xfail td.o{color:var(--xfail)}
.o-fixed td.o,.o-xpass td.o{color:var(--fixed)}
.o-skip td.o{color:var(--skip)}
.more{font-size:12.5px;color:var(--muted)}
details.log>summary{cursor:pointer;font-size:12.5px;color:var(--muted);margin-top:8px}
.hl{outline:2px solid #f5b400}
"""

# Builds a run's whole check table from its serial log (the TAP points and
# the notes after them), and opens the sections a link points into.
JS = """\
(function () {
  var POINT = /^(not ok|ok)\\b\\s*(\\d+)?\\s*(?:-\\s*)?(.*)$/;
  var DIRECTIVE = /(^|[^\\\\])#\\s*(skip|todo)\\S*\\s*(.*)$/i;
  var NOTE = /^#\\s+(fixed|regression|xfail-off): (.*)$/;
  var WORD = {pass: 'ok', fail: 'not ok', skip: 'skip', xfail: 'xfail', xpass: 'xpass',
              fixed: 'fixed', regression: 'regression'};
  function points(text) {
    var out = [], lines = text.split('\\n');
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].replace(/\\r$/, ''), m = POINT.exec(line);
      if (m) {
        var rest = m[3], d = DIRECTIVE.exec(rest), dir = '', why = '';
        if (d) {
          dir = d[2].toUpperCase();
          why = d[3].trim();
          rest = rest.slice(0, d.index + d[1].length);
        }
        var ok = m[1] === 'ok', o = ok ? 'pass' : 'fail';
        if (dir === 'SKIP') o = 'skip';
        if (dir === 'TODO') o = ok ? 'xpass' : 'xfail';
        out.push({n: m[2] || '', name: rest.trim(), o: o, note: (dir + ' ' + why).trim()});
        continue;
      }
      var n = NOTE.exec(line), c = out[out.length - 1];
      if (n && c) {
        if (n[1] === 'fixed' && c.o === 'pass') c.o = 'fixed';
        if (n[1] === 'regression' && c.o === 'fail') c.o = 'regression';
        c.note += (c.note ? '; ' : '') + n[1] + ': ' + n[2];
      }
    }
    return out;
  }
  function cell(tr, text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }
  function listAll(button) {
    var run = button.getAttribute('data-run');
    var log = document.getElementById(run + '-log');
    var body = document.getElementById(run + '-checks').tBodies[0];
    var rows = points(log.textContent), frag = document.createDocumentFragment();
    for (var i = 0; i < rows.length; i++) {
      var tr = document.createElement('tr');
      if (rows[i].o !== 'pass') tr.className = 'o-' + rows[i].o;
      cell(tr, rows[i].n); cell(tr, rows[i].name); cell(tr, WORD[rows[i].o], 'o');
      cell(tr, rows[i].note);
      frag.appendChild(tr);
    }
    body.replaceChildren(frag);
    button.parentNode.textContent = 'Every check of the serial log is listed.';
  }
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('button[data-run]');
    if (b) listAll(b);
  });
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1)), el = id && document.getElementById(id);
    if (!el) return;
    for (var p = el; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
    var old = document.querySelector('.hl');
    if (old) old.classList.remove('hl');
    if (el.tagName === 'TR') el.classList.add('hl');
    el.scrollIntoView({block: el.tagName === 'TR' ? 'center' : 'start'});
  }
  window.addEventListener('hashchange', reveal);
  reveal();
})();
"""


# ------------------------------------------------------------------ writing

def write(targets, path, sources=(), cov=None):
    """Writes the report to path; returns its size in bytes."""
    text = Report(targets, sources, cov).render()
    data = text.encode("utf-8")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return len(data)


def main(argv=None):
    import argparse

    ap = argparse.ArgumentParser(
        prog="vtdreport",
        description="One static HTML file over vtdrun's result directories (every "
                    "target of a results root, or the targets named), and the coverage "
                    "of the architecture by the checks (coverage.md, coverage.json).")
    ap.add_argument("dirs", nargs="+", metavar="RESULTDIR",
                    help="a target's result directory (build/results/system) or a results "
                         "root (build/results: every target under it)")
    ap.add_argument("--out", metavar="FILE",
                    help="the HTML file (default: RESULTS-ROOT/report.html)")
    ap.add_argument("--coverage", metavar="DIR",
                    help="where coverage.md and coverage.json go (default: beside the HTML)")
    args = ap.parse_args(argv)
    start = time.monotonic()
    try:
        targets = results.load(args.dirs)
    except (OSError, ValueError) as e:
        print("vtdreport: %s" % e, file=sys.stderr)
        return 2
    root = results.default_root(args.dirs)
    out = args.out or os.path.join(root, "report.html")
    cov_dir = args.coverage or os.path.dirname(os.path.abspath(out))
    cov = coverage.write(targets, cov_dir)
    size = write(targets, out, args.dirs, cov)
    runs = sum(len(t.runs) for t in targets)
    checks = sum(len(r.checks) for t in targets for r in t.runs)
    print("vtdreport: %s: %s, %d targets, %d runs, %d checks, in %.1f s" % (
        out, _size(size), len(targets), runs, checks, time.monotonic() - start))
    summ = cov.summary()
    print("vtdreport: %s: %s" % (os.path.join(cov_dir, "coverage.md"), "; ".join(
        "%s %d of %d items touched" % (t.name, summ[t.name][0], len(cov.items))
        for t in targets)))
    return 0
