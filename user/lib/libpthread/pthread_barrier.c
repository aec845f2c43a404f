/*
 * pthread_barrier.c: barriers.  The first count - 1 arrivals queue and
 * park; the last takes the whole queue off (so that the next round
 * starts empty at once), wakes them, and is the one that returns
 * PTHREAD_BARRIER_SERIAL_THREAD.
 */
#include "pthread_int.h"

int
pthread_barrierattr_init(pthread_barrierattr_t *a)
{
	a->ptba_magic = _PT_BARRIERATTR_MAGIC;
	return 0;
}

int
pthread_barrierattr_destroy(pthread_barrierattr_t *a)
{
	if (a->ptba_magic != _PT_BARRIERATTR_MAGIC)
		return EINVAL;
	a->ptba_magic = ~_PT_BARRIERATTR_MAGIC;
	return 0;
}

int
pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a,
    unsigned int count)
{
	if ((a != NULL && a->ptba_magic != _PT_BARRIERATTR_MAGIC) || count == 0)
		return EINVAL;
	b->ptb_magic = _PT_BARRIER_MAGIC;
	b->ptb_interlock = 0;
	b->ptb_initcount = count;
	b->ptb_curcount = 0;
	b->ptb_waiters.ptq_first = b->ptb_waiters.ptq_last = NULL;
	return 0;
}

int
pthread_barrier_destroy(pthread_barrier_t *b)
{
	int error = 0;

	if (b->ptb_magic != _PT_BARRIER_MAGIC)
		return EINVAL;
	pthread__spin_lock(&b->ptb_interlock);
	if (b->ptb_curcount != 0)
		error = EBUSY;
	else
		b->ptb_magic = ~_PT_BARRIER_MAGIC;
	pthread__spin_unlock(&b->ptb_interlock);
	return error;
}

int
pthread_barrier_wait(pthread_barrier_t *b)
{
	pthread_t self = pthread__self_init(), w, next;
	lwpid_t lids[64];
	size_t n = 0;
	int error;

	if (b->ptb_magic != _PT_BARRIER_MAGIC)
		return EINVAL;
	pthread__spin_lock(&b->ptb_interlock);
	if (++b->ptb_curcount < b->ptb_initcount) {
		pthread__enqueue(&b->ptb_waiters, self);
		pthread__spin_unlock(&b->ptb_interlock);
		(void)pthread__park(self, CLOCK_MONOTONIC, NULL, b);
		return 0;
	}
	/* The last: this round's waiters are ours alone now.  (Nobody
	 * leaves the queue but by our hand: no timeouts here.) */
	w = b->ptb_waiters.ptq_first;
	b->ptb_waiters.ptq_first = b->ptb_waiters.ptq_last = NULL;
	b->ptb_curcount = 0;
	pthread__spin_unlock(&b->ptb_interlock);
	for (; w != NULL; w = next) {
		next = w->pt_next;		/* before w may go */
		lids[n++] = pthread__wake_prepare(w);
		if (n == __arraycount(lids) || next == NULL) {
			H_SYSCALL(SYS__lwp_unpark_all, lids, n, NULL, 0, 0, 0,
			    &error);
			n = 0;
		}
	}
	return PTHREAD_BARRIER_SERIAL_THREAD;
}
