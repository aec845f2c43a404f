/*
 * t_bench.c: scheduler benchmarks.  KTEST_BENCH: they run only when
 * named, print figures, and are reported as "benchmark done", never
 * counted as passed tests (their KT_ assertions still fail them if
 * something breaks); tools/bench-sched runs them with and without
 * QEMU's -icount (where the TSC counts instructions, so the figures are
 * exact, repeatable path lengths).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/condvar.h>
#include <sys/cpu_counter.h>
#include <sys/intr.h>
#include <sys/kthread.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
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
KTEST_BENCH(bench_context_switch)
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
KTEST_BENCH(bench_cross_cpu_wakeup)
{
	uint64_t lat[50];
	struct cpu_info *ci = cpu_lookup(ncpu - 1);

	if (ncpu < 2)
		KT_SKIP("needs 2 CPUs");
	for (int i = 0; i < 50; i++) {
		lwp_t *l;
		uint64_t t0;

		KT_EQ(kthread_create(PRI_NONE, KTHREAD_IDLE | KTHREAD_MUSTJOIN,
		    ci, b_record, NULL, &l, "b_wake"), 0);
		delay(2000);		/* let ci settle into its idle halt */
		b_woke_at = 0;
		mutex_enter(proc0.p_lock);
		t0 = cpu_counter();
		lwp_start(l, 0);
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

static kmutex_t b_cv_lock = MUTEX_INITIALIZER("b_cv", IPL_VM);
static kcondvar_t b_cv;
static volatile uint64_t b_signalled_at, b_woken_at;
static volatile int b_cv_flag, b_cv_stop;

static void
b_cv_waiter(void *arg)
{
	mutex_enter(&b_cv_lock);
	while (!b_cv_stop) {
		while (!b_cv_flag && !b_cv_stop)
			cv_wait(&b_cv, &b_cv_lock);
		b_woken_at = cpu_counter();
		b_cv_flag = 0;
	}
	mutex_exit(&b_cv_lock);
}

/* cv_signal -> the waiter running again, on this CPU and on another
 * (idle) one.  Median of 50 each. */
KTEST_BENCH(bench_cv_wakeup)
{
	for (int remote = 0; remote < 2; remote++) {
		struct cpu_info *ci = remote ? cpu_lookup(ncpu - 1) : curcpu();
		uint64_t lat[50];
		lwp_t *w;

		if (remote && ncpu < 2)
			break;
		cv_init(&b_cv, "b_cv");
		b_cv_flag = b_cv_stop = 0;
		KT_EQ(kthread_create(PRI_KTHREAD + 1, KTHREAD_MUSTJOIN, ci,
		    b_cv_waiter, NULL, &w, "b_cvw"), 0);
		for (int i = 0; i < 50; i++) {
			while (!cv_has_waiters(&b_cv))
				yield();
			b_woken_at = 0;
			mutex_enter(&b_cv_lock);
			b_cv_flag = 1;
			b_signalled_at = cpu_counter();
			cv_signal(&b_cv);
			mutex_exit(&b_cv_lock);
			while (b_woken_at == 0)
				yield();
			lat[i] = b_woken_at - b_signalled_at;
		}
		mutex_enter(&b_cv_lock);
		b_cv_stop = 1;
		cv_broadcast(&b_cv);
		mutex_exit(&b_cv_lock);
		KT_EQ(kthread_join(w), 0);
		for (int i = 1; i < 50; i++)
			for (int j = i; j > 0 && lat[j] < lat[j - 1]; j--) {
				uint64_t t = lat[j];
				lat[j] = lat[j - 1];
				lat[j - 1] = t;
			}
		printf("bench: cv_signal -> waiter runs (%s CPU): median %lu "
		    "TSC, min %lu\n", remote ? "other" : "same", lat[25],
		    lat[0]);
	}
}

/* Uncontended mutex_enter + mutex_exit: adaptive and spin. */
KTEST_BENCH(bench_mutex_uncontended)
{
	kmutex_t am, sm;
	uint64_t t0, t1, t2;

	mutex_init(&am, MUTEX_DEFAULT, IPL_NONE, "bench_am");
	mutex_init(&sm, MUTEX_SPIN, IPL_VM, "bench_sm");
	t0 = cpu_counter();
	for (int i = 0; i < 100000; i++) {
		mutex_enter(&am);
		mutex_exit(&am);
	}
	t1 = cpu_counter();
	for (int i = 0; i < 100000; i++) {
		mutex_spin_enter(&sm);
		mutex_spin_exit(&sm);
	}
	t2 = cpu_counter();
	printf("bench: uncontended enter+exit: adaptive %lu TSC, spin %lu TSC\n",
	    (t1 - t0) / 100000, (t2 - t1) / 100000);
	mutex_destroy(&am);
	mutex_destroy(&sm);
}
