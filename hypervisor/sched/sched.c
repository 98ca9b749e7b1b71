// SPDX-License-Identifier: MIT
/* Preemptive round robin: a vCPU runs until its slice ends, it yields,
 * blocks, shuts down or is crashed. This is the policy (the run queue, who
 * runs next, blocking and waking, the slice and the timer deadline); the
 * switch itself, on the way back to a guest, is pv/return_to_guest.c's. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include "console/log.h"
#include "domain/subsystems.h"
#include "domain/domain.h"
#include "arch/x86/paging.h"
#include "arch/x86/panic.h"
#include "sched/sched.h"
#include "hypercall/continuation.h"
#include "console/serial.h"
#include "arch/x86/machine_exit.h"
#include "arch/x86/clock.h"
#include "arch/x86/x86.h"

static struct vcpu *runqueue[MAX_DOMAINS];
static unsigned int nr_vcpus;
bool sched_resched_pending;

extern __attribute__((noreturn)) void return_to_guest(void);

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

struct vcpu *sched_pick_next(struct vcpu *prev)
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
    hypercall_preempt_tsc = sched_resched_pending ? 0 : next ? time_tsc_at(next) : UINT64_MAX;
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

/* SCHEDOP_poll's timeout; the guest timers that raise VIRQ_TIMER are
 * event/virq_timer.c's. */
static void end_expired_poll(struct vcpu *v, uint64_t now)
{
    if (v->polling && v->poll_deadline && now >= v->poll_deadline) {
        v->blocked = v->polling = false;
        sched_request();
    }
}

void sched_tick(uint64_t now)
{
    for (unsigned int i = 0; i < nr_vcpus; i++)
        end_expired_poll(runqueue[i], now);
    /* Serial input has no interrupt of its own, and a guest may fill a
     * ring without notifying: the backends poll here, each bounded. The
     * tick interrupts only guests or the idle loop, never other Xenolith
     * code, so the backends' calls stay serialised. */
    subsystems_poll();
    serial_drain();
    if (current_vcpu() && now >= current_vcpu()->slice_end)
        sched_request();
    sched_reprogram();
}

struct vcpu *sched_idle_until_runnable(void)
{
    struct vcpu *next;

    write_cr3(paging_idle_cr3());
    while (!(next = sched_pick_next(NULL))) {
        serial_drain_all();
        sched_reprogram();
        __asm__ volatile("sti; hlt; cli" ::: "memory");
    }
    return next;
}

void sched_charge_and_reap(struct vcpu *prev, uint64_t now)
{
    sched_resched_pending = false;
    if (prev && prev->last_start && now > prev->last_start)
        prev->runtime_ns += now - prev->last_start;
    remove_dead_vcpus();
    if (!nr_vcpus) {
        write_cr3(paging_idle_cr3());
        machine_exit_all_ended();
    }
}

void sched_start_slice(struct vcpu *v, uint64_t now)
{
    v->last_start = now;
    v->slice_end = now + SCHED_SLICE_NS;
    sched_reprogram();
}

void sched_start(void)
{
    current_set(NULL);
    sched_resched_pending = true;
    return_to_guest();
}
