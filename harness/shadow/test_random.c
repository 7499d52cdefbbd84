/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fixed seeds of the random guest, normal and sloppy, with the invariant
 * checker after every invalidation; and the checker, shrinker and script
 * printer tested against hosts broken on purpose.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    /* a context change stays with the changes before it whose DID its
     * flushes name: with six devices a shrunk run may keep a few more */
    TAP_OK(r.nop <= 16 && r.nop < before,
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

/* Whether two scripts hold the same statements (comment lines aside:
 * read back, each statement is an operation of its own). */
static bool same_statements(const char *a, const char *b)
{
    for (;;) {
        while (*a == '#' || *a == '\n')
            a = *a == '#' && strchr(a, '\n') ? strchr(a, '\n') + 1
                : *a == '#'                  ? a + strlen(a)
                                             : a + 1;
        while (*b == '#' || *b == '\n')
            b = *b == '#' && strchr(b, '\n') ? strchr(b, '\n') + 1
                : *b == '#'                  ? b + strlen(b)
                                             : b + 1;
        if (!*a || !*b)
            return !*a && !*b;
        for (; *a && *a != '\n'; a++, b++)
            if (*a != *b)
                return false;
        if (*b != '\n' && *b)
            return false;
    }
}

/* A random guest's whole script prints every field it drew (no statement
 * left unprintable), and reads back through the parser to the very same
 * script. */
static void round_trip(uint64_t seed, bool sloppy)
{
    struct sh_run r, back;
    char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    FILE *f;
    bool same = false;

    sh_random_scenario(seed, sloppy, 150, 0, &r); /* the parser: 1024 */
    f = open_memstream(&a, &na);
    sh_print_script(f, &r, "round trip");
    fclose(f);
    if (sh_read_script(a, na, &back) == 0) {
        f = open_memstream(&b, &nb);
        sh_print_script(f, &back, "round trip");
        fclose(f);
        same = b && same_statements(a, b);
        sh_run_free(&back);
    }
    TAP_OK(!strstr(a, "not printable") && same,
           "%s guest, seed 0x%llx: its %u statements print and read back "
           "unchanged",
           sloppy ? "sloppy" : "normal", (unsigned long long)seed, r.nst);
    free(a);
    free(b);
    sh_run_free(&r);
}

int main(void)
{
    fixed_seeds(false);
    fixed_seeds(true);
    round_trip(0x5EED0001ull, false);
    round_trip(0x5EED0081ull, true);
    self_test(SH_MUT_DROP_UNMAP_2M, "a container that drops UNMAPs of 2 MiB");
    self_test(SH_MUT_VHOST_DEAF, "an UNMAP-only consumer deaf to domain "
                                 "flushes");
    self_test(SH_MUT_VHOST_DEAF_PAGE, "an UNMAP-only consumer deaf to "
                                      "page-selective flushes");
    self_test(SH_MUT_REATTACH_DEAF, "containers deaf to the replay when a "
                                    "device is plugged back");
    return tap_done();
}
