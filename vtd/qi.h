/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/qi.h — queued invalidation (spec 6.5.2, 10.4.22-10.4.27): the
 * invalidation queue, descriptor builders for every type, submission with
 * tail wrap-around, invalidation-wait completion and queue errors.
 *
 * Submission does not validate descriptors: a test may queue a malformed
 * one on purpose and observe IQE. Every wait is bounded and checks
 * FSTS.IQE/ICE/ITE on each poll; an error leaves the head, tail, IQERCD
 * and the offending descriptor in qi->err.
 */
#ifndef VTD_QI_H
#define VTD_QI_H

#include <stdbool.h>
#include <stdint.h>

#include "vtd/inv.h"
#include "vtd/unit.h"

/* A descriptor: 128-bit queues use qw[0..1], 256-bit queues all four. */
struct vtd_desc {
    uint64_t qw[4];
};
_Static_assert(sizeof(struct vtd_desc) == 32, "256-bit descriptor");

/* 6.5.2: type = qw0[3:0] | qw0[11:9] << 4 */
#define VTD_DESC_TYPE_LO GENMASK64(3, 0)
#define VTD_DESC_TYPE_HI GENMASK64(11, 9)
#define VTD_DESC_CC      1u
#define VTD_DESC_IOTLB   2u
#define VTD_DESC_DEVTLB  3u
#define VTD_DESC_IEC     4u
#define VTD_DESC_WAIT    5u
#define VTD_DESC_PIOTLB  6u
#define VTD_DESC_PC      7u
#define VTD_DESC_PDEVTLB 8u

/* Context-cache (type 1) */
#define VTD_DESC_CC_G   GENMASK64(5, 4)
#define VTD_DESC_CC_DID GENMASK64(31, 16)
#define VTD_DESC_CC_SID GENMASK64(47, 32)
#define VTD_DESC_CC_FM  GENMASK64(49, 48)
#define VTD_DESC_CC_RSVD \
    (GENMASK64(8, 6) | GENMASK64(15, 12) | GENMASK64(63, 50))
/* IOTLB (type 2) */
#define VTD_DESC_IOTLB_G   GENMASK64(5, 4)
#define VTD_DESC_IOTLB_DW  BIT64(6)
#define VTD_DESC_IOTLB_DR  BIT64(7)
#define VTD_DESC_IOTLB_DID GENMASK64(31, 16)
#define VTD_DESC_IOTLB_RSVD \
    (GENMASK64(8, 8) | GENMASK64(15, 12) | GENMASK64(63, 32))
#define VTD_DESC_ADDR_AM     GENMASK64(5, 0) /* qw1, types 2 and 6 */
#define VTD_DESC_ADDR_IH     BIT64(6)
#define VTD_DESC_ADDR_RSVD   GENMASK64(11, 7)
#define VTD_DESC_ADDR        GENMASK64(63, 12)
/* Device-TLB (type 3) */
#define VTD_DESC_DT_PFSID_LO GENMASK64(15, 12)
#define VTD_DESC_DT_MIP      GENMASK64(20, 16)
#define VTD_DESC_DT_SID      GENMASK64(47, 32)
#define VTD_DESC_DT_PFSID_HI GENMASK64(63, 52)
#define VTD_DESC_DT_S        BIT64(0) /* qw1 */
/* Interrupt entry cache (type 4) */
#define VTD_DESC_IEC_G       BIT64(4) /* 1: index-selective */
#define VTD_DESC_IEC_IM      GENMASK64(31, 27)
#define VTD_DESC_IEC_IIDX    GENMASK64(47, 32)
/* Invalidation wait (type 5) */
#define VTD_DESC_WAIT_IF     BIT64(4)
#define VTD_DESC_WAIT_SW     BIT64(5)
#define VTD_DESC_WAIT_FN     BIT64(6)
#define VTD_DESC_WAIT_PD     BIT64(7)
#define VTD_DESC_WAIT_DATA   GENMASK64(63, 32)
#define VTD_DESC_WAIT_ADDR   GENMASK64(63, 2) /* qw1 */
/* PASID-based IOTLB (6), PASID cache (7), PASID-based device-TLB (8) */
#define VTD_DESC_P_G         GENMASK64(5, 4)
#define VTD_DESC_P_DID       GENMASK64(31, 16)
#define VTD_DESC_P_PASID     GENMASK64(51, 32)
#define VTD_DESC_PDT_MIP     GENMASK64(8, 4)
#define VTD_DESC_PDT_SID     GENMASK64(31, 16)
#define VTD_DESC_PDT_G       BIT64(0)  /* qw1: all PASIDs */
#define VTD_DESC_PDT_S       BIT64(11) /* qw1 */

unsigned vtd_desc_type(const struct vtd_desc *d);
const char *vtd_desc_type_name(unsigned type);

/* Builders (6.5.2.1-6.5.2.8). Fields are masked to their width; anything
 * else (reserved bits, other types) a test ORs in itself. */
struct vtd_desc vtd_desc_cc(unsigned gran, uint16_t did, uint16_t sid,
                            unsigned fm);
struct vtd_desc vtd_desc_iotlb(const struct vtd_iotlb_req *r);
struct vtd_desc vtd_desc_devtlb(uint16_t sid, uint16_t pfsid, unsigned mip,
                                uint64_t addr, bool size);
struct vtd_desc vtd_desc_iec(bool index_selective, uint16_t iidx, unsigned im);
/* flags: VTD_DESC_WAIT_IF | _SW | _FN | _PD */
struct vtd_desc vtd_desc_wait(uint64_t flags, uint32_t data,
                              uint64_t status_pa);
struct vtd_desc vtd_desc_piotlb(unsigned gran, uint16_t did, uint32_t pasid,
                                uint64_t addr, unsigned am, bool ih);
struct vtd_desc vtd_desc_pc(unsigned gran, uint16_t did, uint32_t pasid);
/* global: GI, every PASID of the device (6.5.2.6) */
struct vtd_desc vtd_desc_pdevtlb(uint16_t sid, uint16_t pfsid, unsigned mip,
                                 uint32_t pasid, uint64_t addr, bool size,
                                 bool global);

/* What the unit showed when a queue operation failed. */
struct vtd_qi_err {
    int err; /* VTD_EIQE, _EICE, _EITE, _ETIMEDOUT */
    uint32_t fsts;
    uint64_t iqh, iqt, iqercd;
    unsigned head;        /* descriptor index at IQH */
    struct vtd_desc desc; /* the descriptor at IQH */
};

struct vtd_qi {
    struct vtd_unit *u;
    void *queue;
    uint64_t queue_pa;
    unsigned qs;               /* IQA.QS: 2^qs pages */
    bool dw;                   /* 256-bit descriptors */
    unsigned nent;             /* descriptors in the queue */
    unsigned tail;             /* software tail (index) */
    unsigned last_type;        /* type of the last descriptor submitted */
    volatile uint32_t *status; /* wait status words */
    uint64_t status_pa;
    uint32_t seq;          /* last status value asked for */
    uint32_t ics;          /* ICS read when the last wait completed */
    struct vtd_qi_err err; /* the last error */
};

/* Allocate a queue of 2^qs pages (0..7), with 256-bit descriptors when dw
 * (needs ECAP.SMTS). Needs ECAP.QI. Does not enable it. */
int vtd_qi_init(struct vtd_qi *qi, struct vtd_unit *u, unsigned qs, bool dw);
void vtd_qi_destroy(struct vtd_qi *qi);

/* 6.5.2 / 10.4.4: no register-based invalidation pending, IQT = 0, IQA,
 * then QIE, acknowledged by QIES. */
int vtd_qi_enable(struct vtd_qi *qi);

/* Give up a queue that cannot be made to flow again (every descriptor
 * it would fetch is refused, e.g. 128-bit ones under TTM=01, 6.5.2):
 * what it holds is dropped (IQT set to IQH, so it is idle, as 10.4.4 asks
 * before QIE is cleared), its error cleared, and QI turned off. */
int vtd_qi_abandon(struct vtd_qi *qi);

/* QIE off. 10.4.4: only when the queue is idle (IQH == IQT) after an
 * invalidation wait, so a wait is queued first when the last descriptor
 * was something else. A unit that ignores the request times out. */
int vtd_qi_disable(struct vtd_qi *qi);

/* Free descriptor slots (one always stays empty: IQT never meets IQH). */
unsigned vtd_qi_free(const struct vtd_qi *qi);

/* Copy n descriptors at the tail (wrapping at the end of the queue) and
 * move IQT past them. Waits (bounded) for room. No validation. */
int vtd_qi_submit(struct vtd_qi *qi, const struct vtd_desc *d, unsigned n);

/* Queue an invalidation wait with SW=1 (plus flags: VTD_DESC_WAIT_IF,
 * _FN, _PD) and wait until its status write lands, checking FSTS on each
 * poll. With IF, qi->ics has ICS as seen afterwards. */
int vtd_qi_wait(struct vtd_qi *qi, uint64_t flags);

/* Queue one invalidation wait with exactly these flags (VTD_DESC_WAIT_IF,
 * _SW, _FN, _PD; none at all is a malformed descriptor) and wait for it:
 * for its status write when SW (to a word of its own, not the one
 * vtd_qi_wait uses), else for IQH to pass it. Checks FSTS on each poll.
 * qi->ics has ICS as seen afterwards. For tests of the wait descriptor
 * itself (6.5.2.8). */
int vtd_qi_wait_raw(struct vtd_qi *qi, uint64_t flags);

/* Submit and wait: the usual way to invalidate. */
int vtd_qi_sync(struct vtd_qi *qi, const struct vtd_desc *d, unsigned n);

/* Wait until IQH reaches the software tail (for waits without SW),
 * checking FSTS on each poll. */
int vtd_qi_drain(struct vtd_qi *qi);

/* Recover from a queue error (6.5.2.10): replace the descriptor at IQH by
 * a harmless invalidation wait, write the software tail (so a bad one is
 * gone before fetching resumes), clear IQE/ICE/ITE, and write IQT again
 * (QEMU fetches again only on a tail write). */
int vtd_qi_recover(struct vtd_qi *qi);

/* Raw access for tests: write IQT as given (the software tail is kept);
 * write a descriptor into slot index without moving the tail. */
void vtd_qi_write_tail_raw(struct vtd_qi *qi, uint64_t iqt);
void vtd_qi_write_slot(struct vtd_qi *qi, unsigned index,
                       const struct vtd_desc *d);

/* Print a queue error (one "# " line). */
void vtd_qi_err_print(const struct vtd_qi_err *e);

#endif
