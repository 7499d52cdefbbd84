#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of the runner's served devices (run/vtdrunner/assigned.py): the
`servers` and `memory_backend` keys, the command line a served run gets,
the record of DMA_MAP/DMA_UNMAP held to the invariants with the known QEMU
behaviours explaining their breaks, and whole runs with the stand-in QEMU
(tests/run/fakeqemu) connecting to the real vfu-edu.  Prints TAP."""

import os
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import taputil  # noqa: E402
from taputil import FAKE, TOP, VTDRUN, ok  # noqa: E402
from vtdrunner import assigned, qemus, tables, tap  # noqa: E402

VFU_EDU = os.path.join(TOP, assigned.PROGRAMS["vfu-edu"])


def skip(name, why):
    taputil.number += 1
    print("ok %d - %s # SKIP %s" % (taputil.number, name, why))


SERVED = '{"driver":"vfio-user-pci","addr":"0x2","socket":{"type":"unix","path":"@edu1"}}'

CONFIG = """[defaults]
timeout = 10
tcg_args =

[default]
iommu = intel-iommu
devices = edu

[served]
iommu = intel-iommu,caching-mode=on
memory_backend = memory-backend-memfd,share=on
devices =
    edu
    %s
servers = edu1 vfu-edu --dma-delay-us=0
""" % SERVED


def table(text):
    fd, path = tempfile.mkstemp(suffix=".cfg")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    try:
        return tables.load_configs(path), None
    except tables.TableError as e:
        return None, str(e)
    finally:
        os.unlink(path)


# ----------------------------------------------------------- the table

configs, err = table(CONFIG)
ok(err is None, "a served configuration loads", err)
c = configs["served"]
ok([s.name for s in c.servers] == ["edu1"] and c.servers[0].options ==
   ["--dma-delay-us=0"], "servers: name, program, options")
ok(assigned.bdf_words(c) == "assigned=00:02.0", "the firmware's word: the slot "
   "the device gives", assigned.bdf_words(c))
cmd = tables.qemu_command(["qemu"], c, tables.Test("t", ["smoke"], ["served"]),
                          "tcg", "img", "/r/serial.log")
ok(cmd[cmd.index("-machine") + 1] == "q35,memory-backend=vtdprobe-ram" and
   "memory-backend-memfd,share=on,id=vtdprobe-ram,size=256M" in cmd,
   "memory_backend: the object, its size the machine's, named by -machine", cmd)

for name, text, why in (
        ("unknown program", CONFIG.replace("edu1 vfu-edu", "edu1 qemu-storage"),
         "unknown program 'qemu-storage'"),
        ("an option it does not take", CONFIG.replace("--dma-delay-us=0", "--fd=3"),
         "option '--fd=3'"),
        ("a server no device names", CONFIG.replace('"@edu1"', '"/tmp/x.sock"'),
         "server edu1: no device names its socket"),
        ("a device naming no server", CONFIG.replace('"@edu1"', '"@edu9"'),
         "names server edu9, which `servers` does not start"),
        ("no slot", CONFIG.replace('"addr":"0x2",', ''), "needs its slot"),
        ("behind a bridge", CONFIG.replace('"addr":"0x2"', '"addr":"0x2","bus":"rp1"'),
         "sits behind a bridge"),
        ("RAM not shared", CONFIG.replace("memory_backend = memory-backend-memfd,share=on\n", ""),
         "need the guest's RAM in shared memory"),
        ("memory_backend with a size", CONFIG.replace("share=on", "share=on,size=1G"),
         "without id or size")):
    configs, err = table(text)
    ok(err is not None and why in err, "refused: %s" % name, err)

configs, _ = table(CONFIG)
fake11 = qemus.Qemu(None, [FAKE], env=dict(os.environ, FAKEQEMU_VERSION="11.1.3")).probe()
iommu, devices = qemus.translate(fake11, configs["served"])
ok(devices == configs["served"].devices, "a JSON device is checked by its driver's "
   "name", devices)
s = assigned.Served(configs["served"], "/results/served", TOP, fake11)
ok('"path":"/results/served/edu1.sock"' in s.config.devices[1] and
   s.config.devices[0] == "edu", "the socket @edu1 is edu1.sock in the run's directory",
   s.config.devices)
ok(s.aw == 48 and assigned.address_width("intel-iommu,aw-bits=39", fake11) == 39,
   "the guest's width: aw-bits, else the QEMU's default", s.aw)
ok(s.command(s.servers[0])[1:] == ["--socket-path=/results/served/edu1.sock",
                                   "--record=/results/served/edu1.record",
                                   "--dma-delay-us=0"], "the server's command line",
   s.command(s.servers[0]))


# ------------------------------------------------------------ records

def rec(*lines):
    return "\n".join("seq=%d id=0x%04x %s" % (i + 1, i, ln)
                     for i, ln in enumerate(lines)) + "\n"


def checks(text, aw=39, version="11.1.3"):
    r = assigned.Record(text)
    out = {}
    for n, inv in enumerate(assigned.INVARIANTS, 1):
        lines = inv.lines(n, "edu1", r, aw, version)
        out[inv.key] = (tap.GuestTap("".join(lines)).checks[0], lines)
    return out


def MAP(iova, size, result="ok", note=None, offset=0, perm="rw"):
    return "MAP iova=0x%x size=0x%x offset=0x%x fd=1 perm=%s result=%s%s" % (
        iova, size, offset, perm, result, " note=" + note if note else "")


def UNMAP(iova, size, result="ok", removed=0, note=None):
    return "UNMAP iova=0x%x size=0x%x all=0 result=%s removed=%d bytes=0x0%s" % (
        iova, size, result, removed, " note=" + note if note else "")


clean = checks(rec(MAP(0x1000, 0x1000), UNMAP(0x1000, 0x1000, removed=1)))
ok(all(c.ok and c.directive is None for c, _ in clean.values()),
   "a clean record: every invariant a plain pass", clean)

split = checks(rec(MAP(0x40000000, 0x200000), UNMAP(0x40000000, 0x1000, "EINVAL", note="cuts"),
                   MAP(0x40000000, 0x1000, "EEXIST", note="overlap"),
                   MAP(0x40001000, 0x1000, "EEXIST", note="overlap")))
c, lines = split["map-refused"]
ok(not c.ok and c.directive == "TODO" and "vtd_page_walk_one" in c.explanation and
   "spec=6.1,6.5.2.3" in c.explanation, "refused MAPs inside a live large mapping: "
   "the split, an expected failure", lines)
c, lines = split["unmap-refused"]
ok(not c.ok and c.directive == "TODO", "the refused UNMAP of the split's small leaf "
   "too", lines)
c, lines = checks(rec(MAP(0x1000, 0x1000), MAP(0x1000, 0x1000, "EEXIST",
                                                note="identical")))["map-refused"]
ok(c.failed and "not all of them what a known QEMU behaviour sends" in "".join(lines),
   "a refused MAP no known behaviour sends: a plain failure", lines)

sweep = checks(rec(UNMAP(0x100000000, 0x100000000, note="nothing"),
                   UNMAP(0x100000000, 0x100000000, note="duplicate"),
                   UNMAP(0xfef00000, (1 << 64) - 0xfef00000, note="duplicate")))
for key in ("nothing", "duplicate", "width"):
    c, lines = sweep[key]
    ok(not c.ok and c.directive == "TODO" and "vtd_address_space_unmap" in c.explanation,
       "the sweep's UNMAPs: %s, an expected failure" % key, lines)
c, lines = checks(rec(UNMAP(0x3000, 0x3000, note="nothing")))["nothing"]
ok(c.failed, "an UNMAP of nothing that is no sweep chunk: a plain failure", lines)
c, lines = checks(rec(MAP(0x8000000000, 0x1000)))["width"]
ok(c.failed, "a MAP beyond the guest's width: a plain failure", lines)
c, _ = checks(rec(MAP(0x8000000000, 0x1000)), aw=None)["width"]
ok(c.directive == "SKIP", "the width unknown: that check SKIPs")

window = rec(MAP(0x1000, 0x1000), UNMAP(0x0, 0x80000000, removed=1, note="oversized"),
             MAP(0x1000, 0x1000))
c, lines = checks(window)["restored"]
ok(not c.ok and c.directive == "TODO" and "removed by seq=2" in "".join(lines),
   "a live mapping swept and mapped back unchanged: the window, an expected failure",
   lines)
gap = window.replace("seq=3 ", "seq=9 ")
c, _ = checks(gap)["restored"]
ok(c.ok, "... not when other messages came in between (the guest at work)")
c, _ = checks(rec(MAP(0x1000, 0x1000), UNMAP(0x1000, 0x1000, removed=1),
                  MAP(0x1000, 0x1000)))["restored"]
ok(c.ok, "... nor when the UNMAP named that mapping alone (the guest unmapped it)")
c, _ = checks(rec(MAP(0x1000, 0x1000), UNMAP(0x0, 0x80000000, removed=1),
                  MAP(0x1000, 0x1000, perm="r-")))["restored"]
ok(c.ok, "... nor when it comes back changed")
c, lines = checks(rec(MAP(0x1000, 0x1000)) + "garbage\n")["record"]
ok(c.failed, "a record line not understood fails the record's check", lines)


# ------------------------------------ QEMU's record against the model's

def DMA(iova, size, d="read", blocked=0):
    return "DMA iova=0x%x size=0x%x dir=%s result=%s blocked=0x%x" % (
        iova, size, d, "blocked" if blocked else "ok", blocked)


def compared(qtext, mtext, version="11.1.3"):
    return {c.desc.split(": ", 1)[1]: c for c in
            assigned.compare_records("edu1", qtext, mtext, 39, version)}


r = assigned.Record(rec(MAP(0x1000, 0x1000), DMA(0x1000, 16)))
ok(len(r.dmas) == 1 and not r.unreadable and 0x1000 in r.dmas[0][1],
   "a DMA line is read, with the mappings the device met")
same = compared(rec(MAP(0x1000, 0x1000, offset=0x5000), DMA(0x1000, 16)),
                rec(MAP(0x1000, 0x1000, offset=0x9000), DMA(0x1000, 16)))
ok(len(same) == assigned.COMPARE_CHECKS and all(c.ok for c in same.values()),
   "the same records but for the pages behind them: every check passes",
   [c.desc for c in same.values() if not c.ok])
sweep = compared(rec(MAP(0x1000, 0x1000), UNMAP(0x0, 0x80000000, removed=1),
                     MAP(0x1000, 0x1000), DMA(0x1000, 16),
                     UNMAP(0x100000, 0x100000, note="nothing")),
                 rec(MAP(0x1000, 0x1000), DMA(0x1000, 16)))
c = sweep["no DMA_UNMAP where nothing was mapped"]
ok(not c.ok and c.why is assigned.SWEEP and c.tap(1)[0].endswith(
   assigned.SWEEP.expectation), "QEMU's sweep: a TODO naming the behaviour",
   c.tap(1))
c = sweep["no mapping taken away and mapped back unchanged"]
ok(c.passed and not c.ok, "... and the mapping it put back", c.tap(1))
c = compared(rec(DMA(0x1000, 16)),
             rec(UNMAP(0x1000, 0x1000, note="nothing"), DMA(0x1000, 16))
             )["no DMA_UNMAP where nothing was mapped: the model breaks it"]
ok(not c.passed, "the model breaking an invariant fails, with no excuse")
c = compared(rec(MAP(0x1000, 0x1000), DMA(0x1000, 16)),
             rec(MAP(0x1000, 0x1000, perm="-w"), DMA(0x1000, 16, blocked=16))
             )["the same DMAs, each blocked alike"]
ok(c.why is assigned.WRITE_ONLY, "a read QEMU lets through a write-only "
   "leaf it mapped rw: the write-only behaviour", c.tap(1))
c = compared(rec(MAP(0x1000, 0x1000), DMA(0x1000, 16)),
             rec(DMA(0x1000, 16, blocked=16)))["the same DMAs, each blocked alike"]
ok(not c.passed, "a DMA blocked on one machine only, for no known reason: fails",
   c.tap(1))
c = compared(rec(MAP(0x1000, 0x1000), DMA(0x1000, 16)),
             rec(MAP(0x1000, 0x1000), DMA(0x1000, 16), DMA(0x1000, 16))
             )["the same DMAs, each blocked alike"]
ok(not c.passed, "a DMA only one machine made: fails")
ok(assigned.model_device('{"driver":"vfio-user-pci","addr":"0x2","socket":'
                         '{"type":"unix","path":"@edu1"}}') ==
   "edu,addr=0x2,dma_mask=0xffffffffffffffff,x-assigned=on,x-record=@edu1" and
   assigned.model_device("edu,dma_mask=0x1") == "edu,dma_mask=0x1",
   "a served edu becomes an assigned edu on its slot; other devices stay")
ok(assigned.model_devices_in(["edu,x-assigned=on,x-record=@edu1"], "/r") ==
   ["edu,x-assigned=on,x-record=/r/edu1.record"],
   "its record goes to the run's directory")


# -------------------------------------------------------- whole runs

TESTS = """[pass]
configs = served default
timeout = 10

[qemuerr]
configs = served
timeout = 10
"""


def vtdrun(args, version, results, cfg, tests):
    env = dict(os.environ, QEMU=FAKE, FAKEQEMU_VERSION=version)
    env.pop("ACCEL", None)
    start = time.monotonic()
    p = subprocess.run([VTDRUN, "--configs", cfg, "--tests", tests, "--results",
                        results, "--no-retrace", "-j", "2"] + args, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    return p.returncode, p.stdout, time.monotonic() - start


def read(*parts):
    try:
        with open(os.path.join(*parts)) as f:
            return f.read()
    except OSError:
        return ""


if not os.access(VFU_EDU, os.X_OK):
    for name in ("a served run", "a served run on a QEMU without vfio-user-pci",
                 "QEMU failing at start"):
        skip(name, "no %s (make builds it)" % VFU_EDU)
else:
    with tempfile.TemporaryDirectory() as tmp:
        cfg, tests = os.path.join(tmp, "configs.cfg"), os.path.join(tmp, "tests.cfg")
        with open(cfg, "w") as f:
            f.write(CONFIG)
        with open(tests, "w") as f:
            f.write(TESTS)
        res = os.path.join(tmp, "r")
        rc, out, _ = vtdrun(["pass"], "11.1.3", res, cfg, tests)
        d = os.path.join(res, "qemu-11.1.3", "pass@served")
        verdict = read(d, "verdict")
        host = read(d, "host.tap")
        ok(rc == 0 and verdict.startswith("SUCCESS") and "checks: 9 ok" in verdict,
           "a served run: the server started before QEMU, stopped after, its "
           "checks counted", out, verdict)
        ok(host.count("\nok ") == 7 and "# edu1: 0 messages" in host,
           "host.tap: the record's checks and the server's summary", host)
        ok(os.path.isfile(os.path.join(d, "edu1.record")) and
           "vfu-edu: serving edu on" in read(d, "edu1.log") and
           not os.path.exists(os.path.join(d, "edu1.sock")),
           "its log and record beside serial.log; its socket gone", os.listdir(d))
        line = read(d, "cmdline")
        ok(line.startswith(VFU_EDU + " --socket-path=" + os.path.join(d, "edu1.sock")) and
           "assigned=00:02.0" in line and os.path.join(d, "edu1.sock") in line and
           "assigned=" not in read(res, "qemu-11.1.3", "pass@default", "cmdline"),
           "cmdline: the server first, then QEMU with its socket in the run's "
           "directory and assigned= for the firmware; neither without a server",
           line)
        ok("vfio-user edu1" not in read(d, "serial.log") and
           tap.run_stream(d).count("vfio-user edu1:") == 7 and
           "vfio-user edu1: no DMA_MAP refused" in read(res, "qemu-11.1.3",
                                                          "results.tap"),
           "the checks follow the guest's own in the run's stream (serial.log "
           "stays the guest's) and in results.tap")

        rc, out, _ = vtdrun(["pass@served"], "7.2.22", res, cfg, tests)
        verdict = read(res, "qemu-7.2.22", "pass@served", "verdict")
        ok(rc == 0 and verdict.startswith("SKIP") and
           "QEMU 7.2.22 has no vfio-user-pci device" in verdict and
           not os.path.exists(os.path.join(res, "qemu-7.2.22", "pass@served",
                                           "edu1.log")),
           "a QEMU without vfio-user-pci: SKIP with the reason, no server", verdict)

        rc, out, took = vtdrun(["qemuerr"], "11.1.3", res, cfg, tests)
        verdict = read(res, "qemu-11.1.3", "qemuerr@served", "verdict")
        ok(rc == 1 and verdict.startswith("CRASH") and took < 8,
           "QEMU failing before it connects: CRASH, and its server stopped at "
           "once (%.1fs)" % took, out, verdict)

taputil.finish()
