# harness/notify.mk — the assigned-device side of the notifier layer
# (harness/shadow/): host containers with VFIO type1 rules, an UNMAP-only
# translate-caching consumer, the invariant checker, random guests with
# shrinking; their tests, the long random run and the benchmarks.
#
#   make random-notify OPS=10000000        # or SECONDS=600; MODE=normal|sloppy|both
#   make bench-notify                      # interval structure, replay, throughput

NOTIFY_LIB_SRCS := harness/shadow/container.c harness/shadow/vhost.c \
                   harness/shadow/machine.c harness/shadow/check.c \
                   harness/shadow/gen.c
# The scenario language's parser reads printed scripts back (--replay).
NOTIFY_PARSE_SRCS := tests/engine/parse.c lib/printf.c tests/host/plat_stub.c

# harness/ is included before model/: the model's objects from its sources
# (every .c file of model/ is part of the model library).
NOTIFY_MODEL_SRCS := $(sort $(wildcard model/*.c))

NOTIFY_HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(NOTIFY_LIB_SRCS) \
                      $(NOTIFY_PARSE_SRCS) $(NOTIFY_MODEL_SRCS))
NOTIFY_BENCH_OBJS := $(patsubst %.c,$(B)/bench/%.o,$(NOTIFY_LIB_SRCS) \
                       $(NOTIFY_PARSE_SRCS))
NOTIFY_MODEL_BENCH_OBJS := $(patsubst %.c,$(B)/bench/%.o,$(NOTIFY_MODEL_SRCS))

NOTIFY_TESTS := container notify random
NOTIFY_TEST_BINS := $(patsubst %,$(B)/host/harness/shadow/test_%,$(NOTIFY_TESTS))

$(B)/host/harness/shadow/test_%: $(B)/host/harness/shadow/test_%.o \
        $(NOTIFY_HOST_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

HOST_TESTS += $(NOTIFY_TEST_BINS)

# The random run for as long as asked, optimised and without sanitizers
# (the fixed seeds of make check run under them).
NOTIFY_RANDOM := $(B)/bench/harness/shadow/shadow-random
$(NOTIFY_RANDOM): $(B)/bench/harness/shadow/main.o $(NOTIFY_BENCH_OBJS) \
        $(NOTIFY_MODEL_BENCH_OBJS)
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
        $(NOTIFY_MODEL_BENCH_OBJS)
	@echo "  BENCHLD $@"
	$(Q)$(HOST_CC) -o $@ $^

bench-notify: $(NOTIFY_BENCH_IOVA) $(NOTIFY_BENCH_REPLAY) $(NOTIFY_RANDOM)
	$(Q)$(NOTIFY_BENCH_IOVA)
	$(Q)$(NOTIFY_BENCH_REPLAY)
	@echo "random guests with invariant checking after every invalidation:"
	$(Q)$(NOTIFY_RANDOM) --quiet --ops 1000000 --mode normal --seed 7
	$(Q)$(NOTIFY_RANDOM) --quiet --ops 1000000 --mode sloppy --seed 7

BENCHES += bench-notify

.SECONDARY: $(NOTIFY_HOST_OBJS) $(NOTIFY_BENCH_OBJS) $(NOTIFY_MODEL_BENCH_OBJS) \
            $(patsubst %,$(B)/host/harness/shadow/test_%.o,$(NOTIFY_TESTS)) \
            $(B)/bench/harness/shadow/main.o \
            $(B)/bench/harness/shadow/bench_iova.o \
            $(B)/bench/harness/shadow/bench_replay.o
