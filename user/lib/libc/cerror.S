/*
 * cerror.S: errno (see <errno.h>: per thread once libpthread runs),
 * __errno, which finds the calling thread's, and __cerror, where the
 * system-call stubs (build/gen/user/syscalls.S) jump when the kernel
 * reports an error: it set the carry flag and put the errno value in
 * %rax.  Store it through __errno() and return -1, 64 bits wide so
 * that calls returning pointers (mmap, __sys_break) get (void *)-1.
 * The only place libc sets errno from the kernel.
 */
#define TCB_ERRNO	8	/* <errno.h>: the thread's errno in its block */

	.text
	.globl	__cerror
	.type	__cerror, @function
__cerror:
	pushq	%rax			/* (also aligns the stack for the call) */
	call	__errno
	popq	%rdx
	movl	%edx, (%rax)
	movq	$-1, %rax
	ret
	.size	__cerror, . - __cerror

/* int *__errno(void): %fs:0 + TCB_ERRNO if threaded, else &errno. */
	.globl	__errno
	.type	__errno, @function
__errno:
	cmpl	$0, __libc_threaded(%rip)
	jne	1f
	leaq	errno(%rip), %rax
	ret
1:	movq	%fs:0, %rax
	addq	$TCB_ERRNO, %rax
	ret
	.size	__errno, . - __errno

	.bss
	.globl	errno
	.type	errno, @object
	.p2align 2
errno:
	.zero	4
	.size	errno, 4

	.globl	__libc_threaded
	.type	__libc_threaded, @object
	.p2align 2
__libc_threaded:
	.zero	4
	.size	__libc_threaded, 4

	.section .note.GNU-stack, "", @progbits
