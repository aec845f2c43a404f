/*
 * sys/proc.h: processes.
 *
 * Lock legend: p = p_lock; a = proc-wide atomic; ( = stable.
 *
 * At this stage there is one process, proc0, which owns every kernel
 * thread.  User processes come with user space; the fields below are
 * already kept correct for them (kern_lwp.c's header explains which
 * state changes need p_lock and adjust which counter).
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/types.h>
#include <sys/condvar.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/queue.h>

struct proc {
	kmutex_t	*p_lock;	/* (: covers the p fields */
	pid_t		p_pid;		/* ( */
	int		p_flag;		/* p: PK_* */
	char		p_comm[MAXCOMLEN + 1]; /* p */
	LIST_HEAD(, lwp) p_lwps;	/* p: its LWPs */
	int		p_nlwps;	/* p: LWPs in p_lwps */
	int		p_nrlwps;	/* p: running: RUN, ONPROC, SLEEP */
	int		p_nzlwps;	/* p: zombies */
	int		p_ndlwps;	/* p: detached */
	int		p_nlwpwait;	/* p: LWPs in lwp_wait() */
	lwpid_t		p_nlwpid;	/* p: last LID handed out */
	lwp_t		*p_zomblwp;	/* p: detached zombie to free */
	kcondvar_t	p_lwpcv;	/* p: LWP state changes (exit, refs) */
	kmutex_t	p_lock_store;	/* the storage p_lock points at */
};

/* p_flag */
#define PK_SYSTEM	0x00000002	/* only kernel threads */

extern struct proc proc0;

void	procinit(void);

#endif /* !_SYS_PROC_H_ */
