/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/hosted/main.c — vtdhost: the firmware's tests on the hosted
 * machine. The command line mirrors QEMU's where the two overlap, so a
 * configuration of run/configs.cfg means the same machine on both:
 *
 *   vtdhost -device intel-iommu,aw-bits=48 -device edu,dma_mask=... \
 *           -append "test=scenarios inv=qi" -initrd my.vtd
 *
 * plus shorthands (--test, --scenario, --script, --inv, --iommu). The
 * result stream is the firmware's TAP; the exit status is the one QEMU's
 * isa-debug-exit gives the same verdict (33 SUCCESS, 35 SKIP, 37 FAILURE,
 * 39 ERROR); 1 for a command line or machine the program refuses, as
 * QEMU does.
 *
 * Expected failures (xfail) cite QEMU's behaviour, so they do not hold
 * here: such a check is a plain check on the model, and fails the run
 * when it fails.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/hosted/hosted.h"
#include "lib/report.h"
#include "lib/test.h"

#define DEFAULT_TICK_NS    100u     /* per clock reading */
#define DEFAULT_EDU_DMA_NS 1000000u /* 1 ms; QEMU's edu takes 100 ms */

static const char usage_text[] =
    "usage: vtdhost [options]\n"
    "\n"
    "Runs the vtdprobe firmware's tests (the very vtd/, acpi/, lib/ and\n"
    "scenario engine sources) on a hosted q35-like machine whose remapping\n"
    "unit is the VT-d model. Without -device: intel-iommu and one edu\n"
    "(dma_mask=0xffffffffffffffff), as run/configs.cfg [default].\n"
    "\n"
    "machine (QEMU's syntax):\n"
    "  -device intel-iommu[,PROP=VALUE...]\n"
    "        aw-bits=39|48|57 (57: the model only), caching-mode, "
    "scalable-mode,\n"
    "        device-iotlb, pt, intremap, eim, dma-translation, snoop-control,\n"
    "        pasid-bits=0|20, fsts (QEMU 11.1's names; x-scalable-mode,\n"
    "        x-pasid-mode and x-flts too); model-only:\n"
    "        x-cache=minimal|maximal|none, x-cache-entries=N, x-esrtps,\n"
    "        x-esirtps, x-rwbf,\n"
    "        x-nfr=N, x-did-bits=N, x-haw-bits=N, x-dmar=scopes|include-all,\n"
    "        x-shadow=on|off (with caching mode: the notifier harness checks\n"
    "        the shadows after every invalidation; on when linked in)\n"
    "  -device edu[,dma_mask=N][,bus=PORT-ID][,addr=SLOT]\n"
    "        model-only: x-assigned=on (behind a host IOMMU, as QEMU's\n"
    "        vfio-user-pci served edu: its DMA goes only through a type1\n"
    "        container fed by the notifier layer; needs caching-mode=on),\n"
    "        x-record=PATH (that container's record, vfu-edu's format)\n"
    "  -device pcie-root-port,id=ID[,addr=SLOT][,chassis=N][,slot=N]\n"
    "  -m SIZE                 guest RAM (default 256M)\n"
    "  -append WORDS           command-line words for the tests\n"
    "  -initrd FILE[,FILE...]  scenario scripts, as boot modules\n"
    "  -serial file:PATH|stdio where the TAP stream goes (default stdout)\n"
    "\n"
    "shorthands:\n"
    "  --iommu PROPS           same as -device intel-iommu,PROPS\n"
    "  --test NAMES            test=NAMES (default: every test)\n"
    "  --scenario NAMES        scenario=NAMES (and test=scenarios)\n"
    "  --script FILE           one more boot module\n"
    "  --inv reg|qi            inv=... for the scenarios\n"
    "  --trace KINDS           model events to stderr: all or a comma list of\n"
    "                          reg-write reg-read walk hit miss inval fault qi "
    "ir gcmd\n"
    "  --tick NS               virtual time per clock reading (default 100)\n"
    "  --edu-dma-ns NS         edu DMA start to completion (default 1000000)\n"
    "  --list-tests            the tests this program holds\n"
    "\n"
    "exit status: 33 SUCCESS, 35 SKIP, 37 FAILURE, 39 ERROR (as QEMU's\n"
    "isa-debug-exit), 1 when the machine cannot be built.\n";

static __attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt,
                                                                ...)
{
    va_list ap;

    fprintf(stderr, "vtdhost: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    exit(1);
}

/* --------------------------------------------------------- value parsing */

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;

    if (!*s)
        return false;
    errno = 0;
    *out = strtoull(s, &end, 0);
    return !errno && !*end && s[0] != '-';
}

static bool parse_bool(const char *s, bool *out)
{
    if (!strcmp(s, "on") || !strcmp(s, "true") || !strcmp(s, "yes")) {
        *out = true;
        return true;
    }
    if (!strcmp(s, "off") || !strcmp(s, "false") || !strcmp(s, "no")) {
        *out = false;
        return true;
    }
    return false;
}

static uint64_t parse_size(const char *s)
{
    char *end;
    uint64_t v;

    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || end == s || s[0] == '-')
        die("-m %s: not a size", s);
    /* clang-format off */
    switch (*end) {
    case 0: case 'M': case 'm': v <<= 20; break;
    case 'G': case 'g': v <<= 30; break;
    default: die("-m %s: use a number of MiB, or a M or G suffix", s);
    }
    /* clang-format on */
    if (*end && end[1])
        die("-m %s: not a size", s);
    return v;
}

/* --------------------------------------------------------- -device */

static bool iommu_given;
static bool used_slot[32];

static int take_slot(const char *what, const char *addr)
{
    uint64_t v;

    if (addr) {
        if (!parse_u64(addr, &v) || v < 1 || v > 31)
            die("%s: addr=%s: a bus-0 slot 1..31", what, addr);
        if (used_slot[v])
            die("%s: addr=%s: slot already in use", what, addr);
        used_slot[v] = true;
        return (int)v;
    }
    for (int d = 1; d < 32; d++)
        if (!used_slot[d]) {
            used_slot[d] = true;
            return d;
        }
    die("%s: no free slot on bus 0", what);
}

/* Split "a=b,c=d" in place: the next key and value, or false at the end. */
static bool next_prop(char **p, char **key, char **val)
{
    char *s = *p, *comma, *eq;

    if (!s || !*s)
        return false;
    comma = strchr(s, ',');
    if (comma) {
        *comma = 0;
        *p = comma + 1;
    } else {
        *p = NULL;
    }
    eq = strchr(s, '=');
    if (!eq)
        die("-device property '%s': expected KEY=VALUE", s);
    *eq = 0;
    *key = s;
    *val = eq + 1;
    return true;
}

static bool prop_bool(const char *key, const char *val)
{
    bool b;

    if (!parse_bool(val, &b))
        die("intel-iommu: %s=%s: expected on or off", key, val);
    return b;
}

static unsigned prop_uint(const char *key, const char *val, unsigned max)
{
    uint64_t v;

    if (!parse_u64(val, &v) || v > max)
        die("intel-iommu: %s=%s: expected a number up to %u", key, val, max);
    return (unsigned)v;
}

/* intel-iommu properties that need more than on/off or a bounded number. */
static void iommu_aw_bits(const char *key, const char *val)
{
    unsigned bits = prop_uint(key, val, 64);

    if (bits != 39 && bits != 48 && bits != 57)
        die("intel-iommu: aw-bits=%s: 39, 48 or 57", val);
    hm.cfg.vtd.aw_bits = bits;
}

/* intremap and eim: auto is what QEMU 7.2 chose under TCG (IR on, EIM
 * off). */
static void iommu_intremap(const char *key, const char *val)
{
    hm.cfg.vtd.intr_remap = strcmp(val, "auto") ? prop_bool(key, val) : true;
}

static void iommu_eim(const char *key, const char *val)
{
    hm.cfg.vtd.eim = strcmp(val, "auto") ? prop_bool(key, val) : false;
}

/* QEMU 11.1: the PASID width; the model has 20 bits or none. */
static void iommu_pasid_bits(const char *key, const char *val)
{
    unsigned bits = prop_uint(key, val, 20);

    if (bits != 0 && bits != 20)
        die("intel-iommu: pasid-bits=%s: 0 or 20", val);
    hm.cfg.vtd.pasid = bits == 20;
}

static void iommu_dma_drain(const char *key, const char *val)
{
    if (!prop_bool(key, val))
        die("intel-iommu: dma-drain=off: the model always reports DWD/DRD");
}

static void iommu_cache(const char *key, const char *val)
{
    if (!strcmp(val, "minimal"))
        hm.cfg.vtd.cache_policy = VTD_CACHE_MINIMAL;
    else if (!strcmp(val, "maximal"))
        hm.cfg.vtd.cache_policy = VTD_CACHE_MAXIMAL;
    else if (!strcmp(val, "none"))
        hm.cfg.vtd.cache_policy = VTD_CACHE_NONE;
    else
        die("intel-iommu: x-cache=%s: minimal, maximal or none", val);
}

static void iommu_dmar(const char *key, const char *val)
{
    if (!strcmp(val, "scopes"))
        hm.cfg.dmar_include_all = false;
    else if (!strcmp(val, "include-all"))
        hm.cfg.dmar_include_all = true;
    else
        die("intel-iommu: x-dmar=%s: scopes or include-all", val);
}

/* One row a property: on/off into flag, a number up to max into num, or
 * its own parser. Where QEMU renamed a property, both names are rows. */
static const struct iommu_prop {
    const char *key;
    bool *flag;
    unsigned *num;
    unsigned max;
    void (*parse)(const char *key, const char *val);
} iommu_props[] = {
    { "aw-bits", .parse = iommu_aw_bits },
    { "caching-mode", .flag = &hm.cfg.vtd.caching_mode },
    { "scalable-mode", .flag = &hm.cfg.vtd.scalable_mode },
    { "x-scalable-mode", .flag = &hm.cfg.vtd.scalable_mode },
    { "device-iotlb", .flag = &hm.cfg.vtd.device_iotlb },
    { "pt", .flag = &hm.cfg.vtd.pass_through },
    { "intremap", .parse = iommu_intremap },
    { "eim", .parse = iommu_eim },
    { "dma-translation", .flag = &hm.cfg.dma_translation },
    { "snoop-control", .flag = &hm.cfg.vtd.snoop_control },
    { "x-pasid-mode", .flag = &hm.cfg.vtd.pasid },
    { "pasid-bits", .parse = iommu_pasid_bits },
    { "dma-drain", .parse = iommu_dma_drain },
    { "fsts", .flag = &hm.cfg.vtd.first_stage },
    { "x-flts", .flag = &hm.cfg.vtd.first_stage },
    { "x-first-stage", .flag = &hm.cfg.vtd.first_stage },
    { "x-cache", .parse = iommu_cache },
    { "x-cache-entries", .num = &hm.cfg.vtd.cache_entries, .max = 1u << 22 },
    { "x-esrtps", .flag = &hm.cfg.vtd.esrtps },
    { "x-esirtps", .flag = &hm.cfg.vtd.esirtps },
    { "x-rwbf", .flag = &hm.cfg.vtd.rwbf },
    { "x-nfr", .num = &hm.cfg.vtd.nfr, .max = 256 },
    { "x-did-bits", .num = &hm.cfg.vtd.did_bits, .max = 16 },
    { "x-haw-bits", .num = &hm.cfg.vtd.haw_bits, .max = 52 },
    { "x-shadow", .flag = &hm.cfg.shadow },
    { "x-dmar", .parse = iommu_dmar },
};

static void iommu_prop(const char *key, const char *val)
{
    for (size_t i = 0; i < sizeof(iommu_props) / sizeof(iommu_props[0]); i++) {
        const struct iommu_prop *p = &iommu_props[i];

        if (strcmp(key, p->key))
            continue;
        if (p->flag)
            *p->flag = prop_bool(key, val);
        else if (p->num)
            *p->num = prop_uint(key, val, p->max);
        else
            p->parse(key, val);
        return;
    }
    die("intel-iommu: unknown property '%s'", key);
}

static void device_iommu(char *props)
{
    char *key, *val;

    if (iommu_given)
        die("only one intel-iommu");
    iommu_given = true;
    hm.cfg.iommu = true;
    while (next_prop(&props, &key, &val))
        iommu_prop(key, val);
}

static void device_port(char *props)
{
    struct hm_config *c = &hm.cfg;
    struct hm_port_cfg *p;
    char *key, *val, *addr = NULL;

    if (c->nr_ports == HM_MAX_PORTS)
        die("pcie-root-port: at most %d", HM_MAX_PORTS);
    p = &c->port[c->nr_ports];
    memset(p, 0, sizeof(*p));
    while (next_prop(&props, &key, &val)) {
        if (!strcmp(key, "id")) {
            if (!*val || strlen(val) >= sizeof(p->id))
                die("pcie-root-port: id=%s: 1..%zu characters", val,
                    sizeof(p->id) - 1);
            for (unsigned i = 0; i < c->nr_ports; i++)
                if (!strcmp(c->port[i].id, val))
                    die("pcie-root-port: id=%s used twice", val);
            strcpy(p->id, val);
        } else if (!strcmp(key, "addr")) {
            addr = val;
        } else if (!strcmp(key, "chassis") || !strcmp(key, "slot") ||
                   (!strcmp(key, "bus") && !strcmp(val, "pcie.0"))) {
            continue; /* no effect on DMA remapping */
        } else {
            die("pcie-root-port: unknown property '%s'", key);
        }
    }
    p->dev = take_slot("pcie-root-port", addr);
    c->nr_ports++;
}

static void device_edu(char *props)
{
    struct hm_config *c = &hm.cfg;
    struct hm_edu_cfg *e;
    char *key, *val, *addr = NULL, *bus = NULL;

    if (c->nr_edu == HM_MAX_EDU)
        die("edu: at most %d", HM_MAX_EDU);
    e = &c->edu[c->nr_edu];
    /* QEMU's edu masks its RAM-side address to 28 bits by default. */
    e->dma_mask = (1ull << 28) - 1;
    e->port = -1;
    e->dev = -1;
    while (next_prop(&props, &key, &val)) {
        if (!strcmp(key, "dma_mask")) {
            if (!parse_u64(val, &e->dma_mask))
                die("edu: dma_mask=%s: not a number", val);
        } else if (!strcmp(key, "bus")) {
            bus = val;
        } else if (!strcmp(key, "addr")) {
            addr = val;
        } else if (!strcmp(key, "x-assigned")) {
            e->assigned = prop_bool(key, val);
        } else if (!strcmp(key, "x-record")) {
            if (strlen(val) >= sizeof(e->record))
                die("edu: x-record=%s: path too long", val);
            strcpy(e->record, val);
        } else {
            die("edu: unknown property '%s'", key);
        }
    }
    if (bus && strcmp(bus, "pcie.0")) {
        for (unsigned i = 0; i < c->nr_ports; i++)
            if (!strcmp(c->port[i].id, bus))
                e->port = (int)i;
        if (e->port < 0)
            die("edu: bus=%s: no pcie-root-port of that id (yet)", bus);
        if (addr && strcmp(addr, "0") && strcmp(addr, "0x0"))
            die("edu: behind a root port only addr=0 exists");
        for (unsigned i = 0; i < c->nr_edu; i++)
            if (c->edu[i].port == e->port)
                die("edu: bus=%s: the port's one slot is taken", bus);
    } else {
        e->dev = take_slot("edu", addr);
    }
    c->nr_edu++;
}

static void device(const char *spec)
{
    char *s = strdup(spec), *props;

    if (!s)
        die("out of memory");
    props = strchr(s, ',');
    if (props)
        *props++ = 0;
    if (!strcmp(s, "intel-iommu"))
        device_iommu(props);
    else if (!strcmp(s, "edu"))
        device_edu(props);
    else if (!strcmp(s, "pcie-root-port"))
        device_port(props);
    else
        die("-device %s: this machine has intel-iommu, edu and "
            "pcie-root-port",
            s);
    free(s);
}

/* ----------------------------------------------------------- modules */

static void module(const char *path)
{
    struct hm_module *m;
    FILE *f;
    long n;

    if (hm.nr_modules == HM_MAX_MODULES)
        die("at most %d boot modules", HM_MAX_MODULES);
    m = &hm.modules[hm.nr_modules];
    f = fopen(path, "rb");
    if (!f)
        die("%s: %s", path, strerror(errno));
    if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
        die("%s: cannot size it", path);
    if (n > (16l << 20))
        die("%s: larger than 16 MiB", path);
    m->data = malloc(n ? (size_t)n : 1);
    m->name = strdup(path);
    if (!m->data || !m->name)
        die("out of memory");
    if (n && fread(m->data, 1, (size_t)n, f) != (size_t)n)
        die("%s: short read", path);
    fclose(f);
    m->size = (size_t)n;
    hm.nr_modules++;
}

static void modules(const char *list)
{
    char *s = strdup(list), *p = s, *comma;

    if (!s)
        die("out of memory");
    while (p && *p) {
        comma = strchr(p, ',');
        if (comma)
            *comma = 0;
        module(p);
        p = comma ? comma + 1 : NULL;
    }
    free(s);
}

/* ------------------------------------------------------------- words */

static void cmdline_add(const char *key, const char *value)
{
    size_t n = strlen(hm.cmdline);
    int w = snprintf(hm.cmdline + n, sizeof(hm.cmdline) - n, "%s%s%s%s",
                     n ? " " : "", key ? key : "", key ? "=" : "", value);

    if (w < 0 || (size_t)w >= sizeof(hm.cmdline) - n)
        die("the command line is longer than %zu characters",
            sizeof(hm.cmdline) - 1);
}

static uint32_t trace_kinds(const char *list)
{
    static const struct {
        const char *name;
        uint32_t bit;
    } kinds[] = {
        { "reg-write", VTD_TRACE_REG_WRITE },
        { "reg-read", VTD_TRACE_REG_READ },
        { "walk", VTD_TRACE_WALK },
        { "hit", VTD_TRACE_HIT },
        { "miss", VTD_TRACE_MISS },
        { "inval", VTD_TRACE_INVAL },
        { "fault", VTD_TRACE_FAULT },
        { "qi", VTD_TRACE_QI },
        { "ir", VTD_TRACE_IR },
        { "gcmd", VTD_TRACE_GCMD },
        { "all", VTD_TRACE_ALL },
    };
    uint32_t mask = 0;
    const char *p = list;

    while (*p) {
        size_t n = strcspn(p, ",");
        bool found = false;

        for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
            if (strlen(kinds[i].name) == n && !strncmp(p, kinds[i].name, n)) {
                mask |= kinds[i].bit;
                found = true;
            }
        if (!found && n)
            die("--trace: unknown kind '%.*s'", (int)n, p);
        p += n;
        if (*p == ',')
            p++;
    }
    return mask;
}

static void list_tests(void)
{
    for (const struct vt_test *t = test_first(); t < test_end(); t++)
        printf("%-14s %s%s\n", t->name, t->title,
               t->flags & TEST_SELFTEST ? " (run only when named)" : "");
}

/* ------------------------------------------------------------- options */

/* What the command line asks of the run, beside the machine (hm.cfg). */
struct run_opts {
    const char *tests, *scenarios, *inv;
    const char *serial; /* NULL: stdout */
    char append[sizeof(hm.cmdline)];
    bool any_device;
};

static void opt_help(struct run_opts *o, const char *arg)
{
    fputs(usage_text, stdout);
    exit(0);
}

static void opt_list_tests(struct run_opts *o, const char *arg)
{
    list_tests();
    exit(0);
}

static void opt_device(struct run_opts *o, const char *arg)
{
    device(arg);
    o->any_device = true;
}

static void opt_iommu(struct run_opts *o, const char *arg)
{
    char spec[512];

    snprintf(spec, sizeof(spec), "intel-iommu%s%s", *arg ? "," : "", arg);
    opt_device(o, spec);
}

static void opt_ram(struct run_opts *o, const char *arg)
{
    hm.cfg.ram_size = parse_size(arg);
}

static void opt_append(struct run_opts *o, const char *arg)
{
    if (strlen(o->append) + strlen(arg) + 2 > sizeof(o->append))
        die("-append: too long");
    if (*o->append)
        strcat(o->append, " ");
    strcat(o->append, arg);
}

static void opt_initrd(struct run_opts *o, const char *arg)
{
    modules(arg);
}

static void opt_script(struct run_opts *o, const char *arg)
{
    module(arg);
}

static void opt_serial(struct run_opts *o, const char *arg)
{
    if (!strcmp(arg, "stdio"))
        o->serial = NULL;
    else if (!strncmp(arg, "file:", 5) && arg[5])
        o->serial = arg + 5;
    else
        die("-serial %s: file:PATH or stdio", arg);
}

static void opt_test(struct run_opts *o, const char *arg)
{
    o->tests = arg;
}

static void opt_scenario(struct run_opts *o, const char *arg)
{
    o->scenarios = arg;
}

static void opt_inv(struct run_opts *o, const char *arg)
{
    if (strcmp(arg, "reg") && strcmp(arg, "qi"))
        die("--inv %s: reg or qi", arg);
    o->inv = arg;
}

static void opt_trace(struct run_opts *o, const char *arg)
{
    hm.cfg.trace_mask = trace_kinds(arg);
}

/* One row an option: its handler, or for a virtual time the field it sets
 * and the largest value it takes. */
static const struct option {
    const char *name;
    bool value; /* takes the next argument */
    void (*handle)(struct run_opts *o, const char *arg);
    uint64_t *ns;
    uint64_t max_ns;
} options[] = {
    { "-h", .handle = opt_help },
    { "--help", .handle = opt_help },
    { "--list-tests", .handle = opt_list_tests },
    { "-device", .value = true, .handle = opt_device },
    { "--iommu", .value = true, .handle = opt_iommu },
    { "-m", .value = true, .handle = opt_ram },
    { "-append", .value = true, .handle = opt_append },
    { "-initrd", .value = true, .handle = opt_initrd },
    { "--script", .value = true, .handle = opt_script },
    { "-serial", .value = true, .handle = opt_serial },
    { "--test", .value = true, .handle = opt_test },
    { "--scenario", .value = true, .handle = opt_scenario },
    { "--inv", .value = true, .handle = opt_inv },
    { "--trace", .value = true, .handle = opt_trace },
    { "--tick", .value = true, .ns = &hm.cfg.tick_ns, .max_ns = 1000000 },
    { "--edu-dma-ns", .value = true, .ns = &hm.cfg.edu_dma_ns,
      .max_ns = 1000000000 },
};

static const struct option *find_option(const char *name)
{
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        if (!strcmp(options[i].name, name))
            return &options[i];
    die("unknown option '%s' (vtdhost --help)", name);
}

static void set_ns(const struct option *opt, const char *arg)
{
    uint64_t v;

    if (!parse_u64(arg, &v) || !v || v > opt->max_ns)
        die("%s %s: 1..%llu ns", opt->name, arg,
            (unsigned long long)opt->max_ns);
    *opt->ns = v;
}

static void parse_options(int argc, char **argv, struct run_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const struct option *opt = find_option(argv[i]);
        const char *arg = "";

        if (opt->value) {
            if (i + 1 == argc)
                die("%s needs a value", argv[i]);
            arg = argv[++i];
        }
        if (opt->handle)
            opt->handle(o, arg);
        else
            set_ns(opt, arg);
    }
}

/* ------------------------------------------------------------- main */

/* QEMU 7.2's intel-iommu: CAP 0x00d2008c22260206, ECAP 0xf00f4a. */
static void machine_defaults(void)
{
    struct hm_config *c = &hm.cfg;

    c->ram_size = 256ull << 20;
    c->tick_ns = DEFAULT_TICK_NS;
    c->edu_dma_ns = DEFAULT_EDU_DMA_NS;
    c->dma_translation = true;
    c->shadow = true;
    c->vtd = (struct vtd_config){
        .aw_bits = 39,
        .pass_through = true,
        .intr_remap = true,
        .large_pages = true,
        .mamv = 18,
        .nfr = 1,
        .did_bits = 16,
        .cache_policy = VTD_CACHE_MINIMAL,
    };
    used_slot[0] = used_slot[0x1F] = true;
}

/* What QEMU refuses too: properties that need others. */
static void check_machine(void)
{
    const struct hm_config *c = &hm.cfg;

    if (c->vtd.eim && !c->vtd.intr_remap)
        die("intel-iommu: eim=on needs intremap=on");
    if (c->vtd.pasid && !c->vtd.scalable_mode)
        die("intel-iommu: pasid-bits=20 needs scalable-mode=on");
    if (c->vtd.first_stage && !c->vtd.scalable_mode)
        die("intel-iommu: fsts=on needs scalable-mode=on");
    for (unsigned i = 0; i < c->nr_edu; i++) {
        /* QEMU refuses a VFIO device behind intel-iommu without caching
         * mode: nothing would tell the host what the guest maps. */
        if (c->edu[i].assigned && (!c->iommu || !c->vtd.caching_mode))
            die("edu: x-assigned=on needs -device intel-iommu,"
                "caching-mode=on");
        if (c->edu[i].record[0] && !c->edu[i].assigned)
            die("edu: x-record needs x-assigned=on");
    }
}

/* The shorthands and -append, as the firmware's command-line words. */
static void build_cmdline(const struct run_opts *o)
{
    if (o->tests || o->scenarios)
        cmdline_add("test", o->tests ? o->tests : "scenarios");
    if (o->scenarios)
        cmdline_add("scenario", o->scenarios);
    if (o->inv)
        cmdline_add("inv", o->inv);
    if (*o->append)
        cmdline_add(NULL, o->append);
}

static void open_console(const char *serial)
{
    if (!serial) {
        hm_console = stdout;
        return;
    }
    hm_console = fopen(serial, "w");
    if (!hm_console)
        die("-serial file:%s: %s", serial, strerror(errno));
}

int main(int argc, char **argv)
{
    struct run_opts o = { 0 };
    const char *why;

    machine_defaults();
    parse_options(argc, argv, &o);
    if (!o.any_device) {
        device("intel-iommu");
        device("edu,dma_mask=0xffffffffffffffff");
    }
    check_machine();
    build_cmdline(&o);
    open_console(o.serial);
    why = hm_build();
    if (why)
        die("%s", why);
    /* The model is the reference: the expected failures the checks carry
     * describe QEMU, and here every check must pass. */
    report_xfail_applies(false);
    test_main();
}
