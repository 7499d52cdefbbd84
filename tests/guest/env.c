/*
 * tests/guest/env.c — discovery of the machine for the suite.
 */
#include <string.h>

#include "lib/pci.h"
#include "lib/platform.h"
#include "lib/test.h"
#include "tests/guest/env.h"

/* q35's fixed register base; used until ACPI DMAR discovery takes over. */
#define Q35_VTD_BASE    0xFED90000ull

static struct env env;
static bool done;

static void discover(void)
{
    char msi[8] = "on";
    uint32_t ver;

    /* msi=off: DMA completion by polling (for measuring what MSI saves). */
    cmdline_get(plat_cmdline(), "msi", msi, sizeof(msi));
    pci_enumerate(0);
    env.nr_edu = edu_find(env.edu, EDU_MAX);
    for (unsigned i = 0; i < env.nr_edu; i++) {
        env.edu_err[i] = edu_init(&env.edu[i]);
        /* Completion by MSI lets waits sleep; polling remains if not. */
        if (env.edu_err[i] == EDU_OK && strcmp(msi, "off"))
            edu_enable_msi(&env.edu[i]);
    }

    env.vtd_source = "q35 fixed base";
    if (plat_mmio_map(Q35_VTD_BASE, 0x1000) == 0) {
        ver = plat_mmio_read32(Q35_VTD_BASE);
        if (ver != 0xFFFFFFFF && ver != 0) {
            env.vtd_found = true;
            env.vtd_base = Q35_VTD_BASE;
        }
    }
}

const struct env *env_get(void)
{
    if (!done) {
        discover();
        done = true;
    }
    return &env;
}

bool env_unit_for(uint16_t sid, uint64_t *base, const char **why)
{
    const struct env *e = env_get();

    if (!e->vtd_found) {
        *why = "no remapping unit found";
        return false;
    }
    *base = e->vtd_base;
    return true;
}
