/*
 * multiboot2.S: the header GRUB looks for in the first 32 KiB of the
 * kernel file (Multiboot2 spec, section 3.1).  GRUB then loads the ELF
 * segments at their physical addresses and jumps to the ELF entry point
 * (`start` in arch/x86_64/locore.S) in 32-bit protected mode, paging
 * off, with %eax = MULTIBOOT2_BOOTLOADER_MAGIC and %ebx = the physical
 * address of the boot information.
 *
 * The same ELF boots without GRUB through its PVH note (boot/pvh.S).
 */
#define MB2_MAGIC		0xe85250d6
#define MB2_ARCH_I386		0
#define MB2_TAG_END		0
#define MB2_TAG_MODULE_ALIGN	6

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long	MB2_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	-(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	/* Page-align modules (the initrd comes as one). */
	.balign 8
	.short	MB2_TAG_MODULE_ALIGN
	.short	0
	.long	8

	.balign 8
	.short	MB2_TAG_END
	.short	0
	.long	8
mb2_header_end:

