/*
 * sem.c: semaphores.  Named ones (sem_open) are the kernel's: their
 * sem_t, from malloc, is marked _PT_SEM_MAGIC_NAMED and holds the id
 * _ksem_open gave (a descriptor; uipc_sem.c), and every function below
 * hands them to the matching _ksem_* call, as NetBSD's sem.c does.
 *
 * Unnamed ones stay in user space.  sem_count is the value.  sem_trywait and
 * sem_wait take a unit with a compare-and-swap when there is one.  A
 * waiter that finds none queues (under the interlock, having looked at
 * the count again there) and parks; sem_post, under the interlock,
 * hands its unit straight to the first waiter if there is one (the
 * count stays 0) and adds it to the count otherwise.  A timed waiter
 * that times out takes itself off the queue, unless a post took it off
 * first: then the unit is its and sem_timedwait succeeds.
 */
#define _LIBC			/* the _ksem_* declarations */
#include <sys/ksem.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdlib.h>

#include "pthread_int.h"

#define SEM_NAMED(s)	((s)->sem_magic == _PT_SEM_MAGIC_NAMED)

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
	if (s->sem_magic != _PT_SEM_MAGIC)	/* a named one too */
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

/* A named semaphore's wait: the kernel's, a cancellation point too
 * (before it sleeps, and when a cancel interrupted it: EINTR). */
static int
sem_wait_named(pthread_t self, sem_t *s, const struct timespec *abstime)
{
	int rv;

	rv = abstime != NULL ? _ksem_timedwait(s->sem_ksemid, abstime) :
	    _ksem_wait(s->sem_ksemid);
	if (rv == -1 && errno == EINTR && pthread__cancel_wanted(self))
		pthread__cancelled();
	return rv;
}

static int
sem_wait1(sem_t *s, const struct timespec *abstime)
{
	pthread_t self;
	int error;

	if (s->sem_magic != _PT_SEM_MAGIC && !SEM_NAMED(s))
		return fail(EINVAL);
	self = pthread__self_init();
	if (pthread__cancel_wanted(self))	/* a cancellation point */
		pthread__cancelled();
	if (SEM_NAMED(s))
		return sem_wait_named(self, s, abstime);
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
	if (SEM_NAMED(s))
		return _ksem_trywait(s->sem_ksemid);
	if (s->sem_magic != _PT_SEM_MAGIC)
		return fail(EINVAL);
	return sem_take(s) ? 0 : fail(EAGAIN);
}

int
sem_post(sem_t *s)
{
	pthread_t w;
	lwpid_t lid = 0;

	if (SEM_NAMED(s))
		return _ksem_post(s->sem_ksemid);
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
	if (SEM_NAMED(s))
		return _ksem_getvalue(s->sem_ksemid, valp);
	if (s->sem_magic != _PT_SEM_MAGIC)
		return fail(EINVAL);
	*valp = (int)__atomic_load_n(&s->sem_count, __ATOMIC_RELAXED);
	return 0;
}

/*
 * sem_open(name, oflag[, mode, value]): the kernel finds or makes the
 * semaphore (O_CREAT, O_EXCL: its errors are ours) and gives a new id
 * each time; it goes into a sem_t of its own.  (POSIX would have a
 * second sem_open of the same name return the same sem_t; NetBSD's
 * does not either: each is closed with sem_close of its own.)
 */
sem_t *
sem_open(const char *name, int oflag, ...)
{
	unsigned int value = 0;
	mode_t mode = 0;
	intptr_t id;
	va_list ap;
	sem_t *s;

	if (oflag & O_CREAT) {
		va_start(ap, oflag);
		mode = (mode_t)va_arg(ap, int);
		value = va_arg(ap, unsigned int);
		va_end(ap);
	}
	if (_ksem_open(name, oflag, mode, value, &id) == -1)
		return SEM_FAILED;
	if ((s = malloc(sizeof(*s))) == NULL) {
		(void)_ksem_close(id);
		errno = ENOSPC;		/* NetBSD's answer */
		return SEM_FAILED;
	}
	s->sem_magic = _PT_SEM_MAGIC_NAMED;
	s->sem_ksemid = id;
	return s;
}

/* sem_close(s): a named semaphore from sem_open (EINVAL otherwise);
 * the semaphore stays while its name is linked. */
int
sem_close(sem_t *s)
{
	int rv;

	if (!SEM_NAMED(s))
		return fail(EINVAL);
	rv = _ksem_close(s->sem_ksemid);
	s->sem_magic = 0;
	free(s);
	return rv;
}

int
sem_unlink(const char *name)
{
	return _ksem_unlink(name);
}
