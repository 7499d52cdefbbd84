/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/hosted/edu_model.c — QEMU edu's registers, limits and DMA
 * (edu_model.h), with the machine left to the host.
 *
 * A started transfer runs when the host calls edu_model_dma_run(): then
 * the RAM-side address is masked with dma_mask, the device-side range
 * must lie inside the buffer 0x40000..0x40fff with its end strictly below
 * 0x41000, and the data moves through the host's dma operation; without
 * bus mastering a read reaches nothing and fills its part of the buffer
 * with zeros. Completion clears bit 0 and, with bit 2, raises 0x100.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/hosted/edu_model.h"

#define EDU_ST_COMPUTING 0x01u
#define EDU_ST_IRQFACT   0x80u
#define EDU_CMD_RUN      0x1u
#define EDU_CMD_TO_RAM   0x2u
#define EDU_CMD_IRQ      0x4u

struct edu_model {
    const struct edu_model_ops *ops;
    void *ctx;
    uint64_t dma_mask;
    uint32_t addr4, fact, status, irq_status;
    uint64_t src, dst, cnt, cmd;
    uint8_t buf[EDU_MODEL_BUF_LEN];
};

static void raise_irq(struct edu_model *e, uint32_t val)
{
    e->irq_status |= val;
    if (e->irq_status)
        e->ops->irq_raise(e->ctx);
}

static void lower_irq(struct edu_model *e, uint32_t val)
{
    e->irq_status &= ~val;
    if (!e->irq_status)
        e->ops->irq_lower(e->ctx);
}

/* The device-side range must lie in the buffer, end strictly inside. */
static bool range_ok(uint64_t addr, uint64_t len)
{
    uint64_t end = addr + len;
    uint64_t buf_end = EDU_MODEL_BUF_START + EDU_MODEL_BUF_LEN;

    return addr >= EDU_MODEL_BUF_START && addr < buf_end && end > addr &&
           end < buf_end;
}

void edu_model_dma_run(struct edu_model *e)
{
    bool to_ram = e->cmd & EDU_CMD_TO_RAM;
    uint64_t dev = to_ram ? e->src : e->dst;
    uint64_t ram = (to_ram ? e->dst : e->src) & e->dma_mask;

    if (!(e->cmd & EDU_CMD_RUN))
        return;
    if (!range_ok(dev, e->cnt)) {
        e->ops->bad_range(e->ctx, dev, e->cnt);
    } else if (e->ops->bus_master(e->ctx)) {
        e->ops->dma(e->ctx, ram, e->buf + (dev - EDU_MODEL_BUF_START), e->cnt,
                    to_ram);
    } else if (!to_ram) {
        /* No bus mastering: the read reaches nothing and returns zeros. */
        memset(e->buf + (dev - EDU_MODEL_BUF_START), 0, e->cnt);
    }
    e->cmd &= ~(uint64_t)EDU_CMD_RUN;
    if (e->cmd & EDU_CMD_IRQ)
        raise_irq(e, EDU_MODEL_IRQ_DMA);
}

struct edu_model *edu_model_new(const struct edu_model_ops *ops, void *ctx,
                                uint64_t dma_mask)
{
    struct edu_model *e = calloc(1, sizeof(*e));

    if (!e)
        return NULL;
    e->ops = ops;
    e->ctx = ctx;
    e->dma_mask = dma_mask;
    return e;
}

void edu_model_free(struct edu_model *e)
{
    free(e);
}

void edu_model_reset(struct edu_model *e)
{
    const struct edu_model_ops *ops = e->ops;
    void *ctx = e->ctx;
    uint64_t dma_mask = e->dma_mask;

    memset(e, 0, sizeof(*e));
    e->ops = ops;
    e->ctx = ctx;
    e->dma_mask = dma_mask;
}

uint32_t edu_model_irq_status(const struct edu_model *e)
{
    return e->irq_status;
}

static bool size_ok(uint64_t off, unsigned size)
{
    return off < 0x80 ? size == 4 : size == 4 || size == 8;
}

uint64_t edu_model_read(struct edu_model *e, uint64_t off, unsigned size)
{
    if (!size_ok(off, size))
        return ~0ull;
    /* clang-format off */
    switch (off) {
    case 0x00: return EDU_MODEL_ID;
    case 0x04: return e->addr4;
    case 0x08: return e->fact;
    case 0x20: return e->status;
    case 0x24: return e->irq_status;
    case 0x80: return e->src;
    case 0x88: return e->dst;
    case 0x90: return e->cnt;
    case 0x98: return e->cmd;
    }
    /* clang-format on */
    return ~0ull;
}

static void dma_reg(struct edu_model *e, uint64_t *reg, uint64_t val)
{
    if (e->cmd & EDU_CMD_RUN)
        return;
    *reg = val;
}

static void factorial(struct edu_model *e, uint32_t n)
{
    uint32_t f = 1;

    if (e->status & EDU_ST_COMPUTING)
        return;
    /* Computed at once: nothing can observe the busy bit here. Modulo
     * 2^32, as QEMU's edu computes it: from 34! on the product holds 2^32
     * (17 + 8 + 4 + 2 + 1 factors of two) and is 0, so a large n costs no
     * billions of multiplications. */
    if (n >= 34)
        f = 0;
    else
        while (n > 0)
            f *= n--;
    e->fact = f;
    if (e->status & EDU_ST_IRQFACT)
        raise_irq(e, EDU_MODEL_IRQ_FACT);
}

void edu_model_write(struct edu_model *e, uint64_t off, unsigned size,
                     uint64_t val)
{
    if (!size_ok(off, size))
        return;
    switch (off) {
    case 0x04:
        e->addr4 = ~(uint32_t)val;
        break;
    case 0x08:
        factorial(e, (uint32_t)val);
        break;
    case 0x20:
        if (val & EDU_ST_IRQFACT)
            e->status |= EDU_ST_IRQFACT;
        else
            e->status &= ~EDU_ST_IRQFACT;
        break;
    case 0x60:
        raise_irq(e, (uint32_t)val);
        break;
    case 0x64:
        lower_irq(e, (uint32_t)val);
        break;
    case 0x80:
        dma_reg(e, &e->src, val);
        break;
    case 0x88:
        dma_reg(e, &e->dst, val);
        break;
    case 0x90:
        dma_reg(e, &e->cnt, val);
        break;
    case 0x98:
        if (!(val & EDU_CMD_RUN) || (e->cmd & EDU_CMD_RUN))
            break;
        e->cmd = val;
        e->ops->dma_schedule(e->ctx);
        break;
    }
}
