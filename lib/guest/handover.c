/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/guest/handover.c — what a boot path hands the firmware: usable RAM
 * (the page allocator), the command line, boot modules and the ACPI RSDP.
 *
 * The multiboot entry (multiboot.c) and the UEFI entry (boot/efi/) fill
 * this in from their own structures; the lib/platform.h calls below read
 * it the same way whichever path booted.
 */
#include <string.h>

#include "lib/alloc.h"
#include "lib/guest/guest.h"

#define MAX_MODULES 32
#define LOW_LIMIT   (1ull << 20) /* leave the first MiB alone */
#define HIGH_LIMIT  (4ull << 30) /* identity-mapped at boot */

static char cmdline[512];
static struct plat_module modules[MAX_MODULES];
static unsigned nr_modules;
static struct range_alloc ram;
static bool ram_ready;
static uint64_t rsdp;

static void ram_begin(void)
{
    if (!ram_ready) {
        ra_init(&ram);
        ram_ready = true;
    }
}

void handover_ram_add(uint64_t base, uint64_t len)
{
    uint64_t b, e;

    ram_begin();
    if (base >= HIGH_LIMIT || !len)
        return;
    b = base < LOW_LIMIT ? LOW_LIMIT : base;
    e = len > HIGH_LIMIT - base ? HIGH_LIMIT : base + len;
    b = (b + 0xFFF) & ~0xFFFull;
    e &= ~0xFFFull;
    if (e > b)
        ra_add(&ram, b, e - b);
}

void handover_ram_reserve(uint64_t base, uint64_t len)
{
    ram_begin();
    if (len)
        ra_reserve(&ram, base & ~0xFFFull, len + (base & 0xFFF));
}

uint64_t handover_ram_lost(void)
{
    return ram.lost;
}

void handover_cmdline(const char *s)
{
    size_t n = strnlen(s, sizeof(cmdline) - 1);

    memcpy(cmdline, s, n);
    cmdline[n] = 0;
}

bool handover_module(const char *name, const void *data, size_t size)
{
    if (nr_modules == MAX_MODULES)
        return false;
    modules[nr_modules].name = name;
    modules[nr_modules].data = data;
    modules[nr_modules].size = size;
    nr_modules++;
    return true;
}

void handover_rsdp(uint64_t pa)
{
    rsdp = pa;
}

/* ---------------------------------------------------- lib/platform.h */

void *plat_alloc_aligned(size_t count, uint64_t align)
{
    uint64_t pa;

    if (!count || !ram_ready || align < 4096 || (align & (align - 1)) ||
        !ra_alloc(&ram, (uint64_t)count << 12, align, &pa))
        return NULL;
    memset((void *)pa, 0, count << 12);
    return (void *)pa;
}

void *plat_alloc_pages(size_t count)
{
    return plat_alloc_aligned(count, 4096);
}

void plat_free_pages(void *va, size_t count)
{
    if (va && count && ram_ready)
        ra_free(&ram, (uint64_t)va, (uint64_t)count << 12);
}

uint64_t guest_free_bytes(void)
{
    return ram_ready ? ra_free_bytes(&ram) : 0;
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

uint64_t plat_acpi_rsdp(void)
{
    return rsdp; /* 0: BIOS boot, search for it */
}
