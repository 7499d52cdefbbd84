/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/engine.h — runs scenario scripts (tests/scenarios/README.md)
 * against a remapping unit and edu DMA engines.
 *
 * Freestanding and portable: the engine reaches hardware only through the
 * driver (vtd/), the edu driver and lib/platform.h, and is told what the
 * machine has (struct scn_machine) instead of discovering it. Results go
 * to lib/report.h, one TAP line per check, named
 * "SCENARIO: line N: STATEMENT".
 *
 *   scn_engine_init(&machine, &options);
 *   scn_run_builtin();          // the scripts built into the image
 *   scn_run_modules();          // and those given at boot
 *   scn_engine_finish();        // names selected but never found: ERROR
 */
#ifndef TESTS_ENGINE_ENGINE_H
#define TESTS_ENGINE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/edu.h"
#include "engine/parse.h"

struct scn_machine {
    uint64_t unit_base;               /* 0: no remapping unit */
    const char *no_unit;              /* why, when there is none */
    unsigned haw;                     /* host address width (DMAR.HAW
                                       * + 1); 0: the unit's MGAW */
    uint64_t unit_size;               /* bytes of register space (the
                                       * DRHD's Size); 0: 4 KiB */
    unsigned nr_edu;                  /* devices in scan order */
    struct edu *edu[SCN_MAX_DEVICES]; /* NULL: it did not initialise */
    const char *edu_err[SCN_MAX_DEVICES];
    /* Behind a host IOMMU (served over vfio-user, or VFIO-assigned):
     * its DMA never reaches this unit, so a blocked request records no
     * fault here; expect=fault holds when it was blocked instead (see
     * tests/scenarios/README.md, "Assigned devices"). */
    bool assigned[SCN_MAX_DEVICES];
    /* The I/O APIC the timer line (ISA IRQ 0) reaches, from the MADT
     * (0: none), the pin it reaches there, and the I/O APIC's source-id
     * from its DMAR scope (-1: none). */
    uint64_t ioapic_base;
    unsigned ioapic_timer_pin;
    int ioapic_sid;
};

struct scn_options {
    unsigned via;        /* the run's invalidation interface: SCN_VIA_REG
                          * (also for SCN_VIA_DEFAULT) or SCN_VIA_QI */
    const char *select;  /* "name,name": scenario or script names; NULL
                          * or "" runs everything */
    const char *cmdline; /* words key=value: `require arg NAME` holds
                          * when NAME=VALUE is there, VALUE not 0 */
    bool observe;        /* observe=1: no expectation is judged; every
                          * statement that would judge records what
                          * happened ("# observe: ..." lines) */
};

/* Take the machine and options (copied) and bring the unit up once. */
void scn_engine_init(const struct scn_machine *m, const struct scn_options *o);

/* Parse text[0..len) and run its selected scenarios. name (a file name)
 * is used in messages and for selection. Returns scenarios run. */
unsigned scn_run_script(const char *name, const char *text, size_t len);

/* Every built-in script, in name order; every boot module. */
unsigned scn_run_builtin(void);
unsigned scn_run_modules(void);

/* An ERROR for each selected name no scenario or script matched. */
void scn_engine_finish(void);

/*
 * One scenario run a statement at a time, for a hosted tool that makes
 * its statements as it goes (harness/shadow/): scn_begin sets the unit up
 * as for any scenario, with c's domains (c must outlive the run);
 * scn_step runs one statement, false when an ERROR (reported as usual)
 * ends the scenario; scn_end cleans up. No requirement is checked.
 */
struct vtd_domain;
bool scn_begin(const struct scn_scenario *c);
bool scn_step(const struct scn_stmt *st);
void scn_end(void);
/* Domain i of the scenario running, once its statement ran; else NULL. */
const struct vtd_domain *scn_domain(unsigned i);

#endif
