/*
 * h_pthread.h: what the POSIX-threads tests (t_pthread*.c) share:
 * starting threads in one call, CPU counts and pinning, clocks, and a
 * look at a thread's LWP through sysctl kern.lwp.  Everything is
 * static: one test, one file.
 *
 * Threads may use printf, malloc and errno (libc is thread-safe and
 * errno per thread with libpthread); ATF_REQUIRE in a thread ends the
 * whole case (the test process exits), as a failure should.
 */
#ifndef _H_PTHREAD_H_
#define _H_PTHREAD_H_

#include <sys/sysctl.h>
#include <sys/lwp.h>
#include <errno.h>
#include <lwp.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "h_macros.h"

#define NS_PER_SEC	1000000000LL
#define NS_PER_MS	1000000LL

/*
 * A start line: threads that are pinned after they are created wait
 * here until h_go(), so that none has finished (and gone: ESRCH) when
 * it is pinned.
 */
static volatile int h_started;

static inline void
h_wait_go(void)
{
	while (!__atomic_load_n(&h_started, __ATOMIC_ACQUIRE))
		sched_yield();
}

static inline void
h_go(void)
{
	__atomic_store_n(&h_started, 1, __ATOMIC_RELEASE);
}

/* Start fn(arg) in a new joinable thread. */
static inline pthread_t
h_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	RZ(pthread_create(&t, NULL, fn, arg));
	return t;
}

/* Join t and return its value. */
static inline void *
h_join(pthread_t t)
{
	void *v;

	RZ(pthread_join(t, &v));
	return v;
}

static inline int
h_ncpus(void)
{
	long n;

	RL(n = sysconf(_SC_NPROCESSORS_ONLN));
	ATF_REQUIRE(n >= 1 && n <= 64);
	return (int)n;
}

/* Pin thread t to CPU k (k < 0: anywhere again). */
static inline void
h_pin(pthread_t t, int k)
{
	cpuset_t *cs;

	ATF_REQUIRE((cs = cpuset_create()) != NULL);
	cpuset_zero(cs);
	if (k >= 0)
		RL(cpuset_set(k, cs));
	RZ(pthread_setaffinity_np(t, cpuset_size(cs), cs));
	cpuset_destroy(cs);
}

static inline int64_t
h_now_ns(clockid_t clock)
{
	struct timespec ts;

	RL(clock_gettime(clock, &ts));
	return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* An absolute time `ms` milliseconds from now on `clock`. */
static inline struct timespec
h_deadline(clockid_t clock, int64_t ms)
{
	int64_t ns = h_now_ns(clock) + ms * NS_PER_MS;
	struct timespec ts = { ns / NS_PER_SEC, ns % NS_PER_SEC };

	return ts;
}

static inline void
h_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * NS_PER_MS };

	RL(nanosleep(&ts, NULL));
}

/* Our process's LWP lid as kern.lwp shows it; false if not there. */
static inline bool
h_lwp_info(lwpid_t lid, struct kinfo_lwp *out)
{
	static struct kinfo_lwp kl[600];
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	int mib[2] = { CTL_KERN, KERN_LWP };
	size_t len = sizeof(kl), n;
	pid_t pid = getpid();
	bool found = false;

	RZ(pthread_mutex_lock(&lock));
	if (sysctl(mib, 2, kl, &len, NULL, 0) == -1)
		atf_tc_fail("sysctl kern.lwp: %s", strerror(errno));
	for (n = 0; n < len / sizeof(kl[0]) && !found; n++)
		if (kl[n].l_pid == pid && kl[n].l_lid == lid) {
			*out = kl[n];
			found = true;
		}
	RZ(pthread_mutex_unlock(&lock));
	return found;
}

/* How many LWPs our process has, zombies included. */
static inline int
h_lwp_count(void)
{
	static struct kinfo_lwp kl[600];
	int mib[2] = { CTL_KERN, KERN_LWP }, count = 0;
	size_t len = sizeof(kl), n;
	pid_t pid = getpid();

	if (sysctl(mib, 2, kl, &len, NULL, 0) == -1)
		atf_tc_fail("sysctl kern.lwp: %s", strerror(errno));
	for (n = 0; n < len / sizeof(kl[0]); n++)
		count += kl[n].l_pid == pid;
	return count;
}

/* Is LWP lid asleep with wait message wmesg? */
static inline bool
h_lwp_sleeps(lwpid_t lid, const char *wmesg)
{
	struct kinfo_lwp kl;

	return h_lwp_info(lid, &kl) && kl.l_stat == LSSLEEP &&
	    strncmp(kl.l_wmesg, wmesg, sizeof(kl.l_wmesg)) == 0;
}

/* Wait (yielding) up to 10 s for *p == v; false if it never is. */
static inline bool
h_until(volatile int *p, int v)
{
	int64_t end = h_now_ns(CLOCK_MONOTONIC) + 10 * NS_PER_SEC;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != v) {
		if (h_now_ns(CLOCK_MONOTONIC) > end)
			return false;
		sched_yield();
	}
	return true;
}

#endif /* !_H_PTHREAD_H_ */
