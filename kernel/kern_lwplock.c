/*
 * kern_lwplock.c: lock lending.  Which lock covers an LWP, and how
 * that changes with its state.
 *
 * Each LWP's scheduling state (l_stat, l_cpu, its place on a queue,
 * the flags marked `l` in sys/lwp.h) is covered by the spin mutex
 * l_mutex points at, and that pointer moves with the state: the lock
 * is "lent" to the LWP by whoever moves it.  This is NetBSD's design
 * (kern_lwp.c, revision 1.157, the reference):
 *
 *	LSONPROC, LSZOMB	spc_lwplock of l_cpu
 *	LSIDL, LSRUN		spc_mutex of l_cpu (the run-queue lock);
 *				idle LWPs in LSIDL: spc_lwplock
 *	LSSLEEP			the sleep queue's lock (a sleeptab bucket's
 *				st_mutex, or a turnstile chain's tc_mutex)
 *	LSSTOP, LSSUSPENDED	the sleep queue's lock if l_wchan != NULL,
 *				else spc_lwplock
 *
 * lwp_check_lock() asserts this table (DIAGNOSTIC) every time an LWP
 * is locked or unlocked.  The lock order is
 *
 *	spc_lwplock -> sleeptab st_mutex -> turnstile tc_mutex -> spc_mutex
 *
 * Why lend locks at all: whoever holds the lock of the queue an LWP is
 * on may move it off that queue without taking a second lock (a waker
 * holds the sleep queue's lock, the scheduler the run queue's), and
 * everyone else reaches the same lock through l_mutex.  The price is
 * lwp_lock()'s retry: l_mutex may change while we wait for the lock
 * it pointed at.
 *
 * The rules every lender follows:
 *   - only the holder of an LWP's current lock may lend it another
 *     (lwp_setlock, lwp_unlock_to);
 *   - from the moment the pointer changes, another CPU may take the
 *     new lock and look: the LWP must already be where that lock says
 *     (the table above).  A lender that puts the LWP on a queue takes
 *     the queue's lock first (sleepq_enter, setrunnable), so nobody
 *     sees it half-queued;
 *   - the pointer is stored with release order, after every change
 *     made under the old lock, so that whoever takes the new lock sees
 *     those changes.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/lab.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/sched.h>

/*
 * Lock l: take the spin mutex l->l_mutex points at (mutex_spin_enter).
 * The pointer may change while we wait for the lock it named: whoever
 * held that lock may have lent l another one meanwhile (lwp_setlock).
 * So once we hold a lock, check that l_mutex still points at it; if it
 * does not, release it and start again with the lock l_mutex names now.
 * Returns with l->l_mutex held by this CPU (and the IPL raised, as
 * mutex_spin_enter leaves it), after lwp_check_lock(l) (DIAGNOSTIC: the
 * state table, asserted).  l_mutex is read without any lock held: read
 * it once per try, into a local.
 */
void
lwp_lock(lwp_t *l)
{
#if !LAB_STUB(lend)
	kmutex_t *old;

	for (;;) {
		old = l->l_mutex;
		mutex_spin_enter(old);
		if (__predict_true(l->l_mutex == old))
			break;
		mutex_spin_exit(old);
	}
	lwp_check_lock(l);
#else
	LAB_TODO(lend, "lwp_lock");
#endif /* LAB lend */
}

/*
 * Unlock l: release the lock that covers it now, l->l_mutex, which
 * this CPU holds (lwp_check_lock(l) first, while it is still held).
 */
void
lwp_unlock(lwp_t *l)
{
#if !LAB_STUB(lend)
	KASSERT(mutex_owned(l->l_mutex));
	lwp_check_lock(l);
	mutex_spin_exit(l->l_mutex);
#else
	LAB_TODO(lend, "lwp_unlock");
#endif /* LAB lend */
}

/*
 * Lock l if that needs no waiting: true with l->l_mutex held by this
 * CPU, or false holding nothing more than before, when the lock it
 * names is held elsewhere (mutex_tryenter failed).  The same re-check
 * as lwp_lock: having got the lock l_mutex named, l_mutex may name
 * another by now; then release it and try the new one.
 */
bool
lwp_trylock(lwp_t *l)
{
#if !LAB_STUB(lend)
	kmutex_t *old;

	for (;;) {
		old = l->l_mutex;
		if (!mutex_tryenter(old))
			return false;
		if (__predict_true(l->l_mutex == old))
			return true;
		mutex_spin_exit(old);
	}
#else
	LAB_TODO(lend, "lwp_trylock");
#endif /* LAB lend */
}

/*
 * Is l locked by this CPU: is the lock l->l_mutex names held by this
 * CPU (mutex_owned)?  With mtx != NULL, also: is it mtx?  Takes no lock
 * (the answer is exact when it is true: nobody else may lend l another
 * lock while we hold its lock).  The kernel's assertions ask this
 * everywhere (KASSERT(lwp_locked(l, NULL))): write it first.
 */
bool
lwp_locked(const lwp_t *l, const kmutex_t *mtx)
{
#if !LAB_STUB(lend)
	kmutex_t *cur = l->l_mutex;

	return mutex_owned(cur) && (mtx == NULL || mtx == cur);
#else
	LAB_TODO(lend, "lwp_locked");
#endif /* LAB lend */
}

/*
 * Lend l a new lock: from now on `new` covers l (l->l_mutex == new).
 * The old lock must be held by this CPU, and stays held: the caller
 * releases it later.  `new` is not taken here (the caller holds it
 * already, or it is the lock the state table gives l's new state).
 * Returns the old lock.  The pointer is stored with release order
 * (__atomic_store_n(..., __ATOMIC_RELEASE)), so that every change made
 * to l under the old lock is visible to whoever next takes `new` and
 * finds l_mutex pointing at it.
 */
kmutex_t *
lwp_setlock(lwp_t *l, kmutex_t *new)
{
#if !LAB_STUB(lend)
	kmutex_t *old = l->l_mutex;

	KASSERT(mutex_owned(old));
	__atomic_store_n(&l->l_mutex, new, __ATOMIC_RELEASE);
	return old;
#else
	LAB_TODO(lend, "lwp_setlock");
#endif /* LAB lend */
}

/*
 * Lend l a new lock and release the old one: after it l->l_mutex ==
 * new, the lock that covered l before is released, and `new` is as it
 * was (held if the caller held it: sleepq_enter holds its sleep queue's
 * lock and lends it so).  The pointer changes before the old lock is
 * released: whoever waits for the old lock must find l_mutex changed
 * when it gets it.
 */
void
lwp_unlock_to(lwp_t *l, kmutex_t *new)
{
#if !LAB_STUB(lend)
	kmutex_t *old = lwp_setlock(l, new);

	mutex_spin_exit(old);
#else
	LAB_TODO(lend, "lwp_unlock_to");
#endif /* LAB lend */
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
