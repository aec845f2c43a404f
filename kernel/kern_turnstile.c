/*
 * kern_turnstile.c: turnstiles and priority inheritance (see
 * sys/turnstile.h).
 *
 * Blocking on a lock (the lock's code has decided it must wait, and
 * holds the chain lock from turnstile_lookup, and curlwp's own lock):
 *
 *   turnstile_block(ts, q, obj, sobj)
 *     1. lend our turnstile to obj (first waiter) or park it on ts_free
 *     2. sleepq_enqueue on ts_sleepq[q]; lend tc_mutex to us
 *     3. turnstile_lendpri: walk the chain of owners, raising each to
 *        our priority (l_inheritedprio) where it is lower
 *     4. sleepq_block
 *
 * Releasing (turnstile_wakeup, by the owner, chain lock and its own
 * LWP lock held): give back what was lent to us through this lock
 * (recompute l_inheritedprio from the other lenders), then wake the
 * waiters, each taking a turnstile with it.
 *
 * Lock order: spc_lwplock (curlwp) -> tc_mutex -> spc_mutex.  Owners
 * further along a chain are only ever trylocked: we hold locks of the
 * same class already, and waiting for them could deadlock.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/pool.h>
#include <sys/sched.h>
#include <sys/turnstile.h>

#define TS_HASH_SIZE	64
#define TS_HASH(o)	(((uintptr_t)(o) >> 3) & (TS_HASH_SIZE - 1))

static struct tschain {
	kmutex_t	tc_mutex;
	LIST_HEAD(, turnstile) tc_chain;	/* (tc_mutex) active ones */
} turnstile_chains[TS_HASH_SIZE];

turnstile_t turnstile0;
bool	turnstile_pi_enabled = true;
static pool_cache_t turnstile_cache;

static int
turnstile_ctor(void *arg, void *obj, int flags)
{
	turnstile_t *ts = obj;

	memset(ts, 0, sizeof(*ts));
	TAILQ_INIT(&ts->ts_sleepq[TS_READER_Q]);
	TAILQ_INIT(&ts->ts_sleepq[TS_WRITER_Q]);
	return 0;
}

void
turnstile_init(void)
{
	for (int i = 0; i < TS_HASH_SIZE; i++) {
		mutex_init(&turnstile_chains[i].tc_mutex, MUTEX_SPIN,
		    IPL_SCHED, "tc_mutex");
		mutex_setorder(&turnstile_chains[i].tc_mutex,
		    LOCKORDER_TURNSTILE);
		LIST_INIT(&turnstile_chains[i].tc_chain);
	}
	(void)turnstile_ctor(NULL, &turnstile0, 0);
	turnstile_cache = pool_cache_init(sizeof(turnstile_t), 0, 0, 0,
	    "tstile", NULL, IPL_NONE, turnstile_ctor, NULL, NULL);
}

turnstile_t *
turnstile_alloc(void)
{
	return pool_cache_get(turnstile_cache, PR_WAITOK);
}

void
turnstile_free(turnstile_t *ts)
{
	KASSERT(ts != &turnstile0);
	KASSERT(TAILQ_EMPTY(&ts->ts_sleepq[0]) &&
	    TAILQ_EMPTY(&ts->ts_sleepq[1]));
	pool_cache_put(turnstile_cache, ts);
}

/* Lock obj's chain; return its active turnstile or NULL (the chain
 * stays locked either way). */
turnstile_t *
turnstile_lookup(wchan_t obj)
{
	struct tschain *tc = &turnstile_chains[TS_HASH(obj)];
	turnstile_t *ts;

	mutex_spin_enter(&tc->tc_mutex);
	LIST_FOREACH(ts, &tc->tc_chain, ts_chain)
		if (ts->ts_obj == obj)
			return ts;
	return NULL;
}

/* sobj_unsleep of lock syncobjs: waiting for a lock is not
 * interruptible, only the lock's release wakes the waiter. */
void
turnstile_unsleep(lwp_t *l, bool unlock)
{
	panic("lwp %p (%s) waits for a lock and cannot be woken otherwise",
	    l, l->l_name);
}

/* Give up after turnstile_lookup: unlock the chain. */
void
turnstile_exit(wchan_t obj)
{
	mutex_spin_exit(&turnstile_chains[TS_HASH(obj)].tc_mutex);
}

/* The owner of the lock l blocks on, if l blocks on an owned lock. */
static lwp_t *
turnstile_owner(lwp_t *l)
{
	if (l->l_wchan == NULL || l->l_syncobj->sobj_owner == NULL)
		return NULL;
	return (*l->l_syncobj->sobj_owner)(l->l_wchan);
}

/*
 * Lend cur's priority along the chain of lock owners it waits for:
 * each owner whose priority is lower gets cur's (l_inheritedprio),
 * recorded in the turnstile it comes through, so it can be taken back;
 * recorded too when the owner has as much already through another lock
 * (released first, that one's loan goes, this one's stays).
 * cur is locked (by its tc_mutex).  Owners are only trylocked (we hold
 * locks of their class already); if one is busy we let go of the rest
 * and walk again, up to a bound (then the loan is partial, never wrong).
 */
static void
turnstile_lendpri(lwp_t *cur)
{
	pri_t prio = lwp_eprio(cur);
	lwp_t *l, *owner;
	kmutex_t *taken[16];		/* owner locks we trylocked */
	int ntaken = 0, tries = 0;

	KASSERT(lwp_locked(cur, NULL));
	if (!turnstile_pi_enabled)
		return;
restart:
	l = cur;
	while (ntaken < (int)__arraycount(taken)) {
		turnstile_t *ts = l->l_ts;	/* the one l blocks on */

		if ((owner = turnstile_owner(l)) == NULL || owner == cur)
			break;
		if (!mutex_owned(owner->l_mutex)) {
			if (!lwp_trylock(owner)) {
				/* Busy: let go of everything and walk again
				 * (we still hold cur, so its loan stands). */
				while (ntaken > 0)
					mutex_spin_exit(taken[--ntaken]);
				if (++tries < 1000) {
					__asm volatile("pause");
					goto restart;
				}
				return;		/* give up: partial, not wrong */
			}
			taken[ntaken++] = owner->l_mutex;
		}
		if (prio <= owner->l_priority)
			break;		/* nothing to lend */
		/* Record the loan even if the owner has as much already
		 * through another lock: when that one is released, this
		 * one still counts (turnstile_unlendpri). */
		if (ts->ts_inheritor == NULL) {
			ts->ts_inheritor = owner;
			ts->ts_eprio = prio;
			SLIST_INSERT_HEAD(&owner->l_pi_lenders, ts, ts_pichain);
		} else if (prio > ts->ts_eprio)
			ts->ts_eprio = prio;
		KASSERT(ts->ts_inheritor == owner);
		if (prio <= lwp_eprio(owner))
			break;		/* it has as much: nothing changes on */
		(*owner->l_syncobj->sobj_lendpri)(owner, prio);
		l = owner;		/* and on: does it wait for a lock? */
	}
	while (ntaken > 0)
		mutex_spin_exit(taken[--ntaken]);
}

/*
 * Block curlwp on obj's turnstile ts (NULL: obj has none yet).  The
 * chain lock (turnstile_lookup) and curlwp's own lock are held; both
 * are gone on return, after the lock's owner has woken us.
 */
void
turnstile_block(turnstile_t *ts, int q, wchan_t obj, syncobj_t *sobj)
{
	struct tschain *tc = &turnstile_chains[TS_HASH(obj)];
	lwp_t *l = curlwp;
	turnstile_t *ots = l->l_ts;

	KASSERT(mutex_owned(&tc->tc_mutex));
	KASSERT(lwp_locked(l, l->l_cpu->ci_schedstate.spc_lwplock));
	if (ts == NULL) {
		/* First waiter: our turnstile becomes obj's. */
		ts = ots;
		KASSERT(ts->ts_free == NULL && ts->ts_inheritor == NULL);
		ts->ts_obj = obj;
		LIST_INSERT_HEAD(&tc->tc_chain, ts, ts_chain);
	} else {
		/* Park ours on the active one's spares. */
		ots->ts_free = ts->ts_free;
		ts->ts_free = ots;
		l->l_ts = ts;
	}
	ts->ts_waiters[q]++;
	sleepq_enqueue(&ts->ts_sleepq[q], obj, "tstile", sobj);
	lwp_unlock_to(l, &tc->tc_mutex);	/* covered by the chain now */
	turnstile_lendpri(l);
	(void)sleepq_block(0, false);
}

/* Take back what was lent to curlwp through ts; recompute the rest.
 * Chain lock and curlwp's lock held. */
void
turnstile_unlendpri(turnstile_t *ts)
{
	lwp_t *l = curlwp;
	turnstile_t *its;
	pri_t prio = -1;

	KASSERT(mutex_owned(&turnstile_chains[TS_HASH(ts->ts_obj)].tc_mutex));
	KASSERT(lwp_locked(l, NULL));
	KASSERT(ts->ts_inheritor == l);
	SLIST_REMOVE(&l->l_pi_lenders, ts, turnstile, ts_pichain);
	ts->ts_inheritor = NULL;
	SLIST_FOREACH(its, &l->l_pi_lenders, ts_pichain)
		prio = MAX(prio, its->ts_eprio);
	(*l->l_syncobj->sobj_lendpri)(l, prio);
}

/*
 * Wake up to `count` waiters of queue q (all if count < 0) of ts.  The
 * caller is the lock's (former) owner, holding the chain lock and its
 * own LWP lock; the chain lock is released.
 */
void
turnstile_wakeup(turnstile_t *ts, int q, int count, lwp_t *nl)
{
	struct tschain *tc = &turnstile_chains[TS_HASH(ts->ts_obj)];
	sleepq_t *sq = &ts->ts_sleepq[q];
	lwp_t *l, *next;

	KASSERT(mutex_owned(&tc->tc_mutex));
	KASSERT(lwp_locked(curlwp, NULL));
	if (ts->ts_inheritor != NULL)
		turnstile_unlendpri(ts);
	for (l = TAILQ_FIRST(sq); l != NULL && count != 0; l = next) {
		next = TAILQ_NEXT(l, l_sleepchain);
		KASSERT(l->l_mutex == &tc->tc_mutex && l->l_ts == ts);
		/* Leave with a turnstile: a spare, or the last one out takes
		 * the active one (which stops being active). */
		if (ts->ts_free != NULL) {
			l->l_ts = ts->ts_free;
			ts->ts_free = l->l_ts->ts_free;
			l->l_ts->ts_free = NULL;
		} else {
			KASSERT(ts->ts_waiters[0] + ts->ts_waiters[1] == 1);
			LIST_REMOVE(ts, ts_chain);
			ts->ts_obj = NULL;
		}
		ts->ts_waiters[q]--;
		sleepq_remove(sq, l);
		count--;
	}
	mutex_spin_exit(&tc->tc_mutex);
}
