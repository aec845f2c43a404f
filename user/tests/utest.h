/*
 * utest.h: what the user-level tests share.  A test is one .c file and
 * one program, so everything here is static.
 *
 * Every test case prints exactly one line, which tools/test counts in
 * the serial log:
 *
 *	ok - t_misc: sched_yield returns 0
 *	not ok - t_misc: open O_WRONLY: EROFS: expected -1 (EROFS), got 3
 *
 * A test defines UTEST_PROG (its name) before including this file,
 * checks with CHECK() and friends, and returns utest_done() from main:
 * 0 if every case passed, else the number that failed.
 *
 * Only the test's own process prints results.  A case that needs a
 * child (one that should crash, say) runs it with utest_child() and
 * checks the wait status: children report through their exit status.
 */
#ifndef _UTEST_H_
#define _UTEST_H_

#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef UTEST_PROG
#error "define UTEST_PROG (the test's name) before including utest.h"
#endif

static int utest_npass, utest_nfail;

/*
 * Print one line (the newline is added) with a single write(2), so
 * that it reaches the console whole even if a child prints too, and
 * nothing waits in a stdio buffer for fork() to copy.
 */
static inline void __printflike(1, 2)
utest_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	fflush(stdout);			/* anything printf'd comes first */
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;	/* cut: keep room for the newline */
	buf[n++] = '\n';
	(void)write(STDOUT_FILENO, buf, n);
}

static inline const char *
utest_errname(int e)
{
	static const char *const names[] = {
		[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH",
		[EINTR] = "EINTR", [EIO] = "EIO", [E2BIG] = "E2BIG",
		[ENOEXEC] = "ENOEXEC", [EBADF] = "EBADF",
		[ECHILD] = "ECHILD", [ENOMEM] = "ENOMEM",
		[EACCES] = "EACCES", [EFAULT] = "EFAULT",
		[EEXIST] = "EEXIST", [ENOTDIR] = "ENOTDIR",
		[EISDIR] = "EISDIR", [EINVAL] = "EINVAL",
		[EMFILE] = "EMFILE", [ESPIPE] = "ESPIPE", [EROFS] = "EROFS",
		[ERANGE] = "ERANGE", [EAGAIN] = "EAGAIN",
		[ENAMETOOLONG] = "ENAMETOOLONG", [ENOSYS] = "ENOSYS",
	};
	static char other[16];

	if (e == 0)
		return "no error";
	if (e > 0 && e < (int)__arraycount(names) && names[e] != NULL)
		return names[e];
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

static inline const char *
utest_signame(int sig)
{
	switch (sig) {
	case SIGILL:	return "SIGILL";
	case SIGTRAP:	return "SIGTRAP";
	case SIGABRT:	return "SIGABRT";
	case SIGFPE:	return "SIGFPE";
	case SIGKILL:	return "SIGKILL";
	case SIGBUS:	return "SIGBUS";
	case SIGSEGV:	return "SIGSEGV";
	case SIGSYS:	return "SIGSYS";
	default:	return "?";
	}
}

/* A wait status in words.  -1 stands for "no status": fork or wait
 * failed.  The string lives until the next call. */
static inline const char *
utest_status(int st)
{
	static char buf[64];

	if (st == -1)
		snprintf(buf, sizeof(buf), "no status (fork or wait failed)");
	else if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited with status %d",
		    WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d (%s)",
		    WTERMSIG(st), utest_signame(WTERMSIG(st)));
	else
		snprintf(buf, sizeof(buf), "status %#x", st);
	return buf;
}

static inline void
utest_ok(const char *name)
{
	utest_npass++;
	utest_printf("ok - %s: %s", UTEST_PROG, name);
}

static inline void __printflike(2, 3)
utest_fail(const char *name, const char *fmt, ...)
{
	char why[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	utest_nfail++;
	utest_printf("not ok - %s: %s: %s", UTEST_PROG, name, why);
}

/* Report case `name`: ok if `ok`, else not ok with the formatted why.
 * Returns ok, for cases that later cases depend on. */
static inline bool __printflike(3, 4)
utest_check(bool ok, const char *name, const char *fmt, ...)
{
	char why[400];
	va_list ap;

	if (ok) {
		utest_ok(name);
		return true;
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	utest_fail(name, "%s", why);
	return false;
}

/*
 * CHECK(cond, name, why-format, ...): the basic check; true if it
 *	passed.  cond is evaluated first, the why arguments only if it
 *	is false (they may look at things cond just made safe to see).
 * CHECK_ERR(expr, err, name): expr must fail: return -1 (or MAP_FAILED)
 *	with errno err.
 * CHECK_EXIT(st, code, name), CHECK_SIG(st, sig, name): wait status st
 *	must say "exited with code" or "killed by sig".
 */
#define CHECK(cond, name, ...)						\
	((cond) ? (utest_ok(name), true) :				\
	    (utest_fail((name), __VA_ARGS__), false))

#define CHECK_ERR(expr, err, name) do {					\
	long r_;							\
									\
	errno = 0;							\
	r_ = (long)(expr);						\
	utest_check_err(r_, errno, (err), (name));			\
} while (0)

static inline bool
utest_check_err(long r, int e, int want, const char *name)
{
	if (r != -1)
		return utest_check(false, name, "expected -1 (%s), got %ld",
		    utest_errname(want), r);
	return utest_check(e == want, name, "expected %s (%d), got %s (%d)",
	    utest_errname(want), want, utest_errname(e), e);
}

#define CHECK_EXIT(st, code, name)	utest_check_exit((st), (code), (name))
#define CHECK_SIG(st, sig, name)	utest_check_sig((st), (sig), (name))

static inline bool
utest_check_exit(int st, int code, const char *name)
{
	return utest_check(st != -1 && WIFEXITED(st) &&
	    WEXITSTATUS(st) == code, name,
	    "expected exit status %d, got %s", code, utest_status(st));
}

static inline bool
utest_check_sig(int st, int sig, const char *name)
{
	return utest_check(st != -1 && WIFSIGNALED(st) &&
	    WTERMSIG(st) == sig, name,
	    "expected to be killed by signal %d (%s), got %s",
	    sig, utest_signame(sig), utest_status(st));
}

/*
 * Run fn() in a child, which exits with what fn returns (if it returns
 * at all), and give back the child's wait status, or -1.
 */
static inline int
utest_child(int (*fn)(void))
{
	pid_t pid;
	int st;

	fflush(stdout);		/* or the child would print it again */
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0)
		_exit(fn());
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/* Milliseconds on the monotonic clock. */
static inline long
utest_msec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void
utest_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* The end: a summary comment (not counted: it starts with '#') and
 * the exit status, 0 iff every case passed. */
static inline int
utest_done(void)
{
	utest_printf("# %s: %d passed, %d failed", UTEST_PROG, utest_npass,
	    utest_nfail);
	return utest_nfail > 255 ? 255 : utest_nfail;
}

#endif /* !_UTEST_H_ */
