/*
 * sys/cpu.h: the machine-independent view of CPUs: curcpu(),
 * cpu_index(), struct cpu_info (its layout is the arch's).
 */
#ifndef _SYS_CPU_H_
#define _SYS_CPU_H_

#include <machine/cpu.h>

/* Arch interface for the boot banner. */
const char *cpu_getmodel(void);		/* the CPU's brand string */
void	cpu_banner_details(void);	/* features, firmware tables */

#endif /* !_SYS_CPU_H_ */
