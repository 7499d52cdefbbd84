#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Observation mode (observe=1) of the scenario engine, on the model
(vtdhost): each statement that would judge records one line

    # observe: SCENARIO line=N op=OP KEY=VALUE ...

with the keys tests/scenarios/README.md gives, no check is judged, and the
run ends SUCCESS with one `observed` point per scenario. The same script
without observe=1 passes every check: what is observed is what is judged.
Prints TAP."""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "tests", "run"))

from taputil import finish, ok  # noqa: E402

VTDHOST = os.path.join(TOP, "build", "host", "harness", "vtdhost")
SCRIPT = os.path.join(HERE, "observe.vtd")
LINE_RE = re.compile(r"^# observe: (?P<scn>\S+) line=(?P<line>\d+) "
                     r"op=(?P<op>\S+)(?P<rest>(?: \S+=\S+)*)$")


def run(*words):
    p = subprocess.run([VTDHOST, "--script", SCRIPT, "--scenario",
                        "obs-dma,obs-qi,obs-ir", "-append", " ".join(words)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120, check=False)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def run_sm(*words):
    p = subprocess.run([VTDHOST, "--iommu", "scalable-mode=on,fsts=on", "-device",
                        "edu,dma_mask=0xffffffffffffffff",
                        "--script", SCRIPT, "--scenario", "obs-sm",
                        "-append", " ".join(words)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120, check=False)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def observations(out):
    """{(scenario, line): (op, {key: value})}, and lines that look like an
    observation but do not parse."""
    seen, bad = {}, []
    for text in out.splitlines():
        if not text.startswith("# observe:"):
            continue
        m = LINE_RE.match(text)
        if not m:
            bad.append(text)
            continue
        fields = dict(w.split("=", 1) for w in m.group("rest").split())
        seen[(m.group("scn"), int(m.group("line")))] = (m.group("op"), fields)
    return seen, bad


def expect(seen, scn, line, op, **want):
    got = seen.get((scn, line))
    if not got:
        return ok(False, "%s line %d (%s) is observed" % (scn, line, op),
                  "no observation")
    diffs = ["%s=%s, expected %s" % (k.replace("_", "-"),
                                     got[1].get(k.replace("_", "-")), v)
             for k, v in want.items()
             if got[1].get(k.replace("_", "-")) != v]
    return ok(got[0] == op and not diffs, "%s line %d: %s %s" % (
        scn, line, op, " ".join("%s=%s" % (k.replace("_", "-"), v)
                                for k, v in want.items())),
        "op %s" % got[0], *diffs)


def main():
    if not ok(os.access(VTDHOST, os.X_OK), "vtdhost is built (%s)" % VTDHOST):
        finish()
    rc, out = run("observe=1")
    seen, bad = observations(out)
    ok(rc == 33 and "# vtdprobe result: SUCCESS" in out,
       "observe=1: the run is SUCCESS (exit %d)" % rc, out[-2000:])
    ok(not bad, "every observation line has the stable form", *bad)
    points = [t for t in out.splitlines() if re.match(r"^(not )?ok \d+ ", t)]
    ok(points == ["ok 1 - scenarios: obs-dma: observed 11 statements",
                  "ok 2 - scenarios: obs-qi: observed 4 statements",
                  "ok 3 - scenarios: obs-ir: observed 4 statements"],
       "no check is judged: one `observed` point per scenario", *points)
    ok("# TODO" not in out and "not ok" not in out,
       "no expected failure or failure in observation mode")

    sid = seen.get(("obs-dma", 14), ("", {}))[1].get("faults", "")
    expect(seen, "obs-dma", 13, "dma", iova="0x1000", dir="from-ram",
           fsts="0x00000000", faults="-")
    ok(re.match(r"^0x5:0x[0-9a-f]{4}:0x3000:w$", sid) is not None,
       "obs-dma line 14: a write fault at 0x3000 is recorded (%s)" % sid)
    expect(seen, "obs-dma", 14, "dma", iova="0x3000", dir="to-ram",
           fsts="0x00000002")
    expect(seen, "obs-dma", 15, "check", len="64", differ="0", first="-")
    expect(seen, "obs-dma", 16, "check", len="64", differ="0", first="-")
    expect(seen, "obs-dma", 18, "inv-iotlb", via="reg", requests="1",
           gran="page:1")
    expect(seen, "obs-dma", 19, "check-either", len="16", old_differ="0",
           new_differ="0", last_inv="performed")
    ver = seen.get(("obs-dma", 20), ("", {}))[1].get("value")
    expect(seen, "obs-dma", 20, "reg-read", off="0x0", width="4")
    expect(seen, "obs-dma", 21, "reg-read", off="0x0", width="4", value=ver)
    expect(seen, "obs-dma", 22, "reg-read", **{"from": "0x48", "to": "0x54",
                                               "width": "4", "reads": "4",
                                               "nonzero": "0", "values": "-"})
    expect(seen, "obs-dma", 23, "reg-write", **{"from": "0x3c", "to": "0x3c",
                                                "width": "4", "writes": "1",
                                                "value": "0x12"})
    expect(seen, "obs-dma", 24, "reg-read", off="0x3c", value="0x12")
    expect(seen, "obs-qi", 29, "qi-raw", result="iqe", at="0",
           fsts="0x00000010", iqercd="0x3")
    expect(seen, "obs-qi", 30, "qi-wait", result="ok", at="-", ics="0x0")
    expect(seen, "obs-qi", 31, "inv-iotlb", via="qi", descs="1",
           result="ok", at="-")
    expect(seen, "obs-qi", 32, "inv-iotlb", via="reg", result="refused",
           qies="1")
    expect(seen, "obs-ir", 52, "msi", irq="0xd1", fsts="0x00000000",
           faults="-")
    irf = seen.get(("obs-ir", 53), ("", {}))[1].get("faults", "")
    ok(re.match(r"^0x22:0x[0-9a-f]{4}:0x2000000000000:w$", irf) is not None,
       "obs-ir line 53: IRTE 2 not present, index 2 in FI 63:48 (%s)" % irf)
    expect(seen, "obs-ir", 53, "msi", irq="-", fsts="0x00000002")
    expect(seen, "obs-ir", 54, "inv-iec", result="ok", at="-")
    ok(int(seen.get(("obs-ir", 55), ("", {}))[1].get("gsts", "0"), 16)
       & (1 << 23) != 0, "obs-ir line 55: ir-cfi gsts shows CFIS")
    ok(len(seen) == 19, "19 statements observed (%d)" % len(seen),
       *sorted("%s:%d" % k for k in seen))

    # scalable mode (first stage): what its statements record
    rc, out = run_sm("observe=1")
    seen, bad = observations(out)
    ok(rc == 33 and not bad and "ok 1 - scenarios: obs-sm: observed 5 "
       "statements" in out, "obs-sm observed in scalable mode (exit %d)" % rc,
       out[-2000:])
    flt = seen.get(("obs-sm", 41), ("", {}))[1].get("faults", "")
    ok(re.match(r"^0x71:0x[0-9a-f]{4}:0x5000:r$", flt) is not None,
       "obs-sm line 41: a first-stage not-present fault (%s)" % flt)
    expect(seen, "obs-sm", 42, "inv-pc", via="qi", descs="1", result="ok",
           at="-")
    expect(seen, "obs-sm", 43, "inv-piotlb", via="qi", descs="1",
           result="ok", at="-")
    expect(seen, "obs-sm", 44, "inv-piotlb", via="qi", descs="1",
           result="ok", at="-")
    expect(seen, "obs-sm", 45, "inv-iotlb", via="reg", result="refused",
           qies="1")
    rc, out = run_sm()
    ok(rc == 33 and "not ok" not in out and "# observe:" not in out,
       "obs-sm judged: every check passes (exit %d)" % rc, out[-2000:])

    rc, out = run()
    ok(rc == 33 and "not ok" not in out and "# observe:" not in out,
       "without observe=1 the same script's checks all pass (exit %d)" % rc,
       out[-2000:])
    rc, out = run("observe=0")
    ok(rc == 33 and "# observe:" not in out, "observe=0 is judging as usual")
    finish()


main()
