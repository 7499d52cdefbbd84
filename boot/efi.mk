# SPDX-License-Identifier: GPL-2.0-or-later
# boot/efi.mk — the UEFI boot path: build/vtdprobe.efi, the same firmware
# as build/vtdprobe.elf as a gnu-efi application (PE/COFF) for OVMF.
#
# gnu-efi's way: objects built position-independent, linked with its
# crt0 (which relocates the image at start) and libraries into a shared
# object at address 0 (boot/efi/efi.lds), which objcopy turns into a PE
# application. The sources are the firmware's own (FW_SRCS, FW_ASM, known
# only once every fragment is read: the link rule names them as
# $$(EFI_OBJS), expanded again then), minus the multiboot entry, plus
# boot/efi/.
#
# The firmware's flags carry over except -fno-pic: the objects live in
# $(B)/efi/ and are built -fpic (code addresses relocated at load time)
# and -fvisibility=hidden (nothing exported, references bound at link
# time). Only boot/efi/*.c see gnu-efi's headers, with the ABI settings
# gnu-efi's libraries are built with (-fshort-wchar: CHAR16 literals;
# calls into the firmware use the Microsoft x64 convention through
# EFIAPI). -mno-red-zone and -mgeneral-regs-only match what firmware
# code must obey anyway.

EFI_LIBDIR  ?= /usr/lib
EFI_INCDIR  ?= /usr/include/efi
EFI_CRT0    := $(EFI_LIBDIR)/crt0-efi-x86_64.o
EFI_LDS     := boot/efi/efi.lds

EFI_CFLAGS  := $(filter-out -fno-pic -fno-pie,$(FW_CFLAGS)) -fpic \
               -fvisibility=hidden
EFI_GNUEFI_CFLAGS := -isystem $(EFI_INCDIR) -isystem $(EFI_INCDIR)/x86_64 \
                     -fshort-wchar -DGNU_EFI_USE_MS_ABI
EFI_LDFLAGS := -m elf_x86_64 -nostdlib -shared -Bsymbolic \
               -z max-page-size=0x1000 -z noexecstack --gc-sections \
               --no-warn-rwx-segments --no-undefined -L $(EFI_LIBDIR)

EFI_SRCS_OWN := $(wildcard boot/efi/*.c)
EFI_ASM_OWN  := $(wildcard boot/efi/*.asm)
# Recursively expanded: FW_SRCS grows as other fragments are read.
EFI_SRCS     = $(filter-out lib/guest/multiboot.c,$(FW_SRCS)) $(EFI_SRCS_OWN)
EFI_ASM      = $(filter-out boot/entry.asm,$(FW_ASM)) $(EFI_ASM_OWN)
EFI_OBJS     = $(patsubst %.c,$(B)/efi/%.o,$(EFI_SRCS)) \
               $(patsubst %.asm,$(B)/efi/%.o,$(EFI_ASM))

$(B)/efi/boot/efi/%.o: boot/efi/%.c
	$(call compile_c,EFICC,$(FW_CC) $(EFI_CFLAGS) $(EFI_GNUEFI_CFLAGS))

$(B)/efi/%.o: %.c
	$(call compile_c,EFICC,$(FW_CC) $(EFI_CFLAGS))

$(B)/efi/%.o: %.asm
	$(call assemble,NASM, (efi))

# The prerequisite list is expanded once more after every fragment is
# read, so it holds the whole of FW_SRCS.
$(B)/vtdprobe-efi.so: $$(EFI_OBJS) $(EFI_LDS) $(EFI_CRT0)
	@echo "  LD      $@"
	$(Q)$(LD) $(EFI_LDFLAGS) -T $(EFI_LDS) -Map $(B)/vtdprobe-efi.map \
	    -o $@ $(EFI_CRT0) $(EFI_OBJS) -lefi -lgnuefi

# The PE takes the sections the loader needs: code, data (with .bss, as
# gnu-efi does), the test registry and built-in scripts, and what crt0's
# self-relocation reads (.dynamic, .rela, .dynsym); .reloc is crt0's.
$(B)/vtdprobe.efi: $(B)/vtdprobe-efi.so
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -j .text -j .reloc -j .data -j .tests -j .scripts \
	    -j .dynamic -j .dynsym -j .rela --target efi-app-x86_64 \
	    --subsystem efi-app $< $@

ALL_TARGETS += $(B)/vtdprobe.efi
