/*
 * pthread.h: POSIX threads (libpthread, user/lib/libpthread), built on
 * the kernel's LWPs as NetBSD's libpthread is: one LWP per thread,
 * _lwp_park/_lwp_unpark for sleeping, the lwpctl block to decide
 * between spinning and sleeping.  docs/pthread.md tells how.
 *
 * The names, constants and argument orders are NetBSD's (so
 * pthread_setname_np takes a printf format and one argument, and the
 * affinity calls take a cpuset_t from <sched.h>).  Every function
 * returns 0 or an error number and leaves errno alone.
 *
 * Signals: pthread_kill sends one to a thread (its LWP: _lwp_kill), and
 * pthread_sigmask sets the calling thread's mask (each LWP has its own).
 *
 * Cancellation is deferred only: a pending cancel is acted upon at
 * pthread_testcancel, pthread_cond_wait/timedwait, pthread_join and
 * sem_wait/timedwait (on entry, and while waiting in the condvar and
 * semaphore waits), not in libc's blocking calls (read, nanosleep,
 * sleep, sigsuspend, ... are no cancellation points here).
 *
 * Not here: asynchronous cancellation, process-shared objects,
 * priorities and scheduling policies, timed mutex locks,
 * pthread_atfork.
 * A program that forks while other threads run may find libc's locks
 * (malloc, stdio) held for ever in the child: after fork, the child
 * should only exec or _exit, as POSIX says.
 *
 * The types are structures so that they have static initializers;
 * their fields are the library's business.
 */
#ifndef _PTHREAD_H_
#define _PTHREAD_H_

#include <sys/types.h>
#include <sys/sigtypes.h>
#include <sys/time.h>
#include <stddef.h>

typedef struct __pthread_st *pthread_t;

typedef struct {
	unsigned int	pta_magic;
	int		pta_flags;	/* PTHREAD_CREATE_* */
	size_t		pta_stacksize;
	char		pta_name[32];	/* PTHREAD_MAX_NAMELEN_NP: the new
					   thread's name, formatted */
	void		*pta_namearg;	/* the argument it was formatted
					   with (getname_np gives it back) */
} pthread_attr_t;

typedef struct {
	unsigned int	ptma_magic;
	int		ptma_type;	/* PTHREAD_MUTEX_* */
} pthread_mutexattr_t;

/* The waiters' queue: pthreads linked through their thread blocks. */
struct __pthread_queue {
	struct __pthread_st *ptq_first, *ptq_last;
};

typedef struct {
	unsigned int	ptm_magic;
	int		ptm_type;	/* PTHREAD_MUTEX_* */
	volatile unsigned long ptm_owner; /* the owner, | 1: waiters */
	volatile int	ptm_interlock;	/* spin lock on ptm_waiters */
	unsigned int	ptm_recursed;	/* recursive: times relocked */
	struct __pthread_queue ptm_waiters;
} pthread_mutex_t;

typedef struct {
	unsigned int	ptca_magic;
	clockid_t	ptca_clock;
} pthread_condattr_t;

typedef struct {
	unsigned int	ptc_magic;
	clockid_t	ptc_clock;	/* of timedwait's abstime */
	volatile int	ptc_interlock;
	struct __pthread_queue ptc_waiters;
} pthread_cond_t;

typedef struct {
	unsigned int	ptra_magic;
} pthread_rwlockattr_t;

typedef struct {
	unsigned int	ptr_magic;
	volatile int	ptr_interlock;
	volatile unsigned long ptr_owner; /* the writer or reader count */
	struct __pthread_queue ptr_rwaiters, ptr_wwaiters;
} pthread_rwlock_t;

typedef struct {
	unsigned int	ptba_magic;
} pthread_barrierattr_t;

typedef struct {
	unsigned int	ptb_magic;
	volatile int	ptb_interlock;
	unsigned int	ptb_initcount;	/* threads per round */
	unsigned int	ptb_curcount;	/* arrived this round */
	struct __pthread_queue ptb_waiters;
} pthread_barrier_t;

typedef struct {
	unsigned int	pts_magic;
	volatile int	pts_lock;
} pthread_spinlock_t;

typedef struct {
	volatile int	pto_done;
	pthread_mutex_t	pto_mutex;
} pthread_once_t;

typedef int pthread_key_t;

/* Magic numbers: a destroyed object gets its magic's complement. */
#define _PT_ATTR_MAGIC		0x22220001
#define _PT_MUTEX_MAGIC		0x33330003
#define _PT_MUTEXATTR_MAGIC	0x44440004
#define _PT_COND_MAGIC		0x55550005
#define _PT_CONDATTR_MAGIC	0x66660006
#define _PT_RWLOCK_MAGIC	0x99990009
#define _PT_RWLOCKATTR_MAGIC	0x99990909
#define _PT_BARRIER_MAGIC	0x88880008
#define _PT_BARRIERATTR_MAGIC	0x88880808
#define _PT_SPINLOCK_MAGIC	0x77770007

#define PTHREAD_CREATE_JOINABLE	0
#define PTHREAD_CREATE_DETACHED	1

#define PTHREAD_MUTEX_NORMAL		0	/* relock: deadlock */
#define PTHREAD_MUTEX_ERRORCHECK	1	/* relock: EDEADLK */
#define PTHREAD_MUTEX_RECURSIVE		2	/* relock: counted */
#define PTHREAD_MUTEX_DEFAULT		PTHREAD_MUTEX_NORMAL

#define PTHREAD_PROCESS_PRIVATE	0
#define PTHREAD_PROCESS_SHARED	1	/* (not supported: EINVAL) */

#define PTHREAD_BARRIER_SERIAL_THREAD	1234567

#define PTHREAD_KEYS_MAX		128
#define PTHREAD_DESTRUCTOR_ITERATIONS	4
#define PTHREAD_STACK_MIN		16384
#define PTHREAD_MAX_NAMELEN_NP		32	/* with the NUL (the kernel
						   keeps 15 characters) */

#define PTHREAD_MUTEX_INITIALIZER					\
	{ _PT_MUTEX_MAGIC, PTHREAD_MUTEX_DEFAULT, 0, 0, 0, { NULL, NULL } }
#define PTHREAD_COND_INITIALIZER					\
	{ _PT_COND_MAGIC, CLOCK_REALTIME, 0, { NULL, NULL } }
#define PTHREAD_RWLOCK_INITIALIZER					\
	{ _PT_RWLOCK_MAGIC, 0, 0, { NULL, NULL }, { NULL, NULL } }
#define PTHREAD_ONCE_INIT	{ 0, PTHREAD_MUTEX_INITIALIZER }

#define PTHREAD_CANCEL_ENABLE		0
#define PTHREAD_CANCEL_DISABLE		1
#define PTHREAD_CANCEL_DEFERRED		0
#define PTHREAD_CANCEL_ASYNCHRONOUS	1	/* (not supported: ENOTSUP) */
#define PTHREAD_CANCELED		((void *)1)

/*
 * Cleanup handlers (NetBSD's macros): push and pop must pair in one
 * block.  A handler runs when popped with a non-zero argument, or when
 * the thread exits (pthread_exit, cancellation) before popping it.
 */
struct pthread_cleanup_store {
	void	*pad[4];
};
void	pthread__cleanup_push(void (*)(void *), void *, void *);
void	pthread__cleanup_pop(int, void *);
#define pthread_cleanup_push(routine, arg)				\
	{								\
		struct pthread_cleanup_store __store;			\
		pthread__cleanup_push((routine), (arg), &__store);
#define pthread_cleanup_pop(execute)					\
		pthread__cleanup_pop((execute), &__store);		\
	}

/* Threads. */
int	pthread_create(pthread_t *, const pthread_attr_t *,
	    void *(*)(void *), void *);
int	pthread_join(pthread_t, void **);
int	pthread_detach(pthread_t);
__dead void pthread_exit(void *);
pthread_t pthread_self(void);
int	pthread_equal(pthread_t, pthread_t);
int	pthread_once(pthread_once_t *, void (*)(void));
int	pthread_cancel(pthread_t);
int	pthread_setcancelstate(int, int *);
int	pthread_setcanceltype(int, int *);
void	pthread_testcancel(void);

int	pthread_attr_init(pthread_attr_t *);
int	pthread_attr_destroy(pthread_attr_t *);
int	pthread_attr_setdetachstate(pthread_attr_t *, int);
int	pthread_attr_getdetachstate(const pthread_attr_t *, int *);
int	pthread_attr_setstacksize(pthread_attr_t *, size_t);
int	pthread_attr_getstacksize(const pthread_attr_t *, size_t *);

/* Thread-specific data. */
int	pthread_key_create(pthread_key_t *, void (*)(void *));
int	pthread_key_delete(pthread_key_t);
void	*pthread_getspecific(pthread_key_t);
int	pthread_setspecific(pthread_key_t, const void *);

/* Mutexes. */
int	pthread_mutex_init(pthread_mutex_t *, const pthread_mutexattr_t *);
int	pthread_mutex_destroy(pthread_mutex_t *);
int	pthread_mutex_lock(pthread_mutex_t *);
int	pthread_mutex_trylock(pthread_mutex_t *);
int	pthread_mutex_unlock(pthread_mutex_t *);
int	pthread_mutexattr_init(pthread_mutexattr_t *);
int	pthread_mutexattr_destroy(pthread_mutexattr_t *);
int	pthread_mutexattr_settype(pthread_mutexattr_t *, int);
int	pthread_mutexattr_gettype(const pthread_mutexattr_t *, int *);

/* Condition variables.  timedwait's time is absolute, on the clock
 * condattr_setclock chose (CLOCK_REALTIME by default). */
int	pthread_cond_init(pthread_cond_t *, const pthread_condattr_t *);
int	pthread_cond_destroy(pthread_cond_t *);
int	pthread_cond_wait(pthread_cond_t *, pthread_mutex_t *);
int	pthread_cond_timedwait(pthread_cond_t *, pthread_mutex_t *,
	    const struct timespec *);
int	pthread_cond_signal(pthread_cond_t *);
int	pthread_cond_broadcast(pthread_cond_t *);
int	pthread_condattr_init(pthread_condattr_t *);
int	pthread_condattr_destroy(pthread_condattr_t *);
int	pthread_condattr_setclock(pthread_condattr_t *, clockid_t);
int	pthread_condattr_getclock(const pthread_condattr_t *, clockid_t *);

/* Read/write locks: writers are preferred (a waiting writer holds
 * back new readers). */
int	pthread_rwlock_init(pthread_rwlock_t *, const pthread_rwlockattr_t *);
int	pthread_rwlock_destroy(pthread_rwlock_t *);
int	pthread_rwlock_rdlock(pthread_rwlock_t *);
int	pthread_rwlock_tryrdlock(pthread_rwlock_t *);
int	pthread_rwlock_wrlock(pthread_rwlock_t *);
int	pthread_rwlock_trywrlock(pthread_rwlock_t *);
/* Timed: the time is absolute, on CLOCK_REALTIME; ETIMEDOUT after. */
int	pthread_rwlock_timedrdlock(pthread_rwlock_t *,
	    const struct timespec *__restrict);
int	pthread_rwlock_timedwrlock(pthread_rwlock_t *,
	    const struct timespec *__restrict);
int	pthread_rwlock_unlock(pthread_rwlock_t *);
int	pthread_rwlockattr_init(pthread_rwlockattr_t *);
int	pthread_rwlockattr_destroy(pthread_rwlockattr_t *);

/* Barriers. */
int	pthread_barrier_init(pthread_barrier_t *, const pthread_barrierattr_t *,
	    unsigned int);
int	pthread_barrier_destroy(pthread_barrier_t *);
int	pthread_barrier_wait(pthread_barrier_t *);
int	pthread_barrierattr_init(pthread_barrierattr_t *);
int	pthread_barrierattr_destroy(pthread_barrierattr_t *);

/* Spin locks: they never sleep. */
int	pthread_spin_init(pthread_spinlock_t *, int);
int	pthread_spin_destroy(pthread_spinlock_t *);
int	pthread_spin_lock(pthread_spinlock_t *);
int	pthread_spin_trylock(pthread_spinlock_t *);
int	pthread_spin_unlock(pthread_spinlock_t *);

/* NetBSD's extensions: CPU affinity (a cpuset_t from <sched.h>) and
 * names (setname's name is a printf format taking arg). */
int	pthread_setaffinity_np(pthread_t, size_t, cpuset_t *);
int	pthread_getaffinity_np(pthread_t, size_t, cpuset_t *);
int	pthread_setname_np(pthread_t, const char *, void *);
int	pthread_getname_np(pthread_t, char *, size_t);
/* The name threads created with the attributes start with (NetBSD's:
 * a format and one argument, formatted at once; EINVAL if too long). */
int	pthread_attr_setname_np(pthread_attr_t *, const char *, void *);
int	pthread_attr_getname_np(const pthread_attr_t *, char *, size_t,
	    void **);
/* Thread t's attributes as they are (detach state, stack size, name):
 * *attr is initialised, to be destroyed as usual. */
int	pthread_attr_get_np(pthread_t, pthread_attr_t *);

/* Signals (<signal.h> has sigset_t's operations). */
int	pthread_kill(pthread_t, int);
int	pthread_sigmask(int, const sigset_t *, sigset_t *);

#endif /* !_PTHREAD_H_ */
