# SPDX-License-Identifier: GPL-2.0-or-later
# tests/: the conformance suite's C checks and self-tests (firmware), and
# host unit tests of lib/.
FW_SRCS += $(wildcard tests/guest/*.c)

# Every guest run of run/tests.cfg on the system's QEMU, through the
# runner, as TAP; then the multiboot runs on QEMU 10.0 and 11.1, each
# compared with the system's; then the UEFI runs against the multiboot
# runs guest.t left, check for check; then the firmware's DMAR against
# iasl -d.
CHECK_SCRIPTS += run/guest.t run/versions.t run/assigned.t tests/run/efi-compare.t \
                 tests/acpi/firmware-oracle.t

# Host unit tests of lib/: the same source files, under ASan and UBSan.
LIB_HOST_TESTS := printf alloc report string
HOST_TESTS += $(patsubst %,$(B)/host/tests/host/test_%,$(LIB_HOST_TESTS))

LIB_STUB := $(B)/host/tests/host/plat_stub.o

$(B)/host/tests/host/test_printf: $(B)/host/tests/host/test_printf.o \
        $(B)/host/lib/printf.o $(LIB_STUB)
$(B)/host/tests/host/test_alloc: $(B)/host/tests/host/test_alloc.o \
        $(B)/host/lib/alloc.o
$(B)/host/tests/host/test_report: $(B)/host/tests/host/test_report.o \
        $(B)/host/lib/report.o $(B)/host/lib/test.o $(B)/host/lib/printf.o \
        $(B)/host/lib/xfail.o \
        $(LIB_STUB)
$(B)/host/tests/host/test_string: $(B)/host/tests/host/test_string.o

$(patsubst %,$(B)/host/tests/host/test_%,$(LIB_HOST_TESTS)):
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

# tests/engine/: the scenario parser and every built-in script, under
# ASan/UBSan; the generated sweeps are what their generator writes; the
# observation mode on the model.
HOST_TESTS += $(B)/host/tests/engine/test_parse

$(B)/host/tests/engine/test_parse: $(B)/host/tests/engine/test_parse.o \
        $(B)/host/engine/parse.o $(B)/host/engine/parse_sm.o \
        $(B)/host/engine/ir_parse.o \
        $$(patsubst %.c,$(B)/host/%.o,$$(ENGINE_BUILTIN)) \
        $(B)/host/vtd/regmap.o \
        $(B)/host/lib/xfail.o \
        $(B)/host/lib/printf.o $(LIB_STUB)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

CHECK_SCRIPTS += tests/engine/gen-psi.t
CHECK_SCRIPTS += tests/engine/observe.t
