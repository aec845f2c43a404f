/*
 * sys/vm_page.h: the physical page allocator (vm_page.c).
 *
 * Physical memory is handed out in runs of whole pages, named by their
 * physical address; the kernel touches them through the direct map
 * (pmap_direct_va()).  Out of memory is a return value, never a panic.
 */
#ifndef _SYS_VM_PAGE_H_
#define _SYS_VM_PAGE_H_

#include <sys/types.h>

#define VM_PAGE_NONE	((paddr_t)-1)	/* allocation failed */

/* vm_page_alloc() flags */
#define VM_PAGE_ZERO	0x1		/* fill with zeroes */

/* A run of usable physical memory [vs_start, vs_end), page-aligned. */
struct vm_physseg {
	paddr_t		vs_start;
	paddr_t		vs_end;
};

struct vm_page_stats {
	size_t		vps_total;	/* pages managed */
	size_t		vps_free;	/* pages free now */
	size_t		vps_min_free;	/* low-water mark since boot */
	uint64_t	vps_nalloc;	/* successful allocations */
	uint64_t	vps_nfail;	/* failed allocations */
};

void	vm_physseg_exclude(struct vm_physseg *, int *, int, paddr_t, paddr_t);
void	vm_page_init(struct vm_physseg *, int);
paddr_t	vm_page_alloc(size_t npages, int flags);
void	vm_page_free(paddr_t, size_t npages);
void	vm_page_stats(struct vm_page_stats *);
bool	vm_page_is_free(paddr_t);
#ifdef KASAN
void	vm_page_foreach_free(void (*)(paddr_t, size_t));
#endif

#endif /* !_SYS_VM_PAGE_H_ */
