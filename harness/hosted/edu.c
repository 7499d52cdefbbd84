/*
 * harness/hosted/edu.c — a device with the registers, limits and DMA
 * behaviour of QEMU's edu (PCI 1234:11e8), so lib/edu.c drives it
 * unchanged.
 *
 * BAR0 registers (only 4-byte accesses below 0x80; 4 or 8 bytes from
 * 0x80; anything else is ignored and reads all ones):
 *   0x00 id 0x010000ed      0x04 liveness (reads the complement written)
 *   0x08 factorial          0x20 status (bit 0 computing, bit 7 irq when
 *   0x24 irq status              the factorial is done)
 *   0x60 raise irq          0x64 acknowledge irq
 *   0x80 DMA source   0x88 DMA destination   0x90 count
 *   0x98 command: bit 0 run, bit 1 edu buffer -> RAM, bit 2 raise 0x100
 *        when done; a write without bit 0 is ignored, and so is any DMA
 *        register write while a transfer runs.
 *
 * A transfer runs edu_dma_ns of virtual time after its command (QEMU: a
 * 100 ms timer), so software can change the IOMMU's tables between the
 * start and the moment the device actually reads or writes memory. Then
 * the RAM-side address is masked with dma_mask, the device-side range
 * must lie inside the buffer 0x40000..0x40fff with its end strictly below
 * 0x41000 (else, as in QEMU, a hardware error stops the machine), and the
 * data moves through hm_dma(): a blocked read leaves zeros in the part of
 * the buffer it was to fill. Completion clears bit 0 and, with bit 2,
 * raises interrupt 0x100, sent as the MSI the function is programmed with
 * (INTx is not modelled).
 */
#include <stdlib.h>
#include <string.h>

#include "harness/hosted/hosted.h"

#define EDU_ID_VALUE        0x010000EDu
#define EDU_ST_COMPUTING    0x01u
#define EDU_ST_IRQFACT      0x80u
#define EDU_IRQ_FACT        0x001u
#define EDU_IRQ_DMA         0x100u
#define EDU_CMD_RUN         0x1u
#define EDU_CMD_TO_RAM      0x2u
#define EDU_CMD_IRQ         0x4u
#define EDU_BUF_START       0x40000ull
#define EDU_BUF_LEN         0x1000ull

struct hm_edu {
    struct hm_fn *fn;
    uint64_t dma_mask;
    uint32_t addr4, fact, status, irq_status;
    uint64_t src, dst, cnt, cmd;
    struct hm_timer timer;
    uint8_t buf[EDU_BUF_LEN];
};

static void raise_irq(struct hm_edu *e, uint32_t val)
{
    uint64_t addr;
    uint32_t data;

    e->irq_status |= val;
    if (!e->irq_status)
        return;
    /* An MSI is a memory write by the device: it needs bus mastering. */
    if (hm_fn_msi(e->fn, &addr, &data) && hm_fn_bus_master(e->fn))
        hm_device_msi(hm_fn_sid(e->fn), addr, data);
}

static void lower_irq(struct hm_edu *e, uint32_t val)
{
    e->irq_status &= ~val;
}

/* The device-side range must lie in the buffer, end strictly inside. */
static void check_range(uint64_t addr, uint64_t len)
{
    uint64_t end = addr + len, buf_end = EDU_BUF_START + EDU_BUF_LEN;

    if (addr >= EDU_BUF_START && addr < buf_end && end > addr &&
        end < buf_end)
        return;
    hm_hw_error("edu: DMA range 0x%016llx-0x%016llx out of bounds "
                "(0x%016llx-0x%016llx)", (unsigned long long)addr,
                (unsigned long long)(end - 1),
                (unsigned long long)EDU_BUF_START,
                (unsigned long long)(buf_end - 1));
}

static void dma_done(void *arg)
{
    struct hm_edu *e = arg;
    bool to_ram = e->cmd & EDU_CMD_TO_RAM;
    uint64_t dev = to_ram ? e->src : e->dst;
    uint64_t ram = (to_ram ? e->dst : e->src) & e->dma_mask;

    if (!(e->cmd & EDU_CMD_RUN))
        return;
    check_range(dev, e->cnt);
    dev -= EDU_BUF_START;
    if (hm_fn_bus_master(e->fn)) {
        hm_dma(hm_fn_sid(e->fn), ram, e->buf + dev, e->cnt, to_ram);
    } else if (!to_ram) {
        /* No bus mastering: the read reaches nothing and returns zeros. */
        memset(e->buf + dev, 0, e->cnt);
    }
    e->cmd &= ~(uint64_t)EDU_CMD_RUN;
    if (e->cmd & EDU_CMD_IRQ)
        raise_irq(e, EDU_IRQ_DMA);
}

struct hm_edu *hm_edu_create(struct hm_fn *f, uint64_t dma_mask)
{
    struct hm_edu *e = calloc(1, sizeof(*e));

    if (!e)
        return NULL;
    e->fn = f;
    e->dma_mask = dma_mask;
    e->timer.fire = dma_done;
    e->timer.arg = e;
    hm_timer_add(&e->timer);
    return e;
}

void hm_edu_destroy(struct hm_edu *e)
{
    free(e);
}

static bool size_ok(uint64_t off, unsigned size)
{
    return off < 0x80 ? size == 4 : size == 4 || size == 8;
}

uint64_t hm_edu_mmio_read(void *opaque, uint64_t off, unsigned size)
{
    struct hm_edu *e = opaque;

    if (!size_ok(off, size))
        return ~0ull;
    switch (off) {
    case 0x00: return EDU_ID_VALUE;
    case 0x04: return e->addr4;
    case 0x08: return e->fact;
    case 0x20: return e->status;
    case 0x24: return e->irq_status;
    case 0x80: return e->src;
    case 0x88: return e->dst;
    case 0x90: return e->cnt;
    case 0x98: return e->cmd;
    }
    return ~0ull;
}

static void dma_reg(struct hm_edu *e, uint64_t *reg, uint64_t val)
{
    if (e->cmd & EDU_CMD_RUN)
        return;
    *reg = val;
}

void hm_edu_mmio_write(void *opaque, uint64_t off, unsigned size,
                       uint64_t val)
{
    struct hm_edu *e = opaque;

    if (!size_ok(off, size))
        return;
    switch (off) {
    case 0x04:
        e->addr4 = ~(uint32_t)val;
        break;
    case 0x08: {
        uint32_t n = (uint32_t)val, f = 1;

        if (e->status & EDU_ST_COMPUTING)
            break;
        /* Computed at once: nothing can observe the busy bit here. */
        while (n > 0)
            f *= n--;
        e->fact = f;
        if (e->status & EDU_ST_IRQFACT)
            raise_irq(e, EDU_IRQ_FACT);
        break;
    }
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
        hm_timer_arm(&e->timer, hm.now + hm.cfg.edu_dma_ns);
        break;
    }
}
