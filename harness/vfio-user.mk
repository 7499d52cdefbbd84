# harness/vfio-user.mk — vfu-edu, a vfio-user server serving QEMU's edu
# to QEMU's vfio-user-pci client (harness/vfio-user/): the device model of
# the hosted machine (harness/hosted/edu_model.c) behind a PCI function,
# its DMA through an IOVA table with VFIO type1's rules (the assigned-
# device harness's container) built from the client's MAP/UNMAP messages.
#
#   build/host/harness/vfio-user/vfu-edu    ASan + UBSan
#   build/bench/harness/vfio-user/vfu-edu   -O2, no sanitizers

VFU_LIB_SRCS := harness/vfio-user/log.c harness/vfio-user/json.c \
                harness/vfio-user/iova.c harness/vfio-user/device.c \
                harness/vfio-user/server.c harness/hosted/edu_model.c \
                harness/shadow/container.c model/iova_tree.c

VFU_HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(VFU_LIB_SRCS))
VFU_BENCH_OBJS := $(patsubst %.c,$(B)/bench/%.o,$(VFU_LIB_SRCS))

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

.SECONDARY: $(VFU_HOST_OBJS) $(VFU_BENCH_OBJS) \
            $(patsubst %,$(B)/host/harness/vfio-user/test_%.o,$(VFU_TESTS)) \
            $(B)/host/harness/vfio-user/main.o \
            $(B)/bench/harness/vfio-user/main.o
