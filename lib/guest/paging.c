/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/guest/paging.c — the identity map: the early 0..4 GiB and MMIO
 * mapped on demand.
 *
 * The early map covers 0..4 GiB with 2 MiB pages (1 GiB CPU pages fault
 * under some KVM hosts), 3..4 GiB uncached. The multiboot entry builds it
 * in boot/entry.asm before long mode; a boot path that arrives in long
 * mode on someone else's tables (UEFI) installs the same map with
 * paging_install_early(). MMIO is mapped here on demand, identity,
 * uncached, again with 2 MiB pages only: above 4 GiB (64-bit BARs, a
 * relocated register window) with table pages from the page allocator;
 * below 4 GiB by making the early map's page uncached, wherever a
 * firmware placed the window (SeaBIOS and OVMF lay out MMIO differently).
 */
#include <string.h>

#include "lib/guest/guest.h"
#include "lib/guest/x86.h"

#define PTE_P     (1ull << 0)
#define PTE_W     (1ull << 1)
#define PTE_PWT   (1ull << 3)
#define PTE_PCD   (1ull << 4)
#define PTE_PS    (1ull << 7)
#define PTE_ADDR  0x000FFFFFFFFFF000ull
#define MAX_PHYS  (1ull << 46) /* keep within 4-level paging */
#define EARLY_END (4ull << 30)
#define EARLY_UC  (3ull << 30)
#define CR4_PGE   (1ull << 7)
#define CR4_LA57  (1ull << 12)

/* The next level's table, created when missing. NULL on exhaustion or a
 * large page in the way (which already maps the range). */
static uint64_t *next_table(uint64_t *entry)
{
    void *page;

    if (*entry & PTE_P)
        return (*entry & PTE_PS) ? NULL : (uint64_t *)(*entry & PTE_ADDR);
    page = plat_alloc_pages(1);
    if (!page)
        return NULL;
    *entry = (uint64_t)page | PTE_P | PTE_W;
    return page;
}

/* The early map's 2 MiB entry for a (below 4 GiB), or NULL. */
static uint64_t *early_pde(uint64_t *pml4, uint64_t a)
{
    uint64_t e = pml4[0], *pdpt, *pd;

    if (!(e & PTE_P) || (e & PTE_PS))
        return NULL;
    pdpt = (uint64_t *)(e & PTE_ADDR);
    e = pdpt[(a >> 30) & 511];
    if (!(e & PTE_P) || (e & PTE_PS))
        return NULL;
    pd = (uint64_t *)(e & PTE_ADDR);
    return &pd[(a >> 21) & 511];
}

int paging_map_mmio(uint64_t pa, uint64_t len)
{
    uint64_t *pml4 = (uint64_t *)(read_cr3() & PTE_ADDR);
    uint64_t start, end;

    if (!len)
        return 0;
    if (pa >= MAX_PHYS || len > MAX_PHYS - pa)
        return -1;
    start = pa & ~((1ull << 21) - 1);
    end = pa + len;
    for (uint64_t a = start; a < end; a += 1ull << 21) {
        uint64_t *pml4e = &pml4[(a >> 39) & 511];
        uint64_t *pdpt, *pd, *pde;

        if (a < EARLY_END) {
            pde = early_pde(pml4, a);
            if (pde && (*pde & PTE_PS) &&
                (*pde & (PTE_PCD | PTE_PWT)) != (PTE_PCD | PTE_PWT)) {
                *pde |= PTE_PCD | PTE_PWT;
                invlpg(a);
            }
            continue; /* mapped by the early map */
        }
        pdpt = next_table(pml4e);
        if (!pdpt)
            return -1;
        if (pdpt[(a >> 30) & 511] & PTE_PS)
            continue;
        pd = next_table(&pdpt[(a >> 30) & 511]);
        if (!pd)
            return -1;
        pde = &pd[(a >> 21) & 511];
        if (*pde & PTE_P)
            continue;
        *pde = a | PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT;
        invlpg(a);
    }
    return 0;
}

static uint64_t early_pml4[512] __attribute__((aligned(4096)));
static uint64_t early_pdpt[512] __attribute__((aligned(4096)));
static uint64_t early_pd[4][512] __attribute__((aligned(4096)));

int paging_install_early(void)
{
    uint64_t cr4 = read_cr4();

    /* Our tables are 4-level; leaving 5-level paging needs paging off. */
    if (cr4 & CR4_LA57)
        return -1;
    for (unsigned i = 0; i < 2048; i++) {
        uint64_t a = (uint64_t)i << 21;

        early_pd[i / 512][i % 512] = a | PTE_P | PTE_W | PTE_PS |
                                     (a >= EARLY_UC ? PTE_PCD | PTE_PWT : 0);
    }
    for (unsigned i = 0; i < 4; i++)
        early_pdpt[i] = (uint64_t)early_pd[i] | PTE_P | PTE_W;
    early_pml4[0] = (uint64_t)early_pdpt | PTE_P | PTE_W;
    write_cr3((uint64_t)early_pml4);
    /* Global entries the previous owner left survive a CR3 load. */
    if (cr4 & CR4_PGE) {
        write_cr4(cr4 & ~CR4_PGE);
        write_cr4(cr4);
    }
    return 0;
}
