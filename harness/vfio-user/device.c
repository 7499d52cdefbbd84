/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/vfio-user/device.c — the served edu function (device.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/hosted/edu_model.h"
#include "harness/vfio-user/device.h"
#include "harness/vfio-user/iova.h"
#include "harness/clock.h"
#include "harness/le.h"

/* Type-0 header offsets and bits (PCI Local Bus 3.0, 6.1). */
/* clang-format off */
#define CFG_COMMAND         0x04
#define   CMD_MEMORY        (1u << 1)
#define   CMD_BUS_MASTER    (1u << 2)
#define   CMD_INTX_DISABLE  (1u << 10)
#define CFG_STATUS          0x06
#define   STS_INTERRUPT     (1u << 3)
#define   STS_CAP_LIST      (1u << 4)
#define   STS_MASTER_ABORT  (1u << 13)  /* Received Master Abort */
#define CFG_CLASS_REV       0x08
#define CFG_CACHE_LINE      0x0C
#define CFG_LATENCY         0x0D
#define CFG_BAR0            0x10
#define CFG_SUBSYS_VENDOR   0x2C
#define CFG_SUBSYS_ID       0x2E
#define CFG_CAP_PTR         0x34
#define CFG_INT_LINE        0x3C
#define CFG_INT_PIN         0x3D
/* MSI capability (6.8.1), 64-bit, no per-vector masking. */
#define MSI_ID              0x05
#define MSI_CTRL            2
#define   MSI_CTRL_ENABLE   (1u << 0)
#define   MSI_CTRL_MME      (7u << 4)
#define   MSI_CTRL_64BIT    (1u << 7)
#define MSI_ADDR_LO         4
#define MSI_ADDR_HI         8
#define MSI_DATA            12
/* clang-format on */

bool vfu_is_eventfd(int fd)
{
    char path[64], target[64];
    ssize_t n;

    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    n = readlink(path, target, sizeof(target) - 1);
    if (n < 0)
        return false;
    target[n] = 0;
    return !strcmp(target, "anon_inode:[eventfd]");
}

/* ------------------------------------------------- configuration space */

/* Power-on state of edu's function: what QEMU's edu has before firmware
 * touches it. */
static void cfg_init(struct vfu_dev *d)
{
    const unsigned msi = EDU_MODEL_MSI_CAP;

    memset(d->cfg, 0, sizeof(d->cfg));
    memset(d->wmask, 0, sizeof(d->wmask));
    memset(d->w1c, 0, sizeof(d->w1c));
    le_put16(d->cfg, 0x00, EDU_MODEL_VENDOR);
    le_put16(d->cfg, 0x02, EDU_MODEL_DEVICE);
    le_put16(d->wmask, CFG_COMMAND,
             CMD_MEMORY | CMD_BUS_MASTER | CMD_INTX_DISABLE |
                 0x0141); /* + I/O, parity, SERR */
    le_put16(d->cfg, CFG_STATUS, STS_CAP_LIST);
    le_put16(d->w1c, CFG_STATUS, 0xF900); /* parity and abort bits */
    le_put32(d->cfg, CFG_CLASS_REV, EDU_MODEL_CLASS_REV);
    d->wmask[CFG_CACHE_LINE] = 0xFF;
    d->wmask[CFG_LATENCY] = 0xFF;
    /* BAR0: 32-bit, non-prefetchable memory; its size in the bits that
     * do not stick. */
    le_put32(d->wmask, CFG_BAR0, (uint32_t) ~(EDU_MODEL_BAR0_SIZE - 1));
    le_put16(d->cfg, CFG_SUBSYS_VENDOR, EDU_MODEL_SUBSYS_VENDOR);
    le_put16(d->cfg, CFG_SUBSYS_ID, EDU_MODEL_SUBSYS_ID);
    d->cfg[CFG_CAP_PTR] = (uint8_t)msi;
    d->wmask[CFG_INT_LINE] = 0xFF;
    d->cfg[CFG_INT_PIN] = EDU_MODEL_INT_PIN;
    d->cfg[msi] = MSI_ID;
    le_put16(d->cfg, msi + MSI_CTRL, MSI_CTRL_64BIT);
    le_put16(d->wmask, msi + MSI_CTRL, MSI_CTRL_ENABLE | MSI_CTRL_MME);
    le_put32(d->wmask, msi + MSI_ADDR_LO, 0xFFFFFFFC);
    le_put32(d->wmask, msi + MSI_ADDR_HI, 0xFFFFFFFF);
    le_put16(d->wmask, msi + MSI_DATA, 0xFFFF);
}

static uint16_t command(const struct vfu_dev *d)
{
    return le_get16(d->cfg, CFG_COMMAND);
}

static void signal_fd(struct vfu_dev *d, int fd, const char *what)
{
    uint64_t one = 1;

    if (write(fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
        vfu_log(d->log, "%s: eventfd %d write failed: %s", what, fd,
                strerror(errno));
}

/* The INTx line follows edu's interrupt status while MSI is not in use;
 * a rising line (or an unmask with the line up) triggers and masks. */
static void intx_update(struct vfu_dev *d)
{
    bool up = d->mode != VFU_IRQ_MSI && edu_model_irq_status(d->edu);
    uint16_t sts = le_get16(d->cfg, CFG_STATUS);

    le_put16(d->cfg, CFG_STATUS,
             up ? sts | STS_INTERRUPT : sts & ~STS_INTERRUPT);
    if (!up || (command(d) & CMD_INTX_DISABLE) || d->mode != VFU_IRQ_INTX ||
        d->intx_masked || d->intx_fd < 0)
        return;
    d->intx_masked = true;
    d->n.intx_triggers++;
    vfu_trace(d->log, "edu: INTx asserted: triggered and masked");
    signal_fd(d, d->intx_fd, "INTx");
}

static void cfg_write(struct vfu_dev *d, uint64_t off, const uint8_t *buf,
                      uint32_t count)
{
    uint16_t before = command(d);

    for (uint32_t i = 0; i < count; i++) {
        unsigned o = (unsigned)off + i;
        uint8_t v = buf[i];

        d->cfg[o] = (uint8_t)((d->cfg[o] & ~d->wmask[o]) | (v & d->wmask[o]));
        d->cfg[o] &= (uint8_t) ~(v & d->w1c[o]);
    }
    if (command(d) != before) {
        vfu_trace(d->log, "config: command 0x%04x -> 0x%04x", before,
                  command(d));
        intx_update(d);
    }
}

/* ----------------------------------------------------- edu's host side */

static void edu_dma(void *ctx, uint64_t addr, void *buf, size_t len,
                    bool to_ram)
{
    struct vfu_dev *d = ctx;
    struct vfu_dma_result r = vfu_iova_dma(d->iova, addr, buf, len, to_ram);

    d->n.dmas++;
    if (!r.blocked) {
        vfu_trace(d->log, "edu: DMA %s iova 0x%" PRIx64 " len 0x%zx: done",
                  to_ram ? "to RAM" : "from RAM", addr, len);
        return;
    }
    d->n.dmas_blocked++;
    /* VT-d 7.1.1: a blocked read completes with Unsupported Request
     * (recommended), which the requester records as Received Master
     * Abort; a blocked write is dropped and the device learns nothing. */
    if (!to_ram)
        le_put16(d->cfg, CFG_STATUS,
                 le_get16(d->cfg, CFG_STATUS) | STS_MASTER_ABORT);
    vfu_log(d->log,
            "edu: DMA %s iova 0x%" PRIx64 " len 0x%zx: 0x%" PRIx64
            " byte(s) not performed, from iova 0x%" PRIx64 ": %s",
            to_ram ? "to RAM" : "from RAM", addr, len, r.blocked,
            r.first_blocked, r.why);
}

static bool edu_bus_master(void *ctx)
{
    struct vfu_dev *d = ctx;

    return command(d) & CMD_BUS_MASTER;
}

static void edu_irq_raise(void *ctx)
{
    struct vfu_dev *d = ctx;

    if (d->mode == VFU_IRQ_MSI && d->msi_fd >= 0) {
        d->n.msis++;
        vfu_trace(d->log, "edu: interrupt 0x%x: MSI",
                  edu_model_irq_status(d->edu));
        signal_fd(d, d->msi_fd, "MSI");
    } else if (d->mode == VFU_IRQ_INTX) {
        intx_update(d);
    } else {
        d->n.irqs_lost++;
        vfu_log(d->log,
                "edu: interrupt 0x%x raised with no interrupt "
                "set up by the client: lost",
                edu_model_irq_status(d->edu));
    }
}

static void edu_irq_lower(void *ctx)
{
    intx_update(ctx);
}

static void edu_dma_schedule(void *ctx)
{
    struct vfu_dev *d = ctx;

    if (!d->dma_delay_ns) {
        edu_model_dma_run(d->edu);
        return;
    }
    d->dma_armed = true;
    d->dma_due_ns = host_now_ns() + d->dma_delay_ns;
    d->dma_seq = d->log->seq;
    d->dma_id = d->log->id;
}

static void edu_bad_range(void *ctx, uint64_t addr, uint64_t len)
{
    struct vfu_dev *d = ctx;

    d->n.bad_ranges++;
    vfu_log(d->log,
            "edu: DMA device range 0x%" PRIx64 "+0x%" PRIx64
            " leaves the buffer 0x%llx-0x%llx: refused",
            addr, len, (unsigned long long)EDU_MODEL_BUF_START,
            (unsigned long long)(EDU_MODEL_BUF_START + EDU_MODEL_BUF_LEN - 1));
}

static const struct edu_model_ops vfu_edu_ops = {
    .dma = edu_dma,
    .bus_master = edu_bus_master,
    .irq_raise = edu_irq_raise,
    .irq_lower = edu_irq_lower,
    .dma_schedule = edu_dma_schedule,
    .bad_range = edu_bad_range,
};

struct vfu_dev *vfu_dev_new(struct vfu_iova *iova, struct vfu_log *log,
                            uint64_t dma_mask, uint64_t dma_delay_ns)
{
    struct vfu_dev *d = calloc(1, sizeof(*d));

    if (!d)
        return NULL;
    d->edu = edu_model_new(&vfu_edu_ops, d, dma_mask);
    if (!d->edu) {
        free(d);
        return NULL;
    }
    d->iova = iova;
    d->log = log;
    d->intx_fd = d->msi_fd = -1;
    d->dma_delay_ns = dma_delay_ns;
    cfg_init(d);
    return d;
}

void vfu_dev_free(struct vfu_dev *d)
{
    if (!d)
        return;
    vfu_dev_disconnect(d);
    edu_model_free(d->edu);
    free(d);
}

void vfu_dev_reset(struct vfu_dev *d)
{
    d->n.resets++;
    edu_model_reset(d->edu);
    d->dma_armed = false;
    cfg_init(d);
    intx_update(d);
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

void vfu_dev_disconnect(struct vfu_dev *d)
{
    close_fd(&d->intx_fd);
    close_fd(&d->msi_fd);
    d->mode = VFU_IRQ_OFF;
    d->intx_masked = false;
}

uint64_t vfu_dev_deadline(const struct vfu_dev *d)
{
    return d->dma_armed ? d->dma_due_ns : 0;
}

void vfu_dev_tick(struct vfu_dev *d, uint64_t now_ns)
{
    uint64_t seq = d->log->seq;
    uint16_t id = d->log->id;

    if (!d->dma_armed || now_ns < d->dma_due_ns)
        return;
    d->dma_armed = false;
    /* What the transfer logs names the message that started it. */
    d->log->seq = d->dma_seq;
    d->log->id = d->dma_id;
    edu_model_dma_run(d->edu);
    d->log->seq = seq;
    d->log->id = id;
}

/* ------------------------------------------------------------ regions */

static uint64_t region_size(uint32_t index)
{
    /* clang-format off */
    switch (index) {
    case VFU_PCI_BAR0:      return EDU_MODEL_BAR0_SIZE;
    case VFU_PCI_CONFIG:    return VFU_CFG_SIZE;
    default:                return 0;
    }
    /* clang-format on */
}

int vfu_dev_region_info(struct vfu_dev *d, uint32_t index,
                        struct vfu_region_info *out)
{
    if (index >= VFU_PCI_NUM_REGIONS) {
        return vfu_refuse(d->log, EINVAL,
                          "region info: no region %u (a PCI "
                          "device has %u)",
                          index, VFU_PCI_NUM_REGIONS);
    }
    memset(out, 0, sizeof(*out));
    out->argsz = sizeof(*out);
    out->index = index;
    out->size = region_size(index);
    if (out->size)
        out->flags = VFU_REGION_READ_OK | VFU_REGION_WRITE_OK;
    return 0;
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void put_le(uint8_t *p, unsigned n, uint64_t v)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int bar0_access(struct vfu_dev *d, uint64_t offset, uint8_t *buf,
                       uint32_t count, bool write)
{
    if (count != 1 && count != 2 && count != 4 && count != 8) {
        return vfu_refuse(d->log, EINVAL,
                          "BAR0 %s of %u bytes at 0x%" PRIx64
                          ": only 1, 2, 4 or 8 bytes at a time",
                          write ? "write" : "read", count, offset);
    }
    /* As the kernel's vfio-pci: no MMIO while memory decoding is off. */
    if (!(command(d) & CMD_MEMORY)) {
        return vfu_refuse(d->log, EIO,
                          "BAR0 %s at 0x%" PRIx64 " with memory "
                          "decoding off (command 0x%04x)",
                          write ? "write" : "read", offset, command(d));
    }
    if (write) {
        uint64_t v = get_le(buf, count);

        vfu_trace(d->log, "BAR0 write 0x%" PRIx64 " size %u: 0x%" PRIx64,
                  offset, count, v);
        edu_model_write(d->edu, offset, count, v);
    } else {
        uint64_t v = edu_model_read(d->edu, offset, count);

        put_le(buf, count, v);
        vfu_trace(d->log, "BAR0 read 0x%" PRIx64 " size %u: 0x%" PRIx64, offset,
                  count,
                  count == 8 ? v : v & (((uint64_t)1 << (8 * count)) - 1));
    }
    return 0;
}

int vfu_dev_region_access(struct vfu_dev *d, uint32_t region, uint64_t offset,
                          void *buf, uint32_t count, bool write)
{
    uint64_t size = region < VFU_PCI_NUM_REGIONS ? region_size(region) : 0;

    if (region >= VFU_PCI_NUM_REGIONS || !size) {
        return vfu_refuse(d->log, EINVAL, "region %u %s: no such region",
                          region, write ? "write" : "read");
    }
    if (!count || offset > size || count > size - offset) {
        return vfu_refuse(d->log, EINVAL,
                          "region %u %s of %u bytes at 0x%" PRIx64
                          ": outside the region (0x%" PRIx64 " bytes)",
                          region, write ? "write" : "read", count, offset,
                          size);
    }
    if (region == VFU_PCI_BAR0)
        return bar0_access(d, offset, buf, count, write);
    if (write)
        cfg_write(d, offset, buf, count);
    else
        memcpy(buf, d->cfg + offset, count);
    return 0;
}

/* --------------------------------------------------------- interrupts */

static uint32_t irq_count(uint32_t index)
{
    return index == VFU_PCI_INTX || index == VFU_PCI_MSI ? 1 : 0;
}

int vfu_dev_irq_info(struct vfu_dev *d, uint32_t index,
                     struct vfu_irq_info *out)
{
    if (index >= VFU_PCI_NUM_IRQS) {
        return vfu_refuse(d->log, EINVAL,
                          "irq info: no interrupt index %u (a "
                          "PCI device has %u)",
                          index, VFU_PCI_NUM_IRQS);
    }
    memset(out, 0, sizeof(*out));
    out->argsz = sizeof(*out);
    out->index = index;
    out->count = irq_count(index);
    out->flags = VFU_IRQ_INFO_EVENTFD;
    if (index == VFU_PCI_INTX)
        out->flags |= VFU_IRQ_INFO_MASKABLE | VFU_IRQ_INFO_AUTOMASKED;
    else
        out->flags |= VFU_IRQ_INFO_NORESIZE;
    return 0;
}

static const char *irq_name(uint32_t index)
{
    static const char *const names[] = { "INTx", "MSI", "MSI-X", "ERR", "REQ" };

    return index < VFU_PCI_NUM_IRQS ? names[index] : "?";
}

static void close_all(const int *fds, unsigned nfds)
{
    for (unsigned i = 0; i < nfds; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

/* The shape of a SET_IRQS: one data type, one action, a range inside the
 * index, as many eventfds as vectors (or none: de-assign). */
static int set_irqs_check(struct vfu_dev *d, const struct vfu_irq_set *s,
                          unsigned nfds)
{
    uint32_t data = s->flags & VFU_IRQ_DATA_MASK;
    uint32_t action = s->flags & VFU_IRQ_ACTION_MASK_ALL;
    uint32_t max;

    if (s->flags & ~(VFU_IRQ_DATA_MASK | VFU_IRQ_ACTION_MASK_ALL) || !data ||
        (data & (data - 1)) || !action || (action & (action - 1))) {
        return vfu_refuse(d->log, EINVAL,
                          "SET_IRQS flags 0x%x: one data type "
                          "and one action wanted",
                          s->flags);
    }
    if (s->index >= VFU_PCI_NUM_IRQS) {
        return vfu_refuse(d->log, EINVAL, "SET_IRQS: no interrupt index %u",
                          s->index);
    }
    max = irq_count(s->index);
    if (!s->count) {
        if (data != VFU_IRQ_DATA_NONE || action != VFU_IRQ_ACTION_TRIGGER ||
            s->start) {
            return vfu_refuse(d->log, EINVAL,
                              "SET_IRQS %s: count 0 only "
                              "disables (DATA_NONE, TRIGGER, start 0)",
                              irq_name(s->index));
        }
    } else if (s->start >= max || s->count > max - s->start) {
        return vfu_refuse(d->log, EINVAL,
                          "SET_IRQS %s: vectors %u+%u, the "
                          "device has %u",
                          irq_name(s->index), s->start, s->count, max);
    }
    if (data == VFU_IRQ_DATA_EVENTFD) {
        if (nfds && nfds != s->count) {
            return vfu_refuse(d->log, EINVAL,
                              "SET_IRQS %s: %u eventfd(s) for "
                              "%u vector(s)",
                              irq_name(s->index), nfds, s->count);
        }
    } else if (nfds) {
        return vfu_refuse(d->log, EINVAL,
                          "SET_IRQS %s: %u descriptor(s) "
                          "without DATA_EVENTFD",
                          irq_name(s->index), nfds);
    }
    return 0;
}

static void irq_disable(struct vfu_dev *d, uint32_t index)
{
    enum vfu_irq_mode m = index == VFU_PCI_INTX ? VFU_IRQ_INTX : VFU_IRQ_MSI;

    close_fd(index == VFU_PCI_INTX ? &d->intx_fd : &d->msi_fd);
    if (d->mode == m)
        d->mode = VFU_IRQ_OFF;
    if (index == VFU_PCI_INTX)
        d->intx_masked = false;
    vfu_trace(d->log, "SET_IRQS %s: disabled", irq_name(index));
    intx_update(d);
}

static int irq_assign(struct vfu_dev *d, uint32_t index, int fd)
{
    enum vfu_irq_mode m = index == VFU_PCI_INTX ? VFU_IRQ_INTX : VFU_IRQ_MSI;
    int *slot = index == VFU_PCI_INTX ? &d->intx_fd : &d->msi_fd;

    if (d->mode != VFU_IRQ_OFF && d->mode != m) {
        close(fd);
        return vfu_refuse(d->log, EINVAL,
                          "SET_IRQS %s: %s is in use; "
                          "disable it first",
                          irq_name(index),
                          d->mode == VFU_IRQ_INTX ? "INTx" : "MSI");
    }
    close_fd(slot);
    *slot = fd;
    d->mode = m;
    if (index == VFU_PCI_INTX)
        d->intx_masked = false;
    vfu_trace(d->log, "SET_IRQS %s: eventfd %d", irq_name(index), fd);
    intx_update(d);
    return 0;
}

int vfu_dev_set_irqs(struct vfu_dev *d, const struct vfu_irq_set *s,
                     const uint8_t *bools, const int *fds, unsigned nfds)
{
    uint32_t data = s->flags & VFU_IRQ_DATA_MASK;
    uint32_t action = s->flags & VFU_IRQ_ACTION_MASK_ALL;
    int err = set_irqs_check(d, s, nfds);

    if (!err && data == VFU_IRQ_DATA_EVENTFD && nfds &&
        !vfu_is_eventfd(fds[0])) {
        err = vfu_refuse(d->log, EINVAL,
                         "SET_IRQS %s: descriptor is not an "
                         "eventfd",
                         irq_name(s->index));
    }
    if (err) {
        close_all(fds, nfds);
        return err;
    }
    if (!s->count) { /* the index off, whatever it is */
        if (s->index == VFU_PCI_INTX || s->index == VFU_PCI_MSI)
            irq_disable(d, s->index);
        return 0;
    }
    /* Here count is 1 and the index is INTx or MSI. */
    if (data == VFU_IRQ_DATA_BOOL && !bools[0])
        return 0;
    switch (action) {
    case VFU_IRQ_ACTION_TRIGGER:
        if (data == VFU_IRQ_DATA_EVENTFD) {
            if (!nfds) {
                irq_disable(d, s->index);
                return 0;
            }
            return irq_assign(d, s->index, fds[0]);
        }
        /* The client triggers the interrupt itself. */
        if (s->index == VFU_PCI_INTX && d->mode == VFU_IRQ_INTX &&
            d->intx_fd >= 0) {
            d->intx_masked = true;
            signal_fd(d, d->intx_fd, "INTx");
        } else if (s->index == VFU_PCI_MSI && d->mode == VFU_IRQ_MSI &&
                   d->msi_fd >= 0) {
            signal_fd(d, d->msi_fd, "MSI");
        }
        return 0;
    case VFU_IRQ_ACTION_MASK:
    case VFU_IRQ_ACTION_UNMASK:
        if (s->index != VFU_PCI_INTX || data == VFU_IRQ_DATA_EVENTFD) {
            close_all(fds, nfds);
            return vfu_refuse(d->log, EINVAL,
                              "SET_IRQS %s %s%s: not "
                              "supported",
                              irq_name(s->index),
                              action == VFU_IRQ_ACTION_MASK ? "mask" : "unmask",
                              data == VFU_IRQ_DATA_EVENTFD
                                  ? " through an eventfd"
                                  : "");
        }
        d->intx_masked = action == VFU_IRQ_ACTION_MASK;
        vfu_trace(d->log, "SET_IRQS INTx %s",
                  d->intx_masked ? "masked" : "unmasked");
        intx_update(d);
        return 0;
    }
    return EINVAL;
}
