/*
 * pvh.S: the ELF note that makes the kernel bootable without GRUB.
 *
 * A loader of the x86/HVM direct boot ABI ("PVH": QEMU's -kernel, Xen,
 * Firecracker, cloud-hypervisor) looks for a note of type
 * XEN_ELFNOTE_PHYS32_ENTRY, owner "Xen", in the ELF's PT_NOTE segment.
 * Its 4-byte descriptor is the physical address of the 32-bit entry,
 * `start_pvh` in arch/x86_64/locore.S.  The loader puts the ELF's
 * segments at their physical addresses and jumps there with paging off
 * and %ebx = a struct hvm_start_info (arch/x86_64/pvh.h;
 * docs/boot.md, "The PVH path").
 *
 * QEMU tries multiboot (version 1) before PVH, and the kernel has no
 * multiboot1 header, so `qemu -kernel build/kernel.elf` always takes
 * this path.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY	18

	.section .note.Xen, "a"
	.balign 4
	.long	4			/* name size: "Xen\0" */
	.long	4			/* descriptor size */
	.long	XEN_ELFNOTE_PHYS32_ENTRY
	.asciz	"Xen"
	.balign 4
	.long	start_pvh		/* 32-bit physical entry */
