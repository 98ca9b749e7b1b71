/* SPDX-License-Identifier: MIT */
/*
 * The driver the xenstore suites share (xenstore_util.h): one store, its
 * domains, and requests issued and answered as "<type>|<body>" strings.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "unit.h"
#include "xenstore_util.h"
#include "common/array_size.h"

struct xs_store xst;
struct xsd_sockmsg xsu_hdr;
bool xsu_privileged[XSU_DOMS] = { [0] = true };
static char out[XS_MSG_MAX + 1];
static char text[XS_MSG_MAX + 8];
static char payload[XENSTORE_PAYLOAD_MAX * 2];

static const char *show(uint32_t type, const char *body, uint32_t len)
{
    uint32_t i, o = 0;

    if (type == XS_ERROR)
        text[o++] = '!';
    for (i = 0; i < len; i++)
        text[o++] = body[i] ? body[i] : '|';
    if (type == XS_ERROR && o > 1 && text[o - 1] == '|')
        o--;
    text[o] = 0;
    return text;
}

void xsu_reset(void)
{
    memset(xsu_privileged, 0, sizeof(xsu_privileged));
    xsu_privileged[0] = true;
}

const char *xsu_req(domid_t d, uint32_t type, uint32_t tx, const char *p, uint32_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = 77, .tx_id = tx, .len = len };
    size_t rlen = 0;
    int rc = xs_handle(&xst, d, d < XSU_DOMS && xsu_privileged[d], &h, p, out, sizeof(out) - 1,
                       &rlen);

    if (rc) {
        snprintf(text, sizeof(text), "rc=%d", rc);
        return text;
    }
    memcpy(&xsu_hdr, out, sizeof(xsu_hdr));
    if (rlen != sizeof(xsu_hdr) + xsu_hdr.len)
        return "bad reply length";
    return show(xsu_hdr.type, out + sizeof(xsu_hdr), xsu_hdr.len);
}

const char *xsu_op(domid_t d, uint32_t type, uint32_t tx, const char *a, const char *b)
{
    uint32_t len = (uint32_t)strlen(a) + 1;

    memcpy(payload, a, len);
    if (b) {
        memcpy(payload + len, b, strlen(b) + 1);
        len += (uint32_t)strlen(b) + 1;
    }
    return xsu_req(d, type, tx, payload, len);
}

const char *xsu_write(domid_t d, uint32_t tx, const char *path, const char *value)
{
    uint32_t len = (uint32_t)strlen(path) + 1;

    memcpy(payload, path, len);
    memcpy(payload + len, value, strlen(value));
    return xsu_req(d, XS_WRITE, tx, payload, len + (uint32_t)strlen(value));
}

const char *xsu_event(domid_t d)
{
    size_t len;

    if (!xs_next_watch_event(&xst, d, out, sizeof(out), &len))
        return "";
    memcpy(&xsu_hdr, out, sizeof(xsu_hdr));
    if (xsu_hdr.type != XS_WATCH_EVENT || len != sizeof(xsu_hdr) + xsu_hdr.len)
        return "bad event";
    show(XS_WATCH_EVENT, out + sizeof(xsu_hdr), xsu_hdr.len);
    if (text[0] && text[strlen(text) - 1] == '|')
        text[strlen(text) - 1] = 0;
    return text;
}

unsigned int xsu_nr_events(domid_t d)
{
    struct xs_usage u;

    return xs_usage(&xst, d, &u) ? u.events : 0;
}
