// SPDX-License-Identifier: MIT
/* Preemptive round robin: a vCPU runs until its slice ends, it yields,
 * blocks, shuts down or is crashed. The running vCPU's registers live in
 * the frame at the top of the hypervisor stack; switching copies them out
 * and the next one's in. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include "console/log.h"
#include "pv/descriptor.h"
#include "domain/backend_ops.h"
#include "domain/domain.h"
#include "arch/x86/paging.h"
#include "arch/x86/panic.h"
#include "sched/sched.h"
#include "hypercall/continuation.h"
#include "console/serial.h"
#include "arch/x86/machine_exit.h"
#include "pv/trap_bounce.h"
#include "arch/x86/clock.h"
#include "arch/x86/traps.h"
#include "event/evtchn.h"
#include "arch/x86/x86.h"

static struct vcpu *runqueue[MAX_DOMAINS];
static unsigned int nr_vcpus;
static bool resched_pending;

extern __attribute__((noreturn)) void return_to_guest(void);

void sched_request(void)
{
    resched_pending = true;
    hypercall_preempt_tsc = 0;
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
            if (v == current_vcpu()) {
                current_set(NULL);
                write_cr3(paging_idle_cr3());
            }
            domain_destroy(v->domain);
        } else {
            runqueue[kept++] = v;
        }
    }
    nr_vcpus = kept;
}

static bool runnable(const struct vcpu *v)
{
    return !v->blocked && !v->domain->is_shutting_down;
}

static struct vcpu *pick_next(struct vcpu *prev)
{
    unsigned int start = 0;

    for (unsigned int i = 0; prev && i < nr_vcpus; i++)
        if (runqueue[i] == prev)
            start = i + 1;
    for (unsigned int k = 0; k < nr_vcpus; k++) {
        struct vcpu *v = runqueue[(start + k) % nr_vcpus];
        if (runnable(v))
            return v;
    }
    return NULL;
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
    return !a ? b : !b ? a : a < b ? a : b;
}

void sched_reprogram(void)
{
    uint64_t next = current_vcpu() ? current_vcpu()->slice_end : 0;

    for (unsigned int i = 0; i < nr_vcpus; i++) {
        const struct vcpu *v = runqueue[i];
        next = earliest(next, v->timer_deadline);
        next = earliest(next, v->periodic_period && !v->blocked ? v->periodic_next : 0);
        next = earliest(next, v->polling ? v->poll_deadline : 0);
    }
    if (next)
        time_program(next);
    /* A decision still pending keeps hypercalls stopping at once. */
    hypercall_preempt_tsc = resched_pending ? 0 : next ? time_tsc_at(next) : UINT64_MAX;
}

void sched_block(struct vcpu *v)
{
    v->blocked = true;
    sched_request();
}

void sched_wake(struct vcpu *v, bool any)
{
    if (!v->blocked)
        return;
    if (v->polling && !any) {
        const shared_info_t *s = v->domain->shared_info;
        bool hit = false;

        for (unsigned int i = 0; i < v->nr_poll_ports && !hit; i++) {
            unsigned int p = v->poll_ports[i];
            hit = (__atomic_load_n(&s->evtchn_pending[p / 64], __ATOMIC_ACQUIRE) >> (p % 64)) & 1;
        }
        if (!hit)
            return;
    }
    v->blocked = v->polling = false;
    sched_request();
}

static void fire_timers(struct vcpu *v, uint64_t now)
{
    if (v->timer_deadline && now >= v->timer_deadline) {
        v->timer_deadline = 0;
        evtchn_send_virq(v->domain, VIRQ_TIMER);
    }
    /* As in Xen, the periodic timer does not run while the vCPU blocks;
     * missed periods collapse into one event. */
    if (v->periodic_period && !v->blocked && now >= v->periodic_next) {
        while (v->periodic_next <= now)
            v->periodic_next += v->periodic_period;
        evtchn_send_virq(v->domain, VIRQ_TIMER);
    }
    if (v->polling && v->poll_deadline && now >= v->poll_deadline) {
        v->blocked = v->polling = false;
        sched_request();
    }
}

void sched_timer_tick(uint64_t now)
{
    for (unsigned int i = 0; i < nr_vcpus; i++)
        fire_timers(runqueue[i], now);
    /* Serial input has no interrupt of its own, and a guest may fill a
     * ring without notifying: the backends poll here, each bounded. The
     * tick interrupts only guests or the idle loop, never other Xenolith
     * code, so the backends' calls stay serialised. */
    backends_poll();
    serial_drain();
    if (current_vcpu() && now >= current_vcpu()->slice_end)
        sched_request();
    sched_reprogram();
}

/* Nothing can run: halt with interrupts on until the timer makes a vCPU
 * runnable. The frame at the top of the stack belongs to no vCPU now. */
static struct vcpu *idle_until_runnable(void)
{
    struct vcpu *next;

    write_cr3(paging_idle_cr3());
    while (!(next = pick_next(NULL))) {
        serial_drain_all();
        sched_reprogram();
        __asm__ volatile("sti; hlt; cli" ::: "memory");
    }
    return next;
}

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

static void account(struct vcpu *v, uint64_t now)
{
    if (v && v->last_start && now > v->last_start)
        v->runtime_ns += now - v->last_start;
}

static void schedule(struct cpu_user_regs *frame)
{
    struct vcpu *prev = current_vcpu(), *next;
    uint64_t now = time_now_ns();

    resched_pending = false;
    account(prev, now);
    remove_dead_vcpus();
    if (prev && !current_vcpu())
        prev = NULL; /* it died: nothing to save */
    if (!nr_vcpus) {
        write_cr3(paging_idle_cr3());
        machine_exit_all_ended();
    }
    next = pick_next(prev);
    if (next != prev || !next) {
        if (prev)
            save_vcpu(prev, frame);
        current_set(NULL);
        if (!next) {
            next = idle_until_runnable();
            now = time_now_ns();
        }
        load_vcpu(next, frame);
    }
    time_update_vcpu(next);
    next->last_start = now;
    next->slice_end = now + SCHED_SLICE_NS;
    sched_reprogram();
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
    if (resched_pending || !current_vcpu())
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

void sched_start(void)
{
    current_set(NULL);
    resched_pending = true;
    return_to_guest();
}
