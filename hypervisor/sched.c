// SPDX-License-Identifier: MIT
/* Cooperative round robin: a vCPU runs until it yields, shuts down or
 * crashes. The running vCPU's registers live in the frame at the top of
 * the hypervisor stack; switching copies them out and the next one's in. */
#include <stdbool.h>
#include <string.h>
#include "console.h"
#include "domain.h"
#include "paging.h"
#include "panic.h"
#include "sched.h"
#include "shutdown.h"
#include "trap_bounce.h"
#include "traps.h"
#include "x86.h"

static struct vcpu *runqueue[MAX_DOMAINS];
static unsigned int nr_vcpus;
static struct vcpu *current;
static bool resched_pending;

extern __attribute__((noreturn)) void return_to_guest(void);

struct vcpu *current_vcpu(void) { return current; }
struct domain *current_domain(void) { return current ? current->domain : NULL; }

void sched_request(void)
{
    resched_pending = true;
}

void sched_add_vcpu(struct vcpu *v)
{
    if (nr_vcpus == MAX_DOMAINS)
        panic("sched: more vCPUs than domains");
    runqueue[nr_vcpus++] = v;
}

static void remove_dead_vcpus(void)
{
    unsigned int kept = 0;

    for (unsigned int i = 0; i < nr_vcpus; i++) {
        struct vcpu *v = runqueue[i];

        if (v->domain->is_shutting_down) {
            /* Never run on page tables that are about to be freed. */
            if (v == current) {
                current = NULL;
                write_cr3(paging_idle_cr3());
            }
            domain_destroy(v->domain);
        } else {
            runqueue[kept++] = v;
        }
    }
    nr_vcpus = kept;
}

static struct vcpu *pick_next(struct vcpu *prev)
{
    unsigned int start = 0;

    for (unsigned int i = 0; prev && i < nr_vcpus; i++)
        if (runqueue[i] == prev)
            start = i + 1;
    return nr_vcpus ? runqueue[start % nr_vcpus] : NULL;
}

/* Everything a vCPU owns in the CPU: registers, FPU/SSE state (CR0.TS is
 * cleared around FXSAVE/FXRSTOR, then set again if the guest asked for it
 * with fpu_taskswitch), segment bases, and the page-table root of the
 * guest mode it is in. */
static void context_switch(struct vcpu *prev, struct vcpu *next,
                           struct cpu_user_regs *frame)
{
    write_cr0(read_cr0() & ~X86_CR0_TS);
    if (prev) {
        prev->regs = *frame;
        __asm__ volatile("fxsave64 %0" : "=m"(prev->fpu));
        save_guest_segment_bases(prev);
    }
    *frame = next->regs;
    __asm__ volatile("fxrstor64 %0" :: "m"(next->fpu));
    if (next->fpu_ts)
        write_cr0(read_cr0() | X86_CR0_TS);
    load_guest_segment_bases(next);
    write_cr3((next->user_mode ? next->guest_table_user : next->guest_table) << 12);
    current = next;
}

static void schedule(struct cpu_user_regs *frame)
{
    struct vcpu *prev = current, *next;

    resched_pending = false;
    remove_dead_vcpus();
    if (prev && !current)
        prev = NULL;          /* it died: nothing to save */
    next = pick_next(prev);
    if (!next) {
        write_cr3(paging_idle_cr3());
        machine_exit_all_ended();
    }
    if (next != prev)
        context_switch(prev, next, frame);
}

static bool is_canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
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
    if (resched_pending || !current)
        schedule(frame);
    deliver_events(current, frame);
    if (current->domain->is_shutting_down) {
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

void sched_start(void)
{
    current = NULL;
    resched_pending = true;
    return_to_guest();
}
