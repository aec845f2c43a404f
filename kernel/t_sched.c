/*
 * t_sched.c: ktests for the run queues, context switching, kernel
 * threads, preemption, stealing, affinity and migration.  They run at
 * SMP=1, 2, 4 and 8 (tools/test).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kcpuset.h>
#include <sys/kthread.h>
#include <sys/kstack.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/pool.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/time.h>

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
static volatile u_int t_seen_cpus[T_NTHREADS];

static void
t_yielder(void *arg)
{
	int i = (int)(uintptr_t)arg;

	for (int n = 0; n < 200; n++) {
		t_count[i]++;
		t_seen_cpus[i] |= 1u << cpu_index(curcpu());
		yield();
	}
}

/* Several threads per CPU, each yielding in a loop: all finish, each
 * counted exactly. */
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
	lwp_t *l[MAXCPUS];
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
