/* SPDX-License-Identifier: MIT */
/*
 * Bouncing an event into the guest: the PV64 bounce frame (PV64-ABI.md,
 * "Traps and events"), the switch from guest user to guest kernel mode, and
 * the guest-visible parts of the vCPU's CPU state.
 */
#ifndef XENOLITH_TRAP_BOUNCE_H
#define XENOLITH_TRAP_BOUNCE_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>

struct vcpu;

#define BOUNCE_ERROR_CODE  (1u << 0) /* push regs->error_code */
#define BOUNCE_MASK_EVENTS (1u << 1) /* set the upcall mask on entry */
#define BOUNCE_FAILSAFE    (1u << 2) /* push DS, ES, FS, GS too */

/*
 * Rewrite the guest frame `regs` so the guest resumes at `handler` with a
 * bounce frame describing where it was. Switches to guest kernel mode first
 * if the vCPU was in user mode. Returns false (and crashes the domain with
 * a log line) when the frame cannot be written to the guest stack.
 */
bool bounce_to_guest(struct vcpu *v, struct cpu_user_regs *regs, uint64_t handler,
                     unsigned int flags);

/* Deliver exception `vector` through the guest's trap table; false when
 * the guest has no handler for it (the caller crashes the domain). For #PF,
 * `cr2` goes into vcpu_info. */
bool bounce_exception(struct vcpu *v, struct cpu_user_regs *regs, unsigned int vector,
                      bool has_error_code, uint64_t cr2);

/* Kernel <-> user mode: page-table root and GS bases swap. */
void toggle_guest_mode(struct vcpu *v);

/* The vCPU's segment bases into the MSRs (it is about to run) and back
 * (it stops running). */
void load_guest_segment_bases(const struct vcpu *v);
void save_guest_segment_bases(struct vcpu *v);

#endif
