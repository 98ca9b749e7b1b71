// SPDX-License-Identifier: MIT
/*
 * trap-table: HYPERVISOR_set_trap_table (install, replace, the empty and
 * NULL lists, bad pointers, bad selectors and addresses, a list that
 * faults midway), the trap_info "mask events" flag, and the callbacks
 * through set_callbacks and callback_op. Every expected value is Xen
 * 4.17's answer to a PV64 dom0.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/callback.h>
#include <xen/errno.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "common/array_size.h"

const char test_title[] = "trap-table";

/* Spare stubs standing in for "the replacement entry". */
#define VEC_ALT1 200
#define VEC_ALT2 201

/* Raises #UD; resumes after it. */
static void raise_ud(void)
{
    asm volatile("1: ud2\n2:\n" EXTABLE(1b, 2b)::: "memory");
}

/* Which stub a #UD reaches now, or -1 when none did. */
static long ud_lands_on(void)
{
    unsigned long before = trap_count;

    raise_ud();
    return trap_count == before + 1 ? (long)last_trap.vector : -1;
}

static void test_set_trap_table(void)
{
    static trap_info_t tbl[3];
    unsigned long page = scratch_va(0), next = scratch_va(1);
    trap_info_t *edge = (trap_info_t *)(page + TEST_PAGE_SIZE - sizeof(trap_info_t));

    check_long("set_trap_table vectors 0-31", 0, traps_install());
    check_long("#UD delivered to the installed entry", X86_UD, ud_lands_on());

    check_long("set_trap_table replace #UD", 0, trap_set_entry(X86_UD, 0, trap_entry(VEC_ALT1)));
    check_long("#UD delivered to the replacement", VEC_ALT1, ud_lands_on());

    tbl[0] = (trap_info_t){ 0 };
    check_long("set_trap_table empty list", 0, hc_set_trap_table(tbl));
    check_long("#UD entry unchanged by the empty list", VEC_ALT1, ud_lands_on());

    /* Vector and address are all Xen looks at beyond the terminator:
     * a zero address ends the list even with other fields set. */
    tbl[0] = (trap_info_t){ .vector = X86_UD, .flags = 3, .cs = FLAT_KERNEL_CS, .address = 0 };
    check_long("set_trap_table list ending at an entry with address 0", 0, hc_set_trap_table(tbl));
    check_long("#UD entry unchanged by a terminator naming it", VEC_ALT1, ud_lands_on());

    /* Clearing cannot be observed without an undeliverable fault, which
     * crashes the domain; only the answer and a reinstall are checked. */
    check_long("set_trap_table NULL (clear all)", 0, hc_set_trap_table(NULL));
    check_long("set_trap_table reinstall after clear", 0, traps_install());
    check_long("#UD delivered after the reinstall", X86_UD, ud_lands_on());

    check_long("set_trap_table hypervisor hole", -XEN_EFAULT,
               hc_set_trap_table((const trap_info_t *)BAD_VA_HOLE));
    check_long("set_trap_table non-canonical pointer", -XEN_EFAULT,
               hc_set_trap_table((const trap_info_t *)BAD_VA_NONCANON));
    check_long("set_trap_table unmapped pointer", -XEN_EFAULT,
               hc_set_trap_table((const trap_info_t *)BAD_VA_UNMAPPED));

    /* Entries take effect one by one: the first, on the last slot of a
     * page, sticks although the next one is unreadable. */
    check_long("unmap the page after the list", 0, hc_update_va_mapping(next, 0, UVMF_INVLPG));
    *edge =
        (trap_info_t){ .vector = X86_UD, .cs = FLAT_KERNEL_CS, .address = trap_entry(VEC_ALT2) };
    check_long("set_trap_table list running into an unmapped page", -XEN_EFAULT,
               hc_set_trap_table(edge));
    check_long("#UD delivered to the entry before the fault", VEC_ALT2, ud_lands_on());
    check_long("remap the page", 0, set_page_rw(next));

    tbl[0] = (trap_info_t){ .vector = X86_UD, .cs = FLAT_KERNEL_CS, .address = BAD_VA_NONCANON };
    tbl[1] = (trap_info_t){ 0 };
    check_long("set_trap_table non-canonical handler address", -XEN_EINVAL, hc_set_trap_table(tbl));
    check_long("#UD entry unchanged by the refused entry", VEC_ALT2, ud_lands_on());

    /* A selector with RPL 0, or one that is not a code segment at all, is
     * accepted: Xen fixes the RPL up and delivers on its flat selector. */
    tbl[0] =
        (trap_info_t){ .vector = X86_UD, .cs = FLAT_KERNEL_CS & ~3, .address = trap_entry(X86_UD) };
    check_long("set_trap_table entry with CS RPL 0", 0, hc_set_trap_table(tbl));
    check_long("#UD delivered through the RPL-0 CS entry", X86_UD, ud_lands_on());
    tbl[0] = (trap_info_t){ .vector = X86_UD, .cs = 0x1234, .address = trap_entry(VEC_ALT1) };
    check_long("set_trap_table entry with CS 0x1234", 0, hc_set_trap_table(tbl));
    check_long("#UD delivered through the CS 0x1234 entry", VEC_ALT1, ud_lands_on());
    check_long("#UD frame CS despite entry CS 0x1234", FLAT_KERNEL_CS & ~3,
               (long)(last_trap.cs & 0xffff));

    /* Several entries in one list, a high vector among them. */
    tbl[0] = (trap_info_t){ .vector = X86_UD, .cs = FLAT_KERNEL_CS, .address = trap_entry(X86_UD) };
    tbl[1] = (trap_info_t){ .vector = 0xff,
                            .flags = 3,
                            .cs = FLAT_KERNEL_CS,
                            .address = trap_entry(0xff) };
    tbl[2] = (trap_info_t){ 0 };
    check_long("set_trap_table two entries", 0, hc_set_trap_table(tbl));
    check_long("#UD back on its own entry", X86_UD, ud_lands_on());
}

/* A trap_info entry with flags bit 2 masks events on entry; the frame
 * records the old mask in CS bits 32+ and as RFLAGS.IF. */
static void test_mask_flag(void)
{
    vcpu_info_t *vi = vcpu0();

    vi->evtchn_upcall_mask = 0;
    check_long("#UD entry with the mask-events flag", 0,
               trap_set_entry(X86_UD, 4, trap_entry(X86_UD)));
    check_long("#UD delivered (mask flag)", X86_UD, ud_lands_on());
    check_long("mask flag: upcall mask in the handler", 1, last_trap.upcall_mask);
    check_long("mask flag: saved mask in CS bits 32+", 0, (long)(last_trap.cs >> 32));
    check_long("mask flag: frame RFLAGS.IF", 0x200, (long)(last_trap.rflags & 0x200));
    check_long("mask flag: mask after HYPERVISOR_iret with IF set", 0, vi->evtchn_upcall_mask);

    check_long("#UD entry without the flag", 0, trap_set_entry(X86_UD, 0, trap_entry(X86_UD)));
    check_long("#UD delivered (no mask flag)", X86_UD, ud_lands_on());
    check_long("no mask flag: upcall mask in the handler", 0, last_trap.upcall_mask);

    vi->evtchn_upcall_mask = 1;
    check_long("#UD delivered with events masked", X86_UD, ud_lands_on());
    check_long("masked: saved mask in CS bits 32+", 1, (long)(last_trap.cs >> 32));
    check_long("masked: frame RFLAGS.IF", 0, (long)(last_trap.rflags & 0x200));
    check_long("masked: mask after HYPERVISOR_iret with IF clear", 1, vi->evtchn_upcall_mask);
}

struct cb_case {
    const char *name;
    int cmd;
    struct callback_register reg; /* unregister reads only .type */
    long expect;
};

static void test_callbacks(void)
{
    const unsigned long ev = trap_entry(VEC_EVENT), fs = trap_entry(VEC_FAILSAFE),
                        sc = trap_entry(VEC_SYSCALL);
    static const struct {
        const char *name;
        unsigned long a, b, c;
        long expect;
    } sc_cases[] = {
        { "set_callbacks all three", 0, 0, 0, 0 },
        { "set_callbacks all zero", 0, 0, 0, 0 },
        /* Xen ignores register_guest_callback's answers here. */
        { "set_callbacks non-canonical event", BAD_VA_NONCANON, 0, 0, 0 },
        { "set_callbacks non-canonical syscall", 0, 0, BAD_VA_NONCANON, 0 },
    };
    const struct cb_case cases[] = {
        { "register event", CALLBACKOP_register, { CALLBACKTYPE_event, 0, ev }, 0 },
        { "register event, mask_events",
          CALLBACKOP_register,
          { CALLBACKTYPE_event, CALLBACKF_mask_events, ev },
          0 },
        { "register failsafe", CALLBACKOP_register, { CALLBACKTYPE_failsafe, 0, fs }, 0 },
        { "register failsafe, mask_events",
          CALLBACKOP_register,
          { CALLBACKTYPE_failsafe, CALLBACKF_mask_events, fs },
          0 },
        { "register syscall", CALLBACKOP_register, { CALLBACKTYPE_syscall, 0, sc }, 0 },
        { "register syscall, mask_events",
          CALLBACKOP_register,
          { CALLBACKTYPE_syscall, CALLBACKF_mask_events, sc },
          0 },
        { "register syscall32 (64-bit guest)",
          CALLBACKOP_register,
          { CALLBACKTYPE_syscall32, 0, sc },
          0 },
        { "register sysenter (64-bit guest)",
          CALLBACKOP_register,
          { CALLBACKTYPE_sysenter, CALLBACKF_mask_events, sc },
          0 },
        { "register nmi", CALLBACKOP_register, { CALLBACKTYPE_nmi, 0, trap_entry(X86_NMI) }, 0 },
        { "register event, unknown flag bits",
          CALLBACKOP_register,
          { CALLBACKTYPE_event, 0xfffe, ev },
          0 },
        { "register event, address 0", CALLBACKOP_register, { CALLBACKTYPE_event, 0, 0 }, 0 },
        { "register event, non-canonical",
          CALLBACKOP_register,
          { CALLBACKTYPE_event, 0, BAD_VA_NONCANON },
          -XEN_EINVAL },
        { "register syscall, non-canonical",
          CALLBACKOP_register,
          { CALLBACKTYPE_syscall, 0, BAD_VA_NONCANON },
          -XEN_EINVAL },
        { "register type 6 (unassigned)", CALLBACKOP_register, { 6, 0, ev }, -XEN_ENOSYS },
        { "register type 0xffffffff", CALLBACKOP_register, { -1, 0, ev }, -XEN_ENOSYS },
        { "unregister event", CALLBACKOP_unregister, { CALLBACKTYPE_event, 0, 0 }, -XEN_EINVAL },
        { "unregister failsafe",
          CALLBACKOP_unregister,
          { CALLBACKTYPE_failsafe, 0, 0 },
          -XEN_EINVAL },
        { "unregister syscall",
          CALLBACKOP_unregister,
          { CALLBACKTYPE_syscall, 0, 0 },
          -XEN_EINVAL },
        { "unregister syscall32",
          CALLBACKOP_unregister,
          { CALLBACKTYPE_syscall32, 0, 0 },
          -XEN_EINVAL },
        { "unregister sysenter",
          CALLBACKOP_unregister,
          { CALLBACKTYPE_sysenter, 0, 0 },
          -XEN_EINVAL },
        { "unregister nmi", CALLBACKOP_unregister, { CALLBACKTYPE_nmi, 0, 0 }, 0 },
        { "unregister nmi again", CALLBACKOP_unregister, { CALLBACKTYPE_nmi, 0, 0 }, 0 },
        { "unregister type 6 (unassigned)", CALLBACKOP_unregister, { 6, 0, 0 }, -XEN_ENOSYS },
        { "callback_op cmd 2", 2, { CALLBACKTYPE_event, 0, ev }, -XEN_ENOSYS },
        { "callback_op cmd 0xffff", 0xffff, { CALLBACKTYPE_event, 0, ev }, -XEN_ENOSYS },
        /* The final state the rest of the test relies on. */
        { "register event again", CALLBACKOP_register, { CALLBACKTYPE_event, 0, ev }, 0 },
    };
    char name[96];

    for (size_t i = 0; i < ARRAY_SIZE(sc_cases); i++) {
        unsigned long a = sc_cases[i].a, b = sc_cases[i].b, c = sc_cases[i].c;

        if (i == 0) {
            a = ev;
            b = fs;
            c = sc;
        }
        check_long(sc_cases[i].name, sc_cases[i].expect, hc_set_callbacks(a, b, c));
    }
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        snprintf(name, sizeof(name), "callback_op %s", cases[i].name);
        check_long(name, cases[i].expect, hc_callback_op(cases[i].cmd, &cases[i].reg));
    }
    check_long("callback_op register, hole pointer", -XEN_EFAULT,
               hc_callback_op(CALLBACKOP_register, (void *)BAD_VA_HOLE));
    check_long("callback_op register, unmapped pointer", -XEN_EFAULT,
               hc_callback_op(CALLBACKOP_register, (void *)BAD_VA_UNMAPPED));
    check_long("callback_op unregister, unmapped pointer", -XEN_EFAULT,
               hc_callback_op(CALLBACKOP_unregister, (void *)BAD_VA_UNMAPPED));
}

void test_main(void)
{
    if (scratch_count() < 8 || !shared_info_map()) {
        test_error("no scratch pages or shared_info");
        return;
    }
    test_set_trap_table();
    test_callbacks();
    test_mask_flag();
}
