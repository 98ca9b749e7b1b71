/* SPDX-License-Identifier: MIT */
/*
 * The in-hypervisor backends as the lower layers see them: a table the
 * backends fill at boot, walked at a domain's teardown and on every timer
 * tick. Neither the domain code nor the scheduler names a backend.
 */
#ifndef XENOLITH_DOMAIN_BACKEND_OPS_H
#define XENOLITH_DOMAIN_BACKEND_OPS_H

struct domain;

struct backend_ops {
    const char *name;
    /* Drops every reference the backend holds on d's frames, grants and
     * ports: called before the page audit of d's teardown. */
    void (*domain_teardown)(struct domain *d);
    /* Serves what guests left in their rings without notifying; called on
     * each tick from the idle loop or a guest, bounded per call. */
    void (*poll)(void);
};

/* At boot, before any domain exists; teardown and polling follow the
 * order of registration. */
void backend_register(const struct backend_ops *ops);
void backends_domain_teardown(struct domain *d);
void backends_poll(void);

#endif
