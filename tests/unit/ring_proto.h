/* SPDX-License-Identifier: MIT */
/*
 * The protocol the ring suites run over: DEFINE_RING_TYPES and
 * RING_DEFINE_HELPERS as a real device would use them, with a sequence
 * number and a checksum in every message.
 */
#ifndef XENOLITH_TESTS_RING_PROTO_H
#define XENOLITH_TESTS_RING_PROTO_H

#include <stdint.h>
#include "ring-buffers/ring.h"

struct test_req {
    uint32_t seq;
    uint32_t sum; /* ring_test_sum(seq, payload) */
    uint64_t payload;
};

struct test_rsp {
    uint32_t seq;     /* the request's */
    uint32_t sum;     /* ring_test_sum(seq, payload) */
    uint64_t payload; /* ~ the request's payload */
};

DEFINE_RING_TYPES(test, struct test_req, struct test_rsp);
RING_DEFINE_HELPERS(test);

static inline uint64_t ring_test_payload(uint32_t seq)
{
    uint64_t z = seq + 0x9e3779b97f4a7c15ull;

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline uint32_t ring_test_sum(uint32_t seq, uint64_t payload)
{
    uint64_t h = (payload ^ ((uint64_t)seq << 17)) * 0xff51afd7ed558ccdull;

    return (uint32_t)(h ^ (h >> 32));
}

#endif
