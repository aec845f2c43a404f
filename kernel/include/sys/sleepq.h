/*
 * sys/sleepq.h: sleep queues (kern_sleepq.c).
 *
 * Sleeping LWPs wait on a queue in `sleeptab`, a hash table keyed by
 * the wait channel (any address: a condvar, a lock, an LWP).  Each
 * bucket has its own spin mutex (st_mutex, lock class LOCKORDER_
 * SLEEPTAB), and a sleeping LWP's l_mutex points at it: whoever holds
 * the bucket lock may wake any LWP on that bucket.
 *
 *	sq = sleepq_hashlock(wchan, &mp);	 bucket (not yet locked)
 *	sleepq_enter(sq, l, mp);		 lock l, then mp; lend mp to l
 *	sleepq_enqueue(sq, wchan, wmesg, sobj);	 LSSLEEP, on the queue
 *	(drop the interlock)
 *	sleepq_block(0, false);			 switch away; back unlocked
 *
 *	mutex_spin_enter(mp);			 waker
 *	sleepq_wake(sq, wchan, n, mp);		 wake up to n; releases mp
 *
 * Parked LWPs (_lwp_park) sleep in a table of their own, lwp_park_tab,
 * as in NetBSD (sleeptab_lookup(&lwp_park_tab, l, &mp)): an unpark
 * takes its LWP off the queue directly (lwp_unsleep), so nothing ever
 * walks those queues by wait channel, while sleepq_wake walks a whole
 * bucket of sleeptab.  A process may park thousands of LWPs; in
 * sleeptab they would lengthen every bucket, and every cv_broadcast
 * (lwp_wait's p_lwpcv, say) would walk its share of them.
 */
#ifndef _SYS_SLEEPQ_H_
#define _SYS_SLEEPQ_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/syncobj.h>

struct lwp;

TAILQ_HEAD(sleepq, lwp);
typedef struct sleepq sleepq_t;

#define SLEEPTAB_HASH_SIZE	128
#define SLEEPTAB_HASH(w)	(((uintptr_t)(w) >> 8) & (SLEEPTAB_HASH_SIZE - 1))

typedef struct sleeptab {
	struct {
		kmutex_t	st_mutex;	/* covers st_queue and its LWPs */
		sleepq_t	st_queue;
	} st_bucket[SLEEPTAB_HASH_SIZE];
} sleeptab_t;

extern sleeptab_t sleeptab, lwp_park_tab;

void	sleeptab_init(void);
sleepq_t *sleeptab_lookup(sleeptab_t *, wchan_t, kmutex_t **);
sleepq_t *sleepq_hashlock(wchan_t, kmutex_t **);	/* in sleeptab */
void	sleepq_enter(sleepq_t *, struct lwp *, kmutex_t *);
void	sleepq_enqueue(sleepq_t *, wchan_t, const char *, syncobj_t *);
int	sleepq_block(int, bool);
void	sleepq_wake(sleepq_t *, wchan_t, u_int, kmutex_t *);
void	sleepq_remove(sleepq_t *, struct lwp *);
void	sleepq_unsleep(struct lwp *, bool);
void	sleepq_changepri(struct lwp *, pri_t);
void	sleepq_lendpri(struct lwp *, pri_t);
void	lwp_unsleep(struct lwp *, bool);
void	sleepq_timeout(void *);
int	kpause(const char *, bool, int, kmutex_t *);

#endif /* !_SYS_SLEEPQ_H_ */
