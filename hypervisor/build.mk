# SPDX-License-Identifier: MIT
# Xenolith: every .c and .S under hypervisor/ is part of the image.

HV_SRCS := $(sort $(wildcard hypervisor/*.c hypervisor/*/*.c hypervisor/*.S hypervisor/*/*.S))
HV_OBJS := $(patsubst %,$(BUILD)/%.o,$(HV_SRCS))

$(BUILD)/hypervisor/%.c.o: hypervisor/%.c | deps $(XEN_INCLUDE)/xen
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -DXENOLITH_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

$(BUILD)/hypervisor/%.S.o: hypervisor/%.S | deps $(XEN_INCLUDE)/xen
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

# build/xenolith is an ELF64 with symbols (for gdb) whose Multiboot 1 header
# uses the a.out kludge, so QEMU and GRUB load it at its physical addresses.
$(BUILD)/xenolith: $(HV_OBJS) hypervisor/xenolith.ld
	$(LD) $(HV_LDFLAGS) -T hypervisor/xenolith.ld -Map $@.map -o $@ $(HV_OBJS)

-include $(HV_OBJS:.o=.d)
