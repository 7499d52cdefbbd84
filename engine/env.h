/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/env.h — what the machine offers the suite: the remapping
 * unit(s) found through ACPI DMAR, the PCI hierarchy (through ECAM from
 * MCFG), and the DMA-capable test devices. Discovered once per run.
 */
#ifndef TESTS_GUEST_ENV_H
#define TESTS_GUEST_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "acpi/acpi.h"
#include "acpi/dmar.h"
#include "lib/edu.h"

struct env {
    /* ACPI */
    bool rsdp_found;
    struct acpi_root root;
    struct acpi_error acpi_err; /* the first thing that went wrong */
    bool mcfg_found;
    struct acpi_mcfg mcfg;
    bool ecam; /* PCI config access switched to ECAM */
    bool madt_found;
    struct acpi_madt madt;
    bool dmar_found;
    struct dmar dmar;
    const void *dmar_raw; /* the table as found, for dumps */
    uint32_t dmar_len;

    /* The remapping unit: the first DRHD of the DMAR table. */
    bool vtd_found;
    uint64_t vtd_base;
    uint16_t vtd_segment;
    const char *vtd_missing; /* why not, when !vtd_found */

    unsigned nr_edu;
    struct edu edu[EDU_MAX]; /* initialised (BAR mapped, bus master on) */
    int edu_err[EDU_MAX];    /* edu_init result per device */
    /* Functions behind a host IOMMU (a served or VFIO-assigned edu), as
     * the command line names them: assigned=BB:DD.F[,BB:DD.F...]. Their
     * DMA never reaches the remapping unit the guest sees; QEMU shadows
     * the guest's tables into the host's. */
    bool edu_assigned[EDU_MAX];
    const char *assigned_err; /* a word that names no edu, or NULL */
};

/* Discover (once) and return the environment. Never fails: what is missing
 * is recorded, and tests SKIP or ERROR on it with the reason. */
const struct env *env_get(void);

/* acpi_out that prints through vt_printf as TAP comments ("# ..."). */
extern const struct acpi_out env_acpi_out;

#endif
