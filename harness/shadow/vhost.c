/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/vhost.c — translate-caching UNMAP-only consumer (vhost.h).
 */
#include <stdio.h>
#include <string.h>

#include "harness/shadow/vhost.h"

void shv_init(struct shv *v, struct vtd_model *m, uint16_t sid)
{
    memset(v, 0, sizeof(*v));
    v->m = m;
    v->sid = sid;
    v->mode = VTD_MODE_BLOCKED;
}

static unsigned slot_of(uint64_t page)
{
    return (unsigned)((page >> 12) * 0x9E3779B1u >> 7) % SHV_ENTRIES;
}

int shv_notify(void *opaque, const struct vtd_notify_event *ev)
{
    struct shv *v = opaque;

    switch (ev->type) {
    case VTD_EV_UNMAP: {
        uint64_t last = ev->iova + ev->size - 1;

        v->flushes++;
        for (unsigned i = 0; i < SHV_ENTRIES; i++)
            if (v->e[i].valid && v->e[i].page + 4095 >= ev->iova &&
                v->e[i].page <= last) {
                v->e[i].valid = false;
                v->evicted++;
            }
        return 0;
    }
    case VTD_EV_MODE:
        /* another address space: nothing cached holds */
        memset(v->e, 0, sizeof(v->e));
        v->mode = ev->mode;
        return 0;
    default:
        if (!v->errors++)
            snprintf(v->first_error, sizeof(v->first_error),
                     "UNMAP-only consumer got event type %d", (int)ev->type);
        return -1;
    }
}

bool shv_access(struct shv *v, uint64_t iova, uint64_t *out)
{
    uint64_t page = iova & ~0xFFFull;
    struct shv_entry *e = &v->e[slot_of(page)];
    struct vtd_request r = { .sid = v->sid,
                             .addr = page,
                             .access = VTD_ACC_READ };
    struct vtd_xlate x;

    if (e->valid && e->page == page) {
        v->hits++;
        *out = e->out | (iova & 0xFFF);
        return true;
    }
    v->misses++;
    if (vtd_translate(v->m, &r, &x) != VTD_XLATE_OK || !x.perm) {
        v->faults++;
        return false;
    }
    if (v->mode == VTD_MODE_TRANSLATED) {
        e->valid = true;
        e->page = page;
        e->out = x.addr & ~0xFFFull;
        e->perm = x.perm;
    }
    *out = (x.addr & ~0xFFFull) | (iova & 0xFFF);
    return true;
}
