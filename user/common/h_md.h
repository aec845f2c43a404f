/*
 * h_md.h: the x86 instructions that user-space code shares, in one
 * place: reading the TSC, a raw system call that leaves errno alone,
 * and the spin-wait hint.  Machine-dependent; the rest of the shared
 * helpers (h_user.h) are not.
 *
 * user/common/ holds the helpers shared by user-space code: libc,
 * libpthread, the programs in bin/ and the tests (user.mk puts it on
 * the include path).  A test's own helpers on top of ATF stay in
 * user/tests/h_*.h.  Assembly with one user stays beside it: libc's
 * .S files, libpthread's %fs:0 and _lwp_exit sequences, and the tests
 * that exercise the machine itself (registers kept across a signal,
 * %fs, the MXCSR, faulting instructions), where it is the subject.
 *
 * h_rdtsc() also compiles on an x86 Linux host (tools/lwpbench-linux);
 * the raw system call follows lwpkern's convention, so only lwpkern
 * has it.
 */
#ifndef _H_MD_H_
#define _H_MD_H_

#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
/* lfence: the counter is read after the code before it has finished. */
static inline uint64_t
h_rdtsc(void)
{
	uint32_t lo, hi;

	__asm volatile("lfence; rdtsc" : "=a" (lo), "=d" (hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* In a spin-wait loop: tell the CPU (and a hypervisor) we are waiting. */
static inline void
h_pause(void)
{
	__builtin_ia32_pause();
}
#endif /* x86 */

/*
 * H_LWPKERN: compiled for lwpkern.  Its programs are built
 * -ffreestanding (user/user.mk) by the host's compiler, which may say
 * __linux__ too: a hosted compile is another system's program.
 */
#if !__STDC_HOSTED__
#define H_LWPKERN	1
#endif

#if defined(__x86_64__) && defined(H_LWPKERN)
/*
 * A raw system call (number from <sys/syscall.h>): its result, with
 * *errp = the error number, 0 if none.  errno is left alone, for code
 * that must not change it (libpthread's pthread_* functions) or cannot
 * trust it (LWPs without a thread block failing calls at the same time:
 * errno is then one variable per process, <errno.h>).  Everybody else
 * uses the system call's libc function, or syscall(2) (<unistd.h>).
 *
 * The kernel's convention (arch/x86_64/syscall.c): number in %rax,
 * arguments in %rdi, %rsi, %rdx, %r10, %r8, %r9; on return %rax holds
 * the result, or the error number with the carry flag set; `syscall'
 * itself clobbers %rcx and %r11.
 */
static inline long
h_syscall6(long num, long a1, long a2, long a3, long a4, long a5, long a6,
    int *errp)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	unsigned char cf;

	__asm__ volatile("syscall; setc %1"
	    : "+a" (num), "=qm" (cf), "+D" (a1), "+S" (a2), "+d" (a3),
	      "+r" (r10), "+r" (r8), "+r" (r9)
	    :
	    : "rcx", "r11", "memory", "cc");
	*errp = cf ? (int)num : 0;
	return num;
}

/* The same with any arguments cast to long, unused ones 0. */
#define H_SYSCALL(n, a1, a2, a3, a4, a5, a6, errp)			\
	h_syscall6((n), (long)(a1), (long)(a2), (long)(a3), (long)(a4),	\
	    (long)(a5), (long)(a6), (errp))
#endif /* lwpkern on x86-64 */

#endif /* !_H_MD_H_ */
