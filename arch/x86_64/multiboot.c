/*
 * multiboot.c: parse GRUB's multiboot2 boot information into `bootinfo`.
 *
 * The information is a size-prefixed list of 8-byte-aligned tags
 * (Multiboot2 spec, section 3.6).  multiboot2_parse() trusts nothing: it
 * checks every tag's size against the block's, stops at the end tag, and
 * reports what is missing or malformed as a message instead of reading
 * past the end.  It only reads the block and writes *bi, so the ktests in
 * t_multiboot.c feed it hand-made blocks, good and bad.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/bootinfo.h>
#include "multiboot2.h"
#include "x86_var.h"

static const char *
parse_mmap(const struct mb2_tag_mmap *t, struct bootinfo *bi)
{
	const uint8_t *p, *end;
	const char *err;

	if (t->size < sizeof(*t) || t->entry_size < sizeof(struct mb2_mmap_entry))
		return "memory map tag is malformed";
	p = (const uint8_t *)(t + 1);
	end = (const uint8_t *)t + t->size;
	for (; p + t->entry_size <= end; p += t->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;

		/* The multiboot2 memory types are E820's. */
		if ((err = bootinfo_add_mem(bi, e->addr, e->len, e->type)) !=
		    NULL)
			return err;
	}
	return NULL;
}

/*
 * Parse the block at `info` (physical address `pa`, for bi_info_*).
 * Returns NULL on success or a message saying what is wrong.
 */
const char *
multiboot2_parse(const void *info, paddr_t pa, struct bootinfo *bi)
{
	const struct mb2_info *hdr = info;
	const uint8_t *p, *end;
	const char *err;
	bool have_mmap = false, have_new_rsdp = false;

	memset(bi, 0, sizeof(*bi));
	if (hdr->total_size < sizeof(*hdr) + sizeof(struct mb2_tag) ||
	    hdr->total_size > 16 * 1024 * 1024)
		return "boot information has an impossible size";
	bi->bi_info_start = pa;
	bi->bi_info_end = pa + hdr->total_size;

	p = (const uint8_t *)(hdr + 1);
	end = (const uint8_t *)hdr + hdr->total_size;
	for (;;) {
		const struct mb2_tag *tag = (const void *)p;

		if (p + sizeof(*tag) > end || tag->size < sizeof(*tag) ||
		    tag->size > (size_t)(end - p))
			return "boot information tag runs past the end";
		if (tag->type == MB2_TAG_END)
			break;
		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			bootinfo_copystr(bi->bi_cmdline,
			    sizeof(bi->bi_cmdline), tag + 1,
			    tag->size - sizeof(*tag));
			break;
		case MB2_TAG_LOADER_NAME:
			bootinfo_copystr(bi->bi_loader,
			    sizeof(bi->bi_loader), tag + 1,
			    tag->size - sizeof(*tag));
			break;
		case MB2_TAG_MODULE: {
			const struct mb2_tag_module *m = (const void *)tag;
			struct bootinfo_module *bm;

			if (tag->size < sizeof(*m))
				return "module tag is malformed";
			if (bi->bi_nmod == BI_MAXMOD)
				return "too many boot modules";
			if (m->mod_end < m->mod_start)
				return "module ends before it starts";
			bm = &bi->bi_mod[bi->bi_nmod++];
			bm->bmod_start = m->mod_start;
			bm->bmod_end = m->mod_end;
			bootinfo_copystr(bm->bmod_cmdline,
			    sizeof(bm->bmod_cmdline), m + 1,
			    tag->size - sizeof(*m));
			break;
		}
		case MB2_TAG_MMAP:
			if ((err = parse_mmap((const void *)tag, bi)) != NULL)
				return err;
			have_mmap = true;
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW: {
			size_t len = tag->size - sizeof(*tag);
			bool isnew = tag->type == MB2_TAG_ACPI_NEW;

			/* Prefer the new (XSDP) copy whatever the tag order. */
			if (have_new_rsdp && !isnew)
				break;
			if (len > sizeof(bi->bi_rsdp))
				len = sizeof(bi->bi_rsdp);
			if (len < 20)
				return "ACPI RSDP tag is too short";
			memcpy(bi->bi_rsdp, tag + 1, len);
			bi->bi_rsdp_len = len;
			have_new_rsdp |= isnew;
			break;
		}
		case MB2_TAG_FRAMEBUFFER: {
			const struct mb2_tag_framebuffer *fb = (const void *)tag;

			if (tag->size < sizeof(*fb))
				return "framebuffer tag is malformed";
			bi->bi_fb_addr = fb->addr;
			bi->bi_fb_pitch = fb->pitch;
			bi->bi_fb_width = fb->width;
			bi->bi_fb_height = fb->height;
			bi->bi_fb_bpp = fb->bpp;
			bi->bi_fb_type = fb->fbtype;
			break;
		}
		default:		/* tags we do not use */
			break;
		}
		p += (tag->size + 7) & ~7u;
	}
	if (!have_mmap)
		return "the boot loader gave no memory map";
	return NULL;
}
