# SPDX-License-Identifier: GPL-2.0-or-later
"""The two declarative tables: configurations (run/configs.cfg) and tests
(run/tests.cfg), and the QEMU command line a (test, configuration) pair
becomes.

Both are INI files read by ini.py.  The section [defaults] gives values
every other section inherits; anything else is one entry.  Unknown
keys, unknown configuration names and malformed values are errors: a typo
must not silently change what runs.
"""

import fnmatch
import os
import re
import shlex

from . import assigned, efi, ini
from .ini import DEFAULTS, TableError, lines as _lines, words as _words
from . import verdict as verdicts

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")
ACCELS = ("tcg", "kvm")
DEFAULT_TIMEOUT = 30.0

# The guest's exit port (see verdict.GUEST_EXIT_VALUE).
DEBUG_EXIT = "isa-debug-exit,iobase=0xf4,iosize=4"

CONFIG_KEYS = {
    "description": "what this configuration is for",
    "machine": "the -machine value (default q35)",
    "iommu": "the IOMMU's -device value; empty for none",
    "devices": "one -device value per line",
    "memory": "the -m value (default 256M)",
    "cpu": "the -cpu value (QEMU's default if absent)",
    "smp": "the -smp value (QEMU's default if absent)",
    "accel": "accelerators this configuration runs under (default: tcg kvm)",
    "kvm_machine_opts": "machine options added under KVM (kernel-irqchip=split "
                        "is added by itself when the IOMMU has intremap=on or eim=on)",
    "timeout": "seconds before a run is killed (default 30)",
    "nodefaults": "pass -nodefaults (default yes)",
    "extra_args": "further QEMU arguments, shell-quoted",
    "tcg_args": "further QEMU arguments under TCG only, shell-quoted",
    "boot": "multiboot (default: QEMU's -kernel loader) or efi (OVMF boots "
            "the UEFI image from an EFI system partition)",
    "same_as": "the configuration whose machine (machine, iommu, devices, "
               "memory, cpu, smp) this one takes unchanged",
    "memory_backend": "the guest RAM's memory backend object and its options "
                      "(memory-backend-memfd,share=on); the runner adds its id "
                      "and size and names it in -machine",
    "servers": "vfio-user servers started per run before QEMU, one per line: "
               "NAME PROGRAM [OPTION...]; a device's socket path @NAME is "
               "NAME's socket (run/vtdrunner/assigned.py)",
}

# What a configuration with same_as takes from the other one.
MACHINE_KEYS = ("machine", "iommu", "devices", "memory", "cpu", "smp",
                "kvm_machine_opts", "memory_backend", "servers")

# The id of the guest RAM's backend object (memory_backend).
RAM_ID = "vtdprobe-ram"

TEST_KEYS = {
    "description": "what the test checks",
    "guest": "guest test name(s) for test= (default: the section name)",
    "configs": "configuration names or globs it runs in (default: default)",
    "groups": "groups it belongs to",
    "timeout": "seconds; overrides the configuration's",
    "expect": "the verdict a self-test must produce",
    "scripts": "scenario scripts passed as multiboot modules",
    "append": "further kernel command-line words",
    "extra_args": "further QEMU arguments, shell-quoted",
    "accel": "accelerators the test runs under (default: any)",
    "alone": "yes: boot it on its own, never with other tests (a test that "
             "can take the machine down); self-tests with expect always are",
}


def _seconds(where, value):
    try:
        t = float(value)
    except ValueError:
        raise TableError("%s: timeout %r is not a number of seconds" % (where, value)) from None
    if not t > 0:
        raise TableError("%s: timeout must be positive" % where)
    return t


def _accels(where, value):
    out = _words(value)
    for a in out:
        if a not in ACCELS:
            raise TableError("%s: unknown accelerator %r (%s)" % (where, a, "/".join(ACCELS)))
    return out


def _split_args(where, value):
    try:
        return shlex.split(value, comments=True)
    except ValueError as e:
        raise TableError("%s: extra_args: %s" % (where, e)) from None


def _check_name(where, kind, name):
    if not NAME_RE.match(name):
        raise TableError("%s: %s name %r: use letters, digits, _ . + -" % (where, kind, name))


def _yes_no(where, section, key, default):
    try:
        return section.getboolean(key, fallback=default)
    except ValueError:
        raise TableError("%s: %s must be yes or no" % (where, key)) from None


def _check_devices(where, iommu, devices, hint=""):
    """iommu and devices are -device values, not other arguments."""
    for d in ([iommu] if iommu else []) + devices:
        if d.startswith("-"):
            raise TableError("%s: %r: devices and iommu are -device values%s"
                             % (where, d, hint))


class Config:
    """A machine to boot the firmware in."""

    def __init__(self, name, description="", machine="q35", iommu="", devices=(),
                 memory="256M", cpu=None, smp=None, accel=ACCELS, kvm_machine_opts="",
                 timeout=DEFAULT_TIMEOUT, nodefaults=True, extra_args=(),
                 tcg_args=(), boot="multiboot", same_as=None, memory_backend="",
                 servers=()):
        self.name = name
        self.description = description
        self.machine = machine
        self.iommu = iommu
        self.devices = list(devices)
        self.memory = memory
        self.cpu = cpu
        self.smp = smp
        self.accel = list(accel)
        self.kvm_machine_opts = kvm_machine_opts
        self.timeout = timeout
        self.nodefaults = nodefaults
        self.extra_args = list(extra_args)
        self.tcg_args = list(tcg_args)
        self.boot = boot
        self.same_as = same_as
        self.memory_backend = memory_backend
        self.servers = list(servers)

    def machine_arg(self, accel):
        """The -machine value; under KVM, with what the IOMMU needs there."""
        parts = [self.machine]
        if self.memory_backend:
            parts.append("memory-backend=" + RAM_ID)
        if accel == "kvm":
            opts = _words(self.kvm_machine_opts)
            iommu_opts = self.iommu.split(",")[1:]
            needs_split = any(o in ("intremap=on", "eim=on") for o in iommu_opts)
            has_irqchip = any(o.startswith("kernel-irqchip=")
                              for o in opts + self.machine.split(","))
            if needs_split and not has_irqchip:
                # KVM's in-kernel IOAPIC cannot deliver through the vIOMMU's
                # interrupt remapping; QEMU refuses intremap=on without it.
                opts.append("kernel-irqchip=split")
            parts += opts
        return ",".join(parts)


class Test:
    """An entry of the test table: guest test(s) and where they run."""

    def __init__(self, name, guest, configs, description="", groups=(), timeout=None,
                 expect=None, scripts=(), append="", extra_args=(), accel=None,
                 alone=False):
        self.name = name
        # Booted on its own: a test that can take the machine down, or
        # one whose verdict is the point (a self-test's expect).
        self.alone = alone or expect is not None
        self.guest = list(guest)
        self.configs = list(configs)
        self.description = description
        self.groups = list(groups)
        self.timeout = timeout
        self.expect = expect
        self.scripts = list(scripts)
        self.append = append
        self.extra_args = list(extra_args)
        self.accel = accel


def _same_machine(path, out):
    """Resolve same_as: the machine comes from the other configuration."""
    own = ini.own_keys(path)
    for name, c in out.items():
        if not c.same_as:
            continue
        where = "%s [%s]" % (path, name)
        base = out.get(c.same_as)
        if base is None:
            raise TableError("%s: same_as = %s: no such configuration" % (where, c.same_as))
        if base.same_as:
            raise TableError("%s: same_as = %s, which is itself the same as %s"
                             % (where, c.same_as, base.same_as))
        given = sorted(own.get(name, set()) & set(MACHINE_KEYS))
        if given:
            raise TableError("%s: %s: the machine is [%s]'s (same_as)"
                             % (where, ", ".join(given), c.same_as))
        for key in MACHINE_KEYS:
            value = getattr(base, key)
            setattr(c, key, list(value) if isinstance(value, list) else value)


def _boot(where, value):
    value = value.strip()
    if value not in efi.BOOTS:
        raise TableError("%s: boot = %s: one of %s" % (where, value, ", ".join(efi.BOOTS)))
    return value


def load_configs(path):
    """{name: Config} from a configuration table, in file order."""
    parser = ini.read(path, CONFIG_KEYS)
    for key in ("boot", "same_as"):
        if key in parser.defaults():
            raise TableError("%s [%s]: %s is per configuration" % (path, DEFAULTS, key))
    out = {}
    for name in parser.sections():
        where = "%s [%s]" % (path, name)
        _check_name(where, "configuration", name)
        s = parser[name]
        nodefaults = _yes_no(where, s, "nodefaults", True)
        iommu = s.get("iommu", "").strip()
        devices = _lines(s.get("devices", ""))
        _check_devices(where, iommu, devices, "; put other arguments in extra_args")
        out[name] = Config(
            name,
            description=" ".join(s.get("description", "").split()),
            machine=s.get("machine", "q35").strip() or "q35",
            iommu=iommu,
            devices=devices,
            memory=s.get("memory", "256M").strip(),
            cpu=s.get("cpu", "").strip() or None,
            smp=s.get("smp", "").strip() or None,
            accel=_accels(where, s.get("accel", " ".join(ACCELS))),
            kvm_machine_opts=s.get("kvm_machine_opts", ""),
            timeout=_seconds(where, s.get("timeout", str(DEFAULT_TIMEOUT))),
            nodefaults=nodefaults,
            extra_args=_split_args(where, s.get("extra_args", "")),
            tcg_args=_split_args(where, s.get("tcg_args", "")),
            boot=_boot(where, s.get("boot", "multiboot")),
            same_as=s.get("same_as", "").strip() or None,
            memory_backend=_memory_backend(where, s.get("memory_backend", "")),
            servers=assigned.parse_servers(where, s.get("servers", "")),
        )
    if not out:
        raise TableError("%s: no configurations" % path)
    _same_machine(path, out)
    for name, c in out.items():
        assigned.check_config("%s [%s]" % (path, name), c)
    return out


def _memory_backend(where, value):
    value = value.strip()
    if value and (not value.startswith("memory-backend-") or
                  any(o.split("=")[0] in ("id", "size") for o in value.split(",")[1:])):
        raise TableError("%s: memory_backend = %s: a memory-backend-* object "
                         "and its options, without id or size (the runner "
                         "gives those)" % (where, value))
    return value



def resolve_configs(where, words, configs):
    """Configuration names from names and globs, each of which must match."""
    out = []
    for w in words:
        if any(ch in w for ch in "*?["):
            hits = [n for n in configs if fnmatch.fnmatchcase(n, w)]
            if not hits:
                raise TableError("%s: no configuration matches %r" % (where, w))
        elif w in configs:
            hits = [w]
        else:
            raise TableError("%s: unknown configuration %r (known: %s)"
                             % (where, w, ", ".join(configs)))
        out += [h for h in hits if h not in out]
    return out


def load_tests(path, configs):
    """[Test] from a test table, in file order."""
    parser = ini.read(path, TEST_KEYS)
    out = []
    for name in parser.sections():
        where = "%s [%s]" % (path, name)
        _check_name(where, "test", name)
        s = parser[name]
        guest = _words(s.get("guest", name))
        for g in guest:
            if not re.match(r"^[A-Za-z0-9_.+-]+$", g):
                raise TableError("%s: guest test name %r" % (where, g))
        expect = None
        if s.get("expect", "").strip():
            try:
                expect = verdicts.parse(s["expect"])
            except ValueError as e:
                raise TableError("%s: expect: %s" % (where, e)) from None
        timeout = s.get("timeout", "").strip()
        accel = s.get("accel", "").strip()
        alone = _yes_no(where, s, "alone", False)
        scripts = _words(s.get("scripts", ""))
        out.append(Test(
            name,
            guest=guest,
            configs=resolve_configs(where, _words(s.get("configs", "default")), configs),
            description=" ".join(s.get("description", "").split()),
            groups=_words(s.get("groups", "")),
            timeout=_seconds(where, timeout) if timeout else None,
            expect=expect,
            scripts=scripts,
            append=" ".join(s.get("append", "").split()),
            extra_args=_split_args(where, s.get("extra_args", "")),
            accel=_accels(where, accel) if accel else None,
            alone=alone,
        ))
    return out


def kernel_words(test, append=""):
    """The firmware's command line of a run, as words."""
    words = ["test=" + ",".join(test.guest)]
    if test.append:
        words.append(test.append)
    if append:
        words.append(append)
    return words


def qemu_command(qemu, config, test, accel, image, serial_path, modules=(), append=""):
    """The exact QEMU argument vector of one run.  modules: the multiboot
    modules (scenario scripts), as paths QEMU can open.  A configuration
    with boot = efi boots the EFI system partition in the run's directory
    instead (efi.py), where image, command line and modules go."""
    cmd = list(qemu)
    cmd += ["-machine", config.machine_arg(accel), "-accel", accel, "-m", config.memory]
    if config.memory_backend:
        cmd += ["-object", "%s,id=%s,size=%s" % (config.memory_backend, RAM_ID,
                                                  config.memory)]
    if config.cpu:
        cmd += ["-cpu", config.cpu]
    if config.smp:
        cmd += ["-smp", config.smp]
    if config.nodefaults:
        cmd.append("-nodefaults")
    cmd += ["-no-reboot", "-display", "none", "-monitor", "none",
            "-serial", "file:" + serial_path,
            "-device", DEBUG_EXIT]
    # The IOMMU first: QEMU wants it created before the devices behind it.
    if config.iommu:
        cmd += ["-device", config.iommu]
    for d in config.devices:
        cmd += ["-device", d]
    if config.boot == "efi":
        cmd += efi.qemu_args(os.path.dirname(serial_path))
    else:
        cmd += ["-kernel", image, "-append", " ".join(kernel_words(test, append))]
        if modules:
            cmd += ["-initrd", ",".join(modules)]
    if accel == "tcg":
        cmd += config.tcg_args
    cmd += config.extra_args + test.extra_args
    return cmd


# ------------------------------------------------- the hosted machine

MODEL_CONFIG_KEYS = {
    "description": "what this configuration is for",
    "qemu": "the configuration of run/configs.cfg whose iommu, devices and "
            "memory it takes (and, when it mirrors it, compares with)",
    "iommu": "the IOMMU's -device value (instead of the QEMU configuration's)",
    "iommu_props": "intel-iommu properties added after the IOMMU's own "
                   "(model-only ones: aw-bits=57, x-cache=maximal, ...)",
    "devices": "one -device value per line (instead of the QEMU configuration's)",
    "memory": "the -m value",
    "tests": "tests of run/tests.cfg to run, instead of those derived (every "
             "test whose guest tests vtdhost holds that runs in `qemu` or in "
             "default)",
    "append": "further command-line words",
    "timeout": "seconds before a run is killed",
    "compare": "yes: compare its runs with QEMU's runs of `qemu` (default: "
               "yes when it takes that configuration unchanged)",
}


class ModelConfig:
    """A machine for vtdhost: the same -device values as a QEMU
    configuration, plus what only the model offers."""

    def __init__(self, name, description="", qemu=None, iommu="", devices=(),
                 memory="256M", tests=(), append="", timeout=DEFAULT_TIMEOUT,
                 compare=False):
        self.name = name
        self.description = description
        self.qemu = qemu
        self.iommu = iommu
        self.devices = list(devices)
        self.memory = memory
        self.tests = list(tests)
        self.append = append
        self.timeout = timeout
        self.compare = compare
        self.accel = list(ACCELS)       # no accelerator: runs under any


def model_suite(tests, held, qemu):
    """The tests a model configuration built from the QEMU configuration
    qemu runs when it does not name them: every test of the table whose
    guest tests vtdhost holds (held: their names) and that runs in qemu or
    in default.  The model runs the default machine's suite in each of its
    configurations, and each test written for the machine it mirrors."""
    return [t.name for t in tests
            if all(g in held for g in t.guest) and
            ("default" in t.configs or qemu in t.configs)]


def load_model_configs(path, configs, tests, held):
    """{name: ModelConfig} from the hosted machine's table.  configs: the
    QEMU configurations; tests: the test table (names must exist there);
    held: the names of the guest tests vtdhost holds (model_suite)."""
    parser = ini.read(path, MODEL_CONFIG_KEYS)
    for key in ("qemu", "iommu", "iommu_props", "devices", "tests", "compare"):
        if key in parser.defaults():
            raise TableError("%s [%s]: %s is per configuration"
                             % (path, DEFAULTS, key))
    names = {t.name for t in tests}
    out = {}
    for name in parser.sections():
        where = "%s [%s]" % (path, name)
        _check_name(where, "configuration", name)
        s = parser[name]
        qemu = s.get("qemu", "").strip() or None
        base = None
        if qemu is not None:
            if qemu not in configs:
                raise TableError("%s: qemu = %s: no such configuration in the "
                                 "QEMU table" % (where, qemu))
            base = configs[qemu]
        iommu = s.get("iommu", "").strip() if "iommu" in s else \
            (base.iommu if base else "")
        changed = "iommu" in s or "devices" in s
        props = " ".join(s.get("iommu_props", "").split())
        if props:
            if not iommu:
                raise TableError("%s: iommu_props without an IOMMU" % where)
            iommu += "," + props.replace(" ", ",")
            changed = True
        # A served edu is, on the model, an edu behind a host container
        # (assigned.model_device); the firmware is told so as on QEMU.
        devices = _lines(s["devices"]) if "devices" in s else \
            ([assigned.model_device(d) for d in base.devices] if base else [])
        served_word = assigned.bdf_words(base) if base is not None and \
            base.servers and "devices" not in s else ""
        _check_devices(where, iommu, devices)
        run_tests = _words(s["tests"]) if "tests" in s else \
            model_suite(tests, held, qemu)
        for t in run_tests:
            if t not in names:
                raise TableError("%s: tests: %r is not in the test table"
                                 % (where, t))
        compare = _yes_no(where, s, "compare", base is not None and not changed)
        if compare and base is None:
            raise TableError("%s: compare needs qemu = CONFIGURATION" % where)
        out[name] = ModelConfig(
            name,
            description=" ".join(s.get("description", "").split()) or
            (base.description if base else ""),
            qemu=qemu,
            iommu=iommu,
            devices=devices,
            memory=s.get("memory", base.memory if base else "256M").strip(),
            tests=run_tests,
            append=" ".join((served_word + " " + s.get("append", "")).split()),
            timeout=_seconds(where, s.get("timeout", str(DEFAULT_TIMEOUT))),
            compare=compare,
        )
    if not out:
        raise TableError("%s: no configurations" % path)
    return out


def hosted_command(vtdhost, config, test, serial_path, modules=(), append=""):
    """The vtdhost argument vector of one run: the QEMU configuration's
    -device values, the test selection and command line as the firmware
    would get them, scripts as boot modules."""
    cmd = list(vtdhost)
    cmd += ["-m", config.memory, "-serial", "file:" + serial_path]
    if config.iommu:
        cmd += ["-device", config.iommu]
    for d in config.devices:
        cmd += ["-device", d]
    words = ["test=" + ",".join(test.guest)]
    for w in (test.append, config.append, append):
        if w:
            words.append(w)
    cmd += ["-append", " ".join(words)]
    if modules:
        cmd += ["-initrd", ",".join(modules)]
    return cmd
