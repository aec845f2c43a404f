/*
 * t_pmap.c: ktests for the kernel page tables (pmap.c) and CPU setup.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/ktest.h>
#include <sys/pmap.h>
#include <sys/vm_page.h>
#include <machine/cpufunc.h>
#include <machine/specialreg.h>
#include "x86_var.h"

extern char kernel_text[], kernel_etext[], kernel_rodata[];
extern char kernel_erodata[], kernel_data[], kernel_ksyms[], kernel_end[];
extern char boot_stack_guard[], df_stack_guard[], boot_stack[];

static bool
pte_has(vaddr_t va, pt_entry_t bits)
{
	return (pmap_kernel_pte(va, NULL) & bits) == bits;
}

/* Text R-X, rodata and symbols R--, data RW-; no page is both
 * writable and executable. */
KTEST(pmap_kernel_sections)
{
	vaddr_t va;

	KT_ASSERT(cpu_feature.has_nx);		/* QEMU -cpu max has it */
	for (va = (vaddr_t)kernel_text; va < (vaddr_t)kernel_etext;
	    va += PAGE_SIZE) {
		KT_ASSERT(pte_has(va, PTE_P));
		KT_ASSERT(!pte_has(va, PTE_W));
		KT_ASSERT(!pte_has(va, PTE_NX));
	}
	for (va = (vaddr_t)kernel_rodata; va < (vaddr_t)kernel_erodata;
	    va += PAGE_SIZE) {
		KT_ASSERT(pte_has(va, PTE_P | PTE_NX));
		KT_ASSERT(!pte_has(va, PTE_W));
	}
	for (va = (vaddr_t)kernel_data; va < (vaddr_t)kernel_end;
	    va += PAGE_SIZE) {
		pt_entry_t pte = pmap_kernel_pte(va, NULL);
		if (va == (vaddr_t)boot_stack_guard ||
		    va == (vaddr_t)df_stack_guard)
			continue;
		if (pte & PTE_P)
			KT_ASSERT((pte & (PTE_W | PTE_NX)) != PTE_W);
	}
	for (va = (vaddr_t)kernel_ksyms; va < (vaddr_t)kernel_end;
	    va += PAGE_SIZE) {
		KT_ASSERT(pte_has(va, PTE_P | PTE_NX));
		KT_ASSERT(!pte_has(va, PTE_W));
	}
	KT_ASSERT(pte_has((vaddr_t)kernel_data, PTE_P | PTE_W | PTE_NX));
	KT_ASSERT(pte_has((vaddr_t)boot_stack, PTE_P | PTE_W | PTE_NX));
}

KTEST(pmap_guard_pages_unmapped)
{
	KT_EQ(pmap_kernel_pte((vaddr_t)boot_stack_guard, NULL), 0);
	KT_EQ(pmap_kernel_pte((vaddr_t)df_stack_guard, NULL), 0);
	KT_ASSERT(pte_has((vaddr_t)boot_stack_guard + PAGE_SIZE, PTE_P));
}

/* No identity map (NULL faults) and the direct map covers RAM. */
KTEST(pmap_no_identity_map)
{
	paddr_t pa;

	KT_EQ(pmap_kernel_pte(0, NULL), 0);
	KT_EQ(pmap_kernel_pte(KERNEL_LOAD_PADDR, NULL), 0);
	KT_ASSERT(pmap_extract((vaddr_t)pmap_direct_va(0x1234567), &pa));
	KT_EQ(pa, 0x1234567);
	KT_ASSERT(pmap_extract((vaddr_t)kernel_text + 0x10, &pa));
	KT_EQ(pa, (vaddr_t)kernel_text + 0x10 - KERNBASE);
	KT_ASSERT(pte_has((vaddr_t)pmap_direct_va(0), PTE_P | PTE_W | PTE_NX));
}

KTEST(pmap_kenter_kremove)
{
	vaddr_t va = KVA_BASE + 0x123000;
	paddr_t pa = vm_page_alloc(1, VM_PAGE_ZERO), got;

	KT_ASSERT(pa != VM_PAGE_NONE);
	KT_ASSERT(!pmap_extract(va, NULL));
	pmap_kenter_pa(va, pa, VM_PROT_READ | VM_PROT_WRITE);
	KT_ASSERT(pmap_extract(va + 8, &got));
	KT_EQ(got, pa + 8);
	*(volatile uint64_t *)va = 0x5a5a;	/* same page, two names */
	KT_EQ(*(uint64_t *)pmap_direct_va(pa), 0x5a5a);
	KT_ASSERT(pte_has(va, PTE_NX));
	pmap_kremove(va, PAGE_SIZE);
	KT_ASSERT(!pmap_extract(va, NULL));
	vm_page_free(pa, 1);
}

/* Protection features are on, and this CPU's GDT/TSS are loaded. */
KTEST(cpu_protection_on)
{
	uint16_t tr;

	KT_ASSERT(rcr0() & CR0_WP);
	KT_ASSERT(rdmsr(MSR_EFER) & EFER_NXE);
	if (cpu_feature.has_smep)
		KT_ASSERT(rcr4() & CR4_SMEP);
	if (cpu_feature.has_smap)
		KT_ASSERT(rcr4() & CR4_SMAP);
	__asm volatile("str %0" : "=r"(tr));
	KT_EQ(tr, GSEL(GTSS_SEL, SEL_KPL));
	KT_ASSERT(curcpu()->ci_tss.tss_ist[IST_DOUBLEFAULT - 1] != 0);
	KT_ASSERT(curcpu() == &cpu_info_primary);
}
