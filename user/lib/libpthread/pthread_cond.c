/*
 * pthread_cond.c: condition variables.
 *
 * A waiter queues itself under the condvar's interlock, then unlocks
 * the mutex and parks until a signal takes it off the queue (clearing
 * its pt_waiting) and unparks it; it then locks the mutex again.
 * Queueing before unlocking is what makes a signal sent by the mutex's
 * next holder find it.  broadcast takes every waiter off and unparks
 * them with one _lwp_unpark_all (per 64).
 *
 * timedwait: at the deadline the waiter takes itself off the queue
 * and returns ETIMEDOUT, unless a signal took it off first: then the
 * signal was meant for it and it returns 0 (a signal is never lost on
 * a waiter that timed out).
 *
 * Both waits are cancellation points: a cancel pending on entry, or
 * arriving while parked (pthread__park's ECANCELED), takes the waiter
 * off the queue (unless a signal took it off first: then it returns
 * with that signal, the cancel still pending), relocks the mutex, and
 * exits (cleanup handlers see the mutex held, as POSIX says).
 */
#include "pthread_int.h"

int
pthread_condattr_init(pthread_condattr_t *a)
{
	a->ptca_magic = _PT_CONDATTR_MAGIC;
	a->ptca_clock = CLOCK_REALTIME;
	return 0;
}

int
pthread_condattr_destroy(pthread_condattr_t *a)
{
	if (a->ptca_magic != _PT_CONDATTR_MAGIC)
		return EINVAL;
	a->ptca_magic = ~_PT_CONDATTR_MAGIC;
	return 0;
}

int
pthread_condattr_setclock(pthread_condattr_t *a, clockid_t clock)
{
	if (a->ptca_magic != _PT_CONDATTR_MAGIC ||
	    (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC))
		return EINVAL;
	a->ptca_clock = clock;
	return 0;
}

int
pthread_condattr_getclock(const pthread_condattr_t *a, clockid_t *clock)
{
	if (a->ptca_magic != _PT_CONDATTR_MAGIC)
		return EINVAL;
	*clock = a->ptca_clock;
	return 0;
}

int
pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
	if (a != NULL && a->ptca_magic != _PT_CONDATTR_MAGIC)
		return EINVAL;
	*c = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
	if (a != NULL)
		c->ptc_clock = a->ptca_clock;
	return 0;
}

int
pthread_cond_destroy(pthread_cond_t *c)
{
	if (c->ptc_magic != _PT_COND_MAGIC)
		return EINVAL;
	if (!pthread__queue_empty(&c->ptc_waiters))
		return EBUSY;
	c->ptc_magic = ~_PT_COND_MAGIC;
	return 0;
}

static int
cond_wait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	pthread_t self = pthread__self_init();
	unsigned int recursed;
	int error;

	if (c->ptc_magic != _PT_COND_MAGIC || m->ptm_magic != _PT_MUTEX_MAGIC)
		return EINVAL;
	if (abstime != NULL &&
	    (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000))
		return EINVAL;
	if ((pthread_t)(m->ptm_owner & ~1UL) != self)
		return EPERM;
	if (pthread__cancel_wanted(self))
		pthread__cancelled();

	pthread__spin_lock(&c->ptc_interlock);
	pthread__enqueue(&c->ptc_waiters, self);
	pthread__spin_unlock(&c->ptc_interlock);

	/* All the way: a recursive mutex is unlocked whatever its count,
	 * and gets the count back. */
	recursed = m->ptm_recursed;
	m->ptm_recursed = 0;
	(void)pthread_mutex_unlock(m);

	self->pt_cancelpoint = 1;
	error = pthread__park(self, c->ptc_clock, abstime, c);
	self->pt_cancelpoint = 0;
	if (error == ETIMEDOUT || error == ECANCELED) {
		pthread__spin_lock(&c->ptc_interlock);
		if (self->pt_waiting) {
			(void)pthread__queue_remove(&c->ptc_waiters, self);
			self->pt_waiting = 0;
		} else
			error = 0;	/* signalled meanwhile: take it */
		pthread__spin_unlock(&c->ptc_interlock);
	}

	(void)pthread_mutex_lock(m);
	m->ptm_recursed = recursed;
	if (error == ECANCELED)
		pthread__cancelled();
	return error;
}

int
pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return cond_wait(c, m, NULL);
}

int
pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
    const struct timespec *abstime)
{
	if (abstime == NULL)
		return EINVAL;
	return cond_wait(c, m, abstime);
}

int
pthread_cond_signal(pthread_cond_t *c)
{
	pthread_t w;
	lwpid_t lid = 0;

	if (c->ptc_magic != _PT_COND_MAGIC)
		return EINVAL;
	if (pthread__queue_empty(&c->ptc_waiters))
		return 0;			/* nobody: no locking */
	pthread__spin_lock(&c->ptc_interlock);
	if ((w = pthread__queue_shift(&c->ptc_waiters)) != NULL)
		lid = pthread__wake_prepare(w);
	pthread__spin_unlock(&c->ptc_interlock);
	if (w != NULL)
		(void)pthread__unpark(lid, c);
	return 0;
}

int
pthread_cond_broadcast(pthread_cond_t *c)
{
	if (c->ptc_magic != _PT_COND_MAGIC)
		return EINVAL;
	if (!pthread__queue_empty(&c->ptc_waiters))
		pthread__wake_queue(&c->ptc_waiters, &c->ptc_interlock);
	return 0;
}
