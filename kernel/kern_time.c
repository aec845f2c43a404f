/*
 * kern_time.c: the time system calls: clock_gettime and nanosleep.
 *
 * There is no real-time clock driver yet, so CLOCK_REALTIME counts from
 * the boot, like CLOCK_MONOTONIC.
 */
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/sleepq.h>
#include <sys/syscallargs.h>
#include <sys/time.h>

int
sys_clock_gettime(lwp_t *l, const struct sys_clock_gettime_args *uap,
    register_t *retval)
{
	struct timespec ts;

	if (SCARG(uap, clock_id) != CLOCK_MONOTONIC &&
	    SCARG(uap, clock_id) != CLOCK_REALTIME)
		return EINVAL;
	nanouptime(&ts);
	return copyout(&ts, SCARG(uap, tp), sizeof(ts));
}

/*
 * nanosleep(rqtp, rmtp): sleep at least the time asked for, in ticks
 * (1/hz s), rounded up.  A signal (or _lwp_wakeup) cuts it short:
 * EINTR, never restarted (as NetBSD); rmtp (if not NULL) gets the time
 * left, zero when the whole time was slept.  EINVAL for a negative time
 * or tv_nsec out of range.
 */
int
sys_nanosleep(lwp_t *l, const struct sys_nanosleep_args *uap,
    register_t *retval)
{
	struct timespec ts;
	uint64_t ns, deadline, now, tick = 1000000000 / hz;
	int error = 0;

	if ((error = copyin(SCARG(uap, rqtp), &ts, sizeof(ts))) != 0)
		return error;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return EINVAL;
	if (ts.tv_sec > 1000000000)		/* ~31 years: "forever" */
		ts.tv_sec = 1000000000;
	ns = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	deadline = nsuptime() + ns;
	while ((now = nsuptime()) < deadline) {
		uint64_t ticks = howmany(deadline - now, tick);

		error = kpause("nanoslp", true, ticks > INT32_MAX ? INT32_MAX :
		    (int)ticks, NULL);
		if (error != EINTR && error != ERESTART)
			continue;
		/* Only what would restart a call (a stop, a suspension) may
		 * let the sleep go on: EINTR (a signal to take, _lwp_wakeup,
		 * an exit) ends it, and its reason is spent already. */
		if (error == ERESTART && sig_resumable(l))
			continue;	/* stopped or suspended here; sleep on */
		error = EINTR;		/* a signal: never restarted */
		break;
	}
	if (error != EINTR)
		error = 0;
	if (SCARG(uap, rmtp) != NULL) {
		now = nsuptime();
		ns = error == EINTR && now < deadline ? deadline - now : 0;
		ts.tv_sec = ns / 1000000000;
		ts.tv_nsec = ns % 1000000000;
		if (copyout(&ts, SCARG(uap, rmtp), sizeof(ts)) != 0)
			return EFAULT;
	}
	return error;
}
