/*
 * kern_sigstop.c: stopping and continuing a process (job control), split
 * from kern_sig.c, which decides when (issignal1: a stop signal taken,
 * or a stop in progress joined; kpsignal2: SIGCONT and SIGKILL
 * continue).  proc_stop marks the process SSTOP and PS_STOPPING, stops
 * its interruptible sleepers where they are and tells the running LWPs
 * to come and stop; each stops itself (lwp_stop_self), and the last to
 * stop tells the parent.  proc_unstop undoes it: sleepers go back to
 * sleep, the others run.  Locks: proc_lock and p_lock, as each
 * function says.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/signalvar.h>
#include <sys/wait.h>

/* Tell the parent that p stopped or continued (proc_lock held). */
static void
proc_notify_parent(struct proc *p, int code)
{
	struct proc *pp = p->p_pptr;
	ksiginfo_t ksi;

	KASSERT(mutex_owned(&proc_lock));
	cv_broadcast(&pp->p_waitcv);
	if (pp == &proc0)
		return;
	mutex_enter(pp->p_lock);
	/* SA_NOCLDSTOP: no SIGCHLD for stops and continues. */
	if (!(SIGACTION(pp, SIGCHLD).sa_flags & SA_NOCLDSTOP)) {
		memset(&ksi, 0, sizeof(ksi));
		ksi.ksi_signo = SIGCHLD;
		ksi.ksi_code = code;
		ksi.ksi_pid = p->p_pid;
		ksi.ksi_status = code == CLD_STOPPED ? p->p_xsig : SIGCONT;
		kpsignal2(pp, &ksi);
	}
	mutex_exit(pp->p_lock);
}

/* p is a zombie: its parent gets SIGCHLD (CLD_EXITED or CLD_KILLED).
 * proc_lock held. */
void
sigchld_exit(struct proc *p)
{
	struct proc *pp = p->p_pptr;
	ksiginfo_t ksi;

	KASSERT(mutex_owned(&proc_lock));
	if (pp == &proc0)
		return;
	memset(&ksi, 0, sizeof(ksi));
	ksi.ksi_signo = SIGCHLD;
	ksi.ksi_code = WIFSIGNALED(p->p_xstat) ? CLD_KILLED : CLD_EXITED;
	ksi.ksi_pid = p->p_pid;
	ksi.ksi_status = WIFSIGNALED(p->p_xstat) ? WTERMSIG(p->p_xstat) :
	    WEXITSTATUS(p->p_xstat);
	mutex_enter(pp->p_lock);
	kpsignal2(pp, &ksi);
	mutex_exit(pp->p_lock);
}

/*
 * The caller, an LWP of p still counted in p_nrlwps, is about to stop
 * (lwp_stop_self) or to leave for good (lwp_exit): if p is stopping and
 * the caller is the last LWP of it running, the stop is complete, and
 * the parent is told -- now, while the caller may still wait for the
 * parent's p_lock (stopped or a zombie, it may not).  proc_lock and
 * p_lock held.
 */
void
proc_stop_done(struct proc *p)
{
	KASSERT(mutex_owned(&proc_lock) && mutex_owned(p->p_lock));
	if (!(p->p_sflag & PS_STOPPING) || p->p_nrlwps != 1)
		return;
	p->p_sflag &= ~PS_STOPPING;
	proc_notify_parent(p, CLD_STOPPED);
}

/*
 * l stops (LSSTOP) until SIGCONT.  proc_lock and p_lock held; both are
 * released while stopped and held again on return.  The last LWP of
 * the process to stop tells the parent.
 */
void
lwp_stop_self(lwp_t *l)
{
	struct proc *p = l->l_proc;

	KASSERT(mutex_owned(&proc_lock) && mutex_owned(p->p_lock));
	/* (The parent can act on it only once we let go of proc_lock,
	 * stopped.) */
	proc_stop_done(p);
	lwp_lock(l);
	l->l_stat = LSSTOP;
	p->p_nrlwps--;
	lwp_check_counters(p);
	mutex_exit(p->p_lock);
	mutex_exit(&proc_lock);
	/* Still LSSTOP: a SIGCONT (or a SIGKILL, or a suspension) needs
	 * p_lock and our lock, and we held one or the other throughout;
	 * and we keep ours until the next LWP's mi_switch_finish has
	 * cleared our LP_RUNNING, so none finds us still on the CPU. */
	KASSERT(l->l_stat == LSSTOP);
	mi_switch(l);
	mutex_enter(&proc_lock);
	mutex_enter(p->p_lock);
}

/*
 * Stop process p for signal sig: SSTOP; LWPs in interruptible sleeps
 * stop where they are; running ones are told to come and stop
 * themselves.  The caller (an LWP of p) then stops itself.  proc_lock
 * and p_lock held.
 */
void
proc_stop(struct proc *p, int sig)
{
	lwp_t *l;

	KASSERT(mutex_owned(&proc_lock) && mutex_owned(p->p_lock));
	p->p_stat = SSTOP;
	p->p_xsig = sig;
	p->p_waited = false;
	p->p_sflag |= PS_STOPPING;
	p->p_sflag &= ~PS_CONTINUED;
	LIST_FOREACH(l, &p->p_lwps, l_sibling) {
		if (l == curlwp)
			continue;
		lwp_lock(l);
		if (l->l_stat == LSSLEEP && (l->l_flag & LW_SINTR)) {
			l->l_stat = LSSTOP;
			p->p_nrlwps--;
		} else if (l->l_stat == LSONPROC || l->l_stat == LSRUN ||
		    l->l_stat == LSSLEEP) {
			l->l_flag |= LW_PENDSIG;
			lwp_need_userret(l);
		}
		lwp_unlock(l);
	}
	lwp_check_counters(p);
}

/*
 * Undo a stop for l: back to sleep if it still has a wait channel,
 * else runnable.  proc_lock and p_lock held.
 */
void
lwp_unstop(lwp_t *l)
{
	struct proc *p = l->l_proc;

	KASSERT(mutex_owned(p->p_lock));
	lwp_lock(l);
	if (l->l_stat != LSSTOP) {
		lwp_unlock(l);
		return;
	}
	if (l->l_wchan == NULL) {
		setrunnable(l);			/* unlocks */
		return;
	}
	l->l_stat = LSSLEEP;
	p->p_nrlwps++;
	lwp_check_counters(p);
	lwp_unlock(l);
}

/* SIGCONT (or SIGKILL) for stopped process p.  proc_lock and p_lock. */
void
proc_unstop(struct proc *p)
{
	lwp_t *l;

	KASSERT(mutex_owned(&proc_lock) && mutex_owned(p->p_lock));
	p->p_stat = SACTIVE;
	p->p_sflag &= ~PS_STOPPING;
	p->p_sflag |= PS_CONTINUED;
	LIST_FOREACH(l, &p->p_lwps, l_sibling)
		lwp_unstop(l);
	proc_notify_parent(p, CLD_CONTINUED);
}
