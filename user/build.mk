# SPDX-License-Identifier: MIT
# Lithos user programs: static ELF64 files at 0x400000 over newlib, with
# Lithos's system calls (user/syscalls.c), stripped, and embedded in the
# kernel by guest-kernel/user_images.S. Included from guest-kernel/build.mk.

USER_PROGS := hello fault
USER_ELFS  := $(patsubst %,$(BUILD)/user/%.elf,$(USER_PROGS))
USER_LIB_OBJS := $(BUILD)/user/crt0.S.o $(BUILD)/user/syscalls.c.o

# The small code model (user space is below 2 GiB); still no SSE, since
# the kernel does not switch FPU state between processes.
USER_CFLAGS := $(filter-out -mcmodel=kernel,$(GUEST_CFLAGS)) -mcmodel=small \
    -D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__

$(BUILD)/user/%.c.o: user/%.c | deps $(XEN_INCLUDE)/xen $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/user/%.S.o: user/%.S | deps
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

$(BUILD)/user/%.elf: $(BUILD)/user/%.c.o $(USER_LIB_OBJS) user/user.ld $(NEWLIB_STAMP)
	$(LD) $(GUEST_LDFLAGS) --gc-sections -s -T user/user.ld -o $@ \
	    $(USER_LIB_OBJS) $< $(NEWLIB_PREFIX)/lib/libc.a

-include $(USER_LIB_OBJS:.o=.d) $(patsubst %,$(BUILD)/user/%.c.d,$(USER_PROGS))
