/*
 * sys/sigtypes.h: the types signal state is made of, shared with user
 * space (NetBSD's layouts): a signal set of 128 bits and a signal
 * stack.  ucontext_t needs them; signals themselves are issue 8's.
 */
#ifndef _SYS_SIGTYPES_H_
#define _SYS_SIGTYPES_H_

#include <sys/types.h>

typedef struct {
	uint32_t	__bits[4];	/* bit (n - 1) % 32 of word (n - 1) / 32 */
} sigset_t;

typedef struct {
	void		*ss_sp;		/* the stack's base */
	size_t		ss_size;	/* its size */
	int		ss_flags;	/* SS_* */
} stack_t;

#endif /* !_SYS_SIGTYPES_H_ */
