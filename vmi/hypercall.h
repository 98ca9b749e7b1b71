/* SPDX-License-Identifier: MIT */
/*
 * The PV64 hypercall register convention, in this one place: call entry
 * 32*nr of the hypercall page with arguments in rdi, rsi, rdx, r10, r8; the
 * result (0 or a negative Xen errno) comes back in rax. Typed wrappers for
 * each hypercall live in their own headers and call hypercall5().
 */
#ifndef VMI_HYPERCALL_H
#define VMI_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>

/* Filled by the hypervisor at domain build time (XEN_ELFNOTE_HYPERCALL_PAGE). */
extern char hypercall_page[];

/*
 * Every argument register is marked clobbered because a debug Xen poisons
 * the ones a hypercall does not use. The stub itself saves rcx and r11
 * around its syscall; "memory" because hypercalls read and write guest
 * buffers the compiler cannot see through the integer arguments.
 */
static inline long hypercall5(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
                              unsigned long a4, unsigned long a5)
{
    register unsigned long rdi asm("rdi") = a1;
    register unsigned long rsi asm("rsi") = a2;
    register unsigned long rdx asm("rdx") = a3;
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    long rax;

    asm volatile("call *%[entry]"
                 : "=a"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8)
                 : [entry] "r"(hypercall_page + 32 * nr)
                 : "memory", "rcx", "r11", "r9");
    return rax;
}

static inline long hypercall2(unsigned int nr, unsigned long a1, unsigned long a2)
{
    return hypercall5(nr, a1, a2, 0, 0, 0);
}

static inline long hypercall3(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3)
{
    return hypercall5(nr, a1, a2, a3, 0, 0);
}

#endif
