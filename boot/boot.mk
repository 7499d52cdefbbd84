# SPDX-License-Identifier: GPL-2.0-or-later
# boot/: multiboot entry and exception stubs (nasm).
FW_ASM += boot/entry.asm boot/trap.asm

# Both entries include the GDT; nasm -MD does not list %include files.
$(B)/fw/boot/entry.o $(B)/efi/boot/efi/start.o: boot/gdt.inc
