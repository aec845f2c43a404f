/*
 * sys/proc.h: processes.
 *
 * Lock legend.  The same block stands in sys/lwp.h, sys/proc.h,
 * sys/sched.h, sys/cpu_data.h and machine/cpu.h (tools/lint checks
 * that it does, and that every field there is marked with these
 * letters):
 *
 *   l   the LWP's current lock, *l_mutex (lwp_lock; kern_lwplock.c)
 *   m   spc_mutex: of l_cpu for an LWP's fields, of the CPU itself for
 *       its run queue's (struct schedstate_percpu)
 *   p   p_lock of the process
 *   P   proc_lock
 *   a   atomic operations; may be read without a lock, as a hint
 *   s   only the CPU itself, with interrupts off where its own interrupt
 *       handlers touch the field too
 *   !   only the LWP itself (or someone who knows it is not running)
 *   (   constant once set up
 *   A lock named in full (alllwp_lock, lp_lock, ...) is that lock.
 *   "m, read as a hint": written under the lock, read without it where
 *   an out-of-date value only makes a heuristic less good.
 *
 * proc0 owns every kernel thread; user processes are created by fork
 * (kern_fork.c) from init (pid 1), which the kernel starts
 * (kern_exec.c).  kern_lwp.c's header explains which LWP state changes
 * need p_lock and adjust which counter (lwp_check_counters).  Lock order: proc_lock ->
 * p_lock -> the LWP locks.
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/types.h>
#include <sys/condvar.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/signalvar.h>

struct file;
struct lcproc;
struct vmspace;

#define NFILE		32		/* open files per process */

struct proc {
	kmutex_t	*p_lock;	/* (: covers the p fields */
	pid_t		p_pid;		/* ( */
	int		p_flag;		/* p: PK_* */
	char		p_comm[MAXCOMLEN + 1]; /* p */
	LIST_HEAD(, lwp) p_lwps;	/* p: its LWPs */
	int		p_nlwps;	/* p: LWPs in p_lwps */
	int		p_nrlwps;	/* p: "running": IDL, RUN, ONPROC,
					 * SLEEP */
	int		p_nzlwps;	/* p: zombies */
	int		p_ndlwps;	/* p: detached */
	int		p_nlwpwait;	/* p: LWPs in lwp_wait() */
	lwpid_t		p_nlwpid;	/* p: last LID handed out */
	lwp_t		*p_zomblwp;	/* p: detached zombie to free */
	kcondvar_t	p_lwpcv;	/* p: LWP state changes (exit, refs,
					 * suspend, detach, wait) */
	struct lcproc	*p_lwpctl;	/* p: lwpctl blocks (kern_lwpctl.c) */
	kmutex_t	p_lock_store;	/* (: the storage p_lock points at */

	/* The process tree, exit and wait (proc_lock). */
	LIST_ENTRY(proc) p_list;	/* P: in allproc */
	struct proc	*p_pptr;	/* P: parent (init once orphaned) */
	pid_t		p_pgid;		/* P: process group (job control) */
	LIST_HEAD(, proc) p_children;	/* P: its children */
	LIST_ENTRY(proc) p_sibling;	/* P: in the parent's p_children */
	int		p_stat;		/* P: SIDL, SACTIVE, SDYING, SZOMB */
	int		p_xstat;	/* P: status for wait4 (W_EXITCODE) */
	kcondvar_t	p_waitcv;	/* P: a child of ours changed state */

	/* Signals (kern_sig.c, sys/signalvar.h). */
	struct sigacts	p_sigacts;	/* p: what each signal does */
	sigpend_t	p_sigpend;	/* p: pending for the process */
	int		p_sflag;	/* p: PS_* */
	int		p_xsig;		/* P: the signal that stopped it */
	bool		p_waited;	/* P: the parent saw the stop */

	/* Resources. */
	struct vmspace	*p_vmspace;	/* !: the address space, or NULL */
	struct file	*p_files[NFILE]; /* p: open files by descriptor */
	uint64_t	p_rtime;	/* p: run time of its dead LWPs, ns */
	uint64_t	p_nvcsw;	/* p: ... their voluntary switches */
	uint64_t	p_nivcsw;	/* p: ... and involuntary ones */
	uint64_t	p_crtime;	/* P: the same for reaped children */
	uint64_t	p_cnvcsw;	/* P */
	uint64_t	p_cnivcsw;	/* P */
};

/* p_flag */
#define PK_SYSTEM	0x00000002	/* only kernel threads */
#define PK_WEXIT	0x00100000	/* an LWP is making the others exit
					 * (exit1, execve: exit_begin) */

/* p_sflag (p) */
#define PS_STOPPING	0x00000001	/* stopping: its LWPs stop themselves */
#define PS_CONTINUED	0x00000002	/* continued, for wait4 WCONTINUED */

/* p_stat (NetBSD's values) */
#define SIDL		1		/* being created by fork */
#define SACTIVE		2		/* running (some LWP may be) */
#define SDYING		3		/* in exit1() */
#define SSTOP		4		/* stopped (SIGSTOP, SIGTSTP, ...) */
#define SZOMB		5		/* exited, waiting for wait4() */

#define PID_MAX		30000

extern struct proc proc0;
extern struct proc *initproc;		/* pid 1 */
extern kmutex_t proc_lock;
extern LIST_HEAD(proclist, proc) allproc; /* P */

#define curproc		(curlwp->l_proc)

void	procinit(void);
struct proc *proc_alloc(void);
void	proc_free(struct proc *);
struct proc *proc_find(pid_t);
bool	pgid_exists(pid_t);
void	proc_start_init(void);
int	fork1(lwp_t *, pid_t *);
void	exit1(lwp_t *, int) __dead;
bool	exit_begin(lwp_t *);
void	exit_lwps(lwp_t *);
void	trapsignal(lwp_t *, ksiginfo_t *, const char *, vaddr_t);
struct rusage;
void	proc_rusage(struct rusage *, uint64_t, uint64_t, uint64_t);
void	fd_closeall(struct proc *);
void	fd_share(struct proc *, struct proc *);
int	fd_open_console(struct proc *);
int	execve1(lwp_t *, const char *, char *const *, char *const *, bool);

#endif /* !_SYS_PROC_H_ */
