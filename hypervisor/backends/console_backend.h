/* SPDX-License-Identifier: MIT */
/*
 * Xenolith's console daemon: every domain's console ring (xen/io/console.h)
 * and CONSOLEIO output go through one console mux onto the serial line, and
 * serial input goes back to the focused domain. docs/console.md.
 */
#ifndef XENOLITH_CONSOLE_BACKEND_H
#define XENOLITH_CONSOLE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

struct domain;

/* At build, before d runs: add d to the mux, take a reference on its ring
 * frame `mfn` and bind a Xenolith port. Returns the port or a negative
 * errno (nothing is left half-connected). */
int consb_connect(struct domain *d, uint64_t mfn);
/* At destroy: flush d's unfinished line, drop the ring and its reference. */
void consb_disconnect(struct domain *d);
/* The scheduler tick: take serial input, then serve every ring a bounded
 * amount (output out, queued input in). */
void consb_poll(void);

/* CONSOLEIO_write and _read, through the same mux as the rings. */
void consb_write(struct domain *d, const char *s, size_t n);
size_t consb_read(struct domain *d, void *buf, size_t max);

#endif
