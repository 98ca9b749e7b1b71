# SPDX-License-Identifier: MIT
# Compiler and linker flags shared by every build product. One place, so the
# hypervisor, the guest and the host tests never disagree on warnings.

CC      ?= gcc
LD      := ld
OBJCOPY := objcopy
AR      := ar

GCC_INCLUDE := $(shell $(CC) -print-file-name=include)

# Xen's public headers are used in place from libxen-dev. Freestanding code
# must not see the rest of /usr/include, so it gets a directory holding only
# a symlink to them.
XEN_INCLUDE := $(BUILD)/include

# newlib, built once by mk/newlib.mk (position-independent, no red zone, no
# SSE in anything kernel code calls), is the libc of Lithos and of Xenolith.
NEWLIB_PREFIX := $(BUILD)/newlib/x86_64-elf

# Without this, xen.h falls back to the oldest interface and, for one,
# numbers sched_op as the compat hypercall 6 instead of 29.
XEN_ABI := -D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__

WARNINGS := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter

# Freestanding kernel code: no red zone (interrupts and traps push onto the
# current stack), no SSE (the FPU is not managed yet), no host headers.
KERNEL_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -ffreestanding -fno-builtin \
    -fno-stack-protector -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
    -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx \
    -nostdinc -isystem $(GCC_INCLUDE) -U__linux__ -U__gnu_linux__ -Ulinux \
    -ffunction-sections -fdata-sections -I$(XEN_INCLUDE) $(XEN_ABI)

# Xenolith lives inside Xen's reserved range (0xffff8...), far from the top
# 2 GiB that -mcmodel=kernel needs, so it is compiled position-independent
# (every access RIP-relative) and linked at a fixed address with -no-pie.
HV_CFLAGS  := $(KERNEL_CFLAGS) -fpie -fvisibility=hidden -DXENOLITH -Ihypervisor -iquote . \
              -I$(NEWLIB_PREFIX)/include
HV_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack \
              --no-warn-rwx-segments

# Lithos links in the top 2 GiB like a Linux PV kernel.
GUEST_CFLAGS  := $(KERNEL_CFLAGS) -mcmodel=kernel -fno-pic -fno-pie -DLITHOS \
                 -I. -I$(NEWLIB_PREFIX)/include
GUEST_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack \
                 --no-warn-rwx-segments

# Host unit tests build the real hypervisor sources against the host libc.
# -iquote, not -I: glibc's own #include <features.h> must not find
# hypervisor/features.h.
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARNINGS) $(XEN_ABI) -DHOST_TEST -iquote hypervisor -I. \
               -fsanitize=address,undefined -fno-omit-frame-pointer
HOST_LDLIBS := -lcunit -llz4 -fsanitize=address,undefined
