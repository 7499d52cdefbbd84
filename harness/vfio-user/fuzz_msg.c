/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the vfio-user dispatcher: the input is a stream of
 * messages, each with a few descriptors or none, fed to a fresh server.
 *
 *   input   [op][len lo][len hi][len bytes of message] ...
 *   op      bits 0-1: descriptors with the message: none, a file of
 *           "guest RAM", an eventfd, or RAM + two eventfds
 *           bit 2: keep the header's size field as given (else it is set
 *           to the message's length, so most messages get past it)
 *           bit 3: run the edu's delayed transfer now
 *           (an op of length 0 carries no message)
 *
 * Unless the input's first op has bit 7 set, the server first agrees a
 * version with QEMU's own proposal, so the fuzzer starts past the door;
 * with its bit 6 set, edu's transfers wait for a bit-3 op instead of
 * running at their command.
 * Beyond the sanitizers, every reply must be well formed (size, type,
 * id and command echoed, an error reply header-only with an errno), and
 * when the server is gone every descriptor it was handed must be closed.
 */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness/vfio-user/server.h"

#define RAM_SIZE   (64u << 10)
#define MAX_HANDED 4096

static int ram_fd = -1;
static FILE *devnull;
static int handed[MAX_HANDED];
static unsigned nhanded;

static const char qemu_caps[] =
    "{\"capabilities\":{\"max_msg_fds\":16,\"max_data_xfer_size\":1048576,"
    "\"pgsizes\":4096,\"max_dma_maps\":65535,\"migration\":{\"pgsize\":4096,"
    "\"max_bitmap_size\":268435456},\"write_multiple\":true}}";

static void setup(void)
{
    if (ram_fd >= 0)
        return;
    ram_fd = memfd_create("fuzz-ram", MFD_CLOEXEC);
    if (ram_fd < 0 || ftruncate(ram_fd, RAM_SIZE) < 0)
        abort();
    /* Logs and records are written (their formats exercised), unseen
     * unless VFU_FUZZ_LOG is set (to replay one input). */
    devnull = getenv("VFU_FUZZ_LOG") ? stderr : fopen("/dev/null", "w");
    if (!devnull)
        abort();
}

static int hand(int fd)
{
    if (fd < 0)
        abort();
    if (nhanded < MAX_HANDED)
        handed[nhanded++] = fd;
    return fd;
}

static unsigned attach(unsigned kind, int *fds)
{
    switch (kind & 3) {
    case 1:
        fds[0] = hand(dup(ram_fd));
        return 1;
    case 2:
        fds[0] = hand(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        return 1;
    case 3:
        fds[0] = hand(dup(ram_fd));
        fds[1] = hand(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        fds[2] = hand(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        return 3;
    }
    return 0;
}

static void check_reply(const struct vfu_server *s, const uint8_t *msg,
                        size_t len)
{
    struct vfu_hdr q, r;

    if (!s->reply_len)
        return;
    if (s->reply_len < sizeof(r) || len < sizeof(q))
        abort();
    memcpy(&q, msg, sizeof(q));
    memcpy(&r, s->reply, sizeof(r));
    if (r.size != s->reply_len || r.id != q.id || r.cmd != q.cmd ||
        (r.flags & ~VFU_F_ERROR) != VFU_F_TYPE_REPLY)
        abort();
    if ((r.flags & VFU_F_ERROR) && (r.size != sizeof(r) || !r.error))
        abort();
    if (!(r.flags & VFU_F_ERROR) && r.error)
        abort();
}

static enum vfu_verdict handle(struct vfu_server *s, const uint8_t *msg,
                               size_t len, const int *fds, unsigned nfds)
{
    enum vfu_verdict v = vfu_server_handle(s, msg, len, fds, nfds);

    check_reply(s, msg, len);
    return v;
}

static void agree_version(struct vfu_server *s)
{
    uint8_t m[16 + 4 + sizeof(qemu_caps)] = { 0 };
    struct vfu_hdr h = { .cmd = VFU_VERSION, .size = sizeof(m) };

    memcpy(m, &h, sizeof(h));
    memcpy(m + 20, qemu_caps, sizeof(qemu_caps));
    handle(s, m, sizeof(m), NULL, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vfu_server_cfg cfg = {
        .verbose = true,
        .dma_mask = ~0ull,
    };
    static uint8_t msg[4096];
    struct vfu_server *s;
    size_t pos = 0;

    setup();
    cfg.log = cfg.record = devnull;
    cfg.dma_delay_ns = size && (data[0] & 0x40) ? 1 : 0;
    nhanded = 0;
    s = vfu_server_new(&cfg);
    if (!s)
        abort();
    if (!size || !(data[0] & 0x80))
        agree_version(s);
    while (pos + 3 <= size) {
        unsigned op = data[pos];
        size_t len = data[pos + 1] | (size_t)data[pos + 2] << 8;
        int fds[3];
        unsigned nfds;

        pos += 3;
        if (len > size - pos)
            len = size - pos;
        if (len > sizeof(msg))
            len = sizeof(msg);
        memcpy(msg, data + pos, len);
        pos += len;
        if (len >= sizeof(struct vfu_hdr) && !(op & 4)) {
            uint32_t sz = (uint32_t)len;

            memcpy(msg + 4, &sz, sizeof(sz));
        }
        if (op & 8)
            vfu_dev_tick(s->dev, ~0ull);
        if (!len)
            continue;
        nfds = attach(op, fds);
        if (handle(s, msg, len, fds, nfds) == VFU_CLOSE)
            break;
    }
    vfu_server_disconnect(s);
    vfu_server_free(s);
    for (unsigned i = 0; i < nhanded; i++)
        if (fcntl(handed[i], F_GETFD) >= 0 || errno != EBADF)
            abort(); /* a descriptor leaked */
    return 0;
}
