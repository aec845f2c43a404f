/*
 * pthread_mutex.c: mutexes, as NetBSD's libpthread makes them.
 *
 * ptm_owner is the owning thread (its block's address), 0 when free,
 * with bit 0 (WAITERS) set while threads may be asleep on the queue.
 * Locking a free mutex is one compare-and-swap of 0 -> self, unlocking
 * one of self -> 0: no system call either way.
 *
 * A locker that finds the mutex held spins while the owner's LWP is on
 * a CPU (its lwpctl block's lc_curcpu >= 0: it will likely let go
 * soon), for PT_SPIN_BUDGET pauses at most, and otherwise sleeps
 * (parks): under the interlock it sets
 * WAITERS (so the owner's unlock takes the slow path), queues itself
 * and parks.  An unlock that sees WAITERS takes the first waiter off
 * the queue, frees the mutex (leaving WAITERS set if more wait) and
 * unparks it; the waiter then competes for the mutex again (a thread
 * that never slept may get it first, as in NetBSD: no convoys).
 *
 * Types: NORMAL relocking deadlocks (the thread sleeps on itself);
 * ERRORCHECK says EDEADLK; RECURSIVE counts (ptm_recursed).  Unlocking
 * a mutex one does not own is EPERM, whatever the type.  None of this
 * costs the fast paths anything but the recursion count's test.
 */
#include <sys/lab.h>

#include "pthread_int.h"

#define WAITERS		1UL
#define OWNER(o)	((pthread_t)((o) & ~WAITERS))

int
pthread_mutexattr_init(pthread_mutexattr_t *a)
{
	a->ptma_magic = _PT_MUTEXATTR_MAGIC;
	a->ptma_type = PTHREAD_MUTEX_DEFAULT;
	return 0;
}

int
pthread_mutexattr_destroy(pthread_mutexattr_t *a)
{
	if (a->ptma_magic != _PT_MUTEXATTR_MAGIC)
		return EINVAL;
	a->ptma_magic = ~_PT_MUTEXATTR_MAGIC;
	return 0;
}

int
pthread_mutexattr_settype(pthread_mutexattr_t *a, int type)
{
	if (a->ptma_magic != _PT_MUTEXATTR_MAGIC ||
	    (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_ERRORCHECK &&
	    type != PTHREAD_MUTEX_RECURSIVE))
		return EINVAL;
	a->ptma_type = type;
	return 0;
}

int
pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type)
{
	if (a->ptma_magic != _PT_MUTEXATTR_MAGIC)
		return EINVAL;
	*type = a->ptma_type;
	return 0;
}

int
pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	if (a != NULL && a->ptma_magic != _PT_MUTEXATTR_MAGIC)
		return EINVAL;
	*m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	if (a != NULL)
		m->ptm_type = a->ptma_type;
	return 0;
}

int
pthread_mutex_destroy(pthread_mutex_t *m)
{
	if (m->ptm_magic != _PT_MUTEX_MAGIC)
		return EINVAL;
	if (__atomic_load_n(&m->ptm_owner, __ATOMIC_RELAXED) != 0)
		return EBUSY;
	m->ptm_magic = ~_PT_MUTEX_MAGIC;
	return 0;
}

unsigned long pthread__mutex_spins;	/* pthread_int.h */

/*
 * Spin while `owner` (the mutex's owner word, as last seen) still holds
 * m and its LWP runs on a CPU (pthread__running: its lwpctl block's
 * lc_curcpu >= 0): it will likely let go soon, cheaper than a park and
 * an unpark.  Pause a little longer each time round (as NetBSD's
 * pthread__mutex_spin), and give up after PT_SPIN_BUDGET pauses in all.
 * An owner that is off its CPU is not waited for at all.  Pause with
 * pthread__spin_pause (it counts the pauses for the tests).  Returns
 * the owner word last seen: the caller compares it with what it
 * started from.
 */
static unsigned long __unused	/* (unused in the lab's skeleton) */
mutex_spin(pthread_mutex_t *m, unsigned long owner)
{
#if !LAB_STUB(umutex)
	pthread_t t = OWNER(owner);
	unsigned long now;
	int count = 2, spent = 0;

	for (;;) {
		if (!pthread__running(t) || spent >= PT_SPIN_BUDGET)
			return owner;
		pthread__spin_pause(count);
		spent += count;
		if (count < 128)
			count += count;
		now = __atomic_load_n(&m->ptm_owner, __ATOMIC_RELAXED);
		if (OWNER(now) != t)
			return now;
		owner = now;
	}
#else
	LAB_TODO(umutex, "mutex_spin");
#endif /* LAB umutex */
}

/*
 * pthread_mutex_lock's slow path, for a mutex that was not free (the
 * fast path's compare-and-swap failed).  Returns 0 with m held by self,
 * or an error:
 *   - relocking by the owner: RECURSIVE counts (ptm_recursed; EAGAIN
 *     when the count would wrap), ERRORCHECK says EDEADLK, NORMAL
 *     deadlocks (it sleeps on itself for ever, as POSIX allows);
 *   - otherwise, round and round: take the mutex if it is free (keeping
 *     WAITERS as it is); else, if the owner runs, spin (mutex_spin) and
 *     try again if it changed hands; else sleep: under the interlock,
 *     set WAITERS (unless it is free by now, or the bit is set already)
 *     and join ptm_waiters, drop the interlock, and park
 *     (pthread__park) until an unlock wakes us.
 * No wakeup may be lost: WAITERS is set, and we are on the queue,
 * before the interlock is dropped, and an unlock that sees WAITERS
 * takes the interlock before it looks at the queue.
 */
static int __noinline
mutex_lock_slow(pthread_mutex_t *m, pthread_t self)
{
#if !LAB_STUB(umutex)
	unsigned long owner = __atomic_load_n(&m->ptm_owner, __ATOMIC_RELAXED);

	if (OWNER(owner) == self) {
		switch (m->ptm_type) {
		case PTHREAD_MUTEX_RECURSIVE:
			if (m->ptm_recursed == ~0U)
				return EAGAIN;
			m->ptm_recursed++;
			return 0;
		case PTHREAD_MUTEX_ERRORCHECK:
			return EDEADLK;
		}
		/* NORMAL: deadlock, asleep on the queue below for ever. */
	}
	for (;;) {
		owner = __atomic_load_n(&m->ptm_owner, __ATOMIC_RELAXED);
		if (OWNER(owner) == NULL) {
			if (__atomic_compare_exchange_n(&m->ptm_owner, &owner,
			    (unsigned long)self | (owner & WAITERS), false,
			    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				return 0;
			continue;
		}
		if (OWNER(owner) != self && pthread__running(OWNER(owner)) &&
		    OWNER(mutex_spin(m, owner)) != OWNER(owner))
			continue;		/* it changed hands: try again */

		/* Sleep.  WAITERS is set under the interlock, with us on
		 * the queue before the interlock is dropped: the owner's
		 * unlock cannot miss us. */
		pthread__spin_lock(&m->ptm_interlock);
		owner = __atomic_load_n(&m->ptm_owner, __ATOMIC_RELAXED);
		if (OWNER(owner) == NULL || (!(owner & WAITERS) &&
		    !__atomic_compare_exchange_n(&m->ptm_owner, &owner,
		    owner | WAITERS, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))) {
			pthread__spin_unlock(&m->ptm_interlock);
			continue;
		}
		pthread__enqueue(&m->ptm_waiters, self);
		pthread__spin_unlock(&m->ptm_interlock);
		(void)pthread__park(self, CLOCK_MONOTONIC, NULL, m);
	}
#else
	LAB_TODO(umutex, "mutex_lock_slow");
#endif /* LAB umutex */
}

int
pthread_mutex_lock(pthread_mutex_t *m)
{
	pthread_t self = pthread__self_init();
	unsigned long free = 0;

	if (__predict_false(m->ptm_magic != _PT_MUTEX_MAGIC))
		return EINVAL;
	if (__predict_true(__atomic_compare_exchange_n(&m->ptm_owner, &free,
	    (unsigned long)self, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)))
		return 0;
	return mutex_lock_slow(m, self);
}

int
pthread_mutex_trylock(pthread_mutex_t *m)
{
	pthread_t self = pthread__self_init();
	unsigned long owner;

	if (m->ptm_magic != _PT_MUTEX_MAGIC)
		return EINVAL;
	owner = __atomic_load_n(&m->ptm_owner, __ATOMIC_RELAXED);
	while (OWNER(owner) == NULL)
		if (__atomic_compare_exchange_n(&m->ptm_owner, &owner,
		    (unsigned long)self | (owner & WAITERS), false,
		    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return 0;
	if (OWNER(owner) == self && m->ptm_type == PTHREAD_MUTEX_RECURSIVE) {
		if (m->ptm_recursed == ~0U)
			return EAGAIN;
		m->ptm_recursed++;
		return 0;
	}
	return EBUSY;
}

/*
 * pthread_mutex_unlock's slow path: self may not own m, m is recursed,
 * or threads may be waiting (WAITERS).  EPERM if self is not the
 * owner; a recursed mutex counts down.  Otherwise release it: without
 * WAITERS, one compare-and-swap to 0; with WAITERS, under the
 * interlock: take the first waiter off ptm_waiters, free the mutex
 * (the owner word becomes WAITERS if more wait, else 0), mark the
 * waiter woken (pthread__wake_prepare), drop the interlock, and unpark
 * its LWP.  The woken thread competes for the mutex again (a thread
 * that never slept may take it first: no convoys).
 */
static int __noinline
mutex_unlock_slow(pthread_mutex_t *m, pthread_t self)
{
#if !LAB_STUB(umutex)
	unsigned long owner = __atomic_load_n(&m->ptm_owner, __ATOMIC_RELAXED);
	pthread_t w;
	lwpid_t lid = 0;

	if (OWNER(owner) != self)
		return EPERM;
	if (m->ptm_recursed != 0) {
		m->ptm_recursed--;
		return 0;
	}
	if (!(owner & WAITERS) && __atomic_compare_exchange_n(&m->ptm_owner,
	    &owner, 0, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return 0;
	/* WAITERS: only we change the word now (others set WAITERS only
	 * while holding the interlock, or take a free mutex). */
	pthread__spin_lock(&m->ptm_interlock);
	w = pthread__queue_shift(&m->ptm_waiters);
	__atomic_store_n(&m->ptm_owner,
	    pthread__queue_empty(&m->ptm_waiters) ? 0 : WAITERS,
	    __ATOMIC_RELEASE);
	if (w != NULL)
		lid = pthread__wake_prepare(w);
	pthread__spin_unlock(&m->ptm_interlock);
	if (w != NULL)
		(void)pthread__unpark(lid, m);
	return 0;
#else
	LAB_TODO(umutex, "mutex_unlock_slow");
#endif /* LAB umutex */
}

int
pthread_mutex_unlock(pthread_mutex_t *m)
{
	pthread_t self = pthread__self_init();
	unsigned long mine = (unsigned long)self;

	if (__predict_false(m->ptm_magic != _PT_MUTEX_MAGIC))
		return EINVAL;
	if (__predict_true(m->ptm_recursed == 0 &&
	    __atomic_compare_exchange_n(&m->ptm_owner, &mine, 0, false,
	    __ATOMIC_RELEASE, __ATOMIC_RELAXED)))
		return 0;
	return mutex_unlock_slow(m, self);
}
