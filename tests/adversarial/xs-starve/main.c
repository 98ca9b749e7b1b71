// SPDX-License-Identifier: MIT
/*
 * xs-starve: unprivileged guests each take all they can of the xenstore
 * pools (docs/xenstore.md, "Shares") while the privileged domain and a
 * console device's frontend must still get theirs. One image, the role on
 * the command line:
 *   role=attack  opens its share of transactions, fills them with read
 *                markers for absent paths until its share of node records
 *                is used, then adds watches with long tokens until its
 *                memory is used; then says so in data/state and holds it
 *                all until d0 writes its data/done.
 *   role=priv    (d0, attackers=<n>) waits until domains 2 .. n+1 hold
 *                their shares, then creates nodes, commits a transaction
 *                of many reads and a write, and hears a watch; then lets
 *                d1 connect its device (d1's data/go) and, once d1 is
 *                done (data/front), lets d1 (data/bye) and the attackers
 *                (data/done) end.
 *   role=front   (d1, consoles=2) on data/go, connects device/console/1
 *                through Xenolith's backend, writes a line on it and
 *                closes it again.
 * Xenolith only (boot test xenstore-starvation).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/sched.h>
#include <xen/io/console.h>
#include <xen/io/xenbus.h>
#include <xen/io/xs_wire.h>
#include "tests/guest-lib/grant.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "tests/guest-lib/xs_ring.h"

const char test_title[] = "xs-starve";

#define MS        1000000UL
#define WAIT_NS   (60000 * MS) /* TCG, and six guests on two cores */
#define TOKEN_LEN 2950         /* a watch of 51 blocks */
#define NR_TX     11           /* the share of transactions */
#define DEV       "device/console/1"
#define REF_RING  8

/* ---- helpers ---- */

static bool yield_until(uint64_t deadline)
{
    hc_sched_op(SCHEDOP_yield, NULL);
    return system_time_ns() < deadline;
}

/* Polls a node until it reads `want` (NULL: any value). */
static bool wait_node(const char *path, const char *want, const char *why)
{
    uint64_t deadline = system_time_ns() + WAIT_NS;
    char body[64];

    do {
        if (xs_call(XS_READ, path, (uint32_t)strlen(path) + 1, body, sizeof(body)) == XS_READ &&
            (!want || !strcmp(body, want)))
            return true;
    } while (yield_until(deadline));
    test_failure("%s: expected %s to read \"%s\", got \"%s\"", why, path, want ? want : "*", body);
    return false;
}

static bool write_ok(const char *path, const char *value, const char *why)
{
    char body[64];
    int t = xs_write_value(path, value, body, sizeof(body));

    if (t != XS_WRITE) {
        test_failure("%s: WRITE %s: expected OK, got type %d \"%s\"", why, path, t, body);
        return false;
    }
    return true;
}

/* ---- role=attack ---- */

static uint32_t tx_ids[NR_TX];

static bool open_transactions(void)
{
    char body[64];
    unsigned int n;
    int t;

    for (n = 0; n < NR_TX + 1; n++) {
        t = xs_call(XS_TRANSACTION_START, "", 1, body, sizeof(body));
        if (t != XS_TRANSACTION_START)
            break;
        tx_ids[n] = (uint32_t)strtoul(body, NULL, 10);
    }
    if (t != XS_ERROR || strcmp(body, "ENOSPC") || n != NR_TX) {
        test_failure("transactions: expected ENOSPC after %u, got \"%s\" after %u", NR_TX, body, n);
        return false;
    }
    printk("xs-starve: attack: transactions: ENOSPC after %u\n", n);
    return true;
}

/* Reads of absent paths, one transaction after another as each reaches its
 * own quota (ENOSPC), until the share of node records is used (ENOMEM). */
static bool read_markers(void)
{
    char path[24], body[64];
    unsigned int n = 0, k = 0;
    int t;

    for (;;) {
        snprintf(path, sizeof(path), "m%u", n);
        t = xs_call_tx(XS_READ, tx_ids[k], path, (uint32_t)strlen(path) + 1, body, sizeof(body));
        if (t == XS_ERROR && !strcmp(body, "ENOENT")) {
            n++;
            continue;
        }
        if (t == XS_ERROR && !strcmp(body, "ENOSPC") && ++k < NR_TX)
            continue;
        break;
    }
    if (t != XS_ERROR || strcmp(body, "ENOMEM")) {
        test_failure("read markers: expected ENOMEM, got type %d \"%s\" after %u", t, body, n);
        return false;
    }
    printk("xs-starve: attack: read markers: ENOMEM after %u reads\n", n);
    return true;
}

static bool long_watches(void)
{
    static char msg[32 + TOKEN_LEN];
    char body[64];
    unsigned int n;
    int t;

    for (n = 0; n < 200; n++) {
        int len = snprintf(msg, 32, "w%u", n) + 1;

        memset(msg + len, 'k', TOKEN_LEN);
        msg[len + TOKEN_LEN] = '\0';
        t = xs_call(XS_WATCH, msg, (uint32_t)(len + TOKEN_LEN + 1), body, sizeof(body));
        if (t != XS_WATCH)
            break;
        /* The initial event (3 KiB, if it fitted) follows the reply: a short
         * request, which fits the empty request ring, reads it out of the
         * way before the next long one has to wait for the ring. */
        t = xs_call(XS_READ, "data/state", sizeof("data/state"), body, sizeof(body));
        if (t != XS_READ) {
            test_failure("long watches: READ data/state: expected fill, got type %d \"%s\"", t,
                         body);
            return false;
        }
    }
    if (t != XS_ERROR || strcmp(body, "ENOMEM")) {
        test_failure("long watches: expected ENOMEM, got type %d \"%s\" after %u", t, body, n);
        return false;
    }
    printk("xs-starve: attack: watches with long tokens: ENOMEM after %u\n", n);
    return true;
}

static void run_attack(void)
{
    /* Written before the pools fill: a rewrite of the same size takes
     * nothing more, so it still works at the share. */
    if (!write_ok("data/state", "fill", "attack") || !open_transactions() || !read_markers() ||
        !long_watches() || !write_ok("data/state", "full", "attack at its share"))
        return;
    printk("xs-starve: attack: holding its share\n");
    if (wait_node("data/done", NULL, "attack"))
        printk("xs-starve: attack: released\n");
}

/* ---- role=priv ---- */

static bool priv_checks(void)
{
    char path[48], body[64], id[16];
    unsigned int i;
    uint32_t tx;
    int t;

    for (i = 0; i < 20; i++) {
        snprintf(path, sizeof(path), "data/after/n%u", i);
        if (!write_ok(path, "v", "priv"))
            return false;
    }
    printk("xs-starve: priv: 20 new nodes: ok\n");
    if (xs_call(XS_TRANSACTION_START, "", 1, id, sizeof(id)) != XS_TRANSACTION_START) {
        test_failure("priv: TRANSACTION_START: expected an id, got \"%s\"", id);
        return false;
    }
    tx = (uint32_t)strtoul(id, NULL, 10);
    for (i = 0; i < 200; i++) {
        snprintf(path, sizeof(path), "data/absent/m%u", i);
        t = xs_call_tx(XS_READ, tx, path, (uint32_t)strlen(path) + 1, body, sizeof(body));
        if (t != XS_ERROR || strcmp(body, "ENOENT")) {
            test_failure("priv: READ %s in a transaction: expected ENOENT, got \"%s\"", path, body);
            return false;
        }
    }
    static const char w[] = "data/tx\0"
                            "written";
    t = xs_call_tx(XS_WRITE, tx, w, sizeof(w) - 1, body, sizeof(body));
    if (t != XS_WRITE) {
        test_failure("priv: WRITE in a transaction: expected OK, got \"%s\"", body);
        return false;
    }
    t = xs_call_tx(XS_TRANSACTION_END, tx, "T", 2, body, sizeof(body));
    if (t != XS_TRANSACTION_END || !wait_node("data/tx", "written", "priv")) {
        test_failure("priv: TRANSACTION_END: expected OK, got \"%s\"", body);
        return false;
    }
    printk("xs-starve: priv: transaction of 200 reads and a write: committed\n");
    unsigned long before = xs_watch_events;
    if (xs_call(XS_WATCH, "data/w\0tok", sizeof("data/w\0tok"), body, sizeof(body)) != XS_WATCH ||
        !write_ok("data/w", "1", "priv")) {
        test_failure("priv: WATCH data/w: expected OK, got \"%s\"", body);
        return false;
    }
    /* The initial event and the write's, read beside the replies. */
    uint64_t deadline = system_time_ns() + WAIT_NS;
    while (xs_watch_events < before + 2 && yield_until(deadline))
        xs_call(XS_READ, "data/w", sizeof("data/w"), body, sizeof(body));
    if (!check_long("priv: watch events", 2, (long)(xs_watch_events - before)))
        return false;
    printk("xs-starve: priv: watch: event for the write\n");
    return true;
}

static void run_priv(void)
{
    char arg[8], path[48];
    unsigned int n, d;

    if (!test_cmdline_value("attackers", arg, sizeof(arg)) || !(n = (unsigned int)atoi(arg))) {
        test_error("xs-starve: priv: expected attackers=<n>");
        return;
    }
    for (d = 2; d < 2 + n; d++) {
        snprintf(path, sizeof(path), "/local/domain/%u/data/state", d);
        if (!wait_node(path, "full", "priv"))
            return;
    }
    printk("xs-starve: priv: every attacker holds its share\n");
    if (!priv_checks() || !write_ok("/local/domain/1/data/go", "1", "priv") ||
        !wait_node("/local/domain/1/data/front", "done", "priv") ||
        !write_ok("/local/domain/1/data/bye", "1", "priv"))
        return;
    for (d = 2; d < 2 + n; d++) {
        snprintf(path, sizeof(path), "/local/domain/%u/data/done", d);
        if (!write_ok(path, "1", "priv"))
            return;
    }
    printk("xs-starve: priv: the device connected, the attackers released\n");
}

/* ---- role=front: a console frontend (docs/xenbus.md) ---- */

static char backend[96];

static int be_state(void)
{
    char path[128], body[16];

    snprintf(path, sizeof(path), "%s/state", backend);
    if (xs_call(XS_READ, path, (uint32_t)strlen(path) + 1, body, sizeof(body)) != XS_READ)
        return -1;
    return (int)strtol(body, NULL, 10);
}

static bool wait_be(int want, const char *why)
{
    uint64_t deadline = system_time_ns() + WAIT_NS;
    int got;

    while ((got = be_state()) != want && yield_until(deadline))
        ;
    if (got != want)
        test_failure("front: %s: backend state %d, expected %d", why, got, want);
    return got == want;
}

static bool fe_write(const char *node, const char *value)
{
    char path[64];

    snprintf(path, sizeof(path), DEV "/%s", node);
    return write_ok(path, value, "front");
}

static void run_front(void)
{
    static const char line[] = "xs-starve: front: a line through console 1\n";
    xen_pfn_t frame = 0;
    gnttab_setup_table_t st = { .dom = DOMID_SELF, .nr_frames = 1 };
    evtchn_alloc_unbound_t un = { .dom = DOMID_SELF, .remote_dom = 0 };
    grant_entry_v1_t *table;
    struct xencons_interface *ring;
    char body[96], v[12];

    if (!wait_node("data/go", "1", "front"))
        return;
    if (xs_call(XS_READ, DEV "/backend", sizeof(DEV "/backend"), body, sizeof(body)) != XS_READ) {
        test_error("front: no " DEV " (boot with consoles=2): %s", body);
        return;
    }
    snprintf(backend, sizeof(backend), "%s", body);
    /* A frontend grants to, and leaves its port for, the device's backend-id. */
    if (xs_call(XS_READ, DEV "/backend-id", sizeof(DEV "/backend-id"), body, sizeof(body)) !=
        XS_READ) {
        test_error("front: no " DEV "/backend-id: %s", body);
        return;
    }
    un.remote_dom = (domid_t)strtoul(body, NULL, 10);
    set_xen_guest_handle(st.frame_list, &frame);
    if (gnttab_op(GNTTABOP_setup_table, &st, 1) || st.status != GNTST_okay || !frame ||
        hc_update_va_mapping(scratch_va(0), mfn_pte(frame, PTE_RW_FLAGS), UVMF_INVLPG) ||
        hc_event_channel_op(EVTCHNOP_alloc_unbound, &un)) {
        test_error("front: cannot set up the grant table and port");
        return;
    }
    table = (grant_entry_v1_t *)scratch_va(0);
    ring = (struct xencons_interface *)scratch_va(1);
    memset(ring, 0, 4096);
    grant_set(table, REF_RING, un.remote_dom, va_to_mfn(scratch_va(1)), GTF_permit_access);
    snprintf(v, sizeof(v), "%u", un.port);
    if (!wait_be(XenbusStateInitWait, "at start") || !fe_write("ring-ref", "8") ||
        !fe_write("port", v) || !fe_write("state", "3") ||
        !wait_be(XenbusStateConnected, "connect"))
        return;
    XENCONS_RING_IDX prod = ring->out_prod;
    for (size_t i = 0; i < sizeof(line) - 1; i++)
        ring->out[MASK_XENCONS_IDX(prod + i, ring->out)] = line[i];
    __atomic_store_n(&ring->out_prod, prod + (XENCONS_RING_IDX)(sizeof(line) - 1),
                     __ATOMIC_RELEASE);
    ev_send(un.port);
    /* The line is out once the backend has consumed it. */
    uint64_t deadline = system_time_ns() + WAIT_NS;
    while (__atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE) != ring->out_prod &&
           yield_until(deadline))
        ;
    if (!fe_write("state", "5") || !wait_be(XenbusStateClosing, "close") ||
        !fe_write("state", "6") || !wait_be(XenbusStateClosed, "close"))
        return;
    printk("xs-starve: front: console 1 connected, written and closed\n");
    /* Its nodes go with it when it ends: d0 must have read them first. */
    if (write_ok("data/front", "done", "front"))
        wait_node("data/bye", "1", "front");
}

void test_main(void)
{
    char role[12];

    if (!test_cmdline_value("role", role, sizeof(role))) {
        test_error("xs-starve: expected role= on the command line");
        return;
    }
    if (!shared_info_map() || !xs_ring_init()) {
        test_error("xs-starve: no shared_info or xenstore ring");
        return;
    }
    if (!strcmp(role, "attack"))
        run_attack();
    else if (!strcmp(role, "priv"))
        run_priv();
    else if (!strcmp(role, "front"))
        run_front();
    else
        test_error("xs-starve: unknown role %s", role);
}
