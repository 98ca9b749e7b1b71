/* SPDX-License-Identifier: MIT */
/* The registered subsystems (subsystems.h). */
#include <stddef.h>
#include "arch/x86/panic.h"
#include "domain/subsystems.h"

#define MAX_SUBSYSTEMS 8

static const struct subsystem_ops *subsystems[MAX_SUBSYSTEMS];
static unsigned int nr_subsystems;

void subsystem_register(const struct subsystem_ops *ops)
{
    if (nr_subsystems == MAX_SUBSYSTEMS)
        panic("subsystems: more than %u registered", MAX_SUBSYSTEMS);
    subsystems[nr_subsystems++] = ops;
}

void subsystems_domain_teardown(struct domain *d)
{
    for (unsigned int i = 0; i < nr_subsystems; i++)
        subsystems[i]->domain_teardown(d);
}

void subsystems_poll(void)
{
    for (unsigned int i = 0; i < nr_subsystems; i++)
        if (subsystems[i]->poll)
            subsystems[i]->poll();
}
