# SPDX-License-Identifier: MIT
# Lithos: one ELF64 image, build/lithos.elf, from guest-kernel/ and the
# guest-side libraries (pvops/, vmi/, drivers/), linked with newlib's libc.
# Objects go under $(BUILD)/lithos/ so drivers/ can also be built for
# Xenolith with other flags.

LITHOS_SRCS := $(filter-out %.ld.S,$(sort $(wildcard guest-kernel/*.c guest-kernel/*.S \
    pvops/*.c pvops/*.S pvops/native/*.c pvops/native/*.S pvops/xen/*.c pvops/xen/*.S \
    vmi/*.c vmi/*.S drivers/*.c)))
LITHOS_OBJS := $(patsubst %,$(BUILD)/lithos/%.o,$(LITHOS_SRCS))
LITHOS_LDS  := $(BUILD)/lithos/lithos.ld

# The guest speaks the current interface (the headers default to the
# oldest, where __HYPERVISOR_sched_op is the compat number).
LITHOS_CFLAGS := $(GUEST_CFLAGS) -DLITHOS_VERSION='"$(VERSION)"' \
    -D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__

$(BUILD)/lithos/%.c.o: %.c | deps $(XEN_INCLUDE)/xen $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LITHOS_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/lithos/%.S.o: %.S | deps $(XEN_INCLUDE)/xen $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LITHOS_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

include user/build.mk

# The user programs are embedded whole.
$(BUILD)/lithos/guest-kernel/user_images.S.o: $(USER_ELFS)
$(BUILD)/lithos/guest-kernel/user_images.S.o: LITHOS_CFLAGS += \
    -DUSER_HELLO_ELF='"$(BUILD)/user/hello.elf"' -DUSER_FAULT_ELF='"$(BUILD)/user/fault.elf"'

# The version string is compiled into these two.
$(BUILD)/lithos/guest-kernel/main.c.o $(BUILD)/lithos/guest-kernel/elf_notes.S.o: VERSION

$(LITHOS_LDS): guest-kernel/lithos.ld.S guest-kernel/layout.h
	@mkdir -p $(dir $@)
	$(CC) -E -P -x c -D__ASSEMBLY__ -I. $< -o $@

# Linked to a temporary name first so a failed SSE check leaves no image.
$(BUILD)/lithos.elf: $(LITHOS_OBJS) $(LITHOS_LDS) $(NEWLIB_STAMP) mk/check-no-sse.sh
	$(LD) $(GUEST_LDFLAGS) --gc-sections -T $(LITHOS_LDS) -Map $@.map -o $@.tmp \
	    $(LITHOS_OBJS) $(NEWLIB_PREFIX)/lib/libc.a
	sh mk/check-no-sse.sh $@.tmp
	mv $@.tmp $@

-include $(LITHOS_OBJS:.o=.d)
