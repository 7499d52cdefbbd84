"""A stand-in firmware for --check-configs: a multiboot (v1) image of a few
dozen bytes that prints a one-check TAP stream on COM1 and exits SUCCESS
through isa-debug-exit.  Booting it in a configuration proves that QEMU
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


def image():
    """The image's bytes: header, 32-bit code, message."""
    entry = LOAD + HEADER_SIZE
    body = (b"\xac"                         # next:  lodsb
            b"\x84\xc0"                     #        test al, al
            b"\x74\x07"                     #        jz done
            + b"\x66\xba" + struct.pack("<H", COM1)   # mov dx, COM1
            + b"\xee"                       #        out dx, al
            b"\xeb\xf4"                     #        jmp next
            + b"\x66\xba" + struct.pack("<H", DEBUG_EXIT_PORT)  # done: mov dx, port
            + b"\xb8" + struct.pack("<I", GUEST_EXIT_VALUE[Verdict.SUCCESS])
            + b"\xef"                       #        out dx, eax
            b"\xf4"                         # halt:  hlt
            b"\xeb\xfd")                    #        jmp halt
    code = b"\xbe" + struct.pack("<I", entry + 5 + len(body)) + body   # mov esi, msg
    end = entry + len(code) + len(MESSAGE)
    header = struct.pack("<8I", MAGIC, FLAGS, (-(MAGIC + FLAGS)) & 0xFFFFFFFF,
                         LOAD, LOAD, end, end, entry)
    return header + code + MESSAGE
