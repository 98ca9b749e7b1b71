/* SPDX-License-Identifier: MIT */
/* The boot CPU's descriptor tables, SYSCALL MSRs and control registers. */
#ifndef XENOLITH_CPU_H
#define XENOLITH_CPU_H

#include <stdbool.h>

struct cpu_options {
    bool smap;      /* off by default: QEMU 7.2 TCG iret bug (ARCHITECTURE.md §1) */
};

void cpu_init(const struct cpu_options *opt);

#endif
