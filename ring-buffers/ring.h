/* SPDX-License-Identifier: MIT */
/*
 * Request/response rings over xen/io/ring.h. Each protocol declares its types
 * with Xen's DEFINE_RING_TYPES(name, ...) as usual, then RING_DEFINE_HELPERS(name)
 * for checked consumers (a peer's producer index is validated, never followed)
 * and for notification hold-off. docs/rings.md describes the protocol.
 */
#ifndef RING_BUFFERS_RING_H
#define RING_BUFFERS_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>

#include "ring-buffers/barrier.h"

#include <xen/io/ring.h>

_Static_assert(sizeof(RING_IDX) == sizeof(ring_idx_t), "RING_IDX is 32 bits");

/*
 * May a consumer at `cons` accept `prod` from its peer? In modular order from
 * `base`, the indices must satisfy cons <= prod <= limit: a producer index
 * never moves backwards past what was already consumed, and never publishes
 * more than `limit` allows. Comparing distances from `base` keeps this right
 * across the 2^32 wrap.
 */
static inline bool ring_prod_in_window(RING_IDX base, RING_IDX cons, RING_IDX prod, RING_IDX limit)
{
    RING_IDX ahead = prod - base;

    return ahead >= (RING_IDX)(cons - base) && ahead <= (RING_IDX)(limit - base);
}

/*
 * RING_DEFINE_HELPERS(name) gives, for the types DEFINE_RING_TYPES(name, ...)
 * made:
 *
 *   int  name_back_requests(name_back_ring_t *r, RING_IDX *prod);
 *   bool name_back_push_responses(name_back_ring_t *r);
 *   bool name_back_final_check(name_back_ring_t *r);
 *   int  name_front_responses(name_front_ring_t *r, RING_IDX *prod);
 *   bool name_front_push_requests(name_front_ring_t *r);
 *   bool name_front_final_check(name_front_ring_t *r);
 *
 * _requests/_responses read the peer's producer index once, then order it
 * before the entry reads (ring_rmb). They return how many entries lie in
 * [cons, *prod), or -XEN_EIO if the index is impossible; then *prod is left
 * alone and the caller must treat the peer as broken (domain_crash, or
 * disconnect), not retry. A back's window is RING_REQUEST_PROD_OVERFLOW's:
 * at most RING_SIZE requests beyond the last response, so req_cons never
 * needs RING_REQUEST_CONS_OVERFLOW. A front's is tighter than
 * RING_RESPONSE_PROD_OVERFLOW's: no response to a request not yet made.
 *
 * _push_* publish the private producer index and return true when the peer
 * asked to be notified (its event index lies in the newly published range).
 *
 * _final_check is called when a consumer has drained the ring and would
 * sleep: it re-arms the event index (cons + 1) and returns true if entries
 * arrived meanwhile, in which case the caller loops instead of sleeping.
 * While a consumer keeps finding work it does not re-arm, so the producer
 * keeps pushing without notifications: a busy ring sends few events.
 */
#define RING_DEFINE_HELPERS(name)                                                                  \
    static inline int name##_back_requests(struct name##_back_ring *r, RING_IDX *prod)             \
    {                                                                                              \
        RING_IDX p = ring_read_idx(&r->sring->req_prod);                                           \
                                                                                                   \
        ring_rmb(); /* the index before the requests it publishes */                               \
        if (RING_REQUEST_PROD_OVERFLOW(r, p) ||                                                    \
            !ring_prod_in_window(r->rsp_prod_pvt, r->req_cons, p, r->rsp_prod_pvt + RING_SIZE(r))) \
            return -XEN_EIO;                                                                       \
        *prod = p;                                                                                 \
        return (int)(p - r->req_cons);                                                             \
    }                                                                                              \
                                                                                                   \
    static inline int name##_front_responses(struct name##_front_ring *r, RING_IDX *prod)          \
    {                                                                                              \
        RING_IDX p = ring_read_idx(&r->sring->rsp_prod);                                           \
                                                                                                   \
        ring_rmb(); /* the index before the responses it publishes */                              \
        if (RING_RESPONSE_PROD_OVERFLOW(r, p) ||                                                   \
            !ring_prod_in_window(r->rsp_cons, r->rsp_cons, p, r->req_prod_pvt))                    \
            return -XEN_EIO;                                                                       \
        *prod = p;                                                                                 \
        return (int)(p - r->rsp_cons);                                                             \
    }                                                                                              \
                                                                                                   \
    static inline bool name##_front_push_requests(struct name##_front_ring *r)                     \
    {                                                                                              \
        bool notify;                                                                               \
                                                                                                   \
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(r, notify);                                            \
        return notify;                                                                             \
    }                                                                                              \
                                                                                                   \
    static inline bool name##_back_push_responses(struct name##_back_ring *r)                      \
    {                                                                                              \
        bool notify;                                                                               \
                                                                                                   \
        RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify);                                           \
        return notify;                                                                             \
    }                                                                                              \
                                                                                                   \
    static inline bool name##_back_final_check(struct name##_back_ring *r)                         \
    {                                                                                              \
        RING_IDX work;                                                                             \
                                                                                                   \
        RING_FINAL_CHECK_FOR_REQUESTS(r, work);                                                    \
        return work != 0;                                                                          \
    }                                                                                              \
                                                                                                   \
    static inline bool name##_front_final_check(struct name##_front_ring *r)                       \
    {                                                                                              \
        RING_IDX work;                                                                             \
                                                                                                   \
        RING_FINAL_CHECK_FOR_RESPONSES(r, work);                                                   \
        return work != 0;                                                                          \
    }                                                                                              \
    struct name##_sring

#endif
