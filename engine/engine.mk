# SPDX-License-Identifier: GPL-2.0-or-later
# engine/: the scenario language (parser, executor, the guest test that
# runs it, the discovery of the machine), built into the firmware with the
# scripts of tests/scenarios/, and linked into every hosted tool. Its tests
# are in tests/engine/ (tests/tests.mk).

ENGINE_SCRIPTS := $(sort $(wildcard tests/scenarios/*.vtd))
ENGINE_GEN     := $(B)/gen/engine
ENGINE_BUILTIN := $(ENGINE_GEN)/builtin.c
ENGINE_LIST    := $(ENGINE_GEN)/scripts.list

# The generated table must change when a script is added or removed, not
# only when one is edited: the list of names is a prerequisite too, and it
# is rewritten only when it differs.
$(shell mkdir -p $(ENGINE_GEN) && \
        (echo '$(ENGINE_SCRIPTS)' | cmp -s - $(ENGINE_LIST) || \
         echo '$(ENGINE_SCRIPTS)' > $(ENGINE_LIST)))

$(ENGINE_BUILTIN): engine/embed.py $(ENGINE_SCRIPTS) $(ENGINE_LIST)
	@mkdir -p $(@D)
	@echo "  EMBED   $@"
	$(Q)python3 engine/embed.py $@ $(ENGINE_SCRIPTS)

# The generated file compiles through the firmware's pattern rule:
# $(B)/fw/$(B)/gen/engine/builtin.o from $(ENGINE_BUILTIN).
ENGINE_SRCS := engine/parse.c engine/parse_sm.c engine/engine.c engine/sm.c \
               engine/guest.c engine/env.c engine/ir.c engine/ir_parse.c
FW_SRCS += $(ENGINE_SRCS) $(ENGINE_BUILTIN)
