/* SPDX-License-Identifier: MIT */
/*
 * ring suite: ring-buffers/ring.h over an 8-entry ring allocated to its exact
 * size (ASan sees any access past it): empty and full rings, indices
 * wrapping at 2^32, notification hold-off on both directions, and hostile
 * producer indices rejected without being followed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring_proto.h"
#include "unit.h"
#include "common/array_size.h"

#define ENTS 8u

struct pair {
    test_sring_t *s;
    test_front_ring_t f;
    test_back_ring_t b;
    uint32_t next_seq; /* front: next request to make */
    uint32_t want_seq; /* front: next response expected */
};

static size_t ring_bytes(unsigned int ents)
{
    return offsetof(test_sring_t, ring) + ents * sizeof(union test_sring_entry);
}

/* Both ends attached at `start`, as a frontend would leave them after
 * 2^32 - small messages; the event indices armed as SHARED_RING_INIT does. */
static void pair_init(struct pair *p, RING_IDX start)
{
    size_t bytes = ring_bytes(ENTS);

    memset(p, 0, sizeof(*p));
    p->s = malloc(bytes);
    CU_ASSERT_FATAL(p->s != NULL);
    memset(p->s, 0xa5, bytes);
    SHARED_RING_INIT(p->s);
    p->s->req_prod = p->s->rsp_prod = start;
    p->s->req_event = p->s->rsp_event = start + 1;
    FRONT_RING_ATTACH(&p->f, p->s, start, bytes);
    BACK_RING_ATTACH(&p->b, p->s, start, bytes);
    ASSERT_U64(RING_SIZE(&p->f), ENTS);
    ASSERT_U64(RING_SIZE(&p->b), ENTS);
}

static void pair_free(struct pair *p)
{
    free(p->s);
}

/* Front: queue up to n requests (not pushed); returns how many fit. */
static unsigned int front_queue(struct pair *p, unsigned int n)
{
    unsigned int done = 0;

    while (done < n && !RING_FULL(&p->f)) {
        struct test_req *req = RING_GET_REQUEST(&p->f, p->f.req_prod_pvt);

        req->seq = p->next_seq;
        req->payload = ring_test_payload(p->next_seq);
        req->sum = ring_test_sum(req->seq, req->payload);
        p->next_seq++;
        p->f.req_prod_pvt++;
        done++;
    }
    return done;
}

/* Back: the canonical request loop. Answers every published request, checks
 * each one, returns the count or the helper's error. */
static int back_serve(struct pair *p)
{
    RING_IDX rp;
    int n = test_back_requests(&p->b, &rp);

    if (n < 0)
        return n;
    while (p->b.req_cons != rp) {
        struct test_req req;
        struct test_rsp *rsp;

        RING_COPY_REQUEST(&p->b, p->b.req_cons, &req);
        p->b.req_cons++;
        if (req.sum != ring_test_sum(req.seq, req.payload))
            return -1000;
        rsp = RING_GET_RESPONSE(&p->b, p->b.rsp_prod_pvt);
        rsp->seq = req.seq;
        rsp->payload = ~req.payload;
        rsp->sum = ring_test_sum(rsp->seq, rsp->payload);
        p->b.rsp_prod_pvt++;
    }
    return n;
}

/* Back: answers just the oldest published request. */
static int back_answer_one(struct pair *p)
{
    RING_IDX rp;
    struct test_req req;
    struct test_rsp *rsp;
    int n = test_back_requests(&p->b, &rp);

    if (n <= 0)
        return n;
    RING_COPY_REQUEST(&p->b, p->b.req_cons, &req);
    p->b.req_cons++;
    rsp = RING_GET_RESPONSE(&p->b, p->b.rsp_prod_pvt);
    rsp->seq = req.seq;
    rsp->payload = ~req.payload;
    rsp->sum = ring_test_sum(rsp->seq, rsp->payload);
    p->b.rsp_prod_pvt++;
    return 1;
}

/* Front: the canonical response loop, checking order and contents. */
static int front_collect(struct pair *p)
{
    RING_IDX rp;
    int n = test_front_responses(&p->f, &rp);

    if (n < 0)
        return n;
    while (p->f.rsp_cons != rp) {
        struct test_rsp rsp;

        RING_COPY_RESPONSE(&p->f, p->f.rsp_cons, &rsp);
        p->f.rsp_cons++;
        if (rsp.seq != p->want_seq || rsp.payload != ~ring_test_payload(rsp.seq) ||
            rsp.sum != ring_test_sum(rsp.seq, rsp.payload))
            return -1000;
        p->want_seq++;
    }
    return n;
}

static void test_empty(void)
{
    struct pair p;
    RING_IDX rp = 12345;

    pair_init(&p, 0);
    EXPECT_U64(RING_FREE_REQUESTS(&p.f), ENTS);
    EXPECT_TRUE(!RING_FULL(&p.f));
    EXPECT_INT(test_back_requests(&p.b, &rp), 0);
    EXPECT_U64(rp, 0);
    EXPECT_INT(test_front_responses(&p.f, &rp), 0);
    EXPECT_TRUE(!test_back_final_check(&p.b));
    EXPECT_U64(p.s->req_event, 1);
    EXPECT_TRUE(!test_front_final_check(&p.f));
    EXPECT_U64(p.s->rsp_event, 1);
    /* A push of nothing publishes nothing and wakes nobody. */
    EXPECT_TRUE(!test_front_push_requests(&p.f));
    EXPECT_TRUE(!test_back_push_responses(&p.b));
    pair_free(&p);
}

static void test_full(void)
{
    struct pair p;

    pair_init(&p, 0);
    EXPECT_U64(front_queue(&p, ENTS + 3), ENTS);
    EXPECT_TRUE(RING_FULL(&p.f));
    EXPECT_U64(RING_FREE_REQUESTS(&p.f), 0);
    EXPECT_TRUE(test_front_push_requests(&p.f));
    /* Exactly RING_SIZE outstanding is legal: the edge of the window. */
    EXPECT_INT(back_serve(&p), (int)ENTS);
    EXPECT_TRUE(RING_FULL(&p.f)); /* until the front consumes */
    EXPECT_TRUE(test_back_push_responses(&p.b));
    EXPECT_INT(front_collect(&p), (int)ENTS);
    EXPECT_U64(RING_FREE_REQUESTS(&p.f), ENTS);
    EXPECT_U64(p.want_seq, ENTS);
    EXPECT_INT(back_serve(&p), 0);
    EXPECT_INT(front_collect(&p), 0);
    pair_free(&p);
}

/* Batches of 1..8 through rings whose indices start just below 2^32: counts,
 * slots and contents must not notice the wrap. */
static void test_wrap(void)
{
    static const RING_IDX starts[] = { UINT32_MAX - 2, UINT32_MAX, UINT32_MAX - ENTS,
                                       0x80000000u - 3 };

    for (unsigned int s = 0; s < ARRAY_SIZE(starts); s++) {
        struct pair p;
        char label[64];
        bool crossed = false;

        snprintf(label, sizeof(label), "start %#x", starts[s]);
        pair_init(&p, starts[s]);
        for (unsigned int round = 0; round < 40; round++) {
            unsigned int batch = round % ENTS + 1;
            RING_IDX before = p.f.req_prod_pvt;

            EXPECT_U64(front_queue(&p, batch), batch);
            test_front_push_requests(&p.f);
            if (!EXPECT_INT(back_serve(&p), (int)batch))
                break;
            test_back_push_responses(&p.b);
            if (!EXPECT_INT(front_collect(&p), (int)batch))
                break;
            crossed |= p.f.req_prod_pvt < before;
        }
        EXPECT_TRUE_CASE(crossed || starts[s] == 0x80000000u - 3, label);
        EXPECT_U64(p.want_seq, p.next_seq);
        EXPECT_U64(p.f.rsp_cons, starts[s] + p.next_seq);
        EXPECT_U64(p.b.req_cons, starts[s] + p.next_seq);
        pair_free(&p);
    }
}

/* Requests in: count the notifications a frontend sends. */
static void test_notify_requests(void)
{
    struct pair p;
    unsigned int notes;

    pair_init(&p, UINT32_MAX - 3);

    /* A burst into an idle back: one notification. */
    front_queue(&p, ENTS);
    EXPECT_INT(test_front_push_requests(&p.f), 1);
    back_serve(&p);
    test_back_push_responses(&p.b);
    front_collect(&p);

    /* One at a time while the back sleeps without re-arming: still one, the
     * first; req_event has already been passed. */
    EXPECT_TRUE(!test_back_final_check(&p.b));
    EXPECT_U64(p.s->req_event, p.b.req_cons + 1);
    notes = 0;
    for (unsigned int i = 0; i < ENTS; i++) {
        front_queue(&p, 1);
        notes += test_front_push_requests(&p.f);
    }
    EXPECT_U64(notes, 1);
    back_serve(&p);
    test_back_push_responses(&p.b);
    front_collect(&p);

    /* One at a time to a back that drains and goes idle after each: each
     * push finds req_event armed at exactly the new request. */
    notes = 0;
    for (unsigned int i = 0; i < 20; i++) {
        EXPECT_TRUE(!test_back_final_check(&p.b));
        EXPECT_U64(p.s->req_event, p.b.req_cons + 1);
        front_queue(&p, 1);
        notes += test_front_push_requests(&p.f);
        back_serve(&p);
        test_back_push_responses(&p.b);
        front_collect(&p);
    }
    EXPECT_U64(notes, 20);

    /* A busy back: each final check finds the next request already there,
     * so it never re-arms, and 100 requests after the first cost nothing. */
    EXPECT_TRUE(!test_back_final_check(&p.b));
    front_queue(&p, 1);
    notes = test_front_push_requests(&p.f);
    for (unsigned int i = 0; i < 100; i++) {
        RING_IDX armed = p.s->req_event;

        back_serve(&p);
        front_queue(&p, 1);
        notes += test_front_push_requests(&p.f);
        EXPECT_TRUE(test_back_final_check(&p.b));
        EXPECT_U64(p.s->req_event, armed);
        test_back_push_responses(&p.b);
        front_collect(&p);
    }
    EXPECT_U64(notes, 1);
    pair_free(&p);
}

/* Responses out: the same rules with rsp_event, as a backend sees them. */
static void test_notify_responses(void)
{
    struct pair p;
    unsigned int notes = 0;

    pair_init(&p, UINT32_MAX - 1);
    front_queue(&p, ENTS);
    test_front_push_requests(&p.f);
    back_serve(&p);
    /* The front waits with rsp_event armed: the burst of 8 responses costs one. */
    EXPECT_U64(p.s->rsp_event, p.f.rsp_cons + 1);
    EXPECT_INT(test_back_push_responses(&p.b), 1);
    EXPECT_INT(front_collect(&p), (int)ENTS);

    /* The front re-arms after every response it drains: one per response. */
    for (unsigned int i = 0; i < 10; i++) {
        EXPECT_TRUE(!test_front_final_check(&p.f));
        EXPECT_U64(p.s->rsp_event, p.f.rsp_cons + 1);
        front_queue(&p, 1);
        test_front_push_requests(&p.f);
        back_serve(&p);
        notes += test_back_push_responses(&p.b);
        front_collect(&p);
    }
    EXPECT_U64(notes, 10);

    /* The front does not re-arm: responses pushed one by one wake it once. */
    EXPECT_TRUE(!test_front_final_check(&p.f));
    front_queue(&p, 4);
    test_front_push_requests(&p.f);
    notes = 0;
    for (unsigned int i = 0; i < 4; i++) {
        EXPECT_INT(back_answer_one(&p), 1);
        notes += test_back_push_responses(&p.b);
    }
    EXPECT_U64(notes, 1);
    EXPECT_INT(front_collect(&p), 4);
    EXPECT_U64(p.want_seq, p.next_seq);
    pair_free(&p);
}

/* The race final_check closes: a request pushed after the back drained but
 * before it re-armed is not notified, so the final check must see it. */
static void test_final_check_race(void)
{
    struct pair p;

    pair_init(&p, 0);
    front_queue(&p, 1);
    test_front_push_requests(&p.f);
    back_serve(&p); /* drained; req_event still 1 */
    front_queue(&p, 1);
    EXPECT_TRUE(!test_front_push_requests(&p.f));
    EXPECT_TRUE(test_back_final_check(&p.b));
    EXPECT_INT(back_serve(&p), 1);
    /* And in the other order, the push after the re-arm notifies. */
    EXPECT_TRUE(!test_back_final_check(&p.b));
    front_queue(&p, 1);
    EXPECT_TRUE(test_front_push_requests(&p.f));
    pair_free(&p);
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint32_t rnd32(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/*
 * A back with 3 requests consumed and 1 answered (rsp_prod_pvt = base + 1,
 * req_cons = base + 3) may accept req_prod in [req_cons, rsp_prod_pvt + 8].
 * Anything else is reported, leaves every index alone, and the serve loop
 * reads no entry.
 */
static void test_hostile_req_prod(void)
{
    static const struct {
        const char *name;
        int32_t rel; /* req_prod - req_cons */
        bool ok;
    } cases[] = {
        { "at cons", 0, true },
        { "window edge", 6, true },
        { "one past the window", 7, false },
        { "far ahead", 0x10000, false },
        { "half the index space", INT32_MIN, false },
        { "one behind cons", -1, false },
        { "behind the responses", -3, false },
        { "far behind", -0x7fffffff, false },
    };
    struct pair p;
    unsigned int accepted = 0, rejected = 0;

    pair_init(&p, UINT32_MAX - 1);
    front_queue(&p, 3);
    test_front_push_requests(&p.f);
    back_serve(&p);
    p.b.rsp_prod_pvt -= 2; /* as if two answers were still pending */
    ASSERT_U64(p.b.req_cons - p.b.rsp_prod_pvt, 2);

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        RING_IDX cons = p.b.req_cons, rsp = p.b.rsp_prod_pvt, rp = 0xdeadbeef;
        int n;

        p.s->req_prod = cons + (RING_IDX)cases[i].rel;
        n = test_back_requests(&p.b, &rp);
        if (cases[i].ok) {
            EXPECT_TRUE_CASE(n == cases[i].rel && rp == p.s->req_prod, cases[i].name);
        } else {
            EXPECT_TRUE_CASE(n == -XEN_EIO && rp == 0xdeadbeef, cases[i].name);
            /* The final check says "work" at most; it never loops on it. */
            test_back_final_check(&p.b);
            EXPECT_TRUE_CASE(back_serve(&p) == -XEN_EIO, cases[i].name);
        }
        EXPECT_TRUE_CASE(p.b.req_cons == cons && p.b.rsp_prod_pvt == rsp, cases[i].name);
    }

    for (unsigned int i = 0; i < 200000; i++) {
        RING_IDX cons = p.b.req_cons, rp = 0xdeadbeef;
        /* Near misses are the interesting ones: half land within 32. */
        RING_IDX prod = (i & 1) ? cons + (rnd32() % 64) - 32 : rnd32();
        bool ok = (RING_IDX)(prod - cons) <= ENTS - 2;
        int n;

        p.s->req_prod = prod;
        n = test_back_requests(&p.b, &rp);
        if (ok ? !EXPECT_INT(n, (int)(prod - cons)) : !EXPECT_INT(n, -XEN_EIO)) {
            printf("  req_prod %#x req_cons %#x\n", prod, cons);
            break;
        }
        if (!ok)
            EXPECT_U64(rp, 0xdeadbeef);
        ok ? accepted++ : rejected++;
    }
    EXPECT_TRUE(accepted > 1000 && rejected > 1000);
    pair_free(&p);
}

/*
 * A front with 5 requests made and 2 answers consumed may accept rsp_prod in
 * [rsp_cons, req_prod_pvt]: never behind, never past RING_SIZE
 * (RING_RESPONSE_PROD_OVERFLOW), never an answer to a request not made.
 */
static void test_hostile_rsp_prod(void)
{
    static const struct {
        const char *name;
        int32_t rel; /* rsp_prod - rsp_cons */
        bool ok;
    } cases[] = {
        { "at cons", 0, true },
        { "all answered", 3, true },
        { "answer to a request not made", 4, false },
        { "one past RING_SIZE", ENTS + 1, false },
        { "far ahead", 0x7fffffff, false },
        { "one behind cons", -1, false },
        { "far behind", INT32_MIN, false },
    };
    struct pair p;

    pair_init(&p, UINT32_MAX);
    front_queue(&p, 2);
    test_front_push_requests(&p.f);
    back_serve(&p);
    test_back_push_responses(&p.b);
    front_collect(&p);
    front_queue(&p, 3);
    test_front_push_requests(&p.f);

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        RING_IDX cons = p.f.rsp_cons, rp = 0xdeadbeef;
        int n;

        p.s->rsp_prod = cons + (RING_IDX)cases[i].rel;
        n = test_front_responses(&p.f, &rp);
        if (cases[i].ok) {
            EXPECT_TRUE_CASE(n == cases[i].rel && rp == p.s->rsp_prod, cases[i].name);
        } else {
            EXPECT_TRUE_CASE(n == -XEN_EIO && rp == 0xdeadbeef, cases[i].name);
            test_front_final_check(&p.f);
            EXPECT_TRUE_CASE(front_collect(&p) == -XEN_EIO, cases[i].name);
        }
        EXPECT_TRUE_CASE(p.f.rsp_cons == cons, cases[i].name);
    }

    for (unsigned int i = 0; i < 200000; i++) {
        RING_IDX cons = p.f.rsp_cons, rp = 0xdeadbeef;
        RING_IDX prod = (i & 1) ? cons + (rnd32() % 64) - 32 : rnd32();
        bool ok = (RING_IDX)(prod - cons) <= 3;
        int n;

        p.s->rsp_prod = prod;
        n = test_front_responses(&p.f, &rp);
        if (ok ? !EXPECT_INT(n, (int)(prod - cons)) : !EXPECT_INT(n, -XEN_EIO)) {
            printf("  rsp_prod %#x rsp_cons %#x\n", prod, cons);
            break;
        }
    }
    pair_free(&p);
}

static const struct unit_test ring_tests[] = {
    { "empty", test_empty },
    { "full", test_full },
    { "wrap_at_2^32", test_wrap },
    { "notify_requests", test_notify_requests },
    { "notify_responses", test_notify_responses },
    { "final_check_race", test_final_check_race },
    { "hostile_req_prod", test_hostile_req_prod },
    { "hostile_rsp_prod", test_hostile_rsp_prod },
};

void register_ring_tests(void)
{
    UNIT_SUITE("ring", ring_tests);
}
