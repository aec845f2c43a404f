/*
 * pvh.h: the x86/HVM direct boot ABI ("PVH"), the other way in besides
 * multiboot2.  A loader that finds the XEN_ELFNOTE_PHYS32_ENTRY note in
 * the kernel ELF (boot/pvh.S) loads the segments at their physical
 * addresses and jumps to the note's address in 32-bit protected mode,
 * paging off, with %ebx = the physical address of a struct
 * hvm_start_info (Xen's public arch-x86/hvm/start_info.h; QEMU's -kernel
 * builds one in its pvh.bin option ROM).  Arch-private.
 *
 * Every address in these structures is physical and 64 bits wide; 0
 * means "not given" (nothing is ever loaded at physical 0).
 */
#ifndef _X86_64_PVH_H_
#define _X86_64_PVH_H_

#include <sys/types.h>
#include <sys/bootinfo.h>

#define PVH_START_MAGIC		0x336ec578	/* "xEn3", 0x80 on the E */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* hvm_start_info: 40 bytes in version 0, 56 from version 1 on. */
struct hvm_start_info {
	uint32_t	magic;		/* PVH_START_MAGIC */
	uint32_t	version;	/* 0, or 1: memmap_* are valid */
	uint32_t	flags;		/* SIF_*: Xen's; unused here */
	uint32_t	nr_modules;
	uint64_t	modlist_paddr;	/* nr_modules hvm_modlist_entry */
	uint64_t	cmdline_paddr;	/* NUL-terminated */
	uint64_t	rsdp_paddr;	/* the ACPI RSDP, or 0 */
	/* version >= 1: */
	uint64_t	memmap_paddr;	/* memmap_entries hvm_memmap_entry */
	uint32_t	memmap_entries;
	uint32_t	reserved;
};
#define PVH_START_INFO_V0_SIZE	40

struct hvm_modlist_entry {
	uint64_t	paddr;
	uint64_t	size;
	uint64_t	cmdline_paddr;	/* NUL-terminated, or 0 */
	uint64_t	reserved;
};

/* One range of the memory map: the E820 layout, 24 bytes. */
struct hvm_memmap_entry {
	uint64_t	addr;
	uint64_t	size;
	uint32_t	type;		/* PVH_MEMMAP_* */
	uint32_t	reserved;
};

#define PVH_MEMMAP_RAM		1
#define PVH_MEMMAP_RESERVED	2
#define PVH_MEMMAP_ACPI		3
#define PVH_MEMMAP_NVS		4
#define PVH_MEMMAP_UNUSABLE	5
#define PVH_MEMMAP_DISABLED	6
#define PVH_MEMMAP_PMEM		7

/*
 * How pvh_parse() reaches physical memory: a pointer to the `len` bytes
 * at `pa`, or NULL if any of them is out of reach.  At boot it is the
 * boot page tables' direct map of the first 4 GiB; the ktests hand it a
 * fake physical memory.
 */
typedef const void *(*pvh_map_t)(paddr_t pa, size_t len);

const char *pvh_parse(paddr_t, pvh_map_t, struct bootinfo *);

#endif /* !_X86_64_PVH_H_ */
