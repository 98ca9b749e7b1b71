// SPDX-License-Identifier: MIT
/* Domain lifetime: allocation, shutdown, crash and teardown. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <xen/sched.h>
#include "console/log.h"
#include "domain/subsystems.h"
#include "domain/domain.h"
#include "frames/frame_table.h"
#include "arch/x86/panic.h"
#include "console/serial.h"
#include "arch/x86/machine_exit.h"
#include "common/array_size.h"

static struct domain domains[MAX_DOMAINS];
static domid_t next_domid;

struct domain *domain_by_index(unsigned int i)
{
    return i < MAX_DOMAINS && domains[i].in_use ? &domains[i] : NULL;
}

struct domain *domain_by_id(domid_t id)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++)
        if (domains[i].in_use && domains[i].domain_id == id)
            return &domains[i];
    return NULL;
}

struct domain *domain_by_any_id(struct domain *self, domid_t id)
{
    return id == DOMID_SELF || id == self->domain_id ? self : domain_by_id(id);
}

struct domain *domain_alloc(const char *name)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = &domains[i];

        if (d->in_use)
            continue;
        /* The backends' own id, and the reserved ones, are never a guest's. */
        while (next_domid == EVTCHN_XEN_REMOTE_DOM || next_domid >= DOMID_FIRST_RESERVED ||
               domain_by_id(next_domid))
            next_domid = next_domid >= EVTCHN_XEN_REMOTE_DOM ? 0 : next_domid + 1;
        memset(d, 0, sizeof(*d));
        d->in_use = true;
        d->domain_id = next_domid++;
        d->vcpu0.domain = d;
        d->latched_code = -1;
        snprintf(d->name, sizeof(d->name), "%s", name);
        return d;
    }
    return NULL;
}

/* Drops every reference the domain holds, checking first that the
 * bookkeeping is consistent; a mismatch is a Xenolith bug, not the guest's. */
void domain_destroy(struct domain *d)
{
    char why[160];
    uint64_t left = 0;

    if (serial_dropped_lines(d->domain_id))
        log_warn("d%u: %llu console lines (%llu bytes) dropped: the serial line was busy\n",
                 d->domain_id, (unsigned long long)serial_dropped_lines(d->domain_id),
                 (unsigned long long)serial_dropped_bytes(d->domain_id));
    serial_forget(d->domain_id);
    if (d->nr_refusals > REFUSALS_LOGGED)
        log_warn("d%u: %llu requests refused in all\n", d->domain_id,
                 (unsigned long long)d->nr_refusals);
    /* Every subsystem drops its references before the audit counts them
     * (boot/setup.c registers them in the order that needs). */
    subsystems_domain_teardown(d);
    if (pt_audit(d->domain_id, max_mfn, NULL, 0, why, sizeof(why)))
        panic("d%u: page bookkeeping inconsistent at teardown: %s", d->domain_id, why);
    pt_relinquish(d->domain_id, max_mfn);
    for (uint64_t mfn = 0; mfn < max_mfn; mfn++)
        if (frame_owned_by(mfn, d->domain_id))
            left++;
    if (left)
        panic("d%u: %llu frames still owned after teardown", d->domain_id,
              (unsigned long long)left);
    log_debug("d%u: all frames released\n", d->domain_id);
    d->in_use = false;
}

void domain_log_refusal(struct domain *d, const char *fmt, ...)
{
    char what[160];
    va_list ap;

    if (++d->nr_refusals > REFUSALS_LOGGED)
        return;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    log_warn("d%u: refused %s%s\n", d->domain_id, what,
             d->nr_refusals == REFUSALS_LOGGED ? " (further refusals are counted only)" : "");
}

/* The last reference to a guest frame went away (page_type.c). A frame of
 * the reservation is counted in its owner's tot_pages until here, as in
 * Xen (free_domheap_pages): given back while still mapped, it still holds
 * memory, and a new allocation must not be granted for it. */
void page_release_frame(uint64_t mfn)
{
    const struct page_info *pg = mfn_to_page(mfn);
    struct domain *d;

    if ((pg->flags & PGF_RESERVATION) && (d = domain_by_id(pg->owner)))
        d->tot_pages--;
    frame_free_to_machine(mfn);
}
