/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acpi/acpi.c — errors, output helpers, the common header, RSDP discovery,
 * the RSDT/XSDT walk and MCFG.
 *
 * ACPI 6.x §5.2.5 (RSDP), §5.2.6 (header), §5.2.7/5.2.8 (RSDT/XSDT); MCFG
 * from the PCI Firmware Specification (§4.1.2).
 */
#include <string.h>

#include "acpi/acpi.h"
#include "acpi/acpi_int.h"

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
                           const char *table, uint64_t offset,
                           const char *msg)
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

static enum acpi_status fail_phys(struct acpi_error *err,
                                  enum acpi_status code, const char *table,
                                  uint64_t phys, const char *msg)
{
    acpi_fail(err, code, table, phys, msg);
    if (err)
        err->offset_is_phys = true;
    return code;
}

/* ------------------------------------------------------------- output */

void acpi_put_str(const struct acpi_out *out, const char *s)
{
    if (out && out->write && s)
        out->write(out->ctx, s, strlen(s));
}

void acpi_put_hex(const struct acpi_out *out, uint64_t v, unsigned digits)
{
    char buf[18];
    unsigned n = 0, i;

    if (digits > 16)
        digits = 16;
    do {
        buf[n++] = "0123456789abcdef"[v & 0xf];
        v >>= 4;
    } while (v || n < digits);
    /* reverse into order, with the 0x prefix */
    char txt[20];
    txt[0] = '0';
    txt[1] = 'x';
    for (i = 0; i < n; i++)
        txt[2 + i] = buf[n - 1 - i];
    if (out && out->write)
        out->write(out->ctx, txt, 2 + n);
}

void acpi_put_dec(const struct acpi_out *out, uint64_t v)
{
    char buf[20];
    char txt[20];
    unsigned n = 0, i;

    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (i = 0; i < n; i++)
        txt[i] = buf[n - 1 - i];
    if (out && out->write)
        out->write(out->ctx, txt, n);
}

void acpi_put_chars(const struct acpi_out *out, const char *s, size_t n)
{
    char c;
    size_t i;

    for (i = 0; i < n && s[i]; i++) {
        c = s[i];
        if (c < 0x20 || c > 0x7e)
            c = '.';
        if (out && out->write)
            out->write(out->ctx, &c, 1);
    }
}

void acpi_error_print(const struct acpi_out *out, const char *prefix,
                      const struct acpi_error *err)
{
    if (prefix)
        acpi_put_str(out, prefix);
    if (!err || err->code == ACPI_OK) {
        acpi_put_str(out, "no error\n");
        return;
    }
    acpi_put_str(out, err->table ? err->table : "ACPI");
    acpi_put_str(out, err->offset_is_phys ? " @" : " +");
    acpi_put_hex(out, err->offset, 1);
    acpi_put_str(out, ": ");
    acpi_put_str(out, err->msg ? err->msg : "(no message)");
    if (err->has_value) {
        acpi_put_str(out, " (value ");
        acpi_put_hex(out, err->value, 1);
        acpi_put_str(out, ")");
    }
    acpi_put_str(out, " [");
    acpi_put_str(out, acpi_status_name(err->code));
    acpi_put_str(out, "]\n");
}

void acpi_hexdump(const struct acpi_out *out, const char *tag,
                  const void *buf, size_t len)
{
    const uint8_t *p = buf;
    static const char hex[] = "0123456789abcdef";
    char line[16 * 3 + 1];
    size_t off, i, n;

    for (off = 0; off < len; off += 16) {
        acpi_put_str(out, tag);
        acpi_put_str(out, " ");
        acpi_put_hex(out, off, 4);
        acpi_put_str(out, ":");
        n = len - off < 16 ? len - off : 16;
        for (i = 0; i < n; i++) {
            line[3 * i] = ' ';
            line[3 * i + 1] = hex[p[off + i] >> 4];
            line[3 * i + 2] = hex[p[off + i] & 0xf];
        }
        line[3 * n] = '\n';
        if (out && out->write)
            out->write(out->ctx, line, 3 * n + 1);
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

enum acpi_status acpi_table_check(const void *buf, size_t len,
                                  const char *sig, uint32_t min_len,
                                  struct acpi_header *hdr,
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
                                 struct acpi_rsdp *out,
                                 struct acpi_error *err)
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
                                struct acpi_root *root,
                                struct acpi_error *err)
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
    acpi_fail(err, ACPI_E_NOT_FOUND, sig, 0,
              "no such table in the RSDT/XSDT");
    return NULL;
}

void acpi_root_dump(const struct acpi_out *out, const struct acpi_root *root)
{
    unsigned i;

    acpi_put_str(out, "ACPI: RSDP @");
    acpi_put_hex(out, root->rsdp.phys, 1);
    acpi_put_str(out, " rev ");
    acpi_put_dec(out, root->rsdp.revision);
    acpi_put_str(out, " oem \"");
    acpi_put_chars(out, root->rsdp.oem_id, 6);
    acpi_put_str(out, "\", ");
    acpi_put_str(out, root->xsdt ? "XSDT" : "RSDT");
    acpi_put_str(out, " @");
    acpi_put_hex(out, root->phys, 1);
    acpi_put_str(out, ", ");
    acpi_put_dec(out, root->count);
    acpi_put_str(out, " tables\n");
    for (i = 0; i < root->count && i < ACPI_MAX_TABLES; i++) {
        const struct acpi_table_ref *ref = &root->tables[i];

        acpi_put_str(out, "ACPI:   ");
        if (ref->reachable) {
            acpi_put_chars(out, ref->signature, 4);
            acpi_put_str(out, " @");
            acpi_put_hex(out, ref->phys, 8);
            acpi_put_str(out, " len ");
            acpi_put_hex(out, ref->length, 1);
        } else {
            acpi_put_str(out, "???? @");
            acpi_put_hex(out, ref->phys, 8);
            acpi_put_str(out, " (unreachable)");
        }
        acpi_put_str(out, "\n");
    }
}

/* --------------------------------------------------------------- MCFG */

#define MCFG_ENTRIES_AT 44u
#define MCFG_ENTRY_LEN  16u

enum acpi_status acpi_mcfg_parse(const void *buf, size_t len,
                                 struct acpi_mcfg *out,
                                 struct acpi_error *err)
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
                             "16-byte entries", h.length);
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

    for (i = 0; i < m->count && i < ACPI_MCFG_MAX; i++) {
        acpi_put_str(out, "MCFG: segment ");
        acpi_put_dec(out, m->entry[i].segment);
        acpi_put_str(out, " buses ");
        acpi_put_hex(out, m->entry[i].bus_start, 2);
        acpi_put_str(out, "-");
        acpi_put_hex(out, m->entry[i].bus_end, 2);
        acpi_put_str(out, " ECAM @");
        acpi_put_hex(out, m->entry[i].base, 1);
        acpi_put_str(out, "\n");
    }
}
