// SPDX-License-Identifier: MIT
// kernel_main: the common start of Lithos after either boot entry. For now
// it announces itself, sets up kernel virtual memory, runs the self-check
// and powers off with the result, or with `shell` on the command line
// starts the interactive shell instead of powering off.
#include <guest-kernel/boot.h>
#include <guest-kernel/devices.h>
#include <guest-kernel/kprintf.h>
#include <guest-kernel/selfcheck.h>
#include <guest-kernel/shell.h>
#include <guest-kernel/thread.h>
#include <guest-kernel/trap.h>
#include <guest-kernel/vm.h>
#include <pvops/pvops.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/sched.h>

/* Whether word appears in the command line as a whole word. */
static int cmdline_has(const char *cmdline, const char *word)
{
    size_t n = strlen(word);

    for (const char *s = cmdline; (s = strstr(s, word)) != NULL; s += n)
        if ((s == cmdline || s[-1] == ' ') && (s[n] == '\0' || s[n] == ' '))
            return 1;
    return 0;
}

/* The "vm-fault-test" option: read a vmalloc guard page, which must end in
 * the page-fault report (natively; under PV the domain crashes for now). */
static void fault_test(void)
{
    volatile uint64_t *p = vmalloc(1);

    if (!p) {
        kprintf("Lithos: vm-fault-test: vmalloc(1) FAILED\n");
        return;
    }
    kprintf("Lithos: vm-fault-test: reading the guard page at %p\n", (void *)(p + 512));
    (void)p[512];
    kprintf("Lithos: vm-fault-test: FAILED: the guard page was readable\n");
}

void kernel_main(const struct boot_info *bi)
{
    char why[128];
    int rc;

    kprintf("Lithos %s on %s\n", LITHOS_VERSION, pv_info.name);

    /* Before the self-check, which tests it; after the banner, so a
     * failure here is reported under the right platform's name. */
    rc = bi->pvops_rc < 0 ? 0 : vm_init(bi); /* else check_pvops reports */
    if (rc < 0) {
        kprintf("Lithos: vm_init FAILED: %d\n", rc);
        pv_power_shutdown(SHUTDOWN_crash);
    }

    if (selfcheck_run(bi, why, sizeof(why)) < 0) {
        kprintf("Lithos: self-check FAILED: %s\n", why);
        pv_power_shutdown(SHUTDOWN_crash);
    }
    /* Traps and the timer; on a hypervisor without them the kernel goes
     * on single-threaded and the checks that need them say skipped. */
    rc = pv_irq_init(kernel_trap);
    if (rc == 0)
        rc = pv_time_timer_init();
    sched_init(rc == 0);
    if (rc == 0)
        pv_irq_enable();
    if (selfcheck_sched_run(rc, why, sizeof(why)) < 0) {
        kprintf("Lithos: self-check FAILED: %s\n", why);
        pv_power_shutdown(SHUTDOWN_crash);
    }
    kprintf("Lithos: self-check passed\n");
    if (strstr(bi->cmdline, "vm-fault-test"))
        fault_test();
    devices_start(bi);
    if (cmdline_has(bi->cmdline, "shell"))
        shell_run();
    devices_stop();
    pv_power_shutdown(SHUTDOWN_poweroff);
}
