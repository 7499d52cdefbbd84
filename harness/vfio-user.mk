# SPDX-License-Identifier: GPL-2.0-or-later
# harness/vfio-user.mk — vfu-edu, a vfio-user server serving QEMU's edu
# to QEMU's vfio-user-pci client (harness/vfio-user/): the device model of
# the hosted machine (harness/hosted/edu_model.c) behind a PCI function,
# its DMA through an IOVA table with VFIO type1's rules (the assigned-
# device harness's container) built from the client's MAP/UNMAP messages.
#
#   build/host/harness/vfio-user/vfu-edu    ASan + UBSan
#   build/bench/harness/vfio-user/vfu-edu   -O2, no sanitizers
#   make fuzz-vfio-user FUZZ_TIME=600       libFuzzer over the dispatcher
#   harness/vfio-user/run-assigned TEST     server + QEMU 11 for one test

VFU_LIB_SRCS := harness/vfio-user/log.c harness/vfio-user/json.c \
                harness/vfio-user/iova.c harness/vfio-user/device.c \
                harness/vfio-user/server.c harness/hosted/edu_model.c \
                harness/shadow/container.c harness/shadow/record.c \
                model/iova_tree.c

VFU_HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(VFU_LIB_SRCS))
VFU_BENCH_OBJS := $(patsubst %.c,$(B)/bench/%.o,$(VFU_LIB_SRCS))
VFU_FUZZ_OBJS := $(patsubst %.c,$(B)/fuzz/%.o,$(VFU_LIB_SRCS))

VFU_SERVER := $(B)/host/harness/vfio-user/vfu-edu
VFU_SERVER_BENCH := $(B)/bench/harness/vfio-user/vfu-edu

$(VFU_SERVER): $(B)/host/harness/vfio-user/main.o $(VFU_HOST_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

$(VFU_SERVER_BENCH): $(B)/bench/harness/vfio-user/main.o $(VFU_BENCH_OBJS)
	@echo "  BENCHLD $@"
	$(Q)$(HOST_CC) -o $@ $^

ALL_TARGETS += $(VFU_SERVER) $(VFU_SERVER_BENCH)

.PHONY: vfu-edu
vfu-edu: $(VFU_SERVER) $(VFU_SERVER_BENCH)

# Unit tests (TAP): the IOVA table's rules and records; the dispatcher's
# checks, message by message.
VFU_TESTS := iova msg
VFU_TEST_BINS := $(patsubst %,$(B)/host/harness/vfio-user/test_%,$(VFU_TESTS))

$(B)/host/harness/vfio-user/test_%: $(B)/host/harness/vfio-user/test_%.o \
        $(VFU_HOST_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

HOST_TESTS += $(VFU_TEST_BINS)

# libFuzzer: arbitrary messages, with and without descriptors, through
# the dispatcher (harness/vfio-user/fuzz_msg.c).
VFU_FUZZER := $(B)/fuzz/harness/vfio-user/fuzz_msg
$(VFU_FUZZER): $(B)/fuzz/harness/vfio-user/fuzz_msg.o $(VFU_FUZZ_OBJS)
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^

# Seeds: QEMU's set-up sequence, MSI and INTx, mappings, a guest's DMA
# (harness/vfio-user/gen_seeds.py), written afresh into the build tree.
VFU_SEEDS := $(B)/fuzz/vfio-user-seeds
$(VFU_SEEDS)/setup: harness/vfio-user/gen_seeds.py
	$(Q)python3 harness/vfio-user/gen_seeds.py $(VFU_SEEDS)

.PHONY: fuzz-vfio-user fuzz-vfio-user-smoke
fuzz-vfio-user-smoke: $(VFU_FUZZER) $(VFU_SEEDS)/setup
	@rm -rf $(B)/fuzz/vfio-user-smoke && mkdir -p $(B)/fuzz/vfio-user-smoke
	$(Q)$(VFU_FUZZER) -max_total_time=10 -max_len=4096 -timeout=10 \
	    -artifact_prefix=$(B)/fuzz/vfio-user- \
	    -print_final_stats=1 $(B)/fuzz/vfio-user-smoke $(VFU_SEEDS) \
	    2>$(B)/fuzz/vfio-user-smoke.log || \
	    { tail -50 $(B)/fuzz/vfio-user-smoke.log; exit 1; }
	@grep -E 'stat::number_of_executed_units' \
	    $(B)/fuzz/vfio-user-smoke.log || true

fuzz-vfio-user: $(VFU_FUZZER) $(VFU_SEEDS)/setup
	@mkdir -p $(B)/fuzz/vfio-user-corpus
	$(VFU_FUZZER) -max_total_time=$(FUZZ_TIME) -max_len=4096 -timeout=10 \
	    -artifact_prefix=$(B)/fuzz/vfio-user- \
	    -print_final_stats=1 $(B)/fuzz/vfio-user-corpus $(VFU_SEEDS)

FUZZ_SMOKE += fuzz-vfio-user-smoke

.SECONDARY: $(VFU_HOST_OBJS) $(VFU_BENCH_OBJS) $(VFU_FUZZ_OBJS) \
            $(patsubst %,$(B)/host/harness/vfio-user/test_%.o,$(VFU_TESTS)) \
            $(B)/host/harness/vfio-user/main.o \
            $(B)/bench/harness/vfio-user/main.o \
            $(B)/fuzz/harness/vfio-user/fuzz_msg.o
