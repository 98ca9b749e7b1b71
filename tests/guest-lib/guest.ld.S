/* SPDX-License-Identifier: MIT */
/*
 * Test guest link map: VMA at TEST_VIRT_BASE + 1 MiB, LMA at 1 MiB, so a
 * PV builder places each segment at p_paddr + VIRT_BASE - PADDR_OFFSET =
 * its VMA. The notes get their own PT_NOTE, where loaders look for them.
 */
#include "tests/guest-lib/layout.h"

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(test_entry)

PHDRS
{
    text PT_LOAD FLAGS(5);
    data PT_LOAD FLAGS(6);
    note PT_NOTE FLAGS(4);
}

SECTIONS
{
    . = TEST_VIRT_BASE + TEST_LOAD_PHYS;

    .text : AT(ADDR(.text) - TEST_VIRT_BASE) {
        KEEP(*(.text.boot))
        KEEP(*(.text.hypercall_page))
        *(.text .text.*)
    } :text

    .note : AT(ADDR(.note) - TEST_VIRT_BASE) {
        KEEP(*(.note.Xen))
    } :text :note

    .rodata : AT(ADDR(.rodata) - TEST_VIRT_BASE) {
        *(.rodata .rodata.*)
        . = ALIGN(8);
        __start_ex_table = .;
        KEEP(*(ex_table))
        __stop_ex_table = .;
    } :text

    . = ALIGN(TEST_PAGE_SIZE);
    .data : AT(ADDR(.data) - TEST_VIRT_BASE) {
        *(.data .data.*)
        *(.got .got.plt)
    } :data

    .bss : AT(ADDR(.bss) - TEST_VIRT_BASE) {
        __bss_start = .;
        *(.bss .bss.*)
        *(COMMON)
        . = ALIGN(TEST_PAGE_SIZE);
        __bss_end = .;
    } :data

    _end = .;

    /DISCARD/ : {
        *(.note.GNU-stack) *(.note.gnu.property) *(.comment) *(.eh_frame)
    }
}
