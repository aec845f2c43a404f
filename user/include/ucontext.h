/*
 * ucontext.h: user contexts (sys/ucontext.h): save the registers with
 * getcontext, resume them with setcontext; makecontext makes a saved
 * context call a function on a stack of its own (uc_stack), resuming
 * uc_link when it returns; swapcontext saves one and resumes another
 * (libc, user/lib/libc/makecontext.c, NetBSD's).
 */
#ifndef _UCONTEXT_H_
#define _UCONTEXT_H_

#include <sys/ucontext.h>

int	getcontext(ucontext_t *) __returns_twice;
int	setcontext(const ucontext_t *);
/* func: any function type (NetBSD's `void (*)()'), given argc int or
 * long arguments. */
void	makecontext(ucontext_t *, void (*)(), int, ...);
int	swapcontext(ucontext_t *__restrict, const ucontext_t *__restrict)
	    __returns_twice;

#endif /* !_UCONTEXT_H_ */
