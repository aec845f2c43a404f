/*
 * vm_machdep.c: the machine-dependent side of LWPs: their kernel stacks
 * and the context switch (swtch.S does the register work).
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kstack.h>
#include <sys/lwp.h>
#include <sys/param.h>
#include "x86_var.h"

lwp_t	*x86_swtch(vaddr_t *save, vaddr_t load, lwp_t *prev);
extern char lwp_trampoline[];

/* The switch frame swtch.S pops, lowest address first. */
struct switchframe {
	uint64_t	sf_r15, sf_r14, sf_r13, sf_r12, sf_rbp, sf_rbx;
	uint64_t	sf_rip;
};

/*
 * Set up l's kernel stack (allocated by lwp_create) so that switching
 * to it starts func(arg) via lwp_trampoline.
 */
void
cpu_lwp_fork(lwp_t *l, void (*func)(void *), void *arg)
{
	vaddr_t top = l->l_md.md_kstack + KSTACK_SIZE;
	/* When `ret` pops sf_rip, %rsp = top - 16: 16-byte aligned, as the
	 * ABI wants before lwp_trampoline's calls. */
	struct switchframe *sf = (struct switchframe *)(top - 16) - 1;

	memset(sf, 0, sizeof(*sf));
	sf->sf_r12 = (uint64_t)func;
	sf->sf_r13 = (uint64_t)arg;
	sf->sf_rip = (uint64_t)lwp_trampoline;
	l->l_md.md_sp = (vaddr_t)sf;
}

/* Free what cpu_lwp_fork's caller allocated: the kernel stack. */
void
cpu_lwp_free(lwp_t *l)
{
	if (l->l_md.md_kstack != 0)
		kstack_free(l->l_md.md_kstack);
	l->l_md.md_kstack = 0;
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
	ci->ci_curlwp = next;
	if (next->l_md.md_kstack != 0)
		ci->ci_tss.tss_rsp0 = next->l_md.md_kstack + KSTACK_SIZE;
	return x86_swtch(&prev->l_md.md_sp, next->l_md.md_sp, prev);
}

/*
 * Wait for an interrupt, unless a reschedule is already pending.  The
 * check and `sti; hlt` are done with interrupts off, and sti only takes
 * effect after hlt starts, so a wake-up IPI cannot slip in between.
 */
void
cpu_idle(void)
{
	struct cpu_info *ci = curcpu();

	__asm volatile("cli" ::: "memory");
	if (ci->ci_want_resched == 0 && ci->ci_schedstate.spc_count == 0)
		__asm volatile("sti; hlt" ::: "memory");
	else
		__asm volatile("sti" ::: "memory");
}
