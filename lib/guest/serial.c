/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/guest/serial.c — COM1 (16550) output, polled.
 */
#include <stdbool.h>

#include "lib/guest/guest.h"
#include "lib/guest/x86.h"

/* clang-format off */
#define COM1        0x3F8
#define THR         0       /* transmit holding */
#define IER         1
#define FCR         2
#define LCR         3
#define MCR         4
#define LSR         5
#define   LSR_THRE  0x20
#define DLL         0
#define DLM         1
/* clang-format on */

void serial_init(void)
{
    outb(COM1 + IER, 0x00);
    outb(COM1 + LCR, 0x80); /* divisor latch */
    outb(COM1 + DLL, 0x01); /* 115200 baud */
    outb(COM1 + DLM, 0x00);
    outb(COM1 + LCR, 0x03); /* 8N1 */
    outb(COM1 + FCR, 0xC7);
    outb(COM1 + MCR, 0x03);
}

static void serial_putc(char c)
{
    /* Bounded: with no UART, LSR floats to 0xff and THRE reads set. */
    for (unsigned spins = 0; spins < 1000000; spins++)
        if (inb(COM1 + LSR) & LSR_THRE)
            break;
    outb(COM1 + THR, (uint8_t)c);
}

void serial_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n')
            serial_putc('\r');
        serial_putc(buf[i]);
    }
}
