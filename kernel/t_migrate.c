/*
 * t_migrate.c: placement, stealing, balancing and migration, one
 * contract at a time (kern_migrate.c; lab migrate).
 *
 * These are early ktests (KTEST_EARLY): they run on the boot CPU right
 * after lwpinit(), with interrupts off and nothing else scheduled, and
 * while they run the machine has four CPUs: the boot CPU (cpu0, the
 * only real one, on which the test runs) and three made-up ones
 * (cpu1..cpu3: their own run queues and locks, listed in cpu_infos[]
 * and "running" for the scheduler, but CPUF_MADEUP, so nobody sends
 * them an IPI and nothing ever runs on them).  Every CPU's load is set
 * by hand (spc_curpriority, made-up LWPs on its queue), so every
 * decision has one right answer, whatever the machine and its load.
 * After each test the machine is put back as it was: one CPU, cpu0's
 * run queue empty.  The scheduler's behaviour with real threads on
 * real CPUs is tested in t_sched.c.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kcpuset.h>
#include <sys/kmem.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/time.h>

#include "t_fake.h"

#define T_NCPU	4			/* cpu0 and three made-up ones */
#define T_NLWP	12

static struct cpu_info t_mci[T_NCPU - 1];	/* cpu2, cpu3 (and spare) */
static struct cpu_info *t_c[T_NCPU];		/* t_c[i] is cpu i */
static lwp_t t_ml[T_NLWP] __aligned(LWP_ALIGN);
static kcpuset_t t_kc[4];
static kmutex_t t_sleepq_lock = MUTEX_INITIALIZER("t_msleepq", IPL_SCHED);

static struct {
	struct cpu_info *worker;
	pri_t	curpri;
	u_int	avg;
	int	want;
	u_int	min_catch;
} t_saved;

static struct schedstate_percpu *
t_spc(int i)
{
	return &t_c[i]->ci_schedstate;
}

/*
 * Four CPUs: cpu0 (us) and made-up cpu1..cpu3, all idle with empty run
 * queues.  False if the machine is not as early tests find it (one
 * CPU, nothing queued on it).
 */
static bool
t_mc_begin(void)
{
	struct cpu_info *c0 = curcpu();
	struct schedstate_percpu *spc = &c0->ci_schedstate;

	if (ncpu != 1 || spc->spc_count != 0 || spc->spc_migrating != NULL)
		return false;
	t_saved.worker = worker_ci;
	t_saved.curpri = spc->spc_curpriority;
	t_saved.avg = spc->spc_avgcount;
	t_saved.want = c0->ci_want_resched;
	t_saved.min_catch = sched_min_catch;
	t_c[0] = c0;
	for (int i = 1; i < T_NCPU; i++) {
		/* cpu1 from kmem, below the kernel image (and so below cpu0,
		 * as the real APs are): run-queue locks are taken lower
		 * address first, and a move to cpu1 must obey that. */
		struct cpu_info *ci = i == 1 ?
		    kmem_alloc(sizeof(*ci), KM_SLEEP) : &t_mci[i - 1];

		memset(ci, 0, sizeof(*ci));
		ci->ci_self = ci;
		ci->ci_index = i;
		ci->ci_cpuid = ~0u;
		ci->ci_flags = CPUF_PRESENT | CPUF_RUNNING | CPUF_MADEUP;
		sched_cpuattach(ci);
		t_c[i] = ci;
		cpu_infos[i] = ci;
	}
	spc->spc_curpriority = PRI_IDLE;
	spc->spc_avgcount = 0;
	worker_ci = NULL;
	sched_min_catch = 1;
	ncpu = T_NCPU;
	for (int i = 0; i < 4; i++) {
		kcpuset_zero(&t_kc[i]);
		t_kc[i].kc_refcnt = 8;	/* never freed, whatever happens */
	}
	return true;
}

/* Back to one CPU, whatever the test left behind (locks included). */
static void
t_mc_end(void)
{
	struct cpu_info *c0 = t_c[0];
	struct schedstate_percpu *spc = &c0->ci_schedstate;

	for (int i = T_NCPU - 1; i >= 0; i--) {
		if (mutex_owned(t_c[i]->ci_schedstate.spc_mutex))
			mutex_spin_exit(t_c[i]->ci_schedstate.spc_mutex);
		if (mutex_owned(t_c[i]->ci_schedstate.spc_lwplock))
			mutex_spin_exit(t_c[i]->ci_schedstate.spc_lwplock);
	}
	if (mutex_owned(&t_sleepq_lock))
		mutex_spin_exit(&t_sleepq_lock);
	ncpu = 1;
	for (int i = 1; i < T_NCPU; i++)
		cpu_infos[i] = NULL;
	kmem_free(t_c[1], sizeof(*t_c[1]));
	runq_init(spc);			/* it was empty */
	spc->spc_migrating = NULL;
	spc->spc_curpriority = t_saved.curpri;
	spc->spc_avgcount = t_saved.avg;
	c0->ci_want_resched = t_saved.want;
	worker_ci = t_saved.worker;
	sched_min_catch = t_saved.min_catch;
}

/* Run body on four CPUs, and put the machine back after. */
#define T_MC(kt, body) do {						\
	if (!t_mc_begin()) {						\
		ktest_fail(kt, __FILE__, __LINE__,			\
		    "not the machine early tests run on");		\
		return;							\
	}								\
	body(kt);							\
	t_mc_end();							\
} while (0)

/*
 * Made-up LWP i on cpu c in state stat, at priority pri, cold (last
 * picked long ago), unbound, with the lock its state has there: LSRUN
 * the run queue's (it is queued, at the tail), LSONPROC spc_lwplock
 * (and LP_RUNNING), LSIDL spc_mutex, LSSLEEP a sleep queue's.
 */
static lwp_t *
t_lwp(int i, int c, int stat, pri_t pri)
{
	lwp_t *l = &t_ml[i];
	struct schedstate_percpu *spc = t_spc(c);

	memset(l, 0, sizeof(*l));
	l->l_lid = 2000 + i;
	l->l_proc = &proc0;
	l->l_name = "t_mlwp";
	l->l_stat = stat;
	l->l_cpu = t_c[c];
	l->l_priority = pri;
	l->l_inheritedprio = -1;
	l->l_rticks = hardclock_ticks - 100;	/* cold */
	switch (stat) {
	case LSRUN:
		l->l_mutex = spc->spc_mutex;
		mutex_spin_enter(spc->spc_mutex);
		sched_enqueue(l, true);
		mutex_spin_exit(spc->spc_mutex);
		break;
	case LSONPROC:
		l->l_mutex = spc->spc_lwplock;
		l->l_pflag |= LP_RUNNING;
		break;
	case LSSLEEP:
		l->l_mutex = &t_sleepq_lock;
		l->l_wchan = &t_sleepq_lock;
		break;
	default:
		l->l_mutex = spc->spc_mutex;
		break;
	}
	return l;
}

/* What runs on cpu c is at priority pri (PRI_IDLE: its idle LWP). */
static void
t_runs(int c, pri_t pri)
{
	t_spc(c)->spc_curpriority = pri;
}

/* Set k, made the CPUs of `bits` (bit i: cpu i; the fake CPUs are few). */
static kcpuset_t *
t_set(int k, uint64_t bits)
{
	kcpuset_zero(&t_kc[k]);
	for (u_int i = 0; i < 64; i++)
		if (bits >> i & 1)
			kcpuset_set(&t_kc[k], i);
	return &t_kc[k];
}

static void
t_affinity(lwp_t *l, kcpuset_t *kc)
{
	l->l_affinity = kc;
	if (kc != NULL)
		l->l_flag |= LW_AFFINITY;
	else
		l->l_flag &= ~LW_AFFINITY;
}

/* sched_takecpu(l), l locked as the contract says. */
static struct cpu_info *
t_take(lwp_t *l)
{
	struct cpu_info *ci;

	lwp_lock(l);
	ci = sched_takecpu(l);
	lwp_unlock(l);
	return ci;
}

/* ---- sched_takecpu ------------------------------------------------------ */

/* (Its LWPs are being woken up, LSSLEEP: a new one, LSIDL, counts as
 * cache-hot wherever it is, lwp_cache_hot.) */

/*
 * Rules 1 and 2: a bound LWP stays, even with an idle CPU elsewhere;
 * an LWP stays on its last CPU if that CPU is idle, or if it is
 * cache-hot there and would run at once (its effective priority above
 * the CPU's load: max of what runs and what is queued).  Otherwise it
 * goes (here: to the only idle CPU, cpu1).
 */
static void
t_takecpu_last(struct ktest_ctx *kt)
{
	lwp_t *l;

	t_runs(0, 100);
	t_runs(1, PRI_IDLE);
	t_runs(2, 50);
	t_runs(3, 50);
	l = t_lwp(0, 2, LSSLEEP, 60);
	/* Cold, on a busy CPU: to the idle one. */
	KT_ASSERT(t_take(l) == t_c[1]);
	/* Bound: stays on its busy CPU, idle cpu1 or not. */
	l->l_pflag |= LP_BOUND;
	KT_ASSERT(t_take(l) == t_c[2]);
	l->l_pflag &= ~LP_BOUND;
	/* Hot, and 60 > cpu2's load 50: stays. */
	l->l_rticks = hardclock_ticks;
	KT_ASSERT(t_take(l) == t_c[2]);
	/* Hot but not above the load (50 == 50): goes. */
	l->l_priority = 50;
	KT_ASSERT(t_take(l) == t_c[1]);
	/* The effective priority counts: 40, lent 70, stays. */
	l->l_priority = 40;
	l->l_inheritedprio = 70;
	KT_ASSERT(t_take(l) == t_c[2]);
	l->l_inheritedprio = -1;
	/* What is queued counts too: 60 is hot, but 65 waits on cpu2. */
	l->l_priority = 60;
	(void)t_lwp(1, 2, LSRUN, 65);
	KT_EQ(cpu_load(t_c[2]), 65);
	KT_ASSERT(t_take(l) == t_c[1]);
	/* Its last CPU idle: stays there, hot or cold, above or not. */
	l = t_lwp(2, 3, LSSLEEP, 10);
	t_runs(3, PRI_IDLE);
	KT_ASSERT(t_take(l) == t_c[3]);
	l->l_rticks = hardclock_ticks;
	KT_ASSERT(t_take(l) == t_c[3]);
}

KTEST_EARLY(sched_takecpu_keeps_bound_idle_or_hot)
{
	T_MC(kt, t_takecpu_last);
}

/*
 * Rules 3 and 4: the first idle CPU, in CPU order; if none, the least
 * loaded (max of running and queued priority), and among equal loads
 * the one with fewer LWPs queued.
 */
static void
t_takecpu_where(struct ktest_ctx *kt)
{
	lwp_t *l = t_lwp(0, 0, LSSLEEP, 30);	/* cold, on busy cpu0 */

	t_runs(0, 100);
	t_runs(1, 80);
	t_runs(2, 40);
	(void)t_lwp(1, 2, LSRUN, 45);		/* cpu2: load 45, 1 queued */
	t_runs(3, 45);				/* cpu3: load 45, none */
	KT_ASSERT(t_take(l) == t_c[3]);		/* tie: shorter queue */
	t_runs(3, 50);
	KT_ASSERT(t_take(l) == t_c[2]);		/* least loaded */
	t_runs(1, 46);
	KT_ASSERT(t_take(l) == t_c[2]);		/* 45 < 46 */
	t_runs(1, 20);
	KT_ASSERT(t_take(l) == t_c[1]);		/* 20 < 45 */
	/* Idle CPUs: the first one, whatever the others' loads. */
	t_runs(3, PRI_IDLE);
	KT_ASSERT(t_take(l) == t_c[3]);
	t_runs(1, PRI_IDLE);
	KT_ASSERT(t_take(l) == t_c[1]);
	/* An idle CPU with something queued is not idle. */
	(void)t_lwp(2, 1, LSRUN, 10);
	KT_ASSERT(t_take(l) == t_c[3]);
}

KTEST_EARLY(sched_takecpu_idle_then_least_loaded)
{
	T_MC(kt, t_takecpu_where);
}

/*
 * Affinity: never a CPU the LWP may not run on, not even its idle last
 * CPU; the rules apply among the allowed ones.  A bound LWP stays; an
 * LWP whose affinity names no running CPU stays where it is.
 */
static void
t_takecpu_affinity(struct ktest_ctx *kt)
{
	lwp_t *l = t_lwp(0, 1, LSSLEEP, 30);

	t_runs(0, 100);
	t_runs(1, PRI_IDLE);			/* its last CPU, idle */
	t_runs(2, 45);
	t_runs(3, 50);
	t_affinity(l, t_set(0, 1UL << 2 | 1UL << 3));
	KT_ASSERT(t_take(l) == t_c[2]);		/* allowed, least loaded */
	t_affinity(l, t_set(0, 1UL << 3));
	KT_ASSERT(t_take(l) == t_c[3]);		/* the only one allowed */
	l->l_rticks = hardclock_ticks;		/* hot: still not cpu1 */
	KT_ASSERT(t_take(l) == t_c[3]);
	t_affinity(l, t_set(0, 1UL << 0 | 1UL << 3));
	t_runs(2, PRI_IDLE);			/* idle, but not allowed */
	KT_ASSERT(t_take(l) == t_c[3]);		/* 50 < 100 */
	/* Allowed: only a CPU that does not run: stays. */
	t_affinity(l, t_set(0, 1UL << 9));
	KT_ASSERT(t_take(l) == t_c[1]);
	/* Bound: stays, affinity or not. */
	t_affinity(l, t_set(0, 1UL << 3));
	l->l_pflag |= LP_BOUND;
	KT_ASSERT(t_take(l) == t_c[1]);
	l->l_pflag &= ~LP_BOUND;
	/* Its last CPU busy but allowed and it hot there: stays. */
	l = t_lwp(1, 3, LSSLEEP, 60);
	l->l_rticks = hardclock_ticks;
	t_affinity(l, t_set(1, 1UL << 3 | 1UL << 1));
	KT_ASSERT(t_take(l) == t_c[3]);		/* 60 > 50 */
	t_affinity(l, NULL);
	t_runs(2, 45);
	l->l_priority = 40;			/* not above 50: goes */
	KT_ASSERT(t_take(l) == t_c[1]);		/* idle */
}

KTEST_EARLY(sched_takecpu_respects_affinity)
{
	T_MC(kt, t_takecpu_affinity);
}

/* ---- stealing: sched_catchlwp, sched_idle -------------------------------- */

/* Is l on spc's run queue? */
#define t_queued	t_fake_queued

/* l was stolen by cpu0: queued there, l_cpu and lock say so. */
static bool
t_on(int c, lwp_t *l)
{
	return l->l_stat == LSRUN && l->l_cpu == t_c[c] &&
	    l->l_mutex == t_spc(c)->spc_mutex && t_queued(t_spc(c), l);
}

/*
 * sched_catchlwp takes, from the top queue of the busy CPU, the first
 * LWP that is not bound, not cache-hot, allowed here and not being
 * migrated, and moves it to our queue with its lock lent to our
 * spc_mutex; it releases the victim's lock and keeps ours.  None such:
 * NULL.
 */
/* Both run-queue locks again (ours is held): in address order. */
static void
t_relock1(void)
{
	spc_unlock(t_c[0]);
	spc_dlock(t_c[0], t_c[1]);
}

static void
t_catch(struct ktest_ctx *kt)
{
	struct schedstate_percpu *spc0 = t_spc(0), *spc1 = t_spc(1);
	lwp_t *bound, *hot, *forbid, *mig, *ok, *low, *l;

	t_runs(1, 100);
	bound = t_lwp(0, 1, LSIDL, 50);
	bound->l_pflag |= LP_BOUND;
	bound->l_stat = LSRUN;
	mutex_spin_enter(spc1->spc_mutex);
	sched_enqueue(bound, true);
	mutex_spin_exit(spc1->spc_mutex);
	hot = t_lwp(1, 1, LSRUN, 50);
	hot->l_rticks = hardclock_ticks;
	forbid = t_lwp(2, 1, LSRUN, 50);
	t_affinity(forbid, t_set(0, 1UL << 1 | 1UL << 2));
	mig = t_lwp(3, 1, LSRUN, 50);
	mig->l_target_cpu = t_c[3];
	spc1->spc_migrating = mig;
	ok = t_lwp(4, 1, LSRUN, 50);
	low = t_lwp(5, 1, LSRUN, 40);		/* not the top queue */
	KT_EQ(spc1->spc_count, 6);
	KT_EQ(spc1->spc_mcount, 5);

	spc_dlock(t_c[0], t_c[1]);
	l = sched_catchlwp(t_c[1]);
	KT_ASSERT(mutex_owned(spc0->spc_mutex));
	KT_ASSERT(!mutex_owned(spc1->spc_mutex));
	KT_ASSERT(l == ok);
	KT_ASSERT(t_on(0, ok));
	KT_ASSERT(!t_queued(spc1, ok));
	KT_EQ(spc0->spc_count, 1);
	KT_EQ(spc0->spc_mcount, 1);
	KT_EQ(spc1->spc_count, 5);
	KT_EQ(spc1->spc_mcount, 4);
	KT_EQ(ok->l_target_cpu, NULL);
	/* Nothing more it may take from the top queue. */
	t_relock1();
	KT_ASSERT(sched_catchlwp(t_c[1]) == NULL);
	KT_ASSERT(mutex_owned(spc0->spc_mutex));
	KT_ASSERT(!mutex_owned(spc1->spc_mutex));
	KT_EQ(spc1->spc_count, 5);
	KT_ASSERT(t_on(1, bound) && t_on(1, hot) && t_on(1, forbid) &&
	    t_on(1, mig) && t_on(1, low));
	/* The migration called off, that one may go. */
	t_relock1();
	spc1->spc_migrating = NULL;
	mig->l_target_cpu = NULL;
	KT_ASSERT(sched_catchlwp(t_c[1]) == mig);
	KT_ASSERT(t_on(0, mig));
	/* Allowed on cpu0 now: that one too. */
	t_relock1();
	t_set(0, 1UL << 0 | 1UL << 1);
	KT_ASSERT(sched_catchlwp(t_c[1]) == forbid);
	KT_ASSERT(t_on(0, forbid));
	/* Not enough migratable LWPs queued (sched_min_catch): none. */
	t_relock1();
	hot->l_rticks = hardclock_ticks - 100;
	sched_min_catch = 3;			/* spc_mcount is 2 */
	KT_ASSERT(sched_catchlwp(t_c[1]) == NULL);
	KT_ASSERT(!mutex_owned(spc1->spc_mutex));
	KT_ASSERT(t_on(1, hot));
	spc_unlock(t_c[0]);
}

KTEST_EARLY(sched_catchlwp_takes_cold_migratable)
{
	T_MC(kt, t_catch);
}

/*
 * An idle CPU with an empty queue steals one LWP: from the balancer's
 * busiest CPU (worker_ci) if it has a migratable one queued, else from
 * the CPU with the most; nothing if its own queue is not empty.  No
 * lock is held after.
 */
static void
t_idle_steal(struct ktest_ctx *kt)
{
	lwp_t *a = t_lwp(0, 1, LSRUN, 50);
	lwp_t *b[3], *c = t_lwp(4, 3, LSRUN, 50);

	for (int i = 0; i < 3; i++)
		b[i] = t_lwp(1 + i, 2, LSRUN, 50);
	t_runs(1, 60);
	t_runs(2, 60);
	t_runs(3, 60);
	/* No balancer's pick: the longest queue, cpu2. */
	sched_idle();
	KT_EQ(t_c[0]->ci_mtx_count, 0);
	KT_EQ(t_spc(0)->spc_count, 1);
	KT_ASSERT(t_on(0, b[0]));
	/* Our queue is not empty: nothing. */
	sched_idle();
	KT_EQ(t_spc(0)->spc_count, 1);
	KT_EQ(t_spc(2)->spc_count, 2);
	spc_lock(t_c[0]);
	sched_dequeue(b[0]);
	spc_unlock(t_c[0]);
	/* The balancer picked cpu1: from there, though cpu2 has more. */
	worker_ci = t_c[1];
	sched_idle();
	KT_EQ(t_c[0]->ci_mtx_count, 0);
	KT_ASSERT(t_on(0, a));
	KT_EQ(t_spc(2)->spc_count, 2);
	spc_lock(t_c[0]);
	sched_dequeue(a);
	spc_unlock(t_c[0]);
	/* ... which has nothing left: the longest queue again. */
	sched_idle();
	KT_ASSERT(t_on(0, b[1]));
	spc_lock(t_c[0]);
	sched_dequeue(b[1]);
	spc_unlock(t_c[0]);
	/* Only bound or hot LWPs elsewhere: nothing. */
	b[2]->l_rticks = hardclock_ticks;
	c->l_rticks = hardclock_ticks;
	worker_ci = NULL;
	sched_idle();
	KT_EQ(t_spc(0)->spc_count, 0);
	KT_ASSERT(t_on(2, b[2]) && t_on(3, c));
}

KTEST_EARLY(sched_idle_steals_from_busiest)
{
	T_MC(kt, t_idle_steal);
}

/* ---- sched_idle_migrate ---------------------------------------------------- */

/*
 * The idle LWP moves spc_migrating, queued here, to its l_target_cpu:
 * onto that CPU's queue, l_cpu and lock changed, l_target_cpu and
 * spc_migrating cleared; our lock still held, the target's released
 * (and taken in address order).
 * A move called off (no target, or this CPU) leaves it here.
 */
static void
t_idle_migrate(struct ktest_ctx *kt)
{
	struct schedstate_percpu *spc0 = t_spc(0);
	lwp_t *l = t_lwp(0, 0, LSRUN, 50), *m;

	t_runs(1, 60);
	t_runs(3, 60);
	/* To cpu1, whose lock is below ours: only tried while we hold
	 * ours (LOCKDEBUG panics at a plain spc_lock in that order). */
	KT_ASSERT((uintptr_t)t_c[1] < (uintptr_t)t_c[0]);
	l->l_target_cpu = t_c[1];
	spc0->spc_migrating = l;
	spc_lock(t_c[0]);
	sched_idle_migrate();
	KT_ASSERT(mutex_owned(spc0->spc_mutex));
	KT_ASSERT(!mutex_owned(t_spc(1)->spc_mutex));
	spc_unlock(t_c[0]);
	KT_ASSERT(t_on(1, l));
	KT_ASSERT(!t_queued(spc0, l));
	KT_EQ(l->l_target_cpu, NULL);
	KT_EQ(spc0->spc_migrating, NULL);
	KT_EQ(spc0->spc_count, 0);
	KT_EQ(t_spc(1)->spc_count, 1);
	KT_EQ(t_spc(1)->spc_mcount, 1);
	/* The same through sched_idle (hot, so nobody steals it back). */
	m = t_lwp(1, 0, LSRUN, 50);
	m->l_rticks = hardclock_ticks;
	l->l_rticks = hardclock_ticks;
	m->l_target_cpu = t_c[3];
	spc0->spc_migrating = m;
	sched_idle();
	KT_EQ(t_c[0]->ci_mtx_count, 0);
	KT_ASSERT(t_on(3, m));
	KT_EQ(m->l_target_cpu, NULL);
	KT_EQ(spc0->spc_migrating, NULL);
	/* Called off: stays here. */
	m = t_lwp(2, 0, LSRUN, 50);
	spc0->spc_migrating = m;
	spc_lock(t_c[0]);
	sched_idle_migrate();
	spc_unlock(t_c[0]);
	KT_ASSERT(t_on(0, m));
	KT_EQ(spc0->spc_migrating, NULL);
}

KTEST_EARLY(sched_idle_migrate_moves_to_target)
{
	T_MC(kt, t_idle_migrate);
}

/* ---- sched_balance ------------------------------------------------------- */

/*
 * Each CPU's average becomes (average + 256 * migratable queued) / 2;
 * worker_ci is the CPU with the largest, which need not be the one
 * with the longest queue now.
 */
static void
t_balance(struct ktest_ctx *kt)
{
	static const u_int avg[T_NCPU] = { 0, 512, 0, 100 };
	static const u_int mc[T_NCPU] = { 0, 0, 1, 2 };

	for (int i = 0; i < T_NCPU; i++) {
		t_spc(i)->spc_avgcount = avg[i];
		t_spc(i)->spc_mcount = mc[i];
	}
	sched_balance();
	KT_EQ(t_spc(0)->spc_avgcount, 0);
	KT_EQ(t_spc(1)->spc_avgcount, 256);
	KT_EQ(t_spc(2)->spc_avgcount, 128);
	KT_EQ(t_spc(3)->spc_avgcount, 306);
	KT_ASSERT(worker_ci == t_c[3]);
	t_spc(1)->spc_avgcount = 2000;
	sched_balance();
	KT_EQ(t_spc(1)->spc_avgcount, 1000);
	KT_EQ(t_spc(3)->spc_avgcount, 409);
	KT_ASSERT(worker_ci == t_c[1]);		/* cpu3 has the most now */
	for (int i = 0; i < T_NCPU; i++)
		t_spc(i)->spc_mcount = 0;
}

KTEST_EARLY(sched_balance_averages_and_picks_busiest)
{
	T_MC(kt, t_balance);
}

/* ---- lwp_migrate ------------------------------------------------------------ */

/*
 * An LWP that is not on a CPU or a run queue moves at once: LSIDL with
 * its lock lent to the target's spc_mutex; LSSLEEP keeping its sleep
 * queue's lock; LSSTOP and LSSUSPENDED keeping a sleep queue's, or,
 * off one, lent the target's spc_lwplock.  The lock is released.
 */
static void
t_migrate_now(struct ktest_ctx *kt)
{
	static const int states[] = { LSSTOP, LSSUSPENDED };
	lwp_t *l = t_lwp(0, 1, LSIDL, 50);

	lwp_lock(l);
	lwp_migrate(l, t_c[2]);
	KT_ASSERT(l->l_cpu == t_c[2]);
	KT_ASSERT(l->l_mutex == t_spc(2)->spc_mutex);
	KT_EQ(l->l_target_cpu, NULL);
	KT_EQ(t_c[0]->ci_mtx_count, 0);
	/* To where it is: nothing. */
	lwp_lock(l);
	lwp_migrate(l, t_c[2]);
	KT_ASSERT(l->l_cpu == t_c[2] && l->l_target_cpu == NULL);

	l = t_lwp(1, 1, LSSLEEP, 50);
	lwp_lock(l);
	lwp_migrate(l, t_c[3]);
	KT_ASSERT(l->l_cpu == t_c[3]);
	KT_ASSERT(l->l_mutex == &t_sleepq_lock);
	KT_EQ(l->l_target_cpu, NULL);
	KT_EQ(t_c[0]->ci_mtx_count, 0);

	for (size_t i = 0; i < __arraycount(states); i++) {
		l = t_lwp(2, 1, LSSLEEP, 50);	/* on a sleep queue */
		l->l_stat = states[i];
		lwp_lock(l);
		lwp_migrate(l, t_c[3]);
		KT_ASSERT(l->l_cpu == t_c[3]);
		KT_ASSERT(l->l_mutex == &t_sleepq_lock);
		l = t_lwp(3, 1, LSIDL, 50);	/* off one */
		l->l_stat = states[i];
		l->l_mutex = t_spc(1)->spc_lwplock;
		lwp_lock(l);
		lwp_migrate(l, t_c[3]);
		KT_ASSERT(l->l_cpu == t_c[3]);
		KT_ASSERT(l->l_mutex == t_spc(3)->spc_lwplock);
		KT_EQ(l->l_target_cpu, NULL);
		KT_EQ(t_c[0]->ci_mtx_count, 0);
	}
}

KTEST_EARLY(lwp_migrate_not_running_moves_at_once)
{
	T_MC(kt, t_migrate_now);
}

/*
 * An LWP on a run queue or on a CPU belongs to that CPU until it gets
 * off: lwp_migrate only sets l_target_cpu (l_cpu, lock and queue stay),
 * and a running one's CPU is asked to reschedule.  An LWP still on its
 * CPU (LP_RUNNING) counts as running whatever its l_stat.  A move
 * already pending only changes its target.
 */
static void
t_migrate_later(struct ktest_ctx *kt)
{
	lwp_t *l = t_lwp(0, 1, LSRUN, 50);

	lwp_lock(l);
	lwp_migrate(l, t_c[2]);
	KT_ASSERT(l->l_target_cpu == t_c[2]);
	KT_ASSERT(t_on(1, l));
	KT_EQ(t_c[0]->ci_mtx_count, 0);
	lwp_lock(l);
	lwp_migrate(l, t_c[3]);			/* pending: new target */
	KT_ASSERT(l->l_target_cpu == t_c[3]);
	KT_ASSERT(t_on(1, l));

	l = t_lwp(1, 1, LSONPROC, 50);
	t_c[1]->ci_want_resched = 0;
	lwp_lock(l);
	lwp_migrate(l, t_c[3]);
	KT_ASSERT(l->l_cpu == t_c[1]);
	KT_ASSERT(l->l_target_cpu == t_c[3]);
	KT_ASSERT(l->l_mutex == t_spc(1)->spc_lwplock);
	KT_ASSERT(t_c[1]->ci_want_resched & RESCHED_KPREEMPT);
	KT_EQ(t_c[0]->ci_mtx_count, 0);

	/* Going to sleep, but not off its CPU yet: the same. */
	l = t_lwp(2, 2, LSSLEEP, 50);
	l->l_pflag |= LP_RUNNING;
	t_c[2]->ci_want_resched = 0;
	lwp_lock(l);
	lwp_migrate(l, t_c[3]);
	KT_ASSERT(l->l_cpu == t_c[2]);
	KT_ASSERT(l->l_target_cpu == t_c[3]);
	KT_ASSERT(l->l_mutex == &t_sleepq_lock);
	KT_ASSERT(t_c[2]->ci_want_resched & RESCHED_KPREEMPT);
	KT_EQ(t_c[0]->ci_mtx_count, 0);
}

KTEST_EARLY(lwp_migrate_running_or_queued_via_target)
{
	T_MC(kt, t_migrate_later);
}

/* ---- lwp_setaffinity --------------------------------------------------------- */

/*
 * lwp_setaffinity keeps the set (a reference taken, the old one's
 * dropped), moves an LWP whose CPU it forbids to the first allowed
 * one, leaves one whose CPU it allows, and calls off a pending move to
 * a CPU it forbids; NULL clears the affinity.
 */
static void
t_setaffinity(struct ktest_ctx *kt)
{
	kcpuset_t *a = t_set(0, 1UL << 2), *b = t_set(1, 1UL << 1 | 1UL << 3);
	kcpuset_t *c = t_set(2, 1UL << 1 | 1UL << 2), *d = t_set(3, 1UL << 2);
	lwp_t *l = t_lwp(0, 1, LSIDL, 50), *r;

	lwp_lock(l);
	lwp_setaffinity(l, a);
	KT_EQ(t_c[0]->ci_mtx_count, 0);
	KT_ASSERT(l->l_affinity == a && (l->l_flag & LW_AFFINITY));
	KT_EQ(a->kc_refcnt, 9);
	KT_ASSERT(l->l_cpu == t_c[2]);		/* cpu1 forbidden: moved */
	KT_ASSERT(l->l_mutex == t_spc(2)->spc_mutex);
	lwp_lock(l);
	lwp_setaffinity(l, b);
	KT_ASSERT(l->l_affinity == b);
	KT_EQ(a->kc_refcnt, 8);
	KT_EQ(b->kc_refcnt, 9);
	KT_ASSERT(l->l_cpu == t_c[1]);		/* the first allowed */
	lwp_lock(l);
	lwp_setaffinity(l, NULL);
	KT_ASSERT(l->l_affinity == NULL && !(l->l_flag & LW_AFFINITY));
	KT_EQ(b->kc_refcnt, 8);
	KT_ASSERT(l->l_cpu == t_c[1]);

	/* Queued on cpu1, on its way to cpu3, which c forbids: called off;
	 * cpu1 is allowed: stays. */
	r = t_lwp(1, 1, LSRUN, 50);
	r->l_target_cpu = t_c[3];
	lwp_lock(r);
	lwp_setaffinity(r, c);
	KT_EQ(t_c[0]->ci_mtx_count, 0);
	KT_EQ(r->l_target_cpu, NULL);
	KT_ASSERT(t_on(1, r));
	/* Now d forbids cpu1 too: on its way to cpu2. */
	lwp_lock(r);
	lwp_setaffinity(r, d);
	KT_ASSERT(r->l_target_cpu == t_c[2]);
	KT_ASSERT(t_on(1, r));
	KT_EQ(c->kc_refcnt, 8);
	lwp_lock(r);
	lwp_setaffinity(r, NULL);
	KT_EQ(d->kc_refcnt, 8);
	KT_ASSERT(r->l_target_cpu == t_c[2]);	/* allowed: still going */
}

KTEST_EARLY(lwp_setaffinity_moves_and_calls_off)
{
	T_MC(kt, t_setaffinity);
}
