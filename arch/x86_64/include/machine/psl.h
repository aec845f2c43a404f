/*
 * machine/psl.h: the %rflags bits (NetBSD's names), shared with user
 * space: a ucontext's _REG_RFLAGS may only change the bits user code
 * could change itself (PSL_USER below), and NetBSD's own tests set
 * PSL_MBZ bits to check that the kernel refuses such a context.
 */
#ifndef _MACHINE_PSL_H_
#define _MACHINE_PSL_H_

#define PSL_C		0x00000001	/* carry: a system call failed */
#define PSL_PF		0x00000004	/* parity */
#define PSL_AF		0x00000010	/* adjust */
#define PSL_Z		0x00000040	/* zero */
#define PSL_N		0x00000080	/* sign */
#define PSL_T		0x00000100	/* single-step trap */
#define PSL_I		0x00000200	/* interrupts enabled */
#define PSL_D		0x00000400	/* direction */
#define PSL_V		0x00000800	/* overflow */
#define PSL_IOPL	0x00003000	/* I/O privilege level */
#define PSL_NT		0x00004000	/* nested task */
#define PSL_RF		0x00010000	/* resume */
#define PSL_VM		0x00020000	/* virtual 8086 mode */
#define PSL_AC		0x00040000	/* alignment check; SMAP override */
#define PSL_VIF		0x00080000	/* virtual interrupt flag */
#define PSL_VIP		0x00100000	/* virtual interrupt pending */
#define PSL_ID		0x00200000	/* CPUID available */

#define PSL_MBO		0x00000002	/* must be one */
#define PSL_MBZ		0xffc08028	/* must be zero */

/* What a user program may set in its own flags, and what it may not
 * touch (the kernel's _lwp_create/setcontext check). */
#define PSL_USERSET	(PSL_MBO | PSL_I)
#define PSL_USER	(PSL_C | PSL_PF | PSL_AF | PSL_Z | PSL_N | PSL_T | \
			 PSL_D | PSL_V | PSL_RF | PSL_AC | PSL_ID)
#define PSL_USERSTATIC	(PSL_USERSET | PSL_MBZ | PSL_IOPL | PSL_NT | \
			 PSL_VM | PSL_VIF | PSL_VIP)

#endif /* !_MACHINE_PSL_H_ */
