/*
 * sys/ucontext.h: a user context -- the registers, signal mask and
 * stack of an LWP at some point -- as NetBSD defines it.  getcontext(2)
 * fills one in, setcontext(2) resumes one, _lwp_create(2) starts a new
 * LWP in one (see docs/lwp.md).
 *
 * uc_flags says which parts are valid: _UC_CPU (the general registers),
 * _UC_FPU (the floating-point registers), _UC_SIGMASK, _UC_STACK, and
 * the machine's own, such as _UC_TLSBASE (machine/mcontext.h).
 */
#ifndef _SYS_UCONTEXT_H_
#define _SYS_UCONTEXT_H_

#include <sys/types.h>
#include <sys/sigtypes.h>
#include <machine/mcontext.h>

typedef struct __ucontext ucontext_t;

struct __ucontext {
	unsigned int	uc_flags;	/* _UC_*: what is valid */
	ucontext_t	*uc_link;	/* resumed when this one's function
					 * returns (makecontext) */
	sigset_t	uc_sigmask;	/* signals blocked in it */
	stack_t		uc_stack;	/* its stack */
	mcontext_t	uc_mcontext;	/* its registers */
};

#define _UC_SIGMASK	0x01		/* uc_sigmask is valid */
#define _UC_STACK	0x02		/* uc_stack is valid */
#define _UC_CPU		0x04		/* the general registers are */
#define _UC_FPU		0x08		/* the FPU registers are */

#ifdef _KERNEL
struct lwp;
int	getucontext(struct lwp *, ucontext_t *);
int	setucontext(struct lwp *, const ucontext_t *);
/* The machine-dependent part (arch/x86_64/mcontext.c). */
void	cpu_getmcontext(struct lwp *, mcontext_t *, unsigned int *);
int	cpu_mcontext_validate(struct lwp *, const mcontext_t *, unsigned int);
int	cpu_setmcontext(struct lwp *, const mcontext_t *, unsigned int);
#endif

#endif /* !_SYS_UCONTEXT_H_ */
