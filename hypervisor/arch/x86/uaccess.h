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
#include <xen/xen.h>

#define GUEST_LOW_END 0x0000800000000000ULL /* end of the lower canonical half */

/* True when [addr, addr + n) is guest address space: below the canonical
 * hole, or at or above HYPERVISOR_VIRT_END, without wrapping. */
bool guest_range_ok(uint64_t addr, size_t n);
/* Xen's __addr_ok: the START of a guest range is in guest space (below the
 * canonical hole, or at or above HYPERVISOR_VIRT_END). Xen checks handles
 * to arrays this way before copying element by element. */
static inline bool guest_addr_ok(uint64_t va)
{
    return va < GUEST_LOW_END || va >= HYPERVISOR_VIRT_END;
}

int copy_from_guest(void *dst, uint64_t guest_src, size_t n);
int copy_to_guest(uint64_t guest_dst, const void *src, size_t n);

/* Enables STAC/CLAC around guest accesses once SMAP is on. */
void uaccess_set_smap(bool on);

#endif
