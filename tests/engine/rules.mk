# tests/engine/: the scenario engine and the scripts of tests/scenarios/
# built into the firmware; host tests of the parser.

ENGINE_SCRIPTS := $(sort $(wildcard tests/scenarios/*.vtd))
ENGINE_GEN     := $(B)/gen/tests/engine
ENGINE_BUILTIN := $(ENGINE_GEN)/builtin.c
ENGINE_LIST    := $(ENGINE_GEN)/scripts.list

# The generated table must change when a script is added or removed, not
# only when one is edited: the list of names is a prerequisite too, and it
# is rewritten only when it differs.
$(shell mkdir -p $(ENGINE_GEN) && \
        (echo '$(ENGINE_SCRIPTS)' | cmp -s - $(ENGINE_LIST) || \
         echo '$(ENGINE_SCRIPTS)' > $(ENGINE_LIST)))

$(ENGINE_BUILTIN): tests/engine/embed.py $(ENGINE_SCRIPTS) $(ENGINE_LIST)
	@mkdir -p $(@D)
	@echo "  EMBED   $@"
	$(Q)python3 tests/engine/embed.py $@ $(ENGINE_SCRIPTS)

# The generated file compiles through the firmware's pattern rule:
# $(B)/fw/$(B)/gen/tests/engine/builtin.o from $(ENGINE_BUILTIN).
FW_SRCS += tests/engine/parse.c tests/engine/engine.c tests/engine/guest.c \
           $(ENGINE_BUILTIN)

# Host tests: the parser and every built-in script, under ASan/UBSan.
HOST_TESTS += $(B)/host/tests/engine/test_parse

$(B)/host/tests/engine/test_parse: $(B)/host/tests/engine/test_parse.o \
        $(B)/host/tests/engine/parse.o $(B)/host/$(ENGINE_BUILTIN:.c=.o) \
        $(B)/host/vtd/regmap.o \
        $(B)/host/lib/xfail.o \
        $(B)/host/lib/printf.o $(LIB_STUB)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

# The generated sweeps in tests/scenarios/ are what their generator writes.
CHECK_SCRIPTS += tests/engine/gen-psi.t
CHECK_SCRIPTS += tests/engine/observe.t
