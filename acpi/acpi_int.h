/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acpi/acpi_int.h — helpers shared by the acpi/ sources; not for other
 * folders.
 */
#ifndef ACPI_ACPI_INT_H
#define ACPI_ACPI_INT_H

#include "acpi/acpi.h"

/* Little-endian reads; the caller has checked off + size <= length. */
static inline uint8_t rd8(const uint8_t *p, size_t off)
{
    return p[off];
}

static inline uint16_t rd16(const uint8_t *p, size_t off)
{
    return (uint16_t)(p[off] | p[off + 1] << 8);
}

static inline uint32_t rd32(const uint8_t *p, size_t off)
{
    return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 |
           (uint32_t)p[off + 2] << 16 | (uint32_t)p[off + 3] << 24;
}

static inline uint64_t rd64(const uint8_t *p, size_t off)
{
    return (uint64_t)rd32(p, off) | (uint64_t)rd32(p, off + 4) << 32;
}

/* Fill err (may be NULL) and return code. */
enum acpi_status acpi_fail(struct acpi_error *err, enum acpi_status code,
                           const char *table, uint64_t offset, const char *msg);
enum acpi_status acpi_fail_val(struct acpi_error *err, enum acpi_status code,
                               const char *table, uint64_t offset,
                               const char *msg, uint64_t value);

/* Decode the 36-byte header; p must hold ACPI_HEADER_LEN bytes. */
void acpi_header_decode(const uint8_t *p, struct acpi_header *hdr);

/* Output through the caller's writer, formatted as lib/printf.h does; one
 * call writes at most 255 characters. */
void acpi_printf(const struct acpi_out *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A printable copy of s's first n bytes (up to a NUL) in dst, which holds
 * n + 1: a byte outside 0x20..0x7e shows as '.'. Returns dst. */
const char *acpi_printable(char *dst, const char *s, size_t n);

#endif
