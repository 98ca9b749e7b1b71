/* SPDX-License-Identifier: MIT */
/*
 * Access to guest virtual memory through the current page tables. Every
 * guest pointer goes through these: the range is checked against the
 * hypervisor hole first, and a fault while copying yields -XEN_EFAULT.
 */
#ifndef XENOLITH_UACCESS_H
#define XENOLITH_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when [addr, addr + n) is guest address space: below the canonical
 * hole, or at or above HYPERVISOR_VIRT_END, without wrapping. */
bool guest_range_ok(uint64_t addr, size_t n);

int copy_from_guest(void *dst, uint64_t guest_src, size_t n);
int copy_to_guest(uint64_t guest_dst, const void *src, size_t n);

/* Enables STAC/CLAC around guest accesses once SMAP is on. */
void uaccess_set_smap(bool on);

#endif
