// SPDX-License-Identifier: MIT
/*
 * iret: HYPERVISOR_iret to guest kernel mode (CS RPL 0) and to guest user
 * mode (CS RPL 3, toggling to the user page table), with and without
 * VGCF_in_syscall, RFLAGS.IF setting the upcall mask, IOPL stripped, and
 * a pending upcall delivered at the target. Bad frames (an unreadable
 * frame, user mode without a user L4) crash the domain on Xen 4.17, so
 * they cannot be checked from inside the guest and are left out.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "common/array_size.h"

const char test_title[] = "iret";

void iret_try(const struct iret_args *a);
void iret_landing(void);
void __attribute__((noreturn)) iret_back(void);

uint64_t got_rax, got_rcx, got_r11, got_rsp, got_rflags, got_marker;
uint8_t landing_user;
static uint8_t stack[8192] __attribute__((aligned(16)));
#define STACK_TOP ((uint64_t)stack + sizeof(stack) - 64)

static bool syscall_back(struct cpu_regs *regs)
{
    iret_back();
}

struct iret_case {
    const char *name;
    bool user;
    uint64_t flags, rflags;
};

static void run(const struct iret_case *c)
{
    struct iret_args a = {
        .rax = 0x1234567,
        .r11 = 0x1111,
        .rcx = 0xcccc,
        .flags = c->flags,
        .rip = (uint64_t)iret_landing,
        .cs = c->user ? FLAT_USER_CS : (FLAT_KERNEL_CS & ~3),
        .rflags = c->rflags,
        .rsp = STACK_TOP,
        .ss = FLAT_KERNEL_SS,
    };
    char n[128];
    bool in_sys = c->flags & VGCF_in_syscall;

#define NAME(f) (snprintf(n, sizeof(n), "%s: %s", c->name, f), n)
    vcpu0()->evtchn_upcall_mask = 1;
    got_rax = got_rcx = got_r11 = got_rsp = got_marker = 0;
    landing_user = c->user;
    iret_try(&a);
    check_long(NAME("rax"), 0x1234567, (long)got_rax);
    /* VGCF_in_syscall: Xen returns with SYSRET, which reloads rcx and r11
     * from rip and rflags; otherwise they come from the frame. */
    check_long(NAME("rcx"), in_sys ? (long)iret_landing : 0xcccc, (long)got_rcx);
    if (in_sys)
        check_long(NAME("r11 (rflags, IF forced)"), (long)((c->rflags & ~0x3000UL) | 0x200),
                   (long)(got_r11 & ~0x10000UL));
    else
        check_long(NAME("r11"), 0x1111, (long)got_r11);
    check_long(NAME("rsp"), (long)STACK_TOP, (long)got_rsp);
    check_long(NAME("live rflags IF (always set)"), 0x200, (long)(got_rflags & 0x200));
    check_long(NAME("live rflags IOPL"), 0, (long)(got_rflags & 0x3000));
    check_long(NAME("page table at the target"),
               (long)(c->user ? USER_MARKER_USER : USER_MARKER_KERN), (long)got_marker);
    if (!c->user)
        check_long(NAME("upcall mask = !IF"), !(c->rflags & 0x200), vcpu0()->evtchn_upcall_mask);
#undef NAME
}

void test_main(void)
{
    static const struct iret_case cases[] = {
        { "kernel, IF set", false, 0, 0x202 },
        { "kernel, IF clear", false, 0, 0x002 },
        { "kernel, IOPL 3 requested", false, 0, 0x3202 },
        { "kernel, VGCF_in_syscall", false, VGCF_in_syscall, 0x202 },
        { "user, IF set", true, 0, 0x202 },
        { "user, IF clear", true, 0, 0x002 },
        { "user, VGCF_in_syscall", true, VGCF_in_syscall, 0x202 },
    };

    if (scratch_count() < 32 || !shared_info_map() ||
        !check_long("set_trap_table", 0, traps_install()) ||
        !check_long("event callback", 0, event_callback_register(true)) || user_setup())
        return;
    trap_set_handler(VEC_SYSCALL, syscall_back);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        run(&cases[i]);

    /* A pending upcall is delivered on the way out when IF unmasks it: the
     * event frame's rip is the iret's target. */
    {
        struct iret_case c = { "kernel, IF set, upcall pending", false, 0, 0x202 };
        unsigned long before = vec_count[VEC_EVENT];

        vcpu0()->evtchn_upcall_pending = 1;
        run(&c);
        check_long("pending upcall delivered", 1, (long)(vec_count[VEC_EVENT] - before));
        check_long("upcall frame rip is the iret target", (long)iret_landing, (long)last_trap.rip);
        check_long("upcall frame saved mask (CS bits 32+)", 0, (long)(last_trap.cs >> 32));
    }
}
