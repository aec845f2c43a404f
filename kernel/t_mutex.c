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
static u_int t_am_rounds;		/* each worker's */

static void
t_am_worker(void *arg)
{
	for (u_int i = 0; i < t_am_rounds; i++) {
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
 * Two threads per CPU (on up to 16 CPUs: beyond, 32 threads on the
 * first 32) hammer one adaptive mutex: the count is exact, and both
 * slow paths ran: spinning on a running owner (with 2+ CPUs) and
 * blocking on the turnstile.  (With more, on a 2-core host, every
 * release wakes a herd that queues for the turnstile chain's spin lock
 * with interrupts off, while the host runs each virtual CPU a 32nd of
 * the time: at SMP=64 the test ran for more than 10 minutes.)
 */
KTEST(mutex_adaptive_contention)
{
	static lwp_t *l[32];
	u_int n = 2 * MIN(ncpu, 16);
	uint64_t spin0 = mutex_nspin, block0 = mutex_nblock;

	mutex_init(&t_am, MUTEX_DEFAULT, IPL_NONE, "t_am");
	t_am_count = 0;
	/* 5 000 rounds each up to 2 CPUs, 20 000 shared beyond; at least
	 * 60, so that each worker yields (round 0) and delays (round 50)
	 * holding it. */
	t_am_rounds = ktest_rounds(20000, n, 60, 5000);
	for (u_int i = 0; i < n; i++)
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN,
		    cpu_lookup(i % ncpu), t_am_worker, NULL, &l[i], "t_am%u",
		    i), 0);
	for (u_int i = 0; i < n; i++)
		KT_EQ(kthread_join(l[i]), 0);
	KT_EQ(t_am_count, (uint64_t)t_am_rounds * n);
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
	mutex_enter(&t_cvm);	/* blocks: the owner sleeps holding it */
	t_cv_phase = 2;
	mutex_exit(&t_cvm);
}

/*
 * cv_wait releases its interlock after putting curlwp on the sleep
 * queue, so curlwp is already locked (by the queue's lock) when it
 * releases a mutex that others block on: mutex_exit must not lock it
 * again (it did, and panicked "locking against myself" when a process
 * with many LWPs exited).  The locker is asleep on the mutex, off its
 * CPU, before we release it in cv_timedwait, whatever the timing.
 */
KTEST(cv_wait_releases_contended_interlock)
{
	lwp_t *l;
	bool blocked = false;

	mutex_init(&t_cvm, MUTEX_DEFAULT, IPL_NONE, "t_cvm");
	cv_init(&t_cvcv, "t_cvcv");
	t_cv_phase = 0;
	mutex_enter(&t_cvm);
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, t_cv_locker,
	    NULL, &l, "t_cvlock"), 0);
	for (int t = 0; t < 500 && !blocked; t++) {
		kpause("t_cvhold", false, 1, NULL);
		lwp_lock(l);
		blocked = l->l_stat == LSSLEEP && l->l_wchan == &t_cvm &&
		    !(l->l_pflag & LP_RUNNING);
		lwp_unlock(l);
	}
	(void)cv_timedwait(&t_cvcv, &t_cvm, 2);	/* ... it gets it here */
	mutex_exit(&t_cvm);
	KT_EQ(kthread_join(l), 0);
	KT_ASSERT(blocked);
	KT_EQ(t_cv_phase, 2);
	cv_destroy(&t_cvcv);
	mutex_destroy(&t_cvm);
}

/* (Priority inheritance: t_turnstile.c, states rather than times.) */

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
