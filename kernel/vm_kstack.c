/*
 * vm_kstack.c: kernel stacks with guard pages (see sys/kstack.h).
 *
 * Stacks live in slots in the kernel VA region: slot i covers
 * [KSTACK_AREA + i * KSTACK_SLOT, + KSTACK_SLOT), whose first page is
 * the guard (never mapped) and the rest the stack, mapped page by page
 * from vm_page.  A bitmap records which slots are in use.
 *
 * A freed stack goes to a small cache first, still mapped: the next
 * kstack_alloc takes it from there.  Unmapping costs a TLB shoot-down
 * on every CPU, which LWP create/exit loops would otherwise pay each
 * time (NetBSD caches its LWPs' stacks for the same reason).
 *
 * Locking: kstack_lock (spin, IPL_VM) covers the bitmap, the count and
 * the cache; the mapping itself is pmap's business.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/bitmap.h>
#include <sys/intr.h>
#include <sys/kasan.h>
#include <sys/kstack.h>
#include <sys/mutex.h>
#include <sys/pmap.h>
#include <sys/vm_page.h>

#define KSTACK_AREA	(KVA_BASE + 0x100000000UL)	/* 4 GiB in */
#define KSTACK_SLOT	(KSTACK_SIZE + PAGE_SIZE)
#define KSTACK_NSLOTS	4096

static kmutex_t kstack_lock = MUTEX_INITIALIZER("kstack", IPL_VM);
static uint64_t kstack_slots[BITMAP_WORDS(KSTACK_NSLOTS)]; /* (kstack_lock) */
static size_t	kstack_nused;				/* (kstack_lock) */
#define KSTACK_NCACHE	32
static void	kstack_release(vaddr_t);
static vaddr_t	kstack_cache[KSTACK_NCACHE];	/* (kstack_lock) mapped, free */
static int	kstack_ncached;				/* (kstack_lock) */

vaddr_t
kstack_alloc(void)
{
	size_t slot;
	vaddr_t base;
	paddr_t pa[KSTACK_PAGES];
	int i;

	mutex_spin_enter(&kstack_lock);
	if (kstack_ncached > 0) {
		base = kstack_cache[--kstack_ncached];
		kstack_nused++;
		mutex_spin_exit(&kstack_lock);
		kasan_kstack_alloc(base);
		return base;
	}
	mutex_spin_exit(&kstack_lock);

	for (i = 0; i < KSTACK_PAGES; i++)
		if ((pa[i] = vm_page_alloc(1, 0)) == VM_PAGE_NONE) {
			while (i-- > 0)
				vm_page_free(pa[i], 1);
			return 0;
		}
	mutex_spin_enter(&kstack_lock);
	slot = bitmap_find_clear_run(kstack_slots, KSTACK_NSLOTS, 0, 1);
	if (slot != BITMAP_NONE) {
		bitmap_set_range(kstack_slots, slot, 1);
		kstack_nused++;
	}
	mutex_spin_exit(&kstack_lock);
	if (slot == BITMAP_NONE) {
		for (i = 0; i < KSTACK_PAGES; i++)
			vm_page_free(pa[i], 1);
		return 0;
	}
	base = KSTACK_AREA + slot * KSTACK_SLOT + PAGE_SIZE;
	for (i = 0; i < KSTACK_PAGES; i++)
		pmap_kenter_pa(base + ptoa(i), pa[i],
		    VM_PROT_READ | VM_PROT_WRITE);
	kasan_shadow_map(base - PAGE_SIZE, KSTACK_SLOT);	/* the guard too */
	kasan_kstack_alloc(base);
	return base;
}

void
kstack_free(vaddr_t base)
{
	size_t slot __unused = (base - PAGE_SIZE - KSTACK_AREA) / KSTACK_SLOT;

	KASSERTMSG(base > KSTACK_AREA && slot < KSTACK_NSLOTS &&
	    (base - PAGE_SIZE - KSTACK_AREA) % KSTACK_SLOT == 0,
	    "kstack_free: %#lx is not a kernel stack", base);
	kasan_kstack_free(base);
	mutex_spin_enter(&kstack_lock);
	KASSERT(bitmap_test(kstack_slots, slot));
	kstack_nused--;
	if (kstack_ncached < KSTACK_NCACHE) {
		kstack_cache[kstack_ncached++] = base;
		mutex_spin_exit(&kstack_lock);
		return;
	}
	mutex_spin_exit(&kstack_lock);
	kstack_release(base);
}

/* Give every cached stack back (unmapped, its pages freed). */
void
kstack_drain(void)
{
	vaddr_t base;

	for (;;) {
		mutex_spin_enter(&kstack_lock);
		if (kstack_ncached == 0) {
			mutex_spin_exit(&kstack_lock);
			return;
		}
		base = kstack_cache[--kstack_ncached];
		mutex_spin_exit(&kstack_lock);
		kstack_release(base);
	}
}

/* Unmap a stack nobody uses, free its pages and its slot. */
static void
kstack_release(vaddr_t base)
{
	size_t slot = (base - PAGE_SIZE - KSTACK_AREA) / KSTACK_SLOT;
	paddr_t pa[KSTACK_PAGES];

	for (int i = 0; i < KSTACK_PAGES; i++)
		if (!pmap_extract(base + ptoa(i), &pa[i]))
			panic("kstack_free: %#lx is not mapped", base);
	/* Unmap everywhere (TLB shoot-down) before the pages are reused. */
	pmap_kremove(base, KSTACK_SIZE);
	for (int i = 0; i < KSTACK_PAGES; i++)
		vm_page_free(pa[i], 1);
	mutex_spin_enter(&kstack_lock);
	KASSERT(bitmap_test(kstack_slots, slot));
	bitmap_clear_range(kstack_slots, slot, 1);
	mutex_spin_exit(&kstack_lock);
}

/* Is va in the guard page of a stack that is in use? */
bool
kstack_is_guard(vaddr_t va)
{
	size_t slot;

	if (va < KSTACK_AREA || va >= KSTACK_AREA + KSTACK_NSLOTS * KSTACK_SLOT)
		return false;
	slot = (va - KSTACK_AREA) / KSTACK_SLOT;
	return (va - KSTACK_AREA) % KSTACK_SLOT < PAGE_SIZE &&
	    bitmap_test(kstack_slots, slot);
}

size_t
kstack_count(void)
{
	return kstack_nused;
}
