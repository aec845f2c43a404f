/*
 * vm_map.c: user address spaces: regions, demand-zero faults, fork.
 *
 * sys/vmspace.h describes the structures and the lock order.  The
 * functions that change the region list (vm_map_find, vm_map_enter,
 * vm_map_remove, vm_map_protect) expect the caller to hold vm_lock, so
 * that a system call can look for space and fill it atomically; the
 * others take it themselves.
 *
 * Every range operation first splits the regions at the range's ends
 * (vm_region_clip), so it then works on whole regions only.
 */
#include <sys/systm.h>
#include <sys/intr.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include <sys/vm_page.h>
#include <sys/vmspace.h>
#include <machine/vmparam.h>

static void
vm_page_free1(paddr_t pa)
{
	vm_page_free(pa, 1);
}

static int	vm_map_enter1(struct vmspace *, vaddr_t, vsize_t, int, int,
		    struct vm_amap *, size_t);

/* ---- shared anonymous memory ------------------------------------------ */

static struct vm_amap *
vm_amap_alloc(size_t npages)
{
	struct vm_amap *am = kmem_zalloc(sizeof(*am), KM_SLEEP);

	if (am == NULL)
		return NULL;
	if ((am->am_pages = kmem_zalloc(npages * sizeof(paddr_t),
	    KM_SLEEP)) == NULL) {
		kmem_free(am, sizeof(*am));
		return NULL;
	}
	mutex_init(&am->am_lock, MUTEX_DEFAULT, IPL_NONE, "am_lock");
	am->am_ref = 1;
	am->am_npages = npages;
	return am;
}

/* One more reference to am (a region, or the kernel, keeps its pages). */
void
vm_amap_ref(struct vm_amap *am)
{
	mutex_enter(&am->am_lock);
	am->am_ref++;
	mutex_exit(&am->am_lock);
}

/* Drop a reference; the last one frees the pages. */
static void
vm_amap_unref(struct vm_amap *am)
{
	u_int ref;

	mutex_enter(&am->am_lock);
	ref = --am->am_ref;
	mutex_exit(&am->am_lock);
	if (ref > 0)
		return;
	for (size_t i = 0; i < am->am_npages; i++)
		if (am->am_pages[i] != 0)
			vm_page_free(am->am_pages[i], 1);
	kmem_free(am->am_pages, am->am_npages * sizeof(paddr_t));
	mutex_destroy(&am->am_lock);
	kmem_free(am, sizeof(*am));
}

/*
 * Page `idx` of am, allocated (zeroed) if nobody touched it yet: how
 * the kernel reaches memory it shares with a program (the lwpctl
 * area, through the direct map).  VM_PAGE_NONE if memory ran out.
 */
paddr_t
vm_amap_page(struct vm_amap *am, size_t idx)
{
	paddr_t pa;

	KASSERT(idx < am->am_npages);
	mutex_enter(&am->am_lock);
	if ((pa = am->am_pages[idx]) == 0 &&
	    (pa = vm_page_alloc(1, VM_PAGE_ZERO)) != VM_PAGE_NONE)
		am->am_pages[idx] = pa;
	mutex_exit(&am->am_lock);
	return pa;
}

/*
 * An amap of `npages` physically contiguous pages, allocated (zeroed)
 * now rather than on the first fault, with one reference for the
 * caller: memory the kernel writes at any moment, where it may not
 * sleep or fault, through the direct map at *pap (kcov's buffer,
 * subr_kcov.c), and that programs map (vm_map_enter_amap).  NULL if
 * there is no such run of free pages.
 */
struct vm_amap *
vm_amap_wired(size_t npages, paddr_t *pap)
{
	struct vm_amap *am;
	paddr_t pa;

	if ((pa = vm_page_alloc(npages, VM_PAGE_ZERO)) == VM_PAGE_NONE)
		return NULL;
	if ((am = vm_amap_alloc(npages)) == NULL) {
		vm_page_free(pa, npages);
		return NULL;
	}
	for (size_t i = 0; i < npages; i++)
		am->am_pages[i] = pa + ptoa(i);
	*pap = pa;
	return am;
}

/* The caller's own reference (vm_map_kshared, vm_amap_wired,
 * vm_amap_ref) goes. */
void
vm_amap_release(struct vm_amap *am)
{
	vm_amap_unref(am);
}

/* ---- regions ------------------------------------------------------------ */

static struct vm_region *
vm_region_lookup(struct vmspace *vm, vaddr_t va)
{
	struct vm_region *r;

	TAILQ_FOREACH(r, &vm->vm_regions, vr_entry) {
		if (va < r->vr_start)
			break;
		if (va < r->vr_end)
			return r;
	}
	return NULL;
}

/* Split r at va (inside it): r keeps [start, va), a new region gets
 * [va, end).  Returns the new one, or NULL if out of memory. */
static struct vm_region *
vm_region_split(struct vm_region *r, struct vmspace *vm, vaddr_t va)
{
	struct vm_region *n = kmem_alloc(sizeof(*n), KM_SLEEP);

	if (n == NULL)
		return NULL;
	*n = *r;
	n->vr_start = va;
	r->vr_end = va;
	if (n->vr_amap != NULL) {
		n->vr_amapoff += atop(va - r->vr_start);
		vm_amap_ref(n->vr_amap);
	}
	TAILQ_INSERT_AFTER(&vm->vm_regions, r, n, vr_entry);
	return n;
}

/* Make sure no region straddles sva or eva. */
static int
vm_region_clip(struct vmspace *vm, vaddr_t sva, vaddr_t eva)
{
	struct vm_region *r;

	if ((r = vm_region_lookup(vm, sva)) != NULL && r->vr_start < sva &&
	    vm_region_split(r, vm, sva) == NULL)
		return ENOMEM;
	if ((r = vm_region_lookup(vm, eva)) != NULL && r->vr_start < eva &&
	    vm_region_split(r, vm, eva) == NULL)
		return ENOMEM;
	return 0;
}

/* Unmap and free r's pages, and r itself. */
static void
vm_region_free(struct vmspace *vm, struct vm_region *r)
{
	TAILQ_REMOVE(&vm->vm_regions, r, vr_entry);
	pmap_remove(vm->vm_pmap, r->vr_start, r->vr_end,
	    r->vr_amap != NULL ? NULL : vm_page_free1);
	if (r->vr_amap != NULL)
		vm_amap_unref(r->vr_amap);
	kmem_free(r, sizeof(*r));
}

/* ---- the address space ---------------------------------------------------- */

struct vmspace *
vmspace_alloc(void)
{
	struct vmspace *vm = kmem_zalloc(sizeof(*vm), KM_SLEEP);

	if (vm == NULL)
		return NULL;
	if ((vm->vm_pmap = pmap_create()) == NULL) {
		kmem_free(vm, sizeof(*vm));
		return NULL;
	}
	mutex_init(&vm->vm_lock, MUTEX_DEFAULT, IPL_NONE, "vm_lock");
	TAILQ_INIT(&vm->vm_regions);
	return vm;
}

/* Free everything.  No CPU may have the pmap loaded any more. */
void
vmspace_free(struct vmspace *vm)
{
	struct vm_region *r;

	mutex_enter(&vm->vm_lock);
	while ((r = TAILQ_FIRST(&vm->vm_regions)) != NULL)
		vm_region_free(vm, r);
	mutex_exit(&vm->vm_lock);
	pmap_destroy(vm->vm_pmap);
	mutex_destroy(&vm->vm_lock);
	kmem_free(vm, sizeof(*vm));
}

/* Copy r's resident private pages from vm1 into vm2 (fork): page by
 * resident page, never by every page of the region, which may be huge
 * and nearly empty (demand-zero). */
static int
vm_region_copy(struct vmspace *vm1, struct vmspace *vm2,
    const struct vm_region *r)
{
	paddr_t pa, npa;
	vaddr_t va;
	int error;

	for (va = r->vr_start; pmap_user_next(vm1->vm_pmap, &va, r->vr_end,
	    &pa); va += PAGE_SIZE) {
		if ((npa = vm_page_alloc(1, 0)) == VM_PAGE_NONE)
			return ENOMEM;
		memcpy(pmap_direct_va(npa), pmap_direct_va(pa), PAGE_SIZE);
		if ((error = pmap_enter(vm2->vm_pmap, va, npa,
		    r->vr_prot)) != 0) {
			vm_page_free(npa, 1);
			return error;
		}
	}
	return 0;
}

/*
 * The child's copy of vm1 (fork): the same regions; private pages
 * copied, shared ones shared (the child faults them in from the amap).
 * NULL if memory ran out.
 */
struct vmspace *
vmspace_fork(struct vmspace *vm1)
{
	struct vmspace *vm2 = vmspace_alloc();
	struct vm_region *r, *n;
	int error = 0;

	if (vm2 == NULL)
		return NULL;
	mutex_enter(&vm1->vm_lock);
	vm2->vm_daddr = vm1->vm_daddr;
	vm2->vm_dend = vm1->vm_dend;
	TAILQ_FOREACH(r, &vm1->vm_regions, vr_entry) {
		if ((n = kmem_alloc(sizeof(*n), KM_SLEEP)) == NULL) {
			error = ENOMEM;
			break;
		}
		if (r->vr_flags & VR_NOINHERIT) {
			kmem_free(n, sizeof(*n));
			continue;
		}
		*n = *r;
		TAILQ_INSERT_TAIL(&vm2->vm_regions, n, vr_entry);
		if (n->vr_amap != NULL)
			vm_amap_ref(n->vr_amap);
		else if ((error = vm_region_copy(vm1, vm2, r)) != 0)
			break;
	}
	mutex_exit(&vm1->vm_lock);
	if (error != 0) {
		vmspace_free(vm2);
		return NULL;
	}
	return vm2;
}

/*
 * Find len bytes of free address space at or above `hint` (or
 * VM_MMAP_BASE), first fit, below the stack.  vm_lock held.
 */
int
vm_map_find(struct vmspace *vm, vaddr_t hint, vsize_t len, vaddr_t *vap)
{
	struct vm_region *r;
	vaddr_t va = hint != 0 ? round_page(hint) : VM_MMAP_BASE;

	KASSERT(mutex_owned(&vm->vm_lock));
	TAILQ_FOREACH(r, &vm->vm_regions, vr_entry) {
		if (r->vr_end <= va)
			continue;
		if (r->vr_start >= va && r->vr_start - va >= len)
			break;
		va = r->vr_end;
	}
	if (va + len < va || va + len > VM_MAXUSER_ADDRESS)
		return ENOMEM;
	*vap = va;
	return 0;
}

/*
 * Add [va, va+len) as a region with `prot` and VR_* `flags`; nothing
 * may be mapped there.  A private region right after another with the
 * same rights extends it (so the break grows as one region).
 * vm_lock held.  0 or ENOMEM.
 */
int
vm_map_enter(struct vmspace *vm, vaddr_t va, vsize_t len, int prot,
    int flags)
{
	return vm_map_enter1(vm, va, len, prot, flags, NULL, 0);
}

/*
 * The same for pages that already exist: a shared region of `am`'s
 * pages from page `amoff` on (which must hold len bytes), taking over
 * the caller's reference to am if it succeeds (mmap of /dev/kcov).
 * vm_lock held.  0 or ENOMEM.
 */
int
vm_map_enter_amap(struct vmspace *vm, vaddr_t va, vsize_t len, int prot,
    struct vm_amap *am, size_t amoff)
{
	KASSERT(amoff + atop(len) <= am->am_npages);
	return vm_map_enter1(vm, va, len, prot, VR_SHARED, am, amoff);
}

static int
vm_map_enter1(struct vmspace *vm, vaddr_t va, vsize_t len, int prot,
    int flags, struct vm_amap *am, size_t amoff)
{
	struct vm_region *r, *prev = NULL;

	KASSERT(mutex_owned(&vm->vm_lock));
	KASSERT(va % PAGE_SIZE == 0 && len % PAGE_SIZE == 0 && len > 0);
	if (va < VM_MIN_ADDRESS || va + len < va ||
	    va + len > VM_MAXUSER_ADDRESS)
		return ENOMEM;
	TAILQ_FOREACH(r, &vm->vm_regions, vr_entry) {
		if (r->vr_start >= va + len)
			break;
		if (r->vr_end > va)
			return ENOMEM;		/* overlap */
		prev = r;
	}
	if (prev != NULL && prev->vr_end == va && prev->vr_prot == prot &&
	    prev->vr_flags == flags && flags == 0) {
		prev->vr_end = va + len;
		return 0;
	}
	if ((r = kmem_zalloc(sizeof(*r), KM_SLEEP)) == NULL)
		return ENOMEM;
	r->vr_start = va;
	r->vr_end = va + len;
	r->vr_prot = prot;
	r->vr_flags = flags;
	r->vr_amap = am;
	r->vr_amapoff = amoff;
	if ((flags & VR_SHARED) && am == NULL &&
	    (r->vr_amap = vm_amap_alloc(atop(len))) == NULL) {
		kmem_free(r, sizeof(*r));
		return ENOMEM;
	}
	if (prev != NULL)
		TAILQ_INSERT_AFTER(&vm->vm_regions, prev, r, vr_entry);
	else
		TAILQ_INSERT_HEAD(&vm->vm_regions, r, vr_entry);
	return 0;
}

/*
 * Memory the kernel shares with the program (the lwpctl area): `len`
 * bytes at a free address, shared, read/write, not inherited by fork.
 * *amp is its amap with a reference for the caller, so the pages stay
 * while the kernel uses them even if the program unmaps the region
 * (vm_amap_release drops it).  vm_lock not held.  0 or ENOMEM.
 */
int
vm_map_kshared(struct vmspace *vm, vsize_t len, vaddr_t *vap,
    struct vm_amap **amp)
{
	struct vm_region *r;
	vaddr_t va;
	int error;

	len = round_page(len);
	mutex_enter(&vm->vm_lock);
	if ((error = vm_map_find(vm, 0, len, &va)) == 0 &&
	    (error = vm_map_enter(vm, va, len, VM_PROT_READ | VM_PROT_WRITE,
	    VR_SHARED | VR_NOINHERIT)) == 0) {
		r = vm_region_lookup(vm, va);
		vm_amap_ref(r->vr_amap);
		*amp = r->vr_amap;
		*vap = va;
	}
	mutex_exit(&vm->vm_lock);
	return error;
}

/* Remove whatever is mapped in [sva, eva) (page-aligned).  vm_lock
 * held. */
void
vm_map_remove(struct vmspace *vm, vaddr_t sva, vaddr_t eva)
{
	struct vm_region *r, *next;

	KASSERT(mutex_owned(&vm->vm_lock));
	if (vm_region_clip(vm, sva, eva) != 0) {
		/* No memory to split: unmap the pages, keep the region. */
		pmap_remove(vm->vm_pmap, sva, eva, NULL);
		return;
	}
	for (r = TAILQ_FIRST(&vm->vm_regions); r != NULL; r = next) {
		next = TAILQ_NEXT(r, vr_entry);
		if (r->vr_start >= eva)
			break;
		if (r->vr_start >= sva)
			vm_region_free(vm, r);
	}
}

/*
 * Change the protection of [sva, eva), which must be mapped throughout
 * (ENOMEM otherwise, as NetBSD says).  vm_lock held.
 */
int
vm_map_protect(struct vmspace *vm, vaddr_t sva, vaddr_t eva, int prot)
{
	struct vm_region *r;
	vaddr_t va = sva;
	int error;

	KASSERT(mutex_owned(&vm->vm_lock));
	for (r = vm_region_lookup(vm, sva); r != NULL && va < eva;
	    r = TAILQ_NEXT(r, vr_entry)) {
		if (r->vr_start > va)
			break;
		va = r->vr_end;
	}
	if (va < eva)
		return ENOMEM;
	if ((error = vm_region_clip(vm, sva, eva)) != 0)
		return error;
	for (r = vm_region_lookup(vm, sva); r != NULL && r->vr_start < eva;
	    r = TAILQ_NEXT(r, vr_entry))
		r->vr_prot = prot;
	pmap_protect(vm->vm_pmap, sva, eva, prot);
	return 0;
}

/*
 * Make the page at va resident in r (allocating a zeroed one if it is
 * new) and mapped with r's rights.  vm_lock held.
 */
static int
vm_region_fault(struct vmspace *vm, struct vm_region *r, vaddr_t va)
{
	paddr_t pa, *slot = NULL;
	int error;

	KASSERT(mutex_owned(&vm->vm_lock));
	va = trunc_page(va);
	if (pmap_user_extract(vm->vm_pmap, va, &pa))
		return 0;	/* another LWP was first, or a stale TLB */
	if (r->vr_amap != NULL) {
		mutex_enter(&r->vr_amap->am_lock);
		slot = &r->vr_amap->am_pages[r->vr_amapoff +
		    atop(va - r->vr_start)];
		if ((pa = *slot) == 0 &&
		    (pa = vm_page_alloc(1, VM_PAGE_ZERO)) != VM_PAGE_NONE)
			*slot = pa;
		mutex_exit(&r->vr_amap->am_lock);
	} else
		pa = vm_page_alloc(1, VM_PAGE_ZERO);
	if (pa == VM_PAGE_NONE)
		return ENOMEM;
	if ((error = pmap_enter(vm->vm_pmap, va, pa, r->vr_prot)) != 0) {
		if (slot == NULL)
			vm_page_free(pa, 1);
		return error;
	}
	vm->vm_nfaults++;
	return 0;
}

/*
 * A fault at va asking for `access` (one VM_PROT_* bit): map the page
 * if the region allows it.  0, or EFAULT (nothing there), EACCES (the
 * region forbids it) or ENOMEM.  (The machine's page tables cannot
 * refuse reads of a mapped page, so any protection but PROT_NONE allows
 * reading: arch/x86_64/pmap.c.)
 */
int
vm_fault(struct vmspace *vm, vaddr_t va, int access)
{
	struct vm_region *r;
	int error;

	mutex_enter(&vm->vm_lock);
	if ((r = vm_region_lookup(vm, va)) == NULL)
		error = EFAULT;
	else if (r->vr_prot == VM_PROT_NONE ||
	    (access != VM_PROT_READ && !(r->vr_prot & access)))
		error = EACCES;
	else
		error = vm_region_fault(vm, r, va);
	mutex_exit(&vm->vm_lock);
	return error;
}

/*
 * Copy len bytes from the kernel's src (NULL: leave the zeroes) to va
 * in vm, whatever the protection: how exec fills a new program's
 * segments and stack before that address space is ever loaded.
 */
int
vm_map_write(struct vmspace *vm, vaddr_t va, const void *src, size_t len)
{
	struct vm_region *r;
	paddr_t pa;
	size_t n;
	int error = 0;

	mutex_enter(&vm->vm_lock);
	while (len > 0 && error == 0) {
		n = MIN(len, PAGE_SIZE - (va & PAGE_MASK));
		if ((r = vm_region_lookup(vm, va)) == NULL)
			error = EFAULT;
		else if ((error = vm_region_fault(vm, r, va)) == 0 &&
		    src != NULL) {
			if (!pmap_user_extract(vm->vm_pmap, va, &pa))
				panic("vm_map_write: %#lx vanished", va);
			memcpy(pmap_direct_va(pa), src, n);
			src = (const char *)src + n;
		}
		va += n;
		len -= n;
	}
	mutex_exit(&vm->vm_lock);
	return error;
}

/*
 * Does [va, va+len) lie wholly inside regions that allow `prot`?
 * (Resident or not.)  For system calls that fill a user buffer
 * piecemeal (read, getdents): a bad buffer is refused with EFAULT
 * before anything is consumed, rather than after.
 */
bool
vm_map_checkprot(struct vmspace *vm, vaddr_t va, size_t len, int prot)
{
	struct vm_region *r;
	vaddr_t end = va + len;
	bool ok = true;

	if (end < va || end > VM_MAXUSER_ADDRESS)
		return false;
	mutex_enter(&vm->vm_lock);
	while (va < end && ok) {
		r = vm_region_lookup(vm, va);
		ok = r != NULL && (r->vr_prot & prot) == prot;
		if (ok)
			va = r->vr_end;
	}
	mutex_exit(&vm->vm_lock);
	return ok;
}
