/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/main.c — shadow-random: random guests against the
 * notifier layer, for as long as asked; or the replay of a script it
 * printed.
 *
 *   shadow-random [--seed N] [--ops N] [--seconds S]
 *                 [--mode normal|sloppy|both] [--scenario-ops N]
 *                 [--mutate N] [--out FILE] [--quiet]
 *   shadow-random --replay FILE
 *
 * Exit status: 0 no violation, 1 a violation (shrunk and printed as a
 * scenario script), 2 usage or set-up error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/clock.h"
#include "harness/rng.h"
#include "harness/shadow/gen.h"

/* CPU time of the process: on a shared machine the wall clock also
 * counts other people's work. */
static double cpu(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long len;
    struct sh_run r;
    char why[512];
    int v;

    if (!f) {
        perror(path);
        return 2;
    }
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)len + 1);
    if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
        fclose(f);
        free(text);
        return 2;
    }
    fclose(f);
    if (sh_read_script(text, (size_t)len, &r)) {
        free(text);
        return 2;
    }
    v = sh_run_replay(&r, NULL, why, sizeof(why), NULL);
    free(text);
    if (v < 0) {
        printf("replay: a statement does not apply to the guest's state\n");
        sh_run_free(&r);
        return 2;
    }
    if (v) {
        printf("replay: violation reproduced: %s: %s\n",
               sh_violation_name((enum sh_violation)v), why);
        sh_run_free(&r);
        return 1;
    }
    printf("replay: %u statements, no violation\n", r.nst);
    sh_run_free(&r);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: shadow-random [--seed N] [--ops N] [--seconds S] "
                    "[--mode normal|sloppy|both]\n"
                    "                     [--scenario-ops N] [--mutate N] "
                    "[--out FILE] [--quiet]\n"
                    "       shadow-random --replay FILE\n");
    return 2;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, target_ops = 1000000, ops = 0, inv = 0, checks = 0,
             full = 0, events = 0, scenarios = 0, next_report = 1000000;
    double seconds = 0, t0, c0, dt, dc;
    unsigned scen_ops = 400, mutate = 0;
    const char *mode = "both", *out = NULL;
    bool quiet = false;
    struct vtd_notify_stats tot = { 0 };
    uint64_t vh_hits = 0, vh_flushes = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(a, "--replay") && v)
            return replay_file(v);
        if (!strcmp(a, "--quiet")) {
            quiet = true;
            continue;
        }
        if (!v)
            return usage();
        i++;
        if (!strcmp(a, "--seed"))
            seed = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--ops"))
            target_ops = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--seconds"))
            seconds = strtod(v, NULL);
        else if (!strcmp(a, "--mode"))
            mode = v;
        else if (!strcmp(a, "--scenario-ops"))
            scen_ops = (unsigned)strtoul(v, NULL, 0);
        else if (!strcmp(a, "--mutate"))
            mutate = (unsigned)strtoul(v, NULL, 0);
        else if (!strcmp(a, "--out"))
            out = v;
        else
            return usage();
    }
    if (strcmp(mode, "normal") && strcmp(mode, "sloppy") &&
        strcmp(mode, "both"))
        return usage();
    if (seconds > 0)
        target_ops = ~0ull;
    t0 = host_now_s();
    c0 = cpu();
    for (uint64_t i = 0;; i++) {
        struct sh_run r;
        bool sloppy = !strcmp(mode, "sloppy") ||
                      (!strcmp(mode, "both") && (i & 1));
        uint64_t st = seed * 0x100000001B3ull + i;
        uint64_t s = splitmix64(&st);

        if (ops >= target_ops || (seconds > 0 && host_now_s() - t0 >= seconds))
            break;
        if (sh_random_scenario(s, sloppy, scen_ops, mutate, &r)) {
            char title[200];
            unsigned before = r.nop, replays;

            printf("violation in scenario %" PRIu64 " (seed 0x%" PRIx64
                   ", %s guest) after %u operations: %s: %s\n",
                   i, s, sloppy ? "sloppy" : "normal", r.nop,
                   sh_violation_name(r.violation), r.why);
            fflush(stdout);
            replays = sh_shrink(&r);
            snprintf(title, sizeof(title),
                     "shrunk from %u to %u operations "
                     "in %u replays",
                     before, r.nop, replays);
            sh_print_script(stdout, &r, title);
            if (out) {
                FILE *f = fopen(out, "w");

                if (f) {
                    sh_print_script(f, &r, title);
                    fclose(f);
                    printf("# written to %s\n", out);
                }
            }
            sh_run_free(&r);
            return 1;
        }
        scenarios++;
        ops += r.nop;
        inv += r.invalidations;
        checks += r.checks;
        full += r.full_checks;
        events += r.events;
        tot.syncs += r.ns.syncs;
        tot.maps += r.ns.maps;
        tot.unmaps += r.ns.unmaps;
        tot.unmap_all_chunks += r.ns.unmap_all_chunks;
        tot.deviotlb += r.ns.deviotlb;
        tot.modes += r.ns.modes;
        tot.conflicts += r.ns.conflicts;
        tot.entries_read += r.ns.entries_read;
        vh_hits += r.vhost_hits;
        vh_flushes += r.vhost_flushes;
        sh_run_free(&r);
        if (!quiet && ops >= next_report) {
            dt = host_now_s() - t0;
            fprintf(stderr,
                    "shadow-random: %" PRIu64 " operations, %.0f s, "
                    "%.0f/s\n",
                    ops, dt, ops / dt);
            next_report += 1000000;
        }
    }
    dt = host_now_s() - t0;
    dc = cpu() - c0;
    printf("shadow-random: mode %s, seed %" PRIu64 ": %" PRIu64 " scenarios, "
           "%" PRIu64 " guest operations, %" PRIu64 " invalidations, %" PRIu64
           " checks (%" PRIu64 " full), %" PRIu64 " MAP/UNMAP events, "
           "no violation\nshadow-random: %.2f s wall, %.0f operations/s; "
           "%.2f s CPU, %.0f operations per CPU second\n",
           mode, seed, scenarios, ops, inv, checks, full, events, dt,
           dt > 0 ? ops / dt : 0.0, dc, dc > 0 ? ops / dc : 0.0);
    printf("shadow-random: layer: %" PRIu64 " syncs, %" PRIu64 " MAP, %" PRIu64
           " UNMAP, %" PRIu64 " unmap-all chunks, %" PRIu64
           " device-IOTLB, %" PRIu64 " mode changes, %" PRIu64
           " conflicts, %" PRIu64 " entries read; UNMAP-only consumer: %" PRIu64
           " hits, %" PRIu64 " flushes\n",
           tot.syncs, tot.maps, tot.unmaps, tot.unmap_all_chunks, tot.deviotlb,
           tot.modes, tot.conflicts, tot.entries_read, vh_hits, vh_flushes);
    return 0;
}
