/*
 * sys_lwp.c: the LWP system calls, NetBSD's _lwp_* interface (see
 * docs/lwp.md and docs/man/_lwp_*.2).  Each one checks its arguments
 * and leaves the work to the mechanisms (kern_lwp.c, kern_lwpexit.c,
 * kern_lwpctl.c; parking is here):
 *
 *   _lwp_create    lwp_create + setucontext + lwp_start
 *   _lwp_exit      lwp_exit (kern_lwpexit.c)
 *   _lwp_wait      lwp_wait1 (kern_lwpexit.c)
 *   _lwp_suspend   lwp_suspend, then wait for LSSUSPENDED
 *   _lwp_continue  lwp_continue
 *   _lwp_park      a sleep on the LWP's own wait channel
 *   _lwp_ctl       lwp_ctl_alloc (kern_lwpctl.c)
 *
 * Targets are named by LWP id within the caller's process, and looked
 * up with lwp_find under p_lock, which keeps them from going away.
 * Errors are NetBSD's; where NetBSD versions differ, the comment says
 * which one we follow.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/lab.h>
#include <sys/lwp.h>
#include <sys/lwpctl.h>
#include <sys/proc.h>
#include <sys/sleepq.h>
#include <sys/syncobj.h>
#include <sys/syscallargs.h>
#include <sys/time.h>
#include <sys/ucontext.h>
#include <sys/trace.h>

#define LWP_UNPARK_MAX		1024	/* _lwp_unpark_all: per call */
#define LWP_UNPARK_STACK	32	/* ... of which on the stack */

/* A new user LWP's first kernel code: nothing to do, it goes straight
 * to user mode in the registers _lwp_create gave it. */
static void
lwp_user_start(void *arg)
{
}

int
sys__lwp_create(lwp_t *l, const struct sys__lwp_create_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	unsigned long flags = SCARG(uap, flags);
	lwpid_t lid = 0;
	ucontext_t *uc;
	lwp_t *l2;
	int error;

	/* (A ucontext_t is 784 bytes: too much for the kernel stack.) */
	if ((uc = kmem_alloc(sizeof(*uc), KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = copyin(SCARG(uap, ucp), uc, sizeof(*uc))) != 0)
		goto out;
	/* Fail on a bad lid pointer before anything exists. */
	if ((error = copyout(&lid, SCARG(uap, new_lwp), sizeof(lid))) != 0)
		goto out;
	if (!(uc->uc_flags & _UC_CPU)) {
		error = EINVAL;
		goto out;
	}
	if ((error = cpu_mcontext_validate(l, &uc->uc_mcontext,
	    uc->uc_flags)) != 0)
		goto out;
	if ((error = lwp_create(l, p, flags & LWP_DETACHED, lwp_user_start,
	    NULL, &l2)) != 0)
		goto out;
	/* Its registers, FPU and TLS as copied from us, then the context's
	 * (validated above: this cannot fail). */
	l2->l_private = l->l_private;
	error = setucontext(l2, uc);
	KASSERT(error == 0);
	lid = l2->l_lid;
	error = copyout(&lid, SCARG(uap, new_lwp), sizeof(lid));
	mutex_enter(p->p_lock);
	if (error != 0) {
		/* The pointer went bad since we checked it: nobody can know
		 * the new LWP, so it exits at once, detached. */
		lwp_lock(l2);
		l2->l_flag |= LW_WEXIT;
		lwp_unlock(l2);
		if (!(l2->l_prflag & LPR_DETACHED)) {
			l2->l_prflag |= LPR_DETACHED;
			p->p_ndlwps++;
		}
		flags &= ~LWP_SUSPENDED;
	}
	lwp_start(l2, flags & LWP_SUSPENDED);
	mutex_exit(p->p_lock);
out:
	kmem_free(uc, sizeof(*uc));
	return error;
}

int
sys__lwp_exit(lwp_t *l, const void *uap, register_t *retval)
{
	lwp_exit(l);
}

int
sys__lwp_self(lwp_t *l, const void *uap, register_t *retval)
{
	*retval = l->l_lid;
	return 0;
}

int
sys__lwp_wait(lwp_t *l, const struct sys__lwp_wait_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	lwpid_t dep;
	int error;

	mutex_enter(p->p_lock);
	error = lwp_wait1(l, SCARG(uap, wait_for), &dep);
	mutex_exit(p->p_lock);
	if (error == 0 && SCARG(uap, departed) != NULL)
		error = copyout(&dep, SCARG(uap, departed), sizeof(dep));
	return error;
}

/*
 * _lwp_suspend(lid): returns once the target is LSSUSPENDED (or has
 * been continued meanwhile).  Suspending ourselves returns 0 at once:
 * we suspend on the way out, and the call "returns" when continued.
 * EDEADLK for ourselves as the only running LWP (nobody could continue
 * us); ESRCH if the target is not there or goes away meanwhile.
 */
int
sys__lwp_suspend(lwp_t *l, const struct sys__lwp_suspend_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	lwpid_t lid = SCARG(uap, target);
	lwp_t *t;
	int error;

	mutex_enter(p->p_lock);
	if ((t = lwp_find(p, lid)) == NULL) {
		mutex_exit(p->p_lock);
		return ESRCH;
	}
	if (t == l && p->p_nrlwps == 1) {
		mutex_exit(p->p_lock);
		return EDEADLK;
	}
	lwp_lock(t);
	if ((error = lwp_suspend(l, t)) != 0 || t == l) {
		mutex_exit(p->p_lock);
		return error;
	}
	while (t->l_stat != LSSUSPENDED && (t->l_flag & LW_WSUSPEND)) {
		if ((error = cv_wait_sig(&p->p_lwpcv, p->p_lock)) != 0)
			break;
		if ((t = lwp_find(p, lid)) == NULL) {
			error = ESRCH;
			break;
		}
		if ((l->l_flag | t->l_flag) & LW_WEXIT) {
			error = ERESTART;
			break;
		}
	}
	mutex_exit(p->p_lock);
	return error;
}

int
sys__lwp_continue(lwp_t *l, const struct sys__lwp_continue_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	lwp_t *t;

	mutex_enter(p->p_lock);
	if ((t = lwp_find(p, SCARG(uap, target))) == NULL) {
		mutex_exit(p->p_lock);
		return ESRCH;
	}
	lwp_lock(t);
	lwp_continue(t);		/* unlocks */
	mutex_exit(p->p_lock);
	return 0;
}

/*
 * _lwp_wakeup(lid): cut the target's interruptible sleep short (it
 * returns EINTR).  Whatever happens, the target's next interruptible
 * sleep is cancelled (LW_CANCELLED) and its next park returns at once
 * (LW_UNPARKED), as NetBSD does.  ENODEV if it does not sleep, EBUSY
 * if its sleep cannot be interrupted.
 */
int
sys__lwp_wakeup(lwp_t *l, const struct sys__lwp_wakeup_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	int error = 0;
	lwp_t *t;

	mutex_enter(p->p_lock);
	if ((t = lwp_find(p, SCARG(uap, target))) == NULL) {
		mutex_exit(p->p_lock);
		return ESRCH;
	}
	lwp_lock(t);
	t->l_flag |= LW_CANCELLED | LW_UNPARKED;
	if (t->l_stat != LSSLEEP) {
		lwp_unlock(t);
		error = ENODEV;
	} else if (!(t->l_flag & LW_SINTR)) {
		lwp_unlock(t);
		error = EBUSY;
	} else
		lwp_unsleep(t, true);
	mutex_exit(p->p_lock);
	return error;
}

/*
 * _lwp_detach(lid): nobody will wait for it (LPR_DETACHED, counted in
 * p_ndlwps); a zombie is freed at once (lwp_free), a live LWP when it
 * exits (lwp_exit parks it in p_zomblwp).  The target may be ourselves
 * or a zombie (so proc_find_lwp, not lwp_find), but not an LWP still
 * being created (LSIDL: ESRCH).  Either way the waiters on p_lwpcv are
 * woken to re-check: one fewer LWP may now exit for them, which can
 * make their wait a deadlock (EDEADLK) or leave them nothing to wait
 * for (ESRCH).  Returns 0; EINVAL if it is already detached; ESRCH if
 * there is none.  (The stub returns ENOSYS.)
 */
int
sys__lwp_detach(lwp_t *l, const struct sys__lwp_detach_args *uap,
    register_t *retval)
{
#if !LAB_STUB(reap)
	struct proc *p = l->l_proc;
	lwpid_t lid = SCARG(uap, target);
	lwp_t *t;

	mutex_enter(p->p_lock);
	if ((t = proc_find_lwp(p, lid)) == NULL || t->l_stat == LSIDL) {
		mutex_exit(p->p_lock);
		return ESRCH;
	}
	if (t->l_prflag & LPR_DETACHED) {
		mutex_exit(p->p_lock);
		return EINVAL;
	}
	t->l_prflag |= LPR_DETACHED;
	p->p_ndlwps++;
	lwp_check_counters(p);
	/* Waiters re-check for deadlock (they run once we let p_lock go). */
	cv_broadcast(&p->p_lwpcv);
	if (t->l_stat == LSZOMB) {
		lwp_free(t);		/* releases p_lock */
		return 0;
	}
	mutex_exit(p->p_lock);
	return 0;
#else
	return ENOSYS;
#endif /* LAB reap */
}

/* ---- parking ------------------------------------------------------------- */

/*
 * A parked LWP sleeps interruptibly on its own address as the wait
 * channel, so an unparker finds it with nothing but its lid (NetBSD
 * 2020 also looks LWPs up by lid; the 2011 reference hashed on a hint,
 * which we accept and ignore, as NetBSD 10 does).  (__unused: lab
 * park's stubs do not use it.)
 */
static __unused syncobj_t lwp_park_syncobj = {
	.sobj_flag = SOBJ_SLEEPQ_FIFO,
	.sobj_unsleep = sleepq_unsleep,
	.sobj_changepri = sleepq_changepri,
	.sobj_lendpri = sleepq_lendpri,
	.sobj_owner = syncobj_noowner,
};

/*
 * Unpark t (an LWP of our process, found with lwp_find; p_lock held):
 * if it is parked -- on a park sleep queue (l_syncobj is
 * lwp_park_syncobj), asleep, or stopped there (a process stop leaves an
 * interruptible sleeper on its queue, LSSTOP) -- take it off
 * (lwp_unsleep: its park returns 0, once continued if it was stopped);
 * else leave it LW_UNPARKED, so that its next park returns EALREADY at
 * once: no unpark is ever lost, and several make one token.  (A stopped
 * parker given only the token would go back to sleep when continued,
 * and the unpark would be lost: NetBSD 10 looks at the syncobj alone.)
 * Looks and sets under t's lock (lwp_lock; lwp_unsleep releases it).
 * The park path checks LW_UNPARKED holding the lock an unparker needs
 * to find it asleep (its sleep queue's, which is its lock once
 * sleepq_enter has run), so the two cannot miss each other.  Returns 0.
 * (The stub returns ENOSYS and unparks nothing.)
 */
static int
lwp_unpark1(lwp_t *t)
{
#if !LAB_STUB(park)
	KASSERT(mutex_owned(t->l_proc->p_lock));
	lwp_lock(t);
	if (t->l_syncobj == &lwp_park_syncobj)
		lwp_unsleep(t, true);
	else {
		t->l_flag |= LW_UNPARKED;
		lwp_unlock(t);
	}
	return 0;
#else
	return ENOSYS;
#endif /* LAB park */
}

/* _lwp_unpark(lid) for l: ESRCH if there is no such (live) LWP, else
 * lwp_unpark1's answer. */
static int
lwp_unpark_one(lwp_t *l, lwpid_t lid)
{
	struct proc *p = l->l_proc;
	lwp_t *t;
	int error;

	mutex_enter(p->p_lock);
	if ((t = lwp_find(p, lid)) == NULL) {
		mutex_exit(p->p_lock);
		return ESRCH;
	}
	TRACE_UNPARK(t);
	error = lwp_unpark1(t);
	mutex_exit(p->p_lock);
	return error;
}

/*
 * Park curlwp until unparked, woken (_lwp_wakeup), or until the
 * deadline (ns of uptime, nsuptime(); 0: none).  Holds nothing on
 * entry or return.  Contract:
 *
 *   EALREADY   an unpark or wakeup came first (LW_UNPARKED or
 *              LW_CANCELLED set before we slept): both flags are
 *              cleared, and we never slept
 *   0          unparked while asleep (lwp_unpark1)
 *   EINTR      woken by _lwp_wakeup or a signal, or suspended (which
 *              libraries treat as the spurious wakeup it is); a
 *              wakeup's LW_UNPARKED is spent with it
 *   ETIMEDOUT  the deadline passed (never before nsuptime() reaches
 *              it: a clock-tick timeout that comes early by nsuptime
 *              goes round and sleeps again)
 *
 * The sleep: sleeptab_lookup(&lwp_park_tab, l) (parked LWPs have a
 * sleep table of their own: sys/sleepq.h) and sleepq_enter(), then,
 * with that lock held, look at LW_UNPARKED/LW_CANCELLED (set: undo the
 * enter, lwp_unlock_to(l, spc_lwplock of l's CPU), and return), else
 * sleepq_enqueue() on lwp_park_syncobj with wmesg "parked", and
 * sleepq_block(timo, true) with timo in ticks (hz; at least one, plus
 * one: the first tick may be due at once).  (The stub returns ENOSYS
 * at once.  __unused: lwp_park_ts's stub does not call it.)
 */
static __unused int
lwp_park(uint64_t deadline)
{
#if !LAB_STUB(park)
	lwp_t *l = curlwp;
	uint64_t now, tick = 1000000000 / hz;
	int timo, error, wakeup;
	bool slept = false;
	kmutex_t *mp;
	sleepq_t *sq;

	/*
	 * Around again if the clock interrupt's timeout came before the
	 * deadline by nsuptime (the two clocks are calibrated apart): a
	 * timeout is never early.
	 */
	for (;;) {
		timo = 0;
		if (deadline != 0) {
			if ((now = nsuptime()) >= deadline)
				return ETIMEDOUT;
			/* +1: the first tick may be due at once. */
			timo = MIN(howmany(deadline - now, tick) + 1, INT32_MAX);
		}
		sq = sleeptab_lookup(&lwp_park_tab, l, &mp);
		sleepq_enter(sq, l, mp);
		if ((wakeup = l->l_flag & (LW_CANCELLED | LW_UNPARKED)) != 0) {
			/* Not sleeping after all: still LSONPROC, whose lock
			 * is our CPU's spc_lwplock again.  Before any sleep
			 * that is EALREADY; after a timeout we came back
			 * from, a wakeup like any other. */
			l->l_flag &= ~(LW_CANCELLED | LW_UNPARKED);
			lwp_unlock_to(l, l->l_cpu->ci_schedstate.spc_lwplock);
			if (!slept)
				return EALREADY;
			return (wakeup & LW_CANCELLED) ? EINTR : 0;
		}
		sleepq_enqueue(sq, l, "parked", &lwp_park_syncobj);
		error = sleepq_block(timo, true);
		slept = true;
		switch (error) {
		case EWOULDBLOCK:
			continue;
		case ERESTART:
			return EINTR;
		case EINTR:
			/* A wakeup's LW_UNPARKED is spent too. */
			lwp_lock(l);
			l->l_flag &= ~LW_UNPARKED;
			lwp_unlock(l);
			return EINTR;
		default:
			return error;
		}
	}
#else
	return ENOSYS;
#endif /* LAB park */
}

/*
 * _lwp_park's timeout, its arguments checked: park (lwp_park) until
 * *ts, or for ever if ts is NULL.  A relative ts (rel) counts from
 * now; an absolute one is nanoseconds of uptime (CLOCK_MONOTONIC and
 * CLOCK_REALTIME are the same clock here).  A negative tv_sec is a
 * time already past; seconds beyond 10^9 are cut to 10^9.  For a
 * relative ts, unless the answer is EALREADY, *ts gets the time left
 * (0 after ETIMEDOUT) and *left is set: the caller copies it out.
 * Returns lwp_park's answer.  (The stub returns ENOSYS.)
 */
static int
lwp_park_ts(struct timespec *ts, bool rel, bool *left)
{
#if !LAB_STUB(park)
	uint64_t deadline = 0, now, tsns;
	int error;

	if (ts != NULL) {
		now = nsuptime();
		if (ts->tv_sec < 0)
			deadline = rel ? now : 1;
		else {
			tsns = ts->tv_sec > 1000000000 ?
			    1000000000ULL * 1000000000 :
			    ts->tv_sec * 1000000000ULL + ts->tv_nsec;
			deadline = rel ? now + tsns : MAX(tsns, 1);
		}
	}
	error = lwp_park(deadline);
	if (ts != NULL && rel && error != EALREADY) {
		now = nsuptime();
		tsns = now >= deadline || error == ETIMEDOUT ? 0 :
		    deadline - now;
		ts->tv_sec = tsns / 1000000000;
		ts->tv_nsec = tsns % 1000000000;
		*left = true;
	}
	return error;
#else
	return ENOSYS;
#endif /* LAB park */
}

/*
 * _lwp_park(clock, flags, ts, unpark, hint, unparkhint), NetBSD 7's
 * form: first unpark `unpark` (if not 0; failing that, return without
 * parking), then park until ts (relative, or absolute with
 * TIMER_ABSTIME, on CLOCK_MONOTONIC or CLOCK_REALTIME, which here
 * are the same clock).  A relative ts gets the time left written back.
 */
int
sys____lwp_park60(lwp_t *l, const struct sys____lwp_park60_args *uap,
    register_t *retval)
{
	struct timespec ts, *uts = SCARG(uap, ts);
	clockid_t clock = SCARG(uap, clock_id);
	bool rel = !(SCARG(uap, flags) & TIMER_ABSTIME), left = false;
	int error;

	if (uts != NULL) {
		if ((error = copyin(uts, &ts, sizeof(ts))) != 0)
			return error;
		if ((clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME) ||
		    ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return EINVAL;
	}
	if (SCARG(uap, unpark) != 0 &&
	    (error = lwp_unpark_one(l, SCARG(uap, unpark))) != 0)
		return error;
	TRACE_PARK();
	error = lwp_park_ts(uts != NULL ? &ts : NULL, rel, &left);
	if (left)
		(void)copyout(&ts, uts, sizeof(ts));
	return error;
}

int
sys__lwp_unpark(lwp_t *l, const struct sys__lwp_unpark_args *uap,
    register_t *retval)
{
	return lwp_unpark_one(l, SCARG(uap, target));
}

/*
 * _lwp_unpark_all(targets, ntargets, hint): unpark each; NULL targets
 * asks for the per-call maximum.  Missing LWPs are skipped and make the
 * call return ESRCH (NetBSD 2020; earlier versions returned 0).
 */
int
sys__lwp_unpark_all(lwp_t *l, const struct sys__lwp_unpark_all_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	lwpid_t stackbuf[LWP_UNPARK_STACK], *tp;
	size_t n = SCARG(uap, ntargets), sz;
	int error, missing = 0, failed = 0, e;
	lwp_t *t;

	if (SCARG(uap, targets) == NULL) {
		*retval = LWP_UNPARK_MAX;
		return 0;
	}
	if (n == 0 || n > LWP_UNPARK_MAX)
		return EINVAL;
	sz = n * sizeof(lwpid_t);
	tp = n <= LWP_UNPARK_STACK ? stackbuf : kmem_alloc(sz, KM_SLEEP);
	if (tp == NULL)
		return ENOMEM;
	if ((error = copyin(SCARG(uap, targets), tp, sz)) == 0) {
		mutex_enter(p->p_lock);
		for (size_t i = 0; i < n; i++) {
			if ((t = lwp_find(p, tp[i])) == NULL)
				missing++;
			else if ((e = lwp_unpark1(t)) != 0)
				failed = e;
		}
		mutex_exit(p->p_lock);
		if (failed)
			error = failed;
		else if (missing)
			error = ESRCH;
	}
	if (tp != stackbuf)
		kmem_free(tp, sz);
	*retval = 0;
	return error;
}

/* ---- names, private pointer, lwpctl ------------------------------------ */

/*
 * _lwp_setname(lid, name): a name longer than MAXCOMLEN - 1 characters
 * is cut (NetBSD accepts it the same way).  The name buffer, once an
 * LWP has one, stays until the LWP is freed; only its bytes change,
 * under the LWP's lock.
 */
int
sys__lwp_setname(lwp_t *l, const struct sys__lwp_setname_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	char *name, *old = NULL;
	int error;
	lwp_t *t;

	if ((name = kmem_zalloc(MAXCOMLEN, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = copyinstr(SCARG(uap, name), name, MAXCOMLEN, NULL);
	if (error != 0 && error != ENAMETOOLONG)
		goto out;
	name[MAXCOMLEN - 1] = '\0';
	error = 0;
	/* lid 0 is ourselves (lwp_find2's way; NetBSD's too). */
	if ((t = lwp_find2(0, SCARG(uap, target))) == NULL)
		error = ESRCH;
	else {
		lwp_lock(t);
		if (t->l_name == NULL) {
			t->l_name = name;
			name = NULL;
		} else
			old = t->l_name;
		if (old != NULL)
			strlcpy(old, name, MAXCOMLEN);
		lwp_unlock(t);
		mutex_exit(p->p_lock);
	}
out:
	if (name != NULL)
		kmem_free(name, MAXCOMLEN);
	return error;
}

/* _lwp_getname(lid, buf, len): ENAMETOOLONG if it does not fit. */
int
sys__lwp_getname(lwp_t *l, const struct sys__lwp_getname_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	char name[MAXCOMLEN];
	lwp_t *t;

	if ((t = lwp_find2(0, SCARG(uap, target))) == NULL)
		return ESRCH;
	lwp_lock(t);
	strlcpy(name, t->l_name != NULL ? t->l_name : "", sizeof(name));
	lwp_unlock(t);
	mutex_exit(p->p_lock);
	return copyoutstr(name, SCARG(uap, name),
	    MIN(SCARG(uap, len), sizeof(name)), NULL);
}

int
sys__lwp_getprivate(lwp_t *l, const void *uap, register_t *retval)
{
	*retval = (register_t)l->l_private;
	return 0;
}

/* _lwp_setprivate(ptr): the TLS base (cpu_lwp_setprivate); EINVAL
 * outside user space (the libc prototype returns void, as NetBSD's). */
int
sys__lwp_setprivate(lwp_t *l, const struct sys__lwp_setprivate_args *uap,
    register_t *retval)
{
	int error;

	if ((error = cpu_lwp_setprivate(l, SCARG(uap, ptr))) != 0)
		return error;
	l->l_private = SCARG(uap, ptr);
	return 0;
}

/* _lwp_ctl(features, &lc): ENODEV for a feature we do not know. */
int
sys__lwp_ctl(lwp_t *l, const struct sys__lwp_ctl_args *uap,
    register_t *retval)
{
	vaddr_t va;
	int error;

	if (SCARG(uap, features) &
	    ~(LWPCTL_FEATURE_CURCPU | LWPCTL_FEATURE_PCTR))
		return ENODEV;
	if ((error = lwp_ctl_alloc(l, &va)) != 0)
		return error;
	return copyout(&va, SCARG(uap, address), sizeof(va));
}
