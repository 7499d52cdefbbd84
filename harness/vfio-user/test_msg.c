/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The dispatcher, message by message: the header's checks, VERSION and
 * its capabilities, every command's payload checks, descriptors where
 * they do not belong, and the served edu behind them (configuration
 * space, BAR0, interrupts through eventfds, DMA through the IOVA table).
 * Every refusal must come back as an error reply and a log line.
 */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness/vfio-user/json.h"
#include "harness/vfio-user/server.h"
#include "tests/host/tap.h"

#define MEMSZ (64 * 4096)

/* QEMU 11.1.3's proposal, as it sends it. */
static const char qemu_caps[] =
    "{\"capabilities\":{\"max_msg_fds\":16,\"max_data_xfer_size\":1048576,"
    "\"pgsizes\":4096,\"max_dma_maps\":65535,\"migration\":{\"pgsize\":4096,"
    "\"max_bitmap_size\":268435456},\"write_multiple\":true}}";

static struct vfu_server *s;
static uint8_t msg[VFU_MAX_MSG];
static uint16_t next_id;
static int mem;
static uint8_t *ram;

static enum vfu_verdict sendx(uint16_t cmd, uint32_t flags, const void *p,
                              size_t plen, const int *fds, unsigned nfds)
{
    struct vfu_hdr h = {
        .id = next_id++,
        .cmd = cmd,
        .size = (uint32_t)(16 + plen),
        .flags = flags,
    };

    memcpy(msg, &h, sizeof(h));
    if (plen)
        memcpy(msg + 16, p, plen);
    return vfu_server_handle(s, msg, 16 + plen, fds, nfds);
}

static void send0(uint16_t cmd, const void *p, size_t plen)
{
    sendx(cmd, 0, p, plen, NULL, 0);
}

/* The reply's errno, 0 for success, -1 for no reply; checks its shape. */
static int err(void)
{
    struct vfu_hdr h;

    if (!s->reply_len)
        return -1;
    memcpy(&h, s->reply, sizeof(h));
    if (h.size != s->reply_len || h.id != (uint16_t)(next_id - 1) ||
        (h.flags & VFU_F_TYPE_MASK) != VFU_F_TYPE_REPLY)
        return -2;
    if (h.flags & VFU_F_ERROR)
        return h.size == 16 && h.error ? (int)h.error : -3;
    return 0;
}

static const uint8_t *payload(size_t *len)
{
    *len = s->reply_len - 16;
    return s->reply + 16;
}

static bool closed(int fd)
{
    return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

/* A refusal: the errno in the reply and a line in the log. */
static bool refused(int want)
{
    static uint64_t lines;
    bool logged = s->log.lines > lines;

    lines = s->log.lines;
    return err() == want && logged;
}

/* ------------------------------------------------------------- helpers */

static uint64_t region_read(uint32_t region, uint64_t off, uint32_t count)
{
    struct vfu_region_rw r = { .offset = off,
                               .region = region,
                               .count = count };
    uint64_t v = 0;
    size_t n;
    const uint8_t *p;

    send0(VFU_REGION_READ, &r, sizeof(r));
    if (err())
        return ~0ull;
    p = payload(&n);
    memcpy(&v, p + 16, count < 8 ? count : 8);
    return v;
}

static int region_write(uint32_t region, uint64_t off, uint32_t count,
                        uint64_t v)
{
    uint8_t p[16 + 8];
    struct vfu_region_rw r = { .offset = off,
                               .region = region,
                               .count = count };

    memcpy(p, &r, sizeof(r));
    memcpy(p + 16, &v, 8);
    send0(VFU_REGION_WRITE, p, 16 + count);
    return err();
}

static uint32_t cfg32(unsigned off)
{
    return (uint32_t)region_read(VFU_PCI_CONFIG, off, 4);
}

static int set_irqs(uint32_t index, uint32_t flags, uint32_t count,
                    const int *fds, unsigned nfds)
{
    struct vfu_irq_set r = {
        .argsz = sizeof(r), .flags = flags, .index = index, .count = count
    };

    sendx(VFU_DEVICE_SET_IRQS, 0, &r, sizeof(r), fds, nfds);
    return err();
}

static uint64_t events(int efd)
{
    uint64_t n = 0;

    if (read(efd, &n, sizeof(n)) != sizeof(n))
        return 0;
    return n;
}

/* ------------------------------------------------------------- checks */

static void header_checks(void)
{
    uint8_t junk[4] = { 0 };
    struct vfu_region_rw r = { .region = VFU_PCI_CONFIG, .count = 4 };
    struct vfu_hdr h;
    int fd = eventfd(0, 0);

    send0(VFU_REGION_READ, &r, sizeof(r));
    TAP_OK(refused(EINVAL), "a command before VERSION: EINVAL");
    sendx(VFU_DEVICE_GET_INFO, 0, junk, 0, &fd, 1);
    TAP_OK(refused(EINVAL) && closed(fd), "a descriptor before VERSION: "
                                          "refused and closed");

    sendx(VFU_VERSION, 0x40, junk, 4, NULL, 0);
    TAP_OK(refused(EINVAL), "unknown flag bits: EINVAL");
    sendx(VFU_VERSION, VFU_F_ERROR, junk, 4, NULL, 0);
    TAP_OK(refused(EINVAL), "Error flag on a command: EINVAL");
    sendx(VFU_VERSION, 2, junk, 4, NULL, 0);
    TAP_OK(refused(EINVAL), "message type 2: EINVAL");
    sendx(VFU_VERSION, VFU_F_TYPE_REPLY, junk, 4, NULL, 0);
    TAP_OK(err() == -1, "a reply from the client: dropped, no reply");
    h = (struct vfu_hdr){ .id = next_id++, .cmd = VFU_VERSION, .size = 99 };
    memcpy(msg, &h, sizeof(h));
    vfu_server_handle(s, msg, 20, NULL, 0);
    TAP_OK(refused(EINVAL), "header size unlike the message's: EINVAL");
    h = (struct vfu_hdr){
        .id = next_id++, .cmd = VFU_VERSION, .size = 20, .error = 5
    };
    memcpy(msg, &h, sizeof(h));
    vfu_server_handle(s, msg, 20, NULL, 0);
    TAP_OK(refused(EINVAL), "error field set on a command: EINVAL");
    TAP_OK(vfu_server_handle(s, msg, 7, NULL, 0) == VFU_CLOSE &&
               s->reply_len == 0,
           "fewer bytes than a header: hang up");
    h = (struct vfu_hdr){ .id = next_id++,
                          .cmd = VFU_REGION_WRITE,
                          .size = 1u << 30 };
    vfu_server_refuse_header(s, &h, E2BIG, "too large");
    TAP_OK(refused(E2BIG), "a message too large to take: E2BIG");
    h.size = 8;
    TAP_OK(vfu_server_refuse_header(s, &h, EINVAL, "short") == VFU_CLOSE,
           "a header claiming fewer than 16 bytes: refused, hang up");
}

/* JSON text after the 4 version bytes; its length, with the NUL or not. */
static size_t json_in(uint8_t *p, const char *text, bool nul)
{
    size_t n = strlen(text) + (nul ? 1 : 0);

    memcpy(p + 4, text, n);
    return n;
}

static void version(void)
{
    uint8_t p[512];
    struct vfu_version v = { .major = 0, .minor = 0 };
    struct json_doc d;
    const struct json_node *caps;
    size_t n;

    memcpy(p, &v, 4);
    send0(VFU_VERSION, p, 4 + json_in(p, "{\"capabilities\":", false));
    TAP_OK(refused(EINVAL), "version data without its NUL: EINVAL");
    send0(VFU_VERSION, p, 4 + json_in(p, "{\"capabilities\":}", true));
    TAP_OK(refused(EINVAL), "version data that is not JSON: EINVAL");
    send0(VFU_VERSION, p, 4 + json_in(p, "{\"capabilities\":[1]}", true));
    TAP_OK(refused(EINVAL), "\"capabilities\" not an object: EINVAL");
    send0(VFU_VERSION, p,
          4 + json_in(p,
                      "{\"capabilities\":"
                      "{\"pgsizes\":8192}}",
                      true));
    TAP_OK(refused(ENOTSUP), "pgsizes without 4 KiB: ENOTSUP");
    send0(VFU_VERSION, p,
          4 + json_in(p,
                      "{\"capabilities\":"
                      "{\"max_msg_fds\":-1}}",
                      true));
    TAP_OK(refused(EINVAL), "a negative max_msg_fds: EINVAL");
    send0(VFU_VERSION, p, 4 + json_in(p, "{\"capabilities\":{}} x", true));
    TAP_OK(refused(EINVAL), "text after the JSON value: EINVAL");
    v.major = 1;
    memcpy(p, &v, 4);
    TAP_OK(sendx(VFU_VERSION, 0, p, 4, NULL, 0) == VFU_CLOSE &&
               refused(ENOTSUP),
           "major version 1: ENOTSUP, hang up");
    TAP_OK(!s->versioned, "no version agreed so far");

    v.major = 0;
    memcpy(p, &v, 4);
    memcpy(p + 4, qemu_caps, sizeof(qemu_caps));
    send0(VFU_VERSION, p, 4 + sizeof(qemu_caps));
    TAP_OK(err() == 0 && s->versioned, "QEMU's proposal: version 0.0 "
                                       "agreed");
    payload(&n);
    memcpy(&v, s->reply + 16, 4);
    TAP_OK(v.major == 0 && v.minor == 0 && s->reply[s->reply_len - 1] == 0,
           "reply: 0.0 and NUL-ended capabilities");
    TAP_OK(!json_parse(&d, (const char *)s->reply + 20, n - 5, NULL),
           "reply capabilities parse: %s", (const char *)s->reply + 20);
    caps = json_member(&d, &d.node[0], "capabilities");
    TAP_OK(caps && json_member(&d, caps, "max_msg_fds")->uint == 8 &&
               json_member(&d, caps, "pgsizes")->uint == 4096 &&
               json_member(&d, caps, "write_multiple")->type == JSON_TRUE &&
               !json_member(&d, caps, "migration") &&
               !json_member(&d, caps, "twin_socket"),
           "a subset of the proposal: no migration, no twin socket");
    send0(VFU_VERSION, p, 4 + sizeof(qemu_caps));
    TAP_OK(refused(EINVAL), "a second VERSION: EINVAL");
}

static void commands(void)
{
    struct vfu_device_info di = { .argsz = 16 };
    struct vfu_region_info ri = { .argsz = 32 };
    struct vfu_irq_info ii = { .argsz = 16 };
    uint8_t big[64] = { 0 };
    int fd = eventfd(0, 0);
    size_t n;

    send0(VFU_DEVICE_GET_INFO, &di, sizeof(di));
    memcpy(&di, payload(&n), sizeof(di));
    TAP_OK(!err() && n == 16 && di.num_regions == 9 && di.num_irqs == 5 &&
               di.flags == (VFU_DEVICE_FLAGS_PCI | VFU_DEVICE_FLAGS_RESET),
           "DEVICE_GET_INFO: PCI, reset, 9 regions, 5 interrupt types");
    di = (struct vfu_device_info){ .argsz = 8 };
    send0(VFU_DEVICE_GET_INFO, &di, sizeof(di));
    TAP_OK(refused(EINVAL), "DEVICE_GET_INFO with argsz 8: EINVAL");
    send0(VFU_DEVICE_GET_INFO, big, 17);
    TAP_OK(refused(EINVAL), "DEVICE_GET_INFO of 17 bytes: EINVAL");
    di = (struct vfu_device_info){ .argsz = 16 };
    sendx(VFU_DEVICE_GET_INFO, 0, &di, sizeof(di), &fd, 1);
    TAP_OK(refused(EINVAL) && closed(fd), "a descriptor where none "
                                          "belongs: EINVAL, closed");

    ri.index = VFU_PCI_BAR0;
    send0(VFU_DEVICE_GET_REGION_INFO, &ri, sizeof(ri));
    memcpy(&ri, payload(&n), sizeof(ri));
    TAP_OK(!err() && ri.size == 1u << 20 && ri.flags == 3,
           "BAR0: 1 MiB, read/write, no mmap");
    ri = (struct vfu_region_info){ .argsz = 32, .index = VFU_PCI_CONFIG };
    send0(VFU_DEVICE_GET_REGION_INFO, &ri, sizeof(ri));
    memcpy(&ri, payload(&n), sizeof(ri));
    TAP_OK(!err() && ri.size == 256, "configuration space: 256 bytes");
    ri = (struct vfu_region_info){ .argsz = 32, .index = 9 };
    send0(VFU_DEVICE_GET_REGION_INFO, &ri, sizeof(ri));
    TAP_OK(refused(EINVAL), "region 9: EINVAL");
    ri = (struct vfu_region_info){ .argsz = 32, .index = 0, .size = 1 };
    send0(VFU_DEVICE_GET_REGION_INFO, &ri, sizeof(ri));
    TAP_OK(refused(EINVAL), "region info with size set: EINVAL");

    ii.index = VFU_PCI_INTX;
    send0(VFU_DEVICE_GET_IRQ_INFO, &ii, sizeof(ii));
    memcpy(&ii, payload(&n), sizeof(ii));
    TAP_OK(!err() && ii.count == 1 && (ii.flags & VFU_IRQ_INFO_AUTOMASKED),
           "INTx: one, automasked");
    ii = (struct vfu_irq_info){ .argsz = 16, .index = VFU_PCI_MSIX };
    send0(VFU_DEVICE_GET_IRQ_INFO, &ii, sizeof(ii));
    memcpy(&ii, payload(&n), sizeof(ii));
    TAP_OK(!err() && ii.count == 0, "MSI-X: none");
    ii = (struct vfu_irq_info){ .argsz = 16, .index = 5 };
    send0(VFU_DEVICE_GET_IRQ_INFO, &ii, sizeof(ii));
    TAP_OK(refused(EINVAL), "interrupt index 5: EINVAL");

    send0(99, NULL, 0);
    TAP_OK(refused(ENOSYS), "command 99: ENOSYS");
    send0(VFU_DMA_WRITE, big, 16);
    TAP_OK(refused(EINVAL), "DMA_WRITE from the client: EINVAL");
    send0(VFU_DEVICE_FEATURE, big, 8);
    TAP_OK(refused(ENOTSUP), "DEVICE_FEATURE: ENOTSUP");
    send0(VFU_DEVICE_GET_REGION_IO_FDS, big, 16);
    TAP_OK(refused(ENOTSUP), "DEVICE_GET_REGION_IO_FDS: ENOTSUP");
    sendx(VFU_DEVICE_RESET, VFU_F_NO_REPLY, big, 4, NULL, 0);
    TAP_OK(err() == -1 && s->log.lines, "a refused NO_REPLY command: no "
                                        "reply, a log line");
}

static void config_space(void)
{
    struct vfu_region_rw r = { .region = VFU_PCI_CONFIG,
                               .offset = 250,
                               .count = 8 };

    TAP_OK(cfg32(0) == 0x11E81234, "vendor 1234 device 11e8");
    TAP_OK(cfg32(8) == 0x00FF0010, "class 00ff, revision 0x10");
    TAP_OK(cfg32(0x2C) == 0x11001AF4, "subsystem 1af4:1100");
    TAP_OK((cfg32(0x3C) >> 8 & 0xFF) == 1, "interrupt pin A");
    TAP_OK((cfg32(4) >> 16 & 0x10) && (cfg32(0x34) & 0xFF) == 0x40 &&
               (cfg32(0x40) & 0xFF) == 0x05 && (cfg32(0x40) >> 16) == 0x80,
           "capability list: MSI at 0x40, 64-bit, one vector");
    region_write(VFU_PCI_CONFIG, 0x10, 4, 0xFFFFFFFF);
    TAP_OK(cfg32(0x10) == 0xFFF00000, "BAR0 sizes as 1 MiB of 32-bit "
                                      "memory");
    region_write(VFU_PCI_CONFIG, 0x10, 4, 0xFEB00000);
    TAP_OK(cfg32(0x10) == 0xFEB00000, "BAR0 takes an address");
    region_write(VFU_PCI_CONFIG, 0, 4, 0);
    TAP_OK(cfg32(0) == 0x11E81234, "IDs are read-only");
    region_write(VFU_PCI_CONFIG, 4, 2, 0xFFFF);
    TAP_OK((cfg32(4) & 0xFFFF) == 0x0547,
           "command: only its writable "
           "bits stick (0x%04x)",
           cfg32(4) & 0xFFFF);
    send0(VFU_REGION_READ, &r, sizeof(r));
    TAP_OK(refused(EINVAL), "a read past the end of the configuration "
                            "space: EINVAL");
    r = (struct vfu_region_rw){ .region = VFU_PCI_CONFIG, .count = 1u << 21 };
    send0(VFU_REGION_READ, &r, sizeof(r));
    TAP_OK(refused(E2BIG), "a read above max_data_xfer_size: E2BIG");
    r = (struct vfu_region_rw){ .region = VFU_PCI_ROM, .count = 4 };
    send0(VFU_REGION_READ, &r, sizeof(r));
    TAP_OK(refused(EINVAL), "a read of the absent ROM: EINVAL");
    r = (struct vfu_region_rw){ .region = VFU_PCI_CONFIG, .count = 4 };
    send0(VFU_REGION_WRITE, &r, sizeof(r));
    TAP_OK(refused(EINVAL), "a write whose count its data does not "
                            "match: EINVAL");
    TAP_OK((uint32_t)region_read(VFU_PCI_CONFIG, 0, 256) == 0x11E81234 &&
               s->reply_len == 16 + 16 + 256,
           "the whole space in one read, as "
           "QEMU reads it");
}

static void bar0(void)
{
    region_write(VFU_PCI_CONFIG, 4, 2, 0);
    region_read(VFU_PCI_BAR0, 0, 4);
    TAP_OK(refused(EIO), "BAR0 with memory decoding off: EIO");
    region_write(VFU_PCI_CONFIG, 4, 2, 0x0006);
    TAP_OK(region_read(VFU_PCI_BAR0, 0, 4) == 0x010000ED, "edu's id");
    region_write(VFU_PCI_BAR0, 4, 4, 0x12345678);
    TAP_OK(region_read(VFU_PCI_BAR0, 4, 4) == 0xEDCBA987, "liveness: the "
                                                          "complement");
    region_write(VFU_PCI_BAR0, 8, 4, 5);
    TAP_OK(region_read(VFU_PCI_BAR0, 8, 4) == 120, "factorial of 5");
    region_write(VFU_PCI_BAR0, 8, 4, 33);
    TAP_OK(region_read(VFU_PCI_BAR0, 8, 4) == 0x80000000, "33! modulo 2^32");
    region_write(VFU_PCI_BAR0, 8, 4, 0xFFFFFFFF);
    TAP_OK(region_read(VFU_PCI_BAR0, 8, 4) == 0,
           "(2^32-1)! modulo 2^32, "
           "at once (a fuzz finding: billions of multiplications before)");
    TAP_OK(region_read(VFU_PCI_BAR0, 0, 2) == 0xFFFF,
           "a 2-byte read below "
           "0x80 reads ones, as edu's");
    region_read(VFU_PCI_BAR0, 0, 3);
    TAP_OK(refused(EINVAL), "a 3-byte access: EINVAL");
    region_read(VFU_PCI_BAR0, (1u << 20) - 4, 8);
    TAP_OK(refused(EINVAL), "an access crossing BAR0's end: EINVAL");
}

static void interrupts(void)
{
    int efd = eventfd(0, EFD_NONBLOCK), efd2 = eventfd(0, EFD_NONBLOCK);
    int two[2] = { dup(efd), dup(efd) };
    int notev = dup(mem);
    uint32_t tr = VFU_IRQ_DATA_EVENTFD | VFU_IRQ_ACTION_TRIGGER;

    TAP_OK(set_irqs(VFU_PCI_INTX, tr, 1, two, 2) == EINVAL && closed(two[0]) &&
               closed(two[1]),
           "two eventfds for one vector: EINVAL, closed");
    TAP_OK(set_irqs(VFU_PCI_INTX, tr, 1, &notev, 1) == EINVAL && closed(notev),
           "a descriptor that is no eventfd: EINVAL");
    TAP_OK(set_irqs(VFU_PCI_INTX,
                    VFU_IRQ_DATA_NONE | VFU_IRQ_DATA_EVENTFD |
                        VFU_IRQ_ACTION_TRIGGER,
                    1, NULL, 0) == EINVAL,
           "two data types: EINVAL");
    TAP_OK(set_irqs(VFU_PCI_MSIX, tr, 1, NULL, 0) == EINVAL,
           "a vector MSI-X does not have: EINVAL");

    TAP_OK(set_irqs(VFU_PCI_INTX, tr, 1, &efd, 1) == 0, "INTx eventfd");
    region_write(VFU_PCI_BAR0, 0x60, 4, 1);
    TAP_OK(events(efd) == 1, "edu's interrupt triggers INTx once");
    region_write(VFU_PCI_BAR0, 0x60, 4, 2);
    TAP_OK(events(efd) == 0, "automasked: no second trigger");
    set_irqs(VFU_PCI_INTX, VFU_IRQ_DATA_NONE | VFU_IRQ_ACTION_UNMASK, 1, NULL,
             0);
    TAP_OK(!err() && events(efd) == 1, "unmask with the line still up: "
                                       "triggered again");
    region_write(VFU_PCI_BAR0, 0x64, 4, 3);
    set_irqs(VFU_PCI_INTX, VFU_IRQ_DATA_NONE | VFU_IRQ_ACTION_UNMASK, 1, NULL,
             0);
    TAP_OK(events(efd) == 0, "acknowledged, unmasked: quiet");

    TAP_OK(set_irqs(VFU_PCI_MSI, tr, 1, &efd2, 1) == EINVAL && closed(efd2),
           "MSI while INTx is on: EINVAL");
    TAP_OK(set_irqs(VFU_PCI_INTX, VFU_IRQ_DATA_NONE | VFU_IRQ_ACTION_TRIGGER, 0,
                    NULL, 0) == 0 &&
               closed(efd),
           "INTx off: its eventfd "
           "closed");
    efd = eventfd(0, EFD_NONBLOCK);
    TAP_OK(set_irqs(VFU_PCI_MSI, tr, 1, &efd, 1) == 0, "MSI eventfd");
    TAP_OK(set_irqs(VFU_PCI_MSI, VFU_IRQ_DATA_NONE | VFU_IRQ_ACTION_MASK, 1,
                    NULL, 0) == EINVAL,
           "masking MSI: EINVAL");
    region_write(VFU_PCI_BAR0, 0x60, 4, 1);
    TAP_OK(events(efd) == 1, "edu's interrupt as MSI");
    region_write(VFU_PCI_BAR0, 0x64, 4, 1);
}

static void dma_map(uint64_t iova, uint64_t size, uint64_t off, uint32_t flags)
{
    struct vfu_dma_map r = {
        .argsz = 32, .flags = flags, .offset = off, .iova = iova, .size = size
    };
    int fd = dup(mem);

    sendx(VFU_DMA_MAP, 0, &r, sizeof(r), &fd, 1);
}

static void dma(void)
{
    struct vfu_dma_unmap u = { .argsz = 24, .iova = 0x200000, .size = 0x1000 };
    struct vfu_dma_map mr = { .argsz = 32, .flags = 3, .size = 0x1000 };
    int fds[2] = { dup(mem), dup(mem) };
    int efd = s->dev->msi_fd;
    size_t n;

    sendx(VFU_DMA_MAP, 0, &mr, sizeof(mr), fds, 2);
    TAP_OK(refused(EINVAL) && closed(fds[0]) && closed(fds[1]),
           "DMA_MAP with two descriptors: EINVAL, both closed");
    mr.flags = 4;
    fds[0] = dup(mem);
    sendx(VFU_DMA_MAP, 0, &mr, sizeof(mr), fds, 1);
    TAP_OK(refused(EINVAL) && closed(fds[0]), "DMA_MAP with unknown flags: "
                                              "EINVAL");
    mr = (struct vfu_dma_map){ .argsz = 16, .flags = 3, .size = 0x1000 };
    send0(VFU_DMA_MAP, &mr, sizeof(mr));
    TAP_OK(refused(EINVAL), "DMA_MAP with argsz 16: EINVAL");

    dma_map(0x200000, 0x1000, 0x3000, 3);
    TAP_OK(err() == 0, "DMA_MAP of a page of RAM");
    dma_map(0x200000, 0x1000, 0x3000, 3);
    TAP_OK(refused(EEXIST), "the same again: EEXIST");

    memset(ram, 0, MEMSZ);
    for (unsigned i = 0; i < 64; i++)
        ram[0x3000 + i] = (uint8_t)(i * 3 + 1);
    region_write(VFU_PCI_CONFIG, 4, 2, 0x0006); /* memory, master */
    region_write(VFU_PCI_BAR0, 0x80, 8, 0x200000);
    region_write(VFU_PCI_BAR0, 0x88, 8, 0x40000);
    region_write(VFU_PCI_BAR0, 0x90, 8, 64);
    region_write(VFU_PCI_BAR0, 0x98, 8, 1 | 4); /* RAM -> edu */
    TAP_OK(region_read(VFU_PCI_BAR0, 0x98, 8) == 4 && events(efd) == 1,
           "edu DMA from RAM: done at once, completion MSI");
    region_write(VFU_PCI_BAR0, 0x64, 4, 0x100);
    region_write(VFU_PCI_BAR0, 0x80, 8, 0x40000);
    region_write(VFU_PCI_BAR0, 0x88, 8, 0x200800);
    region_write(VFU_PCI_BAR0, 0x98, 8, 1 | 2); /* edu -> RAM */
    TAP_OK(!memcmp(ram + 0x3800, ram + 0x3000, 64),
           "edu DMA to RAM: the "
           "data lands through the mapping");
    region_write(VFU_PCI_BAR0, 0x88, 8, 0x300000);
    region_write(VFU_PCI_BAR0, 0x98, 8, 1 | 2 | 4);
    TAP_OK(s->dev->n.dmas_blocked == 1 && events(efd) == 1,
           "an unmapped IOVA: not performed, logged, still completes");
    TAP_OK(!(region_read(VFU_PCI_CONFIG, 6, 2) & 0x2000),
           "a blocked write "
           "leaves Received Master Abort clear (posted: no completion)");
    region_write(VFU_PCI_BAR0, 0x64, 4, 0x100);
    region_write(VFU_PCI_BAR0, 0x80, 8, 0x300000);
    region_write(VFU_PCI_BAR0, 0x88, 8, 0x40000);
    region_write(VFU_PCI_BAR0, 0x98, 8, 1 | 4); /* RAM -> edu */
    TAP_OK(s->dev->n.dmas_blocked == 2 && events(efd) == 1 &&
               (region_read(VFU_PCI_CONFIG, 6, 2) & 0x2000),
           "a blocked read: "
           "Received Master Abort set (an Unsupported Request completion)");
    region_write(VFU_PCI_CONFIG, 4, 4, 0x20000006);
    TAP_OK(!(region_read(VFU_PCI_CONFIG, 6, 2) & 0x2000) &&
               region_read(VFU_PCI_CONFIG, 4, 2) == 6,
           "Received Master Abort "
           "is write-1-to-clear");
    region_write(VFU_PCI_BAR0, 0x64, 4, 0x100);
    region_write(VFU_PCI_BAR0, 0x90, 8, 4096);
    region_write(VFU_PCI_BAR0, 0x98, 8, 1 | 2 | 4);
    TAP_OK(s->dev->n.bad_ranges == 1 && events(efd) == 1 &&
               region_read(VFU_PCI_BAR0, 0x98, 8) == 6,
           "4096 bytes leave edu's buffer: refused, no abort");
    region_write(VFU_PCI_BAR0, 0x64, 4, 0x100);

    send0(VFU_DMA_UNMAP, &u, sizeof(u));
    TAP_OK(!err() && s->reply_len == 16 + 24 && !memcmp(payload(&n), &u, 24),
           "DMA_UNMAP: the reply repeats the "
           "request");
    u.flags = 1;
    send0(VFU_DMA_UNMAP, &u, sizeof(u));
    TAP_OK(refused(ENOTSUP), "DMA_UNMAP asking for a dirty bitmap: "
                             "ENOTSUP");
    u = (struct vfu_dma_unmap){ .argsz = 24, .flags = 2 };
    send0(VFU_DMA_UNMAP, &u, sizeof(u));
    TAP_OK(!err(), "DMA_UNMAP of everything");
}

static void multi_and_reset(void)
{
    uint8_t p[8 + 2 * 24] = { 0 };
    struct vfu_write_one w = { .offset = 0x04,
                               .region = VFU_PCI_BAR0,
                               .count = 4 };
    uint64_t cnt = 2;
    size_t n;

    memcpy(p, &cnt, 8);
    w.data[0] = 0xF0;
    memcpy(p + 8, &w, 24);
    w.offset = 0x08;
    w.data[0] = 4;
    memcpy(p + 32, &w, 24);
    send0(VFU_REGION_WRITE_MULTI, p, sizeof(p));
    TAP_OK(!err() && region_read(VFU_PCI_BAR0, 4, 4) == 0xFFFFFF0F &&
               region_read(VFU_PCI_BAR0, 8, 4) == 24,
           "REGION_WRITE_MULTI: both "
           "writes done");
    send0(VFU_REGION_WRITE_MULTI, p, sizeof(p) - 1);
    TAP_OK(refused(EINVAL), "REGION_WRITE_MULTI one byte short: EINVAL");
    (void)n;

    send0(VFU_DEVICE_RESET, NULL, 0);
    TAP_OK(!err() && (cfg32(4) & 0xFFFF) == 0 && cfg32(0x10) == 0,
           "DEVICE_RESET: command and BAR0 back to power-on");
    region_write(VFU_PCI_CONFIG, 4, 2, 0x0002);
    TAP_OK(region_read(VFU_PCI_BAR0, 4, 4) == 0 &&
               region_read(VFU_PCI_BAR0, 8, 4) == 0,
           "and edu's registers");
}

int main(void)
{
    struct vfu_server_cfg cfg = { .dma_mask = ~0ull };

    if (getenv("VFU_TEST_LOG")) {
        cfg.log = stderr;
        cfg.verbose = true;
    }
    mem = memfd_create("test-ram", MFD_CLOEXEC);
    if (mem < 0 || ftruncate(mem, MEMSZ) < 0)
        return 1;
    ram = mmap(NULL, MEMSZ, PROT_READ | PROT_WRITE, MAP_SHARED, mem, 0);
    s = vfu_server_new(&cfg);
    if (ram == MAP_FAILED || !s)
        return 1;

    header_checks();
    version();
    commands();
    config_space();
    bar0();
    interrupts();
    dma();
    multi_and_reset();

    vfu_server_disconnect(s);
    vfu_server_free(s);
    munmap(ram, MEMSZ);
    close(mem);
    return tap_done();
}
