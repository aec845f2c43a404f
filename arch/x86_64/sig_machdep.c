/*
 * sig_machdep.c: the machine-dependent half of signal delivery: a
 * handler's frame on the user stack (NetBSD's amd64 layout), and the
 * registers the handler starts with.
 *
 *	          (the interrupted code's stack)
 *	rsp-128   red zone, left alone (the ABI lets leaf code use it)
 *	          struct sigframe_siginfo {
 *	rsp' ->       sf_ra   the trampoline: the handler returns there
 *	              sf_si   siginfo_t   (16-byte aligned)
 *	              sf_uc   ucontext_t: the interrupted registers, FPU,
 *	          }                       TLS base and the mask to restore
 *
 * The handler runs as handler(sig, &sf_si, &sf_uc) with %rsp = rsp'
 * (so rsp' + 8 is 16-byte aligned, as after a call).  Its `ret' goes
 * to libc's __sigtramp_siginfo_2, which calls setcontext(&sf_uc) (its
 * address is in %r15, which the handler preserves): back to the
 * interrupted code, with the old mask -- the same validated path as
 * any setcontext.
 */
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/ucontext.h>
#include <machine/frame.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/vmparam.h>
#include "x86_var.h"

struct sigframe_siginfo {
	uint64_t	sf_ra;
	siginfo_t	sf_si;
	ucontext_t	sf_uc;
};

/* The red zone below %rsp that a frame must not touch. */
#define REDZONE		128

/*
 * Run curlwp's handler for ksi->ksi_signo on return to user mode;
 * `mask' is what the frame's context restores.  p_lock held (dropped
 * while the frame is written).  A stack the frame cannot be written to
 * ends the process (SIGILL, as NetBSD): nothing could run the handler.
 */
void
sendsig(const ksiginfo_t *ksi, const sigset_t *mask)
{
	lwp_t *l = curlwp;
	struct proc *p = l->l_proc;
	struct trapframe *tf = cpu_lwp_trapframe(l);
	int sig = ksi->ksi_signo;
	struct sigframe_siginfo frame;
	vaddr_t sp;
	int error;

	KASSERT(mutex_owned(p->p_lock));
	sp = tf->tf_rsp - REDZONE - sizeof(frame);
	sp = (sp & ~(vaddr_t)15) - 8;

	memset(&frame, 0, sizeof(frame));
	frame.sf_ra = (uint64_t)p->p_sigacts.sa_tramp[sig];
	frame.sf_si.si_signo = sig;
	frame.sf_si.si_code = ksi->ksi_code;
	switch (sig) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		if (ksi->ksi_code > 0) {	/* a fault, not kill() */
			frame.sf_si.si_addr = ksi->ksi_addr;
			frame.sf_si.si_trap = ksi->ksi_trap;
			break;
		}
		/* FALLTHROUGH */
	default:
		frame.sf_si.si_pid = ksi->ksi_pid;
		if (sig == SIGCHLD)
			frame.sf_si.si_status = ksi->ksi_status;
		break;
	}
	frame.sf_uc.uc_flags = _UC_SIGMASK;
	frame.sf_uc.uc_sigmask = *mask;
	frame.sf_uc.uc_link = l->l_ctxlink;
	cpu_getmcontext(l, &frame.sf_uc.uc_mcontext, &frame.sf_uc.uc_flags);

	mutex_exit(p->p_lock);
	error = copyout(&frame, (void *)sp, sizeof(frame));
	mutex_enter(p->p_lock);
	/* (A handler address outside user space would fault the return
	 * to user mode itself, in the kernel: refuse it here.) */
	if ((vaddr_t)SIGACTION(p, sig).sa_handler >= VM_MAXUSER_ADDRESS) {
		printf("%s[%d]: signal %d's handler %p is not in user space: "
		    "killed by signal %d\n", p->p_comm, p->p_pid, sig,
		    (void *)SIGACTION(p, sig).sa_handler, SIGILL);
		sigexit(l, SIGILL);
	}
	if (error != 0) {
		printf("%s[%d]: no room on the stack (%#lx) for signal %d's "
		    "handler: killed by signal %d\n", p->p_comm, p->p_pid,
		    tf->tf_rsp, sig, SIGILL);
		sigexit(l, SIGILL);
	}

	tf->tf_rip = (uint64_t)SIGACTION(p, sig).sa_handler;
	tf->tf_rdi = sig;
	tf->tf_rsi = sp + offsetof(struct sigframe_siginfo, sf_si);
	tf->tf_rdx = sp + offsetof(struct sigframe_siginfo, sf_uc);
	tf->tf_r15 = tf->tf_rdx;
	tf->tf_rax = 0;
	tf->tf_rsp = sp;
	tf->tf_rflags &= ~(PSL_T | PSL_D | PSL_AC);
	tf->tf_cs = GSEL(GUCODE_SEL, SEL_UPL);
	tf->tf_ss = GSEL(GUDATA_SEL, SEL_UPL);
}
