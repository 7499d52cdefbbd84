/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/acpi/test_dmar.c — dmar_parse, scope resolution, the DRHD query and
 * the dump, over iasl-compiled tables (tests/acpi/tables/) and malformed
 * variants of them.
 */
#include "tests/acpi/testutil.h"
#include "tests/host/tap.h"

static struct dmar d;
static struct outbuf ob;

static const struct acpi_out out = { outbuf_write, &ob };

static void fix_checksum(uint8_t *t, size_t len)
{
    uint32_t tlen = (uint32_t)t[4] | t[5] << 8 | t[6] << 16 |
                    (uint32_t)t[7] << 24;

    if (tlen > len)
        tlen = (uint32_t)len;
    t[9] = 0;
    t[9] = (uint8_t)(0x100 - acpi_checksum(t, tlen));
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

/* ------------------------------------------------------ good tables */

static void test_qemu_default(void)
{
    const struct acpi_test_table *t = table("qemu-default");
    struct acpi_error err = { 0 };
    struct sim_pci pci = { 0 };
    struct dmar_pci_ops ops = { sim_bridge_buses, &pci };
    int sidx = -2, u;

    TAP_EQ_U64(dmar_parse(t->data, t->len, &d, &err), ACPI_OK,
               "qemu-default: parses");
    TAP_EQ_U64(d.haw, 0x26, "qemu-default: HAW 0x26 (39-bit)");
    TAP_EQ_U64(d.flags, DMAR_F_INTR_REMAP, "qemu-default: INTR_REMAP");
    TAP_EQ_U64(d.count, 1, "qemu-default: one structure");
    TAP_EQ_U64(d.drhd_count, 1, "qemu-default: one DRHD");
    TAP_EQ_U64(d.s[0].type, DMAR_DRHD, "qemu-default: it is a DRHD");
    TAP_EQ_U64(d.s[0].base, 0xfed90000, "qemu-default: base 0xfed90000");
    TAP_EQ_U64(d.s[0].flags, 0, "qemu-default: INCLUDE_PCI_ALL clear");
    TAP_EQ_U64(d.s[0].segment, 0, "qemu-default: segment 0");
    TAP_EQ_U64(d.s[0].scope_count, 6, "qemu-default: six scopes");
    TAP_EQ_U64(d.warning_count, 0, "qemu-default: no warnings");
    TAP_EQ_STR(d.hdr.oem_id, "BOCHS ", "qemu-default: OEM id");

    TAP_EQ_U64(dmar_find_drhd(&d, 0, 0, 1, 0, NULL), -1,
               "qemu-default: nothing matches before resolution");
    TAP_EQ_U64(dmar_resolve(&d, &ops, &err), ACPI_OK,
               "qemu-default: every scope resolves");
    TAP_EQ_U64(pci.calls, 0,
               "qemu-default: single-pair paths read no "
               "bridge");
    TAP_EQ_U64(d.scope[0].type, DMAR_SCOPE_IOAPIC,
               "qemu-default: IOAPIC "
               "scope first");
    TAP_EQ_U64(dmar_scope_sid(&d.scope[0]), 0xff00,
               "qemu-default: IOAPIC source-id 0xff00");
    TAP_EQ_U64(dmar_scope_sid(&d.scope[2]), 0x0008,
               "qemu-default: edu 00:01.0 source-id 0x0008");
    u = dmar_find_drhd(&d, 0, 0, 1, 0, &sidx);
    TAP_EQ_U64(u, 0, "qemu-default: edu 00:01.0 is covered by DRHD 0");
    TAP_EQ_U64(sidx, 2, "qemu-default: through scope 2");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 0, 0x1f, 3, NULL), 0,
               "qemu-default: SMBus 00:1f.3 covered");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 0, 5, 0, &sidx), -1,
               "qemu-default: unlisted 00:05.0 is not covered");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 1, 1, 0, NULL), -1,
               "qemu-default: 01:01.0 is not covered");
    TAP_EQ_U64(dmar_find_drhd(&d, 1, 0, 1, 0, NULL), -1,
               "qemu-default: segment 1 is not covered");
    TAP_OK(dmar_drhd(&d, 0) == &d.s[0] && dmar_drhd(&d, 1) == NULL,
           "qemu-default: dmar_drhd indexes DRHDs");

    ob.len = 0;
    dmar_dump(&out, &d);
    TAP_OK(strstr(ob.text, "DRHD segment 0 base 0xfed90000 flags 0x00") != 0,
           "qemu-default: dump names the DRHD");
    TAP_OK(strstr(ob.text, "scope +0x50 endpoint path 00:01.0 -> 00:01.0 "
                           "sid 0x0008") != 0,
           "qemu-default: dump shows edu's scope and source-id");
    TAP_OK(strstr(ob.text, "ioapic id 0 path ff:00.0 -> ff:00.0 sid "
                           "0xff00") != 0,
           "qemu-default: dump shows the IOAPIC scope");
    TAP_OK(strstr(ob.text, "host address width 39") != 0,
           "qemu-default: dump shows the address width");
    if (!strstr(ob.text, "sid 0x0008"))
        tap_diag("%s", ob.text);
}

static void test_qemu_iotlb(void)
{
    const struct acpi_test_table *t = table("qemu-iotlb");
    struct acpi_error err = { 0 };

    TAP_EQ_U64(dmar_parse(t->data, t->len, &d, &err), ACPI_OK,
               "qemu-iotlb: parses");
    TAP_EQ_U64(d.count, 2, "qemu-iotlb: DRHD and ATSR");
    TAP_EQ_U64(d.s[1].type, DMAR_ATSR, "qemu-iotlb: second is an ATSR");
    TAP_EQ_U64(d.s[1].flags, DMAR_ATSR_ALL_PORTS, "qemu-iotlb: ALL_PORTS");
    TAP_EQ_U64(d.s[1].scope_count, 0, "qemu-iotlb: ATSR has no scopes");
    TAP_EQ_U64(d.s[1].offset, 112, "qemu-iotlb: ATSR at +0x70");
    ob.len = 0;
    dmar_dump(&out, &d);
    TAP_OK(strstr(ob.text, "ATSR segment 0 flags 0x01 ALL_PORTS") != 0,
           "qemu-iotlb: dump names ALL_PORTS");
}

static void test_qemu_rootport(void)
{
    const struct acpi_test_table *t = table("qemu-rootport");
    struct acpi_error err = { 0 };
    struct sim_pci pci = { 0 };
    struct dmar_pci_ops ops = { sim_bridge_buses, &pci };
    int sidx = -2;

    sim_add(&pci, 0, 0, 1, 0, 1, 1);
    TAP_EQ_U64(dmar_parse(t->data, t->len, &d, &err), ACPI_OK,
               "qemu-rootport: parses");
    TAP_EQ_U64(d.flags, DMAR_F_INTR_REMAP, "qemu-rootport: INTR_REMAP");
    TAP_EQ_U64(d.haw + 1, 48, "qemu-rootport: 48-bit address width");
    TAP_EQ_U64(d.scope[2].type, DMAR_SCOPE_BRIDGE,
               "qemu-rootport: root port scope is a sub-hierarchy");
    TAP_EQ_U64(dmar_resolve(&d, &ops, &err), ACPI_OK,
               "qemu-rootport: resolves");
    TAP_EQ_U64(d.scope[2].sec_bus, 1, "qemu-rootport: secondary bus 1");
    TAP_EQ_U64(d.scope[2].sub_bus, 1, "qemu-rootport: subordinate bus 1");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 1, 0, 0, &sidx), 0,
               "qemu-rootport: edu 01:00.0 covered through the root port");
    TAP_EQ_U64(sidx, 2, "qemu-rootport: by the sub-hierarchy scope");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 0, 1, 0, &sidx), 0,
               "qemu-rootport: the root port 00:01.0 itself is covered");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 2, 0, 0, NULL), -1,
               "qemu-rootport: bus 2 is outside the port's range");

    /* Without the bridge the sub-hierarchy scope cannot be resolved. */
    pci.count = 0;
    TAP_EQ_U64(dmar_resolve(&d, &ops, &err), ACPI_E_NOT_BRIDGE,
               "qemu-rootport: missing bridge reported");
    TAP_EQ_U64(err.offset, d.scope[2].offset + 6,
               "qemu-rootport: at the target pair of the scope");
    TAP_EQ_U64(d.scope[1].res, ACPI_OK,
               "qemu-rootport: the other scopes still resolve");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 1, 0, 0, NULL), -1,
               "qemu-rootport: unresolved scope covers nothing");
}

static void test_multi(void)
{
    const struct acpi_test_table *t = table("multi-unit");
    struct acpi_error err = { 0 };
    struct sim_pci pci = { 0 };
    struct dmar_pci_ops ops = { sim_bridge_buses, &pci };
    int sidx;

    sim_add(&pci, 0, 0, 0x1c, 0, 2, 4);
    sim_add(&pci, 0, 0, 0x1d, 0, 5, 7);
    sim_add(&pci, 0, 5, 0, 0, 6, 7);
    sim_add(&pci, 0, 0, 0x1c, 4, 8, 8);

    static uint8_t buf[512];

    /* DRHD 3's size byte: register set of 2^1 pages. */
    memcpy(buf, t->data, t->len);
    buf[0x97] = 1;
    fix_checksum(buf, t->len);
    TAP_EQ_U64(dmar_parse(buf, t->len, &d, &err), ACPI_OK, "multi: parses");
    TAP_EQ_U64(d.flags, 7, "multi: INTR_REMAP|X2APIC_OPT_OUT|DMA_CTRL");
    TAP_EQ_U64(d.count, 8, "multi: eight structures");
    TAP_EQ_U64(d.drhd_count, 4, "multi: four DRHDs");
    TAP_EQ_U64(d.scope_count, 10, "multi: ten scopes");
    TAP_EQ_U64(d.warning_count, 0, "multi: no warnings");
    TAP_EQ_U64(d.s[2].flags, DMAR_DRHD_INCLUDE_PCI_ALL,
               "multi: DRHD 2 INCLUDE_PCI_ALL");
    TAP_EQ_U64(d.s[3].segment, 1, "multi: DRHD 3 on segment 1");
    TAP_EQ_U64(d.s[3].size, 1, "multi: DRHD 3 register set size field");
    TAP_EQ_U64(d.s[4].type, DMAR_RMRR, "multi: RMRR");
    TAP_EQ_U64(d.s[4].base, 0x7c000000, "multi: RMRR base");
    TAP_EQ_U64(d.s[4].limit, 0x7c7fffff, "multi: RMRR limit");
    TAP_EQ_U64(d.s[4].scope_count, 2, "multi: RMRR two endpoints");
    TAP_EQ_U64(d.s[5].type, DMAR_ATSR, "multi: ATSR");
    TAP_EQ_U64(d.s[5].flags, 0, "multi: ATSR not ALL_PORTS");
    TAP_EQ_U64(d.s[5].scope_count, 2, "multi: ATSR two root ports");
    TAP_EQ_U64(d.s[6].type, DMAR_RHSA, "multi: RHSA");
    TAP_EQ_U64(d.s[6].base, 0xfed91000, "multi: RHSA base");
    TAP_EQ_U64(d.s[6].proximity, 1, "multi: RHSA proximity domain");
    TAP_EQ_U64(d.s[7].type, DMAR_ANDD, "multi: ANDD");
    TAP_EQ_U64(d.s[7].andd_number, 1, "multi: ANDD number");
    TAP_EQ_STR(d.s[7].andd_name, "\\_SB.PCI0.I2C0", "multi: ANDD name");
    TAP_EQ_U64(d.scope[2].path_len, 2, "multi: two-level path");

    TAP_EQ_U64(dmar_resolve(&d, &ops, &err), ACPI_OK, "multi: resolves");
    TAP_EQ_U64(dmar_scope_sid(&d.scope[2]), 0x0500,
               "multi: 1d.0/00.0 resolves to 05:00.0");
    TAP_EQ_U64(d.scope[2].sec_bus << 8 | d.scope[2].sub_bus, 0x0607,
               "multi: its range is 06-07");
    TAP_EQ_U64(dmar_scope_sid(&d.scope[3]), 0xf0f8,
               "multi: IOAPIC id 8 source-id f0:1f.0");
    TAP_EQ_U64(d.scope[3].enum_id, 8, "multi: IOAPIC enumeration id");
    TAP_EQ_U64(dmar_scope_sid(&d.scope[4]), 0x00ff, "multi: HPET sid");
    TAP_EQ_U64(dmar_find_scope(&d, DMAR_SCOPE_IOAPIC, 8), 3,
               "multi: IOAPIC 8 found by its id");
    TAP_EQ_U64(dmar_find_scope(&d, DMAR_SCOPE_IOAPIC, 0), -1,
               "multi: no IOAPIC 0");
    TAP_EQ_U64(dmar_find_scope(&d, DMAR_SCOPE_ACPI, 1), 5,
               "multi: ACPI device 1 found by its number");
    TAP_EQ_U64(dmar_scope_sid(&d.scope[5]), 0x00aa, "multi: ANDD sid");

    TAP_EQ_U64(dmar_find_drhd(&d, 0, 0, 2, 0, &sidx), 0,
               "multi: GPU 00:02.0 -> DRHD 0");
    TAP_EQ_U64(sidx, 0, "multi: by its endpoint scope");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 3, 0, 0, &sidx), 1,
               "multi: 03:00.0 (below 1c.0) -> DRHD 1");
    TAP_EQ_U64(sidx, 1, "multi: by the 1c.0 sub-hierarchy");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 0, 0x1c, 0, NULL), 1,
               "multi: root port 00:1c.0 itself -> DRHD 1");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 7, 3, 1, &sidx), 1,
               "multi: 07:03.1 (below 05:00.0) -> DRHD 1");
    TAP_EQ_U64(sidx, 2, "multi: by the two-level scope");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 5, 0, 0, NULL), 1,
               "multi: bridge 05:00.0 itself -> DRHD 1");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 0, 0x1d, 0, &sidx), 2,
               "multi: 00:1d.0 (above the scope) -> INCLUDE_PCI_ALL");
    TAP_EQ_U64(sidx, -1, "multi: by INCLUDE_PCI_ALL, no scope");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 5, 1, 0, NULL), 2,
               "multi: 05:01.0 (bus 5, not below 05:00.0) -> catch-all");
    TAP_EQ_U64(dmar_find_drhd(&d, 0, 0, 0x14, 0, NULL), 2,
               "multi: USB 00:14.0 (RMRR scope only) -> catch-all");
    TAP_EQ_U64(dmar_find_drhd(&d, 1, 0x80, 0, 0, NULL), 3,
               "multi: segment 1 -> its own catch-all");
    TAP_EQ_U64(dmar_find_drhd(&d, 2, 0, 0, 0, NULL), -1,
               "multi: segment 2 -> none");

    ob.len = 0;
    dmar_dump(&out, &d);
    TAP_OK(strstr(ob.text, "flags 0x07 INTR_REMAP X2APIC_OPT_OUT "
                           "DMA_CTRL_PLATFORM_OPT_IN") &&
               strstr(ob.text, "INCLUDE_PCI_ALL size 2^1 pages") &&
               strstr(ob.text, "RMRR segment 0 0x7c000000-0x7c7fffff") &&
               strstr(ob.text, "RHSA base 0xfed91000 proximity domain 1") &&
               strstr(ob.text, "ANDD device 1 \"\\_SB.PCI0.I2C0\"") &&
               strstr(ob.text, "hpet id 0") &&
               strstr(ob.text, "bridge path 00:1d.0/00.0 -> 05:00.0 sid 0x0500 "
                               "buses 06-07"),
           "multi: dump names every structure");
    if (!strstr(ob.text, "buses 06-07"))
        tap_diag("%s", ob.text);
}

static void test_satc_unknown(void)
{
    const struct acpi_test_table *t = table("satc-base");
    uint8_t buf[256];
    struct acpi_error err = { 0 };
    const uint32_t at = 72; /* the ATSR-shaped structure */

    TAP_OK(t->len <= sizeof(buf), "satc: base fits");
    memcpy(buf, t->data, t->len);
    TAP_EQ_U64(buf[at], DMAR_ATSR, "satc: base has the ATSR at +0x48");
    buf[at] = DMAR_SATC;
    fix_checksum(buf, t->len);
    TAP_EQ_U64(dmar_parse(buf, t->len, &d, &err), ACPI_OK, "satc: parses");
    TAP_EQ_U64(d.s[1].type, DMAR_SATC, "satc: type 5");
    TAP_EQ_U64(d.s[1].flags, DMAR_SATC_ATC_REQUIRED, "satc: ATC_REQUIRED");
    TAP_EQ_U64(d.s[1].scope_count, 2, "satc: two endpoint scopes");
    TAP_EQ_U64(d.scope[2].path[0][0], 0x11, "satc: second scope 00:11.0");
    TAP_EQ_U64(d.warning_count, 0, "satc: no warnings");

    buf[at] = 0x2a;
    fix_checksum(buf, t->len);
    TAP_EQ_U64(dmar_parse(buf, t->len, &d, &err), ACPI_OK,
               "unknown type: parse goes on");
    TAP_EQ_U64(d.count, 2, "unknown type: recorded");
    TAP_EQ_U64(d.unknown_count, 1, "unknown type: counted");
    TAP_EQ_U64(d.s[1].scope_count, 0, "unknown type: contents skipped");
    TAP_EQ_U64(d.warning_count, 1, "unknown type: one warning");
    TAP_EQ_U64(d.warning[0].offset, at, "unknown type: warning at +0x48");
    TAP_EQ_U64(d.warning[0].value, 0x2a, "unknown type: names the type");

    /* An unknown type after a known one, with a too-small length. */
    put16(buf + at + 2, 2);
    fix_checksum(buf, t->len);
    TAP_EQ_U64(dmar_parse(buf, t->len, &d, &err), ACPI_E_LENGTH,
               "unknown type with length 2: error, not a loop");
    TAP_EQ_U64(err.offset, at + 2, "unknown type with length 2: offset");

    /* Scope type 7 (reserved) in a DRHD: warned, kept. */
    memcpy(buf, t->data, t->len);
    buf[64] = 7;
    fix_checksum(buf, t->len);
    TAP_EQ_U64(dmar_parse(buf, t->len, &d, &err), ACPI_OK,
               "reserved scope type: not fatal");
    /* The base itself has three (ATSR with ALL_PORTS and scopes, which
     * are endpoints): this one comes first. */
    TAP_EQ_U64(d.warning_count, 4, "reserved scope type: warned");
    TAP_EQ_U64(d.warning[0].offset, 64, "reserved scope type: offset");
}

/* ------------------------------------------------------ path resolution */

static void test_deep_path(void)
{
    const struct acpi_test_table *t = table("deep-path");
    struct acpi_error err = { 0 };
    struct sim_pci pci = { 0 };
    struct dmar_pci_ops ops = { sim_bridge_buses, &pci };
    unsigned i;

    TAP_EQ_U64(dmar_parse(t->data, t->len, &d, &err), ACPI_OK, "deep: parses");
    TAP_EQ_U64(d.scope[0].path_len, 10, "deep: ten pairs");
    for (i = 0; i < 9; i++)
        sim_add(&pci, 0, (uint8_t)(i * 3), 0x1c, 0, (uint8_t)(i * 3 + 3), 0xff);
    TAP_EQ_U64(dmar_resolve(&d, &ops, &err), ACPI_OK,
               "deep: resolves through nine bridges");
    TAP_EQ_U64(dmar_scope_sid(&d.scope[0]), 27 << 8, "deep: target 1b:00.0");
    TAP_EQ_U64(pci.calls, 9, "deep: one bridge read per level");

    /* A bridge that points back at its own bus. */
    pci.b[4].sec = pci.b[4].bus;
    pci.calls = 0;
    TAP_EQ_U64(dmar_resolve(&d, &ops, &err), ACPI_E_LOOP,
               "deep: bridge pointing at its own bus is a loop");
    TAP_EQ_U64(err.offset, d.scope[0].offset + 6 + 2 * 4,
               "deep: error at the fifth pair");
    TAP_EQ_U64(err.value, 12, "deep: names the secondary bus");
    TAP_OK(pci.calls <= 10, "deep: stopped there");

    /* Two bridges pointing at each other. */
    pci.count = 0;
    sim_add(&pci, 0, 0, 0x1c, 0, 1, 1);
    sim_add(&pci, 0, 1, 0x1c, 0, 0, 1);
    TAP_EQ_U64(dmar_resolve(&d, &ops, &err), ACPI_E_LOOP,
               "deep: bridges pointing at each other are a loop");
    TAP_EQ_U64(err.offset, d.scope[0].offset + 8, "deep: at the second pair");

    /* Every bus's 1c.0 is a bridge back to bus 0. */
    pci.count = 0;
    for (i = 0; i < 10; i++)
        sim_add(&pci, 0, (uint8_t)i, 0x1c, 0, 0, 0);
    TAP_EQ_U64(dmar_resolve(&d, &ops, &err), ACPI_E_LOOP,
               "deep: unconfigured bridge (secondary 0) is reported");

    /* Not a bridge at all. */
    pci.count = 0;
    TAP_EQ_U64(dmar_resolve(&d, &ops, &err), ACPI_E_NOT_BRIDGE,
               "deep: missing bridge is reported");
    TAP_EQ_U64(err.offset, d.scope[0].offset + 6, "deep: at the first pair");
    TAP_EQ_U64(d.scope[0].res, ACPI_E_NOT_BRIDGE,
               "deep: scope records its status");

    /* No callback at all. */
    TAP_EQ_U64(dmar_resolve(&d, NULL, &err), ACPI_E_NOT_BRIDGE,
               "deep: no PCI access, multi-level path unresolved");
    TAP_EQ_U64(dmar_resolve_scope(&d, 5, &ops, &err), ACPI_E_NOT_FOUND,
               "deep: resolving a scope that does not exist");
}

static void test_subhierarchy_range(void)
{
    const struct acpi_test_table *t = table("qemu-rootport");
    struct acpi_error err = { 0 };
    struct sim_pci pci = { 0 };
    struct dmar_pci_ops ops = { sim_bridge_buses, &pci };

    dmar_parse(t->data, t->len, &d, &err);
    sim_add(&pci, 0, 0, 1, 0, 3, 2); /* subordinate < secondary */
    TAP_EQ_U64(dmar_resolve(&d, &ops, &err), ACPI_E_LOOP,
               "range: subordinate below secondary is reported");
    TAP_EQ_U64(err.value, 0x0302, "range: names both buses");
    pci.b[0].sec = 0;
    TAP_EQ_U64(dmar_resolve(&d, &ops, &err), ACPI_E_LOOP,
               "range: secondary bus 0 below a bus-0 port is reported");
}

/* --------------------------------------------------------- malformed */

struct bad_case {
    const char *name;
    const char *base;
    uint32_t at;   /* patch offset */
    uint8_t width; /* 0: no patch, 1, 2, 4 */
    uint32_t val;
    int32_t grow;    /* bytes added to (or cut from) the buffer */
    int32_t hdr_len; /* new header length, -1 keep */
    int fix;         /* recompute the checksum */
    enum acpi_status want;
    uint32_t want_off;
};

static const struct bad_case bad[] = {
    { "buffer of 20 bytes", "qemu-default", 0, 0, 0, -92, -1, 0,
      ACPI_E_TRUNCATED, 0 },
    { "wrong signature", "qemu-default", 3, 1, 'X', 0, -1, 1, ACPI_E_SIGNATURE,
      0 },
    { "bad checksum", "qemu-default", 9, 1, 0x55, 0, -1, 0, ACPI_E_CHECKSUM,
      9 },
    { "header length 47", "qemu-default", 0, 0, 0, 0, 47, 1, ACPI_E_LENGTH, 4 },
    { "header length past the buffer", "qemu-default", 0, 0, 0, 0, 0x100, 0,
      ACPI_E_TRUNCATED, 4 },
    { "header length 4 GiB-1", "qemu-default", 0, 0, 0, 0, -2, 0, ACPI_E_LENGTH,
      4 },
    { "table cut inside a scope", "qemu-default", 0, 0, 0, -3, 109, 1,
      ACPI_E_LENGTH, 50 },
    { "two stray bytes after the last structure", "qemu-default", 0, 0, 0, 2,
      114, 1, ACPI_E_TRUNCATED, 112 },
    { "DRHD length 0", "qemu-default", 50, 2, 0, 0, -1, 1, ACPI_E_LENGTH, 50 },
    { "DRHD length 3", "qemu-default", 50, 2, 3, 0, -1, 1, ACPI_E_LENGTH, 50 },
    { "DRHD length 12 (below its fixed 16)", "qemu-default", 50, 2, 12, 0, -1,
      1, ACPI_E_LENGTH, 50 },
    { "DRHD length past the table", "qemu-default", 50, 2, 0x48, 0, -1, 1,
      ACPI_E_LENGTH, 50 },
    { "DRHD register base 0", "qemu-default", 56, 4, 0, 0, -1, 1, ACPI_E_FIELD,
      56 },
    { "DRHD register base not page aligned", "qemu-default", 56, 4, 0xfed90010,
      0, -1, 1, ACPI_E_FIELD, 56 },
    { "scope length 0", "qemu-default", 65, 1, 0, 0, -1, 1, ACPI_E_LENGTH, 65 },
    { "scope length 3", "qemu-default", 65, 1, 3, 0, -1, 1, ACPI_E_LENGTH, 65 },
    { "scope with an empty path", "qemu-default", 65, 1, 6, 0, -1, 1,
      ACPI_E_LENGTH, 65 },
    { "scope path of odd length", "qemu-default", 65, 1, 7, 0, -1, 1,
      ACPI_E_LENGTH, 65 },
    { "scope length past its structure", "qemu-default", 105, 1, 0x20, 0, -1, 1,
      ACPI_E_LENGTH, 105 },
    { "scope header cut by its structure", "qemu-default", 50, 2, 0x3c, 0, -1,
      1, ACPI_E_TRUNCATED, 104 },
    { "path device 32", "qemu-default", 78, 1, 0x20, 0, -1, 1, ACPI_E_FIELD,
      78 },
    { "path function 8", "qemu-default", 79, 1, 8, 0, -1, 1, ACPI_E_FIELD, 78 },
    { "RMRR limit below base", "multi-unit", 0xb2, 4, 0x1000, 0, -1, 1,
      ACPI_E_FIELD, 0xb2 },
    { "RMRR length 20 (below its fixed 24)", "multi-unit", 0xa4, 2, 20, 0, -1,
      1, ACPI_E_LENGTH, 0xa4 },
    { "RHSA length 16 (below its fixed 20)", "multi-unit", 0xe4, 2, 16, 0, -1,
      1, ACPI_E_LENGTH, 0xe4 },
    { "ANDD name not terminated", "multi-unit", 0x10c, 1, 'X', 0, -1, 1,
      ACPI_E_FIELD, 0xfe },
    { "ANDD without a name", "multi-unit", 0xf8, 2, 8, -15, 0xfe, 1,
      ACPI_E_FIELD, 0xfe },
    { "ATSR scope length past the ATSR", "multi-unit", 0xdb, 1, 0x0a, 0, -1, 1,
      ACPI_E_LENGTH, 0xdb },
};

static void test_bad(void)
{
    static uint8_t buf[1024];
    const struct acpi_test_table *t;
    struct acpi_error err;
    unsigned i;
    size_t len;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const struct bad_case *c = &bad[i];

        t = table(c->base);
        memset(buf, 0, sizeof(buf));
        memcpy(buf, t->data, t->len);
        len = (size_t)((int64_t)t->len + c->grow);
        if (c->hdr_len == -2)
            put32(buf + 4, 0xffffffffu);
        else if (c->hdr_len >= 0)
            put32(buf + 4, (uint32_t)c->hdr_len);
        if (c->width == 1)
            buf[c->at] = (uint8_t)c->val;
        else if (c->width == 2)
            put16(buf + c->at, (uint16_t)c->val);
        else if (c->width == 4)
            put32(buf + c->at, c->val);
        if (c->fix)
            fix_checksum(buf, len);
        memset(&err, 0, sizeof(err));
        TAP_EQ_U64(dmar_parse(buf, len, &d, &err), c->want, "bad: %s: %s",
                   c->name, acpi_status_name(c->want));
        TAP_OK(err.offset == c->want_off && err.table &&
                   strcmp(err.table, "DMAR") == 0 && err.msg && err.msg[0],
               "bad: %s: DMAR +0x%x with a message", c->name, c->want_off);
        if (err.offset != c->want_off || err.code != c->want) {
            ob.len = 0;
            acpi_error_print(&out, "# got ", &err);
            printf("%s", ob.text);
        }
    }
}

/* Truncate a good table at every length: never OK, never out of bounds
 * (ASan watches the heap copy of exactly that size). */
static void test_every_truncation(void)
{
    const char *names[] = { "qemu-default", "multi-unit", "qemu-iotlb" };
    struct acpi_error err;
    unsigned i, j, bad_ok = 0;
    bool boundary[1024];
    size_t n;

    for (i = 0; i < 3; i++) {
        const struct acpi_test_table *t = table(names[i]);

        memset(boundary, 0, sizeof(boundary));
        dmar_parse(t->data, t->len, &d, &err);
        for (j = 0; j < d.count; j++)
            boundary[d.s[j].offset] = true;
        for (n = 0; n < t->len; n++) {
            uint8_t *b = malloc(n ? n : 1);

            memcpy(b, t->data, n);
            if (dmar_parse(b, n, &d, &err) == ACPI_OK)
                bad_ok++;
            /* and with the header length claiming exactly n */
            if (n >= 36) {
                put32(b + 4, (uint32_t)n);
                fix_checksum(b, n);
                if (dmar_parse(b, n, &d, &err) == ACPI_OK && !boundary[n])
                    bad_ok++; /* only structure boundaries parse */
            }
            free(b);
        }
    }
    TAP_EQ_U64(bad_ok, 0,
               "truncation: no cut table parses (except at "
               "structure boundaries)");
}

/* -------------------------------------------------------------- limits */

static size_t build_header(uint8_t *b)
{
    memset(b, 0, DMAR_HEADER_LEN);
    memcpy(b, "DMAR", 4);
    b[8] = 1;
    b[36] = 0x26;
    return DMAR_HEADER_LEN;
}

static void finish(uint8_t *b, size_t len)
{
    put32(b + 4, (uint32_t)len);
    fix_checksum(b, len);
}

static void test_limits(void)
{
    static uint8_t b[8192];
    struct acpi_error err;
    size_t len;
    unsigned i;

    /* DMAR_MAX_STRUCTS RHSAs fit, one more does not. */
    len = build_header(b);
    for (i = 0; i < DMAR_MAX_STRUCTS + 1; i++) {
        memset(b + len, 0, 20);
        put16(b + len, DMAR_RHSA);
        put16(b + len + 2, 20);
        len += 20;
        finish(b, len);
        if (i == DMAR_MAX_STRUCTS - 1)
            TAP_EQ_U64(dmar_parse(b, len, &d, &err), ACPI_OK,
                       "limits: %u structures fit", DMAR_MAX_STRUCTS);
    }
    TAP_EQ_U64(dmar_parse(b, len, &d, &err), ACPI_E_TOO_MANY,
               "limits: structure %u is too many", DMAR_MAX_STRUCTS + 1);
    TAP_EQ_U64(err.offset, len - 20, "limits: at the extra structure");

    /* One DRHD with DMAR_MAX_SCOPES + 1 scopes. */
    len = build_header(b);
    memset(b + len, 0, 16);
    put16(b + len, DMAR_DRHD);
    put32(b + len + 8, 0xfed90000);
    len += 16;
    for (i = 0; i < DMAR_MAX_SCOPES + 1; i++) {
        uint8_t sc[8] = { 1,
                          8,
                          0,
                          0,
                          0,
                          (uint8_t)(i / 256),
                          (uint8_t)(i / 8 % 32),
                          (uint8_t)(i % 8) };

        memcpy(b + len, sc, 8);
        len += 8;
    }
    put16(b + DMAR_HEADER_LEN + 2, (uint16_t)(len - DMAR_HEADER_LEN));
    finish(b, len);
    TAP_EQ_U64(dmar_parse(b, len, &d, &err), ACPI_E_TOO_MANY,
               "limits: scope %u is too many", DMAR_MAX_SCOPES + 1);
    TAP_EQ_U64(err.offset, len - 8, "limits: at the extra scope");
    TAP_EQ_U64(d.scope_count, DMAR_MAX_SCOPES, "limits: the others kept");

    /* A path of DMAR_MAX_PATH + 1 pairs. */
    len = build_header(b);
    memset(b + len, 0, 16 + 6 + 2 * (DMAR_MAX_PATH + 1));
    put16(b + len, DMAR_DRHD);
    put16(b + len + 2, 16 + 6 + 2 * (DMAR_MAX_PATH + 1));
    put32(b + len + 8, 0xfed90000);
    b[len + 16] = 1;
    b[len + 17] = 6 + 2 * (DMAR_MAX_PATH + 1);
    len += 16 + 6 + 2 * (DMAR_MAX_PATH + 1);
    finish(b, len);
    TAP_EQ_U64(dmar_parse(b, len, &d, &err), ACPI_E_TOO_MANY,
               "limits: path of %u pairs is too deep", DMAR_MAX_PATH + 1);
    TAP_EQ_U64(err.offset, DMAR_HEADER_LEN + 17, "limits: at its length");

    /* Only a header: valid, empty. */
    len = build_header(b);
    finish(b, len);
    TAP_EQ_U64(dmar_parse(b, len, &d, &err), ACPI_OK,
               "limits: header-only DMAR parses");
    TAP_EQ_U64(d.count, 0, "limits: with no structures");
}

/* ------------------------------------------------------------ warnings */

static void test_warnings(void)
{
    const struct acpi_test_table *t = table("multi-unit");
    uint8_t buf[512];
    struct acpi_error err;

    memcpy(buf, t->data, t->len);
    buf[0x34] = 1;    /* DRHD 0 catch-all: DRHD 1 and 2 follow it */
    buf[0xaa] = 0x10; /* RMRR base not 4 KiB aligned */
    buf[37] |= 0x80;  /* reserved DMAR flag */
    fix_checksum(buf, t->len);
    TAP_EQ_U64(dmar_parse(buf, t->len, &d, &err), ACPI_OK,
               "warnings: oddities are not fatal");
    TAP_EQ_U64(d.warning_count, 4, "warnings: four of them");
    TAP_EQ_U64(d.warning[2].offset, 0x6a, "warnings: and DRHD 2");
    TAP_EQ_U64(d.warning[0].offset, 37, "warnings: reserved flag at +0x25");
    TAP_EQ_U64(d.warning[1].offset, 0x48, "warnings: DRHD after catch-all");
    ob.len = 0;
    dmar_dump(&out, &d);
    TAP_OK(strstr(ob.text, "DMAR: warning: DMAR +0xaa: RMRR range is not "
                           "4 KiB aligned (value 0x7c000010) [bad field]"),
           "warnings: dumped with table, offset and value");
    if (!strstr(ob.text, "aligned"))
        tap_diag("%s", ob.text);
}

static void test_output(void)
{
    struct acpi_error err;
    uint8_t bytes[18];
    unsigned i;

    memset(&err, 0, sizeof(err));
    err.code = ACPI_E_LENGTH;
    err.table = "DMAR";
    err.offset = 0x41;
    err.msg = "device scope length below 6";
    err.has_value = true;
    err.value = 3;
    ob.len = 0;
    acpi_error_print(&out, "x: ", &err);
    TAP_EQ_STR(ob.text,
               "x: DMAR +0x41: device scope length below 6 "
               "(value 0x3) [bad length]\n",
               "output: error line");
    for (i = 0; i < sizeof(bytes); i++)
        bytes[i] = (uint8_t)(i * 17);
    ob.len = 0;
    acpi_hexdump(&out, "dmar-raw", bytes, sizeof(bytes));
    TAP_EQ_STR(ob.text,
               "dmar-raw 0x0000: 00 11 22 33 44 55 66 77 88 99 aa bb cc dd "
               "ee ff\ndmar-raw 0x0010: 10 21\n",
               "output: hexdump");
    TAP_EQ_STR(acpi_status_name(ACPI_E_COUNT_), "unknown status",
               "output: out-of-range status name");
    TAP_EQ_STR(dmar_type_name(9), "unknown", "output: unknown type name");
}

int main(void)
{
    test_qemu_default();
    test_qemu_iotlb();
    test_qemu_rootport();
    test_multi();
    test_satc_unknown();
    test_deep_path();
    test_subhierarchy_range();
    test_bad();
    test_every_truncation();
    test_limits();
    test_warnings();
    test_output();
    return tap_done();
}
