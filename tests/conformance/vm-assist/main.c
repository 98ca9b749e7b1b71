// SPDX-License-Identifier: MIT
/*
 * vm-assist: VMASST_CMD_enable and disable for every assist type a 64-bit
 * PV guest may use, and the types and commands it may not. Expected values
 * are Xen 4.17's answers as dom0.
 */
#include <stdio.h>
#include <xen/errno.h>
#include "tests/guest-lib/mm.h"
#include "tests/guest-lib/test.h"
#include "common/array_size.h"

const char test_title[] = "vm-assist";

struct assist {
    const char *name;
    unsigned long type;
    long rc; /* for enable and for disable */
};

/* Xen's NATIVE_VM_ASSIST_VALID: bits 0-5 and 32; every other type below 64
 * and every type from 64 up is -EINVAL. */
static const struct assist assists[] = {
    { "4gb_segments", VMASST_TYPE_4gb_segments, 0 },
    { "4gb_segments_notify", VMASST_TYPE_4gb_segments_notify, 0 },
    { "writable_pagetables", VMASST_TYPE_writable_pagetables, 0 },
    { "pae_extended_cr3", VMASST_TYPE_pae_extended_cr3, 0 },
    { "architectural_iopl", VMASST_TYPE_architectural_iopl, 0 },
    { "runstate_update_flag", VMASST_TYPE_runstate_update_flag, 0 },
    { "m2p_strict", VMASST_TYPE_m2p_strict, 0 },
    { "type 6", 6, -XEN_EINVAL },
    { "type 31", 31, -XEN_EINVAL },
    { "type 33", 33, -XEN_EINVAL },
    { "type 63", 63, -XEN_EINVAL },
    { "type 64", 64, -XEN_EINVAL },
    /* type is an unsigned int in Xen's prototype: this is type 0. */
    { "type 1 << 32 (upper half dropped)", 1UL << 32, 0 },
    { "type ~0", ~0UL, -XEN_EINVAL },
};

void test_main(void)
{
    char name[80];

    for (size_t i = 0; i < ARRAY_SIZE(assists); i++) {
        const struct assist *a = &assists[i];

        snprintf(name, sizeof(name), "enable %s", a->name);
        check_long(name, a->rc, hc_vm_assist(VMASST_CMD_enable, a->type));
        snprintf(name, sizeof(name), "enable %s again", a->name);
        check_long(name, a->rc, hc_vm_assist(VMASST_CMD_enable, a->type));
        snprintf(name, sizeof(name), "disable %s", a->name);
        check_long(name, a->rc, hc_vm_assist(VMASST_CMD_disable, a->type));
        snprintf(name, sizeof(name), "disable %s again", a->name);
        check_long(name, a->rc, hc_vm_assist(VMASST_CMD_disable, a->type));
    }
    check_long("cmd 2, a valid type", -XEN_ENOSYS,
               hc_vm_assist(2, VMASST_TYPE_writable_pagetables));
    /* The type is checked before the command. */
    check_long("cmd 2, an invalid type", -XEN_EINVAL, hc_vm_assist(2, 64));
    check_long("cmd ~0", -XEN_ENOSYS, hc_vm_assist(~0UL, VMASST_TYPE_writable_pagetables));
    /* cmd is an unsigned int in Xen's prototype: bit 32 is dropped. */
    check_long("cmd enable with bit 32 set", 0,
               hc_vm_assist(VMASST_CMD_enable | (1UL << 32), VMASST_TYPE_writable_pagetables));
    check_long("disable writable_pagetables at the end", 0,
               hc_vm_assist(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables));
}
