/* SPDX-License-Identifier: MIT */
/*
 * Where a test guest lives: linked in the top 2 GiB like a Linux PV kernel,
 * VIRT_BASE = pseudo-physical 0, image at 1 MiB. Shared by the notes, the
 * entry, the linker script and C.
 */
#ifndef TESTS_COMMON_LAYOUT_H
#define TESTS_COMMON_LAYOUT_H

#define TEST_VIRT_BASE  0xffffffff80000000
#define TEST_LOAD_PHYS  0x100000
#define TEST_PAGE_SIZE  4096
#define TEST_STACK_SIZE 16384

#endif
