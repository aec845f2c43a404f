/*
 * cerror.S: where the system-call stubs (build/gen/user/syscalls.S)
 * jump when the kernel reports an error: it set the carry flag and put
 * the errno value in %rax.  Store it and return -1, 64 bits wide so
 * that calls returning pointers (mmap, __sys_break) get (void *)-1.
 * The only place libc sets errno from the kernel (see <errno.h>).
 */
	.text
	.globl	__cerror
	.type	__cerror, @function
__cerror:
	movl	%eax, errno(%rip)
	movq	$-1, %rax
	ret
	.size	__cerror, . - __cerror

	.bss
	.globl	errno
	.type	errno, @object
	.p2align 2
errno:
	.zero	4
	.size	errno, 4

	.section .note.GNU-stack, "", @progbits
