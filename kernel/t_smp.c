/*
 * t_smp.c: ktests for the multiprocessor basics: cross-calls, spin
 * mutexes under contention, clock ticks and uptime on every CPU, and
 * reschedule IPIs.  They pass on one CPU too (trivially for some), and
 * tools/test runs them at SMP=1, 2, 4 and 8.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/ktest.h>
#include <sys/kthread.h>
#include <sys/lock.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/time.h>
#include <sys/xcall.h>

static volatile u_int t_ran[MAXCPUS];
static volatile u_int t_nran;

static void
t_xc_count(void *a1, void *a2)
{
	t_ran[cpu_index(curcpu())]++;
	__atomic_add_fetch(&t_nran, 1, __ATOMIC_RELAXED);
}

/* The slow version: takes a while, so xc_wait has something to wait
 * for; it checks its arguments arrive. */
static void
t_xc_slow(void *a1, void *a2)
{
	KASSERT(a1 == (void *)0x1234 && a2 == (void *)&t_nran);
	delay(2000);
	t_xc_count(a1, a2);
}

static volatile u_int t_lowpri_ok;

/* A low-priority call runs in its CPU's xcall thread at IPL_NONE, where
 * it may sleep (here: yield). */
static void
t_xc_lowpri(void *a1, void *a2)
{
	lwp_t *l = curlwp;

	if (curcpu()->ci_ilevel == IPL_NONE && l != NULL &&
	    l->l_name != NULL && strncmp(l->l_name, "xcall/", 6) == 0 &&
	    l->l_cpu == curcpu()) {
		yield();
		__atomic_add_fetch(&t_lowpri_ok, 1, __ATOMIC_RELAXED);
	}
}

KTEST(xc_lowpri_runs_in_threads)
{
	t_lowpri_ok = 0;
	xc_wait(xc_broadcast(0, t_xc_lowpri, NULL, NULL));
	KT_EQ(t_lowpri_ok, ncpu);
	xc_wait(xc_unicast(0, t_xc_lowpri, NULL, NULL, cpu_lookup(ncpu - 1)));
	KT_EQ(t_lowpri_ok, ncpu + 1);
}

/* xc_broadcast: every CPU runs the function exactly once, and xc_wait
 * returns only when all have. */
KTEST(xc_broadcast_runs_everywhere_once)
{
	for (int round = 0; round < 3; round++) {
		memset((void *)t_ran, 0, sizeof(t_ran));
		t_nran = 0;
		xc_wait(xc_broadcast(round == 2 ? 0 : XC_HIGHPRI,
		    round == 0 ? t_xc_count : t_xc_slow,
		    (void *)0x1234, (void *)&t_nran));
		KT_EQ(t_nran, ncpu);
		for (u_int i = 0; i < ncpu; i++)
			KT_EQ(t_ran[i], 1);
		for (u_int i = ncpu; i < MAXCPUS; i++)
			KT_EQ(t_ran[i], 0);
	}
}

/* xc_unicast: the chosen CPU runs it, no other does. */
KTEST(xc_unicast_runs_on_target)
{
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;

	CPU_INFO_FOREACH(cii, ci) {
		memset((void *)t_ran, 0, sizeof(t_ran));
		t_nran = 0;
		xc_wait(xc_unicast(XC_HIGHPRI, t_xc_slow, (void *)0x1234,
		    (void *)&t_nran, ci));
		KT_EQ(t_nran, 1);
		KT_EQ(t_ran[cpu_index(ci)], 1);
	}
}

/* Many cross-calls back to back, without waiting between them. */
KTEST(xc_back_to_back)
{
	uint64_t where = 0;

	t_nran = 0;
	for (int i = 0; i < 200; i++)
		where = xc_broadcast(XC_HIGHPRI, t_xc_count, NULL, NULL);
	xc_wait(where);
	KT_EQ(t_nran, 200 * ncpu);
}

static volatile int t_gate;

/* The CPU named by a1 holds the call open (interrupts off, in the IPI
 * handler) until t_gate is set. */
static void
t_xc_gated(void *a1, void *a2)
{
	if (cpu_index(curcpu()) == (u_int)(uintptr_t)a1)
		while (!t_gate)
			SPINLOCK_BACKOFF_HOOK;
	t_xc_count(a1, a2);
}

/* A CPU that has run the call in flight ignores another cross-call IPI
 * while that call is still open elsewhere (xc_ran): a late or duplicate
 * IPI never runs a call twice, nor counts it done early. */
KTEST(xc_duplicate_ipi_runs_once)
{
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;
	uint64_t where;
	u_int gated;

	if (ncpu < 2)
		KT_SKIP("needs 2 CPUs");
	kpreempt_disable();		/* the gated CPU is not this one */
	gated = (cpu_index(curcpu()) + 1) % ncpu;
	memset((void *)t_ran, 0, sizeof(t_ran));
	t_nran = 0;
	t_gate = 0;
	where = xc_broadcast(XC_HIGHPRI, t_xc_gated, (void *)(uintptr_t)gated,
	    NULL);
	while (t_nran < ncpu - 1)
		SPINLOCK_BACKOFF_HOOK;
	CPU_INFO_FOREACH(cii, ci)	/* this CPU too */
		if (cii != gated)
			cpu_send_ipi(ci, IPI_XCALL);
	delay(20000);			/* long enough to take them */
	KT_EQ(t_nran, ncpu - 1);
	t_gate = 1;
	xc_wait(where);
	kpreempt_enable();
	KT_EQ(t_nran, ncpu);
	for (u_int i = 0; i < ncpu; i++)
		KT_EQ(t_ran[i], 1);
}

static kmutex_t t_mtx = MUTEX_INITIALIZER("t_contended", IPL_VM);
static volatile uint64_t t_counter;
static u_int t_increments;		/* each CPU's */

static void
t_xc_increment(void *a1, void *a2)
{
	for (u_int i = 0; i < t_increments; i++) {
		mutex_spin_enter(&t_mtx);
		t_counter++;			/* not atomic: the lock is */
		mutex_spin_exit(&t_mtx);
	}
}

/* Every CPU at once, interrupts off, increments one counter under one
 * spin mutex (20 000 times each up to 4 CPUs; 80 000 shared beyond). */
KTEST(mutex_spin_contention_exact)
{
	t_counter = 0;
	t_increments = ktest_rounds(80000, ncpu, 500, 20000);
	xc_wait(xc_broadcast(XC_HIGHPRI, t_xc_increment, NULL, NULL));
	KT_EQ(t_counter, (uint64_t)t_increments * ncpu);
	KT_ASSERT(!mutex_owned(&t_mtx));
	KT_EQ(curcpu()->ci_mtx_count, 0);
}

/*
 * The clock interrupt arrives on every CPU: each sees at least 3 ticks
 * (waiting up to 2 s: a busy host may hold a virtual CPU back), and
 * the tick count does not run ahead of hz.
 */
KTEST(clock_ticks_on_every_cpu)
{
	static uint64_t before[MAXCPUS];
	uint64_t t0 = hardclock_ticks, start = nsuptime();
	uint64_t elapsed, ticks;
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;
	bool all;

	CPU_INFO_FOREACH(cii, ci)
		before[cii] = ci->ci_ticks;
	do {
		delay(10000);
		all = true;
		CPU_INFO_FOREACH(cii, ci)
			all &= ci->ci_ticks - before[cii] >= 3;
	} while (!all && nsuptime() - start < 2000000000UL);
	CPU_INFO_FOREACH(cii, ci)
		KT_ASSERT(ci->ci_ticks - before[cii] >= 3);
	elapsed = nsuptime() - start;
	ticks = hardclock_ticks - t0;
	KT_ASSERT(ticks >= 3);
	KT_ASSERT(ticks <= elapsed / (1000000000UL / hz) + 3);
}

static volatile uint64_t t_stamp[MAXCPUS];

static void
t_xc_stamp(void *a1, void *a2)
{
	t_stamp[cpu_index(curcpu())] = nsuptime();
}

/* Uptime never goes back: on one CPU, and from CPU to CPU when the
 * readings are ordered by cross-calls. */
KTEST(uptime_monotonic_across_cpus)
{
	struct cpu_info *ci;
	CPU_INFO_ITERATOR cii;
	uint64_t prev, now;
	struct timespec ts, coarse;

	prev = nsuptime();
	for (int i = 0; i < 10000; i++) {
		now = nsuptime();
		KT_ASSERT(now >= prev);
		prev = now;
	}
	for (int round = 0; round < 5; round++)
		CPU_INFO_FOREACH(cii, ci) {
			xc_wait(xc_unicast(XC_HIGHPRI, t_xc_stamp, NULL, NULL,
			    ci));
			KT_ASSERT(t_stamp[cii] >= prev);
			prev = t_stamp[cii];
		}
	now = nsuptime();
	KT_ASSERT(now >= prev);

	/* getnanouptime: the last tick's time on CPU 0, a little behind
	 * (a tick or two; more when the host holds CPU 0's virtual CPU
	 * back, so allow half a second: a stale clock is seconds off). */
	getnanouptime(&coarse);
	nanouptime(&ts);
	uint64_t c = coarse.tv_sec * 1000000000UL + coarse.tv_nsec;
	uint64_t p = ts.tv_sec * 1000000000UL + ts.tv_nsec;
	KT_ASSERT(c <= p);
	KT_ASSERT(p - c <= 500000000UL);
}

/*
 * cpu_need_resched on another CPU interrupts it, and that CPU acts on
 * the request: its mi_switch consumes ci_want_resched.
 */
KTEST(cpu_need_resched_ipi)
{
	struct cpu_info *ci;
	uint64_t nipi;
	int i;

	if (ncpu < 2)
		KT_SKIP("needs 2 CPUs (nothing remote to poke)");
	ci = cpu_lookup(ncpu - 1);
	nipi = ci->ci_nipi;
	cpu_need_resched(ci, RESCHED_KPREEMPT);
	for (i = 0; i < 1000 && (ci->ci_nipi == nipi ||
	    ci->ci_want_resched != 0); i++)
		delay(100);
	KT_ASSERT(ci->ci_nipi > nipi);
	KT_EQ(ci->ci_want_resched, 0);
}

/* ---- manual: must crash, and say so usefully ---------------------- */

static kmutex_t t_stuck = MUTEX_INITIALIZER("t_stuck", IPL_VM);
static volatile int t_stuck_held;

static void __noinline
t_hold_forever(void *a1, void *a2)
{
	mutex_spin_enter(&t_stuck);
	t_stuck_held = 1;
	for (;;)
		SPINLOCK_BACKOFF_HOOK;
}

/* Make the last CPU take t_stuck and never let go. */
static void
t_stuck_on_last_cpu(void)
{
	(void)xc_unicast(XC_HIGHPRI, t_hold_forever, NULL, NULL,
	    cpu_lookup(ncpu - 1));
	while (!t_stuck_held)
		SPINLOCK_BACKOFF_HOOK;
}

/* The last CPU takes a spin mutex and never lets go; this CPU then
 * wants it.  Run with spinout_ms=300. */
KTEST_MANUAL(selftest_spinout,
    "^panic: spin mutex 0x[0-9a-f]+ \\(t_stuck\\) spun out: cpu0 waited 300 "
    "ms; it is held by cpu3",
    "in mutex_spin_wait\\+0x",
    "^cpu3: stopped for the panic at 0x[0-9a-f]+ <t_hold_forever\\+",
    "--- cross-call IPI \\(vector 0xf1\\) ---",
    "^panic: stopping the machine")
{
	KT_ASSERT(ncpu >= 2);
	t_stuck_on_last_cpu();
	mutex_spin_enter(&t_stuck);
}

/*
 * Starvation, told apart from a held lock: cpu1 holds t_starve, and
 * each time the waiter (this CPU) is about to look at the lock again,
 * lets go and takes it back.  mutex_spin_hook holds the waiter between
 * two looks until the holder has taken its next turn, so the waiter
 * never finds it free, and the lock changes hands throughout the wait:
 * past the spin-out limit the waiter must say "starved" and wait on
 * (mutex_starved), not panic as for a held lock.  Once it has said so,
 * the hook stops the holder, and the waiter gets the lock.
 * spinout_ms=300.  A hand-off takes both CPUs' turns (under TCG on a
 * loaded host, ms), so the hook hands off once every 1024 spins, as
 * often as the spin-out clock looks: otherwise the looks come seconds
 * apart and count as time not run, and on a loaded host the run took
 * over a minute.
 */
static kmutex_t t_starve = MUTEX_INITIALIZER("t_starve", IPL_VM);
static volatile u_int t_starve_turn, t_starve_seen, t_starve_stop;
static uint64_t t_starve_n0;

static void __noinline
t_starve_holder(void *a1, void *a2)
{
	mutex_spin_enter(&t_starve);
	t_stuck_held = 1;
	for (;;) {
		while (t_starve_seen != t_starve_turn && !t_starve_stop)
			SPINLOCK_BACKOFF_HOOK;
		mutex_spin_exit(&t_starve);
		if (t_starve_stop)
			return;
		mutex_spin_enter(&t_starve);
		t_starve_turn++;
	}
}

static void
t_starve_hook(kmutex_t *mtx)
{
	static u_int calls;

	if (mtx != &t_starve || curcpu() != cpu_lookup(0) ||
	    (++calls & 1023) != 0)
		return;
	if (mutex_nstarved != t_starve_n0) {
		t_starve_stop = 1;	/* reported: let it have the lock */
		return;
	}
	t_starve_seen = t_starve_turn;
	while (t_starve_turn == t_starve_seen)
		SPINLOCK_BACKOFF_HOOK;
}

KTEST_MANUAL(selftest_spinout_starved,
    "^spin mutex 0x[0-9a-f]+ \\(t_starve\\): cpu0 starved for 300 ms: it "
    "changed hands meanwhile \\([0-9]+ starved waits so far\\); waiting on",
    "^ktest: selftest_spinout_starved: ok")
{
	uint64_t ticket;

	KT_ASSERT(ncpu >= 2);
	KT_EQ(curcpu(), cpu_lookup(0));
	t_starve_seen = (u_int)-1;	/* the holder's first turn waits too */
	t_starve_turn = t_starve_stop = 0;
	t_starve_n0 = mutex_nstarved;
	ticket = xc_unicast(XC_HIGHPRI, t_starve_holder, NULL, NULL,
	    cpu_lookup(1));
	while (!t_stuck_held)
		SPINLOCK_BACKOFF_HOOK;
	mutex_spin_hook = t_starve_hook;
	mutex_spin_enter(&t_starve);	/* starved, said so, then got it */
	mutex_spin_hook = NULL;
	KT_EQ(mutex_nstarved, t_starve_n0 + 1);
	KT_ASSERT(t_starve_turn > 0);	/* it did change hands */
	mutex_spin_exit(&t_starve);
	xc_wait(ticket);
}

/*
 * The spin-out clock counts the time its CPU ran, not the time it was
 * not run (sys/mutex.h): a gap between two looks longer than
 * SPINOUT_STALL_MS counts as SPINOUT_STALL_MS, the rest goes to
 * so_stalled.  delay() stands in for a host that did not run this CPU.
 * Only lower bounds on delay() are used: it waits at least that long.
 */
KTEST(spinout_clock_skips_stalls)
{
	uint64_t limit = lockdebug_spinout_cycles;
	struct spinout so;
	int looks;

	if (!LOCKDEBUG || limit == 0)
		KT_SKIP("LOCKDEBUG=0: no spin-out clock");
	spinout_start(&so);
	delay(4 * SPINOUT_STALL_MS * 1000);
	KT_ASSERT(!spinout_tick(&so));
	KT_EQ(so.so_waited, spinout_stall_cycles);
	KT_ASSERT(so.so_stalled >= 3 * spinout_stall_cycles);

	/* Waiting that is not a stall counts in full, and runs out. */
	lockdebug_spinout_cycles = 4 * spinout_stall_cycles;
	spinout_start(&so);
	for (looks = 1; looks <= 9; looks++) {
		delay(SPINOUT_STALL_MS * 1000 / 2);
		if (spinout_tick(&so))
			break;
	}
	lockdebug_spinout_cycles = limit;
	KT_ASSERT(looks >= 5 && looks <= 9);
	KT_ASSERT(so.so_waited > 4 * spinout_stall_cycles);
}

/* ---- the other side of the spin-out clock: is that CPU run? ---------- */

static kmutex_t t_unrun = MUTEX_INITIALIZER("t_unrun", IPL_VM);
static volatile int t_unrun_done;

static void
t_unrun_waiter(void *arg)
{
	mutex_spin_enter(&t_unrun);
	mutex_spin_exit(&t_unrun);
	t_unrun_done = 1;
}

/*
 * A spin mutex held by a CPU that is not run (a made-up one: it answers
 * no ping) does not spin out: each time the clock (100 ms here) looks,
 * the waiting since starts over (spinout_nunrun counts it).  When the
 * holder lets go, the waiter gets the mutex.  Without the ping the
 * waiter would panic "spun out" after 100 ms.
 */
KTEST(spinout_waits_for_an_unrun_holder)
{
	static struct cpu_info holder;
	uint64_t limit = lockdebug_spinout_cycles, n0 = spinout_nunrun;
	lwp_t *l;

	if (!LOCKDEBUG || limit == 0)
		KT_SKIP("LOCKDEBUG=0: no spin-out clock");
	if (ncpu < 2)
		KT_SKIP("needs 2 CPUs");
	memset(&holder, 0, sizeof(holder));
	holder.ci_self = &holder;
	holder.ci_flags = CPUF_PRESENT | CPUF_RUNNING | CPUF_MADEUP;
	/* "Held" by the made-up CPU. */
	t_unrun.mtx_owner = &holder;
	__atomic_store_n(&t_unrun.mtx_lock, 1, __ATOMIC_RELEASE);
	t_unrun_done = 0;
	lockdebug_spinout_cycles = 2 * spinout_stall_cycles;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, cpu_lookup(ncpu - 1),
	    t_unrun_waiter, NULL, &l, "t_unrun"), 0);
	while (spinout_nunrun - n0 < 3)
		(void)kpause("t_unrun", false, 1, NULL);
	KT_EQ(t_unrun_done, 0);
	/* The holder lets go. */
	t_unrun.mtx_owner = NULL;
	__atomic_store_n(&t_unrun.mtx_lock, 0, __ATOMIC_RELEASE);
	KT_EQ(kthread_join(l), 0);
	lockdebug_spinout_cycles = limit;
	KT_EQ(t_unrun_done, 1);
}

/*
 * The spin-out clock counts only the waiting between two answers of the
 * CPU it waits for (sys/mutex.h): a look at which that CPU does not
 * answer (here a made-up CPU, which never does) throws away the waiting
 * since its last answer, however long the wait has been; a look at
 * which it answers (here this CPU, which spinout_ping takes as
 * answering) keeps it.  delay(10 ms) stands in for spinning: each
 * counts at least 10 ms and at most SPINOUT_STALL_MS (50 ms).  Looks
 * every 50 ms, limit 150 ms.  Without the throwing away, phase A spins
 * out; with it all thrown away at a miss, phase C finds 0 kept.
 */
KTEST(spinout_counts_only_while_the_other_cpu_answers)
{
	static struct cpu_info unrun;
	uint64_t limit = lockdebug_spinout_cycles, look = spinout_look_cycles;
	uint64_t n0 = spinout_nunrun;
	uint64_t kept, limit_c;
	struct spinout so, a;
	int delays, misses = 0;
	bool expired = false, c_answered, c_expired, c_missed;

	if (!LOCKDEBUG || limit == 0)
		KT_SKIP("LOCKDEBUG=0: no spin-out clock");
	memset(&unrun, 0, sizeof(unrun));
	unrun.ci_self = &unrun;
	unrun.ci_flags = CPUF_PRESENT | CPUF_RUNNING | CPUF_MADEUP;
	spinout_look_cycles = spinout_stall_cycles;
	lockdebug_spinout_cycles = 3 * spinout_stall_cycles;

	/* A: 200 ms or more of waiting for a CPU that never answers. */
	spinout_start(&so);
	for (delays = 0; delays < 20; delays++) {
		delay(10 * 1000);
		if (spinout_tick(&so) && !spinout_ping(&so, &unrun))
			misses++;
	}
	a = so;

	/* B: it answers from now on; 150 ms of waiting later, spin out. */
	for (delays = 1; delays <= 16 && !expired; delays++) {
		delay(10 * 1000);
		expired = spinout_tick(&so) && spinout_ping(&so, curcpu()) &&
		    spinout_expired(&so);
	}

	/* C: what was counted before its last answer stays counted. */
	spinout_start(&so);
	while (!spinout_tick(&so))
		delay(10 * 1000);
	c_answered = spinout_ping(&so, curcpu());
	c_expired = spinout_expired(&so);
	kept = so.so_answered;
	while (!spinout_tick(&so))
		delay(10 * 1000);
	c_missed = !spinout_ping(&so, &unrun);
	limit_c = lockdebug_spinout_cycles;
	spinout_look_cycles = look;
	lockdebug_spinout_cycles = limit;

	KT_ASSERT(misses >= 1);
	KT_EQ(a.so_unrun, misses);
	KT_EQ(a.so_answered, 0);
	KT_ASSERT(a.so_waited < limit_c);
	KT_ASSERT(expired);
	KT_ASSERT(delays > 150 / SPINOUT_STALL_MS);
	KT_ASSERT(c_answered && !c_expired && c_missed);
	KT_ASSERT(kept >= spinout_stall_cycles);
	KT_EQ(so.so_waited, kept);
	KT_ASSERT(spinout_nunrun - n0 >= (uint64_t)misses + 1);
}

static volatile int t_irqs_off;

static void __noinline
t_irqs_off_forever(void *arg)
{
	(void)splhigh();
	t_irqs_off = 1;
	for (;;)
		SPINLOCK_BACKOFF_HOOK;
}

/* The last CPU runs a thread that disables interrupts for ever; a
 * high-priority broadcast then waits for that CPU.  Run with
 * spinout_ms=300: xc_wait must panic naming the CPU and the call. */
KTEST_MANUAL(selftest_xc_unanswered,
    "^panic: xc_wait: cross-call [0-9]+ \\(t_xc_count\\+0\\) not run after "
    "300 ms by cpu3 \\(interrupts disabled there\\?\\)",
    "in xc_wait\\+0x",
    "^cpu3: stopped for the panic at 0x[0-9a-f]+ "
    "<t_irqs_off_forever\\+0x[0-9a-f]+>, running LWP [0-9]+ \\(t_irqsoff\\)")
{
	KT_ASSERT(ncpu >= 2);
	KT_EQ(kthread_create(PRI_KTHREAD, 0, cpu_lookup(ncpu - 1),
	    t_irqs_off_forever, NULL, NULL, "t_irqsoff"), 0);
	while (!t_irqs_off)
		SPINLOCK_BACKOFF_HOOK;
	xc_wait(xc_broadcast(XC_HIGHPRI, t_xc_count, NULL, NULL));
	KT_ASSERT(!"not reached: xc_wait should have panicked");
}

/* Taking a spin mutex this CPU already holds would spin for ever:
 * LOCKDEBUG panics at once instead. */
KTEST_MANUAL(selftest_spin_recurse,
    "^panic: mutex_spin_enter: locking against myself: 0x[0-9a-f]+ "
    "\\(t_recurse\\)",
    "in ktest_fn_selftest_spin_recurse\\+0x")
{
	static kmutex_t m = MUTEX_INITIALIZER("t_recurse", IPL_VM);

	mutex_spin_enter(&m);
	mutex_spin_enter(&m);
}

/* Releasing a spin mutex that another CPU holds: LOCKDEBUG panics,
 * naming both CPUs. */
KTEST_MANUAL(selftest_spin_release_not_owner,
    "^panic: mutex_spin_exit: 0x[0-9a-f]+ \\(t_stuck\\) released by cpu0 but "
    "held by cpu1",
    "^cpu1: stopped for the panic at 0x[0-9a-f]+ <t_hold_forever\\+")
{
	KT_ASSERT(ncpu >= 2);
	t_stuck_on_last_cpu();
	mutex_spin_exit(&t_stuck);
}

static void __noinline
t_panic_here(void *a1, void *a2)
{
	panic("selftest: panic on cpu%u", cpu_index(curcpu()));
}

/* Another CPU panics: it must stop this one (and every other). */
KTEST_MANUAL(selftest_panic_other_cpu,
    "^panic: selftest: panic on cpu1",
    "in t_panic_here\\+0x",
    "^cpu0: stopped for the panic at 0x[0-9a-f]+ <",
    "in ktest_fn_selftest_panic_other_cpu\\+0x",
    "^cpu2: stopped for the panic",
    "^cpu3: stopped for the panic")
{
	KT_ASSERT(ncpu >= 2);
	xc_wait(xc_unicast(XC_HIGHPRI, t_panic_here, NULL, NULL,
	    cpu_lookup(1)));
	KT_ASSERT(!"not reached: cpu1 should have stopped the machine");
}

/* ---- this CPU's state, read where the reader may be moved ------------- */

#define T_SS_MOVES	40

static kmutex_t t_ss_mtx[MAXCPUS];
static lwp_t * volatile t_ss_r;
static volatile int t_ss_stop;
static volatile u_int t_ss_moves, t_ss_looks, t_ss_bad;
static volatile int t_ss_bad_n, t_ss_bad_ipl;

/*
 * Bound to its CPU, every tick: if the reader is on this CPU, take a
 * spin mutex and hold it, busy, until the reader has been moved (an idle
 * CPU steals it: this thread's wakeup preempted it), for at most 5 ticks.
 */
static void
t_ss_holder(void *arg)
{
	kmutex_t *m = arg;

	while (!t_ss_stop) {
		uint64_t end;
		u_int moves = t_ss_moves;

		(void)kpause("t_ss", false, 1, NULL);
		if (t_ss_r->l_cpu != curcpu())
			continue;
		mutex_spin_enter(m);
		end = nsuptime() + 5 * (1000000000UL / hz);
		while (t_ss_moves == moves && nsuptime() < end && !t_ss_stop)
			SPINLOCK_BACKOFF_HOOK;
		mutex_spin_exit(m);
	}
}

/*
 * Unbound, below the holders' priority, holding nothing at IPL_NONE:
 * every look at its CPU must say so, wherever it was moved meanwhile.
 * It counts the moves it notices.
 */
static void
t_ss_reader(void *arg)
{
	struct cpu_info *last = curcpu();

	while (!t_ss_stop) {
		int n, ipl;

		n = curcpu_spin_state(&ipl);
		t_ss_looks++;
		if ((n != 0 || ipl != IPL_NONE) && t_ss_bad++ == 0) {
			t_ss_bad_n = n;
			t_ss_bad_ipl = ipl;
		}
		if (curcpu() != last) {
			last = curcpu();
			t_ss_moves++;
		}
	}
}

/*
 * curcpu_spin_state() reads the state of the CPU the caller is on, even
 * when the caller is preempted and moved between its loads: a reader
 * holding nothing always sees 0 spin mutexes and IPL_NONE, while the
 * CPU it runs on is taken by a thread that holds a spin mutex until an
 * idle CPU has stolen the reader, T_SS_MOVES times.  A plain
 * `curcpu()->ci_mtx_count` fails here: a reader preempted after reading
 * curcpu() goes on elsewhere and reads the count of the CPU it left,
 * whose holder has its mutex by then.
 */
KTEST(curcpu_spin_state_is_the_callers)
{
	static lwp_t *h[MAXCPUS];
	lwp_t *r;
	u_int cacheht;

	if (ncpu < 2)
		KT_SKIP("needs 2 CPUs");
	t_ss_stop = 0;
	t_ss_moves = t_ss_looks = t_ss_bad = 0;
	cacheht = sched_cacheht_ticks;
	sched_cacheht_ticks = 0;	/* steal the reader at the first look */
	KT_EQ(kthread_create(PRI_KTHREAD, KTHREAD_MUSTJOIN, NULL,
	    t_ss_reader, NULL, &r, "t_ssr"), 0);
	t_ss_r = r;
	for (u_int i = 0; i < ncpu; i++) {
		mutex_init(&t_ss_mtx[i], MUTEX_DEFAULT, IPL_VM, "t_ss");
		KT_EQ(kthread_create(PRI_KTHREAD + 8, KTHREAD_MUSTJOIN,
		    cpu_lookup(i), t_ss_holder, &t_ss_mtx[i], &h[i], "t_ssh%u",
		    i), 0);
	}
	/* No time limit but the ktest watchdog's: moves happen, or the
	 * stealing is broken and the watchdog says where. */
	while (t_ss_moves < T_SS_MOVES && t_ss_bad == 0)
		(void)kpause("t_ssw", false, 1, NULL);
	t_ss_stop = 1;
	/* The holders first: they look at the reader (t_ss_r). */
	for (u_int i = 0; i < ncpu; i++)
		KT_EQ(kthread_join(h[i]), 0);
	KT_EQ(kthread_join(r), 0);
	sched_cacheht_ticks = cacheht;
	printf("ktest: %u looks, %u moves\n", t_ss_looks, t_ss_moves);
	if (t_ss_bad != 0)
		ktest_fail(kt, __FILE__, __LINE__, "%u of %u looks saw %d spin "
		    "mutexes held, IPL %d (another CPU's state)", t_ss_bad,
		    t_ss_looks, t_ss_bad_n, t_ss_bad_ipl);
}
