/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/guest/lapic.c — the local APIC: xAPIC mode (MMIO at its base MSR),
 * or x2APIC mode (MSRs 0x800 + register / 16) when the command line says
 * x2apic=1 and the CPU offers it.
 *
 * Used for MSI delivery (edu's completion, VT-d fault and invalidation
 * events) and as the wake-up of bounded waits: a one-shot timer bounds
 * every HLT.
 */
#include <string.h>

#include "lib/guest/guest.h"
#include "lib/guest/x86.h"
#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/test.h"

/* clang-format off */
#define MSR_APIC_BASE   0x1B
#define MSR_X2APIC      0x800           /* + register offset / 16 */
#define CPUID1_X2APIC   (1u << 21)      /* ECX */
#define   APIC_EXTD     (1ull << 10)    /* x2APIC mode */
#define   APIC_EN       (1ull << 11)
#define LAPIC_ID        0x020
#define LAPIC_EOI       0x0B0
#define LAPIC_SVR       0x0F0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_ICR 0x380
#define LAPIC_TIMER_CCR 0x390
#define LAPIC_TIMER_DCR 0x3E0
#define VEC_TIMER       0xF0
#define VEC_SPURIOUS    0xFF
/* clang-format on */

void trap_vector_set(int vector, trap_vector_fn fn, void *arg);

static volatile uint32_t *lapic;
static bool x2apic;
static uint64_t timer_hz; /* LAPIC timer ticks per second, divide 1 */

static uint32_t rd(unsigned reg)
{
    if (x2apic)
        return (uint32_t)rdmsr(MSR_X2APIC + reg / 16);
    return lapic[reg / 4];
}

static void wr(unsigned reg, uint32_t v)
{
    if (x2apic)
        wrmsr(MSR_X2APIC + reg / 16, v);
    else
        lapic[reg / 4] = v;
}

/* x2apic=1 on the command line, and CPUID says the CPU has it. */
static bool want_x2apic(void)
{
    char v[4] = "0";
    uint32_t a, b, c, d;

    if (!cmdline_get(plat_cmdline(), "x2apic", v, sizeof(v)) || !strcmp(v, "0"))
        return false;
    cpuid(1, 0, &a, &b, &c, &d);
    if (!(c & CPUID1_X2APIC)) {
        vt_printf("# lapic: x2apic=1, but the CPU has no x2APIC: xAPIC mode\n");
        return false;
    }
    return true;
}

static void timer_fired(void *arg)
{
}

void lapic_init(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    /* A firmware may hand over in x2APIC mode (UEFI does where APIC ids
     * need it), which turns the MMIO window off. x2APIC to xAPIC is only
     * allowed through the disabled state (SDM vol. 3, "x2APIC State
     * Transitions"). */
    if (base & APIC_EXTD) {
        wrmsr(MSR_APIC_BASE, base & ~(APIC_EXTD | APIC_EN));
        base &= ~APIC_EXTD;
    }
    wrmsr(MSR_APIC_BASE, base | APIC_EN);
    lapic = (volatile uint32_t *)(base & 0xFFFFFF000ull);
    /* xAPIC to x2APIC goes directly (enabled, then EXTD). */
    if (want_x2apic()) {
        wrmsr(MSR_APIC_BASE, base | APIC_EN | APIC_EXTD);
        x2apic = true;
        vt_printf("# lapic: x2APIC mode, APIC ID %u\n", lapic_id());
    }
    wr(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
    wr(LAPIC_TIMER_DCR, 0x0B);                 /* divide by 1 */
    wr(LAPIC_LVT_TIMER, 1u << 16 | VEC_TIMER); /* masked while measuring */
    trap_vector_set(VEC_TIMER, timer_fired, 0);
}

/* The timer's rate is measured in time_init's PIT window. */
void lapic_timer_start_count(void)
{
    if (lapic)
        wr(LAPIC_TIMER_ICR, 0xFFFFFFFF);
}

uint64_t lapic_timer_stop_count(void)
{
    uint32_t ccr;

    if (!lapic)
        return 0;
    ccr = rd(LAPIC_TIMER_CCR);
    wr(LAPIC_TIMER_ICR, 0);
    return 0xFFFFFFFFu - ccr;
}

void lapic_calibrated(void)
{
    timer_hz = lapic_timer_hz_measured();
    if (!timer_hz)
        vt_printf("# lapic: timer did not count; waits fall back to polling\n");
}

void lapic_eoi(void)
{
    if (lapic)
        wr(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
    /* x2APIC: the whole 32-bit ID; xAPIC: bits 31:24. */
    if (x2apic)
        return rd(LAPIC_ID);
    return lapic ? rd(LAPIC_ID) >> 24 : 0;
}

void lapic_timer_oneshot_ns(uint64_t ns)
{
    uint64_t ticks;

    if (!lapic || !timer_hz)
        return;
    if (!ns) {
        wr(LAPIC_TIMER_ICR, 0);
        return;
    }
    ticks = ns / 1000 * timer_hz / 1000000 + 1;
    if (ticks > 0xFFFFFFFFu)
        ticks = 0xFFFFFFFFu;
    wr(LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot, unmasked */
    wr(LAPIC_TIMER_ICR, (uint32_t)ticks);
}

int lapic_timer_vector(void)
{
    return timer_hz ? VEC_TIMER : -1;
}
