/*
 * sys/pmap.h: the machine-independent face of the pmap (page tables).
 *
 * The arch layer (arch/x86_64/pmap.c) implements these.  Kernel-only
 * for now; per-process pmaps come with user space.
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
 */
#ifndef _SYS_PMAP_H_
#define _SYS_PMAP_H_

#include <sys/types.h>
#include <machine/pmap.h>

#define VM_PROT_READ	0x1
#define VM_PROT_WRITE	0x2
#define VM_PROT_EXECUTE	0x4
#define PMAP_NOCACHE	0x100		/* uncached: device registers */

void	pmap_kenter_pa(vaddr_t, paddr_t, int);
void	pmap_kremove(vaddr_t, vsize_t);
bool	pmap_extract(vaddr_t, paddr_t *);

#endif /* !_SYS_PMAP_H_ */
