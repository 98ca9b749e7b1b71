// SPDX-License-Identifier: MIT
/*
 * bigpin: the most expensive single page-table operation a guest can ask
 * for, a pin of an L4 whose tree is made of every frame it owns: each L1
 * maps one read-only data page 512 times, L2s name the L1s, L3s the L2s,
 * one L4 the L3s. Validating it costs 512 entries per frame, so without
 * preemption the pin would hold the CPU for seconds. The guest keeps a
 * 10 ms periodic timer running with events unmasked and records every
 * upcall: with preemption (Xen's PGT_partial, on both hypervisors) its
 * upcalls keep coming in the middle of its own pin and unpin. It reports
 * the pin's and unpin's answers and durations and the longest stretch
 * without an upcall; it fails only if that stretch exceeds one second, or
 * an answer is not Xen's. Afterwards every frame of the tree must be plain
 * memory again (the unpin's demotion done before the hypercall returned).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/vcpu.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

const char test_title[] = "bigpin";

#define MS          1000000ULL
#define PERIOD      (10 * MS)
#define STALL_LIMIT (1000 * MS)
#define ENTRIES     512
#define S_WIN       0  /* scratch page used as a window */
#define S_DATA      1  /* the page every L1 entry maps */
#define MARGIN      64 /* pfns left alone at the end */

static volatile uint64_t last_upcall, worst_gap, upcalls_seen;
static volatile bool measuring;

static bool on_event(struct cpu_regs *regs)
{
    vcpu_info_t *vi = vcpu0();
    uint64_t now = system_time_ns(), sel;

    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while (sel) {
        unsigned int w = (unsigned int)__builtin_ctzl(sel);

        sel &= sel - 1;
        __atomic_store_n(&shared->evtchn_pending[w], 0, __ATOMIC_SEQ_CST);
    }
    if (measuring) {
        if (last_upcall && now - last_upcall > worst_gap)
            worst_gap = now - last_upcall;
        upcalls_seen++;
    }
    last_upcall = now;
    return true;
}

/* Fills frame mfn with 512 copies of e through the window. */
static bool fill(unsigned long mfn, uint64_t first, uint64_t step, unsigned int n)
{
    volatile uint64_t *w = (volatile uint64_t *)scratch_va(S_WIN);

    if (hc_update_va_mapping(scratch_va(S_WIN), mfn_pte(mfn, PTE_RW_FLAGS), UVMF_INVLPG))
        return false;
    for (unsigned int i = 0; i < ENTRIES; i++)
        w[i] = i < n ? first + (uint64_t)i * step : 0;
    return true;
}

static long timed_mmuext(unsigned int cmd, unsigned long mfn, uint64_t *ns)
{
    uint64_t t0 = system_time_ns();
    long rc = mmuext_one(cmd, mfn, 0, NULL);

    *ns = system_time_ns() - t0;
    return rc;
}

void test_main(void)
{
    vcpu_set_periodic_timer_t per = { .period_ns = PERIOD };
    evtchn_bind_virq_t bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    unsigned long avail, n1, n2, n3, first, pfn;
    uint64_t data_pte, pin_ns, unpin_ns;
    unsigned long l4;
    long rc;

    if (!shared_info_map() || !check_long("set_trap_table", 0, traps_install()) ||
        !check_long("event callback", 0, event_callback_register(true)))
        return;
    trap_set_handler(VEC_EVENT, on_event);
    avail = test_start_info->nr_pages - mapped_pages();
    if (avail < 1024 + MARGIN) {
        test_error("bigpin: only %lu unmapped pages", avail);
        return;
    }
    /* n1 L1s, n2 = ceil(n1/512) L2s, n3 L3s and one L4 fit in avail. */
    n1 = avail - MARGIN - 2 - (avail - MARGIN) / ENTRIES - 1;
    n2 = (n1 + ENTRIES - 1) / ENTRIES;
    n3 = (n2 + ENTRIES - 1) / ENTRIES;
    first = mapped_pages();
    data_pte = mfn_pte(va_to_mfn(scratch_va(S_DATA)), PTE_RO_FLAGS);

    for (unsigned long k = 0; k < n1; k++)
        if (!fill(pfn_to_mfn(first + k), data_pte, 0, ENTRIES))
            goto no_fill;
    for (unsigned long k = 0; k < n2; k++) {
        unsigned long nk = n1 - k * ENTRIES < ENTRIES ? n1 - k * ENTRIES : ENTRIES;

        if (!fill(pfn_to_mfn(first + n1 + k), 0, 0, 0))
            goto no_fill;
        for (unsigned long i = 0; i < nk; i++)
            ((volatile uint64_t *)scratch_va(S_WIN))[i] = mfn_pte(
                pfn_to_mfn(first + k * ENTRIES + i), PTE_TABLE_FLAGS);
    }
    for (unsigned long k = 0; k < n3; k++) {
        unsigned long nk = n2 - k * ENTRIES < ENTRIES ? n2 - k * ENTRIES : ENTRIES;

        if (!fill(pfn_to_mfn(first + n1 + n2 + k), 0, 0, 0))
            goto no_fill;
        for (unsigned long i = 0; i < nk; i++)
            ((volatile uint64_t *)scratch_va(S_WIN))[i] = mfn_pte(
                pfn_to_mfn(first + n1 + k * ENTRIES + i), PTE_TABLE_FLAGS);
    }
    pfn = first + n1 + n2 + n3;
    l4 = pfn_to_mfn(pfn);
    if (!fill(l4, 0, 0, 0))
        goto no_fill;
    for (unsigned long i = 0; i < n3; i++)
        ((volatile uint64_t *)scratch_va(S_WIN))[i] = mfn_pte(pfn_to_mfn(first + n1 + n2 + i),
                                                              PTE_TABLE_FLAGS);
    /* No writable mapping of the tree may remain. */
    if (hc_update_va_mapping(scratch_va(S_WIN), mfn_pte(va_to_mfn(scratch_va(S_WIN)), PTE_RW_FLAGS),
                             UVMF_INVLPG)) {
        test_error("bigpin: cannot restore the window");
        return;
    }
    printk("bigpin: tree of %lu L1, %lu L2, %lu L3 and 1 L4 (%lu entries to validate)\n", n1, n2,
           n3, n1 * ENTRIES + n2 + n3);

    if (!check_long("bind_virq VIRQ_TIMER", 0, hc_event_channel_op(EVTCHNOP_bind_virq, &bv)) ||
        !check_long("set_periodic_timer", 0, hc_vcpu_op(VCPUOP_set_periodic_timer, 0, &per)))
        return;
    vcpu0()->evtchn_upcall_mask = 0;
    measuring = true;
    rc = timed_mmuext(MMUEXT_PIN_L4_TABLE, l4, &pin_ns);
    check_long("pin of the whole tree", 0, rc);
    rc = timed_mmuext(MMUEXT_UNPIN_TABLE, l4, &unpin_ns);
    measuring = false;
    vcpu0()->evtchn_upcall_mask = 1;
    check_long("unpin of the whole tree", 0, rc);
    hc_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);

    /* Every frame is plain memory again: each takes a writable mapping. */
    check_long("the L4 maps writable after the unpin", 0,
               hc_update_va_mapping(scratch_va(S_WIN), mfn_pte(l4, PTE_RW_FLAGS), UVMF_INVLPG));
    check_long("an L1 maps writable after the unpin", 0,
               hc_update_va_mapping(scratch_va(S_WIN), mfn_pte(pfn_to_mfn(first), PTE_RW_FLAGS),
                                    UVMF_INVLPG));
    hc_update_va_mapping(scratch_va(S_WIN), mfn_pte(va_to_mfn(scratch_va(S_WIN)), PTE_RW_FLAGS),
                         UVMF_INVLPG);

    printk("bigpin: pin %llu ms, unpin %llu ms, %llu upcalls during them, "
           "longest stretch without one %llu ms\n",
           (unsigned long long)(pin_ns / MS), (unsigned long long)(unpin_ns / MS),
           (unsigned long long)upcalls_seen, (unsigned long long)(worst_gap / MS));
    if (worst_gap > STALL_LIMIT || (pin_ns > STALL_LIMIT && !upcalls_seen))
        test_failure("bigpin: events stalled for %llu ms during the pin (limit %llu ms)",
                     (unsigned long long)(worst_gap / MS), (unsigned long long)(STALL_LIMIT / MS));
    return;

no_fill:
    test_error("bigpin: cannot map a frame of the tree writable to fill it");
}
