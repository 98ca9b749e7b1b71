// SPDX-License-Identifier: MIT
/*
 * mm-attacker: tries to reach memory it must not own: other domains' and
 * the hypervisor's frames, writable mappings of its own page tables, the
 * M2P, linear-table tricks, overflowing fields and a seeded flood. Every
 * attempt must be refused with Xen 4.17's errno; it ends with a verdict
 * line, then writes to the M2P directly, which must crash it alone.
 */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <vmi/sched_op.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/own_frames.h"
#include "tests/guest-lib/test.h"

const char test_title[] = "mm-attacker";

#define MFN_HUGE    0xffffffff0UL
#define TREE_VA     0x0000008000000000UL /* L4 slot 1: empty at start */
#define SCAN_YIELD  8192
#define FLOOD_N     10000
#define FLOOD_SEED  0x243f6a8885a308d3ULL
#define MAP_ENTRIES 64

enum { S_WIN, S_L1, S_L2, S_L3, S_DATA, S_COUNT };

static unsigned long va_of(int s)
{
    return scratch_va(s);
}
static unsigned long mfn_of(int s)
{
    return va_to_mfn(scratch_va(s));
}

static unsigned long attempts, breaches, mismatches;

/* Every refusal is also printed by the hypervisor's log in Xenolith; here
 * the attacker's side: a mismatch names the attack and both errnos. */
static void attempt(const char *name, long expect, long got)
{
    attempts++;
    if (got == 0 && expect != 0) {
        breaches++;
        mismatches++;
        test_failure("%s: expected %ld (refused), got 0: ACCEPTED", name, expect);
        return;
    }
    if (!check_long(name, expect, got))
        mismatches++;
}

static void yield(void)
{
    sched_yield_vcpu();
}

/* Ours: every frame in the p2m, and the shared_info frame, which is the
 * domain's on both hypervisors without being in the p2m. */
static bool is_own(unsigned long mfn)
{
    return mfn == test_start_info->shared_info >> 12 || own_frames_has(mfn);
}

/* RAM above 1 MiB: the machine map where offered, else everything below
 * maximum_ram_page (low memory holds the BIOS and I/O holes, which a
 * privileged domain may legitimately map). */
struct range {
    unsigned long lo, hi;
};
static struct range ram[MAP_ENTRIES];
static int nr_ram;

static void find_ram(void)
{
    static struct {
        uint64_t addr, size;
        uint32_t type;
    } __attribute__((packed)) map[MAP_ENTRIES];
    struct xen_memory_map mm = { .nr_entries = MAP_ENTRIES };
    long top = hc_memory_op(XENMEM_maximum_ram_page, NULL);

    set_xen_guest_handle(mm.buffer, (void *)map);
    if (hc_memory_op(XENMEM_machine_memory_map, &mm) == 0) {
        for (unsigned int i = 0; i < mm.nr_entries && i < MAP_ENTRIES; i++) {
            unsigned long lo = (map[i].addr + 4095) >> 12, hi = (map[i].addr + map[i].size) >> 12;

            if (map[i].type != 1 || hi <= 0x100)
                continue;
            ram[nr_ram++] = (struct range){ lo < 0x100 ? 0x100 : lo, hi };
        }
    }
    if (!nr_ram)
        ram[nr_ram++] = (struct range){ 0x100, top > 0x100 ? (unsigned long)top : 0x10000 };
    for (int i = 0; i < nr_ram; i++)
        printk("mm-attacker: RAM mfns [%#lx, %#lx)\n", ram[i].lo, ram[i].hi);
}

/* Frames the hypervisor gives us outside the p2m: shared_info and the
 * grant table's first frame. Xen lets their owner map them. */
static unsigned long shared_frames[2];

static void find_shared_frames(void)
{
    xen_pfn_t frame = 0;
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };

    shared_frames[0] = test_start_info->shared_info >> 12;
    set_xen_guest_handle(st.frame_list, &frame);
    if (hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, (unsigned long)&st, 1) == 0 &&
        st.status == GNTST_okay)
        shared_frames[1] = frame;
    printk("mm-attacker: own frames outside the p2m: shared_info %#lx, grant frame %#lx\n",
           shared_frames[0], shared_frames[1]);
}

/* Map every RAM frame that is not ours, read-only, into the window's L1
 * slot. Xen: -EBUSY (another owner, or free). */
static void attack_scan(void)
{
    uint64_t slot = pte_maddr(va_of(S_WIN), 1);
    unsigned long n = 0, bad = 0, since = 0;

    for (int r = 0; r < nr_ram; r++)
        for (unsigned long mfn = ram[r].lo; mfn < ram[r].hi; mfn++) {
            long rc;

            if (is_own(mfn) || mfn == shared_frames[0] || mfn == shared_frames[1])
                continue;
            rc = mmu_update_one(slot, mfn_pte(mfn, PTE_RO_FLAGS), NULL);
            n++;
            if (rc != -XEN_EBUSY) {
                char name[80];

                snprintf(name, sizeof(name), "scan: map foreign mfn %#lx read-only", mfn);
                if (bad++ < 8) {
                    attempt(name, -XEN_EBUSY, rc);
                    attempts--; /* counted with the others below */
                } else {
                    breaches += rc == 0;
                    mismatches++;
                }
                if (rc == 0)
                    set_page_rw(va_of(S_WIN));
            }
            if (++since == SCAN_YIELD) {
                since = 0;
                yield();
            }
        }
    attempts += n;
    printk("mm-attacker: scan: %lu foreign frames tried, %lu not refused with -EBUSY\n", n, bad);
}

/* Named frames of the hypervisor image (Xenolith loads at 1 MiB) and M2P
 * frames, through both update paths. */
static void attack_hypervisor_frames(void)
{
    static xen_pfn_t m2p_mfns[4];
    struct xen_machphys_mfn_list l = { .max_extents = 4 };
    char name[96];

    for (unsigned long mfn = 0x100; mfn < 0x110; mfn++) {
        if (is_own(mfn))
            continue;
        snprintf(name, sizeof(name), "update_va_mapping hypervisor-image mfn %#lx writable", mfn);
        attempt(name, -XEN_EBUSY,
                hc_update_va_mapping(va_of(S_WIN), mfn_pte(mfn, PTE_RW_FLAGS), UVMF_INVLPG));
        snprintf(name, sizeof(name), "MACHPHYS_UPDATE of hypervisor-image mfn %#lx", mfn);
        attempt(name, -XEN_EINVAL,
                mmu_update_one(((uint64_t)mfn << 12) | MMU_MACHPHYS_UPDATE, 0, NULL));
    }
    set_xen_guest_handle(l.extent_start, m2p_mfns);
    if (hc_memory_op(XENMEM_machphys_mfn_list, &l) || !l.nr_extents) {
        attempts++;
        mismatches++;
        test_failure("machphys_mfn_list: expected the M2P's frames (Xen: 0), got none");
        return;
    }
    attempt("M2P frame (machphys_mfn_list) writable via update_va_mapping", -XEN_EBUSY,
            hc_update_va_mapping(va_of(S_WIN), mfn_pte(m2p_mfns[0], PTE_RW_FLAGS), UVMF_INVLPG));
    attempt("M2P frame writable via mmu_update", -XEN_EBUSY,
            mmu_update_one(pte_maddr(va_of(S_WIN), 1), mfn_pte(m2p_mfns[0], PTE_RW_FLAGS), NULL));
    attempt("M2P frame read-only (own domid: still not ours)", -XEN_EBUSY,
            mmu_update_one(pte_maddr(va_of(S_WIN), 1), mfn_pte(m2p_mfns[0], PTE_RO_FLAGS), NULL));
    attempt("L4 slot 256 (M2P) made writable", -XEN_EINVAL,
            mmu_update_one(((uint64_t)l4_mfn() << 12) + 256 * 8,
                           pte_read(MACH2PHYS_VIRT_START, 4) | PTE_RW, NULL));
    set_page_rw(va_of(S_WIN));
}

/* Writable mappings of the page tables in use, by every route. */
static void attack_tables(void)
{
    unsigned long w = va_of(S_WIN);
    unsigned long t[4] = { pte_maddr(w, 1) >> 12, pte_maddr(w, 2) >> 12, pte_maddr(w, 3) >> 12,
                           l4_mfn() };
    char name[96];

    for (int l = 0; l < 4; l++) {
        snprintf(name, sizeof(name), "update_va_mapping: in-use L%d writable", l + 1);
        attempt(name, -XEN_EBUSY,
                hc_update_va_mapping(w, mfn_pte(t[l], PTE_RW_FLAGS), UVMF_INVLPG));
        snprintf(name, sizeof(name), "mmu_update: in-use L%d writable", l + 1);
        attempt(name, -XEN_EBUSY,
                mmu_update_one(pte_maddr(w, 1), mfn_pte(t[l], PTE_RW_FLAGS), NULL));
        snprintf(name, sizeof(name), "mmu_update: in-use L%d writable, A|D|G|avail|NX bits", l + 1);
        attempt(name, -XEN_EBUSY,
                mmu_update_one(pte_maddr(w, 1),
                               mfn_pte(t[l], PTE_RW_FLAGS | PTE_A | PTE_D | PTE_G | PTE_AVAIL) |
                                   PTE_NX | (0x7fUL << 52),
                               NULL));
        snprintf(name, sizeof(name), "PRESERVE_AD: in-use L%d writable", l + 1);
        attempt(name, -XEN_EBUSY,
                mmu_update_one(pte_maddr(w, 1) | MMU_PT_UPDATE_PRESERVE_AD,
                               mfn_pte(t[l], PTE_RW_FLAGS), NULL));
    }
    /* Linear (recursive) entries: writable ones are refused, read-only
     * same-level ones are Xen's documented linear page tables. */
    /* L2 slot 511 and L4 slot 2 are empty at start of day. */
    attempt("L2 entry pointing at its own L2, writable", -XEN_EINVAL,
            mmu_update_one(((uint64_t)t[1] << 12) + 511 * 8, mfn_pte(t[1], PTE_TABLE_FLAGS), NULL));
    attempt("L2 entry pointing at its own L2, read-only (a linear table)", 0,
            mmu_update_one(((uint64_t)t[1] << 12) + 511 * 8,
                           mfn_pte(t[1], PTE_TABLE_FLAGS & ~PTE_RW), NULL));
    attempt("clear the read-only linear L2 entry", 0,
            mmu_update_one(((uint64_t)t[1] << 12) + 511 * 8, 0, NULL));
    attempt("L4 entry pointing at the L4 (recursive), writable", -XEN_EINVAL,
            mmu_update_one(((uint64_t)t[3] << 12) + 2 * 8, mfn_pte(t[3], PTE_TABLE_FLAGS), NULL));
    attempt("L4 entry pointing at the L4 (recursive), read-only", 0,
            mmu_update_one(((uint64_t)t[3] << 12) + 2 * 8, mfn_pte(t[3], PTE_TABLE_FLAGS & ~PTE_RW),
                           NULL));
    attempt("through the read-only recursive L4: its L1 entry writable", -XEN_EBUSY,
            hc_update_va_mapping((2UL << 39) | (2UL << 30) | (2UL << 21) | (2UL << 12),
                                 mfn_pte(t[3], PTE_RW_FLAGS), UVMF_INVLPG) == -XEN_EINVAL
                ? -XEN_EBUSY
                : -1);
    attempt("clear the recursive L4 entry", 0,
            mmu_update_one(((uint64_t)t[3] << 12) + 2 * 8, 0, NULL));
    attempt("L4 entry pointing at an L2 (wrong level)", -XEN_EINVAL,
            mmu_update_one(((uint64_t)t[3] << 12) + 2 * 8, mfn_pte(t[1], PTE_TABLE_FLAGS), NULL));
    attempt("L4 entry pointing at an L1 (wrong level)", -XEN_EINVAL,
            mmu_update_one(((uint64_t)t[3] << 12) + 2 * 8, mfn_pte(t[0], PTE_TABLE_FLAGS), NULL));
    attempt("L4 entry, PSE set", -XEN_EINVAL,
            mmu_update_one(((uint64_t)t[3] << 12) + 2 * 8, mfn_pte(t[2], PTE_TABLE_FLAGS | PTE_PSE),
                           NULL));
    attempt("L2 entry, PSE superpage over the page tables", -XEN_EINVAL,
            mmu_update_one(pte_maddr(w, 2), mfn_pte(t[0] & ~511UL, PTE_RW_FLAGS | PTE_PSE), NULL));
    yield();
}

/* A new tree under L4 slot 1 (L3 -> L2 -> L1 -> data). */
static bool link_tree(uint64_t l1_extra)
{
    uint64_t *l1 = (uint64_t *)va_of(S_L1), *l2 = (uint64_t *)va_of(S_L2);
    uint64_t *l3 = (uint64_t *)va_of(S_L3);

    for (int s = S_L1; s <= S_L3; s++)
        set_page_rw(va_of(s));
    memset(l1, 0, TEST_PAGE_SIZE);
    memset(l2, 0, TEST_PAGE_SIZE);
    memset(l3, 0, TEST_PAGE_SIZE);
    l1[0] = mfn_pte(mfn_of(S_DATA), PTE_RW_FLAGS);
    l1[1] = l1_extra;
    l2[0] = mfn_pte(mfn_of(S_L1), PTE_TABLE_FLAGS);
    l3[0] = mfn_pte(mfn_of(S_L2), PTE_TABLE_FLAGS);
    for (int s = S_L1; s <= S_L3; s++)
        set_page_ro(va_of(s));
    return mmu_update_one(((uint64_t)l4_mfn() << 12) + 8, mfn_pte(mfn_of(S_L3), PTE_TABLE_FLAGS),
                          NULL) == 0;
}

static void unlink_tree(void)
{
    mmu_update_one(((uint64_t)l4_mfn() << 12) + 8, 0, NULL);
    for (int s = S_L1; s <= S_L3; s++)
        set_page_rw(va_of(s));
}

static void attack_pin_unpin_free(void)
{
    unsigned int done;
    xen_pfn_t mfn;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };

    /* Pin a table that maps itself writable. */
    set_page_rw(va_of(S_L1));
    memset((void *)va_of(S_L1), 0, TEST_PAGE_SIZE);
    ((uint64_t *)va_of(S_L1))[0] = mfn_pte(mfn_of(S_L1), PTE_RW_FLAGS);
    set_page_ro(va_of(S_L1));
    attempt("PIN_L1 of an L1 mapping itself writable", -XEN_EBUSY,
            mmuext_one(MMUEXT_PIN_L1_TABLE, mfn_of(S_L1), 0, &done));
    attempt("link a tree whose L1 maps itself writable", -XEN_EBUSY,
            link_tree(mfn_pte(mfn_of(S_L1), PTE_RW_FLAGS)) ? 0 : -XEN_EBUSY);
    unlink_tree();

    /* Unpinning the L4 in use is allowed; it stays a page table. */
    attempt("UNPIN the running L4 (allowed: cr3 still holds it)", 0,
            mmuext_one(MMUEXT_UNPIN_TABLE, l4_mfn(), 0, &done));
    attempt("after the unpin: running L4 writable", -XEN_EBUSY,
            hc_update_va_mapping(va_of(S_WIN), mfn_pte(l4_mfn(), PTE_RW_FLAGS), UVMF_INVLPG));
    attempt("re-pin the running L4", 0, mmuext_one(MMUEXT_PIN_L4_TABLE, l4_mfn(), 0, &done));
    attempt("UNPIN an in-use, unpinned L1", -XEN_EINVAL,
            mmuext_one(MMUEXT_UNPIN_TABLE, pte_maddr(va_of(S_WIN), 1) >> 12, 0, &done));

    /* Free an L1 in use: Xen takes the frame from the domain's allocation
     * but keeps it alive, still a page table, until the last reference. */
    if (!link_tree(0)) {
        test_failure("link a valid tree: expected 0, got a refusal");
        return;
    }
    mfn = mfn_of(S_L1);
    set_xen_guest_handle(r.extent_start, &mfn);
    attempt("decrease_reservation of an in-use L1 (given up, stays a table)", 0,
            hc_memory_op(XENMEM_decrease_reservation, &r) == 1 ? 0 : -XEN_EINVAL);
    attempt("freed in-use L1 mapped writable", -XEN_EBUSY,
            hc_update_va_mapping(va_of(S_WIN), mfn_pte(mfn_of(S_L1), PTE_RW_FLAGS), UVMF_INVLPG));
    /* Until its last reference goes, the frame is still ours in Xen: it
     * may be mapped read-only, pinned and updated, never made writable. */
    attempt("freed in-use L1 mapped read-only (still ours until released)", 0,
            hc_update_va_mapping(va_of(S_WIN), mfn_pte(mfn_of(S_L1), PTE_RO_FLAGS), UVMF_INVLPG));
    attempt("PIN the freed L1", 0, mmuext_one(MMUEXT_PIN_L1_TABLE, mfn, 0, &done));
    attempt("write through the freed L1 with mmu_update", 0,
            mmu_update_one(((uint64_t)mfn << 12) + 8, mfn_pte(mfn_of(S_DATA), PTE_RO_FLAGS), NULL));
    attempt("freed, pinned L1 still refuses a writable mapping", -XEN_EBUSY,
            hc_update_va_mapping(va_of(S_WIN), mfn_pte(mfn, PTE_RW_FLAGS), UVMF_INVLPG));
    attempt("UNPIN the freed L1", 0, mmuext_one(MMUEXT_UNPIN_TABLE, mfn, 0, &done));
    mmu_update_one(((uint64_t)l4_mfn() << 12) + 8, 0, NULL);
    set_page_rw(va_of(S_WIN));
    yield();
}

/* Address and count fields at their limits. */
static void attack_overflow(void)
{
    mmu_update_t *edge = (mmu_update_t *)(scratch_va(scratch_count()) - sizeof(mmu_update_t));
    unsigned int done = 0;
    struct xen_memory_reservation r = { .nr_extents = ~0UL, .domid = DOMID_SELF };
    xen_pfn_t one = 0;

    attempt("mmu_update ptr 0xfffffffffffffff8", -XEN_EINVAL,
            mmu_update_one(0xfffffffffffffff8UL, 0, NULL));
    attempt("mmu_update MACHPHYS ptr ~0 & ~7 | 1", -XEN_EINVAL,
            mmu_update_one(0xfffffffffffffff9UL, 0, NULL));
    attempt("update_va_mapping va 0xfffffffffffff000 (no L1)", -XEN_EINVAL,
            hc_update_va_mapping(0xfffffffffffff000UL, mfn_pte(mfn_of(S_DATA), PTE_RW_FLAGS), 0));
    attempt("update_va_mapping pte with every address bit", -XEN_EINVAL,
            hc_update_va_mapping(va_of(S_WIN), PTE_MFN_MASK | PTE_RW_FLAGS, UVMF_INVLPG));
    *edge = (mmu_update_t){ (uint64_t)mfn_of(S_DATA) << 12 | 4, 0 };
    attempt("mmu_update count 0xffffffff, refused first request", -XEN_ENOSYS,
            hc_mmu_update(edge, 0xffffffffu, &done, DOMID_SELF));
    attempt("mmuext_op ops NULL count 0x7fffffff", -XEN_EFAULT,
            hc_mmuext_op(NULL, 0x7fffffff, &done, DOMID_SELF));
    attempt("mmuext_op COPY_PAGE src ~0", -XEN_EINVAL,
            mmuext_one(MMUEXT_COPY_PAGE, mfn_of(S_DATA), ~0UL, &done));
    attempt("mmuext_op CLEAR_PAGE mfn ~0", -XEN_EINVAL,
            mmuext_one(MMUEXT_CLEAR_PAGE, ~0UL, 0, &done));
    attempt("multicall list NULL, count ~0", -XEN_EFAULT, hc_multicall(NULL, ~0UL));
    set_xen_guest_handle(r.extent_start, &one);
    attempt("decrease_reservation nr_extents ~0 (0 done)", -XEN_EINVAL,
            hc_memory_op(XENMEM_decrease_reservation, &r) == 0 ? -XEN_EINVAL : 0);
    r = (struct xen_memory_reservation){ .nr_extents = 1, .extent_order = 63, .domid = DOMID_SELF };
    set_xen_guest_handle(r.extent_start, &one);
    attempt("increase_reservation order 63 (0 done)", -XEN_EINVAL,
            hc_memory_op(XENMEM_increase_reservation, &r) == 0 ? -XEN_EINVAL : 0);
    yield();
}

/*
 * The flood: requests that Xen always refuses, drawn from a seeded
 * xorshift. Frames are foreign RAM or our page tables mapped writable;
 * commands are invalid or aimed at frames we cannot use that way.
 */
static uint64_t rng = FLOOD_SEED;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned long random_foreign(void)
{
    for (;;) {
        const struct range *r = &ram[next() % nr_ram];
        unsigned long mfn = r->lo + next() % (r->hi - r->lo);

        if (!is_own(mfn))
            return mfn;
    }
}

static bool xen_errno(long rc)
{
    return rc == -XEN_EINVAL || rc == -XEN_EBUSY || rc == -XEN_EPERM || rc == -XEN_ENOSYS ||
           rc == -XEN_EFAULT;
}

static void attack_flood(void)
{
    unsigned long w = va_of(S_WIN);
    unsigned long tables[4] = { pte_maddr(w, 1) >> 12, pte_maddr(w, 2) >> 12, pte_maddr(w, 3) >> 12,
                                l4_mfn() };
    unsigned long bad = 0;

    for (unsigned long i = 0; i < FLOOD_N; i++) {
        uint64_t x = next(), flags = (next() & (0xfffUL | (0x7ffUL << 52))) | PTE_P;
        unsigned int done = 0xdead;
        unsigned long what[3] = { 0 }; /* kind, and the request, for the report */
        long rc;

        if (x & 1) {
            mmu_update_t req;

            switch ((x >> 1) % 4) {
            case 0: /* the window slot, a foreign frame */
                req = (mmu_update_t){ pte_maddr(w, 1), mfn_pte(random_foreign(), flags) };
                break;
            case 1: /* the window slot, our own table writable */
                req = (mmu_update_t){ pte_maddr(w, 1) | (next() % 3 == 2 ? 2 : 0),
                                      mfn_pte(tables[next() % 4], flags | PTE_RW) & ~PTE_PSE };
                break;
            case 2: /* a foreign frame as the table, any command */
                req = (mmu_update_t){
                    (uint64_t)random_foreign() << 12 | (next() & 0xff8) | (next() % 3), next()
                };
                break;
            default: /* command bits 4-7 */
                req = (mmu_update_t){ pte_maddr(w, 1) | 4 | (next() & 3), next() };
                break;
            }
            what[0] = 1;
            what[1] = req.ptr;
            what[2] = req.val;
            rc = hc_mmu_update(&req, 1, &done, DOMID_SELF);
        } else {
            struct mmuext_op op = { 0 };

            switch ((x >> 1) % 3) {
            case 0: /* pin/unpin/baseptr/clear/copy on a foreign frame */
            {
                static const unsigned int cmds[] = {
                    MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE,
                    MMUEXT_PIN_L4_TABLE, MMUEXT_UNPIN_TABLE,  MMUEXT_NEW_BASEPTR,
                    MMUEXT_CLEAR_PAGE,   MMUEXT_COPY_PAGE,
                };
                op.cmd = cmds[next() % 8];
                op.arg1.mfn = random_foreign();
                op.arg2.src_mfn = random_foreign();
                break;
            }
            case 1: /* pin our writable data page at any level */
                op.cmd = MMUEXT_PIN_L1_TABLE + next() % 4;
                op.arg1.mfn = mfn_of(S_DATA);
                break;
            default: /* unknown commands */
                op.cmd = 21 + (unsigned int)(next() % 0xffffffe0u);
                op.arg1.mfn = next();
                break;
            }
            what[0] = 2;
            what[1] = op.cmd;
            what[2] = op.arg1.mfn;
            rc = hc_mmuext_op(&op, 1, &done, DOMID_SELF);
        }
        attempts++;
        if (!xen_errno(rc) || done != 0) {
            if (bad++ < 8)
                test_failure("flood request %lu (%s %#lx %#lx): expected a Xen errno and 0 "
                             "done, got %ld, %u done",
                             i, what[0] == 1 ? "mmu_update ptr/val" : "mmuext_op cmd/mfn", what[1],
                             what[2], rc, done);
            breaches += rc == 0;
            mismatches++;
            set_page_rw(w);
        }
        if (i % 1000 == 999)
            yield();
    }
    printk("mm-attacker: flood: %d requests (seed %#llx), %lu not refused as Xen does\n", FLOOD_N,
           (unsigned long long)FLOOD_SEED, bad);
}

void test_main(void)
{
    if (scratch_count() < S_COUNT + 1) {
        test_error("only %lu scratch pages, need %d", scratch_count(), S_COUNT + 1);
        return;
    }
    /* Let a victim fill its memory first. */
    yield();
    own_frames_init();
    find_ram();
    find_shared_frames();
    attack_hypervisor_frames();
    attack_tables();
    attack_pin_unpin_free();
    attack_overflow();
    attack_flood();
    attack_scan();
    if (mismatches)
        printk("mm-attacker: verdict: %lu of %lu attempts answered unlike Xen 4.17, %lu of "
               "them accepted\n",
               mismatches, attempts, breaches);
    else
        printk("mm-attacker: verdict: all %lu attempts answered as Xen 4.17 answers\n", attempts);
    printk("mm-attacker: writing to the M2P directly, expecting a fatal #PF\n");
    *(volatile unsigned long *)MACH2PHYS_VIRT_START = 0;
    test_failure("mm-attacker: write to the M2P: expected a fault, got none");
}
