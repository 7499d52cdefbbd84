# SPDX-License-Identifier: GPL-2.0-or-later
# model/model.mk — the VT-d device model, its unit tests, fuzzer and benchmark.

MODEL_SRCS := model/vtd_model.c model/vtd_cache.c model/vtd_walk.c \
              model/vtd_inval.c model/vtd_ir.c model/vtd_trace.c \
              model/vtd_prq.c model/iova_tree.c model/vtd_notify.c

MODEL_HOST_OBJS  := $(patsubst %.c,$(B)/host/%.o,$(MODEL_SRCS))
MODEL_BENCH_OBJS := $(patsubst %.c,$(B)/bench/%.o,$(MODEL_SRCS))
MODEL_FUZZ_OBJS  := $(patsubst %.c,$(B)/fuzz/%.o,$(MODEL_SRCS))

MODEL_TESTS := regs xlate inval qi ir sm policy bugclass iova prq
MODEL_TEST_BINS := $(patsubst %,$(B)/host/tests/model/test_%,$(MODEL_TESTS))

$(B)/host/tests/model/test_%: $(B)/host/tests/model/test_%.o $(MODEL_HOST_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

HOST_TESTS += $(MODEL_TEST_BINS)

# libFuzzer target: MMIO writes and guest memory contents from the input.
MODEL_FUZZER := $(B)/fuzz/tests/model/fuzz_model
MODEL_CORPUS := tests/model/corpus

$(MODEL_FUZZER): $(B)/fuzz/tests/model/fuzz_model.o $(MODEL_FUZZ_OBJS)
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^

.PHONY: fuzz-model fuzz-model-smoke bench-model
# Short run on a scratch copy so the kept seed corpus stays small.
fuzz-model-smoke: $(MODEL_FUZZER)
	@rm -rf $(B)/fuzz/model-smoke && mkdir -p $(B)/fuzz/model-smoke
	$(Q)$(MODEL_FUZZER) -max_total_time=20 -max_len=4096 -print_final_stats=1 \
	    $(B)/fuzz/model-smoke $(MODEL_CORPUS) 2>$(B)/fuzz/model-smoke.log || \
	    { tail -50 $(B)/fuzz/model-smoke.log; exit 1; }
	@grep -E 'stat::number_of_executed_units' $(B)/fuzz/model-smoke.log || true

fuzz-model: $(MODEL_FUZZER)
	@mkdir -p $(B)/fuzz/model-corpus
	$(MODEL_FUZZER) -max_total_time=$(FUZZ_TIME) -max_len=1024 -timeout=10 \
	    -print_final_stats=1 $(B)/fuzz/model-corpus $(MODEL_CORPUS)

FUZZ_SMOKE += fuzz-model-smoke

MODEL_BENCH := $(B)/bench/tests/model/bench_model
$(MODEL_BENCH): $(B)/bench/tests/model/bench_model.o $(MODEL_BENCH_OBJS)
	@echo "  BENCHLD $@"
	$(Q)$(HOST_CC) -o $@ $^

bench-model: $(MODEL_BENCH)
	$(Q)$(MODEL_BENCH)

BENCHES += bench-model

# Objects reached only through pattern rules would count as intermediate
# and be deleted after every build; keep them.
.SECONDARY: $(MODEL_HOST_OBJS) $(MODEL_BENCH_OBJS) $(MODEL_FUZZ_OBJS) \
            $(patsubst %,$(B)/host/tests/model/test_%.o,$(MODEL_TESTS))
