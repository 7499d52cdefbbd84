/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/vfio-user/log.h — the server's log: one line per event worth a
 * reader's attention (every refusal, every blocked DMA, every message in
 * verbose mode), each naming the message it belongs to by its sequence
 * number (messages received, from 1) and the client's message id.
 */
#ifndef HARNESS_VFIO_USER_LOG_H
#define HARNESS_VFIO_USER_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct vfu_log {
    FILE *out;    /* NULL: count lines, print nothing */
    bool verbose; /* every message, not only what went wrong */
    uint64_t seq; /* the message being handled, 0: none */
    uint16_t id;
    uint64_t lines; /* lines logged (printed or not) */
};

__attribute__((format(printf, 2, 3))) void vfu_log(struct vfu_log *lg,
                                                   const char *fmt, ...);

/* A refusal: the line ends with the errno's name; returns err. */
__attribute__((format(printf, 3, 4))) int
vfu_refuse(struct vfu_log *lg, int err, const char *fmt, ...);

/* "EINVAL", "EEXIST", ...; "ok" for 0. */
const char *vfu_errno_name(int err);

/* Only in verbose mode. */
__attribute__((format(printf, 2, 3))) void vfu_trace(struct vfu_log *lg,
                                                     const char *fmt, ...);

#endif
