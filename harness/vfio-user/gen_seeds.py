#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Seed inputs for harness/vfio-user/fuzz_msg.c: what QEMU's client sends
when it sets the device up, then a guest programming edu's DMA through a
mapping, in the fuzzer's input format ([op][len16][message] ...).

    harness/vfio-user/gen_seeds.py DIR
"""
import os
import struct
import sys

NONE, RAM, EVENTFD, RAM_EVENTFDS = 0, 1, 2, 3
TICK = 8

(VERSION, DMA_MAP, DMA_UNMAP, GET_INFO, GET_REGION_INFO, GET_REGION_IO_FDS,
 GET_IRQ_INFO, SET_IRQS, REGION_READ, REGION_WRITE, DMA_READ, DMA_WRITE,
 RESET) = range(1, 14)
WRITE_MULTI = 15
CONFIG, BAR0 = 7, 0

msg_id = 0


def msg(cmd, payload, flags=0):
    global msg_id
    msg_id += 1
    return struct.pack('<HHII I', msg_id & 0xFFFF, cmd, 16 + len(payload),
                       flags, 0) + payload


def op(kind, m):
    return struct.pack('<BH', kind, len(m)) + m


def region_read(region, off, count):
    return op(NONE, msg(REGION_READ, struct.pack('<QII', off, region, count)))


def region_write(region, off, value, count=4, posted=False):
    data = value.to_bytes(8, 'little')[:count]
    return op(NONE, msg(REGION_WRITE, struct.pack('<QII', off, region, count)
                        + data, 0x10 if posted else 0))


def dma_map(iova, size, offset, flags=3, fd=True):
    return op(RAM if fd else NONE,
              msg(DMA_MAP, struct.pack('<IIQQQ', 32, flags, offset, iova,
                                       size)))


def dma_unmap(iova, size, flags=0):
    return op(NONE, msg(DMA_UNMAP, struct.pack('<IIQQ', 24, flags, iova,
                                               size)))


def set_irqs(index, flags, count, kind=NONE):
    return op(kind, msg(SET_IRQS, struct.pack('<IIIII', 20, flags, index, 0,
                                              count)))


def setup():
    s = b''
    s += op(NONE, msg(GET_INFO, struct.pack('<IIII', 16, 0, 0, 0)))
    for i in range(9):
        s += op(NONE, msg(GET_REGION_INFO,
                          struct.pack('<IIIIQQ', 32, 0, i, 0, 0, 0)))
    for i in range(5):
        s += op(NONE, msg(GET_IRQ_INFO, struct.pack('<IIII', 16, 0, i, 0)))
    s += region_read(CONFIG, 0, 256)
    s += set_irqs(0, 0x24, 1, EVENTFD)              # INTx eventfd
    s += region_write(CONFIG, 0x10, 0xFEA00000)     # BAR0
    s += region_write(CONFIG, 0x04, 0x0106, 2)      # memory, master
    return s


def edu_dma(iova, to_ram, count=64, irq=True):
    s = b''
    src, dst = (0x40000, iova) if to_ram else (iova, 0x40000)
    s += region_write(BAR0, 0x80, src, 8, posted=True)
    s += region_write(BAR0, 0x88, dst, 8, posted=True)
    s += region_write(BAR0, 0x90, count, 8, posted=True)
    s += region_write(BAR0, 0x98, 1 | (2 if to_ram else 0) | (4 if irq else 0),
                      8, posted=True)
    s += region_read(BAR0, 0x98, 8)
    return s


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = {
        'setup': setup(),
        'msi-dma': setup()
        + set_irqs(0, 0x21, 0)                      # INTx off
        + set_irqs(1, 0x24, 1, EVENTFD)             # MSI eventfd
        + dma_map(0x100000, 0x4000, 0x2000)
        + edu_dma(0x100000, False) + edu_dma(0x101000, True)
        + edu_dma(0x200000, True)                   # not mapped
        + dma_unmap(0, 0x80000000) + dma_unmap(0, 0, 2),
        'intx': setup()
        + region_write(BAR0, 0x60, 1)
        + set_irqs(0, 0x11, 1)                      # unmask
        + region_write(BAR0, 0x64, 1)
        + set_irqs(0, 0x11, 1),
        'maps': setup()
        + dma_map(0, 0x10000000, 0) + dma_map(0xfffc0000, 0x40000, 0, 1,
                                              False)
        + dma_unmap(0, 0x10000000) + dma_map(0x1000, 0x1000, 0x1000)
        + dma_map(0x1000, 0x1000, 0x1000) + dma_unmap(0x800, 0x1000)
        + dma_unmap(0xfef00000, (1 << 64) - 0xfef00000),
        'delayed': bytes([0x40]) + b'\0\0' + setup()
        + dma_map(0x4000, 0x1000, 0) + edu_dma(0x4000, True)
        + op(TICK, b''),
        'multi-reset': setup()
        + op(NONE, msg(WRITE_MULTI, struct.pack('<Q', 2)
                       + struct.pack('<QII', 4, BAR0, 4) + bytes(8)
                       + struct.pack('<QII', 8, BAR0, 4) + bytes([5]) + bytes(7),
                       0x10))
        + op(NONE, msg(RESET, b'')),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
