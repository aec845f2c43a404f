/*
 * sys.c: calls that are a system call with some arguments filled in,
 * or two system calls (alarm is setitimer, pause is sigsuspend), and
 * select, which waits for no descriptor (<sys/select.h>).  Those built
 * on cancel.c's wrappers are cancellation points with them: wait,
 * waitpid, sleep, usleep, pause, select.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/sysctl.h>
#include <sys/wait.h>

#include "local.h"

pid_t
wait(int *status)
{
	return wait4(WAIT_ANY, status, 0, NULL);
}

pid_t
waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

int
stat(const char *path, struct stat *sb)
{
	int fd, r, error;

	/* Not a cancellation point: the stubs, not cancel.c's. */
	if ((fd = __sys_open(path, O_RDONLY, 0)) == -1)
		return -1;
	r = fstat(fd, sb);
	error = errno;
	(void)__sys_close(fd);
	errno = error;
	return r;
}

int
sysctl(const int *name, u_int namelen, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	return __sysctl(name, namelen, oldp, oldlenp, newp, newlen);
}

/* The nodes the kernel answers (sys/sysctl.h), by name. */
static const struct {
	const char	*name;
	int		mib[2];
} sysctl_names[] = {
	{ "kern.ostype",	{ CTL_KERN, KERN_OSTYPE } },
	{ "kern.osrelease",	{ CTL_KERN, KERN_OSRELEASE } },
	{ "kern.lwp",		{ CTL_KERN, KERN_LWP } },
	{ "kern.memstat",	{ CTL_KERN, KERN_MEMSTAT } },
	{ "kern.lockstat",	{ CTL_KERN, KERN_LOCKSTAT } },
	{ "hw.ncpu",		{ CTL_HW, HW_NCPU } },
};

/* sysctl by name: ENOENT for a name the kernel does not answer. */
int
sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	for (size_t i = 0; i < sizeof(sysctl_names) / sizeof(sysctl_names[0]);
	    i++)
		if (strcmp(name, sysctl_names[i].name) == 0)
			return sysctl(sysctl_names[i].mib, 2, oldp, oldlenp,
			    newp, newlen);
	errno = ENOENT;
	return -1;
}

/*
 * There are no ioctls to ask the console with: descriptors 0 to 2 are
 * terminals unless fstat says they are a file or directory, anything
 * else is not.
 */
int
isatty(int fd)
{
	struct stat sb;

	if (fstat(fd, &sb) == -1)
		return 0;
	if (fd > STDERR_FILENO || S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode)) {
		errno = ENOTTY;
		return 0;
	}
	return 1;
}

time_t
time(time_t *t)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return (time_t)-1;
	if (t != NULL)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

/*
 * CLOCK_REALTIME as a timeval (NetBSD has a system call for it; here
 * the clock is the same).  A time zone, if asked for, is UTC.
 */
int
gettimeofday(struct timeval *__restrict tv, void *__restrict tzp)
{
	struct timespec ts;

	if (tv != NULL) {
		if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
			return -1;
		TIMESPEC_TO_TIMEVAL(tv, &ts);
	}
	if (tzp != NULL)
		memset(tzp, 0, sizeof(struct timezone));
	return 0;
}

/* Returns the seconds not slept when interrupted. */
unsigned int
sleep(unsigned int secs)
{
	struct timespec ts = { .tv_sec = secs }, left = ts;

	if (nanosleep(&ts, &left) == -1)
		return (unsigned int)left.tv_sec + (left.tv_nsec > 0);
	return 0;
}

int
usleep(useconds_t usecs)
{
	struct timespec ts = {
		.tv_sec = usecs / 1000000,
		.tv_nsec = (long)(usecs % 1000000) * 1000,
	};

	return nanosleep(&ts, NULL);
}

void	(*__libc_fork_child_hook)(void);

/*
 * fork, and in the child the thread library's hook (as NetBSD's libc
 * runs pthread_atfork's child handlers): the other threads did not
 * come along, and their lwpctl blocks neither.
 */
pid_t
fork(void)
{
	void (*hook)(void);
	pid_t pid = __sys_fork();

	if (pid == 0 && (hook = __atomic_load_n(&__libc_fork_child_hook,
	    __ATOMIC_RELAXED)) != NULL)
		(*hook)();
	return pid;
}

unsigned int
alarm(unsigned int secs)
{
	struct itimerval it = { .it_value = { .tv_sec = secs } }, oit;

	if (setitimer(ITIMER_REAL, &it, &oit) == -1)
		return (unsigned int)-1;
	return (unsigned int)oit.it_value.tv_sec + (oit.it_value.tv_usec > 0);
}

/* sigsuspend with the mask we have: returns when a handler has run. */
int
pause(void)
{
	sigset_t set;

	if (sigprocmask(SIG_BLOCK, NULL, &set) == -1)
		return -1;
	return sigsuspend(&set);
}

/*
 * select(2), lwpkern's: no descriptor can be waited for (ENOSYS if a
 * set holds one below nfds); without any it sleeps for the timeout, or
 * until a signal is caught if there is none (<sys/select.h>).
 */
int
select(int nfds, fd_set *__restrict rd, fd_set *__restrict wr,
    fd_set *__restrict ex, struct timeval *__restrict tv)
{
	struct timespec ts;

	if (nfds < 0 || nfds > FD_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	for (int fd = 0; fd < nfds; fd++)
		if ((rd != NULL && FD_ISSET(fd, rd)) ||
		    (wr != NULL && FD_ISSET(fd, wr)) ||
		    (ex != NULL && FD_ISSET(fd, ex))) {
			errno = ENOSYS;
			return -1;
		}
	if (tv == NULL)
		return pause();
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000) {
		errno = EINVAL;
		return -1;
	}
	TIMEVAL_TO_TIMESPEC(tv, &ts);
	return nanosleep(&ts, NULL) == -1 ? -1 : 0;
}
