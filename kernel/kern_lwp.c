/*
 * kern_lwp.c: LWPs: their states, their locks, their life cycle.
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
 *	SLEEP -----> ONPROC		IDL --------> RUN      (kthread_create)
 *		   > RUN			    > SUSPENDED
 *		   > STOPPED			    > STOPPED
 *						    > ONPROC (idle LWPs)
 *
 * Locking.  Each LWP's scheduling state is covered by the spin mutex
 * l_mutex points at, and that pointer moves with the state (the lock is
 * "lent" to the LWP):
 *
 *	LSONPROC, LSZOMB	spc_lwplock of l_cpu
 *	LSIDL, LSRUN		spc_mutex of l_cpu (the run-queue lock);
 *				idle LWPs in LSIDL: spc_lwplock
 *	LSSLEEP			the sleep queue's lock
 *	LSSTOP, LSSUSPENDED	the sleep queue's lock if l_wchan != NULL,
 *				else spc_lwplock
 *
 * lwp_check_lock() asserts this table (DIAGNOSTIC), every time an LWP
 * is locked or unlocked.  The lock order is
 *
 *	spc_lwplock -> sleeptab st_mutex -> turnstile tc_mutex -> spc_mutex
 *
 * Entering or leaving LSIDL, LSZOMB, LSSTOP or LSSUSPENDED also needs
 * p_lock, to keep the process's counters right: p_nrlwps counts LWPs in
 * LSRUN, LSONPROC and LSSLEEP, which need no p_lock to move among.
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
#include <sys/pool.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/syncobj.h>
#include <sys/time.h>
#include <sys/turnstile.h>

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

/* ---- lock lending ---------------------------------------------------- */

/*
 * Lock l: lock whatever l_mutex points at, then check it still points
 * there (it may have been lent elsewhere while we waited); if not,
 * unlock and try the new one.
 */
void
lwp_lock(lwp_t *l)
{
	kmutex_t *old;

	for (;;) {
		old = l->l_mutex;
		mutex_spin_enter(old);
		if (__predict_true(l->l_mutex == old))
			break;
		mutex_spin_exit(old);
	}
	lwp_check_lock(l);
}

void
lwp_unlock(lwp_t *l)
{
	KASSERT(mutex_owned(l->l_mutex));
	lwp_check_lock(l);
	mutex_spin_exit(l->l_mutex);
}

bool
lwp_trylock(lwp_t *l)
{
	kmutex_t *old;

	for (;;) {
		old = l->l_mutex;
		if (!mutex_tryenter(old))
			return false;
		if (__predict_true(l->l_mutex == old))
			return true;
		mutex_spin_exit(old);
	}
}

/* Is l locked by this CPU (and by `mtx`, if given)? */
bool
lwp_locked(const lwp_t *l, const kmutex_t *mtx)
{
	kmutex_t *cur = l->l_mutex;

	return mutex_owned(cur) && (mtx == NULL || mtx == cur);
}

/*
 * Lend l a new lock.  The old one must be held, and stays held: the
 * caller releases it later.  The release fence orders every change made
 * under the old lock before the pointer switch, so whoever next takes
 * the new lock sees them.
 */
kmutex_t *
lwp_setlock(lwp_t *l, kmutex_t *new)
{
	kmutex_t *old = l->l_mutex;

	KASSERT(mutex_owned(old));
	__atomic_store_n(&l->l_mutex, new, __ATOMIC_RELEASE);
	return old;
}

/* Lend l a new lock and release the old one. */
void
lwp_unlock_to(lwp_t *l, kmutex_t *new)
{
	kmutex_t *old = lwp_setlock(l, new);

	mutex_spin_exit(old);
}

/*
 * The table in the header comment, checked (DIAGNOSTIC).  Called with l
 * locked, when every field it reads is stable.
 */
void
lwp_check_lock(const lwp_t *l)
{
#if DIAGNOSTIC
	const struct schedstate_percpu *spc = &l->l_cpu->ci_schedstate;
	kmutex_t *m = l->l_mutex;

	switch (l->l_stat) {
	case LSONPROC:
	case LSZOMB:
		KASSERTMSG(m == spc->spc_lwplock, "lwp %p (%s) in state %d: "
		    "lock %p (%s) is not cpu%u's spc_lwplock", l, l->l_name,
		    l->l_stat, m, m->mtx_name, cpu_index(l->l_cpu));
		break;
	case LSIDL:
		if (l->l_flag & LW_IDLE) {
			KASSERT(m == spc->spc_lwplock);
			break;
		}
		/* FALLTHROUGH */
	case LSRUN:
		KASSERTMSG(m == spc->spc_mutex, "lwp %p (%s) in state %d: "
		    "lock %p (%s) is not cpu%u's spc_mutex", l, l->l_name,
		    l->l_stat, m, m->mtx_name, cpu_index(l->l_cpu));
		break;
	case LSSLEEP:
		KASSERT(l->l_wchan != NULL);
		KASSERT(m != spc->spc_mutex && m != spc->spc_lwplock);
		break;
	case LSSTOP:
	case LSSUSPENDED:
		KASSERT(l->l_wchan != NULL || m == spc->spc_lwplock);
		break;
	default:
		panic("lwp %p: impossible state %d", l, l->l_stat);
	}
#endif
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
	lwp_t *l2, *zomb;

	KASSERT(l1 == curlwp || l1->l_proc == &proc0);

	/* Reap a detached zombie waiting to be collected, first. */
	if (p2->p_zomblwp != NULL) {
		mutex_enter(p2->p_lock);
		if ((zomb = p2->p_zomblwp) != NULL) {
			p2->p_zomblwp = NULL;
			lwp_free(zomb, false);	/* releases p_lock */
		} else
			mutex_exit(p2->p_lock);
	}

	if ((l2 = pool_cache_get(lwp_cache, PR_WAITOK)) == NULL)
		return ENOMEM;
	memset(l2, 0, sizeof(*l2));
	if ((l2->l_md.md_kstack = kstack_alloc()) == 0) {
		pool_cache_put(lwp_cache, l2);
		return ENOMEM;
	}
	if ((l2->l_ts = turnstile_alloc()) == NULL) {
		kstack_free(l2->l_md.md_kstack);
		pool_cache_put(lwp_cache, l2);
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
	callout_init(&l2->l_timeout_ch, CALLOUT_MPSAFE);
	callout_setfunc(&l2->l_timeout_ch, sleepq_timeout, l2);
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
		turnstile_free(l2->l_ts);
		cpu_lwp_free(l2);
		callout_destroy(&l2->l_timeout_ch);
		pool_cache_put(lwp_cache, l2);
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
 * run queue, or, with LWP_SUSPENDED, LSSUSPENDED until lwp_continue()
 * (not counted in p_nrlwps: it is not running; its lock becomes its
 * CPU's spc_lwplock, as the table at the top says).  p_lock held
 * (leaving LSIDL changes the process's counters).
 */
void
lwp_start(lwp_t *l, int flags)
{
	struct proc *p = l->l_proc;

	KASSERT(mutex_owned(p->p_lock));
	lwp_lock(l);
	KASSERT(l->l_stat == LSIDL && !(l->l_flag & LW_IDLE));
	if (flags & LWP_SUSPENDED) {
		l->l_stat = LSSUSPENDED;
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
 * Exit the current LWP: become a zombie and switch away for good (or,
 * for the last live LWP of a user process, exit the process).
 * A detached LWP is left in p_zomblwp for the next lwp_create() or
 * lwp_exit() in the process to free; others wait for their joiner.
 */
void
lwp_exit(lwp_t *l)
{
	struct proc *p = l->l_proc;
	kcpuset_t *aff;
	lwp_t *l2;

	KASSERT(l == curlwp);
	KASSERT(l->l_nopreempt == 0);
	KASSERT(curcpu()->ci_mtx_count == 0);

	/*
	 * The last LWP still alive takes the process with it (status 0,
	 * as NetBSD's _lwp_exit).  Checked and counted under one hold of
	 * p_lock, so that of two LWPs exiting at once exactly one is last.
	 * (exit1 sets SZOMB before its own LWP gets here; we are that
	 * process's LWP, so p_stat cannot change under us.)
	 */
	mutex_enter(p->p_lock);
	if (p->p_nlwps - p->p_nzlwps == 1 && !(p->p_flag & PK_SYSTEM) &&
	    p->p_stat != SZOMB) {
		mutex_exit(p->p_lock);
		exit1(l, 0);
	}
	p->p_nzlwps++;
	l->l_prflag |= LPR_EXITING;	/* (for lwp_check_counters) */
	lwp_drainrefs(l);
	if (l->l_lwpctl != NULL) {
		l->l_lwpctl->lc_curcpu = LWPCTL_CPU_EXITED;
		lwp_ctl_free(l);
	}
	if (l->l_prflag & LPR_DETACHED) {
		while ((l2 = p->p_zomblwp) != NULL) {
			p->p_zomblwp = NULL;
			lwp_free(l2, false);	/* releases p_lock */
			mutex_enter(p->p_lock);
		}
		p->p_zomblwp = l;
	}
	/* A zombie has no affinity (ps reads it under the LWP's lock); the
	 * set goes before anyone can see the zombie (and count memory). */
	lwp_lock(l);
	aff = l->l_affinity;
	l->l_affinity = NULL;
	l->l_flag &= ~LW_AFFINITY;
	lwp_unlock(l);
	if (aff != NULL)
		kcpuset_unuse(aff);
	lwp_lock(l);
	l->l_stat = LSZOMB;
	lwp_unlock(l);
	l->l_prflag &= ~LPR_EXITING;
	p->p_nrlwps--;
	lwp_check_counters(p);
	cv_broadcast(&p->p_lwpcv);
	mutex_exit(p->p_lock);
	lwp_exit_switchaway(l);
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

/*
 * Free a zombie.  Called with p_lock held; releases it.  Spins while
 * the zombie is still on its CPU (LP_RUNNING: it may be switching away
 * on its own stack right now) before the stack goes.
 */
void
lwp_free(lwp_t *l, bool recycle)
{
	struct proc *p = l->l_proc;

	KASSERT(l != curlwp);
	KASSERT(mutex_owned(p->p_lock));
	KASSERT(l->l_stat == LSZOMB);
	LIST_REMOVE(l, l_sibling);
	p->p_nlwps--;
	p->p_nzlwps--;
	if (l->l_prflag & LPR_DETACHED)
		p->p_ndlwps--;
	lwp_check_counters(p);
	mutex_exit(p->p_lock);

	/* Zombies stay on alllwp until now, so that ps shows them. */
	mutex_spin_enter(&alllwp_lock);
	LIST_REMOVE(l, l_list);
	mutex_spin_exit(&alllwp_lock);

	while (__atomic_load_n(&l->l_pflag, __ATOMIC_ACQUIRE) & LP_RUNNING)
		__asm volatile("pause");

	KASSERT(l->l_inheritedprio == -1);
	KASSERT(SLIST_EMPTY(&l->l_pi_lenders));
	if (l->l_ts != &turnstile0)
		turnstile_free(l->l_ts);
	callout_destroy(&l->l_timeout_ch);
	cpu_lwp_free(l);
	if (l->l_name != NULL)
		kmem_free(l->l_name, MAXCOMLEN);
	if (!recycle)
		pool_cache_put(lwp_cache, l);
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

/* ---- migration ----------------------------------------------------------- */

/*
 * Move l to CPU tci.  l locked; unlocks it.  What happens depends on the
 * state (an LWP still on its CPU counts as LSONPROC):
 *
 *   LSRUN      l_target_cpu = tci: done when its old CPU would next run
 *              it (sched_nextlwp sets spc_migrating, the idle LWP
 *              moves it)
 *   LSONPROC   the same, and its CPU is told to reschedule now
 *   LSIDL      l_cpu = tci, lock lent to tci's spc_mutex
 *   LSSLEEP    l_cpu = tci; it wakes up there
 *   LSSTOP, LSSUSPENDED  l_cpu = tci, and if not on a sleep queue,
 *              lock lent to tci's spc_lwplock
 */
void
lwp_migrate(lwp_t *l, struct cpu_info *tci)
{
	struct schedstate_percpu *tspc;
	int lstat = l->l_stat;

	KASSERT(lwp_locked(l, NULL));
	KASSERT(tci != NULL);
	if (l->l_pflag & LP_RUNNING)
		lstat = LSONPROC;
	/* A migration already pending: just change where to. */
	if (l->l_target_cpu != NULL) {
		l->l_target_cpu = tci;
		lwp_unlock(l);
		return;
	}
	if (l->l_cpu == tci) {
		lwp_unlock(l);
		return;
	}
	tspc = &tci->ci_schedstate;
	switch (lstat) {
	case LSRUN:
		l->l_target_cpu = tci;
		break;
	case LSIDL:
		l->l_cpu = tci;
		lwp_unlock_to(l, tspc->spc_mutex);
		return;
	case LSSLEEP:
		l->l_cpu = tci;
		break;
	case LSSTOP:
	case LSSUSPENDED:
		l->l_cpu = tci;
		if (l->l_wchan == NULL) {
			lwp_unlock_to(l, tspc->spc_lwplock);
			return;
		}
		break;
	case LSONPROC:
		l->l_target_cpu = tci;
		spc_lock(l->l_cpu);
		cpu_need_resched(l->l_cpu, RESCHED_KPREEMPT);
		spc_unlock(l->l_cpu);
		break;
	}
	lwp_unlock(l);
}

/*
 * Set l's CPU affinity to kcp (NULL: run anywhere), taking a reference
 * on kcp.  If l's CPU is no longer allowed, move it to an allowed one.
 * l locked; unlocks it.
 */
void
lwp_setaffinity(lwp_t *l, kcpuset_t *kcp)
{
	kcpuset_t *old = l->l_affinity;
	struct cpu_info *ci, *tci = NULL;
	CPU_INFO_ITERATOR cii;

	KASSERT(lwp_locked(l, NULL));
	if (kcp != NULL) {
		kcpuset_use(kcp);
		l->l_affinity = kcp;
		l->l_flag |= LW_AFFINITY;
		if (!kcpuset_isset(kcp, cpu_index(l->l_cpu)))
			CPU_INFO_FOREACH(cii, ci)
				if (kcpuset_isset(kcp, cii)) {
					tci = ci;
					break;
				}
	} else {
		l->l_affinity = NULL;
		l->l_flag &= ~LW_AFFINITY;
	}
	if (tci != NULL)
		lwp_migrate(l, tci);		/* unlocks */
	else
		lwp_unlock(l);
	if (old != NULL)
		kcpuset_unuse(old);
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
 * The LWP of p with id `lid`, or NULL.  An LWP being created (LSIDL) or
 * already dead (LSZOMB) is not found: that is why the _lwp_* calls
 * answer ESRCH for them.  p_lock held (the result stays valid while it
 * is).
 */
lwp_t *
lwp_find(struct proc *p, lwpid_t lid)
{
	lwp_t *l;

	KASSERT(mutex_owned(p->p_lock));
	LIST_FOREACH(l, &p->p_lwps, l_sibling)
		if (l->l_lid == lid)
			return (l->l_stat == LSIDL || l->l_stat == LSZOMB) ?
			    NULL : l;
	return NULL;
}

/*
 * The LWP `lid` of process `pid` (lwp_find across processes): returns
 * with that process's p_lock held, or NULL (nothing held) if there is
 * no such live LWP.  proc_lock is taken to find the process, and
 * dropped once its p_lock keeps the LWP from going away.
 */
lwp_t *
lwp_find2(pid_t pid, lwpid_t lid)
{
	struct proc *p;
	lwp_t *l = NULL;

	mutex_enter(&proc_lock);
	if ((p = proc_find(pid)) != NULL && p->p_stat == SACTIVE) {
		mutex_enter(p->p_lock);
		if ((l = lwp_find(p, lid)) == NULL)
			mutex_exit(p->p_lock);
	}
	mutex_exit(&proc_lock);
	return l;
}

/*
 * Wait for an LWP of our process to exit and collect it: `lid`, or any
 * undetached LWP if lid is 0; *departed (if not NULL) gets its id.
 * p_lock held (dropped while asleep).  Contract:
 *
 *   0        a zombie was found and freed
 *   ESRCH    no such LWP (or none left to wait for)
 *   EINVAL   lid is detached (NetBSD 2020; the reference's era said
 *            ESRCH: nobody may wait for a detached LWP either way)
 *   EDEADLK  lid is ourselves, or lid is waiting for us, or every LWP
 *            that could still exit is itself waiting
 *            (p_nrlwps + p_nzlwps - p_ndlwps <= p_nlwpwait)
 *   EINTR/ERESTART  the sleep was interrupted (_lwp_wakeup, exit,
 *            suspension)
 *
 * l_waiter marks the first LWP waiting for a given one, so that a wait
 * for "any" leaves it to the specific waiter.  With
 * LWPWAIT_EXITCONTROL (exit1), detached LWPs count as found and the
 * wait never gives up.  Every way out broadcasts p_lwpcv, so that the
 * other waiters re-check their own deadlock condition.
 */
int
lwp_wait1(lwp_t *l, lwpid_t lid, lwpid_t *departed, int flags)
{
	struct proc *p = l->l_proc;
	bool exiting = (flags & LWPWAIT_EXITCONTROL) != 0;
	lwpid_t curlid = l->l_lid;
	int nfound, error;
	lwp_t *l2;

	KASSERT(mutex_owned(p->p_lock));
	p->p_nlwpwait++;
	l->l_waitingfor = lid;

	for (;;) {
		/* Detached zombies first: nobody else will free them. */
		while ((l2 = p->p_zomblwp) != NULL) {
			p->p_zomblwp = NULL;
			lwp_free(l2, false);	/* releases p_lock */
			mutex_enter(p->p_lock);
		}

		nfound = 0;
		error = 0;
		LIST_FOREACH(l2, &p->p_lwps, l_sibling) {
			/* A specific wait on an LWP waiting for us (this
			 * also catches waiting for ourselves). */
			if (l2->l_lid == lid && l2->l_waitingfor == curlid) {
				error = EDEADLK;
				break;
			}
			if (l2 == l)
				continue;
			if (l2->l_prflag & LPR_DETACHED) {
				if (l2->l_lid == lid && !exiting) {
					error = EINVAL;
					break;
				}
				nfound += exiting;
				continue;
			}
			if (lid != 0) {
				if (l2->l_lid != lid)
					continue;
				if (l2->l_waiter == 0)
					l2->l_waiter = curlid;
			} else if (l2->l_waiter != 0) {
				/* Someone waits for it by name: theirs. */
				nfound++;
				continue;
			}
			nfound++;
			if (l2->l_stat != LSZOMB)
				continue;

			/* Found one: collect it. */
			l->l_waitingfor = 0;
			l2->l_waiter = 0;
			p->p_nlwpwait--;
			if (departed != NULL)
				*departed = l2->l_lid;
			lwp_free(l2, false);	/* releases p_lock */
			mutex_enter(p->p_lock);
			cv_broadcast(&p->p_lwpcv);
			return 0;
		}
		if (error != 0)
			break;
		if (nfound == 0) {
			error = ESRCH;
			break;
		}
		if (exiting) {
			KASSERT(p->p_nlwps > 1);
			cv_wait(&p->p_lwpcv, p->p_lock);
			continue;
		}
		/* Everyone who could still exit waits: nobody ever will. */
		if ((l->l_flag & LW_WEXIT) ||
		    p->p_nrlwps + p->p_nzlwps - p->p_ndlwps <= p->p_nlwpwait) {
			error = EDEADLK;
			break;
		}
		if ((error = cv_wait_sig(&p->p_lwpcv, p->p_lock)) != 0)
			break;
	}

	/* Not collected: give up our claim, let the others re-check. */
	if (lid != 0)
		LIST_FOREACH(l2, &p->p_lwps, l_sibling)
			if (l2->l_lid == lid) {
				if (l2->l_waiter == curlid)
					l2->l_waiter = 0;
				break;
			}
	p->p_nlwpwait--;
	l->l_waitingfor = 0;
	cv_broadcast(&p->p_lwpcv);
	return error;
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
 * make it runnable.  A no-op for an LWP that is not suspended.  p_lock
 * held, l locked; unlocks l.
 */
void
lwp_continue(lwp_t *l)
{
	KASSERT(mutex_owned(l->l_proc->p_lock));
	KASSERT(lwp_locked(l, NULL));
	l->l_flag &= ~LW_WSUSPEND;
	if (l->l_stat != LSSUSPENDED) {
		lwp_unlock(l);
		return;
	}
	setrunnable(l);			/* unlocks */
}
