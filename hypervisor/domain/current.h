/* SPDX-License-Identifier: MIT */
/*
 * The vCPU the CPU runs now. The scheduler's switch is its only writer;
 * everyone else only reads it, so that asking "whose request is this"
 * needs no scheduler.
 */
#ifndef XENOLITH_DOMAIN_CURRENT_H
#define XENOLITH_DOMAIN_CURRENT_H

#include <stddef.h>

struct vcpu;
struct domain;

extern struct vcpu *current_vcpu_now;

/* NULL in the idle loop, during a switch, and once the vCPU has died. */
static inline struct vcpu *current_vcpu(void)
{
    return current_vcpu_now;
}

struct domain *current_domain(void);

/* For the scheduler's switch only. */
static inline void current_set(struct vcpu *v)
{
    current_vcpu_now = v;
}

#endif
