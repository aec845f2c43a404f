/*
 * t_vm_page.c: ktests for the physical page allocator (vm_page.c) and
 * the segment arithmetic it is built on.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/kmem.h>
#include <sys/ktest.h>
#include <sys/pmap.h>
#include <sys/vm_page.h>

/* vm_physseg_exclude: holes at the start, middle, end, and whole. */
KTEST(vm_physseg_exclude)
{
	struct vm_physseg s[4] = {
		{ 0x100000, 0x200000 }, { 0x400000, 0x800000 },
	};
	int n = 2;

	vm_physseg_exclude(s, &n, 4, 0x500000, 0x600000);	/* middle */
	KT_EQ(n, 3);
	KT_EQ(s[1].vs_end, 0x500000);
	KT_EQ(s[2].vs_start, 0x600000);
	KT_EQ(s[2].vs_end, 0x800000);
	vm_physseg_exclude(s, &n, 4, 0x0, 0x100800);		/* start, rounds */
	KT_EQ(s[0].vs_start, 0x101000);
	vm_physseg_exclude(s, &n, 4, 0x7ff001, 0x900000);	/* end */
	KT_EQ(s[2].vs_end, 0x7ff000);
	vm_physseg_exclude(s, &n, 4, 0x400000, 0x500000);	/* whole */
	KT_EQ(n, 2);
	KT_EQ(s[1].vs_start, 0x600000);
	vm_physseg_exclude(s, &n, 4, 0x650000, 0x650000);	/* empty */
	KT_EQ(n, 2);
	KT_EQ(s[1].vs_end, 0x7ff000);
}

KTEST(vm_page_alloc_free)
{
	struct vm_page_stats before, mid, after;
	paddr_t pa, run;

	vm_page_stats(&before);
	pa = vm_page_alloc(1, VM_PAGE_ZERO);
	KT_ASSERT(pa != VM_PAGE_NONE);
	KT_EQ(pa % PAGE_SIZE, 0);
	KT_ASSERT(!vm_page_is_free(pa));
	/* VM_PAGE_ZERO gave zeroes. */
	const uint64_t *w = pmap_direct_va(pa);
	for (int i = 0; i < PAGE_SIZE / 8; i++)
		KT_EQ(w[i], 0);

	run = vm_page_alloc(16, 0);
	KT_ASSERT(run != VM_PAGE_NONE);
	for (int i = 0; i < 16; i++)
		KT_ASSERT(!vm_page_is_free(run + ptoa(i)));
	KT_ASSERT(pa < run || pa >= run + ptoa(16));
	vm_page_stats(&mid);
	KT_EQ(mid.vps_free, before.vps_free - 17);

	vm_page_free(run, 16);
	vm_page_free(pa, 1);
	KT_ASSERT(vm_page_is_free(pa));
	vm_page_stats(&after);
	KT_EQ(after.vps_free, before.vps_free);
}

/* The kernel image, low memory and page 0 are never handed out. */
KTEST(vm_page_reserved_not_free)
{
	extern char kernel_text[], kernel_end[];

	KT_ASSERT(!vm_page_is_free(0));
	KT_ASSERT(!vm_page_is_free(0x9f000));
	for (vaddr_t va = (vaddr_t)kernel_text; va < (vaddr_t)kernel_end;
	    va += PAGE_SIZE)
		KT_ASSERT(!vm_page_is_free(va - KERNBASE));
}

/*
 * Exhaustion: take every page one by one until the allocator says no;
 * it must say no (not corrupt anything), have handed out exactly the
 * free count, and take them all back.
 */
KTEST(vm_page_exhaust)
{
	struct vm_page_stats before, empty, after;
	paddr_t pa, list = VM_PAGE_NONE;
	size_t n = 0;

	vm_page_stats(&before);
	/* Chain the pages through their first word. */
	while ((pa = vm_page_alloc(1, 0)) != VM_PAGE_NONE) {
		*(paddr_t *)pmap_direct_va(pa) = list;
		list = pa;
		n++;
	}
	vm_page_stats(&empty);
	KT_EQ(empty.vps_free, 0);
	KT_EQ(n, before.vps_free);
	KT_EQ(empty.vps_nfail, before.vps_nfail + 1);
	KT_ASSERT(vm_page_alloc(2, 0) == VM_PAGE_NONE);
	/* kmem reports failure too, rather than handing out junk. */
	KT_ASSERT(kmem_alloc(64 * 1024, KM_NOSLEEP) == NULL);

	while (list != VM_PAGE_NONE) {
		paddr_t next = *(paddr_t *)pmap_direct_va(list);
		vm_page_free(list, 1);
		list = next;
	}
	vm_page_stats(&after);
	KT_EQ(after.vps_free, before.vps_free);
	pa = vm_page_alloc(8, 0);
	KT_ASSERT(pa != VM_PAGE_NONE);
	vm_page_free(pa, 8);
}
