/*
 * bootinfo.c: `bootinfo`, and what the two boot-information parsers
 * (multiboot.c for GRUB's multiboot2, pvh.c for the PVH direct boot)
 * share.  Both translate what their loader gives into the same struct
 * bootinfo, so nothing after init_x86_64() can tell how we were booted
 * (except the loader's name, which main() prints).
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/bootinfo.h>
#include "x86_var.h"

struct bootinfo bootinfo;

/*
 * Copy the string at `src`, of which at most `maxlen` bytes may be read,
 * into dst[size], cut short if need be and always NUL-terminated.
 */
void
bootinfo_copystr(char *dst, size_t size, const void *src, size_t maxlen)
{
	size_t n = strnlen(src, maxlen);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * Add the range [addr, addr + len) of E820 type `type` to bi's memory
 * map.  Multiboot2's memory types and PVH's are the E820 ones (1 RAM,
 * 2 reserved, 3 ACPI reclaimable, 4 ACPI NVS, 5 bad); anything else
 * (PVH's 6 disabled, 7 persistent memory) is kept out as reserved.
 * Empty or wrapping ranges are skipped and ranges are clipped at
 * BOOT_PHYS_LIMIT, the most the direct map covers: a loader's word is
 * not believed where it cannot be true.  Returns NULL, or why not.
 */
const char *
bootinfo_add_mem(struct bootinfo *bi, uint64_t addr, uint64_t len,
    uint32_t type)
{
	struct bootinfo_mem *m;
	uint64_t end = addr + len;

	if (len == 0 || end < addr || addr >= BOOT_PHYS_LIMIT)
		return NULL;
	if (bi->bi_nmem == BI_MAXMEM)
		return "memory map has too many entries";
	m = &bi->bi_mem[bi->bi_nmem++];
	m->bm_start = addr;
	m->bm_end = MIN(end, BOOT_PHYS_LIMIT);
	switch (type) {
	case 1:		m->bm_type = BI_MEM_AVAILABLE; break;
	case 3:		m->bm_type = BI_MEM_ACPI_RECLAIM; break;
	case 4:		m->bm_type = BI_MEM_ACPI_NVS; break;
	case 5:		m->bm_type = BI_MEM_BAD; break;
	default:	m->bm_type = BI_MEM_RESERVED; break;
	}
	return NULL;
}
