// SPDX-License-Identifier: MIT
/*
 * frontend-abuse: a hostile frontend against Xenolith's console-device
 * backend (docs/xenbus.md), on its own device/console/1, beside a victim
 * Lithos whose console device must keep working. Role on the command line:
 *   role=abuse  every refusal of the handshake: missing and malformed
 *               ring-ref and port, grants the backend must not map (beyond
 *               the table, for another domain, read-only, without
 *               GTF_permit_access, a sub-page grant, a foreign frame, our
 *               own page-table frame), ports it must not bind (free, for
 *               another domain, the store's, absurd), garbage states, the
 *               backend's directory read-only to us; then a real connect
 *               (a line on the ring, revoke refused while mapped), a close,
 *               a reconnect ended by deleting our state node, 100 connect
 *               and close cycles, and power-off while connected.
 *   role=idx    connects, then an absurd out_prod on the device's ring:
 *               crashed.
 * After every refusal no grant of ours is left in use. Xenolith only.
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
#include <xen/io/xenbus.h>
#include <xen/io/xs_wire.h>
#include "tests/guest-lib/grant.h"
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "tests/guest-lib/xs_ring.h"
#include "common/array_size.h"

const char test_title[] = "frontend-abuse";

#define MS      1000000UL
#define WAIT_NS (2000 * MS)
#define CYCLES  100
#define DEV     "device/console/1"

enum {
    REF_RING = 8, /* the ring page, writable, to the backend */
    REF_DOM7,     /* to domain 7 */
    REF_RO,       /* read-only, to the backend */
    REF_NOPERM,   /* no GTF_permit_access */
    REF_SUBPAGE,  /* GTF_sub_page */
    REF_FOREIGN,  /* a frame that is not ours */
    REF_PTABLE,   /* our own L4 */
    REF_DOM0,     /* to domain 0, the privileged guest, not the backend */
    REF_LAST = REF_DOM0,
};

static grant_entry_v1_t *table;
static struct xencons_interface *ring;
static char backend[96];
static domid_t backend_id; /* the device's backend-id: Xenolith's backends' own */

static long alloc_unbound(domid_t remote, evtchn_port_t *port)
{
    evtchn_alloc_unbound_t op = { .dom = DOMID_SELF, .remote_dom = remote };
    long rc = hc_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    *port = op.port;
    return rc;
}

/* ---- xenstore ---- */

static bool fe_write(const char *node, const char *value)
{
    char path[64], body[64];
    int t;

    snprintf(path, sizeof(path), DEV "/%s", node);
    t = xs_write_value(path, value, body, sizeof(body));
    if (t != XS_WRITE) {
        test_error("writing %s = \"%s\": %s", path, value, t == XS_ERROR ? body : "no reply");
        return false;
    }
    return true;
}

static void fe_rm(const char *node)
{
    char path[64], body[64];

    snprintf(path, sizeof(path), DEV "/%s", node);
    xs_call(XS_RM, path, (uint32_t)strlen(path) + 1, body, sizeof(body));
}

/* The backend's node, or "" if it cannot be read. */
static const char *be_read(const char *node, char *body, uint32_t max)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/%s", backend, node);
    if (xs_call(XS_READ, path, (uint32_t)strlen(path) + 1, body, max) != XS_READ)
        body[0] = '\0';
    return body;
}

static int be_state(void)
{
    char body[16];

    be_read("state", body, sizeof(body));
    return body[0] ? (int)strtol(body, NULL, 10) : -1;
}

static bool wait_be(int want, const char *why)
{
    uint64_t deadline = system_time_ns() + WAIT_NS;
    int got;

    while ((got = be_state()) != want && system_time_ns() < deadline)
        hc_sched_op(SCHEDOP_yield, NULL);
    if (got != want)
        test_failure("%s: backend state %d, expected %d", why, got, want);
    return got == want;
}

static bool fe_state(XenbusState s)
{
    char v[4];

    snprintf(v, sizeof(v), "%d", (int)s);
    return fe_write("state", v);
}

/* No grant of ours may be left in use by the backend. */
static bool grants_released(const char *why)
{
    for (grant_ref_t r = REF_RING; r <= REF_LAST; r++)
        if (table[r].flags & (GTF_reading | GTF_writing)) {
            test_failure("%s: grant %u still in use (flags %#x)", why, r, table[r].flags);
            return false;
        }
    return true;
}

/* Closed, then Initialising: the backend back in InitWait, its error gone. */
static bool start_over(const char *why)
{
    char body[64];

    if (!fe_state(XenbusStateClosed) || !wait_be(XenbusStateClosed, why) ||
        !fe_state(XenbusStateInitialising) || !wait_be(XenbusStateInitWait, why))
        return false;
    if (be_read("error", body, sizeof(body))[0]) {
        test_failure("%s: error node \"%s\" survived the restart", why, body);
        return false;
    }
    return true;
}

/* ---- set-up ---- */

static bool set_up(void)
{
    xen_pfn_t frame = 0;
    gnttab_setup_table_t st = { .dom = DOMID_SELF, .nr_frames = 1 };
    char body[96];
    int t;

    if (!shared_info_map()) {
        test_error("frontend-abuse: no shared_info");
        return false;
    }
    if (!xs_ring_init()) {
        test_error("frontend-abuse: no xenstore ring");
        return false;
    }
    t = xs_call(XS_READ, DEV "/backend", sizeof(DEV "/backend"), body, sizeof(body));
    if (t != XS_READ) {
        test_error("frontend-abuse: no " DEV " (boot with consoles=2): %s", body);
        return false;
    }
    snprintf(backend, sizeof(backend), "%s", body);
    t = xs_call(XS_READ, DEV "/backend-id", sizeof(DEV "/backend-id"), body, sizeof(body));
    if (t != XS_READ || !strcmp(body, "0")) {
        test_failure("frontend-abuse: backend-id: expected the backends' own id, got \"%s\"", body);
        return false;
    }
    backend_id = (domid_t)strtoul(body, NULL, 10);
    printk("frontend-abuse: backend-id %u, not the privileged guest's 0\n", backend_id);
    set_xen_guest_handle(st.frame_list, &frame);
    if (gnttab_op(GNTTABOP_setup_table, &st, 1) || st.status != GNTST_okay || !frame ||
        hc_update_va_mapping(scratch_va(0), mfn_pte(frame, PTE_RW_FLAGS), UVMF_INVLPG)) {
        test_error("frontend-abuse: cannot set up the grant table");
        return false;
    }
    table = (grant_entry_v1_t *)scratch_va(0);
    ring = (struct xencons_interface *)scratch_va(1);
    memset(ring, 0, 4096);
    grant_set(table, REF_RING, backend_id, va_to_mfn(scratch_va(1)), GTF_permit_access);
    grant_set(table, REF_DOM7, 7, va_to_mfn(scratch_va(1)), GTF_permit_access);
    grant_set(table, REF_RO, backend_id, va_to_mfn(scratch_va(1)),
              GTF_permit_access | GTF_readonly);
    grant_set(table, REF_NOPERM, backend_id, va_to_mfn(scratch_va(1)), GTF_readonly);
    grant_set(table, REF_SUBPAGE, backend_id, va_to_mfn(scratch_va(1)),
              GTF_permit_access | GTF_sub_page);
    grant_set(table, REF_FOREIGN, backend_id, foreign_mfn(), GTF_permit_access);
    grant_set(table, REF_PTABLE, backend_id, l4_mfn(), GTF_permit_access);
    grant_set(table, REF_DOM0, 0, va_to_mfn(scratch_va(1)), GTF_permit_access);
    return wait_be(XenbusStateInitWait, "at start");
}

/* ---- refusals ---- */

/* ring-ref and port as given (NULL: no node), then Initialised: the
 * backend must go Closing with exactly `error`, hold no grant, and take
 * a restart. */
static void refused(const char *what, const char *ref, const char *port, const char *error)
{
    char body[128];

    fe_rm("ring-ref");
    fe_rm("port");
    if ((ref && !fe_write("ring-ref", ref)) || (port && !fe_write("port", port)) ||
        !fe_state(XenbusStateInitialised) || !wait_be(XenbusStateClosing, what))
        return;
    be_read("error", body, sizeof(body));
    if (strcmp(body, error)) {
        test_failure("%s: error \"%s\", expected \"%s\"", what, body, error);
        return;
    }
    if (grants_released(what) && start_over(what))
        printk("frontend-abuse: %s: refused (%s)\n", what, body);
}

static void refusals(evtchn_port_t good_port)
{
    char port[12], err[128];
    evtchn_port_t dom7_port;

    snprintf(port, sizeof(port), "%u", good_port);
    refused("ring-ref missing", NULL, port, "2 ring-ref is missing");
    refused("ring-ref \"abc\"", "abc", port, "22 ring-ref is not a grant reference");
    refused("ring-ref \"-8\"", "-8", port, "22 ring-ref is not a grant reference");
    refused("ring-ref \"0x8\"", "0x8", port, "22 ring-ref is not a grant reference");
    refused("ring-ref \"8 \"", "8 ", port, "22 ring-ref is not a grant reference");
    refused("ring-ref 2^32", "4294967296", port, "22 ring-ref is not a grant reference");
    refused("port missing", "8", NULL, "2 port is missing");
    refused("port \"x\"", "8", "x", "22 port is not a port number");

    snprintf(err, sizeof(err), "22 grant 100000 cannot be mapped writable (GNTST %d)",
             GNTST_bad_gntref);
    refused("ring-ref beyond the table", "100000", port, err);
    static const struct {
        const char *what, *ref;
        int st;
    } grants[] = {
        { "grant for domain 7", "9", GNTST_general_error },
        { "read-only grant", "10", GNTST_general_error },
        { "grant without GTF_permit_access", "11", GNTST_general_error },
        { "sub-page grant", "12", GNTST_general_error },
        { "grant of a foreign frame", "13", GNTST_bad_page },
        { "grant of our own L4", "14", GNTST_general_error },
        { "grant for domain 0", "15", GNTST_general_error },
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(grants); i++) {
        snprintf(err, sizeof(err), "22 grant %s cannot be mapped writable (GNTST %d)",
                 grants[i].ref, grants[i].st);
        refused(grants[i].what, grants[i].ref, port, err);
    }

    snprintf(err, sizeof(err), "22 port 60 is not unbound for domain %u", backend_id);
    refused("free port 60", "8", "60", err);
    static const struct {
        const char *what;
        domid_t dom;
    } others[] = {
        { "port for domain 7", 7 },
        { "port for domain 0", 0 },
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(others); i++) {
        if (alloc_unbound(others[i].dom, &dom7_port)) {
            test_error("alloc_unbound for domain %u failed", others[i].dom);
            return;
        }
        snprintf(port, sizeof(port), "%u", dom7_port);
        snprintf(err, sizeof(err), "22 port %u is not unbound for domain %u", dom7_port,
                 backend_id);
        refused(others[i].what, "8", port, err);
    }
    snprintf(port, sizeof(port), "%u", test_start_info->store_evtchn);
    snprintf(err, sizeof(err), "22 port %u is not unbound for domain %u",
             test_start_info->store_evtchn, backend_id);
    refused("the store's port", "8", port, err);
    snprintf(err, sizeof(err), "22 port 4294967295 is not unbound for domain %u", backend_id);
    refused("port 2^32-1", "8", "4294967295", err);
}

static void garbage_states(void)
{
    static const char *const states[] = { "banana", "99", "", "-4", " 3", "3 ", "0x3" };
    char body[64];

    for (unsigned int i = 0; i < ARRAY_SIZE(states); i++) {
        char what[48];

        snprintf(what, sizeof(what), "state \"%s\"", states[i]);
        if (!fe_write("state", states[i]) || !wait_be(XenbusStateClosed, what) ||
            !fe_state(XenbusStateInitialising) || !wait_be(XenbusStateInitWait, what))
            return;
    }
    printk("frontend-abuse: garbage states: backend Closed each time\n");
    /* The backend's directory is the backend's. */
    char path[128];
    int t;

    snprintf(path, sizeof(path), "%s/state", backend);
    t = xs_write_value(path, "4", body, sizeof(body));
    if (t != XS_ERROR || strcmp(body, "EACCES"))
        test_failure("writing the backend's state: expected EACCES, got %d \"%s\"", t, body);
    else if (be_state() != XenbusStateInitWait)
        test_failure("the backend's state changed under a refused write");
    else
        printk("frontend-abuse: writing the backend's state: EACCES\n");
    t = xs_call(XS_READ, "/local/domain/0/" DEV "/state", sizeof("/local/domain/0/" DEV "/state"),
                body, sizeof(body));
    if (t != XS_ERROR || strcmp(body, "EACCES"))
        test_failure("reading d0's device state: expected EACCES, got %d \"%s\"", t, body);
    else
        printk("frontend-abuse: reading d0's device: EACCES\n");
}

/* ---- the real thing ---- */

static bool connect(evtchn_port_t port, XenbusState how)
{
    char v[12];

    snprintf(v, sizeof(v), "%u", port);
    return fe_write("ring-ref", "8") && fe_write("port", v) && fe_state(how) &&
           wait_be(XenbusStateConnected, "connect");
}

static void write_line(evtchn_port_t port, const char *s)
{
    size_t n = strlen(s);
    XENCONS_RING_IDX prod = ring->out_prod;

    for (size_t i = 0; i < n; i++)
        ring->out[MASK_XENCONS_IDX(prod + i, ring->out)] = s[i];
    __atomic_store_n(&ring->out_prod, prod + (XENCONS_RING_IDX)n, __ATOMIC_RELEASE);
    ev_send(port);
}

static void connected_use(evtchn_port_t port)
{
    uint16_t flags;

    if (!connect(port, XenbusStateInitialised))
        return;
    write_line(port, "frontend-abuse: hello on console 1\n");
    flags = __atomic_load_n(&table[REF_RING].flags, __ATOMIC_ACQUIRE);
    if ((flags & (GTF_reading | GTF_writing)) != (GTF_reading | GTF_writing))
        test_failure("connected: ring grant flags %#x lack GTF_reading|GTF_writing", flags);
    else
        printk("frontend-abuse: connected: revoke refused (GTF_reading|GTF_writing)\n");
    /* A second Initialised changes nothing. */
    fe_state(XenbusStateInitialised);
    if (be_state() != XenbusStateConnected)
        test_failure("a repeated Initialised disturbed the connection");
    /* The orderly close, then the grant is ours to revoke. */
    if (!fe_state(XenbusStateClosing) || !wait_be(XenbusStateClosing, "close") ||
        !fe_state(XenbusStateClosed) || !wait_be(XenbusStateClosed, "close") ||
        !grants_released("after the close"))
        return;
    printk("frontend-abuse: closed: grant released\n");
    /* Again, connecting with Connected straight away, ended by deleting
     * our state node: the backend lets go all the same. */
    if (!fe_state(XenbusStateInitialising) || !wait_be(XenbusStateInitWait, "reconnect") ||
        !connect(port, XenbusStateConnected))
        return;
    fe_rm("state");
    if (wait_be(XenbusStateClosed, "state deleted") && grants_released("state deleted"))
        printk("frontend-abuse: state deleted while connected: backend Closed, grant released\n");
}

static void cycles(evtchn_port_t port)
{
    unsigned int done = 0;

    fe_state(XenbusStateInitialising);
    if (!wait_be(XenbusStateInitWait, "cycles"))
        return;
    for (unsigned int i = 0; i < CYCLES; i++) {
        if (!connect(port, XenbusStateInitialised) || !fe_state(XenbusStateClosed) ||
            !wait_be(XenbusStateClosed, "cycle") || !grants_released("cycle") ||
            !fe_state(XenbusStateInitialising) || !wait_be(XenbusStateInitWait, "cycle"))
            return;
        done++;
    }
    printk("frontend-abuse: %u connect and close cycles, every grant released\n", done);
}

void test_main(void)
{
    char role[16];
    evtchn_port_t port;

    if (!test_cmdline_value("role", role, sizeof(role)) || !set_up())
        return;
    if (alloc_unbound(backend_id, &port)) {
        test_error("alloc_unbound for the backend failed");
        return;
    }
    if (!strcmp(role, "idx")) {
        if (!connect(port, XenbusStateInitialised))
            return;
        printk("frontend-abuse: connected; out_prod 0x10000 ahead\n");
        __atomic_store_n(&ring->out_prod, ring->out_cons + 0x10000, __ATOMIC_RELEASE);
        ev_send(port);
        test_failure("frontend-abuse: still running after a hostile out_prod");
        return;
    }
    refusals(port);
    garbage_states();
    connected_use(port);
    cycles(port);
    /* Power off while connected: teardown must let go of it. */
    if (connect(port, XenbusStateInitialised))
        printk("frontend-abuse: powering off while connected\n");
}
