/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fixed seeds of the random guest, normal and sloppy, with the invariant
 * checker after every invalidation; and the checker, shrinker and script
 * printer tested against hosts broken on purpose.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness/shadow/gen.h"
#include "tests/host/tap.h"

#define SEEDS    96
#define SCEN_OPS 400

static void fixed_seeds(bool sloppy)
{
    for (unsigned i = 0; i < SEEDS; i++) {
        struct sh_run r;
        uint64_t seed = 0x5EED0000ull + i * 0x1001ull + (sloppy ? 0x80 : 0);
        enum sh_violation v = sh_random_scenario(seed, sloppy, SCEN_OPS, 0, &r);

        if (!TAP_OK(v == SHV_NONE,
                    "%s guest, seed 0x%llx: %u operations, "
                    "%llu invalidations, %llu checks (%llu full), %llu "
                    "events",
                    sloppy ? "sloppy" : "normal", (unsigned long long)seed,
                    r.nop, (unsigned long long)r.invalidations,
                    (unsigned long long)r.checks,
                    (unsigned long long)r.full_checks,
                    (unsigned long long)r.events)) {
            tap_diag("%s: %s", sh_violation_name(v), r.why);
            sh_shrink(&r);
            sh_print_script(stdout, &r, "shrunk");
        }
        sh_run_free(&r);
    }
}

/* A host broken on purpose must be caught, shrunk, printed, and the
 * printed script must reproduce it through the scenario parser. */
static void self_test(unsigned mutate, const char *what)
{
    enum sh_violation want;
    struct sh_run r, back;
    char *text = NULL;
    size_t len = 0;
    FILE *f;
    unsigned i, before;
    int v = 0;
    bool found = false;

    for (i = 0; i < 20 && !found; i++) {
        found = sh_random_scenario(0xBAD0000ull + i, i & 1, SCEN_OPS, mutate,
                                   &r) != SHV_NONE;
        if (!found)
            sh_run_free(&r);
    }
    TAP_OK(found, "%s: caught (%s)", what,
           found ? sh_violation_name(r.violation) : "not found");
    if (!found)
        return;
    before = r.nop;
    sh_shrink(&r);
    want = r.violation;
    TAP_OK(r.nop <= 12 && r.nop < before,
           "%s: shrunk from %u to %u "
           "operations",
           what, before, r.nop);
    f = open_memstream(&text, &len);
    sh_print_script(f, &r, "self-test");
    fclose(f);
    if (sh_read_script(text, len, &back) == 0) {
        v = sh_run_replay(&back, NULL, NULL, 0, NULL);
        sh_run_free(&back);
    }
    TAP_OK(v == (int)want,
           "%s: the printed script parses and reproduces "
           "it (%s)",
           what, v > 0 ? sh_violation_name((enum sh_violation)v) : "no");
    if (v != (int)want)
        printf("%s", text);
    free(text);
    sh_run_free(&r);
}

int main(void)
{
    fixed_seeds(false);
    fixed_seeds(true);
    self_test(SH_MUT_DROP_UNMAP_2M, "a container that drops UNMAPs of 2 MiB");
    self_test(SH_MUT_VHOST_DEAF, "an UNMAP-only consumer deaf to domain "
                                 "flushes");
    self_test(SH_MUT_VHOST_DEAF_PAGE, "an UNMAP-only consumer deaf to "
                                      "page-selective flushes");
    return tap_done();
}
