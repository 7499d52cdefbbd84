/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/vfio-user/log.c — the server's log (log.h).
 */
#include <errno.h>
#include <stdarg.h>

#include "harness/shadow/record.h"
#include "harness/vfio-user/log.h"

static void vlog_end(struct vfu_log *lg, const char *fmt, va_list ap,
                     const char *end)
{
    lg->lines++;
    if (!lg->out)
        return;
    if (lg->seq)
        fprintf(lg->out,
                "vfio-user: seq %llu id 0x%04x: ", (unsigned long long)lg->seq,
                lg->id);
    else
        fprintf(lg->out, "vfio-user: ");
    vfprintf(lg->out, fmt, ap);
    fprintf(lg->out, "%s\n", end);
    fflush(lg->out);
}

static void vlog(struct vfu_log *lg, const char *fmt, va_list ap)
{
    vlog_end(lg, fmt, ap, "");
}

const char *vfu_errno_name(int err)
{
    return shr_errno_name(err);
}

int vfu_refuse(struct vfu_log *lg, int err, const char *fmt, ...)
{
    char end[32];
    va_list ap;

    snprintf(end, sizeof(end), ": refused with %s", vfu_errno_name(err));
    va_start(ap, fmt);
    vlog_end(lg, fmt, ap, end);
    va_end(ap);
    return err;
}

void vfu_log(struct vfu_log *lg, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vlog(lg, fmt, ap);
    va_end(ap);
}

void vfu_trace(struct vfu_log *lg, const char *fmt, ...)
{
    va_list ap;

    if (!lg->verbose)
        return;
    va_start(ap, fmt);
    vlog(lg, fmt, ap);
    va_end(ap);
}
