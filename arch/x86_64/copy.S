/*
 * copy.S: the only code that touches user memory.
 *
 *   int copyin(const void *uaddr, void *kaddr, size_t len)
 *   int copyout(const void *kaddr, void *uaddr, size_t len)
 *   int copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done)
 *   int copyoutstr(const void *kaddr, void *uaddr, size_t len, size_t *done)
 *
 * Each returns 0, EFAULT or (the string ones) ENAMETOOLONG; *done, if
 * not NULL, gets the bytes copied including the NUL.
 *
 * A user range is refused up front if it wraps around or ends above
 * VM_MAXUSER_ADDRESS (so kernel addresses and ranges straddling the
 * top of user space give EFAULT without touching anything).  Anything
 * else is simply tried: a page that is not there yet is faulted in by
 * trap() as for the user itself, and a page that cannot be (unmapped,
 * or the wrong protection) makes trap() resume at x86_uaccess_fault,
 * which returns EFAULT.  trap() recognises such faults by %rip: only
 * the instructions between x86_uaccess_start and x86_uaccess_end may
 * fault on user memory.  None of these functions pushes anything, so
 * the recovery can simply `ret`.
 *
 * SMAP forbids kernel access to user pages; `stac` lifts that for
 * exactly the copying loop and `clac` restores it.
 */
#include <sys/errno.h>
#include <machine/vmparam.h>

	.text
	.globl	x86_uaccess_start, x86_uaccess_end, x86_uaccess_fault

/* Refuse [reg, reg + len) unless it lies below VM_MAXUSER_ADDRESS. */
#define CHECK_USER_RANGE(reg, len)		\
	movq	reg, %rax;			\
	addq	len, %rax;			\
	jc	9f;				\
	movabsq	$VM_MAXUSER_ADDRESS, %r9;	\
	cmpq	%r9, %rax;			\
	ja	9f

	.globl	copyin
	.type	copyin, @function
copyin:
	CHECK_USER_RANGE(%rdi, %rdx)
	xchgq	%rdi, %rsi		/* movs copies (%rsi) to (%rdi) */
	jmp	x86_ucopy
9:	movl	$EFAULT, %eax
	ret
	.size	copyin, . - copyin

	.globl	copyout
	.type	copyout, @function
copyout:
	CHECK_USER_RANGE(%rsi, %rdx)
	xchgq	%rdi, %rsi
	jmp	x86_ucopy
9:	movl	$EFAULT, %eax
	ret
	.size	copyout, . - copyout

/*
 * String copies, one byte at a time: %rdi = source, %rsi = destination,
 * %rdx = room, %rcx = done pointer; %r9 = the user address limit, %r10 =
 * the user pointer (checked against %r9 at every byte, since the
 * length is not known in advance).
 */
#define COPYSTR(name, userreg)				\
	.globl	name;					\
	.type	name, @function;			\
name:							\
	movabsq	$VM_MAXUSER_ADDRESS, %r9;		\
	movq	userreg, %r10;				\
	xorl	%r8d, %r8d;				\
	jmp	x86_ucopystr;				\
	.size	name, . - name

COPYSTR(copyinstr, %rdi)
COPYSTR(copyoutstr, %rsi)

/* ---- the instructions below may fault on user memory ---- */
x86_uaccess_start:

/* (%rsi) -> (%rdi), %rdx bytes: quadwords, then the odd bytes (a
 * signal's frame is 920 bytes out and 784 back: a byte an instruction
 * was a third of the signal round trip). */
x86_ucopy:
	movq	%rdx, %rcx
	shrq	$3, %rcx
	stac
	rep movsq
	movq	%rdx, %rcx
	andq	$7, %rcx
	rep movsb
	clac
	xorl	%eax, %eax
	ret

x86_ucopystr:
	stac
1:	cmpq	%rdx, %r8
	jae	3f			/* no room left: too long */
	leaq	(%r10, %r8), %rax
	cmpq	%r9, %rax
	jae	x86_uaccess_fault	/* ran past the top of user space */
	movb	(%rdi, %r8), %al
	movb	%al, (%rsi, %r8)
	incq	%r8
	testb	%al, %al
	jnz	1b
	clac
	xorl	%eax, %eax
2:	testq	%rcx, %rcx
	jz	4f
	movq	%r8, (%rcx)
4:	ret
3:	clac
	movl	$ENAMETOOLONG, %eax
	jmp	2b

x86_uaccess_end:
/* ---- end of the faulting region ---- */

/* trap() resumes here after a fault it could not resolve. */
x86_uaccess_fault:
	clac
	movl	$EFAULT, %eax
	ret

	.section .note.GNU-stack,"",@progbits
