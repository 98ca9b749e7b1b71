/* SPDX-License-Identifier: MIT */
/* User entry: the kernel starts it with %rsp at the stack top and nothing
 * else set up; main's return value goes to exit(), which flushes stdio. */
    .section .text.start, "ax", @progbits
    .globl _start
_start:
    xor     %ebp, %ebp
    and     $-16, %rsp
    call    main
    mov     %eax, %edi
    call    exit
1:  jmp     1b
