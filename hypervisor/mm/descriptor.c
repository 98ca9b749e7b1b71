// SPDX-License-Identifier: MIT
/* Guest GDT and LDT virtualization (descriptor.h). GDT frames and shadow
 * LDT pages hold a segment-descriptor type reference while in use, so the
 * guest can never map them writable. */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "arch/x86/cpu.h"
#include "mm/descriptor.h"
#include "domain/domain.h"
#include "domain/subsystems.h"
#include "mm/guest_mm.h"
#include "hypercall/hypercall.h"
#include "arch/x86/memlayout.h"
#include "frames/frame_table.h"
#include "arch/x86/paging.h"
#include "arch/x86/pte.h"
#include "arch/x86/uaccess.h"
#include "arch/x86/x86.h"

#define DESC_P         (1u << 15)
#define DESC_S         (1u << 12)
#define DESC_DPL       (3u << 13)
#define DESC_TYPE      (0xfu << 8)
#define TYPE_CALLGATE  (0xcu << 8)
#define DESCS_PER_PAGE 512
#define GDT_FRAMES     FIRST_RESERVED_GDT_PAGE

/* Xen's guest_gate_selector_okay: the flat kernel code selector only as
 * itself, RPL 3 included (0xe030-0xe032 name the same descriptor, which
 * Xen refuses). */
static bool gate_selector_ok(uint16_t sel)
{
    return (sel >> 3) < FIRST_RESERVED_GDT_ENTRY || /* the guest's GDT */
           sel == FLAT_KERNEL_CS ||                 /* Xen's flat code */
           (sel & 4);                               /* the LDT */
}

bool check_descriptor(uint64_t *desc)
{
    uint32_t a = (uint32_t)*desc, b = (uint32_t)(*desc >> 32);
    uint16_t cs;
    unsigned int dpl;

    if (!(b & DESC_P))
        return true; /* a not-present descriptor always faults */
    dpl = (b >> 13) & 3;
    if (dpl < 3)
        dpl = 3; /* the guest kernel runs in ring 3 */
    b = (b & ~DESC_DPL) | (dpl << 13);
    if (!(b & DESC_S))
        goto system;
    goto good; /* code and data: base and limit do not matter */
system:
    if ((b & DESC_TYPE) == 0)
        return true; /* harmless: the upper half of a call gate */
    if ((b & DESC_TYPE) != TYPE_CALLGATE)
        return false;
    cs = a >> 16;
    if (!gate_selector_ok(cs))
        return false;
    /* DPL 0 makes every use fault, so the gate can never be taken directly;
     * the original DPL is kept in the selector's RPL, as Xen keeps it. */
    b &= ~DESC_DPL;
    cs = (uint16_t)((cs & ~3) | dpl);
    a = (a & 0xffff) | ((uint32_t)cs << 16);
    if (b & 0xff)
        return false;
good:
    *desc = a | ((uint64_t)b << 32);
    return true;
}

/* A frame takes the descriptor type; the first taker checks every
 * descriptor in it (later ones find it already checked). */
static int get_desc_page(struct domain *d, uint64_t mfn)
{
    uint64_t *descs;
    int rc = page_get_and_type(mfn, PGT_SEG_DESC, &d->pt);

    if (rc)
        return -XEN_EINVAL;
    if (mfn_to_page(mfn)->type_count > 1)
        return 0;
    descs = map_table(mfn);
    for (unsigned int i = 0; i < DESCS_PER_PAGE; i++)
        if (!check_descriptor(&descs[i])) {
            page_put_and_type(mfn);
            return -XEN_EINVAL;
        }
    return 0;
}

static void map_desc_page(uint64_t va, uint64_t mfn, bool present)
{
    *paging_l1e(va) = present ? pte_make(mfn, PTE_P | PTE_RW | PTE_A | PTE_D | PTE_NX) : 0;
    invlpg(va);
}

void vcpu_load_descriptor_tables(struct vcpu *v)
{
    for (unsigned int i = 0; i < GDT_FRAMES; i++) {
        uint64_t va = GDT_VIRT_START + (uint64_t)i * PAGE_SIZE;

        if (i < v->nr_gdt_frames) {
            map_desc_page(va, v->gdt_frames[i], true);
        } else {
            *paging_l1e(va) = cpu_gdt_zero_pte();
            invlpg(va);
        }
    }
    cpu_load_ldt(v->ldt_ents ? LDT_VIRT_START : 0, v->ldt_ents);
}

void vcpu_destroy_ldt_shadow(struct vcpu *v)
{
    for (unsigned int i = 0; i < LDT_VIRT_PAGES; i++)
        if (v->ldt_shadow[i]) {
            map_desc_page(LDT_VIRT_START + (uint64_t)i * PAGE_SIZE, 0, false);
            page_put_and_type(v->ldt_shadow[i]);
            v->ldt_shadow[i] = 0;
        }
}

static void release_gdt(struct vcpu *v)
{
    for (unsigned int i = 0; i < v->nr_gdt_frames; i++)
        page_put_and_type(v->gdt_frames[i]);
    v->nr_gdt_frames = 0;
    v->gdt_ents = 0;
}

void vcpu_release_descriptor_tables(struct vcpu *v)
{
    vcpu_destroy_ldt_shadow(v);
    release_gdt(v);
}

long do_set_gdt(uint64_t frame_list, unsigned int entries)
{
    struct vcpu *v = current_vcpu();
    unsigned int nr = (entries + DESCS_PER_PAGE - 1) / DESCS_PER_PAGE, i;
    uint64_t frames[GDT_FRAMES];

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return -XEN_EINVAL;
    if (nr && copy_from_guest(frames, frame_list, nr * sizeof(frames[0])))
        return -XEN_EFAULT;
    for (i = 0; i < nr; i++)
        if (get_desc_page(v->domain, frames[i]))
            goto fail;
    release_gdt(v);
    for (i = 0; i < nr; i++)
        v->gdt_frames[i] = frames[i];
    v->nr_gdt_frames = nr;
    v->gdt_ents = entries;
    vcpu_load_descriptor_tables(v);
    flush_tlb_local();
    return 0;
fail:
    while (i-- > 0)
        page_put_and_type(frames[i]);
    return -XEN_EINVAL;
}

/* One descriptor, by machine address: in a descriptor page in use it is
 * checked and written; in any other page of ours that may be written. */
long do_update_descriptor(uint64_t pa, uint64_t desc)
{
    struct domain *d = current_domain();
    uint64_t mfn = pa >> PAGE_SHIFT;
    const struct page_info *pg;
    bool in_use;
    long rc = -XEN_EINVAL;

    if ((pa & 7) || !check_descriptor(&desc))
        return -XEN_EINVAL;
    if (page_get(mfn, d->domain_id))
        return -XEN_EINVAL;
    pg = mfn_to_page(mfn);
    in_use = pg->type == PGT_SEG_DESC && pg->type_count;
    if (!page_get_type(mfn, in_use ? PGT_SEG_DESC : PGT_WRITABLE, &d->pt)) {
        __atomic_store_n(&map_table(mfn)[(pa & (PAGE_SIZE - 1)) / 8], desc, __ATOMIC_RELAXED);
        page_put_type(mfn);
        rc = 0;
    }
    page_put(mfn);
    return rc;
}

bool ldt_fault(struct vcpu *v, struct cpu_user_regs *regs, uint64_t *cr2)
{
    uint64_t off = *cr2 - LDT_VIRT_START, guest_va, l1_mfn, pte;
    unsigned int page = (unsigned int)(off >> PAGE_SHIFT), slot;

    /* Only the CPU's own descriptor reads (supervisor accesses, even from
     * ring 3) fill the shadow, as in Xen's fixup_page_fault: an ordinary
     * access to the area is a fault on a hypervisor address like any other. */
    if (regs->error_code & (PFEC_USER | PFEC_RSVD))
        return false;
    if (*cr2 < LDT_VIRT_START || off >= (uint64_t)v->ldt_ents * 8 || page >= LDT_VIRT_PAGES)
        return false;
    guest_va = v->ldt_base + (off & ~(PAGE_SIZE - 1));
    /* The LDT is read through the kernel's page tables, as Xen reads it. */
    if (!v->ldt_shadow[page] && !guest_walk_l1(v, guest_va, &l1_mfn, &slot)) {
        pte = map_table(l1_mfn)[slot];
        if ((pte & PTE_P) && !get_desc_page(v->domain, pte_mfn(pte))) {
            v->ldt_shadow[page] = pte_mfn(pte);
            map_desc_page(LDT_VIRT_START + (uint64_t)page * PAGE_SIZE, pte_mfn(pte), true);
            return true;
        }
    }
    /* The guest sees the fault on its own LDT address. */
    *cr2 = v->ldt_base + off;
    return false;
}

static void descriptor_teardown(struct domain *d)
{
    vcpu_release_descriptor_tables(&d->vcpu0);
}

const struct subsystem_ops descriptor_subsystem = {
    .name = "descriptor tables",
    .domain_teardown = descriptor_teardown,
};
