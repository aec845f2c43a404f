/*
 * lwpbench [N]: what the basic LWP operations cost, in TSC cycles.
 *
 *	null-syscall        a system call that does nothing (_lwp_self)
 *	create-exit-wait    _lwp_create + the new LWP's _lwp_exit +
 *	                    _lwp_wait, one LWP at a time (the context
 *	                    is made once, outside the timing)
 *	park-pingpong-1cpu  a round trip between two LWPs on one CPU: each
 *	                    wakes the other with _lwp_park's unpark
 *	                    argument and parks (two switches, two calls)
 *	park-pingpong-2cpu  the same with the LWPs on CPUs 0 and 1
 *	sched_yield         sched_yield with nothing else to run
 *	signal-roundtrip    kill(2) of a caught signal to ourselves: the
 *	                    handler runs and returns (sigreturn/setcontext)
 *	fork-exit-wait      fork, the child's _exit(0), waitpid: a tenth
 *	                    of N samples (at least 10), each one process
 *
 * and the same through POSIX threads (libpthread here, the host's on
 * Linux):
 *
 *	mutex-uncontended   pthread_mutex_lock + pthread_mutex_unlock of a
 *	                    free mutex (no system call either side)
 *	mutex-handoff-1cpu  a round trip of a contended mutex: the main
 *	                    thread unlocks a mutex the partner is blocked
 *	                    on, then blocks on one the partner holds,
 *	                    until the partner unlocks it (three mutexes
 *	                    passed around a ring: see bench_handoff)
 *	mutex-handoff-2cpu  the same with the partner on CPU 1
 *	pthread-create-join pthread_create + the thread's return +
 *	                    pthread_join
 *
 * Each workload is timed N times (default 1000; the three cheap ones 100
 * at a time, divided) and reported as the minimum and the median, e.g.
 * (SMP=2, under -icount):
 *
 *	lwpbench: null-syscall        min      160  median      160 cycles/op
 *	lwpbench: park-pingpong-1cpu  min     4845  median     4845 cycles/op
 *
 * Everything runs pinned to CPU 0 (the new LWPs inherit that), but the
 * partner of the 2-CPU workloads, which is moved to CPU 1.  On lwpkern
 * the POSIX-threads workloads come last: the raw LWPs of the others
 * have no thread block, which errno needs once libpthread has started
 * (see <errno.h>).
 *
 * Run it:	SMP=2 tools/run-user user/bin/lwpbench.c -- 1000
 *		SMP=2 QEMU_EXTRA="-icount shift=0,sleep=off" \
 *		    tools/run-user user/bin/lwpbench.c
 *		tools/bench-user	(both of those, with bench)
 * or "lwpbench" from the shell in `make qemu SMP=2`.
 *
 * Under QEMU's -icount shift=0 the TSC advances by one per guest
 * instruction, so the figures become exact path lengths in
 * instructions.  (With several CPUs, icount runs them in turns and
 * counts everybody's instructions, idle loops included: the 2-CPU
 * figure is then not one LWP's path.)
 *
 * The same source builds on Linux with POSIX threads for comparison
 * (tools/lwpbench-linux: gcc -O2 -pthread -Iuser/common, the last for
 * h_user.h): syscall(SYS_getpid), pthread_create + pthread_join, a
 * futex ping-pong pinned with pthread_setaffinity_np, sched_yield.  A
 * futex handoff is a wake call and a wait call where _lwp_park does
 * both in one, so compare whole round trips, not system calls.
 * tools/bench-linux runs that build (static) on Debian's Linux kernel in
 * our QEMU machine under -icount, beside ours: instructions both sides.
 *
 * Exits 0 on success, 1 if any call fails unexpectedly, 2 on usage.
 */
/*
 * The lwpkern build uses the host's compiler, which says __linux__ too,
 * but -ffreestanding: a hosted Linux compile is the Linux build.
 */
#if defined(__linux__) && __STDC_HOSTED__
#define LINUX_HOST	1
#endif

#ifdef LINUX_HOST
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#else
#include <lwp.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#endif
#include <sys/wait.h>
#include <errno.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h_user.h"	/* h_tsc, h_sort_u64; on lwpkern h_pin_lwp/pthread */

#define DEFAULT_N	1000
#define MAX_N		1000000
#define BATCH		100	/* cheap calls: timed this many at once */
#define PP_STOP		(-1)	/* ping value: partner, return */

/* ---- what differs between lwpkern and Linux ------------------------ */

static int cpu_a, cpu_b;	/* the two CPUs used (b: -1 if none) */
static int ncpu;

#ifdef LINUX_HOST
#define OSNAME		"linux"
#define HOW		"syscall(SYS_getpid); pthread_create+join; " \
			"futex wake+wait; the C library's POSIX threads"
#define UNITS		"TSC " H_TSC_UNIT
typedef pthread_t thr_t;

static void
null_syscall(void)
{
	(void)syscall(SYS_getpid);
}

/* The first two CPUs we may run on (a container may not offer 0, 1). */
static int
find_cpus(void)
{
	cpu_set_t set;
	int i;

	if (sched_getaffinity(0, sizeof(set), &set) == -1)
		return -1;
	ncpu = CPU_COUNT(&set);
	cpu_a = cpu_b = -1;
	for (i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &set))
			continue;
		if (cpu_a == -1)
			cpu_a = i;
		else if (cpu_b == -1)
			cpu_b = i;
	}
	return 0;
}

/* pthread calls return the error instead of setting errno. */
static int
pin(pthread_t t, int cpu)
{
	cpu_set_t set;
	int error;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if ((error = pthread_setaffinity_np(t, sizeof(set), &set)) != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

static int
pin_self(int cpu)
{
	return pin(pthread_self(), cpu);
}

static int
pin_pthread(pthread_t t, int cpu)
{
	return pin(t, cpu);
}

/* A pthread's function returns a value; ours do not. */
static struct {
	void	(*fn)(void *);
	void	*arg;
} start;

static void *
starter(void *unused)
{
	start.fn(start.arg);
	return NULL;
}

/* One thread at a time is being started here: `start` is not reused
 * before the new thread has read it (it is joined, or has pinged). */
static int
thr_create(thr_t *t, void (*fn)(void *), void *arg)
{
	int error;

	start.fn = fn;
	start.arg = arg;
	if ((error = pthread_create(t, NULL, starter, NULL)) != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

static int
thr_join(thr_t t)
{
	int error;

	if ((error = pthread_join(t, NULL)) != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

static thr_t
thr_self(void)
{
	return pthread_self();
}

static long
futex(volatile int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/*
 * Tell the peer that *wakeword changed (NULL: nobody to tell), then
 * wait until *waitword is no longer waitval.
 */
static int
handoff(thr_t peer, volatile int *wakeword, volatile int *waitword,
    int waitval)
{
	if (wakeword != NULL &&
	    futex(wakeword, FUTEX_WAKE_PRIVATE, 1) == -1)
		return -1;
	while (__atomic_load_n(waitword, __ATOMIC_ACQUIRE) == waitval)
		if (futex(waitword, FUTEX_WAIT_PRIVATE, waitval) == -1 &&
		    errno != EAGAIN && errno != EINTR)
			return -1;
	return 0;
}

/* Wake the peer without waiting. */
static int
poke(thr_t peer, volatile int *wakeword)
{
	return futex(wakeword, FUTEX_WAKE_PRIVATE, 1) == -1 ? -1 : 0;
}

#else /* lwpkern */

#define OSNAME		"lwpkern"
#define HOW		"_lwp_self; _lwp_create+exit+wait; " \
			"_lwp_park with unpark; libpthread"
#define UNITS		\
	"TSC cycles (= guest instructions under QEMU -icount)"
#define STACKSIZE	65536
typedef lwpid_t thr_t;

/* One stack per LWP alive at a time: the create loop's, the partner's. */
static char stacks[2][STACKSIZE] __aligned(16);

static void
null_syscall(void)
{
	(void)_lwp_self();
}

static int
find_cpus(void)
{
	if ((ncpu = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
		return -1;
	cpu_a = 0;
	cpu_b = ncpu > 1 ? 1 : -1;
	return 0;
}

static int
pin(thr_t t, int cpu)
{
	return h_pin_lwp(t, cpu);
}

static int
pin_self(int cpu)
{
	return h_pin_lwp(_lwp_self(), cpu);
}

static int
pin_pthread(pthread_t t, int cpu)
{
	return h_pin_pthread(t, cpu);
}

static int
thr_create(thr_t *t, void (*fn)(void *), void *arg)
{
	ucontext_t uc;

	/* Returning from fn is _lwp_exit (see _lwp_makecontext). */
	_lwp_makecontext(&uc, fn, arg, NULL, stacks[1], STACKSIZE);
	return _lwp_create(&uc, 0, t);
}

static int
thr_join(thr_t t)
{
	return _lwp_wait(t, NULL);
}

static thr_t
thr_self(void)
{
	return _lwp_self();
}

/*
 * Unpark peer (0: nobody), then park until *waitword is no longer
 * waitval.  Park returns 0 when unparked, or EALREADY when the unpark
 * came first (it was recorded, nothing is lost): either way, look
 * again.  EINTR is a spurious wakeup; anything else is an error.
 */
static int
handoff(thr_t peer, volatile int *wakeword, volatile int *waitword,
    int waitval)
{
	while (__atomic_load_n(waitword, __ATOMIC_ACQUIRE) == waitval) {
		if (_lwp_park(CLOCK_MONOTONIC, 0, NULL, peer, NULL,
		    NULL) == -1 && errno != EALREADY && errno != EINTR)
			return -1;
		peer = 0;
	}
	return 0;
}

static int
poke(thr_t peer, volatile int *wakeword)
{
	return _lwp_unpark(peer, NULL);
}
#endif /* lwpkern */

/* ---- measuring and reporting ------------------------------------------ */

static uint64_t *samples;
static int nsamples;
static int failed;

static void
report(const char *what)
{
	h_sort_u64(samples, nsamples);
	printf("lwpbench: %-19s min %8llu  median %8llu %s/op\n", what,
	    (unsigned long long)samples[0],
	    (unsigned long long)samples[nsamples / 2], H_TSC_UNIT);
}

static void
fail(const char *what)
{
	printf("lwpbench: %s: %s\n", what, strerror(errno));
	failed = 1;
}

/* (a) and (e): BATCH calls per sample. */
static void
bench_null(void)
{
	uint64_t t;
	int i, j;

	for (i = 0; i < nsamples; i++) {
		t = h_tsc();
		for (j = 0; j < BATCH; j++)
			null_syscall();
		samples[i] = (h_tsc() - t) / BATCH;
	}
	report("null-syscall");
}

static void
bench_yield(void)
{
	uint64_t t;
	int i, j;

	for (i = 0; i < nsamples; i++) {
		t = h_tsc();
		for (j = 0; j < BATCH; j++)
			if (sched_yield() == -1) {
				fail("sched_yield");
				return;
			}
		samples[i] = (h_tsc() - t) / BATCH;
	}
	report("sched_yield");
}

/* A signal to ourselves and back: kill(2) posts it, the return from
 * kill delivers it (a frame on the stack, the handler), and the
 * handler's return goes through the trampoline and setcontext(2). */
static volatile int sig_count;

static void
sig_handler(int sig)
{
	sig_count++;
}

static void
bench_signal(void)
{
	struct sigaction sa;
	pid_t self = getpid();
	uint64_t t;
	int i, j;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_handler;
	if (sigaction(SIGUSR1, &sa, NULL) == -1) {
		fail("sigaction");
		return;
	}
	sig_count = 0;
	for (i = 0; i < nsamples; i++) {
		t = h_tsc();
		for (j = 0; j < BATCH; j++)
			if (kill(self, SIGUSR1) == -1) {
				fail("kill");
				return;
			}
		samples[i] = (h_tsc() - t) / BATCH;
	}
	if (sig_count != nsamples * BATCH) {
		printf("lwpbench: signal-roundtrip: %d of %d handled\n",
		    sig_count, nsamples * BATCH);
		failed = 1;
		return;
	}
	report("signal-roundtrip");
}

/* (b): the new thread returns at once. */
static void
nothing(void *arg)
{
}

static void
bench_create(void)
{
	uint64_t t;
	thr_t tid;
	int i;

#ifndef LINUX_HOST
	ucontext_t uc;

	/* The context once: the loop times the system calls alone. */
	_lwp_makecontext(&uc, nothing, NULL, NULL, stacks[0], STACKSIZE);
#endif
	for (i = 0; i < nsamples; i++) {
		t = h_tsc();
#ifdef LINUX_HOST
		if (thr_create(&tid, nothing, NULL) == -1) {
#else
		if (_lwp_create(&uc, 0, &tid) == -1) {
#endif
			fail("create");
			return;
		}
		if (thr_join(tid) == -1) {
			fail("wait");
			return;
		}
		samples[i] = h_tsc() - t;
	}
	report("create-exit-wait");
}

/*
 * (c) and (d): the main thread (A) writes ping = k and hands off to the
 * partner (B), which copies ping into pong and hands back.  One sample
 * is one round trip, timed by A.  The words say what happened, so a
 * wakeup that comes early or twice is harmless: each side waits in a
 * loop until the other's word changes.
 */
static volatile int ping, pong;
static volatile int pp_errno;	/* B's failure, for A to report */
static thr_t pp_a;

static void
partner(void *arg)
{
	int seen = 0;

	if (handoff(0, NULL, &ping, 0) == -1)	/* the first ping */
		goto bad;
	for (;;) {
		seen = __atomic_load_n(&ping, __ATOMIC_ACQUIRE);
		__atomic_store_n(&pong, seen, __ATOMIC_RELEASE);
		if (seen == PP_STOP)
			return;
		if (handoff(pp_a, &pong, &ping, seen) == -1)
			goto bad;
	}
bad:
	/* No printf here: libc is not thread-safe.  Free A and go. */
	pp_errno = errno != 0 ? errno : EIO;
	__atomic_store_n(&pong, __atomic_load_n(&ping, __ATOMIC_ACQUIRE),
	    __ATOMIC_RELEASE);
	(void)poke(pp_a, &pong);
}

static void
bench_pingpong(int cross)
{
	const char *what = cross ? "park-pingpong-2cpu" :
	    "park-pingpong-1cpu";
	int i, k = 0, warm = nsamples / 10 + 10;
	uint64_t t;
	thr_t b;

	if (cross && cpu_b == -1) {
		printf("lwpbench: %-19s skipped: only one CPU\n", what);
		return;
	}
	ping = pong = 0;
	pp_errno = 0;
	pp_a = thr_self();
	if (thr_create(&b, partner, NULL) == -1) {
		fail("create partner");
		return;
	}
	if (cross && pin(b, cpu_b) == -1) {
		fail("pin partner");
		/* It waits for its first ping: tell it to stop. */
		__atomic_store_n(&ping, PP_STOP, __ATOMIC_RELEASE);
		(void)poke(b, &ping);
		(void)thr_join(b);
		return;
	}
	for (i = -warm; i < nsamples && pp_errno == 0; i++) {
		k++;
		t = h_tsc();
		__atomic_store_n(&ping, k, __ATOMIC_RELEASE);
		if (handoff(b, &ping, &pong, k - 1) == -1)
			break;
		if (i >= 0)
			samples[i] = h_tsc() - t;
	}
	if (i < nsamples && pp_errno == 0)
		fail("handoff");
	if (pp_errno != 0) {
		errno = pp_errno;
		fail("partner's handoff");
	} else {
		__atomic_store_n(&ping, PP_STOP, __ATOMIC_RELEASE);
		if (poke(b, &ping) == -1)
			fail("stop partner");
	}
	if (thr_join(b) == -1)
		fail("wait for partner");
	if (i == nsamples && pp_errno == 0)
		report(what);
}

/* ---- the same through POSIX threads ------------------------------------ */

/* pthread calls return the error: as errno, for fail(). */
static int
pt(int error)
{
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

/* (f): BATCH lock+unlock pairs per sample. */
static void
bench_mutex(void)
{
	static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	uint64_t t;
	int i, j;

	for (i = 0; i < nsamples; i++) {
		t = h_tsc();
		for (j = 0; j < BATCH; j++)
			if (pthread_mutex_lock(&m) != 0 ||
			    pthread_mutex_unlock(&m) != 0) {
				fail("mutex lock/unlock");
				return;
			}
		samples[i] = (h_tsc() - t) / BATCH;
	}
	report("mutex-uncontended");
}

/*
 * (g) and (h): a contended mutex handed back and forth.  Three mutexes
 * make a ring: A holds two of them and B one, and each step a thread
 * unlocks the mutex the other is blocked on, then locks one the other
 * holds (A: unlock m[k], lock m[k+2]; B: unlock m[j+2], lock m[j+1],
 * indices mod 3).  Every lock call therefore waits for the other
 * thread's unlock: one step of A is two hand-offs, A to B and back.
 * B checks `relay_stop` each time it gets a mutex.
 */
static pthread_mutex_t relay[3] = {
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_MUTEX_INITIALIZER
};
static volatile int relay_ready, relay_stop, relay_err;

static void *
relay_partner(void *arg)
{
	int j, error;

	if ((error = pthread_mutex_lock(&relay[2])) != 0)
		goto bad;
	__atomic_store_n(&relay_ready, 1, __ATOMIC_RELEASE);
	if ((error = pthread_mutex_lock(&relay[0])) != 0)
		goto bad;
	/* Holding m[j+2] and m[j]. */
	for (j = 0;; j++) {
		if (__atomic_load_n(&relay_stop, __ATOMIC_ACQUIRE)) {
			(void)pthread_mutex_unlock(&relay[(j + 2) % 3]);
			(void)pthread_mutex_unlock(&relay[j % 3]);
			return NULL;
		}
		if ((error = pthread_mutex_unlock(&relay[(j + 2) % 3])) != 0 ||
		    (error = pthread_mutex_lock(&relay[(j + 1) % 3])) != 0)
			goto bad;
	}
bad:
	/* No way to tell A but this: it will find out at the join. */
	__atomic_store_n(&relay_err, error, __ATOMIC_RELEASE);
	return NULL;
}

static void
bench_handoff(int cross)
{
	const char *what = cross ? "mutex-handoff-2cpu" : "mutex-handoff-1cpu";
	int i, k, warm = nsamples / 10 + 10;
	pthread_t b;
	uint64_t t;

	if (cross && cpu_b == -1) {
		printf("lwpbench: %-19s skipped: only one CPU\n", what);
		return;
	}
	relay_ready = relay_stop = relay_err = 0;
	if (pt(pthread_mutex_lock(&relay[0])) == -1 ||
	    pt(pthread_mutex_lock(&relay[1])) == -1) {
		fail("relay lock");
		return;
	}
	if (pt(pthread_create(&b, NULL, relay_partner, NULL)) == -1) {
		fail("create partner");
		return;
	}
	if (cross && pin_pthread(b, cpu_b) == -1)
		fail("pin partner");
	/* Sleep, not spin: under -icount the CPUs run in turns, and the
	 * partner's CPU may get none while ours never idles. */
	while (!__atomic_load_n(&relay_ready, __ATOMIC_ACQUIRE)) {
		struct timespec ts = { 0, 1000000 };

		(void)nanosleep(&ts, NULL);
	}
	/* Holding m[k] and m[k+1]. */
	for (i = -warm, k = 0; i < nsamples; i++, k++) {
		t = h_tsc();
		if (pt(pthread_mutex_unlock(&relay[k % 3])) == -1 ||
		    pt(pthread_mutex_lock(&relay[(k + 2) % 3])) == -1) {
			fail("relay step");
			break;
		}
		if (i >= 0)
			samples[i] = h_tsc() - t;
	}
	__atomic_store_n(&relay_stop, 1, __ATOMIC_RELEASE);
	(void)pthread_mutex_unlock(&relay[k % 3]);
	(void)pthread_mutex_unlock(&relay[(k + 1) % 3]);
	if (pt(pthread_join(b, NULL)) == -1)
		fail("join partner");
	if (relay_err != 0) {
		errno = relay_err;
		fail("partner's lock/unlock");
	} else if (i == nsamples)
		report(what);
}

/* (i): the new thread returns at once. */
static void *
nothing_pt(void *arg)
{
	return arg;
}

static void
bench_pthread_create(void)
{
	pthread_t tid;
	uint64_t t;
	int i;

	for (i = 0; i < nsamples; i++) {
		t = h_tsc();
		if (pt(pthread_create(&tid, NULL, nothing_pt, NULL)) == -1) {
			fail("pthread_create");
			return;
		}
		if (pt(pthread_join(tid, NULL)) == -1) {
			fail("pthread_join");
			return;
		}
		samples[i] = h_tsc() - t;
	}
	report("pthread-create-join");
}

/* A whole process's life: fork (a copy of this one's address space),
 * the child's _exit, the parent's waitpid.  Fewer samples: each is a
 * few hundred thousand instructions. */
static void
bench_fork(void)
{
	int all = nsamples, i, status;
	uint64_t t;
	pid_t pid;

	nsamples = all / 10 < 10 ? (all < 10 ? all : 10) : all / 10;
	for (i = 0; i < nsamples; i++) {
		t = h_tsc();
		if ((pid = fork()) == -1) {
			fail("fork");
			break;
		}
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fail("waitpid");
			break;
		}
		samples[i] = h_tsc() - t;
	}
	if (i == nsamples)
		report("fork-exit-wait");
	nsamples = all;
}

int
main(int argc, char **argv)
{
	char *end;
	long n = DEFAULT_N;

	if (argc > 2 || (argc == 2 && ((n = strtol(argv[1], &end, 10)) < 1 ||
	    n > MAX_N || *end != '\0'))) {
		fprintf(stderr, "usage: lwpbench [N (1-%d, default %d)]\n",
		    MAX_N, DEFAULT_N);
		return 2;
	}
	nsamples = n;
	if ((samples = malloc(nsamples * sizeof(*samples))) == NULL) {
		perror("lwpbench: malloc");
		return 1;
	}
	if (find_cpus() == -1) {
		perror("lwpbench: number of CPUs");
		return 1;
	}
	printf("lwpbench: %s, %d CPU%s, %d samples per workload\n",
	    OSNAME, ncpu, ncpu == 1 ? "" : "s", nsamples);
	printf("lwpbench: unit: %s\n", UNITS);
	printf("lwpbench: calls: %s\n", HOW);
	/* Everybody on one CPU, the same one every time. */
	if (pin_self(cpu_a) == -1) {
		perror("lwpbench: pin to the first CPU");
		return 1;
	}
	fflush(stdout);

	bench_null();
	bench_create();
	bench_pingpong(0);
	bench_pingpong(1);
	bench_yield();
	bench_signal();
	bench_fork();
	/* POSIX threads, last (see the top). */
	bench_mutex();
	bench_handoff(0);
	bench_handoff(1);
	bench_pthread_create();
	return failed;
}
