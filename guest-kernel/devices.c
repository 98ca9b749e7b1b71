// SPDX-License-Identifier: MIT
// Boot-time discovery of split devices, and their close at power-off.
#include <guest-kernel/console_front.h>
#include <guest-kernel/devices.h>
#include <guest-kernel/gnttab.h>
#include <guest-kernel/xenbus.h>
#include <stdio.h>
#include <string.h>

#define MAX_CONSOLE_DEVICES 4

void devices_start(const struct boot_info *bi)
{
    xenbus_init(bi->store_ring, bi->store_port);
    gnttab_init(bi);
    if (console_front_connect_all() <= 0)
        return;
    /* A first line on each, so whoever reads them knows which is which. */
    for (unsigned int n = 1; n < MAX_CONSOLE_DEVICES; n++) {
        char line[48];

        snprintf(line, sizeof(line), "Lithos on console %u\n", n);
        console_front_write(n, line, strlen(line));
    }
}

void devices_stop(void)
{
    console_front_close_all();
}
