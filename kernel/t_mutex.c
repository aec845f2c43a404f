/*
 * t_mutex.c: ktests for adaptive mutexes, turnstiles and priority
 * inheritance.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kthread.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/time.h>
#include <sys/turnstile.h>

static kmutex_t t_am;
static volatile uint64_t t_am_count;

static void
t_am_worker(void *arg)
{
	for (int i = 0; i < 5000; i++) {
		mutex_enter(&t_am);
		t_am_count++;
		if (i % 250 == 0)
			yield();	/* hold it while off the CPU: others block */
		else if (i % 50 == 0)
			delay(300);	/* hold it while running: others spin */
		mutex_exit(&t_am);
	}
}

/*
 * Two threads per CPU hammer one adaptive mutex: the count is exact,
 * and both slow paths ran: spinning on a running owner (with 2+ CPUs)
 * and blocking on the turnstile.
 */
KTEST(mutex_adaptive_contention)
{
	lwp_t *l[2 * MAXCPUS];
	u_int n = 2 * ncpu;
	uint64_t spin0 = mutex_nspin, block0 = mutex_nblock;

	mutex_init(&t_am, MUTEX_DEFAULT, IPL_NONE, "t_am");
	t_am_count = 0;
	for (u_int i = 0; i < n; i++)
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN,
		    cpu_lookup(i % ncpu), t_am_worker, NULL, &l[i], "t_am%u",
		    i), 0);
	for (u_int i = 0; i < n; i++)
		KT_EQ(kthread_join(l[i]), 0);
	KT_EQ(t_am_count, 5000 * (uint64_t)n);
	KT_ASSERT(!mutex_owned(&t_am) && mutex_owner(&t_am) == NULL);
	printf("ktest: adaptive mutex: %lu spins, %lu blocks\n",
	    mutex_nspin - spin0, mutex_nblock - block0);
	KT_ASSERT(mutex_nblock - block0 > 0);
	if (ncpu > 1)
		KT_ASSERT(mutex_nspin - spin0 > 0);
	KT_EQ(mutex_tryenter(&t_am), 1);
	KT_EQ(mutex_tryenter(&t_am), 0);
	mutex_exit(&t_am);
	mutex_destroy(&t_am);
}

/* ---- cv_wait's interlock, contended ------------------------------------ */

static kmutex_t t_cvm;
static kcondvar_t t_cvcv;
static volatile int t_cv_phase;

static void
t_cv_locker(void *arg)
{
	while (__atomic_load_n(&t_cv_phase, __ATOMIC_ACQUIRE) == 0)
		yield();
	mutex_enter(&t_cvm);	/* blocks: the owner sleeps holding it */
	t_cv_phase = 2;
	mutex_exit(&t_cvm);
}

/*
 * cv_wait releases its interlock after putting curlwp on the sleep
 * queue, so curlwp is already locked (by the queue's lock) when it
 * releases a mutex that others block on: mutex_exit must not lock it
 * again (it did, and panicked "locking against myself" when a process
 * with many LWPs exited).
 */
KTEST(cv_wait_releases_contended_interlock)
{
	lwp_t *l;

	mutex_init(&t_cvm, MUTEX_DEFAULT, IPL_NONE, "t_cvm");
	cv_init(&t_cvcv, "t_cvcv");
	t_cv_phase = 0;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, t_cv_locker,
	    NULL, &l, "t_cvlock"), 0);
	mutex_enter(&t_cvm);
	__atomic_store_n(&t_cv_phase, 1, __ATOMIC_RELEASE);
	kpause("t_cvhold", false, 3, NULL);	/* the locker blocks on us */
	(void)cv_timedwait(&t_cvcv, &t_cvm, 2);	/* ... and gets it here */
	mutex_exit(&t_cvm);
	KT_EQ(kthread_join(l), 0);
	KT_EQ(t_cv_phase, 2);
	cv_destroy(&t_cvcv);
	mutex_destroy(&t_cvm);
}

/* ---- priority inheritance ------------------------------------------- */

static kmutex_t t_pi;
static volatile int t_pi_low_has_it, t_pi_hog_stop, t_pi_high_waiting;
static volatile uint64_t t_pi_high_blocked_at, t_pi_high_got_at;

/* Low: take the mutex; once High waits for it, ~50 ms of work (CPU
 * time: it needs the CPU to finish) before letting go. */
static void
t_pi_low(void *arg)
{
	mutex_enter(&t_pi);
	t_pi_low_has_it = 1;
	while (!t_pi_high_waiting)	/* sleep: do not starve the setup */
		kpause("t_pilow", false, 1, NULL);
	for (uint64_t end = nsuptime() + 50000000UL; nsuptime() < end; )
		continue;
	mutex_exit(&t_pi);
}

/* Medium: a CPU hog, for at most 1.5 s. */
static void
t_pi_hog(void *arg)
{
	for (uint64_t end = nsuptime() + 1500000000UL;
	    !t_pi_hog_stop && nsuptime() < end; )
		continue;
}

/* Change the running thread's own priority. */
static void
t_setmypri(pri_t pri)
{
	lwp_t *l = curlwp;

	lwp_lock(l);
	l->l_priority = pri;
	l->l_cpu->ci_schedstate.spc_curpriority = lwp_eprio(l);
	lwp_unlock(l);
}

static void
t_pi_high(void *arg)
{
	t_pi_high_blocked_at = nsuptime();
	t_pi_high_waiting = 1;
	mutex_enter(&t_pi);
	t_pi_high_got_at = nsuptime();
	mutex_exit(&t_pi);
}

/*
 * Low holds a mutex that High (higher priority) wants, while a Medium
 * hog keeps the same CPU busy.  With inheritance, Low runs at High's
 * priority, beats the hog, and High gets the mutex after Low's ~50 ms;
 * without it, Low waits behind the hog (1.5 s).  *waited: High's wait.
 */
static void
t_pi_scenario(struct ktest_ctx *kt, bool pi, uint64_t *waited)
{
	struct cpu_info *ci = cpu_lookup(ncpu - 1);
	lwp_t *low, *med, *high;

	mutex_init(&t_pi, MUTEX_DEFAULT, IPL_NONE, "t_pi");
	turnstile_pi_enabled = pi;
	t_pi_low_has_it = t_pi_hog_stop = t_pi_high_waiting = 0;
	t_pi_high_got_at = 0;
	KT_EQ(kthread_create(PRI_KTHREAD, KTHREAD_MUSTJOIN, ci, t_pi_low,
	    NULL, &low, "t_pilow"), 0);
	while (!t_pi_low_has_it)
		kpause("t_pi", false, 1, NULL);
	/* Above them all while setting up (it matters when we share their
	 * CPU, at SMP=1), so both are in place before either runs. */
	t_setmypri(PRI_KTHREAD + 30);
	KT_EQ(kthread_create(PRI_KTHREAD + 20, KTHREAD_MUSTJOIN, ci, t_pi_high,
	    NULL, &high, "t_pihigh"), 0);
	KT_EQ(kthread_create(PRI_KTHREAD + 10, KTHREAD_MUSTJOIN, ci, t_pi_hog,
	    NULL, &med, "t_pimed"), 0);
	t_setmypri(PRI_KTHREAD);
	KT_EQ(kthread_join(high), 0);
	t_pi_hog_stop = 1;
	KT_EQ(kthread_join(med), 0);
	KT_EQ(kthread_join(low), 0);
	turnstile_pi_enabled = true;
	mutex_destroy(&t_pi);
	KT_EQ(lwp0.l_inheritedprio, -1);
	*waited = t_pi_high_got_at - t_pi_high_blocked_at;
}

KTEST(mutex_priority_inheritance)
{
	uint64_t with = 0, without = 0;

	t_pi_scenario(kt, true, &with);
	t_pi_scenario(kt, false, &without);

	printf("ktest: priority inheritance: High waited %lu ms with, %lu ms "
	    "without\n", with / 1000000, without / 1000000);
	KT_ASSERT(with < 500000000UL);		/* Low's work, not the hog */
	KT_ASSERT(without > 1000000000UL);	/* the test can tell */
}

static kmutex_t t_m1, t_m2;
static volatile int t_c_has1, t_c_has2, t_c_high_waiting, t_c_stop;
static volatile uint64_t t_c_blocked_at, t_c_got_at;

static void
t_c_low(void *arg)
{
	mutex_enter(&t_m1);
	t_c_has1 = 1;
	while (!t_c_high_waiting)	/* sleep: do not starve the setup */
		kpause("t_clow", false, 1, NULL);
	for (uint64_t end = nsuptime() + 50000000UL; nsuptime() < end; )
		continue;
	mutex_exit(&t_m1);
}

static void
t_c_mid(void *arg)
{
	mutex_enter(&t_m2);
	t_c_has2 = 1;
	mutex_enter(&t_m1);		/* blocks: low has it */
	mutex_exit(&t_m1);
	mutex_exit(&t_m2);
}

static void
t_c_high(void *arg)
{
	t_c_blocked_at = nsuptime();
	t_c_high_waiting = 1;
	mutex_enter(&t_m2);		/* blocks: mid has it */
	t_c_got_at = nsuptime();
	mutex_exit(&t_m2);
}

static void
t_c_hog(void *arg)
{
	for (uint64_t end = nsuptime() + 1500000000UL;
	    !t_c_stop && nsuptime() < end; )
		continue;
}

/*
 * Chained inheritance: High waits for m2, held by Mid, which waits for
 * m1, held by Low.  High's priority must travel the chain to Low (past
 * a hog between them) for High to get m2 quickly.
 */
static void
t_chain_scenario(struct ktest_ctx *kt, bool pi, uint64_t *waited)
{
	struct cpu_info *ci = cpu_lookup(ncpu - 1);
	lwp_t *low, *mid, *high, *hog;

	mutex_init(&t_m1, MUTEX_DEFAULT, IPL_NONE, "t_m1");
	mutex_init(&t_m2, MUTEX_DEFAULT, IPL_NONE, "t_m2");
	turnstile_pi_enabled = pi;
	t_c_has1 = t_c_has2 = t_c_high_waiting = t_c_stop = 0;
	KT_EQ(kthread_create(PRI_KTHREAD, KTHREAD_MUSTJOIN, ci, t_c_low, NULL,
	    &low, "t_clow"), 0);
	while (!t_c_has1)
		kpause("t_chain", false, 1, NULL);
	KT_EQ(kthread_create(PRI_KTHREAD + 5, KTHREAD_MUSTJOIN, ci, t_c_mid,
	    NULL, &mid, "t_cmid"), 0);
	while (!t_c_has2 || mid->l_stat != LSSLEEP)
		kpause("t_chain", false, 1, NULL);
	t_setmypri(PRI_KTHREAD + 30);
	KT_EQ(kthread_create(PRI_KTHREAD + 20, KTHREAD_MUSTJOIN, ci, t_c_high,
	    NULL, &high, "t_chigh"), 0);
	KT_EQ(kthread_create(PRI_KTHREAD + 10, KTHREAD_MUSTJOIN, ci, t_c_hog,
	    NULL, &hog, "t_chog"), 0);
	t_setmypri(PRI_KTHREAD);
	KT_EQ(kthread_join(high), 0);
	t_c_stop = 1;
	KT_EQ(kthread_join(hog), 0);
	KT_EQ(kthread_join(mid), 0);
	KT_EQ(kthread_join(low), 0);
	turnstile_pi_enabled = true;
	mutex_destroy(&t_m1);
	mutex_destroy(&t_m2);
	*waited = t_c_got_at - t_c_blocked_at;
}

KTEST(mutex_priority_inheritance_chained)
{
	uint64_t with = 0, without = 0;

	t_chain_scenario(kt, true, &with);
	t_chain_scenario(kt, false, &without);
	printf("ktest: chained inheritance: High waited %lu ms with, %lu ms "
	    "without\n", with / 1000000, without / 1000000);
	KT_ASSERT(with < 500000000UL);
	KT_ASSERT(without > 1000000000UL);
}

/* ---- the lock-order checker ------------------------------------------- */

static kmutex_t t_la, t_lb, t_lc;

static void
t_lock_init(void)
{
	mutex_init(&t_la, MUTEX_DEFAULT, IPL_NONE, "t_lockA");
	mutex_init(&t_lb, MUTEX_DEFAULT, IPL_NONE, "t_lockB");
	mutex_init(&t_lc, MUTEX_DEFAULT, IPL_NONE, "t_lockC");
}

/* Taking locks in one consistent order, again and again, is fine. */
KTEST(lockdebug_consistent_order_accepted)
{
	t_lock_init();
	for (int i = 0; i < 3; i++) {
		mutex_enter(&t_la);
		mutex_enter(&t_lb);
		mutex_enter(&t_lc);
		mutex_exit(&t_lb);		/* any release order */
		mutex_exit(&t_lc);
		mutex_exit(&t_la);
	}
	KT_EQ(curlwp->l_nlkheld, 0);
}

/* A then B, B then C, and later C then A: a three-lock cycle, never a
 * deadlock in this one thread, but two or three threads could.  The
 * checker panics at the last step, naming both locks and where the
 * other order was seen. */
/* An adaptive mutex taken twice by one LWP would block on itself for
 * ever: LOCKDEBUG panics at once instead. */
KTEST_MANUAL(selftest_mutex_recurse,
    "^panic: mutex_enter: locking against myself: 0x[0-9a-f]+ \\(t_recurse\\)",
    "in ktest_fn_selftest_mutex_recurse\\+0x")
{
	static kmutex_t m;

	mutex_init(&m, MUTEX_DEFAULT, IPL_NONE, "t_recurse");
	mutex_enter(&m);
	mutex_enter(&m);
}

static kmutex_t t_held_elsewhere;
static volatile int t_held_elsewhere_taken;

static void
t_take_and_keep(void *arg)
{
	mutex_enter(&t_held_elsewhere);
	t_held_elsewhere_taken = 1;
	for (;;)
		(void)kpause("t_keep", false, hz, NULL);
}

/* Releasing an adaptive mutex that another LWP owns: LOCKDEBUG panics
 * naming both LWPs. */
KTEST_MANUAL(selftest_mutex_release_not_owner,
    "^panic: mutex_exit: 0x[0-9a-f]+ \\(t_held_elsewhere\\) released by LWP "
    "[0-9]+ \\(lwp0\\) but owned by LWP [0-9]+ \\(t_keeper\\)")
{
	mutex_init(&t_held_elsewhere, MUTEX_DEFAULT, IPL_NONE, "t_held_elsewhere");
	KT_EQ(kthread_create(PRI_NONE, 0, NULL, t_take_and_keep, NULL, NULL,
	    "t_keeper"), 0);
	while (!t_held_elsewhere_taken)
		(void)kpause("t_wait", false, 1, NULL);
	mutex_exit(&t_held_elsewhere);
}

KTEST_MANUAL(selftest_lock_cycle,
    "^panic: lock order cycle: t_lockA \\(0x[0-9a-f]+\\) taken at "
    "<ktest_fn_selftest_lock_cycle\\+0x[0-9a-f]+> while holding t_lockC, but "
    "t_lockA was taken before t_lockC at <ktest_fn_selftest_lock_cycle\\+0x")
{
	t_lock_init();
	mutex_enter(&t_la);
	mutex_enter(&t_lb);
	mutex_exit(&t_lb);
	mutex_exit(&t_la);
	mutex_enter(&t_lb);
	mutex_enter(&t_lc);
	mutex_exit(&t_lc);
	mutex_exit(&t_lb);
	mutex_enter(&t_lc);
	mutex_enter(&t_la);		/* the cycle closes here */
}
