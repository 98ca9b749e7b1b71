/* SPDX-License-Identifier: MIT */
/*
 * page_type_model suite: seeded random pin/unpin/update/CR3 get/put and raw
 * guest writes, checked after every step against a reference model that
 * keeps its own copy of every entry the guest wrote and recomputes, from
 * scratch, which tables are validated (reachable from pins and CR3s) and
 * every count; pt_audit is a second oracle. A failed operation must leave
 * everything unchanged. Each seed ends with pt_relinquish, which must free
 * every frame exactly once.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "hypercall/continuation.h"
#include "page_type_fake.h"
#include "arch/x86/pte.h"
#include "unit.h"

#define DOM      1
#define DOM2     2
#define NR_DOM   24 /* frames 1..24 are DOM's */
#define FOREIGN  25 /* 25, 26: DOM2's; 27..: free */
#define NR_SLOTS 6
#define SEEDS    20
#define STEPS    2000

static const unsigned int slots[NR_SLOTS] = { 0, 1, 2, 3, 272, 273 };
static const struct pt_owner d = { .id = DOM, .io_caps = false, .hv_l4 = fake_hv_l4 };

/* The model: what the guest wrote, what it pinned, which CR3s it holds. */
static uint64_t shadow[FAKE_FRAMES][NR_SLOTS];
static unsigned int pinned[FAKE_FRAMES];   /* 0, or the pinned level */
static unsigned int ext[FAKE_FRAMES];      /* CR3-style L4 references */
static unsigned int level_of[FAKE_FRAMES]; /* recomputed: 0 = not a table */

static uint64_t rng;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned int pick(unsigned int n)
{
    return (unsigned int)(rnd() % n);
}

/* Entries compared without the bits validation may add. */
static uint64_t norm(uint64_t e)
{
    return (e & PTE_P) ? e & ~(PTE_US | PTE_G | PTE_A | PT_GUEST_KERNEL) : e;
}

static uint64_t random_entry(uint64_t self)
{
    unsigned int r = pick(100);
    uint64_t mfn, f = 0;

    if (r < 70)
        mfn = 1 + pick(NR_DOM);
    else if (r < 78)
        mfn = FOREIGN + pick(2);
    else if (r < 82)
        mfn = 30 + pick(4); /* free */
    else if (r < 85)
        mfn = 0x4000 + pick(4); /* untracked */
    else
        mfn = self;
    if (pick(100) < 88)
        f |= PTE_P;
    if (pick(100) < 40)
        f |= PTE_RW;
    if (pick(100) < 30)
        f |= PTE_US;
    if (pick(100) < 30)
        f |= PTE_A | (pick(2) ? PTE_D : 0);
    if (pick(100) < 4)
        f |= PTE_PSE;
    if (pick(100) < 4)
        f |= PTE_PCD;
    if (pick(100) < 4)
        f |= PTE_G;
    if (pick(100) < 4)
        f |= 1ULL << 62;
    if (pick(100) < 5)
        f |= PTE_NX | (1ULL << 9);
    return (mfn << PAGE_SHIFT) | f;
}

static unsigned int slot_index(unsigned int slot)
{
    unsigned int i;

    for (i = 0; i < NR_SLOTS; i++)
        if (slots[i] == slot)
            return i;
    return NR_SLOTS;
}

static void model_reset(void)
{
    uint64_t i;

    fake_reset();
    for (i = 1; i <= NR_DOM; i++)
        fake_alloc(i, DOM);
    fake_alloc(FOREIGN, DOM2);
    fake_alloc(FOREIGN + 1, DOM2);
    memset(shadow, 0, sizeof(shadow));
    memset(pinned, 0, sizeof(pinned));
    memset(ext, 0, sizeof(ext));
    memset(level_of, 0, sizeof(level_of));
}

static bool fail(const char *what, unsigned int seed, unsigned int step, uint64_t mfn,
                 long long want, long long got)
{
    char msg[200];

    snprintf(msg, sizeof(msg), "seed %u step %u mfn %llu: %s: expected %lld, got %lld", seed, step,
             (unsigned long long)mfn, what, want, got);
    return unit_check_true(__FILE__, __LINE__, msg, false, NULL, false);
}

/* Recomputes validated tables and every count from the model alone, using
 * the implementation's type only to tell linear entries from normal ones. */
static bool model_check(unsigned int seed, unsigned int step)
{
    static uint32_t count[FAKE_FRAMES], tcount[FAKE_FRAMES];
    static int linear[FAKE_FRAMES], lin_out[FAKE_FRAMES], lin_in[FAKE_FRAMES];
    unsigned int work[FAKE_FRAMES * 8], nwork = 0, k;
    uint64_t f;

    memset(level_of, 0, sizeof(level_of));
    memset(count, 0, sizeof(count));
    memset(tcount, 0, sizeof(tcount));
    memset(linear, 0, sizeof(linear));
    memset(lin_out, 0, sizeof(lin_out));
    memset(lin_in, 0, sizeof(lin_in));
    for (f = 0; f < FAKE_FRAMES; f++) {
        if (pinned[f])
            work[nwork++] = (unsigned int)(f << 3 | pinned[f]);
        if (ext[f])
            work[nwork++] = (unsigned int)(f << 3 | 4);
    }
    while (nwork) {
        unsigned int w = work[--nwork], lvl = w & 7;
        uint64_t t = w >> 3;

        if (level_of[t] == lvl)
            continue;
        if (level_of[t])
            return fail("frame reachable at two levels", seed, step, t, level_of[t], lvl);
        level_of[t] = lvl;
        if (lvl == 1)
            continue;
        for (k = 0; k < NR_SLOTS; k++) {
            uint64_t e = shadow[t][k], x = pte_mfn(e);

            if (!(e & PTE_P) || x == t)
                continue;
            if (x >= FAKE_FRAMES)
                return fail("table entry names an untracked frame", seed, step, t, 0, x);
            work[nwork++] = (unsigned int)(x << 3 |
                                           (fake_page[x].type == PGT_L1 + lvl - 1 ? lvl : lvl - 1));
        }
    }

    for (f = 1; f <= NR_DOM; f++) {
        count[f] += 1 + !!pinned[f] + ext[f];
        tcount[f] += !!pinned[f] + ext[f];
        if (!level_of[f])
            continue;
        for (k = 0; k < NR_SLOTS; k++) {
            uint64_t e = shadow[f][k], x = pte_mfn(e);

            if (!(e & PTE_P))
                continue;
            if (x < 1 || x > NR_DOM)
                return fail("validated entry names a frame not the domain's", seed, step, f, 0, x);
            if (level_of[f] == 1) {
                count[x]++;
                if (e & PTE_RW) {
                    tcount[x]++;
                    if (level_of[x])
                        return fail("page table mapped writable", seed, step, x, 0, 1);
                }
                continue;
            }
            if (x == f)
                continue;
            count[x]++;
            tcount[x]++;
            if (level_of[x] == level_of[f]) {
                linear[f]++;
                linear[x]--;
                lin_out[f]++;
                lin_in[x]++;
                if (e & PTE_RW)
                    return fail("writable linear entry", seed, step, f, 0, 1);
            }
        }
    }

    for (f = 0; f < FAKE_FRAMES; f++) {
        const struct page_info *pg = &fake_page[f];
        unsigned int want_type;

        if (f == 0 || f > NR_DOM) {
            bool dom2 = f == FOREIGN || f == FOREIGN + 1;

            if (pg->count != (dom2 ? 1u : 0u) || pg->type_count)
                return fail("frame outside the domain touched", seed, step, f, dom2, pg->count);
            continue;
        }
        if (lin_out[f] && lin_in[f])
            return fail("linear chain through", seed, step, f, 0, lin_in[f]);
        want_type = level_of[f] ? PGT_L1 + level_of[f] - 1 : tcount[f] ? PGT_WRITABLE : PGT_NONE;
        if (pg->count != count[f])
            return fail("general count", seed, step, f, count[f], pg->count);
        if (pg->type_count != tcount[f])
            return fail("type count", seed, step, f, tcount[f], pg->type_count);
        if (pg->type != want_type)
            return fail("type", seed, step, f, want_type, pg->type);
        if (pg->linear != linear[f])
            return fail("linear count", seed, step, f, linear[f], pg->linear);
        if (!!(pg->flags & PGF_VALIDATED) != !!level_of[f])
            return fail("validated", seed, step, f, !!level_of[f], pg->flags);
        if (!!(pg->flags & PGF_PINNED) != !!pinned[f])
            return fail("pinned", seed, step, f, !!pinned[f], pg->flags);
        for (k = 0; k < NR_SLOTS; k++)
            if (norm(fake_mem[f][slots[k]]) != norm(shadow[f][k]))
                return fail("entry", seed, step, f, (long long)shadow[f][k],
                            (long long)fake_mem[f][slots[k]]);
        if (level_of[f] == 4 && fake_mem[f][256] != fake_hv_l4[256])
            return fail("hypervisor slot", seed, step, f, (long long)fake_hv_l4[256],
                        (long long)fake_mem[f][256]);
    }
    return true;
}

static bool audit_check(unsigned int seed, unsigned int step)
{
    uint64_t refs[64];
    unsigned int n = 0, i;
    uint64_t f;
    char why[200];

    for (f = 0; f < FAKE_FRAMES; f++)
        for (i = 0; i < ext[f] && n < 64; i++)
            refs[n++] = f;
    if (pt_audit(DOM, FAKE_FRAMES, refs, n, why, sizeof(why)) == 0)
        return true;
    return fail(why, seed, step, 0, 0, -XEN_EINVAL);
}

/* Coverage: successful pins, present updates, linear entries; rejections. */
static unsigned int nr_pins, nr_updates, nr_linear, nr_rejects;

/*
 * The preempted run: every operation goes through its preemptible form
 * with page_type_preempt_check() saying stop every few checks. Each one is
 * re-issued while it answers -ERESTART, and an owed demotion is carried on
 * to the end, as the hypercalls do, before the model looks: the outcome
 * must be exactly the unpreempted one.
 */
static bool preempted_run;
static unsigned int nr_restarts, nr_owed;

#define RETRY_LIMIT 100000

static void drain_owed(uint64_t owed)
{
    if (!owed)
        return;
    nr_owed++;
    for (unsigned int n = 0; page_put_partial(owed, true) == -XEN_ERESTART; n++)
        if (n > RETRY_LIMIT)
            return;
    page_put(owed);
}

static int do_update(uint64_t f, unsigned int slot, uint64_t e, unsigned int flags, uint64_t *old)
{
    uint64_t owed = 0;
    int rc;

    if (!preempted_run)
        return pt_update_entry(f, slot, e, &d, flags, old);
    for (unsigned int n = 0; n < RETRY_LIMIT; n++, nr_restarts++)
        if ((rc = pt_update_entry_preemptible(f, slot, e, &d, flags, old, &owed)) != -XEN_ERESTART)
            break;
    drain_owed(owed);
    return rc;
}

static int do_pin(uint64_t f, enum page_type t)
{
    uint64_t owed = 0;
    int rc;

    if (!preempted_run)
        return pt_pin(f, t, &d, false, NULL);
    for (unsigned int n = 0; n < RETRY_LIMIT; n++, nr_restarts++)
        if ((rc = pt_pin(f, t, &d, true, &owed)) != -XEN_ERESTART)
            break;
    drain_owed(owed);
    return rc;
}

static int do_unpin(uint64_t f)
{
    uint64_t owed = 0;
    int rc;

    if (!preempted_run)
        return pt_unpin(f, &d, false, NULL);
    rc = pt_unpin(f, &d, true, &owed);
    drain_owed(owed);
    return rc;
}

/* A CR3-style L4 reference, as NEW_BASEPTR takes and drops it. */
static int do_get_root(uint64_t f)
{
    bool owed = false;
    int rc;

    if (!preempted_run)
        return page_get_and_type(f, PGT_L4, &d);
    if (page_get(f, DOM))
        return -XEN_EINVAL;
    for (unsigned int n = 0; n < RETRY_LIMIT; n++, nr_restarts++)
        if ((rc = page_get_type_preemptible(f, PGT_L4, &d, &owed)) != -XEN_ERESTART)
            break;
    if (rc && owed)
        drain_owed(f);
    else if (rc)
        page_put(f);
    return rc;
}

static void do_put_root(uint64_t f)
{
    if (!preempted_run) {
        page_put_and_type(f);
        return;
    }
    if (page_put_type_preemptible(f))
        drain_owed(f);
    else
        page_put(f);
}

static struct page_info before[FAKE_FRAMES];
static uint64_t before_mem[FAKE_FRAMES][NR_SLOTS];

static bool step_once(unsigned int seed, unsigned int step)
{
    unsigned int op = pick(100), k;
    uint64_t f = 1 + pick(NR_DOM + 3); /* sometimes foreign or free */
    int rc, want = 1;                  /* 1: either outcome allowed */
    uint64_t old = 0;

    memcpy(before, fake_page, sizeof(before));
    for (k = 0; k < FAKE_FRAMES * NR_SLOTS; k++)
        before_mem[k / NR_SLOTS][k % NR_SLOTS] = fake_mem[k / NR_SLOTS][slots[k % NR_SLOTS]];

    if (op < 25) {
        /* The guest writes a frame it may write: one that is not a table. */
        if (f > NR_DOM || level_of[f])
            return true;
        k = pick(NR_SLOTS);
        shadow[f][k] = random_entry(f);
        fake_mem[f][slots[k]] = shadow[f][k];
        return true;
    }
    if (op < 62) {
        unsigned int slot = pick(20) ? slots[pick(NR_SLOTS)] : 256 + pick(16);
        uint64_t t, nt = 0;

        /* Mostly tables: updates of anything else are one rejection path. */
        for (t = 1; t <= NR_DOM; t++)
            if (level_of[t] && pick(++nt) == 0)
                f = pick(5) ? t : f;
        unsigned int flags = pick(4) ? 0 : PT_UPDATE_PRESERVE_AD;
        uint64_t e = random_entry(f);

        k = slot_index(slot);
        if (k == NR_SLOTS && f <= NR_DOM && level_of[f] && level_of[f] != 4)
            return true; /* an L1-L3 slot the model does not track */
        if (f > NR_DOM || !level_of[f] || (level_of[f] == 4 && k == NR_SLOTS))
            want = -XEN_EINVAL;
        else if (!(e & PTE_P))
            want = 0;
        else if (level_of[f] == 1 && !(e & (PTE_RW | PTE_PCD | PTE_PWT | PTE_PAT)) &&
                 pte_mfn(e) >= 1 && pte_mfn(e) <= NR_DOM)
            want = 0;
        rc = do_update(f, slot, e, flags, &old);
        if (!rc && (e & PTE_P))
            nr_updates++;
        if (!rc && (e & PTE_P) && pte_mfn(e) != f && pte_mfn(e) < FAKE_FRAMES &&
            fake_page[pte_mfn(e)].type == PGT_L1 + level_of[f] - 1)
            nr_linear++;
        if (!rc) {
            if (k == NR_SLOTS)
                return fail("update of an untracked slot succeeded", seed, step, f, 0, slot);
            if (norm(old) != norm(shadow[f][k]))
                return fail("old entry", seed, step, f, (long long)shadow[f][k], (long long)old);
            shadow[f][k] = e | ((flags & PT_UPDATE_PRESERVE_AD) ? old & (PTE_A | PTE_D) : 0);
            if ((fake_mem[f][slot] & (PTE_A | PTE_D)) != (shadow[f][k] & (PTE_A | PTE_D)) &&
                (level_of[f] != 4 || !(e & PTE_P)))
                return fail("A/D bits", seed, step, f, (long long)shadow[f][k],
                            (long long)fake_mem[f][slot]);
        }
    } else if (op < 77) {
        unsigned int lvl = 1 + pick(4);

        if (f <= NR_DOM && pinned[f])
            want = -XEN_EINVAL;
        else if (f > NR_DOM)
            want = -XEN_EINVAL;
        rc = do_pin(f, PGT_L1 + lvl - 1);
        if (!rc)
            pinned[f] = lvl, nr_pins++;
    } else if (op < 87) {
        want = f <= NR_DOM && pinned[f] ? 0 : -XEN_EINVAL;
        rc = do_unpin(f);
        if (!rc)
            pinned[f] = 0;
    } else if (op < 93) {
        rc = do_get_root(f);
        if (!rc)
            ext[f]++;
    } else {
        for (f = 1; f <= NR_DOM && !ext[f]; f++)
            ;
        if (f > NR_DOM)
            return true;
        do_put_root(f);
        ext[f]--;
        rc = 0;
    }

    if (want != 1 && rc != want)
        return fail("result", seed, step, f, want, rc);
    if (rc) {
        nr_rejects++;
        if (memcmp(before, fake_page, sizeof(before)))
            return fail("failed operation changed the bookkeeping", seed, step, f, 0, rc);
        for (k = 0; k < FAKE_FRAMES * NR_SLOTS; k++)
            if (norm(before_mem[k / NR_SLOTS][k % NR_SLOTS]) !=
                norm(fake_mem[k / NR_SLOTS][slots[k % NR_SLOTS]]))
                return fail("failed operation changed an entry", seed, step, k / NR_SLOTS, 0, rc);
    }
    return true;
}

static void run_sequences(void)
{
    unsigned int seed, step;
    uint64_t f;

    nr_pins = nr_updates = nr_linear = nr_rejects = 0;
    for (seed = 1; seed <= SEEDS; seed++) {
        rng = 0x9e3779b97f4a7c15ULL * seed;
        model_reset();
        /* fake_reset turned preemption off; every 1st..5th check stops. */
        if (preempted_run)
            fake_preempt_every = 1 + seed % 5;
        for (step = 0; step < STEPS; step++) {
            if (!step_once(seed, step) || !model_check(seed, step) || !audit_check(seed, step))
                return;
        }
        pt_relinquish(DOM, FAKE_FRAMES);
        for (f = 0; f < FAKE_FRAMES; f++)
            if (fake_released[f] != (f >= 1 && f <= NR_DOM)) {
                fail("releases after relinquish", seed, STEPS, f, f >= 1 && f <= NR_DOM,
                     fake_released[f]);
                return;
            }
        if (fake_page[FOREIGN].count != 1) {
            fail("foreign frame after relinquish", seed, STEPS, FOREIGN, 1,
                 fake_page[FOREIGN].count);
            return;
        }
    }
    /* The sequences must actually exercise something. */
    EXPECT_TRUE(nr_pins > SEEDS * 20);
    EXPECT_TRUE(nr_updates > SEEDS * 50);
    EXPECT_TRUE(nr_linear > SEEDS);
    EXPECT_TRUE(nr_rejects > SEEDS * 100);
    printf("page_type_model%s: %u pins, %u present updates (%u linear), %u rejections\n",
           preempted_run ? " (preempted)" : "", nr_pins, nr_updates, nr_linear, nr_rejects);
}

static void test_random_sequences(void)
{
    preempted_run = false;
    run_sequences();
}

static void test_random_sequences_preempted(void)
{
    preempted_run = true;
    nr_restarts = nr_owed = 0;
    run_sequences();
    preempted_run = false;
    fake_preempt_every = 0;
    /* The preemptible paths must really have been taken. */
    EXPECT_TRUE(nr_restarts > SEEDS * 10);
    EXPECT_TRUE(nr_owed > SEEDS);
    printf("page_type_model (preempted): %u restarts, %u owed demotions carried on\n", nr_restarts,
           nr_owed);
}

static const struct unit_test page_type_model_tests[] = {
    { "random_sequences", test_random_sequences },
    { "random_sequences_preempted", test_random_sequences_preempted },
};

void register_page_type_model_tests(void)
{
    UNIT_SUITE("page_type_model", page_type_model_tests);
}
