// SPDX-License-Identifier: MIT
#include <string.h>
#include "backends/backend_ring.h"
#include "domain/domain.h"
#include "arch/x86/memlayout.h"
#include "frames/frame_table.h"
#include "arch/x86/pte.h"
#include "frames/page_type.h"

int backend_ring_attach(struct domain *d, uint64_t mfn, evtchn_xen_notify_fn *notify, void *arg,
                        void **page)
{
    int rc = page_get(mfn, d->domain_id), port;

    if (rc)
        return rc;
    port = evtchn_alloc_xen_port(d, notify, arg);
    if (port < 0) {
        page_put(mfn);
        return port;
    }
    *page = mfn_to_virt(mfn);
    memset(*page, 0, PAGE_SIZE);
    return port;
}
