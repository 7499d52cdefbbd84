# SPDX-License-Identifier: GPL-2.0-or-later
"""Differential runs of generated scenarios: the model decides, QEMU is
compared (run/fuzz-qemu).

Each scenario fuzzgen draws runs with observe=1 on the model twice, with
the unit caching nothing (x-cache=none) and everything it may
(x-cache=maximal).  An observation both runs agree on is fixed by the
architecture: QEMU must show the same.  One they differ on is left open:
QEMU may show either.  QEMU ending otherwise than by the firmware's exit
(an abort, a signal, a hang) is a finding whatever the model says; so is
a scenario QEMU ends in ERROR where the model did not.

Both machines are a flavour, a configuration of run/configs.cfg, with
[multi]'s devices (two edu devices on bus 0, a third behind a PCIe root
port) and memory: the flavour gives the IOMMU, and for QEMU the CPU and
clock: default (intel-iommu as QEMU builds
it), sm, ir, ...; the runner's own command builders (tables.py) make
both command lines, in the QEMU's words.

Many scenarios share a boot: up to 16 script files (boot modules) of up
to 48 scenarios each.  A boot that dies is started again after the
scenario it died in.

A finding is reduced on QEMU itself (statements dropped while the same
signature remains: the op and the keys that differ, or the crash),
deduplicated by signature and saved under DIR/findings/FLAVOUR/SIGNATURE/."""

import copy
import fnmatch
import os
import re
import shlex
import signal
import subprocess
import tempfile
import time

from . import fuzzgen, ini, qemus, tables
from .crossver import Bound

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VTDHOST = os.path.join(TOP, "build", "host", "harness", "vtdhost")
IMAGE = os.path.join(TOP, "build", "vtdprobe.elf")
KNOWN = os.path.join(TOP, "run", "fuzz-divergences.cfg")
CONFIGS = os.path.join(TOP, "run", "configs.cfg")

# The machine's devices and memory: this configuration's; its IOMMU: the
# flavour's.
BASE_CONFIG = "multi"
# Script files per boot: vtdhost takes 16 (the firmware 32). Both machines
# run the same groups, so every scenario follows the same ones on both:
# registers and fault records outlive a scenario.
MAX_MODULES = 16

OBS_RE = re.compile(r"^# observe: (\S+) line=(\d+) op=(\S+)((?: \S+=\S*)*)$")
HEAD_RE = re.compile(r"^# scenario (\S+) \(")
ERR_RE = re.compile(r"^# ERROR: scenarios: (\S+): (.*)$")
PARSE_ERR_RE = re.compile(r"^# ERROR: scenarios: (?:(\S+): )?(\S+\.vtd:\d+: .*)$")
SKIP_RE = re.compile(r"^ok \d+ - scenarios: (\S+) # SKIP (.*)$")

KNOWN_KEYS = {
    "check": "the finding's signature (fnmatch)",
    "qemu": "the QEMU versions that show it (qemu, qemu<10.0.4, ...)",
    "wrong": "which side is wrong: qemu, model, test, neither, open",
    "why": "the explanation",
    "spec": "the VT-d specification section (rev 5.10) that decides it",
    "commit": "the upstream QEMU commit that fixes it",
    "flavour": "the flavours it is seen in (fnmatch; default: every one)",
}


class GeneratorError(Exception):
    pass


class Outcome:
    """What one machine did with one scenario."""

    def __init__(self):
        self.obs = {}        # statement index -> (op, {key: value})
        self.errors = []     # ERROR messages
        self.skip = None
        self.seen = False


def parse_stream(text, starts):
    """{scenario: Outcome} from a TAP stream; starts maps each scenario to
    the file line of its `scenario` statement (observation lines give
    file lines; the index in the scenario is what stays comparable)."""
    out = {}
    parse_errors = []
    for line in text.splitlines():
        m = HEAD_RE.match(line)
        if m and m.group(1) in starts:
            out.setdefault(m.group(1), Outcome()).seen = True
            continue
        m = OBS_RE.match(line)
        if m and m.group(1) in starts:
            fields = dict(w.split("=", 1) for w in m.group(4).split())
            o = out.setdefault(m.group(1), Outcome())
            o.obs[int(m.group(2)) - starts[m.group(1)]] = (m.group(3), fields)
            continue
        m = PARSE_ERR_RE.match(line)
        if m:
            parse_errors.append(line)
            continue
        m = ERR_RE.match(line)
        if m and m.group(1) in starts:
            out.setdefault(m.group(1), Outcome()).errors.append(m.group(2))
            continue
        m = SKIP_RE.match(line)
        if m and m.group(1) in starts:
            out.setdefault(m.group(1), Outcome()).skip = m.group(2)
    return out, parse_errors


def _write_files(workdir, scenarios, tag, files=None):
    """Pack scenarios [(name, lines)] into script files under workdir (at
    most `files` of them): ([path], {name: start line}) of what was
    written."""
    paths, starts = [], {}
    for i, (st, text) in enumerate(fuzzgen.pack(scenarios)):
        if files is not None and i == files:
            break
        path = os.path.join(workdir, "%s%d.vtd" % (tag, i))
        with open(path, "w", encoding="ascii") as f:
            f.write(text)
        paths.append(path)
        starts.update(st)
    return paths, starts


class Rig:
    """Where generated scenarios run: the machine of a flavour (a
    configuration of run/configs.cfg whose IOMMU replaces [multi]'s) on
    the model and, given one, on a QEMU; the work directory, vtdhost, the
    accelerator and the firmware image.  qemus.Unsupported when the QEMU
    cannot express the flavour's IOMMU."""

    def __init__(self, qemu=None, workdir=None, flavour="default",
                 vtdhost=VTDHOST, accel="tcg", image=IMAGE):
        configs = tables.load_configs(CONFIGS)
        if flavour not in configs or not configs[flavour].iommu:
            raise ValueError("no flavour %s: a configuration of %s with an "
                             "IOMMU" % (flavour, os.path.relpath(CONFIGS)))
        # the flavour's machine (IOMMU, CPU, clock), [multi]'s devices
        self.flavour = flavour
        self.iommu = configs[flavour].iommu
        self.config = copy.copy(configs[flavour])
        self.config.devices = list(configs[BASE_CONFIG].devices)
        self.config.memory = configs[BASE_CONFIG].memory
        self.qemu = qemu
        self.qemu_config = None
        if qemu:
            if accel == "tcg":
                qemus.check_tcg(qemu, self.config)
            self.qemu_config = copy.copy(self.config)
            self.qemu_config.iommu = qemus.translate_iommu(qemu, self.iommu)
        self.workdir = workdir
        self.vtdhost = vtdhost
        self.accel = accel
        self.image = image
        self.model_props = ""   # the QEMU's unit in the model's words
        # the firmware's local APIC in x2APIC mode where the CPU has one,
        # as scenarios-ir runs it (run/tests.cfg)
        x2apic = " x2apic=1" if "+x2apic" in (self.config.cpu or "") else ""
        self.test = tables.Test("fuzz", ["scenarios"], [flavour],
                                append="observe=1" + x2apic)

    def model_config(self, cache):
        return tables.ModelConfig("fuzz-" + self.flavour,
                                  iommu="%s,x-cache=%s%s" % (
                                      self.iommu, cache, self.model_props),
                                  devices=self.config.devices,
                                  memory=self.config.memory)


def _scenario_word(paths):
    return "scenario=" + ",".join(os.path.basename(p)[:-4] for p in paths)


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


# ------------------------------------------------------------- the model

def run_model(rig, scenarios, cache):
    """{name: Outcome} of scenarios on vtdhost under x-cache=cache; a parse
    error anywhere is GeneratorError."""
    result = {}
    todo = list(scenarios)
    serial = os.path.join(rig.workdir, "model.log")
    while todo:
        group, starts = _write_files(rig.workdir, todo[:MAX_MODULES * 48],
                                     "m", MAX_MODULES)
        todo = todo[len(starts):]
        if os.path.exists(serial):
            os.unlink(serial)
        cmd = tables.hosted_command([rig.vtdhost], rig.model_config(cache),
                                    rig.test, serial, group,
                                    _scenario_word(group))
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=600, check=False)
        outs, perrs = parse_stream(_read(serial), starts)
        if perrs:
            raise GeneratorError("parse errors on the model:\n" +
                                 "\n".join(perrs[:10]))
        if p.returncode not in (33, 35, 37, 39):
            raise GeneratorError("vtdhost ended with status %d: %s" %
                                 (p.returncode, p.stderr.decode()[-500:]))
        result.update(outs)
    return result


def oracle(rig, scenarios):
    """{name: (Outcome under none, Outcome under maximal)}."""
    a = run_model(rig, scenarios, "none")
    b = run_model(rig, scenarios, "maximal")
    return {n: (a.get(n, Outcome()), b.get(n, Outcome())) for n, _ in scenarios}


# ------------------------------------------------------------------ QEMU

class Boot:
    """One QEMU boot: its command line and how it ended."""

    def __init__(self, cmd, status, text, stderr, elapsed, timed_out):
        self.cmd = cmd
        self.status = status
        self.text = text
        self.stderr = stderr
        self.elapsed = elapsed
        self.timed_out = timed_out

    @property
    def died(self):
        """'hang', 'guest-died' (QEMU ended with status 0: with
        -no-reboot, the guest reset itself, e.g. a triple fault), 'abort'
        (a signal or QEMU's own error exit), or None when the firmware
        ended the run."""
        if self.timed_out:
            return "hang"
        if self.status in (33, 35, 37, 39):
            return None
        return "guest-died" if self.status == 0 else "abort"


def qemu_command(rig, paths, serial):
    q = rig.qemu
    return tables.qemu_command(q.cmd, rig.qemu_config, rig.test, rig.accel,
                               rig.image, serial, paths,
                               _scenario_word(paths) + " qemu=" + q.version)


def boot_qemu(rig, paths, timeout):
    serial = os.path.join(rig.workdir, "serial.log")
    if os.path.exists(serial):
        os.unlink(serial)
    cmd = qemu_command(rig, paths, serial)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True,
                         env=rig.qemu.env)
    timed_out = False
    try:
        err, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(p.pid, signal.SIGKILL)
        err, _ = p.communicate()
    elapsed = time.monotonic() - t0
    return Boot(cmd, p.returncode, _read(serial),
                err.decode("utf-8", "replace"), elapsed, timed_out)


def run_qemu(rig, scenarios):
    """({name: Outcome}, [(name or None, Boot)] of the boots that died,
    [Boot] every boot).  A boot that dies is started again after the
    scenario it died in (the one whose heading came last)."""
    result, deaths, boots = {}, [], []
    todo = list(scenarios)
    while todo:
        paths, starts = _write_files(rig.workdir, todo[:MAX_MODULES * 48],
                                     "q", MAX_MODULES)
        batch = todo[:len(starts)]
        timeout = 20 + 0.5 * len(batch)
        b = boot_qemu(rig, paths, timeout)
        boots.append(b)
        outs, _ = parse_stream(b.text, starts)
        result.update(outs)
        names = [n for n, _ in batch]
        if b.died is None:
            todo = todo[len(batch):]
            continue
        last = None
        for line in b.text.splitlines():
            m = HEAD_RE.match(line)
            if m and m.group(1) in starts:
                last = m.group(1)
        deaths.append((last, b))
        if last is None:
            # it died before any scenario: nothing more to learn here
            for n in names:
                result.setdefault(n, Outcome())
            todo = todo[len(batch):]
            continue
        todo = todo[names.index(last) + 1:]
    return result, deaths, boots


# ------------------------------------------------------------ comparison

DEATHS = ("abort", "hang", "guest-died")


class Finding:
    def __init__(self, signature, name, index, detail, boot=None):
        self.boot = boot          # the Boot that died, for abort/hang
        self.signature = signature
        self.name = name          # scenario
        self.index = index        # statement index (None: the scenario)
        self.detail = detail      # {model-none, model-maximal, qemu}
        self.values = ()          # (key, model, QEMU) of the keys that differ


def _sig_of(op, fa, fb):
    keys = sorted(k for k in set(fa) | set(fb) if fa.get(k) != fb.get(k))
    sig = op
    if op == "reg-read" and "off" in fa:
        sig += "@" + fa["off"]
    return sig + "." + "-".join(keys)


def _fmt(obs):
    if obs is None:
        return "(none)"
    op, fields = obs
    return "op=%s %s" % (op, " ".join("%s=%s" % kv for kv in fields.items()))


# Reported granularities, finer to coarser: hardware may always do more
# than asked and say so (6.5.1, 10.4.7 CAIG, 10.4.8.1 IAIG), so a coarser
# report than the model's is no finding.
_GRAN_RANK = {"none": -1, "page": 0, "device": 0, "domain": 1, "global": 2}


def _coarser_or_same(model, got):
    def parse(v):
        return [(_GRAN_RANK.get(w.split(":")[0], -2)) for w in v.split(",")]
    m, g = parse(model), parse(got)
    return len(m) == len(g) and all(b >= a >= 0 for a, b in zip(m, g))


def _compressed(op, fa, fg):
    """A DMA's FSTS without PFO where the model's has it, the records the
    same: the unit compressed the later faults of the requester instead of
    overflowing (7.2.1: "If hardware supports compression of multiple
    faults from the same requester [...] the fault information is not
    recorded"; optional, the model does not).  A DMA's records all have
    its source-id."""
    if op not in ("dma", "dma-wait") or fa.get("faults") != fg.get("faults") \
            or fa.get("faults", "-") == "-":
        return False
    try:
        m, q = int(fa.get("fsts", ""), 16), int(fg.get("fsts", ""), 16)
    except ValueError:
        return False
    return m & 1 == 1 and q == m & ~1


def _iqercd_unsupported(fa, fg):
    """IQERCD read as 0 where the model's has a value: the register is
    optional (6.5.2.11: "if the register is supported"; 11.4.9.9: IQEI 0,
    "info not available")."""
    try:
        return int(fg.get("iqercd", ""), 16) == 0
    except ValueError:
        return False


def _differs(a, got):
    if got[0] != a[0]:
        return True
    fa, fg = a[1], got[1]
    for k in set(fa) | set(fg):
        if fa.get(k) == fg.get(k):
            continue
        if k == "gran" and _coarser_or_same(fa.get(k, ""), fg.get(k, "")):
            continue
        if k == "fsts" and _compressed(a[0], fa, fg):
            continue
        if k == "iqercd" and _iqercd_unsupported(fa, fg):
            continue
        if k == "value" and a[0] == "reg-read" and \
                fa.get("off") == "0xb0" and \
                _iqercd_unsupported({}, {"iqercd": fg.get("value", "")}):
            continue
        return True
    return False


# Keys whose values change with anything else the scenario does (memory
# contents): a reduced scenario keeps only their signature.
_LOOSE_KEYS = ("digest", "differ", "first")


def _values(fa, fg):
    """What a finding is beyond its signature: the model's and QEMU's
    values of the keys that differ (a fault reason, a register value), so
    that reducing a scenario does not slide to another divergence of the
    same signature."""
    return tuple(sorted((k, fa.get(k), fg.get(k))
                        for k in set(fa) | set(fg)
                        if fa.get(k) != fg.get(k) and k not in _LOOSE_KEYS))


def compare(name, none, maximal, q):
    """[Finding] of one scenario: its first divergence only (what follows
    one is mostly its consequence)."""
    out = []
    if none.errors or maximal.errors:
        model_err = True
    else:
        model_err = False
    if q.errors and not model_err and not none.skip:
        msg = re.sub(r"^line \d+: ", "", q.errors[0])
        stmt_word = msg.split()[0] if msg.split() else "?"
        out.append(Finding("error." + stmt_word, name, None,
                           {"model-none": "no ERROR",
                            "model-maximal": "no ERROR",
                            "qemu": "ERROR: " + q.errors[0]}))
    for idx, a in sorted(none.obs.items()):
        b = maximal.obs.get(idx)
        if a != b:
            continue
        got = q.obs.get(idx)
        if got is None:
            continue            # QEMU stopped earlier: its ERROR is the finding
        if _differs(a, got):
            if got[0] != a[0]:
                sig = "op." + a[0]
            else:
                sig = _sig_of(a[0], a[1], got[1])
            f = Finding(sig, name, idx, {"model-none": _fmt(a),
                                         "model-maximal": _fmt(b),
                                         "qemu": _fmt(got)})
            f.values = _values(a[1], got[1])
            out.append(f)
            break
    return out


def load_known(path=KNOWN):
    """[(section, check glob, Bound, entry)] of the known findings, those
    bound to flavours first (they say more than a signature can)."""
    if not os.path.exists(path):
        return []
    parser = ini.read(path, KNOWN_KEYS, defaults=None)
    out = []
    for sec in parser.sections():
        s = parser[sec]
        for key in ("check", "qemu", "wrong", "why", "spec"):
            if not s.get(key, "").strip():
                raise ini.TableError("%s [%s]: %s is required" % (path, sec, key))
        out.append((sec, s["check"].strip(), Bound(s["qemu"].strip()), s))
    out.sort(key=lambda e: not e[3].get("flavour", "").strip())
    return out


def known_entry(known, signature, version, flavour="default"):
    for sec, glob, bound, s in known:
        fl = s.get("flavour", "").strip() or "*"
        if fnmatch.fnmatchcase(signature, glob) and bound.holds(version) and \
                any(fnmatch.fnmatchcase(flavour, g) for g in fl.split()):
            return sec
    return None


def safe_name(sig):
    return re.sub(r"[^A-Za-z0-9_.@-]", "_", sig)[:100]


# ------------------------------------------------------------- shrinking

def _variant(lines, keep, name):
    out = ["scenario %s \"reduced\"" % name]
    out += [lines[i] for i in keep]
    return out


def _matches(f, var_name, new_index, outs, orc, deaths):
    if f.signature in DEATHS:
        return any(n == var_name and b.died == f.signature for n, b in deaths)
    q = outs.get(var_name)
    if q is None:
        return False
    none, maximal = orc[var_name]
    for g in compare(var_name, none, maximal, q):
        if g.signature == f.signature and g.values == f.values and \
                (new_index is None or g.index == new_index):
            return True
    return False


def probe_cap(rig):
    """Make the model's unit the QEMU's: one boot reads CAP and ECAP;
    CAP.ESRTPS (bit 63, which recent QEMUs set) becomes x-esrtps=on in
    rig.model_props.  ((CAP, ECAP) of QEMU, (CAP, ECAP) of the model),
    None where unread."""
    scen = [("fzcap", ["scenario fzcap \"CAP\"", "  reg read cap",
                       "  reg read ecap"])]

    def regs(outs):
        o = outs.get("fzcap")
        if not o or 1 not in o.obs or 2 not in o.obs:
            return None
        return tuple(int(o.obs[i][1].get("value", "0"), 16) for i in (1, 2))

    q = regs(run_qemu(rig, scen)[0])
    if q:
        rig.model_props = ",x-esrtps=on" if q[0] >> 63 & 1 else ""
    return q, regs(run_model(rig, scen, "none"))


def shrink(rig, f, lines, rounds=12):
    """The smallest scenario (its lines) found that keeps f's signature:
    statements dropped one at a time, every candidate of a round in one
    boot (crashes and hangs: one boot per candidate)."""
    body = list(range(1, len(lines)))     # statement indices (0: heading)
    target = f.index
    # declarations stay: a statement naming what is gone does not parse
    fixed = {i for i in body if lines[i].split()[0] in ("domain", "buffer")}
    if target is not None:
        fixed.add(target)
    counter = [0]

    def variants_of(cands):
        vs = []
        for keep in cands:
            counter[0] += 1
            vn = "%s-r%d" % (f.name, counter[0])
            nidx = None if target is None else keep.index(target) + 1
            vs.append((vn, keep, nidx))
        return vs

    def try_all(cands):
        vs = variants_of(cands)
        scen = [(vn, _variant(lines, keep, vn)) for vn, keep, _ in vs]
        orc = oracle(rig, scen) if f.signature not in DEATHS else {}
        if f.signature in DEATHS:
            good = []
            for (vn, keep, nidx), sc in zip(vs, scen):
                outs, deaths, _ = run_qemu(rig, [sc])
                if _matches(f, vn, nidx, outs, orc, deaths):
                    good.append(keep)
                    break           # one boot per candidate: take the first
            return good
        outs, deaths, _ = run_qemu(rig, scen)
        return [keep for vn, keep, nidx in vs
                if _matches(f, vn, nidx, outs, orc, deaths)]

    chunk = max(1, len(body) // 2)
    for _ in range(rounds):
        if len(body) <= 1:
            break
        cands = []
        for s in range(0, len(body), chunk):
            drop = set(body[s:s + chunk]) - fixed
            if not drop:
                continue
            cands.append([i for i in body if i not in drop])
        good = try_all(cands)
        if good:
            body = min(good, key=len)
            chunk = max(1, min(chunk, len(body) // 2))
        elif chunk > 1:
            chunk = max(1, chunk // 2)
        else:
            break
    return _variant(lines, body, f.name), \
        (None if target is None else body.index(target) + 1)


def confirm(rig, f, script, index):
    """Whether script, alone in a fresh boot, still shows f (shrinking runs
    a round's candidates in one boot, where one scenario's leftovers in
    QEMU could matter)."""
    scen = [(f.name, script)]
    orc = oracle(rig, scen) if f.signature not in DEATHS else {}
    outs, deaths, _ = run_qemu(rig, scen)
    return _matches(f, f.name, index, outs, orc, deaths)


# ----------------------------------------------------------------- saving

def finding_dir(base, rig, f):
    return os.path.join(base, "findings", rig.flavour, safe_name(f.signature))


def save(base, rig, f, script, index, known_sec, alone=None, boot=None):
    """Write a finding's directory: the script, the QEMU and the flavour,
    the exact command line that runs the script (boot's, when the boot
    died before any scenario), the outcomes."""
    d = finding_dir(base, rig, f)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "script.vtd")
    with open(path, "w", encoding="ascii") as o:
        o.write("\n".join(script) + "\n")
    cmd = boot.cmd if boot is not None else \
        qemu_command(rig, [path], os.path.join(d, "serial.log"))
    with open(os.path.join(d, "qemu.txt"), "w", encoding="utf-8") as o:
        o.write("%s %s\nflavour %s: -device %s\n" % (
            rig.qemu.name or "-", rig.qemu.version, rig.flavour,
            rig.qemu_config.iommu))
    with open(os.path.join(d, "cmdline.sh"), "w", encoding="utf-8") as o:
        o.write(shlex.join(cmd) + "\n")
    with open(os.path.join(d, "outcome.txt"), "w", encoding="utf-8") as o:
        o.write("signature: %s\n" % f.signature)
        if index is not None:
            o.write("statement: line %d: %s\n" % (index + 1,
                                                  script[index].strip()))
        for k in ("model-none", "model-maximal", "qemu"):
            o.write("%s: %s\n" % (k, f.detail.get(k, "")))
        if alone is not None:
            o.write("alone in a fresh boot: %s\n" %
                    ("reproduces" if alone else "does not reproduce"))
        if known_sec:
            o.write("known: run/fuzz-divergences.cfg [%s]\n" % known_sec)
    return d


def make_workdir(base):
    os.makedirs(base, exist_ok=True)
    return tempfile.mkdtemp(prefix="work-", dir=base)
