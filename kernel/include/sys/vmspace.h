/*
 * sys/vmspace.h: user address spaces (vm_map.c).
 *
 * A vmspace is a sorted list of regions (vm_region), each a range of
 * pages with one protection, plus the pmap that maps whatever of them
 * has been touched.  All user memory is anonymous and demand-zero: a
 * page is allocated on the first fault (vm_fault); but for kcov's
 * buffer (vm_amap_wired), whose pages exist before any mapping does.
 * A region is either
 *
 *   private  its pages belong to this vmspace alone; fork copies them
 *            (eagerly: no copy-on-write), munmap frees them.  The pmap
 *            is the record of which pages exist.
 *   shared   (MAP_SHARED) its pages live in a vm_amap, reference-
 *            counted, which fork shares with the child; a page is
 *            freed when the last region using the amap goes.
 *
 * Lock order: vm_lock -> am_lock -> the pmap's pm_lock -> vm_page_lock.
 * Lock legend: v = vm_lock, a = am_lock, ( = constant.
 */
#ifndef _SYS_VMSPACE_H_
#define _SYS_VMSPACE_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/pmap.h>
#include <sys/queue.h>

struct vm_amap {
	kmutex_t	am_lock;	/* adaptive: covers am_pages */
	u_int		am_ref;		/* a: regions using it */
	size_t		am_npages;	/* ( */
	paddr_t		*am_pages;	/* a: the pages, 0 = not yet touched */
};

struct vm_region {
	TAILQ_ENTRY(vm_region) vr_entry; /* v: in vm_regions, by address */
	vaddr_t		vr_start;	/* v: first byte */
	vaddr_t		vr_end;		/* v: one past the last */
	int		vr_prot;	/* v: VM_PROT_* */
	int		vr_flags;	/* v: VR_* */
	struct vm_amap	*vr_amap;	/* v: shared pages, or NULL */
	size_t		vr_amapoff;	/* v: page index of vr_start there */
};

/* vr_flags */
#define VR_SHARED	0x01	/* MAP_SHARED: pages in vr_amap */
#define VR_STACK	0x02	/* the user stack */
#define VR_GUARD	0x04	/* the stack's guard page (PROT_NONE) */
#define VR_NOINHERIT	0x08	/* fork leaves it out (lwpctl area) */

struct vmspace {
	kmutex_t	vm_lock;	/* adaptive: covers the regions */
	TAILQ_HEAD(, vm_region) vm_regions; /* v */
	pmap_t		vm_pmap;	/* (: its page tables */
	vaddr_t		vm_daddr;	/* v: where the break (heap) starts */
	vaddr_t		vm_dend;	/* v: the current break */
	size_t		vm_nfaults;	/* v: pages faulted in (ru_minflt) */
};

struct vmspace *vmspace_alloc(void);
void	vmspace_free(struct vmspace *);
struct vmspace *vmspace_fork(struct vmspace *);
int	vm_map_find(struct vmspace *, vaddr_t, vsize_t, vaddr_t *);
int	vm_map_enter(struct vmspace *, vaddr_t, vsize_t, int, int);
void	vm_map_remove(struct vmspace *, vaddr_t, vaddr_t);
int	vm_map_protect(struct vmspace *, vaddr_t, vaddr_t, int);
int	vm_map_write(struct vmspace *, vaddr_t, const void *, size_t);
int	vm_fault(struct vmspace *, vaddr_t, int);
bool	vm_map_checkprot(struct vmspace *, vaddr_t, size_t, int);
int	vm_map_enter_amap(struct vmspace *, vaddr_t, vsize_t, int,
	    struct vm_amap *, size_t);
int	vm_map_kshared(struct vmspace *, vsize_t, vaddr_t *, struct vm_amap **);
paddr_t	vm_amap_page(struct vm_amap *, size_t);
struct vm_amap *vm_amap_wired(size_t, paddr_t *);
void	vm_amap_ref(struct vm_amap *);
void	vm_amap_release(struct vm_amap *);

#endif /* !_SYS_VMSPACE_H_ */
