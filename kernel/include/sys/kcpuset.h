/*
 * sys/kcpuset.h: sets of CPUs (NetBSD's kcpuset(9)), used for LWP
 * affinity and for the CPUs that have a pmap loaded.  A set is a bit
 * per CPU index, MAXCPUS bits in KCPUSET_NWORDS words, with a reference
 * count, so LWPs can share one set (kcpuset_use/unuse).  An affinity
 * set's bits are changed only before it is shared; a set changed while
 * others read it (pmap's) uses kcpuset_atomic_set/clear.
 *
 * kcpuset_t is a plain struct here (NetBSD's is opaque), so that a set
 * nobody shares can be embedded (kcpuset_zero it; its count is unused).
 */
#ifndef _SYS_KCPUSET_H_
#define _SYS_KCPUSET_H_

#include <sys/types.h>
#include <machine/cpu.h>		/* MAXCPUS */

#define KCPUSET_NWORDS	((MAXCPUS + 63) / 64)

typedef struct kcpuset {
	uint64_t	kc_bits[KCPUSET_NWORDS]; /* CPU i: bit i % 64 of
					 * word i / 64 */
	volatile u_int	kc_refcnt;	/* (a) */
} kcpuset_t;

void	kcpuset_create(kcpuset_t **, bool zero);
void	kcpuset_destroy(kcpuset_t *);
void	kcpuset_use(kcpuset_t *);
void	kcpuset_unuse(kcpuset_t *);
void	kcpuset_zero(kcpuset_t *);
void	kcpuset_set(kcpuset_t *, u_int);
void	kcpuset_clear(kcpuset_t *, u_int);
void	kcpuset_atomic_set(kcpuset_t *, u_int);
void	kcpuset_atomic_clear(kcpuset_t *, u_int);
bool	kcpuset_isset(const kcpuset_t *, u_int);
bool	kcpuset_isotherset(const kcpuset_t *, u_int);
bool	kcpuset_iszero(const kcpuset_t *);
u_int	kcpuset_countset(const kcpuset_t *);
void	kcpuset_export_u32(const kcpuset_t *, uint32_t *, size_t);

#endif /* !_SYS_KCPUSET_H_ */
