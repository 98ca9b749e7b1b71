// SPDX-License-Identifier: MIT
// Boot-time discovery of split devices, and their close at power-off.
#include <guest-kernel/devices.h>
#include <guest-kernel/kprintf.h>
#include <guest-kernel/page_alloc.h>
#include <guest-kernel/thread.h>
#include <pvops/pvops.h>
#include <stdio.h>
#include <string.h>

#define MAX_CONSOLE_DEVICES 4

static void *current_thread(void)
{
    return thread_current();
}
static void wake_thread(void *t)
{
    thread_wake(t);
}
static void free_page(unsigned long pfn)
{
    (void)page_free(pfn);
}

/* What the binding's frontends use of the kernel (pvops.h). */
static const struct pv_kernel_env kernel_env = {
    .thread_current = current_thread,
    .thread_wait_ns = thread_wait_ns,
    .thread_wake = wake_thread,
    .thread_sleep_ns = thread_sleep_ns,
    .page_alloc = page_alloc,
    .page_free = free_page,
    .log = kprintf,
};

void devices_start(const struct boot_info *bi)
{
    (void)bi;
    pv_set_kernel_env(&kernel_env);
    if (pv_devices_start() <= 0)
        return;
    /* A first line on each, so whoever reads them knows which is which. */
    for (unsigned int n = 1; n < MAX_CONSOLE_DEVICES; n++) {
        char line[48];

        snprintf(line, sizeof(line), "Lithos on console %u\n", n);
        pv_devices_console_write(n, line, strlen(line));
    }
}

void devices_stop(void)
{
    pv_devices_stop();
}
