/* SPDX-License-Identifier: MIT */
/*
 * xenbus_state suite: the backend's half of the XenbusState handshake
 * (hypervisor/backends/xenbus_state.c) over every pair of states, whole handshakes
 * as a frontend drives them, and the strict parsing of what a frontend
 * writes.
 */
#include <stdint.h>
#include <stdio.h>
#include <xen/io/xenbus.h>

#include "backends/xenbus_state.h"
#include "unit.h"
#include "common/array_size.h"

#define NR_STATES (XenbusStateReconfigured + 1)

/* Written from docs/xenbus.md's table, row = frontend, column = backend
 * (Unknown .. Reconfigured); N none, C connect, G closing, D closed,
 * R rearm. */
static const char expected[NR_STATES][NR_STATES + 1] = {
    /*                    U  I  W  d  C  g  D  r  R  (backend) */
    [XenbusStateUnknown] = "DDDDDDNDD",      [XenbusStateInitialising] = "NNNNNNRNN",
    [XenbusStateInitWait] = "NNNNNNNNN",     [XenbusStateInitialised] = "NNCNNNNNN",
    [XenbusStateConnected] = "NNCNNNNNN",    [XenbusStateClosing] = "GGGGGNNGG",
    [XenbusStateClosed] = "DDDDDDNDD",       [XenbusStateReconfiguring] = "NNNNNNNNN",
    [XenbusStateReconfigured] = "NNNNNNNNN",
};

static char letter(enum xbb_action a)
{
    switch (a) {
    case XBB_NONE:
        return 'N';
    case XBB_CONNECT:
        return 'C';
    case XBB_CLOSING:
        return 'G';
    case XBB_CLOSED:
        return 'D';
    case XBB_REARM:
        return 'R';
    }
    return '?';
}

static void test_every_pair(void)
{
    for (unsigned int fe = 0; fe < NR_STATES; fe++)
        for (unsigned int be = 0; be < NR_STATES; be++) {
            char what[48];

            snprintf(what, sizeof(what), "backend %s, frontend %s", xbb_state_name((XenbusState)be),
                     xbb_state_name((XenbusState)fe));
            EXPECT_TRUE_CASE(letter(xbb_next_action((XenbusState)be, (XenbusState)fe)) ==
                                 expected[fe][be],
                             what);
        }
}

/* A frontend value out of the enum is garbage: the backend lets go. */
static void test_out_of_range_frontend(void)
{
    EXPECT_INT(xbb_next_action(XenbusStateConnected, (XenbusState)9), XBB_CLOSED);
    EXPECT_INT(xbb_next_action(XenbusStateClosed, (XenbusState)1000), XBB_NONE);
}

/* The backend's state after an action, as xenbus_backend.c applies it;
 * a connect succeeds unless refuse is set. */
static XenbusState apply(XenbusState be, XenbusState fe, int refuse)
{
    switch (xbb_next_action(be, fe)) {
    case XBB_CONNECT:
        return refuse ? XenbusStateClosing : XenbusStateConnected;
    case XBB_CLOSING:
        return XenbusStateClosing;
    case XBB_CLOSED:
        return XenbusStateClosed;
    case XBB_REARM:
        return XenbusStateInitWait;
    case XBB_NONE:
    default:
        return be;
    }
}

struct step {
    XenbusState fe;
    int refuse;
    XenbusState want_be;
};

static void run_steps(const char *name, const struct step *steps, unsigned int n)
{
    XenbusState be = XenbusStateInitWait;

    for (unsigned int i = 0; i < n; i++) {
        char what[64];

        be = apply(be, steps[i].fe, steps[i].refuse);
        snprintf(what, sizeof(what), "%s, step %u", name, i);
        EXPECT_TRUE_CASE(be == steps[i].want_be, what);
    }
}

static void test_handshakes(void)
{
    /* Linux's hvc_xen and Lithos's console_front, start to finish. */
    static const struct step normal[] = {
        { XenbusStateInitialising, 0, XenbusStateInitWait },
        { XenbusStateInitialised, 0, XenbusStateConnected },
        { XenbusStateConnected, 0, XenbusStateConnected },
        { XenbusStateClosing, 0, XenbusStateClosing },
        { XenbusStateClosed, 0, XenbusStateClosed },
        /* and again, after a reboot of the frontend's driver */
        { XenbusStateInitialising, 0, XenbusStateInitWait },
        { XenbusStateConnected, 0, XenbusStateConnected },
    };
    /* A refused connect waits for the frontend to start over. */
    static const struct step refused[] = {
        { XenbusStateInitialised, 1, XenbusStateClosing },
        { XenbusStateInitialised, 0, XenbusStateClosing },
        { XenbusStateClosed, 0, XenbusStateClosed },
        { XenbusStateInitialised, 0, XenbusStateClosed },
        { XenbusStateInitialising, 0, XenbusStateInitWait },
        { XenbusStateInitialised, 0, XenbusStateConnected },
    };
    /* A frontend that garbles or deletes its state while connected. */
    static const struct step vanished[] = {
        { XenbusStateConnected, 0, XenbusStateConnected },
        { XenbusStateUnknown, 0, XenbusStateClosed },
        { XenbusStateConnected, 0, XenbusStateClosed },
    };

    run_steps("normal", normal, ARRAY_SIZE(normal));
    run_steps("refused", refused, ARRAY_SIZE(refused));
    run_steps("vanished", vanished, ARRAY_SIZE(vanished));
}

static void test_parse_state(void)
{
    static const struct {
        const char *text;
        XenbusState want;
    } cases[] = {
        { "1", XenbusStateInitialising },    { "4", XenbusStateConnected },
        { "8", XenbusStateReconfigured },    { "04", XenbusStateConnected },
        { "0", XenbusStateUnknown },         { "9", XenbusStateUnknown },
        { "", XenbusStateUnknown },          { "-1", XenbusStateUnknown },
        { "+4", XenbusStateUnknown },        { " 4", XenbusStateUnknown },
        { "4 ", XenbusStateUnknown },        { "4x", XenbusStateUnknown },
        { "0x4", XenbusStateUnknown },       { "99999999999999999999999", XenbusStateUnknown },
        { "Connected", XenbusStateUnknown },
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++)
        EXPECT_TRUE_CASE(xbb_parse_state(cases[i].text) == cases[i].want, cases[i].text);
    EXPECT_INT(xbb_parse_state(NULL), XenbusStateUnknown);
}

static void test_parse_uint(void)
{
    uint64_t v = 7;

    EXPECT_TRUE(xbb_parse_uint("0", 10, &v) && v == 0);
    EXPECT_TRUE(xbb_parse_uint("4294967295", UINT32_MAX, &v) && v == UINT32_MAX);
    EXPECT_TRUE(!xbb_parse_uint("4294967296", UINT32_MAX, &v));
    EXPECT_TRUE(xbb_parse_uint("18446744073709551615", UINT64_MAX, &v) && v == UINT64_MAX);
    EXPECT_TRUE(!xbb_parse_uint("18446744073709551616", UINT64_MAX, &v));
    EXPECT_TRUE(!xbb_parse_uint("5", 4, &v));
    EXPECT_TRUE(!xbb_parse_uint("1", 0, &v));
    EXPECT_TRUE(!xbb_parse_uint("", 10, &v));
    EXPECT_TRUE(!xbb_parse_uint("1 ", 10, &v));
    EXPECT_TRUE(!xbb_parse_uint("-0", 10, &v));
    EXPECT_TRUE(!xbb_parse_uint(NULL, 10, &v));
    EXPECT_U64(v, UINT64_MAX); /* refused parses leave the value alone */
}

void register_xenbus_state_tests(void)
{
    static const struct unit_test tests[] = {
        { "every_pair", test_every_pair }, { "out_of_range_frontend", test_out_of_range_frontend },
        { "handshakes", test_handshakes }, { "parse_state", test_parse_state },
        { "parse_uint", test_parse_uint },
    };

    UNIT_SUITE("xenbus_state", tests);
}
