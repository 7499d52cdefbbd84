/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/acpi/testutil.h — shared by the acpi/ unit tests: the embedded
 * tables, an output buffer, and a simulated PCI bridge topology.
 */
#ifndef TESTS_ACPI_TESTUTIL_H
#define TESTS_ACPI_TESTUTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi.h"
#include "acpi/dmar.h"
#include "tests/acpi/tables.h"

/* The embedded table of that name; aborts when missing (a build bug). */
static inline const struct acpi_test_table *table(const char *name)
{
    const struct acpi_test_table *t;

    for (t = acpi_test_tables; t->name; t++)
        if (strcmp(t->name, name) == 0)
            return t;
    fprintf(stderr, "no embedded table %s\n", name);
    abort();
}

/* ------------------------------------------------------- output buffer */

struct outbuf {
    char text[65536];
    size_t len;
};

static inline void outbuf_write(void *ctx, const char *s, size_t n)
{
    struct outbuf *b = ctx;

    if (n > sizeof(b->text) - 1 - b->len)
        n = sizeof(b->text) - 1 - b->len;
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = '\0';
}

/* ------------------------------------------------- simulated bridges */

struct sim_bridge {
    uint16_t seg;
    uint8_t bus, dev, fn;
    uint8_t sec, sub;
};

struct sim_pci {
    unsigned count;
    struct sim_bridge b[32];
    unsigned calls;
};

static inline int sim_bridge_buses(void *ctx, uint16_t seg, uint8_t bus,
                                   uint8_t dev, uint8_t fn, uint8_t *sec,
                                   uint8_t *sub)
{
    struct sim_pci *p = ctx;
    unsigned i;

    p->calls++;
    for (i = 0; i < p->count; i++) {
        const struct sim_bridge *b = &p->b[i];

        if (b->seg == seg && b->bus == bus && b->dev == dev && b->fn == fn) {
            *sec = b->sec;
            *sub = b->sub;
            return 0;
        }
    }
    return -1;
}

static inline void sim_add(struct sim_pci *p, uint16_t seg, uint8_t bus,
                           uint8_t dev, uint8_t fn, uint8_t sec, uint8_t sub)
{
    if (p->count < 32)
        p->b[p->count++] = (struct sim_bridge){ seg, bus, dev, fn, sec, sub };
}

#endif
