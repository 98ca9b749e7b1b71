// SPDX-License-Identifier: MIT
/* Guest pointer checks and fault-tolerant copies (the copy itself is in
 * uaccess_copy.S, whose faults the exception table turns into a short count). */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "arch/x86/uaccess.h"

/* Returns the number of bytes NOT copied. */
uint64_t raw_copy(void *dst, const void *src, size_t n);

static bool smap_on;

void uaccess_set_smap(bool on)
{
    smap_on = on;
}

bool guest_range_ok(uint64_t addr, size_t n)
{
    uint64_t last;

    if (n == 0)
        return true;
    last = addr + n - 1;
    if (last < addr)
        return false;
    if (last < GUEST_LOW_END)
        return true;
    return addr >= HYPERVISOR_VIRT_END;
}

static uint64_t guarded_copy(void *dst, const void *src, size_t n)
{
    uint64_t left;

    if (smap_on)
        __asm__ volatile("stac" ::: "memory");
    left = raw_copy(dst, src, n);
    if (smap_on)
        __asm__ volatile("clac" ::: "memory");
    return left;
}

int copy_from_guest(void *dst, uint64_t guest_src, size_t n)
{
    if (!guest_range_ok(guest_src, n))
        return -XEN_EFAULT;
    return guarded_copy(dst, (const void *)guest_src, n) ? -XEN_EFAULT : 0;
}

int copy_to_guest(uint64_t guest_dst, const void *src, size_t n)
{
    if (!guest_range_ok(guest_dst, n))
        return -XEN_EFAULT;
    return guarded_copy((void *)guest_dst, src, n) ? -XEN_EFAULT : 0;
}
