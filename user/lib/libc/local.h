/*
 * local.h: libc's private declarations.
 */
#ifndef _LIBC_LOCAL_H_
#define _LIBC_LOCAL_H_

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/sigtypes.h>

struct rusage;
struct timespec;

/*
 * The system calls that are cancellation points, as their stubs
 * (kernel/syscalls.master): cancel.c's read, write, ... wrap them; libc
 * code that must not be cancelled where it calls them (stdio, with its
 * stream locked) calls these.  Return -1 with errno set on failure.
 */
ssize_t	__sys_read(int, void *, size_t);
ssize_t	__sys_write(int, const void *, size_t);
int	__sys_open(const char *, int, int);
int	__sys_close(int);
pid_t	__sys_wait4(pid_t, int *, int, struct rusage *);
int	__sys_nanosleep(const struct timespec *, struct timespec *);
int	__sys_sigsuspend(const sigset_t *);

/* libpthread's, once a thread runs: end the calling thread if a cancel
 * is pending on it (cancel.c). */
extern void (*__libc_cancel_hook)(void);

/* fork's system call (sys.c wraps it), and libpthread's, once a thread
 * runs: set the child's thread bookkeeping straight (only the forking
 * thread came along), before fork returns in the child. */
pid_t	__sys_fork(void);
extern void (*__libc_fork_child_hook)(void);

/*
 * libc's own lock (lock.c), for malloc and stdio, which several LWPs
 * may now use at once.  It needs no thread library: spin briefly, then
 * queue (the waiter's node is on its stack) and _lwp_park until an
 * unlock _lwp_unparks it.  errno is left alone.  Not recursive.
 * lk_word: 0 free, 1 held, 2 held and there may be waiters (the unlock
 * then looks at the queue).
 */
struct __libc_lock {
	volatile int	lk_word;
	volatile int	lk_qlock;	/* spin lock on the queue */
	struct __libc_lwaiter *lk_head, *lk_tail;
};
#define __LIBC_LOCK_INITIALIZER	{ 0, 0, NULL, NULL }

void	__libc_lock_slow(struct __libc_lock *);
void	__libc_unlock_slow(struct __libc_lock *);

static inline void
__libc_lock(struct __libc_lock *l)
{
	int free = 0;

	if (!__atomic_compare_exchange_n(&l->lk_word, &free, 1, false,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		__libc_lock_slow(l);
}

static inline void
__libc_unlock(struct __libc_lock *l)
{
	int held = 1;

	if (!__atomic_compare_exchange_n(&l->lk_word, &held, 0, false,
	    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		__libc_unlock_slow(l);
}

/*
 * A stdio stream.  One buffer serves either direction: while writing,
 * buf[0..len) waits to be written; while reading, buf[pos..len) has
 * been read but not consumed.  `reading` says which.  The public
 * functions (stdio.c, printf.c) lock the stream around their work, so
 * one call's output is never cut by another thread's; the __s* helpers
 * expect the lock held.
 */
struct __sFILE {
	int		fd;
	int		mode;		/* _IOFBF, _IOLBF or _IONBF */
	int		reading;
	int		eof;
	int		error;
	char		*buf;
	size_t		size;
	size_t		len;
	size_t		pos;
	struct __libc_lock lock;	/* every public function takes it */
};

/* stdio.c */
int	__sputs(struct __sFILE *, const char *, size_t);
int	__sdone(struct __sFILE *);
int	__sflush(struct __sFILE *);

#endif /* !_LIBC_LOCAL_H_ */
