/*
 * kern_sleepq.c: sleep queues (see sys/sleepq.h for the interface).
 *
 * Lock lending while an LWP goes to sleep:
 *
 *   LSONPROC, l_mutex = spc_lwplock   sleepq_enter: lwp_lock(l),
 *                                     take the bucket's st_mutex,
 *                                     lend it (lwp_unlock_to)
 *   LSSLEEP,  l_mutex = st_mutex      sleepq_enqueue; drop the interlock;
 *                                     sleepq_block -> mi_switch
 *   ...                               a waker takes st_mutex and finds l
 *   LSRUN,    l_mutex = spc_mutex     sleepq_remove -> setrunnable1:
 *                                     sched_takecpu, lend the chosen
 *                                     CPU's spc_mutex, enqueue
 *
 * The lock order is spc_lwplock -> st_mutex -> spc_mutex: sleepq_enter
 * locks the sleeper before the bucket, and a waker holds the bucket
 * while it takes a run queue's lock.
 *
 * A timed sleep arms the LWP's own callout (l_timeout_ch), whose
 * handler, sleepq_timeout(), wakes it with LW_STIMO set.  Interruptible
 * sleeps (sleepq_block's `catch`) end early for an exit, a suspension,
 * _lwp_wakeup or a signal.
 */
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/lab.h>
#include <sys/lwp.h>
#include <sys/sched.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/sleepq.h>
#include <sys/trace.h>

sleeptab_t sleeptab;
sleeptab_t lwp_park_tab;		/* parked LWPs only (sys/sleepq.h) */

void
sleeptab_init(void)
{
	sleeptab_t *const tabs[] = { &sleeptab, &lwp_park_tab };

	for (size_t t = 0; t < __arraycount(tabs); t++)
		for (int i = 0; i < SLEEPTAB_HASH_SIZE; i++) {
			mutex_init(&tabs[t]->st_bucket[i].st_mutex,
			    MUTEX_SPIN, IPL_SCHED, "st_mutex");
			mutex_setorder(&tabs[t]->st_bucket[i].st_mutex,
			    LOCKORDER_SLEEPTAB);
			TAILQ_INIT(&tabs[t]->st_bucket[i].st_queue);
		}
}

/* The queue and lock for wchan's bucket of st (the lock is not
 * taken). */
sleepq_t *
sleeptab_lookup(sleeptab_t *st, wchan_t wchan, kmutex_t **mp)
{
	int h = SLEEPTAB_HASH(wchan);

	*mp = &st->st_bucket[h].st_mutex;
	return &st->st_bucket[h].st_queue;
}

/* The same in sleeptab, where every sleep but a park goes. */
sleepq_t *
sleepq_hashlock(wchan_t wchan, kmutex_t **mp)
{
	return sleeptab_lookup(&sleeptab, wchan, mp);
}

/*
 * Prepare curlwp l (LSONPROC, covered by its CPU's spc_lwplock, nothing
 * of the sleep queue's held) to sleep on sq: lock l, then take the
 * queue's lock mp (the lock order: spc_lwplock before a sleep queue's
 * lock), and lend mp to l, letting l's old lock go.  Returns holding mp
 * and nothing else of ours, with l->l_mutex == mp: from here until l
 * has switched away, a waker (who needs mp) cannot get at l.
 */
void
sleepq_enter(sleepq_t *sq, lwp_t *l, kmutex_t *mp)
{
#if !LAB_STUB(sleepq)
	KASSERT(l == curlwp);
	lwp_lock(l);
	mutex_spin_enter(mp);
	lwp_unlock_to(l, mp);
#else
	LAB_TODO(sleepq, "sleepq_enter");
#endif /* LAB sleepq */
}

#if !LAB_STUB(sleepq)
/*
 * Put l on sq where its syncobj says: by effective priority (highest
 * first, FIFO among equals), at the tail, or at the head.
 */
static void
sleepq_insert(sleepq_t *sq, lwp_t *l, syncobj_t *sobj)
{
	lwp_t *l2;

	if (sobj->sobj_flag & SOBJ_SLEEPQ_SORTED) {
		/*
		 * After the last waiter of our priority or higher: FIFO
		 * among equals.  Searched from the tail, where that place
		 * is when the waiters have our priority, the common case:
		 * thousands of LWPs queued on one lock (a turnstile) then
		 * cost one step each, not the queue's length (NetBSD's
		 * sleepq_insert searches from the head).
		 */
		pri_t pri = lwp_eprio(l);

		TAILQ_FOREACH_REVERSE(l2, sq, sleepq, l_sleepchain)
			if (lwp_eprio(l2) >= pri) {
				TAILQ_INSERT_AFTER(sq, l2, l, l_sleepchain);
				return;
			}
		TAILQ_INSERT_HEAD(sq, l, l_sleepchain);
	} else if (sobj->sobj_flag & SOBJ_SLEEPQ_LIFO)
		TAILQ_INSERT_HEAD(sq, l, l_sleepchain);
	else
		TAILQ_INSERT_TAIL(sq, l, l_sleepchain);
}
#endif /* LAB sleepq */

/*
 * Put curlwp on sq for wchan, after sleepq_enter (sq's lock held, and
 * covering curlwp; it stays held), or from turnstile_block (the chain's
 * lock held, but curlwp still covered by its CPU's spc_lwplock: the
 * chain's lock is lent to it just after).  Either way curlwp is locked;
 * do not assume by which lock.  From now on curlwp is LSSLEEP, on
 * sq, with l_wchan = wchan, l_wmesg = wmesg (what ps shows), l_sleepq =
 * sq and l_syncobj = sobj -- although it still runs until sleepq_block
 * switches away.  Where on sq depends on sobj->sobj_flag:
 *   SOBJ_SLEEPQ_SORTED  by effective priority (lwp_eprio: a priority
 *                       lent through a turnstile counts), highest
 *                       first, and after those of equal priority already
 *                       there (FIFO among equals);
 *   SOBJ_SLEEPQ_LIFO    at the head;
 *   otherwise (FIFO)    at the tail.
 * (sleepq_changepri and sleepq_lendpri put a sleeper back in that
 * order when its priority changes: a helper shared by the three is a
 * good idea.)  The link is l_sleepchain.
 */
void
sleepq_enqueue(sleepq_t *sq, wchan_t wchan, const char *wmesg,
    syncobj_t *sobj)
{
#if !LAB_STUB(sleepq)
	lwp_t *l = curlwp;

	KASSERT(lwp_locked(l, NULL));
	KASSERT(l->l_stat == LSONPROC);
	KASSERT(l->l_wchan == NULL && l->l_sleepq == NULL);
	l->l_syncobj = sobj;
	l->l_wchan = wchan;
	l->l_sleepq = sq;
	l->l_wmesg = wmesg;
	l->l_stat = LSSLEEP;
	sleepq_insert(sq, l, sobj);
#else
	LAB_TODO(sleepq, "sleepq_enqueue");
#endif /* LAB sleepq */
	TRACE_SLEEP(curlwp, sq);
}

/*
 * Why an interruptible sleep of l (curlwp, nothing held) should end, or
 * not start: sleepq_block's EINTR/ERESTART rules below, or 0 if nothing
 * asks (a stale LW_PENDSIG is cleared: another LWP took the signal).
 * Given: sleepq_block calls it, with nothing held, for an interruptible
 * sleep that did not start or has ended.
 */
static __unused int
sleepq_sigcheck(lwp_t *l)
{
	struct proc *p = l->l_proc;
	int error = 0, sig;
	bool pendsig;

	lwp_lock(l);
	if (l->l_flag & (LW_WEXIT | LW_CANCELLED)) {
		l->l_flag &= ~LW_CANCELLED;
		error = EINTR;
	} else if (l->l_flag & LW_WSUSPEND)
		error = ERESTART;
	pendsig = (l->l_flag & LW_PENDSIG) != 0;
	lwp_unlock(l);
	if (error != 0 || !pendsig)
		return error;

	mutex_enter(p->p_lock);
	if ((sig = sigispending(l)) != 0) {
		/* A stop restarts the call once continued; a handler
		 * restarts it if it asked (SA_RESTART). */
		if ((SIGACTION(p, sig).sa_handler == SIG_DFL &&
		    (sigprop[sig] & SA_STOP)) ||
		    (SIGACTION(p, sig).sa_flags & SA_RESTART))
			error = ERESTART;
		else
			error = EINTR;
	} else if (p->p_sflag & PS_STOPPING)
		error = ERESTART;
	else {
		/* Taken by another LWP meanwhile: nothing for us. */
		lwp_lock(l);
		l->l_flag &= ~LW_PENDSIG;
		lwp_unlock(l);
	}
	mutex_exit(p->p_lock);
	return error;
}

/*
 * Sleep: switch away until woken, or for at most `timo` ticks (0: no
 * limit).  curlwp is on a sleep queue (sleepq_enqueue), covered by that
 * queue's lock, holding no other spin mutex and with preemption
 * enabled (LOCKDEBUG panics otherwise: given).  Returns with nothing
 * locked (the lock is let go at the switch: mi_switch and whoever runs
 * next see to it), curlwp LSONPROC and off every queue, and:
 *
 *   0            woken (sleepq_wake, lwp_unsleep)
 *   EWOULDBLOCK  the time ran out (sleepq_timeout set LW_STIMO; clear it)
 *   EINTR        (catch only) the sleep was interrupted: the LWP must
 *                exit (LW_WEXIT), was cancelled (LW_CANCELLED,
 *                _lwp_wakeup; the flag is consumed), or has a signal
 *                to take whose handler does not ask for SA_RESTART
 *   ERESTART     (catch only) the LWP is to be suspended
 *                (LW_WSUSPEND), has a signal whose handler asks for
 *                SA_RESTART, or its process is stopping: the system
 *                call starts again afterwards
 * (EINTR and ERESTART are what sleepq_sigcheck(curlwp) returns, with
 * nothing held, once the sleep is over.  A sleep that timed out returns
 * EWOULDBLOCK even with a signal pending: sleepq_sigcheck is asked only
 * when there was no timeout, as NetBSD's sleepq_block does.)
 *
 * An interruptible sleep (catch; never a kernel thread's) is marked
 * LW_SINTR, which is what lets those requests cut it short: they make
 * the sleeper runnable (lwp_unsleep) only if it is marked.  A request
 * already made (LW_WEXIT, LW_CANCELLED, LW_WSUSPEND or LW_PENDSIG set
 * before we got here: nobody woke us for it, we were not asleep yet)
 * means no sleep at all: take curlwp off the queue again (lwp_unsleep,
 * releasing the lock) and return what sleepq_sigcheck says -- 0 for a
 * stale LW_PENDSIG, a spurious wakeup.
 *
 * A timed sleep arms curlwp's own callout, l_timeout_ch (callout_
 * schedule; its handler is sleepq_timeout), before it switches away
 * (mi_switch(l)).  Once back, however it was woken, the callout must be
 * stopped and its handler finished with us (callout_halt: it may be
 * running on another CPU right now), before LW_STIMO is looked at (and
 * cleared) under curlwp's lock.
 */
int
sleepq_block(int timo, bool catch)
{
	lwp_t *l = curlwp;
	struct cpu_info *ci = curcpu();

	if (LOCKDEBUG && ci->ci_mtx_count != 1)
		panic("sleepq_block: %s sleeps on %s holding %d spin "
		    "mutexes besides its sleep queue's", l->l_name,
		    l->l_wmesg, ci->ci_mtx_count - 1);
	if (LOCKDEBUG && l->l_nopreempt != 0)
		panic("sleepq_block: %s sleeps on %s with preemption "
		    "disabled", l->l_name, l->l_wmesg);
#if !LAB_STUB(sleepq)
	int error = 0;

	KASSERT(l->l_stat == LSSLEEP && l->l_wchan != NULL);
	if (catch) {
		KASSERT(!(l->l_flag & LW_SYSTEM));
		l->l_flag |= LW_SINTR;
		if (l->l_flag & (LW_WEXIT | LW_CANCELLED | LW_WSUSPEND |
		    LW_PENDSIG)) {
			/* Asked already: back to LSONPROC, no sleep (0 if
			 * it was a stale LW_PENDSIG: a spurious wakeup). */
			lwp_unsleep(l, true);
			return sleepq_sigcheck(l);
		}
	}
	if (timo != 0)
		callout_schedule(&l->l_timeout_ch, timo);
	mi_switch(l);
	KASSERT(l->l_wchan == NULL);
	if (timo != 0) {
		/* Make sure the handler is done with us, then see who woke
		 * us: the timeout sets LW_STIMO. */
		callout_halt(&l->l_timeout_ch, NULL);
		lwp_lock(l);
		if (l->l_flag & LW_STIMO) {
			l->l_flag &= ~LW_STIMO;
			error = EWOULDBLOCK;
		}
		lwp_unlock(l);
	}
	if (catch && error == 0)
		error = sleepq_sigcheck(l);
	return error;
#else
	LAB_TODO(sleepq, "sleepq_block");
#endif /* LAB sleepq */
}

/*
 * The sleep timeout: the handler of l's l_timeout_ch (arg is l), called
 * from the clock interrupt with nothing held, maybe on another CPU than
 * l's, and maybe just after l was woken another way.  Lock l; if it is
 * still on its sleep queue (l_wchan != NULL), set LW_STIMO (that is how
 * sleepq_block knows it timed out) and take it off through its syncobj
 * (lwp_unsleep(l, true): that releases the lock); else just unlock it.
 * (One stopped in its sleep, LSSTOP with l_wchan set, is taken off too:
 * it stays stopped, and runs on once continued -- its time is up.)
 */
void
sleepq_timeout(void *arg)
{
#if !LAB_STUB(sleepq)
	lwp_t *l = arg;

	lwp_lock(l);
	if (l->l_wchan == NULL) {
		lwp_unlock(l);		/* woken already */
		return;
	}
	l->l_flag |= LW_STIMO;
	lwp_unsleep(l, true);
#else
	LAB_TODO(sleepq, "sleepq_timeout");
#endif /* LAB sleepq */
}

/* Sleep for `timo` ticks (kpause(9); 0: until interrupted, intr
 * only); mtx, if given, is dropped meanwhile.  Returns EWOULDBLOCK
 * (the time ran out), or, with intr, what an interrupted sleepq_block
 * returns (0 for a spurious wakeup). */
int
kpause(const char *wmesg, bool intr, int timo, kmutex_t *mtx)
{
	lwp_t *l = curlwp;
	kmutex_t *mp;
	sleepq_t *sq;
	int error;

	KASSERT(timo > 0 || (timo == 0 && intr));
	sq = sleepq_hashlock(l, &mp);	/* a channel nobody wakes */
	sleepq_enter(sq, l, mp);
	sleepq_enqueue(sq, l, wmesg, &sleep_syncobj);
	if (mtx != NULL)
		mutex_exit(mtx);
	error = sleepq_block(timo, intr);
	if (mtx != NULL)
		mutex_enter(mtx);
	return error;
}

/*
 * Take l off sq and make it run again.  l is on sq, covered by sq's
 * lock, which the caller holds and keeps: afterwards l is covered by
 * another lock.  Off the queue, l has no trace of the sleep: l_wchan
 * and l_sleepq NULL, l_syncobj = &sched_syncobj (not asleep), and
 * LW_SINTR cleared (it is no longer in an interruptible sleep).  Then:
 *   - LSSLEEP: setrunnable1(l) (lab lend): LSRUN on a run queue under
 *     that CPU's spc_mutex, or LSONPROC if it has not switched away yet;
 *   - stopped or suspended while asleep (LSSTOP, LSSUSPENDED): it stays
 *     so, off the queue, lent its CPU's spc_lwplock (the state table in
 *     kern_lwplock.c: LSSTOP/LSSUSPENDED off a sleep queue).
 */
void
sleepq_remove(sleepq_t *sq, lwp_t *l)
{
	TRACE_UNSLEEP(l);
#if !LAB_STUB(sleepq)
	KASSERT(lwp_locked(l, NULL));
	KASSERT(l->l_sleepq == sq);
	TAILQ_REMOVE(sq, l, l_sleepchain);
	l->l_syncobj = &sched_syncobj;
	l->l_wchan = NULL;
	l->l_sleepq = NULL;
	l->l_flag &= ~LW_SINTR;

	/* Stopped or suspended while asleep: stays so, off the queue. */
	if (l->l_stat != LSSLEEP) {
		KASSERT(l->l_stat == LSSTOP || l->l_stat == LSSUSPENDED);
		lwp_setlock(l, l->l_cpu->ci_schedstate.spc_lwplock);
		return;
	}
	setrunnable1(l);
#else
	LAB_TODO(sleepq, "sleepq_remove");
#endif /* LAB sleepq */
}

/*
 * Wake up to n LWPs sleeping on wchan in sq (n = ~0u: all of them): the
 * first n of wchan in queue order, and none of another wait channel --
 * wait channels that hash to the same sleeptab bucket share sq.  Each
 * is taken off with sleepq_remove.  mp is sq's lock, held on entry (it
 * covers every LWP on sq); sleepq_wake releases it.  Mind the list:
 * sleepq_remove unlinks the LWP you are looking at.
 */
void
sleepq_wake(sleepq_t *sq, wchan_t wchan, u_int n, kmutex_t *mp)
{
#if !LAB_STUB(sleepq)
	lwp_t *l, *next;

	KASSERT(mutex_owned(mp));
	for (l = TAILQ_FIRST(sq); l != NULL && n > 0; l = next) {
		next = TAILQ_NEXT(l, l_sleepchain);
		KASSERT(l->l_sleepq == sq && l->l_mutex == mp);
		if (l->l_wchan != wchan)
			continue;
		sleepq_remove(sq, l);
		n--;
	}
	mutex_spin_exit(mp);
#else
	LAB_TODO(sleepq, "sleepq_wake");
#endif /* LAB sleepq */
}

/*
 * sobj_unsleep of the sleep queues' syncobjs (sleep_syncobj,
 * cv_syncobj): take l, asleep and covered by its queue's lock (held),
 * off its queue (l_sleepq) with sleepq_remove; then release that lock
 * if `unlock`, else keep it held.
 */
void
sleepq_unsleep(lwp_t *l, bool unlock)
{
#if !LAB_STUB(sleepq)
	kmutex_t *mp = l->l_mutex;

	KASSERT(lwp_locked(l, NULL));
	KASSERT(l->l_wchan != NULL && l->l_sleepq != NULL);
	sleepq_remove(l->l_sleepq, l);
	if (unlock)
		mutex_spin_exit(mp);
#else
	LAB_TODO(sleepq, "sleepq_unsleep");
#endif /* LAB sleepq */
}

/*
 * Take l (locked) off whatever it sleeps on: a sleep queue, a turnstile
 * -- its syncobj knows how: l->l_syncobj->sobj_unsleep(l, unlock).
 * Everything that interrupts a sleep (signals, _lwp_wakeup, timeouts,
 * setrunnable) comes through here.
 */
void
lwp_unsleep(lwp_t *l, bool unlock)
{
#if !LAB_STUB(sleepq)
	KASSERT(lwp_locked(l, NULL));
	(*l->l_syncobj->sobj_unsleep)(l, unlock);
#else
	LAB_TODO(sleepq, "lwp_unsleep");
#endif /* LAB sleepq */
}

#if !LAB_STUB(sleepq)
/* l's priority changed: move it to where that puts it on a sorted
 * queue (as NetBSD's sleepq_reinsert). */
static void
sleepq_reinsert(sleepq_t *sq, lwp_t *l)
{
	KASSERT(l->l_sleepq == sq);
	if (!(l->l_syncobj->sobj_flag & SOBJ_SLEEPQ_SORTED))
		return;
	TAILQ_REMOVE(sq, l, l_sleepchain);
	sleepq_insert(sq, l, l->l_syncobj);
}
#endif /* LAB sleepq */

/*
 * sobj_changepri of the sleep queues' syncobjs (and the turnstiles'):
 * l, on its sleep queue l_sleepq and locked, gets l_priority = pri, and
 * on a sorted queue (l_syncobj's SOBJ_SLEEPQ_SORTED) moves to where its
 * new effective priority belongs -- after those of equal priority
 * already there, as if it had just come (even if its effective priority
 * did not change: it still goes behind its equals); on another queue it
 * stays where it is.
 */
void
sleepq_changepri(lwp_t *l, pri_t pri)
{
#if !LAB_STUB(sleepq)
	KASSERT(lwp_locked(l, NULL));
	l->l_priority = pri;
	sleepq_reinsert(l->l_sleepq, l);
#else
	LAB_TODO(sleepq, "sleepq_changepri");
#endif /* LAB sleepq */
}

/*
 * sobj_lendpri: the same for a priority lent through a turnstile
 * (l_inheritedprio = pri; -1 when nothing is lent).
 */
void
sleepq_lendpri(lwp_t *l, pri_t pri)
{
	TRACE_LENDPRI(l, pri);
#if !LAB_STUB(sleepq)
	KASSERT(lwp_locked(l, NULL));
	l->l_inheritedprio = pri;
	sleepq_reinsert(l->l_sleepq, l);
#else
	LAB_TODO(sleepq, "sleepq_lendpri");
#endif /* LAB sleepq */
}

lwp_t *
syncobj_noowner(wchan_t wchan)
{
	return NULL;
}

syncobj_t sleep_syncobj = {
	.sobj_flag = SOBJ_SLEEPQ_SORTED,
	.sobj_unsleep = sleepq_unsleep,
	.sobj_changepri = sleepq_changepri,
	.sobj_lendpri = sleepq_lendpri,
	.sobj_owner = syncobj_noowner,
};
