/* SPDX-License-Identifier: MIT */
/*
 * hcall-fuzz: the pieces shared by the loop (main.c), the argument pools
 * (pools.c) and the per-hypercall generators (gen.c). Everything the
 * fuzzer needs to keep running lives in its safe region (image, stack,
 * exchange pages); random calls may only reach the playground.
 */
#ifndef HCALL_FUZZ_H
#define HCALL_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

#define PAGE 4096UL

/* --- The PRNG: xorshift64*, seeded from the command line ----------------- */
uint64_t rnd(void);
static inline uint64_t rnd_below(uint64_t n)
{
    return n ? rnd() % n : 0;
}
static inline bool chance(unsigned int percent)
{
    return rnd_below(100) < percent;
}
#define PICK(arr) ((arr)[rnd_below(sizeof(arr) / sizeof((arr)[0]))])

/* --- Memory the fuzzer owns ---------------------------------------------- */
#define NPLAY      32                   /* playground pages in the image (page NPLAY-1 is a hole) */
#define NFREE      48                   /* own frames beyond the start-of-day mapping */
#define NXP        8                    /* exchange pages: the generator builds inputs here */
#define TREE_VA    0x0000008000000000UL /* L4 slot 1: the playground tree */
#define TREE_PAGES 1024                 /* two L1s' worth of tree addresses */

/* Exchange pages, each followed by an unmapped guard page: inputs are
 * built here, so a huge count reads the rest of the page, then faults. */
extern uint8_t *const xp_page[NXP];
extern uint8_t *const xp_ro[NXP];  /* the same frames, read-only */
extern uint8_t *const out_page[2]; /* output-only buffers, guarded */
extern uint8_t *const junk_page;   /* printable console input, guarded */
extern uint8_t *const mc_page;     /* a multicall's entries, guarded */
extern uint8_t (*const playground)[PAGE];

/* Frame roles. Which roles each use may draw from is in pools.c. */
enum frame_role {
    R_PLAY,    /* playground pages: mapped writable at the start, fair game */
    R_FREE,    /* own frames outside the start-of-day mapping, zeroed */
    R_TREE,    /* the playground tree's tables (L3, L2, two L1s) */
    R_ALIAS,   /* a copy of the boot L4, loadable with NEW_BASEPTR */
    R_XP,      /* exchange pages (their mappings are safe, contents not) */
    R_SHARED,  /* shared_info, the first grant-table frame */
    R_SAFE,    /* code, data, stack, start_info, p2m: read-only use only */
    R_BOOTPT,  /* the boot page tables */
    R_FOREIGN, /* RAM that is not ours */
    R_HUGE,    /* beyond RAM, beyond the address width, absurd */
    R_M2P,     /* a frame of the hypervisor's M2P table */
    NR_ROLES
};

enum frame_use {
    U_PTE_RW,  /* the frame of a writable L1 entry */
    U_PTE_RO,  /* the frame of a read-only L1 entry */
    U_TABLE,   /* the frame an L2-L4 entry points at */
    U_PIN,     /* PIN_Ln, UNPIN, NEW_USER_BASEPTR */
    U_BASEPTR, /* NEW_BASEPTR: only frames that cannot load an empty root */
    U_WRITE,   /* written by the hypervisor as plain memory: copy and
                     * clear destinations, update_descriptor, mmu_update slots
                     * outside the tree, decrease_reservation, writable grants */
    U_READ,    /* read by the hypervisor: copy sources, read-only grants */
    U_GDT,     /* set_gdt frames */
    U_M2P,     /* MMU_MACHPHYS_UPDATE */
    U_L4,      /* PIN_L4_TABLE and NEW_USER_BASEPTR in the compared prefix */
    NR_USES
};

struct frame {
    uint64_t mfn;
    enum frame_role role;
    const char *name;
    unsigned int index;
};

/* The first HUGE_CMP frames of R_HUGE are beyond RAM and I/O memory on
 * both hypervisors; the others only beyond the compared prefix. */
#define HUGE_CMP 4

/* A frame for that use, drawn from the roles it allows. */
const struct frame *pick_frame(enum frame_use use);
/* What a frame may hold, tracked for the compared prefix: machine frame
 * numbers of pool frames (page-table entries the generator wrote: the
 * same frames by role on both hypervisors, but different numbers), and
 * other bytes (code, descriptors, filler: the same numbers on both, but
 * naming different frames if read as entries). */
#define T_MFN  1u
#define T_JUNK 2u
void taint_add(uint64_t mfn, unsigned int bits);
/* Set while picking an mmu_update entry: a frame for any level may end up
 * read as a table. */
extern bool pick_as_table;
/* Set before allocating an array a call may read past: the next object
 * then ends at its page's end, before a guard page. */
extern bool xp_force_end;
/* What a call's read-backs found (grant statuses, multicall entries'
 * results), folded into the compared checksum. */
extern uint64_t post_sum;
extern char post_desc[48];
void taint_copy(uint64_t dst_mfn, uint64_t src_mfn);
/* In the compared prefix, a frame whose contents are the same on both
 * hypervisors standing in for f (pools.c). */
const struct frame *clean_source(const struct frame *f);
/* A frame of a given role (index modulo the role's count). */
const struct frame *role_frame(enum frame_role role, unsigned int i);
unsigned int role_count(enum frame_role role);

/* Own frames beyond the start-of-day mapping that no pool names: the
 * compared prefix gives back only these, each once. */
unsigned int nr_spares(void);
uint64_t spare_mfn(unsigned int i);

/* The start-of-day layout, resolved once. */
struct layout {
    uint64_t l4_mfn, kernel_l3_mfn, kernel_l2_mfn;
    uint64_t kernel_l4e;            /* boot L4 slot 511 */
    uint64_t play_l1e_maddr[NPLAY]; /* boot L1 slots mapping the playground */
    uint64_t tree_mfn[4];           /* L3, L2, L1 (512 pages), L1 (next 512) */
    uint64_t alias_mfn;
    uint64_t shared_info_mfn, grant_mfn;
    domid_t self;
    const volatile uint64_t *alias_view; /* read-only view of the alias L4 */
};
extern struct layout lay;

/* --- Pointers, by how the hypervisor uses them -------------------------- */
enum ptr_use {
    P_IN,    /* read */
    P_OUT,   /* written, never read back as input */
    P_INOUT, /* read, then written */
};
/* A hostile or playground pointer, for buffers the generator does not
 * build; in the compared prefix only ones whose contents cannot differ
 * between hypervisors. */
uint64_t pick_ptr(enum ptr_use use, size_t size);
/* A virtual address whose L1 entry random calls may replace. */
uint64_t pick_play_va(void);
/* The machine address of an L1 slot random calls may rewrite. */
uint64_t pick_l1_slot(void);
/* A machine address for mmu_update's ptr (command bits clear). */
uint64_t pick_mmu_ptr(void);
/* A page-table entry value for the given level (1..4). */
uint64_t pick_pte(int level);
/* Absurd and boundary values. */
uint64_t pick_count(void);
uint64_t pick_hostile_va(void);
/* A hostile address no guest mapping can make readable (non-canonical or
 * the hypervisor's own): for arguments whose contents, if read, could end
 * the fuzzer (a shutdown reason, a domain id, a watchdog id). The lower
 * half's edges are not: the fuzzer's own L4 writes may map them. */
uint64_t pick_unreadable_va(void);
uint64_t pick_domid(void);
uint32_t pick_port(void);
uint32_t pick_gref(void);
uint32_t pick_handle(void);
uint64_t pick_vcpu(void);

/* --- Building inputs ----------------------------------------------------- */
/* Room for size bytes in an exchange page; NULL-free: always succeeds.
 * Sometimes it ends exactly at the page end so that reading past it
 * faults. Reset before every top-level call. */
void *xp_alloc(size_t size, size_t align);
void xp_reset(void);
/* The address a hypercall should be given for an xp_alloc'd object:
 * usually the object, sometimes its read-only alias (writes fault). */
uint64_t xp_arg(const void *obj, enum ptr_use use);

/* --- Tracked handles: values the hypervisors chose ------------------------ */
#define MAX_TRACK 64
struct track {
    uint32_t v[MAX_TRACK];
    unsigned int n;
};
extern struct track ports, handles;
/* The ports among them bound to VIRQs: timers make them pending at times
 * the two hypervisors do not share. */
extern struct track virqs;
/* A port for SCHEDOP_poll: in the compared prefix never a VIRQ's. */
uint32_t pick_poll_port(void);
void track_add(struct track *t, uint32_t v);
void track_del(struct track *t, uint32_t v);

/* --- One call ------------------------------------------------------------ */
enum call_kind {
    K_PLAIN,   /* one syscall with nr and a[] */
    K_IRET,    /* HYPERVISOR_iret from a crafted frame (iret_ctx) */
    K_MC_IRET, /* a multicall issued on a crafted iret frame */
};

/* Work around the call, OR-ed into call.fixup (multicall entries' too). */
#define FIX_TRAPS   0x01 /* the trap table or callbacks may have changed */
#define FIX_CONSOLE 0x08 /* console output without a newline may be pending */
#define FIX_BLOCK   0x10 /* the call may block: arm the timer first */

struct iret_ctx {
    uint64_t rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};

struct call {
    uint64_t nr;
    uint64_t a[5];
    enum call_kind kind;
    unsigned int fixup;
    bool masked; /* result differs by design: not compared */
    /* Reads back what the hypervisor chose (ports, grant handles). */
    void (*post)(const struct call *c, long rc);
    const void *post_arg;
    unsigned int post_count;
    const uint32_t *done; /* a done count the trace shows, if readable */
    /* A multicall's entries' read-backs, each with its entry's result. */
    unsigned int nr_subs;
    struct sub_post {
        void (*post)(const struct call *c, long rc);
        const void *post_arg;
        unsigned int post_count;
        bool masked;
        const volatile xen_ulong_t *result;
    } subs[8];
    struct iret_ctx iret;
    char desc[600]; /* symbolic: roles, not machine frames */
};

/* Appends to c->desc. */
void describe(struct call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fills c with a random top-level call. */
void gen_call(struct call *c);

/* True for the compared prefix: only inputs that are the same on both
 * hypervisors, and no calls that differ by design. */
extern bool cmp_mode;
/* A timer deadline base: system time now (ns), from our own clock. */
uint64_t now_ns(void);

/* Raw SYSCALL: any number, five arguments, no hypercall page. */
static inline long hcall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                         uint64_t a5)
{
    register uint64_t rdi asm("rdi") = a1;
    register uint64_t rsi asm("rsi") = a2;
    register uint64_t rdx asm("rdx") = a3;
    register uint64_t r10 asm("r10") = a4;
    register uint64_t r8 asm("r8") = a5;
    long rax = (long)nr;

    asm volatile("syscall"
                 : "+a"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8)
                 :
                 : "memory", "rcx", "r11", "r9");
    return rax;
}

/* iret.S: HYPERVISOR_iret from ctx (its rip and rsp are filled in) and
 * back here with the rax it carried; and a multicall issued with %rsp at
 * ctx, so that an iret entry in it lands back here too. */
long fz_iret(struct iret_ctx *ctx);
long fz_mc_iret(uint64_t calls, uint64_t nr, struct iret_ctx *ctx);

#endif
