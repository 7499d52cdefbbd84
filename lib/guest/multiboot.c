/*
 * lib/guest/multiboot.c — the multiboot (v1) information structure:
 * memory map, command line, modules. Read once at boot, bounded.
 */
#include <string.h>

#include "lib/alloc.h"
#include "lib/guest/guest.h"
#include "lib/printf.h"

#define MB_BOOT_MAGIC       0x2BADB002u
#define MBI_F_CMDLINE       (1u << 2)
#define MBI_F_MODS          (1u << 3)
#define MBI_F_MMAP          (1u << 6)
#define MAX_MODULES         32
#define MAX_MMAP_ENTRIES    128
#define LOW_LIMIT           (1ull << 20)    /* leave the first MiB alone */
#define HIGH_LIMIT          (4ull << 30)    /* identity-mapped at boot */

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
static char cmdline[512];
static struct plat_module modules[MAX_MODULES];
static unsigned nr_modules;
static struct range_alloc ram;

/* A NUL-terminated string of at most max bytes below 4 GiB, or "". */
static const char *bounded_str(uint32_t pa, size_t max)
{
    const char *s = (const char *)(uint64_t)pa;

    if (!pa || strnlen(s, max) == max)
        return "";
    return s;
}

void multiboot_parse(uint32_t magic, uint64_t info)
{
    if (magic != MB_BOOT_MAGIC || !info) {
        vt_printf("# multiboot: bad magic 0x%x, no boot information\n", magic);
        return;
    }
    mbi = (const struct mbi *)info;
    if (mbi->flags & MBI_F_CMDLINE) {
        const char *s = bounded_str(mbi->cmdline, sizeof(cmdline));

        memcpy(cmdline, s, strlen(s) + 1);
    }
    if (mbi->flags & MBI_F_MODS) {
        const struct mb_module *m = (const void *)(uint64_t)mbi->mods_addr;

        for (uint32_t i = 0; i < mbi->mods_count && nr_modules < MAX_MODULES;
             i++) {
            if (m[i].end < m[i].start)
                continue;
            modules[nr_modules].name = bounded_str(m[i].string, 256);
            modules[nr_modules].data = (const void *)(uint64_t)m[i].start;
            modules[nr_modules].size = m[i].end - m[i].start;
            nr_modules++;
        }
    }
}

static void reserve(uint64_t base, uint64_t len)
{
    ra_reserve(&ram, base & ~0xFFFull, len + (base & 0xFFF));
}

void mem_init(void)
{
    uint64_t image = (uint64_t)__image_start;

    ra_init(&ram);
    if (mbi && (mbi->flags & MBI_F_MMAP)) {
        uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

        for (unsigned n = 0; p + 24 <= end && n < MAX_MMAP_ENTRIES; n++) {
            uint32_t size = *(const uint32_t *)p;
            uint64_t base = *(const uint64_t *)(p + 4);
            uint64_t len = *(const uint64_t *)(p + 12);
            uint32_t type = *(const uint32_t *)(p + 20);

            if (size < 20)
                break;
            if (type == 1 && base < HIGH_LIMIT) {
                uint64_t b = base < LOW_LIMIT ? LOW_LIMIT : base;
                uint64_t e = base + len > HIGH_LIMIT ? HIGH_LIMIT : base + len;

                b = (b + 0xFFF) & ~0xFFFull;
                e &= ~0xFFFull;
                if (e > b)
                    ra_add(&ram, b, e - b);
            }
            p += size + 4;
        }
    } else if (mbi) {
        ra_add(&ram, LOW_LIMIT, (uint64_t)mbi->mem_upper * 1024);
    }
    /* Never hand out the image, the boot information or the modules. */
    reserve(image, (uint64_t)__image_end - image);
    if (mbi) {
        reserve((uint64_t)mbi, sizeof(*mbi));
        if (mbi->flags & MBI_F_MMAP)
            reserve(mbi->mmap_addr, mbi->mmap_length);
        if (mbi->flags & MBI_F_CMDLINE)
            reserve(mbi->cmdline, sizeof(cmdline));
        if (mbi->flags & MBI_F_MODS)
            reserve(mbi->mods_addr,
                    (uint64_t)mbi->mods_count * sizeof(struct mb_module));
    }
    for (unsigned i = 0; i < nr_modules; i++) {
        reserve((uint64_t)modules[i].data, modules[i].size);
        reserve((uint64_t)modules[i].name, strlen(modules[i].name) + 1);
    }
}

void *plat_alloc_pages(size_t count)
{
    uint64_t pa;

    if (!count || !ra_alloc(&ram, (uint64_t)count << 12, 4096, &pa))
        return NULL;
    memset((void *)pa, 0, count << 12);
    return (void *)pa;
}

void plat_free_pages(void *va, size_t count)
{
    if (va && count)
        ra_free(&ram, (uint64_t)va, (uint64_t)count << 12);
}

uint64_t guest_free_bytes(void);
uint64_t guest_free_bytes(void)
{
    return ra_free_bytes(&ram);
}

const char *plat_cmdline(void)
{
    return cmdline;
}

bool plat_module(unsigned index, struct plat_module *out)
{
    if (index >= nr_modules)
        return false;
    *out = modules[index];
    return true;
}
