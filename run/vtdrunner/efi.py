# SPDX-License-Identifier: GPL-2.0-or-later
"""Booting the UEFI image (build/vtdprobe.efi) under OVMF: configurations
with `boot = efi`.

Per run, in the run's directory:
  esp/                        the EFI system partition, given to QEMU as a
                              FAT drive (fat:rw:) on the q35's built-in AHCI
                              controller, so the PCI topology is the one the
                              multiboot runs see
  esp/EFI/BOOT/BOOTX64.EFI    the image, where OVMF's boot manager looks on
                              removable media
  esp/vtdprobe/cmdline.txt    the firmware's command line (test=..., append)
  esp/vtdprobe/scenarios/     the run's scenario scripts, read in name order
  ovmf-vars.fd                a writable copy of OVMF's variable store
OVMF's code is mapped read-only from the ovmf package.
"""

import os
import shutil

# Debian's ovmf package: the 4 MiB flash layout, code and variables as a pair.
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
BOOTS = ("multiboot", "efi")

# Seconds added to the timeout of every run booted this way: OVMF itself
# takes 3-6 s to reach the image under TCG on a loaded 2-core machine.
BOOT_ALLOWANCE = 30

VARS_NAME = "ovmf-vars.fd"
ESP_NAME = "esp"


def firmware():
    """(code, vars) paths, $OVMF_CODE and $OVMF_VARS overriding."""
    return (os.environ.get("OVMF_CODE") or OVMF_CODE,
            os.environ.get("OVMF_VARS") or OVMF_VARS)


def missing_firmware():
    """Why OVMF cannot be used here, or None."""
    for path in firmware():
        if not os.path.isfile(path):
            return "no OVMF firmware at %s (Debian package ovmf; or set " \
                   "OVMF_CODE and OVMF_VARS)" % path
    return None


def qemu_args(run_dir):
    """The arguments that boot the run's ESP through OVMF (instead of
    -kernel/-append/-initrd)."""
    code, _ = firmware()
    return ["-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + code,
            "-drive", "if=pflash,format=raw,unit=1,file=" +
            os.path.join(run_dir, VARS_NAME),
            "-drive", "file=fat:rw:%s,format=raw,media=disk" %
            os.path.join(run_dir, ESP_NAME)]


class Esp:
    """Fills a run's directory with what its QEMU command line names.
    Called after the directory is emptied, before QEMU starts; returns
    None, or why the run cannot start."""

    def __init__(self, image, words, scripts):
        self.image = image
        self.words = list(words)
        self.scripts = list(scripts)

    def __call__(self, run_dir):
        _, vars_template = firmware()
        why = missing_firmware()
        if why:
            return why
        esp = os.path.join(run_dir, ESP_NAME)
        names = set()
        try:
            boot = os.path.join(esp, "EFI", "BOOT")
            os.makedirs(boot)
            shutil.copyfile(self.image, os.path.join(boot, "BOOTX64.EFI"))
            own = os.path.join(esp, "vtdprobe")
            os.makedirs(os.path.join(own, "scenarios"))
            with open(os.path.join(own, "cmdline.txt"), "w", encoding="ascii") as f:
                f.write(" ".join(self.words) + "\n")
            for s in self.scripts:
                name = os.path.basename(s)
                # FAT compares names without case; the firmware reads the
                # directory in name order.
                if name.lower() in names:
                    return "two scenario scripts named %s" % name
                names.add(name.lower())
                shutil.copyfile(s, os.path.join(own, "scenarios", name))
            shutil.copyfile(vars_template, os.path.join(run_dir, VARS_NAME))
        except (OSError, UnicodeError) as e:
            return "cannot prepare the EFI system partition: %s" % e
        return None
