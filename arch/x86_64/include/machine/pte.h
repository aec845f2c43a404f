/*
 * machine/pte.h: x86-64 4-level page-table entries.
 *
 *   VA bits  47..39  38..30  29..21  20..12  11..0
 *            PML4    PDPT    PD      PT      offset
 */
#ifndef _MACHINE_PTE_H_
#define _MACHINE_PTE_H_

#include <sys/types.h>

typedef uint64_t pt_entry_t;

#define PTE_P		0x0000000000000001UL	/* present */
#define PTE_W		0x0000000000000002UL	/* writable */
#define PTE_U		0x0000000000000004UL	/* user */
#define PTE_PWT		0x0000000000000008UL
#define PTE_PCD		0x0000000000000010UL	/* cache disable */
#define PTE_A		0x0000000000000020UL
#define PTE_D		0x0000000000000040UL
#define PTE_PS		0x0000000000000080UL	/* large page (PD/PDPT) */
#define PTE_G		0x0000000000000100UL	/* global */
#define PTE_MAPPED	0x0000000000000200UL	/* software (a bit the CPU
					 * ignores): a user page is here, even
					 * if PROT_NONE left it not present */
#define PTE_NX		0x8000000000000000UL	/* no execute */
#define PTE_FRAME	0x000ffffffffff000UL

#define L4_SHIFT	39
#define L3_SHIFT	30
#define L2_SHIFT	21
#define L1_SHIFT	12
#define NPTEPG		512
#define PTE_INDEX(va, shift)	(((va) >> (shift)) & (NPTEPG - 1))
#define NBPD_L2		(1UL << L2_SHIFT)	/* 2 MiB */
#define NBPD_L3		(1UL << L3_SHIFT)	/* 1 GiB */

#endif /* !_MACHINE_PTE_H_ */
