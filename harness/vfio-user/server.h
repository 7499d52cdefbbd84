/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/vfio-user/server.h — the vfio-user server's dispatcher: one
 * message in (its bytes and the descriptors that came with it), at most
 * one reply out. No sockets here: main.c moves the bytes, the unit tests
 * and the fuzzer call the dispatcher directly.
 *
 * Every message is checked before it acts: the header (type, flags, the
 * reserved error field, its size against the bytes), the order (VERSION
 * first, once), the payload's exact size for its command, argsz, flags
 * and indices, and descriptors only where the command carries them (one
 * for DMA_MAP, eventfds for SET_IRQS). A refusal is a reply with the
 * Error flag and an errno, and a log line naming the message; the
 * descriptors of a refused message are closed.
 */
#ifndef HARNESS_VFIO_USER_SERVER_H
#define HARNESS_VFIO_USER_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/vfio-user/device.h"
#include "harness/vfio-user/iova.h"
#include "harness/vfio-user/log.h"
#include "harness/vfio-user/proto.h"

struct vfu_server_cfg {
    FILE *log; /* NULL: quiet */
    bool verbose;
    FILE *record;          /* MAP/UNMAP record, or NULL */
    uint64_t dma_mask;     /* edu's RAM-side address mask */
    uint64_t dma_delay_ns; /* 0: transfers run at their command */
};

/* What the client said in VERSION (absent: the specification's default). */
struct vfu_client_caps {
    uint64_t max_msg_fds; /* it receives at most (default 1) */
    uint64_t max_data_xfer_size;
    uint64_t pgsizes;
    uint64_t max_dma_maps;
    bool write_multiple;
    bool proposed[5]; /* which of the above it named */
};

struct vfu_server {
    struct vfu_log log;
    struct vfu_iova *iova;
    struct vfu_dev *dev;
    bool versioned;
    struct vfu_client_caps client;
    uint64_t seq;                      /* messages received */
    uint64_t per_cmd[VFU_CMD_MAX + 1]; /* [VFU_CMD_MAX]: unknown */
    uint64_t refused;                  /* error replies (or would-be replies) */
    size_t maps_at_disconnect;         /* mappings the client left behind */
    /* the reply to the last message, if any */
    uint8_t *reply;
    size_t reply_len;
};

struct vfu_server *vfu_server_new(const struct vfu_server_cfg *cfg);
void vfu_server_free(struct vfu_server *s);

enum vfu_verdict {
    VFU_CONTINUE, /* send the reply (if reply_len), go on */
    VFU_CLOSE,    /* send the reply (if any), then hang up */
};

/* One message of len bytes (the header's size field is checked against
 * len). The nfds descriptors are the dispatcher's: kept or closed. */
enum vfu_verdict vfu_server_handle(struct vfu_server *s, const void *msg,
                                   size_t len, const int *fds, unsigned nfds);

/* A message the transport could not take in whole (its header says more
 * than VFU_MAX_MSG, or fewer than a header): refused with err. */
enum vfu_verdict vfu_server_refuse_header(struct vfu_server *s,
                                          const struct vfu_hdr *h, int err,
                                          const char *why);

/* The client left: mappings and eventfds released (the device keeps its
 * state, as the specification asks). */
void vfu_server_disconnect(struct vfu_server *s);

void vfu_server_summary(const struct vfu_server *s, FILE *out);

const char *vfu_cmd_name(unsigned cmd);

#endif
