/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/guest/multiboot.c — the multiboot (v1) boot path: the information
 * structure (memory map, command line, modules), read once and bounded,
 * handed over to handover.c; then the common start.
 */
#include <string.h>

#include "lib/guest/guest.h"
#include "lib/printf.h"

#define MB_BOOT_MAGIC    0x2BADB002u
#define MBI_F_CMDLINE    (1u << 2)
#define MBI_F_MODS       (1u << 3)
#define MBI_F_MMAP       (1u << 6)
#define MAX_MMAP_ENTRIES 128

struct mbi {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_module {
    uint32_t start, end, string, rsvd;
};

static const struct mbi *mbi;

/* A NUL-terminated string of at most max bytes below 4 GiB, or "". */
static const char *bounded_str(uint32_t pa, size_t max)
{
    const char *s = (const char *)(uint64_t)pa;

    if (!pa || strnlen(s, max) == max)
        return "";
    return s;
}

static void multiboot_parse(uint32_t magic, uint64_t info)
{
    if (magic != MB_BOOT_MAGIC || !info) {
        vt_printf("# multiboot: bad magic 0x%x, no boot information\n", magic);
        return;
    }
    mbi = (const struct mbi *)info;
    if (mbi->flags & MBI_F_CMDLINE)
        handover_cmdline(bounded_str(mbi->cmdline, 512));
    if (mbi->flags & MBI_F_MODS) {
        const struct mb_module *m = (const void *)(uint64_t)mbi->mods_addr;

        for (uint32_t i = 0; i < mbi->mods_count; i++) {
            if (m[i].end < m[i].start)
                continue;
            if (!handover_module(bounded_str(m[i].string, 256),
                                 (const void *)(uint64_t)m[i].start,
                                 m[i].end - m[i].start))
                break;
        }
    }
}

static void mem_init(void)
{
    uint64_t image = (uint64_t)__image_start;
    struct plat_module mod;

    if (mbi && (mbi->flags & MBI_F_MMAP)) {
        uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

        for (unsigned n = 0; p + 24 <= end && n < MAX_MMAP_ENTRIES; n++) {
            uint32_t size = *(const uint32_t *)p;
            uint64_t base = *(const uint64_t *)(p + 4);
            uint64_t len = *(const uint64_t *)(p + 12);
            uint32_t type = *(const uint32_t *)(p + 20);

            if (size < 20)
                break;
            if (type == 1)
                handover_ram_add(base, len);
            p += size + 4;
        }
    } else if (mbi) {
        handover_ram_add(1ull << 20, (uint64_t)mbi->mem_upper * 1024);
    }
    /* Never hand out the image, the boot information or the modules. */
    handover_ram_reserve(image, (uint64_t)__image_end - image);
    if (mbi) {
        handover_ram_reserve((uint64_t)mbi, sizeof(*mbi));
        if (mbi->flags & MBI_F_MMAP)
            handover_ram_reserve(mbi->mmap_addr, mbi->mmap_length);
        if (mbi->flags & MBI_F_CMDLINE)
            handover_ram_reserve(mbi->cmdline, 512);
        if (mbi->flags & MBI_F_MODS)
            handover_ram_reserve(mbi->mods_addr, (uint64_t)mbi->mods_count *
                                                     sizeof(struct mb_module));
    }
    for (unsigned i = 0; plat_module(i, &mod); i++) {
        handover_ram_reserve((uint64_t)mod.data, mod.size);
        handover_ram_reserve((uint64_t)mod.name, strlen(mod.name) + 1);
    }
}

/* Called by boot/entry.asm in long mode, on the boot stack. */
void boot_main(uint32_t magic, uint64_t info);
void boot_main(uint32_t magic, uint64_t info)
{
    serial_init();
    trap_init();
    multiboot_parse(magic, info);
    mem_init();
    guest_start();
}
