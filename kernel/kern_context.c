/*
 * kern_context.c: user contexts (sys/ucontext.h): getcontext(2),
 * setcontext(2), and the two helpers _lwp_create(2) shares.
 *
 * The registers are the machine's business (cpu_getmcontext,
 * cpu_setmcontext, arch/x86_64/mcontext.c); this file adds the
 * machine-independent parts, among them the signal mask
 * (_UC_SIGMASK): a signal handler returns by setcontext on the context
 * its frame saved (sendsig), which puts the mask back.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/syscallargs.h>
#include <sys/ucontext.h>

/* Fill *ucp with l's user context (l is curlwp). */
int
getucontext(lwp_t *l, ucontext_t *ucp)
{
	KASSERT(l == curlwp);
	memset(ucp, 0, sizeof(*ucp));
	ucp->uc_link = l->l_ctxlink;
	mutex_enter(l->l_proc->p_lock);
	ucp->uc_sigmask = l->l_sigmask;
	mutex_exit(l->l_proc->p_lock);
	ucp->uc_flags = _UC_SIGMASK;
	cpu_getmcontext(l, &ucp->uc_mcontext, &ucp->uc_flags);
	return 0;
}

/*
 * Load the parts of *ucp its uc_flags name into l (curlwp, or an LWP
 * that has not run yet).  0, or EINVAL for a context the machine
 * refuses (then nothing has changed).
 */
int
setucontext(lwp_t *l, const ucontext_t *ucp)
{
	int error;

	error = cpu_setmcontext(l, &ucp->uc_mcontext, ucp->uc_flags);
	if (error != 0)
		return error;
	if (ucp->uc_flags & _UC_TLSBASE)
		l->l_private = (void *)ucp->uc_mcontext._mc_tlsbase;
	l->l_ctxlink = ucp->uc_link;
	if (ucp->uc_flags & _UC_SIGMASK) {
		mutex_enter(l->l_proc->p_lock);
		sigsetmask(l, &ucp->uc_sigmask);
		mutex_exit(l->l_proc->p_lock);
	}
	return 0;
}

/* getcontext(ucp): resuming the context returns 0 from getcontext. */
int
sys_getcontext(lwp_t *l, const struct sys_getcontext_args *uap,
    register_t *retval)
{
	ucontext_t uc;

	getucontext(l, &uc);
	_UC_MACHINE_SET_RVAL0(&uc);
	return copyout(&uc, SCARG(uap, ucp), sizeof(uc));
}

/*
 * setcontext(ucp): carry on in *ucp (never returns on success).  A
 * NULL ucp ends the LWP, as the end of a uc_link chain does (the last
 * LWP ends the process, status 0).
 */
int
sys_setcontext(lwp_t *l, const struct sys_setcontext_args *uap,
    register_t *retval)
{
	ucontext_t uc;
	int error;

	if (SCARG(uap, ucp) == NULL)
		lwp_exit(l);
	if ((error = copyin(SCARG(uap, ucp), &uc, sizeof(uc))) != 0)
		return error;
	if ((error = setucontext(l, &uc)) != 0)
		return error;
	/* The registers are now the context's: leave them be. */
	return (uc.uc_flags & _UC_CPU) ? EJUSTRETURN : 0;
}
