/*
 * t_sched.c: ktests for the run queues, context switching, kernel
 * threads, preemption, stealing, affinity and migration.  They run at
 * SMP=1, 2, 4 and 8 (tools/test).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kcpuset.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/kstack.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/pmap.h>
#include <sys/pool.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/time.h>
#include <sys/vm_page.h>

/* ---- the run-queue structure (runq_*): a private queue ------------- */

/* Highest priority first; FIFO within a priority; the bitmap and the
 * maximum follow insertions and removals. */
KTEST(runq_priority_order_and_fifo)
{
	static struct schedstate_percpu spc;
	static lwp_t l[8];
	static const pri_t pri[8] = { 5, 200, 5, 0, 96, 200, 31, 32 };

	runq_init(&spc);
	KT_EQ(runq_maxpri(&spc), PRI_NONE);
	KT_ASSERT(runq_first(&spc) == NULL);
	for (int i = 0; i < 8; i++)
		runq_insert(&spc, &l[i], pri[i], false);
	KT_EQ(spc.spc_count, 8);
	KT_EQ(runq_maxpri(&spc), 200);
	/* Expected order: 200 (l1, l5: FIFO), 96, 32, 31, 5 (l0, l2), 0. */
	static const int order[8] = { 1, 5, 4, 7, 6, 0, 2, 3 };
	for (int i = 0; i < 8; i++) {
		lwp_t *first = runq_first(&spc);
		KT_ASSERT(first == &l[order[i]]);
		runq_remove(&spc, first, pri[order[i]]);
		if (i < 7)
			KT_EQ(runq_maxpri(&spc), pri[order[i + 1]]);
	}
	KT_EQ(spc.spc_count, 0);
	for (int w = 0; w < PRI_COUNT / 32; w++)
		KT_EQ(spc.spc_bitmap[w], 0);
	/* Head insertion jumps the FIFO. */
	runq_insert(&spc, &l[0], 7, false);
	runq_insert(&spc, &l[1], 7, true);
	KT_ASSERT(runq_first(&spc) == &l[1]);
	KT_EQ(spc.spc_bitmap[0], 0x80000000u >> 7);
	runq_remove(&spc, &l[0], 7);	/* from the middle/tail */
	KT_ASSERT(runq_first(&spc) == &l[1]);
	runq_remove(&spc, &l[1], 7);
	KT_EQ(runq_maxpri(&spc), PRI_NONE);
}

/* ---- kernel threads ---------------------------------------------------- */

static volatile int t_ran;

static void
t_set_flag(void *arg)
{
	KASSERT(arg == &t_ran);
	KASSERT(curlwp->l_stat == LSONPROC);
	KASSERT(curlwp->l_pflag & LP_RUNNING);
	t_ran = 1;
	kthread_exit(0);
}

static void
t_return(void *arg)
{
	t_ran = 2;		/* returning is kthread_exit(0) */
}

/* Create, run, join: the thread runs once, and everything it used
 * (LWP, stack) is given back. */
KTEST(kthread_create_join)
{
	lwp_t *l;
	size_t stacks = kstack_count();

	t_ran = 0;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, t_set_flag,
	    (void *)&t_ran, &l, "t_flag"), 0);
	KT_STREQ(l->l_name, "t_flag");
	KT_ASSERT(l->l_lid > 1 && l->l_proc == &proc0);
	KT_EQ(kthread_join(l), 0);
	KT_EQ(t_ran, 1);
	KT_EQ(kstack_count(), stacks);

	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, t_return,
	    NULL, &l, "t_return"), 0);
	KT_EQ(kthread_join(l), 0);
	KT_EQ(t_ran, 2);
	KT_EQ(kstack_count(), stacks);
	KT_EQ(proc0.p_nzlwps, 0);
}

#define T_NTHREADS	MAXCPUS
static volatile uint64_t t_count[T_NTHREADS];

static void
t_yielder(void *arg)
{
	int i = (int)(uintptr_t)arg;

	for (int n = 0; n < 200; n++) {
		t_count[i]++;
		yield();
	}
}

/* Several threads per CPU, each yielding in a loop: all finish, each
 * having run its loop exactly once (no thread lost, none run twice). */
KTEST(kthread_yield_counting)
{
	lwp_t *l[T_NTHREADS];
	int n = MIN(T_NTHREADS, 3 * (int)ncpu);

	for (int i = 0; i < n; i++) {
		t_count[i] = 0;
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
		    t_yielder, (void *)(uintptr_t)i, &l[i], "t_yield%d", i),
		    0);
	}
	for (int i = 0; i < n; i++)
		KT_EQ(kthread_join(l[i]), 0);
	for (int i = 0; i < n; i++)
		KT_EQ(t_count[i], 200);
}

static volatile int t_yield_go;
static volatile int t_yield_done[2];
static volatile uint64_t t_yield_noswitch;

/*
 * One of two threads bound to the same CPU at the same priority.  While
 * the other is not done it is runnable there (it never sleeps), so each
 * yield() must switch away: l_ncsw must grow across the call.  (How far
 * the two get relative to each other depends on preemption; that they
 * switch does not.)
 */
static void
t_yield_pair(void *arg)
{
	int me = (int)(uintptr_t)arg;

	while (!t_yield_go)
		yield();
	for (int n = 0; n < 200; n++) {
		uint64_t ncsw = curlwp->l_ncsw;
		bool other = !t_yield_done[1 - me];

		yield();
		if (other && curlwp->l_ncsw == ncsw)
			t_yield_noswitch++;
	}
	t_yield_done[me] = 1;
}

KTEST(sched_yield_switches_to_equal_priority)
{
	struct cpu_info *ci = cpu_lookup(ncpu - 1);
	lwp_t *l[2];

	t_yield_go = 0;
	t_yield_noswitch = 0;
	for (int i = 0; i < 2; i++) {
		t_yield_done[i] = 0;
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, ci,
		    t_yield_pair, (void *)(uintptr_t)i, &l[i], "t_ypair%d", i),
		    0);
	}
	t_yield_go = 1;		/* both exist: each always has the other */
	for (int i = 0; i < 2; i++)
		KT_EQ(kthread_join(l[i]), 0);
	KT_EQ(t_yield_done[0] + t_yield_done[1], 2);
	KT_EQ(t_yield_noswitch, 0);
}

static kmutex_t t_lock = MUTEX_INITIALIZER("t_sched_lock", IPL_VM);
static volatile uint64_t t_shared;

static void
t_locked_incr(void *arg)
{
	for (int i = 0; i < 20000; i++) {
		mutex_spin_enter(&t_lock);
		t_shared++;
		mutex_spin_exit(&t_lock);
		if (i % 1000 == 0)
			yield();
	}
}

/* One thread bound to each CPU, at IPL_NONE, interrupts and preemption
 * live: a spin mutex still makes the increments exact. */
KTEST(mutex_spin_contention_threads)
{
	static lwp_t *l[MAXCPUS];
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;

	t_shared = 0;
	CPU_INFO_FOREACH(cii, ci)
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, ci,
		    t_locked_incr, NULL, &l[cii], "t_incr%u", cii), 0);
	CPU_INFO_FOREACH(cii, ci) {
		KT_ASSERT(l[cii]->l_cpu == ci);
		KT_EQ(kthread_join(l[cii]), 0);
	}
	KT_EQ(t_shared, 20000 * (uint64_t)ncpu);
}

/* ---- preemption ------------------------------------------------------ */

static volatile int t_flag;
static volatile int t_spin_timed_out;

/* Spin (never yield) until t_flag is set, for at most 3 s. */
static void
t_spinner(void *arg)
{
	uint64_t end = nsuptime() + 3000000000UL;

	while (!t_flag)
		if (nsuptime() > end) {
			t_spin_timed_out = 1;
			break;
		}
}

static void
t_setter(void *arg)
{
	t_flag = 1;
}

/*
 * A CPU-bound thread is preempted: another thread bound to the same CPU
 * (at the same priority) gets to run and stop it.  Without time slices
 * and preemption at interrupt return the spinner would run its full
 * 3 s and the setter never.
 */
KTEST(sched_cpu_bound_is_preempted)
{
	struct cpu_info *ci = cpu_lookup(ncpu - 1);
	lwp_t *spin, *set;

	t_flag = 0;
	t_spin_timed_out = 0;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, ci, t_spinner, NULL,
	    &spin, "t_spin"), 0);
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, ci, t_setter, NULL,
	    &set, "t_set"), 0);
	KT_EQ(kthread_join(set), 0);
	KT_EQ(kthread_join(spin), 0);
	KT_EQ(t_spin_timed_out, 0);
	KT_EQ(t_flag, 1);
}

/* ---- stealing --------------------------------------------------------- */

/*
 * Wait, sleeping a tick at a time, until every CPU is in *seen, for at
 * most `ticks` ticks of this CPU's clock (a generous bound: a starved
 * virtual CPU makes no tick either).  True if it did.
 */
static bool
t_wait_allcpus(const kcpuset_t *seen, int ticks)
{
	for (int t = 0; t < ticks; t++) {
		if (kcpuset_countset(seen) == ncpu)
			return true;
		(void)kpause("t_waitb", false, 1, NULL);
	}
	return kcpuset_countset(seen) == ncpu;
}

static volatile int t_steal_stop, t_steal_free;
static volatile uint64_t t_steal_started;	/* threads started */
static kcpuset_t t_steal_seen;			/* CPUs, once free */
static kcpuset_t t_steal_bad;			/* CPUs, while confined */

/* Busy, never sleeping or yielding (so only stealing moves it), noting
 * where it runs: while confined to cpu1 (t_steal_free == 0), and
 * after. */
static void
t_stealee(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&t_steal_started, 1, __ATOMIC_RELEASE);
	while (!t_steal_stop) {
		u_int c = cpu_index(curcpu());

		if (!__atomic_load_n(&t_steal_free, __ATOMIC_ACQUIRE)) {
			if (c != 1)
				kcpuset_atomic_set(&t_steal_bad, c);
		} else if (!kcpuset_isset(&t_steal_seen, c))
			kcpuset_atomic_set(&t_steal_seen, c);
	}
}

/*
 * 2 busy threads per CPU, all confined to cpu1 at first (nobody may
 * take them there: they run on cpu1 only), then set free: the other
 * CPUs, idle, must steal them from cpu1's queue until every CPU runs
 * some.  They never sleep, so nothing but stealing (sched_idle,
 * sched_catchlwp) can move them.  They run below this thread's
 * priority, so it keeps its CPU whenever it wants it.
 */
KTEST(sched_idle_cpus_steal_burst)
{
	static lwp_t *l[2 * MAXCPUS];
	kcpuset_t *one;
	int n = 2 * ncpu;
	bool started = false, spread = false;

	if (ncpu < 2)
		KT_SKIP("needs 2 CPUs");
	t_steal_stop = t_steal_free = 0;
	t_steal_started = 0;
	kcpuset_zero(&t_steal_seen);
	kcpuset_zero(&t_steal_bad);
	kcpuset_create(&one, true);
	kcpuset_set(one, 1);
	for (int i = 0; i < n; i++) {
		KT_EQ(kthread_create(PRI_KTHREAD - 1, KTHREAD_MUSTJOIN |
		    KTHREAD_IDLE, NULL, t_stealee, (void *)(uintptr_t)i, &l[i],
		    "t_steal%d", i), 0);
		lwp_lock(l[i]);
		lwp_setaffinity(l[i], one);
		mutex_enter(proc0.p_lock);
		lwp_start(l[i], 0);
		mutex_exit(proc0.p_lock);
	}
	kcpuset_unuse(one);
	/* (A count, not a bit a thread: 2 * ncpu threads are more than
	 * 64 beyond 32 CPUs.) */
	for (int t = 0; t < 2000 && !started; t++) {
		started = __atomic_load_n(&t_steal_started,
		    __ATOMIC_ACQUIRE) == (uint64_t)n;
		if (!started)
			(void)kpause("t_waitn", false, 1, NULL);
	}
	__atomic_store_n(&t_steal_free, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < n; i++) {
		lwp_lock(l[i]);
		lwp_setaffinity(l[i], NULL);
	}
	if (started && kcpuset_iszero(&t_steal_bad))
		spread = t_wait_allcpus(&t_steal_seen, 2000);
	t_steal_stop = 1;
	for (int i = 0; i < n; i++)
		KT_EQ(kthread_join(l[i]), 0);
	KT_ASSERT(started);
	KT_ASSERT(kcpuset_iszero(&t_steal_bad)); /* confined: cpu1 only */
	KT_EQ(kcpuset_countset(&t_steal_seen), ncpu);
	KT_ASSERT(spread);
}

/* ---- affinity ------------------------------------------------------------ */

static kcpuset_t t_aff_seen[MAXCPUS];	/* where thread i ran */

static void
t_aff_worker(void *arg)
{
	int i = (int)(uintptr_t)arg;

	for (int n = 0; n < 100; n++) {
		kcpuset_set(&t_aff_seen[i], cpu_index(curcpu()));
		if (n % 10 == 0)
			delay(1000);
		yield();
	}
}

/*
 * Threads confined to one CPU each run there and nowhere else, however
 * the scheduler moves everything else; then threads confined to a pair
 * of CPUs run only on theirs.  (Each is created on this CPU, cpu0: all
 * but the first must be moved to run at all.)
 */
KTEST(sched_affinity_respected)
{
	static lwp_t *l[MAXCPUS];
	static kcpuset_t *set[MAXCPUS];
	u_int n = ncpu;

	for (int pair = 0; pair < 2; pair++) {
		for (u_int i = 0; i < n; i++) {
			kcpuset_zero(&t_aff_seen[i]);
			kcpuset_create(&set[i], true);
			kcpuset_set(set[i], i);
			if (pair)
				kcpuset_set(set[i], (i + 1) % ncpu);
			KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN |
			    KTHREAD_IDLE, NULL, t_aff_worker,
			    (void *)(uintptr_t)i, &l[i], "t_aff%u", i), 0);
			lwp_lock(l[i]);
			lwp_setaffinity(l[i], set[i]);
			mutex_enter(proc0.p_lock);
			lwp_start(l[i], 0);
			mutex_exit(proc0.p_lock);
		}
		for (u_int i = 0; i < n; i++) {
			KT_EQ(kthread_join(l[i]), 0);
			kcpuset_unuse(set[i]);
		}
		for (u_int i = 0; i < n; i++) {
			kcpuset_t *seen = &t_aff_seen[i];
			u_int next = (i + 1) % ncpu, allowed;

			/* How many of the CPUs it ran on it may run on:
			 * all of them. */
			allowed = kcpuset_isset(seen, i) +
			    (pair && next != i && kcpuset_isset(seen, next));
			KT_EQ(kcpuset_countset(seen), allowed);
			if (!pair)
				KT_ASSERT(kcpuset_isset(seen, i));
			KT_ASSERT(!kcpuset_iszero(seen));
		}
	}
}

/* ---- lwp_migrate, case by case ------------------------------------------- */

static void
t_noop(void *arg)
{
}

/* Dispose of an LWP that was created but never started (what
 * lwp_exit would have done for it, then lwp_free). */
static void
t_discard(lwp_t *l)
{
	mutex_enter(proc0.p_lock);
	lwp_lock(l);
	KASSERT(l->l_stat == LSIDL);
	l->l_stat = LSZOMB;
	/* A zombie is covered by its CPU's spc_lwplock. */
	lwp_unlock_to(l, l->l_cpu->ci_schedstate.spc_lwplock);
	proc0.p_nzlwps++;
	proc0.p_nrlwps--;
	lwp_free(l);			/* releases p_lock */
}

/*
 * The states that need no running LWP: LSIDL moves at once, with the
 * lock lent to the target's spc_mutex; LSSLEEP keeps its sleep-queue
 * lock and just changes CPU; LSSTOP/LSSUSPENDED off a sleep queue move
 * to the target's spc_lwplock.  (The states are set up by hand here, to
 * pin each case without a user process; t_lwp_suspend's
 * suspended_lwp_migrates moves a real suspended LWP, and
 * lwp_migrate_every_tick migrates real sleepers.)
 */
KTEST(lwp_migrate_idle_sleep_stop_suspended)
{
	struct cpu_info *from = curcpu(), *to = cpu_lookup(ncpu - 1);
	static kmutex_t fake_sleepq = MUTEX_INITIALIZER("t_sleepq", IPL_SCHED);
	static const int states[] = { LSSLEEP, LSSTOP, LSSUSPENDED };
	lwp_t *l;

	KT_EQ(kthread_create(PRI_NONE, KTHREAD_IDLE | KTHREAD_MUSTJOIN, NULL,
	    t_noop, NULL, &l, "t_migidl"), 0);
	KT_ASSERT(l->l_cpu == from && l->l_stat == LSIDL);
	lwp_lock(l);
	lwp_migrate(l, to);
	KT_ASSERT(l->l_cpu == to);
	KT_ASSERT(l->l_mutex == to->ci_schedstate.spc_mutex);
	mutex_enter(proc0.p_lock);
	lwp_start(l, 0);				/* and it runs there */
	mutex_exit(proc0.p_lock);
	KT_EQ(kthread_join(l), 0);

	for (size_t i = 0; i < __arraycount(states); i++) {
		for (int onq = 0; onq < 2; onq++) {
			if (states[i] == LSSLEEP && !onq)
				continue;	/* a sleeper is always on one */
			KT_EQ(kthread_create(PRI_NONE, KTHREAD_IDLE, NULL,
			    t_noop, NULL, &l, "t_mig%zu", i), 0);
			/* Fake the state, with the lock it would have. */
			lwp_lock(l);
			l->l_stat = states[i];
			l->l_wchan = onq ? (void *)&fake_sleepq : NULL;
			lwp_unlock_to(l, onq ? &fake_sleepq :
			    from->ci_schedstate.spc_lwplock);
			lwp_lock(l);
			lwp_migrate(l, to);
			KT_ASSERT(l->l_cpu == to);
			KT_ASSERT(l->l_target_cpu == NULL);
			KT_ASSERT(l->l_mutex == (onq ? &fake_sleepq :
			    to->ci_schedstate.spc_lwplock));
			/* Back to LSIDL, to throw it away. */
			lwp_lock(l);
			l->l_stat = LSIDL;
			l->l_wchan = NULL;
			lwp_unlock_to(l, to->ci_schedstate.spc_mutex);
			t_discard(l);
		}
	}
}

static volatile u_int t_where;
static volatile int t_where_stop;

/* Spin until running on CPU *arg (or told to stop), noting where. */
static void
t_wait_for_cpu(void *arg)
{
	u_int want = (u_int)(uintptr_t)arg;

	while ((t_where = cpu_index(curcpu())) != want && !t_where_stop)
		continue;
}

/* Wait, sleeping a tick at a time, until t_where is cpu c (at most
 * `ticks` ticks of this CPU's clock: generous, see t_wait_allcpus). */
static bool
t_wait_where(u_int c, int ticks)
{
	for (int t = 0; t < ticks && t_where != c; t++)
		(void)kpause("t_where", false, 1, NULL);
	return t_where == c;
}

/*
 * LSONPROC: migrating a running LWP sets l_target_cpu and makes its CPU
 * reschedule; mi_switch parks it (spc_migrating), that CPU's idle LWP
 * moves it, and it carries on on the target.  LSRUN: the same, once the
 * queued LWP comes to the head of its queue.  Each thread may run only
 * on `from` until it is moved (affinity), and only on `to` after, so
 * nothing but the migration can get it there.
 */
KTEST(lwp_migrate_running_and_runnable)
{
	lwp_t *l;
	kcpuset_t *fromset, *toset;

	if (ncpu < 2)
		KT_SKIP("needs 2 CPUs");
	for (u_int round = 0; round < 2 * ncpu; round++) {
		bool running = round % 2 == 0, placed, there = false;
		bool queued = true, targeted = true, arrived = false;
		/* LSONPROC: any other CPU.  LSRUN: queue it behind us, on
		 * our CPU, and hold the CPU (kpreempt_disable). */
		struct cpu_info *from = running ?
		    cpu_lookup((cpu_index(curcpu()) + 1 + round / 2 %
		    (ncpu - 1)) % ncpu) : curcpu();
		struct cpu_info *to = cpu_lookup((cpu_index(from) + 1) % ncpu);

		kcpuset_create(&fromset, true);
		kcpuset_set(fromset, cpu_index(from));
		kcpuset_create(&toset, true);
		kcpuset_set(toset, cpu_index(to));
		t_where = ~0u;
		t_where_stop = 0;
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_IDLE | KTHREAD_MUSTJOIN,
		    NULL, t_wait_for_cpu, (void *)(uintptr_t)cpu_index(to), &l,
		    "t_migrun"), 0);
		lwp_lock(l);
		lwp_setaffinity(l, fromset);	/* LSIDL: moves to `from` */
		placed = l->l_cpu == from;
		if (!placed)
			t_where_stop = 1;	/* it can prove nothing */
		if (running) {
			mutex_enter(proc0.p_lock);
			lwp_start(l, 0);
			mutex_exit(proc0.p_lock);
			if (placed)
				there = t_wait_where(cpu_index(from), 2000);
			lwp_lock(l);	/* running (or preempted there) */
			lwp_setaffinity(l, toset);  /* `from` not allowed */
		} else {
			kpreempt_disable();
			mutex_enter(proc0.p_lock);
			lwp_start(l, 0);
			mutex_exit(proc0.p_lock);
			lwp_lock(l);
			queued = l->l_stat == LSRUN;
			lwp_setaffinity(l, toset);  /* `from` not allowed */
			/* On its way to `to`; or already there: `to`, idle,
			 * may steal it as soon as its affinity allows. */
			lwp_lock(l);
			targeted = l->l_target_cpu == to || l->l_cpu == to;
			lwp_unlock(l);
			kpreempt_enable();
			there = true;
		}
		if (placed && there)
			arrived = t_wait_where(cpu_index(to), 2000);
		t_where_stop = 1;
		KT_EQ(kthread_join(l), 0);
		kcpuset_unuse(fromset);
		kcpuset_unuse(toset);
		KT_ASSERT(placed);
		KT_ASSERT(there);
		KT_ASSERT(queued);
		KT_ASSERT(targeted);
		KT_ASSERT(arrived);
	}
}

/* ---- soak: create, migrate, yield and exit on every CPU at once -------- */

static volatile int t_soak_stop;
static volatile uint64_t t_soak_steps;

/*
 * Check that every LWP is in exactly one place: queued LWPs on exactly
 * their l_cpu's queue, once, and each queue's count matches.  Takes
 * every CPU's run-queue lock (in address order), so it sees a frozen
 * picture.
 */
static bool
t_check_queues(void)
{
	static struct cpu_info *order[MAXCPUS];
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;
	bool ok = true;
	u_int n = 0;
	lwp_t *l;

	CPU_INFO_FOREACH(cii, ci)
		order[n++] = ci;
	for (u_int i = 1; i < n; i++)		/* sort by address */
		for (u_int j = i; j > 0 && order[j] < order[j - 1]; j--) {
			ci = order[j];
			order[j] = order[j - 1];
			order[j - 1] = ci;
		}
	for (u_int i = 0; i < n; i++)
		spc_lock(order[i]);
	CPU_INFO_FOREACH(cii, ci) {
		struct schedstate_percpu *spc = &ci->ci_schedstate;
		u_int count = 0;

		for (int p = 0; p < PRI_COUNT; p++)
			TAILQ_FOREACH(l, &spc->spc_queue[p], l_runq) {
				count++;
				if (l->l_cpu != ci || l->l_stat != LSRUN ||
				    lwp_eprio(l) != p ||
				    l->l_mutex != spc->spc_mutex ||
				    (l->l_pflag & LP_RUNNING))
					ok = false;
			}
		if (count != spc->spc_count)
			ok = false;
	}
	for (u_int i = n; i-- > 0; )
		spc_unlock(order[i]);
	return ok;
}

static void
t_soak_worker(void *arg)
{
	u_int seed = (u_int)(uintptr_t)arg * 2654435761u;

	while (!t_soak_stop) {
		lwp_t *l = curlwp;

		seed = seed * 1103515245 + 12345;
		switch ((seed >> 16) % 4) {
		case 0:
			yield();
			break;
		case 1:
			/* Migrate ourselves somewhere. */
			lwp_lock(l);
			lwp_migrate(l, cpu_lookup((seed >> 8) % ncpu));
			yield();
			break;
		case 2: {
			lwp_t *c;
			if (kthread_create(PRI_NONE, 0, NULL, t_noop, NULL,
			    &c, "t_soakkid") == 0)
				yield();
			break;
		}
		default:
			delay(50);
			break;
		}
		__atomic_add_fetch(&t_soak_steps, 1, __ATOMIC_RELAXED);
	}
}

/*
 * Two workers per CPU for `steps` steps in all, each yielding, migrating
 * itself, and creating short-lived detached threads, while this thread
 * checks the run queues' invariants over and over.  Afterwards nothing
 * is lost: LWPs, stacks and kmem are back where they started.
 */
static void
t_soak(struct ktest_ctx *kt, uint64_t steps)
{
	static lwp_t *l[2 * MAXCPUS];
	u_int n = 2 * ncpu;
	size_t stacks = kstack_count();
	int nlwps = proc0.p_nlwps;
	uint64_t end, checks = 0;
	struct kmem_stats k0, k;

	kmem_stats(&k0);

	t_soak_stop = 0;
	t_soak_steps = 0;
	for (u_int i = 0; i < n; i++)
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
		    t_soak_worker, (void *)(uintptr_t)(i + 1), &l[i],
		    "t_soak%u", i), 0);
	/* (The limit is a backstop: workers that stop making steps.) */
	for (end = nsuptime() + steps * 2000000UL + 10000000000UL;
	    t_soak_steps < steps && nsuptime() < end; checks++) {
		KT_ASSERT(t_check_queues());
		delay(200);		/* let the workers at the locks too */
		yield();
	}
	t_soak_stop = 1;
	for (u_int i = 0; i < n; i++)
		KT_EQ(kthread_join(l[i]), 0);
	/*
	 * Detached children: an exited one is freed by the next create
	 * (p_zomblwp keeps one zombie), its stack once it has switched away
	 * for good, which under load can come late.  Create and join
	 * reapers until every LWP, stack and byte is back (the bound is for
	 * a real leak, not for speed).
	 */
	for (end = nsuptime() + 5000000000UL;; yield()) {
		lwp_t *kid;

		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, t_noop,
		    NULL, &kid, "t_reaper"), 0);
		KT_EQ(kthread_join(kid), 0);
		kmem_stats(&k);
		if ((proc0.p_nlwps == nlwps && kstack_count() == stacks &&
		    k.ks_inuse == k0.ks_inuse) || nsuptime() > end)
			break;
	}
	KT_EQ(proc0.p_nlwps, nlwps);
	KT_EQ(kstack_count(), stacks);
	KT_EQ(k.ks_inuse, k0.ks_inuse);
	printf("ktest: soak: %lu steps, %lu invariant checks\n",
	    t_soak_steps, checks);
	KT_ASSERT(t_soak_steps >= steps);	/* the workers made progress */
}

KTEST(sched_soak_create_migrate_yield_exit)
{
	t_soak(kt, 5000);
}

/* The same twenty times longer (by hand: ktest=sched_soak_long). */
KTEST_MANUAL(sched_soak_long)
{
	t_soak(kt, 100000);
}

/* ---- sched_takecpu on constructed situations -------------------------- */

static volatile int t_hog_stop;
static volatile u_int t_hogs_running;

static void
t_hog(void *arg)
{
	__atomic_add_fetch(&t_hogs_running, 1, __ATOMIC_RELAXED);
	while (!t_hog_stop)
		continue;
}

/*
 * Make CPUs busy with bound spinning threads, then ask sched_takecpu
 * about a new LWP whose last CPU is cpu0 (busy with us):
 *   bound: stays on cpu0;
 *   an idle CPU exists: gets it;
 *   affinity to one busy CPU: gets that CPU;
 *   everything busy: the least loaded (a lower-priority hog's CPU).
 */
KTEST(sched_takecpu_decisions)
{
	static lwp_t *hog[MAXCPUS];
	lwp_t *l;
	struct cpu_info *c0 = cpu_lookup(0), *ci;
	kcpuset_t *one;

	KT_ASSERT(curcpu() == c0);	/* lwp0 is bound to cpu0 */
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_IDLE, NULL, t_noop, NULL, &l,
	    "t_take"), 0);
	lwp_lock(l);
	KT_ASSERT(l->l_cpu == c0);
	l->l_pflag |= LP_BOUND;
	KT_ASSERT(sched_takecpu(l) == c0);		/* bound */
	l->l_pflag &= ~LP_BOUND;
	if (ncpu == 1) {
		KT_ASSERT(sched_takecpu(l) == c0);	/* nowhere else */
		lwp_unlock(l);
		t_discard(l);
		return;
	}
	/* cpu0 runs us; the others idle: an idle one wins. */
	ci = sched_takecpu(l);
	KT_ASSERT(ci != c0);
	KT_EQ(ci->ci_schedstate.spc_curpriority, PRI_IDLE);
	lwp_unlock(l);

	/* Hogs on every other CPU: cpu1's at a lower priority. */
	t_hog_stop = 0;
	t_hogs_running = 0;
	for (u_int i = 1; i < ncpu; i++)
		KT_EQ(kthread_create(i == 1 ? PRI_KTHREAD - 10 :
		    PRI_KTHREAD + 10, KTHREAD_MUSTJOIN, cpu_lookup(i), t_hog,
		    NULL, &hog[i], "t_hog%u", i), 0);
	while (t_hogs_running != ncpu - 1)
		yield();
	lwp_lock(l);
	/* Least loaded: max(running, queued) is lowest on cpu1. */
	KT_ASSERT(sched_takecpu(l) == cpu_lookup(1));
	/* Affinity to the busiest CPU only: that one, regardless. */
	kcpuset_create(&one, true);
	kcpuset_set(one, ncpu - 1);
	l->l_affinity = one;
	l->l_flag |= LW_AFFINITY;
	KT_ASSERT(sched_takecpu(l) == cpu_lookup(ncpu - 1));
	l->l_affinity = NULL;
	l->l_flag &= ~LW_AFFINITY;
	lwp_unlock(l);
	kcpuset_unuse(one);

	t_hog_stop = 1;
	for (u_int i = 1; i < ncpu; i++)
		KT_EQ(kthread_join(hog[i]), 0);
	t_discard(l);
}

/* ---- kpreempt_disable, accounting, references --------------------------- */

static volatile int t_np_flag;
static volatile int t_np_seen_while_disabled;

static void
t_nopreempt_spinner(void *arg)
{
	uint64_t end = nsuptime() + 300000000UL;	/* 300 ms: 3 slices */

	kpreempt_disable();
	while (nsuptime() < end)
		if (t_np_flag)
			t_np_seen_while_disabled = 1;
	kpreempt_enable();
}

static void
t_np_setter(void *arg)
{
	t_np_flag = 1;
}

/* A thread with preemption disabled keeps its CPU past its time slice:
 * another thread bound there runs only after kpreempt_enable(). */
KTEST(sched_kpreempt_disable_holds_cpu)
{
	struct cpu_info *ci = cpu_lookup(ncpu - 1);
	lwp_t *a, *b;

	t_np_flag = 0;
	t_np_seen_while_disabled = 0;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, ci,
	    t_nopreempt_spinner, NULL, &a, "t_nopre"), 0);
	while (a->l_stat != LSONPROC && a->l_stat != LSZOMB)
		yield();
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, ci, t_np_setter,
	    NULL, &b, "t_npset"), 0);
	KT_EQ(kthread_join(b), 0);
	KT_EQ(kthread_join(a), 0);
	KT_EQ(t_np_flag, 1);
	KT_EQ(t_np_seen_while_disabled, 0);
}

static volatile uint64_t t_acct_rtime, t_acct_ncsw, t_acct_nivcsw;
static volatile uint64_t t_acct_wall, t_acct_seen;

/* Busy for 300 ms of wall time, sharing the CPU with t_busy_bound --
 * longer (up to 3 s) until preempted once: a busy host may deliver
 * the clock ticks that end a time slice late.  Meanwhile it adds up
 * the time it saw itself run: the clock's steps of under 1 ms between
 * two looks (a longer one: the other thread ran, or the host did not
 * run this CPU). */
static void
t_acct(void *arg)
{
	uint64_t start = nsuptime(), prev = start, now, seen = 0;

	while ((now = nsuptime()) < start + 300000000UL ||
	    (curlwp->l_nivcsw == 0 && now < start + 3000000000UL)) {
		if (now - prev < 1000000UL)
			seen += now - prev;
		prev = now;
	}
	t_acct_seen = seen;
	yield();		/* brings l_rtime up to date */
	t_acct_wall = nsuptime() - start;
	/* Our own counters are ours to read (the `!` rule). */
	t_acct_rtime = curlwp->l_rtime;
	t_acct_ncsw = curlwp->l_ncsw;
	t_acct_nivcsw = curlwp->l_nivcsw;
}

static void
t_busy_bound(void *arg)
{
	uint64_t end = nsuptime() + 300000000UL;

	/* (As long as t_acct, so that it always has someone to share
	 * the CPU with.) */
	while (nsuptime() < end || t_acct_wall == 0)
		continue;
}

/*
 * Run time and switch counts add up: two threads sharing one CPU for
 * 300 ms each take turns by time slice, so each is charged at least
 * the time it saw itself run, never more than the wall time, and is
 * switched out involuntarily at least once.  (Not "at least 100 ms":
 * how the 300 ms are shared is the host's to decide -- 97 ms of 1756
 * when 12 busy virtual CPUs shared two cores.)
 */
KTEST(sched_time_accounting)
{
	struct cpu_info *ci = cpu_lookup(ncpu - 1);
	lwp_t *a, *b;

	t_acct_wall = 0;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, ci, t_acct, NULL,
	    &a, "t_acct"), 0);
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, ci, t_busy_bound,
	    NULL, &b, "t_acctbusy"), 0);
	KT_EQ(kthread_join(a), 0);
	KT_EQ(kthread_join(b), 0);
	printf("ktest: accounting: rtime %lu ms (seen running %lu ms) of %lu "
	    "ms, %lu switches, %lu involuntary\n", t_acct_rtime / 1000000,
	    t_acct_seen / 1000000, t_acct_wall / 1000000, t_acct_ncsw,
	    t_acct_nivcsw);
	KT_ASSERT(t_acct_seen > 0);
	KT_ASSERT(t_acct_rtime >= t_acct_seen);
	KT_ASSERT(t_acct_rtime <= t_acct_wall);
	KT_ASSERT(t_acct_nivcsw >= 1);
	KT_ASSERT(t_acct_nivcsw <= t_acct_ncsw);
}

static volatile int t_ref_done;

static void
t_ref_exiter(void *arg)
{
	t_ref_done = 1;
	/* lwp_exit() drains references: it waits while we hold one. */
}

/* lwp_addref keeps an LWP from being freed: its exit waits (in
 * lwp_drainrefs) until the reference is dropped. */
KTEST(lwp_refs_drain_before_exit)
{
	lwp_t *l;

	t_ref_done = 0;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_IDLE | KTHREAD_MUSTJOIN, NULL,
	    t_ref_exiter, NULL, &l, "t_ref"), 0);
	mutex_enter(proc0.p_lock);
	lwp_addref(l);
	KT_EQ(l->l_refcnt, 2);
	lwp_start(l, 0);
	mutex_exit(proc0.p_lock);
	while (!t_ref_done)
		yield();
	delay(20000);
	/* It ran and wants to exit, but cannot become a zombie yet. */
	KT_ASSERT(l->l_stat != LSZOMB);
	lwp_delref(l);
	KT_EQ(kthread_join(l), 0);
}

#define T_STABLE_MAX	1024

static void
t_nothing(void *arg)
{
}

/* Does any byte of l lie in a page that is free in vm_page? */
static bool
t_lwp_page_free(const lwp_t *l)
{
	return vm_page_is_free(pmap_direct_pa(l)) ||
	    vm_page_is_free(pmap_direct_pa((const char *)(l + 1) - 1));
}

/*
 * LWP memory is type-stable (lwpinit; the adaptive mutex's spin reads
 * owners that may have been freed): freeing LWPs gives no page back to
 * the page allocator.  Kernel threads are created until lwp_cache has
 * grown twice, so that every object of the slab it took the first time
 * went to one of them (a new slab's objects are handed out before any
 * other); once they are all joined that slab is wholly free, and a pool
 * that gave such slabs back would have given it.  Then no page one of
 * them lived in may be free, and the pool keeps its pages.
 */
KTEST(freed_lwp_memory_stays_lwp_memory)
{
	struct pool_stats st;
	lwp_t **l;
	const lwp_t *freed = NULL;
	size_t pages, pages0;
	int n = 0, grown = 0;

	l = kmem_alloc(T_STABLE_MAX * sizeof(*l), KM_SLEEP);
	KT_ASSERT(l != NULL);
	lwp_cache_stats(&st);
	pages0 = pages = st.ps_npages;
	while (grown < 2 && n < T_STABLE_MAX &&
	    kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, t_nothing, NULL,
	    &l[n], "t_stable") == 0) {
		KASSERT(pmap_is_direct(l[n]));
		n++;
		lwp_cache_stats(&st);
		if (st.ps_npages != pages) {
			grown++;
			pages = st.ps_npages;
		}
	}
	for (int i = 0; i < n; i++)
		(void)kthread_join(l[i]);
	lwp_cache_stats(&st);
	for (int i = 0; i < n && freed == NULL; i++)
		if (t_lwp_page_free(l[i]))
			freed = l[i];
	kmem_free(l, T_STABLE_MAX * sizeof(*l));

	KT_EQ(grown, 2);	/* (else too few LWPs to fill a slab) */
	if (freed != NULL || st.ps_npages < pages) {
		ktest_fail(kt, __FILE__, __LINE__, "LWP memory went back to "
		    "the page allocator: %d LWPs created and freed; the page "
		    "of %p is free; lwp_cache has %zu pages, had %zu (%zu "
		    "before the test)", n, freed, st.ps_npages, pages, pages0);
		return;
	}
}

/* ---- migrated every tick, by someone else ------------------------------- */

static volatile int t_mig_stop;
static volatile uint64_t t_mig_work[MAXCPUS];
static kcpuset_t t_mig_cpus[MAXCPUS];		/* where worker i ran */

/* Count, and check who we are, wherever we are moved to. */
static void
t_mig_worker(void *arg)
{
	int i = (int)(uintptr_t)arg;
	lwp_t *self = curlwp;

	while (!t_mig_stop) {
		if (curlwp != self || self->l_cpu != curcpu())
			panic("t_mig_worker: curlwp %p / l_cpu %p, not %p / %p",
			    curlwp, self->l_cpu, self, curcpu());
		t_mig_work[i]++;
		kcpuset_set(&t_mig_cpus[i], cpu_index(curcpu()));
		if (t_mig_work[i] % 64 == 0)
			yield();	/* sometimes runnable, not running */
		if (t_mig_work[i] % 256 == 0)
			(void)kpause("t_migw", false, 1, NULL);	/* asleep */
	}
}

/*
 * Workers (running, runnable or asleep at any moment) are moved to a
 * random CPU by this thread every tick for a second: they keep working,
 * see a consistent curlwp/l_cpu wherever they land, and visit several
 * CPUs.  (Suspended LWPs come with _lwp_suspend.)
 */
KTEST(lwp_migrate_every_tick)
{
	static lwp_t *w[MAXCPUS];
	u_int n = ncpu, seed = 7;
	uint64_t end;

	t_mig_stop = 0;
	for (u_int i = 0; i < n; i++) {
		t_mig_work[i] = 0;
		kcpuset_zero(&t_mig_cpus[i]);
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
		    t_mig_worker, (void *)(uintptr_t)i, &w[i], "t_migw%u", i),
		    0);
	}
	for (end = nsuptime() + 1000000000UL; nsuptime() < end; ) {
		for (u_int i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			lwp_lock(w[i]);
			lwp_migrate(w[i], cpu_lookup((seed >> 16) % ncpu));
		}
		delay(10000);		/* a tick */
		yield();
	}
	t_mig_stop = 1;
	u_int moved = 0;
	for (u_int i = 0; i < n; i++) {
		KT_EQ(kthread_join(w[i]), 0);
		KT_ASSERT(t_mig_work[i] > 0);
		if (kcpuset_countset(&t_mig_cpus[i]) > 1)
			moved++;	/* seen on more than one CPU */
	}
	/* Wake-ups may choose a CPU again, but the moves do happen. */
	if (ncpu > 1)
		KT_ASSERT(moved > 0);
}

/*
 * A preemption that finds nothing better to run (mi_switch picks the
 * preempted LWP again) switches nothing and counts nothing, and leaves
 * no trace: the next voluntary switch (a sleep) is counted voluntary.
 * (It once left LP_PREEMPTING set, and jitter=, which preempts often
 * when nothing else is runnable, made getrusage's ru_nvcsw stay 0.)
 */
KTEST(sched_preempt_to_self_counts_nothing)
{
	lwp_t *l = curlwp;

	for (int tries = 0;; tries++) {
		uint64_t ncsw = l->l_ncsw, nivcsw = l->l_nivcsw;

		KT_ASSERT(tries < 100);
		preempt();
		if (l->l_ncsw != ncsw)
			continue;	/* something else ran: try again */
		KT_EQ(l->l_nivcsw, nivcsw);
		(void)kpause("t_vol", false, 1, NULL);
		KT_EQ(l->l_ncsw, ncsw + 1);
		KT_EQ(l->l_nivcsw, nivcsw);	/* the sleep was voluntary */
		break;
	}
}
