/*
 * kern_exit.c: ending a process: _exit(), and the kernel killing a
 * program that faulted.
 *
 * exit1() takes a process apart in an order that keeps everyone safe:
 *
 *   1. the other LWPs (if any) are told to exit (LW_WEXIT, seen at
 *      their next lwp_userret) and waited for, and freed (exit_lwps;
 *      if two LWPs call exit1 at once, the second just exits);
 *   2. files closed; the address space freed, after switching this CPU
 *      to the kernel's page tables (we are running on the process's);
 *   3. under proc_lock: children handed to init, status recorded,
 *      SZOMB, the parent woken;
 *   4. the last LWP exits (lwp_exit), leaving a zombie LWP the parent's
 *      wait4 frees with the proc (proc_free).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sleepq.h>
#include <sys/tty.h>
#include <sys/signal.h>
#include <sys/syscallargs.h>
#include <sys/time.h>
#include <sys/vmspace.h>
#include <sys/wait.h>

/* Is every LWP of l's process but l a zombie (LSZOMB)?  p_lock held. */
static bool
exit_others_zombies(lwp_t *l)
{
	lwp_t *l2;

	KASSERT(mutex_owned(l->l_proc->p_lock));
	LIST_FOREACH(l2, &l->l_proc->p_lwps, l_sibling)
		if (l2 != l && l2->l_stat != LSZOMB)
			return false;
	return true;
}

/*
 * Make every other LWP of l's process exit, wait for them, and free
 * them: exit1() and execve() of a multi-LWP process.  Each is told with
 * LW_WEXIT, which it acts on in lwp_userret: one running elsewhere is
 * interrupted (lwp_need_userret), an interruptible sleep is cut short,
 * a suspended one is made runnable.  Only one LWP may do this at a
 * time: the caller set PK_WEXIT (see exit_begin).  p_lock held.
 */
void
exit_lwps(lwp_t *l)
{
	struct proc *p = l->l_proc;
	bool tell = true;
	lwp_t *l2;
	int live;

	KASSERT(mutex_owned(p->p_lock));
	KASSERT(p->p_flag & PK_WEXIT);
	for (;;) {
		/*
		 * Until every other LWP is LSZOMB, which lwp_exit sets (with
		 * p_lock held) once it is done with the process, and then
		 * broadcasts p_lwpcv.  p_nlwps - p_nzlwps == 1 is not enough
		 * on its own: lwp_exit counts itself in p_nzlwps first, and
		 * may then drop p_lock (freeing the last detached zombie,
		 * draining references) long before it is a zombie that may
		 * be freed.  It is the cheap test that must hold first, so
		 * the list is walked only in that short window.
		 */
		if ((live = p->p_nlwps - p->p_nzlwps) == 1 &&
		    exit_others_zombies(l))
			break;
		if (tell && live > 1)
			LIST_FOREACH(l2, &p->p_lwps, l_sibling) {
				if (l2 == l || l2->l_stat == LSZOMB)
					continue;
				lwp_lock(l2);
				l2->l_flag |= LW_WEXIT;
				if ((l2->l_stat == LSSLEEP &&
				    (l2->l_flag & LW_SINTR)) ||
				    l2->l_stat == LSSUSPENDED ||
				    l2->l_stat == LSSTOP)
					setrunnable(l2);	/* unlocks */
				else {
					lwp_need_userret(l2);
					lwp_unlock(l2);
				}
			}
		cv_wait(&p->p_lwpcv, p->p_lock);
		/*
		 * p_lwpcv is broadcast at every LWP's exit: telling them
		 * all again at each would cost O(n) a wakeup, O(n^2) in
		 * all (26 000 LWPs at SMP=4: p_lock held through walks of
		 * the list while the others pile up on it).  Once is
		 * enough: an LWP created since has LW_WEXIT from its
		 * creator, and a sleep, suspension or stop that begins
		 * after sees LW_WEXIT.  So again only after a wakeup with
		 * no exit in it (some other state change).
		 */
		tell = p->p_nlwps - p->p_nzlwps >= live;
	}
	/* Now all zombies but us: free them. */
	p->p_zomblwp = NULL;
	while ((l2 = LIST_FIRST(&p->p_lwps)) != NULL) {
		if (l2 == l && (l2 = LIST_NEXT(l, l_sibling)) == NULL)
			break;
		lwp_free(l2);		/* releases p_lock */
		mutex_enter(p->p_lock);
	}
	KASSERT(p->p_nlwps == 1 && p->p_nrlwps == 1 && p->p_nzlwps == 0 &&
	    p->p_ndlwps == (l->l_prflag & LPR_DETACHED ? 1 : 0));
}

/*
 * Claim the process for taking apart (exit1, execve): true if l may go
 * on (PK_WEXIT is now set), false if another LWP got there first -- then
 * l has been told to exit too, and must (the other one waits for it).
 * p_lock held.
 */
bool
exit_begin(lwp_t *l)
{
	struct proc *p = l->l_proc;

	KASSERT(mutex_owned(p->p_lock));
	if (p->p_flag & PK_WEXIT)
		return false;
	p->p_flag |= PK_WEXIT;
	return true;
}

/*
 * End l's process with wait4 status xstat (W_EXITCODE).  p_lock held,
 * as in NetBSD (released; never returns): a fatal signal is taken and
 * the process claimed (exit_begin) under one hold, so no execve can
 * claim it between the two and spend the signal on an LWP that dies.
 */
void
exit1(lwp_t *l, int xstat)
{
	struct proc *p = l->l_proc, *c;
	struct vmspace *vm;
	bool zombies = false;

	KASSERT(l == curlwp && !(p->p_flag & PK_SYSTEM));
	KASSERT(mutex_owned(p->p_lock));
	if (p == initproc)
		panic("init exited (status %#x): nothing left to run", xstat);

	if (!exit_begin(l)) {
		/* Another LWP is ending (or exec'ing) the process. */
		mutex_exit(p->p_lock);
		lwp_exit(l);
	}
	mutex_exit(p->p_lock);
	mutex_enter(&proc_lock);
	mutex_enter(p->p_lock);
	/* A stop in progress is void: the process dies.  Left set,
	 * PS_STOPPING with p_stat no longer SSTOP had every LWP that
	 * came to issignal() join a stop that never comes, round and
	 * round, never seeing LW_WEXIT: an unkillable process (the
	 * fuzzer's batches that did not die, four times in 17 million
	 * calls; the hang report showed them all in issignal1). */
	p->p_stat = SDYING;
	p->p_sflag &= ~PS_STOPPING;
	mutex_exit(p->p_lock);
	mutex_exit(&proc_lock);

	mutex_enter(p->p_lock);
	exit_lwps(l);
	mutex_exit(p->p_lock);

	itimer_exit(p);			/* no SIGALRM from now on */
	fd_closeall(p);
	lwp_ctl_exit(p);
	kpreempt_disable();
	pmap_activate(NULL);
	vm = p->p_vmspace;
	p->p_vmspace = NULL;
	kpreempt_enable();
	vmspace_free(vm);

	mutex_enter(&proc_lock);
	while ((c = LIST_FIRST(&p->p_children)) != NULL) {
		LIST_REMOVE(c, p_sibling);
		c->p_pptr = initproc;
		LIST_INSERT_HEAD(&initproc->p_children, c, p_sibling);
		zombies |= c->p_stat == SZOMB;
	}
	if (zombies)
		cv_broadcast(&initproc->p_waitcv);
	/* Our own run time, for the parent's getrusage(RUSAGE_CHILDREN). */
	mutex_enter(p->p_lock);
	p->p_rtime += l->l_rtime + (nsuptime() - l->l_stime);
	p->p_nvcsw += l->l_ncsw - l->l_nivcsw;
	p->p_nivcsw += l->l_nivcsw;
	mutex_exit(p->p_lock);
	p->p_xstat = xstat;
	p->p_stat = SZOMB;
	cons_pgrp_gone(p->p_pgid);	/* the terminal's group may be gone */
	cv_broadcast(&p->p_pptr->p_waitcv);
	sigchld_exit(p);
	mutex_exit(&proc_lock);

	lwp_exit(l);
}

int
sys_exit(lwp_t *l, const struct sys_exit_args *uap, register_t *retval)
{
	mutex_enter(l->l_proc->p_lock);
	exit1(l, W_EXITCODE(SCARG(uap, rval) & 0xff, 0));
}
