/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Cache policies beyond the IOTLB: paging-structure caches and the
 * invalidation hint, the event trace, counters, and a deterministic
 * garbage run over every register and guest page.
 */
#include "harness/rng.h"
#include "tests/model/mtest.h"

#define SID 0x0010

static struct mt *setup(enum vtd_cache_policy p, uint64_t *slpt)
{
    return mt_legacy_policy(p, false, SID, 5, slpt);
}

static uint64_t xaddr(struct mt *t, uint64_t iova)
{
    struct vtd_xlate x = mt_dma(t, SID, iova, VTD_ACC_READ);

    return x.status == VTD_XLATE_OK ? x.addr : ~0ull;
}

static void test_psc(enum vtd_cache_policy p, const char *pn)
{
    uint64_t slpt;
    struct mt *t = setup(p, &slpt);
    uint64_t pde, newpt = mt_page(t);

    mt_map(t, slpt, 4, 0x1000, 0x10000, 12, MV_SL_R | MV_SL_W);
    TAP_EQ_U64(xaddr(t, 0x1000), 0x10000, "%s: mapped", pn);
    /* replace the page table under the PDE */
    mt_w64m(t, newpt + 8, 0x20000 | MV_SL_R | MV_SL_W);
    pde = mt_pte_addr(t, slpt, 4, 0x1000, 2);
    mt_w64m(t, pde, newpt | 3);
    mt_reg_psi(t, 5, 0x1000, 0, true);
    TAP_EQ_U64(xaddr(t, 0x1000), p == VTD_CACHE_MAXIMAL ? 0x10000 : 0x20000,
               "%s: PSI with IH=1 after a non-leaf change", pn);
    mt_reg_psi(t, 5, 0x1000, 0, false);
    TAP_EQ_U64(xaddr(t, 0x1000), 0x20000,
               "%s: PSI with IH=0 drops paging-structure entries", pn);
    mt_free(t);
}

struct tlog {
    unsigned n[16];
    char last[160];
};

static void trace_cb(void *o, const struct vtd_trace_event *ev)
{
    struct mt *t = o;
    struct tlog *l = (struct tlog *)(t->ram + MT_RAM_SIZE -
                                     sizeof(struct tlog));

    l->n[__builtin_ctz(ev->kind)]++;
    vtd_trace_format(ev, l->last, sizeof(l->last));
}

static void test_trace(void)
{
    struct vtd_config c = mt_default_config();
    struct mt *t = calloc(1, sizeof(*t));
    struct vtd_env env = { .mem_read = mt_read,
                           .mem_write = mt_write,
                           .msi = mt_msi,
                           .trace = trace_cb };
    struct tlog *l;
    struct vtd_stats st;
    uint64_t slpt;

    t->ram = calloc(1, MT_RAM_SIZE);
    t->next_page = 1 << 20;
    env.opaque = t;
    l = (struct tlog *)(t->ram + MT_RAM_SIZE - sizeof(struct tlog));
    c.trace_mask = VTD_TRACE_FAULT | VTD_TRACE_WALK | VTD_TRACE_INVAL;
    t->m = vtd_model_create(&c, &env, NULL);
    mt_enable(t);
    slpt = mt_ctx(t, SID, 5, 2, 0, 0);
    mt_map(t, slpt, 4, 0x1000, 0x10000, 12, MV_SL_R);
    memset(l, 0, sizeof(*l));
    xaddr(t, 0x1000);
    TAP_EQ_U64(l->n[2], 6, "trace: root, context and 4 paging entries walked");
    TAP_EQ_U64(l->n[0] + l->n[1] + l->n[3] + l->n[4], 0,
               "trace: unselected kinds silent");
    mt_dma(t, SID, 0x1000, VTD_ACC_WRITE);
    TAP_EQ_U64(l->n[6], 1, "trace: one fault event");
    TAP_OK(strstr(l->last, "reason=0x5") != NULL, "trace text: %s", l->last);
    mt_reg_psi(t, 5, 0x1000, 0, false);
    TAP_EQ_U64(l->n[5], 1, "trace: invalidation");
    vtd_model_stats(t->m, &st);
    TAP_OK(st.translations == 2 && st.iotlb_hits == 1 && st.faults == 1 &&
               st.faults_recorded == 1 && st.walks == 1,
           "counters");
    TAP_EQ_STR(vtd_model_fault_reason_name(MV_FR_CTX_P),
               "context entry not present", "fault names");
    TAP_EQ_STR(vtd_model_fault_reason_name(0xFF), "unknown",
               "unknown fault name");
    mt_free(t);
}

static void test_names(void)
{
    static const unsigned codes[] = {
        MV_FR_ROOT_P,          MV_FR_CTX_P,
        MV_FR_CTX_INV,         MV_FR_ADDR_BEYOND,
        MV_FR_WRITE,           MV_FR_READ,
        MV_FR_PTE_ACCESS,      MV_FR_ROOT_ACCESS,
        MV_FR_CTX_ACCESS,      MV_FR_ROOT_RSVD,
        MV_FR_CTX_RSVD,        MV_FR_PTE_RSVD,
        MV_FR_ATS_BLOCKED,     MV_FR_INTR_RANGE,
        MV_FR_IR_REQ_RSVD,     MV_FR_IR_INDEX,
        MV_FR_IR_NOT_PRESENT,  MV_FR_IR_ACCESS,
        MV_FR_IR_RSVD,         MV_FR_IR_COMPAT,
        MV_FR_IR_SID,          MV_FR_SM_RTA,
        MV_FR_SM_LEGACY_PASID, MV_FR_SM_ROOT_ACCESS,
        MV_FR_SM_ROOT_P,       MV_FR_SM_ROOT_RSVD,
        MV_FR_SM_CTX_ACCESS,   MV_FR_SM_CTX_P,
        MV_FR_SM_CTX_RSVD,     MV_FR_SM_CTX_INV,
        MV_FR_SM_DTE,          MV_FR_SM_PASIDE,
        MV_FR_SM_PASID_SIZE,   MV_FR_SM_PDIR_ACCESS,
        MV_FR_SM_PDIR_P,       MV_FR_SM_PDIR_RSVD,
        MV_FR_SM_PE_ACCESS,    MV_FR_SM_PE_P,
        MV_FR_SM_PE_RSVD,      MV_FR_SM_PE_INV,
        MV_FR_SM_ERE,          MV_FR_SM_SRE,
        MV_FR_FS_ACCESS,       MV_FR_FS_P,
        MV_FR_FS_RSVD,         MV_FR_FS_PTR,
        MV_FR_SS_ACCESS,       MV_FR_SS_PERM,
        MV_FR_SS_RSVD,         MV_FR_SS_PTR,
        MV_FR_FS_CANONICAL,    MV_FR_FS_US,
        MV_FR_SM_ADDR_BEYOND,  MV_FR_FS_WRITE,
        MV_FR_SM_INTR_RANGE,
    };
    unsigned named = 0;
    char buf[160];
    struct vtd_trace_event ev = { .kind = VTD_TRACE_QI, .sid = 0x18, .a = 5 };

    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        named += strcmp(vtd_model_fault_reason_name(codes[i]), "unknown") != 0;
    TAP_EQ_U64(named, sizeof(codes) / sizeof(codes[0]),
               "every fault reason has a name");
    for (unsigned k = 0; k < 10; k++) {
        ev.kind = (enum vtd_trace_kind)(1u << k);
        vtd_trace_format(&ev, buf, sizeof(buf));
        if (buf[0] == '?')
            break;
        named++;
    }
    TAP_EQ_U64(named, sizeof(codes) / sizeof(codes[0]) + 10,
               "every trace kind has a name");
    vtd_trace_format(&ev, buf, 8);
    TAP_EQ_U64(strlen(buf), 7, "trace text is cut to the buffer");
}

/* xorshift: deterministic garbage */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

static void test_garbage(void)
{
    static const unsigned sizes[4] = { 1, 2, 4, 8 };
    unsigned survived = 0;

    for (unsigned pol = 0; pol < 3; pol++) {
        struct vtd_config c = mt_default_config();
        struct mt *t;

        c.cache_policy = (enum vtd_cache_policy)pol;
        c.scalable_mode = pol != 0;
        c.first_stage = pol == 2;
        c.pasid = pol != 0;
        c.caching_mode = pol == 1;
        c.eim = true;
        c.cache_entries = 32;
        t = mt_new(&c);
        /* garbage everywhere in the first MiB, pointers into it */
        for (unsigned i = 0; i < (1u << 20) / 8; i++)
            mt_w64m(t, i * 8ull, rnd() & (rnd() | 0xFFFFF0000000FFFFull));
        for (unsigned i = 0; i < 20000; i++) {
            uint64_t off = rnd() % 0x1000, v = rnd();
            unsigned sz = sizes[rnd() & 3];
            struct vtd_request r = { .sid = (uint16_t)rnd(),
                                     .addr = rnd() >> (rnd() & 63),
                                     .access = (unsigned)rnd() & 15,
                                     .at = (enum vtd_at)(rnd() % 3),
                                     .has_pasid = rnd() & 1,
                                     .pasid = (uint32_t)rnd() & 0xFFFFF };
            struct vtd_xlate x;
            struct vtd_irq q;

            if ((v & 3) == 0)
                v &= 0xFFFFF; /* small values: plausible pointers */
            switch (rnd() % 4) {
            case 0:
                vtd_mmio_write(t->m, off & ~(uint64_t)(sz - 1), sz, v);
                break;
            case 1:
                vtd_mmio_read(t->m, off, sz);
                break;
            case 2:
                vtd_translate(t->m, &r, &x);
                break;
            default:
                vtd_remap_msi(t->m, (uint16_t)v, 0xFEE00000 | (rnd() & 0xFFFFF),
                              (uint32_t)rnd(), &q);
                break;
            }
            if (i % 5000 == 4999)
                vtd_model_reset(t->m);
        }
        survived++;
        mt_free(t);
    }
    TAP_EQ_U64(survived, 3,
               "60000 random operations over garbage memory, 3 policies");
}

int main(void)
{
    test_psc(VTD_CACHE_MINIMAL, "minimal");
    test_psc(VTD_CACHE_MAXIMAL, "maximal");
    test_trace();
    test_names();
    test_garbage();
    return tap_done();
}
