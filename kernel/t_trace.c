/*
 * t_trace.c: tests of the event trace (kern_trace.c, sys/trace.h).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/sleepq.h>
#include <sys/trace.h>

#define T_NREC	4096

/* A few sleeps: switches away and back, and wakeups by the clock. */
static void
t_trace_sleeper(void *arg)
{
	for (int i = 0; i < 3; i++)
		kpause("t_trace", false, 1, NULL);
}

/* Run t_trace_sleeper bound to each CPU, one after the other; the
 * number of threads that could not be created. */
static int
t_trace_sleep_everywhere(void)
{
	CPU_INFO_ITERATOR cii;
	struct cpu_info *ci;
	lwp_t *l;
	int bad = 0;

	CPU_INFO_FOREACH(cii, ci) {
		if (kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, ci,
		    t_trace_sleeper, NULL, &l, "t_trace%u", cpu_index(ci)) != 0)
			bad++;
		else
			(void)kthread_join(l);
	}
	return bad;
}

/* How many records of type `type` CPU cpu holds for LWP id `id` (0:
 * any LWP). */
static u_int
t_trace_count(u_int cpu, int type, uint64_t id)
{
	struct trace_rec *buf = kmem_alloc(T_NREC * sizeof(*buf), KM_SLEEP);
	size_t n, i;
	u_int count = 0;

	n = trace_read(cpu, buf, T_NREC, NULL);
	for (i = 0; i < n; i++)
		if (buf[i].tr_type == type && buf[i].tr_cpu == cpu &&
		    (id == 0 || buf[i].tr_lwp == id))
			count++;
	kmem_free(buf, T_NREC * sizeof(*buf));
	return count;
}

KTEST(trace_classes_parse_and_print)
{
	char buf[64];
	u_int old = trace_mask;

	KT_EQ(trace_setclasses("sched,lock", false), 0);
	KT_EQ(trace_mask, TRC_SCHED | TRC_LOCK);
	trace_getclasses(buf, sizeof(buf));
	KT_STREQ(buf, "sched,lock");
	KT_EQ(trace_setclasses("runq+park", false), 0);
	KT_EQ(trace_mask, TRC_RUNQ | TRC_PARK);
	KT_EQ(trace_setclasses("sched,nonsense", false), EINVAL);
	KT_EQ(trace_mask, TRC_RUNQ | TRC_PARK);	/* unchanged */
	KT_EQ(trace_setclasses("all", false), 0);
	KT_EQ(trace_mask, TRC_ALL);
	KT_EQ(trace_setclasses("off", false), 0);
	KT_EQ(trace_mask, 0);
	trace_getclasses(buf, sizeof(buf));
	KT_STREQ(buf, "off");
	trace_mask = old;
}

/* On: each CPU records its switches, and the sleeper's wakeups; off:
 * not one record more. */
KTEST(trace_sched_records_switches_on_every_cpu)
{
	CPU_INFO_ITERATOR cii;
	struct cpu_info *ci;
	uint64_t before[MAXCPUS], after;
	u_int old = trace_mask;

	if (!TRACE)
		KT_SKIP("built with TRACE=0: no hooks");
	KT_EQ(trace_setclasses("sched", false), 0);
	KT_EQ(t_trace_sleep_everywhere(), 0);
	trace_mask = 0;
	CPU_INFO_FOREACH(cii, ci) {
		u_int c = cpu_index(ci);

		KT_ASSERT(t_trace_count(c, TR_SWITCH, 0) >= 3);
		KT_ASSERT(t_trace_count(c, TR_WAKEUP, 0) >= 1);
		KT_EQ(t_trace_count(c, TR_SLEEP, 0), 0);   /* class off */
		(void)trace_read(c, NULL, 0, &before[c]);
	}
	KT_EQ(t_trace_sleep_everywhere(), 0);
	CPU_INFO_FOREACH(cii, ci) {
		(void)trace_read(cpu_index(ci), NULL, 0, &after);
		KT_EQ(after, before[cpu_index(ci)]);
	}
	trace_mask = old;
}

/* How many records, on any CPU, of type `type` for LWP id `id` with
 * tr_v[0] == v0 and (if anyc is false) tr_c == c. */
static u_int
t_trace_match(int type, uint64_t id, uint64_t v0, bool anyc, int c)
{
	struct trace_rec *buf = kmem_alloc(T_NREC * sizeof(*buf), KM_SLEEP);
	CPU_INFO_ITERATOR cii;
	struct cpu_info *ci;
	u_int count = 0;
	size_t n, i;

	CPU_INFO_FOREACH(cii, ci) {
		n = trace_read(cpu_index(ci), buf, T_NREC, NULL);
		for (i = 0; i < n; i++)
			count += buf[i].tr_type == type && buf[i].tr_lwp == id &&
			    buf[i].tr_v[0] == v0 && (anyc || buf[i].tr_c == c);
	}
	kmem_free(buf, T_NREC * sizeof(*buf));
	return count;
}

static kmutex_t t_trace_mtx;

static void
t_trace_locker(void *arg)
{
	mutex_enter(&t_trace_mtx);
	mutex_exit(&t_trace_mtx);
}

/*
 * A waiter of higher priority blocks on a mutex we hold: the lock class
 * records its contention (wait, got), its turnstile block naming us as
 * the owner, the priority it lends us and our giving it back at
 * release, and its turnstile wake.
 */
KTEST(trace_lock_records_turnstile_and_lent_priority)
{
	const pri_t hi = PRI_KTHREAD + 20;
	uint64_t me = curlwp->l_lid, it, m = (uintptr_t)&t_trace_mtx;
	u_int old = trace_mask;
	lwp_t *l;
	int t;

	if (!TRACE)
		KT_SKIP("built with TRACE=0: no hooks");
	KT_EQ(curlwp->l_proc->p_pid, 0);
	mutex_init(&t_trace_mtx, MUTEX_DEFAULT, IPL_NONE, "t_trace_mtx");
	KT_EQ(trace_setclasses("lock", false), 0);
	mutex_enter(&t_trace_mtx);
	KT_EQ(kthread_create(hi, KTHREAD_MUSTJOIN, NULL, t_trace_locker, NULL,
	    &l, "t_trace_lk"), 0);
	it = l->l_lid;
	/* Until its loan to us is recorded (or a bound of 500 ticks). */
	for (t = 0; t < 500 && t_trace_match(TR_LENDPRI, me, 0, false, hi) == 0;
	    t++)
		(void)kpause("t_trlend", false, 1, NULL);
	mutex_exit(&t_trace_mtx);
	KT_EQ(kthread_join(l), 0);
	trace_mask = old;
	mutex_destroy(&t_trace_mtx);
	KT_EQ(t_trace_match(TR_LENDPRI, me, 0, false, hi), 1);
	KT_EQ(t_trace_match(TR_LENDPRI, me, 0, false, -1), 1);
	KT_EQ(t_trace_match(TR_TSBLOCK, it, m, false, hi), 1);
	KT_EQ(t_trace_match(TR_TSWAKE, it, m, true, 0), 1);
	KT_ASSERT(t_trace_match(TR_LOCKWAIT, it, m, true, 0) >= 1);
	KT_ASSERT(t_trace_match(TR_LOCKDONE, it, m, true, 0) >= 1);
}

/* The flight recorder: a panic prints every CPU's last events (2
 * CPUs: tools/scenarios, panic-flight-recorder). */
KTEST_MANUAL(selftest_panic_flight_recorder,
    "^panic: selftest: panic with the trace on",
    "^flight recorder: each CPU's last events",
    "^ cpu0: [1-9][0-9]* events, the last [1-9]",
    "^ cpu1: [1-9][0-9]* events, the last [1-9]",
    "^  cpu1 +[0-9]+us switch +[0-9]+\\.[0-9]+ +sleep -> idle/1",
    "^  cpu0 +[0-9]+us wakeup +[0-9]+\\.[0-9]+ +by ",
    "^  cpu1 +[0-9]+us sleep +[0-9]+\\.[0-9]+ +t_trace ")
{
	KT_EQ(trace_setclasses("all", false), 0);
	KT_EQ(t_trace_sleep_everywhere(), 0);
	panic("selftest: panic with the trace on");
}
