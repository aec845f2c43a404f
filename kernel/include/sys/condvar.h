/*
 * sys/condvar.h: condition variables (NetBSD's condvar(9)).
 *
 *	mutex_enter(&m);
 *	while (!condition)
 *		cv_wait(&cv, &m);	// drops m while asleep, retakes it
 *	mutex_exit(&m);
 *
 *	mutex_enter(&m); condition = true; cv_signal(&cv); mutex_exit(&m);
 *
 * The condvar's address is the wait channel; waiters sleep on its
 * sleep-queue bucket.  cv_wait() enqueues before it drops the
 * interlock, so a wakeup given under the interlock is never lost.
 * cv_timedwait() gives up after a number of ticks (EWOULDBLOCK).
 * cv_wait_sig() and cv_timedwait_sig() sleep interruptibly: they also
 * return early, EINTR or ERESTART, when the LWP is told to exit, is
 * cancelled (_lwp_wakeup), is to be suspended or has a signal to take
 * (sleepq_block's contract, kern_sleepq.c).
 */
#ifndef _SYS_CONDVAR_H_
#define _SYS_CONDVAR_H_

#include <sys/types.h>
#include <sys/mutex.h>

typedef struct kcondvar {
	const char	*cv_wmesg;	/* (: shown for sleeping LWPs */
} kcondvar_t;

void	cv_init(kcondvar_t *, const char *);
void	cv_destroy(kcondvar_t *);
void	cv_wait(kcondvar_t *, kmutex_t *);
int	cv_timedwait(kcondvar_t *, kmutex_t *, int);
int	cv_wait_sig(kcondvar_t *, kmutex_t *);
int	cv_timedwait_sig(kcondvar_t *, kmutex_t *, int);
void	cv_signal(kcondvar_t *);
void	cv_broadcast(kcondvar_t *);
bool	cv_has_waiters(kcondvar_t *);

#endif /* !_SYS_CONDVAR_H_ */
