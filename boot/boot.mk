# SPDX-License-Identifier: GPL-2.0-or-later
# boot/: multiboot entry and exception stubs (nasm).
FW_ASM += boot/entry.asm boot/trap.asm
