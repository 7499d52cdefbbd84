/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/shadow/fuzz_notify.c — libFuzzer over the notifier layer.
 *
 * A guest with a working set-up (root and context tables, three devices in
 * two domains, some leaves of each size, caching mode, translation on)
 * lets the input corrupt any word of its tables, write the unit's
 * registers (invalidations of every kind, GCMD, the queue), reset it, make
 * DMA requests and ask for replays. Whatever the tables hold, the layer
 * must not crash or read out of bounds, and its host side must stay
 * consistent: no container ever refuses an event (no MAP over a mapping,
 * no UNMAP that splits one, no duplicate), and each group's shadow is
 * exactly what its container holds. The fuzzer traps when either breaks.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/shadow/container.h"
#include "harness/shadow/vhost.h"
#include "model/vtd_model.h"
#include "model/vtd_notify.h"
#include "model/vtd_regs.h"

#define RAM   (256u << 10)
#define ROOT  0x1000u
#define CTX0  0x2000u /* bus 0 */
#define CTX1  0x3000u /* bus 1 */
#define QUEUE 0x4000u
#define DOM_A 0x10000u /* tables of domain A from here */
#define DOM_B 0x20000u

static uint8_t ram[RAM];

static int rd(void *o, uint64_t gpa, void *buf, size_t len)
{
    if (gpa >= RAM || len > RAM - gpa)
        return -1;
    memcpy(buf, ram + gpa, len);
    return 0;
}

static int wr(void *o, uint64_t gpa, const void *buf, size_t len)
{
    if (gpa >= RAM || len > RAM - gpa)
        return -1;
    memcpy(ram + gpa, buf, len);
    return 0;
}

static void w64(uint64_t pa, uint64_t v)
{
    memcpy(ram + pa, &v, 8);
}

struct in {
    const uint8_t *p;
    size_t n;
};

static uint64_t take(struct in *in, unsigned bytes)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < bytes && in->n; i++, in->n--)
        v |= (uint64_t)*in->p++ << (8 * i);
    return v;
}

/* 4-level tables: root at base, one table per level after it. */
static void domain(uint64_t base, uint64_t pa)
{
    memset(ram + base, 0, 0x8000);
    w64(base, (base + 0x1000) | 3);                           /* L4[0] */
    w64(base + 0x1000, (base + 0x2000) | 3);                  /* L3[0] */
    w64(base + 0x1000 + 8, (pa + 0x40000000) | MV_SL_PS | 3); /* 1G at 1G */
    w64(base + 0x2000, (base + 0x3000) | 3);                  /* L2[0] */
    w64(base + 0x2000 + 8, (pa + 0x200000) | MV_SL_PS | 1);   /* 2M at 2M */
    for (unsigned i = 0; i < 16; i++)                         /* L1: 16 pages */
        w64(base + 0x3000 + i * 8, (pa + i * 0x1000) | (i % 3 + 1));
}

struct cons {
    struct shc *c;
    struct vtd_notify_consumer *con;
};

static void check(struct cons *k, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        struct iova_iter it;
        struct vtd_notify_state st;
        size_t count = 0;

        if (!k[i].con)
            continue;
        if (k[i].c->errors)
            __builtin_trap(); /* the layer provoked a refusal */
        vtd_notify_state(k[i].con, &st);
        iova_tree_seek(k[i].c->maps, 0, &it);
        while (iova_iter_get(&it)) {
            count++;
            iova_iter_next(&it);
        }
        /* one group per container here: the shadow is the container */
        if (count != st.entries)
            __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct in in = { data, size };
    unsigned cfgb = (unsigned)take(&in, 1);
    struct vtd_config cfg = {
        .aw_bits = (cfgb & 1) ? 57 : 48,
        .caching_mode = true,
        .pass_through = true,
        .device_iotlb = true,
        .large_pages = true,
        .mamv = 18,
        .nfr = 4,
        .intr_remap = (cfgb & 2) != 0,
        .cache_policy = (enum vtd_cache_policy)((cfgb >> 2) % 3),
        .esrtps = (cfgb & 16) != 0,
        .cache_entries = 16,
        .scalable_mode = (cfgb & 32) != 0,
        .first_stage = (cfgb & 32) != 0,
        .pasid = (cfgb & 32) != 0,
    };
    struct vtd_env env = { .mem_read = rd, .mem_write = wr };
    struct vtd_model *m;
    struct vtd_notifier *n;
    struct cons k[3] = { { 0 } };
    struct shv v;
    uint64_t iva;
    int box;

    memset(ram, 0, sizeof(ram));
    w64(ROOT, CTX0 | 1);
    w64(ROOT + 16, CTX1 | 1);
    domain(DOM_A, 0x100000000ull);
    domain(DOM_B, 0x200000000ull);
    w64(CTX0 + 0x08 * 16 + 8, 1 << 8 | 2); /* 00:01.0 -> A */
    w64(CTX0 + 0x08 * 16, DOM_A | 1);
    w64(CTX0 + 0x10 * 16 + 8, 1 << 8 | 2); /* 00:02.0 -> A */
    w64(CTX0 + 0x10 * 16, DOM_A | 1);
    w64(CTX1 + 0x00 * 16 + 8, 2 << 8 | 2); /* 01:00.0 -> B */
    w64(CTX1 + 0x00 * 16, DOM_B | 1);
    m = vtd_model_create(&cfg, &env, NULL);
    if (!m)
        return 0;
    n = vtd_notify_create(m);
    vtd_notify_set_walk_budget(n, 64);
    iva = ((vtd_model_ecap(m) >> 8) & 0x3FF) * 16;
    vtd_mmio_write(m, MV_REG_RTADDR, 8, ROOT | ((cfgb & 32) ? 1u << 10 : 0));
    vtd_mmio_write(m, MV_REG_GCMD, 4, MV_GCMD_SRTP);
    vtd_mmio_write(m, MV_REG_GCMD, 4, MV_GCMD_TE);
    for (unsigned i = 0; i < 3; i++)
        k[i].c = shc_new("fuzz", 64, 1u << 20);
    {
        struct vtd_notify_reg r0 = { .sid = 0x0008,
                                     .flags = VTD_NOTIFY_MAP | VTD_NOTIFY_UNMAP,
                                     .first = 0,
                                     .last = 0xFEDFFFFF,
                                     .container = &box,
                                     .notify = shc_notify,
                                     .opaque = k[0].c };
        struct vtd_notify_reg r1 = r0, r2 = r0, rv = r0;

        r1.sid = 0x0010;
        r1.first = 0xFEF00000;
        r1.last = ~0ull;
        r1.container = NULL;
        r1.opaque = k[1].c;
        r2.sid = 0x0100;
        r2.first = 0x101000;
        r2.last = 0xBFFFEFFF;
        r2.container = NULL;
        r2.opaque = k[2].c;
        k[0].con = vtd_notify_register(n, &r0, NULL);
        k[1].con = vtd_notify_register(n, &r1, NULL);
        k[2].con = vtd_notify_register(n, &r2, NULL);
        if (cfgb & 64) {
            /* a second device in the first container's group */
            r0.sid = 0x0010;
            vtd_notify_register(n, &r0, NULL);
        }
        shv_init(&v, m, 0x0010);
        rv.sid = 0x0010;
        rv.flags = VTD_NOTIFY_UNMAP;
        rv.first = 0;
        rv.last = ~0ull;
        rv.container = NULL;
        rv.notify = shv_notify;
        rv.opaque = &v;
        vtd_notify_register(n, &rv, NULL);
    }
    check(k, 3);
    for (unsigned steps = 0; steps < 64 && in.n; steps++) {
        unsigned op = (unsigned)take(&in, 1);

        switch (op % 8) {
        case 0: /* corrupt a table word (tables, contexts, root) */
        case 1: {
            uint64_t off = (take(&in, 2) * 8) % 0x28000;

            w64(off, take(&in, 8));
            break;
        }
        case 2: { /* a plausible edit: clear or set R/W, PS, address */
            uint64_t off = (take(&in, 2) * 8) % 0x28000, e;

            memcpy(&e, ram + off, 8);
            e ^= take(&in, 1) & 0x83;
            w64(off, e);
            break;
        }
        case 3: { /* an invalidation through the registers */
            unsigned kind = (unsigned)take(&in, 1);
            uint64_t did = take(&in, 1) & 3, addr = take(&in, 5) << 12;

            if (kind & 1) {
                vtd_mmio_write(m, iva, 8, addr | (kind >> 2 & 0x3F));
                vtd_mmio_write(m, iva + 8, 8,
                               MV_IOTLB_IVT |
                                   (uint64_t)((kind >> 1 & 1) ? 3 : 2) << 60 |
                                   did << 32);
            } else {
                vtd_mmio_write(m, MV_REG_CCMD, 8,
                               MV_CCMD_ICC |
                                   (uint64_t)(1 + (kind >> 1) % 3) << 61 |
                                   take(&in, 2) << 16 | did);
            }
            break;
        }
        case 4: /* any register */
            vtd_mmio_write(m, take(&in, 1) & 0xF8, 8, take(&in, 8));
            break;
        case 5: { /* a queued descriptor */
            uint64_t q0 = take(&in, 8), q1 = take(&in, 8);

            w64(QUEUE, q0);
            w64(QUEUE + 8, q1);
            vtd_mmio_write(m, MV_REG_IQA, 8, QUEUE);
            vtd_mmio_write(m, MV_REG_IQT, 8, 0);
            vtd_mmio_write(m, MV_REG_GCMD, 4, MV_GCMD_TE | MV_GCMD_QIE);
            vtd_mmio_write(m, MV_REG_IQT, 8, 16);
            vtd_mmio_write(m, MV_REG_GCMD, 4, MV_GCMD_TE);
            break;
        }
        case 6: { /* DMA and replay */
            uint64_t out;

            shv_access(&v, take(&in, 5) << 12, &out);
            if (k[op >> 3 & 1].con)
                vtd_notify_replay(k[op >> 3 & 1].con);
            break;
        }
        default:
            if ((op >> 3) == 0)
                vtd_model_reset(m);
            else
                vtd_mmio_write(m, MV_REG_GCMD, 4,
                               (op & 0x80) ? MV_GCMD_TE | MV_GCMD_SRTP : 0);
            break;
        }
        check(k, 3);
    }
    vtd_notify_destroy(n);
    vtd_model_destroy(m);
    for (unsigned i = 0; i < 3; i++)
        shc_free(k[i].c);
    return 0;
}
