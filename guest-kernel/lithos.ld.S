/* SPDX-License-Identifier: MIT */
/*
 * Lithos link map: VMA at KERNEL_VIRT_BASE + 1 MiB, LMA at 1 MiB. QEMU's
 * PVH loader uses the LMA; Xen places each segment at p_paddr + VIRT_BASE
 * - PADDR_OFFSET, which is the VMA again. Notes get their own PT_NOTE,
 * which is where both loaders look for them.
 */
#include "guest-kernel/layout.h"

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(xen_entry)

PHDRS
{
    text PT_LOAD FLAGS(5);
    data PT_LOAD FLAGS(6);
    note PT_NOTE FLAGS(4);
}

SECTIONS
{
    . = KERNEL_VIRT_BASE + KERNEL_LOAD_PHYS;
    _start_image = .;

    .text : AT(ADDR(.text) - KERNEL_VIRT_BASE) {
        KEEP(*(.text.boot))
        KEEP(*(.text.hypercall_page))
        *(.text .text.*)
    } :text

    .note : AT(ADDR(.note) - KERNEL_VIRT_BASE) {
        KEEP(*(.note.Xen))
    } :text :note

    .rodata : AT(ADDR(.rodata) - KERNEL_VIRT_BASE) {
        *(.rodata .rodata.*)
    } :text

    . = ALIGN(PAGE_SIZE);
    .data : AT(ADDR(.data) - KERNEL_VIRT_BASE) {
        *(.data .data.*)
        *(.got .got.plt)
    } :data

    .bss : AT(ADDR(.bss) - KERNEL_VIRT_BASE) {
        __bss_start = .;
        *(.bss .bss.*)
        *(COMMON)
        . = ALIGN(PAGE_SIZE);
        __bss_end = .;
    } :data

    _end = .;

    /DISCARD/ : {
        *(.note.GNU-stack) *(.note.gnu.property) *(.comment) *(.eh_frame)
    }
}
