/*
 * t_bench.c: scheduler benchmarks.  Manual ktests: they print figures
 * and pass unless something breaks; tools/bench-sched runs them with
 * and without QEMU's -icount (where the TSC counts instructions, so the
 * figures are exact, repeatable path lengths).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/cpu_counter.h>
#include <sys/kthread.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/time.h>

#define BENCH_YIELDS	20000

static volatile int b_go;

static void
b_yielder(void *arg)
{
	while (!b_go)
		yield();
	for (int i = 0; i < BENCH_YIELDS; i++)
		yield();
}

/*
 * Context switch: two threads bound to one CPU yield to each other
 * BENCH_YIELDS times each; every yield is one switch.
 */
KTEST_MANUAL(bench_context_switch)
{
	struct cpu_info *ci = cpu_lookup(ncpu - 1);
	lwp_t *a, *b;
	uint64_t t0, t1, sw0;

	b_go = 0;
	KT_EQ(kthread_create(PRI_KTHREAD + 1, KTHREAD_MUSTJOIN, ci, b_yielder,
	    NULL, &a, "b_yield_a"), 0);
	KT_EQ(kthread_create(PRI_KTHREAD + 1, KTHREAD_MUSTJOIN, ci, b_yielder,
	    NULL, &b, "b_yield_b"), 0);
	delay(20000);			/* both are up and yielding */
	sw0 = ci->ci_nswtch;
	t0 = cpu_counter();
	b_go = 1;
	KT_EQ(kthread_join(a), 0);
	t1 = cpu_counter();
	KT_EQ(kthread_join(b), 0);
	uint64_t nsw = ci->ci_nswtch - sw0;
	KT_ASSERT(nsw >= BENCH_YIELDS);
	printf("bench: context switch (yield, same CPU): %lu TSC per switch "
	    "over %lu switches\n", (t1 - t0) / nsw, nsw);
}

static volatile uint64_t b_woke_at;

static void
b_record(void *arg)
{
	b_woke_at = cpu_counter();
}

/*
 * Cross-CPU wakeup: this CPU makes a thread bound to an idle CPU
 * runnable (lwp_start: enqueue there + reschedule IPI); how long until
 * the thread's first instruction runs there.  Median of 50.
 */
KTEST_MANUAL(bench_cross_cpu_wakeup)
{
	uint64_t lat[50];
	struct cpu_info *ci = cpu_lookup(ncpu - 1);

	KT_ASSERT(ncpu > 1);
	for (int i = 0; i < 50; i++) {
		lwp_t *l;
		uint64_t t0;

		KT_EQ(kthread_create(PRI_NONE, KTHREAD_IDLE | KTHREAD_MUSTJOIN,
		    ci, b_record, NULL, &l, "b_wake"), 0);
		delay(2000);		/* let ci settle into its idle halt */
		b_woke_at = 0;
		mutex_enter(proc0.p_lock);
		t0 = cpu_counter();
		lwp_start(l);
		mutex_exit(proc0.p_lock);
		KT_EQ(kthread_join(l), 0);
		KT_ASSERT(b_woke_at > t0);
		lat[i] = b_woke_at - t0;
	}
	for (int i = 1; i < 50; i++)		/* insertion sort */
		for (int j = i; j > 0 && lat[j] < lat[j - 1]; j--) {
			uint64_t t = lat[j];
			lat[j] = lat[j - 1];
			lat[j - 1] = t;
		}
	printf("bench: cross-CPU wakeup (idle CPU): median %lu TSC, min %lu, "
	    "max %lu\n", lat[25], lat[0], lat[49]);
}
