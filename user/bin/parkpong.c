/*
 * parkpong [N]: two LWPs of one process pass a ball back and forth N
 * times (default 1000) with _lwp_park and _lwp_unpark, first both on
 * CPU 0, then on CPUs 0 and 1, and print what a round trip costs in
 * TSC cycles (guest instructions under QEMU's -icount shift=0):
 *
 *	parkpong: 2 CPUs, 1000 round trips per run (after 110 to warm up)
 *	parkpong: round trips in TSC cycles
 *	parkpong: same CPU (0, 0)   min 4890  median 4890  EALREADY A 0, B 1
 *	parkpong: other CPUs (0, 1) min 6792  median 6792  EALREADY A 0, B 1
 *
 * (SMP=2 under -icount.)  B's one EALREADY: A unparks B before B has
 * first parked; B finds the ball already odd, so it does not park then,
 * and its next park returns at once on that remembered unpark.
 *
 * Run it:	SMP=2 tools/run-user user/bin/parkpong.c -- 1000
 * or "parkpong" from the shell in `make qemu SMP=2`.
 * Exits 0 on success, 1 on any unexpected error (an LWP found on a CPU
 * its affinity forbids counts as one), 2 on usage.
 *
 * Parking, for students
 * ---------------------
 * _lwp_park(clock, flags, ts, unpark, hint, unparkhint) puts the
 * calling LWP to sleep until one of these happens:
 *
 *   - another LWP of the process calls _lwp_unpark(lid, hint) for it:
 *     park returns 0;
 *   - the time ts runs out (NULL: never; relative, or absolute with
 *     flags TIMER_ABSTIME): -1, ETIMEDOUT;
 *   - something interrupts the sleep (_lwp_wakeup, a suspension):
 *     -1, EINTR.
 *
 * An unpark is never lost.  If the target is not parked at that moment
 * (it is still on its way to _lwp_park), the unpark is remembered, and
 * the target's next park returns at once with -1, EALREADY: "you were
 * unparked before you parked".  That is a successful wakeup, not an
 * error.  Without this rule, "B unparks A just before A parks" would
 * leave A asleep forever: the classic lost wakeup.
 *
 * What is remembered is one flag, not a count, and a park can end
 * early (a flag left over from an earlier round, EINTR).  So a park
 * never means "the thing I wait for has happened".  Keep the real state
 * in memory -- here the ball: A owns it when it is even, B when it is
 * odd -- and park in a loop until the state says go:
 *
 *	while (ball is not mine)
 *		_lwp_park(...);
 *
 * This is how NetBSD's libpthread builds mutexes and condition
 * variables on top of these two calls.
 *
 * The `unpark` argument of _lwp_park wakes that LWP first and then
 * parks, in one system call: "here is the ball, wake me when it comes
 * back".  That saves a system call per hand-off (if the unpark fails,
 * e.g. ESRCH, the call returns without parking).  The hints are a
 * NetBSD optimization that lwpkern, like NetBSD since 8, ignores: pass
 * NULL.
 *
 * To watch it in gdb: break sys____lwp_park60, lwp_unpark1 and
 * sleepq_block; `info lwps` shows a parked LWP as SLEEP, wchan=parked.
 */
#include <sys/lwpctl.h>
#include <errno.h>
#include <lwp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "h_user.h"		/* h_tsc, h_sort_u64, h_pin_lwp */

#define DEFAULT_N	1000
#define MAX_N		1000000
#define STACKSIZE	65536

static char stack[STACKSIZE] __aligned(16);	/* B's */

/*
 * Shared between A (main) and B.  Each counter has one writer; the
 * ball goes up by one at each hand-off.  errno is one variable for the
 * whole process, so B reports its failure through b_errno.
 */
static volatile int ball;	/* even: A's turn; odd: B's */
static volatile int stop;	/* A to B: return */
static volatile int b_errno;	/* B's failure, or 0 */
static lwpid_t lid_a, lid_b;
static int b_cpu;		/* the CPU B must run on */
static int a_ealready, b_ealready;	/* parks that found an unpark */
static int a_wrongcpu, b_wrongcpu;	/* turns on a forbidden CPU */

static int
mine(int parity)
{
	return (__atomic_load_n(&ball, __ATOMIC_ACQUIRE) & 1) == parity;
}

/*
 * Wake `other` (0: nobody), then park until the ball has parity
 * `parity` (or until B is told to stop, or has failed).  -1 on a real
 * error (errno).
 */
static int
handoff(lwpid_t other, int parity, int *ealready)
{
	while (!mine(parity) && !stop && !b_errno) {
		if (_lwp_park(CLOCK_MONOTONIC, 0, NULL, other, NULL,
		    NULL) == -1) {
			if (errno == EALREADY)
				(*ealready)++;	/* unparked first: fine */
			else if (errno != EINTR)
				return -1;
		}
		other = 0;		/* it has been unparked once */
	}
	return 0;
}

/* B: each time the ball is odd, make it even and hand it back. */
static void
player_b(void *arg)
{
	struct lwpctl *lc;

	if (_lwp_ctl(LWPCTL_FEATURE_CURCPU, &lc) == -1)
		goto bad;
	if (handoff(0, 1, &b_ealready) == -1)
		goto bad;
	while (!stop) {
		if (lc->lc_curcpu != b_cpu)
			b_wrongcpu++;
		__atomic_store_n(&ball, ball + 1, __ATOMIC_RELEASE);
		if (handoff(lid_a, 1, &b_ealready) == -1)
			goto bad;
	}
	return;				/* into _lwp_exit */
bad:
	/* No printf here: libc's stdio is not thread-safe.  Free A. */
	b_errno = errno != 0 ? errno : EIO;
	(void)_lwp_unpark(lid_a, NULL);
}

/* One run: B on CPU cpu, n round trips timed by A (on CPU 0). */
static int
run(const char *what, int cpu, uint64_t *rt, int n, int warm)
{
	struct lwpctl *lc;
	ucontext_t uc;
	uint64_t t;
	int i, error = 0;

	ball = stop = b_errno = 0;
	a_ealready = b_ealready = a_wrongcpu = b_wrongcpu = 0;
	b_cpu = cpu;
	if (_lwp_ctl(LWPCTL_FEATURE_CURCPU, &lc) == -1) {
		perror("parkpong: _lwp_ctl");
		return -1;
	}
	_lwp_makecontext(&uc, player_b, NULL, NULL, stack, sizeof(stack));
	if (_lwp_create(&uc, 0, &lid_b) == -1) {
		perror("parkpong: _lwp_create");
		return -1;
	}
	/* B inherited our affinity (CPU 0); move it if asked to. */
	if (cpu != 0 && h_pin_lwp(lid_b, cpu) == -1) {
		perror("parkpong: _sched_setaffinity B");
		error = -1;
		n = warm = 0;		/* only stop B */
	}
	for (i = -warm; i < n; i++) {
		t = h_tsc();
		__atomic_store_n(&ball, ball + 1, __ATOMIC_RELEASE);
		if (handoff(lid_b, 0, &a_ealready) == -1) {
			perror("parkpong: A's _lwp_park");
			error = -1;
			break;
		}
		if (i >= 0)
			rt[i] = h_tsc() - t;
		if (lc->lc_curcpu != 0)
			a_wrongcpu++;
		if (b_errno != 0)
			break;
	}
	stop = 1;
	if (b_errno == 0 && _lwp_unpark(lid_b, NULL) == -1) {
		perror("parkpong: _lwp_unpark B");
		error = -1;
	}
	if (_lwp_wait(lid_b, NULL) == -1) {
		perror("parkpong: _lwp_wait");
		return -1;
	}
	if (b_errno != 0) {
		printf("parkpong: B failed: %s\n", strerror(b_errno));
		return -1;
	}
	if (error != 0)
		return -1;

	h_sort_u64(rt, n);
	printf("parkpong: %-18s min %llu  median %llu  "
	    "EALREADY A %d, B %d\n", what, (unsigned long long)rt[0],
	    (unsigned long long)rt[n / 2], a_ealready, b_ealready);
	if (a_wrongcpu + b_wrongcpu != 0) {
		printf("parkpong: affinity broken: A off CPU 0 %d times, "
		    "B off CPU %d %d times\n", a_wrongcpu, cpu, b_wrongcpu);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	uint64_t *rt;
	char *end;
	long n = DEFAULT_N;
	int ncpu, warm, error = 0;

	if (argc > 2 || (argc == 2 && ((n = strtol(argv[1], &end, 10)) < 1 ||
	    n > MAX_N || *end != '\0'))) {
		fprintf(stderr, "usage: parkpong [N (1-%d, default %d)]\n",
		    MAX_N, DEFAULT_N);
		return 2;
	}
	warm = n / 10 + 10;
	if ((ncpu = sysconf(_SC_NPROCESSORS_ONLN)) < 1 ||
	    (rt = malloc(n * sizeof(*rt))) == NULL) {
		perror("parkpong: sysconf/malloc");
		return 1;
	}
	lid_a = _lwp_self();
	printf("parkpong: %d CPU%s, %ld round trips per run (after %d to "
	    "warm up)\n", ncpu, ncpu == 1 ? "" : "s", n, warm);
	printf("parkpong: round trips in TSC cycles\n");
	fflush(stdout);		/* B never calls stdio, but be tidy */

	/* The whole process on CPU 0: LWPs created later inherit it. */
	if (h_pin_lwp(0, 0) == -1) {
		perror("parkpong: sched_setaffinity");
		return 1;
	}
	if (run("same CPU (0, 0)", 0, rt, n, warm) == -1)
		error = 1;
	if (ncpu < 2)
		printf("parkpong: other CPUs: skipped, only one CPU\n");
	else if (run("other CPUs (0, 1)", 1, rt, n, warm) == -1)
		error = 1;
	free(rt);
	return error;
}
