// SPDX-License-Identifier: MIT
/* The backend's XenbusState decisions; pure, shared with the unit tests. */
#include "backends/xenbus_state.h"
#include "common/array_size.h"

enum xbb_action xbb_next_action(XenbusState backend, XenbusState frontend)
{
    switch (frontend) {
    case XenbusStateInitialising:
        /* A frontend starting over after a close (or a refused connect)
         * gets a fresh InitWait; otherwise it is still getting ready. */
        return backend == XenbusStateClosed ? XBB_REARM : XBB_NONE;
    case XenbusStateInitialised:
    case XenbusStateConnected:
        /* Both mean "my nodes are written". Once Closing or Closed, the
         * backend waits for Initialising before connecting again. */
        return backend == XenbusStateInitWait ? XBB_CONNECT : XBB_NONE;
    case XenbusStateClosing:
        return backend == XenbusStateClosing || backend == XenbusStateClosed ? XBB_NONE
                                                                             : XBB_CLOSING;
    case XenbusStateInitWait:
    case XenbusStateReconfiguring:
    case XenbusStateReconfigured:
        /* InitWait is a backend's state; reconfiguration belongs to
         * devices Xenolith does not serve. Neither changes anything. */
        return XBB_NONE;
    case XenbusStateClosed:
    case XenbusStateUnknown:
    default:
        /* Gone, garbled or closed: the backend lets go. */
        return backend == XenbusStateClosed ? XBB_NONE : XBB_CLOSED;
    }
}

bool xbb_parse_uint(const char *text, uint64_t max, uint64_t *val)
{
    uint64_t v = 0;

    if (!text || !*text)
        return false;
    for (const char *p = text; *p; p++) {
        unsigned int digit;

        if (*p < '0' || *p > '9')
            return false;
        digit = (unsigned int)(*p - '0');
        if (digit > max || v > (max - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    *val = v;
    return true;
}

XenbusState xbb_parse_state(const char *text)
{
    uint64_t v;

    if (!xbb_parse_uint(text, XenbusStateReconfigured, &v))
        return XenbusStateUnknown;
    return (XenbusState)v;
}

const char *xbb_state_name(XenbusState s)
{
    static const char *const names[] = {
        [XenbusStateUnknown] = "Unknown",
        [XenbusStateInitialising] = "Initialising",
        [XenbusStateInitWait] = "InitWait",
        [XenbusStateInitialised] = "Initialised",
        [XenbusStateConnected] = "Connected",
        [XenbusStateClosing] = "Closing",
        [XenbusStateClosed] = "Closed",
        [XenbusStateReconfiguring] = "Reconfiguring",
        [XenbusStateReconfigured] = "Reconfigured",
    };

    return (unsigned int)s < ARRAY_SIZE(names) ? names[s] : "?";
}
