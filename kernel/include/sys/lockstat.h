/*
 * sys/lockstat.h: per-lock-class statistics of kernel mutexes, NetBSD
 * lockstat(8)-like (subr_lockstat.c; the record user space reads is
 * struct lockstat_rec in sys/sysctl.h, the program lockstat(1)).
 *
 * Called by kern_mutex.c only: lockstat_acquired and lockstat_released
 * under LOCKDEBUG (by the holder, lock held) while counting is on
 * (lockstat_counting: lockstat(1) turns it on for its command, as
 * NetBSD's lockstat(8) enables /dev/lockstat; boot option lockstat=1
 * from boot), lockstat_contended on the contended path of every kernel.
 * Off, the uncontended paths test one word: the teaching kernel's
 * checks stay on, and cost little (issue 18).
 */
#ifndef _SYS_LOCKSTAT_H_
#define _SYS_LOCKSTAT_H_

#include <sys/types.h>

struct kmutex;
struct lockstat_rec;

extern volatile u_int lockstat_counting;	/* (a) users counting now */

void	lockstat_init(void);
int	lockstat_count(bool);		/* on (nested) / off; 0 or EINVAL */
void	lockstat_acquired(struct kmutex *);
void	lockstat_released(struct kmutex *);
void	lockstat_contended(struct kmutex *, uint64_t, uint64_t);
size_t	lockstat_snapshot(struct lockstat_rec *, size_t);
void	lockstat_reset_maxhold(void);

#endif /* !_SYS_LOCKSTAT_H_ */
