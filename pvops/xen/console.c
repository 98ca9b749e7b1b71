// SPDX-License-Identifier: MIT
// Xen console. Two ways, chosen at install (xenpv_console_init):
//  - the console ring of xen/io/console.h (start_info console.domU), on
//    every domain that has one: output with console_ring_front_write and
//    EVTCHNOP_send, input taken from the ring by the port's upcall into a
//    small queue that console.read drains;
//  - HYPERVISOR_console_io, for Xen's initial domain (SIF_INITDOMAIN: its
//    start_info's console union holds console.dom0, not a ring) and for a
//    domain without a ring.
#include <pvops/pvops.h>
#include <pvops/xen/xenpv.h>
#include <vmi/console_io.h>
#include <vmi/event_channel_op.h>
#include <vmi/m2p.h>
#include <vmi/sched_op.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include <xen/io/console.h>
#include "ring-buffers/console_ring.h"

#define PAGE_SIZE_4K 4096UL
#define INPUT_QUEUE  256 /* a power of two */

static char *direct_map;
static const unsigned long *p2m;
static unsigned long nr_p2m, nr_mapped;

static struct xencons_interface *ring;
static evtchn_port_t ring_port;
static char in_queue[INPUT_QUEUE];
static unsigned int in_head, in_tail; /* free-running; tail - head = queued */

void *xenpv_mfn_to_virt(unsigned long mfn)
{
    unsigned long pfn;

    if (!direct_map || !mfn)
        return NULL;
    pfn = m2p_lookup(mfn);
    /* The M2P may be stale for a frame that is not ours: check the p2m. */
    if (pfn >= nr_p2m || pfn >= nr_mapped || p2m[pfn] != mfn)
        return NULL;
    return direct_map + pfn * PAGE_SIZE_4K;
}

int xenpv_on_xen_dom0(const start_info_t *si)
{
    return (si->flags & SIF_INITDOMAIN) != 0;
}

static int console_io_write(const char *buf, size_t len)
{
    while (len) {
        unsigned int chunk = len > 4096 ? 4096 : (unsigned int)len;
        long rc = hypercall_console_write(buf, chunk);

        if (rc < 0)
            return (int)rc;
        buf += chunk;
        len -= chunk;
    }
    return 0;
}

static void notify(void)
{
    struct evtchn_send s = { .port = ring_port };

    hypercall_event_channel_op(EVTCHNOP_send, &s);
}

/* Interrupts off, so a preempted writer and the next one cannot mix their
 * bytes in the ring; the backend drains on the send, so a full ring only
 * needs another send after a yield. */
static int ring_write(const char *buf, size_t len)
{
    unsigned long flags = pv_irq_save();
    int rc = 0;

    while (len) {
        int n = console_ring_front_write(ring, buf, len);

        if (n < 0) {
            rc = n;
            break;
        }
        buf += n;
        len -= (size_t)n;
        notify();
        if (n == 0)
            sched_yield_vcpu();
    }
    pv_irq_restore(flags);
    return rc;
}

/* Moves what the ring holds into the queue, as much as fits. */
static void ring_drain_input(void)
{
    char tmp[64];

    for (;;) {
        size_t room = INPUT_QUEUE - (in_tail - in_head);
        int n;

        if (!room)
            break;
        n = console_ring_front_read(ring, tmp, room < sizeof(tmp) ? room : sizeof(tmp));
        if (n <= 0)
            break;
        for (int i = 0; i < n; i++)
            in_queue[in_tail++ % INPUT_QUEUE] = tmp[i];
    }
}

static void ring_upcall(struct pv_trap_frame *f)
{
    (void)f;
    ring_drain_input();
    pv_console_input_arrived();
}

/* Xen's dom0 reads with console_io; VIRQ_CONSOLE says input arrived. */
static void virq_console_upcall(struct pv_trap_frame *f)
{
    (void)f;
    pv_console_input_arrived();
}

static int ring_read(char *buf, size_t len)
{
    unsigned long flags = pv_irq_save();
    size_t n = 0;

    ring_drain_input(); /* also covers input before events work */
    while (n < len && in_head != in_tail)
        buf[n++] = in_queue[in_head++ % INPUT_QUEUE];
    pv_irq_restore(flags);
    return (int)n;
}

int xenpv_console_write(const char *buf, size_t len)
{
    return ring ? ring_write(buf, len) : console_io_write(buf, len);
}

int xenpv_console_read(char *buf, size_t len)
{
    if (ring)
        return ring_read(buf, len);
    return (int)hypercall_console_io(CONSOLEIO_read, (unsigned int)len, buf);
}

int xenpv_console_using_ring(void)
{
    return ring != NULL;
}

void xenpv_console_init(const start_info_t *si, void *dm, unsigned long nr_pfns)
{
    struct xencons_interface *intf;

    direct_map = dm;
    p2m = (const unsigned long *)si->mfn_list;
    nr_p2m = si->nr_pages;
    nr_mapped = nr_pfns;
    if (xenpv_on_xen_dom0(si) || !si->console.domU.mfn) {
        evtchn_port_t port;

        /* Without it, a reader only polls less promptly. */
        if (xenpv_shared_info && evtchn_bind_virq(VIRQ_CONSOLE, 0, &port) == 0)
            xenpv_bind_port(port, virq_console_upcall);
        return;
    }
    intf = xenpv_mfn_to_virt(si->console.domU.mfn);
    if (!intf || !xenpv_shared_info)
        return;
    ring_port = si->console.domU.evtchn;
    if (xenpv_bind_port(ring_port, ring_upcall) < 0)
        return;
    ring = intf;
}
