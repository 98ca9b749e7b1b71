/* SPDX-License-Identifier: MIT */
/*
 * Lithos system-call numbers, shared by the kernel and user programs.
 * SYSCALL with the number in rax, arguments in rdi, rsi, rdx; the result
 * in rax, negative (a Xen errno) on failure. Linux's numbers, for gdb's sake.
 */
#ifndef GUEST_KERNEL_SYSCALL_NR_H
#define GUEST_KERNEL_SYSCALL_NR_H

#define SYS_read    0  /* (fd, buf, len): bytes ready now, maybe 0 */
#define SYS_write   1  /* (fd, buf, len) */
#define SYS_sbrk    12 /* (increment): the old break */
#define SYS_yield   24
#define SYS_sleep   35 /* (ns) */
#define SYS_getpid  39
#define SYS_exit    60 /* (status) */
#define NR_SYSCALLS 61

#endif
