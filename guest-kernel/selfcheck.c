// SPDX-License-Identifier: MIT
// The self-checks kernel_main runs at boot, one function per subsystem in a
// table. Each returns 0 or a negative Xen errno with "expected X, got Y".
#include <guest-kernel/selfcheck.h>
#include <guest-kernel/kprintf.h>
#include <guest-kernel/layout.h>
#include <guest-kernel/page_alloc.h>
#include <guest-kernel/vm.h>
#include <pvops/pvops.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <common/array_size.h>

#define PAGE_BATCH 64

static int check_pvops(const struct boot_info *bi, char *why, size_t len)
{
    if (bi->pvops_rc < 0) {
        snprintf(why, len, "pv_ops: expected no NULL slot, install returned %d", bi->pvops_rc);
        return bi->pvops_rc;
    }
    return 0;
}

/* A macro, because each case has its own argument types. */
#define EXPECT_FORMAT(expect, ...)                                                             \
    do {                                                                                       \
        int n_ = snprintf(buf, sizeof(buf), __VA_ARGS__);                                      \
        if (n_ != (int)strlen(expect) || strcmp(buf, expect) != 0) {                           \
            snprintf(why, len, "snprintf(%s): expected \"%s\", got \"%s\" (%d)", #__VA_ARGS__, \
                     expect, buf, n_);                                                         \
            return -XEN_EINVAL;                                                                \
        }                                                                                      \
    } while (0)

static int check_snprintf(const struct boot_info *bi, char *why, size_t len)
{
    char buf[64];
    int n;

    EXPECT_FORMAT("deadbeefcafe", "%lx", 0xdeadbeefcafeUL);
    EXPECT_FORMAT("18446744073709551615", "%llu", 18446744073709551615ULL);
    EXPECT_FORMAT("[Lithos]", "[%s]", "Lithos");
    EXPECT_FORMAT("[42   ]", "[%-5d]", 42);
    EXPECT_FORMAT("-7 00001234 ff", "%d %08x %hhx", -7, 0x1234u, 0x1ff);

    /* Truncation keeps the NUL and still reports the full length. */
    n = snprintf(buf, 4, "%s", "abcdef");
    if (n != 6 || strcmp(buf, "abc") != 0) {
        snprintf(why, len, "snprintf truncation: expected 6 \"abc\", got %d \"%s\"", n, buf);
        return -XEN_EINVAL;
    }
    kprintf("self-check: snprintf ok\n");
    return 0;
}

static uint64_t pattern(unsigned long pfn, unsigned int word)
{
    return ((uint64_t)pfn << 12 | word) ^ 0x5a5a5a5a00000000ULL;
}

/* Every page of the batch is filled before any is read back, so two frames
 * that alias one page (a broken p2m or page table) cannot both pass. */
static int touch_pages(const struct boot_info *bi, const unsigned long *pfns, unsigned int *touched,
                       char *why, size_t len)
{
    const unsigned int words = PAGE_SIZE / sizeof(uint64_t);

    *touched = 0;
    for (unsigned int i = 0; i < PAGE_BATCH; i++) {
        uint64_t *p = pfn_to_virt(pfns[i]);

        if (pfns[i] >= bi->direct_map_pfns)
            continue;
        for (unsigned int w = 0; w < words; w++)
            p[w] = pattern(pfns[i], w);
        (*touched)++;
    }
    for (unsigned int i = 0; i < PAGE_BATCH; i++) {
        const uint64_t *p = pfn_to_virt(pfns[i]);

        if (pfns[i] >= bi->direct_map_pfns)
            continue;
        for (unsigned int w = 0; w < words; w++) {
            if (p[w] != pattern(pfns[i], w)) {
                snprintf(why, len, "page allocator: pfn %#lx word %u: expected %#llx, got %#llx",
                         pfns[i], w, (unsigned long long)pattern(pfns[i], w),
                         (unsigned long long)p[w]);
                return -XEN_EFAULT;
            }
        }
    }
    if (*touched == 0) {
        snprintf(why, len, "page allocator: expected mapped pages below pfn %#lx, got none",
                 bi->direct_map_pfns);
        return -XEN_EFAULT;
    }
    return 0;
}

static int check_distinct(const struct boot_info *bi, const unsigned long *pfns, char *why,
                          size_t len)
{
    for (unsigned int i = 0; i < PAGE_BATCH; i++) {
        if (bi->p2m && (pfns[i] >= bi->nr_p2m || bi->p2m[pfns[i]] == INVALID_MFN)) {
            snprintf(why, len, "page allocator: pfn %#lx has no machine frame", pfns[i]);
            return -XEN_EINVAL;
        }
        for (unsigned int j = 0; j < i; j++) {
            if (pfns[i] == pfns[j]) {
                snprintf(why, len, "page allocator: pfn %#lx handed out twice", pfns[i]);
                return -XEN_EINVAL;
            }
            if (bi->p2m && bi->p2m[pfns[i]] == bi->p2m[pfns[j]]) {
                snprintf(why, len, "page allocator: pfns %#lx and %#lx share mfn %#llx", pfns[j],
                         pfns[i], (unsigned long long)bi->p2m[pfns[i]]);
                return -XEN_EINVAL;
            }
        }
    }
    return 0;
}

static int check_page_alloc(const struct boot_info *bi, char *why, size_t len)
{
    unsigned long pfns[PAGE_BATCH];
    unsigned long before = page_alloc_free_count(), now;
    unsigned int touched;
    int rc;

    if (before < PAGE_BATCH) {
        snprintf(why, len, "page allocator: expected at least %d free pages, got %lu", PAGE_BATCH,
                 before);
        return -XEN_ENOMEM;
    }
    for (unsigned int i = 0; i < PAGE_BATCH; i++) {
        rc = page_alloc(&pfns[i]);
        if (rc < 0) {
            snprintf(why, len, "page allocator: allocation %u of %d failed (%d)", i, PAGE_BATCH,
                     rc);
            return rc;
        }
    }
    now = page_alloc_free_count();
    if (now != before - PAGE_BATCH) {
        snprintf(why, len, "page allocator: expected %lu free after allocating, got %lu",
                 before - PAGE_BATCH, now);
        return -XEN_EINVAL;
    }
    rc = check_distinct(bi, pfns, why, len);
    if (rc < 0)
        return rc;
    rc = touch_pages(bi, pfns, &touched, why, len);
    if (rc < 0)
        return rc;
    for (unsigned int i = 0; i < PAGE_BATCH; i++) {
        rc = page_free(pfns[i]);
        if (rc < 0) {
            snprintf(why, len, "page allocator: free of pfn %#lx: expected 0, got %d", pfns[i], rc);
            return rc;
        }
    }
    rc = page_free(pfns[0]);
    if (rc != -XEN_EINVAL) {
        snprintf(why, len, "page allocator: double free: expected %d, got %d", -XEN_EINVAL, rc);
        return -XEN_EINVAL;
    }
    now = page_alloc_free_count();
    if (now != before) {
        snprintf(why, len, "page allocator: expected %lu free after freeing, got %lu", before, now);
        return -XEN_EINVAL;
    }
    kprintf("self-check: page allocator ok (%lu pages)\n", before);
    return 0;
}

/* The first vmalloc starts a fresh 2 MiB and 1 GiB range below the L3
 * vm_init made, so it needs exactly one new L1 and one new L2. */
#define VM_PAGES      64
#define VM_NEW_TABLES 2
#define VM_UNMAPPED   5 /* the page vm_unmap takes out again */

static uint64_t vm_pattern(unsigned int page, unsigned int word)
{
    return ((uint64_t)page << 32 | word) ^ 0xa5c3a5c3a5c3a5c3ULL;
}

static int check_vm_contents(const struct boot_info *bi, uint64_t *area, const unsigned long *pfns,
                             char *why, size_t len)
{
    const unsigned int words = PAGE_SIZE / sizeof(uint64_t);
    unsigned int aliased = 0;

    for (unsigned int i = 0; i < VM_PAGES; i++) {
        const uint64_t *direct = pfn_to_virt(pfns[i]);

        for (unsigned int w = 0; w < words; w++) {
            if (area[i * words + w] != vm_pattern(i, w)) {
                snprintf(why, len, "vm: page %u word %u: expected %#llx, got %#llx", i, w,
                         (unsigned long long)vm_pattern(i, w),
                         (unsigned long long)area[i * words + w]);
                return -XEN_EFAULT;
            }
        }
        /* Under PV only the start-of-day region is in the direct map. */
        if (pfns[i] >= bi->direct_map_pfns)
            continue;
        for (unsigned int w = 0; w < words; w++) {
            if (direct[w] != vm_pattern(i, w)) {
                snprintf(why, len,
                         "vm: pfn %#lx word %u through the direct map: "
                         "expected %#llx, got %#llx",
                         pfns[i], w, (unsigned long long)vm_pattern(i, w),
                         (unsigned long long)direct[w]);
                return -XEN_EFAULT;
            }
        }
        aliased++;
    }
    if (aliased == 0) {
        snprintf(why, len, "vm: expected frames below pfn %#lx to alias, got none",
                 bi->direct_map_pfns);
        return -XEN_EFAULT;
    }
    return 0;
}

/* Expects vm_translate(va) to fail with -XEN_ENOENT. */
static int check_unmapped(unsigned long va, const char *what, char *why, size_t len)
{
    unsigned long pfn;
    int rc = vm_translate(va, &pfn);

    if (rc != -XEN_ENOENT) {
        snprintf(why, len, "vm: translate %#lx %s: expected %d, got %d (pfn %#lx)", va, what,
                 -XEN_ENOENT, rc, rc == 0 ? pfn : 0);
        return -XEN_EINVAL;
    }
    return 0;
}

/*
 * The table hooks vm.c does not use yet, in the order a new address space
 * will: a zeroed page made a table, pinned as an L1, unpinned, released;
 * and the root reloaded. One batch, so under PV the order is the queue's.
 */
static int check_pt_hooks(const struct boot_info *bi, char *why, size_t len)
{
    unsigned long pfn;
    int rc = page_alloc_below(bi->direct_map_pfns, &pfn);

    if (rc < 0) {
        snprintf(why, len, "vm: table page: expected a frame, got %d", rc);
        return rc;
    }
    memset(pfn_to_virt(pfn), 0, PAGE_SIZE);
    pv_mmu_lazy_enter();
    rc = pv_mmu_alloc_pt_page(1, pfn);
    if (rc == 0)
        rc = pv_mmu_pin_table(1, pfn);
    if (rc == 0)
        rc = pv_mmu_unpin_table(pfn);
    if (rc == 0)
        rc = pv_mmu_release_pt_page(pfn);
    if (rc == 0)
        rc = pv_mmu_new_baseptr(bi->l4_pfn);
    if (pv_mmu_lazy_leave() < 0 && rc == 0)
        rc = -XEN_EINVAL;
    if (rc < 0) {
        snprintf(why, len, "vm: pin/unpin an L1 and reload the root: expected 0, got %d", rc);
        return rc;
    }
    return page_free(pfn);
}

static int check_vm(const struct boot_info *bi, char *why, size_t len)
{
    const unsigned int words = PAGE_SIZE / sizeof(uint64_t);
    unsigned long before = page_alloc_free_count(), now, pfns[VM_PAGES], pfn;
    unsigned long hole;
    uint64_t *area = vmalloc(VM_PAGES);
    int rc;

    if (!area) {
        snprintf(why, len, "vm: vmalloc(%d): expected an area, got NULL", VM_PAGES);
        return -XEN_ENOMEM;
    }
    hole = (unsigned long)area + VM_UNMAPPED * PAGE_SIZE;
    now = page_alloc_free_count();
    if (before - now != VM_PAGES + VM_NEW_TABLES) {
        snprintf(why, len, "vm: vmalloc(%d): expected %d frames used, got %lu", VM_PAGES,
                 VM_PAGES + VM_NEW_TABLES, before - now);
        return -XEN_EINVAL;
    }
    for (unsigned int i = 0; i < VM_PAGES; i++) {
        rc = vm_translate((unsigned long)area + i * PAGE_SIZE, &pfns[i]);
        if (rc < 0) {
            snprintf(why, len, "vm: translate page %u: expected 0, got %d", i, rc);
            return rc;
        }
        for (unsigned int w = 0; w < words; w++)
            area[i * words + w] = vm_pattern(i, w);
    }
    rc = check_vm_contents(bi, area, pfns, why, len);
    if (rc < 0)
        return rc;

    rc = vm_unmap(hole, 1);
    if (rc < 0) {
        snprintf(why, len, "vm: unmap %#lx: expected 0, got %d", hole, rc);
        return rc;
    }
    rc = check_unmapped(hole, "after vm_unmap", why, len);
    if (rc < 0)
        return rc;
    /* Mapping the frame back must find the data it held. */
    rc = vm_map(hole, pfns[VM_UNMAPPED], 1, VM_WRITE);
    if (rc == 0)
        rc = vm_translate(hole, &pfn);
    if (rc < 0 || pfn != pfns[VM_UNMAPPED]) {
        snprintf(why, len, "vm: map back %#lx: expected 0 and pfn %#lx, got %d and %#lx", hole,
                 pfns[VM_UNMAPPED], rc, rc < 0 ? 0 : pfn);
        return -XEN_EINVAL;
    }
    rc = check_vm_contents(bi, area, pfns, why, len);
    if (rc < 0)
        return rc;
    rc = vm_map(hole, pfns[VM_UNMAPPED], 1, VM_WRITE);
    if (rc != -XEN_EEXIST) {
        snprintf(why, len, "vm: map over a mapped page: expected %d, got %d", -XEN_EEXIST, rc);
        return -XEN_EINVAL;
    }
    rc = vm_map(0xffff800000000000UL, pfns[0], 1, 0);
    if (rc != -XEN_EINVAL) {
        snprintf(why, len, "vm: map in the hypervisor's range: expected %d, got %d", -XEN_EINVAL,
                 rc);
        return -XEN_EINVAL;
    }

    rc = vfree(area);
    if (rc < 0) {
        snprintf(why, len, "vm: vfree: expected 0, got %d", rc);
        return rc;
    }
    rc = check_unmapped((unsigned long)area, "after vfree", why, len);
    if (rc < 0)
        return rc;
    now = page_alloc_free_count();
    if (now != before) {
        snprintf(why, len, "vm: expected %lu free pages after vfree, got %lu", before, now);
        return -XEN_EINVAL;
    }
    rc = check_pt_hooks(bi, why, len);
    if (rc < 0)
        return rc;
    kprintf("self-check: vm ok (%d pages)\n", VM_PAGES);
    return 0;
}

static int (*const checks[])(const struct boot_info *bi, char *why, size_t len) = {
    check_pvops,
    check_snprintf,
    check_page_alloc,
    check_vm,
};

int selfcheck_run(const struct boot_info *bi, char *why, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(checks); i++) {
        int rc = checks[i](bi, why, len);

        if (rc < 0)
            return rc;
    }
    return 0;
}
