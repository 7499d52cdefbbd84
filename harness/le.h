/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/le.h — little-endian fields in byte buffers: the PCI
 * configuration spaces the hosted machine and the vfio-user server build.
 */
#ifndef HARNESS_LE_H
#define HARNESS_LE_H

#include <stdint.h>

static inline void le_put16(uint8_t *p, unsigned off, uint16_t v)
{
    p[off] = (uint8_t)v;
    p[off + 1] = (uint8_t)(v >> 8);
}

static inline void le_put32(uint8_t *p, unsigned off, uint32_t v)
{
    le_put16(p, off, (uint16_t)v);
    le_put16(p, off + 2, (uint16_t)(v >> 16));
}

static inline uint16_t le_get16(const uint8_t *p, unsigned off)
{
    return (uint16_t)(p[off] | p[off + 1] << 8);
}

static inline uint32_t le_get32(const uint8_t *p, unsigned off)
{
    return (uint32_t)le_get16(p, off) | (uint32_t)le_get16(p, off + 2) << 16;
}

#endif
