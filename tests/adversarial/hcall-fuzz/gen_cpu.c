// SPDX-License-Identifier: MIT
/*
 * hcall-fuzz generators for the vCPU's state: xen_version, console_io and
 * vm_assist; traps, callbacks, stacks, segments, descriptors; iret.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <xen/callback.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/nmi.h>
#include <xen/physdev.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/xen.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "gen.h"

/* --- xen_version (17), console_io (18), vm_assist (21) ------------------------------ */
void gen_xen_version(struct call *c, bool in_mc)
{
    uint64_t x = rnd_below(100);
    uint64_t cmd = x < 85 ? rnd_below(9) : x < 92 ? 9 + rnd_below(6) : rnd();
    char as[64];

    (void)in_mc;
    c->nr = __HYPERVISOR_xen_version;
    if (cmp_mode && (cmd == XENVER_commandline || cmd == XENVER_build_id))
        cmd = 11 + rnd_below(4); /* Xenolith answers these -ENOSYS (docs/abi.md) */
    c->a[0] = cmd;
    if (cmd == XENVER_version)
        c->masked = true; /* 4.14 (the headers') on Xenolith, 4.17 on Xen */
    if (cmd == XENVER_get_features) {
        static const uint32_t idx[] = { 0, 0, 0, 1, 31, 32, 0xffffffff };
        xen_feature_info_t *f = xp_alloc(sizeof(*f), 4);

        f->submap_idx = PICK(idx);
        c->a[1] = obj_or_ptr(f, sizeof(*f), P_INOUT, 10, as);
        describe(c, "xen_version %lu idx=%u arg=%s", (unsigned long)cmd, f->submap_idx, as);
        return;
    }
    if (chance(15) || cmd == XENVER_pagesize) {
        c->a[1] = chance(70) ? 0 : pick_hostile_va();
        snprintf(as, sizeof(as), "%#lx", (unsigned long)c->a[1]);
    } else {
        c->a[1] = pick_ptr(P_OUT, 1024);
        snprintf(as, sizeof(as), "%s", pick_sym);
    }
    describe(c, "xen_version %#lx arg=%s", (unsigned long)cmd, as);
}

void gen_console_io(struct call *c, bool in_mc)
{
    uint64_t x = rnd_below(100);

    (void)in_mc;
    c->nr = __HYPERVISOR_console_io;
    if (x < 60) {
        /* From the junk page: at most its last 120 bytes print before
         * the guard page stops the copy. */
        unsigned int back = 1 + (unsigned int)rnd_below(120);

        c->a[0] = CONSOLEIO_write | (chance(5) ? 0x100000000UL : 0);
        c->a[1] = chance(70) ? rnd_below(back + 1) : pick_count();
        c->a[2] = chance(90) ? (uint64_t)junk_page + PAGE - back : pick_hostile_va();
        c->fixup |= FIX_CONSOLE;
        describe(c, "console_io write count=%#lx junk-%u", (unsigned long)c->a[1], back);
    } else if (x < 85) {
        c->a[0] = CONSOLEIO_read;
        c->a[1] = chance(60) ? rnd_below(64) : pick_count();
        c->a[2] = pick_ptr(P_OUT, 64);
        describe(c, "console_io read count=%#lx buf=%s", (unsigned long)c->a[1], pick_sym);
    } else {
        c->a[0] = 2 + rnd_below(8);
        c->a[1] = rnd_below(16);
        c->a[2] = pick_hostile_va();
        describe(c, "console_io %lu", (unsigned long)c->a[0]);
    }
}

void gen_vm_assist(struct call *c, bool in_mc)
{
    (void)in_mc;
    c->nr = __HYPERVISOR_vm_assist;
    c->a[0] = chance(90) ? rnd_below(2) : rnd_below(16);
    c->a[1] = chance(85) ? rnd_below(8) : chance(50) ? VMASST_TYPE_m2p_strict : rnd_below(64);
    describe(c, "vm_assist %lu %lu", (unsigned long)c->a[0], (unsigned long)c->a[1]);
}

/* --- Traps, callbacks, stacks, segments (restored after each call) ------------ */
void gen_set_trap_table(struct call *c, bool in_mc)
{
    unsigned int n = (unsigned int)rnd_below(6);
    trap_info_t *t = xp_alloc((n + 1) * sizeof(*t), 8);
    char as[64];

    (void)in_mc;
    c->nr = __HYPERVISOR_set_trap_table;
    c->fixup |= FIX_TRAPS;
    for (unsigned int k = 0; k < n; k++) {
        uint8_t vec = (uint8_t)rnd();

        t[k] = (trap_info_t){ .vector = vec,
                              .flags = (uint8_t)rnd(),
                              .cs = (uint16_t)(chance(70) ? FLAT_KERNEL_CS : rnd()),
                              .address = vec == X86_DB || vec == X86_NMI ? pick_handler(vec)
                                                                         : pick_canonical() };
    }
    if (chance(80))
        t[n] = (trap_info_t){ 0 };
    if (chance(5)) {
        c->a[0] = 0;
        snprintf(as, sizeof(as), "null");
    } else {
        c->a[0] = obj_or_ptr(t, sizeof(*t), P_IN, 10, as);
    }
    describe(c, "set_trap_table n=%u arg=%s", n, as);
}

void gen_set_callbacks(struct call *c, bool in_mc)
{
    (void)in_mc;
    c->nr = __HYPERVISOR_set_callbacks;
    c->fixup |= FIX_TRAPS;
    c->a[0] = pick_handler(VEC_EVENT);
    c->a[1] = pick_handler(VEC_FAILSAFE);
    c->a[2] = pick_canonical(); /* syscall: only from user mode */
    describe(c, "set_callbacks");
}

void gen_callback_op(struct call *c, bool in_mc)
{
    struct callback_register *r = xp_alloc(sizeof(*r), 8);
    char as[64];

    (void)in_mc;
    c->nr = __HYPERVISOR_callback_op;
    c->fixup |= FIX_TRAPS;
    r->type = (uint16_t)(chance(85) ? rnd_below(8) : rnd());
    r->flags = (uint16_t)(chance(70) ? rnd_below(2) : rnd());
    /* Xen delivers a pending NMI as soon as an NMI callback is set. */
    r->address = r->type == CALLBACKTYPE_event      ? pick_handler(VEC_EVENT)
                 : r->type == CALLBACKTYPE_failsafe ? pick_handler(VEC_FAILSAFE)
                 : r->type == CALLBACKTYPE_nmi      ? pick_handler(X86_NMI)
                                                    : pick_canonical();
    c->a[0] = chance(90) ? rnd_below(2) : rnd_below(8);
    c->a[1] = obj_or_ptr(r, sizeof(*r), P_IN, 10, as);
    describe(c, "callback_op %lu type=%u arg=%s", (unsigned long)c->a[0], r->type, as);
}

void gen_stack_switch(struct call *c, bool in_mc)
{
    (void)in_mc;
    c->nr = __HYPERVISOR_stack_switch;
    c->fixup |= FIX_TRAPS;
    c->a[0] = chance(70) ? FLAT_KERNEL_SS : rnd() & 0xffff;
    c->a[1] = pick_canonical();
    describe(c, "stack_switch ss=%#lx", (unsigned long)c->a[0]);
}

void gen_fpu_taskswitch(struct call *c, bool in_mc)
{
    (void)in_mc;
    c->nr = __HYPERVISOR_fpu_taskswitch;
    c->a[0] = chance(80) ? rnd_below(2) : rnd();
    describe(c, "fpu_taskswitch %s", c->a[0] ? "set" : "clear");
}

void gen_set_segment_base(struct call *c, bool in_mc)
{
    (void)in_mc;
    c->nr = __HYPERVISOR_set_segment_base;
    c->a[0] = chance(85) ? rnd_below(4) : rnd_below(2) ? 4 + rnd_below(4) : rnd();
    /* Xen loads a user %gs selector, which can fault an LDT page in;
     * Xenolith does not load it (docs/abi.md): the null one in the prefix. */
    c->a[1] = c->a[0] == SEGBASE_GS_USER_SEL ? (cmp_mode || chance(50) ? 0 : rnd() & 0xffff)
                                             : pick_canonical();
    describe(c, "set_segment_base %lu", (unsigned long)c->a[0]);
}

void gen_set_gdt(struct call *c, bool in_mc)
{
    static const uint64_t ents[] = { 0, 1, 512, 513, 7168, 7169, 8192, 0x10000, ~0UL };
    unsigned int n = (unsigned int)rnd_below(4);
    uint64_t *list = xp_alloc((n ? n : 1) * 8, 8);
    char ls[64] = "[", as[64];

    (void)in_mc;
    c->nr = __HYPERVISOR_set_gdt;
    for (unsigned int k = 0; k < n; k++) {
        list[k] = pick_frame(U_GDT)->mfn;
        strncat(ls, pick_sym, sizeof(ls) - strlen(ls) - 2);
        strncat(ls, ",", sizeof(ls) - strlen(ls) - 1);
    }
    strncat(ls, "]", sizeof(ls) - strlen(ls) - 1);
    c->a[0] = obj_or_ptr(list, 8, P_IN, 10, as);
    c->a[1] = chance(60) ? rnd_below(n * 512 + 1) : PICK(ents);
    describe(c, "set_gdt %s entries=%#lx arg=%s", ls, (unsigned long)c->a[1], as);
}

static uint64_t pick_descriptor(void)
{
    static const uint64_t descs[] = {
        0,
        0x00cf9a000000ffffUL,
        0x00cffa000000ffffUL,
        0x00af9b000000ffffUL,
        0x00affb000000ffffUL,
        0x00cff3000000ffffUL,
        0x00cf93000000ffffUL,
        0x0000890000000067UL,
        0x0000820000000fffUL,
        0x0000ec00e0330000UL,
        0x0000ec0000080000UL,
        0x00008c00e0300000UL,
        0x0000ec01e0330000UL,
    };
    return chance(75) ? PICK(descs) : rnd();
}

void gen_update_descriptor(struct call *c, bool in_mc)
{
    const struct frame *f = pick_frame(U_WRITE);
    uint64_t off = chance(90) ? rnd_below(512) * 8 : rnd_below(PAGE);

    (void)in_mc;
    c->nr = __HYPERVISOR_update_descriptor;
    c->a[0] = (f->mfn << 12) + off;
    c->a[1] = pick_descriptor();
    taint_add(f->mfn, T_JUNK);
    describe(c, "update_descriptor %s+%#lx %#lx", pick_sym, (unsigned long)off,
             (unsigned long)c->a[1]);
}

/* --- iret (23): kernel mode to kernel mode, with random flags ---------------------- */
void gen_iret_ctx(struct call *c, struct iret_ctx *x)
{
    static const uint64_t css[] = { 0xe030, 0xe031, 0xe032, 0xe030 };
    static const uint64_t sss[] = { 0xe02b, 0xe028, 0xe029, 0xe02b };
    uint64_t rf = 0x2;

    if (chance(50))
        rf |= 0x200; /* IF: the upcall mask follows it */
    if (chance(20))
        rf |= rnd() & (0x100 | 0x400 | 0x3000 | 0x4000 | 0x40000 | 0x200000 | 0x8d5);
    *x = (struct iret_ctx){
        .rax = rnd(),
        .r11 = rnd(),
        .rcx = rnd(),
        .flags = chance(70)   ? 0
                 : chance(60) ? VGCF_in_syscall
                              : rnd() & ~0UL,
        .cs = PICK(css),
        .rflags = rf,
        .ss = PICK(sss),
    };
    describe(c, "iret flags=%#lx cs=%#lx rflags=%#lx", (unsigned long)x->flags,
             (unsigned long)x->cs, (unsigned long)x->rflags);
}

void gen_iret(struct call *c, bool in_mc)
{
    (void)in_mc;
    c->nr = __HYPERVISOR_iret;
    c->kind = K_IRET;
    gen_iret_ctx(c, &c->iret);
}
