/*
 * machine/proc.h: the machine-dependent part of an LWP (lwp::l_md).
 * Interface header, reached through <sys/lwp.h>.
 *
 * A user LWP's trap frame (machine/frame.h) sits at the very top of its
 * kernel stack: every entry from user mode (system call, trap,
 * interrupt) builds it there, and every return to user mode restores
 * from it.  cpu_lwp_trapframe() finds it.
 */
#ifndef _MACHINE_PROC_H_
#define _MACHINE_PROC_H_

#include <sys/types.h>

/* The FXSAVE image: x87, MMX and SSE state, 512 bytes. */
struct fxsave_area {
	uint16_t	fx_fcw;		/* x87 control word */
	uint16_t	fx_fsw;
	uint8_t		fx_ftw;
	uint8_t		fx_reserved0;
	uint16_t	fx_fop;
	uint64_t	fx_rip;
	uint64_t	fx_rdp;
	uint32_t	fx_mxcsr;	/* SSE control and status */
	uint32_t	fx_mxcsr_mask;
	uint8_t		fx_regs[512 - 32];	/* st0-7, xmm0-15, spare */
} __aligned(16);

struct mdlwp {
	vaddr_t	md_sp;		/* saved %rsp while switched out: points at
				 * the switch frame (swtch.S) */
	uint64_t md_fsbase;	/* !: user %fs base (TLS, _lwp_setprivate) */
	struct fxsave_area md_fpu; /* !: user FPU/SSE registers while the LWP
				 * is switched out (user LWPs only) */
};

#endif /* !_MACHINE_PROC_H_ */
