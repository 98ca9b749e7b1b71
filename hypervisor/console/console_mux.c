// SPDX-License-Identifier: MIT
/* console_mux: whole tagged lines out, focused input in, for every guest
 * console on the one serial line. */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include "console/console_mux.h"

/* One emit call per line, so a caller printing each call whole can never
 * interleave two consoles mid-line. */
static void line_flush(char *buf, size_t *len, const char *tag, console_emit_fn *emit)
{
    char out[CONSOLE_MUX_TAG_MAX + CONSOLE_MUX_LINE + 1];
    size_t n = strlen(tag);

    if (n > CONSOLE_MUX_TAG_MAX)
        n = CONSOLE_MUX_TAG_MAX;
    memcpy(out, tag, n);
    memcpy(out + n, buf, *len);
    out[n + *len] = '\n';
    emit(out, n + *len + 1);
    *len = 0;
}

void console_line_put_tagged(char *buf, size_t cap, size_t *len, const char *tag, const char *s,
                             size_t n, console_emit_fn *emit)
{
    if (cap > CONSOLE_MUX_LINE)
        cap = CONSOLE_MUX_LINE;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (c == '\n') {
            line_flush(buf, len, tag, emit);
            continue;
        }
        if (c == '\r' || c == '\0')
            continue;
        buf[(*len)++] = c;
        if (*len == cap)
            line_flush(buf, len, tag, emit);
    }
}

void console_line_put(char *buf, size_t cap, size_t *len, domid_t id, const char *s, size_t n,
                      console_emit_fn *emit)
{
    char tag[CONSOLE_MUX_TAG_MAX + 1];

    snprintf(tag, sizeof(tag), "(d%u) ", (unsigned int)id);
    console_line_put_tagged(buf, cap, len, tag, s, n, emit);
}

static struct console_mux_dom *dom_find(struct console_mux *m, domid_t id)
{
    for (unsigned int i = 0; i < CONSOLE_MUX_SLOTS; i++)
        if (m->dom[i].live && m->dom[i].id == id)
            return &m->dom[i];
    return NULL;
}

/* Cycle order is domain id order, wrapping to the lowest: with no dom0 shell
 * (Xen's first stop), Xenolith cycles through the live domains only. */
static domid_t next_focus(const struct console_mux *m, domid_t after)
{
    domid_t next = DOMID_INVALID, lowest = DOMID_INVALID;

    for (unsigned int i = 0; i < CONSOLE_MUX_SLOTS; i++) {
        const struct console_mux_dom *d = &m->dom[i];

        if (!d->live)
            continue;
        if (lowest == DOMID_INVALID || d->id < lowest)
            lowest = d->id;
        if (d->id > after && (next == DOMID_INVALID || d->id < next))
            next = d->id;
    }
    return next != DOMID_INVALID ? next : lowest;
}

static void set_focus(struct console_mux *m, domid_t id)
{
    char out[96];
    int n;

    m->focus = id;
    m->switch_held = 0;
    if (id == DOMID_INVALID)
        return;
    n = snprintf(out, sizeof(out), "(xenolith) input to d%u (type Ctrl-A three times to switch)\n",
                 (unsigned int)id);
    m->emit(out, (size_t)n);
}

void console_mux_init(struct console_mux *m, console_emit_fn *emit)
{
    memset(m, 0, sizeof(*m));
    m->emit = emit;
    m->focus = DOMID_INVALID;
}

int console_mux_add_domain(struct console_mux *m, domid_t id)
{
    struct console_mux_dom *d = NULL;

    if (id == DOMID_INVALID)
        return -XEN_EINVAL;
    if (dom_find(m, id))
        return -XEN_EEXIST;
    for (unsigned int i = 0; i < CONSOLE_MUX_SLOTS && !d; i++)
        if (!m->dom[i].live)
            d = &m->dom[i];
    if (!d)
        return -XEN_ENOSPC;
    memset(d, 0, sizeof(*d));
    d->live = true;
    d->id = id;
    if (m->focus == DOMID_INVALID)
        set_focus(m, id);
    return 0;
}

int console_mux_remove_domain(struct console_mux *m, domid_t id)
{
    struct console_mux_dom *d = dom_find(m, id);

    if (!d)
        return -XEN_ESRCH;
    /* A guest's last words often lack a newline (a crash, a panic). */
    if (d->line_len)
        console_line_put(d->line, sizeof(d->line), &d->line_len, id, "\n", 1, m->emit);
    d->live = false;
    if (m->focus == id)
        set_focus(m, next_focus(m, id));
    return 0;
}

int console_mux_output(struct console_mux *m, domid_t id, const char *s, size_t n)
{
    struct console_mux_dom *d = dom_find(m, id);

    if (!d)
        return -XEN_ESRCH;
    console_line_put(d->line, sizeof(d->line), &d->line_len, id, s, n, m->emit);
    return 0;
}

static void deliver(struct console_mux *m, uint8_t c)
{
    struct console_mux_dom *d = dom_find(m, m->focus);

    if (!d) {
        m->unfocused_dropped++;
        return;
    }
    if (d->in_len == CONSOLE_MUX_INPUT) {
        d->in_dropped++;
        return;
    }
    d->in[(d->in_head + d->in_len) % CONSOLE_MUX_INPUT] = c;
    d->in_len++;
}

/* As Xen's serial_rx(): Ctrl-As are held until the third (a switch, all
 * three swallowed) or another byte (they are delivered, then it). */
void console_mux_input_byte(struct console_mux *m, uint8_t c)
{
    if (c == CONSOLE_MUX_SWITCH_CHAR) {
        if (++m->switch_held == CONSOLE_MUX_SWITCH_COUNT) {
            m->switch_held = 0;
            if (m->focus != DOMID_INVALID)
                set_focus(m, next_focus(m, m->focus));
        }
        return;
    }
    for (; m->switch_held; m->switch_held--)
        deliver(m, CONSOLE_MUX_SWITCH_CHAR);
    deliver(m, c);
}

int console_mux_take_input(struct console_mux *m, domid_t id, void *buf, size_t max)
{
    struct console_mux_dom *d = dom_find(m, id);
    uint8_t *out = buf;
    size_t n;

    if (!d)
        return -XEN_ESRCH;
    n = max < d->in_len ? max : d->in_len;
    for (size_t i = 0; i < n; i++)
        out[i] = d->in[(d->in_head + i) % CONSOLE_MUX_INPUT];
    d->in_head = (d->in_head + (uint32_t)n) % CONSOLE_MUX_INPUT;
    d->in_len -= (uint32_t)n;
    return (int)n;
}

domid_t console_mux_focus(const struct console_mux *m)
{
    return m->focus;
}

uint64_t console_mux_input_dropped(const struct console_mux *m, domid_t id)
{
    for (unsigned int i = 0; i < CONSOLE_MUX_SLOTS; i++)
        if (m->dom[i].live && m->dom[i].id == id)
            return m->dom[i].in_dropped;
    return 0;
}
