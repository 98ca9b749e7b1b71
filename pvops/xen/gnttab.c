// SPDX-License-Identifier: MIT
// The grant table of one frame: GNTTABOP_setup_table hands us the frame,
// which replaces a page of the image in our mapping (as shared_info does),
// and entries are filled and revoked with the v1 flag protocol.
#include <pvops/xen/gnttab.h>
#include <pvops/pte.h>
#include <pvops/pvops.h>
#include <vmi/grant_table_op.h>
#include <vmi/update_va_mapping.h>
#include <stdint.h>
#include <xen/errno.h>

#define NR_ENTRIES (4096 / sizeof(grant_entry_v1_t))

static char table_page[4096] __attribute__((aligned(4096)));
static grant_entry_v1_t *table;
static const uint64_t *p2m;
static unsigned long nr_p2m;
static int setup_rc = 1; /* 1: not tried yet */

void gnttab_init(const uint64_t *p2m_list, unsigned long nr_pfns)
{
    p2m = p2m_list;
    nr_p2m = nr_pfns;
}

static int setup(void)
{
    struct gnttab_setup_table op = { .dom = DOMID_SELF, .nr_frames = 1 };
    xen_pfn_t frame;
    long rc;

    if (setup_rc <= 0)
        return setup_rc;
    if (!p2m)
        return setup_rc = -XEN_ENODEV;
    set_xen_guest_handle(op.frame_list, &frame);
    rc = hypercall_grant_table_op(GNTTABOP_setup_table, &op, 1);
    if (rc == 0 && op.status != GNTST_okay)
        rc = -XEN_EINVAL;
    if (rc == 0)
        rc = hypercall_update_va_mapping((unsigned long)table_page,
                                         (frame << 12) | PTE_PRESENT | PTE_RW | PTE_USER |
                                             PTE_ACCESSED | PTE_DIRTY,
                                         UVMF_INVLPG);
    if (rc == 0)
        table = (grant_entry_v1_t *)table_page;
    return setup_rc = (int)rc;
}

int gnttab_grant_access(domid_t domid, unsigned long pfn, int readonly)
{
    int rc = setup();

    if (rc)
        return rc;
    if (pfn >= nr_p2m || p2m[pfn] == INVALID_MFN)
        return -XEN_EINVAL;
    /* The first GNTTAB_NR_RESERVED_ENTRIES belong to the toolstack. */
    for (grant_ref_t ref = GNTTAB_NR_RESERVED_ENTRIES; ref < NR_ENTRIES; ref++) {
        grant_entry_v1_t *e = &table[ref];

        if (__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) != 0)
            continue;
        e->domid = domid;
        e->frame = (uint32_t)p2m[pfn];
        /* The hypervisor may use the entry once the flags say so: frame
         * and domid must be visible first. */
        __atomic_store_n(&e->flags, (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)),
                         __ATOMIC_RELEASE);
        return (int)ref;
    }
    return -XEN_ENOSPC;
}

int gnttab_end_access(grant_ref_t ref)
{
    uint16_t flags;

    if (!table || ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= NR_ENTRIES)
        return -XEN_EINVAL;
    /* Clear the flags only if the grantee is not using it: the hypervisor
     * sets GTF_reading/GTF_writing with a cmpxchg on the same word. */
    flags = __atomic_load_n(&table[ref].flags, __ATOMIC_ACQUIRE);
    do {
        if (flags & (GTF_reading | GTF_writing))
            return -XEN_EBUSY;
    } while (!__atomic_compare_exchange_n(&table[ref].flags, &flags, 0, 0, __ATOMIC_SEQ_CST,
                                          __ATOMIC_ACQUIRE));
    return 0;
}
