/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The served device's IOVA table: VFIO type1's rules as QEMU's MAP and
 * UNMAP messages meet them, the classification every message gets in the
 * record, the memory behind the mappings, and DMA through them.
 */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness/vfio-user/iova.h"
#include "tests/host/tap.h"

#define K4    0x1000ull
#define RW    (VFU_IOVA_R | VFU_IOVA_W)
#define MEMSZ (64 * K4)

static int mem;       /* the "guest RAM" file */
static uint8_t *view; /* our own view of it */
static struct vfu_log lg;
static char *rec_buf;
static size_t rec_len;
static FILE *rec;

static int memfd(void)
{
    return dup(mem);
}

static bool closed(int fd)
{
    return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

/* The record's last line. */
static const char *last_record(void)
{
    static char line[256];
    const char *end, *start;

    fflush(rec);
    if (!rec_len)
        return "";
    end = rec_buf + rec_len - 1;
    start = end;
    while (start > rec_buf && start[-1] != '\n')
        start--;
    snprintf(line, sizeof(line), "%.*s", (int)(end - start), start);
    return line;
}

static bool has(const char *s, const char *word)
{
    return strstr(s, word) != NULL;
}

static void rules(struct vfu_iova *t)
{
    uint64_t lines;
    int fd;

    TAP_OK(vfu_iova_map(t, 0x10000, 0x3000, 0, RW, memfd()) == 0,
           "MAP of 3 pages with the memory's descriptor");
    TAP_OK(has(last_record(), "MAP iova=0x10000 size=0x3000 offset=0x0 "
                              "fd=1 perm=rw result=ok"),
           "recorded: %s", last_record());
    lines = lg.lines;
    TAP_OK(vfu_iova_map(t, 0x10000, 0x3000, 0, RW, memfd()) == EEXIST &&
               t->n.identical_maps == 1,
           "the very same MAP again: EEXIST, "
           "counted as identical");
    TAP_OK(has(last_record(), "result=EEXIST note=identical") &&
               lg.lines > lines,
           "recorded and logged: %s", last_record());
    TAP_OK(vfu_iova_map(t, 0x12000, 0x2000, 0x5000, RW, memfd()) == EEXIST &&
               has(last_record(), "note=overlap"),
           "a MAP overlapping the end "
           "of one: EEXIST (overlap)");
    TAP_OK(vfu_iova_map(t, 0x13000, K4, 0x3000, VFU_IOVA_R, memfd()) == 0,
           "a MAP right after it: fine");
    TAP_OK(vfu_iova_map(t, 0x20800, K4, 0, RW, memfd()) == EINVAL,
           "unaligned iova: EINVAL");
    TAP_OK(vfu_iova_map(t, 0x20000, K4, 0x800, RW, memfd()) == EINVAL,
           "unaligned file offset: EINVAL");
    TAP_OK(vfu_iova_map(t, 0x20000, 0, 0, RW, memfd()) == EINVAL,
           "size 0: EINVAL");
    TAP_OK(vfu_iova_map(t, 0x20000, K4, 0, 0, memfd()) == EINVAL,
           "neither read nor write: EINVAL");
    TAP_OK(vfu_iova_map(t, ~0ull - K4 + 1, 2 * K4, 0, RW, memfd()) == EINVAL,
           "a wrapping range: EINVAL");
    TAP_OK(vfu_iova_map(t, 0x20000, 2 * K4, MEMSZ - K4, RW, memfd()) == EINVAL,
           "a range leaving the file: EINVAL");
    fd = eventfd(0, 0);
    TAP_OK(vfu_iova_map(t, 0x20000, K4, 0, RW, fd) == EINVAL && closed(fd),
           "a descriptor that is not a file of memory: EINVAL, closed");
    TAP_OK(vfu_iova_map(t, 0x20000, K4, 0x1000, RW, -1) == EINVAL,
           "an offset without a descriptor: EINVAL");
    TAP_OK(vfu_iova_map(t, 0x40000, K4, 0, VFU_IOVA_R, -1) == 0 &&
               has(last_record(), "fd=0"),
           "a MAP without memory (QEMU's "
           "ROM): accepted");
    TAP_OK(t->n.map_refused == 10, "10 MAPs refused (%llu)",
           (unsigned long long)t->n.map_refused);

    TAP_OK(vfu_iova_unmap(t, 0x11000, K4, false) == EINVAL &&
               has(last_record(), "result=EINVAL") &&
               has(last_record(), "note=cuts") && vfu_iova_count(t) == 3,
           "an UNMAP starting inside a mapping: "
           "EINVAL (cuts), nothing unmapped");
    TAP_OK(vfu_iova_unmap(t, 0xF000, 0x2000, false) == EINVAL,
           "an UNMAP ending inside a mapping: EINVAL");
    TAP_OK(vfu_iova_unmap(t, 0x10000, 0x800, false) == EINVAL &&
               !has(last_record(), "note="),
           "an unaligned UNMAP: EINVAL");
    TAP_OK(vfu_iova_unmap(t, 0x8000, 0x10000, false) == 0 &&
               has(last_record(), "removed=2 bytes=0x4000 note=oversized") &&
               vfu_iova_count(t) == 1,
           "an UNMAP over holes takes the two "
           "mappings inside: oversized");
    TAP_OK(vfu_iova_unmap(t, 0x10000, 0x3000, false) == 0 &&
               has(last_record(), "removed=0 bytes=0x0 note=duplicate") &&
               t->n.duplicate_unmaps == 1,
           "the same range again: removes "
           "nothing, a duplicate");
    TAP_OK(vfu_iova_unmap(t, 0x100000, 0x100000, false) == 0 &&
               has(last_record(), "note=nothing"),
           "an UNMAP where nothing "
           "ever was: nothing");
    TAP_OK(vfu_iova_map(t, 0x10000, K4, 0, RW, memfd()) == 0 &&
               vfu_iova_unmap(t, 0x10000, K4, false) == 0 &&
               !has(last_record(), "note="),
           "MAP then the exact UNMAP: "
           "no note");
    TAP_OK(vfu_iova_unmap(t, 0, 0, false) == EINVAL, "UNMAP of size 0: "
                                                     "EINVAL");
    TAP_OK(vfu_iova_unmap(t, 0x1000, 0, true) == EINVAL,
           "unmap-all with an address: EINVAL");
    TAP_OK(vfu_iova_unmap(t, 0, 0, true) == 0 && vfu_iova_count(t) == 0 &&
               has(last_record(), "all=1 result=ok removed=1"),
           "unmap-all removes the rest");
    TAP_OK(vfu_iova_map(t, 0xfef00000, K4, 0, RW, memfd()) == 0 &&
               vfu_iova_unmap(t, 0xfef00000, 0 - 0xfef00000ull, false) == 0 &&
               vfu_iova_count(t) == 0,
           "an UNMAP up to the last byte of the "
           "64-bit space (as QEMU sends them)");
}

static void files(struct vfu_iova *t)
{
    unsigned used = 0;

    TAP_OK(vfu_iova_map(t, 0x0, K4, 0, RW, memfd()) == 0 &&
               vfu_iova_map(t, 0x1000, K4, 0x1000, RW, memfd()) == 0,
           "two MAPs of the same file, each with its own descriptor");
    for (unsigned i = 0; i < VFU_IOVA_FILES; i++)
        used += t->file[i].used;
    TAP_OK(used == 1 && t->file[0].refs == 2, "the file is mapped once, "
                                              "used twice");
    vfu_iova_unmap(t, 0, 0x2000, false);
    TAP_OK(!t->file[0].used, "released when its last mapping goes");
}

static void dma(struct vfu_iova *t)
{
    uint8_t buf[3 * K4], save[3 * K4];
    struct vfu_dma_result r;

    memset(view, 0x11, MEMSZ);
    vfu_iova_map(t, 0x100000, K4, 0x2000, RW, memfd());
    vfu_iova_map(t, 0x101000, K4, 0x5000, VFU_IOVA_R, memfd());
    vfu_iova_map(t, 0x103000, K4, 0x7000, RW, memfd());
    vfu_iova_map(t, 0x104000, K4, 0, RW, -1);

    memset(buf, 0xAB, sizeof(buf));
    r = vfu_iova_dma(t, 0x100800, buf, 0x1000, true);
    TAP_OK(r.done == 0x800 && r.blocked == 0x800 &&
               r.first_blocked == 0x101000 &&
               !strcmp(r.why, "mapped read-only"),
           "a write across a read-only page: half done, then refused");
    TAP_OK(view[0x2800] == 0xAB && view[0x2FFF] == 0xAB &&
               view[0x27FF] == 0x11 && view[0x5000] == 0x11,
           "the writable half landed where the mapping leads, the rest "
           "untouched");
    memset(buf, 0xCD, sizeof(buf));
    memcpy(save, buf, sizeof(buf));
    r = vfu_iova_dma(t, 0x101000, buf, 3 * K4, false);
    TAP_OK(r.done == 2 * K4 && r.blocked == K4 && r.first_blocked == 0x102000 &&
               !strcmp(r.why, "not mapped"),
           "a read across a hole: the hole is refused");
    TAP_OK(buf[0] == 0x11 && buf[K4] == 0xCD && buf[2 * K4] == 0x11,
           "the hole's part of the buffer is left as it was");
    r = vfu_iova_dma(t, 0x104000, buf, 16, false);
    TAP_OK(r.blocked == 16 && has(r.why, "without memory"),
           "a mapping without memory cannot be reached");
    r = vfu_iova_dma(t, 0x200000, buf, 16, true);
    TAP_OK(r.blocked == 16 && view[0] == 0x11, "nothing mapped: nothing "
                                               "written");
    TAP_OK(has(last_record(), "DMA iova=0x200000 size=0x10 dir=write "
                              "result=blocked blocked=0x10"),
           "the DMA recorded: %s", last_record());
    vfu_iova_unmap(t, 0, 0, true);
}

int main(void)
{
    struct vfu_iova *t;

    mem = memfd_create("test-ram", MFD_CLOEXEC);
    if (mem < 0 || ftruncate(mem, MEMSZ) < 0)
        return 1;
    view = mmap(NULL, MEMSZ, PROT_READ | PROT_WRITE, MAP_SHARED, mem, 0);
    rec = open_memstream(&rec_buf, &rec_len);
    lg.out = getenv("VFU_TEST_LOG") ? stderr : NULL;
    t = vfu_iova_new(&lg, rec);
    if (view == MAP_FAILED || !rec || !t)
        return 1;

    rules(t);
    files(t);
    dma(t);

    vfu_iova_free(t);
    fclose(rec);
    free(rec_buf);
    munmap(view, MEMSZ);
    close(mem);
    return tap_done();
}
