/*
 * t_lwplock.c: lock lending's contract (kern_lwplock.c, and setrunnable
 * in kern_synch.c; lab lend).
 *
 * Most of these are early ktests (KTEST_EARLY): they run on the boot CPU
 * right after lwpinit(), before anything is scheduled and with
 * interrupts off, so that they judge lock lending even when it is too
 * broken for the kernel to boot (create_idle_lwp is the first to lock
 * an LWP).  They use made-up LWPs covered by made-up spin mutexes, a
 * made-up process, and a made-up CPU (t_lk_ci, which never runs).
 *
 * "Another CPU" is played by the test itself: a lock it marks held by
 * t_lk_ci is one this CPU must wait for, and mutex_spin_hook (sys/
 * mutex.h) calls back into the test while this CPU waits for a spin
 * mutex or is about to try one: the moment another CPU would have lent
 * the LWP another lock and let the old one go.  So the races of lock
 * lending happen at chosen moments, on one CPU, the same way every run.
 * The last test plays the same race with a real second CPU.
 *
 * Every test first undoes what it did (locks, the hook, the run queue)
 * and then asserts, so that a failure leaves the boot path clean.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kthread.h>
#include <sys/ktest.h>
#include <sys/lock.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/syncobj.h>
#include <sys/time.h>

#include "t_fake.h"

#define T_NLWP	4

static struct cpu_info t_lk_ci;		/* "another CPU": never runs */
static lwp_t t_lk_lwp[T_NLWP] __aligned(LWP_ALIGN);
static kmutex_t t_lk_a = MUTEX_INITIALIZER("t_lk_a", IPL_SCHED);
static kmutex_t t_lk_b = MUTEX_INITIALIZER("t_lk_b", IPL_SCHED);
static kmutex_t t_lk_c = MUTEX_INITIALIZER("t_lk_c", IPL_SCHED);
static kmutex_t t_lk_d = MUTEX_INITIALIZER("t_lk_d", IPL_SCHED);
static int t_lk_wchan;			/* what the made-up LWPs sleep on */

static void
t_lk_cpu(void)
{
	t_fake_cpu(&t_lk_ci, MAXCPUS - 2);
}

/*
 * Made-up LWP i, asleep (LSSLEEP on t_lk_wchan) and covered by m: the
 * state table allows any lock there but its CPU's spc_mutex and
 * spc_lwplock, so lwp_check_lock accepts every made-up lock.
 */
static lwp_t *
t_sleeper(int i, kmutex_t *m)
{
	lwp_t *l = t_fake_lwp(&t_lk_lwp[i], 2000 + i, LSSLEEP, &t_lk_ci, m,
	    PRI_USER, "t_lwplock");

	l->l_wchan = &t_lk_wchan;
	l->l_wmesg = "t_lk";
	return l;
}

/* Another CPU (t_lk_ci) holds m / lets m go. */
static void
t_hold_elsewhere(kmutex_t *m)
{
	m->mtx_owner = &t_lk_ci;
	__atomic_store_n(&m->mtx_lock, 1, __ATOMIC_RELEASE);
}

static void
t_release_elsewhere(kmutex_t *m)
{
	m->mtx_owner = NULL;
	__atomic_store_n(&m->mtx_lock, 0, __ATOMIC_RELEASE);
}

/* Nobody holds m. */
static bool
t_free(const kmutex_t *m)
{
	return m->mtx_lock == 0;
}

/* Back to nobody holding any of the test's locks (whatever the code
 * under test left held, here or "elsewhere"). */
static void
t_unlock_all(void)
{
	kmutex_t *all[] = { &t_lk_a, &t_lk_b, &t_lk_c, &t_lk_d };

	for (u_int i = 0; i < __arraycount(all); i++) {
		if (mutex_owned(all[i]))
			mutex_spin_exit(all[i]);
		else if (!t_free(all[i]))
			t_release_elsewhere(all[i]);
	}
}

/*
 * The other CPU's script, run from mutex_spin_hook: when this CPU waits
 * for (or tries) lock `at`, the other CPU, which holds `at`, lends
 * `l` the lock `to` and (if `release`) lets `at` go.  Each step once.
 */
struct t_step {
	kmutex_t	*at;
	lwp_t		*l;
	kmutex_t	*to;
	bool		release;
	int		done;
};
static struct t_step t_script[3];

static void
t_play(kmutex_t *m)
{
	for (u_int i = 0; i < __arraycount(t_script); i++) {
		struct t_step *s = &t_script[i];

		if (s->at != m || s->done)
			continue;
		s->done++;
		__atomic_store_n(&s->l->l_mutex, s->to, __ATOMIC_RELEASE);
		if (s->release)
			t_release_elsewhere(m);
		return;
	}
}

static void
t_script_start(void)
{
	memset(t_script, 0, sizeof(t_script));
	mutex_spin_hook = t_play;
}

/*
 * lwp_lock takes the lock l_mutex names and lwp_unlock releases it;
 * lwp_locked(l, NULL) says whether this CPU holds l's lock, and
 * lwp_locked(l, m) whether that lock is m too (never true while
 * another CPU holds it).
 */
KTEST_EARLY(lwp_lock_takes_l_mutex)
{
	struct cpu_info *ci = curcpu();
	int count0 = ci->ci_mtx_count;
	lwp_t *l;
	bool before, locked, is_a, is_b, elsewhere;
	bool held_a, held_count, freed_a;

	t_lk_cpu();
	l = t_sleeper(0, &t_lk_a);
	before = lwp_locked(l, NULL);
	lwp_lock(l);
	held_a = mutex_owned(&t_lk_a);
	held_count = ci->ci_mtx_count == count0 + 1;
	locked = lwp_locked(l, NULL);
	is_a = lwp_locked(l, &t_lk_a);
	is_b = lwp_locked(l, &t_lk_b);
	lwp_unlock(l);
	freed_a = t_free(&t_lk_a);
	t_hold_elsewhere(&t_lk_a);
	elsewhere = lwp_locked(l, NULL) || lwp_locked(l, &t_lk_a);
	t_unlock_all();

	KT_ASSERT(!before);
	KT_ASSERT(held_a);
	KT_ASSERT(held_count);
	KT_ASSERT(locked);
	KT_ASSERT(is_a);
	KT_ASSERT(!is_b);
	KT_ASSERT(freed_a);
	KT_ASSERT(!elsewhere);		/* held, but by "another CPU" */
	KT_EQ(ci->ci_mtx_count, count0);
}

/*
 * lwp_lock re-checks l_mutex once it holds the lock it read: while it
 * waited for t_lk_a, the holder lent l t_lk_b and let t_lk_a go, so
 * lwp_lock must let t_lk_a go and take t_lk_b.  Then twice in a row
 * (a -> b -> c, b held elsewhere too): it keeps following until the
 * lock it holds is the one l_mutex names.
 */
KTEST_EARLY(lwp_lock_rechecks_after_waiting)
{
	struct cpu_info *ci = curcpu();
	int count0 = ci->ci_mtx_count;
	lwp_t *l;
	bool holds_b, a_free, one, waited;
	bool holds_c, ab_free, two, followed;

	t_lk_cpu();
	l = t_sleeper(0, &t_lk_a);
	t_hold_elsewhere(&t_lk_a);
	t_script_start();
	t_script[0] = (struct t_step){ &t_lk_a, l, &t_lk_b, true, 0 };
	lwp_lock(l);
	mutex_spin_hook = NULL;
	waited = t_script[0].done;
	holds_b = mutex_owned(&t_lk_b);
	a_free = t_free(&t_lk_a);
	one = ci->ci_mtx_count == count0 + 1;
	t_unlock_all();

	l = t_sleeper(0, &t_lk_a);
	t_hold_elsewhere(&t_lk_a);
	t_hold_elsewhere(&t_lk_b);
	t_script_start();
	t_script[0] = (struct t_step){ &t_lk_a, l, &t_lk_b, true, 0 };
	t_script[1] = (struct t_step){ &t_lk_b, l, &t_lk_c, true, 0 };
	lwp_lock(l);
	mutex_spin_hook = NULL;
	followed = t_script[0].done && t_script[1].done;
	holds_c = mutex_owned(&t_lk_c);
	ab_free = t_free(&t_lk_a) && t_free(&t_lk_b);
	two = ci->ci_mtx_count == count0 + 1;
	t_unlock_all();

	KT_ASSERT(waited);	/* (the hook saw lwp_lock wait for t_lk_a) */
	KT_ASSERT(holds_b);	/* the lock l_mutex names now */
	KT_ASSERT(a_free);	/* and not the one it named before */
	KT_ASSERT(one);		/* exactly one lock held */
	KT_ASSERT(followed);
	KT_ASSERT(holds_c);
	KT_ASSERT(ab_free);
	KT_ASSERT(two);
	KT_EQ(ci->ci_mtx_count, count0);
}

/*
 * lwp_trylock: false, holding nothing more, when l's lock is held
 * elsewhere; true with l's lock when it is free; and if l was lent
 * another lock just before the try (the hook runs as mutex_tryenter is
 * about to try), true with the new lock and the old one let go -- or
 * false holding nothing, if the new one is held elsewhere.
 */
KTEST_EARLY(lwp_trylock_fails_or_rechecks)
{
	struct cpu_info *ci = curcpu();
	int count0 = ci->ci_mtx_count;
	lwp_t *l;
	bool busy, busy_none, free_ok, free_a, lent_ok, lent_b, lent_a_free;
	bool lent_busy, lent_busy_none;

	t_lk_cpu();
	l = t_sleeper(0, &t_lk_a);
	t_hold_elsewhere(&t_lk_a);
	busy = lwp_trylock(l);
	busy_none = ci->ci_mtx_count == count0 && !mutex_owned(&t_lk_a);
	t_unlock_all();

	free_ok = lwp_trylock(l);
	free_a = mutex_owned(&t_lk_a) && ci->ci_mtx_count == count0 + 1;
	t_unlock_all();

	/* Lent t_lk_b (free) just before the try of t_lk_a. */
	t_script_start();
	t_script[0] = (struct t_step){ &t_lk_a, l, &t_lk_b, false, 0 };
	lent_ok = lwp_trylock(l);
	mutex_spin_hook = NULL;
	lent_b = mutex_owned(&t_lk_b) && ci->ci_mtx_count == count0 + 1;
	lent_a_free = t_free(&t_lk_a);
	t_unlock_all();

	/* Lent t_lk_b, which is held elsewhere. */
	l = t_sleeper(0, &t_lk_a);
	t_hold_elsewhere(&t_lk_b);
	t_script_start();
	t_script[0] = (struct t_step){ &t_lk_a, l, &t_lk_b, false, 0 };
	lent_busy = lwp_trylock(l);
	mutex_spin_hook = NULL;
	lent_busy_none = ci->ci_mtx_count == count0 && t_free(&t_lk_a);
	t_unlock_all();

	KT_ASSERT(!busy);
	KT_ASSERT(busy_none);
	KT_ASSERT(free_ok);
	KT_ASSERT(free_a);
	KT_ASSERT(lent_ok);
	KT_ASSERT(lent_b);		/* the lock l_mutex names now */
	KT_ASSERT(lent_a_free);
	KT_ASSERT(!lent_busy);
	KT_ASSERT(lent_busy_none);	/* t_lk_a let go again */
	KT_EQ(ci->ci_mtx_count, count0);
}

/*
 * lwp_setlock lends l a new lock and returns the old one, which stays
 * held (the new one is not taken); lwp_unlock_to lends the new lock and
 * releases the old one, leaving the new one as it was (held by us
 * here); lwp_unlock releases whatever covers l now.
 */
KTEST_EARLY(lwp_setlock_and_unlock_to_lend)
{
	struct cpu_info *ci = curcpu();
	int count0 = ci->ci_mtx_count;
	lwp_t *l;
	kmutex_t *ret;
	bool set_ptr, set_a_held, set_b_untaken;
	bool to_ptr, to_b_free, to_c_held, to_count, un_c_free;
	bool cur_d_free, cur_c_held;

	t_lk_cpu();
	l = t_sleeper(0, &t_lk_a);
	mutex_spin_enter(&t_lk_a);
	ret = lwp_setlock(l, &t_lk_b);
	set_ptr = l->l_mutex == &t_lk_b;
	set_a_held = mutex_owned(&t_lk_a);
	set_b_untaken = t_free(&t_lk_b);
	t_unlock_all();

	/* l is covered by t_lk_b; lend it t_lk_c, which we hold. */
	l->l_mutex = &t_lk_b;
	mutex_spin_enter(&t_lk_b);
	mutex_spin_enter(&t_lk_c);
	lwp_unlock_to(l, &t_lk_c);
	to_ptr = l->l_mutex == &t_lk_c;
	to_b_free = t_free(&t_lk_b);
	to_c_held = mutex_owned(&t_lk_c);
	to_count = ci->ci_mtx_count == count0 + 1;
	un_c_free = true;
	if (to_ptr && to_c_held) {
		lwp_unlock(l);
		un_c_free = t_free(&t_lk_c);
	}
	t_unlock_all();

	/* Lent t_lk_d while we hold both: lwp_unlock releases t_lk_d. */
	l->l_mutex = &t_lk_c;
	mutex_spin_enter(&t_lk_c);
	mutex_spin_enter(&t_lk_d);
	__atomic_store_n(&l->l_mutex, &t_lk_d, __ATOMIC_RELEASE);
	lwp_unlock(l);
	cur_d_free = t_free(&t_lk_d);
	cur_c_held = mutex_owned(&t_lk_c);
	t_unlock_all();

	KT_ASSERT(ret == &t_lk_a);
	KT_ASSERT(set_ptr);
	KT_ASSERT(set_a_held);
	KT_ASSERT(set_b_untaken);
	KT_ASSERT(to_ptr);
	KT_ASSERT(to_b_free);		/* the old lock is released ... */
	KT_ASSERT(to_c_held);		/* ... not the new one */
	KT_ASSERT(to_count);
	KT_ASSERT(un_c_free);
	KT_ASSERT(cur_d_free);
	KT_ASSERT(cur_c_held);
	KT_EQ(ci->ci_mtx_count, count0);
}

/* ---- setrunnable: the state table and the process's counters --------- */

static struct proc t_lk_proc;

static void
t_proc(void)
{
	memset(&t_lk_proc, 0, sizeof(t_lk_proc));
	t_lk_proc.p_pid = PID_MAX;		/* (never a real one) */
	/* A spin mutex: adaptive ones cannot be taken this early. */
	mutex_init(&t_lk_proc.p_lock_store, MUTEX_SPIN, IPL_VM, "t_lk_proc");
	t_lk_proc.p_lock = &t_lk_proc.p_lock_store;
	LIST_INIT(&t_lk_proc.p_lwps);
	cv_init(&t_lk_proc.p_lwpcv, "t_lk_proc");
}

/* Made-up LWP i of t_lk_proc in state stat, covered by m, on ci; the
 * process's counters count it. */
static lwp_t *
t_member(int i, int stat, kmutex_t *m, struct cpu_info *ci)
{
	lwp_t *l = t_sleeper(i, m);

	l->l_proc = &t_lk_proc;
	l->l_stat = stat;
	l->l_wchan = NULL;
	l->l_cpu = ci;
	LIST_INSERT_HEAD(&t_lk_proc.p_lwps, l, l_sibling);
	t_lk_proc.p_nlwps++;
	if (stat != LSSTOP && stat != LSSUSPENDED)
		t_lk_proc.p_nrlwps++;
	return l;
}

/* What the made-up syncobj's unsleep saw (setrunnable's LSSLEEP way). */
static struct {
	int	calls;
	bool	unlock;
	int	stat;
	bool	locked;
	int	nrlwps;
} t_uns;

static void
t_unsleep(lwp_t *l, bool unlock)
{
	t_uns.calls++;
	t_uns.unlock = unlock;
	t_uns.stat = l->l_stat;
	t_uns.locked = mutex_owned(l->l_mutex);
	t_uns.nrlwps = l->l_proc->p_nrlwps;
	if (unlock)
		mutex_spin_exit(l->l_mutex);	/* it stays asleep here */
}

static syncobj_t t_lk_syncobj = {
	.sobj_flag = SOBJ_SLEEPQ_FIFO,
	.sobj_unsleep = t_unsleep,
	.sobj_changepri = NULL,
	.sobj_lendpri = NULL,
	.sobj_owner = syncobj_noowner,
};

/* Take l off spc's run queue again, if it is there (whatever lock the
 * code under test lent it). */
static void
t_off_runq(struct schedstate_percpu *spc, lwp_t *l)
{
	if (!t_fake_queued(spc, l))
		return;
	mutex_spin_enter(spc->spc_mutex);
	l->l_mutex = spc->spc_mutex;
	l->l_stat = LSRUN;
	sched_dequeue(l);
	mutex_spin_exit(spc->spc_mutex);
}

/* What setrunnable left: l's state, lock, CPU and queue, and whether
 * anything is still held. */
struct t_after {
	int	stat;
	kmutex_t *lock;
	struct cpu_info *cpu;
	bool	queued;			/* first on cpu0's run queue */
	u_int	count0, countx;		/* cpu0's and t_lk_ci's spc_count */
	int	nrlwps;
	int	flag;
	bool	nothing_held;		/* ci_mtx_count back, locks free */
};

static void
t_setrunnable(lwp_t *l, struct t_after *a)
{
	struct cpu_info *ci = curcpu();
	struct schedstate_percpu *spc = &ci->ci_schedstate;
	int count0 = ci->ci_mtx_count;
	kmutex_t *old = l->l_mutex;

	mutex_enter(t_lk_proc.p_lock);
	mutex_spin_enter(old);
	setrunnable(l);
	a->stat = l->l_stat;
	a->lock = l->l_mutex;
	a->cpu = l->l_cpu;
	a->count0 = spc->spc_count;
	a->countx = t_lk_ci.ci_schedstate.spc_count;
	a->queued = spc->spc_count == 1 && runq_first(spc) == l;
	a->nrlwps = t_lk_proc.p_nrlwps;
	a->flag = l->l_flag;
	mutex_exit(t_lk_proc.p_lock);
	a->nothing_held = ci->ci_mtx_count == count0 && t_free(old) &&
	    t_free(spc->spc_mutex) && t_free(spc->spc_lwplock);
	/* Undo: off the run queue, and nothing held. */
	t_off_runq(spc, l);
	if (mutex_owned(old))
		mutex_spin_exit(old);
	if (mutex_owned(spc->spc_mutex))
		mutex_spin_exit(spc->spc_mutex);
	LIST_REMOVE(l, l_sibling);
}

/* setrunnable of an LWP in state stat on a sleep queue (the made-up
 * syncobj's); t_uns says what its unsleep saw. */
static void
t_asleep(int stat, struct t_after *a)
{
	lwp_t *l;

	t_proc();
	l = t_member(0, stat, &t_lk_a, curcpu());
	l->l_wchan = &t_lk_wchan;
	l->l_syncobj = &t_lk_syncobj;
	memset(&t_uns, 0, sizeof(t_uns));
	t_setrunnable(l, a);
}

/*
 * setrunnable from each state it accepts, with the counters: LSSTOP and
 * LSSUSPENDED come back into p_nrlwps (and LW_WSUSPEND goes); an LWP
 * off every queue becomes LSRUN on the run queue of the CPU chosen for
 * it (cpu0: the only one that runs this early, and its queue is empty),
 * covered by that CPU's spc_mutex; one still on its CPU (LP_RUNNING)
 * carries on, LSONPROC under its CPU's spc_lwplock; one still on a
 * sleep queue goes back to LSSLEEP and is handed to its syncobj's
 * unsleep, locked, to unlock; every lock is released on return.
 */
KTEST_EARLY(setrunnable_counts_and_states)
{
	struct cpu_info *ci = curcpu();
	struct schedstate_percpu *spc = &ci->ci_schedstate;
	struct t_after stop, susp, onproc, sleep, stopslp;
	lwp_t *l;
	int nr;

	KT_EQ(spc->spc_count, 0);		/* nothing is queued yet */
	t_lk_cpu();

	/* LSSTOP, off every queue: covered by its CPU's spc_lwplock. */
	t_proc();
	l = t_member(0, LSSTOP, spc->spc_lwplock, ci);
	t_member(1, LSSLEEP, &t_lk_b, ci)->l_wchan = &t_lk_wchan;
	t_setrunnable(l, &stop);

	/* LSSUSPENDED, asked to suspend (LW_WSUSPEND). */
	t_proc();
	l = t_member(0, LSSUSPENDED, spc->spc_lwplock, ci);
	l->l_flag |= LW_WSUSPEND;
	t_setrunnable(l, &susp);

	/* LSSUSPENDED but still on its CPU (lwp_suspend_point's window). */
	t_proc();
	l = t_member(0, LSSUSPENDED, t_lk_ci.ci_schedstate.spc_lwplock,
	    &t_lk_ci);
	l->l_pflag |= LP_RUNNING;
	t_setrunnable(l, &onproc);

	/* LSSLEEP on a sleep queue: its syncobj's business. */
	t_asleep(LSSLEEP, &sleep);
	KT_EQ(t_uns.calls, 1);
	KT_ASSERT(t_uns.unlock && t_uns.locked);
	KT_EQ(t_uns.stat, LSSLEEP);
	KT_EQ(t_uns.nrlwps, 1);

	/* LSSTOP while asleep (still on its sleep queue). */
	t_asleep(LSSTOP, &stopslp);
	KT_EQ(t_uns.calls, 1);
	KT_ASSERT(t_uns.unlock && t_uns.locked);
	KT_EQ(t_uns.stat, LSSLEEP);
	nr = t_uns.nrlwps;
	KT_EQ(nr, 1);			/* counted again before unsleep */

	KT_EQ(stop.stat, LSRUN);
	KT_ASSERT(stop.lock == spc->spc_mutex);
	KT_ASSERT(stop.cpu == ci);
	KT_ASSERT(stop.queued);
	KT_EQ(stop.nrlwps, 2);		/* LSSTOP counts again */
	KT_ASSERT(stop.nothing_held);

	KT_EQ(susp.stat, LSRUN);
	KT_ASSERT(susp.lock == spc->spc_mutex);
	KT_ASSERT(susp.queued);
	KT_EQ(susp.nrlwps, 1);
	KT_ASSERT(!(susp.flag & LW_WSUSPEND));
	KT_ASSERT(susp.nothing_held);

	KT_EQ(onproc.stat, LSONPROC);
	KT_ASSERT(onproc.lock == t_lk_ci.ci_schedstate.spc_lwplock);
	KT_ASSERT(onproc.cpu == &t_lk_ci);
	KT_EQ(onproc.count0, 0);		/* on no run queue */
	KT_EQ(onproc.countx, 0);
	KT_EQ(onproc.nrlwps, 1);
	KT_ASSERT(onproc.nothing_held);

	KT_EQ(sleep.nrlwps, 1);
	KT_ASSERT(sleep.nothing_held);
	KT_EQ(stopslp.stat, LSSLEEP);
	KT_ASSERT(stopslp.nothing_held);
	KT_EQ(spc->spc_count, 0);
}

/* What the run queue looked like while setrunnable1 waited for it. */
static struct {
	kmutex_t	*runq;		/* the lock to watch */
	lwp_t		*l;
	int		calls;
	kmutex_t	*lock;		/* l_mutex then */
	int		stat;
	u_int		count;
} t_rq;

static void
t_watch_runq(kmutex_t *m)
{
	if (m != t_rq.runq || t_rq.calls++ != 0)
		return;
	t_rq.lock = t_rq.l->l_mutex;
	t_rq.stat = t_rq.l->l_stat;
	t_rq.count = curcpu()->ci_schedstate.spc_count;
	t_release_elsewhere(m);
}

/*
 * setrunnable1 takes the chosen CPU's spc_mutex before it lends it to
 * l: cpu0's run-queue lock is held "elsewhere" when it is called, and
 * while it waits for it, l must still be covered by its old lock and
 * not be on the queue yet.  Afterwards: LSRUN, queued on cpu0, covered
 * by cpu0's spc_mutex (released), and the old lock still held (the
 * caller's to release).
 */
KTEST_EARLY(setrunnable1_locks_the_run_queue_first)
{
	struct cpu_info *ci = curcpu();
	struct schedstate_percpu *spc = &ci->ci_schedstate;
	int count0 = ci->ci_mtx_count;
	lwp_t *l;
	bool queued, runq_free, old_held, lent;
	int stat;

	KT_EQ(spc->spc_count, 0);
	t_lk_cpu();
	/* Just off a sleep queue (sleepq_remove's state). */
	l = t_sleeper(0, &t_lk_a);
	l->l_cpu = ci;
	l->l_wchan = NULL;
	memset(&t_rq, 0, sizeof(t_rq));
	t_rq.runq = spc->spc_mutex;
	t_rq.l = l;
	mutex_spin_enter(&t_lk_a);
	t_hold_elsewhere(spc->spc_mutex);
	mutex_spin_hook = t_watch_runq;
	setrunnable1(l);
	mutex_spin_hook = NULL;
	if (!t_free(spc->spc_mutex) && !mutex_owned(spc->spc_mutex))
		t_release_elsewhere(spc->spc_mutex);
	stat = l->l_stat;
	lent = l->l_mutex == spc->spc_mutex;
	queued = spc->spc_count == 1 && runq_first(spc) == l;
	runq_free = t_free(spc->spc_mutex);
	old_held = mutex_owned(&t_lk_a);
	if (mutex_owned(spc->spc_mutex))
		mutex_spin_exit(spc->spc_mutex);
	t_off_runq(spc, l);
	t_unlock_all();

	KT_EQ(t_rq.calls, 1);		/* it waited for cpu0's spc_mutex */
	KT_ASSERT(t_rq.lock == &t_lk_a);	/* ... not lent it yet */
	KT_EQ(t_rq.count, 0);		/* ... nor queued l */
	KT_EQ(stat, LSRUN);
	KT_ASSERT(lent);
	KT_ASSERT(queued);
	KT_ASSERT(runq_free);
	KT_ASSERT(old_held);
	KT_EQ(ci->ci_mtx_count, count0);
	KT_EQ(spc->spc_count, 0);
}

/* ---- the same race with a real second CPU ------------------------------ */

static lwp_t *volatile t_x_lwp;
static volatile int t_x_go, t_x_verdict;	/* 1: held b; -1: held a */

/* Bound to another CPU: lock t_x_lwp when told to; say which lock we
 * got; let it go. */
static void
t_x_locker(void *arg)
{
	lwp_t *l = t_x_lwp;

	while (!t_x_go)
		yield();
	lwp_lock(l);
	if (mutex_owned(&t_lk_b) && !mutex_owned(&t_lk_a))
		t_x_verdict = 1;
	else
		t_x_verdict = -1;
	if (mutex_owned(&t_lk_a))
		mutex_spin_exit(&t_lk_a);
	if (mutex_owned(&t_lk_b))
		mutex_spin_exit(&t_lk_b);
}

/*
 * lwp_lock across two CPUs: we hold t_lk_a, which covers a made-up
 * LWP; another CPU calls lwp_lock on it and spins on t_lk_a (we see it
 * in its ci_spinning); we lend the LWP t_lk_b and let t_lk_a go.  The
 * locker must end up holding t_lk_b, the lock that covers the LWP now.
 * (We wait for the other CPU with a generous bound, in guest time,
 * holding t_lk_a: the spin-out limit is raised meanwhile.)
 */
KTEST(lwp_lock_rechecks_across_cpus)
{
	struct cpu_info *other;
	lwp_t *l, *t;
	uint64_t spinout = lockdebug_spinout_cycles, end;
	bool spun;

	if (ncpu < 2)
		KT_SKIP("needs 2 CPUs");
	other = cpu_lookup((cpu_index(curcpu()) + 1) % ncpu);
	t_lk_cpu();
	l = t_sleeper(0, &t_lk_a);
	l->l_cpu = curcpu();
	t_x_lwp = l;
	t_x_go = 0;
	t_x_verdict = 0;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, other, t_x_locker,
	    NULL, &t, "t_x_locker"), 0);
	lockdebug_spinout_cycles = 0;		/* no spin-out meanwhile */
	mutex_spin_enter(&t_lk_a);
	t_x_go = 1;
	end = nsuptime() + 60 * 1000000000ULL;
	while (!(spun = other->ci_spinning == &t_lk_a) && nsuptime() < end)
		SPINLOCK_BACKOFF_HOOK;
	__atomic_store_n(&l->l_mutex, &t_lk_b, __ATOMIC_RELEASE);
	mutex_spin_exit(&t_lk_a);
	KT_EQ(kthread_join(t), 0);
	lockdebug_spinout_cycles = spinout;
	KT_ASSERT(spun);		/* the other CPU waited for t_lk_a */
	KT_EQ(t_x_verdict, 1);		/* and then took t_lk_b */
}
