/*
 * machine/specialreg.h: control-register bits, MSR numbers and CPUID
 * feature bits used by the kernel.  Values from the Intel SDM vol. 3.
 */
#ifndef _MACHINE_SPECIALREG_H_
#define _MACHINE_SPECIALREG_H_

#include <machine/psl.h>

/* %cr0 */
#define CR0_PE		0x00000001	/* protected mode */
#define CR0_MP		0x00000002
#define CR0_EM		0x00000004
#define CR0_TS		0x00000008
#define CR0_ET		0x00000010
#define CR0_NE		0x00000020
#define CR0_WP		0x00010000	/* supervisor honours read-only pages */
#define CR0_PG		0x80000000	/* paging */

/* %cr4 */
#define CR4_PAE		0x00000020
#define CR4_PGE		0x00000080	/* global pages */
#define CR4_OSFXSR	0x00000200
#define CR4_OSXMMEXCPT	0x00000400
#define CR4_UMIP	0x00000800
#define CR4_FSGSBASE	0x00010000
#define CR4_SMEP	0x00100000	/* no kernel execution of user pages */
#define CR4_SMAP	0x00200000	/* no kernel access to user pages */

/* %rflags: machine/psl.h */

/* MSRs */
#define MSR_EFER	0xc0000080
#define  EFER_SCE	0x00000001	/* syscall/sysret */
#define  EFER_LME	0x00000100	/* long mode enable */
#define  EFER_NXE	0x00000800	/* no-execute pages */
#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_SFMASK	0xc0000084
#define MSR_FSBASE	0xc0000100
#define MSR_GSBASE	0xc0000101
#define MSR_KERNELGSBASE 0xc0000102

/* CPUID leaf 1 */
#define CPUID1_EDX_PGE	0x00002000
#define CPUID1_ECX_X2APIC 0x00200000
/* CPUID leaf 7, subleaf 0, %ebx / %ecx */
#define CPUID7_EBX_SMEP	0x00000080
#define CPUID7_EBX_SMAP	0x00100000
#define CPUID7_ECX_UMIP	0x00000004
/* CPUID leaf 0x80000001 %edx */
#define CPUIDX_EDX_NX	0x00100000
#define CPUIDX_EDX_PG1G	0x04000000	/* 1 GiB pages */
#define CPUIDX_EDX_LM	0x20000000	/* long mode */

#endif /* !_MACHINE_SPECIALREG_H_ */
