/*
 * kern_rwlock.c: reader/writer locks (see sys/rwlock.h).
 *
 * Blocking follows the adaptive mutex: lock curlwp, look up the
 * turnstile (chain locked), re-check and set the waiter bits with a
 * CAS, then turnstile_block on the reader or writer queue.  Releasing
 * to waiters is done under the chain lock too, and hands the lock over:
 * when a woken LWP returns from turnstile_block it already owns it.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/lockdebug.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/sleepq.h>
#include <sys/turnstile.h>

static lwp_t *
rw_owner_lwp(wchan_t wchan)
{
	uintptr_t o = ((const krwlock_t *)wchan)->rw_owner;

	return (o & RW_WRITE_LOCKED) ? (lwp_t *)(o & RW_THREAD) : NULL;
}

syncobj_t rw_syncobj = {
	.sobj_flag = SOBJ_SLEEPQ_SORTED,
	.sobj_unsleep = turnstile_unsleep,
	.sobj_changepri = sleepq_changepri,
	.sobj_lendpri = sleepq_lendpri,
	.sobj_owner = rw_owner_lwp,
};

static inline bool
rw_cas(krwlock_t *rw, uintptr_t old, uintptr_t new)
{
	return __atomic_compare_exchange_n(&rw->rw_owner, &old, new, false,
	    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

/* `name' as mutex_init's: for messages and LOCKDEBUG's classes. */
void
rw_init(krwlock_t *rw, const char *name)
{
	rw->rw_owner = 0;
	rw->rw_name = name;
}

void
rw_destroy(krwlock_t *rw)
{
	KASSERTMSG(rw->rw_owner == 0, "rw_destroy: %p is held", rw);
}

/* May `op` take the lock now, given owner word o? */
static inline bool
rw_can_enter(uintptr_t o, krw_t op)
{
	if (op == RW_WRITER)
		return (o & (RW_THREAD | RW_WRITE_LOCKED)) == 0;
	return (o & (RW_WRITE_LOCKED | RW_WRITE_WANTED)) == 0;
}

static inline uintptr_t
rw_entered(uintptr_t o, krw_t op)
{
	return op == RW_WRITER ? ((uintptr_t)curlwp | RW_WRITE_LOCKED |
	    (o & RW_FLAGS)) : o + RW_READ_INCR;
}

int
rw_tryenter(krwlock_t *rw, krw_t op)
{
	uintptr_t o = rw->rw_owner;

	return rw_can_enter(o, op) && rw_cas(rw, o, rw_entered(o, op));
}

void
rw_enter(krwlock_t *rw, krw_t op)
{
	lwp_t *l = curlwp;
	turnstile_t *ts;
	uintptr_t o, want;
	int ipl __diagused;

	KASSERTMSG(curcpu_spin_state(&ipl) == 0 && ipl == IPL_NONE,
	    "rw_enter at raised IPL");
	if (LOCKDEBUG)
		lockdebug_acquire(rw, rw->rw_name,
		    (vaddr_t)__builtin_return_address(0));
	for (;;) {
		o = rw->rw_owner;
		if (rw_can_enter(o, op)) {
			if (rw_cas(rw, o, rw_entered(o, op)))
				return;
			continue;
		}
		if (LOCKDEBUG && (o & RW_WRITE_LOCKED) &&
		    (lwp_t *)(o & RW_THREAD) == l)
			panic("rw_enter: %p already write-held by us", rw);
		lwp_lock(l);
		ts = turnstile_lookup(rw);
		o = rw->rw_owner;
		want = o | RW_HAS_WAITERS | (op == RW_WRITER ?
		    RW_WRITE_WANTED : 0);
		if (rw_can_enter(o, op) || (want != o && !rw_cas(rw, o, want))) {
			turnstile_exit(rw);	/* changed meanwhile: retry */
			lwp_unlock(l);
			continue;
		}
		turnstile_block(ts, op == RW_WRITER ? TS_WRITER_Q :
		    TS_READER_Q, rw, &rw_syncobj);
		/* Woken: the releaser handed the lock to us. */
		KASSERT(op == RW_READER ? !(rw->rw_owner & RW_WRITE_LOCKED) :
		    (lwp_t *)(rw->rw_owner & RW_THREAD) == l);
		return;
	}
}

/*
 * Release to the waiters (chain lock and curlwp's lock held): a writer
 * if one waits, else every reader; set the owner word for them first.
 */
static void
rw_handoff(krwlock_t *rw, turnstile_t *ts)
{
	KASSERT(lwp_locked(curlwp, NULL));
	if (ts->ts_waiters[TS_WRITER_Q] > 0) {
		lwp_t *w = TAILQ_FIRST(&ts->ts_sleepq[TS_WRITER_Q]);
		bool more = ts->ts_waiters[TS_WRITER_Q] +
		    ts->ts_waiters[TS_READER_Q] > 1;

		__atomic_store_n(&rw->rw_owner, (uintptr_t)w | RW_WRITE_LOCKED |
		    (more ? RW_HAS_WAITERS : 0) |
		    (ts->ts_waiters[TS_WRITER_Q] > 1 ? RW_WRITE_WANTED : 0),
		    __ATOMIC_RELEASE);
		turnstile_wakeup(ts, TS_WRITER_Q, 1, w);
	} else {
		u_int n = ts->ts_waiters[TS_READER_Q];

		__atomic_store_n(&rw->rw_owner, n * RW_READ_INCR,
		    __ATOMIC_RELEASE);
		turnstile_wakeup(ts, TS_READER_Q, -1, NULL);
	}
}

void
rw_exit(krwlock_t *rw)
{
	lwp_t *l = curlwp;
	turnstile_t *ts;
	uintptr_t o, n;

	if (LOCKDEBUG)
		lockdebug_release(rw);
	for (;;) {
		o = rw->rw_owner;
		if (o & RW_WRITE_LOCKED) {
			KASSERTMSG((lwp_t *)(o & RW_THREAD) == l,
			    "rw_exit: %p write-held by another LWP", rw);
			n = 0;
		} else {
			KASSERTMSG((o & RW_THREAD) != 0,
			    "rw_exit: %p not held", rw);
			n = o - RW_READ_INCR;
		}
		/* Others still hold it, or nobody waits: just let go. */
		if ((n & RW_THREAD) != 0 || !(o & RW_HAS_WAITERS)) {
			if (rw_cas(rw, o, (n & RW_THREAD) != 0 ? n :
			    (n & ~RW_FLAGS)))
				return;
			continue;
		}
		/* The last holder, with waiters: hand over under the chain. */
		lwp_lock(l);
		ts = turnstile_lookup(rw);
		if (rw->rw_owner != o) {	/* changed: try again */
			turnstile_exit(rw);
			lwp_unlock(l);
			continue;
		}
		KASSERT(ts != NULL);
		rw_handoff(rw, ts);		/* releases the chain lock */
		lwp_unlock(l);
		return;
	}
}

/* Writer -> reader, waking waiting readers if no writer waits. */
void
rw_downgrade(krwlock_t *rw)
{
	lwp_t *l = curlwp;
	turnstile_t *ts;
	uintptr_t o = rw->rw_owner;

	KASSERT((o & RW_WRITE_LOCKED) && (lwp_t *)(o & RW_THREAD) == l);
	if (!(o & RW_HAS_WAITERS)) {
		if (rw_cas(rw, o, RW_READ_INCR))
			return;
	}
	lwp_lock(l);
	ts = turnstile_lookup(rw);
	/* Readers lend nobody priority: give back what writers lent us. */
	if (ts != NULL && ts->ts_inheritor == l)
		turnstile_unlendpri(ts);
	if (ts == NULL || ts->ts_waiters[TS_WRITER_Q] > 0 ||
	    ts->ts_waiters[TS_READER_Q] == 0) {
		/* Keep the waiter bits for the writers still waiting. */
		__atomic_store_n(&rw->rw_owner, RW_READ_INCR |
		    (rw->rw_owner & (RW_HAS_WAITERS | RW_WRITE_WANTED)),
		    __ATOMIC_RELEASE);
		turnstile_exit(rw);
	} else {
		u_int n = ts->ts_waiters[TS_READER_Q];

		__atomic_store_n(&rw->rw_owner, (n + 1) * RW_READ_INCR,
		    __ATOMIC_RELEASE);
		turnstile_wakeup(ts, TS_READER_Q, -1, NULL);
	}
	lwp_unlock(l);
}

/* Reader -> writer, if we are the only reader. */
int
rw_tryupgrade(krwlock_t *rw)
{
	uintptr_t o = rw->rw_owner;

	if ((o & RW_WRITE_LOCKED) || (o & RW_THREAD) != RW_READ_INCR)
		return 0;
	return rw_cas(rw, o, (uintptr_t)curlwp | RW_WRITE_LOCKED |
	    (o & (RW_HAS_WAITERS | RW_WRITE_WANTED)));
}

int
rw_write_held(krwlock_t *rw)
{
	uintptr_t o = rw->rw_owner;

	return (o & RW_WRITE_LOCKED) && (lwp_t *)(o & RW_THREAD) == curlwp;
}

/* Read-held by someone (readers are not recorded individually). */
int
rw_read_held(krwlock_t *rw)
{
	uintptr_t o = rw->rw_owner;

	return !(o & RW_WRITE_LOCKED) && (o & RW_THREAD) != 0;
}

int
rw_lock_held(krwlock_t *rw)
{
	return rw_write_held(rw) || rw_read_held(rw);
}
