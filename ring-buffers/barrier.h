/* SPDX-License-Identifier: MIT */
/*
 * Memory barriers for rings shared with another domain, x86_64 only. x86 is
 * TSO: loads are not reordered with loads, stores not with stores, and loads
 * not with later stores. The one reordering it does is a store followed by a
 * load of another location (the store waits in the store buffer), and only
 * mfence forbids that. Everything else only has to stop the compiler.
 * Also defines xen_rmb/xen_wmb/xen_mb, which xen/io/ring.h's macros expect.
 */
#ifndef RING_BUFFERS_BARRIER_H
#define RING_BUFFERS_BARRIER_H

#include <stdint.h>

#ifndef __x86_64__
#error "ring-buffers/barrier.h relies on x86-64 TSO ordering"
#endif

typedef uint32_t ring_idx_t;

/* Compiler only: no access to memory moves across it. */
static inline void ring_barrier(void)
{
    asm volatile("" : : : "memory");
}

/*
 * Read barrier (acquire): earlier loads happen before later loads and stores.
 * A consumer puts it between reading the peer's producer index and reading
 * the entries that index publishes; a producer between reading the peer's
 * consumer index and writing into the slots it frees. x86 keeps both orders.
 */
static inline void ring_rmb(void)
{
    ring_barrier();
}

/*
 * Write barrier (release): earlier loads and stores happen before later
 * stores. A producer puts it between writing entries and the producer index
 * that publishes them; a consumer between reading entries and the consumer
 * index that hands their slots back. x86 keeps both orders.
 */
static inline void ring_wmb(void)
{
    ring_barrier();
}

/*
 * Full barrier: also orders earlier stores before later loads, the one
 * reordering x86 does. The notification protocol needs it twice: a producer
 * publishes its index, then reads the peer's event index; a consumer sets its
 * event index, then re-reads the producer index. Without the fence both sides
 * can read the old value and each wait for the other (a lost wakeup).
 */
static inline void ring_mb(void)
{
    asm volatile("mfence" : : : "memory");
}

/*
 * One read of an index in shared memory. The peer may change it at any time:
 * the caller validates this snapshot and uses only it, never the field again.
 */
static inline ring_idx_t ring_read_idx(const ring_idx_t *p)
{
    return *(const volatile ring_idx_t *)p;
}

/* One untorn store of an index in shared memory. */
static inline void ring_write_idx(ring_idx_t *p, ring_idx_t v)
{
    *(volatile ring_idx_t *)p = v;
}

/* The names xen/io/ring.h's push and final-check macros call. */
#define xen_rmb() ring_rmb()
#define xen_wmb() ring_wmb()
#define xen_mb()  ring_mb()

#endif
