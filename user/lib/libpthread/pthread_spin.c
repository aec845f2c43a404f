/*
 * pthread_spin.c: spin locks, which never sleep: test and
 * test-and-set, pausing.  After a long spin the waiter yields its CPU
 * (a holder that was preempted cannot let go until it runs again: with
 * one CPU, pure spinning would wait out the whole time slice).  Being
 * plain memory, they work between processes too (MAP_SHARED memory).
 */
#include "pthread_int.h"

int
pthread_spin_init(pthread_spinlock_t *s, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE &&
	    pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	s->pts_magic = _PT_SPINLOCK_MAGIC;
	s->pts_lock = 0;
	return 0;
}

int
pthread_spin_destroy(pthread_spinlock_t *s)
{
	if (s->pts_magic != _PT_SPINLOCK_MAGIC)
		return EINVAL;
	if (__atomic_load_n(&s->pts_lock, __ATOMIC_RELAXED) != 0)
		return EBUSY;
	s->pts_magic = ~_PT_SPINLOCK_MAGIC;
	return 0;
}

int
pthread_spin_lock(pthread_spinlock_t *s)
{
	if (s->pts_magic != _PT_SPINLOCK_MAGIC)
		return EINVAL;
	pthread__spin_lock(&s->pts_lock);
	return 0;
}

int
pthread_spin_trylock(pthread_spinlock_t *s)
{
	if (s->pts_magic != _PT_SPINLOCK_MAGIC)
		return EINVAL;
	if (__atomic_load_n(&s->pts_lock, __ATOMIC_RELAXED) != 0 ||
	    __atomic_exchange_n(&s->pts_lock, 1, __ATOMIC_ACQUIRE) != 0)
		return EBUSY;
	return 0;
}

int
pthread_spin_unlock(pthread_spinlock_t *s)
{
	if (s->pts_magic != _PT_SPINLOCK_MAGIC)
		return EINVAL;
	if (__atomic_load_n(&s->pts_lock, __ATOMIC_RELAXED) == 0)
		return EPERM;			/* not locked */
	pthread__spin_unlock(&s->pts_lock);
	return 0;
}
