/*
 * kern_condvar.c: condition variables (see sys/condvar.h), on sleep
 * queues: the wait channel is the condvar itself.
 */
#include <sys/jitter.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/lwp.h>
#include <sys/sleepq.h>

static int cv_sleep(kcondvar_t *, kmutex_t *, int, bool);

syncobj_t cv_syncobj = {
	.sobj_flag = SOBJ_SLEEPQ_SORTED,
	.sobj_unsleep = sleepq_unsleep,
	.sobj_changepri = sleepq_changepri,
	.sobj_lendpri = sleepq_lendpri,
	.sobj_owner = syncobj_noowner,
};

void
cv_init(kcondvar_t *cv, const char *wmesg)
{
	cv->cv_wmesg = wmesg;
}

void
cv_destroy(kcondvar_t *cv)
{
	KASSERTMSG(!cv_has_waiters(cv), "cv_destroy: %s has waiters",
	    cv->cv_wmesg);
}

/* Wait for a cv_signal/cv_broadcast.  mtx (held) is released while
 * asleep and held again on return. */
void
cv_wait(kcondvar_t *cv, kmutex_t *mtx)
{
	(void)cv_timedwait(cv, mtx, 0);
}

/* cv_wait for at most `timo` ticks (0: no limit): returns 0, or
 * EWOULDBLOCK on timeout. */
int
cv_timedwait(kcondvar_t *cv, kmutex_t *mtx, int timo)
{
	return cv_sleep(cv, mtx, timo, false);
}

/* cv_wait, interruptible (sleepq_block's `catch`): 0, EINTR or
 * ERESTART.  User LWPs only. */
int
cv_wait_sig(kcondvar_t *cv, kmutex_t *mtx)
{
	return cv_sleep(cv, mtx, 0, true);
}

/* cv_timedwait, interruptible: 0, EWOULDBLOCK, EINTR or ERESTART. */
int
cv_timedwait_sig(kcondvar_t *cv, kmutex_t *mtx, int timo)
{
	return cv_sleep(cv, mtx, timo, true);
}

/* All waits: sleep on cv's queue with mtx dropped meanwhile. */
static int
cv_sleep(kcondvar_t *cv, kmutex_t *mtx, int timo, bool catch)
{
	lwp_t *l = curlwp;
	kmutex_t *mp;
	sleepq_t *sq;
	int error;

	KASSERT(mutex_owned(mtx));
	sq = sleepq_hashlock(cv, &mp);
	sleepq_enter(sq, l, mp);
	sleepq_enqueue(sq, cv, cv->cv_wmesg, &cv_syncobj);
	JITTER_POINT(JITTER_SLEEPQ);
	mutex_exit(mtx);	/* safe: a waker needs mp to find us */
	error = sleepq_block(timo, catch);
	mutex_enter(mtx);
	return error;
}

static void
cv_wakeup(kcondvar_t *cv, u_int n)
{
	kmutex_t *mp;
	sleepq_t *sq = sleepq_hashlock(cv, &mp);

	mutex_spin_enter(mp);
	sleepq_wake(sq, cv, n, mp);
	JITTER_POINT(JITTER_WAKEUP);
}

void
cv_signal(kcondvar_t *cv)
{
	cv_wakeup(cv, 1);
}

void
cv_broadcast(kcondvar_t *cv)
{
	cv_wakeup(cv, ~0u);
}

bool
cv_has_waiters(kcondvar_t *cv)
{
	kmutex_t *mp;
	sleepq_t *sq = sleepq_hashlock(cv, &mp);
	lwp_t *l;
	bool found = false;

	mutex_spin_enter(mp);
	TAILQ_FOREACH(l, sq, l_sleepchain)
		if (l->l_wchan == cv) {
			found = true;
			break;
		}
	mutex_spin_exit(mp);
	return found;
}
