/* SPDX-License-Identifier: MIT */
/*
 * Linear page tables (XSA-240): an entry of a table may name another table
 * of its own level, as Xen allows with CONFIG_PV_LINEAR_PT, but no chain
 * of such entries may be longer than one. page_info.linear counts it: > 0,
 * the linear entries a table holds; < 0, the tables naming it so.
 */
#ifndef XENOLITH_MM_LINEAR_PT_H
#define XENOLITH_MM_LINEAR_PT_H

#include <stdbool.h>
#include <stdint.h>
#include "frames/page_type.h"

/*
 * `table` gains an entry naming another table of its own level. Refused
 * when the table is itself the target of such entries, so that no chain
 * of linear entries is ever longer than one.
 */
static inline bool inc_linear_entries(struct page_info *table)
{
    if (table->linear < 0 || table->linear == INT16_MAX)
        return false;
    table->linear++;
    return true;
}

/* `target` is named by another table of its level; refused when `target`
 * holds linear entries of its own. */
static inline bool inc_linear_uses(struct page_info *target)
{
    if (target->linear > 0 || target->linear == INT16_MIN)
        return false;
    target->linear--;
    return true;
}

static inline void dec_linear(struct page_info *table, struct page_info *target)
{
    table->linear--;
    target->linear++;
}

#endif
