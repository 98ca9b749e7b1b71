/* SPDX-License-Identifier: MIT */
/*
 * Exceptions and kernel stacks: HYPERVISOR_set_trap_table (the PV IDT),
 * stack_switch (the stack a trap from user mode lands on), fpu_taskswitch
 * (CR0.TS) and set_segment_base (FS/GS bases without wrmsr).
 */
#ifndef VMI_TRAPS_H
#define VMI_TRAPS_H

#include <vmi/hypercall.h>
#include <xen/xen.h>

/* TI_SET_IF: entering through this trap masks events, like an interrupt gate. */
#define TRAP_INFO_MASK_EVENTS 4

/* IN: table, ended by an entry whose address is 0. */
static inline long hypercall_set_trap_table(const struct trap_info *table)
{
    return hypercall2(__HYPERVISOR_set_trap_table, (unsigned long)table, 0);
}

static inline long hypercall_stack_switch(unsigned long ss, unsigned long rsp)
{
    return hypercall2(__HYPERVISOR_stack_switch, ss, rsp);
}

/* set: 1 sets CR0.TS, 0 clears it. */
static inline long hypercall_fpu_taskswitch(int set)
{
    return hypercall2(__HYPERVISOR_fpu_taskswitch, (unsigned long)set, 0);
}

/* which: SEGBASE_*. */
static inline long hypercall_set_segment_base(unsigned int which, unsigned long base)
{
    return hypercall2(__HYPERVISOR_set_segment_base, which, base);
}

#endif
