/*
 * pthread.c: threads: starting the library, creating, joining,
 * detaching and ending threads, attributes, once, names, affinity.
 *
 * One thread is one LWP (docs/pthread.md).  pthread_create maps a
 * region (a guard page, the stack, the thread block at the top), makes
 * a context with _lwp_makecontext whose TLS base is the block, and
 * _lwp_create's it, detached (LWP_DETACHED) if the thread is.  A
 * joinable thread's LWP is collected by pthread_join with _lwp_wait; a
 * detached one is freed by the kernel, and its region waits on the dead
 * queue for a later pthread_create to reuse it, once pt_exited says
 * the LWP is off its stack for good.  Blocks are recycled, never
 * freed, so a stale pointer to one (a mutex owner) is never a fault.
 *
 * The first thread (whoever first calls into the library) gets a
 * static block: pthread__init.
 */
#include <sys/mman.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pthread_int.h"

int			pthread__started;
lwpctl_t		pthread__lwpctl_none = { LWPCTL_CPU_NONE, 0 };
pthread_mutex_t		pthread__alllock = PTHREAD_MUTEX_INITIALIZER;
struct __pthread_st	*pthread__allthreads;	/* under pthread__alllock */

static struct __pthread_st pthread__main;
static int		pthread__nthreads;	/* alive (atomic) */
static pid_t		pthread__pid;		/* getpid() (fork check) */
static pthread_mutex_t	deadq_lock = PTHREAD_MUTEX_INITIALIZER;
static struct __pthread_st *deadq;		/* under deadq_lock */

static void	pthread__start(void *) __dead;
static bool	pthread__find(pthread_t);

/* ---- the library's start and the list of threads ---------------------- */

static void
all_insert(pthread_t t)
{
	t->pt_allprev = NULL;
	if ((t->pt_allnext = pthread__allthreads) != NULL)
		t->pt_allnext->pt_allprev = t;
	pthread__allthreads = t;
}

static void
all_remove(pthread_t t)
{
	if (t->pt_allprev != NULL)
		t->pt_allprev->pt_allnext = t->pt_allnext;
	else
		pthread__allthreads = t->pt_allnext;
	if (t->pt_allnext != NULL)
		t->pt_allnext->pt_allprev = t->pt_allprev;
}

/* Our LWP's lwpctl block, or one that always says "not running". */
static lwpctl_t *
get_lwpctl(void)
{
	lwpctl_t *lc;
	int error;

	H_SYSCALL(SYS__lwp_ctl, LWPCTL_FEATURE_CURCPU, &lc, 0, 0, 0, 0, &error);
	return error == 0 ? lc : &pthread__lwpctl_none;
}

static void	pthread__testcancel_hook(void);
static void	pthread__fork_child(void);

/*
 * The first call into the library, from the only thread there is (an
 * LWP made by plain _lwp_create does not count: see <errno.h>): give it
 * a block, point %fs at it, and move errno there.
 */
void
pthread__init(void)
{
	pthread_t t = &pthread__main;

	t->pt_self = t;
	t->pt_magic = PT_MAGIC;
	t->pt_lid = _lwp_self();
	t->pt_lwpctl = get_lwpctl();
	t->pt_state = PT_STATE_RUNNING;
	_lwp_setprivate(t);
	t->pt_errno = errno;		/* still the global one */
	__atomic_store_n(&__libc_threaded, 1, __ATOMIC_SEQ_CST);
	/* libc's blocking calls become cancellation points, and its fork
	 * tells us of a child at once. */
	__atomic_store_n(&__libc_cancel_hook, pthread__testcancel_hook,
	    __ATOMIC_RELAXED);
	__atomic_store_n(&__libc_fork_child_hook, pthread__fork_child,
	    __ATOMIC_RELAXED);
	all_insert(t);
	pthread__nthreads = 1;
	pthread__pid = getpid();
	__atomic_store_n(&pthread__started, 1, __ATOMIC_RELEASE);
}

/*
 * In a child of fork() (libc's fork calls it, through
 * __libc_fork_child_hook; pthread_create checks the pid too): only the
 * forking thread exists here, under a new lid, and the lwpctl area did
 * not come along.  Start the bookkeeping again with it alone.  (Other threads' locks, libc's
 * included, may be held for ever: POSIX lets the child of a threaded
 * process do little but exec.)
 */
static void
pthread__forked(pid_t pid)
{
	pthread_t self = pthread__self(), t;

	self->pt_lid = _lwp_self();
	self->pt_lwpctl = get_lwpctl();
	/* The other threads are gone, and so is their lwpctl area (fork
	 * does not copy it): a mutex one of them held stays held, and a
	 * locker must see its owner "not running", not read an unmapped
	 * block (t_pthread_mutex:fork_child_lock_held_by_gone_thread). */
	for (t = pthread__allthreads; t != NULL; t = t->pt_allnext)
		if (t != self)
			t->pt_lwpctl = &pthread__lwpctl_none;
	pthread__alllock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	deadq_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	pthread__allthreads = NULL;
	all_insert(self);
	pthread__nthreads = 1;
	for (t = deadq; t != NULL; t = t->pt_deadnext) {
		t->pt_exited = 1;	/* their LWPs are not in this process */
		t->pt_lwpctl = &pthread__lwpctl_none;
	}
	pthread__pid = pid;
}

/* libc's fork, in the child. */
static void
pthread__fork_child(void)
{
	pthread__forked(getpid());
}

/* Interlock contention: spin, yielding now and then (the holder may
 * have been preempted: it holds the lock for a few instructions). */
void
pthread__spin_lock_slow(volatile int *l)
{
	int n = 0;

	do {
		while (__atomic_load_n(l, __ATOMIC_RELAXED) != 0) {
			if (++n < PT_SPINS)
				h_pause();
			else {
				(void)sched_yield();
				n = 0;
			}
		}
	} while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE) != 0);
}

/*
 * Sleep until a waker clears self->pt_waiting, or until abstime (on
 * `clock`; NULL: no limit): 0, or ETIMEDOUT (then the caller takes
 * the interlock and sees whether it was woken after all), or, in a
 * cancellation point (pt_cancelpoint), ECANCELED once a cancel is
 * pending (the caller leaves the same way as after ETIMEDOUT).  A park that
 * returns for another reason (EALREADY: an unpark meant for an earlier
 * wait; EINTR) is simply done again.
 */
int
pthread__park(pthread_t self, clockid_t clock, const struct timespec *abstime,
    const void *hint)
{
	struct timespec ts;
	int error;

	while (__atomic_load_n(&self->pt_waiting, __ATOMIC_ACQUIRE)) {
		if (self->pt_cancelpoint && pthread__cancel_wanted(self))
			return ECANCELED;
		if (abstime != NULL)
			ts = *abstime;
		H_SYSCALL(SYS____lwp_park60, clock,
		    abstime != NULL ? TIMER_ABSTIME : 0,
		    abstime != NULL ? &ts : NULL, 0, hint, NULL, &error);
		if (error == ETIMEDOUT)
			return ETIMEDOUT;
	}
	return 0;
}

/*
 * Wake every waiter on q (whose interlock is *interlock, not held):
 * up to 64 at a time under the interlock, then one _lwp_unpark_all
 * after dropping it.
 */
void
pthread__wake_queue(struct __pthread_queue *q, volatile int *interlock)
{
	lwpid_t lids[64];
	pthread_t w;
	size_t n;
	int error;

	do {
		n = 0;
		pthread__spin_lock(interlock);
		while (n < __arraycount(lids) &&
		    (w = pthread__queue_shift(q)) != NULL)
			lids[n++] = pthread__wake_prepare(w);
		pthread__spin_unlock(interlock);
		if (n > 0)
			H_SYSCALL(SYS__lwp_unpark_all, lids, n, NULL, 0, 0, 0,
			    &error);
	} while (n == __arraycount(lids));
}

/* ---- attributes ------------------------------------------------------- */

_Static_assert(sizeof(((pthread_attr_t *)0)->pta_name) ==
    PTHREAD_MAX_NAMELEN_NP, "pthread.h: pta_name");

int
pthread_attr_init(pthread_attr_t *a)
{
	a->pta_magic = _PT_ATTR_MAGIC;
	a->pta_flags = PTHREAD_CREATE_JOINABLE;
	a->pta_stacksize = PT_STACK_DEFAULT;
	a->pta_name[0] = '\0';
	a->pta_namearg = NULL;
	return 0;
}

int
pthread_attr_destroy(pthread_attr_t *a)
{
	if (a->pta_magic != _PT_ATTR_MAGIC)
		return EINVAL;
	a->pta_magic = ~_PT_ATTR_MAGIC;
	return 0;
}

int
pthread_attr_setdetachstate(pthread_attr_t *a, int state)
{
	if (a->pta_magic != _PT_ATTR_MAGIC ||
	    (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED))
		return EINVAL;
	a->pta_flags = state;
	return 0;
}

int
pthread_attr_getdetachstate(const pthread_attr_t *a, int *state)
{
	if (a->pta_magic != _PT_ATTR_MAGIC)
		return EINVAL;
	*state = a->pta_flags;
	return 0;
}

/* At least PTHREAD_STACK_MIN; rounded up to whole pages. */
int
pthread_attr_setstacksize(pthread_attr_t *a, size_t size)
{
	if (a->pta_magic != _PT_ATTR_MAGIC || size < PTHREAD_STACK_MIN ||
	    size > ((size_t)1 << 40))
		return EINVAL;
	a->pta_stacksize = size;
	return 0;
}

int
pthread_attr_getstacksize(const pthread_attr_t *a, size_t *size)
{
	if (a->pta_magic != _PT_ATTR_MAGIC)
		return EINVAL;
	*size = a->pta_stacksize;
	return 0;
}

/*
 * The name for threads made with a (NetBSD's): fmt formatted with arg
 * now, kept with arg.  EINVAL if it does not fit in
 * PTHREAD_MAX_NAMELEN_NP (the name is then empty).
 */
int
pthread_attr_setname_np(pthread_attr_t *a, const char *fmt, void *arg)
{
	int n, saved;

	if (a->pta_magic != _PT_ATTR_MAGIC)
		return EINVAL;
	saved = errno;
	n = snprintf(a->pta_name, sizeof(a->pta_name), fmt, arg);
	errno = saved;
	if (n < 0 || (size_t)n >= sizeof(a->pta_name)) {
		a->pta_name[0] = '\0';
		return EINVAL;
	}
	a->pta_namearg = arg;
	return 0;
}

int
pthread_attr_getname_np(const pthread_attr_t *a, char *buf, size_t len,
    void **argp)
{
	if (a->pta_magic != _PT_ATTR_MAGIC)
		return EINVAL;
	strlcpy(buf, a->pta_name, len);
	if (argp != NULL)
		*argp = a->pta_namearg;
	return 0;
}

/*
 * t's attributes (NetBSD's pthread_attr_get_np): ESRCH if t is not a
 * thread (pthread__find).  The first thread's stack is the process's
 * stack region (RLIMIT_STACK's size).
 */
int
pthread_attr_get_np(pthread_t t, pthread_attr_t *a)
{
	struct rlimit rl = { PT_STACK_DEFAULT, PT_STACK_DEFAULT };
	int error;

	(void)pthread__self_init();
	pthread_attr_init(a);
	pthread_mutex_lock(&pthread__alllock);
	if (!pthread__find(t)) {
		pthread_mutex_unlock(&pthread__alllock);
		return ESRCH;
	}
	pthread__spin_lock(&t->pt_lock);
	a->pta_flags = t->pt_detached ? PTHREAD_CREATE_DETACHED :
	    PTHREAD_CREATE_JOINABLE;
	a->pta_stacksize = t->pt_stacksize;
	strlcpy(a->pta_name, t->pt_name, sizeof(a->pta_name));
	pthread__spin_unlock(&t->pt_lock);
	pthread_mutex_unlock(&pthread__alllock);
	if (a->pta_stacksize == 0) {		/* the first thread */
		H_SYSCALL(SYS_getrlimit, RLIMIT_STACK, &rl, 0, 0, 0, 0,
		    &error);
		a->pta_stacksize = rl.rlim_cur;
	}
	return 0;
}

/* ---- creating ------------------------------------------------------------ */

/*
 * A thread block with a stack of `stacksize` bytes: a dead thread's if
 * one has that size (else a dead one of another size is unmapped), or
 * a new mapping: guard page, stack, block.  NULL (errno) if mmap fails.
 */
static pthread_t
pthread__alloc(size_t stacksize)
{
	pthread_t t, *tp, *victim = NULL;
	size_t mapsize;
	char *map;

	pthread_mutex_lock(&deadq_lock);
	for (tp = &deadq; (t = *tp) != NULL; tp = &t->pt_deadnext) {
		if (!__atomic_load_n(&t->pt_exited, __ATOMIC_ACQUIRE))
			continue;
		if (t->pt_stacksize == stacksize) {
			*tp = t->pt_deadnext;
			pthread_mutex_unlock(&deadq_lock);
			return t;
		}
		if (victim == NULL)
			victim = tp;
	}
	t = NULL;
	if (victim != NULL) {
		t = *victim;
		*victim = t->pt_deadnext;
	}
	pthread_mutex_unlock(&deadq_lock);
	if (t != NULL)
		(void)munmap(t->pt_map, t->pt_mapsize);

	mapsize = PT_PAGE + stacksize +
	    ((sizeof(*t) + PT_PAGE - 1) & ~(size_t)(PT_PAGE - 1));
	map = mmap(NULL, mapsize, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE,
	    -1, 0);
	if (map == MAP_FAILED)
		return NULL;
	if (mprotect(map, PT_PAGE, PROT_NONE) == -1) {
		(void)munmap(map, mapsize);
		return NULL;
	}
	t = (pthread_t)(map + PT_PAGE + stacksize);
	t->pt_map = map;
	t->pt_mapsize = mapsize;
	t->pt_stacksize = stacksize;
	return t;
}

/* A block whose LWP is gone (or never started) goes to the dead queue. */
static void
pthread__dead(pthread_t t)
{
	if (t->pt_map == NULL)		/* the first thread's: static */
		return;
	pthread_mutex_lock(&deadq_lock);
	t->pt_deadnext = deadq;
	deadq = t;
	pthread_mutex_unlock(&deadq_lock);
}

int
pthread_create(pthread_t *tp, const pthread_attr_t *attr,
    void *(*func)(void *), void *arg)
{
	size_t stacksize = PT_STACK_DEFAULT;
	const char *name = "";
	int detached = 0, error, saved;
	ucontext_t uc;
	pthread_t t;
	pid_t pid;

	(void)pthread__self_init();
	if (attr != NULL) {
		if (attr->pta_magic != _PT_ATTR_MAGIC)
			return EINVAL;
		stacksize = (attr->pta_stacksize + PT_PAGE - 1) &
		    ~(size_t)(PT_PAGE - 1);
		detached = attr->pta_flags == PTHREAD_CREATE_DETACHED;
		name = attr->pta_name;
	}
	saved = errno;
	if (__predict_false((pid = getpid()) != pthread__pid))
		pthread__forked(pid);
	if ((t = pthread__alloc(stacksize)) == NULL) {
		errno = saved;
		return EAGAIN;
	}
	t->pt_self = t;
	t->pt_errno = 0;
	t->pt_magic = PT_MAGIC;
	t->pt_lid = 0;
	t->pt_lwpctl = &pthread__lwpctl_none;	/* until it has its own */
	t->pt_waiting = 0;
	t->pt_next = NULL;
	t->pt_lock = 0;
	t->pt_state = PT_STATE_RUNNING;
	t->pt_detached = detached;
	t->pt_joiner = NULL;
	t->pt_retval = NULL;
	t->pt_exited = 0;
	t->pt_cancel = 0;
	t->pt_cancelstate = PTHREAD_CANCEL_ENABLE;
	t->pt_cancelpoint = 0;
	t->pt_cleanup = NULL;
	t->pt_func = func;
	t->pt_arg = arg;
	strlcpy(t->pt_name, name, sizeof(t->pt_name));
	if (t->pt_havespecific) {
		memset(t->pt_specific, 0, sizeof(t->pt_specific));
		t->pt_havespecific = 0;
	}

	pthread_mutex_lock(&pthread__alllock);
	all_insert(t);
	pthread_mutex_unlock(&pthread__alllock);
	__atomic_add_fetch(&pthread__nthreads, 1, __ATOMIC_RELAXED);

	_lwp_makecontext(&uc, pthread__start, t, t, t->pt_map + PT_PAGE,
	    stacksize);
	/* The kernel writes pt_lid before the new LWP can run. */
	H_SYSCALL(SYS__lwp_create, &uc, detached ? LWP_DETACHED : 0,
	    &t->pt_lid, 0, 0, 0, &error);
	errno = saved;
	if (error != 0) {
		pthread_mutex_lock(&pthread__alllock);
		all_remove(t);
		pthread_mutex_unlock(&pthread__alllock);
		__atomic_sub_fetch(&pthread__nthreads, 1, __ATOMIC_RELAXED);
		t->pt_magic = ~PT_MAGIC;
		t->pt_exited = 1;
		pthread__dead(t);
		return error;		/* EAGAIN: too many LWPs */
	}
	*tp = t;
	return 0;
}

/* A new thread's first code, on its own stack, %fs at its block. */
static void
pthread__start(void *arg)
{
	pthread_t self = arg;
	int error;

	self->pt_lwpctl = get_lwpctl();
	if (self->pt_name[0] != '\0')	/* pthread_attr_setname_np's */
		H_SYSCALL(SYS__lwp_setname, _lwp_self(), self->pt_name, 0, 0,
		    0, 0, &error);
	pthread_exit(self->pt_func(self->pt_arg));
}

/* ---- ending ----------------------------------------------------------------- */

/*
 * The end of self's LWP: say pt_exited (its stack and block may now be
 * reused) and _lwp_exit, with no memory access in between (the store
 * and the `syscall` are the last two user instructions).
 */
static __dead void
pthread__lwp_exit(pthread_t self)
{
	__asm volatile("movl $1, %0\n\tsyscall"
	    : "=m" (self->pt_exited)
	    : "a" ((long)SYS__lwp_exit)
	    : "rcx", "r11", "memory");
	__builtin_unreachable();
}

void
pthread_exit(void *retval)
{
	pthread_t self = pthread__self_init();
	struct pthread__cleanup *c;
	int detached;

	/* The cleanup handlers, last pushed first; no cancellation in
	 * them (a cancellation point there must not start over). */
	self->pt_cancelstate = PTHREAD_CANCEL_DISABLE;
	while ((c = self->pt_cleanup) != NULL) {
		self->pt_cleanup = c->ptc_next;
		c->ptc_routine(c->ptc_arg);
	}
	pthread__destroy_specific(self);
	pthread_mutex_lock(&pthread__alllock);
	pthread__spin_lock(&self->pt_lock);
	self->pt_retval = retval;
	if ((detached = self->pt_detached)) {
		self->pt_state = PT_STATE_DEAD;	/* nobody will join it */
		self->pt_magic = ~PT_MAGIC;
		all_remove(self);
	} else
		self->pt_state = PT_STATE_ZOMBIE; /* listed until joined */
	pthread__spin_unlock(&self->pt_lock);
	pthread_mutex_unlock(&pthread__alllock);

	/* The last thread: the process exits (as POSIX says, as if by
	 * exit(0), stdio flushed). */
	if (__atomic_sub_fetch(&pthread__nthreads, 1, __ATOMIC_ACQ_REL) == 0)
		exit(0);
	if (detached)
		pthread__dead(self);
	pthread__lwp_exit(self);
}

/*
 * Is t one of our threads, running or exited but not yet joined?
 * NetBSD's pthread__find: the handle is looked for among the threads
 * on the list (pthread__alllock held), never read through first, so
 * that a stale handle (a thread joined, or detached and gone) or a
 * bogus one gives ESRCH, not a fault or another thread's fields.  (A
 * handle whose block a new thread reuses names that thread, as in
 * NetBSD.)
 */
static bool
pthread__find(pthread_t t)
{
	pthread_t u;

	for (u = pthread__allthreads; u != NULL; u = u->pt_allnext)
		if (u == t)
			return true;
	return false;
}

/* 0 if t is a thread pthread__find finds, else ESRCH. */
static int
pthread__lookup(pthread_t t)
{
	bool found;

	pthread_mutex_lock(&pthread__alllock);
	found = pthread__find(t);
	pthread_mutex_unlock(&pthread__alllock);
	return found ? 0 : ESRCH;
}

/*
 * Wait for t to exit and collect it: 0 (*valp, if not NULL, gets its
 * value), EDEADLK (t is us, or the kernel finds we wait in a circle),
 * ESRCH (no such thread: never was, already joined, or detached and
 * gone), EINVAL (detached, or someone else joins it).
 */
int
pthread_join(pthread_t t, void **valp)
{
	pthread_t self = pthread__self_init();
	lwpid_t lid;
	int error;

	if (t == self)
		return EDEADLK;
	pthread_testcancel();		/* a cancellation point (on entry) */
	pthread_mutex_lock(&pthread__alllock);
	if (!pthread__find(t)) {
		pthread_mutex_unlock(&pthread__alllock);
		return ESRCH;
	}
	pthread__spin_lock(&t->pt_lock);
	error = t->pt_detached || t->pt_joiner != NULL ? EINVAL : 0;
	if (error == 0)
		t->pt_joiner = self;
	lid = t->pt_lid;
	pthread__spin_unlock(&t->pt_lock);
	pthread_mutex_unlock(&pthread__alllock);
	if (error != 0)
		return error;

	/* The kernel does the waiting, and finds deadlocks (EDEADLK: t is
	 * waiting for us, or everybody waits).  A cancel wakes the wait
	 * (EINTR, pthread_cancel's _lwp_wakeup): then t stays joinable. */
	for (;;) {
		H_SYSCALL(SYS__lwp_wait, lid, NULL, 0, 0, 0, 0, &error);
		if (error != EINTR)
			break;
		if (pthread__cancel_wanted(self)) {
			pthread__spin_lock(&t->pt_lock);
			t->pt_joiner = NULL;
			pthread__spin_unlock(&t->pt_lock);
			pthread__cancelled();
		}
	}
	if (error != 0) {
		pthread__spin_lock(&t->pt_lock);
		t->pt_joiner = NULL;
		pthread__spin_unlock(&t->pt_lock);
		return error;
	}
	if (valp != NULL)
		*valp = t->pt_retval;
	pthread_mutex_lock(&pthread__alllock);
	pthread__spin_lock(&t->pt_lock);
	t->pt_state = PT_STATE_DEAD;
	t->pt_magic = ~PT_MAGIC;
	all_remove(t);
	pthread__spin_unlock(&t->pt_lock);
	pthread_mutex_unlock(&pthread__alllock);
	t->pt_exited = 1;		/* (it is: its LWP is collected) */
	pthread__dead(t);
	return 0;
}

/*
 * Let t's resources go when it exits (now, if it has): 0, ESRCH (as
 * for pthread_join), EINVAL (detached already).
 */
int
pthread_detach(pthread_t t)
{
	int error, state;
	lwpid_t lid;

	(void)pthread__self_init();
	pthread_mutex_lock(&pthread__alllock);
	if (!pthread__find(t)) {
		pthread_mutex_unlock(&pthread__alllock);
		return ESRCH;
	}
	pthread__spin_lock(&t->pt_lock);
	if (t->pt_detached) {
		pthread__spin_unlock(&t->pt_lock);
		pthread_mutex_unlock(&pthread__alllock);
		return EINVAL;
	}
	t->pt_detached = 1;
	state = t->pt_state;
	lid = t->pt_lid;
	if (state == PT_STATE_ZOMBIE) {
		t->pt_state = PT_STATE_DEAD;
		t->pt_magic = ~PT_MAGIC;
		all_remove(t);
	}
	pthread__spin_unlock(&t->pt_lock);
	pthread_mutex_unlock(&pthread__alllock);

	/* The kernel frees the LWP when it exits, or now if it has. */
	H_SYSCALL(SYS__lwp_detach, lid, 0, 0, 0, 0, 0, &error);
	/* Gone already: its block waits for its last instruction. */
	if (state == PT_STATE_ZOMBIE)
		pthread__dead(t);
	return 0;
}

pthread_t
pthread_self(void)
{
	return pthread__self_init();
}

int
pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

/* ---- cancellation (deferred only) and cleanup handlers ---------------- */

_Static_assert(sizeof(struct pthread_cleanup_store) >=
    sizeof(struct pthread__cleanup), "pthread.h: pthread_cleanup_store");

void
pthread__cleanup_push(void (*routine)(void *), void *arg, void *store)
{
	pthread_t self = pthread__self_init();
	struct pthread__cleanup *c = store;

	c->ptc_routine = routine;
	c->ptc_arg = arg;
	c->ptc_next = self->pt_cleanup;
	self->pt_cleanup = c;
}

void
pthread__cleanup_pop(int execute, void *store)
{
	pthread_t self = pthread__self();
	struct pthread__cleanup *c = store;

	self->pt_cleanup = c->ptc_next;
	if (execute)
		c->ptc_routine(c->ptc_arg);
}

/* Is a cancel pending on t (t itself asking), and may it act on it? */
bool
pthread__cancel_wanted(pthread_t t)
{
	return __atomic_load_n(&t->pt_cancel, __ATOMIC_ACQUIRE) &&
	    t->pt_cancelstate == PTHREAD_CANCEL_ENABLE;
}

/* Act on a cancel: exit with PTHREAD_CANCELED (cleanup handlers run). */
void
pthread__cancelled(void)
{
	pthread_exit(PTHREAD_CANCELED);
}

/* libc's cancellation points call this (__libc_cancel_hook, libc's
 * cancel.c) before they block and when a call failed with EINTR. */
static void
pthread__testcancel_hook(void)
{
	if (pthread__cancel_wanted(pthread__self()))
		pthread__cancelled();
}

/*
 * Ask t to exit at its next cancellation point (see pthread.h): 0, or
 * ESRCH if there is no such thread.  Unless t has cancellation
 * disabled (then it acts when it enables it and reaches a point), its
 * LWP is woken with _lwp_wakeup (NetBSD's way): a blocking system call
 * it is in fails with EINTR, and libc's wrapper acts on the cancel
 * (cancel.c); a park in a cancellation point (pt_cancelpoint: condvar
 * and unnamed semaphore waits) returns, and pthread__park says
 * ECANCELED.  If t is not asleep yet, the kernel remembers the wakeup
 * (LW_CANCELLED, and LW_UNPARKED for a park): its next interruptible
 * sleep ends at once, so a cancel that comes between a point's first
 * look and its sleep is not lost.  (t's cancel state is read without
 * its say: a t that disables cancellation just now may see one
 * blocking call fail with EINTR.)
 */
int
pthread_cancel(pthread_t t)
{
	pthread_t self = pthread__self_init();
	lwpid_t lid;
	int error;

	pthread_mutex_lock(&pthread__alllock);
	if (!pthread__find(t)) {
		pthread_mutex_unlock(&pthread__alllock);
		return ESRCH;
	}
	__atomic_store_n(&t->pt_cancel, 1, __ATOMIC_SEQ_CST);
	lid = t->pt_state == PT_STATE_RUNNING && t != self &&
	    __atomic_load_n(&t->pt_cancelstate, __ATOMIC_SEQ_CST) ==
	    PTHREAD_CANCEL_ENABLE ? t->pt_lid : 0;
	pthread_mutex_unlock(&pthread__alllock);
	if (lid != 0)
		(void)H_SYSCALL(SYS__lwp_wakeup, lid, 0, 0, 0, 0, 0, &error);
	return 0;
}

int
pthread_setcancelstate(int state, int *oldstate)
{
	pthread_t self = pthread__self_init();

	if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
		return EINVAL;
	if (oldstate != NULL)
		*oldstate = self->pt_cancelstate;
	/* (pthread_cancel reads it, to leave a disabled thread alone.) */
	__atomic_store_n(&self->pt_cancelstate, state, __ATOMIC_SEQ_CST);
	return 0;
}

/* Deferred cancellation only: ENOTSUP for PTHREAD_CANCEL_ASYNCHRONOUS. */
int
pthread_setcanceltype(int type, int *oldtype)
{
	(void)pthread__self_init();
	if (type == PTHREAD_CANCEL_ASYNCHRONOUS)
		return ENOTSUP;
	if (type != PTHREAD_CANCEL_DEFERRED)
		return EINVAL;
	if (oldtype != NULL)
		*oldtype = PTHREAD_CANCEL_DEFERRED;
	return 0;
}

void
pthread_testcancel(void)
{
	if (pthread__cancel_wanted(pthread__self_init()))
		pthread__cancelled();
}

/* ---- once ---------------------------------------------------------------------- */

static void
once_cleanup(void *m)
{
	(void)pthread_mutex_unlock(m);
}

/* fn may be cancelled: then the once is not done, and the next caller
 * runs fn (the mutex is let go by the cleanup handler). */
int
pthread_once(pthread_once_t *once, void (*fn)(void))
{
	if (__atomic_load_n(&once->pto_done, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&once->pto_mutex);
	if (!once->pto_done) {
		pthread_cleanup_push(once_cleanup, &once->pto_mutex);
		fn();
		__atomic_store_n(&once->pto_done, 1, __ATOMIC_RELEASE);
		pthread_cleanup_pop(0);
	}
	pthread_mutex_unlock(&once->pto_mutex);
	return 0;
}

/* ---- names and affinity (NetBSD's _np calls) ------------------------------- */

/* The lid of t for a system call; ours is asked for afresh (after a
 * fork it is not what pt_lid says until the next pthread_create). */
static lwpid_t
pthread__lid(pthread_t t)
{
	return t == pthread__self() ? _lwp_self() : t->pt_lid;
}

int
pthread_setname_np(pthread_t t, const char *fmt, void *arg)
{
	char name[PTHREAD_MAX_NAMELEN_NP];
	int error, saved;

	(void)pthread__self_init();
	if (pthread__lookup(t) != 0)
		return ESRCH;
	saved = errno;
	error = snprintf(name, sizeof(name), fmt, arg);
	errno = saved;
	if (error < 0 || (size_t)error >= sizeof(name))
		return EINVAL;
	pthread__spin_lock(&t->pt_lock);
	strlcpy(t->pt_name, name, sizeof(t->pt_name));
	pthread__spin_unlock(&t->pt_lock);
	/* The kernel's copy (what ps shows) keeps 15 characters.  A thread
	 * that has exited but is not joined keeps its name here only. */
	H_SYSCALL(SYS__lwp_setname, pthread__lid(t), name, 0, 0, 0, 0, &error);
	return error == ESRCH ? 0 : error;
}

int
pthread_getname_np(pthread_t t, char *buf, size_t len)
{
	(void)pthread__self_init();
	if (pthread__lookup(t) != 0)
		return ESRCH;
	pthread__spin_lock(&t->pt_lock);
	strlcpy(buf, t->pt_name, len);
	pthread__spin_unlock(&t->pt_lock);
	return 0;
}

/* _sched_setaffinity or _sched_getaffinity (syscall n) on t's LWP. */
static int
pthread__affinity(long n, pthread_t t, size_t size, cpuset_t *cs)
{
	int error;

	(void)pthread__self_init();
	if (pthread__lookup(t) != 0)
		return ESRCH;
	H_SYSCALL(n, 0, pthread__lid(t), size, cs, 0, 0, &error);
	return error;
}

int
pthread_setaffinity_np(pthread_t t, size_t size, cpuset_t *cs)
{
	return pthread__affinity(SYS__sched_setaffinity, t, size, cs);
}

int
pthread_getaffinity_np(pthread_t t, size_t size, cpuset_t *cs)
{
	return pthread__affinity(SYS__sched_getaffinity, t, size, cs);
}

/* ---- signals ---------------------------------------------------------- */

/* Send sig to thread t: to its LWP (_lwp_kill, si_code SI_LWP).  0 or
 * an error number (EINVAL, ESRCH). */
int
pthread_kill(pthread_t t, int sig)
{
	int error;

	(void)pthread__self_init();
	if (pthread__lookup(t) != 0)
		return ESRCH;
	H_SYSCALL(SYS__lwp_kill, pthread__lid(t), sig, 0, 0, 0, 0, &error);
	return error;
}

/* The calling thread's signal mask: sigprocmask's, which is per LWP. */
int
pthread_sigmask(int how, const sigset_t *set, sigset_t *oset)
{
	int error;

	H_SYSCALL(SYS___sigprocmask14, how, set, oset, 0, 0, 0, &error);
	return error;
}
