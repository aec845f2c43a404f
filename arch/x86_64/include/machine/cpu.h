/*
 * machine/cpu.h: struct cpu_info, one per CPU, reached through %gs.
 * Interface header: machine-independent code includes <sys/cpu.h>.
 *
 * The machine-independent per-CPU state (run queue, spin-mutex count,
 * counters, ...) is struct cpu_data (sys/cpu_data.h), embedded here as
 * ci_data; its fields keep their ci_* names through macros there.  The
 * rest is this port's: the %gs slots, the pmap, APIC ids, the IPL, and
 * the GDT and TSS.
 *
 * Lock legend.  The same block stands in sys/lwp.h, sys/proc.h,
 * sys/sched.h, sys/cpu_data.h and machine/cpu.h (tools/lint checks
 * that it does, and that every field there is marked with these
 * letters):
 *
 *   l   the LWP's current lock, *l_mutex (lwp_lock; kern_lwplock.c)
 *   m   spc_mutex: of l_cpu for an LWP's fields, of the CPU itself for
 *       its run queue's (struct schedstate_percpu)
 *   p   p_lock of the process
 *   P   proc_lock
 *   a   atomic operations; may be read without a lock, as a hint
 *   s   only the CPU itself, with interrupts off where its own interrupt
 *       handlers touch the field too
 *   !   only the LWP itself (or someone who knows it is not running)
 *   (   constant once set up
 *   A lock named in full (alllwp_lock, lp_lock, ...) is that lock.
 *   "m, read as a hint": written under the lock, read without it where
 *   an out-of-date value only makes a heuristic less good.
 */
#ifndef _MACHINE_CPU_H_
#define _MACHINE_CPU_H_

#include <sys/types.h>
#include <sys/cpu_data.h>
#include <machine/segments.h>

struct lwp;
struct pmap;
struct trapframe;

#define MAXCPUS		256	/* NetBSD amd64's; tr_cpu (uint8_t) holds 0..255 */

struct cpu_info {
	struct cpu_info	*ci_self;	/* (: this structure; %gs:0 */
	struct lwp	*ci_curlwp;	/* s: LWP running here; %gs:8 */
	vaddr_t		ci_rsp0;	/* s: curlwp's kernel stack top;
					 * %gs:16, for the syscall entry */
	vaddr_t		ci_uscratch;	/* s: user %rsp during syscall
					 * entry; %gs:24 */
	struct cpu_data	ci_data;	/* marked in sys/cpu_data.h: the
					 * machine-independent part */
	struct pmap	*ci_pmap;	/* s: user pmap in %cr3, or NULL */
	uint32_t	ci_cpuid;	/* (: local APIC id */
	uint32_t	ci_acpiid;	/* (: ACPI processor UID */
	volatile int	ci_flags;	/* a: CPUF_* */
	int		ci_ilevel;	/* s: current IPL (see intr.h) */
	int		ci_idepth;	/* s: interrupt handlers (and NMI or
					 * breakpoint traps) running here, >= 0
					 * (NetBSD's starts at -1); cpu_intr_p */
	volatile uint64_t ci_nnmi;	/* s: NMIs (panic stops, debugger's);
					 * others read it (cpu_ping) */
	volatile uint32_t ci_nmi_pings;	/* a: cpu_ping's NMIs sent here */
	uint32_t	ci_nmi_pinged;	/* s: ... and answered (quietly) */
	volatile uint32_t ci_nmi_report; /* a: cpu_report_others asks for
					 * this CPU's backtrace */
	vaddr_t		ci_idle_stack;	/* (: boot (cpu0) or idle LWP stack top */
	uint64_t	ci_gdt[NGDT];	/* (: this CPU's GDT */
	struct x86_64_tss ci_tss;	/* (: but tss_rsp0, s: the running
					 * LWP's kernel stack top */
};

/* ci_flags */
#define CPUF_PRIMARY	0x01		/* the boot processor */
#define CPUF_PRESENT	0x02		/* listed by ACPI, cpu_info made */
#define CPUF_RUNNING	0x04		/* reported in, takes interrupts */
#define CPUF_PAUSED	0x08		/* stopped by panic */
#define CPUF_ABANDONED	0x10		/* too slow to start: must halt */
#define CPUF_MADEUP	0x20		/* a test's made-up CPU (t_migrate.c):
					 * listed and "running" for the
					 * scheduler, but sent no IPI or NMI */

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

/*
 * Is this CPU in an interrupt handler (intr_dispatch) or an NMI or
 * breakpoint trap?  One %gs-relative load, so that preemption between
 * finding the CPU and reading its depth cannot mix two CPUs up.
 */
static inline bool
cpu_intr_p(void)
{
	int depth;

	__asm volatile("movl %%gs:%c1, %0" : "=r"(depth) :
	    "i"(__builtin_offsetof(struct cpu_info, ci_idepth)));
	return depth != 0;
}
#define cpu_index(ci)		((ci)->ci_index)

#endif /* !_MACHINE_CPU_H_ */
