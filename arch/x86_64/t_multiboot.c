/*
 * t_multiboot.c: ktests for multiboot2_parse() with hand-made boot
 * information blocks, good and bad.
 */
#include <sys/systm.h>
#include <sys/bootinfo.h>
#include <sys/ktest.h>
#include "multiboot2.h"
#include "pvh.h"
#include "x86_var.h"

/* A block builder: tags appended at 8-byte alignment. */
struct mbbuf {
	uint8_t	b[1024] __aligned(8);
	size_t	len;
};

static void *
mb_tag(struct mbbuf *mb, uint32_t type, uint32_t size)
{
	struct mb2_tag *t = (void *)(mb->b + mb->len);

	memset(t, 0, size);
	t->type = type;
	t->size = size;
	mb->len += (size + 7) & ~7u;
	return t;
}

static void
mb_begin(struct mbbuf *mb)
{
	memset(mb, 0, sizeof(*mb));
	mb->len = sizeof(struct mb2_info);
}

static void
mb_end(struct mbbuf *mb)
{
	mb_tag(mb, MB2_TAG_END, 8);
	((struct mb2_info *)mb->b)->total_size = mb->len;
}

static void
mb_mmap(struct mbbuf *mb)
{
	struct mb2_tag_mmap *m = mb_tag(mb, MB2_TAG_MMAP,
	    sizeof(*m) + 2 * sizeof(struct mb2_mmap_entry));
	struct mb2_mmap_entry *e = (void *)(m + 1);

	m->entry_size = sizeof(*e);
	e[0] = (struct mb2_mmap_entry){ 0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0 };
	e[1] = (struct mb2_mmap_entry){ 0x100000, 0x7f00000,
	    MB2_MEMORY_AVAILABLE, 0 };
}

KTEST(multiboot_parse_good)
{
	static struct mbbuf mb;
	static struct bootinfo bi;
	const char *cmd = "ktest=all x=1";
	char *s;

	mb_begin(&mb);
	s = mb_tag(&mb, MB2_TAG_CMDLINE, 8 + strlen(cmd) + 1);
	memcpy(s + 8, cmd, strlen(cmd) + 1);
	mb_mmap(&mb);
	struct mb2_tag_module *mod = mb_tag(&mb, MB2_TAG_MODULE,
	    sizeof(*mod) + 7);
	mod->mod_start = 0x400000;
	mod->mod_end = 0x401000;
	memcpy(mod + 1, "initrd", 7);
	/* The new (XSDP) tag wins even when the old one comes after it. */
	uint8_t *acpi = mb_tag(&mb, MB2_TAG_ACPI_NEW, 8 + 36);
	acpi[8 + 15] = 2;
	acpi = mb_tag(&mb, MB2_TAG_ACPI_OLD, 8 + 20);
	acpi[8 + 15] = 0;
	mb_tag(&mb, 999, 16);			/* unknown: skipped */
	mb_end(&mb);

	KT_ASSERT(multiboot2_parse(mb.b, 0x10000, &bi) == NULL);
	KT_STREQ(bi.bi_cmdline, cmd);
	KT_EQ(bi.bi_nmem, 2);
	KT_EQ(bi.bi_mem[1].bm_start, 0x100000);
	KT_EQ(bi.bi_mem[1].bm_end, 0x8000000);
	KT_EQ(bi.bi_mem[1].bm_type, BI_MEM_AVAILABLE);
	KT_EQ(bi.bi_nmod, 1);
	KT_STREQ(bi.bi_mod[0].bmod_cmdline, "initrd");
	KT_EQ(bi.bi_rsdp_len, 36);
	KT_EQ(bi.bi_rsdp[15], 2);
	KT_EQ(bi.bi_info_start, 0x10000);
	KT_EQ(bi.bi_info_end, 0x10000 + mb.len);
}

KTEST(multiboot_parse_bad)
{
	static struct mbbuf mb;
	static struct bootinfo bi;
	const char *err;

	/* No memory map: refused with a message. */
	mb_begin(&mb);
	mb_tag(&mb, MB2_TAG_CMDLINE, 9);
	mb_end(&mb);
	err = multiboot2_parse(mb.b, 0, &bi);
	KT_ASSERT(err != NULL && strcmp(err,
	    "the boot loader gave no memory map") == 0);

	/* A tag claiming to run past the end of the block. */
	mb_begin(&mb);
	mb_mmap(&mb);
	struct mb2_tag *t = mb_tag(&mb, MB2_TAG_CMDLINE, 16);
	mb_end(&mb);
	t->size = 4096;
	err = multiboot2_parse(mb.b, 0, &bi);
	KT_STREQ(err, "boot information tag runs past the end");

	/* A memory map whose size overruns the block: refused before its
	 * entries are read (the entries it claims are not there). */
	mb_begin(&mb);
	struct mb2_tag_mmap *m = mb_tag(&mb, MB2_TAG_MMAP,
	    sizeof(*m) + sizeof(struct mb2_mmap_entry));
	m->entry_size = sizeof(struct mb2_mmap_entry);
	mb_end(&mb);
	m->size = 64 * sizeof(struct mb2_mmap_entry);
	err = multiboot2_parse(mb.b, 0, &bi);
	KT_STREQ(err, "boot information tag runs past the end");
	KT_EQ(bi.bi_nmem, 0);

	/* No end tag: the walk must stop at total_size. */
	mb_begin(&mb);
	mb_mmap(&mb);
	((struct mb2_info *)mb.b)->total_size = mb.len;
	err = multiboot2_parse(mb.b, 0, &bi);
	KT_STREQ(err, "boot information tag runs past the end");

	/* Impossible sizes. */
	((struct mb2_info *)mb.b)->total_size = 4;
	err = multiboot2_parse(mb.b, 0, &bi);
	KT_STREQ(err, "boot information has an impossible size");
	((struct mb2_info *)mb.b)->total_size = 0x7fffffff;
	err = multiboot2_parse(mb.b, 0, &bi);
	KT_STREQ(err, "boot information has an impossible size");

	/* A memory-map tag with entries too small to be entries. */
	mb_begin(&mb);
	m = mb_tag(&mb, MB2_TAG_MMAP, sizeof(*m) + 8);
	m->entry_size = 8;
	mb_end(&mb);
	err = multiboot2_parse(mb.b, 0, &bi);
	KT_STREQ(err, "memory map tag is malformed");
}

/* Memory-map entries that wrap around or lie beyond what the direct map
 * can cover are clipped, not believed. */
KTEST(multiboot_parse_clamps_mmap)
{
	static struct mbbuf mb;
	static struct bootinfo bi;

	mb_begin(&mb);
	struct mb2_tag_mmap *m = mb_tag(&mb, MB2_TAG_MMAP,
	    sizeof(*m) + 3 * sizeof(struct mb2_mmap_entry));
	struct mb2_mmap_entry *e = (void *)(m + 1);
	m->entry_size = sizeof(*e);
	e[0] = (struct mb2_mmap_entry){ 0x100000, 0x1000000,
	    MB2_MEMORY_AVAILABLE, 0 };
	e[1] = (struct mb2_mmap_entry){ 0xfffffffffffff000UL, 0x2000,
	    MB2_MEMORY_AVAILABLE, 0 };		/* wraps */
	e[2] = (struct mb2_mmap_entry){ 0x3fff00000000UL, 0x200000000UL,
	    MB2_MEMORY_AVAILABLE, 0 };		/* crosses 64 TiB */
	mb_end(&mb);
	KT_ASSERT(multiboot2_parse(mb.b, 0, &bi) == NULL);
	KT_EQ(bi.bi_nmem, 2);
	KT_EQ(bi.bi_mem[1].bm_start, 0x3fff00000000UL);
	KT_EQ(bi.bi_mem[1].bm_end, BOOT_PHYS_LIMIT);
}

/* The real boot information was parsed, whichever way we came in: a
 * memory map with RAM, and the loader's name agreeing with the protocol
 * locore.S saw (tools/scenarios boots both: the ISO and BOOT=direct). */
KTEST(multiboot_bootinfo_real)
{
	size_t avail = 0;

	for (int i = 0; i < bootinfo.bi_nmem; i++)
		if (bootinfo.bi_mem[i].bm_type == BI_MEM_AVAILABLE)
			avail += bootinfo.bi_mem[i].bm_end -
			    bootinfo.bi_mem[i].bm_start;
	KT_ASSERT(avail > 16 * 1024 * 1024);
	/* The loaders pass the RSDP when the machine has ACPI (tools/test's
	 * no-acpi scenario boots one without). */
	if (bootinfo.bi_rsdp_len != 0) {
		KT_ASSERT(bootinfo.bi_rsdp_len >= 20);
		KT_ASSERT(memcmp(bootinfo.bi_rsdp, "RSD PTR ", 8) == 0);
	}
	if (x86_boot_magic == MB2_BOOTLOADER_MAGIC)
		KT_ASSERT(strncmp(bootinfo.bi_loader, "GRUB", 4) == 0);
	else {
		KT_EQ(x86_boot_magic, PVH_START_MAGIC);
		KT_ASSERT(strncmp(bootinfo.bi_loader, "PVH direct boot",
		    15) == 0);
	}
	/* The initrd came as a module either way, named as vfs_initrd.c
	 * looks for it. */
	KT_ASSERT(bootinfo.bi_nmod >= 1);
	KT_STREQ(bootinfo.bi_mod[0].bmod_cmdline, "initrd");
}
