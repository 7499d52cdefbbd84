/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Page requests: the page request queue registers, requests queued with
 * the event protocol, overflow and its automatic responses, refused
 * requests and their faults, and page group response descriptors.
 */
#include "tests/model/mtest.h"

#define SID 0x0110 /* 01:02.0 */

struct resp_log {
    unsigned n;
    struct vtd_page_response last;
};
static struct resp_log resp;

static void on_response(void *o, const struct vtd_page_response *r)
{
    resp.n++;
    resp.last = *r;
}

struct prq {
    struct mt *t;
    uint64_t ctxt, pq;
};

static struct prq setup(bool prs, unsigned pqs)
{
    struct vtd_config c = mt_default_config();
    struct vtd_env env;
    struct prq p;

    c.scalable_mode = true;
    c.pasid = true;
    c.page_requests = prs;
    c.eim = true;
    p.t = mt_new(&c);
    /* re-create with the response callback */
    vtd_model_destroy(p.t->m);
    env = (struct vtd_env){
        .opaque = p.t,
        .mem_read = mt_read,
        .mem_write = mt_write,
        .msi = mt_msi,
        .devtlb_inval = mt_devtlb,
        .page_response = on_response,
    };
    p.t->m = vtd_model_create(&c, &env, NULL);
    mt_set_root(p.t, 1);
    mt_gcmd(p.t, MV_GCMD_TE, 1);
    p.ctxt = mt_page(p.t);
    mt_w64m(p.t, p.t->root + 16, p.ctxt | 1);
    p.pq = 0;
    for (unsigned i = 0; i < (1u << pqs); i++) {
        uint64_t pg = mt_page(p.t);

        if (!i)
            p.pq = pg;
    }
    if (prs) {
        mt_w64(p.t, MV_REG_PQA, p.pq | pqs);
        mt_w64(p.t, MV_REG_PQH, 0);
        mt_w64(p.t, MV_REG_PQT, 0);
        mt_w32(p.t, MV_REG_PEDATA, 0x4242);
        mt_w32(p.t, MV_REG_PEADDR, 0xFEE00000u);
    }
    memset(&resp, 0, sizeof(resp));
    return p;
}

/* SM context entry for SID: PRE, PASIDE, DTE as asked; then TE off/on. */
static void ctx(struct prq *p, bool pre, bool paside, bool fpd)
{
    uint64_t a = p->ctxt + (SID & 0x7F) * 32ull;

    mt_w64m(p->t, a + 8, 0);
    mt_w64m(p->t, a,
            mt_page(p->t) | 1 | (fpd ? 2 : 0) | 1 << 2 | (paside ? 1 << 3 : 0) |
                (pre ? 1 << 4 : 0));
    mt_gcmd(p->t, MV_GCMD_TE, 0);
    mt_gcmd(p->t, MV_GCMD_TE, 1);
}

static enum vtd_prq_status req(struct prq *p, uint64_t addr, bool lpig,
                               uint16_t prgi, uint8_t *fr)
{
    struct vtd_page_request r = {
        .sid = SID,
        .has_pasid = true,
        .pasid = 0x1234,
        .addr = addr,
        .read = true,
        .write = true,
        .lpig = lpig,
        .prgi = prgi,
    };

    return vtd_page_request(p->t->m, &r, fr);
}

static void test_registers(void)
{
    struct prq p = setup(false, 0);

    TAP_OK(!(vtd_model_ecap(p.t->m) & (MV_ECAP_PRS | MV_ECAP_PDS)),
           "without page requests ECAP.PRS and PDS are clear");
    mt_w64(p.t, MV_REG_PQA, 0x123000);
    TAP_EQ_U64(mt_r64(p.t, MV_REG_PQA), 0, "PQA is a hole without PRS");
    TAP_EQ_U64(req(&p, 0x1000, true, 1, NULL), VTD_PRQ_UNSUPPORTED,
               "a page request without PRS is unsupported");
    TAP_EQ_U64(resp.n, 0, "and gets no response");
    mt_free(p.t);

    p = setup(true, 0);
    TAP_OK((vtd_model_ecap(p.t->m) & (MV_ECAP_PRS | MV_ECAP_PDS)) ==
               (MV_ECAP_PRS | MV_ECAP_PDS),
           "ECAP.PRS and PDS are set");
    vtd_model_reset(p.t->m);
    TAP_EQ_U64(mt_r32(p.t, MV_REG_PECTL), MV_ECTL_IM,
               "PECTL resets to IM=1, IP=0");
    TAP_EQ_U64(mt_r64(p.t, MV_REG_PQA), 0, "PQA resets to 0");
    mt_w64(p.t, MV_REG_PQH, ~0ull);
    TAP_EQ_U64(mt_r64(p.t, MV_REG_PQH), MV_PQ_PTR, "PQH keeps bits 18:5");
    mt_w64(p.t, MV_REG_PQT, ~0ull);
    TAP_EQ_U64(mt_r64(p.t, MV_REG_PQT), MV_PQ_PTR, "PQT keeps bits 18:5");
    mt_w64(p.t, MV_REG_PQA, ~0ull);
    TAP_EQ_U64(mt_r64(p.t, MV_REG_PQA), MV_PQA_PQA | MV_PQA_PQS,
               "PQA keeps 63:12 and 2:0");
    mt_w32(p.t, MV_REG_PQA + 4, 0);
    TAP_EQ_U64(mt_r64(p.t, MV_REG_PQA), 0xFFFFF007ull,
               "a dword write to PQA's upper half");
    mt_w32(p.t, MV_REG_PEADDR, 0xFEE00003u);
    TAP_EQ_U64(mt_r32(p.t, MV_REG_PEADDR), 0xFEE00000u,
               "PEADDR bits 1:0 are reserved");
    mt_w32(p.t, MV_REG_PEUADDR, 0x12);
    TAP_EQ_U64(mt_r32(p.t, MV_REG_PEUADDR), 0x12, "PEUADDR is RW with EIM");
    mt_w32(p.t, MV_REG_PRS, 3);
    TAP_EQ_U64(mt_r32(p.t, MV_REG_PRS), 0,
               "PRS: writing 1 to clear bits "
               "that are clear changes nothing");
    TAP_EQ_U64(vtd_mmio_read(p.t->m, MV_REG_PRS, 2), 0,
               "a 2-byte read reads 0");
    mt_free(p.t);
}

static void test_queue(void)
{
    struct prq p = setup(true, 0);
    uint64_t d0, d1;

    ctx(&p, true, true, false);
    mt_w32(p.t, MV_REG_PECTL, 0);
    p.t->nmsi = 0;
    TAP_EQ_U64(req(&p, 0x7654321ABC, true, 0x155, NULL), VTD_PRQ_QUEUED,
               "a request on a PRE=1 context is queued");
    TAP_EQ_U64(mt_r64(p.t, MV_REG_PQT), 32, "PQT advances by 32 bytes");
    TAP_EQ_U64(mt_r32(p.t, MV_REG_PRS), MV_PRS_PPR, "PRS.PPR is set");
    TAP_EQ_U64(p.t->nmsi, 1, "one page request event");
    TAP_EQ_U64(p.t->msi_data[0], 0x4242, "with PEDATA");
    TAP_EQ_U64(p.t->msi_addr[0], 0xFEE00000ull, "to PEADDR");
    d0 = mt_r64m(p.t, p.pq);
    d1 = mt_r64m(p.t, p.pq + 8);
    TAP_EQ_U64(d0 & 0xFF, 1, "descriptor type 1 (page request)");
    TAP_EQ_U64((d0 >> 8) & 1, 1, "PASID present");
    TAP_EQ_U64((d0 >> 16) & 0xFFFF, SID, "requester id");
    TAP_EQ_U64((d0 >> 32) & 0xFFFFF, 0x1234, "PASID");
    TAP_EQ_U64(d1 & 3, 3, "read and write requested");
    TAP_EQ_U64((d1 >> 2) & 1, 1, "LPIG");
    TAP_EQ_U64((d1 >> 3) & 0x1FF, 0x155, "page request group index");
    TAP_EQ_U64(d1 & ~0xFFFull, 0x7654321000ull, "page address");
    TAP_EQ_U64(resp.n, 0, "a queued request gets no response from the unit");

    TAP_EQ_U64(req(&p, 0x2000, false, 2, NULL), VTD_PRQ_QUEUED,
               "a second request is queued");
    TAP_EQ_U64(p.t->nmsi, 1, "no event while PPR is still set");
    mt_w32(p.t, MV_REG_PRS, MV_PRS_PPR);
    req(&p, 0x3000, false, 3, NULL);
    TAP_EQ_U64(p.t->nmsi, 2, "after PPR is cleared the next request signals");

    /* masked: IP pends until IM is cleared */
    mt_w32(p.t, MV_REG_PECTL, MV_ECTL_IM);
    mt_w32(p.t, MV_REG_PRS, MV_PRS_PPR);
    req(&p, 0x4000, false, 4, NULL);
    TAP_EQ_U64(p.t->nmsi, 2, "masked: no message");
    TAP_EQ_U64(mt_r32(p.t, MV_REG_PECTL), MV_ECTL_IM | MV_ECTL_IP,
               "masked: PECTL.IP set");
    mt_w32(p.t, MV_REG_PECTL, 0);
    TAP_EQ_U64(p.t->nmsi, 3, "unmasking sends the pending message");
    TAP_EQ_U64(mt_r32(p.t, MV_REG_PECTL), 0, "and clears IP");
    mt_free(p.t);
}

static void test_overflow(void)
{
    struct prq p = setup(true, 0); /* 4 KiB: 128 entries */
    enum vtd_prq_status st = VTD_PRQ_QUEUED;
    unsigned queued = 0;

    ctx(&p, true, true, false);
    for (unsigned i = 0; i < 200 && st == VTD_PRQ_QUEUED; i++) {
        st = req(&p, 0x1000ull * i, false, 1, NULL);
        queued += st == VTD_PRQ_QUEUED;
    }
    TAP_EQ_U64(queued, 127, "a 128-entry queue takes 127 requests");
    TAP_EQ_U64(st, VTD_PRQ_OVERFLOW, "the next one overflows");
    TAP_EQ_U64(mt_r32(p.t, MV_REG_PRS) & MV_PRS_PRO, MV_PRS_PRO,
               "PRS.PRO is set");
    TAP_EQ_U64(resp.n, 0,
               "an overflowing request without LPIG is not answered");
    TAP_EQ_U64(req(&p, 0x5000, true, 7, NULL), VTD_PRQ_OVERFLOW,
               "LPIG request overflows too");
    TAP_EQ_U64(resp.n, 1, "and is answered by the unit");
    TAP_EQ_U64(resp.last.code, VTD_PRC_SUCCESS, "with success (retry)");
    TAP_OK(resp.last.from_unit && resp.last.prgi == 7 && resp.last.sid == SID &&
               resp.last.has_pasid && resp.last.pasid == 0x1234,
           "naming the group, requester and PASID");
    mt_w64(p.t, MV_REG_PQH, 64 * 32);
    TAP_EQ_U64(req(&p, 0x6000, false, 1, NULL), VTD_PRQ_OVERFLOW,
               "with PRO still set, room in the queue is not used");
    mt_w32(p.t, MV_REG_PRS, MV_PRS_PRO);
    TAP_EQ_U64(req(&p, 0x6000, false, 1, NULL), VTD_PRQ_QUEUED,
               "after PRO is cleared requests are queued again");
    TAP_EQ_U64(mt_r64(p.t, MV_REG_PQT), 0, "the tail wraps to 0");
    TAP_EQ_U64(mt_r64m(p.t, p.pq + 127 * 32 + 8) & ~0xFFFull, 0x6000,
               "the request went to the last slot");
    TAP_EQ_U64(req(&p, 0x7000, false, 1, NULL), VTD_PRQ_QUEUED,
               "and the next one to the queue's start");
    TAP_EQ_U64(mt_r64m(p.t, p.pq + 8) & ~0xFFFull, 0x7000, "at offset 0");
    mt_free(p.t);

    p = setup(true, 1); /* 8 KiB: 256 entries */
    ctx(&p, true, true, false);
    queued = 0;
    for (unsigned i = 0; i < 300; i++)
        queued += req(&p, 0x1000, false, 1, NULL) == VTD_PRQ_QUEUED;
    TAP_EQ_U64(queued, 255, "PQS=1: 255 requests fit");
    mt_free(p.t);

    p = setup(true, 0);
    ctx(&p, true, true, false);
    mt_w64(p.t, MV_REG_PQA, (MT_RAM_SIZE + 0x100000ull) | 0);
    TAP_EQ_U64(req(&p, 0x1000, true, 9, NULL), VTD_PRQ_OVERFLOW,
               "a queue outside RAM: the request is dropped as overflow");
    TAP_OK(resp.n == 1 && resp.last.code == VTD_PRC_SUCCESS,
           "and answered so that the device retries");
    mt_free(p.t);
}

static void test_refused(void)
{
    struct prq p = setup(true, 0);
    uint8_t fr = 0xFF;
    uint64_t hi;

    mt_gcmd(p.t, MV_GCMD_TE, 0);
    TAP_EQ_U64(req(&p, 0x1000, true, 3, &fr), VTD_PRQ_REFUSED,
               "translation off: refused");
    TAP_EQ_U64(fr, 0, "without a fault");
    TAP_OK(resp.n == 1 && resp.last.code == VTD_PRC_INVALID &&
               resp.last.prgi == 3,
           "answered invalid request");
    mt_gcmd(p.t, MV_GCMD_TE, 1);

    TAP_EQ_U64(req(&p, 0x1000, true, 3, &fr), VTD_PRQ_REFUSED,
               "context entry not present: refused");
    TAP_EQ_U64(fr, MV_FR_SM_CTX_P, "fault 0x41");
    hi = mt_take_fault(p.t, 0, NULL);
    TAP_EQ_U64(mt_fr(hi), MV_FR_SM_CTX_P, "recorded");
    mt_clear_faults(p.t);

    ctx(&p, false, true, false);
    resp.n = 0;
    TAP_EQ_U64(req(&p, 0x2000, true, 4, &fr), VTD_PRQ_REFUSED,
               "PRE=0: refused");
    TAP_EQ_U64(fr, MV_FR_SM_PRE, "fault 0x47");
    TAP_EQ_U64(mt_fr(mt_take_fault(p.t, 1, NULL)), MV_FR_SM_PRE, "recorded");
    TAP_OK(resp.n == 1 && resp.last.code == VTD_PRC_INVALID,
           "answered invalid request");
    mt_clear_faults(p.t);

    ctx(&p, false, true, true);
    req(&p, 0x2000, true, 4, &fr);
    TAP_EQ_U64(mt_r32(p.t, MV_REG_FSTS) & 2, 0, "PRE=0 with FPD: not recorded");

    ctx(&p, true, false, false);
    TAP_EQ_U64(req(&p, 0x2000, false, 4, &fr), VTD_PRQ_REFUSED,
               "request with PASID, PASIDE=0: refused");
    TAP_EQ_U64(fr, MV_FR_SM_PASIDE, "fault 0x45");
    mt_clear_faults(p.t);

    mt_set_root(p.t, 0);
    TAP_EQ_U64(req(&p, 0x2000, false, 4, &fr), VTD_PRQ_REFUSED,
               "legacy root table: refused");
    TAP_EQ_U64(fr, MV_FR_SM_LEGACY_PRQ, "fault 0x32");
    TAP_EQ_U64(mt_r64(p.t, MV_REG_PQT), 0, "nothing was queued");
    mt_free(p.t);

    /* PRE=1 without ECAP.PRS is invalid programming */
    p = setup(false, 0);
    ctx(&p, true, true, false);
    {
        struct vtd_xlate x = mt_dma(p.t, SID, 0x1000, VTD_ACC_READ);

        TAP_EQ_U64(x.fault_reason, MV_FR_SM_CTX_INV,
                   "PRE=1 without ECAP.PRS: invalid context entry (0x43)");
    }
    mt_free(p.t);
}

static void test_response_desc(void)
{
    struct prq p = setup(true, 0);
    uint64_t q0 = MV_QI_PGRP_RESP | BIT64(4) | (uint64_t)VTD_PRC_FAILURE << 12 |
                  (uint64_t)SID << 16 | (uint64_t)0xABCDE << 32;
    uint64_t q1 = BIT64(2) | (uint64_t)0x1AA << 3;

    mt_qi_enable(p.t, 1);
    TAP_OK(mt_qi_sync(p.t, q0, q1), "page group response: the queue completes");
    TAP_EQ_U64(resp.n, 1, "one response reaches the device");
    TAP_OK(resp.last.sid == SID && resp.last.has_pasid &&
               resp.last.pasid == 0xABCDE &&
               resp.last.code == VTD_PRC_FAILURE && resp.last.lpig &&
               resp.last.prgi == 0x1AA && !resp.last.from_unit &&
               !resp.last.has_data,
           "with every field of the descriptor");

    mt_qi_submit(p.t, q0 | BIT64(5), q1, 0x1111, 0x2222);
    TAP_OK(resp.n == 2 && resp.last.has_data && resp.last.data[0] == 0x1111 &&
               resp.last.data[1] == 0x2222,
           "PDP: private data from bits 255:128");
    mt_qi_submit(p.t, q0, q1, 0x1111, 0);
    TAP_OK(mt_r32(p.t, MV_REG_FSTS) & MV_FSTS_IQE,
           "bits 255:128 set without PDP: IQE");
    TAP_EQ_U64(mt_r64(p.t, MV_REG_IQERCD) & 0xF, MV_IQEI_RSVD, "IQEI=4");
    mt_free(p.t);

    struct {
        uint64_t q0, q1;
        const char *what;
    } bad[] = {
        { (q0 & ~GENMASK64(15, 12)) | 2ull << 12, q1, "response code 2" },
        { q0 | BIT64(7), q1, "qw0 bit 7" },
        { q0 | BIT64(60), q1, "qw0 bit 60" },
        { q0, q1 | 1, "qw1 bit 0" },
        { q0, q1 | BIT64(12), "qw1 bit 12" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        p = setup(true, 0);
        mt_qi_enable(p.t, 1);
        TAP_OK(!mt_qi_sync(p.t, bad[i].q0, bad[i].q1) &&
                   (mt_r32(p.t, MV_REG_FSTS) & MV_FSTS_IQE) && resp.n == 0 &&
                   (mt_r64(p.t, MV_REG_IQERCD) & 0xF) == MV_IQEI_RSVD,
               "reserved %s: IQE, IQEI=4, no response", bad[i].what);
        TAP_EQ_U64(mt_r64(p.t, MV_REG_IQH), 0,
                   "IQH stays at the bad descriptor");
        mt_free(p.t);
    }
    /* Table 26, §7.6: in scalable mode a 128-bit queue takes no
     * descriptor at all, a page group response included */
    p = setup(true, 0);
    mt_qi_enable(p.t, 0);
    TAP_OK(!mt_qi_sync(p.t, q0, q1) && resp.n == 0 &&
               (mt_r64(p.t, MV_REG_IQERCD) & 0xF) == MV_IQEI_WIDTH,
           "page group response in a 128-bit queue: IQE, IQEI=5");
    mt_free(p.t);
    p = setup(true, 0);
    mt_qi_enable(p.t, 1);
    TAP_OK(mt_qi_sync(p.t, MV_QI_WAIT | BIT64(7), 0),
           "wait with PD (drain) is accepted with ECAP.PDS");
    mt_free(p.t);

    p = setup(false, 0);
    mt_qi_enable(p.t, 1);
    TAP_OK(!mt_qi_sync(p.t, q0, q1) && resp.n == 0,
           "without PRS the descriptor is rejected");
    TAP_EQ_U64(mt_r64(p.t, MV_REG_IQERCD) & 0xF, MV_IQEI_TYPE,
               "as an unknown type (IQEI=3)");
    mt_free(p.t);

    /* Table 26: in legacy mode (RTADDR.TTM=00) only types 1-5 are valid,
     * whatever the unit supports */
    p = setup(true, 0);
    mt_set_root(p.t, MV_TTM_LEGACY);
    mt_qi_enable(p.t, 1);
    TAP_OK(!mt_qi_sync(p.t, q0, q1) && resp.n == 0 &&
               (mt_r64(p.t, MV_REG_IQERCD) & 0xF) == MV_IQEI_TYPE,
           "legacy mode on a unit with PRS: page group response is an "
           "invalid type (IQEI=3)");
    mt_free(p.t);
}

int main(void)
{
    test_registers();
    test_queue();
    test_overflow();
    test_refused();
    test_response_desc();
    return tap_done();
}
