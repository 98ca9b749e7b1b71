/* SPDX-License-Identifier: MIT */
/* panic(): a broken hypervisor invariant. Never for guest input. */
#ifndef XENOLITH_PANIC_H
#define XENOLITH_PANIC_H

#include <stdint.h>

struct cpu_user_regs;

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* Registers and a frame-pointer backtrace, for panics and fatal faults. */
void dump_registers(const struct cpu_user_regs *regs);
void dump_backtrace(uint64_t rip, uint64_t rbp);

#endif
