; SPDX-License-Identifier: GPL-2.0-or-later
; boot/efi/start.asm — the UEFI path's hand-over to its own machine state.
;
; After ExitBootServices the firmware's GDT, stack and page tables are
; still loaded. efi_enter(fn) loads this image's GDT (boot/gdt.inc, as
; boot/entry.asm does), reloads every segment register, moves to the
; image's own stack and calls fn, which never returns.
;
; The image is position-independent (gnu-efi links a shared object that
; relocates itself): every address here is RIP-relative or filled in at
; run time.

default rel

%include "boot/gdt.inc"

global efi_enter
global boot_gdt

section .text
bits 64

; void efi_enter(void (*fn)(void))  — fn in rdi; no return.
efi_enter:
    cli
    cld
    lea rax, [boot_gdt]
    mov [boot_gdt_ptr + 2], rax
    lgdt [boot_gdt_ptr]
    load_data_segments
    lea rsp, [boot_stack_top]
    xor ebp, ebp
    ; CS only changes through a far transfer.
    lea rax, [.reloaded]
    push qword GDT_CODE64
    push rax
    o64 retf
.reloaded:
    call rdi
.halt:
    cli
    hlt
    jmp .halt

section .data
align 16
boot_gdt:
    gdt_entries
boot_gdt_end:

align 16
    dw 0, 0, 0                      ; so that the base below is aligned
boot_gdt_ptr:
    dw boot_gdt_end - boot_gdt - 1
    dq 0                            ; base, filled in at run time

section .bss
align 16
boot_stack:
    resb 64 * 1024
boot_stack_top:
