# SPDX-License-Identifier: GPL-2.0-or-later
"""The TAP the runner's own tests print: one numbered point per check,
diagnostics under a failed one, the plan at the end; and where those
tests find the runner (imported, it puts run/ on the module path) and
the stand-in QEMU."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
VTDRUN = os.path.join(TOP, "run", "vtdrun")
FAKE = os.path.join(HERE, "fakeqemu")
FAKE_TESTS = os.path.join(HERE, "fake-tests.cfg")

sys.dont_write_bytecode = True
if os.path.join(TOP, "run") not in sys.path:
    sys.path.insert(0, os.path.join(TOP, "run"))

number = 0
failures = 0


def ok(cond, name, *diag):
    """One test point; diag is printed under it when cond is false."""
    global number, failures
    number += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", number, name))
    if not cond:
        failures += 1
        for d in diag:
            for line in str(d).splitlines():
                print("#   " + line)
    sys.stdout.flush()
    return cond


def raises(call, error, name, contains=None):
    """One test point: call() raises error (whose text holds contains)."""
    try:
        call()
    except error as e:
        return ok(contains is None or contains in str(e), name, e)
    return ok(False, name, "no error raised")


def finish():
    """The plan, and the exit status prove reads."""
    print("1..%d" % number)
    sys.exit(1 if failures else 0)
