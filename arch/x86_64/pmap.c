/*
 * pmap.c: the kernel's page tables, and each user process's (the
 * second half of this file).
 *
 * pmap_bootstrap() replaces locore's boot tables with the final ones:
 *
 *   PML4 slot 256..  PMAP_DIRECT_BASE: every physical page up to the top
 *                    of RAM, 1 GiB (or 2 MiB) pages, RW, NX, global.
 *   PML4 slot 510    KVA_BASE: kernel VA mapped page by page on demand
 *                    (pmap_kenter_pa), e.g. kernel stacks with guards.
 *   PML4 slot 511    KERNBASE: the kernel image in 4 KiB pages, each
 *                    section with its own rights: text R-X, rodata and
 *                    the symbol table R--, data/bss RW-, and the guard
 *                    page under each boot stack left unmapped.
 *
 * No identity map survives, so a NULL or low-address dereference in the
 * kernel faults.  The kernel half of the PML4 never changes after this
 * (every kernel PDPT is allocated here), so user page tables made later
 * can copy those slots once.
 *
 * Locking: kernel_pmap_lock (spin, IPL_VM) covers changes to the
 * kernel tables after bootstrap; a user pmap's pm_lock its own.  Removing a mapping is followed by a
 * TLB shoot-down on every CPU (pmap_tlb_shootdown).
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/kcpuset.h>
#include <sys/kasan.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/pmap.h>
#include <sys/vm_page.h>
#include <sys/xcall.h>
#include <machine/cpufunc.h>
#include <machine/pte.h>
#include <machine/specialreg.h>
#include <machine/vmparam.h>
#include "x86_var.h"

extern char kernel_text[], kernel_etext[], kernel_rodata[], kernel_erodata[];
extern char kernel_data[], kernel_ksyms[], kernel_end[];
extern char boot_stack_guard[], df_stack_guard[], nmi_stack_guard[];
extern char mc_stack_guard[];

pt_entry_t	*kernel_pml4;		/* (c) after pmap_bootstrap */
paddr_t		pmap_direct_limit = 4UL << 30;	/* (c) after pmap_bootstrap */
paddr_t		kernel_pml4_pa;		/* (c) */
static pt_entry_t pg_nx;		/* PTE_NX if the CPU has NX, else 0 */
static kmutex_t kernel_pmap_lock = MUTEX_INITIALIZER("kpmap", IPL_VM);

static paddr_t
pmap_alloc_ptp(void)
{
	paddr_t pa = vm_page_alloc(1, VM_PAGE_ZERO);

	if (pa == VM_PAGE_NONE)
		panic("pmap: out of memory for page tables");
	return pa;
}

/*
 * The PTE for `va` at level `shift` (L1_SHIFT for a 4 KiB page, L2_SHIFT
 * for a 2 MiB one, ...) in the tables under `table`, creating the
 * tables above it if `create` (their entries get PTE_P | PTE_W |
 * ptpbits: PTE_U for user tables, whose leaves decide the rights).
 * NULL if a table is missing and !create, if a large page covers va,
 * or if no page was left for a new table.
 */
static pt_entry_t *
pmap_walk(pt_entry_t *table, vaddr_t va, int shift, bool create,
    pt_entry_t ptpbits)
{
	for (int s = L4_SHIFT; ; s -= 9) {
		pt_entry_t *pte = &table[PTE_INDEX(va, s)];
		paddr_t pa;

		if (s == shift)
			return pte;
		if (!(*pte & PTE_P)) {
			if (!create ||
			    (pa = vm_page_alloc(1, VM_PAGE_ZERO)) == VM_PAGE_NONE)
				return NULL;
			*pte = pa | PTE_P | PTE_W | ptpbits;
		} else if (*pte & PTE_PS)
			return NULL;
		table = pmap_direct_va(*pte & PTE_FRAME);
	}
}

/* The same in the kernel's tables, where running out of memory for a
 * page table is fatal. */
static pt_entry_t *
pmap_pte(vaddr_t va, int shift, bool create)
{
	pt_entry_t *pte = pmap_walk(kernel_pml4, va, shift, create, 0);

	if (pte == NULL && create)
		panic("pmap: out of memory for page tables");
	return pte;
}

static pt_entry_t
prot_bits(int prot)
{
	pt_entry_t bits = PTE_P | PTE_G;

	if (prot & VM_PROT_WRITE)
		bits |= PTE_W;
	if (!(prot & VM_PROT_EXECUTE))
		bits |= pg_nx;
	if (prot & PMAP_NOCACHE)
		bits |= PTE_PCD | PTE_PWT;
	return bits;
}

#ifdef KASAN
/*
 * KASAN's shadow (kasan_machdep.c): back the shadow addresses [sva, eva)
 * with zeroed pages (all accessible) where none is mapped yet.  Only
 * not-present entries change, so no TLB needs flushing.
 */
static void
pmap_kasan_fill(vaddr_t sva, vaddr_t eva)
{
	for (vaddr_t va = trunc_page(sva); va < eva; va += PAGE_SIZE) {
		pt_entry_t *pte = pmap_pte(va, L1_SHIFT, true);

		if (!(*pte & PTE_P))
			*pte = pmap_alloc_ptp() | PTE_P | PTE_W | PTE_G | pg_nx;
	}
}

void
pmap_kasan_shadow(vaddr_t sva, vaddr_t eva)
{
	mutex_spin_enter(&kernel_pmap_lock);
	pmap_kasan_fill(sva, eva);
	mutex_spin_exit(&kernel_pmap_lock);
}
#endif

/* Map the kernel image [start, end) (KERNBASE addresses) with `prot`. */
static void
pmap_map_image(const char *start, const char *end, int prot)
{
	for (vaddr_t va = (vaddr_t)start; va < (vaddr_t)end; va += PAGE_SIZE)
		*pmap_pte(va, L1_SHIFT, true) = (va - KERNBASE) | prot_bits(prot);
}

/* Highest physical address the direct map must cover. */
static paddr_t
pmap_ram_top(void)
{
	paddr_t top = 4UL << 30;	/* at least the boot tables' 4 GiB */

	for (int i = 0; i < bootinfo.bi_nmem; i++) {
		const struct bootinfo_mem *m = &bootinfo.bi_mem[i];

		if (m->bm_type != BI_MEM_RESERVED && m->bm_type != BI_MEM_BAD)
			top = MAX(top, m->bm_end);
	}
	return top;
}

void
pmap_bootstrap(void)
{
	paddr_t pa, top;
	const char *guards[] = { boot_stack_guard, df_stack_guard,
	    nmi_stack_guard, mc_stack_guard };
	bool big = cpu_feature.has_pg1g;

	pg_nx = cpu_feature.has_nx ? PTE_NX : 0;
	kernel_pml4_pa = pmap_alloc_ptp();
	kernel_pml4 = pmap_direct_va(kernel_pml4_pa);

	/* The direct map (the boot tables' direct map stays in use
	 * until lcr3 below, so allocating page tables works). */
	top = roundup2(pmap_ram_top(), NBPD_L3);
	for (pa = 0; pa < top; pa += big ? NBPD_L3 : NBPD_L2) {
		vaddr_t va = PMAP_DIRECT_BASE + pa;
		pt_entry_t *pte = pmap_pte(va, big ? L3_SHIFT : L2_SHIFT, true);

		*pte = pa | PTE_P | PTE_W | PTE_PS | PTE_G | pg_nx;
	}

	/* Preallocate the KVA PDPT so the kernel PML4 half is final. */
	kernel_pml4[PTE_INDEX(KVA_BASE, L4_SHIFT)] =
	    pmap_alloc_ptp() | PTE_P | PTE_W;

#ifdef KASAN
	/* The shadow slots' tables, and the image's shadow: the boot
	 * stack's redzones are written there from the switch on. */
	for (vaddr_t va = KASAN_SHADOW_ADDR(PMAP_DIRECT_BASE);
	    va < KASAN_SHADOW_ADDR(~0UL); va += 1UL << L4_SHIFT)
		kernel_pml4[PTE_INDEX(va, L4_SHIFT)] =
		    pmap_alloc_ptp() | PTE_P | PTE_W;
	pmap_kasan_fill(KASAN_SHADOW_ADDR(KERNBASE),
	    KASAN_SHADOW_ADDR(kernel_end) + 1);
#endif

	pmap_map_image(kernel_text, kernel_etext, VM_PROT_READ|VM_PROT_EXECUTE);
	pmap_map_image(kernel_rodata, kernel_erodata, VM_PROT_READ);
	pmap_map_image(kernel_data, kernel_ksyms, VM_PROT_READ|VM_PROT_WRITE);
	pmap_map_image(kernel_ksyms, kernel_end, VM_PROT_READ);
	for (size_t i = 0; i < __arraycount(guards); i++)
		*pmap_pte((vaddr_t)guards[i], L1_SHIFT, false) = 0;

	lcr3(kernel_pml4_pa);
	pmap_direct_limit = top;
}

void
pmap_kenter_pa(vaddr_t va, paddr_t pa, int prot)
{
	pt_entry_t *pte;

	KASSERTMSG(va >= KVA_BASE && va < KVA_BASE + KVA_SIZE,
	    "pmap_kenter_pa: %#lx outside the KVA region", va);
	mutex_spin_enter(&kernel_pmap_lock);
	pte = pmap_pte(va, L1_SHIFT, true);
	KASSERTMSG(!(*pte & PTE_P), "pmap_kenter_pa: %#lx already mapped", va);
	*pte = pa | prot_bits(prot);
#ifdef KASAN
	pmap_kasan_fill(KASAN_SHADOW_ADDR(va), KASAN_SHADOW_ADDR(va + PAGE_SIZE));
#endif
	mutex_spin_exit(&kernel_pmap_lock);
}

/*
 * Make the page tables that [va, va + len) of the KVA region needs, so
 * that pmap_kenter_pa there cannot run out of memory (which is fatal).
 * 0, or ENOMEM: the tables made so far stay, for the next try.
 */
int
pmap_kreserve(vaddr_t va, vsize_t len)
{
	int error = 0;

	KASSERTMSG(va >= KVA_BASE && va + len <= KVA_BASE + KVA_SIZE,
	    "pmap_kreserve: %#lx+%#lx outside the KVA region", va, len);
	mutex_spin_enter(&kernel_pmap_lock);
	for (vaddr_t p = trunc_page(va); p < va + len; p += PAGE_SIZE)
		if (pmap_walk(kernel_pml4, p, L1_SHIFT, true, 0) == NULL) {
			error = ENOMEM;
			break;
		}
	mutex_spin_exit(&kernel_pmap_lock);
	return error;
}

/* Cross-call body: drop [va, va+len) from this CPU's TLB. */
static void
pmap_tlb_invalidate(void *va, void *len)
{
	for (vaddr_t p = (vaddr_t)va; p < (vaddr_t)va + (vsize_t)len;
	    p += PAGE_SIZE)
		invlpg(p);
}

/*
 * Make every CPU forget translations for [va, va+len): this one
 * directly, the others by a high-priority cross-call (their TLBs may
 * hold the old entries, even if they never touched the pages on
 * purpose: speculation fills TLBs too).
 */
void
pmap_tlb_shootdown(vaddr_t va, vsize_t len)
{
	if (ncpu > 1)
		xc_wait(xc_broadcast(XC_HIGHPRI, pmap_tlb_invalidate,
		    (void *)va, (void *)len));
	else
		pmap_tlb_invalidate((void *)va, (void *)len);
}

void
pmap_kremove(vaddr_t va, vsize_t len)
{
	KASSERT(va % PAGE_SIZE == 0 && len % PAGE_SIZE == 0);
	mutex_spin_enter(&kernel_pmap_lock);
	for (vaddr_t p = va; p < va + len; p += PAGE_SIZE) {
		pt_entry_t *pte = pmap_pte(p, L1_SHIFT, false);

		if (pte != NULL)
			*pte = 0;
	}
	mutex_spin_exit(&kernel_pmap_lock);
	pmap_tlb_shootdown(va, len);
}

/*
 * The AP trampoline runs at its physical address while it turns paging
 * on, so that one page must be identity-mapped (read/execute) in the
 * kernel page tables for the duration of AP start-up.  The low half of
 * the PML4 is otherwise empty.
 */
void
pmap_tramp_enter(paddr_t pa)
{
	mutex_spin_enter(&kernel_pmap_lock);
	*pmap_pte(pa, L1_SHIFT, true) = pa | PTE_P;
	mutex_spin_exit(&kernel_pmap_lock);
}

void
pmap_tramp_remove(paddr_t pa)
{
	pt_entry_t *l4 = &kernel_pml4[PTE_INDEX(pa, L4_SHIFT)];
	pt_entry_t *l3 = pmap_direct_va(*l4 & PTE_FRAME);
	pt_entry_t *l2 = pmap_direct_va(l3[PTE_INDEX(pa, L3_SHIFT)] & PTE_FRAME);
	paddr_t l1pa = l2[PTE_INDEX(pa, L2_SHIFT)] & PTE_FRAME;
	paddr_t l2pa = l3[PTE_INDEX(pa, L3_SHIFT)] & PTE_FRAME;
	paddr_t l3pa = *l4 & PTE_FRAME;

	/* Only this one page lives in the low half: drop the whole path. */
	mutex_spin_enter(&kernel_pmap_lock);
	*l4 = 0;
	mutex_spin_exit(&kernel_pmap_lock);
	pmap_tlb_shootdown(trunc_page(pa), PAGE_SIZE);
	vm_page_free(l1pa, 1);
	vm_page_free(l2pa, 1);
	vm_page_free(l3pa, 1);
}

/*
 * Walk the current tables (%cr3): the PTE that maps `va` and the size it
 * maps, or 0.  Works before pmap_bootstrap() too (the boot tables have
 * the direct map), so the panic code can use it to test addresses.
 */
pt_entry_t
pmap_kernel_pte(vaddr_t va, vsize_t *sizep)
{
	pt_entry_t *table = pmap_direct_va(rcr3() & PTE_FRAME);

	for (int s = L4_SHIFT; ; s -= 9) {
		pt_entry_t pte = table[PTE_INDEX(va, s)];

		if (!(pte & PTE_P))
			return 0;
		if (s == L1_SHIFT || (pte & PTE_PS)) {
			if (sizep != NULL)
				*sizep = 1UL << s;
			return pte;
		}
		table = pmap_direct_va(pte & PTE_FRAME);
	}
}

bool
pmap_extract(vaddr_t va, paddr_t *pap)
{
	vsize_t size;
	pt_entry_t pte = pmap_kernel_pte(va, &size);

	if (!(pte & PTE_P))
		return false;
	if (pap != NULL)
		*pap = (pte & PTE_FRAME & ~(size - 1)) | (va & (size - 1));
	return true;
}

/* ---- user pmaps ------------------------------------------------------ */

/*
 * A user address space's page tables.  The upper half of pm_pml4 is a
 * copy of the kernel's (fixed since pmap_bootstrap), so the kernel is
 * mapped in every address space; the lower half is the process's own.
 * User pages are never global (PTE_G), so loading %cr3 flushes them.
 */
struct pmap {
	kmutex_t	pm_lock;	/* spin, IPL_VM: covers the tables */
	pt_entry_t	*pm_pml4;	/* (c) the top table, direct-mapped */
	paddr_t		pm_pml4pa;	/* (c) ... its physical address */
	kcpuset_t	pm_cpus;	/* (a) CPUs that have it in %cr3
					 * (kcpuset_atomic_*; embedded, never
					 * shared: kmem_zalloc empties it) */
	u_long		pm_nmapped;	/* pm_lock: user PTEs PTE_MAPPED */
};

#define NPML4_USER	256		/* PML4 slots 0..255: user space */
/* More pages than this in one flush: reload %cr3 instead of invlpg. */
#define PMAP_INVLPG_MAX	32

pmap_t
pmap_create(void)
{
	pmap_t pm = kmem_zalloc(sizeof(*pm), KM_SLEEP);
	paddr_t pa;

	if (pm == NULL)
		return NULL;
	if ((pa = vm_page_alloc(1, VM_PAGE_ZERO)) == VM_PAGE_NONE) {
		kmem_free(pm, sizeof(*pm));
		return NULL;
	}
	mutex_init(&pm->pm_lock, MUTEX_SPIN, IPL_VM, "pm_lock");
	pm->pm_pml4pa = pa;
	pm->pm_pml4 = pmap_direct_va(pa);
	memcpy(&pm->pm_pml4[NPML4_USER], &kernel_pml4[NPML4_USER],
	    (512 - NPML4_USER) * sizeof(pt_entry_t));
	return pm;
}

/* Free the page tables under `table` (level `shift`, whose entries map
 * 2^shift bytes each), which maps no page any more (pm_nmapped is 0):
 * the last-level tables are freed unread, as reading their 512 empty
 * entries each was a quarter of fork+exit+wait. */
static void
pmap_free_tables(pt_entry_t *table, int shift, int nslots)
{
	for (int i = 0; i < nslots; i++) {
		pt_entry_t pte = table[i];

		if (!(pte & PTE_P))
			continue;
		if (shift > L2_SHIFT)
			pmap_free_tables(pmap_direct_va(pte & PTE_FRAME),
			    shift - 9, 512);
		vm_page_free(pte & PTE_FRAME, 1);
	}
}

void
pmap_destroy(pmap_t pm)
{
	KASSERT(kcpuset_iszero(&pm->pm_cpus));
	KASSERTMSG(pm->pm_nmapped == 0, "pmap_destroy: %lu pages still "
	    "mapped", pm->pm_nmapped);
	pmap_free_tables(pm->pm_pml4, L4_SHIFT, NPML4_USER);
	vm_page_free(pm->pm_pml4pa, 1);
	mutex_destroy(&pm->pm_lock);
	kmem_free(pm, sizeof(*pm));
}

/*
 * A user leaf PTE's bits for `prot`.  PROT_NONE pages stay recorded
 * (the pmap is where private pages are remembered) but not present:
 * PTE_MAPPED without PTE_P, so any access faults.
 */
static pt_entry_t
pmap_user_bits(int prot)
{
	pt_entry_t bits = PTE_MAPPED | PTE_U;

	if (prot == VM_PROT_NONE)
		return bits;
	bits |= PTE_P;
	if (prot & VM_PROT_WRITE)
		bits |= PTE_W;
	if (!(prot & VM_PROT_EXECUTE))
		bits |= pg_nx;
	return bits;
}

struct pmap_range {
	pmap_t	pr_pmap;
	vaddr_t	pr_va;
	vsize_t	pr_len;
};

/* Cross-call body: forget pr's translations here, if pr's pmap is
 * loaded on this CPU (another CPU's TLB holds nothing of it). */
static void
pmap_tlb_invalidate_user(void *arg, void *unused)
{
	const struct pmap_range *pr = arg;

	if (curcpu()->ci_pmap != pr->pr_pmap)
		return;
	if (pr->pr_len > PMAP_INVLPG_MAX * PAGE_SIZE)
		lcr3(rcr3());
	else
		pmap_tlb_invalidate((void *)pr->pr_va, (void *)pr->pr_len);
}

/*
 * Flush [va, va+len) of pm from every CPU that has pm loaded.  A CPU
 * that loads pm after we looked at pm_cpus reloads %cr3 as it does,
 * which flushes all user translations, so it cannot see stale ones.
 * Called with no spin mutex held (the cross-call waits for others).
 */
static void
pmap_user_shootdown(pmap_t pm, vaddr_t va, vsize_t len)
{
	struct pmap_range pr = { pm, va, len };
	u_int self;

	KASSERT(curcpu_spin_state(NULL) == 0);
	kpreempt_disable();
	self = cpu_index(curcpu());
	if (kcpuset_isotherset(&pm->pm_cpus, self))
		xc_wait(xc_broadcast(XC_HIGHPRI, pmap_tlb_invalidate_user,
		    &pr, NULL));
	else if (kcpuset_isset(&pm->pm_cpus, self))
		pmap_tlb_invalidate_user(&pr, NULL);
	kpreempt_enable();
}

int
pmap_enter(pmap_t pm, vaddr_t va, paddr_t pa, int prot)
{
	pt_entry_t *pte, old;

	KASSERT(va < VM_MAXUSER_ADDRESS && va % PAGE_SIZE == 0);
	mutex_spin_enter(&pm->pm_lock);
	pte = pmap_walk(pm->pm_pml4, va, L1_SHIFT, true, PTE_U);
	if (pte == NULL) {
		mutex_spin_exit(&pm->pm_lock);
		return ENOMEM;
	}
	old = *pte;
	*pte = pa | pmap_user_bits(prot);
	if (!(old & PTE_MAPPED))
		pm->pm_nmapped++;
	mutex_spin_exit(&pm->pm_lock);
	if (old & PTE_MAPPED)
		pmap_user_shootdown(pm, va, PAGE_SIZE);
	return 0;
}

/*
 * The next page at or after *vap that may have a PTE: *vap itself if
 * its page table exists; else NULL, with *vap moved to the start of the
 * next 2 MiB, 1 GiB or 512 GiB, whichever the missing table would have
 * covered -- so that a range with nothing mapped costs a step per
 * table that exists, not one per 2 MiB (a 64 TiB mapping is 2^25 of
 * those).  pm_lock held.
 */
static pt_entry_t *
pmap_next_pte(pmap_t pm, vaddr_t *vap)
{
	pt_entry_t *table = pm->pm_pml4;

	KASSERT(mutex_owned(&pm->pm_lock));
	for (int s = L4_SHIFT; s > L1_SHIFT; s -= 9) {
		pt_entry_t e = table[PTE_INDEX(*vap, s)];

		if (!(e & PTE_P) || (e & PTE_PS)) {
			*vap = rounddown2(*vap, 1UL << s) + (1UL << s);
			return NULL;
		}
		table = pmap_direct_va(e & PTE_FRAME);
	}
	return &table[PTE_INDEX(*vap, L1_SHIFT)];
}

/*
 * The PTE of the first page recorded (PTE_MAPPED) in [*vap, eva), with
 * *vap moved to that page; NULL if there is none (*vap is then at or
 * past eva).  Each page table that exists is walked down to once and
 * then read along, a PTE at a time, to its end: a walk from the top
 * for every page was most of fork+exit+wait (100 000 of its 140 000
 * instructions).  pm_lock held.
 */
static pt_entry_t *
pmap_scan(pmap_t pm, vaddr_t *vap, vaddr_t eva)
{
	vaddr_t va = *vap, end;
	pt_entry_t *pte;

	KASSERT(mutex_owned(&pm->pm_lock));
	while (va < eva) {
		if ((pte = pmap_next_pte(pm, &va)) == NULL)
			continue;	/* (va moved past the missing table) */
		end = MIN(eva, rounddown2(va, 1UL << L2_SHIFT) +
		    (1UL << L2_SHIFT));
		for (; va < end; va += PAGE_SIZE, pte++)
			if (*pte & PTE_MAPPED) {
				*vap = va;
				return pte;
			}
	}
	*vap = va;
	return NULL;
}

/*
 * The first page mapped in [*vap, eva): true with *vap its address and
 * *pap its physical address; false if there is none.  Costs what is
 * mapped, not the size of the range (fork copies regions with it).
 */
bool
pmap_user_next(pmap_t pm, vaddr_t *vap, vaddr_t eva, paddr_t *pap)
{
	vaddr_t va = trunc_page(*vap);
	pt_entry_t *pte;

	mutex_spin_enter(&pm->pm_lock);
	if ((pte = pmap_scan(pm, &va, eva)) != NULL) {
		*pap = *pte & PTE_FRAME;
		*vap = va;
	}
	mutex_spin_exit(&pm->pm_lock);
	return pte != NULL;
}

void
pmap_remove(pmap_t pm, vaddr_t sva, vaddr_t eva, void (*freefn)(paddr_t))
{
	paddr_t batch[64];
	vaddr_t va = sva, start;
	pt_entry_t *pte;
	int n;

	KASSERT(eva <= VM_MAXUSER_ADDRESS && sva <= eva);
	/* In batches: the flush must come before the pages are reused,
	 * and cannot be done with pm_lock held. */
	while (va < eva) {
		start = va;
		n = 0;
		mutex_spin_enter(&pm->pm_lock);
		while (n < (int)__arraycount(batch) &&
		    (pte = pmap_scan(pm, &va, eva)) != NULL) {
			batch[n++] = *pte & PTE_FRAME;
			*pte = 0;
			va += PAGE_SIZE;
		}
		KASSERT(pm->pm_nmapped >= (u_long)n);
		pm->pm_nmapped -= n;
		mutex_spin_exit(&pm->pm_lock);
		va = MIN(va, eva);
		if (n == 0)
			continue;
		pmap_user_shootdown(pm, start, va - start);
		for (int i = 0; freefn != NULL && i < n; i++)
			freefn(batch[i]);
	}
}

void
pmap_protect(pmap_t pm, vaddr_t sva, vaddr_t eva, int prot)
{
	vaddr_t va = sva;
	pt_entry_t *pte;
	bool changed = false;

	KASSERT(eva <= VM_MAXUSER_ADDRESS && sva <= eva);
	mutex_spin_enter(&pm->pm_lock);
	while ((pte = pmap_scan(pm, &va, eva)) != NULL) {
		*pte = (*pte & PTE_FRAME) | pmap_user_bits(prot);
		changed = true;
		va += PAGE_SIZE;
	}
	mutex_spin_exit(&pm->pm_lock);
	if (changed)
		pmap_user_shootdown(pm, sva, eva - sva);
}

bool
pmap_user_extract(pmap_t pm, vaddr_t va, paddr_t *pap)
{
	pt_entry_t *pte;
	bool ok = false;

	mutex_spin_enter(&pm->pm_lock);
	pte = pmap_walk(pm->pm_pml4, trunc_page(va), L1_SHIFT, false, 0);
	if (pte != NULL && (*pte & PTE_MAPPED)) {
		*pap = (*pte & PTE_FRAME) | (va & PAGE_MASK);
		ok = true;
	}
	mutex_spin_exit(&pm->pm_lock);
	return ok;
}

/* Load pm (NULL: the kernel's tables) unless it is loaded already. */
void
pmap_activate(pmap_t pm)
{
	struct cpu_info *ci = curcpu();
	u_int self = cpu_index(ci);
	pmap_t old = ci->ci_pmap;

	KASSERT(ci->ci_ilevel >= IPL_SCHED || kpreempt_disabled());
	if (old == pm)
		return;
	if (pm != NULL)
		kcpuset_atomic_set(&pm->pm_cpus, self);
	lcr3(pm != NULL ? pm->pm_pml4pa : kernel_pml4_pa);
	if (old != NULL)
		kcpuset_atomic_clear(&old->pm_cpus, self);
	ci->ci_pmap = pm;
}
