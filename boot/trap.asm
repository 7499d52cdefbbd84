; SPDX-License-Identifier: GPL-2.0-or-later
; boot/trap.asm — the 256 interrupt/exception entry stubs.
;
; Every stub leaves the same frame (struct trap_frame in lib/guest/trap.h):
; general registers, vector, error code (0 when the CPU pushes none), then
; the CPU's own RIP, CS, RFLAGS, RSP, SS. The C dispatcher may change the
; frame (e.g. RIP to resume after an expected exception).

extern trap_dispatch
global trap_stub_table

; Vectors for which the CPU pushes an error code.
%define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

section .text
bits 64

%assign v 0
%rep 256
align 16
trap_stub_ %+ v:
%if HAS_ERR(v) == 0
    push 0
%endif
    push v
    jmp trap_common
%assign v v + 1
%endrep

trap_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    cld
    mov rdi, rsp
    call trap_dispatch
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                     ; vector and error code
    iretq

section .rodata
align 8
trap_stub_table:
%assign v 0
%rep 256
    dq trap_stub_ %+ v
%assign v v + 1
%endrep
