/* SPDX-License-Identifier: MIT */
/*
 * Xen PV64 entry (XEN_ELFNOTE_ENTRY): ring 3, long mode, paging on with the
 * start-of-day mappings, %rsi = start_info, %rsp = top of the boot stack
 * the hypervisor placed after the page tables. Calls
 * xen_start(start_info, entry rsp) on Lithos's own stack; the entry rsp
 * tells xen_start where the start-of-day region ends.
 */
    .section .text.boot, "ax", @progbits
    .code64
    .globl xen_entry
xen_entry:
    cld
    mov     %rsi, %r12
    mov     %rsp, %r13

    /* The domain builder zeroes .bss; Lithos does not rely on it. */
    lea     __bss_start(%rip), %rdi
    lea     __bss_end(%rip), %rcx
    sub     %rdi, %rcx
    xor     %eax, %eax
    rep stosb

    lea     boot_stack_top(%rip), %rsp
    mov     %r12, %rdi
    mov     %r13, %rsi
    call    xen_start
1:  jmp     1b                  /* ring 3: hlt would fault */
