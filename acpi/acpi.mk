# SPDX-License-Identifier: GPL-2.0-or-later
# acpi/acpi.mk — RSDP/RSDT/XSDT/MCFG/DMAR parsing (portable: firmware and
# hosted), its unit tests over iasl-compiled tables, the DMAR fuzzer and
# the iasl -d oracle.

ACPI_SRCS := acpi/acpi.c acpi/dmar.c
FW_SRCS += $(ACPI_SRCS)

# The dumps format through lib/printf.c, which wants a console: hosted, the
# tests' stub.
ACPI_LINKED := $(ACPI_SRCS) lib/printf.c tests/host/plat_stub.c
ACPI_HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(ACPI_LINKED))
ACPI_FUZZ_OBJS := $(patsubst %.c,$(B)/fuzz/%.o,$(ACPI_LINKED))

# ------------------------------------------------------- iasl test tables

ACPI_TABLE_SRCS := $(wildcard tests/acpi/tables/*.aslt)
ACPI_TABLES := $(patsubst tests/acpi/tables/%.aslt,$(B)/acpi/tables/%.aml,\
                 $(ACPI_TABLE_SRCS))

# iasl loops on some inputs it cannot parse: bound it. It reads the file
# by content, whatever the extension.
$(B)/acpi/tables/%.aml: tests/acpi/tables/%.aslt
	@mkdir -p $(@D)
	@echo "  IASL    $<"
	$(Q)timeout 60 iasl -p $(basename $@) $< </dev/null >$(basename $@).log \
	    2>&1 || { cat $(basename $@).log; rm -f $@; exit 1; }

$(B)/acpi/tables.c: $(ACPI_TABLES) tests/acpi/embed-tables
	@echo "  EMBED   $@"
	$(Q)tests/acpi/embed-tables $@ $(ACPI_TABLES)

$(B)/host/acpi/tables.o: $(B)/acpi/tables.c tests/acpi/tables.h
	$(call compile_c,HOSTCC,$(HOST_CC) $(HOST_CFLAGS))

# ----------------------------------------------------------- unit tests

ACPI_TESTS := dmar acpi
ACPI_TEST_BINS := $(patsubst %,$(B)/host/tests/acpi/test_%,$(ACPI_TESTS))

$(B)/host/tests/acpi/test_%: $(B)/host/tests/acpi/test_%.o \
        $(ACPI_HOST_OBJS) $(B)/host/acpi/tables.o
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

HOST_TESTS += $(ACPI_TEST_BINS)

.SECONDARY: $(ACPI_HOST_OBJS) $(ACPI_FUZZ_OBJS) $(ACPI_TABLES) \
            $(B)/acpi/tables.c \
            $(patsubst %,$(B)/host/tests/acpi/test_%.o,$(ACPI_TESTS))

# ------------------------------------------------------------- fuzzing

ACPI_FUZZER := $(B)/fuzz/tests/acpi/fuzz_dmar

$(ACPI_FUZZER): $(B)/fuzz/tests/acpi/fuzz_dmar.o $(ACPI_FUZZ_OBJS)
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^

# The seed corpus is the compiled tables, copied so that libFuzzer's
# additions never land next to the sources.
$(B)/fuzz/acpi-seeds/.stamp: $(ACPI_TABLES)
	@rm -rf $(@D) && mkdir -p $(@D)
	$(Q)cp $(ACPI_TABLES) $(@D)/
	@touch $@

.PHONY: fuzz-acpi fuzz-acpi-smoke
fuzz-acpi-smoke: $(ACPI_FUZZER) $(B)/fuzz/acpi-seeds/.stamp
	@rm -rf $(B)/fuzz/acpi-smoke && mkdir -p $(B)/fuzz/acpi-smoke
	$(Q)$(ACPI_FUZZER) -max_total_time=20 -max_len=4096 \
	    -print_final_stats=1 $(B)/fuzz/acpi-smoke $(B)/fuzz/acpi-seeds \
	    2>$(B)/fuzz/acpi-smoke.log || \
	    { tail -50 $(B)/fuzz/acpi-smoke.log; exit 1; }
	@grep -E 'stat::number_of_executed_units' $(B)/fuzz/acpi-smoke.log || true

# make fuzz-acpi FUZZ_TIME=seconds: a longer run; the grown corpus is kept
# in $(B)/fuzz/acpi-corpus, crashes in $(B)/fuzz/acpi-artifacts.
fuzz-acpi: $(ACPI_FUZZER) $(B)/fuzz/acpi-seeds/.stamp
	@mkdir -p $(B)/fuzz/acpi-corpus $(B)/fuzz/acpi-artifacts
	$(ACPI_FUZZER) -max_total_time=$(FUZZ_TIME) -max_len=4096 \
	    -print_final_stats=1 \
	    -artifact_prefix=$(B)/fuzz/acpi-artifacts/ \
	    $(B)/fuzz/acpi-corpus $(B)/fuzz/acpi-seeds

FUZZ_SMOKE += fuzz-acpi-smoke

.SECONDARY: $(B)/fuzz/tests/acpi/fuzz_dmar.o

# ------------------------------------------------------------ the oracle

# dmar_canon prints what our parser makes of a raw DMAR; dmar-oracle
# compares that with `iasl -d` (TAP). make check runs it over the tables.
ACPI_CANON := $(B)/host/tests/acpi/dmar_canon

$(ACPI_CANON): $(B)/host/tests/acpi/dmar_canon.o $(ACPI_HOST_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

ALL_TARGETS += $(ACPI_CANON) $(ACPI_TABLES)
CHECK_SCRIPTS += tests/acpi/oracle.t

.SECONDARY: $(B)/host/tests/acpi/dmar_canon.o
