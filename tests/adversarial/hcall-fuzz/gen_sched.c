// SPDX-License-Identifier: MIT
/*
 * hcall-fuzz generators for sched_op, set_timer_op and vcpu_op.
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

/* --- sched_op (29), set_timer_op (15), vcpu_op (24) -------------------------------- */

static uint64_t pick_deadline(void)
{
    uint64_t x = rnd_below(100);

    if (x < 25)
        return 0;
    if (x < 40)
        return 1;
    if (x < 75)
        return now_ns() + rnd_below(5000000);
    if (x < 85)
        return now_ns() + (1UL << 50) + rnd_below(1000);
    if (x < 92)
        return ~0UL;
    return 1UL << 63;
}

/*
 * Shutdown arguments live in the image's data, which no generator lets a
 * hypervisor write, not in the exchange pages: in a multicall an earlier
 * entry may clear or copy over an exchange page, and a remote_shutdown
 * reading domain 0 there, a shutdown code other than poweroff, or a
 * watchdog id 0 (a new watchdog, firing in timeout seconds) would end this
 * domain or change how it ends. A ring of them, for a multicall holding
 * several.
 */
#define SHUTDOWN_ARGS 16
static union {
    struct sched_shutdown code;
    struct sched_remote_shutdown remote;
    struct sched_watchdog watchdog;
} shutdown_args[SHUTDOWN_ARGS];
static unsigned int nr_shutdown_args;

void gen_sched_op(struct call *c, bool in_mc)
{
    uint64_t x = rnd_below(100);

    c->nr = __HYPERVISOR_sched_op;
    if (x < 30 || (in_mc && x < 60)) {
        c->a[0] = SCHEDOP_yield;
        describe(c, "sched_op yield");
    } else if (x < 36 && !in_mc) {
        c->a[0] = SCHEDOP_block;
        c->fixup |= FIX_BLOCK;
        describe(c, "sched_op block");
    } else if (x < 56 && !in_mc) {
        struct sched_poll *p = xp_alloc(sizeof(*p), 8);
        unsigned int n = (unsigned int)rnd_below(4);
        evtchn_port_t *list = xp_alloc((n ? n : 1) * 4, 4);
        static const unsigned int odd[] = { 0, 128, 129, 0xffffffff };

        char ps[64] = "";

        for (unsigned int k = 0; k < n; k++) {
            list[k] = pick_poll_port();
            strncat(ps, pick_sym, sizeof(ps) - strlen(ps) - 2);
            strncat(ps, ",", sizeof(ps) - strlen(ps) - 1);
        }
        set_xen_guest_handle(p->ports, list);
        if (chance(10)) {
            p->ports.p = (evtchn_port_t *)pick_ptr(P_IN, 4);
        }
        p->nr_ports = chance(80) ? n : PICK(odd);
        /* Never 0 (no timeout): a wait ends within 2 ms. */
        p->timeout = chance(70) ? now_ns() + rnd_below(2000000) : 1;
        c->a[0] = SCHEDOP_poll;
        c->fixup |= FIX_BLOCK;
        c->a[1] = chance(5) ? pick_hostile_va() : (uint64_t)p;
        describe(c, "sched_op poll [%s] nr=%u arg=%s", ps, p->nr_ports,
                 c->a[1] == (uint64_t)p ? "built" : pick_sym);
    } else if (x < 62) {
        /* Only an argument it cannot read: a shutdown would end the run. */
        c->a[0] = SCHEDOP_shutdown;
        c->a[1] = pick_unreadable_va();
        describe(c, "sched_op shutdown arg=%s", pick_sym);
    } else if (x < 70) {
        struct sched_shutdown *s = &shutdown_args[nr_shutdown_args++ % SHUTDOWN_ARGS].code;

        s->reason = SHUTDOWN_poweroff; /* the code the run ends with anyway */
        c->a[0] = SCHEDOP_shutdown_code;
        c->a[1] = chance(50) ? (uint64_t)s : pick_unreadable_va();
        describe(c, "sched_op shutdown_code arg=%s", ptr_desc(c->a[1], s));
    } else if (x < 80) {
        struct sched_remote_shutdown *r = &shutdown_args[nr_shutdown_args++ % SHUTDOWN_ARGS].remote;

        r->domain_id = (domid_t)PICK(dead_domids);
        r->reason = (unsigned int)rnd_below(8);
        c->a[0] = SCHEDOP_remote_shutdown;
        /* Built or unreadable: other bytes could name a live domain. */
        c->a[1] = chance(80) ? (uint64_t)r : pick_unreadable_va();
        describe(c, "sched_op remote_shutdown dom=%#x arg=%s", r->domain_id, ptr_desc(c->a[1], r));
    } else if (x < 86 && !cmp_mode) {
        /* Xen's watchdogs: only ids that were never created, so none is. */
        struct sched_watchdog *w = &shutdown_args[nr_shutdown_args++ % SHUTDOWN_ARGS].watchdog;

        w->id = 1 + (uint32_t)(chance(50) ? rnd_below(4) : rnd() % 0xfffffffe);
        w->timeout = (uint32_t)rnd();
        c->a[0] = SCHEDOP_watchdog;
        c->a[1] = chance(80) ? (uint64_t)w : pick_unreadable_va();
        describe(c, "sched_op watchdog id=%u", w->id);
    } else if (x < 90 && !cmp_mode) {
        struct sched_pin_override *p = xp_alloc(sizeof(*p), 4);

        p->pcpu = (int32_t)(chance(50) ? -1 : (int32_t)rnd_below(4));
        c->a[0] = SCHEDOP_pin_override;
        c->a[1] = (uint64_t)p;
        describe(c, "sched_op pin_override %d", p->pcpu);
    } else {
        static const uint64_t odd[] = { 8, 9, 100, 0x7fffffff, 0x80000000UL, 0xffffffff00000000UL };
        c->a[0] = PICK(odd);
        c->a[1] = pick_ptr(P_IN, 16);
        describe(c, "sched_op %#lx", (unsigned long)c->a[0]);
    }
}

void gen_set_timer_op(struct call *c, bool in_mc)
{
    (void)in_mc;
    c->nr = __HYPERVISOR_set_timer_op;
    c->a[0] = pick_deadline();
    describe(c, "set_timer_op %s", c->a[0] > 1 && c->a[0] < (1UL << 62) ? "deadline" : "odd");
}

void gen_vcpu_op(struct call *c, bool in_mc)
{
    static const int cmp_cmds[] = {
        VCPUOP_is_up,
        VCPUOP_set_periodic_timer,
        VCPUOP_set_periodic_timer,
        VCPUOP_stop_periodic_timer,
        VCPUOP_set_singleshot_timer,
        VCPUOP_set_singleshot_timer,
        VCPUOP_stop_singleshot_timer,
        14,
        31,
        -1,
    };
    static const int xen_cmds[] = {
        VCPUOP_initialise,
        VCPUOP_up,
        VCPUOP_down,
        VCPUOP_get_runstate_info,
        VCPUOP_register_runstate_memory_area,
        VCPUOP_register_vcpu_info,
        VCPUOP_send_nmi,
        VCPUOP_get_physid,
        VCPUOP_register_vcpu_time_memory_area,
    };
    int cmd = (!cmp_mode && chance(30)) ? PICK(xen_cmds) : PICK(cmp_cmds);
    uint64_t vcpu = pick_vcpu();
    uint8_t *arg = xp_alloc(64, 8);
    char as[64];

    (void)in_mc;
    memset(arg, 0, 64);
    c->nr = __HYPERVISOR_vcpu_op;
    describe(c, "vcpu_op %d %s", cmd, pick_sym);
    switch (cmd) {
    case VCPUOP_set_periodic_timer: {
        static const uint64_t periods[] = { 0,         999999,          1000000, 10000000,
                                            1UL << 62, (1UL << 62) + 1, ~0UL };
        struct vcpu_set_periodic_timer *p = (void *)arg;

        p->period_ns = chance(60) ? 1000000 + rnd_below(20000000) : PICK(periods);
        break;
    }
    case VCPUOP_set_singleshot_timer: {
        struct vcpu_set_singleshot_timer *s = (void *)arg;

        s->timeout_abs_ns = pick_deadline();
        s->flags = chance(70) ? 0 : chance(50) ? VCPU_SSHOTTMR_future : (uint32_t)rnd();
        break;
    }
    case VCPUOP_down:
    case VCPUOP_register_vcpu_info:
        /* Taking vCPU 0 down freezes the run; moving vcpu_info strands
         * the upcall flags this guest reads: only calls that must fail. */
        /* The vCPU id is 32 bits: 0x100000000 is vCPU 0 too. */
        if ((uint32_t)vcpu == 0) {
            if (cmd == VCPUOP_down)
                vcpu = 1 + rnd_below(64);
            else {
                struct vcpu_register_vcpu_info *r = (void *)arg;
                const struct frame *f = role_frame(chance(50) ? R_FOREIGN : R_HUGE,
                                                   (unsigned int)rnd_below(16));
                r->mfn = f->mfn;
                r->offset = (uint32_t)(PAGE - 16 + rnd_below(64));
                describe(c, "vcpu_info=%s:%#lx+%#x", f->name, (unsigned long)f->mfn, r->offset);
            }
        }
        break;
    case VCPUOP_register_runstate_memory_area:
    case VCPUOP_register_vcpu_time_memory_area:
        /* Written at every context switch: an output page or nothing
         * (and the argument always built, so nothing else is named). */
        *(uint64_t *)arg = chance(50) ? (uint64_t)out_page[rnd_below(2)] + 64 * rnd_below(8)
                                      : pick_hostile_va();
        describe(c, "area=%#lx", (unsigned long)*(uint64_t *)arg);
        break;
    case VCPUOP_initialise:
        /* A context for vCPU 0 is refused (it is up); for others,
         * garbage. */
        for (unsigned int k = 0; k < 8; k++)
            ((uint64_t *)arg)[k] = rnd();
        break;
    default:
        break;
    }
    c->a[0] = (uint64_t)(int64_t)cmd;
    c->a[1] = vcpu;
    c->a[2] = (cmd == VCPUOP_register_vcpu_info || cmd == VCPUOP_down ||
               cmd == VCPUOP_register_runstate_memory_area ||
               cmd == VCPUOP_register_vcpu_time_memory_area)
                  ? (uint64_t)arg
                  : obj_or_ptr(arg, 64, P_INOUT, 8, as);
    if (c->a[2] != (uint64_t)arg)
        describe(c, "arg=%s", as);
}
