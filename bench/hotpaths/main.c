// SPDX-License-Identifier: MIT
/*
 * Hot-path microbenchmarks, run unchanged on Xenolith and on Xen 4.17:
 * the hypercall round trip, page-table updates (one, batched, emulated),
 * the batch loops per entry (a null multicall, TLB flushes in mmuext_op),
 * an event sent to ourselves and delivered through the upcall, and the
 * grant operations a backend does per request (a map and unmap of a
 * granted page, a 4 KiB grant copy), on a grant to ourselves. Each
 * prints "bench: <name> <cycles per operation>" (rdtsc, median of runs);
 * bench/run turns the two hypervisors' lines into ratios.
 */
#include <stdint.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/version.h>
#include "tests/guest-lib/grant.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "common/array_size.h"

const char test_title[] = "bench-hotpaths";

#define RUNS       7
#define ITERS      2000
#define BATCH      32
/* The null batches: ITERS is a whole number of them. */
#define NULL_BATCH 40

typedef void bench_fn(unsigned int iters);

static uint64_t win_pte, win_maddr;
static volatile uint64_t *win_alias;       /* the window's L1 entry, read-only mapped */
static evtchn_port_t send_port, recv_port; /* the two ends of a loopback channel */

/* A page granted to ourselves: dom0 is domain 0 on both hypervisors. */
#define SELF_ID   0
#define GREF      8
#define SCR_TABLE 1 /* the grant table's frame */
#define SCR_WIN   2 /* where the grant is mapped (its own mapping is lost) */
#define SCR_DATA  3 /* the granted page */
#define SCR_DEST  4 /* the copy's destination */

static void null_hypercall(unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        (void)hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0);
}

static void update_va(unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        (void)hc_update_va_mapping(scratch_va(0), win_pte, UVMF_INVLPG | UVMF_LOCAL);
}

static void mmu_update_single(unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        (void)mmu_update_one(win_maddr, win_pte, NULL);
}

/* Per entry, in batches of BATCH requests. */
static void mmu_update_batched(unsigned int n)
{
    static mmu_update_t req[BATCH];

    for (unsigned int i = 0; i < BATCH; i++)
        req[i] = (mmu_update_t){ win_maddr, win_pte };
    for (unsigned int i = 0; i < n; i += BATCH)
        (void)hc_mmu_update(req, BATCH, NULL, DOMID_SELF);
}

/*
 * The batch loops' own cost per entry, where the preemption check sits:
 * a multicall of xen_version(XENVER_version) entries, and an mmuext_op of
 * MMUEXT_TLB_FLUSH_LOCAL ops.
 */
static void multicall_null(unsigned int n)
{
    static multicall_entry_t mc[NULL_BATCH];

    /* Only results are written back: nothing here is ever preempted
     * inside an entry, which would rewrite it. */
    for (unsigned int j = 0; j < NULL_BATCH; j++)
        mc[j] = (multicall_entry_t){ .op = __HYPERVISOR_xen_version, .args = { XENVER_version } };
    for (unsigned int i = 0; i < n; i += NULL_BATCH)
        (void)hc_multicall(mc, NULL_BATCH);
}

static void mmuext_flush_batched(unsigned int n)
{
    static struct mmuext_op op[NULL_BATCH];

    for (unsigned int j = 0; j < NULL_BATCH; j++)
        op[j] = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    for (unsigned int i = 0; i < n; i += NULL_BATCH)
        (void)hc_mmuext_op(op, NULL_BATCH, NULL, DOMID_SELF);
}

static void ptwr_store(unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        *win_alias = win_pte;
}

/* Send on a loopback channel and wait for the upcall to count it. */
static void event_loopback(unsigned int n)
{
    evtchn_send_t send = { .port = send_port };

    for (unsigned int i = 0; i < n; i++) {
        unsigned long before = port_hits[recv_port];
        (void)hc_event_channel_op(EVTCHNOP_send, &send);
        while (port_hits[recv_port] == before)
            ;
    }
}

static int16_t grant_map_unmap_once(void)
{
    gnttab_map_grant_ref_t map = { .host_addr = scratch_va(SCR_WIN),
                                   .flags = GNTMAP_host_map,
                                   .ref = GREF,
                                   .dom = SELF_ID };
    gnttab_unmap_grant_ref_t unmap = { .host_addr = scratch_va(SCR_WIN) };

    (void)gnttab_op(GNTTABOP_map_grant_ref, &map, 1);
    if (map.status != GNTST_okay)
        return map.status;
    unmap.handle = map.handle;
    (void)gnttab_op(GNTTABOP_unmap_grant_ref, &unmap, 1);
    return unmap.status;
}

static void grant_map_unmap(unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        (void)grant_map_unmap_once();
}

static int16_t grant_copy_once(void)
{
    gnttab_copy_t op = {
        .source = { .u.ref = GREF, .domid = SELF_ID },
        .dest = { .u.gmfn = va_to_mfn(scratch_va(SCR_DEST)), .domid = DOMID_SELF },
        .len = 4096,
        .flags = GNTCOPY_source_gref,
    };

    (void)gnttab_op(GNTTABOP_copy, &op, 1);
    return op.status;
}

static void grant_copy(unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        (void)grant_copy_once();
}

static const struct bench {
    const char *name;
    bench_fn *fn;
} benches[] = {
    { "null_hypercall", null_hypercall },
    { "update_va_mapping", update_va },
    { "mmu_update_single", mmu_update_single },
    { "mmu_update_batched_per_entry", mmu_update_batched },
    { "multicall_null_per_entry", multicall_null },
    { "mmuext_flush_batched_per_entry", mmuext_flush_batched },
    { "ptwr_emulated_store", ptwr_store },
    { "event_loopback", event_loopback },
    { "grant_map_unmap", grant_map_unmap },
    { "grant_copy_4k", grant_copy },
};

static uint64_t median(uint64_t *v, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++)
        for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

/* The grant table mapped, GREF granting SCR_DATA to ourselves, and both
 * grant benchmarks' operations answering GNTST_okay. */
static int grant_setup(void)
{
    xen_pfn_t frame = 0;
    gnttab_setup_table_t st = { .dom = DOMID_SELF, .nr_frames = 1 };
    int16_t rc;

    set_xen_guest_handle(st.frame_list, &frame);
    if (gnttab_op(GNTTABOP_setup_table, &st, 1) || st.status != GNTST_okay || !frame ||
        hc_update_va_mapping(scratch_va(SCR_TABLE), mfn_pte(frame, PTE_RW_FLAGS), UVMF_INVLPG))
        return -1;
    grant_set((grant_entry_v1_t *)scratch_va(SCR_TABLE), GREF, SELF_ID,
              va_to_mfn(scratch_va(SCR_DATA)), GTF_permit_access);
    rc = grant_map_unmap_once();
    if (rc == GNTST_okay)
        rc = grant_copy_once();
    if (rc != GNTST_okay)
        printk("bench: grant operations answer GNTST %d\n", rc);
    return rc == GNTST_okay ? 0 : -1;
}

static int setup(void)
{
    evtchn_alloc_unbound_t alloc = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    evtchn_bind_interdomain_t bind = { .remote_dom = DOMID_SELF };
    unsigned long l1_va;

    win_maddr = pte_maddr(scratch_va(0), 1);
    win_pte = mfn_pte(va_to_mfn(scratch_va(0)), PTE_RW_FLAGS);
    l1_va = win_maddr ? mfn_to_va(win_maddr >> 12) : 0;
    if (!l1_va)
        return -1;
    win_alias = (volatile uint64_t *)(l1_va + (win_maddr & 0xfff));
    if (traps_install() || !shared_info_map() || events_install())
        return -1;
    if (hc_event_channel_op(EVTCHNOP_alloc_unbound, &alloc))
        return -1;
    bind.remote_port = alloc.port;
    if (hc_event_channel_op(EVTCHNOP_bind_interdomain, &bind))
        return -1;
    send_port = alloc.port; /* sending here signals the bound end */
    recv_port = bind.local_port;
    vcpu0()->evtchn_upcall_mask = 0;
    return grant_setup();
}

void test_main(void)
{
    if (setup()) {
        test_error("bench: setup failed");
        return;
    }
    for (unsigned int b = 0; b < ARRAY_SIZE(benches); b++) {
        uint64_t runs[RUNS];

        benches[b].fn(ITERS / 10); /* warm up */
        for (unsigned int r = 0; r < RUNS; r++) {
            uint64_t t0 = rdtsc_now();
            benches[b].fn(ITERS);
            runs[r] = (rdtsc_now() - t0) / ITERS;
        }
        printk("bench: %s %llu\n", benches[b].name, (unsigned long long)median(runs, RUNS));
    }
}
