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

int wait_for_irq(bool (*cond)(void *arg), void *arg, uint64_t timeout_ns)
{
    uint64_t deadline = plat_now_ns() + timeout_ns;

    for (;;) {
        if (cond(arg))
            return WAIT_OK;
        if (plat_now_ns() > deadline)
            return cond(arg) ? WAIT_OK : WAIT_TIMEOUT;
        plat_wait_for_interrupt(deadline);
    }
}
