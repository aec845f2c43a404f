/*
 * sys/syscallvar.h: the system-call table (generated from
 * kernel/syscalls.master into build/gen/syscalls.c) and what runs on
 * the way back to user mode.
 */
#ifndef _SYS_SYSCALLVAR_H_
#define _SYS_SYSCALLVAR_H_

#include <sys/types.h>

struct lwp;

typedef int sy_call_t(struct lwp *, const void *, register_t *);

struct sysent {
	short		sy_narg;	/* arguments, each a register_t */
	sy_call_t	*sy_call;	/* sys_NAME; NULL: no such call */
	const char	*sy_name;
};

extern const struct sysent sysent[];

/* kern_synch.c: before every return to user mode (after a system call,
 * trap or interrupt from user mode). */
void	mi_userret(struct lwp *);

#endif /* !_SYS_SYSCALLVAR_H_ */
