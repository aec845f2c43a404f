/*
 * intr.c: interrupts (vectors 32-255) and IPIs.
 *
 * trap() hands every vector >= 32 to intr_dispatch(), which runs the
 * handler with interrupts disabled (interrupt gates clear IF) and the
 * CPU's IPL at IPL_HIGH, then acknowledges the local APIC (EOI).
 *
 *   0x24  COM1 (IRQ 4)  com_intr(): console input
 *   0x40  LAPIC timer   hardclock()
 *   0xf0  IPI_RESCHED   ci_want_resched is already set; intr_preempt()
 *                       (or the idle loop) acts on it on the way out
 *   0xf1  IPI_XCALL     xc_ipi_handler()
 *   0xfe  APIC error    reported
 *   0xff  spurious      ignored (no EOI, as the SDM says)
 * Panics stop other CPUs with an NMI instead (cpu.c), which gets
 * through even where interrupts are disabled.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/lwp.h>
#include <sys/sched.h>
#include <sys/time.h>
#include <sys/trace.h>
#include <sys/xcall.h>
#include <machine/frame.h>
#include <machine/specialreg.h>
#include "lapicreg.h"
#include "x86_var.h"

/*
 * Kernel preemption, at the end of an interrupt: if the interrupted code
 * had interrupts on and the MI test says a switch is due there
 * (kpreempt_wanted: a reschedule asked for, IPL_NONE, preemption not
 * disabled, ...), switch now.  The interrupt frame stays on the LWP's
 * stack; when it runs again, maybe on another CPU, it returns from here
 * and irets as usual.  The test is still the handler's (ci_idepth
 * counts it: kcov does not record it for the LWP interrupted); the
 * switch is not: it runs for that LWP, which may go on elsewhere, so
 * this CPU's depth must be back to what it was first.
 */
static void
intr_preempt(struct cpu_info *ci, int s, struct trapframe *tf)
{
	bool want = (tf->tf_rflags & PSL_I) &&
	    kpreempt_wanted(ci, ci->ci_curlwp, s);

	ci->ci_idepth--;
	if (want)
		preempt();
}

/* What the event trace calls an interrupt at vector vec (TRI_*). */
static int
intr_trace_kind(uint64_t vec)
{
	switch (vec) {
	case LAPIC_TIMER_VECTOR:	return TRI_CLOCK;
	case LAPIC_RESCHED_VECTOR:	return TRI_IPI + IPI_RESCHED;
	case LAPIC_XCALL_VECTOR:	return TRI_IPI + IPI_XCALL;
	default:			return TRI_DEVICE;
	}
}

/* The handlers, by vector. */
static inline void
intr_handle(struct cpu_info *ci, struct trapframe *tf)
{
	switch (tf->tf_trapno) {
	case LAPIC_TIMER_VECTOR:
		ci->ci_nintr++;
		lapic_eoi();
		hardclock();
		break;
	case LAPIC_RESCHED_VECTOR:
		ci->ci_nipi++;
		lapic_eoi();
		break;
	case LAPIC_XCALL_VECTOR:
		ci->ci_nipi++;
		xc_ipi_handler();
		lapic_eoi();
		break;
	case LAPIC_ERROR_VECTOR:
		lapic_write(LAPIC_ESR, 0);
		printf("cpu%u: local APIC error, ESR %#x\n", ci->ci_index,
		    lapic_read(LAPIC_ESR));
		lapic_eoi();
		break;
	case LAPIC_SPURIOUS_VECTOR:
		break;
	case IRQ_VECTOR_BASE + 4:		/* COM1 */
		ci->ci_nintr++;
		com_intr();
		lapic_eoi();
		break;
	default:
		printf("cpu%u: stray interrupt, vector %#lx\n", ci->ci_index,
		    tf->tf_trapno);
		lapic_eoi();
		break;
	}
}

/* The same with the event trace's intr class on: between the records
 * of its entry and exit (sys/trace.h). */
static void __noinline
intr_handle_traced(struct cpu_info *ci, struct trapframe *tf)
{
	int kind = intr_trace_kind(tf->tf_trapno), vec = (int)tf->tf_trapno;

	trace_intr(TR_INTR, kind, vec);
	intr_handle(ci, tf);
	trace_intr(TR_INTREND, kind, vec);
}

/*
 * Every device interrupt and IPI.  One test of the trace's classes
 * chooses the traced path, so that tracing off costs the untraced one
 * two instructions.
 */
void
intr_dispatch(struct trapframe *tf)
{
	struct cpu_info *ci = curcpu();
	int s = ci->ci_ilevel;

	ci->ci_ilevel = IPL_HIGH;
	ci->ci_idepth++;		/* intr_preempt takes it back */
	if (TRACE_ON(TRC_INTR))
		intr_handle_traced(ci, tf);
	else
		intr_handle(ci, tf);
	intr_preempt(ci, s, tf);
	curcpu()->ci_ilevel = s;
}

/* A name for an interrupt vector, for backtraces and messages. */
const char *
intr_name(uint64_t vec)
{
	switch (vec) {
	case IRQ_VECTOR_BASE + 4:	return "COM1 interrupt";
	case LAPIC_TIMER_VECTOR:	return "clock interrupt";
	case LAPIC_RESCHED_VECTOR:	return "reschedule IPI";
	case LAPIC_XCALL_VECTOR:	return "cross-call IPI";
	case LAPIC_ERROR_VECTOR:	return "APIC error interrupt";
	case LAPIC_SPURIOUS_VECTOR:	return "spurious interrupt";
	default:			return "device interrupt";
	}
}

static const uint32_t ipi_vector[] = {
	[IPI_RESCHED] = LAPIC_RESCHED_VECTOR,
	[IPI_XCALL] = LAPIC_XCALL_VECTOR,
};

/* The same with the event trace's intr class on: the send recorded
 * first (out of line, so that the untraced path keeps no register for
 * it and stays inlined in its callers). */
static void __noinline
cpu_send_ipi_traced(struct cpu_info *ci, int ipi)
{
	trace_ipisend(ci, TRI_IPI + ipi, ipi_vector[ipi]);
	lapic_send_ipi(ci->ci_cpuid, LAPIC_DM_FIXED | ipi_vector[ipi]);
}

/* Interrupt ci with IPI `ipi` (IPI_*), unless it does not run. */
static __always_inline void
cpu_send_ipi1(struct cpu_info *ci, int ipi)
{
	KASSERT(ipi >= 0 && (size_t)ipi < __arraycount(ipi_vector));
	/* A CPU that does not run (not yet, or a test's made-up one) gets
	 * nothing: its APIC id may be anyone's. */
	if ((ci->ci_flags & (CPUF_RUNNING | CPUF_MADEUP)) != CPUF_RUNNING)
		return;
	if (TRACE_ON(TRC_INTR))
		cpu_send_ipi_traced(ci, ipi);
	else
		lapic_send_ipi(ci->ci_cpuid, LAPIC_DM_FIXED | ipi_vector[ipi]);
}

void
cpu_send_ipi(struct cpu_info *ci, int ipi)
{
	cpu_send_ipi1(ci, ipi);
}

/*
 * Ask `ci` to reschedule (NetBSD's cpu_need_resched): record the flags,
 * and interrupt it if it is another CPU, so it notices now.
 */
void
cpu_need_resched(struct cpu_info *ci, int flags)
{
	__atomic_or_fetch(&ci->ci_want_resched, flags, __ATOMIC_RELEASE);
	if (ci != curcpu())
		cpu_send_ipi1(ci, IPI_RESCHED);
}

/*
 * Make l, which runs on another CPU (perhaps in user mode), enter the
 * kernel soon, so that its next return to user mode runs userret() and
 * sees the LW_USERRET work just set for it: the reschedule IPI does,
 * since every return to user mode from an interrupt goes through
 * userret.  (NetBSD's cpu_signotify.)
 */
void
cpu_signotify(lwp_t *l)
{
	struct cpu_info *ci = l->l_cpu;

	if (ci != curcpu())
		cpu_send_ipi1(ci, IPI_RESCHED);
}
