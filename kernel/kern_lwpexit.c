/*
 * kern_lwpexit.c: how LWPs end: lwp_exit, zombies, and collecting them
 * (lwp_free, lwp_wait1).
 *
 *   lwp_exit      the LWP itself: gives up its kcov descriptor (KCOV
 *                 kernels), is counted a zombie (p_nzlwps) at once,
 *                 drains references, gives up its lwpctl slot and
 *                 affinity, becomes LSZOMB, has the process's signals
 *                 it was told of and did not take posted again, and
 *                 switches away for good; the last live LWP of a user
 *                 process exits the process instead (exit1)
 *   lwp_wait1     another LWP of the process (_lwp_wait, exit1): finds
 *                 a zombie, or sleeps on p_lwpcv until one appears,
 *                 unless that could never happen (EDEADLK)
 *   lwp_free      whoever collects it: unlinks the zombie and, once it
 *                 is off its CPU (LP_RUNNING clear), frees its stack,
 *                 turnstile and structure
 *
 * A detached LWP (LWP_DETACHED, _lwp_detach) has no collector: its
 * zombie waits in p_zomblwp for the next lwp_create, lwp_exit or
 * lwp_wait1 of the process to free it (NetBSD's way).
 *
 * Locking: p_lock covers the counters (p_nlwps, p_nzlwps, p_ndlwps,
 * p_nlwpwait), p_zomblwp, l_waiter/l_waitingfor, the list p_lwps and
 * the lid hash (kern_lwp.c);
 * p_lwpcv (with p_lock) is where exits are announced.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/kcov.h>
#include <sys/kcpuset.h>
#include <sys/kmem.h>
#include <sys/kstack.h>
#include <sys/lab.h>
#include <sys/lock.h>
#include <sys/lwp.h>
#include <sys/lwpctl.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/signalvar.h>
#include <sys/trace.h>
#include <sys/turnstile.h>

/*
 * Exit the current LWP: become a zombie and switch away for good (or,
 * for the last live LWP of a user process, exit the process).
 * A detached LWP is left in p_zomblwp for the next lwp_create(),
 * lwp_exit() or lwp_wait1() in the process to free (lwp_reap_detached);
 * others wait for their joiner.
 * A signal of the process that was posted to us goes to another LWP.
 */
void
lwp_exit(lwp_t *l)
{
	struct proc *p = l->l_proc;
	kcpuset_t *aff;
	bool pendsig, stopping = false;

	KASSERT(l == curlwp);
	KASSERT(l->l_nopreempt == 0);
	KASSERT(curcpu_spin_state(NULL) == 0);
	/* Nor a sleepable lock: a waiter may still be reading us (the
	 * adaptive mutex's spin, kern_mutex.c) until the owner word moves
	 * on.  (LOCKDEBUG tracks the named ones.) */
	KASSERTMSG(!LOCKDEBUG || l->l_nlkheld == 0, "lwp_exit: LWP %d (%s) "
	    "exits holding %d sleepable locks, the first %p", l->l_lid,
	    l->l_name != NULL ? l->l_name : "-", l->l_nlkheld,
	    l->l_nlkheld != 0 ? l->l_lkheld[0].lh_lock : NULL);
	TRACE_EXIT(l);
	kcov_lwp_free(l);	/* nothing is recorded for us from here */

	/*
	 * The last LWP still alive takes the process with it (status 0,
	 * as NetBSD's _lwp_exit).  Checked and counted under one hold of
	 * p_lock, so that of two LWPs exiting at once exactly one is last.
	 * (exit1 sets SZOMB before its own LWP gets here; we are that
	 * process's LWP, so p_stat cannot change under us.)
	 */
	mutex_enter(p->p_lock);
	if (p->p_nlwps - p->p_nzlwps == 1 && !(p->p_flag & PK_SYSTEM) &&
	    p->p_stat != SZOMB)
		exit1(l, 0);		/* (releases p_lock) */
	p->p_nzlwps++;
	l->l_prflag |= LPR_EXITING;	/* (for lwp_check_counters) */
	lwp_drainrefs(l);
	if (l->l_lwpctl != NULL)
		lwp_ctl_free(l);	/* and lc_curcpu = LWPCTL_CPU_EXITED */
	if (l->l_prflag & LPR_DETACHED)
		lwp_reap_detached(p);	/* (lets go of p_lock to free) */
	/*
	 * The last LWP running in a stopping process: once we are out of
	 * p_nrlwps the stop is complete, and the parent must hear of it,
	 * as when the last one stops (lwp_stop_self) -- or it waits for
	 * ever (t_lwp_park's storm, stopped while its LWPs exited).  That
	 * takes proc_lock, before p_lock; and a stop cannot begin while we
	 * hold p_lock from here to the count.  (Before we park ourselves in
	 * p_zomblwp: letting go of p_lock with us there, another LWP's
	 * lwp_reap_detached would free us before we are a zombie; and one
	 * may have parked itself there meanwhile.)
	 */
	if ((p->p_sflag & PS_STOPPING) && p->p_nrlwps == 1) {
		mutex_exit(p->p_lock);
		mutex_enter(&proc_lock);
		mutex_enter(p->p_lock);
		stopping = true;
		if (l->l_prflag & LPR_DETACHED)
			lwp_reap_detached(p);
	}
	if (l->l_prflag & LPR_DETACHED)
		p->p_zomblwp = l;
	if (stopping)
		proc_stop_done(p);
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
	pendsig = (l->l_flag & LW_PENDSIG) != 0;
	lwp_unlock(l);
	l->l_prflag &= ~LPR_EXITING;
	p->p_nrlwps--;
	lwp_check_counters(p);
	/*
	 * Told of signals we never took?  If one was the process's (we
	 * were chosen for it), nobody else knows: have it posted again,
	 * now that we are a zombie and out of the running (NetBSD: "we
	 * lose", and it marks every other LWP LW_PENDSIG; sigrepost).
	 * Under the same hold of p_lock as LSZOMB: a signal posted before
	 * now is in p_sigpend here, and one posted after finds us a
	 * zombie, which sigchoose passes over.
	 */
	if (pendsig)
		sigrepost(p);
	cv_broadcast(&p->p_lwpcv);
	mutex_exit(p->p_lock);
	if (stopping)
		mutex_exit(&proc_lock);
	lwp_exit_switchaway(l);
}

/*
 * Free a zombie.  Called with p_lock held; releases it.  First waits
 * while the zombie is still on its CPU (LP_RUNNING: it may be switching
 * away on its own stack right now): only then are its run time and
 * switch counts final, and they stay the process's (p_rtime, p_nvcsw,
 * p_nivcsw: getrusage) as it comes off p_lwps, as in NetBSD.  (Spinning
 * with p_lock held is safe: the zombie's last switch takes no adaptive
 * lock, and nobody holding its LWP lock waits for p_lock.  Were it ever
 * not, every LWP of the process would spin on p_lock behind us, none
 * asleep, for ever: LOCKDEBUG's spin-out clock watches the wait, as a
 * spin mutex's, and panics with every CPU's backtrace.)
 */
void
lwp_free(lwp_t *l)
{
	struct proc *p = l->l_proc;
	u_int resize;

	KASSERT(l != curlwp);
	KASSERT(mutex_owned(p->p_lock));
	KASSERT(l->l_stat == LSZOMB);
	if (__atomic_load_n(&l->l_pflag, __ATOMIC_ACQUIRE) & LP_RUNNING) {
		struct spinout so;
		u_int n = 0;

		spinout_start(&so);
		while (__atomic_load_n(&l->l_pflag, __ATOMIC_ACQUIRE) &
		    LP_RUNNING) {
			SPINLOCK_BACKOFF_HOOK;
			if (LOCKDEBUG && (++n & 1023) == 0 &&
			    spinout_tick(&so) && spinout_ping(&so, l->l_cpu) &&
			    spinout_expired(&so))
				panic("lwp_free: zombie LWP %d of pid %d still "
				    "on cpu%u (LP_RUNNING) after %u ms",
				    l->l_lid, p->p_pid, cpu_index(l->l_cpu),
				    lockdebug_spinout_ms);
		}
	}
	p->p_rtime += l->l_rtime;
	p->p_nvcsw += l->l_ncsw - l->l_nivcsw;
	p->p_nivcsw += l->l_nivcsw;
	LIST_REMOVE(l, l_sibling);
	LIST_REMOVE(l, l_lidchain);
	p->p_nlwps--;
	p->p_nzlwps--;
	if (l->l_prflag & LPR_DETACHED)
		p->p_ndlwps--;
	lwp_check_counters(p);
	resize = lwp_lidhash_want(p);
	mutex_exit(p->p_lock);

	/* Zombies stay on alllwp until now, so that ps shows them. */
	mutex_spin_enter(&alllwp_lock);
	LIST_REMOVE(l, l_list);
	mutex_spin_exit(&alllwp_lock);

	KASSERT(l->l_inheritedprio == -1);
	lwp_destroy(l);
	if (resize != 0)
		lwp_lidhash_resize(p, resize);
}

/*
 * Free the detached zombie parked in p_zomblwp, if there is one (and
 * one that is parked while p_lock is dropped to free it), and clear
 * p_zomblwp.  p_lock held, and held again on return.  Callers:
 * lwp_create, lwp_exit (before parking itself there), lwp_wait1.
 * (The stub frees nothing: detached zombies then stay until their
 * process exits.)
 */
void
lwp_reap_detached(struct proc *p)
{
#if !LAB_STUB(reap)
	lwp_t *l;

	KASSERT(mutex_owned(p->p_lock));
	while ((l = p->p_zomblwp) != NULL) {
		p->p_zomblwp = NULL;
		lwp_free(l);		/* releases p_lock */
		mutex_enter(p->p_lock);
	}
#endif /* LAB reap */
}

/*
 * Wait for an LWP of our process to exit and collect it: `lid`, or any
 * undetached LWP if lid is 0; *departed (if not NULL) gets its id.
 * p_lock held on entry and on return (dropped while asleep on
 * p_lwpcv, and by lwp_free).  Contract:
 *
 *   0        a zombie was found and freed (lwp_free)
 *   ESRCH    no such LWP (or none left to wait for)
 *   EINVAL   lid is detached (NetBSD 2020; the reference's era said
 *            ESRCH: nobody may wait for a detached LWP either way)
 *   EDEADLK  lid is ourselves, or lid is waiting for us, or every LWP
 *            that could still exit is itself waiting
 *            (p_nrlwps + p_nzlwps - p_ndlwps <= p_nlwpwait, counted
 *            with ourselves among the waiters), or we are told to
 *            exit (LW_WEXIT)
 *   EINTR/ERESTART  the sleep was interrupted (_lwp_wakeup, a signal,
 *            exit, suspension): cv_wait_sig's error
 *
 * While it waits, the caller counts in p_nlwpwait and l_waitingfor
 * says for whom (0: any); both are undone on every way out.  Each pass
 * first frees the detached zombie in p_zomblwp (lwp_reap_detached):
 * nobody else would.  l_waiter marks the first LWP waiting for a given
 * one by name (a claim), so that a wait for "any" leaves that LWP to
 * its specific waiter (it still counts as found); an interrupted wait
 * gives its claim up.  Every way out broadcasts p_lwpcv, so that the
 * other waiters re-check their own conditions.  (The stub returns
 * ENOSYS: nothing is ever collected.)
 *
 * Cost: a wait by name finds its LWP with proc_find_lwp (the lid hash),
 * so each pass costs the same with 10 000 LWPs as with 2; a wait for
 * any scans p_lwps for a zombie nobody claimed, O(n) a pass, as
 * NetBSD's does.  Collecting n LWPs one _lwp_wait(0) at a time is then
 * O(n^2) in all, which is why libpthread joins by name.
 *
 * (The reference's lwp_wait1 has a flags argument for one flag,
 * LWPWAIT_EXITCONTROL, with which exit1 collects every LWP; here
 * exit_lwps (kern_exit.c) waits for and frees them itself, so neither
 * exists.)
 */
int
lwp_wait1(lwp_t *l, lwpid_t lid, lwpid_t *departed)
{
#if !LAB_STUB(reap)
	struct proc *p = l->l_proc;
	lwpid_t curlid = l->l_lid;
	int nfound, error;
	lwp_t *l2;

	KASSERT(mutex_owned(p->p_lock));
	p->p_nlwpwait++;
	l->l_waitingfor = lid;

	for (;;) {
		/* Detached zombies first: nobody else will free them. */
		lwp_reap_detached(p);

		nfound = 0;
		error = 0;
		if (lid != 0) {
			/* A wait by name looks its LWP up (the lid hash: as
			 * cheap with 10 000 LWPs as with 2). */
			l2 = proc_find_lwp(p, lid);
			if (l2 != NULL && l2->l_waitingfor == curlid) {
				/* It waits for us (or it is us). */
				error = EDEADLK;
			} else if (l2 != NULL &&
			    (l2->l_prflag & LPR_DETACHED)) {
				error = EINVAL;
			} else if (l2 != NULL) {
				if (l2->l_waiter == 0)
					l2->l_waiter = curlid;
				nfound++;
				if (l2->l_stat != LSZOMB)
					l2 = NULL;
			}
		} else {
			/* Any: the first zombie nobody waits for by name (a
			 * scan, as NetBSD's). */
			LIST_FOREACH(l2, &p->p_lwps, l_sibling) {
				if (l2 == l || (l2->l_prflag & LPR_DETACHED))
					continue;
				nfound++;
				if (l2->l_waiter == 0 && l2->l_stat == LSZOMB)
					break;
			}
		}
		if (error != 0)
			break;
		if (l2 != NULL) {
			/* Found one: collect it. */
			l->l_waitingfor = 0;
			l2->l_waiter = 0;
			p->p_nlwpwait--;
			if (departed != NULL)
				*departed = l2->l_lid;
			lwp_free(l2);	/* releases p_lock */
			mutex_enter(p->p_lock);
			cv_broadcast(&p->p_lwpcv);
			return 0;
		}
		if (nfound == 0) {
			error = ESRCH;
			break;
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
	if (lid != 0 && (l2 = proc_find_lwp(p, lid)) != NULL &&
	    l2->l_waiter == curlid)
		l2->l_waiter = 0;
	p->p_nlwpwait--;
	l->l_waitingfor = 0;
	cv_broadcast(&p->p_lwpcv);
	return error;
#else
	return ENOSYS;
#endif /* LAB reap */
}
