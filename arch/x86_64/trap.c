/*
 * trap.c: what happens on an exception.
 *
 * trap() is called by alltraps (vectors.S) with the saved registers.
 * Vectors 32 and up are interrupts (intr.c).  An NMI is another CPU's
 * panic stopping this one (cpu.c), or a debugging poke that prints a
 * backtrace.  Every other exception taken in kernel mode except a
 * breakpoint is a kernel bug: trap() describes it (the name, the error
 * code decoded, %cr2 for page faults, the symbolized %rip) and panics
 * with that frame, so the register dump and backtrace show the faulting
 * code, not trap() itself.
 *
 * User mode is different: a page fault may be the VM system's to
 * resolve (a demand-zero page: vm_fault()), and anything else is the
 * program's fault, which kills the process with a signal number
 * (trapsignal(): the program may catch it).  The kernel
 * carries on.  The copy routines (copy.S) are the one place kernel
 * code may fault on user memory: trap() resolves the fault like a user
 * one, or resumes at x86_uaccess_fault, which returns EFAULT.
 */
#include <sys/systm.h>
#include <sys/param.h>
#include <sys/intr.h>
#include <sys/ksyms.h>
#include <sys/kstack.h>
#include <sys/cpu.h>
#include <sys/cpu_counter.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/pmap.h>
#include <sys/proc.h>
#include <sys/signal.h>
#include <sys/vmspace.h>
#include <machine/cpufunc.h>
#include <machine/vmparam.h>
#include <machine/frame.h>
#include <machine/segments.h>
#include "lapicreg.h"
#include "x86_var.h"

const char *const trap_names[32] = {
	"divide error (#DE)", "debug (#DB)", "NMI", "breakpoint (#BP)",
	"overflow (#OF)", "bound range (#BR)", "invalid opcode (#UD)",
	"device not available (#NM)", "double fault (#DF)",
	"coprocessor segment overrun", "invalid TSS (#TS)",
	"segment not present (#NP)", "stack fault (#SS)",
	"general protection fault (#GP)", "page fault (#PF)", "reserved 15",
	"x87 FPU error (#MF)", "alignment check (#AC)", "machine check (#MC)",
	"SIMD exception (#XM)", "virtualization exception (#VE)",
	"control protection (#CP)", "reserved 22", "reserved 23",
	"reserved 24", "reserved 25", "reserved 26", "reserved 27",
	"hypervisor injection (#HV)", "VMM communication (#VC)",
	"security exception (#SX)", "reserved 31",
};

#define T_DIVIDE	0
#define T_TRCTRAP	1
#define T_NMI		2
#define T_BPTFLT	3
#define T_OFLOW		4
#define T_BOUND		5
#define T_PRIVINFLT	6
#define T_DNA		7
#define T_DOUBLEFLT	8
#define T_PROTFLT	13
#define T_PAGEFLT	14
#define T_ARITHTRAP	16
#define T_ALIGNFLT	17
#define T_XMM		19

/* Page-fault error code bits. */
#define PGEX_P		0x01	/* protection violation (else not present) */
#define PGEX_W		0x02	/* write */
#define PGEX_I		0x10	/* instruction fetch */

extern char boot_stack_guard[], df_stack_guard[], nmi_stack_guard[];
extern char mc_stack_guard[];
extern char x86_uaccess_start[], x86_uaccess_end[], x86_uaccess_fault[];

/* Is va within one of the boot stacks' guard pages? */
static const char *
guard_page_name(vaddr_t va)
{
	static const struct { const char *name; const char *page; } g[] = {
		{ "boot stack", boot_stack_guard },
		{ "double-fault stack", df_stack_guard },
		{ "NMI stack", nmi_stack_guard },
		{ "machine-check stack", mc_stack_guard },
	};

	for (size_t i = 0; i < __arraycount(g); i++)
		if (va - (vaddr_t)g[i].page < PAGE_SIZE)
			return g[i].name;
	if (kstack_is_guard(va))
		return "kernel stack";
	return NULL;
}

/*
 * An NMI nobody asked for, e.g. QEMU's monitor command `nmi`, which
 * hits every CPU (or the hang detector's, cpu_report_others): each
 * shows where it is, one CPU at a time.  A CPU that was interrupted
 * inside printf() (holding the console lock) stays quiet rather than
 * deadlock on its own lock.
 */
static volatile uint32_t nmi_report_busy;
static uint64_t nmi_table_at;		/* (nmi_report_busy) */

static void
trap_nmi_report(struct trapframe *tf, const char *sym)
{
	uint64_t now;

	if (cons_owned())
		return;
	while (__atomic_exchange_n(&nmi_report_busy, 1, __ATOMIC_ACQUIRE))
		__asm volatile("pause");
	if (tf->tf_cs & SEL_UPL) {
		lwp_t *l = curlwp;

		printf("cpu%u: NMI in user mode at %#lx (pid %d LWP %d, %s)\n",
		    cpu_index(curcpu()), tf->tf_rip, l->l_proc->p_pid,
		    l->l_lid, l->l_proc->p_comm);
	} else {
		printf("cpu%u: NMI at %#lx <%s>\n", cpu_index(curcpu()),
		    tf->tf_rip, sym);
		cpu_backtrace(tf);
	}
	/* The first CPU to report (this second) adds the LWP table: an NMI
	 * from outside usually means "why does nothing happen?". */
	now = cpu_counter();
	if (now - nmi_table_at > cpu_frequency()) {
		nmi_table_at = now;
		db_show_all_lwps();
	}
	__atomic_store_n(&nmi_report_busy, 0, __ATOMIC_RELEASE);
}

/*
 * The hang detector has shown the LWP table and this CPU's backtrace:
 * have every other CPU show where it is too (an NMI gets through where
 * interrupts are off), without the table again, and go on.
 */
void
cpu_report_others(void)
{
	struct cpu_info *self = curcpu(), *ci;
	CPU_INFO_ITERATOR cii;

	while (__atomic_exchange_n(&nmi_report_busy, 1, __ATOMIC_ACQUIRE))
		__asm volatile("pause");
	nmi_table_at = cpu_counter();
	__atomic_store_n(&nmi_report_busy, 0, __ATOMIC_RELEASE);
	CPU_INFO_FOREACH(cii, ci)
		if (ci != self && (ci->ci_flags & CPUF_RUNNING)) {
			/* (A ping's NMI merged with this one must not keep
			 * it quiet: cpu_ping.) */
			__atomic_store_n(&ci->ci_nmi_report, 1,
			    __ATOMIC_RELEASE);
			lapic_send_ipi(ci->ci_cpuid, LAPIC_DM_NMI);
		}
}

/*
 * Is ci being run at all?  Send it an NMI and wait up to `ms` for its
 * answer (its NMI count moves; the NMI handler says nothing for a ping:
 * ci_nmi_pings counts the pings sent, ci_nmi_pinged those answered, so
 * that several waiters' pings, merged into one NMI, are all answered,
 * and a report asked for at the same time, ci_nmi_report, still
 * prints).  A CPU that runs answers at once, even with interrupts off or
 * spinning at IPL_HIGH; one that its host does not run (a virtual CPU
 * left unscheduled) cannot, nor can one already inside an NMI handler.
 * A made-up CPU (CPUF_MADEUP) is sent nothing and never answers.  For
 * the spin-out clock (kern_mutex.c, spinout_ping).
 */
bool
cpu_ping(struct cpu_info *ci, u_int ms)
{
	uint64_t n0 = ci->ci_nnmi, end;

	if ((ci->ci_flags & (CPUF_RUNNING | CPUF_MADEUP)) != CPUF_RUNNING)
		return false;
	__atomic_add_fetch(&ci->ci_nmi_pings, 1, __ATOMIC_RELEASE);
	lapic_send_ipi(ci->ci_cpuid, LAPIC_DM_NMI);
	end = cpu_counter() + cpu_frequency() / 1000 * ms;
	while (__atomic_load_n(&ci->ci_nnmi, __ATOMIC_ACQUIRE) == n0) {
		if (cpu_counter() > end)
			return false;
		__asm volatile("pause");
	}
	return true;
}

/* What a page fault's error code asks for, as VM_PROT_* bits. */
static int
trap_pf_access(uint64_t err)
{
	return (err & PGEX_I) ? VM_PROT_EXECUTE :
	    (err & PGEX_W) ? VM_PROT_WRITE : VM_PROT_READ;
}

/*
 * The signal NetBSD sends for each exception in user mode, with its
 * si_code and si_addr: the faulting address for a page fault (`fault'
 * is what vm_fault said of it), the faulting instruction otherwise.
 */
static void
trap_siginfo(const struct trapframe *tf, uint64_t cr2, int fault,
    ksiginfo_t *ksi)
{
	memset(ksi, 0, sizeof(*ksi));
	ksi->ksi_trap = (int)tf->tf_trapno;
	ksi->ksi_addr = (void *)tf->tf_rip;
	switch (tf->tf_trapno) {
	case T_DIVIDE: case T_OFLOW: case T_BOUND: case T_ARITHTRAP:
	case T_XMM:
		ksi->ksi_signo = SIGFPE;
		ksi->ksi_code = tf->tf_trapno == T_DIVIDE ? FPE_INTDIV :
		    FPE_FLTINV;
		break;
	case T_TRCTRAP: case T_BPTFLT:
		ksi->ksi_signo = SIGTRAP;
		ksi->ksi_code = tf->tf_trapno == T_BPTFLT ? TRAP_BRKPT :
		    TRAP_TRACE;
		break;
	case T_PRIVINFLT: case T_DNA:
		ksi->ksi_signo = SIGILL;
		ksi->ksi_code = ILL_ILLOPC;
		break;
	case T_ALIGNFLT:
		ksi->ksi_signo = SIGBUS;
		ksi->ksi_code = BUS_ADRALN;
		break;
	case T_PAGEFLT:
		if (fault == ENOMEM) {
			/* Out of memory: nothing a handler could do. */
			ksi->ksi_signo = SIGKILL;
			ksi->ksi_addr = (void *)cr2;
			break;
		}
		ksi->ksi_signo = SIGSEGV;
		/* vm_fault's verdict: nothing there, or not allowed. */
		ksi->ksi_code = fault == EACCES ? SEGV_ACCERR : SEGV_MAPERR;
		ksi->ksi_addr = (void *)cr2;
		break;
	default:			/* #GP, #SS, #NP, ... */
		ksi->ksi_signo = SIGSEGV;
		ksi->ksi_code = SEGV_ACCERR;
		break;
	}
}

/*
 * An exception in user mode, with interrupts back on (we came from
 * user mode, so nothing is held).  Resolve it or kill the program.
 */
static void
trap_user(struct trapframe *tf, uint64_t cr2)
{
	lwp_t *l = curlwp;
	struct proc *p = l->l_proc;
	ksiginfo_t ksi;
	char what[96];
	int fault = 0;

	x86_enable_intr();
	if (tf->tf_trapno == T_PAGEFLT) {
		fault = vm_fault(p->p_vmspace, cr2, trap_pf_access(tf->tf_err));
		if (fault == 0)
			return;
		snprintf(what, sizeof(what), "page fault: %s %#lx, %s",
		    (tf->tf_err & PGEX_I) ? "instruction fetch from" :
		    (tf->tf_err & PGEX_W) ? "write to" : "read from", cr2,
		    (tf->tf_err & PGEX_P) ? "which forbids it" :
		    "which is not mapped");
	} else
		snprintf(what, sizeof(what), "%s, err=%#lx",
		    trap_names[tf->tf_trapno], tf->tf_err);
	trap_siginfo(tf, cr2, fault, &ksi);
	trapsignal(l, &ksi, what, tf->tf_rip);
}

/*
 * A page fault in a copy routine.  Resolve it the way a user access
 * would be (the routines run with interrupts on, nothing held), or make
 * the routine return EFAULT.
 */
static void
trap_uaccess(struct trapframe *tf, uint64_t cr2, int s)
{
	struct cpu_info *ci = curcpu();
	struct proc *p = curlwp->l_proc;
	int error = EFAULT;

	KASSERTMSG(ci->ci_mtx_count == 0 && s == IPL_NONE,
	    "copyin/copyout at %#lx with a spin mutex held or IPL %d",
	    tf->tf_rip, s);
	if (cr2 < VM_MAXUSER_ADDRESS && p->p_vmspace != NULL) {
		ci->ci_ilevel = s;
		x86_enable_intr();
		error = vm_fault(p->p_vmspace, cr2, trap_pf_access(tf->tf_err));
		x86_disable_intr();
	}
	if (error != 0)
		tf->tf_rip = (uint64_t)x86_uaccess_fault;
}

void
trap(struct trapframe *tf)
{
	uint64_t cr2 = rcr2();
	const char *name = tf->tf_trapno < 32 ? trap_names[tf->tf_trapno] :
	    "unknown trap";
	const char *guard;
	char sym[80];

	struct cpu_info *ci;
	int s;

	if (tf->tf_trapno >= 32) {
		intr_dispatch(tf);
		return;
	}
	/*
	 * Exceptions run at IPL_HIGH, like interrupts: a spin mutex taken
	 * and released here (printf's) must not turn interrupts on inside
	 * an exception (or NMI) handler.  Restored without `sti` below.
	 */
	if ((tf->tf_cs & SEL_UPL) && tf->tf_trapno != T_NMI) {
		trap_user(tf, cr2);
		return;
	}
	ci = curcpu();
	s = ci->ci_ilevel;
	if (tf->tf_trapno == T_PAGEFLT &&
	    tf->tf_rip >= (uint64_t)x86_uaccess_start &&
	    tf->tf_rip < (uint64_t)x86_uaccess_end) {
		trap_uaccess(tf, cr2, s);
		/* curcpu() again: vm_fault may have slept or been
		 * preempted, and we may be on another CPU now, whose
		 * ci_ilevel is ours; the old `ci' is not. */
		curcpu()->ci_ilevel = s;
		return;
	}
	/* Like an interrupt handler, for cpu_intr_p (kcov records none of
	 * it for the LWP it came upon). */
	ci->ci_ilevel = IPL_HIGH;
	ci->ci_idepth++;
	if (tf->tf_trapno == T_NMI)
		__atomic_add_fetch(&ci->ci_nnmi, 1, __ATOMIC_RELEASE);
	if (tf->tf_trapno == T_NMI && !panicking) {
		uint32_t pings = __atomic_load_n(&ci->ci_nmi_pings,
		    __ATOMIC_ACQUIRE);
		bool ping = pings != ci->ci_nmi_pinged;

		ci->ci_nmi_pinged = pings;
		if (ping && !__atomic_exchange_n(&ci->ci_nmi_report, 0,
		    __ATOMIC_ACQ_REL)) {
			/* cpu_ping's (all of them): answered by the count
			 * above, quietly. */
			ci->ci_idepth--;
			ci->ci_ilevel = s;
			return;
		}
		__atomic_store_n(&ci->ci_nmi_report, 0, __ATOMIC_RELAXED);
	}
	if (tf->tf_trapno == T_NMI && panicking) {
		/* Another CPU panicked: stop here.  (The panicking CPU
		 * itself ignores stray NMIs.) */
		if (panicking != (int)cpu_index(ci) + 1)
			cpu_panic_nmi(tf);
		ci->ci_idepth--;
		ci->ci_ilevel = s;
		return;
	}
	ksyms_format(tf->tf_rip, sym, sizeof(sym));
	if (tf->tf_trapno == T_NMI || tf->tf_trapno == T_BPTFLT) {
		if (tf->tf_trapno == T_NMI)
			trap_nmi_report(tf, sym);
		else
			printf("breakpoint at %#lx <%s>; continuing\n",
			    tf->tf_rip, sym);
		ci->ci_idepth--;
		ci->ci_ilevel = s;
		return;
	}
	printf("trap: %s in %s mode at %#lx <%s>, err=%#lx\n", name,
	    (tf->tf_cs & 3) ? "user" : "kernel", tf->tf_rip, sym, tf->tf_err);
	if (tf->tf_trapno == T_PAGEFLT) {
		printf("trap: %s %#lx, %s\n",
		    (tf->tf_err & PGEX_I) ? "instruction fetch from" :
		    (tf->tf_err & PGEX_W) ? "write to" : "read from", cr2,
		    (tf->tf_err & PGEX_P) ? "a page that forbids it" :
		    "an unmapped page");
		if (cr2 < PAGE_SIZE)
			printf("trap: that is page 0: a NULL pointer "
			    "dereference?\n");
	}
	/*
	 * Overflowing a stack into its guard page faults; if the fault
	 * cannot push its frame (the stack is the problem), the CPU raises
	 * a double fault instead, which runs on its own IST stack.
	 */
	if (tf->tf_trapno == T_PAGEFLT || tf->tf_trapno == T_DOUBLEFLT) {
		if ((guard = guard_page_name(cr2)) != NULL ||
		    (guard = guard_page_name(tf->tf_rsp - 8)) != NULL)
			printf("trap: kernel stack overflow: ran into the guard "
			    "page below the %s\n", guard);
	}
	panic_frame(tf, "fatal %s in kernel mode", name);
}
