/* SPDX-License-Identifier: MIT */
/*
 * The backend's half of the XenbusState handshake (xen/io/xenbus.h) as a
 * pure decision, so the host unit tests can walk every pair: given the
 * backend's state and the frontend's, what the backend does next. The
 * rules are those of Linux's xenbus backends (blkback, netback):
 * docs/xenbus.md has the table.
 */
#ifndef XENOLITH_XENBUS_STATE_H
#define XENOLITH_XENBUS_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xenbus.h>

enum xbb_action {
    XBB_NONE,    /* nothing to do */
    XBB_CONNECT, /* read the frontend's nodes, connect, go Connected */
    XBB_CLOSING, /* disconnect if connected, go Closing */
    XBB_CLOSED,  /* disconnect if connected, go Closed */
    XBB_REARM,   /* back to InitWait: the frontend starts over */
};

enum xbb_action xbb_next_action(XenbusState backend, XenbusState frontend);

/*
 * A state node's text as the frontend wrote it: a decimal XenbusState
 * ("4"). Anything else (missing, empty, signed, trailing bytes, out of
 * range) reads as XenbusStateUnknown, as xenbus_read_driver_state does.
 */
XenbusState xbb_parse_state(const char *text);

/* Strict unsigned decimal, as the nodes a frontend writes ("ring-ref",
 * "port"): digits only, no sign, no blanks, at most max. True if valid. */
bool xbb_parse_uint(const char *text, uint64_t max, uint64_t *val);

const char *xbb_state_name(XenbusState s);

#endif
