/*
 * mptramp.S: where an application processor (AP) starts.
 *
 * A startup IPI (SIPI) with vector V starts an AP in 16-bit real mode at
 * physical V * 4096 (%cs = V << 8, %ip = 0).  cpu.c copies the code
 * between mptramp_start and mptramp_end to such a page below 1 MiB,
 * fills in the parameters at its end, and identity-maps the page in the
 * kernel page tables (the code still runs there when paging comes on).
 *
 *   16-bit real mode   load a temporary GDT, set CR0.PE
 *   32-bit protected   PAE, the kernel's %cr3, EFER.LME|NXE, CR0.PG|WP
 *   64-bit long mode   kernel stack and cpu_info from the parameters,
 *                      jump to cpu_hatch_start in the higher half
 *
 * The code is position-independent: %ebx holds the page's physical
 * address, and everything is addressed relative to it.
 *
 * The parameters belong to one AP, named by mptramp_apicid.  The first
 * thing an AP does is claim them: swap its own APIC id there for
 * MPTRAMP_CLAIMED.  An AP that finds another id (or MPTRAMP_NONE: the
 * boot CPU gave up on it) halts at once, in real mode, touching nothing.
 * That catches an AP that starts late, after the boot CPU gave up on it
 * and moved on to the next AP or dropped the identity mapping: its
 * INIT and SIPI can stay pending until its vCPU thread runs (QEMU keeps
 * a pending SIPI across INIT, so the INIT meant to park it does not),
 * and without the claim it would run on another AP's stack, or turn on
 * paging in page tables that no longer map this page and triple-fault,
 * resetting the machine without a word.
 */
#include <machine/param.h>

#define MPTRAMP_CLAIMED	0xfffffffe	/* as in cpu.c */

#define OFF(x)	((x) - mptramp_start)

	.section .rodata
	.globl	mptramp_start, mptramp_end
	.globl	mptramp_cr3, mptramp_efer, mptramp_stack, mptramp_ci
	.globl	mptramp_entry, mptramp_ack, mptramp_apicid
	.balign	16
	.code16
mptramp_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds

	/* Our APIC id: CPUID leaf 0xb's x2APIC id if the leaf is there
	 * (EBX != 0), else leaf 1's 8-bit initial APIC id. */
	xorl	%eax, %eax
	cpuid
	cmpl	$0xb, %eax
	jb	1f
	movl	$0xb, %eax
	xorl	%ecx, %ecx
	cpuid
	testw	%bx, %bx
	jz	1f
	movl	%edx, %esi
	jmp	2f
1:	movl	$1, %eax
	cpuid
	shrl	$24, %ebx
	movl	%ebx, %esi
2:	movl	%esi, %eax			/* claim the parameters */
	movl	$MPTRAMP_CLAIMED, %edx
	lock cmpxchgl %edx, OFF(mptramp_apicid)
	jne	tramp_park			/* not ours (any more) */

	xorl	%ebx, %ebx
	movw	%cs, %bx
	shll	$4, %ebx			/* %ebx = this page's address */

	leal	OFF(tramp_gdt)(%ebx), %eax	/* fix up the GDT pointer */
	movl	%eax, OFF(tramp_gdtr) + 2
	leal	OFF(tramp32)(%ebx), %eax	/* and the far jumps */
	movl	%eax, OFF(tramp_ljmp32)
	leal	OFF(tramp64)(%ebx), %eax
	movl	%eax, OFF(tramp_ljmp64)
	lgdtl	OFF(tramp_gdtr)
	movl	%cr0, %eax
	orl	$1, %eax			/* CR0_PE */
	movl	%eax, %cr0
	ljmpl	*OFF(tramp_ljmp32)

	/* Not our parameters: stay here for good (interrupts off, paging
	 * off, so nothing the kernel frees can matter to us). */
tramp_park:
	cli
	hlt
	jmp	tramp_park

	.code32
tramp32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	%cr4, %eax
	orl	$0xa0, %eax			/* CR4_PAE | CR4_PGE */
	movl	%eax, %cr4
	movl	OFF(mptramp_cr3)(%ebx), %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx		/* MSR_EFER */
	rdmsr
	orl	OFF(mptramp_efer)(%ebx), %eax	/* LME, and NXE if present */
	wrmsr
	movl	%cr0, %eax
	orl	$0x80010000, %eax		/* CR0_PG | CR0_WP */
	movl	%eax, %cr0
	ljmp	*OFF(tramp_ljmp64)(%ebx)

	.code64
tramp64:
	movl	%ebx, %ebx			/* upper half is undefined */
	movq	OFF(mptramp_stack)(%rbx), %rsp
	movq	OFF(mptramp_ci)(%rbx), %rdi
	movq	OFF(mptramp_entry)(%rbx), %rcx
	/* Where the ack goes (through the direct map: our identity mapping
	 * is read-only).  cpu_hatch_start writes it once we have left this
	 * page, so the boot CPU may reuse or unmap the page as soon as it
	 * sees it. */
	movabsq	$PMAP_DIRECT_BASE + OFF(mptramp_ack), %rsi
	addq	%rbx, %rsi
	jmp	*%rcx

	.balign	8
tramp_gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: data */
	.quad	0x00cf9a000000ffff		/* 0x18: 32-bit code */
tramp_gdtr:
	.word	tramp_gdtr - tramp_gdt - 1
	.long	0				/* linear base, fixed up */
tramp_ljmp32:
	.long	0
	.word	0x18
tramp_ljmp64:
	.long	0
	.word	0x08
	.balign	8
mptramp_cr3:	.quad	0		/* parameters, set by cpu.c */
mptramp_efer:	.quad	0
mptramp_stack:	.quad	0
mptramp_ci:	.quad	0
mptramp_entry:	.quad	0
mptramp_ack:	.quad	0		/* set by the AP once it has read them */
mptramp_apicid:	.quad	0		/* whose they are; MPTRAMP_CLAIMED once
					 * that AP took them (low 32 bits) */
mptramp_end:

	.text
	.globl	cpu_hatch_start
cpu_hatch_start:			/* %rdi = cpu_info, %rsp = its stack,
					 * %rsi = &mptramp_ack (direct map) */
	movq	$1, (%rsi)		/* off the trampoline page now */
	xorl	%ebp, %ebp
	call	cpu_hatch
	ud2
