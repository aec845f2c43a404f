/*
 * sys/turnstile.h: turnstiles, the sleep queues of locks that have an
 * owner (adaptive mutexes and rwlocks), with priority inheritance
 * (kern_turnstile.c).
 *
 * Every LWP owns one turnstile (l_ts).  The first LWP to block on a
 * lock lends its turnstile to the lock; later ones hang theirs on its
 * ts_free list.  Each woken LWP leaves with one: the last takes back
 * the lock's active turnstile.  Active turnstiles are found through 64
 * hash chains keyed by the lock's address, each with a spin mutex
 * (tc_mutex, lock class turnstile) that also covers the LWPs blocked
 * on it (their l_mutex points at it).
 */
#ifndef _SYS_TURNSTILE_H_
#define _SYS_TURNSTILE_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/sleepq.h>
#include <sys/syncobj.h>

struct lwp;

#define TS_READER_Q	0
#define TS_WRITER_Q	1

typedef struct turnstile {
	LIST_ENTRY(turnstile) ts_chain;	/* tc: on its chain while active */
	struct turnstile *ts_free;	/* tc: spares lent by later waiters */
	wchan_t		ts_obj;		/* tc: the lock */
	sleepq_t	ts_sleepq[2];	/* tc: waiters, readers / writers */
	u_int		ts_waiters[2];	/* tc */
	pri_t		ts_eprio;	/* tc: priority lent to ts_inheritor */
	struct lwp	*ts_inheritor;	/* tc: lock owner we lend to */
	SLIST_ENTRY(turnstile) ts_pichain; /* on ts_inheritor's l_pi_lenders */
} turnstile_t;

extern turnstile_t turnstile0;		/* lwp0's */
extern bool turnstile_pi_enabled;	/* tunable: priority inheritance */

void	turnstile_init(void);
turnstile_t *turnstile_alloc(void);
void	turnstile_free(turnstile_t *);
turnstile_t *turnstile_lookup(wchan_t);
void	turnstile_exit(wchan_t);
void	turnstile_block(turnstile_t *, int, wchan_t, syncobj_t *);
void	turnstile_wakeup(turnstile_t *, int, int, struct lwp *);
void	turnstile_lendpri(struct lwp *);
void	turnstile_unlendpri(turnstile_t *);
void	turnstile_unsleep(struct lwp *, bool);

#endif /* !_SYS_TURNSTILE_H_ */
