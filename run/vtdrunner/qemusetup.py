# SPDX-License-Identifier: GPL-2.0-or-later
"""The set-up step's private QEMUs: QEMU 10.0 and 11.1 from Debian's
backports, installed beside the system's QEMU without touching it.

  10.0  qemu-system-x86 from bookworm-backports (built for Debian 12):
        its .debs are fetched with apt-get against a private sources list
        and unpacked with dpkg -x; the system's own libraries serve it.
  11.1  qemu-system-x86 from trixie-backports (built for Debian 13): a
        Debian 13 root made by debootstrap, the package installed in it,
        and the binary run through that root's own loader, no chroot.

Each lands in HOME/NAME/ (HOME: $VTDPROBE_QEMU_HOME, else
$XDG_CACHE_HOME/vtdprobe/qemu, else ~/.cache/vtdprobe/qemu: outside
build/, so `make clean` does not fetch them again) with a wrapper
HOME/NAME/qemu-system-x86_64 that starts it with its own data and module
directories, and a stamp HOME/NAME/installed naming the package version.
A present, working install is left alone; an install is built in a
scratch directory and renamed into place only when it works.

The steps go through a Shell object, so the decisions (present, missing,
registry unreachable) are tested without the network.
"""

import os
import shlex
import shutil
import subprocess
import sys
import tempfile

WRAPPER = "qemu-system-x86_64"
STAMP = "installed"
PACKAGE = "qemu-system-x86"
DEFAULT_MIRROR = "http://deb.debian.org/debian"


class SetupError(Exception):
    """A step failed; the message names which and why."""


def home(explicit=None):
    if explicit:
        return explicit
    env = os.environ.get("VTDPROBE_QEMU_HOME")
    if env:
        return env
    cache = os.environ.get("XDG_CACHE_HOME") or \
        os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "vtdprobe", "qemu")


class Private:
    """One private QEMU: where it comes from and how it is laid out."""

    def __init__(self, name, suite, how, description):
        self.name = name
        self.suite = suite
        self.how = how              # "unpack" or "root"
        self.description = description

    def dir(self, top):
        return os.path.join(top, self.name)

    def wrapper(self, top):
        return os.path.join(self.dir(top), WRAPPER)

    def stamp(self, top):
        return os.path.join(self.dir(top), STAMP)


PRIVATE = [
    Private("10.0", "bookworm-backports", "unpack",
            "QEMU 10.0 from bookworm-backports"),
    Private("11.1", "trixie-backports", "root",
            "QEMU 11.1 from trixie-backports, in a Debian 13 root"),
]

# The packages whose files a QEMU from bookworm-backports needs beside
# the binary: its data (firmware blobs, keymaps), modules, and the
# matching SeaBIOS.
UNPACK_PACKAGES = ("qemu-system-x86", "qemu-system-common", "qemu-system-data",
                   "seabios")


def installed(top=None):
    """[(name, wrapper command)] of the private QEMUs present."""
    top = home(top)
    out = []
    for p in PRIVATE:
        if os.path.isfile(p.stamp(top)) and os.access(p.wrapper(top), os.X_OK):
            out.append((p.name, [p.wrapper(top)]))
    return out


def missing(top=None):
    """[(name, why)] of the private QEMUs not present."""
    top = home(top)
    have = {n for n, _ in installed(top)}
    return [(p.name, "run run/setup (%s)" % p.description)
            for p in PRIVATE if p.name not in have]


# ------------------------------------------------------------ the steps

class Shell:
    """Runs the set-up's commands; a test replaces it."""

    def run(self, cmd, cwd=None, env=None):
        """(status, combined output)."""
        try:
            p = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except OSError as e:
            return 127, "%s: %s" % (cmd[0], e.strerror or e)
        return p.returncode, p.stdout.decode("utf-8", errors="replace")

    def is_root(self):
        return os.geteuid() == 0


def _last(text, n=3):
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return " | ".join(lines[-n:])


def _must(shell, step, cmd, cwd=None, env=None):
    status, out = shell.run(cmd, cwd=cwd, env=env)
    if status != 0:
        raise SetupError("%s failed (status %d, `%s`): %s"
                         % (step, status, shlex.join(cmd)[:160], _last(out)))
    return out


def mirror(paths=("/etc/apt/sources.list", "/etc/apt/sources.list.d")):
    """The Debian mirror of the machine's own apt sources (the first URI
    serving a Debian suite other than security), else Debian's default."""
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p)
                            if f.endswith((".list", ".sources")))
        elif os.path.isfile(p):
            files.append(p)
    for path in files:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        found = mirror_in(text)
        if found:
            return found
    return DEFAULT_MIRROR


def mirror_in(text):
    """The mirror named by one sources file (one-line or deb822 form)."""
    uris, suites = [], []
    for raw in text.splitlines() + [""]:
        line = raw.split("#", 1)[0].strip()
        if line.startswith("deb ") or line.startswith("deb\t"):
            words = [w for w in line.split()[1:] if not w.startswith("[")]
            if len(words) >= 2 and _is_debian(words[0], [words[1]]):
                return words[0].rstrip("/")
        elif line.lower().startswith("uris:"):
            uris = line.split(":", 1)[1].split()
        elif line.lower().startswith("suites:"):
            suites = line.split(":", 1)[1].split()
        elif not line:
            for u in uris:
                if _is_debian(u, suites):
                    return u.rstrip("/")
            uris, suites = [], []
    return None


def _is_debian(uri, suites):
    return (uri.startswith(("http://", "https://")) and
            uri.rstrip("/").endswith("/debian") and
            any(not s.endswith("-security") for s in suites))


def _apt_options(work):
    return ["-o", "Dir::Etc::sourcelist=" + os.path.join(work, "sources.list"),
            "-o", "Dir::Etc::sourceparts=-",
            "-o", "Dir::State::Lists=" + os.path.join(work, "lists"),
            "-o", "Dir::Cache=" + os.path.join(work, "cache"),
            "-o", "APT::Sandbox::User=root",
            "-q"]


def _write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, mode)


def _wrapper_text(lines):
    return "#!/bin/sh\n# Written by vtdprobe's set-up step (run/setup).\n" + \
        "\n".join(lines) + "\n"


def install_unpack(shell, p, dest, work, url):
    """QEMU 10.0: fetch the .debs of the backports suite, unpack them."""
    os.makedirs(os.path.join(work, "lists", "partial"), exist_ok=True)
    os.makedirs(os.path.join(work, "cache", "archives", "partial"), exist_ok=True)
    _write(os.path.join(work, "sources.list"), "deb %s %s main\n" % (url, p.suite))
    opts = _apt_options(work)
    _must(shell, "%s: apt-get update of %s (is Debian's registry reachable?)"
          % (p.name, p.suite), ["apt-get"] + opts + ["update"])
    debs = os.path.join(work, "debs")
    os.makedirs(debs, exist_ok=True)
    _must(shell, "%s: apt-get download from %s" % (p.name, p.suite),
          ["apt-get"] + opts + ["download"] +
          ["%s/%s" % (pkg, p.suite) for pkg in UNPACK_PACKAGES], cwd=debs)
    root = os.path.join(dest, "root")
    names = sorted(f for f in os.listdir(debs) if f.endswith(".deb")) \
        if os.path.isdir(debs) else []
    if not names:
        raise SetupError("%s: apt-get download left no package in %s" % (p.name, debs))
    version = None
    for f in names:
        _must(shell, "%s: dpkg -x %s" % (p.name, f), ["dpkg", "-x", os.path.join(debs, f), root])
        if f.startswith(PACKAGE + "_"):
            version = f.split("_")[1].replace("%3a", ":")
    _write(os.path.join(dest, WRAPPER), _wrapper_text([
        'R="$(dirname "$(readlink -f "$0")")/root"',
        'export QEMU_MODULE_DIR="$R/usr/lib/x86_64-linux-gnu/qemu"',
        'exec "$R/usr/bin/qemu-system-x86_64" -L "$R/usr/share/qemu" '
        '-L "$R/usr/share/seabios" "$@"']), 0o755)
    return version


def install_root(shell, p, dest, work, url):
    """QEMU 11.1: a Debian 13 root, the backports package installed in it."""
    if not shell.is_root():
        raise SetupError("%s: debootstrap and chroot need root (run run/setup as "
                         "root, or with sudo)" % p.name)
    root = os.path.join(dest, "root")
    _must(shell, "%s: debootstrap of Debian 13 (trixie) from %s (is Debian's "
          "registry reachable?)" % (p.name, url),
          ["debootstrap", "--variant=minbase", "trixie", root, url])
    _write(os.path.join(root, "etc", "apt", "sources.list.d", "backports.list"),
           "deb %s %s main\n" % (url, p.suite))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    _must(shell, "%s: apt-get update in the Debian 13 root" % p.name,
          ["chroot", root, "apt-get", "-q", "update"], env=env)
    _must(shell, "%s: apt-get install -t %s %s in the Debian 13 root"
          % (p.name, p.suite, PACKAGE),
          ["chroot", root, "apt-get", "-q", "-y", "--no-install-recommends",
           "install", "-t", p.suite, PACKAGE], env=env)
    out = _must(shell, "%s: dpkg-query in the Debian 13 root" % p.name,
                ["chroot", root, "dpkg-query", "-W", "-f=${Version}", PACKAGE])
    _must(shell, "%s: apt-get clean" % p.name, ["chroot", root, "apt-get", "clean"])
    libs = "$R/usr/lib/x86_64-linux-gnu:$R/lib/x86_64-linux-gnu"
    _write(os.path.join(dest, WRAPPER), _wrapper_text([
        'R="$(dirname "$(readlink -f "$0")")/root"',
        'export QEMU_MODULE_DIR="$R/usr/lib/x86_64-linux-gnu/qemu"',
        'exec "$R/lib64/ld-linux-x86-64.so.2" --library-path "%s" '
        '"$R/usr/bin/qemu-system-x86_64" -L "$R/usr/share/qemu" '
        '-L "$R/usr/share/seabios" "$@"' % libs]), 0o755)
    return out.strip().splitlines()[-1] if out.strip() else None


INSTALLERS = {"unpack": install_unpack, "root": install_root}


def works(shell, wrapper):
    """The version line a wrapper's QEMU prints, or None."""
    status, out = shell.run([wrapper, "-version"])
    if status != 0 or "QEMU emulator version" not in out:
        return None
    return out.splitlines()[0].strip()


def ensure(shell, p, top, url, say):
    """Install p under top unless a working install is there.  Returns
    "present" or "installed"; SetupError."""
    dest = p.dir(top)
    if os.path.isfile(p.stamp(top)) and works(shell, p.wrapper(top)):
        return "present"
    say("setup: installing %s into %s" % (p.description, dest))
    os.makedirs(top, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix=".%s-" % p.name, dir=top)
    try:
        build = os.path.join(scratch, "qemu")
        os.makedirs(build)
        version = INSTALLERS[p.how](shell, p, build, os.path.join(scratch, "work"), url)
        line = works(shell, os.path.join(build, WRAPPER))
        if line is None:
            raise SetupError("%s: the installed QEMU does not start (%s -version)"
                             % (p.name, os.path.join(build, WRAPPER)))
        _write(os.path.join(build, STAMP), "%s %s\n%s\n" % (PACKAGE, version or "?", line))
        if os.path.isdir(dest):
            shutil.rmtree(dest)
        os.rename(build, dest)
        say("setup: %s: %s" % (p.name, line))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return "installed"


def main(argv=None, shell=None, out=sys.stdout, err=sys.stderr):
    import argparse
    ap = argparse.ArgumentParser(prog="run/setup-qemus",
                                 description="Install the private QEMUs "
                                 "(10.0 and 11.1 from Debian's backports).")
    ap.add_argument("--quiet", action="store_true",
                    help="print nothing when every QEMU is already there")
    ap.add_argument("--home", help="where they go (default: %s)" % home())
    ap.add_argument("--mirror", help="the Debian mirror (default: the one of "
                    "the machine's apt sources)")
    args = ap.parse_args(argv)
    shell = shell or Shell()
    top = home(args.home)
    if os.environ.get("VTDPROBE_EXTRA_QEMUS", "yes") == "no":
        if not args.quiet:
            print("setup: VTDPROBE_EXTRA_QEMUS=no: QEMU 10.0 and 11.1 not "
                  "installed", file=out)
        return 0
    url = args.mirror or mirror()

    def say(text):
        print(text, file=out)
        out.flush()

    failed = 0
    for p in PRIVATE:
        try:
            what = ensure(shell, p, top, url, say)
        except (SetupError, OSError) as e:
            print("setup: %s" % e, file=err)
            failed += 1
            continue
        if what == "present" and not args.quiet:
            say("setup: %s is installed (%s)" % (p.description, p.dir(top)))
    return 1 if failed else 0
