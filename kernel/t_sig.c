/*
 * t_sig.c: ktests for signals and stops that involve an LWP's birth or
 * death (kern_sig.c, and lwp_start/lwp_exit), where the order of events
 * cannot be forced from user space: there the window is a few
 * instructions inside a system call.
 *
 * Each test makes up a user process (t_proc_make): a real struct proc
 * with an empty address space and no files, whose LWPs run kernel
 * functions written here and never reach user mode.  Where a real LWP
 * would return to user mode, they call lwp_userret(), which acts on
 * LW_PENDSIG, stops and exits exactly as it would there; where a real
 * one would sleep inside a system call, they sleep on t_cv, which only
 * the test wakes.  The process's parent is proc0, which exit1 and the
 * stop notifications leave alone; the test reaps it (t_proc_reap).
 * Waiting is for states, a tick at a time; T_BACKSTOP only stops a
 * broken kernel from hanging the test.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/ktest.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/sleepq.h>
#include <sys/time.h>
#include <sys/vmspace.h>
#include <sys/wait.h>

#define T_BACKSTOP	(10 * hz)	/* ticks: only a backstop */

static kmutex_t t_lock;			/* covers t_go, t_cv */
static kcondvar_t t_cv;			/* "the system call goes on" */
static bool t_go;			/* (t_lock) */
static volatile bool t_done;		/* the made-up LWPs may exit */

static void
t_init(void)
{
	mutex_init(&t_lock, MUTEX_DEFAULT, IPL_NONE, "t_sig");
	cv_init(&t_cv, "t_sig");
	t_go = false;
	t_done = false;
}

/* Let every LWP sleeping on t_cv go on. */
static void
t_release(void)
{
	mutex_enter(&t_lock);
	t_go = true;
	cv_broadcast(&t_cv);
	mutex_exit(&t_lock);
}

/* Sleep (uninterruptibly, as inside a system call) until t_release. */
static void
t_hold(void)
{
	mutex_enter(&t_lock);
	while (!t_go)
		cv_wait(&t_cv, &t_lock);
	mutex_exit(&t_lock);
}

/* A user process with nothing in it yet (SACTIVE, no LWPs). */
static struct proc *
t_proc_make(void)
{
	struct proc *p;

	if ((p = proc_alloc()) == NULL)
		return NULL;
	if ((p->p_vmspace = vmspace_alloc()) == NULL) {
		proc_free(p);
		return NULL;
	}
	strlcpy(p->p_comm, "t_sig", sizeof(p->p_comm));
	mutex_enter(&proc_lock);
	p->p_pptr = &proc0;
	p->p_pgid = p->p_pid;
	p->p_stat = SACTIVE;
	mutex_exit(&proc_lock);
	return p;
}

/* An LWP of p running func, created by the current LWP (LSIDL). */
static lwp_t *
t_lwp_make(struct proc *p, void (*func)(void *), const char *name)
{
	lwp_t *l;

	if (lwp_create(curlwp, p, 0, func, NULL, &l) != 0)
		return NULL;
	lwp_setname(l, name);
	return l;
}

/* Start an LWP t_lwp_make made (or any LSIDL LWP of p). */
static void
t_lwp_start(lwp_t *l)
{
	struct proc *p = l->l_proc;

	mutex_enter(p->p_lock);
	lwp_start(l, 0);
	mutex_exit(p->p_lock);
}

/* Once p has exited (at most T_BACKSTOP), free it; -1 if it did not
 * exit (then it stays), else its wait status. */
static int
t_proc_reap(struct proc *p)
{
	int xstat, waited = 0;

	mutex_enter(&proc_lock);
	while (p->p_stat != SZOMB && waited++ < T_BACKSTOP)
		(void)cv_timedwait(&proc0.p_waitcv, &proc_lock, 1);
	if (p->p_stat != SZOMB) {
		mutex_exit(&proc_lock);
		return -1;
	}
	xstat = p->p_xstat;
	mutex_exit(&proc_lock);
	proc_free(p);		/* (waits for its last LWP to be off CPU) */
	return xstat;
}

/* l's state, and whether it sleeps on wchan (read under its lock). */
static int
t_stat(lwp_t *l, const void *wchan, bool *on)
{
	int stat;

	lwp_lock(l);
	stat = l->l_stat;
	if (on != NULL)
		*on = l->l_wchan == wchan && !(l->l_flag & LW_SINTR);
	lwp_unlock(l);
	return stat;
}

/* Has l been told to look at its signals? */
static bool
t_pendsig(lwp_t *l)
{
	bool pend;

	lwp_lock(l);
	pend = (l->l_flag & LW_PENDSIG) != 0;
	lwp_unlock(l);
	return pend;
}

/* Wait, a tick at a time, until l is in state stat (and, if wchan is
 * not NULL, asleep uninterruptibly on it); false at the backstop. */
static bool
t_wait_stat(lwp_t *l, int stat, const void *wchan)
{
	bool on;

	for (int t = 0; t < T_BACKSTOP; t++) {
		if (t_stat(l, wchan, &on) == stat && (wchan == NULL || on))
			return true;
		(void)kpause("t_sigw", false, 1, NULL);
	}
	return false;
}

static void
t_post(struct proc *p, int sig)
{
	ksiginfo_t ksi;

	memset(&ksi, 0, sizeof(ksi));
	ksi.ksi_signo = sig;
	ksi.ksi_code = SI_USER;
	kpsignal(p, &ksi);
}

/* ---- lwp_exit of the LWP a process signal was posted to -------------- */

/* _lwp_exit (lwp_exit never returns: the test holds a reference, so
 * it sleeps in lwp_drainrefs first). */
static void
t_exiter(void *arg)
{
	lwp_exit(curlwp);
}

/* Asleep in a system call until released, then back to user mode
 * (where a pending SIGUSR1's default action ends the process), then
 * _lwp_exit: the last LWP, so the process exits with 0. */
static void
t_stayer(void *arg)
{
	t_hold();
	lwp_userret(curlwp);
	lwp_exit(curlwp);
}

/*
 * A process-directed signal posted to an LWP that then exits without
 * taking it must go to another LWP (NetBSD's lwp_exit: "we lose").
 * X, exiting, sleeps in lwp_drainrefs (we hold a reference); M sleeps
 * uninterruptibly in a system call.  Both rank lowest for sigchoose,
 * and X comes first on p_lwps (the newest), so SIGUSR1 is posted to X
 * (checked: the premise).  We drop the reference: X becomes a zombie.
 * Then M returns to user mode: it must have been told, and SIGUSR1's
 * default action kills the process.  Without the pass-on M was never
 * told, returns as if nothing were pending, and the process exits 0.
 */
KTEST(lwp_exit_passes_its_signal_on)
{
	struct proc *p;
	lwp_t *m, *x;
	bool asleep, exiting, zombie, x_told = false, m_told = true;
	lwpid_t xlid;
	int xstat;

	t_init();
	KT_ASSERT((p = t_proc_make()) != NULL);
	m = t_lwp_make(p, t_stayer, "t_stayer");
	x = t_lwp_make(p, t_exiter, "t_exiter");
	KT_ASSERT(m != NULL && x != NULL);	/* (no memory: p leaks) */
	xlid = x->l_lid;
	mutex_enter(p->p_lock);
	lwp_addref(x);
	mutex_exit(p->p_lock);
	t_lwp_start(m);
	t_lwp_start(x);

	asleep = t_wait_stat(m, LSSLEEP, &t_cv) &&
	    t_wait_stat(x, LSSLEEP, &p->p_lwpcv);
	mutex_enter(p->p_lock);
	exiting = (x->l_prflag & LPR_EXITING) != 0;
	mutex_exit(p->p_lock);
	if (asleep && exiting) {
		t_post(p, SIGUSR1);
		x_told = t_pendsig(x);
		m_told = t_pendsig(m);
	}
	lwp_delref(x);
	zombie = t_wait_stat(x, LSZOMB, NULL);
	t_release();
	xstat = t_proc_reap(p);

	KT_ASSERT(asleep && exiting);	/* M on t_cv, X in lwp_drainrefs */
	if (!x_told || m_told) {
		ktest_fail(kt, __FILE__, __LINE__, "premise: SIGUSR1 should "
		    "have been posted to the exiting LWP %d only; told: "
		    "exiting %d, staying %d (sigchoose changed? rewrite this "
		    "test)", xlid, x_told, m_told);
		return;
	}
	KT_ASSERT(zombie);
	if (xstat != W_EXITCODE(0, SIGUSR1)) {
		ktest_fail(kt, __FILE__, __LINE__, "the exiting LWP took "
		    "SIGUSR1 with it: the other LWP returned to user mode "
		    "without it; process status %#x, not killed by SIGUSR1 "
		    "(%#x)", xstat, W_EXITCODE(0, SIGUSR1));
		return;
	}
}

/* ---- an LWP created while its process is stopping --------------------- */

static lwp_t *volatile t_new;		/* the LWP t_creator creates */
static volatile bool t_new_ran;		/* it has run */
static volatile bool t_new_ran_stopped;	/* ... while p_stat was SSTOP */

/* In user mode, or asleep interruptibly in a system call (_lwp_park):
 * a stop signal posted to the process goes to us first. */
static void
t_sleeper(void *arg)
{
	while (!t_done) {
		(void)kpause("t_sleeper", true, 0, NULL);
		lwp_userret(curlwp);
	}
	lwp_exit(curlwp);
}

/* What a new LWP does: runs (as user code computing would) until the
 * test is done. */
static void
t_newborn(void *arg)
{
	struct proc *p = curlwp->l_proc;

	mutex_enter(p->p_lock);
	t_new_ran_stopped = p->p_stat == SSTOP;
	mutex_exit(p->p_lock);
	t_new_ran = true;
	while (!t_done)
		(void)kpause("t_newborn", false, 1, NULL);
	lwp_userret(curlwp);
	lwp_exit(curlwp);
}

/* _lwp_create, held up between lwp_create and lwp_start (sys__lwp_create
 * copies the context and the new lid out there), then back to user
 * mode, where a stop stops us. */
static void
t_creator(void *arg)
{
	lwp_t *l = curlwp, *n = NULL;

	if (lwp_create(l, l->l_proc, 0, t_newborn, NULL, &n) == 0) {
		lwp_setname(n, "t_newborn");
		t_new = n;
	}
	t_hold();
	if (n != NULL)
		t_lwp_start(n);
	lwp_userret(l);
	lwp_exit(l);
}

/*
 * An LWP created while its process is stopping starts stopped, so the
 * stop completes (NetBSD: IDL -> STOP).  The creator C has made the new
 * LWP N (LSIDL) and sleeps uninterruptibly before starting it; S sleeps
 * interruptibly.  SIGSTOP goes to S, which stops the process
 * (PS_STOPPING) and itself; C, told to stop, cannot yet.  Then C starts
 * N and stops itself at its return to user mode.  Now N must be
 * LSSTOP, never run, and the stop complete (PS_STOPPING clear: the
 * parent has been told).  Without it N runs (and keeps running) in a
 * process that is stopped, which never finishes stopping.  SIGCONT
 * then lets N run.
 */
KTEST(lwp_created_while_stopping_starts_stopped)
{
	struct proc *p;
	lwp_t *c, *s, *n = NULL;
	bool ready, stopping = false, cstopped = false, nstopped = false;
	bool complete = false, ranstopped, ran;
	int nstat = -1, xstat;

	t_init();
	t_new = NULL;
	t_new_ran = t_new_ran_stopped = false;
	KT_ASSERT((p = t_proc_make()) != NULL);
	s = t_lwp_make(p, t_sleeper, "t_sleeper");
	c = t_lwp_make(p, t_creator, "t_creator");
	KT_ASSERT(s != NULL && c != NULL);	/* (no memory: p leaks) */
	t_lwp_start(s);
	t_lwp_start(c);

	/* C made N and waits to start it; S sleeps interruptibly. */
	ready = t_wait_stat(c, LSSLEEP, &t_cv) && (n = t_new) != NULL &&
	    t_wait_stat(s, LSSLEEP, NULL);
	if (ready) {
		t_post(p, SIGSTOP);
		stopping = t_wait_stat(s, LSSTOP, NULL);
	}
	t_release();
	if (stopping) {
		cstopped = t_wait_stat(c, LSSTOP, NULL);
		nstat = t_stat(n, NULL, NULL);
		nstopped = nstat == LSSTOP;
		mutex_enter(p->p_lock);
		complete = p->p_stat == SSTOP &&
		    !(p->p_sflag & PS_STOPPING);
		mutex_exit(p->p_lock);
	}
	ranstopped = t_new_ran_stopped;
	t_done = true;
	t_post(p, SIGCONT);
	xstat = t_proc_reap(p);
	ran = t_new_ran;

	KT_ASSERT(ready);		/* C holding N, S asleep */
	KT_ASSERT(stopping);		/* S took SIGSTOP */
	KT_ASSERT(cstopped);		/* C stopped at its return */
	if (!nstopped || ranstopped || !complete) {
		ktest_fail(kt, __FILE__, __LINE__, "the LWP created while "
		    "its process was stopping is in state %d, not LSSTOP "
		    "(%d); it %s while the process was stopped; the stop %s",
		    nstat, LSSTOP, ranstopped ? "ran" : "did not run",
		    complete ? "completed" : "never completed (PS_STOPPING)");
		return;
	}
	KT_ASSERT(ran);			/* SIGCONT let it run */
	KT_EQ(xstat, 0);		/* and everyone exited */
}
