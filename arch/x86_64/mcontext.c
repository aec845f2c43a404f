/*
 * mcontext.c: an LWP's user registers to and from an mcontext_t
 * (machine/mcontext.h), for getcontext/setcontext and _lwp_create
 * (kern_context.c, sys_lwp.c).
 *
 * A context comes from user space, so nothing in it is trusted:
 * cpu_mcontext_validate() refuses (EINVAL) any context that would make
 * the return to user mode fault in the kernel or give the program
 * rights it does not have -- a changed privileged %rflags bit (IOPL,
 * IF, VM, NT, ...), a segment selector other than the user ones, an
 * %rip outside user space (iretq to a non-canonical address faults in
 * ring 0), or a TLS base outside user space (wrmsr would fault).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/ucontext.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/vmparam.h>
#include "x86_var.h"

#define UCODE_SEL	GSEL(GUCODE_SEL, SEL_UPL)
#define UDATA_SEL	GSEL(GUDATA_SEL, SEL_UPL)
/* MXCSR bits fxrstor accepts on every CPU we run on (bit 6, DAZ, is
 * missing on the oldest): any other set bit would #GP in the kernel. */
#define MXCSR_MASK	0x0000ffbf

/* l's FPU state into fx: the live registers if l runs here, else the
 * copy saved at its last switch. */
static void
fpu_save(lwp_t *l, struct fxsave_area *fx)
{
	if (l == curlwp)
		fxsave(fx);
	else
		*fx = l->l_md.md_fpu;
}

/*
 * Fill *mcp with l's user registers (as they were when it entered the
 * kernel) and say which parts are valid in *flagsp.
 */
void
cpu_getmcontext(lwp_t *l, mcontext_t *mcp, unsigned int *flagsp)
{
	const struct trapframe *tf = cpu_lwp_trapframe(l);
	__greg_t *gr = mcp->__gregs;
	struct fxsave_area fx;

	gr[_REG_RDI] = tf->tf_rdi;
	gr[_REG_RSI] = tf->tf_rsi;
	gr[_REG_RDX] = tf->tf_rdx;
	gr[_REG_RCX] = tf->tf_rcx;
	gr[_REG_R8] = tf->tf_r8;
	gr[_REG_R9] = tf->tf_r9;
	gr[_REG_R10] = tf->tf_r10;
	gr[_REG_R11] = tf->tf_r11;
	gr[_REG_R12] = tf->tf_r12;
	gr[_REG_R13] = tf->tf_r13;
	gr[_REG_R14] = tf->tf_r14;
	gr[_REG_R15] = tf->tf_r15;
	gr[_REG_RBP] = tf->tf_rbp;
	gr[_REG_RBX] = tf->tf_rbx;
	gr[_REG_RAX] = tf->tf_rax;
	gr[_REG_GS] = gr[_REG_FS] = gr[_REG_ES] = gr[_REG_DS] = UDATA_SEL;
	gr[_REG_TRAPNO] = tf->tf_trapno;
	gr[_REG_ERR] = tf->tf_err;
	gr[_REG_RIP] = tf->tf_rip;
	gr[_REG_CS] = tf->tf_cs;
	gr[_REG_RFLAGS] = tf->tf_rflags;
	gr[_REG_RSP] = tf->tf_rsp;
	gr[_REG_SS] = tf->tf_ss;
	mcp->_mc_tlsbase = l->l_md.md_fsbase;
	fpu_save(l, &fx);
	memcpy(mcp->__fpregs, &fx, sizeof(mcp->__fpregs));
	*flagsp |= _UC_CPU | _UC_FPU | _UC_TLSBASE;
}

/*
 * Could l resume in the parts of *mcp that `flags` (_UC_*) names?  0
 * or EINVAL (see the top).
 */
int
cpu_mcontext_validate(lwp_t *l, const mcontext_t *mcp, unsigned int flags)
{
	const struct trapframe *tf = cpu_lwp_trapframe(l);
	const __greg_t *gr = mcp->__gregs;

	if ((flags & _UC_TLSBASE) && mcp->_mc_tlsbase >= VM_MAXUSER_ADDRESS)
		return EINVAL;
	if (!(flags & _UC_CPU))
		return 0;

	if ((gr[_REG_RFLAGS] ^ tf->tf_rflags) & PSL_USERSTATIC)
		return EINVAL;
	if (gr[_REG_CS] != UCODE_SEL || gr[_REG_SS] != UDATA_SEL)
		return EINVAL;
	for (int r = _REG_GS; r <= _REG_DS; r++)
		if (gr[r] != 0 && gr[r] != UDATA_SEL)
			return EINVAL;
	if (gr[_REG_RIP] >= VM_MAXUSER_ADDRESS)
		return EINVAL;
	return 0;
}

/*
 * Load the parts of *mcp that `flags` names into l (curlwp, or an LWP
 * not yet running: _lwp_create).  Everything is checked before
 * anything changes.  0 or EINVAL.
 */
int
cpu_setmcontext(lwp_t *l, const mcontext_t *mcp, unsigned int flags)
{
	struct trapframe *tf = cpu_lwp_trapframe(l);
	const __greg_t *gr = mcp->__gregs;
	int error;

	if ((error = cpu_mcontext_validate(l, mcp, flags)) != 0)
		return error;

	if (flags & _UC_CPU) {
		tf->tf_rdi = gr[_REG_RDI];
		tf->tf_rsi = gr[_REG_RSI];
		tf->tf_rdx = gr[_REG_RDX];
		tf->tf_rcx = gr[_REG_RCX];
		tf->tf_r8 = gr[_REG_R8];
		tf->tf_r9 = gr[_REG_R9];
		tf->tf_r10 = gr[_REG_R10];
		tf->tf_r11 = gr[_REG_R11];
		tf->tf_r12 = gr[_REG_R12];
		tf->tf_r13 = gr[_REG_R13];
		tf->tf_r14 = gr[_REG_R14];
		tf->tf_r15 = gr[_REG_R15];
		tf->tf_rbp = gr[_REG_RBP];
		tf->tf_rbx = gr[_REG_RBX];
		tf->tf_rax = gr[_REG_RAX];
		tf->tf_rip = gr[_REG_RIP];
		tf->tf_cs = UCODE_SEL;
		tf->tf_rflags = gr[_REG_RFLAGS];
		tf->tf_rsp = gr[_REG_RSP];
		tf->tf_ss = UDATA_SEL;
	}
	if (flags & _UC_FPU) {
		memcpy(&l->l_md.md_fpu, mcp->__fpregs, sizeof(mcp->__fpregs));
		l->l_md.md_fpu.fx_mxcsr &= MXCSR_MASK;
		if (l == curlwp)
			fxrstor(&l->l_md.md_fpu);
	}
	if (flags & _UC_TLSBASE)
		(void)cpu_lwp_setprivate(l, (void *)mcp->_mc_tlsbase);
	return 0;
}
