/*
 * int syscall(int number, ...): system call `number' (SYS_* of
 * <sys/syscall.h>, generated from kernel/syscalls.master) with up to
 * six arguments, as NetBSD's libc has it.  For the calls that have no
 * libc function, or to reach a system call under its stub; code that
 * must not change errno uses h_syscall6 (user/common/h_md.h).
 *
 * The C arguments move one register down, the sixth system-call
 * argument comes off the stack, and the fourth goes in %r10 (the
 * `syscall' instruction clobbers %rcx).  Errors land in __cerror, as
 * from every stub: -1 with errno set.
 */
	.text
	.globl	syscall
	.type	syscall, @function
syscall:
	movl	%edi, %eax		/* an int: zero-extended */
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	movq	%r8, %r10
	movq	%r9, %r8
	movq	8(%rsp), %r9
	syscall
	jc	__cerror
	ret
	.size	syscall, . - syscall
	.section .note.GNU-stack,"",@progbits
