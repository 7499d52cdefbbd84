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
