/* SPDX-License-Identifier: MIT */
/*
 * The console multiplexer: every guest's console on Xenolith's one serial
 * line. Output is assembled per domain into whole lines tagged "(d<id>) ";
 * serial input goes to the focused domain, and Ctrl-A three times moves the
 * focus on. Pure code over fixed state; the serial port and rings are the
 * caller's, and calls must be serialised. docs/console.md has the details.
 */
#ifndef XENOLITH_CONSOLE_MUX_H
#define XENOLITH_CONSOLE_MUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

#define CONSOLE_MUX_SLOTS        16   /* live domains at once (MAX_DOMAINS) */
#define CONSOLE_MUX_LINE         160  /* bytes of a line before it is split */
#define CONSOLE_MUX_INPUT        128  /* queued input bytes per domain */
#define CONSOLE_MUX_SWITCH_CHAR  0x01 /* Ctrl-A, Xen's default conswitch */
#define CONSOLE_MUX_SWITCH_COUNT 3    /* in a row, as Xen */
#define CONSOLE_MUX_TAG_MAX      12   /* "(d65535.3) ", the longest tag */

/* The most bytes putting n bytes can emit, with CR added before each LF:
 * the pending line, then a tagged empty line per byte. */
#define CONSOLE_MUX_EMIT_MAX(n) \
    ((n) * (CONSOLE_MUX_TAG_MAX + 2) + CONSOLE_MUX_LINE + CONSOLE_MUX_TAG_MAX + 2)

/* Receives one whole line, tag and '\n' included; the caller prints it. */
typedef void console_emit_fn(const char *line, size_t len);

struct console_mux_dom {
    bool live;
    domid_t id;
    size_t line_len; /* partial output line */
    char line[CONSOLE_MUX_LINE];
    uint32_t in_head; /* oldest queued input byte */
    uint32_t in_len;
    uint8_t in[CONSOLE_MUX_INPUT];
    uint64_t in_dropped; /* input bytes lost to a full queue */
};

struct console_mux {
    console_emit_fn *emit;
    domid_t focus;              /* DOMID_INVALID when none is live */
    unsigned int switch_held;   /* Ctrl-As in a row, not yet delivered */
    uint64_t unfocused_dropped; /* input bytes with no domain to take them */
    struct console_mux_dom dom[CONSOLE_MUX_SLOTS];
};

/*
 * Line assembly alone, over a caller's buffer: appends s[0..n) to domain
 * id's partial line buf[0..*len) (cap bytes, at most CONSOLE_MUX_LINE).
 * Each '\n', and each time the buffer fills, emits "(d<id>) <line>\n".
 * CR and NUL are dropped. console_io.c and the mux both use it.
 */
void console_line_put(char *buf, size_t cap, size_t *len, domid_t id, const char *s, size_t n,
                      console_emit_fn *emit);

/* The same with a tag of the caller's (at most CONSOLE_MUX_TAG_MAX bytes),
 * for consoles other than a domain's first: "(d<id>.<n>) ". */
void console_line_put_tagged(char *buf, size_t cap, size_t *len, const char *tag, const char *s,
                             size_t n, console_emit_fn *emit);

/* No domains, no focus; every line and notice goes to emit. */
void console_mux_init(struct console_mux *m, console_emit_fn *emit);

/* 0, -XEN_EEXIST if id is already live, -XEN_ENOSPC when every slot is
 * taken, -XEN_EINVAL for DOMID_INVALID. The first domain takes the focus. */
int console_mux_add_domain(struct console_mux *m, domid_t id);
/* Emits the domain's unfinished line, drops its queued input and, if it had
 * the focus, moves the focus on. 0 or -XEN_ESRCH. */
int console_mux_remove_domain(struct console_mux *m, domid_t id);

/* The guest's console output (console_io or its ring). 0 or -XEN_ESRCH. */
int console_mux_output(struct console_mux *m, domid_t id, const char *s, size_t n);

/* One byte from the serial line. */
void console_mux_input_byte(struct console_mux *m, uint8_t c);
/* Moves up to max queued input bytes of domain id into buf, oldest first.
 * Returns the number moved, or -XEN_ESRCH. */
int console_mux_take_input(struct console_mux *m, domid_t id, void *buf, size_t max);

/* The domain serial input goes to, or DOMID_INVALID. */
domid_t console_mux_focus(const struct console_mux *m);
/* Input bytes domain id lost to a full queue (0 for an unknown domain). */
uint64_t console_mux_input_dropped(const struct console_mux *m, domid_t id);

#endif
