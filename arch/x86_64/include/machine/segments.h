/*
 * machine/segments.h: GDT layout, selectors, descriptors, TSS.
 *
 * The order of the user selectors is fixed by sysret: it loads
 * %cs = STAR[63:48] + 16 and %ss = STAR[63:48] + 8, so user data must
 * sit directly below user code.
 */
#ifndef _MACHINE_SEGMENTS_H_
#define _MACHINE_SEGMENTS_H_

#ifndef __ASSEMBLER__
#include <sys/types.h>
#endif

#define GNULL_SEL	0
#define GCODE_SEL	1	/* kernel code, 64-bit */
#define GDATA_SEL	2	/* kernel data */
#define GUCODE32_SEL	3	/* user code, 32-bit (unused; sysret base) */
#define GUDATA_SEL	4	/* user data */
#define GUCODE_SEL	5	/* user code, 64-bit */
#define GTSS_SEL	6	/* TSS: takes two slots */
#define NGDT		8

#define SEL_KPL		0
#define SEL_UPL		3
#define GSEL(s, rpl)	(((s) << 3) | (rpl))

/* IST slots in the TSS (1-based, as the IDT gate wants them). */
#define IST_DOUBLEFAULT	1
#define IST_NMI		2
#define IST_MCHK	3
#define NIST		3

#ifndef __ASSEMBLER__
struct x86_64_tss {
	uint32_t	tss_reserved0;
	uint64_t	tss_rsp0;	/* kernel stack on entry from user */
	uint64_t	tss_rsp1;
	uint64_t	tss_rsp2;
	uint64_t	tss_reserved1;
	uint64_t	tss_ist[7];
	uint64_t	tss_reserved2;
	uint16_t	tss_reserved3;
	uint16_t	tss_iobase;
} __packed;

struct gate_descriptor {
	uint16_t	gd_looffset;
	uint16_t	gd_selector;
	uint8_t		gd_ist;
	uint8_t		gd_type;	/* type, DPL, present */
	uint16_t	gd_midoffset;
	uint32_t	gd_hioffset;
	uint32_t	gd_reserved;
} __packed;

struct region_descriptor {
	uint16_t	rd_limit;
	uint64_t	rd_base;
} __packed;

#endif /* !__ASSEMBLER__ */

#define NIDT		256

#endif /* !_MACHINE_SEGMENTS_H_ */
