/* SPDX-License-Identifier: MIT */
/*
 * Page-type operations driven by the input, as a guest drives them through
 * mmu_update, mmuext_op and its own writes: raw writes to frames that are
 * not tables, entry updates at every level, pins, unpins, CR3-style root
 * references, each either whole or preemptible with preemption every few
 * checks, with abandoned pins left partial and the vCPU's owed demotion
 * carried on step by step while L1 updates go on beside it (as
 * update_va_mapping and the writable-page-table emulation may). After every
 * step the PV invariants are checked twice: by pt_audit, and by an
 * independent scan here (no writable mapping of any typed table, no
 * superpages, linear entries read-only and one level deep, every entry's
 * frame the domain's). At the end everything is let go and every frame of
 * the domain must be freed exactly once, the other domain's untouched.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/xen.h>

#include "hypercall/continuation.h"
#include "frames/page_type.h"
#include "arch/x86/pte.h"
#include "tests/fuzz/fuzz_check.h"
#include "common/array_size.h"

#define FRAMES    48
#define DOM       1
#define DOM2      2
#define NR_DOM    32 /* frames 1..32 are DOM's */
#define FOREIGN   33 /* 33..36 DOM2's, the rest free */
#define MAX_OPS   256
#define MAX_ROOTS 8

static struct page_info pages[FRAMES];
static uint64_t mem[FRAMES][PT_ENTRIES];
static unsigned int released[FRAMES];
static uint64_t hv_l4[PT_ENTRIES];
static unsigned int preempt_every, preempt_calls;
static const struct pt_owner d = { .id = DOM, .io_caps = false, .hv_l4 = hv_l4 };

struct page_info *mfn_to_page(uint64_t mfn)
{
    return mfn < FRAMES ? &pages[mfn] : NULL;
}
uint64_t *map_table(uint64_t mfn)
{
    return mfn < FRAMES ? mem[mfn] : NULL;
}

void page_release_frame(uint64_t mfn)
{
    released[mfn]++;
    pages[mfn].owner = DOMID_INVALID;
    pages[mfn].flags = 0;
}

bool page_type_preempt_check(void)
{
    return preempt_every && ++preempt_calls % preempt_every == 0;
}

/* --- The input ------------------------------------------------------------------ */

static const uint8_t *in;
static size_t in_len;

static unsigned int byte(void)
{
    if (!in_len)
        return 0;
    in_len--;
    return *in++;
}

static const unsigned int slots[] = { 0, 1, 2, 3, 5, 255, 256, 271, 272, 300, 511 };

static unsigned int pick_slot(void)
{
    return slots[byte() % (ARRAY_SIZE(slots))];
}
static uint64_t pick_frame(void)
{
    return byte() % (FRAMES + 2);
}

static uint64_t pick_entry(void)
{
    unsigned int f = byte(), m = byte();
    uint64_t mfn = m < 200   ? 1 + m % NR_DOM
                   : m < 230 ? FOREIGN + m % 4
                   : m < 245 ? 40 + m % 8
                             : 0x4000 + m % 4;
    uint64_t flags = 0;

    if (f & 1)
        flags |= PTE_P;
    if (f & 2)
        flags |= PTE_RW;
    if (f & 4)
        flags |= PTE_US;
    if (f & 8)
        flags |= PTE_A | PTE_D;
    if ((f & 0x70) == 0x10)
        flags |= PTE_PSE;
    if ((f & 0x70) == 0x20)
        flags |= PTE_PCD;
    if ((f & 0x70) == 0x30)
        flags |= PTE_G | PTE_NX;
    if ((f & 0x70) == 0x40)
        flags |= 1ULL << 62;
    return pte_make(mfn, flags | (f >= 0xf0 ? PTE_P : 0));
}

/* --- What the guest holds ------------------------------------------------------- */

static uint64_t roots[MAX_ROOTS]; /* CR3-style L4 references */
static unsigned int nr_roots;
static uint64_t owed; /* the vCPU's old_guest_table, 0: none */

static void owe(uint64_t mfn)
{
    FUZZ_CHECK(!owed || !mfn, "a second owed demotion (%llu) while %llu is owed",
               (unsigned long long)mfn, (unsigned long long)owed);
    if (mfn)
        owed = mfn;
}

/* One preemptible step of the owed demotion. */
static void drain_step(void)
{
    if (owed && page_put_partial(owed, true) == 0) {
        page_put(owed);
        owed = 0;
    }
}

static bool is_table(const struct page_info *pg)
{
    return pg->type >= PGT_L1 && pg->type <= PGT_L4;
}

static bool holds_entries(const struct page_info *pg)
{
    return is_table(pg) && (pg->flags & (PGF_VALIDATED | PGF_PARTIAL));
}

/* --- The invariants, independently of page_type.c ------------------------------- */

static bool has_linear_entries(uint64_t t)
{
    const struct page_info *pg = &pages[t];
    unsigned int end = (pg->flags & PGF_PARTIAL) ? pg->nr_validated : PT_ENTRIES;

    for (unsigned int i = 0; i < end; i++) {
        uint64_t e = mem[t][i], m = pte_mfn(e);

        if (pg->type == PGT_L4 && i >= 256 && i <= 271)
            continue;
        if ((e & PTE_P) && m != t && m < FRAMES && pages[m].type == pg->type)
            return true;
    }
    return false;
}

static void check_invariants(void)
{
    char why[200];
    uint64_t held[1] = { owed };

    FUZZ_CHECK(
        pt_audit_holding(DOM, FRAMES, roots, nr_roots, held, owed ? 1 : 0, why, sizeof(why)) == 0,
        "%s", why);
    for (uint64_t t = 0; t < FRAMES; t++) {
        const struct page_info *pg = &pages[t];
        unsigned int level = pg->type - PGT_L1 + 1, end;

        if (pg->owner != DOM || !holds_entries(pg))
            continue;
        end = (pg->flags & PGF_PARTIAL) ? pg->nr_validated : PT_ENTRIES;
        FUZZ_CHECK(!(pg->flags & PGF_PARTIAL) || level > 1, "partial L1 %llu",
                   (unsigned long long)t);
        for (unsigned int i = 0; i < end; i++) {
            uint64_t e = mem[t][i], m = pte_mfn(e);

            if (!(e & PTE_P) || (level == 4 && i >= 256 && i <= 271))
                continue;
            FUZZ_CHECK(m < FRAMES && pages[m].owner == DOM,
                       "frame %llu slot %u maps %llu, not the domain's", (unsigned long long)t, i,
                       (unsigned long long)m);
            if (level == 1) {
                FUZZ_CHECK(!(e & PTE_RW) || pages[m].type == PGT_WRITABLE,
                           "L1 %llu slot %u maps %llu writable, typed %u", (unsigned long long)t, i,
                           (unsigned long long)m, pages[m].type);
                continue;
            }
            FUZZ_CHECK(!(e & PTE_PSE), "superpage in L%u %llu slot %u", level,
                       (unsigned long long)t, i);
            if (m != t && pages[m].type == pg->type) {
                FUZZ_CHECK(!(e & PTE_RW), "writable linear entry %llu slot %u",
                           (unsigned long long)t, i);
                FUZZ_CHECK(!has_linear_entries(m), "linear chain %llu -> %llu",
                           (unsigned long long)t, (unsigned long long)m);
            } else if (m != t) {
                FUZZ_CHECK(pages[m].type == pg->type - 1 && (pages[m].flags & PGF_VALIDATED),
                           "L%u %llu slot %u names %llu, type %u", level, (unsigned long long)t, i,
                           (unsigned long long)m, pages[m].type);
            } else {
                FUZZ_CHECK(!(e & PTE_RW), "writable self-reference %llu", (unsigned long long)t);
            }
        }
    }
}

/* --- One step --------------------------------------------------------------------- */

static int retried(int (*op)(void *), void *arg, bool preempt)
{
    int rc;
    unsigned int n = 0;

    preempt_every = preempt ? 1 + byte() % 5 : 0;
    while ((rc = op(arg)) == -XEN_ERESTART && n++ < 100000)
        ;
    FUZZ_CHECK(rc != -XEN_ERESTART, "an operation that never finished");
    return rc;
}

struct upd {
    uint64_t f, e, *owed;
    unsigned int slot, flags;
};

static int do_update(void *a)
{
    struct upd *u = a;
    uint64_t old, o = 0;
    int rc = pt_update_entry_preemptible(u->f, u->slot, u->e, &d, u->flags, &old, &o);

    *u->owed = o;
    return rc;
}

struct pin {
    uint64_t f, *owed;
    enum page_type t;
};

static int do_pin(void *a)
{
    struct pin *p = a;

    return pt_pin(p->f, p->t, &d, true, p->owed);
}

static void step(void)
{
    unsigned int op = byte() % 10;
    uint64_t f = pick_frame(), o = 0;

    if (owed) {
        /* Nothing but L1 work and the owed demotion until it is done. */
        if (op < 6) {
            drain_step();
        } else if (f < FRAMES && pages[f].type == PGT_L1 && (pages[f].flags & PGF_VALIDATED)) {
            (void)pt_update_entry(f, pick_slot(), pick_entry(), &d, 0, NULL);
        }
        return;
    }
    switch (op) {
    case 0:
    case 1: /* the guest's own write */
        if (f >= 1 && f <= NR_DOM && pages[f].type_count == 0)
            mem[f][pick_slot()] = pick_entry();
        break;
    case 2:
    case 3: {
        struct upd u = { .f = f,
                         .slot = pick_slot(),
                         .e = pick_entry(),
                         .flags = byte() & 1 ? PT_UPDATE_PRESERVE_AD : 0,
                         .owed = &o };

        if (byte() & 1) {
            (void)retried(do_update, &u, true);
            owe(o);
        } else {
            (void)pt_update_entry(u.f, u.slot, u.e, &d, u.flags, NULL);
        }
        break;
    }
    case 4: {
        struct pin p = { .f = f, .t = (enum page_type)(PGT_L1 + byte() % 4), .owed = &o };

        if (byte() & 1) {
            (void)retried(do_pin, &p, true);
            owe(o);
        } else {
            (void)pt_pin(f, p.t, &d, false, NULL);
        }
        break;
    }
    case 5:
        if (byte() & 1) {
            preempt_every = 1 + byte() % 5;
            (void)pt_unpin(f, &d, true, &o);
            owe(o);
        } else {
            (void)pt_unpin(f, &d, false, NULL);
        }
        break;
    case 6: /* NEW_BASEPTR's reference */
        if (nr_roots < MAX_ROOTS && f < FRAMES && !page_get(f, DOM)) {
            bool partial;

            preempt_every = 1 + byte() % 5;
            int rc;
            while ((rc = page_get_type_preemptible(f, PGT_L4, &d, &partial)) == -XEN_ERESTART)
                ;
            if (!rc)
                roots[nr_roots++] = f;
            else if (partial)
                owe(f);
            else
                page_put(f);
        }
        break;
    case 7:
        if (nr_roots) {
            uint64_t r = roots[--nr_roots];

            preempt_every = 1 + byte() % 5;
            if (page_put_type_preemptible(r))
                owe(r);
            else
                page_put(r);
        }
        break;
    case 8: /* a pin abandoned after one piece */
        preempt_every = 1 + byte() % 3;
        (void)pt_pin(f, (enum page_type)(PGT_L2 + byte() % 3), &d, true, &o);
        owe(o);
        break;
    default:
        break;
    }
    preempt_every = 0;
}

static void reset(void)
{
    memset(pages, 0, sizeof(pages));
    memset(mem, 0, sizeof(mem));
    memset(released, 0, sizeof(released));
    for (unsigned int i = 0; i < FRAMES; i++)
        pages[i].owner = DOMID_INVALID;
    for (unsigned int i = 256; i < 272; i++)
        hv_l4[i] = pte_make(0x100000 + i, PTE_P | PTE_RW | PTE_A | PTE_D);
    for (unsigned int i = 1; i < FOREIGN + 4; i++)
        pages[i] = (struct page_info){ .count = 1,
                                       .owner = i <= NR_DOM ? DOM : DOM2,
                                       .flags = PGF_ALLOCATED };
    nr_roots = 0;
    owed = 0;
    preempt_every = preempt_calls = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reset();
    in = data;
    in_len = size;
    for (unsigned int n = 0; n < MAX_OPS && in_len; n++) {
        step();
        check_invariants();
    }
    /* Let go of everything a guest holds, as teardown does. */
    while (owed)
        drain_step();
    while (nr_roots)
        page_put_and_type(roots[--nr_roots]);
    check_invariants();
    pt_relinquish(DOM, FRAMES);
    for (uint64_t f = 0; f < FRAMES; f++)
        FUZZ_CHECK(released[f] == (f >= 1 && f <= NR_DOM), "frame %llu released %u times",
                   (unsigned long long)f, released[f]);
    for (uint64_t f = FOREIGN; f < FOREIGN + 4; f++)
        FUZZ_CHECK(pages[f].count == 1 && pages[f].type_count == 0,
                   "the other domain's frame %llu touched", (unsigned long long)f);
    return 0;
}
