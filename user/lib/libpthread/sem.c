/*
 * sem.c: unnamed semaphores.  sem_count is the value.  sem_trywait and
 * sem_wait take a unit with a compare-and-swap when there is one.  A
 * waiter that finds none queues (under the interlock, having looked at
 * the count again there) and parks; sem_post, under the interlock,
 * hands its unit straight to the first waiter if there is one (the
 * count stays 0) and adds it to the count otherwise.  A timed waiter
 * that times out takes itself off the queue, unless a post took it off
 * first: then the unit is its and sem_timedwait succeeds.
 */
#include <semaphore.h>

#include "pthread_int.h"

static int
fail(int error)
{
	errno = error;
	return -1;
}

int
sem_init(sem_t *s, int pshared, unsigned int value)
{
	if (value > SEM_VALUE_MAX)
		return fail(EINVAL);
	if (pshared != 0)
		return fail(ENOSYS);	/* no process-shared semaphores */
	s->sem_magic = _PT_SEM_MAGIC;
	s->sem_interlock = 0;
	s->sem_count = value;
	s->sem_waiters.ptq_first = s->sem_waiters.ptq_last = NULL;
	return 0;
}

int
sem_destroy(sem_t *s)
{
	if (s->sem_magic != _PT_SEM_MAGIC)
		return fail(EINVAL);
	if (!pthread__queue_empty(&s->sem_waiters))
		return fail(EBUSY);
	s->sem_magic = ~_PT_SEM_MAGIC;
	return 0;
}

/* Take a unit if there is one. */
static bool
sem_take(sem_t *s)
{
	unsigned int c = __atomic_load_n(&s->sem_count, __ATOMIC_RELAXED);

	while (c > 0)
		if (__atomic_compare_exchange_n(&s->sem_count, &c, c - 1, false,
		    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
	return false;
}

static int
sem_wait1(sem_t *s, const struct timespec *abstime)
{
	pthread_t self;
	int error;

	if (s->sem_magic != _PT_SEM_MAGIC)
		return fail(EINVAL);
	self = pthread__self_init();
	if (pthread__cancel_wanted(self))	/* a cancellation point */
		pthread__cancelled();
	if (sem_take(s))
		return 0;
	if (abstime != NULL &&
	    (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000))
		return fail(EINVAL);
	pthread__spin_lock(&s->sem_interlock);
	if (sem_take(s)) {
		pthread__spin_unlock(&s->sem_interlock);
		return 0;
	}
	pthread__enqueue(&s->sem_waiters, self);
	pthread__spin_unlock(&s->sem_interlock);
	self->pt_cancelpoint = 1;
	error = pthread__park(self, CLOCK_REALTIME, abstime, s);
	self->pt_cancelpoint = 0;
	if (error == ETIMEDOUT || error == ECANCELED) {
		pthread__spin_lock(&s->sem_interlock);
		if (self->pt_waiting) {
			(void)pthread__queue_remove(&s->sem_waiters, self);
			self->pt_waiting = 0;
		} else
			error = 0;	/* a post's unit came with the time */
		pthread__spin_unlock(&s->sem_interlock);
	}
	if (error == ECANCELED)
		pthread__cancelled();
	return error != 0 ? fail(error) : 0;
}

int
sem_wait(sem_t *s)
{
	return sem_wait1(s, NULL);
}

int
sem_timedwait(sem_t *s, const struct timespec *abstime)
{
	return sem_wait1(s, abstime);
}

int
sem_trywait(sem_t *s)
{
	if (s->sem_magic != _PT_SEM_MAGIC)
		return fail(EINVAL);
	return sem_take(s) ? 0 : fail(EAGAIN);
}

int
sem_post(sem_t *s)
{
	pthread_t w;
	lwpid_t lid = 0;

	if (s->sem_magic != _PT_SEM_MAGIC)
		return fail(EINVAL);
	pthread__spin_lock(&s->sem_interlock);
	if ((w = pthread__queue_shift(&s->sem_waiters)) != NULL)
		lid = pthread__wake_prepare(w);
	else if (__atomic_load_n(&s->sem_count, __ATOMIC_RELAXED) ==
	    SEM_VALUE_MAX) {
		pthread__spin_unlock(&s->sem_interlock);
		return fail(EOVERFLOW);
	} else
		__atomic_add_fetch(&s->sem_count, 1, __ATOMIC_RELEASE);
	pthread__spin_unlock(&s->sem_interlock);
	if (w != NULL)
		(void)pthread__unpark(lid, s);
	return 0;
}

int
sem_getvalue(sem_t *s, int *valp)
{
	if (s->sem_magic != _PT_SEM_MAGIC)
		return fail(EINVAL);
	*valp = (int)__atomic_load_n(&s->sem_count, __ATOMIC_RELAXED);
	return 0;
}

/*
 * Named semaphores need semaphores the kernel keeps by name (NetBSD's
 * _ksem_* calls), which lwpkern does not have: say so with ENOSYS.
 */
sem_t *
sem_open(const char *name, int oflag, ...)
{
	errno = ENOSYS;
	return SEM_FAILED;
}

int
sem_close(sem_t *s)
{
	return fail(ENOSYS);
}

int
sem_unlink(const char *name)
{
	return fail(ENOSYS);
}
