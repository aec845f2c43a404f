/*
 * kern_synch.c: switching between LWPs.
 *
 * mi_switch(l) is the one place a CPU stops running one LWP and starts
 * another.  Everything that gives up the CPU comes here with the LWP
 * locked and its new state already set:
 *
 *   yield()/preempt()      l_stat LSONPROC  -> back on the run queue
 *   sleep (sleep queues)   l_stat LSSLEEP   -> stays off the queues
 *   lwp_exit_switchaway()  l_stat LSZOMB    -> never runs again
 *   idle LWP               LW_IDLE          -> becomes LSIDL
 *
 * The lock hand-off across cpu_switchto() (this kernel follows NetBSD
 * 2020 here, which is simpler to reason about than the 2011 reference's
 * l_ctxswtch flag; docs/sched.md compares the two):
 *
 *   - the outgoing LWP stays locked (its l_mutex held) and LP_RUNNING
 *     across the switch, so no other CPU can run it, wake it or free it
 *     while its registers are still being saved;
 *   - whoever runs next on this CPU (mi_switch's return path, or
 *     lwp_startup() for a new LWP) clears LP_RUNNING on the previous
 *     LWP and releases its lock.  lwp_free() waits for LP_RUNNING to
 *     clear before freeing a zombie's stack.
 *
 * IPL: the CPU stays at IPL_SCHED or above from lwp_lock() until the
 * next LWP has released the previous one's lock; ci_mtx_count is set to
 * 2 over the switch so that release does not lower the IPL, then each
 * side restores its own saved IPL.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/jitter.h>
#include <sys/lab.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/sleepq.h>
#include <sys/syncobj.h>
#include <sys/syscallargs.h>
#include <sys/syscallvar.h>
#include <sys/time.h>
#include <sys/trace.h>

/* Charge l for the time since it last started running. */
static void
updatertime(lwp_t *l, uint64_t now)
{
	l->l_rtime += now - l->l_stime;
	l->l_stime = now;
}

/*
 * The first thing on this CPU after a switch, in the new LWP: release
 * the LWP that ran before (see the header comment).
 */
static void
mi_switch_finish(lwp_t *prev)
{
	struct cpu_info *ci = curcpu();
	kmutex_t *lock = prev->l_mutex;

	KASSERT(prev->l_pflag & LP_RUNNING);
	KASSERT(ci->ci_mtx_count == 2);
	KASSERT(mutex_owned(lock));
	/*
	 * Once LP_RUNNING is clear, a zombie may be freed at any moment
	 * (lwp_free waits for exactly this): read everything we need from
	 * prev first, and touch nothing of it after.
	 */
	__atomic_and_fetch(&prev->l_pflag, ~LP_RUNNING, __ATOMIC_RELEASE);
	mutex_spin_exit(lock);
	ci->ci_mtx_count = 0;
}

/*
 * Give up the CPU.  l == curlwp, locked, and holding no other spin
 * mutex.  Returns when l is chosen to run again (never for a zombie).
 */
void
mi_switch(lwp_t *l)
{
	struct cpu_info *ci = curcpu();
	struct schedstate_percpu *spc = &ci->ci_schedstate;
	lwp_t *newl, *prev;
	uint64_t now;
	int oldspl;

	KASSERT(l == curlwp);
	KASSERT(lwp_locked(l, NULL));
	KASSERT(l->l_pflag & LP_RUNNING);
	KASSERTMSG(ci->ci_mtx_count == 1,
	    "mi_switch: holding %d spin mutexes", ci->ci_mtx_count);
	KASSERT(l->l_stat != LSRUN);
	KASSERT(l->l_cpu == ci);

	now = nsuptime();
	updatertime(l, now);
	spc_lock(ci);

	/* Still on the CPU: back to the run queue (or LSIDL for idle). */
	if (l->l_stat == LSONPROC) {
		KASSERT(lwp_locked(l, spc->spc_lwplock));
		if (l->l_flag & LW_IDLE)
			l->l_stat = LSIDL;
		else {
			l->l_stat = LSRUN;
			lwp_setlock(l, spc->spc_mutex);
			sched_enqueue(l, true);
			if (l->l_target_cpu != NULL && !(l->l_pflag & LP_BOUND))
				spc->spc_migrating = l;
		}
	}

	newl = sched_nextlwp();
	if (newl != NULL) {
		sched_dequeue(newl);
		KASSERT(newl->l_cpu == ci);
		newl->l_stat = LSONPROC;
		newl->l_rticks = hardclock_ticks;
		lwp_setlock(newl, spc->spc_lwplock);
		spc->spc_flags &= ~SPCF_IDLE;
	} else {
		newl = ci->ci_idlelwp;
		newl->l_stat = LSONPROC;
		spc->spc_flags |= SPCF_IDLE;
	}
	/* l_stime first: whoever sees LP_RUNNING (getrusage, holding
	 * newl's lock, which we may not hold) reads it after. */
	newl->l_stime = now;
	__atomic_or_fetch(&newl->l_pflag, LP_RUNNING, __ATOMIC_RELEASE);
	spc->spc_curpriority = (newl->l_flag & LW_IDLE) ? PRI_IDLE :
	    lwp_eprio(newl);
	spc->spc_flags &= ~SPCF_SWITCHCLEAR;
	spc->spc_ticks = sched_rrticks;
	ci->ci_want_resched = 0;

	if (l == newl) {
		/* Chosen again: no switch (none is counted, and a preempt()
		 * that found nothing better is over); drop both locks and
		 * carry on. */
		KASSERT(lwp_locked(l, spc->spc_lwplock));
		l->l_pflag &= ~LP_PREEMPTING;
		spc_unlock(ci);
		lwp_unlock(l);
		return;
	}

	/* Keep exactly one lock, l's; drop the other. */
	if (l->l_mutex == spc->spc_mutex)
		mutex_spin_exit(spc->spc_lwplock);
	else
		spc_unlock(ci);
	KASSERT(ci->ci_mtx_count == 1);

	/* lwpctl (kern_lwpctl.c): where each of the two runs now. */
	lwp_ctl_switch(l, newl);

	TRACE_SWITCH(l, newl);
	l->l_ncsw++;
	if (l->l_pflag & LP_PREEMPTING)
		l->l_nivcsw++;
	l->l_pflag &= ~LP_PREEMPTING;
	ci->ci_nswtch++;
	oldspl = ci->ci_mtx_oldspl;
	ci->ci_mtx_count = 2;		/* stay at IPL_SCHED through the switch */

	prev = cpu_switchto(l, newl);

	/* l runs again, maybe on another CPU. */
	mi_switch_finish(prev);
	KASSERT(l->l_cpu == curcpu());
	splx(oldspl);
}

/*
 * A new LWP's first moments (from the arch's lwp_trampoline): finish the
 * switch that brought us here, then drop to IPL_NONE.
 */
void
lwp_startup(lwp_t *prev, lwp_t *new)
{
	KASSERT(new == curlwp);
	KASSERT(new->l_stat == LSONPROC);
	mi_switch_finish(prev);
	spl0();
}

/* A zombie leaves its CPU for good (lwp_exit). */
void
lwp_exit_switchaway(lwp_t *l)
{
	KASSERT(l == curlwp && l->l_stat == LSZOMB);
	lwp_lock(l);
	mi_switch(l);
	panic("lwp_exit_switchaway: zombie %p ran again", l);
}

/* Voluntarily let others of equal or higher priority run. */
void
yield(void)
{
	lwp_t *l = curlwp;

	KASSERT(l->l_nopreempt == 0);
	lwp_lock(l);
	KASSERT(lwp_locked(l, l->l_cpu->ci_schedstate.spc_lwplock));
	KASSERT(l->l_stat == LSONPROC);
	/*
	 * Nothing queued here and no move asked for: mi_switch would
	 * queue us and pick us again (no switch, none counted) -- a
	 * third of sched_yield's instructions for nothing.  spc_count is
	 * read without spc_mutex: an LWP queued just now is as if it
	 * came after our yield, and it asks for a switch itself if it
	 * should run before us.
	 */
	if (!sched_curcpu_runnable_p() && l->l_target_cpu == NULL) {
		lwp_unlock(l);
		return;
	}
	mi_switch(l);
}

/*
 * Before every return to user mode: a reschedule the kernel could not
 * do earlier (RESCHED_UPREEMPT, or a wakeup during the system call)
 * happens now, then any LW_USERRET work.
 */
void
mi_userret(lwp_t *l)
{
	KASSERT(l == curlwp && l->l_nopreempt == 0);
	JITTER_POINT(JITTER_USERRET);
	if (curcpu()->ci_want_resched != 0)
		preempt();
	if (l->l_flag & LW_USERRET)
		lwp_userret(l);
}

/* sched_yield(2) */
int
sys_sched_yield(lwp_t *l, const void *uap, register_t *retval)
{
	yield();
	return 0;
}

/* Involuntarily give up the CPU (a preemption). */
void
preempt(void)
{
	lwp_t *l = curlwp;

	lwp_lock(l);
	KASSERT(l->l_stat == LSONPROC);
	l->l_pflag |= LP_PREEMPTING;
	mi_switch(l);
}

/*
 * Something of priority `pri` became runnable on ci: if it beats what
 * runs there, ask ci to reschedule (at the next interrupt return or
 * kpreempt_enable, or now, if ci is idle).
 */
void
sched_resched_cpu(struct cpu_info *ci, pri_t pri)
{
	struct schedstate_percpu *spc = &ci->ci_schedstate;

	if (pri <= spc->spc_curpriority)
		return;
	cpu_need_resched(ci, spc->spc_curpriority == PRI_IDLE ?
	    RESCHED_IDLE | RESCHED_KPREEMPT : RESCHED_KPREEMPT);
}

/* ---- kernel preemption control ------------------------------------- */

void
kpreempt_disable(void)
{
	curlwp->l_nopreempt++;
	__insn_barrier();
}

/*
 * Re-enable preemption; if a switch was asked for meanwhile and nothing
 * else forbids it, take it now.
 */
void
kpreempt_enable(void)
{
	lwp_t *l = curlwp;

	__insn_barrier();
	KASSERT(l->l_nopreempt > 0);
	if (--l->l_nopreempt == 0 &&
	    kpreempt_wanted(curcpu(), l, curcpu()->ci_ilevel))
		preempt();
}

/*
 * The one kernel-preemption test, for kpreempt_enable and for the
 * arch's interrupt return (which also checks that the interrupted code
 * had interrupts on): should l, running on ci at IPL `ipl`, be switched
 * away from now?  Yes if a reschedule is pending and nothing forbids
 * it: IPL_NONE, preemption not disabled, and an LSONPROC LWP (not a
 * zombie on its way out) other than the idle LWP, which reschedules
 * itself.  l may be NULL (an interrupt before the scheduler runs).
 * (lwpkern's; NetBSD's arch code calls kpreempt(), which decides.)
 */
bool
kpreempt_wanted(struct cpu_info *ci, const lwp_t *l, int ipl)
{
	return ci->ci_want_resched != 0 && ipl == IPL_NONE && l != NULL &&
	    l->l_nopreempt == 0 && !(l->l_flag & LW_IDLE) &&
	    l->l_stat == LSONPROC;
}

bool
kpreempt_disabled(void)
{
	const lwp_t *l = curlwp;
	int ipl;

	if (l->l_nopreempt != 0 || (l->l_flag & LW_IDLE))
		return true;
	(void)curcpu_spin_state(&ipl);
	return ipl != IPL_NONE;
}

/*
 * The CPU this LWP runs on, seen in one look: the number of spin
 * mutexes held there (returned) and its IPL (in *iplp, if not NULL).
 * For assertions in code that may be preempted.
 *
 * An LWP that holds a spin mutex or runs at raised IPL cannot be moved,
 * so for it `curcpu()->ci_mtx_count` is simply its own.  One that holds
 * neither may be preempted, and moved to another CPU, between reading
 * curcpu() and reading the field: it then reads the first CPU's state,
 * which by now may be another LWP's spin mutex: a false "holding a spin
 * mutex" (seen once at system-call return under KASAN, while the first
 * CPU walked the LWP list under alllwp_lock).  So look again if the LWP
 * was switched meanwhile: l_ncsw counts its switches, and moving CPUs
 * takes one.  (NetBSD's assert_sleepable() reads its CPU the same way,
 * with lwp_pctr(); disabling preemption instead would change what is
 * being asserted.)
 */
int
curcpu_spin_state(int *iplp)
{
	const lwp_t *l = curlwp;
	struct cpu_info *ci;
	uint64_t ncsw;
	int n, ipl;

	do {
		ncsw = l->l_ncsw;
		__insn_barrier();
		ci = curcpu();
		n = ci->ci_mtx_count;
		ipl = ci->ci_ilevel;
		__insn_barrier();
	} while (ncsw != l->l_ncsw);
	if (iplp != NULL)
		*iplp = ipl;
	return n;
}

/*
 * Make l runnable again, from LSSTOP, LSSUSPENDED, LSIDL or LSSLEEP.
 * On entry l is locked (by a sleep queue's lock, or its CPU's
 * spc_lwplock; never a run queue's) and p_lock of its process is held.
 * Returns with l unlocked (the lock that covered l on entry released).
 *
 *   - The process's counters: p_nrlwps counts l in LSIDL, LSRUN,
 *     LSONPROC and LSSLEEP, not in LSSTOP or LSSUSPENDED; so leaving
 *     those two adds one.  Leaving LSSUSPENDED also clears LW_WSUSPEND
 *     (the request is done with).  lwp_check_counters(p) (DIAGNOSTIC)
 *     asserts the counts once they are right.
 *   - Still on a sleep queue (l_wchan != NULL; stopped or suspended
 *     while asleep, or simply LSSLEEP): l goes back to LSSLEEP and its
 *     syncobj takes it off the queue and wakes it: lwp_unsleep(l, true),
 *     which releases the lock.
 *   - Otherwise setrunnable1(l) makes it run, and the lock that covered
 *     l on entry is released after (remember it first: l_mutex changes).
 *
 * Any other state panics ("setrunnable: LWP %p in state %d").
 */
void
setrunnable(lwp_t *l)
{
#if !LAB_STUB(lend)
	struct proc *p = l->l_proc;
	kmutex_t *old = l->l_mutex;

	KASSERT(lwp_locked(l, NULL));
	KASSERT(!(l->l_flag & LW_IDLE));
	KASSERT(old != l->l_cpu->ci_schedstate.spc_mutex);
	KASSERT(mutex_owned(p->p_lock));

	switch (l->l_stat) {
	case LSSLEEP:
		KASSERT(l->l_wchan != NULL);
		break;
	case LSSTOP:
		p->p_nrlwps++;
		break;
	case LSSUSPENDED:
		l->l_flag &= ~LW_WSUSPEND;
		p->p_nrlwps++;
		break;
	case LSIDL:
		break;
	default:
		panic("setrunnable: LWP %p in state %d", l, l->l_stat);
	}

	/* On a sleep queue: its syncobj takes it off and wakes it. */
	if (l->l_wchan != NULL) {
		l->l_stat = LSSLEEP;
		lwp_check_counters(p);
		lwp_unsleep(l, true);
		return;
	}
	setrunnable1(l);
	lwp_check_counters(p);
	mutex_spin_exit(old);
#else
	LAB_TODO(lend, "setrunnable");
#endif /* LAB lend */
}

/*
 * The end of every wakeup, setrunnable's and the sleep queues'
 * (sleepq_remove): l is on no queue (l_wchan == NULL) and locked by
 * its current lock, `old' (a sleep queue's, or spc_lwplock), and is to
 * run again:
 *
 *   - still on its CPU (LP_RUNNING in l_pflag: it was about to switch
 *     away, and mi_switch keeps it locked until it is off, so only l
 *     itself finds it so: sleepq_block taking itself off its queue for
 *     a request already made): LSONPROC, lent its CPU's spc_lwplock,
 *     and it simply carries on;
 *   - else LSRUN, on the run queue of the CPU sched_takecpu(l) picks
 *     (l_cpu becomes that CPU), lent that CPU's spc_mutex, and queued
 *     there (sched_enqueue(l, false), which also asks that CPU to
 *     preempt if l outranks what it runs).  Take the chosen CPU's
 *     spc_mutex (spc_lock) before lending it: from the moment l_mutex
 *     points at it, another CPU may take it and must find l queued,
 *     LSRUN.  Release it when l is queued (spc_unlock).
 *
 * `old' stays held -- the caller releases it (it may cover other LWPs
 * the caller is still waking) -- but no longer covers l.
 */
void
setrunnable1(lwp_t *l)
{
#if !LAB_STUB(lend)
	struct cpu_info *ci;

	KASSERT(lwp_locked(l, NULL));
	KASSERT(l->l_wchan == NULL);
	if (l->l_pflag & LP_RUNNING) {
		TRACE_WAKEUP(l, l->l_cpu);
		l->l_stat = LSONPROC;
		lwp_setlock(l, l->l_cpu->ci_schedstate.spc_lwplock);
		return;
	}
	ci = sched_takecpu(l);
	TRACE_WAKEUP(l, ci);
	l->l_cpu = ci;
	spc_lock(ci);
	lwp_setlock(l, ci->ci_schedstate.spc_mutex);
	l->l_stat = LSRUN;
	sched_enqueue(l, false);
	spc_unlock(ci);
#else
	LAB_TODO(lend, "setrunnable1");
#endif /* LAB lend */
}

/* ---- sched_syncobj: the "syncobj" of an LWP that is not asleep ----- */

static void
sched_unsleep(lwp_t *l, bool unlock)
{
	panic("sched_unsleep: lwp %p (%s) is not asleep", l, l->l_name);
}

/*
 * Change a priority.  A queued LWP moves to its new queue.  For a
 * running one, its CPU's spc_curpriority follows (a hint others read
 * when deciding whether to preempt it), and if it dropped below what
 * is queued there, that CPU is asked to reschedule.
 */
static void
sched_setpri(lwp_t *l, pri_t pri, bool lend)
{
	bool queued = l->l_stat == LSRUN;

	KASSERT(lwp_locked(l, NULL));
	if (queued)
		sched_dequeue(l);
	if (lend)
		l->l_inheritedprio = pri;
	else
		l->l_priority = pri;
	if (queued)
		sched_enqueue(l, false);
	else if (l->l_stat == LSONPROC && !(l->l_flag & LW_IDLE)) {
		struct cpu_info *ci = l->l_cpu;
		struct schedstate_percpu *spc = &ci->ci_schedstate;

		/* spc_mutex, as mi_switch: both write spc_curpriority. */
		spc_lock(ci);
		spc->spc_curpriority = lwp_eprio(l);
		if (spc->spc_count != 0 &&
		    spc->spc_maxpriority > spc->spc_curpriority)
			cpu_need_resched(ci, RESCHED_KPREEMPT);
		spc_unlock(ci);
	}
}

static void
sched_changepri(lwp_t *l, pri_t pri)
{
	sched_setpri(l, pri, false);
}

static void
sched_lendpri(lwp_t *l, pri_t pri)
{
	TRACE_LENDPRI(l, pri);
	sched_setpri(l, pri, true);
}

syncobj_t sched_syncobj = {
	.sobj_flag = SOBJ_SLEEPQ_SORTED,
	.sobj_unsleep = sched_unsleep,
	.sobj_changepri = sched_changepri,
	.sobj_lendpri = sched_lendpri,
	.sobj_owner = syncobj_noowner,
};
