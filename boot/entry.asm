; SPDX-License-Identifier: GPL-2.0-or-later
; boot/entry.asm — multiboot (v1) entry, switch to long mode, jump to C.
;
; QEMU's -kernel multiboot loader refuses ELF64 images unless the header
; carries its own load addresses (flag bit 16, the "a.out kludge"); the link
; script keeps file offsets equal to address - 1 MiB so those fields hold.
;
; Early map: the first 4 GiB identity-mapped with 2 MiB pages (1 GiB CPU
; pages triple-fault under some KVM hosts). 3..4 GiB, where the chipset's
; MMIO lives (ECAM, VT-d, IOAPIC, LAPIC), is mapped uncached.

MB_MAGIC        equ 0x1BADB002
MB_F_ALIGN      equ 1 << 0          ; modules page aligned
MB_F_MEMINFO    equ 1 << 1          ; memory map wanted
MB_F_ADDRS      equ 1 << 16         ; header carries load addresses
MB_FLAGS        equ MB_F_ALIGN | MB_F_MEMINFO | MB_F_ADDRS

PTE_P           equ 1 << 0
PTE_W           equ 1 << 1
PTE_PWT         equ 1 << 3
PTE_PCD         equ 1 << 4
PTE_PS          equ 1 << 7

DEBUG_EXIT_PORT equ 0xf4
EXIT_ERROR      equ 0x13            ; see lib/guest/platform.c

%include "boot/gdt.inc"

extern __image_start, __load_end, __image_end
extern boot_main

global mb_entry, mb_header
global boot_gdt, boot_stack_top
global boot_pml4, boot_pdpt, boot_pd

section .multiboot
align 4
mb_header:
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)
    dd mb_header                    ; header_addr
    dd __image_start                ; load_addr
    dd __load_end                   ; load_end_addr
    dd __image_end                  ; bss_end_addr (QEMU zeroes the gap)
    dd mb_entry                     ; entry_addr

section .text.boot
bits 32
mb_entry:
    cli
    cld
    mov esp, boot_stack_top
    mov edi, eax                    ; multiboot magic
    mov esi, ebx                    ; multiboot info (physical, < 4 GiB)

    ; Long mode available? CPUID 0x80000001 EDX bit 29.
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jz .no_long_mode

    ; PML4[0] -> PDPT, PDPT[0..3] -> PD pages 0..3.
    mov eax, boot_pdpt
    or eax, PTE_P | PTE_W
    mov [boot_pml4], eax
    mov ecx, 0
.pdpt:
    mov eax, ecx
    shl eax, 12
    add eax, boot_pd
    or eax, PTE_P | PTE_W
    mov [boot_pdpt + ecx * 8], eax
    inc ecx
    cmp ecx, 4
    jne .pdpt

    ; 2048 PDEs of 2 MiB: entry i maps i * 2 MiB.
    mov ecx, 0
.pde:
    mov eax, ecx
    shl eax, 21
    or eax, PTE_P | PTE_W | PTE_PS
    cmp ecx, 1536                   ; >= 3 GiB: chipset MMIO, uncached
    jb .cached
    or eax, PTE_PCD | PTE_PWT
.cached:
    mov [boot_pd + ecx * 8], eax
    mov dword [boot_pd + ecx * 8 + 4], 0
    inc ecx
    cmp ecx, 2048
    jne .pde

    mov eax, cr4
    or eax, 1 << 5                  ; PAE
    mov cr4, eax
    mov eax, boot_pml4
    mov cr3, eax
    mov ecx, 0xC0000080             ; EFER
    rdmsr
    or eax, 1 << 8                  ; LME
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16) | 1   ; PG, WP, PE
    mov cr0, eax

    lgdt [boot_gdt_ptr]
    jmp GDT_CODE64:long_mode

.no_long_mode:
    mov al, EXIT_ERROR
    out DEBUG_EXIT_PORT, al
.halt32:
    hlt
    jmp .halt32

bits 64
long_mode:
    load_data_segments
    mov rsp, boot_stack_top
    xor ebp, ebp
    ; edi = magic, esi = info: already the first two SysV arguments.
    mov edi, edi
    mov esi, esi
    call boot_main
.halt64:
    cli
    hlt
    jmp .halt64

section .data
align 16
boot_gdt:
    gdt_entries
boot_gdt_end:

boot_gdt_ptr:
    dw boot_gdt_end - boot_gdt - 1
    dq boot_gdt

section .bss.pagetables nobits alloc write align=4096
boot_pml4:
    resb 4096
boot_pdpt:
    resb 4096
boot_pd:
    resb 4 * 4096

section .bss
align 16
boot_stack:
    resb 64 * 1024
boot_stack_top:
