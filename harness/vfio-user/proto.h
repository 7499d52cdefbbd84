/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/vfio-user/proto.h — the vfio-user wire format (QEMU's
 * docs/interop/vfio-user.rst, protocol version 0.0) and the VFIO values
 * it carries (the kernel's <linux/vfio.h>: region and interrupt indices
 * of a PCI device, flags).
 *
 * Every message is a 16-byte header and a payload; all fields are in the
 * host's byte order. The structures below are the payloads, in the
 * order the specification gives their fields; they are copied in and out
 * of message buffers with memcpy, never cast over them.
 */
#ifndef HARNESS_VFIO_USER_PROTO_H
#define HARNESS_VFIO_USER_PROTO_H

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------- header */

struct vfu_hdr {
    uint16_t id; /* the sender's; echoed in the reply */
    uint16_t cmd;
    uint32_t size; /* header included */
    uint32_t flags;
    uint32_t error; /* an errno in an error reply; reserved else */
};
_Static_assert(sizeof(struct vfu_hdr) == 16, "vfio-user header");

#define VFU_HDR_SIZE 16u

/* clang-format off */
#define VFU_F_TYPE_MASK         0x0Fu
#define   VFU_F_TYPE_COMMAND    0x0u
#define   VFU_F_TYPE_REPLY      0x1u
#define VFU_F_NO_REPLY          0x10u
#define VFU_F_ERROR             0x20u
#define VFU_F_KNOWN             (VFU_F_TYPE_MASK | VFU_F_NO_REPLY | \
                                 VFU_F_ERROR)
/* clang-format on */

/* Commands: "Commands" table of the specification. */
enum vfu_cmd {
    VFU_VERSION = 1,
    VFU_DMA_MAP = 2,
    VFU_DMA_UNMAP = 3,
    VFU_DEVICE_GET_INFO = 4,
    VFU_DEVICE_GET_REGION_INFO = 5,
    VFU_DEVICE_GET_REGION_IO_FDS = 6,
    VFU_DEVICE_GET_IRQ_INFO = 7,
    VFU_DEVICE_SET_IRQS = 8,
    VFU_REGION_READ = 9,
    VFU_REGION_WRITE = 10,
    VFU_DMA_READ = 11,  /* server -> client */
    VFU_DMA_WRITE = 12, /* server -> client */
    VFU_DEVICE_RESET = 13,
    VFU_DIRTY_PAGES = 14, /* withdrawn from the spec */
    VFU_REGION_WRITE_MULTI = 15,
    VFU_DEVICE_FEATURE = 16,
    VFU_MIG_DATA_READ = 17,
    VFU_MIG_DATA_WRITE = 18,
    VFU_CMD_MAX = 19,
};

/* ------------------------------------------------------------ payloads */

/* VFIO_USER_VERSION, request and reply: then optional JSON, NUL-ended. */
struct vfu_version {
    uint16_t major;
    uint16_t minor;
};
_Static_assert(sizeof(struct vfu_version) == 4, "version");

#define VFU_VERSION_MAJOR 0
#define VFU_VERSION_MINOR 0

/* VFIO_USER_DMA_MAP (vfio_iommu_type1_dma_map without vaddr). The fd of
 * the memory, when it can be mapped, travels as SCM_RIGHTS. */
struct vfu_dma_map {
    uint32_t argsz;
    uint32_t flags;
    uint64_t offset; /* into the file */
    uint64_t iova;
    uint64_t size;
};
_Static_assert(sizeof(struct vfu_dma_map) == 32, "dma map");

#define VFU_DMA_MAP_READ  (1u << 0)
#define VFU_DMA_MAP_WRITE (1u << 1)

/* VFIO_USER_DMA_UNMAP (vfio_iommu_type1_dma_unmap); the reply repeats it. */
struct vfu_dma_unmap {
    uint32_t argsz;
    uint32_t flags;
    uint64_t iova;
    uint64_t size;
};
_Static_assert(sizeof(struct vfu_dma_unmap) == 24, "dma unmap");

#define VFU_DMA_UNMAP_DIRTY (1u << 0) /* GET_DIRTY_BITMAP */
#define VFU_DMA_UNMAP_ALL   (1u << 1) /* iova and size must be 0 */

/* VFIO_USER_DEVICE_GET_INFO (vfio_device_info). */
struct vfu_device_info {
    uint32_t argsz;
    uint32_t flags;
    uint32_t num_regions;
    uint32_t num_irqs;
};
_Static_assert(sizeof(struct vfu_device_info) == 16, "device info");

#define VFU_DEVICE_FLAGS_RESET (1u << 0)
#define VFU_DEVICE_FLAGS_PCI   (1u << 1)

/* VFIO_USER_DEVICE_GET_REGION_INFO (vfio_region_info). */
struct vfu_region_info {
    uint32_t argsz;
    uint32_t flags;
    uint32_t index;
    uint32_t cap_offset;
    uint64_t size;
    uint64_t offset;
};
_Static_assert(sizeof(struct vfu_region_info) == 32, "region info");

#define VFU_REGION_READ_OK  (1u << 0) /* VFIO_REGION_INFO_FLAG_READ */
#define VFU_REGION_WRITE_OK (1u << 1) /* ..._WRITE */
#define VFU_REGION_MMAP     (1u << 2)
#define VFU_REGION_CAPS     (1u << 3)

/* Region indices of a PCI device (VFIO_PCI_*_REGION_INDEX). */
enum vfu_pci_region {
    VFU_PCI_BAR0 = 0,
    VFU_PCI_BAR5 = 5,
    VFU_PCI_ROM = 6,
    VFU_PCI_CONFIG = 7,
    VFU_PCI_VGA = 8,
    VFU_PCI_NUM_REGIONS = 9,
};

/* VFIO_USER_DEVICE_GET_IRQ_INFO (vfio_irq_info). */
struct vfu_irq_info {
    uint32_t argsz;
    uint32_t flags;
    uint32_t index;
    uint32_t count;
};
_Static_assert(sizeof(struct vfu_irq_info) == 16, "irq info");

#define VFU_IRQ_INFO_EVENTFD    (1u << 0)
#define VFU_IRQ_INFO_MASKABLE   (1u << 1)
#define VFU_IRQ_INFO_AUTOMASKED (1u << 2)
#define VFU_IRQ_INFO_NORESIZE   (1u << 3)

/* Interrupt indices of a PCI device (VFIO_PCI_*_IRQ_INDEX). */
enum vfu_pci_irq {
    VFU_PCI_INTX = 0,
    VFU_PCI_MSI = 1,
    VFU_PCI_MSIX = 2,
    VFU_PCI_ERR = 3,
    VFU_PCI_REQ = 4,
    VFU_PCI_NUM_IRQS = 5,
};

/* VFIO_USER_DEVICE_SET_IRQS (vfio_irq_set): then count booleans for
 * DATA_BOOL; eventfds travel as SCM_RIGHTS, none meaning "de-assign". */
struct vfu_irq_set {
    uint32_t argsz;
    uint32_t flags;
    uint32_t index;
    uint32_t start;
    uint32_t count;
};
_Static_assert(sizeof(struct vfu_irq_set) == 20, "irq set");

#define VFU_IRQ_DATA_NONE       (1u << 0)
#define VFU_IRQ_DATA_BOOL       (1u << 1)
#define VFU_IRQ_DATA_EVENTFD    (1u << 2)
#define VFU_IRQ_DATA_MASK       0x07u
#define VFU_IRQ_ACTION_MASK     (1u << 3)
#define VFU_IRQ_ACTION_UNMASK   (1u << 4)
#define VFU_IRQ_ACTION_TRIGGER  (1u << 5)
#define VFU_IRQ_ACTION_MASK_ALL 0x38u

/* VFIO_USER_REGION_READ / _WRITE: then count bytes of data (the read's
 * reply, the write's request). */
struct vfu_region_rw {
    uint64_t offset;
    uint32_t region;
    uint32_t count;
};
_Static_assert(sizeof(struct vfu_region_rw) == 16, "region rw");

/* VFIO_USER_REGION_WRITE_MULTI: wr_cnt, then wr_cnt of these. */
struct vfu_write_one {
    uint64_t offset;
    uint32_t region;
    uint32_t count; /* 1..8 */
    uint8_t data[8];
};
_Static_assert(sizeof(struct vfu_write_one) == 24, "write multi entry");

#define VFU_WRITE_MULTI_MAX 200 /* QEMU's client coalesces up to */

/* ----------------------------------------------------- our own limits */

#define VFU_MAX_XFER     (1u << 20) /* max_data_xfer_size */
#define VFU_MAX_FDS      8u         /* max_msg_fds we take */
#define VFU_MAX_DMA_MAPS 65535u     /* max_dma_maps */
#define VFU_PGSIZE       4096u      /* pgsizes */
/* The largest message we read: a REGION_WRITE of max_data_xfer_size,
 * or a VERSION with its JSON. */
#define VFU_MAX_MSG      (VFU_HDR_SIZE + sizeof(struct vfu_region_rw) + VFU_MAX_XFER)

#endif
