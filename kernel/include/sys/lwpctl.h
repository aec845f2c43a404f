/*
 * sys/lwpctl.h: the LWP control block, a few words the kernel keeps up
 * to date in memory the LWP can read without a system call
 * (_lwp_ctl(2)).  A thread library reads lc_curcpu to decide whether to
 * spin (the lock's owner is running) or sleep.
 *
 *   lc_curcpu  the CPU the LWP runs on; LWPCTL_CPU_NONE while it does
 *              not run; LWPCTL_CPU_EXITED once it has exited
 *   lc_pctr    incremented every time the LWP is switched in, so a
 *              change across a code sequence means it was preempted
 *
 * The kernel allocates the blocks, one slot each, in pages shared
 * between it and the process (kern_lwpctl.c, lwp_ctl_alloc).
 */
#ifndef _SYS_LWPCTL_H_
#define _SYS_LWPCTL_H_

typedef struct lwpctl {
	volatile int	lc_curcpu;
	volatile int	lc_pctr;
} lwpctl_t;

#define LWPCTL_CPU_NONE		(-1)
#define LWPCTL_CPU_EXITED	(-2)

#define LWPCTL_FEATURE_CURCPU	0x00000001
#define LWPCTL_FEATURE_PCTR	0x00000002

#endif /* !_SYS_LWPCTL_H_ */
