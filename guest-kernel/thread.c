// SPDX-License-Identifier: MIT
// Threads and the scheduler: a fixed table scanned round-robin, a one-shot
// timer armed for the earlier of the running slice's end and the first
// sleeper's deadline, and idling through pv_cpu_idle when nothing runs.
#include <guest-kernel/thread.h>
#include <guest-kernel/process.h>
#include <guest-kernel/vm.h>
#include <guest-kernel/layout.h>
#include <pvops/pvops.h>
#include <stddef.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/errno.h>

#define MAX_THREADS 16

static struct thread threads[MAX_THREADS];
static unsigned int current;
static uint64_t slice_end;
static int preemptive;
static int idling; /* ticks then only wake sleepers */
static unsigned long switches;

void thread_switch(unsigned long *save_rsp, unsigned long new_rsp);
void thread_start(void);
void thread_entry(void);

const struct thread *thread_slot(unsigned int i)
{
    return i < MAX_THREADS ? &threads[i] : NULL;
}

struct thread *thread_current(void)
{
    return &threads[current];
}

unsigned long sched_switches(void)
{
    return switches;
}

int sched_preemptive(void)
{
    return preemptive;
}

void sched_init(int preempt)
{
    threads[0].state = THREAD_RUNNABLE;
    current = 0;
    preemptive = preempt;
}

static void wake_sleepers(uint64_t now)
{
    for (unsigned int i = 0; i < MAX_THREADS; i++)
        if (threads[i].state == THREAD_SLEEPING && threads[i].wake_ns <= now)
            threads[i].state = THREAD_RUNNABLE;
}

static void arm_timer(void)
{
    uint64_t deadline = slice_end;

    for (unsigned int i = 0; i < MAX_THREADS; i++)
        if (threads[i].state == THREAD_SLEEPING && threads[i].wake_ns < deadline)
            deadline = threads[i].wake_ns;
    pv_time_timer_set(deadline);
}

/* The next runnable thread after current, current itself last. */
static int pick_next(void)
{
    for (unsigned int n = 1; n <= MAX_THREADS; n++) {
        unsigned int i = (current + n) % MAX_THREADS;

        if (threads[i].state == THREAD_RUNNABLE)
            return (int)i;
    }
    return -1;
}

/* With interrupts disabled; returns when current runs again. */
static void schedule(void)
{
    struct thread *prev = &threads[current], *next;
    int i;

    for (;;) {
        wake_sleepers(pv_time_now_ns());
        i = pick_next();
        if (i >= 0)
            break;
        /* Nothing to run: wait for the timer (idle enables interrupts). */
        slice_end = pv_time_now_ns() + SCHED_SLICE_NS;
        arm_timer();
        idling = 1;
        pv_cpu_idle();
        pv_irq_disable();
        idling = 0;
    }
    slice_end = pv_time_now_ns() + SCHED_SLICE_NS;
    arm_timer();
    if ((unsigned int)i == current)
        return;
    next = &threads[i];
    current = (unsigned int)i;
    switches++;
    if (next->stack)
        pv_cpu_set_kernel_stack(next->stack_top);
    if (next->proc)
        process_activate(next->proc);
    thread_switch(&prev->rsp, next->rsp);
}

void sched_tick(void)
{
    uint64_t now = pv_time_now_ns();

    wake_sleepers(now);
    if (idling)
        return;
    if (now >= slice_end)
        schedule();
    else
        arm_timer();
}

void thread_entry(void)
{
    struct thread *t = thread_current();

    pv_irq_enable();
    t->fn(t->arg);
    thread_exit();
}

int thread_create(void (*fn)(void *arg), void *arg, struct process *proc, struct thread **out)
{
    unsigned long flags;
    uint64_t *sp;
    void *stack;

    if (!preemptive)
        return -XEN_ENOSYS;
    stack = vmalloc(THREAD_STACK_PAGES);
    if (!stack)
        return -XEN_ENOMEM;
    flags = pv_irq_save();
    for (unsigned int i = 1; i < MAX_THREADS; i++) {
        struct thread *t = &threads[i];

        if (t->state != THREAD_FREE)
            continue;
        *t = (struct thread){
            .stack = stack,
            .stack_top = (unsigned long)stack + THREAD_STACK_PAGES * PAGE_SIZE,
            .fn = fn,
            .arg = arg,
            .proc = proc,
        };
        /* thread_switch pops six registers, then returns to thread_start. */
        sp = (uint64_t *)t->stack_top;
        *--sp = (uint64_t)thread_start;
        for (int r = 0; r < 6; r++)
            *--sp = 0;
        t->rsp = (unsigned long)sp;
        t->state = THREAD_RUNNABLE;
        *out = t;
        pv_irq_restore(flags);
        return 0;
    }
    pv_irq_restore(flags);
    vfree(stack);
    return -XEN_ENOMEM;
}

void thread_exit(void)
{
    pv_irq_disable();
    threads[current].state = THREAD_DEAD;
    schedule();
    for (;;)
        ;
}

void thread_yield(void)
{
    unsigned long flags = pv_irq_save();

    schedule();
    pv_irq_restore(flags);
}

/* Without a timer, sleeping is watching the clock. */
void thread_sleep_ns(uint64_t ns)
{
    uint64_t wake = pv_time_now_ns() + ns;
    unsigned long flags;

    if (!preemptive) {
        while (pv_time_now_ns() < wake)
            ;
        return;
    }
    flags = pv_irq_save();
    threads[current].wake_ns = wake;
    threads[current].state = THREAD_SLEEPING;
    schedule();
    pv_irq_restore(flags);
}

void thread_wait_ns(uint64_t ns)
{
    struct thread *t = &threads[current];
    uint64_t wake = pv_time_now_ns() + ns;
    unsigned long flags = pv_irq_save();

    if (!t->woken) {
        t->waiting = 1;
        if (preemptive) {
            t->wake_ns = wake;
            t->state = THREAD_SLEEPING;
            schedule();
        } else {
            /* Without a timer: watch the clock, with interrupts on so a
             * wake can come. */
            while (!t->woken && pv_time_now_ns() < wake) {
                pv_irq_restore(flags);
                pv_irq_disable();
            }
        }
        t->waiting = 0;
    }
    t->woken = 0;
    pv_irq_restore(flags);
}

void thread_wake(struct thread *t)
{
    if (t->waiting && t->state == THREAD_SLEEPING)
        t->state = THREAD_RUNNABLE;
    else
        t->woken = 1;
}

void thread_join(struct thread *t)
{
    while (t->state != THREAD_DEAD)
        thread_sleep_ns(1000000);
    vfree(t->stack);
    t->state = THREAD_FREE;
}
