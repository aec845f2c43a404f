/*
 * pthread_rwlock.c: read/write locks, on the same pieces as mutexes.
 *
 * ptr_owner holds, in its low bits, HAS_WAITERS (someone sleeps on a
 * queue), WRITE_WANTED (a writer sleeps: new readers must wait, so
 * writers are not starved) and WRITE_LOCKED; above them either the
 * writer (its block's address) or the number of readers (in units of
 * READ_INCR).  Taking or dropping the lock without contention is one
 * compare-and-swap.
 *
 * Sleepers queue under the interlock (readers and writers apart) after
 * setting the bits, as mutex waiters do.  The last holder to let go
 * with HAS_WAITERS set hands the lock over directly, under the
 * interlock: to the first writer if one waits, else to every waiting
 * reader at once; the woken threads hold the lock when they wake.
 * A locker spins instead of sleeping while a writer holding the lock
 * runs on a CPU.
 *
 * timedrdlock/timedwrlock: a sleeper whose deadline (CLOCK_REALTIME,
 * absolute) passes takes the interlock and looks: handed the lock
 * meanwhile (pt_waiting 0), it keeps it and returns 0; else it leaves
 * its queue, clears the bits no sleeper needs any more (WRITE_WANTED
 * when no writer waits, HAS_WAITERS when nobody does) and returns
 * ETIMEDOUT.  Readers kept out only by a writer that gave up wake at
 * the next handoff.
 */
#include "pthread_int.h"

#define HAS_WAITERS	1UL
#define WRITE_WANTED	2UL
#define WRITE_LOCKED	4UL
#define READ_INCR	8UL
#define FLAGS		(HAS_WAITERS | WRITE_WANTED | WRITE_LOCKED)
#define WRITER(o)	((pthread_t)((o) & ~FLAGS))
#define NREADERS(o)	((o) / READ_INCR)

int
pthread_rwlockattr_init(pthread_rwlockattr_t *a)
{
	a->ptra_magic = _PT_RWLOCKATTR_MAGIC;
	return 0;
}

int
pthread_rwlockattr_destroy(pthread_rwlockattr_t *a)
{
	if (a->ptra_magic != _PT_RWLOCKATTR_MAGIC)
		return EINVAL;
	a->ptra_magic = ~_PT_RWLOCKATTR_MAGIC;
	return 0;
}

int
pthread_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *a)
{
	if (a != NULL && a->ptra_magic != _PT_RWLOCKATTR_MAGIC)
		return EINVAL;
	*rw = (pthread_rwlock_t)PTHREAD_RWLOCK_INITIALIZER;
	return 0;
}

int
pthread_rwlock_destroy(pthread_rwlock_t *rw)
{
	if (rw->ptr_magic != _PT_RWLOCK_MAGIC)
		return EINVAL;
	if (__atomic_load_n(&rw->ptr_owner, __ATOMIC_RELAXED) != 0)
		return EBUSY;
	rw->ptr_magic = ~_PT_RWLOCK_MAGIC;
	return 0;
}

/* Could a reader (writer) take the lock in state o? */
static bool
read_ok(unsigned long o)
{
	return (o & (WRITE_LOCKED | WRITE_WANTED)) == 0;
}

static bool
write_ok(unsigned long o)
{
	return (o & ~(HAS_WAITERS | WRITE_WANTED)) == 0;
}

/* Spin while a writer holds the lock and runs (PT_SPIN_BUDGET pauses
 * at most); the state last seen. */
static unsigned long
rw_spin(pthread_rwlock_t *rw, unsigned long o)
{
	for (int count = 2, spent = 0; (o & WRITE_LOCKED) &&
	    pthread__running(WRITER(o)) && spent < PT_SPIN_BUDGET;
	    spent += count) {
		for (int i = 0; i < count; i++)
			h_pause();
		if (count < 128)
			count += count;
		o = __atomic_load_n(&rw->ptr_owner, __ATOMIC_RELAXED);
	}
	return o;
}

/*
 * A timed-out sleeper (interlock held, self still queued): off the
 * queue, and the bits that said someone sleeps cleared if nobody does.
 */
static void
rwlock_give_up(pthread_rwlock_t *rw, pthread_t self, bool write)
{
	unsigned long o, n;

	(void)pthread__queue_remove(write ? &rw->ptr_wwaiters :
	    &rw->ptr_rwaiters, self);
	self->pt_waiting = 0;
	o = __atomic_load_n(&rw->ptr_owner, __ATOMIC_RELAXED);
	do {
		n = o;
		if (pthread__queue_empty(&rw->ptr_wwaiters))
			n &= ~WRITE_WANTED;
		if (pthread__queue_empty(&rw->ptr_wwaiters) &&
		    pthread__queue_empty(&rw->ptr_rwaiters))
			n &= ~HAS_WAITERS;
	} while (n != o && !__atomic_compare_exchange_n(&rw->ptr_owner, &o, n,
	    false, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
}

/* Lock for writing or reading; try: EBUSY rather than wait; abstime
 * (CLOCK_REALTIME; NULL: no limit): ETIMEDOUT once it has passed. */
static int
rwlock_lock(pthread_rwlock_t *rw, bool write, bool try,
    const struct timespec *abstime)
{
	pthread_t self = pthread__self_init();
	unsigned long o, want;
	bool ok;

	if (rw->ptr_magic != _PT_RWLOCK_MAGIC)
		return EINVAL;
	for (;;) {
		o = __atomic_load_n(&rw->ptr_owner, __ATOMIC_RELAXED);
		ok = write ? write_ok(o) : read_ok(o);
		if (ok) {
			want = write ? (unsigned long)self | WRITE_LOCKED |
			    (o & (HAS_WAITERS | WRITE_WANTED)) : o + READ_INCR;
			if (__atomic_compare_exchange_n(&rw->ptr_owner, &o, want,
			    false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				return 0;
			continue;
		}
		if ((o & WRITE_LOCKED) && WRITER(o) == self)
			return EDEADLK;
		if (try)
			return EBUSY;
		/* (POSIX: the time is checked only if the lock is busy.) */
		if (abstime != NULL && (abstime->tv_nsec < 0 ||
		    abstime->tv_nsec >= 1000000000))
			return EINVAL;
		if ((o & WRITE_LOCKED) && pthread__running(WRITER(o)) &&
		    rw_spin(rw, o) != o)
			continue;

		/* Sleep, with the bits that make the unlocker look. */
		pthread__spin_lock(&rw->ptr_interlock);
		o = __atomic_load_n(&rw->ptr_owner, __ATOMIC_RELAXED);
		want = o | HAS_WAITERS | (write ? WRITE_WANTED : 0);
		if ((write ? write_ok(o) : read_ok(o)) || (want != o &&
		    !__atomic_compare_exchange_n(&rw->ptr_owner, &o, want,
		    false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))) {
			pthread__spin_unlock(&rw->ptr_interlock);
			continue;
		}
		pthread__enqueue(write ? &rw->ptr_wwaiters : &rw->ptr_rwaiters,
		    self);
		pthread__spin_unlock(&rw->ptr_interlock);
		if (pthread__park(self, CLOCK_REALTIME, abstime, rw) == 0)
			return 0;	/* handed over: ours */
		pthread__spin_lock(&rw->ptr_interlock);
		if (!__atomic_load_n(&self->pt_waiting, __ATOMIC_ACQUIRE)) {
			/* Handed over just as the time ran out. */
			pthread__spin_unlock(&rw->ptr_interlock);
			return 0;
		}
		rwlock_give_up(rw, self, write);
		pthread__spin_unlock(&rw->ptr_interlock);
		return ETIMEDOUT;
	}
}

int
pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
	return rwlock_lock(rw, false, false, NULL);
}

int
pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
	return rwlock_lock(rw, false, true, NULL);
}

int
pthread_rwlock_timedrdlock(pthread_rwlock_t *rw,
    const struct timespec *__restrict abstime)
{
	return rwlock_lock(rw, false, false, abstime);
}

int
pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
	return rwlock_lock(rw, true, false, NULL);
}

int
pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
	return rwlock_lock(rw, true, true, NULL);
}

int
pthread_rwlock_timedwrlock(pthread_rwlock_t *rw,
    const struct timespec *__restrict abstime)
{
	return rwlock_lock(rw, true, false, abstime);
}

/*
 * The last holder lets go with HAS_WAITERS set: hand the lock to the
 * first waiting writer, or else to all waiting readers.  Nobody else
 * changes the word meanwhile: we still hold the lock, waiting writers
 * keep new readers out, and sleepers change it under the interlock.
 */
static void
rwlock_handoff(pthread_rwlock_t *rw)
{
	lwpid_t lids[64];
	unsigned long o;
	pthread_t w;
	size_t n = 0;
	int error;

	pthread__spin_lock(&rw->ptr_interlock);
	if ((w = pthread__queue_shift(&rw->ptr_wwaiters)) != NULL) {
		o = (unsigned long)w | WRITE_LOCKED;
		if (!pthread__queue_empty(&rw->ptr_wwaiters))
			o |= WRITE_WANTED | HAS_WAITERS;
		else if (!pthread__queue_empty(&rw->ptr_rwaiters))
			o |= HAS_WAITERS;
		__atomic_store_n(&rw->ptr_owner, o, __ATOMIC_RELEASE);
		lids[n++] = pthread__wake_prepare(w);
	} else {
		/* Every reader: count them in first. */
		o = 0;
		for (w = rw->ptr_rwaiters.ptq_first; w != NULL; w = w->pt_next)
			o += READ_INCR;
		__atomic_store_n(&rw->ptr_owner, o, __ATOMIC_RELEASE);
		while (n < __arraycount(lids) &&
		    (w = pthread__queue_shift(&rw->ptr_rwaiters)) != NULL)
			lids[n++] = pthread__wake_prepare(w);
	}
	pthread__spin_unlock(&rw->ptr_interlock);
	if (n > 0)
		H_SYSCALL(SYS__lwp_unpark_all, lids, n, NULL, 0, 0, 0, &error);
	/* More than 64 readers: the rest already hold the lock (counted
	 * above); wake them too. */
	if (n == __arraycount(lids))
		pthread__wake_queue(&rw->ptr_rwaiters, &rw->ptr_interlock);
}

int
pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	pthread_t self = pthread__self_init();
	unsigned long o;

	if (rw->ptr_magic != _PT_RWLOCK_MAGIC)
		return EINVAL;
	o = __atomic_load_n(&rw->ptr_owner, __ATOMIC_RELAXED);
	if (o & WRITE_LOCKED) {
		if (WRITER(o) != self)
			return EPERM;
		if (!(o & HAS_WAITERS) && __atomic_compare_exchange_n(
		    &rw->ptr_owner, &o, 0, false, __ATOMIC_RELEASE,
		    __ATOMIC_RELAXED))
			return 0;
		rwlock_handoff(rw);	/* (only we change it: see there) */
		return 0;
	}
	for (;;) {
		if (NREADERS(o) == 0)
			return EPERM;		/* not locked */
		if (NREADERS(o) == 1 && (o & HAS_WAITERS)) {
			rwlock_handoff(rw);	/* the last reader */
			return 0;
		}
		if (__atomic_compare_exchange_n(&rw->ptr_owner, &o,
		    o - READ_INCR, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			return 0;
	}
}
