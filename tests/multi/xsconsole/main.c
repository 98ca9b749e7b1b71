// SPDX-License-Identifier: MIT
/*
 * xsconsole: the console and xenstore rings Xenolith serves to every domain.
 * Two instances: role=a (d0, privileged) and role=b (d1). Each writes a line
 * through its console ring and talks xenstore over its ring; b also checks
 * that it may not read d0's home, watches a key that a then writes, has
 * its watches dropped when a re-introduces it (XS_INTRODUCE with its store
 * port; an unknown domain or another port is EINVAL), and ends by sending
 * an oversized message, which must close its ring with
 * XENSTORE_ERROR_PROTO. Xenolith only: Xen's dom0 gets neither ring.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>
#include "ring-buffers/console_ring.h"
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "tests/guest-lib/xs_ring.h"

const char test_title[] = "xsconsole";

#define MS      1000000UL
#define TIMEOUT (5000 * MS)

static struct xencons_interface *cons;
static char role[4];
static unsigned int my_id;

/* The event on the watch, once seen: "path\0token\0". */
static char watch_ev[2][64];
static unsigned int nr_watch_ev;

static void keep_watch_event(const char *payload, uint32_t len)
{
    if (nr_watch_ev < 2) {
        uint32_t n = len < sizeof(watch_ev[0]) - 1 ? len : sizeof(watch_ev[0]) - 1;

        memcpy(watch_ev[nr_watch_ev], payload, n);
        watch_ev[nr_watch_ev][n] = '\0';
    }
    nr_watch_ev++;
}

static void expect_reply(const char *what, uint32_t type, const void *payload, uint32_t plen,
                         int want_type, const char *want)
{
    char body[256];
    int t = xs_call(type, payload, plen, body, sizeof(body));

    if (t < 0) {
        test_failure("%s: expected a reply, got none in %lu ms", what, TIMEOUT / MS);
        return;
    }
    if (t != want_type || (want && strcmp(body, want)))
        test_failure("%s: expected type %d \"%s\", got type %d \"%s\"", what, want_type,
                     want ? want : "", t, body);
    else
        printk("xsconsole: %s: %s\n", what, t == XS_ERROR ? body : "ok");
}

/* path\0value, value not terminated. */
static void xs_write(const char *what, const char *path, const char *value)
{
    char msg[128];
    size_t pl = strlen(path) + 1, vl = strlen(value);

    memcpy(msg, path, pl);
    memcpy(msg + pl, value, vl);
    expect_reply(what, XS_WRITE, msg, (uint32_t)(pl + vl), XS_WRITE, "OK");
}

static bool wait_watch_events(unsigned int n)
{
    uint64_t deadline = system_time_ns() + TIMEOUT;
    char body[64];

    while (nr_watch_ev < n)
        if (xs_recv(body, sizeof(body), deadline) < 0)
            return false;
    return true;
}

static void check_watch_event(unsigned int i, const char *path, const char *token)
{
    const char *ev = watch_ev[i];

    if (strcmp(ev, path) || strcmp(ev + strlen(ev) + 1, token))
        test_failure("watch event %u: expected \"%s\" \"%s\", got \"%s\" \"%s\"", i, path, token,
                     ev, ev + strlen(ev) + 1);
    else
        printk("xsconsole: watch event %u: %s %s\n", i, path, token);
}

static void console_line(void)
{
    char line[64];
    int n = snprintf(line, sizeof(line), "xsconsole: %s: a line through the console ring\n", role);
    int w = console_ring_front_write(cons, line, (size_t)n);

    if (w != n)
        test_failure("console ring write: expected %d bytes, got %d", n, w);
    check_long("console evtchn send", 0, ev_send(test_start_info->console.domU.evtchn));
}

static void common_checks(void)
{
    char home[32], path[64], arg[8];

    snprintf(arg, sizeof(arg), "%u", my_id);
    snprintf(home, sizeof(home), "/local/domain/%u", my_id);
    expect_reply("GET_DOMAIN_PATH", XS_GET_DOMAIN_PATH, arg, (uint32_t)strlen(arg) + 1,
                 XS_GET_DOMAIN_PATH, home);
    expect_reply("READ home", XS_READ, home, (uint32_t)strlen(home) + 1, XS_READ, "");
    xs_write("WRITE data/x", "data/x", "hello");
    snprintf(path, sizeof(path), "%s/data/x", home);
    expect_reply("READ data/x", XS_READ, path, (uint32_t)strlen(path) + 1, XS_READ, "hello");
    expect_reply("DIRECTORY home", XS_DIRECTORY, home, (uint32_t)strlen(home) + 1, XS_DIRECTORY,
                 "data");
}

/* Polls until path can be read; false after TIMEOUT. */
static bool wait_key(const char *path)
{
    uint64_t deadline = system_time_ns() + TIMEOUT;
    char body[64];

    while (xs_call(XS_READ, path, (uint32_t)strlen(path) + 1, body, sizeof(body)) != XS_READ) {
        if (system_time_ns() >= deadline) {
            test_failure("%s: expected it within %lu ms, got nothing", path, TIMEOUT / MS);
            return false;
        }
        hc_sched_op(SCHEDOP_yield, NULL);
    }
    return true;
}

/* d0: waits for b's ready flag, then writes the key b watches; then, once
 * b watches data/gone, re-introduces b and writes that key too. */
static void run_a(void)
{
    static const char intro_unknown[] = "42\0"
                                        "0\0"
                                        "1";
    static const char intro_port[] = "1\0"
                                     "0\0"
                                     "7";
    static const char intro_b[] = "1\0"
                                  "0\0"
                                  "1";

    if (!wait_key("/local/domain/1/data/ready"))
        return;
    xs_write("WRITE d1's data/flag", "/local/domain/1/data/flag", "go");
    if (!wait_key("/local/domain/1/data/ready2"))
        return;
    expect_reply("INTRODUCE domain 42", XS_INTRODUCE, intro_unknown, sizeof(intro_unknown),
                 XS_ERROR, "EINVAL");
    expect_reply("INTRODUCE d1 with port 7", XS_INTRODUCE, intro_port, sizeof(intro_port), XS_ERROR,
                 "EINVAL");
    expect_reply("INTRODUCE d1 with its store port", XS_INTRODUCE, intro_b, sizeof(intro_b),
                 XS_INTRODUCE, "OK");
    xs_write("WRITE d1's data/gone", "/local/domain/1/data/gone", "x");
    xs_write("WRITE d1's data/after", "/local/domain/1/data/after", "1");
}

static void run_b(void)
{
    static const char other[] = "/local/domain/0";
    static const char watch[] = "data/flag\0tok";
    char huge[sizeof(struct xsd_sockmsg)];
    struct xsd_sockmsg h = { .type = XS_WRITE, .req_id = 99, .len = XENSTORE_PAYLOAD_MAX + 1 };
    uint64_t deadline;

    expect_reply("READ d0's home", XS_READ, other, sizeof(other), XS_ERROR, "EACCES");
    expect_reply("WATCH data/flag", XS_WATCH, watch, sizeof(watch), XS_WATCH, "OK");
    if (!wait_watch_events(1)) {
        test_failure("watch: expected the initial event, got none");
        return;
    }
    check_watch_event(0, "data/flag", "tok");
    xs_write("WRITE data/ready", "data/ready", "1");
    if (!wait_watch_events(2)) {
        test_failure("watch: expected an event for a's write, got none");
        return;
    }
    check_watch_event(1, "data/flag", "tok");
    expect_reply("READ data/flag", XS_READ, "/local/domain/1/data/flag",
                 sizeof("/local/domain/1/data/flag"), XS_READ, "go");

    /* A re-introduce drops our watches: a's write of data/gone, made
     * before its write of data/after, must bring no event. */
    expect_reply("WATCH data/gone", XS_WATCH, "data/gone\0tok2", sizeof("data/gone\0tok2"),
                 XS_WATCH, "OK");
    if (!wait_watch_events(3)) {
        test_failure("watch data/gone: expected the initial event, got none");
        return;
    }
    xs_write("WRITE data/ready2", "data/ready2", "1");
    if (!wait_key("data/after"))
        return;
    if (check_long("watch events after the re-introduce", 3, nr_watch_ev))
        printk("xsconsole: re-introduced: watch on data/gone dropped\n");

    /* Last: an oversized header closes the ring (docs/xenstore.md). */
    memcpy(huge, &h, sizeof(h));
    xs_put(huge, sizeof(huge), system_time_ns() + TIMEOUT);
    ev_send(test_start_info->store_evtchn);
    deadline = system_time_ns() + TIMEOUT;
    while (__atomic_load_n(&xs->error, __ATOMIC_ACQUIRE) == XENSTORE_ERROR_NONE &&
           system_time_ns() < deadline)
        hc_sched_op(SCHEDOP_yield, NULL);
    if (check_long("oversized message: ring error", XENSTORE_ERROR_PROTO, xs->error) &&
        check_long("oversized message: no reply", 0, xs->rsp_prod - xs->rsp_cons))
        printk("xsconsole: oversized message: ring error XENSTORE_ERROR_PROTO\n");
}

void test_main(void)
{
    if (!test_cmdline_value("role", role, sizeof(role)) ||
        (strcmp(role, "a") && strcmp(role, "b"))) {
        test_error("xsconsole: expected role=a or role=b on the command line");
        return;
    }
    my_id = role[0] == 'a' ? 0 : 1;
    if (!shared_info_map()) {
        test_error("xsconsole: no shared_info");
        return;
    }
    xs_ring_init();
    xs_on_watch_event = keep_watch_event;
    cons = (struct xencons_interface *)mfn_to_va(test_start_info->console.domU.mfn);
    if (!xs || !cons || !test_start_info->store_evtchn || !test_start_info->console.domU.evtchn) {
        test_error(
            "xsconsole: expected both rings in start_info, got store %#lx/%u console %#lx/%u",
            (unsigned long)test_start_info->store_mfn, test_start_info->store_evtchn,
            (unsigned long)test_start_info->console.domU.mfn, test_start_info->console.domU.evtchn);
        return;
    }
    printk("xsconsole: %s: store port %u, console port %u\n", role, test_start_info->store_evtchn,
           test_start_info->console.domU.evtchn);
    console_line();
    common_checks();
    if (my_id == 0)
        run_a();
    else
        run_b();
}
