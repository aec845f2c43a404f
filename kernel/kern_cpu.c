/*
 * kern_cpu.c: the machine-independent side of CPUs: the table of
 * running CPUs, the per-CPU state every CPU gets before it runs, and
 * an AP's first steps as a scheduler CPU.
 *
 * cpu_infos[] and ncpu are written only by the boot CPU while it starts
 * the others (an entry is stored before ncpu counts it), and never
 * change afterwards: CPU_INFO_FOREACH needs no lock.
 */
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/mutex.h>
#include <sys/lwp.h>
#include <sys/sched.h>
#include <sys/time.h>

struct cpu_info *cpu_infos[MAXCPUS] = { &cpu_info_primary };
u_int	ncpu = 1;

/*
 * Set up the MI parts of a CPU's cpu_info, before it starts: its run
 * queue and locks and, once LWPs exist (every CPU but the boot one,
 * whose idle LWP main() makes after lwpinit()), its idle LWP.
 */
void
mi_cpu_attach(struct cpu_info *ci)
{
	sched_cpuattach(ci);
	if (curlwp != NULL)
		create_idle_lwp(ci);
}

/*
 * An AP has started (cpu_hatch, on its idle LWP's stack, interrupts
 * off, curlwp already the idle LWP): the idle LWP becomes the one that
 * runs here, as mi_switch would have made it (l_stime before
 * LP_RUNNING, the run queue's view under spc_mutex).  Then the arch
 * starts the clock and enters idle_loop.  (lwpkern's; in NetBSD the
 * idle LWP is made LSONPROC when it is created, and idle_loop does the
 * rest.)
 */
void
mi_cpu_hatch(struct cpu_info *ci)
{
	struct schedstate_percpu *spc = &ci->ci_schedstate;
	lwp_t *l = ci->ci_idlelwp;

	KASSERT(ci == curcpu() && l == curlwp);
	lwp_lock(l);
	KASSERT(l->l_stat == LSIDL && (l->l_flag & LW_IDLE));
	KASSERT(lwp_locked(l, spc->spc_lwplock));
	l->l_stat = LSONPROC;
	l->l_stime = nsuptime();
	__atomic_or_fetch(&l->l_pflag, LP_RUNNING, __ATOMIC_RELEASE);
	spc_lock(ci);
	spc->spc_curpriority = PRI_IDLE;
	spc_unlock(ci);
	spc->spc_flags |= SPCF_IDLE;
	lwp_unlock(l);
}
