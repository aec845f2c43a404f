/*
 * ucontext.h: user contexts (sys/ucontext.h): save the registers with
 * getcontext, resume them with setcontext.
 */
#ifndef _UCONTEXT_H_
#define _UCONTEXT_H_

#include <sys/ucontext.h>

int	getcontext(ucontext_t *);
int	setcontext(const ucontext_t *);

#endif /* !_UCONTEXT_H_ */
