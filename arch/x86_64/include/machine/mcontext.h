/*
 * machine/mcontext.h: an amd64 LWP's user registers as a ucontext_t
 * carries them (NetBSD's layout and names, so NetBSD programs that
 * build contexts by hand compile unchanged).
 *
 * __gregs[] is indexed by _REG_*, in the order of NetBSD's trap frame;
 * ours has the same order without the four data-segment slots, which
 * long mode ignores (the kernel fills them with the user data selector
 * and accepts only that, or 0, back).  __fpregs is an fxsave image.
 */
#ifndef _MACHINE_MCONTEXT_H_
#define _MACHINE_MCONTEXT_H_

#define _REG_RDI	0
#define _REG_RSI	1
#define _REG_RDX	2
#define _REG_RCX	3
#define _REG_R8		4
#define _REG_R9		5
#define _REG_R10	6
#define _REG_R11	7
#define _REG_R12	8
#define _REG_R13	9
#define _REG_R14	10
#define _REG_R15	11
#define _REG_RBP	12
#define _REG_RBX	13
#define _REG_RAX	14
#define _REG_GS		15
#define _REG_FS		16
#define _REG_ES		17
#define _REG_DS		18
#define _REG_TRAPNO	19
#define _REG_ERR	20
#define _REG_RIP	21
#define _REG_CS		22
#define _REG_RFLAGS	23
#define _REG_RSP	24
#define _REG_SS		25
#define _NGREG		26

/* Older names NetBSD keeps. */
#define _REG_URSP	_REG_RSP
#define _REG_RFL	_REG_RFLAGS

typedef unsigned long	__greg_t;
typedef __greg_t	__gregset_t[_NGREG];
/* The fxsave area (it needs 16-byte alignment only where fxsave
 * itself runs, which is never on this copy). */
typedef char		__fpregset_t[512] __attribute__((__aligned__(8)));

typedef struct {
	__gregset_t	__gregs;
	__greg_t	_mc_tlsbase;	/* %fs base, with _UC_TLSBASE */
	__fpregset_t	__fpregs;	/* with _UC_FPU */
} mcontext_t;

#define _UC_TLSBASE	0x00080000	/* _mc_tlsbase is valid */
#define _UC_SETSTACK	0x00010000
#define _UC_CLRSTACK	0x00020000

#define _UC_UCONTEXT_ALIGN	(~0xf)
/* The amd64 ABI's 128-byte red zone lies below the stack pointer. */
#define _UC_MACHINE_SP(uc)	((uc)->uc_mcontext.__gregs[_REG_RSP] - 128)
#define _UC_MACHINE_FP(uc)	((uc)->uc_mcontext.__gregs[_REG_RBP])
#define _UC_MACHINE_PC(uc)	((uc)->uc_mcontext.__gregs[_REG_RIP])
#define _UC_MACHINE_INTRV(uc)	((uc)->uc_mcontext.__gregs[_REG_RAX])
#define _UC_MACHINE_SET_PC(uc, pc)	(_UC_MACHINE_PC(uc) = (pc))

#define __UCONTEXT_SIZE	784		/* sizeof(ucontext_t), as NetBSD's */

#ifdef _KERNEL
/* Make a context getcontext(2) saved resume as getcontext's successful
 * return: %rax 0, carry clear (the libc stub tests the carry). */
#define _UC_MACHINE_SET_RVAL0(uc) do {					\
	(uc)->uc_mcontext.__gregs[_REG_RAX] = 0;			\
	(uc)->uc_mcontext.__gregs[_REG_RFLAGS] &= ~0x1UL;		\
} while (0)
#endif

#endif /* !_MACHINE_MCONTEXT_H_ */
