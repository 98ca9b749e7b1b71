// SPDX-License-Identifier: MIT
/*
 * Event channels, 2-level ABI, with the semantics and errnos of Xen 4.17's
 * common/event_channel.c and event_2l.c: port allocation, the binding ops,
 * close, send, status, unmask and reset, and the pending/mask/selector bit
 * protocol on shared_info; and ports whose other end is Xenolith itself.
 * One vCPU per domain: vCPU 0 is the only one.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include "event/evtchn.h"
#include "arch/x86/uaccess.h"
#include "common/array_size.h"

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

/* Xen sizes a PV domain's PIRQ space as nr_irqs_gsi + extra_domU_irqs
 * (24 GSIs on QEMU's one IO-APIC, plus 32). Xenolith gives guests no
 * physical IRQs, so every PIRQ below this is refused as Xen refuses an
 * unmapped one (-EPERM), and the rest as out of range (-EINVAL). */
#define EVTCHN_NR_PIRQS 56

/* --- The 2-level bit protocol ------------------------------------------------- */
/* Locked read-modify-writes (lock bts/btr): the guest updates the same words
 * concurrently, and Xen's ABI promises these are atomic. Sequentially
 * consistent, so each step is visible before the next, in the order the
 * guest's scan (upcall_pending, then selector, then pending & ~mask) relies on. */
static bool bit_test_and_set(xen_ulong_t *word, unsigned int bit)
{
    xen_ulong_t m = (xen_ulong_t)1 << bit;

    return __atomic_fetch_or(word, m, __ATOMIC_SEQ_CST) & m;
}

static bool bit_test_and_clear(xen_ulong_t *word, unsigned int bit)
{
    xen_ulong_t m = (xen_ulong_t)1 << bit;

    return __atomic_fetch_and(word, ~m, __ATOMIC_SEQ_CST) & m;
}

static bool bit_test(xen_ulong_t *word, unsigned int bit)
{
    return (__atomic_load_n(word, __ATOMIC_SEQ_CST) >> bit) & 1;
}

/* Xen's vcpu_mark_events_pending: a locked bit set on upcall_pending, and a
 * kick only on its 0 -> 1 transition. */
static void mark_events_pending(struct domain *d, shared_info_t *s)
{
    if (!(__atomic_fetch_or(&s->vcpu_info[0].evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) & 1))
        evtchn_env_kick(d);
}

void evtchn_set_pending(struct domain *d, unsigned int port)
{
    shared_info_t *s = evtchn_env_shared_info(d);
    unsigned int word = port / BITS_PER_WORD, bit = port % BITS_PER_WORD;

    if (port >= EVTCHN_NR_PORTS)
        return;
    if (bit_test_and_set(&s->evtchn_pending[word], bit))
        return;
    if (!bit_test(&s->evtchn_mask[word], bit) &&
        !bit_test_and_set(&s->vcpu_info[0].evtchn_pending_sel, word))
        mark_events_pending(d, s);
    evtchn_env_poll_wake(d, port);
}

/* Xen's evtchn_2l_unmask: only a port whose mask bit was set and that is
 * pending is delivered, selector first, then upcall_pending. */
static void port_unmask(struct domain *d, unsigned int port)
{
    shared_info_t *s = evtchn_env_shared_info(d);
    unsigned int word = port / BITS_PER_WORD, bit = port % BITS_PER_WORD;

    if (bit_test_and_clear(&s->evtchn_mask[word], bit) && bit_test(&s->evtchn_pending[word], bit) &&
        !bit_test_and_set(&s->vcpu_info[0].evtchn_pending_sel, word))
        mark_events_pending(d, s);
}

static void port_clear_pending(struct domain *d, unsigned int port)
{
    shared_info_t *s = evtchn_env_shared_info(d);

    bit_test_and_clear(&s->evtchn_pending[port / BITS_PER_WORD], port % BITS_PER_WORD);
}

/* --- Ports ------------------------------------------------------------------------ */
/* Xen's port_is_valid: the port's bucket has been allocated, whatever its
 * state. A free port in a valid bucket answers differently from one beyond
 * it (status says closed rather than -EINVAL; unmask succeeds). */
static struct evtchn *port_lookup(struct domain *d, uint32_t port)
{
    struct evtchn_domain *e = evtchn_env_state(d);

    return port < e->nr_valid ? &e->port[port] : NULL;
}

/* Xen's evtchn_usable: only bound ports take part in the bit protocol. */
static bool port_usable(const struct evtchn *chn)
{
    return chn->state > ECS_RESERVED;
}

bool evtchn_port_pollable(struct domain *d, unsigned int port)
{
    const struct evtchn *chn = port_lookup(d, port);

    return chn && port_usable(chn);
}

/* The lowest free port, allocating the next bucket when every valid port is
 * in use. As in Xen, a bucket allocated for an operation that then fails
 * stays valid. */
static long get_free_port(struct domain *d)
{
    struct evtchn_domain *e = evtchn_env_state(d);
    unsigned int port;

    for (port = 0; port < e->nr_valid; port++)
        if (e->port[port].state == ECS_FREE)
            return port;
    if (port >= EVTCHN_NR_PORTS)
        return -XEN_ENOSPC;
    e->nr_valid += EVTCHN_BUCKET;
    return port;
}

static void free_port(struct domain *d, unsigned int port)
{
    struct evtchn *chn = &evtchn_env_state(d)->port[port];

    /* Xen clears the pending bit so that a re-bound port starts quiet; the
     * mask bit is the guest's and stays. */
    port_clear_pending(d, port);
    memset(chn, 0, sizeof(*chn));
    chn->state = ECS_FREE;
}

/* Xen's virq_is_global (x86: every arch VIRQ is global). Per-vCPU VIRQs are
 * bound on the vCPU that receives them; global ones on vCPU 0 only. */
static bool virq_is_global(unsigned int virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        return true;
    }
}

static struct domain *domain_by_any_id(struct domain *self, domid_t id)
{
    return id == DOMID_SELF ? self : evtchn_env_domain(id);
}

/* Xen's default XSM policy for XSM_TARGET: oneself, or a privileged caller. */
static bool may_target(struct domain *self, struct domain *d)
{
    return d == self || evtchn_env_privileged(self);
}

/* Closes one port of d, as Xen's evtchn_close; the interdomain peer's end
 * becomes unbound, waiting for d again. */
static long close_port(struct domain *d, uint32_t port)
{
    struct evtchn_domain *e = evtchn_env_state(d);
    struct evtchn *chn = port_lookup(d, port);

    if (!chn)
        return -XEN_EINVAL;
    switch (chn->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        return -XEN_EINVAL;
    case ECS_VIRQ:
        e->virq_port[chn->virq] = 0;
        break;
    case ECS_XEN:
        /* As a Xen backend whose guest closed its end: Xenolith is not told,
         * and its notify is never called again. */
        e->xen_port[chn->xen_slot] = (struct evtchn_xen_port){ 0 };
        break;
    case ECS_INTERDOMAIN: {
        /* The peer may already be out of the lookup (shutting down), and its
         * end closed and even reused since: touch it only while it is still
         * our other end. */
        struct domain *peer = evtchn_env_domain(chn->remote_dom);
        struct evtchn *pchn = peer ? port_lookup(peer, chn->remote_port) : NULL;

        if (pchn && pchn->state == ECS_INTERDOMAIN && pchn->remote_dom == evtchn_env_domid(d) &&
            pchn->remote_port == port) {
            pchn->state = ECS_UNBOUND;
            pchn->remote_dom = evtchn_env_domid(d);
            pchn->remote_port = 0;
        }
        break;
    }
    default:
        break;
    }
    free_port(d, port);
    return 0;
}

/* --- The sub-ops, each on its argument already copied in ---------------------- */
static long op_alloc_unbound(struct domain *self, void *arg)
{
    struct evtchn_alloc_unbound *a = arg;
    struct domain *d = domain_by_any_id(self, a->dom);
    struct evtchn *chn;
    long port;

    if (!d)
        return -XEN_ESRCH;
    /* Xen allocates before the permission check, so a full target answers
     * -ENOSPC even to a caller that may not use it. */
    port = get_free_port(d);
    if (port < 0)
        return port;
    if (!may_target(self, d))
        return -XEN_EPERM;
    chn = &evtchn_env_state(d)->port[port];
    chn->state = ECS_UNBOUND;
    /* remote_dom is not checked: a domain that does not exist yet may be
     * named. DOMID_SELF means the caller, not the target. */
    chn->remote_dom = a->remote_dom == DOMID_SELF ? evtchn_env_domid(self) : a->remote_dom;
    a->port = port;
    return 0;
}

static long op_bind_interdomain(struct domain *self, void *arg)
{
    struct evtchn_bind_interdomain *b = arg;
    struct domain *rd = domain_by_any_id(self, b->remote_dom);
    struct evtchn *lchn, *rchn;
    long lport;

    if (!rd)
        return -XEN_ESRCH;
    lport = get_free_port(self);
    if (lport < 0)
        return lport;
    rchn = port_lookup(rd, b->remote_port);
    if (!rchn || rchn->state != ECS_UNBOUND || rchn->remote_dom != evtchn_env_domid(self))
        return -XEN_EINVAL;

    lchn = &evtchn_env_state(self)->port[lport];
    lchn->state = ECS_INTERDOMAIN;
    lchn->remote_dom = evtchn_env_domid(rd);
    lchn->remote_port = b->remote_port;
    rchn->state = ECS_INTERDOMAIN;
    rchn->remote_dom = evtchn_env_domid(self);
    rchn->remote_port = lport;
    /* As Xen: sends to the remote port while it was unbound were dropped, so
     * the new local end is conservatively made pending. */
    evtchn_set_pending(self, lport);
    b->local_port = lport;
    return 0;
}

static long op_bind_virq(struct domain *self, void *arg)
{
    struct evtchn_bind_virq *b = arg;
    struct evtchn_domain *e = evtchn_env_state(self);
    struct evtchn *chn;
    long port;

    if (b->virq >= NR_VIRQS)
        return -XEN_EINVAL;
    if (virq_is_global(b->virq) && b->vcpu != 0)
        return -XEN_EINVAL;
    if (b->vcpu != 0)
        return -XEN_ENOENT;
    if (e->virq_port[b->virq])
        return -XEN_EEXIST;
    port = get_free_port(self);
    if (port < 0)
        return port;
    chn = &e->port[port];
    chn->state = ECS_VIRQ;
    chn->virq = b->virq;
    e->virq_port[b->virq] = port;
    b->port = port;
    return 0;
}

static long op_bind_ipi(struct domain *self, void *arg)
{
    struct evtchn_bind_ipi *b = arg;
    long port;

    if (b->vcpu != 0)
        return -XEN_ENOENT;
    port = get_free_port(self);
    if (port < 0)
        return port;
    evtchn_env_state(self)->port[port].state = ECS_IPI;
    b->port = port;
    return 0;
}

/* Xen checks the range, then the domain's access to the PIRQ; Xenolith's
 * guests have none, so nothing is ever bound. */
static long op_bind_pirq(struct domain *self, void *arg)
{
    struct evtchn_bind_pirq *b = arg;

    return b->pirq >= EVTCHN_NR_PIRQS ? -XEN_EINVAL : -XEN_EPERM;
}

static long op_close(struct domain *self, void *arg)
{
    return close_port(self, ((struct evtchn_close *)arg)->port);
}

static long op_send(struct domain *self, void *arg)
{
    uint32_t port = ((struct evtchn_send *)arg)->port;
    struct evtchn *chn = port_lookup(self, port);
    struct evtchn_xen_port xp;
    struct domain *rd;

    if (!chn)
        return -XEN_EINVAL;
    switch (chn->state) {
    case ECS_XEN:
        /* Copied first: notify may close the port or signal it back. */
        xp = evtchn_env_state(self)->xen_port[chn->xen_slot];
        xp.notify(self, port, xp.arg);
        return 0;
    case ECS_INTERDOMAIN:
        rd = evtchn_env_domain(chn->remote_dom);
        if (rd)
            evtchn_set_pending(rd, chn->remote_port);
        return 0;
    case ECS_IPI:
        evtchn_set_pending(self, port);
        return 0;
    case ECS_UNBOUND:
        return 0; /* dropped silently, as Xen */
    default:
        return -XEN_EINVAL; /* free, reserved, VIRQ, PIRQ */
    }
}

/* Only the OUT fields of the current state are written; the rest of the
 * union goes back to the guest as it came, as in Xen. */
static long op_status(struct domain *self, void *arg)
{
    struct evtchn_status *st = arg;
    struct domain *d = domain_by_any_id(self, st->dom);
    struct evtchn *chn;

    if (!d)
        return -XEN_ESRCH;
    chn = port_lookup(d, st->port);
    if (!chn)
        return -XEN_EINVAL;
    if (!may_target(self, d))
        return -XEN_EPERM;
    switch (chn->state) {
    case ECS_UNBOUND:
        st->status = EVTCHNSTAT_unbound;
        st->u.unbound.dom = chn->remote_dom;
        break;
    case ECS_INTERDOMAIN:
        st->status = EVTCHNSTAT_interdomain;
        st->u.interdomain.dom = chn->remote_dom;
        st->u.interdomain.port = chn->remote_port;
        break;
    case ECS_XEN:
        /* What a Xen guest sees of its channel to xenconsoled or xenstored
         * in dom0, so unmodified frontends work; the remote port is 0, which
         * is reserved in every domain and so names no real port of d0. */
        st->status = EVTCHNSTAT_interdomain;
        st->u.interdomain.dom = EVTCHN_XEN_REMOTE_DOM;
        st->u.interdomain.port = 0;
        break;
    case ECS_PIRQ:
        st->status = EVTCHNSTAT_pirq;
        break;
    case ECS_VIRQ:
        st->status = EVTCHNSTAT_virq;
        st->u.virq = chn->virq;
        break;
    case ECS_IPI:
        st->status = EVTCHNSTAT_ipi;
        break;
    default:
        st->status = EVTCHNSTAT_closed;
        break;
    }
    st->vcpu = chn->notify_vcpu;
    return 0;
}

/* With one vCPU, rebinding changes nothing, but Xen's per-state answers are
 * kept: a per-vCPU VIRQ or an IPI cannot move, even to its own vCPU. */
static long op_bind_vcpu(struct domain *self, void *arg)
{
    struct evtchn_bind_vcpu *b = arg;
    struct evtchn *chn;

    if (b->vcpu != 0)
        return -XEN_ENOENT;
    chn = port_lookup(self, b->port);
    if (!chn)
        return -XEN_EINVAL;
    switch (chn->state) {
    case ECS_VIRQ:
        if (!virq_is_global(chn->virq))
            return -XEN_EINVAL;
        break;
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
    case ECS_XEN:
    case ECS_PIRQ:
        break;
    default:
        return -XEN_EINVAL;
    }
    chn->notify_vcpu = b->vcpu;
    return 0;
}

/* Any valid port answers 0; the bits move only for a bound one. */
static long op_unmask(struct domain *self, void *arg)
{
    uint32_t port = ((struct evtchn_unmask *)arg)->port;
    struct evtchn *chn = port_lookup(self, port);

    if (!chn)
        return -XEN_EINVAL;
    if (port_usable(chn))
        port_unmask(self, port);
    return 0;
}

static long do_reset(struct domain *self, void *arg, bool resuming)
{
    struct domain *d = domain_by_any_id(self, ((struct evtchn_reset *)arg)->dom);
    struct evtchn_domain *e;
    unsigned int port;

    if (!d)
        return -XEN_ESRCH;
    if (!may_target(self, d))
        return -XEN_EPERM;
    /* Xen resets another domain only while its controller has it paused;
     * Xenolith has no such pause, so that case always answers as an
     * unpaused domain does in Xen. */
    if (d != self)
        return -XEN_EINVAL;
    /* reset_cont resumes a preempted reset; Xenolith never preempts, so no
     * reset is ever in progress. */
    if (resuming)
        return -XEN_EBUSY;
    e = evtchn_env_state(d);
    for (port = 1; port < e->nr_valid; port++)
        close_port(d, port);
    return 0;
}

static long op_reset(struct domain *self, void *arg)
{
    return do_reset(self, arg, false);
}

static long op_reset_cont(struct domain *self, void *arg)
{
    return do_reset(self, arg, true);
}

/* FIFO ABI. Xen 4.17 always has it; Xenolith does not, and answers
 * init_control with -ENOSYS (deviation, docs/abi.md), which guests such as
 * Linux take as "FIFO unavailable" and stay on 2-level. expand_array and
 * set_priority give what Xen gives a domain still on 2-level:
 * -EOPNOTSUPP, and -EINVAL for an invalid port else -ENOSYS. */
static long op_init_control(struct domain *self, void *arg)
{
    return -XEN_ENOSYS;
}

static long op_expand_array(struct domain *self, void *arg)
{
    return -XEN_EOPNOTSUPP;
}

static long op_set_priority(struct domain *self, void *arg)
{
    if (!port_lookup(self, ((struct evtchn_set_priority *)arg)->port))
        return -XEN_EINVAL;
    return -XEN_ENOSYS;
}

/* --- Dispatch --------------------------------------------------------------------- */
struct evtchn_subop {
    long (*fn)(struct domain *self, void *arg);
    size_t size;   /* of the argument, copied in before fn runs */
    bool copy_out; /* copied back whole when fn succeeds */
};

static const struct evtchn_subop subops[] = {
    [EVTCHNOP_bind_interdomain] = { op_bind_interdomain, sizeof(struct evtchn_bind_interdomain),
                                    true },
    [EVTCHNOP_bind_virq] = { op_bind_virq, sizeof(struct evtchn_bind_virq), true },
    [EVTCHNOP_bind_pirq] = { op_bind_pirq, sizeof(struct evtchn_bind_pirq), true },
    [EVTCHNOP_close] = { op_close, sizeof(struct evtchn_close), false },
    [EVTCHNOP_send] = { op_send, sizeof(struct evtchn_send), false },
    [EVTCHNOP_status] = { op_status, sizeof(struct evtchn_status), true },
    [EVTCHNOP_alloc_unbound] = { op_alloc_unbound, sizeof(struct evtchn_alloc_unbound), true },
    [EVTCHNOP_bind_ipi] = { op_bind_ipi, sizeof(struct evtchn_bind_ipi), true },
    [EVTCHNOP_bind_vcpu] = { op_bind_vcpu, sizeof(struct evtchn_bind_vcpu), false },
    [EVTCHNOP_unmask] = { op_unmask, sizeof(struct evtchn_unmask), false },
    [EVTCHNOP_reset] = { op_reset, sizeof(struct evtchn_reset), false },
    [EVTCHNOP_init_control] = { op_init_control, sizeof(struct evtchn_init_control), true },
    [EVTCHNOP_expand_array] = { op_expand_array, sizeof(struct evtchn_expand_array), false },
    [EVTCHNOP_set_priority] = { op_set_priority, sizeof(struct evtchn_set_priority), false },
    [EVTCHN_OP_RESET_CONT] = { op_reset_cont, sizeof(struct evtchn_reset), false },
};

union evtchn_op_arg {
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_bind_pirq bind_pirq;
    struct evtchn_close close;
    struct evtchn_send send;
    struct evtchn_status status;
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_bind_vcpu bind_vcpu;
    struct evtchn_unmask unmask;
    struct evtchn_reset reset;
    struct evtchn_init_control init_control;
    struct evtchn_expand_array expand_array;
    struct evtchn_set_priority set_priority;
};

long evtchn_op(struct domain *self, int cmd, uint64_t arg)
{
    const struct evtchn_subop *op;
    union evtchn_op_arg buf;
    long rc;

    if (cmd < 0 || (unsigned int)cmd >= ARRAY_SIZE(subops) || !subops[cmd].fn)
        return -XEN_ENOSYS;
    op = &subops[cmd];
    if (copy_from_guest(&buf, arg, op->size))
        return -XEN_EFAULT;
    rc = op->fn(self, &buf);
    /* As Xen, a failed copy-out leaves the operation done ("cleaning up
     * here would be a mess") and reports -EFAULT. */
    if (rc == 0 && op->copy_out && copy_to_guest(arg, &buf, op->size))
        rc = -XEN_EFAULT;
    return rc;
}

/* --- Hypervisor-side entry points ------------------------------------------------ */
bool evtchn_send_virq(struct domain *d, unsigned int virq)
{
    unsigned int port;

    if (virq >= NR_VIRQS)
        return false;
    port = evtchn_env_state(d)->virq_port[virq];
    if (!port)
        return false;
    evtchn_set_pending(d, port);
    return true;
}

void evtchn_domain_init(struct domain *d)
{
    struct evtchn_domain *e = evtchn_env_state(d);

    memset(e, 0, sizeof(*e));
    e->nr_valid = EVTCHN_BUCKET;
    e->port[0].state = ECS_RESERVED;
}

void evtchn_domain_destroy(struct domain *d)
{
    struct evtchn_domain *e = evtchn_env_state(d);
    unsigned int port;

    for (port = 1; port < e->nr_valid; port++)
        close_port(d, port);
    e->nr_valid = 0;
}

/* --- Ports whose other end is Xenolith -------------------------------------------- */
static struct evtchn *xen_port_lookup(struct domain *d, unsigned int port)
{
    struct evtchn *chn = port_lookup(d, port);

    return chn && chn->state == ECS_XEN ? chn : NULL;
}

static int free_xen_slot(const struct evtchn_domain *e)
{
    for (unsigned int slot = 0; slot < EVTCHN_NR_XEN_PORTS; slot++)
        if (!e->xen_port[slot].notify)
            return (int)slot;
    return -XEN_ENOSPC;
}

static void bind_to_xen(struct evtchn_domain *e, struct evtchn *chn, unsigned int slot,
                        evtchn_xen_notify_fn *notify, void *arg)
{
    e->xen_port[slot] = (struct evtchn_xen_port){ .notify = notify, .arg = arg };
    chn->state = ECS_XEN;
    chn->xen_slot = (uint16_t)slot;
    chn->remote_dom = EVTCHN_XEN_REMOTE_DOM;
    chn->remote_port = 0;
}

int evtchn_alloc_xen_port(struct domain *d, evtchn_xen_notify_fn *notify, void *arg)
{
    struct evtchn_domain *e = evtchn_env_state(d);
    int slot;
    long port;

    if (!notify)
        return -XEN_EINVAL;
    /* Destroyed: get_free_port would make a bucket valid again. */
    if (!e->nr_valid)
        return -XEN_ESRCH;
    slot = free_xen_slot(e);
    if (slot < 0)
        return slot;
    port = get_free_port(d);
    if (port < 0)
        return port;
    bind_to_xen(e, &e->port[port], (unsigned int)slot, notify, arg);
    return port;
}

int evtchn_bind_xen_port(struct domain *d, unsigned int port, evtchn_xen_notify_fn *notify,
                         void *arg)
{
    struct evtchn_domain *e = evtchn_env_state(d);
    struct evtchn *chn = port_lookup(d, port);
    int slot;

    if (!notify || !chn || chn->state != ECS_UNBOUND || chn->remote_dom != EVTCHN_XEN_REMOTE_DOM)
        return -XEN_EINVAL;
    slot = free_xen_slot(e);
    if (slot < 0)
        return slot;
    bind_to_xen(e, chn, (unsigned int)slot, notify, arg);
    return 0;
}

void evtchn_notify_guest(struct domain *d, unsigned int port)
{
    if (xen_port_lookup(d, port))
        evtchn_set_pending(d, port);
}

void evtchn_close_xen_port(struct domain *d, unsigned int port)
{
    struct evtchn *chn = xen_port_lookup(d, port);

    if (!chn)
        return;
    evtchn_env_state(d)->xen_port[chn->xen_slot] = (struct evtchn_xen_port){ 0 };
    chn->state = ECS_UNBOUND;
    chn->xen_slot = 0;
    chn->remote_dom = EVTCHN_XEN_REMOTE_DOM;
    chn->remote_port = 0;
}
