// SPDX-License-Identifier: MIT
// Kernel virtual memory over the pv_mmu slots: page-table walks that read
// tables through the direct map and write them only through the binding,
// vm_map/vm_unmap/vm_translate, the vmalloc area, and the page-fault report.
// Bulk work runs in lazy mmu mode, so under PV it costs one hypercall.
#include <guest-kernel/vm.h>
#include <guest-kernel/kprintf.h>
#include <guest-kernel/layout.h>
#include <guest-kernel/page_alloc.h>
#include <pvops/pvops.h>
#include <pvops/pte.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/sched.h>

/* Intermediate entries grant everything; the leaf decides. */
#define TABLE_FLAGS (PTE_PRESENT | PTE_RW | PTE_ACCESSED)
/* Pages unmapped per lazy batch: bounds the pfns collected on the stack
 * and the tables one batch can free (at most two per level). */
#define UNMAP_CHUNK 64
#define MAX_DEAD    8
#define VM_AREAS    64

static unsigned long root_pfn;
static unsigned long direct_map_pfns;

/*
 * The table last used at each level and the VA range it covers. Walks
 * start from the lowest cached table covering the address, which is also
 * what makes lazy mode safe: a table created inside a batch is reached
 * through the cache, because its parent entry may not be written yet.
 * Cleared whenever a table is freed.
 */
static struct {
    int valid[PT_LEVELS];
    unsigned long base[PT_LEVELS];
    unsigned long pfn[PT_LEVELS];
} walk_cache;

/* vmalloc areas, sorted by start; npages excludes the guard page. */
static struct vm_area {
    unsigned long start, npages;
} areas[VM_AREAS];
static unsigned int nr_areas;

/* Bytes of VA one entry of a level-`level` table covers. */
static unsigned long entry_span(unsigned int level)
{
    return 1UL << pt_shift(level);
}

/* Tables are read through the direct map, so they must lie inside it. */
static int table_ptr(unsigned long pfn, uint64_t **table)
{
    if (pfn >= direct_map_pfns)
        return -XEN_EFAULT;
    *table = pfn_to_virt(pfn);
    return 0;
}

static void cache_table(unsigned int level, unsigned long va, unsigned long pfn)
{
    walk_cache.valid[level] = 1;
    walk_cache.base[level] = va & ~(entry_span(level + 1) - 1);
    walk_cache.pfn[level] = pfn;
}

/* A table page: zeroed while still writable, then handed to the binding
 * (read-only and typed under PV) before anything links it in. */
static int new_table(unsigned int level, unsigned long *pfn)
{
    int rc = page_alloc_below(direct_map_pfns, pfn);

    if (rc < 0)
        return rc;
    memset(pfn_to_virt(*pfn), 0, PAGE_SIZE);
    rc = pv_mmu_alloc_pt_page(level, *pfn);
    if (rc < 0)
        page_free(*pfn);
    return rc;
}

/*
 * OUT: *pfn, the level-`want` table on the way to va, creating missing
 * tables when create is set. -XEN_ENOENT where a table is missing,
 * -XEN_EBUSY where a large page maps the range instead.
 */
static int walk(unsigned long va, unsigned int want, int create, unsigned long *pfn)
{
    unsigned long table = root_pfn;
    unsigned int level = PT_LEVELS;
    int rc;

    for (unsigned int l = want; l < PT_LEVELS; l++) {
        if (walk_cache.valid[l] && walk_cache.base[l] == (va & ~(entry_span(l + 1) - 1))) {
            table = walk_cache.pfn[l];
            level = l;
            break;
        }
    }
    for (; level > want; level--) {
        unsigned int i = pt_index(va, level);
        unsigned long child;
        uint64_t *t, e;

        rc = table_ptr(table, &t);
        if (rc < 0)
            return rc;
        e = t[i];
        if (e & PTE_PS)
            return -XEN_EBUSY;
        if (e & PTE_PRESENT) {
            rc = pv_mmu_entry_pfn(e, &child);
            if (rc < 0)
                return rc;
        } else {
            if (!create)
                return -XEN_ENOENT;
            rc = new_table(level - 1, &child);
            if (rc < 0)
                return rc;
            rc = pv_mmu_make_entry(child, TABLE_FLAGS, &e);
            if (rc == 0)
                rc = pv_mmu_set_entry(level, table, i, e);
            if (rc < 0)
                return rc;
        }
        table = child;
        cache_table(level - 1, va, child);
    }
    *pfn = table;
    return 0;
}

/* Page-aligned, inside the kernel half, not wrapping past 2^64. */
static int kernel_range_ok(unsigned long va, unsigned long npages)
{
    return !(va & (PAGE_SIZE - 1)) && va >= KERNEL_HALF_START && npages != 0 &&
           npages <= (0UL - va) >> PAGE_SHIFT;
}

static int map_one(unsigned long va, unsigned long pfn, uint64_t flags)
{
    unsigned long l1;
    uint64_t *t, e;
    unsigned int i = pt_index(va, 1);
    int rc = walk(va, 1, 1, &l1);

    if (rc < 0)
        return rc;
    rc = table_ptr(l1, &t);
    if (rc < 0)
        return rc;
    if (t[i] & PTE_PRESENT)
        return -XEN_EEXIST;
    rc = pv_mmu_make_entry(
        pfn, PTE_PRESENT | PTE_ACCESSED | flags | (flags & PTE_RW ? PTE_DIRTY : 0), &e);
    return rc < 0 ? rc : pv_mmu_set_entry(1, l1, i, e);
}

int vm_map(unsigned long va, unsigned long pfn, unsigned long npages, uint64_t flags)
{
    unsigned long done = 0;
    int rc = 0, leave_rc;

    if (!kernel_range_ok(va, npages) || (flags & ~VM_WRITE))
        return -XEN_EINVAL;
    pv_mmu_lazy_enter();
    for (; done < npages && rc == 0; done++)
        rc = map_one(va + (done << PAGE_SHIFT), pfn + done, flags);
    leave_rc = pv_mmu_lazy_leave();
    if (rc == 0)
        rc = leave_rc;
    if (rc < 0 && done > 1)
        vm_unmap(va, done - 1);
    return rc;
}

/* Whether every entry of t outside [first, last] is clear. */
static int clear_outside(const uint64_t *t, unsigned int first, unsigned int last)
{
    for (unsigned int i = 0; i < PT_ENTRIES; i++)
        if ((i < first || i > last) && t[i])
            return 0;
    return 1;
}

struct unmap_batch {
    unsigned long *pfns; /* OUT, per page from va; NULL if unwanted */
    unsigned long va;
    unsigned long cleared; /* leaf entries cleared */
    unsigned long dead[MAX_DEAD];
    unsigned int nr_dead;
};

/*
 * Clears [va, end), which lies inside the range `table` covers, and
 * unlinks tables it leaves empty; every write is queued, so emptiness is
 * judged from the entries not being cleared. Returns 1 if table is now
 * empty, 0 if not, or a negative errno.
 */
static int unmap_level(struct unmap_batch *b, unsigned long table, unsigned int level,
                       unsigned long va, unsigned long end)
{
    unsigned int first = pt_index(va, level), last = pt_index(end - 1, level);
    int all_cleared = 1, rc;
    uint64_t *t;

    rc = table_ptr(table, &t);
    if (rc < 0)
        return rc;
    for (unsigned int i = first; i <= last; i++) {
        unsigned long base = (va & ~(entry_span(level) - 1)) + (i - first) * entry_span(level);
        unsigned long lo = base > va ? base : va, hi = base + entry_span(level), child;
        uint64_t e = t[i];

        if (!(e & PTE_PRESENT))
            continue;
        if (level > 1 && (e & PTE_PS))
            return -XEN_EBUSY;
        rc = pv_mmu_entry_pfn(e, &child);
        if (rc < 0)
            return rc;
        if (level == 1) {
            if (b->pfns)
                b->pfns[(base - b->va) >> PAGE_SHIFT] = child;
            b->cleared++;
            rc = pv_mmu_set_entry(1, table, i, 0);
            if (rc < 0)
                return rc;
            continue;
        }
        rc = unmap_level(b, child, level - 1, lo, hi < end && hi != 0 ? hi : end);
        if (rc < 0)
            return rc;
        /* Tables the root points at stay: future address spaces share them. */
        if (rc == 0 || level == PT_LEVELS) {
            all_cleared = 0;
            continue;
        }
        if (b->nr_dead == MAX_DEAD)
            return -XEN_ENOSPC;
        rc = pv_mmu_set_entry(level, table, i, 0);
        if (rc < 0)
            return rc;
        b->dead[b->nr_dead++] = child;
    }
    return all_cleared && clear_outside(t, first, last);
}

/* One lazy batch: clear, unlink, flush the TLB, release dead tables; only
 * then may the tables' frames be reused. */
static int unmap_chunk(unsigned long va, unsigned long npages, unsigned long *pfns)
{
    struct unmap_batch b = { .pfns = pfns, .va = va };
    int rc, leave_rc;

    for (unsigned long i = 0; pfns && i < npages; i++)
        pfns[i] = ~0UL;
    pv_mmu_lazy_enter();
    rc = unmap_level(&b, root_pfn, PT_LEVELS, va, va + (npages << PAGE_SHIFT));
    if (rc >= 0 && b.cleared) {
        /* One page without freed tables needs only its own entry flushed. */
        if (b.cleared == 1 && b.nr_dead == 0 && npages == 1)
            rc = pv_mmu_invlpg(va);
        else
            rc = pv_mmu_flush_tlb();
    }
    for (unsigned int i = 0; rc >= 0 && i < b.nr_dead; i++)
        rc = pv_mmu_release_pt_page(b.dead[i]);
    leave_rc = pv_mmu_lazy_leave();
    if (rc >= 0)
        rc = leave_rc;
    if (b.nr_dead)
        memset(&walk_cache, 0, sizeof(walk_cache));
    /* After a failure a table may still be linked or read-only: leak it. */
    for (unsigned int i = 0; rc >= 0 && i < b.nr_dead; i++)
        page_free(b.dead[i]);
    return rc;
}

static int unmap_pages(unsigned long va, unsigned long npages, int free_frames)
{
    unsigned long pfns[UNMAP_CHUNK];

    if (!kernel_range_ok(va, npages))
        return -XEN_EINVAL;
    while (npages) {
        unsigned long n = npages < UNMAP_CHUNK ? npages : UNMAP_CHUNK;
        int rc = unmap_chunk(va, n, free_frames ? pfns : NULL);

        if (rc < 0)
            return rc;
        for (unsigned long i = 0; free_frames && i < n; i++)
            if (pfns[i] != ~0UL)
                page_free(pfns[i]);
        va += n << PAGE_SHIFT;
        npages -= n;
    }
    return 0;
}

int vm_unmap(unsigned long va, unsigned long npages)
{
    return unmap_pages(va, npages, 0);
}

int vm_translate(unsigned long va, unsigned long *pfn)
{
    unsigned long table = root_pfn;

    /* The hypervisor's tables hold frames that are not ours, whose M2P
     * entries may not even be mapped. */
    if (va >= HYPERVISOR_VIRT_START && va < HYPERVISOR_VIRT_END)
        return -XEN_EINVAL;

    for (unsigned int level = PT_LEVELS; level >= 1; level--) {
        uint64_t *t, e;
        unsigned long frame;
        int rc = table_ptr(table, &t);

        if (rc < 0)
            return rc;
        e = t[pt_index(va, level)];
        if (!(e & PTE_PRESENT))
            return -XEN_ENOENT;
        if (level == 1 || (e & PTE_PS)) {
            /* A large page's low address bits hold PAT, not the frame. */
            uint64_t low = (entry_span(level) - 1) & ~(uint64_t)(PAGE_SIZE - 1);

            rc = pv_mmu_entry_pfn(e & ~low, &frame);
            if (rc < 0)
                return rc;
            *pfn = frame + ((va & (entry_span(level) - 1)) >> PAGE_SHIFT);
            return 0;
        }
        rc = pv_mmu_entry_pfn(e, &table);
        if (rc < 0)
            return rc;
    }
    return -XEN_ENOENT;
}

/* First fit over the sorted areas; each keeps a guard page after it. */
static int area_insert(unsigned long npages, unsigned long *start)
{
    unsigned long va = VMALLOC_START, need;
    unsigned int i;

    if (nr_areas == VM_AREAS || npages >= VMALLOC_SIZE >> PAGE_SHIFT)
        return -XEN_ENOMEM;
    need = (npages + 1) << PAGE_SHIFT;
    for (i = 0; i < nr_areas; i++) {
        if (areas[i].start - va >= need)
            break;
        va = areas[i].start + ((areas[i].npages + 1) << PAGE_SHIFT);
    }
    if (VMALLOC_START + VMALLOC_SIZE - va < need)
        return -XEN_ENOMEM;
    memmove(&areas[i + 1], &areas[i], (nr_areas - i) * sizeof(areas[0]));
    areas[i] = (struct vm_area){ .start = va, .npages = npages };
    nr_areas++;
    *start = va;
    return 0;
}

static struct vm_area *area_find(unsigned long start)
{
    for (unsigned int i = 0; i < nr_areas; i++)
        if (areas[i].start == start)
            return &areas[i];
    return NULL;
}

static void area_remove(struct vm_area *a)
{
    unsigned int i = (unsigned int)(a - areas);

    memmove(&areas[i], &areas[i + 1], (nr_areas - i - 1) * sizeof(areas[0]));
    nr_areas--;
}

void *vmalloc(unsigned long npages)
{
    unsigned long start, done = 0, pfn;
    int rc, leave_rc;

    if (npages == 0 || area_insert(npages, &start) < 0)
        return NULL;
    /* One batch: under PV the tables and all entries cost one hypercall. */
    pv_mmu_lazy_enter();
    for (rc = 0; done < npages && rc == 0; done++) {
        rc = page_alloc(&pfn);
        if (rc == 0) {
            rc = map_one(start + (done << PAGE_SHIFT), pfn, VM_WRITE);
            if (rc < 0)
                page_free(pfn);
        }
    }
    leave_rc = pv_mmu_lazy_leave();
    if (rc == 0 && leave_rc == 0)
        return (void *)start;
    if (done > 1)
        unmap_pages(start, done - 1, 1);
    area_remove(area_find(start));
    return NULL;
}

int vfree(void *p)
{
    struct vm_area *a = area_find((unsigned long)p);
    int rc;

    if (!a)
        return -XEN_EINVAL;
    rc = unmap_pages(a->start, a->npages, 1);
    area_remove(a);
    return rc;
}

unsigned long vm_kernel_root(void)
{
    return root_pfn;
}

unsigned long vm_direct_map_pfns(void)
{
    return direct_map_pfns;
}

int vm_init(const struct boot_info *bi)
{
    unsigned long l3;
    int rc, leave_rc;

    root_pfn = bi->l4_pfn;
    direct_map_pfns = bi->direct_map_pfns;
    pv_mmu_lazy_enter();
    rc = walk(VMALLOC_START, PT_LEVELS - 1, 1, &l3);
    leave_rc = pv_mmu_lazy_leave();
    return rc < 0 ? rc : leave_rc;
}

void vm_page_fault(unsigned long addr, unsigned long rip, unsigned long error)
{
    kprintf("Lithos: page fault at %#lx (rip %#lx, error %#lx)\n", addr, rip, error);
    pv_power_shutdown(SHUTDOWN_crash);
}
