// SPDX-License-Identifier: MIT
/*
 * segments: set_segment_base for each selector, read back through
 * segment-relative loads (kernel %gs in kernel mode, user %gs in user
 * mode); update_descriptor and set_gdt with valid descriptors, Xen's DPL
 * fix-ups and the refusals; fpu_taskswitch. Expected values are Xen
 * 4.17's (dom0).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include "tests/guest-lib/layout.h"
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "tests/guest-lib/traps.h"
#include "common/array_size.h"

const char test_title[] = "segments";

#define DESC_DATA3 0x00cff2000000ffffUL /* data, DPL 3 */
#define DESC_CODE0 0x00af9a000000ffffUL /* 64-bit code, DPL 0 */
#define DESC_CODE3 0x00affa000000ffffUL /* the same at DPL 3 */
#define DESC_TSS   0x0000890000000067UL /* 64-bit TSS (type 9), present */
/* 64-bit call gate, DPL 3, to cs:0x1000 (low half; the high half is 0). */
#define GATE(cs)   (0x0000ec0000001000UL | ((uint64_t)(cs) << 16))

static uint64_t fs_val = 0xf5f5, gsk_val = 0x6b6b, gsu_val = 0x7575;
static volatile uint64_t user_gs_seen;

static uint64_t seg_word(int gs)
{
    uint64_t w;

    if (gs)
        asm volatile("movq %%gs:0, %0" : "=r"(w));
    else
        asm volatile("movq %%fs:0, %0" : "=r"(w));
    return w;
}

static void user_read_gs(unsigned long unused)
{
    user_gs_seen = seg_word(1);
}

static void test_bases(void)
{
    check_long("set_segment_base FS", 0, hc_set_segment_base(SEGBASE_FS, (unsigned long)&fs_val));
    check_long("%fs:0", (long)fs_val, (long)seg_word(0));
    check_long("set_segment_base GS_KERNEL", 0,
               hc_set_segment_base(SEGBASE_GS_KERNEL, (unsigned long)&gsk_val));
    check_long("%gs:0 (kernel)", (long)gsk_val, (long)seg_word(1));
    check_long("set_segment_base GS_USER", 0,
               hc_set_segment_base(SEGBASE_GS_USER, (unsigned long)&gsu_val));
    check_long("%gs:0 (kernel) after GS_USER", (long)gsk_val, (long)seg_word(1));
    if (!user_setup()) {
        check_long("user mode run", 0, user_run(user_read_gs, 0));
        check_long("%gs:0 in user mode", (long)gsu_val, (long)user_gs_seen);
        check_long("%gs:0 (kernel) back from user mode", (long)gsk_val, (long)seg_word(1));
    }
    check_long("set_segment_base FS non-canonical", -XEN_EINVAL,
               hc_set_segment_base(SEGBASE_FS, 0x0000800000000000UL));
    check_long("set_segment_base GS_KERNEL non-canonical", -XEN_EINVAL,
               hc_set_segment_base(SEGBASE_GS_KERNEL, 0x0000800000000000UL));
    check_long("set_segment_base GS_USER non-canonical", -XEN_EINVAL,
               hc_set_segment_base(SEGBASE_GS_USER, 0x0000800000000000UL));
    check_long("%fs:0 unchanged by the refusal", (long)fs_val, (long)seg_word(0));
    /* A bad selector is loaded as NUL: Xen never fails this one. */
    check_long("set_segment_base GS_USER_SEL 0", 0, hc_set_segment_base(SEGBASE_GS_USER_SEL, 0));
    check_long("set_segment_base GS_USER_SEL 0xfff8 (bad)", 0,
               hc_set_segment_base(SEGBASE_GS_USER_SEL, 0xfff8));
    check_long("set_segment_base which 4", -XEN_EINVAL, hc_set_segment_base(4, 0));
    check_long("set_segment_base which 0xffffffff", -XEN_EINVAL,
               hc_set_segment_base(0xffffffffu, 0));
    check_long("set_segment_base FS 0", 0, hc_set_segment_base(SEGBASE_FS, 0));
}

static void test_update_descriptor(void)
{
    unsigned long page = scratch_va(0);
    uint64_t ma = (uint64_t)va_to_mfn(page) << 12;
    volatile uint64_t *d = (volatile uint64_t *)page;
    static const struct {
        const char *name;
        uint64_t desc, stored;
        long expect;
    } cases[] = {
        { "data DPL 3", DESC_DATA3, DESC_DATA3, 0 },
        { "code DPL 0 (DPL raised to 3)", DESC_CODE0, DESC_CODE3, 0 },
        { "not present, any bits", 0x123456789abc7ef0UL, 0x123456789abc7ef0UL, 0 },
        { "zero", 0, 0, 0 },
        { "64-bit TSS", DESC_TSS, 0, -XEN_EINVAL },
        /* A gate to the flat kernel CS is kept, with DPL 0 and the old DPL
         * in the selector's RPL, so using it faults for Xen to emulate. */
        { "call gate to FLAT_KERNEL_CS", GATE(FLAT_KERNEL_CS),
          (GATE(FLAT_KERNEL_CS) & ~(3UL << 45)), 0 },
        { "call gate to a hypervisor selector", GATE(0xe008), 0, -XEN_EINVAL },
        /* Only the selector itself: its other RPLs are refused. */
        { "call gate to FLAT_KERNEL_CS with RPL 0", GATE(FLAT_KERNEL_CS & ~3), 0, -XEN_EINVAL },
        { "call gate to FLAT_KERNEL_CS with RPL 2", GATE(FLAT_KERNEL_CS - 1), 0, -XEN_EINVAL },
    };
    char n[96];

    memset((void *)page, 0, TEST_PAGE_SIZE);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        d[1] = 0;
        snprintf(n, sizeof(n), "update_descriptor %s", cases[i].name);
        if (check_long(n, cases[i].expect, hc_update_descriptor(ma + 8, cases[i].desc)) &&
            !cases[i].expect) {
            snprintf(n, sizeof(n), "update_descriptor %s: stored", cases[i].name);
            check_long(n, (long)cases[i].stored, (long)d[1]);
        }
    }
    check_long("update_descriptor misaligned", -XEN_EINVAL,
               hc_update_descriptor(ma + 4, DESC_DATA3));
    check_long("update_descriptor last slot of the page", 0,
               hc_update_descriptor(ma + 4088, DESC_DATA3));
    check_long("update_descriptor in the L4", -XEN_EINVAL,
               hc_update_descriptor((uint64_t)l4_mfn() << 12, DESC_DATA3));
    check_long("update_descriptor beyond RAM", -XEN_EINVAL,
               hc_update_descriptor(0xffffff000000UL, DESC_DATA3));
}

static void test_set_gdt(void)
{
    unsigned long page = scratch_va(1), bad = scratch_va(2);
    unsigned long frames[16] = { va_to_mfn(page) };
    unsigned long badf[1] = { va_to_mfn(bad) };
    uint64_t *d = (uint64_t *)page;
    unsigned long before;
    uint16_t sel = 0;

    memset(d, 0, TEST_PAGE_SIZE);
    d[1] = DESC_DATA3;
    d[2] = DESC_CODE3;
    check_long("set_gdt of a writable-mapped frame", -XEN_EINVAL, hc_set_gdt(frames, 3));
    check_long("make the GDT frame read-only", 0, set_page_ro(page));
    check_long("set_gdt 3 entries", 0, hc_set_gdt(frames, 3));
    before = trap_count;
    asm volatile("mov $0x0b, %%eax\n1: mov %%eax, %%ds\n2: mov %%ds, %0\n" EXTABLE(1b, 2b)
                 : "=r"(sel)::"rax", "memory");
    check_long("load DS from the new GDT: no fault", 0, (long)(trap_count - before));
    check_long("DS after the load", 0x0b, sel);
    asm volatile("xor %%eax, %%eax; mov %%eax, %%ds" ::: "rax");
    check_long("set_gdt 7168 entries, one frame listed (the rest 0)", -XEN_EINVAL,
               hc_set_gdt(frames, 7168));
    check_long("set_gdt 7169 entries (into the hypervisor's)", -XEN_EINVAL,
               hc_set_gdt(frames, 7169));
    check_long("set_gdt frames pointer unmapped", -XEN_EFAULT,
               hc_set_gdt((const unsigned long *)BAD_VA_UNMAPPED, 3));
    memset((void *)bad, 0, TEST_PAGE_SIZE);
    ((uint64_t *)bad)[1] = DESC_TSS;
    check_long("make the bad GDT frame read-only", 0, set_page_ro(bad));
    check_long("set_gdt of a frame holding a TSS descriptor", -XEN_EINVAL, hc_set_gdt(badf, 3));
    check_long("set_gdt 3 entries again", 0, hc_set_gdt(frames, 3));
    check_long("set_gdt 0 entries", 0, hc_set_gdt(frames, 0));
    check_long("GDT frame writable again once released", 0, set_page_rw(page));
}

void test_main(void)
{
    if (scratch_count() < 32 || !shared_info_map() ||
        !check_long("set_trap_table", 0, traps_install()))
        return;
    test_bases();
    test_update_descriptor();
    test_set_gdt();
    check_long("fpu_taskswitch(1)", 0, hc_fpu_taskswitch(1));
    check_long("fpu_taskswitch(0)", 0, hc_fpu_taskswitch(0));
    check_long("fpu_taskswitch(2) (any non-zero sets)", 0, hc_fpu_taskswitch(2));
    {
        unsigned long before = trap_count;

        asm volatile("1: fnop\n2:\n" EXTABLE(1b, 2b)::: "memory");
        check_long("fnop after fpu_taskswitch(2): #NM", X86_NM,
                   trap_count == before ? -1 : (long)last_trap.vector);
    }
}
