/*
 * lib/guest/paging.c — identity mappings beyond the early 4 GiB.
 *
 * The entry code maps 0..4 GiB with 2 MiB pages (3..4 GiB uncached). MMIO
 * elsewhere (64-bit BARs, a relocated register window) is mapped here on
 * demand, identity, uncached, again with 2 MiB pages only: 1 GiB CPU pages
 * fault under some KVM hosts. Table pages come from the page allocator.
 */
#include <string.h>

#include "lib/guest/guest.h"
#include "lib/guest/x86.h"

#define PTE_P       (1ull << 0)
#define PTE_W       (1ull << 1)
#define PTE_PWT     (1ull << 3)
#define PTE_PCD     (1ull << 4)
#define PTE_PS      (1ull << 7)
#define PTE_ADDR    0x000FFFFFFFFFF000ull
#define MAX_PHYS    (1ull << 46)        /* keep within 4-level paging */

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

        if (a < (4ull << 30))
            continue;               /* early map covers it */
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
