// SPDX-License-Identifier: MIT
/*
 * hcall-fuzz generators for the hypercalls Xenolith answers -ENOSYS and
 * the privileged ones a Xen dom0 may use: unknown numbers, wrong
 * interface versions, hostile pointers and harmless sub-ops only.
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

/* --- Hypercalls Xenolith answers -ENOSYS; Xen may implement them -------------------- */
void gen_unimplemented(struct call *c, bool in_mc)
{
    /* Numbers both hypervisors answer -ENOSYS, and numbers past the table. */
    static const uint64_t none[] = { 11,
                                     27,
                                     38,
                                     43,
                                     44,
                                     45,
                                     46,
                                     47,
                                     56,
                                     60,
                                     63,
                                     64,
                                     65,
                                     127,
                                     128,
                                     255,
                                     0x100000001UL,
                                     0x10000000dUL,
                                     1UL << 63,
                                     ~0UL };
    (void)in_mc;
    c->nr = PICK(none);
    for (unsigned int k = 0; k < 5; k++)
        c->a[k] = chance(50) ? pick_ptr(P_INOUT, 64) : rnd();
    describe(c, "hypercall %#lx", (unsigned long)c->nr);
}

/* A buffer whose interface_version word (at offset 4, as in platform_op,
 * sysctl, domctl and the MCA interface) is never the right one. */
static uint64_t wrong_version_arg(uint32_t right)
{
    uint32_t *w = xp_alloc(128, 8);

    for (unsigned int k = 0; k < 32; k++)
        w[k] = (uint32_t)rnd();
    w[0] = (uint32_t)rnd_below(128);                   /* cmd */
    w[1] = right ^ (1u + (uint32_t)rnd_below(0xffff)); /* never right */
    return chance(85) ? (uint64_t)w : pick_hostile_va();
}

void gen_privileged(struct call *c, bool in_mc)
{
    uint64_t x = rnd_below(100);

    (void)in_mc;
    memset(c->a, 0, sizeof(c->a));
    if (x < 10) {
        c->nr = __HYPERVISOR_platform_op;
        c->a[0] = wrong_version_arg(0x03000001);
    } else if (x < 20) {
        c->nr = 35; /* sysctl */
        c->a[0] = wrong_version_arg(0x00000015);
    } else if (x < 30) {
        c->nr = 36; /* domctl */
        c->a[0] = wrong_version_arg(0x00000015);
    } else if (x < 35) {
        c->nr = 48; /* arch_0: MCA */
        c->a[0] = wrong_version_arg(0x01000001);
    } else if (x < 40) {
        c->nr = 49; /* arch_1: paging_domctl_cont */
        c->a[0] = wrong_version_arg(0x00000015);
    } else if (x < 46) {
        /* kexec: get_range, or unknown ops; never exec or load. */
        c->nr = 37;
        c->a[0] = chance(50) ? 3 : 6 + rnd_below(100);
        c->a[1] = pick_ptr(P_INOUT, 32);
    } else if (x < 56) {
        /* physdev: status queries, IOPL, a free PIRQ, unknown ops. */
        static const uint64_t ops[] = { PHYSDEVOP_irq_status_query,
                                        PHYSDEVOP_set_iopl,
                                        PHYSDEVOP_get_free_pirq,
                                        40,
                                        99,
                                        0x7fffffff };
        c->nr = chance(70) ? __HYPERVISOR_physdev_op : __HYPERVISOR_physdev_op_compat;
        if (c->nr == __HYPERVISOR_physdev_op) {
            c->a[0] = PICK(ops);
            c->a[1] = pick_ptr(P_INOUT, 16);
        } else {
            uint32_t *w = xp_alloc(32, 8);

            w[0] = (uint32_t)PICK(ops);
            w[1] = (uint32_t)rnd_below(256);
            w[2] = (uint32_t)rnd();
            c->a[0] = (uint64_t)w;
        }
    } else if (x < 64) {
        c->nr = __HYPERVISOR_set_debugreg;
        c->a[0] = chance(85) ? rnd_below(8) : rnd();
        c->a[1] = chance(40) ? pick_canonical() : chance(50) ? rnd() & 0xffff00ff : 0;
    } else if (x < 68) {
        c->nr = __HYPERVISOR_get_debugreg;
        c->a[0] = chance(85) ? rnd_below(8) : rnd();
    } else if (x < 72) {
        /* The old sched_op: yield or unknown; its block and shutdown
         * take no pointer, so they are not used. */
        c->nr = __HYPERVISOR_sched_op_compat;
        c->a[0] = chance(50) ? SCHEDOP_yield : 3 + rnd_below(100);
        c->a[1] = rnd();
    } else if (x < 78) {
        /* The old event_channel_op: the same struct with cmd inside. */
        uint32_t *w = xp_alloc(32, 8);

        c->nr = __HYPERVISOR_event_channel_op_compat;
        w[0] = (uint32_t)(chance(70) ? EVTCHNOP_status : rnd_below(20));
        if (w[0] == EVTCHNOP_init_control || w[0] == EVTCHNOP_reset)
            w[0] = EVTCHNOP_status;
        w[1] = DOMID_SELF;
        w[2] = pick_port();
        c->a[0] = chance(85) ? (uint64_t)w : pick_hostile_va();
    } else if (x < 82) {
        c->nr = __HYPERVISOR_nmi_op;
        c->a[0] = rnd_below(3);
        c->a[1] = pick_ptr(P_IN, 16);
    } else if (x < 86) {
        c->nr = __HYPERVISOR_xenoprof_op;
        c->a[0] = 20 + rnd_below(100);
        c->a[1] = pick_ptr(P_INOUT, 64);
    } else if (x < 90) {
        c->nr = __HYPERVISOR_hvm_op;
        c->a[0] = rnd_below(48);
        c->a[1] = pick_ptr(P_INOUT, 64);
    } else if (x < 93) {
        c->nr = 41; /* dm_op: a domain that does not exist */
        c->a[0] = PICK(dead_domids);
        c->a[1] = rnd_below(4);
        c->a[2] = pick_ptr(P_IN, 16);
    } else if (x < 96) {
        c->nr = 40; /* xenpmu_op: unknown ops only */
        c->a[0] = 10 + rnd_below(100);
        c->a[1] = pick_ptr(P_INOUT, 64);
    } else if (x < 98) {
        c->nr = 42; /* hypfs_op: read-only for dom0 */
        c->a[0] = rnd_below(4);
        c->a[1] = pick_ptr(P_IN, 16);
        c->a[2] = rnd_below(64);
        c->a[3] = pick_ptr(P_OUT, 64);
        c->a[4] = rnd_below(256);
    } else {
        c->nr = 39; /* argo_op */
        c->a[0] = rnd_below(8);
        c->a[1] = pick_ptr(P_INOUT, 64);
    }
    describe(c, "hypercall %lu %#lx", (unsigned long)c->nr, (unsigned long)c->a[0]);
}
