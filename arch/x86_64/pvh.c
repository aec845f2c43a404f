/*
 * pvh.c: parse a PVH loader's struct hvm_start_info (pvh.h) into
 * `bootinfo`, the same structure multiboot.c fills from GRUB's tags, so
 * that nothing after init_x86_64() can tell the two boots apart.
 *
 *   hvm_start_info         bootinfo
 *   cmdline_paddr     ->   bi_cmdline
 *   modlist_paddr     ->   bi_mod[] (the first module without a command
 *                          line is named "initrd": QEMU's -initrd and Xen
 *                          give the ramdisk as module 0, unnamed)
 *   memmap_paddr      ->   bi_mem[] (E820 types, as multiboot2's)
 *   rsdp_paddr        ->   bi_rsdp (a copy, as multiboot2's ACPI tags)
 *   (no framebuffer)  ->   bi_fb_addr 0: the serial console, as ever
 *   the structure     ->   bi_info_start/end, kept out of vm_page
 *
 * Like multiboot2_parse(), it trusts nothing: every pointer goes through
 * `map`, which refuses what is out of reach, and whatever is missing or
 * impossible is a message, not a fault.  The memory map, module list and
 * strings are copied here and never read again, so only the structure
 * itself needs to stay out of the page allocator.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/bootinfo.h>
#include "pvh.h"
#include "x86_var.h"

/*
 * Copy the NUL-terminated string at `pa` into dst[size], cut short if it
 * is longer.  It is read a byte at a time through `map`, so a string
 * that ends just before the end of what is mapped is read whole, and one
 * that runs out of it is refused.
 */
static const char *
pvh_string(pvh_map_t map, paddr_t pa, char *dst, size_t size)
{
	const char *p;
	size_t len;

	for (len = 0; len < size - 1; len++) {
		if ((p = map(pa + len, 1)) == NULL)
			return "a string of the hvm_start_info is out of reach";
		if (*p == '\0')
			break;
		dst[len] = *p;
	}
	dst[len] = '\0';
	return NULL;
}

static const char *
pvh_modules(const struct hvm_start_info *si, pvh_map_t map,
    struct bootinfo *bi)
{
	const struct hvm_modlist_entry *ml;
	const char *err;

	if (si->nr_modules == 0)
		return NULL;
	if (si->nr_modules > BI_MAXMOD)
		return "too many boot modules";
	ml = map(si->modlist_paddr, si->nr_modules * sizeof(*ml));
	if (si->modlist_paddr == 0 || ml == NULL)
		return "the module list is out of reach";
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		struct bootinfo_module *bm = &bi->bi_mod[bi->bi_nmod++];

		if (ml[i].paddr == 0)
			return "a boot module has no address";
		if (ml[i].paddr + ml[i].size < ml[i].paddr)
			return "module ends before it starts";
		bm->bmod_start = ml[i].paddr;
		bm->bmod_end = ml[i].paddr + ml[i].size;
		if (ml[i].cmdline_paddr != 0) {
			if ((err = pvh_string(map, ml[i].cmdline_paddr,
			    bm->bmod_cmdline, sizeof(bm->bmod_cmdline))) !=
			    NULL)
				return err;
		} else if (i == 0)
			strlcpy(bm->bmod_cmdline, "initrd",
			    sizeof(bm->bmod_cmdline));
	}
	return NULL;
}

static const char *
pvh_memmap(const struct hvm_start_info *si, pvh_map_t map,
    struct bootinfo *bi)
{
	const struct hvm_memmap_entry *e;
	const char *err;

	if (si->memmap_paddr == 0 || si->memmap_entries == 0)
		return "the boot loader gave no memory map";
	e = map(si->memmap_paddr, (size_t)si->memmap_entries * sizeof(*e));
	if (e == NULL)
		return "the memory map is out of reach";
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		if ((err = bootinfo_add_mem(bi, e[i].addr, e[i].size,
		    e[i].type)) != NULL)
			return err;
	return NULL;
}

/*
 * Parse the hvm_start_info at physical address `pa` into *bi.  Returns
 * NULL on success or a message saying what is wrong.  Version 0 has no
 * memory map (a Xen guest asks the hypervisor for one) and is refused:
 * QEMU's PVH loader gives version 1.
 */
const char *
pvh_parse(paddr_t pa, pvh_map_t map, struct bootinfo *bi)
{
	const struct hvm_start_info *si;
	const uint8_t *rsdp, *xsdp;
	const char *err;

	memset(bi, 0, sizeof(*bi));
	if ((si = map(pa, PVH_START_INFO_V0_SIZE)) == NULL)
		return "the hvm_start_info is out of reach";
	if (si->magic != PVH_START_MAGIC)
		return "the hvm_start_info has the wrong magic";
	if (si->version < 1)
		return "hvm_start_info version 0 has no memory map; "
		    "this kernel needs version 1 or later";
	if ((si = map(pa, sizeof(*si))) == NULL)
		return "the hvm_start_info is out of reach";
	bi->bi_info_start = pa;
	bi->bi_info_end = pa + sizeof(*si);
	snprintf(bi->bi_loader, sizeof(bi->bi_loader),
	    "PVH direct boot (hvm_start_info version %u)", si->version);

	if (si->cmdline_paddr != 0 && (err = pvh_string(map,
	    si->cmdline_paddr, bi->bi_cmdline, sizeof(bi->bi_cmdline))) !=
	    NULL)
		return err;
	if ((err = pvh_modules(si, map, bi)) != NULL)
		return err;
	if (si->rsdp_paddr != 0) {
		/* 20 bytes (ACPI 1), 36 from revision 2 (the XSDP). */
		if ((rsdp = map(si->rsdp_paddr, 20)) == NULL)
			return "the ACPI RSDP is out of reach";
		bi->bi_rsdp_len = 20;
		if (rsdp[15] >= 2 && (xsdp = map(si->rsdp_paddr, 36)) != NULL) {
			rsdp = xsdp;
			bi->bi_rsdp_len = 36;
		}
		memcpy(bi->bi_rsdp, rsdp, bi->bi_rsdp_len);
	}
	return pvh_memmap(si, map, bi);
}
