/*
 * getcontext(ucp): the system call saves the registers as they are
 * inside the call -- %rip in a stub, %rsp pointing at a return address
 * that the caller's next call overwrites.  Resuming such a context
 * would return into whatever is there by then.  So, as NetBSD's libc
 * does, point the saved context at getcontext's own return instead:
 * %rip = our return address, %rsp = the caller's stack pointer after
 * the return, and (set by the kernel) %rax = 0, carry clear.
 * setcontext() then makes getcontext "return" 0 a second time.
 *
 * The offsets into ucontext_t are checked in lwp.c.
 */
#define UC_RIP	224	/* uc_mcontext.__gregs[_REG_RIP] */
#define UC_RSP	248	/* uc_mcontext.__gregs[_REG_RSP] */

	.text
	.globl	getcontext
	.type	getcontext, @function
getcontext:
	pushq	%rdi			/* ucp (and 16-byte alignment) */
	call	__sys_getcontext	/* 0, or -1 with errno set */
	popq	%rdi
	testl	%eax, %eax
	jnz	1f
	movq	(%rsp), %rcx		/* our return address */
	movq	%rcx, UC_RIP(%rdi)
	leaq	8(%rsp), %rcx		/* %rsp once we have returned */
	movq	%rcx, UC_RSP(%rdi)
1:	ret
	.size	getcontext, . - getcontext
	.section .note.GNU-stack,"",@progbits
