/*
 * h_pthread.h: what the POSIX-threads tests (t_pthread*.c) share:
 * starting threads in one call, pinning, clocks; h_lwp.h adds CPU
 * counts and a look at a thread's LWP through sysctl kern.lwp.
 * Everything is static: one test, one file.
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
#include <fcntl.h>
#include <lwp.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "h_lwp.h"	/* h_ncpus, h_lwp_info, h_lwp_count, h_until */

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

/* Pin thread t to CPU k (k < 0: anywhere again). */
static inline void
h_pin(pthread_t t, int k)
{
	RL(h_pin_pthread(t, k));
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

/* Is LWP lid asleep with wait message wmesg? */
static inline bool
h_lwp_sleeps(lwpid_t lid, const char *wmesg)
{
	struct kinfo_lwp kl;

	return h_lwp_info(lid, &kl) && kl.l_stat == LSSLEEP &&
	    strncmp(kl.l_wmesg, wmesg, sizeof(kl.l_wmesg)) == 0;
}

#ifdef SEM_FAILED	/* <semaphore.h> included first */
/* A named semaphore at `value` that only we have: made anew (an earlier
 * run's is unlinked first), its name unlinked at once. */
static inline sem_t *
h_sem_open_unlinked(const char *name, unsigned value)
{
	sem_t *s;

	(void)sem_unlink(name);
	ATF_REQUIRE_MSG((s = sem_open(name, O_CREAT | O_EXCL, 0600, value)) !=
	    SEM_FAILED, "sem_open %s: %s", name, strerror(errno));
	RL(sem_unlink(name));
	return s;
}
#endif

#endif /* !_H_PTHREAD_H_ */
