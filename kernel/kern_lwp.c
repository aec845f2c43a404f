/*
 * kern_lwp.c: LWPs: their states and their life cycle.
 *
 * States (l_stat) and the transitions this kernel makes, after NetBSD's
 * kern_lwp.c (revision 1.157, the reference):
 *
 *	RUN -------> ONPROC		ONPROC -----> RUN      (yield, preempt)
 *					       > SLEEP    (sleep queues)
 *					       > STOPPED  (user space)
 *					       > SUSPENDED
 *					       > ZOMB     (lwp_exit)
 *					       > IDL      (idle LWPs only)
 *	STOPPED ---> RUN		SUSPENDED --> RUN
 *		   > SLEEP
 *	SLEEP -----> ONPROC		IDL --------> RUN      (lwp_start)
 *		   > RUN			    > SUSPENDED (LWP_SUSPENDED)
 *		   > STOPPED			    > STOPPED (a stopping process)
 *						    > ONPROC (idle LWPs)
 *
 * (A STOPPED or SUSPENDED LWP that is still on its CPU, switching
 * away, goes back to ONPROC: setrunnable1.)
 *
 * Where the rest lives: lock lending (l_mutex and the state-to-lock
 * table, lwp_lock and friends) in kern_lwplock.c; exit, zombies and
 * lwp_wait1 in kern_lwpexit.c; switching (mi_switch, setrunnable) in
 * kern_synch.c; choosing CPUs and migration in kern_migrate.c; the
 * LWP system calls in sys_lwp.c.
 *
 * Entering or leaving LSIDL, LSZOMB, LSSTOP or LSSUSPENDED also needs
 * p_lock, to keep the process's counters right: p_nrlwps counts LWPs in
 * LSIDL, LSRUN, LSONPROC and LSSLEEP (the last three need no p_lock to
 * move among; lwp_check_counters recounts them).
 *
 * Migration: the scheduler moves LWPs itself (sched_takecpu,
 * sched_catchlwp); everyone else uses lwp_migrate().  An LWP never
 * changes its own l_cpu.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/kcpuset.h>
#include <sys/kmem.h>
#include <sys/kstack.h>
#include <sys/lwp.h>
#include <sys/lwpctl.h>
#include <sys/pmap.h>
#include <sys/pool.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/syncobj.h>
#include <sys/time.h>
#include <sys/turnstile.h>
#include <sys/vm_page.h>

lwp_t lwp0 __aligned(LWP_ALIGN) = {
	.l_stat = LSONPROC,
	.l_flag = LW_SYSTEM,
	.l_pflag = LP_MPSAFE | LP_RUNNING | LP_BOUND,
	.l_priority = PRI_KTHREAD,
	.l_inheritedprio = -1,
	.l_lid = 1,
	.l_proc = &proc0,
	.l_refcnt = 1,
	.l_syncobj = &sched_syncobj,
	.l_ts = &turnstile0,
};

static pool_cache_t lwp_cache;		/* (c) */
kmutex_t alllwp_lock = MUTEX_INITIALIZER("alllwp", IPL_VM);
struct lwplist alllwp = LIST_HEAD_INITIALIZER(alllwp); /* alllwp_lock */

/* Make lwp0 (the boot thread, running main()) a proper LWP. */
void
lwpinit(void)
{
	struct cpu_info *ci = curcpu();

	/*
	 * LWP memory is type-stable: this pool never gives its pages back
	 * (no pool does: sys/pool.h), so an address that once held an LWP
	 * holds an LWP or a free lwp_cache object for ever.  The adaptive
	 * mutex's spin relies on it: it reads the owner's l_pflag and
	 * l_cpu although the owner may have been freed meanwhile
	 * (kern_mutex.c; NetBSD 10 creates this pool PR_PSERIALIZE for
	 * the same readers).  So every lwp_t but lwp0 comes from here, and
	 * this pool must never release pages without NetBSD's barrier.
	 */
	lwp_cache = pool_cache_init(sizeof(lwp_t), LWP_ALIGN, 0, 0, "lwppl", NULL,
	    IPL_NONE, NULL, NULL, NULL);
	lwp0.l_cpu = ci;
	lwp0.l_mutex = ci->ci_schedstate.spc_lwplock;
	lwp0.l_name = "lwp0";
	lwp0.l_stime = nsuptime();
	callout_init(&lwp0.l_timeout_ch, CALLOUT_MPSAFE);
	callout_setfunc(&lwp0.l_timeout_ch, sleepq_timeout, &lwp0);
	ci->ci_curlwp = &lwp0;
	ci->ci_schedstate.spc_curpriority = lwp0.l_priority;
	LIST_INSERT_HEAD(&proc0.p_lwps, &lwp0, l_sibling);
	proc0.p_nlwps = proc0.p_nrlwps = 1;
	proc0.p_nlwpid = 1;
	LIST_INSERT_HEAD(&alllwp, &lwp0, l_list);
}

/* How many struct lwp exist (zombies included): for leak checks. */
size_t
lwp_nallocated(void)
{
	struct pool_stats ps;

	pool_cache_stats(lwp_cache, &ps);
	return ps.ps_nout;
}

/* lwp_cache's statistics (its pages, for t_sched.c). */
void
lwp_cache_stats(struct pool_stats *ps)
{
	pool_cache_stats(lwp_cache, ps);
}

/*
 * Is l still LWP memory, as far as can be told: not given back to the
 * page allocator?  (Memory outside the direct map -- lwp0, made-up
 * LWPs in tests -- is static.)  For the DIAGNOSTIC check of the rule
 * in lwpinit, where it is relied on (kern_mutex.c).
 */
bool
lwp_memory_p(const lwp_t *l)
{
	return !pmap_is_direct(l) || !vm_page_is_free(pmap_direct_pa(l));
}


/* ---- priorities -------------------------------------------------------- */

/* The priority l is scheduled at: its own, or one lent to it. */
pri_t
lwp_eprio(const lwp_t *l)
{
	return MAX(l->l_priority, l->l_inheritedprio);
}

/* ---- life cycle ----------------------------------------------------------- */

/*
 * Create an LWP in process p2, using l1 as the template: LSIDL, on l1's
 * CPU, locked by that CPU's spc_mutex, with a kernel stack set up to
 * start in func(arg).  The caller makes it runnable (lwp_start).
 * Returns 0, ENOMEM, or EAGAIN if the process has MAXLWP_PER_PROC.
 */
int
lwp_create(lwp_t *l1, struct proc *p2, int flags, void (*func)(void *),
    void *arg, lwp_t **rnewlwpp)
{
	lwp_t *l2;

	KASSERT(l1 == curlwp || l1->l_proc == &proc0);

	/* Reap a detached zombie waiting to be collected, first. */
	if (p2->p_zomblwp != NULL) {
		mutex_enter(p2->p_lock);
		lwp_reap_detached(p2);
		mutex_exit(p2->p_lock);
	}

	if ((l2 = pool_cache_get(lwp_cache, PR_WAITOK)) == NULL)
		return ENOMEM;
	memset(l2, 0, sizeof(*l2));
	callout_init(&l2->l_timeout_ch, CALLOUT_MPSAFE);
	callout_setfunc(&l2->l_timeout_ch, sleepq_timeout, l2);
	if ((l2->l_kstack = kstack_alloc()) == 0 ||
	    (l2->l_ts = turnstile_alloc()) == NULL) {
		lwp_destroy(l2);
		return ENOMEM;
	}
	l2->l_stat = LSIDL;
	l2->l_proc = p2;
	l2->l_refcnt = 1;
	l2->l_priority = l1->l_priority;
	l2->l_sigmask = l1->l_sigmask;
	l2->l_inheritedprio = -1;
	l2->l_pflag = LP_MPSAFE;
	l2->l_func = func;
	l2->l_arg = arg;
	l2->l_syncobj = &sched_syncobj;
	if (p2->p_flag & PK_SYSTEM)
		l2->l_flag |= LW_SYSTEM;

	kpreempt_disable();
	l2->l_mutex = l1->l_cpu->ci_schedstate.spc_mutex;
	l2->l_cpu = l1->l_cpu;
	kpreempt_enable();

	cpu_lwp_fork(l1, l2, func, arg);

	mutex_enter(p2->p_lock);
	if (p2->p_nlwps >= MAXLWP_PER_PROC && !(p2->p_flag & PK_SYSTEM)) {
		mutex_exit(p2->p_lock);
		lwp_destroy(l2);
		return EAGAIN;
	}
	/* A process on its way out: the new LWP goes straight too. */
	if (l1->l_proc == p2)
		l2->l_flag |= l1->l_flag & LW_WEXIT;
	if (flags & LWP_DETACHED) {
		l2->l_prflag = LPR_DETACHED;
		p2->p_ndlwps++;
	}
	if (++p2->p_nlwpid <= 0)
		p2->p_nlwpid = 1;
	l2->l_lid = p2->p_nlwpid;
	LIST_INSERT_HEAD(&p2->p_lwps, l2, l_sibling);
	p2->p_nlwps++;
	p2->p_nrlwps++;
	lwp_check_counters(p2);

	/* Inherit the creator's affinity, with l1 locked against changes. */
	if (l1->l_flag & LW_AFFINITY) {
		lwp_lock(l1);
		if (l1->l_flag & LW_AFFINITY) {
			kcpuset_use(l1->l_affinity);
			l2->l_affinity = l1->l_affinity;
			l2->l_flag |= LW_AFFINITY;
		}
		lwp_unlock(l1);
	}
	if (!(p2->p_flag & PK_SYSTEM)) {
		/* User LWPs start where sched_takecpu says (kernel threads
		 * start on the creator's CPU and are spread by stealing). */
		lwp_lock(l2);
		l2->l_cpu = sched_takecpu(l2);
		lwp_unlock_to(l2, l2->l_cpu->ci_schedstate.spc_mutex);
	}
	mutex_exit(p2->p_lock);

	mutex_spin_enter(&alllwp_lock);
	LIST_INSERT_HEAD(&alllwp, l2, l_list);
	mutex_spin_exit(&alllwp_lock);

	*rnewlwpp = l2;
	return 0;
}

/*
 * Start an LWP that lwp_create() left in LSIDL: LSRUN on its l_cpu's
 * run queue; or, with LWP_SUSPENDED, LSSUSPENDED until lwp_continue();
 * or, in a process that is stopping or stopped, LSSTOP until it is
 * continued, so that the stop completes (the stopping LWPs could not
 * have told it: it did not exist, or was LSIDL).  Neither of the last
 * two counts in p_nrlwps (it is not running), and its lock becomes its
 * CPU's spc_lwplock, as the table at the top says.  p_lock held
 * (leaving LSIDL changes the process's counters; p_stat is
 * proc_lock's, but a stop or a continue changes it under p_lock too).
 * As in the reference's sys__lwp_create, a suspension wins over a
 * stop.
 */
void
lwp_start(lwp_t *l, int flags)
{
	struct proc *p = l->l_proc;

	KASSERT(mutex_owned(p->p_lock));
	lwp_lock(l);
	KASSERT(l->l_stat == LSIDL && !(l->l_flag & LW_IDLE));
	if ((flags & LWP_SUSPENDED) || p->p_stat == SSTOP ||
	    (p->p_sflag & PS_STOPPING)) {
		KASSERT(l->l_wchan == NULL);
		l->l_stat = (flags & LWP_SUSPENDED) ? LSSUSPENDED : LSSTOP;
		p->p_nrlwps--;
		lwp_unlock_to(l, l->l_cpu->ci_schedstate.spc_lwplock);
		lwp_check_counters(p);
		return;
	}
	l->l_stat = LSRUN;
	sched_enqueue(l, false);
	lwp_unlock(l);
}


/*
 * Free what lwp_create gave l: its kernel stack, turnstile, callout,
 * name and the structure itself (what it did not get yet is NULL or
 * 0).  Nothing may reach l any more: it is on no list, and no CPU runs
 * on its stack.  lwp_free's last step, and lwp_create's way back.
 */
void
lwp_destroy(lwp_t *l)
{
	KASSERT(!(l->l_pflag & LP_RUNNING));
	KASSERT(SLIST_EMPTY(&l->l_pi_lenders));
	if (l->l_ts != NULL && l->l_ts != &turnstile0)
		turnstile_free(l->l_ts);
	callout_destroy(&l->l_timeout_ch);
	if (l->l_kstack != 0)
		kstack_free(l->l_kstack);
	if (l->l_name != NULL)
		kmem_free(l->l_name, MAXCOMLEN);
	pool_cache_put(lwp_cache, l);
}

/*
 * On the way back to user mode with LW_USERRET work pending (flags set
 * by others under the LWP's lock; reading them unlocked here is fine:
 * whoever sets one also makes sure we pass through here again, with
 * lwp_need_userret()).
 *
 *   LW_WEXIT      the process is exiting (exit1 of another LWP): go.
 *                 First, so that an exit beats a pending suspension.
 *   LW_PENDSIG    signals: take each (issignal), run its handler or
 *                 its default action (postsig); a stop stops us here.
 *   LW_WSUSPEND   _lwp_suspend(): become LSSUSPENDED and switch away
 *                 until lwp_continue() makes us runnable; _lwp_suspend
 *                 waits on p_lwpcv for exactly this state change.
 */
void
lwp_userret(lwp_t *l)
{
	struct proc *p = l->l_proc;

	KASSERT(l == curlwp && !(l->l_flag & LW_SYSTEM));
	KASSERT(l->l_stat == LSONPROC);
	while (l->l_flag & LW_USERRET) {
		if (l->l_flag & LW_WEXIT)
			lwp_exit(l);
		if (l->l_flag & LW_PENDSIG) {
			int sig;

			mutex_enter(p->p_lock);
			while ((sig = issignal(l)) != 0)
				postsig(sig);
			/* sigsuspend's mask, if no handler took it back. */
			if (l->l_sigrestore) {
				l->l_sigrestore = false;
				sigsetmask(l, &l->l_sigoldmask);
			}
			mutex_exit(p->p_lock);
			continue;
		}
		if (l->l_flag & LW_WSUSPEND)
			lwp_suspend_point(l);
	}
}

/*
 * If l (curlwp, holding nothing) is asked to suspend (LW_WSUSPEND),
 * do it here: LSSUSPENDED until lwp_continue().  lwp_userret's step,
 * and nanosleep's, which suspends in the middle of its sleep.
 */
void
lwp_suspend_point(lwp_t *l)
{
	struct proc *p = l->l_proc;

	KASSERT(l == curlwp && l->l_stat == LSONPROC);
	mutex_enter(p->p_lock);
	lwp_lock(l);
	if (l->l_flag & LW_WSUSPEND) {
		l->l_stat = LSSUSPENDED;
		p->p_nrlwps--;
		lwp_check_counters(p);
		cv_broadcast(&p->p_lwpcv);
	}
	mutex_exit(p->p_lock);
	/* (Still locked: an lwp_continue() now waits for the lock and then
	 * finds us LSSUSPENDED but on the CPU, which setrunnable handles by
	 * letting us run on.) */
	if (l->l_stat == LSSUSPENDED)
		mi_switch(l);
	else
		lwp_unlock(l);
}

/*
 * Make l pass through lwp_userret() soon: if it runs on another CPU,
 * interrupt it.  (One that is not running passes through userret
 * anyway before it reaches user mode.)  l locked.
 */
void
lwp_need_userret(lwp_t *l)
{
	KASSERT(lwp_locked(l, NULL));
	if ((l->l_pflag & LP_RUNNING) && l != curlwp)
		cpu_signotify(l);
}


/* Name an LWP (truncated to MAXCOMLEN - 1 characters). */
void
lwp_setname(lwp_t *l, const char *name)
{
	char *n = kmem_zalloc(MAXCOMLEN, KM_SLEEP);

	KASSERT(l->l_name == NULL && n != NULL);
	strlcpy(n, name, MAXCOMLEN);
	l->l_name = n;
}

/* ---- references: keep an LWP from being freed while we look at it --- */

void
lwp_addref(lwp_t *l)
{
	KASSERT(mutex_owned(l->l_proc->p_lock));
	KASSERT(l->l_stat != LSZOMB);
	l->l_refcnt++;
}

void
lwp_delref(lwp_t *l)
{
	struct proc *p = l->l_proc;

	mutex_enter(p->p_lock);
	lwp_delref2(l);
	mutex_exit(p->p_lock);
}

void
lwp_delref2(lwp_t *l)
{
	KASSERT(mutex_owned(l->l_proc->p_lock));
	KASSERT(l->l_refcnt > 0);
	if (--l->l_refcnt == 0)
		cv_broadcast(&l->l_proc->p_lwpcv);	/* lwp_drainrefs */
}

/* Wait until ours is the only reference.  p_lock held (dropped while
 * asleep on p_lwpcv). */
void
lwp_drainrefs(lwp_t *l)
{
	struct proc *p = l->l_proc;

	KASSERT(mutex_owned(p->p_lock));
	KASSERT(l->l_refcnt != 0);
	l->l_refcnt--;
	while (l->l_refcnt != 0)
		cv_wait(&p->p_lwpcv, p->p_lock);
}


/*
 * The process's LWP counters must match its LWPs (DIAGNOSTIC): called
 * with p_lock held after every change of state that moves a counter.
 * Reading another LWP's l_stat without its lock is fine here: the
 * states it may change between unlocked (RUN, ONPROC, SLEEP) all count
 * the same, and every other change needs p_lock.
 */
void
lwp_check_counters(struct proc *p)
{
#if DIAGNOSTIC
	int n = 0, nr = 0, nz = 0, nd = 0;
	lwp_t *l;

	KASSERT(mutex_owned(p->p_lock));
	LIST_FOREACH(l, &p->p_lwps, l_sibling) {
		n++;
		switch (l->l_stat) {
		case LSIDL:
		case LSRUN:
		case LSONPROC:
		case LSSLEEP:
			nr++;
			break;
		case LSZOMB:
			nz++;
			break;
		}
		/* lwp_exit counts itself a zombie before it is one. */
		nz += l->l_stat != LSZOMB && (l->l_prflag & LPR_EXITING);
		nd += (l->l_prflag & LPR_DETACHED) != 0;
	}
	KASSERTMSG(n == p->p_nlwps && nr == p->p_nrlwps &&
	    nz == p->p_nzlwps && nd == p->p_ndlwps,
	    "pid %d: %d LWPs, %d running, %d zombies, %d detached; counters "
	    "say %d, %d, %d, %d", p->p_pid, n, nr, nz, nd, p->p_nlwps,
	    p->p_nrlwps, p->p_nzlwps, p->p_ndlwps);
#endif
}

/* ---- finding, waiting for, suspending LWPs (sys_lwp.c's helpers) ------ */

/*
 * Looking LWPs up by id.  Three layers, as NetBSD 2020 has them:
 *
 *   proc_find_lwp(p, lid)  any LWP of p with that id, in any state
 *                          (the reference's era scanned p_lwps in each
 *                          caller); p_lock held
 *   lwp_find(p, lid)       the same, but only a live one: an LWP being
 *                          created (LSIDL) or dead (LSZOMB) is not found,
 *                          which is why the _lwp_* calls answer ESRCH
 *                          for them; p_lock held, and the result stays
 *                          valid while it is
 *   lwp_find2(pid, lid)    across processes, for system calls that name
 *                          a process: returns with that process's p_lock
 *                          held
 */
lwp_t *
proc_find_lwp(struct proc *p, lwpid_t lid)
{
	lwp_t *l;

	KASSERT(mutex_owned(p->p_lock));
	LIST_FOREACH(l, &p->p_lwps, l_sibling)
		if (l->l_lid == lid)
			return l;
	return NULL;
}

lwp_t *
lwp_find(struct proc *p, lwpid_t lid)
{
	lwp_t *l = proc_find_lwp(p, lid);

	if (l != NULL && (l->l_stat == LSIDL || l->l_stat == LSZOMB))
		return NULL;
	return l;
}

/*
 * The live LWP `lid` of process `pid`, returned with that process's
 * p_lock held; NULL, and nothing held, if there is none.  As NetBSD's:
 * pid 0 is the caller's process, and lid 0 any LWP of it -- the caller
 * if it is in that process, else the first live one on p_lwps (the
 * newest).  Only live user processes are searched (SACTIVE, not
 * PK_SYSTEM).  proc_lock is taken to find the process, and dropped
 * once its p_lock keeps the LWP from going away.
 */
lwp_t *
lwp_find2(pid_t pid, lwpid_t lid)
{
	lwp_t *l = NULL;
	struct proc *p;

	if (pid == 0) {
		p = curlwp->l_proc;
		mutex_enter(p->p_lock);
	} else {
		mutex_enter(&proc_lock);
		p = proc_find(pid);
		if (p == NULL || p->p_stat != SACTIVE ||
		    (p->p_flag & PK_SYSTEM)) {
			mutex_exit(&proc_lock);
			return NULL;
		}
		mutex_enter(p->p_lock);
		mutex_exit(&proc_lock);
	}
	if (lid != 0)
		l = lwp_find(p, lid);
	else if (curlwp->l_proc == p)
		l = curlwp;
	else
		LIST_FOREACH(l, &p->p_lwps, l_sibling)
			if (l->l_stat != LSIDL && l->l_stat != LSZOMB)
				break;
	if (l == NULL)
		mutex_exit(p->p_lock);
	return l;
}

/*
 * Ask t to suspend itself (LW_WSUSPEND, acted on in lwp_userret at its
 * next return to user mode).  curl is the asker.  p_lock held, t
 * locked; unlocks t.  Returns 0, EDEADLK if curl itself is on its way
 * out (it could never be continued to finish its own job), or EINTR
 * for an LWP being created or already dead (what Solaris does, says
 * the reference).  The caller waits for LSSUSPENDED if it wants to.
 */
int
lwp_suspend(lwp_t *curl, lwp_t *t)
{
	KASSERT(mutex_owned(t->l_proc->p_lock));
	KASSERT(lwp_locked(t, NULL));
	KASSERT(curl != t || curl->l_stat == LSONPROC);

	if (curl->l_flag & LW_WEXIT) {
		lwp_unlock(t);
		return EDEADLK;
	}
	switch (t->l_stat) {
	case LSRUN:
	case LSONPROC:
		t->l_flag |= LW_WSUSPEND;
		lwp_need_userret(t);
		lwp_unlock(t);
		return 0;
	case LSSLEEP:
		/* An interruptible sleep is cut short (its system call is
		 * restarted after the suspension); any other sleep ends on
		 * its own and then meets LW_WSUSPEND on the way out. */
		t->l_flag |= LW_WSUSPEND;
		if (t->l_flag & LW_SINTR)
			setrunnable(t);		/* unlocks */
		else
			lwp_unlock(t);
		return 0;
	case LSSTOP:
		t->l_flag |= LW_WSUSPEND;
		setrunnable(t);
		return 0;
	case LSSUSPENDED:
		lwp_unlock(t);
		return 0;
	default:			/* LSIDL, LSZOMB */
		lwp_unlock(t);
		return EINTR;
	}
}

/*
 * Undo lwp_suspend: clear LW_WSUSPEND, and if l already is LSSUSPENDED
 * make it runnable.  A suspension asked for but not taken yet is called
 * off, and whoever waits for it in _lwp_suspend is woken to see that
 * (NetBSD's lwp_continue does not, and its waiter sleeps on until some
 * other p_lwpcv broadcast).  p_lock held, l locked; unlocks l.
 */
void
lwp_continue(lwp_t *l)
{
	bool asked = (l->l_flag & LW_WSUSPEND) != 0;

	KASSERT(mutex_owned(l->l_proc->p_lock));
	KASSERT(lwp_locked(l, NULL));
	l->l_flag &= ~LW_WSUSPEND;
	if (l->l_stat != LSSUSPENDED) {
		lwp_unlock(l);
		if (asked)
			cv_broadcast(&l->l_proc->p_lwpcv);
		return;
	}
	setrunnable(l);			/* unlocks */
}
