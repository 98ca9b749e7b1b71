/* SPDX-License-Identifier: MIT */
/* xen_note: the assembler macro that emits one Xen ELF note
 * (xen/elfnote.h) into .note.Xen, for every PV64 guest image. */
#ifndef VMI_ELFNOTE_H
#define VMI_ELFNOTE_H

#ifdef __ASSEMBLY__
#include <xen/elfnote.h>

/* Assembler, not C: left as written. */
/* clang-format off */
.macro xen_note type:req, desc:vararg
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 4                 /* namesz, "Xen\0" */
    .long 2f - 1f           /* descsz */
    .long \type
    .asciz "Xen"
    .balign 4
1:  \desc
2:  .balign 4
    .popsection
.endm
/* clang-format on */
#endif

#endif
