// SPDX-License-Identifier: MIT
/* Hypercall continuations (continuation.h). One CPU and no preemption
 * inside Xenolith, so one pending record suffices: the dispatcher that ran
 * the handler consumes it before anything else can create another. */
#include <stdbool.h>
#include <stdint.h>
#include "continuation.h"
#include "sched.h"
#include "time.h"

static struct continuation pending;
static bool is_pending;

bool hypercall_preempt_check(void)
{
    return sched_preempt_pending();
}

long hypercall_create_continuation(unsigned int op, uint64_t a1, uint64_t a2, uint64_t a3,
                                   uint64_t a4, uint64_t a5)
{
    pending = (struct continuation){ .op = op, .args = { a1, a2, a3, a4, a5 } };
    is_pending = true;
    return (long)op;
}

void continuation_reset(void)
{
    is_pending = false;
}

bool continuation_take(struct continuation *c)
{
    if (!is_pending)
        return false;
    *c = pending;
    is_pending = false;
    return true;
}
