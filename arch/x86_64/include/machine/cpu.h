/*
 * machine/cpu.h: struct cpu_info, one per CPU, reached through %gs.
 * Interface header: machine-independent code includes <sys/cpu.h>.
 *
 * Lock legend for the fields:
 *   (c)  constant once the CPU is running;
 *   (!)  touched only by this CPU itself, with interrupts disabled where
 *        a handler on the same CPU could also touch it;
 *   (a)  atomic operations only (other CPUs write it);
 *   (s)  the CPU's spc_mutex (see sys/sched.h).
 */
#ifndef _MACHINE_CPU_H_
#define _MACHINE_CPU_H_

#include <sys/types.h>
#include <sys/sched.h>
#include <machine/segments.h>

struct lwp;
struct pmap;
struct trapframe;

#define MAXCPUS		64

struct cpu_info {
	struct cpu_info	*ci_self;	/* (c) this structure; %gs:0 */
	struct lwp	*ci_curlwp;	/* (!) LWP running here; %gs:8 */
	vaddr_t		ci_rsp0;	/* (!) curlwp's kernel stack top;
					 * %gs:16, for the syscall entry */
	vaddr_t		ci_uscratch;	/* (!) user %rsp during syscall
					 * entry; %gs:24 */
	struct pmap	*ci_pmap;	/* (!) user pmap in %cr3, or NULL */
	u_int		ci_index;	/* (c) 0..ncpu-1 */
	uint32_t	ci_cpuid;	/* (c) local APIC id */
	uint32_t	ci_acpiid;	/* (c) ACPI processor UID */
	volatile int	ci_flags;	/* (a) CPUF_* */
	int		ci_ilevel;	/* (!) current IPL (see intr.h) */
	int		ci_mtx_count;	/* (!) spin mutexes held, >= 0 */
	int		ci_mtx_oldspl;	/* (!) IPL before the first of them */
	uint16_t	ci_lkorder[LOCKORDER_N];	/* (!) classed locks held, by class */
	volatile int	ci_want_resched; /* (a) RESCHED_* flags pending */
	struct schedstate_percpu ci_schedstate;	/* scheduler (sys/sched.h) */
	struct lwp	*ci_idlelwp;	/* (c) this CPU's idle LWP */

	/* Counters: (!) written by this CPU only, read by anyone. */
	volatile uint64_t ci_nintr;	/* device and timer interrupts */
	volatile uint64_t ci_nipi;	/* IPIs received */
	volatile uint64_t ci_nswtch;	/* context switches */
	volatile uint64_t ci_nnmi;	/* NMIs (panic stops, debugger's) */
	volatile uint64_t ci_ticks;	/* hardclock() calls here */

	/* Machine-dependent part. */
	vaddr_t		ci_idle_stack;	/* (c) boot (cpu0) or idle LWP stack top */
	uint64_t	ci_gdt[NGDT];	/* (c) this CPU's GDT */
	struct x86_64_tss ci_tss;	/* (c) rsp0 changes per LWP later */
};

/* ci_flags */
#define CPUF_PRIMARY	0x01		/* the boot processor */
#define CPUF_PRESENT	0x02		/* listed by ACPI, cpu_info made */
#define CPUF_RUNNING	0x04		/* reported in, takes interrupts */
#define CPUF_PAUSED	0x08		/* stopped by panic */
#define CPUF_ABANDONED	0x10		/* too slow to start: must halt */

extern struct cpu_info cpu_info_primary;

/* %gs:0 holds ci_self, so one load finds this CPU's cpu_info. */
static inline struct cpu_info *
x86_curcpu(void)
{
	struct cpu_info *ci;

	__asm volatile("movq %%gs:0, %0" : "=r"(ci));
	return ci;
}

static inline struct lwp *
x86_curlwp(void)
{
	struct lwp *l;

	__asm volatile("movq %%gs:8, %0" : "=r"(l));
	return l;
}

#define curcpu()		x86_curcpu()
#define curlwp			x86_curlwp()
#define cpu_index(ci)		((ci)->ci_index)

#endif /* !_MACHINE_CPU_H_ */
