// SPDX-License-Identifier: MIT
/* Guest page-table walks and base pointers. Walks go through the direct
 * map, following exactly the entries the CPU would; every table reached
 * was validated, so every frame on the way is tracked. */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "hypercall/continuation.h"
#include "pv/descriptor.h"
#include "domain/domain.h"
#include "mm/guest_mm.h"
#include "arch/x86/memlayout.h"
#include "mm/frame_table.h"
#include "arch/x86/pte.h"
#include "arch/x86/uaccess.h"
#include "arch/x86/x86.h"

#define GUEST_LOW_END 0x0000800000000000ULL

bool guest_addr_ok(uint64_t va)
{
    return va < GUEST_LOW_END || va >= HYPERVISOR_VIRT_END;
}

int guest_walk_l1(const struct vcpu *v, uint64_t va, uint64_t *l1_mfn, unsigned int *slot)
{
    uint64_t mfn = v->guest_table;
    const struct page_info *pg;

    if (!guest_addr_ok(va) || !mfn)
        return -XEN_EINVAL;
    for (unsigned int level = 4; level > 1; level--) {
        uint64_t e = map_table(mfn)[pt_index(va, level)];

        if (!(e & PTE_P) || (e & PTE_PSE) || !mfn_to_page(pte_mfn(e)))
            return -XEN_EINVAL;
        mfn = pte_mfn(e);
    }
    pg = mfn_to_page(mfn);
    if (pg->owner != v->domain->domain_id || pg->type != PGT_L1 || !pg->type_count)
        return -XEN_EINVAL;
    *l1_mfn = mfn;
    *slot = pt_index(va, 1);
    return 0;
}

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
    vcpu_release_descriptor_tables(v);
    (void)vcpu_put_old_guest_table(v, false);
    if (v->guest_table)
        page_put_and_type(v->guest_table);
    if (v->guest_table_user)
        page_put_and_type(v->guest_table_user);
    v->guest_table = v->guest_table_user = 0;
}

int guest_read_vcpumask(uint64_t ptr)
{
    uint64_t mask;

    return copy_from_guest(&mask, ptr, sizeof(mask)) ? -XEN_EFAULT : 0;
}

enum pg_owner guest_pg_owner(const struct domain *d, uint16_t id)
{
    if (id == DOMID_SELF)
        return PG_SELF;
    if (id == d->domain_id)
        return PG_NONE; /* naming oneself is an error in Xen */
    if (id == DOMID_IO || id == DOMID_XEN || domain_by_id(id))
        return PG_FOREIGN;
    return PG_NONE;
}
