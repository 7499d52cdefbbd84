/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/pgtable.c — second-level page tables (spec 3.7, 9.8), and first-stage
 * ones (3.6, 9.7) through the same walks: the permission bits are the
 * only difference the builders see.
 *
 * Table pages are recorded in a chain of bookkeeping pages owned by the
 * domain, not found by walking: a test may point an entry anywhere, and
 * destroying the domain must still free exactly what it allocated.
 */
#include <string.h>

#include "lib/platform.h"
#include "vtd/pgtable.h"

/* Bookkeeping page: 511 table pointers and the next bookkeeping page. */
#define BOOK_SLOTS 511

static int book_add(struct vtd_domain *d, void *table)
{
    void **book = d->book;

    if (!book || d->book_used == BOOK_SLOTS) {
        void **nb = plat_alloc_pages(1);

        if (!nb)
            return VTD_ENOMEM;
        nb[BOOK_SLOTS] = book;
        d->book = nb;
        d->book_used = 0;
        book = nb;
    }
    book[d->book_used++] = table;
    return VTD_OK;
}

static uint64_t *table_alloc(struct vtd_domain *d)
{
    uint64_t *t = plat_alloc_pages(1);

    if (!t)
        return NULL;
    if (book_add(d, t)) {
        plat_free_pages(t, 1);
        return NULL;
    }
    d->tables++;
    vtd_sync(d->u, t, VTD_PAGE_SIZE);
    return t;
}

/* An entry is present: R or W (second stage, 9.8), P (first stage). */
static bool pte_present(const struct vtd_domain *d, uint64_t e)
{
    return d->fs ? (e & VTD_FS_P) : vtd_sl_present(e);
}

/* The bits a permission takes in an entry. First stage: any access needs
 * P and, for a request without PASID, U/S; a write needs R/W too. */
static uint64_t perm_bits(const struct vtd_domain *d, unsigned perm)
{
    if (!d->fs)
        return perm & VTD_SL_RW;
    if (!perm)
        return 0;
    return VTD_FS_P | VTD_FS_US | ((perm & VTD_PERM_W) ? VTD_FS_RW : 0);
}

static uint64_t perm_mask(const struct vtd_domain *d)
{
    return d->fs ? VTD_FS_P | VTD_FS_RW | VTD_FS_US : VTD_SL_RW;
}

static unsigned pte_perm(const struct vtd_domain *d, uint64_t e)
{
    if (!d->fs)
        return (unsigned)(e & VTD_SL_RW);
    if (!(e & VTD_FS_P))
        return 0;
    return VTD_PERM_R | ((e & VTD_FS_RW) ? VTD_PERM_W : 0);
}

static uint64_t table_entry(const struct vtd_domain *d, uint64_t pa)
{
    return (pa & VTD_SL_ADDR) | perm_bits(d, VTD_PERM_RW);
}

static uint64_t leaf_entry(const struct vtd_domain *d, uint64_t pa,
                           unsigned level, unsigned perm)
{
    return vtd_sl_page(pa, level, 0) | perm_bits(d, perm);
}

int vtd_dom_init_fs(struct vtd_domain *d, struct vtd_unit *u, uint16_t did,
                    unsigned levels)
{
    memset(d, 0, sizeof(*d));
    d->u = u;
    if (!vtd_has_ecap(u, VTD_ECAP_FLTS))
        return vtd_fail(u, VTD_ENOTSUP, "first-stage tables need ECAP.FSTS");
    if (levels != 4 && !(levels == 5 && vtd_has_cap(u, VTD_CAP_FL5LP)))
        return vtd_fail(u, VTD_ENOTSUP,
                        "%u-level first-stage tables (4, or 5 with "
                        "CAP.FS5LP)",
                        levels);
    if (u->did_bits < 16 && did >> u->did_bits)
        return vtd_fail(u, VTD_EINVAL, "DID 0x%x beyond %u bits (CAP.ND)", did,
                        u->did_bits);
    d->fs = true;
    d->did = did;
    d->aw = levels - 2;
    d->levels = levels;
    /* 3.6.1: inputs are canonical; the lower half is what maps here. */
    d->width = levels == 5 ? 56 : 47;
    d->root = table_alloc(d);
    if (!d->root)
        return vtd_fail(u, VTD_ENOMEM, "no page for the domain's root");
    d->root_pa = plat_virt_to_phys(d->root);
    return VTD_OK;
}

int vtd_dom_init(struct vtd_domain *d, struct vtd_unit *u, uint16_t did,
                 unsigned levels)
{
    unsigned aw = levels - 2;

    memset(d, 0, sizeof(*d));
    d->u = u;
    if (levels < 2 || levels > 6 || !(u->caps.sagaw & (1u << aw)))
        return vtd_fail(u, VTD_ENOTSUP, "%u-level tables: not in SAGAW 0x%x",
                        levels, u->caps.sagaw);
    if (u->did_bits < 16 && did >> u->did_bits)
        return vtd_fail(u, VTD_EINVAL, "DID 0x%x beyond %u bits (CAP.ND)", did,
                        u->did_bits);
    d->did = did;
    d->aw = aw;
    d->levels = levels;
    /* 3.6/3.7: inputs above min(AGAW, MGAW) fault (reason 0x4). */
    d->width = vtd_aw_bits(aw);
    if (u->caps.mgaw < d->width)
        d->width = u->caps.mgaw;
    d->root = table_alloc(d);
    if (!d->root)
        return vtd_fail(u, VTD_ENOMEM, "no page for the domain's root");
    d->root_pa = plat_virt_to_phys(d->root);
    return VTD_OK;
}

void vtd_dom_destroy(struct vtd_domain *d)
{
    void **book = d->book;
    unsigned n = d->book_used;

    while (book) {
        void **next = book[BOOK_SLOTS];

        for (unsigned i = 0; i < n; i++)
            plat_free_pages(book[i], 1);
        plat_free_pages(book, 1);
        book = next;
        n = BOOK_SLOTS;
    }
    memset(d, 0, sizeof(*d));
}

bool vtd_dom_page_ok(const struct vtd_domain *d, uint64_t page_size)
{
    unsigned sllps = (unsigned)FIELD_GET(VTD_CAP_SLLPS, d->u->caps.cap);

    /* First stage: 2 MiB leaves always, 1 GiB with CAP.FS1GP (9.7). */
    if (d->fs)
        sllps = 1u | (vtd_has_cap(d->u, VTD_CAP_FL1GP) ? 2u : 0u);
    switch (page_size) {
    case VTD_SIZE_4K:
        return true;
    case VTD_SIZE_2M:
        return sllps & 1;
    case VTD_SIZE_1G:
        return (sllps & 2) && d->levels >= 3;
    }
    return false;
}

static unsigned size_level(uint64_t size)
{
    return size == VTD_SIZE_1G ? 3 : size == VTD_SIZE_2M ? 2 : 1;
}

static int range_ok(struct vtd_domain *d, uint64_t iova, uint64_t size)
{
    uint64_t limit = d->width >= 64 ? ~0ull : (1ull << d->width);

    if (!size || iova + size < iova || iova >= limit || size > limit - iova)
        return vtd_fail(d->u, VTD_ERANGE,
                        "IOVA range 0x%lx+0x%lx beyond "
                        "the domain's %u-bit width",
                        (unsigned long)iova, (unsigned long)size, d->width);
    if ((iova | size) & (VTD_PAGE_SIZE - 1))
        return vtd_fail(d->u, VTD_ERANGE,
                        "IOVA range 0x%lx+0x%lx not 4 KiB "
                        "aligned",
                        (unsigned long)iova, (unsigned long)size);
    return VTD_OK;
}

static uint64_t *table_of(uint64_t pte)
{
    return plat_phys_to_virt(vtd_sl_addr(pte));
}

static void pte_write(const struct vtd_domain *d, uint64_t *p, uint64_t val)
{
    *(volatile uint64_t *)p = val;
    vtd_sync(d->u, p, sizeof(*p));
}

/*
 * The entry at `level` for iova. With alloc, missing tables on the way are
 * created; a leaf above `level` is VTD_EEXIST. Without alloc, a missing
 * table is VTD_ENOENT.
 */
static uint64_t *walk_to(struct vtd_domain *d, uint64_t iova, unsigned level,
                         bool alloc, int *err)
{
    uint64_t *t = d->root;

    for (unsigned l = d->levels; l > level; l--) {
        uint64_t *p = &t[vtd_level_index(iova, l)];

        if (!pte_present(d, *p)) {
            uint64_t *nt;

            if (!alloc) {
                *err = VTD_ENOENT;
                return NULL;
            }
            nt = table_alloc(d);
            if (!nt) {
                *err = vtd_fail(d->u, VTD_ENOMEM,
                                "no page for a level-%u "
                                "table",
                                l - 1);
                return NULL;
            }
            /* Non-leaf entries grant everything; leaves decide (9.8:
             * permissions are the AND over the walk). */
            pte_write(d, p, table_entry(d, plat_virt_to_phys(nt)));
        } else if (vtd_sl_leaf(*p, l)) {
            *err = vtd_fail(d->u, VTD_EEXIST,
                            "IOVA 0x%lx: level-%u leaf "
                            "0x%lx above level %u",
                            (unsigned long)iova, l, (unsigned long)*p, level);
            return NULL;
        }
        t = table_of(*p);
        if (!t) {
            *err = vtd_fail(d->u, VTD_EINVAL,
                            "IOVA 0x%lx: level-%u entry "
                            "0x%lx points outside RAM",
                            (unsigned long)iova, l, (unsigned long)*p);
            return NULL;
        }
    }
    return &t[vtd_level_index(iova, level)];
}

int vtd_map(struct vtd_domain *d, uint64_t iova, uint64_t pa, uint64_t size,
            unsigned perm, uint64_t page_size)
{
    int rc = range_ok(d, iova, size);

    if (rc)
        return rc;
    if (!perm || perm & ~VTD_PERM_RW)
        return vtd_fail(d->u, VTD_EINVAL, "permission 0x%x: R and/or W", perm);
    if (page_size && !vtd_dom_page_ok(d, page_size))
        return vtd_fail(d->u, VTD_ENOTSUP,
                        "0x%lx-byte leaves: not in SLLPS "
                        "0x%x",
                        (unsigned long)page_size,
                        (unsigned)FIELD_GET(VTD_CAP_SLLPS, d->u->caps.cap));
    if (pa & (VTD_PAGE_SIZE - 1) || (pa & vtd_haw_rsvd(d->u->haw)))
        return vtd_fail(d->u, VTD_EINVAL,
                        "address 0x%lx misaligned or "
                        "beyond HAW %u",
                        (unsigned long)pa, d->u->haw);
    while (size) {
        uint64_t ps = page_size;
        unsigned level;
        uint64_t *p;

        if (!ps) {
            static const uint64_t sizes[] = { VTD_SIZE_1G, VTD_SIZE_2M };

            ps = VTD_SIZE_4K;
            for (unsigned i = 0; i < 2; i++)
                if (vtd_dom_page_ok(d, sizes[i]) && size >= sizes[i] &&
                    !((iova | pa) & (sizes[i] - 1))) {
                    ps = sizes[i];
                    break;
                }
        }
        if (((iova | pa) & (ps - 1)) || size < ps)
            return vtd_fail(d->u, VTD_ERANGE,
                            "IOVA 0x%lx -> 0x%lx size "
                            "0x%lx not aligned to 0x%lx-byte leaves",
                            (unsigned long)iova, (unsigned long)pa,
                            (unsigned long)size, (unsigned long)ps);
        level = size_level(ps);
        p = walk_to(d, iova, level, true, &rc);
        if (!p)
            return rc;
        if (pte_present(d, *p))
            return vtd_fail(d->u, VTD_EEXIST,
                            "IOVA 0x%lx: level-%u entry "
                            "0x%lx present",
                            (unsigned long)iova, level, (unsigned long)*p);
        pte_write(d, p, leaf_entry(d, pa, level, perm));
        iova += ps;
        pa += ps;
        size -= ps;
    }
    return VTD_OK;
}

/*
 * Visit the leaves over [iova, iova+size): set each to new_perm (0 clears
 * the entry). Large leaves must lie wholly inside. *found counts leaves.
 */
static int change_leaves(struct vtd_domain *d, uint64_t iova, uint64_t size,
                         bool clear, unsigned new_perm, unsigned *found)
{
    int rc = range_ok(d, iova, size);

    *found = 0;
    if (rc)
        return rc;
    while (size) {
        uint64_t *t = d->root, *p = NULL, step = 0;
        unsigned l;

        for (l = d->levels; l >= 1; l--) {
            p = &t[vtd_level_index(iova, l)];
            step = vtd_level_size(l) - (iova & (vtd_level_size(l) - 1));
            if (!pte_present(d, *p) || vtd_sl_leaf(*p, l))
                break;
            t = table_of(*p);
            if (!t)
                return vtd_fail(d->u, VTD_EINVAL,
                                "IOVA 0x%lx: level-%u "
                                "entry 0x%lx points outside RAM",
                                (unsigned long)iova, l, (unsigned long)*p);
        }
        if (!p)
            return vtd_fail(d->u, VTD_EINVAL, "a domain without levels");
        if (pte_present(d, *p)) {
            uint64_t ls = vtd_level_size(l);

            if ((iova & (ls - 1)) || size < ls)
                return vtd_fail(d->u, VTD_ERANGE,
                                "IOVA 0x%lx+0x%lx cuts "
                                "the level-%u leaf 0x%lx: split it first",
                                (unsigned long)iova, (unsigned long)size, l,
                                (unsigned long)*p);
            pte_write(d, p,
                      clear ? 0
                            : (*p & ~perm_mask(d)) | perm_bits(d, new_perm));
            (*found)++;
        }
        if (step >= size)
            break;
        iova += step;
        size -= step;
    }
    return VTD_OK;
}

int vtd_unmap(struct vtd_domain *d, uint64_t iova, uint64_t size)
{
    unsigned found;

    return change_leaves(d, iova, size, true, 0, &found);
}

int vtd_protect(struct vtd_domain *d, uint64_t iova, uint64_t size,
                unsigned perm)
{
    unsigned found;
    int rc;

    if (perm & ~VTD_PERM_RW)
        return vtd_fail(d->u, VTD_EINVAL, "permission 0x%x", perm);
    rc = change_leaves(d, iova, size, false, perm, &found);
    if (!rc && !found)
        return vtd_fail(d->u, VTD_ENOENT, "IOVA 0x%lx+0x%lx: nothing mapped",
                        (unsigned long)iova, (unsigned long)size);
    return rc;
}

int vtd_split(struct vtd_domain *d, uint64_t iova, unsigned level)
{
    uint64_t *p, *nt, pte, child;
    unsigned perm;
    int rc = range_ok(d, iova & ~(VTD_PAGE_SIZE - 1), VTD_PAGE_SIZE);

    if (rc)
        return rc;
    if (level < 2 || level > 3 || level > d->levels)
        return vtd_fail(d->u, VTD_EINVAL, "split at level %u", level);
    if (level == 3 && !vtd_dom_page_ok(d, VTD_SIZE_2M))
        return vtd_fail(d->u, VTD_ENOTSUP,
                        "splitting 1 GiB into 2 MiB "
                        "leaves needs SLLPS bit 0");
    p = walk_to(d, iova, level, false, &rc);
    if (!p || !pte_present(d, *p) || !vtd_sl_leaf(*p, level))
        return vtd_fail(d->u, VTD_ENOENT,
                        "IOVA 0x%lx: no level-%u leaf to "
                        "split",
                        (unsigned long)iova, level);
    pte = *p;
    perm = pte_perm(d, pte);
    child = vtd_level_size(level - 1);
    nt = table_alloc(d);
    if (!nt)
        return vtd_fail(d->u, VTD_ENOMEM, "no page to split into");
    for (unsigned i = 0; i < VTD_PT_ENTRIES; i++)
        nt[i] = leaf_entry(d, vtd_sl_addr(pte) + i * child, level - 1, perm);
    vtd_sync(d->u, nt, VTD_PAGE_SIZE);
    /* One 64-bit store swaps the leaf for the table: a walker sees either. */
    pte_write(d, p, table_entry(d, plat_virt_to_phys(nt)));
    return VTD_OK;
}

int vtd_merge(struct vtd_domain *d, uint64_t iova, unsigned level)
{
    uint64_t *p, *t, base, child, size = vtd_level_size(level);
    unsigned perm;
    int rc = range_ok(d, iova & ~(VTD_PAGE_SIZE - 1), VTD_PAGE_SIZE);

    if (rc)
        return rc;
    if (level < 2 || level > 3 || level > d->levels ||
        !vtd_dom_page_ok(d, size))
        return vtd_fail(d->u, VTD_ENOTSUP,
                        "no level-%u leaves here (SLLPS "
                        "0x%x, %u levels)",
                        level,
                        (unsigned)FIELD_GET(VTD_CAP_SLLPS, d->u->caps.cap),
                        d->levels);
    p = walk_to(d, iova, level, false, &rc);
    if (!p || !pte_present(d, *p) || vtd_sl_leaf(*p, level))
        return vtd_fail(d->u, VTD_ENOENT,
                        "IOVA 0x%lx: no level-%u table to "
                        "merge",
                        (unsigned long)iova, level);
    t = table_of(*p);
    if (!t)
        return vtd_fail(d->u, VTD_EINVAL,
                        "level-%u entry 0x%lx points "
                        "outside RAM",
                        level, (unsigned long)*p);
    child = vtd_level_size(level - 1);
    base = vtd_sl_addr(t[0]);
    perm = pte_perm(d, t[0]);
    if (base & (size - 1))
        return vtd_fail(d->u, VTD_EINVAL,
                        "first leaf 0x%lx not aligned to "
                        "0x%lx",
                        (unsigned long)t[0], (unsigned long)size);
    for (unsigned i = 0; i < VTD_PT_ENTRIES; i++) {
        uint64_t e = t[i];

        if (!pte_present(d, e) || !vtd_sl_leaf(e, level - 1) ||
            pte_perm(d, e) != perm || vtd_sl_addr(e) != base + i * child)
            return vtd_fail(d->u, VTD_EINVAL,
                            "entry %u (0x%lx) breaks the "
                            "merge",
                            i, (unsigned long)e);
    }
    pte_write(d, p, leaf_entry(d, base, level, perm));
    /* The old table stays allocated until vtd_dom_destroy: the unit may
     * still walk it until the caller invalidates. */
    return VTD_OK;
}

int vtd_lookup(const struct vtd_domain *d, uint64_t iova, struct vtd_walk *w)
{
    const uint64_t *t = d->root;

    memset(w, 0, sizeof(*w));
    if (d->width < 64 && iova >> d->width)
        return VTD_ERANGE;
    w->perm = VTD_PERM_RW;
    for (unsigned l = d->levels; l >= 1; l--) {
        uint64_t e = t[vtd_level_index(iova, l)];

        w->pte[l] = e;
        w->level = l;
        if (!pte_present(d, e)) {
            w->perm = 0;
            return VTD_ENOENT;
        }
        w->perm &= pte_perm(d, e);
        if (vtd_sl_leaf(e, l)) {
            w->page_size = vtd_level_size(l);
            w->pa = (vtd_sl_addr(e) & ~(w->page_size - 1)) |
                    (iova & (w->page_size - 1));
            return VTD_OK;
        }
        t = table_of(e);
        if (!t)
            return VTD_EINVAL;
    }
    return VTD_EINVAL;
}

uint64_t *vtd_pte_ptr(const struct vtd_domain *d, uint64_t iova, unsigned level)
{
    uint64_t *t = d->root;

    if (level < 1 || level > d->levels || (d->width < 64 && iova >> d->width))
        return NULL;
    for (unsigned l = d->levels; l > level; l--) {
        uint64_t e = t[vtd_level_index(iova, l)];

        if (!pte_present(d, e) || vtd_sl_leaf(e, l))
            return NULL;
        t = table_of(e);
        if (!t)
            return NULL;
    }
    return &t[vtd_level_index(iova, level)];
}

int vtd_pte_get(const struct vtd_domain *d, uint64_t iova, unsigned level,
                uint64_t *val)
{
    uint64_t *p = vtd_pte_ptr(d, iova, level);

    if (!p)
        return VTD_ENOENT;
    *val = *p;
    return VTD_OK;
}

int vtd_pte_set(struct vtd_domain *d, uint64_t iova, unsigned level,
                uint64_t val)
{
    uint64_t *p = vtd_pte_ptr(d, iova, level);

    if (!p)
        return vtd_fail(d->u, VTD_ENOENT,
                        "IOVA 0x%lx: walk does not reach "
                        "level %u",
                        (unsigned long)iova, level);
    pte_write(d, p, val);
    return VTD_OK;
}
