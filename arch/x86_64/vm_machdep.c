/*
 * vm_machdep.c: the machine-dependent side of LWPs: their kernel stacks,
 * user register state, and the context switch (swtch.S does the
 * register work).
 *
 * User state that is not in the trap frame travels with the switch:
 * the FPU/SSE registers (saved with fxsave when a user LWP is switched
 * out and reloaded when one is switched in; the kernel itself never
 * uses them, it is compiled without SSE), the %fs base (TLS), and the
 * address space (%cr3, only reloaded when the next LWP's pmap differs
 * from the one loaded; kernel threads run on the kernel's own tables).
 */
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kstack.h>
#include <sys/lwp.h>
#include <sys/param.h>
#include <sys/pmap.h>
#include <sys/proc.h>
#include <sys/sched.h>
#include <sys/vmspace.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/segments.h>
#include <machine/specialreg.h>
#include <machine/vmparam.h>
#include "x86_var.h"

lwp_t	*x86_swtch(vaddr_t *save, vaddr_t load, lwp_t *prev);
extern char lwp_trampoline[];

/* The switch frame swtch.S pops, lowest address first. */
struct switchframe {
	uint64_t	sf_r15, sf_r14, sf_r13, sf_r12, sf_rbp, sf_rbx;
	uint64_t	sf_rip;
};

/* A user LWP's registers as it entered the kernel (top of its stack). */
struct trapframe *
cpu_lwp_trapframe(lwp_t *l)
{
	KASSERT(l->l_kstack != 0);
	return (struct trapframe *)(l->l_kstack + KSTACK_SIZE) - 1;
}

/* The FPU state of a fresh program: as after `fninit` and reset. */
static void
fpu_init_state(struct fxsave_area *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->fx_fcw = 0x037f;		/* all x87 exceptions masked */
	fx->fx_mxcsr = 0x1f80;		/* all SSE exceptions masked */
}

/*
 * Set up l2's kernel stack (allocated by lwp_create) so that switching
 * to it starts func(arg) via lwp_trampoline.  A kernel thread ends when
 * func returns; a user LWP then goes to user mode with the trap frame
 * at the top of its stack: a copy of l1's if l1 is a user LWP (fork),
 * else zeroes until exec sets it (cpu_exec_setregs).  The user FPU
 * state and %fs base are inherited the same way.
 */
void
cpu_lwp_fork(lwp_t *l1, lwp_t *l2, void (*func)(void *), void *arg)
{
	vaddr_t top = l2->l_kstack + KSTACK_SIZE;
	struct switchframe *sf;
	struct trapframe *tf;

	if (l2->l_flag & LW_SYSTEM) {
		/* When `ret` pops sf_rip, %rsp = top - 16: 16-byte
		 * aligned, as the ABI wants before the trampoline's calls. */
		sf = (struct switchframe *)(top - 16) - 1;
		memset(sf, 0, sizeof(*sf));
	} else {
		tf = cpu_lwp_trapframe(l2);
		if (l1->l_flag & LW_SYSTEM) {
			memset(tf, 0, sizeof(*tf));
			fpu_init_state(&l2->l_md.md_fpu);
			l2->l_md.md_fsbase = 0;
		} else {
			KASSERT(l1 == curlwp);
			*tf = *cpu_lwp_trapframe(l1);
			/* l1 is running: its FPU registers are live. */
			fxsave(&l2->l_md.md_fpu);
			l2->l_md.md_fsbase = l1->l_md.md_fsbase;
		}
		sf = (struct switchframe *)((vaddr_t)tf - 16) - 1;
		memset(sf, 0, sizeof(*sf));
		sf->sf_r14 = (uint64_t)tf;	/* the trampoline's way out */
	}
	sf->sf_r12 = (uint64_t)func;
	sf->sf_r13 = (uint64_t)arg;
	sf->sf_rip = (uint64_t)lwp_trampoline;
	l2->l_md.md_sp = (vaddr_t)sf;
}

/*
 * Registers for a freshly exec'd program: start at `entry` with the
 * stack at `sp` (argc there, as crt0 expects; also %rdi = argc, %rsi =
 * argv, %rdx = envp), interrupts on, nothing else set, a clean FPU and
 * no TLS.  l is curlwp.
 */
void
cpu_exec_setregs(lwp_t *l, vaddr_t entry, vaddr_t sp, long argc,
    vaddr_t argv, vaddr_t envp)
{
	struct trapframe *tf = cpu_lwp_trapframe(l);

	KASSERT(l == curlwp);
	memset(tf, 0, sizeof(*tf));
	tf->tf_rip = entry;
	tf->tf_rsp = sp;
	tf->tf_rdi = argc;
	tf->tf_rsi = argv;
	tf->tf_rdx = envp;
	tf->tf_rflags = PSL_I | 0x2;		/* bit 1 is always set */
	tf->tf_cs = GSEL(GUCODE_SEL, SEL_UPL);
	tf->tf_ss = GSEL(GUDATA_SEL, SEL_UPL);
	fpu_init_state(&l->l_md.md_fpu);
	fxrstor(&l->l_md.md_fpu);
	(void)cpu_lwp_setprivate(l, NULL);
}

/*
 * Set l's %fs base (its TLS pointer).  l is curlwp, or not running.
 * EINVAL for an address outside user space: wrmsr would fault on a
 * non-canonical one, and a kernel address is no use to the program.
 */
int
cpu_lwp_setprivate(lwp_t *l, void *addr)
{
	if ((vaddr_t)addr >= VM_MAXUSER_ADDRESS)
		return EINVAL;
	l->l_md.md_fsbase = (uint64_t)addr;
	if (l == curlwp)
		wrmsr(MSR_FSBASE, (uint64_t)addr);
	return 0;
}

/* A forked child's first return to user mode: fork() returns 0. */
void
cpu_child_return(lwp_t *l)
{
	struct trapframe *tf = cpu_lwp_trapframe(l);

	tf->tf_rax = 0;
	tf->tf_rflags &= ~PSL_C;
	tf->tf_r11 = tf->tf_rflags;
}

/*
 * Switch from prev to next (mi_switch, at IPL_SCHED).  curlwp changes
 * here, before the stacks do: nothing can interrupt in between.
 * Returns, in prev's context, the LWP this CPU ran just before prev
 * came back.
 */
lwp_t *
cpu_switchto(lwp_t *prev, lwp_t *next)
{
	struct cpu_info *ci = curcpu();

	KASSERT(ci->ci_ilevel >= IPL_SCHED);
	if (!(prev->l_flag & LW_SYSTEM))
		fxsave(&prev->l_md.md_fpu);
	ci->ci_curlwp = next;
	if (next->l_kstack != 0) {
		ci->ci_tss.tss_rsp0 = next->l_kstack + KSTACK_SIZE;
		ci->ci_rsp0 = ci->ci_tss.tss_rsp0;
	}
	if (!(next->l_flag & LW_SYSTEM)) {
		/* (A process has no address space before its first exec,
		 * and none after exit1 has freed it.) */
		struct vmspace *vm = next->l_proc->p_vmspace;

		fxrstor(&next->l_md.md_fpu);
		wrmsr(MSR_FSBASE, next->l_md.md_fsbase);
		pmap_activate(vm != NULL ? vm->vm_pmap : NULL);
	} else
		pmap_activate(NULL);
	return x86_swtch(&prev->l_md.md_sp, next->l_md.md_sp, prev);
}

/*
 * Wait for an interrupt, unless a reschedule is already pending or
 * something is queued here (sched_curcpu_runnable_p).  The check and
 * `sti; hlt` are done with interrupts off, and sti only takes effect
 * after hlt starts, so a wake-up IPI cannot slip in between.
 */
void
cpu_idle(void)
{
	struct cpu_info *ci = curcpu();

	__asm volatile("cli" ::: "memory");
	if (ci->ci_want_resched == 0 && !sched_curcpu_runnable_p())
		__asm volatile("sti; hlt" ::: "memory");
	else
		__asm volatile("sti" ::: "memory");
}
