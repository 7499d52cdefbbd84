/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/vtd_pgtable.c — second-level page tables.
 *
 * vtd-pgtable: the driver's table operations against its own software
 * walk and the raw entries, no DMA: every leaf size SLLPS allows, bounds
 * of the address width, permissions, split and merge, reserved masks.
 *
 * vtd-leaves: the same structures as the hardware sees them: edu DMA
 * through 1 GiB and 2 MiB leaves, through a split leaf and a merged one
 * (with the page-selective invalidations 6.5 asks for), a permission
 * change, reserved bits at a leaf and at a non-leaf level (reason 0xC),
 * and an IOVA beyond the address width (reason 0x4).
 */
#include <string.h>

#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/report.h"
#include "lib/test.h"
#include "tests/guest/vtd_util.h"
#include "vtd/context.h"
#include "vtd/inv.h"
#include "vtd/pgtable.h"

static void soft_checks(struct vtd_unit *u, unsigned levels)
{
    struct vtd_domain d;
    struct vtd_walk w;
    uint64_t top, iova, v;
    int rc;

    report_prefix_push("%u-level", levels);
    rc = vtd_dom_init(&d, u, 1, levels);
    if (!vtu_ok(u, rc, "domain")) {
        report_prefix_pop();
        return;
    }
    report(d.width == (vtd_aw_bits(d.aw) < u->caps.mgaw ? vtd_aw_bits(d.aw)
                                                        : u->caps.mgaw),
           "input width min(AGAW %u, MGAW %u) = %u", vtd_aw_bits(d.aw),
           u->caps.mgaw, d.width);
    top = 1ull << (d.width - 1);

    /* 4 KiB leaf */
    iova = top + 0x5000;
    rc = vtd_map(&d, iova, 0x123000, VTD_PAGE_SIZE, VTD_PERM_RW, 0);
    report(rc == VTD_OK, "map 4 KiB at 0x%lx (%s)", (unsigned long)iova,
           vtd_strerror(rc));
    rc = vtd_lookup(&d, iova + 0x10, &w);
    report(rc == VTD_OK && w.level == 1 && w.pa == 0x123010 &&
               w.perm == VTD_PERM_RW,
           "walk: level %u, pa 0x%lx, perm %u", w.level, (unsigned long)w.pa,
           w.perm);
    rc = vtd_pte_get(&d, iova, levels, &v);
    report(rc == VTD_OK && vtd_sl_present(v) && !(v & VTD_SL_PS) &&
               (v & VTD_SL_RW) == VTD_SL_RW,
           "top-level entry is a non-leaf "
           "with R and W (0x%lx)",
           (unsigned long)v);
    rc = vtd_map(&d, iova, 0x456000, VTD_PAGE_SIZE, VTD_PERM_R, 0);
    report(rc == VTD_EEXIST, "mapping over a present page: EEXIST (%s)",
           vtd_strerror(rc));
    rc = vtd_protect(&d, iova, VTD_PAGE_SIZE, VTD_PERM_R);
    vtd_lookup(&d, iova, &w);
    report(rc == VTD_OK && w.perm == VTD_PERM_R,
           "protect to read-only "
           "(perm %u)",
           w.perm);
    rc = vtd_unmap(&d, iova, VTD_PAGE_SIZE);
    report(rc == VTD_OK && vtd_lookup(&d, iova, &w) == VTD_ENOENT &&
               w.level == 1,
           "unmap: the walk stops at level %u", w.level);

    /* Bounds */
    rc = vtd_map(&d, 1ull << d.width, 0x1000, VTD_PAGE_SIZE, VTD_PERM_R, 0);
    report(rc == VTD_ERANGE, "map at 2^%u (beyond the width): ERANGE (%s)",
           d.width, vtd_strerror(rc));
    rc = vtd_map(&d, (1ull << d.width) - VTD_PAGE_SIZE, 0x1000,
                 2 * VTD_PAGE_SIZE, VTD_PERM_R, 0);
    report(rc == VTD_ERANGE, "map across 2^%u: ERANGE (%s)", d.width,
           vtd_strerror(rc));
    rc = vtd_map(&d, (1ull << d.width) - VTD_PAGE_SIZE, 0x1000, VTD_PAGE_SIZE,
                 VTD_PERM_R, 0);
    report(rc == VTD_OK, "map the last page below 2^%u (%s)", d.width,
           vtd_strerror(rc));
    rc = vtd_map(&d, top + 0x800, 0x1000, VTD_PAGE_SIZE, VTD_PERM_R, 0);
    report(rc == VTD_ERANGE, "misaligned IOVA: ERANGE (%s)", vtd_strerror(rc));

    /* 2 MiB leaves */
    if (vtd_dom_page_ok(&d, VTD_SIZE_2M)) {
        iova = top + 0x40000000ull;
        rc = vtd_map(&d, iova, 0x200000, VTD_SIZE_2M, VTD_PERM_RW, VTD_SIZE_2M);
        rc = rc ? rc : vtd_lookup(&d, iova + 0x12345, &w);
        report(rc == VTD_OK && w.level == 2 && w.pa == 0x212345 &&
                   (w.pte[2] & VTD_SL_PS),
               "2 MiB leaf: level %u, PS, pa 0x%lx", w.level,
               (unsigned long)w.pa);
        rc = vtd_unmap(&d, iova, VTD_PAGE_SIZE);
        report(rc == VTD_ERANGE,
               "unmapping 4 KiB of a 2 MiB leaf: ERANGE "
               "(%s)",
               vtd_strerror(rc));
        rc = vtd_split(&d, iova, 2);
        rc = rc ? rc : vtd_lookup(&d, iova + 0x12345, &w);
        report(rc == VTD_OK && w.level == 1 && w.pa == 0x212345 &&
                   w.perm == VTD_PERM_RW,
               "split into 4 KiB leaves: level %u, "
               "pa 0x%lx, perm %u",
               w.level, (unsigned long)w.pa, w.perm);
        rc = vtd_protect(&d, iova + 0x1000, VTD_PAGE_SIZE, VTD_PERM_R);
        report(rc == VTD_OK && vtd_merge(&d, iova, 2) == VTD_EINVAL,
               "merge refused while one leaf differs in permission");
        vtd_protect(&d, iova + 0x1000, VTD_PAGE_SIZE, VTD_PERM_RW);
        rc = vtd_merge(&d, iova, 2);
        rc = rc ? rc : vtd_lookup(&d, iova + 0x1FFFFF, &w);
        report(rc == VTD_OK && w.level == 2 && w.pa == 0x3FFFFF,
               "merged back into one 2 MiB leaf (level %u, pa 0x%lx)", w.level,
               (unsigned long)w.pa);
        /* Automatic sizes: 2 MiB where aligned, 4 KiB for the rest. */
        iova = top + 0x80000000ull;
        rc = vtd_map(&d, iova, 0x400000, VTD_SIZE_2M + VTD_PAGE_SIZE,
                     VTD_PERM_R, 0);
        {
            struct vtd_walk w2;
            int rc1 = vtd_lookup(&d, iova, &w),
                rc2 = vtd_lookup(&d, iova + VTD_SIZE_2M, &w2);

            report(rc == VTD_OK && rc1 == VTD_OK && w.level == 2 &&
                       rc2 == VTD_OK && w2.level == 1 && w2.pa == 0x600000,
                   "2 MiB + 4 KiB maps as one 2 MiB and one 4 KiB leaf "
                   "(%s; levels %u, %u; pa 0x%lx)",
                   rc ? vtd_errmsg(u) : "ok", w.level, w2.level,
                   (unsigned long)w2.pa);
        }
        report(vtd_map(&d, top + 0x1000, 0x200000, VTD_SIZE_2M, VTD_PERM_R,
                       VTD_SIZE_2M) == VTD_ERANGE,
               "2 MiB leaf at a 4 KiB-aligned IOVA: ERANGE");
    } else {
        report_skip("CAP.SLLPS has no 2 MiB pages", "2 MiB leaves");
    }
    /* 1 GiB leaves */
    if (vtd_dom_page_ok(&d, VTD_SIZE_1G)) {
        iova = top + 0x100000000ull;
        rc = vtd_map(&d, iova, 0, VTD_SIZE_1G, VTD_PERM_W, VTD_SIZE_1G);
        rc = rc ? rc : vtd_lookup(&d, iova + 0x3456789, &w);
        report(rc == VTD_OK && w.level == 3 && w.pa == 0x3456789 &&
                   w.perm == VTD_PERM_W,
               "1 GiB leaf: level %u, pa 0x%lx, perm "
               "%u",
               w.level, (unsigned long)w.pa, w.perm);
        rc = vtd_split(&d, iova, 3);
        rc = rc ? rc : vtd_lookup(&d, iova + 0x3456789, &w);
        report(rc == VTD_OK && w.level == 2 && w.pa == 0x3456789,
               "1 GiB split into 2 MiB leaves (level %u)", w.level);
        rc = vtd_merge(&d, iova, 3);
        rc = rc ? rc : vtd_lookup(&d, iova + 0x3456789, &w);
        report(rc == VTD_OK && w.level == 3, "and merged back (level %u)",
               w.level);
    } else {
        report_skip("CAP.SLLPS has no 1 GiB pages", "1 GiB leaves");
    }

    /* Reserved masks (9.8): bits 51:HAW; SNP without snoop control; PS at
     * level 4; large-leaf address bits below the leaf size. */
    report(vtd_sl_rsvd(1, true, 39, false) == (GENMASK64(51, 39) | VTD_SL_SNP),
           "4 KiB leaf reserved mask, HAW 39, no SC");
    report(vtd_sl_rsvd(1, true, 48, true) == GENMASK64(51, 48),
           "4 KiB leaf reserved mask, HAW 48, SC");
    report(vtd_sl_rsvd(2, true, 39, true) ==
               (GENMASK64(51, 39) | GENMASK64(20, 12)),
           "2 MiB leaf reserved mask");
    report(vtd_sl_rsvd(4, false, 48, true) ==
               (GENMASK64(51, 48) | VTD_SL_SNP | VTD_SL_PS),
           "level-4 entry reserved mask");
    vtd_dom_destroy(&d);
    report_prefix_pop();
}

TEST(vtd_pgtable, "vtd-pgtable",
     "VT-d second-level page tables in "
     "software: leaves, bounds, permissions, split/merge",
     0)
{
    struct vtd_unit u;
    struct vtd_domain d;

    if (!vtu_unit(&u) || !vtu_need_translation(&u))
        return;
    for (unsigned levels = 3; levels <= 5; levels++)
        if (u.caps.sagaw & (1u << (levels - 2)))
            soft_checks(&u, levels);
    for (unsigned levels = 3; levels <= 5; levels++)
        if (!(u.caps.sagaw & (1u << (levels - 2)))) {
            report(vtd_dom_init(&d, &u, 1, levels) == VTD_ENOTSUP,
                   "a %u-level domain is refused: not in SAGAW 0x%x", levels,
                   u.caps.sagaw);
            break;
        }
}

/* ------------------------------------------------------------- vtd-leaves */

struct leaves {
    struct vtd_unit u;
    struct vtd_rt rt;
    struct vtd_domain d;
    struct edu *edu;
    uint8_t *src, *dst;
    uint64_t src_pa, dst_pa;
};

static bool psi(struct leaves *t, uint64_t iova, unsigned am, bool ih)
{
    struct vtd_iotlb_req r = { .gran = VTD_GRAN_PAGE,
                               .did = t->d.did,
                               .addr = iova & ~((VTD_PAGE_SIZE << am) - 1),
                               .am = am,
                               .ih = ih };
    unsigned actual;

    if (!vtd_has_cap(&t->u, VTD_CAP_PSI) || am > t->u.caps.mamv)
        r.gran = VTD_GRAN_DOMAIN;
    return vtu_ok(&t->u, vtd_iotlb_inv(&t->u, &r, &actual),
                  "IOTLB "
                  "invalidation");
}

/* DMA the edu buffer (holding the source pattern) to iova and compare
 * what arrived in dst. */
static bool write_and_check(struct leaves *t, uint64_t iova, unsigned len,
                            const char *what)
{
    memset(t->dst, 0x5A, VTD_PAGE_SIZE);
    if (!vtu_dma(t->edu, EDU_DEV_TO_RAM, iova, 0, len))
        return false;
    return report(!memcmp(t->src, t->dst, len),
                  "%s: %u bytes through IOVA "
                  "0x%lx arrive",
                  what, len, (unsigned long)iova) &&
           vtu_expect_no_fault(&t->u, what);
}

static void leaves_run(struct leaves *t)
{
    uint64_t top = 1ull << (t->d.width - 1);
    uint64_t iova_1g = top + 0x40000000ull, iova_2m = top + 0x80000000ull;
    uint64_t dst_2m = iova_2m + (t->dst_pa & (VTD_SIZE_2M - 1));
    uint16_t sid = t->edu->sid;
    uint64_t pte, rsvd;
    unsigned lvl;
    int rc;

    /* 1 GiB leaf over the start of RAM: read src, write dst through it. */
    if (vtd_dom_page_ok(&t->d, VTD_SIZE_1G)) {
        rc = vtd_map(&t->d, iova_1g, 0, VTD_SIZE_1G, VTD_PERM_RW, VTD_SIZE_1G);
        if (vtu_ok(&t->u, rc, "map 1 GiB") && psi(t, iova_1g, 18, false) &&
            vtu_dma(t->edu, EDU_RAM_TO_DEV, iova_1g + t->src_pa, 0, 4095))
            write_and_check(t, iova_1g + t->dst_pa, 4095, "1 GiB leaf");
    } else {
        report_skip("CAP.SLLPS has no 1 GiB pages", "DMA through a 1 GiB "
                                                    "leaf");
        /* The edu buffer still needs the pattern: read it untranslated
         * through a 4 KiB mapping. */
        vtd_map(&t->d, iova_1g + t->src_pa, t->src_pa, VTD_PAGE_SIZE,
                VTD_PERM_R, 0);
        psi(t, iova_1g + t->src_pa, 0, false);
        vtu_dma(t->edu, EDU_RAM_TO_DEV, iova_1g + t->src_pa, 0, 4095);
    }
    if (!vtd_dom_page_ok(&t->d, VTD_SIZE_2M)) {
        report_skip("CAP.SLLPS has no 2 MiB pages", "2 MiB leaves");
        return;
    }

    /* 2 MiB leaf over dst's 2 MiB region. */
    rc = vtd_map(&t->d, iova_2m, t->dst_pa & ~(VTD_SIZE_2M - 1), VTD_SIZE_2M,
                 VTD_PERM_RW, VTD_SIZE_2M);
    if (!vtu_ok(&t->u, rc, "map 2 MiB") || !psi(t, iova_2m, 9, false) ||
        !write_and_check(t, dst_2m, 512, "2 MiB leaf"))
        return;

    /* Split: a non-leaf entry changed, so IH=0 (6.5: page-selective
     * without the hint, covering the whole 2 MiB). */
    rc = vtd_split(&t->d, iova_2m, 2);
    if (!vtu_ok(&t->u, rc, "split") || !psi(t, iova_2m, 9, false) ||
        !write_and_check(t, dst_2m, 512, "after split into 4 KiB leaves"))
        return;

    /* Read-only 4 KiB leaf inside the split range; leaf-only change:
     * IH=1 is allowed. */
    rc = vtd_protect(&t->d, dst_2m & ~(VTD_PAGE_SIZE - 1), VTD_PAGE_SIZE,
                     VTD_PERM_R);
    if (vtu_ok(&t->u, rc, "protect") && psi(t, dst_2m, 0, true)) {
        memset(t->dst, 0x5A, 64);
        if (vtu_dma(t->edu, EDU_DEV_TO_RAM, dst_2m, 0, 64)) {
            report(t->dst[0] == 0x5A, "write to the read-only page does not "
                                      "arrive");
            vtu_expect_fault(&t->u, VTD_FR_WRITE, sid, dst_2m, false,
                             "write to a read-only 4 KiB leaf");
        }
    }
    vtd_protect(&t->d, dst_2m & ~(VTD_PAGE_SIZE - 1), VTD_PAGE_SIZE,
                VTD_PERM_RW);
    rc = vtd_merge(&t->d, iova_2m, 2);
    if (!vtu_ok(&t->u, rc, "merge") || !psi(t, iova_2m, 9, false) ||
        !write_and_check(t, dst_2m, 512, "after merge into a 2 MiB leaf"))
        return;

    /* Reserved bit in the present 2 MiB leaf (9.8): fault 0xC. */
    rsvd = vtd_sl_rsvd(2, true, t->u.haw, vtd_has_ecap(&t->u, VTD_ECAP_SC));
    if (vtd_pte_get(&t->d, iova_2m, 2, &pte) == VTD_OK) {
        uint64_t bit = BIT64(20); /* a 2 MiB leaf's address bit 20 */

        report_info("2 MiB leaf 0x%lx, reserved mask 0x%lx; setting 0x%lx",
                    (unsigned long)pte, (unsigned long)rsvd,
                    (unsigned long)bit);
        vtd_pte_set(&t->d, iova_2m, 2, pte | bit);
        if (psi(t, iova_2m, 9, false) &&
            vtu_dma(t->edu, EDU_DEV_TO_RAM, dst_2m, 0, 64))
            vtu_expect_fault(&t->u, VTD_FR_PTE_RSVD, sid, dst_2m, false,
                             "reserved bit 20 in a 2 MiB leaf");
        vtd_pte_set(&t->d, iova_2m, 2, pte);
    }
    /* Reserved bit in the top-level (non-leaf) entry: SNP (bit 11). */
    lvl = t->d.levels;
    if (vtd_pte_get(&t->d, iova_2m, lvl, &pte) == VTD_OK) {
        vtd_pte_set(&t->d, iova_2m, lvl, pte | VTD_SL_SNP);
        if (psi(t, iova_2m, 9, false) &&
            vtu_dma(t->edu, EDU_DEV_TO_RAM, dst_2m, 0, 64))
            vtu_expect_fault(&t->u, VTD_FR_PTE_RSVD, sid, dst_2m, false,
                             "reserved SNP bit in the top-level entry");
        vtd_pte_set(&t->d, iova_2m, lvl, pte);
        psi(t, iova_2m, 9, false);
    }
    /* 3.6: an input address at or above 2^width faults with 0x4. */
    if (t->d.width < 64 &&
        vtu_dma(t->edu, EDU_DEV_TO_RAM, 1ull << t->d.width, 0, 64))
        vtu_expect_fault(&t->u, VTD_FR_ADDR_WIDTH, sid, 1ull << t->d.width,
                         false, "IOVA 2^width");
}

TEST(vtd_leaves, "vtd-leaves",
     "VT-d DMA through 1 GiB / 2 MiB leaves, "
     "split and merge, reserved bits, address width",
     0)
{
    static struct leaves t;
    int aw, rc;

    memset(&t, 0, sizeof(t));
    if (!vtu_dma_unit(&t.u, &t.edu))
        return;
    aw = vtd_aw_max(&t.u);
    if (!vtu_dma_page(&t.src, &t.src_pa) || !vtu_dma_page(&t.dst, &t.dst_pa))
        return;
    for (unsigned i = 0; i < VTD_PAGE_SIZE; i++)
        t.src[i] = (uint8_t)(i * 13 + 1);
    rc = vtd_rt_init(&t.rt, &t.u);
    if (vtu_ok(&t.u, rc, "root table"))
        rc = vtd_dom_init(&t.d, &t.u, 5, vtd_aw_levels((unsigned)aw));
    if (!vtu_ok(&t.u, rc, "domain"))
        return;
    report_prefix_push("%u-level", t.d.levels);
    if (vtu_ok(&t.u, vtd_ctx_attach(&t.rt, t.edu->sid, &t.d), "context") &&
        vtu_ok(&t.u, vtd_rt_install(&t.rt), "SRTP") &&
        vtu_ok(&t.u, vtd_inv_all(&t.u), "global invalidation") &&
        vtu_ok(&t.u, vtd_translation_enable(&t.u), "TE"))
        leaves_run(&t);
    report_prefix_pop();
    vtu_quiesce(&t.u);
    vtd_dom_destroy(&t.d);
    vtd_rt_destroy(&t.rt);
}
