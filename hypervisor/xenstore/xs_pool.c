/* SPDX-License-Identifier: MIT */
/*
 * The xenstore core's fixed pools: blocks chained into the values and
 * child lists of nodes, records for nodes, watches and events.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/io/xs_wire.h>
#include "xenstore/xenstore.h"
#include "xenstore/xenstore_priv.h"

static uint32_t blk_alloc(struct xs_store *s)
{
    uint32_t b = s->free_block;

    s->free_block = s->block[b - 1].next;
    s->block[b - 1].next = 0;
    s->nr_free_blocks--;
    return b;
}

void xs_chain_free(struct xs_store *s, uint32_t head)
{
    while (head) {
        uint32_t next = s->block[head - 1].next;

        s->block[head - 1].next = s->free_block;
        s->free_block = head;
        s->nr_free_blocks++;
        head = next;
    }
}

/* Callers have checked that xs_nblk(len) blocks are free. */
uint32_t xs_chain_new(struct xs_store *s, const char *src, uint32_t len)
{
    uint32_t head = 0, *link = &head;

    while (len) {
        uint32_t n = len < XS_BLOCK_BYTES ? len : XS_BLOCK_BYTES;
        uint32_t b = blk_alloc(s);

        memcpy(s->block[b - 1].data, src, n);
        *link = b;
        link = &s->block[b - 1].next;
        src += n;
        len -= n;
    }
    return head;
}

void xs_cur_init(struct cursor *c, struct xs_store *s, uint32_t head, uint32_t off)
{
    c->s = s;
    c->blk = head;
    while (off >= XS_BLOCK_BYTES) {
        c->blk = s->block[c->blk - 1].next;
        off -= XS_BLOCK_BYTES;
    }
    c->pos = off;
}

char *xs_cur_ptr(struct cursor *c)
{
    return &c->s->block[c->blk - 1].data[c->pos];
}

void xs_cur_next(struct cursor *c)
{
    if (++c->pos == XS_BLOCK_BYTES) {
        c->blk = c->s->block[c->blk - 1].next;
        c->pos = 0;
    }
}

void xs_chain_read(struct xs_store *s, uint32_t head, uint32_t off, char *dst, uint32_t len)
{
    struct cursor c;

    if (!len)
        return;
    xs_cur_init(&c, s, head, off);
    while (len) {
        uint32_t n = XS_BLOCK_BYTES - c.pos;

        if (n > len)
            n = len;
        memcpy(dst, xs_cur_ptr(&c), n);
        dst += n;
        len -= n;
        c.pos += n - 1;
        xs_cur_next(&c);
        if (!c.blk)
            break;
    }
}

/* Do the len bytes at off equal str? */
bool xs_chain_eq_at(struct xs_store *s, uint32_t head, uint32_t off, const char *str, uint32_t len)
{
    struct cursor c;

    if (!len)
        return true;
    xs_cur_init(&c, s, head, off);
    while (len--) {
        if (*xs_cur_ptr(&c) != *str++)
            return false;
        if (len)
            xs_cur_next(&c);
    }
    return true;
}

uint32_t xs_chain_copy(struct xs_store *s, uint32_t src, uint32_t len)
{
    uint32_t head = 0, *link = &head;

    while (len) {
        uint32_t n = len < XS_BLOCK_BYTES ? len : XS_BLOCK_BYTES;
        uint32_t b = blk_alloc(s);

        memcpy(s->block[b - 1].data, s->block[src - 1].data, n);
        *link = b;
        link = &s->block[b - 1].next;
        src = s->block[src - 1].next;
        len -= n;
    }
    return head;
}

/* Needs xs_nblk(len + add) - xs_nblk(len) free blocks. */
void xs_chain_append(struct xs_store *s, uint32_t *head, uint32_t len, const char *src,
                     uint32_t add)
{
    uint32_t last = *head, room;

    if (!add)
        return;
    if (!last) {
        *head = xs_chain_new(s, src, add);
        return;
    }
    while (s->block[last - 1].next)
        last = s->block[last - 1].next;
    room = xs_nblk(len) * XS_BLOCK_BYTES - len;
    if (room > add)
        room = add;
    memcpy(&s->block[last - 1].data[XS_BLOCK_BYTES - (xs_nblk(len) * XS_BLOCK_BYTES - len)], src,
           room);
    if (add > room)
        s->block[last - 1].next = xs_chain_new(s, src + room, add - room);
}

/* Removes bytes [off, off + cut) of a len-byte chain, in place. */
void xs_chain_cut(struct xs_store *s, uint32_t *head, uint32_t len, uint32_t off, uint32_t cut)
{
    struct cursor w, r;
    uint32_t n = len - off - cut, keep = xs_nblk(len - cut), b, *link;

    if (n) {
        xs_cur_init(&w, s, *head, off);
        xs_cur_init(&r, s, *head, off + cut);
        while (n--) {
            *xs_cur_ptr(&w) = *xs_cur_ptr(&r);
            if (n) {
                xs_cur_next(&w);
                xs_cur_next(&r);
            }
        }
    }
    link = head;
    for (b = 0; b < keep; b++)
        link = &s->block[*link - 1].next;
    xs_chain_free(s, *link);
    *link = 0;
}
