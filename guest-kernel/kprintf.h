/* SPDX-License-Identifier: MIT */
/* Formatted output to the pv console, before and without stdio buffering. */
#ifndef GUEST_KERNEL_KPRINTF_H
#define GUEST_KERNEL_KPRINTF_H

__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);

#endif
