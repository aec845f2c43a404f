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
 *                    section with its own rights: text R-X, rodata R--,
 *                    data/bss RW-, and the guard page under each boot
 *                    stack left unmapped.
 *
 * No identity map survives, so a NULL or low-address dereference in the
 * kernel faults.  The kernel half of the PML4 never changes after this
 * (every kernel PDPT is allocated here), so user page tables made later
 * can copy those slots once.
 *
 * Locking: kernel_pmap_lock (spin, IPL_VM) covers changes to the
 * KVA_BASE tables.  TLB shoot-down to other CPUs arrives with SMP.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/intr.h>
#include <sys/mutex.h>
#include <sys/pmap.h>
#include <sys/vm_page.h>
#include <machine/cpufunc.h>
#include <machine/pte.h>
#include <machine/specialreg.h>
#include "x86_var.h"

extern char kernel_text[], kernel_etext[], kernel_rodata[], kernel_erodata[];
extern char kernel_data[], kernel_end[];
extern char boot_stack_guard[], df_stack_guard[], nmi_stack_guard[];
extern char mc_stack_guard[];

pt_entry_t	*kernel_pml4;		/* (c) after pmap_bootstrap */
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
	pmap_map_image(kernel_data, kernel_end, VM_PROT_READ|VM_PROT_WRITE);
	for (size_t i = 0; i < __arraycount(guards); i++)
		*pmap_pte((vaddr_t)guards[i], L1_SHIFT, false) = 0;

	lcr3(kernel_pml4_pa);
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

void
pmap_kremove(vaddr_t va, vsize_t len)
{
	KASSERT(va % PAGE_SIZE == 0 && len % PAGE_SIZE == 0);
	mutex_spin_enter(&kernel_pmap_lock);
	for (vaddr_t end = va + len; va < end; va += PAGE_SIZE) {
		pt_entry_t *pte = pmap_pte(va, L1_SHIFT, false);

		if (pte != NULL && (*pte & PTE_P)) {
			*pte = 0;
			invlpg(va);
		}
	}
	mutex_spin_exit(&kernel_pmap_lock);
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
