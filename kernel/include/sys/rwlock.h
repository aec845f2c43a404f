/*
 * sys/rwlock.h: reader/writer locks (NetBSD's rwlock(9)), on turnstiles.
 *
 *	rw_enter(&rw, RW_READER);	// many readers at once
 *	rw_enter(&rw, RW_WRITER);	// one writer, no readers
 *	rw_exit(&rw);
 *
 * rw_owner is the owning writer LWP | RW_WRITE_LOCKED, or the number of
 * readers times RW_READ_INCR; the low bits say who waits.  Once a
 * writer waits (RW_WRITE_WANTED), new readers wait too, so a stream of
 * readers cannot starve writers.  A releaser hands the lock straight to
 * the waiters it wakes (a writer first, else every reader).  Blocked
 * writers lend their priority to a writer owner (not to readers, who
 * are not recorded).  Thread context only.
 */
#ifndef _SYS_RWLOCK_H_
#define _SYS_RWLOCK_H_

#include <sys/types.h>

typedef enum { RW_READER = 0, RW_WRITER = 1 } krw_t;

typedef struct krwlock {
	volatile uintptr_t rw_owner;	/* (a) owner word, see above */
	const char	*rw_name;	/* ( for messages */
} krwlock_t;

#define RW_HAS_WAITERS		0x01UL
#define RW_WRITE_WANTED		0x02UL
#define RW_WRITE_LOCKED		0x04UL
#define RW_FLAGS		0x07UL
#define RW_READ_INCR		0x20UL
#define RW_THREAD		(~0x1fUL)	/* owner / reader count bits */

void	rw_init(krwlock_t *, const char *);
void	rw_destroy(krwlock_t *);
void	rw_enter(krwlock_t *, krw_t);
int	rw_tryenter(krwlock_t *, krw_t);
void	rw_exit(krwlock_t *);
void	rw_downgrade(krwlock_t *);
int	rw_tryupgrade(krwlock_t *);
int	rw_write_held(krwlock_t *);
int	rw_read_held(krwlock_t *);
int	rw_lock_held(krwlock_t *);

#endif /* !_SYS_RWLOCK_H_ */
