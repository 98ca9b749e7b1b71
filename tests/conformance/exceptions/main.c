// SPDX-License-Identifier: MIT
/*
 * exceptions: every exception a PV64 guest can raise, from guest kernel
 * mode (events masked, then unmasked) and from guest user mode, each
 * checked against the bounce frame layout of PV64-ABI.md: rcx and r11 at
 * the top, the error code where the vector has one, rip, cs (RPL 0 for
 * kernel mode, the saved upcall mask in bits 32+), rflags (IF = !mask),
 * rsp, ss, on a 16-byte boundary; from user mode on the stack_switch
 * stack with the kernel page table back. Also software interrupts through
 * DPL 3, 1 and 0 entries, and SYSCALL from user mode. Expected values are
 * Xen 4.17's under QEMU TCG; where the CPU model decides (QEMU's #GP error
 * code for `int $n`, #SS, #AC), the test says what it saw.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "common/array_size.h"

const char test_title[] = "exceptions";

#define RCX_MARK 0x00c0c0c0c0c0c0c0UL
#define R11_MARK 0x0000000011111111UL
#define NO_TRAP  (-1)
#define NO_EC    (-1L)
#define FLAGS_IF 0x200UL
#define FLAGS_TF 0x100UL
#define FLAGS_AC 0x40000UL

/* Set by raise.S. */
uint64_t exp_rsp, exp_fault_rip, exp_next_rip, ro_page;

/* Every raiser, in the order the tests run (laid out by hand: clang-format
 * cannot settle on one layout for a list of macro calls). */
/* clang-format off */
#define RAISERS(X) \
    X(de) X(icebp) X(int3) X(into) X(bound) X(ud2) X(fnop) X(hlt) X(cli) \
    X(sti) X(noncanon) X(ss_noncanon) X(pf_read) X(pf_write) X(pf_ro) X(pf_fetch) X(mf) X(ac) \
    X(ds_np) X(ss_np) X(ds_sys) X(int_21) X(int_23) X(int_24) X(int_80) X(tf)
/* clang-format on */
#define DECLARE(n) void raise_##n(void);
RAISERS(DECLARE)
void user_syscall(void);

/* What a handler saw, copied at entry (the exit syscall of user mode
 * overwrites last_trap). */
static struct trap_record snap;
static unsigned long snap_count;
static uint64_t snap_marker, snap_live_flags;
static bool user_ready;
static volatile uint64_t user_saw_marker, user_after_marker;

static bool snap_syscall;

static bool snap_handler(struct cpu_regs *regs)
{
    uint64_t f;

    if (regs->vector == VEC_SYSCALL && !snap_syscall)
        return false; /* user mode's way out, not a case */

    memcpy(&snap, (const void *)&last_trap, sizeof(snap));
    snap_count++;
    asm volatile("pushf; pop %0" : "=r"(f));
    snap_live_flags = f;
    snap_marker = user_ready ? *(volatile uint64_t *)USER_MARKER_VA : 0;
    regs->rflags &= ~FLAGS_TF;
    return false;
}

enum at { AT_FAULT, AT_NEXT };

struct exc_case {
    const char *name;
    void (*raise)(void);
    int vector; /* NO_TRAP: must complete without one */
    long ec;    /* NO_EC, or the kernel-mode error code */
    enum at at;
    bool user;    /* also from user mode */
    uint64_t cr2; /* #PF only; 1 = ro_page */
};

/* Decided at run time: the #GP error code QEMU gives `int $n`, and the
 * vectors the hypervisor then delivers (ARCHITECTURE.md §1). */
static long gp_int23_ec;
static int softint_21, softint_24;
static bool ac_raisable, ss_is_gp;

static const struct exc_case cases[] = {
    { "#DE div by zero", raise_de, X86_DE, NO_EC, AT_FAULT, true, 0 },
    /* ICEBP (0xf1) arrives as #UD at the instruction under QEMU 7.2 TCG. */
    { "icebp", raise_icebp, X86_UD, NO_EC, AT_FAULT, true, 0 },
    { "#DB single step (TF)", raise_tf, X86_DB, NO_EC, AT_NEXT, true, 0 },
    { "#BP int3", raise_int3, X86_BP, NO_EC, AT_NEXT, true, 0 },
    { "into (#UD in 64-bit mode)", raise_into, X86_UD, NO_EC, AT_FAULT, true, 0 },
    { "bound (#UD in 64-bit mode)", raise_bound, X86_UD, NO_EC, AT_FAULT, true, 0 },
    { "#UD ud2", raise_ud2, X86_UD, NO_EC, AT_FAULT, true, 0 },
    { "#GP hlt", raise_hlt, X86_GP, 0, AT_FAULT, true, 0 },
    { "#GP cli", raise_cli, X86_GP, 0, AT_FAULT, true, 0 },
    { "#GP sti", raise_sti, X86_GP, 0, AT_FAULT, true, 0 },
    { "#GP non-canonical load", raise_noncanon, X86_GP, 0, AT_FAULT, true, 0 },
    { "#SS non-canonical stack load", raise_ss_noncanon, X86_SS, 0, AT_FAULT, true, 0 },
    { "#PF read, not present", raise_pf_read, X86_PF, 0, AT_FAULT, true, 0x1000 },
    { "#PF write, not present", raise_pf_write, X86_PF, 2, AT_FAULT, true, 0x1000 },
    { "#PF write, read-only", raise_pf_ro, X86_PF, 3, AT_FAULT, true, 1 },
    { "#PF fetch, not present", raise_pf_fetch, X86_PF, 0x10, AT_FAULT, true, 0x2000 },
    { "#MF x87 divide by zero", raise_mf, X86_MF, NO_EC, AT_FAULT, true, 0 },
    { "#AC misaligned load", raise_ac, X86_AC, 0, AT_FAULT, true, 0 },
    { "#NP load DS, not present", raise_ds_np, X86_NP, 0x0c, AT_FAULT, true, 0 },
    { "#SS load SS, not present", raise_ss_np, X86_SS, 0x0c, AT_FAULT, true, 0 },
    { "#GP load DS, system descriptor", raise_ds_sys, X86_GP, 0x1c, AT_FAULT, true, 0 },
    { "int $0x21, DPL 3", raise_int_21, 0x21, NO_EC, AT_NEXT, true, 0 },
    { "int $0x24, DPL 1", raise_int_24, 0x24, NO_EC, AT_NEXT, false, 0 },
    { "int $0x80, DPL 3", raise_int_80, 0x80, NO_EC, AT_NEXT, true, 0 },
};

static void check_frame(const char *what, const struct exc_case *c, int vector, long ec,
                        uint64_t cr2, bool user, uint8_t mask)
{
    const struct trap_record *s = &snap;
    unsigned int words = 7 + (ec != NO_EC);
    uint64_t rip = c->at == AT_FAULT ? exp_fault_rip : exp_next_rip;
    uint64_t base = user ? user_kernel_sp : exp_rsp;
    char n[128];

#define NAME(field) (snprintf(n, sizeof(n), "%s%s: %s", c->name, what, field), n)
    if (vector == NO_TRAP) {
        check_long(NAME("no exception (deliveries)"), 0, (long)snap_count);
        return;
    }
    check_long(NAME("deliveries"), 1, (long)snap_count);
    if (!check_long(NAME("vector"), vector, (long)s->vector))
        return;
    check_long(NAME("frame rcx"), (long)RCX_MARK, (long)s->frame[0]);
    check_long(NAME("frame r11"), (long)R11_MARK, (long)s->frame[1]);
    if (ec != NO_EC)
        check_long(NAME("error code"), ec, (long)s->frame[2]);
    check_long(NAME("rip"), (long)rip, (long)s->frame[words - 5]);
    check_long(NAME("cs"), (long)(((uint64_t)mask << 32) | (user ? 0xe033 : 0xe030)),
               (long)s->frame[words - 4]);
    check_long(NAME("rflags.IF"), mask ? 0 : FLAGS_IF, (long)(s->frame[words - 3] & FLAGS_IF));
    check_long(NAME("rflags.IOPL"), 0, (long)(s->frame[words - 3] & 0x3000));
    check_long(NAME("rsp"), (long)exp_rsp, (long)s->frame[words - 2]);
    check_long(NAME("ss"), FLAT_KERNEL_SS, (long)s->frame[words - 1]);
    check_long(NAME("frame top (16-byte aligned base)"), (long)(base & ~15UL),
               (long)(s->entry_rsp + 8 * words));
    check_long(NAME("live rflags TF|AC|NT|RF"), 0,
               (long)(snap_live_flags & (FLAGS_TF | FLAGS_AC | 0x4000 | 0x10000)));
    if (vector == X86_PF)
        check_long(NAME("vcpu_info.arch.cr2"), (long)(cr2 == 1 ? ro_page : cr2), (long)s->cr2);
    if (user) {
        check_long(NAME("kernel page table in the handler"), (long)USER_MARKER_KERN,
                   (long)snap_marker);
        check_long(NAME("user page table before the trap"), (long)USER_MARKER_USER,
                   (long)user_saw_marker);
        check_long(NAME("user page table after HYPERVISOR_iret"), (long)USER_MARKER_USER,
                   (long)user_after_marker);
    }
#undef NAME
}

/* The expectation for a case, after the run-time decisions. */
static void expect_of(const struct exc_case *c, bool user, int *vector, long *ec)
{
    *vector = c->vector;
    *ec = c->ec;
    if (c->raise == raise_int_21)
        *vector = softint_21;
    if (c->raise == raise_int_24)
        *vector = softint_24;
    if (c->raise == raise_ac && !ac_raisable)
        *vector = NO_TRAP;
    if (c->raise == raise_ss_noncanon && ss_is_gp)
        *vector = X86_GP;
    if (user && *vector == X86_PF)
        *ec |= 4;
}

static void before_case(const struct exc_case *c)
{
    snap_count = 0;
    memset(&snap, 0, sizeof(snap));
    if (c->raise == raise_fnop)
        hc_fpu_taskswitch(1);
}

static void run_kernel(uint8_t mask)
{
    const char *what = mask ? " (kernel, masked)" : " (kernel, unmasked)";

    vcpu0()->evtchn_upcall_mask = mask;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct exc_case *c = &cases[i];
        int vector;
        long ec;

        expect_of(c, false, &vector, &ec);
        before_case(c);
        c->raise();
        check_frame(what, c, vector, ec, c->cr2, false, mask);
        check_long("upcall mask after the return", mask, vcpu0()->evtchn_upcall_mask);
    }
}

/* In user mode: which page table is live around the raiser. */
static void user_raise(unsigned long raiser)
{
    user_saw_marker = *(volatile uint64_t *)USER_MARKER_VA;
    ((void (*)(void))raiser)();
    user_after_marker = *(volatile uint64_t *)USER_MARKER_VA;
}

static void raise_in(bool user, void (*raiser)(void))
{
    user_saw_marker = user_after_marker = 0;
    if (!user)
        raiser();
    else
        check_long("user_run", 0, user_run(user_raise, (unsigned long)raiser));
}

static void run_user(void)
{
    vcpu0()->evtchn_upcall_mask = 1;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct exc_case *c = &cases[i];
        int vector;
        long ec;

        if (!c->user)
            continue;
        expect_of(c, true, &vector, &ec);
        before_case(c);
        raise_in(true, c->raise);
        check_frame(" (user)", c, vector, ec, c->cr2, true, 1);
    }
}

/* The first FPU use after fpu_taskswitch(1) raises #NM; Xen clears the
 * virtual CR0.TS as it delivers it, so the second use runs. */
static void test_nm(bool user)
{
    static const struct exc_case nm = {
        "#NM after fpu_taskswitch(1)", raise_fnop, X86_NM, NO_EC, AT_FAULT, true, 0
    };
    static const struct exc_case again = {
        "fnop after the #NM", raise_fnop, NO_TRAP, NO_EC, AT_FAULT, true, 0
    };
    static const struct exc_case cleared = {
        "fnop after fpu_taskswitch(0)", raise_fnop, NO_TRAP, NO_EC, AT_FAULT, true, 0
    };
    const char *what = user ? " (user)" : " (kernel)";

    vcpu0()->evtchn_upcall_mask = 1;
    before_case(&nm);
    raise_in(user, raise_fnop);
    check_frame(what, &nm, X86_NM, NO_EC, 0, user, 1);
    snap_count = 0;
    raise_in(user, raise_fnop);
    check_frame(what, &again, NO_TRAP, NO_EC, 0, user, 1);
    check_long("fpu_taskswitch(1)", 0, hc_fpu_taskswitch(1));
    check_long("fpu_taskswitch(0)", 0, hc_fpu_taskswitch(0));
    snap_count = 0;
    raise_fnop();
    check_frame(what, &cleared, NO_TRAP, NO_EC, 0, false, 1);
}

/*
 * `int $0x23` through a DPL 0 entry is a #GP whose error code names the
 * IDT entry: 0x23 * 8 + 2 on hardware. QEMU 7.2 TCG reports 0x23 * 16 + 2
 * and Xen trusts it, so it then also looks up entry 0x46 for the DPL
 * check and delivers a permitted `int $0x21` as vector 0x42. Entries 0x42
 * and 0x48 mirror 0x21 and 0x24, so the test follows either platform.
 */
static void probe_softint(void)
{
    static const struct exc_case probe = {
        "int $0x23, DPL 0 (kernel)", raise_int_23, X86_GP, 0, AT_FAULT, false, 0
    };

    vcpu0()->evtchn_upcall_mask = 1;
    before_case(&probe);
    raise_int_23();
    gp_int23_ec = snap.vector == X86_GP ? (long)snap.frame[2] : -1;
    if (gp_int23_ec == 0x23 * 16 + 2) {
        printk("note: int $0x23 #GP error code %#lx: QEMU's int-$n error code bug, passed "
               "through; delivering int $N through entry 2N\n",
               gp_int23_ec);
        softint_21 = 0x42;
        softint_24 = 0x48;
    } else {
        softint_21 = 0x21;
        softint_24 = 0x24;
        check_frame("", &probe, X86_GP, 0x23 * 8 + 2, 0, false, 1);
    }
    if (gp_int23_ec == 0x23 * 16 + 2)
        check_frame(" (QEMU error code)", &probe, X86_GP, 0x23 * 16 + 2, 0, false, 1);
}

/* CPU-model facts, independent of the hypervisor: probed in kernel mode,
 * printed, and then expected everywhere. */
static void probe_cpu_model(void)
{
    before_case(&cases[0]);
    raise_ac();
    ac_raisable = snap_count != 0;
    if (!ac_raisable)
        printk("note: no #AC for a misaligned load with EFLAGS.AC set (CR0.AM clear, or the "
               "CPU model lacks alignment checks)\n");
    before_case(&cases[0]);
    raise_ss_noncanon();
    ss_is_gp = snap.vector == X86_GP;
    if (ss_is_gp)
        printk("note: a non-canonical stack access raises #GP, not #SS (QEMU TCG)\n");
}

static int setup_ldt(void)
{
    unsigned long ldt = scratch_va(1);
    uint64_t *d = (uint64_t *)ldt;
    long rc;

    memset(d, 0, TEST_PAGE_SIZE);
    d[1] = 0x00cf72000000ffffUL; /* data, DPL 3, not present */
    d[2] = 0x00cff2000000ffffUL; /* data, DPL 3, present */
    /* Present, S=0, type 0: the one system type a PV LDT may hold besides
     * call gates (any other makes the page fail validation, and the LDT
     * access then faults as #PF). */
    d[3] = 0x0000800000000000UL;
    if ((rc = set_page_ro(ldt)) || (rc = mmuext_one(MMUEXT_SET_LDT, ldt, 4, NULL))) {
        test_error("LDT setup: %ld", rc);
        return -1;
    }
    return 0;
}

void test_main(void)
{
    long rc;

    if (scratch_count() < 32 || !shared_info_map()) {
        test_error("no scratch pages or shared_info");
        return;
    }
    ro_page = scratch_va(0);
    if ((rc = set_page_ro(ro_page)) || setup_ldt()) {
        test_error("setup: %ld", rc);
        return;
    }
    for (unsigned int v = 0; v < NR_TRAP_VECS; v++)
        trap_set_handler(v, snap_handler);
    if (!check_long("set_trap_table", 0, traps_install()) ||
        !check_long("event callback", 0, event_callback_register(true)))
        return;
    check_long("entry 0x21 DPL 3", 0, trap_set_entry(0x21, 3, trap_entry(0x21)));
    check_long("entry 0x42 DPL 3", 0, trap_set_entry(0x42, 3, trap_entry(0x42)));
    check_long("entry 0x23 DPL 0", 0, trap_set_entry(0x23, 0, trap_entry(0x23)));
    check_long("entry 0x24 DPL 1", 0, trap_set_entry(0x24, 1, trap_entry(0x24)));
    check_long("entry 0x48 DPL 1", 0, trap_set_entry(0x48, 1, trap_entry(0x48)));
    check_long("entry 0x80 DPL 3", 0, trap_set_entry(0x80, 3, trap_entry(0x80)));

    probe_softint();
    probe_cpu_model();
    run_kernel(1);
    run_kernel(0);
    test_nm(false);

    if (user_setup())
        return;
    user_ready = true;
    run_user();
    test_nm(true);

    /* DPL 1 is enough from kernel mode, not from user mode. */
    {
        static const struct exc_case c = { "int $0x24, DPL 1", raise_int_24, X86_GP, 0,
                                           AT_FAULT,           true,         0 };

        before_case(&c);
        raise_in(true, raise_int_24);
        check_frame(" (user)", &c, X86_GP, softint_24 * 8 + 2, 0, true, 1);
    }

    /*
     * int $0x80: Xen bounces straight to a registered 0x80 entry whatever
     * its DPL (the int80 direct trap ignores it), from either mode. With
     * no entry, Xen fabricates the #GP error code 0x80 * 8 + 2 itself, so
     * it is exact even under QEMU.
     */
    {
        static const struct exc_case dpl0 = {
            "int $0x80, DPL 0 entry", raise_int_80, 0x80, NO_EC, AT_NEXT, true, 0
        };
        static const struct exc_case none = {
            "int $0x80, no entry", raise_int_80, X86_GP, 0x402, AT_FAULT, true, 0
        };

        check_long("entry 0x80 DPL 0", 0, trap_set_entry(0x80, 0, trap_entry(0x80)));
        before_case(&dpl0);
        raise_in(false, raise_int_80);
        check_frame(" (kernel)", &dpl0, 0x80, NO_EC, 0, false, 1);
        before_case(&dpl0);
        raise_in(true, raise_int_80);
        check_frame(" (user)", &dpl0, 0x80, NO_EC, 0, true, 1);

        check_long("set_trap_table NULL", 0, hc_set_trap_table(NULL));
        check_long("set_trap_table 0-31 again", 0, traps_install());
        before_case(&none);
        raise_in(false, raise_int_80);
        check_frame(" (kernel)", &none, X86_GP, 0x402, 0, false, 1);
        before_case(&none);
        raise_in(true, raise_int_80);
        check_frame(" (user)", &none, X86_GP, 0x402, 0, true, 1);
    }

    /* SYSCALL from user mode reaches the syscall callback, events masked
     * (registered with CALLBACKF_mask_events), rcx/r11 as SYSCALL set them. */
    {
        const struct trap_record *s = &snap;

        snap_count = 0;
        snap_syscall = true;
        check_long("SYSCALL from user mode: rax through the callback", 0x5a5a,
                   user_run((void (*)(unsigned long))(void (*)(void))user_syscall, 0));
        snap_syscall = false;
        check_long("SYSCALL: vector", VEC_SYSCALL, (long)s->vector);
        check_long("SYSCALL: frame rcx (user rip)", (long)exp_next_rip, (long)s->frame[0]);
        /* The real IF is always set in a PV guest: HYPERVISOR_iret forces it. */
        check_long("SYSCALL: frame r11 (user rflags) IF", FLAGS_IF, (long)(s->frame[1] & FLAGS_IF));
        check_long("SYSCALL: rip", (long)exp_next_rip, (long)s->frame[2]);
        check_long("SYSCALL: cs", (long)((1UL << 32) | 0xe033), (long)s->frame[3]);
        check_long("SYSCALL: rsp", (long)exp_rsp, (long)s->frame[5]);
        check_long("SYSCALL: ss", FLAT_USER_SS, (long)s->frame[6]);
        check_long("SYSCALL: upcall mask in the callback", 1, s->upcall_mask);
        check_long("SYSCALL: frame top", (long)(user_kernel_sp & ~15UL), (long)(s->entry_rsp + 56));
        check_long("SYSCALL: kernel page table in the callback", (long)USER_MARKER_KERN,
                   (long)snap_marker);
    }
}
