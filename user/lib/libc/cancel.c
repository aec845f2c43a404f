/*
 * cancel.c: the cancellation points among libc's blocking calls (POSIX;
 * NetBSD's libpthread has them in its cancelstub.c, in front of libc's
 * system calls).  read, write, open, close, wait4, nanosleep and
 * sigsuspend are these wrappers around their system calls' stubs
 * (__sys_NAME, generated from kernel/syscalls.master), and so are the
 * libc functions built on them: wait, waitpid, sleep, usleep, pause and
 * select.
 *
 * libc knows nothing of threads: libpthread, when the first thread
 * starts, sets __libc_cancel_hook to a function that ends the calling
 * thread (pthread_exit(PTHREAD_CANCELED), cleanup handlers first) if a
 * cancel is pending on it and it may act on it.  A wrapper calls the
 * hook before the system call -- a cancel already pending ends the
 * thread without it blocking -- and again when the call failed with
 * EINTR, which is how a cancel that comes while the thread is blocked
 * arrives: pthread_cancel wakes its LWP with _lwp_wakeup, which cuts an
 * interruptible sleep short with EINTR, or makes the next one return
 * EINTR at once if it was not asleep yet (the kernel keeps
 * LW_CANCELLED), so a cancel sent between the first look and the sleep
 * is not lost.  A call that succeeded returns its result (a read's
 * data is not thrown away); the cancel waits for the next point.
 *
 * Not cancellation points: stdio (it holds the stream's lock around
 * its reads and writes, which a cancelled thread would never let go:
 * it uses the stubs directly), stat, and libc's reports on its way
 * to abort.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "local.h"

void	(*__libc_cancel_hook)(void);

static inline void
testcancel(void)
{
	void (*hook)(void) = __atomic_load_n(&__libc_cancel_hook,
	    __ATOMIC_RELAXED);

	if (hook != NULL)
		hook();
}

/* After the call: a cancel may be why it was interrupted. */
static inline long
aftercall(long rv)
{
	if (rv == -1 && errno == EINTR)
		testcancel();
	return rv;
}

ssize_t
read(int fd, void *buf, size_t nbyte)
{
	testcancel();
	return aftercall(__sys_read(fd, buf, nbyte));
}

ssize_t
write(int fd, const void *buf, size_t nbyte)
{
	testcancel();
	return aftercall(__sys_write(fd, buf, nbyte));
}

int
open(const char *path, int flags, ...)
{
	va_list ap;
	int mode = 0;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	testcancel();
	return (int)aftercall(__sys_open(path, flags, mode));
}

int
close(int fd)
{
	testcancel();
	return (int)aftercall(__sys_close(fd));
}

pid_t
wait4(pid_t pid, int *status, int options, struct rusage *rusage)
{
	testcancel();
	return (pid_t)aftercall(__sys_wait4(pid, status, options, rusage));
}

int
nanosleep(const struct timespec *rqtp, struct timespec *rmtp)
{
	testcancel();
	return (int)aftercall(__sys_nanosleep(rqtp, rmtp));
}

int
sigsuspend(const sigset_t *set)
{
	testcancel();
	return (int)aftercall(__sys_sigsuspend(set));
}
