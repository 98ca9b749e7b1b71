/* SPDX-License-Identifier: MIT */
/*
 * The serial line's transmit queue. Whole lines wait here until the UART
 * takes them (its transmit interrupt, the idle loop, a bounded drain on the
 * way), so no hypercall ever waits for a slow line. Each guest holds at
 * most TXQ_DOMAIN_SHARE bytes of it: a guest that writes faster than the
 * line drains loses its own lines, counted, never another domain's lines
 * nor anybody's CPU time. Xenolith's own log may also use TXQ_RESERVE,
 * which guests never reach, so a flood cannot hide Xenolith's messages.
 * Pure code: the host tests drain it through a slow fake UART.
 */
#ifndef XENOLITH_CONSOLE_TXQ_H
#define XENOLITH_CONSOLE_TXQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

#define TXQ_SIZE         (64 * 1024)
#define TXQ_RESERVE      (8 * 1024) /* of TXQ_SIZE, Xenolith's own lines only */
#define TXQ_DOMAIN_SHARE (4 * 1024) /* 14 guests at their share still fit */
#define TXQ_LINES        1024       /* lines queued at once */
#define TXQ_OWNERS       17         /* MAX_DOMAINS guests and Xenolith */

struct txq_owner {
    bool used;
    domid_t id;
    uint32_t queued; /* bytes of this owner's still in the queue */
    uint64_t dropped_lines;
    uint64_t dropped_bytes;
};

struct txq_line {
    uint8_t owner; /* index into owners */
    uint32_t left; /* bytes of it not yet taken */
};

struct txq {
    uint8_t buf[TXQ_SIZE];
    uint32_t head, len; /* bytes */
    struct txq_line lines[TXQ_LINES];
    uint32_t line_head, nr_lines;
    struct txq_owner owners[TXQ_OWNERS];
};

void txq_init(struct txq *q);

/*
 * Queues the line s[0..n) for `owner` (DOMID_XEN for Xenolith's own log)
 * whole, or not at all: 0, or -XEN_ENOSPC when it would take the owner past
 * its share or the queue past what the owner may use (the drop is counted
 * against the owner), -XEN_EINVAL for an empty or oversized line.
 */
int txq_put(struct txq *q, domid_t owner, const char *s, size_t n);

/* Moves up to max queued bytes, oldest first, to out; returns how many. */
size_t txq_take(struct txq *q, char *out, size_t max);

static inline bool txq_empty(const struct txq *q)
{
    return q->len == 0;
}

/* The owner's bytes in the queue and what it has lost (0 when unknown). */
uint32_t txq_queued(const struct txq *q, domid_t owner);
uint64_t txq_dropped_lines(const struct txq *q, domid_t owner);
uint64_t txq_dropped_bytes(const struct txq *q, domid_t owner);
/* Zeroes the owner's drop counters (a domain's end); its queued lines
 * still go out. */
void txq_forget(struct txq *q, domid_t owner);

#endif
