// SPDX-License-Identifier: MIT
/*
 * multicall: a batch of hypercalls for the cost of one entry, with Xen
 * 4.17's rules. Each entry's result is written back into it; a nested
 * multicall answers -EINVAL. The batch is preemptible between entries,
 * and an entry that is itself preempted leaves its continuation in the
 * guest's entry, where the multicall's own continuation resumes.
 *
 * Hypercalls are only legal from guest kernel mode, so the batch ends as
 * soon as an entry leaves it (XSA-213): an iret entry runs, and the
 * multicall then returns what iret returned (the guest's rax), without
 * running the entries after it; anything else that left kernel mode ends
 * the batch too (none can in 64-bit PV). Nothing after a mode change may
 * touch the page-table roots while the other one is loaded.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "hypercall/continuation.h"
#include "domain/domain.h"
#include "mm/guest_mm.h"
#include "hypercall/hypercall.h"
#include "arch/x86/uaccess.h"

static bool in_multicall;

/* The sub-call's continuation replaces the entry, so that resuming the
 * multicall at this entry resumes the sub-call. */
static int save_sub_continuation(uint64_t entry, multicall_entry_t *call,
                                 const struct continuation *c)
{
    call->op = c->op;
    for (unsigned int a = 0; a < 5; a++)
        call->args[a] = c->args[a];
    return copy_to_guest(entry, call, sizeof(*call));
}

long do_multicall(uint64_t call_list, unsigned int nr_calls)
{
    struct vcpu *v = current_vcpu();
    uint32_t i;
    struct continuation c;
    long rc = 0;

    if (in_multicall)
        return -XEN_EINVAL;
    if (!guest_addr_ok(call_list))
        return -XEN_EFAULT;
    in_multicall = true;
    for (i = 0; i < nr_calls; i++) {
        uint64_t entry = call_list + (uint64_t)i * sizeof(multicall_entry_t);
        multicall_entry_t call;

        if (i && hypercall_preempt_check())
            goto preempted;
        if (copy_from_guest(&call, entry, sizeof(call))) {
            rc = -XEN_EFAULT;
            break;
        }
        continuation_reset();
        call.result = (xen_ulong_t)hypercall_dispatch(call.op, call.args[0], call.args[1],
                                                      call.args[2], call.args[3], call.args[4]);
        if (call.op == __HYPERVISOR_iret) {
            /* Best effort, as Xen: the guest's registers are iret's now. */
            (void)copy_to_guest(entry + offsetof(multicall_entry_t, result), &call.result,
                                sizeof(call.result));
            rc = (long)call.result;
            break;
        }
        if (copy_to_guest(entry + offsetof(multicall_entry_t, result), &call.result,
                          sizeof(call.result))) {
            continuation_reset();
            rc = -XEN_EFAULT;
            break;
        }
        if (continuation_take(&c)) {
            if (save_sub_continuation(entry, &call, &c) == 0)
                goto preempted;
            rc = -XEN_EFAULT;
            break;
        }
        /* A call that ended the domain (shutdown, crash), or left guest
         * kernel mode, ends the batch. */
        if (v->domain->is_shutting_down || v->user_mode)
            break;
    }
    in_multicall = false;
    return rc;

preempted:
    in_multicall = false;
    return hypercall_create_continuation(__HYPERVISOR_multicall,
                                         call_list + (uint64_t)i * sizeof(multicall_entry_t),
                                         nr_calls - i, 0, 0, 0);
}
