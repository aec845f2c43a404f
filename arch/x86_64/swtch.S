/*
 * swtch.S: the context switch itself, and where new LWPs start.
 *
 * x86_swtch(&prev->l_md.md_sp, next->l_md.md_sp, prev) saves the
 * callee-saved registers (the C calling convention says the caller saved
 * the rest) on the current stack as a "switch frame", stores %rsp in
 * *save, loads the other LWP's %rsp and pops its switch frame.  The
 * `ret` then returns into the other LWP's call of x86_swtch, with
 * %rax = prev: from its point of view, the LWP that ran before it.
 *
 *   switch frame (lowest address first): r15 r14 r13 r12 rbp rbx rip
 *
 * A new LWP's stack holds a made-up switch frame (cpu_lwp_fork) whose
 * rip is lwp_trampoline, with r12 = the function and r13 its argument,
 * and r14 = 0 for a kernel thread (it ends when the function returns)
 * or, for a user LWP, its trap frame: the function returns into user
 * mode through that (x86_user_return).
 */
	.text
	.globl	x86_swtch
	.type	x86_swtch, @function
x86_swtch:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)		/* prev->l_md.md_sp */
	movq	%rsi, %rsp		/* next's stack: now running next */
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	movq	%rdx, %rax		/* return prev */
	ret
	.size	x86_swtch, . - x86_swtch

	.globl	lwp_trampoline
	.type	lwp_trampoline, @function
lwp_trampoline:
	xorl	%ebp, %ebp		/* backtraces end here */
	movq	%rax, %rdi		/* lwp_startup(prev, curlwp) */
	movq	%gs:8, %rsi
	call	lwp_startup
	movq	%r13, %rdi
	call	*%r12			/* func(arg) */
	testq	%r14, %r14
	jz	1f
	movq	%r14, %rsp		/* a user LWP: off to user mode */
	jmp	x86_user_return
1:	xorl	%edi, %edi		/* a kernel thread: kthread_exit(0) */
	call	kthread_exit
	ud2
	.size	lwp_trampoline, . - lwp_trampoline
