/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/plat_mmio.h — the MMIO calls of lib/platform.h for a machine
 * inside one process (harness/plat_mmio.c): each access of any width goes
 * to the machine's one read and one write, which it defines.
 */
#ifndef HARNESS_PLAT_MMIO_H
#define HARNESS_PLAT_MMIO_H

#include <stdint.h>

/* An access of size 1, 2, 4 or 8 bytes at physical address pa. */
uint64_t host_mmio_read(uint64_t pa, unsigned size);
void host_mmio_write(uint64_t pa, unsigned size, uint64_t val);

#endif
