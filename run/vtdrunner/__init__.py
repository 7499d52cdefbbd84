# SPDX-License-Identifier: GPL-2.0-or-later
"""vtdrun: boots the vtdprobe firmware under QEMU and turns what it says
into verdicts.  See run/vtdrun --help."""
