/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/container.c — VFIO-type1-like container (container.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/shadow/container.h"

struct shc *shc_new(const char *name, unsigned aperture_bits, size_t limit)
{
    struct shc *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->maps = iova_tree_new();
    if (!c->maps) {
        free(c);
        return NULL;
    }
    c->name = name;
    c->pgsize = 4096;
    c->aperture_last = aperture_bits >= 64 ? ~0ull
                                           : (1ull << aperture_bits) - 1;
    c->limit = limit;
    return c;
}

void shc_free(struct shc *c)
{
    if (!c)
        return;
    iova_tree_free(c->maps);
    free(c->log);
    free(c);
}

__attribute__((format(printf, 2, 3))) static int fail(struct shc *c,
                                                      const char *fmt, ...)
{
    va_list ap;

    if (!c->errors++) {
        va_start(ap, fmt);
        vsnprintf(c->first_error, sizeof(c->first_error), fmt, ap);
        va_end(ap);
    }
    return 0;
}

static void log_add(struct shc *c, bool map, bool all, const struct iova_map *m)
{
    if (c->nlog == c->caplog) {
        size_t ncap = c->caplog ? c->caplog * 2 : 64;
        struct shc_change *nl = realloc(c->log, ncap * sizeof(*nl));

        if (!nl)
            return; /* the checker sees a short log: it does a full check */
        c->log = nl;
        c->caplog = ncap;
    }
    c->log[c->nlog++] = (struct shc_change){
        .map = map,
        .all = all,
        .iova = m->iova,
        .last = m->last,
        .addr = m->addr,
        .perm = m->perm,
        .seq = c->seq,
    };
}

void shc_log_clear(struct shc *c)
{
    c->nlog = 0;
}

int shc_map(struct shc *c, uint64_t iova, uint64_t size, uint64_t vaddr,
            unsigned perm)
{
    uint64_t mask = c->pgsize - 1;
    struct iova_map m;

    if (!size || ((iova | size | vaddr) & mask) || !perm || (perm & ~3u))
        return -EINVAL;
    if (iova + size - 1 < iova || vaddr + size - 1 < vaddr)
        return -EINVAL;
    if (iova + size - 1 > c->aperture_last)
        return -EINVAL;
    if (iova_tree_find(c->maps, iova, iova + size - 1))
        return -EEXIST;
    if (iova_tree_count(c->maps) >= c->limit)
        return -ENOSPC;
    m = (struct iova_map){
        .iova = iova, .last = iova + size - 1, .addr = vaddr, .perm = perm
    };
    if (iova_tree_insert(c->maps, &m) != IOVA_TREE_OK)
        return -ENOMEM;
    c->nmap++;
    log_add(c, true, false, &m);
    return 0;
}

/* Remove every mapping inside [iova, last]; the caller checked the ends. */
static uint64_t remove_inside(struct shc *c, uint64_t iova, uint64_t last,
                              bool all, unsigned *count)
{
    uint64_t bytes = 0;
    const struct iova_map *e;

    *count = 0;
    while ((e = iova_tree_find(c->maps, iova, last))) {
        struct iova_map old = *e;

        iova_tree_remove(c->maps, old.iova, NULL);
        log_add(c, false, all, &old);
        bytes += old.last - old.iova + 1;
        (*count)++;
        if (old.last >= last)
            break;
        iova = old.last + 1;
    }
    return bytes;
}

int shc_unmap(struct shc *c, uint64_t iova, uint64_t size, uint64_t *unmapped)
{
    uint64_t mask = c->pgsize - 1, last;
    const struct iova_map *e;
    unsigned n;

    if (unmapped)
        *unmapped = 0;
    if (!size || ((iova | size) & mask))
        return -EINVAL;
    last = iova + size - 1;
    if (last < iova)
        return -EINVAL;
    /* v2: neither end may cut a mapping */
    e = iova_tree_find(c->maps, iova, iova);
    if (e && e->iova != iova)
        return -EINVAL;
    e = iova_tree_find(c->maps, last, last);
    if (e && e->last != last)
        return -EINVAL;
    {
        uint64_t bytes = remove_inside(c, iova, last, false, &n);

        if (unmapped)
            *unmapped = bytes;
    }
    c->nunmap++;
    c->removed += n;
    return 0;
}

int shc_unmap_all(struct shc *c, uint64_t *unmapped)
{
    unsigned n;
    uint64_t bytes = remove_inside(c, 0, ~0ull, true, &n);

    if (unmapped)
        *unmapped = bytes;
    c->nunmap_all++;
    c->removed += n;
    return 0;
}

static int sid_slot(struct shc *c, uint16_t sid)
{
    for (unsigned i = 0; i < c->nsid; i++)
        if (c->sid[i] == sid)
            return (int)i;
    if (c->nsid == SHC_MAX_SIDS)
        return -1;
    c->sid[c->nsid] = sid;
    return (int)c->nsid++;
}

bool shc_mode(const struct shc *c, uint16_t sid, enum vtd_notify_mode *mode)
{
    for (unsigned i = 0; i < c->nsid; i++)
        if (c->sid[i] == sid && c->mode_known[i]) {
            *mode = c->mode[i];
            return true;
        }
    return false;
}

int shc_notify(void *opaque, const struct vtd_notify_event *ev)
{
    struct shc *c = opaque;
    int rc;

    switch (ev->type) {
    case VTD_EV_MAP:
        rc = shc_map(c, ev->iova, ev->size, ev->addr, ev->perm);
        if (rc)
            fail(c,
                 "%s: MAP 0x%" PRIx64 "+0x%" PRIx64 " -> 0x%" PRIx64
                 " perm %u: %s",
                 c->name, ev->iova, ev->size, ev->addr, ev->perm,
                 strerror(-rc));
        return rc;
    case VTD_EV_UNMAP: {
        uint64_t bytes;
        unsigned before = (unsigned)iova_tree_count(c->maps);

        rc = shc_unmap(c, ev->iova, ev->size, &bytes);
        if (rc) {
            fail(c, "%s: UNMAP 0x%" PRIx64 "+0x%" PRIx64 "%s: %s", c->name,
                 ev->iova, ev->size, ev->unmap_all ? " (unmap-all chunk)" : "",
                 strerror(-rc));
            return rc;
        }
        /* An UNMAP of the layer's own diff names one shadow entry: it
         * must remove exactly that mapping. Removing nothing means the
         * container was told twice. */
        if (!ev->unmap_all &&
            (bytes != ev->size || before - iova_tree_count(c->maps) != 1))
            fail(c,
                 "%s: UNMAP 0x%" PRIx64 "+0x%" PRIx64 " removed %u "
                 "mapping(s), 0x%" PRIx64 " bytes: %s",
                 c->name, ev->iova, ev->size,
                 before - (unsigned)iova_tree_count(c->maps), bytes,
                 bytes ? "not exactly one whole mapping"
                       : "nothing (a duplicate UNMAP)");
        if (!ev->unmap_all && !bytes)
            c->useless_unmaps++;
        return 0;
    }
    case VTD_EV_MODE: {
        int i = sid_slot(c, ev->sid);

        if (i >= 0) {
            c->mode[i] = ev->mode;
            c->mode_known[i] = true;
        }
        return 0;
    }
    case VTD_EV_DEVIOTLB_UNMAP:
        fail(c, "%s: device-IOTLB event, not asked for", c->name);
        return -EINVAL;
    }
    return -EINVAL;
}
