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
#include <stddef.h>
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

/* What the command line asks for. */
struct run_opts {
    uint64_t seed, target_ops;
    double seconds;
    unsigned scen_ops, mutate;
    const char *mode, *out, *replay;
    bool quiet;
};

enum opt_kind { OPT_FLAG, OPT_U64, OPT_UNSIGNED, OPT_DOUBLE, OPT_STRING };

/* One row an option: what its value is and the field it sets. */
static const struct option {
    const char *name;
    enum opt_kind kind;
    size_t field; /* offset in struct run_opts */
} options[] = {
    { "--replay", OPT_STRING, offsetof(struct run_opts, replay) },
    { "--quiet", OPT_FLAG, offsetof(struct run_opts, quiet) },
    { "--seed", OPT_U64, offsetof(struct run_opts, seed) },
    { "--ops", OPT_U64, offsetof(struct run_opts, target_ops) },
    { "--seconds", OPT_DOUBLE, offsetof(struct run_opts, seconds) },
    { "--mode", OPT_STRING, offsetof(struct run_opts, mode) },
    { "--scenario-ops", OPT_UNSIGNED, offsetof(struct run_opts, scen_ops) },
    { "--mutate", OPT_UNSIGNED, offsetof(struct run_opts, mutate) },
    { "--out", OPT_STRING, offsetof(struct run_opts, out) },
};

static const struct option *find_option(const char *name)
{
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        if (!strcmp(options[i].name, name))
            return &options[i];
    return NULL;
}

static void set_option(struct run_opts *o, const struct option *opt,
                       const char *v)
{
    void *field = (char *)o + opt->field;

    switch (opt->kind) {
    case OPT_FLAG:
        *(bool *)field = true;
        break;
    case OPT_U64:
        *(uint64_t *)field = strtoull(v, NULL, 0);
        break;
    case OPT_UNSIGNED:
        *(unsigned *)field = (unsigned)strtoul(v, NULL, 0);
        break;
    case OPT_DOUBLE:
        *(double *)field = strtod(v, NULL);
        break;
    case OPT_STRING:
        *(const char **)field = v;
        break;
    }
}

/* False on a usage error. Stops at --replay: the rest does not matter. */
static bool parse_options(int argc, char **argv, struct run_opts *o)
{
    for (int i = 1; i < argc && !o->replay; i++) {
        const struct option *opt = find_option(argv[i]);
        const char *v = "";

        if (!opt)
            return false;
        if (opt->kind != OPT_FLAG) {
            if (i + 1 == argc)
                return false;
            v = argv[++i];
        }
        set_option(o, opt, v);
    }
    return !strcmp(o->mode, "normal") || !strcmp(o->mode, "sloppy") ||
           !strcmp(o->mode, "both") || o->replay;
}

/* Counters summed over the scenarios run. */
struct totals {
    uint64_t scenarios, ops, inv, checks, full, events;
    struct vtd_notify_stats ns;
    uint64_t vh_hits, vh_flushes;
    uint64_t host[SH_HOST_KINDS];
};

static void add_run(struct totals *t, const struct sh_run *r)
{
    t->scenarios++;
    t->ops += r->nop;
    t->inv += r->invalidations;
    t->checks += r->checks;
    t->full += r->full_checks;
    t->events += r->events;
    t->ns.syncs += r->ns.syncs;
    t->ns.maps += r->ns.maps;
    t->ns.unmaps += r->ns.unmaps;
    t->ns.unmap_all_chunks += r->ns.unmap_all_chunks;
    t->ns.deviotlb += r->ns.deviotlb;
    t->ns.modes += r->ns.modes;
    t->ns.conflicts += r->ns.conflicts;
    t->ns.entries_read += r->ns.entries_read;
    t->vh_hits += r->vhost_hits;
    t->vh_flushes += r->vhost_flushes;
    for (unsigned h = 0; h < SH_HOST_KINDS; h++)
        t->host[h] += r->host_acts[h];
}

/* Print the violation, shrink the run and print it as a script, also to
 * the file asked for. */
static void report_violation(const struct run_opts *o, uint64_t i, uint64_t s,
                             bool sloppy, struct sh_run *r)
{
    char title[200];
    unsigned before = r->nop, replays;

    printf("violation in scenario %" PRIu64 " (seed 0x%" PRIx64
           ", %s guest) after %u operations: %s: %s\n",
           i, s, sloppy ? "sloppy" : "normal", r->nop,
           sh_violation_name(r->violation), r->why);
    fflush(stdout);
    replays = sh_shrink(r);
    snprintf(title, sizeof(title),
             "shrunk from %u to %u operations "
             "in %u replays",
             before, r->nop, replays);
    sh_print_script(stdout, r, title);
    if (o->out) {
        FILE *f = fopen(o->out, "w");

        if (f) {
            sh_print_script(f, r, title);
            fclose(f);
            printf("# written to %s\n", o->out);
        }
    }
}

static void print_totals(const struct run_opts *o, const struct totals *t,
                         double dt, double dc)
{
    printf("shadow-random: mode %s, seed %" PRIu64 ": %" PRIu64 " scenarios, "
           "%" PRIu64 " guest operations, %" PRIu64 " invalidations, %" PRIu64
           " checks (%" PRIu64 " full), %" PRIu64 " MAP/UNMAP events, "
           "no violation\nshadow-random: %.2f s wall, %.0f operations/s; "
           "%.2f s CPU, %.0f operations per CPU second\n",
           o->mode, o->seed, t->scenarios, t->ops, t->inv, t->checks, t->full,
           t->events, dt, dt > 0 ? t->ops / dt : 0.0, dc,
           dc > 0 ? t->ops / dc : 0.0);
    printf("shadow-random: layer: %" PRIu64 " syncs, %" PRIu64 " MAP, %" PRIu64
           " UNMAP, %" PRIu64 " unmap-all chunks, %" PRIu64
           " device-IOTLB, %" PRIu64 " mode changes, %" PRIu64
           " conflicts, %" PRIu64 " entries read; UNMAP-only consumer: %" PRIu64
           " hits, %" PRIu64 " flushes\n",
           t->ns.syncs, t->ns.maps, t->ns.unmaps, t->ns.unmap_all_chunks,
           t->ns.deviotlb, t->ns.modes, t->ns.conflicts, t->ns.entries_read,
           t->vh_hits, t->vh_flushes);
    printf("shadow-random: host: %" PRIu64 " replays, %" PRIu64
           " consumers reattached, %" PRIu64 " groups reattached\n",
           t->host[SH_HOST_REPLAY], t->host[SH_HOST_REATTACH],
           t->host[SH_HOST_REGROUP]);
}

/* Random scenarios until the operations or the seconds asked for are
 * done: 0, or 1 at the first violation. */
static int run_random(const struct run_opts *o)
{
    uint64_t target_ops = o->seconds > 0 ? ~0ull : o->target_ops,
             next_report = 1000000;
    double t0 = host_now_s(), c0 = cpu(), dt;
    struct totals t = { 0 };

    for (uint64_t i = 0;; i++) {
        struct sh_run r;
        bool sloppy = !strcmp(o->mode, "sloppy") ||
                      (!strcmp(o->mode, "both") && (i & 1));
        uint64_t st = o->seed * 0x100000001B3ull + i;
        uint64_t s = splitmix64(&st);

        if (t.ops >= target_ops ||
            (o->seconds > 0 && host_now_s() - t0 >= o->seconds))
            break;
        if (sh_random_scenario(s, sloppy, o->scen_ops, o->mutate, &r)) {
            report_violation(o, i, s, sloppy, &r);
            sh_run_free(&r);
            return 1;
        }
        add_run(&t, &r);
        sh_run_free(&r);
        if (!o->quiet && t.ops >= next_report) {
            dt = host_now_s() - t0;
            fprintf(stderr,
                    "shadow-random: %" PRIu64 " operations, %.0f s, "
                    "%.0f/s\n",
                    t.ops, dt, t.ops / dt);
            next_report += 1000000;
        }
    }
    dt = host_now_s() - t0;
    print_totals(o, &t, dt, cpu() - c0);
    return 0;
}

int main(int argc, char **argv)
{
    struct run_opts o = {
        .seed = 1,
        .target_ops = 1000000,
        .scen_ops = 400,
        .mode = "both",
    };

    if (!parse_options(argc, argv, &o))
        return usage();
    if (o.replay)
        return replay_file(o.replay);
    return run_random(&o);
}
