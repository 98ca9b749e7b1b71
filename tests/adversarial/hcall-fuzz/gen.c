// SPDX-License-Identifier: MIT
/*
 * hcall-fuzz's generator: the table that picks a hypercall, multicall
 * (whose entries it picks again), and the argument helpers the others
 * share. One generator per hypercall or family (gen_*.c) chooses a sub-op
 * and hostile arguments from the pools (pools.c) and builds its inputs in
 * the exchange pages. The table says which may appear in a multicall and
 * which in the compared prefix: there, only calls whose answers depend
 * neither on timing nor on the machine's addresses, and none that
 * Xenolith deliberately answers differently (docs/abi.md, "-ENOSYS" rows
 * and deviations), so any difference the boot test finds is news.
 *
 * What no generator does, because it would legitimately end or freeze
 * the fuzzer: SCHEDOP_shutdown with a readable argument, remote_shutdown
 * of a live domain, block or poll without the timer armed (main.c arms
 * it), a watchdog, VCPUOP_down of vCPU 0, moving vcpu_info, the FIFO
 * event ABI, iret to user mode, and the privileged operations a Xen dom0
 * could use to take the machine down (platform_op, sysctl, domctl, kexec,
 * physdev's APIC and PCI operations, MCE injection): those get hostile
 * pointers, wrong interface versions or harmless sub-ops only.
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
#include "common/array_size.h"

/* Domain ids no live domain has: a shutdown of one ends nothing. */
const uint64_t dead_domids[NR_DEAD_DOMIDS] = { 7,        42,        0x7fef,        DOMID_SELF,
                                               DOMID_IO, DOMID_XEN, DOMID_INVALID, DOMID_IDLE,
                                               0xffff };

void describe(struct call *c, const char *fmt, ...)
{
    size_t n = strlen(c->desc);
    va_list ap;

    if (n >= sizeof(c->desc) - 2)
        return;
    if (n)
        c->desc[n++] = ' ';
    va_start(ap, fmt);
    vsnprintf(c->desc + n, sizeof(c->desc) - n, fmt, ap);
    va_end(ap);
}

const char *ptr_desc(uint64_t p, const void *built)
{
    return p == (uint64_t)built ? "built" : pick_sym;
}

/* An xp_alloc'd object, or (pct percent of the time) a pointer picked for
 * the use instead; *sym names it. */
uint64_t obj_or_ptr(void *obj, size_t size, enum ptr_use use, unsigned int pct, char *symbuf)
{
    uint64_t p;

    if (chance(pct)) {
        p = pick_ptr(use, size);
        snprintf(symbuf, 64, "%s", pick_sym);
        return p;
    }
    p = xp_arg(obj, use);
    snprintf(symbuf, 64, "%s", p == (uint64_t)obj ? "built" : pick_sym);
    return p;
}

/* An OUT pointer for a done/count word: NULL, an output page, hostile. */
uint64_t pick_done(struct call *c, char *symbuf)
{
    uint64_t x = rnd_below(100), p;

    if (x < 30) {
        snprintf(symbuf, 64, "null");
        return 0;
    }
    p = x < 85 ? pick_ptr(P_OUT, 4) : pick_hostile_va();
    snprintf(symbuf, 64, "%s", pick_sym);
    for (unsigned int k = 0; k < 2; k++)
        if (p >= (uint64_t)out_page[k] && p + 4 <= (uint64_t)out_page[k] + PAGE && !(p & 3)) {
            *(uint32_t *)p = 0xdead;
            c->done = (const uint32_t *)p;
        }
    return p;
}

/* A page owner (foreigndom) for mmu_update, mmuext_op and
 * update_va_mapping_otherdomain. DOMID_IO is left out of the compared
 * prefix, and so is DOMID_XEN: Xen lets its dom0 name them (I/O memory,
 * Xen's shared pages), Xenolith refuses both (docs/abi.md). */
uint64_t pick_pg_owner(unsigned int self_pct)
{
    uint64_t d;

    if (chance(self_pct))
        return DOMID_SELF;
    d = pick_domid();
    if (cmp_mode && ((uint16_t)d == DOMID_IO || (uint16_t)d == DOMID_XEN))
        d = DOMID_SELF;
    return d;
}

uint64_t pick_canonical(void)
{
    uint64_t x = rnd_below(100);

    if (x < 30)
        return (uint64_t)playground[rnd_below(NPLAY)];
    if (x < 50)
        return rnd() & 0x00007ffffffffff0UL;
    if (x < 70)
        return 0xffff800000000000UL | rnd();
    if (x < 85)
        return pick_hostile_va();
    return rnd();
}

/*
 * A handler for something that may fire before main.c restores the
 * fuzzer's own (an event upcall, an NMI, a failed segment reload, the #DB
 * of a crafted iret's TF): its real entry, or a non-canonical address the
 * hypervisor refuses. Anything else there would run garbage.
 */
uint64_t pick_handler(unsigned int vec)
{
    if (chance(70))
        return trap_entry(vec);
    return chance(50) ? 0x0000800000000000UL | (rnd() & 0x00007ffffffffff0UL)
                      : 0xdead000000000000UL | (rnd() & 0xffff0);
}

/* --- multicall (13) ------------------------------------------------------------------ */
static void gen_one(struct call *c, bool in_mc);

static void gen_multicall(struct call *c, bool in_mc)
{
    unsigned int n = chance(90) ? 1 + (unsigned int)rnd_below(6) : (unsigned int)rnd_below(2);
    bool with_iret = !in_mc && chance(12);
    unsigned int iret_at = with_iret ? (unsigned int)rnd_below(n + 1) : ~0u;
    unsigned int total = n + (with_iret ? 1 : 0);
    multicall_entry_t ents[8];
    multicall_entry_t *list;
    uint64_t count = total;
    char as[64];

    c->nr = __HYPERVISOR_multicall;
    if (in_mc) {
        /* Nested: refused before anything is read (unreadable anyway). */
        c->a[0] = pick_hostile_va();
        c->a[1] = rnd_below(4);
        describe(c, "multicall (nested)");
        return;
    }
    describe(c, "multicall [");
    for (unsigned int k = 0, s = 0; k < total; k++) {
        struct call sub;

        if (k == iret_at) {
            ents[k] = (multicall_entry_t){ .op = __HYPERVISOR_iret };
            for (unsigned int a = 0; a < 6; a++)
                ents[k].args[a] = rnd();
            describe(c, "iret-entry");
            continue;
        }
        memset(&sub, 0, sizeof(sub));
        gen_one(&sub, true);
        c->fixup |= sub.fixup & (FIX_TRAPS | FIX_CONSOLE);
        /* Its result is compared and its read-back runs after the batch
         * (an entry's index until the list is placed). */
        if (c->nr_subs < 8)
            c->subs[c->nr_subs++] =
                (struct sub_post){ .post = sub.post,
                                   .post_arg = sub.post_arg,
                                   .post_count = sub.post_count,
                                   .masked = sub.masked,
                                   .result = (const volatile xen_ulong_t *)(uintptr_t)k };
        ents[k] = (multicall_entry_t){ .op = sub.nr, .result = rnd() };
        for (unsigned int a = 0; a < 5; a++)
            ents[k].args[a] = sub.a[a];
        ents[k].args[5] = rnd();
        describe(c, "{%s}", sub.desc);
        s++;
    }
    describe(c, "]");
    if (!chance(90))
        count = pick_count();
    /* The entries alone in their page, at its end: past them comes the
     * guard page, never another object's bytes read as entries. */
    list = (multicall_entry_t *)(mc_page + PAGE - total * sizeof(*list));
    memcpy(list, ents, total * sizeof(*list));
    for (unsigned int k = 0; k < c->nr_subs; k++)
        c->subs[k].result = &list[(uintptr_t)c->subs[k].result].result;
    if (with_iret) {
        c->kind = K_MC_IRET;
        gen_iret_ctx(c, &c->iret);
        /* Xen returns the iret's rax truncated to 32 bits (docs/abi.md). */
        if (cmp_mode)
            c->iret.rax = (uint64_t)(int64_t)(int32_t)c->iret.rax;
        /* An entry before the iret may have replaced the trap table, which
         * main.c restores only after the batch: no TF, whose #DB would
         * find no handler. */
        if (c->fixup & FIX_TRAPS)
            c->iret.rflags &= ~0x100UL;
        c->a[0] = (uint64_t)list;
        c->a[1] = total;
        return;
    }
    /* The built list, or nothing readable: other bytes read as entries
     * could be any hypercall at all, one that ends or freezes the run. */
    c->a[0] = chance(92) ? (uint64_t)list : pick_hostile_va();
    snprintf(as, sizeof(as), "%s", c->a[0] == (uint64_t)list ? "built" : pick_sym);
    c->a[1] = count;
    describe(c, "count=%#lx arg=%s", (unsigned long)count, as);
}

/* --- The table ------------------------------------------------------------------------- */
typedef void gen_fn(struct call *c, bool in_mc);

#define G_MC  1 /* may be a multicall entry */
#define G_CMP 2 /* may be in the compared prefix */

static const struct gen {
    gen_fn *fn;
    uint8_t weight;
    uint8_t flags;
} gens[] = {
    { gen_mmu_update, 12, G_MC | G_CMP },
    { gen_mmuext_op, 12, G_MC | G_CMP },
    { gen_update_va_mapping, 10, G_MC | G_CMP },
    { gen_memory_op, 8, G_MC | G_CMP },
    { gen_grant_table_op, 10, G_MC | G_CMP },
    { gen_event_channel_op, 10, G_MC | G_CMP },
    { gen_multicall, 5, G_MC | G_CMP },
    { gen_sched_op, 4, G_MC | G_CMP },
    { gen_vcpu_op, 4, G_MC | G_CMP },
    { gen_set_timer_op, 2, G_MC | G_CMP },
    { gen_xen_version, 3, G_MC | G_CMP },
    { gen_console_io, 2, G_MC | G_CMP },
    { gen_vm_assist, 2, G_MC | G_CMP },
    { gen_set_trap_table, 2, G_MC | G_CMP },
    { gen_set_callbacks, 1, G_MC | G_CMP },
    { gen_callback_op, 2, G_MC | G_CMP },
    { gen_stack_switch, 1, G_MC | G_CMP },
    { gen_fpu_taskswitch, 1, G_MC | G_CMP },
    { gen_set_segment_base, 2, G_MC | G_CMP },
    { gen_set_gdt, 2, G_MC | G_CMP },
    { gen_update_descriptor, 2, G_MC | G_CMP },
    { gen_iret, 1, G_CMP },
    { gen_unimplemented, 2, G_MC | G_CMP },
    { gen_uvm_otherdomain, 1, G_MC },
    { gen_privileged, 3, G_MC },
};

static void gen_one(struct call *c, bool in_mc)
{
    unsigned int total = 0, i;
    uint64_t x;

    for (i = 0; i < ARRAY_SIZE(gens); i++)
        if ((!in_mc || (gens[i].flags & G_MC)) && (!cmp_mode || (gens[i].flags & G_CMP)))
            total += gens[i].weight;
    x = rnd_below(total);
    for (i = 0; i < ARRAY_SIZE(gens); i++) {
        if ((in_mc && !(gens[i].flags & G_MC)) || (cmp_mode && !(gens[i].flags & G_CMP)))
            continue;
        if (x < gens[i].weight)
            break;
        x -= gens[i].weight;
    }
    c->kind = K_PLAIN;
    gens[i].fn(c, in_mc);
}

void gen_call(struct call *c)
{
    gen_one(c, false);
}
