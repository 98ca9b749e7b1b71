// SPDX-License-Identifier: MIT
// Xen console through HYPERVISOR_console_io. Enough for dom0 and for
// Xenolith's boot console; domU rings (xen/io/console.h) come later.
#include <pvops/xen/xenpv.h>
#include <vmi/console_io.h>
#include <stdint.h>
#include <xen/errno.h>

int xenpv_console_write(const char *buf, size_t len)
{
    while (len) {
        unsigned int chunk = len > 4096 ? 4096 : (unsigned int)len;
        long rc = hypercall_console_write(buf, chunk);

        if (rc < 0)
            return (int)rc;
        buf += chunk;
        len -= chunk;
    }
    return 0;
}

int xenpv_console_read(char *buf, size_t len)
{
    long rc = hypercall_console_io(CONSOLEIO_read, (unsigned int)len, buf);

    return (int)rc;
}
