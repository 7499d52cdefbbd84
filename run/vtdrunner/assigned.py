# SPDX-License-Identifier: GPL-2.0-or-later
"""Served devices: vfio-user servers the runner starts beside QEMU, for
configurations with a `servers` key (run/configs.cfg).

A served edu is, to the guest, an assigned device: QEMU's vfio-user-pci
forwards its configuration space and BAR0 to the server, and with
intel-iommu's caching mode QEMU shadows the guest's second-level tables
into the server's IOVA table through DMA_MAP and DMA_UNMAP messages, as
it would into a host IOMMU for a VFIO device
(harness/vfio-user/README in harness/README.md).

The table says, per configuration:

    servers = NAME PROGRAM [OPTION...]      one line per server
    devices = {"driver":"vfio-user-pci","addr":"0x2",
               "socket":{"type":"unix","path":"@NAME"}}

The socket path @NAME stands for the server's socket in the run's
directory.  A served device gives its slot on bus 0 (addr), so the runner
can tell the firmware which function is behind a host IOMMU:
assigned=00:02.0 on its command line (engine/env.h).

Per run, in the run's directory, for each server NAME:

    cmdline       its command line (NAME ... &) before QEMU's
    NAME.sock     its socket, named in the QEMU command line
    NAME.log      what it printed: refusals, blocked DMAs, its summary
    NAME.record   one line per DMA_MAP / DMA_UNMAP, classified
    host.tap      the checks the runner made of the records (below)

Served.start runs before QEMU (launch.Run.prepare), Served.finish after
it (launch.Run.finish): it stops the servers and holds each record to the
VFIO type1 rules and the shadowing invariants (INVARIANTS); each is one
check, appended to the run's TAP stream after the guest's own and
counted in its verdict.
"""

import bisect
import copy
import json
import os
import re
import shlex
import signal
import subprocess
import time

from . import crossver, launch, report, tap
from .ini import TableError
from .verdict import Verdict

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")

# The servers the runner knows: program name -> path from the top of the
# tree.  vfu-edu's ASan build: the server is checked while it serves.
PROGRAMS = {
    "vfu-edu": os.path.join("build", "host", "harness", "vfio-user", "vfu-edu"),
}

# Options a table may give a server; the runner sets the socket and record.
OPTION_RE = re.compile(r"^--(dma-delay-us|dma-mask)=\S+$|^--(verbose|quiet)$")

SOCKET_WORD = "@"               # "path":"@NAME": server NAME's socket
LISTEN_SECONDS = 10.0           # a server must listen within this
EXIT_SECONDS = 10.0             # ... and exit this long after QEMU did
SUN_PATH_MAX = 107              # sockaddr_un.sun_path, NUL excluded


class Server:
    """One line of a configuration's `servers` key."""

    def __init__(self, name, program, options):
        self.name = name
        self.program = program
        self.options = list(options)


def parse_servers(where, value):
    """[Server] from a `servers` value; TableError."""
    out = []
    for line in value.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        words = shlex.split(line)
        if len(words) < 2:
            raise TableError("%s: servers: %r: expected NAME PROGRAM [OPTION...]"
                             % (where, line))
        name, program, options = words[0], words[1], words[2:]
        if not NAME_RE.match(name):
            raise TableError("%s: servers: name %r: a letter, then letters, "
                             "digits, _ -" % (where, name))
        if program not in PROGRAMS:
            raise TableError("%s: servers: %s: unknown program %r (known: %s)"
                             % (where, name, program, ", ".join(PROGRAMS)))
        for o in options:
            if not OPTION_RE.match(o):
                raise TableError("%s: servers: %s: option %r (allowed: "
                                 "--dma-delay-us=N --dma-mask=M --verbose "
                                 "--quiet)" % (where, name, o))
        if name in (s.name for s in out):
            raise TableError("%s: servers: %s named twice" % (where, name))
        out.append(Server(name, program, options))
    return out


def device_json(value):
    """A -device value in JSON form as a dict, or None (the key=value
    form)."""
    if not value.lstrip().startswith("{"):
        return None
    try:
        d = json.loads(value)
    except ValueError:
        return None
    return d if isinstance(d, dict) else None


def served_by(device):
    """The server name a device's socket names (@NAME), or None."""
    sock = device.get("socket") if isinstance(device, dict) else None
    path = sock.get("path") if isinstance(sock, dict) else None
    if isinstance(path, str) and path.startswith(SOCKET_WORD):
        return path[len(SOCKET_WORD):]
    return None


def _slot(where, name, device):
    """The served device's slot on bus 0 (its addr: "0x2", "2", "0x2.0")."""
    if "bus" in device:
        raise TableError("%s: the device of server %s sits behind a bridge "
                         "(bus): the runner names served functions on bus 0 "
                         "only" % (where, name))
    addr = str(device.get("addr", ""))
    m = re.match(r"^(?:0x)?([0-9a-fA-F]{1,2})(?:\.([0-7]))?$", addr)
    if not m or int(m.group(1), 16) > 31:
        raise TableError("%s: the device of server %s needs its slot, "
                         "\"addr\":\"0xN\" (the firmware is told which "
                         "function is served)" % (where, name))
    return int(m.group(1), 16), int(m.group(2) or 0)


def check_config(where, config):
    """A configuration's servers and the devices naming them agree: each
    server is named by one vfio-user-pci device that gives its slot, and
    guest RAM is shared memory; TableError."""
    named = {}
    for d in config.devices:
        dev = device_json(d)
        name = served_by(dev)
        if name is None:
            continue
        if dev.get("driver") != "vfio-user-pci":
            raise TableError("%s: %s: only vfio-user-pci connects to a server"
                             % (where, d))
        if name in named:
            raise TableError("%s: server %s is named by two devices" % (where, name))
        named[name] = _slot(where, name, dev)
    servers = {s.name for s in config.servers}
    for name in named:
        if name not in servers:
            raise TableError("%s: a device names server %s, which `servers` "
                             "does not start" % (where, name))
    for name in servers - set(named):
        raise TableError("%s: server %s: no device names its socket "
                         "(\"socket\":{\"type\":\"unix\",\"path\":\"%s%s\"})"
                         % (where, name, SOCKET_WORD, name))
    if config.servers and config.boot != "multiboot":
        raise TableError("%s: served devices boot multiboot only" % where)
    if config.servers and "share=on" not in config.memory_backend.split(","):
        raise TableError("%s: served devices need the guest's RAM in shared "
                         "memory (memory_backend = memory-backend-memfd,"
                         "share=on): DMA_MAP passes it to the server" % where)


def bdf_words(config):
    """The firmware's assigned= word for a configuration's served
    devices, or ""."""
    bdfs = []
    for d in config.devices:
        dev = device_json(d)
        if served_by(dev) is not None:
            slot, fn = _slot("", "", dev)
            bdfs.append("00:%02x.%x" % (slot, fn))
    return "assigned=" + ",".join(bdfs) if bdfs else ""


# ------------------------------------------------------------ one run

class Served:
    """The servers of one run: the configuration with their sockets in the
    run's directory, the firmware's word, and the two hooks."""

    def __init__(self, config, directory, top, qemu=None):
        self.dir = directory
        self.top = top
        self.qemu = qemu
        self.servers = list(config.servers)
        self.config = copy.copy(config)
        self.config.devices = [self._with_socket(d) for d in config.devices]
        self.word = bdf_words(config)
        self.aw = address_width(self.config.iommu, qemu)
        self.procs = {}                 # name -> Popen
        self.started = False

    def path(self, name, suffix):
        return os.path.join(self.dir, name + suffix)

    def _with_socket(self, value):
        dev = device_json(value)
        name = served_by(dev)
        if name is None:
            return value
        dev["socket"] = dict(dev["socket"], path=self.path(name, ".sock"))
        return json.dumps(dev, separators=(",", ":"))

    def command(self, server):
        return [os.path.join(self.top, PROGRAMS[server.program]),
                "--socket-path=" + self.path(server.name, ".sock"),
                "--record=" + self.path(server.name, ".record")] + server.options

    # -------------------------------------------------- before QEMU

    def start(self, run_dir):
        """launch.Run.prepare: every server listening on its socket, or
        why not (the ones started are stopped again).  The run's cmdline
        gets their command lines first, so that `sh cmdline` reruns it."""
        self.started = True
        qemu_line = _read(os.path.join(run_dir, "cmdline"))
        _write(os.path.join(run_dir, "cmdline"), "".join(
            shlex.join(self.command(s)) + " &\n" for s in self.servers) + qemu_line)
        for s in self.servers:
            why = self._start_one(s)
            if why:
                self._stop_all()
                return why
        return None

    def _start_one(self, s):
        cmd = self.command(s)
        sock = self.path(s.name, ".sock")
        if len(sock.encode()) > SUN_PATH_MAX:
            return "server %s: socket path %s is longer than a unix socket " \
                   "allows (%d bytes)" % (s.name, sock, SUN_PATH_MAX)
        if not os.access(cmd[0], os.X_OK):
            return "server %s: no %s at %s (build it with make)" % (
                s.name, s.program, cmd[0])
        with open(self.path(s.name, ".log"), "wb") as log:
            try:
                proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT,
                                        start_new_session=True)
            except OSError as e:
                return "server %s: cannot start %s: %s" % (s.name, cmd[0],
                                                           e.strerror or e)
        self.procs[s.name] = proc
        deadline = time.monotonic() + LISTEN_SECONDS
        while not os.path.exists(sock):
            if proc.poll() is not None or time.monotonic() > deadline:
                return "server %s did not listen on %s (see %s)" % (
                    s.name, sock, self.path(s.name, ".log"))
            time.sleep(0.01)
        return None

    # --------------------------------------------------- after QEMU

    def finish(self, run, verdict, reason):
        """launch.Run.finish: stop the servers, check their records; the
        run's verdict and reason, raised by what the checks found."""
        if not self.started:
            return verdict, reason
        statuses = self._stop_all()
        lines = self.check_lines(len(run.guest.checks))
        _write(os.path.join(self.dir, tap.HOST_TAP), "".join(lines))
        run.serial += "".join(lines)
        run.guest = tap.GuestTap(run.serial)
        for name, status in statuses.items():
            if status and verdict.severity < Verdict.ERROR.severity:
                verdict, reason = Verdict.ERROR, "server %s exited with status %d " \
                    "(see %s)" % (name, status, self.path(name, ".log"))
        failed = [c for c in tap.GuestTap("".join(lines)).checks if c.failed]
        if failed and verdict.severity < Verdict.FAILURE.severity:
            more = " (+%d more)" % (len(failed) - 1) if len(failed) > 1 else ""
            verdict, reason = Verdict.FAILURE, "not ok %d - %s%s" % (
                failed[0].number, failed[0].description, more)
        return verdict, reason

    def _stop_all(self):
        """Each server's exit status.  A server leaves when its client
        hangs up; one that outlives QEMU, or that no client reached (its
        socket is removed once a client connects), is stopped."""
        out = {}
        for name, proc in self.procs.items():
            if not os.path.exists(self.path(name, ".sock")):
                try:
                    out[name] = proc.wait(timeout=EXIT_SECONDS)
                    continue
                except subprocess.TimeoutExpired:
                    pass
            for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, None)):
                try:
                    os.killpg(proc.pid, sig)
                except (ProcessLookupError, PermissionError):
                    pass
                try:
                    proc.wait(timeout=grace)
                    break
                except subprocess.TimeoutExpired:
                    continue
            out[name] = 0       # stopped by us after QEMU left: not its fault
        self.procs = {}
        return out

    def check_lines(self, number):
        """TAP lines: each server's record against INVARIANTS, numbered
        after the guest's number checks."""
        lines = ["# host side: the served devices' DMA_MAP/DMA_UNMAP records "
                 "(run/vtdrunner/assigned.py)\n"]
        version = self.qemu.version if self.qemu is not None else None
        for s in self.servers:
            record = Record(_read(self.path(s.name, ".record")))
            for line in _summary(_read(self.path(s.name, ".log"))):
                lines.append("# %s: %s\n" % (s.name, line))
            for inv in INVARIANTS:
                number += 1
                lines += inv.lines(number, s.name, record, self.aw, version)
        return lines


def address_width(iommu, qemu):
    """The guest's IOVA width in bits: the IOMMU's aw-bits, else the
    QEMU's default; None when unknown."""
    for opt in iommu.split(",")[1:]:
        key, _, val = opt.partition("=")
        if key == "aw-bits" and val.isdigit():
            return int(val)
    default = qemu.props.get("aw-bits") if qemu is not None else None
    return int(default) if default and default.isdigit() else None


# ------------------------------------------------------- the records

_DMA_RE = re.compile(
    r"^seq=(?P<seq>\d+) id=\S+ DMA iova=0x(?P<iova>[0-9a-f]+) "
    r"size=0x(?P<size>[0-9a-f]+) dir=(?P<dir>read|write) result=\S+ "
    r"blocked=0x(?P<blocked>[0-9a-f]+)$")
_RECORD_RE = re.compile(
    r"^seq=(?P<seq>\d+) id=\S+ (?P<op>MAP|UNMAP) iova=0x(?P<iova>[0-9a-f]+) "
    r"size=0x(?P<size>[0-9a-f]+) (?P<mid>.*?)result=(?P<result>\S+)(?P<rest>.*)$")
_FIELD_RE = re.compile(r"(\w+)=(\S+)")


class Message:
    """One DMA_MAP or DMA_UNMAP of a record, and what it did to the table
    (Record fills removed and inside)."""

    def __init__(self, m, text):
        fields = dict(_FIELD_RE.findall(m.group("mid") + m.group("rest")))
        self.seq = int(m.group("seq"))
        self.op = m.group("op")
        self.iova = int(m.group("iova"), 16)
        self.size = int(m.group("size"), 16)
        self.last = self.iova + self.size - 1
        self.result = m.group("result")
        self.note = fields.get("note")
        self.all = fields.get("all") == "1"
        # What a MAP maps: equal keys are the same translation.
        self.key = (self.iova, self.size, fields.get("offset"), fields.get("fd"),
                    fields.get("perm"))
        self.text = text
        self.removed = []       # UNMAP: the mappings (MAP messages) it removed
        self.inside = None      # refused: the live mapping it lies inside

    @property
    def ok(self):
        return self.result == "ok"


class Record:
    """A server's record, replayed: its messages in order, each with what
    it did to the table of live mappings, and the mappings removed and
    mapped back unchanged (restored)."""

    def __init__(self, text):
        self.messages = []
        self.dmas = []          # (DMA, the live mappings it met)
        self.unreadable = 0
        # (the MAP putting a mapping back, the UNMAP that took it away)
        self.restored = []
        dma_after = []          # per DMA: how many messages came before it
        for line in text.splitlines():
            m = _RECORD_RE.match(line)
            d = None if m else _DMA_RE.match(line)
            if m:
                self.messages.append(Message(m, line))
            elif d:
                dma_after.append((Dma(d), len(self.messages)))
            elif line.strip():
                self.unreadable += 1
        self._dma_after = dma_after
        self._replay()

    def _replay(self):
        self._seqs = sorted(m.seq for m in self.messages)
        live = {}               # iova -> the MAP message of a live mapping
        starts = []             # their iovas, sorted
        gone = {}               # iova -> (MAP removed, UNMAP removing it)
        pending = list(self._dma_after)
        for i, m in enumerate(self.messages):
            while pending and pending[0][1] == i:
                self.dmas.append((pending.pop(0)[0], dict(live)))
            if m.op == "MAP" and m.ok:
                self._restore_check(m, gone)
                live[m.iova] = m
                bisect.insort(starts, m.iova)
            elif m.op == "UNMAP" and m.ok:
                lo = 0 if m.all else bisect.bisect_left(starts, m.iova)
                while lo < len(starts) and (m.all or starts[lo] <= m.last):
                    old = live[starts[lo]]
                    if not m.all and old.last > m.last:
                        break
                    m.removed.append(old)
                    gone[old.iova] = (old, m)
                    del live[starts[lo]]
                    del starts[lo]
            elif not m.ok:
                m.inside = _containing(live, starts, m)
            self._forget(gone, m)
        self.dmas += [(d, dict(live)) for d, _ in pending]
        self.final = dict(live)

    def _restore_check(self, m, gone):
        """m maps back what an UNMAP took away, with no other message to
        the device in between (seq counts every message: a gap is the
        guest at work, as when it detaches a device and attaches it
        again)."""
        was = gone.get(m.iova)
        if was is not None and was[0].key == m.key and \
                self._unbroken(was[1].seq, m.seq):
            self.restored.append((m, was[1]))

    def _unbroken(self, first, last):
        seqs = self._seqs
        i = bisect.bisect_left(seqs, first)
        j = bisect.bisect_left(seqs, last)
        return j < len(seqs) and seqs[i] == first and seqs[j] == last and \
            j - i == last - first

    @staticmethod
    def _forget(gone, m):
        """A removed mapping is restored only by the next message touching
        its range."""
        for iova in [i for i, (old, rm) in gone.items()
                     if rm is not m and old.iova <= m.last and m.iova <= old.last]:
            del gone[iova]


class Dma:
    """One DMA line of a record: what the device did through the table."""

    def __init__(self, m):
        self.iova = int(m.group("iova"), 16)
        self.size = int(m.group("size"), 16)
        self.dir = m.group("dir")
        self.blocked = int(m.group("blocked"), 16)

    def __str__(self):
        return "DMA %s iova=0x%x size=0x%x blocked=0x%x" % (
            self.dir, self.iova, self.size, self.blocked)


def _containing(live, starts, m):
    """The live mapping m's range lies strictly inside, or None."""
    i = bisect.bisect_right(starts, m.iova) - 1
    if i < 0:
        return None
    old = live[starts[i]]
    inside = old.iova <= m.iova and m.last <= old.last
    return old if inside and old.size > m.size else None


# ------------------------------------------ QEMU behaviours, invariants

class Behaviour:
    """A known QEMU behaviour that breaks the invariants: the QEMU versions
    that have it (an expectation in lib/xfail.h's syntax: `qemu` alone is
    a bug still open upstream) and the messages it sends (sends(m, aw))."""

    def __init__(self, expectation, sends):
        self.expectation = expectation
        self.bound = crossver.Bound(expectation)
        self.sends = sends


def _pow2_chunk(m):
    return m.size and not m.size & (m.size - 1) and not m.iova % m.size


def _whole_section(m):
    # The sections of intel-iommu's per-device region that vfio listens to:
    # below the interrupt window, and from above it to 2^64.
    return (m.iova, m.last) in ((0, 0xfedfffff), (0xfef00000, (1 << 64) - 1))


# Global context-cache invalidations, SRTP and TE changes: QEMU's
# vtd_address_space_unmap unmaps every notifier's whole range in
# naturally aligned power-of-two chunks, and when the device's address
# space switches between the IOMMU region and memory, vfio's listener
# unmaps each section of the region whole, to 2^64.  Mapped or not:
# UNMAPs of nothing, of what the last sweep unmapped, beyond the guest's
# width, and live mappings removed then mapped back by the replay (no
# translation in between).  6.1: the shadow follows the guest's changes;
# nothing changed.
SWEEP = Behaviour(
    "qemu spec=6.1: QEMU vtd_address_space_unmap and vfio's region_del unmap "
    "the whole IOMMU range on a global context invalidation, SRTP or TE "
    "change, mapped or not (chunks, and each section to 2^64)",
    lambda m, aw: m.op == "UNMAP" and (_pow2_chunk(m) or _whole_section(m)))

# A large leaf split into a table (a non-leaf entry changed, PSI with the
# large page's mask): QEMU's vtd_page_walk_one meets the first small leaf
# inside the large mapping, "unmaps" the small leaf alone — an UNMAP
# cutting the large mapping (EINVAL) — then maps each small leaf over it
# (EEXIST).  The large mapping stays: a leaf changed in the new table is
# never seen.
SPLIT = Behaviour(
    "qemu spec=6.1,6.5.2.3: QEMU vtd_page_walk_one: a large leaf split into "
    "a table stays mapped; the small leaves' UNMAP cuts it (EINVAL), their "
    "MAPs overlap it (EEXIST)",
    lambda m, aw: not m.ok and m.inside is not None)


class Invariant:
    """One rule each served device's record is held to: what breaks it
    (breaks(record, aw) -> [(message, text)]), what it rests on, and the
    known QEMU behaviours that may explain a break."""

    SHOWN = 3               # offending messages printed per check

    def __init__(self, key, text, rule, breaks, explained_by=()):
        self.key = key
        self.text = text
        self.rule = rule
        self.breaks = breaks
        self.explained_by = list(explained_by)

    def _explain(self, bad, aw, version):
        """The behaviour (inside its QEMU versions) that sent every one
        of the offending messages, or None."""
        for b in self.explained_by:
            if (version is None or b.bound.holds(version)) and \
                    all(b.sends(m, aw) for m, _ in bad):
                return b
        return None

    def lines(self, number, name, record, aw, version):
        desc = "vfio-user %s: %s" % (name, self.text)
        if self.key == "width" and aw is None:
            return ["ok %d - %s # SKIP the guest's address width is unknown\n"
                    % (number, desc)]
        bad = self.breaks(record, aw)
        if not bad:
            return ["ok %d - %s\n" % (number, desc)]
        why = self._explain(bad, aw, version)
        out = ["not ok %d - %s%s\n" % (number, desc, " # TODO " + why.expectation
                                        if why else "")]
        out.append("#   %d of %d messages (%s)%s:\n" % (
            len(bad), len(record.messages), self.rule,
            "" if why or not self.explained_by else
            ", not all of them what a known QEMU behaviour sends"))
        out += ["#     %s\n" % text for _, text in bad[:self.SHOWN]]
        return out


def _messages(pred):
    return lambda record, aw: [(m, m.text) for m in record.messages if pred(m, aw)]


def _restored(record, aw):
    return [(rm, "%s (removed by seq=%d)" % (mp.text, rm.seq))
            for mp, rm in record.restored if rm.size > mp.size]


def _unreadable(record, aw):
    return [(None, "%d line(s) not understood" % record.unreadable)] \
        if record.unreadable else []


# The invariants, in the order they are reported.  VFIO type1 refuses a
# DMA_MAP touching a mapping (EEXIST) and a DMA_UNMAP an end of which
# falls inside one (EINVAL); the rest are the shadowing invariants of
# harness/shadow: the notifier layer sends the diff of the guest's
# tables, so an UNMAP removes what was mapped, inside the guest's
# address width, and an unchanged mapping is never taken away.
INVARIANTS = (
    Invariant("record", "the record is complete and readable",
              "every line a DMA_MAP or DMA_UNMAP", _unreadable),
    Invariant("map-refused", "no DMA_MAP refused",
              "VFIO type1: a MAP may not touch an existing mapping (EEXIST)",
              _messages(lambda m, aw: m.op == "MAP" and not m.ok), [SPLIT]),
    Invariant("unmap-refused", "no DMA_UNMAP refused",
              "VFIO type1: an UNMAP may not cut a mapping (EINVAL)",
              _messages(lambda m, aw: m.op == "UNMAP" and not m.ok), [SPLIT]),
    Invariant("width", "no DMA_MAP or DMA_UNMAP beyond the guest's address width",
              "an IOVA the guest's tables cannot hold",
              _messages(lambda m, aw: m.iova + m.size > (1 << aw)), [SWEEP]),
    Invariant("duplicate", "no DMA_UNMAP of extents already unmapped",
              "an UNMAP removes what was mapped: a duplicate removed nothing",
              _messages(lambda m, aw: m.op == "UNMAP" and m.note == "duplicate"),
              [SWEEP]),
    Invariant("nothing", "no DMA_UNMAP where nothing was mapped",
              "an UNMAP removes what was mapped: this one removed nothing",
              _messages(lambda m, aw: m.op == "UNMAP" and m.note == "nothing"),
              [SWEEP]),
    Invariant("restored", "no mapping taken away and mapped back unchanged",
              "an unchanged mapping stays: in between the device had none",
              _restored, [SWEEP]),
)


_SUMMARY_RE = re.compile(r"^vfio-user: (\d+ messages |maps |edu DMAs )")


def _summary(text):
    """The server's closing summary lines, without their prefix."""
    return [ln[len("vfio-user: "):].strip() for ln in text.splitlines()
            if _SUMMARY_RE.match(ln)]


_read = tap.read_text
_write = report._write


# ------------------------------------ QEMU's record against the model's
#
# The model's assigned edu (vtdhost -device edu,x-assigned=on) writes the
# same record from the notifier layer's events (harness/shadow/record.h).
# Where the architecture determines it, the two must agree: what the
# device can reach at each of its DMAs (the host table is the guest's
# tables for that device as of the last invalidation, VT-d 6.1) and when
# the device lets go.  Untranslated (TE off, pass-through) the device
# reaches guest memory as it is; which ranges are memory, and which are
# ROM, is the platform's (QEMU's PAM and BIOS ROM), so such a state is
# compared as "untranslated", not range by range.  The invariants above
# hold the model to VFIO type1's rules and the shadowing invariants with
# no excuse; QEMU breaks them only as the known behaviours send.

UNTRANSLATED = "untranslated"

# A write-only leaf (W without R, VT-d 9.8) is shadowed READ|WRITE by QEMU:
# vtd_page_walk_one's permission is the entry's R|W, and vfio maps a
# write-only translation readable (type1 has no write-only mapping on
# x86's host IOMMUs).  The device reads through it.
WRITE_ONLY = Behaviour(
    "qemu spec=6.1,9.8: QEMU shadows a write-only leaf READ|WRITE "
    "(DMA_MAP perm=rw): the assigned device reads through it",
    None)


def _extents(live):
    """A table's live mappings (iova -> MAP message) as merged extents
    (first, last, offset - iova, perm) of those with memory (fd=1), or
    UNTRANSLATED when guest memory is mapped at itself."""
    out = []
    for iova in sorted(live):
        m = live[iova]
        _, _, offset, fd, perm = m.key
        if fd != "1":
            continue
        delta = int(offset, 16) - m.iova
        if delta == 0 and m.iova <= 0x100000 <= m.last and m.size >= 1 << 20:
            return UNTRANSLATED
        if out and out[-1][1] + 1 == m.iova and out[-1][2:] == (delta, perm):
            out[-1] = (out[-1][0], m.last, delta, perm)
        else:
            out.append((m.iova, m.last, delta, perm))
    return out


class RecordCheck:
    """One check of the comparison of a served device's records."""

    def __init__(self, desc, ok, why=None, details=()):
        self.desc = desc
        self.ok = ok
        self.why = why              # Behaviour explaining a failure, or None
        self.details = list(details)

    def tap(self, number):
        line = "%s %d - %s" % ("ok" if self.ok else "not ok", number, self.desc)
        if not self.ok and self.why is not None:
            line += " # TODO " + self.why.expectation
        return [line] + ["#   " + d for d in self.details[:Invariant.SHOWN]]

    @property
    def passed(self):
        """ok, or a failure a known QEMU behaviour explains."""
        return self.ok or self.why is not None


COMPARE_CHECKS = len(INVARIANTS) + 2


def compare_records(name, qtext, mtext, aw, version):
    """[RecordCheck], COMPARE_CHECKS of them: served device name's record
    under QEMU (qtext) against the model's (mtext)."""
    q, m = Record(qtext), Record(mtext)
    out = []
    for inv in INVARIANTS:
        desc = "%s records: %s" % (name, inv.text)
        if inv.key == "width" and aw is None:
            out.append(RecordCheck(desc + " (address width unknown)", True))
            continue
        mbad = inv.breaks(m, aw)
        if mbad:
            out.append(RecordCheck(desc + ": the model breaks it", False, None,
                                   [t for _, t in mbad]))
            continue
        qbad = inv.breaks(q, aw)
        why = inv._explain(qbad, aw, version) if qbad else None
        out.append(RecordCheck(desc, not qbad, why,
                               ["QEMU: " + t for _, t in qbad] if qbad else ()))
    out.append(_same_dmas(name, q, m, version))
    out.append(_same_final(name, q, m))
    return out


def _perm_at(live, iova):
    for m in live.values():
        if m.iova <= iova <= m.last:
            return m.key[4]
    return None


def _same_dmas(name, q, m, version):
    """The same transfers, each blocked or not alike.  Addresses are not
    compared: the firmware's buffers sit at other guest-physical pages on
    each machine (its allocator over another memory map), and with them
    the IOVAs of identity and pass-through transfers."""
    desc = "%s records: the same DMAs, each blocked alike" % name
    if len(q.dmas) != len(m.dmas):
        return RecordCheck(desc, False, None, ["QEMU %d, model %d"
                                               % (len(q.dmas), len(m.dmas))])
    bad, whys = [], []
    for i, ((a, qlive), (b, mlive)) in enumerate(zip(q.dmas, m.dmas)):
        if (a.dir, a.size, bool(a.blocked)) == (b.dir, b.size, bool(b.blocked)):
            continue
        why = None
        if a.dir == b.dir == "read" and not a.blocked and b.blocked and \
                _perm_at(qlive, a.iova) == "rw" and _perm_at(mlive, b.iova) == "-w":
            why = WRITE_ONLY
        elif any(not x.ok and x.inside for x in q.messages[:_dma_upto(q, i)]):
            why = SPLIT
        if why is not None and version is not None and not why.bound.holds(version):
            why = None
        whys.append(why)
        bad.append("DMA %d: QEMU %s, model %s" % (i + 1, a, b))
    if not bad:
        return RecordCheck(desc, True)
    known = [w for w in whys if w is not None]
    why = None if len(known) < len(whys) else \
        (SPLIT if SPLIT in known else WRITE_ONLY)
    return RecordCheck(desc, False, why, bad)


def _dma_upto(rec, i):
    """How many messages came before DMA i of rec."""
    return rec._dma_after[i][1] if i < len(rec._dma_after) else len(rec.messages)


def _same_final(name, q, m):
    """What the device can reach when it lets go: compared as the IOVA
    ranges and rights (the pages behind them differ between machines)."""
    desc = "%s records: the same IOVAs mapped, with the same rights, when " \
           "the device let go" % name
    def shape(live):
        e = _extents(live)
        return e if e == UNTRANSLATED else [(lo, hi, perm) for lo, hi, _, perm in e]
    a, b = shape(q.final), shape(m.final)
    return RecordCheck(desc, a == b, None, [] if a == b else
                       ["QEMU %s" % (a,), "model %s" % (b,)])


def model_device(value):
    """The model's -device value for a QEMU configuration's device: a
    served edu (vfio-user-pci naming @NAME) becomes an edu behind a host
    container on the same slot, its record at @NAME (the runner puts it in
    the run's directory); any other device is itself."""
    dev = device_json(value)
    name = served_by(dev)
    if name is None:
        return value
    slot, fn = _slot("", name, dev)
    return "edu,addr=0x%x,dma_mask=0xffffffffffffffff,x-assigned=on," \
           "x-record=%s%s" % (slot, SOCKET_WORD, name) if not fn else \
        "edu,addr=0x%x.%x,dma_mask=0xffffffffffffffff,x-assigned=on," \
        "x-record=%s%s" % (slot, fn, SOCKET_WORD, name)


_RECORD_WORD_RE = re.compile(r"x-record=@([A-Za-z][A-Za-z0-9_-]*)")


def model_records(devices):
    """The server names whose records a model run writes."""
    return [n for d in devices for n in _RECORD_WORD_RE.findall(d)]


def model_devices_in(devices, directory):
    """The model's -device values with each record in directory."""
    return [_RECORD_WORD_RE.sub(lambda mo: "x-record=" + os.path.join(
        directory, mo.group(1) + ".record"), d) for d in devices]
