// SPDX-License-Identifier: MIT
// The pv_ops table as it is before any binding: every slot holds a default
// that names itself and stops, so a missing implementation is reported by
// name instead of a jump through NULL. Also the install-time NULL check.
#include <pvops/pvops.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <common/array_size.h>

struct pv_info pv_info = { .name = "unknown" };

static int default_console_write(const char *buf, size_t len);
static void default_power_shutdown(unsigned int reason);

static void say(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    if (pv_ops.console.write != default_console_write)
        pv_ops.console.write(s, n);
}

/* Crash rather than power off, so the test harness sees a failure. */
static __attribute__((noreturn)) void unimplemented(const char *slot)
{
    say("pvops: unimplemented slot ");
    say(slot);
    say("\n");
    if (pv_ops.power.shutdown != default_power_shutdown)
        pv_ops.power.shutdown(SHUTDOWN_crash);
    for (;;)
        ;
}

static void default_cpu_idle(void)
{
    unimplemented("cpu.idle");
}
static int default_cpu_set_kernel_stack(unsigned long t)
{
    unimplemented("cpu.set_kernel_stack");
}
static unsigned long default_cpu_fault_addr(void)
{
    unimplemented("cpu.fault_addr");
}
static int default_irq_init(pv_trap_handler_fn h)
{
    unimplemented("irq.init");
}
static void default_irq_enable(void)
{
    unimplemented("irq.enable");
}
static void default_irq_disable(void)
{
    unimplemented("irq.disable");
}
static unsigned long default_irq_save(void)
{
    unimplemented("irq.save");
}
static void default_irq_restore(unsigned long f)
{
    unimplemented("irq.restore");
}
static int default_mmu_make_entry(unsigned long p, uint64_t f, uint64_t *e)
{
    unimplemented("mmu.make_entry");
}
static int default_mmu_entry_pfn(uint64_t e, unsigned long *p)
{
    unimplemented("mmu.entry_pfn");
}
static int default_mmu_set_entry(unsigned int l, unsigned long t, unsigned int i, uint64_t e)
{
    unimplemented("mmu.set_entry");
}
static int default_mmu_new_baseptr(unsigned long p)
{
    unimplemented("mmu.new_baseptr");
}
static int default_mmu_new_user_baseptr(unsigned long p)
{
    unimplemented("mmu.new_user_baseptr");
}
static int default_mmu_flush_tlb(void)
{
    unimplemented("mmu.flush_tlb");
}
static int default_mmu_invlpg(unsigned long va)
{
    unimplemented("mmu.invlpg");
}
static int default_mmu_pin_table(unsigned int l, unsigned long p)
{
    unimplemented("mmu.pin_table");
}
static int default_mmu_unpin_table(unsigned long p)
{
    unimplemented("mmu.unpin_table");
}
static int default_mmu_alloc_pt_page(unsigned int l, unsigned long p)
{
    unimplemented("mmu.alloc_pt_page");
}
static int default_mmu_release_pt_page(unsigned long p)
{
    unimplemented("mmu.release_pt_page");
}
static void default_mmu_lazy_enter(void)
{
    unimplemented("mmu.lazy_enter");
}
static int default_mmu_lazy_leave(void)
{
    unimplemented("mmu.lazy_leave");
}
static uint64_t default_time_now_ns(void)
{
    unimplemented("time.now_ns");
}
static int default_time_wallclock(uint64_t *ns)
{
    unimplemented("time.wallclock");
}
static int default_time_timer_init(void)
{
    unimplemented("time.timer_init");
}
static int default_time_timer_set(uint64_t d)
{
    unimplemented("time.timer_set");
}
static int default_console_write(const char *b, size_t n)
{
    unimplemented("console.write");
}
static int default_console_read(char *b, size_t n)
{
    unimplemented("console.read");
}
static int default_block_read(uint64_t s, void *b, unsigned int n)
{
    unimplemented("block.read");
}
static int default_block_write(uint64_t s, const void *b, unsigned int n)
{
    unimplemented("block.write");
}
static int default_net_send(const void *f, size_t n)
{
    unimplemented("net.send");
}
static int default_net_recv(void *f, size_t n)
{
    unimplemented("net.recv");
}
static void default_power_shutdown(unsigned int r)
{
    unimplemented("power.shutdown");
}

/* A binding without split devices or a store (native) keeps these: they
 * are not missing, they answer that there are none. */
static int no_devices_found(void)
{
    return 0;
}
static void no_devices(void)
{
}
static int no_console_device(unsigned int n, const char *b, size_t len)
{
    return -XEN_ENODEV;
}
static int no_store(void)
{
    return 0;
}
static int no_store_read(const char *p, char *b, size_t len)
{
    return -XEN_ENODEV;
}
static int no_store_write(const char *p, const char *v)
{
    return -XEN_ENODEV;
}
static int no_store_watch(const char *p, const char *t, pv_store_watch_fn *fn)
{
    return -XEN_ENODEV;
}
static void no_store_events(void (*fn)(void))
{
}
static const char *no_store_error(void)
{
    return "no store";
}

const struct pv_kernel_env *pv_kernel;

void pv_set_kernel_env(const struct pv_kernel_env *env)
{
    pv_kernel = env;
}

struct pv_ops pv_ops = {
    .cpu = {
        .idle = default_cpu_idle,
        .set_kernel_stack = default_cpu_set_kernel_stack,
        .fault_addr = default_cpu_fault_addr,
    },
    .irq = {
        .init = default_irq_init,
        .enable = default_irq_enable,
        .disable = default_irq_disable,
        .save = default_irq_save,
        .restore = default_irq_restore,
    },
    .mmu = {
        .make_entry = default_mmu_make_entry,
        .entry_pfn = default_mmu_entry_pfn,
        .set_entry = default_mmu_set_entry,
        .new_baseptr = default_mmu_new_baseptr,
        .new_user_baseptr = default_mmu_new_user_baseptr,
        .flush_tlb = default_mmu_flush_tlb,
        .invlpg = default_mmu_invlpg,
        .pin_table = default_mmu_pin_table,
        .unpin_table = default_mmu_unpin_table,
        .alloc_pt_page = default_mmu_alloc_pt_page,
        .release_pt_page = default_mmu_release_pt_page,
        .lazy_enter = default_mmu_lazy_enter,
        .lazy_leave = default_mmu_lazy_leave,
    },
    .time = {
        .now_ns = default_time_now_ns,
        .wallclock = default_time_wallclock,
        .timer_init = default_time_timer_init,
        .timer_set = default_time_timer_set,
    },
    .console = {
        .write = default_console_write,
        .read = default_console_read,
    },
    .block = {
        .read = default_block_read,
        .write = default_block_write,
    },
    .net = {
        .send = default_net_send,
        .recv = default_net_recv,
    },
    .devices = {
        .start = no_devices_found,
        .stop = no_devices,
        .console_write = no_console_device,
    },
    .store = {
        .available = no_store,
        .read = no_store_read,
        .write = no_store_write,
        .directory = no_store_read,
        .watch = no_store_watch,
        .poll = no_devices,
        .set_event_hook = no_store_events,
        .last_error = no_store_error,
    },
    .power = {
        .shutdown = default_power_shutdown,
    },
};

#define SLOT(group, name)                                     \
    {                                                         \
#group "." #name, offsetof(struct pv_ops, group.name) \
    }

static const struct {
    const char *name;
    size_t offset;
} slots[] = {
    SLOT(cpu, idle),
    SLOT(cpu, set_kernel_stack),
    SLOT(cpu, fault_addr),
    SLOT(irq, init),
    SLOT(irq, enable),
    SLOT(irq, disable),
    SLOT(irq, save),
    SLOT(irq, restore),
    SLOT(mmu, make_entry),
    SLOT(mmu, entry_pfn),
    SLOT(mmu, set_entry),
    SLOT(mmu, new_baseptr),
    SLOT(mmu, new_user_baseptr),
    SLOT(mmu, flush_tlb),
    SLOT(mmu, invlpg),
    SLOT(mmu, pin_table),
    SLOT(mmu, unpin_table),
    SLOT(mmu, alloc_pt_page),
    SLOT(mmu, release_pt_page),
    SLOT(mmu, lazy_enter),
    SLOT(mmu, lazy_leave),
    SLOT(time, now_ns),
    SLOT(time, wallclock),
    SLOT(time, timer_init),
    SLOT(time, timer_set),
    SLOT(console, write),
    SLOT(console, read),
    SLOT(block, read),
    SLOT(block, write),
    SLOT(net, send),
    SLOT(net, recv),
    SLOT(devices, start),
    SLOT(devices, stop),
    SLOT(devices, console_write),
    SLOT(store, available),
    SLOT(store, read),
    SLOT(store, write),
    SLOT(store, directory),
    SLOT(store, watch),
    SLOT(store, poll),
    SLOT(store, set_event_hook),
    SLOT(store, last_error),
    SLOT(power, shutdown),
};

/* A slot added to struct pv_ops but not to slots[] would escape the check. */
_Static_assert(sizeof(struct pv_ops) == ARRAY_SIZE(slots) * sizeof(void (*)(void)),
               "slots[] must list every member of struct pv_ops");

int pv_ops_check(void)
{
    int rc = 0;

    for (size_t i = 0; i < ARRAY_SIZE(slots); i++) {
        void (*const *fn)(void) = (void *)((char *)&pv_ops + slots[i].offset);

        if (!*fn) {
            say("pvops: NULL slot ");
            say(slots[i].name);
            say("\n");
            rc = -XEN_EINVAL;
        }
    }
    return rc;
}

static void (*console_input_hook)(void);

void pv_console_set_input_hook(void (*fn)(void))
{
    console_input_hook = fn;
}

void pv_console_input_arrived(void)
{
    if (console_input_hook)
        console_input_hook();
}
