/*
 * vectors.S: exception entry points.
 *
 * Each vector pushes a dummy error code if the CPU pushes none (so every
 * frame looks the same) and its vector number, then jumps to alltraps,
 * which saves the general registers to complete a struct trapframe
 * (machine/frame.h) and calls trap(frame).  If trap() returns, the
 * registers are restored and iretq resumes the interrupted code (by way
 * of userret() when that code is in user mode).  System calls come in
 * through syscall_entry and leave the same way.
 *
 * The NMI and the double fault (which arrive on their own IST stacks
 * and may interrupt any instruction) take paranoid_traps instead: see
 * there.
 *
 * The frame's %rbp and %rip let the backtrace continue from the
 * interrupted function into its callers.
 */
#include <machine/frameasm.h>
#include <machine/segments.h>
#include <machine/specialreg.h>
#include <machine/vmparam.h>

	.text

#define TRAP_NOERR(n)			\
	.balign 16;			\
vec##n:	pushq	$0;			\
	pushq	$n;			\
	jmp	alltraps

#define TRAP_ERR(n)			\
	.balign 16;			\
vec##n:	pushq	$n;			\
	jmp	alltraps

	.balign 16
vec2:	pushq	$0			/* NMI */
	pushq	$2
	jmp	paranoid_traps
	.balign 16
vec8:	pushq	$8			/* double fault (error code 0) */
	jmp	paranoid_traps

TRAP_NOERR(0);  TRAP_NOERR(1);                  TRAP_NOERR(3)
TRAP_NOERR(4);  TRAP_NOERR(5);  TRAP_NOERR(6);  TRAP_NOERR(7)
                TRAP_NOERR(9);  TRAP_ERR(10);   TRAP_ERR(11)
TRAP_ERR(12);   TRAP_ERR(13);   TRAP_ERR(14);   TRAP_NOERR(15)
TRAP_NOERR(16); TRAP_ERR(17);   TRAP_NOERR(18); TRAP_NOERR(19)
TRAP_NOERR(20); TRAP_ERR(21);   TRAP_NOERR(22); TRAP_NOERR(23)
TRAP_NOERR(24); TRAP_NOERR(25); TRAP_NOERR(26); TRAP_NOERR(27)
TRAP_NOERR(28); TRAP_ERR(29);   TRAP_ERR(30);   TRAP_NOERR(31)

/*
 * Vectors 32-255 (device interrupts, the APIC timer, IPIs): one 16-byte
 * stub each, so stub n is at x86_intr_stubs + (n - 32) * 16.  They take
 * the same path; trap() passes them on to intr_dispatch().
 */
	.balign	16
	.globl	x86_intr_stubs
x86_intr_stubs:
	.set	vec, 32
	.rept	224
	.balign	16
	pushq	$0
	pushq	$vec
	jmp	alltraps
	.set	vec, vec + 1
	.endr

/* Save the general registers below what the CPU (or the stubs) pushed,
 * completing a struct trapframe, and undo that. */
#define INTR_SAVE_GPRS			\
	pushq	%rax;			\
	pushq	%rbx;			\
	pushq	%rbp;			\
	pushq	%r15;			\
	pushq	%r14;			\
	pushq	%r13;			\
	pushq	%r12;			\
	pushq	%r11;			\
	pushq	%r10;			\
	pushq	%r9;			\
	pushq	%r8;			\
	pushq	%rcx;			\
	pushq	%rdx;			\
	pushq	%rsi;			\
	pushq	%rdi

#define INTR_RESTORE_GPRS		\
	popq	%rdi;			\
	popq	%rsi;			\
	popq	%rdx;			\
	popq	%rcx;			\
	popq	%r8;			\
	popq	%r9;			\
	popq	%r10;			\
	popq	%r11;			\
	popq	%r12;			\
	popq	%r13;			\
	popq	%r14;			\
	popq	%r15;			\
	popq	%rbp;			\
	popq	%rbx;			\
	popq	%rax

	.globl	alltraps
	.type	alltraps, @function
alltraps:
	/* From user mode?  Then switch %gs to the kernel's cpu_info. */
	testb	$3, 24(%rsp)		/* tf_cs, past trapno and err */
	jz	1f
	swapgs
1:	INTR_SAVE_GPRS
	cld
	movq	%rsp, %rdi
	call	trap
	testb	$3, TF_CS(%rsp)
	jnz	x86_user_return		/* back to user: userret() first */
	INTR_RESTORE_GPRS
	addq	$16, %rsp		/* trapno, err */
	iretq
	.size	alltraps, . - alltraps

/*
 * NMIs and double faults can arrive between a `swapgs` and the
 * `sysretq`/`iretq` after it, or before the `swapgs` at syscall_entry:
 * in kernel mode (%cs says so) with the user's %gs base loaded.  So
 * %cs cannot tell which %gs is in use here; the GS base itself can:
 * the kernel's is a cpu_info in the kernel half (negative), the user's
 * never is (it is always 0: user code cannot write it, CR4.FSGSBASE is
 * off).  Swap if needed, and swap back on the way out.  Return straight
 * to the interrupted code, never through userret(): that may switch
 * LWPs, which must not happen on an IST stack.
 */
	.type	paranoid_traps, @function
paranoid_traps:
	INTR_SAVE_GPRS
	movl	$MSR_GSBASE, %ecx
	rdmsr
	xorl	%ebx, %ebx		/* %ebx (callee-saved): swapped? */
	testl	%edx, %edx
	js	1f			/* a kernel address: ours already */
	swapgs
	movl	$1, %ebx
1:	cld
	movq	%rsp, %rdi
	call	trap
	testl	%ebx, %ebx
	jz	2f
	swapgs
2:	INTR_RESTORE_GPRS
	addq	$16, %rsp		/* trapno, err */
	iretq
	.size	paranoid_traps, . - paranoid_traps

/*
 * The system-call entry (MSR_LSTAR points here).  The `syscall`
 * instruction left the user's %rip in %rcx and %rflags in %r11, masked
 * the flags in MSR_SFMASK (interrupts off) and loaded the kernel %cs/%ss;
 * it did not switch stacks.  So: swapgs to reach our cpu_info, park the
 * user %rsp there, load this LWP's kernel stack top (ci_rsp0, set by
 * cpu_switchto) and build the same struct trapframe an interrupt from
 * user mode would, then call syscall(frame) with interrupts on.
 */
	.globl	syscall_entry
	.type	syscall_entry, @function
syscall_entry:
	swapgs
	movq	%rsp, %gs:CPU_INFO_USCRATCH
	movq	%gs:CPU_INFO_RSP0, %rsp
	pushq	$GSEL(GUDATA_SEL, SEL_UPL)	/* tf_ss */
	pushq	%gs:CPU_INFO_USCRATCH		/* tf_rsp */
	pushq	%r11				/* tf_rflags */
	pushq	$GSEL(GUCODE_SEL, SEL_UPL)	/* tf_cs */
	pushq	%rcx				/* tf_rip */
	pushq	$0				/* tf_err */
	pushq	$T_SYSCALL			/* tf_trapno */
	INTR_SAVE_GPRS
	sti
	cld
	movq	%rsp, %rdi
	call	syscall
	/* FALLTHROUGH */
	.size	syscall_entry, . - syscall_entry

/*
 * Return to user mode from the trap frame at %rsp (the top of the
 * LWP's kernel stack): after a system call, a trap or interrupt from
 * user mode, or as a new LWP's first trip out (lwp_trampoline).
 *
 * userret() does what must happen before user code runs again
 * (preemption, lwp_userret's LW_USERRET work); then, with interrupts
 * off, the registers go back.  `sysretq` is the fast way out, but it
 * sets %rip from %rcx and %rflags from %r11, so it is used only when the
 * frame says rcx == rip and r11 == rflags (true after every system
 * call that did not rewrite the frame, e.g. execve) and %rip is a user
 * address (sysret with a non-canonical %rip would fault in kernel mode
 * on the user stack).  Anything else leaves through `iretq`.
 */
	.globl	x86_user_return
	.type	x86_user_return, @function
x86_user_return:
	movq	%rsp, %rdi
	call	userret
	cli
	movq	TF_RIP(%rsp), %rax
	cmpq	TF_RCX(%rsp), %rax
	jne	2f
	movabsq	$VM_MAXUSER_ADDRESS, %rdx
	cmpq	%rdx, %rax
	jae	2f
	movq	TF_RFLAGS(%rsp), %rax
	cmpq	TF_R11(%rsp), %rax
	jne	2f
	cmpq	$GSEL(GUCODE_SEL, SEL_UPL), TF_CS(%rsp)
	jne	2f
	INTR_RESTORE_GPRS
	swapgs
	movq	TF_RSP - TF_TRAPNO(%rsp), %rsp
	sysretq
2:	INTR_RESTORE_GPRS
	swapgs
	addq	$16, %rsp		/* trapno, err */
	iretq
	.size	x86_user_return, . - x86_user_return

	.section .rodata
	.balign	8
	.globl	x86_exception_vectors
x86_exception_vectors:
	.quad	vec0,  vec1,  vec2,  vec3,  vec4,  vec5,  vec6,  vec7
	.quad	vec8,  vec9,  vec10, vec11, vec12, vec13, vec14, vec15
	.quad	vec16, vec17, vec18, vec19, vec20, vec21, vec22, vec23
	.quad	vec24, vec25, vec26, vec27, vec28, vec29, vec30, vec31
