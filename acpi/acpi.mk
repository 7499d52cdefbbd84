# acpi/acpi.mk — RSDP/RSDT/XSDT/MCFG/DMAR parsing (portable: firmware and
# hosted), its unit tests over iasl-compiled tables, the DMAR fuzzer and
# the iasl -d oracle.

ACPI_SRCS := acpi/acpi.c acpi/dmar.c
FW_SRCS += $(ACPI_SRCS)

ACPI_HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(ACPI_SRCS))
ACPI_FUZZ_OBJS := $(patsubst %.c,$(B)/fuzz/%.o,$(ACPI_SRCS))
