/*
 * t_heartbeat.c: the hang detector (kern_heartbeat.c), on hangs made
 * on purpose.  Manual: run with hang_secs=2 (tools/scenarios, hang-
 * detect), which checks the lines the report must have.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/heartbeat.h>
#include <sys/intr.h>
#include <sys/kthread.h>
#include <sys/ktest.h>
#include <sys/lock.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/time.h>

static volatile int t_hang_release, t_hang_spinning;

/* Spins with preemption off until released: what runs on the CPU. */
static void __noinline
t_hang_spin(void *arg)
{
	kpreempt_disable();
	t_hang_spinning = 1;
	while (!t_hang_release)
		SPINLOCK_BACKOFF_HOOK;
	kpreempt_enable();
}

/* Queued behind it, on the same CPU: the LWP that can never run. */
static void
t_hang_waiter(void *arg)
{
}

/* Spins with interrupts off until released: no clock interrupt. */
static void __noinline
t_hang_irqs_off(void *arg)
{
	int s = splhigh();

	t_hang_spinning = 1;
	while (!t_hang_release)
		SPINLOCK_BACKOFF_HOOK;
	splx(s);
}

/* Until the detector has made one more report than `n'. */
static void
t_hang_await_report(u_int n)
{
	while (__atomic_load_n(&hb_nreports, __ATOMIC_ACQUIRE) == n)
		kpause("t_hang", false, hz / 10, NULL);
}

static void
t_hang_await_spinning(void)
{
	while (!t_hang_spinning)
		kpause("t_hang", false, 1, NULL);
}

/*
 * Two hangs, each released once the detector has reported it (so the
 * test passes: the system carries on): on the last CPU, (1) an LWP that
 * spins with preemption disabled while another LWP waits in that CPU's
 * run queue, which the CPU itself reports from its clock interrupt;
 * (2) an LWP that spins with interrupts off, which the CPU before it
 * reports.  Each report names the CPU, shows the LWP table and every
 * CPU's backtrace -- the spinner's included, through an NMI for (2) --
 * and the end of each hang is reported too.
 */
KTEST_MANUAL(selftest_hang,
    "^hang: cpu1: 1 LWP queued \\(best priority [0-9]+, running [0-9]+: "
    "LWP [0-9]+ of pid 0, t_hang_spin\\) and no context switch for [0-9]+ s",
    "^hang: report 1: the LWPs, then every CPU's backtrace",
    "^lwps: +0 +[0-9]+ RUN +1 .* t_hang_waiter$",
    "^lwps: +0 +[0-9]+ ONPROC +1 .* t_hang_spin \\(on CPU\\)$",
    "^cpu1: reporting:",
    "in t_hang_spin\\+0x",
    "^cpu0: NMI at 0x[0-9a-f]+ <",
    "^hang: cpu1 switched again after [0-9]+ s",
    "^hang: cpu1: no clock interrupt for [0-9]+ s \\(interrupts off for "
    "good, or its timer stopped\\)",
    "^hang: report 2: ",
    "^cpu0: reporting:",
    "^cpu1: NMI at 0x[0-9a-f]+ <t_hang_irqs_off\\+0x",
    "^hang: cpu1 takes clock interrupts again, after [0-9]+ s")
{
	struct cpu_info *ci;
	lwp_t *spin, *waiter;
	u_int n;

	if (ncpu != 2)
		KT_SKIP("needs exactly 2 CPUs (the lines name them)");
	ci = cpu_lookup(1);

	/* (1) Work queued, no switch. */
	t_hang_release = t_hang_spinning = 0;
	n = hb_nreports;
	KT_EQ(kthread_create(PRI_KTHREAD, KTHREAD_MUSTJOIN, ci, t_hang_spin,
	    NULL, &spin, "t_hang_spin"), 0);
	t_hang_await_spinning();
	KT_EQ(kthread_create(PRI_KTHREAD, KTHREAD_MUSTJOIN, ci,
	    t_hang_waiter, NULL, &waiter, "t_hang_waiter"), 0);
	t_hang_await_report(n);
	t_hang_release = 1;
	KT_EQ(kthread_join(spin), 0);
	KT_EQ(kthread_join(waiter), 0);

	/* (2) No clock interrupt. */
	t_hang_release = t_hang_spinning = 0;
	n = hb_nreports;
	KT_EQ(kthread_create(PRI_KTHREAD, KTHREAD_MUSTJOIN, ci,
	    t_hang_irqs_off, NULL, &spin, "t_hang_irqsoff"), 0);
	t_hang_await_spinning();
	t_hang_await_report(n);
	t_hang_release = 1;
	KT_EQ(kthread_join(spin), 0);
	/* The detector says so at its next look. */
	kpause("t_hang", false, hz / 2, NULL);
}

/*
 * The exit check (kern_heartbeat.c) follows exiting processes by their
 * LWP counts, on a made-up process list and made-up times: one whose
 * counts do not move for the limit is reported, once; one whose counts
 * move starts over; one not exiting (no PK_WEXIT), or with no other
 * live LWP (its exit is past the LWPs), is not followed; a process gone
 * from the list is forgotten.
 */
KTEST(heartbeat_exit_check_reports_a_stalled_exit)
{
	static struct proc a, b, c;
	struct proclist list = LIST_HEAD_INITIALIZER(list);
	struct hb_exit e[HB_NEXITS];
	const uint64_t s = 1000000000ULL, lim = 10 * s;

	memset(e, 0, sizeof(e));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	a.p_pid = 100, a.p_flag = PK_WEXIT, a.p_nlwps = 5, a.p_nzlwps = 2;
	b.p_pid = 101, b.p_flag = PK_WEXIT, b.p_nlwps = 3, b.p_nzlwps = 0;
	c.p_pid = 102, c.p_flag = 0, c.p_nlwps = 4, c.p_nzlwps = 0;
	LIST_INSERT_HEAD(&list, &c, p_list);
	LIST_INSERT_HEAD(&list, &b, p_list);
	LIST_INSERT_HEAD(&list, &a, p_list);

	KT_ASSERT(hb_exit_stalled(&list, e, HB_NEXITS, 1 * s, lim) == NULL);
	b.p_nzlwps = 1;			/* b goes on at 5 s */
	KT_ASSERT(hb_exit_stalled(&list, e, HB_NEXITS, 5 * s, lim) == NULL);
	KT_ASSERT(hb_exit_stalled(&list, e, HB_NEXITS, 10 * s, lim) == NULL);
	KT_EQ(hb_exit_stalled(&list, e, HB_NEXITS, 11 * s, lim)->he_p, &a);
	KT_ASSERT(hb_exit_stalled(&list, e, HB_NEXITS, 12 * s, lim) == NULL);
	KT_EQ(hb_exit_stalled(&list, e, HB_NEXITS, 15 * s, lim)->he_pid, 101);
	for (u_int i = 0; i < HB_NEXITS; i++)
		KT_ASSERT(e[i].he_p != &c);

	LIST_REMOVE(&a, p_list);	/* a is gone */
	b.p_nzlwps = 2;			/* b: only the exiting LWP is left */
	KT_ASSERT(hb_exit_stalled(&list, e, HB_NEXITS, 30 * s, lim) == NULL);
	for (u_int i = 0; i < HB_NEXITS; i++)
		KT_ASSERT(e[i].he_p == NULL);
}

/*
 * A report asked for (kern.hangreport, by a test harness that found a
 * process stuck): the same report as a hang's, naming who asked, with
 * every CPU's backtrace, printed by CPU 0's next clock interrupt; the
 * system carries on.  (The other CPUs' lines come when their NMI does,
 * maybe after power-off here: hang-detect checks those.)
 */
KTEST_MANUAL(selftest_hang_report_asked,
    "^hang: report asked for by pid 0 \\(ktest\\)",
    "^hang: report 1: the LWPs, then every CPU's backtrace",
    "^cpu0: reporting:",
    "in hardclock\\+0x",
    "--- clock interrupt")
{
	u_int n0 = hb_nreports;

	KT_ASSERT(heartbeat_report_now(0, "ktest"));
	while (hb_nreports == n0)	/* CPU 0's next tick prints it */
		(void)kpause("t_hbrep", false, 1, NULL);
	KT_EQ(hb_nreports, n0 + 1);
}
