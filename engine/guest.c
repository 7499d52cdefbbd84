/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/guest.c — the scenarios as a guest test: the machine as
 * engine/env.c found it, the built-in scripts, then every boot
 * module.
 *
 * Command line: scenario=NAME[,NAME...] runs only those scenarios (or
 * scripts, by file name); inv=qi runs every scenario with queued
 * invalidation unless it says otherwise; assigned=BB:DD.F[,...] names
 * the edu functions behind a host IOMMU (engine/env.h); observe=1
 * records what each statement met instead of judging it. The test
 * scenarios-qi is the same with queued invalidation by default, so both
 * can run in one boot.
 */
#include <string.h>

#include "lib/platform.h"
#include "lib/report.h"
#include "lib/test.h"
#include "engine/engine.h"
#include "engine/env.h"

/* The I/O APIC whose pins hold the timer's GSI, and its source-id. */
static void machine_ioapic(const struct env *e, struct scn_machine *m)
{
    uint32_t gsi = e->madt.isa_gsi[0];

    m->ioapic_sid = -1;
    for (unsigned i = 0; e->madt_found && i < e->madt.nr_ioapic; i++) {
        const struct acpi_madt_ioapic *io = &e->madt.ioapic[i];
        int sc;

        if (gsi < io->gsi_base || gsi - io->gsi_base >= 240)
            continue;
        m->ioapic_base = io->addr;
        m->ioapic_timer_pin = gsi - io->gsi_base;
        sc = e->dmar_found
                 ? dmar_find_scope(&e->dmar, DMAR_SCOPE_IOAPIC, io->id)
                 : -1;
        if (sc < 0)
            return;
        /* Resolved through bridges, or (an I/O APIC is no PCI function
         * the walk finds) the start bus and the path's one hop. */
        if (e->dmar.scope[sc].res == ACPI_OK)
            m->ioapic_sid = dmar_scope_sid(&e->dmar.scope[sc]);
        else if (e->dmar.scope[sc].path_len == 1)
            m->ioapic_sid = e->dmar.scope[sc].start_bus << 8 |
                            (e->dmar.scope[sc].path[0][0] & 0x1F) << 3 |
                            (e->dmar.scope[sc].path[0][1] & 7);
        return;
    }
}

static void run_scenarios(int via)
{
    const struct env *e = env_get();
    struct scn_machine m = { 0 };
    struct scn_options o = { .via = via, .cmdline = plat_cmdline() };
    static char select[256];
    char inv[8];

    if (e->vtd_found)
        m.unit_base = e->vtd_base;
    else
        m.no_unit = e->vtd_missing;
    if (e->dmar_found)
        m.haw = e->dmar.haw + 1u;
    /* The register set's size, from the DRHD that gave the base (8.3:
     * 2^Size pages). */
    for (unsigned i = 0; e->dmar_found && i < e->dmar.count; i++)
        if (e->dmar.s[i].type == DMAR_DRHD && e->dmar.s[i].base == e->vtd_base)
            m.unit_size = 4096ull << (e->dmar.s[i].size & 0xF);
    machine_ioapic(e, &m);
    m.nr_edu = e->nr_edu < SCN_MAX_DEVICES ? e->nr_edu : SCN_MAX_DEVICES;
    for (unsigned i = 0; i < m.nr_edu; i++) {
        if (e->edu_err[i]) {
            m.edu_err[i] = edu_strerror(e->edu_err[i]);
            continue;
        }
        /* env keeps the devices; DMA needs them writable. */
        m.edu[i] = (struct edu *)&e->edu[i];
        m.assigned[i] = e->edu_assigned[i];
    }
    if (e->assigned_err) {
        report_error("%s", e->assigned_err);
        return;
    }
    if (cmdline_get(plat_cmdline(), "inv", inv, sizeof(inv))) {
        if (!strcmp(inv, "qi")) {
            o.via = SCN_VIA_QI;
        } else if (strcmp(inv, "reg")) {
            report_error("inv=%s: expected inv=reg or inv=qi", inv);
            return;
        }
    }
    if (cmdline_get(plat_cmdline(), "scenario", select, sizeof(select)))
        o.select = select;
    if (cmdline_get(plat_cmdline(), "observe", inv, sizeof(inv)))
        o.observe = strcmp(inv, "0") != 0;
    scn_engine_init(&m, &o);
    scn_run_builtin();
    scn_run_modules();
    scn_engine_finish();
}

TEST(scenarios, "scenarios",
     "conformance scenarios: built-in scripts and "
     "boot modules",
     0)
{
    run_scenarios(SCN_VIA_REG);
}

TEST(scenarios_qi, "scenarios-qi",
     "the conformance scenarios, invalidating "
     "through the queue unless a scenario says otherwise",
     0)
{
    run_scenarios(SCN_VIA_QI);
}
