/*
 * machine/pmap.h: the direct map, as inline functions (hot paths use
 * it).  Interface header, reached through <sys/pmap.h>.
 */
#ifndef _MACHINE_PMAP_H_
#define _MACHINE_PMAP_H_

#include <sys/types.h>
#include <machine/param.h>

static inline void *
pmap_direct_va(paddr_t pa)
{
	return (void *)(PMAP_DIRECT_BASE + pa);
}

static inline paddr_t
pmap_direct_pa(const void *va)
{
	return (vaddr_t)va - PMAP_DIRECT_BASE;
}

static inline bool
pmap_is_direct(const void *va)
{
	return (vaddr_t)va >= PMAP_DIRECT_BASE &&
	    (vaddr_t)va < PMAP_DIRECT_BASE + PMAP_DIRECT_SIZE;
}

/* The direct map covers physical [0, pmap_direct_limit). */
extern paddr_t pmap_direct_limit;

void	pmap_bootstrap(void);

#endif /* !_MACHINE_PMAP_H_ */
