/* SPDX-License-Identifier: MIT */
/* The registered in-hypervisor backends (backend_ops.h). */
#include <stddef.h>
#include "arch/x86/panic.h"
#include "domain/backend_ops.h"

#define MAX_BACKENDS 8

static const struct backend_ops *backends[MAX_BACKENDS];
static unsigned int nr_backends;

void backend_register(const struct backend_ops *ops)
{
    if (nr_backends == MAX_BACKENDS)
        panic("backends: more than %u registered", MAX_BACKENDS);
    backends[nr_backends++] = ops;
}

void backends_domain_teardown(struct domain *d)
{
    for (unsigned int i = 0; i < nr_backends; i++)
        backends[i]->domain_teardown(d);
}

void backends_poll(void)
{
    for (unsigned int i = 0; i < nr_backends; i++)
        backends[i]->poll();
}
