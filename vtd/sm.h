/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/sm.h — scalable-mode translation structures (spec 3.4.3, 9.2
 * scalable-mode root entry, 9.4 scalable-mode context entry, 9.5 PASID
 * directory entry, 9.6 scalable-mode PASID-table entry) and the tables
 * that hold them: one root table (RTADDR.TTM=01), lower and upper context
 * tables per bus, one PASID directory per device and PASID tables under
 * it.
 *
 * Entries are arrays of uint64_t with named fields; whoever makes an entry
 * present writes the word holding P last. Nothing here invalidates: the
 * caller follows a change with the context-cache, PASID-cache and IOTLB
 * invalidations 6.5.2.1-6.5.2.4 ask for.
 */
#ifndef VTD_SM_H
#define VTD_SM_H

#include <stdbool.h>
#include <stdint.h>

#include "vtd/entries.h"
#include "vtd/unit.h"

struct vtd_domain;

/* ------------------------------------------ 9.2 scalable-mode root entry */

/* Low word as the legacy root entry (LP at bit 0, LCTP 63:12); the high
 * word the same for devfn 128-255 (UP at bit 64, UCTP 127:76). */
#define VTD_SMRE_P    BIT64(0)
#define VTD_SMRE_RSVD GENMASK64(11, 1)
#define VTD_SMRE_CTP  GENMASK64(63, 12)

/* ------------------------------------- 9.4 scalable-mode context entry */

struct vtd_smce {
    uint64_t qw[4];
};
_Static_assert(sizeof(struct vtd_smce) == 32,
               "scalable-mode context entry is 256 bit");

/* 128 entries per context table: devfn 0-127 in the lower one, 128-255
 * in the upper one, indexed by devfn[6:0]. */
#define VTD_SMCE_PER_TABLE 128

/* qw0 */
#define VTD_SMCE_P         BIT64(0)
#define VTD_SMCE_FPD       BIT64(1)
#define VTD_SMCE_DTE       BIT64(2)
#define VTD_SMCE_PASIDE    BIT64(3)
#define VTD_SMCE_PRE       BIT64(4)
#define VTD_SMCE_RSVD0     GENMASK64(8, 5)
#define VTD_SMCE_PDTS      GENMASK64(11, 9)
#define VTD_SMCE_PASIDDIR  GENMASK64(63, 12)
/* qw1 */
#define VTD_SMCE_RID_PASID GENMASK64(19, 0)
#define VTD_SMCE_RID_PRIV  BIT64(20)

/* ------------------------------------------ 9.5 PASID directory entry */

#define VTD_PDE_P    BIT64(0)
#define VTD_PDE_FPD  BIT64(1)
#define VTD_PDE_RSVD GENMASK64(11, 2)
#define VTD_PDE_PTP  GENMASK64(63, 12)

/* PASID[19:6] indexes the directory, PASID[5:0] the table of 64 entries. */
#define VTD_PASID_DIR_SHIFT 6
#define VTD_PASID_PER_TABLE 64

/* One directory page: 512 entries, PDTS = 2 (2^(PDTS+7) entries). */
#define VTD_PDIR_ENTRIES 512
#define VTD_PDIR_PDTS    2u

/* ----------------------------------- 9.6 scalable-mode PASID-table entry */

struct vtd_pasid_entry {
    uint64_t qw[8];
};
_Static_assert(sizeof(struct vtd_pasid_entry) == 64,
               "PASID-table entry is 512 bit");

/* qw0 */
#define VTD_PE_P       BIT64(0)
#define VTD_PE_FPD     BIT64(1)
#define VTD_PE_AW      GENMASK64(4, 2)
#define VTD_PE_SSEE    BIT64(5)
#define VTD_PE_PGTT    GENMASK64(8, 6)
#define VTD_PE_SSADE   BIT64(9)
#define VTD_PE_RSVD0   GENMASK64(11, 10)
#define VTD_PE_SSPTPTR GENMASK64(63, 12)
/* qw1 */
#define VTD_PE_DID     GENMASK64(15, 0)
#define VTD_PE_PWSNP   BIT64(23)
#define VTD_PE_PGSNP   BIT64(24)
/* qw2 */
#define VTD_PE_SRE     BIT64(0)
#define VTD_PE_FSPM    GENMASK64(3, 2)
#define VTD_PE_WPE     BIT64(4)
#define VTD_PE_EAFE    BIT64(7)
#define VTD_PE_FSPTPTR GENMASK64(63, 12)

/* PASID Granular Translation Type (9.6: PGTT) */
#define VTD_PGTT_FS     1u /* first-stage only */
#define VTD_PGTT_SS     2u /* second-stage only */
#define VTD_PGTT_NESTED 3u
#define VTD_PGTT_PT     4u /* pass-through */

/* First-stage paging mode (9.6: FSPM) */
#define VTD_FSPM_4LEVEL 0u
#define VTD_FSPM_5LEVEL 1u

/* Granularities of the PASID-cache (6.5.2.2) and PASID-based IOTLB
 * (6.5.2.4) descriptors (vtd/qi.h builds them). */
#define VTD_PC_DOMAIN    0u
#define VTD_PC_PASID     1u
#define VTD_PC_GLOBAL    3u
#define VTD_PIOTLB_PASID 2u
#define VTD_PIOTLB_PAGE  3u

/* What a PASID-table entry says. */
struct vtd_pasid_cfg {
    unsigned pgtt; /* VTD_PGTT_* */
    uint16_t did;
    unsigned aw;      /* second stage (SS, nested): VTD_AW_* */
    uint64_t ssptptr; /* second-stage root (SS, nested) */
    uint64_t fsptptr; /* first-stage root (FS, nested) */
    unsigned fspm;    /* VTD_FSPM_* */
    bool fpd, sre, wpe, pgsnp, pwsnp;
};

/* The entry's words for c, P set. */
void vtd_pasid_entry_build(const struct vtd_pasid_cfg *c,
                           struct vtd_pasid_entry *e);

/* ------------------------------------------------------------ the tables */

#define VTD_SM_DEVS   8 /* devices with a PASID directory */
#define VTD_SM_TABLES 4 /* PASID tables per device */

struct vtd_sm_dev {
    bool used;
    uint16_t sid;
    uint64_t *pdir;
    uint64_t pdir_pa;
    struct vtd_pasid_entry *table[VTD_SM_TABLES];
    uint16_t table_dir[VTD_SM_TABLES]; /* directory index of each */
};

struct vtd_smt {
    struct vtd_unit *u;
    uint64_t *root; /* 256 x 128 bit */
    uint64_t root_pa;
    struct vtd_smce *ctx[VTD_ROOT_ENTRIES][2]; /* lower, upper; or NULL */
    struct vtd_sm_dev dev[VTD_SM_DEVS];
};

/* An empty scalable-mode root table. Needs ECAP.SMTS. */
int vtd_smt_init(struct vtd_smt *t, struct vtd_unit *u);
/* Free every table. The unit must no longer use them. */
void vtd_smt_destroy(struct vtd_smt *t);
/* RTADDR with TTM=01 (10.4.6), then SRTP. */
int vtd_smt_install(struct vtd_smt *t);

/*
 * The device's scalable-mode context entry: present, PASID directory of
 * one page (PDTS 2), RID_PASID as given (not 0 needs ECAP.RPS, 9.4), FPD
 * as asked; its bus's root entry (lower or upper half) made present. The
 * directory is made on first use and kept.
 */
int vtd_smt_ctx_setup(struct vtd_smt *t, uint16_t sid, bool fpd,
                      uint32_t rid_pasid);
/* Not present (P cleared first, then the rest). */
int vtd_smt_ctx_clear(struct vtd_smt *t, uint16_t sid);
/* The entry, or NULL when its table does not exist yet. */
struct vtd_smce *vtd_smt_ctx(struct vtd_smt *t, uint16_t sid);
/* Write a context entry as given (qw0 last; P cleared first when it
 * was present). Makes the table and the root half present. */
int vtd_smt_ctx_set_raw(struct vtd_smt *t, uint16_t sid, const uint64_t qw[4]);
/* Write a root entry as given (hi first, lo last). */
int vtd_smt_root_set_raw(struct vtd_smt *t, uint8_t bus, uint64_t lo,
                         uint64_t hi);
const uint64_t *vtd_smt_root(const struct vtd_smt *t, uint8_t bus);

/*
 * Program the PASID-table entry of (sid, pasid), checked against the
 * unit: the PGTT it offers (ECAP.FSTS, SSTS, NEST, PT), AW in SAGAW, DID
 * within CAP.ND, FSPM 5-level with CAP.FS5LP, pointers within HAW, SRE
 * with ECAP.SRS. vtd_smt_ctx_setup must have run for sid. The entry is
 * cleared first when it was present (6.2.2: no mix of old and new).
 */
int vtd_pasid_set(struct vtd_smt *t, uint16_t sid, uint32_t pasid,
                  const struct vtd_pasid_cfg *c);
/* The same without any check (qw0 last). */
int vtd_pasid_set_raw(struct vtd_smt *t, uint16_t sid, uint32_t pasid,
                      const struct vtd_pasid_entry *e);
int vtd_pasid_clear(struct vtd_smt *t, uint16_t sid, uint32_t pasid);
/* The entry, or NULL when the device or its table does not exist yet. */
struct vtd_pasid_entry *vtd_pasid_entry(struct vtd_smt *t, uint16_t sid,
                                        uint32_t pasid);
/* The directory entry of pasid, or NULL without a directory. */
uint64_t *vtd_pdir_entry(struct vtd_smt *t, uint16_t sid, uint32_t pasid);
int vtd_pdir_set_raw(struct vtd_smt *t, uint16_t sid, uint32_t pasid,
                     uint64_t val);

#endif
