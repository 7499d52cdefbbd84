/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/env.c — discovery of the machine for the suite, the way an
 * operating system does it: RSDP, RSDT/XSDT, MCFG for ECAM, DMAR for the
 * remapping hardware. Nothing here is a hard-coded address.
 */
#include <string.h>

#include "lib/pci.h"
#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/test.h"
#include "engine/env.h"

static struct env env;
static bool done;

/* ---------------------------------------------------------- ACPI glue */

static const void *map_phys(void *ctx, uint64_t phys, uint64_t len)
{
    void *va;

    if (!len || phys + len < phys)
        return NULL;
    va = plat_phys_to_virt(phys);
    /* The last byte must be reachable too. */
    if (!va || !plat_phys_to_virt(phys + len - 1))
        return NULL;
    return va;
}

static const struct acpi_map_ops map_ops = { map_phys, NULL };

static int bridge_buses(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
                        uint8_t fn, uint8_t *secondary, uint8_t *subordinate)
{
    uint32_t id = plat_pci_read32(seg, bus, dev, fn, PCI_VENDOR_ID);
    uint32_t hdr, buses;

    if ((id & 0xFFFF) == 0xFFFF)
        return -1;
    hdr = plat_pci_read32(seg, bus, dev, fn, 0x0C);
    if (((hdr >> 16) & 0x7F) != 1)
        return -1; /* not a PCI-to-PCI bridge */
    buses = plat_pci_read32(seg, bus, dev, fn, PCI_BUS_NUMBERS);
    *secondary = (uint8_t)(buses >> 8);
    *subordinate = (uint8_t)(buses >> 16);
    return 0;
}

static const struct dmar_pci_ops pci_ops = { bridge_buses, NULL };

/* Lines from acpi/ become TAP comments: "# " at every line start. */
static bool at_line_start = true;

static void out_write(void *ctx, const char *s, size_t n)
{
    while (n) {
        const char *nl = memchr(s, '\n', n);
        size_t len = nl ? (size_t)(nl - s) + 1 : n;

        if (at_line_start)
            plat_console_write("# ", 2);
        plat_console_write(s, len);
        at_line_start = nl != NULL;
        s += len;
        n -= len;
    }
}

const struct acpi_out env_acpi_out = { out_write, NULL };

static void note_error(const struct acpi_error *err)
{
    if (env.acpi_err.code == ACPI_OK)
        env.acpi_err = *err;
    acpi_error_print(&env_acpi_out, "acpi: ", err);
}

static void discover_acpi(void)
{
    struct acpi_rsdp rsdp;
    struct acpi_error err;
    uint64_t handed = plat_acpi_rsdp();
    enum acpi_status st;
    const void *t;
    uint32_t len;

    st = handed ? acpi_rsdp_at(&map_ops, handed, &rsdp, &err)
                : acpi_rsdp_find_bios(&map_ops, &rsdp, &err);
    if (st != ACPI_OK) {
        note_error(&err);
        return;
    }
    if (acpi_root_load(&map_ops, &rsdp, &env.root, &err) != ACPI_OK) {
        note_error(&err);
        return;
    }
    env.rsdp_found = true;

    t = acpi_table_get(&map_ops, &env.root, "MCFG", 0, &len, &err);
    if (t && acpi_mcfg_parse(t, len, &env.mcfg, &err) == ACPI_OK) {
        env.mcfg_found = true;
        for (unsigned i = 0; i < env.mcfg.count; i++) {
            const struct acpi_mcfg_entry *m = &env.mcfg.entry[i];

            if (m->segment == 0 &&
                plat_pci_use_ecam(m->base, 0, m->bus_start, m->bus_end) == 0) {
                env.ecam = true;
                break;
            }
        }
    } else if (err.code != ACPI_E_NOT_FOUND) {
        note_error(&err);
    }

    /* MADT: where the I/O APICs are (interrupt remapping from a pin). */
    t = acpi_table_get(&map_ops, &env.root, "APIC", 0, &len, &err);
    if (t && acpi_madt_parse(t, len, &env.madt, &err) == ACPI_OK)
        env.madt_found = true;
    else if (err.code != ACPI_E_NOT_FOUND)
        note_error(&err);

    t = acpi_table_get(&map_ops, &env.root, "DMAR", 0, &len, &err);
    if (!t) {
        if (err.code != ACPI_E_NOT_FOUND)
            note_error(&err);
        env.vtd_missing =
            err.code == ACPI_E_NOT_FOUND
                ? "no DMAR table: the platform reports no remapping hardware"
                : "the DMAR table is unusable";
        return;
    }
    env.dmar_raw = t;
    env.dmar_len = len;
    if (dmar_parse(t, len, &env.dmar, &err) != ACPI_OK) {
        note_error(&err);
        env.vtd_missing = "the DMAR table does not parse";
        return;
    }
    env.dmar_found = true;
    /* Scopes that do not resolve are reported; the rest stay usable. */
    if (dmar_resolve(&env.dmar, &pci_ops, &err) != ACPI_OK)
        note_error(&err);
}

static void discover_unit(void)
{
    const struct dmar_struct *drhd;

    if (!env.dmar_found) {
        if (!env.vtd_missing)
            env.vtd_missing = "no ACPI tables found";
        return;
    }
    drhd = dmar_drhd(&env.dmar, 0);
    if (!drhd) {
        env.vtd_missing = "the DMAR table lists no DRHD";
        return;
    }
    if (plat_mmio_map(drhd->base, 0x1000)) {
        env.vtd_missing = "the DRHD register base cannot be mapped";
        return;
    }
    env.vtd_found = true;
    env.vtd_base = drhd->base;
    env.vtd_segment = drhd->segment;
}

/* "BB:DD.F" (hex) at s; the characters read, or 0. */
static unsigned parse_bdf(const char *s, uint8_t *bus, uint8_t *dev,
                          uint8_t *fn)
{
    unsigned v[3] = { 0, 0, 0 }, k = 0, n = 0, digits = 0;

    for (;; n++) {
        char c = s[n];
        int h = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;

        if (h >= 0 && digits < 2) {
            v[k] = v[k] * 16 + (unsigned)h;
            digits++;
        } else if (digits && ((k == 0 && c == ':') || (k == 1 && c == '.'))) {
            k++;
            digits = 0;
        } else {
            break;
        }
    }
    if (k != 2 || !digits || v[1] > 31 || v[2] > 7)
        return 0;
    *bus = (uint8_t)v[0];
    *dev = (uint8_t)v[1];
    *fn = (uint8_t)v[2];
    return n;
}

/* assigned=BB:DD.F[,...]: the edu functions the runner (or a user) put
 * behind a host IOMMU. Each must be an edu found on the bus. */
static void discover_assigned(void)
{
    static char words[128], err[160];
    const char *p = words;

    if (!cmdline_get(plat_cmdline(), "assigned", words, sizeof(words)))
        return;
    while (*p) {
        uint8_t bus, dev, fn;
        unsigned n = parse_bdf(p, &bus, &dev, &fn), i;

        for (i = 0; n && i < env.nr_edu; i++)
            if (env.edu[i].pci->bus == bus && env.edu[i].pci->dev == dev &&
                env.edu[i].pci->fn == fn)
                break;
        if (!n || i == env.nr_edu || (p[n] && p[n] != ',')) {
            vt_snprintf(err, sizeof(err), "assigned=%s: %s", words,
                        n && i == env.nr_edu ? "names no edu function"
                                             : "expected BB:DD.F[,BB:DD.F]");
            env.assigned_err = err;
            return;
        }
        env.edu_assigned[i] = true;
        vt_printf("# edu%u at %02x:%02x.%x is assigned: behind a host "
                  "IOMMU, its DMA never reaches this remapping unit\n",
                  i, bus, dev, fn);
        p += n + (p[n] == ',');
    }
}

static void discover(void)
{
    char msi[8] = "on";

    /* msi=off: DMA completion by polling (for measuring what MSI saves). */
    cmdline_get(plat_cmdline(), "msi", msi, sizeof(msi));

    discover_acpi();
    pci_enumerate(0);
    discover_unit();

    env.nr_edu = edu_find(env.edu, EDU_MAX);
    for (unsigned i = 0; i < env.nr_edu; i++) {
        env.edu_err[i] = edu_init(&env.edu[i]);
        /* Completion by MSI lets waits sleep; polling remains if not. */
        if (env.edu_err[i] == EDU_OK && strcmp(msi, "off"))
            edu_enable_msi(&env.edu[i]);
    }
    discover_assigned();
}

const struct env *env_get(void)
{
    if (!done) {
        discover();
        done = true;
    }
    return &env;
}
