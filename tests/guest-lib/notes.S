/* SPDX-License-Identifier: MIT */
/*
 * The Xen ELF notes of every test guest. FEATURES is absent: a test must
 * boot on any PV64 hypervisor and skip what it lacks, never be refused.
 * SUPPORTED_FEATURES claims dom0 because Xen boots tests as dom0.
 */
#include <vmi/elfnote.h>
#include <xen/features.h>
#include "tests/guest-lib/layout.h"


    xen_note XEN_ELFNOTE_GUEST_OS,       .asciz "Lithos-test"
    xen_note XEN_ELFNOTE_LOADER,         .asciz "generic"
    xen_note XEN_ELFNOTE_XEN_VERSION,    .asciz "xen-3.0"
    xen_note XEN_ELFNOTE_VIRT_BASE,      .quad TEST_VIRT_BASE
    xen_note XEN_ELFNOTE_PADDR_OFFSET,   .quad 0
    xen_note XEN_ELFNOTE_ENTRY,          .quad test_entry
    xen_note XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
    xen_note XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << XENFEAT_dom0)
