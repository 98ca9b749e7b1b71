// SPDX-License-Identifier: MIT
/* Hypercall continuations (continuation.h). One CPU and no preemption
 * inside Xenolith, so one pending record suffices: the dispatcher that ran
 * the handler consumes it before anything else can create another. */
#include <stdbool.h>
#include <stdint.h>
#include "hypercall/continuation.h"

uint64_t hypercall_preempt_tsc = UINT64_MAX;

struct continuation continuation_pending;
bool continuation_is_pending;

long hypercall_create_continuation(unsigned int op, uint64_t a1, uint64_t a2, uint64_t a3,
                                   uint64_t a4, uint64_t a5)
{
    continuation_pending = (struct continuation){ .op = op, .args = { a1, a2, a3, a4, a5 } };
    continuation_is_pending = true;
    return (long)op;
}
