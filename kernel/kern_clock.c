/*
 * kern_clock.c: the clock tick and uptime.
 *
 * Every CPU's timer interrupts it `hz` times a second and calls
 * hardclock(), which charges the running LWP's time slice (sched_tick).
 * CPU 0 also advances the global tick count and the coarse uptime
 * getnanouptime() returns, and runs the load balancer periodically.
 * It also runs this CPU's due callouts (callout_hardclock), and the
 * hang detector (heartbeat, kern_heartbeat.c).
 *
 * Uptime in nanoseconds is (counter - boot counter) * scale >> 32, with
 * scale = 10^9 * 2^32 / frequency, computed once: a multiply instead of
 * a division on every read.
 *
 * Locking: the (c) fields are set by clock_init() before any CPU takes
 * clock interrupts; hardclock_ticks and clock_coarse_ns are written by
 * CPU 0 only, with atomic stores.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/callout.h>
#include <sys/cpu_counter.h>
#include <sys/heartbeat.h>
#include <sys/jitter.h>
#include <sys/ktest.h>
#include <sys/lock.h>
#include <sys/sched.h>
#include <sys/time.h>

int	hz = HZ;			/* (c) */
volatile uint64_t hardclock_ticks;	/* (a) */

static uint64_t clock_boot_count;	/* (c) counter at clock_init() */
static uint64_t clock_scale;		/* (c) ns per count, << 32 */
static volatile uint64_t clock_coarse_ns; /* (a) uptime at the last tick */

void
clock_init(void)
{
	KASSERT(cpu_frequency() != 0);
	/* 10^9 * 2^32 < 2^64, so this fits without 128-bit division. */
	clock_scale = (1000000000UL << 32) / cpu_frequency();
	clock_boot_count = cpu_counter();
}

uint64_t
nsuptime(void)
{
	uint64_t d = cpu_counter() - clock_boot_count;

	return (uint64_t)(((unsigned __int128)d * clock_scale) >> 32);
}

static void
ns_to_timespec(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = ns / 1000000000;
	ts->tv_nsec = ns % 1000000000;
}

void
nanouptime(struct timespec *ts)
{
	ns_to_timespec(nsuptime(), ts);
}

void
getnanouptime(struct timespec *ts)
{
	ns_to_timespec(__atomic_load_n(&clock_coarse_ns, __ATOMIC_RELAXED), ts);
}

/* Busy-wait.  Usable before clock_init() only by the arch's calibration
 * code, which does not call it. */
void
delay(unsigned int us)
{
	uint64_t start = cpu_counter();
	uint64_t n = cpu_frequency() / 1000000 * us;

	while (cpu_counter() - start < n)
		SPINLOCK_BACKOFF_HOOK;
}

/* The clock interrupt, on every CPU, with interrupts disabled. */
void
hardclock(void)
{
	struct cpu_info *ci = curcpu();

	ci->ci_ticks++;
	if (ci->ci_index == 0) {
		__atomic_store_n(&hardclock_ticks, hardclock_ticks + 1,
		    __ATOMIC_RELAXED);
		__atomic_store_n(&clock_coarse_ns, nsuptime(),
		    __ATOMIC_RELAXED);
		if (hardclock_ticks % sched_balance_ticks == 0)
			sched_balance();
	}
	sched_tick(ci);
	callout_hardclock();
	ktest_watchdog();
	heartbeat();
	if (__predict_false(jitter_on))
		jitter_clock();
}
