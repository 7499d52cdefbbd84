/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/hosted/pci.c — configuration space of the hosted machine's PCI
 * functions, as QEMU's q35 presents them after SeaBIOS has run: BARs
 * assigned, memory decoding on, bus mastering off (command 0x0103), root
 * ports numbered in scan order.
 *
 *   00:00.0         host bridge (8086:29c0)
 *   00:NN.0         edu devices and PCIe root ports, in the order given
 *   BB:00.0         an edu behind root port BB-1's secondary bus
 *   00:1f.0/.2/.3   ICH9 LPC, SATA and SMBus (q35 has them even with
 *                   -nodefaults; here without BARs)
 *
 * Each function is a byte array with a mask of writable bits and a mask of
 * write-1-to-clear bits; that is all PCI configuration semantics the
 * firmware relies on (BAR sizing, command, MSI, bus numbers).
 */
#include <stdlib.h>
#include <string.h>

#include "harness/hosted/edu_model.h"
#include "harness/hosted/hosted.h"
#include "harness/le.h"

#define CFG_SIZE   4096
#define CFG_LEGACY 256

enum fn_kind { FN_PLAIN, FN_EDU, FN_ROOT_PORT };

struct hm_fn {
    uint8_t bus, dev, fn;
    enum fn_kind kind;
    bool pcie;   /* 4 KiB of configuration space */
    uint8_t msi; /* MSI capability offset, 0: none */
    uint64_t bar_size[6];
    void *device;
    uint8_t cfg[CFG_SIZE];
    uint8_t wmask[CFG_LEGACY];
    uint8_t w1c[CFG_LEGACY];
};

static void put8(uint8_t *p, unsigned off, uint8_t v)
{
    p[off] = v;
}

static struct hm_fn *fn_new(uint8_t bus, uint8_t dev, uint8_t fn,
                            uint16_t vendor, uint16_t device,
                            uint32_t class_rev, uint8_t header)
{
    struct hm_fn *f;

    if (hm.nr_fns == sizeof(hm.fns) / sizeof(hm.fns[0]))
        return NULL;
    f = calloc(1, sizeof(*f));
    if (!f)
        return NULL;
    f->bus = bus;
    f->dev = dev;
    f->fn = fn;
    le_put16(f->cfg, 0x00, vendor);
    le_put16(f->cfg, 0x02, device);
    le_put32(f->cfg, 0x08, class_rev);
    put8(f->cfg, 0x0E, header);
    /* Command: I/O, memory, bus master, SERR, INTx disable. */
    le_put16(f->wmask, 0x04, 0x0547);
    /* Status: parity and abort bits are write-1-to-clear. */
    le_put16(f->w1c, 0x06, 0xF900);
    put8(f->wmask, 0x0C, 0xFF); /* cache line size */
    put8(f->wmask, 0x0D, 0xFF); /* latency timer */
    put8(f->wmask, 0x3C, 0xFF); /* interrupt line */
    hm.fns[hm.nr_fns++] = f;
    return f;
}

/* A 32-bit memory BAR of size bytes (a power of two) at base. */
static void bar_mem32(struct hm_fn *f, unsigned i, uint64_t base, uint64_t size)
{
    unsigned off = 0x10 + 4 * i;

    f->bar_size[i] = size;
    le_put32(f->cfg, off, (uint32_t)base);
    le_put32(f->wmask, off, (uint32_t) ~(size - 1));
}

static void cap_add(struct hm_fn *f, uint8_t off, uint8_t id)
{
    uint8_t *p = &f->cfg[0x34];

    /* Append to the list: status bit 4 says there is one. */
    while (*p)
        p = &f->cfg[*p + 1];
    *p = off;
    f->cfg[off] = id;
    f->cfg[off + 1] = 0;
    f->cfg[0x06] |= 1u << 4;
}

/* QEMU's edu (harness/hosted/edu_model.h has its identity): a 32-bit
 * memory BAR0, an MSI capability with one vector and 64-bit addresses. */
static struct hm_fn *edu_fn(uint8_t bus, uint8_t dev, uint64_t bar)
{
    struct hm_fn *f = fn_new(bus, dev, 0, EDU_MODEL_VENDOR, EDU_MODEL_DEVICE,
                             EDU_MODEL_CLASS_REV, 0);
    const uint8_t msi = EDU_MODEL_MSI_CAP;

    if (!f)
        return NULL;
    f->kind = FN_EDU;
    le_put16(f->cfg, 0x2C, EDU_MODEL_SUBSYS_VENDOR);
    le_put16(f->cfg, 0x2E, EDU_MODEL_SUBSYS_ID);
    put8(f->cfg, 0x3D, EDU_MODEL_INT_PIN);
    le_put16(f->cfg, 0x04, 0x0103);
    bar_mem32(f, 0, bar, EDU_MODEL_BAR0_SIZE);
    f->msi = msi;
    cap_add(f, msi, 0x05);
    le_put16(f->cfg, msi + 2, 1u << 7);  /* 64-bit, one vector */
    le_put16(f->wmask, msi + 2, 0x0071); /* enable, MME */
    le_put32(f->wmask, msi + 4, 0xFFFFFFFC);
    le_put32(f->wmask, msi + 8, 0xFFFFFFFF);
    le_put16(f->wmask, msi + 12, 0xFFFF);
    return f;
}

/* QEMU's pcie-root-port: 1b36:000c, a type-1 header, a PCI Express
 * capability (version 2, root port). Bus numbers and the memory window
 * as SeaBIOS leaves them. */
static struct hm_fn *port_fn(uint8_t dev, uint8_t secondary, uint64_t win,
                             uint64_t win_size)
{
    struct hm_fn *f = fn_new(0, dev, 0, 0x1B36, 0x000C, 0x06040000, 1);

    if (!f)
        return NULL;
    f->kind = FN_ROOT_PORT;
    f->pcie = true;
    le_put16(f->cfg, 0x04, 0x0103);
    put8(f->cfg, 0x18, 0);
    put8(f->cfg, 0x19, secondary);
    put8(f->cfg, 0x1A, secondary);
    le_put32(f->wmask, 0x18, 0x00FFFFFF);
    /* Memory window [win, win+win_size) in 1 MiB units; empty when the
     * port has nothing behind it (base above limit). */
    if (win_size) {
        le_put16(f->cfg, 0x20, (uint16_t)((win >> 16) & 0xFFF0));
        le_put16(f->cfg, 0x22,
                 (uint16_t)(((win + win_size - 1) >> 16) & 0xFFF0));
    } else {
        le_put16(f->cfg, 0x20, 0xFFF0);
        le_put16(f->cfg, 0x22, 0x0000);
    }
    le_put32(f->wmask, 0x20, 0xFFF0FFF0);
    le_put32(f->cfg, 0x24, 0x0001FFF1); /* prefetchable: empty */
    le_put32(f->wmask, 0x24, 0xFFF0FFF0);
    le_put32(f->wmask, 0x28, 0xFFFFFFFF);
    le_put32(f->wmask, 0x2C, 0xFFFFFFFF);
    le_put16(f->cfg, 0x1C, 0x00F0); /* I/O window: empty */
    le_put16(f->wmask, 0x1C, 0xF0F0);
    le_put16(f->wmask, 0x3E, 0x0FFF); /* bridge control */
    cap_add(f, 0x40, 0x10);
    le_put16(f->cfg, 0x42, 0x0042); /* v2, root port */
    return f;
}

static int by_devfn(const void *a, const void *b)
{
    const struct hm_fn *x = *(struct hm_fn *const *)a;
    const struct hm_fn *y = *(struct hm_fn *const *)b;
    unsigned kx = (unsigned)x->bus << 8 | x->dev << 3 | x->fn;
    unsigned ky = (unsigned)y->bus << 8 | y->dev << 3 | y->fn;

    return kx < ky ? -1 : kx > ky;
}

const char *hm_pci_build(void)
{
    const struct hm_config *c = &hm.cfg;
    uint64_t next = HM_MMIO32_BASE;
    uint8_t secondary[HM_MAX_PORTS];
    int order[HM_MAX_PORTS];
    struct hm_fn *f;

    if (!fn_new(0, 0, 0, 0x8086, 0x29C0, 0x06000000, 0))
        return "out of memory";
    if (!fn_new(0, 0x1F, 0, 0x8086, 0x2918, 0x06010002, 0x80) ||
        !fn_new(0, 0x1F, 2, 0x8086, 0x2922, 0x01060102, 0) ||
        !fn_new(0, 0x1F, 3, 0x8086, 0x2930, 0x0C050002, 0))
        return "out of memory";

    /* Secondary bus numbers in slot order, as a depth-first scan of bus 0
     * (SeaBIOS) hands them out. */
    for (unsigned i = 0; i < c->nr_ports; i++)
        order[i] = (int)i;
    for (unsigned i = 1; i < c->nr_ports; i++)
        for (unsigned j = i;
             j > 0 && c->port[order[j - 1]].dev > c->port[order[j]].dev; j--) {
            int t = order[j];

            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (unsigned i = 0; i < c->nr_ports; i++)
        secondary[order[i]] = (uint8_t)(i + 1);

    for (unsigned i = 0; i < c->nr_edu; i++) {
        const struct hm_edu_cfg *e = &c->edu[i];
        uint8_t bus = e->port < 0 ? 0 : secondary[e->port];
        uint8_t dev = e->port < 0 ? (uint8_t)e->dev : 0;

        if (next + EDU_MODEL_BAR0_SIZE > HM_MMIO32_END)
            return "PCI memory window exhausted";
        f = edu_fn(bus, dev, next);
        if (!f)
            return "out of memory";
        f->device = hm_edu_create(f, e);
        if (!f->device)
            return "out of memory";
        hm.edu[hm.nr_edu++] = f->device;
        next += EDU_MODEL_BAR0_SIZE;
    }
    for (unsigned i = 0; i < c->nr_ports; i++) {
        uint64_t lo = ~0ull, hi = 0;

        /* The window covers the BARs of what sits behind the port. */
        for (unsigned k = 0; k < hm.nr_fns; k++) {
            const struct hm_fn *d = hm.fns[k];

            uint64_t base = le_get32(d->cfg, 0x10) & ~0xFull;

            if (d->bus != secondary[i] || !d->bar_size[0])
                continue;
            if (base < lo)
                lo = base;
            if (base + d->bar_size[0] > hi)
                hi = base + d->bar_size[0];
        }
        if (!port_fn((uint8_t)c->port[i].dev, secondary[i], lo < hi ? lo : 0,
                     lo < hi ? hi - lo : 0))
            return "out of memory";
    }
    qsort(hm.fns, hm.nr_fns, sizeof(hm.fns[0]), by_devfn);
    return NULL;
}

void hm_pci_destroy(void)
{
    for (unsigned i = 0; i < hm.nr_fns; i++) {
        if (hm.fns[i]->kind == FN_EDU)
            hm_edu_destroy(hm.fns[i]->device);
        free(hm.fns[i]);
    }
    hm.nr_fns = 0;
    hm.nr_edu = 0;
}

static struct hm_fn *fn_at(uint8_t bus, uint8_t dev, uint8_t fn)
{
    for (unsigned i = 0; i < hm.nr_fns; i++) {
        struct hm_fn *f = hm.fns[i];

        if (f->bus == bus && f->dev == dev && f->fn == fn)
            return f;
    }
    return NULL;
}

uint32_t hm_pci_cfg_read(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
                         unsigned size)
{
    const struct hm_fn *f = fn_at(bus, dev & 31, fn & 7);
    uint32_t v = 0;

    if (!f || off >= CFG_SIZE || off + size > CFG_SIZE ||
        (size != 1 && size != 2 && size != 4) || (off & (size - 1)))
        return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
    /* A conventional function has no extended space. */
    if (!f->pcie && off >= CFG_LEGACY)
        return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)f->cfg[off + i] << (8 * i);
    return v;
}

void hm_pci_cfg_write(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
                      unsigned size, uint32_t val)
{
    struct hm_fn *f = fn_at(bus, dev & 31, fn & 7);

    if (!f || off >= CFG_LEGACY || off + size > CFG_LEGACY ||
        (size != 1 && size != 2 && size != 4) || (off & (size - 1)))
        return;
    for (unsigned i = 0; i < size; i++) {
        unsigned o = off + i;
        uint8_t b = (uint8_t)(val >> (8 * i));

        f->cfg[o] = (uint8_t)((f->cfg[o] & ~f->wmask[o]) | (b & f->wmask[o]));
        f->cfg[o] &= (uint8_t) ~(b & f->w1c[o]);
    }
}

uint16_t hm_fn_sid(const struct hm_fn *f)
{
    return (uint16_t)(f->bus << 8 | f->dev << 3 | f->fn);
}

bool hm_fn_bus_master(const struct hm_fn *f)
{
    return f->cfg[0x04] & 0x04;
}

void hm_fn_status_set(struct hm_fn *f, uint16_t bits)
{
    le_put16(f->cfg, 0x06, (uint16_t)(le_get32(f->cfg, 0x04) >> 16) | bits);
}

bool hm_fn_msi(const struct hm_fn *f, uint64_t *addr, uint32_t *data)
{
    unsigned c = f->msi;

    if (!c || !(f->cfg[c + 2] & 1))
        return false;
    *addr = le_get32(f->cfg, c + 4) | (uint64_t)le_get32(f->cfg, c + 8) << 32;
    *data = le_get32(f->cfg, c + 12) & 0xFFFF;
    return true;
}

struct hm_fn *hm_pci_bar_at(uint64_t pa, unsigned *bar, uint64_t *off)
{
    for (unsigned i = 0; i < hm.nr_fns; i++) {
        struct hm_fn *f = hm.fns[i];

        if (!(f->cfg[0x04] & 0x02)) /* memory decoding off */
            continue;
        for (unsigned b = 0; b < 6; b++) {
            uint64_t base, size = f->bar_size[b];

            if (!size)
                continue;
            base = le_get32(f->cfg, 0x10 + 4 * b) & ~0xFull;
            /* All ones while being sized: not decoded. */
            if (base + size > HM_MMIO32_END || base < (1ull << 20))
                continue;
            if (pa >= base && pa - base < size) {
                *bar = b;
                *off = pa - base;
                return f;
            }
        }
    }
    return NULL;
}

struct hm_fn *hm_pci_fn(unsigned i)
{
    return i < hm.nr_fns ? hm.fns[i] : NULL;
}

void hm_fn_bdf(const struct hm_fn *f, uint8_t *bus, uint8_t *dev, uint8_t *fn)
{
    *bus = f->bus;
    *dev = f->dev;
    *fn = f->fn;
}

bool hm_fn_is_bridge(const struct hm_fn *f)
{
    return (f->cfg[0x0E] & 0x7F) == 1;
}

void *hm_fn_device(const struct hm_fn *f)
{
    return f->kind == FN_EDU ? f->device : NULL;
}
