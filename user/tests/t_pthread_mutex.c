/*
 * t_pthread_mutex: mutexes and spin locks (user/lib/libpthread).
 *
 * Covered:
 *   - mutual exclusion under contention: threads on every CPU (two per
 *     CPU) increment a plain counter under a mutex, checking that
 *     nobody else is inside; the total comes out right.  Once with a
 *     short critical section (spinning hand-offs), once with one that
 *     sometimes sleeps or yields inside (the waiters park);
 *   - a contended mutex handed back and forth thousands of times
 *     between two threads (three mutexes in a ring), on one CPU and on
 *     two: no wakeup is lost;
 *   - adaptive waiting: a locker parks ("parked" in kern.lwp) while
 *     the owner sleeps, without spinning at all while the owner is
 *     parked, and spins (is hardly ever switched out) while the owner
 *     runs on another CPU (with 3 CPUs or more);
 *   - error-checking mutexes: EDEADLK relocking, EPERM unlocking one
 *     another thread holds or nobody holds; trylock EBUSY; EINVAL for
 *     a bad type or a destroyed mutex; destroy EBUSY while held;
 *   - recursive mutexes: counted relocking, another thread kept out
 *     until the last unlock, then EPERM;
 *   - normal mutexes: trylock EBUSY, EPERM unlocking another's;
 *   - spin locks: mutual exclusion across CPUs; trylock EBUSY; destroy
 *     EBUSY while held.
 */
#include <sys/lwpctl.h>

#include "h_pthread.h"

/* Pauses spent spinning for mutexes, all threads (libpthread counts
 * them in pthread__spin_pause). */
extern unsigned long pthread__mutex_spins;

/* ---- mutual exclusion --------------------------------------------------------- */

static pthread_mutex_t cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_spinlock_t cs;
static volatile int inside, go;
static long counter;

struct worker {
	int	iters;
	int	slow;		/* sometimes sleep/yield inside */
	int	spin;		/* the spin lock instead of the mutex */
	int	bad;		/* found someone else inside */
};

static void *
count_body(void *arg)
{
	struct worker *w = arg;

	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		sched_yield();
	for (int i = 0; i < w->iters; i++) {
		if (w->spin)
			RZ(pthread_spin_lock(&cs));
		else
			RZ(pthread_mutex_lock(&cm));
		if (__atomic_exchange_n(&inside, 1, __ATOMIC_RELAXED) != 0)
			w->bad++;
		counter++;
		if (w->slow && i % 50 == 0)
			h_sleep_ms(1);		/* the others park */
		else if (w->slow && i % 7 == 0)
			sched_yield();
		__atomic_store_n(&inside, 0, __ATOMIC_RELAXED);
		if (w->spin)
			RZ(pthread_spin_unlock(&cs));
		else
			RZ(pthread_mutex_unlock(&cm));
	}
	return NULL;
}

/* 2 threads per CPU, pinned round the CPUs, `iters` rounds each. */
static void
contend(int iters, int slow, int spin)
{
	int ncpu = h_ncpus(), n = 2 * ncpu;
	struct worker w[2 * 64];
	pthread_t t[2 * 64];

	counter = 0;
	go = 0;
	for (int i = 0; i < n; i++) {
		w[i] = (struct worker){ iters, slow, spin, 0 };
		t[i] = h_thread(count_body, &w[i]);
		h_pin(t[i], i % ncpu);
	}
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < n; i++) {
		h_join(t[i]);
		ATF_CHECK_EQ_MSG(w[i].bad, 0, "thread %d found the lock taken "
		    "%d times", i, w[i].bad);
	}
	ATF_REQUIRE_EQ_MSG(counter, (long)n * iters, "%ld increments of %ld",
	    counter, (long)n * iters);
}

ATF_TC(mutex_exclusion);
ATF_TC_HEAD(mutex_exclusion, tc)
{
	/* (A lost wakeup hangs: fail soon, not after 60 s.) */
	atf_tc_set_md_var(tc, "timeout", "30");
	atf_tc_set_md_var(tc, "descr", "two threads per CPU increment a "
	    "counter under one mutex: never two inside, no increment lost");
}
ATF_TC_BODY(mutex_exclusion, tc)
{
	contend(3000, 0, 0);
}

ATF_TC(mutex_exclusion_sleeping);
ATF_TC_HEAD(mutex_exclusion_sleeping, tc)
{
	atf_tc_set_md_var(tc, "timeout", "30");
	atf_tc_set_md_var(tc, "descr", "the same, the holder sometimes "
	    "sleeping or yielding inside, so that waiters park and are "
	    "unparked");
}
ATF_TC_BODY(mutex_exclusion_sleeping, tc)
{
	contend(300, 1, 0);
}

ATF_TC(spin_exclusion);
ATF_TC_HEAD(spin_exclusion, tc)
{
	atf_tc_set_md_var(tc, "descr", "the same with a spin lock; "
	    "trylock EBUSY, destroy EBUSY while held");
}
ATF_TC_BODY(spin_exclusion, tc)
{
	ATF_REQUIRE_EQ(pthread_spin_init(&cs, 42), EINVAL);
	RZ(pthread_spin_init(&cs, PTHREAD_PROCESS_PRIVATE));
	contend(2000, 0, 1);
	RZ(pthread_spin_lock(&cs));
	ATF_REQUIRE_EQ(pthread_spin_trylock(&cs), EBUSY);
	ATF_REQUIRE_EQ(pthread_spin_destroy(&cs), EBUSY);
	RZ(pthread_spin_unlock(&cs));
	RZ(pthread_spin_trylock(&cs));
	RZ(pthread_spin_unlock(&cs));
	RZ(pthread_spin_destroy(&cs));
	ATF_REQUIRE_EQ(pthread_spin_lock(&cs), EINVAL);
}

/* ---- hand-offs ------------------------------------------------------------------ */

/*
 * Three mutexes in a ring (lwpbench's mutex-handoff): A holds m[k] and
 * m[k+1], unlocks m[k] (B is blocked on it), locks m[k+2] (B holds it).
 */
static pthread_mutex_t ring[3] = {
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_MUTEX_INITIALIZER
};
static volatile int ring_ready, ring_stop;
static int ring_steps;

static void *
ring_b(void *arg)
{
	int j;

	RZ(pthread_mutex_lock(&ring[2]));
	__atomic_store_n(&ring_ready, 1, __ATOMIC_RELEASE);
	RZ(pthread_mutex_lock(&ring[0]));
	for (j = 0; !__atomic_load_n(&ring_stop, __ATOMIC_ACQUIRE); j++) {
		ring_steps++;		/* under m[j], which A waits for */
		RZ(pthread_mutex_unlock(&ring[(j + 2) % 3]));
		RZ(pthread_mutex_lock(&ring[(j + 1) % 3]));
	}
	RZ(pthread_mutex_unlock(&ring[(j + 2) % 3]));
	RZ(pthread_mutex_unlock(&ring[j % 3]));
	return NULL;
}

static void
handoffs(int cross, int n)
{
	pthread_t b;
	int k;

	ring_ready = ring_stop = ring_steps = 0;
	h_pin(pthread_self(), 0);
	RZ(pthread_mutex_lock(&ring[0]));
	RZ(pthread_mutex_lock(&ring[1]));
	b = h_thread(ring_b, NULL);
	h_pin(b, cross ? 1 : 0);
	ATF_REQUIRE(h_until(&ring_ready, 1));
	for (k = 0; k < n; k++) {
		RZ(pthread_mutex_unlock(&ring[k % 3]));
		RZ(pthread_mutex_lock(&ring[(k + 2) % 3]));
		/* B took one step for each of ours. */
		ATF_REQUIRE_EQ(ring_steps, k + 1);
	}
	__atomic_store_n(&ring_stop, 1, __ATOMIC_RELEASE);
	RZ(pthread_mutex_unlock(&ring[k % 3]));
	RZ(pthread_mutex_unlock(&ring[(k + 1) % 3]));
	h_join(b);
	for (k = 0; k < 3; k++)
		RZ(pthread_mutex_destroy(&ring[k]));	/* all free */
}

ATF_TC(handoff_1cpu);
ATF_TC_HEAD(handoff_1cpu, tc)
{
	atf_tc_set_md_var(tc, "timeout", "30");
	atf_tc_set_md_var(tc, "descr", "a contended mutex handed between two "
	    "threads on one CPU 3000 times: each hand-off a park and an "
	    "unpark, none lost");
}
ATF_TC_BODY(handoff_1cpu, tc)
{
	handoffs(0, 3000);
}

ATF_TC(handoff_2cpu);
ATF_TC_HEAD(handoff_2cpu, tc)
{
	atf_tc_set_md_var(tc, "timeout", "30");
	atf_tc_set_md_var(tc, "descr", "the same with the threads on two "
	    "CPUs (spinning or parking, as the owner runs or not)");
}
ATF_TC_BODY(handoff_2cpu, tc)
{
	if (h_ncpus() < 2)
		atf_tc_skip("needs 2 CPUs");
	handoffs(1, 5000);
}

/* ---- spinning and parking ----------------------------------------------------------- */

static pthread_mutex_t am = PTHREAD_MUTEX_INITIALIZER;
static volatile lwpid_t locker_lid;
static volatile int locker_has;

static void *
locker(void *arg)
{
	__atomic_store_n(&locker_lid, _lwp_self(), __ATOMIC_RELEASE);
	RZ(pthread_mutex_lock(&am));
	__atomic_store_n(&locker_has, 1, __ATOMIC_RELEASE);
	RZ(pthread_mutex_unlock(&am));
	return NULL;
}

ATF_TC(adaptive_park);
ATF_TC_HEAD(adaptive_park, tc)
{
	atf_tc_set_md_var(tc, "timeout", "30");
	atf_tc_set_md_var(tc, "descr", "a locker parks while the owner is "
	    "off its CPU (asleep: its lwpctl lc_curcpu < 0), and gets the "
	    "mutex when the owner unlocks it");
}
ATF_TC_BODY(adaptive_park, tc)
{
	pthread_t t;

	/* The owner (we) sleeps: the locker parks. */
	locker_lid = 0;
	locker_has = 0;
	RZ(pthread_mutex_lock(&am));
	t = h_thread(locker, NULL);
	for (int i = 0; locker_lid == 0 || !h_lwp_sleeps(locker_lid,
	    "parked"); i++) {
		ATF_REQUIRE_MSG(i < 1000, "the locker never parked");
		h_sleep_ms(5);
	}
	ATF_REQUIRE(!locker_has);
	RZ(pthread_mutex_unlock(&am));
	h_join(t);
	ATF_REQUIRE(locker_has);
}

/*
 * No spinning for an owner that is off its CPU: the owner takes the
 * mutex and parks (its lwpctl lc_curcpu is LWPCTL_CPU_NONE); a locker
 * must then park at once, without a single pause of spinning
 * (pthread__mutex_spins, which libpthread's pthread__spin_pause counts,
 * does not move), and get the mutex when the owner, unparked, lets go.
 * Deterministic: the owner stays parked until the locker is.
 */
static volatile lwpid_t off_owner_lid;
static volatile int off_owner_go;
static volatile unsigned long off_spins;

static void *
off_owner(void *arg)
{
	RZ(pthread_mutex_lock(&am));
	__atomic_store_n(&off_owner_lid, _lwp_self(), __ATOMIC_RELEASE);
	while (!__atomic_load_n(&off_owner_go, __ATOMIC_ACQUIRE))
		(void)_lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, NULL, NULL);
	RZ(pthread_mutex_unlock(&am));
	return NULL;
}

static void *
off_locker(void *arg)
{
	__atomic_store_n(&locker_lid, _lwp_self(), __ATOMIC_RELEASE);
	RZ(pthread_mutex_lock(&am));
	__atomic_store_n(&locker_has, 1, __ATOMIC_RELEASE);
	RZ(pthread_mutex_unlock(&am));
	return NULL;
}

ATF_TC(no_spin_when_owner_off_cpu);
ATF_TC_HEAD(no_spin_when_owner_off_cpu, tc)
{
	atf_tc_set_md_var(tc, "timeout", "30");
	atf_tc_set_md_var(tc, "descr", "a locker whose mutex's owner is "
	    "parked (off its CPU) parks at once, without spinning, and gets "
	    "the mutex when the owner lets go");
}
ATF_TC_BODY(no_spin_when_owner_off_cpu, tc)
{
	pthread_t o, l;
	unsigned long before;

	off_owner_lid = locker_lid = 0;
	off_owner_go = locker_has = 0;
	o = h_thread(off_owner, NULL);
	for (int i = 0; off_owner_lid == 0 ||
	    !h_lwp_sleeps(off_owner_lid, "parked"); i++) {
		ATF_REQUIRE_MSG(i < 2000, "the owner never parked");
		h_sleep_ms(5);
	}
	/* The locker's spins up to its park: once the owner is woken to
	 * let go, it runs, and a locker that looks then may spin (the
	 * mutex's hand-over, not this case). */
	before = __atomic_load_n(&pthread__mutex_spins, __ATOMIC_RELAXED);
	l = h_thread(off_locker, NULL);
	for (int i = 0; locker_lid == 0 || !h_lwp_sleeps(locker_lid,
	    "parked"); i++) {
		ATF_REQUIRE_MSG(i < 2000, "the locker never parked");
		h_sleep_ms(5);
	}
	off_spins = __atomic_load_n(&pthread__mutex_spins, __ATOMIC_RELAXED) -
	    before;
	ATF_REQUIRE(!locker_has);
	__atomic_store_n(&off_owner_go, 1, __ATOMIC_RELEASE);
	RL(_lwp_unpark(off_owner_lid, NULL));
	h_join(o);
	h_join(l);
	ATF_REQUIRE(locker_has);
	ATF_REQUIRE_EQ_MSG(off_spins, 0, "the locker spun %lu pauses for an "
	    "owner that was parked", (unsigned long)off_spins);
}

/*
 * Spinning: the owner (cpu1) takes the mutex, and lets go a moment
 * (well under the spin budget) after the locker (cpu2) has started to
 * ask for it, NSPIN times.  With the owner running, the locker spins
 * instead of parking: it is hardly ever switched out (its lc_pctr
 * counts its switches in).
 */
#define NSPIN	200

static volatile int held, trying, taken, spin_go;
static volatile lwpid_t spin_locker_lid;
static lwpctl_t *volatile spin_locker_lc;

/*
 * Each round k: hold the mutex until the locker has asked for it
 * (trying == k), and then until it has spun for it (pthread__mutex_spins
 * grew) -- or parked, which is wrong while we run.  Counts the rounds
 * it spun in spin_spun, and in spin_void those in which we left our
 * CPU (our lc_pctr, which counts switches in, moved: another LWP ran
 * on cpu1 for a moment, or the look at the locker's state blocked us),
 * where parking was right.  In every other round we stayed on our CPU
 * (lc_curcpu >= 0) all along, so a locker that follows the rule spun:
 * the count is exact, however slow the host makes us.
 */
static volatile int spin_spun, spin_void;

static void *
spin_owner(void *arg)
{
	unsigned long base;
	lwpctl_t *me;
	int pctr;

	RL(_lwp_ctl(LWPCTL_FEATURE_CURCPU | LWPCTL_FEATURE_PCTR, &me));
	while (!__atomic_load_n(&spin_go, __ATOMIC_ACQUIRE))
		sched_yield();			/* until we are pinned */
	for (int k = 1; k <= NSPIN; k++) {
		RZ(pthread_mutex_lock(&am));
		base = __atomic_load_n(&pthread__mutex_spins, __ATOMIC_RELAXED);
		pctr = me->lc_pctr;
		__atomic_store_n(&held, k, __ATOMIC_RELEASE);
		while (__atomic_load_n(&trying, __ATOMIC_ACQUIRE) != k)
			continue;
		for (;;) {
			if (__atomic_load_n(&pthread__mutex_spins,
			    __ATOMIC_RELAXED) != base) {
				spin_spun++;
				break;
			}
			if (me->lc_pctr != pctr) {
				spin_void++;
				break;
			}
			/* No system call while it may be looking at us (one
			 * could block us, and then it must park): only once
			 * it is off its CPU, to tell parked from preempted.
			 * (The call may block us all the same: sysctl
			 * kern.lwp can sleep.  Then its parking was right.) */
			if (spin_locker_lc->lc_curcpu < 0 &&
			    h_lwp_sleeps(spin_locker_lid, "parked")) {
				/* While we looked (a long call under TCG), it
				 * may have spun its whole budget, and then
				 * parked, as it should: it spun. */
				if (__atomic_load_n(&pthread__mutex_spins,
				    __ATOMIC_RELAXED) != base)
					spin_spun++;
				else if (me->lc_pctr != pctr)
					spin_void++;
				break;
			}
		}
		RZ(pthread_mutex_unlock(&am));
		while (__atomic_load_n(&taken, __ATOMIC_ACQUIRE) != k)
			continue;
	}
	return NULL;
}

static void *
spin_locker(void *arg)
{
	lwpctl_t *lc;

	RL(_lwp_ctl(LWPCTL_FEATURE_CURCPU, &lc));
	spin_locker_lc = lc;
	__atomic_store_n(&spin_locker_lid, _lwp_self(), __ATOMIC_RELEASE);
	for (int k = 1; k <= NSPIN; k++) {
		while (__atomic_load_n(&held, __ATOMIC_ACQUIRE) != k)
			continue;
		__atomic_store_n(&trying, k, __ATOMIC_RELEASE);
		RZ(pthread_mutex_lock(&am));
		RZ(pthread_mutex_unlock(&am));
		__atomic_store_n(&taken, k, __ATOMIC_RELEASE);
	}
	return NULL;
}

ATF_TC(adaptive_spin);
ATF_TC_HEAD(adaptive_spin, tc)
{
	atf_tc_set_md_var(tc, "timeout", "30");
	atf_tc_set_md_var(tc, "descr", "a locker spins rather than park at "
	    "once while the owner runs on another CPU (its lwpctl lc_curcpu "
	    ">= 0): it spins in each of %d contended locks", NSPIN);
}
ATF_TC_BODY(adaptive_spin, tc)
{
	pthread_t o, l;

	if (h_ncpus() < 3)
		atf_tc_skip("needs 3 CPUs (the owner, the locker, us)");
	h_pin(pthread_self(), 0);
	held = trying = taken = spin_go = spin_spun = spin_void = 0;
	spin_locker_lid = 0;
	spin_locker_lc = NULL;
	l = h_thread(spin_locker, NULL);
	h_pin(l, 2);
	while (__atomic_load_n(&spin_locker_lid, __ATOMIC_ACQUIRE) == 0)
		sched_yield();
	o = h_thread(spin_owner, NULL);
	h_pin(o, 1);
	__atomic_store_n(&spin_go, 1, __ATOMIC_RELEASE);
	h_join(o);
	h_join(l);
	printf("# %d rounds: the locker spun in %d, the owner left its CPU "
	    "in %d\n", NSPIN, spin_spun, spin_void);
	ATF_REQUIRE_MSG(spin_void <= NSPIN / 2, "the owner left its CPU in "
	    "%d of %d rounds: too few rounds to judge", spin_void, NSPIN);
	ATF_REQUIRE_MSG(spin_spun == NSPIN - spin_void, "the locker spun in "
	    "%d of the %d locks in which the owner ran all along: it parked "
	    "at once in the others", spin_spun, NSPIN - spin_void);
}

/* ---- error checking ------------------------------------------------------------------- */

static pthread_mutex_t em;

static void *
unlock_em(void *arg)
{
	return (void *)(intptr_t)pthread_mutex_unlock(&em);
}

static void *
trylock_em(void *arg)
{
	int error = pthread_mutex_trylock(&em);

	if (error == 0)
		RZ(pthread_mutex_unlock(&em));
	return (void *)(intptr_t)error;
}

static void
make_mutex(pthread_mutex_t *m, int type)
{
	pthread_mutexattr_t a;
	int t;

	RZ(pthread_mutexattr_init(&a));
	RZ(pthread_mutexattr_settype(&a, type));
	RZ(pthread_mutexattr_gettype(&a, &t));
	ATF_REQUIRE_EQ(t, type);
	RZ(pthread_mutex_init(m, &a));
	RZ(pthread_mutexattr_destroy(&a));
}

ATF_TC(errorcheck);
ATF_TC_HEAD(errorcheck, tc)
{
	atf_tc_set_md_var(tc, "descr", "PTHREAD_MUTEX_ERRORCHECK: EDEADLK "
	    "relocking, EPERM unlocking another's or a free mutex, trylock "
	    "EBUSY, destroy EBUSY, EINVAL after destroy or for a bad type");
}
ATF_TC_BODY(errorcheck, tc)
{
	pthread_mutexattr_t a;

	RZ(pthread_mutexattr_init(&a));
	ATF_REQUIRE_EQ(pthread_mutexattr_settype(&a, 42), EINVAL);
	make_mutex(&em, PTHREAD_MUTEX_ERRORCHECK);

	ATF_REQUIRE_EQ(pthread_mutex_unlock(&em), EPERM);	/* free */
	RZ(pthread_mutex_lock(&em));
	ATF_REQUIRE_EQ(pthread_mutex_lock(&em), EDEADLK);
	ATF_REQUIRE_EQ(pthread_mutex_trylock(&em), EBUSY);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(unlock_em, NULL)), EPERM);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(trylock_em, NULL)), EBUSY);
	ATF_REQUIRE_EQ(pthread_mutex_destroy(&em), EBUSY);
	RZ(pthread_mutex_unlock(&em));
	ATF_REQUIRE_EQ(pthread_mutex_unlock(&em), EPERM);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(trylock_em, NULL)), 0);
	RZ(pthread_mutex_destroy(&em));
	ATF_REQUIRE_EQ(pthread_mutex_lock(&em), EINVAL);
	ATF_REQUIRE_EQ(pthread_mutex_unlock(&em), EINVAL);
	RZ(pthread_mutexattr_destroy(&a));
	ATF_REQUIRE_EQ(pthread_mutex_init(&em, &a), EINVAL);
}

ATF_TC(recursive);
ATF_TC_HEAD(recursive, tc)
{
	atf_tc_set_md_var(tc, "descr", "PTHREAD_MUTEX_RECURSIVE: locked 3 "
	    "times (lock and trylock), it takes 3 unlocks to free it; others "
	    "get EBUSY until then; a 4th unlock is EPERM");
}
ATF_TC_BODY(recursive, tc)
{
	make_mutex(&em, PTHREAD_MUTEX_RECURSIVE);
	RZ(pthread_mutex_lock(&em));
	RZ(pthread_mutex_lock(&em));
	RZ(pthread_mutex_trylock(&em));
	for (int i = 0; i < 3; i++) {
		ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(trylock_em, NULL)),
		    EBUSY);
		ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(unlock_em, NULL)),
		    EPERM);
		RZ(pthread_mutex_unlock(&em));
	}
	ATF_REQUIRE_EQ(pthread_mutex_unlock(&em), EPERM);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(trylock_em, NULL)), 0);
	RZ(pthread_mutex_destroy(&em));
}

ATF_TC(normal);
ATF_TC_HEAD(normal, tc)
{
	atf_tc_set_md_var(tc, "descr", "PTHREAD_MUTEX_NORMAL (the default): "
	    "trylock EBUSY when held (by us too), EPERM unlocking another "
	    "thread's");
}
ATF_TC_BODY(normal, tc)
{
	RZ(pthread_mutex_init(&em, NULL));
	RZ(pthread_mutex_lock(&em));
	ATF_REQUIRE_EQ(pthread_mutex_trylock(&em), EBUSY);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(trylock_em, NULL)), EBUSY);
	ATF_REQUIRE_EQ((intptr_t)h_join(h_thread(unlock_em, NULL)), EPERM);
	RZ(pthread_mutex_unlock(&em));
	RZ(pthread_mutex_trylock(&em));
	RZ(pthread_mutex_unlock(&em));
	RZ(pthread_mutex_destroy(&em));
}

/*
 * A fork child has only the forking thread.  A mutex another thread
 * held at the fork stays held in the child for ever (POSIX leaves it
 * so); locking it must sleep, not crash: the lock's spin asks whether
 * the owner runs (pthread__running, its lwpctl block), and the owner's
 * block was in the parent's lwpctl area, which fork does not copy
 * (kern_lwpctl.c).  pthread__forked points every other thread at
 * pthread__lwpctl_none ("not running").  The child leaves by SIGALRM.
 */
static pthread_mutex_t fm = PTHREAD_MUTEX_INITIALIZER;
static volatile int fm_held, fm_release;

static void *
hold_fm(void *arg)
{
	if (pthread_mutex_lock(&fm) != 0)
		return (void *)1;
	fm_held = 1;
	while (!fm_release)		/* running: its block says so */
		;
	(void)pthread_mutex_unlock(&fm);
	return NULL;
}

static void
fm_alarm(int sig)
{
	_exit(0);
}

ATF_TC(fork_child_lock_held_by_gone_thread);
ATF_TC_HEAD(fork_child_lock_held_by_gone_thread, tc)
{
	atf_tc_set_md_var(tc, "descr", "in a fork child, locking a mutex "
	    "that another thread of the parent held at the fork sleeps (held "
	    "for ever): it does not read that thread's lwpctl block, which "
	    "the child does not have");
}
ATF_TC_BODY(fork_child_lock_held_by_gone_thread, tc)
{
	pthread_t t;
	pid_t pid;
	int st;

	t = h_thread(hold_fm, NULL);
	while (!fm_held)
		(void)sched_yield();
	RL(pid = fork());
	if (pid == 0) {
		(void)signal(SIGALRM, fm_alarm);
		(void)alarm(1);
		(void)pthread_mutex_lock(&fm);
		_exit(2);		/* nobody here can unlock it */
	}
	RL(waitpid(pid, &st, 0));
	fm_release = 1;
	ATF_REQUIRE_EQ((intptr_t)h_join(t), 0);
	ATF_REQUIRE_MSG(!WIFSIGNALED(st), "the child died of signal %d "
	    "locking the mutex", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	ATF_REQUIRE_EQ_MSG(WEXITSTATUS(st), 0, "the child got the mutex "
	    "(status %d)", WEXITSTATUS(st));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mutex_exclusion);
	ATF_TP_ADD_TC(tp, mutex_exclusion_sleeping);
	ATF_TP_ADD_TC(tp, spin_exclusion);
	ATF_TP_ADD_TC(tp, handoff_1cpu);
	ATF_TP_ADD_TC(tp, handoff_2cpu);
	ATF_TP_ADD_TC(tp, adaptive_park);
	ATF_TP_ADD_TC(tp, no_spin_when_owner_off_cpu);
	ATF_TP_ADD_TC(tp, adaptive_spin);
	ATF_TP_ADD_TC(tp, errorcheck);
	ATF_TP_ADD_TC(tp, recursive);
	ATF_TP_ADD_TC(tp, normal);
	ATF_TP_ADD_TC(tp, fork_child_lock_held_by_gone_thread);
	return atf_no_error();
}
