/* SPDX-License-Identifier: MIT */
/*
 * The ELF notes that make one image bootable two ways: Xen PV64 (LOADER,
 * ENTRY, HYPERCALL_PAGE, ...) and PVH (PHYS32_ENTRY, which QEMU -kernel
 * uses). Nothing is marked required in FEATURES: Lithos needs no optional
 * hypervisor feature, and Xenolith does not offer writable_page_tables.
 */
#include <vmi/elfnote.h>
#include <xen/features.h>
#include "guest-kernel/layout.h"


    xen_note XEN_ELFNOTE_GUEST_OS,       .asciz "Lithos"
    xen_note XEN_ELFNOTE_GUEST_VERSION,  .asciz LITHOS_VERSION
    xen_note XEN_ELFNOTE_LOADER,         .asciz "generic"
    xen_note XEN_ELFNOTE_XEN_VERSION,    .asciz "xen-3.0"
    xen_note XEN_ELFNOTE_VIRT_BASE,      .quad KERNEL_VIRT_BASE
    xen_note XEN_ELFNOTE_PADDR_OFFSET,   .quad 0
    xen_note XEN_ELFNOTE_ENTRY,          .quad xen_entry
    xen_note XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
    xen_note XEN_ELFNOTE_FEATURES,       .asciz "pae_pgdir_above_4gb"
    /* Xen refuses to build dom0 from a kernel that does not claim this. */
    xen_note XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << XENFEAT_dom0)
    xen_note XEN_ELFNOTE_PHYS32_ENTRY,   .long pvh_entry - KERNEL_VIRT_BASE
