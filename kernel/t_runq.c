/*
 * t_runq.c: the run queue's contract (kern_runq.c; lab runq).
 *
 * These tests are early ktests (KTEST_EARLY): they run on the boot CPU
 * right after lwpinit(), before anything is scheduled and with
 * interrupts off, so that they can judge the run queue even when the
 * code under test is too broken for the kernel to boot.  They work on
 * a made-up CPU (t_ci: its own run queue and locks, never running, so
 * nobody else looks at it and it gets no IPIs) and made-up LWPs that
 * never run: only the data structure and the decisions are tested.
 * The scheduler's behaviour with real threads is tested in t_sched.c.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>

#include "t_fake.h"

#define T_NLWP	32

static struct cpu_info t_ci;		/* a CPU that never runs */
static lwp_t t_lwp[T_NLWP] __aligned(LWP_ALIGN);

/* A fresh made-up CPU with an empty run queue, idle (PRI_IDLE). */
static struct schedstate_percpu *
t_cpu(void)
{
	t_fake_cpu(&t_ci, MAXCPUS - 1);
	return &t_ci.ci_schedstate;
}

/* Made-up LWP i at priority pri, LSRUN on t_ci, locked by its queue. */
static lwp_t *
t_lwpat(int i, pri_t pri, bool bound)
{
	lwp_t *l = t_fake_lwp(&t_lwp[i], 1000 + i, LSRUN, &t_ci,
	    t_ci.ci_schedstate.spc_mutex, pri, "t_runq");

	l->l_pflag = bound ? LP_BOUND : 0;
	return l;
}

static uint32_t
t_bit(pri_t p)
{
	return 0x80000000u >> (p & 31);
}

/* Within one priority the queue is FIFO; `head` puts an LWP first. */
KTEST_EARLY(runq_insert_remove_fifo)
{
	struct schedstate_percpu *spc = t_cpu();
	lwp_t *a = t_lwpat(0, 40, false), *b = t_lwpat(1, 40, false);
	lwp_t *c = t_lwpat(2, 40, false), *d = t_lwpat(3, 40, false);

	KT_ASSERT(runq_first(spc) == NULL);
	runq_insert(spc, a, 40, false);
	runq_insert(spc, b, 40, false);
	runq_insert(spc, c, 40, false);
	KT_EQ(spc->spc_count, 3);
	KT_ASSERT(runq_first(spc) == a);
	runq_insert(spc, d, 40, true);		/* to the head */
	KT_ASSERT(runq_first(spc) == d);
	runq_remove(spc, d, 40);
	KT_ASSERT(runq_first(spc) == a);
	runq_remove(spc, a, 40);
	KT_ASSERT(runq_first(spc) == b);
	runq_remove(spc, c, 40);		/* from the tail: b stays */
	KT_ASSERT(runq_first(spc) == b);
	runq_remove(spc, b, 40);
	KT_EQ(spc->spc_count, 0);
	KT_ASSERT(runq_first(spc) == NULL);
}

/*
 * spc_bitmap has bit (0x80000000 >> (p & 31)) of word p >> 5 set while
 * queue p is non-empty (sys/sched.h), and only then; spc_maxpriority
 * is the highest non-empty queue, and runq_maxpri() says PRI_NONE when
 * there is none.
 */
KTEST_EARLY(runq_bitmap_and_maxpri)
{
	static const pri_t pris[] = { 0, 31, 32, 95, 96, 200, 223 };
	struct schedstate_percpu *spc = t_cpu();
	int n = __arraycount(pris);

	KT_EQ(runq_maxpri(spc), PRI_NONE);
	for (int i = 0; i < n; i++) {
		runq_insert(spc, t_lwpat(i, pris[i], false), pris[i], false);
		KT_EQ(runq_maxpri(spc), pris[i]);
		KT_ASSERT(spc->spc_bitmap[pris[i] >> 5] & t_bit(pris[i]));
	}
	/* A second LWP at 96: its bit stays when one of the two goes. */
	runq_insert(spc, t_lwpat(n, 96, false), 96, false);
	runq_remove(spc, &t_lwp[n], 96);
	KT_ASSERT(spc->spc_bitmap[96 >> 5] & t_bit(96));
	/* Take them off from the top: the maximum follows them down,
	 * across words, and each bit goes with the last LWP of its queue. */
	for (int i = n - 1; i >= 0; i--) {
		KT_EQ(runq_maxpri(spc), pris[i]);
		KT_ASSERT(runq_first(spc) == &t_lwp[i]);
		runq_remove(spc, &t_lwp[i], pris[i]);
		KT_ASSERT(!(spc->spc_bitmap[pris[i] >> 5] & t_bit(pris[i])));
	}
	KT_EQ(runq_maxpri(spc), PRI_NONE);
	KT_ASSERT(runq_first(spc) == NULL);
	for (u_int w = 0; w < __arraycount(spc->spc_bitmap); w++)
		KT_EQ(spc->spc_bitmap[w], 0);
	/* Removing below the top leaves the maximum alone. */
	runq_insert(spc, t_lwpat(0, 10, false), 10, false);
	runq_insert(spc, t_lwpat(1, 150, false), 150, false);
	runq_remove(spc, &t_lwp[0], 10);
	KT_EQ(runq_maxpri(spc), 150);
	runq_remove(spc, &t_lwp[1], 150);
}

/*
 * Random inserts (at the tail, sometimes the head) and removals, checked
 * after every step against a model: each queue's order, the count, the
 * bitmap, the maximum and the first LWP.
 */
static lwp_t *t_model[PRI_COUNT][T_NLWP];
static int t_model_n[PRI_COUNT];

static bool
t_model_matches(struct ktest_ctx *kt, struct schedstate_percpu *spc,
    int step)
{
	uint32_t bits[__arraycount(spc->spc_bitmap)];
	int count = 0, max = PRI_NONE;

	memset(bits, 0, sizeof(bits));
	for (int p = 0; p < PRI_COUNT; p++) {
		lwp_t *l = TAILQ_FIRST(&spc->spc_queue[p]);

		for (int i = 0; i < t_model_n[p]; i++) {
			if (l != t_model[p][i]) {
				ktest_fail(kt, __FILE__, __LINE__, "step %d: queue "
				    "%d position %d holds %p, the model says %p",
				    step, p, i, l, t_model[p][i]);
				return false;
			}
			l = TAILQ_NEXT(l, l_runq);
		}
		if (l != NULL) {
			ktest_fail(kt, __FILE__, __LINE__, "step %d: queue %d "
			    "is longer than the model's %d", step, p,
			    t_model_n[p]);
			return false;
		}
		if (t_model_n[p] > 0) {
			bits[p >> 5] |= t_bit(p);
			max = p;
		}
		count += t_model_n[p];
	}
	for (u_int w = 0; w < __arraycount(bits); w++)
		if (bits[w] != spc->spc_bitmap[w]) {
			ktest_fail(kt, __FILE__, __LINE__, "step %d: bitmap word "
			    "%u is %#x, the model says %#x", step, w,
			    spc->spc_bitmap[w], bits[w]);
			return false;
		}
	if ((int)spc->spc_count != count || runq_maxpri(spc) != max ||
	    runq_first(spc) != (max == PRI_NONE ? NULL : t_model[max][0])) {
		ktest_fail(kt, __FILE__, __LINE__, "step %d: count %u maxpri "
		    "%d first %p; the model says %d, %d, %p", step,
		    spc->spc_count, runq_maxpri(spc), runq_first(spc), count,
		    max, max == PRI_NONE ? NULL : t_model[max][0]);
		return false;
	}
	return true;
}

KTEST_EARLY(runq_random_ops_match_model)
{
	struct schedstate_percpu *spc = t_cpu();
	static pri_t where[T_NLWP];		/* -1: not queued */
	uint32_t seed = 12345;

	memset(t_model_n, 0, sizeof(t_model_n));
	for (int i = 0; i < T_NLWP; i++)
		where[i] = -1;
	for (int step = 0; step < 4000; step++) {
		int i, p;

		seed = seed * 1103515245 + 12345;
		i = (seed >> 16) % T_NLWP;
		if (where[i] < 0) {
			/* A few priorities, so queues fill up, over all words. */
			static const pri_t some[] = { 0, 1, 31, 32, 63, 64, 100,
			    127, 128, 191, 192, 222, 223 };
			bool head = ((seed >> 8) & 7) == 0;

			p = some[(seed >> 4) % __arraycount(some)];
			runq_insert(spc, t_lwpat(i, p, false), p, head);
			if (head) {
				memmove(&t_model[p][1], &t_model[p][0],
				    t_model_n[p] * sizeof(lwp_t *));
				t_model[p][0] = &t_lwp[i];
			} else
				t_model[p][t_model_n[p]] = &t_lwp[i];
			t_model_n[p]++;
			where[i] = p;
		} else {
			int k;

			p = where[i];
			runq_remove(spc, &t_lwp[i], p);
			for (k = 0; t_model[p][k] != &t_lwp[i]; k++)
				continue;
			memmove(&t_model[p][k], &t_model[p][k + 1],
			    (t_model_n[p] - k - 1) * sizeof(lwp_t *));
			t_model_n[p]--;
			where[i] = -1;
		}
		if (!t_model_matches(kt, spc, step))
			return;
	}
}

/*
 * sched_enqueue/sched_dequeue: the LWP goes to the queue of its
 * effective priority (lwp_eprio: a lent priority counts), spc_count
 * counts it, spc_mcount counts it unless it is bound, and dequeueing
 * the LWP the idle loop is about to migrate clears spc_migrating.
 */
KTEST_EARLY(sched_enqueue_dequeue_counts)
{
	struct schedstate_percpu *spc = t_cpu();
	lwp_t *a = t_lwpat(0, 30, false), *b = t_lwpat(1, 30, true);
	lwp_t *c = t_lwpat(2, 20, false);

	c->l_inheritedprio = 90;		/* lent: queues at 90 */
	spc->spc_curpriority = MAXPRI;		/* (no preemption here) */
	mutex_spin_enter(spc->spc_mutex);
	sched_enqueue(a, false);
	sched_enqueue(b, false);
	sched_enqueue(c, false);
	KT_EQ(spc->spc_count, 3);
	KT_EQ(spc->spc_mcount, 2);		/* b is bound */
	KT_EQ(runq_maxpri(spc), 90);
	KT_ASSERT(runq_first(spc) == c);
	KT_ASSERT(TAILQ_FIRST(&spc->spc_queue[30]) == a);
	spc->spc_migrating = c;
	sched_dequeue(c);
	KT_ASSERT(spc->spc_migrating == NULL);
	KT_EQ(spc->spc_mcount, 1);
	sched_dequeue(b);
	KT_EQ(spc->spc_mcount, 1);
	KT_EQ(spc->spc_count, 1);
	sched_dequeue(a);
	KT_EQ(spc->spc_count, 0);
	KT_EQ(spc->spc_mcount, 0);
	KT_EQ(runq_maxpri(spc), PRI_NONE);
	mutex_spin_exit(spc->spc_mutex);
}

/*
 * An LWP enqueued at a priority above what runs on its CPU asks that
 * CPU to reschedule (RESCHED_KPREEMPT, plus RESCHED_IDLE if it idles);
 * at or below it, or from mi_switch (`swtch`), it does not.
 */
KTEST_EARLY(sched_enqueue_asks_to_preempt)
{
	struct schedstate_percpu *spc = t_cpu();
	lwp_t *a = t_lwpat(0, 50, false), *b = t_lwpat(1, 60, false);
	lwp_t *c = t_lwpat(2, 70, false), *d = t_lwpat(3, 10, false);

	mutex_spin_enter(spc->spc_mutex);
	spc->spc_curpriority = 60;
	sched_enqueue(a, false);		/* below: nothing */
	sched_enqueue(b, false);		/* equal: nothing */
	KT_EQ(t_ci.ci_want_resched, 0);
	sched_enqueue(c, true);			/* mi_switch's: nothing */
	KT_EQ(t_ci.ci_want_resched, 0);
	sched_dequeue(c);
	sched_enqueue(c, false);		/* above: preempt */
	KT_ASSERT(t_ci.ci_want_resched & RESCHED_KPREEMPT);
	KT_ASSERT(!(t_ci.ci_want_resched & RESCHED_IDLE));
	t_ci.ci_want_resched = 0;
	spc->spc_curpriority = PRI_IDLE;	/* an idle CPU is woken */
	sched_enqueue(d, false);
	KT_ASSERT(t_ci.ci_want_resched & RESCHED_KPREEMPT);
	KT_ASSERT(t_ci.ci_want_resched & RESCHED_IDLE);
	sched_dequeue(a);
	sched_dequeue(b);
	sched_dequeue(c);
	sched_dequeue(d);
	mutex_spin_exit(spc->spc_mutex);
}

/*
 * sched_tick: the running LWP's slice lasts sched_rrticks ticks; when
 * it is used up the CPU is marked SPCF_SHOULDYIELD and, if an LWP of
 * at least the running one's priority waits, asked to reschedule; the
 * slice starts again.  A lower-priority waiter does not preempt, and
 * the idle LWP is never charged.
 */
KTEST_EARLY(sched_tick_time_slice)
{
	struct schedstate_percpu *spc = t_cpu();
	lwp_t *run = t_lwpat(0, 40, false), *low = t_lwpat(1, 39, false);
	lwp_t *same = t_lwpat(2, 40, false), *idle = t_lwpat(3, PRI_IDLE,
	    true);

	run->l_stat = LSONPROC;
	t_ci.ci_curlwp = run;
	spc->spc_curpriority = 40;
	spc->spc_ticks = sched_rrticks;
	mutex_spin_enter(spc->spc_mutex);
	sched_enqueue(low, false);
	mutex_spin_exit(spc->spc_mutex);
	for (u_int i = 1; i < sched_rrticks; i++) {
		sched_tick(&t_ci);
		KT_ASSERT(!(spc->spc_flags & SPCF_SHOULDYIELD));
	}
	sched_tick(&t_ci);			/* the slice is used up */
	KT_ASSERT(spc->spc_flags & SPCF_SHOULDYIELD);
	KT_EQ(t_ci.ci_want_resched, 0);		/* only a lower one waits */
	KT_EQ(spc->spc_ticks, sched_rrticks);	/* a new slice */
	mutex_spin_enter(spc->spc_mutex);
	sched_enqueue(same, false);
	mutex_spin_exit(spc->spc_mutex);
	spc->spc_flags = 0;
	for (u_int i = 1; i < sched_rrticks; i++)
		sched_tick(&t_ci);
	KT_EQ(t_ci.ci_want_resched, 0);
	sched_tick(&t_ci);
	KT_ASSERT(t_ci.ci_want_resched & RESCHED_KPREEMPT);	/* RR */
	/* The idle LWP's time is nobody's slice. */
	t_ci.ci_want_resched = 0;
	spc->spc_flags = 0;
	idle->l_stat = LSONPROC;
	idle->l_flag = LW_IDLE;
	t_ci.ci_curlwp = idle;
	for (u_int i = 0; i < 3 * sched_rrticks; i++)
		sched_tick(&t_ci);
	KT_EQ(t_ci.ci_want_resched, 0);
	KT_ASSERT(!(spc->spc_flags & SPCF_SHOULDYIELD));
	mutex_spin_enter(spc->spc_mutex);
	sched_dequeue(low);
	sched_dequeue(same);
	mutex_spin_exit(spc->spc_mutex);
}
