/*
 * sys/kcpuset.h: sets of CPUs (NetBSD's kcpuset(9)), used for LWP
 * affinity.  A set is a bit per CPU index (MAXCPUS = 64, one word) with
 * a reference count, so LWPs can share one set (kcpuset_use/unuse).
 * A set's bits are changed only before it is shared.
 */
#ifndef _SYS_KCPUSET_H_
#define _SYS_KCPUSET_H_

#include <sys/types.h>

struct cpu_info;

typedef struct kcpuset {
	uint64_t	kc_bits;	/* bit i: CPU index i */
	volatile u_int	kc_refcnt;	/* (a) */
} kcpuset_t;

void	kcpuset_create(kcpuset_t **, bool zero);
void	kcpuset_destroy(kcpuset_t *);
void	kcpuset_use(kcpuset_t *);
void	kcpuset_unuse(kcpuset_t *);
void	kcpuset_set(kcpuset_t *, u_int);
void	kcpuset_clear(kcpuset_t *, u_int);
bool	kcpuset_isset(const kcpuset_t *, u_int);
bool	kcpuset_iszero(const kcpuset_t *);
u_int	kcpuset_countset(const kcpuset_t *);

#endif /* !_SYS_KCPUSET_H_ */
