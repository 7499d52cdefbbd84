/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/record.c — the record of a host container (record.h).
 */
#include <errno.h>
#include <inttypes.h>

#include "harness/shadow/container.h"
#include "harness/shadow/record.h"
#include "model/iova_tree.h"

#define PERM_R 1u
#define PERM_W 2u

int shr_init(struct shr *r, FILE *out)
{
    r->out = out;
    r->gone = iova_tree_new();
    return r->gone ? 0 : -ENOMEM;
}

void shr_fini(struct shr *r)
{
    iova_tree_free(r->gone);
    r->gone = NULL;
}

void shr_clear(struct shr *r)
{
    iova_tree_clear(r->gone);
}

const char *shr_errno_name(int err)
{
    /* clang-format off */
    switch (err) {
    case 0:         return "ok";
    case EINVAL:    return "EINVAL";
    case EEXIST:    return "EEXIST";
    case ENOSPC:    return "ENOSPC";
    case ENOTSUP:   return "ENOTSUP";
    case ENOSYS:    return "ENOSYS";
    case E2BIG:     return "E2BIG";
    case EIO:       return "EIO";
    case EPERM:     return "EPERM";
    case ENOMEM:    return "ENOMEM";
    default:        return "error";
    }
    /* clang-format on */
}

const char *shr_map_note(const struct shc *c, uint64_t iova, uint64_t size,
                         uint64_t addr, unsigned perm)
{
    const struct iova_map *m;

    if (!size || iova + size - 1 < iova)
        return NULL;
    m = iova_tree_find(c->maps, iova, iova + size - 1);
    if (!m)
        return NULL;
    return m->iova == iova && m->last == iova + size - 1 && m->addr == addr &&
                   m->perm == perm
               ? "identical"
               : "overlap";
}

bool shr_was_gone(const struct shr *r, uint64_t iova, uint64_t size)
{
    return size && iova + size - 1 >= iova &&
           iova_tree_find(r->gone, iova, iova + size - 1);
}

const char *shr_unmap_note(uint64_t size, uint64_t bytes, bool was_gone)
{
    if (bytes == size)
        return NULL;
    if (bytes)
        return "oversized";
    return was_gone ? "duplicate" : "nothing";
}

static void gone_forget(struct shr *r, uint64_t first, uint64_t last)
{
    const struct iova_map *g;

    while ((g = iova_tree_find(r->gone, first, last)))
        iova_tree_remove(r->gone, g->iova, NULL);
}

void shr_changed(struct shr *r, const struct shc_change *ch)
{
    struct iova_map m = { .iova = ch->iova, .last = ch->last };

    gone_forget(r, ch->iova, ch->last);
    if (!ch->map)
        iova_tree_insert(r->gone, &m); /* best effort: only classifies */
}

static void perm_str(unsigned perm, char out[3])
{
    out[0] = perm & PERM_R ? 'r' : '-';
    out[1] = perm & PERM_W ? 'w' : '-';
    out[2] = 0;
}

void shr_write_map(struct shr *r, uint64_t seq, unsigned id, uint64_t iova,
                   uint64_t size, uint64_t offset, bool fd, unsigned perm,
                   int err, const char *note)
{
    char p[3];

    if (!r->out)
        return;
    perm_str(perm, p);
    fprintf(r->out,
            "seq=%" PRIu64 " id=0x%04x MAP iova=0x%" PRIx64 " size=0x%" PRIx64
            " offset=0x%" PRIx64 " fd=%d perm=%s "
            "result=%s%s%s\n",
            seq, id & 0xFFFF, iova, size, offset, fd, p, shr_errno_name(err),
            note ? " note=" : "", note ? note : "");
    fflush(r->out);
}

void shr_write_unmap(struct shr *r, uint64_t seq, unsigned id, uint64_t iova,
                     uint64_t size, bool all, int err, unsigned removed,
                     uint64_t bytes, const char *note)
{
    if (!r->out)
        return;
    fprintf(r->out,
            "seq=%" PRIu64 " id=0x%04x UNMAP iova=0x%" PRIx64 " size=0x%" PRIx64
            " all=%d result=%s removed=%u bytes=0x%" PRIx64 "%s%s\n",
            seq, id & 0xFFFF, iova, size, all, shr_errno_name(err), removed,
            bytes, note ? " note=" : "", note ? note : "");
    fflush(r->out);
}

void shr_write_dma(struct shr *r, uint64_t seq, unsigned id, uint64_t iova,
                   uint64_t size, bool write, uint64_t blocked)
{
    if (!r->out)
        return;
    fprintf(r->out,
            "seq=%" PRIu64 " id=0x%04x DMA iova=0x%" PRIx64 " size=0x%" PRIx64
            " dir=%s result=%s blocked=0x%" PRIx64 "\n",
            seq, id & 0xFFFF, iova, size, write ? "write" : "read",
            blocked ? "blocked" : "ok", blocked);
    fflush(r->out);
}
