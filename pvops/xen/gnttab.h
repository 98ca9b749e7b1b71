/* SPDX-License-Identifier: MIT */
/*
 * Lithos's grant table (v1, xen/grant_table.h): one shared frame of
 * entries, set up on first use, for frontends that share pages with a
 * backend. PV only; natively there is no grant table.
 */
#ifndef PVOPS_XEN_GNTTAB_H
#define PVOPS_XEN_GNTTAB_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

/* Remembers the p2m, for turning pfns into the frames entries name. */
void gnttab_init(const uint64_t *p2m_list, unsigned long nr_pfns);

/* Grants domid access to the page at pfn (read-only if readonly): the
 * reference, or -XEN_ENODEV (no grant table), -XEN_ENOSPC (all in use),
 * -XEN_EINVAL (pfn has no machine frame), or setup_table's errno. */
int gnttab_grant_access(domid_t domid, unsigned long pfn, int readonly);
/* Revokes ref unless the grantee still has it mapped or in use: 0, or
 * -XEN_EBUSY (GTF_reading/GTF_writing set; the grant stays), -XEN_EINVAL. */
int gnttab_end_access(grant_ref_t ref);

#endif
