/* SPDX-License-Identifier: MIT */
/* HYPERVISOR_console_io: the hypervisor's own console, usable before rings. */
#ifndef VMI_CONSOLE_IO_H
#define VMI_CONSOLE_IO_H

#include <vmi/hypercall.h>

static inline long hypercall_console_io(int cmd, unsigned int count, char *buf)
{
    return hypercall3(__HYPERVISOR_console_io, (unsigned long)cmd, count, (unsigned long)buf);
}

/* IN: buf[0..count). Returns 0 or a negative Xen errno. */
static inline long hypercall_console_write(const char *buf, unsigned int count)
{
    return hypercall_console_io(CONSOLEIO_write, count, (char *)buf);
}

#endif
