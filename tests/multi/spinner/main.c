// SPDX-License-Identifier: MIT
/*
 * spinner: a guest that hogs its vCPU. After mapping shared_info it spins
 * with event upcalls masked and makes no hypercall at all, reading system
 * time from vcpu_time_info (plain memory plus rdtsc), until budget_ms
 * (command line, default 3000) of system time has passed; only then does it
 * print and power off. Other guests finishing meanwhile proves preemption.
 */
#include <stdint.h>
#include <stdlib.h>
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

const char test_title[] = "spinner";

#define MS 1000000UL

void test_main(void)
{
    char buf[16];
    unsigned long budget_ms = 3000, spins = 0;
    uint64_t start, end, now;

    if (test_cmdline_value("budget_ms", buf, sizeof(buf)))
        budget_ms = strtoul(buf, NULL, 10);
    if (!shared_info_map()) {
        test_error("spinner: no shared_info");
        return;
    }
    vcpu0()->evtchn_upcall_mask = 1;
    start = system_time_ns();
    end = start + budget_ms * MS;
    printk("spinner: spinning with events masked from %lu ms for %lu ms\n", start / MS, budget_ms);
    /* No hypercall from here on: only a timer interrupt taken by the
     * hypervisor can take this vCPU off the CPU. */
    do {
        now = system_time_ns();
        spins++;
    } while (now < end);
    printk("spinner: budget of %lu ms spent at %lu ms after %lu spins\n", budget_ms, now / MS,
           spins);
}
