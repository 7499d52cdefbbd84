/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/guest/time.c — the clock: HPET main counter, else calibrated TSC.
 *
 * The TSC is calibrated against PIT channel 2 (1.193182 MHz on QEMU's
 * virtual clock). But under TCG the guest TSC follows the host's and, on
 * the hosts measured here, advances at well under its rate while the vCPU
 * sleeps in HLT (an edu DMA of 100 ms measured 39.5 ms across HLT waits,
 * 101.7 ms when polling). The HPET main counter runs on QEMU's virtual
 * clock, like edu's DMA timer and the LAPIC timer, with or without an
 * instruction-count clock; so it is the clock when present.
 */
#include "lib/guest/guest.h"
#include "lib/guest/x86.h"
#include "lib/printf.h"

#define PIT_HZ  1193182u
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B  0x61
/* Short: under an instruction-count clock every polled port read is
 * expensive, and 2 ms of PIT already gives the rate to ~0.1%. */
#define CAL_MS  2

/* clang-format off */
#define HPET_BASE       0xFED00000ull   /* q35; ACPI HPET table agrees */
#define HPET_CAP        0x000
#define HPET_CONFIG     0x010
#define   HPET_ENABLE   1u
#define HPET_COUNTER    0x0F0
#define HPET_MAX_PERIOD 100000000u      /* fs: the spec's slowest clock */
/* clang-format on */

static uint64_t hz;
static uint64_t tsc0;
static uint32_t hpet_period_fs; /* 0: no HPET, use the TSC */
static uint64_t hpet0;
static uint64_t lapic_ticks; /* LAPIC timer ticks in the same window */
static uint64_t lapic_window_ns;

uint64_t lapic_timer_hz_measured(void)
{
    return lapic_window_ns ? lapic_ticks * 1000000000ull / lapic_window_ns : 0;
}

void time_init(void)
{
    uint16_t count = PIT_HZ * CAL_MS / 1000;
    uint64_t t0, t1;
    unsigned long spins = 0;
    uint8_t b;

    lapic_timer_start_count();
    b = inb(PORT_B);
    outb(PORT_B, (b & ~0x02) | 0x01); /* gate on, speaker off */
    outb(PIT_CMD, 0xB0);              /* ch2, lo/hi, mode 0, binary */
    outb(PIT_CH2, count & 0xFF);
    outb(PIT_CH2, count >> 8);
    t0 = rdtsc();
    /* OUT2 (port 0x61 bit 5) rises when the count reaches 0. Bounded:
     * a missing PIT must not hang the boot. */
    while (!(inb(PORT_B) & 0x20) && ++spins < 50000000ul)
        ;
    t1 = rdtsc();
    lapic_ticks = lapic_timer_stop_count();
    outb(PORT_B, b);

    if (spins >= 50000000ul || t1 <= t0) {
        hz = 1000000000ull;
        vt_printf("# time: PIT calibration failed, assuming 1 GHz TSC\n");
    } else {
        hz = (t1 - t0) * 1000 / CAL_MS;
    }
    tsc0 = t0;
}

static void hpet_init(void)
{
    volatile uint64_t *hpet = (volatile uint64_t *)HPET_BASE;
    uint64_t cap = hpet[HPET_CAP / 8];
    uint32_t period = (uint32_t)(cap >> 32);

    /* All ones or a period outside the spec: no HPET here. */
    if (cap == ~0ull || period == 0 || period > HPET_MAX_PERIOD)
        return;
    hpet[HPET_CONFIG / 8] |= HPET_ENABLE;
    hpet0 = hpet[HPET_COUNTER / 8];
    hpet_period_fs = period;
}

/* With an HPET, the LAPIC timer's rate is measured over a short HPET
 * window: cheap even where port I/O is slow (instruction-count clocks). */
#define HPET_CAL_NS 100000ull

void clock_init(void)
{
    hpet_init();
    if (hpet_period_fs) {
        uint64_t t0, t1;

        lapic_timer_start_count();
        t0 = plat_now_ns();
        do {
            t1 = plat_now_ns();
        } while (t1 - t0 < HPET_CAL_NS);
        lapic_ticks = lapic_timer_stop_count();
        lapic_window_ns = t1 - t0;
        return;
    }
    time_init();
    lapic_window_ns = CAL_MS * 1000000ull;
}

bool clock_running(void)
{
    return hpet_period_fs != 0 || hz != 0;
}

uint64_t plat_now_ns(void)
{
    uint64_t d;

    if (hpet_period_fs) {
        d = *(volatile uint64_t *)(HPET_BASE + HPET_COUNTER) - hpet0;
        /* d * period_fs / 1e6, split to stay clear of overflow. */
        return (d / 1000000) * hpet_period_fs +
               (d % 1000000) * hpet_period_fs / 1000000;
    }
    d = rdtsc() - tsc0;
    return (d / hz) * 1000000000ull + (d % hz) * 1000000000ull / hz;
}
