/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/hosted/acpi.c — ACPI tables for the hosted machine, written into
 * guest RAM the way firmware leaves them, for acpi/ to find and parse
 * exactly as it does in the guest:
 *
 *   RSDP (revision 2) in the BIOS area, handed over as UEFI would;
 *   RSDT and XSDT listing MCFG, MADT and (with a remapping unit) DMAR;
 *   MADT: one local APIC, I/O APIC 0 at HM_IOAPIC_BASE, ISA IRQ 0 on GSI 2;
 *   MCFG: segment 0, buses 0-255, ECAM at HM_ECAM_BASE;
 *   DMAR from the machine's actual devices, laid out as QEMU's q35 builds
 *   it: HAW = address width - 1, INTR_REMAP when the unit has interrupt
 *   remapping, one DRHD at HM_VTD_BASE with an IOAPIC scope (id 0, source-
 *   id ff:00.0) and then one scope per bus-0 function in devfn order
 *   (endpoint, or sub-hierarchy for a bridge); or, asked for, the DRHD
 *   with INCLUDE_PCI_ALL and only the IOAPIC scope. An ATSR with
 *   ALL_PORTS when the unit has device-TLB support.
 */
#include <string.h>

#include "harness/hosted/hosted.h"

#define ACPI_HDR 36u

struct tbuf {
    uint8_t *p;
    uint64_t pa;
    size_t len, cap;
    bool overflow;
};

static void emit(struct tbuf *t, const void *src, size_t n)
{
    if (t->len + n > t->cap) {
        t->overflow = true;
        return;
    }
    memcpy(t->p + t->len, src, n);
    t->len += n;
}

static void e8(struct tbuf *t, uint8_t v)
{
    emit(t, &v, 1);
}

static void e16(struct tbuf *t, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

    emit(t, b, 2);
}

static void e32(struct tbuf *t, uint32_t v)
{
    e16(t, (uint16_t)v);
    e16(t, (uint16_t)(v >> 16));
}

static void e64(struct tbuf *t, uint64_t v)
{
    e32(t, (uint32_t)v);
    e32(t, (uint32_t)(v >> 32));
}

static void patch16(struct tbuf *t, size_t off, uint16_t v)
{
    if (off + 2 <= t->len) {
        t->p[off] = (uint8_t)v;
        t->p[off + 1] = (uint8_t)(v >> 8);
    }
}

static void patch32(struct tbuf *t, size_t off, uint32_t v)
{
    patch16(t, off, (uint16_t)v);
    patch16(t, off + 2, (uint16_t)(v >> 16));
}

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while (n--)
        s = (uint8_t)(s + *p++);
    return s;
}

/* The standard header; length and checksum are fixed by table_end. */
static size_t table_begin(struct tbuf *t, const char *sig, uint8_t rev)
{
    size_t start = t->len;

    emit(t, sig, 4);
    e32(t, 0);
    e8(t, rev);
    e8(t, 0);
    emit(t, "VTDPRB", 6);
    emit(t, "HOSTED  ", 8);
    e32(t, 1);
    emit(t, "VTDP", 4);
    e32(t, 1);
    return start;
}

static uint64_t table_end(struct tbuf *t, size_t start)
{
    uint32_t len = (uint32_t)(t->len - start);

    if (t->overflow)
        return 0;
    patch32(t, start + 4, len);
    t->p[start + 9] = (uint8_t)(0x100 - sum(t->p + start, len));
    /* Next table 16-byte aligned, as firmware places them. */
    while (t->len & 15)
        e8(t, 0);
    return t->pa + start;
}

static uint64_t build_mcfg(struct tbuf *t)
{
    size_t s = table_begin(t, "MCFG", 1);

    e64(t, 0); /* reserved */
    e64(t, HM_ECAM_BASE);
    e16(t, 0);   /* segment */
    e8(t, 0);    /* start bus */
    e8(t, 0xFF); /* end bus */
    e32(t, 0);
    return table_end(t, s);
}

/* MADT: this CPU's local APIC, I/O APIC 0 at HM_IOAPIC_BASE from GSI 0,
 * and ISA IRQ 0 on GSI 2, as q35's. */
static uint64_t build_madt(struct tbuf *t)
{
    size_t s = table_begin(t, "APIC", 3);

    e32(t, (uint32_t)HM_MSI_BASE); /* local APIC address */
    e32(t, 1);                     /* PCAT_COMPAT */
    e8(t, 0);                      /* processor local APIC */
    e8(t, 8);
    e8(t, 0); /* processor UID */
    e8(t, 0); /* APIC ID */
    e32(t, 1);
    e8(t, 1); /* I/O APIC */
    e8(t, 12);
    e8(t, 0); /* id */
    e8(t, 0);
    e32(t, (uint32_t)HM_IOAPIC_BASE);
    e32(t, 0); /* GSI base */
    e8(t, 2);  /* interrupt source override */
    e8(t, 10);
    e8(t, 0); /* ISA */
    e8(t, 0); /* IRQ 0 */
    e32(t, 2);
    e16(t, 0);
    return table_end(t, s);
}

static void scope(struct tbuf *t, uint8_t type, uint8_t enum_id,
                  uint8_t start_bus, uint8_t dev, uint8_t fn)
{
    e8(t, type);
    e8(t, 8); /* one path element */
    e16(t, 0);
    e8(t, enum_id);
    e8(t, start_bus);
    e8(t, dev);
    e8(t, fn);
}

static uint64_t build_dmar(struct tbuf *t)
{
    const struct vtd_config *v = &hm.cfg.vtd;
    unsigned haw = v->haw_bits ? v->haw_bits
                               : (v->aw_bits > 52 ? 52 : v->aw_bits);
    size_t s = table_begin(t, "DMAR", 1), drhd;

    e8(t, (uint8_t)(haw - 1));
    e8(t, v->intr_remap ? 1 : 0); /* INTR_REMAP */
    for (unsigned i = 0; i < 10; i++)
        e8(t, 0);

    drhd = t->len;
    e16(t, 0); /* DRHD */
    e16(t, 0); /* length, below */
    e8(t, hm.cfg.dmar_include_all ? 1 : 0);
    e8(t, 0);
    e16(t, 0); /* segment */
    e64(t, HM_VTD_BASE);
    /* The IOAPIC: source-id ff:00.0, as q35's pseudo platform bus. */
    scope(t, 3, 0, 0xFF, 0, 0);
    if (!hm.cfg.dmar_include_all) {
        for (unsigned i = 0; hm_pci_fn(i); i++) {
            const struct hm_fn *f = hm_pci_fn(i);
            uint8_t bus, dev, fn;

            hm_fn_bdf(f, &bus, &dev, &fn);
            if (bus != 0)
                continue;
            scope(t, hm_fn_is_bridge(f) ? 2 : 1, 0, 0, dev, fn);
        }
    }
    patch16(t, drhd + 2, (uint16_t)(t->len - drhd));

    if (v->device_iotlb) {
        e16(t, 2); /* ATSR */
        e16(t, 8);
        e8(t, 1); /* ALL_PORTS */
        e8(t, 0);
        e16(t, 0); /* segment */
    }
    return table_end(t, s);
}

static uint64_t build_root(struct tbuf *t, const char *sig,
                           const uint64_t *tables, unsigned n, bool wide)
{
    size_t s = table_begin(t, sig, 1);

    for (unsigned i = 0; i < n; i++) {
        if (wide)
            e64(t, tables[i]);
        else
            e32(t, (uint32_t)tables[i]);
    }
    return table_end(t, s);
}

uint64_t hm_acpi_build(const char **why)
{
    struct tbuf t = {
        .p = hm_ram(hm.acpi_base, HM_ACPI_SIZE),
        .pa = hm.acpi_base,
        .cap = HM_ACPI_SIZE,
    };
    struct tbuf r = {
        .p = hm_ram(HM_RSDP_ADDR, 36),
        .pa = HM_RSDP_ADDR,
        .cap = 36,
    };
    uint64_t tables[3], rsdt, xsdt;
    unsigned n = 0;

    if (!t.p || !r.p) {
        *why = "no RAM for the ACPI tables";
        return 0;
    }
    tables[n++] = build_mcfg(&t);
    tables[n++] = build_madt(&t);
    if (hm.cfg.iommu)
        tables[n++] = build_dmar(&t);
    rsdt = build_root(&t, "RSDT", tables, n, false);
    xsdt = build_root(&t, "XSDT", tables, n, true);
    if (t.overflow || !rsdt || !xsdt) {
        *why = "the ACPI tables do not fit their area";
        return 0;
    }

    emit(&r, "RSD PTR ", 8);
    e8(&r, 0); /* checksum of the first 20 */
    emit(&r, "VTDPRB", 6);
    e8(&r, 2); /* revision: XSDT present */
    e32(&r, (uint32_t)rsdt);
    e32(&r, 36);
    e64(&r, xsdt);
    e8(&r, 0); /* extended checksum */
    e8(&r, 0);
    e8(&r, 0);
    e8(&r, 0);
    r.p[8] = (uint8_t)(0x100 - sum(r.p, 20));
    r.p[32] = (uint8_t)(0x100 - sum(r.p, 36));
    return HM_RSDP_ADDR;
}
