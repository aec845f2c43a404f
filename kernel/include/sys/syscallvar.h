/*
 * sys/syscallvar.h: the system-call table (generated from
 * kernel/syscalls.master into build/gen/syscalls.c), the MI dispatcher
 * the arch's trap code calls, and what runs on the way back to user
 * mode.
 */
#ifndef _SYS_SYSCALLVAR_H_
#define _SYS_SYSCALLVAR_H_

#include <sys/types.h>
#include <sys/syscall.h>	/* SYS_MAXSYSCALL (generated) */
#include <sys/trace.h>

struct lwp;

typedef int sy_call_t(struct lwp *, const void *, register_t *);

struct sysent {
	short		sy_narg;	/* arguments, each a register_t */
	sy_call_t	*sy_call;	/* sys_NAME; NULL: no such call */
	const char	*sy_name;
};

extern const struct sysent sysent[];

/*
 * How many entries of sysent[] sy_invoke's fast path takes:
 * SYS_MAXSYSCALL, or 0 while the event trace's syscall class is on
 * (trace_setclasses sets it), which sends every call down the slow
 * path, sy_invoke_slow, which records it.  The bound the fast path
 * checks anyway is so the trace's switch too: compiled in and off, the
 * class costs the dispatcher no instruction (a compare with a variable
 * in memory where there was a constant).  Built with TRACE=0 it is the
 * constant.
 */
#if TRACE
extern u_long sy_ncall;			/* a: (a hint, read plainly) */
#else
#define sy_ncall	((u_long)SYS_MAXSYSCALL)
#endif

/* kern_syscall.c: the calls sy_invoke does not take itself (cold: the
 * compiler lays the fast path out straight). */
int	sy_invoke_slow(struct lwp *, u_long, const register_t *,
	    register_t *) __attribute__((__cold__));

/*
 * The MI system-call dispatcher: run system call `code` for l (curlwp)
 * with the arguments args[0..5], the result in *rval (0 on entry).
 * Returns 0 or an errno: ENOSYS for no such call; ERESTART and
 * EJUSTRETURN tell the arch's code what to do with the user's registers
 * (NetBSD's sy_invoke).  Called with no spin mutex held.
 */
static inline int
sy_invoke(struct lwp *l, u_long code, const register_t *args,
    register_t *rval)
{
	const struct sysent *sy;

	if (__predict_true(code < sy_ncall) &&
	    __predict_true((sy = &sysent[code])->sy_call != NULL))
		return (*sy->sy_call)(l, args, rval);
	return sy_invoke_slow(l, code, args, rval);
}

/* kern_synch.c: before every return to user mode (after a system call,
 * trap or interrupt from user mode). */
void	mi_userret(struct lwp *);

#endif /* !_SYS_SYSCALLVAR_H_ */
