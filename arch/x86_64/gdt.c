/*
 * gdt.c: segments and the interrupt descriptor table.
 *
 * In long mode segmentation is mostly gone, but the CPU still needs a
 * GDT with code/data descriptors (their DPL sets the privilege level)
 * and a TSS, which holds the stack pointers the CPU switches to: rsp0
 * on entry from user mode, and the IST stacks for exceptions that must
 * work even when the current stack is bad (double fault, NMI, machine
 * check).  Each CPU has its own GDT and TSS in its cpu_info; the IDT is
 * shared.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <machine/cpu.h>
#include <machine/segments.h>
#include "x86_var.h"

extern void *x86_exception_vectors[32];	/* vectors.S */
extern char x86_intr_stubs[];		/* vectors.S: 224 stubs, 16 bytes each */

static struct gate_descriptor idt[NIDT];

/* Code/data descriptor: 64-bit (L) code or data, with privilege `dpl`. */
#define SEG_CODE64(dpl)	(0x00209a0000000000UL | ((uint64_t)(dpl) << 45))
#define SEG_DATA(dpl)	(0x0000920000000000UL | ((uint64_t)(dpl) << 45))
#define SEG_CODE32(dpl)	(0x00cf9a000000ffffUL | ((uint64_t)(dpl) << 45))

static void
gdt_set_tss(uint64_t *gdt, struct x86_64_tss *tss)
{
	uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;

	/* A 16-byte system descriptor: type 9 (available 64-bit TSS). */
	gdt[GTSS_SEL] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	    (0x89UL << 40) | (((limit >> 16) & 0xf) << 48) |
	    (((base >> 24) & 0xff) << 56);
	gdt[GTSS_SEL + 1] = base >> 32;
}

/*
 * Build and load this CPU's GDT and TSS.  The caller has put the IST
 * stack tops in ci->ci_tss.
 */
void
gdt_init_cpu(struct cpu_info *ci)
{
	struct region_descriptor r;
	uint64_t *gdt = ci->ci_gdt;

	gdt[GNULL_SEL] = 0;
	gdt[GCODE_SEL] = SEG_CODE64(SEL_KPL);
	gdt[GDATA_SEL] = SEG_DATA(SEL_KPL);
	gdt[GUCODE32_SEL] = SEG_CODE32(SEL_UPL);
	gdt[GUDATA_SEL] = SEG_DATA(SEL_UPL);
	gdt[GUCODE_SEL] = SEG_CODE64(SEL_UPL);
	ci->ci_tss.tss_iobase = sizeof(ci->ci_tss);	/* no I/O bitmap */
	gdt_set_tss(gdt, &ci->ci_tss);

	r.rd_limit = sizeof(ci->ci_gdt) - 1;
	r.rd_base = (uint64_t)gdt;
	__asm volatile("lgdt %0" : : "m"(r));
	/* Reload %cs with a far return, then the data segments. */
	__asm volatile(
	    "pushq %0\n\t"
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:\n\t"
	    "movl %1, %%eax\n\t"
	    "movl %%eax, %%ds\n\t"
	    "movl %%eax, %%es\n\t"
	    "movl %%eax, %%ss\n\t"
	    : : "i"(GSEL(GCODE_SEL, SEL_KPL)), "i"(GSEL(GDATA_SEL, SEL_KPL))
	    : "rax", "memory");
	__asm volatile("ltr %w0" : : "r"(GSEL(GTSS_SEL, SEL_KPL)));
}

static void
idt_set_gate(int vec, void *func, int ist, int dpl)
{
	struct gate_descriptor *g = &idt[vec];
	uint64_t off = (uint64_t)func;

	g->gd_looffset = off & 0xffff;
	g->gd_selector = GSEL(GCODE_SEL, SEL_KPL);
	g->gd_ist = ist;
	g->gd_type = 0x8e | (dpl << 5);	/* present, 64-bit interrupt gate */
	g->gd_midoffset = (off >> 16) & 0xffff;
	g->gd_hioffset = off >> 32;
	g->gd_reserved = 0;
}

/* Fill the IDT: 32 exceptions, then 224 interrupt vectors.  Once. */
void
idt_init(void)
{
	for (int i = 0; i < 32; i++) {
		int ist = i == 2 ? IST_NMI : i == 8 ? IST_DOUBLEFAULT :
		    i == 18 ? IST_MCHK : 0;
		/* int3 (#BP) may be raised from user mode. */
		idt_set_gate(i, x86_exception_vectors[i], ist,
		    i == 3 ? SEL_UPL : SEL_KPL);
	}
	for (int i = 32; i < NIDT; i++)
		idt_set_gate(i, x86_intr_stubs + (i - 32) * 16, 0, SEL_KPL);
}

void
idt_load(void)
{
	struct region_descriptor r = { sizeof(idt) - 1, (uint64_t)idt };

	__asm volatile("lidt %0" : : "m"(r));
}
