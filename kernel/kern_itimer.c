/*
 * kern_itimer.c: the real-time interval timer, setitimer(2) and
 * getitimer(2) with ITIMER_REAL, which sends the process SIGALRM
 * (libc's alarm(3) is built on it).  NetBSD keeps this in kern_time.c
 * (dosetitimer, realtimerexpire -> itimerfire); the names here are its
 * names, the mechanism smaller.
 *
 * Each process has one timer (struct proc p_it*): a callout, the time
 * it is due (p_itvalue, ns of uptime; 0: not armed) and its period
 * (p_itinterval; 0: fire once).  The callout's handler, realitexpire,
 * runs in the clock interrupt, where posting a signal is not allowed
 * (kpsignal takes adaptive locks, as tty_cons.c explains).  So it only
 * queues the process on itimer_fired and wakes the "itimer" kernel
 * thread, which posts SIGALRM (si_code SI_TIMER); a periodic timer is
 * re-armed by the handler itself, for the next multiple of the period
 * after now (missed periods are dropped, one signal stays pending, as
 * in NetBSD).  A timer never fires early: a handler that runs before
 * p_itvalue (ticks are coarse) schedules itself again.
 *
 * Locking: itimer_lock (a spin mutex: the handler takes it in the
 * interrupt) covers p_itvalue, p_itinterval, p_itflags, p_itlink and
 * the queue.  Lock order: itimer_lock -> a callout wheel's cc_lock.  The
 * thread takes p_lock after dropping itimer_lock; while it works on a
 * process, ITF_BUSY keeps itimer_exit (exit1, which frees nothing
 * before it returns) waiting.  fork gives the child no timer; exec
 * keeps it (POSIX: alarm survives exec).
 */
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/syscallargs.h>
#include <sys/time.h>

#define NSEC_PER_SEC	1000000000ULL

static kmutex_t	itimer_lock = MUTEX_INITIALIZER("itimer", IPL_SCHED);
static kcondvar_t itimer_cv;		/* itimer_lock: a process queued */
static kcondvar_t itimer_donecv;	/* itimer_lock: ITF_BUSY cleared */
static TAILQ_HEAD(, proc) itimer_fired;	/* itimer_lock: to be sent */

static void	realitexpire(void *);
static void	itimer_thread(void *);

/* Start the thread that sends SIGALRM (before the first process). */
void
itimer_init(void)
{
	TAILQ_INIT(&itimer_fired);
	cv_init(&itimer_cv, "itimer");
	cv_init(&itimer_donecv, "itimerx");
	if (kthread_create(PRI_KTHREAD, 0, NULL, itimer_thread, NULL, NULL,
	    "itimer") != 0)
		panic("itimer_init: cannot create the itimer thread");
}

/* A new process (proc_alloc, zeroed): no timer. */
void
itimer_proc_init(struct proc *p)
{
	callout_init(&p->p_itcallout, 0);
	callout_setfunc(&p->p_itcallout, realitexpire, p);
}

/*
 * Process p is exiting (exit1, no locks held): stop its timer for good
 * and make sure the thread is done with it.  Afterwards nothing here
 * refers to p.
 */
void
itimer_exit(struct proc *p)
{
	mutex_spin_enter(&itimer_lock);
	p->p_itvalue = 0;		/* the handler re-arms nothing now */
	mutex_spin_exit(&itimer_lock);
	(void)callout_halt(&p->p_itcallout, NULL);
	mutex_spin_enter(&itimer_lock);
	if (p->p_itflags & ITF_QUEUED) {
		TAILQ_REMOVE(&itimer_fired, p, p_itlink);
		p->p_itflags &= ~ITF_QUEUED;
	}
	while (p->p_itflags & ITF_BUSY)
		cv_wait(&itimer_donecv, &itimer_lock);
	mutex_spin_exit(&itimer_lock);
}

/* The proc is being freed (proc_free): after itimer_exit, or never run. */
void
itimer_proc_fini(struct proc *p)
{
	callout_destroy(&p->p_itcallout);
}

/* Ticks from now until uptime `due' (at least one: never early). */
static int
itimer_ticks(uint64_t due, uint64_t now)
{
	uint64_t tick = NSEC_PER_SEC / hz, n;

	n = due > now ? howmany(due - now, tick) : 0;
	return n >= INT32_MAX ? INT32_MAX : (int)n + 1;
}

/*
 * The callout (clock interrupt): due, queue p for the thread and
 * re-arm a periodic timer; early (or re-armed meanwhile), wait on.
 */
static void
realitexpire(void *arg)
{
	struct proc *p = arg;
	uint64_t now = nsuptime(), n;

	mutex_spin_enter(&itimer_lock);
	if (p->p_itvalue == 0) {		/* disarmed meanwhile */
		mutex_spin_exit(&itimer_lock);
		return;
	}
	if (now < p->p_itvalue) {
		callout_schedule(&p->p_itcallout,
		    itimer_ticks(p->p_itvalue, now));
		mutex_spin_exit(&itimer_lock);
		return;
	}
	if (!(p->p_itflags & ITF_QUEUED)) {
		TAILQ_INSERT_TAIL(&itimer_fired, p, p_itlink);
		p->p_itflags |= ITF_QUEUED;
		cv_signal(&itimer_cv);
	}
	if (p->p_itinterval != 0) {
		/* The first multiple of the period after now. */
		n = (now - p->p_itvalue) / p->p_itinterval + 1;
		p->p_itvalue += n * p->p_itinterval;
		callout_schedule(&p->p_itcallout,
		    itimer_ticks(p->p_itvalue, now));
	} else
		p->p_itvalue = 0;
	mutex_spin_exit(&itimer_lock);
}

/* The "itimer" thread: send SIGALRM to each process queued. */
static void
itimer_thread(void *arg)
{
	ksiginfo_t ksi;
	struct proc *p;

	for (;;) {
		mutex_spin_enter(&itimer_lock);
		while ((p = TAILQ_FIRST(&itimer_fired)) == NULL)
			cv_wait(&itimer_cv, &itimer_lock);
		TAILQ_REMOVE(&itimer_fired, p, p_itlink);
		p->p_itflags = (p->p_itflags & ~ITF_QUEUED) | ITF_BUSY;
		mutex_spin_exit(&itimer_lock);

		memset(&ksi, 0, sizeof(ksi));
		ksi.ksi_signo = SIGALRM;
		ksi.ksi_code = SI_TIMER;
		mutex_enter(p->p_lock);
		kpsignal2(p, &ksi);
		mutex_exit(p->p_lock);

		mutex_spin_enter(&itimer_lock);
		p->p_itflags &= ~ITF_BUSY;
		cv_broadcast(&itimer_donecv);
		mutex_spin_exit(&itimer_lock);
	}
}

/* ---- the system calls ---------------------------------------------------- */

/*
 * A timeval's validity as an interval timer value (NetBSD's itimerfix):
 * EINVAL for a negative time or microseconds out of [0, 10^6).  Its
 * length in ns (0: none), else.
 */
static int
itimerfix(const struct timeval *tv, uint64_t *ns)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
		return EINVAL;
	if (tv->tv_sec > 100000000)		/* ~3 years: "forever" */
		*ns = 100000000ULL * NSEC_PER_SEC;
	else
		*ns = (uint64_t)tv->tv_sec * NSEC_PER_SEC +
		    (uint64_t)tv->tv_usec * 1000;
	return 0;
}

static void
ns_to_timeval(uint64_t ns, struct timeval *tv)
{
	tv->tv_sec = ns / NSEC_PER_SEC;
	tv->tv_usec = (ns % NSEC_PER_SEC + 999) / 1000;	/* round up */
	if (tv->tv_usec == 1000000) {
		tv->tv_sec++;
		tv->tv_usec = 0;
	}
}

/* The timer of p as getitimer reports it: time left, and the period
 * (itimer_lock held). */
static void
dogetitimer(struct proc *p, struct itimerval *itv)
{
	uint64_t now = nsuptime();

	memset(itv, 0, sizeof(*itv));
	if (p->p_itvalue != 0)
		ns_to_timeval(p->p_itvalue > now ? p->p_itvalue - now : 1,
		    &itv->it_value);	/* (due this tick: 1 ns left) */
	ns_to_timeval(p->p_itinterval, &itv->it_interval);
}

int
sys___getitimer50(lwp_t *l, const struct sys___getitimer50_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	struct itimerval itv;

	if (SCARG(uap, which) != ITIMER_REAL)
		return EINVAL;
	mutex_spin_enter(&itimer_lock);
	dogetitimer(p, &itv);
	mutex_spin_exit(&itimer_lock);
	return copyout(&itv, SCARG(uap, itv), sizeof(itv));
}

/*
 * setitimer(which, itv, oitv): arm (it_value not zero: due that long
 * from now, then every it_interval if that is not zero) or disarm
 * (it_value zero) the timer; oitv (if not NULL) gets what getitimer
 * said before.  EINVAL for another timer than ITIMER_REAL or a bad
 * time, EFAULT for a bad pointer (nothing changed then).
 */
int
sys___setitimer50(lwp_t *l, const struct sys___setitimer50_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	struct itimerval itv, oitv;
	uint64_t value, interval;
	int error;

	if (SCARG(uap, which) != ITIMER_REAL)
		return EINVAL;
	if (SCARG(uap, itv) == NULL) {		/* NetBSD: just get it */
		if (SCARG(uap, oitv) == NULL)
			return 0;
		mutex_spin_enter(&itimer_lock);
		dogetitimer(p, &oitv);
		mutex_spin_exit(&itimer_lock);
		return copyout(&oitv, SCARG(uap, oitv), sizeof(oitv));
	}
	if ((error = copyin(SCARG(uap, itv), &itv, sizeof(itv))) != 0)
		return error;
	if ((error = itimerfix(&itv.it_value, &value)) != 0 ||
	    (error = itimerfix(&itv.it_interval, &interval)) != 0)
		return error;

	mutex_spin_enter(&itimer_lock);
	dogetitimer(p, &oitv);
	if (value != 0) {
		p->p_itvalue = nsuptime() + value;
		p->p_itinterval = interval;
		callout_schedule(&p->p_itcallout,
		    itimer_ticks(p->p_itvalue, nsuptime()));
	} else {
		p->p_itvalue = 0;	/* a handler running now does nothing */
		p->p_itinterval = 0;
		(void)callout_stop(&p->p_itcallout);
	}
	mutex_spin_exit(&itimer_lock);
	if (SCARG(uap, oitv) != NULL)
		return copyout(&oitv, SCARG(uap, oitv), sizeof(oitv));
	return 0;
}
