// SPDX-License-Identifier: MIT
// kprintf: newlib's vsnprintf into a stack buffer, then pv_console_write.
// Longer lines are cut rather than allocated for, so it works at any time.
#include <guest-kernel/kprintf.h>
#include <pvops/pvops.h>
#include <stdarg.h>
#include <stdio.h>

void kprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(buf))
        n = sizeof(buf) - 1;
    pv_console_write(buf, (size_t)n);
}
