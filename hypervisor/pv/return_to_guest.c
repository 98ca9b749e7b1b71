// SPDX-License-Identifier: MIT
/* The way back to a guest, run before every return (entry.S): the switch
 * when the scheduler asks for one (sched/sched.c chooses, this moves the
 * vCPUs' state in and out of the CPU), the event upcall, and the frame
 * sanitised. The running vCPU's registers live in the frame at the top of
 * the hypervisor stack; switching copies them out and the next one's in. */
#include <stdint.h>
#include <xen/xen.h>
#include "arch/x86/clock.h"
#include "arch/x86/traps.h"
#include "arch/x86/x86.h"
#include "domain/domain.h"
#include "sched/sched.h"
#include "mm/descriptor.h"
#include "pv/return_to_guest.h"
#include "pv/trap_bounce.h"

/* Everything a vCPU owns in the CPU: registers, FPU/SSE state (CR0.TS is
 * cleared around FXSAVE/FXRSTOR, then set again if the guest asked for it
 * with fpu_taskswitch), segment bases, and the page-table root of the
 * guest mode it is in. */
static void save_vcpu(struct vcpu *v, const struct cpu_user_regs *frame)
{
    /* The shadow LDT area is the CPU's, not the vCPU's: it refills lazily. */
    vcpu_destroy_ldt_shadow(v);
    write_cr0(read_cr0() & ~X86_CR0_TS);
    v->regs = *frame;
    __asm__ volatile("fxsave64 %0" : "=m"(v->fpu));
    save_guest_segment_bases(v);
}

static void load_vcpu(struct vcpu *v, struct cpu_user_regs *frame)
{
    write_cr0(read_cr0() & ~X86_CR0_TS);
    *frame = v->regs;
    __asm__ volatile("fxrstor64 %0" ::"m"(v->fpu));
    if (v->fpu_ts)
        write_cr0(read_cr0() | X86_CR0_TS);
    load_guest_segment_bases(v);
    write_cr3((v->user_mode ? v->guest_table_user : v->guest_table) << 12);
    vcpu_load_descriptor_tables(v);
    current_set(v);
}

static void schedule(struct cpu_user_regs *frame)
{
    struct vcpu *prev = current_vcpu(), *next;
    uint64_t now = time_now_ns();

    sched_charge_and_reap(prev, now);
    if (prev && !current_vcpu())
        prev = NULL; /* it died: nothing to save */
    next = sched_pick_next(prev);
    if (next != prev || !next) {
        if (prev)
            save_vcpu(prev, frame);
        current_set(NULL);
        if (!next) {
            next = sched_idle_until_runnable();
            now = time_now_ns();
        }
        load_vcpu(next, frame);
    }
    time_publish(&vcpu_info_of(next)->time);
    sched_start_slice(next, now);
}

/* An event is delivered on the way back, as on every return in Xen: if
 * one is pending and the guest has not masked upcalls, it resumes in its
 * event callback (with upcalls masked) instead of where it was. */
static void deliver_events(struct vcpu *v, struct cpu_user_regs *frame)
{
    vcpu_info_t *vi = vcpu_info_of(v);

    if (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask && v->event_callback)
        bounce_to_guest(v, frame, v->event_callback, BOUNCE_MASK_EVENTS);
}

void return_to_guest_prepare(struct cpu_user_regs *frame)
{
    if (sched_decision_pending() || !current_vcpu())
        schedule(frame);
    deliver_events(current_vcpu(), frame);
    if (current_vcpu()->domain->is_shutting_down) {
        /* A bounce that could not be written crashed the domain. */
        schedule(frame);
    }
    /* What a PV guest may not choose for itself. */
    frame->cs |= 3;
    frame->ss |= 3;
    frame->rflags = (frame->rflags | X86_EFLAGS_IF) &
                    ~(X86_EFLAGS_IOPL | X86_EFLAGS_NT | X86_EFLAGS_VM);
    /* SYSRET to a non-canonical rip would fault in ring 0 on the guest's
     * stack; IRET faults in a way the exception table catches. */
    if (frame->entry_vector == TRAP_SYSCALL && !is_canonical(frame->rip))
        frame->entry_vector = 0;
}
