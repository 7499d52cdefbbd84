# SPDX-License-Identifier: GPL-2.0-or-later
"""The QEMUs vtdrun knows, what each one is, and each configuration in
its words.

A QEMU is known by a short name:
  system   qemu-system-x86_64 on $PATH (Debian 12's 7.2)
  10.0     QEMU 10.0.x from bookworm-backports, installed by run/setup
  11.1     QEMU 11.1.x from trixie-backports, in a Debian 13 root, installed
           by run/setup
(run/vtdrunner/qemusetup.py installs the last two, outside build/).  Any
other command (a wrapper around a build tree, say) is a QEMU too: it is
named after the version it reports, qemu-VERSION.

Before a run, each QEMU is asked once what it is: `-version`,
`-device intel-iommu,help` (the properties and their defaults) and
`-device NAME,help` for every other device a configuration names.  A
configuration is written in one vocabulary, the newest QEMU's; translate()
writes it in the words of the QEMU at hand, or says why that QEMU cannot
express it.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import threading

from . import qemusetup

SYSTEM = "system"

_VERSION_RE = re.compile(r"QEMU emulator version (\d+)\.(\d+)(?:\.(\d+))?")
_PROP_RE = re.compile(r"^\s+([A-Za-z0-9_.-]+)=<([^>]*)>(?:\s+-\s*(.*))?$")
_DEFAULT_RE = re.compile(r"\(default:\s*\"?([^\")]*)\"?\)")


class ProbeError(Exception):
    """A QEMU that cannot say what it is."""


def version_tuple(text):
    """(major, minor, micro) of '10.0.2' (micro 0 when absent); ValueError."""
    parts = text.strip().split(".")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError("not a QEMU version: %r" % text)
    nums = [int(p) for p in parts] + [0] * (3 - len(parts))
    return tuple(nums)


class Qemu:
    """One QEMU: its name, its command, and once probed, what it has."""

    def __init__(self, name, cmd, env=None):
        self.name = name
        self.cmd = list(cmd)
        self.env = env
        self.version = None         # "10.0.2"
        self.props = {}             # intel-iommu property -> default or None
        self._devices = {}          # device name -> bool (has it)
        self._lock = threading.Lock()
        self.error = None

    @property
    def label(self):
        return "QEMU %s" % (self.version or "(version unknown)")

    @property
    def vtuple(self):
        return version_tuple(self.version) if self.version else None

    def _ask(self, *args):
        try:
            p = subprocess.run(self.cmd + list(args), stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=30, env=self.env)
        except (OSError, subprocess.SubprocessError) as e:
            raise ProbeError("cannot run %s: %s" % (shlex.join(self.cmd), e)) from None
        return p.returncode, p.stdout.decode("utf-8", errors="replace")

    def probe(self):
        """Ask the version and intel-iommu's properties; ProbeError."""
        with self._lock:
            if self.version is not None:
                return self
            rc, out = self._ask("-version")
            m = _VERSION_RE.search(out)
            if rc != 0 or not m:
                raise ProbeError("%s -version: no QEMU version in its answer%s"
                                 % (shlex.join(self.cmd), _tail(out)))
            self.version = "%s.%s.%s" % (m.group(1), m.group(2), m.group(3) or "0")
            rc, out = self._ask("-machine", "none", "-device", "intel-iommu,help")
            self.props = parse_props(out)
            return self

    def has_device(self, name):
        with self._lock:
            if name not in self._devices:
                rc, out = self._ask("-machine", "none", "-device", name + ",help")
                self._devices[name] = rc == 0 and "not found" not in out \
                    and (" options:" in out or "no options" in out.lower()
                         or _PROP_RE.search(out) is not None)
            return self._devices[name]

    def describe(self):
        return "%-8s %-10s %s" % (self.name, self.version or "?", shlex.join(self.cmd))


def _tail(out):
    last = [ln for ln in out.splitlines() if ln.strip()][-1:]
    return " (%s)" % last[0].strip()[:120] if last else ""


def parse_props(text):
    """{property: default or None} from `-device X,help`."""
    props = {}
    for line in text.splitlines():
        m = _PROP_RE.match(line)
        if not m:
            continue
        d = _DEFAULT_RE.search(m.group(3) or "")
        props[m.group(1)] = d.group(1).strip() if d else None
    return props


# ------------------------------------------------------------ the QEMUs

def known(home=None):
    """[Qemu] this machine has, by name: the system's, then the private
    installs that are present."""
    out = []
    exe = shutil.which("qemu-system-x86_64")
    if exe:
        out.append(Qemu(SYSTEM, [exe]))
    for name, cmd in qemusetup.installed(home):
        out.append(Qemu(name, cmd))
    return out


def select(arg, home=None):
    """The QEMU named by --qemu/$QEMU: a known name, a version a known QEMU
    reports (10.0, 11.1.3), else a command (split like a shell)."""
    qemus = known(home)
    for q in qemus:
        if arg == q.name:
            return q
    if re.match(r"^\d+\.\d+(\.\d+)?$", arg):
        for q in qemus:
            try:
                q.probe()
            except ProbeError:
                continue
            if q.version == arg or q.version.startswith(arg + "."):
                return q
        names = ", ".join(q.name for q in qemus) or "none"
        raise ProbeError("--qemu %s: no known QEMU has that version (known: %s; "
                         "run/vtdrun --list-qemus)" % (arg, names))
    try:
        cmd = shlex.split(arg)
    except ValueError as e:
        raise ProbeError("QEMU: %s" % e) from None
    if not cmd:
        raise ProbeError("QEMU is empty")
    if cmd == ["qemu-system-x86_64"]:
        for q in qemus:
            if q.name == SYSTEM:
                return q
    return Qemu(None, cmd)


def result_name(qemu):
    """The directory a QEMU's results go to, under --results."""
    if qemu.name:
        return qemu.name
    return "qemu-%s" % (qemu.version or "unknown")


# ------------------------------------------------- configurations, per QEMU

# The table's vocabulary is the newest QEMU's.  For a property another
# QEMU spells differently: (its name, how the value carries over).
ALIASES = {
    "scalable-mode": [("x-scalable-mode", None)],
    "fsts": [("x-flts", None)],
    # pasid-bits=N: QEMU before 10.1 has one PASID width, 20 bits, behind
    # x-pasid-mode=on.
    "pasid-bits": [("x-pasid-mode", lambda v: "on" if v == "20" else
                    ("off" if v == "0" else None))],
}

# What a configuration that does not name a property means on every QEMU:
# the machine of Debian 12's QEMU, so one configuration is one machine on
# every version (QEMU 9.2 moved the aw-bits default from 39 to 48).
TABLE_DEFAULTS = {"aw-bits": "39"}


class Unsupported(Exception):
    """A configuration the QEMU at hand cannot express."""


# Property values a QEMU accepts but refuses at start-up under TCG, before
# the version that lifted the restriction: (key, value, first version,
# commit).  eim=on needed KVM with a split irqchip until 9.0.
TCG_FROM = [
    ("eim", "on", (9, 0), "2cf1620529"),
]


def check_tcg(qemu, config):
    """Unsupported when qemu, under TCG, refuses a value of config's
    IOMMU (TCG_FROM)."""
    if not config.iommu or qemu.version is None:
        return
    _, opts = _split_device(config.iommu)
    for key, val, first, commit in TCG_FROM:
        if "%s=%s" % (key, val) in opts and qemu.vtuple < first:
            raise Unsupported("%s has no %s=%s under TCG (from %d.%d, %s)"
                              % (qemu.label, key, val, first[0], first[1],
                                 commit))


def _split_device(value):
    """(driver, [options]) of a -device value, in the key=value form or
    the JSON one ({"driver":"vfio-user-pci",...}: options not split)."""
    if value.lstrip().startswith("{"):
        try:
            d = json.loads(value)
        except ValueError:
            d = None
        if isinstance(d, dict) and isinstance(d.get("driver"), str):
            return d["driver"], []
    parts = value.split(",")
    return parts[0], parts[1:]


def translate_iommu(qemu, value):
    """intel-iommu's -device value in qemu's words; Unsupported."""
    driver, opts = _split_device(value)
    if driver != "intel-iommu" or not qemu.props:
        return value
    out = []
    given = set()
    for opt in opts:
        key, sep, val = opt.partition("=")
        given.add(key)
        if key in qemu.props:
            out.append(opt)
            continue
        for alias, conv in ALIASES.get(key, []):
            if alias in qemu.props:
                v = conv(val) if conv else val
                if v is None:
                    raise Unsupported("%s has no %s=%s (only %s)"
                                      % (qemu.label, key, val, alias))
                out.append("%s=%s" % (alias, v) if sep else alias)
                break
        else:
            raise Unsupported("%s has no %s property" % (qemu.label, key))
    for key, val in TABLE_DEFAULTS.items():
        if key not in given and key in qemu.props and qemu.props[key] != val:
            out.append("%s=%s" % (key, val))
    return ",".join([driver] + out)


def translate(qemu, config):
    """(iommu value, [device values]) of config in qemu's words;
    Unsupported when qemu cannot express it."""
    iommu = translate_iommu(qemu, config.iommu) if config.iommu else ""
    for d in config.devices:
        name, _ = _split_device(d)
        if not qemu.has_device(name):
            raise Unsupported("%s has no %s device" % (qemu.label, name))
    return iommu, list(config.devices)


def list_lines(home=None):
    """vtdrun --list-qemus: one line per QEMU, name, version, command."""
    out = []
    for q in known(home):
        try:
            q.probe()
        except ProbeError as e:
            q.error = str(e)
        out.append(q.describe() + ("   # %s" % q.error if q.error else ""))
    for name, why in qemusetup.missing(home):
        out.append("%-8s %-10s %s" % (name, "-", "not installed: " + why))
    return out


def env_home():
    return os.environ.get("VTDPROBE_QEMU_HOME") or None
