/* SPDX-License-Identifier: MIT */
/*
 * Native entry (PVH, XEN_ELFNOTE_PHYS32_ENTRY): 32-bit protected mode,
 * paging off, %ebx = physical address of struct hvm_start_info, no stack.
 * Maps the first NATIVE_DIRECT_MAP bytes at 0 and at KERNEL_VIRT_BASE with
 * 2 MiB pages, enters long mode and calls native_start(start_info_paddr).
 * Until paging is on, every symbol is used through PA().
 */
#include "guest-kernel/layout.h"

#define PA(x)       ((x) - KERNEL_VIRT_BASE)

#define PTE_P       0x001
#define PTE_W       0x002
#define PTE_PWT     0x008
#define PTE_PCD     0x010
#define PTE_PS      0x080
#define LAPIC_PHYS  0xfee00000
#define CR0_PE      0x00000001
#define CR0_PG      0x80000000
#define CR4_PAE     0x00000020
#define MSR_EFER    0xc0000080
#define EFER_LME    0x00000100

#define SEL_CODE64  0x08
#define SEL_DATA    0x10

    .section .text.boot, "ax", @progbits
    .code32
    .globl pvh_entry
pvh_entry:
    cli
    cld
    mov     %ebx, %esi

    /* .bss holds the page tables and stack: zero it before using either. */
    mov     $PA(__bss_start), %edi
    mov     $PA(__bss_end), %ecx
    sub     %edi, %ecx
    xor     %eax, %eax
    rep stosb

    /* One page directory of 2 MiB pages, shared by both mappings. */
    mov     $PA(boot_pd), %edi
    mov     $(PTE_P | PTE_W | PTE_PS), %eax
    mov     $(NATIVE_DIRECT_MAP >> 21), %ecx
1:  mov     %eax, (%edi)
    add     $0x200000, %eax
    add     $8, %edi
    loop    1b

    movl    $(PA(boot_pd) + PTE_P + PTE_W), PA(boot_pdpt_low)
    /* 0xffffffff80000000 is L4 slot 511, L3 slot 510. */
    movl    $(PA(boot_pd) + PTE_P + PTE_W), PA(boot_pdpt_high) + 510 * 8
    /* The LAPIC's 2 MiB, uncached, at NATIVE_LAPIC_VIRT (L3 slot 511). */
    movl    $(PA(boot_pd_mmio) + PTE_P + PTE_W), PA(boot_pdpt_high) + 511 * 8
    movl    $(LAPIC_PHYS + PTE_P + PTE_W + PTE_PWT + PTE_PCD + PTE_PS), \
            PA(boot_pd_mmio) + ((NATIVE_LAPIC_VIRT >> 21) & 511) * 8
    movl    $(PA(boot_pdpt_low) + PTE_P + PTE_W), PA(boot_pml4)
    movl    $(PA(boot_pdpt_high) + PTE_P + PTE_W), PA(boot_pml4) + 511 * 8

    mov     %cr4, %eax
    or      $CR4_PAE, %eax
    mov     %eax, %cr4
    mov     $PA(boot_pml4), %eax
    mov     %eax, %cr3
    mov     $MSR_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    wrmsr
    mov     %cr0, %eax
    or      $(CR0_PG | CR0_PE), %eax
    mov     %eax, %cr0

    lgdt    PA(boot_gdt_desc)
    ljmp    $SEL_CODE64, $PA(2f)

    .code64
2:  movabs  $3f, %rax           /* leave the identity map for the kernel VMA */
    jmp     *%rax
3:  mov     $SEL_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs
    lea     boot_stack_top(%rip), %rsp
    mov     %esi, %edi
    call    native_start
4:  cli
    hlt
    jmp     4b

    .section .rodata.boot_gdt, "a", @progbits
    .balign 8
boot_gdt:
    .quad   0
    .quad   0x00af9a000000ffff  /* SEL_CODE64: long mode, DPL 0 */
    .quad   0x00cf92000000ffff  /* SEL_DATA: flat, writable */
boot_gdt_end:
boot_gdt_desc:
    .word   boot_gdt_end - boot_gdt - 1
    .long   PA(boot_gdt)

    .section .bss.boot_pt, "aw", @nobits
    .balign PAGE_SIZE
    .globl boot_pml4            /* the root vm_init() takes over */
boot_pml4:
    .skip   PAGE_SIZE
boot_pdpt_low:
    .skip   PAGE_SIZE
boot_pdpt_high:
    .skip   PAGE_SIZE
boot_pd:
    .skip   PAGE_SIZE
boot_pd_mmio:
    .skip   PAGE_SIZE
