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
    "^cpu1: reporting, from its clock interrupt:",
    "in t_hang_spin\\+0x",
    "^cpu0: NMI at 0x[0-9a-f]+ <",
    "^hang: cpu1 switched again after [0-9]+ s",
    "^hang: cpu1: no clock interrupt for [0-9]+ s \\(interrupts off for "
    "good, or its timer stopped\\)",
    "^hang: report 2: ",
    "^cpu0: reporting, from its clock interrupt:",
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
