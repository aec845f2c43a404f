/*
 * vectors.S: exception entry points.
 *
 * Each vector pushes a dummy error code if the CPU pushes none (so every
 * frame looks the same) and its vector number, then jumps to alltraps,
 * which saves the general registers to complete a struct trapframe
 * (machine/frame.h) and calls trap(frame).  If trap() returns, the
 * registers are restored and iretq resumes the interrupted code.
 *
 * The frame's %rbp and %rip let the backtrace continue from the
 * interrupted function into its callers.
 */
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

TRAP_NOERR(0);  TRAP_NOERR(1);  TRAP_NOERR(2);  TRAP_NOERR(3)
TRAP_NOERR(4);  TRAP_NOERR(5);  TRAP_NOERR(6);  TRAP_NOERR(7)
TRAP_ERR(8);    TRAP_NOERR(9);  TRAP_ERR(10);   TRAP_ERR(11)
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

	.globl	alltraps
	.type	alltraps, @function
alltraps:
	/* From user mode?  Then switch %gs to the kernel's cpu_info. */
	testb	$3, 24(%rsp)		/* tf_cs, past trapno and err */
	jz	1f
	swapgs
1:	pushq	%rax
	pushq	%rbx
	pushq	%rbp
	pushq	%r15
	pushq	%r14
	pushq	%r13
	pushq	%r12
	pushq	%r11
	pushq	%r10
	pushq	%r9
	pushq	%r8
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	cld
	movq	%rsp, %rdi
	call	trap
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%r8
	popq	%r9
	popq	%r10
	popq	%r11
	popq	%r12
	popq	%r13
	popq	%r14
	popq	%r15
	popq	%rbp
	popq	%rbx
	popq	%rax
	testb	$3, 24(%rsp)
	jz	2f
	swapgs
2:	addq	$16, %rsp		/* trapno, err */
	iretq
	.size	alltraps, . - alltraps

	.section .rodata
	.balign	8
	.globl	x86_exception_vectors
x86_exception_vectors:
	.quad	vec0,  vec1,  vec2,  vec3,  vec4,  vec5,  vec6,  vec7
	.quad	vec8,  vec9,  vec10, vec11, vec12, vec13, vec14, vec15
	.quad	vec16, vec17, vec18, vec19, vec20, vec21, vec22, vec23
	.quad	vec24, vec25, vec26, vec27, vec28, vec29, vec30, vec31
