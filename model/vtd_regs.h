/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/vtd_regs.h — VT-d register offsets, fields and in-memory entry
 * formats, in the order of the specification's register map (vtd-facts §1).
 * Field masks sit under their register; reserved fields are named too.
 * Internal to model/.
 */
#ifndef MODEL_VTD_REGS_H
#define MODEL_VTD_REGS_H

#include <stdint.h>

#include "lib/bits.h"

/* clang-format off */
/* §1 register map */
#define MV_REG_VER          0x00u   /* 32 RO */
#define MV_REG_CAP          0x08u   /* 64 RO, §2.1 */
#define   MV_CAP_ND_SHIFT       0
#define   MV_CAP_AFL            BIT64(3)
#define   MV_CAP_RWBF           BIT64(4)
#define   MV_CAP_PLMR           BIT64(5)
#define   MV_CAP_PHMR           BIT64(6)
#define   MV_CAP_CM             BIT64(7)
#define   MV_CAP_SAGAW_SHIFT    8       /* 12:8 */
#define   MV_CAP_SAGAW          GENMASK64(12, 8)
#define   MV_CAP_MGAW_SHIFT     16      /* 21:16, width-1 */
#define   MV_CAP_ZLR            BIT64(22)
#define   MV_CAP_FRO_SHIFT      24      /* 33:24 */
#define   MV_CAP_SLLPS_2M       BIT64(34)
#define   MV_CAP_SLLPS_1G       BIT64(35)
#define   MV_CAP_PSI            BIT64(39)
#define   MV_CAP_NFR_SHIFT      40      /* 47:40, count-1 */
#define   MV_CAP_MAMV_SHIFT     48      /* 53:48 */
#define   MV_CAP_MAMV           GENMASK64(53, 48)
#define   MV_CAP_DWD            BIT64(54)
#define   MV_CAP_DRD            BIT64(55)
#define   MV_CAP_FL1GP          BIT64(56)
#define   MV_CAP_PI             BIT64(59)
#define   MV_CAP_FL5LP          BIT64(60)
#define   MV_CAP_ESIRTPS        BIT64(62)
#define   MV_CAP_ESRTPS         BIT64(63)
#define MV_REG_ECAP         0x10u   /* 64 RO, §2.2 */
#define   MV_ECAP_C             BIT64(0)
#define   MV_ECAP_QI            BIT64(1)
#define   MV_ECAP_DT            BIT64(2)
#define   MV_ECAP_IR            BIT64(3)
#define   MV_ECAP_EIM           BIT64(4)
#define   MV_ECAP_PT            BIT64(6)
#define   MV_ECAP_SC            BIT64(7)
#define   MV_ECAP_IRO_SHIFT     8       /* 17:8 */
#define   MV_ECAP_MHMV_SHIFT    20      /* 23:20 */
#define   MV_ECAP_MHMV          GENMASK64(23, 20)
#define   MV_ECAP_NEST          BIT64(26)
#define   MV_ECAP_PRS           BIT64(29)
#define   MV_ECAP_ERS           BIT64(30)
#define   MV_ECAP_SRS           BIT64(31)
#define   MV_ECAP_PSS_SHIFT     35      /* 39:35, width-1 */
#define   MV_ECAP_PASID         BIT64(40)
#define   MV_ECAP_DIT           BIT64(41)   /* not modelled: always 0 */
#define   MV_ECAP_PDS           BIT64(42)
#define   MV_ECAP_SMTS          BIT64(43)
#define   MV_ECAP_SLADS         BIT64(45)
#define   MV_ECAP_SLTS          BIT64(46)
#define   MV_ECAP_FLTS          BIT64(47)
#define   MV_ECAP_RPS           BIT64(49)
#define MV_REG_GCMD         0x18u   /* 32 WO, §3 */
#define MV_REG_GSTS         0x1Cu   /* 32 RO, same bit positions */
#define   MV_GCMD_TE            (1u << 31)
#define   MV_GCMD_SRTP          (1u << 30)
#define   MV_GCMD_SFL           (1u << 29)
#define   MV_GCMD_EAFL          (1u << 28)
#define   MV_GCMD_WBF           (1u << 27)
#define   MV_GCMD_QIE           (1u << 26)
#define   MV_GCMD_IRE           (1u << 25)
#define   MV_GCMD_SIRTP         (1u << 24)
#define   MV_GCMD_CFI           (1u << 23)
#define   MV_GCMD_RSVD          0x007FFFFFu
#define MV_REG_RTADDR       0x20u   /* 64 RW */
#define   MV_RTADDR_RTA         GENMASK64(63, 12)
#define   MV_RTADDR_TTM         GENMASK64(11, 10)
#define   MV_RTADDR_TTM_SHIFT   10
#define   MV_TTM_LEGACY         0u
#define   MV_TTM_SCALABLE       1u
#define MV_REG_CCMD         0x28u   /* 64 RW, §6.1 */
#define   MV_CCMD_DID           GENMASK64(15, 0)
#define   MV_CCMD_SID_SHIFT     16      /* 31:16 WO */
#define   MV_CCMD_SID           GENMASK64(31, 16)
#define   MV_CCMD_FM_SHIFT      32      /* 33:32 WO */
#define   MV_CCMD_FM            GENMASK64(33, 32)
#define   MV_CCMD_WO            GENMASK64(33, 16)   /* SID, FM: reads undefined */
#define   MV_CCMD_RSVD          GENMASK64(58, 34)
#define   MV_CCMD_CAIG_SHIFT    59      /* 60:59 RO */
#define   MV_CCMD_CAIG          GENMASK64(60, 59)
#define   MV_CCMD_CIRG_SHIFT    61      /* 62:61 */
#define   MV_CCMD_CIRG          GENMASK64(62, 61)
#define   MV_CCMD_ICC           BIT64(63)
#define MV_REG_FSTS         0x34u   /* 32 RO/W1C, §8.2 */
#define   MV_FSTS_PFO           (1u << 0)
#define   MV_FSTS_PPF           (1u << 1)
#define   MV_FSTS_AFO           (1u << 2)
#define   MV_FSTS_APF           (1u << 3)
#define   MV_FSTS_IQE           (1u << 4)
#define   MV_FSTS_ICE           (1u << 5)
#define   MV_FSTS_ITE           (1u << 6)
#define   MV_FSTS_FRI_SHIFT     8       /* 15:8 */
#define   MV_FSTS_FRI           (0xFFu << MV_FSTS_FRI_SHIFT)
#define   MV_FSTS_W1C           (MV_FSTS_PFO | MV_FSTS_IQE | MV_FSTS_ICE | MV_FSTS_ITE)
#define   MV_FSTS_STATUS        (MV_FSTS_PFO | MV_FSTS_PPF | MV_FSTS_AFO | \
                                 MV_FSTS_APF | MV_FSTS_IQE | MV_FSTS_ICE | \
                                 MV_FSTS_ITE)
#define MV_REG_FECTL        0x38u   /* 32: 31 IM RW, 30 IP RO */
#define   MV_ECTL_IM            (1u << 31)
#define   MV_ECTL_IP            (1u << 30)
#define MV_REG_FEDATA       0x3Cu   /* 32: 15:0 RW, 31:16 RsvdZ */
/* FEDATA and IEDATA: 15:0 IMD RW, 31:16 RsvdZ (rev 5.10 11.4.7.3,
 * 11.4.9.6) */
#define   MV_EDATA_IMD          0xFFFFu
#define MV_REG_FEADDR       0x40u   /* 32 RW, 1:0 rsvd */
#define MV_REG_FEUADDR      0x44u   /* 32 RW (EIM) */
#define MV_REG_AFLOG        0x58u   /* 64, only with CAP.AFL: absent here */
#define MV_REG_PMEN         0x64u   /* 32, only with PLMR/PHMR: absent here */
#define MV_REG_IQH          0x80u   /* 64 RO, 18:4 */
#define MV_REG_IQT          0x88u   /* 64 RW, 18:4 */
#define   MV_IQ_PTR             GENMASK64(18, 4)
#define MV_REG_IQA          0x90u   /* 64 RW */
#define   MV_IQA_IQA            GENMASK64(63, 12)
#define   MV_IQA_DW             BIT64(11)
#define   MV_IQA_QS             GENMASK64(2, 0)
#define MV_REG_ICS          0x9Cu   /* 32 W1C */
#define   MV_ICS_IWC            1u
#define MV_REG_IECTL        0xA0u   /* 32: 31 IM, 30 IP */
#define MV_REG_IEDATA       0xA4u
#define MV_REG_IEADDR       0xA8u
#define MV_REG_IEUADDR      0xACu
#define MV_REG_IQERCD       0xB0u   /* 64 RO, §7.4 */
#define   MV_IQERCD_ICESID_SHIFT 48
#define   MV_IQERCD_ICESID      GENMASK64(63, 48)
#define   MV_IQERCD_ITESID_SHIFT 32
#define   MV_IQERCD_ITESID      GENMASK64(47, 32)
#define   MV_IQERCD_IQEI        GENMASK64(3, 0)
#define   MV_IQEI_NONE          0u
#define   MV_IQEI_TAIL          1u
#define   MV_IQEI_FETCH         2u
#define   MV_IQEI_TYPE          3u
#define   MV_IQEI_RSVD          4u
#define   MV_IQEI_WIDTH         5u
#define   MV_IQEI_TTM           7u      /* RTADDR.TTM reserved or unsupported */
#define MV_REG_IRTA         0xB8u   /* 64 RW, §9.1 */
/* Page request queue (§7.5), present only with ECAP.PRS */
#define MV_REG_PQH          0xC0u   /* 64 RW, 18:5 */
#define MV_REG_PQT          0xC8u   /* 64 RW (advanced by the unit), 18:5 */
#define   MV_PQ_PTR             GENMASK64(18, 5)
#define MV_REG_PQA          0xD0u   /* 64 RW: 63:12 base, 2:0 PQS */
#define   MV_PQA_PQA            GENMASK64(63, 12)
#define   MV_PQA_PQS            GENMASK64(2, 0)
#define MV_REG_PRS          0xDCu   /* 32 W1C: 0 PPR, 1 PRO */
#define   MV_PRS_PPR            1u
#define   MV_PRS_PRO            2u
#define MV_REG_PECTL        0xE0u   /* 32: 31 IM, 30 IP */
#define MV_REG_PEDATA       0xE4u
#define MV_REG_PEADDR       0xE8u
#define MV_REG_PEUADDR      0xECu
#define   MV_IRTA_ADDR          GENMASK64(63, 12)
#define   MV_IRTA_EIME          BIT64(11)
#define   MV_IRTA_S             GENMASK64(3, 0)
/* IVA at ECAP.IRO*16, IOTLB at +8 (§6.2) */
#define   MV_IVA_AM             GENMASK64(5, 0)
#define   MV_IVA_IH             BIT64(6)
#define   MV_IVA_ADDR           GENMASK64(63, 12)
#define   MV_IOTLB_DID_SHIFT    32      /* 47:32 */
#define   MV_IOTLB_DID          GENMASK64(47, 32)
#define   MV_IOTLB_DW           BIT64(48)
#define   MV_IOTLB_DR           BIT64(49)
#define   MV_IOTLB_IAIG_SHIFT   57      /* 58:57 RO */
#define   MV_IOTLB_IAIG         GENMASK64(58, 57)
#define   MV_IOTLB_IIRG_SHIFT   60      /* 61:60 */
#define   MV_IOTLB_IIRG         GENMASK64(61, 60)
#define   MV_IOTLB_IVT          BIT64(63)
/* FRCD[i] at CAP.FRO*16 + 16*i, §8.1 (hi = bits 127:64) */
#define   MV_FRCD_FI            GENMASK64(63, 12)
#define   MV_FRCD_FI_IIDX       GENMASK64(63, 48)   /* IR faults: index */
#define   MV_FRCD_HI_SID        GENMASK64(15, 0)
#define   MV_FRCD_HI_PRIV       BIT64(29)
#define   MV_FRCD_HI_EXE        BIT64(30)
#define   MV_FRCD_HI_PP         BIT64(31)
#define   MV_FRCD_HI_FR_SHIFT   32      /* 103:96 */
#define   MV_FRCD_HI_PV_SHIFT   40      /* 123:104 */
#define   MV_FRCD_HI_AT_SHIFT   60      /* 125:124 */
#define   MV_FRCD_HI_T          BIT64(62)
#define   MV_FRCD_HI_F          BIT64(63)

/* Invalidation granularities (CIRG/CAIG, IIRG/IAIG encodings, §6). */
#define MV_GRAN_NONE        0u
#define MV_GRAN_GLOBAL      1u
#define MV_GRAN_DOMAIN      2u
#define MV_GRAN_DEVICE      3u  /* CCMD: device; IOTLB: page */

/* ------------------------------------------------ in-memory structures */

/* A request's source-id: the bus selects the root entry, devfn the context
 * entry; a scalable root entry holds devfn 0-127 in its low half. */
#define MV_SID_BUS          GENMASK64(15, 8)
#define MV_SID_DEVFN        GENMASK64(7, 0)
#define MV_SM_DEVFN_UPPER   BIT64(7)
#define MV_SM_DEVFN_IDX     GENMASK64(6, 0)
/* A PASID: 19:6 index the PASID directory, 5:0 the PASID table. */
#define MV_PASID_DIR_IDX    GENMASK64(19, 6)
#define MV_PASID_TBL_IDX    GENMASK64(5, 0)

/* §4.1 legacy root entry, §4.3 scalable root entry (w0 = bits 63:0). */
static inline int root_lp(uint64_t w0)       { return (int)(w0 & 1); }
static inline uint64_t root_lctp(uint64_t w0) { return w0 & GENMASK64(63, 12); }
static inline int root_up(uint64_t w1)       { return (int)(w1 & 1); }
static inline uint64_t root_uctp(uint64_t w1) { return w1 & GENMASK64(63, 12); }
#define MV_ROOT_W0_RSVD     GENMASK64(11, 1)
#define MV_SM_ROOT_W1_RSVD  GENMASK64(11, 1)

/* §4.2 legacy context entry. */
static inline int ctx_p(uint64_t w0)         { return (int)(w0 & 1); }
static inline int ctx_fpd(uint64_t w0)       { return (int)((w0 >> 1) & 1); }
static inline unsigned ctx_tt(uint64_t w0)   { return (unsigned)((w0 >> 2) & 3); }
static inline uint64_t ctx_slptptr(uint64_t w0) { return w0 & GENMASK64(63, 12); }
static inline unsigned ctx_aw(uint64_t w1)   { return (unsigned)(w1 & 7); }
static inline unsigned ctx_did(uint64_t w1)  { return (unsigned)((w1 >> 8) & 0xFFFF); }
#define MV_CTX_W0_RSVD      GENMASK64(11, 4)
#define MV_CTX_W1_RSVD      (BIT64(7) | GENMASK64(63, 24))
#define MV_CTX_TT_MULTI     0u
#define MV_CTX_TT_DEVTLB    1u
#define MV_CTX_TT_PT        2u
#define MV_CTX_TT_RSVD      3u

/* §4.4 scalable-mode context entry (256 bits, w0..w3). */
static inline int smctx_dte(uint64_t w0)     { return (int)((w0 >> 2) & 1); }
static inline int smctx_paside(uint64_t w0)  { return (int)((w0 >> 3) & 1); }
static inline int smctx_pre(uint64_t w0)     { return (int)((w0 >> 4) & 1); }
static inline unsigned smctx_pdts(uint64_t w0) { return (unsigned)((w0 >> 9) & 7); }
static inline uint64_t smctx_pasiddir(uint64_t w0) { return w0 & GENMASK64(63, 12); }
static inline uint32_t smctx_rid_pasid(uint64_t w1) { return (uint32_t)(w1 & 0xFFFFF); }
#define MV_SMCTX_W0_RSVD    GENMASK64(8, 5)
#define MV_SMCTX_W1_RSVD    GENMASK64(63, 20) /* 84 RID_PRIV: no ECAP.RPRIVS */

/* §4.5 PASID directory entry and PASID table entry (512 bits, w0..w7). */
#define MV_PDIR_P           BIT64(0)
#define MV_PDIR_FPD         BIT64(1)
#define MV_PDIR_RSVD        GENMASK64(11, 2)
static inline uint64_t pdir_ptp(uint64_t e)  { return e & GENMASK64(63, 12); }
static inline unsigned pe_aw(uint64_t w0)    { return (unsigned)((w0 >> 2) & 7); }
static inline unsigned pe_pgtt(uint64_t w0)  { return (unsigned)((w0 >> 6) & 7); }
static inline uint64_t pe_ssptptr(uint64_t w0) { return w0 & GENMASK64(63, 12); }
static inline unsigned pe_did(uint64_t w1)   { return (unsigned)(w1 & 0xFFFF); }
static inline int pe_sre(uint64_t w2)        { return (int)(w2 & 1); }
static inline unsigned pe_fspm(uint64_t w2)  { return (unsigned)((w2 >> 2) & 3); }
static inline int pe_wpe(uint64_t w2)        { return (int)((w2 >> 4) & 1); }
static inline uint64_t pe_fsptptr(uint64_t w2) { return w2 & GENMASK64(63, 12); }
#define MV_PE_W0_P          BIT64(0)
#define MV_PE_W0_FPD        BIT64(1)
#define MV_PE_W0_SSEE       BIT64(5)
#define MV_PE_W0_SSADE      BIT64(9)
#define MV_PE_W0_RSVD       GENMASK64(11, 10)
#define MV_PE_W1_RSVD       GENMASK64(22, 16)
/* 129 and 139:136 reserved; 134:133 ignored (rev 5.10 9.6) */
#define MV_PE_W2_RSVD       (BIT64(1) | GENMASK64(11, 8))
#define MV_PE_W2_EAFE       BIT64(7)
#define MV_PGTT_FS          1u
#define MV_PGTT_SS          2u
#define MV_PGTT_NESTED      3u
#define MV_PGTT_PT          4u

/* §5.2 second-level paging entry. */
#define MV_SL_R             BIT64(0)
#define MV_SL_W             BIT64(1)
#define MV_SL_X             BIT64(2)
#define MV_SL_PS            BIT64(7)
#define MV_SL_SNP           BIT64(11)
#define MV_SL_TM            BIT64(62)
#define MV_SL_ADDR          GENMASK64(51, 12)
/* a 2 MiB or 1 GiB leaf: the address bits below its size */
#define MV_SL_2M_RSVD       GENMASK64(20, 12)
#define MV_SL_1G_RSVD       GENMASK64(29, 12)

/* §5.2 first-stage (x86-64 format) entry. */
#define MV_FL_P             BIT64(0)
#define MV_FL_RW            BIT64(1)
#define MV_FL_US            BIT64(2)
#define MV_FL_A             BIT64(5)
#define MV_FL_D             BIT64(6)
#define MV_FL_PS            BIT64(7)
#define MV_FL_XD            BIT64(63)
#define MV_FL_ADDR          GENMASK64(51, 12)
/* a 2 MiB or 1 GiB leaf: the address bits below its size (12 is PAT) */
#define MV_FL_2M_RSVD       GENMASK64(20, 13)
#define MV_FL_1G_RSVD       GENMASK64(29, 13)

/* §9.2 IRTE, remapped format (w0 = bits 63:0, w1 = 127:64). */
static inline int irte_p(uint64_t w0)        { return (int)(w0 & 1); }
static inline int irte_fpd(uint64_t w0)      { return (int)((w0 >> 1) & 1); }
static inline int irte_dm(uint64_t w0)       { return (int)((w0 >> 2) & 1); }
static inline int irte_rh(uint64_t w0)       { return (int)((w0 >> 3) & 1); }
static inline int irte_tm(uint64_t w0)       { return (int)((w0 >> 4) & 1); }
static inline unsigned irte_dlm(uint64_t w0) { return (unsigned)((w0 >> 5) & 7); }
static inline int irte_im(uint64_t w0)       { return (int)((w0 >> 15) & 1); }
static inline unsigned irte_vector(uint64_t w0) { return (unsigned)((w0 >> 16) & 0xFF); }
static inline uint32_t irte_dst(uint64_t w0) { return (uint32_t)(w0 >> 32); }
static inline unsigned irte_sid(uint64_t w1) { return (unsigned)(w1 & 0xFFFF); }
static inline unsigned irte_sq(uint64_t w1)  { return (unsigned)((w1 >> 16) & 3); }
static inline unsigned irte_svt(uint64_t w1) { return (unsigned)((w1 >> 18) & 3); }
#define MV_IRTE_W0_RSVD     (GENMASK64(14, 12) | GENMASK64(31, 24))
#define MV_IRTE_W1_RSVD     GENMASK64(63, 20)
/* xAPIC mode: only DST bits 47:40 carry the APIC ID (unverified, §9.2). */
#define MV_IRTE_W0_XAPIC_RSVD (GENMASK64(39, 32) | GENMASK64(63, 48))

/* §7.2 invalidation descriptor types. */
#define MV_QI_CC            1u
#define MV_QI_IOTLB         2u
#define MV_QI_DEVTLB        3u
#define MV_QI_IEC           4u
#define MV_QI_WAIT          5u
#define MV_QI_PIOTLB        6u
#define MV_QI_PC            7u
#define MV_QI_PDEVTLB       8u
#define MV_QI_PGRP_RESP     9u  /* page group response (ECAP.PRS) */
#define MV_QI_HPT           0xAu /* HPT cache invalidate (ECAP.HPTS) */

/*
 * §6.5.2 (rev 5.10) descriptor fields, qw0 = bits 63:0, qw1 = bits
 * 127:64. The type is 3:0 with its high bits in 11:9; fields shared by several types are
 * named once (G, DID, PASID), the rest under their descriptor.
 */
#define MV_QI_TYPE_LO       GENMASK64(3, 0)
#define MV_QI_TYPE_HI       GENMASK64(11, 9)
#define MV_QI_G             GENMASK64(5, 4)     /* CC, IOTLB, PIOTLB, PC */
#define MV_QI_DID           GENMASK64(31, 16)   /* CC, IOTLB, PIOTLB, PC */
#define MV_QI_PASID         GENMASK64(51, 32)   /* PIOTLB, PC, PDEVTLB */
#define MV_QI_PFSID_RSVD    (GENMASK64(15, 12) | GENMASK64(63, 52))
/* §6.5.2.1 context-cache invalidate */
#define MV_QI_CC_SID        GENMASK64(47, 32)
#define MV_QI_CC_FM         GENMASK64(49, 48)
#define MV_QI_CC_RSVD0      (GENMASK64(8, 6) | GENMASK64(15, 12) | \
                             GENMASK64(63, 50))
/* §6.5.2.3 IOTLB invalidate; qw1 also of the PASID-based IOTLB one */
#define MV_QI_IOTLB_DW      BIT64(6)
#define MV_QI_IOTLB_DR      BIT64(7)
#define MV_QI_IOTLB_RSVD0   (BIT64(8) | GENMASK64(15, 12) | GENMASK64(63, 32))
#define MV_QI_AM            GENMASK64(5, 0)     /* qw1 */
#define MV_QI_IH            BIT64(6)            /* qw1 */
#define MV_QI_ADDR          GENMASK64(63, 12)   /* qw1 */
#define MV_QI_IOTLB_RSVD1   GENMASK64(11, 7)
#define MV_QI_G_GLOBAL      1u
#define MV_QI_G_DOMAIN      2u
#define MV_QI_G_PAGE        3u                  /* IOTLB, PIOTLB */
/* §6.5.2.4 PASID-based IOTLB invalidate (G: 2 PASID, 3 page) */
#define MV_QI_PIOTLB_G_PASID 2u
#define MV_QI_PIOTLB_RSVD0  (GENMASK64(8, 6) | GENMASK64(15, 12) | \
                             GENMASK64(63, 52))
/* §6.5.2.2 PASID-cache invalidate (G: 0 domain, 1 PASID, 3 global) */
#define MV_QI_PC_RSVD0      MV_QI_PIOTLB_RSVD0
#define MV_QI_PC_G_DOMAIN   0u
#define MV_QI_PC_G_PASID    1u
#define MV_QI_PC_G_RSVD     2u
/* §6.5.2.5 device-TLB invalidate; PFSID 15:12, 63:52 and MIP 20:16 */
#define MV_QI_DEVTLB_SID    GENMASK64(47, 32)
#define MV_QI_DEVTLB_RSVD0  (GENMASK64(8, 4) | GENMASK64(31, 21) | \
                             GENMASK64(51, 48))
#define MV_QI_DEVTLB_S      BIT64(0)            /* qw1 */
#define MV_QI_DEVTLB_RSVD1  GENMASK64(11, 1)
/* §6.5.2.6 PASID-based device-TLB invalidate */
#define MV_QI_PDEVTLB_SID   GENMASK64(31, 16)
#define MV_QI_PDEVTLB_G     BIT64(0)            /* qw1: every PASID */
#define MV_QI_PDEVTLB_RSVD1 GENMASK64(10, 1)
#define MV_QI_PDEVTLB_S     BIT64(11)           /* qw1 */
/* §6.5.2.8 interrupt entry cache invalidate */
#define MV_QI_IEC_G         BIT64(4)            /* 1: index-selective */
#define MV_QI_IEC_IM        GENMASK64(31, 27)
#define MV_QI_IEC_IIDX      GENMASK64(47, 32)
#define MV_QI_IEC_RSVD0     (GENMASK64(8, 5) | GENMASK64(26, 12) | \
                             GENMASK64(63, 48))
/* §6.5.2.9 invalidation wait */
#define MV_QI_WAIT_IF       BIT64(4)
#define MV_QI_WAIT_SW       BIT64(5)
#define MV_QI_WAIT_FN       BIT64(6)
#define MV_QI_WAIT_PD       BIT64(7)
#define MV_QI_WAIT_RSVD0    (BIT64(8) | GENMASK64(31, 12))
#define MV_QI_WAIT_SD       GENMASK64(63, 32)
#define MV_QI_WAIT_RSVD1    GENMASK64(1, 0)
#define MV_QI_WAIT_SA       GENMASK64(63, 2)    /* qw1 */
/* §7.6.1 page group response */
#define MV_QI_PGRP_PASID_P  BIT64(4)
#define MV_QI_PGRP_PDP      BIT64(5)
#define MV_QI_PGRP_CODE     GENMASK64(15, 12)
#define MV_QI_PGRP_RID      GENMASK64(31, 16)
#define MV_QI_PGRP_RSVD0    (GENMASK64(8, 6) | GENMASK64(63, 52))
#define MV_QI_PGRP_LPIG     BIT64(2)            /* qw1 */
#define MV_QI_PGRP_PRGI     GENMASK64(11, 3)    /* qw1 */
#define MV_QI_PGRP_RSVD1    (GENMASK64(1, 0) | GENMASK64(63, 12))

/* §7.4.1.1 page request descriptor (qw0, qw1; private data in qw2, qw3). */
#define MV_PRQ_TYPE         GENMASK64(1, 0)     /* 01b: page request */
#define MV_PRQ_TYPE_PAGE    1u
#define MV_PRQ_PASID_P      BIT64(8)
#define MV_PRQ_PDP          BIT64(9)
#define MV_PRQ_RID          GENMASK64(31, 16)
#define MV_PRQ_PASID        GENMASK64(51, 32)
#define MV_PRQ_ER           BIT64(52)
#define MV_PRQ_PM           BIT64(53)
#define MV_PRQ_RR           BIT64(0)            /* qw1 */
#define MV_PRQ_WR           BIT64(1)            /* qw1 */
#define MV_PRQ_LPIG         BIT64(2)            /* qw1 */
#define MV_PRQ_PRGI         GENMASK64(11, 3)    /* qw1 */
#define MV_PRQ_ADDR         GENMASK64(63, 12)   /* qw1 */

/* §5.1.2.2 remappable-format interrupt request (MSI address and data). */
#define MV_MSI_ADDR_HI      GENMASK64(63, 32)   /* must be 0 */
#define MV_MSI_ADDR_FEE     GENMASK64(31, 20)
#define MV_MSI_FEE          0xFEEu
#define MV_MSI_HANDLE_LO    GENMASK64(19, 5)    /* handle 14:0 */
#define MV_MSI_IF           BIT64(4)            /* 1: remappable format */
#define MV_MSI_SHV          BIT64(3)
#define MV_MSI_HANDLE_15    BIT64(2)
#define MV_MSI_COMPAT_DEST  GENMASK64(19, 12)   /* compatibility format */
#define MV_MSI_SUBHANDLE    0xFFFFu             /* data 15:0 with SHV */
#define MV_MSI_DATA_RSVD    0xFFFF0000u         /* data 31:16 with SHV */
#define MV_MSI_DATA_VECTOR  0xFFu
/* the compatibility-format message a remapped interrupt goes out as */
#define MV_MSI_ADDR_BASE    0xFEE00000ull
#define MV_MSI_COMPAT_RH    BIT64(3)
#define MV_MSI_COMPAT_DM    BIT64(2)
#define MV_MSI_DATA_DLM     0x700u              /* delivery mode 10:8 */
#define MV_MSI_DATA_LEVEL   0x4000u             /* 14: assert */
#define MV_MSI_DATA_TM      0x8000u             /* 15: level-triggered */

/* §8.4 fault reasons. */
#define MV_FR_ROOT_P        0x01u   /* root entry not present */
#define MV_FR_CTX_P         0x02u   /* context entry not present */
#define MV_FR_CTX_INV       0x03u   /* invalid context-entry programming */
#define MV_FR_ADDR_BEYOND   0x04u   /* input address above 2^X-1 */
#define MV_FR_WRITE         0x05u   /* write without W */
#define MV_FR_READ          0x06u   /* read without R */
#define MV_FR_PTE_ACCESS    0x07u   /* error accessing a paging entry */
#define MV_FR_ROOT_ACCESS   0x08u
#define MV_FR_CTX_ACCESS    0x09u
#define MV_FR_ROOT_RSVD     0x0Au
#define MV_FR_CTX_RSVD      0x0Bu
#define MV_FR_PTE_RSVD      0x0Cu
#define MV_FR_ATS_BLOCKED   0x0Du
#define MV_FR_INTR_RANGE    0x0Eu   /* output in the interrupt range */
#define MV_FR_IR_REQ_RSVD   0x20u
#define MV_FR_IR_INDEX      0x21u
#define MV_FR_IR_NOT_PRESENT 0x22u
#define MV_FR_IR_ACCESS     0x23u
#define MV_FR_IR_RSVD       0x24u
#define MV_FR_IR_COMPAT     0x25u
#define MV_FR_IR_SID        0x26u
#define MV_FR_SM_RTA        0x30u   /* invalid root table address / TTM */
#define MV_FR_SM_LEGACY_PASID 0x31u   /* TTM legacy, request with PASID */
#define MV_FR_SM_LEGACY_PRQ 0x32u   /* TTM legacy, page request */
#define MV_FR_SM_ROOT_ACCESS 0x38u
#define MV_FR_SM_ROOT_P     0x39u
#define MV_FR_SM_ROOT_RSVD  0x3Au
#define MV_FR_SM_CTX_ACCESS 0x40u
#define MV_FR_SM_CTX_P      0x41u
#define MV_FR_SM_CTX_RSVD   0x42u
#define MV_FR_SM_CTX_INV    0x43u
#define MV_FR_SM_DTE        0x44u
#define MV_FR_SM_PASIDE     0x45u
#define MV_FR_SM_PASID_SIZE 0x46u
#define MV_FR_SM_PRE        0x47u   /* page request with PRE=0 */
#define MV_FR_SM_PDIR_ACCESS 0x50u
#define MV_FR_SM_PDIR_P     0x51u
#define MV_FR_SM_PDIR_RSVD  0x52u
#define MV_FR_SM_PE_ACCESS  0x58u
#define MV_FR_SM_PE_P       0x59u
#define MV_FR_SM_PE_RSVD    0x5Au
#define MV_FR_SM_PE_INV     0x5Bu
#define MV_FR_SM_ERE        0x5Cu
#define MV_FR_SM_SRE        0x5Du
#define MV_FR_FS_ACCESS     0x70u
#define MV_FR_FS_P          0x71u
#define MV_FR_FS_RSVD       0x72u
#define MV_FR_FS_PTR        0x73u
#define MV_FR_SS_ACCESS     0x78u
#define MV_FR_SS_PERM       0x79u   /* not present or R/W denied */
#define MV_FR_SS_RSVD       0x7Au
#define MV_FR_SS_PTR        0x7Bu
#define MV_FR_FS_CANONICAL  0x80u
#define MV_FR_FS_US         0x81u
#define MV_FR_SM_ADDR_BEYOND 0x83u  /* host address above HAW (PT) */
#define MV_FR_SS_ADDR_BEYOND 0x84u  /* SS-only input above 2^X - 1 */
#define MV_FR_FS_WRITE      0x85u   /* SGN.6: write without W (FS or SS) */
#define MV_FR_SM_READ       0x86u   /* SGN.7: read without R (SS) */
#define MV_FR_SM_INTR_RANGE 0x87u
/* clang-format on */

#endif
