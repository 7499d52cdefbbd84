/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/vfio-user/iova.c — the served device's IOVA table (iova.h).
 *
 * The host container keeps the mappings; their address is where the
 * memory sits in this process (0 for a mapping without memory), so the
 * container's own alignment and wrap checks apply to it, and a DMA is a
 * lookup and a memcpy.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/shadow/container.h"
#include "harness/vfio-user/iova.h"
#include "harness/vfio-user/proto.h"
#include "model/iova_tree.h"

struct vfu_iova *vfu_iova_new(struct vfu_log *log, FILE *record)
{
    struct vfu_iova *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    t->c = shc_new("vfio-user", 64, VFU_MAX_DMA_MAPS);
    if (!t->c || shr_init(&t->rec, record)) {
        shc_free(t->c);
        shr_fini(&t->rec);
        free(t);
        return NULL;
    }
    t->log = log;
    return t;
}

void vfu_iova_free(struct vfu_iova *t)
{
    if (!t)
        return;
    vfu_iova_clear(t);
    shc_free(t->c);
    shr_fini(&t->rec);
    free(t);
}

size_t vfu_iova_count(const struct vfu_iova *t)
{
    return iova_tree_count(t->c->maps);
}

/* ---------------------------------------------------------- the files */

static struct vfu_file *file_of(struct vfu_iova *t, uint64_t addr)
{
    for (unsigned i = 0; i < VFU_IOVA_FILES; i++) {
        struct vfu_file *f = &t->file[i];

        if (f->used && addr >= (uintptr_t)f->base &&
            addr - (uintptr_t)f->base < f->len)
            return f;
    }
    return NULL;
}

static void file_put(struct vfu_file *f)
{
    if (--f->refs)
        return;
    munmap(f->base, f->len);
    memset(f, 0, sizeof(*f));
}

/* The file behind fd, mapped once; fd is closed. Errno or 0. */
static int file_get(struct vfu_iova *t, int fd, struct vfu_file **out)
{
    struct vfu_file *slot = NULL;
    struct stat st;
    void *p;

    if (fstat(fd, &st) < 0) {
        int err = errno;

        close(fd);
        return vfu_refuse(t->log, EINVAL,
                          "DMA_MAP: fstat of the "
                          "descriptor: %s",
                          strerror(err));
    }
    for (unsigned i = 0; i < VFU_IOVA_FILES; i++) {
        struct vfu_file *f = &t->file[i];

        if (f->used && f->dev == (uint64_t)st.st_dev &&
            f->ino == (uint64_t)st.st_ino && f->len == (uint64_t)st.st_size) {
            close(fd);
            *out = f;
            return 0;
        }
        if (!f->used && !slot)
            slot = f;
    }
    if (!S_ISREG(st.st_mode) || st.st_size <= 0) {
        close(fd);
        return vfu_refuse(t->log, EINVAL,
                          "DMA_MAP: the descriptor is not a "
                          "file with memory (mode 0%o, size %lld)",
                          (unsigned)st.st_mode, (long long)st.st_size);
    }
    if (!slot) {
        close(fd);
        return vfu_refuse(t->log, ENOSPC,
                          "DMA_MAP: more than %u distinct "
                          "files",
                          VFU_IOVA_FILES);
    }
    slot->writable = true;
    p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
             0);
    if (p == MAP_FAILED) {
        slot->writable = false;
        p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    }
    if (p == MAP_FAILED) {
        int err = errno;

        close(fd);
        return vfu_refuse(t->log, EINVAL, "DMA_MAP: mmap of %lld bytes: %s",
                          (long long)st.st_size, strerror(err));
    }
    close(fd);
    slot->used = true;
    slot->dev = (uint64_t)st.st_dev;
    slot->ino = (uint64_t)st.st_ino;
    slot->base = p;
    slot->len = (uint64_t)st.st_size;
    slot->refs = 0;
    *out = slot;
    return 0;
}

/* ----------------------------------------------------------- records */

static void record_map(struct vfu_iova *t, uint64_t iova, uint64_t size,
                       uint64_t offset, unsigned perm, bool fd, int err,
                       const char *note)
{
    shr_write_map(&t->rec, t->log->seq, t->log->id, iova, size, offset, fd,
                  perm, err, note);
}

static void record_unmap(struct vfu_iova *t, uint64_t iova, uint64_t size,
                         bool all, int err, uint64_t bytes, unsigned removed,
                         const char *note)
{
    shr_write_unmap(&t->rec, t->log->seq, t->log->id, iova, size, all, err,
                    removed, bytes, note);
}

/* --------------------------------------------------------------- MAP */

static int map_checked(struct vfu_iova *t, uint64_t iova, uint64_t size,
                       uint64_t offset, unsigned perm, int fd,
                       const char **note)
{
    const struct iova_map *m;
    struct vfu_file *f = NULL;
    uint64_t addr = 0;
    int err;

    if (!size || (iova | size | offset) & (VFU_PGSIZE - 1) ||
        iova + size - 1 < iova) {
        if (fd >= 0)
            close(fd);
        return vfu_refuse(t->log, EINVAL,
                          "DMA_MAP iova 0x%" PRIx64 " size 0x%" PRIx64
                          " offset 0x%" PRIx64 ": empty, unaligned "
                          "or wrapping range",
                          iova, size, offset);
    }
    if (fd >= 0) {
        err = file_get(t, fd, &f);
        if (err || !f)
            return err ? err : EINVAL;
        if (offset > f->len || size > f->len - offset) {
            err = vfu_refuse(t->log, EINVAL,
                             "DMA_MAP iova 0x%" PRIx64 " size 0x%" PRIx64
                             ": offset 0x%" PRIx64
                             " leaves the file (0x%" PRIx64 " bytes)",
                             iova, size, offset, f->len);
            goto out;
        }
        if ((perm & VFU_IOVA_W) && !f->writable) {
            err = vfu_refuse(t->log, EPERM,
                             "DMA_MAP iova 0x%" PRIx64
                             ": writable mapping of a file mapped read-only",
                             iova);
            goto out;
        }
        addr = (uintptr_t)f->base + offset;
    } else if (offset) {
        return vfu_refuse(t->log, EINVAL,
                          "DMA_MAP iova 0x%" PRIx64 ": offset "
                          "0x%" PRIx64 " without a file descriptor",
                          iova, offset);
    }
    *note = shr_map_note(t->c, iova, size, addr, perm);
    if (*note) {
        m = iova_tree_find(t->c->maps, iova, iova + size - 1);
        err = vfu_refuse(t->log, EEXIST,
                         "DMA_MAP iova 0x%" PRIx64 " size 0x%" PRIx64
                         ": %s mapping 0x%" PRIx64 "-0x%" PRIx64,
                         iova, size,
                         (*note)[0] == 'i' ? "the very same" : "it overlaps",
                         m->iova, m->last);
        goto out;
    }
    err = -shc_map(t->c, iova, size, addr, perm);
    for (size_t i = 0; i < t->c->nlog; i++)
        shr_changed(&t->rec, &t->c->log[i]);
    shc_log_clear(t->c);
    if (err) {
        vfu_refuse(t->log, err,
                   "DMA_MAP iova 0x%" PRIx64 " size 0x%" PRIx64
                   ": the type1 rules",
                   iova, size);
        goto out;
    }
    if (f)
        f->refs++;
    return 0;
out:
    if (f && !f->refs) {
        f->refs = 1;
        file_put(f);
    }
    return err;
}

int vfu_iova_map(struct vfu_iova *t, uint64_t iova, uint64_t size,
                 uint64_t offset, unsigned perm, int fd)
{
    const char *note = NULL;
    bool has_fd = fd >= 0;
    int err;

    if (!perm || (perm & ~(VFU_IOVA_R | VFU_IOVA_W))) {
        if (fd >= 0)
            close(fd);
        err = vfu_refuse(t->log, EINVAL,
                         "DMA_MAP iova 0x%" PRIx64 ": flags "
                         "allow neither read nor write",
                         iova);
    } else {
        err = map_checked(t, iova, size, offset, perm, fd, &note);
    }
    if (err) {
        t->n.map_refused++;
        if (note && note[0] == 'i')
            t->n.identical_maps++;
    } else {
        t->n.maps++;
        t->n.bytes_mapped += size;
        vfu_trace(t->log,
                  "DMA_MAP iova 0x%" PRIx64 " size 0x%" PRIx64
                  " offset 0x%" PRIx64 "%s: mapped",
                  iova, size, offset, has_fd ? "" : " (no memory)");
    }
    record_map(t, iova, size, offset, perm, has_fd, err, note);
    return err;
}

/* ------------------------------------------------------------- UNMAP */

/* Release the files of the mappings the container just removed, and
 * remember their extents. */
static unsigned removed_mappings(struct vfu_iova *t)
{
    unsigned n = 0;

    for (size_t i = 0; i < t->c->nlog; i++) {
        const struct shc_change *ch = &t->c->log[i];
        struct vfu_file *f;

        if (ch->map)
            continue;
        n++;
        shr_changed(&t->rec, ch);
        f = ch->addr ? file_of(t, ch->addr) : NULL;
        if (f)
            file_put(f);
    }
    shc_log_clear(t->c);
    return n;
}

static const char *unmap_note(struct vfu_iova *t, uint64_t iova, uint64_t size,
                              uint64_t bytes, bool was_gone)
{
    const char *note = shr_unmap_note(size, bytes, was_gone);

    if (!note)
        return NULL;
    if (note[0] == 'o') {
        t->n.oversized_unmaps++;
        vfu_log(t->log,
                "DMA_UNMAP iova 0x%" PRIx64 " size 0x%" PRIx64
                ": oversized, removed 0x%" PRIx64 " bytes of mappings",
                iova, size, bytes);
        return note;
    }
    if (note[0] == 'd') {
        t->n.duplicate_unmaps++;
        vfu_log(t->log,
                "DMA_UNMAP iova 0x%" PRIx64 " size 0x%" PRIx64
                ": duplicate, removed nothing (unmapped before)",
                iova, size);
        return note;
    }
    t->n.empty_unmaps++;
    vfu_log(t->log,
            "DMA_UNMAP iova 0x%" PRIx64 " size 0x%" PRIx64
            ": removed nothing (never mapped)",
            iova, size);
    return note;
}

int vfu_iova_unmap(struct vfu_iova *t, uint64_t iova, uint64_t size, bool all)
{
    const char *note = NULL;
    uint64_t bytes = 0;
    unsigned removed = 0;
    bool was_gone = false;
    int err;

    if (all) {
        if (iova || size) {
            err = vfu_refuse(t->log, EINVAL,
                             "DMA_UNMAP all with iova 0x%" PRIx64
                             " size 0x%" PRIx64 ": both must be 0",
                             iova, size);
        } else {
            err = -shc_unmap_all(t->c, &bytes);
            note = "unmap-all";
        }
    } else {
        was_gone = shr_was_gone(&t->rec, iova, size);
        err = -shc_unmap(t->c, iova, size, &bytes);
        if (err) {
            const struct iova_map *m = size && iova + size - 1 >= iova
                                           ? iova_tree_find(t->c->maps, iova,
                                                            iova + size - 1)
                                           : NULL;

            note = m && !((iova | size) & (VFU_PGSIZE - 1)) ? "cuts" : NULL;
            vfu_refuse(t->log, err,
                       "DMA_UNMAP iova 0x%" PRIx64 " size 0x%" PRIx64 ": %s",
                       iova, size,
                       note ? "an end cuts a mapping"
                            : "empty, unaligned or wrapping range");
        }
    }
    if (!err)
        removed = removed_mappings(t);
    if (err) {
        t->n.unmap_refused++;
    } else {
        if (all)
            t->n.unmap_alls++;
        else
            note = unmap_note(t, iova, size, bytes, was_gone);
        t->n.unmaps++;
        t->n.bytes_unmapped += bytes;
        vfu_trace(t->log,
                  "DMA_UNMAP iova 0x%" PRIx64 " size 0x%" PRIx64
                  "%s: %u mapping(s), 0x%" PRIx64 " bytes",
                  iova, size, all ? " (all)" : "", removed, bytes);
    }
    record_unmap(t, iova, size, all, err, bytes, removed, note);
    return err;
}

void vfu_iova_clear(struct vfu_iova *t)
{
    uint64_t bytes;

    shc_unmap_all(t->c, &bytes);
    removed_mappings(t);
    shr_clear(&t->rec);
    for (unsigned i = 0; i < VFU_IOVA_FILES; i++)
        if (t->file[i].used) {
            munmap(t->file[i].base, t->file[i].len);
            memset(&t->file[i], 0, sizeof(t->file[i]));
        }
}

/* --------------------------------------------------------------- DMA */

/* Where the page holding iova lives, or why the device may not touch it. */
static uint8_t *page_of(struct vfu_iova *t, uint64_t iova, bool write,
                        const char **why)
{
    const struct iova_map *m = iova_tree_find(t->c->maps, iova, iova);

    if (!m) {
        *why = "not mapped";
        return NULL;
    }
    if (!(m->perm & (write ? VFU_IOVA_W : VFU_IOVA_R))) {
        *why = write ? "mapped read-only" : "mapped write-only";
        return NULL;
    }
    if (!m->addr) {
        *why = "mapped without memory (no file descriptor)";
        return NULL;
    }
    return (uint8_t *)(uintptr_t)(m->addr + (iova - m->iova));
}

struct vfu_dma_result vfu_iova_dma(struct vfu_iova *t, uint64_t iova, void *buf,
                                   size_t len, bool write)
{
    struct vfu_dma_result r = { 0 };
    uint64_t start = iova;
    uint8_t *b = buf;

    while (len) {
        uint64_t room = VFU_PGSIZE - (iova & (VFU_PGSIZE - 1));
        size_t chunk = len < room ? len : (size_t)room;
        const char *why = NULL;
        uint8_t *mem = page_of(t, iova, write, &why);

        if (mem) {
            if (write)
                memcpy(mem, b, chunk);
            else
                memcpy(b, mem, chunk);
            r.done += chunk;
        } else {
            if (!r.why) {
                r.why = why;
                r.first_blocked = iova;
            }
            r.blocked += chunk;
        }
        b += chunk;
        len -= chunk;
        iova += chunk; /* wraps at 2^64 like the bus address does */
    }
    t->n.dma_bytes += r.done;
    t->n.dma_blocked_bytes += r.blocked;
    shr_write_dma(&t->rec, t->log->seq, t->log->id, start, r.done + r.blocked,
                  write, r.blocked);
    return r;
}
