// SPDX-License-Identifier: MIT
/*
 * sharedring: two instances of this image, role=front (d0) and role=back
 * (d1), set up a shared request/response ring the way a Xen split driver
 * does, through xenstore, and pass NR_MSGS requests over it.
 *
 * The front allocates a page, initialises the ring on it, grants it to d1
 * (its own grant table: setup_table, the table frame mapped, the entry
 * written with the frame and domid before GTF_permit_access), allocates an
 * unbound event channel for d1 and publishes, in its home,
 *
 *   /local/domain/0/device/sharedring/0/{ring-ref,event-channel,state}
 *
 * with the directory's ACL set to "n0 r1" before the keys are written, so
 * the keys inherit it and d1 may read them (docs/xenstore.md: new nodes
 * copy their nearest ancestor's ACL). state goes to 3 (Initialised) last.
 * The back watches that state key, reads ring-ref and event-channel, maps
 * the grant, binds the interdomain port and says 4 (Connected) in its own
 * home (/local/domain/1/backend/sharedring/0/0/state, which the privileged
 * d0 may read). The front, watching it, checks that its grant is now in
 * use, says Connected and starts.
 *
 * Each request carries a sequence number and a payload derived from it;
 * the back checks both (order, content) and answers in the same slot with
 * the sequence number and a checksum of the payload, which the front
 * checks against its own. Both sides use the event-index hold-off
 * (..._push_..._and_check_notify, _final_check) and wait in SCHEDOP_block
 * for their port's upcall.
 *
 * Closing: after the last response the back unmaps the grant and says 6
 * (Closed); the front, seeing it, revokes the grant (the cmpxchg on the
 * flags must now succeed) and says Closed; the back waits for that before
 * ending, so neither ends while the other still needs it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/io/xs_wire.h>
#include <xen/io/xenbus.h>
#include "ring-buffers/ring.h"
#include "tests/guest-lib/grant.h"
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "tests/guest-lib/xs_ring.h"

const char test_title[] = "sharedring";

#define MS            1000000UL
#define NR_MSGS       100000u
#define FRONT_DOMID   0
#define BACK_DOMID    1
#define RING_GREF     8 /* the first ref after the toolstack's reserved 8 */
#define PAYLOAD_WORDS 6
/* Xenstore replies and the peer's state changes come within this. */
#define XS_TIMEOUT    (5000 * MS)
/* The peer answers a notification within this even under TCG. */
#define RING_TIMEOUT  (2000 * MS)

#define FRONT_DIR "/local/domain/0/device/sharedring/0"
#define BACK_DIR  "/local/domain/1/backend/sharedring/0/0"

struct sr_request {
    uint32_t seq;
    uint32_t payload[PAYLOAD_WORDS];
    uint32_t pad;
};

struct sr_response {
    uint32_t seq;
    uint32_t sum;
};

DEFINE_RING_TYPES(sr, struct sr_request, struct sr_response);
RING_DEFINE_HELPERS(sr);

/* Scratch pages: the front's ring and grant table frame, the back's
 * mapping window. shared_info takes the last scratch page. */
enum { S_RING, S_TABLE, S_MAP, S_COUNT };

/* ---------------------------------------------------------------------
 * Payloads and checksums, computed the same way on both sides.
 */
static uint32_t payload_word(uint32_t seq, unsigned int i)
{
    uint32_t x = seq * 0x9e3779b9u + i * 0x85ebca6bu + 0x165667b1u;

    x ^= x >> 15;
    x *= 0x2c1b3c6du;
    x ^= x >> 12;
    return x;
}

static uint32_t checksum(uint32_t seq, const uint32_t *w)
{
    uint32_t a = 1 + seq, b = 0;

    for (unsigned int i = 0; i < PAYLOAD_WORDS; i++) {
        a = (a + w[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

/* ---------------------------------------------------------------------
 * Xenstore over the start_info ring (as tests/multi/xsconsole/).
 */

/* A request whose reply must be `want_type` "OK"; false after reporting. */
static bool xs_expect_ok(const char *what, uint32_t type, const void *payload, uint32_t plen)
{
    char body[64];
    int t = xs_call(type, payload, plen, body, sizeof(body));

    if (t != (int)type || strcmp(body, "OK")) {
        test_failure("%s: expected OK, got type %d \"%s\"", what, t, t < 0 ? "" : body);
        return false;
    }
    return true;
}

static bool xs_write(const char *path, const char *value)
{
    char msg[160], what[96];
    size_t pl = strlen(path) + 1, vl = strlen(value);

    memcpy(msg, path, pl);
    memcpy(msg + pl, value, vl);
    snprintf(what, sizeof(what), "WRITE %s", path);
    return xs_expect_ok(what, XS_WRITE, msg, (uint32_t)(pl + vl));
}

static bool xs_write_uint(const char *path, unsigned long v)
{
    char s[24];

    snprintf(s, sizeof(s), "%lu", v);
    return xs_write(path, s);
}

/* The value at path as a number, or -1 (missing, unreadable, not a number). */
static long xs_read_uint(const char *path, char *err, size_t errmax)
{
    char body[64], *end;
    int t = xs_call(XS_READ, path, (uint32_t)strlen(path) + 1, body, sizeof(body));
    unsigned long v;

    if (t != XS_READ) {
        snprintf(err, errmax, "%s", t == XS_ERROR ? body : "no reply");
        return -1;
    }
    v = strtoul(body, &end, 10);
    if (end == body || *end) {
        snprintf(err, errmax, "\"%s\"", body);
        return -1;
    }
    return (long)v;
}

static bool xs_watch(const char *path, const char *token)
{
    char msg[128], what[96];
    size_t pl = strlen(path) + 1, tl = strlen(token) + 1;

    memcpy(msg, path, pl);
    memcpy(msg + pl, token, tl);
    snprintf(what, sizeof(what), "WATCH %s", path);
    return xs_expect_ok(what, XS_WATCH, msg, (uint32_t)(pl + tl));
}

/*
 * Waits, through the watch on path, until its value reaches `want`.
 * A value read before an event came is re-read on every event, and an
 * event that arrives during the read (counted by xs_call) is not missed.
 */
static bool xs_wait_state(const char *who, const char *path, long want)
{
    uint64_t deadline = system_time_ns() + XS_TIMEOUT;
    char err[64] = "", body[64];
    long v = -1;

    for (;;) {
        unsigned long ev = xs_watch_events;

        v = xs_read_uint(path, err, sizeof(err));
        if (v >= want)
            return true;
        while (xs_watch_events == ev)
            if (xs_recv(body, sizeof(body), deadline) < 0) {
                test_failure("%s: expected %s to reach %ld within %lu ms, got %ld (%s)", who, path,
                             want, XS_TIMEOUT / MS, v, v < 0 ? err : "");
                return false;
            }
    }
}

/* ---------------------------------------------------------------------
 * Events: the upcall counts hits per port; upcalls are masked except
 * inside SCHEDOP_block (as tests/multi/pingpong/).
 */
static bool events_setup(void)
{
    evtchn_bind_virq_t bv = { .virq = VIRQ_TIMER, .vcpu = 0 };

    if (!check_long("set_trap_table", 0, traps_install()) ||
        !check_long("event callback", 0, events_install()))
        return false;
    vcpu0()->evtchn_upcall_mask = 1;
    return check_long("bind_virq VIRQ_TIMER", 0, hc_event_channel_op(EVTCHNOP_bind_virq, &bv)) &&
           check_long("stop_periodic_timer", 0, hc_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
}

/* Blocks until port_hits[port] moves past `seen` or `deadline`; the
 * one-shot timer is the watchdog. Returns whether it moved. */
static bool wait_event(evtchn_port_t port, unsigned long seen, uint64_t deadline)
{
    while (port_hits[port] == seen && system_time_ns() < deadline) {
        hc_set_timer_op(deadline);
        hc_sched_op(SCHEDOP_block, NULL);
        vcpu0()->evtchn_upcall_mask = 1;
    }
    return port_hits[port] != seen;
}

/* ---------------------------------------------------------------------
 * Front (d0).
 */
static void run_front(void)
{
    static sr_front_ring_t fr;
    sr_sring_t *sring = (sr_sring_t *)scratch_va(S_RING);
    grant_entry_v1_t *table = (grant_entry_v1_t *)scratch_va(S_TABLE);
    xen_pfn_t frame = 0;
    gnttab_setup_table_t st = { .dom = DOMID_SELF, .nr_frames = 1 };
    evtchn_alloc_unbound_t au = { .dom = DOMID_SELF, .remote_dom = BACK_DOMID };
    static const char perms[] = FRONT_DIR "\0n0\0r1";
    unsigned long notify_sent = 0, waits = 0, hits0;
    uint32_t sent = 0, checked = 0;
    uint64_t t0, t1;
    uint16_t flags;
    evtchn_port_t port;

    /* The ring. */
    memset(sring, 0, TEST_PAGE_SIZE);
    SHARED_RING_INIT(sring);
    FRONT_RING_INIT(&fr, sring, TEST_PAGE_SIZE);

    /* The grant, in our own table. */
    set_xen_guest_handle(st.frame_list, &frame);
    if (!check_long("setup_table", 0, gnttab_op(GNTTABOP_setup_table, &st, 1)) ||
        !check_long("setup_table: status", GNTST_okay, st.status) ||
        !check_long(
            "map the grant table frame", 0,
            hc_update_va_mapping((unsigned long)table, mfn_pte(frame, PTE_RW_FLAGS), UVMF_INVLPG)))
        return;
    table[RING_GREF].flags = 0;
    table[RING_GREF].domid = BACK_DOMID;
    table[RING_GREF].frame = (uint32_t)va_to_mfn((unsigned long)sring);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&table[RING_GREF].flags, GTF_permit_access, __ATOMIC_RELEASE);

    /* The port for the back. */
    if (!check_long("alloc_unbound for d1", 0, hc_event_channel_op(EVTCHNOP_alloc_unbound, &au)))
        return;
    port = au.port;

    /* Published in our home, readable by d1: the directory's ACL first,
     * so that the keys written below inherit it. */
    if (!xs_expect_ok("MKDIR " FRONT_DIR, XS_MKDIR, FRONT_DIR, sizeof(FRONT_DIR)) ||
        !xs_expect_ok("SET_PERMS " FRONT_DIR " n0 r1", XS_SET_PERMS, perms, sizeof(perms)) ||
        !xs_write(FRONT_DIR "/ring-ref", "8") || !xs_write_uint(FRONT_DIR "/event-channel", port) ||
        !xs_write_uint(FRONT_DIR "/state", XenbusStateInitialised))
        return;
    printk("sharedring: front: ring-ref %u event-channel %u published, state Initialised\n",
           RING_GREF, port);

    if (!xs_watch(BACK_DIR "/state", "be") ||
        !xs_wait_state("front", BACK_DIR "/state", XenbusStateConnected))
        return;
    flags = __atomic_load_n(&table[RING_GREF].flags, __ATOMIC_ACQUIRE);
    if (!check_long("grant flags while the back has it mapped",
                    GTF_permit_access | GTF_reading | GTF_writing, flags) ||
        !check_long("revoke (cmpxchg from GTF_permit_access) while mapped fails", 0,
                    __sync_bool_compare_and_swap(&table[RING_GREF].flags, GTF_permit_access, 0)))
        return;
    if (!xs_write_uint(FRONT_DIR "/state", XenbusStateConnected))
        return;
    printk("sharedring: front: back connected, grant in use, state Connected\n");

    hits0 = port_hits[port];
    t0 = system_time_ns();
    while (checked < NR_MSGS) {
        RING_IDX prod;
        unsigned long seen;
        int n;

        while (sent < NR_MSGS && !RING_FULL(&fr)) {
            struct sr_request *req = RING_GET_REQUEST(&fr, fr.req_prod_pvt);

            req->seq = sent;
            for (unsigned int i = 0; i < PAYLOAD_WORDS; i++)
                req->payload[i] = payload_word(sent, i);
            req->pad = 0;
            fr.req_prod_pvt++;
            sent++;
        }
        if (sr_front_push_requests(&fr)) {
            if (!check_long("front: notify", 0, ev_send(port)))
                return;
            notify_sent++;
        }

        n = sr_front_responses(&fr, &prod);
        if (n < 0) {
            test_failure("front: expected a valid rsp_prod, got %u (rsp_cons %u, req_prod %u)",
                         sring->rsp_prod, fr.rsp_cons, fr.req_prod_pvt);
            return;
        }
        for (; fr.rsp_cons != prod; fr.rsp_cons++, checked++) {
            struct sr_response rsp = *RING_GET_RESPONSE(&fr, fr.rsp_cons);
            uint32_t w[PAYLOAD_WORDS], want;

            for (unsigned int i = 0; i < PAYLOAD_WORDS; i++)
                w[i] = payload_word(checked, i);
            want = checksum(checked, w);
            if (rsp.seq != checked || rsp.sum != want) {
                test_failure("front: response %u: expected seq %u sum %#x, got seq %u sum %#x",
                             checked, checked, want, rsp.seq, rsp.sum);
                return;
            }
        }
        if (n > 0 || (sent < NR_MSGS && !RING_FULL(&fr)))
            continue;
        seen = port_hits[port];
        if (sr_front_final_check(&fr))
            continue;
        waits++;
        if (!wait_event(port, seen, system_time_ns() + RING_TIMEOUT)) {
            test_failure("front: after %u responses: expected a notification within %lu ms, "
                         "got none",
                         checked, RING_TIMEOUT / MS);
            return;
        }
    }
    t1 = system_time_ns();
    printk("sharedring: front: %u requests sent, %u responses checked in %lu ms\n", sent, checked,
           (unsigned long)((t1 - t0) / MS));
    printk("sharedring: front: notifications: %lu sent to the back, %lu received, %lu blocks\n",
           notify_sent, port_hits[port] - hits0, waits);

    /* Closing: the back unmaps and says Closed; then the revoke works. */
    if (!xs_wait_state("front", BACK_DIR "/state", XenbusStateClosed))
        return;
    flags = __atomic_load_n(&table[RING_GREF].flags, __ATOMIC_ACQUIRE);
    if (!check_long("grant flags after the back's unmap", GTF_permit_access, flags) ||
        !check_long("revoke (cmpxchg of the flags)", 1,
                    __sync_bool_compare_and_swap(&table[RING_GREF].flags, GTF_permit_access, 0)))
        return;
    printk("sharedring: front: back closed, grant revoked\n");
    xs_write_uint(FRONT_DIR "/state", XenbusStateClosed);
}

/* ---------------------------------------------------------------------
 * Back (d1).
 */
static void run_back(void)
{
    static sr_back_ring_t br;
    sr_sring_t *sring = (sr_sring_t *)scratch_va(S_MAP);
    gnttab_map_grant_ref_t map = { .host_addr = scratch_va(S_MAP),
                                   .flags = GNTMAP_host_map,
                                   .dom = FRONT_DOMID };
    gnttab_unmap_grant_ref_t unmap = { .host_addr = scratch_va(S_MAP) };
    evtchn_bind_interdomain_t bi = { .remote_dom = FRONT_DOMID };
    unsigned long notify_sent = 0, waits = 0, hits0;
    uint32_t done = 0;
    long ref, remote_port;
    evtchn_port_t port;
    char err[64];

    if (!xs_watch(FRONT_DIR "/state", "fe") ||
        !xs_wait_state("back", FRONT_DIR "/state", XenbusStateInitialised))
        return;
    ref = xs_read_uint(FRONT_DIR "/ring-ref", err, sizeof(err));
    remote_port = xs_read_uint(FRONT_DIR "/event-channel", err, sizeof(err));
    if (ref < 0 || remote_port <= 0) {
        test_failure("back: expected ring-ref and event-channel, got %ld and %ld (%s)", ref,
                     remote_port, err);
        return;
    }
    printk("sharedring: back: front Initialised: ring-ref %ld event-channel %ld\n", ref,
           remote_port);

    map.ref = (grant_ref_t)ref;
    if (!check_long("map_grant_ref", 0, gnttab_op(GNTTABOP_map_grant_ref, &map, 1)) ||
        !check_long("map_grant_ref: status", GNTST_okay, map.status))
        return;
    bi.remote_port = (evtchn_port_t)remote_port;
    if (!check_long("bind_interdomain", 0, hc_event_channel_op(EVTCHNOP_bind_interdomain, &bi)))
        return;
    port = bi.local_port;
    /* Xen marks a freshly bound local end pending: take that event first,
     * so that the count below is the front's notifications only. */
    if (!wait_event(port, port_hits[port], system_time_ns() + RING_TIMEOUT)) {
        test_failure("back: bind_interdomain: expected our end marked pending, got no event");
        return;
    }
    BACK_RING_INIT(&br, sring, TEST_PAGE_SIZE);
    if (!xs_write_uint(BACK_DIR "/state", XenbusStateConnected))
        return;
    printk("sharedring: back: ring mapped, port %u bound, state Connected\n", port);

    hits0 = port_hits[port];
    while (done < NR_MSGS) {
        RING_IDX prod;
        unsigned long seen;
        int n = sr_back_requests(&br, &prod);

        if (n < 0) {
            test_failure("back: expected a valid req_prod, got %u (req_cons %u)", sring->req_prod,
                         br.req_cons);
            return;
        }
        for (; br.req_cons != prod; br.req_cons++, br.rsp_prod_pvt++, done++) {
            /* One copy: the front could rewrite the slot meanwhile. */
            struct sr_request req = *RING_GET_REQUEST(&br, br.req_cons);
            struct sr_response *rsp = RING_GET_RESPONSE(&br, br.rsp_prod_pvt);
            bool ok = req.seq == done;

            for (unsigned int i = 0; ok && i < PAYLOAD_WORDS; i++)
                ok = req.payload[i] == payload_word(done, i);
            if (!ok) {
                test_failure("back: request %u: expected seq %u and its payload, got seq %u", done,
                             done, req.seq);
                return;
            }
            rsp->seq = req.seq;
            rsp->sum = checksum(req.seq, req.payload);
        }
        if (sr_back_push_responses(&br)) {
            if (!check_long("back: notify", 0, ev_send(port)))
                return;
            notify_sent++;
        }
        if (n > 0)
            continue;
        seen = port_hits[port];
        if (sr_back_final_check(&br))
            continue;
        waits++;
        if (!wait_event(port, seen, system_time_ns() + RING_TIMEOUT)) {
            test_failure("back: after %u requests: expected a notification within %lu ms, "
                         "got none",
                         done, RING_TIMEOUT / MS);
            return;
        }
    }
    printk("sharedring: back: %u requests answered\n", done);
    printk("sharedring: back: notifications: %lu sent to the front, %lu received, %lu blocks\n",
           notify_sent, port_hits[port] - hits0, waits);

    unmap.handle = map.handle;
    if (!check_long("unmap_grant_ref", 0, gnttab_op(GNTTABOP_unmap_grant_ref, &unmap, 1)) ||
        !check_long("unmap_grant_ref: status", GNTST_okay, unmap.status) ||
        !xs_write_uint(BACK_DIR "/state", XenbusStateClosed))
        return;
    printk("sharedring: back: grant unmapped, state Closed\n");
    if (xs_wait_state("back", FRONT_DIR "/state", XenbusStateClosed))
        printk("sharedring: back: front closed\n");
}

void test_main(void)
{
    char role[8];

    if (!test_cmdline_value("role", role, sizeof(role)) ||
        (strcmp(role, "front") && strcmp(role, "back"))) {
        test_error("sharedring: expected role=front or role=back on the command line");
        return;
    }
    if (scratch_count() < S_COUNT + 1) {
        test_error("sharedring: only %lu scratch pages, need %d", scratch_count(), S_COUNT + 1);
        return;
    }
    if (!shared_info_map()) {
        test_error("sharedring: no shared_info");
        return;
    }
    xs_ring_init();
    if (!xs || !test_start_info->store_evtchn) {
        test_error("sharedring: expected a xenstore ring in start_info, got %#lx/%u",
                   (unsigned long)test_start_info->store_mfn, test_start_info->store_evtchn);
        return;
    }
    if (!events_setup())
        return;
    if (!strcmp(role, "front"))
        run_front();
    else
        run_back();
}
