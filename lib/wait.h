/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/wait.h — bounded waits. Nothing in vtdprobe spins forever: every
 * wait has a timeout, and a timeout is an error the caller reports with the
 * registers that explain it.
 */
#ifndef LIB_WAIT_H
#define LIB_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/platform.h"

#define WAIT_OK      0
#define WAIT_TIMEOUT (-1)

#define NS_PER_US 1000ull
#define NS_PER_MS 1000000ull
#define NS_PER_S  1000000000ull

/* Poll cond(arg) until it holds or timeout_ns passes. The condition is
 * checked once more after the deadline, so a slow poll never turns a
 * success into a timeout. */
int wait_for(bool (*cond)(void *arg), void *arg, uint64_t timeout_ns);

/* The same, sleeping until an interrupt between checks (each sleep at
 * most 1 ms): for conditions an interrupt handler makes true. */
int wait_for_irq(bool (*cond)(void *arg), void *arg, uint64_t timeout_ns);

/* wait_for_irq with sleeps of at most slice_ns: for a condition whose
 * interrupt is the normal way to learn of it, where the slice only bounds
 * the delay if that interrupt is lost. Each wake-up costs wall time under
 * an instruction-count clock, so fewer are cheaper. */
int wait_for_irq_slice(bool (*cond)(void *arg), void *arg, uint64_t timeout_ns,
                       uint64_t slice_ns);

/* Expression form of wait_for: evaluates to WAIT_OK or WAIT_TIMEOUT. */
#define WAIT_FOR(expr, timeout_ns)                            \
    ({                                                        \
        uint64_t wf_deadline_ = plat_now_ns() + (timeout_ns); \
        int wf_rc_ = WAIT_TIMEOUT;                            \
        for (;;) {                                            \
            if (expr) {                                       \
                wf_rc_ = WAIT_OK;                             \
                break;                                        \
            }                                                 \
            if (plat_now_ns() > wf_deadline_) {               \
                if (expr)                                     \
                    wf_rc_ = WAIT_OK;                         \
                break;                                        \
            }                                                 \
        }                                                     \
        wf_rc_;                                               \
    })

#endif
