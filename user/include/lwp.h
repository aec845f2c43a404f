/*
 * lwp.h: light-weight processes (threads) as NetBSD's libc has them.
 * For now: which LWP am I, and its private pointer (the thread library
 * keeps its per-thread data there).
 */
#ifndef _LWP_H_
#define _LWP_H_

#include <sys/types.h>

lwpid_t	_lwp_self(void);
void	*_lwp_getprivate(void);
void	_lwp_setprivate(void *);

#endif /* !_LWP_H_ */
