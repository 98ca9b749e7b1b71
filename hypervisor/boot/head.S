/* SPDX-License-Identifier: MIT */
/*
 * Multiboot 1 entry: the loader enters in 32-bit protected mode with paging
 * off. Build boot page tables (identity + XEN_VIRT_START, both over the first
 * GiB), enter long mode, jump to the linked address and call start_xenolith().
 */
#include "arch/x86/memlayout.h"

#define MB1_MAGIC        0x1BADB002
#define MB1_BOOT_MAGIC   0x2BADB002
/* Page-aligned modules, memory map, and the a.out kludge load addresses. */
#define MB1_FLAGS        ((1 << 0) | (1 << 1) | (1 << 16))

#define PA(sym)          ((sym) - XEN_VIRT_START)

#define CR0_PE           (1 << 0)
#define CR0_WP           (1 << 16)
#define CR0_PG           (1 << 31)
#define CR4_PAE          (1 << 5)
#define MSR_EFER         0xc0000080
#define EFER_LME         (1 << 8)
#define EFER_NXE         (1 << 11)
#define PTE_P_RW         0x3
#define PTE_PSE          0x80

        .section .text.multiboot, "ax"
        .code32
        .align 4
multiboot_header:
        .long MB1_MAGIC
        .long MB1_FLAGS
        .long -(MB1_MAGIC + MB1_FLAGS)
        .long PA(multiboot_header)      /* header_addr */
        .long PA(__image_start)         /* load_addr */
        .long PA(__load_end)            /* load_end_addr */
        .long PA(__bss_end)             /* bss_end_addr */
        .long PA(start32)               /* entry_addr */

        .globl start32
start32:
        cld
        cli
        cmp     $MB1_BOOT_MAGIC, %eax
        jne     .Lhalt32
        mov     %ebx, %edi                      /* Multiboot info, kept for C */
        mov     $PA(boot_stack_top), %esp

        /* Zero .bss ourselves: not every loader honours bss_end_addr. */
        mov     %edi, %edx
        mov     $PA(__bss_start), %edi
        mov     $PA(__bss_end), %ecx
        sub     %edi, %ecx
        xor     %eax, %eax
        rep stosb
        mov     %edx, %edi

        /* Long mode is mandatory; NX is used when present. */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      .Lhalt32
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     .Lhalt32
        mov     %edx, %esi

        mov     %cr4, %eax
        or      $CR4_PAE, %eax
        mov     %eax, %cr4
        mov     $PA(boot_l4), %eax
        mov     %eax, %cr3
        mov     $MSR_EFER, %ecx
        rdmsr
        or      $EFER_LME, %eax
        bt      $20, %esi
        jnc     1f
        or      $EFER_NXE, %eax
1:      wrmsr
        mov     %cr0, %eax
        or      $(CR0_PG | CR0_WP | CR0_PE), %eax
        mov     %eax, %cr0

        lgdt    PA(boot_gdt_desc)
        ljmp    $0x08, $PA(start64_low)

.Lhalt32:
        hlt
        jmp     .Lhalt32

        .code64
start64_low:
        movabs  $start64, %rax
        jmp     *%rax

        .text
start64:
        mov     $0x10, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        movabs  $boot_stack_top, %rsp
        xor     %ebp, %ebp
        mov     %edi, %edi              /* upper halves are undefined after the mode switch */
        /* start_xenolith(multiboot info physical address) */
        call    start_xenolith
1:      cli
        hlt
        jmp     1b

        .section .rodata.boot, "a"
        .align 8
boot_gdt:
        .quad 0
        .quad 0x00af9a000000ffff        /* 0x08: 64-bit ring-0 code */
        .quad 0x00cf92000000ffff        /* 0x10: ring-0 data */
boot_gdt_end:
boot_gdt_desc:
        .word boot_gdt_end - boot_gdt - 1
        .long PA(boot_gdt)

        /* Boot page tables: one L2 of 2 MiB pages covering the first GiB,
         * reachable from the identity slot and from XEN_VIRT_START. */
        .section .data.boot, "aw"
        .align 4096
boot_l4:
        .quad PA(boot_l3_low) + PTE_P_RW
        .fill 260, 8, 0
        .quad PA(boot_l3_high) + PTE_P_RW       /* slot 261 */
        .fill 250, 8, 0
boot_l3_low:
        .quad PA(boot_l2) + PTE_P_RW
        .fill 511, 8, 0
boot_l3_high:
        .fill 321, 8, 0
        .quad PA(boot_l2) + PTE_P_RW            /* XEN_VIRT_START >> 30 & 511 */
        .fill 190, 8, 0
boot_l2:
        .set i, 0
        .rept 512
        .quad (i << 21) + PTE_PSE + PTE_P_RW
        .set i, i + 1
        .endr

        .section .bss.stack, "aw", @nobits
        .align 4096
        .globl boot_stack_bottom
boot_stack_bottom:
        .skip STACK_SIZE
        .globl boot_stack_top
boot_stack_top:
