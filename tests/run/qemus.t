#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of the runner's knowledge of QEMU versions, without a real QEMU
and without the network: the property probe and each configuration in a
QEMU's words, the stand-in QEMU of several versions through vtdrun,
version-bounded expectations read back from TAP, the comparison of two
result directories, and the set-up step's decisions.  Prints TAP."""

import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import taputil  # noqa: E402
from taputil import FAKE, FAKE_TESTS, TOP, VTDRUN, ok  # noqa: E402
from vtdrunner import crossver, qemus, qemusetup, tables, tap  # noqa: E402


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def fake(version):
    """A Qemu whose command is the stand-in, answering as version."""
    env = dict(os.environ, FAKEQEMU_VERSION=version)
    return qemus.Qemu(None, [FAKE], env=env).probe()


# ------------------------------------------------ probe and translation

q72, q100, q111 = fake("7.2.22"), fake("10.0.2"), fake("11.1.3")
ok(q72.version == "7.2.22" and q100.version == "10.0.2" and q111.version == "11.1.3",
   "the version a QEMU reports", q72.version, q100.version, q111.version)
ok(q72.props.get("aw-bits") == "39" and q111.props.get("aw-bits") == "48" and
   "x-scalable-mode" in q72.props and "scalable-mode" in q111.props and
   "pt" not in q111.props, "intel-iommu's properties and defaults", q111.props)
ok(q111.has_device("vfio-user-pci") and not q72.has_device("vfio-user-pci") and
   q72.has_device("edu"), "which devices a QEMU has")
ok(qemus.result_name(q111) == "qemu-11.1.3", "a command is named after its version")

t = qemus.translate_iommu
ok(t(q72, "intel-iommu,scalable-mode=on") == "intel-iommu,x-scalable-mode=on",
   "7.2: scalable-mode is x-scalable-mode")
ok(t(q100, "intel-iommu,scalable-mode=on,fsts=on") ==
   "intel-iommu,x-scalable-mode=on,x-flts=on,aw-bits=39",
   "10.0: x-scalable-mode, x-flts, and aw-bits pinned to the table's 39",
   t(q100, "intel-iommu,scalable-mode=on,fsts=on"))
ok(t(q111, "intel-iommu,scalable-mode=on,fsts=on,aw-bits=48") ==
   "intel-iommu,scalable-mode=on,fsts=on,aw-bits=48",
   "11.1: the table's words as they are; an aw-bits given stays")
ok(t(q72, "intel-iommu") == "intel-iommu", "7.2: its default aw-bits is the table's")
ok(t(q72, "intel-iommu,scalable-mode=on,pasid-bits=20") ==
   "intel-iommu,x-scalable-mode=on,x-pasid-mode=on", "7.2: pasid-bits=20 is x-pasid-mode=on")
for q, cfg, why in ((q111, "intel-iommu,pt=off", "QEMU 11.1.3 has no pt property"),
                    (q72, "intel-iommu,fsts=on", "QEMU 7.2.22 has no fsts property"),
                    (q72, "intel-iommu,pasid-bits=8", "has no pasid-bits=8")):
    try:
        t(q, cfg)
        ok(False, "%s cannot be expressed on %s" % (cfg, q.version))
    except qemus.Unsupported as e:
        ok(why in str(e), "%s on %s: %s" % (cfg, q.version, e), e)
c = tables.Config("x", iommu="intel-iommu", devices=["vfio-user-pci,socket=x"])
try:
    qemus.translate(q72, c)
    ok(False, "a device the QEMU lacks cannot be expressed")
except qemus.Unsupported as e:
    ok("QEMU 7.2.22 has no vfio-user-pci device" in str(e), "a device the QEMU lacks: %s" % e)
configs = tables.load_configs(os.path.join(TOP, "run", "configs.cfg"))
for q in (q72, q100, q111):
    expressed = []
    for name, cfg in configs.items():
        try:
            qemus.translate(q, cfg)
            expressed.append(name)
        except qemus.Unsupported:
            pass
    # 11.1 has no pt property; before 11, no vfio-user-pci device; 7.2
    # no first-stage translation (x-flts came in 9.2, fsts in 11).
    want = set(configs) - ({"ptoff"} if q is q111 else
                           {n for n, c in configs.items() if c.servers})
    if q is q72:
        want -= {"sm-fs"}
    ok(set(expressed) == want, "QEMU %s expresses %d of the table's %d configurations"
       % (q.version, len(expressed), len(configs)), sorted(set(configs) - set(expressed)))


# ------------------------------------------------- vtdrun, fake versions

def vtdrun(args, version="7.2.22", env=None):
    e = dict(os.environ)
    e.pop("ACCEL", None)
    e.update(QEMU=FAKE, FAKEQEMU_VERSION=version)
    e.update(env or {})
    p = subprocess.run([VTDRUN] + args, env=e, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    return p.returncode, p.stdout, p.stderr


tmp = tempfile.mkdtemp(prefix="vtdrun-qemus-")
image = os.path.join(tmp, "vtdprobe.elf")
write(image, "not really an ELF; the stand-in does not read it\n")
res = os.path.join(tmp, "res")
rc, out, err = vtdrun(["--image", image, "--results", res, "--guest", "pass",
                       "-c", "sm", "-c", "ptoff", "-c", "default"], version="11.1.3")
d = os.path.join(res, "qemu-11.1.3")
ok(rc == 0 and os.path.isdir(d), "results go under the QEMU's name", rc, out, err)
cmd = read(os.path.join(d, "pass@sm", "cmdline"))
ok("intel-iommu,scalable-mode=on,aw-bits=39" in cmd and "qemu=11.1.3" in cmd,
   "11.1: the configuration in its words, the version on the command line", cmd)
v = read(os.path.join(d, "pass@ptoff", "verdict"))
ok(v.startswith("SKIP") and "QEMU 11.1.3 has no pt property" in v,
   "a configuration QEMU cannot express is a SKIP with the reason", v)
ok(read(os.path.join(d, "qemu.txt")).startswith("qemu-11.1.3 11.1.3 "),
   "qemu.txt names the QEMU of the results")
ok("QEMU 11.1.3: qemu-11.1.3" in out, "the summary says which QEMU ran", out)
rc, out, err = vtdrun(["--image", image, "--results", res, "--guest", "pass",
                       "-c", "sm"], version="7.2.22")
cmd = read(os.path.join(res, "qemu-7.2.22", "pass@sm", "cmdline"))
ok("intel-iommu,x-scalable-mode=on " in cmd and os.path.isdir(d),
   "7.2: x-scalable-mode; the 11.1 results are still there", cmd)
rc, out, err = vtdrun(["--image", image, "--results", res, "--guest", "pass",
                       "-c", "default"], version="10.0.2",
                      env={"FAKEQEMU_LATE_EXIT": "0.5"})
ok(rc == 0 and "SUCCESS" in out, "a QEMU that exits late after the result line: "
   "still SUCCESS", out, err)
rc, out, err = vtdrun(["--list-qemus"], env={"VTDPROBE_QEMU_HOME": os.path.join(tmp, "none")})
ok(rc == 0 and "not installed" in out and "10.0" in out and "11.1" in out,
   "--list-qemus says which private QEMUs are missing", out)
rc, out, err = vtdrun(["--qemu", "12.7", "--guest", "pass"],
                      env={"VTDPROBE_QEMU_HOME": os.path.join(tmp, "none")})
ok(rc == 2 and "no known QEMU has that version" in err, "--qemu VERSION that is "
   "not there is a usage error", err)


# ------------------------------------------------- scale-out: shards, merge

base = ["--tests", FAKE_TESTS, "--image", image, "-g", "fake"]
rc, out_all, err = vtdrun(base + ["--list"])
everything = set(out_all.split())
shares = []
for i in (1, 2, 3):
    rc, out, err = vtdrun(base + ["--list", "--shard", "%d/3" % i])
    shares.append(set(out.split()))
ok(everything and set.union(*shares) == everything and
   sum(len(s) for s in shares) == len(everything) and
   all(len(s) >= len(everything) // 3 - 2 for s in shares),
   "--shard I/3: three disjoint shares of about the same size cover every run",
   [sorted(s) for s in shares])
rc, out2, err = vtdrun(base + ["--list", "--shard", "2/3"])
ok(set(out2.split()) == shares[1], "--shard is deterministic")
rc, out, err = vtdrun(["--compare", "--list", "--image", image, "-f", "smoke@cm"])
ok(rc == 0 and out.split() == ["smoke@cm", "model:smoke@cm"],
   "--compare --list: the QEMU run and the model's mirror it is compared with",
   rc, out, err)
rc, out, err = vtdrun(base + ["--list", "--shard", "4/3"])
ok(rc == 2 and "1..N" in err, "--shard 4/3 is a usage error", err)
quick = ["--tests", FAKE_TESTS, "--image", image, "-g", "quick", "-c", "default",
         "-c", "ir", "-c", "multi", "-c", "noiommu"]
parts = []
for i in (1, 2):
    d = os.path.join(tmp, "shard%d" % i)
    vtdrun(["--guest", "pass", "-c", "default", "-c", "ir", "-c", "multi",
            "-c", "noiommu", "--image", image, "--results", d, "--shard", "%d/2" % i])
    parts.append(d)
merged = os.path.join(tmp, "merged")
rc, out, err = vtdrun(["--merge"] + parts + ["--results", merged])
tap_text = read(os.path.join(merged, "qemu-7.2.22", "results.tap"))
ok(rc == 0 and "1..4" in tap_text and
   os.path.isfile(os.path.join(merged, "qemu-7.2.22", "junit.xml")) and
   os.path.isfile(os.path.join(merged, "qemu-7.2.22", "summary.txt")) and
   len([e for e in os.listdir(os.path.join(merged, "qemu-7.2.22")) if "@" in e]) == 4,
   "--merge joins two shards' results into one TAP, JUnit and summary",
   rc, out, err)


# --------------------------------------- expectations, compared by version

def serial(*lines):
    return "TAP version 13\n" + "\n".join(lines) + "\n1..%d\n# vtdprobe result: " \
        "SUCCESS\n" % sum(1 for ln in lines if ln.startswith(("ok", "not ok")))


def result_dir(root, name, version, runs):
    """runs: {test@config: (verdict, serial text, reason)}."""
    top = os.path.join(root, name)
    write(os.path.join(top, "qemu.txt"), "%s %s fake\n" % (name, version))
    for run_id, (verdict, text, reason) in runs.items():
        write(os.path.join(top, run_id, "serial.log"), text)
        write(os.path.join(top, run_id, "verdict"), "%s\n%s" % (
            verdict, "reason: %s\n" % reason if reason else ""))
    return top


X = "qemu<9.2 fix=8e761fb61c spec=6.5.2: ignores bits"
b = crossver.Bound(X)
ok(b.text == "qemu<9.2" and b.fix == "8e761fb61c" and b.spec == "6.5.2" and
   b.why == "ignores bits", "an expectation read back from TAP")
ok(b.holds("7.2.22") and not b.holds("9.2.0") and not b.holds("11.1.3"),
   "qemu<9.2 holds on 7.2.22, not on 9.2.0 or 11.1.3")
ok(crossver.Bound("qemu spec=7.1.3: open").holds("11.1.50"),
   "an unbounded range holds everywhere")
ok(crossver.Bound("qemu>=8.2,<10.0.4 spec=1: w").holds("10.0.2") and
   not crossver.Bound("qemu>=8.2,<10.0.4 spec=1: w").holds("10.1.0"),
   "a two-sided range")
g = tap.GuestTap("ok 1 - a\n#   fixed: %s (QEMU 10.0.2 is outside qemu<9.2)\n"
                 "not ok 2 - b\n#   regression: %s\n" % (X, X))
ok(g.checks[0].expectation().startswith("qemu<9.2") and
   "regression" in g.checks[1].notes, "notes after a check attach to it")

cmp_root = os.path.join(tmp, "cmp")
A = result_dir(cmp_root, "old", "7.2.22", {
    "t@c": ("SUCCESS", serial(
        "not ok 1 - bug fixed later # TODO " + X,
        "ok 2 - plain",
        "ok 3 - becomes broken",
        "ok 4 - only here",
        "not ok 5 - open bug # TODO qemu spec=3.6: open",
        "ok 6 - scenarios: s: line 3: requirements # SKIP requires w=1 on the "
        "command line on qemu<10.0.4: kills QEMU",
        "ok 7 - back again # TODO " + X), None),
    "u@ptoff": ("SUCCESS", serial("ok 1 - x"), None),
})
B = result_dir(cmp_root, "new", "11.1.3", {
    "t@c": ("FAILURE", serial(
        "ok 1 - bug fixed later", "#   fixed: %s (QEMU 11.1.3 is outside)" % X,
        "ok 2 - plain",
        "not ok 3 - becomes broken",
        "not ok 5 - open bug # TODO qemu spec=3.6: open",
        "ok 6 - scenarios: s: line 4: w", "ok 7 - scenarios: s: line 5: w",
        "not ok 8 - back again", "#   regression: %s (QEMU 11.1.3)" % X,
        "ok 9 - only there"), None),
    "u@ptoff": ("SKIP", "", "configuration ptoff: QEMU 11.1.3 has no pt property"),
})
sa, sb = crossver.Side(A), crossver.Side(B)
comps = {c.id: c for c in crossver.compare_sides(sa, sb)}
rows = {r.name: r for r in comps["t@c"].rows}
ok(rows["bug fixed later"].kind == "fixed" and rows["bug fixed later"].explained,
   "fixed in B, inside the range on A: explained by the bound",
   vars(rows["bug fixed later"]))
ok(rows["becomes broken"].kind == "new failure" and not rows["becomes broken"].explained,
   "a plain check that B fails: a new failure, unexplained")
ok(rows["only here"].kind == "only A" and rows["only there"].kind == "only B",
   "checks only one side has")
ok("open bug" not in rows, "an open bug on both sides is no difference")
ok(rows["scenarios: s: line 3: requirements"].explained and
   rows["scenarios: s: line 4: w"].explained,
   "a scenario skipped where it kills QEMU, and what it runs elsewhere: explained",
   vars(rows["scenarios: s: line 3: requirements"]))
ok(rows["back again"].kind == "new failure" and not rows["back again"].explained,
   "xfail on A, regression on B (outside the range): unexplained")
u = comps["u@ptoff"].rows
ok(len(u) == 1 and u[0].explained and "has no pt property" in u[0].why,
   "a run B cannot express: explained by the reason", [vars(r) for r in u])
rc, out, err = vtdrun(["--compare-results", A, B])
ok(rc == 1 and "new failure" in out and "B has 3 new failures" in out,
   "--compare-results: exit 1 when B has new failures", rc, out, err)
rc, out, err = vtdrun(["--compare-results", A, A])
ok(rc == 0 and "B has no new failure" in out, "--compare-results: exit 0 without", out)
C = result_dir(cmp_root, "newer", "11.1.4", {
    "u@ptoff": ("SKIP", "", "configuration ptoff: QEMU 11.1.4 has no pt property"),
})
u = {c.id: c for c in crossver.compare_sides(crossver.Side(B),
                                             crossver.Side(C))}["u@ptoff"].rows
ok(not u, "a run neither side can express: no difference", [vars(r) for r in u])
rc, out, err = vtdrun(["--compare-results", A, os.path.join(tmp, "nowhere")])
ok(rc == 2 and "no such result directory" in err, "--compare-results: a missing "
   "directory is a usage error", err)


# ------------------------------------------------------ the set-up step

class FakeShell:
    """Records the set-up's commands; answers by a table of failures."""

    def __init__(self, fail=(), root=True):
        self.cmds = []
        self.fail = fail
        self.root = root

    def is_root(self):
        return self.root

    def run(self, cmd, cwd=None, env=None):
        self.cmds.append(cmd)
        text = " ".join(cmd)
        for f in self.fail:
            if f in text:
                return 100, "E: Failed to fetch http://deb.debian.org/debian " \
                    "Temporary failure resolving 'deb.debian.org'\n"
        if cmd[-1] == "-version":
            return 0, "QEMU emulator version 10.0.2 (fake)\n"
        if "download" in cmd and cwd:
            for pkg in qemusetup.UNPACK_PACKAGES:
                write(os.path.join(cwd, "%s_1%%3a10.0.2_amd64.deb" % pkg), "")
        if "dpkg-query" in cmd:
            return 0, "1:11.1.3+ds-2~bpo13+1"
        return 0, ""


def setup(shell, home):
    out, err = [], []

    class W:
        def __init__(self, sink):
            self.sink = sink

        def write(self, text):
            self.sink.append(text)

        def flush(self):
            pass
    rc = qemusetup.main(["--home", home, "--mirror", "http://mirror.example/debian"],
                        shell=shell, out=W(out), err=W(err))
    return rc, "".join(out), "".join(err)


home = os.path.join(tmp, "qemu-home")
sh = FakeShell()
rc, out, err = setup(sh, home)
firsts = [" ".join(c[:2]) for c in sh.cmds]
ok(rc == 0 and os.path.isfile(os.path.join(home, "10.0", "installed")) and
   os.path.isfile(os.path.join(home, "11.1", "installed")),
   "missing: both installed", rc, out, err, firsts)
ok(any("bookworm-backports" in " ".join(c) for c in sh.cmds if "download" in c) and
   any(c[0] == "debootstrap" and "trixie" in c and
       "http://mirror.example/debian" in c for c in sh.cmds),
   "10.0 downloaded from bookworm-backports, 11.1 bootstrapped from the mirror")
ok(not any(c[0] == "apt-get" and "install" in c and "chroot" not in c
           for c in sh.cmds[:1]) and
   all(c[0] != "apt-get" or "Dir::Etc::sourcelist" in " ".join(c) for c in sh.cmds),
   "the system's apt state is never used: private sources list and lists")
w = read(os.path.join(home, "11.1", "qemu-system-x86_64"))
ok("ld-linux-x86-64.so.2" in w and "QEMU_MODULE_DIR" in w and "-L" in w,
   "11.1's wrapper runs through the root's own loader, with its modules and data")
sh = FakeShell()
rc, out, err = setup(sh, home)
ok(rc == 0 and all(c[-1] == "-version" for c in sh.cmds) and "installed" in out,
   "present: nothing fetched, only asked its version", [c[:2] for c in sh.cmds])
sh = FakeShell()
rc = qemusetup.main(["--home", home, "--quiet"], shell=sh,
                              out=open(os.devnull, "w"), err=sys.stderr)
ok(rc == 0, "present and --quiet: status 0")
home2 = os.path.join(tmp, "qemu-home-offline")
sh = FakeShell(fail=("update", "debootstrap"))
rc, out, err = setup(sh, home2)
ok(rc == 1 and "10.0: apt-get update of bookworm-backports" in err and
   "is Debian's registry reachable?" in err and "Temporary failure resolving" in err
   and "11.1: debootstrap" in err, "no registry: a clear error naming the step", err)
ok(not os.path.exists(os.path.join(home2, "10.0")) and
   not [f for f in os.listdir(home2) if f.startswith(".")],
   "no registry: nothing half-installed left behind", os.listdir(home2))
sh = FakeShell(root=False)
rc, out, err = setup(sh, os.path.join(tmp, "qemu-home-user"))
ok(rc == 1 and "need root" in err, "11.1 without root: says so", err)
ok(qemusetup.mirror_in("deb http://m.example/debian bookworm main\n") ==
   "http://m.example/debian" and
   qemusetup.mirror_in("Types: deb\nURIs: http://d.example/debian\n"
                       "Suites: bookworm bookworm-updates\n\n") == "http://d.example/debian" and
   qemusetup.mirror_in("Types: deb\nURIs: http://s.example/debian-security\n"
                       "Suites: bookworm-security\n") is None,
   "the mirror from apt sources, one-line and deb822; never the security one")

shutil.rmtree(tmp, ignore_errors=True)
taputil.finish()
