/*
 * kern_timeout.c: callouts (see sys/callout.h).
 *
 * Each CPU's wheel has CALLOUT_WHEEL slots; a callout due at tick t
 * waits in slot t % CALLOUT_WHEEL, and every tick hardclock() looks at
 * one slot (callouts due in a later round stay).  So scheduling and
 * stopping are O(1), and a tick costs the length of one slot.  The
 * wheel's ticks keep up with the uptime clock when timer interrupts
 * come late (callout_hardclock).
 *
 * Locking: each wheel's cc_lock (a spin mutex at IPL_HIGH, since the
 * wheel is run from the clock interrupt) covers the wheel and its
 * callouts' fields.  A callout is locked by the lock of the wheel its
 * c_cpu names (callout_lock: read c_cpu, lock, check it did not change,
 * the same dance as lwp_lock).  Handlers run with cc_lock released;
 * cc_active names the one running, and callout_halt() sleeps on cc_cv
 * until it is done.  cc_lock is the last lock of the scheduler's order
 * (LOCKORDER_CALLOUT): sleepq_block arms a callout holding its sleep
 * queue's lock, so no sleep-queue or scheduler lock is ever taken under
 * cc_lock (LOCKDEBUG checks): handlers run and callout_halt's waiters
 * are woken after it is dropped, and a waiter gets on its sleep queue
 * before it takes cc_lock to look (callout_wait).
 */
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/syncobj.h>
#include <sys/time.h>

#define CALLOUT_WHEEL	256

struct callout_cpu {
	kmutex_t	cc_lock;
	TAILQ_HEAD(, callout) cc_wheel[CALLOUT_WHEEL];	/* (cc_lock) */
	uint64_t	cc_ticks;		/* (cc_lock) ticks run */
	callout_t * volatile cc_active;		/* (cc_lock) running now */
	kcondvar_t	cc_cv;			/* callout_halt waits here */
};

static struct callout_cpu callout_cpus[MAXCPUS];

/* Set up every possible CPU's wheel (before the first callout_init). */
void
callout_startup(void)
{
	for (int i = 0; i < MAXCPUS; i++) {
		struct callout_cpu *cc = &callout_cpus[i];

		mutex_init(&cc->cc_lock, MUTEX_SPIN, IPL_HIGH, "cc_lock");
		mutex_setorder(&cc->cc_lock, LOCKORDER_CALLOUT);
		for (int s = 0; s < CALLOUT_WHEEL; s++)
			TAILQ_INIT(&cc->cc_wheel[s]);
		cv_init(&cc->cc_cv, "callout");
	}
}

static struct callout_cpu *
callout_lock(callout_t *c)
{
	struct callout_cpu *cc;

	KASSERTMSG(c->c_magic == CALLOUT_MAGIC, "callout %p not initialised",
	    c);
	for (;;) {
		cc = c->c_cpu;
		mutex_spin_enter(&cc->cc_lock);
		if (__predict_true(c->c_cpu == cc))
			return cc;
		mutex_spin_exit(&cc->cc_lock);
	}
}

/* A callout on this CPU's wheel (it stays on that wheel for life). */
void
callout_init(callout_t *c, u_int flags)
{
	memset(c, 0, sizeof(*c));
	c->c_cpu = &callout_cpus[cpu_index(curcpu())];
	c->c_magic = CALLOUT_MAGIC;
}

void
callout_destroy(callout_t *c)
{
	KASSERTMSG(c->c_magic == CALLOUT_MAGIC, "callout %p not initialised",
	    c);
	KASSERTMSG(!(c->c_flags & (CALLOUT_PENDING | CALLOUT_INVOKING)),
	    "callout_destroy: %p is pending or running", c);
	c->c_magic = 0;
}

void
callout_setfunc(callout_t *c, void (*func)(void *), void *arg)
{
	struct callout_cpu *cc = callout_lock(c);

	c->c_func = func;
	c->c_arg = arg;
	mutex_spin_exit(&cc->cc_lock);
}

/* The tick it is by the uptime clock. */
static uint64_t
callout_uptime_ticks(void)
{
	return nsuptime() / (1000000000 / hz);
}

/* (Re)arm c to fire in `ticks` ticks (at least 1), counted from the
 * tick it is now: the uptime's, if the wheel lags it (its next
 * interrupt catches up: callout_hardclock), or c would fire early. */
void
callout_schedule(callout_t *c, int ticks)
{
	struct callout_cpu *cc = callout_lock(c);

	KASSERT(c->c_func != NULL);
	if (c->c_flags & CALLOUT_PENDING)
		TAILQ_REMOVE(&cc->cc_wheel[c->c_time % CALLOUT_WHEEL], c,
		    c_link);
	c->c_time = MAX(cc->cc_ticks, callout_uptime_ticks()) +
	    (ticks > 0 ? ticks : 1);
	TAILQ_INSERT_TAIL(&cc->cc_wheel[c->c_time % CALLOUT_WHEEL], c, c_link);
	c->c_flags = (c->c_flags | CALLOUT_PENDING) & ~CALLOUT_FIRED;
	mutex_spin_exit(&cc->cc_lock);
}

void
callout_reset(callout_t *c, int ticks, void (*func)(void *), void *arg)
{
	callout_setfunc(c, func, arg);
	callout_schedule(c, ticks);
}

/* Take c off its wheel (cc_lock held); had it fired? */
static bool
callout_unschedule(struct callout_cpu *cc, callout_t *c)
{
	bool expired = (c->c_flags & CALLOUT_FIRED) != 0;

	KASSERT(mutex_owned(&cc->cc_lock));
	if (c->c_flags & CALLOUT_PENDING)
		TAILQ_REMOVE(&cc->cc_wheel[c->c_time % CALLOUT_WHEEL], c,
		    c_link);
	c->c_flags &= ~(CALLOUT_PENDING | CALLOUT_FIRED);
	return expired;
}

/*
 * Unschedule c.  Returns whether it had fired (its handler was called,
 * and may still be running on its CPU: see callout_halt).
 */
bool
callout_stop(callout_t *c)
{
	struct callout_cpu *cc = callout_lock(c);
	bool expired = callout_unschedule(cc, c);

	mutex_spin_exit(&cc->cc_lock);
	return expired;
}

/*
 * Sleep until the handler of c that cc runs now is done (at once if it
 * is done already).  Nothing held.  The sleep queue's lock comes before
 * cc_lock (sleepq_block arms a callout holding it), so we get on the
 * queue first and then look, under cc_lock, whether the handler still
 * runs: callout_hardclock clears cc_active under cc_lock and only then
 * wakes cc_cv's sleepers, which needs the queue's lock, held by us from
 * before we looked until we sleep.  No wakeup is lost.
 */
static void
callout_wait(struct callout_cpu *cc, callout_t *c)
{
	lwp_t *l = curlwp;
	kmutex_t *mp;
	sleepq_t *sq = sleepq_hashlock(&cc->cc_cv, &mp);
	bool running;

	sleepq_enter(sq, l, mp);
	mutex_spin_enter(&cc->cc_lock);
	running = cc->cc_active == c;
	if (running)
		sleepq_enqueue(sq, &cc->cc_cv, cc->cc_cv.cv_wmesg, &cv_syncobj);
	mutex_spin_exit(&cc->cc_lock);
	if (running)
		(void)sleepq_block(0, false);
	else
		lwp_unlock_to(l, l->l_cpu->ci_schedstate.spc_lwplock);
}

/*
 * Unschedule c and wait until its handler is not running anywhere.
 * May sleep (not from an interrupt, and not from c's own handler).
 * `interlock`, if given, is dropped while sleeping and retaken.
 */
bool
callout_halt(callout_t *c, struct kmutex *interlock)
{
	struct callout_cpu *cc = callout_lock(c);
	bool expired = callout_unschedule(cc, c);

	while (cc->cc_active == c) {
		/* Waiting means sleeping: only from a thread at IPL_NONE
		 * (never from the handler itself, which would wait for
		 * ever on its own CPU). */
		KASSERTMSG(curcpu()->ci_mtx_oldspl == IPL_NONE,
		    "callout_halt: would sleep at raised IPL (from an "
		    "interrupt or the callout's own handler?)");
		mutex_spin_exit(&cc->cc_lock);
		if (interlock != NULL)
			mutex_exit(interlock);
		callout_wait(cc, c);
		if (interlock != NULL)
			mutex_enter(interlock);
		cc = callout_lock(c);
	}
	mutex_spin_exit(&cc->cc_lock);
	return expired;
}

bool
callout_pending(callout_t *c)
{
	return (c->c_flags & CALLOUT_PENDING) != 0;
}

/* Pending, or fired and not since stopped. */
bool
callout_active(callout_t *c)
{
	return (c->c_flags & (CALLOUT_PENDING | CALLOUT_FIRED)) != 0;
}

bool
callout_expired(callout_t *c)
{
	return (c->c_flags & CALLOUT_FIRED) != 0;
}

bool
callout_invoking(callout_t *c)
{
	return (c->c_flags & CALLOUT_INVOKING) != 0;
}

/*
 * Ticks until c is due on its wheel (0: this tick, < 0: overdue), or
 * INT64_MAX if it is not pending.  A lock-free hint for the hang
 * detector (kern_heartbeat.c), which must not take locks.
 */
int64_t
callout_due_in(const callout_t *c)
{
	const struct callout_cpu *cc = c->c_cpu;

	if (!(c->c_flags & CALLOUT_PENDING) || cc == NULL)
		return INT64_MAX;
	return (int64_t)(c->c_time - cc->cc_ticks);
}

/*
 * From hardclock(), on every CPU, interrupts off: run what is due.
 *
 * A wheel's ticks follow the uptime clock, not the count of timer
 * interrupts: a host that runs the virtual CPUs late delivers fewer of
 * them than hz a second (seen under TCG on a loaded host: a third, so a
 * 2 s pthread_cond_timedwait took 6 s by clock_gettime), so each
 * interrupt runs the wheel up to the tick the uptime says it is, one
 * slot at a time, in order -- and no further: interrupts that come
 * early or in a burst (QEMU delivering a backlog) run nothing, or a
 * callout would fire before its time by the uptime (sleepq_block_times_
 * out saw a kpause(4) end within 3 ticks).  (hardclock_ticks and the
 * time slices still count interrupts.)
 */
void
callout_hardclock(void)
{
	struct callout_cpu *cc = &callout_cpus[cpu_index(curcpu())];
	uint64_t now = callout_uptime_ticks();
	callout_t *c;
	u_int slot;

	mutex_spin_enter(&cc->cc_lock);
	while (cc->cc_ticks < now) {
		cc->cc_ticks++;
		slot = cc->cc_ticks % CALLOUT_WHEEL;
again:
		TAILQ_FOREACH(c, &cc->cc_wheel[slot], c_link) {
			void (*func)(void *);
			void *arg;

			if (c->c_time > cc->cc_ticks)
				continue;		/* a later round */
			TAILQ_REMOVE(&cc->cc_wheel[slot], c, c_link);
			c->c_flags = (c->c_flags & ~CALLOUT_PENDING) |
			    CALLOUT_FIRED | CALLOUT_INVOKING;
			func = c->c_func;
			arg = c->c_arg;
			cc->cc_active = c;
			mutex_spin_exit(&cc->cc_lock);
			(*func)(arg);
			mutex_spin_enter(&cc->cc_lock);
			c->c_flags &= ~CALLOUT_INVOKING;
			cc->cc_active = NULL;
			/*
			 * Wake callout_halt waiters, without cc_lock: a
			 * sleep queue's lock comes before cc_lock
			 * (sleepq_block arms the sleeper's callout holding
			 * it), so taking one under cc_lock could deadlock.
			 * No wakeup is lost: the state changed under
			 * cc_lock, and a waiter is on the queue before it
			 * lets cc_lock go (cv_wait).
			 */
			mutex_spin_exit(&cc->cc_lock);
			cv_broadcast(&cc->cc_cv);
			mutex_spin_enter(&cc->cc_lock);
			goto again;		/* the slot may have changed */
		}
	}
	mutex_spin_exit(&cc->cc_lock);
}
