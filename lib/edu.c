/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/edu.c — the edu DMA engine driver.
 */
#include "lib/edu.h"
#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/wait.h"

#define EDU_DMA_TIMEOUT_NS (5 * NS_PER_S)

unsigned edu_find(struct edu *out, unsigned max)
{
    unsigned n = 0;
    const struct pci_dev *d;

    while (n < max && (d = pci_find(EDU_VENDOR, EDU_DEVICE, n)) != NULL) {
        out[n].pci = d;
        out[n].mmio = 0;
        out[n].sid = pci_sid(d);
        n++;
    }
    return n;
}

int edu_init(struct edu *e)
{
    const struct pci_bar *b = &e->pci->bar[0];
    uint32_t id, probe = 0x5A5AA5A5u;

    if (!b->present || !b->mem || !b->base || b->size < 0x100)
        return EDU_ENODEV;
    if (plat_mmio_map(b->base, b->size))
        return EDU_ENODEV;
    e->mmio = b->base;
    pci_command(e->pci, PCI_CMD_MEM | PCI_CMD_MASTER, 0);
    id = plat_mmio_read32(e->mmio + EDU_ID);
    if ((id & 0xFF) != EDU_ID_MAGIC)
        return EDU_ENODEV;
    plat_mmio_write32(e->mmio + EDU_LIVENESS, probe);
    if (plat_mmio_read32(e->mmio + EDU_LIVENESS) != ~probe)
        return EDU_ENODEV;
    return EDU_OK;
}

/* clang-format off */
#define PCI_CAP_MSI         0x05
#define   MSI_CTRL_ENABLE   (1u << 16)  /* in the dword at the cap */
#define   MSI_CTRL_64BIT    (1u << 23)
/* clang-format on */

/* Address and data of the MSI capability at cap (32- or 64-bit). */
static void msi_write(struct edu *e, uint8_t cap, uint64_t addr, uint32_t data)
{
    uint32_t ctrl = pci_read32(e->pci, cap);

    pci_write32(e->pci, cap + 4, (uint32_t)addr);
    if (ctrl & MSI_CTRL_64BIT) {
        pci_write32(e->pci, cap + 8, (uint32_t)(addr >> 32));
        pci_write32(e->pci, cap + 12, data);
    } else {
        pci_write32(e->pci, cap + 8, data);
    }
}

static void edu_irq(void *arg)
{
    struct edu *e = arg;
    uint32_t status = plat_mmio_read32(e->mmio + EDU_IRQ_STATUS);

    plat_mmio_write32(e->mmio + EDU_IRQ_ACK, status);
    e->irqs++;
}

int edu_enable_msi(struct edu *e)
{
    uint8_t cap = pci_find_cap(e->pci, PCI_CAP_MSI);
    uint64_t addr;
    uint32_t data, ctrl;

    if (e->msi)
        return EDU_OK;
    if (!cap || !e->mmio)
        return EDU_ENODEV;
    if (plat_msi_alloc(edu_irq, e, &addr, &data))
        return EDU_ENODEV;
    msi_write(e, cap, addr, data);
    /* One vector (multiple-message enable 0), MSI on, INTx off. */
    ctrl = pci_read32(e->pci, cap);
    pci_write32(e->pci, cap, (ctrl & ~(7u << 20)) | MSI_CTRL_ENABLE);
    pci_command(e->pci, PCI_CMD_INTX_OFF, 0);
    e->msi = true;
    e->msi_data = data;
    e->msi_addr = addr;
    return EDU_OK;
}

int edu_msi_program(struct edu *e, uint64_t addr, uint32_t data)
{
    uint8_t cap = pci_find_cap(e->pci, PCI_CAP_MSI);

    if (!cap || !e->msi)
        return EDU_ENODEV;
    msi_write(e, cap, addr, data);
    return EDU_OK;
}

int edu_msi_restore(struct edu *e)
{
    return edu_msi_program(e, e->msi_addr, e->msi_data);
}

void edu_irq_raise(struct edu *e)
{
    plat_mmio_write32(e->mmio + EDU_IRQ_RAISE, EDU_IRQ_TEST);
}

void edu_irq_ack(struct edu *e)
{
    uint32_t status = plat_mmio_read32(e->mmio + EDU_IRQ_STATUS);

    if (status)
        plat_mmio_write32(e->mmio + EDU_IRQ_ACK, status);
}

bool edu_dma_ok(uint32_t buf_off, uint32_t count)
{
    /* QEMU's range check wants the transfer's end strictly inside. */
    return count >= 1 && buf_off < EDU_BUF_SIZE &&
           count <= EDU_DMA_MAX - buf_off;
}

bool edu_dma_busy(struct edu *e)
{
    return plat_mmio_read32(e->mmio + EDU_DMA_CMD) & EDU_CMD_RUN;
}

int edu_dma_start(struct edu *e, enum edu_dir dir, uint64_t iova,
                  uint32_t buf_off, uint32_t count)
{
    uint64_t dev = EDU_BUF_ADDR + buf_off;

    if (!e->mmio || !edu_dma_ok(buf_off, count))
        return EDU_EINVAL;
    if (edu_dma_busy(e))
        return EDU_EBUSY;
    plat_mmio_write64(e->mmio + EDU_DMA_SRC,
                      dir == EDU_RAM_TO_DEV ? iova : dev);
    plat_mmio_write64(e->mmio + EDU_DMA_DST,
                      dir == EDU_RAM_TO_DEV ? dev : iova);
    plat_mmio_write64(e->mmio + EDU_DMA_COUNT, count);
    plat_wmb();
    plat_mmio_write64(e->mmio + EDU_DMA_CMD,
                      EDU_CMD_RUN | (e->msi ? EDU_CMD_IRQ : 0) |
                          (dir == EDU_DEV_TO_RAM ? EDU_CMD_TO_RAM : 0));
    return EDU_OK;
}

/*
 * The completion MSI ends the wait: edu raises it after every transfer,
 * failed ones included, so the slice is only a safety net should it be
 * lost. Under an instruction-count clock every timer wake-up costs wall
 * time (about 45 us here): a DMA (100 ms of edu time) cost 4.8 ms of wall
 * time with 1 ms slices, 0.7 ms with 10 ms slices and 0.25 ms with 100 ms
 * slices (run/bench-dma on an idle machine).
 */
#define EDU_WAIT_SLICE_NS (100 * NS_PER_MS)

static bool dma_done(void *arg)
{
    return !edu_dma_busy(arg);
}

int edu_dma_wait(struct edu *e, uint64_t timeout_ns)
{
    int rc = e->msi ? wait_for_irq_slice(dma_done, e, timeout_ns,
                                         EDU_WAIT_SLICE_NS)
                    : wait_for(dma_done, e, timeout_ns);

    if (rc != WAIT_OK) {
        vt_printf("# edu %02x:%02x.%x: DMA timeout: cmd 0x%x src 0x%lx "
                  "dst 0x%lx count 0x%lx\n",
                  e->pci->bus, e->pci->dev, e->pci->fn,
                  plat_mmio_read32(e->mmio + EDU_DMA_CMD),
                  plat_mmio_read64(e->mmio + EDU_DMA_SRC),
                  plat_mmio_read64(e->mmio + EDU_DMA_DST),
                  plat_mmio_read64(e->mmio + EDU_DMA_COUNT));
        return EDU_ETIMEDOUT;
    }
    return EDU_OK;
}

int edu_dma(struct edu *e, enum edu_dir dir, uint64_t iova, uint32_t buf_off,
            uint32_t count, uint64_t timeout_ns)
{
    int rc = edu_dma_start(e, dir, iova, buf_off, count);

    if (rc)
        return rc;
    return edu_dma_wait(e, timeout_ns ? timeout_ns : EDU_DMA_TIMEOUT_NS);
}

const char *edu_strerror(int err)
{
    /* clang-format off */
    switch (err) {
    case EDU_OK:        return "ok";
    case EDU_EINVAL:    return "transfer outside edu's buffer refused";
    case EDU_ETIMEDOUT: return "DMA did not complete in time";
    case EDU_EBUSY:     return "a DMA is already running";
    case EDU_ENODEV:    return "edu BAR0 unusable, or ID/liveness wrong";
    default:            return "unknown edu error";
    }
    /* clang-format on */
}
