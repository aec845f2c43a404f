/*
 * sys/syncobj.h: synchronisation objects, the "kind of sleep" an LWP is
 * in (l_syncobj).  Code that wants to wake, reprioritise or find the
 * owner of a sleeping LWP goes through these operations, so each kind
 * of sleep (plain sleep queue, condvar, turnstile) keeps its own rules.
 */
#ifndef _SYS_SYNCOBJ_H_
#define _SYS_SYNCOBJ_H_

#include <sys/types.h>

struct lwp;
typedef volatile const void *wchan_t;

typedef struct syncobj {
	u_int	sobj_flag;				/* SOBJ_SLEEPQ_* */
	void	(*sobj_unsleep)(struct lwp *, bool);	/* take off its queue */
	void	(*sobj_changepri)(struct lwp *, pri_t);
	void	(*sobj_lendpri)(struct lwp *, pri_t);
	struct lwp *(*sobj_owner)(wchan_t);		/* who holds it */
} syncobj_t;

/* Where sleepq_enqueue puts a new sleeper. */
#define SOBJ_SLEEPQ_SORTED	0x01	/* by priority, FIFO among equals */
#define SOBJ_SLEEPQ_FIFO	0x02
#define SOBJ_SLEEPQ_LIFO	0x04

extern syncobj_t sched_syncobj;		/* not asleep */
extern syncobj_t sleep_syncobj;		/* plain sleep queues */
extern syncobj_t cv_syncobj;		/* condition variables */
extern syncobj_t mutex_syncobj;		/* adaptive mutexes (turnstiles) */
extern syncobj_t rw_syncobj;		/* rwlocks (turnstiles) */

struct lwp *syncobj_noowner(wchan_t);

#endif /* !_SYS_SYNCOBJ_H_ */
