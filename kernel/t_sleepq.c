/*
 * t_sleepq.c: ktests for sleep queues and condition variables.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kthread.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/time.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/proc.h>
#include <sys/xcall.h>

#define RING	8
#define ITEMS	3000

static kmutex_t t_pc_lock = MUTEX_INITIALIZER("t_pc", IPL_VM);
static kcondvar_t t_notempty, t_notfull;
static int t_ring[RING];
static u_int t_head, t_tail;
static volatile uint32_t t_got[ITEMS];
static volatile int t_producers_left;

static void
t_producer(void *arg)
{
	int base = (int)(uintptr_t)arg;

	for (int i = base; i < ITEMS; i += 2) {
		mutex_enter(&t_pc_lock);
		while (t_head - t_tail == RING)
			cv_wait(&t_notfull, &t_pc_lock);
		t_ring[t_head++ % RING] = i;
		cv_signal(&t_notempty);
		mutex_exit(&t_pc_lock);
	}
	mutex_enter(&t_pc_lock);
	t_producers_left--;
	cv_broadcast(&t_notempty);
	mutex_exit(&t_pc_lock);
}

static void
t_consumer(void *arg)
{
	for (;;) {
		int item;

		mutex_enter(&t_pc_lock);
		while (t_head == t_tail && t_producers_left > 0)
			cv_wait(&t_notempty, &t_pc_lock);
		if (t_head == t_tail) {
			mutex_exit(&t_pc_lock);
			return;
		}
		item = t_ring[t_tail++ % RING];
		cv_signal(&t_notfull);
		mutex_exit(&t_pc_lock);
		__atomic_add_fetch(&t_got[item], 1, __ATOMIC_RELAXED);
	}
}

/*
 * Producer/consumer through a condvar-protected ring: two producers
 * and two consumers on different CPUs; every item arrives exactly once
 * and nobody sleeps for ever.
 */
KTEST(cv_producer_consumer_exactly_once)
{
	lwp_t *l[4];

	cv_init(&t_notempty, "notempty");
	cv_init(&t_notfull, "notfull");
	t_head = t_tail = 0;
	t_producers_left = 2;
	memset((void *)t_got, 0, sizeof(t_got));
	for (int i = 0; i < 4; i++)
		KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN,
		    cpu_lookup(i % ncpu), i < 2 ? t_producer : t_consumer,
		    (void *)(uintptr_t)(i % 2), &l[i], "t_pc%d", i), 0);
	for (int i = 0; i < 4; i++)
		KT_EQ(kthread_join(l[i]), 0);
	for (int i = 0; i < ITEMS; i++)
		KT_EQ(t_got[i], 1);
	KT_ASSERT(!cv_has_waiters(&t_notempty));
	cv_destroy(&t_notempty);
	cv_destroy(&t_notfull);
}

static kmutex_t t_pp_lock = MUTEX_INITIALIZER("t_pp", IPL_VM);
static kcondvar_t t_pp_cv;
static volatile int t_pp_turn;
static volatile int t_pp_stop;
static volatile uint64_t t_pp_rounds;

/* Two threads take turns: each waits for its turn and hands it over. */
static void
t_pingpong(void *arg)
{
	int me = (int)(uintptr_t)arg;

	mutex_enter(&t_pp_lock);
	while (!t_pp_stop) {
		while (t_pp_turn != me && !t_pp_stop)
			cv_wait(&t_pp_cv, &t_pp_lock);
		t_pp_turn = !me;
		t_pp_rounds++;
		cv_broadcast(&t_pp_cv);
	}
	mutex_exit(&t_pp_lock);
}

/*
 * Lost-wakeup hunt: sleep/wakeup ping-pong between two threads that are
 * moved to random CPUs while they run, for 3 s.  A lost wakeup stops
 * the ball for good: no round for a whole second fails the test.
 */
KTEST(cv_pingpong_no_lost_wakeup)
{
	lwp_t *a, *b;
	uint64_t end, last = 0, last_progress, worst_gap = 0;
	u_int seed = 99;

	cv_init(&t_pp_cv, "pingpong");
	t_pp_turn = 0;
	t_pp_stop = 0;
	t_pp_rounds = 0;
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, t_pingpong,
	    (void *)0, &a, "t_ping"), 0);
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, t_pingpong,
	    (void *)1, &b, "t_pong"), 0);
	last_progress = nsuptime();
	for (end = nsuptime() + 3000000000UL; nsuptime() < end; ) {
		seed = seed * 1103515245 + 12345;
		lwp_lock(a);
		lwp_migrate(a, cpu_lookup((seed >> 16) % ncpu));
		lwp_lock(b);
		lwp_migrate(b, cpu_lookup((seed >> 20) % ncpu));
		delay(5000);
		yield();
		if (t_pp_rounds != last) {
			last = t_pp_rounds;
			last_progress = nsuptime();
		}
		worst_gap = MAX(worst_gap, nsuptime() - last_progress);
	}
	mutex_enter(&t_pp_lock);
	t_pp_stop = 1;
	cv_broadcast(&t_pp_cv);
	mutex_exit(&t_pp_lock);
	KT_EQ(kthread_join(a), 0);
	KT_EQ(kthread_join(b), 0);
	printf("ktest: ping-pong: %lu rounds in 3 s, longest pause %lu ms\n",
	    t_pp_rounds, worst_gap / 1000000);
	/* A lost wakeup stops the ball for good; load only slows it (a
	 * host running more QEMUs than it has cores: up to a second or
	 * so, and a few dozen rounds in all on one CPU). */
	KT_ASSERT(t_pp_rounds > 10);
	KT_ASSERT(worst_gap < 2000000000UL);
}

/* ---- callouts and timed sleeps ------------------------------------------- */

static volatile int t_co_fired;
static volatile uint64_t t_co_tick;

static void
t_co_handler(void *arg)
{
	t_co_fired++;
	t_co_tick = hardclock_ticks;
}

/* A callout fires once, about when due; one stopped before its time
 * never fires; pending/expired say so. */
KTEST(callout_fires_once_and_stop_prevents)
{
	callout_t c;
	uint64_t t0;

	callout_init(&c, 0);
	callout_setfunc(&c, t_co_handler, NULL);
	t_co_fired = 0;
	t0 = hardclock_ticks;
	callout_schedule(&c, 5);
	KT_ASSERT(callout_pending(&c));
	while (t_co_fired == 0 && hardclock_ticks < t0 + 100)
		yield();
	KT_EQ(t_co_fired, 1);
	KT_ASSERT(!callout_pending(&c) && callout_expired(&c));
	KT_ASSERT(t_co_tick - t0 >= 4 && t_co_tick - t0 <= 7);
	delay(100000);				/* 10 more ticks */
	KT_EQ(t_co_fired, 1);			/* once */

	callout_schedule(&c, 5);
	KT_ASSERT(!callout_stop(&c));		/* had not fired */
	delay(100000);
	KT_EQ(t_co_fired, 1);			/* and never will */
	KT_ASSERT(!callout_pending(&c) && !callout_active(&c));
	callout_halt(&c, NULL);
	callout_destroy(&c);
}

static volatile int t_co_running;
static lwp_t *volatile t_co_halter;

/*
 * The handler runs until the LWP halting it sleeps (in callout_halt's
 * wait): so it is surely running when callout_halt is called, however
 * late a loaded host runs either CPU.  (If callout_halt returned
 * without waiting, its caller would not sleep: the handler gives up
 * after 5 s, long after the test has failed.)
 */
static void
t_co_slow(void *arg)
{
	uint64_t end = nsuptime() + 5000000000UL;

	t_co_running = 1;
	while (t_co_halter->l_stat != LSSLEEP && nsuptime() < end)
		continue;
	delay(1000);				/* it sleeps: 1 ms more */
	t_co_running = 0;
}

/* Cross-call body: initialise a callout on the CPU it runs on (a
 * callout lives on the wheel of the CPU that initialised it). */
static void
t_co_init_here(void *c, void *unused)
{
	callout_init(c, 0);
}

/*
 * callout_halt never returns while the handler runs: the callout lives
 * on another CPU's wheel, and we halt it while its handler runs (until
 * we sleep).  A callout that never fires hangs here, and the ktest
 * watchdog says so.  And it sleeps without cc_lock held: cc_lock comes
 * after the sleep queues' locks (LOCKDEBUG panics "lock order reversal
 * ... while holding a callout lock" otherwise: cv_wait with cc_lock as
 * the interlock was an ABBA deadlock with sleepq_block's
 * callout_schedule, on a wait channel in the same bucket as cc_cv).
 */
KTEST(callout_halt_waits_for_handler)
{
	static callout_t c;

	if (ncpu < 2)
		KT_SKIP("needs 2 CPUs");
	t_co_running = 0;
	t_co_halter = curlwp;
	xc_wait(xc_unicast(XC_HIGHPRI, t_co_init_here, &c, NULL,
	    cpu_lookup(ncpu - 1)));
	callout_setfunc(&c, t_co_slow, NULL);
	callout_schedule(&c, 1);
	while (!t_co_running)
		continue;
	callout_halt(&c, NULL);
	KT_EQ(t_co_running, 0);			/* it finished first */
	callout_destroy(&c);
}

static kmutex_t t_tw_lock = MUTEX_INITIALIZER("t_tw", IPL_VM);
static kcondvar_t t_tw_cv;

/*
 * cv_timedwait with nobody signalling: EWOULDBLOCK within a tick of the
 * deadline, counted in clock ticks (the kernel's own time: under a
 * loaded host QEMU delivers ticks late, but never loses count of them).
 * lwp0's timeout callout lives on cpu0's wheel, so cpu0's tick count
 * (hardclock_ticks) is the clock that matters.  kpause sleeps its ticks.
 */
KTEST(cv_timedwait_and_kpause_timing)
{
	uint64_t t0, ticks, ns;
	int error;

	KT_ASSERT(curlwp == &lwp0 && curcpu() == cpu_lookup(0));
	cv_init(&t_tw_cv, "t_tw");
	for (int i = 0; i < 5; i++) {
		mutex_enter(&t_tw_lock);
		t0 = hardclock_ticks;
		ns = nsuptime();
		error = cv_timedwait(&t_tw_cv, &t_tw_lock, 10);
		ticks = hardclock_ticks - t0;
		ns = nsuptime() - ns;
		mutex_exit(&t_tw_lock);
		KT_EQ(error, EWOULDBLOCK);
		if (i == 0)
			printf("ktest: cv_timedwait(10 ticks) took %lu ticks, "
			    "%lu ms\n", ticks, ns / 1000000);
		KT_ASSERT(ticks >= 9 && ticks <= 11);
	}
	t0 = hardclock_ticks;
	KT_EQ(kpause("t_kpause", false, 5, NULL), EWOULDBLOCK);
	KT_ASSERT(hardclock_ticks - t0 >= 4 && hardclock_ticks - t0 <= 6);
	cv_destroy(&t_tw_cv);
}

static void
t_tw_signaller(void *arg)
{
	delay(20000);
	mutex_enter(&t_tw_lock);
	cv_signal(&t_tw_cv);
	mutex_exit(&t_tw_lock);
}

KTEST(cv_timedwait_signalled_early)
{
	lwp_t *l;
	uint64_t t0;
	int error;

	cv_init(&t_tw_cv, "t_tw2");
	mutex_enter(&t_tw_lock);
	KT_EQ(kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL,
	    t_tw_signaller, NULL, &l, "t_twsig"), 0);
	t0 = nsuptime();
	error = cv_timedwait(&t_tw_cv, &t_tw_lock, 100);	/* 1 s */
	mutex_exit(&t_tw_lock);
	KT_EQ(error, 0);
	KT_ASSERT(nsuptime() - t0 < 500000000UL);
	KT_EQ(kthread_join(l), 0);
	cv_destroy(&t_tw_cv);
}

/* Going to sleep holding a spin mutex (other than the interlock) would
 * leave interrupts off with the lock held: LOCKDEBUG panics. */
KTEST_MANUAL(selftest_sleep_holding_spin_mutex,
    "^panic: sleepq_block: lwp0 sleeps on t_bad holding 1 spin mutexes")
{
	static kmutex_t held = MUTEX_INITIALIZER("t_held", IPL_VM);

	cv_init(&t_tw_cv, "t_bad");
	mutex_spin_enter(&held);
	mutex_enter(&t_tw_lock);
	(void)cv_timedwait(&t_tw_cv, &t_tw_lock, 1);
}
