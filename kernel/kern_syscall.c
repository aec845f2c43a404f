/*
 * kern_syscall.c: the system-call dispatcher's slow path (the fast path
 * is sy_invoke, inline in sys/syscallvar.h): numbers with no call, and
 * every call while the event trace's syscall class is on, recorded on
 * entry and exit (kern_trace.c's trace_sys_enter and trace_sys_exit;
 * docs/trace.md).  NetBSD's kern_syscall.c has its trace_enter and
 * trace_exit for ktrace the same way.
 */
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/syscallvar.h>
#include <sys/trace.h>

#if TRACE
u_long sy_ncall = SYS_MAXSYSCALL;		/* a */
#endif

/*
 * sy_invoke for a call its fast path does not take: one whose number
 * names no call (ENOSYS), or any while sy_ncall is 0 (the syscall class
 * is on).  Records the entry and the exit if the class is on now; one
 * switched off while the call runs still gets its exit record, so that
 * entries and exits pair.  A call that does not return (exit,
 * _lwp_exit) has no exit record, as on Linux.
 */
int
sy_invoke_slow(struct lwp *l, u_long code, const register_t *args,
    register_t *rval)
{
	const struct sysent *sy = code < SYS_MAXSYSCALL &&
	    sysent[code].sy_call != NULL ? &sysent[code] : NULL;
	bool traced = TRACE_ON(TRC_SYSCALL);
	int error;

	if (traced)
		trace_sys_enter(l, code, args);
	error = sy != NULL ? (*sy->sy_call)(l, args, rval) : ENOSYS;
	if (traced)
		trace_sys_exit(l, code, *rval, error);
	return error;
}
