/*
 * machine/elf_machdep.h: which ELF executables this machine runs.
 * NetBSD's header name; it calls the machine ELF64_MACHDEP_ID, and
 * ELF_TARG_CLASS/DATA/MACH are the names FreeBSD's and OpenBSD's
 * machine headers give the three (taken here as more telling).
 * Interface header: machine-independent code reaches it through
 * <sys/exec_elf.h>.
 */
#ifndef _MACHINE_ELF_MACHDEP_H_
#define _MACHINE_ELF_MACHDEP_H_

#define EM_X86_64	62		/* e_machine: AMD x86-64 */

#define ELF_TARG_CLASS	ELFCLASS64	/* e_ident[EI_CLASS] */
#define ELF_TARG_DATA	ELFDATA2LSB	/* e_ident[EI_DATA]: little endian */
#define ELF_TARG_MACH	EM_X86_64	/* e_machine */

#endif /* !_MACHINE_ELF_MACHDEP_H_ */
