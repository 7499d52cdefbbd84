/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/hosted/edu.c — the hosted machine's edu functions: the device
 * model of edu_model.c (QEMU edu's registers, limits and DMA, so
 * lib/edu.c drives it unchanged) bound to the machine.
 *
 *   RAM side    hm_dma(): one request per 4 KiB page through the
 *               remapping unit; a blocked read leaves zeros in the part
 *               of the buffer it was to fill
 *   timing      a transfer runs edu_dma_ns of virtual time after its
 *               command (QEMU: a 100 ms timer), so software can change
 *               the IOMMU's tables between the start and the moment the
 *               device actually reads or writes memory
 *   interrupts  completion as the MSI the function is programmed with,
 *               sent only with bus mastering on (INTx is not modelled)
 *   assigned    (x-assigned=on) the transfer goes through the device's
 *               host container (shadow.c); a blocked read sets Received
 *               Master Abort in its PCI Status, as the served edu does
 *   bad range   a transfer leaving the buffer is a hardware error that
 *               stops the machine, as in QEMU 7.2: status 1, no result
 *               line
 */
#include <stdlib.h>

#include "harness/hosted/edu_model.h"
#include "harness/hosted/hosted.h"

#define PCI_STS_MASTER_ABORT (1u << 13) /* Received Master Abort */

struct hm_edu {
    struct hm_fn *fn;
    const struct hm_edu_cfg *cfg;
    struct edu_model *model;
    struct hm_timer timer;
};

static void edu_dma(void *ctx, uint64_t addr, void *buf, size_t len,
                    bool to_ram)
{
    struct hm_edu *e = ctx;
    unsigned blocked = hm_dma(hm_fn_sid(e->fn), addr, buf, len, to_ram);

    /* VT-d 7.1.1: a read the host IOMMU blocks completes with
     * Unsupported Request, recorded by the requester as Received Master
     * Abort; a blocked write is dropped. An emulated edu learns nothing
     * (QEMU gives it zeros). */
    if (blocked && !to_ram && e->cfg->assigned)
        hm_fn_status_set(e->fn, PCI_STS_MASTER_ABORT);
}

static bool edu_bus_master(void *ctx)
{
    struct hm_edu *e = ctx;

    return hm_fn_bus_master(e->fn);
}

static void edu_irq_raise(void *ctx)
{
    struct hm_edu *e = ctx;
    uint64_t addr;
    uint32_t data;

    /* An MSI is a memory write by the device: it needs bus mastering. */
    if (hm_fn_msi(e->fn, &addr, &data) && hm_fn_bus_master(e->fn))
        hm_device_msi(hm_fn_sid(e->fn), addr, data);
}

static void edu_irq_lower(void *ctx)
{
    (void)ctx; /* no INTx line */
}

static void edu_dma_schedule(void *ctx)
{
    struct hm_edu *e = ctx;

    hm_timer_arm(&e->timer, hm.now + hm.cfg.edu_dma_ns);
}

static void edu_bad_range(void *ctx, uint64_t addr, uint64_t len)
{
    (void)ctx;
    hm_hw_error("edu: DMA range 0x%016llx-0x%016llx out of bounds "
                "(0x%016llx-0x%016llx)",
                (unsigned long long)addr, (unsigned long long)(addr + len - 1),
                (unsigned long long)EDU_MODEL_BUF_START,
                (unsigned long long)(EDU_MODEL_BUF_START + EDU_MODEL_BUF_LEN -
                                     1));
}

static const struct edu_model_ops hm_edu_ops = {
    .dma = edu_dma,
    .bus_master = edu_bus_master,
    .irq_raise = edu_irq_raise,
    .irq_lower = edu_irq_lower,
    .dma_schedule = edu_dma_schedule,
    .bad_range = edu_bad_range,
};

static void edu_timer_fire(void *arg)
{
    struct hm_edu *e = arg;

    edu_model_dma_run(e->model);
}

struct hm_edu *hm_edu_create(struct hm_fn *f, const struct hm_edu_cfg *cfg)
{
    struct hm_edu *e = calloc(1, sizeof(*e));

    if (!e)
        return NULL;
    e->fn = f;
    e->cfg = cfg;
    e->model = edu_model_new(&hm_edu_ops, e, cfg->dma_mask);
    if (!e->model) {
        free(e);
        return NULL;
    }
    e->timer.fire = edu_timer_fire;
    e->timer.arg = e;
    hm_timer_add(&e->timer);
    return e;
}

const struct hm_edu_cfg *hm_edu_config(const struct hm_edu *e)
{
    return e->cfg;
}

void hm_edu_destroy(struct hm_edu *e)
{
    if (!e)
        return;
    edu_model_free(e->model);
    free(e);
}

uint64_t hm_edu_mmio_read(void *opaque, uint64_t off, unsigned size)
{
    struct hm_edu *e = opaque;

    return edu_model_read(e->model, off, size);
}

void hm_edu_mmio_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
    struct hm_edu *e = opaque;

    edu_model_write(e->model, off, size, val);
}
