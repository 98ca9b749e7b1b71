# SPDX-License-Identifier: MIT
# Xenolith (hypervisor) and Lithos (guest kernel): one Makefile for the tree.
#   make           build build/xenolith and build/lithos.elf
#   make run       boot Xenolith with two Lithos guests under QEMU, on this terminal
#   make debug     the same, stopped at the first instruction with a gdbstub on :1234
#   make test      host unit tests, QEMU boot tests; ends with "N passed, N failed"
#   make fuzz      run each libFuzzer harness for FUZZ_SECONDS, growing tests/fuzz/corpus/
#   make deps      install the toolchain with apt-get (a no-op when present)

BUILD   := build
VERSION := $(shell cat VERSION)

include mk/flags.mk

# Keep intermediate objects (user programs, linker scripts): rebuilding
# them on every run only costs time.
.SECONDARY:

.PHONY: all deps test run debug clean check-layers format
.DEFAULT_GOAL := all

all: $(BUILD)/xenolith $(BUILD)/lithos.elf

deps:
	@sh mk/deps.sh

$(XEN_INCLUDE)/xen: | deps
	@mkdir -p $(XEN_INCLUDE)
	@ln -sfn /usr/include/xen $@

include mk/newlib.mk
include hypervisor/build.mk
include guest-kernel/build.mk
include tests/build.mk
include tests/conformance/build.mk
include bench/build.mk
include mk/fuzz.mk

QEMU      := qemu-system-x86_64
# -smap works around QEMU 7.2's TCG iret bug (see ARCHITECTURE.md §1).
QEMU_BASE := -accel tcg -cpu max,-smap -m 512 -no-reboot \
             -device isa-debug-exit,iobase=0xf4,iosize=0x04
RUN_GUEST ?= $(BUILD)/lithos.elf name=a mem=32M consoles=2 -- shell,$(BUILD)/lithos.elf name=b mem=32M -- shell

# -echr 0x14: QEMU's own console escape becomes Ctrl-T, so that Ctrl-A
# reaches Xenolith (three of them switch the focused guest).
run: all | deps
	$(QEMU) $(QEMU_BASE) -nographic -echr 0x14 -kernel $(BUILD)/xenolith -initrd "$(RUN_GUEST)" || true

debug: all | deps
	@echo "gdb $(BUILD)/xenolith -ex 'target remote :1234'   (see README, Debugging)"
	$(QEMU) $(QEMU_BASE) -nographic -s -S -kernel $(BUILD)/xenolith -initrd "$(RUN_GUEST)" || true

test: all $(UNIT_TEST_BIN) $(CONFORMANCE_ELFS) $(FUZZ_BINS) $(BUILD)/lithos.bzimage | deps
	@tests/run

# Layering (ARCHITECTURE.md §2): the hypervisor and the guest side share only
# the ABI in the Xen headers.
check-layers: all
	@sh mk/check-layers.sh
	@sh mk/check-deps.sh $(BUILD)

clean:
	rm -rf $(BUILD)

# The one style (.clang-format), applied to every tracked C file; make test
# checks it (mk/check-format.sh).
format: | deps
	@git ls-files '*.c' '*.h' | xargs clang-format-14 --style=file -i
