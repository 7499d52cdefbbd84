# SPDX-License-Identifier: GPL-2.0-or-later
# harness/hosted.mk — vtdhost: the firmware's tests on the hosted machine
# (harness/hosted/), built from the very vtd/, acpi/, lib/ (portable
# parts), scenario engine and test sources the firmware links, against
# the VT-d model.
#
#   build/host/harness/vtdhost    ASan + UBSan (what make check runs)
#   build/bench/harness/vtdhost   -O2, no sanitizers (fast)
#
# The sources of other folders are named through their fragments'
# variables, whichever fragment is read first: HOSTED_ALL is expanded
# only in the link rules' second expansion, once every fragment is in.

HOSTED_SRCS := $(filter-out harness/hosted/shadow.c,\
                            $(sort $(wildcard harness/hosted/*.c))) \
               harness/plat_mmio.c

# The notifier harness (harness/hosted/shadow.c: caching-mode runs check
# the notifier layer's shadows after every invalidation) is linked in when
# the model builds the layer and the host containers are in the tree.
HOSTED_SHADOW = $(if $(and $(filter model/vtd_notify.c,$(MODEL_SRCS)),\
                           $(wildcard harness/shadow/container.c),\
                           $(wildcard harness/shadow/vhost.c)),\
                  harness/hosted/shadow.c harness/shadow/container.c \
                  harness/shadow/record.c harness/shadow/vhost.c)

# The guest tests: every file of tests/guest/ but those with a test
# flagged TEST_GUEST_ONLY (lib/test.h), which needs the firmware's own
# machine. Adding a portable C check is adding its file: the runner asks
# vtdhost which tests it holds (--list-tests) and runs each on the model
# where run/tests.cfg says it runs (run/model-configs.cfg).
HOSTED_TESTS := $(shell grep -L TEST_GUEST_ONLY tests/guest/*.c)

HOSTED_ALL = $(HOSTED_SRCS) $(HOSTED_SHADOW) $(HOSTED_TESTS) $(VTD_SRCS) \
             $(ACPI_SRCS) \
             $(LIB_PORTABLE) $(MODEL_SRCS) $(ENGINE_SRCS) $(ENGINE_BUILTIN)

VTDHOST       := $(B)/host/harness/vtdhost
VTDHOST_BENCH := $(B)/bench/harness/vtdhost

$(VTDHOST): $$(patsubst %.c,$(B)/host/%.o,$$(HOSTED_ALL))
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

$(VTDHOST_BENCH): $$(patsubst %.c,$(B)/bench/%.o,$$(HOSTED_ALL))
	@echo "  BENCHLD $@"
	$(Q)$(HOST_CC) -o $@ $^

ALL_TARGETS += $(VTDHOST) $(VTDHOST_BENCH)

.PHONY: vtdhost
vtdhost: $(VTDHOST) $(VTDHOST_BENCH)

# make check: every test in every model configuration (the mirrors of
# run/configs.cfg and the model's own); run/guest.t then compares QEMU's
# runs with the mirrors' (vtdrun --compare).
CHECK_SCRIPTS += harness/hosted.t
