/*
 * t_pvh.c: ktests for pvh_parse() with hand-made hvm_start_info
 * structures, good and bad, in a fake physical memory: the parser reads
 * only through the map function it is given, here one that knows
 * nothing but FAKE_PA .. FAKE_PA + sizeof(fakemem).
 */
#include <sys/systm.h>
#include <sys/bootinfo.h>
#include <sys/ktest.h>
#include "pvh.h"
#include "x86_var.h"

#define FAKE_PA		0x100000UL
/* Where each part goes in the fake memory (offsets). */
#define O_INFO		0x000
#define O_CMDLINE	0x100
#define O_MODLIST	0x200
#define O_MODNAME	0x2c0
#define O_RSDP		0x300
#define O_MEMMAP	0x400

static uint8_t fakemem[8192] __aligned(8);

static const void *
fake_map(paddr_t pa, size_t len)
{
	if (pa < FAKE_PA || pa + len < pa ||
	    pa + len > FAKE_PA + sizeof(fakemem))
		return NULL;
	return fakemem + (pa - FAKE_PA);
}

static void *
at(size_t off)
{
	return fakemem + off;
}

/* Parse the start info at FAKE_PA into fake_bi: NULL or the message. */
static struct bootinfo fake_bi;

static const char *
fake_parse(void)
{
	return pvh_parse(FAKE_PA, fake_map, &fake_bi);
}

/* A good start info: command line, two modules (the first unnamed), an
 * ACPI 2 RSDP and a memory map of four ranges. */
static struct hvm_start_info *
fake_good(void)
{
	struct hvm_start_info *si = at(O_INFO);
	struct hvm_modlist_entry *ml = at(O_MODLIST);
	struct hvm_memmap_entry *mm = at(O_MEMMAP);
	uint8_t *rsdp = at(O_RSDP);

	memset(fakemem, 0, sizeof(fakemem));
	si->magic = PVH_START_MAGIC;
	si->version = 1;
	strlcpy(at(O_CMDLINE), "ktest=all x=1", 64);
	si->cmdline_paddr = FAKE_PA + O_CMDLINE;
	si->nr_modules = 2;
	si->modlist_paddr = FAKE_PA + O_MODLIST;
	ml[0] = (struct hvm_modlist_entry){ 0xfd41000, 0x296800, 0, 0 };
	strlcpy(at(O_MODNAME), "extra", 16);
	ml[1] = (struct hvm_modlist_entry){ 0x800000, 0x1000,
	    FAKE_PA + O_MODNAME, 0 };
	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[15] = 2;
	rsdp[35] = 0x5a;			/* the XSDP's last byte */
	si->rsdp_paddr = FAKE_PA + O_RSDP;
	mm[0] = (struct hvm_memmap_entry){ 0, 0x9fc00, PVH_MEMMAP_RAM, 0 };
	mm[1] = (struct hvm_memmap_entry){ 0xf0000, 0x10000,
	    PVH_MEMMAP_RESERVED, 0 };
	mm[2] = (struct hvm_memmap_entry){ 0x100000, 0xfedf000,
	    PVH_MEMMAP_RAM, 0 };
	mm[3] = (struct hvm_memmap_entry){ 0x100000000UL, 0x40000000,
	    PVH_MEMMAP_PMEM, 0 };
	si->memmap_paddr = FAKE_PA + O_MEMMAP;
	si->memmap_entries = 4;
	return si;
}

KTEST(pvh_parse_good)
{
	fake_good();
	KT_ASSERT(fake_parse() == NULL);
	KT_STREQ(fake_bi.bi_cmdline, "ktest=all x=1");
	KT_STREQ(fake_bi.bi_loader,
	    "PVH direct boot (hvm_start_info version 1)");
	KT_EQ(fake_bi.bi_info_start, FAKE_PA + O_INFO);
	KT_EQ(fake_bi.bi_info_end,
	    FAKE_PA + O_INFO + sizeof(struct hvm_start_info));
	KT_EQ(fake_bi.bi_nmod, 2);
	KT_EQ(fake_bi.bi_mod[0].bmod_start, 0xfd41000);
	KT_EQ(fake_bi.bi_mod[0].bmod_end, 0xfd41000 + 0x296800);
	/* Unnamed, and the first: the ramdisk. */
	KT_STREQ(fake_bi.bi_mod[0].bmod_cmdline, "initrd");
	KT_STREQ(fake_bi.bi_mod[1].bmod_cmdline, "extra");
	KT_EQ(fake_bi.bi_rsdp_len, 36);
	KT_ASSERT(memcmp(fake_bi.bi_rsdp, "RSD PTR ", 8) == 0);
	KT_EQ(fake_bi.bi_rsdp[35], 0x5a);
	KT_EQ(fake_bi.bi_nmem, 4);
	KT_EQ(fake_bi.bi_mem[0].bm_end, 0x9fc00);
	KT_EQ(fake_bi.bi_mem[1].bm_type, BI_MEM_RESERVED);
	KT_EQ(fake_bi.bi_mem[2].bm_start, 0x100000);
	KT_EQ(fake_bi.bi_mem[2].bm_end, 0xffdf000);
	KT_EQ(fake_bi.bi_mem[2].bm_type, BI_MEM_AVAILABLE);
	KT_EQ(fake_bi.bi_mem[3].bm_type, BI_MEM_RESERVED); /* PMEM: not RAM */
	KT_EQ(fake_bi.bi_fb_addr, 0);			/* no framebuffer */
}

/* What may be absent is absent: no command line, no modules, no RSDP,
 * an ACPI 1 RSDP of 20 bytes; a command line that ends just before the
 * end of what can be mapped is still read whole. */
KTEST(pvh_parse_optional)
{
	struct hvm_start_info *si;
	char *tail = at(sizeof(fakemem) - 6);

	si = fake_good();
	si->cmdline_paddr = 0;
	si->nr_modules = 0;
	si->rsdp_paddr = 0;
	KT_ASSERT(fake_parse() == NULL);
	KT_STREQ(fake_bi.bi_cmdline, "");
	KT_EQ(fake_bi.bi_nmod, 0);
	KT_EQ(fake_bi.bi_rsdp_len, 0);
	KT_EQ(fake_bi.bi_nmem, 4);

	si = fake_good();
	((uint8_t *)at(O_RSDP))[15] = 0;
	strlcpy(tail, "run=1", 6);
	si->cmdline_paddr = FAKE_PA + sizeof(fakemem) - 6;
	KT_ASSERT(fake_parse() == NULL);
	KT_EQ(fake_bi.bi_rsdp_len, 20);
	KT_STREQ(fake_bi.bi_cmdline, "run=1");
}

#define NOREACH_STR	"a string of the hvm_start_info is out of reach"

/* Whatever is wrong is a message; nothing outside the structure and
 * what it points to is read. */
KTEST(pvh_parse_bad)
{
	struct hvm_start_info *si;
	struct hvm_modlist_entry *ml = at(O_MODLIST);

	si = fake_good();
	si->magic = 0x2badb002;
	KT_STREQ(fake_parse(), "the hvm_start_info has the wrong magic");

	si = fake_good();
	si->version = 0;
	KT_STREQ(fake_parse(),
	    "hvm_start_info version 0 has no memory map; "
	    "this kernel needs version 1 or later");

	KT_STREQ(pvh_parse(0x7000, fake_map, &fake_bi),
	    "the hvm_start_info is out of reach");
	/* Version 0's 40 bytes fit, version 1's 56 do not. */
	memset(fakemem, 0, sizeof(fakemem));
	((uint32_t *)at(sizeof(fakemem) - PVH_START_INFO_V0_SIZE))[0] =
	    PVH_START_MAGIC;
	((uint32_t *)at(sizeof(fakemem) - PVH_START_INFO_V0_SIZE))[1] = 1;
	KT_STREQ(pvh_parse(FAKE_PA + sizeof(fakemem) - PVH_START_INFO_V0_SIZE,
	    fake_map, &fake_bi), "the hvm_start_info is out of reach");

	si = fake_good();
	si->memmap_entries = 0;
	KT_STREQ(fake_parse(), "the boot loader gave no memory map");
	si = fake_good();
	si->memmap_paddr = 0;
	KT_STREQ(fake_parse(), "the boot loader gave no memory map");
	si = fake_good();
	si->memmap_entries = 0x10000000;	/* runs far past the end */
	KT_STREQ(fake_parse(), "the memory map is out of reach");
	/* More ranges than bootinfo holds: multiboot2's message. */
	si = fake_good();
	for (int i = 0; i <= BI_MAXMEM; i++)
		((struct hvm_memmap_entry *)at(O_MEMMAP))[i] =
		    (struct hvm_memmap_entry){ 0x100000UL * (i + 1), 0x1000,
		    PVH_MEMMAP_RAM, 0 };
	si->memmap_entries = BI_MAXMEM + 1;
	KT_STREQ(fake_parse(), "memory map has too many entries");

	si = fake_good();
	si->nr_modules = BI_MAXMOD + 1;
	KT_STREQ(fake_parse(), "too many boot modules");
	si = fake_good();
	si->modlist_paddr = 0;
	KT_STREQ(fake_parse(), "the module list is out of reach");
	fake_good();
	ml[1].size = ~0UL;
	KT_STREQ(fake_parse(), "module ends before it starts");
	fake_good();
	ml[0].paddr = 0;
	KT_STREQ(fake_parse(), "a boot module has no address");
	fake_good();
	ml[1].cmdline_paddr = 0x10;
	KT_STREQ(fake_parse(), NOREACH_STR);

	/* A command line that runs, unterminated, out of the mapped memory. */
	si = fake_good();
	memcpy(at(sizeof(fakemem) - 5), "run=1", 5);
	si->cmdline_paddr = FAKE_PA + sizeof(fakemem) - 5;
	KT_STREQ(fake_parse(), NOREACH_STR);
	si = fake_good();
	si->cmdline_paddr = 0x5000;
	KT_STREQ(fake_parse(), NOREACH_STR);
	si = fake_good();
	si->rsdp_paddr = FAKE_PA + sizeof(fakemem) - 8;
	KT_STREQ(fake_parse(), "the ACPI RSDP is out of reach");
}
