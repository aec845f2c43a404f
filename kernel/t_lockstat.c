/*
 * t_lockstat.c: ktests for the lock statistics (subr_lockstat.c): the
 * counters of a lock class move by exactly what was done to its locks.
 * Contention is forced by states, never by times: a waiter seen asleep
 * on the turnstile, or another CPU seen spinning (ci_spinning).
 * Acquisitions and hold times are counted only under LOCKDEBUG (the
 * default kernel), and only while counting is asked for
 * (lockstat_count: each test here asks); contention always.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lock.h>
#include <sys/ktest.h>
#include <sys/lockstat.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/param.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/sysctl.h>
#include <sys/time.h>

#define T_LS_MAX	256

/* The record of lock class `name' now (all zero if it has none). */
static void
t_ls_get(const char *name, struct lockstat_rec *out)
{
	struct lockstat_rec *rec = kmem_alloc(T_LS_MAX * sizeof(*rec),
	    KM_SLEEP);
	size_t n = MIN(lockstat_snapshot(rec, T_LS_MAX), T_LS_MAX);

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		if (strcmp(rec[i].ls_name, name) == 0)
			*out = rec[i];
	kmem_free(rec, T_LS_MAX * sizeof(*rec));
}

static kmutex_t t_ls_am;

static void
t_ls_waiter(void *arg)
{
	mutex_enter(&t_ls_am);		/* blocks: we hold it until it does */
	mutex_exit(&t_ls_am);
}

/*
 * An adaptive mutex held until its other taker is asleep on the
 * turnstile (a state, not a time): two acquisitions, exactly one of
 * them contended, with time blocked, and a longest hold.
 */
KTEST(lockstat_adaptive_contended)
{
	struct lockstat_rec r0, r1;
	bool blocked = false;
	lwp_t *l;

	mutex_init(&t_ls_am, MUTEX_DEFAULT, IPL_NONE, "t_lockstat_am");
	lockstat_reset_maxhold();
	KT_EQ(lockstat_count(true), 0);
	t_ls_get("t_lockstat_am", &r0);
	mutex_enter(&t_ls_am);
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, t_ls_waiter,
	    NULL, &l, "t_lswait"), 0);
	for (int t = 0; t < 500 && !blocked; t++) {
		kpause("t_lshold", false, 1, NULL);
		lwp_lock(l);
		blocked = l->l_stat == LSSLEEP && l->l_wchan == &t_ls_am &&
		    !(l->l_pflag & LP_RUNNING);
		lwp_unlock(l);
	}
	mutex_exit(&t_ls_am);
	KT_EQ(kthread_join(l), 0);
	t_ls_get("t_lockstat_am", &r1);
	KT_EQ(lockstat_count(false), 0);
	KT_ASSERT(blocked);
	printf("ktest: t_lockstat_am: %lu acq, %lu contended, spin %lu, "
	    "sleep %lu, max hold %lu cycles\n", r1.ls_nacq - r0.ls_nacq,
	    r1.ls_ncont - r0.ls_ncont, r1.ls_spin - r0.ls_spin,
	    r1.ls_sleep - r0.ls_sleep, r1.ls_maxhold);
	KT_STREQ(r1.ls_name, "t_lockstat_am");
	KT_EQ(r1.ls_flags, LS_ADAPTIVE);
	KT_EQ(r1.ls_ncont - r0.ls_ncont, 1);
	KT_ASSERT(r1.ls_sleep - r0.ls_sleep > 0);
	if (LOCKDEBUG) {
		KT_EQ(r1.ls_nacq - r0.ls_nacq, 2);
		KT_ASSERT(r1.ls_maxhold > 0);	/* (the waiter's sleep may
						 * end after our hold) */
	} else
		KT_EQ(r1.ls_nacq, 0);
	mutex_destroy(&t_ls_am);
}

/*
 * A spin mutex taken 10 times, and once more by mutex_tryenter (a
 * second try, while held, fails and is not counted): 11 acquisitions,
 * none contended, and a hold time.  (Without LOCKDEBUG a lock never
 * contended gets no class at all.)
 */
KTEST(lockstat_spin_counted)
{
	static kmutex_t sm;
	struct lockstat_rec r0, r1;

	mutex_init(&sm, MUTEX_SPIN, IPL_VM, "t_lockstat_sm");
	lockstat_reset_maxhold();
	KT_EQ(lockstat_count(true), 0);
	t_ls_get("t_lockstat_sm", &r0);
	for (int i = 0; i < 10; i++) {
		mutex_spin_enter(&sm);
		mutex_spin_exit(&sm);
	}
	KT_EQ(mutex_tryenter(&sm), 1);
	KT_EQ(mutex_tryenter(&sm), 0);
	delay(10);			/* a hold the counter sees */
	mutex_exit(&sm);
	t_ls_get("t_lockstat_sm", &r1);
	KT_EQ(lockstat_count(false), 0);
	KT_EQ(r1.ls_ncont - r0.ls_ncont, 0);
	KT_EQ(r1.ls_sleep - r0.ls_sleep, 0);
	if (LOCKDEBUG) {
		KT_STREQ(r1.ls_name, "t_lockstat_sm");
		KT_EQ(r1.ls_flags, LS_SPIN);
		KT_EQ(r1.ls_nacq - r0.ls_nacq, 11);
		KT_ASSERT(r1.ls_maxhold > 0);
	} else				/* never contended: no class */
		KT_STREQ(r1.ls_name, "");
	mutex_destroy(&sm);
}

static kmutex_t t_ls_sc;
static volatile int t_ls_go;

static void
t_ls_spinner(void *arg)
{
	while (!t_ls_go)
		SPINLOCK_BACKOFF_HOOK;
	mutex_spin_enter(&t_ls_sc);	/* spins: we hold it until it does */
	mutex_spin_exit(&t_ls_sc);
}

/*
 * A spin mutex held until another CPU is seen spinning for it (its
 * ci_spinning, a state): two acquisitions, exactly one contended, with
 * spin time and no sleep.  (The wait for the other CPU is bounded
 * generously in guest time, with the spin-out limit off meanwhile, as
 * in t_lwplock.c's lwp_lock_rechecks_across_cpus.)
 */
KTEST(lockstat_spin_contended)
{
	uint64_t spinout = lockdebug_spinout_cycles, end;
	struct lockstat_rec r0, r1;
	struct cpu_info *other;
	bool spun;
	lwp_t *l;

	if (ncpu < 2)
		KT_SKIP("needs 2 CPUs");
	other = cpu_lookup((cpu_index(curcpu()) + 1) % ncpu);
	mutex_init(&t_ls_sc, MUTEX_SPIN, IPL_VM, "t_lockstat_sc");
	KT_EQ(lockstat_count(true), 0);
	t_ls_get("t_lockstat_sc", &r0);
	t_ls_go = 0;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, other, t_ls_spinner,
	    NULL, &l, "t_lsspin"), 0);
	lockdebug_spinout_cycles = 0;
	mutex_spin_enter(&t_ls_sc);
	t_ls_go = 1;
	end = nsuptime() + 60 * 1000000000ULL;
	while (!(spun = other->ci_spinning == &t_ls_sc) && nsuptime() < end)
		SPINLOCK_BACKOFF_HOOK;
	mutex_spin_exit(&t_ls_sc);
	KT_EQ(kthread_join(l), 0);
	lockdebug_spinout_cycles = spinout;
	t_ls_get("t_lockstat_sc", &r1);
	KT_EQ(lockstat_count(false), 0);
	KT_ASSERT(spun);
	KT_EQ(r1.ls_flags, LS_SPIN);
	KT_EQ(r1.ls_ncont - r0.ls_ncont, 1);
	KT_ASSERT(r1.ls_spin - r0.ls_spin > 0);
	KT_EQ(r1.ls_sleep - r0.ls_sleep, 0);
	if (LOCKDEBUG)
		KT_EQ(r1.ls_nacq - r0.ls_nacq, 2);
	mutex_destroy(&t_ls_sc);
}

/*
 * Counting acquisitions costs every lock operation, so it is off until
 * asked for (subr_lockstat.c): a spin mutex taken 5 times with counting
 * off is counted 0 times, then 5 times with it on; off again, 0 more.
 * Off with nobody counting is EINVAL.  Without LOCKDEBUG nothing is
 * ever counted.
 */
KTEST(lockstat_counts_only_when_asked)
{
	static kmutex_t m;
	struct lockstat_rec r0, r1, r2, r3;
	u_int users = lockstat_counting;

	if (users != 0)
		KT_SKIP("counting is on already (boot option lockstat=1?)");
	mutex_init(&m, MUTEX_SPIN, IPL_VM, "t_lockstat_asked");
	KT_EQ(lockstat_count(false), EINVAL);
	/* Contended once, so that it has a class with counting off. */
	lockstat_contended(&m, 1, 0);
	t_ls_get("t_lockstat_asked", &r0);
	for (int i = 0; i < 5; i++) {
		mutex_spin_enter(&m);
		mutex_spin_exit(&m);
	}
	t_ls_get("t_lockstat_asked", &r1);
	KT_EQ(lockstat_count(true), 0);
	for (int i = 0; i < 5; i++) {
		mutex_spin_enter(&m);
		mutex_spin_exit(&m);
	}
	t_ls_get("t_lockstat_asked", &r2);
	KT_EQ(lockstat_count(false), 0);
	mutex_spin_enter(&m);
	mutex_spin_exit(&m);
	t_ls_get("t_lockstat_asked", &r3);
	KT_STREQ(r0.ls_name, "t_lockstat_asked");
	KT_EQ(r1.ls_nacq - r0.ls_nacq, 0);
	KT_EQ(r2.ls_nacq - r1.ls_nacq, LOCKDEBUG ? 5 : 0);
	KT_EQ(r3.ls_nacq - r2.ls_nacq, 0);
	KT_EQ(lockstat_counting, 0);
	mutex_destroy(&m);
}
