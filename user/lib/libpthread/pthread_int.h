/*
 * pthread_int.h: libpthread's insides: the thread block, the waiting
 * queues, the interlocks, and system calls that leave errno alone.
 * docs/pthread.md describes the design.
 */
#ifndef _PTHREAD_INT_H_
#define _PTHREAD_INT_H_

#include <sys/lwpctl.h>
#include <sys/syscall.h>
#include <errno.h>
#include <lwp.h>
#include <sched.h>
#include <stddef.h>
#include <time.h>

#include "h_md.h"		/* h_pause, H_SYSCALL */
#include "pthread.h"

#define PT_MAGIC	0x11110001	/* pt_magic of a thread block */
#define PT_STACK_DEFAULT (256 * 1024)	/* each thread's, unless the attr */
#define PT_PAGE		4096
#define PT_SPINS	1000	/* interlock: pauses before a yield */
/*
 * Spinning on a running owner stops after this many pauses anyway
 * (about the instructions a park and an unpark cost: spinning longer
 * cannot win much).  The owner may "run" and yet make no progress: a
 * virtual CPU the host does not run, or QEMU's -icount, which runs its
 * CPUs in turns, each for a long slice.
 */
#define PT_SPIN_BUDGET	2048

enum { PT_STATE_RUNNING, PT_STATE_ZOMBIE, PT_STATE_DEAD };

/*
 * A thread.  The block is the thread's TLS: its LWP's %fs base
 * (_lwp_setprivate) points here, so %fs:0 (pt_self) is pthread_self()
 * in one instruction, and %fs:8 (pt_errno) is what libc's __errno()
 * returns (the ABI <errno.h> describes).  A created thread's block sits
 * at the top of its own mapping, above its stack and a guard page;
 * the first thread's is static.  Blocks are never freed while the
 * program runs (they are recycled): others may look at a block (a
 * mutex's owner) at any time.
 */
struct __pthread_st {
	struct __pthread_st *pt_self;	/* %fs:0: this block */
	int		pt_errno;	/* %fs:8: this thread's errno */
	unsigned int	pt_magic;	/* PT_MAGIC */
	lwpid_t		pt_lid;		/* its LWP (_lwp_create writes it
					   before the LWP starts) */
	lwpctl_t	*pt_lwpctl;	/* its LWP's lwpctl block (spin or not) */

	/* Waiting on a mutex, condvar, rwlock, barrier or semaphore: on
	 * that object's queue (pt_next) with pt_waiting 1, which the waker
	 * clears (under the object's interlock) before _lwp_unpark. */
	volatile int	pt_waiting;
	struct __pthread_st *pt_next;

	/* The life cycle, under pt_lock. */
	volatile int	pt_lock;	/* interlock */
	int		pt_state;	/* PT_STATE_* */
	int		pt_detached;
	struct __pthread_st *pt_joiner;
	void		*pt_retval;
	/* 1 once the LWP has executed its last user instruction but the
	 * `syscall` of _lwp_exit: its stack may go. */
	volatile int	pt_exited;

	void		*(*pt_func)(void *);
	void		*pt_arg;
	char		*pt_map;	/* guard page + stack + this block */
	size_t		pt_mapsize;
	size_t		pt_stacksize;
	struct __pthread_st *pt_allnext, *pt_allprev; /* live threads */
	struct __pthread_st *pt_deadnext;	/* the dead queue */

	/* Cancellation: pt_cancel is set (atomically) by pthread_cancel;
	 * the rest is the thread's own, pt_cancelstate written atomically
	 * (pthread_cancel reads it).  pt_cancelpoint: it is parked in a
	 * cancellation point, so pthread__park returns ECANCELED when a
	 * cancel comes (pthread_cancel wakes it, _lwp_wakeup). */
	volatile int	pt_cancel;
	int		pt_cancelstate;	/* PTHREAD_CANCEL_ENABLE/DISABLE */
	int		pt_cancelpoint;
	struct pthread__cleanup *pt_cleanup;	/* handlers, last first */

	int		pt_havespecific;
	void		*pt_specific[PTHREAD_KEYS_MAX];
	char		pt_name[PTHREAD_MAX_NAMELEN_NP];
};

_Static_assert(offsetof(struct __pthread_st, pt_self) == 0, "%fs:0");
_Static_assert(offsetof(struct __pthread_st, pt_errno) == 8,
    "<errno.h>: errno at %fs:8");

/* A cleanup handler, in the caller's struct pthread_cleanup_store. */
struct pthread__cleanup {
	void		(*ptc_routine)(void *);
	void		*ptc_arg;
	struct pthread__cleanup *ptc_next;
};

/* pthread.c */
extern int		pthread__started;
extern lwpctl_t		pthread__lwpctl_none;
extern pthread_mutex_t	pthread__alllock;
extern struct __pthread_st *pthread__allthreads;
void	pthread__init(void);
void	pthread__destroy_specific(pthread_t);
void	pthread__spin_lock_slow(volatile int *);
int	pthread__park(pthread_t, clockid_t, const struct timespec *,
	    const void *);
void	pthread__wake_queue(struct __pthread_queue *, volatile int *);
bool	pthread__cancel_wanted(pthread_t);
__dead void pthread__cancelled(void);

/* libc's (user/lib/libc/cancel.c): what its blocking calls run to be
 * cancellation points; pthread__init sets it. */
extern void (*__libc_cancel_hook)(void);
extern void (*__libc_fork_child_hook)(void);	/* libc's fork (sys.c) */

/* The calling thread: its block is at %fs:0.  (volatile: it must not
 * be read before pthread__init has set %fs.) */
static inline pthread_t
pthread__self(void)
{
	pthread_t t;

	__asm volatile("movq %%fs:0, %0" : "=r" (t));
	return t;
}

/* The same, starting the library first if no thread has yet. */
static inline pthread_t
pthread__self_init(void)
{
	if (__predict_false(!__atomic_load_n(&pthread__started,
	    __ATOMIC_RELAXED)))
		pthread__init();
	return pthread__self();
}

/* Is thread t's LWP on a CPU right now? */
static inline bool
pthread__running(pthread_t t)
{
	return t->pt_lwpctl->lc_curcpu >= 0;
}

/*
 * Wait n pauses while spinning for a mutex (mutex_spin), counting them in
 * pthread__mutex_spins, which tests read: a locker whose mutex's owner is
 * off its CPU must not spin at all.  (lwpkern's, not NetBSD's.)
 */
extern unsigned long pthread__mutex_spins;

static inline void
pthread__spin_pause(int n)
{
	for (int i = 0; i < n; i++)
		h_pause();
	__atomic_add_fetch(&pthread__mutex_spins, (unsigned long)n,
	    __ATOMIC_RELAXED);
}

/* ---- interlocks: spin locks guarding the waiting queues, held for a
 * few instructions (never across a system call but _lwp_unpark's). ---- */
static inline void
pthread__spin_lock(volatile int *l)
{
	if (__predict_false(__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE) != 0))
		pthread__spin_lock_slow(l);
}

static inline void
pthread__spin_unlock(volatile int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

/* ---- waiting queues (under the object's interlock) ---- */
static inline void
pthread__queue_append(struct __pthread_queue *q, pthread_t t)
{
	t->pt_next = NULL;
	if (q->ptq_last != NULL)
		q->ptq_last->pt_next = t;
	else
		q->ptq_first = t;
	q->ptq_last = t;
}

static inline pthread_t
pthread__queue_shift(struct __pthread_queue *q)
{
	pthread_t t = q->ptq_first;

	if (t != NULL && (q->ptq_first = t->pt_next) == NULL)
		q->ptq_last = NULL;
	return t;
}

static inline bool
pthread__queue_empty(const struct __pthread_queue *q)
{
	return __atomic_load_n(&q->ptq_first, __ATOMIC_RELAXED) == NULL;
}

/* Take t off q; false if it was not there. */
static inline bool
pthread__queue_remove(struct __pthread_queue *q, pthread_t t)
{
	pthread_t *pp, prev = NULL;

	for (pp = &q->ptq_first; *pp != NULL; prev = *pp, pp = &(*pp)->pt_next)
		if (*pp == t) {
			*pp = t->pt_next;
			if (q->ptq_last == t)
				q->ptq_last = prev;
			return true;
		}
	return false;
}

/* Put t in the queue (interlock held) to wait: pthread__park then
 * sleeps until a waker says so (pthread__wake_one/_queue). */
static inline void
pthread__enqueue(struct __pthread_queue *q, pthread_t t)
{
	t->pt_waiting = 1;
	pthread__queue_append(q, t);
}

/* ---- system calls leave errno be (the pthread_* functions must not
 * change it): H_SYSCALL (h_md.h) returns the error number ---- */
static inline int
pthread__unpark(lwpid_t lid, const void *hint)
{
	int error;

	H_SYSCALL(SYS__lwp_unpark, lid, hint, 0, 0, 0, 0, &error);
	return error;
}

/* Wake thread w, just taken off a queue (interlock held): pt_waiting
 * goes to 0, and the lid to unpark (after the interlock is dropped) is
 * returned.  From the moment pt_waiting is 0, w may be gone. */
static inline lwpid_t
pthread__wake_prepare(pthread_t w)
{
	lwpid_t lid = w->pt_lid;

	__atomic_store_n(&w->pt_waiting, 0, __ATOMIC_RELEASE);
	return lid;
}

#endif /* !_PTHREAD_INT_H_ */
