#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the page-selective invalidation sweeps of tests/scenarios/.

    tests/engine/gen-psi.py          rewrite the scripts
    tests/engine/gen-psi.py --tap    check they are what this writes (TAP)

The sweeps are regular: a scenario per address mask (0..18, QEMU's MAMV
and the mask of a 1 GiB page) per leaf size, each the same dozen
statements with other numbers; the masks smaller than a large leaf share
one scenario per leaf size (a round each). Written out, every check keeps a line of
its own in the scripts and in the results; this program is only how the
numbers were chosen. Edit it, run it, commit both.

What each scenario does (4 KiB and 2 MiB leaves): map a block of 2^AM
pages at an aligned IOVA X (its first, middle and last leaf) and the leaf
just before and just after it, read all of them so the unit caches them,
point the block's leaves at other memory in place (pte addr=), issue one
page-selective invalidation for the block, read again: the block's
leaves must give the new data, the neighbours their unchanged data. A
2 MiB leaf is only promised to go with AM >= 9 (10.4.8.2: a super-page
needs a mask that covers it), so below that the data may be old or new,
and an AM=9 invalidation follows. 1 GiB leaves: there is one GiB of
memory, so the leaf is unmapped instead and must fault after AM=18.

The unaligned sweep gives the address of the block's last leaf with the
block's mask: the whole aligned block containing it must be refreshed
(the mask drops the address's low bits), the first leaf included.

The sm-psi-*.vtd sweeps do the same in scalable mode over first-stage
tables with the PASID-based IOTLB invalidation (6.5.2.4), whose address
and mask rules are those of the IOTLB one: 4 KiB and 2 MiB leaves, AM
0..15, below 2^29 (QEMU's first-stage canonical check takes its width from
the PASID entry's AW field, 30 bits with AW 0: tests/scenarios/sm-xlate.vtd
holds that expected failure; here the sweeps stay where QEMU translates).
"""
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DIR = os.path.join(TOP, "tests", "scenarios")
MAMV = 18
K4, M2, G1 = 1 << 12, 1 << 21, 1 << 30


def hexa(v):
    return "0x%x" % v


def size_word(v):
    for unit, name in ((G1, "G"), (1 << 20, "M"), (1 << 10, "K")):
        if v >= unit and v % unit == 0:
            return "%d%s" % (v // unit, name)
    return str(v)


def slot(k, leaf):
    """Where leaf k lives in old and new: 4 KiB leaves each have a page of
    their own; 2 MiB leaves all share one 2 MiB (a buffer each would cost
    more time zeroing memory than the rest of the run), told apart by the
    offset they are read at."""
    return k * leaf if leaf == K4 else 0


def src_of(k, leaf):
    """Offset in old/new that sample k reads: 0x80*(k+1) into its slot."""
    return slot(k, leaf) + 0x80 * (k + 1)


def samples(base, block, leaf):
    """(name, iova) of the leaves read: before, first, middle, last, after;
    names once each (a one-leaf block has only `first`)."""
    inside = [("first", base)]
    if block // leaf > 2:
        inside.append(("middle", base + block // 2))
    if block // leaf > 1:
        inside.append(("last", base + block - leaf))
    return [("before", base - leaf)] + inside + [("after", base + block)]


class Legacy:
    """Second-level tables, the IOTLB descriptor or register."""
    prefix = "psi"
    fs_base = None

    @staticmethod
    def head(leaf):
        return ["  domain d did=1"]

    @staticmethod
    def page_req(leaf):
        return " page 2M" if leaf == M2 else ""

    @staticmethod
    def inv(addr, am, unaligned):
        return ("  inv iotlb page did=d iova=%s am=%d%s "
                "gran=page,domain,global expect=ok" %
                (hexa(addr), am, " unchecked" if unaligned else ""))


class FirstStage:
    """Scalable mode, first-stage tables (2 MiB leaves always allowed,
    9.7), the PASID-based IOTLB descriptor of RID_PASID 0."""
    prefix = "sm-psi"

    @staticmethod
    def head(leaf):
        return ["  set mode=scalable", "  domain d did=1 stage=first"]

    @staticmethod
    def page_req(leaf):
        return ""

    @staticmethod
    def inv(addr, am, unaligned):
        return "  inv piotlb page did=d iova=%s am=%d expect=ok" % (
            hexa(addr), am)


def base_of(mode, block):
    """The block's IOVA: 1 GiB in legacy mode; in scalable mode the
    smallest multiple of the block from 64 MiB, below 2^29 with its
    neighbours."""
    if mode is Legacy:
        return 0x40000000
    base = max(block, 0x4000000)
    assert base + 2 * block <= 1 << 29
    return base


def sweep(leaf, am, unaligned=False, mode=Legacy):
    """One scenario over 4 KiB or 2 MiB leaves, the mask covering whole
    leaves (for 2 MiB: AM 9 and up)."""
    block = K4 << am
    page = {K4: "4K", M2: "2M"}[leaf]
    level = {K4: 1, M2: 2}[leaf]
    base = base_of(mode, block)
    assert block >= leaf
    leaves = samples(base, block, leaf)
    inside = [n for n, _ in leaves if n not in ("before", "after")]
    name = "%s-%s-am%d%s" % (mode.prefix, page.lower(), am,
                             "-unaligned" if unaligned else "")
    addr = base
    if unaligned:
        addr = dict(leaves)["last"]
        title = ("PSI AM=%d given the address of the last %s leaf of its "
                 "block: the whole aligned block is refreshed"
                 % (am, page))
    else:
        title = ("PSI AM=%d over %s leaves: the %s block is refreshed, the "
                 "leaves around it are not disturbed"
                 % (am, page, size_word(block)))
    out = ["", "scenario %s \"%s\"" % (name, title)]
    out.append("  require mamv %d%s" % (am, mode.page_req(leaf)))
    out += mode.head(leaf)
    align = " align=2M" if leaf == M2 else ""
    room = len(leaves) * leaf if leaf == K4 else leaf
    out.append("  buffer old size=%s%s" % (size_word(room), align))
    # new mirrors old: leaf k reads the same offset of either
    out.append("  buffer new size=%s%s" % (size_word(room), align))
    out.append("  buffer dst size=4K")
    # Only the bytes read are filled.
    for k in range(len(leaves)):
        out.append("  fill old offset=%s len=16 seed=1" % hexa(src_of(k,
                                                                     leaf)))
    for k, (n, _) in enumerate(leaves):
        if n in inside:
            out.append("  fill new offset=%s len=16 seed=2" %
                       hexa(src_of(k, leaf)))
    for k, (n, iova) in enumerate(leaves):
        out.append("  map d iova=%s buffer=old offset=%s page=%s perm=r"
                   "   # %s" % (hexa(iova), size_word(slot(k, leaf))
                                if slot(k, leaf) else "0", page, n))
    out.append("  map d iova=0x1000 buffer=dst perm=w")
    out.append("  attach edu0 d")
    out.append("  enable")
    out.append("  # each leaf once, so the unit caches it")
    for k, (n, iova) in enumerate(leaves):
        out.append("  dma edu0 from-ram iova=%s len=16 off=%d expect=ok" %
                   (hexa(iova + 0x80 * (k + 1)), 16 * k))
    out.append("  # the block's leaves now lead to other memory")
    for k, (n, iova) in enumerate(leaves):
        if n in inside:
            out.append("  pte d iova=%s level=%d addr=@new%s" %
                       (hexa(iova), level, "+" + size_word(slot(k, leaf))
                        if slot(k, leaf) else ""))
    out.append(mode.inv(addr, am, unaligned))
    for k, (n, iova) in enumerate(leaves):
        out.append("  dma edu0 from-ram iova=%s len=16 off=%d expect=ok" %
                   (hexa(iova + 0x80 * (k + 1)), 16 * k))
    out.append("  dma edu0 to-ram iova=0x1000 len=%d expect=ok" %
               (16 * len(leaves)))
    for k, (n, iova) in enumerate(leaves):
        if n in inside:
            out.append("  check dst offset=%d len=16 seed=2 src=%s"
                       "   # %s: new" % (16 * k, hexa(src_of(k, leaf)), n))
        else:
            out.append("  check dst offset=%d len=16 seed=1 src=%s"
                       "   # %s: unchanged" % (16 * k, hexa(src_of(k, leaf)),
                                               n))
    return out


def _three_1g_leaves(base):
    """The set-up of the 1 GiB sweeps: read-only 1 GiB leaves at base and
    either side of it, each the first GiB of memory, all three read once
    (cached) into dst."""
    out = []
    out.append("  require mamv 18 page 1G")
    out.append("  domain d did=1")
    out.append("  buffer A size=4K")
    out.append("  buffer dst size=4K")
    out.append("  fill A seed=1")
    for n, iova in (("before", base - G1), ("the leaf", base),
                    ("after", base + G1)):
        out.append("  map d iova=%s phys=0 size=1G page=1G perm=r   # %s" %
                   (hexa(iova), n))
    out.append("  map d iova=0x1000 buffer=dst perm=w")
    out.append("  attach edu0 d")
    out.append("  enable")
    for k, iova in enumerate((base - G1, base, base + G1)):
        out.append("  dma edu0 from-ram iova=%s+@A+%s len=16 off=%d "
                   "expect=ok" % (hexa(iova), hexa(0x80 * (k + 1)), 16 * k))
    return out


def sweep_1g(unaligned=False):
    """1 GiB leaves at 3, 4 and 5 GiB, each the first GiB of memory: the
    middle one unmapped, then PSI AM=18 (at an address inside the leaf
    when unaligned): it must fault, the others not."""
    base = 4 << 30
    name = "psi-1g-am18%s" % ("-unaligned" if unaligned else "")
    if unaligned:
        title = ("PSI AM=18 given an address inside a 1 GiB leaf: the whole "
                 "leaf is refreshed")
    else:
        title = ("PSI AM=18 over a 1 GiB leaf: refreshed, the leaves around "
                 "it are not disturbed")
    out = ["", "scenario %s \"%s\"" % (name, title)]
    out += _three_1g_leaves(base)
    out.append("  unmap d iova=%s size=1G" % hexa(base))
    inv = "  inv iotlb page did=d iova=%s am=18" % hexa(
        base + 0x3000 if unaligned else base)
    if unaligned:
        inv += " unchecked"
    out.append(inv + " gran=page,domain,global expect=ok")
    out.append("  dma edu0 from-ram iova=%s+@A+0x100 len=16 off=16 "
               "expect=fault:read" % hexa(base))
    out.append("  dma edu0 from-ram iova=%s+@A+0x80 len=16 off=0 expect=ok"
               % hexa(base - G1))
    out.append("  dma edu0 from-ram iova=%s+@A+0x180 len=16 off=32 "
               "expect=ok" % hexa(base + G1))
    out.append("  dma edu0 to-ram iova=0x1000 len=48 expect=ok")
    out.append("  check dst offset=0 len=16 seed=1 src=0x80   # before")
    out.append("  check dst offset=32 len=16 seed=1 src=0x180   # after")
    return out


def sweep_2m_small(mode=Legacy):
    """AM 0..8 inside one 2 MiB leaf, one round each: 10.4.8.2 promises
    the leaf's removal only from AM 9, so after the small mask the data may
    be old or new, and AM 9 follows. The leaf goes back and forth between
    old and new memory; its neighbours stay."""
    base = base_of(mode, M2)
    out = ["", "scenario %s-2m-am0-8 \"PSI AM 0..8 inside a 2 MiB leaf: "
           "the leaf may stay cached until AM 9, the leaves around it are "
           "not disturbed\"" % mode.prefix]
    out.append("  require mamv 9%s" % mode.page_req(M2))
    out += mode.head(M2)
    out.append("  buffer old size=2M align=2M")
    out.append("  buffer new size=2M align=2M")
    out.append("  buffer dst size=4K")
    for off in (0x80, 0x100, 0x180):
        out.append("  fill old offset=%s len=16 seed=1" % hexa(off))
    out.append("  fill new offset=0x100 len=16 seed=2")
    for n, iova in (("before", base - M2), ("the leaf", base),
                    ("after", base + M2)):
        out.append("  map d iova=%s buffer=old page=2M perm=r   # %s" %
                   (hexa(iova), n))
    out.append("  map d iova=0x1000 buffer=dst perm=w")
    out.append("  attach edu0 d")
    out.append("  enable")
    reads = [(base - M2 + 0x80, 0), (base + 0x100, 16), (base + M2 + 0x180,
                                                          32)]
    for iova, off in reads:
        out.append("  dma edu0 from-ram iova=%s len=16 off=%d expect=ok" %
                   (hexa(iova), off))
    seed = 1
    for am in range(9):
        to, to_seed = ("new", 2) if seed == 1 else ("old", 1)
        out.append("  # AM=%d: the block of %s at %s" %
                   (am, size_word(K4 << am), hexa(base + (K4 << am))))
        out.append("  pte d iova=%s level=2 addr=@%s" % (hexa(base), to))
        out.append(mode.inv(base + (K4 << am), am, False))
        for iova, off in reads:
            out.append("  dma edu0 from-ram iova=%s len=16 off=%d "
                       "expect=ok" % (hexa(iova), off))
        out.append("  dma edu0 to-ram iova=0x1000 len=48 expect=ok")
        out.append("  check dst offset=0 len=16 seed=1 src=0x80   # before")
        out.append("  check-either dst offset=16 len=16 old=%d new=%d "
                   "src=0x100   # the leaf: still cached or not" %
                   (seed, to_seed))
        out.append("  check dst offset=32 len=16 seed=1 src=0x180   # after")
        out.append(mode.inv(base, 9, False))
        out.append("  dma edu0 from-ram iova=%s len=16 off=16 expect=ok" %
                   hexa(base + 0x100))
        out.append("  dma edu0 to-ram iova=0x1000 len=48 expect=ok")
        out.append("  check dst offset=16 len=16 seed=%d src=0x100" %
                   to_seed)
        seed = to_seed
    return out


def sweep_1g_small():
    """AM 0..17 inside one 1 GiB leaf (unmapped), one round each: only
    AM 18 must remove it (10.4.8.2); the leaf is mapped again after each
    round."""
    base = 4 << 30
    out = ["", "scenario psi-1g-am0-17 \"PSI AM 0..17 inside a 1 GiB leaf: "
           "the leaf may stay cached until AM 18, the leaves around it are "
           "not disturbed\""]
    out += _three_1g_leaves(base)
    for am in range(18):
        out.append("  # AM=%d: the block of %s at %s" %
                   (am, size_word(K4 << am), hexa(base + (K4 << am))))
        out.append("  unmap d iova=%s size=1G" % hexa(base))
        out.append("  inv iotlb page did=d iova=%s am=%d "
                   "gran=page,domain,global expect=ok" %
                   (hexa(base + (K4 << am)), am))
        out.append("  dma edu0 from-ram iova=%s+@A+0x100 len=16 off=16 "
                   "expect=any" % hexa(base))
        out.append("  dma edu0 from-ram iova=%s+@A+0x80 len=16 off=0 "
                   "expect=ok" % hexa(base - G1))
        out.append("  dma edu0 from-ram iova=%s+@A+0x180 len=16 off=32 "
                   "expect=ok" % hexa(base + G1))
        out.append("  inv iotlb page did=d iova=%s am=18 "
                   "gran=page,domain,global expect=ok" % hexa(base))
        out.append("  dma edu0 from-ram iova=%s+@A+0x100 len=16 off=16 "
                   "expect=fault:read" % hexa(base))
        # mapped again (a PSI after it, for caching mode) and cached
        out.append("  map d iova=%s phys=0 size=1G page=1G perm=r" %
                   hexa(base))
        out.append("  inv iotlb page did=d iova=%s am=18 "
                   "gran=page,domain,global expect=ok" % hexa(base))
        out.append("  dma edu0 from-ram iova=%s+@A+0x100 len=16 off=16 "
                   "expect=ok" % hexa(base))
    out.append("  dma edu0 to-ram iova=0x1000 len=48 expect=ok")
    for k in range(3):
        out.append("  check dst offset=%d len=16 seed=1 src=%s" %
                   (16 * k, hexa(0x80 * (k + 1))))
    return out


HEAD = """\
# Written by tests/engine/gen-psi.py: edit that, not this (see its
# comment for the design).
#
"""

FILES = {
    "edge-psi-4k.vtd": (
        "Page-selective invalidation with every address mask 0..18 over\n"
        "# 4 KiB leaves: the aligned block of 2^AM pages is refreshed, the\n"
        "# pages just outside it still translate to their unchanged memory.\n",
        lambda: [l for am in range(MAMV + 1) for l in sweep(K4, am)]),
    "edge-psi-2m.vtd": (
        "Page-selective invalidation with every address mask 0..18 over\n"
        "# 2 MiB leaves: from AM 9 the block of 2 MiB leaves is refreshed;\n"
        "# below, the leaf the block lies in may stay cached until AM 9. The\n"
        "# leaves just outside keep their unchanged translation.\n",
        lambda: sweep_2m_small() + [l for am in range(9, MAMV + 1)
                                    for l in sweep(M2, am)]),
    "edge-psi-1g.vtd": (
        "Page-selective invalidation with every address mask 0..18 over a\n"
        "# 1 GiB leaf (unmapped): only AM 18 must remove it; the 1 GiB\n"
        "# leaves around it keep translating.\n",
        lambda: sweep_1g_small() + sweep_1g()),
    "edge-psi-unaligned.vtd": (
        "Page-selective invalidation whose address is not aligned to its\n"
        "# mask (the last leaf of the block): the aligned block containing\n"
        "# it is refreshed, its first leaf included; 4 KiB leaves with every\n"
        "# mask 1..18, 2 MiB leaves with masks 10, 14 and 18, a 1 GiB leaf.\n",
        lambda: ([l for am in range(1, MAMV + 1)
                  for l in sweep(K4, am, True)] +
                 [l for am in (10, 14, 18) for l in sweep(M2, am, True)] +
                 sweep_1g(True))),
}


FS_MAX_AM = 15

FILES.update({
    "sm-psi-4k.vtd": (
        "PASID-based IOTLB invalidation (6.5.2.4), page-selective within\n"
        "# PASID, with every address mask 0..15 over first-stage 4 KiB\n"
        "# leaves: the aligned block is refreshed, the pages just outside it\n"
        "# still translate to their unchanged memory.\n",
        lambda: [l for am in range(FS_MAX_AM + 1)
                 for l in sweep(K4, am, mode=FirstStage)]),
    "sm-psi-2m.vtd": (
        "PASID-based IOTLB invalidation (6.5.2.4) over first-stage 2 MiB\n"
        "# leaves: AM 0..8 inside a leaf (it may stay cached until AM 9),\n"
        "# then AM 9..15 over blocks of leaves.\n",
        lambda: sweep_2m_small(FirstStage) +
        [l for am in range(9, FS_MAX_AM + 1)
         for l in sweep(M2, am, mode=FirstStage)]),
    "sm-psi-unaligned.vtd": (
        "PASID-based IOTLB invalidation (6.5.2.4) whose address is not\n"
        "# aligned to its mask, over first-stage tables: the aligned block\n"
        "# containing it is refreshed; 4 KiB leaves with every mask 1..15,\n"
        "# 2 MiB leaves with masks 10 and 14.\n",
        lambda: ([l for am in range(1, FS_MAX_AM + 1)
                  for l in sweep(K4, am, True, FirstStage)] +
                 [l for am in (10, 14)
                  for l in sweep(M2, am, True, FirstStage)])),
})


def render(name):
    intro, body = FILES[name]
    return HEAD + "# " + intro + "\n".join(body()) + "\n"


def main():
    if sys.argv[1:] == ["--tap"]:
        print("1..%d" % len(FILES))
        bad = 0
        for i, name in enumerate(sorted(FILES), 1):
            path = os.path.join(DIR, name)
            try:
                with open(path) as f:
                    same = f.read() == render(name)
            except OSError:
                same = False
            if not same:
                bad += 1
            print("%s %d - tests/scenarios/%s is what gen-psi.py writes" %
                  ("ok" if same else "not ok", i, name))
        return 1 if bad else 0
    if sys.argv[1:]:
        print("usage: gen-psi.py [--tap]", file=sys.stderr)
        return 2
    for name in sorted(FILES):
        with open(os.path.join(DIR, name), "w") as f:
            f.write(render(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
