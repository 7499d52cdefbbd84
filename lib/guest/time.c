/*
 * lib/guest/time.c — TSC calibrated against PIT channel 2.
 *
 * The PIT runs on QEMU's virtual clock at 1.193182 MHz, like the TSC
 * (under TCG both follow the host clock, or the instruction counter with
 * -icount), so one short gated count gives the TSC rate.
 */
#include "lib/guest/guest.h"
#include "lib/guest/x86.h"
#include "lib/printf.h"

#define PIT_HZ          1193182u
#define PIT_CH2         0x42
#define PIT_CMD         0x43
#define PORT_B          0x61
#define CAL_MS          5

static uint64_t hz;
static uint64_t tsc0;

uint64_t tsc_hz(void)
{
    return hz;
}

void time_init(void)
{
    uint16_t count = PIT_HZ * CAL_MS / 1000;
    uint64_t t0, t1;
    unsigned long spins = 0;
    uint8_t b;

    b = inb(PORT_B);
    outb(PORT_B, (b & ~0x02) | 0x01);   /* gate on, speaker off */
    outb(PIT_CMD, 0xB0);                /* ch2, lo/hi, mode 0, binary */
    outb(PIT_CH2, count & 0xFF);
    outb(PIT_CH2, count >> 8);
    t0 = rdtsc();
    /* OUT2 (port 0x61 bit 5) rises when the count reaches 0. Bounded:
     * a missing PIT must not hang the boot. */
    while (!(inb(PORT_B) & 0x20) && ++spins < 50000000ul)
        ;
    t1 = rdtsc();
    outb(PORT_B, b);

    if (spins >= 50000000ul || t1 <= t0) {
        hz = 1000000000ull;
        vt_printf("# time: PIT calibration failed, assuming 1 GHz TSC\n");
    } else {
        hz = (t1 - t0) * 1000 / CAL_MS;
    }
    tsc0 = t0;
}

uint64_t plat_now_ns(void)
{
    uint64_t d = rdtsc() - tsc0;

    /* d * 1e9 / hz without overflow for long runs. */
    return (d / hz) * 1000000000ull + (d % hz) * 1000000000ull / hz;
}
