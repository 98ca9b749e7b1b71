/* SPDX-License-Identifier: MIT */
/* The vCPU the CPU runs now (current.h). */
#include "domain/current.h"
#include "domain/domain.h"

struct vcpu *current_vcpu_now;

struct domain *current_domain(void)
{
    return current_vcpu_now ? current_vcpu_now->domain : NULL;
}
