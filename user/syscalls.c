// SPDX-License-Identifier: MIT
// newlib's system calls for user programs (the plain names, NEWLIB.md) as
// SYSCALL instructions; a negative result becomes errno.
#include "lithos.h"
#include <guest-kernel/syscall_nr.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

int kill(pid_t pid, int sig);

/* SYSCALL clobbers rcx (return rip) and r11 (rflags). */
static long syscall3(long nr, long a1, long a2, long a3)
{
    long rax;

    asm volatile("syscall"
                 : "=a"(rax)
                 : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
                 : "rcx", "r11", "memory");
    return rax;
}

static long result(long rc)
{
    if (rc < 0) {
        errno = (int)-rc;
        return -1;
    }
    return rc;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len)
{
    return result(syscall3(SYS_write, fd, (long)buf, (long)len));
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len)
{
    return result(syscall3(SYS_read, fd, (long)buf, (long)len));
}

void *sbrk(ptrdiff_t incr)
{
    long rc = syscall3(SYS_sbrk, incr, 0, 0);

    if (rc < 0) {
        errno = ENOMEM;
        return (void *)-1;
    }
    return (void *)rc;
}

pid_t getpid(void)
{
    return (pid_t)syscall3(SYS_getpid, 0, 0, 0);
}

void _exit(int status)
{
    syscall3(SYS_exit, status, 0, 0);
    for (;;)
        ;
}

void lithos_yield(void)
{
    syscall3(SYS_yield, 0, 0, 0);
}

void lithos_sleep_ns(uint64_t ns)
{
    syscall3(SYS_sleep, (long)ns, 0, 0);
}

int close(int fd)
{
    return fd >= 0 && fd <= 2 ? 0 : result(-EBADF);
}

int fstat(int fd, struct stat *st)
{
    if (fd < 0 || fd > 2)
        return result(-EBADF);
    *st = (struct stat){ .st_mode = S_IFCHR };
    return 0;
}

int isatty(int fd)
{
    return fd >= 0 && fd <= 2;
}

off_t lseek(int fd, off_t offset, int whence)
{
    return result(-ESPIPE);
}

int kill(pid_t pid, int sig)
{
    return result(-EINVAL);
}
