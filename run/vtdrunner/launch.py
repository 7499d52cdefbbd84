# SPDX-License-Identifier: GPL-2.0-or-later
"""Booting one (test, configuration) pair and judging it."""

import os
import shlex
import shutil
import signal
import subprocess
import threading
import time

from . import tap
from .verdict import Verdict, classify, last_line


class Run:
    """One boot: what to run, and once done, what came of it."""

    def __init__(self, test, config, directory, cmd, timeout, skip_reason=None,
                 error_reason=None, machine="qemu", prepare=None, qemu=None,
                 finish=None):
        self.test = test
        self.qemu = qemu                    # qemus.Qemu, for QEMU runs
        self.config = config
        self.machine = machine              # "qemu" or "model" (vtdhost)
        self.id = "%s%s@%s" % ("model:" if machine == "model" else "",
                               test.name, config.name)
        self.program = "vtdhost" if machine == "model" else "QEMU"
        # What the program prints besides the serial stream.
        self.out_file, self.err_file = (("vtdhost.out", "vtdhost.err")
                                        if machine == "model" else
                                        ("qemu.out", "qemu.err"))
        self.dir = directory
        self.cmd = cmd
        self.timeout = timeout
        self.skip_reason = skip_reason      # decided before booting
        self.error_reason = error_reason    # decided before booting
        # Called with the emptied run directory before booting: fills in
        # what the command line names there; returns None or why not.
        self.prepare = prepare
        # Its counterpart, called once the run is over (booted or not),
        # before its verdict is written: finish(run, verdict, reason)
        # ends what prepare started and returns the verdict and reason,
        # made more severe by checks of its own (which it adds to
        # run.serial and run.guest).
        self.finish = finish
        # Filled in by execute().
        self.verdict = None
        self.reason = None
        self.status = None
        self.wall = 0.0
        self.guest = tap.GuestTap("")
        self.serial = ""
        # Set when the run could not even start (no image, no QEMU): such a
        # run never counts as a self-test's expected ERROR.
        self.not_started = False

    @property
    def expect(self):
        return self.test.expect

    @property
    def ok(self):
        """Whether this run is acceptable: its expected verdict for a
        self-test, SUCCESS or SKIP otherwise."""
        if self.not_started:
            return False
        if self.expect is not None:
            return self.verdict == self.expect
        return self.verdict in (Verdict.SUCCESS, Verdict.SKIP)

    def path(self, name):
        return os.path.join(self.dir, name)


TRACE_LOG = "trace.log"
TRACE_SERIAL = "trace-serial.log"
TRACE_VERDICT = "trace-verdict"


def trace_args(directory):
    """QEMU's VT-d trace events and guest errors, into the run's directory."""
    return ["-trace", "vtd_*", "-d", "guest_errors",
            "-D", os.path.join(directory, TRACE_LOG)]


class Launcher:
    """Runs QEMU processes, each in its own process group so a timeout or an
    interrupt kills QEMU and anything it started.

    retrace: a QEMU run that does not end as expected is booted once more
    with QEMU's VT-d trace events on (trace_args); its trace, serial log
    and verdict are kept beside the run's own (trace.log,
    trace-serial.log, trace-verdict), the run's verdict stays the first
    boot's."""

    KILL_GRACE = 2.0

    def __init__(self, retrace=True):
        self._lock = threading.Lock()
        self._live = set()
        self.stopping = False
        self.retrace = retrace

    def kill_all(self):
        self.stopping = True
        # Under the lock: a process in _live has not been reaped yet, so its
        # group id is still its own.
        with self._lock:
            for proc in self._live:
                _kill_group(proc.pid, signal.SIGKILL)

    def execute(self, run):
        _fresh_dir(run.dir)
        with open(run.path("cmdline"), "w", encoding="utf-8") as f:
            f.write(shlex.join(run.cmd) + "\n")
        for name in ("serial.log", run.out_file, run.err_file):
            open(run.path(name), "wb").close()
        start = time.monotonic()
        if run.prepare and not (run.error_reason or run.skip_reason or self.stopping):
            run.error_reason = run.prepare(run.dir)
        if run.error_reason:
            run.not_started = True
            _finish(run, Verdict.ERROR, run.error_reason, start)
        elif run.skip_reason:
            _finish(run, Verdict.SKIP, run.skip_reason, start)
        elif self.stopping:
            _finish(run, Verdict.ERROR, "interrupted before it started", start)
        else:
            self._boot(run, start)
            # A run with a finish hook has processes beside QEMU (served
            # devices): its own records are kept instead of a retrace.
            if self.retrace and not run.ok and run.machine == "qemu" and \
                    not self.stopping and "-trace" not in run.cmd and \
                    run.finish is None:
                self._trace(run)
        return run

    def _trace(self, run):
        """Boot run again with the trace on, into files of its own."""
        serial = run.path("serial.log")
        cmd = [("file:" + run.path(TRACE_SERIAL)) if a == "file:" + serial else a
               for a in run.cmd] + trace_args(run.dir)
        again = Run(run.test, run.config, run.dir, cmd, run.timeout,
                    machine=run.machine, qemu=run.qemu)
        again.out_file, again.err_file = "trace-qemu.out", "trace-qemu.err"
        saved = {name: _read_bytes(run.path(name)) for name in ("verdict",)}
        self._boot(again, time.monotonic(), serial_name=TRACE_SERIAL)
        # _boot wrote the rerun's verdict file; keep it aside, restore ours.
        os.replace(run.path("verdict"), run.path(TRACE_VERDICT))
        with open(run.path("verdict"), "wb") as f:
            f.write(saved["verdict"])
        with open(run.path("verdict"), "a", encoding="utf-8") as f:
            f.write("trace: %s (rerun with -trace vtd_*: %s)\n" % (
                TRACE_LOG, again.verdict))

    def _boot(self, run, start, serial_name="serial.log"):
        with open(run.path(run.out_file), "wb") as out, \
                open(run.path(run.err_file), "wb") as err:
            try:
                proc = subprocess.Popen(run.cmd, stdin=subprocess.DEVNULL, stdout=out,
                                        stderr=err, start_new_session=True)
            except OSError as e:
                run.not_started = True
                _finish(run, Verdict.ERROR, "cannot start %s (%s): %s"
                        % (run.program, run.cmd[0], e.strerror or e), start)
                return
            with self._lock:
                self._live.add(proc)
            timed_out = not _wait_exit(proc.pid, run.timeout)
            if timed_out:
                _kill_group(proc.pid, signal.SIGTERM)
                if not _wait_exit(proc.pid, self.KILL_GRACE):
                    _kill_group(proc.pid, signal.SIGKILL)
            # The leader is a zombie now and still holds its group id: kill
            # whatever QEMU (or a wrapper) left behind, then reap it.
            with self._lock:
                self._live.discard(proc)
                _kill_group(proc.pid, signal.SIGKILL)
            status = proc.wait()
        run.status = status
        run.serial = tap.read_text(run.path(serial_name))
        run.guest = tap.GuestTap(run.serial)
        if timed_out:
            last = last_line(run.serial)
            reason = "no verdict within %gs" % run.timeout
            reason += "; last serial line: %r" % last.strip()[:100] if last else \
                "; serial log empty"
            _finish(run, Verdict.TIMEOUT, reason, start)
            return
        if self.stopping:
            _finish(run, Verdict.ERROR, "interrupted", start)
            return
        v, reason = classify(status, run.serial, tap.read_text(run.path(run.err_file)),
                             run.program)
        if v in (Verdict.SUCCESS, Verdict.SKIP) and run.guest.failed:
            # A third signal: the checks themselves.  A result line that
            # hides failed checks is a broken reporting path.
            v, reason = Verdict.CRASH, ("exit status and result line say %s but %d "
                                        "check(s) are not ok" % (v, run.guest.failed))
        elif v != Verdict.SUCCESS and reason is None:
            reason = run.guest.reason(v.value)
        _finish(run, v, reason, start)


def _finish(run, v, reason, start):
    if run.finish is not None:
        v, reason = run.finish(run, v, reason)
    run.verdict = v
    run.reason = reason
    run.wall = time.monotonic() - start
    with open(run.path("verdict"), "w", encoding="utf-8") as f:
        f.write("%s\n" % v)
        if reason:
            f.write("reason: %s\n" % " ".join(reason.split()))
        if run.expect is not None:
            f.write("expect: %s\n" % run.expect)
        if run.status is not None:
            f.write("status: %d\n" % run.status)
        if run.qemu is not None and run.qemu.version:
            f.write("qemu: %s\n" % run.qemu.version)
        f.write("time: %.3f\n" % run.wall)
        f.write("checks: %s\n" % run.guest.tally_text())


def _wait_exit(pid, timeout):
    """Wait until pid has exited, without reaping it; False on timeout."""
    deadline = time.monotonic() + timeout
    pause = 0.001
    while True:
        try:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return True
        except ChildProcessError:
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(pause, left))
        pause = min(pause * 2, 0.02)


def _kill_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _fresh_dir(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    os.makedirs(path, exist_ok=True)


def _read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


