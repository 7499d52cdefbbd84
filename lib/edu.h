/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/edu.h — QEMU's edu test device (PCI 1234:11e8) as a DMA engine.
 *
 * edu copies between RAM (an IOVA, translated by the IOMMU) and its own
 * 4 KiB buffer at device address 0x40000. QEMU aborts the whole machine on
 * a transfer that leaves that buffer (its end must stay strictly below
 * 0x41000: 4095 bytes at most), so such requests are refused here.
 */
#ifndef LIB_EDU_H
#define LIB_EDU_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/pci.h"

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11E8
#define EDU_MAX    8

/* BAR0 registers. Below 0x80 only 4-byte accesses work. */
/* clang-format off */
#define EDU_ID              0x00    /* 0x010000ed */
#define EDU_LIVENESS        0x04    /* reads back the complement */
#define EDU_STATUS          0x20
#define EDU_IRQ_STATUS      0x24
#define EDU_IRQ_RAISE       0x60
#define EDU_IRQ_ACK         0x64
#define EDU_DMA_SRC         0x80
#define EDU_DMA_DST         0x88
#define EDU_DMA_COUNT       0x90
#define EDU_DMA_CMD         0x98
#define   EDU_CMD_RUN       (1u << 0)
#define   EDU_CMD_TO_RAM    (1u << 1)   /* edu buffer -> RAM */
#define   EDU_CMD_IRQ       (1u << 2)   /* raise 0x100 when done */
#define EDU_DMA_IRQ         0x100
#define EDU_IRQ_TEST        0x200   /* raised through EDU_IRQ_RAISE */
/* clang-format on */

#define EDU_BUF_ADDR 0x40000u
#define EDU_BUF_SIZE 0x1000u
#define EDU_DMA_MAX  (EDU_BUF_SIZE - 1)

#define EDU_ID_MAGIC 0xEDu /* low byte of EDU_ID */

enum edu_err {
    EDU_OK = 0,
    EDU_EINVAL = -1,    /* request QEMU would abort on: refused */
    EDU_ETIMEDOUT = -2, /* DMA did not complete in time */
    EDU_EBUSY = -3,     /* a DMA is already running */
    EDU_ENODEV = -4,    /* BAR unusable, ID or liveness wrong */
};

enum edu_dir {
    EDU_RAM_TO_DEV, /* device reads RAM (DMA read through IOMMU) */
    EDU_DEV_TO_RAM, /* device writes RAM (DMA write) */
};

struct edu {
    const struct pci_dev *pci;
    uint64_t mmio; /* BAR0 physical base */
    uint16_t sid;  /* requester id */
    bool msi;      /* completion raises an MSI we wait for */
    uint32_t msi_data;
    uint64_t msi_addr;      /* what edu_enable_msi programmed */
    volatile unsigned irqs; /* completion interrupts seen */
};

/* Find edu functions (after pci_enumerate). Returns how many were stored. */
unsigned edu_find(struct edu *out, unsigned max);

/* Map BAR0, enable memory decoding and bus mastering (SeaBIOS leaves it
 * off and DMA then silently does nothing), check the ID and liveness. */
int edu_init(struct edu *e);

/* Deliver DMA completion as an MSI, so waits sleep (HLT) instead of
 * polling: under an instruction-count clock QEMU then skips the 100 ms
 * edu takes per transfer. Without it (no MSI capability, no vector) waits
 * poll. Returns 0 or EDU_ENODEV. */
int edu_enable_msi(struct edu *e);

/* Program the MSI capability's address and data as given (a remappable
 * message, or a malformed one: the remapping unit judges it), and back
 * to what edu_enable_msi chose. EDU_ENODEV without MSI. */
int edu_msi_program(struct edu *e, uint64_t addr, uint32_t data);
int edu_msi_restore(struct edu *e);

/* Raise edu's interrupt once (one MSI), and acknowledge it afterwards:
 * a handler that is not edu's own does not. */
void edu_irq_raise(struct edu *e);
void edu_irq_ack(struct edu *e);

/* Whether [buf_off, buf_off+count) is a transfer QEMU accepts. */
bool edu_dma_ok(uint32_t buf_off, uint32_t count);

/* Start a transfer between IOVA iova and the device buffer at buf_off.
 * Does not wait. */
int edu_dma_start(struct edu *e, enum edu_dir dir, uint64_t iova,
                  uint32_t buf_off, uint32_t count);
bool edu_dma_busy(struct edu *e);
/* Wait (bounded) for the running transfer to finish. */
int edu_dma_wait(struct edu *e, uint64_t timeout_ns);
/* Start and wait. */
int edu_dma(struct edu *e, enum edu_dir dir, uint64_t iova, uint32_t buf_off,
            uint32_t count, uint64_t timeout_ns);

const char *edu_strerror(int err);

#endif
