/*
 * machine/cpu.h: struct cpu_info, one per CPU, reached through %gs.
 * Interface header: machine-independent code includes <sys/cpu.h>.
 *
 * Lock legend for the fields: (c) constant after the CPU starts;
 * (!) touched only by this CPU itself, with interrupts disabled where a
 * handler on the same CPU could also touch it.
 *
 * The SMP issue (docs/smp.md) adds the APIC, timer, IPI and scheduler
 * fields; at this stage there is one CPU, cpu_info_primary.
 */
#ifndef _MACHINE_CPU_H_
#define _MACHINE_CPU_H_

#include <sys/types.h>
#include <machine/segments.h>

struct lwp;

struct cpu_info {
	struct cpu_info	*ci_self;	/* (c) this structure; %gs:0 */
	struct lwp	*ci_curlwp;	/* (!) LWP running here */
	u_int		ci_index;	/* (c) 0..ncpu-1 */
	uint32_t	ci_cpuid;	/* (c) local APIC id */
	int		ci_ilevel;	/* (!) current IPL (see intr.h) */
	int		ci_mtx_count;	/* (!) spin mutexes held, >= 0 */
	int		ci_mtx_oldspl;	/* (!) IPL before the first of them */
	uint64_t	ci_gdt[NGDT];	/* (c) this CPU's GDT */
	struct x86_64_tss ci_tss;	/* (c) rsp0 changes per LWP later */
};

extern struct cpu_info cpu_info_primary;

/* %gs:0 holds ci_self, so one load finds this CPU's cpu_info. */
static inline struct cpu_info *
x86_curcpu(void)
{
	struct cpu_info *ci;

	__asm volatile("movq %%gs:0, %0" : "=r"(ci));
	return ci;
}

#define curcpu()		x86_curcpu()
#define cpu_index(ci)		((ci)->ci_index)

#endif /* !_MACHINE_CPU_H_ */
