/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acpi/acpi.c — errors, output helpers, the common header, RSDP discovery,
 * the RSDT/XSDT walk and MCFG.
 *
 * ACPI 6.x §5.2.5 (RSDP), §5.2.6 (header), §5.2.7/5.2.8 (RSDT/XSDT); MCFG
 * from the PCI Firmware Specification (§4.1.2).
 */
#include <stdarg.h>
#include <string.h>

#include "acpi/acpi.h"
#include "acpi/acpi_int.h"
#include "lib/printf.h"

/* ------------------------------------------------------------- errors */

static const char *const status_names[ACPI_E_COUNT_] = {
    [ACPI_OK] = "ok",
    [ACPI_E_TRUNCATED] = "truncated",
    [ACPI_E_SIGNATURE] = "bad signature",
    [ACPI_E_CHECKSUM] = "bad checksum",
    [ACPI_E_LENGTH] = "bad length",
    [ACPI_E_FIELD] = "bad field",
    [ACPI_E_UNREACHABLE] = "unreachable",
    [ACPI_E_NOT_FOUND] = "not found",
    [ACPI_E_TOO_MANY] = "too many",
    [ACPI_E_NOT_BRIDGE] = "not a bridge",
    [ACPI_E_LOOP] = "bridge loop",
    [ACPI_E_UNRESOLVED] = "unresolved",
};

const char *acpi_status_name(enum acpi_status code)
{
    if ((unsigned)code >= ACPI_E_COUNT_)
        return "unknown status";
    return status_names[code];
}

enum acpi_status acpi_fail(struct acpi_error *err, enum acpi_status code,
                           const char *table, uint64_t offset, const char *msg)
{
    if (err) {
        err->code = code;
        err->table = table;
        err->offset = offset;
        err->offset_is_phys = false;
        err->has_value = false;
        err->value = 0;
        err->msg = msg;
    }
    return code;
}

enum acpi_status acpi_fail_val(struct acpi_error *err, enum acpi_status code,
                               const char *table, uint64_t offset,
                               const char *msg, uint64_t value)
{
    acpi_fail(err, code, table, offset, msg);
    if (err) {
        err->has_value = true;
        err->value = value;
    }
    return code;
}

static enum acpi_status fail_phys(struct acpi_error *err, enum acpi_status code,
                                  const char *table, uint64_t phys,
                                  const char *msg)
{
    acpi_fail(err, code, table, phys, msg);
    if (err)
        err->offset_is_phys = true;
    return code;
}

/* ------------------------------------------------------------- output */

void acpi_printf(const struct acpi_out *out, const char *fmt, ...)
{
    char text[256];
    va_list ap;
    int n;

    if (!out || !out->write)
        return;
    va_start(ap, fmt);
    n = vt_vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (n > 0)
        out->write(out->ctx, text,
                   (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
}

const char *acpi_printable(char *dst, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n && s[i]; i++)
        dst[i] = s[i] < 0x20 || s[i] > 0x7e ? '.' : s[i];
    dst[i] = '\0';
    return dst;
}

void acpi_error_print(const struct acpi_out *out, const char *prefix,
                      const struct acpi_error *err)
{
    if (prefix)
        acpi_printf(out, "%s", prefix);
    if (!err || err->code == ACPI_OK) {
        acpi_printf(out, "no error\n");
        return;
    }
    acpi_printf(out, "%s %s0x%lx: %s", err->table ? err->table : "ACPI",
                err->offset_is_phys ? "@" : "+", (unsigned long)err->offset,
                err->msg ? err->msg : "(no message)");
    if (err->has_value)
        acpi_printf(out, " (value 0x%lx)", (unsigned long)err->value);
    acpi_printf(out, " [%s]\n", acpi_status_name(err->code));
}

void acpi_hexdump(const struct acpi_out *out, const char *tag, const void *buf,
                  size_t len)
{
    const uint8_t *p = buf;
    char bytes[16 * 3 + 1];
    size_t off, i, n;

    for (off = 0; off < len; off += 16) {
        n = len - off < 16 ? len - off : 16;
        for (i = 0; i < n; i++)
            vt_snprintf(bytes + 3 * i, sizeof(bytes) - 3 * i, " %02x",
                        p[off + i]);
        bytes[3 * n] = '\0';
        acpi_printf(out, "%s 0x%04lx:%s\n", tag, (unsigned long)off, bytes);
    }
}

/* --------------------------------------------------- the common header */

/* The caller's signature may be any string: compare at most 4 bytes and
 * stop at its end (a shorter one never matches). */
static bool sig_eq(const void *p, const char *sig)
{
    const uint8_t *b = p;
    unsigned i;

    for (i = 0; i < 4; i++)
        if (sig[i] == '\0' || b[i] != (uint8_t)sig[i])
            return false;
    return true;
}

uint8_t acpi_checksum(const void *buf, size_t n)
{
    const uint8_t *p = buf;
    uint8_t sum = 0;
    size_t i;

    for (i = 0; i < n; i++)
        sum = (uint8_t)(sum + p[i]);
    return sum;
}

static void copy_id(char *dst, const uint8_t *src, size_t n)
{
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void acpi_header_decode(const uint8_t *p, struct acpi_header *hdr)
{
    copy_id(hdr->signature, p, 4);
    hdr->length = rd32(p, 4);
    hdr->revision = rd8(p, 8);
    hdr->checksum = rd8(p, 9);
    copy_id(hdr->oem_id, p + 10, 6);
    copy_id(hdr->oem_table_id, p + 16, 8);
    hdr->oem_revision = rd32(p, 24);
    copy_id(hdr->creator_id, p + 28, 4);
    hdr->creator_revision = rd32(p, 32);
}

enum acpi_status acpi_table_check(const void *buf, size_t len, const char *sig,
                                  uint32_t min_len, struct acpi_header *hdr,
                                  struct acpi_error *err)
{
    const uint8_t *p = buf;
    const char *name = sig ? sig : "ACPI";
    struct acpi_header h;
    uint32_t tlen;

    if (!p || len < ACPI_HEADER_LEN)
        return acpi_fail_val(err, ACPI_E_TRUNCATED, name, 0,
                             "buffer shorter than the 36-byte header", len);
    if (sig && !sig_eq(p, sig))
        return acpi_fail(err, ACPI_E_SIGNATURE, name, 0,
                         "signature does not match");
    tlen = rd32(p, 4);
    if (min_len < ACPI_HEADER_LEN)
        min_len = ACPI_HEADER_LEN;
    if (tlen < min_len)
        return acpi_fail_val(err, ACPI_E_LENGTH, name, 4,
                             "table length below the minimum for this table",
                             tlen);
    if (tlen > ACPI_TABLE_MAX_LEN)
        return acpi_fail_val(err, ACPI_E_LENGTH, name, 4,
                             "table length above 1 MiB", tlen);
    if (tlen > len)
        return acpi_fail_val(err, ACPI_E_TRUNCATED, name, 4,
                             "table length points past the end of the buffer",
                             tlen);
    if (acpi_checksum(p, tlen) != 0)
        return acpi_fail_val(err, ACPI_E_CHECKSUM, name, 9,
                             "table bytes do not sum to zero",
                             acpi_checksum(p, tlen));
    acpi_header_decode(p, &h);
    if (hdr)
        *hdr = h;
    return ACPI_OK;
}

/* --------------------------------------------------------------- RSDP */

enum acpi_status acpi_rsdp_parse(const void *buf, size_t len,
                                 struct acpi_rsdp *out, struct acpi_error *err)
{
    const uint8_t *p = buf;
    uint32_t xlen;

    if (!p || len < ACPI_RSDP_V1_LEN)
        return acpi_fail_val(err, ACPI_E_TRUNCATED, "RSDP", 0,
                             "buffer shorter than 20 bytes", len);
    if (memcmp(p, "RSD PTR ", 8) != 0)
        return acpi_fail(err, ACPI_E_SIGNATURE, "RSDP", 0,
                         "no \"RSD PTR \" signature");
    if (acpi_checksum(p, ACPI_RSDP_V1_LEN) != 0)
        return acpi_fail(err, ACPI_E_CHECKSUM, "RSDP", 8,
                         "first 20 bytes do not sum to zero");
    memset(out, 0, sizeof(*out));
    out->revision = p[15];
    copy_id(out->oem_id, p + 9, 6);
    out->rsdt = rd32(p, 16);
    out->length = ACPI_RSDP_V1_LEN;
    if (out->revision < 2)
        return ACPI_OK;
    if (len < ACPI_RSDP_V2_LEN)
        return acpi_fail_val(err, ACPI_E_TRUNCATED, "RSDP", 20,
                             "revision 2+ RSDP needs 36 bytes", len);
    xlen = rd32(p, 20);
    if (xlen < ACPI_RSDP_V2_LEN || xlen > 4096)
        return acpi_fail_val(err, ACPI_E_LENGTH, "RSDP", 20,
                             "revision 2+ length outside 36..4096", xlen);
    if (xlen > len)
        return acpi_fail_val(err, ACPI_E_TRUNCATED, "RSDP", 20,
                             "length points past the end of the buffer", xlen);
    if (acpi_checksum(p, xlen) != 0)
        return acpi_fail(err, ACPI_E_CHECKSUM, "RSDP", 32,
                         "extended checksum: bytes do not sum to zero");
    out->length = xlen;
    out->xsdt = rd64(p, 24);
    return ACPI_OK;
}

static const uint8_t *map_range(const struct acpi_map_ops *ops, uint64_t phys,
                                uint64_t len)
{
    if (!ops || !ops->map || len == 0 || phys + len < phys)
        return NULL;
    return ops->map(ops->ctx, phys, len);
}

enum acpi_status acpi_rsdp_at(const struct acpi_map_ops *ops, uint64_t phys,
                              struct acpi_rsdp *out, struct acpi_error *err)
{
    const uint8_t *p = map_range(ops, phys, ACPI_RSDP_V1_LEN);
    enum acpi_status st;
    uint32_t xlen;

    if (!p)
        return fail_phys(err, ACPI_E_UNREACHABLE, "RSDP", phys,
                         "RSDP address not reachable");
    /* Revision 2+: map the full length it claims before checking it. */
    if (memcmp(p, "RSD PTR ", 8) == 0 && p[15] >= 2) {
        const uint8_t *p36 = map_range(ops, phys, ACPI_RSDP_V2_LEN);

        if (!p36)
            return fail_phys(err, ACPI_E_UNREACHABLE, "RSDP", phys,
                             "36-byte RSDP not reachable");
        xlen = rd32(p36, 20);
        if (xlen >= ACPI_RSDP_V2_LEN && xlen <= 4096) {
            p = map_range(ops, phys, xlen);
            if (!p)
                return fail_phys(err, ACPI_E_UNREACHABLE, "RSDP", phys,
                                 "RSDP length not reachable");
            st = acpi_rsdp_parse(p, xlen, out, err);
        } else {
            st = acpi_rsdp_parse(p36, ACPI_RSDP_V2_LEN, out, err);
        }
    } else {
        st = acpi_rsdp_parse(p, ACPI_RSDP_V1_LEN, out, err);
    }
    if (st == ACPI_OK)
        out->phys = phys;
    return st;
}

/* Scan [start, start+len) on 16-byte boundaries. */
static bool rsdp_scan(const struct acpi_map_ops *ops, uint64_t start,
                      uint64_t len, struct acpi_rsdp *out)
{
    const uint8_t *p = map_range(ops, start, len);
    uint64_t off;

    if (!p)
        return false;
    for (off = 0; off + ACPI_RSDP_V1_LEN <= len; off += 16) {
        if (memcmp(p + off, "RSD PTR ", 8) != 0)
            continue;
        if (acpi_rsdp_at(ops, start + off, out, NULL) == ACPI_OK)
            return true;
    }
    return false;
}

enum acpi_status acpi_rsdp_find_bios(const struct acpi_map_ops *ops,
                                     struct acpi_rsdp *out,
                                     struct acpi_error *err)
{
    const uint8_t *bda = map_range(ops, 0x40e, 2);
    uint64_t ebda;

    /* The EBDA, when the BDA names a plausible one (below 640 KiB). */
    if (bda) {
        ebda = (uint64_t)rd16(bda, 0) << 4;
        if (ebda >= 0x400 && ebda + 1024 <= 0xa0000 &&
            rsdp_scan(ops, ebda, 1024, out))
            return ACPI_OK;
    }
    if (rsdp_scan(ops, 0xe0000, 0x20000, out))
        return ACPI_OK;
    return fail_phys(err, ACPI_E_NOT_FOUND, "RSDP", 0xe0000,
                     "no valid RSDP in the EBDA or 0xE0000-0xFFFFF");
}

/* ---------------------------------------------------- RSDT / XSDT walk */

enum acpi_status acpi_root_load(const struct acpi_map_ops *ops,
                                const struct acpi_rsdp *rsdp,
                                struct acpi_root *root, struct acpi_error *err)
{
    const char *name;
    const uint8_t *p;
    uint64_t phys, entry;
    uint32_t len, esz, n, i;
    enum acpi_status st;

    memset(root, 0, sizeof(*root));
    root->rsdp = *rsdp;
    root->xsdt = rsdp->revision >= 2 && rsdp->xsdt != 0;
    phys = root->xsdt ? rsdp->xsdt : rsdp->rsdt;
    name = root->xsdt ? "XSDT" : "RSDT";
    esz = root->xsdt ? 8 : 4;
    root->phys = phys;
    if (phys == 0)
        return acpi_fail(err, ACPI_E_FIELD, "RSDP", root->xsdt ? 24 : 16,
                         "root table address is zero");

    p = map_range(ops, phys, ACPI_HEADER_LEN);
    if (!p)
        return fail_phys(err, ACPI_E_UNREACHABLE, name, phys,
                         "root table header not reachable");
    len = rd32(p, 4);
    if (len < ACPI_HEADER_LEN || len > ACPI_TABLE_MAX_LEN)
        return acpi_fail_val(err, ACPI_E_LENGTH, name, 4,
                             "root table length outside 36..1 MiB", len);
    p = map_range(ops, phys, len);
    if (!p)
        return fail_phys(err, ACPI_E_UNREACHABLE, name, phys,
                         "root table not reachable over its length");
    st = acpi_table_check(p, len, name, ACPI_HEADER_LEN, NULL, err);
    if (st != ACPI_OK)
        return st;
    if ((len - ACPI_HEADER_LEN) % esz != 0)
        return acpi_fail_val(err, ACPI_E_LENGTH, name, 4,
                             "entry area is not a whole number of entries",
                             len);
    n = (len - ACPI_HEADER_LEN) / esz;
    if (n > ACPI_MAX_TABLES)
        return acpi_fail_val(err, ACPI_E_TOO_MANY, name, ACPI_HEADER_LEN,
                             "more table entries than ACPI_MAX_TABLES", n);
    for (i = 0; i < n; i++) {
        struct acpi_table_ref *ref = &root->tables[i];
        const uint8_t *h;

        entry = esz == 8 ? rd64(p, ACPI_HEADER_LEN + 8 * i)
                         : rd32(p, ACPI_HEADER_LEN + 4 * i);
        ref->phys = entry;
        h = entry ? map_range(ops, entry, ACPI_HEADER_LEN) : NULL;
        if (h) {
            copy_id(ref->signature, h, 4);
            ref->length = rd32(h, 4);
            ref->reachable = true;
        }
        root->count = i + 1;
    }
    return ACPI_OK;
}

const void *acpi_table_get(const struct acpi_map_ops *ops,
                           const struct acpi_root *root, const char *sig,
                           unsigned instance, uint32_t *len,
                           struct acpi_error *err)
{
    const struct acpi_table_ref *ref;
    const uint8_t *p;
    unsigned i, seen = 0;
    uint32_t tlen;

    for (i = 0; i < root->count && i < ACPI_MAX_TABLES; i++) {
        ref = &root->tables[i];
        if (!ref->reachable || !sig_eq(ref->signature, sig))
            continue;
        if (seen++ != instance)
            continue;
        tlen = ref->length;
        if (tlen < ACPI_HEADER_LEN || tlen > ACPI_TABLE_MAX_LEN) {
            acpi_fail_val(err, ACPI_E_LENGTH, sig, 4,
                          "table length outside 36..1 MiB", tlen);
            return NULL;
        }
        p = map_range(ops, ref->phys, tlen);
        if (!p) {
            fail_phys(err, ACPI_E_UNREACHABLE, sig, ref->phys,
                      "table not reachable over its length");
            return NULL;
        }
        /* Re-read the length through this mapping: it is what we check. */
        if (acpi_table_check(p, tlen, sig, ACPI_HEADER_LEN, NULL, err) !=
            ACPI_OK)
            return NULL;
        if (len)
            *len = tlen;
        return p;
    }
    acpi_fail(err, ACPI_E_NOT_FOUND, sig, 0, "no such table in the RSDT/XSDT");
    return NULL;
}

void acpi_root_dump(const struct acpi_out *out, const struct acpi_root *root)
{
    char oem[7], sig[5];
    unsigned i;

    acpi_printf(out,
                "ACPI: RSDP @0x%lx rev %u oem \"%s\", %s @0x%lx, "
                "%u tables\n",
                (unsigned long)root->rsdp.phys, root->rsdp.revision,
                acpi_printable(oem, root->rsdp.oem_id, 6),
                root->xsdt ? "XSDT" : "RSDT", (unsigned long)root->phys,
                root->count);
    for (i = 0; i < root->count && i < ACPI_MAX_TABLES; i++) {
        const struct acpi_table_ref *ref = &root->tables[i];

        if (ref->reachable)
            acpi_printf(out, "ACPI:   %s @0x%08lx len 0x%x\n",
                        acpi_printable(sig, ref->signature, 4),
                        (unsigned long)ref->phys, ref->length);
        else
            acpi_printf(out, "ACPI:   ???? @0x%08lx (unreachable)\n",
                        (unsigned long)ref->phys);
    }
}

/* --------------------------------------------------------------- MCFG */

#define MCFG_ENTRIES_AT 44u
#define MCFG_ENTRY_LEN  16u

enum acpi_status acpi_mcfg_parse(const void *buf, size_t len,
                                 struct acpi_mcfg *out, struct acpi_error *err)
{
    const uint8_t *p = buf;
    struct acpi_header h;
    enum acpi_status st;
    uint32_t n, i, off;

    memset(out, 0, sizeof(*out));
    st = acpi_table_check(buf, len, "MCFG", MCFG_ENTRIES_AT, &h, err);
    if (st != ACPI_OK)
        return st;
    if ((h.length - MCFG_ENTRIES_AT) % MCFG_ENTRY_LEN != 0)
        return acpi_fail_val(err, ACPI_E_LENGTH, "MCFG", 4,
                             "entry area is not a whole number of "
                             "16-byte entries",
                             h.length);
    n = (h.length - MCFG_ENTRIES_AT) / MCFG_ENTRY_LEN;
    if (n > ACPI_MCFG_MAX)
        return acpi_fail_val(err, ACPI_E_TOO_MANY, "MCFG", MCFG_ENTRIES_AT,
                             "more allocations than ACPI_MCFG_MAX", n);
    for (i = 0; i < n; i++) {
        struct acpi_mcfg_entry *e = &out->entry[i];

        off = MCFG_ENTRIES_AT + i * MCFG_ENTRY_LEN;
        e->base = rd64(p, off);
        e->segment = rd16(p, off + 8);
        e->bus_start = rd8(p, off + 10);
        e->bus_end = rd8(p, off + 11);
        if (e->base == 0 || (e->base & 0xfffff) != 0)
            return acpi_fail_val(err, ACPI_E_FIELD, "MCFG", off,
                                 "ECAM base is zero or not 1 MiB aligned",
                                 e->base);
        if (e->bus_start > e->bus_end)
            return acpi_fail_val(err, ACPI_E_FIELD, "MCFG", off + 10,
                                 "start bus above end bus", e->bus_start);
        out->count = i + 1;
    }
    return ACPI_OK;
}

void acpi_mcfg_dump(const struct acpi_out *out, const struct acpi_mcfg *m)
{
    unsigned i;

    for (i = 0; i < m->count && i < ACPI_MCFG_MAX; i++)
        acpi_printf(out, "MCFG: segment %u buses 0x%02x-0x%02x ECAM @0x%lx\n",
                    m->entry[i].segment, m->entry[i].bus_start,
                    m->entry[i].bus_end, (unsigned long)m->entry[i].base);
}

/* ---------------------------------------------------------------- MADT */

#define MADT_ENTRIES_AT 44 /* header, local APIC address, flags */
#define MADT_IOAPIC     1
#define MADT_OVERRIDE   2

static enum acpi_status madt_entry(const uint8_t *p, uint32_t off, uint8_t type,
                                   uint8_t elen, struct acpi_madt *out,
                                   struct acpi_error *err)
{
    if (type == MADT_IOAPIC) {
        struct acpi_madt_ioapic *io;

        if (elen < 12)
            return acpi_fail_val(err, ACPI_E_LENGTH, "APIC", off,
                                 "I/O APIC structure shorter than 12 bytes",
                                 elen);
        if (out->nr_ioapic == ACPI_MADT_MAX_IOAPIC)
            return acpi_fail_val(err, ACPI_E_TOO_MANY, "APIC", off,
                                 "more I/O APICs than ACPI_MADT_MAX_IOAPIC",
                                 out->nr_ioapic + 1);
        io = &out->ioapic[out->nr_ioapic++];
        io->id = rd8(p, off + 2);
        io->addr = rd32(p, off + 4);
        io->gsi_base = rd32(p, off + 8);
    } else if (type == MADT_OVERRIDE) {
        uint8_t bus, source;

        if (elen < 10)
            return acpi_fail_val(err, ACPI_E_LENGTH, "APIC", off,
                                 "interrupt source override shorter than "
                                 "10 bytes",
                                 elen);
        bus = rd8(p, off + 2);
        source = rd8(p, off + 3);
        if (bus == 0 && source < 16)
            out->isa_gsi[source] = rd32(p, off + 4);
    }
    return ACPI_OK;
}

enum acpi_status acpi_madt_parse(const void *buf, size_t len,
                                 struct acpi_madt *out, struct acpi_error *err)
{
    const uint8_t *p = buf;
    struct acpi_header h;
    enum acpi_status st;
    uint32_t off;

    memset(out, 0, sizeof(*out));
    for (unsigned i = 0; i < 16; i++)
        out->isa_gsi[i] = i;
    st = acpi_table_check(buf, len, "APIC", MADT_ENTRIES_AT, &h, err);
    if (st != ACPI_OK)
        return st;
    for (off = MADT_ENTRIES_AT; off < h.length;) {
        uint8_t type, elen;

        if (h.length - off < 2)
            return acpi_fail_val(err, ACPI_E_LENGTH, "APIC", off,
                                 "structure header past the table", off);
        type = rd8(p, off);
        elen = rd8(p, off + 1);
        if (elen < 2 || elen > h.length - off)
            return acpi_fail_val(err, ACPI_E_LENGTH, "APIC", off + 1,
                                 "structure length 0, 1 or past the table",
                                 elen);
        st = madt_entry(p, off, type, elen, out, err);
        if (st != ACPI_OK)
            return st;
        off += elen;
    }
    return ACPI_OK;
}
