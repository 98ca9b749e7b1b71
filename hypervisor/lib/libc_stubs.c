// SPDX-License-Identifier: MIT
/* The system calls newlib's string formatting can reach. Xenolith has no
 * heap for libc: snprintf into fixed buffers never needs one, so a request
 * for more memory fails cleanly instead of corrupting anything. */
#include <errno.h>
#include <stddef.h>

void *sbrk(ptrdiff_t increment);

void *sbrk(ptrdiff_t increment)
{
    (void)increment;
    errno = ENOMEM;
    return (void *)-1;
}
