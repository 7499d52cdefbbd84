#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The smoke of run/fuzz-qemu: generated scripts parse and run on the
model (both cache policies), the signatures the comparison gives, the
divergence file loads; then one fixed-seed round on the system's QEMU
(7.2) with no finding that run/fuzz-divergences.cfg does not know.
Prints TAP."""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "run"))
sys.path.insert(0, HERE)

from vtdrunner import fuzzgen, fuzzq  # noqa: E402
from taputil import finish, ok  # noqa: E402

FUZZ = os.path.join(TOP, "run", "fuzz-qemu")
SEED = 4242

# ------------------------------------------------------------ generator
a = fuzzgen.generate(7)
b = fuzzgen.generate(7)
ok(a == b, "the same seed draws the same script")
ok(fuzzgen.generate(8) != a, "another seed another script")
packed = fuzzgen.pack([fuzzgen.generate(s) for s in range(300)])
ok(all(t.count("\n  ") <= 1000 and len(st) <= 48 for st, t in packed),
   "packed files keep the engine's limits (1024 statements, 48 scenarios)")

# ------------------------------------------------------------ comparison
none, maxi, q = fuzzq.Outcome(), fuzzq.Outcome(), fuzzq.Outcome()
none.obs = {3: ("dma", {"fsts": "0x2", "faults": "0x5:0x8:0x0:w"}),
            4: ("inv-cc", {"via": "reg", "gran": "domain:1"}),
            5: ("reg-read", {"off": "0x38", "value": "0x0"})}
maxi.obs = dict(none.obs)
maxi.obs[5] = ("reg-read", {"off": "0x38", "value": "0x1"})
q.obs = {3: none.obs[3], 4: ("inv-cc", {"via": "reg", "gran": "global:1"}),
         5: ("reg-read", {"off": "0x38", "value": "0x7"})}
ok(fuzzq.compare("s", none, maxi, q) == [],
   "a coarser granularity and an observation the policies differ on are "
   "no finding")
q.obs[3] = ("dma", {"fsts": "0x0", "faults": "-"})
q.obs[4] = ("inv-cc", {"via": "reg", "gran": "device:1"})
got = fuzzq.compare("s", none, maxi, q)
ok([f.signature for f in got] == ["dma.faults-fsts"],
   "the first fixed observation QEMU differs on is the finding, signed by "
   "op and keys", [f.signature for f in got])
c, cq = fuzzq.Outcome(), fuzzq.Outcome()
c.obs = {1: ("dma", {"fsts": "0x00000003", "faults": "0x6:0x0008:0x0:r"}),
         2: ("qi-raw", {"result": "iqe", "at": "0", "iqercd": "0x3"})}
cq.obs = {1: ("dma", {"fsts": "0x00000002", "faults": "0x6:0x0008:0x0:r"}),
          2: ("qi-raw", {"result": "iqe", "at": "0", "iqercd": "0x0"})}
ok(fuzzq.compare("s", c, c, cq) == [],
   "faults compressed where the model overflows (PFO), and an IQERCD that "
   "reads 0, are no finding")
cq.obs[1] = ("dma", {"fsts": "0x00000001", "faults": "-"})
ok([f.signature for f in fuzzq.compare("s", c, c, cq)] == ["dma.faults-fsts"],
   "PFO without the record is a finding")
known = fuzzq.load_known()
ok(known and fuzzq.known_entry(known, "qi-raw.iqercd", "7.2.22"),
   "run/fuzz-divergences.cfg loads and knows qi-raw.iqercd on 7.2")
ok(fuzzq.known_entry(known, "reg-read@0x228.value", "7.2.22") is None,
   "a signature no entry names is not known")
with tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False) as t:
    t.write("[x]\ncheck = op.*\nqemu = qemu>=8.0,<11.1\nwrong = qemu\n"
            "why = w\nspec = 6.5.2\n")
bounded = fuzzq.load_known(t.name)
os.unlink(t.name)
ok([bool(fuzzq.known_entry(bounded, "op.x", v))
    for v in ("7.2.22", "10.0.2", "11.1.3")] == [False, True, False],
   "a version bound holds only inside its range")

# ------------------------------------------------- the model, then QEMU
out = tempfile.mkdtemp(prefix="fuzz-qemu-t-")
try:
    p = subprocess.run([FUZZ, "--model-only", "--seed", str(SEED),
                        "--count", "300", "--rounds", "1", "--out", out],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=300, check=False)
    text = p.stdout.decode("utf-8", "replace")
    ok(p.returncode == 0 and "300 scripts" in text,
       "300 generated scripts parse and run on the model (ASan build)", text)

    p = subprocess.run([FUZZ, "--model-only", "--seed", str(SEED),
                        "--flavour", "all", "--count", "60", "--rounds", "5",
                        "--out", out],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=300, check=False)
    text = p.stdout.decode("utf-8", "replace")
    ok(p.returncode == 0 and "300 scripts" in text and
       "flavours default,sm,sm-fs,ir,ir-eim" in text,
       "every flavour's generated scripts run on its model machine", text)

    if shutil.which("qemu-system-x86_64") is None:
        ok(True, "fixed-seed round on QEMU # SKIP no system QEMU")
    else:
        p = subprocess.run([FUZZ, "--qemu", "system", "--seed", str(SEED),
                            "--count", "200", "--rounds", "1", "--no-shrink",
                            "--out", out],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=300, check=False)
        text = p.stdout.decode("utf-8", "replace")
        ok(p.returncode == 0,
           "seed %d, 200 scripts on the system's QEMU: no finding "
           "run/fuzz-divergences.cfg does not know" % SEED, text)
        fdir = os.path.join(out, "findings", "default")
        dirs = sorted(os.listdir(fdir)) if os.path.isdir(fdir) else []
        ok(dirs and all(sorted(os.listdir(os.path.join(fdir, d))) ==
                        ["cmdline.sh", "outcome.txt", "qemu.txt", "script.vtd"]
                        for d in dirs),
           "each finding directory holds the script, the QEMU, its command "
           "line and the outcomes", dirs)
finally:
    shutil.rmtree(out, ignore_errors=True)
finish()
