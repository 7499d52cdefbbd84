/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acpi/acpi.h — finding ACPI tables and reading the generic ones (RSDP,
 * RSDT/XSDT, MCFG), as pure functions over byte buffers.
 *
 * Nothing here touches memory it was not handed: the caller maps physical
 * ranges through struct acpi_map_ops (the firmware: identity map; hosted
 * tests: test buffers), and every parser takes (pointer, length). Every
 * field read from a table is untrusted. Each failure fills a struct
 * acpi_error saying which table, at which offset, what is wrong.
 *
 * Output for humans goes through a caller-supplied writer (struct
 * acpi_out), formatted by lib/printf.h's vt_vsnprintf; nothing here
 * writes to a console.
 *
 * The DMAR table has its own header, acpi/dmar.h.
 */
#ifndef ACPI_ACPI_H
#define ACPI_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------- errors */

enum acpi_status {
    ACPI_OK = 0,
    ACPI_E_TRUNCATED,   /* the buffer ends before the structure does */
    ACPI_E_SIGNATURE,   /* wrong signature */
    ACPI_E_CHECKSUM,    /* bytes do not sum to zero */
    ACPI_E_LENGTH,      /* a length field is too small or too large */
    ACPI_E_FIELD,       /* a field holds a value that is not allowed */
    ACPI_E_UNREACHABLE, /* the map op refused a physical range */
    ACPI_E_NOT_FOUND,   /* no such table / unit / device */
    ACPI_E_TOO_MANY,    /* more entries than our fixed arrays hold */
    ACPI_E_NOT_BRIDGE,  /* a scope path crosses a non-bridge function */
    ACPI_E_LOOP,        /* a bridge's secondary bus does not lie below */
    ACPI_E_UNRESOLVED,  /* the scope has not been resolved (yet) */
    ACPI_E_COUNT_
};

/*
 * Where and what. table is "RSDP", "RSDT", "XSDT", "MCFG", "DMAR", "PCI"
 * (path resolution) or another signature; offset is from the table's first
 * byte (for the RSDP search and the root walk: a physical address, and
 * offset_is_phys is set). value carries the offending value when there is
 * one (has_value).
 */
struct acpi_error {
    enum acpi_status code;
    const char *table;
    uint64_t offset;
    bool offset_is_phys;
    bool has_value;
    uint64_t value;
    const char *msg; /* static text, never NULL when code != OK */
};

/* A short name for a status code ("truncated", "bad checksum", ...). */
const char *acpi_status_name(enum acpi_status code);

/* ------------------------------------------------------------- output */

/* Writes n bytes (not NUL-terminated) to wherever the caller wants. */
typedef void (*acpi_write_fn)(void *ctx, const char *s, size_t n);

struct acpi_out {
    acpi_write_fn write;
    void *ctx;
};

/* One line: "DMAR +0x48: device scope length below 6 (value 0x3) [bad
 * length]\n", prefixed by prefix (may be NULL). */
void acpi_error_print(const struct acpi_out *out, const char *prefix,
                      const struct acpi_error *err);

/* --------------------------------------------------------- memory map */

/*
 * The caller's view of physical memory. map returns a pointer through
 * which [phys, phys+len) can be read, or NULL when that range is not
 * reachable (the caller checks the whole range, including wrap-around).
 */
struct acpi_map_ops {
    const void *(*map)(void *ctx, uint64_t phys, uint64_t len);
    void *ctx;
};

/* -------------------------------------------------- the common header */

#define ACPI_HEADER_LEN    36u
/* No table we read is longer than this; a longer length is an error. */
#define ACPI_TABLE_MAX_LEN (1u << 20)

struct acpi_header {
    char signature[5]; /* NUL-terminated copy */
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem_id[7];
    char oem_table_id[9];
    uint32_t oem_revision;
    char creator_id[5];
    uint32_t creator_revision;
};

/* Sum of n bytes, modulo 256 (a valid table sums to 0). */
uint8_t acpi_checksum(const void *buf, size_t n);

/*
 * Check a table in buf[0..len): the header fits, signature is sig (NULL:
 * any), header length is at least min_len and at most len and
 * ACPI_TABLE_MAX_LEN, and the bytes sum to zero. Fills hdr (may be NULL).
 */
enum acpi_status acpi_table_check(const void *buf, size_t len, const char *sig,
                                  uint32_t min_len, struct acpi_header *hdr,
                                  struct acpi_error *err);

/* --------------------------------------------------------------- RSDP */

#define ACPI_RSDP_V1_LEN 20u
#define ACPI_RSDP_V2_LEN 36u

struct acpi_rsdp {
    uint64_t phys;    /* where it was found */
    uint8_t revision; /* 0: ACPI 1.0 (RSDT only); 2+: XSDT too */
    char oem_id[7];
    uint32_t rsdt;
    uint32_t length; /* revision 2+ only, else 20 */
    uint64_t xsdt;   /* revision 2+ only, else 0 */
};

/* Check and decode an RSDP in buf[0..len): signature "RSD PTR ", the
 * 20-byte checksum, and for revision 2+ the length and extended checksum. */
enum acpi_status acpi_rsdp_parse(const void *buf, size_t len,
                                 struct acpi_rsdp *out, struct acpi_error *err);

/* The RSDP at a physical address the boot path handed over (UEFI). */
enum acpi_status acpi_rsdp_at(const struct acpi_map_ops *ops, uint64_t phys,
                              struct acpi_rsdp *out, struct acpi_error *err);

/*
 * BIOS search: the first KiB of the EBDA (segment in the BDA word at
 * 0x40E), then 0xE0000..0xFFFFF, on 16-byte boundaries. A signature with a
 * bad checksum is skipped (stray bytes) and the search goes on.
 */
enum acpi_status acpi_rsdp_find_bios(const struct acpi_map_ops *ops,
                                     struct acpi_rsdp *out,
                                     struct acpi_error *err);

/* ---------------------------------------------------- RSDT / XSDT walk */

#define ACPI_MAX_TABLES 64

struct acpi_table_ref {
    uint64_t phys;
    char signature[5]; /* "" when the header was unreachable */
    uint32_t length;   /* from the header; 0 when unreachable */
    bool reachable;
};

struct acpi_root {
    struct acpi_rsdp rsdp;
    bool xsdt;     /* walked the XSDT (else the RSDT) */
    uint64_t phys; /* of the RSDT/XSDT */
    unsigned count;
    struct acpi_table_ref tables[ACPI_MAX_TABLES];
};

/*
 * Walk the XSDT (revision 2+ with a non-zero XSDT address) or the RSDT:
 * signature, length, checksum of the root table itself; every entry's
 * header is mapped and its signature and length recorded. Entries whose
 * header is unreachable are recorded with reachable=false and do not stop
 * the walk. More than ACPI_MAX_TABLES entries: ACPI_E_TOO_MANY.
 */
enum acpi_status acpi_root_load(const struct acpi_map_ops *ops,
                                const struct acpi_rsdp *rsdp,
                                struct acpi_root *root, struct acpi_error *err);

/*
 * Map the instance-th (from 0) table with signature sig, whole, and check
 * it (length, checksum). Returns a pointer to its first byte and its length
 * in *len, or NULL with err filled (ACPI_E_NOT_FOUND when there is none).
 */
const void *acpi_table_get(const struct acpi_map_ops *ops,
                           const struct acpi_root *root, const char *sig,
                           unsigned instance, uint32_t *len,
                           struct acpi_error *err);

/* One line per table: signature, address, length. */
void acpi_root_dump(const struct acpi_out *out, const struct acpi_root *root);

/* --------------------------------------------------------------- MCFG */

#define ACPI_MCFG_MAX 16

struct acpi_mcfg_entry {
    uint64_t base; /* ECAM base address of bus 0 of the segment */
    uint16_t segment;
    uint8_t bus_start;
    uint8_t bus_end;
};

struct acpi_mcfg {
    unsigned count;
    struct acpi_mcfg_entry entry[ACPI_MCFG_MAX];
};

/* Header, then 8 reserved bytes, then 16-byte allocation entries. Entries
 * with bus_start > bus_end or a base that is not 1 MiB aligned are errors. */
enum acpi_status acpi_mcfg_parse(const void *buf, size_t len,
                                 struct acpi_mcfg *out, struct acpi_error *err);

void acpi_mcfg_dump(const struct acpi_out *out, const struct acpi_mcfg *m);

/* --------------------------------------------------------------- MADT */

#define ACPI_MADT_MAX_IOAPIC 8

struct acpi_madt_ioapic {
    uint8_t id;
    uint32_t addr;     /* its registers (IOREGSEL, IOWIN at +0x10) */
    uint32_t gsi_base; /* the GSI of its pin 0 */
};

struct acpi_madt {
    unsigned nr_ioapic;
    struct acpi_madt_ioapic ioapic[ACPI_MADT_MAX_IOAPIC];
    /* The GSI of each ISA IRQ: the IRQ itself unless an Interrupt Source
     * Override says otherwise (q35: IRQ 0 on GSI 2). */
    uint32_t isa_gsi[16];
};

/* Header, local APIC address and flags, then interrupt controller
 * structures (type, length, ...): the I/O APICs (type 1) and the ISA
 * interrupt source overrides (type 2) are kept, the others skipped. A
 * structure shorter than its type needs, or running past the table, is
 * an error. */
enum acpi_status acpi_madt_parse(const void *buf, size_t len,
                                 struct acpi_madt *out, struct acpi_error *err);

/* The raw bytes as "<tag> OOOO: xx xx ..." lines (16 per line), so a log
 * can be turned back into a binary (the DMAR oracle reads such logs). */
void acpi_hexdump(const struct acpi_out *out, const char *tag, const void *buf,
                  size_t len);

#endif
