// SPDX-License-Identifier: MIT
// Native power off. Test machines have QEMU's isa-debug-exit at 0xf4, which
// turns the reason into QEMU's exit status (docs/boot.md); without it, ACPI
// power-off on QEMU's PIIX4 for a clean exit, and halting otherwise.
#include <pvops/native/native.h>
#include <pvops/native/portio.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>

enum {
    DEBUG_EXIT_PORT = 0xf4,
    DEBUG_EXIT_BASE = 0x10, /* QEMU exits with ((0x10 + reason) << 1) | 1 */
    PIIX4_PM1A_CNT = 0x604, /* as SeaBIOS programs the PM base */
    PM1_SLP_EN_S5 = 0x2000,
};

void native_power_shutdown(unsigned int reason)
{
    outl(DEBUG_EXIT_PORT, DEBUG_EXIT_BASE + reason);
    if (reason == SHUTDOWN_poweroff)
        outw(PIIX4_PM1A_CNT, PM1_SLP_EN_S5);
    for (;;)
        asm volatile("cli; hlt");
}
