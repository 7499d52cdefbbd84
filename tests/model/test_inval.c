/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Caches and register-based invalidation: what stays cached until which
 * invalidation, under the minimal (QEMU-like) and maximal policies, and the
 * invalidation scopes reported to the notifier hook.
 */
#include "model/vtd_internal.h" /* before mtest.h: its hook log */
#include "tests/model/mtest.h"

#define SID 0x0010

static struct mt *setup(enum vtd_cache_policy p, bool cm, uint64_t *slpt)
{
    return mt_legacy_policy(p, cm, SID, 5, slpt);
}

static void reg_cc(struct mt *t, unsigned g, unsigned did, uint16_t sid,
                   unsigned fm)
{
    mt_w64(t, MV_REG_CCMD,
           MV_CCMD_ICC | (uint64_t)g << 61 | (uint64_t)fm << 32 |
               (uint64_t)sid << 16 | did);
}

static uint64_t xaddr(struct mt *t, uint16_t sid, uint64_t iova)
{
    struct vtd_xlate x = mt_dma(t, sid, iova, VTD_ACC_READ);

    return x.status == VTD_XLATE_OK ? x.addr : ~0ull;
}

static void test_iotlb(enum vtd_cache_policy p, const char *pn)
{
    uint64_t slpt;
    struct mt *t = setup(p, false, &slpt);
    uint64_t pte;

    mt_map(t, slpt, 4, 0x1000, 0x10000, 12, MV_SL_R | MV_SL_W);
    mt_map(t, slpt, 4, 0x2000, 0x20000, 12, MV_SL_R | MV_SL_W);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x10000, "%s: first translation", pn);
    xaddr(t, SID, 0x2000);
    pte = mt_pte_addr(t, slpt, 4, 0x1000, 1);
    mt_w64m(t, pte, 0x30000 | MV_SL_R | MV_SL_W);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x10000,
               "%s: stale IOTLB entry before invalidation", pn);
    mt_reg_psi(t, 6, 0x1000, 0, false);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x10000,
               "%s: PSI of another domain leaves it", pn);
    mt_reg_psi(t, 5, 0x2000, 0, false);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x10000,
               "%s: PSI of another page leaves it", pn);
    mt_reg_psi(t, 5, 0x1000, 0, true);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x30000,
               "%s: PSI of the page refreshes it", pn);
    mt_w64m(t, pte, 0x40000 | MV_SL_R | MV_SL_W);
    mt_reg_dsi(t, 5);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x40000, "%s: DSI refreshes it", pn);
    mt_w64m(t, pte, 0x50000 | MV_SL_R | MV_SL_W);
    mt_w64(t, mt_iva_off(t) + 8, MV_IOTLB_IVT | 1ull << 60);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x50000, "%s: global refreshes it", pn);
    /* unmap: cleared PTE visible only after the PSI */
    mt_w64m(t, pte, 0);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x50000, "%s: cleared PTE still cached",
               pn);
    mt_reg_psi(t, 5, 0x1000, 0, true);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), ~0ull, "%s: after PSI the page faults",
               pn);
    mt_clear_faults(t);
    mt_free(t);
}

static void test_superpage_psi(enum vtd_cache_policy p, const char *pn)
{
    uint64_t slpt;
    struct mt *t = setup(p, false, &slpt);
    uint64_t pte;

    mt_map(t, slpt, 4, 0x40000000, 0x80000000, 30, MV_SL_R | MV_SL_W);
    TAP_EQ_U64(xaddr(t, SID, 0x40001000), 0x80001000, "%s: 1 GiB page", pn);
    TAP_EQ_U64(xaddr(t, SID, 0x7FFFF000), 0xBFFFF000,
               "%s: 1 GiB page, last 4 KiB", pn);
    pte = mt_pte_addr(t, slpt, 4, 0x40000000, 3);
    mt_w64m(t, pte, 0xC0000000 | MV_SL_PS | MV_SL_R | MV_SL_W);
    mt_reg_psi(t, 5, 0x40200000, 9, false);
    /* the maximal policy keeps a leaf an undersized PSI does not cover */
    TAP_EQ_U64(xaddr(t, SID, 0x40001000),
               p == VTD_CACHE_MAXIMAL ? 0x80001000 : 0xC0001000,
               "%s: 1 GiB leaf after a PSI of 2 MiB inside it", pn);
    TAP_EQ_U64(xaddr(t, SID, 0x7FFFF000),
               p == VTD_CACHE_MAXIMAL ? 0xBFFFF000 : 0xFFFFF000,
               "%s: same leaf, other end", pn);
    mt_reg_psi(t, 5, 0x40000000, 18, false);
    TAP_EQ_U64(xaddr(t, SID, 0x7FFFF000), 0xFFFFF000,
               "%s: PSI AM=18 over the 1 GiB page", pn);
    mt_w64m(t, pte, 0x100000000ull | MV_SL_PS | MV_SL_R | MV_SL_W);
    mt_reg_psi(t, 5, 0x40000000, 19, false);
    TAP_EQ_U64(xaddr(t, SID, 0x7FFFF000), 0xFFFFF000,
               "%s: AM above MAMV ignored", pn);
    mt_free(t);
}

static void test_context_cache(enum vtd_cache_policy p, const char *pn)
{
    uint64_t slpt, slpt2;
    struct mt *t = setup(p, false, &slpt);

    mt_map(t, slpt, 4, 0x1000, 0x10000, 12, MV_SL_R | MV_SL_W);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x10000, "%s: context cached", pn);
    /* move the device to domain 8 with new tables */
    slpt2 = mt_ctx(t, SID, 8, 2, 0, 0);
    mt_map(t, slpt2, 4, 0x1000, 0x70000, 12, MV_SL_R | MV_SL_W);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x10000, "%s: stale context before CC",
               pn);
    reg_cc(t, 3, 9, SID, 0);
    TAP_EQ_U64(xaddr(t, SID, 0x1000),
               p == VTD_CACHE_MAXIMAL ? 0x10000 : 0x70000,
               "%s: device-selective CC with a wrong DID", pn);
    reg_cc(t, 3, 5, SID ^ 4, 2);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x70000,
               "%s: device-selective CC, old DID, FM=10 ignores SID[2:1]", pn);
    slpt = mt_ctx(t, SID, 5, 2, 0, slpt);
    reg_cc(t, 2, 8, 0, 0);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x10000, "%s: domain-selective CC", pn);
    mt_ctx(t, SID, 8, 2, 0, slpt2);
    reg_cc(t, 1, 0, 0, 0);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x70000, "%s: global CC", pn);
    /* pass-through switch takes effect after the CC invalidation */
    mt_ctx(t, SID, 8, 2, 2, 0);
    reg_cc(t, 3, 8, SID, 0);
    mt_reg_dsi(t, 8);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x1000, "%s: switched to pass-through",
               pn);
    mt_ctx(t, SID, 8, 2, 0, slpt2);
    reg_cc(t, 3, 8, SID, 0);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x70000,
               "%s: switched back to translated", pn);
    mt_free(t);
}

static void test_caching_mode(void)
{
    uint64_t slpt;
    struct mt *t = setup(VTD_CACHE_MAXIMAL, true, &slpt);
    struct vtd_xlate x;

    TAP_OK(vtd_model_cap(t->m) & MV_CAP_CM, "CAP.CM set");
    x = mt_dma(t, SID, 0x3000, VTD_ACC_READ);
    TAP_OK(x.status == VTD_XLATE_FAULT, "unmapped page faults");
    mt_clear_faults(t);
    mt_map(t, slpt, 4, 0x3000, 0x33000, 12, MV_SL_R);
    x = mt_dma(t, SID, 0x3000, VTD_ACC_READ);
    TAP_OK(mt_is_fault(x, MV_FR_READ),
           "CM maximal: not-present entry cached until PSI");
    mt_clear_faults(t);
    x = mt_dma(t, SID, 0x3000, VTD_ACC_WRITE);
    TAP_OK(mt_is_fault(x, MV_FR_WRITE),
           "CM maximal: cached not-present entry faults a write with 0x5");
    mt_clear_faults(t);
    mt_reg_psi(t, 5, 0x3000, 0, false);
    TAP_EQ_U64(xaddr(t, SID, 0x3000), 0x33000,
               "CM maximal: PSI makes the new map visible");
    /* a not-present context entry is cached with DID 0 */
    x = mt_dma(t, SID + 1, 0x3000, VTD_ACC_READ);
    TAP_OK(x.fault_reason == MV_FR_CTX_P, "context not present");
    mt_clear_faults(t);
    mt_ctx(t, SID + 1, 5, 2, 0, slpt);
    x = mt_dma(t, SID + 1, 0x3000, VTD_ACC_READ);
    TAP_OK(x.fault_reason == MV_FR_CTX_P,
           "CM maximal: not-present context cached");
    mt_clear_faults(t);
    reg_cc(t, 3, 0, SID + 1, 0);
    TAP_EQ_U64(xaddr(t, SID + 1, 0x3000), 0x33000,
               "device-selective CC with DID 0 clears it");
    mt_free(t);

    t = setup(VTD_CACHE_MINIMAL, true, &slpt);
    mt_dma(t, SID, 0x3000, VTD_ACC_READ);
    mt_map(t, slpt, 4, 0x3000, 0x33000, 12, MV_SL_R);
    TAP_EQ_U64(xaddr(t, SID, 0x3000), 0x33000,
               "CM minimal: not-present entries not cached");
    mt_free(t);
}

static void test_policy_none(void)
{
    uint64_t slpt;
    struct mt *t = setup(VTD_CACHE_NONE, false, &slpt);

    mt_map(t, slpt, 4, 0x1000, 0x10000, 12, MV_SL_R | MV_SL_W);
    xaddr(t, SID, 0x1000);
    mt_w64m(t, mt_pte_addr(t, slpt, 4, 0x1000, 1), 0x20000 | MV_SL_R);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x20000,
               "no caching: change visible at once");
    mt_free(t);
}

static void test_srtp_te(void)
{
    uint64_t slpt;
    struct mt *t = setup(VTD_CACHE_MAXIMAL, false, &slpt);
    struct vtd_config c = mt_default_config();

    mt_map(t, slpt, 4, 0x1000, 0x10000, 12, MV_SL_R | MV_SL_W);
    xaddr(t, SID, 0x1000);
    mt_w64m(t, mt_pte_addr(t, slpt, 4, 0x1000, 1), 0x20000 | MV_SL_R);
    mt_gcmd(t, MV_GCMD_SRTP, 1);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x10000,
               "maximal, no ESRTPS: SRTP keeps caches");
    mt_gcmd(t, MV_GCMD_TE, 0);
    mt_gcmd(t, MV_GCMD_TE, 1);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x20000, "TE off flushes caches");
    mt_free(t);

    c.esrtps = true;
    c.cache_policy = VTD_CACHE_MAXIMAL;
    t = mt_legacy_unit(&c, SID, 5, &slpt);
    mt_map(t, slpt, 4, 0x1000, 0x10000, 12, MV_SL_R | MV_SL_W);
    xaddr(t, SID, 0x1000);
    TAP_OK(vtd_model_cap(t->m) & MV_CAP_ESRTPS, "CAP.ESRTPS");
    mt_w64m(t, mt_pte_addr(t, slpt, 4, 0x1000, 1), 0x20000 | MV_SL_R);
    mt_gcmd(t, MV_GCMD_SRTP, 1);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x20000, "ESRTPS: SRTP flushes caches");
    mt_free(t);
}

static void test_hook(void)
{
    uint64_t slpt;
    struct mt *t = setup(VTD_CACHE_MINIMAL, false, &slpt);
    struct mt_hooklog h = { 0 };

    vtd_set_inval_hook(t->m, mt_hook, &h);
    mt_reg_psi(t, 5, 0x12345000, 2, true);
    TAP_OK(h.n == 1 && h.last.kind == VTD_INV_IOTLB &&
               h.last.gran == VTD_IG_PAGE && h.last.did == 5 &&
               h.last.addr == 0x12344000 && h.last.size == 0x4000 && h.last.ih,
           "hook: PSI scope with aligned range");
    mt_reg_dsi(t, 7);
    TAP_OK(h.n == 2 && h.last.gran == VTD_IG_DOMAIN && h.last.did == 7,
           "hook: DSI scope");
    reg_cc(t, 3, 4, 0x1234, 3);
    TAP_OK(h.n == 3 && h.last.kind == VTD_INV_CONTEXT &&
               h.last.gran == VTD_IG_DEVICE && h.last.sid == 0x1234 &&
               h.last.fm == 3,
           "hook: device CC scope");
    mt_gcmd(t, MV_GCMD_TE, 0);
    TAP_OK(h.n == 4 && h.last.kind == VTD_INV_ALL,
           "hook: TE off invalidates all");
    mt_reg_psi(t, 5, 0x1000, 19, false);
    TAP_EQ_U64(h.n, 4, "hook: rejected PSI is not reported");
    mt_free(t);
}

static void test_did_width(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t;
    uint64_t slpt;

    c.did_bits = 8;
    t = mt_legacy_unit(&c, SID, 5, &slpt);
    mt_map(t, slpt, 4, 0x1000, 0x10000, 12, MV_SL_R | MV_SL_W);
    xaddr(t, SID, 0x1000);
    mt_w64m(t, mt_pte_addr(t, slpt, 4, 0x1000, 1), 0x20000 | MV_SL_R);
    mt_reg_dsi(t, 0x305);
    TAP_EQ_U64(xaddr(t, SID, 0x1000), 0x20000,
               "8-bit DIDs: DSI of 0x305 reaches domain 5");
    TAP_EQ_U64((mt_r64(t, mt_iva_off(t) + 8) >> 57) & 3, 2, "IAIG=10");
    mt_free(t);
}

static void test_capacity(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t;
    uint64_t slpt;
    unsigned okc = 0;

    c.cache_entries = 16;
    c.cache_policy = VTD_CACHE_MAXIMAL;
    t = mt_legacy_unit(&c, SID, 5, &slpt);
    for (unsigned i = 0; i < 64; i++)
        mt_map(t, slpt, 4, 0x100000 + i * 0x1000ull, 0x200000 + i * 0x1000ull,
               12, MV_SL_R);
    for (unsigned round = 0; round < 3; round++)
        for (unsigned i = 0; i < 64; i++)
            okc += xaddr(t, SID, 0x100000 + i * 0x1000ull) ==
                   0x200000 + i * 0x1000ull;
    TAP_EQ_U64(okc, 192, "16-entry caches: eviction keeps translations right");
    mt_free(t);
}

int main(void)
{
    test_iotlb(VTD_CACHE_MINIMAL, "minimal");
    test_iotlb(VTD_CACHE_MAXIMAL, "maximal");
    test_superpage_psi(VTD_CACHE_MINIMAL, "minimal");
    test_superpage_psi(VTD_CACHE_MAXIMAL, "maximal");
    test_context_cache(VTD_CACHE_MINIMAL, "minimal");
    test_context_cache(VTD_CACHE_MAXIMAL, "maximal");
    test_caching_mode();
    test_policy_none();
    test_srtp_te();
    test_hook();
    test_capacity();
    test_did_width();
    return tap_done();
}
