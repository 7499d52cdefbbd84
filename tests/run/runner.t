#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of run/vtdrun against tests/run/fakeqemu, a stand-in QEMU that plays
one guest behaviour per guest test name, plus one pass of the configuration
table through the real QEMU when it is installed.  Prints TAP."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
VTDRUN = os.path.join(TOP, "run", "vtdrun")
FAKE = os.path.join(HERE, "fakeqemu")
FAKE_TESTS = os.path.join(HERE, "fake-tests.cfg")

# test@config -> (verdict, pattern the reason must match)
EXPECTED = {
    "pass@default": ("SUCCESS", None),
    "skip@default": ("SKIP", r"^edu present: no edu device"),
    "fail@default": ("FAILURE", r"not ok 2 - iotlb psi am=9"),
    "error@default": ("ERROR", r"RIP 0x101234"),
    "todo@default": ("SUCCESS", None),
    "triple@default": ("CRASH", r"status 0"),
    "disagree@default": ("CRASH", r"status 37 says FAILURE but serial says SUCCESS"),
    "noresult@default": ("CRASH", r"no result line"),
    "liar@default": ("CRASH", r"not ok"),
    "qemuerr@default": ("CRASH", r"status 1.*intel-iommu\.bogus"),
    "signal@default": ("CRASH", r"SIGABRT"),
    "hang@default": ("TIMEOUT", r"within 1s"),
    "garbage@default": ("SUCCESS", None),
    "pass-configs@default": ("SUCCESS", None),
    "pass-configs@ir": ("SUCCESS", None),
    "pass-configs@multi": ("SUCCESS", None),
    "pass-configs@noiommu": ("SUCCESS", None),
}

sys.path.insert(0, HERE)
from taputil import ok  # noqa: E402
import taputil  # noqa: E402


def vtdrun(args, qemu=FAKE, env=None):
    e = dict(os.environ)
    e.pop("ACCEL", None)
    e["QEMU"] = qemu
    e.update(env or {})
    start = time.monotonic()
    p = subprocess.run([VTDRUN] + args, env=e, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - start


# Where a run of the stand-in QEMU goes under --results: a QEMU named by
# its command is named after the version it reports.
FAKE_DIR = "qemu-7.2.22"


def verdict_file(results, run_id, qemu_dir=FAKE_DIR):
    with open(os.path.join(results, qemu_dir, run_id, "verdict")) as f:
        lines = f.read().splitlines()
    fields = dict(ln.split(": ", 1) for ln in lines[1:] if ": " in ln)
    return lines[0], fields


def alive(pid):
    """Whether pid still runs; a zombie waiting for its reaper does not."""
    for _ in range(20):
        try:
            with open("/proc/%d/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.1)
    return True


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def junit_consistent(path):
    """Parse junit.xml; check the counts every suite declares."""
    root = ET.parse(path).getroot()
    problems = []
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        counted = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        for k, v in counted.items():
            if int(suite.get(k, -1)) != v:
                problems.append("%s: %s=%s, counted %d" % (suite.get("name"), k, suite.get(k), v))
    return root, problems


def tap_check(path_or_text, is_text=False):
    """Unindented lines of a TAP stream: version, plan, points (numbered in
    order), YAML, diagnostics.  Returns (plan, points, problems)."""
    text = path_or_text if is_text else read(path_or_text)
    lines = text.splitlines()
    problems = []
    if not lines or lines[0] != "TAP version 13":
        problems.append("first line is not 'TAP version 13'")
    plan, points = None, []
    for ln in lines[1:]:
        m = re.match(r"^(not ok|ok) (\d+) - ", ln)
        if m:
            points.append((m.group(1) == "ok", ln))
            if int(m.group(2)) != len(points):
                problems.append("out of sequence: %s" % ln)
        elif re.match(r"^1\.\.(\d+)$", ln):
            plan = int(ln[3:])
        elif not (ln.startswith("#") or ln.startswith("  ") or ln == ""):
            problems.append("unexpected line: %r" % ln)
    if plan != len(points):
        problems.append("plan %s, %d points" % (plan, len(points)))
    return plan, points, problems


def prove_parses(path):
    """TAP::Parser's view of a TAP file: (parse errors, failed), or None
    without perl."""
    if not shutil.which("perl"):
        return None
    script = ('use TAP::Parser; my $p = TAP::Parser->new({source => $ARGV[0]});'
              'while (my $r = $p->next) {}'
              'print join("\\n", $p->parse_errors), "\\n";'
              'print "failed: ", scalar($p->failed), "\\n";')
    p = subprocess.run(["perl", "-e", script, path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if p.returncode != 0:
        return None
    return p.stdout


def main():
    tmp = tempfile.mkdtemp(prefix="vtdrun-test-")
    image = os.path.join(tmp, "vtdprobe.elf")
    open(image, "wb").close()
    base = ["--tests", FAKE_TESTS, "--image", image]
    print("TAP version 13")

    # -- listing and selection
    rc, out, err, _ = vtdrun(base + ["--list"])
    listed = out.split()
    ok(rc == 0 and sorted(listed) == sorted(EXPECTED), "--list prints every test@config",
       out, err)
    rc, out, _, _ = vtdrun(base + ["--list", "-f", "pass-configs@*i*"])
    ok(out.split() == ["pass-configs@ir", "pass-configs@multi", "pass-configs@noiommu"],
       "a glob filter", out)
    rc, out, _, _ = vtdrun(base + ["--list", "ss@def", "iple"])
    ok(out.split() == ["pass@default", "triple@default"],
       "substring filters (positional), any one matches", out)
    rc, out, _, _ = vtdrun(base + ["--list", "--group", "quick"])
    ok(out.split() == ["pass@default"], "--group", out)
    rc, out, _, _ = vtdrun(base + ["--list", "-c", "multi"])
    ok(out.split() == ["pass-configs@multi"], "-c keeps one configuration", out)
    rc, out, err, _ = vtdrun(base + ["--list", "-f", "nothing-matches"])
    ok(rc == 2 and "no run matches" in err, "an empty selection is an error", rc, err)

    # -- command lines
    rc, out, _, _ = vtdrun(base + ["--list", "-v", "-f", "pass-configs@ir"],
                           env={"ACCEL": "kvm"})
    ok("-machine q35,kernel-irqchip=split" in out and "-accel kvm" in out,
       "ACCEL=kvm adds kernel-irqchip=split where intremap is on", out)
    rc, out, _, _ = vtdrun(base + ["--list", "-v", "-f", "pass-configs@default"],
                           env={"ACCEL": "kvm"})
    ok("kernel-irqchip" not in out and "-machine q35 " in out,
       "... and nowhere else", out)
    rc, out, err, _ = vtdrun(base + ["--list"], env={"ACCEL": "hvf"})
    ok(rc == 2 and "ACCEL" in err, "an unknown ACCEL is an error", err)

    # -- one run of every play
    results = os.path.join(tmp, "results")
    rc, out, err, wall = vtdrun(base + ["--results", results, "-j", "4"])
    ok(rc == 0, "every fake run gets its expected verdict (exit 0)", out, err)
    for run_id, (want, reason_re) in sorted(EXPECTED.items()):
        try:
            got, fields = verdict_file(results, run_id)
        except OSError as e:
            ok(False, "%s: verdict file" % run_id, e)
            continue
        reason = fields.get("reason", "")
        good = got == want and (reason_re is None or re.search(reason_re, reason))
        ok(good, "%s: %s%s" % (run_id, want, " (%s)" % reason_re if reason_re else ""),
           "got %s: %s" % (got, reason))
        for name in ("serial.log", "qemu.out", "qemu.err", "cmdline"):
            if not os.path.isfile(os.path.join(results, FAKE_DIR, run_id, name)):
                ok(False, "%s: %s exists" % (run_id, name))

    got, fields = verdict_file(results, "todo@default")
    ok(fields.get("checks") == "1 ok, 0 not ok, 1 skip, 2 todo",
       "tallies count ok / not ok / SKIP / TODO lines", fields)
    got, fields = verdict_file(results, "hang@default")
    ok(float(fields.get("time", 99)) < 1 + 2.5, "TIMEOUT within its limit (1s)", fields)
    pid = int(read(os.path.join(results, FAKE_DIR, "hang@default", "fake-child.pid")))
    ok(not alive(pid), "a timeout kills QEMU's whole process group")
    qerr = read(os.path.join(results, FAKE_DIR, "qemuerr@default", "qemu.err"))
    ok("bogus" in qerr and read(os.path.join(results, FAKE_DIR, "qemuerr@default",
                                             "serial.log")) == "",
       "QEMU's stderr and the guest's serial stream are kept apart")

    cmd = read(os.path.join(results, FAKE_DIR, "pass@default", "cmdline"))
    serial = os.path.join(results, FAKE_DIR, "pass@default", "serial.log")
    for want in ("-machine q35 ", "-accel tcg", "-m 256M", "-nodefaults", "-no-reboot",
                 "-display none", "-monitor none", "-serial file:" + serial,
                 "-device isa-debug-exit,iobase=0xf4,iosize=4", "-device intel-iommu ",
                 "-device edu,dma_mask=0xffffffffffffffff",
                 "-kernel " + image, "-append 'test=pass qemu=7.2.22'"):
        if want not in cmd:
            ok(False, "cmdline has %r" % want, cmd)
            break
    else:
        ok(True, "cmdline: machine, memory, -nodefaults, -no-reboot, serial file, "
                 "debug exit, iommu, edu, kernel, append")
    cmd = read(os.path.join(results, FAKE_DIR, "pass-configs@multi", "cmdline"))
    ok(cmd.count("-device edu,") == 3 and "pcie-root-port,id=rp1" in cmd
       and "edu,bus=rp1" in cmd, "multi: two edu on bus 0, one behind a root port", cmd)
    cmd = read(os.path.join(results, FAKE_DIR, "pass-configs@noiommu", "cmdline"))
    ok("intel-iommu" not in cmd, "noiommu has no IOMMU", cmd)

    ok("Summary" in out and "Matrix" in out and
       re.search(r"^pass-configs(\s+SUCCESS 2/0/0/0/0){4}$", out, re.M),
       "summary table and test x configuration matrix", out)
    ok(re.search(r"^PASS\s+fail@default\s+FAILURE 1/1/0/0/0\s+[\d.]+s\s+expected: not ok 2", out, re.M),
       "a progress line per run: status, run, verdict, counts, time, reason", out)

    # -- result files
    plan, points, problems = tap_check(os.path.join(results, FAKE_DIR, "results.tap"))
    ok(not problems and plan == len(EXPECTED) and all(p[0] for p in points),
       "results.tap: TAP 13, a point per run, all ok", "\n".join(problems))
    parsed = prove_parses(os.path.join(results, FAKE_DIR, "results.tap"))
    if parsed is None:
        ok(True, "results.tap through TAP::Parser # SKIP perl's TAP::Parser unavailable")
    else:
        ok(parsed.strip() == "failed: 0", "results.tap through TAP::Parser: no parse "
           "errors, nothing failed", parsed)
    tap_text = read(os.path.join(results, FAKE_DIR, "results.tap"))
    ok("    not ok 2 - iotlb psi am=9" in tap_text, "results.tap carries the guest's "
       "TAP as an indented subtest", tap_text[:2000])
    try:
        root, problems = junit_consistent(os.path.join(results, FAKE_DIR, "junit.xml"))
        suites = {s.get("name"): s for s in root.iter("testsuite")}
        ok(not problems and len(suites) == len(EXPECTED),
           "junit.xml: well-formed, a testsuite per run, counts consistent",
           "\n".join(problems))
        todo = suites["todo@default"]
        cases = {c.get("name"): c for c in todo.findall("testcase")}
        xfail = cases.get("2 - fake: known bug")
        ok(xfail is not None and xfail.find("skipped") is not None
           and "expected failure" in xfail.find("skipped").get("message"),
           "junit: a TODO failure is a skipped (expected) failure")
        ok(cases.get("3 - fake: needs sm").find("skipped").get("message")
           == "scalable mode off", "junit: a SKIP check is skipped with its reason")
        ok(cases.get("verdict") is not None and len(cases["verdict"]) == 1,
           "junit: a passing verdict testcase carries only the serial log")
        garbage = suites["garbage@default"]
        ok("\ufffd" in ET.tostring(garbage, encoding="unicode"),
           "junit: invalid UTF-8 and control characters survive as text")
    except (ET.ParseError, KeyError, AttributeError, TypeError) as e:
        ok(False, "junit.xml parses", e)

    # -- runs without `expect`: the exit status and failure mapping
    adhoc = os.path.join(tmp, "adhoc")
    rc, out, err, _ = vtdrun(["--image", image, "--results", adhoc, "--guest", "fail"])
    root, problems = junit_consistent(os.path.join(adhoc, FAKE_DIR, "junit.xml"))
    ok(rc == 1 and root.get("failures") == "2" and root.get("errors") == "0",
       "FAILURE: exit 1; junit failures for the check and the verdict",
       rc, out, ET.tostring(root, encoding="unicode")[:1500])
    rc, out, err, _ = vtdrun(["--image", image, "--results", adhoc, "--guest", "triple"])
    root, problems = junit_consistent(os.path.join(adhoc, FAKE_DIR, "junit.xml"))
    ok(rc == 1 and root.get("errors") == "1", "CRASH: exit 1; junit error", rc, out)
    rc, out, err, _ = vtdrun(["--image", image, "--results", adhoc, "--guest", "skip"])
    ok(rc == 0, "SKIP alone: exit 0", rc, out)
    rc, out, err, _ = vtdrun(["--image", image, "--results", adhoc, "--guest", "pass",
                              "-c", "default", "-c", "aw48", "--tap"])
    plan, points, problems = tap_check(out, is_text=True)
    ok(rc == 0 and plan == 2 and not problems and all(p[0] for p in points),
       "--tap: TAP on stdout, a point per run", out, "\n".join(problems))
    rc, out, err, _ = vtdrun(["--image", image, "--results", adhoc, "--guest", "skip",
                              "--tap"])
    ok(re.search(r"^ok 1 - skip@default: SKIP # SKIP .*no edu device", out, re.M),
       "--tap: a SKIP run is a TAP skip with its reason", out)
    rc, out, err, _ = vtdrun(["--image", image, "--results", adhoc, "--guest", "error",
                              "--tap"])
    ok(rc == 1 and re.search(r"^not ok 1 - error@default: ERROR$", out, re.M)
       and re.search(r"^# .*RIP 0x101234", out, re.M),
       "--tap: an ERROR run is not ok, with its reason", out)
    rc, out, err, wall = vtdrun(["--image", image, "--results", adhoc, "--guest", "hang",
                                 "--timeout-scale", "0.02"])
    got, _ = verdict_file(adhoc, "hang@default")
    ok(got == "TIMEOUT" and wall < 5, "--timeout-scale shortens the 30s default", got, wall)

    # -- the environment broke
    rc, out, err, _ = vtdrun(["--image", image, "--results", adhoc, "--guest", "pass"],
                             qemu=os.path.join(tmp, "no-such-qemu"))
    # It cannot say its version either: its results go to qemu-unknown.
    got, fields = verdict_file(adhoc, "pass@default", "qemu-unknown")
    ok(rc == 1 and got == "ERROR" and "cannot start QEMU" in fields.get("reason", ""),
       "QEMU missing: ERROR", rc, got, fields)
    rc, out, err, _ = vtdrun(["--image", os.path.join(tmp, "none.elf"), "--results", adhoc,
                              "--guest", "error"])
    got, fields = verdict_file(adhoc, "error@default")
    ok(rc == 1 and got == "ERROR" and "no firmware image" in fields.get("reason", ""),
       "image missing: ERROR", rc, got, fields)
    rc, out, err, _ = vtdrun(["--tests", FAKE_TESTS, "--image", os.path.join(tmp, "x.elf"),
                              "--results", adhoc, "-f", "error@"])
    ok(rc == 1, "an environment ERROR never passes for a self-test's expected ERROR",
       rc, out)

    # -- scripts become multiboot modules
    a, b = os.path.join(tmp, "a.vts"), os.path.join(tmp, "b.vts")
    for p in (a, b):
        open(p, "w").close()
    rc, out, err, _ = vtdrun(["--image", image, "--list", "-v", "--guest", "pass",
                              "--script", a, "--script", b])
    ok("-initrd %s,%s" % (a, b) in out, "--script PATH: -initrd a,b", out)
    rc, out, err, _ = vtdrun(["--image", image, "--list", "--guest", "pass",
                              "--script", os.path.join(tmp, "missing.vts")])
    ok(rc == 2 and "no such file" in err, "--script of a missing file is an error", err)

    # -- tables that cannot be used as written
    bad = os.path.join(tmp, "bad.cfg")
    for text, what, msg in (
            ("[x]\nguest = pass\nconfigz = default\n", "an unknown key", "unknown key"),
            ("[x]\nconfigs = nosuch\n", "an unknown configuration", "unknown configuration"),
            ("[x]\nexpect = GREAT\n", "an unknown verdict", "unknown verdict"),
            ("[x]\ntimeout = soon\n", "a timeout that is not a number", "timeout"),
            ("[x]\n[x]\n", "a duplicate section", "already exists"),
            ("[a@b]\n", "a name with @", "test name")):
        with open(bad, "w") as f:
            f.write(text)
        rc, out, err, _ = vtdrun(["--tests", bad, "--list"])
        ok(rc == 2 and msg in err, "tests table: %s is an error" % what, rc, err)
    with open(bad, "w") as f:
        f.write("[default]\niommu = intel-iommu\ndevice = edu\n")
    rc, out, err, _ = vtdrun(["--configs", bad, "--list", "--guest", "pass"])
    ok(rc == 2 and "unknown key 'device'" in err, "configs table: an unknown key is an "
       "error", rc, err)

    # -- boot = efi: OVMF from pflash, the image and command line on an ESP
    efi_image = os.path.join(tmp, "fake.efi")
    with open(efi_image, "wb") as f:
        f.write(b"MZ fake")
    code, vars_ = os.path.join(tmp, "code.fd"), os.path.join(tmp, "vars.fd")
    for path, data in ((code, b"code"), (vars_, b"vars template")):
        with open(path, "wb") as f:
            f.write(data)
    ovmf = {"OVMF_CODE": code, "OVMF_VARS": vars_}
    efi_cfg = os.path.join(tmp, "efi.cfg")
    with open(efi_cfg, "w") as f:
        f.write("[defaults]\ntimeout = 5\n[default]\niommu = intel-iommu\n"
                "devices = edu\n[efi]\nboot = efi\nsame_as = default\n")
    efi_res = os.path.join(tmp, "efi")
    rc, out, err, _ = vtdrun(["--configs", efi_cfg, "--efi-image", efi_image,
                              "--results", efi_res, "--guest", "pass", "-c", "efi",
                              "--script", a, "--append", "inv=qi"], env=ovmf)
    got, fields = verdict_file(efi_res, "pass@efi")
    run_dir = os.path.join(efi_res, FAKE_DIR, "pass@efi")
    esp = os.path.join(run_dir, "esp")
    with open(os.path.join(run_dir, "cmdline")) as f:
        cmdline = f.read()
    try:
        with open(os.path.join(esp, "vtdprobe", "cmdline.txt")) as f:
            words = f.read()
        with open(os.path.join(esp, "EFI", "BOOT", "BOOTX64.EFI"), "rb") as f:
            booted = f.read()
        with open(os.path.join(run_dir, "ovmf-vars.fd"), "rb") as f:
            vars_copy = f.read()
    except OSError as e:
        words = booted = vars_copy = str(e)
    ok(rc == 0 and got == "SUCCESS", "boot = efi: a run through the ESP", rc, got, fields,
       err)
    ok(words == "test=pass inv=qi qemu=7.2.22\n" and booted == b"MZ fake" and
       os.path.isfile(os.path.join(esp, "vtdprobe", "scenarios", "a.vts")),
       "boot = efi: image as EFI/BOOT/BOOTX64.EFI, command line and scripts on the ESP",
       repr(words), booted)
    ok(vars_copy == b"vars template" and
       "readonly=on,file=%s" % code in cmdline and "-kernel" not in cmdline and
       "-device intel-iommu -device edu" in cmdline,
       "boot = efi: a writable copy of the variables, the code read-only, the "
       "same_as machine", cmdline)
    rc, out, err, _ = vtdrun(["--configs", efi_cfg, "--efi-image", efi_image,
                              "--results", efi_res, "--guest", "pass", "-c", "efi"],
                             env={"OVMF_CODE": os.path.join(tmp, "no.fd"),
                                  "OVMF_VARS": vars_})
    got, fields = verdict_file(efi_res, "pass@efi")
    ok(rc == 1 and got == "ERROR" and "no OVMF firmware" in fields.get("reason", ""),
       "boot = efi without OVMF: ERROR", rc, got, fields)
    rc, out, err, _ = vtdrun(["--configs", efi_cfg, "--efi-image",
                              os.path.join(tmp, "none.efi"), "--results", efi_res,
                              "--guest", "pass", "-c", "efi"], env=ovmf)
    got, fields = verdict_file(efi_res, "pass@efi")
    ok(rc == 1 and got == "ERROR" and "no firmware image" in fields.get("reason", ""),
       "boot = efi without the UEFI image: ERROR", rc, got, fields)
    for text, what, msg in (
            ("[a]\n[b]\nboot = uefi\n", "an unknown boot", "boot = uefi"),
            ("[a]\n[b]\nsame_as = c\n", "same_as an unknown configuration",
             "no such configuration"),
            ("[a]\n[b]\nsame_as = a\niommu = intel-iommu\n",
             "same_as with a machine of its own", "the machine is [a]'s"),
            ("[a]\n[b]\nsame_as = a\n[c]\nsame_as = b\n", "a chain of same_as",
             "itself the same as")):
        with open(bad, "w") as f:
            f.write(text)
        rc, out, err, _ = vtdrun(["--configs", bad, "--list", "--guest", "pass"])
        ok(rc == 2 and msg in err, "configs table: %s is an error" % what, rc, err)

    # -- the real QEMU accepts every configuration
    real = os.environ.get("QEMU") or "qemu-system-x86_64"
    if shutil.which(real.split()[0]):
        cc = os.path.join(tmp, "configcheck")
        rc, out, err, _ = vtdrun(["--check-configs", "--results", cc], qemu=real)
        ok(rc == 0, "every configuration boots under %s (--check-configs)" % real, out, err)
    else:
        ok(True, "every configuration boots under QEMU # SKIP %s not found" % real)

    print("1..%d" % taputil.number)
    if taputil.failures:
        print("# results kept in %s" % tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if taputil.failures else 0


if __name__ == "__main__":
    sys.exit(main())
