/*
 * lwpdemo: a guided tour of LWPs, the kernel's threads, from inside one
 * process.  It
 *
 *   1. creates three LWPs (_lwp_create) -- a spinner, a sleeper and a
 *      parker -- names them (_lwp_setname) and lists this process's
 *      LWPs the way ps does (sysctl kern.lwp): lid, name, state, CPU,
 *      and what a sleeping one waits for (wchan);
 *   2. moves the spinner from CPU to CPU by setting its affinity
 *      (_sched_setaffinity) and shows that the CPU the spinner itself
 *      reads in its LWP control block (_lwp_ctl, lc_curcpu) follows;
 *   3. suspends the spinner (_lwp_suspend: state SUSPENDED, it stops
 *      counting) and lets it go again (_lwp_continue);
 *   4. unparks the parker (_lwp_unpark), which wakes and parks again;
 *   5. tells them all to finish and collects them (_lwp_wait).
 *
 * Run it:	SMP=4 tools/run-user user/bin/lwpdemo.c
 * or "lwpdemo" from the shell in `make qemu SMP=4`.
 * Exits 0 if everything behaved as described, 1 otherwise (it doubles
 * as a smoke test).
 *
 * Only the main LWP calls printf and malloc: libc is not thread-safe.
 * The other LWPs talk to it through the volatile variables below, each
 * written by one LWP.
 */
#include <sys/lwpctl.h>
#include <sys/sysctl.h>
#include <errno.h>
#include <lwp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "h_user.h"		/* h_pin_lwp */

#define STACKSIZE	65536
#define NWORKERS	3
#define MAXHOPS		4	/* CPUs the spinner visits, at most */
#define TIMEOUT_MS	5000	/* for anything we wait for */

static char stacks[NWORKERS][STACKSIZE] __aligned(16);
static const char *const names[NWORKERS] = { "spinner", "sleeper", "parker" };
static lwpid_t lids[NWORKERS];

static volatile int quit;		/* main: everybody finish */
static volatile unsigned long spins;	/* spinner: loops so far */
static volatile int spin_cpu = -3;	/* spinner: its lc_curcpu */
static struct lwpctl *volatile spin_lc;	/* spinner: its control block */
static volatile unsigned long wakeups;	/* parker: unparks seen */
static volatile int worker_errno;	/* a worker's failure */

/* kinfo_lwp's l_stat: the LS* states of sys/lwp.h (from lwp.h). */
static const char *const statname[] = {
	[LSIDL] = "IDL", [LSRUN] = "RUN", [LSSLEEP] = "SLEEP",
	[LSSTOP] = "STOP", [LSZOMB] = "ZOMB", [LSONPROC] = "ONPROC",
	[LSSUSPENDED] = "SUSPENDED",
};

/* ---- the workers --------------------------------------------------- */

/* Spins, and writes down which CPU its own lwpctl says it is on. */
static void
spinner(void *arg)
{
	struct lwpctl *lc;

	if (_lwp_ctl(LWPCTL_FEATURE_CURCPU | LWPCTL_FEATURE_PCTR, &lc) == -1) {
		worker_errno = errno;
		return;
	}
	spin_lc = lc;
	while (!quit) {
		spin_cpu = lc->lc_curcpu;	/* a load, no system call */
		spins++;
	}
}

/* Sleeps a tick or two at a time: usually SLEEP on "nanoslp". */
static void
sleeper(void *arg)
{
	while (!quit)
		if (usleep(20000) == -1 && errno != EINTR) {
			worker_errno = errno;
			return;
		}
}

/* Parks until unparked, counting the wakeups, until told to quit. */
static void
parker(void *arg)
{
	while (!quit) {
		if (_lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, NULL, NULL) == 0 ||
		    errno == EALREADY)
			wakeups++;
		else if (errno != EINTR) {
			worker_errno = errno;
			return;
		}
	}
}

static void (*const funcs[NWORKERS])(void *) = { spinner, sleeper, parker };

/* ---- helpers for main --------------------------------------------------- */

static int failed;

/* Report a failure; errno (if not 0) says why. */
static void
fail(const char *what)
{
	if (errno != 0)
		printf("lwpdemo: FAILED: %s: %s\n", what, strerror(errno));
	else
		printf("lwpdemo: FAILED: %s\n", what);
	failed = 1;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* This process's LWPs from sysctl kern.lwp (malloc'd), or NULL. */
static struct kinfo_lwp *
fetch(size_t *np)
{
	int mib[2] = { CTL_KERN, KERN_LWP };
	struct kinfo_lwp *kl, *out;
	size_t len, i, n;
	pid_t pid = getpid();

	if (sysctl(mib, 2, NULL, &len, NULL, 0) == -1)
		return NULL;
	len += 8 * sizeof(*kl);		/* room for newborn LWPs */
	if ((kl = malloc(len)) == NULL)
		return NULL;
	if (sysctl(mib, 2, kl, &len, NULL, 0) == -1) {
		free(kl);
		return NULL;
	}
	for (i = n = 0, out = kl; i < len / sizeof(*kl); i++)
		if (kl[i].l_pid == pid)
			out[n++] = kl[i];
	*np = n;
	return kl;
}

static const char *
state(const struct kinfo_lwp *k)
{
	return k->l_stat >= 0 && k->l_stat < (int)__arraycount(statname) &&
	    statname[k->l_stat] != NULL ? statname[k->l_stat] : "?";
}

/* One LWP's kinfo (by lid) copied into *k; -1 if it is not there. */
static int
lookup(lwpid_t lid, struct kinfo_lwp *k)
{
	struct kinfo_lwp *kl;
	size_t i, n;
	int found = -1;

	if ((kl = fetch(&n)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (kl[i].l_lid == lid) {
			*k = kl[i];
			found = 0;
		}
	free(kl);
	return found;
}

static void
print1(const struct kinfo_lwp *k)
{
	char name[KI_LNAMELEN + 1], wmesg[KI_WMESGLEN + 1];

	memcpy(name, k->l_name, KI_LNAMELEN);
	name[KI_LNAMELEN] = '\0';
	memcpy(wmesg, k->l_wmesg, KI_WMESGLEN);
	wmesg[KI_WMESGLEN] = '\0';
	printf("    %4d  %-8s %-9s %3d  %s\n", k->l_lid, name, state(k),
	    k->l_cpuid, wmesg[0] != '\0' ? wmesg : "-");
}

/* The ps-like listing: lids (0-terminated), or all if lids is NULL. */
static void
list(const lwpid_t *only)
{
	struct kinfo_lwp *kl;
	const lwpid_t *p;
	size_t i, n;

	if ((kl = fetch(&n)) == NULL) {
		fail("sysctl kern.lwp");
		return;
	}
	printf("     LID  NAME     STATE     CPU  WCHAN\n");
	for (i = 0; i < n; i++) {
		for (p = only; p != NULL && *p != 0 && *p != kl[i].l_lid; p++)
			continue;
		if (p == NULL || *p != 0)
			print1(&kl[i]);
	}
	free(kl);
}

/*
 * Wait (yielding the CPU) until LWP lid is in state stat, with wchan
 * wmesg if not NULL.  0 once it is, -1 after TIMEOUT_MS.
 */
static int
await_state(lwpid_t lid, int stat, const char *wmesg)
{
	struct kinfo_lwp k;
	uint64_t end = now_ms() + TIMEOUT_MS;

	do {
		if (lookup(lid, &k) == 0 && k.l_stat == stat &&
		    (wmesg == NULL ||
		    strncmp(k.l_wmesg, wmesg, KI_WMESGLEN) == 0))
			return 0;
		(void)sched_yield();
	} while (now_ms() < end);
	errno = 0;
	return -1;
}

/* Wait until *v differs from old (as a condition); -1 on timeout. */
static int
await_change(volatile unsigned long *v, unsigned long old)
{
	uint64_t end = now_ms() + TIMEOUT_MS;

	while (*v == old)
		if (now_ms() >= end) {
			errno = 0;
			return -1;
		} else
			(void)sched_yield();
	return 0;
}

/* ---- the tour ----------------------------------------------------- */

static void
create_and_list(void)
{
	char name[32];
	ucontext_t uc;
	int i;

	if (_lwp_setname(0, "main") == -1)	/* 0: ourselves */
		fail("_lwp_setname(0)");
	for (i = 0; i < NWORKERS; i++) {
		_lwp_makecontext(&uc, funcs[i], NULL, NULL, stacks[i],
		    STACKSIZE);
		if (_lwp_create(&uc, 0, &lids[i]) == -1) {
			fail("_lwp_create");
			return;
		}
		if (_lwp_setname(lids[i], names[i]) == -1)
			fail("_lwp_setname");
	}
	if (_lwp_getname(lids[2], name, sizeof(name)) == -1 ||
	    strcmp(name, names[2]) != 0)
		fail("_lwp_getname of the parker");
	printf("lwpdemo: 1. created %s (lid %d), %s (lid %d), %s (lid %d); "
	    "_lwp_getname(%d) says \"%s\"\n", names[0], lids[0], names[1],
	    lids[1], names[2], lids[2], lids[2], name);
	/* Let the sleeper and the parker get to their beds. */
	if (await_state(lids[1], LSSLEEP, "nanoslp") == -1 ||
	    await_state(lids[2], LSSLEEP, "parked") == -1)
		fail("sleeper and parker asleep");
	list(NULL);
}

static void
migrate(int ncpu)
{
	uint64_t end;
	int hop, cpu;

	printf("lwpdemo: 2. moving %s with _sched_setaffinity; the CPU it "
	    "reads in its lwpctl:\n", names[0]);
	for (hop = 0; hop < ncpu && hop < MAXHOPS; hop++) {
		cpu = ncpu - 1 - hop;		/* from the last CPU down */
		if (h_pin_lwp(lids[0], cpu) == -1) {
			fail("_sched_setaffinity");
			return;
		}
		spin_cpu = -3;			/* wait for a fresh one */
		end = now_ms() + TIMEOUT_MS;
		while (spin_cpu != cpu && now_ms() < end)
			(void)sched_yield();
		if (spin_cpu != cpu) {
			errno = 0;
			fail("the spinner did not reach its CPU");
			return;
		}
		printf("lwpdemo:    affinity {%d}  ->  lc_curcpu %d  "
		    "(lc_pctr %d: times switched in)\n", cpu, spin_cpu,
		    spin_lc->lc_pctr);
	}
	if (ncpu == 1)
		printf("lwpdemo:    (only one CPU: SMP=4 tools/run-user "
		    "shows it move)\n");
}

static void
suspend_continue(void)
{
	lwpid_t only[2] = { lids[0], 0 };
	unsigned long s1, s2;

	printf("lwpdemo: 3. _lwp_suspend(%d) returns once %s is stopped:\n",
	    lids[0], names[0]);
	if (_lwp_suspend(lids[0]) == -1) {
		fail("_lwp_suspend");
		return;
	}
	list(only);
	s1 = spins;
	usleep(50000);
	s2 = spins;
	printf("lwpdemo:    spins %lu, 50 ms later %lu; lc_curcpu %d "
	    "(LWPCTL_CPU_NONE: not running)\n", s1, s2, spin_lc->lc_curcpu);
	if (await_state(lids[0], LSSUSPENDED, NULL) == -1 || s1 != s2 ||
	    spin_lc->lc_curcpu != LWPCTL_CPU_NONE) {
		errno = 0;
		fail("the spinner did not stay suspended");
	}
	if (_lwp_continue(lids[0]) == -1) {
		fail("_lwp_continue");
		return;
	}
	if (await_change(&spins, s2) == -1)
		fail("the spinner did not run again");
	else
		printf("lwpdemo:    _lwp_continue(%d): spinning again "
		    "(spins %lu)\n", lids[0], spins);
}

static void
unpark(void)
{
	lwpid_t only[2] = { lids[2], 0 };
	unsigned long w = wakeups;

	printf("lwpdemo: 4. %s is parked (wchan \"parked\"); "
	    "_lwp_unpark(%d):\n", names[2], lids[2]);
	if (_lwp_unpark(lids[2], NULL) == -1) {
		fail("_lwp_unpark");
		return;
	}
	/* It counts the wakeup and parks again. */
	if (await_change(&wakeups, w) == -1 ||
	    await_state(lids[2], LSSLEEP, "parked") == -1) {
		fail("the parker did not park again");
		return;
	}
	printf("lwpdemo:    it woke (wakeups %lu -> %lu) and parked again:\n",
	    w, wakeups);
	list(only);
}

static void
finish(void)
{
	lwpid_t dep;
	int i;

	quit = 1;
	if (_lwp_unpark(lids[2], NULL) == -1)
		fail("_lwp_unpark");
	printf("lwpdemo: 5. quit = 1; _lwp_wait(0, ...) collects:");
	for (i = 0; i < NWORKERS; i++) {
		if (_lwp_wait(0, &dep) == -1) {
			printf("\n");
			fail("_lwp_wait");
			return;
		}
		printf(" %d", dep);
	}
	printf("\n");
	list(NULL);
}

int
main(void)
{
	int ncpu;

	if ((ncpu = sysconf(_SC_NPROCESSORS_ONLN)) < 1) {
		perror("lwpdemo: sysconf");
		return 1;
	}
	printf("lwpdemo: pid %d, main LWP %d, %d CPU%s\n", getpid(),
	    _lwp_self(), ncpu, ncpu == 1 ? "" : "s");
	create_and_list();
	if (!failed)
		migrate(ncpu);
	if (!failed)
		suspend_continue();
	if (!failed)
		unpark();
	finish();
	if (worker_errno != 0) {
		errno = worker_errno;
		fail("a worker");
	}
	printf("lwpdemo: %s\n", failed ? "FAILED" : "done");
	return failed;
}
