/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/acpi/test_acpi.c — RSDP discovery, the RSDT/XSDT walk, table
 * lookup and MCFG, over a simulated physical memory: the BIOS data area,
 * an EBDA, the 0xE0000-0xFFFFF area, and a table area holding the
 * iasl-compiled DMAR and MCFG.
 */
#include "tests/acpi/testutil.h"
#include "tests/host/tap.h"

#define EBDA    0x9fc00u
#define TABLES  0x7fe0000u
#define RSDT_AT (TABLES + 0x0000)
#define XSDT_AT (TABLES + 0x0400)
#define DMAR_AT (TABLES + 0x1000)
#define MCFG_AT (TABLES + 0x2000)

struct region {
    uint64_t phys;
    uint8_t *bytes;
    size_t len;
};

static uint8_t bda[0x100]; /* 0x400..0x4ff */
static uint8_t ebda[0x400];
static uint8_t bios[0x20000]; /* 0xe0000..0xfffff */
static uint8_t tables[0x10000];

static struct region regions[] = {
    { 0x400, bda, sizeof(bda) },
    { EBDA, ebda, sizeof(ebda) },
    { 0xe0000, bios, sizeof(bios) },
    { TABLES, tables, sizeof(tables) },
};

static unsigned maps;

static const void *sim_map(void *ctx, uint64_t phys, uint64_t len)
{
    unsigned i;

    (void)ctx;
    maps++;
    for (i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
        const struct region *r = &regions[i];

        if (phys >= r->phys && phys - r->phys <= r->len &&
            len <= r->len - (phys - r->phys))
            return r->bytes + (phys - r->phys);
    }
    return NULL;
}

static const struct acpi_map_ops ops = { sim_map, NULL };
static struct outbuf ob;
static const struct acpi_out out = { outbuf_write, &ob };
static struct acpi_root root;
static struct dmar d;

static uint8_t *at(uint64_t phys)
{
    return (uint8_t *)sim_map(NULL, phys, 1);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static void sum_fix(uint8_t *p, size_t n, size_t at_)
{
    p[at_] = 0;
    p[at_] = (uint8_t)(0x100 - acpi_checksum(p, n));
}

static void make_rsdp(uint8_t *p, unsigned rev, uint32_t rsdt, uint64_t xsdt)
{
    memset(p, 0, 36);
    memcpy(p, "RSD PTR ", 8);
    memcpy(p + 9, "VTDPRB", 6);
    p[15] = (uint8_t)rev;
    put32(p + 16, rsdt);
    sum_fix(p, 20, 8);
    if (rev >= 2) {
        put32(p + 20, 36);
        put64(p + 24, xsdt);
        sum_fix(p, 36, 32);
    }
}

/* RSDT (esz 4) or XSDT (esz 8) at phys with these entries. */
static void make_root(uint64_t phys, const char *sig, unsigned esz,
                      const uint64_t *entry, unsigned n)
{
    uint8_t *p = at(phys);
    uint32_t len = 36 + esz * n;
    unsigned i;

    memset(p, 0, len);
    memcpy(p, sig, 4);
    put32(p + 4, len);
    p[8] = 1;
    for (i = 0; i < n; i++) {
        if (esz == 8)
            put64(p + 36 + 8 * i, entry[i]);
        else
            put32(p + 36 + 4 * i, (uint32_t)entry[i]);
    }
    sum_fix(p, len, 9);
}

static void reset_memory(void)
{
    const struct acpi_test_table *dm = table("qemu-default");
    const struct acpi_test_table *mc = table("mcfg-qemu");

    memset(bda, 0, sizeof(bda));
    memset(ebda, 0, sizeof(ebda));
    memset(bios, 0, sizeof(bios));
    memset(tables, 0, sizeof(tables));
    bda[0x0e] = (uint8_t)(EBDA >> 4); /* BDA word 0x40e: segment */
    bda[0x0f] = (uint8_t)(EBDA >> 12);
    memcpy(at(DMAR_AT), dm->data, dm->len);
    memcpy(at(MCFG_AT), mc->data, mc->len);
}

/* ----------------------------------------------------------------- RSDP */

static void test_rsdp_search(void)
{
    struct acpi_rsdp r;
    struct acpi_error err;

    reset_memory();
    TAP_EQ_U64(acpi_rsdp_find_bios(&ops, &r, &err), ACPI_E_NOT_FOUND,
               "rsdp: none anywhere");
    TAP_OK(err.offset_is_phys && err.msg, "rsdp: not-found error says where");

    make_rsdp(at(0xf5a30), 0, RSDT_AT, 0);
    TAP_EQ_U64(acpi_rsdp_find_bios(&ops, &r, &err), ACPI_OK,
               "rsdp: found in the BIOS area");
    TAP_EQ_U64(r.phys, 0xf5a30, "rsdp: at 0xf5a30");
    TAP_EQ_U64(r.revision, 0, "rsdp: revision 0");
    TAP_EQ_U64(r.rsdt, RSDT_AT, "rsdp: RSDT address");
    TAP_EQ_U64(r.xsdt, 0, "rsdp: no XSDT");
    TAP_EQ_STR(r.oem_id, "VTDPRB", "rsdp: OEM id");

    /* A stray signature with a bad checksum before it is skipped. */
    memcpy(at(0xe0010), "RSD PTR ", 8);
    TAP_EQ_U64(acpi_rsdp_find_bios(&ops, &r, &err), ACPI_OK,
               "rsdp: stray signature skipped");
    TAP_EQ_U64(r.phys, 0xf5a30, "rsdp: still the good one");

    /* Not on a 16-byte boundary: not found by the search. */
    memset(at(0xf5a30), 0, 36);
    make_rsdp(at(0xf5a38), 0, RSDT_AT, 0);
    TAP_EQ_U64(acpi_rsdp_find_bios(&ops, &r, &err), ACPI_E_NOT_FOUND,
               "rsdp: misaligned one is not found");

    /* The EBDA comes first. */
    make_rsdp(at(0xf5a30), 0, RSDT_AT, 0);
    make_rsdp(at(EBDA + 0x40), 2, RSDT_AT, XSDT_AT);
    TAP_EQ_U64(acpi_rsdp_find_bios(&ops, &r, &err), ACPI_OK,
               "rsdp: EBDA searched");
    TAP_EQ_U64(r.phys, EBDA + 0x40, "rsdp: EBDA one wins");
    TAP_EQ_U64(r.revision, 2, "rsdp: revision 2");
    TAP_EQ_U64(r.xsdt, XSDT_AT, "rsdp: XSDT address");
    TAP_EQ_U64(r.length, 36, "rsdp: length 36");

    /* An absurd EBDA segment is ignored. */
    bda[0x0e] = 0xff;
    bda[0x0f] = 0xff;
    TAP_EQ_U64(acpi_rsdp_find_bios(&ops, &r, &err), ACPI_OK,
               "rsdp: absurd EBDA pointer ignored");
    TAP_EQ_U64(r.phys, 0xf5a30, "rsdp: BIOS area one then");
}

static void test_rsdp_parse(void)
{
    uint8_t p[64];
    struct acpi_rsdp r;
    struct acpi_error err;

    make_rsdp(p, 2, RSDT_AT, XSDT_AT);
    TAP_EQ_U64(acpi_rsdp_parse(p, 36, &r, &err), ACPI_OK, "rsdp parse: v2");
    TAP_EQ_U64(acpi_rsdp_parse(p, 19, &r, &err), ACPI_E_TRUNCATED,
               "rsdp parse: 19 bytes");
    TAP_EQ_U64(acpi_rsdp_parse(p, 30, &r, &err), ACPI_E_TRUNCATED,
               "rsdp parse: v2 in 30 bytes");
    TAP_EQ_U64(err.offset, 20, "rsdp parse: at the length field");
    p[24] ^= 1;
    TAP_EQ_U64(acpi_rsdp_parse(p, 36, &r, &err), ACPI_E_CHECKSUM,
               "rsdp parse: extended checksum");
    TAP_EQ_U64(err.offset, 32, "rsdp parse: at the extended checksum");
    make_rsdp(p, 2, RSDT_AT, XSDT_AT);
    p[16] ^= 1;
    TAP_EQ_U64(acpi_rsdp_parse(p, 36, &r, &err), ACPI_E_CHECKSUM,
               "rsdp parse: first checksum");
    TAP_EQ_U64(err.offset, 8, "rsdp parse: at the checksum");
    make_rsdp(p, 2, RSDT_AT, XSDT_AT);
    put32(p + 20, 35);
    sum_fix(p, 20, 8);
    TAP_EQ_U64(acpi_rsdp_parse(p, 36, &r, &err), ACPI_E_LENGTH,
               "rsdp parse: length 35");
    put32(p + 20, 0x10000);
    sum_fix(p, 20, 8);
    TAP_EQ_U64(acpi_rsdp_parse(p, 64, &r, &err), ACPI_E_LENGTH,
               "rsdp parse: length 64 KiB");
    put32(p + 20, 48);
    sum_fix(p, 20, 8);
    TAP_EQ_U64(acpi_rsdp_parse(p, 40, &r, &err), ACPI_E_TRUNCATED,
               "rsdp parse: length past the buffer");
    memcpy(p, "RSD PTX ", 8);
    TAP_EQ_U64(acpi_rsdp_parse(p, 36, &r, &err), ACPI_E_SIGNATURE,
               "rsdp parse: signature");

    TAP_EQ_U64(acpi_rsdp_at(&ops, 0x12345000, &r, &err), ACPI_E_UNREACHABLE,
               "rsdp at: unreachable address");
    TAP_OK(err.offset == 0x12345000 && err.offset_is_phys,
           "rsdp at: error names the address");
    TAP_EQ_U64(acpi_rsdp_at(&ops, 0xfffffffffffffff0ull, &r, &err),
               ACPI_E_UNREACHABLE, "rsdp at: address that wraps");
}

/* ----------------------------------------------------- RSDT/XSDT walk */

static void test_root(void)
{
    struct acpi_rsdp r;
    struct acpi_error err;
    uint64_t e[ACPI_MAX_TABLES + 1];
    const void *t;
    uint32_t len = 0;
    unsigned i;

    reset_memory();
    e[0] = DMAR_AT;
    e[1] = MCFG_AT;
    e[2] = 0xdead0000;
    make_root(RSDT_AT, "RSDT", 4, e, 3);
    make_rsdp(at(0xf0000), 0, RSDT_AT, 0);
    TAP_EQ_U64(acpi_rsdp_find_bios(&ops, &r, &err), ACPI_OK,
               "root: RSDP found");
    TAP_EQ_U64(acpi_root_load(&ops, &r, &root, &err), ACPI_OK,
               "root: RSDT walked");
    TAP_OK(!root.xsdt, "root: revision 0 uses the RSDT");
    TAP_EQ_U64(root.count, 3, "root: three entries");
    TAP_EQ_STR(root.tables[0].signature, "DMAR", "root: DMAR first");
    TAP_EQ_U64(root.tables[0].length, 112, "root: its length");
    TAP_EQ_STR(root.tables[1].signature, "MCFG", "root: MCFG second");
    TAP_OK(!root.tables[2].reachable, "root: unreachable entry recorded");

    t = acpi_table_get(&ops, &root, "DMAR", 0, &len, &err);
    TAP_OK(t == at(DMAR_AT), "root: DMAR mapped");
    TAP_EQ_U64(len, 112, "root: DMAR length");
    TAP_EQ_U64(dmar_parse(t, len, &d, &err), ACPI_OK,
               "root: the DMAR found parses");
    TAP_EQ_U64(d.s[0].base, 0xfed90000, "root: DRHD base 0xfed90000");
    {
        /* The firmware's question for edu at 00:01.0 (-nodefaults). */
        struct sim_pci pci = { 0 };
        struct dmar_pci_ops pops = { sim_bridge_buses, &pci };
        int u, sc;

        TAP_EQ_U64(dmar_resolve(&d, &pops, &err), ACPI_OK,
                   "root: scopes resolve");
        u = dmar_find_drhd(&d, 0, 0, 1, 0, &sc);
        TAP_OK(u == 0 && sc >= 0 && d.s[u].base == 0xfed90000 &&
                   dmar_scope_sid(&d.scope[sc]) == 0x0008,
               "root: edu 00:01.0 -> DRHD 0xfed90000, source-id 0x0008");
    }
    TAP_OK(acpi_table_get(&ops, &root, "DMAR", 1, &len, &err) == NULL &&
               err.code == ACPI_E_NOT_FOUND,
           "root: no second DMAR");
    TAP_OK(acpi_table_get(&ops, &root, "APIC", 0, &len, &err) == NULL &&
               err.code == ACPI_E_NOT_FOUND,
           "root: no APIC");
    TAP_OK(acpi_table_get(&ops, &root, "DM", 0, &len, &err) == NULL &&
               err.code == ACPI_E_NOT_FOUND,
           "root: a short signature matches "
           "nothing");

    ob.len = 0;
    acpi_root_dump(&out, &root);
    TAP_OK(strstr(ob.text, "RSDT @0x7fe0000, 3 tables") &&
               strstr(ob.text, "DMAR @0x07fe1000 len 0x70") &&
               strstr(ob.text, "???? @0xdead0000 (unreachable)"),
           "root: dump lists the tables");
    if (!strstr(ob.text, "len 0x70"))
        tap_diag("%s", ob.text);

    /* A DMAR whose checksum broke after the walk. */
    at(DMAR_AT)[20] ^= 0xff;
    TAP_OK(acpi_table_get(&ops, &root, "DMAR", 0, &len, &err) == NULL &&
               err.code == ACPI_E_CHECKSUM,
           "root: bad DMAR checksum reported");
    at(DMAR_AT)[20] ^= 0xff;

    /* Revision 2: the XSDT is preferred, 64-bit entries. */
    e[0] = MCFG_AT;
    e[1] = DMAR_AT;
    make_root(XSDT_AT, "XSDT", 8, e, 2);
    make_rsdp(at(0xf0000), 2, RSDT_AT, XSDT_AT);
    acpi_rsdp_find_bios(&ops, &r, &err);
    TAP_EQ_U64(acpi_root_load(&ops, &r, &root, &err), ACPI_OK,
               "root: XSDT walked");
    TAP_OK(root.xsdt && root.count == 2, "root: XSDT used, two entries");
    TAP_OK(acpi_table_get(&ops, &root, "DMAR", 0, &len, &err) == at(DMAR_AT),
           "root: DMAR through the XSDT");

    /* Broken root tables. */
    at(XSDT_AT)[9] ^= 1;
    TAP_EQ_U64(acpi_root_load(&ops, &r, &root, &err), ACPI_E_CHECKSUM,
               "root: XSDT checksum");
    TAP_OK(err.table && strcmp(err.table, "XSDT") == 0, "root: named XSDT");
    make_root(XSDT_AT, "XSDT", 8, e, 2);
    put32(at(XSDT_AT) + 4, 36 + 12);
    sum_fix(at(XSDT_AT), 36 + 12, 9);
    TAP_EQ_U64(acpi_root_load(&ops, &r, &root, &err), ACPI_E_LENGTH,
               "root: XSDT of 1.5 entries");
    put32(at(XSDT_AT) + 4, 35);
    TAP_EQ_U64(acpi_root_load(&ops, &r, &root, &err), ACPI_E_LENGTH,
               "root: XSDT length 35");
    put32(at(XSDT_AT) + 4, 0x7fffffff);
    TAP_EQ_U64(acpi_root_load(&ops, &r, &root, &err), ACPI_E_LENGTH,
               "root: XSDT length 2 GiB");
    put32(at(XSDT_AT) + 4, 0x20000);
    TAP_EQ_U64(acpi_root_load(&ops, &r, &root, &err), ACPI_E_UNREACHABLE,
               "root: XSDT length past mapped memory");
    make_root(XSDT_AT, "RSDT", 8, e, 2);
    TAP_EQ_U64(acpi_root_load(&ops, &r, &root, &err), ACPI_E_SIGNATURE,
               "root: XSDT with the wrong signature");
    make_rsdp(at(0xf0000), 2, RSDT_AT, 0x4000000000ull);
    acpi_rsdp_find_bios(&ops, &r, &err);
    TAP_EQ_U64(acpi_root_load(&ops, &r, &root, &err), ACPI_E_UNREACHABLE,
               "root: XSDT above reachable memory");
    make_rsdp(at(0xf0000), 0, 0, 0);
    acpi_rsdp_find_bios(&ops, &r, &err);
    TAP_EQ_U64(acpi_root_load(&ops, &r, &root, &err), ACPI_E_FIELD,
               "root: RSDT address 0");

    for (i = 0; i < ACPI_MAX_TABLES + 1; i++)
        e[i] = DMAR_AT;
    make_root(RSDT_AT, "RSDT", 4, e, ACPI_MAX_TABLES);
    make_rsdp(at(0xf0000), 0, RSDT_AT, 0);
    acpi_rsdp_find_bios(&ops, &r, &err);
    TAP_EQ_U64(acpi_root_load(&ops, &r, &root, &err), ACPI_OK,
               "root: %u entries fit", ACPI_MAX_TABLES);
    TAP_OK(acpi_table_get(&ops, &root, "DMAR", ACPI_MAX_TABLES - 1, &len,
                          &err) != NULL,
           "root: the last instance found");
    make_root(RSDT_AT, "RSDT", 4, e, ACPI_MAX_TABLES + 1);
    TAP_EQ_U64(acpi_root_load(&ops, &r, &root, &err), ACPI_E_TOO_MANY,
               "root: %u entries are too many", ACPI_MAX_TABLES + 1);

    /* An entry whose header claims a huge length. */
    e[0] = DMAR_AT;
    make_root(RSDT_AT, "RSDT", 4, e, 1);
    acpi_root_load(&ops, &r, &root, &err);
    put32(at(DMAR_AT) + 4, 0x40000000);
    acpi_root_load(&ops, &r, &root, &err);
    TAP_OK(acpi_table_get(&ops, &root, "DMAR", 0, &len, &err) == NULL &&
               err.code == ACPI_E_LENGTH,
           "root: table length 1 GiB refused");
    put32(at(DMAR_AT) + 4, 0x10000);
    acpi_root_load(&ops, &r, &root, &err);
    TAP_OK(acpi_table_get(&ops, &root, "DMAR", 0, &len, &err) == NULL &&
               err.code == ACPI_E_UNREACHABLE,
           "root: table length past mapped memory refused");
}

/* ----------------------------------------------------------------- MCFG */

static void test_mcfg(void)
{
    const struct acpi_test_table *q = table("mcfg-qemu");
    const struct acpi_test_table *two = table("mcfg-two");
    struct acpi_mcfg m;
    struct acpi_error err;
    uint8_t b[512];
    unsigned i;

    TAP_EQ_U64(acpi_mcfg_parse(q->data, q->len, &m, &err), ACPI_OK,
               "mcfg: QEMU's parses");
    TAP_EQ_U64(m.count, 1, "mcfg: one allocation");
    TAP_EQ_U64(m.entry[0].base, 0xb0000000, "mcfg: ECAM at 0xb0000000");
    TAP_EQ_U64(m.entry[0].segment, 0, "mcfg: segment 0");
    TAP_EQ_U64(m.entry[0].bus_start << 8 | m.entry[0].bus_end, 0x00ff,
               "mcfg: buses 0-255");
    TAP_EQ_U64(acpi_mcfg_parse(two->data, two->len, &m, &err), ACPI_OK,
               "mcfg: two segments parse");
    TAP_EQ_U64(m.count, 2, "mcfg: two allocations");
    TAP_EQ_U64(m.entry[1].base, 0x4000000000ull, "mcfg: second base");
    TAP_EQ_U64(m.entry[1].segment, 1, "mcfg: second segment");
    TAP_EQ_U64(m.entry[1].bus_start, 0x80, "mcfg: second start bus");
    ob.len = 0;
    acpi_mcfg_dump(&out, &m);
    TAP_EQ_STR(ob.text,
               "MCFG: segment 0 buses 0x00-0x7f ECAM @0xe0000000\n"
               "MCFG: segment 1 buses 0x80-0xff ECAM @0x4000000000\n",
               "mcfg: dump");

    memcpy(b, two->data, two->len);
    b[44 + 16 + 10] = 0x90;
    b[44 + 16 + 11] = 0x8f;
    sum_fix(b, two->len, 9);
    TAP_EQ_U64(acpi_mcfg_parse(b, two->len, &m, &err), ACPI_E_FIELD,
               "mcfg: start bus above end bus");
    TAP_EQ_U64(err.offset, 44 + 16 + 10, "mcfg: at the start bus");
    memcpy(b, two->data, two->len);
    b[44 + 2] = 0x01;
    sum_fix(b, two->len, 9);
    TAP_EQ_U64(acpi_mcfg_parse(b, two->len, &m, &err), ACPI_E_FIELD,
               "mcfg: base not 1 MiB aligned");
    memcpy(b, two->data, two->len);
    put32(b + 4, (uint32_t)two->len - 4);
    sum_fix(b, two->len - 4, 9);
    TAP_EQ_U64(acpi_mcfg_parse(b, two->len, &m, &err), ACPI_E_LENGTH,
               "mcfg: partial allocation entry");
    put32(b + 4, 40);
    sum_fix(b, 40, 9);
    TAP_EQ_U64(acpi_mcfg_parse(b, two->len, &m, &err), ACPI_E_LENGTH,
               "mcfg: shorter than 44");
    TAP_EQ_U64(acpi_mcfg_parse(two->data, two->len - 1, &m, &err),
               ACPI_E_TRUNCATED, "mcfg: buffer one short");
    TAP_EQ_U64(acpi_mcfg_parse(table("qemu-default")->data, 112, &m, &err),
               ACPI_E_SIGNATURE, "mcfg: a DMAR is not an MCFG");

    memset(b, 0, sizeof(b));
    memcpy(b, q->data, 44);
    for (i = 0; i < ACPI_MCFG_MAX + 1; i++) {
        put64(b + 44 + 16 * i, 0xb0000000ull + ((uint64_t)i << 28));
        b[44 + 16 * i + 8] = (uint8_t)i;
        b[44 + 16 * i + 11] = 0xff;
    }
    put32(b + 4, 44 + 16 * ACPI_MCFG_MAX);
    sum_fix(b, 44 + 16 * ACPI_MCFG_MAX, 9);
    TAP_EQ_U64(acpi_mcfg_parse(b, sizeof(b), &m, &err), ACPI_OK,
               "mcfg: %u allocations fit", ACPI_MCFG_MAX);
    put32(b + 4, 44 + 16 * (ACPI_MCFG_MAX + 1));
    sum_fix(b, 44 + 16 * (ACPI_MCFG_MAX + 1), 9);
    TAP_EQ_U64(acpi_mcfg_parse(b, sizeof(b), &m, &err), ACPI_E_TOO_MANY,
               "mcfg: %u allocations are too many", ACPI_MCFG_MAX + 1);
}

/* A MADT as q35's: a local APIC, I/O APIC 0 at 0xFEC00000 from GSI 0,
 * ISA IRQ 0 on GSI 2 and IRQ 9 level (on GSI 9). */
static size_t make_madt(uint8_t *b)
{
    static const uint8_t entries[] = {
        0, 8,  0, 0, 1,    0,    0,    0,                   /* local APIC */
        1, 12, 0, 0, 0x00, 0x00, 0xC0, 0xFE, 0,    0, 0, 0, /* I/O APIC */
        2, 10, 0, 0, 2,    0,    0,    0,    0,    0,       /* IRQ 0: GSI 2 */
        2, 10, 0, 9, 9,    0,    0,    0,    0x0D, 0,       /* IRQ 9 */
    };
    size_t len = 44 + sizeof(entries);

    memset(b, 0, len);
    memcpy(b, "APIC", 4);
    put32(b + 4, (uint32_t)len);
    b[8] = 3;
    put32(b + 36, 0xFEE00000);
    put32(b + 40, 1);
    memcpy(b + 44, entries, sizeof(entries));
    sum_fix(b, len, 9);
    return len;
}

static void test_madt(void)
{
    struct acpi_madt m;
    struct acpi_error err;
    uint8_t b[128];
    size_t len = make_madt(b);

    TAP_EQ_U64(acpi_madt_parse(b, len, &m, &err), ACPI_OK, "madt: parses");
    TAP_EQ_U64(m.nr_ioapic, 1, "madt: one I/O APIC");
    TAP_EQ_U64(m.ioapic[0].addr, 0xFEC00000, "madt: I/O APIC address");
    TAP_EQ_U64(m.ioapic[0].gsi_base, 0, "madt: I/O APIC GSI base");
    TAP_EQ_U64(m.isa_gsi[0], 2, "madt: ISA IRQ 0 on GSI 2");
    TAP_EQ_U64(m.isa_gsi[1], 1, "madt: ISA IRQ 1 on GSI 1 (no override)");
    TAP_EQ_U64(m.isa_gsi[9], 9, "madt: ISA IRQ 9 on GSI 9");
    b[44 + 8 + 1] = 8;
    sum_fix(b, len, 9);
    TAP_EQ_U64(acpi_madt_parse(b, len, &m, &err), ACPI_E_LENGTH,
               "madt: I/O APIC structure of 8 bytes");
    len = make_madt(b);
    b[44 + 8 + 12 + 10 + 1] = 40;
    sum_fix(b, len, 9);
    TAP_EQ_U64(acpi_madt_parse(b, len, &m, &err), ACPI_E_LENGTH,
               "madt: a structure running past the table");
    len = make_madt(b);
    b[44 + 1] = 0;
    sum_fix(b, len, 9);
    TAP_EQ_U64(acpi_madt_parse(b, len, &m, &err), ACPI_E_LENGTH,
               "madt: a structure of length 0");
    len = make_madt(b);
    TAP_EQ_U64(acpi_madt_parse(b, len - 1, &m, &err), ACPI_E_TRUNCATED,
               "madt: buffer one short");
}

static void test_table_check(void)
{
    const struct acpi_test_table *t = table("qemu-iotlb");
    struct acpi_header h;
    struct acpi_error err;

    TAP_EQ_U64(acpi_table_check(t->data, t->len, NULL, 0, &h, &err), ACPI_OK,
               "check: any signature");
    TAP_EQ_STR(h.signature, "DMAR", "check: header signature");
    TAP_EQ_U64(h.length, 120, "check: header length");
    TAP_EQ_STR(h.oem_table_id, "BXPC    ", "check: OEM table id");
    TAP_EQ_U64(acpi_table_check(t->data, t->len, "DMAR", 121, &h, &err),
               ACPI_E_LENGTH, "check: below the caller's minimum");
    TAP_EQ_U64(acpi_table_check(NULL, 100, "DMAR", 0, &h, &err),
               ACPI_E_TRUNCATED, "check: NULL buffer");
}

int main(void)
{
    test_rsdp_search();
    test_rsdp_parse();
    test_root();
    test_mcfg();
    test_madt();
    test_table_check();
    return tap_done();
}
