/*
 * sys/lockdebug.h: the lock-order checker for sleepable locks
 * (subr_lockdebug.c), on when LOCKDEBUG is.
 */
#ifndef _SYS_LOCKDEBUG_H_
#define _SYS_LOCKDEBUG_H_

#include <sys/types.h>

void	lockdebug_acquire(const void *, const char *, vaddr_t);
void	lockdebug_release(const void *);

#endif /* !_SYS_LOCKDEBUG_H_ */
