// SPDX-License-Identifier: MIT
// Xen PV interrupts: shared_info mapped at boot, the trap table and the
// callbacks, the 2-level event-channel upcall, and "interrupts enabled" as
// vcpu_info's evtchn_upcall_mask.
#include <pvops/pvops.h>
#include <pvops/pte.h>
#include <pvops/trap.h>
#include <pvops/xen/xenpv.h>
#include <vmi/callback_op.h>
#include <vmi/event_channel_op.h>
#include <vmi/traps.h>
#include <vmi/update_va_mapping.h>
#include <vmi/xen_version.h>
#include <stdint.h>
#include <stdio.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <common/array_size.h>

#define NR_TRAPS      32
#define BITS_PER_WORD 64
#define NR_PORTS      (sizeof(((shared_info_t *)0)->evtchn_pending) * 8)

/* The page shared_info replaces in the kernel image's mapping. */
static char shared_page[4096] __attribute__((aligned(4096)));

/* Until shared_info is mapped, the mask lives here, so the irq slots work. */
static struct vcpu_info boot_vcpu = { .evtchn_upcall_mask = 1 };

shared_info_t *xenpv_shared_info;
struct vcpu_info *xenpv_vcpu = &boot_vcpu;

static pv_trap_handler_fn kernel_handler;
static xenpv_port_fn port_handlers[NR_PORTS];

extern const uint64_t xenpv_trap_stubs[NR_TRAPS];
void xenpv_event_entry(void);
void xenpv_syscall_entry(void);
void xenpv_failsafe_entry(void);
void xenpv_iret(void);

/* A hypercall that needs nothing of the hypervisor's: events pending at
 * its return are delivered, which is all that is wanted of it. */
static void force_event_delivery(void)
{
    xen_version_number();
}

/* The compiler must not move memory accesses across the mask writes. */
static void xenpv_irq_disable(void)
{
    xenpv_vcpu->evtchn_upcall_mask = 1;
    asm volatile("" : : : "memory");
}

static void xenpv_irq_enable(void)
{
    asm volatile("" : : : "memory");
    xenpv_vcpu->evtchn_upcall_mask = 0;
    /* Unmask first, then look: an event set in between is still seen. */
    asm volatile("mfence" : : : "memory");
    if (xenpv_vcpu->evtchn_upcall_pending)
        force_event_delivery();
}

static unsigned long xenpv_irq_save(void)
{
    unsigned long flags = xenpv_vcpu->evtchn_upcall_mask ? 0 : PV_RFLAGS_IF;

    xenpv_irq_disable();
    return flags;
}

static void xenpv_irq_restore(unsigned long flags)
{
    if (flags & PV_RFLAGS_IF)
        xenpv_irq_enable();
    else
        xenpv_irq_disable();
}

int xenpv_events_map(const start_info_t *si)
{
    uint64_t pte = (si->shared_info & PTE_ADDR_MASK) | PTE_PRESENT | PTE_RW | PTE_USER |
                   PTE_ACCESSED | PTE_DIRTY;
    long rc = hypercall_update_va_mapping((unsigned long)shared_page, pte, UVMF_INVLPG);

    if (rc < 0)
        return (int)rc;
    xenpv_shared_info = (shared_info_t *)shared_page;
    xenpv_vcpu = &xenpv_shared_info->vcpu_info[0];
    return 0;
}

int xenpv_bind_port(evtchn_port_t port, xenpv_port_fn fn)
{
    if (port >= NR_PORTS)
        return -XEN_EINVAL;
    port_handlers[port] = fn;
    /* Our own shared page: clearing the mask bit is what EVTCHNOP_unmask
     * does too, minus re-raising an event that is already pending. */
    __atomic_fetch_and(&xenpv_shared_info->evtchn_mask[port / BITS_PER_WORD],
                       ~(1UL << (port % BITS_PER_WORD)), __ATOMIC_SEQ_CST);
    return 0;
}

/*
 * The 2-level scan: the selector says which words of evtchn_pending may
 * have bits; each pending, unmasked bit is cleared (atomically, Xen sets
 * them concurrently) before its handler runs, so a new event is not lost.
 */
static void event_upcall(struct pv_trap_frame *f)
{
    do {
        unsigned long sel;

        xenpv_vcpu->evtchn_upcall_pending = 0;
        sel = __atomic_exchange_n(&xenpv_vcpu->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned int w = (unsigned int)__builtin_ctzl(sel);
            unsigned long pending;

            sel &= sel - 1;
            pending = xenpv_shared_info->evtchn_pending[w] & ~xenpv_shared_info->evtchn_mask[w];
            while (pending) {
                unsigned int b = (unsigned int)__builtin_ctzl(pending);
                unsigned int port = w * BITS_PER_WORD + b;

                pending &= pending - 1;
                __atomic_fetch_and(&xenpv_shared_info->evtchn_pending[w], ~(1UL << b),
                                   __ATOMIC_SEQ_CST);
                if (port_handlers[port])
                    port_handlers[port](f);
            }
        }
    } while (xenpv_vcpu->evtchn_upcall_pending);
}

static void failsafe(struct pv_trap_frame *f)
{
    char buf[96];
    int n = snprintf(buf, sizeof(buf), "Lithos: failsafe callback at rip %#llx\n",
                     (unsigned long long)f->rip);

    xenpv_console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    xenpv_power_shutdown(SHUTDOWN_crash);
}

static void xenpv_trap_dispatch(struct pv_trap_frame *f)
{
    if (f->vector == XENPV_VECTOR_EVENT)
        event_upcall(f);
    else if (f->vector == XENPV_VECTOR_FAILSAFE)
        failsafe(f);
    else
        kernel_handler(f);
}

void xenpv_deliver(struct pv_trap_frame *f, uint64_t vector)
{
    uint64_t saved = f->vector;

    f->vector = vector;
    kernel_handler(f);
    f->vector = saved;
}

static struct trap_info trap_table[NR_TRAPS + 1];

/* callback_op where the hypervisor has it, else the older set_callbacks. */
static int register_callbacks(void)
{
    static const struct {
        uint16_t type, flags;
        void (*entry)(void);
    } cbs[] = {
        { CALLBACKTYPE_event, CALLBACKF_mask_events, xenpv_event_entry },
        { CALLBACKTYPE_failsafe, CALLBACKF_mask_events, xenpv_failsafe_entry },
        { CALLBACKTYPE_syscall, CALLBACKF_mask_events, xenpv_syscall_entry },
    };
    long rc = 0;

    for (size_t i = 0; i < ARRAY_SIZE(cbs) && rc == 0; i++)
        rc = callback_register(cbs[i].type, cbs[i].flags, cbs[i].entry);
    if (rc == -XEN_ENOSYS) {
        rc = hypercall_set_callbacks(xenpv_event_entry, xenpv_failsafe_entry, xenpv_syscall_entry);
        if (rc < 0)
            xenpv_missing("set_callbacks", rc);
    } else if (rc < 0) {
        xenpv_missing("callback_op", rc);
    }
    return (int)rc;
}

static int xenpv_irq_init(pv_trap_handler_fn handler)
{
    long rc;

    kernel_handler = handler;
    pv_trap_dispatch = xenpv_trap_dispatch;
    pv_iret = xenpv_iret;
    if (!xenpv_shared_info) {
        xenpv_missing("update_va_mapping(shared_info)", -XEN_EFAULT);
        return -XEN_EFAULT;
    }
    /* Every exception masks events on entry, like a native interrupt gate,
     * so cr2 and the frame cannot be disturbed by an upcall. DPL 0: no
     * vector is meant for int $n from user mode. */
    for (unsigned int v = 0; v < NR_TRAPS; v++) {
        trap_table[v] = (struct trap_info){
            .vector = (uint8_t)v,
            .flags = TRAP_INFO_MASK_EVENTS,
            .cs = FLAT_KERNEL_CS,
            .address = xenpv_trap_stubs[v],
        };
    }
    rc = hypercall_set_trap_table(trap_table);
    if (rc < 0) {
        xenpv_missing("set_trap_table", rc);
        return (int)rc;
    }
    return register_callbacks();
}

static const char *errno_name(long rc)
{
    static const struct {
        long rc;
        const char *name;
    } names[] = {
        { -XEN_ENOSYS, "-ENOSYS" },         { -XEN_EINVAL, "-EINVAL" }, { -XEN_EPERM, "-EPERM" },
        { -XEN_EFAULT, "-EFAULT" },         { -XEN_ENOENT, "-ENOENT" }, { -XEN_EBUSY, "-EBUSY" },
        { -XEN_EOPNOTSUPP, "-EOPNOTSUPP" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (names[i].rc == rc)
            return names[i].name;
    return "error";
}

void xenpv_missing(const char *hypercall, long rc)
{
    if (!pv_info.missing[0])
        snprintf(pv_info.missing, sizeof(pv_info.missing), "%s %s", hypercall, errno_name(rc));
}

const struct pv_irq_ops xenpv_irq_ops = {
    .init = xenpv_irq_init,
    .enable = xenpv_irq_enable,
    .disable = xenpv_irq_disable,
    .save = xenpv_irq_save,
    .restore = xenpv_irq_restore,
};
