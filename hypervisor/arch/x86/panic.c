// SPDX-License-Identifier: MIT
/* Last words: print why, where, and how we got there, then leave QEMU with
 * the panic status (or halt on real hardware). */
#include <stdio.h>
#include <xen/xen.h>
#include "console/log.h"
#include "arch/x86/memlayout.h"
#include "arch/x86/panic.h"
#include "arch/x86/machine_exit.h"
#include "arch/x86/x86.h"

#define BACKTRACE_MAX 16

extern char __image_start[], __text_end[], __bss_end[];

static int in_image_text(uint64_t a)
{
    return a >= (uint64_t)__image_start && a < (uint64_t)__text_end;
}

/* Frame pointers are only followed while they stay inside the image's
 * memory (where all stacks live) and move up. */
static void print_frame(uint64_t addr)
{
    char line[64];

    snprintf(line, sizeof(line), "(xenolith)   [<%016llx>]\n", (unsigned long long)addr);
    console_puts(line);
}

void dump_backtrace(uint64_t rip, uint64_t rbp)
{
    console_puts("(xenolith) backtrace (addr2line -e build/xenolith):\n");
    print_frame(rip);
    for (int i = 0; i < BACKTRACE_MAX; i++) {
        const uint64_t *frame = (const uint64_t *)rbp;

        if (rbp < (uint64_t)__image_start || rbp + 16 > (uint64_t)__bss_end || (rbp & 7))
            break;
        if (!in_image_text(frame[1]))
            break;
        print_frame(frame[1]);
        if (frame[0] <= rbp)
            break;
        rbp = frame[0];
    }
}

void dump_registers(const struct cpu_user_regs *r)
{
    char buf[160];

    snprintf(buf, sizeof(buf),
             "(xenolith) rip %016llx cs %04x rflags %016llx rsp %016llx ss %04x\n",
             (unsigned long long)r->rip, r->cs, (unsigned long long)r->rflags,
             (unsigned long long)r->rsp, r->ss);
    console_puts(buf);
    snprintf(buf, sizeof(buf), "(xenolith) rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
             (unsigned long long)r->rax, (unsigned long long)r->rbx, (unsigned long long)r->rcx,
             (unsigned long long)r->rdx);
    console_puts(buf);
    snprintf(buf, sizeof(buf), "(xenolith) rsi %016llx rdi %016llx rbp %016llx r8  %016llx\n",
             (unsigned long long)r->rsi, (unsigned long long)r->rdi, (unsigned long long)r->rbp,
             (unsigned long long)r->r8);
    console_puts(buf);
    snprintf(buf, sizeof(buf), "(xenolith) r9  %016llx r10 %016llx r11 %016llx r12 %016llx\n",
             (unsigned long long)r->r9, (unsigned long long)r->r10, (unsigned long long)r->r11,
             (unsigned long long)r->r12);
    console_puts(buf);
    snprintf(buf, sizeof(buf), "(xenolith) r13 %016llx r14 %016llx r15 %016llx\n",
             (unsigned long long)r->r13, (unsigned long long)r->r14, (unsigned long long)r->r15);
    console_puts(buf);
    snprintf(buf, sizeof(buf), "(xenolith) cr2 %016llx cr3 %016llx error code %08x\n",
             (unsigned long long)read_cr2(), (unsigned long long)read_cr3(), r->error_code);
    console_puts(buf);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    __asm__ volatile("cli");
    console_puts("(xenolith) PANIC: ");
    va_start(ap, fmt);
    {
        char msg[256];
        vsnprintf(msg, sizeof(msg), fmt, ap);
        console_puts(msg);
    }
    va_end(ap);
    console_puts("\n");
    dump_backtrace((uint64_t)__builtin_return_address(0),
                   *(const uint64_t *)__builtin_frame_address(0));
    machine_exit(EXIT_STATUS_PANIC);
}
