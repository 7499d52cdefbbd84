/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/vfio-user/main.c — vfu-edu, a vfio-user server serving QEMU's
 * edu: the socket, the poll loop, the command line.
 *
 *   vfu-edu --socket-path=PATH [--record=FILE] [--dma-delay-us=N]
 *           [--dma-mask=MASK] [--verbose] [--quiet]
 *   vfu-edu --fd=N ...
 *
 * It listens on PATH (or takes the socket descriptor N, listening or
 * already connected), serves one client, and exits when the client
 * hangs up or on SIGTERM/SIGINT, printing a summary. Single-threaded:
 * one message is read whole, handled and replied to before the next;
 * a delayed edu transfer runs from the loop's timeout.
 */
#define _GNU_SOURCE /* accept4, MSG_CMSG_CLOEXEC */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness/clock.h"
#include "harness/vfio-user/server.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

struct opts {
    const char *path;
    int fd;
    const char *record;
    uint64_t dma_delay_ns;
    uint64_t dma_mask;
    bool verbose, quiet;
};

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: vfu-edu --socket-path=PATH | --fd=N [options]\n"
        "  serves QEMU's edu device to one vfio-user client (QEMU's\n"
        "  vfio-user-pci); its DMA goes through the IOVA table built from\n"
        "  the client's DMA_MAP/DMA_UNMAP messages\n"
        "  --record=FILE      one line per DMA_MAP/DMA_UNMAP message\n"
        "  --dma-delay-us=N   a transfer runs N us after its command\n"
        "                     (default 0: at once)\n"
        "  --dma-mask=MASK    edu's RAM-side address mask (default all ones)\n"
        "  --verbose          log every message\n"
        "  --quiet            log nothing (the summary still comes)\n");
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;

    errno = 0;
    *out = strtoull(s, &end, 0);
    return !errno && *s && !*end;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        { "socket-path", required_argument, NULL, 's' },
        { "fd", required_argument, NULL, 'f' },
        { "record", required_argument, NULL, 'r' },
        { "dma-delay-us", required_argument, NULL, 'd' },
        { "dma-mask", required_argument, NULL, 'm' },
        { "verbose", no_argument, NULL, 'v' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    uint64_t v;
    int c;

    *o = (struct opts){ .fd = -1, .dma_mask = ~0ull };
    while ((c = getopt_long(argc, argv, "vqh", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            o->path = optarg;
            break;
        case 'f':
            if (!parse_u64(optarg, &v) || v > 65535)
                return -1;
            o->fd = (int)v;
            break;
        case 'r':
            o->record = optarg;
            break;
        case 'd':
            if (!parse_u64(optarg, &v) || v > 60000000)
                return -1;
            o->dma_delay_ns = v * 1000;
            break;
        case 'm':
            if (!parse_u64(optarg, &o->dma_mask))
                return -1;
            break;
        case 'v':
            o->verbose = true;
            break;
        case 'q':
            o->quiet = true;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            return -1;
        }
    }
    if (optind != argc || (!o->path) == (o->fd < 0))
        return -1;
    return 0;
}

/* --------------------------------------------------------- the socket */

static int listen_on(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct stat st;
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "vfu-edu: socket path too long\n");
        return -1;
    }
    strcpy(sa.sun_path, path);
    /* A stale socket of an earlier run goes; anything else stays. */
    if (!lstat(path, &st) && S_ISSOCK(st.st_mode))
        unlink(path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(fd, 1) < 0) {
        fprintf(stderr, "vfu-edu: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* The client's connection: accepted on a listening socket, or fd itself. */
static int connection(int fd)
{
    int listening = 0;
    socklen_t len = sizeof(listening);
    int c;

    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0) {
        fprintf(stderr, "vfu-edu: descriptor %d: %s\n", fd, strerror(errno));
        return -1;
    }
    if (!listening)
        return fd;
    do {
        c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    } while (c < 0 && errno == EINTR && !stop);
    if (c < 0 && !stop)
        fprintf(stderr, "vfu-edu: accept: %s\n", strerror(errno));
    close(fd);
    return c;
}

/* ------------------------------------------------------- the messages */

struct rx {
    uint8_t *buf;
    int fds[VFU_MAX_FDS];
    unsigned nfds;
    bool truncated_fds;
};

/* Read exactly n bytes; descriptors that come along are collected.
 * 1: done, 0: the client hung up, -1: error. */
static int read_full(int sock, struct rx *rx, uint8_t *dst, size_t n)
{
    union {
        char buf[CMSG_SPACE(sizeof(int) * VFU_MAX_FDS)];
        struct cmsghdr align;
    } ctl;

    while (n) {
        struct iovec iov = { .iov_base = dst, .iov_len = n };
        struct msghdr mh = {
            .msg_iov = &iov,
            .msg_iovlen = 1,
            .msg_control = ctl.buf,
            .msg_controllen = sizeof(ctl.buf),
        };
        ssize_t got = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);

        if (got < 0 && errno == EINTR && !stop)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            return 0;
        if (mh.msg_flags & MSG_CTRUNC)
            rx->truncated_fds = true;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c;
             c = CMSG_NXTHDR(&mh, c)) {
            size_t k;

            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                continue;
            k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (size_t i = 0; i < k; i++) {
                int fd;

                memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                if (rx->nfds < VFU_MAX_FDS) {
                    rx->fds[rx->nfds++] = fd;
                } else {
                    rx->truncated_fds = true;
                    close(fd);
                }
            }
        }
        dst += got;
        n -= (size_t)got;
    }
    return 1;
}

static bool send_all(int sock, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t put = send(sock, p, n, MSG_NOSIGNAL);

        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return false;
        p += put;
        n -= (size_t)put;
    }
    return true;
}

/* Discard n bytes of a message too large to take. */
static int drain(int sock, struct rx *rx, size_t n)
{
    uint8_t sink[4096];

    while (n) {
        size_t k = n < sizeof(sink) ? n : sizeof(sink);
        int r = read_full(sock, rx, sink, k);

        if (r <= 0)
            return r;
        n -= k;
    }
    return 1;
}

/* One message in, handled, replied to. false: stop serving. */
static bool serve_one(struct vfu_server *s, int sock, struct rx *rx)
{
    struct vfu_hdr h;
    enum vfu_verdict v;
    int r;

    rx->nfds = 0;
    rx->truncated_fds = false;
    r = read_full(sock, rx, rx->buf, VFU_HDR_SIZE);
    if (r > 0) {
        memcpy(&h, rx->buf, sizeof(h));
        if (h.size < VFU_HDR_SIZE) {
            for (unsigned i = 0; i < rx->nfds; i++)
                close(rx->fds[i]);
            v = vfu_server_refuse_header(s, &h, EINVAL,
                                         "message size "
                                         "below the header's 16 bytes: the "
                                         "stream cannot be trusted");
            goto reply;
        }
        if (h.size > VFU_MAX_MSG) {
            r = drain(sock, rx, h.size - VFU_HDR_SIZE);
            for (unsigned i = 0; i < rx->nfds; i++)
                close(rx->fds[i]);
            if (r <= 0)
                goto gone;
            v = vfu_server_refuse_header(s, &h, E2BIG,
                                         "message larger "
                                         "than max_data_xfer_size allows");
            goto reply;
        }
        r = read_full(sock, rx, rx->buf + VFU_HDR_SIZE, h.size - VFU_HDR_SIZE);
    }
    if (r <= 0)
        goto gone;
    if (rx->truncated_fds) {
        for (unsigned i = 0; i < rx->nfds; i++)
            close(rx->fds[i]);
        v = vfu_server_refuse_header(s, &h, EINVAL,
                                     "more descriptors than "
                                     "max_msg_fds");
        goto reply;
    }
    v = vfu_server_handle(s, rx->buf, h.size, rx->fds, rx->nfds);
reply:
    if (s->reply_len && !send_all(sock, s->reply, s->reply_len)) {
        fprintf(stderr, "vfu-edu: reply: %s\n", strerror(errno));
        return false;
    }
    return v == VFU_CONTINUE;
gone:
    for (unsigned i = 0; i < rx->nfds; i++)
        close(rx->fds[i]);
    if (r < 0)
        fprintf(stderr, "vfu-edu: receive: %s\n", strerror(errno));
    return false;
}

static void serve(struct vfu_server *s, int sock)
{
    struct rx rx = { .buf = malloc(VFU_MAX_MSG) };

    if (!rx.buf)
        return;
    while (!stop) {
        uint64_t due = vfu_dev_deadline(s->dev), now = host_now_ns();
        int timeout = -1;
        struct pollfd pfd = { .fd = sock, .events = POLLIN };
        int n;

        if (due)
            timeout = due <= now ? 0 : (int)((due - now + 999999) / 1000000);
        n = poll(&pfd, 1, timeout);
        if (n < 0 && errno != EINTR)
            break;
        vfu_dev_tick(s->dev, host_now_ns());
        if (n > 0 && !serve_one(s, sock, &rx))
            break;
    }
    free(rx.buf);
}

int main(int argc, char **argv)
{
    struct vfu_server_cfg cfg = { 0 };
    struct vfu_server *s;
    struct sigaction sa = { .sa_handler = on_signal };
    struct opts o;
    FILE *record = NULL;
    int lfd, sock;

    if (parse_opts(argc, argv, &o)) {
        usage(stderr);
        return 2;
    }
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    if (o.record && !(record = fopen(o.record, "w"))) {
        fprintf(stderr, "vfu-edu: %s: %s\n", o.record, strerror(errno));
        return 1;
    }
    cfg = (struct vfu_server_cfg){
        .log = o.quiet ? NULL : stderr,
        .verbose = o.verbose,
        .record = record,
        .dma_mask = o.dma_mask,
        .dma_delay_ns = o.dma_delay_ns,
    };
    s = vfu_server_new(&cfg);
    if (!s) {
        fprintf(stderr, "vfu-edu: out of memory\n");
        return 1;
    }
    lfd = o.path ? listen_on(o.path) : o.fd;
    if (lfd < 0)
        return 1;
    if (!o.quiet)
        fprintf(stderr, "vfu-edu: serving edu on %s\n",
                o.path ? o.path : "the given descriptor");
    sock = connection(lfd);
    if (o.path)
        unlink(o.path);
    if (sock >= 0) {
        serve(s, sock);
        close(sock);
    }
    vfu_server_disconnect(s);
    vfu_server_summary(s, stderr);
    vfu_server_free(s);
    if (record)
        fclose(record);
    return sock >= 0 ? 0 : 1;
}
