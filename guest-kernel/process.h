/* SPDX-License-Identifier: MIT */
/*
 * User processes: an ELF image in its own address space, run by one
 * kernel thread that enters ring 3 (natively) or guest user mode (PV).
 *
 *   0x0000000000400000  program segments (the user linker script's base)
 *   after the last      heap, grown by SYS_sbrk up to USER_HEAP_MAX
 *   0x3fff7000..0x3ffff000  stack (USER_STACK_PAGES), guard page above
 *   0x40000000          end: one L3 entry, so one L2, covers it all
 */
#ifndef GUEST_KERNEL_PROCESS_H
#define GUEST_KERNEL_PROCESS_H

#include <pvops/pvops.h>
#include <stddef.h>
#include <stdint.h>

#define USER_END         0x40000000UL
#define USER_STACK_TOP   (USER_END - 0x1000)
#define USER_STACK_PAGES 8
#define USER_HEAP_MAX    (1UL << 20)

struct thread;

struct uspace {
    unsigned long kernel_l4; /* kernel mode's root: kernel slots + user */
    unsigned long user_l4;   /* user mode's root under PV: user only */
    unsigned long l3, l2;
    unsigned long l1[512]; /* by L2 index; 0 = none */
};

struct process {
    int pid;
    int exit_status;
    int killed;
    unsigned long brk_start, brk;
    struct uspace as;
    struct thread *thread;
};

/* Loads elf into a new process and starts it; 0 and *p, or an errno. */
int process_spawn(const void *elf, size_t len, struct process **p);
/* Waits for p to end, frees it; OUT: its exit status and whether it was
 * killed by a fault. */
void process_wait(struct process *p, int *status, int *killed);
/* Loads p's page tables (called by the scheduler on a switch to p). */
void process_activate(struct process *p);
/* The SYSCALL handler and the user-mode fault handler (trap.c). */
void process_syscall(struct pv_trap_frame *f);
__attribute__((noreturn)) void process_fault(struct pv_trap_frame *f);

#endif
