/*
 * sys_lwp.c: the LWP system calls.  For now those a one-LWP process
 * needs (issue 7 adds _lwp_create and the rest): its id, and its
 * private (TLS) pointer, which is the %fs base on amd64.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/lwp.h>
#include <sys/syscallargs.h>

int
sys__lwp_self(lwp_t *l, const void *uap, register_t *retval)
{
	*retval = l->l_lid;
	return 0;
}

int
sys__lwp_getprivate(lwp_t *l, const void *uap, register_t *retval)
{
	*retval = (register_t)l->l_private;
	return 0;
}

int
sys__lwp_setprivate(lwp_t *l, const struct sys__lwp_setprivate_args *uap,
    register_t *retval)
{
	l->l_private = SCARG(uap, ptr);
	cpu_lwp_setprivate(l, l->l_private);
	return 0;
}
