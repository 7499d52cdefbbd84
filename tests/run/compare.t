#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of the runner's hosted-model parts without running anything: the
model's configuration table, batches split back per test, and the
check-by-check comparison with its divergence file.  Prints TAP."""

import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "run"))

from vtdrunner import batch, compare, launch, tables, tap  # noqa: E402
from vtdrunner.verdict import Verdict  # noqa: E402

sys.path.insert(0, HERE)
from taputil import ok, raises  # noqa: E402
import taputil  # noqa: E402


class FakeRun:
    def __init__(self, serial, verdict=Verdict.SUCCESS):
        self.guest = tap.GuestTap(serial)
        self.verdict = verdict
        self.not_started = False
        self.reason = None
        self.dir = "/nowhere"


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ------------------------------------------------ the real tables load

configs = tables.load_configs(os.path.join(TOP, "run", "configs.cfg"))
tests = tables.load_tests(os.path.join(TOP, "run", "tests.cfg"), configs)
# As if vtdhost held every guest test of the table.
held = {g for t in tests for g in t.guest}
mconfigs = tables.load_model_configs(os.path.join(TOP, "run", "model-configs.cfg"),
                                     configs, tests, held)
ok("default" in mconfigs and mconfigs["default"].compare,
   "model table: [default] mirrors QEMU's default and is compared")
ok(mconfigs["default"].iommu == configs["default"].iommu and
   mconfigs["default"].devices == configs["default"].devices,
   "model table: a mirror takes the QEMU configuration's -device values")
ok(not mconfigs["maximal"].compare and "x-cache=maximal" in mconfigs["maximal"].iommu,
   "model table: a model-only configuration adds its properties, not compared")
ok(compare.load_divergences(os.path.join(TOP, "run", "divergences.cfg")) is not None,
   "the divergence file parses")

with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, "m.cfg")
    write(bad, "[x]\nqemu = nosuch\n")
    raises(lambda: tables.load_model_configs(bad, configs, tests, held), tables.TableError,
           "model table: an unknown QEMU configuration is an error", contains="nosuch")
    write(bad, "[x]\niommu = intel-iommu\ncompare = yes\n")
    raises(lambda: tables.load_model_configs(bad, configs, tests, held), tables.TableError,
           "model table: compare without a QEMU configuration is an error")

    cmd = tables.hosted_command(["vtdhost"], mconfigs["multi"], tests[0],
                                "/r/serial.log", ["/s/a.vtd"], "x=1")
    ok(cmd.count("-device") == 1 + len(configs["multi"].devices) and
       "file:/r/serial.log" in cmd and "/s/a.vtd" in cmd and
       cmd[cmd.index("-append") + 1].startswith("test="),
       "hosted command: the configuration's devices, serial file, modules, words",
       cmd)

    # ---------------------------------------------------------- divergences

    div = os.path.join(tmp, "d.cfg")
    write(div, "[a]\ncheck = t: named *\nqemu = pass\nmodel = fail\nwrong = model\n"
               "why = because\nspec = 6.5.2\n")
    ds = compare.load_divergences(div)
    ok(len(ds) == 1 and ds[0].wrong == "model", "divergence file: an entry")
    write(div, "[a]\ncheck = x\nqemu = maybe\nmodel = fail\nwrong = qemu\nwhy = w\n")
    raises(lambda: compare.load_divergences(div), compare.TableError,
           "divergence file: an unknown outcome is an error")
    write(div, "[a]\ncheck = x\nqemu = pass\nmodel = fail\nwrong = qemu\n")
    raises(lambda: compare.load_divergences(div), compare.TableError,
           "divergence file: an entry without why is an error")
    write(div, "[a]\ncheck = x\nqemu = pass\nmodel = fail\nwrong = qemu\nwhy = w\n")
    raises(lambda: compare.load_divergences(div), compare.TableError,
           "divergence file: an entry without a spec section is an error")

# --------------------------------------------------------------- pairing

qemu = FakeRun("""TAP version 13
ok 1 - t: same
ok 2 - t: reg reads back 0x10 (got 0x10)
not ok 3 - t: cached fault # TODO QEMU bug, cited
ok 4 - t: step
not ok 5 - t: grp: head # TODO QEMU skips the rest
ok 6 - t: named thing
ok 7 - t: only here
ok 8 - t: wait # SKIP no SW+IF here
""")
model = FakeRun("""TAP version 13
ok 1 - t: same
ok 2 - t: reg reads back 0x20 (got 0x20)
ok 3 - t: cached fault
not ok 4 - t: step
ok 5 - t: grp: head
ok 6 - t: grp: tail
not ok 7 - t: named thing
ok 8 - t: wait: with SW+IF (ICS 0x1)
""")
pairs = compare.pair_checks(qemu.guest.checks, model.guest.checks)
names = [(q.description if q else None, m.description if m else None) for q, m in pairs]
ok(("t: reg reads back 0x10 (got 0x10)", "t: reg reads back 0x20 (got 0x20)") in names,
   "pairing: names that differ in values pair with numbers masked", names)
ok(("t: wait", "t: wait: with SW+IF (ICS 0x1)") in names,
   "pairing: a name that says more on one side pairs with the shorter", names)
ok(("t: only here", None) in names and (None, "t: grp: tail") in names,
   "pairing: a check on one side only stays alone", names)

with tempfile.TemporaryDirectory() as tmp:
    div = os.path.join(tmp, "d.cfg")
    write(div, "[named]\ncheck = t: named *\nconfigs = c*\nqemu = pass\nmodel = fail\n"
               "wrong = model\nwhy = the model is wrong here\nspec = 3.6\n")
    ds = compare.load_divergences(div)
    c = compare.compare("t", "cfg", qemu, model, ds)
    rows = {r.name: r for r in c.rows}
    ok("t: same" not in rows and "t: reg reads back 0x10 (got 0x10)" not in rows,
       "compare: equal outcomes are no divergence", list(rows))
    ok(rows["t: cached fault"].side == "qemu" and "QEMU bug" in rows["t: cached fault"].why,
       "compare: QEMU xfail against a model pass is explained by the citation")
    ok(rows["t: grp: tail"].known and rows["t: grp: tail"].why.startswith("follows from"),
       "compare: a check the model alone reached after an explained one follows from it")
    ok(rows["t: named thing"].side == "model" and ds[0].used == 1,
       "compare: a divergence file entry explains a divergence")
    ok(not rows["t: step"].known and not rows["t: only here"].known,
       "compare: anything else is unexplained")
    ok(not c.ok and "UNEXPLAINED" in c.summary(), "compare: unexplained fails", c.summary())
    c2 = compare.compare("t", "other", qemu, model, ds)
    ok(not {r.name: r for r in c2.rows}["t: named thing"].known,
       "compare: an entry applies only to its configurations")
    broken = FakeRun("TAP version 13\nok 1 - t: same\n", Verdict.CRASH)
    c3 = compare.compare("t", "cfg", FakeRun("TAP version 13\nok 1 - t: same\n"),
                         broken, ds)
    ok(any(r.name == compare.RUN_ROW for r in c3.rows),
       "compare: a run that crashed on one machine is a divergence of its own")
    ok(compare.compare("t", "cfg", qemu, None, ds).problem is not None,
       "compare: a missing run cannot be compared")

# --------------------------------------------------------------- batches

class T:
    def __init__(self, name, append="", scripts=()):
        self.name = name
        self.guest = [name]
        self.append = append
        self.scripts = list(scripts)
        self.timeout = None
        self.expect = None
        self.groups = []


groups = batch.plan([T("a"), T("b", "k=1"), T("c"), T("d", "k=1"), T("a")])
ok([[t.name for t in g] for g in groups] == [["a", "c"], ["b", "d"], ["a"]],
   "batches: the same words share a process, a guest name never twice",
   [[t.name for t in g] for g in groups])
lone = T("e")
lone.alone = True
groups = batch.plan([T("a"), lone, T("c")])
ok([[t.name for t in g] for g in groups] == [["a", "c"], ["e"]],
   "batches: a test marked alone boots on its own",
   [[t.name for t in g] for g in groups])


class Cfg:
    name = "cfg"
    qemu = "cfg"


def batch_run(tmp, serial, verdict, tests_):
    bt = batch.BatchTest(tests_)
    d = os.path.join(tmp, "batch")
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "cmdline"), "vtdhost\n")
    r = launch.Run(bt, Cfg(), d, ["vtdhost"], 10, machine="model")
    r.serial = serial
    r.guest = tap.GuestTap(serial)
    r.verdict = verdict
    r.status = 37
    return r


with tempfile.TemporaryDirectory() as tmp:
    serial = """TAP version 13
# test a: title a
ok 1 - a: one
ok 2 - a: two # SKIP no
# test b: title b
not ok 3 - b: three
# test c: title c
ok 4 - c: four
# ERROR: c: broke
# test d: title d
ok 5 - d: five # SKIP no
1..5
# vtdprobe result: ERROR
"""
    runs = batch.split(batch_run(tmp, serial, Verdict.ERROR,
                                 [T("a"), T("b"), T("c"), T("d")]), tmp)
    v = {r.test.name: r.verdict for r in runs}
    ok(v == {"a": Verdict.SUCCESS, "b": Verdict.FAILURE, "c": Verdict.ERROR,
             "d": Verdict.SKIP},
       "batch split: each test's verdict from its own lines (SKIP only when "
       "no check ran)", v)
    ok(len(runs[0].guest.checks) == 2 and os.path.isfile(
        os.path.join(tmp, "a@cfg", "serial.log")),
       "batch split: each test gets its part and a directory")
    runs = batch.split(batch_run(tmp, serial, Verdict.SUCCESS, [T("a"), T("b"), T("c")]), tmp)
    ok(all(r.verdict == Verdict.CRASH for r in runs),
       "batch split: a process verdict that disagrees with its parts is a CRASH")
    crashed = "TAP version 13\n# test a: x\nok 1 - a: one\n# test b: y\nok 2 - b: two\n"
    runs = batch.split(batch_run(tmp, crashed, Verdict.CRASH, [T("a"), T("b"), T("c")]), tmp)
    v = {r.test.name: r.verdict for r in runs}
    ok(v == {"a": Verdict.SUCCESS, "b": Verdict.CRASH, "c": Verdict.ERROR},
       "batch split: a crash belongs to the test it happened in; the rest "
       "were not reached", v)

taputil.finish()
