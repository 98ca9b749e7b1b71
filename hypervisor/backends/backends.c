/* SPDX-License-Identifier: MIT */
/*
 * Registers Xenolith's backends with the domain layer (domain/subsystems.h), in
 * the order they are polled and torn down: the console rings first, so a
 * dying guest's last words reach the line before its devices go, then the
 * console devices, whose removal writes xenstore nodes, then xenstore.
 */
#include "backends/backends.h"
#include "backends/console_backend.h"
#include "backends/console_device.h"
#include "backends/xenbus_backend.h"
#include "backends/xenstore_backend.h"
#include "domain/subsystems.h"

static const struct subsystem_ops console_ops = {
    .name = "console",
    .domain_teardown = consb_disconnect,
    .poll = consb_poll,
};
static const struct subsystem_ops console_device_ops = {
    .name = "console devices",
    .domain_teardown = consdev_remove,
    .poll = consdev_poll,
};
static const struct subsystem_ops xenstore_ops = {
    .name = "xenstore",
    .domain_teardown = xsb_disconnect,
    .poll = xsb_poll,
};

/* The xenbus devices follow their frontends' state nodes. */
static void xenbus_devices_look(void)
{
    xbb_store_changed();
}

void backends_init(void)
{
    xsb_watch_local(xenbus_devices_look);
    subsystem_register(&console_ops);
    subsystem_register(&console_device_ops);
    subsystem_register(&xenstore_ops);
}
