# SPDX-License-Identifier: MIT
# Host unit tests: the CUnit suites in tests/unit/ linked with the real,
# hardware-free hypervisor sources, compiled for the host under $(BUILD)/host/.

UNIT_TEST_BIN := $(BUILD)/unit-tests

# Only pure modules can run on the host; add a file here when its code has
# no hardware access and builds with HOST_CFLAGS.
UNIT_HV_SRCS := hypervisor/toolstack/elf_image.c hypervisor/toolstack/xen_notes.c hypervisor/toolstack/xen_guest_info.c hypervisor/toolstack/builder_layout.c \
                hypervisor/pv/hypercall_page.c hypervisor/lib/frame_alloc.c \
                hypervisor/toolstack/module_config.c hypervisor/arch/x86/x86_decode.c \
                hypervisor/frames/page_type.c hypervisor/frames/page_audit.c hypervisor/event/evtchn.c \
                $(sort $(wildcard hypervisor/xenstore/*.c)) hypervisor/console/console_mux.c \
                hypervisor/backends/xenbus_state.c hypervisor/console/console_txq.c \
                hypervisor/lib/lz4.c hypervisor/toolstack/bzimage.c
UNIT_SRCS    := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJS    := $(patsubst %.c,$(BUILD)/host/%.o,$(UNIT_HV_SRCS) $(UNIT_SRCS))

$(BUILD)/host/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(UNIT_TEST_BIN): $(UNIT_OBJS) | deps
	$(CC) $(HOST_CFLAGS) -o $@ $(UNIT_OBJS) $(HOST_LDLIBS) -lpthread

-include $(UNIT_OBJS:.o=.d)

# A Lithos bzImage (tests/tools/mkbzimage.c), for the loader's bzImage path
# (tests/boot/xenolith-bzimage.sh).
$(BUILD)/host/mkbzimage: tests/tools/mkbzimage.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -o $@ $< $(HOST_LDLIBS)

$(BUILD)/lithos.bzimage: $(BUILD)/lithos.elf $(BUILD)/host/mkbzimage
	$(BUILD)/host/mkbzimage $< $@.tmp && mv $@.tmp $@
