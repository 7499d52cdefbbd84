/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/entries.h — in-memory translation structures of legacy mode as raw
 * little-endian 64-bit words with named fields (spec 9.1 root entry, 9.3
 * context entry, 9.8 second-level paging entry).
 *
 * No bitfields: an entry is an array of uint64_t, and the builders below
 * return the word to store. Whoever makes an entry present writes the word
 * holding the present bit (or, for page-table entries, the R/W bits) last.
 */
#ifndef VTD_ENTRIES_H
#define VTD_ENTRIES_H

#include <stdbool.h>
#include <stdint.h>

#include "vtd/regs.h"

/* Bits at and above the host address width (HAW) up to bit 51 are reserved
 * in every pointer and page-frame field. */
static inline uint64_t vtd_haw_rsvd(unsigned haw)
{
    return haw >= 52 ? 0 : GENMASK64(51, haw);
}

/* ------------------------------------------------------- 9.1 root entry */

struct vtd_root_entry {
    uint64_t lo, hi;
};
_Static_assert(sizeof(struct vtd_root_entry) == 16, "root entry is 128 bit");

#define VTD_ROOT_ENTRIES 256

#define VTD_RE_P       BIT64(0)
#define VTD_RE_RSVD_LO GENMASK64(11, 1)
#define VTD_RE_CTP     GENMASK64(63, 12)
#define VTD_RE_RSVD_HI (~0ull)

static inline uint64_t vtd_re_lo(uint64_t ctp_pa)
{
    return (ctp_pa & VTD_RE_CTP) | VTD_RE_P;
}

static inline bool vtd_re_present(const struct vtd_root_entry *e)
{
    return e->lo & VTD_RE_P;
}

static inline uint64_t vtd_re_ctp(const struct vtd_root_entry *e)
{
    return e->lo & VTD_RE_CTP;
}

/* Pointer bits at and above HAW are reserved in root and context entries
 * (the whole field up to bit 63, unlike page-table entries). */
static inline uint64_t vtd_ptr_rsvd(unsigned haw)
{
    return haw >= 64 ? 0 : GENMASK64(63, haw);
}

/* Reserved bits of a root entry's low word for a given HAW. */
static inline uint64_t vtd_re_rsvd_lo(unsigned haw)
{
    return VTD_RE_RSVD_LO | vtd_ptr_rsvd(haw);
}

/* ------------------------------------------------ 9.3 context entry */

struct vtd_ctx_entry {
    uint64_t lo, hi;
};
_Static_assert(sizeof(struct vtd_ctx_entry) == 16,
               "legacy context entry is 128 bit");

#define VTD_CTX_ENTRIES 256

/* low word */
#define VTD_CE_P       BIT64(0)
#define VTD_CE_FPD     BIT64(1)
#define VTD_CE_TT      GENMASK64(3, 2)
#define VTD_CE_RSVD_LO GENMASK64(11, 4)
#define VTD_CE_SLPTPTR GENMASK64(63, 12)
/* high word */
#define VTD_CE_AW      GENMASK64(2, 0)
#define VTD_CE_AVAIL   GENMASK64(6, 3)
#define VTD_CE_RSVD_HI (BIT64(7) | GENMASK64(63, 24))
#define VTD_CE_DID     GENMASK64(23, 8)

/* Translation types (9.3: TT) */
#define VTD_TT_MULTI  0u /* untranslated via second level */
#define VTD_TT_DEVTLB 1u /* same, device-TLB allowed (ECAP.DT) */
#define VTD_TT_PT     2u /* pass-through (ECAP.PT) */
#define VTD_TT_RSVD   3u

/* Address widths (9.3: AW). levels = aw + 2, AGAW = 30 + 9 * aw. */
#define VTD_AW_30 0u
#define VTD_AW_39 1u
#define VTD_AW_48 2u
#define VTD_AW_57 3u

static inline unsigned vtd_aw_levels(unsigned aw)
{
    return aw + 2;
}

static inline unsigned vtd_aw_bits(unsigned aw)
{
    return 30 + 9 * aw;
}

static inline uint64_t vtd_ce_lo(uint64_t slptptr, unsigned tt, bool fpd)
{
    return (slptptr & VTD_CE_SLPTPTR) | FIELD_PREP(VTD_CE_TT, tt) |
           (fpd ? VTD_CE_FPD : 0) | VTD_CE_P;
}

static inline uint64_t vtd_ce_hi(unsigned aw, uint16_t did)
{
    return FIELD_PREP(VTD_CE_AW, aw) | FIELD_PREP(VTD_CE_DID, did);
}

static inline bool vtd_ce_present(const struct vtd_ctx_entry *e)
{
    return e->lo & VTD_CE_P;
}

static inline unsigned vtd_ce_tt(const struct vtd_ctx_entry *e)
{
    return (unsigned)FIELD_GET(VTD_CE_TT, e->lo);
}

static inline uint64_t vtd_ce_slptptr(const struct vtd_ctx_entry *e)
{
    return e->lo & VTD_CE_SLPTPTR;
}

static inline unsigned vtd_ce_aw(const struct vtd_ctx_entry *e)
{
    return (unsigned)FIELD_GET(VTD_CE_AW, e->hi);
}

static inline uint16_t vtd_ce_did(const struct vtd_ctx_entry *e)
{
    return (uint16_t)FIELD_GET(VTD_CE_DID, e->hi);
}

static inline uint64_t vtd_ce_rsvd_lo(unsigned haw)
{
    return VTD_CE_RSVD_LO | vtd_ptr_rsvd(haw);
}

/* Reserved bits of the high word when the unit implements did_bits of
 * domain id (CAP.ND: 4 + 2 * ND); DID bits above that are reserved. */
static inline uint64_t vtd_ce_rsvd_hi(unsigned did_bits)
{
    uint64_t did_rsvd = did_bits >= 16 ? 0 : GENMASK64(23, 8 + did_bits);

    return VTD_CE_RSVD_HI | did_rsvd;
}

/* -------------------------------------- 9.8 second-level paging entry */

#define VTD_PT_ENTRIES 512
#define VTD_PAGE_SHIFT 12
#define VTD_PAGE_SIZE  (1ull << VTD_PAGE_SHIFT)
#define VTD_SIZE_4K    (1ull << 12)
#define VTD_SIZE_2M    (1ull << 21)
#define VTD_SIZE_1G    (1ull << 30)

#define VTD_SL_R    BIT64(0)
#define VTD_SL_W    BIT64(1)
#define VTD_SL_X    BIT64(2)
#define VTD_SL_EMT  GENMASK64(5, 3)
#define VTD_SL_IPAT BIT64(6)
#define VTD_SL_PS   BIT64(7)
#define VTD_SL_A    BIT64(8)
#define VTD_SL_D    BIT64(9)
#define VTD_SL_SNP  BIT64(11)
#define VTD_SL_ADDR GENMASK64(51, 12)
#define VTD_SL_TM   BIT64(62)
#define VTD_SL_RW   (VTD_SL_R | VTD_SL_W)

/* An entry is present when it grants read or write (9.8: no P bit). */
static inline bool vtd_sl_present(uint64_t pte)
{
    return pte & VTD_SL_RW;
}

/* Level 1 entries are always leaves; levels 2 and 3 are leaves with PS. */
static inline bool vtd_sl_leaf(uint64_t pte, unsigned level)
{
    return level == 1 || ((level == 2 || level == 3) && (pte & VTD_SL_PS));
}

static inline uint64_t vtd_sl_addr(uint64_t pte)
{
    return pte & VTD_SL_ADDR;
}

/* Bytes mapped by one entry at level (1: 4 KiB, 2: 2 MiB, 3: 1 GiB...). */
static inline uint64_t vtd_level_size(unsigned level)
{
    return 1ull << (VTD_PAGE_SHIFT + 9 * (level - 1));
}

static inline unsigned vtd_level_index(uint64_t iova, unsigned level)
{
    return (unsigned)(iova >> (VTD_PAGE_SHIFT + 9 * (level - 1))) & 0x1FF;
}

/* A non-leaf entry pointing at the table at table_pa. */
static inline uint64_t vtd_sl_table(uint64_t table_pa, unsigned perm)
{
    return (table_pa & VTD_SL_ADDR) | (perm & VTD_SL_RW);
}

/* A leaf at level (PS set for levels 2 and 3). */
static inline uint64_t vtd_sl_page(uint64_t pa, unsigned level, unsigned perm)
{
    return (pa & VTD_SL_ADDR & ~(vtd_level_size(level) - 1)) |
           (level > 1 ? VTD_SL_PS : 0) | (perm & VTD_SL_RW);
}

/*
 * Reserved bits of a present entry at level (9.8, table of reserved fields):
 * bits 51:HAW everywhere; SNP in legacy mode unless ECAP.SC (and always in
 * non-leaf entries); PS at levels 4 and 5; the address bits a large leaf
 * cannot use (20:12 for 2 MiB, 29:12 for 1 GiB).
 */
static inline uint64_t vtd_sl_rsvd(unsigned level, bool leaf, unsigned haw,
                                   bool snoop_control)
{
    uint64_t m = vtd_haw_rsvd(haw);

    if (!leaf || !snoop_control)
        m |= VTD_SL_SNP;
    if (level >= 4)
        m |= VTD_SL_PS;
    if (leaf && level > 1)
        m |= (vtd_level_size(level) - 1) & ~(VTD_PAGE_SIZE - 1);
    return m;
}

/* --------------------------------------- 9.7 first-stage paging entry */

/* The x86-64 format: P where second-stage entries have R, R/W where they
 * have W, so the permission bits line up; U/S, A, D, PS, XD besides. */
#define VTD_FS_P  BIT64(0)
#define VTD_FS_RW BIT64(1)
#define VTD_FS_US BIT64(2)
#define VTD_FS_A  BIT64(5)
#define VTD_FS_D  BIT64(6)
#define VTD_FS_PS BIT64(7)
#define VTD_FS_XD BIT64(63)

#endif
