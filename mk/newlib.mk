# SPDX-License-Identifier: MIT
# newlib 3.3.0, built once into $(BUILD)/newlib and linked into both Lithos
# and Xenolith (see ../shared/design/NEWLIB.md). Exports NEWLIB_STAMP: make
# objects depend on it (order-only) and images on it (normal), and use
# $(NEWLIB_PREFIX)/include and $(NEWLIB_PREFIX)/lib/libc.a from mk/flags.mk.

NEWLIB_TARBALL := /usr/src/newlib/newlib-3.3.0.tar.xz
NEWLIB_DIR     := $(BUILD)/newlib
NEWLIB_JOBS    ?= 2

# One build serves a -mcmodel=kernel image at the top of memory and a PIE
# linked inside Xen's range, so it is position-independent; no red zone and
# no SSE for the kernels' sake (mk/newlib-cc.sh handles the double-only files).
NEWLIB_CFLAGS := -O2 -g -fpie -mno-red-zone -fno-stack-protector \
    -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
    -mno-sse -mno-sse2 -mno-mmx -mno-avx \
    -nostdinc -isystem $(GCC_INCLUDE) -U__linux__ -U__gnu_linux__ -Ulinux

NEWLIB_CONFIGURE := --target=x86_64-elf --disable-multilib \
    --disable-newlib-supplied-syscalls --enable-newlib-io-long-long \
    --enable-newlib-io-c99-formats --disable-newlib-io-float --disable-nls

# The stamp's name carries a hash of the flags and configure options, so
# changing either rebuilds; the scripts are plain prerequisites.
NEWLIB_KEY   := $(shell echo '$(NEWLIB_CFLAGS) $(NEWLIB_CONFIGURE)' | md5sum | cut -c1-10)
NEWLIB_STAMP := $(NEWLIB_DIR)/.built-$(NEWLIB_KEY)

$(NEWLIB_STAMP): mk/newlib-cc.sh mk/newlib-build.sh $(wildcard $(NEWLIB_TARBALL)) | deps
	@rm -f $@
	@NEWLIB_TARBALL=$(NEWLIB_TARBALL) NEWLIB_DIR=$(NEWLIB_DIR) NEWLIB_STAMP=$@ \
	 NEWLIB_CONFIGURE='$(NEWLIB_CONFIGURE)' NEWLIB_JOBS=$(NEWLIB_JOBS) MAKE=$(MAKE) \
	 NEWLIB_CC='$(abspath mk/newlib-cc.sh) $(NEWLIB_CFLAGS)' sh mk/newlib-build.sh

.PHONY: newlib
newlib: $(NEWLIB_STAMP)
