// SPDX-License-Identifier: MIT
/*
 * hcall-fuzz generator for grant_table_op: map, unmap, copy and the table
 * sub-ops, with the read-back of each entry's status.
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

/* --- grant_table_op (20) ------------------------------------------------------------ */
/* The last frames each of our first 16 grant entries named. */
#define GREF_HIST 4
static uint64_t gref_hist[16][GREF_HIST];

/* Rewrites one of our first 16 grant entries: to ourselves mostly, of a
 * frame random calls may write (writable grants) or read (read-only). */
void grant_randomize(unsigned int ref);
void grant_randomize(unsigned int ref)
{
    grant_entry_v1_t *e = &gnt_table[ref & 15];
    uint64_t x = rnd_below(100);
    uint16_t flags;
    const struct frame *f;

    if (x < 60)
        flags = GTF_permit_access;
    else if (x < 82)
        flags = GTF_permit_access | GTF_readonly;
    else if (x < 87)
        flags = 0;
    else if (x < 92)
        flags = GTF_permit_access | GTF_sub_page;
    else
        flags = (uint16_t)rnd() & ~(GTF_reading | GTF_writing | GTF_readonly);
    f = (flags & GTF_readonly) || !(flags & GTF_permit_access) ? pick_frame(U_READ)
                                                               : pick_frame(U_WRITE);
    /* A granted frame is read by copies (pools.c). Never a safe frame,
     * not even read-only: an entry rewritten while pinned read-only and
     * then mapped writable maps the frame it was pinned with, on both
     * hypervisors. */
    if (cmp_mode)
        f = clean_source(f);
    if (f->role == R_SAFE || f->role == R_ALIAS)
        f = role_frame(R_PLAY, f->index);
    e->frame = (uint32_t)f->mfn;
    memmove(&gref_hist[ref & 15][1], &gref_hist[ref & 15][0], (GREF_HIST - 1) * sizeof(uint64_t));
    gref_hist[ref & 15][0] = f->mfn;
    e->domid = chance(75) ? 0 : (domid_t)pick_domid();
    __atomic_thread_fence(__ATOMIC_RELEASE); /* frame and domid before the flags */
    e->flags = flags;
}

#define STATUS_POISON (-12345)

uint64_t post_sum;
/* Grant mappings that may still hold a maptrack handle. */
static unsigned int maps_live;
#define MAPS_BUDGET 480
char post_desc[48];

/* The statuses of a batch of grant operations, compared like results,
 * and listed for the trace. */
static void sum_status(int16_t status)
{
    size_t n = strlen(post_desc);

    post_sum = (post_sum ^ (uint16_t)status) * 0x100000001b3ULL;
    if (n < sizeof(post_desc) - 8)
        snprintf(post_desc + n, sizeof(post_desc) - n, "%s%d", n ? "," : "", status);
}

static void post_map(const struct call *c, long rc)
{
    const struct gnttab_map_grant_ref *m = c->post_arg;

    for (unsigned int k = 0; k < c->post_count; k++) {
        sum_status(m[k].status);
        /* A mapping whose status could not be written back is counted. */
        if (m[k].status == GNTST_okay || (rc != 0 && m[k].status == STATUS_POISON))
            maps_live++;
        if (m[k].status == GNTST_okay) {
            track_add(&handles, m[k].handle);
        }
    }
}

static void post_unmap(const struct call *c, long rc)
{
    const struct gnttab_unmap_grant_ref *u = c->post_arg;

    for (unsigned int k = 0; k < c->post_count; k++) {
        sum_status(u[k].status);
        /* A batch that failed (a status it could not write back, say) may
         * have freed handles without saying so, which each hypervisor
         * hands out again in its own order: forget them all. */
        if (u[k].status == GNTST_okay && rc == 0 && maps_live)
            maps_live--;
        if (u[k].status == GNTST_okay || rc != 0)
            track_del(&handles, u[k].handle);
    }
}

static void post_copy(const struct call *c, long rc)
{
    const struct gnttab_copy *g = c->post_arg;

    (void)rc;
    for (unsigned int k = 0; k < c->post_count; k++)
        sum_status(g[k].status);
}

static void *gen_gnt_map(struct call *c, unsigned int built)
{
    struct gnttab_map_grant_ref *m = xp_alloc((built ? built : 1) * sizeof(*m), 8);

    for (unsigned int k = 0; k < built; k++) {
        static const uint32_t fl[] = {
            GNTMAP_host_map,
            GNTMAP_host_map,
            GNTMAP_host_map | GNTMAP_readonly,
            GNTMAP_host_map | GNTMAP_application_map,
            GNTMAP_host_map | GNTMAP_contains_pte,
            GNTMAP_host_map | GNTMAP_contains_pte | GNTMAP_readonly,
            GNTMAP_device_map,
            GNTMAP_device_map | GNTMAP_host_map,
            0,
        };
        SYM(hs);

        memset(&m[k], 0, sizeof(m[k]));
        m[k].flags = chance(90) ? PICK(fl) : (uint32_t)rnd();
        /* A device mapping is Xen's dom0's (no IOMMU: it holds the frame)
         * and refused by Xenolith (docs/abi.md): not in the prefix. */
        if (cmp_mode)
            m[k].flags &= ~GNTMAP_device_map;
        /* Xenolith's maptrack has 512 handles, Xen's grows (docs/abi.md);
         * mappings whose entry was overwritten can never be unmapped. In
         * the compared prefix, maps stop short of Xenolith's limit. */
        if (cmp_mode && maps_live >= MAPS_BUDGET)
            m[k].flags &= ~(uint32_t)(GNTMAP_host_map | GNTMAP_device_map);
        if (m[k].flags & GNTMAP_contains_pte) {
            m[k].host_addr = pick_l1_slot();
        } else if (chance(8)) {
            m[k].host_addr = 0;
            snprintf(pick_sym, sizeof(pick_sym), "0");
        } else {
            m[k].host_addr = pick_play_va();
        }
        snprintf(hs, sizeof(hs), "%s", pick_sym);
        m[k].ref = pick_gref();
        m[k].dom = chance(70) ? 0 : (domid_t)pick_domid();
        m[k].handle = (uint32_t)rnd();
        m[k].dev_bus_addr = rnd();
        m[k].status = STATUS_POISON; /* an entry never reached is no success */
        describe(c, "[%#x %s ref%u dom%#x]", m[k].flags, hs, m[k].ref, m[k].dom);
    }
    c->post = post_map;
    c->post_arg = m;
    c->post_count = built;
    return m;
}

static void *gen_gnt_unmap(struct call *c, unsigned int built, bool replace)
{
    if (replace) {
        struct gnttab_unmap_and_replace *u = xp_alloc((built ? built : 1) * sizeof(*u), 8);

        for (unsigned int k = 0; k < built; k++) {
            u[k].host_addr = pick_play_va();
            SYM(hs);
            u[k].new_addr = chance(80) ? pick_play_va() : 0;
            u[k].handle = pick_handle();
            describe(c, "[%s new=%s h=%s]", hs, u[k].new_addr ? "play" : "0", pick_sym);
        }
        return u;
    }
    struct gnttab_unmap_grant_ref *u = xp_alloc((built ? built : 1) * sizeof(*u), 8);

    for (unsigned int k = 0; k < built; k++) {
        memset(&u[k], 0, sizeof(u[k]));
        u[k].host_addr = chance(30) ? pick_l1_slot() : chance(10) ? 0 : pick_play_va();
        SYM(hs);
        u[k].dev_bus_addr = chance(70) ? 0 : pick_frame(U_READ)->mfn << 12;
        u[k].handle = pick_handle();
        u[k].status = STATUS_POISON;
        describe(c, "[%s bus=%s %s]", hs, u[k].dev_bus_addr ? "frame" : "0", pick_sym);
    }
    c->post = post_unmap;
    c->post_arg = u;
    c->post_count = built;
    return u;
}

static void *gen_gnt_copy(struct call *c, unsigned int built)
{
    struct gnttab_copy *g = xp_alloc((built ? built : 1) * sizeof(*g), 8);

    for (unsigned int k = 0; k < built; k++) {
        static const uint16_t lens[] = { 0, 1, 8, 512, 4095, 4096, 4097, 0xffff };
        char ss[64], dsym[64];

        memset(&g[k], 0, sizeof(g[k]));
        g[k].flags = (uint16_t)rnd_below(4);
        if (chance(3))
            g[k].flags = (uint16_t)rnd();
        if (g[k].flags & GNTCOPY_source_gref) {
            g[k].source.u.ref = pick_gref();
        } else {
            g[k].source.u.gmfn = pick_frame(U_READ)->mfn;
        }
        snprintf(ss, sizeof(ss), "%s", pick_sym);
        if (g[k].flags & GNTCOPY_dest_gref) {
            g[k].dest.u.ref = pick_gref();
            /* The frame the entry names now, or one it named when a map
             * pinned it. */
            if (g[k].dest.u.ref < 16)
                for (unsigned int h = 0; h < GREF_HIST; h++)
                    taint_add(gref_hist[g[k].dest.u.ref][h], T_MFN | T_JUNK);
        } else {
            g[k].dest.u.gmfn = pick_frame(U_WRITE)->mfn;
            taint_add(g[k].dest.u.gmfn, T_MFN | T_JUNK);
        }
        snprintf(dsym, sizeof(dsym), "%s", pick_sym);
        g[k].source.domid = chance(70) ? DOMID_SELF : chance(50) ? 0 : (domid_t)pick_domid();
        g[k].dest.domid = chance(70) ? DOMID_SELF : chance(50) ? 0 : (domid_t)pick_domid();
        g[k].source.offset = (uint16_t)(chance(70) ? rnd_below(PAGE) & ~7 : rnd());
        g[k].dest.offset = (uint16_t)(chance(70) ? rnd_below(PAGE) & ~7 : rnd());
        g[k].len = chance(70) ? (uint16_t)rnd_below(PAGE) : PICK(lens);
        describe(c, "[%#x %s/%#x+%#x -> %s/%#x+%#x len %u]", g[k].flags, ss, g[k].source.domid,
                 g[k].source.offset, dsym, g[k].dest.domid, g[k].dest.offset, g[k].len);
    }
    c->post = post_copy;
    c->post_arg = g;
    c->post_count = built;
    return g;
}

void gen_grant_table_op(struct call *c, bool in_mc)
{
    static const unsigned int cmp_cmds[] = {
        GNTTABOP_map_grant_ref,
        GNTTABOP_map_grant_ref,
        GNTTABOP_map_grant_ref,
        GNTTABOP_unmap_grant_ref,
        GNTTABOP_unmap_grant_ref,
        GNTTABOP_copy,
        GNTTABOP_copy,
        GNTTABOP_setup_table,
        GNTTABOP_query_size,
        GNTTABOP_set_version,
        GNTTABOP_get_version,
        13,
        0x7ff,
    };
    static const unsigned int xen_cmds[] = {
        GNTTABOP_dump_table,        GNTTABOP_transfer,       GNTTABOP_unmap_and_replace,
        GNTTABOP_get_status_frames, GNTTABOP_swap_grant_ref, GNTTABOP_cache_flush,
    };
    unsigned int cmd = (!cmp_mode && chance(15)) ? PICK(xen_cmds) : PICK(cmp_cmds);
    unsigned int n = chance(85) ? 1 + (unsigned int)rnd_below(3) : 0;
    uint64_t count = n ? n : pick_count();
    unsigned int built = n ? n : (unsigned int)(count < 3 ? count : 3);
    uint64_t cmdword = cmd;
    void *obj = NULL;
    size_t esz = 8;
    char as[64];

    (void)in_mc;
    c->nr = __HYPERVISOR_grant_table_op;
    if (lay.grant_mfn && chance(30))
        for (unsigned int k = 1 + (unsigned int)rnd_below(2); k; k--)
            grant_randomize((unsigned int)rnd_below(16));
    describe(c, "grant_table_op %u count=%#lx", cmd, (unsigned long)count);
    /* In the compared prefix, a count beyond the built entries reads the
     * guard page, not other objects' bytes taken for entries (which may
     * remap the very pages the batch is read from). */
    xp_force_end = cmp_mode && count > built;
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        obj = gen_gnt_map(c, built);
        esz = sizeof(struct gnttab_map_grant_ref);
        break;
    case GNTTABOP_unmap_grant_ref:
        obj = gen_gnt_unmap(c, built, false);
        esz = sizeof(struct gnttab_unmap_grant_ref);
        break;
    case GNTTABOP_unmap_and_replace:
        obj = gen_gnt_unmap(c, built, true);
        esz = sizeof(struct gnttab_unmap_and_replace);
        break;
    case GNTTABOP_copy:
        obj = gen_gnt_copy(c, built);
        esz = sizeof(struct gnttab_copy);
        break;
    case GNTTABOP_setup_table: {
        static const uint32_t nf[] = { 0, 1, 2, 4, 32, 64, 65, 0xffffffff };
        struct gnttab_setup_table *s = xp_alloc(sizeof(*s), 8);

        obj = s;
        esz = sizeof(*s);

        s->dom = chance(70) ? DOMID_SELF : (domid_t)pick_domid();
        s->nr_frames = chance(80) ? PICK(nf) : (uint32_t)rnd();
        s->status = (int16_t)rnd();
        s->frame_list.p = (xen_pfn_t *)pick_ptr(P_OUT, 8 * 4);
        describe(c, "dom=%#x frames=%u list=%s", s->dom, s->nr_frames, pick_sym);
        break;
    }
    case GNTTABOP_query_size: {
        struct gnttab_query_size *q = xp_alloc(sizeof(*q), 8);

        obj = q;
        esz = sizeof(*q);

        q->dom = chance(70) ? DOMID_SELF : (domid_t)pick_domid();
        describe(c, "dom=%#x", q->dom);
        break;
    }
    case GNTTABOP_set_version: {
        static const uint32_t v[] = { 0, 1, 1, 2, 3, 0xffffffff };
        struct gnttab_set_version *s = xp_alloc(sizeof(*s), 4);

        obj = s;
        esz = sizeof(*s);

        s->version = PICK(v);
        describe(c, "v=%u", s->version);
        break;
    }
    case GNTTABOP_get_version: {
        struct gnttab_get_version *g = xp_alloc(sizeof(*g), 4);

        obj = g;
        esz = sizeof(*g);

        g->dom = chance(70) ? DOMID_SELF : (domid_t)pick_domid();
        describe(c, "dom=%#x", g->dom);
        break;
    }
    case GNTTABOP_dump_table: {
        struct gnttab_dump_table *d = xp_alloc(sizeof(*d), 4);

        obj = d;
        esz = sizeof(*d);

        d->dom = chance(70) ? DOMID_SELF : (domid_t)pick_domid();
        break;
    }
    case GNTTABOP_transfer: {
        struct gnttab_transfer *t = xp_alloc(sizeof(*t), 8);

        obj = t;
        esz = sizeof(*t);

        t->mfn = pick_extent_frame();
        t->domid = (domid_t)pick_domid();
        t->ref = pick_gref();
        break;
    }
    default: {
        uint64_t *w = xp_alloc(64, 8);

        obj = w;
        esz = sizeof(*w);

        for (unsigned int k = 0; k < 8; k++)
            w[k] = chance(50) ? rnd_below(64) : rnd() & ~1UL;
        break;
    }
    }
    if (chance(3)) {
        cmdword |= (rnd_below(8) + 1) << 12;
        describe(c, "cmd=%#lx", (unsigned long)cmdword);
        c->masked = false;
    }
    c->a[0] = cmdword;
    c->a[1] = obj_or_ptr(obj, esz, P_INOUT, 8, as);
    c->a[2] = count;
    if (c->a[1] != (uint64_t)obj) {
        c->post = NULL;
        describe(c, "arg=%s", as);
    }
}
