/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acpi/dmar.c — parse the DMAR table (VT-d spec §8; vtd-facts §10).
 *
 * Every loop advances by a length that was checked to be at least the
 * size of the header it just read, inside a bound that was checked against
 * the table length, so no input can make it read out of bounds or spin.
 */
#include <string.h>

#include "acpi/dmar.h"
#include "acpi/acpi_int.h"

static const char T[] = "DMAR";

/* A structure's own fields, as dmar_dump prints them. */
typedef void dump_fn(const struct acpi_out *out, const struct dmar_struct *s);
static dump_fn dump_drhd, dump_rmrr, dump_atsr, dump_rhsa, dump_andd, dump_satc,
    dump_sidp;

/* What the parser and the dump know of each structure type. */
static const struct {
    const char *name;
    uint8_t fixed_len; /* bytes before its device scopes, if any */
    dump_fn *dump;
} types[DMAR_KNOWN_TYPES] = {
    [DMAR_DRHD] = { "DRHD", DMAR_DRHD_LEN, dump_drhd },
    [DMAR_RMRR] = { "RMRR", DMAR_RMRR_LEN, dump_rmrr },
    [DMAR_ATSR] = { "ATSR", DMAR_ATSR_LEN, dump_atsr },
    [DMAR_RHSA] = { "RHSA", DMAR_RHSA_LEN, dump_rhsa },
    [DMAR_ANDD] = { "ANDD", DMAR_ANDD_LEN, dump_andd },
    [DMAR_SATC] = { "SATC", DMAR_SATC_LEN, dump_satc },
    [DMAR_SIDP] = { "SIDP", DMAR_SIDP_LEN, dump_sidp },
};

const char *dmar_type_name(unsigned type)
{
    return type < DMAR_KNOWN_TYPES ? types[type].name : "unknown";
}

const char *dmar_scope_type_name(unsigned type)
{
    switch (type) {
    case DMAR_SCOPE_ENDPOINT:
        return "endpoint";
    case DMAR_SCOPE_BRIDGE:
        return "bridge";
    case DMAR_SCOPE_IOAPIC:
        return "ioapic";
    case DMAR_SCOPE_HPET:
        return "hpet";
    case DMAR_SCOPE_ACPI:
        return "acpi";
    default:
        return "reserved";
    }
}

static void warn(struct dmar *d, enum acpi_status code, uint64_t offset,
                 const char *msg, uint64_t value)
{
    if (d->warning_count < DMAR_MAX_WARNINGS)
        acpi_fail_val(&d->warning[d->warning_count], code, T, offset, msg,
                      value);
    d->warning_count++;
}

/* Which scope types a structure type may carry (bit per scope type). */
static unsigned allowed_scopes(unsigned type)
{
    switch (type) {
    case DMAR_DRHD:
        return 1u << DMAR_SCOPE_ENDPOINT | 1u << DMAR_SCOPE_BRIDGE |
               1u << DMAR_SCOPE_IOAPIC | 1u << DMAR_SCOPE_HPET |
               1u << DMAR_SCOPE_ACPI;
    case DMAR_RMRR:
        return 1u << DMAR_SCOPE_ENDPOINT | 1u << DMAR_SCOPE_BRIDGE;
    case DMAR_ATSR:
        return 1u << DMAR_SCOPE_BRIDGE;
    case DMAR_SATC:
    case DMAR_SIDP:
        return 1u << DMAR_SCOPE_ENDPOINT | 1u << DMAR_SCOPE_BRIDGE |
               1u << DMAR_SCOPE_ACPI;
    default:
        return 0;
    }
}

/* Device scopes in p[start..end) of structure number idx. */
static enum acpi_status parse_scopes(const uint8_t *p, uint32_t start,
                                     uint32_t end, struct dmar *d, unsigned idx,
                                     struct acpi_error *err)
{
    struct dmar_struct *s = &d->s[idx];
    uint32_t off = start;
    unsigned slen, npairs, i;

    s->first_scope = (uint16_t)d->scope_count;
    while (off < end) {
        struct dmar_scope *sc;

        if (end - off < DMAR_SCOPE_HDR_LEN)
            return acpi_fail_val(err, ACPI_E_TRUNCATED, T, off,
                                 "device scope header runs past the end "
                                 "of its structure",
                                 end - off);
        slen = rd8(p, off + 1);
        if (slen < DMAR_SCOPE_HDR_LEN)
            return acpi_fail_val(err, ACPI_E_LENGTH, T, off + 1,
                                 "device scope length below 6", slen);
        if (slen > end - off)
            return acpi_fail_val(err, ACPI_E_LENGTH, T, off + 1,
                                 "device scope length runs past the end "
                                 "of its structure",
                                 slen);
        if ((slen - DMAR_SCOPE_HDR_LEN) % 2 != 0)
            return acpi_fail_val(err, ACPI_E_LENGTH, T, off + 1,
                                 "device scope path has an odd length", slen);
        npairs = (slen - DMAR_SCOPE_HDR_LEN) / 2;
        if (npairs == 0)
            return acpi_fail_val(err, ACPI_E_LENGTH, T, off + 1,
                                 "device scope has an empty path", slen);
        if (npairs > DMAR_MAX_PATH)
            return acpi_fail_val(err, ACPI_E_TOO_MANY, T, off + 1,
                                 "device scope path deeper than "
                                 "DMAR_MAX_PATH",
                                 npairs);
        if (d->scope_count >= DMAR_MAX_SCOPES)
            return acpi_fail_val(err, ACPI_E_TOO_MANY, T, off,
                                 "more device scopes than DMAR_MAX_SCOPES",
                                 d->scope_count + 1);
        sc = &d->scope[d->scope_count];
        memset(sc, 0, sizeof(*sc));
        sc->offset = off;
        sc->type = rd8(p, off);
        sc->length = (uint8_t)slen;
        sc->flags = rd8(p, off + 2);
        sc->enum_id = rd8(p, off + 4);
        sc->start_bus = rd8(p, off + 5);
        sc->path_len = (uint8_t)npairs;
        for (i = 0; i < npairs; i++) {
            sc->path[i][0] = rd8(p, off + 6 + 2 * i);
            sc->path[i][1] = rd8(p, off + 7 + 2 * i);
            if (sc->path[i][0] > 31 || sc->path[i][1] > 7)
                return acpi_fail_val(err, ACPI_E_FIELD, T, off + 6 + 2 * i,
                                     "device scope path: device above 31 or "
                                     "function above 7",
                                     (uint64_t)sc->path[i][0] << 8 |
                                         sc->path[i][1]);
        }
        sc->owner = (uint16_t)idx;
        sc->res = ACPI_E_UNRESOLVED;
        if (sc->type == 0 || sc->type > DMAR_SCOPE_ACPI)
            warn(d, ACPI_E_FIELD, off, "reserved device scope type", sc->type);
        else if (!(allowed_scopes(s->type) & 1u << sc->type))
            warn(d, ACPI_E_FIELD, off,
                 "device scope type not expected in this structure", sc->type);
        d->scope_count++;
        s->scope_count++;
        off += slen;
    }
    return ACPI_OK;
}

/* The type-specific fixed part of structure idx at p[off..off+len). */
static enum acpi_status parse_fixed(const uint8_t *p, uint32_t off,
                                    uint32_t len, struct dmar *d, unsigned idx,
                                    struct acpi_error *err)
{
    struct dmar_struct *s = &d->s[idx];
    uint32_t i, n;

    switch (s->type) {
    case DMAR_DRHD:
        s->flags = rd8(p, off + 4);
        s->size = rd8(p, off + 5);
        s->segment = rd16(p, off + 6);
        s->base = rd64(p, off + 8);
        if (s->base == 0 || (s->base & 0xfff) != 0)
            return acpi_fail_val(err, ACPI_E_FIELD, T, off + 8,
                                 "DRHD register base is zero or not 4 KiB "
                                 "aligned",
                                 s->base);
        for (i = 0; i < idx; i++) {
            if (d->s[i].type == DMAR_DRHD && d->s[i].base == s->base)
                warn(d, ACPI_E_FIELD, off + 8,
                     "DRHD register base listed twice", s->base);
            if (d->s[i].type == DMAR_DRHD && d->s[i].segment == s->segment &&
                (d->s[i].flags & DMAR_DRHD_INCLUDE_PCI_ALL))
                warn(d, ACPI_E_FIELD, off,
                     "DRHD after an INCLUDE_PCI_ALL unit of its segment",
                     s->segment);
        }
        d->drhd_count++;
        break;
    case DMAR_RMRR:
        s->segment = rd16(p, off + 6);
        s->base = rd64(p, off + 8);
        s->limit = rd64(p, off + 16);
        if (s->limit < s->base)
            return acpi_fail_val(err, ACPI_E_FIELD, T, off + 16,
                                 "RMRR limit below its base", s->limit);
        if ((s->base & 0xfff) != 0 || (s->limit & 0xfff) != 0xfff)
            warn(d, ACPI_E_FIELD, off + 8, "RMRR range is not 4 KiB aligned",
                 s->base);
        break;
    case DMAR_ATSR:
    case DMAR_SATC:
        s->flags = rd8(p, off + 4);
        s->segment = rd16(p, off + 6);
        break;
    case DMAR_SIDP:
        s->segment = rd16(p, off + 6);
        break;
    case DMAR_RHSA:
        s->base = rd64(p, off + 8);
        s->proximity = rd32(p, off + 16);
        if (len > DMAR_RHSA_LEN)
            warn(d, ACPI_E_LENGTH, off + 2,
                 "RHSA longer than 20 bytes; the rest is ignored", len);
        break;
    case DMAR_ANDD:
        s->andd_number = rd8(p, off + 7);
        n = len - DMAR_ANDD_LEN;
        for (i = 0; i < n && p[off + DMAR_ANDD_LEN + i] != 0; i++)
            ;
        if (i == n)
            return acpi_fail(err, ACPI_E_FIELD, T, off + DMAR_ANDD_LEN,
                             "ANDD object name not NUL-terminated inside "
                             "the structure");
        if (i >= DMAR_ANDD_NAME_MAX)
            return acpi_fail_val(err, ACPI_E_TOO_MANY, T, off + DMAR_ANDD_LEN,
                                 "ANDD object name longer than "
                                 "DMAR_ANDD_NAME_MAX",
                                 i);
        memcpy(s->andd_name, p + off + DMAR_ANDD_LEN, i);
        s->andd_name[i] = '\0';
        break;
    default:
        break;
    }
    return ACPI_OK;
}

enum acpi_status dmar_parse(const void *buf, size_t len, struct dmar *out,
                            struct acpi_error *err)
{
    const uint8_t *p = buf;
    enum acpi_status st;
    uint32_t tlen, off, slen;
    unsigned type, idx;

    memset(out, 0, sizeof(*out));
    st = acpi_table_check(buf, len, T, DMAR_HEADER_LEN, &out->hdr, err);
    if (st != ACPI_OK)
        return st;
    tlen = out->hdr.length;
    out->haw = rd8(p, 36);
    out->flags = rd8(p, 37);
    if (out->flags &
        ~(DMAR_F_INTR_REMAP | DMAR_F_X2APIC_OPT_OUT | DMAR_F_DMA_CTRL_OPT_IN))
        warn(out, ACPI_E_FIELD, 37, "reserved DMAR flag bits set", out->flags);
    if (out->haw < 11 || out->haw > 63)
        warn(out, ACPI_E_FIELD, 36, "host address width outside 12..64 bits",
             out->haw + 1u);

    for (off = DMAR_HEADER_LEN; off < tlen; off += slen) {
        struct dmar_struct *s;

        if (tlen - off < 4)
            return acpi_fail_val(err, ACPI_E_TRUNCATED, T, off,
                                 "remapping structure header runs past the "
                                 "end of the table",
                                 tlen - off);
        type = rd16(p, off);
        slen = rd16(p, off + 2);
        if (slen < 4)
            return acpi_fail_val(err, ACPI_E_LENGTH, T, off + 2,
                                 "remapping structure length below 4", slen);
        if (slen > tlen - off)
            return acpi_fail_val(err, ACPI_E_LENGTH, T, off + 2,
                                 "remapping structure runs past the end of "
                                 "the table",
                                 slen);
        if (type < DMAR_KNOWN_TYPES && slen < types[type].fixed_len)
            return acpi_fail_val(err, ACPI_E_LENGTH, T, off + 2,
                                 "remapping structure shorter than the "
                                 "fixed part of its type",
                                 slen);
        if (out->count >= DMAR_MAX_STRUCTS)
            return acpi_fail_val(err, ACPI_E_TOO_MANY, T, off,
                                 "more remapping structures than "
                                 "DMAR_MAX_STRUCTS",
                                 out->count + 1);
        idx = out->count;
        s = &out->s[idx];
        memset(s, 0, sizeof(*s));
        s->offset = off;
        s->type = (uint16_t)type;
        s->length = (uint16_t)slen;
        s->first_scope = (uint16_t)out->scope_count;
        out->count++;
        if (type >= DMAR_KNOWN_TYPES) {
            out->unknown_count++;
            warn(out, ACPI_E_FIELD, off,
                 "unknown remapping structure type, skipped", type);
            continue;
        }
        st = parse_fixed(p, off, slen, out, idx, err);
        if (st != ACPI_OK)
            return st;
        if (allowed_scopes(type)) {
            st = parse_scopes(p, off + types[type].fixed_len, off + slen, out,
                              idx, err);
            if (st != ACPI_OK)
                return st;
        }
        if (type == DMAR_ATSR && (s->flags & DMAR_ATSR_ALL_PORTS) &&
            s->scope_count)
            warn(out, ACPI_E_FIELD, off + 4,
                 "ATSR with ALL_PORTS also lists device scopes",
                 s->scope_count);
    }
    return ACPI_OK;
}

const struct dmar_struct *dmar_drhd(const struct dmar *d, unsigned index)
{
    unsigned i;

    for (i = 0; i < d->count && i < DMAR_MAX_STRUCTS; i++)
        if (d->s[i].type == DMAR_DRHD && index-- == 0)
            return &d->s[i];
    return NULL;
}

/* ----------------------------------------------------- path resolution */

enum acpi_status dmar_resolve_scope(struct dmar *d, unsigned index,
                                    const struct dmar_pci_ops *pci,
                                    struct acpi_error *err)
{
    struct dmar_scope *sc;
    uint16_t seg;
    uint8_t bus, sec, sub;
    unsigned i;
    enum acpi_status st = ACPI_OK;

    if (index >= d->scope_count || index >= DMAR_MAX_SCOPES)
        return acpi_fail_val(err, ACPI_E_NOT_FOUND, T, 0,
                             "no such device scope", index);
    sc = &d->scope[index];
    seg = sc->owner < d->count ? d->s[sc->owner].segment : 0;
    bus = sc->start_bus;
    sc->sec_bus = sc->sub_bus = 0;

    if (sc->path_len == 0 || sc->path_len > DMAR_MAX_PATH) {
        st = acpi_fail(err, ACPI_E_LENGTH, T, sc->offset,
                       "device scope path length out of range");
        goto out;
    }
    for (i = 0; i + 1 < sc->path_len; i++) {
        if (!pci || !pci->bridge_buses ||
            pci->bridge_buses(pci->ctx, seg, bus, sc->path[i][0],
                              sc->path[i][1], &sec, &sub) < 0) {
            st = acpi_fail_val(err, ACPI_E_NOT_BRIDGE, T,
                               sc->offset + 6 + 2 * i,
                               "path element is not a PCI-to-PCI bridge "
                               "(bus:dev.fn)",
                               (uint64_t)bus << 8 | sc->path[i][0] << 3 |
                                   sc->path[i][1]);
            goto out;
        }
        /* Bus numbers grow away from the root: a secondary bus at or
         * above the current one is a bridge that points back (or an
         * unconfigured one, secondary 0). */
        if (sec <= bus) {
            st = acpi_fail_val(err, ACPI_E_LOOP, T, sc->offset + 6 + 2 * i,
                               "bridge's secondary bus is not above its own "
                               "bus",
                               sec);
            goto out;
        }
        bus = sec;
    }
    sc->bus = bus;
    sc->dev = sc->path[sc->path_len - 1][0];
    sc->fn = sc->path[sc->path_len - 1][1];
    if (sc->type == DMAR_SCOPE_BRIDGE) {
        if (!pci || !pci->bridge_buses ||
            pci->bridge_buses(pci->ctx, seg, bus, sc->dev, sc->fn, &sec, &sub) <
                0) {
            st = acpi_fail_val(err, ACPI_E_NOT_BRIDGE, T,
                               sc->offset + 4 + 2 * sc->path_len,
                               "sub-hierarchy scope target is not a "
                               "PCI-to-PCI bridge (bus:dev.fn)",
                               dmar_scope_sid(sc));
            goto out;
        }
        if (sec <= bus || sub < sec) {
            st = acpi_fail_val(err, ACPI_E_LOOP, T,
                               sc->offset + 4 + 2 * sc->path_len,
                               "sub-hierarchy bridge's secondary bus is not "
                               "above its bus, or its subordinate bus is "
                               "below its secondary (sec<<8|sub)",
                               (uint64_t)sec << 8 | sub);
            goto out;
        }
        sc->sec_bus = sec;
        sc->sub_bus = sub;
    }
out:
    sc->res = st;
    return st;
}

enum acpi_status dmar_resolve(struct dmar *d, const struct dmar_pci_ops *pci,
                              struct acpi_error *err)
{
    enum acpi_status first = ACPI_OK, st;
    struct acpi_error e;
    unsigned i;

    for (i = 0; i < d->scope_count && i < DMAR_MAX_SCOPES; i++) {
        st = dmar_resolve_scope(d, i, pci, &e);
        if (st != ACPI_OK && first == ACPI_OK) {
            first = st;
            if (err)
                *err = e;
        }
    }
    return first;
}

int dmar_find_drhd(const struct dmar *d, uint16_t seg, uint8_t bus, uint8_t dev,
                   uint8_t fn, int *scope_index)
{
    unsigned i, j;

    if (scope_index)
        *scope_index = -1;
    /* Explicit scopes first, in table order. */
    for (i = 0; i < d->count && i < DMAR_MAX_STRUCTS; i++) {
        const struct dmar_struct *s = &d->s[i];

        if (s->type != DMAR_DRHD || s->segment != seg)
            continue;
        for (j = s->first_scope;
             j < (unsigned)s->first_scope + s->scope_count &&
             j < d->scope_count && j < DMAR_MAX_SCOPES;
             j++) {
            const struct dmar_scope *sc = &d->scope[j];
            bool same = sc->bus == bus && sc->dev == dev && sc->fn == fn;

            if (sc->res != ACPI_OK)
                continue;
            if ((sc->type == DMAR_SCOPE_ENDPOINT && same) ||
                (sc->type == DMAR_SCOPE_BRIDGE &&
                 (same || (bus >= sc->sec_bus && bus <= sc->sub_bus)))) {
                if (scope_index)
                    *scope_index = (int)j;
                return (int)i;
            }
        }
    }
    /* Then the catch-all unit of the segment. */
    for (i = 0; i < d->count && i < DMAR_MAX_STRUCTS; i++) {
        const struct dmar_struct *s = &d->s[i];

        if (s->type == DMAR_DRHD && s->segment == seg &&
            (s->flags & DMAR_DRHD_INCLUDE_PCI_ALL))
            return (int)i;
    }
    return -1;
}

int dmar_find_scope(const struct dmar *d, unsigned type, unsigned enum_id)
{
    unsigned i;

    for (i = 0; i < d->scope_count && i < DMAR_MAX_SCOPES; i++)
        if (d->scope[i].type == type && d->scope[i].enum_id == enum_id)
            return (int)i;
    return -1;
}

/* ----------------------------------------------------------------- dump */

/* bus:dev.fn the way lspci writes it: 00:1f.3 */
static void dump_bdf(const struct acpi_out *out, uint8_t bus, uint8_t dev,
                     uint8_t fn)
{
    acpi_printf(out, "%02x:%02x.%u", bus, dev, fn);
}

/* What the scope names: its type, id, flags and path as the table has them
 * (start bus, then device.function pairs: 00:1d.0/00.0). */
static void dump_scope_entry(const struct acpi_out *out,
                             const struct dmar_scope *sc)
{
    unsigned i;

    acpi_printf(out, "DMAR:     scope +0x%x %s", sc->offset,
                dmar_scope_type_name(sc->type));
    if (sc->type == 0 || sc->type > DMAR_SCOPE_ACPI)
        acpi_printf(out, " (%u)", sc->type);
    if (sc->type == DMAR_SCOPE_IOAPIC || sc->type == DMAR_SCOPE_HPET ||
        sc->type == DMAR_SCOPE_ACPI || sc->enum_id)
        acpi_printf(out, " id %u", sc->enum_id);
    if (sc->flags)
        acpi_printf(out, " flags 0x%02x", sc->flags);
    acpi_printf(out, " path %02x", sc->start_bus);
    for (i = 0; i < sc->path_len && i < DMAR_MAX_PATH; i++)
        acpi_printf(out, "%s%02x.%u", i ? "/" : ":", sc->path[i][0],
                    sc->path[i][1]);
}

/* What the path resolved to: the function, its source-id and, for a
 * bridge, its buses; or why it did not resolve. */
static void dump_scope_target(const struct acpi_out *out,
                              const struct dmar_scope *sc)
{
    if (sc->res == ACPI_OK) {
        acpi_printf(out, " -> ");
        dump_bdf(out, sc->bus, sc->dev, sc->fn);
        acpi_printf(out, " sid 0x%04x", dmar_scope_sid(sc));
        if (sc->type == DMAR_SCOPE_BRIDGE)
            acpi_printf(out, " buses %02x-%02x", sc->sec_bus, sc->sub_bus);
    } else if (sc->res != ACPI_E_UNRESOLVED) {
        acpi_printf(out, " -> %s", acpi_status_name(sc->res));
    }
}

static void dump_scope(const struct acpi_out *out, const struct dmar_scope *sc)
{
    dump_scope_entry(out, sc);
    dump_scope_target(out, sc);
    acpi_printf(out, "\n");
}

static void dump_header(const struct acpi_out *out, const struct dmar *d)
{
    char oem[7];

    acpi_printf(out,
                "DMAR: rev %u oem \"%s\" len 0x%x, host address width "
                "%u, flags 0x%02x%s%s%s\n",
                d->hdr.revision, acpi_printable(oem, d->hdr.oem_id, 6),
                d->hdr.length, d->haw + 1u, d->flags,
                d->flags & DMAR_F_INTR_REMAP ? " INTR_REMAP" : "",
                d->flags & DMAR_F_X2APIC_OPT_OUT ? " X2APIC_OPT_OUT" : "",
                d->flags & DMAR_F_DMA_CTRL_OPT_IN ? " DMA_CTRL_PLATFORM_OPT_IN"
                                                  : "");
}

/* ------------------------------------------- one structure, by its type */

static void dump_drhd(const struct acpi_out *out, const struct dmar_struct *s)
{
    acpi_printf(out, " segment %u base 0x%lx flags 0x%02x%s", s->segment,
                (unsigned long)s->base, s->flags,
                s->flags & DMAR_DRHD_INCLUDE_PCI_ALL ? " INCLUDE_PCI_ALL" : "");
    if (s->size)
        acpi_printf(out, " size 2^%u pages", s->size & 0xfu);
}

static void dump_rmrr(const struct acpi_out *out, const struct dmar_struct *s)
{
    acpi_printf(out, " segment %u 0x%lx-0x%lx", s->segment,
                (unsigned long)s->base, (unsigned long)s->limit);
}

static void dump_atsr(const struct acpi_out *out, const struct dmar_struct *s)
{
    acpi_printf(out, " segment %u flags 0x%02x%s", s->segment, s->flags,
                s->flags & DMAR_ATSR_ALL_PORTS ? " ALL_PORTS" : "");
}

static void dump_satc(const struct acpi_out *out, const struct dmar_struct *s)
{
    acpi_printf(out, " segment %u flags 0x%02x%s", s->segment, s->flags,
                s->flags & DMAR_SATC_ATC_REQUIRED ? " ATC_REQUIRED" : "");
}

static void dump_sidp(const struct acpi_out *out, const struct dmar_struct *s)
{
    acpi_printf(out, " segment %u", s->segment);
}

static void dump_rhsa(const struct acpi_out *out, const struct dmar_struct *s)
{
    acpi_printf(out, " base 0x%lx proximity domain %u", (unsigned long)s->base,
                s->proximity);
}

static void dump_andd(const struct acpi_out *out, const struct dmar_struct *s)
{
    char name[DMAR_ANDD_NAME_MAX + 1];

    acpi_printf(out, " device %u \"%s\"", s->andd_number,
                acpi_printable(name, s->andd_name, DMAR_ANDD_NAME_MAX));
}

static void dump_unknown(const struct acpi_out *out,
                         const struct dmar_struct *s)
{
    acpi_printf(out, " type %u len 0x%x (skipped)", s->type, s->length);
}

/* One line for the structure, then one for each of its scopes. */
static void dump_struct(const struct acpi_out *out, const struct dmar *d,
                        const struct dmar_struct *s)
{
    unsigned j;

    acpi_printf(out, "DMAR:   +0x%x %s", s->offset, dmar_type_name(s->type));
    if (s->type < DMAR_KNOWN_TYPES)
        types[s->type].dump(out, s);
    else
        dump_unknown(out, s);
    acpi_printf(out, "\n");
    for (j = s->first_scope; j < (unsigned)s->first_scope + s->scope_count &&
                             j < d->scope_count && j < DMAR_MAX_SCOPES;
         j++)
        dump_scope(out, &d->scope[j]);
}

static void dump_warnings(const struct acpi_out *out, const struct dmar *d)
{
    unsigned i;

    for (i = 0; i < d->warning_count && i < DMAR_MAX_WARNINGS; i++)
        acpi_error_print(out, "DMAR: warning: ", &d->warning[i]);
    if (d->warning_count > DMAR_MAX_WARNINGS)
        acpi_printf(out, "DMAR: %u more warnings\n",
                    d->warning_count - DMAR_MAX_WARNINGS);
}

void dmar_dump(const struct acpi_out *out, const struct dmar *d)
{
    unsigned i;

    dump_header(out, d);
    for (i = 0; i < d->count && i < DMAR_MAX_STRUCTS; i++)
        dump_struct(out, d, &d->s[i]);
    dump_warnings(out, d);
}
