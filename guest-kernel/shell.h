/* SPDX-License-Identifier: MIT */
/* The interactive shell of the `shell` command-line option. */
#ifndef GUEST_KERNEL_SHELL_H
#define GUEST_KERNEL_SHELL_H

/* Prompts, reads and runs commands on the console until `poweroff`. */
__attribute__((noreturn)) void shell_run(void);

#endif
