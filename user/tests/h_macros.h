/*
 * h_macros.h: the helper macros NetBSD's own tests use on top of ATF
 * (NetBSD keeps theirs in tests/h_macros.h), so that their test cases
 * read the same here:
 *
 *	RL(x)	x is a libc call that returns -1 on failure: require it
 *		did not fail, saying which call and strerror(errno)
 *	RZ(x)	x returns 0 or an error number (pthread style): require 0
 *	REQUIRE_LIBC(x, v)	require x != v, reporting errno
 *
 * and lwpkern's own, for the process tests (t_fork, t_exec, t_mmap...):
 *
 *	h_child(fn)	run fn() in a child process, which exits with what
 *			fn returns; the child's wait status, or -1 if fork
 *			or wait failed
 *	CHECK_ERR(expr, err, what)	expr must fail: give -1 (or
 *			MAP_FAILED) with errno err
 *	CHECK_EXIT(st, code, what)	wait status st must say "exited
 *			with code"; what names the check in the message
 *	CHECK_SIG(st, sig, what)	... "killed by signal sig"
 *	h_msec()	milliseconds on the monotonic clock
 *	h_sleep_ms(ms)	sleep (nanosleep) for ms milliseconds
 *	h_catch(sig, fn, flags)	catch sig with handler fn (sa_flags
 *			flags, an empty sa_mask)
 */
#ifndef _H_MACROS_H_
#define _H_MACROS_H_

#include <sys/wait.h>
#include <atf-c.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REQUIRE_LIBC(x, v)						\
	ATF_REQUIRE_MSG((x) != (v), "%s: %s", #x, strerror(errno))
#define CHECK_LIBC(x, v)						\
	ATF_CHECK_MSG((x) != (v), "%s: %s", #x, strerror(errno))
#define RL(x)	REQUIRE_LIBC(x, -1)
#define RZ(x)								\
do {									\
	int RZ_rv = (x);						\
	ATF_REQUIRE_MSG(RZ_rv == 0, "%s: %s", #x, strerror(RZ_rv));	\
} while (0)

static inline long
h_msec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void
h_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	RL(nanosleep(&ts, NULL));
}

static inline void
h_catch(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	RL(sigaction(sig, &sa, NULL));
}

static inline int
h_child(int (*fn)(void))
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

#define CHECK_ERR(expr, err, what) do {					\
	long CR_r;							\
	int CR_e, CR_want = (err);					\
									\
	errno = 0;							\
	CR_r = (long)(expr);						\
	CR_e = errno;							\
	ATF_CHECK_MSG(CR_r == -1 && CR_e == CR_want,			\
	    "%s: expected -1 (%s), got %ld (%s)", (what),		\
	    strerror(CR_want), CR_r, CR_r == -1 ? strerror(CR_e) : "-");	\
} while (0)

#define CHECK_EXIT(st, code, what) do {					\
	int CE_st = (st), CE_code = (code);				\
	ATF_CHECK_MSG(CE_st != -1 && WIFEXITED(CE_st) &&		\
	    WEXITSTATUS(CE_st) == CE_code,				\
	    "%s: expected exit status %d, got %s", (what), CE_code,	\
	    CE_st == -1 ? "no status (fork or wait failed)" :		\
	    atf_utils_wstatus(CE_st));					\
} while (0)

#define CHECK_SIG(st, sig, what) do {					\
	int CS_st = (st), CS_sig = (sig);				\
	ATF_CHECK_MSG(CS_st != -1 && WIFSIGNALED(CS_st) &&		\
	    WTERMSIG(CS_st) == CS_sig,					\
	    "%s: expected to be killed by signal %d, got %s", (what),	\
	    CS_sig, CS_st == -1 ? "no status (fork or wait failed)" :	\
	    atf_utils_wstatus(CS_st));					\
} while (0)

#endif /* !_H_MACROS_H_ */
