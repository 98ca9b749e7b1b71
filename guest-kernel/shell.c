// SPDX-License-Identifier: MIT
// The shell: after the self-check, with `shell` on the command line, a
// prompt on the console with a little line editing (backspace, Ctrl-U,
// Ctrl-C) and a few commands. It prints the same text natively, under
// Xenolith and under Xen; only the values differ.
//
// Input waits for an event: the console binding's input interrupt or
// upcall (the 16550's IRQ natively, the console ring's port on Xenolith,
// VIRQ_CONSOLE as Xen's dom0) and the xenstore port (for `xs watch`) wake
// the shell, which otherwise looks again only every IDLE_NS.
#include <guest-kernel/shell.h>
#include <guest-kernel/devices.h>
#include <guest-kernel/kprintf.h>
#include <guest-kernel/page_alloc.h>
#include <guest-kernel/process.h>
#include <guest-kernel/thread.h>
#include <pvops/pvops.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <common/array_size.h>

#define LINE_MAX_LEN 120
#define MAX_ARGS     16
#define IDLE_NS      250000000ULL

extern const char user_hello_elf[], user_hello_elf_end[];
extern const char user_fault_elf[], user_fault_elf_end[];

static const struct {
    const char *name;
    const char *start, *end;
} programs[] = {
    { "hello", user_hello_elf, user_hello_elf_end },
    { "fault", user_fault_elf, user_fault_elf_end },
};

/* The line being edited, so output between prompts can redraw it. */
static char line[LINE_MAX_LEN + 1];
static size_t len;

static void puts_raw(const char *s)
{
    pv_console_write(s, strlen(s));
}

static void prompt(void)
{
    puts_raw("lithos> ");
    pv_console_write(line, len);
}

static void cmd_help(int argc, char **argv)
{
    kprintf("commands:\n");
    kprintf("  help                      this list\n");
    kprintf("  uptime                    time since boot\n");
    kprintf("  mem                       free memory\n");
    kprintf("  ps                        threads and their processes\n");
    kprintf("  run <program>             run an embedded user program (hello, fault)\n");
    kprintf("  xs ls <path>              list a xenstore directory\n");
    kprintf("  xs read <path>            read a xenstore key\n");
    kprintf("  xs write <path> <value>   write a xenstore key\n");
    kprintf("  xs watch <path>           report changes under path\n");
    kprintf("  cons <n> <text>           write a line to console device n\n");
    kprintf("  poweroff                  power off\n");
}

static void cmd_uptime(int argc, char **argv)
{
    uint64_t ms = pv_time_now_ns() / 1000000;

    kprintf("up %llu.%03llu s\n", (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000));
}

static void cmd_mem(int argc, char **argv)
{
    unsigned long free = page_alloc_free_count();

    kprintf("free: %lu pages (%lu KiB)\n", free, free * 4);
}

static void cmd_ps(int argc, char **argv)
{
    static const char *const states[] = { "free", "runnable", "sleeping", "dead" };
    const struct thread *t, *self = thread_current();

    kprintf("tid  state     pid\n");
    for (unsigned int i = 0; (t = thread_slot(i)) != NULL; i++) {
        char pid[16] = "-";

        if (t->state == THREAD_FREE)
            continue;
        if (t->proc)
            snprintf(pid, sizeof(pid), "%d", t->proc->pid);
        kprintf("%-4u %-9s %s%s\n", i, t == self ? "running" : states[t->state], pid,
                t == self ? " (shell)" : "");
    }
}

static void cmd_run(int argc, char **argv)
{
    struct process *p;
    int status, killed, rc;

    if (argc != 2) {
        kprintf("usage: run <program>\n");
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(programs); i++) {
        if (strcmp(argv[1], programs[i].name))
            continue;
        if (!sched_preemptive()) {
            kprintf("run: no timer, no user mode (%s)\n", pv_info.missing);
            return;
        }
        rc = process_spawn(programs[i].start, (size_t)(programs[i].end - programs[i].start), &p);
        if (rc < 0) {
            kprintf("run: %s: spawn failed: %d\n", argv[1], rc);
            return;
        }
        process_wait(p, &status, &killed);
        if (killed)
            kprintf("run: %s killed\n", argv[1]);
        else
            kprintf("run: %s exited with %d\n", argv[1], status);
        return;
    }
    kprintf("run: no program %s (hello, fault)\n", argv[1]);
}

/* Runs while the prompt is up: on a line of its own, then the prompt again. */
static void watch_fired(const char *path, const char *token)
{
    kprintf("\nxs: watch %s: %s changed\n", token, path);
    prompt();
}

static void cmd_xs(int argc, char **argv)
{
    static char buf[1024];
    int rc;

    if (argc < 3 || (!strcmp(argv[1], "write") && argc != 4)) {
        kprintf("usage: xs ls|read|watch <path>, xs write <path> <value>\n");
        return;
    }
    if (!pv_store_available()) {
        kprintf("xs: xenstore unavailable\n");
        return;
    }
    if (!strcmp(argv[1], "ls")) {
        rc = pv_store_directory(argv[2], buf, sizeof(buf));
        for (const char *s = buf; rc > 0 && rc--; s += strlen(s) + 1)
            kprintf("%s\n", s);
    } else if (!strcmp(argv[1], "read")) {
        rc = pv_store_read(argv[2], buf, sizeof(buf));
        if (rc >= 0)
            kprintf("%s\n", buf);
    } else if (!strcmp(argv[1], "write")) {
        rc = pv_store_write(argv[2], argv[3]);
    } else if (!strcmp(argv[1], "watch")) {
        rc = pv_store_watch(argv[2], argv[2], watch_fired);
    } else {
        kprintf("xs: unknown subcommand %s\n", argv[1]);
        return;
    }
    if (rc < 0)
        kprintf("xs: %s %s: %s\n", argv[1], argv[2], pv_store_last_error());
}

static void cmd_cons(int argc, char **argv)
{
    char line[160];
    size_t len = 0;
    int rc;

    if (argc < 3 || argv[1][0] < '1' || argv[1][0] > '9' || argv[1][1]) {
        kprintf("usage: cons <n> <text>\n");
        return;
    }
    for (int i = 2; i < argc; i++)
        len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", argv[i],
                                i + 1 < argc ? " " : "\n");
    if (len >= sizeof(line))
        len = sizeof(line) - 1;
    rc = pv_devices_console_write((unsigned int)(argv[1][0] - '0'), line, len);
    if (rc < 0)
        kprintf("cons: console %s: error %d\n", argv[1], rc);
}

static void cmd_poweroff(int argc, char **argv)
{
    kprintf("Lithos: powering off\n");
    devices_stop();
    pv_power_shutdown(SHUTDOWN_poweroff);
}

static const struct {
    const char *name;
    void (*fn)(int argc, char **argv);
} commands[] = {
    { "help", cmd_help }, { "uptime", cmd_uptime },     { "mem", cmd_mem },
    { "ps", cmd_ps },     { "run", cmd_run },           { "xs", cmd_xs },
    { "cons", cmd_cons }, { "poweroff", cmd_poweroff },
};

static void execute(char *line)
{
    char *argv[MAX_ARGS + 1];
    int argc = 0;

    for (char *s = line; *s && argc <= MAX_ARGS;) {
        while (*s == ' ' || *s == '\t')
            *s++ = '\0';
        if (!*s)
            break;
        argv[argc++] = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
    }
    if (argc == 0)
        return;
    if (argc > MAX_ARGS) {
        kprintf("too many arguments\n");
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
        if (!strcmp(argv[0], commands[i].name)) {
            commands[i].fn(argc, argv);
            return;
        }
    kprintf("unknown command: %s (try help)\n", argv[0]);
}

static struct thread *shell_thread;

static void shell_wake(void)
{
    thread_wake(shell_thread);
}

static int next_byte(void)
{
    char c;

    for (;;) {
        if (pv_console_read(&c, 1) == 1)
            return (unsigned char)c;
        pv_store_poll();
        thread_wait_ns(IDLE_NS);
    }
}

void shell_run(void)
{
    int last = 0, esc = 0;

    shell_thread = thread_current();
    pv_console_set_input_hook(shell_wake);
    pv_store_set_event_hook(shell_wake);
    kprintf("Lithos: shell ready (type help)\n");
    prompt();
    for (;;) {
        int c = next_byte(), prev = last;

        last = c;
        if (esc) { /* ESC [ x: a cursor key, ignored */
            esc = (esc == 1 && c == '[') ? 2 : 0;
            continue;
        }
        switch (c) {
        case '\n':
            if (prev == '\r')
                continue; /* the second half of a CR LF */
            /* fall through */
        case '\r':
            puts_raw("\n");
            line[len] = '\0';
            len = 0;
            execute(line);
            prompt();
            break;
        case 0x7f:
        case '\b':
            if (len) {
                len--;
                puts_raw("\b \b");
            }
            break;
        case 0x15: /* Ctrl-U */
            while (len) {
                len--;
                puts_raw("\b \b");
            }
            break;
        case 0x03: /* Ctrl-C */
            puts_raw("^C\n");
            len = 0;
            prompt();
            break;
        case 0x1b:
            esc = 1;
            break;
        default:
            if (c >= ' ' && c < 0x7f && len < LINE_MAX_LEN) {
                char ch = (char)c;

                line[len++] = ch;
                pv_console_write(&ch, 1);
            }
            break;
        }
    }
}
