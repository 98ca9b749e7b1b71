/* SPDX-License-Identifier: MIT */
/* raw_copy(dst, src, n): returns the bytes left uncopied. A fault inside
 * rep movsb leaves %rcx at the remaining count, so the fixup returns it. */
        .text
        .globl raw_copy
raw_copy:
        mov     %rdx, %rcx
.Lcopy:
        rep movsb
        xor     %eax, %eax
        ret
.Lcopy_fault:
        mov     %rcx, %rax
        ret

        .section __ex_table, "a"
        .quad   .Lcopy, .Lcopy_fault
        .previous
