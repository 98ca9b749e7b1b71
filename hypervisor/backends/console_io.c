// SPDX-License-Identifier: MIT
/* console_io: guests write to and read from Xenolith's serial line. Output
 * goes through the console mux (console_backend.c), the same path as the
 * console rings, so both are printed a whole tagged line at a time. */
#include <stdbool.h>
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "console/log.h"
#include "backends/console_backend.h"
#include "hypercall/continuation.h"
#include "domain/domain.h"
#include "hypercall/hypercall.h"
#include "arch/x86/uaccess.h"

#define WRITE_CHUNK 128

/* Like Xen, bytes already copied are printed even when a later chunk of
 * the buffer faults; the call then fails with -EFAULT. Preemptible between
 * chunks: the continuation carries what is left of the buffer. */
static long console_write(struct domain *d, uint64_t buffer, uint32_t count)
{
    char chunk[WRITE_CHUNK];
    bool first = true;

    while (count) {
        uint32_t n = count < WRITE_CHUNK ? count : WRITE_CHUNK;

        if (!first && hypercall_preempt_check())
            return hypercall_create_continuation(__HYPERVISOR_console_io, CONSOLEIO_write, count,
                                                 buffer, 0, 0);
        first = false;
        if (copy_from_guest(chunk, buffer, n))
            return -XEN_EFAULT;
        consb_write(d, chunk, n);
        buffer += n;
        count -= n;
    }
    return 0;
}

/* Returns the number of bytes read; never waits for input. The bytes are
 * those the mux queued for this domain (it must have the focus), taken a
 * chunk at a time, so a fault loses at most one chunk. */
static long console_read(struct domain *d, uint64_t buffer, uint32_t count)
{
    char chunk[WRITE_CHUNK];
    long done = 0;

    if ((int32_t)count < 0)
        return -XEN_E2BIG;
    while ((uint32_t)done < count) {
        uint32_t want = count - (uint32_t)done < WRITE_CHUNK ? count - (uint32_t)done : WRITE_CHUNK;
        size_t n = consb_read(d, chunk, want);

        if (!n)
            break;
        if (copy_to_guest(buffer + (uint64_t)done, chunk, n))
            return -XEN_EFAULT;
        done += (long)n;
    }
    return done;
}

/* Every boot-module domain is a console domain (Xen's is_console), so the
 * permission check Xen makes first always passes here. */
long do_console_io(int cmd, unsigned int count, uint64_t buffer)
{
    struct domain *d = current_domain();

    switch (cmd) {
    case CONSOLEIO_write:
        return console_write(d, buffer, count);
    case CONSOLEIO_read:
        return console_read(d, buffer, count);
    default:
        return -XEN_ENOSYS;
    }
}
