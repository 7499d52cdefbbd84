/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/vfio-user/device.h — the served PCI function: QEMU's edu
 * (harness/hosted/edu_model.h) behind a type-0 configuration space, its
 * BAR0 and its interrupts, as a VFIO PCI device presents them.
 *
 *   regions     BAR0: 1 MiB, read/write through messages (no mmap), only
 *               while memory decoding is on; configuration space: 256
 *               bytes; BAR1-5, ROM and VGA: absent (size 0)
 *   config      power-on state: command 0, BAR0 unassigned, an MSI
 *               capability (one vector, 64-bit) at 0x40; writable bits
 *               as a PCI function has them, BAR0 sizes itself
 *   interrupts  INTx (maskable, automasked: after each trigger nothing
 *               more until the client unmasks, then again at once if the
 *               line is still up) and MSI (one vector), each through the
 *               eventfd the client gives; one of the two at a time, as
 *               the kernel's vfio-pci has it
 *   DMA         edu's transfers go through the IOVA table (iova.h): a
 *               page it does not allow is not performed and is logged; a
 *               transfer leaving edu's buffer is refused and logged (QEMU
 *               7.2 would stop the machine)
 *   timing      a started transfer runs at once, or dma_delay_ns later
 *               (the caller's loop runs vfu_dev_tick)
 */
#ifndef HARNESS_VFIO_USER_DEVICE_H
#define HARNESS_VFIO_USER_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "harness/vfio-user/log.h"
#include "harness/vfio-user/proto.h"

struct vfu_iova;
struct edu_model;

#define VFU_CFG_SIZE 256u

enum vfu_irq_mode { VFU_IRQ_OFF, VFU_IRQ_INTX, VFU_IRQ_MSI };

struct vfu_dev_counts {
    uint64_t dmas, dmas_blocked, bad_ranges;
    uint64_t msis, intx_triggers, irqs_lost;
    uint64_t resets;
};

struct vfu_dev {
    uint8_t cfg[VFU_CFG_SIZE];
    uint8_t wmask[VFU_CFG_SIZE];
    uint8_t w1c[VFU_CFG_SIZE];
    struct edu_model *edu;
    struct vfu_iova *iova;
    struct vfu_log *log;
    enum vfu_irq_mode mode;
    int intx_fd, msi_fd; /* -1: none */
    bool intx_masked;
    uint64_t dma_delay_ns;
    bool dma_armed;
    uint64_t dma_due_ns;
    uint64_t dma_seq; /* the message that started it */
    uint16_t dma_id;
    struct vfu_dev_counts n;
};

struct vfu_dev *vfu_dev_new(struct vfu_iova *iova, struct vfu_log *log,
                            uint64_t dma_mask, uint64_t dma_delay_ns);
void vfu_dev_free(struct vfu_dev *d);

/* Returns 0 or a positive errno for the reply; each refusal is logged. */
int vfu_dev_region_info(struct vfu_dev *d, uint32_t index,
                        struct vfu_region_info *out);
int vfu_dev_region_access(struct vfu_dev *d, uint32_t region, uint64_t offset,
                          void *buf, uint32_t count, bool write);
int vfu_dev_irq_info(struct vfu_dev *d, uint32_t index,
                     struct vfu_irq_info *out);
/* bools: set->count bytes for DATA_BOOL, else NULL. The nfds eventfds
 * are consumed (kept or closed), whatever the outcome. */
int vfu_dev_set_irqs(struct vfu_dev *d, const struct vfu_irq_set *set,
                     const uint8_t *bools, const int *fds, unsigned nfds);

/* VFIO_USER_DEVICE_RESET: edu and configuration space to power-on state;
 * the client's interrupt set-up stays. */
void vfu_dev_reset(struct vfu_dev *d);
/* The client left: its eventfds are closed. */
void vfu_dev_disconnect(struct vfu_dev *d);

/* A delayed transfer: when it is due (0: none), and run what is due. */
uint64_t vfu_dev_deadline(const struct vfu_dev *d);
void vfu_dev_tick(struct vfu_dev *d, uint64_t now_ns);

/* Whether fd is an eventfd (what interrupt triggers must be). */
bool vfu_is_eventfd(int fd);

#endif
