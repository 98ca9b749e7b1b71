/* SPDX-License-Identifier: MIT */
/*
 * The 64-bit PV hypercall page: 128 stubs of 32 bytes, the rest 0xcc
 * (PV64-ABI.md). Entry i is "push %rcx; push %r11; mov $i,%eax; syscall;
 * pop %r11; pop %rcx; ret"; __HYPERVISOR_iret pushes rax too and never returns.
 */
#ifndef XENOLITH_HYPERCALL_PAGE_H
#define XENOLITH_HYPERCALL_PAGE_H

#include <stdint.h>

#define HYPERCALL_PAGE_SIZE 4096
#define HYPERCALL_STUB_SIZE 32

void hypercall_page_fill(uint8_t page[HYPERCALL_PAGE_SIZE]);

#endif
