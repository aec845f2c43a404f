/*
 * sys/select.h: fd_set and select(2) as NetBSD declares them (its
 * <sys/time.h> brings this in, and so does ours).
 *
 * lwpkern's select is libc's, not a system call, and waits for no
 * descriptor: with no descriptor in any set it sleeps for the timeout
 * (NULL: until a signal is caught, then -1 with EINTR; otherwise 0 when
 * the time is up), which is what programs use it for as a portable
 * sleep; a descriptor in a set makes it fail with ENOSYS.
 */
#ifndef _SYS_SELECT_H_
#define _SYS_SELECT_H_

#include <sys/types.h>

#define FD_SETSIZE	256
#define __NFDBITS	32

typedef uint32_t	__fd_mask;

typedef struct fd_set {
	__fd_mask	fds_bits[(FD_SETSIZE + __NFDBITS - 1) / __NFDBITS];
} fd_set;

#define FD_SET(n, p)	\
	((p)->fds_bits[(unsigned)(n) / __NFDBITS] |= (1U << ((n) % __NFDBITS)))
#define FD_CLR(n, p)	\
	((p)->fds_bits[(unsigned)(n) / __NFDBITS] &= ~(1U << ((n) % __NFDBITS)))
#define FD_ISSET(n, p)	\
	(((p)->fds_bits[(unsigned)(n) / __NFDBITS] & (1U << ((n) % __NFDBITS))) != 0)
#define FD_ZERO(p)	do {						\
	for (unsigned __i = 0; __i < sizeof((p)->fds_bits) /		\
	    sizeof((p)->fds_bits[0]); __i++)				\
		(p)->fds_bits[__i] = 0;					\
} while (/* CONSTCOND */ 0)

#ifndef _KERNEL
struct timeval;
int	select(int, fd_set *__restrict, fd_set *__restrict,
	    fd_set *__restrict, struct timeval *__restrict);
#endif /* !_KERNEL */

#endif /* !_SYS_SELECT_H_ */
