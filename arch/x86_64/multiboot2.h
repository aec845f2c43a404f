/*
 * multiboot2.h: the boot information GRUB hands over (Multiboot2
 * specification, section 3.6).  Arch-private.
 */
#ifndef _X86_64_MULTIBOOT2_H_
#define _X86_64_MULTIBOOT2_H_

#include <sys/types.h>
#include <sys/bootinfo.h>

#define MB2_BOOTLOADER_MAGIC	0x36d76289

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_MEMINFO		4
#define MB2_TAG_MMAP		6
#define MB2_TAG_FRAMEBUFFER	8
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15

#define MB2_MEMORY_AVAILABLE		1
#define MB2_MEMORY_RESERVED		2
#define MB2_MEMORY_ACPI_RECLAIMABLE	3
#define MB2_MEMORY_NVS			4
#define MB2_MEMORY_BADRAM		5

struct mb2_info {
	uint32_t	total_size;
	uint32_t	reserved;
};

struct mb2_tag {
	uint32_t	type;
	uint32_t	size;		/* including this header */
};

struct mb2_tag_module {
	uint32_t	type, size;
	uint32_t	mod_start, mod_end;
	/* NUL-terminated command line follows */
};

struct mb2_mmap_entry {
	uint64_t	addr;
	uint64_t	len;
	uint32_t	type;
	uint32_t	zero;
};

struct mb2_tag_mmap {
	uint32_t	type, size;
	uint32_t	entry_size;
	uint32_t	entry_version;
	/* entries follow */
};

struct mb2_tag_framebuffer {
	uint32_t	type, size;
	uint64_t	addr;
	uint32_t	pitch, width, height;
	uint8_t		bpp, fbtype;
	uint16_t	reserved;
};

const char *multiboot2_parse(const void *, paddr_t, struct bootinfo *);

#endif /* !_X86_64_MULTIBOOT2_H_ */
