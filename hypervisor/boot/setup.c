// SPDX-License-Identifier: MIT
/* start_xenolith(): the boot sequence after head.S, one step per line,
 * in the order ARCHITECTURE.md §3 gives. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include "backends/backends.h"
#include "domain/subsystems.h"
#include "event/evtchn.h"
#include "grant/grant_table.h"
#include "mm/descriptor.h"
#include "mm/guest_tables.h"
#include "arch/x86/boot_info.h"
#include "console/log.h"
#include "arch/x86/cpu.h"
#include "toolstack/domain_build.h"
#include "arch/x86/memlayout.h"
#include "frames/frame_table.h"
#include "arch/x86/paging.h"
#include "arch/x86/pte.h"
#include "arch/x86/panic.h"
#include "arch/x86/port_io.h"
#include "sched/sched.h"
#include "console/serial.h"
#include "arch/x86/clock.h"
#include "arch/x86/uaccess.h"

void start_xenolith(uint32_t mbi);

struct boot_info boot_info;

struct boot_options {
    struct cpu_options cpu;
    bool fault_test; /* "fault-test": prove the fatal-trap path */
};

/* Xenolith's own command line: space-separated "loglvl=<level>",
 * "smap=<on|off>" and "fault-test"; anything else is reported and ignored. */
static void parse_cmdline(const char *cmdline, struct boot_options *opt)
{
    char buf[sizeof(boot_info.cmdline)];
    char *save = NULL;

    strncpy(buf, cmdline, sizeof(buf) - 1);
    buf[sizeof(buf) - 1] = '\0';
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (strncmp(tok, "loglvl=", 7) == 0 && log_level_from_name(tok + 7) >= 0)
            log_set_level((enum log_level)log_level_from_name(tok + 7));
        else if (strcmp(tok, "smap=on") == 0)
            opt->cpu.smap = true;
        else if (strcmp(tok, "smap=off") == 0)
            opt->cpu.smap = false;
        else if (strcmp(tok, "fault-test") == 0)
            opt->fault_test = true;
        else if (strchr(tok, '=') || tok != buf)
            log_warn("ignoring unknown option '%s'\n", tok);
        /* The first word without '=' is the image path QEMU and GRUB pass. */
    }
}

/* A deliberate hypervisor page fault, so the tests can see that a fault in
 * Xenolith is reported with registers and a backtrace. */
static __attribute__((noinline)) void fault_test(void)
{
    log_info("fault-test: reading an unmapped hypervisor address\n");
    (void)*(volatile uint64_t *)(DIRECTMAP_START - PAGE_SIZE);
}

/* What a dying domain's teardown (domain_destroy) asks of each subsystem,
 * in this order: the backends let go of its rings, ports and devices
 * first (the console's last words reach the line before its devices go);
 * then its ports close; then every grant mapping goes, so that each page
 * the audit sees is the domain's own; then its descriptor tables, and last
 * its page-table roots. */
static void register_subsystems(void)
{
    backends_init();
    subsystem_register(&evtchn_subsystem);
    subsystem_register(&gnttab_subsystem);
    subsystem_register(&descriptor_subsystem);
    subsystem_register(&guest_tables_subsystem);
}

void start_xenolith(uint32_t mbi)
{
    struct boot_options opt = { .cpu.smap = false };
    unsigned int built = 0;

    serial_init(&x86_port_io);
    console_puts("\n"); /* end whatever line the firmware left open */
    log_info("Xenolith %s (Xen interface %d.%d)\n", XENOLITH_VERSION,
             __XEN_LATEST_INTERFACE_VERSION__ >> 16,
             (__XEN_LATEST_INTERFACE_VERSION__ >> 8) & 0xff);
    if (multiboot_parse(mbi, &boot_info))
        panic("boot: no usable Multiboot memory map");
    parse_cmdline(boot_info.cmdline, &opt);

    memory_init(&boot_info);               /* frame allocator over the memory map */
    paging_init();                         /* direct map, image, M2P; boot map gone */
    frame_table_init();                    /* owner and references of every frame */
    cpu_init(&opt.cpu, xen_alloc_frame()); /* GDT, TSS, IDT, SYSCALL, CR0/CR4 */
    uaccess_set_smap(opt.cpu.smap);
    time_init();                /* TSC calibration, APIC timer, wall clock */
    cpu_pic_unmask(SERIAL_IRQ); /* COM1 output now drains by interrupt */
    serial_enable_irq();
    if (opt.fault_test)
        fault_test();

    register_subsystems(); /* before any domain: they serve each one */
    for (unsigned int i = 0; i < boot_info.nr_modules; i++)
        if (domain_build(&boot_info.module[i], i) == 0)
            built++;
    log_info("%u of %u modules became domains\n", built, boot_info.nr_modules);
    sched_start();
}
