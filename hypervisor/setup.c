// SPDX-License-Identifier: MIT
/* start_xenolith(): the boot sequence after head.S, one step per line,
 * in the order ARCHITECTURE.md §3 gives. */
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include "boot/boot_info.h"
#include "console.h"
#include "cpu.h"
#include "domain_build.h"
#include "memory.h"
#include "paging.h"
#include "panic.h"
#include "sched.h"
#include "serial.h"
#include "uaccess.h"

void start_xenolith(uint32_t mbi);

static struct boot_info boot_info;

/* Xenolith's own command line: space-separated "loglvl=<level>" and
 * "smap=<on|off>"; anything else is reported and ignored. */
static void parse_cmdline(const char *cmdline, struct cpu_options *cpu)
{
    char buf[sizeof(boot_info.cmdline)];
    char *save = NULL;

    strncpy(buf, cmdline, sizeof(buf) - 1);
    buf[sizeof(buf) - 1] = '\0';
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (strncmp(tok, "loglvl=", 7) == 0 && log_level_from_name(tok + 7) >= 0)
            log_set_level((enum log_level)log_level_from_name(tok + 7));
        else if (strcmp(tok, "smap=on") == 0)
            cpu->smap = true;
        else if (strcmp(tok, "smap=off") == 0)
            cpu->smap = false;
        else if (strchr(tok, '=') || tok != buf)
            log_warn("ignoring unknown option '%s'\n", tok);
        /* The first word without '=' is the image path QEMU and GRUB pass. */
    }
}

void start_xenolith(uint32_t mbi)
{
    struct cpu_options cpu_opt = { .smap = false };
    unsigned int built = 0;

    serial_init();
    console_puts("\n");              /* end whatever line the firmware left open */
    log_info("Xenolith %s (Xen interface %d.%d)\n", XENOLITH_VERSION,
             __XEN_LATEST_INTERFACE_VERSION__ >> 16,
             (__XEN_LATEST_INTERFACE_VERSION__ >> 8) & 0xff);
    if (multiboot_parse(mbi, &boot_info))
        panic("boot: no usable Multiboot memory map");
    parse_cmdline(boot_info.cmdline, &cpu_opt);

    memory_init(&boot_info);          /* frame allocator over the memory map */
    paging_init();                    /* direct map, image, M2P; boot map gone */
    frame_info_init();                /* owner of every frame */
    cpu_init(&cpu_opt);               /* GDT, TSS, IDT, SYSCALL, CR0/CR4 */
    uaccess_set_smap(cpu_opt.smap);

    for (unsigned int i = 0; i < boot_info.nr_modules; i++)
        if (domain_build(&boot_info.module[i], i) == 0)
            built++;
    log_info("%u of %u modules became domains\n", built, boot_info.nr_modules);
    sched_start();
}
