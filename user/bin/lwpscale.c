/*
 * lwpscale [-s SAMPLES] [N ...]: what LWP operations cost with N LWPs
 * alive in the process, in TSC cycles (guest instructions under QEMU's
 * -icount shift=0), to see that they do not grow with N.  For each N
 * (default 1000 and 10000) it makes N - 1 LWPs besides itself, each
 * parked (_lwp_park) on a stack of its own, then times SAMPLES (default
 * 1000) of each:
 *
 *	create-exit-wait   _lwp_create + the new LWP's _lwp_exit +
 *	                   _lwp_wait for it by name (lwpbench's workload)
 *	create             _lwp_create alone (LWP_SUSPENDED; continued
 *	                   and collected after the clock is read)
 *	find               _lwp_kill(lid, 0) of a background LWP, chosen
 *	                   at random: the system call finds the LWP by id
 *	                   (lwp_find) and does nothing else
 *	unpark             _lwp_unpark of a background LWP at random:
 *	                   found, taken off its sleep queue and made
 *	                   runnable (it parks again, untimed; one that
 *	                   has not yet parked again gets LW_UNPARKED)
 *	wait-by-name       _lwp_wait(lid) collecting an LWP just made
 *	                   that has exited (found in the lid hash)
 *	wait-any-new       _lwp_wait(0) collecting an LWP just made that
 *	                   has exited, the others alive: the scan of the
 *	                   process's LWPs (kern_lwpexit.c, lwp_wait1) finds
 *	                   it first, the newest being first
 *	wait-any-old       the same for one of the oldest LWPs (a background
 *	                   one, told to exit): the scan passes every newer
 *	                   LWP, O(N) by design, shown for comparison
 *	kern.lwp           what ps does: the whole LWP table (sysctl
 *	                   kern.lwp), per LWP in it (5 samples)
 *	kern.lwp sort      and then sorted by process and lid
 *	                   (kinfo_lwp_sort)
 *	process-exit       a child process with N LWPs (N - 1 suspended)
 *	                   exits: from its exit() to its parent's waitpid
 *	                   returning, per LWP (5 samples: it is long)
 *
 * and reports the minimum and the median, e.g. (SMP=1, -icount):
 *
 *	lwpscale: N=1000  create-exit-wait min ...  median ... cycles/op
 *
 * lwpscale -hold N makes N - 1 parked LWPs (each on a stack of its
 * own), says so, and waits for a signal: for looking at a process with
 * many LWPs from the shell (`lwpscale -hold 10000 &`, then `ps`).
 *
 * Run it (10 000 LWPs need MEM=512M; docs/lwp.md, "How many LWPs"):
 *	MEM=512M QEMU_EXTRA="-icount shift=0,sleep=off" \
 *	    tools/run-user user/bin/lwpscale.c
 * or `lwpscale 1000 10000` from the shell in `make qemu MEM=512M`.
 * Exits 0 on success, 1 if a call fails, 2 on usage.
 */
#include <sys/lwp.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <errno.h>
#include <kinfo.h>
#include <lwp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "h_user.h"	/* h_tsc, h_sort_u64 */

#define MAX_LWPS	65536
#define BG_STACK	2048
#define STACKSIZE	16384

static char stack[STACKSIZE] __attribute__((aligned(16)));
/* The background LWPs: bg[bg0 .. nbg) alive, parked, LWP i on
 * bgstacks + i * BG_STACK, parking until bgquit[i]. */
static lwpid_t *bg;
static volatile int *bgquit;
static char *bgstacks;
static int bg0, nbg;
static volatile int bgready;
static uint64_t *samples;
static int nsamples = 1000;
static unsigned int seed = 1;

static void
usage(void)
{
	fprintf(stderr, "usage: lwpscale [-s SAMPLES] [N ...] | "
	    "lwpscale -hold N\n");
	exit(2);
}

static __dead void
fail(const char *what)
{
	printf("lwpscale: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A number from 2 to MAX_LWPS, or usage. */
static int
count(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || n < 2 || n > MAX_LWPS)
		usage();
	return (int)n;
}

static int
pick(void)
{
	seed = seed * 1103515245 + 12345;
	return bg0 + (seed >> 8) % (nbg - bg0);
}

static void
report(int n, const char *what)
{
	h_sort_u64(samples, nsamples);
	printf("lwpscale: N=%-6d %-17s min %8llu  median %8llu %s/op\n", n,
	    what, (unsigned long long)samples[0],
	    (unsigned long long)samples[nsamples / 2], H_TSC_UNIT);
}

static void
nothing(void *arg)
{
}

/* A background LWP: say so, then park until told to quit. */
static void
bg_parker(void *arg)
{
	volatile int *quit = arg;

	__atomic_fetch_add(&bgready, 1, __ATOMIC_ACQ_REL);
	while (!*quit)
		_lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, NULL, NULL);
}

/* Background LWPs up to n in all (ourselves included), each parked
 * once this returns. */
static void
grow_to(int n)
{
	ucontext_t uc;

	if (bg == NULL && ((bg = malloc(MAX_LWPS * sizeof(*bg))) == NULL ||
	    (bgquit = calloc(MAX_LWPS, sizeof(*bgquit))) == NULL ||
	    (bgstacks = mmap(NULL, (size_t)MAX_LWPS * BG_STACK,
	    PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0)) ==
	    MAP_FAILED))
		fail("memory for the background LWPs");
	for (; nbg - bg0 < n - 1; nbg++) {
		if (nbg == MAX_LWPS)
			fail("too many background LWPs");
		_lwp_makecontext(&uc, bg_parker, (void *)&bgquit[nbg], NULL,
		    bgstacks + (size_t)nbg * BG_STACK, BG_STACK);
		if (_lwp_create(&uc, 0, &bg[nbg]) == -1)
			fail("background _lwp_create");
	}
	while (__atomic_load_n(&bgready, __ATOMIC_ACQUIRE) < nbg)
		sched_yield();
}

/* lwp_kill(lid, 0) and _lwp_unpark(lid): the calls timed on a
 * background LWP. */
static int
find_lwp(lwpid_t lid)
{
	return _lwp_kill(lid, 0);
}

static int
unpark_lwp(lwpid_t lid)
{
	return _lwp_unpark(lid, NULL);
}

/* nsamples of call(lid), each on a background LWP chosen at random. */
static void
time_on_random(int n, const char *what, int (*call)(lwpid_t))
{
	lwpid_t lid;
	uint64_t t;

	for (int i = 0; i < nsamples; i++) {
		lid = bg[pick()];
		t = h_tsc();
		if (call(lid) == -1)
			fail(what);
		samples[i] = h_tsc() - t;
	}
	report(n, what);
}

/* A new LWP (running `nothing`) that has exited: a zombie. */
static lwpid_t
new_zombie(const ucontext_t *uc)
{
	lwpid_t lid;

	if (_lwp_create(uc, 0, &lid) == -1)
		fail("_lwp_create");
	while (_lwp_kill(lid, 0) == 0)
		sched_yield();
	return lid;
}

/*
 * ps's work with n LWPs alive: the whole LWP table from kern.lwp, then
 * sorted by process and lid (kinfo_lwp_sort); 5 samples of each, per
 * LWP in the table.
 */
static void
measure_ps(int n)
{
	struct kinfo_lwp *kl;
	uint64_t v[2][5], t;
	size_t nkl = 0;

	for (int i = 0; i < 5; i++) {
		t = h_tsc();
		if ((kl = kinfo_getlwps(&nkl)) == NULL)
			fail("sysctl kern.lwp");
		v[0][i] = (h_tsc() - t) / nkl;
		t = h_tsc();
		kinfo_lwp_sort(kl, nkl);
		v[1][i] = (h_tsc() - t) / nkl;
		free(kl);
	}
	for (int k = 0; k < 2; k++) {
		h_sort_u64(v[k], 5);
		printf("lwpscale: N=%-6d %-17s min %8llu  median %8llu %s/LWP "
		    "(%zu LWPs)\n", n, k == 0 ? "kern.lwp" : "kern.lwp sort",
		    (unsigned long long)v[k][0], (unsigned long long)v[k][2],
		    H_TSC_UNIT, nkl);
	}
}

/* At n LWPs: nsamples of each workload (n - 1 > nsamples). */
static void
measure(int n)
{
	lwpid_t lid, dep;
	ucontext_t uc;
	uint64_t t;

	grow_to(n);
	_lwp_makecontext(&uc, nothing, NULL, NULL, stack, STACKSIZE);
	for (int i = 0; i < nsamples; i++) {
		t = h_tsc();
		if (_lwp_create(&uc, 0, &lid) == -1)
			fail("_lwp_create");
		if (_lwp_wait(lid, NULL) == -1)
			fail("_lwp_wait");
		samples[i] = h_tsc() - t;
	}
	report(n, "create-exit-wait");

	/* _lwp_create alone (suspended: it does not run before the clock
	 * is read), then continued and collected untimed. */
	for (int i = 0; i < nsamples; i++) {
		t = h_tsc();
		if (_lwp_create(&uc, LWP_SUSPENDED, &lid) == -1)
			fail("_lwp_create");
		samples[i] = h_tsc() - t;
		if (_lwp_continue(lid) == -1 || _lwp_wait(lid, NULL) == -1)
			fail("_lwp_continue, _lwp_wait");
	}
	report(n, "create");

	time_on_random(n, "find", find_lwp);
	time_on_random(n, "unpark", unpark_lwp);

	for (int i = 0; i < nsamples; i++) {
		lid = new_zombie(&uc);
		t = h_tsc();
		if (_lwp_wait(lid, NULL) == -1)
			fail("_lwp_wait");
		samples[i] = h_tsc() - t;
	}
	report(n, "wait-by-name");

	for (int i = 0; i < nsamples; i++) {
		lid = new_zombie(&uc);
		t = h_tsc();
		if (_lwp_wait(0, &dep) == -1 || dep != lid)
			fail("_lwp_wait(0)");
		samples[i] = h_tsc() - t;
	}
	report(n, "wait-any-new");

	/* The oldest background LWPs, in turn: told to quit and
	 * unparked, they exit. */
	for (int i = 0; i < nsamples; i++, bg0++) {
		bgquit[bg0] = 1;
		if (_lwp_unpark(bg[bg0], NULL) == -1)
			fail("_lwp_unpark");
		while (_lwp_kill(bg[bg0], 0) == 0)
			sched_yield();
		t = h_tsc();
		if (_lwp_wait(0, &dep) == -1 || dep != bg[bg0])
			fail("_lwp_wait(0) of an old LWP");
		samples[i] = h_tsc() - t;
	}
	report(n, "wait-any-old");
	measure_ps(n);
	fflush(stdout);
}

/*
 * process-exit: a child makes n - 1 suspended LWPs, notes the time in
 * memory it shares with us, and exits; we note when waitpid returns.
 */
static void
measure_exit(int n)
{
	volatile uint64_t *t0;
	uint64_t v[5];
	ucontext_t uc;
	lwpid_t lid;
	pid_t pid;
	int st;

	t0 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON,
	    -1, 0);
	if (t0 == MAP_FAILED)
		fail("mmap");
	for (int i = 0; i < 5; i++) {
		if ((pid = fork()) == -1)
			fail("fork");
		if (pid == 0) {
			_lwp_makecontext(&uc, nothing, NULL, NULL, stack,
			    STACKSIZE);
			for (int k = 0; k < n - 1; k++)
				if (_lwp_create(&uc, LWP_SUSPENDED, &lid) == -1)
					_exit(1);
			*t0 = h_tsc();
			exit(0);
		}
		if (waitpid(pid, &st, 0) != pid || st != 0)
			fail("the child");
		v[i] = (h_tsc() - *t0) / n;
	}
	h_sort_u64(v, 5);
	printf("lwpscale: N=%-6d %-17s min %8llu  median %8llu %s/LWP\n", n,
	    "process-exit", (unsigned long long)v[0],
	    (unsigned long long)v[2], H_TSC_UNIT);
	munmap((void *)t0, 4096);
}

/* -hold n: n - 1 parked LWPs, then wait for a signal. */
static __dead void
hold(int n)
{
	sigset_t none;

	grow_to(n);
	printf("lwpscale: holding %d LWPs (pid %d)\n", n, (int)getpid());
	fflush(stdout);
	sigemptyset(&none);
	for (;;)
		sigsuspend(&none);
}

int
main(int argc, char **argv)
{
	int a = 1, ns[16], nn = 0;

	if (argc == 3 && strcmp(argv[1], "-hold") == 0)
		hold(count(argv[2]));
	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		nsamples = count(argv[2]);
		a = 3;
	}
	for (; a < argc; a++) {
		if (nn == (int)__arraycount(ns))
			usage();
		ns[nn] = count(argv[a]);
		if ((nn > 0 && ns[nn] < ns[nn - 1]) ||
		    ns[nn] <= nsamples + 1) {
			fprintf(stderr, "lwpscale: each N must be more than "
			    "SAMPLES + 1 (%d), and not less than the one "
			    "before: %d\n", nsamples + 1, ns[nn]);
			return 2;
		}
		nn++;
	}
	if (nn == 0) {
		ns[nn++] = 1000;
		ns[nn++] = 10000;
	}
	if ((samples = malloc(nsamples * sizeof(*samples))) == NULL)
		fail("malloc");
	printf("lwpscale: %d samples per workload; unit: %s (guest "
	    "instructions under QEMU -icount shift=0)\n", nsamples,
	    H_TSC_UNIT);
	/* The exits first, while this process has no background LWPs
	 * (and no stacks of theirs for the children to copy). */
	for (int i = 0; i < nn; i++)
		measure_exit(ns[i]);
	for (int i = 0; i < nn; i++)
		measure(ns[i]);
	return 0;
}
