/*
 * crt0.S: where every program starts (linked first, not part of
 * libc.a).
 *
 * The kernel enters _start with %rsp 16-byte aligned, pointing at
 * argc, then argv[0..argc-1], NULL, envp[...], NULL (the SysV layout).
 * It passes argc, argv and envp in %rdi, %rsi and %rdx as well, but we
 * read the stack, which is what the ABI promises.
 */
	.text
	.p2align 4
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp		/* the outermost frame: backtraces stop */
	movq	(%rsp), %rdi		/* argc */
	leaq	8(%rsp), %rsi		/* argv */
	leaq	8(%rsi,%rdi,8), %rdx	/* envp: past argv's NULL */
	movq	%rdx, environ(%rip)
	movq	%rsi, __libc_argv(%rip)	/* for getprogname() */
	andq	$-16, %rsp		/* already aligned: be sure for main */
	call	main
	movl	%eax, %edi
	call	exit			/* flushes stdio; does not return */
	ud2
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
