/*
 * machine/proc.h: the machine-dependent part of an LWP (lwp::l_md).
 * Interface header, reached through <sys/lwp.h>.
 */
#ifndef _MACHINE_PROC_H_
#define _MACHINE_PROC_H_

#include <sys/types.h>

struct mdlwp {
	vaddr_t	md_sp;		/* saved %rsp while switched out: points at
				 * the switch frame (swtch.S) */
	vaddr_t	md_kstack;	/* kernel stack base (kstack_alloc), 0 for
				 * lwp0, which runs on the boot stack */
};

#endif /* !_MACHINE_PROC_H_ */
