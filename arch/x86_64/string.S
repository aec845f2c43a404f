/*
 * string.S: the kernel's memcpy, memset and memcmp, eight bytes an
 * instruction.
 *
 *   void *memcpy(void *dst, const void *src, size_t n)
 *   void *memset(void *dst, int c, size_t n)
 *   int memcmp(const void *a, const void *b, size_t n)
 *
 * `rep movsq' / `rep stosq' / `repe cmpsq' for the quadwords, then the
 * byte forms for the last n % 8 bytes (memcmp: for the 8 bytes of the
 * first quadword that differs, to find the byte, or the last n % 8);
 * the direction flag is clear in the kernel (every entry clears it).
 * kernel/lib/string.c has the same three in plain C (memcmp a byte a
 * loop iteration): user space's libc uses those,
 * and so does a KASAN kernel, which must see each access (its build
 * leaves this file empty; the Makefile defines __HAVE_MD_MEMCPY
 * otherwise, and string.c then leaves its own out).
 *
 * memcpy copies forward: memmove (string.c) counts on that, calling
 * it for overlapping copies with dst below src.  Neither sets up a
 * frame: a backtrace taken inside one (a fault on a bad pointer) names
 * it, then its caller's caller.
 *
 * Why: they copy and clear whole pages, and a signal's frame (a
 * context of 784 bytes, 512 of them the FPU's) is cleared, copied and
 * copied back on every delivery; and a DIAGNOSTIC kernel fills every
 * freed pool object with poison and compares it again when the object
 * is reused (subr_pool.c).  Under -icount the C loop costs about four
 * instructions a word, these one (docs/signals.md, docs/lwp.md:
 * figures).
 */
#ifdef __HAVE_MD_MEMCPY
	.text

	.globl	memcpy
	.type	memcpy, @function
memcpy:
	movq	%rdi, %rax		/* returns dst */
	movq	%rdx, %rcx
	shrq	$3, %rcx
	rep movsq
	movq	%rdx, %rcx
	andq	$7, %rcx
	rep movsb
	ret
	.size	memcpy, . - memcpy

	.globl	memset
	.type	memset, @function
memset:
	movq	%rdi, %r8		/* returns dst */
	movzbl	%sil, %eax
	movabsq	$0x0101010101010101, %r9
	imulq	%r9, %rax		/* c in each byte */
	movq	%rdx, %rcx
	shrq	$3, %rcx
	rep stosq
	movq	%rdx, %rcx
	andq	$7, %rcx
	rep stosb
	movq	%r8, %rax
	ret
	.size	memset, . - memset

	.globl	memcmp
	.type	memcmp, @function
memcmp:
	movq	%rdx, %rcx
	shrq	$3, %rcx		/* (ZF set if no quadwords) */
	repe cmpsq
	jne	1f
	movq	%rdx, %rcx		/* all equal: the last n % 8 bytes */
	andq	$7, %rcx
	jmp	2f
1:	subq	$8, %rdi		/* the quadword that differs, bytes */
	subq	$8, %rsi
	movl	$8, %ecx
2:	xorl	%eax, %eax
	testq	%rcx, %rcx
	jz	3f
	repe cmpsb
	je	3f
	movzbl	-1(%rdi), %eax		/* a[i] - b[i], as unsigned chars */
	movzbl	-1(%rsi), %edx
	subl	%edx, %eax
3:	ret
	.size	memcmp, . - memcmp
#endif /* __HAVE_MD_MEMCPY */

	.section .note.GNU-stack,"",@progbits
