/* SPDX-License-Identifier: MIT */
/*
 * ring_threads suite: a frontend and a backend in two host threads pass one
 * million requests and their responses over a one-page ring, checking order
 * and checksums both ways. Each side sleeps only after a final check and is
 * woken only by a notification the push helpers asked for, so a lost wakeup
 * in the hold-off protocol shows up as a timeout.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ring_proto.h"
#include "unit.h"

#define NR_MESSAGES     1000000u
#define RING_BYTES      4096u
#define WAIT_TIMEOUT_NS 5000000000ll

/* An event channel: one pending bit, set by the notifier, cleared by the wait. */
struct event {
    atomic_uint pending;
    atomic_ulong sent;
};

struct link {
    test_sring_t *s;
    test_front_ring_t f;
    test_back_ring_t b;
    struct event to_back, to_front;
    atomic_bool abort;
    const char *error; /* the first failure, set once */
    unsigned long front_sleeps, back_sleeps;
    uint64_t back_sum, front_sum;
};

static long long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void fail(struct link *l, const char *why)
{
    bool was = atomic_exchange(&l->abort, true);

    if (!was)
        l->error = why;
}

static void notify(struct event *e)
{
    atomic_fetch_add(&e->sent, 1);
    atomic_store(&e->pending, 1);
}

/* Blocks until notified; false on abort or if nobody notifies in time. */
static bool wait_event(struct link *l, struct event *e)
{
    long long deadline = now_ns() + WAIT_TIMEOUT_NS;

    for (unsigned int spins = 0; !atomic_exchange(&e->pending, 0); spins++) {
        if (atomic_load(&l->abort))
            return false;
        if (spins % 64 == 63) {
            sched_yield();
            if (now_ns() > deadline) {
                fail(l, "lost wakeup: waited 5 s for a notification");
                return false;
            }
        }
    }
    return true;
}

static void *back_thread(void *arg)
{
    struct link *l = arg;
    test_back_ring_t *r = &l->b;
    uint32_t want = 0;

    while (want < NR_MESSAGES) {
        RING_IDX rp;

        if (test_back_requests(r, &rp) < 0) {
            fail(l, "back: hostile req_prod from an honest front");
            break;
        }
        while (r->req_cons != rp) {
            struct test_req req;
            struct test_rsp *rsp;

            RING_COPY_REQUEST(r, r->req_cons, &req);
            r->req_cons++;
            if (req.seq != want || req.payload != ring_test_payload(req.seq) ||
                req.sum != ring_test_sum(req.seq, req.payload)) {
                fail(l, "back: request out of order or corrupt");
                return NULL;
            }
            want++;
            l->back_sum += req.payload;
            rsp = RING_GET_RESPONSE(r, r->rsp_prod_pvt);
            rsp->seq = req.seq;
            rsp->payload = ~req.payload;
            rsp->sum = ring_test_sum(rsp->seq, rsp->payload);
            r->rsp_prod_pvt++;
        }
        if (test_back_push_responses(r))
            notify(&l->to_front);
        if (want < NR_MESSAGES && !test_back_final_check(r)) {
            l->back_sleeps++;
            if (!wait_event(l, &l->to_back))
                break;
        }
    }
    return NULL;
}

static void front_run(struct link *l)
{
    test_front_ring_t *r = &l->f;
    uint32_t next = 0, want = 0;

    while (want < NR_MESSAGES) {
        /* Bursts of 1 to 32, so pushes interleave with the back's reads. */
        uint32_t burst_end = next + ring_test_payload(next) % 32 + 1;
        RING_IDX rp;

        while (next < NR_MESSAGES && next < burst_end && !RING_FULL(r)) {
            struct test_req *req = RING_GET_REQUEST(r, r->req_prod_pvt);

            req->seq = next;
            req->payload = ring_test_payload(next);
            req->sum = ring_test_sum(req->seq, req->payload);
            r->req_prod_pvt++;
            next++;
        }
        if (test_front_push_requests(r))
            notify(&l->to_back);

        if (test_front_responses(r, &rp) < 0) {
            fail(l, "front: hostile rsp_prod from an honest back");
            return;
        }
        while (r->rsp_cons != rp) {
            struct test_rsp rsp;

            RING_COPY_RESPONSE(r, r->rsp_cons, &rsp);
            r->rsp_cons++;
            if (rsp.seq != want || rsp.payload != ~ring_test_payload(rsp.seq) ||
                rsp.sum != ring_test_sum(rsp.seq, rsp.payload)) {
                fail(l, "front: response out of order or corrupt");
                return;
            }
            want++;
            l->front_sum += ~rsp.payload;
        }
        /* Sleep only with nothing to send and nothing to read. */
        if (want < NR_MESSAGES && (next == NR_MESSAGES || RING_FULL(r)) &&
            !test_front_final_check(r)) {
            l->front_sleeps++;
            if (!wait_event(l, &l->to_front))
                return;
        }
    }
}

static void test_million(void)
{
    struct link *l = calloc(1, sizeof(*l));
    pthread_t back;
    long long t0;
    uint64_t want_sum = 0;

    CU_ASSERT_FATAL(l != NULL);
    l->s = malloc(RING_BYTES);
    CU_ASSERT_FATAL(l->s != NULL);
    XEN_FRONT_RING_INIT(&l->f, l->s, RING_BYTES);
    /* Start near the wrap, so a million messages cross it. */
    l->s->req_prod = l->s->rsp_prod = UINT32_MAX - 1000;
    l->s->req_event = l->s->rsp_event = UINT32_MAX - 999;
    FRONT_RING_ATTACH(&l->f, l->s, UINT32_MAX - 1000, RING_BYTES);
    BACK_RING_ATTACH(&l->b, l->s, UINT32_MAX - 1000, RING_BYTES);

    t0 = now_ns();
    ASSERT_INT(pthread_create(&back, NULL, back_thread, l), 0);
    front_run(l);
    if (atomic_load(&l->abort))
        notify(&l->to_back);
    pthread_join(back, NULL);

    for (uint32_t i = 0; i < NR_MESSAGES; i++)
        want_sum += ring_test_payload(i);
    EXPECT_STR(l->error ? l->error : "ok", "ok");
    EXPECT_U64(l->back_sum, want_sum);
    EXPECT_U64(l->front_sum, want_sum);
    EXPECT_U64(l->f.rsp_cons, (RING_IDX)(UINT32_MAX - 1000 + NR_MESSAGES));
    printf("ring_threads: %u messages each way over %u slots in %.2f s; "
           "notifications %lu to back, %lu to front; sleeps %lu back, %lu front\n",
           NR_MESSAGES, RING_SIZE(&l->f), (now_ns() - t0) / 1e9, atomic_load(&l->to_back.sent),
           atomic_load(&l->to_front.sent), l->back_sleeps, l->front_sleeps);
    /* Without hold-off every push would notify: at least one per 8 messages. */
    EXPECT_TRUE(atomic_load(&l->to_back.sent) < NR_MESSAGES / 8);
    EXPECT_TRUE(atomic_load(&l->to_front.sent) < NR_MESSAGES / 8);
    free(l->s);
    free(l);
}

static const struct unit_test ring_thread_tests[] = {
    { "million_messages", test_million },
};

void register_ring_thread_tests(void)
{
    UNIT_SUITE("ring_threads", ring_thread_tests);
}
