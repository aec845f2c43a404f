/*
 * lock.c: libc's lock (struct __libc_lock, local.h): malloc and stdio
 * take it, so LWPs can share them with or without libpthread.
 *
 * The fast paths (local.h) are one compare-and-swap each.  A locker
 * that finds the lock held spins a little (the holder is probably on
 * another CPU and nearly done), then queues a node on its own stack and
 * parks.  An unlock that sees waiters (the word is 2) frees the lock
 * and unparks the first; that one then competes for the lock again,
 * marking it "maybe waiters" (2) whatever it finds, so that the next
 * unlock looks at the queue too (the futex mutex of Drepper's "Futexes
 * Are Tricky", with a queue instead of a futex).  A lock free between
 * holders lets a running thread take it at once, instead of waiting
 * for the wakeup of a parked one (a hand-off would make every holder
 * wait for a wakeup under contention: a convoy).  The queue has a
 * spin lock of its own, held for a few instructions only.
 *
 * An unpark is never lost (docs/lwp.md): if it comes before the park,
 * the park returns at once.  A park may also return for nothing (an
 * unpark meant for an earlier wait, EINTR): the waiter parks again
 * until its node says it was woken.
 */
#include <errno.h>
#include <lwp.h>
#include <sched.h>
#include <time.h>

#include "h_md.h"		/* h_pause */
#include "local.h"

#define SPINS		200	/* tries before queueing */
#define QSPINS		1000	/* queue lock: pauses before yielding */

struct __libc_lwaiter {
	struct __libc_lwaiter *next;
	lwpid_t		lid;
	volatile int	waiting;	/* 1 until woken */
};

static void
qlock(struct __libc_lock *l)
{
	int n = 0;

	while (__atomic_exchange_n(&l->lk_qlock, 1, __ATOMIC_ACQUIRE) != 0)
		while (__atomic_load_n(&l->lk_qlock, __ATOMIC_RELAXED) != 0) {
			if (++n < QSPINS)
				h_pause();
			else
				(void)sched_yield();	/* holder preempted */
		}
}

static void
qunlock(struct __libc_lock *l)
{
	__atomic_store_n(&l->lk_qlock, 0, __ATOMIC_RELEASE);
}

void
__libc_lock_slow(struct __libc_lock *l)
{
	struct __libc_lwaiter w;
	int saved = errno, free;

	for (int i = 0; i < SPINS; i++) {
		free = 0;
		if (__atomic_load_n(&l->lk_word, __ATOMIC_RELAXED) == 0 &&
		    __atomic_compare_exchange_n(&l->lk_word, &free, 1, false,
		    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			goto out;
		h_pause();
	}
	w.lid = _lwp_self();
	for (;;) {
		qlock(l);
		/* "Held, maybe waiters" from now on: the unlocker comes to
		 * the queue, which it cannot read before we are on it. */
		if (__atomic_exchange_n(&l->lk_word, 2, __ATOMIC_ACQUIRE) == 0) {
			qunlock(l);		/* it was free: ours */
			goto out;
		}
		w.next = NULL;
		w.waiting = 1;
		if (l->lk_tail != NULL)
			l->lk_tail->next = &w;
		else
			l->lk_head = &w;
		l->lk_tail = &w;
		qunlock(l);
		while (__atomic_load_n(&w.waiting, __ATOMIC_ACQUIRE))
			(void)_lwp_park(CLOCK_MONOTONIC, 0, NULL, 0, &w, NULL);
	}
out:
	errno = saved;
}

void
__libc_unlock_slow(struct __libc_lock *l)
{
	struct __libc_lwaiter *w;
	int saved = errno;
	lwpid_t lid = 0;

	qlock(l);
	__atomic_store_n(&l->lk_word, 0, __ATOMIC_RELEASE);
	if ((w = l->lk_head) != NULL) {
		if ((l->lk_head = w->next) == NULL)
			l->lk_tail = NULL;
		/* Its node lives on its stack: read the lid before letting
		 * it go. */
		lid = w->lid;
		__atomic_store_n(&w->waiting, 0, __ATOMIC_RELEASE);
	}
	qunlock(l);
	if (w != NULL)
		(void)_lwp_unpark(lid, NULL);
	errno = saved;
}
