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
#include <sys/lab.h>
#include <sys/lock.h>
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

/* The owner of the lock l blocks on, if l blocks on an owned lock
 * (NULL if l blocks on nothing, or on a lock without an owner, such as
 * a read-held rwlock).  l's lock held. */
static __unused lwp_t *
turnstile_owner(lwp_t *l)
{
	if (l->l_wchan == NULL || l->l_syncobj->sobj_owner == NULL)
		return NULL;
	return (*l->l_syncobj->sobj_owner)(l->l_wchan);
}

/*
 * Lend cur's effective priority (lwp_eprio(cur), read once at the start
 * of each walk: "cur's" below) along the chain of lock owners it waits
 * for: l = cur; while l blocks on a lock that has an
 * owner (turnstile_owner) other than cur:
 *   - if the owner's own priority (l_priority) is at least cur's,
 *     stop: there is nothing to lend;
 *   - record the loan in the turnstile l blocks on (l->l_ts): if it
 *     has no ts_inheritor yet, make it the owner, ts_eprio the priority
 *     lent, and put the turnstile on the owner's l_pi_lenders list;
 *     else raise ts_eprio to it if it is higher.  (Recorded even when
 *     the owner has as much already through another lock: when that
 *     lock is released, this loan still counts.)
 *   - if the owner's effective priority (lwp_eprio) is already at least
 *     cur's, stop: a loan never lowers a priority, and nothing further
 *     on changes;
 *   - else raise the owner through its syncobj
 *     ((*owner->l_syncobj->sobj_lendpri)(owner, prio): l_inheritedprio,
 *     and its place on a run or sleep queue),
 *   - and go on with l = owner: does the owner wait for a lock too?
 * Locks: cur is locked (by its chain's tc_mutex) on entry and on return.
 * Each owner must be locked to read or change it, but only with
 * lwp_trylock (we hold locks of its class already: waiting could
 * deadlock); an owner whose lock we already hold (mutex_owned) is not
 * locked again.  If a trylock fails, release the owners' locks taken so
 * far and walk again from cur, up to a bound of tries (then the loan is
 * partial, never wrong; a small array remembers the locks taken, and a
 * chain longer than it stops there, partial too).  Release every owner
 * lock taken before returning.  Nothing is lent if
 * turnstile_pi_enabled is false.  (__noinline: one place for gdb to
 * stop, whatever gcc makes of the solution.)  (The stub lends nothing.)
 */
void __noinline
turnstile_lendpri(lwp_t *cur)
{
#if !LAB_STUB(pi)
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
					SPINLOCK_BACKOFF_HOOK;
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
#endif /* LAB pi */
}

/*
 * Block curlwp on lock obj, queue q (TS_READER_Q or TS_WRITER_Q), with
 * sobj its syncobj; ts is obj's active turnstile (turnstile_lookup), or
 * NULL if nobody waits for obj yet.  On entry the chain lock
 * (turnstile_lookup's) and curlwp's own lock (its CPU's spc_lwplock)
 * are held; on return both are gone, and the lock's owner has woken us
 * (turnstile_wakeup).
 *   1. ts NULL: curlwp's own turnstile (l_ts) becomes obj's: ts_obj =
 *      obj, on the chain's list of active turnstiles; else curlwp's
 *      turnstile goes on ts's ts_free list of spares and l_ts = ts.
 *      (Either way, while blocked, l_ts is the turnstile it blocks on.)
 *   2. Count it (ts_waiters[q]) and put it on the sleep queue
 *      ts_sleepq[q] (sleepq_enqueue, wait message "tstile"); from now
 *      on it is covered by the chain lock: lend it (lwp_unlock_to).
 *   3. Lend our priority to the owner and on (turnstile_lendpri).
 *   4. Sleep (sleepq_block, no timeout, not interruptible).
 * (The stub does not block: it releases both locks and sleeps a tick,
 * and the caller tries the lock again.  An adaptive mutex then still
 * works, by polling, without priority inheritance; an rwlock, which
 * expects to own the lock when this returns, fails its KASSERT.)
 */
void
turnstile_block(turnstile_t *ts, int q, wchan_t obj, syncobj_t *sobj)
{
#if !LAB_STUB(pi)
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
#else
	turnstile_exit(obj);
	lwp_unlock(curlwp);
	(void)kpause("tstub", false, 1, NULL);
#endif /* LAB pi */
}

/*
 * Take back what was lent to curlwp through ts (whose ts_inheritor is
 * curlwp: it owned the lock): ts off curlwp's l_pi_lenders, its
 * ts_inheritor NULL; curlwp's inherited priority becomes the largest
 * ts_eprio of the turnstiles still lending to it, or -1 (none), set
 * through its syncobj (sobj_lendpri).  ts's chain lock and curlwp's
 * own lock are held, on entry and on return.
 */
void
turnstile_unlendpri(turnstile_t *ts)
{
#if !LAB_STUB(pi)
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
#else
	LAB_TODO(pi, "turnstile_unlendpri");
#endif /* LAB pi */
}

/*
 * Wake up to `count` waiters of queue q (all if count < 0) of ts, in
 * queue order.  The caller is the lock's (former) owner, holding ts's
 * chain lock and its own LWP lock; on return the chain lock is
 * released, its own lock still held.  (nl, the LWP the caller handed
 * the lock to, is not used: it is the first on the queue.)
 *   1. Give back what was lent to us through ts (turnstile_unlendpri),
 *      if anything was (ts_inheritor).
 *   2. Each woken LWP leaves with a turnstile of its own, never one
 *      another LWP has: a spare from ts_free (unlinked, its ts_free
 *      NULL), or, if there is none, ts itself, which then stops being
 *      active (off its chain, ts_obj NULL): that happens to the last
 *      waiter out.  Then ts_waiters[q]--, and sleepq_remove wakes it.
 * (The stub panics: with the turnstile_block stub nobody waits on a
 * turnstile, and this is never called.)
 */
void
turnstile_wakeup(turnstile_t *ts, int q, int count, lwp_t *nl)
{
#if !LAB_STUB(pi)
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
#else
	LAB_TODO(pi, "turnstile_wakeup");
#endif /* LAB pi */
}
