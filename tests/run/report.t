#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of the HTML report and the coverage report (run/vtdreport) on
synthetic result directories: two QEMUs and the model, with failing checks,
expected failures, fixed notes, skips, a CRASH without a result line, and a
serial log holding HTML metacharacters and invalid UTF-8.  The HTML is
checked with html.parser: nesting, the matrix, the run sections, no URL
that leaves the file.  Prints TAP."""

import html.parser
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "run"))

from vtdrunner import coverage, html as report_html, results  # noqa: E402

sys.path.insert(0, HERE)
from taputil import ok  # noqa: E402
import taputil  # noqa: E402


# ------------------------------------------------------ synthetic results

XFAIL = "qemu<9.2 fix=3b52cea829 spec=6.5.2.11: QEMU takes PASID-cache descriptors in any mode"
NASTY = b'# scenarios: a <b>bold</b> & "quoted" line \xff\xfe with invalid UTF-8 and \x1b[0m\r\n'


def tap(*lines, result="SUCCESS", plan=True):
    text = "TAP version 13\n" + "".join(l + "\n" for l in lines)
    n = sum(1 for l in lines if l.startswith(("ok ", "not ok ")))
    if plan:
        text += "1..%d\n# vtdprobe result: %s\n" % (n, result)
    return text.encode("utf-8")


SCEN_TITLE = ("# scenario qi-malformed-types (qi.vtd:26): descriptor types a legacy 128-bit "
              "queue does not take")


def scenarios(version):
    """A scenario run: its outcome for the PASID-cache descriptor depends on
    the QEMU version, as an expected failure bounded by versions does."""
    if version == "7.2.22":
        qw7 = ["not ok 2 - scenarios: qi-malformed-types: line 31: qi raw qw0=0x7 qw1=0 "
               "expect=iqe # TODO " + XFAIL]
    elif version == "10.0.2":
        qw7 = ["ok 2 - scenarios: qi-malformed-types: line 31: qi raw qw0=0x7 qw1=0 expect=iqe",
               "#   fixed: %s (QEMU 10.0.2 is outside qemu<9.2)" % XFAIL]
    else:
        qw7 = ["ok 2 - scenarios: qi-malformed-types: line 31: qi raw qw0=0x7 qw1=0 expect=iqe"]
    return tap(SCEN_TITLE,
               "ok 1 - scenarios: qi-malformed-types: line 30: qi raw qw0=0x6 qw1=0 expect=iqe",
               *qw7,
               "# scenario qi-malformed-types: 2 checks, 0 DMAs, 3 ms",
               "# scenario fault-perm (faults.vtd:5): read-only page written, write-only "
               "page read",
               "ok 3 - scenarios: fault-perm: line 29: dma edu0 to-ram iova=0x1000 len=64 "
               "expect=fault:write",
               "ok 4 - scenarios: fault-perm: line 30: inv iotlb page did=d iova=0x1000 "
               "gran=page,domain,global",
               "# scenario fault-perm: 2 checks, 1 DMAs, 3 ms",
               "ok 5 - scenarios: xlate-4level: line 69: requirements # SKIP requires 48-bit "
               "(4-level) tables; CAP.SAGAW is 0x2")


def write_run(target, run_id, verdict, serial, cmdline, extra=(), err_name="qemu.err",
              err=""):
    d = os.path.join(target, run_id)
    os.makedirs(d)
    with open(os.path.join(d, "verdict"), "w", encoding="utf-8") as f:
        f.write("%s\n" % verdict + "".join("%s: %s\n" % kv for kv in extra))
    with open(os.path.join(d, "serial.log"), "wb") as f:
        f.write(serial)
    with open(os.path.join(d, "cmdline"), "w", encoding="utf-8") as f:
        f.write(cmdline + "\n")
    with open(os.path.join(d, err_name), "w", encoding="utf-8") as f:
        f.write(err)


def make_results(root):
    qemus = (("system", "7.2.22", "/usr/bin/qemu-system-x86_64"),
             ("10.0", "10.0.2", "/opt/qemu-10.0/qemu-system-x86_64"))
    for name, version, cmd in qemus:
        t = os.path.join(root, name)
        os.makedirs(t)
        with open(os.path.join(t, "qemu.txt"), "w", encoding="utf-8") as f:
            f.write("%s %s %s\n" % (name, version, cmd))
        base = "%s -machine q35 -device intel-iommu -kernel vtdprobe.elf" % cmd
        write_run(t, "scenarios@default", "SUCCESS", scenarios(version),
                  base + " -append 'test=scenarios qemu=%s'" % version,
                  [("qemu", version), ("time", "1.5"),
                   ("checks", "3 ok, 0 not ok, 1 skip, 1 todo")])
        write_run(t, "smoke@default", "SUCCESS",
                  tap("ok 1 - smoke: VER 0x10: major version at least 1",
                      "ok 2 - smoke: CAP.ND 6 is a defined encoding"),
                  base + " -append 'test=smoke'")
    system = os.path.join(root, "system")
    # A guest that died mid-run: no result line, and bytes no decoder takes.
    write_run(system, "smoke@cm", "CRASH",
              tap("ok 1 - smoke: VER 0x10: major version at least 1", plan=False) + NASTY,
              "/usr/bin/qemu-system-x86_64 -device intel-iommu,caching-mode=on",
              [("reason", "QEMU exited with status 0 (triple fault or shutdown without a "
                          "result); no result line"), ("status", "0")],
              err="qemu: a <warning> & more\n")
    # A run with many checks: its passes are left to the serial log.
    many = ["ok %d - scenarios: xlate-3level: line %d: dma edu0 from-ram iova=0x%x len=64 "
            "expect=ok" % (i, i, 0x1000 * i) for i in range(1, report_html.FULL_TABLE + 51)]
    many.append("not ok %d - scenarios: xlate-3level: line 999: check dst len=64 seed=1"
                % (report_html.FULL_TABLE + 51))
    write_run(system, "scenarios@cm", "FAILURE", tap(*many, result="FAILURE"),
              "/usr/bin/qemu-system-x86_64 -append 'test=scenarios inv=qi'",
              [("reason", "not ok 251 - scenarios: xlate-3level: line 999: check dst")])
    ten = os.path.join(root, "10.0")
    write_run(ten, "vtd-qi@sm", "FAILURE",
              tap("ok 1 - vtd-qi: QIE=1 acknowledged by QIES (GSTS 0x04000000)",
                  "not ok 2 - vtd-qi: PASID-cache in a 128-bit queue: wait reports FSTS.IQE (ok)",
                  "#   regression: %s (QEMU 10.0.2 is outside qemu<9.2)" % XFAIL,
                  "ok 3 - vtd-qi: type 0: IQERCD.IQEI is 3 or 0, got 0",
                  result="FAILURE"),
              "/opt/qemu-10.0/qemu-system-x86_64 -device intel-iommu,x-scalable-mode=on",
              [("reason", "not ok 2 - vtd-qi: PASID-cache in a 128-bit queue")])
    model = os.path.join(root, "model")
    os.makedirs(model)
    os.makedirs(os.path.join(model, "batch"))
    vtdhost = "/build/host/harness/vtdhost -m 256M -device intel-iommu"
    write_run(model, "scenarios@default", "SUCCESS", scenarios("model"),
              vtdhost + " -append test=scenarios", err_name="vtdhost.err")
    write_run(model, "scenarios@maximal", "SUCCESS", scenarios("model"),
              vtdhost + ",x-cache=maximal -append test=scenarios", err_name="vtdhost.err")
    write_run(model, "smoke@default", "SUCCESS",
              tap("ok 1 - smoke: VER 0x10: major version at least 1"),
              vtdhost + " -append test=smoke", err_name="vtdhost.err")
    return ["system", "10.0", "model"]


# ------------------------------------------------------------ html checks

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "source"}


class Tree(html.parser.HTMLParser):
    """Checks nesting as it parses and keeps what the tests look at."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.attrs = []             # (tag, name, value) of every attribute
        self.ids = {}
        self.text = {}              # id of an element -> its text
        self._capture = []          # [(id, depth, [text])]
        self.matrix_rows = []       # [(test, [[pill classes, href] per cell])]
        self._in_matrix = 0
        self._row = None
        self.runs = {}              # run section id -> {"summary", "cmd", "log"}
        self._run = None
        self._pre = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            self.attrs.append((tag, k, v or ""))
        if "id" in a:
            if a["id"] in self.ids:
                self.errors.append("duplicate id %s" % a["id"])
            self.ids[a["id"]] = tag
        if tag in VOID:
            return
        self.stack.append(tag)
        depth = len(self.stack)
        if "id" in a:
            self._capture.append((a["id"], depth, []))
        cls = a.get("class", "").split()
        if tag == "table" and "matrix" in cls:
            self._in_matrix = depth
        if self._in_matrix:
            if tag == "tr" and self.stack[-2:-1] == ["tbody"]:
                self._row = [None, []]
                self.matrix_rows.append(self._row)
            elif tag == "td" and self._row is not None:
                self._row[1].append([])
            elif tag in ("a", "span") and "v" in cls and self._row and self._row[1]:
                self._row[1][-1].append((cls, a.get("href")))
        if tag == "details" and "run" in cls:
            self._run = self.runs.setdefault(a["id"], {"cmd": None, "log": None,
                                                       "depth": depth})
        if tag == "pre" and self._run is not None:
            self._pre = ("cmd" if "cmd" in cls else "log" if "serial" in cls else None, [])

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes <%s> (line %d)" % (
                tag, self.stack[-1] if self.stack else "nothing", self.getpos()[0]))
            return
        depth = len(self.stack)
        while self._capture and self._capture[-1][1] == depth:
            ident, _, parts = self._capture.pop()
            self.text[ident] = "".join(parts)
        if tag == "pre" and self._pre is not None and self._run is not None:
            if self._pre[0]:
                self._run[self._pre[0]] = "".join(self._pre[1])
            self._pre = None
        if tag == "details" and self._run is not None and self._run["depth"] == depth:
            self._run = None
        if tag == "table" and self._in_matrix == depth:
            self._in_matrix = 0
        self.stack.pop()

    def handle_data(self, data):
        for _, _, parts in self._capture:
            parts.append(data)
        if self._pre is not None:
            self._pre[1].append(data)
        if self._in_matrix and self._row is not None and self._row[0] is None and \
                self.stack[-1] == "span":
            self._row[0] = data.strip()


def parse(text):
    t = Tree()
    t.feed(text)
    t.close()
    return t


def visible(raw):
    """The serial log as the report shows it: invalid UTF-8 replaced, CRLF
    line ends as LF, control characters as their pictures."""
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n")
    return text.translate(report_html._CONTROLS)


# -------------------------------------------------------------------- run

with tempfile.TemporaryDirectory() as tmp:
    root = os.path.join(tmp, "results")
    names = make_results(root)
    targets = results.load([root])
    ok([t.name for t in targets] == ["system", "10.0", "model"],
       "targets: a results root gives every target, QEMUs by version, the model last",
       [t.name for t in targets])
    ok(targets[2].kind == "model" and targets[2].command == "/build/host/harness/vtdhost",
       "targets: the model's command comes from a run's cmdline", targets[2].command)
    ok(targets[0].command == "/usr/bin/qemu-system-x86_64" and targets[0].version == "7.2.22",
       "targets: a QEMU's name, version and command from qemu.txt")
    run_ids = {(t.name, r.id) for t in targets for r in t.runs}
    ok(len(run_ids) == 10, "targets: every run directory is loaded (batch/ is not one)",
       sorted(run_ids))

    crash = next(r for r in targets[0].runs if r.id == "smoke@cm")
    ok(crash.verdict_name == "CRASH" and crash.broken and len(crash.checks) == 1,
       "a CRASH without a result line keeps the checks it printed")
    sc = next(r for r in targets[1].runs if r.id == "scenarios@default")
    ok(sc.counts == {"pass": 3, "fail": 0, "skip": 1, "xfail": 0, "xpass": 0, "fixed": 1},
       "counts: a pass with a fixed note counts as fixed, apart from plain passes", sc.counts)
    ok(sc.contexts[0] and sc.contexts[0].startswith("scenario qi-malformed-types:") and
       sc.contexts[4] is None,
       "contexts: a check knows the scenario it ran in, and none after its summary line",
       sc.contexts)

    # ------------------------------------------------ the command
    out = os.path.join(tmp, "out", "r.html")
    covdir = os.path.join(tmp, "cov")
    p = subprocess.run([os.path.join(TOP, "run", "vtdreport"), "--out", out, "--coverage",
                        covdir, root], capture_output=True, text=True)
    ok(p.returncode == 0 and os.path.isfile(out),
       "vtdreport writes the HTML where --out says", p.stdout, p.stderr)
    ok(os.path.isfile(os.path.join(covdir, "coverage.md")) and
       os.path.isfile(os.path.join(covdir, "coverage.json")),
       "vtdreport writes coverage.md and coverage.json where --coverage says")
    ok("runs" in p.stdout and "checks" in p.stdout and "items touched" in p.stdout,
       "vtdreport says what it wrote: size, runs, checks, coverage", p.stdout)
    p = subprocess.run([os.path.join(TOP, "run", "vtdreport"), os.path.join(root, "system"),
                        os.path.join(root, "model")], capture_output=True, text=True)
    ok(p.returncode == 0 and os.path.isfile(os.path.join(root, "report.html")) and
       os.path.isfile(os.path.join(root, "coverage.json")),
       "vtdreport on target directories: report.html and coverage beside them, in the root",
       p.stdout, p.stderr)
    os.makedirs(os.path.join(tmp, "nothing", "empty"))
    p = subprocess.run([os.path.join(TOP, "run", "vtdreport"), os.path.join(tmp, "nothing")],
                       capture_output=True, text=True)
    ok(p.returncode == 2 and "no runs" in p.stderr,
       "vtdreport on a directory without runs fails and says so", p.returncode, p.stderr)

    with open(out, encoding="utf-8") as f:
        text = f.read()
    tree = parse(text)

    # ------------------------------------------------ structure
    ok(not tree.errors and not tree.stack, "html: every element is closed, in order",
       "\n".join(tree.errors[:10]), tree.stack)
    ok(text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text,
       "html: a doctype and the charset")
    for needle, what in (("http:", "http:"), ("https:", "https:"), ("//", "//")):
        ok(needle not in text, "html: no %s anywhere (nothing is fetched)" % what,
           text[max(0, text.find(needle) - 80):text.find(needle) + 80])
    remote = [(t, k, v) for t, k, v in tree.attrs
              if k in ("src", "srcset", "action", "data", "poster", "formaction")]
    ok(not remote, "html: no src= (nor another fetching attribute) at all", remote)
    hrefs = [v for t, k, v in tree.attrs if k == "href"]
    ok(hrefs and all(h.startswith("#") for h in hrefs),
       "html: every link stays in the file (#anchors only)",
       [h for h in hrefs if not h.startswith("#")][:5])
    dangling = [h for h in hrefs if h[1:] not in tree.ids]
    ok(not dangling, "html: every #anchor names an element of the page", dangling[:5])
    ok(not any(k == "style" for t, k, v in tree.attrs), "html: no inline style attribute")
    ok("<link" not in text and "@import" not in text and "url(" not in text,
       "html: no stylesheet, import or url() from outside")

    # ------------------------------------------------ header
    header = text[:text.index("</header>")]
    ok(all(s in header for s in ("7.2.22", "10.0.2", "/usr/bin/qemu-system-x86_64",
                                 "/opt/qemu-10.0/qemu-system-x86_64",
                                 "/build/host/harness/vtdhost")),
       "header: each target with its QEMU version and command")
    ok("10 runs" in header and "2 failed" in header and "<b>1</b> CRASH" in header,
       "header: totals of runs, verdicts and checks", header[-1500:])

    # ------------------------------------------------ matrix
    rows = {r[0]: r[1] for r in tree.matrix_rows}
    ok(set(rows) == {"scenarios", "smoke", "vtd-qi"}, "matrix: a row per test", sorted(rows))
    widths = {len(c) for cells in rows.values() for c in cells}
    ok(widths == {3}, "matrix: every cell has one place per target", widths)
    linked = [href for cells in rows.values() for c in cells for cls, href in c if href]
    sections = set(tree.runs)
    ok(len(linked) == len(run_ids) and set(h[1:] for h in linked) == sections,
       "matrix: one cell entry per run per target, each linking to the run's section",
       len(linked), len(run_ids))
    ncols = {len(cells) for cells in rows.values()}
    ok(ncols == {4}, "matrix: a column per configuration (default, cm, maximal, sm)", ncols)
    fresh = report_html.Report(results.load([root]))
    fcrash = next(r for r in fresh.runs if r.id == "smoke@cm")
    crash_pill = [cls for cells in rows.values() for c in cells for cls, href in c
                  if href == "#" + fcrash.anchor]
    ok(crash_pill and "crash" in crash_pill[0], "matrix: the CRASH run is coloured as one",
       crash_pill)

    # ------------------------------------------------ run sections
    ok(len(tree.runs) == len(run_ids), "runs: a section per run", len(tree.runs))
    missing = []
    for r in fresh.runs:
        sec = tree.runs.get(r.anchor)
        if sec is None:
            missing.append(r.id)
            continue
        with open(os.path.join(r.dir, "cmdline"), encoding="utf-8") as f:
            cmd = f.read().strip()
        with open(os.path.join(r.dir, "serial.log"), "rb") as f:
            raw = f.read()
        if sec["cmd"] != cmd or sec["log"] != visible(raw):
            missing.append(r.target.name + " " + r.id)
    ok(not missing, "runs: each section has the command line and the whole serial log",
       missing)
    crash_sec = tree.runs[fcrash.anchor]
    ok('<b>bold</b> & "quoted"' in crash_sec["log"] and "\ufffd" in crash_sec["log"] and
       "\u241b" in crash_sec["log"],
       "runs: HTML metacharacters, invalid UTF-8 and a control character come through "
       "as text")
    ok("<b>bold</b>" not in text and "&lt;b&gt;bold&lt;/b&gt; &amp;" in text,
       "runs: the serial log is escaped in the file")
    ok("qemu: a &lt;warning&gt; &amp; more" in text,
       "runs: a non-empty qemu.err is shown, escaped")
    ok("QEMU exited with status 0" in tree.text[fcrash.anchor],
       "runs: the verdict's reason is shown in the run's section")
    big = next(r for r in fresh.runs if r.id == "scenarios@cm")
    rows_big = text[text.index('id="%s-checks"' % big.anchor):]
    rows_big = rows_big[:rows_big.index("</table>")]
    ok(rows_big.count("<tr") == 2 and 'data-run="%s"' % big.anchor in text,
       "runs: a big run lists the checks that did not pass, and a button for the rest",
       rows_big.count("<tr"))
    small = next(r for r in fresh.runs if r.id == "vtd-qi@sm")
    rows_small = text[text.index('id="%s-checks"' % small.anchor):]
    rows_small = rows_small[:rows_small.index("</table>")]
    ok(rows_small.count("<tr") == 4, "runs: a small run lists every check (and a header row)",
       rows_small.count("<tr"))
    ok('id="%sc1" class="o-regression"' % small.anchor in text,
       "runs: a check outside its range that fails is marked as a regression")

    # ------------------------------------------------ what matters
    matters = text[text.index('<section id="matters">'):text.index('<section id="matrix">')]
    ok("xlate-3level: line 999: check dst len=64 seed=1" in matters,
       "what matters: a failing check")
    ok("qemu&lt;9.2</code>" in matters and "3b52cea829" in matters and "§6.5.2.11" in matters
       and "QEMU takes PASID-cache descriptors in any mode" in matters,
       "what matters: an expected failure with range, fix, spec section and why")
    ok("k-fixed" in matters and "k-xfail" in matters and "k-regression" in matters,
       "what matters: fixed, xfail and regression entries")
    ok("CRASH" in matters and "smoke<span class=\"at\">@</span>cm" in matters,
       "what matters: the run that crashed, under its test and configuration")
    anchors = [h for t, k, h in tree.attrs if k == "href"]
    ok(any(h.startswith("#%sc" % small.anchor) for h in anchors),
       "what matters: an entry links to the check in its run")
    first_bad = matters.find("grp bad")
    first_good = matters.find('<details class="grp">')
    ok(0 < first_bad < first_good, "what matters: groups with failures come first")

    # ------------------------------------------------ coverage
    with open(os.path.join(covdir, "coverage.json"), encoding="utf-8") as f:
        doc = json.load(f)
    ok([t["name"] for t in doc["targets"]] == names, "coverage.json: the targets")
    items = doc["items"]
    touched = [any(v for v in i["checks"].values()) for i in items]
    ok(touched and touched == sorted(touched),
       "coverage.json: items no check touches come first")
    by_key = {i["key"]: i for i in items}
    ok(by_key["descriptor PASID-cache (7)"]["checks"]["system"] == 1 and
       by_key["descriptor PASID-IOTLB (6)"]["checks"]["model"] == 2,
       "coverage: qi raw qw0=... counts for its descriptor type",
       by_key["descriptor PASID-cache (7)"], by_key["descriptor PASID-IOTLB (6)"])
    ok(by_key["fault 0x05"]["checks"]["10.0"] == 1,
       "coverage: expect=fault:write counts for fault reason 0x05", by_key["fault 0x05"])
    ok(by_key["register IVA"]["checks"]["system"] == 1 and
       by_key["register IVA"]["checks"]["model"] == 2,
       "coverage: a register-based PSI counts for IVA", by_key["register IVA"])
    ok(by_key["descriptor IOTLB (2)"]["checks"]["system"] == 0,
       "coverage: an inv statement judged by gran= alone is register-based, not a descriptor")
    ok(by_key["CAP.SAGAW"]["skipped"]["system"] == 1,
       "coverage: a skipped check counts apart", by_key["CAP.SAGAW"])
    ok(by_key["register IQERCD"]["checks"]["10.0"] == 1 and
       by_key["descriptor reserved types (0, 10-127)"]["checks"]["10.0"] == 1,
       "coverage: a C check's name counts (IQERCD.IQEI, type 0)")
    with open(os.path.join(covdir, "coverage.md"), encoding="utf-8") as f:
        md = f.read()
    ok(md.index("## Untouched on every target") < md.index("## Touched on every target") and
       "How an item counts" in md and "Limits:" in md,
       "coverage.md: the method and its limits, then untouched items first")

    # The hints that keep matching fast change no result.
    cov = coverage.Coverage(targets)
    words = coverage.fault_words()
    differ = []
    for t in targets:
        for r in t.runs:
            for c, ctx, o in zip(r.checks, r.contexts, r.outcomes):
                skip = (c.explanation or "") if o == "skip" else None
                text_ = coverage.check_text(c.description, ctx, coverage.run_inv(r), words, skip)
                want = tuple(i for i, it in enumerate(cov.items) if it.matches(text_))
                got = cov._match(c.description, ctx, coverage.run_inv(r), skip, words)
                if want != got:
                    differ.append(c.description)
    ok(not differ, "coverage: matching through the hints finds what every pattern finds",
       differ[:3])

# --------------------------------------------------- the table and the sources

rule_fields = {g: {n for gg, n, _, _ in coverage.RULES if gg == g} for g in ("CAP", "ECAP")}
for g in ("CAP", "ECAP"):
    declared = set(coverage.regs_fields(g))
    ok(rule_fields[g] == declared,
       "coverage: the %s fields of the table are vtd/regs.h's" % g,
       "only in the table: %s" % sorted(rule_fields[g] - declared),
       "only in vtd/regs.h: %s" % sorted(declared - rule_fields[g]))
reasons = coverage.fault_reasons()
ok(len(reasons) > 20 and all(0 < c < 0x100 for c, _ in reasons),
   "coverage: the fault reasons come from vtd/fault.c", len(reasons))
ok(coverage.fault_words().get("write") == 5 and coverage.fault_words().get("root-np") == 1,
   "coverage: the scenario words of fault reasons come from engine/parse.c")
keys = [it.key for it in coverage.items()]
ok(len(keys) == len(set(keys)), "coverage: every item has its own key")
ok(coverage.required_literals(r"\bIRT[AE]?\b") == ("IRT",) and
   coverage.required_literals(r"\bpass-?through") == ("through",) and
   coverage.required_literals(r"\b(2 MiB|1 GiB)\b") == ("2 MiB", "1 GiB") and
   coverage.required_literals(r"a|b") == (),
   "coverage: hints are what every match must hold")
ok(coverage._sum("0x11+bit50") == 0x11 | 1 << 50 and coverage._sum("4K") == 4096,
   "coverage: qw0 sums read as the scenario language writes them")

taputil.finish()
