// SPDX-License-Identifier: MIT
/*
 * preempt-attacker: the largest batch of each kind, one hypercall per
 * phase, each of which would hold the CPU for seconds to hours if it were
 * not preemptible. Aliased page tables (alias.h) make the request arrays
 * from a few frames. Every phase prints one "answer:" line, which must be
 * Xen 4.17's (tests/adversarial/preempt-attacker/preempt-attack.sh compares them), then how long
 * the call took and how late this guest's own 10 ms timer upcalls came
 * while it ran ("self lateness": between the pieces of a preempted call
 * the hypervisor delivers events). A first phase makes no hypercall at
 * all, for the lateness the emulator alone adds.
 *
 * With victim=1 on the command line (Xenolith, beside latency-victim) the
 * phases are also announced on a page granted to the victim (lateness.h's
 * phase board), which measures its own timer against them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <vmi/console_io.h>
#include <vmi/sched_op.h>
#include "tests/adversarial/preempt-attacker/alias.h"
#include "tests/guest-lib/grant.h"
#include "tests/guest-lib/lateness.h"
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include <common/array_size.h>

const char test_title[] = "preempt-attacker";

#define MS           1000000UL
#define US           1000UL
#define PERIOD       (10 * MS)
#define VICTIM_DOMID 1
#define VICTIM_WAIT  (10000 * MS)

/*
 * Batch sizes: each call takes one to a few seconds under QEMU TCG on
 * either hypervisor (docs/security.md has the cost of the largest legal
 * ones). Powers of two, in entries.
 */
#define TRAP_L1S             128        /* x 131072 entries: 16 Mi trap_info */
#define N_MMU                (1u << 22) /* mmu_update requests */
#define N_EXT                (1u << 21) /* mmuext_op INVLPG_LOCAL */
#define N_MAP                (1u << 21) /* grant maps of a bad ref */
#define N_UNMAP              (1u << 22) /* grant unmaps of a bad handle */
#define N_COPY_BAD           (1u << 21) /* grant copies refused */
#define N_COPY_4K            (1u << 19) /* 4 KiB grant copies: 2 GiB moved */
#define N_MC                 (1u << 21) /* multicall entries */
#define N_MC_MMU             (1u << 20) /* the mmu_update entry's requests */
#define N_MC_EXT             (1u << 20) /* the mmuext_op entry's ops */
#define N_CONS_CR            (1u << 20) /* console bytes: carriage returns */
#define N_CONS_TEXT          (1u << 18) /* console bytes: 4096 lines of text */
/* Xen refuses a reservation it could not resume: nr_extents at most
 * UINT_MAX >> MEMOP_EXTENT_SHIFT. */
#define MAX_EXTENTS          ((1UL << 26) - 1)
#define EXT_SLOTS            16384 /* our free frames, at most */
/* Xen's flag in a preempted mmu_update's count (internal, not public). */
#define MMU_UPDATE_PREEMPTED (1u << 31)

enum region {
    R_TRAP,
    R_MMU,
    R_EXT,
    R_MAP,
    R_UNMAP,
    R_COPY_BAD,
    R_COPY_4K,
    R_MC,
    R_MEM,
    R_CONS_CR,
    R_CONS_TEXT,
    NR_REGIONS
};

static bool with_victim;
static struct phase_board *board;
static unsigned int phase_no;
static const char *phase_name;
static uint64_t phase_t0, phase_t1;
static unsigned long copy_src_va, copy_dst_va, d_map_va, d_unmap_va, d_copy_bad_va, d_nested_va;
static unsigned long d_copy_4k_va[5];
static unsigned long win_va; /* its L1 entry is what mmu_update rewrites */
static mmu_update_t mmu_req;
static multicall_entry_t mc0[64] __attribute__((aligned(4096)));
static xen_pfn_t ext[EXT_SLOTS] __attribute__((aligned(4096)));
static unsigned int mc_mmu_done, mc_ext_done;
static unsigned long nr_free; /* frames given back and taken again */

static void answer(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void answer(const char *fmt, ...)
{
    char line[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    printk("preempt-attacker: answer: %s\n", line);
}

/* --- The request arrays ------------------------------------------------------- */

static unsigned long data_page(unsigned long *va)
{
    *va = alias_page();
    return *va ? va_to_mfn(*va) : 0;
}

static void fill_words(unsigned long va, uint64_t w)
{
    for (unsigned int i = 0; i < 512; i++)
        ((uint64_t *)va)[i] = w;
}

/* set_trap_table reads until an entry with address 0: TRAP_L1S L1s of
 * pages holding our own table, then a zeroed page. */
static int build_trap(void)
{
    static unsigned long e[512], l1s[512];
    unsigned long va, zero_va, d, z, l1, l1_end, l2;
    trap_info_t *t;

    if (!(d = data_page(&va)) || !(z = data_page(&zero_va)))
        return -1;
    t = (trap_info_t *)va;
    for (unsigned int i = 0; i < 256; i++) {
        unsigned int v = i % 32;

        t[i] = (trap_info_t){ .vector = (uint8_t)v,
                              .flags = (v == X86_BP || v == X86_OF) ? 3 : 0,
                              .cs = FLAT_KERNEL_CS,
                              .address = trap_entry(v) };
    }
    for (unsigned int i = 0; i < 512; i++)
        e[i] = d;
    l1 = alias_l1(e);
    memset(e, 0, sizeof(e));
    e[0] = z;
    l1_end = alias_l1(e);
    if (!l1 || !l1_end)
        return -1;
    for (unsigned int i = 0; i < 512; i++)
        l1s[i] = i < TRAP_L1S ? l1 : i == TRAP_L1S ? l1_end : 0;
    if (!(l2 = alias_l2(l1s)))
        return -1;
    alias_region(R_TRAP, l2);
    return 0;
}

static int build_uniform(enum region r, unsigned long *va, uint64_t word, unsigned long bytes)
{
    unsigned long d = data_page(va);

    if (!d)
        return -1;
    fill_words(*va, word);
    return alias_periodic(r, &d, 1, (bytes + 4095) / 4096);
}

/* Each request rewrites win_va's L1 entry with the value it has. */
static int build_mmu(void)
{
    unsigned long va, d = data_page(&va);

    if (!d)
        return -1;
    mmu_req = (mmu_update_t){ .ptr = pte_maddr(win_va, 1) | MMU_NORMAL_PT_UPDATE,
                              .val = mfn_pte(va_to_mfn(win_va), PTE_RW_FLAGS) };
    for (unsigned int i = 0; i < 256; i++)
        ((mmu_update_t *)va)[i] = mmu_req;
    return alias_periodic(R_MMU, &d, 1, (unsigned long)N_MMU * sizeof(mmu_update_t) / 4096);
}

/*
 * Unmap (24 bytes) and the refused copies (40 bytes) do not tile a page,
 * so their entries start at every multiple of 8 along the array: pages of
 * one repeated word read the same entry everywhere. The word is chosen so
 * that the status the hypervisor writes back is what its bits already
 * hold: an unmap of handle 0xffffffff answers GNTST_bad_handle (0xfffc in
 * the status bits), a copy by frame number from domain 0x10, which does
 * not exist, GNTST_bad_domain (0xfffe).
 */
#define UNMAP_WORD    0x0000fffcffffffffULL
#define COPY_BAD_WORD 0x0000fffe00000010ULL

/* 4 KiB copies between two of our frames: 40-byte entries repeat every 5
 * pages, so 5 pattern frames alias along the array. */
static int build_copy_4k(void)
{
    static gnttab_copy_t pattern[512];
    unsigned long d[5];

    if (!data_page(&copy_src_va) || !data_page(&copy_dst_va))
        return -1;
    for (unsigned int i = 0; i < 512; i++)
        ((uint64_t *)copy_src_va)[i] = 0x0123456789abcdefULL * (i + 1);
    for (unsigned int i = 0; i < 512; i++)
        pattern[i] = (gnttab_copy_t){
            .source = { .u.gmfn = va_to_mfn(copy_src_va), .domid = DOMID_SELF },
            .dest = { .u.gmfn = va_to_mfn(copy_dst_va), .domid = DOMID_SELF },
            .len = 4096,
            .status = 1,
        };
    for (unsigned int p = 0; p < 5; p++) {
        if (!(d[p] = data_page(&d_copy_4k_va[p])))
            return -1;
        memcpy((void *)d_copy_4k_va[p], (const uint8_t *)pattern + p * 4096, 4096);
    }
    return alias_periodic(R_COPY_4K, d, 5,
                          (unsigned long)N_COPY_4K * sizeof(gnttab_copy_t) / 4096 + 1);
}

static void nested_entry(multicall_entry_t *m)
{
    *m = (multicall_entry_t){ .op = __HYPERVISOR_multicall,
                              .result = 1,
                              .args = { region_va(R_MC), 1 } };
}

/* Entry 0 an mmu_update of N_MC_MMU requests, 1 an mmuext_op of N_MC_EXT,
 * then nested multicalls: the first page is mc0, the rest one aliased page. */
static int build_mc(void)
{
    static unsigned long e[512], l1s[512];
    unsigned long d = data_page(&d_nested_va), l1_first, l1, l2;
    multicall_entry_t *n = (multicall_entry_t *)d_nested_va;

    if (!d)
        return -1;
    for (unsigned int i = 0; i < 64; i++) {
        nested_entry(&n[i]);
        nested_entry(&mc0[i]);
    }
    mc0[0] = (multicall_entry_t){ .op = __HYPERVISOR_mmu_update,
                                  .result = 1,
                                  .args = { region_va(R_MMU), N_MC_MMU, (unsigned long)&mc_mmu_done,
                                            DOMID_SELF } };
    mc0[1] = (multicall_entry_t){ .op = __HYPERVISOR_mmuext_op,
                                  .result = 1,
                                  .args = { region_va(R_EXT), N_MC_EXT, (unsigned long)&mc_ext_done,
                                            DOMID_SELF } };
    for (unsigned int i = 0; i < 512; i++)
        e[i] = i ? d : va_to_mfn((unsigned long)mc0);
    l1_first = alias_l1(e);
    for (unsigned int i = 0; i < 512; i++)
        e[i] = d;
    l1 = alias_l1(e);
    if (!l1_first || !l1)
        return -1;
    for (unsigned long i = 0; i < 512; i++)
        l1s[i] = i == 0 ? l1_first : i * L1_SPAN < (unsigned long)N_MC * 64 ? l1 : 0;
    if (!(l2 = alias_l2(l1s)))
        return -1;
    alias_region(R_MC, l2);
    return 0;
}

/* The extent list: ext's frames first, then pages of an mfn beyond RAM,
 * to MAX_EXTENTS entries. */
#define MFN_BEYOND_RAM 0xffffffff0UL

static int build_mem(void)
{
    static unsigned long e[512], l1s[512];
    unsigned long va, d = data_page(&va), l1_first, l1, l2;
    const unsigned long ext_pages = sizeof(ext) / 4096;

    if (!d)
        return -1;
    fill_words(va, MFN_BEYOND_RAM);
    for (unsigned int i = 0; i < 512; i++)
        e[i] = i < ext_pages ? va_to_mfn((unsigned long)ext + i * 4096UL) : d;
    l1_first = alias_l1(e);
    for (unsigned int i = 0; i < 512; i++)
        e[i] = d;
    l1 = alias_l1(e);
    if (!l1_first || !l1)
        return -1;
    for (unsigned long i = 0; i < 512; i++)
        l1s[i] = i == 0 ? l1_first : i * L1_SPAN < (MAX_EXTENTS + 1) * 8 ? l1 : 0;
    if (!(l2 = alias_l2(l1s)))
        return -1;
    alias_region(R_MEM, l2);
    return 0;
}

/* Console bytes. Carriage returns: Xenolith's console drops them, Xen
 * prints them, and the logs strip them, so the flood adds no lines. Then
 * lines of text, which both print: 64 bytes each, 64 to the page. */
#define CONS_LINE "preempt-attacker: console flood, one 64-byte line, 64 to a page\n"
_Static_assert(sizeof(CONS_LINE) - 1 == 64, "a console line is 64 bytes");

static int build_cons(void)
{
    unsigned long cr_va, text_va, cr = data_page(&cr_va), text = data_page(&text_va);

    if (!cr || !text)
        return -1;
    memset((void *)cr_va, '\r', 4096);
    for (unsigned int i = 0; i < 64; i++)
        memcpy((char *)text_va + 64 * i, CONS_LINE, 64);
    if (alias_periodic(R_CONS_CR, &cr, 1, N_CONS_CR / 4096))
        return -1;
    return alias_periodic(R_CONS_TEXT, &text, 1, N_CONS_TEXT / 4096);
}

static int build_all(void)
{
    win_va = alias_page();
    if (!win_va || build_trap() || build_mmu() ||
        build_uniform(R_EXT, &(unsigned long){ 0 }, MMUEXT_INVLPG_LOCAL,
                      (unsigned long)N_EXT * sizeof(struct mmuext_op)) ||
        build_uniform(R_UNMAP, &d_unmap_va, UNMAP_WORD,
                      (unsigned long)N_UNMAP * sizeof(gnttab_unmap_grant_ref_t)) ||
        build_uniform(R_COPY_BAD, &d_copy_bad_va, COPY_BAD_WORD,
                      (unsigned long)N_COPY_BAD * sizeof(gnttab_copy_t)) ||
        build_copy_4k() || build_mc() || build_mem() || build_cons()) {
        test_error("preempt-attacker: out of scratch pages for the aliased tables");
        return -1;
    }
    /* Grant maps (32 bytes, 128 to a page) of a ref beyond the table. */
    if (!data_page(&d_map_va)) {
        test_error("preempt-attacker: out of scratch pages for the aliased tables");
        return -1;
    }
    for (unsigned int i = 0; i < 128; i++)
        ((gnttab_map_grant_ref_t *)d_map_va)[i] =
            (gnttab_map_grant_ref_t){ .host_addr = win_va,
                                      .flags = GNTMAP_host_map,
                                      .ref = 0xfffffff0u,
                                      .dom = 0,
                                      .status = 1 };
    if (alias_periodic(R_MAP, &(unsigned long){ va_to_mfn(d_map_va) }, 1,
                       (unsigned long)N_MAP * sizeof(gnttab_map_grant_ref_t) / 4096)) {
        test_error("preempt-attacker: out of scratch pages for the aliased tables");
        return -1;
    }
    if (!check_long("linking the aliased tables (mmu_update of L4 slot 2)", 0, alias_commit()))
        return -1;
    printk("preempt-attacker: aliased tables: %lu frames make %u GiB of arrays\n",
           alias_pages_used(), NR_REGIONS);
    return 0;
}

/* --- Phases ----------------------------------------------------------------- */

/* Just before and just after a phase's hypercall: the window its
 * lateness is measured over, and the victim's. */
static void begin(void)
{
    phase_t0 = system_time_ns();
    if (board && phase_no < BOARD_PHASES) {
        struct board_phase *p = &board->phase[phase_no];

        strncpy(p->name, phase_name, BOARD_NAME - 1);
        p->start = phase_t0;
        p->end = 0;
        __atomic_thread_fence(__ATOMIC_RELEASE);
        board->nr_phases = phase_no + 1;
    }
}

static void end(void)
{
    phase_t1 = system_time_ns();
    if (board && phase_no < BOARD_PHASES)
        board->phase[phase_no].end = phase_t1;
}

/* No hypercall: a second spent spinning in the guest, the lateness the
 * timer shows with nothing in the way (QEMU's and the host's share). */
#define BASELINE (1000 * MS)

static void phase_baseline(void)
{
    begin();
    while (system_time_ns() - phase_t0 < BASELINE)
        ;
    end();
}

static void phase_trap(void)
{
    long rc;

    begin();
    rc = hc_set_trap_table((const trap_info_t *)region_va(R_TRAP));
    end();
    check_long("set_trap_table", 0, rc);
    answer("set_trap_table of %lu entries: rc %ld", (unsigned long)TRAP_L1S * 131072, rc);
}

static void phase_mmu(void)
{
    unsigned int done = 0;
    long rc;

    begin();
    rc = hc_mmu_update((const mmu_update_t *)region_va(R_MMU), N_MMU, &done, DOMID_SELF);
    end();
    check_long("mmu_update", 0, rc);
    check_long("mmu_update done", N_MMU, done);
    answer("mmu_update of %u requests: rc %ld, done %u", N_MMU, rc, done);
}

static void phase_ext(void)
{
    unsigned int done = 0;
    long rc;

    begin();
    rc = hc_mmuext_op((const struct mmuext_op *)region_va(R_EXT), N_EXT, &done, DOMID_SELF);
    end();
    check_long("mmuext_op", 0, rc);
    check_long("mmuext_op done", N_EXT, done);
    answer("mmuext_op of %u INVLPG_LOCAL: rc %ld, done %u", N_EXT, rc, done);
}

/* Every alias of an entry is one of the page's: checking the pattern
 * pages checks every entry of the batch. */
static unsigned int map_statuses(int16_t want)
{
    const gnttab_map_grant_ref_t *m = (const gnttab_map_grant_ref_t *)d_map_va;
    unsigned int bad = 0;

    for (unsigned int i = 0; i < 128; i++)
        bad += m[i].status != want;
    return bad;
}

static unsigned int words_changed(unsigned long va, uint64_t w)
{
    unsigned int bad = 0;

    for (unsigned int i = 0; i < 512; i++)
        bad += ((const uint64_t *)va)[i] != w;
    return bad;
}

static void phase_map(void)
{
    long rc;

    begin();
    rc = gnttab_op(GNTTABOP_map_grant_ref, (const void *)region_va(R_MAP), N_MAP);
    end();
    check_long("grant map batch", 0, rc);
    check_long("grant map entries not GNTST_bad_gntref", 0, map_statuses(GNTST_bad_gntref));
    answer("grant map of %u refs beyond the table: rc %ld, status %d, %u otherwise", N_MAP, rc,
           ((const gnttab_map_grant_ref_t *)d_map_va)[0].status,
           map_statuses(((const gnttab_map_grant_ref_t *)d_map_va)[0].status));
}

static void phase_unmap(void)
{
    long rc;

    begin();
    rc = gnttab_op(GNTTABOP_unmap_grant_ref, (const void *)region_va(R_UNMAP), N_UNMAP);
    end();
    check_long("grant unmap batch", 0, rc);
    check_long("grant unmap: words not as GNTST_bad_handle leaves them", 0,
               words_changed(d_unmap_va, UNMAP_WORD));
    answer("grant unmap of %u bad handles: rc %ld, status %d, %u words otherwise", N_UNMAP, rc,
           ((const gnttab_unmap_grant_ref_t *)d_unmap_va)[0].status,
           words_changed(d_unmap_va, UNMAP_WORD));
}

static void phase_copy_bad(void)
{
    long rc;

    begin();
    rc = gnttab_op(GNTTABOP_copy, (const void *)region_va(R_COPY_BAD), N_COPY_BAD);
    end();
    check_long("grant copy (refused) batch", 0, rc);
    check_long("grant copy: words not as GNTST_bad_domain leaves them", 0,
               words_changed(d_copy_bad_va, COPY_BAD_WORD));
    answer("grant copy of %u by frame of domain 0x10: rc %ld, status %d, %u words otherwise",
           N_COPY_BAD, rc, ((const gnttab_copy_t *)d_copy_bad_va)[0].status,
           words_changed(d_copy_bad_va, COPY_BAD_WORD));
}

static void phase_copy_4k(void)
{
    unsigned int bad = 0, same;
    long rc;

    memset((void *)copy_dst_va, 0, 4096);
    begin();
    rc = gnttab_op(GNTTABOP_copy, (const void *)region_va(R_COPY_4K), N_COPY_4K);
    end();
    for (unsigned int p = 0; p < 5; p++)
        for (unsigned int i = 0; i < 4096 / sizeof(gnttab_copy_t); i++)
            bad += ((const gnttab_copy_t *)d_copy_4k_va[p])[i].status != GNTST_okay;
    same = !memcmp((const void *)copy_src_va, (const void *)copy_dst_va, 4096);
    check_long("grant copy 4 KiB batch", 0, rc);
    check_long("grant copy 4 KiB entries not GNTST_okay", 0, bad);
    check_long("grant copy 4 KiB: destination equals source", 1, same);
    answer("grant copy of %u x 4 KiB between two frames: rc %ld, %u not okay, %s", N_COPY_4K, rc,
           bad, same ? "destination equals source" : "destination DIFFERS");
}

static void phase_mc(void)
{
    const multicall_entry_t *n = (const multicall_entry_t *)d_nested_va;
    unsigned int nested_bad = 0;
    bool preempted;
    long rc;

    mc_mmu_done = mc_ext_done = 0;
    begin();
    rc = hc_multicall((multicall_entry_t *)region_va(R_MC), N_MC);
    end();
    for (unsigned int i = 0; i < 64; i++)
        nested_bad += (i >= 2 && (long)mc0[i].result != -XEN_EINVAL) +
                      ((long)n[i].result != -XEN_EINVAL);
    /* A preempted entry holds its continuation: the rest of its batch,
     * flagged MMU_UPDATE_PREEMPTED. */
    preempted = mc0[0].args[1] & MMU_UPDATE_PREEMPTED;
    check_long("multicall", 0, rc);
    check_long("multicall: mmu_update entry", 0, (long)mc0[0].result);
    check_long("multicall: mmu_update entry done", N_MC_MMU, mc_mmu_done);
    check_long("multicall: mmu_update entry preempted and resumed", 1, preempted);
    check_long("multicall: mmuext_op entry", 0, (long)mc0[1].result);
    check_long("multicall: mmuext_op entry done", N_MC_EXT, mc_ext_done);
    check_long("multicall: nested entries not -EINVAL", 0, nested_bad);
    answer("multicall of %u entries: rc %ld", N_MC, rc);
    answer("multicall: mmu_update entry of %u: rc %ld, done %u, %s", N_MC_MMU, (long)mc0[0].result,
           mc_mmu_done, preempted ? "preempted and resumed" : "never preempted");
    answer("multicall: mmuext_op entry of %u: rc %ld, done %u", N_MC_EXT, (long)mc0[1].result,
           mc_ext_done);
    answer("multicall: nested multicall entries -EINVAL, %u otherwise", nested_bad);
}

static long reservation(unsigned long cmd, unsigned long list, unsigned long n)
{
    struct xen_memory_reservation r = { .nr_extents = n, .domid = DOMID_SELF };

    set_xen_guest_handle(r.extent_start, (xen_pfn_t *)list);
    return hc_memory_op(cmd, &r);
}

static long current_reservation(void)
{
    domid_t self = DOMID_SELF;

    return hc_memory_op(XENMEM_current_reservation, &self);
}

/* Every free frame (the unmapped pfns) given back in one call whose list
 * is as long as Xen allows, ended by an mfn beyond RAM; one extent more
 * and Xen refuses the whole call; then the frames come back. */
static void phase_mem(void)
{
    unsigned long base = mapped_pages(), *p2m = (unsigned long *)test_start_info->mfn_list;
    long cur = current_reservation(), over, rc, pop;

    nr_free = test_start_info->nr_pages - base;
    if (nr_free > EXT_SLOTS - 1)
        nr_free = EXT_SLOTS - 1;
    for (unsigned long i = 0; i < EXT_SLOTS; i++)
        ext[i] = i < nr_free ? p2m[base + i] : MFN_BEYOND_RAM;

    over = reservation(XENMEM_decrease_reservation, region_va(R_MEM), MAX_EXTENTS + 1);
    check_long("decrease_reservation of 2^26 extents (one more than Xen can resume)", 0, over);
    begin();
    rc = reservation(XENMEM_decrease_reservation, region_va(R_MEM), MAX_EXTENTS);
    end();
    check_long("decrease_reservation of 2^26-1 extents", (long)nr_free, rc);
    check_long("current_reservation after the decrease", cur - rc, current_reservation());
    for (unsigned long i = 0; i < nr_free; i++)
        ext[i] = base + i;
    pop = reservation(XENMEM_populate_physmap, (unsigned long)ext, nr_free);
    check_long("populate_physmap of the same pfns", (long)nr_free, pop);
    for (long i = 0; i < pop; i++)
        p2m[base + i] = ext[i];
    check_long("current_reservation after the populate", cur, current_reservation());
    answer("decrease_reservation of 2^26 extents: %ld", over);
    answer("decrease_reservation of 2^26-1 extents (%lu own, then an mfn beyond RAM): %ld", nr_free,
           rc);
    answer("populate_physmap of the %lu pfns: %ld", nr_free, pop);
}

static long console_write(enum region r, unsigned int bytes)
{
    return hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, bytes, region_va(r));
}

static void phase_cons_cr(void)
{
    long rc;

    begin();
    rc = console_write(R_CONS_CR, N_CONS_CR);
    end();
    check_long("console_io write of carriage returns", 0, rc);
    answer("console_io write of %u carriage returns: rc %ld", N_CONS_CR, rc);
}

static void phase_cons_text(void)
{
    long rc;

    begin();
    rc = console_write(R_CONS_TEXT, N_CONS_TEXT);
    end();
    check_long("console_io write of text", 0, rc);
    answer("console_io write of %u bytes of text lines: rc %ld", N_CONS_TEXT, rc);
}

static const struct phase {
    const char *name;
    void (*run)(void);
} phases[] = {
    { "baseline", phase_baseline },
    { "set_trap_table", phase_trap },
    { "mmu_update", phase_mmu },
    { "mmuext_op", phase_ext },
    { "grant_map", phase_map },
    { "grant_unmap", phase_unmap },
    { "grant_copy_bad", phase_copy_bad },
    { "grant_copy_4k", phase_copy_4k },
    { "multicall", phase_mc },
    { "memory_op", phase_mem },
    { "console_cr", phase_cons_cr },
    { "console_text", phase_cons_text },
};

static void run_phase(const struct phase *p)
{
    struct late_stats st;

    phase_name = p->name;
    p->run();
    late_window(phase_t0, phase_t1, &st);
    printk("preempt-attacker: %s took %lu ms; self lateness: worst %lu us, p99 %lu us, "
           "%lu wakeups\n",
           p->name, (phase_t1 - phase_t0) / MS, st.max / US, st.p99 / US, st.n);
    /* A phase shorter than a period may have no wakeup: no figure. */
    if (st.n) {
        printk("bench: self_late_%s_max_ns %lu\n", p->name, st.max);
        printk("bench: self_late_%s_p99_ns %lu\n", p->name, st.p99);
    }
    phase_no++;
}

/* --- The victim's phase board --------------------------------------------------- */

static int board_setup(void)
{
    xen_pfn_t frame = 0;
    gnttab_setup_table_t st = { .dom = DOMID_SELF, .nr_frames = 1 };
    unsigned long table_va = alias_page(), board_va = alias_page();
    uint64_t t0;

    set_xen_guest_handle(st.frame_list, &frame);
    if (!table_va || !board_va || gnttab_op(GNTTABOP_setup_table, &st, 1) ||
        st.status != GNTST_okay ||
        hc_update_va_mapping(table_va, mfn_pte(frame, PTE_RW_FLAGS), UVMF_INVLPG)) {
        test_error("preempt-attacker: cannot set up the grant table for the phase board");
        return -1;
    }
    board = (struct phase_board *)board_va;
    board->magic = BOARD_MAGIC;
    grant_set((grant_entry_v1_t *)table_va, BOARD_GREF, VICTIM_DOMID, va_to_mfn(board_va),
              GTF_permit_access);
    t0 = system_time_ns();
    while (!board->victim_ready) {
        if (system_time_ns() - t0 > VICTIM_WAIT) {
            test_error("preempt-attacker: no victim mapped the phase board in %lu ms",
                       VICTIM_WAIT / MS);
            return -1;
        }
        sched_yield_vcpu();
    }
    printk("preempt-attacker: victim ready\n");
    return 0;
}

/* The victim copies the board before we end: our teardown unmaps it. */
static void board_finish(void)
{
    uint64_t t0 = system_time_ns();

    __atomic_thread_fence(__ATOMIC_RELEASE);
    board->done = 1;
    while (!board->victim_done) {
        if (system_time_ns() - t0 > VICTIM_WAIT) {
            test_error("preempt-attacker: the victim never took the phase board");
            return;
        }
        sched_yield_vcpu();
    }
}

void test_main(void)
{
    char buf[8];

    with_victim = test_cmdline_value("victim", buf, sizeof(buf)) && !strcmp(buf, "1");
    if (!shared_info_map()) {
        test_error("preempt-attacker: no shared_info");
        return;
    }
    if (!check_long("set_trap_table", 0, traps_install()) ||
        !check_long("event callback", 0, events_install()))
        return;
    if (build_all())
        return;
    if (with_victim && board_setup())
        return;
    if (check_long("timer", 0, late_timer_start(PERIOD))) {
        vcpu0()->evtchn_upcall_mask = 0;
        for (unsigned int i = 0; i < ARRAY_SIZE(phases); i++)
            run_phase(&phases[i]);
        vcpu0()->evtchn_upcall_mask = 1;
        late_timer_stop();
        printk("preempt-attacker: %u phases done, %lu timer wakeups (%lu not recorded)\n", phase_no,
               late_count(), late_dropped());
    }
    /* Even after a failure: the victim waits for it. */
    if (board)
        board_finish();
}
