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
 * (A sleeper that takes itself off its queue before it switches away,
 * sleepq_block seeing a request already made, goes back to ONPROC:
 * setrunnable1.  Nobody else can find an LWP in SLEEP, STOPPED or
 * SUSPENDED still on its CPU: it keeps its lock until mi_switch_finish
 * has cleared LP_RUNNING.)
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
 *
 * At scale: a process may have maxlwp LWPs (sys/lwp.h: 16384 unless
 * set otherwise, 65536 at most), and nothing that happens to one of
 * them walks all of them: lookups by lid go through the process's lid
 * hash (p_lidhash, kern_lwpfind.c), lid allocation probes that hash, and the
 * DIAGNOSTIC recount of the counters is amortized (lwp_check_counters).
 * What still walks p_lwps is what concerns the whole process (signals
 * to it, stopping it, its exit, getrusage, kern.lwp) and
 * _lwp_wait(0) (kern_lwpexit.c says why).
 */
#include <sys/systm.h>
#include <sys/bootopt.h>
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
#include <sys/trace.h>
#include <sys/vm_page.h>

BOOTOPT("maxlwp", "the most LWPs a process may have (default 16384, "
    "at most 65536; sysctl kern.maxlwp)");

/*
 * lwp_create of a user LWP answers ENOMEM rather than take the last
 * LWP_RESERVE free pages (a 64th of memory, at least 1 MiB): what is
 * left is for page tables, page faults and the rest of the kernel, so
 * that a program creating LWPs until it cannot gets a clean error and
 * the machine goes on.  (Kernel threads are not held back.)
 */
#define LWP_RESERVE(total)	MAX(atop(1024 * 1024), (total) / 64)

int maxlwp = MAXLWP_DEFAULT;		/* a: kern.maxlwp */

static void lwp_maxlwp_bootopt(void);

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
	LIST_INSERT_HEAD(&proc0.p_lidhash[lwp0.l_lid & proc0.p_lidhashmask],
	    &lwp0, l_lidchain);
	proc0.p_nlwps = proc0.p_nrlwps = 1;
	proc0.p_nlwpid = 1;
	LIST_INSERT_HEAD(&alllwp, &lwp0, l_list);
	lwp_maxlwp_bootopt();
}

/* maxlwp=N on the command line; anything but a number from 1 to
 * MAXLWP_MAX is refused with a warning. */
static void
lwp_maxlwp_bootopt(void)
{
	const char *v = bootopt_get("maxlwp");
	unsigned long n;
	char *end;

	if (v == NULL)
		return;
	n = strtoul(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n > MAXLWP_MAX ||
	    lwp_set_maxlwp((int)n) != 0)
		printf("WARNING: maxlwp='%s' ignored: not a number from 1 to "
		    "%d; maxlwp is %d\n", v, MAXLWP_MAX, maxlwp);
}

/*
 * Set maxlwp (the boot option, sysctl kern.maxlwp): 0, or EINVAL (and
 * nothing changes) unless 1 <= n <= MAXLWP_MAX.  A process that has
 * more LWPs already keeps them, and creates no more.
 */
int
lwp_set_maxlwp(int n)
{
	if (n < 1 || n > MAXLWP_MAX)
		return EINVAL;
	__atomic_store_n(&maxlwp, n, __ATOMIC_RELAXED);
	return 0;
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
 * start in func(arg), and the next free lid.  The caller makes it
 * runnable (lwp_start).  Returns 0; EAGAIN if the (user) process has
 * maxlwp LWPs already; ENOMEM if memory is short (for a user LWP: fewer
 * than LWP_RESERVE pages free) or the kernel stacks' slots ran out.
 *
 * Lids: p_nlwpid + 1, as the 2011 reference hands them out, but one
 * still in use (p_nlwpid has wrapped past INT_MAX) is skipped.  The
 * probe is a lid-hash lookup; at most p_nlwps lids are skipped, and
 * only after a wrap.
 */
int
lwp_create(lwp_t *l1, struct proc *p2, int flags, void (*func)(void *),
    void *arg, lwp_t **rnewlwpp)
{
	struct vm_page_stats vs;
	u_int resize;
	lwp_t *l2;

	KASSERT(l1 == curlwp || l1->l_proc == &proc0);

	/* Reap a detached zombie waiting to be collected, first.  (A look
	 * without p_lock, as NetBSD's: lwp_reap_detached looks again under
	 * it, and one parked just after is for the next create or exit.) */
	if (__atomic_load_n(&p2->p_zomblwp, __ATOMIC_RELAXED) != NULL) {
		mutex_enter(p2->p_lock);
		lwp_reap_detached(p2);
		mutex_exit(p2->p_lock);
	}

	if (!(p2->p_flag & PK_SYSTEM)) {
		vm_page_stats(&vs);
		if (vs.vps_free < LWP_RESERVE(vs.vps_total))
			return ENOMEM;
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
	if (p2->p_nlwps >= __atomic_load_n(&maxlwp, __ATOMIC_RELAXED) &&
	    !(p2->p_flag & PK_SYSTEM)) {
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
	do {
		/* The next lid; 1 again after the largest (compared, not
		 * overflowed: signed overflow is undefined, and clang drops
		 * a `++lid <= 0` test). */
		p2->p_nlwpid = p2->p_nlwpid < __INT32_MAX__ ? p2->p_nlwpid + 1 :
		    1;
	} while (proc_find_lwp(p2, p2->p_nlwpid) != NULL);
	l2->l_lid = p2->p_nlwpid;
	LIST_INSERT_HEAD(&p2->p_lwps, l2, l_sibling);
	LIST_INSERT_HEAD(&p2->p_lidhash[l2->l_lid & p2->p_lidhashmask], l2,
	    l_lidchain);
	p2->p_nlwps++;
	p2->p_nrlwps++;
	lwp_check_counters(p2);
	resize = lwp_lidhash_want(p2);

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
	if (resize != 0)
		lwp_lidhash_resize(p2, resize);

	*rnewlwpp = l2;
	TRACE_CREATE(l1, l2);
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
 * stop; an exit wins over both.
 */
void
lwp_start(lwp_t *l, int flags)
{
	struct proc *p = l->l_proc;

	KASSERT(mutex_owned(p->p_lock));
	lwp_lock(l);
	KASSERT(l->l_stat == LSIDL && !(l->l_flag & LW_IDLE));
	/*
	 * Told to exit already (exit_lwps found it LSIDL, or its creator
	 * was told): it runs, to exit at once, whatever flags asked.
	 * exit_lwps tells each LWP once; one that started suspended or
	 * stopped now would never be woken, and the exit would wait for
	 * it for ever (the soak: "still there 20 s after SIGKILL").
	 */
	if (!(l->l_flag & LW_WEXIT) && ((flags & LWP_SUSPENDED) ||
	    p->p_stat == SSTOP || (p->p_sflag & PS_STOPPING))) {
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
 *
 * Not if the process is exiting (LW_WEXIT): exit_lwps() tells each LWP
 * once, and wakes the suspended ones it finds then; an LWP that got
 * LW_WEXIT after its caller looked (lwp_userret tests LW_WEXIT first,
 * but without p_lock) and suspended now would never be woken, and the
 * exit would wait for it for ever (found by the soak: "still there 20 s
 * after SIGKILL", one LWP LSSUSPENDED, the exiting one in lwpwait).
 * LW_WEXIT is set with p_lock and the LWP's lock held, both held here,
 * so this look cannot miss it.  The caller then meets LW_WEXIT.
 */
void
lwp_suspend_point(lwp_t *l)
{
	struct proc *p = l->l_proc;

	KASSERT(l == curlwp && l->l_stat == LSONPROC);
	mutex_enter(p->p_lock);
	lwp_lock(l);
	if ((l->l_flag & (LW_WSUSPEND | LW_WEXIT)) == LW_WSUSPEND) {
		l->l_stat = LSSUSPENDED;
		p->p_nrlwps--;
		lwp_check_counters(p);
		cv_broadcast(&p->p_lwpcv);
	}
	mutex_exit(p->p_lock);
	/* (Still locked, through the switch: an lwp_continue() now waits
	 * for our lock, which the next LWP's mi_switch_finish releases only
	 * after it has cleared our LP_RUNNING, and finds us off the CPU.) */
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
 *
 * Every call checks that each counter lies between 0 and p_nlwps.  The
 * full recount walks p_lwps, which with thousands of LWPs would make
 * every transition O(n) and a process's life O(n^2); so it runs at
 * every call while the process has at most LWP_CHECK_ALWAYS LWPs
 * (every test of the counters' logic lives there), and beyond that at
 * every p_nlwps-th call: O(1) per call, amortized.  A counter that
 * drifts stays wrong, so the next full recount still catches it, at
 * most p_nlwps transitions later, not at the transition that did it.
 */
#define LWP_CHECK_ALWAYS	64

void
lwp_check_counters(struct proc *p)
{
#if DIAGNOSTIC
	int n = 0, nr = 0, nz = 0, nd = 0;
	lwp_t *l;

	KASSERT(mutex_owned(p->p_lock));
	KASSERTMSG(p->p_nlwps >= 0 && p->p_nrlwps >= 0 &&
	    p->p_nrlwps <= p->p_nlwps && p->p_nzlwps >= 0 &&
	    p->p_nzlwps <= p->p_nlwps && p->p_ndlwps >= 0 &&
	    p->p_ndlwps <= p->p_nlwps,
	    "pid %d: counters out of range: %d LWPs, %d running, %d zombies, "
	    "%d detached", p->p_pid, p->p_nlwps, p->p_nrlwps, p->p_nzlwps,
	    p->p_ndlwps);
	if (p->p_nlwps > LWP_CHECK_ALWAYS && ++p->p_nlwpchecks < p->p_nlwps)
		return;
	p->p_nlwpchecks = 0;
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
