/*
 * kern_kthread.c: kernel threads (see sys/kthread.h): LWPs of proc0.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>

/*
 * Create a kernel thread and make it runnable (KTHREAD_IDLE: leave it
 * in LSIDL; the caller starts it with lwp_start()).  It starts on the
 * creator's CPU, or on `ci` if given (and then never leaves it); idle
 * CPUs steal the rest.
 */
int
kthread_create(pri_t pri, int flag, struct cpu_info *ci,
    void (*func)(void *), void *arg, lwp_t **lp, const char *fmt, ...)
{
	char name[MAXCOMLEN];
	va_list ap;
	lwp_t *l;
	int error;

	error = lwp_create(curlwp, &proc0,
	    (flag & KTHREAD_MUSTJOIN) ? 0 : LWP_DETACHED, func, arg, &l);
	if (error != 0)
		return error;
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	lwp_setname(l, name);

	mutex_enter(proc0.p_lock);
	lwp_lock(l);
	l->l_priority = pri == PRI_NONE ? PRI_KTHREAD : pri;
	if (ci != NULL) {
		if (ci != l->l_cpu) {
			l->l_cpu = ci;
			lwp_unlock_to(l, ci->ci_schedstate.spc_mutex);
			lwp_lock(l);
		}
		l->l_pflag |= LP_BOUND;
	}
	if (flag & KTHREAD_MUSTJOIN)
		l->l_pflag |= LP_MUSTJOIN;
	lwp_unlock(l);
	if (!(flag & KTHREAD_IDLE))
		lwp_start(l, 0);
	mutex_exit(proc0.p_lock);

	if (lp != NULL)
		*lp = l;
	return 0;
}

/* End the calling kernel thread. */
void
kthread_exit(int ecode)
{
	lwp_t *l = curlwp;

	KASSERT(l->l_flag & LW_SYSTEM);
	if (ecode != 0)
		printf("kthread %s exits with error %d\n", l->l_name, ecode);
	lwp_exit(l);
}

/* Wait (asleep on p_lwpcv) for a KTHREAD_MUSTJOIN thread to exit, and
 * free it. */
int
kthread_join(lwp_t *l)
{
	KASSERT(l->l_pflag & LP_MUSTJOIN);
	KASSERT(l != curlwp);
	mutex_enter(proc0.p_lock);
	while (l->l_stat != LSZOMB)
		cv_wait(&proc0.p_lwpcv, proc0.p_lock);
	lwp_free(l);		/* releases p_lock */
	return 0;
}
