/*
 * sys_sig.c: the signal system calls (docs/signals.md, docs/man):
 * sigaction (NetBSD's __sigaction_sigtramp), sigprocmask, sigpending,
 * sigsuspend, kill and _lwp_kill.  Each checks and copies its
 * arguments and leaves the work to kern_sig.c's mechanism (posting with
 * kpsignal2, masks with sigsetmask, delivery in lwp_userret).
 *
 * Locking as in kern_sig.c: p_lock covers the signal state; posting
 * also takes proc_lock first (stop and continue change p_stat).
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

/*
 * __sigaction_sigtramp(sig, nsa, osa, tramp, vers): libc's sigaction.
 * The handler returns through `tramp' (libc's __sigtramp_siginfo_2,
 * version 2, which calls setcontext on the frame's ucontext).  EINVAL
 * for a bad signal, for catching or ignoring SIGKILL or SIGSTOP, or a
 * handler without a trampoline.
 */
int
sys___sigaction_sigtramp(lwp_t *l,
    const struct sys___sigaction_sigtramp_args *uap, register_t *retval)
{
	struct sigaction nsa, osa;
	int error;

	if (SCARG(uap, nsa) != NULL &&
	    (error = copyin(SCARG(uap, nsa), &nsa, sizeof(nsa))) != 0)
		return error;
	error = sigaction1(l, SCARG(uap, signum),
	    SCARG(uap, nsa) != NULL ? &nsa : NULL, &osa, SCARG(uap, tramp),
	    SCARG(uap, vers));
	if (error == 0 && SCARG(uap, osa) != NULL)
		error = copyout(&osa, SCARG(uap, osa), sizeof(osa));
	return error;
}

int
sys___sigprocmask14(lwp_t *l, const struct sys___sigprocmask14_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	sigset_t set, old, mask;
	int error;

	if (SCARG(uap, set) != NULL &&
	    (error = copyin(SCARG(uap, set), &set, sizeof(set))) != 0)
		return error;
	mutex_enter(p->p_lock);
	old = mask = l->l_sigmask;
	if (SCARG(uap, set) != NULL) {
		for (int w = 0; w < 4; w++)
			switch (SCARG(uap, how)) {
			case SIG_BLOCK:
				mask.__bits[w] |= set.__bits[w];
				break;
			case SIG_UNBLOCK:
				mask.__bits[w] &= ~set.__bits[w];
				break;
			case SIG_SETMASK:
				mask.__bits[w] = set.__bits[w];
				break;
			default:
				mutex_exit(p->p_lock);
				return EINVAL;
			}
		sigsetmask(l, &mask);
	}
	mutex_exit(p->p_lock);
	if (SCARG(uap, oset) != NULL)
		return copyout(&old, SCARG(uap, oset), sizeof(old));
	return 0;
}

int
sys___sigpending14(lwp_t *l, const struct sys___sigpending14_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	sigset_t set;

	mutex_enter(p->p_lock);
	set = l->l_sigpend.sp_set;
	for (int w = 0; w < 4; w++)
		set.__bits[w] |= p->p_sigpend.sp_set.__bits[w];
	mutex_exit(p->p_lock);
	return copyout(&set, SCARG(uap, set), sizeof(set));
}

/*
 * sigsuspend(set): wait for a signal with `set' as the mask; always
 * EINTR.  The old mask comes back when the handler returns (postsig
 * puts it in the handler's frame), or at once if no handler ran.
 */
int
sys___sigsuspend14(lwp_t *l, const struct sys___sigsuspend14_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	sigset_t set;
	int error;

	if ((error = copyin(SCARG(uap, set), &set, sizeof(set))) != 0)
		return error;
	mutex_enter(p->p_lock);
	l->l_sigoldmask = l->l_sigmask;
	l->l_sigrestore = true;
	sigsetmask(l, &set);
	mutex_exit(p->p_lock);
	/* Until a signal to deliver (or an exit, or _lwp_wakeup): stops and
	 * suspensions (ERESTART) happen here and the wait goes on. */
	while ((error = kpause("pause", true, 0, NULL)) == 0 ||
	    (error == ERESTART && sig_resumable(l)))
		continue;
	/* No handler will run to put the old mask back: do it now. */
	mutex_enter(p->p_lock);
	if (l->l_sigrestore && sigispending(l) == 0) {
		l->l_sigrestore = false;
		sigsetmask(l, &l->l_sigoldmask);
	}
	mutex_exit(p->p_lock);
	return EINTR;
}

/*
 * kill(pid, sig): pid > 0, that process; 0, the caller's process group;
 * -1, every process but init and the caller; < -1, the group -pid.
 * sig 0 only checks that the target exists.  EINVAL, ESRCH.
 */
int
sys_kill(lwp_t *l, const struct sys_kill_args *uap, register_t *retval)
{
	pid_t pid = SCARG(uap, pid);
	int sig = SCARG(uap, signum);
	struct proc *p;
	ksiginfo_t ksi;

	if (sig < 0 || sig >= NSIG)
		return EINVAL;
	memset(&ksi, 0, sizeof(ksi));
	ksi.ksi_signo = sig;
	ksi.ksi_code = SI_USER;
	ksi.ksi_pid = l->l_proc->p_pid;
	if (pid == -1)
		return kpgsignal(0, &ksi, l->l_proc);
	if (pid == 0) {
		mutex_enter(&proc_lock);
		pid = -l->l_proc->p_pgid;
		mutex_exit(&proc_lock);
	}
	if (pid < -1)
		return pid == INT32_MIN ? ESRCH :
		    kpgsignal(-pid, &ksi, l->l_proc);
	mutex_enter(&proc_lock);
	if ((p = proc_find(pid)) == NULL || p->p_stat == SZOMB ||
	    (p->p_flag & PK_SYSTEM)) {
		mutex_exit(&proc_lock);
		return ESRCH;
	}
	if (sig != 0) {
		mutex_enter(p->p_lock);
		kpsignal2(p, &ksi);
		mutex_exit(p->p_lock);
	}
	mutex_exit(&proc_lock);
	return 0;
}

/* _lwp_kill(lid, sig): to one LWP of our process (SI_LWP).  sig 0
 * only checks it exists.  EINVAL, ESRCH. */
int
sys__lwp_kill(lwp_t *l, const struct sys__lwp_kill_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	int sig = SCARG(uap, signo);
	ksiginfo_t ksi;

	if (sig < 0 || sig >= NSIG)
		return EINVAL;
	memset(&ksi, 0, sizeof(ksi));
	ksi.ksi_signo = sig;
	ksi.ksi_code = SI_LWP;
	ksi.ksi_pid = p->p_pid;
	ksi.ksi_lid = SCARG(uap, target);
	mutex_enter(&proc_lock);
	mutex_enter(p->p_lock);
	if (lwp_find(p, ksi.ksi_lid) == NULL) {
		mutex_exit(p->p_lock);
		mutex_exit(&proc_lock);
		return ESRCH;
	}
	if (sig != 0)
		kpsignal2(p, &ksi);
	mutex_exit(p->p_lock);
	mutex_exit(&proc_lock);
	return 0;
}
