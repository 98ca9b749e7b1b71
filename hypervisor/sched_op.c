// SPDX-License-Identifier: MIT
/* sched_op: yield and shutdown. Blocking and polling need event channels
 * and time, and answer -ENOSYS until then. */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include "domain.h"
#include "hypercall.h"
#include "sched.h"
#include "uaccess.h"

static long sched_shutdown(uint64_t arg)
{
    struct sched_shutdown req;

    if (copy_from_guest(&req, arg, sizeof(req)))
        return -XEN_EFAULT;
    /* Xen keeps only the low 8 bits and accepts any value. */
    return domain_shutdown(current_domain(), (uint8_t)req.reason);
}

long do_sched_op(uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4, uint64_t a5)
{
    switch ((int)cmd) {
    case SCHEDOP_yield:
        sched_request();
        return 0;
    case SCHEDOP_shutdown:
        return sched_shutdown(arg);
    default:
        return -XEN_ENOSYS;
    }
}
