// SPDX-License-Identifier: MIT
/*
 * hcall-fuzz generator for event_channel_op, tracking the ports it makes.
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

/* --- event_channel_op (32) ------------------------------------------------------------ */
static void post_port(const struct call *c, long rc)
{
    if (rc == 0 && c->post_arg)
        track_add(&ports, *(const uint32_t *)c->post_arg);
}

static void post_virq(const struct call *c, long rc)
{
    if (rc == 0 && c->post_arg) {
        track_add(&ports, *(const uint32_t *)c->post_arg);
        track_add(&virqs, *(const uint32_t *)c->post_arg);
    }
}

static void post_close(const struct call *c, long rc)
{
    if (rc == 0 && c->post_arg) {
        track_del(&ports, *(const uint32_t *)c->post_arg);
        track_del(&virqs, *(const uint32_t *)c->post_arg);
    }
}

static void post_reset(const struct call *c, long rc)
{
    (void)c;
    if (rc == 0)
        ports.n = virqs.n = 0;
}

static domid_t pick_self_or(unsigned int pct)
{
    if (chance(pct))
        return chance(70) ? DOMID_SELF : lay.self;
    return (domid_t)pick_domid();
}

void gen_event_channel_op(struct call *c, bool in_mc)
{
    static const int cmp_cmds[] = {
        EVTCHNOP_alloc_unbound,
        EVTCHNOP_alloc_unbound,
        EVTCHNOP_bind_interdomain,
        EVTCHNOP_bind_interdomain,
        EVTCHNOP_bind_virq,
        EVTCHNOP_bind_ipi,
        EVTCHNOP_close,
        EVTCHNOP_close,
        EVTCHNOP_send,
        EVTCHNOP_send,
        EVTCHNOP_status,
        EVTCHNOP_status,
        EVTCHNOP_bind_vcpu,
        EVTCHNOP_unmask,
        EVTCHNOP_unmask,
        EVTCHNOP_reset,
        14 /* reset_cont */,
        EVTCHNOP_expand_array,
        EVTCHNOP_set_priority,
        15,
        -1,
        0x7fffffff,
    };
    static const int xen_cmds[] = { EVTCHNOP_init_control, EVTCHNOP_bind_pirq };
    int cmd = (!cmp_mode && chance(8)) ? PICK(xen_cmds) : PICK(cmp_cmds);
    uint8_t *arg = xp_alloc(32, 8);
    char as[64];

    (void)in_mc;
    memset(arg, 0, 32);
    c->nr = __HYPERVISOR_event_channel_op;
    /* Keep the port space from filling up: a full table answers by how
     * many ports each hypervisor reserves for itself. */
    if (ports.n >= 40 && (cmd == EVTCHNOP_alloc_unbound || cmd == EVTCHNOP_bind_interdomain ||
                          cmd == EVTCHNOP_bind_virq || cmd == EVTCHNOP_bind_ipi))
        cmd = EVTCHNOP_close;
    describe(c, "event_channel_op %d", cmd);
    switch (cmd) {
    case EVTCHNOP_alloc_unbound: {
        struct evtchn_alloc_unbound *a = (void *)arg;

        a->dom = pick_self_or(75);
        a->remote_dom = pick_self_or(60);
        describe(c, "dom=%#x remote=%#x", a->dom, a->remote_dom);
        if (a->dom == DOMID_SELF || a->dom == lay.self) {
            c->post = post_port;
            c->post_arg = &a->port;
        }
        break;
    }
    case EVTCHNOP_bind_interdomain: {
        struct evtchn_bind_interdomain *b = (void *)arg;

        b->remote_dom = pick_self_or(80);
        b->remote_port = pick_port();
        describe(c, "remote=%#x %s", b->remote_dom, pick_sym);
        c->post = post_port;
        c->post_arg = &b->local_port;
        break;
    }
    case EVTCHNOP_bind_virq: {
        struct evtchn_bind_virq *b = (void *)arg;

        b->virq = chance(85) ? (uint32_t)rnd_below(NR_VIRQS)
                             : (uint32_t)(chance(50) ? 24 + rnd_below(8) : rnd());
        b->vcpu = (uint32_t)pick_vcpu();
        describe(c, "virq=%u %s", b->virq, pick_sym);
        c->post = post_virq;
        c->post_arg = &b->port;
        break;
    }
    case EVTCHNOP_bind_ipi: {
        struct evtchn_bind_ipi *b = (void *)arg;

        b->vcpu = (uint32_t)pick_vcpu();
        describe(c, "%s", pick_sym);
        c->post = post_port;
        c->post_arg = &b->port;
        break;
    }
    case EVTCHNOP_close:
    case EVTCHNOP_send:
    case EVTCHNOP_unmask: {
        uint32_t *p = (void *)arg;

        *p = pick_port();
        describe(c, "%s", pick_sym);
        if (cmd == EVTCHNOP_close) {
            c->post = post_close;
            c->post_arg = p;
        }
        break;
    }
    case EVTCHNOP_status: {
        struct evtchn_status *s = (void *)arg;

        s->dom = pick_self_or(70);
        s->port = pick_port();
        describe(c, "dom=%#x %s", s->dom, pick_sym);
        break;
    }
    case EVTCHNOP_bind_vcpu: {
        struct evtchn_bind_vcpu *b = (void *)arg;

        b->port = pick_port();
        SYM(ps);
        b->vcpu = (uint32_t)pick_vcpu();
        describe(c, "%s %s", ps, pick_sym);
        break;
    }
    case EVTCHNOP_reset:
    case 14 /* reset_cont */: {
        struct evtchn_reset *r = (void *)arg;

        r->dom = pick_self_or(50);
        describe(c, "dom=%#x", r->dom);
        if (cmd == EVTCHNOP_reset && (r->dom == DOMID_SELF || r->dom == lay.self))
            c->post = post_reset;
        break;
    }
    case EVTCHNOP_init_control: {
        /* Never a frame of ours: a switch to the FIFO ABI would strand
         * this guest's 2-level event handling. */
        struct evtchn_init_control *i = (void *)arg;
        const struct frame *f = role_frame(chance(50) ? R_FOREIGN : R_HUGE,
                                           (unsigned int)rnd_below(16));

        i->control_gfn = f->mfn;
        i->offset = (uint32_t)(chance(50) ? rnd_below(PAGE) : rnd());
        i->vcpu = (uint32_t)pick_vcpu();
        break;
    }
    case EVTCHNOP_expand_array: {
        struct evtchn_expand_array *e = (void *)arg;

        e->array_gfn = pick_frame(U_READ)->mfn;
        break;
    }
    case EVTCHNOP_set_priority: {
        struct evtchn_set_priority *s = (void *)arg;

        s->port = pick_port();
        s->priority = (uint32_t)(chance(50) ? rnd_below(16) : rnd());
        describe(c, "%s prio=%u", pick_sym, s->priority);
        break;
    }
    case EVTCHNOP_bind_pirq: {
        struct evtchn_bind_pirq *b = (void *)arg;

        /* Beyond the legacy IRQs: nothing of the machine's is taken. */
        b->pirq = (uint32_t)(24 + (chance(70) ? rnd_below(232) : rnd() % 0x7fffffe0));
        b->flags = (uint32_t)rnd_below(2);
        break;
    }
    default:
        break;
    }
    c->a[0] = (uint64_t)(int64_t)cmd;
    if (chance(3))
        c->a[0] |= 0xdead00000000UL; /* cmd is an int: upper half ignored */
    /* FIFO init only with its built (failing) argument. */
    c->a[1] = cmd == EVTCHNOP_init_control ? (uint64_t)arg : obj_or_ptr(arg, 32, P_INOUT, 8, as);
    if (c->a[1] != (uint64_t)arg) {
        c->post = NULL;
        describe(c, "arg=%s", as);
    }
}
