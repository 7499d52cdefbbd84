# SPDX-License-Identifier: GPL-2.0-or-later
"""Verdicts of a run, their order, and how a run is classified.

A run has one verdict, most severe wins:
SUCCESS < SKIP < FAILURE < ERROR < CRASH = TIMEOUT.
The runner never trusts one signal: the guest's isa-debug-exit status and
its final serial line must agree, or the run is a CRASH.
"""

import enum
import re
import signal


class Verdict(enum.Enum):
    SUCCESS = "SUCCESS"
    SKIP = "SKIP"
    FAILURE = "FAILURE"
    ERROR = "ERROR"
    CRASH = "CRASH"
    TIMEOUT = "TIMEOUT"

    @property
    def severity(self):
        """CRASH and TIMEOUT share the worst tier."""
        return _SEVERITY[self]

    def __str__(self):
        return self.value


_SEVERITY = {
    Verdict.SUCCESS: 0,
    Verdict.SKIP: 1,
    Verdict.FAILURE: 2,
    Verdict.ERROR: 3,
    Verdict.CRASH: 4,
    Verdict.TIMEOUT: 4,
}

# What the guest may claim: the values it writes to isa-debug-exit.  QEMU
# exits with (value << 1) | 1, so every claim is an odd status above 1, and a
# triple fault under -no-reboot (status 0) or a QEMU error (status 1) can
# never pass for one.
GUEST_EXIT_VALUE = {
    Verdict.SUCCESS: 0x10,
    Verdict.SKIP: 0x11,
    Verdict.FAILURE: 0x12,
    Verdict.ERROR: 0x13,
}
STATUS_VERDICT = {(v << 1) | 1: verdict for verdict, v in GUEST_EXIT_VALUE.items()}

RESULT_LINE_RE = re.compile(r"^# vtdprobe result: (SUCCESS|SKIP|FAILURE|ERROR)$")


def parse(name):
    """A verdict from its name (case-insensitive); ValueError otherwise."""
    try:
        return Verdict(name.strip().upper())
    except ValueError:
        raise ValueError("unknown verdict %r (one of %s)"
                         % (name, ", ".join(v.value for v in Verdict))) from None


def worst(verdicts):
    """The most severe verdict of a non-empty iterable (first of a tier)."""
    out = None
    for v in verdicts:
        if out is None or v.severity > out.severity:
            out = v
    return out


def last_line(serial_text):
    """The last non-empty line of the serial stream, without its newline."""
    for line in reversed(serial_text.splitlines()):
        line = line.rstrip("\r")
        if line.strip():
            return line
    return None


def _signal_name(signo):
    try:
        return signal.Signals(signo).name
    except ValueError:
        return "signal %d" % signo


def _shorten(text, limit=100):
    text = text.strip()
    return text if len(text) <= limit else text[:limit - 3] + "..."


def classify(status, serial_text, qemu_err_text="", program="QEMU"):
    """(verdict, reason) of a QEMU run that ended by itself.

    status: the QEMU exit status as subprocess reports it (negative: the
    signal that killed it).  serial_text: everything the guest wrote on COM1.
    program: what ran, for the messages (vtdhost exits as QEMU would).
    """
    final = last_line(serial_text)
    m = RESULT_LINE_RE.match(final) if final is not None else None
    claimed = Verdict(m.group(1)) if m else None
    if final is None:
        seen = "the serial log is empty"
    elif claimed is None:
        seen = "no result line (last serial line: %r)" % _shorten(final)
    else:
        seen = "serial says %s" % claimed

    if status < 0:
        return Verdict.CRASH, "%s killed by %s; %s" % (program, _signal_name(-status),
                                                      seen)
    if status == 0:
        return Verdict.CRASH, ("%s exited with status 0 (triple fault or "
                               "shutdown without a result); %s" % (program, seen))
    if status == 1:
        err = last_line(qemu_err_text) if qemu_err_text else None
        why = ": %s" % _shorten(err, 160) if err else ""
        return Verdict.CRASH, "%s failed (status 1)%s; %s" % (program, why, seen)
    by_status = STATUS_VERDICT.get(status)
    if by_status is None:
        return Verdict.CRASH, "unexpected %s exit status %d; %s" % (program, status, seen)
    if claimed is None:
        return Verdict.CRASH, "exit status %d says %s but %s" % (status, by_status, seen)
    if claimed != by_status:
        return Verdict.CRASH, "exit status %d says %s but %s" % (status, by_status, seen)
    return by_status, None
