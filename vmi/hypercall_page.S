/* SPDX-License-Identifier: MIT */
/*
 * The hypercall page: one page inside .text, announced by
 * XEN_ELFNOTE_HYPERCALL_PAGE and overwritten by the hypervisor with its
 * stubs. The 0xcc fill makes a call before that happens trap loudly.
 */
    .section .text.hypercall_page, "ax", @progbits
    .balign 4096
    .globl hypercall_page
    .type hypercall_page, @object
hypercall_page:
    .fill 4096, 1, 0xcc
    .size hypercall_page, 4096
