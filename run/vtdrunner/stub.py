# SPDX-License-Identifier: GPL-2.0-or-later
"""A stand-in firmware for --check-configs: a multiboot (v1) image of a few
dozen bytes that prints a one-check TAP stream on COM1 and exits SUCCESS
through isa-debug-exit, and the same as a UEFI application for
configurations with boot = efi.  Booting it in a configuration proves that QEMU
accepts the configuration's command line and that the runner's whole path
(exit status, final serial line, verdict) works with that QEMU."""

import struct

from .verdict import GUEST_EXIT_VALUE, Verdict

LOAD = 0x100000
MAGIC = 0x1BADB002
FLAGS = 0x00010000          # the address fields below are valid ("a.out kludge")
HEADER_SIZE = 32
COM1 = 0x3F8
DEBUG_EXIT_PORT = 0xF4

MESSAGE = (b"TAP version 13\n1..1\nok 1 - configcheck: booted\n"
           b"# vtdprobe result: SUCCESS\n\0")


# Print the NUL-terminated string at [esi] (rsi) on COM1, then exit
# SUCCESS through isa-debug-exit: the same bytes in 32- and 64-bit mode.
_PRINT_AND_EXIT = (
    b"\xac"                         # next:  lodsb
    b"\x84\xc0"                     #        test al, al
    b"\x74\x07"                     #        jz done
    + b"\x66\xba" + struct.pack("<H", COM1)           # mov dx, COM1
    + b"\xee"                       #        out dx, al
    b"\xeb\xf4"                     #        jmp next
    + b"\x66\xba" + struct.pack("<H", DEBUG_EXIT_PORT)  # done: mov dx, port
    + b"\xb8" + struct.pack("<I", GUEST_EXIT_VALUE[Verdict.SUCCESS])
    + b"\xef"                       #        out dx, eax
    b"\xf4"                         # halt:  hlt
    b"\xeb\xfd")                    #        jmp halt


def image():
    """The image's bytes: header, 32-bit code, message."""
    entry = LOAD + HEADER_SIZE
    body = _PRINT_AND_EXIT
    code = b"\xbe" + struct.pack("<I", entry + 5 + len(body)) + body   # mov esi, msg
    end = entry + len(code) + len(MESSAGE)
    header = struct.pack("<8I", MAGIC, FLAGS, (-(MAGIC + FLAGS)) & 0xFFFFFFFF,
                         LOAD, LOAD, end, end, entry)
    return header + code + MESSAGE


# The same stand-in as a UEFI application (PE32+, x86-64), for
# configurations with boot = efi: OVMF's boot manager starts it from the
# EFI system partition, it writes the message to COM1 and exits through
# isa-debug-exit without returning to the firmware.  Position-independent
# code; the .reloc section holds one empty block, as gnu-efi's crt0 does,
# so that the loader places the image anywhere (an image based at 0 must
# be relocatable).
PE_TEXT_RVA = 0x1000
PE_RELOC_RVA = 0x2000
PE_FILE_ALIGN = 0x200


def _pe_section(name, size, rva, raw_at, flags):
    raw = (size + PE_FILE_ALIGN - 1) // PE_FILE_ALIGN * PE_FILE_ALIGN
    return struct.pack("<8sIIIIIIHHI", name, size, rva, raw, raw_at, 0, 0, 0, 0, flags)


def efi_image():
    """The PE image's bytes."""
    msg = b"\n" + MESSAGE
    code = (b"\x48\x8d\x35" + struct.pack("<i", 32 - 7)   # lea rsi, [rip + msg]
            + _PRINT_AND_EXIT)
    assert len(code) == 32
    text = code + msg
    reloc = struct.pack("<IIH", PE_TEXT_RVA, 10, 0)     # one block, one no-op entry
    dirs = [(0, 0)] * 16
    dirs[5] = (PE_RELOC_RVA, len(reloc))                # base relocation table
    coff = struct.pack("<HHIIIHH", 0x8664, 2, 0, 0, 0, 240, 0x0022)
    opt = struct.pack("<HBBIIIII", 0x20B, 0, 0, PE_FILE_ALIGN, PE_FILE_ALIGN, 0,
                      PE_TEXT_RVA, PE_TEXT_RVA)
    opt += struct.pack("<QIIHHHHHHIIIIHHQQQQII", 0, 0x1000, PE_FILE_ALIGN,
                       0, 0, 0, 0, 0, 0, 0, 0x3000, PE_FILE_ALIGN, 0,
                       10, 0, 0x10000, 0x10000, 0x10000, 0x10000, 0, 16)
    opt += b"".join(struct.pack("<II", rva, size) for rva, size in dirs)
    sections = (_pe_section(b".text", len(text), PE_TEXT_RVA, PE_FILE_ALIGN,
                            0x60000020)
                + _pe_section(b".reloc", len(reloc), PE_RELOC_RVA, 2 * PE_FILE_ALIGN,
                              0x42000040))
    dos = b"MZ" + b"\0" * 58 + struct.pack("<I", 0x40)
    headers = dos + b"PE\0\0" + coff + opt + sections
    assert len(opt) == 240 and len(headers) <= PE_FILE_ALIGN

    def pad(b):
        return b + b"\0" * (-len(b) % PE_FILE_ALIGN)
    return pad(headers) + pad(text) + pad(reloc)
