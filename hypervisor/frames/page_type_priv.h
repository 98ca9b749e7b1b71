/* SPDX-License-Identifier: MIT */
/*
 * What page_type.c and its audit (page_audit.c) share and nobody else
 * needs: which L4 slots are Xenolith's, and which types are tables.
 */
#ifndef XENOLITH_MM_PAGE_TYPE_PRIV_H
#define XENOLITH_MM_PAGE_TYPE_PRIV_H

#include <stdbool.h>
#include "frames/page_type.h"

#define PT_HV_FIRST_SLOT 256 /* Xenolith's L4 slots: 256..271 */
#define PT_HV_LAST_SLOT  271

static inline bool is_pt_type(unsigned int type)
{
    return type >= PGT_L1 && type <= PGT_L4;
}

/* A slot a guest's entries may fill (every slot below L4). */
static inline bool is_guest_slot(unsigned int level, unsigned int slot)
{
    return level != 4 || slot < PT_HV_FIRST_SLOT || slot > PT_HV_LAST_SLOT;
}

#endif
