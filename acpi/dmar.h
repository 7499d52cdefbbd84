/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acpi/dmar.h — the ACPI DMA Remapping table (VT-d spec chapter 8; layouts
 * in vtd-facts §10), parsed into fixed-size arrays, with device-scope paths
 * resolved to source-ids through the caller's PCI bridge access, and the
 * query the driver needs: which DRHD covers a PCI function.
 *
 * Three steps, each a pure function of its inputs:
 *
 *   dmar_parse()     bytes -> struct dmar (no hardware access at all)
 *   dmar_resolve()   walk every scope path through bridges (callback)
 *   dmar_find_drhd() seg:bus:dev.fn -> the DRHD that covers it
 *
 * struct dmar is large (tens of KiB): make it static, not a local.
 *
 * The firmware's sequence (errors printed with acpi_error_print):
 *
 *   struct acpi_map_ops ops = { map_identity, NULL };
 *   uint64_t pa = plat_acpi_rsdp();
 *   st = pa ? acpi_rsdp_at(&ops, pa, &rsdp, &err)
 *           : acpi_rsdp_find_bios(&ops, &rsdp, &err);
 *   st = acpi_root_load(&ops, &rsdp, &root, &err);
 *   t = acpi_table_get(&ops, &root, "MCFG", 0, &len, &err);
 *   st = acpi_mcfg_parse(t, len, &mcfg, &err);   -> plat_pci_use_ecam()
 *   t = acpi_table_get(&ops, &root, "DMAR", 0, &len, &err);
 *   acpi_hexdump(&out, "dmar-raw", t, len);      (the oracle reads it)
 *   st = dmar_parse(t, len, &dmar, &err);
 *   st = dmar_resolve(&dmar, &pci_ops, &err);
 *   dmar_dump(&out, &dmar);
 *   u = dmar_find_drhd(&dmar, seg, bus, dev, fn, &scope);
 *   base = dmar.s[u].base;  sid = dmar_scope_sid(&dmar.scope[scope]);
 *
 * pci_ops.bridge_buses over plat_pci_read32: header type (byte 0x0E, bits
 * 6:0) must be 1, and the dword at 0x18 holds primary, secondary and
 * subordinate bus in bytes 0, 1, 2; an all-ones vendor id means absent.
 */
#ifndef ACPI_DMAR_H
#define ACPI_DMAR_H

#include "acpi/acpi.h"

#define DMAR_HEADER_LEN 48u

/* DMAR flags (byte 37) */
#define DMAR_F_INTR_REMAP      (1u << 0)
#define DMAR_F_X2APIC_OPT_OUT  (1u << 1)
#define DMAR_F_DMA_CTRL_OPT_IN (1u << 2)

/* Remapping structure types */
enum dmar_type {
    DMAR_DRHD = 0, /* DMA remapping hardware unit */
    DMAR_RMRR = 1, /* reserved memory region */
    DMAR_ATSR = 2, /* root-port ATS capability */
    DMAR_RHSA = 3, /* remapping hardware static affinity */
    DMAR_ANDD = 4, /* ACPI namespace device declaration */
    DMAR_SATC = 5, /* SoC integrated address translation cache */
    DMAR_SIDP = 6, /* SoC integrated device property */
};
#define DMAR_KNOWN_TYPES 7

/* Fixed part of each known type (before device scopes or the name). */
#define DMAR_DRHD_LEN 16u
#define DMAR_RMRR_LEN 24u
#define DMAR_ATSR_LEN 8u
#define DMAR_RHSA_LEN 20u
#define DMAR_ANDD_LEN 8u
#define DMAR_SATC_LEN 8u
#define DMAR_SIDP_LEN 8u

/* Per-type flags (byte 4 of DRHD, ATSR, SATC) */
#define DMAR_DRHD_INCLUDE_PCI_ALL (1u << 0)
#define DMAR_ATSR_ALL_PORTS       (1u << 0)
#define DMAR_SATC_ATC_REQUIRED    (1u << 0)

/* Device scope types */
enum dmar_scope_type {
    DMAR_SCOPE_ENDPOINT = 1, /* PCI endpoint */
    DMAR_SCOPE_BRIDGE = 2,   /* PCI sub-hierarchy (bridge + below) */
    DMAR_SCOPE_IOAPIC = 3,
    DMAR_SCOPE_HPET = 4, /* MSI-capable HPET */
    DMAR_SCOPE_ACPI = 5, /* ACPI namespace device */
};
#define DMAR_SCOPE_HDR_LEN 6u

/* Limits of the fixed-size result; exceeding one is ACPI_E_TOO_MANY. */
#define DMAR_MAX_STRUCTS   64  /* remapping structures, all types */
#define DMAR_MAX_SCOPES    512 /* device scopes, whole table */
#define DMAR_MAX_PATH      16  /* (device, function) pairs */
#define DMAR_ANDD_NAME_MAX 64  /* including the NUL */
#define DMAR_MAX_WARNINGS  16  /* more are only counted */

struct dmar_scope {
    uint32_t offset; /* of the scope, from the table start */
    uint8_t type;    /* enum dmar_scope_type, or reserved */
    uint8_t length;
    uint8_t flags;
    uint8_t enum_id; /* IOAPIC id / HPET number / ANDD number */
    uint8_t start_bus;
    uint8_t path_len;               /* number of pairs, >= 1 */
    uint8_t path[DMAR_MAX_PATH][2]; /* [i][0] device, [i][1] function */
    uint16_t owner;                 /* index in dmar.s[] of its structure */

    /* Filled by dmar_resolve(). */
    enum acpi_status res;     /* ACPI_E_UNRESOLVED until resolved */
    uint8_t bus, dev, fn;     /* the target function */
    uint8_t sec_bus, sub_bus; /* bridge scopes: the bridge's range */
};

/* Source-id of a resolved scope: bus<<8 | dev<<3 | fn. */
static inline uint16_t dmar_scope_sid(const struct dmar_scope *sc)
{
    return (uint16_t)(sc->bus << 8 | (sc->dev & 0x1f) << 3 | (sc->fn & 7));
}

/*
 * One remapping structure, of any type, in table order. Fields that a type
 * does not have stay zero.
 */
struct dmar_struct {
    uint32_t offset; /* from the table start */
    uint16_t type;   /* enum dmar_type, or unknown (>= 7) */
    uint16_t length;
    uint8_t flags;       /* DRHD, ATSR, SATC, scope-less: 0 */
    uint8_t size;        /* DRHD byte 5: register set 2^size pages */
    uint16_t segment;    /* DRHD, RMRR, ATSR, SATC, SIDP */
    uint64_t base;       /* DRHD/RHSA register base; RMRR base */
    uint64_t limit;      /* RMRR: last byte, inclusive */
    uint32_t proximity;  /* RHSA */
    uint8_t andd_number; /* ANDD: ACPI device number */
    char andd_name[DMAR_ANDD_NAME_MAX];
    uint16_t first_scope; /* index in dmar.scope[] */
    uint16_t scope_count;
};

struct dmar {
    struct acpi_header hdr;
    uint8_t haw;    /* host address width - 1 */
    uint8_t flags;  /* DMAR_F_* */
    unsigned count; /* structures in s[] */
    unsigned scope_count;
    unsigned drhd_count;
    unsigned unknown_count; /* structures of unknown type, skipped */
    struct dmar_struct s[DMAR_MAX_STRUCTS];
    struct dmar_scope scope[DMAR_MAX_SCOPES];

    /* Things that are odd but do not stop the parse (unknown types,
     * reserved scope types, misaligned RMRR, ...). */
    unsigned warning_count; /* may exceed DMAR_MAX_WARNINGS */
    struct acpi_error warning[DMAR_MAX_WARNINGS];
};

/*
 * Parse a DMAR in buf[0..len) (len may exceed the table; the header's
 * length is used). Checks the ACPI header and checksum, every structure's
 * length against its type's fixed part and the table end, every scope's
 * length (>= 6, even path, inside its structure), RMRR base <= limit, ANDD
 * names NUL-terminated. Unknown structure types are recorded and warned
 * about, never fatal. On error *out holds what was parsed before it.
 */
enum acpi_status dmar_parse(const void *buf, size_t len, struct dmar *out,
                            struct acpi_error *err);

/*
 * Bridge access for path resolution. bridge_buses reads the function at
 * seg:bus:dev.fn; if it is a PCI-to-PCI bridge it fills its secondary and
 * subordinate bus numbers (config bytes 0x19, 0x1A) and returns 0, else a
 * negative value (absent, or not a bridge).
 */
struct dmar_pci_ops {
    int (*bridge_buses)(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
                        uint8_t fn, uint8_t *secondary, uint8_t *subordinate);
    void *ctx;
};

/*
 * Resolve one scope's path: bus = start bus; every pair but the last must
 * be a bridge whose secondary bus lies above the current bus (else
 * ACPI_E_LOOP) and is moved to; the last pair is the target. A bridge-type
 * scope's target must itself be a bridge (its range is recorded). Sets
 * sc->res and returns it.
 */
enum acpi_status dmar_resolve_scope(struct dmar *d, unsigned index,
                                    const struct dmar_pci_ops *pci,
                                    struct acpi_error *err);

/* Resolve every scope. Returns ACPI_OK when all resolved, else the first
 * failure (in err); the others are still attempted. */
enum acpi_status dmar_resolve(struct dmar *d, const struct dmar_pci_ops *pci,
                              struct acpi_error *err);

/*
 * Which DRHD covers PCI function seg:bus:dev.fn: first a DRHD that names it
 * in a resolved scope (an endpoint scope with this BDF, or a sub-hierarchy
 * scope for the bridge itself or a bus in its secondary..subordinate
 * range), in table order; else a DRHD of that segment with
 * INCLUDE_PCI_ALL. Returns the index in d->s[] or -1 (none covers it).
 * *scope_index (may be NULL) gets the matching scope, or -1 when the match
 * came from INCLUDE_PCI_ALL.
 */
int dmar_find_drhd(const struct dmar *d, uint16_t seg, uint8_t bus, uint8_t dev,
                   uint8_t fn, int *scope_index);

/*
 * The first scope of this type with this enumeration id (IOAPIC id, HPET
 * number, ANDD device number), e.g. the IOAPIC whose source-id interrupt
 * remapping entries must name. Returns its index in d->scope[] or -1.
 */
int dmar_find_scope(const struct dmar *d, unsigned type, unsigned enum_id);

/* The index-th DRHD (0-based) in d->s[], or NULL. */
const struct dmar_struct *dmar_drhd(const struct dmar *d, unsigned index);

/* Names for humans. */
const char *dmar_type_name(unsigned type);
const char *dmar_scope_type_name(unsigned type);

/* Everything that was found: header, flags by name, each structure with
 * its scopes (resolved source-ids when known), warnings. */
void dmar_dump(const struct acpi_out *out, const struct dmar *d);

#endif
