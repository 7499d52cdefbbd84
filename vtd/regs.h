/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/regs.h — VT-d remapping-unit registers, in the specification's order.
 *
 * Offsets are from the unit's register base (DRHD Register Base Address).
 * Fields are masks and shifts under their register; reserved-must-be-zero
 * fields are declared too (the suite checks them). Field helpers
 * are lib/bits.h's.
 */
#ifndef VTD_REGS_H
#define VTD_REGS_H

#include <stdint.h>

#include "lib/bits.h"

/* clang-format off */
/* 10.4.1 Version Register */
#define VTD_VER             0x00
#define   VTD_VER_MIN       GENMASK64(3, 0)
#define   VTD_VER_MAX       GENMASK64(7, 4)
#define   VTD_VER_RSVD      GENMASK64(31, 8)

/* 10.4.2 Capability Register */
#define VTD_CAP             0x08
#define   VTD_CAP_ND        GENMASK64(2, 0)
#define   VTD_CAP_AFL       BIT64(3)
#define   VTD_CAP_RWBF      BIT64(4)
#define   VTD_CAP_PLMR      BIT64(5)
#define   VTD_CAP_PHMR      BIT64(6)
#define   VTD_CAP_CM        BIT64(7)
#define   VTD_CAP_SAGAW     GENMASK64(12, 8)
#define   VTD_CAP_MGAW      GENMASK64(21, 16)
#define   VTD_CAP_ZLR       BIT64(22)
#define   VTD_CAP_FRO       GENMASK64(33, 24)
#define   VTD_CAP_SLLPS     GENMASK64(37, 34)
#define   VTD_CAP_PSI       BIT64(39)
#define   VTD_CAP_NFR       GENMASK64(47, 40)
#define   VTD_CAP_MAMV      GENMASK64(53, 48)
#define   VTD_CAP_DWD       BIT64(54)
#define   VTD_CAP_DRD       BIT64(55)
#define   VTD_CAP_FL1GP     BIT64(56)
#define   VTD_CAP_PI        BIT64(59)
#define   VTD_CAP_FL5LP     BIT64(60)
#define   VTD_CAP_ECMDS     BIT64(61)
#define   VTD_CAP_ESIRTPS   BIT64(62)
#define   VTD_CAP_ESRTPS    BIT64(63)
/* 15:13, 38 and 58:57 are reserved in every revision; 23 was ISOCH. */
#define   VTD_CAP_RSVD      (GENMASK64(15, 13) | BIT64(38) | GENMASK64(58, 57))

/* 10.4.3 Extended Capability Register */
#define VTD_ECAP            0x10
#define   VTD_ECAP_C        BIT64(0)
#define   VTD_ECAP_QI       BIT64(1)
#define   VTD_ECAP_DT       BIT64(2)
#define   VTD_ECAP_IR       BIT64(3)
#define   VTD_ECAP_EIM      BIT64(4)
#define   VTD_ECAP_PT       BIT64(6)
#define   VTD_ECAP_SC       BIT64(7)
#define   VTD_ECAP_IRO      GENMASK64(17, 8)
#define   VTD_ECAP_MHMV     GENMASK64(23, 20)
#define   VTD_ECAP_MTS      BIT64(25)
#define   VTD_ECAP_NEST     BIT64(26)
#define   VTD_ECAP_PRS      BIT64(29)
#define   VTD_ECAP_ERS      BIT64(30)
#define   VTD_ECAP_SRS      BIT64(31)
#define   VTD_ECAP_NWFS     BIT64(33)
#define   VTD_ECAP_EAFS     BIT64(34)
#define   VTD_ECAP_PSS      GENMASK64(39, 35)
#define   VTD_ECAP_PASID    BIT64(40)
#define   VTD_ECAP_DIT      BIT64(41)
#define   VTD_ECAP_PDS      BIT64(42)
#define   VTD_ECAP_SMTS     BIT64(43)
#define   VTD_ECAP_VCS      BIT64(44)
#define   VTD_ECAP_SLADS    BIT64(45)
#define   VTD_ECAP_SLTS     BIT64(46)
#define   VTD_ECAP_FLTS     BIT64(47)
#define   VTD_ECAP_SMPWCS   BIT64(48)
#define   VTD_ECAP_RPS      BIT64(49)
#define   VTD_ECAP_PMS      BIT64(51)
#define   VTD_ECAP_ADMS     BIT64(52)
#define   VTD_ECAP_RPRIVS   BIT64(53)
/* 19:18 and 32 reserved in every revision (5, 24, 27, 28 had older uses). */
#define   VTD_ECAP_RSVD     (GENMASK64(19, 18) | BIT64(32))

/* 10.4.4 Global Command Register (write-only) and
 * 10.4.5 Global Status Register: the same bit positions. */
#define VTD_GCMD            0x18
#define VTD_GSTS            0x1C
#define   VTD_GCMD_TE       BIT64(31)   /* persistent: GSTS.TES */
#define   VTD_GCMD_SRTP     BIT64(30)   /* one-shot: GSTS.RTPS */
#define   VTD_GCMD_SFL      BIT64(29)   /* one-shot: GSTS.FLS */
#define   VTD_GCMD_EAFL     BIT64(28)   /* persistent: GSTS.AFLS */
#define   VTD_GCMD_WBF      BIT64(27)   /* one-shot: GSTS.WBFS (0 = done) */
#define   VTD_GCMD_QIE      BIT64(26)   /* persistent: GSTS.QIES */
#define   VTD_GCMD_IRE      BIT64(25)   /* persistent: GSTS.IRES */
#define   VTD_GCMD_SIRTP    BIT64(24)   /* one-shot: GSTS.IRTPS */
#define   VTD_GCMD_CFI      BIT64(23)   /* persistent: GSTS.CFIS */
#define   VTD_GCMD_RSVD     GENMASK64(22, 0)
/* The one-shot status bits, never to be written back as commands. */
#define   VTD_GSTS_ONESHOT  (VTD_GCMD_SRTP | VTD_GCMD_SFL | VTD_GCMD_WBF | \
                             VTD_GCMD_SIRTP)
/* The persistent enables: the only bits a software copy keeps. */
#define   VTD_GCMD_PERSIST  (VTD_GCMD_TE | VTD_GCMD_EAFL | VTD_GCMD_QIE | \
                             VTD_GCMD_IRE | VTD_GCMD_CFI)
#define   VTD_GSTS_RSVD     GENMASK64(22, 0)

/* 10.4.6 Root Table Address Register */
#define VTD_RTADDR          0x20
#define   VTD_RTADDR_TTM    GENMASK64(11, 10)
#define   VTD_RTADDR_RTA    GENMASK64(63, 12)
#define   VTD_RTADDR_RSVD   GENMASK64(9, 0)
#define   VTD_TTM_LEGACY    0u
#define   VTD_TTM_SCALABLE  1u
#define   VTD_TTM_ABORT     3u      /* only with ECAP.ADMS */

/* 10.4.7 Context Command Register (rev 5.10: 11.4.6.1) */
#define VTD_CCMD            0x28
#define   VTD_CCMD_DID      GENMASK64(15, 0)
#define   VTD_CCMD_SID      GENMASK64(31, 16)   /* WO: reads undefined */
#define   VTD_CCMD_FM       GENMASK64(33, 32)   /* WO: reads undefined */
#define   VTD_CCMD_RSVD     GENMASK64(58, 34)
#define   VTD_CCMD_CAIG     GENMASK64(60, 59)
#define   VTD_CCMD_CIRG     GENMASK64(62, 61)
#define   VTD_CCMD_ICC      BIT64(63)

/* Invalidation granularities, as CIRG/CAIG, IIRG/IAIG and the G field of
 * the context-cache and IOTLB descriptors encode them (6.5.2, 10.4.7-8):
 * 0 means "request ignored" when the hardware reports it. */
#define VTD_GRAN_NONE       0u
#define VTD_GRAN_GLOBAL     1u
#define VTD_GRAN_DOMAIN     2u
#define VTD_GRAN_DEVICE     3u      /* context cache */
#define VTD_GRAN_PAGE       3u      /* IOTLB */

/* 10.4.9 Fault Status Register */
#define VTD_FSTS            0x34
#define   VTD_FSTS_PFO      BIT64(0)
#define   VTD_FSTS_PPF      BIT64(1)
#define   VTD_FSTS_AFO      BIT64(2)
#define   VTD_FSTS_APF      BIT64(3)
#define   VTD_FSTS_IQE      BIT64(4)
#define   VTD_FSTS_ICE      BIT64(5)
#define   VTD_FSTS_ITE      BIT64(6)
#define   VTD_FSTS_FRI      GENMASK64(15, 8)
#define   VTD_FSTS_RSVD     (BIT64(7) | GENMASK64(31, 16))
/* The write-1-to-clear status bits (PPF is the OR of the FRCD F bits). */
#define   VTD_FSTS_W1C      (VTD_FSTS_PFO | VTD_FSTS_AFO | VTD_FSTS_APF | \
                             VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE)

/* 10.4.10-13 Fault Event Control/Data/Address/Upper Address */
#define VTD_FECTL           0x38
#define   VTD_xECTL_IM      BIT64(31)
#define   VTD_xECTL_IP      BIT64(30)
#define   VTD_xECTL_RSVD    GENMASK64(29, 0)
#define VTD_FEDATA          0x3C
#define   VTD_xEDATA_IMD    GENMASK64(15, 0)
#define VTD_FEADDR          0x40
#define   VTD_xEADDR_MA     GENMASK64(31, 2)
#define   VTD_xEADDR_RSVD   GENMASK64(1, 0)
#define VTD_FEUADDR         0x44

/* 10.4.15 Advanced Fault Log (CAP.AFL only) */
#define VTD_AFLOG           0x58

/* 10.4.16-20 Protected memory (CAP.PLMR / CAP.PHMR) */
#define VTD_PMEN            0x64
#define   VTD_PMEN_EPM      BIT64(31)
#define   VTD_PMEN_PRS      BIT64(0)
#define VTD_PLMBASE         0x68
#define VTD_PLMLIMIT        0x6C
#define VTD_PHMBASE         0x70
#define VTD_PHMLIMIT        0x78

/* 10.4.22-25 Invalidation Queue Head/Tail/Address, Completion Status */
#define VTD_IQH             0x80
#define VTD_IQT             0x88
#define   VTD_IQ_PTR        GENMASK64(18, 4)
#define   VTD_IQ_RSVD       (GENMASK64(3, 0) | GENMASK64(63, 19))
#define VTD_IQA             0x90
#define   VTD_IQA_QS        GENMASK64(2, 0)
#define   VTD_IQA_DW        BIT64(11)
#define   VTD_IQA_IQA       GENMASK64(63, 12)
#define   VTD_IQA_RSVD      GENMASK64(10, 3)
#define VTD_ICS             0x9C
#define   VTD_ICS_IWC       BIT64(0)
#define   VTD_ICS_RSVD      GENMASK64(31, 1)
#define VTD_IECTL           0xA0
#define VTD_IEDATA          0xA4
#define VTD_IEADDR          0xA8
#define VTD_IEUADDR         0xAC
#define VTD_IQERCD          0xB0
#define   VTD_IQERCD_IQEI   GENMASK64(3, 0)
#define   VTD_IQERCD_ITESID GENMASK64(47, 32)
#define   VTD_IQERCD_ICESID GENMASK64(63, 48)

/* 10.4.29 Interrupt Remapping Table Address */
#define VTD_IRTA            0xB8
#define   VTD_IRTA_S        GENMASK64(3, 0)
#define   VTD_IRTA_RSVD     GENMASK64(10, 4)
#define   VTD_IRTA_EIME     BIT64(11)
#define   VTD_IRTA_IRTA     GENMASK64(63, 12)

/* 11.4.11 Page Request Queue registers (ECAP.PRS) */
#define VTD_PQH             0xC0
#define VTD_PQT             0xC8
#define VTD_PQA             0xD0
#define VTD_PRS             0xDC
#define VTD_PECTL           0xE0
#define VTD_PEDATA          0xE4
#define VTD_PEADDR          0xE8
#define VTD_PEUADDR         0xEC

/* 11.4.12 Memory Type Range registers (ECAP.MTS) */
#define VTD_MTRRCAP         0x100
#define VTD_MTRRDEF         0x108
#define VTD_MTRR_FIX        0x120   /* 11 fixed-range registers */
#define VTD_MTRR_VAR        0x180   /* 10 base/mask pairs */

/* 11.4.13 Performance monitoring (ECAP.PMS), 11.4.14 enhanced command
 * (CAP.ECMDS), 11.4.15 RDT configuration, 11.4.16 virtual command
 * (ECAP.VCS) */
#define VTD_PERFCAP         0x300
#define VTD_ECMD            0x400
#define VTD_RDT             0xDC0
#define VTD_VCMD            0xE00

/* 10.4.8 IOTLB registers, at ECAP.IRO * 16: IVA first, IOTLB at +8. */
#define VTD_IVA(iro)        ((iro) * 16u)
#define VTD_IOTLB(iro)      ((iro) * 16u + 8u)
#define   VTD_IVA_AM        GENMASK64(5, 0)
#define   VTD_IVA_IH        BIT64(6)
#define   VTD_IVA_RSVD      GENMASK64(11, 7)
#define   VTD_IVA_ADDR      GENMASK64(63, 12)
#define   VTD_IOTLB_DID     GENMASK64(47, 32)
#define   VTD_IOTLB_DW      BIT64(48)
#define   VTD_IOTLB_DR      BIT64(49)
#define   VTD_IOTLB_IAIG    GENMASK64(58, 57)
#define   VTD_IOTLB_IIRG    GENMASK64(61, 60)
#define   VTD_IOTLB_IVT     BIT64(63)
#define   VTD_IOTLB_RSVD    (GENMASK64(31, 0) | GENMASK64(56, 50) | \
                             BIT64(59) | BIT64(62))

/* 10.4.14 Fault Recording Registers, at CAP.FRO * 16, 16 bytes each. */
#define VTD_FRCD(fro, i)    ((fro) * 16u + 16u * (i))
#define   VTD_FRCD_FI       GENMASK64(63, 12)   /* low qword */
#define   VTD_FRCD_SID      GENMASK64(15, 0)    /* high qword */
#define   VTD_FRCD_PRIV     BIT64(29)
#define   VTD_FRCD_EXE      BIT64(30)
#define   VTD_FRCD_PP       BIT64(31)
#define   VTD_FRCD_FR       GENMASK64(39, 32)
#define   VTD_FRCD_PV       GENMASK64(59, 40)
#define   VTD_FRCD_AT       GENMASK64(61, 60)
#define   VTD_FRCD_T        BIT64(62)
#define   VTD_FRCD_F        BIT64(63)
#define   VTD_FRCD_RSVD_LO  GENMASK64(11, 0)
#define   VTD_FRCD_RSVD_HI  GENMASK64(28, 16)
/* clang-format on */

#endif
