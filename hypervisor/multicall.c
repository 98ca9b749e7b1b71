// SPDX-License-Identifier: MIT
/* multicall: a batch of hypercalls for the cost of one entry. Each entry's
 * result is written back into it; a nested multicall answers -EINVAL, as
 * Xen refuses re-entry. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "domain.h"
#include "guest_mm.h"
#include "hypercall.h"
#include "uaccess.h"

static bool in_multicall;

long do_multicall(uint64_t call_list, uint64_t nr_calls64, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct domain *d = current_domain();
    uint32_t nr_calls = (uint32_t)nr_calls64;
    long rc = 0;

    if (in_multicall)
        return -XEN_EINVAL;
    if (!guest_addr_ok(call_list))
        return -XEN_EFAULT;
    in_multicall = true;
    for (uint32_t i = 0; i < nr_calls; i++) {
        uint64_t entry = call_list + (uint64_t)i * sizeof(multicall_entry_t);
        multicall_entry_t call;

        if (copy_from_guest(&call, entry, sizeof(call))) {
            rc = -XEN_EFAULT;
            break;
        }
        call.result = (xen_ulong_t)hypercall_dispatch(call.op, call.args[0], call.args[1],
                                                      call.args[2], call.args[3],
                                                      call.args[4]);
        if (copy_to_guest(entry + offsetof(multicall_entry_t, result), &call.result,
                          sizeof(call.result))) {
            rc = -XEN_EFAULT;
            break;
        }
        /* A call that ended the domain (shutdown, crash) ends the batch. */
        if (d->is_shutting_down)
            break;
    }
    in_multicall = false;
    return rc;
}
