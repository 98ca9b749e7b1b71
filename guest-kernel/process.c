// SPDX-License-Identifier: MIT
// User processes: address spaces built through the pv_mmu slots (a root
// for kernel mode that also maps the kernel, and under PV a second, user-
// only root for MMUEXT_NEW_USER_BASEPTR), a minimal ELF64 loader, and the
// system calls. Faults in user mode kill the process, never the kernel.
#include <guest-kernel/process.h>
#include <guest-kernel/kprintf.h>
#include <guest-kernel/layout.h>
#include <guest-kernel/page_alloc.h>
#include <guest-kernel/syscall_nr.h>
#include <guest-kernel/thread.h>
#include <guest-kernel/vm.h>
#include <pvops/pvops.h>
#include <pvops/pte.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <common/array_size.h>

#define MAX_PROCESSES     4
/* Kernel L4 slots every address space shares: 256-271 are the
 * hypervisor's (it fills them itself), the kernel's start at 272. */
#define FIRST_KERNEL_SLOT 272
#define USER_TABLE        (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED)
#define USER_BASE         0x400000UL

struct elf64_ehdr {
    unsigned char ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD 1
#define PF_W    2

static struct process processes[MAX_PROCESSES];
static int next_pid = 1;
static struct process *loaded; /* whose tables are loaded, if any */

/* A zeroed page below the direct map's end, where walks can read it. */
static int zeroed_page(unsigned long *pfn)
{
    int rc = page_alloc_below(vm_direct_map_pfns(), pfn);

    if (rc == 0)
        memset(pfn_to_virt(*pfn), 0, PAGE_SIZE);
    return rc;
}

static int table_entry(unsigned long pfn, uint64_t *e)
{
    return pv_mmu_make_entry(pfn, USER_TABLE, e);
}

/*
 * The tables are filled while still plain memory, then handed to the
 * binding (read-only under PV) and pinned, which validates them whole.
 */
static int uspace_create(struct uspace *as)
{
    uint64_t *kl4, *ul4, *l3, e;
    const uint64_t *root = pfn_to_virt(vm_kernel_root());
    int rc;

    memset(as, 0, sizeof(*as));
    if ((rc = zeroed_page(&as->kernel_l4)) < 0 || (rc = zeroed_page(&as->user_l4)) < 0 ||
        (rc = zeroed_page(&as->l3)) < 0 || (rc = zeroed_page(&as->l2)) < 0)
        return rc;
    kl4 = pfn_to_virt(as->kernel_l4);
    ul4 = pfn_to_virt(as->user_l4);
    l3 = pfn_to_virt(as->l3);
    for (unsigned int i = FIRST_KERNEL_SLOT; i < PT_ENTRIES; i++)
        kl4[i] = root[i];
    if ((rc = table_entry(as->l2, &e)) < 0)
        return rc;
    l3[0] = e;
    if ((rc = table_entry(as->l3, &e)) < 0)
        return rc;
    kl4[0] = e;
    ul4[0] = e;
    pv_mmu_lazy_enter();
    rc = pv_mmu_alloc_pt_page(2, as->l2);
    if (rc == 0)
        rc = pv_mmu_alloc_pt_page(3, as->l3);
    if (rc == 0)
        rc = pv_mmu_alloc_pt_page(4, as->kernel_l4);
    if (rc == 0)
        rc = pv_mmu_alloc_pt_page(4, as->user_l4);
    if (rc == 0)
        rc = pv_mmu_pin_table(4, as->kernel_l4);
    if (rc == 0)
        rc = pv_mmu_pin_table(4, as->user_l4);
    if (pv_mmu_lazy_leave() < 0 && rc == 0)
        rc = -XEN_EINVAL;
    return rc;
}

static int uspace_map(struct uspace *as, unsigned long va, unsigned long pfn, int writable)
{
    unsigned int i2 = pt_index(va, 2);
    uint64_t e;
    int rc;

    if (va >= USER_END)
        return -XEN_EINVAL;
    if (!as->l1[i2]) {
        unsigned long l1;

        if ((rc = zeroed_page(&l1)) < 0)
            return rc;
        rc = pv_mmu_alloc_pt_page(1, l1);
        if (rc == 0)
            rc = table_entry(l1, &e);
        if (rc == 0)
            rc = pv_mmu_set_entry(2, as->l2, i2, e);
        if (rc < 0)
            return rc;
        as->l1[i2] = l1;
    }
    if (((const uint64_t *)pfn_to_virt(as->l1[i2]))[pt_index(va, 1)] & PTE_PRESENT)
        return -XEN_EEXIST;
    rc = pv_mmu_make_entry(
        pfn, PTE_PRESENT | PTE_USER | PTE_ACCESSED | (writable ? PTE_RW | PTE_DIRTY : 0), &e);
    return rc < 0 ? rc : pv_mmu_set_entry(1, as->l1[i2], pt_index(va, 1), e);
}

/* A fresh zeroed frame mapped at va; OUT: its direct-map address. */
static int uspace_new_page(struct uspace *as, unsigned long va, int writable, void **data)
{
    unsigned long pfn;
    int rc = zeroed_page(&pfn);

    if (rc < 0)
        return rc;
    rc = uspace_map(as, va, pfn, writable);
    if (rc < 0) {
        page_free(pfn);
        return rc;
    }
    *data = pfn_to_virt(pfn);
    return 0;
}

/* Leaves the tables first (the kernel's root, no user root), so that
 * unpinning really drops them; then every table is writable again and
 * every frame is freed. */
static void uspace_destroy(struct uspace *as)
{
    unsigned long tables[] = { as->kernel_l4, as->user_l4, as->l3, as->l2 };

    pv_mmu_lazy_enter();
    pv_mmu_new_baseptr(vm_kernel_root());
    pv_mmu_new_user_baseptr(PV_NO_USER_ROOT);
    pv_mmu_unpin_table(as->kernel_l4);
    pv_mmu_unpin_table(as->user_l4);
    pv_mmu_flush_tlb();
    for (unsigned int i = 0; i < ARRAY_SIZE(tables); i++)
        pv_mmu_release_pt_page(tables[i]);
    for (unsigned int i = 0; i < PT_ENTRIES; i++)
        if (as->l1[i])
            pv_mmu_release_pt_page(as->l1[i]);
    pv_mmu_lazy_leave();
    loaded = NULL;
    for (unsigned int i = 0; i < PT_ENTRIES; i++) {
        const uint64_t *l1 = as->l1[i] ? pfn_to_virt(as->l1[i]) : NULL;

        for (unsigned int j = 0; l1 && j < PT_ENTRIES; j++) {
            unsigned long pfn;

            if ((l1[j] & PTE_PRESENT) && pv_mmu_entry_pfn(l1[j], &pfn) == 0)
                page_free(pfn);
        }
        if (as->l1[i])
            page_free(as->l1[i]);
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(tables); i++)
        page_free(tables[i]);
}

void process_activate(struct process *p)
{
    if (loaded == p)
        return;
    pv_mmu_lazy_enter();
    pv_mmu_new_baseptr(p->as.kernel_l4);
    pv_mmu_new_user_baseptr(p->as.user_l4);
    pv_mmu_lazy_leave();
    loaded = p;
}

static int load_segment(struct process *p, const uint8_t *elf, size_t len,
                        const struct elf64_phdr *ph)
{
    unsigned long start = ph->vaddr & ~(PAGE_SIZE - 1UL), end = ph->vaddr + ph->memsz;

    if (ph->filesz > ph->memsz || ph->offset > len || ph->filesz > len - ph->offset ||
        ph->vaddr < USER_BASE || end > USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE ||
        end < ph->vaddr)
        return -XEN_EINVAL;
    for (unsigned long va = start; va < end; va += PAGE_SIZE) {
        uint8_t *data;
        int rc = uspace_new_page(&p->as, va, ph->flags & PF_W, (void **)&data);

        if (rc < 0)
            return rc;
        /* The file bytes that fall in this page; the rest stays zero. */
        for (unsigned long a = va > ph->vaddr ? va : ph->vaddr;
             a < va + PAGE_SIZE && a < ph->vaddr + ph->filesz; a++)
            data[a - va] = elf[ph->offset + (a - ph->vaddr)];
    }
    if (end > p->brk_start)
        p->brk_start = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1UL);
    return 0;
}

static int load_elf(struct process *p, const void *image, size_t len, uint64_t *entry)
{
    const struct elf64_ehdr *eh = image;
    int rc;

    if (len < sizeof(*eh) || memcmp(eh->ident, "\177ELF\2\1", 6) != 0 ||
        eh->phentsize != sizeof(struct elf64_phdr) || eh->phoff > len ||
        (size_t)eh->phnum * sizeof(struct elf64_phdr) > len - eh->phoff)
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < eh->phnum; i++) {
        const struct elf64_phdr *ph = (const void *)((const uint8_t *)image + eh->phoff) +
                                      i * sizeof(*ph);

        if (ph->type != PT_LOAD)
            continue;
        rc = load_segment(p, image, len, ph);
        if (rc < 0)
            return rc;
    }
    p->brk = p->brk_start;
    for (unsigned int i = 1; i <= USER_STACK_PAGES; i++) {
        void *data;

        rc = uspace_new_page(&p->as, USER_STACK_TOP - i * PAGE_SIZE, 1, &data);
        if (rc < 0)
            return rc;
    }
    *entry = eh->entry;
    return 0;
}

/* The process's thread: enter user mode through the trap return path, as
 * if returning from a trap that came from there. */
static void process_main(void *arg)
{
    struct process *p = arg;
    struct pv_trap_frame f = {
        .rip = (uint64_t)p->exit_status, /* the entry, parked by spawn */
        .cs = pv_info.user_cs,
        .rflags = PV_RFLAGS_IF | 0x2,
        .rsp = USER_STACK_TOP,
        .ss = pv_info.user_ss,
    };

    p->exit_status = 0;
    pv_irq_disable();
    process_activate(p);
    pv_trap_return(&f);
}

int process_spawn(const void *elf, size_t len, struct process **out)
{
    struct process *p = NULL;
    uint64_t entry;
    int rc;

    for (unsigned int i = 0; i < MAX_PROCESSES && !p; i++)
        if (!processes[i].pid)
            p = &processes[i];
    if (!p)
        return -XEN_EAGAIN;
    memset(p, 0, sizeof(*p));
    p->pid = next_pid++;
    rc = uspace_create(&p->as);
    if (rc == 0)
        rc = load_elf(p, elf, len, &entry);
    if (rc == 0) {
        p->exit_status = (int)entry;
        rc = thread_create(process_main, p, p, &p->thread);
    }
    if (rc < 0) {
        kprintf("Lithos: spawning pid %d failed: %d\n", p->pid, rc);
        p->pid = 0;
        return rc;
    }
    *out = p;
    return 0;
}

void process_wait(struct process *p, int *status, int *killed)
{
    thread_join(p->thread);
    *status = p->exit_status;
    *killed = p->killed;
    uspace_destroy(&p->as);
    p->pid = 0;
}

static __attribute__((noreturn)) void process_exit(struct process *p, int status)
{
    p->exit_status = status;
    thread_exit();
}

void process_fault(struct pv_trap_frame *f)
{
    struct process *p = thread_current()->proc;
    unsigned long addr = f->vector == 14 ? pv_cpu_fault_addr() : 0;

    kprintf("Lithos: pid %d killed: exception %llu at rip %#llx (address %#lx, error %#llx)\n",
            p ? p->pid : 0, (unsigned long long)f->vector, (unsigned long long)f->rip, addr,
            (unsigned long long)f->error);
    p->killed = 1;
    process_exit(p, -1);
}

/* The user range [va, va + len) lies in the heap or the stack. */
static int user_range_ok(const struct process *p, uint64_t va, uint64_t len)
{
    uint64_t stack = USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE;

    if (va + len < va)
        return 0;
    return (va >= USER_BASE && va + len <= p->brk) || (va >= stack && va + len <= USER_STACK_TOP);
}

static long sys_write(struct process *p, uint64_t fd, uint64_t buf, uint64_t len)
{
    if (fd != 1 && fd != 2)
        return -XEN_EBADF;
    if (!user_range_ok(p, buf, len))
        return -XEN_EFAULT;
    return pv_console_write((const char *)buf, len) < 0 ? -XEN_EIO : (long)len;
}

static long sys_read(struct process *p, uint64_t fd, uint64_t buf, uint64_t len)
{
    if (fd != 0)
        return -XEN_EBADF;
    if (!user_range_ok(p, buf, len))
        return -XEN_EFAULT;
    return pv_console_read((char *)buf, len);
}

static long sys_sbrk(struct process *p, uint64_t incr, uint64_t a2, uint64_t a3)
{
    uint64_t old = p->brk, want = p->brk + (int64_t)incr;
    uint64_t mapped = (old + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1UL);

    if ((int64_t)incr < 0 || want > p->brk_start + USER_HEAP_MAX)
        return -XEN_ENOMEM;
    for (; mapped < want; mapped += PAGE_SIZE) {
        void *data;
        int rc = uspace_new_page(&p->as, mapped, 1, &data);

        if (rc < 0)
            return rc;
    }
    p->brk = want;
    return (long)old;
}

static long sys_exit(struct process *p, uint64_t status, uint64_t a2, uint64_t a3)
{
    process_exit(p, (int)status);
}

static long sys_getpid(struct process *p, uint64_t a1, uint64_t a2, uint64_t a3)
{
    return p->pid;
}

static long sys_yield(struct process *p, uint64_t a1, uint64_t a2, uint64_t a3)
{
    thread_yield();
    return 0;
}

static long sys_sleep(struct process *p, uint64_t ns, uint64_t a2, uint64_t a3)
{
    thread_sleep_ns(ns);
    return 0;
}

static long (*const syscalls[NR_SYSCALLS])(struct process *p, uint64_t a1, uint64_t a2,
                                           uint64_t a3) = {
    [SYS_read] = sys_read,   [SYS_write] = sys_write, [SYS_sbrk] = sys_sbrk,
    [SYS_yield] = sys_yield, [SYS_sleep] = sys_sleep, [SYS_getpid] = sys_getpid,
    [SYS_exit] = sys_exit,
};

void process_syscall(struct pv_trap_frame *f)
{
    struct process *p = thread_current()->proc;
    uint64_t nr = f->rax;

    if (!p) {
        f->rax = (uint64_t)-XEN_EPERM;
        return;
    }
    f->rax = nr < NR_SYSCALLS && syscalls[nr] ? (uint64_t)syscalls[nr](p, f->rdi, f->rsi, f->rdx)
                                              : (uint64_t)-XEN_ENOSYS;
}
