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
#include <sys/syscallvar.h>
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

#define T_ALLCPUS	(~0u)

/* Is r a record the caller looks for?  (want: the values it compares.) */
typedef bool t_trace_pred_t(const struct trace_rec *r,
    const struct trace_rec *want);

/* How many records CPU cpu holds (T_ALLCPUS: every CPU) that pred finds
 * like want; the last of them into *last, if last is not NULL. */
static u_int
t_trace_scan(u_int cpu, t_trace_pred_t *pred, const struct trace_rec *want,
    struct trace_rec *last)
{
	struct trace_rec *buf = kmem_alloc(T_NREC * sizeof(*buf), KM_SLEEP);
	CPU_INFO_ITERATOR cii;
	struct cpu_info *ci;
	u_int count = 0;
	size_t n, i;

	CPU_INFO_FOREACH(cii, ci) {
		if (cpu != T_ALLCPUS && cpu_index(ci) != cpu)
			continue;
		n = trace_read(cpu_index(ci), buf, T_NREC, NULL);
		for (i = 0; i < n; i++)
			if ((*pred)(&buf[i], want)) {
				if (last != NULL)
					*last = buf[i];
				count++;
			}
	}
	kmem_free(buf, T_NREC * sizeof(*buf));
	return count;
}

/* Its type, written on the CPU of its ring, for want's LWP (0: any). */
static bool
t_is_type_lwp(const struct trace_rec *r, const struct trace_rec *want)
{
	return r->tr_type == want->tr_type && r->tr_cpu == want->tr_cpu &&
	    (want->tr_lwp == 0 || r->tr_lwp == want->tr_lwp);
}

/* How many records of type `type` CPU cpu holds for LWP id `id` (0:
 * any LWP). */
static u_int
t_trace_count(u_int cpu, int type, uint64_t id)
{
	struct trace_rec want = { .tr_type = type, .tr_cpu = cpu,
	    .tr_lwp = id };

	return t_trace_scan(cpu, t_is_type_lwp, &want, NULL);
}

KTEST(trace_classes_parse_and_print)
{
	char buf[80], old[80];

	trace_getclasses(old, sizeof(old));
	KT_EQ(trace_setclasses("sched,lock", false), 0);
	KT_EQ(trace_mask, TRC_SCHED | TRC_LOCK);
	trace_getclasses(buf, sizeof(buf));
	KT_STREQ(buf, "sched,lock");
	KT_EQ(trace_setclasses("runq+park", false), 0);
	KT_EQ(trace_mask, TRC_RUNQ | TRC_PARK);
	KT_EQ(trace_setclasses("sched,nonsense", false), EINVAL);
	KT_EQ(trace_mask, TRC_RUNQ | TRC_PARK);	/* unchanged */
	KT_EQ(trace_setclasses("all", false), 0);
	KT_EQ(trace_mask, TRC_ALL);	/* not syscall: asked for by name */
	KT_EQ(trace_setclasses("all,syscall", false), 0);
	KT_EQ(trace_mask, TRC_ALL | TRC_SYSCALL);
	trace_getclasses(buf, sizeof(buf));
	KT_STREQ(buf, "sched,runq,sleep,lock,park,lwp,intr,syscall");
	if (TRACE)	/* every call down the dispatcher's slow path */
		KT_EQ(sy_ncall, 0);
	KT_EQ(trace_setclasses("off", false), 0);
	KT_EQ(trace_mask, 0);
	trace_getclasses(buf, sizeof(buf));
	KT_STREQ(buf, "off");
	KT_EQ(sy_ncall, SYS_MAXSYSCALL);
	KT_EQ(trace_setclasses(old, false), 0);
}

/* On: each CPU records its switches, and the sleeper's wakeups; off:
 * not one record more. */
KTEST(trace_sched_records_switches_on_every_cpu)
{
	CPU_INFO_ITERATOR cii;
	struct cpu_info *ci;
	static uint64_t before[MAXCPUS];
	uint64_t after;
	char old[80];

	if (!TRACE)
		KT_SKIP("built with TRACE=0: no hooks");
	trace_getclasses(old, sizeof(old));
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
	KT_EQ(trace_setclasses(old, false), 0);
}

/* Its type, LWP and tr_v[0] (and tr_c, unless want's tr_a says any). */
static bool
t_is_lwp_v0(const struct trace_rec *r, const struct trace_rec *want)
{
	return r->tr_type == want->tr_type && r->tr_lwp == want->tr_lwp &&
	    r->tr_v[0] == want->tr_v[0] && (want->tr_a || r->tr_c == want->tr_c);
}

/* How many records, on any CPU, of type `type` for LWP id `id` with
 * tr_v[0] == v0 and (if anyc is false) tr_c == c. */
static u_int
t_trace_match(int type, uint64_t id, uint64_t v0, bool anyc, int c)
{
	struct trace_rec want = { .tr_type = type, .tr_lwp = id,
	    .tr_v = { v0 }, .tr_a = anyc, .tr_c = c };

	return t_trace_scan(T_ALLCPUS, t_is_lwp_v0, &want, NULL);
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
	char old[80];
	lwp_t *l;
	int t;

	if (!TRACE)
		KT_SKIP("built with TRACE=0: no hooks");
	KT_EQ(curlwp->l_proc->p_pid, 0);
	mutex_init(&t_trace_mtx, MUTEX_DEFAULT, IPL_NONE, "t_trace_mtx");
	trace_getclasses(old, sizeof(old));
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
	KT_EQ(trace_setclasses(old, false), 0);
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

/* Its type, LWP and tr_c. */
static bool
t_is_lwp_c(const struct trace_rec *r, const struct trace_rec *want)
{
	return r->tr_type == want->tr_type && r->tr_lwp == want->tr_lwp &&
	    r->tr_c == want->tr_c;
}

/* The last record, on any CPU, of type `type` for LWP id `id` with
 * tr_c == c, into *out; how many there are. */
static u_int
t_trace_last(int type, uint64_t id, int c, struct trace_rec *out)
{
	struct trace_rec want = { .tr_type = type, .tr_lwp = id, .tr_c = c };

	return t_trace_scan(T_ALLCPUS, t_is_lwp_c, &want, out);
}

/*
 * The syscall class, switched on at run time, records system calls
 * made through the MI dispatcher (sy_invoke, which the arch's trap code
 * calls): _lwp_self as an entry and an exit returning our lid,
 * _lwp_kill with a bad signal as an entry with its first arguments and
 * an exit with EINVAL, a number with no call as ENOSYS.  With the class
 * off (another on, so that the rings exist), the same calls record
 * nothing.
 */
KTEST(trace_syscall_records_entry_and_exit)
{
	register_t args[6] = { 0x12345, -1, 0x3333, 4, 5, 6 }, rval;
	uint64_t me = curlwp->l_lid;
	const int bad = SYS_MAXSYSCALL + 7;
	struct trace_rec tr;
	char old[80];

	if (!TRACE)
		KT_SKIP("built with TRACE=0: no hooks");
	KT_EQ(curlwp->l_proc->p_pid, 0);
	trace_getclasses(old, sizeof(old));

	/* Off (sched on): nothing. */
	KT_EQ(trace_setclasses("sched", false), 0);
	rval = 0;
	KT_EQ(sy_invoke(curlwp, SYS__lwp_self, args, &rval), 0);
	KT_EQ(rval, (register_t)curlwp->l_lid);
	KT_EQ(sy_invoke(curlwp, SYS__lwp_kill, args, &rval), EINVAL);
	KT_EQ(t_trace_last(TR_SYS_ENTER, me, SYS__lwp_self, &tr), 0);
	KT_EQ(t_trace_last(TR_SYS_EXIT, me, SYS__lwp_self, &tr), 0);
	KT_EQ(t_trace_last(TR_SYS_ENTER, me, SYS__lwp_kill, &tr), 0);

	/* On. */
	KT_EQ(trace_setclasses("syscall", false), 0);
	rval = 0;
	KT_EQ(sy_invoke(curlwp, SYS__lwp_self, args, &rval), 0);
	rval = 0;
	KT_EQ(sy_invoke(curlwp, SYS__lwp_kill, args, &rval), EINVAL);
	KT_EQ(sy_invoke(curlwp, bad, args, &rval), ENOSYS);
	KT_EQ(trace_setclasses(old, false), 0);

	KT_EQ(t_trace_last(TR_SYS_ENTER, me, SYS__lwp_self, &tr), 1);
	KT_EQ(tr.tr_b, 0);			/* _lwp_self(void) */
	KT_EQ(t_trace_last(TR_SYS_EXIT, me, SYS__lwp_self, &tr), 1);
	KT_EQ(tr.tr_v[0], curlwp->l_lid);	/* the return value */
	KT_EQ(tr.tr_v[1], 0);			/* no error */

	KT_EQ(t_trace_last(TR_SYS_ENTER, me, SYS__lwp_kill, &tr), 1);
	KT_EQ(tr.tr_b, 2);			/* (target, signo) */
	KT_EQ(tr.tr_v[0], 0x12345);
	KT_EQ(tr.tr_v[1], (uint64_t)-1);
	KT_EQ(tr.tr_v[2], 0x3333);		/* the third register too */
	KT_EQ(t_trace_last(TR_SYS_EXIT, me, SYS__lwp_kill, &tr), 1);
	KT_EQ(tr.tr_v[1], EINVAL);

	KT_EQ(t_trace_last(TR_SYS_ENTER, me, bad, &tr), 1);
	KT_EQ(tr.tr_b, 0);
	KT_EQ(t_trace_last(TR_SYS_EXIT, me, bad, &tr), 1);
	KT_EQ(tr.tr_v[1], ENOSYS);
}

/* Its type and tr_a (and tr_b, unless want's is 0xff). */
static bool
t_is_ab(const struct trace_rec *r, const struct trace_rec *want)
{
	return r->tr_type == want->tr_type && r->tr_a == want->tr_a &&
	    (want->tr_b == 0xff || r->tr_b == want->tr_b);
}

/* How many records of type `type` with tr_a == a CPU cpu holds (and,
 * with b >= 0, tr_b == b). */
static u_int
t_trace_count_ab(u_int cpu, int type, int a, int b)
{
	struct trace_rec want = { .tr_type = type, .tr_a = a,
	    .tr_b = b < 0 ? 0xff : b };

	return t_trace_scan(cpu, t_is_ab, &want, NULL);
}

/*
 * The intr class records an IPI where it is sent (TR_IPISEND: the
 * kind, the target CPU) as well as where it arrives (TR_INTR on the
 * target).  A reschedule IPI with no reschedule asked for does nothing
 * there but be counted.
 */
KTEST(trace_intr_records_ipi_send_and_arrival)
{
	const int kind = TRI_IPI + IPI_RESCHED;
	struct cpu_info *to;
	u_int sent = 0, got, c, t;
	char old[80];

	if (!TRACE)
		KT_SKIP("built with TRACE=0: no hooks");
	if (ncpu < 2)
		KT_SKIP("one CPU: no other to send an IPI to");
	to = cpu_lookup(cpu_index(curcpu()) == 0 ? 1 : 0);
	trace_getclasses(old, sizeof(old));
	KT_EQ(trace_setclasses("intr", false), 0);
	got = t_trace_count_ab(cpu_index(to), TR_INTR, kind, -1);
	cpu_send_ipi(to, IPI_RESCHED);
	/* It arrives when it arrives: wait for it (a bound of 500 ticks). */
	for (t = 0; t < 500 &&
	    t_trace_count_ab(cpu_index(to), TR_INTR, kind, -1) == got; t++)
		(void)kpause("t_tripi", false, 1, NULL);
	KT_EQ(trace_setclasses(old, false), 0);
	for (c = 0; c < ncpu; c++)	/* sent from where we ran */
		sent += t_trace_count_ab(c, TR_IPISEND, kind, cpu_index(to));
	KT_ASSERT(sent >= 1);
	KT_ASSERT(t_trace_count_ab(cpu_index(to), TR_INTR, kind, -1) > got);
}
