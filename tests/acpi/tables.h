/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/acpi/tables.h — the iasl-compiled tables of tests/acpi/tables/,
 * embedded at build time (tests/acpi/embed-tables).
 */
#ifndef TESTS_ACPI_TABLES_H
#define TESTS_ACPI_TABLES_H

#include <stddef.h>

struct acpi_test_table {
    const char *name; /* file name without .aslt */
    const unsigned char *data;
    size_t len;
};

/* Terminated by an entry with name NULL. */
extern const struct acpi_test_table acpi_test_tables[];

#endif
