// SPDX-License-Identifier: MIT
/* Trap dispatch, the trap table, shared_info, user mode and the typed
 * CPU-virtualization hypercalls for test guests (traps.h). */
#include <stdint.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/vcpu.h>
#include <vmi/hypercall.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

extern char trap_stubs[];
long user_enter(void (*fn)(unsigned long), unsigned long arg, unsigned long rflags,
                unsigned long user_sp);
uint64_t *trap_dispatch(struct cpu_regs *regs);

struct extable_entry {
    uint64_t from, to;
};
extern const struct extable_entry __start_ex_table[], __stop_ex_table[];

volatile struct trap_record last_trap;
volatile unsigned long trap_count;
volatile unsigned long vec_count[NR_TRAP_VECS];
volatile bool trap_probe_gs;
volatile bool in_user_run;
shared_info_t *shared;
unsigned long user_kernel_sp;
unsigned long user_l4_mfn;

static trap_handler_t handlers[NR_TRAP_VECS];
static trap_info_t live_table[2];

bool vector_has_error_code(unsigned int vector)
{
    return vector < 32 &&
           ((1u << vector) & ((1u << 8) | (1u << 10) | (1u << 11) | (1u << 12) | (1u << 13) |
                              (1u << 14) | (1u << 17) | (1u << 21) | (1u << 29) | (1u << 30)));
}

unsigned long trap_entry(unsigned int vector)
{
    return (unsigned long)trap_stubs + 16UL * vector;
}

void trap_set_handler(unsigned int vector, trap_handler_t h)
{
    handlers[vector] = h;
}

static bool extable_fixup(struct cpu_regs *regs)
{
    for (const struct extable_entry *e = __start_ex_table; e < __stop_ex_table; e++)
        if (e->from == regs->rip) {
            regs->rip = e->to;
            return true;
        }
    return false;
}

static void __attribute__((noreturn)) fatal_trap(struct cpu_regs *regs)
{
    test_failure("unexpected trap: vector %lu, error code %#lx, rip %#lx, cs %#lx, rflags %#lx, "
                 "rsp %#lx, cr2 %#lx",
                 regs->vector, regs->error_code, regs->rip, regs->cs, regs->rflags, regs->rsp,
                 last_trap.cr2);
    test_finish();
}

/*
 * The frame layout is PV64-ABI.md's: rcx, r11, (failsafe: ds, es, fs,
 * gs), (error code), rip, cs, rflags, rsp, ss, from the lowest address.
 * The iret frame is written back over the words below rip, which the
 * hypercall stub then extends downwards with rcx, r11 and rax.
 */
uint64_t *trap_dispatch(struct cpu_regs *regs)
{
    uint64_t *f = (uint64_t *)(regs + 1);
    unsigned int vec = (unsigned int)regs->vector;
    bool ec = vector_has_error_code(vec);
    unsigned int idx = vec == VEC_FAILSAFE ? 6 : 2;
    volatile struct trap_record *r = &last_trap;
    uint64_t *ir;

    regs->rcx = f[0];
    regs->r11 = f[1];
    regs->error_code = ec ? f[idx] : 0;
    if (ec)
        idx++;
    regs->rip = f[idx];
    regs->cs = f[idx + 1];
    regs->rflags = f[idx + 2];
    regs->rsp = f[idx + 3];
    regs->ss = f[idx + 4];
    regs->iret_flags = 0;

    r->vector = vec;
    r->has_error_code = ec;
    r->frame_words = idx + 5;
    for (unsigned int i = 0; i < idx + 5 && i < 12; i++)
        r->frame[i] = f[i];
    r->entry_rsp = (uint64_t)f;
    r->error_code = regs->error_code;
    r->rip = regs->rip;
    r->cs = regs->cs;
    r->rflags = regs->rflags;
    r->rsp = regs->rsp;
    r->ss = regs->ss;
    r->cr2 = shared ? vcpu0()->arch.cr2 : 0;
    r->upcall_mask = shared ? vcpu0()->evtchn_upcall_mask : 0xff;
    if (trap_probe_gs) {
        uint64_t w;

        asm volatile("movq %%gs:0, %0" : "=r"(w));
        r->kernel_gs_word = w;
    }
    trap_count++;
    vec_count[vec]++;

    if (handlers[vec] && handlers[vec](regs))
        goto out;
    if (vec < 256 && extable_fixup(regs))
        goto out;
    if (vec == VEC_SYSCALL && in_user_run && (regs->cs & 3) == 3)
        user_return((long)regs->rax);
    if (vec == VEC_EVENT) {
        /* Nobody asked: acknowledge, and the frame's IF restores the mask. */
        vcpu0()->evtchn_upcall_pending = 0;
        goto out;
    }
    fatal_trap(regs);

out:
    ir = &f[idx - 1];
    ir[0] = regs->iret_flags;
    ir[1] = regs->rip;
    ir[2] = regs->cs;
    ir[3] = regs->rflags;
    ir[4] = regs->rsp;
    ir[5] = regs->ss;
    return ir;
}

long trap_set_entry(unsigned int vector, unsigned int flags, unsigned long address)
{
    live_table[0] = (trap_info_t){ .vector = (uint8_t)vector,
                                   .flags = (uint8_t)flags,
                                   .cs = FLAT_KERNEL_CS,
                                   .address = address };
    live_table[1] = (trap_info_t){ 0 };
    return hc_set_trap_table(live_table);
}

long traps_install(void)
{
    static trap_info_t table[33];

    for (unsigned int v = 0; v < 32; v++)
        /* #BP and #OF at DPL 3, as XTF has them, so int3 works anywhere. */
        table[v] = (trap_info_t){ .vector = (uint8_t)v,
                                  .flags = (v == X86_BP || v == X86_OF) ? 3 : 0,
                                  .cs = FLAT_KERNEL_CS,
                                  .address = trap_entry(v) };
    table[32] = (trap_info_t){ 0 };
    return hc_set_trap_table(table);
}

/* Scratch pages are handed out from the top of the padding down, so tests
 * that index scratch pages from 0 keep theirs. */
static unsigned long scratch_taken;

static unsigned long scratch_alloc(void)
{
    unsigned long n = scratch_count();

    if (scratch_taken >= n)
        return 0;
    return scratch_va(n - 1 - scratch_taken++);
}

shared_info_t *shared_info_map(void)
{
    unsigned long va;

    if (shared)
        return shared;
    va = scratch_alloc();
    if (!va || hc_update_va_mapping(va, test_start_info->shared_info | PTE_RW_FLAGS, UVMF_INVLPG))
        return NULL;
    shared = (shared_info_t *)va;
    return shared;
}

long event_callback_register(bool mask_events)
{
    struct callback_register cb = { .type = CALLBACKTYPE_event,
                                    .flags = mask_events ? CALLBACKF_mask_events : 0,
                                    .address = trap_entry(VEC_EVENT) };

    return hc_callback_op(CALLBACKOP_register, &cb);
}

/* A zeroed page holding `entry` at index 0, then read-only: ready to be
 * referenced as a page table. */
static unsigned long table_page(uint64_t entry)
{
    unsigned long va = scratch_alloc();

    if (!va)
        return 0;
    memset((void *)va, 0, TEST_PAGE_SIZE);
    ((uint64_t *)va)[0] = entry;
    if (set_page_ro(va))
        return 0;
    return va_to_mfn(va);
}

/* marker page -> L1 -> L2 -> L3: the L3's frame, or 0. */
static unsigned long marker_tree(uint64_t marker)
{
    unsigned long page = scratch_alloc(), l1, l2;

    if (!page)
        return 0;
    memset((void *)page, 0, TEST_PAGE_SIZE);
    *(uint64_t *)page = marker;
    l1 = table_page(mfn_pte(va_to_mfn(page), PTE_RW_FLAGS));
    l2 = l1 ? table_page(mfn_pte(l1, PTE_TABLE_FLAGS)) : 0;
    return l2 ? table_page(mfn_pte(l2, PTE_TABLE_FLAGS)) : 0;
}

static uint8_t user_kernel_stack[16384] __attribute__((aligned(16)));
static uint8_t user_stack[16384] __attribute__((aligned(16)));

int user_setup(void)
{
    const uint64_t *kl4 = (const uint64_t *)mfn_to_va(l4_mfn());
    unsigned int slot = (USER_MARKER_VA >> 39) & 511;
    struct callback_register cb = { .type = CALLBACKTYPE_syscall,
                                    .flags = CALLBACKF_mask_events,
                                    .address = trap_entry(VEC_SYSCALL) };
    unsigned long ul3, kl3, ul4;
    long rc;

    if (user_l4_mfn)
        return 0;
    ul3 = marker_tree(USER_MARKER_USER);
    kl3 = marker_tree(USER_MARKER_KERN);
    ul4 = scratch_alloc();
    if (!kl4 || !ul3 || !kl3 || !ul4) {
        test_error("user_setup: no scratch pages for the user tables");
        return -1;
    }
    memcpy((void *)ul4, kl4, TEST_PAGE_SIZE);
    memset((uint64_t *)ul4 + 256, 0, 16 * 8); /* the hypervisor's slots */
    ((uint64_t *)ul4)[slot] = mfn_pte(ul3, PTE_TABLE_FLAGS);
    if ((rc = set_page_ro(ul4))) {
        test_error("user_setup: user L4 read-only: %ld", rc);
        return -1;
    }
    user_l4_mfn = va_to_mfn(ul4);
    if ((rc = mmu_update_one(((uint64_t)l4_mfn() << 12) + slot * 8, mfn_pte(kl3, PTE_TABLE_FLAGS),
                             NULL))) {
        test_error("user_setup: kernel marker slot: %ld", rc);
        return -1;
    }
    if ((rc = mmuext_one(MMUEXT_NEW_USER_BASEPTR, user_l4_mfn, 0, NULL))) {
        test_error("user_setup: NEW_USER_BASEPTR: %ld", rc);
        return -1;
    }
    user_kernel_sp = (unsigned long)user_kernel_stack + sizeof(user_kernel_stack);
    if ((rc = hc_stack_switch(FLAT_KERNEL_SS, user_kernel_sp))) {
        test_error("user_setup: stack_switch: %ld", rc);
        return -1;
    }
    if ((rc = hc_callback_op(CALLBACKOP_register, &cb))) {
        test_error("user_setup: syscall callback: %ld", rc);
        return -1;
    }
    return 0;
}

long user_run(void (*fn)(unsigned long), unsigned long arg)
{
    uint8_t mask = shared ? vcpu0()->evtchn_upcall_mask : 1;
    long v;

    in_user_run = true;
    /* IF mirrors the current mask, so entering user mode changes nothing. */
    v = user_enter(fn, arg, mask ? 0x2 : 0x202, (unsigned long)user_stack + sizeof(user_stack));
    in_user_run = false;
    if (shared)
        vcpu0()->evtchn_upcall_mask = mask;
    return v;
}

volatile unsigned long port_hits[EVTCHN_2L_PORTS];
volatile unsigned long upcalls;

static bool event_scan(struct cpu_regs *regs)
{
    vcpu_info_t *vi = vcpu0();
    unsigned long sel;

    upcalls++;
    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while (sel) {
        unsigned int w = (unsigned int)__builtin_ctzl(sel);
        unsigned long pend;

        sel &= sel - 1;
        pend = shared->evtchn_pending[w] & ~shared->evtchn_mask[w];
        while (pend) {
            unsigned int b = (unsigned int)__builtin_ctzl(pend);

            pend &= pend - 1;
            __atomic_fetch_and(&shared->evtchn_pending[w], ~(1UL << b), __ATOMIC_SEQ_CST);
            port_hits[w * 64 + b]++;
        }
    }
    return true;
}

long events_install(void)
{
    trap_set_handler(VEC_EVENT, event_scan);
    return event_callback_register(true);
}

uint64_t system_time_ns(void)
{
    const volatile struct vcpu_time_info *t = &shared->vcpu_info[0].time;
    uint32_t version, mul;
    int8_t shift;
    uint64_t stime, tsc, delta;

    do {
        version = t->version;
        asm volatile("" ::: "memory"); /* version before the fields (x86 keeps load order) */
        stime = t->system_time;
        tsc = t->tsc_timestamp;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        asm volatile("" ::: "memory");
    } while ((version & 1) || version != t->version);
    delta = rdtsc_now() - tsc;
    delta = shift < 0 ? delta >> -shift : delta << shift;
    return stime + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

long hc_set_trap_table(const trap_info_t *t)
{
    return hypercall2(__HYPERVISOR_set_trap_table, (unsigned long)t, 0);
}

long hc_set_callbacks(unsigned long event, unsigned long failsafe, unsigned long syscall)
{
    return hypercall3(__HYPERVISOR_set_callbacks, event, failsafe, syscall);
}

long hc_callback_op(int cmd, const void *arg)
{
    return hypercall2(__HYPERVISOR_callback_op, (unsigned long)cmd, (unsigned long)arg);
}

long hc_stack_switch(unsigned long ss, unsigned long sp)
{
    return hypercall2(__HYPERVISOR_stack_switch, ss, sp);
}

long hc_fpu_taskswitch(int set)
{
    return hypercall2(__HYPERVISOR_fpu_taskswitch, (unsigned long)set, 0);
}

long hc_set_segment_base(unsigned int which, unsigned long base)
{
    return hypercall2(__HYPERVISOR_set_segment_base, which, base);
}

long hc_set_gdt(const unsigned long *frames, unsigned long entries)
{
    return hypercall2(__HYPERVISOR_set_gdt, (unsigned long)frames, entries);
}

long hc_update_descriptor(uint64_t maddr, uint64_t desc)
{
    return hypercall2(__HYPERVISOR_update_descriptor, maddr, desc);
}

long hc_event_channel_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, (unsigned long)cmd, (unsigned long)arg);
}

long ev_send(evtchn_port_t port)
{
    evtchn_send_t s = { .port = port };

    return hc_event_channel_op(EVTCHNOP_send, &s);
}

long hc_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return hypercall3(__HYPERVISOR_vcpu_op, (unsigned long)cmd, vcpu, (unsigned long)arg);
}

long hc_set_timer_op(uint64_t timeout)
{
    return hypercall2(__HYPERVISOR_set_timer_op, timeout, 0);
}

long hc_sched_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_sched_op, (unsigned long)cmd, (unsigned long)arg);
}
