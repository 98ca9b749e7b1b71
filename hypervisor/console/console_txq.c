// SPDX-License-Identifier: MIT
/* The serial transmit queue (console_txq.h): a byte ring plus a ring of
 * line records, so that each byte taken is charged back to its owner. */
#include <string.h>
#include <xen/errno.h>
#include "console/console_txq.h"

#define NO_OWNER 0xff

void txq_init(struct txq *q)
{
    memset(q, 0, sizeof(*q));
}

static int find_owner(const struct txq *q, domid_t id)
{
    for (int i = 0; i < TXQ_OWNERS; i++)
        if (q->owners[i].used && q->owners[i].id == id)
            return i;
    return -1;
}

/* A slot is kept while its owner has bytes queued or drops to report. */
static int owner_slot(struct txq *q, domid_t id)
{
    int i = find_owner(q, id);

    if (i >= 0)
        return i;
    for (i = 0; i < TXQ_OWNERS; i++)
        if (!q->owners[i].used) {
            q->owners[i] = (struct txq_owner){ .used = true, .id = id };
            return i;
        }
    return -1;
}

static void release_if_idle(struct txq *q, int i)
{
    struct txq_owner *o = &q->owners[i];

    if (!o->queued && !o->dropped_lines)
        o->used = false;
}

int txq_put(struct txq *q, domid_t owner, const char *s, size_t n)
{
    bool xen = owner == DOMID_XEN;
    size_t room = TXQ_SIZE - q->len - (xen ? 0 : TXQ_RESERVE);
    struct txq_owner *o;
    int i;

    if (!n || n > TXQ_DOMAIN_SHARE)
        return -XEN_EINVAL;
    if (q->len > TXQ_SIZE - (xen ? 0 : TXQ_RESERVE))
        room = 0;
    i = owner_slot(q, owner);
    if (i < 0)
        return -XEN_ENOSPC; /* more owners than domains: cannot happen */
    o = &q->owners[i];
    if (n > room || q->nr_lines == TXQ_LINES || (!xen && o->queued + n > TXQ_DOMAIN_SHARE)) {
        o->dropped_lines++;
        o->dropped_bytes += n;
        return -XEN_ENOSPC;
    }
    for (size_t k = 0; k < n; k++)
        q->buf[(q->head + q->len + k) % TXQ_SIZE] = (uint8_t)s[k];
    q->len += (uint32_t)n;
    q->lines[(q->line_head + q->nr_lines) % TXQ_LINES] = (struct txq_line){ .owner = (uint8_t)i,
                                                                            .left = (uint32_t)n };
    q->nr_lines++;
    o->queued += (uint32_t)n;
    return 0;
}

size_t txq_take(struct txq *q, char *out, size_t max)
{
    size_t done = 0;

    while (done < max && q->nr_lines) {
        struct txq_line *l = &q->lines[q->line_head];
        size_t n = l->left < max - done ? l->left : max - done;

        for (size_t k = 0; k < n; k++)
            out[done + k] = (char)q->buf[(q->head + k) % TXQ_SIZE];
        q->head = (uint32_t)((q->head + n) % TXQ_SIZE);
        q->len -= (uint32_t)n;
        l->left -= (uint32_t)n;
        q->owners[l->owner].queued -= (uint32_t)n;
        done += n;
        if (!l->left) {
            release_if_idle(q, l->owner);
            q->line_head = (q->line_head + 1) % TXQ_LINES;
            q->nr_lines--;
        }
    }
    return done;
}

uint32_t txq_queued(const struct txq *q, domid_t owner)
{
    int i = find_owner(q, owner);

    return i < 0 ? 0 : q->owners[i].queued;
}

uint64_t txq_dropped_lines(const struct txq *q, domid_t owner)
{
    int i = find_owner(q, owner);

    return i < 0 ? 0 : q->owners[i].dropped_lines;
}

uint64_t txq_dropped_bytes(const struct txq *q, domid_t owner)
{
    int i = find_owner(q, owner);

    return i < 0 ? 0 : q->owners[i].dropped_bytes;
}

void txq_forget(struct txq *q, domid_t owner)
{
    int i = find_owner(q, owner);

    if (i < 0)
        return;
    q->owners[i].dropped_lines = q->owners[i].dropped_bytes = 0;
    release_if_idle(q, i);
}
