/* SPDX-License-Identifier: MIT */
/*
 * Shared by the xenstore suites: one store, and requests built from strings.
 * Replies come back as text: the payload (NULs shown as '|'), or "!<ERR>"
 * for an XS_ERROR reply.
 */
#ifndef XENOLITH_TESTS_XENSTORE_UTIL_H
#define XENOLITH_TESTS_XENSTORE_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include "xenstore/xenstore.h"

extern struct xs_store xst;

/* Which connections are privileged: domain 0 only, unless a test says
 * otherwise (xsu_reset() restores that). Domains 0 .. XSU_DOMS - 1. */
#define XSU_DOMS 64
extern bool xsu_privileged[XSU_DOMS];
void xsu_reset(void);
const char *xsu_req(domid_t d, uint32_t type, uint32_t tx, const char *payload, uint32_t len);
/* Payload "a\0" (b == NULL) or "a\0b\0". */
const char *xsu_op(domid_t d, uint32_t type, uint32_t tx, const char *a, const char *b);
/* XS_WRITE: "path\0value", the value without NUL. */
const char *xsu_write(domid_t d, uint32_t tx, const char *path, const char *value);
/* Next watch event as "path|token", or "" when none. */
const char *xsu_event(domid_t d);
unsigned int xsu_nr_events(domid_t d);
/* Header fields of the last reply. */
extern struct xsd_sockmsg xsu_hdr;

#endif
