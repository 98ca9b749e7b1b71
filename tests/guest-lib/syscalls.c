// SPDX-License-Identifier: MIT
/* The newlib system calls a test guest links against. Tests only format
 * into buffers (snprintf), so every call that would need a file or a heap
 * fails cleanly instead of pulling in a console or an allocator. */
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <vmi/sched_op.h>

/* Not declared by newlib's headers under every configuration. */
int kill(pid_t pid, int sig);

void *sbrk(ptrdiff_t incr)
{
    errno = ENOMEM;
    return (void *)-1;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len)
{
    errno = EBADF;
    return -1;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len)
{
    errno = EBADF;
    return -1;
}

int close(int fd)
{
    errno = EBADF;
    return -1;
}

int fstat(int fd, struct stat *st)
{
    errno = EBADF;
    return -1;
}

int isatty(int fd)
{
    errno = EBADF;
    return 0;
}

off_t lseek(int fd, off_t offset, int whence)
{
    errno = EBADF;
    return -1;
}

pid_t getpid(void)
{
    return 1;
}

int kill(pid_t pid, int sig)
{
    errno = EINVAL;
    return -1;
}

void _exit(int status)
{
    sched_shutdown(status == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash);
    for (;;)
        sched_yield_vcpu();
}
