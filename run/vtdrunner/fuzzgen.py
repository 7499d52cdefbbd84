# SPDX-License-Identifier: GPL-2.0-or-later
"""Random scenario scripts for differential runs (run/fuzz-qemu).

generate(seed, iommu) returns one scenario (its name and its lines) over
the statements of tests/scenarios/README.md the unit offers (legacy ones;
on a unit with scalable mode, scalable-mode scripts two times in three:
PASID-table and directory edits, PASID-cache and P_IOTLB invalidations,
256-bit raw descriptors, first-stage domains where the unit has them;
on a unit with interrupt remapping, remapping tables, IRTEs of every
field, IEC invalidations, interrupts from edu's MSI and the I/O APIC),
drawn from random.Random(seed): the same seed gives the same script.  Values lean to the places
where implementations differ: the ends of the 39- and 48-bit address
widths, the end of guest RAM, the interrupt address range 0xFEExxxxx,
large-leaf boundaries, address masks, the queue's size, several devices
(edu0, edu1 and edu2 behind a root port on bus 1).

What the script does is kept harmless to the machine running it: a
device writes to memory (to-ram) only through mappings of the scenario's
own buffers, and only while its own buffer holds data both machines
agree on (it was loaded at the start, and no read since may have left
something else in it); mappings of other physical memory are read-only
and stay so (no protect, no raw write-permission bit, no raw address at a
non-leaf level)."""

import random

GUEST_RAM = 256 << 20
DEVICES = ("edu0", "edu1", "edu2")

# IOVAs worth a DMA (not all mapped): zero, the ends of 39/48 bits, the
# end of guest RAM, the interrupt range, large-leaf edges.
EDGE_IOVAS = (
    0x0, 0x1000, 0xfff, (1 << 39) - 0x1000, 1 << 39, (1 << 39) + 0x1000,
    (1 << 48) - 0x1000, 1 << 48, GUEST_RAM - 0x1000, GUEST_RAM,
    0xfee00000, 0xfee00ff0, 0xfeeff000, 0xfed00000, 0xfef00000,
    0x1ff000, 0x200000, 0x3ff000, 0x3ffff000, 0x40000000, 0x7fe00000,
    (1 << 63), 0xffffffffffff000,
)

# Not RTADDR or IQA: they hold physical addresses of the firmware's
# allocations, which differ between machines; not CCMD or IOTLB: the
# granularity they report may be coarser than asked (the `inv`
# observations allow for that); not the fault recording registers: a
# cleared record keeps what the last fault wrote, maybe in an earlier
# scenario, and the scenarios before one differ between the model's runs
# and QEMU's boots (the `dma` observations give the records); not IQH or
# IQT: the queue keeps its place across scenarios, so they show where the
# earlier scenarios of the boot left it (a queue error one machine raised
# there and the other did not moves it), not what this one did (the `qi`
# and `inv` observations give that); not CAP or ECAP: the model's unit is
# QEMU's as far as its properties go, but a flavour's (sm-fs) may differ
# in capability bits that change no behaviour the scripts reach, and
# fuzz-qemu prints both units' CAP and ECAP once per flavour.
REGS_READ = ("ver", "gsts", "fsts", "fectl", "fedata", "feaddr", "ics",
             "pmen", "iectl")
NOT_READ = (0x20, 0x24, 0x28, 0x2c, 0x80, 0x84, 0x88, 0x8c, 0x90, 0x94,
            0xf8, 0xfc, 0x108, 0x10c) + tuple(range(0x200, 0x300, 4))
REGS_WRITE = ("fedata", "feaddr", "feuaddr", "iedata", "ieaddr")


def _h(v):
    return "0x%x" % v


def features(iommu):
    """What the unit of an intel-iommu -device value (in run/configs.cfg's
    words) lets scripts use: {"sm", "fs", "ir", "eim"}."""
    props = dict(o.partition("=")[::2] for o in iommu.split(",")[1:])
    on = {k for k, v in props.items() if v in ("on", "true", "yes", "1")}
    out = set()
    if "scalable-mode" in on:
        out.add("sm")
        if on & {"fsts", "x-flts", "flts"}:
            out.add("fs")
    if "intremap" in on:
        out.add("ir")
        if "eim" in on:
            out.add("eim")
    return out


# Raw edits of a PASID-table entry (9.6): word 0 P, FPD, AW, PGTT,
# reserved bits 11:10; word 1 DID and the bits above; words 2 and 3 the
# first-stage pointer and its flags; words 4-7 reserved. None of them
# moves the second-stage pointer, but a PGTT edit may make the device
# untranslated: the generator lets no device write after one.
PASID_EDITS = (
    "clear=bit0", "set=bit1", "clear=bit6+bit7+bit8", "set=bit6+bit7+bit8",
    "set=bit8", "clear=bit7", "set=bit2+bit3+bit4", "clear=bit2+bit3+bit4",
    "set=bit10", "set=bit11", "word=1 set=bit15", "word=1 set=bit0",
    "word=1 set=bit23", "word=1 set=bit24", "word=1 set=bit63",
    "word=2 set=bit1", "word=2 set=bit11", "word=3 set=bit63",
    "word=4 set=bit0", "word=5 set=bit63", "word=7 set=bit0",
)
PDIR_EDITS = ("clear=bit0", "set=bit1", "set=bit2", "set=bit11",
              "set=bit63")


# IRTE edits after the entry is built (9.9, low word): reserved bits
# 11:8 of the low half, IM (bit 15), AVAIL, bits 23:16 (reserved in
# remapped format), SVT 11b (reserved); the high word's reserved bits.
IRTE_EDITS = ("set=bit8", "set=bit12", "set=bit15", "set=bit16",
              "set=bit24", "set=bit5+bit6+bit7", "clear=bit0",
              "set-hi=bit20", "set-hi=bit63", "set-hi=bit18+bit19")
VECTORS = tuple(range(0xa0, 0xe0))


class _Gen:
    def __init__(self, seed, feats=frozenset()):
        self.r = random.Random(seed)
        # interrupt remapping in most scripts of a unit that has it
        self.ir = "ir" in feats and self.r.random() < 0.7
        self.eim = self.ir and "eim" in feats and self.r.random() < 0.5
        self.ir_entries = 0     # of the newest table
        # scalable mode in most scripts of a unit that has it (legacy mode
        # on such a unit is worth a third)
        self.sm = "sm" in feats and self.r.random() < 0.65
        self.fs = self.sm and "fs" in feats
        self.name = "fz%d" % seed
        self.lines = []
        self.domains = []        # (name, did)
        self.maps = {}           # domain -> list of (iova, size, page, buffer|None)
        self.buffers = {}        # name -> size
        self.clean = set()       # devices whose buffer holds agreed data
        self.attached = {}       # device -> domain | "pt" | None
        self.qi = False

    def emit(self, text):
        self.lines.append("  " + text)

    def pick(self, seq):
        return self.r.choice(seq)

    # ------------------------------------------------------------ set-up
    def prologue(self):
        r = self.r
        ndom = r.choice((1, 1, 2, 2, 3))
        if self.sm:
            self.emit("set mode=scalable")
            self.qi = True
        for i in range(ndom):
            did = r.choice((1, 2, 3, 7, 255, 0xffff)) if i == 0 else \
                r.choice((i + 1, 0x100 + i, 0xfff0 + i))
            if any(d == did for _, d in self.domains):
                did = 10 + i
            dom = "d%d" % i
            aw = " aw=48" if r.random() < 0.05 else ""
            if self.fs and r.random() < 0.5:
                aw = " stage=first"
            self.emit("domain %s did=%d%s" % (dom, did, aw))
            self.domains.append((dom, did))
            self.maps[dom] = []
        self.emit("buffer A size=16K")
        self.emit("fill A seed=%d" % r.randrange(1, 1000))
        self.buffers["A"] = 16 << 10
        self.emit("buffer B size=16K")
        self.emit("fill B seed=%d pattern=%s" %
                  (r.randrange(1, 1000), self.pick(("mix", "inc", "const"))))
        self.buffers["B"] = 16 << 10
        if r.random() < 0.4:
            self.emit("buffer L size=2M align=2M")
            self.emit("fill L seed=%d" % r.randrange(1, 1000))
            self.buffers["L"] = 2 << 20
        # every device used starts in d0 with A at IOVA 0 and loads it
        d0 = self.domains[0][0]
        self.emit("map %s iova=0 buffer=A size=16K" % d0)
        self.maps[d0].append((0, 16 << 10, 4096, "A"))
        devs = DEVICES[:r.choice((1, 2, 2, 3))]
        for dev in devs:
            self.emit("attach %s %s" % (dev, d0))
            self.attached[dev] = d0
        if r.random() < 0.3:
            self.set_qi()
        if not self.ir or r.random() < 0.8:
            # (interrupt remapping with DMA translation off too)
            self.emit("enable")
        for dev in devs:
            self.emit("dma %s from-ram iova=0 len=4095 expect=any" % dev)
            self.clean.add(dev)
        self.devs = devs
        if self.ir:
            self.st_ir_table()
            for _ in range(r.randrange(1, 5)):
                self.st_irte()
            self.emit("ir on")
            self.qi = True

    def set_qi(self):
        # scalable mode takes 256-bit descriptors only (6.5.2)
        self.emit("set via=qi qs=%d%s" % (self.pick((0, 0, 1)),
                                          " dw=1" if self.sm else ""))
        self.qi = True

    # ---------------------------------------------------------- helpers
    def dom(self):
        return self.pick(self.domains)

    def some_iova(self, dom):
        r = self.r
        maps = self.maps[dom]
        if maps and r.random() < 0.6:
            iova, size, _, _ = self.pick(maps)
            return iova + r.randrange(0, size, 0x1000) + \
                self.pick((0, 0, 0, 0x800, 0xff0))
        return self.pick(EDGE_IOVAS)

    def overlaps(self, dom, iova, size):
        return any(iova < m[0] + m[1] and m[0] < iova + size
                   for m in self.maps[dom])

    def mapped_buffer_iova(self, dom):
        maps = [m for m in self.maps[dom] if m[3] and m[2] == 4096]
        if not maps:
            return None
        iova, size, _, _ = self.pick(maps)
        return iova + self.r.randrange(0, size, 0x1000)

    # ------------------------------------------------------- statements
    def st_map(self):
        r = self.r
        dom, _ = self.dom()
        kind = r.random()
        if kind < 0.55:
            iova = self.pick((0x4000, 0x10000, 0x1ff000, 0x3ffff000,
                              (1 << 39) - 0x4000, GUEST_RAM - 0x4000,
                              0xfee00000, 0xfedfc000, 0x7fffc000))
            buf = self.pick(("A", "B"))
            npages = r.choice((1, 1, 2, 4))
            off = r.randrange(0, 5 - npages) * 0x1000
            perm = self.pick(("rw", "rw", "r", "w"))
            if self.overlaps(dom, iova, npages * 4096):
                return
            self.emit("map %s iova=%s buffer=%s offset=%s size=%dK perm=%s" %
                      (dom, _h(iova), buf, _h(off), npages * 4, perm))
            self.maps[dom].append((iova, npages * 4096, 4096, buf))
        elif kind < 0.8 and "L" in self.buffers:
            iova = self.pick((0x200000, 0x40000000, 0x7fe00000,
                              (1 << 39) - 0x200000, 0xfee00000 & ~0x1fffff))
            if self.overlaps(dom, iova, 2 << 20):
                return
            self.emit("map %s iova=%s buffer=L page=2M perm=%s" %
                      (dom, _h(iova), self.pick(("rw", "r"))))
            self.maps[dom].append((iova, 2 << 20, 2 << 20, "L"))
        elif kind < 0.9:
            iova = self.pick((0x40000000, 0xc0000000, (1 << 39) - (1 << 30)))
            if self.overlaps(dom, iova, 1 << 30):
                return
            self.emit("map %s iova=%s phys=0 page=1G perm=r" % (dom, _h(iova)))
            self.maps[dom].append((iova, 1 << 30, 1 << 30, None))
        else:
            phys = self.pick((GUEST_RAM - 0x1000, GUEST_RAM, 0xfee00000,
                              0xfed90000))
            iova = self.pick((0x80000, 0x90000))
            if self.overlaps(dom, iova, 4096):
                return
            self.emit("map %s iova=%s phys=%s perm=r" % (dom, _h(iova),
                                                        _h(phys)))
            self.maps[dom].append((iova, 4096, 4096, None))

    def st_unmap(self):
        dom, _ = self.dom()
        if not self.maps[dom]:
            return
        m = self.pick(self.maps[dom])
        iova, size, page, _ = m
        self.maps[dom].remove(m)
        if page == 4096 and size > 4096 and self.r.random() < 0.5:
            cut = 4096 * self.r.randrange(1, size // 4096)
            self.maps[dom].append((iova + cut, size - cut, page, m[3]))
            size = cut
        self.emit("unmap %s iova=%s size=%s" % (dom, _h(iova), _h(size)))

    def st_protect(self):
        dom, _ = self.dom()
        maps = [m for m in self.maps[dom] if m[3] and m[2] == 4096]
        if not maps:
            return
        iova, size, _, _ = self.pick(maps)
        self.emit("protect %s iova=%s size=%s perm=%s" %
                  (dom, _h(iova), _h(size),
                   self.pick(("r", "w", "rw", "none"))))

    def st_split_merge(self):
        dom, _ = self.dom()
        big = [m for m in self.maps[dom] if m[2] == (2 << 20) and m[3]]
        if not big:
            return
        iova = big[0][0]
        self.emit("split %s iova=%s level=2" % (dom, _h(iova)))
        if self.r.random() < 0.5:
            self.emit("merge %s iova=%s level=2" % (dom, _h(iova)))

    def st_pte(self):
        r = self.r
        dom, _ = self.dom()
        iova = self.mapped_buffer_iova(dom)
        if iova is None:
            return
        level = self.pick((1, 1, 2, 3))
        if level == 1:
            edit = self.pick(("clear=bit0", "clear=bit1", "set=bit51",
                              "set=bit7", "set=bit11", "set=bit62",
                              "set=bit3+bit4", "addr=@B", "addr=@A+0x1000",
                              "clear=bit0+bit1"))
        else:
            edit = self.pick(("clear=bit0", "clear=bit1", "set=bit51",
                              "clear=bit0+bit1", "set=bit11", "set=bit3"))
        if level == 1 and edit.startswith("set=bit5") and \
                r.random() < 0.3:
            edit = "set=bit51+bit0"
        self.emit("pte %s iova=%s level=%d %s" % (dom, _h(iova), level, edit))

    def st_attach(self):
        r = self.r
        dev = self.pick(self.devs)
        k = r.random()
        if k < 0.6:
            dom, _ = self.dom()
            self.emit("attach %s %s%s" % (dev, dom,
                                          " fpd=1" if r.random() < 0.2 else ""))
            self.attached[dev] = dom
        elif k < 0.8:
            self.emit("attach %s passthrough did=%d" %
                      (dev, self.pick((9, 0x1234))))
            self.attached[dev] = "pt"
            # pass-through reaches all of memory: no more writes from it
            self.clean.discard(dev)
        else:
            self.emit("detach %s" % dev)
            self.attached[dev] = None

    def via(self):
        v = self.r.random()
        if self.sm:
            # no register-based invalidation in scalable mode (6.5.1)
            return " via=qi" if v < 0.5 else ""
        return " via=qi" if v < 0.35 else (" via=reg" if v < 0.6 else "")

    def st_inv(self):
        r = self.r
        dom, did = self.dom()
        k = r.random()
        if k < 0.3:
            g = self.pick(("global", "domain", "device"))
            extra = ""
            if g == "domain":
                extra = " did=%s" % self.pick((dom, str(did), "4242"))
            elif g == "device":
                extra = " dev=%s did=%s fm=%d" % (
                    self.pick(self.devs), dom, r.randrange(4))
                if r.random() < 0.3:
                    extra += " fn=%d" % r.randrange(8)
            self.emit("inv cc %s%s%s" % (g, extra, self.via()))
        elif k < 0.9:
            g = self.pick(("global", "domain", "page", "page", "page"))
            extra = ""
            if g == "domain":
                extra = " did=%s" % self.pick((dom, str(did)))
            elif g == "page":
                am = self.pick((0, 0, 1, 2, 9, 18))
                iova = self.some_iova(dom) & ~0xfff
                loose = r.random() < 0.15
                if not loose:
                    iova &= ~((0x1000 << am) - 1)
                extra = " did=%s iova=%s am=%s" % (
                    self.pick((dom, str(did))), _h(iova), am)
                if loose:
                    extra += " unchecked"
                if r.random() < 0.3:
                    extra += " ih=1"
            self.emit("inv iotlb %s%s%s" % (g, extra, self.via()))
        else:
            self.emit("inv iotlb %s did=%s count=%d%s" % (
                self.pick(("domain", "global")), dom,
                self.pick((2, 255, 256, 300)), " via=qi"))
        if "via=qi" in self.lines[-1]:
            self.qi = True

    def st_qi_raw(self):
        r = self.r
        t = r.random()
        if t < 0.2:
            qw0 = 0x1 | (r.randrange(4) << 4) | (r.randrange(4) << 27)
            qw0 |= r.choice((0, 0, 1 << 16, 0xffff << 16, 1 << 32))
            qw1 = 0
        elif t < 0.5:
            g = r.randrange(4)
            qw0 = 0x2 | (g << 4) | (r.randrange(4) << 6) | \
                (r.choice((1, 2, 0xffff)) << 16)
            qw1 = r.choice((0, 0x1000, 0x200000, (1 << 39) - 0x1000,
                            (1 << 48))) | r.choice((0, 1, 9, 18, 63)) | \
                r.choice((0, 0x40))
        elif t < 0.6:
            qw0 = 0x3 | (r.choice((0, 8)) << 16)
            qw1 = r.choice((0, 0x1000, 0x7ff))
        elif t < 0.7:
            qw0 = 0x4 | (r.randrange(2) << 4)
            qw1 = 0
        elif t < 0.8:
            # a wait with IF or FN only (status writes go through qi wait)
            qw0 = 0x5 | r.choice((0, 1 << 4, 1 << 6))
            qw1 = 0
        else:
            qw0 = r.choice((0x0, 0x6, 0x7, 0x8, 0xf, 0x10, 0x1f0,
                            0x21 | (1 << 9), 0x2 | (1 << 63)))
            qw1 = r.choice((0, 1 << 63))
        self.emit("qi raw qw0=%s qw1=%s expect=any" % (_h(qw0), _h(qw1)))
        self.qi = True

    def st_sm_edit(self):
        """A raw edit of a device's PASID-table or PASID-directory entry
        (scalable mode), often followed by the PASID-cache and P_IOTLB
        invalidations a driver would issue."""
        r = self.r
        dev = self.pick(self.devs)
        if r.random() < 0.75:
            self.emit("pasid %s %s" % (dev, self.pick(PASID_EDITS)))
        else:
            self.emit("pdir %s %s" % (dev, self.pick(PDIR_EDITS)))
        self.clean.clear()
        if r.random() < 0.6:
            self.st_sm_inv()

    def st_sm_inv(self):
        r = self.r
        dom, did = self.dom()
        k = r.random()
        if k < 0.45:
            g = self.pick(("global", "domain", "pasid", "pasid"))
            extra = ""
            if g != "global":
                extra = " did=%s" % self.pick((dom, str(did), "4242"))
            if g == "pasid" and r.random() < 0.2:
                extra += " pasid=%d" % self.pick((1, 70, 32767))
            self.emit("inv pc %s%s" % (g, extra))
        else:
            g = self.pick(("pasid", "page", "page"))
            extra = " did=%s" % self.pick((dom, str(did)))
            if g == "page":
                # (not above MAMV: either outcome is allowed there, which
                # sm-inval.vtd checks)
                am = self.pick((0, 0, 1, 9, 18, "mamv"))
                iova = self.some_iova(dom) & ~0xfff
                if isinstance(am, int):
                    iova &= ~((0x1000 << am) - 1)
                else:
                    iova = 0
                extra += " iova=%s am=%s" % (_h(iova), am)
                if r.random() < 0.3:
                    extra += " ih=1"
            if r.random() < 0.15:
                extra += " pasid=%d" % self.pick((1, 70))
            self.emit("inv piotlb %s%s" % (g, extra))

    def st_qi_raw256(self):
        """A raw 256-bit descriptor: the PASID-based types (6, 7, 8) with
        every granularity, the legacy ones with their upper half, reserved
        bits and types."""
        r = self.r
        t = r.random()
        did = r.choice((1, 2, 0xffff)) << 16
        qw2 = qw3 = 0
        if t < 0.35:
            qw0 = 0x6 | (r.randrange(4) << 4) | did | \
                (r.choice((0, 1, 70)) << 32)
            qw1 = r.choice((0, 0x1000, 0x200000, (1 << 47) - 0x1000)) | \
                r.choice((0, 1, 9, 18, 63)) | r.choice((0, 0x40))
        elif t < 0.6:
            qw0 = 0x7 | (r.randrange(4) << 4) | did | \
                (r.choice((0, 1, 70)) << 32)
            qw1 = 0
        elif t < 0.7:
            qw0 = 0x8 | (r.choice((0, 1)) << 16) | (r.choice((0, 1)) << 32)
            qw1 = r.choice((0, 0x1000, 0x7ff))
        elif t < 0.85:
            qw0 = r.choice((0x1 | (1 << 4), 0x2 | (1 << 4), 0x4 | (1 << 4)))
            qw1 = 0
            qw2 = r.choice((0, 0, 1, 1 << 63))
        else:
            qw0 = r.choice((0x9, 0xa, 0xf, 0x6 | (1 << 9), 0x7 | (1 << 63)))
            qw1 = r.choice((0, 1 << 63))
            qw3 = r.choice((0, 1))
        self.emit("qi raw qw0=%s qw1=%s qw2=%s qw3=%s expect=any" %
                  (_h(qw0), _h(qw1), _h(qw2), _h(qw3)))

    # -------------------------------------------- interrupt remapping
    def st_ir_table(self):
        r = self.r
        size = self.pick((0, 1, 2, 3, 3, 4, 7))
        self.ir_entries = 2 << size
        self.emit("ir table size=%d%s%s" % (
            size, " eime=1" if self.eim else "",
            " sirtp=0" if r.random() < 0.05 else ""))

    def st_irte(self):
        """An IRTE in remapped format: mostly valid, now and then with
        source validation, FPD, not present, or a reserved bit set."""
        r = self.r
        n = r.randrange(min(self.ir_entries, 16) or 1)
        words = ["irte %d vector=%s" % (n, _h(self.pick(VECTORS)))]
        k = r.random()
        if k < 0.25:
            words.append("sid=%s svt=%d sq=%d" % (
                self.pick(self.devs + ("ioapic", "0x1234")),
                self.pick((1, 1, 2)), self.pick((0, 0, 1, 2, 3))))
        elif k < 0.3:
            words.append("svt=3")
        if r.random() < 0.15:
            words.append("fpd=1")
        if r.random() < 0.08:
            words.append("p=0")
        elif r.random() < 0.15:
            words.append(self.pick(IRTE_EDITS))
        if r.random() < 0.1:
            words.append("tm=1" if r.random() < 0.5 else "dm=1")
        self.emit(" ".join(words))

    def st_irq(self):
        """One interrupt: edu's MSI by handle (and subhandle), in
        compatibility format, or the timer through the I/O APIC."""
        r = self.r
        handle = r.randrange(min(self.ir_entries, 16) + 2)
        if r.random() < 0.05:
            handle = self.pick((self.ir_entries, 0x7fff))
        k = r.random()
        if k < 0.65:
            extra = ""
            if r.random() < 0.2:
                extra = " subhandle=%d" % r.randrange(4)
            elif r.random() < 0.1:
                extra = " compat=%s" % _h(self.pick(VECTORS))
            self.emit("msi %s handle=%d%s%s expect=any" % (
                self.pick(self.devs), handle, extra,
                " event=1" if r.random() < 0.1 else ""))
        else:
            extra = " compat=%s" % _h(self.pick(VECTORS)) \
                if r.random() < 0.1 else ""
            self.emit("ioapic pin=timer handle=%d%s expect=any" %
                      (handle, extra))

    def st_iec(self):
        r = self.r
        if r.random() < 0.4:
            self.emit("inv iec")
        else:
            im = self.pick((0, 0, 1, 2, 4))
            index = r.randrange(min(self.ir_entries, 16) or 1) & ~((1 << im) - 1)
            self.emit("inv iec index=%d im=%d" % (index, im))

    def st_ir_misc(self):
        r = self.r
        k = r.random()
        if k < 0.3:
            self.emit("ir cfi=%d" % r.randrange(2))
        elif k < 0.5:
            self.emit("ir off")
            self.emit("ir on")
        elif k < 0.7:
            self.st_ir_table()
        else:
            self.emit("ir sirtp")

    def st_qi_wait(self):
        r = self.r
        sw, iff, fn = self.pick(((1, 0, 0), (0, 1, 0), (0, 0, 1), (0, 0, 0),
                                 (1, 0, 1)))
        self.emit("qi wait sw=%d if=%d fn=%d expect=ok,iqe" % (sw, iff, fn))
        self.qi = True

    def st_dma(self):
        r = self.r
        dev = self.pick(self.devs)
        att = self.attached.get(dev)
        dom = att if att not in (None, "pt") else self.dom()[0]
        iova = self.some_iova(dom)
        length = self.pick((1, 4, 64, 4095, 0x800, 0x1000 - (iova & 0xfff)))
        length = max(1, min(length, 4095))
        write = r.random() < 0.5 and dev in self.clean and att != "pt"
        if write:
            ok = [m for m in self.maps.get(dom, []) if m[3]]
            if not ok or any(m[3] is None for m in self.maps.get(dom, [])):
                write = False
        if write:
            iova, size, _, _ = self.pick(ok)
            iova += r.randrange(0, size, 0x800)
            length = min(length, 4095)
            if iova >> 20 == 0xfee or (iova + length - 1) >> 20 == 0xfee:
                # a write there is an interrupt request, whatever maps it
                # (3.15): a burst of them with the buffer's bytes as data
                # brings the guest down
                iova = 0
            self.emit("dma %s to-ram iova=%s len=%d expect=any" %
                      (dev, _h(iova), length))
        else:
            self.emit("dma %s from-ram iova=%s len=%d expect=any" %
                      (dev, _h(iova), length))
            self.clean.discard(dev)

    def st_check(self):
        buf = self.pick(list(self.buffers))
        self.emit("check %s len=%d seed=1" %
                  (buf, min(self.buffers[buf], 16 << 10)))

    def st_reg(self):
        r = self.r
        if r.random() < 0.75:
            reg = self.pick(REGS_READ)
            if r.random() < 0.15:
                reg = _h(self.pick([o for o in range(0, 0x1000, 4)
                                    if o not in NOT_READ]))
            self.emit("reg read %s" % reg)
        else:
            reg = self.pick(REGS_WRITE)
            val = self.pick((0, 0xffffffff, 0x12345678, 0xfee00000))
            self.emit("reg write %s %s width=4" % (reg, _h(val)))
            self.emit("reg read %s" % reg)
            # registers outlive the scenario: back to the reset value, so
            # each scenario reads the same on its own as in a batch
            self.emit("reg write %s 0 width=4" % reg)

    def st_enable(self):
        if self.r.random() < 0.5:
            self.emit("disable")
            if self.r.random() < 0.5:
                # untranslated: the IOVA is a physical address, so read only
                dev = self.pick(self.devs)
                self.emit("dma %s from-ram iova=%s len=64 expect=any" %
                          (dev, _h(self.pick((0x0, 0xfee00000, GUEST_RAM,
                                              1 << 39)))))
                self.clean.discard(dev)
        self.emit("enable")

    def body(self):
        table = ((self.st_map, 14), (self.st_unmap, 6), (self.st_protect, 4),
                 (self.st_split_merge, 2), (self.st_pte, 5),
                 (self.st_attach, 4), (self.st_inv, 12),
                 (self.st_qi_raw256 if self.sm else self.st_qi_raw, 5),
                 (self.st_qi_wait, 2), (self.st_dma, 22), (self.st_check, 6),
                 (self.st_reg, 6), (self.st_enable, 2))
        if self.sm:
            table += ((self.st_sm_edit, 5), (self.st_sm_inv, 8))
        if self.ir:
            table += ((self.st_irte, 8), (self.st_irq, 14), (self.st_iec, 5),
                      (self.st_ir_misc, 3))
        fns = [f for f, _ in table]
        weights = [w for _, w in table]
        for _ in range(self.r.randrange(6, 22)):
            self.r.choices(fns, weights)[0]()

    def script(self):
        self.lines.append("scenario %s \"generated from seed %s\"" %
                          (self.name, self.name[2:]))
        self.prologue()
        self.body()
        return self.lines


def generate(seed, iommu="intel-iommu"):
    """(name, [line, ...]) of the scenario drawn from seed for a unit
    built by the intel-iommu -device value iommu (run/configs.cfg's
    words): scalable-mode statements where it has scalable mode, ..."""
    g = _Gen(seed, features(iommu))
    lines = g.script()
    return g.name, lines


def pack(scenarios, limit=1000, per_file=48):
    """Group scenarios [(name, lines)] into script files within the
    engine's limits (statements and scenarios per file): a list of
    ({name: line of its `scenario` statement}, text of the file)."""
    files, cur, count = [], [], 0
    for name, lines in scenarios:
        n = len(lines)
        if cur and (count + n > limit or len(cur) == per_file):
            files.append(cur)
            cur, count = [], 0
        cur.append((name, lines))
        count += n
    if cur:
        files.append(cur)
    out = []
    for f in files:
        starts, line = {}, 1
        for name, lines in f:
            starts[name] = line
            line += len(lines) + 1
        out.append((starts, "".join("\n".join(lines) + "\n\n"
                                    for _, lines in f)))
    return out
