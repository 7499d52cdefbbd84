/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/test.c — selects and runs registered tests.
 */
#include <string.h>

#include "lib/printf.h"
#include "lib/report.h"
#include "lib/test.h"

/* Weak: a hosted tool that registers no test still links (both NULL). */
extern const struct vt_test __start_vtdprobe_tests[] __attribute__((weak));
extern const struct vt_test __stop_vtdprobe_tests[] __attribute__((weak));

const struct vt_test *test_first(void)
{
    return __start_vtdprobe_tests;
}

const struct vt_test *test_end(void)
{
    return __stop_vtdprobe_tests;
}

bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
    size_t klen = strlen(key);
    const char *p = cmdline;

    if (!p || !size)
        return false;
    while (*p) {
        const char *word = p;
        size_t wlen;

        while (*p && *p != ' ')
            p++;
        wlen = (size_t)(p - word);
        while (*p == ' ')
            p++;
        if (wlen > klen && word[klen] == '=' && !strncmp(word, key, klen)) {
            size_t vlen = wlen - klen - 1;

            if (vlen >= size)
                vlen = size - 1;
            memcpy(buf, word + klen + 1, vlen);
            buf[vlen] = 0;
            return true;
        }
    }
    return false;
}

static const struct vt_test *find(const char *name, size_t len)
{
    for (const struct vt_test *t = test_first(); t < test_end(); t++)
        if (strlen(t->name) == len && !strncmp(t->name, name, len))
            return t;
    return NULL;
}

static void run_one(const struct vt_test *t)
{
    struct report_counts before = report_counts(), after;

    vt_printf("# test %s: %s\n", t->name, t->title);
    report_prefix_push("%s", t->name);
    t->run();
    after = report_counts();
    /* A test that says nothing has verified nothing. */
    if (after.checks == before.checks && after.errors == before.errors)
        report_error("reported no check");
    report_prefix_pop();
}

void test_main(void)
{
    char sel[256], qemu[32];

    report_init();
    /* The runner's word for the QEMU under test: expected failures are
     * bounded by its version (lib/xfail.h). */
    if (cmdline_get(plat_cmdline(), "qemu", qemu, sizeof(qemu)))
        report_target_version(qemu);
    if (!cmdline_get(plat_cmdline(), "test", sel, sizeof(sel)) ||
        !strcmp(sel, "all")) {
        unsigned n = 0;

        for (const struct vt_test *t = test_first(); t < test_end(); t++) {
            if (t->flags & TEST_SELFTEST)
                continue;
            run_one(t);
            n++;
        }
        if (!n)
            report_error("no test in the default suite");
        report_finish();
    }
    for (const char *p = sel; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const struct vt_test *t = find(p, len);

        if (t)
            run_one(t);
        else if (len)
            report_error("no test named \"%.*s\"", (int)len, p);
        p += len;
        if (*p == ',')
            p++;
    }
    report_finish();
}
