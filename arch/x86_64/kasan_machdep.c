/*
 * kasan_machdep.c: where KASAN's shadow lives on x86-64, and backtraces
 * for it (sys/kasan.h, kernel/subr_kasan.c; docs/sanitizers.md).
 *
 * Shadow = (address >> 3) + 0xdffffc0000000000, so the kernel half of
 * the address space, 0xffff800000000000 up, has its shadow in PML4 slots
 * 472..503, [0xffffec0000000000, 0xfffffc0000000000): 16 TiB of VA of
 * which only what is used is backed by pages:
 *
 *   kernel image  [KERNBASE, kernel_end)  from pmap_bootstrap, before it
 *                 loads the final tables (the boot stack is there)
 *   direct map    [0, 1 MiB) and every range of the boot loader's memory
 *                 map (RAM, ACPI tables, reserved areas), kasan_md_init
 *   KVA           each page pmap_kenter_pa maps (kernel stacks, device
 *                 registers), and a kernel stack's guard page
 *
 * pmap_bootstrap gives the shadow slots their page-directory pages then,
 * so the kernel half of the PML4 is still final before any user pmap
 * copies it.  Shadow pages are never freed.
 *
 * Before pmap_bootstrap, locore calls kasan_md_early_init: the boot page
 * tables get all 32 slots mapped to one shared zeroed page, writable,
 * for the compiler's stack-redzone stores (the checks themselves pass
 * until kasan_init).  Compiled without the checks (the Makefile's
 * SAN_PLAIN).
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/kasan.h>
#include <sys/pmap.h>
#include <machine/cpufunc.h>
#include <machine/pte.h>
#include "x86_var.h"

#define KASAN_SLOT_FIRST	PTE_INDEX(KASAN_SHADOW_ADDR(PMAP_DIRECT_BASE), L4_SHIFT)
#define KASAN_SLOT_LAST		PTE_INDEX(KASAN_SHADOW_ADDR(~0UL), L4_SHIFT)
CTASSERT(KASAN_SLOT_FIRST == 472 && KASAN_SLOT_LAST == 503);

extern char kernel_end[];

static pt_entry_t kasan_early_pdpt[NPTEPG] __aligned(PAGE_SIZE);
static pt_entry_t kasan_early_pd[NPTEPG] __aligned(PAGE_SIZE);
static pt_entry_t kasan_early_pt[NPTEPG] __aligned(PAGE_SIZE);
static char kasan_early_page[PAGE_SIZE] __aligned(PAGE_SIZE);

#define KVTOPHYS(p)	((paddr_t)(p) - KERNBASE)

/* From locore, on the boot stack, with the boot page tables loaded. */
void
kasan_md_early_init(void)
{
	pt_entry_t *pml4 = pmap_direct_va(rcr3() & PTE_FRAME);

	for (int i = 0; i < NPTEPG; i++) {
		kasan_early_pt[i] = KVTOPHYS(kasan_early_page) | PTE_P | PTE_W;
		kasan_early_pd[i] = KVTOPHYS(kasan_early_pt) | PTE_P | PTE_W;
		kasan_early_pdpt[i] = KVTOPHYS(kasan_early_pd) | PTE_P | PTE_W;
	}
	for (size_t s = KASAN_SLOT_FIRST; s <= KASAN_SLOT_LAST; s++)
		pml4[s] = KVTOPHYS(kasan_early_pdpt) | PTE_P | PTE_W;
}

/* Back the shadow addresses [sva, eva) with zeroed pages. */
void
kasan_md_shadow_map(vaddr_t sva, vaddr_t eva)
{
	pmap_kasan_shadow(sva, eva);
}

/* The shadow of [start, end) in the direct map. */
static void
kasan_md_direct(paddr_t start, paddr_t end)
{
	if (start < end)
		kasan_shadow_map((vaddr_t)pmap_direct_va(start), end - start);
}

void
kasan_md_init(void)
{
	kasan_shadow_map(KERNBASE, (vaddr_t)kernel_end - KERNBASE);
	kasan_md_direct(0, 1024 * 1024);
	for (int i = 0; i < bootinfo.bi_nmem; i++)
		kasan_md_direct(bootinfo.bi_mem[i].bm_start,
		    MIN(bootinfo.bi_mem[i].bm_end, pmap_direct_limit));
	kasan_md_direct(bootinfo.bi_info_start, bootinfo.bi_info_end);
	for (int i = 0; i < bootinfo.bi_nmod; i++)
		kasan_md_direct(bootinfo.bi_mod[i].bmod_start,
		    bootinfo.bi_mod[i].bmod_end);
}

/* Is [va, va + 16) mapped (a frame's saved %rbp and return address)? */
static bool
kasan_md_frame_ok(vaddr_t va, vaddr_t prev)
{
	if (prev != 0 && trunc_page(va) == trunc_page(prev) &&
	    trunc_page(va + 15) == trunc_page(va))
		return true;
	return (pmap_kernel_pte(va, NULL) & PTE_P) &&
	    (pmap_kernel_pte(va + 15, NULL) & PTE_P);
}

/*
 * The return addresses of our callers, skipping `skip`, into pcs[0..n)
 * (0 after the last).  Follows the %rbp chain (db_trace.c explains it)
 * while it goes up a kernel stack.
 */
int
kasan_md_trace(vaddr_t *pcs, int n, int skip)
{
	vaddr_t fp = (vaddr_t)__builtin_frame_address(0), prev = 0, pc;
	int i = 0;

	while (i < n && fp != 0 && fp % 8 == 0 && fp > prev &&
	    fp >= PMAP_DIRECT_BASE && kasan_md_frame_ok(fp, prev)) {
		if ((pc = ((vaddr_t *)fp)[1]) < KERNBASE)
			break;
		if (skip > 0)
			skip--;
		else
			pcs[i++] = pc;
		prev = fp;
		fp = ((vaddr_t *)fp)[0];
	}
	for (int j = i; j < n; j++)
		pcs[j] = 0;
	return i;
}
