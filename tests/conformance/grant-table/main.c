// SPDX-License-Identifier: MIT
/*
 * grant-table: v1 grant tables, granting to ourselves (dom0 is domain 0 on
 * Xen and on Xenolith): setup_table and query_size, map_grant_ref and
 * unmap_grant_ref by virtual address and by PTE machine address, the
 * GTF_reading/GTF_writing protocol (a revoke fails while mapped), copy, the
 * version ops, and every refusal with the GNTST_* or errno Xen 4.17 gives.
 * Ends with a mapping still in place, which the hypervisor's teardown
 * must release.
 */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/version.h>
#include "tests/guest-lib/grant.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "common/array_size.h"

const char test_title[] = "grant-table";

#define SELF_ID     0    /* our own domid, as a grant entry must name it */
#define NO_DOMAIN   1000 /* no such domain on either hypervisor */
#define REF_RW      8    /* the first refs after the toolstack's reserved 8 */
#define REF_RO      9
#define REF_OTHER   10 /* granted to another domain id */
#define REF_INVALID 11
#define REF_COPY    12 /* a writable grant of S_LOCAL2 */
#define REF_CHANGED 13 /* granted read-only, then changed while mapped */
#define REF_TABLE   14 /* one of our page tables, granted read-only */
#define HOLE_VA     0xffff830000000000UL

enum { S_TABLE, S_DATA, S_WIN, S_WIN2, S_LOCAL, S_LOCAL2, S_COUNT };

static grant_entry_v1_t *table;

static unsigned long va_of(int s)
{
    return scratch_va(s);
}
static unsigned long mfn_of(int s)
{
    return va_to_mfn(scratch_va(s));
}

static long gnttab_raw(unsigned long cmd, unsigned long uop, unsigned long count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, uop, count);
}

/* The granter's protocol: frame and domid before the flags that publish
 * them. x86 keeps stores in order; the fence stops the compiler. */
/* Linux's gnttab_end_foreign_access_ref: fails while the grant is in use. */
static bool revoke(grant_ref_t ref)
{
    uint16_t flags = __atomic_load_n(&table[ref].flags, __ATOMIC_ACQUIRE);

    if (flags & (GTF_reading | GTF_writing))
        return false;
    return __sync_bool_compare_and_swap(&table[ref].flags, flags, 0);
}

static uint16_t flags_of(grant_ref_t ref)
{
    return __atomic_load_n(&table[ref].flags, __ATOMIC_ACQUIRE);
}

static gnttab_map_grant_ref_t map_op(grant_ref_t ref, domid_t dom, unsigned long addr,
                                     uint32_t flags)
{
    return (gnttab_map_grant_ref_t){ .host_addr = addr,
                                     .flags = flags,
                                     .ref = ref,
                                     .dom = dom,
                                     .status = 0x55,
                                     .handle = 0xdead };
}

static int16_t map_status(const char *name, grant_ref_t ref, domid_t dom, unsigned long addr,
                          uint32_t flags, grant_handle_t *handle)
{
    gnttab_map_grant_ref_t op = map_op(ref, dom, addr, flags);
    char n[96];

    snprintf(n, sizeof(n), "%s: hypercall", name);
    check_long(n, 0, gnttab_op(GNTTABOP_map_grant_ref, &op, 1));
    if (handle)
        *handle = op.handle;
    return op.status;
}

static int16_t unmap_status(const char *name, unsigned long addr, grant_handle_t handle)
{
    gnttab_unmap_grant_ref_t op = { .host_addr = addr, .handle = handle, .status = 0x55 };
    char n[96];

    snprintf(n, sizeof(n), "%s: hypercall", name);
    check_long(n, 0, gnttab_op(GNTTABOP_unmap_grant_ref, &op, 1));
    return op.status;
}

static void test_versions(void)
{
    gnttab_get_version_t gv = { .dom = DOMID_SELF, .version = 77 };
    gnttab_set_version_t sv;

    check_long("get_version self", 0, gnttab_op(GNTTABOP_get_version, &gv, 1));
    check_long("get_version self: version", 1, gv.version);
    gv = (gnttab_get_version_t){ .dom = NO_DOMAIN };
    check_long("get_version unknown domain", -XEN_ESRCH, gnttab_op(GNTTABOP_get_version, &gv, 1));
    check_long("get_version bad pointer", -XEN_EFAULT,
               gnttab_raw(GNTTABOP_get_version, BAD_VA_UNMAPPED, 1));
    sv.version = 0;
    check_long("set_version 0", -XEN_EINVAL, gnttab_op(GNTTABOP_set_version, &sv, 1));
    check_long("set_version 0: version written back", 1, sv.version);
    sv.version = 3;
    check_long("set_version 3", -XEN_EINVAL, gnttab_op(GNTTABOP_set_version, &sv, 1));
    sv.version = 1;
    check_long("set_version 1 (current)", 0, gnttab_op(GNTTABOP_set_version, &sv, 1));
    check_long("set_version bad pointer", -XEN_EFAULT,
               gnttab_raw(GNTTABOP_set_version, HOLE_VA, 1));
    /* Both hypervisors run with grant-table v1 only (Xen is booted with
     * gnttab=max-ver:1 by the runner, docs/abi.md): v2 is refused and the
     * current version written back. */
    sv.version = 2;
    check_long("set_version 2 (max-ver 1)", -XEN_ENOSYS, gnttab_op(GNTTABOP_set_version, &sv, 1));
    check_long("set_version 2: version written back", 1, sv.version);
}

static void test_setup(void)
{
    xen_pfn_t frames[2] = { 0, 0 };
    gnttab_query_size_t qs = { .dom = DOMID_SELF };
    gnttab_setup_table_t st = { .dom = DOMID_SELF, .nr_frames = 1 };

    check_long("query_size", 0, gnttab_op(GNTTABOP_query_size, &qs, 1));
    check_long("query_size: status", GNTST_okay, qs.status);
    check_long("query_size: nr_frames", 1, qs.nr_frames);
    check_long("query_size: max_nr_frames", 64, qs.max_nr_frames);
    check_long("query_size count 2", -XEN_EINVAL, gnttab_op(GNTTABOP_query_size, &qs, 2));
    check_long("query_size bad pointer", -XEN_EFAULT,
               gnttab_raw(GNTTABOP_query_size, BAD_VA_UNMAPPED, 1));
    qs = (gnttab_query_size_t){ .dom = NO_DOMAIN };
    check_long("query_size unknown domain", 0, gnttab_op(GNTTABOP_query_size, &qs, 1));
    check_long("query_size unknown domain: status", GNTST_bad_domain, qs.status);

    check_long("setup_table count 0", -XEN_EINVAL, gnttab_op(GNTTABOP_setup_table, &st, 0));
    check_long("setup_table bad pointer", -XEN_EFAULT,
               gnttab_raw(GNTTABOP_setup_table, BAD_VA_UNMAPPED, 1));
    set_xen_guest_handle(st.frame_list, (xen_pfn_t *)HOLE_VA);
    check_long("setup_table frame_list in the hole", -XEN_EFAULT,
               gnttab_op(GNTTABOP_setup_table, &st, 1));
    set_xen_guest_handle(st.frame_list, (xen_pfn_t *)BAD_VA_UNMAPPED);
    check_long("setup_table frame_list unmapped", 0, gnttab_op(GNTTABOP_setup_table, &st, 1));
    check_long("setup_table frame_list unmapped: status", GNTST_bad_virt_addr, st.status);
    set_xen_guest_handle(st.frame_list, frames);
    st.nr_frames = 65;
    check_long("setup_table 65 frames", 0, gnttab_op(GNTTABOP_setup_table, &st, 1));
    check_long("setup_table 65 frames: status", GNTST_general_error, st.status);
    st.nr_frames = 1;
    st.dom = NO_DOMAIN;
    check_long("setup_table unknown domain", 0, gnttab_op(GNTTABOP_setup_table, &st, 1));
    check_long("setup_table unknown domain: status", GNTST_bad_domain, st.status);
    st.dom = DOMID_SELF;
    check_long("setup_table 1 frame", 0, gnttab_op(GNTTABOP_setup_table, &st, 1));
    check_long("setup_table 1 frame: status", GNTST_okay, st.status);
    check_long("setup_table: frame 1 untouched", 0, (long)frames[1]);
    if (!frames[0] ||
        !check_long(
            "map the table frame", 0,
            hc_update_va_mapping(va_of(S_TABLE), mfn_pte(frames[0], PTE_RW_FLAGS), UVMF_INVLPG))) {
        test_error("cannot map the grant table");
        test_finish();
    }
    table = (grant_entry_v1_t *)va_of(S_TABLE);
}

/* Map, use, the flags while mapped, a refused revoke, unmap. */
static void test_map_unmap(void)
{
    volatile uint64_t *win = (volatile uint64_t *)va_of(S_WIN);
    volatile uint64_t *data = (volatile uint64_t *)va_of(S_DATA);
    gnttab_map_grant_ref_t op = map_op(REF_RW, SELF_ID, va_of(S_WIN), GNTMAP_host_map);
    grant_handle_t h_rw, h_ro;

    grant_set(table, REF_RW, SELF_ID, mfn_of(S_DATA), GTF_permit_access);
    *data = 0x1122334455667788UL;
    check_long("map rw", 0, gnttab_op(GNTTABOP_map_grant_ref, &op, 1));
    check_long("map rw: status", GNTST_okay, op.status);
    check_long("map rw: dev_bus_addr", (long)(mfn_of(S_DATA) << 12), (long)op.dev_bus_addr);
    h_rw = op.handle;
    check_long("map rw: PTE frame", (long)mfn_of(S_DATA), (long)pte_mfn(pte_read(va_of(S_WIN), 1)));
    check_long("map rw: PTE writable", PTE_RW, (long)(pte_read(va_of(S_WIN), 1) & PTE_RW));
    check_long("read through the grant mapping", 0x1122334455667788L, (long)*win);
    *win = 0xcafe;
    check_long("write through the grant mapping", 0xcafe, (long)*data);
    check_long("flags while mapped rw", GTF_permit_access | GTF_reading | GTF_writing,
               flags_of(REF_RW));
    check_long("revoke while mapped refused", 0, revoke(REF_RW));
    check_long("cmpxchg of the flags while mapped fails", 0,
               __sync_bool_compare_and_swap(&table[REF_RW].flags, GTF_permit_access, 0));

    check_long("map ro, second mapping", GNTST_okay,
               map_status("map ro", REF_RW, SELF_ID, va_of(S_WIN2),
                          GNTMAP_host_map | GNTMAP_readonly, &h_ro));
    check_long("map ro: PTE read-only", 0, (long)(pte_read(va_of(S_WIN2), 1) & PTE_RW));
    check_long("read through the read-only mapping", 0xcafe,
               (long)*(volatile uint64_t *)va_of(S_WIN2));

    check_long("unmap bad handle 0xffffffff", GNTST_bad_handle,
               unmap_status("unmap bad handle", va_of(S_WIN), 0xffffffffu));
    check_long("unmap free handle", GNTST_bad_handle,
               unmap_status("unmap free handle", va_of(S_WIN), h_rw + 77));
    check_long("unmap wrong host_addr (other frame)", GNTST_general_error,
               unmap_status("unmap wrong host_addr", va_of(S_LOCAL), h_rw));
    check_long("unmap host_addr of the read-only mapping with the rw handle", GNTST_general_error,
               unmap_status("unmap rw at ro", va_of(S_WIN2), h_rw));
    check_long("flags after refused unmaps", GTF_permit_access | GTF_reading | GTF_writing,
               flags_of(REF_RW));
    check_long("unmap rw", GNTST_okay, unmap_status("unmap rw", va_of(S_WIN), h_rw));
    check_long("unmap rw: PTE cleared", 0, (long)(pte_read(va_of(S_WIN), 1) & PTE_P));
    check_long("flags with only the ro mapping", GTF_permit_access | GTF_reading, flags_of(REF_RW));
    check_long("revoke while mapped ro refused", 0, revoke(REF_RW));
    check_long("unmap rw again", GNTST_bad_handle,
               unmap_status("unmap rw again", va_of(S_WIN), h_rw));
    /* A device address is only checked for a device mapping (Xen 4.17):
     * a host mapping is unmapped whatever it says (found by the hypercall
     * fuzzer). */
    {
        gnttab_unmap_grant_ref_t u = { .host_addr = va_of(S_WIN2),
                                       .handle = h_ro,
                                       .dev_bus_addr = mfn_of(S_LOCAL) << 12,
                                       .status = 0x55 };

        check_long("unmap ro with another frame's bus address", 0,
                   gnttab_op(GNTTABOP_unmap_grant_ref, &u, 1));
        check_long("unmap ro with another frame's bus address: status", GNTST_okay, u.status);
        check_long("unmap ro: PTE cleared", 0, (long)(pte_read(va_of(S_WIN2), 1) & PTE_P));
    }
    check_long("flags after the last unmap", GTF_permit_access, flags_of(REF_RW));
    check_long("revoke after unmap", 1, revoke(REF_RW));
    check_long("map a revoked grant", GNTST_general_error,
               map_status("map revoked", REF_RW, SELF_ID, va_of(S_WIN), GNTMAP_host_map, NULL));
    grant_set(table, REF_RW, SELF_ID, mfn_of(S_DATA), GTF_permit_access);

    /* By the PTE's machine address. */
    check_long("map contains_pte", GNTST_okay,
               map_status("map contains_pte", REF_RW, SELF_ID, pte_maddr(va_of(S_WIN), 1),
                          GNTMAP_host_map | GNTMAP_contains_pte, &h_rw));
    check_long("read through the contains_pte mapping", 0xcafe, (long)*win);
    check_long("map contains_pte misaligned", GNTST_general_error,
               map_status("map contains_pte misaligned", REF_RW, SELF_ID,
                          pte_maddr(va_of(S_WIN2), 1) + 4, GNTMAP_host_map | GNTMAP_contains_pte,
                          NULL));
    check_long("map contains_pte in a non-table frame", GNTST_general_error,
               map_status("map contains_pte non-table", REF_RW, SELF_ID, mfn_of(S_LOCAL) << 12,
                          GNTMAP_host_map | GNTMAP_contains_pte, NULL));
    /* Only into an L1: a self-grant of one of our tables, named in an
     * empty L2 or L3 entry, would link the table in one level up (found by
     * the hypercall fuzzer). */
    {
        unsigned long l2_va = (va_of(S_WIN) & ~0x3fffffffUL) + 0x3fe00000UL;
        unsigned long l3_va = (va_of(S_WIN) & ~0x3fffffffUL) - 0x40000000UL;
        const uint32_t ro_pte = GNTMAP_host_map | GNTMAP_contains_pte | GNTMAP_readonly;

        grant_set(table, REF_TABLE, SELF_ID, pte_maddr(va_of(S_WIN), 1) >> 12,
                  GTF_permit_access | GTF_readonly);
        check_long("empty L2 entry", 0, (long)pte_read(l2_va, 2));
        check_long("map our L1 into an L2 entry", GNTST_general_error,
                   map_status("map contains_pte L2", REF_TABLE, SELF_ID, pte_maddr(l2_va, 2),
                              ro_pte, NULL));
        check_long("L2 entry still empty", 0, (long)pte_read(l2_va, 2));
        grant_set(table, REF_TABLE, SELF_ID, pte_maddr(va_of(S_WIN), 2) >> 12,
                  GTF_permit_access | GTF_readonly);
        check_long("empty L3 entry", 0, (long)pte_read(l3_va, 3));
        check_long("map our L2 into an L3 entry", GNTST_general_error,
                   map_status("map contains_pte L3", REF_TABLE, SELF_ID, pte_maddr(l3_va, 3),
                              ro_pte, NULL));
        check_long("L3 entry still empty", 0, (long)pte_read(l3_va, 3));
        check_long("flags after the refused maps", GTF_permit_access | GTF_readonly,
                   flags_of(REF_TABLE));
        check_long("revoke the table grant", 1, revoke(REF_TABLE));
    }
    check_long("unmap contains_pte", GNTST_okay,
               unmap_status("unmap contains_pte", pte_maddr(va_of(S_WIN), 1), h_rw));
    check_long("flags after unmap contains_pte", GTF_permit_access, flags_of(REF_RW));
}

static void test_map_refusals(void)
{
    const struct {
        const char *name;
        grant_ref_t ref;
        domid_t dom;
        unsigned long addr;
        uint32_t flags;
        int16_t status;
    } cases[] = {
        { "ref beyond the table", 512, SELF_ID, va_of(S_WIN), GNTMAP_host_map, GNTST_bad_gntref },
        { "ref ~0", ~0u, SELF_ID, va_of(S_WIN), GNTMAP_host_map, GNTST_bad_gntref },
        { "GTF_readonly grant mapped writable", REF_RO, SELF_ID, va_of(S_WIN), GNTMAP_host_map,
          GNTST_general_error },
        { "grant to another domain", REF_OTHER, SELF_ID, va_of(S_WIN), GNTMAP_host_map,
          GNTST_general_error },
        { "invalid entry", REF_INVALID, SELF_ID, va_of(S_WIN), GNTMAP_host_map,
          GNTST_general_error },
        { "dom DOMID_SELF", REF_RW, DOMID_SELF, va_of(S_WIN), GNTMAP_host_map, GNTST_bad_domain },
        { "dom unknown", REF_RW, NO_DOMAIN, va_of(S_WIN), GNTMAP_host_map, GNTST_bad_domain },
        { "no host_map or device_map", REF_RW, SELF_ID, va_of(S_WIN), GNTMAP_readonly,
          GNTST_bad_gntref },
        { "host_addr unmapped", REF_RW, SELF_ID, BAD_VA_UNMAPPED, GNTMAP_host_map,
          GNTST_general_error },
        { "host_addr in the hole", REF_RW, SELF_ID, HOLE_VA, GNTMAP_host_map, GNTST_general_error },
        { "host_addr non-canonical", REF_RW, SELF_ID, BAD_VA_NONCANON, GNTMAP_host_map,
          GNTST_general_error },
    };
    gnttab_map_grant_ref_t ops[2];
    char name[96];

    grant_set(table, REF_RO, SELF_ID, mfn_of(S_DATA), GTF_permit_access | GTF_readonly);
    grant_set(table, REF_OTHER, SELF_ID + 5, mfn_of(S_DATA), GTF_permit_access);
    grant_set(table, REF_INVALID, SELF_ID, mfn_of(S_DATA), GTF_invalid);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        snprintf(name, sizeof(name), "map %s", cases[i].name);
        check_long(
            name, cases[i].status,
            map_status(name, cases[i].ref, cases[i].dom, cases[i].addr, cases[i].flags, NULL));
    }
    check_long("refused maps leave the rw grant unused", GTF_permit_access, flags_of(REF_RW));
    check_long("refused map leaves the ro grant unused", GTF_permit_access | GTF_readonly,
               flags_of(REF_RO));
    check_long("refused map leaves the other domain's grant", GTF_permit_access,
               flags_of(REF_OTHER));
    check_long("a refused map leaves the window unmapped", 0,
               (long)(pte_read(va_of(S_WIN), 1) & PTE_P));

    /* Each entry gets its own status; a bad pointer is -EFAULT. */
    ops[0] = map_op(512, SELF_ID, va_of(S_WIN), GNTMAP_host_map);
    ops[1] = map_op(REF_RO, SELF_ID, va_of(S_WIN), GNTMAP_host_map | GNTMAP_readonly);
    check_long("map batch of 2", 0, gnttab_op(GNTTABOP_map_grant_ref, ops, 2));
    check_long("map batch: status 0", GNTST_bad_gntref, ops[0].status);
    check_long("map batch: status 1", GNTST_okay, ops[1].status);
    check_long("GTF_readonly grant mapped read-only: flags",
               GTF_permit_access | GTF_readonly | GTF_reading, flags_of(REF_RO));
    check_long("unmap the read-only grant", GNTST_okay,
               unmap_status("unmap ro grant", va_of(S_WIN), ops[1].handle));
    check_long("map bad pointer", -XEN_EFAULT,
               gnttab_raw(GNTTABOP_map_grant_ref, BAD_VA_UNMAPPED, 1));
    check_long("map pointer in the hole, count 0", -XEN_EFAULT,
               gnttab_raw(GNTTABOP_map_grant_ref, HOLE_VA, 0));
    check_long("map unmapped pointer, count 0", 0,
               gnttab_raw(GNTTABOP_map_grant_ref, BAD_VA_UNMAPPED, 0));
    check_long("unmap bad pointer", -XEN_EFAULT,
               gnttab_raw(GNTTABOP_unmap_grant_ref, BAD_VA_UNMAPPED, 1));
}

static int16_t copy_status(const char *name, gnttab_copy_t *op)
{
    char n[96];

    op->status = 0x55;
    snprintf(n, sizeof(n), "%s: hypercall", name);
    check_long(n, 0, gnttab_op(GNTTABOP_copy, op, 1));
    return op->status;
}

static void test_copy(void)
{
    char *data = (char *)va_of(S_DATA), *local = (char *)va_of(S_LOCAL);
    char *local2 = (char *)va_of(S_LOCAL2);
    unsigned long l1 = pte_maddr(va_of(S_WIN), 1) >> 12;
    gnttab_copy_t op;

    grant_set(table, REF_COPY, SELF_ID, mfn_of(S_LOCAL2), GTF_permit_access);
    memcpy(data + 100, "granted bytes", 14);
    memset(local, 0, 64);
    op = (gnttab_copy_t){
        .source = { .u.ref = REF_RW, .domid = DOMID_SELF, .offset = 100 },
        .dest = { .u.gmfn = mfn_of(S_LOCAL), .domid = DOMID_SELF, .offset = 8 },
        .len = 14,
        .flags = GNTCOPY_source_gref,
    };
    check_long("copy gref to local", GNTST_okay, copy_status("copy gref to local", &op));
    check_long("copy gref to local: bytes", 0, memcmp(local + 8, "granted bytes", 14));

    memcpy(local + 200, "local bytes", 12);
    op = (gnttab_copy_t){
        .source = { .u.gmfn = mfn_of(S_LOCAL), .domid = DOMID_SELF, .offset = 200 },
        .dest = { .u.ref = REF_RW, .domid = SELF_ID, .offset = 300 },
        .len = 12,
        .flags = GNTCOPY_dest_gref,
    };
    check_long("copy local to gref", GNTST_okay, copy_status("copy local to gref", &op));
    check_long("copy local to gref: bytes", 0, memcmp(data + 300, "local bytes", 12));

    op = (gnttab_copy_t){
        .source = { .u.ref = REF_RW, .domid = DOMID_SELF, .offset = 300 },
        .dest = { .u.ref = REF_COPY, .domid = DOMID_SELF, .offset = 0 },
        .len = 12,
        .flags = GNTCOPY_source_gref | GNTCOPY_dest_gref,
    };
    check_long("copy gref to gref", GNTST_okay, copy_status("copy gref to gref", &op));
    check_long("copy gref to gref: bytes", 0, memcmp(local2, "local bytes", 12));
    check_long("flags after copies (transient)", GTF_permit_access, flags_of(REF_RW));
    check_long("flags of the dest grant after copies", GTF_permit_access, flags_of(REF_COPY));

    op.dest.u.ref = REF_RO;
    check_long("copy to a GTF_readonly grant", GNTST_general_error,
               copy_status("copy to ro grant", &op));
    check_long("ro grant flags after the refused copy", GTF_permit_access | GTF_readonly,
               flags_of(REF_RO));
    op.dest.u.ref = REF_OTHER;
    check_long("copy to another domain's grant", GNTST_general_error,
               copy_status("copy to other's grant", &op));
    op.dest.u.ref = REF_COPY;
    op.source.u.ref = 512;
    check_long("copy from a ref beyond the table", GNTST_bad_gntref,
               copy_status("copy bad ref", &op));
    check_long("refused copy leaves the dest grant unused", GTF_permit_access, flags_of(REF_COPY));
    op.source.u.ref = REF_RW;
    op.source.domid = NO_DOMAIN;
    check_long("copy from an unknown domain", GNTST_bad_domain,
               copy_status("copy unknown domain", &op));
    op.source.domid = DOMID_SELF;
    op.len = 4000;
    op.source.offset = 100;
    check_long("copy across the page end", GNTST_bad_copy_arg,
               copy_status("copy across page end", &op));
    check_long("flags after a bad copy arg", GTF_permit_access, flags_of(REF_RW));

    op = (gnttab_copy_t){
        .source = { .u.gmfn = mfn_of(S_LOCAL), .domid = SELF_ID },
        .dest = { .u.gmfn = mfn_of(S_LOCAL2), .domid = DOMID_SELF },
        .len = 8,
        .flags = 0,
    };
    check_long("copy from a frame named by domid, not DOMID_SELF", GNTST_permission_denied,
               copy_status("copy frame by domid", &op));
    /* The domain is looked up first: an unknown one is bad_domain even by
     * frame, on either side (found by the hypercall fuzzer). */
    op.source.domid = NO_DOMAIN;
    check_long("copy from a frame of an unknown domain", GNTST_bad_domain,
               copy_status("copy frame unknown domain", &op));
    op.source.domid = DOMID_SELF;
    op.dest.domid = NO_DOMAIN;
    check_long("copy to a frame of an unknown domain", GNTST_bad_domain,
               copy_status("copy to frame unknown domain", &op));
    op.dest.domid = SELF_ID;
    check_long("copy to a frame named by domid, not DOMID_SELF", GNTST_permission_denied,
               copy_status("copy to frame by domid", &op));
    /* That refusal comes as the destination is claimed, after the source:
     * a bad source grant is reported first. */
    op.source.u.ref = REF_INVALID;
    op.flags = GNTCOPY_source_gref;
    check_long("copy from an invalid grant to a frame named by domid", GNTST_general_error,
               copy_status("copy invalid gref to frame by domid", &op));
    op.source.u.gmfn = mfn_of(S_LOCAL);
    op.flags = 0;
    op.dest.domid = DOMID_SELF;
    op.source.domid = DOMID_SELF;
    op.source.u.gmfn = foreign_mfn();
    check_long("copy from a frame not ours", GNTST_bad_page,
               copy_status("copy foreign frame", &op));
    op.source.u.gmfn = mfn_of(S_LOCAL);
    op.dest.u.gmfn = l1;
    check_long("copy into a page table", GNTST_general_error, copy_status("copy into L1", &op));
    op.dest.u.gmfn = mfn_of(S_LOCAL2);
    check_long("copy local to local", GNTST_okay, copy_status("copy local to local", &op));
    check_long("copy bad pointer", -XEN_EFAULT, gnttab_raw(GNTTABOP_copy, BAD_VA_UNMAPPED, 1));
}

static void test_bad_cmds(void)
{
    gnttab_query_size_t qs = { .dom = DOMID_SELF };

    check_long("cmd 13", -XEN_ENOSYS, gnttab_op(13, &qs, 1));
    check_long("cmd 0xfff", -XEN_ENOSYS, gnttab_op(0xfff, &qs, 1));
    check_long("cmd with continuation bits", -XEN_EINVAL,
               gnttab_op(GNTTABOP_query_size | 0x1000, &qs, 1));
    check_long("negative count", -XEN_EINVAL, gnttab_op(GNTTABOP_query_size, &qs, 0x80000000u));
}

/*
 * A granter that rewrites an entry while it is mapped read-only, to a
 * writable grant of another frame: a writable copy through it is refused
 * (Xen's acquire_grant_for_copy reads the frame again), and the frame
 * granted read-only is not written; a frame that is not the granter's is
 * GNTST_bad_page. The same frame made writable is fine.
 */
static void test_copy_changed_under_pin(void)
{
    char *local = (char *)va_of(S_LOCAL), *local2 = (char *)va_of(S_LOCAL2);
    static char bytes[16] = "written bytes";
    grant_handle_t h;
    gnttab_copy_t op;

    memset(local, 0x11, 64);
    memset(local2, 0x22, 64);
    grant_set(table, REF_CHANGED, SELF_ID, mfn_of(S_LOCAL), GTF_permit_access | GTF_readonly);
    if (!check_long("map the read-only grant", GNTST_okay,
                    map_status("map the read-only grant", REF_CHANGED, SELF_ID, va_of(S_WIN),
                               GNTMAP_host_map | GNTMAP_readonly, &h)))
        return;
    table[REF_CHANGED].frame = (uint32_t)mfn_of(S_LOCAL2);
    __atomic_fetch_and(&table[REF_CHANGED].flags, (uint16_t)~GTF_readonly, __ATOMIC_SEQ_CST);
    op = (gnttab_copy_t){
        .source = { .u.gmfn = va_to_mfn((unsigned long)bytes),
                    .domid = DOMID_SELF,
                    .offset = (uint16_t)((unsigned long)bytes & 0xfff) },
        .dest = { .u.ref = REF_CHANGED, .domid = DOMID_SELF, .offset = 8 },
        .len = 14,
        .flags = GNTCOPY_dest_gref,
    };
    check_long("copy to an entry changed to another frame under a read-only pin",
               GNTST_general_error, copy_status("copy to changed entry", &op));
    check_long("the frame granted read-only is not written", 0x11, local[8]);
    check_long("nor the new frame", 0x22, local2[8]);
    check_long("flags after the refused copy: still reading, not writing",
               GTF_permit_access | GTF_reading, flags_of(REF_CHANGED));
    table[REF_CHANGED].frame = (uint32_t)foreign_mfn();
    check_long("copy to an entry changed to a frame not the granter's", GNTST_bad_page,
               copy_status("copy to changed entry, foreign frame", &op));
    table[REF_CHANGED].frame = (uint32_t)mfn_of(S_LOCAL);
    check_long("copy to the same frame, now writable", GNTST_okay,
               copy_status("copy to the same frame", &op));
    check_long("copy to the same frame: bytes", 0, memcmp(local + 8, "written bytes", 14));
    check_long("unmap the read-only grant", GNTST_okay,
               unmap_status("unmap the read-only grant", va_of(S_WIN), h));
    check_long("revoke it", 1, revoke(REF_CHANGED));
    check_long(
        "restore the window", 0,
        hc_update_va_mapping(va_of(S_WIN), mfn_pte(mfn_of(S_WIN), PTE_RW_FLAGS), UVMF_INVLPG));
}

void test_main(void)
{
    grant_handle_t h;

    if (scratch_count() < S_COUNT) {
        test_error("only %lu scratch pages, need %d", scratch_count(), S_COUNT);
        return;
    }
    test_versions();
    test_setup();
    test_bad_cmds();
    test_map_unmap();
    test_map_refusals();
    test_copy();
    test_copy_changed_under_pin();
    /* Left mapped on purpose: teardown must release it. */
    check_long(
        "map left for teardown", GNTST_okay,
        map_status("map left for teardown", REF_RW, SELF_ID, va_of(S_WIN2), GNTMAP_host_map, &h));
}
