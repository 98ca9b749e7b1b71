/* SPDX-License-Identifier: MIT */
/* Hypercall handlers, do_<Xen name>, all with the register-argument shape
 * of the dispatch table (rdi, rsi, rdx, r10, r8 in that order). */
#ifndef XENOLITH_HYPERCALL_H
#define XENOLITH_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>

typedef long hypercall_fn(uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

hypercall_fn do_console_io;
hypercall_fn do_xen_version;
hypercall_fn do_sched_op;
hypercall_fn do_update_va_mapping;
hypercall_fn do_mmu_update;
hypercall_fn do_mmuext_op;
hypercall_fn do_memory_op;
hypercall_fn do_multicall;
hypercall_fn do_vm_assist;
hypercall_fn do_set_trap_table;
hypercall_fn do_set_callbacks;
hypercall_fn do_callback_op;
hypercall_fn do_stack_switch;
hypercall_fn do_fpu_taskswitch;
hypercall_fn do_set_segment_base;
hypercall_fn do_iret;
hypercall_fn do_set_timer_op;
hypercall_fn do_vcpu_op;
hypercall_fn do_event_channel_op;
hypercall_fn do_set_gdt;
hypercall_fn do_update_descriptor;
hypercall_fn do_grant_table_op;

/* Runs hypercall nr with its register arguments; -ENOSYS when there is
 * none. The multicall path uses it too. */
long hypercall_dispatch(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                        uint64_t a5);

void do_hypercall(struct cpu_user_regs *regs);
void do_compat_syscall(struct cpu_user_regs *regs);
void bad_guest_frame(struct cpu_user_regs *regs);

#endif
