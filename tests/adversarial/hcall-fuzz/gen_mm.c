// SPDX-License-Identifier: MIT
/*
 * hcall-fuzz generators for the memory hypercalls: mmu_update, mmuext_op,
 * update_va_mapping (and _otherdomain) and memory_op.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <xen/callback.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/nmi.h>
#include <xen/physdev.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/xen.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "gen.h"

/* --- mmu_update (1) ------------------------------------------------------------ */
void gen_mmu_update(struct call *c, bool in_mc)
{
    unsigned int n = chance(85) ? 1 + (unsigned int)rnd_below(6) : 0;
    uint64_t count = n ? n : pick_count();
    unsigned int built = n ? n : (unsigned int)(count < 6 ? count : 6);
    mmu_update_t *req = xp_alloc((built ? built : 1) * sizeof(*req), 8);
    char rs[64], ds[64];
    uint64_t done, fdom;

    (void)in_mc;
    describe(c, "mmu_update count=%#lx", (unsigned long)count);
    for (unsigned int k = 0; k < built; k++) {
        uint64_t x = rnd_below(100), ptr, val;
        const char *what;

        if (x < 76) {
            unsigned int cmd = x < 60   ? MMU_NORMAL_PT_UPDATE
                               : x < 72 ? MMU_PT_UPDATE_PRESERVE_AD
                                        : MMU_PT_UPDATE_NO_TRANSLATE;
            int level;

            pick_level = 0;
            ptr = pick_mmu_ptr();
            level = pick_level ? pick_level : 1 + (int)rnd_below(4);
            SYM(ps);
            /* The slot's table may have become one of another level (or
             * none: the entry is then plain bytes of the frame). */
            pick_as_table = true;
            val = pick_pte(level);
            pick_as_table = false;
            taint_add(ptr >> 12, T_MFN);
            what = cmd == 0 ? "pt" : cmd == 2 ? "pt-ad" : "pt-nt";
            describe(c, "[%s %s=%s]", what, ps, pick_sym);
            ptr |= cmd;
        } else if (x < 92) {
            const struct frame *f = pick_frame(U_M2P);
            SYM(ps);

            val = chance(70) ? rnd_below(test_start_info->nr_pages) : rnd();
            describe(c, "[m2p %s=%#lx]", ps, (unsigned long)val);
            ptr = (f->mfn << 12) | MMU_MACHPHYS_UPDATE;
        } else {
            unsigned int cmd = 4 + (unsigned int)rnd_below(4);

            ptr = pick_mmu_ptr();
            SYM(ps);
            val = rnd();
            describe(c, "[cmd%u %s]", cmd, ps);
            ptr = (ptr & ~7UL) | cmd;
        }
        req[k] = (mmu_update_t){ .ptr = ptr, .val = val };
    }
    c->a[0] = obj_or_ptr(req, sizeof(*req), P_IN, 8, rs);
    done = pick_done(c, ds);
    if (chance(5)) {
        /* Xen's continuation encoding: the done count is read back. */
        uint32_t *d = xp_alloc(4, 4);

        *d = (uint32_t)rnd_below(built + 2);
        count |= 0x80000000UL;
        done = (uint64_t)d;
        c->done = d;
        snprintf(ds, sizeof(ds), "built(%u) preempted", *d);
    }
    fdom = pick_pg_owner(75);
    describe(c, "reqs=%s done=%s dom=%#lx", rs, ds, (unsigned long)fdom);
    c->nr = __HYPERVISOR_mmu_update;
    c->a[1] = count;
    c->a[2] = done;
    c->a[3] = fdom;
}

/* --- mmuext_op (26) ------------------------------------------------------------ */
static void gen_one_mmuext(struct call *c, struct mmuext_op *op)
{
    uint64_t x = rnd_below(100);
    unsigned int cmd;
    char s1[64] = "", s2[64] = "";

    memset(op, 0, sizeof(*op));
    if (x < 20) {
        cmd = MMUEXT_PIN_L1_TABLE + (unsigned int)rnd_below(4);
        op->arg1.mfn = pick_frame(cmp_mode && cmd == MMUEXT_PIN_L4_TABLE ? U_L4 : U_PIN)->mfn;
        snprintf(s1, sizeof(s1), "%s", pick_sym);
    } else if (x < 30) {
        cmd = MMUEXT_UNPIN_TABLE;
        op->arg1.mfn = pick_frame(U_PIN)->mfn;
        snprintf(s1, sizeof(s1), "%s", pick_sym);
    } else if (x < 36) {
        cmd = MMUEXT_NEW_BASEPTR;
        op->arg1.mfn = pick_frame(U_BASEPTR)->mfn;
        snprintf(s1, sizeof(s1), "%s", pick_sym);
    } else if (x < 42) {
        cmd = MMUEXT_NEW_USER_BASEPTR;
        if (chance(25)) {
            op->arg1.mfn = 0;
            snprintf(s1, sizeof(s1), "0");
        } else {
            op->arg1.mfn = pick_frame(cmp_mode ? U_L4 : U_PIN)->mfn;
            snprintf(s1, sizeof(s1), "%s", pick_sym);
        }
    } else if (x < 62) {
        static const unsigned int flushes[] = {
            MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_INVLPG_LOCAL,  MMUEXT_TLB_FLUSH_MULTI,
            MMUEXT_INVLPG_MULTI,    MMUEXT_TLB_FLUSH_ALL, MMUEXT_INVLPG_ALL,
        };
        cmd = PICK(flushes);
        if (cmd == MMUEXT_INVLPG_LOCAL || cmd == MMUEXT_INVLPG_MULTI || cmd == MMUEXT_INVLPG_ALL) {
            op->arg1.linear_addr = pick_play_va();
            snprintf(s1, sizeof(s1), "%s", pick_sym);
        }
        if (cmd == MMUEXT_TLB_FLUSH_MULTI || cmd == MMUEXT_INVLPG_MULTI) {
            if (chance(60)) {
                uint64_t *mask = xp_alloc(8, 8);

                *mask = chance(50) ? 1 : rnd();
                set_xen_guest_handle(op->arg2.vcpumask, (void *)mask);
                snprintf(s2, sizeof(s2), "mask=%#lx", (unsigned long)*mask);
            } else {
                op->arg2.vcpumask.p = (void *)pick_ptr(P_IN, 8);
                snprintf(s2, sizeof(s2), "mask@%s", pick_sym);
            }
        }
    } else if (x < 64) {
        cmd = chance(70) ? MMUEXT_FLUSH_CACHE : MMUEXT_FLUSH_CACHE_GLOBAL;
    } else if (x < 70) {
        static const unsigned int ents[] = { 0, 1, 2, 512, 8191, 8192, 8193, 0x7fffffff };
        cmd = MMUEXT_SET_LDT;
        op->arg1.linear_addr = chance(60) ? pick_play_va() : pick_canonical();
        snprintf(s1, sizeof(s1), "%s", chance(0) ? "" : pick_sym);
        op->arg2.nr_ents = PICK(ents);
        snprintf(s2, sizeof(s2), "ents=%u", op->arg2.nr_ents);
    } else if (x < 80) {
        cmd = MMUEXT_CLEAR_PAGE;
        op->arg1.mfn = pick_frame(U_WRITE)->mfn;
        snprintf(s1, sizeof(s1), "%s", pick_sym);
    } else if (x < 90) {
        cmd = MMUEXT_COPY_PAGE;
        op->arg1.mfn = pick_frame(U_WRITE)->mfn;
        snprintf(s1, sizeof(s1), "%s", pick_sym);
        op->arg2.src_mfn = pick_frame(U_READ)->mfn;
        snprintf(s2, sizeof(s2), "src=%s", pick_sym);
        taint_copy(op->arg1.mfn, op->arg2.src_mfn);
    } else if (x < 94) {
        cmd = chance(50) ? MMUEXT_MARK_SUPER : MMUEXT_UNMARK_SUPER;
        op->arg1.mfn = pick_frame(U_PIN)->mfn;
        snprintf(s1, sizeof(s1), "%s", pick_sym);
    } else {
        cmd = chance(50) ? 14 + (unsigned int)(rnd_below(2) * 7) + (unsigned int)rnd_below(3)
                         : (unsigned int)rnd();
        if (cmd == MMUEXT_NEW_USER_BASEPTR || cmd == MMUEXT_NEW_BASEPTR ||
            (cmd >= MMUEXT_CLEAR_PAGE && cmd <= MMUEXT_UNMARK_SUPER))
            cmd = 14;
        op->arg1.mfn = rnd();
    }
    op->cmd = cmd;
    describe(c, "[%u %s%s%s]", cmd, s1, *s2 ? " " : "", s2);
}

void gen_mmuext_op(struct call *c, bool in_mc)
{
    unsigned int n = chance(85) ? 1 + (unsigned int)rnd_below(4) : 0;
    uint64_t count = n ? n : pick_count();
    unsigned int built = n ? n : (unsigned int)(count < 4 ? count : 4);
    struct mmuext_op *ops = xp_alloc((built ? built : 1) * sizeof(*ops), 8);
    char os[64], ds[64];
    uint64_t done, fdom;

    (void)in_mc;
    describe(c, "mmuext_op count=%#lx", (unsigned long)count);
    for (unsigned int k = 0; k < built; k++)
        gen_one_mmuext(c, &ops[k]);
    c->a[0] = obj_or_ptr(ops, sizeof(*ops), P_IN, 8, os);
    done = pick_done(c, ds);
    if (chance(4)) {
        uint32_t *d = xp_alloc(4, 4);

        *d = (uint32_t)rnd_below(built + 2);
        count |= 0x80000000UL;
        done = (uint64_t)d;
        c->done = d;
        snprintf(ds, sizeof(ds), "built(%u) preempted", *d);
    }
    fdom = pick_pg_owner(80);
    describe(c, "ops=%s done=%s dom=%#lx", os, ds, (unsigned long)fdom);
    c->nr = __HYPERVISOR_mmuext_op;
    c->a[1] = count;
    c->a[2] = done;
    c->a[3] = fdom;
}

/* --- update_va_mapping (14) and _otherdomain (22) ------------------------------- */
static uint64_t pick_uvm_flags(char *symbuf)
{
    uint64_t type = rnd_below(4), f;

    if (chance(60)) {
        f = type | (chance(50) ? UVMF_ALL : UVMF_LOCAL);
        snprintf(symbuf, 64, "%#lx", (unsigned long)f);
    } else if (chance(60)) {
        uint64_t *mask = xp_alloc(8, 8);

        *mask = chance(60) ? 1 : rnd();
        f = (uint64_t)mask | type;
        snprintf(symbuf, 64, "mask(%#lx)|%lu", (unsigned long)*mask, (unsigned long)type);
    } else {
        f = (pick_ptr(P_IN, 8) & ~3UL) | type;
        snprintf(symbuf, 64, "mask@%s|%lu", pick_sym, (unsigned long)type);
    }
    if (chance(3)) {
        f ^= rnd() & 0xffff000000000000UL;
        snprintf(symbuf, 64, "garbage:%#lx", (unsigned long)f);
        if (cmp_mode) /* the flags word may be an address of ours: same on both */
            snprintf(symbuf, 64, "garbage");
    }
    return f;
}

void gen_update_va_mapping(struct call *c, bool in_mc)
{
    char fs[64];

    (void)in_mc;
    c->nr = __HYPERVISOR_update_va_mapping;
    c->a[0] = pick_play_va();
    SYM(vs);
    c->a[1] = pick_pte(1);
    SYM(ps);
    c->a[2] = pick_uvm_flags(fs);
    describe(c, "update_va_mapping %s=%s flags=%s", vs, ps, fs);
}

void gen_uvm_otherdomain(struct call *c, bool in_mc)
{
    gen_update_va_mapping(c, in_mc);
    c->nr = __HYPERVISOR_update_va_mapping_otherdomain;
    c->a[3] = pick_pg_owner(50);
    describe(c, "otherdomain dom=%#lx", (unsigned long)c->a[3]);
}

/* --- memory_op (12) --------------------------------------------------------------- */
/*
 * A frame to give back. Once given back, a frame may come back with a
 * later allocation or not, as each hypervisor's allocator decides: so in
 * the compared prefix only spare frames, each named once, and frames
 * both refuse; beyond it any frame random calls may write.
 */
uint64_t pick_extent_frame(void)
{
    const struct frame *f;

    if (cmp_mode) {
        static unsigned int next_spare;
        uint64_t x = rnd_below(100);

        if (x < 70 && next_spare < nr_spares()) {
            snprintf(pick_sym, sizeof(pick_sym), "spare%u", next_spare);
            return spare_mfn(next_spare++);
        }
        f = role_frame(x < 85 ? R_FOREIGN : R_HUGE, (unsigned int)rnd_below(HUGE_CMP));
        snprintf(pick_sym, sizeof(pick_sym), "%s%u", f->name, f->index);
        return f->mfn;
    }
    f = pick_frame(U_WRITE);

    /* Exchange pages back the generator's inputs: never given away. */
    if (f->role == R_XP)
        f = role_frame(R_PLAY, f->index);
    return f->mfn;
}

static void gen_reservation(struct call *c, unsigned int op)
{
    static const unsigned int orders[] = { 1, 2, 9, 10, 12, 13, 31, 32, 63, 0xffffffff };
    static const unsigned int cmp_orders[] = { 19, 20, 31, 32, 63, 0xffffffff };
    struct xen_memory_reservation *r = xp_alloc(sizeof(*r), 8);
    uint64_t nr = chance(70) ? 1 + rnd_below(4) : pick_count();
    unsigned int built = (unsigned int)(nr < 6 ? nr : 6);
    char ls[64] = "null", rs[64];

    memset(r, 0, sizeof(*r));
    r->nr_extents = nr;
    /* An extent of several frames is the domain's or not depending on how
     * its memory lies in the machine: in the compared prefix, extents to
     * give back are single frames or above the limit (18), which both
     * refuse whole. */
    r->extent_order = chance(75)                                      ? 0
                      : cmp_mode && op == XENMEM_decrease_reservation ? PICK(cmp_orders)
                                                                      : PICK(orders);
    if (chance(80)) {
        r->mem_flags = 0;
    } else if (!cmp_mode && chance(40)) {
        r->mem_flags = (unsigned int)rnd();
    } else {
        /* Address widths that restrict neither machine or refuse on both
         * (docs/abi.md), NUMA requests, populate-on-demand, junk. */
        static const unsigned int extra[] = {
            0,
            XENMEMF_node(0),
            XENMEMF_node(1) | XENMEMF_exact_node_request,
            XENMEMF_exact_node_request,
            XENMEMF_populate_on_demand,
            XENMEMF_vnode | 0x300,
            0x80000000u,
            0x01000000u,
        };
        unsigned int bits = chance(40)   ? 0
                            : chance(50) ? 1 + (unsigned int)rnd_below(12)
                                         : 40 + (unsigned int)rnd_below(216);
        r->mem_flags = bits | PICK(extra);
    }
    r->domid = chance(70) ? DOMID_SELF : (domid_t)pick_domid();
    if (chance(85)) {
        xen_pfn_t *list = xp_alloc((built ? built : 1) * sizeof(*list), 8);

        snprintf(ls, sizeof(ls), "[");
        for (unsigned int k = 0; k < built; k++) {
            if (op == XENMEM_decrease_reservation) {
                list[k] = pick_extent_frame();
                strncat(ls, pick_sym, sizeof(ls) - strlen(ls) - 2);
            } else {
                list[k] = chance(60) ? rnd_below(test_start_info->nr_pages + 64) : rnd();
            }
            strncat(ls, ",", sizeof(ls) - strlen(ls) - 1);
        }
        strncat(ls, "]", sizeof(ls) - strlen(ls) - 1);
        set_xen_guest_handle(r->extent_start, list);
    } else if (chance(50)) {
        r->extent_start.p = (xen_pfn_t *)pick_ptr(P_INOUT, 8);
        snprintf(ls, sizeof(ls), "%s", pick_sym);
    }
    /* An extent whose frame cannot be written back stays the domain's on
     * Xen and is given back on Xenolith (docs/abi.md): in the compared
     * prefix an allocation's list holds every extent, or there is none. */
    if (cmp_mode && op != XENMEM_decrease_reservation && r->extent_start.p) {
        if (ls[0] != '[') {
            set_xen_guest_handle(r->extent_start, NULL);
            snprintf(ls, sizeof(ls), "null");
        } else if (nr > built) {
            r->nr_extents = nr = built;
        }
    }
    c->a[1] = obj_or_ptr(r, sizeof(*r), P_IN, 6, rs);
    describe(c, "nr=%#lx order=%u flags=%#x dom=%#x list=%s arg=%s", (unsigned long)nr,
             r->extent_order, r->mem_flags, r->domid, ls, rs);
}

void gen_memory_op(struct call *c, bool in_mc)
{
    static const unsigned int cmp_ops[] = {
        XENMEM_increase_reservation,
        XENMEM_decrease_reservation,
        XENMEM_populate_physmap,
        XENMEM_increase_reservation,
        XENMEM_decrease_reservation,
        XENMEM_populate_physmap,
        XENMEM_maximum_ram_page,
        XENMEM_current_reservation,
        XENMEM_maximum_reservation,
        XENMEM_machphys_mfn_list,
        XENMEM_maximum_gpfn,
        XENMEM_memory_map,
        XENMEM_machine_memory_map,
        29,
        63,
    };
    /* Sub-ops Xenolith answers -ENOSYS (docs/abi.md): beyond the prefix. */
    static const unsigned int xen_ops[] = {
        XENMEM_exchange,
        XENMEM_machphys_mapping,
        XENMEM_add_to_physmap,
        XENMEM_remove_from_physmap,
        XENMEM_set_memory_map,
        XENMEM_set_pod_target,
        XENMEM_get_pod_target,
        18,
        19 /* get_sharing_freed/shared_pages */,
        20,
        21,
        22 /* paging, access, sharing */,
        XENMEM_add_to_physmap_batch,
        24 /* claim_pages */,
        XENMEM_machphys_compat_mfn_list,
        26 /* get_vnumainfo */,
        27 /* reserved_device_memory_map */,
        28 /* acquire_resource */,
    };
    unsigned int op = (!cmp_mode && chance(25)) ? PICK(xen_ops) : PICK(cmp_ops);
    uint64_t cmd = op;
    char as[64];

    (void)in_mc;
    c->nr = __HYPERVISOR_memory_op;
    describe(c, "memory_op %u", op);
    if (chance(4)) {
        /* Xen's continuation encoding: an extent to start from. */
        cmd |= (chance(50) ? rnd_below(8) : rnd() >> 6) << 6;
        describe(c, "cmd=%#lx", (unsigned long)cmd);
    }
    c->a[0] = cmd;
    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        gen_reservation(c, op);
        return;
    case XENMEM_maximum_ram_page:
        c->masked = true; /* the machine's size */
        c->a[1] = rnd();
        return;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn: {
        domid_t *d = xp_alloc(2, 2);

        *d = chance(60) ? DOMID_SELF : (domid_t)pick_domid();
        c->a[1] = obj_or_ptr(d, 2, P_IN, 10, as);
        describe(c, "dom=%#x arg=%s", *d, as);
        return;
    }
    case XENMEM_machphys_mfn_list: {
        static const unsigned int maxes[] = { 0, 1, 4, 64, 65, 0x7fffffff, 0xffffffff };
        struct xen_machphys_mfn_list *l = xp_alloc(sizeof(*l), 8);

        l->max_extents = PICK(maxes);
        l->nr_extents = (unsigned int)rnd();
        l->extent_start.p = (xen_pfn_t *)pick_ptr(P_OUT, 8 * 4);
        describe(c, "max=%u list=%s", l->max_extents, pick_sym);
        c->a[1] = obj_or_ptr(l, sizeof(*l), P_INOUT, 10, as);
        describe(c, "arg=%s", as);
        return;
    }
    case XENMEM_memory_map:
    case XENMEM_machine_memory_map: {
        static const unsigned int cmp_n[] = { 0, 64, 128, 0x7fffffff, 0xffffffff };
        struct xen_memory_map *m = xp_alloc(sizeof(*m), 8);

        m->nr_entries = cmp_mode || chance(50) ? PICK(cmp_n) : (unsigned int)rnd_below(12);
        if (chance(15)) {
            m->buffer.p = NULL;
            describe(c, "n=%u buf=null", m->nr_entries);
        } else if (cmp_mode && chance(70)) {
            /* How many entries the machine's map has is the machine's:
             * room for any map, or none at all. */
            m->buffer.p = (void *)(chance(80) ? (uint64_t)out_page[rnd_below(2)]
                                              : pick_hostile_va());
            describe(c, "n=%u buf=out", m->nr_entries);
        } else if (cmp_mode) {
            m->buffer.p = (void *)(uint64_t)xp_ro[rnd_below(NXP)];
            describe(c, "n=%u buf=xp_ro", m->nr_entries);
        } else {
            m->buffer.p = (void *)pick_ptr(P_OUT, 20 * 16);
            describe(c, "n=%u buf=%s", m->nr_entries, pick_sym);
        }
        c->a[1] = obj_or_ptr(m, sizeof(*m), P_INOUT, 10, as);
        describe(c, "arg=%s", as);
        return;
    }
    default:
        c->a[1] = pick_ptr(P_INOUT, 64);
        describe(c, "arg=%s", pick_sym);
        return;
    }
}
