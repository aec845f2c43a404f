/*
 * kern_sig.c: signals, NetBSD's way (docs/signals.md).
 *
 * Posting (kpsignal2): a signal for the process goes to p_sigpend, one
 * for an LWP (_lwp_kill, a fault) to its l_sigpend.  Then one LWP that
 * does not block it is chosen and told (sigpost): LW_PENDSIG, and a
 * kick -- an interrupt if it runs on another CPU, a wakeup if it sleeps
 * interruptibly.  (If that LWP exits before it takes a process's
 * signal, lwp_exit has the signal posted again: sigrepost.)  Nothing
 * else happens at posting time, except what must: SIGCONT and SIGKILL
 * continue a stopped process, a signal that would be ignored is
 * dropped, a stop signal cancels a pending SIGCONT and the other way
 * round.
 *
 * Delivery happens in the LWP itself, on its way back to user mode
 * (lwp_userret -> issignal -> postsig): a caught signal gets a frame on
 * the user stack (sendsig, machine-dependent) and the handler runs
 * with the signal and sa_mask blocked; an uncaught one does its
 * default: terminate (sigexit -> exit1), ignore, stop, or continue.
 *
 * Stopping: the LWP that takes a stop signal marks the process
 * PS_STOPPING and SSTOP, stops the LWPs sleeping interruptibly where
 * they are (LSSTOP, still on their sleep queues), and has the running
 * ones stop themselves at their next kernel boundary (LW_PENDSIG);
 * when the last one has stopped (p_nrlwps == 0) the parent is told
 * (wait4 WUNTRACED, SIGCHLD).  SIGCONT runs lwp_unstop on each LWP:
 * back to LSSLEEP if it still has a wait channel, else runnable.
 *
 * The system calls (sys_sig.c) only check and copy their arguments:
 * sigaction(2) is sigaction1 here, kill(2) is kpsignal2/kpgsignal.
 *
 * Locking: p_lock covers the signal state of the process and its LWPs;
 * p_stat, p_xsig and p_waited are proc_lock's, so stopping and
 * continuing take proc_lock too (before p_lock).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/sleepq.h>
#include <sys/syscallargs.h>
#include <sys/ucontext.h>
#include <sys/wait.h>

const int sigprop[NSIG] = {
	[SIGHUP] = SA_KILL,		[SIGINT] = SA_KILL,
	[SIGQUIT] = SA_KILL | SA_CORE,	[SIGILL] = SA_KILL | SA_CORE,
	[SIGTRAP] = SA_KILL | SA_CORE,	[SIGABRT] = SA_KILL | SA_CORE,
	[SIGEMT] = SA_KILL | SA_CORE,	[SIGFPE] = SA_KILL | SA_CORE,
	[SIGKILL] = SA_KILL | SA_CANTMASK,
	[SIGBUS] = SA_KILL | SA_CORE,	[SIGSEGV] = SA_KILL | SA_CORE,
	[SIGSYS] = SA_KILL | SA_CORE,	[SIGPIPE] = SA_KILL,
	[SIGALRM] = SA_KILL,		[SIGTERM] = SA_KILL,
	[SIGURG] = SA_IGNORE,		[SIGSTOP] = SA_STOP | SA_CANTMASK,
	[SIGTSTP] = SA_STOP | SA_TTYSTOP, [SIGCONT] = SA_IGNORE | SA_CONT,
	[SIGCHLD] = SA_IGNORE,		[SIGTTIN] = SA_STOP | SA_TTYSTOP,
	[SIGTTOU] = SA_STOP | SA_TTYSTOP, [SIGIO] = SA_IGNORE,
	[SIGXCPU] = SA_KILL | SA_CORE,	[SIGXFSZ] = SA_KILL | SA_CORE,
	[SIGVTALRM] = SA_KILL,		[SIGPROF] = SA_KILL,
	[SIGWINCH] = SA_IGNORE,		[SIGINFO] = SA_IGNORE,
	[SIGUSR1] = SA_KILL,		[SIGUSR2] = SA_KILL,
	[SIGPWR] = SA_IGNORE,
	/* 33 .. 63: real-time numbers, terminate by default. */
};

static const char *const signame[NSIG] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGEMT] = "SIGEMT", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
	[SIGBUS] = "SIGBUS", [SIGSEGV] = "SIGSEGV", [SIGSYS] = "SIGSYS",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGUSR1] = "SIGUSR1", [SIGUSR2] = "SIGUSR2",
};

static int	issignal1(lwp_t *, bool);

static int
sig_prop(int sig)
{
	return sigprop[sig] != 0 ? sigprop[sig] : SA_KILL;
}

/* The signals nobody may block (or catch). */
static void
sig_cantmask(sigset_t *s)
{
	__sigdelset(s, SIGKILL);
	__sigdelset(s, SIGSTOP);
}

/* The lowest signal in `set' minus `mask', or 0. */
static int
sig_first(const sigset_t *set, const sigset_t *mask)
{
	for (int w = 0; w < 4; w++) {
		uint32_t bits = set->__bits[w] & ~mask->__bits[w];

		if (bits != 0)
			return w * 32 + __builtin_ctz(bits) + 1;
	}
	return 0;
}

static bool
sig_ignored(struct proc *p, int sig)
{
	void (*h)(int) = SIGACTION(p, sig).sa_handler;

	return h == SIG_IGN || (h == SIG_DFL && (sig_prop(sig) & SA_IGNORE));
}

/* ---- process creation and exec ------------------------------------------- */

/* fork: the child does what the parent does; nothing is pending. */
void
sigacts_fork(struct proc *p2, const struct proc *p1)
{
	p2->p_sigacts = p1->p_sigacts;
	memset(&p2->p_sigpend, 0, sizeof(p2->p_sigpend));
}

/* exec: caught signals go back to their default (the handlers are
 * gone); ignored ones stay ignored.  The mask is kept. */
void
sigacts_exec(struct proc *p)
{
	mutex_enter(p->p_lock);
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction *sa = &SIGACTION(p, sig);

		if (sa->sa_handler != SIG_IGN)
			sa->sa_handler = SIG_DFL;
		__sigemptyset(&sa->sa_mask);
		sa->sa_flags = 0;
		p->p_sigacts.sa_tramp[sig] = NULL;
	}
	mutex_exit(p->p_lock);
}

/* ---- posting ------------------------------------------------------------- */

static void
sigpend_put(sigpend_t *sp, const ksiginfo_t *ksi)
{
	__sigaddset(&sp->sp_set, ksi->ksi_signo);
	sp->sp_info[ksi->ksi_signo] = *ksi;
}

static void
sigpend_del(sigpend_t *sp, int sig)
{
	__sigdelset(&sp->sp_set, sig);
}

/* Remove `sig' from every pending set of p.  p_lock held. */
static void
sig_unpend(struct proc *p, int sig)
{
	lwp_t *l;

	KASSERT(mutex_owned(p->p_lock));
	sigpend_del(&p->p_sigpend, sig);
	LIST_FOREACH(l, &p->p_lwps, l_sibling)
		sigpend_del(&l->l_sigpend, sig);
}

/*
 * Tell t it has a signal to look at: LW_PENDSIG, and make it look
 * soon.  p_lock held.  A stopped LWP is left alone (it takes signals
 * when continued) except for SIGKILL; a suspended one likewise (its
 * process's exit, which SIGKILL causes, wakes it).
 */
static void
sigpost(lwp_t *t, int sig)
{
	KASSERT(mutex_owned(t->l_proc->p_lock));
	lwp_lock(t);
	t->l_flag |= LW_PENDSIG;
	switch (t->l_stat) {
	case LSONPROC:
		lwp_need_userret(t);
		lwp_unlock(t);
		break;
	case LSSLEEP:
		if (t->l_flag & LW_SINTR)
			lwp_unsleep(t, true);	/* unlocks */
		else
			lwp_unlock(t);
		break;
	case LSSUSPENDED:
		if (sig == SIGKILL) {
			t->l_flag &= ~LW_WSUSPEND;
			setrunnable(t);		/* unlocks */
		} else
			lwp_unlock(t);
		break;
	default:
		lwp_unlock(t);
		break;
	}
}

/*
 * Choose the LWP of p to take a process-directed signal: one that does
 * not block it, preferring one running (it is in the kernel or will be
 * soon), then one in an interruptible sleep (it can be woken), then any
 * other.  NULL if all block it (it waits in p_sigpend until one
 * unblocks it).  p_lock held.
 */
static lwp_t *
sigchoose(struct proc *p, int sig)
{
	lwp_t *l, *best = NULL;
	int score, bestscore = -1;

	KASSERT(mutex_owned(p->p_lock));
	LIST_FOREACH(l, &p->p_lwps, l_sibling) {
		if (l->l_stat == LSZOMB || l->l_stat == LSIDL ||
		    (l->l_flag & LW_SYSTEM))
			continue;
		if (__sigismember(&l->l_sigmask, sig) &&
		    !(sig_prop(sig) & SA_CANTMASK))
			continue;
		score = l->l_stat == LSONPROC ? 3 :
		    (l->l_stat == LSSLEEP && (l->l_flag & LW_SINTR)) ? 2 :
		    l->l_stat == LSRUN ? 1 : 0;
		if (score > bestscore) {
			best = l;
			bestscore = score;
		}
	}
	return best;
}

/*
 * Post ksi to process p (to one of its LWPs if ksi_lid is set).  p_lock
 * held; proc_lock too if the signal can continue or stop the process
 * (SIGCONT, SIGKILL: it continues a stopped one).  See the top of the
 * file for what happens when.
 */
void
kpsignal2(struct proc *p, ksiginfo_t *ksi)
{
	int sig = ksi->ksi_signo, prop = sig_prop(sig);
	lwp_t *t = NULL;

	KASSERT(sig > 0 && sig < NSIG);
	KASSERT(mutex_owned(p->p_lock));
	if (p->p_stat == SZOMB || (p->p_flag & PK_SYSTEM))
		return;
	/* init only takes the signals it catches: its end would be the
	 * system's (a fault in init still ends it: trapsignal). */
	if (p == initproc && SIGACTION(p, sig).sa_handler == SIG_DFL)
		return;
	if (prop & SA_CONT) {
		/* A continue cancels pending stops, and continues. */
		for (int s = 1; s < NSIG; s++)
			if (sig_prop(s) & SA_STOP)
				sig_unpend(p, s);
	}
	if (prop & SA_STOP)
		sig_unpend(p, SIGCONT);
	if (sig == SIGCONT || sig == SIGKILL)
		p->p_ncont++;		/* a stop being taken is void */
	if ((sig == SIGCONT || sig == SIGKILL) && p->p_stat == SSTOP) {
		KASSERT(mutex_owned(&proc_lock));
		proc_unstop(p);
	}
	if (sig_ignored(p, sig))
		return;			/* (SIGCONT has continued already) */

	if (ksi->ksi_lid != 0) {
		if ((t = lwp_find(p, ksi->ksi_lid)) == NULL)
			return;
		sigpend_put(&t->l_sigpend, ksi);
		if (__sigismember(&t->l_sigmask, sig) &&
		    !(prop & SA_CANTMASK))
			return;		/* delivered when it unblocks it */
	} else {
		sigpend_put(&p->p_sigpend, ksi);
		if ((t = sigchoose(p, sig)) == NULL)
			return;
	}
	/* A stopped process takes its signals when continued (SIGKILL has
	 * continued it above). */
	if (p->p_stat == SSTOP)
		return;
	sigpost(t, sig);
}

/*
 * An LWP of p that was told about pending signals (LW_PENDSIG) has just
 * become a zombie without taking them (lwp_exit): if it was the LWP
 * chosen for a signal of the process, nobody else knows about that
 * signal, so post each one still in p_sigpend again, to an LWP chosen
 * as kpsignal2 would choose (the zombie is out of the running now).
 * That also wakes one in an interruptible sleep.  NetBSD's lwp_exit
 * instead marks every other LWP LW_PENDSIG ("we lose", both the
 * reference and 2020), which an LWP asleep interruptibly only notices
 * when something else wakes it.  p_lock held (a stopped process takes
 * its signals when continued: nothing to do then; p_stat is
 * proc_lock's, but stopping and continuing change it under p_lock
 * too).
 */
void
sigrepost(struct proc *p)
{
	lwp_t *t;

	KASSERT(mutex_owned(p->p_lock));
	if (p->p_stat == SSTOP)
		return;
	for (int sig = 1; sig < NSIG; sig++)
		if (__sigismember(&p->p_sigpend.sp_set, sig) &&
		    (t = sigchoose(p, sig)) != NULL)
			sigpost(t, sig);
}

/* kpsignal2, taking the locks it needs. */
void
kpsignal(struct proc *p, ksiginfo_t *ksi)
{
	mutex_enter(&proc_lock);
	mutex_enter(p->p_lock);
	kpsignal2(p, ksi);
	mutex_exit(p->p_lock);
	mutex_exit(&proc_lock);
}

/* ---- actions ------------------------------------------------------------- */

/*
 * Set what signal `sig' does to *nsa (if not NULL), giving the old
 * action in *osa (sigaction(2) without the copying: NetBSD's
 * sigaction1).  A handler returns through `tramp' (libc's
 * __sigtramp_siginfo_2, version 2, which calls setcontext on the
 * frame's ucontext).  EINVAL for a bad signal, for catching or
 * ignoring SIGKILL or SIGSTOP, for unknown flags, or for a handler
 * without a trampoline.
 */
int
sigaction1(lwp_t *l, int sig, const struct sigaction *nsa,
    struct sigaction *osa, const void *tramp, int vers)
{
	struct proc *p = l->l_proc;

	if (sig <= 0 || sig >= NSIG)
		return EINVAL;
	if (nsa != NULL) {
		if ((sig_prop(sig) & SA_CANTMASK) && nsa->sa_handler != SIG_DFL)
			return EINVAL;
		if (nsa->sa_flags & ~(SA_ONSTACK | SA_RESTART | SA_RESETHAND |
		    SA_NOCLDSTOP | SA_NODEFER | SA_NOCLDWAIT | SA_SIGINFO))
			return EINVAL;
		if (nsa->sa_handler != SIG_DFL && nsa->sa_handler != SIG_IGN &&
		    (tramp == NULL || vers != 2))
			return EINVAL;
	}
	mutex_enter(p->p_lock);
	*osa = SIGACTION(p, sig);
	if (nsa != NULL) {
		SIGACTION(p, sig) = *nsa;
		sig_cantmask(&SIGACTION(p, sig).sa_mask);
		p->p_sigacts.sa_tramp[sig] = tramp;
		/* Ignoring a signal drops it where it is pending. */
		if (sig_ignored(p, sig))
			sig_unpend(p, sig);
	}
	mutex_exit(p->p_lock);
	return 0;
}

/* ---- taking a signal --------------------------------------------------- */

/*
 * The lowest signal l could take now (pending for it or its process,
 * not blocked), or 0.  p_lock held.
 */
int
sigispending(lwp_t *l)
{
	struct proc *p = l->l_proc;
	sigset_t set = l->l_sigpend.sp_set;

	KASSERT(mutex_owned(p->p_lock));
	for (int w = 0; w < 4; w++)
		set.__bits[w] |= p->p_sigpend.sp_set.__bits[w];
	return sig_first(&set, &l->l_sigmask);
}

/* Stopping and continuing a process: kern_sigstop.c. */

/*
 * The next signal l is to act on, with every default action that needs
 * no more than the kernel done here (ignore, stop, continue); 0 if
 * there is none (LW_PENDSIG is then cleared) or l is told to exit
 * (LW_WEXIT: any signal stays pending for the LWP that lives on).  Removes the signal from
 * its pending set; postsig() finds its siginfo in l_sigpend's slot.
 * p_lock held (proc_lock is taken to stop).
 */
int
issignal(lwp_t *l)
{
	KASSERT(mutex_owned(l->l_proc->p_lock));
	return issignal1(l, false);
}

/*
 * For a sleep that a stop should not cut short (nanosleep): act on
 * stops (and what issignal discards) here, and return the first signal
 * that needs the caller to return to user mode -- without taking it
 * from its pending set -- or 0.  p_lock held.
 */
int
sigstop_point(lwp_t *l)
{
	KASSERT(mutex_owned(l->l_proc->p_lock));
	return issignal1(l, true);
}

static int
issignal1(lwp_t *l, bool stopsonly)
{
	struct proc *p = l->l_proc;
	int sig, prop;
	void (*h)(int);

	KASSERT(mutex_owned(p->p_lock));
	for (;;) {
		/*
		 * Told to exit (exit1 or execve is taking the process
		 * apart; LW_WEXIT is set under p_lock): take no signal and
		 * join no stop.  A signal taken now would die with us
		 * unacted on -- a SIGKILL lost to an execve, whose process
		 * lived on -- and a stop joined now would keep us from the
		 * exit_lwps() that waits for us (execve with a stop in
		 * progress waited for ever).  Left pending, lwp_exit
		 * passes it on to the LWP that lives on (sigrepost).
		 */
		if (l->l_flag & LW_WEXIT)
			return 0;
		/* Our process is stopping: join in. */
		if (p->p_sflag & PS_STOPPING) {
			mutex_exit(p->p_lock);
			mutex_enter(&proc_lock);
			mutex_enter(p->p_lock);
			/* (A stop in progress is SSTOP until it is over or
			 * void: proc_unstop and exit1 clear PS_STOPPING.) */
			KASSERTMSG(!(p->p_sflag & PS_STOPPING) ||
			    p->p_stat == SSTOP, "pid %d: stopping, but p_stat "
			    "%d", p->p_pid, p->p_stat);
			/* (Not if told to exit meanwhile: LW_WEXIT is
			 * read again at the top.) */
			if (p->p_stat == SSTOP && !(l->l_flag & LW_WEXIT))
				lwp_stop_self(l);
			mutex_exit(&proc_lock);
			continue;
		}
		if ((sig = sigispending(l)) == 0) {
			lwp_lock(l);
			l->l_flag &= ~LW_PENDSIG;
			lwp_unlock(l);
			return 0;
		}
		prop = sig_prop(sig);
		h = SIGACTION(p, sig).sa_handler;
		if (stopsonly && (h != SIG_DFL || !(prop & SA_STOP)) &&
		    h != SIG_IGN && !(h == SIG_DFL && (prop & SA_IGNORE)))
			return sig;		/* the caller's to deliver */
		/* Take it, LWP's first; keep its info in the LWP's slot. */
		if (__sigismember(&l->l_sigpend.sp_set, sig))
			sigpend_del(&l->l_sigpend, sig);
		else {
			l->l_sigpend.sp_info[sig] = p->p_sigpend.sp_info[sig];
			sigpend_del(&p->p_sigpend, sig);
		}
		if (h == SIG_IGN)
			continue;
		if (h != SIG_DFL)
			return sig;		/* caught */
		if (prop & SA_STOP) {
			/*
			 * p_lock is let go to take proc_lock first: a SIGCONT
			 * or SIGKILL posted meanwhile found the process not
			 * stopped yet, so continued nothing, and would be lost
			 * on a process that then stops (a SIGKILLed process
			 * stopped for ever).  p_ncont says whether one came:
			 * then this stop is void, as if it had come first.
			 */
			u_int ncont = p->p_ncont;

			mutex_exit(p->p_lock);
			mutex_enter(&proc_lock);
			mutex_enter(p->p_lock);
			if (p->p_stat != SZOMB && !(l->l_flag & LW_WEXIT) &&
			    p->p_ncont == ncont) {
				proc_stop(p, sig);
				lwp_stop_self(l);
			} else if (p->p_stat != SZOMB && p->p_ncont == ncont)
				/* Told to exit meanwhile (an execve): the stop
				 * is the process's, for the LWP that lives on
				 * (sigrepost), as at the top. */
				sigpend_put(&p->p_sigpend,
				    &l->l_sigpend.sp_info[sig]);
			mutex_exit(&proc_lock);
			continue;
		}
		if (prop & SA_IGNORE)
			continue;		/* (SIGCONT did its work) */
		return sig;			/* terminate */
	}
}

/*
 * Act on signal sig, which issignal() returned for curlwp: run its
 * handler (a frame on the user stack, the mask widened while it
 * runs), or terminate the process.  p_lock held.
 */
void
postsig(int sig)
{
	lwp_t *l = curlwp;
	struct proc *p = l->l_proc;
	struct sigaction *sa = &SIGACTION(p, sig);
	ksiginfo_t ksi = l->l_sigpend.sp_info[sig];
	sigset_t returnmask;

	KASSERT(mutex_owned(p->p_lock));
	if (sa->sa_handler == SIG_DFL)
		sigexit(l, sig);
	/* The handler's frame records the mask to go back to: the one
	 * sigsuspend replaced, if that is how we got here. */
	if (l->l_sigrestore) {
		returnmask = l->l_sigoldmask;
		l->l_sigrestore = false;
	} else
		returnmask = l->l_sigmask;
	ksi.ksi_signo = sig;
	sendsig(&ksi, &returnmask);	/* (drops p_lock meanwhile) */
	for (int w = 0; w < 4; w++)
		l->l_sigmask.__bits[w] |= sa->sa_mask.__bits[w];
	if (!(sa->sa_flags & SA_NODEFER))
		__sigaddset(&l->l_sigmask, sig);
	sig_cantmask(&l->l_sigmask);
	if (sa->sa_flags & SA_RESETHAND) {
		sa->sa_handler = SIG_DFL;
		sa->sa_flags &= ~SA_SIGINFO;
	}
}

/*
 * Signal sig ends l's process: wait4 reports it killed by sig.  Fault
 * signals say what happened on the console first (trapsignal's
 * message).  p_lock held (released: exit1 never returns).
 */
void
sigexit(lwp_t *l, int sig)
{
	KASSERT(mutex_owned(l->l_proc->p_lock));
	exit1(l, W_EXITCODE(0, sig));
}

/*
 * The program running in l did something fatal at pc (trap.c): post
 * the fault's signal to l.  If the program does not catch it, or blocks
 * or ignores it (a fault cannot be ignored: it would happen again at
 * once), say what happened and end the process.
 */
void
trapsignal(lwp_t *l, ksiginfo_t *ksi, const char *what, vaddr_t pc)
{
	struct proc *p = l->l_proc;
	int sig = ksi->ksi_signo;
	void (*h)(int);

	mutex_enter(p->p_lock);
	h = SIGACTION(p, sig).sa_handler;
	if (h != SIG_DFL && h != SIG_IGN &&
	    !__sigismember(&l->l_sigmask, sig)) {
		ksi->ksi_lid = l->l_lid;
		sigpend_put(&l->l_sigpend, ksi);
		lwp_lock(l);
		l->l_flag |= LW_PENDSIG;
		lwp_unlock(l);
		mutex_exit(p->p_lock);
		return;			/* delivered in lwp_userret */
	}
	printf("%s[%d]: %s, at pc %#lx: killed by signal %d (%s)\n",
	    p->p_comm, p->p_pid, what, pc, sig,
	    signame[sig] != NULL ? signame[sig] : "?");
	sigexit(l, sig);
}

/*
 * An interruptible sleep that a stop or a suspension should not end
 * (nanosleep, sigsuspend) was cut short with ERESTART: if that is all
 * it was, stop or suspend right here and return true -- the caller
 * sleeps on; false if the caller must return (a signal to deliver, an
 * exit).  (EINTR never comes here: _lwp_wakeup's LW_CANCELLED is spent
 * by the time the sleep returns, so only the error says it happened.)
 * Nothing held.
 */
bool
sig_resumable(lwp_t *l)
{
	struct proc *p = l->l_proc;
	int sig;

	if (l->l_flag & (LW_WEXIT | LW_CANCELLED))
		return false;
	mutex_enter(p->p_lock);
	sig = sigstop_point(l);		/* stops here if asked to */
	mutex_exit(p->p_lock);
	if (sig != 0 || (l->l_flag & (LW_WEXIT | LW_CANCELLED)))
		return false;
	lwp_suspend_point(l);		/* suspends here if asked to */
	return (l->l_flag & LW_WEXIT) == 0;	/* (told to exit meanwhile) */
}

/* l's new mask (SIGKILL and SIGSTOP cannot be blocked); if that lets a
 * pending signal through, LW_PENDSIG.  p_lock held. */
void
sigsetmask(lwp_t *l, const sigset_t *mask)
{
	KASSERT(mutex_owned(l->l_proc->p_lock));
	l->l_sigmask = *mask;
	sig_cantmask(&l->l_sigmask);
	if (sigispending(l) != 0) {
		lwp_lock(l);
		l->l_flag |= LW_PENDSIG;
		lwp_unlock(l);
	}
}

/* ---- process groups ------------------------------------------------------ */

/*
 * Signal every process in group pgid (0: every process but init, the
 * kernel's and `self' -- kill(-1)); ESRCH if there is none.  A signal
 * 0 only counts them.
 */
int
kpgsignal(pid_t pgid, ksiginfo_t *ksi, struct proc *self)
{
	struct proc *p;
	int found = 0;

	mutex_enter(&proc_lock);
	LIST_FOREACH(p, &allproc, p_list) {
		if (p->p_pid <= 1 || (p->p_flag & PK_SYSTEM) ||
		    p->p_stat == SZOMB || p->p_stat == SIDL ||
		    (pgid == 0 ? p == self : p->p_pgid != pgid))
			continue;
		found++;
		if (ksi->ksi_signo != 0) {
			mutex_enter(p->p_lock);
			kpsignal2(p, ksi);
			mutex_exit(p->p_lock);
		}
	}
	mutex_exit(&proc_lock);
	return found ? 0 : ESRCH;
}
