/* SPDX-License-Identifier: MIT */
/*
 * What the grant table's files share: the pins a map or a copy takes on
 * a granter's entry (grant_table.c), and one copy (grant_copy.c).
 */
#ifndef XENOLITH_GRANT_PRIV_H
#define XENOLITH_GRANT_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/grant_table.h>
#include "domain/domain.h"

int gnttab_pin_grant(struct domain *rd, grant_ref_t ref, domid_t ldomid, bool readonly,
                     bool mapping, uint64_t *mfn);
void gnttab_unpin_grant(struct domain *rd, grant_ref_t ref, bool readonly);
int gnttab_copy_one(struct domain *self, const gnttab_copy_t *op);

#endif
