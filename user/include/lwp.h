/*
 * lwp.h: light-weight processes (LWPs), the kernel's threads, as
 * NetBSD's libc offers them: the same functions, types and flags, so a
 * program written for NetBSD's _lwp_* interface compiles here as is.
 * docs/lwp.md tells the story; docs/man/ has a page per call.
 *
 * A new LWP starts in a ucontext_t (ucontext.h), usually one built by
 * _lwp_makecontext; it ends with _lwp_exit (also what its function
 * returns into) and is collected by _lwp_wait unless LWP_DETACHED.
 *
 * errno is one variable for the whole process, as in NetBSD's libc
 * without libpthread: two LWPs failing system calls at once may see
 * each other's errno.
 */
#ifndef _LWP_H_
#define _LWP_H_

#include <sys/types.h>
#include <sys/lwp.h>
#include <sys/time.h>
#include <sys/ucontext.h>

struct lwpctl;

lwpid_t	_lwp_self(void);
int	_lwp_create(const ucontext_t *, unsigned long, lwpid_t *);
int	_lwp_exit(void);
int	_lwp_wait(lwpid_t, lwpid_t *);
int	_lwp_suspend(lwpid_t);
int	_lwp_continue(lwpid_t);
int	_lwp_wakeup(lwpid_t);
int	_lwp_kill(lwpid_t, int);
int	_lwp_detach(lwpid_t);
void	_lwp_makecontext(ucontext_t *, void (*)(void *), void *, void *,
	    caddr_t, size_t);
void	*_lwp_getprivate(void);
void	_lwp_setprivate(void *);
int	_lwp_park(clockid_t, int, struct timespec *, lwpid_t, const void *,
	    const void *);
int	_lwp_unpark(lwpid_t, const void *);
ssize_t	_lwp_unpark_all(const lwpid_t *, size_t, const void *);
int	_lwp_setname(lwpid_t, const char *);
int	_lwp_getname(lwpid_t, char *, size_t);
int	_lwp_ctl(int, struct lwpctl **);

#endif /* !_LWP_H_ */
