/*
 * vm_page.c: the physical page allocator.
 *
 * One bit per page frame from physical 0 up to the end of the highest
 * usable segment: set = allocated or not RAM, clear = free.  The bitmap
 * itself is carved out of the first usable segment large enough for it.
 * Allocation is first fit from a rotating hint (subr_bitmap.c), so runs
 * of contiguous pages come as easily as single pages.
 *
 * Locking: vm_page_lock (a spin mutex at IPL_VM) covers the bitmap, the
 * hint and the statistics.  Freeing a page that is not allocated is a
 * kernel bug and panics (double-free detection).
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/bitmap.h>
#include <sys/intr.h>
#include <sys/kasan.h>
#include <sys/mutex.h>
#include <sys/pmap.h>
#include <sys/vm_page.h>

static kmutex_t vm_page_lock = MUTEX_INITIALIZER("vm_page", IPL_VM);
static uint64_t *vm_page_bitmap;	/* (vm_page_lock) */
static size_t	vm_page_nbits;		/* (c) frames covered */
static size_t	vm_page_hint;		/* (vm_page_lock) next search start */
static struct vm_page_stats vm_page_st;	/* (vm_page_lock) */

/*
 * Remove [start, end) from the segment list segs[0..*nsegs), splitting a
 * segment if the hole is in its middle.  `max` is the array's capacity.
 * Bounds are rounded outwards to pages.
 */
void
vm_physseg_exclude(struct vm_physseg *segs, int *nsegs, int max,
    paddr_t start, paddr_t end)
{
	start = trunc_page(start);
	end = round_page(end);
	if (start >= end)
		return;			/* nothing to take out */
	for (int i = 0; i < *nsegs; i++) {
		struct vm_physseg *s = &segs[i];

		if (end <= s->vs_start || start >= s->vs_end)
			continue;
		if (start > s->vs_start && end < s->vs_end) {
			/* Hole in the middle: split in two. */
			KASSERTMSG(*nsegs < max, "vm_physseg_exclude: full");
			memmove(&segs[i + 2], &segs[i + 1],
			    (*nsegs - i - 1) * sizeof(*segs));
			segs[i + 1].vs_start = end;
			segs[i + 1].vs_end = s->vs_end;
			s->vs_end = start;
			(*nsegs)++;
			i++;
		} else if (start <= s->vs_start && end >= s->vs_end) {
			memmove(s, s + 1, (*nsegs - i - 1) * sizeof(*segs));
			(*nsegs)--;
			i--;
		} else if (start <= s->vs_start)
			s->vs_start = end;
		else
			s->vs_end = start;
	}
}

/* Take over the usable segments.  Called once, before any allocation. */
void
vm_page_init(struct vm_physseg *segs, int nsegs)
{
	size_t bytes;
	paddr_t top = 0;
	int i;

	for (i = 0; i < nsegs; i++) {
		KASSERT(segs[i].vs_start % PAGE_SIZE == 0);
		KASSERT(segs[i].vs_end % PAGE_SIZE == 0);
		top = MAX(top, segs[i].vs_end);
	}
	vm_page_nbits = atop(top);
	bytes = round_page(BITMAP_WORDS(vm_page_nbits) * sizeof(uint64_t));

	/* Steal the bitmap from the first segment that holds it. */
	for (i = 0; i < nsegs; i++)
		if (segs[i].vs_end - segs[i].vs_start >= bytes)
			break;
	if (i == nsegs)
		panic("vm_page_init: no segment can hold a %zu-byte bitmap",
		    bytes);
	vm_page_bitmap = pmap_direct_va(segs[i].vs_start);
	segs[i].vs_start += bytes;

	memset(vm_page_bitmap, 0xff, bytes);
	for (i = 0; i < nsegs; i++) {
		size_t n = atop(segs[i].vs_end - segs[i].vs_start);

		bitmap_clear_range(vm_page_bitmap, atop(segs[i].vs_start), n);
		vm_page_st.vps_total += n;
	}
	vm_page_st.vps_free = vm_page_st.vps_min_free = vm_page_st.vps_total;
	/* Leave low memory (DMA, AP trampoline) for last. */
	vm_page_hint = atop(16UL * 1024 * 1024);
}

/*
 * Allocate `npages` physically contiguous pages.  Returns the physical
 * address of the first, or VM_PAGE_NONE when no such run is free.
 */
paddr_t
vm_page_alloc(size_t npages, int flags)
{
	size_t idx;

	KASSERT(npages > 0);
	mutex_spin_enter(&vm_page_lock);
	idx = bitmap_find_clear_run(vm_page_bitmap, vm_page_nbits,
	    vm_page_hint, npages);
	if (idx == BITMAP_NONE) {
		vm_page_st.vps_nfail++;
		mutex_spin_exit(&vm_page_lock);
		return VM_PAGE_NONE;
	}
	bitmap_set_range(vm_page_bitmap, idx, npages);
	vm_page_hint = idx + npages;
	vm_page_st.vps_free -= npages;
	vm_page_st.vps_min_free = MIN(vm_page_st.vps_min_free,
	    vm_page_st.vps_free);
	vm_page_st.vps_nalloc++;
	mutex_spin_exit(&vm_page_lock);

	kasan_pages_alloc(ptoa(idx), npages);
	if (flags & VM_PAGE_ZERO)
		memset(pmap_direct_va(ptoa(idx)), 0, ptoa(npages));
	return ptoa(idx);
}

void
vm_page_free(paddr_t pa, size_t npages)
{
	size_t idx = atop(pa);

	KASSERTMSG(pa % PAGE_SIZE == 0, "vm_page_free: unaligned %#lx", pa);
	mutex_spin_enter(&vm_page_lock);
	if (idx + npages > vm_page_nbits ||
	    !bitmap_range_is_set(vm_page_bitmap, idx, npages))
		panic("vm_page_free: %#lx+%zu pages not allocated "
		    "(double free?)", pa, npages);
	kasan_pages_free(pa, npages);
	bitmap_clear_range(vm_page_bitmap, idx, npages);
	vm_page_st.vps_free += npages;
	mutex_spin_exit(&vm_page_lock);
}

bool
vm_page_is_free(paddr_t pa)
{
	size_t idx = atop(pa);
	bool free;

	mutex_spin_enter(&vm_page_lock);
	free = idx < vm_page_nbits && !bitmap_test(vm_page_bitmap, idx);
	mutex_spin_exit(&vm_page_lock);
	return free;
}

void
vm_page_stats(struct vm_page_stats *st)
{
	mutex_spin_enter(&vm_page_lock);
	*st = vm_page_st;
	mutex_spin_exit(&vm_page_lock);
}

#ifdef KASAN
/* Call fn(pa, npages) for each run of free pages (kasan_init). */
void
vm_page_foreach_free(void (*fn)(paddr_t, size_t))
{
	size_t i = 0, n;

	mutex_spin_enter(&vm_page_lock);
	while (i < vm_page_nbits) {
		for (n = 0; i + n < vm_page_nbits &&
		    !bitmap_test(vm_page_bitmap, i + n); n++)
			continue;
		if (n > 0)
			fn(ptoa(i), n);
		i += n + 1;
	}
	mutex_spin_exit(&vm_page_lock);
}
#endif
