/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads and the round-robin scheduler. The timer preempts a
 * thread after SCHED_SLICE_NS; sleepers wake at their deadline. One CPU:
 * the scheduler's state is guarded by disabling interrupts.
 */
#ifndef GUEST_KERNEL_THREAD_H
#define GUEST_KERNEL_THREAD_H

#include <pvops/pvops.h>
#include <stdint.h>

#define SCHED_SLICE_NS     10000000ULL /* 10 ms */
#define THREAD_STACK_PAGES 4

struct process;

struct thread {
    unsigned long rsp; /* while switched out */
    void *stack;       /* vmalloc'd; NULL for the boot thread */
    unsigned long stack_top;
    enum { THREAD_FREE, THREAD_RUNNABLE, THREAD_SLEEPING, THREAD_DEAD } state;
    uint64_t wake_ns;
    void (*fn)(void *arg);
    void *arg;
    struct process *proc; /* NULL for a kernel thread */
    int waiting;          /* in thread_wait_ns */
    int woken;            /* a thread_wake came while not waiting */
};

/* The boot context becomes thread 0. preempt: whether the timer works
 * (without it, thread_create fails and sleep spins on the clock). */
void sched_init(int preempt);
int sched_preemptive(void);
/* 0 and *t, or -XEN_ENOMEM. The thread starts with interrupts enabled. */
int thread_create(void (*fn)(void *arg), void *arg, struct process *proc, struct thread **t);
__attribute__((noreturn)) void thread_exit(void);
/* Waits for t to exit and frees it. */
void thread_join(struct thread *t);
struct thread *thread_current(void);
void thread_yield(void);
void thread_sleep_ns(uint64_t ns);
/* Sleeps up to ns, or until thread_wake(current); returns at once if a
 * wake came since the last thread_wait_ns, so none is lost. */
void thread_wait_ns(uint64_t ns);
/* From an interrupt or event handler, or with interrupts disabled: ends
 * t's thread_wait_ns, or makes its next one return at once. */
void thread_wake(struct thread *t);
/* The PV_VECTOR_TIMER handler. */
void sched_tick(void);
unsigned long sched_switches(void);
/* Slot i of the thread table, or NULL past its end (for `ps`). */
const struct thread *thread_slot(unsigned int i);

#endif
