/*
 * sys/bootinfo.h: what the boot loader told us, in a loader-independent
 * form.  The arch layer fills `bootinfo` (arch/x86_64/multiboot.c parses
 * GRUB's multiboot2 information into it) before anything else runs;
 * afterwards it is read-only.
 */
#ifndef _SYS_BOOTINFO_H_
#define _SYS_BOOTINFO_H_

#include <sys/types.h>

#define BI_MEM_AVAILABLE	1	/* usable RAM */
#define BI_MEM_RESERVED		2
#define BI_MEM_ACPI_RECLAIM	3
#define BI_MEM_ACPI_NVS		4
#define BI_MEM_BAD		5

#define BI_MAXMEM	128
#define BI_MAXMOD	8
#define BI_CMDLINE_LEN	4096	/* the lab grader names dozens of tests */

struct bootinfo_mem {
	paddr_t		bm_start;
	paddr_t		bm_end;		/* exclusive */
	int		bm_type;	/* BI_MEM_* */
};

struct bootinfo_module {
	paddr_t		bmod_start;
	paddr_t		bmod_end;	/* exclusive */
	char		bmod_cmdline[64];
};

struct bootinfo {
	char		bi_cmdline[BI_CMDLINE_LEN];
	char		bi_loader[64];
	paddr_t		bi_info_start;	/* the loader's info block itself */
	paddr_t		bi_info_end;
	int		bi_nmem;
	struct bootinfo_mem bi_mem[BI_MAXMEM];
	int		bi_nmod;
	struct bootinfo_module bi_mod[BI_MAXMOD];
	/* ACPI root pointer: a copy of the RSDP (v1, 20 bytes) or XSDP (v2+). */
	int		bi_rsdp_len;	/* 0: none given */
	uint8_t		bi_rsdp[36];
	/* Framebuffer, if the loader set one up (fb_addr == 0: none). */
	paddr_t		bi_fb_addr;
	uint32_t	bi_fb_pitch, bi_fb_width, bi_fb_height;
	uint8_t		bi_fb_bpp, bi_fb_type;
};

extern struct bootinfo bootinfo;

#endif /* !_SYS_BOOTINFO_H_ */
