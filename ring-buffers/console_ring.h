/* SPDX-License-Identifier: MIT */
/*
 * The console byte rings of xen/io/console.h: `out` carries the guest's
 * output to the backend, `in` the backend's input to the guest. Both indices
 * live in the shared page, so each side validates both before using them:
 * a gap larger than the buffer is reported, never followed.
 */
#ifndef RING_BUFFERS_CONSOLE_RING_H
#define RING_BUFFERS_CONSOLE_RING_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>

#include "ring-buffers/barrier.h"

#include <xen/io/console.h>

_Static_assert(sizeof(XENCONS_RING_IDX) == sizeof(ring_idx_t), "32-bit indices");
_Static_assert((sizeof(((struct xencons_interface *)0)->in) &
                (sizeof(((struct xencons_interface *)0)->in) - 1)) == 0 &&
                   (sizeof(((struct xencons_interface *)0)->out) &
                    (sizeof(((struct xencons_interface *)0)->out) - 1)) == 0,
               "MASK_XENCONS_IDX needs power-of-two buffers");

/*
 * Producer side of one direction: copies as much of data[0..len) as fits
 * into buf (`size` bytes, a power of two) and publishes it. Returns the
 * number of bytes written (0 when full), or -XEN_EIO if prod - cons exceeds
 * the buffer, in which case nothing is written.
 */
static inline int console_ring_put(char *buf, uint32_t size, XENCONS_RING_IDX *cons_p,
                                   XENCONS_RING_IDX *prod_p, const void *data, size_t len)
{
    XENCONS_RING_IDX cons = ring_read_idx(cons_p);
    XENCONS_RING_IDX prod = ring_read_idx(prod_p);
    uint32_t used = prod - cons, off, n, first;

    ring_rmb(); /* the consumer's index before writing into the space it freed */
    if (used > size)
        return -XEN_EIO;
    n = size - used;
    if (len < n)
        n = (uint32_t)len;
    off = prod & (size - 1);
    first = size - off < n ? size - off : n;
    if (n) {
        memcpy(buf + off, data, first);
        memcpy(buf, (const char *)data + first, n - first);
    }
    ring_wmb(); /* the bytes before the index that publishes them */
    ring_write_idx(prod_p, prod + n);
    return (int)n;
}

/*
 * Consumer side of one direction: copies up to len published bytes out of
 * buf and hands their space back. Returns the number of bytes read (0 when
 * empty), or -XEN_EIO if prod - cons exceeds the buffer, in which case
 * nothing is read.
 */
static inline int console_ring_get(const char *buf, uint32_t size, XENCONS_RING_IDX *cons_p,
                                   XENCONS_RING_IDX *prod_p, void *data, size_t len)
{
    XENCONS_RING_IDX cons = ring_read_idx(cons_p);
    XENCONS_RING_IDX prod = ring_read_idx(prod_p);
    uint32_t avail = prod - cons, off, n, first;

    ring_rmb(); /* the producer's index before the bytes it publishes */
    if (avail > size)
        return -XEN_EIO;
    n = len < avail ? (uint32_t)len : avail;
    off = cons & (size - 1);
    first = size - off < n ? size - off : n;
    if (n) {
        memcpy(data, buf + off, first);
        memcpy((char *)data + first, buf, n - first);
    }
    ring_wmb(); /* finish reading the bytes before their space is handed back */
    ring_write_idx(cons_p, cons + n);
    return (int)n;
}

/* Guest: console output, as much as fits. */
static inline int console_ring_front_write(struct xencons_interface *intf, const void *data,
                                           size_t len)
{
    return console_ring_put(intf->out, sizeof(intf->out), &intf->out_cons, &intf->out_prod, data,
                            len);
}

/* Guest: console input, what is there. */
static inline int console_ring_front_read(struct xencons_interface *intf, void *data, size_t len)
{
    return console_ring_get(intf->in, sizeof(intf->in), &intf->in_cons, &intf->in_prod, data, len);
}

/* Backend: input for the guest, as much as fits. */
static inline int console_ring_back_write(struct xencons_interface *intf, const void *data,
                                          size_t len)
{
    return console_ring_put(intf->in, sizeof(intf->in), &intf->in_cons, &intf->in_prod, data, len);
}

/* Backend: the guest's output, what is there. */
static inline int console_ring_back_read(struct xencons_interface *intf, void *data, size_t len)
{
    return console_ring_get(intf->out, sizeof(intf->out), &intf->out_cons, &intf->out_prod, data,
                            len);
}

#endif
