# SPDX-License-Identifier: GPL-2.0-or-later
# vtdprobe — the one entry point.
#
#   make            build the firmware image and the host tools
#   make run        boot the default suite under QEMU and print verdicts
#   make check      every test the project has (host unit tests, fuzz smoke,
#                   guest runs), driven by prove
#   make setup      install the Debian packages the project needs
#
# Each folder contributes a fragment, <folder>/<folder>.mk, included below
# in any order: a fragment names another's variables only where make
# expands them once every fragment is read (in recipes, in recursively
# expanded variables, and as $$(VAR) in prerequisites: see
# .SECONDEXPANSION below).  A fragment appends to these variables and adds
# its own rules:
#
#   FW_SRCS        C sources linked into the firmware image (freestanding)
#   FW_ASM         nasm sources linked into the firmware image
#   HOST_TESTS     hosted executables that print TAP; `make check` runs them
#   CHECK_SCRIPTS  TAP-printing scripts `make check` runs after the binaries
#   FUZZ_SMOKE     phony targets `make check` runs (short fuzz runs)
#   BENCHES        phony targets `make bench` runs
#
# Paths in sources are relative to the top: #include "lib/platform.h".

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

B        := build
V        ?= 0
ifeq ($(V),0)
Q        := @
else
Q        :=
endif

# ---------------------------------------------------------------- toolchains

FW_CC    ?= gcc
NASM     ?= nasm
LD       ?= ld
OBJCOPY  ?= objcopy
HOST_CC  ?= gcc
FUZZ_CC  ?= clang

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-unused-parameter

# Freestanding: the compiler's own headers (stdint, stddef, stdarg, stdbool)
# and lib/include for the few libc-shaped headers portable code uses.
FW_CFLAGS := -std=gnu11 -O2 -g $(WARN) \
             -ffreestanding -nostdlib -nostdinc \
             -isystem $(shell $(FW_CC) -print-file-name=include) \
             -I. -Ilib/include \
             -m64 -mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-80387 \
             -mgeneral-regs-only -mcmodel=small -fno-pic -fno-pie \
             -fno-stack-protector -fno-asynchronous-unwind-tables \
             -fno-omit-frame-pointer -fno-strict-aliasing -fno-common \
             -ffunction-sections -fdata-sections -MMD -MP
FW_LDFLAGS := -m elf_x86_64 -nostdlib -static -z max-page-size=0x1000 \
              -z noexecstack --gc-sections --no-warn-rwx-segments
NASMFLAGS  := -f elf64 -g -F dwarf -Werror

# Hosted: same sources, under AddressSanitizer and UBSan.
SAN        := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -I. $(SAN) \
               -fno-omit-frame-pointer -fno-strict-aliasing -MMD -MP
HOST_LDFLAGS := $(SAN)
# Benchmarks: same sources, optimised, no sanitizers.
BENCH_CFLAGS := -std=gnu11 -O2 -g $(WARN) -I. -MMD -MP
# libFuzzer targets.
FUZZ_CFLAGS := -std=gnu11 -O1 -g $(WARN) -I. \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer -MMD -MP

# The recipes that make one object: $(call compile_c,LABEL,COMPILER FLAGS)
# for a C file, $(call assemble,LABEL) for a nasm file. LABEL is what the
# build prints beside the source.
define compile_c
	@mkdir -p $(@D)
	@printf '  %-7s %s\n' '$(1)' '$<'
	$(Q)$(2) -c $< -o $@
endef

define assemble
	@mkdir -p $(@D)
	@printf '  %-7s %s\n' '$(1)' '$<$(2)'
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) -MP $< -o $@
endef

# Seconds of a long fuzzing run (make fuzz-acpi, fuzz-model, fuzz-notify,
# fuzz-vfio-user).
FUZZ_TIME ?= 600

export ASAN_OPTIONS  := detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1

FW_SRCS       :=
FW_ASM        :=
HOST_TESTS    :=
CHECK_SCRIPTS :=
FUZZ_SMOKE    :=
BENCHES       :=
ALL_TARGETS   :=
RUN_CMD       := run/vtdrun --group default

# Prerequisites are expanded a second time once every fragment is read:
# a link rule names the sources of other folders as $$(VAR), whichever
# fragment is read first.
.SECONDEXPANSION:

include $(sort $(wildcard */*.mk))

# The firmware links its folders in this order whatever order the
# fragments were read in (the image, and its test registry, follow it);
# a source of another folder goes last.
FW_LINK_ORDER := acpi engine $(B) lib tests vtd
FW_SRCS := $(foreach d,$(FW_LINK_ORDER),$(filter $(d)/%,$(FW_SRCS))) \
           $(filter-out $(addsuffix /%,$(FW_LINK_ORDER)),$(FW_SRCS))

# ------------------------------------------------------------------ firmware

FW_OBJS := $(patsubst %.c,$(B)/fw/%.o,$(FW_SRCS)) \
           $(patsubst %.asm,$(B)/fw/%.o,$(FW_ASM))

$(B)/fw/%.o: %.c
	$(call compile_c,CC,$(FW_CC) $(FW_CFLAGS))

$(B)/fw/%.o: %.asm
	$(call assemble,NASM)

# The ELF keeps symbols (addr2line of a reported RIP); QEMU's multiboot
# loader boots the ELF through the header's address fields.
$(B)/vtdprobe.elf: $(FW_OBJS) linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(FW_LDFLAGS) -T linker.ld -Map $(B)/vtdprobe.map -o $@ $(FW_OBJS)

$(B)/vtdprobe.bin: $(B)/vtdprobe.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@

ALL_TARGETS += $(B)/vtdprobe.bin

# -------------------------------------------------------------------- hosted

$(B)/host/%.o: %.c
	$(call compile_c,HOSTCC,$(HOST_CC) $(HOST_CFLAGS))

$(B)/bench/%.o: %.c
	$(call compile_c,BENCHCC,$(HOST_CC) $(BENCH_CFLAGS))

$(B)/fuzz/%.o: %.c
	$(call compile_c,FUZZCC,$(FUZZ_CC) $(FUZZ_CFLAGS))

# ------------------------------------------------------------------- targets

.PHONY: all setup run check check-host bench clean analyze

# The set-up step (Debian packages, installed with apt-get when missing)
# runs before anything is built: the public targets run it, then build in
# a sub-make, so no compile can race an install.
PUBLIC_TARGETS := all run check check-host bench

ifndef VTDPROBE_SETUP_DONE

$(PUBLIC_TARGETS):
	$(Q)run/setup --quiet
	$(Q)$(MAKE) --no-print-directory VTDPROBE_SETUP_DONE=1 $@

else

all: $(ALL_TARGETS)

# prove runs every test directly (--exec ''): compiled tests, and scripts by
# their own interpreter line. One prove run, one closing summary.
check: $(ALL_TARGETS) $(HOST_TESTS) $(FUZZ_SMOKE)
	$(Q)prove --exec '' $(HOST_TESTS) $(CHECK_SCRIPTS)

check-host: $(HOST_TESTS)
	$(Q)prove --exec '' $(HOST_TESTS)

bench: $(BENCHES)

run: $(ALL_TARGETS)
	$(Q)$(RUN_CMD)

endif

# Static analysis: GCC's analyzer over the C files that ship (the driver,
# ACPI, lib, the engine, the model, the hosted machine, the notifier
# harness and the vfio-user server), one file at a time, warnings as
# errors. Tests, benchmarks and fuzz drivers are left out. Not part of
# make check (about a minute); it must stay clean.
ANALYZE_SRCS := $(sort $(wildcard acpi/*.c vtd/*.c model/*.c lib/*.c \
                  engine/*.c harness/*.c harness/*/*.c))

analyze:
	$(Q)fail=0; for f in $(ANALYZE_SRCS); do \
	    extra=; \
	    case $$f in */test_*|*/bench_*|*/fuzz_*) continue;; esac; \
	    case $$f in \
	    harness/shadow/gen.c) \
	        : "realloc's result is kept in the run it is handed; the"; \
	        : "analyzer does not follow it there and reports a leak"; \
	        extra=-Wno-analyzer-malloc-leak;; \
	    esac; \
	    $(HOST_CC) -std=gnu11 -O1 -I. $(WARN) -fanalyzer $$extra \
	        -c $$f -o /dev/null || fail=1; \
	done; \
	if [ $$fail = 0 ]; then echo "analyze: clean"; \
	else echo "analyze: warnings above"; exit 1; fi

setup:
	$(Q)run/setup

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
