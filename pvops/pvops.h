/* SPDX-License-Identifier: MIT */
/*
 * The paravirt-ops table: every privileged operation Lithos performs goes
 * through one slot here, so one kernel image runs on hardware and on a Xen
 * PV64 hypervisor. Boot fills it from one binding (pvops/native or
 * pvops/xen); guest code calls only the pv_*() wrappers at the bottom.
 */
#ifndef PVOPS_PVOPS_H
#define PVOPS_PVOPS_H

#include <stddef.h>
#include <stdint.h>

/*
 * What every exception, interrupt, event upcall and system call leaves on
 * the kernel stack, lowest address first: the GPRs pvops/trap_entry.S
 * pushes, then vector and error (the binding's stub pushes them, error 0
 * where the CPU or hypervisor gives none), then the iretq frame. Under PV
 * a CS with RPL 0 means the kernel was interrupted, RPL 3 user mode.
 */
struct pv_trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

/* Vectors beyond the exceptions, as the kernel's handler sees them. */
#define PV_VECTOR_TIMER   0xf0  /* the one-shot timer of time.timer_set */
#define PV_VECTOR_SYSCALL 0x100 /* SYSCALL from user mode: rax = number */

#define PV_RFLAGS_IF 0x200

static inline int pv_trap_from_user(const struct pv_trap_frame *f)
{
    return (f->cs & 3) == 3;
}

typedef void (*pv_trap_handler_fn)(struct pv_trap_frame *f);

struct pv_cpu_ops {
    /* Called with interrupts disabled: enables them and waits for the next
     * interrupt or event in one atomic step (sti; hlt / SCHEDOP_block). */
    void (*idle)(void);
    /* Where a trap or system call from user mode puts its frame. */
    int (*set_kernel_stack)(unsigned long top);
    /* The address of the last page fault (CR2). */
    unsigned long (*fault_addr)(void);
};

struct pv_irq_ops {
    /*
     * Installs the exception, interrupt and system-call entries; every one
     * ends in handler(frame). Returns 0, or the first refused hypercall's
     * errno with its name in pv_info.missing (-XEN_ENOSYS on a hypervisor
     * without trap virtualization); interrupts stay disabled either way.
     */
    int (*init)(pv_trap_handler_fn handler);
    void (*enable)(void);
    void (*disable)(void);
    unsigned long (*save)(void); /* returns an opaque "were enabled" */
    void (*restore)(unsigned long flags);
};

/*
 * Page tables. Levels count as in pvops/pte.h (1 = PTE .. 4 = root); a
 * table is named by its pfn, and each binding knows where the kernel maps
 * pfns (given at install), so natively it writes memory and under PV it
 * turns the pfn into the machine address Xen wants. Slots return 0 or a
 * negative Xen errno; the PV binding crashes the domain on a refused
 * hypercall, since that is always a kernel bug.
 *
 * Lazy mode batches: between lazy_enter and lazy_leave, updates may be
 * queued and only applied at lazy_leave (or when the queue fills), so
 * reads of the tables see the state before the batch. Enter/leave nest.
 */
struct pv_mmu_ops {
    /* OUT: *entry, pointing at frame pfn with flags (PTE_*), as the
     * binding encodes it: PV adds PTE_USER, its kernel being in ring 3. */
    int (*make_entry)(unsigned long pfn, uint64_t flags, uint64_t *entry);
    /* OUT: *pfn, the frame a present entry points at. */
    int (*entry_pfn)(uint64_t entry, unsigned long *pfn);
    int (*set_entry)(unsigned int level, unsigned long table_pfn, unsigned int index,
                     uint64_t entry);
    int (*new_baseptr)(unsigned long l4_pfn);
    /* The root user mode runs on (PV: MMUEXT_NEW_USER_BASEPTR; native: the
     * one root serves both, so nothing); PV_NO_USER_ROOT drops it. */
    int (*new_user_baseptr)(unsigned long l4_pfn);
    int (*flush_tlb)(void);
    int (*invlpg)(unsigned long va);
    int (*pin_table)(unsigned int level, unsigned long pfn);
    int (*unpin_table)(unsigned long pfn);
    /* Before a zeroed page is linked in as a table: PV maps it read-only. */
    int (*alloc_pt_page)(unsigned int level, unsigned long pfn);
    /* After a table is unlinked and the TLB flushed: writable again. */
    int (*release_pt_page)(unsigned long pfn);
    void (*lazy_enter)(void);
    int (*lazy_leave)(void);
};

struct pv_time_ops {
    uint64_t (*now_ns)(void); /* monotonic, since boot */
    /* OUT: *unix_ns, the wall clock now (RTC / shared_info wc_*). */
    int (*wallclock)(uint64_t *unix_ns);
    /* Calibrates and connects the one-shot timer (after irq.init); 0 or
     * errno, naming a refused hypercall in pv_info.missing. */
    int (*timer_init)(void);
    /* One PV_VECTOR_TIMER trap once now_ns() >= deadline (replacing any
     * earlier one); a deadline already past fires at once. */
    int (*timer_set)(uint64_t deadline_ns);
};

struct pv_console_ops {
    int (*write)(const char *buf, size_t len);
    int (*read)(char *buf, size_t len); /* bytes read without waiting, or errno */
};

struct pv_block_ops {
    int (*read)(uint64_t sector, void *buf, unsigned int count);
    int (*write)(uint64_t sector, const void *buf, unsigned int count);
};

struct pv_net_ops {
    int (*send)(const void *frame, size_t len);
    int (*recv)(void *frame, size_t len); /* frame length, 0 or errno */
};

/* The split devices found under a hypervisor (xenbus: today further
 * consoles), after the self-check, in thread context; natively none. */
struct pv_devices_ops {
    /* Connects every device found, a line each: how many connected. */
    int (*start)(void);
    /* Takes every connected device through the close handshake. */
    void (*stop)(void);
    /* Console number n (1..) beside pv_ops.console; a negative Xen errno
     * when there is none. */
    int (*console_write)(unsigned int n, const char *buf, size_t len);
};

/* The hypervisor's store (xenstore), as the shell's xs command uses it. */
typedef void pv_store_watch_fn(const char *path, const char *token);
struct pv_store_ops {
    int (*available)(void);
    /* The value NUL-terminated: its length, or a negative Xen errno. */
    int (*read)(const char *path, char *buf, size_t len);
    int (*write)(const char *path, const char *value);
    /* NUL-separated children: how many, or a negative Xen errno. */
    int (*directory)(const char *path, char *buf, size_t len);
    int (*watch)(const char *path, const char *token, pv_store_watch_fn *fn);
    /* Runs the watch callbacks of events that arrived (thread context). */
    void (*poll)(void);
    /* fn is called (interrupts disabled) when a store event arrives. */
    void (*set_event_hook)(void (*fn)(void));
    /* What the last failed request's error string was. */
    const char *(*last_error)(void);
};

struct pv_power_ops {
    void (*shutdown)(unsigned int reason); /* SHUTDOWN_* from xen/sched.h */
};

/* Every member is a function pointer: pvops.c checks them as an array. */
struct pv_ops {
    struct pv_cpu_ops cpu;
    struct pv_irq_ops irq;
    struct pv_mmu_ops mmu;
    struct pv_time_ops time;
    struct pv_console_ops console;
    struct pv_block_ops block;
    struct pv_net_ops net;
    struct pv_devices_ops devices;
    struct pv_store_ops store;
    struct pv_power_ops power;
};

/*
 * What a binding's own drivers (the Xen frontends) need from the kernel
 * above it, which pvops/ never includes: threads that wait and are woken,
 * pages, and its log. The kernel hands it over once, before
 * pv_devices_start().
 */
struct pv_kernel_env {
    void *(*thread_current)(void);
    /* Sleeps up to ns or until thread_wake; a wake that came first is not
     * lost. */
    void (*thread_wait_ns)(uint64_t ns);
    void (*thread_wake)(void *thread);
    void (*thread_sleep_ns)(uint64_t ns);
    /* A free page of the kernel's (its pfn), or a negative errno. */
    int (*page_alloc)(unsigned long *pfn);
    void (*page_free)(unsigned long pfn);
    __attribute__((format(printf, 1, 2))) void (*log)(const char *fmt, ...);
};

extern const struct pv_kernel_env *pv_kernel;
void pv_set_kernel_env(const struct pv_kernel_env *env);

/* What the kernel runs on, for banners: "native", "Xen 4.17.1", ... */
struct pv_info {
    char name[48];
    /* Selectors of user mode, for frames that enter it. */
    uint16_t user_cs, user_ss;
    /* The hypercall that made irq.init or time.timer_init fail, e.g.
     * "set_trap_table -ENOSYS"; "" when none did. */
    char missing[48];
};

#define PV_NO_USER_ROOT (~0UL)

/* A p2m entry with no machine frame behind it (PV; the p2m is
 * start_info->mfn_list). */
#define INVALID_MFN (~0ULL)

extern struct pv_ops pv_ops;
extern struct pv_info pv_info;

/* Returns 0, or -XEN_EINVAL after naming every NULL slot on the console. */
int pv_ops_check(void);

/* The kernel's hook for "console input may have arrived": the bindings
 * call pv_console_input_arrived() from their input interrupt or event
 * (interrupts disabled), so a reader can sleep instead of polling. */
void pv_console_set_input_hook(void (*fn)(void));
void pv_console_input_arrived(void);

/* Restores every register from f and returns to where it interrupted
 * (pvops/trap_entry.S), through iretq or HYPERVISOR_iret. */
__attribute__((noreturn)) void pv_trap_return(struct pv_trap_frame *f);

static inline void pv_cpu_idle(void)
{
    pv_ops.cpu.idle();
}
static inline int pv_cpu_set_kernel_stack(unsigned long top)
{
    return pv_ops.cpu.set_kernel_stack(top);
}
static inline unsigned long pv_cpu_fault_addr(void)
{
    return pv_ops.cpu.fault_addr();
}
static inline int pv_irq_init(pv_trap_handler_fn handler)
{
    return pv_ops.irq.init(handler);
}
static inline void pv_irq_enable(void)
{
    pv_ops.irq.enable();
}
static inline void pv_irq_disable(void)
{
    pv_ops.irq.disable();
}
static inline unsigned long pv_irq_save(void)
{
    return pv_ops.irq.save();
}
static inline void pv_irq_restore(unsigned long f)
{
    pv_ops.irq.restore(f);
}

static inline int pv_mmu_make_entry(unsigned long pfn, uint64_t flags, uint64_t *entry)
{
    return pv_ops.mmu.make_entry(pfn, flags, entry);
}
static inline int pv_mmu_entry_pfn(uint64_t entry, unsigned long *pfn)
{
    return pv_ops.mmu.entry_pfn(entry, pfn);
}
static inline int pv_mmu_set_entry(unsigned int level, unsigned long table_pfn, unsigned int index,
                                   uint64_t entry)
{
    return pv_ops.mmu.set_entry(level, table_pfn, index, entry);
}
static inline int pv_mmu_new_baseptr(unsigned long l4_pfn)
{
    return pv_ops.mmu.new_baseptr(l4_pfn);
}
static inline int pv_mmu_new_user_baseptr(unsigned long l4_pfn)
{
    return pv_ops.mmu.new_user_baseptr(l4_pfn);
}
static inline int pv_mmu_flush_tlb(void)
{
    return pv_ops.mmu.flush_tlb();
}
static inline int pv_mmu_invlpg(unsigned long va)
{
    return pv_ops.mmu.invlpg(va);
}
static inline int pv_mmu_pin_table(unsigned int level, unsigned long pfn)
{
    return pv_ops.mmu.pin_table(level, pfn);
}
static inline int pv_mmu_unpin_table(unsigned long pfn)
{
    return pv_ops.mmu.unpin_table(pfn);
}
static inline int pv_mmu_alloc_pt_page(unsigned int level, unsigned long pfn)
{
    return pv_ops.mmu.alloc_pt_page(level, pfn);
}
static inline int pv_mmu_release_pt_page(unsigned long pfn)
{
    return pv_ops.mmu.release_pt_page(pfn);
}
static inline void pv_mmu_lazy_enter(void)
{
    pv_ops.mmu.lazy_enter();
}
static inline int pv_mmu_lazy_leave(void)
{
    return pv_ops.mmu.lazy_leave();
}

static inline uint64_t pv_time_now_ns(void)
{
    return pv_ops.time.now_ns();
}
static inline int pv_time_wallclock(uint64_t *unix_ns)
{
    return pv_ops.time.wallclock(unix_ns);
}
static inline int pv_time_timer_init(void)
{
    return pv_ops.time.timer_init();
}
static inline int pv_time_timer_set(uint64_t deadline_ns)
{
    return pv_ops.time.timer_set(deadline_ns);
}

static inline int pv_console_write(const char *buf, size_t len)
{
    return pv_ops.console.write(buf, len);
}
static inline int pv_console_read(char *buf, size_t len)
{
    return pv_ops.console.read(buf, len);
}

static inline int pv_block_read(uint64_t sector, void *buf, unsigned int count)
{
    return pv_ops.block.read(sector, buf, count);
}
static inline int pv_block_write(uint64_t sector, const void *buf, unsigned int count)
{
    return pv_ops.block.write(sector, buf, count);
}

static inline int pv_net_send(const void *frame, size_t len)
{
    return pv_ops.net.send(frame, len);
}
static inline int pv_net_recv(void *frame, size_t len)
{
    return pv_ops.net.recv(frame, len);
}

/* A binding's shutdown does not return; spinning covers one that fails. */
static inline __attribute__((noreturn)) void pv_power_shutdown(unsigned int reason)
{
    pv_ops.power.shutdown(reason);
    for (;;)
        ;
}

static inline int pv_devices_start(void)
{
    return pv_ops.devices.start();
}
static inline void pv_devices_stop(void)
{
    pv_ops.devices.stop();
}
static inline int pv_devices_console_write(unsigned int n, const char *buf, size_t len)
{
    return pv_ops.devices.console_write(n, buf, len);
}

static inline int pv_store_available(void)
{
    return pv_ops.store.available();
}
static inline int pv_store_read(const char *path, char *buf, size_t len)
{
    return pv_ops.store.read(path, buf, len);
}
static inline int pv_store_write(const char *path, const char *value)
{
    return pv_ops.store.write(path, value);
}
static inline int pv_store_directory(const char *path, char *buf, size_t len)
{
    return pv_ops.store.directory(path, buf, len);
}
static inline int pv_store_watch(const char *path, const char *token, pv_store_watch_fn *fn)
{
    return pv_ops.store.watch(path, token, fn);
}
static inline void pv_store_poll(void)
{
    pv_ops.store.poll();
}
static inline void pv_store_set_event_hook(void (*fn)(void))
{
    pv_ops.store.set_event_hook(fn);
}
static inline const char *pv_store_last_error(void)
{
    return pv_ops.store.last_error();
}

#endif
