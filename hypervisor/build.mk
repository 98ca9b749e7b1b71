# SPDX-License-Identifier: MIT
# Xenolith: every .c and .S under hypervisor/, at any depth, is part of the
# image (docs/architecture.md says which folder holds what).

HV_SRCS := $(filter-out hypervisor/arch/x86/asm-offsets.c,\
             $(sort $(shell find hypervisor -name '*.c' -o -name '*.S')))
HV_ASM_OFFSETS := $(BUILD)/hypervisor/asm-offsets.h
# The hardware drivers Xenolith shares with Lithos, built with its flags.
HV_DRIVER_SRCS := drivers/lapic.c drivers/pit8254.c drivers/rtc_cmos.c drivers/uart16550.c
HV_OBJS := $(patsubst %,$(BUILD)/%.o,$(HV_SRCS)) \
           $(patsubst drivers/%,$(BUILD)/hypervisor/drivers/%.o,$(HV_DRIVER_SRCS))

$(BUILD)/hypervisor/%.c.o: hypervisor/%.c | deps $(XEN_INCLUDE)/xen $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -DXENOLITH_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

$(BUILD)/hypervisor/drivers/%.c.o: drivers/%.c | deps $(XEN_INCLUDE)/xen $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/hypervisor/%.S.o: hypervisor/%.S $(HV_ASM_OFFSETS) | deps $(XEN_INCLUDE)/xen
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -I$(BUILD)/hypervisor -D__ASSEMBLY__ -MMD -MP -c $< -o $@

# Structure offsets for the assembly, generated from the C definitions.
$(HV_ASM_OFFSETS): hypervisor/arch/x86/asm-offsets.c hypervisor/arch/x86/traps.h | deps $(XEN_INCLUDE)/xen
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -S $< -o $@.s
	sed -n 's/.*->\([A-Za-z_0-9]*\) \$$\{0,1\}\([0-9]*\).*/#define \1 \2/p' $@.s > $@.tmp
	mv $@.tmp $@

# build/xenolith is an ELF64 with symbols (for gdb) whose Multiboot 1 header
# uses the a.out kludge, so QEMU and GRUB load it at its physical addresses.
$(BUILD)/xenolith: $(HV_OBJS) hypervisor/xenolith.ld $(NEWLIB_STAMP)
	$(LD) $(HV_LDFLAGS) --gc-sections -T hypervisor/xenolith.ld -Map $@.map -o $@ \
	    $(HV_OBJS) $(NEWLIB_PREFIX)/lib/libc.a
	sh mk/check-no-sse.sh $@

-include $(HV_OBJS:.o=.d)
