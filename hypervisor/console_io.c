// SPDX-License-Identifier: MIT
/* console_io: guests write to and read from Xenolith's serial line. Output
 * is collected per domain and printed a whole line at a time, tagged
 * "(dN) ", so lines from different guests never interleave. */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "console.h"
#include "console_mux.h"
#include "domain.h"
#include "hypercall.h"
#include "serial.h"
#include "uaccess.h"

#define WRITE_CHUNK 128

_Static_assert(CONSOLE_LINE_MAX <= CONSOLE_MUX_LINE, "console_line_put splits at its cap");

/* A local function, not serial_write itself: under -fpie the address of an
 * extern function is loaded from the GOT, which xenolith.ld places past
 * __load_end, where the loader leaves it zero. */
static void serial_emit(const char *line, size_t len)
{
    serial_write(line, len);
}

/* Like Xen, bytes already copied are printed even when a later chunk of
 * the buffer faults; the call then fails with -EFAULT. */
static long console_write(struct domain *d, uint64_t buffer, uint32_t count)
{
    char chunk[WRITE_CHUNK];

    while (count) {
        uint32_t n = count < WRITE_CHUNK ? count : WRITE_CHUNK;

        if (copy_from_guest(chunk, buffer, n))
            return -XEN_EFAULT;
        console_line_put(d->console_line, sizeof(d->console_line), &d->console_len,
                         d->domain_id, chunk, n, serial_emit);
        buffer += n;
        count -= n;
    }
    return 0;
}

/* Returns the number of bytes read; never waits for input. */
static long console_read(uint64_t buffer, uint32_t count)
{
    long done = 0;

    if ((int32_t)count < 0)
        return -XEN_E2BIG;
    while ((uint32_t)done < count) {
        int c = serial_getc();
        char ch;

        if (c < 0)
            break;
        ch = (char)c;
        if (copy_to_guest(buffer + (uint64_t)done, &ch, 1))
            return -XEN_EFAULT;
        done++;
    }
    return done;
}

/* Every boot-module domain is a console domain (Xen's is_console), so the
 * permission check Xen makes first always passes here. cmd and count are
 * 32-bit in Xen's prototype: the upper halves of the registers are ignored. */
long do_console_io(uint64_t cmd, uint64_t count, uint64_t buffer, uint64_t a4, uint64_t a5)
{
    struct domain *d = current_domain();

    switch ((uint32_t)cmd) {
    case CONSOLEIO_write:
        return console_write(d, buffer, (uint32_t)count);
    case CONSOLEIO_read:
        return console_read(buffer, (uint32_t)count);
    default:
        return -XEN_ENOSYS;
    }
}
