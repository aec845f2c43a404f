/*
 * machine/param.h: the port's names, page size and the kernel's virtual
 * address layout.
 * Interface header (reached through <sys/param.h>).  docs/boot.md draws
 * the layout.
 */
#ifndef _MACHINE_PARAM_H_
#define _MACHINE_PARAM_H_

#ifdef __ASSEMBLER__
#define __UL(x)		x
#else
#define __UL(x)		x##UL
#endif

/*
 * The port's names (NetBSD's macros and values): MACHINE is uname's
 * machine, MACHINE_ARCH the CPU architecture; MACHINE_ARCH_NAME is how
 * people write the latter, for the boot banner (lwpkern's).
 */
#define MACHINE			"amd64"
#define MACHINE_ARCH		"x86_64"
#define MACHINE_ARCH_NAME	"x86-64"

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1 << PAGE_SHIFT)
#define PAGE_MASK	(PAGE_SIZE - 1)

/*
 * Kernel virtual address space (top half of the 48-bit space):
 *
 *   0xffff800000000000  PMAP_DIRECT_BASE  all physical memory, RW+NX
 *   0xffffff0000000000  KVA_BASE          mapped-on-demand kernel VA:
 *                                          kernel stacks with guard pages
 *   0xffffffff80000000  KERNBASE          kernel image (phys 0 + offset)
 */
#define PMAP_DIRECT_BASE	__UL(0xffff800000000000)
#define PMAP_DIRECT_SIZE	__UL(0x0000400000000000)	/* 64 TiB */
#define KVA_BASE		__UL(0xffffff0000000000)
#define KVA_SIZE		__UL(0x0000008000000000)	/* 512 GiB */
#define KERNBASE		__UL(0xffffffff80000000)
#define KERNEL_LOAD_PADDR	__UL(0x200000)		/* 2 MiB */

/* Boot/IST stacks live in the image; LWP kernel stacks come later. */
#define BOOT_STACK_SIZE		(4 * PAGE_SIZE)
#define IST_STACK_SIZE		(2 * PAGE_SIZE)
#define KSTACK_PAGES		4
#define KSTACK_SIZE		(KSTACK_PAGES * PAGE_SIZE)

#endif /* !_MACHINE_PARAM_H_ */
