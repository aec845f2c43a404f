/*
 * locore.S: from the boot loader to C.
 *
 * Two loaders, two entries, one path after them.  GRUB (multiboot2)
 * enters `start` in 32-bit protected mode with paging off, %eax = the
 * multiboot2 magic and %ebx = the boot information's physical address.
 * A PVH loader (QEMU's -kernel: the ELF note in boot/pvh.S names the
 * entry) enters `start_pvh` in the same mode with %ebx = the physical
 * address of a struct hvm_start_info (pvh.h) and %eax undefined;
 * start_pvh takes the structure's own magic for %eax's.  From `boot32`
 * on, both are the same code, and init_x86_64(magic, info) tells them
 * apart by the magic.  This file:
 *
 *   1. checks the magic and that the CPU has long mode, printing a
 *      message on COM1 and exiting QEMU with a failure code otherwise
 *      (a loader we do not understand is refused, never guessed at);
 *   2. builds boot page tables that map the first 4 GiB of physical
 *      memory three times, with 2 MiB pages:
 *        0 .. 4 GiB                        identity (this code runs there)
 *        PMAP_DIRECT_BASE + 0 .. 4 GiB     the start of the direct map
 *        KERNBASE + 0 .. 2 GiB             the kernel image (higher half)
 *   3. turns on PAE, long mode, NX (if present), paging and WP;
 *   4. far-jumps to 64-bit code, then jumps to the higher half, takes
 *      the boot stack, and calls init_x86_64(magic, info) (machdep.c).
 *
 * pmap_bootstrap() later replaces these tables with the final kernel
 * tables (per-section permissions, all of RAM in the direct map, no
 * identity map).  docs/boot.md walks through it.
 */
#include <machine/param.h>

#define MB2_BOOTLOADER_MAGIC	0x36d76289
#define PVH_START_MAGIC		0x336ec578	/* pvh.h */
#define COM1			0x3f8
#define QEMU_EXIT_PORT		0xf4
#define QEMU_EXIT_FAIL		0x11	/* see tools/qemu-run */
#define PG_PWPS			0x83	/* present, writable, 2 MiB */
#define PG_PW			0x03
#define PHYS(x)			((x) - KERNBASE)

	.section .boot.text, "ax"
	.code32
	.globl	start
start:
	cli
	cld
	movl	%eax, %edi		/* magic: init_x86_64's 1st argument */
	movl	%ebx, %esi		/* info: its 2nd */
	movl	$PHYS(boot_stack_top), %esp

	cmpl	$MB2_BOOTLOADER_MAGIC, %edi
	jne	bad_magic
	jmp	boot32

/*
 * The PVH entry.  The ABI defines %cs, %ds and %es (flat 32-bit) but not
 * %ss, so load our GDT and its flat data segment before the first push;
 * %cs stays the loader's until the far jump to 64-bit code below.
 */
	.globl	start_pvh
start_pvh:
	cli
	cld
	lgdt	boot_gdtr
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	(%ebx), %edi		/* hvm_start_info.magic */
	movl	%ebx, %esi
	movl	$PHYS(boot_stack_top), %esp
	cmpl	$PVH_START_MAGIC, %edi
	jne	bad_pvh_magic

boot32:
	/* Long mode?  CPUID 0x80000001 %edx bit 29. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	testl	$(1 << 29), %edx
	jz	no_long_mode
	movl	%edx, %ebp		/* bit 20: NX */

	/* boot_pd: 2048 entries of 2 MiB = physical 0 .. 4 GiB. */
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$PG_PWPS, %eax
	movl	%eax, PHYS(boot_pd)(, %ecx, 8)
	incl	%ecx
	cmpl	$2048, %ecx
	jb	1b

	/* boot_pdpt_low[0..3] -> the four page directories. */
	movl	$PHYS(boot_pd) + PG_PW, %eax
	movl	%eax, PHYS(boot_pdpt_low)
	addl	$4096, %eax
	movl	%eax, PHYS(boot_pdpt_low) + 8
	addl	$4096, %eax
	movl	%eax, PHYS(boot_pdpt_low) + 16
	addl	$4096, %eax
	movl	%eax, PHYS(boot_pdpt_low) + 24

	/* KERNBASE is PML4 slot 511, PDPT slot 510: map 0 .. 2 GiB there. */
	movl	$PHYS(boot_pd) + PG_PW, %eax
	movl	%eax, PHYS(boot_pdpt_high) + 510 * 8
	addl	$4096, %eax
	movl	%eax, PHYS(boot_pdpt_high) + 511 * 8

	movl	$PHYS(boot_pdpt_low) + PG_PW, %eax
	movl	%eax, PHYS(boot_pml4)			/* identity */
	movl	%eax, PHYS(boot_pml4) + 256 * 8		/* direct map */
	movl	$PHYS(boot_pdpt_high) + PG_PW, %eax
	movl	%eax, PHYS(boot_pml4) + 511 * 8		/* kernel */

	movl	%cr4, %eax
	orl	$0x20, %eax		/* CR4_PAE */
	movl	%eax, %cr4
	movl	$PHYS(boot_pml4), %eax
	movl	%eax, %cr3

	movl	$0xc0000080, %ecx	/* MSR_EFER */
	rdmsr
	orl	$0x100, %eax		/* EFER_LME */
	testl	$(1 << 20), %ebp
	jz	2f
	orl	$0x800, %eax		/* EFER_NXE */
2:	wrmsr

	movl	%cr0, %eax
	orl	$0x80010001, %eax	/* CR0_PG | CR0_WP | CR0_PE */
	movl	%eax, %cr0

	lgdt	boot_gdtr
	ljmp	$0x08, $start64

	.code64
start64:
	movabsq	$start_higher, %rax
	jmp	*%rax

	.code32
/* Print the NUL-terminated string at %esi on COM1.  Clobbers %eax, %edx. */
com_puts:
1:	movw	$COM1 + 5, %dx		/* line status: wait for THR empty */
	inb	%dx, %al
	testb	$0x20, %al
	jz	1b
	lodsb
	testb	%al, %al
	jz	2f
	movw	$COM1, %dx
	outb	%al, %dx
	jmp	1b
2:	ret

com_init:
	movw	$COM1 + 1, %dx; movb $0x00, %al; outb %al, %dx	/* no interrupts */
	movw	$COM1 + 3, %dx; movb $0x80, %al; outb %al, %dx	/* DLAB */
	movw	$COM1 + 0, %dx; movb $0x01, %al; outb %al, %dx	/* 115200 */
	movw	$COM1 + 1, %dx; movb $0x00, %al; outb %al, %dx
	movw	$COM1 + 3, %dx; movb $0x03, %al; outb %al, %dx	/* 8N1 */
	movw	$COM1 + 2, %dx; movb $0xc7, %al; outb %al, %dx	/* FIFO */
	ret

/* Print %edi as 8 hex digits. */
com_puthex:
	movl	$8, %ecx
1:	roll	$4, %edi
	movl	%edi, %eax
	andl	$0xf, %eax
	movb	hexdigits(%eax), %al
	movb	%al, hexbuf
	pushl	%ecx
	movl	$hexbuf, %esi
	call	com_puts
	popl	%ecx
	loop	1b
	ret

bad_magic:
	call	com_init
	movl	$msg_magic, %esi
	call	com_puts
	call	com_puthex
	movl	$msg_magic2, %esi
	call	com_puts
	jmp	fail_exit

bad_pvh_magic:
	call	com_init
	movl	$msg_pvh, %esi
	call	com_puts
	call	com_puthex
	movl	$msg_pvh2, %esi
	call	com_puts
	jmp	fail_exit

no_long_mode:
	call	com_init
	movl	$msg_lm, %esi
	call	com_puts

fail_exit:
	movw	$QEMU_EXIT_PORT, %dx
	movl	$QEMU_EXIT_FAIL, %eax
	outl	%eax, %dx
1:	cli
	hlt
	jmp	1b

	.section .boot.data, "aw"
	.balign	8
boot_gdt:
	.quad	0			/* null */
	.quad	0x00af9a000000ffff	/* 0x08: kernel code, 64-bit */
	.quad	0x00cf92000000ffff	/* 0x10: kernel data */
boot_gdtr:
	.word	boot_gdtr - boot_gdt - 1
	.long	boot_gdt
hexdigits:
	.ascii	"0123456789abcdef"
hexbuf:
	.byte	0, 0
msg_magic:
	.asciz	"\r\nkernel: not started by a multiboot2 boot loader (eax=0x"
msg_magic2:
	.asciz	", want 0x36d76289).\r\nkernel: boot the ISO (make qemu), which loads it with GRUB's multiboot2 command, or the ELF with a PVH loader (make qemu BOOT=direct).\r\n"
msg_pvh:
	.asciz	"\r\nkernel: entered through the PVH note, but %ebx points to no hvm_start_info (magic 0x"
msg_pvh2:
	.asciz	", want 0x336ec578).\r\nkernel: boot it with a PVH loader (make qemu BOOT=direct: QEMU -kernel) or from the ISO (make qemu).\r\n"
msg_lm:
	.asciz	"\r\nkernel: this CPU has no long mode (x86-64); cannot boot.\r\n"

	.text
	.code64
start_higher:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$boot_stack_top, %rsp
	xorl	%ebp, %ebp		/* backtraces stop here */
	movl	%edi, %edi		/* upper halves are undefined */
	movl	%esi, %esi
#ifdef KASAN
	/* An early shadow for the compiler's stack redzones (sys/kasan.h). */
	pushq	%rdi
	pushq	%rsi
	call	kasan_md_early_init
	popq	%rsi
	popq	%rdi
#endif
	call	init_x86_64
	ud2

/*
 * Boot page tables and the boot-time stacks.  Each stack has an unmapped
 * guard page below it (pmap_bootstrap() removes the guard's mapping), so
 * an overflow faults instead of silently overwriting whatever lies
 * below.  The double-fault and NMI handlers run on their own stacks
 * (IST), so even a stack overflow is reported.
 */
	.section .bss.pagealigned, "aw", @nobits
	.balign	4096
boot_pml4:	.skip	4096
boot_pdpt_low:	.skip	4096
boot_pdpt_high:	.skip	4096
boot_pd:	.skip	4 * 4096

#define STACK(name, size)		\
	.globl	name##_guard, name, name##_top; \
name##_guard:	.skip	4096;		\
name:		.skip	size;		\
name##_top:

	STACK(boot_stack, BOOT_STACK_SIZE)
	STACK(df_stack, IST_STACK_SIZE)
	STACK(nmi_stack, IST_STACK_SIZE)
	STACK(mc_stack, IST_STACK_SIZE)
