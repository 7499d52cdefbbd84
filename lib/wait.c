/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/wait.c — bounded waits (see wait.h).
 */
#include "lib/wait.h"

int wait_for(bool (*cond)(void *arg), void *arg, uint64_t timeout_ns)
{
    uint64_t deadline = plat_now_ns() + timeout_ns;

    for (;;) {
        if (cond(arg))
            return WAIT_OK;
        if (plat_now_ns() > deadline)
            return cond(arg) ? WAIT_OK : WAIT_TIMEOUT;
    }
}

/* Longest single sleep: a condition that turns true without an interrupt
 * (or an interrupt that never comes) costs at most this much extra. */
#define IRQ_SLICE_NS (1 * NS_PER_MS)

int wait_for_irq(bool (*cond)(void *arg), void *arg, uint64_t timeout_ns)
{
    return wait_for_irq_slice(cond, arg, timeout_ns, IRQ_SLICE_NS);
}

int wait_for_irq_slice(bool (*cond)(void *arg), void *arg, uint64_t timeout_ns,
                       uint64_t slice_ns)
{
    uint64_t deadline = plat_now_ns() + timeout_ns;

    if (!slice_ns)
        slice_ns = IRQ_SLICE_NS;

    for (;;) {
        uint64_t now;

        if (cond(arg))
            return WAIT_OK;
        now = plat_now_ns();
        if (now > deadline)
            return cond(arg) ? WAIT_OK : WAIT_TIMEOUT;
        plat_wait_for_interrupt(deadline - now > slice_ns ? now + slice_ns
                                                          : deadline);
    }
}
