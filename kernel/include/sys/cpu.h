/*
 * sys/cpu.h: the machine-independent view of CPUs.
 *
 *   curcpu()            this CPU's struct cpu_info (layout: the arch's)
 *   curlwp              the LWP running here
 *   cpu_intr_p()        true in an interrupt handler (NetBSD's), where
 *                       curlwp is only the LWP that was interrupted
 *   cpu_index(ci)       0..ncpu-1
 *   cpu_lookup(i)       the cpu_info with index i
 *   CPU_INFO_FOREACH(cii, ci)  every CPU that is running
 *   ncpu                number of running CPUs
 *
 * cpu_infos[] and ncpu are set while the boot CPU starts the others and
 * do not change after (CPUs are never removed), so readers need no lock.
 */
#ifndef _SYS_CPU_H_
#define _SYS_CPU_H_

#include <machine/cpu.h>

extern struct cpu_info *cpu_infos[MAXCPUS];	/* (c) by index */
extern u_int ncpu;				/* (c) after boot */

typedef u_int CPU_INFO_ITERATOR;
#define CPU_INFO_FOREACH(cii, ci)					\
	for ((cii) = 0; (cii) < ncpu && ((ci) = cpu_infos[(cii)], 1); (cii)++)

static inline struct cpu_info *
cpu_lookup(u_int i)
{
	return i < ncpu ? cpu_infos[i] : NULL;
}

/* Inter-processor interrupts the MI code sends (cpu_send_ipi). */
#define IPI_RESCHED	0	/* look at ci_want_resched */
#define IPI_XCALL	1	/* run the pending cross-call */

/* kern_cpu.c */
void	mi_cpu_attach(struct cpu_info *);
void	mi_cpu_hatch(struct cpu_info *);

/* Arch interface. */
struct lwp;
void	cpu_configure(void);
void	cpu_send_ipi(struct cpu_info *, int);
/* The next clock interval on this CPU is permille/1000 of 1/hz (jitter=). */
void	cpu_clock_stretch(u_int permille);
void	cpu_lwp_fork(struct lwp *, struct lwp *, void (*)(void *), void *);
struct lwp *cpu_switchto(struct lwp *, struct lwp *);
/* User register state (vm_machdep.c, syscall.c) */
void	cpu_exec_setregs(struct lwp *, vaddr_t, vaddr_t, long, vaddr_t,
	    vaddr_t);
int	cpu_lwp_setprivate(struct lwp *, void *);
void	cpu_child_return(struct lwp *);
void	cpu_idle(void);
const char *cpu_getmodel(void);		/* the CPU's brand string */
void	cpu_banner_details(void);	/* features, firmware tables */
void	cpu_describe(struct cpu_info *, char *, size_t); /* its hardware
					 * id, for the boot line (main.c) */
void	cpu_need_resched(struct cpu_info *, int);
void	cpu_signotify(struct lwp *);	/* l must pass through userret */
void	cpu_boot_secondary_processors(void);
bool	cpu_ping(struct cpu_info *, u_int ms);	/* does ci answer an NMI
					 * within ms?  (Is it run at all?) */

#endif /* !_SYS_CPU_H_ */
