/*
 * sys/wait.h: wait4(2) options and status words, NetBSD's encoding
 * (shared with user space).
 *
 *   exited with code c:        c << 8
 *   killed by signal s:        s            (| 0x80 if it dumped core)
 *   stopped by signal s:       s << 8 | 0177
 *   continued (SIGCONT):       0xffff
 */
#ifndef _SYS_WAIT_H_
#define _SYS_WAIT_H_

#define WNOHANG		0x00000001	/* don't wait: 0 if nothing is ready */
#define WUNTRACED	0x00000002	/* report stopped children too */
#define WCONTINUED	0x00000010	/* report continued children */

#define _WSTATUS(x)	((x) & 0177)
#define _WSTOPPED	0177
#define WIFEXITED(x)	(_WSTATUS(x) == 0)
#define WEXITSTATUS(x)	(((x) >> 8) & 0xff)
#define WIFSIGNALED(x)	(_WSTATUS(x) != _WSTOPPED && _WSTATUS(x) != 0)
#define WTERMSIG(x)	(_WSTATUS(x))
#define WIFSTOPPED(x)	(_WSTATUS(x) == _WSTOPPED && !WIFCONTINUED(x))
#define _WCONTINUED	0xffff
#define WIFCONTINUED(x)	((x) == _WCONTINUED)
#define WSTOPSIG(x)	(((x) >> 8) & 0xff)
#define WCOREDUMP(x)	((x) & 0200)
#define W_EXITCODE(ret, sig)	((ret) << 8 | (sig))
#define W_STOPCODE(sig)		((sig) << 8 | _WSTOPPED)

#define WAIT_ANY	(-1)

#ifndef _KERNEL
/* User space: libc. */
#include <sys/types.h>

struct rusage;

pid_t	wait(int *);
pid_t	waitpid(pid_t, int *, int);
pid_t	wait4(pid_t, int *, int, struct rusage *);
#endif /* !_KERNEL */

#endif /* !_SYS_WAIT_H_ */
