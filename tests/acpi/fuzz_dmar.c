/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/acpi/fuzz_dmar.c — libFuzzer target for acpi/: the input is a DMAR
 * (the seed corpus is the compiled tables of tests/acpi/tables/).
 *
 * Each input is tried four ways: as it is; with length and checksum made
 * valid, so mutations reach the structure walk instead of stopping at the
 * checksum; then scopes resolved over a bridge topology drawn from the
 * input's own bytes (loops included) and every query answered; as an MCFG;
 * and as physical memory holding an RSDP at 0 whose RSDT/XSDT entries point
 * back into the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi.h"
#include "acpi/dmar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dmar d;

struct mem {
    const uint8_t *p;
    size_t n;
};

static const void *mem_map(void *ctx, uint64_t phys, uint64_t len)
{
    const struct mem *m = ctx;

    if (phys > m->n || len > m->n - phys)
        return NULL;
    return m->p + phys;
}

/* Bridges from the input: the function at bus:dev.fn is a bridge when a
 * hash of it says so, with buses taken from the input. */
static int fz_bridge(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
                     uint8_t fn, uint8_t *sec, uint8_t *sub)
{
    const struct mem *m = ctx;
    size_t h = ((size_t)seg * 31 + bus * 7 + dev * 3 + fn) % (m->n ? m->n : 1);

    if (!m->n || (m->p[h] & 3) == 0)
        return -1;
    *sec = m->p[(h + 1) % m->n];
    *sub = m->p[(h + 2) % m->n];
    return 0;
}

static void sink(void *ctx, const char *s, size_t n)
{
    volatile char c;

    (void)ctx;
    if (n)
        c = s[n - 1];
    (void)c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct acpi_out out = { sink, NULL };
    struct acpi_error err;
    struct mem m = { data, size };
    struct dmar_pci_ops pci = { fz_bridge, &m };
    struct acpi_map_ops ops = { mem_map, &m };
    struct acpi_mcfg mcfg;
    struct acpi_rsdp rsdp;
    static struct acpi_root root;
    uint8_t *b;
    unsigned i;

    /* As it is, in a heap copy of exactly its size (ASan sees overreads). */
    b = malloc(size ? size : 1);
    memcpy(b, data, size);
    dmar_parse(b, size, &d, &err);
    acpi_mcfg_parse(b, size, &mcfg, &err);

    /* Signature, length and checksum made valid. */
    if (size >= ACPI_HEADER_LEN) {
        memcpy(b, "DMAR", 4);
        b[4] = (uint8_t)size;
        b[5] = (uint8_t)(size >> 8);
        b[6] = (uint8_t)(size >> 16);
        b[7] = (uint8_t)(size >> 24);
        b[9] = 0;
        b[9] = (uint8_t)(0x100 - acpi_checksum(b, size));
    }
    if (dmar_parse(b, size, &d, &err) == ACPI_OK) {
        dmar_resolve(&d, &pci, &err);
        for (i = 0; i < 64 && i < size; i++)
            dmar_find_drhd(&d, data[i] & 1, data[i], (uint8_t)(i & 31),
                           (uint8_t)(i & 7), NULL);
        dmar_find_scope(&d, DMAR_SCOPE_IOAPIC, size & 0xff);
        for (i = 0; i < d.scope_count; i++)
            if (d.scope[i].res == ACPI_OK)
                dmar_find_drhd(&d, d.s[d.scope[i].owner].segment,
                               d.scope[i].bus, d.scope[i].dev, d.scope[i].fn,
                               NULL);
    }
    dmar_dump(&out, &d);
    acpi_error_print(&out, NULL, &err);

    if (size >= ACPI_HEADER_LEN) {
        memcpy(b, "MCFG", 4);
        b[9] = 0;
        b[9] = (uint8_t)(0x100 - acpi_checksum(b, size));
        if (acpi_mcfg_parse(b, size, &mcfg, &err) == ACPI_OK)
            acpi_mcfg_dump(&out, &mcfg);
    }
    free(b);

    /* The input as memory: an RSDP at 0, tables wherever it points. */
    if (acpi_rsdp_at(&ops, 0, &rsdp, &err) == ACPI_OK &&
        acpi_root_load(&ops, &rsdp, &root, &err) == ACPI_OK) {
        uint32_t len;
        const void *t;

        acpi_root_dump(&out, &root);
        t = acpi_table_get(&ops, &root, "DMAR", 0, &len, &err);
        if (t)
            dmar_parse(t, len, &d, &err);
        t = acpi_table_get(&ops, &root, "MCFG", 0, &len, &err);
        if (t)
            acpi_mcfg_parse(t, len, &mcfg, &err);
    }
    acpi_rsdp_find_bios(&ops, &rsdp, &err);
    return 0;
}
