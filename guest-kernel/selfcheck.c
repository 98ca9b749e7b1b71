// SPDX-License-Identifier: MIT
// The self-checks kernel_main runs at boot, one function per subsystem in a
// table. Each returns 0 or a negative Xen errno with "expected X, got Y".
#include <guest-kernel/selfcheck.h>
#include <guest-kernel/kprintf.h>
#include <guest-kernel/layout.h>
#include <guest-kernel/page_alloc.h>
#include <pvops/pvops.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>

#define PAGE_BATCH   64
#define INVALID_MFN  (~0ULL)

static int check_pvops(const struct boot_info *bi, char *why, size_t len)
{
    if (bi->pvops_rc < 0) {
        snprintf(why, len, "pv_ops: expected no NULL slot, install returned %d", bi->pvops_rc);
        return bi->pvops_rc;
    }
    return 0;
}

/* A macro, because each case has its own argument types. */
#define EXPECT_FORMAT(expect, ...)                                              \
    do {                                                                        \
        int n_ = snprintf(buf, sizeof(buf), __VA_ARGS__);                       \
        if (n_ != (int)strlen(expect) || strcmp(buf, expect) != 0) {            \
            snprintf(why, len, "snprintf(%s): expected \"%s\", got \"%s\" (%d)", \
                     #__VA_ARGS__, expect, buf, n_);                            \
            return -XEN_EINVAL;                                                 \
        }                                                                       \
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
static int touch_pages(const struct boot_info *bi, const unsigned long *pfns,
                       unsigned int *touched, char *why, size_t len)
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

static int check_distinct(const struct boot_info *bi, const unsigned long *pfns,
                          char *why, size_t len)
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
                snprintf(why, len, "page allocator: pfns %#lx and %#lx share mfn %#llx",
                         pfns[j], pfns[i], (unsigned long long)bi->p2m[pfns[i]]);
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
        snprintf(why, len, "page allocator: expected at least %d free pages, got %lu",
                 PAGE_BATCH, before);
        return -XEN_ENOMEM;
    }
    for (unsigned int i = 0; i < PAGE_BATCH; i++) {
        rc = page_alloc(&pfns[i]);
        if (rc < 0) {
            snprintf(why, len, "page allocator: allocation %u of %d failed (%d)",
                     i, PAGE_BATCH, rc);
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
            snprintf(why, len, "page allocator: free of pfn %#lx: expected 0, got %d",
                     pfns[i], rc);
            return rc;
        }
    }
    rc = page_free(pfns[0]);
    if (rc != -XEN_EINVAL) {
        snprintf(why, len, "page allocator: double free: expected %d, got %d",
                 -XEN_EINVAL, rc);
        return -XEN_EINVAL;
    }
    now = page_alloc_free_count();
    if (now != before) {
        snprintf(why, len, "page allocator: expected %lu free after freeing, got %lu",
                 before, now);
        return -XEN_EINVAL;
    }
    kprintf("self-check: page allocator ok (%lu pages)\n", before);
    return 0;
}

static int (*const checks[])(const struct boot_info *bi, char *why, size_t len) = {
    check_pvops,
    check_snprintf,
    check_page_alloc,
};

int selfcheck_run(const struct boot_info *bi, char *why, size_t len)
{
    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
        int rc = checks[i](bi, why, len);

        if (rc < 0)
            return rc;
    }
    return 0;
}
