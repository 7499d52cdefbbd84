/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the VT-d model: the input chooses a configuration,
 * then a stream of operations — MMIO writes and reads, guest-memory
 * writes, DMA translations, interrupt remaps, resets. Guest RAM is a small
 * array so that fuzzed pointers land in it often.
 *
 * Beyond the sanitizers, a few architectural invariants are checked and a
 * violation traps.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/vtd_internal.h"
#include "model/vtd_model.h"
#include "model/vtd_regs.h"

#define RAM_SIZE (256u << 10)

static uint8_t ram[RAM_SIZE];

/*
 * Cache oracle: once every DMA cache is empty, and until memory or a
 * register is written, a cached translation must equal a walk of memory.
 */
static bool dirty, irq_dirty;
static uint64_t touched; /* 4 KiB pages of ram written this input */

static void touch(uint64_t a, size_t len)
{
    for (uint64_t p = a >> 12; p <= (a + len - 1) >> 12 && p < 64; p++)
        touched |= 1ull << p;
}

struct in {
    const uint8_t *p;
    size_t n;
};

static uint64_t take(struct in *in, unsigned bytes)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < bytes; i++) {
        v |= (uint64_t)(in->n ? *in->p : 0) << (8 * i);
        if (in->n) {
            in->p++;
            in->n--;
        }
    }
    return v;
}

static int f_read(void *o, uint64_t gpa, void *buf, size_t len)
{
    if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
        return -1;
    memcpy(buf, ram + gpa, len);
    return 0;
}

static int f_write(void *o, uint64_t gpa, const void *buf, size_t len)
{
    if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
        return -1;
    memcpy(ram + gpa, buf, len);
    touch(gpa, len);
    dirty = irq_dirty = true;
    return 0;
}

static void f_msi(void *o, uint64_t addr, uint32_t data)
{
}

/* A response names a 9-bit group, a 20-bit PASID and a defined code. */
static void f_presp(void *o, const struct vtd_page_response *r)
{
    if (r->prgi > 0x1FF || r->pasid > 0xFFFFF ||
        (r->code != 0 && r->code != 1 && r->code != 0xF))
        __builtin_trap();
}

static enum vtd_devtlb_status f_devtlb(void *o, uint16_t sid, bool hp,
                                       uint32_t pasid, uint64_t addr,
                                       uint64_t size)
{
    return (enum vtd_devtlb_status)((sid ^ addr >> 12) % 7 == 0 ? (sid & 1) + 1
                                                                : 0);
}

static int trace_print = -1; /* VTD_FUZZ_TRACE=1: print every event */

static void f_trace(void *o, const struct vtd_trace_event *ev)
{
    char buf[160];

    vtd_trace_format(ev, buf, sizeof(buf));
    if (trace_print)
        fprintf(stderr, "%s\n", buf);
}

static bool dma_caches_empty(const struct vtd_model *m)
{
    return !m->cache[CK_CONTEXT].nlive && !m->cache[CK_PASID].nlive &&
           !m->cache[CK_IOTLB].nlive && !m->cache[CK_PSC].nlive;
}

static void check(struct vtd_model *m)
{
    uint32_t fsts = (uint32_t)vtd_mmio_read(m, MV_REG_FSTS, 4);
    uint32_t gsts = (uint32_t)vtd_mmio_read(m, MV_REG_GSTS, 4);
    uint64_t iqh = vtd_mmio_read(m, MV_REG_IQH, 8);
    uint64_t iqa = vtd_mmio_read(m, MV_REG_IQA, 8);

    if (fsts >> 16)
        __builtin_trap(); /* FSTS 31:16 reserved */
    if (gsts & MV_GCMD_RSVD)
        __builtin_trap();
    if (iqh & ~MV_IQ_PTR)
        __builtin_trap();
    if (dma_caches_empty(m))
        dirty = false;
    if (!m->cache[CK_IEC].nlive)
        irq_dirty = false;
    if ((gsts & MV_GCMD_QIE) && !(fsts & MV_FSTS_IQE) &&
        iqh >= (4096ull << (iqa & 7)))
        __builtin_trap(); /* head always inside the queue */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned aws[4] = { 39, 48, 57, 48 };
    struct in in = { data, size };
    struct vtd_config c = { 0 };
    struct vtd_env env = {
        .mem_read = f_read,
        .mem_write = f_write,
        .msi = f_msi,
        .devtlb_inval = f_devtlb,
        .trace = f_trace,
        .page_response = f_presp,
    };
    struct vtd_model *m;
    uint64_t f = take(&in, 4);
    unsigned ops = 0;

    c.aw_bits = aws[f & 3];
    c.caching_mode = (f >> 2) & 1;
    c.scalable_mode = (f >> 3) & 1;
    c.first_stage = c.scalable_mode && ((f >> 4) & 1);
    c.pasid = c.scalable_mode && ((f >> 5) & 1);
    c.pass_through = (f >> 6) & 1;
    c.device_iotlb = (f >> 7) & 1;
    c.snoop_control = (f >> 8) & 1;
    c.intr_remap = (f >> 9) & 1;
    c.eim = c.intr_remap && ((f >> 10) & 1);
    c.esrtps = (f >> 11) & 1;
    c.large_pages = (f >> 12) & 1;
    c.nfr = ((f >> 13) & 7) + 1;
    c.mamv = (unsigned)((f >> 16) & 0x3F);
    c.did_bits = 4 + 2 * (unsigned)((f >> 22) % 7);
    c.cache_policy = (enum vtd_cache_policy)((f >> 25) % 3);
    c.cache_entries = 64;
    c.trace_mask = (f >> 27) & 1 ? VTD_TRACE_ALL : 0;
    c.rwbf = (f >> 28) & 1;
    c.esirtps = (f >> 29) & 1;
    c.haw_bits = (f >> 30) & 1 ? 39 : 0;
    c.page_requests = c.scalable_mode && ((f >> 31) & 1);

    if (trace_print < 0)
        trace_print = getenv("VTD_FUZZ_TRACE") != NULL;
    if (trace_print)
        c.trace_mask = VTD_TRACE_ALL & ~VTD_TRACE_REG_READ;
    for (unsigned p = 0; p < 64; p++)
        if (touched & (1ull << p))
            memset(ram + p * 4096ull, 0, 4096);
    touched = 0;
    dirty = irq_dirty = true;
    m = vtd_model_create(&c, &env, NULL);
    if (!m)
        return 0;
    while (in.n && ops++ < 512) {
        unsigned op = (unsigned)take(&in, 1);

        switch (op % 8) {
        case 0: { /* MMIO write: offset, size, value */
            uint64_t off = take(&in, 2) & 0x1FFF;
            unsigned sz = 1u << (take(&in, 1) & 3);

            dirty = irq_dirty = true;
            vtd_mmio_write(m, off, sz, take(&in, sz));
            break;
        }
        case 1: { /* MMIO read */
            uint64_t off = take(&in, 2) & 0x1FFF;

            (void)vtd_mmio_read(m, off, 1u << (take(&in, 1) & 3));
            break;
        }
        case 2: { /* guest memory: 8 bytes at an 8-byte aligned address */
            uint64_t a = (take(&in, 3) << 3) % RAM_SIZE, v = take(&in, 8);

            memcpy(ram + a, &v, 8);
            touch(a, 8);
            dirty = irq_dirty = true;
            break;
        }
        case 3:
        case 4: { /* DMA request */
            struct vtd_request r = { 0 };
            struct vtd_xlate x;
            uint8_t fl = (uint8_t)take(&in, 1);

            r.sid = (uint16_t)take(&in, 2);
            r.addr = take(&in, (fl & 0x40) ? 8 : 4);
            r.access = fl & 0xF;
            r.at = (enum vtd_at)(((fl >> 4) & 3) % 3);
            r.has_pasid = fl >> 7;
            r.pasid = r.has_pasid ? (uint32_t)take(&in, 3) & 0xFFFFF : 0;
            vtd_translate(m, &r, &x);
            if (!dirty) {
                struct vtd_xlate w;

                vtd_translate_probe(m, &r, &w);
                if (w.status != x.status || w.fault_reason != x.fault_reason)
                    __builtin_trap(); /* cache disagrees with memory */
                if (x.status == VTD_XLATE_OK &&
                    (w.addr != x.addr || w.perm != x.perm ||
                     w.page_shift != x.page_shift || w.did != x.did))
                    __builtin_trap();
            }
            if (x.status == VTD_XLATE_OK && r.at == VTD_AT_UNTRANSLATED) {
                unsigned want = r.access & 3 ? r.access & 3 : 1;

                if ((x.perm & want) != want)
                    __builtin_trap(); /* granted less than asked, no fault */
                if ((x.addr & 0xFFF) != (r.addr & 0xFFF))
                    __builtin_trap();
            }
            if (x.status == VTD_XLATE_FAULT && !x.fault_reason)
                __builtin_trap();
            break;
        }
        case 5: { /* interrupt request */
            struct vtd_irq irq;
            uint16_t sid = (uint16_t)take(&in, 2);
            uint64_t a = 0xFEE00000u | (take(&in, 3) & 0xFFFFF);
            uint32_t d = (uint32_t)take(&in, 4);

            if (op & 0x80)
                a = take(&in, 8);
            int r = vtd_remap_msi(m, sid, a, d, &irq);

            if (!irq_dirty) {
                struct vtd_irq w;

                if (vtd_remap_msi_probe(m, sid, a, d, &w) != r ||
                    w.addr != irq.addr || w.data != irq.data)
                    __builtin_trap(); /* IEC disagrees with memory */
            }
            break;
        }
        case 6: { /* a 32-byte block of guest memory */
            uint64_t a = (take(&in, 2) << 5) % RAM_SIZE;

            for (unsigned i = 0; i < 32; i++)
                ram[a + i] = (uint8_t)take(&in, 1);
            touch(a, 32);
            dirty = irq_dirty = true;
            break;
        }
        default:
            if ((op >> 3) == 0x1F) {
                vtd_model_reset(m);
            } else if ((op >> 3) == 0x1E) { /* a page request */
                uint64_t w = take(&in, 8);
                struct vtd_page_request pr = {
                    .sid = (uint16_t)w,
                    .has_pasid = (w >> 16) & 1,
                    .pasid = (uint32_t)(w >> 17) & 0xFFFFF,
                    .read = (w >> 37) & 1,
                    .write = (w >> 38) & 1,
                    .exec = (w >> 39) & 1,
                    .priv = (w >> 40) & 1,
                    .lpig = (w >> 41) & 1,
                    .prgi = (uint16_t)(w >> 42),
                    .has_data = (w >> 52) & 1,
                    .addr = take(&in, 8),
                    .data = { w, ~w },
                };
                uint8_t fr;

                vtd_page_request(m, &pr, &fr);
            }
            break;
        }
        check(m);
    }
    vtd_model_destroy(m);
    return 0;
}
