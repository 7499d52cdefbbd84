/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/guest/trap.h — the frame boot/trap.asm builds for every vector.
 */
#ifndef LIB_GUEST_TRAP_H
#define LIB_GUEST_TRAP_H

#include <stdint.h>

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame layout");

void trap_dispatch(struct trap_frame *f);

#endif
