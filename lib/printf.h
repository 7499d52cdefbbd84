/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/printf.h — formatted output for portable code.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%, with flags '-' and '0', a width
 * and a precision (number or '*'), and the length modifiers hh h l ll z j.
 * No floating point (the firmware has no FPU state to spare).
 */
#ifndef LIB_PRINTF_H
#define LIB_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf: always NUL-terminates when size > 0 and returns the
 * length the full output would have had. */
int vt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int vt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* To the console (plat_console_write). Returns the length printed. */
int vt_vprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
int vt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
