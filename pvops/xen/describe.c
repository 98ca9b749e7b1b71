// SPDX-License-Identifier: MIT
// Tells Xenolith from Xen by the extraversion Xenolith reports
// ("-xenolith-<version>"): both answer XENVER_version with the Xen
// interface they implement, so the number alone cannot.
#include <pvops/pvops.h>
#include <pvops/xen/xenpv.h>
#include <vmi/xen_version.h>
#include <stdio.h>
#include <string.h>

static const char xenolith_tag[] = "-xenolith";

void xenpv_describe(void)
{
    xen_extraversion_t extra = "";
    long version = xen_version_number();

    if (xen_version_extra(extra) < 0)
        extra[0] = '\0';
    extra[XEN_EXTRAVERSION_LEN - 1] = '\0';

    if (strncmp(extra, xenolith_tag, strlen(xenolith_tag)) == 0) {
        const char *v = extra + strlen(xenolith_tag);

        snprintf(pv_info.name, sizeof(pv_info.name), "Xenolith %s", *v == '-' ? v + 1 : v);
        return;
    }
    snprintf(pv_info.name, sizeof(pv_info.name), "Xen %ld.%ld%s", (version >> 16) & 0xffff,
             version & 0xffff, extra);
}
