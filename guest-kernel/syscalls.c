// SPDX-License-Identifier: MIT
// The system calls newlib needs, under their plain names (x86_64-elf newlib
// defines MISSING_SYSCALL_NAMES; see NEWLIB.md). There are no files yet:
// fds 0-2 are the pv console, the heap is a fixed array in .bss.
#include <pvops/pvops.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <xen/xen.h>
#include <xen/sched.h>

#define HEAP_SIZE (256 * 1024)

static char heap[HEAP_SIZE] __attribute__((aligned(16)));
static size_t heap_used;

/* Not declared by newlib's headers under every configuration. */
int kill(pid_t pid, int sig);

static int is_console(int fd)
{
    return fd >= 0 && fd <= 2;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len)
{
    int rc;

    if (!is_console(fd)) {
        errno = EBADF;
        return -1;
    }
    rc = pv_console_write(buf, len);
    if (rc < 0) {
        errno = EIO;
        return -1;
    }
    return (_READ_WRITE_RETURN_TYPE)len;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len)
{
    int rc;

    if (fd != 0) {
        errno = EBADF;
        return -1;
    }
    rc = pv_console_read(buf, len);
    if (rc < 0) {
        errno = EIO;
        return -1;
    }
    return rc;
}

void *sbrk(ptrdiff_t incr)
{
    size_t old = heap_used;

    if ((incr > 0 && (size_t)incr > HEAP_SIZE - heap_used) ||
        (incr < 0 && (size_t)-incr > heap_used)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    heap_used += incr;
    return heap + old;
}

int close(int fd)
{
    if (is_console(fd))
        return 0;
    errno = EBADF;
    return -1;
}

int fstat(int fd, struct stat *st)
{
    if (!is_console(fd)) {
        errno = EBADF;
        return -1;
    }
    *st = (struct stat){ .st_mode = S_IFCHR };
    return 0;
}

int isatty(int fd)
{
    if (is_console(fd))
        return 1;
    errno = EBADF;
    return 0;
}

off_t lseek(int fd, off_t offset, int whence)
{
    errno = is_console(fd) ? ESPIPE : EBADF;
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
    pv_power_shutdown(status == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}
