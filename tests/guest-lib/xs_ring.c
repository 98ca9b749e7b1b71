// SPDX-License-Identifier: MIT
#include "tests/guest-lib/xs_ring.h"

#include <string.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"

struct xenstore_domain_interface *xs;
unsigned long xs_watch_events;
void (*xs_on_watch_event)(const char *payload, uint32_t len);
static uint32_t last_req_id;

bool xs_ring_init(void)
{
    xs = (struct xenstore_domain_interface *)mfn_to_va(test_start_info->store_mfn);
    return xs != NULL;
}

long xs_notify(void)
{
    evtchn_send_t s = { .port = test_start_info->store_evtchn };

    return hc_event_channel_op(EVTCHNOP_send, &s);
}

bool xs_put(const void *data, uint32_t len, uint64_t deadline)
{
    const char *p = data;

    while (len) {
        XENSTORE_RING_IDX c = __atomic_load_n(&xs->req_cons, __ATOMIC_ACQUIRE);
        XENSTORE_RING_IDX prod = xs->req_prod;

        if (prod - c >= XENSTORE_RING_SIZE) {
            if (system_time_ns() >= deadline)
                return false;
            xs_notify(); /* the service drains only when told */
            hc_sched_op(SCHEDOP_yield, NULL);
            continue;
        }
        xs->req[MASK_XENSTORE_IDX(prod)] = *p++;
        len--;
        __atomic_store_n(&xs->req_prod, prod + 1, __ATOMIC_RELEASE);
    }
    return true;
}

bool xs_get(void *data, uint32_t len, uint64_t deadline)
{
    char *p = data;

    while (len) {
        XENSTORE_RING_IDX prod = __atomic_load_n(&xs->rsp_prod, __ATOMIC_ACQUIRE);
        XENSTORE_RING_IDX c = xs->rsp_cons;

        if (prod == c) {
            if (system_time_ns() >= deadline)
                return false;
            hc_sched_op(SCHEDOP_yield, NULL);
            continue;
        }
        *p++ = xs->rsp[MASK_XENSTORE_IDX(c)];
        len--;
        __atomic_store_n(&xs->rsp_cons, c + 1, __ATOMIC_RELEASE);
    }
    return true;
}

int xs_recv(char *body, uint32_t max, uint64_t deadline)
{
    static char scratch[XENSTORE_PAYLOAD_MAX + 1];
    struct xsd_sockmsg h;
    uint32_t n;

    if (!xs_get(&h, sizeof(h), deadline) || h.len > XENSTORE_PAYLOAD_MAX ||
        !xs_get(scratch, h.len, deadline))
        return -1;
    if (h.type == XS_WATCH_EVENT) {
        xs_watch_events++;
        if (xs_on_watch_event)
            xs_on_watch_event(scratch, h.len);
        return XS_WATCH_EVENT;
    }
    if (h.req_id != last_req_id)
        return -2;
    n = h.len < max - 1 ? h.len : max - 1;
    memcpy(body, scratch, n);
    body[n] = '\0';
    return (int)h.type;
}

int xs_call_tx(uint32_t type, uint32_t tx, const void *payload, uint32_t plen, char *body,
               uint32_t max)
{
    struct xsd_sockmsg h = { .type = type, .req_id = ++last_req_id, .tx_id = tx, .len = plen };
    uint64_t deadline = system_time_ns() + XS_RING_TIMEOUT_NS;
    int t;

    if (!xs_put(&h, sizeof(h), deadline) || !xs_put(payload, plen, deadline))
        return -1;
    xs_notify();
    while ((t = xs_recv(body, max, deadline)) == XS_WATCH_EVENT)
        ;
    return t;
}

int xs_call(uint32_t type, const void *payload, uint32_t plen, char *body, uint32_t max)
{
    return xs_call_tx(type, 0, payload, plen, body, max);
}

int xs_write_value(const char *path, const char *value, char *body, uint32_t max)
{
    char msg[XENSTORE_PAYLOAD_MAX];
    size_t pl = strlen(path) + 1, vl = strlen(value);

    if (pl + vl > sizeof(msg))
        return -1;
    memcpy(msg, path, pl);
    memcpy(msg + pl, value, vl);
    return xs_call(XS_WRITE, msg, (uint32_t)(pl + vl), body, max);
}
