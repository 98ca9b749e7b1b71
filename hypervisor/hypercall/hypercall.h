/* SPDX-License-Identifier: MIT */
/* Hypercall handlers, do_<Xen name>, each with the typed prototype Xen's
 * hypercall-defs.c gives it: an `int` or `unsigned int` argument is the
 * low half of its register (Xen ignores the upper half), guest pointers and
 * `unsigned long` arguments are whole registers (uint64_t). The dispatch
 * table (pv/hypercall.c) narrows the five argument registers (rdi, rsi,
 * rdx, r10, r8) once, for the table and for multicall alike. */
#ifndef XENOLITH_HYPERCALL_H
#define XENOLITH_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>

/* The register shape of the table's entries. */
typedef long hypercall_fn(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

long do_set_trap_table(uint64_t traps);
long do_mmu_update(uint64_t ureqs, unsigned int count, uint64_t pdone, unsigned int foreigndom);
long do_set_gdt(uint64_t frame_list, unsigned int entries);
long do_stack_switch(uint64_t ss, uint64_t sp);
long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall);
long do_fpu_taskswitch(int set);
long do_set_timer_op(uint64_t timeout);
long do_update_descriptor(uint64_t pa, uint64_t desc);
long do_memory_op(uint64_t cmd, uint64_t arg);
long do_multicall(uint64_t call_list, unsigned int nr_calls);
long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags);
long do_set_segment_base(unsigned int which, uint64_t base);
long do_mmuext_op(uint64_t uops, unsigned int count, uint64_t pdone, unsigned int foreigndom);
long do_xen_version(int cmd, uint64_t arg);
long do_console_io(int cmd, unsigned int count, uint64_t buffer);
long do_grant_table_op(unsigned int cmd, uint64_t uop, unsigned int count);
long do_vm_assist(unsigned int cmd, unsigned int type);
long do_iret(void);
long do_vcpu_op(int cmd, unsigned int vcpuid, uint64_t arg);
long do_callback_op(int cmd, uint64_t arg);
long do_event_channel_op(int cmd, uint64_t arg);
long do_sched_op(int cmd, uint64_t arg);

/* Runs hypercall nr with its register arguments; -ENOSYS when there is
 * none. The multicall path uses it too. */
long hypercall_dispatch(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                        uint64_t a5);

void do_hypercall(struct cpu_user_regs *regs);
void do_compat_syscall(struct cpu_user_regs *regs);
void bad_guest_frame(struct cpu_user_regs *regs);

#endif
