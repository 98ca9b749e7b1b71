/* SPDX-License-Identifier: MIT */
/*
 * The subsystems above the domain layer as it and the scheduler see them: a
 * table filled once at boot (boot/setup.c says the order), walked when a
 * domain is destroyed and, for the backends, on every timer tick. Neither
 * the domain code nor the scheduler names a subsystem above it.
 */
#ifndef XENOLITH_DOMAIN_SUBSYSTEMS_H
#define XENOLITH_DOMAIN_SUBSYSTEMS_H

struct domain;

struct subsystem_ops {
    const char *name;
    /* Drops every reference the subsystem holds on d's frames, grants and
     * ports, and d's on others': called in registration order, before the
     * page audit of d's teardown. */
    void (*domain_teardown)(struct domain *d);
    /* A backend serves what guests left in their rings without notifying;
     * called on each tick from the idle loop or a guest, bounded per call.
     * NULL when there is nothing to poll. */
    void (*poll)(void);
};

/* At boot, before any domain exists; teardown and polling follow the
 * order of registration. */
void subsystem_register(const struct subsystem_ops *ops);
void subsystems_domain_teardown(struct domain *d);
void subsystems_poll(void);

#endif
