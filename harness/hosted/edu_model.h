/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/hosted/edu_model.h — QEMU's edu (PCI 1234:11e8) as a device
 * model with no machine around it: its BAR0 registers, its 4 KiB buffer
 * and its DMA engine. Whoever hosts it supplies the rest through a table
 * of operations: the RAM side of a transfer, bus mastering, the interrupt
 * line or message, when a started transfer actually runs, and what a
 * transfer outside the buffer does.
 *
 * Two hosts use it: the hosted machine (harness/hosted/edu.c binds it to
 * the machine's PCI function, virtual clock and remapping unit) and the
 * vfio-user server (harness/vfio-user/, an "assigned" edu whose DMA goes
 * through the IOVA table QEMU's MAP/UNMAP messages build).
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
 */
#ifndef HARNESS_HOSTED_EDU_MODEL_H
#define HARNESS_HOSTED_EDU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Identity and configuration-space facts of QEMU's edu, for whoever
 * builds its PCI function: rev 0x10, class "other" (0x00ff), subsystem
 * 1af4:1100 (QEMU's default), INTA, BAR0 1 MiB of 32-bit MMIO, an MSI
 * capability with one vector and 64-bit addresses at 0x40. */
#define EDU_MODEL_VENDOR        0x1234u
#define EDU_MODEL_DEVICE        0x11E8u
#define EDU_MODEL_CLASS_REV     0x00FF0010u
#define EDU_MODEL_SUBSYS_VENDOR 0x1AF4u
#define EDU_MODEL_SUBSYS_ID     0x1100u
#define EDU_MODEL_INT_PIN       1u
#define EDU_MODEL_BAR0_SIZE     (1ull << 20)
#define EDU_MODEL_MSI_CAP       0x40u

/* BAR0 and the buffer. */
#define EDU_MODEL_ID        0x010000EDu
#define EDU_MODEL_IRQ_FACT  0x001u
#define EDU_MODEL_IRQ_DMA   0x100u
#define EDU_MODEL_BUF_START 0x40000ull
#define EDU_MODEL_BUF_LEN   0x1000ull

struct edu_model;

struct edu_model_ops {
    /* Move len bytes between buf and RAM-side bus address addr (already
     * masked with dma_mask): to_ram is a DMA write. Called only with bus
     * mastering on. What a blocked request does is the host's business
     * (the hosted machine reads zeros, the vfio-user server leaves the
     * buffer as it was). */
    void (*dma)(void *ctx, uint64_t addr, void *buf, size_t len, bool to_ram);
    bool (*bus_master)(void *ctx);
    /* irq_status is non-zero after a raise: send the interrupt. */
    void (*irq_raise)(void *ctx);
    /* irq_status became zero: a level-triggered line goes down. */
    void (*irq_lower)(void *ctx);
    /* A transfer was started: call edu_model_dma_run() when it is due
     * (QEMU's edu: a 100 ms timer), or at once. */
    void (*dma_schedule)(void *ctx);
    /* The device-side range [addr, addr+len) leaves the buffer (its end
     * must stay strictly inside, as QEMU checks). QEMU 7.2 stops the
     * machine (hw_error); a host that returns has the transfer skipped
     * and the command completed as usual. */
    void (*bad_range)(void *ctx, uint64_t addr, uint64_t len);
};

struct edu_model *edu_model_new(const struct edu_model_ops *ops, void *ctx,
                                uint64_t dma_mask);
void edu_model_free(struct edu_model *e);

/* BAR0 accesses; size in bytes. */
uint64_t edu_model_read(struct edu_model *e, uint64_t off, unsigned size);
void edu_model_write(struct edu_model *e, uint64_t off, unsigned size,
                     uint64_t val);

/* The started transfer happens now (a no-op when none is running). */
void edu_model_dma_run(struct edu_model *e);

/* Registers, buffer and any started transfer back to power-on state. */
void edu_model_reset(struct edu_model *e);

uint32_t edu_model_irq_status(const struct edu_model *e);

#endif
