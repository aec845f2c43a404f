/*
 * syscall.c: the machine-dependent half of system calls.
 *
 *   user: syscall (number in %rax, arguments in %rdi %rsi %rdx %r10 %r8
 *         %r9)  ->  syscall_entry (vectors.S): kernel stack, trap frame
 *   ->  syscall(frame): the MI dispatcher sy_invoke (sys/syscallvar.h)
 *         looks the number up in sysent[] (generated from
 *         kernel/syscalls.master) and calls sys_NAME(l, args, retval)
 *   ->  result in %rax; on error the carry flag set and %rax = errno
 *   ->  x86_user_return (vectors.S): userret(), then sysretq (or iretq)
 *
 * syscall_init_cpu() points each CPU's MSRs at syscall_entry.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/intr.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/syscall.h>
#include <sys/syscallvar.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/segments.h>
#include <machine/specialreg.h>
#include "x86_var.h"

void	syscall_entry(void);		/* vectors.S */
void	syscall(struct trapframe *);
void	userret(struct trapframe *);

/*
 * syscall: %cs = STAR[47:32], %ss = that + 8 (kernel code, data);
 * sysret: %cs = STAR[63:48] + 16, %ss = STAR[63:48] + 8 (user code,
 * data: segments.h orders the GDT for this).  SFMASK clears interrupts
 * (so nothing runs on the user stack), the direction and trap flags,
 * and AC (SMAP stays in force).
 */
void
syscall_init_cpu(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)GSEL(GUCODE32_SEL, SEL_UPL) << 48) |
	    ((uint64_t)GSEL(GCODE_SEL, SEL_KPL) << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, PSL_I | PSL_T | PSL_D | PSL_AC | PSL_NT);
	wrmsr(MSR_KERNELGSBASE, 0);	/* the user's %gs base */
}

void
syscall(struct trapframe *tf)
{
	lwp_t *l = curlwp;
	register_t args[6] = { tf->tf_rdi, tf->tf_rsi, tf->tf_rdx, tf->tf_r10,
	    tf->tf_r8, tf->tf_r9 };
	register_t rval = 0;
	uint64_t code = tf->tf_rax;
	int error;

	KASSERT(l->l_stat == LSONPROC && curcpu_spin_state(NULL) == 0);
	error = sy_invoke(l, code, args, &rval);
	KASSERTMSG(curcpu_spin_state(NULL) == 0 && l->l_nopreempt == 0,
	    "system call %lu returns holding a spin mutex or with "
	    "preemption disabled", code);

	/* (Success expected: the compiler lays that case out straight.) */
	switch (__builtin_expect(error, 0)) {
	case 0:
		tf->tf_rax = rval;
		tf->tf_rflags &= ~PSL_C;
		break;
	case ERESTART:
		/* Run the `syscall` instruction (2 bytes) again. */
		tf->tf_rip -= 2;
		tf->tf_rcx = tf->tf_rip;
		break;
	case EJUSTRETURN:
		/* The frame is what it should be (execve rewrote it). */
		return;
	default:
		tf->tf_rax = error;
		tf->tf_rflags |= PSL_C;
		break;
	}
	tf->tf_r11 = tf->tf_rflags;	/* sysret restores %rflags from %r11 */
}

/* On every way back to user mode (vectors.S x86_user_return). */
void
userret(struct trapframe *tf)
{
	mi_userret(curlwp);
}
