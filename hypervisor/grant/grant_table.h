/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, v1 only, with Xen 4.17's semantics (common/grant_table.c,
 * arch/x86/pv/grant_table.c): the shared table frames a domain fills in,
 * Xenolith's shadow of each entry in use (pin counts), and the maptrack
 * table of the grants a domain has mapped. docs/abi.md has the answers.
 */
#ifndef XENOLITH_GRANT_TABLE_H
#define XENOLITH_GRANT_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include "grant/grant_types.h"

struct domain;

/* The initial frame; 0 or -XEN_ENOMEM. */
int gnttab_domain_init(struct domain *d);
/* Teardown, before the page audit: undoes every mapping d holds and every
 * mapping other domains hold of d's grants, then drops the table's own
 * references to its frames (the frames themselves go with d's memory). */
void gnttab_domain_destroy(struct domain *d);

/*
 * An in-hypervisor backend, presenting itself as domain `as`, maps rd's
 * grant `ref` writable: the same checks as a guest's host mapping (the
 * entry must permit `as` to write a whole page, the frame must be rd's and
 * may be typed writable, so never a page table or descriptor page), and
 * while mapped the granter sees GTF_reading|GTF_writing and cannot revoke.
 * GNTST_okay with *mfn, or the GNTST_* status a guest would get, with
 * nothing held.
 */
int gnttab_backend_map(struct domain *rd, grant_ref_t ref, domid_t as, uint64_t *mfn);
/* Undoes one gnttab_backend_map of (rd, ref) that returned mfn. */
void gnttab_backend_unmap(struct domain *rd, grant_ref_t ref, uint64_t mfn);

struct subsystem_ops;
/* A dying domain's mappings and table (gnttab_domain_destroy). */
extern const struct subsystem_ops gnttab_subsystem;

#endif
