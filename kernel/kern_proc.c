/*
 * kern_proc.c: processes: proc0, allocation and pids, the process tree,
 * wait4() and the process-id system calls.
 *
 * proc0 is the kernel's own process: it owns lwp0 and every kernel
 * thread.  User processes come from fork1() (kern_fork.c); the first,
 * init, from proc_start_init() (kern_exec.c).
 *
 * A process's life: SIDL (fork1 is building it) -> SACTIVE -> SDYING
 * (exit1 is tearing it down) -> SZOMB (only its status and its last,
 * zombie LWP are left) -> freed by the parent's wait4 (proc_free).
 * proc_lock covers the tree, the pids and those transitions, and
 * p_waitcv is how a parent waits for them.
 */
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/proc.h>
#include <sys/resource.h>
#include <sys/syscallargs.h>
#include <sys/wait.h>

struct proc proc0 = {
	.p_pid = 0,
	.p_flag = PK_SYSTEM,
	.p_stat = SACTIVE,
	.p_comm = "system",
	.p_lwps = LIST_HEAD_INITIALIZER(proc0.p_lwps),
	.p_lidhash = proc0.p_lidhash0,
	.p_lidhashmask = LIDHASH_MIN - 1,
	.p_children = LIST_HEAD_INITIALIZER(proc0.p_children),
};

struct proc *initproc;				/* (c) once started */
kmutex_t proc_lock;				/* adaptive */
struct proclist allproc = LIST_HEAD_INITIALIZER(allproc); /* proc_lock */
static pid_t pid_next = 1;			/* proc_lock */

/*
 * proc0's p_lock is a spin mutex at IPL_VM: it is taken during early
 * boot at raised IPL, where an adaptive mutex may not be.  User
 * processes' are adaptive, as in NetBSD.  p_lwpcv is broadcast
 * whenever an LWP exits or drops a reference.
 */
void
procinit(void)
{
	mutex_init(&proc0.p_lock_store, MUTEX_SPIN, IPL_VM, "p_lock");
	proc0.p_lock = &proc0.p_lock_store;
	cv_init(&proc0.p_lwpcv, "lwpwait");
	cv_init(&proc0.p_waitcv, "wait");
	mutex_init(&proc_lock, MUTEX_DEFAULT, IPL_NONE, "proc_lock");
	LIST_INSERT_HEAD(&allproc, &proc0, p_list);
}

/* Is pid free?  proc_lock held. */
static bool
pid_free(pid_t pid)
{
	struct proc *p;

	KASSERT(mutex_owned(&proc_lock));
	LIST_FOREACH(p, &allproc, p_list)
		if (p->p_pid == pid)
			return false;
	return true;
}

/*
 * A new process in SIDL with a pid, on allproc, with no LWPs, parent or
 * resources yet.  NULL if out of memory or pids.
 */
struct proc *
proc_alloc(void)
{
	struct proc *p = kmem_zalloc(sizeof(*p), KM_SLEEP);
	int tries;

	if (p == NULL)
		return NULL;
	mutex_init(&p->p_lock_store, MUTEX_DEFAULT, IPL_NONE, "p_lock");
	p->p_lock = &p->p_lock_store;
	cv_init(&p->p_lwpcv, "lwpwait");
	cv_init(&p->p_waitcv, "wait");
	LIST_INIT(&p->p_lwps);
	p->p_lidhash = p->p_lidhash0;	/* (zeroed: every chain empty) */
	p->p_lidhashmask = LIDHASH_MIN - 1;
	LIST_INIT(&p->p_children);
	p->p_stat = SIDL;

	mutex_enter(&proc_lock);
	for (tries = 0; tries < PID_MAX && !pid_free(pid_next); tries++)
		if (++pid_next >= PID_MAX)
			pid_next = 2;
	if (tries == PID_MAX) {
		mutex_exit(&proc_lock);
		kmem_free(p, sizeof(*p));
		return NULL;
	}
	p->p_pid = pid_next;
	if (++pid_next >= PID_MAX)
		pid_next = 2;
	LIST_INSERT_HEAD(&allproc, p, p_list);
	mutex_exit(&proc_lock);
	itimer_proc_init(p);
	rlim_init(p);
	return p;
}

/*
 * Free a process that wait4 took off the tree (or that fork1 could not
 * finish): its zombie LWPs, once each has switched away for good, and
 * the proc itself.  Its address space and files are gone already.
 */
void
proc_free(struct proc *p)
{
	lwp_t *l;

	KASSERT(p->p_vmspace == NULL);
	mutex_enter(p->p_lock);
	while ((l = LIST_FIRST(&p->p_lwps)) != NULL) {
		if (l->l_stat != LSZOMB) {
			/* exit1 woke our parent before its LWP got here. */
			cv_wait(&p->p_lwpcv, p->p_lock);
			continue;
		}
		lwp_free(l);		/* releases p_lock */
		mutex_enter(p->p_lock);
	}
	mutex_exit(p->p_lock);
	/* (The last lwp_free shrank the lid hash back into the proc.) */
	KASSERT(p->p_nlwps == 0 && p->p_lidhash == p->p_lidhash0);

	mutex_enter(&proc_lock);
	LIST_REMOVE(p, p_list);
	mutex_exit(&proc_lock);
	cv_destroy(&p->p_lwpcv);
	cv_destroy(&p->p_waitcv);
	mutex_destroy(&p->p_lock_store);
	itimer_proc_fini(p);
	kmem_free(p, sizeof(*p));
}

/* The process with this pid, or NULL.  proc_lock held. */
struct proc *
proc_find(pid_t pid)
{
	struct proc *p;

	KASSERT(mutex_owned(&proc_lock));
	LIST_FOREACH(p, &allproc, p_list)
		if (p->p_pid == pid && p->p_stat != SIDL)
			return p;
	return NULL;
}

static void
ns_to_timeval(uint64_t ns, struct timeval *tv)
{
	tv->tv_sec = ns / 1000000000;
	tv->tv_usec = (ns % 1000000000) / 1000;
}

/* Fill ru from run time and context switch counts. */
void
proc_rusage(struct rusage *ru, uint64_t rtime, uint64_t nvcsw,
    uint64_t nivcsw)
{
	memset(ru, 0, sizeof(*ru));
	ns_to_timeval(rtime, &ru->ru_utime);
	ru->ru_nvcsw = nvcsw;
	ru->ru_nivcsw = nivcsw;
}

/*
 * Has child c stopped (WUNTRACED) or continued (WCONTINUED) since its
 * parent last looked?  Its wait status if so (and it is now seen),
 * else 0.  proc_lock held.  A stop counts once all its LWPs stopped.
 */
static int
wait_stopcont(struct proc *c, int options)
{
	int status = 0;

	KASSERT(mutex_owned(&proc_lock));
	mutex_enter(c->p_lock);
	if ((options & WUNTRACED) && c->p_stat == SSTOP && !c->p_waited &&
	    !(c->p_sflag & PS_STOPPING)) {
		c->p_waited = true;
		status = W_STOPCODE(c->p_xsig);
	} else if ((options & WCONTINUED) && (c->p_sflag & PS_CONTINUED)) {
		c->p_sflag &= ~PS_CONTINUED;
		status = _WCONTINUED;
	}
	mutex_exit(c->p_lock);
	return status;
}

/*
 * wait4(pid, status, options, rusage): wait for a child (pid > 0: that
 * one; -1 or 0: any, since there are no process groups) to exit, and
 * reap it.  WNOHANG: return 0 at once if none has.  WUNTRACED: also
 * report a child that stopped, WCONTINUED one that was continued
 * (neither is reaped).  ECHILD if there is no such child.
 */
int
sys_wait4(lwp_t *l, const struct sys_wait4_args *uap, register_t *retval)
{
	struct proc *p = l->l_proc, *c;
	pid_t pid = SCARG(uap, pid);
	int options = SCARG(uap, options);
	struct rusage ru;
	int status, error;
	bool found;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED))
		return EINVAL;
	mutex_enter(&proc_lock);
	for (;;) {
		found = false;
		LIST_FOREACH(c, &p->p_children, p_sibling) {
			if (pid > 0 && c->p_pid != pid)
				continue;
			found = true;
			if (c->p_stat == SZOMB)
				break;
			if ((status = wait_stopcont(c, options)) != 0) {
				/* Stopped or continued: reported, kept. */
				*retval = c->p_pid;
				mutex_exit(&proc_lock);
				if (SCARG(uap, status) == NULL)
					return 0;
				return copyout(&status, SCARG(uap, status),
				    sizeof(status));
			}
		}
		if (c != NULL || !found || (options & WNOHANG))
			break;
		/* Interruptible: another LWP's exit or _lwp_suspend must
		 * not wait for our child. */
		if ((error = cv_wait_sig(&p->p_waitcv, &proc_lock)) != 0) {
			mutex_exit(&proc_lock);
			return error;
		}
	}
	if (c == NULL) {
		mutex_exit(&proc_lock);
		*retval = 0;
		return found ? 0 : ECHILD;
	}

	/* Reap c: its counts go to ours, then it goes. */
	LIST_REMOVE(c, p_sibling);
	p->p_crtime += c->p_rtime + c->p_crtime;
	p->p_cnvcsw += c->p_nvcsw + c->p_cnvcsw;
	p->p_cnivcsw += c->p_nivcsw + c->p_cnivcsw;
	mutex_exit(&proc_lock);
	*retval = c->p_pid;
	status = c->p_xstat;
	proc_rusage(&ru, c->p_rtime, c->p_nvcsw, c->p_nivcsw);
	proc_free(c);

	if (SCARG(uap, status) != NULL &&
	    (error = copyout(&status, SCARG(uap, status), sizeof(status))) != 0)
		return error;
	if (SCARG(uap, rusage) != NULL &&
	    (error = copyout(&ru, SCARG(uap, rusage), sizeof(ru))) != 0)
		return error;
	return 0;
}

int
sys_getpid(lwp_t *l, const void *uap, register_t *retval)
{
	*retval = l->l_proc->p_pid;
	return 0;
}

int
sys_getppid(lwp_t *l, const void *uap, register_t *retval)
{
	mutex_enter(&proc_lock);
	*retval = l->l_proc->p_pptr->p_pid;
	mutex_exit(&proc_lock);
	return 0;
}

/* ---- process groups (job control) ------------------------------------- */

/* Is there a live process in group pgid?  proc_lock held. */
bool
pgid_exists(pid_t pgid)
{
	struct proc *p;

	KASSERT(mutex_owned(&proc_lock));
	LIST_FOREACH(p, &allproc, p_list)
		if (p->p_pgid == pgid && p->p_stat != SZOMB &&
		    p->p_stat != SIDL)
			return true;
	return false;
}

int
sys_getpgrp(lwp_t *l, const void *uap, register_t *retval)
{
	mutex_enter(&proc_lock);
	*retval = l->l_proc->p_pgid;
	mutex_exit(&proc_lock);
	return 0;
}

/* getpgid(pid): pid 0 is the caller.  ESRCH. */
int
sys_getpgid(lwp_t *l, const struct sys_getpgid_args *uap, register_t *retval)
{
	struct proc *p;
	int error = 0;

	mutex_enter(&proc_lock);
	p = SCARG(uap, pid) == 0 ? l->l_proc : proc_find(SCARG(uap, pid));
	if (p == NULL || p->p_stat == SZOMB)
		error = ESRCH;
	else
		*retval = p->p_pgid;
	mutex_exit(&proc_lock);
	return error;
}

/*
 * setpgid(pid, pgid): put process pid (0: the caller), which must be
 * the caller or one of its children, in group pgid (0: a new group
 * named after pid), which must be pid itself or an existing group.
 * ESRCH, EINVAL (pgid < 0), EPERM (no such group).  (No sessions:
 * NetBSD's other EPERM cases do not arise.)
 */
int
sys_setpgid(lwp_t *l, const struct sys_setpgid_args *uap, register_t *retval)
{
	struct proc *self = l->l_proc, *p;
	pid_t pid = SCARG(uap, pid), pgid = SCARG(uap, pgid);
	int error = 0;

	if (pgid < 0)
		return EINVAL;
	mutex_enter(&proc_lock);
	p = pid == 0 ? self : proc_find(pid);
	if (p == NULL || p->p_stat == SZOMB ||
	    (p != self && p->p_pptr != self))
		error = ESRCH;
	else {
		if (pgid == 0)
			pgid = p->p_pid;
		if (pgid != p->p_pid && !pgid_exists(pgid))
			error = EPERM;
		else
			p->p_pgid = pgid;
	}
	mutex_exit(&proc_lock);
	return error;
}
