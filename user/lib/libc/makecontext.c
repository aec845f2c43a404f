/*
 * makecontext.c: makecontext(3) and swapcontext(3), NetBSD's amd64
 * versions (lib/libc/arch/x86_64/gen/makecontext.c, gen/swapcontext.c).
 *
 * makecontext(ucp, func, argc, ...) makes ucp (filled in by getcontext,
 * with uc_stack set) call func(args...) on that stack: the first six
 * arguments in %rdi, %rsi, %rdx, %rcx, %r8, %r9, the rest on the stack
 * (each passed as a long), %rsp 16-byte aligned minus the return
 * address, as if func had been called.  That return address is
 * _resumecontext: when func returns, it resumes ucp's uc_link, which
 * the kernel remembers for the LWP (l_ctxlink) when setcontext or
 * swapcontext enters ucp; a NULL uc_link ends the LWP (the last one
 * ends the process), as setcontext(NULL) does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <ucontext.h>

/*
 * Where func returns to.  It arrives by `ret' with %rsp 16-byte
 * aligned, not 8 past that as after a call, hence the realignment.
 */
static __dead void __attribute__((__force_align_arg_pointer__))
_resumecontext(void)
{
	ucontext_t uc;

	(void)getcontext(&uc);		/* uc_link: the kernel's l_ctxlink */
	(void)setcontext(uc.uc_link);
	abort();			/* uc_link was not a context */
}

void
makecontext(ucontext_t *ucp, void (*func)(), int argc, ...)
{
	__greg_t *gr = ucp->uc_mcontext.__gregs;
	static const int regs[] = { _REG_RDI, _REG_RSI, _REG_RDX, _REG_RCX,
	    _REG_R8, _REG_R9 };
	unsigned long *sp;
	va_list ap;
	int i;

	sp = (unsigned long *)(((uintptr_t)ucp->uc_stack.ss_sp +
	    ucp->uc_stack.ss_size) & ~(uintptr_t)15);
	if (argc > 6)
		sp -= argc - 6;
	sp = (unsigned long *)((uintptr_t)sp & ~(uintptr_t)15);
	*--sp = (unsigned long)_resumecontext;	/* the return address */

	gr[_REG_RIP] = (__greg_t)func;
	gr[_REG_RSP] = (__greg_t)sp;
	gr[_REG_RAX] = 0;		/* no vector registers (varargs) */
	va_start(ap, argc);
	for (i = 0; i < argc; i++) {
		if (i < 6)
			gr[regs[i]] = va_arg(ap, long);
		else
			sp[1 + i - 6] = va_arg(ap, long);
	}
	va_end(ap);
	ucp->uc_flags |= _UC_CPU;
}

/*
 * Save the current context in oucp and resume ucp; resuming oucp later
 * returns 0 from here.  -1 (errno) if a context is bad.
 */
int
swapcontext(ucontext_t *oucp, const ucontext_t *ucp)
{
	volatile int swapped = 0;
	int rv;

	rv = getcontext(oucp);
	if (rv == 0 && !swapped) {
		swapped = 1;
		rv = setcontext(ucp);
	}
	return rv;
}
