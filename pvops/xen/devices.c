// SPDX-License-Identifier: MIT
// The devices and store slots of the Xen binding: the xenstore client over
// the ring start_info names, the grant table, and the console devices
// found under device/console/ (frontends in this folder).
#include <pvops/pvops.h>
#include <pvops/xen/console_front.h>
#include <pvops/xen/gnttab.h>
#include <pvops/xen/xenbus.h>
#include <pvops/xen/xenpv.h>
#include <xen/xen.h>

static void *store_ring;
static unsigned int store_port;
static const uint64_t *p2m;
static unsigned long nr_p2m;

static int devices_start(void)
{
    xenbus_init(store_ring, store_port);
    gnttab_init(p2m, nr_p2m);
    return console_front_connect_all();
}

static const struct pv_devices_ops devices_ops = {
    .start = devices_start,
    .stop = console_front_close_all,
    .console_write = console_front_write,
};

static const struct pv_store_ops store_ops = {
    .available = xenbus_available,
    .read = xenbus_read,
    .write = xenbus_write,
    .directory = xenbus_directory,
    .watch = xenbus_watch,
    .poll = xenbus_poll,
    .set_event_hook = xenbus_set_event_hook,
    .last_error = xenbus_last_error,
};

void xenpv_devices_install(const start_info_t *si)
{
    /* Xen's dom0 has no xenstore ring of its own (it runs xenstored). */
    if (si->store_mfn && !xenpv_on_xen_dom0(si)) {
        store_ring = xenpv_mfn_to_virt(si->store_mfn);
        store_port = si->store_evtchn;
    }
    p2m = (const uint64_t *)si->mfn_list;
    nr_p2m = si->nr_pages;
    pv_ops.devices = devices_ops;
    pv_ops.store = store_ops;
}
