/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/acpi.c — the remapping hardware found the way an operating
 * system finds it: RSDP, RSDT/XSDT, MCFG, DMAR; scopes resolved through
 * the real bridges to source-ids; the unit at the DRHD base answers; the
 * table agrees with the unit's capabilities.
 *
 * dump-dmar=1 on the command line adds the raw table as hex lines
 * ("# dmar-raw OOOO: xx ..."), which the iasl -d oracle reads back.
 */
#include "lib/edu.h"
#include "lib/pci.h"
#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/report.h"
#include "lib/test.h"
#include "engine/env.h"
#include "vtd/regs.h"

TEST(acpi, "acpi", "RSDP, MCFG and DMAR discovery; scopes to source-ids", 0)
{
    const struct env *env = env_get();
    char arg[4];

    if (!env->rsdp_found) {
        report(false, "RSDP found and root table walked (%s)",
               env->acpi_err.msg ? env->acpi_err.msg : "?");
        return;
    }
    report(true, "RSDP rev %u at 0x%lx, %s with %u tables",
           env->root.rsdp.revision, (unsigned long)env->root.rsdp.phys,
           env->root.xsdt ? "XSDT" : "RSDT", env->root.count);
    acpi_root_dump(&env_acpi_out, &env->root);

    if (env->mcfg_found) {
        acpi_mcfg_dump(&env_acpi_out, &env->mcfg);
        report(env->ecam, "PCI configuration through ECAM from MCFG");
        report(pci_count() > 0,
               "PCI enumeration through ECAM finds %u "
               "functions",
               pci_count());
    } else {
        report_skip("no MCFG table: PCI stays on port 0xCF8", "ECAM from MCFG");
    }

    if (!env->dmar_found) {
        report_skip(env->vtd_missing, "DMAR table present");
        return;
    }
    dmar_dump(&env_acpi_out, &env->dmar);
    if (cmdline_get(plat_cmdline(), "dump-dmar", arg, sizeof(arg)) &&
        arg[0] == '1')
        acpi_hexdump(&env_acpi_out, "dmar-raw", env->dmar_raw, env->dmar_len);

    report(env->dmar.drhd_count >= 1, "DMAR lists %u DRHD(s)",
           env->dmar.drhd_count);
    report(env->dmar.warning_count == 0,
           "DMAR parsed without warnings "
           "(%u)",
           env->dmar.warning_count);
    for (unsigned i = 0; i < env->dmar.scope_count; i++) {
        const struct dmar_scope *sc = &env->dmar.scope[i];

        report(sc->res == ACPI_OK,
               "scope %u (%s, start bus 0x%x) resolves "
               "(%s)",
               i, dmar_scope_type_name(sc->type), sc->start_bus,
               acpi_status_name(sc->res));
    }

    if (env->vtd_found) {
        uint32_t ver = plat_mmio_read32(env->vtd_base + VTD_VER);
        uint64_t cap = plat_mmio_read64(env->vtd_base + VTD_CAP);
        uint64_t ecap = plat_mmio_read64(env->vtd_base + VTD_ECAP);
        unsigned mgaw = (unsigned)FIELD_GET(VTD_CAP_MGAW, cap) + 1;

        report(ver != 0xFFFFFFFF && ver != 0,
               "DRHD base 0x%lx holds a unit (VER 0x%x)",
               (unsigned long)env->vtd_base, ver);
        report_info("DMAR HAW %u bits, CAP.MGAW %u bits", env->dmar.haw + 1u,
                    mgaw);
        report(!(env->dmar.flags & DMAR_F_INTR_REMAP) || (ecap & VTD_ECAP_IR),
               "DMAR INTR_REMAP flag (%u) implies ECAP.IR (%u)",
               env->dmar.flags & DMAR_F_INTR_REMAP ? 1 : 0,
               ecap & VTD_ECAP_IR ? 1 : 0);
    }

    /* Every edu device's source-id is covered by a DRHD. */
    for (unsigned i = 0; i < env->nr_edu; i++) {
        const struct pci_dev *d = env->edu[i].pci;
        int scope = -1;
        int idx = dmar_find_drhd(&env->dmar, 0, d->bus, d->dev, d->fn, &scope);

        report(idx >= 0,
               "edu %02x:%02x.%x (source-id 0x%04x) covered by "
               "DRHD %d via %s",
               d->bus, d->dev, d->fn, env->edu[i].sid, idx,
               scope >= 0 ? "an explicit scope"
               : idx >= 0 ? "INCLUDE_PCI_ALL"
                          : "nothing");
    }
}
