/* SPDX-License-Identifier: MIT */
/*
 * The backend's XenbusState code over arbitrary inputs. Byte 0 is the
 * backend's state and byte 1 the frontend's (signed, so garbage values on
 * both sides of the enum come up); the rest, up to a NUL, is the text of a
 * node. Checked against independent models: xbb_parse_uint and
 * xbb_parse_state against "digits only, at most max" computed in 128 bits,
 * xbb_next_action against docs/xenbus.md's table written out as rows.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/xenbus_state.h"
#include "tests/fuzz/fuzz_check.h"
#include "common/array_size.h"

#define NR_STATES (XenbusStateReconfigured + 1)

/* docs/xenbus.md, "The backend's half": what the backend does for each
 * frontend state, when its own state is `when` and otherwise. */
struct row {
    int when; /* a backend state, or -1: never */
    enum xbb_action then, otherwise;
};

static const struct row table[NR_STATES] = {
    [XenbusStateInitialising] = { XenbusStateClosed, XBB_REARM, XBB_NONE },
    [XenbusStateInitWait] = { -1, XBB_NONE, XBB_NONE },
    [XenbusStateReconfiguring] = { -1, XBB_NONE, XBB_NONE },
    [XenbusStateReconfigured] = { -1, XBB_NONE, XBB_NONE },
    [XenbusStateInitialised] = { XenbusStateInitWait, XBB_CONNECT, XBB_NONE },
    [XenbusStateConnected] = { XenbusStateInitWait, XBB_CONNECT, XBB_NONE },
    /* Closing: "unless already Closing or Closed", handled below. */
    [XenbusStateClosing] = { XenbusStateClosed, XBB_NONE, XBB_CLOSING },
    [XenbusStateClosed] = { XenbusStateClosed, XBB_NONE, XBB_CLOSED },
    [XenbusStateUnknown] = { XenbusStateClosed, XBB_NONE, XBB_CLOSED },
};

static enum xbb_action model_action(int backend, int frontend)
{
    const struct row *r;

    /* "Closed, Unknown, missing or garbage": a value outside the enum. */
    if (frontend < 0 || frontend >= NR_STATES)
        frontend = XenbusStateUnknown;
    if (frontend == XenbusStateClosing && backend == XenbusStateClosing)
        return XBB_NONE;
    r = &table[frontend];
    return backend == r->when ? r->then : r->otherwise;
}

/* Digits only, at least one, the value at most max; exact in 128 bits. */
static bool model_uint(const char *s, uint64_t max, uint64_t *val)
{
    unsigned __int128 v = 0;

    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (unsigned int)(*s - '0');
        if (v > max)
            return false;
    }
    *val = (uint64_t)v;
    return true;
}

static void check_uint(const char *text, uint64_t max)
{
    const uint64_t untouched = 0x5a5a5a5a5a5a5a5aULL;
    uint64_t got = untouched, want = 0;
    bool ok = xbb_parse_uint(text, max, &got);
    bool model = model_uint(text, max, &want);

    FUZZ_CHECK(ok == model, "'%s' max %llu: %s, model %s", text, (unsigned long long)max,
               ok ? "valid" : "invalid", model ? "valid" : "invalid");
    FUZZ_CHECK(ok ? got == want : got == untouched, "'%s' max %llu: %llu, model %llu", text,
               (unsigned long long)max, (unsigned long long)got, (unsigned long long)want);
}

static void check_action(int backend, int frontend)
{
    enum xbb_action got = xbb_next_action((XenbusState)backend, (XenbusState)frontend);

    FUZZ_CHECK(got == model_action(backend, frontend),
               "backend %d frontend %d: action %d, "
               "docs/xenbus.md %d",
               backend, frontend, got, model_action(backend, frontend));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint64_t maxes[] = { 0,
                                      1,
                                      8,
                                      9,
                                      10,
                                      99,
                                      4095,
                                      UINT32_MAX,
                                      UINT64_MAX / 10,
                                      UINT64_MAX / 10 + 1,
                                      UINT64_MAX - 1,
                                      UINT64_MAX };
    int backend = size > 0 ? (int8_t)data[0] : 0;
    int frontend = size > 1 ? (int8_t)data[1] : 0;
    size_t text_len = size > 2 ? size - 2 : 0;
    /* An exact-size copy: ASan sees any read past the terminator. */
    char *text = malloc(text_len + 1);
    XenbusState parsed;
    uint64_t v;
    unsigned int i;

    FUZZ_CHECK(text != NULL, "malloc");
    if (text_len)
        memcpy(text, data + 2, text_len);
    text[text_len] = '\0';

    for (i = 0; i < ARRAY_SIZE(maxes); i++)
        check_uint(text, maxes[i]);
    /* A max from the input itself, for the boundaries the list misses. */
    if (text_len >= 8) {
        memcpy(&v, data + 2, sizeof(v));
        check_uint(text + 8, v);
    }

    parsed = xbb_parse_state(text);
    FUZZ_CHECK(
        (int)parsed ==
            (model_uint(text, XenbusStateReconfigured, &v) ? (int)v : (int)XenbusStateUnknown),
        "'%s' reads as state %d", text, parsed);
    FUZZ_CHECK(xbb_state_name(parsed)[0] != '?', "state %d has no name", parsed);
    FUZZ_CHECK(xbb_state_name((XenbusState)frontend) != NULL, "no name for %d", frontend);

    check_action(backend, frontend);
    check_action(backend, (int)parsed);
    free(text);
    return 0;
}
