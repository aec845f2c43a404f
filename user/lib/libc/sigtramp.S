/*
 * __sigtramp_siginfo_2: where a signal handler returns (its frame's
 * return address, arch/x86_64/sig_machdep.c).  The frame's ucontext is
 * in %r15, which the handler has preserved: setcontext(2) on it goes
 * back to the interrupted code with the old signal mask.  If even that
 * fails, the process exits with the error.  Version 2 of NetBSD's
 * trampoline interface (sigaction passes it to __sigaction_sigtramp).
 */
#include <sys/syscall.h>

	.text
	.globl	__sigtramp_siginfo_2
	.type	__sigtramp_siginfo_2, @function
__sigtramp_siginfo_2:
	movq	%r15, %rdi
	movl	$SYS_setcontext, %eax
	syscall
	movq	%rax, %rdi
	movl	$SYS_exit, %eax
	syscall
	hlt				/* not reached */
	.size	__sigtramp_siginfo_2, . - __sigtramp_siginfo_2
	.section .note.GNU-stack,"",@progbits
