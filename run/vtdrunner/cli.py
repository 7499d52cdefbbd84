# SPDX-License-Identifier: GPL-2.0-or-later
"""Command line of vtdrun."""

import argparse
import concurrent.futures
import copy
import fnmatch
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

from . import (assigned, batch, compare, crossver, efi, launch, qemus, report,
               stub, tables, tap, verdict)

EXIT_OK, EXIT_RUNS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

USAGE_EPILOG = """\
A run is one test booted in one configuration, named test@config.  Each run
gets a directory RESULTS/QEMU/test@config/ with serial.log (the guest's
COM1), qemu.out and qemu.err (QEMU's own output), cmdline (the exact QEMU
command) and verdict; QEMU is the QEMU's short name (vtdrun --list-qemus),
or qemu-VERSION for any other command, and the model's runs go to
RESULTS/model/.  RESULTS/QEMU/results.tap and junit.xml cover all runs.

Verdicts, least to most severe: SUCCESS SKIP FAILURE ERROR CRASH/TIMEOUT.
The exit status is 0 when every run is SUCCESS or SKIP (a test with
`expect = VERDICT` must produce exactly that verdict instead), 1 otherwise,
2 for a usage or table error.

environment:
  QEMU    the QEMU: a name of --list-qemus, a version (10.0), or a command
          (default: system, qemu-system-x86_64); may carry arguments
  ACCEL   tcg (default) or kvm

examples:
  vtdrun --group default           the default suite
  vtdrun --list-qemus              the QEMUs this machine has
  vtdrun --qemu 11.1 -c sm         one configuration on QEMU 11.1
  vtdrun --qemu all -g default     the default suite on every QEMU, then
                                   each QEMU against the first, check by check
  vtdrun --qemu ~/qemu/build/qemu-system-x86_64 scenarios@cm
                                   your own build
  vtdrun --compare-results build/results/system build/results/11.1
                                   two result directories, check by check
  vtdrun --tap --group selftest    the runner's self-tests, as TAP for prove
  vtdrun -f 'smoke@*' -j 2         one test in every configuration it lists
  vtdrun --guest smoke -c cm -c sm a guest test that is not in the table
  vtdrun --list                    what would run
  vtdrun --check-configs           boot a stand-in image in every configuration
  vtdrun -c efi                    the tests of the default machine, booted by
                                   OVMF as a UEFI application (boot = efi)

the model (vtdhost, the firmware's tests on the hosted VT-d model):
  vtdrun --model                   every test in every configuration of
                                   run/model-configs.cfg; RESULTS/model/
  vtdrun --model -c aw57 scenarios one test in one configuration
  vtdrun --compare -c default      QEMU's runs, then the model's, and the
                                   checks whose verdicts differ
  vtdrun --compare --reuse         the same on QEMU results already in
                                   RESULTS (no boot)
"""


def _parser():
    p = argparse.ArgumentParser(
        prog="vtdrun", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Boot the vtdprobe firmware under QEMU in the configurations "
                    "of the test table and report verdicts.",
        epilog=USAGE_EPILOG)
    p.add_argument("patterns", nargs="*", metavar="FILTER",
                   help="same as -f FILTER")
    p.add_argument("-f", "--filter", action="append", default=[], metavar="PATTERN",
                   help="keep runs whose test@config contains PATTERN, or matches it "
                        "as a glob when it has * ? or [ (repeatable: any matches)")
    p.add_argument("-g", "--group", action="append", default=[],
                   help="keep tests of this group (repeatable: any matches)")
    p.add_argument("-c", "--config", action="append", default=[], metavar="NAME",
                   help="keep these configurations (name or glob, repeatable)")
    p.add_argument("--guest", metavar="NAMES",
                   help="run guest test(s) NAMES (comma-separated), not from the test "
                        "table, in the -c configurations (default: default)")
    p.add_argument("--check-configs", action="store_true",
                   help="boot a built-in stand-in image in every (or every -c) "
                        "configuration: checks QEMU accepts each command line")
    p.add_argument("--script", action="append", default=[], metavar="PATH",
                   help="pass a scenario script to every run as a multiboot module "
                        "(repeatable)")
    p.add_argument("--append", default="", metavar="WORDS",
                   help="further kernel command-line words for every run")
    p.add_argument("-l", "--list", action="store_true",
                   help="print the selected runs (test@config) and exit; with -v, "
                        "their QEMU command lines too")
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                   help="runs at a time (default: the number of CPUs)")
    p.add_argument("--tap", action="store_true",
                   help="print TAP on stdout, one test point per run (for prove)")
    p.add_argument("--timeout-scale", type=float, default=1.0, metavar="F",
                   help="multiply every timeout by F")
    p.add_argument("--accel", choices=tables.ACCELS,
                   help="tcg or kvm (default: $ACCEL, else tcg)")
    p.add_argument("--qemu", action="append", default=[], metavar="NAME",
                   help="the QEMU: a name --list-qemus prints, a version a known "
                        "QEMU reports, or a command (default: $QEMU, else the "
                        "system's); repeatable, or 'all': the runs on each, then "
                        "each compared with the first")
    p.add_argument("--against", metavar="DIR",
                   help="after the runs, compare each QEMU's results with the "
                        "result directory DIR check by check (a difference no "
                        "version bound explains fails)")
    p.add_argument("--boot", choices=efi.BOOTS, action="append", default=[],
                   help="keep configurations booted this way (multiboot, efi)")
    p.add_argument("--trace", action="store_true",
                   help="boot every run with QEMU's VT-d trace events on "
                        "(-trace 'vtd_*' -d guest_errors, into RUN/trace.log)")
    p.add_argument("--no-retrace", action="store_true",
                   help="do not boot a run that did not end as expected once "
                        "more with the trace on (the default keeps its "
                        "trace.log beside serial.log)")
    p.add_argument("--no-batch", action="store_true",
                   help="boot every test on its own (by default the tests of a "
                        "configuration that can share a boot run in one)")
    p.add_argument("--shard", metavar="I/N",
                   help="run the I-th of N shares of the selected runs (1-based), "
                        "split deterministically and evenly by expected cost; "
                        "join the shares' result directories with --merge")
    p.add_argument("--merge", nargs="+", metavar="DIR",
                   help="join result directories (roots or a QEMU's) into RESULTS: "
                        "the run directories, then one results.tap, junit.xml and "
                        "summary.txt per QEMU")
    p.add_argument("--list-qemus", action="store_true",
                   help="print the QEMUs vtdrun knows: name, version, command")
    p.add_argument("--compare-results", nargs=2, metavar=("A", "B"),
                   help="compare two result directories check by check (A the "
                        "reference, B the build under test); exit 0 when B has "
                        "no new failure")
    p.add_argument("--image", default=os.path.join(TOP, "build", "vtdprobe.elf"),
                   help="the firmware image (default: build/vtdprobe.elf)")
    p.add_argument("--efi-image", default=os.path.join(TOP, "build", "vtdprobe.efi"),
                   metavar="IMAGE", help="the UEFI image, for configurations with "
                   "boot = efi (default: build/vtdprobe.efi)")
    p.add_argument("--results", default=os.path.join(TOP, "build", "results"),
                   metavar="DIR", help="where run directories and result files go "
                                       "(default: build/results)")
    p.add_argument("--configs", default=os.path.join(TOP, "run", "configs.cfg"),
                   metavar="FILE", help="the configuration table (default: run/configs.cfg)")
    p.add_argument("--tests", default=os.path.join(TOP, "run", "tests.cfg"),
                   metavar="FILE", help="the test table (default: run/tests.cfg)")
    p.add_argument("--matrix", choices=("auto", "yes", "no"), default="auto",
                   help="print the test x configuration matrix (auto: when runs "
                        "span several configurations)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="print QEMU command lines, and the serial tail of bad runs")
    m = p.add_argument_group("the hosted model")
    m.add_argument("--model", action="store_true",
                   help="run on the hosted machine (vtdhost) in the configurations "
                        "of the model table instead of booting QEMU")
    m.add_argument("--compare", action="store_true",
                   help="after QEMU's runs, run the model in the configurations "
                        "mirroring theirs and compare check by check; a divergence "
                        "the divergence file does not explain fails")
    m.add_argument("--reuse", action="store_true",
                   help="with --compare: take QEMU's results from RESULTS instead "
                        "of booting")
    m.add_argument("--vtdhost", metavar="CMD",
                   help="the hosted machine (default: $VTDHOST, else "
                        "build/host/harness/vtdhost)")
    m.add_argument("--model-configs", metavar="FILE",
                   default=os.path.join(TOP, "run", "model-configs.cfg"),
                   help="the model's configuration table (default: "
                        "run/model-configs.cfg)")
    m.add_argument("--divergences", metavar="FILE",
                   default=os.path.join(TOP, "run", "divergences.cfg"),
                   help="the reviewed divergences (default: run/divergences.cfg)")
    return p


class UsageError(Exception):
    pass


def _matches(run_id, patterns):
    if not patterns:
        return True
    for pat in patterns:
        if any(ch in pat for ch in "*?["):
            if fnmatch.fnmatchcase(run_id, pat):
                return True
        elif pat in run_id:
            return True
    return False


def _module_path(path, base):
    full = os.path.normpath(os.path.join(base, path))
    if "," in full:
        raise UsageError("script path %r has a comma (QEMU's -initrd separator)" % full)
    return full


def _select(args, configs, tests):
    """(test, config) pairs in table order."""
    keep_configs = None
    if args.config:
        keep_configs = tables.resolve_configs("-c", args.config, configs)
    if args.check_configs:
        tests = [tables.Test("configcheck", guest=["configcheck"],
                             configs=keep_configs or list(configs))]
        keep_configs = None
    elif args.guest:
        tests = [_guest_test(args, keep_configs or ["default"])]
        keep_configs = None
    patterns = args.filter + args.patterns
    out = []
    for t in tests:
        if args.group and not set(args.group) & set(t.groups):
            continue
        for c in t.configs:
            if keep_configs is not None and c not in keep_configs:
                continue
            if args.boot and configs[c].boot not in args.boot:
                continue
            if _matches("%s@%s" % (t.name, c), patterns):
                out.append((t, configs[c]))
    return out


def _guest_test(args, configs):
    """The test --guest names, in configurations."""
    guest = [g for g in args.guest.split(",") if g]
    if not guest:
        raise UsageError("--guest needs a name")
    for g in guest:
        if not tables.NAME_RE.match(g):
            raise UsageError("--guest %s: use letters, digits, _ . + -" % g)
    return tables.Test("+".join(guest), guest=guest, configs=configs)


def _make_runs(args, pairs, qemu, accel, images, results):
    """images: {boot: image path}.  qemu: a probed qemus.Qemu (or one
    whose probe failed: its configurations go as written)."""
    kvm_error = None
    if accel == "kvm" and not os.access("/dev/kvm", os.R_OK | os.W_OK):
        kvm_error = "ACCEL=kvm but /dev/kvm is not usable here"
    image_errors = {boot: None if os.path.isfile(image) else
                    "no firmware image at %s (build it with make)" % image
                    for boot, image in images.items()}
    extra_scripts = [_module_path(s, os.getcwd()) for s in args.script]
    for s in extra_scripts:
        if not os.path.isfile(s):
            raise UsageError("--script %s: no such file" % s)
    append = " ".join(w for w in (args.append, _version_word(qemu)) if w)
    runs = []
    for test, config in pairs:
        directory = os.path.join(results, "%s@%s" % (test.name, config.name))
        test_scripts = [_module_path(s, TOP) for s in test.scripts]
        image = images[config.boot]
        skip = error = None
        try:
            config = _in_words_of(qemu, config)
            if accel == "tcg":
                qemus.check_tcg(qemu, config)
        except qemus.Unsupported as e:
            skip = "configuration %s: %s" % (config.name, e)
        served = assigned.Served(config, directory, TOP, qemu) \
            if config.servers else None
        cmd = tables.qemu_command(qemu.cmd, served.config if served else config,
                                  test, accel, image,
                                  os.path.join(directory, "serial.log"),
                                  test_scripts + extra_scripts,
                                  " ".join(w for w in (append, served and served.word)
                                           if w))
        if args.trace:
            cmd += launch.trace_args(directory)
        timeout = (test.timeout or config.timeout) * args.timeout_scale
        prepare = None
        if config.boot == "efi":
            # OVMF's own boot comes first; the ESP is filled at launch.
            timeout += efi.BOOT_ALLOWANCE * args.timeout_scale
            prepare = efi.Esp(image, tables.kernel_words(test, append),
                              test_scripts + extra_scripts)
        if skip:
            pass
        elif accel not in config.accel:
            skip = "configuration %s runs under %s only" % (config.name, "/".join(config.accel))
        elif test.accel is not None and accel not in test.accel:
            skip = "test %s runs under %s only" % (test.name, "/".join(test.accel))
        missing = [s for s in test_scripts if not os.path.isfile(s)]
        if missing:
            error = "script %s not found" % missing[0]
        error = error or image_errors[config.boot] or kvm_error
        if skip:
            error = None
        finish = None
        if served and not skip:
            # Served devices: their servers start before QEMU, stop after it.
            prepare, finish = served.start, served.finish
        runs.append(launch.Run(test, config, directory, cmd, timeout, skip, error,
                               prepare=prepare, qemu=qemu, finish=finish))
    return runs


def _batched(args, runs, accel, images, results):
    """runs with the tests of each configuration that can share a boot
    (batch.plan: the same command-line words, scripts and QEMU arguments;
    none alone) put into one boot each (run/vtdrunner/batch.py)."""
    if args.no_batch:
        return runs
    out, by_config = [], {}
    for r in runs:
        # A run with servers of its own (assigned.py) boots alone.
        if r.skip_reason or r.error_reason or r.test.alone or r.finish:
            out.append(r)
        else:
            by_config.setdefault(r.config.name, []).append(r)
    for group_runs in by_config.values():
        by_test = {r.test.name: r for r in group_runs}
        for tests in batch.plan([r.test for r in group_runs]):
            if len(tests) == 1:
                out.append(by_test[tests[0].name])
                continue
            first = by_test[tests[0].name]
            bt = batch.BatchTest(tests)
            config = first.config
            directory = os.path.join(results, "batch", "%s@%s" % (bt.name, config.name))
            scripts = [_module_path(s, TOP) for s in bt.scripts]
            scripts += [_module_path(s, os.getcwd()) for s in args.script]
            append = " ".join(w for w in (args.append, _version_word(first.qemu)) if w)
            cmd = tables.qemu_command(first.qemu.cmd, config, bt, accel,
                                      images[config.boot],
                                      os.path.join(directory, "serial.log"),
                                      scripts, append)
            if args.trace:
                cmd += launch.trace_args(directory)
            timeout = sum(by_test[t.name].timeout for t in tests)
            prepare = None
            if config.boot == "efi":
                timeout -= (len(tests) - 1) * efi.BOOT_ALLOWANCE * args.timeout_scale
                prepare = efi.Esp(images[config.boot], tables.kernel_words(bt, append),
                                  scripts)
            out.append(launch.Run(bt, config, directory, cmd, timeout,
                                  prepare=prepare, qemu=first.qemu))
    return out


def _shard_arg(text):
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise UsageError("--shard %s: expected I/N, e.g. 2/4" % text) from None
    if not 1 <= i <= n:
        raise UsageError("--shard %s: I must be 1..N" % text)
    return i, n


def _cost(run):
    """Seconds a run is expected to take: what the tables allow it (the
    timeout scales with the work), an OVMF boot on top for UEFI."""
    cost = run.timeout
    if run.config.boot == "efi":
        cost += 7.0
    return cost


def _shard(runs, i, n):
    """The I-th of N shares: runs dealt, most expensive first, to the
    share with the least expected cost so far (ties by run id), so every
    shard gets the same share of every machine whatever order it runs in."""
    load = [0.0] * n
    mine = []
    for r in sorted(runs, key=lambda r: (-_cost(r), r.id)):
        k = min(range(n), key=lambda j: (load[j], j))
        load[k] += _cost(r)
        if k == i - 1:
            mine.append(r)
    order = {id(r): j for j, r in enumerate(runs)}
    return sorted(mine, key=lambda r: order[id(r)])


def _point_ids(run):
    """The ids of the results a run stands for (a batch: one per test)."""
    if isinstance(run.test, batch.BatchTest):
        prefix = run.id.split(":", 1)[0] + ":" if ":" in run.id else ""
        if run.machine == "model":
            prefix = "model:"
        return ["%s%s@%s" % (prefix, t.name, run.config.name) for t in run.test.tests]
    return [run.id]


def _expand(prefixed):
    """A finished QEMU run -> the runs it stands for: a batch is split into
    one run per test, in the QEMU's result directory."""
    def expand(run):
        if not isinstance(run.test, batch.BatchTest):
            return [run]
        qdir = os.path.dirname(os.path.dirname(run.dir))
        parts = batch.split(run, qdir)
        if prefixed:
            for p in parts:
                p.id = "%s:%s" % (os.path.basename(qdir), p.id)
        return parts
    return expand


def _version_word(qemu):
    """The firmware's word for the QEMU it runs on: expected failures are
    bounded by QEMU versions (lib/xfail.h)."""
    return "qemu=%s" % qemu.version if qemu.version else ""


def _in_words_of(qemu, config):
    """config with its IOMMU and devices in qemu's words; Unsupported."""
    if qemu.version is None:
        return config
    iommu, devices = qemus.translate(qemu, config)
    if iommu == config.iommu and devices == config.devices:
        return config
    out = copy.copy(config)
    out.iommu = iommu
    out.devices = devices
    return out


def _shown(path):
    """path relative to the working directory when it lies below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _serial_tail(run, n=8):
    lines = [ln for ln in run.serial.splitlines() if ln.strip()]
    return lines[-n:]


class _PipeSafe:
    """stdout that goes quiet when its reader goes away (vtdrun | head):
    the runs go on and their result files are still written."""

    def __init__(self, stream):
        self._stream = stream
        self.closed_reader = False

    def _gone(self):
        self.closed_reader = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass

    def write(self, text):
        if not self.closed_reader:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._gone()
        return len(text)

    def flush(self):
        if not self.closed_reader:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._gone()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv=None):
    args = _parser().parse_args(argv)
    if not isinstance(sys.stdout, _PipeSafe):
        sys.stdout = _PipeSafe(sys.stdout)
    try:
        return _main(args)
    except (UsageError, tables.TableError) as e:
        print("vtdrun: %s" % e, file=sys.stderr)
        return EXIT_USAGE


def _qemus(args):
    """The QEMUs of --qemu (or $QEMU), each probed once."""
    wanted = args.qemu or [os.environ.get("QEMU") or qemus.SYSTEM]
    home = qemus.env_home()
    if wanted == ["all"]:
        out = qemus.known(home)
        if not out:
            raise UsageError("--qemu all: no QEMU here (run make setup)")
    else:
        if "all" in wanted:
            raise UsageError("--qemu all stands alone")
        try:
            out = [qemus.select(w, home) for w in wanted]
        except qemus.ProbeError as e:
            raise UsageError(str(e)) from None
    for q in out:
        try:
            q.probe()
        except qemus.ProbeError as e:
            # Runs still go ahead, with the configurations as written:
            # starting that QEMU is what fails, and says why.
            q.error = str(e)
    names = [qemus.result_name(q) for q in out]
    if len(set(names)) != len(names):
        raise UsageError("--qemu: two of them are the same QEMU (%s)" % ", ".join(names))
    return out


def _main(args):
    accel = args.accel or os.environ.get("ACCEL") or "tcg"
    if accel not in tables.ACCELS:
        raise UsageError("ACCEL=%s: use tcg or kvm" % accel)
    if args.timeout_scale <= 0:
        raise UsageError("--timeout-scale must be positive")
    if args.guest and args.check_configs:
        raise UsageError("--guest and --check-configs do not mix")
    if args.list_qemus:
        for line in qemus.list_lines(qemus.env_home()):
            print(line)
        return EXIT_OK
    if args.compare_results:
        return _main_compare_results(args, *args.compare_results)
    if args.merge:
        return _main_merge(args)
    shard = _shard_arg(args.shard) if args.shard else None

    if args.compare and (args.guest or args.check_configs):
        raise UsageError("--compare takes tests from the test table")
    if args.model and args.check_configs:
        raise UsageError("--model and --check-configs do not mix")
    if args.model and args.compare:
        raise UsageError("--model and --compare do not mix (--compare runs both)")
    if args.reuse and not args.compare:
        raise UsageError("--reuse goes with --compare")

    configs = tables.load_configs(args.configs)
    tests = [] if (args.guest or args.check_configs) else tables.load_tests(args.tests, configs)
    root = os.path.abspath(args.results)
    if args.model:
        return _main_model(args, configs, tests, root)
    pairs = _select(args, configs, tests)
    if not pairs:
        raise UsageError("no run matches the selection")
    targets = _qemus(args)
    if args.compare and len(targets) > 1:
        raise UsageError("--compare takes one QEMU")

    images = {"multiboot": os.path.abspath(args.image),
              "efi": os.path.abspath(args.efi_image)}
    if args.check_configs:
        os.makedirs(root, exist_ok=True)
        images = {"multiboot": os.path.join(root, "configcheck.bin"),
                  "efi": os.path.join(root, "configcheck.efi")}
        for boot, data in (("multiboot", stub.image()), ("efi", stub.efi_image())):
            with open(images[boot], "wb") as f:
                f.write(data)
    runs, planned = [], []
    for q in targets:
        qdir = os.path.join(root, qemus.result_name(q))
        qruns = _make_runs(args, pairs, q, accel, images, qdir)
        planned += qruns
        if not args.reuse:
            qruns = _batched(args, qruns, accel, images, qdir)
        if shard:
            qruns = _shard(qruns, *shard)
        if len(targets) > 1:
            for r in qruns:
                r.id = "%s:%s" % (qemus.result_name(q), r.id)
        runs += qruns

    if args.list and not args.compare:
        for r in runs:
            for i in _point_ids(r):
                print(i)
            if args.verbose:
                print("    timeout %gs: %s" % (r.timeout, shlex.join(r.cmd)))
        return EXIT_OK

    if not args.list:
        for q in targets:
            _open_results(os.path.join(root, qemus.result_name(q)), q)
    if args.compare:
        return _main_compare(args, configs, tests, runs, planned,
                             os.path.join(root, qemus.result_name(targets[0])), root,
                             targets)
    after = None
    reference = None
    if args.against:
        reference = os.path.abspath(args.against)
        if not os.path.isdir(reference):
            raise UsageError("--against %s: no such result directory" % args.against)
    compared = targets if reference else targets[1:]
    if compared:
        def after(out, number, reported):
            return _versions_after(args, reference, targets, reported, root, out,
                                   number)
    return _execute(args, runs, targets, after=after, expand=_expand(len(targets) > 1),
                    extra_points=len(pairs) * len(compared))


def _open_results(directory, q):
    """A QEMU's result directory, with qemu.txt saying which QEMU it is."""
    os.makedirs(directory, exist_ok=True)
    report._write(os.path.join(directory, "qemu.txt"), "%s %s %s\n" % (
        qemus.result_name(q), q.version or "unknown", shlex.join(q.cmd)))


def _versions_after(args, reference, targets, runs, root, out, number):
    """Each QEMU against the reference result directory, or each after the
    first against the first, run by run."""
    if reference:
        a = crossver.Side(reference)
        compared = targets
    else:
        a = crossver.Side(os.path.join(root, qemus.result_name(targets[0])))
        compared = targets[1:]
    lines, table, ok = [], [], True
    ids = []
    for r in runs:
        base = r.id.split(":", 1)[-1]
        if base not in ids:
            ids.append(base)
    for q in compared:
        b = crossver.Side(os.path.join(root, qemus.result_name(q)))
        comps = crossver.compare_sides(a, b, only=ids)
        for c in comps:
            number += 1
            bad = c.unexplained
            ok = ok and not bad
            text = "%s vs %s %s: %d checks, %d differ, %d unexplained" % (
                b.name, a.name, c.id, c.checks, len(c.rows), len(bad))
            if args.tap:
                lines.append("%s %d - versions %s" % ("not ok" if bad else "ok",
                                                     number, report._tap_text(text)))
                lines += ["#   %s %s %s: %s" % (r.a, r.b, r.kind, r.name[:100])
                          for r in bad]
            elif bad:
                lines.append("FAIL  versions %s" % text)
        table += crossver.report_lines(a, b, comps)
        report._write(os.path.join(root, "versions-%s-%s.txt" % (a.name, b.name)),
                      "\n".join(crossver.report_lines(a, b, comps)) + "\n")
    if args.tap:
        table = [("# " + ln).rstrip() for ln in table]
    out.write("\n".join(lines + table) + "\n")
    out.flush()
    return ok


def _targets_under(path):
    """The result directories of QEMUs (and the model) under path: path
    itself when it holds runs, else its subdirectories that do."""
    def has_runs(d):
        return any("@" in e and os.path.isfile(os.path.join(d, e, "verdict"))
                   for e in os.listdir(d))
    if not os.path.isdir(path):
        raise UsageError("--merge %s: no such directory" % path)
    if has_runs(path):
        return [path]
    out = [os.path.join(path, e) for e in sorted(os.listdir(path))
           if os.path.isdir(os.path.join(path, e)) and has_runs(os.path.join(path, e))]
    if not out:
        raise UsageError("--merge %s: no result directory in it" % path)
    return out


def _main_merge(args):
    """Result directories (shards, or CI jobs) joined into one."""
    root = os.path.abspath(args.results)
    merged = {}
    for src in args.merge:
        for tdir in _targets_under(os.path.abspath(src)):
            name = os.path.basename(tdir)
            dest = os.path.join(root, name)
            if os.path.abspath(tdir) == dest:
                raise UsageError("--merge %s: that is RESULTS itself" % tdir)
            os.makedirs(dest, exist_ok=True)
            if os.path.isfile(os.path.join(tdir, "qemu.txt")):
                shutil.copy(os.path.join(tdir, "qemu.txt"), dest)
            for e in sorted(os.listdir(tdir)):
                if "@" not in e or not os.path.isfile(os.path.join(tdir, e, "verdict")):
                    continue
                if os.path.isdir(os.path.join(dest, e)):
                    shutil.rmtree(os.path.join(dest, e))
                shutil.copytree(os.path.join(tdir, e), os.path.join(dest, e))
                merged.setdefault(name, set()).add(e)
    runs = []
    for name, ids in sorted(merged.items()):
        dest = os.path.join(root, name)
        group = [_loaded_run(os.path.join(dest, i), name) for i in sorted(ids)]
        report.write_tap(os.path.join(dest, "results.tap"), group)
        report.write_junit(os.path.join(dest, "junit.xml"), group)
        text = ["target: %s (merged from %s)" % (name, ", ".join(args.merge))]
        text += report.summary_lines(group, sum(r.wall for r in group))
        text += report.matrix_lines(group)
        text += report.matters_lines(group)
        report._write(os.path.join(dest, "summary.txt"), "\n".join(text) + "\n")
        runs += group
        print("merged %d runs into %s" % (len(group), _shown(dest)))
    bad = [r for r in runs if not r.ok]
    for r in bad:
        print("not as expected: %s: %s" % (r.id, report.run_reason(r) or r.verdict))
    return EXIT_RUNS if bad else EXIT_OK


def _loaded_run(directory, target):
    """A run directory as a Run, for the reports of a merge."""
    loaded = crossver.LoadedRun(os.path.basename(directory), directory)
    test_name, config_name = loaded.id.rsplit("@", 1)
    expect = verdict.parse(loaded.expect) if loaded.expect else None
    test = tables.Test(test_name, guest=[test_name], configs=[config_name],
                       expect=expect)
    machine = "model" if target == "model" else "qemu"
    run = launch.Run(test, tables.Config(config_name), directory,
                     shlex.split(tap.read_text(os.path.join(directory, "cmdline")))
                     or ["?"], 0, machine=machine)
    run.id = "%s:%s" % (target, loaded.id)
    run.verdict, run.reason, run.guest = loaded.verdict, loaded.reason, loaded.guest
    run.serial = tap.read_text(os.path.join(directory, "serial.log"))
    run.not_started = loaded.verdict is None
    try:
        with open(os.path.join(directory, "verdict"), encoding="utf-8") as f:
            fields = dict(ln.split(": ", 1) for ln in f.read().splitlines()[1:]
                          if ": " in ln)
        run.wall = float(fields.get("time", 0))
        run.status = int(fields["status"]) if "status" in fields else None
    except (OSError, ValueError):
        pass
    return run


def _main_compare_results(args, path_a, path_b):
    try:
        a, b = crossver.Side(path_a), crossver.Side(path_b)
    except OSError as e:
        raise UsageError(str(e)) from None
    comps = crossver.compare_sides(a, b)
    for ln in crossver.report_lines(a, b, comps):
        print(ln)
    new = [r for c in comps for r in c.new_failures]
    print("B has %s" % ("no new failure" if not new else
                        "%d new failure%s" % (len(new), "" if len(new) == 1 else "s")))
    return EXIT_RUNS if new else EXIT_OK


# ------------------------------------------------------------ the model

def _vtdhost(args):
    try:
        cmd = shlex.split(args.vtdhost or os.environ.get("VTDHOST") or
                          os.path.join(TOP, "build", "host", "harness", "vtdhost"))
    except ValueError as e:
        raise UsageError("VTDHOST: %s" % e) from None
    if not cmd:
        raise UsageError("VTDHOST is empty")
    return cmd


def _vtdhost_error(cmd):
    exe = cmd[0]
    if os.sep in exe:
        return None if os.access(exe, os.X_OK) else \
            "no hosted machine at %s (build it with make vtdhost)" % exe
    return None if shutil.which(exe) else "%s not found" % exe


def _vtdhost_tests(cmd):
    """The names of the guest tests the hosted machine holds, as it lists
    them (vtdhost --list-tests: the hosted build leaves out the tests
    flagged TEST_GUEST_ONLY)."""
    error = _vtdhost_error(cmd)
    if error:
        raise UsageError(error)
    try:
        out = subprocess.run(cmd + ["--list-tests"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise UsageError("%s --list-tests: %s" % (shlex.join(cmd), e)) from None
    if out.returncode != 0:
        raise UsageError("%s --list-tests: exit status %d: %s"
                         % (shlex.join(cmd), out.returncode, out.stderr.strip()))
    return {line.split()[0] for line in out.stdout.splitlines() if line.strip()}


def _model_tests(mconfig, by_name):
    return [by_name[t] for t in mconfig.tests]


def _make_model_runs(args, pairs, vtdhost, results):
    """Batches of hosted runs: per configuration, the tests that share a
    command line run in one vtdhost process (run/vtdrunner/batch.py)."""
    error = _vtdhost_error(vtdhost)
    extra_scripts = [_module_path(s, os.getcwd()) for s in args.script]
    for s in extra_scripts:
        if not os.path.isfile(s):
            raise UsageError("--script %s: no such file" % s)
    by_config = {}
    for test, mconfig in pairs:
        by_config.setdefault(mconfig.name, (mconfig, []))[1].append(test)
    runs = []
    for mconfig, tests in by_config.values():
        records = assigned.model_records(mconfig.devices)
        # A record is per run: with one, each test runs alone, as QEMU's
        # served runs boot alone.
        groups = [[t] for t in tests] if records else batch.plan(tests)
        for group in groups:
            bt = batch.BatchTest(group)
            directory = os.path.join(results, "model", "batch",
                                     "%s@%s" % (bt.name, mconfig.name))
            scripts = [_module_path(s, TOP) for s in bt.scripts]
            run_config = mconfig
            if records:
                run_config = copy.copy(mconfig)
                run_config.devices = assigned.model_devices_in(mconfig.devices,
                                                               directory)
            cmd = tables.hosted_command(vtdhost, run_config, bt,
                                        os.path.join(directory, "serial.log"),
                                        scripts + extra_scripts, args.append)
            timeout = sum((t.timeout or mconfig.timeout) for t in group) * \
                args.timeout_scale
            missing = [s for s in scripts if not os.path.isfile(s)]
            err = ("script %s not found" % missing[0]) if missing else error
            runs.append(launch.Run(bt, mconfig, directory, cmd, timeout, None, err,
                                   machine="model"))
    return runs


def _model_points(runs):
    return sum(len(r.test.tests) for r in runs)


def _main_model(args, configs, tests, results):
    table = tables.load_tests(args.tests, configs) if args.guest else tests
    mconfigs = tables.load_model_configs(args.model_configs, configs, table,
                                         _vtdhost_tests(_vtdhost(args)))
    by_name = {t.name: t for t in tests}
    keep = tables.resolve_configs("-c", args.config, mconfigs) if args.config else None
    patterns = args.filter + args.patterns
    pairs = []
    if args.guest:
        # Guest tests by name, as for QEMU, in the -c configurations; a
        # batch splits its stream per guest test, so one test each.
        test = _guest_test(args, keep or ["default"])
        pairs = [(tables.Test(g, guest=[g], configs=test.configs), mconfigs[c])
                 for c in test.configs for g in test.guest]
        mconfigs = {}
    for mc in mconfigs.values():
        if keep is not None and mc.name not in keep:
            continue
        for t in _model_tests(mc, by_name):
            if args.group and not set(args.group) & set(t.groups):
                continue
            if _matches("%s@%s" % (t.name, mc.name), patterns):
                pairs.append((t, mc))
    if not pairs:
        raise UsageError("no model run matches the selection")
    runs = _make_model_runs(args, pairs, _vtdhost(args), results)
    if args.list:
        for r in runs:
            for t in r.test.tests:
                print("model:%s@%s" % (t.name, r.config.name))
            if args.verbose:
                print("    timeout %gs: %s" % (r.timeout, shlex.join(r.cmd)))
        return EXIT_OK
    out_dir = os.path.join(results, "model")
    os.makedirs(out_dir, exist_ok=True)
    return _execute(args, runs, [],
                    expand=lambda r: batch.split(r, os.path.join(results, "model")),
                    points=_model_points(runs))


def _reused_run(run):
    """A QEMU run as a previous vtdrun left it in its directory."""
    run.serial = tap.run_stream(run.dir)
    run.guest = tap.GuestTap(run.serial)
    try:
        with open(run.path("verdict"), encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        run.not_started = True
        run.verdict = None
        run.reason = "no result in %s (run vtdrun without --reuse first)" % run.dir
        return run
    try:
        run.verdict = verdict.parse(lines[0]) if lines else None
    except ValueError:
        run.verdict = None
    fields = dict(ln.split(": ", 1) for ln in lines[1:] if ": " in ln)
    run.reason = fields.get("reason")
    if run.verdict is None:
        run.not_started = True
        run.reason = "unreadable verdict in %s" % run.dir
    return run


def _main_compare(args, configs, tests, qemu_runs, planned, qemu_results, results,
                  targets=()):
    """QEMU's runs (booted, or reused), the model's mirrors of them, and
    one comparison per pair that has both.  qemu_results: the QEMU's
    result directory (compare.txt goes there); results: the root (the
    model's runs go to results/model)."""
    mconfigs = tables.load_model_configs(args.model_configs, configs, tests,
                                         _vtdhost_tests(_vtdhost(args)))
    try:
        divergences = compare.load_divergences(args.divergences)
    except compare.TableError as e:
        raise UsageError(str(e)) from None
    mirror = {}
    for mc in mconfigs.values():
        if mc.compare and mc.qemu not in mirror:
            mirror[mc.qemu] = mc
    pairs, compared, record_points = [], [], 0
    for r in planned:
        mc = mirror.get(r.config.name)
        # A configuration this QEMU cannot express (a SKIP before the
        # boot: no vfio-user-pci before QEMU 11) has nothing to compare.
        if mc is not None and r.test.name in mc.tests and r.test.expect is None \
                and not r.skip_reason:
            pairs.append((r.test, mc))
            compared.append(r.id)
            record_points += assigned.COMPARE_CHECKS * \
                len(assigned.model_records(mc.devices))
    model_runs = _make_model_runs(args, pairs, _vtdhost(args), results)
    if args.list:
        for r in (qemu_runs if not args.reuse else []):
            for i in _point_ids(r):
                print(i)
        for r in model_runs:
            for t in r.test.tests:
                print("model:%s@%s" % (t.name, r.config.name))
        return EXIT_OK
    os.makedirs(os.path.join(results, "model"), exist_ok=True)

    def after(out, number, reported):
        by_id = {r.id: r for r in reported}
        compared_runs = [by_id[i] for i in compared if i in by_id]
        _run_quietly(args, model_runs)
        split = [t for r in model_runs
                 for t in batch.split(r, os.path.join(results, "model"))]
        by_pair = {(r.test.name, r.config.qemu): r for r in split}
        comparisons = [compare.compare(q.test.name, q.config.name, q,
                                       by_pair.get((q.test.name, q.config.name)),
                                       divergences) for q in compared_runs]
        _write_comparisons(os.path.join(qemu_results, "compare.txt"), comparisons,
                           divergences)
        lines = []
        records_ok = True
        for c in comparisons:
            number += 1
            if args.tap:
                lines.append("%s %d - compare %s: %s" % (
                    "ok" if c.ok else "not ok", number, c.id,
                    report._tap_text(c.summary())))
                lines += ["#" + ln[1:] for ln in compare.row_lines(c, "  ")]
            else:
                lines.append("%-4s  compare %s: %s" % ("PASS" if c.ok else "FAIL",
                                                      c.id, c.summary()))
            # Served devices: QEMU's messages against the model's events.
            for rc in _record_checks(c):
                number += 1
                records_ok = records_ok and rc.passed
                if args.tap:
                    lines += rc.tap(number)
                else:
                    lines.append("%-4s  compare %s: %s%s" % (
                        "PASS" if rc.passed else "FAIL", c.id, rc.desc,
                        "" if rc.ok else " (known: %s)" % rc.why.expectation
                        if rc.why else ""))
                    lines += ["        " + d for d in rc.details[:3]]
        table = compare.table_lines(comparisons)
        table += compare.unused_lines(divergences, {c.config for c in comparisons})
        table.append("comparison: %s" % _shown(os.path.join(qemu_results, "compare.txt")))
        if args.tap:
            table = [("# " + ln).rstrip() for ln in table]
        out.write("\n".join(lines + table) + "\n")
        out.flush()
        return records_ok and all(c.ok for c in comparisons)

    if args.reuse:
        for r in qemu_runs:
            _reused_run(r)
        out = sys.stdout
        if args.tap:
            out.write("TAP version 13\n1..%d\n" % (len(compared) + record_points))
        ok = after(out, 0, qemu_runs)
        return EXIT_OK if ok else EXIT_RUNS
    return _execute(args, qemu_runs, targets,
                    extra_points=len(compared) + record_points, after=after,
                    expand=_expand(False))


def _record_checks(c):
    """The checks of a compared run's served devices: each server's record
    under QEMU against the model's (assigned.compare_records); none when
    the run has no served device, or QEMU did not run it."""
    q, m = c.qemu_run, c.model_run
    if q is None or m is None or not getattr(q.config, "servers", None):
        return []
    version = q.qemu.version if getattr(q, "qemu", None) is not None else None
    aw = assigned.address_width(q.config.iommu, getattr(q, "qemu", None))
    out = []
    for s in q.config.servers:
        if q.verdict is not None and str(q.verdict) == "SKIP" and \
                not os.path.exists(q.path(s.name + ".record")):
            out += [assigned.RecordCheck("%s records: QEMU's run SKIPped" % s.name,
                                         True)] * assigned.COMPARE_CHECKS
            continue
        out += assigned.compare_records(
            s.name, assigned._read(q.path(s.name + ".record")),
            assigned._read(m.path(s.name + ".record")), aw, version)
    return out


def _run_quietly(args, runs):
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    launcher = launch.Launcher(retrace=not args.no_retrace)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        try:
            list(pool.map(launcher.execute, runs))
        except KeyboardInterrupt:
            launcher.kill_all()
            raise


def _write_comparisons(path, comparisons, divergences):
    lines = ["QEMU against the model, check by check", ""]
    for c in comparisons:
        lines.append("%s  %s: %s" % ("PASS" if c.ok else "FAIL", c.id, c.summary()))
        for side, run in (("QEMU", c.qemu_run), ("model", c.model_run)):
            if run is not None:
                lines.append("    %-5s %s  %s  %s" % (side, run.verdict,
                                                    run.guest.tally_text(), run.dir))
        lines += compare.row_lines(c, "      ")
    lines += compare.table_lines(comparisons)
    lines += compare.unused_lines(divergences, {c.config for c in comparisons})
    report._write(path, "\n".join(lines) + "\n")


def _interrupt(signo, frame):
    raise KeyboardInterrupt


def _execute(args, runs, targets, extra_points=0, after=None, expand=None,
             points=None):
    """Launch runs, report each as it ends, then the summary and result
    files (results.tap and junit.xml in each directory the runs' own
    directories are in: one per QEMU, and the model's).  targets: the
    QEMUs, for the summary.  expand: a finished run -> the runs it stands
    for (a hosted batch -> its tests), points: how many that makes in all."""
    # QEMU runs in sessions of its own, out of reach of a terminal's ^C or a
    # CI job's SIGTERM: the runner kills them itself on the way out.
    for signo in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signo, _interrupt)
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    width = max(len(i) for r in runs for i in _point_ids(r))
    if points is None:
        points = sum(len(_point_ids(r)) for r in runs)
    out = sys.stdout
    if args.tap:
        out.write("TAP version 13\n1..%d\n" % (points + extra_points))
        out.flush()
    launcher = launch.Launcher(retrace=not args.no_retrace)
    start = time.monotonic()
    number = 0
    reported = []
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [pool.submit(launcher.execute, r) for r in runs]
        finished = (run for fut in concurrent.futures.as_completed(futures)
                    for run in (expand(fut.result()) if expand else [fut.result()]))
        for run in finished:
            reported.append(run)
            number += 1
            if args.tap:
                point, diag = report.tap_point(number, run)
                lines = point + diag
            else:
                lines = [report.progress_line(run, width)]
            if args.verbose:
                lines.append("# cmdline: %s" % shlex.join(run.cmd) if args.tap
                             else "      cmdline: %s" % shlex.join(run.cmd))
                if not run.ok:
                    for ln in _serial_tail(run):
                        lines.append(("#     | " if args.tap else "      | ") + ln)
            if not args.tap and not run.ok and not args.verbose and not run.not_started:
                lines.append("      see %s" % _shown(run.dir))
            out.write("\n".join(lines) + "\n")
            out.flush()
    except KeyboardInterrupt:
        launcher.kill_all()
        pool.shutdown(wait=True, cancel_futures=True)
        print("vtdrun: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    pool.shutdown(wait=True)
    wall = time.monotonic() - start
    runs = reported

    by_dir = {}
    for r in runs:
        by_dir.setdefault(os.path.dirname(r.dir), []).append(r)
    which = {}
    for q in targets:
        which[qemus.result_name(q)] = "QEMU %s: %s (%s)%s" % (
            q.version or "(version unknown)", qemus.result_name(q),
            shlex.join(q.cmd), "; " + q.error if q.error else "")
    for d, group in by_dir.items():
        report.write_tap(os.path.join(d, "results.tap"), group)
        report.write_junit(os.path.join(d, "junit.xml"), group)
        name = os.path.basename(d)
        text = [which.get(name, "target: %s" % name)]
        text += report.summary_lines(group, wall)
        text += report.matrix_lines(group)
        text += report.matters_lines(group)
        report._write(os.path.join(d, "summary.txt"), "\n".join(text) + "\n")

    lines = report.summary_lines(runs, wall)
    lines += list(which.values())
    show_matrix = args.matrix == "yes" or (
        args.matrix == "auto" and len({r.config.name for r in runs}) > 1)
    if show_matrix:
        lines += report.matrix_lines(runs)
    lines += report.matters_lines(runs)
    for d in by_dir:
        lines.append("results: %s, %s, %s" % (_shown(os.path.join(d, "summary.txt")),
                                              _shown(os.path.join(d, "results.tap")),
                                              _shown(os.path.join(d, "junit.xml"))))
    if args.tap:
        lines = [("# " + ln).rstrip() for ln in lines]
    out.write("\n".join(lines) + "\n")
    out.flush()
    ok = all(r.ok for r in runs)
    if after is not None:
        try:
            ok = after(out, number, runs) and ok
        except KeyboardInterrupt:
            print("vtdrun: interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED
    return EXIT_OK if ok else EXIT_RUNS
