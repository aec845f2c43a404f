/*
 * pmap.c: the kernel's page tables.
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
 * kernel tables after bootstrap.  Removing a mapping is followed by a
 * TLB shoot-down on every CPU (pmap_tlb_shootdown).
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/mutex.h>
#include <sys/pmap.h>
#include <sys/vm_page.h>
#include <sys/xcall.h>
#include <machine/cpufunc.h>
#include <machine/pte.h>
#include <machine/specialreg.h>
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
 * for a 2 MiB one, ...), creating the tables above it if `create`.
 * NULL if a table is missing (or a large page covers va) and !create.
 */
static pt_entry_t *
pmap_pte(vaddr_t va, int shift, bool create)
{
	pt_entry_t *table = kernel_pml4;

	for (int s = L4_SHIFT; ; s -= 9) {
		pt_entry_t *pte = &table[PTE_INDEX(va, s)];

		if (s == shift)
			return pte;
		if (!(*pte & PTE_P)) {
			if (!create)
				return NULL;
			*pte = pmap_alloc_ptp() | PTE_P | PTE_W;
		} else if (*pte & PTE_PS)
			return NULL;
		table = pmap_direct_va(*pte & PTE_FRAME);
	}
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
	mutex_spin_exit(&kernel_pmap_lock);
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
