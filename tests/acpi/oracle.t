#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The DMAR oracle in make check: over QEMU's own DMARs (hexdump logs in
tests/acpi/qemu/), the QEMU-like test tables and the multi-unit one, our
parser and `iasl -d` must agree on every unit, flag and scope; the
QEMU-like tables must be QEMU's bytes; and the oracle itself must notice a
disagreement, read a hexdump log, and skip what this iasl cannot
decode."""

import importlib.machinery
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

top = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
oracle = os.path.join(top, "tests", "acpi", "dmar-oracle")
canon = os.path.join(top, "build", "host", "tests", "acpi", "dmar_canon")
tables = os.path.join(top, "build", "acpi", "tables")
n = 0
bad = 0


def ok(cond, name, diag=""):
    global n, bad
    n += 1
    bad += not cond
    print(f"{'ok' if cond else 'not ok'} {n} - {name}")
    if not cond and diag:
        for line in diag.splitlines()[-20:]:
            print(f"#   {line}")


def run(files, tool=canon):
    p = subprocess.run([sys.executable, oracle, "--canon", tool] + files,
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout + p.stderr


if not shutil.which("iasl"):
    print("1..0 # SKIP iasl (acpica-tools) is not installed")
    sys.exit(0)

# 1. Agreement over the tables, relayed line by line.
names = ["qemu-default", "qemu-iotlb", "qemu-rootport", "multi-unit",
         "deep-path"]
missing = [f for f in [canon] + [os.path.join(tables, t + ".aml")
                                 for t in names + ["satc-base"]]
           if not os.path.exists(f)]
if missing:
    ok(False, "built: the parser tool and the tables (make all)",
       "missing: " + " ".join(missing))
    print(f"1..{n}")
    sys.exit(1)
dumps = os.path.join(top, "tests", "acpi", "qemu")
logs = sorted(os.path.join(dumps, f) for f in os.listdir(dumps)
              if f.endswith(".log"))
rc, out = run(logs + [os.path.join(tables, f + ".aml") for f in names])
for line in out.splitlines():
    m = re.match(r"^(ok|not ok) \d+ - (.*)$", line)
    if m:
        ok(m.group(1) == "ok", "agree: " + m.group(2))
    elif line.startswith("#"):
        print(line)
ok(rc == 0, "agree: the oracle's verdict over all tables", out)

# 2. The hand-written QEMU-like tables are what QEMU builds, apart from
#    the creator id/revision iasl writes and the checksum.
spec = importlib.util.spec_from_loader(
    "dmar_oracle", importlib.machinery.SourceFileLoader("dmar_oracle", oracle))
dmar_oracle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dmar_oracle)
for log in logs:
    cfg = os.path.basename(log)[:-4]
    try:
        real = dmar_oracle.load(log, "dmar-raw")
        with open(os.path.join(tables, f"qemu-{cfg}.aml"), "rb") as f:
            ours = f.read()
    except (OSError, ValueError) as e:
        ok(False, f"qemu-{cfg}.aslt is QEMU's DMAR for that configuration",
           str(e))
        continue
    diffs = [i for i in range(max(len(real), len(ours)))
             if i not in (9,) and not 28 <= i < 36 and
             (i >= len(real) or i >= len(ours) or real[i] != ours[i])]
    ok(not diffs, f"qemu-{cfg}.aslt is QEMU's DMAR for that configuration",
       "differs at " + ", ".join(hex(i) for i in diffs[:16]))

with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tables, "qemu-default.aml"), "rb") as f:
        raw = f.read()

    # 3. A parser that reports the wrong DRHD base must be caught.
    liar = os.path.join(tmp, "liar")
    with open(liar, "w") as f:
        f.write(f"#!/bin/sh\n{canon} \"$@\" | "
                "sed 's/base=0xfed90000/base=0xfed91000/'\n")
    os.chmod(liar, 0o755)
    rc, out = run([os.path.join(tables, "qemu-default.aml")], liar)
    ok(rc == 1 and re.search(r"not ok .*DRHD", out) and "base" in out,
       "self-test: a wrong DRHD base is a disagreement", out)

    # 4. A serial log with the table as acpi_hexdump lines among others.
    log = os.path.join(tmp, "serial.log")
    with open(log, "w") as f:
        f.write("boot: vtdprobe\nDMAR: rev 1 ...\n")
        for off in range(0, len(raw), 16):
            chunk = " ".join(f"{b:02x}" for b in raw[off:off + 16])
            f.write(f"dmar-raw 0x{off:04x}: {chunk}\n")
        f.write("ok 1 - something else\n")
    rc, out = run([log])
    ok(rc == 0 and "not ok" not in out,
       "self-test: a DMAR read back from a hexdump log agrees", out)

    # 5. A type this iasl does not decode (SATC, 5) stops its disassembly;
    #    the oracle compares type and length there and skips the rest.
    with open(os.path.join(tables, "satc-base.aml"), "rb") as f:
        satc = bytearray(f.read())
    satc[72] = 5
    satc[9] = 0
    satc[9] = (0x100 - sum(satc) % 256) % 256
    path = os.path.join(tmp, "satc.bin")
    with open(path, "wb") as f:
        f.write(satc)
    rc, out = run([path])
    ok(rc == 0 and "not ok" not in out and
       re.search(r"\+0x48 SATC: type and length", out) is not None,
       "self-test: a SATC is compared as far as iasl decodes it", out)

print(f"1..{n}")
sys.exit(1 if bad else 0)
