# SPDX-License-Identifier: GPL-2.0-or-later
# harness/notify.mk — the assigned-device side of the notifier layer
# (harness/shadow/): host containers with VFIO type1 rules, an UNMAP-only
# translate-caching consumer, the invariant checker, random guests with
# shrinking; their tests, the long random run and the benchmarks.
#
#   make random-notify OPS=10000000        # or SECONDS=600; MODE=normal|sloppy|both
#   make bench-notify                      # interval structure, replay, throughput
#   make fuzz-notify FUZZ_TIME=600         # libFuzzer over the layer

NOTIFY_LIB_SRCS := harness/shadow/container.c harness/shadow/record.c \
                   harness/shadow/vhost.c \
                   harness/shadow/machine.c harness/shadow/check.c \
                   harness/shadow/gen.c
# The guest: the scenario engine's executor and the firmware's driver,
# against the model.
NOTIFY_DRIVER_SRCS := engine/engine.c engine/sm.c engine/ir.c vtd/cap.c \
                      vtd/context.c vtd/fault.c vtd/sm.c vtd/ir.c \
                      vtd/inv.c vtd/pgtable.c vtd/qi.c vtd/unit.c \
                      lib/wait.c lib/report.c lib/test.c lib/edu.c lib/pci.c \
                      lib/ioapic.c \
                      lib/pci_cfg.c harness/plat_mmio.c
# The scenario language's parser reads printed scripts back (--replay).
NOTIFY_PARSE_SRCS := engine/parse.c engine/parse_sm.c engine/ir_parse.c \
                     vtd/regmap.c lib/printf.c lib/xfail.c \
                     tests/host/plat_stub.c

# The model's objects are model/model.mk's (MODEL_HOST_OBJS and the
# like), named as $$(VAR) in the link rules: expanded once every fragment
# is read.
NOTIFY_HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(NOTIFY_LIB_SRCS) \
                      $(NOTIFY_DRIVER_SRCS) $(NOTIFY_PARSE_SRCS))
NOTIFY_BENCH_OBJS := $(patsubst %.c,$(B)/bench/%.o,$(NOTIFY_LIB_SRCS) \
                       $(NOTIFY_DRIVER_SRCS) $(NOTIFY_PARSE_SRCS))

NOTIFY_TESTS := container notify random
NOTIFY_TEST_BINS := $(patsubst %,$(B)/host/harness/shadow/test_%,$(NOTIFY_TESTS))

$(B)/host/harness/shadow/test_%: $(B)/host/harness/shadow/test_%.o \
        $(NOTIFY_HOST_OBJS) $$(MODEL_HOST_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

HOST_TESTS += $(NOTIFY_TEST_BINS)

# The random run for as long as asked, optimised and without sanitizers
# (the fixed seeds of make check run under them).
NOTIFY_RANDOM := $(B)/bench/harness/shadow/shadow-random
$(NOTIFY_RANDOM): $(B)/bench/harness/shadow/main.o $(NOTIFY_BENCH_OBJS) \
        $$(MODEL_BENCH_OBJS)
	@echo "  BENCHLD $@"
	$(Q)$(HOST_CC) -o $@ $^

OPS     ?= 10000000
SECONDS ?= 0
MODE    ?= both
SEED    ?= 1
.PHONY: random-notify bench-notify
random-notify: $(NOTIFY_RANDOM)
	$(Q)$(NOTIFY_RANDOM) --ops $(OPS) --seconds $(SECONDS) --mode $(MODE) \
	    --seed $(SEED) --out $(B)/shadow-violation.vtd

# Benchmarks: GTree baseline through pkg-config (libglib2.0-dev).
NOTIFY_GLIB_CFLAGS = $(shell pkg-config --cflags glib-2.0)
NOTIFY_GLIB_LIBS = $(shell pkg-config --libs glib-2.0)
$(B)/bench/harness/shadow/bench_iova.o: BENCH_CFLAGS += $(NOTIFY_GLIB_CFLAGS)

NOTIFY_BENCH_IOVA := $(B)/bench/harness/shadow/bench_iova
NOTIFY_BENCH_REPLAY := $(B)/bench/harness/shadow/bench_replay
$(NOTIFY_BENCH_IOVA): $(B)/bench/harness/shadow/bench_iova.o \
        $(B)/bench/model/iova_tree.o
	@echo "  BENCHLD $@"
	$(Q)$(HOST_CC) -o $@ $^ $(NOTIFY_GLIB_LIBS)
$(NOTIFY_BENCH_REPLAY): $(B)/bench/harness/shadow/bench_replay.o \
        $$(MODEL_BENCH_OBJS)
	@echo "  BENCHLD $@"
	$(Q)$(HOST_CC) -o $@ $^

bench-notify: $(NOTIFY_BENCH_IOVA) $(NOTIFY_BENCH_REPLAY) $(NOTIFY_RANDOM)
	$(Q)$(NOTIFY_BENCH_IOVA)
	$(Q)$(NOTIFY_BENCH_REPLAY)
	@echo "random guests with invariant checking after every invalidation:"
	$(Q)$(NOTIFY_RANDOM) --quiet --ops 1000000 --mode normal --seed 7
	$(Q)$(NOTIFY_RANDOM) --quiet --ops 1000000 --mode sloppy --seed 7

BENCHES += bench-notify

# libFuzzer over the layer: corrupted tables, any register, resets; the
# host side must stay consistent (harness/shadow/fuzz_notify.c).
NOTIFY_FUZZER := $(B)/fuzz/harness/shadow/fuzz_notify
NOTIFY_FUZZ_OBJS := $(patsubst %.c,$(B)/fuzz/%.o,harness/shadow/fuzz_notify.c \
                      harness/shadow/container.c harness/shadow/vhost.c)
$(NOTIFY_FUZZER): $(NOTIFY_FUZZ_OBJS) $$(MODEL_FUZZ_OBJS)
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^

.PHONY: fuzz-notify fuzz-notify-smoke
fuzz-notify-smoke: $(NOTIFY_FUZZER)
	@rm -rf $(B)/fuzz/notify-smoke && mkdir -p $(B)/fuzz/notify-smoke
	$(Q)$(NOTIFY_FUZZER) -max_total_time=10 -max_len=2048 \
	    -print_final_stats=1 $(B)/fuzz/notify-smoke \
	    2>$(B)/fuzz/notify-smoke.log || \
	    { tail -50 $(B)/fuzz/notify-smoke.log; exit 1; }
	@grep -E 'stat::number_of_executed_units' $(B)/fuzz/notify-smoke.log || true

fuzz-notify: $(NOTIFY_FUZZER)
	@mkdir -p $(B)/fuzz/notify-corpus
	$(NOTIFY_FUZZER) -max_total_time=$(FUZZ_TIME) -max_len=2048 -timeout=10 \
	    -print_final_stats=1 $(B)/fuzz/notify-corpus

FUZZ_SMOKE += fuzz-notify-smoke

.SECONDARY: $(NOTIFY_HOST_OBJS) $(NOTIFY_BENCH_OBJS) \
            $(NOTIFY_FUZZ_OBJS) \
            $(patsubst %,$(B)/host/harness/shadow/test_%.o,$(NOTIFY_TESTS)) \
            $(B)/bench/harness/shadow/main.o \
            $(B)/bench/harness/shadow/bench_iova.o \
            $(B)/bench/harness/shadow/bench_replay.o
