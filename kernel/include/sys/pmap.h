/*
 * sys/pmap.h: the machine-independent face of the pmap (page tables).
 *
 * The arch layer (arch/x86_64/pmap.c) implements these.
 *
 *   pmap_direct_va(pa)   kernel VA of physical address pa (direct map)
 *   pmap_direct_pa(va)   the inverse, for direct-map addresses only
 *   pmap_kenter_pa(va, pa, prot)  map one kernel page in the KVA region
 *                        (no TLB flush needed: the slot was empty);
 *                        prot may include PMAP_NOCACHE for device memory
 *   pmap_kremove(va, len)  unmap kernel pages and flush them from every
 *                        CPU's TLB (a shoot-down cross-call; call it at
 *                        IPL_NONE once other CPUs run)
 *   pmap_extract(va, &pa)  physical address behind a kernel VA
 *
 * User address spaces: one pmap each (the page tables of its lower
 * half; the kernel half is shared by all).  The VM layer (vm_map.c)
 * owns the pages; a pmap only records where they are mapped.
 *
 *   pmap_create()        an empty user pmap (NULL: out of memory)
 *   pmap_destroy(pm)     free it; nothing may be mapped any more
 *   pmap_enter(pm, va, pa, prot)  map one user page (replacing any
 *                        old mapping); ENOMEM if a page table cannot
 *                        be allocated
 *   pmap_remove(pm, sva, eva, freefn)  unmap [sva, eva), flush the TLBs
 *                        of every CPU using pm, and only then hand
 *                        each page that was mapped to freefn (if not NULL)
 *   pmap_protect(pm, sva, eva, prot)  change the rights of what is
 *                        mapped in [sva, eva) (and flush)
 *   pmap_user_extract(pm, va, &pa)  the page behind a user VA
 *   pmap_user_next(pm, &va, eva, &pa)  the first page mapped in
 *                        [va, eva): its address in va, the page in pa;
 *                        false if none.  What it costs is what is
 *                        mapped, not the size of the range (fork)
 *   pmap_activate(pm)    load pm (NULL: the kernel's tables) on this
 *                        CPU, if not loaded already; IPL_SCHED or
 *                        preemption disabled
 */
#ifndef _SYS_PMAP_H_
#define _SYS_PMAP_H_

#include <sys/types.h>
#include <machine/pmap.h>

#define VM_PROT_NONE	0x0
#define VM_PROT_READ	0x1
#define VM_PROT_WRITE	0x2
#define VM_PROT_EXECUTE	0x4
#define PMAP_NOCACHE	0x100		/* uncached: device registers */

void	pmap_kenter_pa(vaddr_t, paddr_t, int);
void	pmap_kremove(vaddr_t, vsize_t);
bool	pmap_extract(vaddr_t, paddr_t *);

typedef struct pmap *pmap_t;
pmap_t	pmap_create(void);
void	pmap_destroy(pmap_t);
int	pmap_enter(pmap_t, vaddr_t, paddr_t, int);
void	pmap_remove(pmap_t, vaddr_t, vaddr_t, void (*)(paddr_t));
void	pmap_protect(pmap_t, vaddr_t, vaddr_t, int);
bool	pmap_user_extract(pmap_t, vaddr_t, paddr_t *);
bool	pmap_user_next(pmap_t, vaddr_t *, vaddr_t, paddr_t *);
void	pmap_activate(pmap_t);

#endif /* !_SYS_PMAP_H_ */
