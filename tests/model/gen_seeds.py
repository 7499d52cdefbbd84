#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of the model fuzzer (tests/model/corpus/).

Each seed is a configuration word followed by operations in the format
fuzz_model.c decodes. Files named regress-* in the corpus are inputs that
once found a bug; this script leaves them alone. The seeds bring the unit up the way a driver does
(tables in memory, RTADDR, SRTP, TE, QI, IR) so that mutations start from
states where translation, invalidation and remapping actually happen.
"""
import os
import struct
import sys

GCMD, GSTS, RTADDR, CCMD, FSTS, FECTL = 0x18, 0x1C, 0x20, 0x28, 0x34, 0x38
IQT, IQA, ICS, IECTL, IRTA = 0x88, 0x90, 0x9C, 0xA0, 0xB8
IVA, IOTLB = 0xF0, 0xF8
TE, SRTP, QIE, IRE, SIRTP, CFI = 1 << 31, 1 << 30, 1 << 26, 1 << 25, 1 << 24, 1 << 23


def cfg(aw=1, cm=0, sm=0, fs=0, pasid=0, pt=1, dt=1, sc=0, ir=1, eim=0,
        esrtps=0, lp=1, nfr=3, mamv=18, nd=6, policy=0, trace=0):
    f = (aw | cm << 2 | sm << 3 | fs << 4 | pasid << 5 | pt << 6 | dt << 7 |
         sc << 8 | ir << 9 | eim << 10 | esrtps << 11 | lp << 12 |
         nfr << 13 | mamv << 16 | nd << 22 | policy << 25 | trace << 27)
    return struct.pack("<I", f)


def mmio(off, val, size=8):
    code = {1: 0, 2: 1, 4: 2, 8: 3}[size]
    return bytes([0]) + struct.pack("<HB", off, code) + val.to_bytes(size, "little")


def mem(addr, val):
    assert addr % 8 == 0
    return bytes([2]) + (addr >> 3).to_bytes(3, "little") + struct.pack("<Q", val)


def dma(sid, addr, access=1, at=0, pasid=None):
    fl = access | at << 4 | 0x40
    out = bytes([3, fl | (0x80 if pasid is not None else 0)]) + struct.pack("<HQ", sid, addr)
    if pasid is not None:
        out += pasid.to_bytes(3, "little")
    return out


def msi(sid, addr, data):
    return bytes([5]) + struct.pack("<H", sid) + (addr & 0xFFFFF).to_bytes(3, "little") + \
        struct.pack("<I", data)


def legacy_tables(sid=0x10, did=5):
    ops = b""
    ops += mem(0x1000 + (sid >> 8) * 16, 0x2000 | 1)
    ops += mem(0x2000 + (sid & 0xFF) * 16, 0x3000 | 1)
    ops += mem(0x2000 + (sid & 0xFF) * 16 + 8, did << 8 | 2)
    ops += mem(0x3000, 0x4000 | 3)
    ops += mem(0x4000, 0x5000 | 3)
    ops += mem(0x5000, 0x6000 | 3)
    ops += mem(0x5008, 0x200000 | 0x80 | 3)      # 2 MiB leaf at 0x200000
    ops += mem(0x6008, 0x7000 | 3)
    ops += mem(0x6010, 0x8000 | 1)
    return ops


def bringup(ttm=0):
    return (mmio(FECTL, 0, 4) + mmio(RTADDR, 0x1000 | ttm << 10) +
            mmio(GCMD, SRTP, 4) + mmio(GCMD, TE, 4))


def qi_setup(dw=0):
    return mmio(IQT, 0) + mmio(IQA, 0x9000 | dw << 11) + mmio(GCMD, TE | QIE, 4)


def seeds():
    s = {}
    base = legacy_tables() + bringup()
    s["legacy-walk"] = cfg() + base + dma(0x10, 0x1000) + dma(0x10, 0x1000, 2) + \
        dma(0x10, 0x2000, 2) + dma(0x10, 0x201000) + dma(0x10, 0x5000) + \
        dma(0x11, 0x1000) + dma(0x10, 0xFEE00000, 2)
    s["legacy-maximal-cm"] = cfg(cm=1, policy=1) + base + dma(0x10, 0x3000) + \
        mem(0x6018, 0xA000 | 3) + dma(0x10, 0x3000) + \
        mmio(IVA, 0x3000) + mmio(IOTLB, 1 << 63 | 3 << 60 | 5 << 32) + dma(0x10, 0x3000)
    s["legacy-reg-inval"] = cfg(policy=1) + base + dma(0x10, 0x1000) + \
        mmio(CCMD, 1 << 63 | 3 << 61 | 0x10 << 16 | 5) + \
        mmio(IOTLB, 1 << 63 | 2 << 60 | 5 << 32) + mmio(IVA, 0x200000 | 9 | 64) + \
        mmio(IOTLB, 1 << 63 | 3 << 60 | 5 << 32) + dma(0x10, 0x1000)
    q = qi_setup()
    q += mem(0x9000, 0x1 | 1 << 4) + mem(0x9010, 0x2 | 3 << 4 | 5 << 16) + \
        mem(0x9018, 0x1000) + mem(0x9020, 0x3 | 0x10 << 32) + mem(0x9028, 0x3001) + \
        mem(0x9030, 0x4 | 1 << 4 | 2 << 27) + mem(0x9040, 0x5 | 0x30 | 0x1234 << 32) + \
        mem(0x9048, 0xB000) + mmio(IQT, 0x50) + mmio(ICS, 1, 4) + \
        mem(0x9050, 0x2 | 0x100) + mmio(IQT, 0x60) + mmio(FSTS, 0x10, 4)
    s["qi-128"] = cfg() + base + q + dma(0x10, 0x1000)
    q = qi_setup(1)
    q += mem(0x9000, 0x6 | 3 << 4 | 5 << 16 | 7 << 32) + mem(0x9008, 0x1000) + \
        mem(0x9020, 0x7 | 1 << 4 | 5 << 16 | 7 << 32) + \
        mem(0x9040, 0x5 | 0x20 | 0x99 << 32) + mem(0x9048, 0xB000) + mmio(IQT, 0x60)
    s["qi-256"] = cfg(sm=1, pasid=1, fs=1) + q
    ir = mmio(IRTA, 0xC000 | 7) + mmio(GCMD, QIE | SIRTP, 4) + mmio(GCMD, QIE | IRE, 4)
    ir += mem(0xC000, 1 | 0x30 << 16 | 0x0200 << 32) + mem(0xC008, 0x10 | 1 << 18)
    ir += mem(0xC010, 1 | 0x31 << 16 | 1 << 15) + mem(0xC020, 1 | 1 << 12)
    s["ir"] = cfg() + qi_setup() + ir + msi(0x10, 0xFEE00010, 0) + \
        msi(0x11, 0xFEE00010, 0) + msi(0x10, 0xFEE00018, 1) + msi(0x10, 0xFEE00030, 0) + \
        msi(0x10, 0xFEE00000, 0x41) + mmio(GCMD, QIE | IRE | CFI, 4) + \
        msi(0x10, 0xFEE00000, 0x41)
    s["ir-eim"] = cfg(eim=1, policy=1) + qi_setup() + \
        mmio(IRTA, 0xC000 | 1 << 11 | 3) + mmio(GCMD, QIE | SIRTP, 4) + \
        mmio(GCMD, QIE | IRE, 4) + mem(0xC000, 1 | 0x30 << 16 | 0x12345 << 32) + \
        msi(0x10, 0xFEE00010, 0)
    # scalable mode: root 0x1000, context table 0x2000 (32-byte entries),
    # PASID directory 0x3000, PASID table 0x4000, SS tables 0x5000.., FS 0xD000..
    sm = mem(0x1000, 0x2000 | 1) + mem(0x1008, 0x2000 | 1)
    sm += mem(0x2000 + 0x10 * 32, 0x3000 | 1 | 1 << 3 | 1 << 2)
    sm += mem(0x3000, 0x4000 | 1)
    sm += mem(0x4000, 1 | 2 << 2 | 2 << 6 | 0x5000) + mem(0x4008, 5)
    sm += mem(0x4040, 1 | 1 << 6) + mem(0x4048, 6) + mem(0x4050, 0xD000 | 1)
    sm += mem(0x4080, 1 | 4 << 6) + mem(0x4088, 7)
    sm += mem(0x5000, 0x6000 | 3) + mem(0x6000, 0x7000 | 3) + mem(0x7000, 0x8000 | 3) + \
        mem(0x8008, 0xA000 | 3)
    sm += mem(0xD000, 0xE000 | 7) + mem(0xE000, 0xF000 | 7) + mem(0xF000, 0x10000 | 7) + \
        mem(0x10008, 0x11000 | 7)
    s["sm-walks"] = cfg(sm=1, pasid=1, fs=1, sc=1) + sm + bringup(1) + \
        dma(0x10, 0x1000) + dma(0x10, 0x1000, 2, pasid=1) + dma(0x10, 0x1000, 10, pasid=1) + \
        dma(0x10, 0x1000, pasid=2) + dma(0x10, 0x1000, at=1) + dma(0x10, 0x1000, pasid=0x40)
    s["sm-maximal"] = cfg(sm=1, pasid=1, fs=1, policy=1, cm=1, aw=2) + sm + bringup(1) + \
        qi_setup(1) + dma(0x10, 0x1000, pasid=1) + \
        mem(0x9000, 0x7 | 3 << 4) + mmio(IQT, 0x20) + dma(0x10, 0x1000, pasid=1)
    s["legacy-intr-out"] = cfg(policy=1, sc=1) + base + mem(0x6018, 0xFEE00000 | 3) + \
        mem(0x6020, 0x9000 | 3 | 1 << 11 | 1 << 62) + dma(0x10, 0x3000) + \
        dma(0x10, 0x3000, 2) + dma(0x10, 0x4000) + mmio(IVA, 0x3000 | 1) + \
        mmio(IOTLB, 1 << 63 | 3 << 60 | 5 << 32) + dma(0x10, 0x4000, 2)
    s["qi-resize"] = cfg() + qi_setup() + mem(0x9000, 0x5 | 0x40) + mmio(IQT, 0x10) + \
        mmio(IQA, 0x9000 | 3) + mmio(IQT, 0x20) + mmio(GCMD, TE, 4) + \
        mmio(GCMD, TE | QIE, 4) + mmio(IQT, 0x7FF0)
    s["faults"] = cfg(nfr=0, trace=1) + base + mmio(FECTL, 0, 4) + \
        dma(0x20, 0x1000) + dma(0x10, 0x9000) + dma(0x10, 0x9000, 2) + \
        mmio(0x220 + 12, 1 << 31, 4) + mmio(FSTS, 1, 4) + dma(0x10, 1 << 50)
    return s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    os.makedirs(out, exist_ok=True)
    for name, data in seeds().items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
