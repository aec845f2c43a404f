/*
 * h_lwp.h: what the LWP tests (t_lwp_*.c) share: stacks, starting an
 * LWP in one call, and a look at an LWP's kernel state through sysctl
 * kern.lwp (what ps shows).  Everything is static: one test, one file.
 *
 * LWP bodies may call malloc and stdio (they take libc's own lock,
 * user/lib/libc/lock.c, which works without libpthread) but must not
 * trust errno while another LWP may be failing a system call (errno is
 * one variable per process without libpthread).
 */
#ifndef _H_LWP_H_
#define _H_LWP_H_

#include <sys/sysctl.h>
#include <sys/wait.h>
#include <sys/lwp.h>
#include <errno.h>
#include <kinfo.h>
#include <lwp.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "h_macros.h"
#include "h_user.h"	/* h_cpuset_one, h_pin_lwp (user/common) */

#define H_NSTACKS	16
#define H_STACKSIZE	16384

static char h_stacks[H_NSTACKS][H_STACKSIZE] __attribute__((aligned(16)));

/* Start fn(arg) in a new LWP on stack slot `slot`; its lid. */
static inline lwpid_t
h_lwp_start(int slot, void (*fn)(void *), void *arg, unsigned long flags)
{
	ucontext_t uc;
	lwpid_t lid;

	ATF_REQUIRE(slot >= 0 && slot < H_NSTACKS);
	_lwp_makecontext(&uc, fn, arg, NULL, h_stacks[slot], H_STACKSIZE);
	RL(_lwp_create(&uc, flags, &lid));
	return lid;
}

/*
 * Our process's LWPs as the kernel sees them (sysctl kern.lwp.PID),
 * malloc'd (free them); *np says how many.
 */
static inline struct kinfo_lwp *
h_lwp_table(size_t *np)
{
	struct kinfo_lwp *kl;

	if ((kl = kinfo_getproclwps(getpid(), np)) == NULL)
		atf_tc_fail("sysctl kern.lwp.%d: %s", (int)getpid(),
		    strerror(errno));
	return kl;
}

/* Our process's LWP `lid` as the kernel sees it; false if not there. */
static inline bool
h_lwp_info(lwpid_t lid, struct kinfo_lwp *out)
{
	struct kinfo_lwp *kl;
	bool found = false;
	size_t n;

	kl = h_lwp_table(&n);
	for (size_t i = 0; i < n && !found; i++)
		if (kl[i].l_lid == lid) {
			*out = kl[i];
			found = true;
		}
	free(kl);
	return found;
}

/* The one CPU k's affinity names; -1 if it names none (any CPU), -2
 * if several.  (l_affinity is libc's cpuset_t layout: CPU i is bit
 * i % 32 of word i / 32.) */
static inline int
h_lwp_affinity_cpu(const struct kinfo_lwp *k)
{
	int cpu = -1;

	for (int i = 0; i < KI_AFFINITY_WORDS * 32; i++)
		if (k->l_affinity[i / 32] >> (i % 32) & 1) {
			if (cpu != -1)
				return -2;
			cpu = i;
		}
	return cpu;
}

/* LWP lid's l_stat (LSSLEEP, ...), or 0 if it does not exist. */
static inline int
h_lwp_stat(lwpid_t lid)
{
	struct kinfo_lwp k;

	return h_lwp_info(lid, &k) ? k.l_stat : 0;
}

/* How many LWPs our process has, zombies included. */
static inline int
h_lwp_count(void)
{
	size_t n;

	free(h_lwp_table(&n));
	return (int)n;
}

/* Wait (up to about 5 s) until LWP lid is in state `stat` (0: gone);
 * false if it never gets there. */
static inline bool
h_lwp_wait_stat(lwpid_t lid, int stat)
{
	for (int i = 0; i < 500; i++) {
		if (h_lwp_stat(lid) == stat)
			return true;
		usleep(10000);
	}
	return false;
}

/* Wait until detached LWP lid has exited: gone, or a zombie waiting in
 * p_zomblwp for the process's next _lwp_create, _lwp_exit or _lwp_wait
 * to free it (as NetBSD keeps it). */
static inline bool
h_lwp_wait_exited(lwpid_t lid)
{
	for (int i = 0; i < 500; i++) {
		int stat = h_lwp_stat(lid);

		if (stat == 0 || stat == LSZOMB)
			return true;
		usleep(10000);
	}
	return false;
}

/* How many CPUs run. */
static inline long
h_ncpus(void)
{
	long n;

	RL(n = sysconf(_SC_NPROCESSORS_ONLN));
	ATF_REQUIRE(n >= 1 && n <= 64);
	return n;
}

/* A new CPU set holding CPU k only (k < 0: empty); cpuset_destroy it.
 * (To pin an LWP: RL(h_pin_lwp(lid, k)).) */
static inline cpuset_t *
h_cpuset_of(int k)
{
	cpuset_t *cs;

	REQUIRE_LIBC(cs = h_cpuset_one(k), NULL);
	return cs;
}

/* An LWP body (or a child's) that sleeps for ever, in nanosleep. */
static inline void
h_lwp_sleep_forever(void *arg)
{
	struct timespec ts = { 1000, 0 };

	for (;;)
		nanosleep(&ts, NULL);
}

/* Wait (up to about 5 s) until LWP lid sleeps with wait message
 * `wmesg'; false if it never does. */
static inline bool
h_lwp_wait_wmesg(lwpid_t lid, const char *wmesg)
{
	struct kinfo_lwp k;

	for (int i = 0; i < 500; i++) {
		if (h_lwp_info(lid, &k) && k.l_stat == LSSLEEP &&
		    strncmp(k.l_wmesg, wmesg, sizeof(k.l_wmesg)) == 0)
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * An uninterruptible sleep to point _lwp_wakeup at (EBUSY): nearly
 * every sleep a program can reach is interruptible, but waiting for a
 * lock is not.  h_console_reader() reads a byte from the console (fd
 * 0, where nobody types during the tests): the first LWP to call it
 * holds the console's read lock while it waits for input
 * (interruptibly, "ttyin"); a second one then waits for that lock, on
 * a turnstile ("tstile"), which nothing interrupts.  _lwp_wakeup of
 * the first makes its read fail (EINTR) and lets the second in, whose
 * own read then fails too if it was woken before.  Each stores its
 * read's errno in *arg.
 */
static inline void
h_console_reader(void *arg)
{
	char c;

	*(volatile int *)arg = read(STDIN_FILENO, &c, 1) == -1 ? errno : 0;
}

/* Run fn in a child process (exit 99 if it returns); its wait status. */
static inline int
h_in_child(void (*fn)(void))
{
	pid_t pid;
	int status;

	RL(pid = fork());
	if (pid == 0) {
		fn();
		_exit(99);
	}
	RL(waitpid(pid, &status, 0));
	return status;
}

/* The kernel's memory counters (sysctl kern.memstat).  They are the
 * whole machine's: beside other workloads (the soak, /bin/soak, sets
 * LWPKERN_SOAK) a case that compares them skips. */
static inline struct kinfo_mem
h_memstat(void)
{
	int mib[2] = { CTL_KERN, KERN_MEMSTAT };
	struct kinfo_mem km;
	size_t len = sizeof(km);

	if (getenv("LWPKERN_SOAK") != NULL)
		atf_tc_skip("kern.memstat counts the whole machine, and other "
		    "workloads run (LWPKERN_SOAK)");

	if (sysctl(mib, 2, &km, &len, NULL, 0) == -1)
		atf_tc_fail("sysctl kern.memstat: %s", strerror(errno));
	return km;
}

/* kern.maxlwp: the most LWPs a process may have. */
static inline int
h_maxlwp(void)
{
	int mib[2] = { CTL_KERN, KERN_MAXLWP }, n;
	size_t len = sizeof(n);

	if (sysctl(mib, 2, &n, &len, NULL, 0) == -1)
		atf_tc_fail("sysctl kern.maxlwp: %s", strerror(errno));
	return n;
}

/* Set kern.maxlwp to n; the old value. */
static inline int
h_set_maxlwp(int n)
{
	int mib[2] = { CTL_KERN, KERN_MAXLWP }, old;
	size_t len = sizeof(old);

	if (sysctl(mib, 2, &old, &len, &n, sizeof(n)) == -1)
		atf_tc_fail("sysctl kern.maxlwp = %d: %s", n, strerror(errno));
	return old;
}

/*
 * Run fn in a child process (exit 99 if it returns) with kern.maxlwp
 * set to n, and set it back whatever the child did (a failed case must
 * not leave the limit changed for the tests after it); the child's
 * wait status.  fn reports with its exit status, not with ATF macros.
 */
static inline int
h_in_child_maxlwp(int n, void (*fn)(void))
{
	int old = h_set_maxlwp(n), status;

	status = h_in_child(fn);
	h_set_maxlwp(old);
	return status;
}

/* Spin until *p == v (yielding), at most about 10 s; false on
 * timeout. */
static inline bool
h_until(volatile int *p, int v)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != v) {
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 10)
			return false;
	}
	return true;
}

#endif /* !_H_LWP_H_ */
