#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The UEFI runs against the multiboot runs, check for check.

Every run of the test table in a configuration with `boot = efi` boots
the same firmware as the multiboot run of the configuration it is the
`same_as` of, on the same machine: the two must agree on the verdict and
on every check, in order, with the same outcome (the comparison's own:
pass, fail, skip, xfail, xpass; run/vtdrunner/compare.py) and the same
name once the numbers in it (times, addresses, as the comparison masks
them) and the name of the ACPI root table (XSDT under UEFI, RSDT under
SeaBIOS) are masked.

Reads the run directories run/guest.t leaves (build/results/system by default;
--results DIR), so it runs after it.  One TAP test point per pair.
"""

import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(TOP, "run"))

from vtdrunner import compare as checks, crossver, tables  # noqa: E402

# Words that name what the firmware handed over rather than what was
# checked: UEFI hands over an ACPI 2.0 RSDP and an XSDT, SeaBIOS a
# revision 0 RSDP and an RSDT, with the same tables behind them.
_PLATFORM_RE = re.compile(r"\b[RX]SDT\b")
SHOW = 5        # differing checks shown per pair


def masked(c):
    return _PLATFORM_RE.sub("RSDT/XSDT", checks.mask(c.description))


def load(results, run_id):
    """(verdict, GuestTap) of a finished run, or (None, why)."""
    try:
        run = crossver.LoadedRun(run_id, os.path.join(results, run_id))
    except OSError as e:
        return None, "%s: %s" % (run_id, e.strerror)
    if run.verdict is None:
        return None, "%s: no verdict" % run_id
    return run.verdict, run.guest


def compare(efi_id, mb_id, results):
    """(matched checks, [differences]) of one pair."""
    ev, et = load(results, efi_id)
    mv, mt = load(results, mb_id)
    if ev is None or mv is None:
        return 0, [et if ev is None else mt]
    diffs = []
    if ev != mv:
        diffs.append("verdict: %s %s, %s %s" % (efi_id, ev, mb_id, mv))
    matched = 0
    for i in range(max(len(et.checks), len(mt.checks))):
        e = et.checks[i] if i < len(et.checks) else None
        m = mt.checks[i] if i < len(mt.checks) else None
        if e is None or m is None:
            c = e or m
            diffs.append("check %d only in %s: %s %s" % (
                i + 1, efi_id if e else mb_id, checks.outcome(c), c.description))
            continue
        if checks.outcome(e) != checks.outcome(m) or masked(e) != masked(m):
            diffs.append("check %d: %s \"%s\" / %s \"%s\"" % (
                i + 1, checks.outcome(e), e.description,
                checks.outcome(m), m.description))
            continue
        matched += 1
    return matched, diffs


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--results", default=os.path.join(TOP, "build", "results", "system"))
    p.add_argument("--configs", default=os.path.join(TOP, "run", "configs.cfg"))
    p.add_argument("--tests", default=os.path.join(TOP, "run", "tests.cfg"))
    args = p.parse_args()

    configs = tables.load_configs(args.configs)
    tests = tables.load_tests(args.tests, configs)
    pairs = []
    for t in tests:
        for c in t.configs:
            cfg = configs[c]
            if cfg.boot == "efi" and cfg.same_as:
                pairs.append((t, "%s@%s" % (t.name, c),
                              "%s@%s" % (t.name, cfg.same_as),
                              cfg.same_as in t.configs))

    print("TAP version 13")
    print("1..%d" % len(pairs))
    total = matched_total = 0
    bad = 0
    for n, (t, efi_id, mb_id, twin_listed) in enumerate(pairs, 1):
        if not twin_listed:
            print("not ok %d - %s: the test does not run in %s, nothing to "
                  "compare with" % (n, efi_id, mb_id.split("@")[1]))
            bad += 1
            continue
        matched, diffs = compare(efi_id, mb_id, args.results)
        total += matched + sum(1 for d in diffs if d.startswith("check"))
        matched_total += matched
        if diffs:
            bad += 1
            print("not ok %d - %s differs from %s" % (n, efi_id, mb_id))
            for d in diffs[:SHOW]:
                print("#   %s" % d)
            if len(diffs) > SHOW:
                print("#   ... %d more" % (len(diffs) - SHOW))
        else:
            print("ok %d - %s matches %s: %d checks" % (n, efi_id, mb_id, matched))
    print("# %d pairs, %d checks compared, %d matched, %d pairs differ"
          % (len(pairs), total, matched_total, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
