/* SPDX-License-Identifier: MIT */
/* The bindings' side of pvops/trap_entry.S. */
#ifndef PVOPS_TRAP_H
#define PVOPS_TRAP_H

#include <pvops/pvops.h>

/* Entered by each binding's stubs with vector and error pushed. */
void pv_trap_common(void);

/* Called by pv_trap_common with the complete frame. */
extern void (*pv_trap_dispatch)(struct pv_trap_frame *f);
/* Jumped to with the iretq frame at %rsp and every GPR restored. */
extern void (*pv_iret)(void);

/* The exceptions that push an error code (SDM vol. 3, table 6-1). */
static inline int pv_vector_has_error(unsigned int v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
}

#endif
