// SPDX-License-Identifier: MIT
/* The vCPU's page-table roots (MMUEXT_NEW_BASEPTR, NEW_USER_BASEPTR, a
 * guest's write to CR3) and the partial demotion a vCPU may owe (Xen's
 * old_guest_table). Each root holds a general and an L4 type reference. */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "hypercall/continuation.h"
#include "arch/x86/pte.h"
#include "arch/x86/x86.h"
#include "frames/frame_table.h"
#include "domain/domain.h"
#include "domain/subsystems.h"
#include "mm/descriptor.h"
#include "mm/guest_tables.h"

static void load_cr3(const struct vcpu *v)
{
    write_cr3(v->guest_table << PAGE_SHIFT);
}

void vcpu_owe_partial(struct vcpu *v, uint64_t mfn)
{
    v->old_guest_table = mfn;
    v->has_old_guest_table = true;
}

int vcpu_put_old_guest_table(struct vcpu *v, bool preemptible)
{
    if (!v->has_old_guest_table)
        return 0;
    if (page_put_partial(v->old_guest_table, preemptible))
        return -XEN_ERESTART;
    page_put(v->old_guest_table);
    v->has_old_guest_table = false;
    return 0;
}

/* A reference to mfn as an L4, taken preemptibly. */
static int get_root(struct vcpu *v, uint64_t mfn)
{
    bool owed;
    int rc;

    if (page_get(mfn, v->domain->domain_id))
        return -XEN_EINVAL;
    rc = page_get_type_preemptible(mfn, PGT_L4, &v->domain->pt, &owed);
    if (!rc)
        return 0;
    if (owed)
        vcpu_owe_partial(v, mfn);
    else
        page_put(mfn);
    return rc == -XEN_EINTR ? -XEN_ERESTART : rc;
}

/* Releases a root no longer in CR3; a preempted demotion is owed. */
static int put_root(struct vcpu *v, uint64_t mfn)
{
    if (page_put_type_preemptible(mfn)) {
        vcpu_owe_partial(v, mfn);
        return -XEN_ERESTART;
    }
    page_put(mfn);
    return 0;
}

int vcpu_set_kernel_table(struct vcpu *v, uint64_t mfn)
{
    uint64_t old = v->guest_table;
    int rc;

    if (mfn == old) {
        if (!v->user_mode)
            load_cr3(v); /* a reload is a full TLB flush */
        return 0;
    }
    rc = get_root(v, mfn);
    if (rc)
        return rc;
    /* The LDT is read through the page tables being replaced. */
    vcpu_destroy_ldt_shadow(v);
    v->guest_table = mfn;
    /* The root in CR3 is released only once the CPU no longer uses it. */
    if (!v->user_mode)
        load_cr3(v);
    return old ? put_root(v, old) : 0;
}

int vcpu_set_user_table(struct vcpu *v, uint64_t mfn)
{
    uint64_t old = v->guest_table_user;
    int rc;

    if (mfn == old)
        return 0;
    /* Hypercalls come from kernel mode only, where the user root is not
     * loaded; a root the CPU is using is never released (XSA-213). */
    if (v->user_mode) {
        domain_log_refusal(v->domain, "new_user_baseptr %#llx while the user root is loaded",
                           (unsigned long long)mfn);
        return -XEN_EINVAL;
    }
    if (mfn && (rc = get_root(v, mfn)))
        return rc;
    v->guest_table_user = mfn;
    return old ? put_root(v, old) : 0;
}

void vcpu_release_tables(struct vcpu *v)
{
    (void)vcpu_put_old_guest_table(v, false);
    if (v->guest_table)
        page_put_and_type(v->guest_table);
    if (v->guest_table_user)
        page_put_and_type(v->guest_table_user);
    v->guest_table = v->guest_table_user = 0;
}

static void guest_tables_teardown(struct domain *d)
{
    vcpu_release_tables(&d->vcpu0);
}

const struct subsystem_ops guest_tables_subsystem = {
    .name = "page-table roots",
    .domain_teardown = guest_tables_teardown,
};
