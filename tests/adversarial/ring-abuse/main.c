// SPDX-License-Identifier: MIT
/*
 * ring-abuse: a hostile domain against the xenstore and console rings and
 * the grant table of another domain, beside a victim that uses them
 * normally. One image, the role on the command line:
 *   role=victim  (d0) grants frames to d1 (ref 8 readonly to d1, ref 9 to
 *                domain 7, ref 10 without GTF_permit_access), then writes
 *                and reads back a key over its xenstore ring, round after
 *                round, during and after the attack; with wait=1 until d1
 *                has written data/done. Checks its grants and data are intact.
 *   role=xs      (d1) malformed messages (no NUL, unknown types, zero
 *                length, a header split across the ring wrap), the watch,
 *                transaction and node quotas, the victim's grants, then an
 *                oversized length, which closes its ring (XENSTORE_ERROR_PROTO).
 *   role=considx (d1) an absurd out_prod on its console ring: crashed.
 *   role=xsidx   (d1) an absurd req_prod on its xenstore ring: crashed.
 *   role=consin  (d1) an absurd in_cons on its console ring: crashed.
 *   role=xsrsp   (d1) an absurd rsp_cons on its xenstore ring: crashed.
 * Xenolith only (boot tests ring-abuse-*).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/sched.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>
#include "tests/guest-lib/grant.h"
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "tests/guest-lib/xs_ring.h"
#include "common/array_size.h"

const char test_title[] = "ring-abuse";

#define MS      1000000UL
#define TIMEOUT (5000 * MS)

#define REF_D1     8  /* readonly, to d1 */
#define REF_OTHER  9  /* to domain 7 */
#define REF_NOPERM 10 /* names d1, no GTF_permit_access */
#define OTHER_DOM  7

static struct xencons_interface *cons;

static bool expect_reply(const char *what, uint32_t type, const void *payload, uint32_t plen,
                         int want_type, const char *want)
{
    char body[256];
    int t = xs_call(type, payload, plen, body, sizeof(body));

    if (t < 0) {
        test_failure("%s: expected a reply, got %s", what, t == -1 ? "none" : "a wrong req_id");
        return false;
    }
    if (t != want_type || (want && strcmp(body, want))) {
        test_failure("%s: expected type %d \"%s\", got type %d \"%s\"", what, want_type,
                     want ? want : "", t, body);
        return false;
    }
    printk("ring-abuse: %s: %s\n", what, t == XS_ERROR ? body : "ok");
    return true;
}

/* ---- victim ---- */

static grant_entry_v1_t *table;
static volatile uint64_t *gdata;

static uint64_t pattern(unsigned int i)
{
    return (i * 0x9e3779b97f4a7c15ULL) ^ 0x5ca1ab1eULL;
}

static bool victim_grants(void)
{
    xen_pfn_t frame = 0;
    gnttab_setup_table_t st = { .dom = DOMID_SELF, .nr_frames = 1 };

    set_xen_guest_handle(st.frame_list, &frame);
    if (gnttab_op(GNTTABOP_setup_table, &st, 1) || st.status != GNTST_okay || !frame ||
        hc_update_va_mapping(scratch_va(0), mfn_pte(frame, PTE_RW_FLAGS), UVMF_INVLPG)) {
        test_error("ring-abuse: victim: cannot set up the grant table");
        return false;
    }
    table = (grant_entry_v1_t *)scratch_va(0);
    gdata = (volatile uint64_t *)scratch_va(1);
    for (unsigned int i = 0; i < 512; i++)
        gdata[i] = pattern(i);
    grant_set(table, REF_D1, 1, va_to_mfn(scratch_va(1)), GTF_permit_access | GTF_readonly);
    grant_set(table, REF_OTHER, OTHER_DOM, va_to_mfn(scratch_va(1)), GTF_permit_access);
    grant_set(table, REF_NOPERM, 1, va_to_mfn(scratch_va(1)), GTF_readonly);
    return true;
}

static unsigned int rounds_ok;

static bool victim_round(unsigned int i)
{
    char val[16], body[64];
    int t;

    snprintf(val, sizeof(val), "r%u", i);
    t = xs_write_value("data/v", val, body, sizeof(body));
    if (t != XS_WRITE || strcmp(body, "OK")) {
        test_failure("victim: round %u WRITE: expected OK, got type %d \"%s\"", i, t, body);
        return false;
    }
    t = xs_call(XS_READ, "/local/domain/0/data/v", sizeof("/local/domain/0/data/v"), body,
                sizeof(body));
    if (t != XS_READ || strcmp(body, val)) {
        test_failure("victim: round %u READ: expected \"%s\", got type %d \"%s\"", i, val, t, body);
        return false;
    }
    rounds_ok++;
    return true;
}

static void run_victim(void)
{
    char w[4] = "";
    unsigned int i = 0;
    uint64_t deadline = system_time_ns() + 4 * TIMEOUT;
    bool wait = test_cmdline_value("wait", w, sizeof(w)) && w[0] == '1';

    if (!victim_grants())
        return;
    if (wait) {
        char body[16];

        /* During: until the attacker is done (d0 may read d1's nodes). */
        while (xs_call(XS_READ, "/local/domain/1/data/done", sizeof("/local/domain/1/data/done"),
                       body, sizeof(body)) != XS_READ) {
            if (system_time_ns() >= deadline) {
                test_failure("victim: expected d1's data/done, got none");
                return;
            }
            if (!victim_round(i++))
                return;
            hc_sched_op(SCHEDOP_yield, NULL);
        }
        if (!i) {
            test_failure("victim: expected rounds during the attack, got none");
            return;
        }
        printk("ring-abuse: victim: served during the attack\n");
        /* Releases the attacker to send its last (oversized) message,
         * then lets it land first. */
        if (xs_write_value("/local/domain/1/data/ack", "1", body, sizeof(body)) != XS_WRITE) {
            test_failure("victim: WRITE d1's data/ack: expected OK, got \"%s\"", body);
            return;
        }
        uint64_t until = system_time_ns() + 200 * MS;
        while (system_time_ns() < until)
            hc_sched_op(SCHEDOP_yield, NULL);
    }
    /* After (or beside a crashing attacker): a fixed number of rounds. */
    for (unsigned int k = 0; k < 100; k++) {
        if (!victim_round(i++))
            return;
        hc_sched_op(SCHEDOP_yield, NULL);
    }
    for (unsigned int j = 0; j < 512; j++)
        if (gdata[j] != pattern(j)) {
            test_failure("victim: granted page word %u: expected %#lx, got %#lx", j,
                         (unsigned long)pattern(j), (unsigned long)gdata[j]);
            return;
        }
    if (!check_long("victim: ref 8 flags after d1 unmapped", GTF_permit_access | GTF_readonly,
                    table[REF_D1].flags) ||
        !check_long("victim: ref 9 flags", GTF_permit_access, table[REF_OTHER].flags) ||
        !check_long("victim: ref 10 flags", GTF_readonly, table[REF_NOPERM].flags))
        return;
    printk("ring-abuse: victim: xenstore served %s, grants and granted page intact\n",
           rounds_ok >= 100 ? "every round" : "too few rounds");
}

/* ---- attacker: xenstore ---- */

static void raw_msg(const char *what, uint32_t type, const void *payload, uint32_t plen,
                    const char *want_err)
{
    expect_reply(what, type, payload, plen, XS_ERROR, want_err);
}

static void quota_watches(void)
{
    char msg[32], body[64];
    unsigned int n;

    for (n = 0; n < 200; n++) {
        int len = snprintf(msg, sizeof(msg), "w/%u", n);
        memcpy(msg + len + 1, "t", 2);
        int t = xs_call(XS_WATCH, msg, (uint32_t)len + 3, body, sizeof(body));
        if (t == XS_ERROR)
            break;
        if (t != XS_WATCH) {
            test_failure("watch %u: expected OK, got type %d \"%s\"", n, t, body);
            return;
        }
    }
    if (strcmp(body, "E2BIG") || n != 129)
        test_failure("watch flood: expected E2BIG after 129 watches, got \"%s\" after %u", body, n);
    else
        printk("ring-abuse: watch flood: E2BIG after %u watches\n", n);
    expect_reply("RESET_WATCHES", XS_RESET_WATCHES, "", 1, XS_RESET_WATCHES, "OK");
}

static void quota_transactions(void)
{
    char body[64];
    uint32_t ids[32];
    unsigned int n;

    for (n = 0; n < 32; n++) {
        int t = xs_call(XS_TRANSACTION_START, "", 1, body, sizeof(body));
        if (t == XS_ERROR)
            break;
        if (t != XS_TRANSACTION_START) {
            test_failure("transaction %u: expected an id, got type %d \"%s\"", n, t, body);
            return;
        }
        ids[n] = (uint32_t)strtoul(body, NULL, 10);
    }
    if (strcmp(body, "ENOSPC") || n != 11)
        test_failure("transaction flood: expected ENOSPC after 11, got \"%s\" after %u", body, n);
    else
        printk("ring-abuse: transaction flood: ENOSPC after %u transactions\n", n);
    for (unsigned int i = 0; i < n && i < 32; i++)
        if (xs_call_tx(XS_TRANSACTION_END, ids[i], "F", 2, body, sizeof(body)) !=
            XS_TRANSACTION_END) {
            test_failure("abort transaction %u: expected OK, got \"%s\"", ids[i], body);
            return;
        }
    printk("ring-abuse: transaction flood: all aborted\n");
}

static void quota_nodes(void)
{
    char path[48], body[64];
    unsigned int n;

    for (n = 0; n < 1200; n++) {
        snprintf(path, sizeof(path), "n/d%u/e%u", n / 25, n % 25);
        int t = xs_write_value(path, "x", body, sizeof(body));
        if (t == XS_ERROR)
            break;
        if (t != XS_WRITE) {
            test_failure("node %u: expected OK, got type %d \"%s\"", n, t, body);
            return;
        }
    }
    if (strcmp(body, "ENOSPC"))
        test_failure("node flood: expected ENOSPC, got \"%s\" after %u writes", body, n);
    else
        printk("ring-abuse: node flood: ENOSPC after %u writes\n", n);
    expect_reply("RM the flood", XS_RM, "n", 2, XS_RM, "OK");
}

/* A READ whose 16-byte header straddles the end of the ring. */
static void split_header(void)
{
    char msg[1100], body[64];
    XENSTORE_RING_IDX prod = xs->req_prod;
    /* WRITE "data/pad\0<value>": 16 + 9 + vlen bytes, ending 8 bytes
     * before the wrap. */
    uint32_t to_end = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
    uint32_t vlen = (to_end + XENSTORE_RING_SIZE - 8 - 16 - 9) % XENSTORE_RING_SIZE;

    xs_write_value("data/split", "yes", body, sizeof(body));
    prod = xs->req_prod;
    to_end = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
    vlen = (to_end + XENSTORE_RING_SIZE - 8 - 16 - 9) % XENSTORE_RING_SIZE;
    memcpy(msg, "data/pad", 9);
    memset(msg + 9, 'p', vlen);
    msg[9 + vlen] = '\0';
    if (xs_call(XS_WRITE, msg, 9 + vlen, body, sizeof(body)) != XS_WRITE) {
        test_failure("split header: padding WRITE of %u: expected OK, got \"%s\"", vlen, body);
        return;
    }
    if (!check_long("split header: req_prod 8 before the wrap", XENSTORE_RING_SIZE - 8,
                    MASK_XENSTORE_IDX(xs->req_prod)))
        return;
    expect_reply("header split across the ring wrap", XS_READ, "data/split", sizeof("data/split"),
                 XS_READ, "yes");
}

static void victim_grant_attack(void)
{
    unsigned long va = scratch_va(2);
    struct {
        const char *what;
        grant_ref_t ref;
        uint32_t flags;
        int16_t want;
    } cases[] = {
        { "victim's grant to domain 7", REF_OTHER, GNTMAP_host_map | GNTMAP_readonly,
          GNTST_general_error },
        { "victim's grant without GTF_permit_access", REF_NOPERM, GNTMAP_host_map | GNTMAP_readonly,
          GNTST_general_error },
        { "victim's ref beyond its table", 512, GNTMAP_host_map | GNTMAP_readonly,
          GNTST_bad_gntref },
        { "victim's readonly grant, writable", REF_D1, GNTMAP_host_map, GNTST_general_error },
    };
    gnttab_map_grant_ref_t op;
    bool ok = true;

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        op = (gnttab_map_grant_ref_t){ .host_addr = va,
                                       .flags = cases[i].flags,
                                       .ref = cases[i].ref,
                                       .dom = 0 };
        ok &= check_long(cases[i].what, 0, gnttab_op(GNTTABOP_map_grant_ref, &op, 1));
        ok &= check_long(cases[i].what, cases[i].want, op.status);
    }
    /* The one real grant: readonly, with the victim's pattern. */
    uint64_t deadline = system_time_ns() + TIMEOUT;
    do {
        op = (gnttab_map_grant_ref_t){ .host_addr = va,
                                       .ref = REF_D1,
                                       .dom = 0,
                                       .flags = GNTMAP_host_map | GNTMAP_readonly };
        gnttab_op(GNTTABOP_map_grant_ref, &op, 1);
        if (op.status == GNTST_okay)
            break;
        hc_sched_op(SCHEDOP_yield, NULL);
    } while (system_time_ns() < deadline);
    ok &= check_long("map victim's readonly grant", GNTST_okay, op.status);
    if (op.status == GNTST_okay) {
        volatile uint64_t *p = (volatile uint64_t *)va;
        ok &= check_long("victim's granted page word 1", (long)pattern(1), (long)p[1]);
        gnttab_unmap_grant_ref_t un = { .host_addr = va, .handle = op.handle };
        ok &= check_long("unmap victim's grant", 0, gnttab_op(GNTTABOP_unmap_grant_ref, &un, 1));
        ok &= check_long("unmap victim's grant: status", GNTST_okay, un.status);
    }
    if (ok)
        printk("ring-abuse: grants: the victim's foreign, unpermitted and out-of-table refs "
               "refused\n");
}

static void run_xs(void)
{
    static const char unterminated[] = { 'd', 'a', 't', 'a' };
    char huge[sizeof(struct xsd_sockmsg)];
    struct xsd_sockmsg h = { .type = XS_WRITE, .req_id = 999, .len = 0x7fffffff };
    uint64_t deadline;
    char body[64];

    raw_msg("READ without a NUL", XS_READ, unterminated, sizeof(unterminated), "EINVAL");
    raw_msg("WRITE path without a NUL", XS_WRITE, unterminated, sizeof(unterminated), "EINVAL");
    raw_msg("WATCH with one string", XS_WATCH, "data", 5, "EINVAL");
    raw_msg("unknown type 999", 999, "data", 5, "ENOSYS");
    raw_msg("type WATCH_EVENT", XS_WATCH_EVENT, "data", 5, "ENOSYS");
    raw_msg("type ERROR", XS_ERROR, "data", 5, "ENOSYS");
    raw_msg("zero-length READ", XS_READ, "", 0, "EINVAL");
    raw_msg("zero-length WRITE", XS_WRITE, "", 0, "EINVAL");
    raw_msg("INTRODUCE unprivileged", XS_INTRODUCE,
            "2\0"
            "1\0"
            "1",
            6, "EACCES");
    split_header();
    quota_watches();
    quota_transactions();
    quota_nodes();
    victim_grant_attack();

    if (xs_write_value("data/done", "1", body, sizeof(body)) != XS_WRITE)
        test_failure("WRITE data/done: expected OK, got \"%s\"", body);
    /* The victim acknowledges before d1 may end (its nodes go with it). */
    deadline = system_time_ns() + 4 * TIMEOUT;
    while (xs_call(XS_READ, "data/ack", sizeof("data/ack"), body, sizeof(body)) != XS_READ) {
        if (system_time_ns() >= deadline) {
            test_failure("expected the victim's data/ack, got none");
            break;
        }
        hc_sched_op(SCHEDOP_yield, NULL);
    }
    /* Last: a length over XENSTORE_PAYLOAD_MAX closes the ring. */
    memcpy(huge, &h, sizeof(h));
    xs_put(huge, sizeof(huge), system_time_ns() + TIMEOUT);
    ev_send(test_start_info->store_evtchn);
    deadline = system_time_ns() + TIMEOUT;
    while (__atomic_load_n(&xs->error, __ATOMIC_ACQUIRE) == XENSTORE_ERROR_NONE &&
           system_time_ns() < deadline)
        hc_sched_op(SCHEDOP_yield, NULL);
    if (check_long("oversized length: ring error", XENSTORE_ERROR_PROTO, xs->error) &&
        check_long("oversized length: no reply", 0, xs->rsp_prod - xs->rsp_cons))
        printk("ring-abuse: oversized length: ring closed with XENSTORE_ERROR_PROTO\n");
}

/* ---- attacker: hostile indices ---- */

static void run_considx(void)
{
    printk("ring-abuse: console ring: out_prod 1000000 ahead of out_cons\n");
    __atomic_store_n(&cons->out_prod, cons->out_cons + 1000000, __ATOMIC_RELEASE);
    ev_send(test_start_info->console.domU.evtchn);
    for (unsigned int i = 0; i < 1000; i++)
        hc_sched_op(SCHEDOP_yield, NULL);
    test_failure("console ring: expected to be crashed, still running");
}

static void run_xsidx(void)
{
    printk("ring-abuse: xenstore ring: req_prod 1000000 ahead of req_cons\n");
    __atomic_store_n(&xs->req_prod, xs->req_cons + 1000000, __ATOMIC_RELEASE);
    ev_send(test_start_info->store_evtchn);
    for (unsigned int i = 0; i < 1000; i++)
        hc_sched_op(SCHEDOP_yield, NULL);
    test_failure("xenstore ring: expected to be crashed, still running");
}

static void run_consin(void)
{
    printk("ring-abuse: console ring: in_cons 1000000 behind in_prod\n");
    __atomic_store_n(&cons->in_cons, cons->in_prod - 1000000, __ATOMIC_RELEASE);
    ev_send(test_start_info->console.domU.evtchn);
    for (unsigned int i = 0; i < 1000; i++)
        hc_sched_op(SCHEDOP_yield, NULL);
    test_failure("console ring: expected to be crashed, still running");
}

static void run_xsrsp(void)
{
    printk("ring-abuse: xenstore ring: rsp_cons 1000000 behind rsp_prod\n");
    __atomic_store_n(&xs->rsp_cons, xs->rsp_prod - 1000000, __ATOMIC_RELEASE);
    ev_send(test_start_info->store_evtchn);
    for (unsigned int i = 0; i < 1000; i++)
        hc_sched_op(SCHEDOP_yield, NULL);
    test_failure("xenstore ring: expected to be crashed, still running");
}

void test_main(void)
{
    char role[12];

    if (!test_cmdline_value("role", role, sizeof(role))) {
        test_error("ring-abuse: expected role= on the command line");
        return;
    }
    if (!shared_info_map()) {
        test_error("ring-abuse: no shared_info");
        return;
    }
    xs_ring_init();
    cons = (struct xencons_interface *)mfn_to_va(test_start_info->console.domU.mfn);
    if (!xs || !cons || !test_start_info->store_evtchn || !test_start_info->console.domU.evtchn) {
        test_error("ring-abuse: expected both rings in start_info");
        return;
    }
    if (!strcmp(role, "victim"))
        run_victim();
    else if (!strcmp(role, "xs"))
        run_xs();
    else if (!strcmp(role, "considx"))
        run_considx();
    else if (!strcmp(role, "xsidx"))
        run_xsidx();
    else if (!strcmp(role, "consin"))
        run_consin();
    else if (!strcmp(role, "xsrsp"))
        run_xsrsp();
    else
        test_error("ring-abuse: unknown role %s", role);
}
